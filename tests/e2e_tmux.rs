//! End-to-end: the real binary in a real terminal (a detached tmux session). The tests read the
//! screen with capture-pane, type with send-keys, and check the files on disk.
//! Without tmux they print SKIPPED and pass, unless TETHER_REQUIRE_E2E=1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/tmux.rs"]
mod tmux;

use tmux::have_tmux;

/// A tmux session running tether on a fresh copy of the example data, owned by the test.
struct Session {
    inner: tmux::Session,
    _tmp: tempfile::TempDir,
}

impl std::ops::Deref for Session {
    type Target = tmux::Session;
    fn deref(&self) -> &tmux::Session {
        &self.inner
    }
}

impl Session {
    fn start(name: &str, w: u16, h: u16) -> Session {
        Session::start_prepared(name, w, h, &[], &|_| {})
    }

    /// Like `start`, with extra environment, after `prepare` has changed the data directory.
    fn start_prepared(
        name: &str,
        w: u16,
        h: u16,
        env: &[&str],
        prepare: &dyn Fn(&Path),
    ) -> Session {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("data");
        tether::store::example::write_example(&dir).expect("example");
        prepare(&dir);
        Session {
            inner: tmux::Session::start(&format!("e2e-{name}"), &dir, env, w, h),
            _tmp: tmp,
        }
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).expect("read")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn alternate_on(&self) -> String {
        self.tmux(&["display", "-p", "-t", "t", "#{alternate_on}"])
            .trim()
            .to_string()
    }
}

fn append(path: &Path, line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open");
    f.write_all(line.as_bytes()).expect("append");
}

#[test]
fn triage_a_follow_up_from_the_keyboard() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("triage", 160, 45);
    s.wait_text("Send revised quote");
    s.keys(&["4"]);
    s.keys(&["x"]);
    s.wait_text("u to undo");
    let line = s
        .file("followups.jsonl")
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(line.contains("\"status\":\"done\""), "{line}");
    // The only mention left is the footer's confirmation; the row itself is gone.
    let screen = s.screen();
    assert!(
        screen
            .lines()
            .filter(|l| l.contains("Send revised quote"))
            .all(|l| l.contains("u to undo")),
        "{screen}"
    );
    s.keys(&["u"]);
    s.wait_text("undone");
    s.wait_text("Send revised quote");
    assert!(
        !s.file("followups.jsonl")
            .contains("\"done_at\":\"2026-11-25T09:30")
    );
}

#[test]
fn a_line_appended_by_another_process_appears() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("append", 160, 45);
    s.wait_text("Send revised quote");
    append(
        &s.path("followups.jsonl"),
        "{\"client\":\"kanda\",\"what\":\"Appended by another process\",\"due\":\"2026-11-25\"}\n",
    );
    s.wait_text("Appended by another process");
}

#[test]
fn edits_to_a_symlinked_file_elsewhere_appear() {
    if !have_tmux() {
        return;
    }
    // Follow-ups live in another folder (a synced one, say), linked into the data directory.
    let link_out = |dir: &Path| {
        let elsewhere = dir.parent().expect("parent").join("synced");
        std::fs::create_dir_all(&elsewhere).expect("mkdir");
        let target = elsewhere.join("followups.jsonl");
        std::fs::rename(dir.join("followups.jsonl"), &target).expect("move");
        std::os::unix::fs::symlink(&target, dir.join("followups.jsonl")).expect("link");
    };
    let s = Session::start_prepared("symlink", 160, 45, &[], &link_out);
    s.wait_text("Send revised quote");
    let target = s
        .dir
        .parent()
        .expect("parent")
        .join("synced/followups.jsonl");
    append(
        &target,
        "{\"client\":\"kanda\",\"what\":\"Edited through the link target\",\"due\":\"2026-11-25\"}\n",
    );
    s.wait_text("Edited through the link target");
}

#[test]
fn a_broken_line_shows_a_problem_until_fixed() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("broken", 160, 45);
    s.wait_text("Send revised quote");
    let good = s.file("followups.jsonl");
    append(&s.path("followups.jsonl"), "{\"what\": \"broken\n");
    s.wait_text("1 problem");
    s.keys(&["!"]);
    s.wait_text("followups.jsonl:11");
    // Fixing the file by hand clears the problem; the dashboard kept working meanwhile.
    std::fs::write(s.path("followups.jsonl"), &good).expect("fix");
    s.wait("the problem to clear", |scr| !scr.contains("1 problem"));
}

#[test]
fn quitting_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("quit", 100, 30);
    s.wait_text("Send revised quote");
    assert_eq!(s.alternate_on(), "1");
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
    assert_eq!(s.alternate_on(), "0");
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    for sig in ["TERM", "HUP"] {
        let s = Session::start(&format!("sig{sig}"), 100, 30);
        s.wait_text("Send revised quote");
        let pid = s.pid_of_tether().expect("tether pid");
        let st = Command::new("kill")
            .args([&format!("-{sig}"), &pid.to_string()])
            .status()
            .expect("kill");
        assert!(st.success());
        s.wait_text("EXITED");
        assert_eq!(s.alternate_on(), "0", "after SIG{sig}");
    }
}

#[test]
fn a_panic_and_sigint_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("panic", 100, 30);
    s.wait_text("Send revised quote");
    drop(s);
    // The panic happens right after the first frame is drawn.
    let s = Session::start_prepared("panic2", 100, 30, &["TETHER_TEST_PANIC=1"], &|_| {});
    let screen = s.wait_text("EXITED 101");
    let history = s.tmux(&["capture-pane", "-p", "-t", "t", "-S", "-200"]);
    assert!(history.contains("deliberate panic"), "{screen}");
    assert_eq!(s.alternate_on(), "0");
    let s = Session::start("sigint", 100, 30);
    s.wait_text("Send revised quote");
    let pid = s.pid_of_tether().expect("tether pid");
    let st = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(st.success());
    s.wait_text("EXITED 0");
    assert_eq!(s.alternate_on(), "0");
}

#[test]
fn small_panes_switch_to_tabs_and_tiny_ones_say_too_small() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("small", 60, 20);
    s.wait_text("Follow-ups");
    s.keys(&["2"]);
    s.wait_text("Deadlines");
    let s2 = Session::start("tiny", 20, 5);
    s2.wait("the too-small message", |scr| {
        scr.contains("too") && scr.contains("small")
    });
}
