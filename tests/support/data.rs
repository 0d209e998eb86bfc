//! A fresh copy of the shipped example data directory, deleted when the test ends.

#![allow(dead_code)]

use std::path::PathBuf;

/// Wed 25 Nov 2026 09:30 in Brisbane (08:30 in Tokyo, Tue 20:30 in São Paulo).
pub const NOW: &str = "2026-11-25T09:30:00+10:00";

pub struct Data {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

pub fn example() -> Data {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).expect("example");
    Data { _tmp: tmp, dir }
}
