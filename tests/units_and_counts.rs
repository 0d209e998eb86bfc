//! Issue 14, "Units mislead" and "the same data gives `3 problem(s)` in agenda, `2 problems` in
//! status and `2 error(s), 1 warning(s)` in check": working time is said in working hours in
//! the dashboard, the agenda and the notifications; a day unit in `warn_slack` is warned about;
//! and the dashboard's header, the agenda, `status` and `check` give one problem count in the
//! same words (docs/decisions.md, "Units" and "One problem count").
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use tether::alerts::due_alerts;
use tether::app::action::{Action, Pane};
use tether::app::state::App;
use tether::app::update::update;
use tether::store::load::load_dir;
use tether::ui::theme::Theme;

/// Monday 23 Nov 2026, 09:00 UTC: the start of the working week.
const NOW: &str = "2026-11-23T09:00:00Z";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// 09:00-17:00, Monday to Friday, in UTC: 8 working hours a day.
const ME: &str = "[me]\nzone = \"UTC\"\nwork_hours = \"09:00-17:00\"\n";

/// Due Thursday 10:00: Monday, Tuesday and Wednesday (3 × 8 h) and Thursday's first hour are
/// 25 working hours from now; 6 h of work leave 19 h to spare, less than the default 24 h margin.
const GLOSSARY: &str =
    "{\"id\":\"d1\",\"title\":\"Glossary\",\"due\":\"2026-11-26T10:00:00Z\",\"estimate\":\"6h\"}\n";

fn tether() -> Command {
    let mut c = Command::cargo_bin("tether").expect("binary");
    c.env_remove("TETHER_DIR")
        .env_remove("TETHER_STATUS_FORMAT")
        .env("NO_COLOR", "1");
    c
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = tether()
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW])
        .args(args)
        .output()
        .expect("run tether");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn data(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).expect("write");
    }
    tmp
}

/// The dashboard drawn at `w`×`h`, as text.
fn screen(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, &Theme::colour()))
        .expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The screen's text with each run of spaces as one (a wrapped detail line is one sentence).
fn words(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn twenty_five_working_hours_read_25h_in_the_dashboard_the_agenda_and_the_notification() {
    let d = data(&[("tether.toml", ME), ("deadlines.jsonl", GLOSSARY)]);
    let need_have = "needs 6h, you have 25h of working time";

    // The agenda said "needs 6h, you have 1d 1h working".
    let (out, err, code) = run(d.path(), &["agenda"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("{need_have}; start by")), "{out}");
    assert!(!out.contains("1d 1h"), "{out}");

    // The dashboard's detail box: the same words, and the margin in hours (it said "your 1d
    // margin").
    let mut app = App::new(d.path().to_path_buf(), load_dir(d.path()), now());
    update(&mut app, Action::Focus(Pane::Deadlines));
    update(&mut app, Action::Open);
    let shown = words(&screen(&app, 160, 45));
    assert!(
        shown.contains("working time 25h before it is due"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "{need_have} before it is due: 19h to spare, less than your 24h margin"
        )),
        "{shown}"
    );
    assert!(!shown.contains("1d"), "{shown}");

    // The notification.
    let alerts = due_alerts(&load_dir(d.path()).model, &[], now());
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].summary, "Tight: Glossary");
    assert!(
        alerts[0].body.contains(&format!("· {need_have} ·")),
        "{}",
        alerts[0].body
    );
}

#[test]
fn a_day_in_warn_slack_is_a_warning_of_check_and_still_means_24_working_hours() {
    let toml = format!("{ME}\n[alerts]\nwarn_slack = \"1d\"\n");
    let d = data(&[("tether.toml", &toml), ("deadlines.jsonl", GLOSSARY)]);
    let (out, err, code) = run(d.path(), &["check"]);
    assert_eq!(code, 0, "a warning, not an error: {out}{err}");
    let warning = out.lines().next().unwrap_or_default();
    assert!(
        warning.starts_with("tether.toml:6:14: warning: \"warn_slack\" is working time"),
        "{warning}"
    );
    for words in [
        "this is 24h of working time",
        "write \"8h\" for one of your working days (09:00-17:00)",
        "or \"24h\" to keep this margin",
    ] {
        assert!(warning.contains(words), "{words:?} in {warning}");
    }
    // Read as before: 19 h to spare is less than 24 h, so the deadline is tight.
    let (out, _, _) = run(d.path(), &["status", "-f", "{tight}"]);
    assert_eq!(out, "1\n");
    // Hours say what they mean, and get no warning.
    std::fs::write(
        d.path().join("tether.toml"),
        format!("{ME}\n[alerts]\nwarn_slack = \"24h\"\n"),
    )
    .unwrap();
    let (out, err, code) = run(d.path(), &["check"]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
}

/// The case: a problem in each place one of the four used not to look: a `[keys]`
/// override (not counted by the agenda or `status`), a closed deadline line and the contact log
/// (not read by `status`), and an open follow-up line.
fn four_problems() -> tempfile::TempDir {
    let toml = format!(
        "{ME}\n[[clients]]\nid = \"kanda\"\nname = \"Kanda\"\nzone = \"Asia/Tokyo\"\n\n[keys]\nfrobnicate = \"x\"\n"
    );
    let deadlines = format!(
        "{GLOSSARY}{{\"id\":\"d0\",\"title\":\"Old\",\"due\":\"someday\",\"status\":\"done\"}}\n"
    );
    data(&[
        ("tether.toml", &toml),
        ("deadlines.jsonl", &deadlines),
        ("followups.jsonl", "not json\n"),
        (
            "interactions.jsonl",
            "{\"client\":\"kanda\",\"kind\":\"call\",\"at\":\"yesterday\"}\n",
        ),
    ])
}

#[test]
fn one_problem_count_in_the_same_words_in_the_header_the_agenda_status_and_check() {
    let d = four_problems();
    let count = "4 problems (3 errors, 1 warning)";

    let (out, err, code) = run(d.path(), &["check"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        err.trim_end().ends_with(&format!(": {count}")),
        "check said {err:?}"
    );

    let (out, _, _) = run(d.path(), &["agenda"]);
    assert!(
        out.contains(&format!("{count}: run `tether check`")),
        "{out}"
    );

    let (out, _, _) = run(d.path(), &["status", "-f", "{summary}|{problems}"]);
    assert!(
        out.contains(" · 4 problems · ") && out.ends_with("|4\n"),
        "{out}"
    );

    let app = App::new(d.path().to_path_buf(), load_dir(d.path()), now());
    let wide = screen(&app, 160, 45);
    let header = wide.lines().next().unwrap_or_default();
    assert!(header.contains(&format!("{count} — press !")), "{header}");
    // Narrower, the count keeps its number and first words.
    let narrow = screen(&app, 80, 24);
    let header = narrow.lines().next().unwrap_or_default();
    assert!(header.contains("4 problems — press !"), "{header}");
}

/// On a directory too big to read whole every time a file changes, `status` reads tether.toml
/// and the open lines only (not the closed ones, not the contact log), and says its count is a
/// lower bound: "2+ problems" where `check` finds 4.
#[test]
fn on_a_big_directory_status_says_its_count_is_at_least() {
    let d = four_problems();
    let mut deadlines = std::fs::read_to_string(d.path().join("deadlines.jsonl")).unwrap();
    let mut i = 0;
    while deadlines.len() < 8 * 1024 * 1024 {
        deadlines.push_str(&format!(
            "{{\"id\":\"old-{i}\",\"title\":\"Done long ago\",\"due\":\"2020-01-01\",\"status\":\"done\"}}\n"
        ));
        i += 1;
    }
    std::fs::write(d.path().join("deadlines.jsonl"), deadlines).unwrap();
    // A folder where the contact log should be: `check` reports it, `status` never opens it.
    std::fs::remove_file(d.path().join("interactions.jsonl")).unwrap();
    std::fs::create_dir(d.path().join("interactions.jsonl")).unwrap();

    let (out, err, code) = run(d.path(), &["status", "-f", "{summary}|{problems}"]);
    assert_eq!(code, 0, "{err}");
    // The `[keys]` warning and the follow-up line: what it read.
    assert!(
        out.contains(" · 2+ problems · ") && out.ends_with("|2\n"),
        "{out}"
    );
    let (_, err, _) = run(d.path(), &["check"]);
    assert!(
        err.trim_end()
            .ends_with(": 4 problems (3 errors, 1 warning)"),
        "{err}"
    );
}
