//! The dashboard without a terminal: a data directory, the `App` on it and the `Files` its
//! effects write through, driven key by key as the event loop drives them (`handle_key`, then
//! each effect `apply`d at the app's own `now`). What the key tests share.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use tether::app::effects::{Next, apply};
use tether::app::files::Files;
use tether::app::state::App;
use tether::app::update::handle_key;
use tether::store::load::load_dir;

pub struct Keys {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub app: App,
    pub files: Files,
}

impl Keys {
    /// On a copy of the shipped example data (`config/example`), at `now`.
    pub fn example(now: DateTime<Utc>) -> Keys {
        Keys::with(now, |dir| {
            tether::store::example::write_example(dir).expect("example");
        })
    }

    /// On a directory `fill` writes, at `now`.
    pub fn with(now: DateTime<Utc>, fill: impl FnOnce(&std::path::Path)) -> Keys {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("data");
        std::fs::create_dir_all(&dir).expect("data dir");
        fill(&dir);
        let app = App::new(dir.clone(), load_dir(&dir), now);
        let files = Files::new(&dir);
        Keys {
            _tmp: tmp,
            dir,
            app,
            files,
        }
    }

    /// One key, and what each of its effects asked the loop to do next.
    pub fn key(&mut self, code: KeyCode) -> Vec<Next> {
        self.key_with(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn key_with(&mut self, k: KeyEvent) -> Vec<Next> {
        let effects = handle_key(&mut self.app, k);
        let now = self.app.now;
        effects
            .into_iter()
            .map(|e| apply(&mut self.app, &mut self.files, e, now))
            .collect()
    }

    /// Each character as a key.
    pub fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// A data file's text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).expect("read")
    }

    /// The clock moves to `now` (a new minute's board, as the loop's tick makes it).
    pub fn at(&mut self, now: DateTime<Utc>) {
        self.app.now = now;
        self.app.refresh(now);
    }
}
