//! Where the dashboard's start-up goes, phase by phase, in-process (no terminal):
//!
//!     cargo run --release --example phases -- /tmp/perf/data/tether-1000000
//!
//! Three rounds of: the parallel load alone, the reloader's load (what `App::open` does), the
//! board (`App::new`), the first frame into a 160×45 `TestBackend`, a minute's clock tick with
//! its frame (what an idle minute costs), and freeing it all.
//! docs/performance.md uses it to split the launch time that bench/ measures from outside.

use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: phases DATA_DIR");
        std::process::exit(2);
    };
    let now = chrono::Utc::now();
    for _ in 0..3 {
        let t = Instant::now();
        let (model, _parts) = tether::store::load::load_dir_parts(&dir);
        let load = t.elapsed();
        drop(model);

        let t = Instant::now();
        let (_reloader, loaded) = tether::store::reload::Reloader::load(&dir);
        let reloader = t.elapsed();
        let t = Instant::now();
        let app = tether::app::state::App::new(dir.clone(), loaded, now);
        let board = t.elapsed();
        let t = Instant::now();
        let backend = ratatui::backend::TestBackend::new(160, 45);
        let mut term = ratatui::Terminal::new(backend).expect("a test terminal");
        app.ui_cache.warm(&app);
        term.draw(|f| tether::ui::draw(f, &app)).expect("a frame");
        let frame = t.elapsed();
        // A minute later, as the idle dashboard's clock tick does it.
        let mut app = app;
        let t = Instant::now();
        app.refresh(now + chrono::Duration::minutes(1));
        app.ui_cache.warm(&app);
        term.draw(|f| tether::ui::draw(f, &app)).expect("a frame");
        let tick = t.elapsed();
        let t = Instant::now();
        drop(app);
        let free = t.elapsed();
        eprintln!(
            "load {load:.1?} | reloader load {reloader:.1?} | board {board:.1?} | \
             first frame {frame:.1?} | minute tick {tick:.1?} | free {free:.1?}"
        );
    }
}
