//! End-to-end (the real binary in tmux): the dashboard's first screen and `q` never wait for the
//! data to load (issue 13). A file of its own: its load keeps both cores busy for seconds, which
//! must not slow the other end-to-end tests (test files run one after the other).
//! Without tmux it prints SKIPPED and passes, unless TETHER_REQUIRE_E2E=1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/tmux.rs"]
mod tmux;

/// The audit's followups.jsonl of millions of short lines (`{"what":"x123"}`) after the example
/// data, sized so that a debug build reads it for several seconds.
fn millions_of_short_lines(dir: &Path) {
    use std::io::Write;
    tether::store::example::write_example(dir).expect("example");
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("followups.jsonl"))
        .expect("open");
    let mut w = std::io::BufWriter::new(f);
    for i in 0..1_000_000 {
        writeln!(w, "{{\"what\":\"x{i}\"}}").expect("write");
    }
    w.flush().expect("flush");
}

/// Issue 13: "the dashboard draws nothing in 3 s and ignores `q` for 10 s" on a big
/// followups.jsonl. The first screen comes before the data, saying what is loading; `q` and an
/// ending signal quit while it loads (far sooner than the load takes), the terminal restored;
/// left alone, the data replaces the loading screen.
#[test]
fn the_first_screen_and_q_do_not_wait_for_a_big_file() {
    if !tmux::have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    millions_of_short_lines(&dir);
    let loading = |scr: &str| scr.contains("loading followups.jsonl (");

    let s = tmux::Session::start("loading-q", &dir, &[], 120, 40);
    let screen = s.wait("the loading screen", loading);
    assert!(!screen.contains("Send revised quote"), "{screen}");
    let pressed = Instant::now();
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
    let quit_in = pressed.elapsed();
    s.wait_terminal_state("0 1", "q while loading");

    let sig = tmux::Session::start("loading-term", &dir, &[], 120, 40);
    sig.wait("the loading screen", loading);
    let pid = sig.pid_of_tether().expect("tether pid");
    let sent = Instant::now();
    let st = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(st.success());
    sig.wait_text("EXITED");
    let term_in = sent.elapsed();
    sig.wait_terminal_state("0 1", "SIGTERM while loading");

    // Left alone, the data comes in (how long that takes here is what q did not wait for).
    let start = Instant::now();
    let full = tmux::Session::start("loading-full", &dir, &[], 120, 40);
    full.wait("the loading screen", loading);
    full.wait_within("the data", Duration::from_secs(300), |scr| {
        scr.contains("Send revised quote") && !scr.contains("loading")
    });
    let load = start.elapsed();
    assert!(
        quit_in * 4 < load && term_in * 4 < load,
        "q took {quit_in:?} and SIGTERM {term_in:?} while a load takes {load:?}"
    );
    full.keys(&["q"]);
    full.wait_text("EXITED 0");
}
