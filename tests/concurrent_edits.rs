//! Concurrent edits: while tether writes, other programs rewrite, append to, truncate, rename and
//! replace the data files, the way vim (new file + rename), `sed -i`, `echo >>`, `cat >`, git and
//! Syncthing (temporary file + rename) do. None of them takes tether's lock.
//!
//! - `other_programs_never_lose_lines_to_tether`: a tether process (this test binary in writer
//!   mode, using `Store` as the dashboard does) marks records done and adds follow-ups in a loop
//!   while this process edits the same file every way above, each edit adding a marker line.
//!   Afterwards every marker is still there, no line is torn, every error tether reported was a
//!   clear one, and nothing panicked. Seconds: TETHER_CONCURRENT_SECS (default 3).
//! - `the_dashboard_shows_the_latest_content`: the real dashboard in tmux follows each kind of
//!   replacement on screen, and a key press that writes in the middle of it all loses nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report
#![cfg(unix)]

#[path = "support/tmux.rs"]
mod tmux;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tether::store::lines::{FieldChange, LineKind, split_lines};
use tether::store::write::{DataFile, Store};

const CHILD_ENV: &str = "TETHER_CONCURRENT_WRITER";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .expect("now")
        .with_timezone(&Utc)
}

fn seconds() -> f64 {
    std::env::var("TETHER_CONCURRENT_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3.0)
}

fn initial() -> String {
    let mut s = String::from("# follow-ups\n");
    for i in 0..60 {
        s.push_str(&format!(
            "{{\"id\":\"f-{i:03}\",\"what\":\"Follow-up {i}\",\"status\":\"open\"}}\n"
        ));
    }
    s
}

/// Child mode: tether writing in a loop until told to stop (its stdin closes). Prints one line
/// per change: `ok`, or `error: …` with the message the user would see.
#[test]
fn concurrent_writer_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = Store::new(&dir);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s2 = stop.clone();
    std::thread::spawn(move || {
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
        s2.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let mut k = 0u64;
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        k += 1;
        let result = if k.is_multiple_of(4) {
            let line = format!("{{\"id\":\"t-{k}\",\"what\":\"added by tether {k}\"}}");
            store
                .append(DataFile::Followups, &line, "add", now())
                .map(|_| ())
        } else {
            // Mark a record done (or open again), found by id as the dashboard does.
            let content =
                std::fs::read_to_string(store.path(DataFile::Followups)).unwrap_or_default();
            let records: Vec<(String, String)> = split_lines(&content)
                .iter()
                .filter(|l| l.kind() == LineKind::Record)
                .filter_map(|l| {
                    let o: Map<String, Value> = serde_json::from_str(l.text).ok()?;
                    Some((o.get("id")?.as_str()?.to_string(), l.text.to_string()))
                })
                .filter(|(id, _)| id.starts_with("f-"))
                .collect();
            if records.is_empty() {
                continue;
            }
            let (id, text) = &records[(k as usize * 7) % records.len()];
            let status = if text.contains("\"done\"") {
                "open"
            } else {
                "done"
            };
            store
                .rewrite(
                    DataFile::Followups,
                    Some(id),
                    text,
                    &[FieldChange::set("status", status), FieldChange::set("n", k)],
                    "done",
                    now(),
                )
                .map(|_| ())
        };
        match result {
            Ok(()) => println!("ok"),
            Err(e) => println!("error: {e}"),
        }
    }
}

/// The ways another program changes the file. Each adds the marker line and keeps every other
/// line it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Way {
    /// `echo line >> file`: one append in place.
    Append,
    /// vim: write a new file beside it, rename it over the old one.
    Vim,
    /// `sed -i '$a line' file`: the real sed, which writes a temporary file and renames it.
    Sed,
    /// Syncthing: `.syncthing.NAME.tmp`, then rename.
    Syncthing,
    /// `cat > file` (vim with backupcopy=yes): truncate and write in place. Not atomic for
    /// anyone: a reader can see the file empty or half-written.
    InPlace,
}

const WAYS: [Way; 5] = [
    Way::Append,
    Way::Vim,
    Way::Sed,
    Way::Syncthing,
    Way::InPlace,
];

fn edit(path: &Path, way: Way, marker: &str) {
    let dir = path.parent().expect("dir");
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let with_marker = || {
        let mut c = std::fs::read_to_string(path).unwrap_or_default();
        if !c.is_empty() && !c.ends_with('\n') {
            c.push('\n');
        }
        c.push_str(marker);
        c.push('\n');
        c
    };
    match way {
        Way::Append => {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .expect("open");
            f.write_all(format!("{marker}\n").as_bytes())
                .expect("append");
        }
        Way::Vim | Way::Syncthing => {
            let tmp = if way == Way::Vim {
                dir.join(format!("{name}.new"))
            } else {
                dir.join(format!(".syncthing.{name}.tmp"))
            };
            std::fs::write(&tmp, with_marker()).expect("write");
            std::fs::rename(&tmp, path).expect("rename");
        }
        Way::Sed => {
            let st = Command::new("sed")
                .arg("-i")
                .arg(format!("$a {marker}"))
                .arg(path)
                .status()
                .expect("sed");
            assert!(st.success());
        }
        Way::InPlace => {
            let c = with_marker();
            std::fs::write(path, c).expect("write in place");
        }
    }
}

fn have_sed() -> bool {
    Command::new("sed")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn other_programs_never_lose_lines_to_tether() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let path = dir.join("followups.jsonl");
    std::fs::write(&path, initial()).expect("write");
    let mut child = Command::new(std::env::current_exe().expect("exe"))
        .args([
            "--exact",
            "concurrent_writer_child",
            "--nocapture",
            "--quiet",
        ])
        .args(["--test-threads", "1"])
        .env(CHILD_ENV, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tether writer");
    let ways: Vec<Way> = WAYS
        .into_iter()
        .filter(|w| *w != Way::Sed || have_sed())
        .collect();
    let mut markers: Vec<(Way, String)> = Vec::new();
    let until = Instant::now() + Duration::from_secs_f64(seconds());
    let mut n = 0usize;
    while Instant::now() < until {
        let way = ways[n % ways.len()];
        let marker = format!("{{\"id\":\"m-{n}\",\"what\":\"{way:?} {n}\"}}");
        edit(&path, way, &marker);
        markers.push((way, marker));
        n += 1;
        // Bursts of edits, then a pause (people save now and then; sync tools in bursts):
        // tether writes in the pauses, and a burst may start in the middle of a write.
        let pause = if n.is_multiple_of(8) {
            30_000
        } else {
            (n as u64 * 397) % 1500
        };
        std::thread::sleep(Duration::from_micros(pause));
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("writer");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tether writer failed:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let fin = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = split_lines(&fin).iter().map(|l| l.text).collect();
    for l in &lines {
        assert!(
            l.trim().is_empty()
                || l.starts_with('#')
                || serde_json::from_str::<Map<String, Value>>(l).is_ok(),
            "a torn or mixed line: {l:?}"
        );
    }
    let mut lost: HashMap<Way, usize> = HashMap::new();
    for (way, m) in &markers {
        let count = lines.iter().filter(|l| *l == m).count();
        assert!(count <= 1, "{m} is there {count} times");
        if count == 0 {
            *lost.entry(*way).or_default() += 1;
        }
    }
    let oks = stdout.lines().filter(|l| *l == "ok").count();
    let errors: Vec<&str> = stdout.lines().filter(|l| l.starts_with("error")).collect();
    // What tether may say when the file changes under it: all name the file and say that
    // nothing was changed (or that a version was kept aside).
    for e in &errors {
        assert!(
            e.contains("nothing was changed") || e.contains("was kept as"),
            "unclear error: {e}"
        );
    }
    let conflicts = std::fs::read_dir(dir)
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("tether-conflict"))
        .count();
    eprintln!(
        "concurrent_edits: {} edits by other programs ({} each way) during {oks} tether writes \
         ({} refused: {:?}); lost markers {lost:?}; conflict copies {conflicts}",
        markers.len(),
        markers.len() / ways.len(),
        errors.len(),
        errors.iter().take(3).collect::<Vec<_>>()
    );
    assert!(
        lost.is_empty(),
        "lines written by other programs were lost: {lost:?}"
    );
    assert!(oks > 0, "tether never managed to write");
}

fn replace_by_rename(path: &Path, tmp_name: &str, content: &str) {
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, content).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

#[test]
fn the_dashboard_shows_the_latest_content() {
    if std::env::var(CHILD_ENV).is_ok() || !tmux::have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    let path = dir.join("followups.jsonl");
    let s = tmux::Session::start("follow", &dir, &[], 160, 45);
    s.wait_text("Send revised quote");
    let original = std::fs::read_to_string(&path).expect("read");
    let add = |what: &str| {
        format!(
            "{original}{{\"id\":\"f-{:06x}\",\"what\":\"{what}\",\"due\":\"2026-11-25\"}}\n",
            what.len()
        )
    };

    // vim: a new file renamed over the old one.
    replace_by_rename(&path, "followups.jsonl~", &add("Vim added this"));
    s.wait_text("Vim added this");
    // Syncthing: a hidden temporary file renamed into place.
    replace_by_rename(
        &path,
        ".syncthing.followups.jsonl.tmp",
        &add("Synced from laptop"),
    );
    s.wait_text("Synced from laptop");
    s.wait("the vim line to go", |scr| !scr.contains("Vim added this"));
    // sed -i
    if have_sed() {
        let st = Command::new("sed")
            .args(["-i", "s/Synced from laptop/Changed by sed/"])
            .arg(&path)
            .status()
            .expect("sed");
        assert!(st.success());
        s.wait_text("Changed by sed");
    }
    // Truncated to nothing, then written in place.
    std::fs::write(&path, "").expect("truncate");
    s.wait("an empty follow-up list", |scr| {
        !scr.contains("Send revised quote")
    });
    std::fs::write(&path, add("Written in place")).expect("write");
    s.wait_text("Written in place");
    // git checkout of the committed version.
    let git = |args: &[&str]| {
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&dir)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if git(&["init", "-q"]) && git(&["add", "followups.jsonl"]) && git(&["commit", "-qm", "x"]) {
        std::fs::write(&path, add("Uncommitted edit")).expect("write");
        s.wait_text("Uncommitted edit");
        assert!(git(&["checkout", "--", "followups.jsonl"]));
        s.wait("git checkout to show", |scr| {
            scr.contains("Written in place") && !scr.contains("Uncommitted edit")
        });
    }

    // A key that writes while another program appends: neither change is lost, and the screen
    // ends showing both.
    // The append opens the file and writes at once, as `echo >>` does: a program that opened it
    // before tether's swap and writes after it is the window docs/reliability.md names (its
    // line goes to the replaced file), which this test hit on a busy machine when it opened
    // the file before pressing x.
    s.keys(&["4"]);
    let before = std::fs::read_to_string(&path).expect("read");
    s.keys(&["x"]);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open")
        .write_all(b"{\"what\":\"Appended during a write\",\"due\":\"2026-11-25\"}\n")
        .expect("append");
    s.wait_text("Appended during a write");
    s.wait_text("u to undo");
    let after = std::fs::read_to_string(&path).expect("read");
    assert!(after.contains("Appended during a write"), "{after}");
    assert!(
        after.contains("\"status\":\"done\""),
        "the x was lost:\n{after}"
    );
    assert_eq!(
        split_lines(&after).len(),
        split_lines(&before).len() + 1,
        "lines were lost or added:\n{after}"
    );
}
