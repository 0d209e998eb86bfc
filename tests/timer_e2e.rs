//! `t` in the real dashboard (issue 17), in a detached tmux session on a copy of the example at
//! the fixed `--now`: `t` on a deadline starts the timer (the header says `⏱ 0m on …` and
//! timelog.jsonl has its line), `t` again stops it, and a timer started from the shell while the
//! dashboard runs shows in its header at once (the watcher rereads timelog.jsonl).
//! Without tmux this prints SKIPPED and passes, unless TETHER_REQUIRE_E2E=1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/tmux.rs"]
mod tmux;

use std::process::Command;

fn timelog(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("timelog.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn t_starts_and_stops_the_timer_and_the_header_shows_it() {
    if !tmux::have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    let s = tmux::Session::start("timer", &dir, &[], 160, 45);
    s.wait_text("Q3 market survey report");
    // The deadlines pane: the first row is selected.
    s.keys(&["2"]);
    s.wait_text("t timer");
    s.keys(&["t"]);
    let screen = s.wait("the timer in the header", |sc| sc.contains("⏱ 0m on "));
    let header = screen.lines().next().unwrap_or_default().to_string();
    assert!(header.contains("⏱ 0m on "), "{screen}");
    s.wait_text("u to undo");
    let lines = timelog(&dir);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("\"start\":\"2026-11-25T09:30:00+10:00\""));
    s.keys(&["t"]);
    s.wait("the timer gone from the header", |sc| {
        !sc.lines().next().unwrap_or_default().contains('⏱')
    });
    let lines = timelog(&dir);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].starts_with("{\"stop\":\"t-"), "{lines:?}");

    // A timer started from the shell shows at once.
    let out = Command::new(env!("CARGO_BIN_EXE_tether"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["--now", tmux::NOW, "track", "start", "kanda"])
        .output()
        .expect("tether track start");
    assert!(out.status.success(), "{out:?}");
    s.wait("the shell's timer in the header", |sc| {
        sc.lines()
            .next()
            .unwrap_or_default()
            .contains("⏱ 0m on Kanda Trading KK")
    });
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
}
