//! Replays the fuzzers' saved inputs in `cargo test`: every file under tests/fuzz_corpus/TARGET/
//! (the minimised corpus, and the crashes each fuzzer found, named `crash-*` or `slow-*`) goes
//! through the same function the fuzz target calls (fuzz/harness.rs), with the same checks. So a
//! bug a fuzzer found stays fixed without nightly, libFuzzer or cargo-fuzz. See
//! docs/reliability.md for running the fuzzers themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target)
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir(target))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Feed every saved input of `target` through its harness; name the input that fails.
fn replay(target: &str) {
    let (_, run) = harness::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("known target");
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no corpus for {target} in {}",
        corpus_dir(target).display()
    );
    let start = Instant::now();
    for path in &files {
        let data = std::fs::read(path).expect("read corpus file");
        let one = Instant::now();
        let result = std::panic::catch_unwind(|| run(&data));
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {} fails: {msg}", path.display());
        }
        // A slow input is a bug too (a reload must stay fast); generous for debug builds.
        assert!(
            one.elapsed() < Duration::from_secs(5),
            "{target}: {} took {:?}",
            path.display(),
            one.elapsed()
        );
    }
    eprintln!(
        "{target}: {} inputs replayed in {:?}",
        files.len(),
        start.elapsed()
    );
}

#[test]
fn config_corpus() {
    replay("config");
}

#[test]
fn records_corpus() {
    replay("records");
}

#[test]
fn time_corpus() {
    replay("time");
}

#[test]
fn edit_corpus() {
    replay("edit");
}
