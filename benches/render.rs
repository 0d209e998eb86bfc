//! One full dashboard frame (160×45) into a ratatui `TestBackend`, and start-up as the binary
//! does it (load, compute the board, draw the first frame). Loading here reads the files without
//! `load_dir`'s size cap, so that every size includes all its records (see docs/performance.md).

#[path = "support/data.rs"]
mod data;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use tether::app::state::App;

const W: u16 = 160;
const H: u16 = 45;

fn render(c: &mut Criterion) {
    let now = data::now();
    let mut g = c.benchmark_group("render");
    for n in data::sizes() {
        let dir = data::dir(n);
        g.sample_size(data::samples(n));
        g.throughput(Throughput::Elements(n as u64));

        let app = App::new(dir.clone(), tether::store::load::load_dir(&dir), now);
        let mut term = Terminal::new(TestBackend::new(W, H)).expect("test backend");
        // Draw into fresh buffers each time: the dashboard's first frame and every frame after
        // an event both lay out and render every widget; only the terminal diff differs.
        g.bench_function(BenchmarkId::new("frame_160x45", n), |b| {
            b.iter(|| {
                term.draw(|f| tether::ui::draw(f, black_box(&app)))
                    .expect("draw");
            })
        });
        g.bench_function(BenchmarkId::new("app_new", n), |b| {
            b.iter_batched(
                || tether::store::load::load_dir(&dir),
                |loaded| App::new(dir.clone(), loaded, now),
                criterion::BatchSize::LargeInput,
            )
        });
        g.bench_function(BenchmarkId::new("startup_160x45", n), |b| {
            b.iter(|| {
                let app = App::new(
                    dir.clone(),
                    tether::store::load::load_dir(black_box(&dir)),
                    now,
                );
                let mut t = Terminal::new(TestBackend::new(W, H)).expect("test backend");
                t.draw(|f| tether::ui::draw(f, &app)).expect("draw");
            })
        });
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
