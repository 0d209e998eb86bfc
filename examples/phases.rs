//! Where the dashboard's start-up goes, phase by phase, in-process (no terminal):
//!
//!     cargo run --release --example phases -- /tmp/perf/data/tether-1000000
//!
//! Three rounds of what `tether` does at start, in its order: the load (open items first on a
//! big directory, `Reloader::load_open_first`), the board (`App::new`), the first frame into a
//! 160×45 `TestBackend`; then, off the screen's thread, reading the closed history, and putting
//! it in (first while the alert worker holds the data: a key is then handled at once and the
//! history waits; then, the worker gone, the history put in with a key and its frame: what a key
//! pressed during the hand-over waits for); a minute's clock tick with its frame (what an idle minute costs); and freeing it all.
//! For comparison, the whole directory loaded at once (`load_dir_parts`) comes first.
//! docs/performance.md uses it to split the launch time that bench/ measures from outside.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::time::Instant;
use tether::app::files::Files;
use tether::store::reload::Reloader;
use tether::ui::ViewCache;

fn main() {
    let Some(dir) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: phases DATA_DIR");
        std::process::exit(2);
    };
    let now = chrono::Utc::now();
    for _ in 0..3 {
        let t = Instant::now();
        let (model, _parts) = tether::store::load::load_dir_parts(&dir);
        let whole = t.elapsed();
        drop(model);

        let t = Instant::now();
        drop(Reloader::load_open_first(&dir));
        let load = t.elapsed();
        let t = Instant::now();
        let (mut files, mut app, history) = Files::open_open_first(&dir, now);
        let board = t.elapsed().saturating_sub(load);
        let t = Instant::now();
        let backend = ratatui::backend::TestBackend::new(160, 45);
        let mut term = ratatui::Terminal::new(backend).expect("a test terminal");
        let mut cache = ViewCache::default();
        cache.warm(&app);
        term.draw(|f| tether::ui::draw(f, &app, &mut cache))
            .expect("a frame");
        let frame = t.elapsed();

        let (mut read, mut apply, mut busy) = Default::default();
        if let Some(h) = history {
            let t = Instant::now();
            let data = Box::new(h.read());
            read = t.elapsed();
            // The history arrives while the alert worker holds the data: the key pressed then
            // is handled (and drawn) at once on the data as it is; nothing waits or copies.
            let held = app.loaded.share();
            let t = Instant::now();
            files.apply_history(&mut app, data, now);
            key(&mut app);
            cache.warm(&app);
            term.draw(|f| tether::ui::draw(f, &app, &mut cache))
                .expect("a frame");
            busy = t.elapsed();
            drop(held);
            // The worker has let go: the history goes in, with a key pressed meanwhile.
            let t = Instant::now();
            files.retry(&mut app, now);
            key(&mut app);
            cache.warm(&app);
            term.draw(|f| tether::ui::draw(f, &app, &mut cache))
                .expect("a frame");
            apply = t.elapsed();
        }

        // A minute later, as the idle dashboard's clock tick does it.
        let t = Instant::now();
        app.refresh(now + chrono::Duration::minutes(1));
        cache.warm(&app);
        term.draw(|f| tether::ui::draw(f, &app, &mut cache))
            .expect("a frame");
        let tick = t.elapsed();
        let t = Instant::now();
        drop(app);
        let free = t.elapsed();
        eprintln!(
            "whole load {whole:.1?} | start: load {load:.1?}, board {board:.1?}, first frame \
             {frame:.1?} | history: read {read:.1?}, key while the worker holds the data \
             {busy:.1?}, put in + key + frame {apply:.1?} | minute tick \
             {tick:.1?} | free {free:.1?}"
        );
    }
}

/// A `j` in the follow-ups, as the event loop handles it.
fn key(app: &mut tether::app::state::App) {
    let j =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('j'));
    let _ = tether::app::update::handle_key(app, j);
}
