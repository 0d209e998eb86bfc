//! Loading: each file kind parsed from text already in memory, and the whole directory from disk.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/data.rs"]
mod data;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tether::store::config::parse_config;
use tether::store::load::load_dir;
use tether::store::records::{parse_deadlines, parse_followups, parse_interactions};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    for n in data::sizes() {
        let dir = data::dir(n);
        // The parsers alone, on text already in memory.
        let text = |name: &str| data::text(&dir, name);
        let (config_t, dl, fu, ix) = (
            text("tether.toml"),
            text("deadlines.jsonl"),
            text("followups.jsonl"),
            text("interactions.jsonl"),
        );
        let config = parse_config(&config_t).0;
        g.sample_size(data::samples(n));

        g.throughput(Throughput::Bytes(config_t.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_config", n), &config_t, |b, t| {
            b.iter(|| parse_config(black_box(t)))
        });
        g.throughput(Throughput::Bytes(dl.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_deadlines", n), &dl, |b, t| {
            b.iter(|| parse_deadlines(black_box(t), &config))
        });
        g.throughput(Throughput::Bytes(fu.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_followups", n), &fu, |b, t| {
            b.iter(|| parse_followups(black_box(t), &config))
        });
        g.throughput(Throughput::Bytes(ix.len() as u64));
        g.bench_with_input(BenchmarkId::new("parse_interactions", n), &ix, |b, t| {
            b.iter(|| parse_interactions(black_box(t), &config))
        });
        let total = (config_t.len() + dl.len() + fu.len() + ix.len()) as u64;
        g.throughput(Throughput::Bytes(total));
        // The real loader (what the dashboard start-up and `tether check` pay).
        g.bench_with_input(BenchmarkId::new("load_dir", n), &dir, |b, d| {
            b.iter(|| load_dir(black_box(d)))
        });
    }
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
