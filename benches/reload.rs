//! Reloading after a change: what the dashboard does when the watcher reports a file event.
//! `append_contact`: one contact appended to interactions.jsonl (with `>>`, as a script or
//! `tether log` does) and the reload that picks it up — only the new bytes are parsed;
//! `unchanged`: an event for a file that did not change (tether's own write echoed back).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/data.rs"]
mod data;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::io::Write;
use std::sync::Arc;
use tether::store::reload::Reloader;

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
        }
    }
}

fn reload(c: &mut Criterion) {
    let mut g = c.benchmark_group("reload");
    for n in data::sizes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("d");
        copy_dir(&data::dir(n), &dir);
        let (mut reloader, loaded) = Reloader::load(&dir);
        let mut loaded = Arc::new(loaded);
        let client = loaded.model.config.clients[0].id.clone();
        let path = dir.join("interactions.jsonl");
        g.sample_size(20);
        let mut k = 0u64;
        g.bench_function(BenchmarkId::new("append_contact", n), |b| {
            b.iter(|| {
                k += 1;
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .expect("open");
                writeln!(
                    f,
                    "{{\"at\":\"2026-11-20T10:00+09:00\",\"client\":\"{client}\",\"kind\":\"call\",\"note\":\"bench {k}\"}}"
                )
                .expect("append");
                drop(f);
                let changes = reloader.reload(&mut loaded);
                assert!(changes.any());
            })
        });
        g.bench_function(BenchmarkId::new("unchanged", n), |b| {
            b.iter(|| reloader.reload(&mut loaded))
        });
    }
    g.finish();
}

criterion_group!(benches, reload);
criterion_main!(benches);
