//! Issue 13, "Security" and "Commands and messages": what the commands print from a data
//! directory whose text came by sync or calendar import. Every field may hold terminal controls
//! (ESC[2J, OSC 52, OSC 8, BEL, CR, C1) or tmux styles; none may reach the terminal, and `check`
//! shows them as `\u{1b}`. Run on the real binary, on a copy of the shipped example.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use std::path::Path;

#[path = "support/data.rs"]
mod data;

use data::{NOW, example};

fn tether() -> Command {
    let mut c = Command::cargo_bin("tether").expect("binary");
    c.env_remove("TETHER_DIR")
        .env_remove("TETHER_STATUS_FORMAT")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("XDG_RUNTIME_DIR")
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

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    output(
        tether()
            .arg("--data-dir")
            .arg(dir)
            .args(["--now", NOW])
            .args(args),
    )
}

/// The controls an attacker would use, as JSON / TOML escapes: clear the screen, write the
/// clipboard (OSC 52), a hidden link (OSC 8), a bell, a carriage return, a C1 CSI, DEL.
const EVIL: &str =
    r"\u001b[2J\u001b]52;c;aGk=\u0007\u001b]8;;http://evil.example\u001b\\\r\u009b31m\u007f";

/// A line break, then what would pass for a line of tether's own.
const FAKE_LINE: &str = r"\n## Fake: all clear";

/// Replace `from` (which must be there) in the file `name`.
fn edit(dir: &Path, name: &str, from: &str, to: &str) {
    let p = dir.join(name);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{name} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
}

/// The example with controls in a client's name, city and champion, a deadline's title, a
/// follow-up's text and person, and a contact's note.
fn hostile() -> data::Data {
    let d = example();
    let dir = &d.dir;
    edit(
        dir,
        "tether.toml",
        "name = \"Kanda Trading KK\"",
        &format!("name = \"Kanda{EVIL} Trading KK\""),
    );
    edit(
        dir,
        "tether.toml",
        "city = \"Tokyo\"",
        &format!("city = \"Tok{EVIL}yo\""),
    );
    edit(
        dir,
        "tether.toml",
        "name = \"Sato Haruka\"",
        &format!("name = \"Sato{EVIL} Haruka\""),
    );
    edit(
        dir,
        "deadlines.jsonl",
        "\"title\":\"Q3 market survey report\"",
        &format!("\"title\":\"Q3 market{EVIL} survey report{FAKE_LINE}\""),
    );
    let followups = std::fs::read_to_string(dir.join("followups.jsonl")).expect("read");
    let mut lines: Vec<String> = followups.lines().map(str::to_string).collect();
    let first = lines
        .iter()
        .position(|l| l.contains("\"what\":\""))
        .expect("a follow-up");
    lines[first] = lines[first].replacen("\"what\":\"", &format!("\"what\":\"Owe{EVIL} "), 1);
    std::fs::write(dir.join("followups.jsonl"), lines.join("\n") + "\n").expect("write");
    d
}

/// No control character but the line feed: nothing a terminal would act on.
fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect();
    assert!(
        bad.is_empty(),
        "{what} printed control characters {bad:?}:\n{text:?}"
    );
}

#[test]
fn agenda_prints_no_control_character_from_the_data() {
    let d = hostile();
    let (out, err, code) = run(&d.dir, &["agenda"]);
    assert_eq!(code, 0, "{err}");
    // The data is there (its text shown), only its controls are gone (the CR, a line break, as a
    // space: a title stays on its line).
    assert!(
        out.contains("Q3 market[2J]52;c;aGk=]8;;http://evil.example\\ 31m survey report"),
        "{out}"
    );
    assert!(out.contains("Kanda[2J"), "{out}");
    assert!(out.contains("Owe[2J"), "{out}");
    assert_inert("agenda", &out);
    // A line break in a title keeps it on its line: no line the data wrote.
    assert!(out.contains("survey report ## Fake: all clear"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("## Fake")), "{out}");
    assert_inert("agenda (stderr)", &err);
}

#[test]
fn status_prints_no_control_character_from_the_data() {
    let d = hostile();
    for format in [
        "{summary}",
        "{open_now}",
        "{next_open}",
        "{next_deadline}",
        "{open_now:open {}} {next_open}",
    ] {
        // Thu 26 Nov 12:00 in Brisbane: kanda is open; on Wednesday 09:30 it opens next.
        for now in [NOW, "2026-11-26T12:00:00+10:00"] {
            let (out, err, code) = output(
                tether()
                    .arg("--data-dir")
                    .arg(&d.dir)
                    .args(["--now", now, "status", "-f", format]),
            );
            assert_eq!(code, 0, "{err}");
            assert_inert(&format!("status -f {format} at {now}"), &out);
            assert_eq!(out.lines().count(), 1, "{out:?}");
        }
    }
    let (out, _, _) = run(&d.dir, &["status", "-f", "{next_open}"]);
    assert!(out.starts_with("Tok[2J"), "{out:?}");
}

#[test]
fn the_echo_of_add_and_log_prints_no_control_character() {
    let d = hostile();
    let evil = "\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\r\u{9b}31m\n## Fake";
    let what = format!("Send{evil} quote");
    let note = format!("Talked{evil}");
    for dry in [true, false] {
        let mut runs: Vec<Vec<&str>> = vec![
            vec![
                "add",
                "followup",
                what.as_str(),
                "--client",
                "kanda",
                "--who",
                note.as_str(),
            ],
            vec![
                "add",
                "deadline",
                what.as_str(),
                "--client",
                "kanda",
                "--due",
                "fri",
            ],
            vec!["log", "kanda", "call", note.as_str()],
        ];
        for args in &mut runs {
            if dry {
                args.push("--dry-run");
            }
            let (out, err, code) = run(&d.dir, args);
            assert_eq!(code, 0, "{args:?}: {err}");
            // The client's name (from tether.toml) is echoed, without its controls.
            assert!(out.contains("Kanda[2J"), "{args:?}: {out}");
            assert_inert(&format!("{args:?}"), &out);
            assert!(
                !out.lines().any(|l| l.starts_with("## Fake")),
                "{args:?}: {out}"
            );
            assert_inert(&format!("{args:?} (stderr)"), &err);
        }
    }
}

#[test]
fn check_shows_control_characters_instead_of_sending_them() {
    let d = hostile();
    // A line whose problem quotes the data: an unknown client with controls in its id.
    let mut text = std::fs::read_to_string(d.dir.join("deadlines.jsonl")).expect("read");
    text.push_str(&format!(
        "{{\"client\":\"ev{EVIL}il\",\"title\":\"t{EVIL}\",\"due\":\"2026-11-27\"}}\n"
    ));
    std::fs::write(d.dir.join("deadlines.jsonl"), text).expect("write");
    let (out, err, code) = run(&d.dir, &["check"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("\\u{1b}"), "{out}");
    assert_inert("check", &out);
    assert_inert("check (stderr)", &err);
    assert_eq!(out.lines().count(), 1, "one problem, one line: {out}");
}

#[test]
fn notify_prints_no_control_character() {
    let d = hostile();
    // No session bus: the alerts are not sent, and stderr says so.
    let (out, err, _) = run(&d.dir, &["notify", "--once"]);
    assert_inert("notify", &out);
    assert_inert("notify (stderr)", &err);
}

#[test]
fn the_calendar_holds_no_control_character_but_its_line_ends() {
    let d = hostile();
    let (out, err, code) = run(&d.dir, &["export", "ics"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Q3 market[2J"), "{out}");
    assert_inert("export ics", &out.replace("\r\n", "\n"));
}

// --- tmux: `#` in a value is written `##`, so data cannot restyle the status line. ---

#[test]
fn status_values_cannot_restyle_tmux() {
    let d = example();
    edit(
        &d.dir,
        "deadlines.jsonl",
        "\"title\":\"Translate competitor brochure (JA→EN)\"",
        "\"title\":\"#[fg=red,bg=yellow]T#(x)\"",
    );
    edit(
        &d.dir,
        "tether.toml",
        "city = \"Tokyo\"",
        "city = \"#[fg=red,bg=yellow]Tokyo\"",
    );
    // The user's own styles stay; the data's `#` are doubled, so tmux prints them.
    let (out, err, code) = run(
        &d.dir,
        &[
            "status",
            "-f",
            "#[fg=blue]{next_deadline}#[default] {next_open}",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "#[fg=blue]##[fg=red,bg=yellow]T##(x) in 1d 3h#[default] ##[fg=red,bg=yellow]Tokyo (kanda) opens 30m\n"
    );
    let (out, _, _) = run(&d.dir, &["status"]);
    assert_eq!(
        out,
        "⚠ 1 overdue · 2 tight · 2 due · ##[fg=red,bg=yellow]Tokyo (kanda) opens 30m\n"
    );
    let (out, _, _) = run(&d.dir, &["status", "-f", "{next_open:→ {}}"]);
    assert_eq!(out, "→ ##[fg=red,bg=yellow]Tokyo (kanda) opens 30m\n");
}

// --- A data directory the user named must be there: never made up. ---

#[test]
fn a_mistyped_data_directory_is_an_error_for_every_command() {
    let tmp = tempfile::tempdir().expect("tmp");
    let typo = tmp.path().join("tehter");
    let commands: [&[&str]; 9] = [
        &["agenda"],
        &["check"],
        &["status"],
        &["notify", "--once"],
        &["add", "followup", "x"],
        &["add", "deadline", "x", "--due", "fri"],
        &["log", "kanda", "call"],
        &["export", "ics"],
        &[],
    ];
    for args in commands {
        for by_env in [false, true] {
            let mut c = tether();
            if by_env {
                c.env("TETHER_DIR", &typo);
            } else {
                c.arg("--data-dir").arg(&typo);
            }
            let (out, err, code) = output(c.args(["--now", NOW]).args(args));
            assert_eq!((out.as_str(), code), ("", 2), "{args:?}: {err}");
            assert!(err.contains(&typo.display().to_string()), "{args:?}: {err}");
            assert!(err.contains("does not exist"), "{args:?}: {err}");
            assert!(
                err.contains(if by_env { "TETHER_DIR" } else { "--data-dir" }),
                "{args:?}: {err}"
            );
            assert!(err.contains("tether init"), "{args:?}: {err}");
            assert!(!typo.exists(), "{args:?} created {}", typo.display());
        }
    }
    // `init` is how to make one.
    let (_, err, code) = output(tether().arg("--data-dir").arg(&typo).arg("init"));
    assert_eq!(code, 0, "{err}");
    assert!(typo.join("tether.toml").is_file());
}

#[test]
fn a_data_directory_that_is_a_file_or_a_link_loop_is_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").expect("write");
    let looped = tmp.path().join("loop");
    std::os::unix::fs::symlink(&looped, &looped).expect("symlink");
    let dangling = tmp.path().join("dangling");
    std::os::unix::fs::symlink(tmp.path().join("unmounted"), &dangling).expect("symlink");
    for (dir, want) in [
        (&file, "is a file, not a directory"),
        (&looped, "link loop"),
        (&dangling, "which does not exist"),
    ] {
        for args in [
            &["agenda"][..],
            &["status"],
            &["check"],
            &["notify", "--once"],
        ] {
            let (out, err, code) = run(dir, args);
            assert_eq!((out.as_str(), code), ("", 2), "{args:?}: {err}");
            assert!(err.contains(want), "{args:?}: {err}");
        }
    }
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "x");
}

#[test]
fn a_tether_toml_that_is_a_pipe_is_named_and_never_waited_for() {
    let d = example();
    let toml = d.dir.join("tether.toml");
    std::fs::remove_file(&toml).expect("rm");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &toml,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .expect("mkfifo");
    for args in [
        &["status"][..],
        &["add", "followup", "x", "--dry-run"],
        &["export", "ics"],
        &["notify", "--once"],
    ] {
        let (out, err, code) = run(&d.dir, args);
        assert_eq!((out.as_str(), code), ("", 2), "{args:?}: {err}");
        assert!(err.contains("not a regular file"), "{args:?}: {err}");
        assert!(!err.contains("yet"), "{args:?}: {err}");
    }
}

#[test]
fn a_tether_toml_that_is_a_link_loop_is_named() {
    let d = example();
    let toml = d.dir.join("tether.toml");
    std::fs::remove_file(&toml).expect("rm");
    std::os::unix::fs::symlink(&toml, &toml).expect("symlink");
    let (out, err, code) = run(&d.dir, &["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("tether.toml: error: ") && out.contains("(a link loop)"),
        "{out}"
    );
    for args in [&["status"][..], &["notify", "--once"]] {
        let (out, err, code) = run(&d.dir, args);
        assert_eq!((out.as_str(), code), ("", 2), "{args:?}: {err}");
        assert!(err.contains("link loop"), "{args:?}: {err}");
    }
}

// --- `check` counts every problem, also those it does not list one by one. ---

#[test]
fn check_counts_the_problems_it_does_not_list() {
    let d = example();
    let mut text = std::fs::read_to_string(d.dir.join("followups.jsonl")).expect("read");
    for _ in 0..1_999 {
        text.push_str("not json\n");
    }
    text.push_str("{\"what\":\"x\",\"zome\":\"typo\"}\n");
    std::fs::write(d.dir.join("followups.jsonl"), text).expect("write");
    let (out, err, code) = run(&d.dir, &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("more problems in this file"), "{out}");
    assert!(
        err.contains(": 2000 problems (1999 errors, 1 warning)"),
        "stdout ends {:?}\nstderr: {err}",
        out.lines().last()
    );
    let (out, _, _) = run(&d.dir, &["status", "-f", "{problems}"]);
    assert_eq!(out, "2000\n");
    let (out, _, _) = run(&d.dir, &["agenda"]);
    assert!(
        out.contains("2000 problems (1999 errors, 1 warning): run `tether check`"),
        "{out}"
    );
}

// --- One way out: no command prints but through src/cli/output.rs. ---

#[test]
fn every_command_prints_through_the_output_boundary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("main.rs")];
    for sub in ["cli", "alerts"] {
        for e in std::fs::read_dir(root.join(sub)).expect("src") {
            files.push(e.expect("entry").path());
        }
    }
    let mut seen = 0;
    for path in files {
        let name = path.display().to_string();
        if name.ends_with("output.rs") || !name.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        seen += 1;
        for line in text.lines().map(str::trim_start) {
            if line.starts_with("//") {
                continue;
            }
            for raw in [
                "print!(",
                "println!(",
                "eprint!(",
                "eprintln!(",
                "io::stderr()",
            ] {
                assert!(
                    !line.contains(raw),
                    "{name} prints without src/cli/output.rs: {line:?}"
                );
            }
            // The calendar is written whole, its text values already without controls; the
            // completions and the man page hold no data.
            if !name.ends_with("ics.rs") && !name.ends_with("docs.rs") {
                assert!(
                    !line.contains("io::stdout().lock()") && !line.contains("io::stdout().write"),
                    "{name} writes without src/cli/output.rs: {line:?}"
                );
            }
        }
    }
    assert!(seen > 15, "{seen} files");
}
