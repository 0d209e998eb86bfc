//! Issue 17: "milestones with dates and amounts (each becomes a deadline the board knows)". The
//! real binary: `tether notify --once` writes a milestone's deadline once (journalled for `u`),
//! `tether agenda` then shows it with the risk of its estimate, moving the day in tether.toml
//! moves the open deadline, a done one is left alone, and a made-up example client gets none.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;

#[path = "support/cli.rs"]
mod cli;
use std::path::Path;

const CONFIG: &str = r#"[me]
zone = "Australia/Brisbane"

[alerts]
enabled = false

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
hours = "09:00-18:00"

[[clients.milestones]]
name = "Design sign-off"
due = "2026-12-10"
amount = 1200000
currency = "JPY"
estimate = "30h"

[[clients]]
id = "acme"
name = "Acme (made up)"
zone = "Europe/Berlin"
example = true

[[clients.milestones]]
name = "Pilot"
due = "2026-12-20"
estimate = "4h"
"#;

const NOW: &str = "2026-12-07T10:00:00+10:00";

fn tether(dir: &Path, now: &str, args: &[&str]) -> String {
    cli::tether_at(dir, now, args)
}

fn deadlines(dir: &Path) -> Vec<serde_json::Value> {
    cli::records(dir, "deadlines.jsonl")
}

fn set_due(dir: &Path, from: &str, to: &str) {
    let path = dir.join("tether.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn a_milestone_becomes_one_deadline_that_follows_its_day_in_tether_toml() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    let out = tether(dir, NOW, &["notify", "--once"]);
    assert!(
        out.contains(
            "deadline added (milestone): Design sign-off (Kanda Trading KK, due 2026-12-10)"
        ),
        "{out}"
    );
    let d = deadlines(dir);
    // One line: the example client's milestone has none.
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["client"], "kanda");
    assert_eq!(d[0]["title"], "Design sign-off");
    assert_eq!(d[0]["due"], "2026-12-10");
    assert_eq!(d[0]["estimate"], "30h");
    assert_eq!(d[0]["milestone"], true);
    // Written through the journal, so `u` in the dashboard takes it back.
    let journal = std::fs::read_to_string(dir.join(".tether/undo.jsonl")).unwrap();
    assert!(
        journal.contains("\"label\":\"milestone: Design sign-off\""),
        "{journal}"
    );
    // Again: nothing more.
    let out = tether(dir, "2026-12-07T11:00:00+10:00", &["notify", "--once"]);
    assert!(!out.contains("deadline"), "{out}");
    assert_eq!(deadlines(dir).len(), 1);
    // The board knows it: due at the end of Kanda's day, its risk from the 30h estimate.
    let agenda = tether(dir, NOW, &["agenda"]);
    assert!(
        agenda.contains("~ tight    Design sign-off — Kanda Trading KK"),
        "{agenda}"
    );
    assert!(
        agenda.contains("due Thu 10 Dec 18:00 JST") && agenda.contains("needs 30h"),
        "{agenda}"
    );
    assert!(!agenda.contains("Pilot"), "{agenda}");
    // The milestone moves to the 11th in tether.toml: the open deadline moves with it.
    set_due(dir, "due = \"2026-12-10\"", "due = \"2026-12-11\"");
    let out = tether(dir, "2026-12-07T12:00:00+10:00", &["notify", "--once"]);
    assert!(
        out.contains("deadline updated from tether.toml (milestone): Design sign-off (Kanda Trading KK, due 2026-12-11)"),
        "{out}"
    );
    let d = deadlines(dir);
    assert_eq!(
        (d.len(), &d[0]["due"]),
        (1, &serde_json::json!("2026-12-11"))
    );
    let agenda = tether(dir, NOW, &["agenda"]);
    assert!(agenda.contains("due Fri 11 Dec 18:00 JST"), "{agenda}");
    // Done (as `x` marks it): moving the milestone again leaves the line alone.
    let path = dir.join("deadlines.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("}\n", ",\"status\":\"done\"}\n")).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    set_due(dir, "due = \"2026-12-11\"", "due = \"2026-12-14\"");
    let out = tether(dir, "2026-12-07T13:00:00+10:00", &["notify", "--once"]);
    assert!(!out.contains("deadline"), "{out}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    // tether check reads it all without a word (the "milestone" key is known).
    let out = Command::cargo_bin("tether")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.contains("no problems"),
        "{said}"
    );
}

#[test]
fn a_milestone_already_past_when_first_seen_is_not_written() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    // 11 December in Tokyo: the 10th's milestone is history, not a deadline to alert on.
    tether(dir, "2026-12-11T10:00:00+10:00", &["notify", "--once"]);
    assert!(deadlines(dir).is_empty());
}
