//! Benchmark data: generated once per size into a cache under the system temp dir (so the three
//! bench binaries and repeated runs share it), then loaded with tether's own loader.
//!
//! Sizes come from `TETHER_BENCH_SIZES` (comma-separated record counts; default
//! `1000,10000,100000,1000000`).
#![allow(dead_code)] // each bench uses a different part

#[path = "datagen.rs"]
pub mod datagen;

use std::path::{Path, PathBuf};

/// Bump when the generator's output changes, so stale caches are rewritten.
const GEN_VERSION: u32 = 2;
pub const SEED: u64 = 1;

pub fn sizes() -> Vec<usize> {
    std::env::var("TETHER_BENCH_SIZES")
        .ok()
        .map(|s| {
            s.split(',')
                .filter_map(|x| x.trim().replace('_', "").parse().ok())
                .collect()
        })
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000, 1_000_000])
}

/// A generated directory with `records` records (made on first use).
pub fn dir(records: usize) -> PathBuf {
    let root = std::env::var_os("TETHER_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("tether-bench-data"));
    let dir = root.join(format!("tether-{records}-s{SEED}-v{GEN_VERSION}"));
    let stamp = dir.join(".complete");
    if !stamp.exists() {
        let spec = datagen::Spec::from_total(records, SEED);
        let s = datagen::generate(&spec, &dir).expect("generate bench data");
        std::fs::write(&stamp, format!("{}\n", s.bytes())).expect("write stamp");
    }
    dir
}

/// The instant benchmarks evaluate at: 09:30 in Brisbane on the generator's anchor date.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    datagen::anchor_now(datagen::default_anchor())
}

/// Criterion sample size: fewer samples for the big sizes (one run takes long enough).
pub fn samples(records: usize) -> usize {
    if records >= 100_000 { 10 } else { 20 }
}

/// Read a data file whole, for the per-parser benches.
pub fn text(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}
