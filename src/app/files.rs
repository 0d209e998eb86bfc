//! The data directory at the dashboard's edge: the reloader (what was read from each file, so a
//! change reads only what it must) and the store (journalled writes). The event loop owns one;
//! it reads the files and hands [`App`] only what changed (`App::apply`, pure).
//!
//! It never waits for loading: the dashboard's first load ([`Files::start`]) and any later read
//! of [`LONG_READ_BYTES`] or more (a big file replaced by an editor or a sync tool) are read on
//! a thread of their own, which sends the result to the event loop as an [`Event`]; meanwhile
//! the screen shows what it had (or, at start, says what is loading), and keys work.
//!
//! It never waits for the alert worker and never copies the data on the screen's thread: while
//! the worker holds the data (the few ms of working out a pass), a reload or the closed history
//! stays pending, and [`Files::retry`] puts it in once the worker has let go (the event loop
//! asks again after each event and, while something is pending, every few ms).

use super::event::{Event, FirstLoad, NotesRead};
use super::state::{App, Prepared};
use crate::store::files::{DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};
use crate::store::load::{Loaded, load_config};
use crate::store::notes::read_notes;
use crate::store::reload::{
    Changes, FileChange, HISTORY_BYTES, History, HistoryData, LONG_READ_BYTES, LongReload,
    Reloaded, Reloader, Reread,
};
use crate::store::write::{DataFile, Store};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

pub struct Files {
    pub store: Store,
    dir: PathBuf,
    /// None when the app was made from data loaded elsewhere: the first sync reads it all.
    reloader: Option<Reloader>,
    /// A sync that found the data held by the alert worker, to do again.
    sync_pending: bool,
    /// The closed history, read, waiting for the alert worker to let go of the data.
    history: Option<Box<HistoryData>>,
    /// The record to select once the pending sync is in (after an undo): its file and line.
    reselect: Option<(DataFile, usize)>,
    /// Where a read too long for the screen's thread reports (the event loop's channel); None:
    /// everything is read in place (tests, tools).
    events: Option<Sender<Event>>,
    /// The first load is being read elsewhere (see [`Files::start`]).
    loading: bool,
    /// A long read is under way elsewhere; later syncs wait for it (it syncs again once in).
    rereading: bool,
    /// A long read arrived while the alert worker held the data.
    reread: Option<Box<Reread>>,
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
            events: None,
            loading: false,
            rereading: false,
            reread: None,
        }
    }

    /// Start the dashboard on `dir` without reading it here: a thread reads tether.toml (and
    /// sends it, with the record files' sizes, so the clocks show at once), then the data as
    /// [`Files::open_open_first`] does and works out its board at `now()`, and sends that
    /// ([`Event::Load`], given to [`Files::load_step`]). The app meanwhile says what is loading.
    pub fn start(
        dir: &Path,
        now: impl Fn() -> DateTime<Utc> + Send + 'static,
        events: Sender<Event>,
    ) -> (Files, App) {
        let mut files = Files::new(dir);
        files.events = Some(events.clone());
        let mut app = App::loading(dir.to_path_buf(), now());
        let owned = dir.to_path_buf();
        match read_elsewhere("tether-load", events, move |tx| {
            first_load(&owned, &now, tx)
        }) {
            Ok(_) => files.loading = true,
            // No thread to read it on: read it here, as before the dashboard had one.
            Err(_) => {
                let (r, loaded) = Reloader::load(dir);
                files.reloader = Some(r);
                app.loading = None;
                app.reload(loaded, app.now);
            }
        }
        (files, app)
    }

    /// Put in a step of the first load (from [`Files::start`]'s thread): tether.toml, or the
    /// whole of it with its board. Returns the closed history still to read, if any (the
    /// event loop reads it once the loaded screen is drawn).
    pub fn load_step(
        &mut self,
        app: &mut App,
        step: FirstLoad,
        now: DateTime<Utc>,
    ) -> Option<History> {
        match step {
            FirstLoad::Config { config, sizes } => {
                app.config_read(*config, sizes, now);
                None
            }
            FirstLoad::Done {
                reloader,
                prepared,
                history,
            } => {
                self.loading = false;
                self.reloader = Some(*reloader);
                app.loaded_in(*prepared);
                // What changed on disk while it was read (its stamps were taken first).
                self.sync(app, now);
                history.map(|h| *h)
            }
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
    /// With an event channel, a read of [`LONG_READ_BYTES`] or more goes to a thread of its own
    /// ([`Event::Reread`], given to [`Files::reread_arrived`]); until it is in, the data on
    /// screen stays as it was, and syncs wait for it. Nothing is read before the first load is in
    /// (it syncs once in).
    pub fn sync(&mut self, app: &mut App, now: DateTime<Utc>) -> Changes {
        if self.loading || self.rereading {
            return Changes::NONE;
        }
        let Some(r) = &mut self.reloader else {
            let (r, loaded) = Reloader::load(&self.dir);
            self.reloader = Some(r);
            app.reload(loaded, now);
            return Changes::ALL;
        };
        let reloaded = match &self.events {
            Some(_) => app.loaded.reload_within(r, LONG_READ_BYTES),
            None => app.loaded.reload(r).map(|changes| Reloaded {
                changes,
                long: None,
            }),
        };
        let Some(reloaded) = reloaded else {
            self.sync_pending = true;
            return Changes::NONE;
        };
        self.sync_pending = false;
        app.apply(reloaded.changes, now);
        if let Some(long) = reloaded.long {
            self.reread(long, app, now);
        }
        reloaded.changes
    }

    /// Read `long` on a thread of its own (in place if none can be started).
    fn reread(&mut self, long: LongReload, app: &mut App, now: DateTime<Utc>) {
        self.rereading = true;
        if let Some(tx) = self.events.clone() {
            let job = long.clone();
            let read = move |tx: &Sender<Event>| {
                let _ = tx.send(Event::Reread(Box::new(job.read())));
            };
            if read_elsewhere("tether-reread", tx, read).is_ok() {
                return;
            }
        }
        self.reread_arrived(app, Box::new(long.read()), now);
    }

    /// Put in what a long read found (see [`Files::sync`]); pending while the alert worker holds
    /// the data. Then reads what changed meanwhile.
    pub fn reread_arrived(
        &mut self,
        app: &mut App,
        data: Box<Reread>,
        now: DateTime<Utc>,
    ) -> Changes {
        let Some(r) = &mut self.reloader else {
            self.rereading = false;
            return Changes::NONE;
        };
        match app.loaded.put_reread(r, data) {
            Ok(changes) => {
                self.rereading = false;
                app.apply(changes, now);
                let more = self.sync(app, now);
                self.reselect_if_in(app);
                merge(changes, more)
            }
            Err(data) => {
                self.reread = Some(data);
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

    /// Whether a sync, the history or a long read waits for the alert worker to let go of the
    /// data.
    pub fn pending(&self) -> bool {
        self.sync_pending || self.history.is_some() || self.reread.is_some()
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
        if let Some(data) = self.reread.take() {
            let c = self.reread_arrived(app, data, now);
            changes = merge(changes, c);
        }
        if self.sync_pending {
            let c = self.sync(app, now);
            changes = merge(changes, c);
            self.reselect_if_in(app);
        }
        changes
    }

    /// Whether the data on screen may not be the files' yet: a sync waits for the alert worker,
    /// or a long read is under way.
    fn behind(&self) -> bool {
        self.sync_pending || self.rereading
    }

    /// Read the notes of `lines` of the contact log for the open client page: on a thread of
    /// its own (the log may be hundreds of MB; the page says "reading notes…" meanwhile), which
    /// sends [`Event::Notes`]; in place without an event channel (tests, tools).
    pub fn read_notes(&self, app: &mut App, lines: Vec<(usize, String)>) {
        if let Some(tx) = self.events.clone() {
            let (dir, job) = (self.dir.clone(), lines.clone());
            let read = move |tx: &Sender<Event>| {
                let _ = tx.send(Event::Notes(Box::new(notes_of(&dir, &job))));
            };
            if read_elsewhere("tether-notes", tx, read).is_ok() {
                return;
            }
        }
        // No thread to read them on (or no channel): a few lines, read here.
        let n = notes_of(&self.dir, &lines);
        app.notes_arrived(&n.lines, n.notes);
    }

    /// Select the record at `line` of `file` once the data is up to date: now, or when the
    /// pending sync or long read goes in.
    pub fn select_when_in(&mut self, app: &mut App, file: DataFile, line: usize) {
        if self.behind() {
            self.reselect = Some((file, line));
        } else {
            app.select_at(file, line);
        }
    }

    fn reselect_if_in(&mut self, app: &mut App) {
        if !self.behind()
            && let Some((file, line)) = self.reselect.take()
        {
            app.select_at(file, line);
        }
    }
}

/// Run `read` on a thread of its own, which sends what it read on `events`. A panic there (a
/// bug) is sent too, for the event loop to raise on its own thread: the dashboard then ends as
/// if the read had been done there, instead of waiting for what never comes.
fn read_elsewhere(
    name: &str,
    events: Sender<Event>,
    read: impl FnOnce(&Sender<Event>) + Send + 'static,
) -> std::io::Result<()> {
    let run = move || {
        let read = std::panic::AssertUnwindSafe(|| read(&events));
        if let Err(panic) = std::panic::catch_unwind(read) {
            let _ = events.send(Event::Panicked(panic));
        }
    };
    std::thread::Builder::new()
        .name(name.into())
        .spawn(run)
        .map(|_| ())
}

/// The first load, on [`Files::start`]'s thread: tether.toml and the record files' sizes
/// first (a few ms), then everything, with its board.
fn first_load(dir: &Path, now: &dyn Fn() -> DateTime<Utc>, events: &Sender<Event>) {
    let size = |name: &str| std::fs::metadata(dir.join(name)).ok().map(|m| m.len());
    let sizes = [DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE].map(size);
    let config = Box::new(load_config(dir));
    if events
        .send(Event::Load(FirstLoad::Config { config, sizes }))
        .is_err()
    {
        return;
    }
    let (reloader, loaded, history) = Reloader::load_open_first(dir);
    let prepared = Prepared::new(loaded, now());
    let _ = events.send(Event::Load(FirstLoad::Done {
        reloader: Box::new(reloader),
        prepared: Box::new(prepared),
        history: history.map(Box::new),
    }));
}

fn notes_of(dir: &Path, lines: &[(usize, String)]) -> NotesRead {
    NotesRead {
        lines: lines.iter().map(|(l, _)| *l).collect(),
        notes: read_notes(dir, lines).map_err(|e| e.to_string()),
    }
}

fn merge(a: Changes, b: Changes) -> Changes {
    let pick = |x: FileChange, y: FileChange| if y.changed() { y } else { x };
    Changes {
        all: a.all || b.all,
        deadlines: pick(a.deadlines, b.deadlines),
        followups: pick(a.followups, b.followups),
        interactions: pick(a.interactions, b.interactions),
        timelog: pick(a.timelog, b.timelog),
    }
}
