//! Issue 13: a typo in a client's zone (`"Europe/Stuttgart"`) must not hide the client and its
//! records. The client is kept in your zone, marked in every pane, in `agenda`, `status`, the
//! calendar and the alerts; `tether check` still fails naming the line; and capture refuses to
//! read a time in the zone it cannot know.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use tether::alerts::due_alerts;
use tether::app::action::{Action, Pane};
use tether::app::effects::apply;
use tether::app::files::Files;
use tether::app::state::{App, Overlay};
use tether::app::update::{handle_key, update};
use tether::store::load::load_dir;
use tether::ui::theme::Theme;

#[path = "support/data.rs"]
mod data;

use data::{Data, NOW, example};

/// The example, with brandt's zone misspelt at tether.toml:103, and a follow-up for brandt due
/// on Friday 4 December.
fn misspelt() -> Data {
    let d = example();
    let toml = d.dir.join("tether.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let broken = text.replacen("zone = \"Europe/Berlin\"", "zone = \"Europe/Stuttgart\"", 1);
    assert_ne!(broken, text);
    let line = broken
        .lines()
        .position(|l| l.contains("Europe/Stuttgart"))
        .unwrap();
    assert_eq!(line + 1, 103, "the tests below name tether.toml:103");
    std::fs::write(&toml, broken).unwrap();
    let mut f = std::fs::read_to_string(d.dir.join("followups.jsonl")).unwrap();
    f.push_str(r#"{"id":"f-5pec5","client":"brandt","what":"Send the test specs","due":"2026-12-04","status":"open"}"#);
    f.push('\n');
    std::fs::write(d.dir.join("followups.jsonl"), f).unwrap();
    d
}

fn run(dir: &Path, now: &str, args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("tether")
        .unwrap()
        .env_remove("TETHER_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn check_names_the_zone_its_line_and_the_stand_in_and_still_fails() {
    let d = misspelt();
    let out = Command::cargo_bin("tether")
        .unwrap()
        .env_remove("TETHER_DIR")
        .arg("check")
        .arg("--data-dir")
        .arg(&d.dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "only the zone, no record of brandt: {text}");
    assert!(
        lines[0].starts_with(
            "tether.toml:103:8: error: \"zone\": unknown time zone \"Europe/Stuttgart\"; did you mean"
        ) && lines[0].ends_with(
            "; client \"brandt\" is shown marked [zone?], its times in your zone (Australia/Brisbane) until the zone is fixed"
        ),
        "{text}"
    );
}

#[test]
fn agenda_keeps_the_client_and_its_records_marked() {
    let d = misspelt();
    let (out, err, code) = run(&d.dir, NOW, &["agenda"]);
    assert_eq!(code, 0, "{err}");
    for want in [
        // The clock row is the client's own, says the zone is unknown and which one stands in.
        "Stuttgart [zone?]",
        "[zone \"Europe/Stuttgart\" is unknown (tether.toml:103): its times are in your zone, Australia/Brisbane, until it is fixed]",
        // Its deadline (due "2026-12-04T16:00", read in your zone), its heat, its follow-ups.
        "Intranet release 4.2 go-live checklist — Brandt Maschinenbau GmbH [zone?]",
        "due Fri 04 Dec 16:00 AEST [zone?]",
        "Brandt Maschinenbau GmbH [zone?]",
        "Book the December visit to Stuttgart (Herr Vogel, Brandt Maschinenbau GmbH [zone?])",
        "Send the test specs (Brandt Maschinenbau GmbH [zone?])",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(
        out.contains("1 problem (1 error): run `tether check`"),
        "{out}"
    );
}

#[test]
fn status_counts_its_deadline_and_marks_it() {
    let d = misspelt();
    // Thu 3 Dec: brandt's go-live checklist (Fri 16:00, in your zone) is the next deadline.
    let now = "2026-12-03T09:30:00+10:00";
    let (out, err, code) = run(&d.dir, now, &["status", "--format", "{next_deadline}"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "Intranet release 4.2 go… in 1d 6h [zone?]");
    // The same from the status cache the first call wrote.
    assert!(d.dir.join(".tether/status-cache").is_file());
    let (again, _, _) = run(&d.dir, now, &["status", "--format", "{next_deadline}"]);
    assert_eq!(again, out);
    // Overdue from Fri 4 Dec 16:00 in your zone, with the other five already past their due.
    let overdue = |now| run(&d.dir, now, &["status", "--format", "{overdue}"]).0;
    assert_eq!(overdue("2026-12-04T15:59:00+10:00").trim(), "5");
    assert_eq!(overdue("2026-12-04T16:00:00+10:00").trim(), "6");
}

#[test]
fn the_calendar_has_its_deadline_and_says_the_zone_is_unknown() {
    let d = misspelt();
    let (out, err, code) = run(&d.dir, NOW, &["export", "ics"]);
    assert_eq!(code, 0, "{err}");
    let unfolded = out.replace("\r\n ", "");
    assert!(
        unfolded.contains("UID:deadline-d-0c9e77@tether"),
        "{unfolded}"
    );
    assert!(
        unfolded.contains("The client's zone \"Europe/Stuttgart\" is unknown (tether.toml:103)"),
        "{unfolded}"
    );
}

#[test]
fn alerts_fire_for_its_deadline_and_follow_up_and_say_the_zone_is_unknown() {
    let d = misspelt();
    let model = load_dir(&d.dir).model;
    // Fri 4 Dec 12:00 in Brisbane: the checklist (6 h left, due 16:00 in your zone) is at risk;
    // the specs were due today.
    let alerts = due_alerts(&model, &[], instant("2026-12-04T12:00:00+10:00"));
    let of = |what: &str| {
        alerts
            .iter()
            .find(|a| a.summary.contains(what))
            .unwrap_or_else(|| panic!("no alert for {what}: {alerts:#?}"))
    };
    let deadline = of("Intranet release 4.2 go-live checklist");
    assert_eq!(
        deadline.summary,
        "At risk: Intranet release 4.2 go-live checklist (Brandt Maschinenbau GmbH)"
    );
    let followup = of("Send the test specs");
    for a in [deadline, followup] {
        assert!(
            a.body.ends_with(
                "\nBrandt Maschinenbau GmbH: zone \"Europe/Stuttgart\" is unknown (tether.toml:103): its times are in your zone, Australia/Brisbane, until it is fixed"
            ),
            "{}",
            a.body
        );
    }
}

#[test]
fn capture_refuses_a_time_it_would_read_in_the_unknown_zone() {
    let d = misspelt();
    let before = std::fs::read_to_string(d.dir.join("followups.jsonl")).unwrap();
    let (out, err, code) = run(
        &d.dir,
        NOW,
        &[
            "add",
            "followup",
            "Call back",
            "--client",
            "brandt",
            "--due",
            "fri 17:00",
        ],
    );
    assert_eq!((out.as_str(), code), ("", 2), "{err}");
    assert!(
        err.contains(
            "\"fri 17:00\" would be read in the zone of client \"brandt\", but its zone \"Europe/Stuttgart\" (tether.toml:103) is not one tether knows; nothing was written: fix the zone in tether.toml, or write the time with its UTC offset, such as \"2026-11-27T17:00+HH:MM\""
        ),
        "{err}"
    );
    let (_, err, code) = run(
        &d.dir,
        NOW,
        &["log", "brandt", "call", "--at", "yesterday 15:00"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("(tether.toml:103)"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.dir.join("followups.jsonl")).unwrap(),
        before
    );
    // With its offset written, the time is the user's, not a guess.
    let (out, err, code) = run(
        &d.dir,
        NOW,
        &[
            "add",
            "followup",
            "Call back",
            "--client",
            "brandt",
            "--due",
            "2026-11-27T17:00+01:00",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("note: the client's zone \"Europe/Stuttgart\" is unknown"),
        "{out}"
    );
    let last = std::fs::read_to_string(d.dir.join("followups.jsonl")).unwrap();
    assert!(
        last.lines()
            .last()
            .unwrap()
            .contains(r#""client":"brandt","what":"Call back","due":"2026-11-27T17:00+01:00""#),
        "{last}"
    );
}

#[test]
fn the_dashboards_form_refuses_it_too() {
    let d = misspelt();
    let now = instant(NOW);
    let mut app = App::new(d.dir.clone(), load_dir(&d.dir), now);
    let mut files = Files::new(&d.dir);
    let before = std::fs::read_to_string(d.dir.join("followups.jsonl")).unwrap();
    let mut key = |app: &mut App, code: KeyCode| {
        for e in handle_key(app, KeyEvent::new(code, KeyModifiers::NONE)) {
            apply(app, &mut files, e, now);
        }
    };
    key(&mut app, KeyCode::Char('a'));
    "Call back"
        .chars()
        .for_each(|c| key(&mut app, KeyCode::Char(c)));
    key(&mut app, KeyCode::Tab);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    "brandt"
        .chars()
        .for_each(|c| key(&mut app, KeyCode::Char(c)));
    key(&mut app, KeyCode::Tab); // who
    key(&mut app, KeyCode::Tab); // due
    "fri 17:00"
        .chars()
        .for_each(|c| key(&mut app, KeyCode::Char(c)));
    key(&mut app, KeyCode::Enter);
    let Overlay::Form(form) = &app.overlay else {
        panic!("the form closed: {:?}", app.message)
    };
    let error = form.error.as_deref().unwrap_or_default();
    assert!(
        error.contains("(tether.toml:103) is not one tether knows") && error.contains("+HH:MM"),
        "{form:?}"
    );
    assert_eq!(
        std::fs::read_to_string(d.dir.join("followups.jsonl")).unwrap(),
        before
    );
}

/// The buffer as text, one line per row.
fn screen(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, &Theme::plain()))
        .unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_dashboard_shows_the_client_and_its_records_marked() {
    let d = misspelt();
    let mut app = App::new(d.dir.clone(), load_dir(&d.dir), instant(NOW));
    let grid = screen(&app, 160, 45);
    for want in [
        "Stuttgart [zone?]",
        "[zone?] Intranet releas",
        "[zone?] Brandt Masc",
    ] {
        assert!(grid.contains(want), "missing {want:?} in\n{grid}");
    }
    // The clock row says which zone stands in: in words when the pane has room, else short.
    assert!(grid.contains("zone unknown: shown in AEST"), "{grid}");
    let wide = screen(&app, 400, 45);
    assert!(
        wide.contains(
            "zone \"Europe/Stuttgart\" unknown (tether.toml:103): shown in your zone, AEST"
        ),
        "{wide}"
    );
    // Its follow-ups are marked, and the detail says why.
    assert!(grid.contains("[zone?] Send the test"), "{grid}");
    update(&mut app, Action::Focus(Pane::Deadlines));
    for _ in 0..5 {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::Open);
    let detail = screen(&app, 160, 45);
    assert!(
        detail.contains("client zone") && detail.contains("zone \"Europe/Stuttgart\" is unknown"),
        "{detail}"
    );
}
