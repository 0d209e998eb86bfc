//! `tether export ics` checked by real consumers: Python's `icalendar` package (an independent
//! RFC 5545 parser, via tests/ics_check.py) and calcurse (which imports it as appointments,
//! all-day events or todos). The data is a temporary copy of the shipped example plus records
//! whose text needs escaping and folding, with the clock frozen.
//!
//! Without python3's icalendar or calcurse the test prints "SKIPPED: …" and passes, unless
//! `TETHER_REQUIRE_E2E=1` makes them mandatory (CI installs both).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-25T09:30:00+10:00";

/// Needs escaping (`,` `;` `\` and a line break) and, being long and Japanese, folding inside
/// multi-byte characters.
const TRICKY: &str =
    "Quote, v2; see C:\\docs\\q.pdf\nthen 見積書の改訂版を送付して確認をお願いする（佐藤様）";

struct Data {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn setup() -> Data {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    let (_, err, code) = run(
        &dir,
        NOW,
        &[
            "add",
            "followup",
            TRICKY,
            "--client",
            "kanda",
            "--due",
            "fri 17:00",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // A hand-written line without an id: its UID comes from the line's text.
    let f = dir.join("followups.jsonl");
    let mut text = std::fs::read_to_string(&f).expect("read");
    text.push_str("{\"what\":\"Hand-written, no id\",\"due\":\"2026-12-03T10:00\"}\n");
    std::fs::write(&f, text).expect("write");
    Data { tmp, dir }
}

fn run(dir: &Path, now: &str, args: &[&str]) -> (Vec<u8>, String, i32) {
    let out = Command::cargo_bin("tether")
        .expect("binary")
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now])
        .args(args)
        .output()
        .expect("run tether");
    (
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn required() -> bool {
    std::env::var("TETHER_REQUIRE_E2E").is_ok_and(|v| v == "1")
}

fn skip(why: &str) {
    assert!(!required(), "TETHER_REQUIRE_E2E=1 but {why}");
    println!("SKIPPED: {why}");
}

/// Export to `out` and return the bytes, checking the shape RFC 5545 asks for.
fn export(d: &Data, now: &str, kind: &str, name: &str) -> (PathBuf, String) {
    let path = d.tmp.path().join(name);
    let out = path.to_str().expect("utf-8 path");
    let (stdout, err, code) = run(&d.dir, now, &["export", "ics", "--as", kind, "--out", out]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    assert!(err.contains("wrote 14 item(s)"), "{err}");
    let text = std::fs::read_to_string(&path).expect("read ics");
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for (i, line) in text.split("\r\n").enumerate() {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in line {i}"
        );
        assert!(
            line.len() <= 75,
            "line {i} has {} octets: {line}",
            line.len()
        );
    }
    (path, text)
}

#[test]
fn the_calendar_is_well_formed_and_stable() {
    let d = setup();
    let (_, a) = export(&d, NOW, "events", "a.ics");
    // Standard output gets the same calendar.
    let (stdout, _, code) = run(&d.dir, NOW, &["export", "ics"]);
    assert_eq!(code, 0);
    assert_eq!(String::from_utf8(stdout).expect("utf-8"), a);
    // A day later the UIDs are the same (an app that matches items by UID can update them;
    // calcurse does not, see below), only DTSTAMP moved.
    let (_, b) = export(&d, "2026-11-26T09:30:00+10:00", "events", "b.ics");
    let uids = |t: &str| -> Vec<String> {
        t.split("\r\n")
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(uids(&a), uids(&b));
    assert_eq!(uids(&a).iter().collect::<BTreeSet<_>>().len(), 14);
    assert!(a.contains("UID:deadline-d-7f3a2c@tether\r\n"));
    assert!(a.contains("DTSTAMP:20261124T233000Z\r\n"));
    assert!(b.contains("DTSTAMP:20261125T233000Z\r\n"));
    // Escaped, then folded (a fold may fall anywhere, even inside an escape).
    let unfolded = a.replace("\r\n ", "");
    assert!(
        unfolded.contains("SUMMARY:Quote\\, v2\\; see C:\\\\docs\\\\q.pdf then 見積書"),
        "{unfolded}"
    );
    assert!(
        unfolded.contains("DESCRIPTION:Quote\\, v2\\; see C:\\\\docs\\\\q.pdf\\nthen 見積書"),
        "{unfolded}"
    );
    // Done deadlines and undated or closed follow-ups are not in it.
    for absent in [
        "rice cookers",
        "Book the December visit",
        "Thank-you note",
        "Invoice for October",
    ] {
        assert!(!unfolded.contains(absent), "{absent}");
    }
}

/// `--out` goes through the store's one atomic write: an existing calendar keeps its
/// permissions (a private 0600 file stays private) and no temporary file is left beside it.
#[cfg(unix)]
#[test]
fn exporting_over_a_calendar_keeps_its_permissions_and_leaves_no_temp_file() {
    use std::os::unix::fs::PermissionsExt;
    let d = setup();
    let path = d.tmp.path().join("private.ics");
    std::fs::write(&path, "old").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (_, text) = export(&d, NOW, "events", "private.ics");
    assert_ne!(text, "old");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let temps: Vec<_> = std::fs::read_dir(d.tmp.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn python_icalendar_reads_what_tether_meant() {
    let d = setup();
    let mut checked = 0;
    for kind in ["events", "todos"] {
        let (path, _) = export(&d, NOW, kind, &format!("{kind}.ics"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics_check.py");
        let out = match std::process::Command::new("python3")
            .arg(&script)
            .arg(&path)
            .output()
        {
            Ok(o) => o,
            Err(e) => return skip(&format!("python3 is not available ({e})")),
        };
        if out.status.code() == Some(3) {
            return skip("Python's icalendar package is not installed (pip install icalendar)");
        }
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["problems"], Value::Array(vec![]), "{v}");
        assert_eq!(v["version"], "2.0");
        let items = v["items"].as_array().expect("items");
        assert_eq!(items.len(), 14);
        let want_kind = if kind == "events" { "VEVENT" } else { "VTODO" };
        let by_summary = |s: &str| -> &Value {
            items
                .iter()
                .find(|i| i["summary"].as_str().is_some_and(|x| x.starts_with(s)))
                .unwrap_or_else(|| panic!("no item {s:?} in {v}"))
        };
        for i in items {
            assert_eq!(i["kind"], want_kind);
            assert!(i["uid"].as_str().is_some_and(|u| u.ends_with("@tether")));
            assert_eq!(i["dtstamp"], "2026-11-24T23:30:00+00:00");
        }
        // Q3 survey: 09:00 in Tokyo on Fri 27 Nov = 00:00 UTC.
        let q3 = by_summary("Due: Q3 market survey report");
        assert_eq!(q3["when"], "2026-11-27T00:00:00+00:00");
        assert_eq!(q3["uid"], "deadline-d-7f3a2c@tether");
        assert_eq!(q3["categories"], serde_json::json!(["DEADLINE"]));
        assert!(
            q3["description"]
                .as_str()
                .is_some_and(|s| s.contains("Due Fri 27 Nov 09:00 JST = Fri 27 Nov 10:00 AEST\n")),
            "{q3}"
        );
        // A date-only deadline is the end of the client's business day: 19:00 in Bengaluru.
        assert_eq!(
            by_summary("Due: Migration runbook review")["when"],
            "2026-12-02T13:30:00+00:00"
        );
        // A follow-up due on a day is an all-day item.
        let quote = by_summary("Send revised quote for the Q1 survey");
        assert_eq!(quote["when"], "2026-11-24");
        if kind == "events" {
            assert_eq!(quote["end"], "2026-11-25");
        }
        assert!(by_summary("Chase: Signed change request")["when"] == "2026-11-26");
        // Escaped text comes back exactly.
        let tricky = by_summary("Quote, v2");
        // The summary is one line; the description has the text as written.
        let one_line = TRICKY.replace('\n', " ");
        assert_eq!(tricky["summary"], format!("{one_line} (Kanda Trading KK)"));
        assert!(
            tricky["description"]
                .as_str()
                .is_some_and(|s| s.starts_with(&format!("{TRICKY}\n"))),
            "{tricky}"
        );
        assert_eq!(tricky["when"], "2026-11-27T08:00:00+00:00");
        // Hand-written, no id: a wall-clock time in your zone, a UID from the line's text.
        let hand = by_summary("Hand-written, no id");
        assert_eq!(hand["when"], "2026-12-03T00:00:00+00:00");
        assert!(
            hand["uid"]
                .as_str()
                .is_some_and(|u| u.starts_with("followup-line-")),
            "{hand}"
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
}

fn calcurse(data: &Path, tz: &str, args: &[&str]) -> Option<std::process::Output> {
    std::process::Command::new("calcurse")
        .env("TZ", tz)
        .env("HOME", data)
        .arg("-D")
        .arg(data)
        .args(args)
        .output()
        .ok()
}

#[test]
fn calcurse_imports_events_and_todos() {
    let d = setup();
    let (events, _) = export(&d, NOW, "events", "events.ics");
    let (todos, _) = export(&d, NOW, "todos", "todos.ics");
    let cal = d.tmp.path().join("calcurse");
    std::fs::create_dir(&cal).expect("mkdir");
    let Some(out) = calcurse(&cal, "Asia/Tokyo", &["-i", events.to_str().expect("path")]) else {
        return skip("calcurse is not installed (apt-get install calcurse)");
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Timed items are appointments, day-long follow-ups are events, nothing skipped.
    assert!(
        report.contains("9 apps / 5 events / 0 todos / 0 skipped"),
        "{report}"
    );

    // Read back in Tokyo time: the survey at 09:00 on Friday, as written in deadlines.jsonl.
    let out = calcurse(
        &cal,
        "Asia/Tokyo",
        &["-Q", "--from", "11/27/2026", "--days", "1"],
    )
    .expect("calcurse");
    let day = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        day.contains(" - 09:00 -> 09:00\n\tDue: Q3 market survey report (Kanda Trading KK)"),
        "{day}"
    );
    assert!(
        day.contains(" * Share draft runbook comments (Priya, InfoSol Systems)"),
        "{day}"
    );
    assert!(
        day.contains("Quote, v2; see C:\\docs\\q.pdf then 見積書"),
        "{day}"
    );

    let cal = d.tmp.path().join("calcurse-todo");
    std::fs::create_dir(&cal).expect("mkdir");
    let out =
        calcurse(&cal, "Asia/Tokyo", &["-i", todos.to_str().expect("path")]).expect("calcurse");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("0 apps / 0 events / 14 todos / 0 skipped"),
        "{report}"
    );
    let out = calcurse(&cal, "Asia/Tokyo", &["-t"]).expect("calcurse");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("Due: Q3 market survey report (Kanda Trading KK)"),
        "{list}"
    );
    assert!(
        list.contains("Chase: Feedback on rice cooker comparison"),
        "{list}"
    );
}

/// What the README says of importing again: calcurse does not match items by UID, so each
/// `calcurse -i` of the calendar adds every item again (and an item moved in tether is then in
/// calcurse at its old time and its new one). The UIDs stay the same from one export to the
/// next (above); what an importer does with them is the importer's.
#[test]
fn calcurse_adds_every_item_again_on_each_import() {
    let d = setup();
    let (first, _) = export(&d, NOW, "events", "first.ics");
    let cal = d.tmp.path().join("calcurse-twice");
    std::fs::create_dir(&cal).expect("mkdir");
    let import = |ics: &Path| {
        let Some(out) = calcurse(&cal, "Asia/Tokyo", &["-i", ics.to_str().expect("path")]) else {
            return false;
        };
        assert!(out.status.success(), "{out:?}");
        true
    };
    if !import(&first) {
        return skip("calcurse is not installed (apt-get install calcurse)");
    }
    let survey = |cal: &Path| {
        let out = calcurse(
            cal,
            "Asia/Tokyo",
            &["-Q", "--from", "11/27/2026", "--days", "7"],
        )
        .expect("calcurse");
        String::from_utf8_lossy(&out.stdout)
            .matches("Due: Q3 market survey report")
            .count()
    };
    assert_eq!(survey(&cal), 1);
    // The same calendar again: the survey twice.
    assert!(import(&first));
    assert_eq!(survey(&cal), 2);
    // The survey moved a day later in tether, exported and imported: the old ones stay.
    let f = d.dir.join("deadlines.jsonl");
    let text = std::fs::read_to_string(&f).expect("read");
    let moved = text.replace("\"2026-11-27T09:00\"", "\"2026-11-28T09:00\"");
    assert_ne!(moved, text, "the survey's due is not as expected");
    std::fs::write(&f, moved).expect("write");
    let (second, _) = export(&d, NOW, "events", "second.ics");
    assert!(import(&second));
    let on = |day: &str| {
        let out =
            calcurse(&cal, "Asia/Tokyo", &["-Q", "--from", day, "--days", "1"]).expect("calcurse");
        String::from_utf8_lossy(&out.stdout)
            .matches("Due: Q3 market survey report")
            .count()
    };
    assert_eq!((on("11/27/2026"), on("11/28/2026")), (2, 1));
    // And the README says so, not that a re-import updates the items.
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!readme.contains("re-imports update the same items"));
    assert!(
        readme.contains("calcurse (`calcurse -i`) adds every item again on each import"),
        "README.md does not say what calcurse does on a re-import"
    );
}
