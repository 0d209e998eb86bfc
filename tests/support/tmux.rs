//! The real dashboard in a detached tmux session, for the hardening tests (the same approach as
//! tests/e2e_tmux.rs): read the screen with capture-pane, type with send-keys.
//! Without tmux the callers print SKIPPED and pass, unless TETHER_REQUIRE_E2E=1.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub const NOW: &str = "2026-11-25T09:30:00+10:00";

pub fn have_tmux() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var("TETHER_REQUIRE_E2E").as_deref() == Ok("1") {
            panic!("tmux is required (TETHER_REQUIRE_E2E=1) but not installed");
        }
        eprintln!("SKIPPED: tmux not installed; dashboard hardening tests did not run");
    }
    ok
}

pub struct Session {
    socket: String,
    pub dir: PathBuf,
}

impl Session {
    /// Run tether on `dir` in a w×h tmux window with `env` set. The pane stays after tether
    /// exits, printing `EXITED <code>`, so the test can inspect the terminal.
    pub fn start(name: &str, dir: &Path, env: &[&str], w: u16, h: u16) -> Session {
        Session::start_wrapped(name, dir, env, &[], w, h)
    }

    /// Like `start`, with the shell that runs tether itself run by `wrapper` (a command that
    /// runs its arguments, as `dbus-run-session --`).
    pub fn start_wrapped(
        name: &str,
        dir: &Path,
        env: &[&str],
        wrapper: &[&str],
        w: u16,
        h: u16,
    ) -> Session {
        let cmd = format!(
            "{} --data-dir '{}' --now {NOW}; echo EXITED $?; sleep 60",
            env!("CARGO_BIN_EXE_tether"),
            dir.display()
        );
        let mut program: Vec<&str> = wrapper.to_vec();
        program.extend(["sh", "-c", &cmd]);
        Session::spawn(name, dir, env, &program, w, h)
    }

    /// `sh -c script` under `wrapper` in a w×h window with `env` set, for a test that runs
    /// tether its own way (the real clock, the default data directory): the script runs
    /// `$TETHER`. `dir` is where that tether's data is.
    pub fn start_script(
        name: &str,
        dir: &Path,
        env: &[&str],
        wrapper: &[&str],
        script: &str,
        w: u16,
        h: u16,
    ) -> Session {
        let tether = format!("TETHER={}", env!("CARGO_BIN_EXE_tether"));
        let mut env = env.to_vec();
        env.push(&tether);
        let mut program: Vec<&str> = wrapper.to_vec();
        program.extend(["sh", "-c", script]);
        Session::spawn(name, dir, &env, &program, w, h)
    }

    /// An interactive shell with job control (bash, prompt `shell> `) in the pane, that has typed
    /// the tether command line and Enter: Ctrl-Z, `fg` and `$?` work as for a person.
    pub fn start_in_shell(name: &str, dir: &Path, w: u16, h: u16) -> Session {
        Session::start_in_shell_with(name, dir, "", w, h)
    }

    /// `start_in_shell`, with `prefix` typed before the command (`EDITOR=… `).
    pub fn start_in_shell_with(name: &str, dir: &Path, prefix: &str, w: u16, h: u16) -> Session {
        let s = Session::spawn(
            name,
            dir,
            &["PS1=shell> ", "HISTFILE=/dev/null"],
            &["bash", "--norc", "--noprofile", "-i"],
            w,
            h,
        );
        s.wait("the shell prompt", |scr| scr.contains("shell>"));
        let line = format!(
            "{prefix}{} --data-dir '{}' --now {NOW}",
            env!("CARGO_BIN_EXE_tether"),
            dir.display()
        );
        s.keys(&["-l", &line]);
        s.keys(&["Enter"]);
        s
    }

    fn spawn(name: &str, dir: &Path, env: &[&str], program: &[&str], w: u16, h: u16) -> Session {
        let socket = format!("tether-hard-{}-{name}", std::process::id());
        let st = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-s", "t", "-x", &w.to_string(), "-y", &h.to_string()])
            .args(["env", "NO_COLOR=", "EDITOR=true", "LANG=C.UTF-8"])
            .args(env)
            .args(program)
            .status()
            .expect("tmux");
        assert!(st.success());
        let s = Session {
            socket,
            dir: dir.to_path_buf(),
        };
        s.tmux(&["set-option", "-g", "status", "off"]);
        s
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Wait until the screen satisfies `pred`; on timeout, fail showing the screen.
    pub fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_within(what, Duration::from_secs(10), pred)
    }

    /// `wait` with a limit of its own.
    pub fn wait_within(&self, what: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > limit {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until no tether of this session's data directory runs: its screen restored is not
    /// yet its exit (keys typed in between would still be read by it).
    pub fn wait_tether_gone(&self) {
        let start = Instant::now();
        while let Some(pid) = self.pid_of_tether() {
            if start.elapsed() > Duration::from_secs(10) {
                panic!(
                    "tether (pid {pid}) still running; screen:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait(text, |s| s.contains(text))
    }

    /// `#{alternate_on} #{cursor_flag}`: "0 1" once tether has left the alternate screen and
    /// shown the cursor again.
    pub fn terminal_state(&self) -> String {
        self.tmux(&["display", "-p", "-t", "t", "#{alternate_on} #{cursor_flag}"])
            .trim()
            .to_string()
    }

    /// Wait (up to 10 s) until `terminal_state` is `want`: the screen's text and the cursor's
    /// state reach tmux in separate writes.
    pub fn wait_terminal_state(&self, want: &str, what: &str) {
        let start = Instant::now();
        loop {
            let got = self.terminal_state();
            if got == want {
                return;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!(
                    "{what}: terminal state {got:?}, not {want:?}; screen:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pid of the tether process running on this session's data directory.
    pub fn pid_of_tether(&self) -> Option<i32> {
        let out = Command::new("pgrep")
            .args(["-f", "--", &format!("--data-dir {}", self.dir.display())])
            .output()
            .ok()?;
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.trim().parse::<i32>().ok())
            .find(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|c| c.trim() == "tether")
            })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
