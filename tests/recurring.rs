//! Recurring items (issue 18): "each occurrence done or snoozed on its own, the next one
//! appearing when one is done". The real key path (`x` in the dashboard) on real files.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use tether::app::state::App;
use tether::domain::model::Status;
use tether::ui::theme::Theme;

fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, &Theme::colour()))
        .unwrap();
    term.backend().buffer().clone()
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .unwrap()
        .with_timezone(&Utc)
}

const CONFIG: &str = r#"[me]
name = "Aiko Tanaka"
zone = "Australia/Brisbane"
work_hours = "08:30-17:30"

[[clients]]
id = "nortec"
name = "Nortec Logística"
zone = "America/Sao_Paulo"
hours = "09:00-18:00"
holidays = ["2026-12-25"]
"#;

/// The monthly uptime report, due on the 25th at 18:00 in São Paulo (a holiday moves it to the
/// working day before), and a weekly call.
const DEADLINES: &str = r#"{"id":"d-uptime-nov","client":"nortec","title":"Monthly uptime report","due":"2026-11-25T18:00","estimate":"2h","every":"month on 25","on_holiday":"before"}
"#;
const FOLLOWUPS: &str = r#"{"id":"f-call","client":"nortec","what":"Weekly call with Rafael","due":"2026-11-24","every":"week on tue"}
{"id":"f-once","client":"nortec","what":"Send the signed change request","due":"2026-11-20"}
"#;

#[path = "support/keys.rs"]
mod keys;

type Fixture = keys::Keys;

fn fixture() -> Fixture {
    Fixture::with(now(), |dir| {
        std::fs::write(dir.join("tether.toml"), CONFIG).unwrap();
        std::fs::write(dir.join("deadlines.jsonl"), DEADLINES).unwrap();
        std::fs::write(dir.join("followups.jsonl"), FOLLOWUPS).unwrap();
    })
}

#[test]
fn done_writes_the_next_occurrence_and_undo_takes_both_back() {
    let mut f = fixture();
    f.press("2x");
    let text = f.read("deadlines.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("\"status\":\"done\""), "{text}");
    // 25 December is a holiday at Nortec: the 24th, at 18:00 in São Paulo.
    assert!(
        lines[1].contains("\"due\":\"2026-12-24T18:00:00-03:00\"")
            && lines[1].contains("\"every\":\"month on 25\"")
            && !lines[1].contains("status"),
        "{text}"
    );
    // The dashboard has it at once, open.
    let model = &f.app.loaded.model;
    assert_eq!(model.deadlines.len(), 2);
    assert!(
        model
            .deadlines
            .iter()
            .any(|d| d.status == Status::Open && d.every.is_some())
    );
    // Its detail says how it repeats.
    f.key(KeyCode::Enter);
    let mut detail = String::new();
    let buf = draw(&f.app, 120, 40);
    for y in 0..40 {
        for x in 0..120 {
            detail.push_str(buf[(x, y)].symbol());
        }
    }
    assert!(
        detail.contains("every month on the 25; on a day they are closed, the working day before"),
        "{detail}"
    );
    f.key(KeyCode::Esc);
    // One `u` takes back the next occurrence, the next the done: nothing else changed.
    f.press("u");
    assert_eq!(f.read("deadlines.jsonl").lines().count(), 1);
    f.press("u");
    assert_eq!(f.read("deadlines.jsonl"), DEADLINES);
}

/// Done on one occurrence of the weekly call leaves the one-off follow-up alone, and snoozing
/// the next occurrence touches only it.
#[test]
fn each_occurrence_is_done_and_snoozed_on_its_own() {
    let mut f = fixture();
    f.press("4");
    while f
        .app
        .selected_followup_record()
        .is_some_and(|(_, f)| f.what != "Weekly call with Rafael")
    {
        f.press("j");
    }
    f.press("x");
    let text = f.read("followups.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("\"status\":\"done\""), "{text}");
    assert_eq!(lines[1], FOLLOWUPS.lines().nth(1).unwrap());
    assert!(lines[2].contains("\"due\":\"2026-12-01\""), "{text}");
    // Snooze the new occurrence to the next working day: only its line changes.
    while f
        .app
        .selected_followup_record()
        .is_none_or(|(_, f)| f.status != Status::Open || f.every.is_none())
    {
        let at = f.app.selected[3];
        f.press("j");
        assert_ne!(
            at, f.app.selected[3],
            "the next occurrence is not on the board"
        );
    }
    f.press("s");
    let after = f.read("followups.jsonl");
    let after: Vec<&str> = after.lines().collect();
    assert_eq!(&after[..2], &lines[..2]);
    assert!(after[2].contains("snoozed_until"), "{}", after[2]);
}

/// `tether add … --every` writes the rule through the one capture path (so `x` repeats it), and
/// refuses one that does not read, writing nothing.
#[test]
fn the_shell_adds_a_repeating_item_and_refuses_a_rule_it_cannot_read() {
    let f = fixture();
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("tether")
            .unwrap()
            .env_remove("TETHER_DIR")
            .arg("--data-dir")
            .arg(&f.dir)
            .args(["--now", "2026-11-25T09:30:00+10:00"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "add",
        "deadline",
        "Quarterly invoice",
        "--client",
        "nortec",
        "--due",
        "2026-12-31",
        "--every",
        "3 months on last",
        "--on-holiday",
        "Before",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = f.read("deadlines.jsonl");
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("\"every\":\"3 months on last\",\"on_holiday\":\"before\""),
        "{last}"
    );
    let before = f.read("followups.jsonl");
    let out = run(&[
        "add",
        "followup",
        "Call",
        "--due",
        "fri",
        "--every",
        "fortnightly",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--every: cannot read \"fortnightly\""),
        "{err}"
    );
    assert_eq!(f.read("followups.jsonl"), before); // A repeating follow-up without a due has no first occurrence to count from: refused.
    let out = run(&["add", "followup", "Call", "--every", "week on tue"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a repeating follow-up needs a due"), "{err}");
    assert_eq!(f.read("followups.jsonl"), before);
}

/// The dashboard's add form (`a`) takes a rule too, through the same capture as the shell.
#[test]
fn the_add_form_adds_a_repeating_follow_up_and_names_a_rule_it_cannot_read() {
    let mut f = fixture();
    let before = f.read("followups.jsonl");
    let form_error = |f: &Fixture| match &f.app.overlay {
        tether::app::state::Overlay::Form(form) => form.error.clone().unwrap_or_default(),
        _ => String::new(),
    };
    // what, client, who, due, every.
    f.press("a");
    f.press("Monthly invoice to Nortec");
    f.key(KeyCode::Tab);
    for _ in 0..20 {
        f.key(KeyCode::Backspace);
    }
    f.press("nortec");
    f.key(KeyCode::Tab);
    f.key(KeyCode::Tab);
    f.press("2026-11-30");
    f.key(KeyCode::Tab);
    f.press("fortnightly");
    f.key(KeyCode::Enter);
    assert!(
        form_error(&f).contains("every: cannot read \"fortnightly\""),
        "{}",
        form_error(&f)
    );
    assert_eq!(f.read("followups.jsonl"), before, "nothing written");
    for _ in 0.."fortnightly".len() {
        f.key(KeyCode::Backspace);
    }
    f.press("month on last");
    f.key(KeyCode::Enter);
    let text = f.read("followups.jsonl");
    let last = text.lines().last().unwrap();
    assert!(
        last.contains("\"what\":\"Monthly invoice to Nortec\"")
            && last.contains("\"due\":\"2026-11-30\"")
            && last.contains("\"every\":\"month on last\""),
        "{last}"
    );
    // It is on the board, as a repeating item.
    let row = f
        .app
        .board
        .followups
        .iter()
        .filter_map(|r| f.app.followup(r.record))
        .find(|r| r.what == "Monthly invoice to Nortec")
        .expect("on the board");
    assert!(row.every.is_some());
}
