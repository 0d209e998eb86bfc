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

/// A meeting cancelled by deleting it from the calendar: the next import says the record it
/// made is no longer in the file (and keeps it: it may be a moved meeting the user noted), and
/// records the user added by hand, or already closed, are not named.
#[test]
fn an_event_gone_from_the_calendar_is_said_and_kept() {
    let (tmp, dir) = data();
    import(&dir, &fixture("google.ics"), &[]);
    std::fs::write(
        dir.join("followups.jsonl"),
        std::fs::read_to_string(dir.join("followups.jsonl")).unwrap()
            + "{\"id\":\"f-mine\",\"client\":\"kanda\",\"what\":\"Send the tables\",\"due\":\"2026-11-30\"}\n",
    )
    .unwrap();
    let text = std::fs::read_to_string(fixture("google.ics")).unwrap();
    let start = text.find("BEGIN:VEVENT").unwrap();
    let end = text.find("END:VEVENT\r\n").unwrap() + "END:VEVENT\r\n".len();
    assert!(text[start..end].contains("SUMMARY:Review call with Sato-san"));
    let file = tmp.path().join("without-review.ics");
    std::fs::write(&file, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let before = std::fs::read_to_string(dir.join("followups.jsonl")).unwrap();
    let out = import(&dir, &file, &[]);
    let gone: Vec<&str> = out.lines().filter(|l| l.starts_with("gone")).collect();
    assert_eq!(
        gone,
        [
            "gone   followups.jsonl: Review call with Sato-san — Fri 27 Nov 2026 10:00 JST (not in this file any more: kept; mark it done or dropped if it was cancelled)"
        ],
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("followups.jsonl")).unwrap(),
        before,
        "nothing removed"
    );
    // Marked done: no longer named.
    std::fs::write(
        dir.join("followups.jsonl"),
        before.replace(
            "\"what\":\"Review call with Sato-san\"",
            "\"what\":\"Review call with Sato-san\",\"status\":\"done\"",
        ),
    )
    .unwrap();
    let out = import(&dir, &file, &[]);
    assert!(!out.contains("gone"), "{out}");
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

fn calcurse_export(tmp: &Path, with_uid: bool) -> Option<PathBuf> {
    let cal = tmp.join("calcurse");
    std::fs::create_dir_all(&cal).unwrap();
    std::fs::write(
        cal.join("apts"),
        "11/27/2026 @ 09:00 -> 11/27/2026 @ 10:00 |Review call with Sato-san\n\
         11/30/2026 [1] Office closed\n\
         12/01/2026 @ 09:00 -> 12/01/2026 @ 09:30 {1W} |Weekly sync\n",
    )
    .unwrap();
    std::fs::write(cal.join("todo"), "[1] Send the revised quote\n").unwrap();
    let mut cmd = std::process::Command::new("calcurse");
    cmd.env("TZ", "Asia/Tokyo")
        .env("HOME", &cal)
        .arg("-D")
        .arg(&cal)
        .arg("--export=ical");
    if with_uid {
        cmd.arg("--export-uid");
    }
    let out = cmd.output().ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = tmp.join(if with_uid {
        "calcurse-uid.ics"
    } else {
        "calcurse.ics"
    });
    std::fs::write(&file, out.stdout).unwrap();
    Some(file)
}

fn oracle(file: &Path) -> Vec<String> {
    let now = DateTime::parse_from_rfc3339(NOW).unwrap().to_rfc3339();
    let out = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics_import_check.py"))
        .arg(file)
        .arg(&now)
        .arg("400")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn have_python_icalendar() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import icalendar, dateutil, zoneinfo"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !required(),
            "TETHER_REQUIRE_E2E=1 but python3 with icalendar is missing"
        );
        println!("SKIPPED: python3 with icalendar (pip install icalendar)");
    }
    ok
}

/// A calendar written by calcurse (`calcurse --export=ical`): floating times (read in the
/// client's zone, Tokyo, as calcurse wrote them), an all-day event, a weekly repeat and a to-do
/// without a date (left out). Without and with UIDs; importing again changes nothing.
#[test]
fn a_calendar_calcurse_exported_lands_where_zoneinfo_puts_it() {
    if !have_python_icalendar() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for with_uid in [false, true] {
        let Some(file) = calcurse_export(tmp.path(), with_uid) else {
            assert!(
                !required(),
                "TETHER_REQUIRE_E2E=1 but calcurse is not installed"
            );
            println!("SKIPPED: calcurse (apt-get install calcurse)");
            return;
        };
        let (_t, dir) = data();
        let out = import(&dir, &file, &[]);
        assert!(
            out.contains("skipped: \"Send the revised quote\": no DTSTART or DUE; left out"),
            "{out}"
        );
        let expected = oracle(&file);
        assert!(expected.len() >= 5, "{expected:?}");
        assert_eq!(imported(&dir), expected, "uid: {with_uid}");
        let again = import(&dir, &file, &[]);
        assert!(again.contains("0 to add, 0 to update"), "{again}");
    }
}

/// A calendar written by Python's icalendar package in the test (zone-aware times in Berlin
/// and New York, UTC, an all-day event, a yearly repeat): the same instants as zoneinfo's.
#[test]
fn a_calendar_python_icalendar_wrote_lands_where_zoneinfo_puts_it() {
    if !have_python_icalendar() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("python.ics");
    let script = r#"
import sys
from datetime import datetime, date, timezone
from zoneinfo import ZoneInfo
from icalendar import Calendar, Event, Todo
cal = Calendar()
cal.add("prodid", "-//tether test//python icalendar//EN")
cal.add("version", "2.0")
def event(uid, summary, start, comp=Event, key="dtstart", rrule=None):
    e = comp()
    e.add("uid", uid)
    e.add("summary", summary)
    e.add(key, start)
    if rrule:
        e.add("rrule", rrule)
    cal.add_component(e)
event("py-1", "Berlin steering call", datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")))
event("py-2", "New York after the change", datetime(2027, 3, 15, 9, 0, tzinfo=ZoneInfo("America/New_York")))
event("py-3", "UTC to-do", datetime(2026, 12, 10, 6, 0, tzinfo=timezone.utc), comp=Todo, key="due")
event("py-4", "Company day", date(2027, 2, 1))
event("py-5", "Quarterly report", datetime(2027, 1, 15, 17, 0, tzinfo=ZoneInfo("Asia/Kolkata")), rrule={"freq": "monthly", "interval": 3, "count": 4})
open(sys.argv[1], "wb").write(cal.to_ical())
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_t, dir) = data();
    import(&dir, &file, &[]);
    let expected = oracle(&file);
    assert!(expected.len() >= 7, "{expected:?}");
    assert_eq!(imported(&dir), expected);
}
