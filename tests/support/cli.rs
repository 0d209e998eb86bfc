//! Running the real binary on a data directory at a fixed `--now`, and reading its record
//! files back: what the CLI tests of the alert passes (gift seasons, milestones, invoices)
//! share.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::Path;

/// A new data directory with `config` as its tether.toml (removed when dropped).
pub fn data_dir(config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(tmp.path().join("tether.toml"), config).expect("tether.toml written");
    tmp
}

/// `tether --data-dir DIR --now NOW ARGS…` (no `TETHER_DIR` from outside); its stdout. The
/// command must succeed: its output is the failure's message otherwise.
pub fn tether_at(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("tether")
        .expect("the tether binary")
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now])
        .args(args)
        .output()
        .expect("tether runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every line of the record file `name` in `dir`, parsed (none when it is missing).
pub fn records(dir: &Path, name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}
