//! Each pane's model from a loaded directory: the whole board, and its parts one by one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/data.rs"]
mod data;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tether::domain::board::{Board, BoardFilter};
use tether::domain::clocks::clock_rows;
use tether::domain::followups::board;
use tether::domain::heat::heat_board;
use tether::domain::risk::assess;

fn compute(c: &mut Criterion) {
    let now = data::now();
    let mut g = c.benchmark_group("compute");
    for n in data::sizes() {
        let loaded = tether::store::load::load_dir(&data::dir(n));
        let m = &loaded.model;
        let cfg = &m.config;
        g.sample_size(data::samples(n));
        g.throughput(Throughput::Elements(n as u64));
        let filter = BoardFilter::default();
        g.bench_function(BenchmarkId::new("board", n), |b| {
            b.iter(|| Board::compute(black_box(m), &filter, now))
        });
        g.bench_function(BenchmarkId::new("clock_rows", n), |b| {
            b.iter(|| clock_rows(black_box(cfg), now))
        });
        g.bench_function(BenchmarkId::new("heat_board", n), |b| {
            b.iter(|| heat_board(&cfg.clients, black_box(&m.interactions), &cfg.heat, now))
        });
        g.bench_function(BenchmarkId::new("assess_all", n), |b| {
            b.iter(|| {
                black_box(&m.deadlines)
                    .iter()
                    .map(|d| assess(&d, &cfg.me, &cfg.alerts, now))
                    .collect::<Vec<_>>()
            })
        });
        g.bench_function(BenchmarkId::new("followups_board", n), |b| {
            b.iter(|| {
                board(
                    black_box(m.followups.as_typed().unwrap_or_default()),
                    &cfg.me,
                    now,
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, compute);
criterion_main!(benches);
