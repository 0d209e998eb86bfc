//! `tether status` (the tmux line), `tether completions`, `tether man`, and what `tether check`
//! says about the leftovers of a sync conflict (docs/sync.md), run for real on temporary copies
//! of the shipped example with the clock frozen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use std::path::{Path, PathBuf};

#[path = "support/data.rs"]
mod data;

use data::{NOW, example};

fn tether() -> Command {
    let mut c = Command::cargo_bin("tether").expect("binary");
    c.env_remove("TETHER_DIR")
        .env_remove("TETHER_STATUS_FORMAT")
        .env("NO_COLOR", "1");
    c
}

fn output(c: &mut Command) -> (String, String, i32) {
    let out = c.output().expect("run tether");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn run(dir: &Path, now: &str, args: &[&str]) -> (String, String, i32) {
    output(
        tether()
            .arg("--data-dir")
            .arg(dir)
            .args(["--now", now])
            .args(args),
    )
}

#[test]
fn default_line_says_what_matters() {
    let d = example();
    let (out, err, code) = run(&d.dir, NOW, &["status"]);
    assert_eq!(code, 0, "{err}");
    // FX report overdue; brochure and survey tight; one follow-up overdue, one due today.
    assert_eq!(
        out,
        "⚠ 1 overdue · 2 tight · 2 due · Tokyo (kanda) opens 30m\n"
    );
}

#[test]
fn every_placeholder() {
    let d = example();
    let format = "{overdue}|{at_risk}|{tight}|{due}|{waiting}|{next_open}|{open_now}|{next_deadline}|{problems}|{time}";
    let (out, err, code) = run(&d.dir, NOW, &["status", "--format", format]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "1|0|2|2|0|Tokyo (kanda) opens 30m||Translate competitor br… in 1d 3h|0|09:30\n"
    );
    // Thu 26 Nov 12:00 in Brisbane (11:00 in Tokyo, 07:30 in Bengaluru): the brochure (due in
    // 1h, 5h of work left) and the survey no longer fit, the uptime report is tight, and the
    // chase of Nortec's signed change request is due today.
    let (out, _, _) = run(
        &d.dir,
        "2026-11-26T12:00:00+10:00",
        &["status", "-f", format],
    );
    assert_eq!(
        out,
        "1|2|1|2|1|Bengaluru opens 2h 30m|Tokyo (kanda), Tokyo (sakura)|Translate competitor br… in 1h|0|12:00\n"
    );
}

#[test]
fn optional_parts_and_the_environment() {
    let d = example();
    let f = "{overdue:#[fg=red]⚠ {}#[default] · }{at_risk:{} at risk · }{open_now:open: {} · }{next_open}";
    let (out, _, code) = run(&d.dir, NOW, &["status", "-f", f]);
    assert_eq!(code, 0);
    assert_eq!(out, "#[fg=red]⚠ 1#[default] · Tokyo (kanda) opens 30m\n");
    let (out, _, code) = output(
        tether()
            .arg("--data-dir")
            .arg(&d.dir)
            .args(["--now", NOW, "status"])
            .env("TETHER_STATUS_FORMAT", "{due} due at {time}"),
    );
    assert_eq!((out.as_str(), code), ("2 due at 09:30\n", 0));
}

#[test]
fn a_bad_format_says_what_to_write() {
    let d = example();
    for (f, want) in [
        (
            "{nope}",
            "unknown placeholder {nope}; use {summary}, {overdue}",
        ),
        ("{due", "an unclosed { in \"{due\": write {{ for a brace"),
        ("{}", "{} stands for the value only inside {name:TEXT}"),
    ] {
        let (out, err, code) = run(&d.dir, NOW, &["status", "-f", f]);
        assert_eq!((out.as_str(), code), ("", 2), "{f}");
        assert!(err.contains(want), "{f}: {err}");
    }
}

#[test]
fn all_clear_is_a_tick() {
    let d = example();
    for f in ["deadlines.jsonl", "followups.jsonl"] {
        std::fs::write(d.dir.join(f), "").expect("empty");
    }
    // Sat 28 Nov, 16:00 in Brisbane: only InfoSol (Mon-Sat) is open; kanda (Tokyo) opens first on
    // Monday at 09:00 JST = 10:00 AEST.
    let sat = "2026-11-28T16:00:00+10:00";
    let (out, _, _) = run(&d.dir, sat, &["status"]);
    assert_eq!(out, "Tokyo (kanda) opens 1d 18h\n");
    let (out, _, _) = run(&d.dir, sat, &["status", "-f", "{open_now}"]);
    assert_eq!(out, "Bengaluru\n");
    std::fs::write(
        d.dir.join("tether.toml"),
        "[me]\nzone = \"Australia/Brisbane\"\n",
    )
    .expect("write");
    // Without its clients the contact log names unknown ones: problems, as `check` says.
    std::fs::write(d.dir.join("interactions.jsonl"), "").expect("empty");
    let (out, _, _) = run(&d.dir, NOW, &["status"]);
    assert_eq!(out, "✓\n");
}

/// Below `READ_WHOLE_BELOW` (8 MiB of record files) `status` reads the contact log too, so its
/// count is `check`'s (tests/units_and_counts.rs has the big directory, where it does not).
#[test]
fn on_a_small_directory_the_contact_log_counts_as_in_check() {
    let d = example();
    // A folder where the log should be: a problem `check` reports, and now `status` too.
    let log = d.dir.join("interactions.jsonl");
    std::fs::remove_file(&log).expect("rm");
    std::fs::create_dir(&log).expect("mkdir");
    let (out, err, code) = run(&d.dir, NOW, &["status", "-f", "{problems}"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "1\n");
    let (out, err, code) = run(&d.dir, NOW, &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("interactions.jsonl"), "{out}");
    assert!(err.contains(": 1 problem (1 error)"), "{err}");
}

#[test]
fn problems_in_the_files_it_reads_are_counted() {
    let d = example();
    let f = d.dir.join("followups.jsonl");
    let mut text = std::fs::read_to_string(&f).expect("read");
    text.push_str("not json\n");
    std::fs::write(&f, text).expect("write");
    let (out, _, code) = run(&d.dir, NOW, &["status"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "⚠ 1 overdue · 2 tight · 2 due · 1 problem · Tokyo (kanda) opens 30m\n"
    );
}

#[test]
fn completions_and_man_page() {
    // Each shell's registration calls tether back (tests/completions.rs runs it in bash).
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (out, err, code) = output(tether().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            out.contains("COMPLETE") && out.contains("tether"),
            "{shell}: {out}"
        );
    }
    // What tether answers when called back: the commands and options.
    for (words, want) in [
        (&["tether", "st"][..], &["status"][..]),
        (&["tether", "add", ""], &["followup", "deadline"]),
        (&["tether", "export", "ics", "--a"], &["--as"]),
        (
            &["tether", "add", "deadline", "x", "--d"],
            &["--due", "--dry-run"],
        ),
    ] {
        let (out, err, code) = output(
            tether()
                .env("COMPLETE", "bash")
                .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
                .arg("--")
                .args(words),
        );
        assert_eq!(code, 0, "{err}");
        for w in want {
            assert!(
                out.lines().any(|l| l == *w),
                "{words:?}: {w} not in {out:?}"
            );
        }
    }
    let (_, err, code) = output(tether().args(["completions", "tcsh"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{err}"
    );

    let (out, err, code) = output(tether().arg("man"));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(".ie \\n(.g .ds Aq") || out.contains(".TH tether 1"),
        "{out}"
    );
    assert!(out.contains(".TH tether 1"), "{out}");
    for word in ["status", "add", "log", "export", "completions"] {
        assert!(out.contains(word), "man page lacks {word}");
    }
    // Neither needs a data directory, nor creates one.
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("none");
    let (_, _, code) = output(tether().arg("man").env("TETHER_DIR", &dir));
    assert_eq!(code, 0);
    let (_, _, code) = output(
        tether()
            .env("TETHER_DIR", &dir)
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", "2")
            .args(["--", "tether", "log", ""]),
    );
    assert_eq!(code, 0);
    assert!(!dir.exists());
}

// --- After a sync (docs/sync.md): what a conflict leaves behind is named at its line. ---

#[test]
fn check_names_duplicate_ids_and_merge_markers_in_jsonl() {
    let d = example();
    let f = d.dir.join("followups.jsonl");
    let text = std::fs::read_to_string(&f).expect("read");
    let first = text.lines().nth(1).expect("a record").to_string();
    // The same record edited on two machines, merged by git with a conflict.
    let conflict = format!(
        "<<<<<<< HEAD\n{first}\n=======\n{}\n>>>>>>> laptop\n",
        first.replace("\"status\":\"open\"", "\"status\":\"done\"")
    );
    std::fs::write(&f, format!("{text}{conflict}")).expect("write");
    let (out, _, code) = run(&d.dir, NOW, &["check"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    let marker = "error: merge-conflict marker: keep the side you want, delete the marker lines";
    let duplicate = "error: duplicate id \"f-19c2aa\" (first on line 2)";
    let want = [
        format!("followups.jsonl:11: {marker}"),
        format!("followups.jsonl:12: {duplicate}"),
        format!("followups.jsonl:13: {marker}"),
        format!("followups.jsonl:14: {duplicate}"),
        format!("followups.jsonl:15: {marker}"),
    ];
    assert_eq!(lines.len(), want.len(), "{out}");
    for (got, want) in lines.iter().zip(&want) {
        assert!(
            got.starts_with(want.as_str()),
            "\n got: {got}\nwant: {want}"
        );
    }
    // The status line still works, and says there is something to fix.
    let (out, _, _) = run(&d.dir, NOW, &["status"]);
    assert!(out.contains("5 problems"), "{out}");
}

#[test]
fn check_names_merge_markers_in_tether_toml() {
    let d = example();
    let toml = d.dir.join("tether.toml");
    let text = std::fs::read_to_string(&toml).expect("read");
    let sakura = "[[clients]]\nid = \"sakura\"";
    let at = text.find(sakura).expect("sakura");
    let marker_line = text[..at].lines().count() + 1;
    let conflicted = format!(
        "{}<<<<<<< HEAD\n{}=======\n[[clients]]\nid = \"sakura\"\nname = \"Sakura\"\nzone = \"Asia/Tokyo\"\n>>>>>>> laptop\n",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&toml, conflicted).expect("write");
    let (out, _, code) = run(&d.dir, NOW, &["check"]);
    assert_eq!(code, 1);
    let first = out.lines().next().unwrap_or_default();
    // The first problem is at the first marker line, and names it for what it is.
    assert!(
        first.starts_with(&format!("tether.toml:{marker_line}:1: error: ")),
        "{out}"
    );
    assert!(first.contains("merge-conflict marker"), "{out}");
}

/// Two machines sharing the data directory through git, as docs/sync.md sets it up.
struct Machines {
    _tmp: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
}

fn git(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=tether",
            "-c",
            "user.email=tether@example.invalid",
        ])
        .args(["-c", "init.defaultBranch=main", "-c", "pull.rebase=false"])
        .args(args)
        .output()
        .ok()
}

fn ok(out: Option<std::process::Output>) -> String {
    let out = out.expect("git");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn machines() -> Option<Machines> {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    tether::store::example::write_example(&a).expect("example");
    git(&a, &["init", "-q"])?;
    std::fs::write(a.join(".gitignore"), ".tether/\n.*.tether-tmp-*\n").expect("write");
    std::fs::write(a.join(".gitattributes"), "interactions.jsonl merge=union\n").expect("write");
    ok(git(&a, &["add", "-A"]));
    ok(git(&a, &["commit", "-q", "-m", "data"]));
    let b = tmp.path().join("b");
    ok(git(tmp.path(), &["clone", "-q", "a", "b"]));
    Some(Machines { _tmp: tmp, a, b })
}

#[test]
fn git_sync_conflicts_are_named_and_contact_logs_merge() {
    let Some(m) = machines() else {
        println!("SKIPPED: git is not installed");
        return;
    };
    // Both machines log a contact and edit the same follow-up differently.
    for (dir, note, done) in [
        (&m.a, "from a", "2026-11-25"),
        (&m.b, "from b", "2026-11-26"),
    ] {
        let (_, err, code) = run(dir, NOW, &["log", "kanda", "call", note]);
        assert_eq!(code, 0, "{err}");
        let f = dir.join("followups.jsonl");
        let text = std::fs::read_to_string(&f).expect("read");
        std::fs::write(
            &f,
            text.replace("\"due\":\"2026-11-24\"", &format!("\"due\":\"{done}\"")),
        )
        .expect("write");
        ok(git(dir, &["commit", "-q", "-am", note]));
    }
    // The pull stops at the conflict in the follow-ups, which is the point.
    let pull = git(&m.b, &["pull", "-q", "origin", "main"]).expect("git");
    let said = String::from_utf8_lossy(&pull.stdout);
    assert!(
        said.contains("CONFLICT (content): Merge conflict in followups.jsonl"),
        "{said}{}",
        String::from_utf8_lossy(&pull.stderr)
    );
    assert!(
        !said.contains("Merge conflict in interactions.jsonl"),
        "{said}"
    );
    // The contact log merged as a union: both calls, no markers.
    let log = std::fs::read_to_string(m.b.join("interactions.jsonl")).expect("read");
    assert!(
        log.contains("\"note\":\"from a\"") && log.contains("\"note\":\"from b\""),
        "{log}"
    );
    assert!(!log.contains("<<<<<<<"), "{log}");
    // The follow-up conflicted: check names the markers and the duplicate id at their lines.
    let (out, _, code) = run(&m.b, NOW, &["check"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with("followups.jsonl:2: error: merge-conflict marker"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("followups.jsonl:4: error: merge-conflict marker"),
        "{out}"
    );
    assert!(
        lines[2]
            .starts_with("followups.jsonl:5: error: duplicate id \"f-19c2aa\" (first on line 3)"),
        "{out}"
    );
    assert!(
        lines[3].starts_with("followups.jsonl:6: error: merge-conflict marker"),
        "{out}"
    );
    // Keeping one side and deleting the marker lines makes it clean again.
    let f = m.b.join("followups.jsonl");
    let text = std::fs::read_to_string(&f).expect("read");
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            !l.starts_with("<<<<<<<") && !l.starts_with("=======") && !l.starts_with(">>>>>>>")
        })
        .filter(|l| !l.contains("\"due\":\"2026-11-25\""))
        .collect();
    std::fs::write(&f, format!("{}\n", kept.join("\n"))).expect("write");
    let (out, err, code) = run(&m.b, NOW, &["check"]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
}

#[test]
fn a_clients_closure_ahead_is_in_the_line() {
    let d = example();
    let toml = d.dir.join("tether.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let text = text.replacen(
        "id = \"kanda\"\n",
        "id = \"kanda\"\ncountry = \"JP\"\nclosures = [\"08-13..08-16\"]\n",
        1,
    );
    std::fs::write(&toml, text).unwrap();
    // Mon 19 Apr 2027, 08:30 in Tokyo: Showa Day (Thu 29 Apr) is the next closure.
    let (out, err, code) = run(
        &d.dir,
        "2027-04-19T09:30:00+10:00",
        &["status", "-f", "{closed}"],
    );
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "Showa Day in Tokyo (kanda): closed 29 Apr, in 10 days\n"
    );
    // Fri 30 Apr: Golden Week, weekend included, at the end of the default line.
    let (out, _, _) = run(&d.dir, "2027-04-30T09:30:00+10:00", &["status"]);
    assert!(
        out.ends_with(" · Golden Week in Tokyo (kanda): closed 1–5 May, tomorrow\n"),
        "{out}"
    );
    // Obon is the company's own: Fri 13 to Mon 16 Aug, seen on Thu 12 (Mountain Day, Wed 11,
    // has passed).
    let (out, _, _) = run(
        &d.dir,
        "2027-08-12T09:30:00+10:00",
        &["status", "-f", "{closed}"],
    );
    assert_eq!(
        out,
        "Company closure in Tokyo (kanda): closed 13–16 Aug, tomorrow\n"
    );
}

/// Issue 17: `{retainer}` is the retainer of the client the running timer counts for (here by
/// its deadline, whose client only deadlines.jsonl names: through the cache too), else the one
/// furthest ahead of its pace, else nothing; a name's `#` is doubled and its control
/// characters dropped, as in every value.
#[test]
fn the_retainer_placeholder() {
    let d = example();
    let f = ["status", "-f", "{retainer}"];
    // Nortec's retainer (20h a month from the 15th) is behind with nothing logged: no warning.
    let (out, err, code) = run(&d.dir, NOW, &f);
    assert_eq!((out.as_str(), err.as_str(), code), ("\n", "", 0));
    // Kanda: 10h a month from the 1st, all 10 used by the 2nd: ahead.
    let toml = d.dir.join("tether.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replacen(
        "id = \"kanda\"\n",
        "id = \"kanda\"\nretainer = { hours = \"10h\", every = \"month\", starts = \"2026-11-01\" }\n",
        1,
    );
    std::fs::write(&toml, text).unwrap();
    let log = d.dir.join("timelog.jsonl");
    std::fs::write(
        &log,
        "{\"id\":\"t-1\",\"client\":\"kanda\",\"spent\":\"10h\",\"on\":\"2026-11-02\"}\n",
    )
    .unwrap();
    let (out, _, _) = run(&d.dir, NOW, &f);
    assert_eq!(out, "Kanda Trading KK 10h/10h ahead\n");
    // A timer on Nortec's uptime report since 09:00: Nortec's, though behind.
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str(
        "{\"id\":\"t-2\",\"deadline\":\"d-e3d812\",\"start\":\"2026-11-25T09:00:00+10:00\"}\n",
    );
    std::fs::write(&log, text).unwrap();
    for _ in 0..2 {
        // The first call reads the files, the second the cache.
        let (out, _, _) = run(&d.dir, NOW, &f);
        assert_eq!(out, "Nortec Logística 30m/20h behind\n");
    }
    let text = std::fs::read_to_string(&toml).unwrap().replacen(
        "\"Nortec Logística\"",
        "\"Nor#tec\\u001b[2J\"",
        1,
    );
    std::fs::write(&toml, text).unwrap();
    let (out, _, _) = run(&d.dir, NOW, &f);
    assert_eq!(out, "Nor##tec[2J 30m/20h behind\n");
}
