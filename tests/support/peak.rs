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
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tether"));
    cmd.env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(args);
    measured_command(cmd, None)
}

/// `cmd` run to its end, measured: the peak is the child's own, or, with `pid_file`, that of
/// the process whose pid a wrapper writes there (tether in a shell on a private D-Bus).
pub fn measured_command(mut cmd: Command, pid_file: Option<&Path>) -> Measured {
    let t = Instant::now();
    let mut child = cmd
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
    let own = child.id();
    let mut status = None;
    let peak_mb = peak_mb_until(
        || match pid_file {
            None => Some(own),
            Some(p) => std::fs::read_to_string(p).ok()?.trim().parse().ok(),
        },
        || {
            status = child.try_wait().expect("wait");
            status.is_some()
        },
    );
    let status = status.expect("exited");
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
        peak_mb,
    }
}

/// The high-water mark of resident memory of process `pid`, in kB (None once it is gone).
pub fn hwm_kb(pid: u32) -> Option<u64> {
    let st = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    st.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
}

/// For a process started through a wrapper (a shell under a private D-Bus): sample `pid()`
/// (None until it is known) every 2 ms until `done()`; the highest VmHWM, in MB.
pub fn peak_mb_until(mut pid: impl FnMut() -> Option<u32>, mut done: impl FnMut() -> bool) -> u64 {
    let mut peak_kb = 0u64;
    loop {
        if let Some(kb) = pid().and_then(hwm_kb) {
            peak_kb = peak_kb.max(kb);
        }
        if done() {
            return peak_kb / 1024;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
