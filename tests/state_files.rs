//! tether's own files in `.tether/` (the status cache, the undo journal, the alerts record) are
//! opened without following links and without waiting on a named pipe, through the real binary
//! with a time limit: a hang is a failure, not a stuck test run.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/data.rs"]
mod data;

use data::{NOW, example};

fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .expect("mkfifo");
}

/// Run tether with `args` on `dir`; kill it after `limit`. `None`: it did not finish in time.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Option<(String, String, i32)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tether"))
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW])
        .args(args)
        .env_remove("TETHER_DIR")
        .env_remove("TETHER_STATUS_FORMAT")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tether");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            let out = child.wait_with_output().expect("output");
            return Some((
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
                out.status.code().unwrap_or(-1),
            ));
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_named_pipe_as_the_status_cache_does_not_hang_status() {
    let d = example();
    let state = d.dir.join(".tether");
    std::fs::create_dir_all(&state).expect("mkdir");
    let cache = state.join("status-cache");
    mkfifo(&cache);
    let (out, err, code) = run_within(&d.dir, &["status"], Duration::from_secs(10))
        .expect("`tether status` hung on a named pipe as .tether/status-cache");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("overdue"), "{out}");
    // The pipe was replaced by a real cache, which the next call uses.
    assert!(
        std::fs::symlink_metadata(&cache).expect("cache").is_file(),
        "the cache is not a plain file"
    );
    let again = run_within(&d.dir, &["status"], Duration::from_secs(10)).expect("second call");
    assert_eq!(again.0, out);
}

#[test]
fn a_status_cache_linked_out_of_the_data_folder_is_not_followed() {
    let d = example();
    let state = d.dir.join(".tether");
    std::fs::create_dir_all(&state).expect("mkdir");
    let outside = d.dir.parent().expect("parent").join("elsewhere");
    std::fs::write(&outside, "not tether's").expect("write");
    let cache = state.join("status-cache");
    std::os::unix::fs::symlink(&outside, &cache).expect("symlink");
    let (out, err, code) = run_within(&d.dir, &["status"], Duration::from_secs(10)).expect("ran");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("overdue"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&outside).expect("read"),
        "not tether's"
    );
}
