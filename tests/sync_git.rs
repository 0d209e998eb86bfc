//! Two machines on one git repository, as docs/sync.md sets them up: two clones of a bare
//! repository on this machine, `tether sync init` in each, changes made on both between pulls.
//! Issue 15: "two machines that each add one follow-up between syncs get CONFLICT (content)
//! from git on followups.jsonl". Without git: SKIPPED, unless TETHER_REQUIRE_E2E=1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

#[path = "support/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-25T09:30:00+10:00";

struct World {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    desk: PathBuf,
    laptop: PathBuf,
}

fn git(home: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Aiko")
        .env("GIT_AUTHOR_EMAIL", "aiko@example.com")
        .env("GIT_COMMITTER_NAME", "Aiko")
        .env("GIT_COMMITTER_EMAIL", "aiko@example.com")
        .args(args)
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{text}");
    text
}

/// What a command said, on either stream.
fn ok_or_not(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn tether(home: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tether"))
        .env("HOME", home)
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW])
        .args(args)
        .output()
        .unwrap()
}

/// A bare repository with the example data and `tether sync init`'s files, cloned twice.
fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let bare = tmp.path().join("data.git");
    ok(git(
        &home,
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
    ));
    let desk = tmp.path().join("desk");
    ok(git(
        &home,
        tmp.path(),
        &[
            "clone",
            "-q",
            bare.to_str().unwrap(),
            desk.to_str().unwrap(),
        ],
    ));
    tether::store::example::write_example(&desk).unwrap();
    let init = ok(tether(&home, &desk, &["sync", "init"]));
    assert!(init.contains("registered the merge driver"), "{init}");
    ok(git(&home, &desk, &["add", "-A"]));
    ok(git(&home, &desk, &["commit", "-q", "-m", "tether data"]));
    ok(git(&home, &desk, &["push", "-q", "origin", "main"]));
    let laptop = tmp.path().join("laptop");
    ok(git(
        &home,
        tmp.path(),
        &[
            "clone",
            "-q",
            bare.to_str().unwrap(),
            laptop.to_str().unwrap(),
        ],
    ));
    ok(tether(&home, &laptop, &["sync", "init"]));
    World {
        _tmp: tmp,
        home,
        desk,
        laptop,
    }
}

/// Change the record `id` of followups.jsonl as a hand edit would: `from` → `to` in its line.
fn edit(dir: &Path, id: &str, from: &str, to: &str) {
    let p = dir.join("followups.jsonl");
    let text = std::fs::read_to_string(&p).unwrap();
    let out: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.contains(&format!("\"id\":\"{id}\"")) {
                assert!(l.contains(from), "{l}");
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&p, out).unwrap();
}

fn commit(w: &World, dir: &Path, msg: &str) {
    ok(git(&w.home, dir, &["commit", "-q", "-am", msg]));
}

#[test]
fn independent_changes_on_two_machines_merge_without_a_conflict() {
    if !tools::tools(&["git"]) {
        return;
    }
    let w = world();
    let before = std::fs::read_to_string(w.desk.join("followups.jsonl")).unwrap();
    // The desk adds one follow-up and marks Kanda's quote done; the laptop adds another and
    // snoozes the same record (another field).
    ok(tether(
        &w.home,
        &w.desk,
        &[
            "add",
            "followup",
            "Send the desk's invoice",
            "--client",
            "kanda",
        ],
    ));
    edit(
        &w.desk,
        "f-19c2aa",
        "\"status\":\"open\"",
        "\"status\":\"done\"",
    );
    commit(&w, &w.desk, "desk");
    ok(git(&w.home, &w.desk, &["push", "-q", "origin", "main"]));
    ok(tether(
        &w.home,
        &w.laptop,
        &[
            "add",
            "followup",
            "Book the laptop's train",
            "--client",
            "brandt",
        ],
    ));
    edit(
        &w.laptop,
        "f-19c2aa",
        "\"status\":\"open\"",
        "\"status\":\"open\",\"snoozed_until\":\"2026-11-26T09:00:00+10:00\"",
    );
    commit(&w, &w.laptop, "laptop");
    let pull = ok(git(
        &w.home,
        &w.laptop,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    ));
    assert!(!pull.contains("CONFLICT"), "{pull}");
    let merged = std::fs::read_to_string(w.laptop.join("followups.jsonl")).unwrap();
    assert!(merged.contains("Send the desk's invoice"), "{merged}");
    assert!(merged.contains("Book the laptop's train"), "{merged}");
    let quote = merged.lines().find(|l| l.contains("f-19c2aa")).unwrap();
    assert!(
        quote.contains("\"status\":\"done\"") && quote.contains("\"snoozed_until\""),
        "{quote}"
    );
    // Every line neither machine touched is as it was, in its place.
    let untouched: Vec<&str> = before.lines().filter(|l| !l.contains("f-19c2aa")).collect();
    let kept: Vec<&str> = merged.lines().filter(|l| untouched.contains(l)).collect();
    assert_eq!(kept, untouched);
    let check = tether(&w.home, &w.laptop, &["check"]);
    let said = ok_or_not(&check);
    assert!(
        check.status.success() && said.contains("no problems"),
        "{said}"
    );
    // The desk pulls the merge: both machines hold the same files.
    ok(git(&w.home, &w.laptop, &["push", "-q", "origin", "main"]));
    ok(git(
        &w.home,
        &w.desk,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    ));
    assert_eq!(
        std::fs::read_to_string(w.desk.join("followups.jsonl")).unwrap(),
        merged
    );
}

#[test]
fn the_same_field_changed_on_both_is_named_and_nothing_is_lost() {
    if !tools::tools(&["git"]) {
        return;
    }
    let w = world();
    edit(
        &w.desk,
        "f-4d02aa",
        "\"status\":\"open\"",
        "\"status\":\"open\",\"due\":\"2026-12-01\"",
    );
    commit(&w, &w.desk, "desk");
    ok(git(&w.home, &w.desk, &["push", "-q", "origin", "main"]));
    edit(
        &w.laptop,
        "f-4d02aa",
        "\"status\":\"open\"",
        "\"status\":\"open\",\"due\":\"2026-12-03\"",
    );
    commit(&w, &w.laptop, "laptop");
    let pull = ok(git(
        &w.home,
        &w.laptop,
        &["pull", "--no-rebase", "--no-edit", "origin", "main"],
    ));
    assert!(
        pull.contains("tether merge: followups.jsonl: id f-4d02aa: \"due\" changed differently"),
        "{pull}"
    );
    let merged = std::fs::read_to_string(w.laptop.join("followups.jsonl")).unwrap();
    let line = merged.lines().find(|l| l.contains("f-4d02aa")).unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let kept = v["due"].as_str().unwrap().to_string();
    let other = v["merge_conflict"]["due"].as_str().unwrap().to_string();
    let mut both = [kept.clone(), other];
    both.sort();
    assert_eq!(both, ["2026-12-01", "2026-12-03"]);
    let check = tether(&w.home, &w.laptop, &["check"]);
    let said = ok_or_not(&check);
    let n = merged.lines().position(|l| l.contains("f-4d02aa")).unwrap() + 1;
    assert!(
        said.contains(&format!("followups.jsonl:{n}")) && said.contains("merge conflict"),
        "{said}"
    );
    // Resolved by hand: the record keeps the kept date, and check is clean again.
    let fixed = merged.replace(
        line,
        &line.replace(
            &format!(
                ",\"merge_conflict\":{{\"due\":\"{}\"}}",
                both.iter().find(|d| **d != kept).unwrap()
            ),
            "",
        ),
    );
    assert_ne!(fixed, merged);
    std::fs::write(w.laptop.join("followups.jsonl"), fixed).unwrap();
    let check = tether(&w.home, &w.laptop, &["check"]);
    let said = ok_or_not(&check);
    assert!(
        check.status.success() && said.contains("no problems"),
        "{said}"
    );
}
