//! `tether import ics` (issue 16) on calendar files shaped as Google Calendar, Outlook (Windows
//! zone names, VTIMEZONE) and Apple export them: every item lands at the instant Python's
//! zoneinfo gives for its TZID (tests/ics_import_check.py: icalendar, zoneinfo and dateutil,
//! an implementation independent of tether's), including a time inside a DST gap, one in the
//! repeated hour, UTC times, all-day events and RRULEs with EXDATE and month ends; importing
//! again changes nothing; a record the user edited is kept; a calendar change is taken.
//!
//! Without python3's icalendar the oracle test prints "SKIPPED: …" and passes, unless
//! `TETHER_REQUIRE_E2E=1` makes it mandatory (CI installs it).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-25T09:30:00+10:00";
const FIXTURES: &str = "tests/fixtures/ics";

const CONFIG: &str = r#"[me]
name = "Aiko Tanaka"
zone = "Australia/Brisbane"

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
"#;

fn data() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("tether.toml"), CONFIG).unwrap();
    (tmp, dir)
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("tether")
        .unwrap()
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn import(dir: &Path, file: &Path, extra: &[&str]) -> String {
    let f = file.to_str().unwrap();
    let mut args = vec!["import", "ics", f, "--client", "kanda", "--next", "400d"];
    args.extend_from_slice(extra);
    let (out, err, code) = run(dir, &args);
    assert_eq!(code, 0, "{out}{err}");
    out
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join(name)
}

/// Each imported record as "title <tab> due" in the oracle's form (a date, or a UTC instant).
fn imported(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (file, title) in [("deadlines.jsonl", "title"), ("followups.jsonl", "what")] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let due = v["due"].as_str().unwrap();
            let due = match NaiveDate::parse_from_str(due, "%Y-%m-%d") {
                Ok(d) => d.to_string(),
                Err(_) => DateTime::parse_from_rfc3339(due)
                    .unwrap()
                    .with_timezone(&Utc)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string(),
            };
            out.push(format!("{}\t{due}", v[title].as_str().unwrap()));
        }
    }
    out.sort();
    out
}

fn required() -> bool {
    std::env::var("TETHER_REQUIRE_E2E").is_ok_and(|v| v == "1")
}

#[test]
fn every_item_lands_where_zoneinfo_puts_it() {
    let python = std::process::Command::new("python3")
        .args(["-c", "import icalendar, dateutil, zoneinfo"])
        .output();
    if !python.is_ok_and(|o| o.status.success()) {
        assert!(
            !required(),
            "TETHER_REQUIRE_E2E=1 but python3 with icalendar is missing"
        );
        println!("SKIPPED: python3 with icalendar (pip install icalendar)");
        return;
    }
    let now = DateTime::parse_from_rfc3339(NOW).unwrap().to_rfc3339();
    for name in ["google.ics", "outlook.ics", "apple.ics"] {
        let (_tmp, dir) = data();
        let file = fixture(name);
        import(&dir, &file, &[]);
        let oracle = std::process::Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics_import_check.py"))
            .arg(&file)
            .arg(&now)
            .arg("400")
            .output()
            .unwrap();
        assert!(
            oracle.status.success(),
            "{}",
            String::from_utf8_lossy(&oracle.stderr)
        );
        let expected: Vec<String> = String::from_utf8_lossy(&oracle.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert!(expected.len() >= 3, "{name}: {expected:?}");
        assert_eq!(imported(&dir), expected, "{name}");
    }
}

#[test]
fn to_dos_are_deadlines_events_follow_ups_and_a_dry_run_writes_nothing() {
    let (_tmp, dir) = data();
    let out = import(&dir, &fixture("outlook.ics"), &["--dry-run"]);
    assert!(out.contains("nothing written (--dry-run)"), "{out}");
    assert!(!dir.join("deadlines.jsonl").exists());
    assert!(
        out.contains("add    deadlines.jsonl: Angebot an Kanda — Thu 10 Dec 2026 17:00 JST (Thu 18:00 AEST yours)"),
        "{out}"
    );
    assert!(
        out.contains("add    followups.jsonl: Go-live Checkliste durchgehen — Fri 04 Dec 2026 14:00 CET (Fri 23:00 AEST yours)"),
        "{out}"
    );
    import(&dir, &fixture("outlook.ics"), &[]);
    let deadlines = std::fs::read_to_string(dir.join("deadlines.jsonl")).unwrap();
    assert_eq!(deadlines.lines().count(), 2, "{deadlines}");
    assert!(
        deadlines.contains("\"due\":\"2027-03-29T09:00:00+02:00\""),
        "{deadlines}"
    );
    // Everything as deadlines when asked.
    let (_tmp2, dir2) = data();
    import(&dir2, &fixture("outlook.ics"), &["--as", "deadlines"]);
    let all = std::fs::read_to_string(dir2.join("deadlines.jsonl")).unwrap();
    assert_eq!(all.lines().count(), 3, "{all}");
    // tether check reads what was written without a word.
    let (out, err, code) = run(&dir2, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn importing_again_updates_the_calendars_changes_and_keeps_the_users() {
    let (tmp, dir) = data();
    let out = import(&dir, &fixture("google.ics"), &[]);
    assert!(
        out.contains("7 to add, 0 to update, 0 as they are; 1 past and 1 cancelled left out"),
        "{out}"
    );
    let first = std::fs::read_to_string(dir.join("followups.jsonl")).unwrap();
    // Again: nothing changes, byte for byte.
    let out = import(&dir, &fixture("google.ics"), &[]);
    assert!(
        out.contains("0 to add, 0 to update, 7 as they are"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("followups.jsonl")).unwrap(),
        first
    );

    // The user renames the review call; the calendar moves it and the closure.
    let edited = first.replace(
        "\"what\":\"Review call with Sato-san\"",
        "\"what\":\"Review call with Sato-san (bring the tables)\"",
    );
    assert_ne!(edited, first);
    std::fs::write(dir.join("followups.jsonl"), &edited).unwrap();
    let moved = std::fs::read_to_string(fixture("google.ics"))
        .unwrap()
        .replace("20261127T100000", "20261127T140000")
        .replace("DTSTART;VALUE=DATE:20261229", "DTSTART;VALUE=DATE:20261228");
    let file = tmp.path().join("moved.ics");
    std::fs::write(&file, moved).unwrap();
    let out = import(&dir, &file, &[]);
    assert!(
        out.contains("keep (you changed it since the last import) followups.jsonl: Review call"),
        "{out}"
    );
    assert!(out.contains("0 to add, 1 to update"), "{out}");
    let after = std::fs::read_to_string(dir.join("followups.jsonl")).unwrap();
    assert!(
        after.contains("(bring the tables)\",\"due\":\"2026-11-27T10:00:00+09:00\""),
        "{after}"
    );
    assert!(after.contains("\"due\":\"2026-12-28\""), "{after}");
    assert_eq!(after.lines().count(), first.lines().count());
}

#[test]
fn a_file_that_is_not_a_calendar_or_a_zone_tether_does_not_know_is_said_plainly() {
    let (tmp, dir) = data();
    let bad = tmp.path().join("notes.ics");
    std::fs::write(&bad, "hello\n").unwrap();
    let (out, err, code) = run(
        &dir,
        &["import", "ics", bad.to_str().unwrap(), "--client", "kanda"],
    );
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("notes.ics: not an iCalendar file"), "{err}");
    assert!(!dir.join("followups.jsonl").exists());

    let odd = tmp.path().join("odd.ics");
    std::fs::write(
        &odd,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x1\r\nDTSTART;TZID=Customized Time Zone:20261201T090000\r\nSUMMARY:Odd zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x2\r\nDTSTART:20261201T000000Z\r\nSUMMARY:Fine\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let out = import(&dir, &odd, &[]);
    assert!(
        out.contains("skipped: \"Odd zone\": time zone \"Customized Time Zone\" is neither an IANA nor a Windows zone name tether knows; left out"),
        "{out}"
    );
    assert!(out.contains("1 to add"), "{out}");
}
