//! Reloading a data directory after a change, doing only what the change needs: a file that did
//! not change (same inode, size and mtime) is not read; a `.jsonl` file that only grew has only
//! its appended bytes parsed; any other change re-parses that one file; a changed `tether.toml`
//! reloads everything. Stat, read and parse only: no terminal, no board.
//!
//! The result is the same model and diagnostics as [`load_dir`] on the new files (tests check
//! this), with one deliberate limit: "only grew" is judged by the size and a fingerprint of the
//! bytes already read — all of them for a file up to [`WHOLE_PREFIX_BYTES`], else its first
//! [`HEAD_BYTES`] and last [`TAIL_BYTES`] — so an in-place edit deep inside a big file that also
//! grew it, in one save, and left those sampled bytes as they were, would go unseen until the
//! next change that re-parses the file.

use super::diagnostic::Diagnostic;
use super::files::CONFIG_FILE;
use super::load::{
    FilePart, Loaded, MAX_FILE_BYTES, load_closed_records, load_dir, load_dir_parts_in,
    load_timelog, read_for_load, read_record_file,
};
use super::records::{
    DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, MAX_DIAGNOSTICS_PER_FILE, Mode,
    TIMELOG_FILE, parse_deadlines, parse_followups, parse_interactions,
};
use crate::domain::held::{Held, Record};
use crate::domain::model::{Config, Deadline, Followup, Interaction, Model, TimeEntry};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file up to this size is fingerprinted whole (a few ms of hashing at most).
pub const WHOLE_PREFIX_BYTES: u64 = 4 * 1024 * 1024;
/// Past [`WHOLE_PREFIX_BYTES`], the fingerprint covers this many bytes at the start …
pub const HEAD_BYTES: u64 = 4 * 1024;
/// … and this many at the end.
pub const TAIL_BYTES: u64 = 64 * 1024;

/// From this many bytes to read and parse, the dashboard reads a change off the screen's thread
/// ([`Reloader::try_reload_within`]): about 10 000 records, a few ms in a release build.
pub const LONG_READ_BYTES: u64 = 1 << 20;

/// What happened to one data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    Same,
    /// Records were added at the end; those before index `from` are the ones that were there.
    Appended {
        from: usize,
    },
    /// Re-parsed whole: any record may have changed.
    Replaced,
}

impl FileChange {
    pub fn changed(&self) -> bool {
        *self != FileChange::Same
    }
}

/// What a reload changed in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    /// Everything was loaded again (tether.toml changed, or the directory itself).
    pub all: bool,
    pub deadlines: FileChange,
    pub followups: FileChange,
    pub interactions: FileChange,
    /// timelog.jsonl (always re-read whole: it is small).
    pub timelog: FileChange,
}

impl Changes {
    pub const NONE: Changes = Changes {
        all: false,
        deadlines: FileChange::Same,
        followups: FileChange::Same,
        interactions: FileChange::Same,
        timelog: FileChange::Same,
    };
    pub const ALL: Changes = Changes {
        all: true,
        deadlines: FileChange::Replaced,
        followups: FileChange::Replaced,
        interactions: FileChange::Replaced,
        timelog: FileChange::Replaced,
    };

    /// Record what happened to data file `i` (deadlines, follow-ups or contacts).
    fn set(&mut self, i: usize, c: FileChange) {
        match i {
            DEADLINES => self.deadlines = c,
            FOLLOWUPS => self.followups = c,
            TIMELOG => self.timelog = c,
            _ => self.interactions = c,
        }
    }

    pub fn any(&self) -> bool {
        self.all
            || self.deadlines.changed()
            || self.followups.changed()
            || self.interactions.changed()
            || self.timelog.changed()
    }
}

/// What `stat` says about a file; equal stamps mean "not changed" (no read).
use super::fsio::FileStamp as Stamp;

fn stamp(path: &Path) -> Option<Stamp> {
    Stamp::of_path(path)
}

/// What is needed to tell whether a file only grew since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grown {
    /// Bytes read (the loaded text is exactly these bytes).
    len: u64,
    /// Lines in them (they end with a newline).
    lines: usize,
    fingerprint: u64,
}

/// The fingerprint of a file's first `len` bytes: `whole` is either all of them, or (past
/// [`WHOLE_PREFIX_BYTES`]) `head` is the first [`HEAD_BYTES`] and `whole` the last
/// [`TAIL_BYTES`].
fn fingerprint(len: u64, head: &[u8], whole: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    len.hash(&mut h);
    if len > WHOLE_PREFIX_BYTES {
        h.write(head);
    }
    h.write(whole);
    h.finish()
}

/// What lets a later append to a file just loaded in blocks be parsed alone: None when its
/// reading had problems (decoding replaced bad lines: the text is not the file's bytes) or it
/// was not there.
fn grown_after_load(path: &Path, part: &FilePart, loaded: Option<Stamp>) -> Option<Grown> {
    if part.read.is_empty() && loaded.is_some() {
        grown_on_disk(path, part.bytes, part.lines, loaded)
    } else {
        None
    }
}

/// [`grown_of`] for a file just loaded in blocks: its first `len` bytes (holding `lines`
/// lines) are read back for the fingerprint. None when the file is no longer the one that was
/// loaded (its stamp moved: it changed during the load), so the next change re-parses it.
fn grown_on_disk(path: &Path, len: u64, lines: usize, loaded: Option<Stamp>) -> Option<Grown> {
    use std::os::unix::fs::FileExt;
    let f = std::fs::File::open(path).ok()?;
    let read_at = |at: u64, n: u64| -> Option<Vec<u8>> {
        let mut buf = vec![0; n as usize];
        f.read_exact_at(&mut buf, at).ok()?;
        Some(buf)
    };
    let (head, whole) = if len > WHOLE_PREFIX_BYTES {
        (
            read_at(0, HEAD_BYTES)?,
            read_at(len - TAIL_BYTES, TAIL_BYTES)?,
        )
    } else {
        (Vec::new(), read_at(0, len)?)
    };
    // Only a text that ends a line can be continued by appending.
    if len == 0 || whole.last() != Some(&b'\n') || stamp(path) != loaded {
        return None;
    }
    Some(Grown {
        len,
        lines,
        fingerprint: fingerprint(len, &head, &whole),
    })
}

fn grown_of(text: &str) -> Option<Grown> {
    let b = text.as_bytes();
    // Only a text that ends a line can be continued by appending (a last line without its
    // newline would be joined with the first appended one).
    if !b.ends_with(b"\n") {
        return None;
    }
    let len = b.len() as u64;
    let fp = if len > WHOLE_PREFIX_BYTES {
        fingerprint(
            len,
            &b[..HEAD_BYTES as usize],
            &b[b.len() - TAIL_BYTES as usize..],
        )
    } else {
        fingerprint(len, &[], b)
    };
    Some(Grown {
        len,
        lines: b.iter().filter(|&&c| c == b'\n').count(),
        fingerprint: fp,
    })
}

#[derive(Debug, Clone, Default)]
struct FileState {
    stamp: Option<Stamp>,
    /// None when appending cannot be trusted (bad UTF-8, a last line without newline, an
    /// unreadable file, …): any change then re-parses the file.
    grown: Option<Grown>,
    read_diags: Vec<Diagnostic>,
    parse_diags: Vec<Diagnostic>,
    /// Hashes of the record ids in the file (a duplicate id across old and new lines needs the
    /// whole file to word its message); None until the first append needs them.
    ids: Option<HashSet<u64>>,
    /// Only the open lines were read (see [`Reloader::load_open_first`]).
    partial: bool,
}

fn id_hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

const CONFIG: usize = 0;
const DEADLINES: usize = 1;
const FOLLOWUPS: usize = 2;
const INTERACTIONS: usize = 3;
const TIMELOG: usize = 4;
const NAMES: [&str; 5] = [
    CONFIG_FILE,
    DEADLINES_FILE,
    FOLLOWUPS_FILE,
    INTERACTIONS_FILE,
    TIMELOG_FILE,
];

/// From this many bytes of deadlines.jsonl and followups.jsonl together, the dashboard shows the
/// open items first and reads the closed history right after (about 150k records).
pub const HISTORY_BYTES: u64 = 8 << 20;

/// The closed history still to read after a [`Reloader::load_open_first`]: Send, so a thread of
/// its own can read it.
#[derive(Debug, Clone)]
pub struct History {
    dir: PathBuf,
    config: Config,
}

/// deadlines.jsonl and followups.jsonl read whole, their closed records kept, for
/// [`Reloader::apply_history`].
#[derive(Debug, Clone)]
pub struct HistoryData {
    /// Each file's stamp before it was read (equal after: else `grown` is None).
    stamps: [Option<Stamp>; 2],
    deadlines: Held<Deadline>,
    followups: Held<Followup>,
    parts: [FilePart; 2],
    grown: [Option<Grown>; 2],
}

impl History {
    /// Read the two files whole (as [`load_dir`] reads them), keeping the closed records: the
    /// open ones are in the model already.
    pub fn read(self) -> HistoryData {
        let paths = [DEADLINES_FILE, FOLLOWUPS_FILE].map(|n| self.dir.join(n));
        let stamps = paths.clone().map(|p| stamp(&p));
        let (deadlines, followups, parts) = load_closed_records(&self.dir, &self.config);
        let grown = [0, 1].map(|k| grown_after_load(&paths[k], &parts[k], stamps[k]));
        HistoryData {
            stamps,
            deadlines,
            followups,
            parts,
            grown,
        }
    }
}

/// Remembers what was read from each file, to reload only what changed.
#[derive(Debug, Clone)]
pub struct Reloader {
    dir: PathBuf,
    /// False when the directory could not be loaded at all (missing, a file): reload whole.
    dir_ok: bool,
    files: [FileState; 5],
    /// The holiday calendars tether.toml names (`holidays_ics`) and their stamps when read: a
    /// change to one reads tether.toml again, as a change to it does.
    calendars: Vec<(PathBuf, Option<Stamp>)>,
}

impl Reloader {
    /// Load the directory (the same result as [`load_dir`]) and remember what was read.
    pub fn load(dir: &Path) -> (Reloader, Loaded) {
        let (r, loaded, _) = Reloader::load_in(dir, Mode::All);
        (r, loaded)
    }

    /// [`Reloader::load`] for the dashboard's start: when deadlines.jsonl and followups.jsonl
    /// hold [`HISTORY_BYTES`] or more, their closed lines are skipped (as `status` skips them),
    /// so the first screen, which shows open items only, does not wait for years of history.
    /// The [`History`] then reads those two files whole, off the screen's thread, and
    /// [`Reloader::apply_history`] puts them in: the same model and diagnostics as
    /// [`load_dir`]. Until then the closed items and the problems in closed lines are missing.
    pub fn load_open_first(dir: &Path) -> (Reloader, Loaded, Option<History>) {
        Reloader::load_open_first_from(dir, HISTORY_BYTES)
    }

    /// [`Reloader::load_open_first`] from `min_bytes` of deadlines and follow-ups on (tests).
    pub fn load_open_first_from(dir: &Path, min_bytes: u64) -> (Reloader, Loaded, Option<History>) {
        let len = |name: &str| std::fs::metadata(dir.join(name)).map_or(0, |m| m.len());
        if len(DEADLINES_FILE) + len(FOLLOWUPS_FILE) < min_bytes {
            let (r, loaded) = Reloader::load(dir);
            return (r, loaded, None);
        }
        Reloader::load_in(dir, Mode::OpenOnly)
    }

    fn load_in(dir: &Path, mode: Mode) -> (Reloader, Loaded, Option<History>) {
        let mut r = Reloader {
            dir: dir.to_path_buf(),
            dir_ok: dir.is_dir(),
            files: Default::default(),
            calendars: Vec::new(),
        };
        if !r.dir_ok {
            return (r, load_dir(dir), None);
        }
        // Stamps first: a write during the read then shows as a change next time.
        for (i, f) in r.files.iter_mut().enumerate() {
            f.stamp = stamp(&dir.join(NAMES[i]));
        }
        // The same parallel block reader as `load_dir`; what is needed to recognise a later
        // append is then read back from the file (its head and tail, or all of a small file).
        let (model, parts) = load_dir_parts_in(dir, mode);
        let partial = mode == Mode::OpenOnly;
        for (i, (f, part)) in r.files.iter_mut().zip(parts).enumerate() {
            if i != CONFIG {
                // Built at the first append (most sessions have none): not at start-up.
                f.ids = None;
                // Any change to a file read in part re-reads it whole (no append to a part).
                f.partial = partial && i != INTERACTIONS && i != TIMELOG && f.stamp.is_some();
                // timelog.jsonl is always read whole again (no `grown`): it is small.
                if !f.partial && i != TIMELOG {
                    f.grown = grown_after_load(&dir.join(NAMES[i]), &part, f.stamp);
                }
            }
            f.read_diags = part.read;
            f.parse_diags = part.parse;
        }
        let history = (r.files[DEADLINES].partial || r.files[FOLLOWUPS].partial).then(|| History {
            dir: dir.to_path_buf(),
            config: model.config.clone(),
        });
        // Stamped after the load (a calendar is named by the config just read); a change while
        // it was read shows at the next one.
        r.calendars = super::ics_import::calendar_paths(dir, &model.config)
            .into_iter()
            .map(|p| {
                let s = stamp(&p);
                (p, s)
            })
            .collect();
        let diagnostics = r.diagnostics();
        (r, Loaded { model, diagnostics }, history)
    }

    /// Put in the history read by [`History::read`]: each of the two files that was read in
    /// part and has not changed since (else a reload has read it whole already, or will). The
    /// records are moved in, never copied; when the data must change while someone else holds
    /// it (the alert worker, for the few ms of a pass), nothing changes and the history comes
    /// back, to be put in once they let go.
    pub fn apply_history(
        &mut self,
        h: Box<HistoryData>,
        loaded: &mut Arc<Loaded>,
    ) -> Result<Changes, Box<HistoryData>> {
        let [d_stamp, f_stamp] = h.stamps;
        let (d_takes, f_takes) = (
            self.takes_history(DEADLINES, d_stamp),
            self.takes_history(FOLLOWUPS, f_stamp),
        );
        if !d_takes && !f_takes {
            return Ok(Changes::NONE);
        }
        let Some(l) = Arc::get_mut(loaded) else {
            return Err(h);
        };
        let HistoryData {
            deadlines,
            followups,
            parts: [d_part, f_part],
            grown: [d_grown, f_grown],
            ..
        } = *h;
        let mut changes = Changes::NONE;
        // The closed records join the open ones in the model, in line order as a whole read
        // has them: sorted in place (every line is another), so nothing is held twice.
        // No closed record: the records are as they were, at the same places.
        if d_takes {
            self.took_history(DEADLINES, d_part, d_grown);
            if !deadlines.is_empty() {
                l.model.deadlines.join_by_line(deadlines);
                changes.deadlines = FileChange::Replaced;
            }
        }
        if f_takes {
            self.took_history(FOLLOWUPS, f_part, f_grown);
            if !followups.is_empty() {
                l.model.followups.join_by_line(followups);
                changes.followups = FileChange::Replaced;
            }
        }
        crate::domain::timelog::attach(&mut l.model);
        l.diagnostics = self.diagnostics();
        Ok(changes)
    }

    /// Whether file `i`'s history, read at `stamp`, goes in: the file was read in part and has
    /// not changed since.
    fn takes_history(&self, i: usize, stamp: Option<Stamp>) -> bool {
        let f = &self.files[i];
        f.partial && stamp == f.stamp
    }

    /// File `i`'s history went in: what was found reading it whole becomes the file's.
    fn took_history(&mut self, i: usize, part: FilePart, grown: Option<Grown>) {
        let f = &mut self.files[i];
        f.read_diags = part.read;
        f.parse_diags = part.parse;
        f.grown = grown;
        f.ids = None;
        f.partial = false;
    }

    /// The diagnostics in the order [`load_dir`] gives them: reading (per file), then parsing.
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let read = self.files.iter().flat_map(|f| f.read_diags.iter());
        let parse = self.files.iter().flat_map(|f| f.parse_diags.iter());
        read.chain(parse).cloned().collect()
    }

    /// Put data file `p.i`, read whole, into `model`: its records replace the old ones, which
    /// are returned (to be freed where it suits the caller).
    fn put_file(&mut self, p: Reparsed, model: &mut Model) -> Records {
        let f = &mut self.files[p.i];
        f.stamp = p.stamp;
        f.read_diags = p.read_diags;
        f.parse_diags = p.parse_diags;
        f.grown = p.grown;
        f.ids = None;
        f.partial = false;
        match p.records {
            Records::Deadlines(v) => Records::Deadlines(std::mem::replace(&mut model.deadlines, v)),
            Records::Followups(v) => Records::Followups(std::mem::replace(&mut model.followups, v)),
            Records::Interactions(v) => {
                Records::Interactions(std::mem::replace(&mut model.interactions, v))
            }
            Records::Timelog(v) => Records::Timelog(std::mem::replace(&mut model.timelog, v)),
        }
    }

    /// Whether any file differs (by `stat`) from what was read; reads nothing.
    pub fn stale(&self) -> bool {
        !self.dir_ok
            || self.calendars_changed()
            || self
                .files
                .iter()
                .enumerate()
                .any(|(i, f)| stamp(&self.dir.join(NAMES[i])) != f.stamp)
    }

    fn calendars_changed(&self) -> bool {
        self.calendars.iter().any(|(p, s)| stamp(p) != *s)
    }

    /// Bring `loaded` up to date with the files, doing only what their changes need; when the
    /// model must change while someone else holds it, it is copied first (the dashboard uses
    /// [`Reloader::try_reload`], which never copies).
    pub fn reload(&mut self, loaded: &mut Arc<Loaded>) -> Changes {
        self.reload_in(loaded, true, None)
            .map_or(Changes::NONE, |r| r.changes)
    }

    /// [`Reloader::reload`] without ever waiting or copying: None when the model must change
    /// while someone else holds it (the alert worker, for the few ms of a pass). Nothing is
    /// read or changed then; ask again once they let go (the files' stamps still differ).
    pub fn try_reload(&mut self, loaded: &mut Arc<Loaded>) -> Option<Changes> {
        self.reload_in(loaded, false, None).map(|r| r.changes)
    }

    /// [`Reloader::try_reload`] that reads and parses at most about `max_bytes` in place: a
    /// file of that size or more that must be read whole (replaced, edited, or a tail that
    /// long appended), or a changed tether.toml with that much data, is left out and comes
    /// back as a [`LongReload`] to read elsewhere ([`LongReload::read`]) and put in with
    /// [`Reloader::put_reread`]. Until then its data stays as it was and its stamp too (so a
    /// reload meanwhile would find it changed again: the caller waits for the long one).
    pub fn try_reload_within(
        &mut self,
        loaded: &mut Arc<Loaded>,
        max_bytes: u64,
    ) -> Option<Reloaded> {
        self.reload_in(loaded, false, Some(max_bytes))
    }

    fn reload_in(
        &mut self,
        loaded: &mut Arc<Loaded>,
        copy: bool,
        long_from: Option<u64>,
    ) -> Option<Reloaded> {
        let now: Vec<Option<Stamp>> = NAMES.iter().map(|n| stamp(&self.dir.join(n))).collect();
        if !self.dir_ok
            || !self.dir.is_dir()
            || now[CONFIG] != self.files[CONFIG].stamp
            || self.calendars_changed()
        {
            let bytes: u64 = now.iter().flatten().map(|s| s.len).sum();
            if long_from.is_some_and(|max| bytes >= max) {
                return Some(Reloaded::long(LongReload {
                    dir: self.dir.clone(),
                    what: Long::All,
                }));
            }
            let (r, l) = Reloader::load(&self.dir);
            *self = r;
            // The old data is freed off the caller's thread (the screen's).
            free_elsewhere(std::mem::replace(loaded, Arc::new(l)));
            return Some(Reloaded::now(Changes::ALL));
        }
        if (1..NAMES.len()).all(|i| now[i] == self.files[i].stamp) {
            return Some(Reloaded::now(Changes::NONE));
        }
        let l = if copy {
            Arc::make_mut(loaded)
        } else {
            Arc::get_mut(loaded)?
        };
        let mut changes = Changes::NONE;
        let mut long = Vec::new();
        for i in [DEADLINES, FOLLOWUPS, INTERACTIONS, TIMELOG] {
            if now[i] == self.files[i].stamp {
                continue;
            }
            match self.reload_file(i, now[i], &mut l.model, long_from) {
                Some(c) => changes.set(i, c),
                None => long.push((i, now[i])),
            }
        }
        if changes.deadlines.changed() || changes.timelog.changed() {
            crate::domain::timelog::attach(&mut l.model);
        }
        l.diagnostics = self.diagnostics();
        let long = (!long.is_empty()).then(|| LongReload {
            dir: self.dir.clone(),
            what: Long::Files {
                config: Box::new(l.model.config.clone()),
                config_stamp: self.files[CONFIG].stamp,
                files: long,
            },
        });
        Some(Reloaded { changes, long })
    }

    /// Read data file `i`'s change into `model`: its appended lines alone when it only grew,
    /// else the whole file. None (nothing read, nothing changed) when that means reading
    /// `long_from` bytes or more.
    fn reload_file(
        &mut self,
        i: usize,
        stamp: Option<Stamp>,
        model: &mut Model,
        long_from: Option<u64>,
    ) -> Option<FileChange> {
        let size = stamp.map_or(0, |s| s.len);
        let too_long = |bytes: u64| long_from.is_some_and(|max| bytes >= max);
        let tail = self.files[i]
            .grown
            .map_or(size, |g| size.saturating_sub(g.len));
        if !too_long(tail)
            && let Some(from) = self.try_append(i, stamp, model)
        {
            self.files[i].stamp = stamp;
            return Some(FileChange::Appended { from });
        }
        if too_long(size) {
            return None;
        }
        let p = Reparsed::read(&self.dir, i, stamp, &model.config);
        self.put_file(p, model);
        Some(FileChange::Replaced)
    }

    /// Put in what a [`LongReload`] read: everything (after a changed tether.toml: the data is
    /// replaced, whoever holds the old), or the files it read whole (moved in, never copied:
    /// while someone else holds the data, the alert worker for the few ms of a pass, nothing
    /// changes and the reread comes back, to be put in once they let go). A reread of files
    /// against a tether.toml that has changed since is dropped (the next reload reads them).
    pub fn put_reread(
        &mut self,
        reread: Box<Reread>,
        loaded: &mut Arc<Loaded>,
    ) -> Result<Changes, Box<Reread>> {
        if let Got::Files { config_stamp, .. } = &reread.0 {
            if *config_stamp != self.files[CONFIG].stamp || !self.dir_ok {
                return Ok(Changes::NONE);
            }
            if Arc::get_mut(loaded).is_none() {
                return Err(reread);
            }
        }
        let (files, l) = match (reread.0, Arc::get_mut(loaded)) {
            (Got::All(all), _) => {
                let (r, l) = *all;
                *self = r;
                free_elsewhere(std::mem::replace(loaded, Arc::new(l)));
                return Ok(Changes::ALL);
            }
            (Got::Files { files, .. }, Some(l)) => (files, l),
            // Not held: checked above.
            (Got::Files { .. }, None) => return Ok(Changes::NONE),
        };
        let mut changes = Changes::NONE;
        let mut old = Vec::new();
        for p in files {
            changes.set(p.i, FileChange::Replaced);
            old.push(self.put_file(p, &mut l.model));
        }
        crate::domain::timelog::attach(&mut l.model);
        l.diagnostics = self.diagnostics();
        free_elsewhere(old);
        Ok(changes)
    }

    /// Parse only the bytes appended since the last read, when the file only grew; None when
    /// the file must be parsed whole instead.
    fn try_append(&mut self, i: usize, stamp: Option<Stamp>, model: &mut Model) -> Option<usize> {
        let old_stamp = self.files[i].stamp?;
        let stamp = stamp?;
        let grown = self.files[i].grown?;
        if stamp.dev != old_stamp.dev || stamp.ino != old_stamp.ino || stamp.len < grown.len {
            return None;
        }
        let (head, buf, start) = read_grown(&self.dir.join(NAMES[i]), grown.len)?;
        let old_len = (grown.len - start) as usize;
        let old = &buf[..old_len];
        let fp = if start == 0 {
            fingerprint(grown.len, &[], old)
        } else {
            fingerprint(grown.len, &head, old)
        };
        if fp != grown.fingerprint || !old.ends_with(b"\n") {
            return None;
        }
        let tail = std::str::from_utf8(&buf[old_len..]).ok()?;
        // A byte order mark is only skipped at the very start of a file.
        if tail.starts_with('\u{feff}') {
            return None;
        }
        let shift = grown.lines;
        let f = &self.files[i];
        let cap_left = MAX_DIAGNOSTICS_PER_FILE.saturating_sub(f.parse_diags.len());
        let config = &model.config;
        // Parse first, change the model only once the tail is known to fit.
        let (from, diags) = match i {
            DEADLINES => append_records(
                parse_deadlines(tail, config),
                |x| x.id.as_deref(),
                |x| &mut x.origin.line,
                (shift, cap_left),
                &mut self.files[i].ids,
                &mut model.deadlines,
            )?,
            FOLLOWUPS => append_records(
                parse_followups(tail, config),
                |x| x.id.as_deref(),
                |x| &mut x.origin.line,
                (shift, cap_left),
                &mut self.files[i].ids,
                &mut model.followups,
            )?,
            _ => {
                let (mut v, d) = parse_interactions(tail, config);
                if !fits(&d, cap_left) {
                    return None;
                }
                v.iter_mut().for_each(|x| x.line += shift);
                let from = model.interactions.len();
                model.interactions.append(&mut v);
                (from, d)
            }
        };
        let f = &mut self.files[i];
        f.parse_diags.extend(diags.into_iter().map(|mut d| {
            d.line += shift;
            d
        }));
        let new_len = grown.len + tail.len() as u64;
        f.grown = if !tail.is_empty() && !tail.ends_with('\n') {
            None
        } else if new_len > WHOLE_PREFIX_BYTES {
            let head: &[u8] = if start == 0 {
                &buf[..HEAD_BYTES as usize]
            } else {
                &head
            };
            Some(Grown {
                len: new_len,
                lines: shift + tail.bytes().filter(|&c| c == b'\n').count(),
                fingerprint: fingerprint(new_len, head, &buf[buf.len() - TAIL_BYTES as usize..]),
            })
        } else {
            Some(Grown {
                len: new_len,
                lines: shift + tail.bytes().filter(|&c| c == b'\n').count(),
                fingerprint: fingerprint(new_len, &[], &buf),
            })
        };
        Some(from)
    }
}

/// What [`Reloader::try_reload_within`] did.
#[derive(Debug)]
pub struct Reloaded {
    /// What was read and changed now.
    pub changes: Changes,
    /// What was too long to read now.
    pub long: Option<LongReload>,
}

impl Reloaded {
    fn now(changes: Changes) -> Reloaded {
        Reloaded {
            changes,
            long: None,
        }
    }

    fn long(long: LongReload) -> Reloaded {
        Reloaded {
            changes: Changes::NONE,
            long: Some(long),
        }
    }
}

/// A reload too long for the screen's thread: Send, so that a thread of its own can read it
/// ([`LongReload::read`]) while the data on screen stays as it was.
#[derive(Debug, Clone)]
pub struct LongReload {
    dir: PathBuf,
    what: Long,
}

#[derive(Debug, Clone)]
enum Long {
    /// tether.toml changed (or the directory): everything, as [`Reloader::load`] reads it.
    All,
    /// These data files whole, against this config (tether.toml at that stamp).
    Files {
        config: Box<Config>,
        config_stamp: Option<Stamp>,
        files: Vec<(usize, Option<Stamp>)>,
    },
}

/// What a [`LongReload`] read, for [`Reloader::put_reread`].
#[derive(Debug)]
pub struct Reread(Got);

#[derive(Debug)]
enum Got {
    All(Box<(Reloader, Loaded)>),
    Files {
        config_stamp: Option<Stamp>,
        files: Vec<Reparsed>,
    },
}

impl LongReload {
    /// Read and parse what the reload left out (seconds for a big file: not on the screen's
    /// thread).
    pub fn read(self) -> Reread {
        match self.what {
            Long::All => Reread(Got::All(Box::new(Reloader::load(&self.dir)))),
            Long::Files {
                config,
                config_stamp,
                files,
            } => Reread(Got::Files {
                config_stamp,
                files: files
                    .into_iter()
                    .map(|(i, stamp)| Reparsed::read(&self.dir, i, stamp, &config))
                    .collect(),
            }),
        }
    }
}

/// One data file read and parsed whole (stamped before the read), for [`Reloader::put_file`].
#[derive(Debug)]
struct Reparsed {
    i: usize,
    stamp: Option<Stamp>,
    read_diags: Vec<Diagnostic>,
    parse_diags: Vec<Diagnostic>,
    grown: Option<Grown>,
    records: Records,
}

#[derive(Debug)]
enum Records {
    Deadlines(Held<Deadline>),
    Followups(Held<Followup>),
    Interactions(Vec<Interaction>),
    Timelog(Vec<TimeEntry>),
}

impl Reparsed {
    fn read(dir: &Path, i: usize, stamp: Option<Stamp>, config: &Config) -> Reparsed {
        if i == TIMELOG {
            let (v, part) = load_timelog(dir, config);
            return Reparsed {
                i,
                stamp,
                read_diags: part.read,
                parse_diags: part.parse,
                grown: None,
                records: Records::Timelog(v),
            };
        }
        if i == DEADLINES || i == FOLLOWUPS {
            // In blocks, as the load reads them: no copy of the file's text beside the records.
            let (d, f, part) = read_record_file(dir, i == DEADLINES, config);
            let grown = grown_after_load(&dir.join(NAMES[i]), &part, stamp);
            let mut parse_diags = part.parse;
            parse_diags.extend(super::conflict_copies::diagnostics_for(dir, NAMES[i]));
            return Reparsed {
                i,
                stamp,
                grown,
                read_diags: part.read,
                parse_diags,
                records: if i == DEADLINES {
                    Records::Deadlines(d)
                } else {
                    Records::Followups(f)
                },
            };
        }
        let (text, read_diags) = read_for_load(dir, NAMES[i]);
        let text = text.unwrap_or_default();
        let (v, mut parse_diags) = parse_interactions(&text, config);
        let records = Records::Interactions(v);
        // Syncthing writes a file's new version as it renames the old to a conflict copy: the
        // reread that follows names the copy (and the one after `tether resolve` does not).
        parse_diags.extend(super::conflict_copies::diagnostics_for(dir, NAMES[i]));
        // Decoding replaced bad lines: the text is not the file's bytes, so never append to it.
        let grown = if read_diags.is_empty() {
            grown_of(&text)
        } else {
            None
        };
        Reparsed {
            i,
            stamp,
            read_diags,
            parse_diags,
            grown,
            records,
        }
    }
}

/// Append a tail's parsed records (deadlines or follow-ups) to `records`, numbered after the
/// `shift` lines already read; None (nothing changed) when the tail's problems would pass the
/// file's cap or one of its ids is already in the file (the whole file must then be re-read).
fn append_records<T: Record>(
    (mut new, diags): (Vec<T>, Vec<Diagnostic>),
    id: impl Fn(&T) -> Option<&str>,
    line: impl Fn(&mut T) -> &mut usize,
    (shift, cap_left): (usize, usize),
    ids: &mut Option<HashSet<u64>>,
    records: &mut Held<T>,
) -> Option<(usize, Vec<Diagnostic>)> {
    if !fits(&diags, cap_left) {
        return None;
    }
    let ids =
        ids.get_or_insert_with(|| records.iter().filter_map(|r| id(&r).map(id_hash)).collect());
    if new
        .iter()
        .any(|x| id(x).is_some_and(|i| ids.contains(&id_hash(i))))
    {
        return None;
    }
    ids.extend(new.iter().filter_map(&id).map(id_hash));
    new.iter_mut().for_each(|x| *line(x) += shift);
    let from = records.len();
    records.extend(new);
    Some((from, diags))
}

/// The tail's diagnostics can be added to the file's: none (whatever the file had), or no
/// errors (an error may depend on the lines before it — a duplicate id, the file's budget of
/// "did you mean" hints — and is rare: the file is then parsed whole) and room left under the
/// per-file cap.
fn fits(diags: &[Diagnostic], cap_left: usize) -> bool {
    diags.is_empty() || (diags.len() <= cap_left && !diags.iter().any(Diagnostic::is_error))
}

/// Read what is needed to check that a file of which `len` bytes were read only grew: its first
/// [`HEAD_BYTES`] (empty when everything is read from 0), and the bytes from `start` to the end,
/// where `start` is 0 for a file fingerprinted whole, else `len − TAIL_BYTES`.
fn read_grown(path: &Path, len: u64) -> Option<(Vec<u8>, Vec<u8>, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let mut f = options.open(path).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES || meta.len() < len {
        return None;
    }
    let start = if len > WHOLE_PREFIX_BYTES {
        len - TAIL_BYTES
    } else {
        0
    };
    let mut head = Vec::new();
    if start > 0 {
        (&mut f).take(HEAD_BYTES).read_to_end(&mut head).ok()?;
        if head.len() as u64 != HEAD_BYTES {
            return None;
        }
    }
    f.seek(SeekFrom::Start(start)).ok()?;
    let mut buf = Vec::with_capacity((meta.len() - start) as usize);
    f.take(MAX_FILE_BYTES - start).read_to_end(&mut buf).ok()?;
    if (buf.len() as u64) < len - start {
        return None;
    }
    Some((head, buf, start))
}

/// Drop `x` on a thread of its own (a big model takes milliseconds to free); here if no thread
/// can be started.
fn free_elsewhere<T: Send + 'static>(x: T) {
    let _ = std::thread::Builder::new()
        .name("tether-free".into())
        .spawn(move || drop(x));
}

/// The loaded data, shared with the alert worker without copying: reads go through `Deref`.
/// Changing it never waits for the worker nor copies the data: while the worker holds it (the
/// few ms of working out a pass), a change reports "busy" and is made on a later try.
#[derive(Debug, Clone)]
pub struct SharedLoaded(Arc<Loaded>);

impl SharedLoaded {
    pub fn new(loaded: Loaded) -> SharedLoaded {
        SharedLoaded(Arc::new(loaded))
    }

    /// Another handle on the same data (for the alert worker).
    pub fn share(&self) -> Arc<Loaded> {
        Arc::clone(&self.0)
    }

    /// Whether another handle (the alert worker's) holds the data now.
    pub fn is_shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1
    }

    /// The data to change in place; None while it is shared.
    pub fn get_mut(&mut self) -> Option<&mut Loaded> {
        Arc::get_mut(&mut self.0)
    }

    /// Bring the data up to date with the files (see [`Reloader::try_reload`]); None: busy.
    pub fn reload(&mut self, reloader: &mut Reloader) -> Option<Changes> {
        reloader.try_reload(&mut self.0)
    }

    /// [`Reloader::try_reload_within`] on this data; None: busy.
    pub fn reload_within(&mut self, reloader: &mut Reloader, max_bytes: u64) -> Option<Reloaded> {
        reloader.try_reload_within(&mut self.0, max_bytes)
    }

    /// [`Reloader::put_reread`] on this data; the reread back while busy.
    pub fn put_reread(
        &mut self,
        reloader: &mut Reloader,
        reread: Box<Reread>,
    ) -> Result<Changes, Box<Reread>> {
        reloader.put_reread(reread, &mut self.0)
    }

    /// [`Reloader::apply_history`] on this data; the history back while busy.
    pub fn apply_history(
        &mut self,
        reloader: &mut Reloader,
        data: Box<HistoryData>,
    ) -> Result<Changes, Box<HistoryData>> {
        reloader.apply_history(data, &mut self.0)
    }
}

impl From<Loaded> for SharedLoaded {
    fn from(l: Loaded) -> SharedLoaded {
        SharedLoaded::new(l)
    }
}

impl std::ops::Deref for SharedLoaded {
    type Target = Loaded;
    fn deref(&self) -> &Loaded {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_model_is_never_copied_nor_waited_for() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        crate::store::example::write_example(&dir).unwrap();
        let (mut r, loaded) = Reloader::load(&dir);
        let mut shared = SharedLoaded::new(loaded);
        let held = shared.share();
        let path = dir.join(FOLLOWUPS_FILE);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"what\":\"new\"}\n");
        std::fs::write(&path, text).unwrap();
        let t = std::time::Instant::now();
        assert_eq!(shared.reload(&mut r), None);
        assert!(t.elapsed() < std::time::Duration::from_millis(50));
        assert!(r.stale(), "nothing was read");
        assert!(shared.get_mut().is_none());
        drop(held);
        let c = shared.reload(&mut r).unwrap();
        assert!(matches!(c.followups, FileChange::Appended { .. }));
        assert_eq!(shared.model, load_dir(&dir).model);
    }
}
