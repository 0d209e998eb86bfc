//! `tether notify` at the edges that need no desktop: exit codes for a bad directory, disabled
//! alerts, quiet hours, and `--watch` with a fixed clock or stopped by a signal.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-26T09:30:00+10:00";

fn tether(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tether"));
    c.arg("--data-dir")
        .arg(data)
        .env_remove("TETHER_DIR")
        .env_remove("DISPLAY")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    c
}

fn data_dir(root: &Path, alerts: &str) -> PathBuf {
    let dir = root.join("data");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tether.toml"),
        format!("[me]\nzone = \"Australia/Brisbane\"\nwork_hours = \"09:00-17:00\"\n{alerts}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("deadlines.jsonl"),
        "{\"id\":\"d1\",\"title\":\"Report\",\"due\":\"2026-11-27T09:00\",\"estimate\":\"14h\"}\n",
    )
    .unwrap();
    dir
}

fn output(c: &mut Command) -> (String, String, i32) {
    let out = c.output().expect("run tether");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn bad_data_dir_exits_2() {
    let root = tempfile::tempdir().unwrap();
    let missing = root.path().join("nope");
    let (out, err, code) = output(tether(&missing).args(["notify", "--once"]));
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.contains("does not exist"), "{err}");
    assert!(!missing.exists(), "notify never creates the data directory");
    let empty = root.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (_, err, code) = output(tether(&empty).args(["notify", "--once"]));
    assert_eq!(code, 2);
    assert!(err.contains("has no tether.toml"), "{err}");
}

#[test]
fn disabled_or_quiet_sends_nothing_and_exits_0() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path(), "[alerts]\nenabled = false\n");
    let (out, err, code) = output(tether(&data).args(["notify", "--once", "--now", NOW]));
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    // 23:30 in Brisbane is quiet: the alert waits (no attempt, so no warning either).
    std::fs::remove_dir_all(root.path().join("data")).unwrap();
    let data = data_dir(root.path(), "[alerts]\nquiet_hours = \"22:00-07:00\"\n");
    let (out, err, code) =
        output(tether(&data).args(["notify", "--once", "--now", "2026-11-25T23:30:00+10:00"]));
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    assert!(!data.join(".tether/alerts.jsonl").exists());
}

#[test]
fn watch_refuses_a_fixed_clock() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path(), "");
    let (_, err, code) = output(tether(&data).args(["notify", "--watch", "--now", NOW]));
    assert_eq!(code, 2);
    assert!(err.contains("--watch runs on the real clock"), "{err}");
}

#[test]
fn watch_stops_cleanly_on_sigterm() {
    let root = tempfile::tempdir().unwrap();
    // Nothing due (far in the future): the daemon just sleeps.
    let data = data_dir(root.path(), "");
    std::fs::write(
        data.join("deadlines.jsonl"),
        "{\"id\":\"d1\",\"title\":\"Later\",\"due\":\"2099-01-01T09:00\",\"estimate\":\"1h\"}\n",
    )
    .unwrap();
    let mut child = tether(&data)
        .args(["notify", "--watch"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "still watching");
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn watch_rechecks_when_a_data_file_changes() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path(), "");
    std::fs::write(data.join("deadlines.jsonl"), "").unwrap();
    let mut child = tether(&data)
        .args(["notify", "--watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // An overdue deadline appears: the daemon notices, tries, and (no bus here) warns.
    std::fs::write(
        data.join("deadlines.jsonl"),
        "{\"id\":\"d1\",\"title\":\"Late\",\"due\":\"2020-01-01T09:00\",\"estimate\":\"1h\"}\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "tether: desktop alerts unavailable: no D-Bus session bus (nothing listens at unix:path=/nonexistent); 1 alert not sent"
        ),
        "{err}"
    );
    assert!(!data.join(".tether/alerts.jsonl").exists());
}
