//! One full dashboard frame (160×45) into a ratatui `TestBackend`, a key press (`j`/`k`: move the
//! selection, draw a frame), a frame of the week view, and start-up as the binary does it (load, compute the board, draw the
//! first frame), on the generated data of each size loaded with `load_dir`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/data.rs"]
mod data;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use tether::app::action::Action;
use tether::app::state::App;
use tether::app::update::update;

const W: u16 = 160;
const H: u16 = 45;

fn render(c: &mut Criterion) {
    let now = data::now();
    let mut g = c.benchmark_group("render");
    for n in data::sizes() {
        let dir = data::dir(n);
        g.sample_size(data::samples(n));
        g.throughput(Throughput::Elements(n as u64));

        let mut app = App::new(dir.clone(), tether::store::load::load_dir(&dir), now);
        let mut term = Terminal::new(TestBackend::new(W, H)).expect("test backend");
        // Draw into fresh buffers each time: the dashboard's first frame and every frame after
        // an event both lay out and render every widget; only the terminal diff differs. This is
        // the first frame after the board is computed (App::new, a new minute, new data, a
        // filter): the UI cache (column widths, section counts) is empty and filled by the frame.
        let mut cache = tether::ui::ViewCache::default();
        g.bench_function(BenchmarkId::new("frame_160x45", n), |b| {
            b.iter(|| {
                cache = Default::default();
                term.draw(|f| tether::ui::draw(f, black_box(&app), &mut cache))
                    .expect("draw");
            })
        });
        // What a `j`/`k` costs: the selection moves (at the bottom of the focused follow-up
        // list, the far end from where a search for the selected row starts) and a frame is
        // drawn. The board is not recomputed, so any per-board work is already done.
        update(&mut app, Action::Bottom);
        let mut up = true;
        g.bench_function(BenchmarkId::new("key_160x45", n), |b| {
            b.iter(|| {
                update(&mut app, if up { Action::Up } else { Action::Down });
                up = !up;
                term.draw(|f| tether::ui::draw(f, black_box(&app), &mut cache))
                    .expect("draw");
            })
        });
        // The week view (`w`): seven days of your hours and every client's, worked out for the
        // frame (nothing of it is cached).
        update(&mut app, Action::Week);
        g.bench_function(BenchmarkId::new("week_160x45", n), |b| {
            b.iter(|| {
                term.draw(|f| tether::ui::draw(f, black_box(&app), &mut cache))
                    .expect("draw");
            })
        });
        drop(app);
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
                let mut cache = tether::ui::ViewCache::default();
                t.draw(|f| tether::ui::draw(f, &app, &mut cache))
                    .expect("draw");
            })
        });
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
