//! The data directory at the dashboard's edge: the reloader (what was read from each file, so a
//! change reads only what it must) and the store (journalled writes). The event loop owns one;
//! it reads the files and hands [`App`] only what changed (`App::apply`, pure).
//!
//! It never waits for the alert worker and never copies the data on the screen's thread: while
//! the worker holds the data (the few ms of working out a pass), a reload or the closed history
//! stays pending, and [`Files::retry`] puts it in once the worker has let go (the event loop
//! asks again after each event and, while something is pending, every few ms).

use super::state::App;
use crate::store::load::Loaded;
use crate::store::reload::{Changes, FileChange, HISTORY_BYTES, History, HistoryData, Reloader};
use crate::store::write::Store;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

pub struct Files {
    pub store: Store,
    dir: PathBuf,
    /// None when the app was made from data loaded elsewhere: the first sync reads it all.
    reloader: Option<Reloader>,
    /// A sync that found the data held by the alert worker, to do again.
    sync_pending: bool,
    /// The closed history, read, waiting for the alert worker to let go of the data.
    history: Option<Box<HistoryData>>,
    /// The line text of the record to select once the pending sync is in (after an undo).
    reselect: Option<String>,
}

impl Files {
    /// For an app made from data loaded elsewhere (`App::new`): its first sync reads the
    /// directory whole, later ones only what changed.
    pub fn new(dir: &Path) -> Files {
        Files {
            store: Store::new(dir),
            dir: dir.to_path_buf(),
            reloader: None,
            sync_pending: false,
            history: None,
            reselect: None,
        }
    }

    /// Load `dir` for the dashboard, remembering what was read.
    pub fn open(dir: &Path, now: DateTime<Utc>) -> (Files, App) {
        let (reloader, loaded) = Reloader::load(dir);
        Files::with(dir, reloader, loaded, now)
    }

    /// [`Files::open`] for the dashboard's start: on a big directory the closed history is left
    /// out and returned, to be read off the screen's thread and given to
    /// [`Files::apply_history`] (see `Reloader::load_open_first`).
    pub fn open_open_first(dir: &Path, now: DateTime<Utc>) -> (Files, App, Option<History>) {
        Files::open_open_first_from(dir, now, HISTORY_BYTES)
    }

    /// [`Files::open_open_first`] from `min_bytes` of deadlines and follow-ups on (tests).
    pub fn open_open_first_from(
        dir: &Path,
        now: DateTime<Utc>,
        min_bytes: u64,
    ) -> (Files, App, Option<History>) {
        let (reloader, loaded, history) = Reloader::load_open_first_from(dir, min_bytes);
        let (files, app) = Files::with(dir, reloader, loaded, now);
        (files, app, history)
    }

    fn with(dir: &Path, reloader: Reloader, loaded: Loaded, now: DateTime<Utc>) -> (Files, App) {
        let mut files = Files::new(dir);
        files.reloader = Some(reloader);
        (files, App::new(dir.to_path_buf(), loaded, now))
    }

    /// Bring the app's data up to date with the files after a change on disk or a write of ours:
    /// nothing when no file changed (as after the watcher reports our own write again), only the
    /// appended lines of a file that grew, one file re-parsed when only it changed. While the
    /// alert worker holds the data, nothing is read: the sync is pending (see [`Files::retry`]).
    pub fn sync(&mut self, app: &mut App, now: DateTime<Utc>) -> Changes {
        let Some(r) = &mut self.reloader else {
            let (r, loaded) = Reloader::load(&self.dir);
            self.reloader = Some(r);
            app.reload(loaded, now);
            return Changes::ALL;
        };
        match app.loaded.reload(r) {
            Some(changes) => {
                self.sync_pending = false;
                app.apply(changes, now);
                changes
            }
            None => {
                self.sync_pending = true;
                Changes::NONE
            }
        }
    }

    /// Put in the closed history read after [`Files::open_open_first`] (moved in, not copied);
    /// pending while the alert worker holds the data.
    pub fn apply_history(
        &mut self,
        app: &mut App,
        data: Box<HistoryData>,
        now: DateTime<Utc>,
    ) -> Changes {
        let Some(r) = &mut self.reloader else {
            return Changes::NONE;
        };
        match app.loaded.apply_history(r, data) {
            Ok(changes) => {
                app.history_arrived(changes, now);
                changes
            }
            Err(data) => {
                self.history = Some(data);
                Changes::NONE
            }
        }
    }

    /// Whether a sync or the history waits for the alert worker to let go of the data.
    pub fn pending(&self) -> bool {
        self.sync_pending || self.history.is_some()
    }

    /// Do what was pending, if the data is free now; what it changed.
    pub fn retry(&mut self, app: &mut App, now: DateTime<Utc>) -> Changes {
        if !self.pending() || app.loaded.is_shared() {
            return Changes::NONE;
        }
        let mut changes = Changes::NONE;
        if let Some(h) = self.history.take() {
            changes = self.apply_history(app, h, now);
        }
        if self.sync_pending {
            let c = self.sync(app, now);
            changes = merge(changes, c);
            if !self.sync_pending
                && let Some(text) = self.reselect.take()
            {
                app.select_by_text(&text);
            }
        }
        changes
    }

    /// Select the record whose line text is `text` once the data is up to date: now, or when
    /// the pending sync goes in.
    pub fn select_when_in(&mut self, app: &mut App, text: &str) {
        if self.sync_pending {
            self.reselect = Some(text.to_string());
        } else {
            app.select_by_text(text);
        }
    }
}

fn merge(a: Changes, b: Changes) -> Changes {
    let pick = |x: FileChange, y: FileChange| if y.changed() { y } else { x };
    Changes {
        all: a.all || b.all,
        deadlines: pick(a.deadlines, b.deadlines),
        followups: pick(a.followups, b.followups),
        interactions: pick(a.interactions, b.interactions),
    }
}
