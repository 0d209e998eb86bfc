//! Running the real binary on a data directory with its peak memory measured (the child's own
//! `VmHWM`, sampled until it exits), as tests/hostile_inputs.rs measures `check` and `agenda`.

#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a measured run did: exit code, standard output and error, time, peak memory in MB.
pub struct Measured {
    pub code: i32,
    pub out: String,
    pub err: String,
    pub took: Duration,
    pub peak_mb: u64,
}

/// `tether --data-dir DIR ARGS…` (no `TETHER_DIR` from outside), measured.
pub fn measured(dir: &Path, args: &[&str]) -> Measured {
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tether"))
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tether runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    // wait4's ru_maxrss would include this test process's memory, which the child inherits at
    // spawn: read the child's own high-water mark instead.
    let pid = child.id();
    let mut peak_kb = 0u64;
    let status = loop {
        if let Ok(st) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let hwm = st
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let (out, err) = (out.join().expect("stdout"), err.join().expect("stderr"));
    assert!(
        status.code().is_some(),
        "tether was killed by a signal:\n{err}"
    );
    assert!(!err.contains("panicked"), "tether panicked:\n{err}");
    Measured {
        code: status.code().unwrap_or(-1),
        out,
        err,
        took: t.elapsed(),
        peak_mb: peak_kb / 1024,
    }
}
