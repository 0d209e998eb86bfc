//! A date-only due for hours ending at midnight (`16:00-00:00`, `00:00-24:00`), through the real
//! binary: the calendar export, `tether status` and the agenda put it at the next midnight, the
//! end of that day's hours (it used to fall at the day's start, 8-24 hours early).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use std::path::Path;

const TOML: &str = r#"
[me]
zone = "Asia/Tokyo"
work_hours = "09:00-18:00"
work_days = ["mon","tue","wed","thu","fri","sat","sun"]

[[clients]]
id = "late"
name = "Late Desk"
zone = "Europe/London"
hours = "16:00-00:00"

[[clients]]
id = "always"
name = "Always On"
zone = "Europe/London"
hours = "00:00-24:00"
"#;

const DEADLINES: &str = concat!(
    r#"{"id":"d1","client":"late","title":"Late report","due":"2027-01-13","estimate":"4h"}"#,
    "\n",
    r#"{"id":"d2","client":"always","title":"Always report","due":"2027-01-13","estimate":"4h"}"#,
    "\n",
);

fn run(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("tether")
        .expect("binary")
        .env_remove("TETHER_DIR")
        .env_remove("TETHER_STATUS_FORMAT")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now])
        .args(args)
        .output()
        .expect("run tether");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn export_status_and_agenda_use_the_end_of_the_hours() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tether.toml"), TOML).unwrap();
    std::fs::write(dir.path().join("deadlines.jsonl"), DEADLINES).unwrap();
    // 13 Jan 2027 23:30 in London (+0): half an hour before both dues.
    let now = "2027-01-13T23:30:00Z";
    let ics = run(dir.path(), now, &["export", "ics"]);
    let starts: Vec<&str> = ics.lines().filter(|l| l.starts_with("DTSTART")).collect();
    assert_eq!(starts, ["DTSTART:20270114T000000Z"; 2], "{ics}");
    // Not overdue; at risk (4 h left, none of your hours before midnight in London).
    let line = run(
        dir.path(),
        now,
        &["status", "-f", "[{overdue}|{at_risk}|{next_deadline}]"],
    );
    assert_eq!(line, "[0|2|Late report in 30m]\n");
    let agenda = run(dir.path(), now, &["agenda"]);
    assert!(agenda.contains("due Thu 14 Jan 00:00 GMT"), "{agenda}");
}
