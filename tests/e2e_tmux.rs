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
    s.wait_text("Appended by another proce");
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
    s.wait_text("Edited through the link");
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

/// The week view in the real binary: `w` replaces the panes with the week, `w` brings them back.
#[test]
fn w_shows_the_week_and_w_closes_it() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("week", 160, 45);
    s.wait_text("Follow-ups");
    s.keys(&["w"]);
    // The frame may be caught half drawn: wait for the whole of what the week shows.
    s.wait("the week", |scr| {
        scr.contains("Week from")
            && scr.contains("░ you work")
            && scr.contains("  Kanda Trading KK")
    });
    s.keys(&["w"]);
    s.wait("the panes back", |scr| {
        scr.contains("Follow-ups") && !scr.contains("Week from")
    });
}

/// tether run from an interactive shell (bash, with job control) on a copy of the example data.
fn in_shell(name: &str, w: u16, h: u16) -> (tmux::Session, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    let s = tmux::Session::start_in_shell(&format!("e2e-{name}"), &dir, w, h);
    (s, tmp)
}

/// Suspended: the shell has the terminal back as it was (main screen, cursor shown) and takes
/// commands; `fg` brings the whole dashboard back, and `q` still quits.
fn suspended_then_resumed(s: &tmux::Session) {
    s.wait_text("Stopped");
    s.wait_terminal_state("0 1", "suspended: main screen, cursor shown");
    s.keys(&["-l", "echo typed-$((40+2))"]);
    s.keys(&["Enter"]);
    s.wait_text("typed-42");
    s.keys(&["-l", "fg"]);
    s.keys(&["Enter"]);
    s.wait_text("Send revised quote");
    s.wait_terminal_state("1 0", "resumed: alternate screen, cursor hidden");
    s.keys(&["q"]);
    s.wait("the shell again", |scr| !scr.contains("Send revised quote"));
    // The screen is restored a moment before the process ends: typed sooner, the echo would
    // be read by tether (as a load made that moment longer here once).
    s.wait_tether_gone();
    s.keys(&["-l", "echo EXITED $?"]);
    s.keys(&["Enter"]);
    s.wait_text("EXITED 0");
    assert_eq!(s.terminal_state(), "0 1");
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_brings_the_dashboard_back() {
    if !have_tmux() {
        return;
    }
    let (s, _tmp) = in_shell("ctrl-z", 100, 30);
    s.wait_text("Send revised quote");
    s.keys(&["C-z"]);
    suspended_then_resumed(&s);
}

#[test]
fn sigtstp_suspends_to_the_shell_and_fg_brings_the_dashboard_back() {
    if !have_tmux() {
        return;
    }
    let (s, _tmp) = in_shell("tstp", 100, 30);
    s.wait_text("Send revised quote");
    let pid = s.pid_of_tether().expect("tether pid");
    let st = Command::new("kill")
        .args(["-TSTP", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(st.success());
    suspended_then_resumed(&s);
}

#[test]
fn ctrl_z_without_a_job_control_shell_says_so_and_keeps_working() {
    if !have_tmux() {
        return;
    }
    // `sh -c` as the pane's first process: nothing could `fg` a stopped tether.
    let s = Session::start("ctrl-z-orphan", 100, 30);
    s.wait_text("Send revised quote");
    s.keys(&["C-z"]);
    s.wait_text("cannot suspend");
    s.wait_terminal_state("1 0", "still the dashboard");
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
    assert_eq!(s.terminal_state(), "0 1");
}

#[test]
fn sigquit_sigusr1_and_sigalrm_restore_the_terminal() {
    if !have_tmux() {
        return;
    }
    for sig in ["QUIT", "USR1", "ALRM"] {
        let s = Session::start(&format!("sig{sig}"), 100, 30);
        s.wait_text("Send revised quote");
        let pid = s.pid_of_tether().expect("tether pid");
        let st = Command::new("kill")
            .args([&format!("-{sig}"), &pid.to_string()])
            .status()
            .expect("kill");
        assert!(st.success());
        let screen = s.wait_text("EXITED");
        assert_eq!(s.terminal_state(), "0 1", "after SIG{sig}:\n{screen}");
        assert!(screen.contains("EXITED 0"), "after SIG{sig}:\n{screen}");
    }
}

/// The whole frame drawn for a w×h window (the grid): every row between header and footer is
/// a pane's, and the bottom pane border ends in the last column, on the row above the footer.
fn drawn_for(screen: &str, w: usize, h: usize) -> bool {
    let rows: Vec<&str> = screen.lines().collect();
    let Some(border) = rows.get(h.saturating_sub(2)) else {
        return false;
    };
    border.starts_with('└')
        && border.ends_with('┘')
        && border.chars().count() == w
        && rows
            .iter()
            .take(h - 1)
            .skip(1)
            .all(|r| r.starts_with(['┌', '│', '└']))
}

#[test]
fn quick_resizes_end_with_the_last_size_drawn_at_once() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("resize", 160, 45);
    s.wait_text("Send revised quote");
    // Each round shrinks the window and settles on a size faster than a frame; the first comes
    // back to the size already drawn (the terminal cut that frame while it was small).
    for (w, h) in [(160, 45), (130, 38), (160, 45), (100, 30)] {
        for (sw, sh) in [(60, 20), (90, 25), (w, h)] {
            s.tmux(&[
                "resize-window",
                "-t",
                "t",
                "-x",
                &sw.to_string(),
                "-y",
                &sh.to_string(),
            ]);
        }
        s.wait_within(
            &format!("the whole frame for {w}×{h}"),
            std::time::Duration::from_secs(3),
            |scr| drawn_for(scr, w, h),
        );
    }
}

#[test]
fn now_is_a_view_that_neither_sends_nor_records_alerts() {
    if !have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    let record = dir.join(".tether/alerts.jsonl");
    let before = std::fs::read_to_string(&record).ok();
    // A real notification server when the tools are here (dunst on Xvfb, on a private bus),
    // so that an alert would be accepted and recorded; else none at all.
    let have = |t: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {t}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let wrapper: &[&str] = if ["xvfb-run", "dbus-run-session", "dunst"]
        .iter()
        .all(|t| have(t))
    {
        &["xvfb-run", "-a", "dbus-run-session", "--"]
    } else {
        &[]
    };
    let s = tmux::Session::start_wrapped("e2e-frozen", &dir, &[], wrapper, 160, 45);
    let screen = s.wait_text("Send revised quote");
    s.wait("the frozen-view warning", |scr| {
        scr.lines()
            .next()
            .is_some_and(|h| h.contains("alerts off: frozen view (--now)"))
    });
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
    assert_eq!(
        std::fs::read_to_string(&record).ok(),
        before,
        "--now recorded alerts:\n{screen}"
    );
}

#[test]
fn after_sigstop_and_fg_the_dashboard_redraws_and_q_quits() {
    if !have_tmux() {
        return;
    }
    // SIGSTOP cannot be caught: the shell resets the tty to cooked mode behind tether's back.
    let (s, _tmp) = in_shell("stop", 100, 30);
    s.wait_text("Send revised quote");
    let pid = s.pid_of_tether().expect("tether pid");
    let st = Command::new("kill")
        .args(["-STOP", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(st.success());
    s.wait_text("Stopped");
    s.keys(&["-l", "fg"]);
    s.keys(&["Enter"]);
    s.wait("a full redraw", |scr| {
        !scr.contains("Stopped") && scr.contains("Send revised quote")
    });
    s.keys(&["q"]);
    s.wait("the shell again", |scr| !scr.contains("Send revised quote"));
    s.wait_tether_gone();
    s.keys(&["-l", "echo EXITED $?"]);
    s.keys(&["Enter"]);
    s.wait_text("EXITED 0");
}

#[test]
fn ctrl_z_in_the_editor_stops_the_whole_job_and_fg_comes_back_to_the_dashboard() {
    if !have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    // An "editor" that suspends itself as vi does on Ctrl-Z: SIGTSTP to its whole process
    // group, tether included; then, once continued, it exits.
    let s = tmux::Session::start_in_shell_with(
        "e2e-editor-tstp",
        &dir,
        "EDITOR=\"sh -c 'kill -TSTP 0' sh\" ",
        100,
        30,
    );
    s.wait_text("Send revised quote");
    s.keys(&["4"]);
    s.keys(&["e"]);
    // The shell sees the job stopped (tether too, not only the editor) and has the terminal.
    s.wait_text("Stopped");
    s.wait_terminal_state("0 1", "editor suspended: main screen, cursor shown");
    s.keys(&["-l", "fg"]);
    s.keys(&["Enter"]);
    s.wait("the dashboard again", |scr| {
        !scr.contains("Stopped") && scr.contains("Send revised quote")
    });
    s.wait_terminal_state("1 0", "back from the editor");
    s.keys(&["q"]);
    s.wait("the shell again", |scr| !scr.contains("Send revised quote"));
    s.wait_tether_gone();
    s.keys(&["-l", "echo EXITED $?"]);
    s.keys(&["Enter"]);
    s.wait_text("EXITED 0");
}

#[test]
fn under_now_a_fifo_as_the_alert_record_does_not_hold_up_the_dashboard() {
    if !have_tmux() {
        return;
    }
    // The record of sent alerts is read for the n list off the screen's thread.
    let fifo = |dir: &Path| {
        std::fs::create_dir_all(dir.join(".tether")).expect("mkdir");
        let st = Command::new("mkfifo")
            .arg(dir.join(".tether/alerts.jsonl"))
            .status()
            .expect("mkfifo");
        assert!(st.success());
    };
    let s = Session::start_prepared("now-fifo", 100, 30, &[], &fifo);
    s.wait_text("Send revised quote");
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
}

/// Issue 14: "what did we discuss last time?" Enter on a heat row opens the client's page with
/// the notes of its last contacts, read from the log off the screen's thread; a contact logged
/// meanwhile by another program shows with its note.
#[test]
fn enter_on_a_heat_row_shows_the_clients_last_notes() {
    if !have_tmux() {
        return;
    }
    let s = Session::start("client-page", 160, 45);
    s.wait_text("Send revised quote");
    // The coolest client heads the heat pane: Nortec.
    s.keys(&["3", "Enter"]);
    s.wait_text("Asked for the signed change request");
    append(
        &s.path("interactions.jsonl"),
        "{\"at\":\"2026-11-24T16:00-03:00\",\"client\":\"nortec\",\"kind\":\"call\",\"who\":\"Rafael\",\"note\":\"Failover window agreed\"}\n",
    );
    s.wait_text("Failover window agreed");
    s.keys(&["Escape"]);
    s.wait("the page closed", |screen| {
        !screen.contains("Failover window agreed")
    });
}
