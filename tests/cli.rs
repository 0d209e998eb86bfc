//! The binary's subcommands, run for real on the shipped example and on a directory with one of
//! each kind of mistake.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use std::path::PathBuf;

const NOW: &str = "2026-11-25T09:30:00+10:00";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tether() -> Command {
    let mut c = Command::cargo_bin("tether").expect("binary");
    c.env_remove("TETHER_DIR").env("NO_COLOR", "1");
    c
}

fn stdout(c: &mut Command) -> (String, String, i32) {
    let out = c.output().expect("run tether");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_on_the_example_reports_nothing() {
    let (out, err, code) = stdout(
        tether()
            .arg("check")
            .arg("--data-dir")
            .arg(root().join("config/example")),
    );
    assert_eq!(out, "");
    assert!(err.contains("no problems"), "{err}");
    assert_eq!(code, 0);
}

#[test]
fn check_reports_each_mistake_at_its_line() {
    let dir = root().join("tests/fixtures/mistakes");
    let (out, _, code) = stdout(tether().arg("check").arg("--data-dir").arg(&dir));
    assert_eq!(code, 1);
    let expected = [
        "tether.toml:4:1: warning: unknown key \"zome\" in [me] (did you mean \"zone\"?)",
        "tether.toml:10:8: error: \"zone\": unknown time zone \"America/New_Yrok\"; did you mean \"America/New_York\"?; client \"acme\" is shown marked [zone?], its times in your zone (Europe/London) until the zone is fixed",
        "tether.toml:16:9: error: \"hours\": cannot read clock range \"9 to 6\"",
        "tether.toml:19:6: error: duplicate client id \"kanda\"",
        "deadlines.jsonl:4: error: missing \"due\"",
        "deadlines.jsonl:5: error: duplicate id \"d1\" (first on line 2)",
        "deadlines.jsonl:6: error: \"estimate\": cannot read duration \"a while\"",
        "deadlines.jsonl:7: warning: \"due\": 2026-03-29 01:30 does not exist in Europe/London (daylight-saving gap); using 2026-03-29 02:30",
        "deadlines.jsonl:8:33: error: not valid JSON",
        "deadlines.jsonl:9: error: merge-conflict marker",
        "deadlines.jsonl:10: warning: unknown field \"stauts\" (did you mean \"status\"?)",
        "followups.jsonl:2: error: missing \"what\"",
        "followups.jsonl:3: error: \"status\" is \"finished\"",
        "interactions.jsonl:2: error: \"at\": cannot read time value \"yesterday\"",
    ];
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{out}");
    for (line, want) in lines.iter().zip(expected) {
        assert!(line.starts_with(want), "\n got: {line}\nwant: {want}");
    }
}

#[test]
fn agenda_still_computes_from_the_good_lines() {
    let dir = root().join("tests/fixtures/mistakes");
    let (out, _, code) = stdout(
        tether()
            .args(["agenda", "--now", NOW])
            .arg("--data-dir")
            .arg(&dir),
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("14 problems (11 errors, 3 warnings): run `tether check`"),
        "{out}"
    );
    assert!(out.contains("Good one"));
    // The client whose zone is misspelt is kept, and so is its deadline, marked.
    assert!(
        out.contains("Client with a misspelt zone — Acme [zone?]"),
        "{out}"
    );
    assert!(out.contains("Second good one"));
    assert!(out.contains("Gap time"));
    assert!(out.contains("Good follow-up"));
    assert!(!out.contains("Duplicate id"));
}

#[test]
fn agenda_is_reproducible_with_now() {
    let dir = root().join("config/example");
    let run = || {
        stdout(
            tether()
                .args(["agenda", "--now", NOW])
                .arg("--data-dir")
                .arg(&dir),
        )
        .0
    };
    let a = run();
    assert_eq!(a, run());
    assert!(a.contains("Wed 25 Nov 09:30 AEST"), "{a}");
    // The survey needs 10h; Aiko has 18h 30m of working time before Fri 09:00 JST.
    assert!(
        a.contains("needs 10h, you have 18h 30m of working time"),
        "{a}"
    );
    assert!(a.contains("✗ overdue  FX tracking report"), "{a}");
}

#[test]
fn init_writes_the_example_and_never_overwrites() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    let (out, _, code) = stdout(tether().arg("init").arg(&dir));
    assert_eq!(code, 0, "{out}");
    assert!(dir.join("tether.toml").is_file());
    std::fs::write(dir.join("followups.jsonl"), "{\"what\":\"mine\"}\n").expect("write");
    let (_, err, code) = stdout(tether().arg("init").arg(&dir));
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("followups.jsonl")).expect("read"),
        "{\"what\":\"mine\"}\n"
    );
}

#[test]
fn first_run_creates_the_data_directory_and_says_where() {
    // Only the default location is made on a first run (a directory named by --data-dir or
    // TETHER_DIR that is not there is a typo: tests/cli_output.rs).
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).expect("mkdir");
    let dir = home.join(".local/share/tether");
    let (out, err, code) = stdout(
        tether()
            .args(["agenda", "--now", NOW])
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&dir.display().to_string()), "{err}");
    assert!(out.contains("Kanda Trading KK"));
    assert!(dir.join("interactions.jsonl").is_file());
    // Issue 14: the example is dated from that instant, so day one is not red.
    assert!(
        !out.contains("overdue") && !out.contains("at risk"),
        "{out}"
    );
    assert!(out.contains("due Thu 26 Nov 12:00 JST"), "{out}");
}

/// Issue 14: `tether init` dates the example from now (`--now` reproduces it): its deadlines
/// are tomorrow and next week, never overdue, whatever day it is written.
#[test]
fn init_dates_the_example_from_now() {
    let tmp = tempfile::tempdir().expect("tmp");
    let write = |name: &str, now: &str| {
        let dir = tmp.path().join(name);
        let (out, err, code) = stdout(tether().args(["init", "--now", now]).arg(&dir));
        assert_eq!(code, 0, "{out}{err}");
        let (agenda, err, code) = stdout(
            tether()
                .args(["agenda", "--now", now])
                .arg("--data-dir")
                .arg(&dir),
        );
        assert_eq!(code, 0, "{err}");
        let files: Vec<String> = [
            "tether.toml",
            "deadlines.jsonl",
            "followups.jsonl",
            "interactions.jsonl",
        ]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).expect("read"))
        .collect();
        (agenda, files)
    };
    // A Friday evening before Christmas, a Sunday at a month's end.
    for (i, now) in ["2026-12-18T17:45:00+10:00", "2027-01-31T21:00:00+10:00"]
        .iter()
        .enumerate()
    {
        let (agenda, files) = write(&format!("a{i}"), now);
        assert!(
            !agenda.contains("overdue") && !agenda.contains("at risk"),
            "{agenda}"
        );
        assert_eq!(
            write(&format!("b{i}"), now).1,
            files,
            "the same --now, the same files"
        );
    }
    let (agenda, _) = write("c", "2026-12-18T17:45:00+10:00");
    // Friday: tomorrow is Monday 21st for Tokyo (Sakura's brochure at noon, their time).
    assert!(
        agenda.contains("due Mon 21 Dec 12:00 JST = Mon 21 Dec 13:00 AEST"),
        "{agenda}"
    );
}

/// Issue 14: `tether init --empty` is a blank start: you in your system's zone, no client, no
/// record; like init, it never overwrites a file.
#[test]
fn init_empty_writes_you_in_your_zone_and_nothing_else() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("mine");
    let (out, err, code) = stdout(
        tether()
            .args(["init", "--empty"])
            .arg(&dir)
            .env("TZ", "Asia/Tokyo"),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Your zone is Asia/Tokyo"), "{out}");
    let toml = std::fs::read_to_string(dir.join("tether.toml")).expect("toml");
    assert!(toml.contains("zone = \"Asia/Tokyo\""), "{toml}");
    assert!(!toml.contains("example = true"), "{toml}");
    for f in ["deadlines.jsonl", "followups.jsonl", "interactions.jsonl"] {
        let text = std::fs::read_to_string(dir.join(f)).expect("read");
        assert!(text.lines().all(|l| l.starts_with('#')), "{f}: {text}");
    }
    let (_, err, code) = stdout(tether().arg("check").arg("--data-dir").arg(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no problems"), "{err}");
    let (agenda, _, code) = stdout(
        tether()
            .args(["agenda", "--now", NOW])
            .arg("--data-dir")
            .arg(&dir),
    );
    assert_eq!(code, 0);
    assert!(
        agenda.contains("JST (Asia/Tokyo)") && !agenda.contains("Kanda"),
        "{agenda}"
    );
    // Never over a file: not an example's, not one of yours.
    std::fs::write(dir.join("tether.toml"), "[me]\nzone = \"Europe/Berlin\"\n").expect("write");
    let (_, err, code) = stdout(tether().args(["init", "--empty"]).arg(&dir));
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("tether.toml")).expect("read"),
        "[me]\nzone = \"Europe/Berlin\"\n"
    );
}

#[test]
fn bad_now_is_a_clear_error() {
    let (_, err, code) = stdout(tether().args(["agenda", "--now", "tomorrow"]));
    assert_eq!(code, 2);
    assert!(err.contains("2026-11-25T09:30:00+10:00"), "{err}");
}

#[test]
fn dashboard_without_a_terminal_says_so() {
    let dir = root().join("config/example");
    let (_, err, code) = stdout(tether().arg("--data-dir").arg(&dir));
    assert_eq!(code, 2);
    assert!(err.contains("tether agenda"), "{err}");
}

#[test]
fn agenda_has_a_line_per_retainer_counting_this_periods_time() {
    // The example's nortec has 20h a month from the 15th (São Paulo's calendar).
    let tmp = tempfile::tempdir().expect("tmp");
    for f in std::fs::read_dir(root().join("config/example")).unwrap() {
        let f = f.unwrap().path();
        if !f.is_file() {
            continue;
        }
        std::fs::copy(&f, tmp.path().join(f.file_name().unwrap())).unwrap();
    }
    // 14 Nov is the period before (not counted); 16 Nov's 3h are this period's.
    std::fs::write(
        tmp.path().join("timelog.jsonl"),
        concat!(
            r#"{"id":"t-1","client":"nortec","start":"2026-11-14T10:00:00-03:00","end":"2026-11-14T12:00:00-03:00"}"#,
            "\n",
            r#"{"id":"t-2","client":"nortec","start":"2026-11-16T09:00:00-03:00","end":"2026-11-16T12:00:00-03:00"}"#,
            "\n"
        ),
    )
    .unwrap();
    let (a, err, code) = stdout(
        tether()
            .args(["agenda", "--now", NOW])
            .arg("--data-dir")
            .arg(tmp.path()),
    );
    assert_eq!(code, 0, "{err}");
    // Tue 24 Nov in São Paulo: 6 of the period's 21 working days are gone.
    assert!(
        a.contains(
            "## Retainers\n- Nortec Logística: 3h of 20h used · 15 working days left · behind (5h 42m by now)\n"
        ),
        "{a}"
    );
}
