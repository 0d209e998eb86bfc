//! Quick capture from the shell, run for real on a temporary copy of the shipped example with
//! the clock frozen at Wed 25 Nov 2026 09:30 in Brisbane (08:30 in Tokyo, Tue 20:30 in São
//! Paulo): `tether add followup`, `tether add deadline`, `tether log`. Each good command appends
//! exactly one line that `tether check` accepts and the dashboard's undo takes back; each bad one
//! exits 2 with a message naming what to write instead, and leaves every byte as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tether::store::write::Store;

#[path = "support/data.rs"]
mod data;

use data::{NOW, example};

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("tether")
        .expect("binary")
        .env_remove("TETHER_DIR")
        .env("NO_COLOR", "1")
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

/// Every file under `dir` (the data files and tether's own state), byte for byte.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

fn last_line(dir: &Path, file: &str) -> String {
    let text = std::fs::read_to_string(dir.join(file)).expect("read");
    text.lines().last().unwrap_or_default().to_string()
}

fn check_is_clean(dir: &Path) {
    let (out, err, code) = run(dir, &["check"]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
}

/// The id tether chose, and the line with it replaced by `ID`.
fn without_id(line: &str, prefix: &str) -> (String, String) {
    let start = line.find(&format!("\"{prefix}-")).expect("an id") + 1;
    let end = start + line[start..].find('"').expect("the id's end");
    let id = line[start..end].to_string();
    (id.clone(), line.replace(&id, "ID"))
}

#[test]
fn followup_for_a_client_reads_the_time_in_their_zone() {
    let d = example();
    let before = std::fs::read(d.dir.join("followups.jsonl")).expect("read");
    let (out, err, code) = run(
        &d.dir,
        &[
            "add",
            "followup",
            "Send revised quote",
            "--client",
            "kanda",
            "--due",
            "fri 17:00",
            "--who",
            "Sato-san",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("due Fri 27 Nov 17:00 JST = 18:00 AEST (in 2d 8h)"),
        "{out}"
    );
    assert!(out.contains("added to followups.jsonl:11"), "{out}");
    let (id, line) = without_id(&last_line(&d.dir, "followups.jsonl"), "f");
    assert_eq!(
        line,
        r#"{"id":"ID","client":"kanda","who":"Sato-san","what":"Send revised quote","due":"2026-11-27T17:00:00+09:00","status":"open","created":"2026-11-25T09:30:00+10:00"}"#
    );
    assert!(id.starts_with("f-"));
    check_is_clean(&d.dir);
    let (agenda, _, _) = run(&d.dir, &["agenda"]);
    assert!(
        agenda.contains("Send revised quote (Sato-san, Kanda Trading KK) — due in 2d 8h"),
        "{agenda}"
    );

    // Journalled like the dashboard's own adds: its undo takes the line back, byte for byte.
    let now = chrono::Utc::now();
    let undone = Store::new(&d.dir)
        .undo_last(now)
        .expect("undo")
        .expect("something to undo");
    assert_eq!(undone.change.label, "add: Send revised quote");
    assert_eq!(
        std::fs::read(d.dir.join("followups.jsonl")).expect("read"),
        before
    );
}

#[test]
fn followup_day_words_stay_days_on_your_calendar() {
    let d = example();
    // In São Paulo it is still Tuesday; a follow-up's day is a day in your zone, so "tomorrow"
    // is your Thursday.
    let (out, err, code) = run(
        &d.dir,
        &[
            "add",
            "followup",
            "Signed test plan",
            "--client",
            "nortec",
            "--due",
            "tomorrow",
            "--waiting",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("waiting on: Signed test plan (Nortec Logística)"));
    assert!(
        out.contains("chase Thu 26 Nov 2026 (any time that day, your zone Australia/Brisbane)"),
        "{out}"
    );
    let (_, line) = without_id(&last_line(&d.dir, "followups.jsonl"), "f");
    assert_eq!(
        line,
        r#"{"id":"ID","client":"nortec","what":"Signed test plan","due":"2026-11-26","waiting":true,"status":"open","created":"2026-11-25T09:30:00+10:00"}"#
    );

    for (due, want) in [
        ("next week", "\"due\":\"2026-11-30\""),
        ("in 3d", "\"due\":\"2026-11-28\""),
        ("wed", "\"due\":\"2026-11-25\""),
        ("2026-12-01", "\"due\":\"2026-12-01\""),
        ("in 2h", "\"due\":\"2026-11-25T11:30:00+10:00\""),
        ("tomorrow 9am", "\"due\":\"2026-11-26T09:00:00+10:00\""),
        (
            "2026-12-01T09:00+01:00",
            "\"due\":\"2026-12-01T09:00+01:00\"",
        ),
    ] {
        let (_, err, code) = run(&d.dir, &["add", "followup", due, "--due", due]);
        assert_eq!(code, 0, "{due}: {err}");
        let line = last_line(&d.dir, "followups.jsonl");
        assert!(line.contains(want), "{due}: {line}");
        assert!(!line.contains("client"), "{line}");
    }
    check_is_clean(&d.dir);
}

#[test]
fn followup_without_due_or_client() {
    let d = example();
    let (out, err, code) = run(&d.dir, &["add", "followup", "Renew the domain"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no due date"), "{out}");
    let (_, line) = without_id(&last_line(&d.dir, "followups.jsonl"), "f");
    assert_eq!(
        line,
        r#"{"id":"ID","what":"Renew the domain","status":"open","created":"2026-11-25T09:30:00+10:00"}"#
    );
}

#[test]
fn deadline_day_is_the_end_of_their_business_day() {
    let d = example();
    let (out, err, code) = run(
        &d.dir,
        &[
            "add",
            "deadline",
            "Q4 market survey",
            "--client",
            "kanda",
            "--due",
            "fri",
            "--estimate",
            "6h",
            "--spent",
            "1h30m",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("due Fri 27 Nov 18:00 JST, the end of their business day = 19:00 AEST"),
        "{out}"
    );
    assert!(out.contains("needs 4h 30m"), "{out}");
    assert!(out.contains("added to deadlines.jsonl:9"), "{out}");
    let (_, line) = without_id(&last_line(&d.dir, "deadlines.jsonl"), "d");
    assert_eq!(
        line,
        r#"{"id":"ID","client":"kanda","title":"Q4 market survey","due":"2026-11-27","estimate":"6h","spent":"1h30m","status":"open"}"#
    );
    check_is_clean(&d.dir);
    let (agenda, _, _) = run(&d.dir, &["agenda"]);
    assert!(
        agenda.contains("Q4 market survey — Kanda Trading KK\n    due Fri 27 Nov 18:00 JST"),
        "{agenda}"
    );
}

#[test]
fn deadline_time_in_the_clients_zone_across_midnight() {
    let d = example();
    let (out, err, code) = run(
        &d.dir,
        &[
            "add",
            "deadline",
            "Failover test report",
            "--client",
            "nortec",
            "--due",
            "in 3d 17:00",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // Tue 24 + 3 days in São Paulo = Fri 27, 17:00 -03 = Sat 28 06:00 in Brisbane.
    assert!(
        out.contains("due Fri 27 Nov 17:00 -03 = Sat 28 Nov 06:00 AEST"),
        "{out}"
    );
    let line = last_line(&d.dir, "deadlines.jsonl");
    assert!(
        line.contains("\"due\":\"2026-11-27T17:00:00-03:00\""),
        "{line}"
    );
}

#[test]
fn log_a_contact_now_or_at_a_time() {
    let d = example();
    let (out, err, code) = run(
        &d.dir,
        &[
            "log",
            "kanda",
            "call",
            "Discussed Q4 scope",
            "--who",
            "Sato-san",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("call with Kanda Trading KK (Sato-san)"),
        "{out}"
    );
    assert!(
        out.contains("at Wed 25 Nov 09:30 AEST = 08:30 JST"),
        "{out}"
    );
    assert_eq!(
        last_line(&d.dir, "interactions.jsonl"),
        r#"{"at":"2026-11-25T09:30:00+10:00","client":"kanda","kind":"call","who":"Sato-san","note":"Discussed Q4 scope"}"#
    );

    let (out, err, code) = run(
        &d.dir,
        &["log", "brandt", "Video", "--at", "yesterday 16:00"],
    );
    assert_eq!(code, 0, "{err}");
    // Yesterday in Stuttgart (where it is Wed 00:30) is Tuesday.
    assert!(
        out.contains("at Wed 25 Nov 01:00 AEST = Tue 24 Nov 16:00 CET"),
        "{out}"
    );
    assert_eq!(
        last_line(&d.dir, "interactions.jsonl"),
        r#"{"at":"2026-11-24T16:00:00+01:00","client":"brandt","kind":"video"}"#
    );

    // A kind that is not weighed is allowed (it weighs 1), with a hint at a likely typo.
    let (out, _, code) = run(&d.dir, &["log", "sakura", "cal"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\"cal\" is not in [heat.weights], so it weighs 1 (did you mean \"call\"?)"),
        "{out}"
    );
    check_is_clean(&d.dir);
    let (agenda, _, _) = run(&d.dir, &["agenda"]);
    assert!(
        agenda.contains("Brandt Maschinenbau GmbH   contact 0d/14d"),
        "{agenda}"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let d = example();
    let before = snapshot(&d.dir);
    let (out, err, code) = run(
        &d.dir,
        &[
            "add",
            "deadline",
            "Plan",
            "--due",
            "tomorrow 17:00",
            "--dry-run",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would add to deadlines.jsonl:"), "{out}");
    assert!(
        out.contains("\"due\":\"2026-11-26T17:00:00+10:00\""),
        "{out}"
    );
    let (out, _, code) = run(&d.dir, &["log", "kanda", "visit", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(out.contains("would add to interactions.jsonl:"), "{out}");
    assert_eq!(snapshot(&d.dir), before);
}

#[test]
fn mistakes_exit_2_name_what_to_write_and_change_nothing() {
    let d = example();
    let before = snapshot(&d.dir);
    let cases: &[(&[&str], &str)] = &[
        (
            &["add", "followup", "x", "--client", "kando"],
            "unknown client \"kando\": did you mean \"kanda\"? the client ids in tether.toml are kanda, sakura, infosol, brandt, nortec",
        ),
        (
            &["add", "deadline", "x", "--client", "acme", "--due", "fri"],
            "unknown client \"acme\": the client ids in tether.toml are kanda",
        ),
        (&["log", "nobody", "call"], "unknown client \"nobody\""),
        (
            &["add", "followup", "x", "--due", "someday"],
            "cannot read the date \"someday\": write 2026-11-27, \"2026-11-27 17:00\"",
        ),
        (
            &["add", "deadline", "x", "--due", "fri 25:00"],
            "cannot read the time \"25:00\" in \"fri 25:00\": write it as 17:00, 9:30, 9am or 5:30pm",
        ),
        (
            &["add", "deadline", "x", "--due", "next fri"],
            "\"next fri\" is ambiguous: write fri (the coming one) or a date",
        ),
        (
            &["add", "deadline", "x", "--due", "2026-02-30"],
            "cannot read the date \"2026-02-30\"",
        ),
        (
            &[
                "add",
                "deadline",
                "x",
                "--due",
                "fri",
                "--estimate",
                "6 hours",
            ],
            "--estimate: cannot read duration \"6 hours\": use forms like 90m, 6h",
        ),
        (
            &["add", "followup", "  "],
            "what you owe them is empty; write it in quotes",
        ),
        (
            &["log", "kanda", "call", "--at", "last tuesday"],
            "cannot read the date \"last tuesday\"",
        ),
        // clap's own errors: a missing --due, an unknown kind of record.
        (&["add", "deadline", "x"], "--due <WHEN>"),
        (&["add", "meeting", "x"], "unrecognized subcommand"),
    ];
    for (args, want) in cases {
        let (out, err, code) = run(&d.dir, args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(want), "{args:?}\n got: {err}\nwant: {want}");
        assert_eq!(out, "", "{args:?}");
        assert_eq!(snapshot(&d.dir), before, "{args:?} changed a file");
    }
}

#[test]
fn no_data_directory_is_an_error_not_a_new_one() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("nothing-here");
    for args in [
        &["add", "followup", "x"][..],
        &["log", "kanda", "call"],
        &["status"],
        &["export", "ics"],
    ] {
        let (_, err, code) = run(&dir, args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("run `tether init"), "{args:?}: {err}");
        assert!(!dir.exists(), "{args:?} created the directory");
    }
}

#[test]
fn a_broken_tether_toml_is_named_when_a_client_is_unknown() {
    let d = example();
    let toml = d.dir.join("tether.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    // A hand edit gone wrong: a misspelt key, so the client has no zone and does not load (a
    // misspelt zone keeps it: tests/unknown_zone.rs).
    let broken = text.replacen(
        "id = \"sakura\"\nname = \"Sakura Research\"\nzone = \"Asia/Tokyo\"",
        "id = \"sakura\"\nname = \"Sakura Research\"\nzome = \"Asia/Tokyo\"",
        1,
    );
    assert_ne!(broken, text);
    std::fs::write(&toml, broken).expect("write");
    let (_, err, code) = run(&d.dir, &["add", "followup", "x", "--client", "sakura"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tether.toml has errors, see `tether check`"),
        "{err}"
    );
}

/// `add` no longer reads the records, so the new id is checked against the file itself: an id
/// already there (a line another machine synced in with the very id this add would make) gives
/// a new one, and both lines stay.
#[test]
fn a_new_id_already_in_the_file_is_made_again() {
    let d = example();
    let args = ["add", "deadline", "Renew the domain", "--due", "2026-12-01"];
    let mut dry: Vec<&str> = args.to_vec();
    dry.push("--dry-run");
    let (out, err, code) = run(&d.dir, &dry);
    assert_eq!(code, 0, "{out}{err}");
    let line = out
        .lines()
        .skip_while(|l| !l.starts_with("would add to deadlines.jsonl"))
        .nth(1)
        .expect("the line it would add")
        .trim()
        .to_string();
    let id = serde_json::from_str::<serde_json::Value>(&line).expect("json")["id"]
        .as_str()
        .expect("an id")
        .to_string();
    // The same add, at the same instant, made again: the same id.
    let (again, _, _) = run(&d.dir, &dry);
    assert!(again.contains(&id), "{again}");
    // That line arrives first (by sync); the add must not write a second line of that id.
    let path = d.dir.join("deadlines.jsonl");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str(&line);
    text.push('\n');
    std::fs::write(&path, &text).expect("write");
    let (out, err, code) = run(&d.dir, &args);
    assert_eq!(code, 0, "{out}{err}");
    let after = std::fs::read_to_string(&path).expect("read");
    let ids: Vec<String> = after
        .lines()
        .filter(|l| l.contains("Renew the domain"))
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2, "{after}");
    assert_ne!(ids[0], ids[1]);
}
