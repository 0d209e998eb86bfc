//! Changing the data files: rewrite one record's line, append one line, undo either.
//!
//! Every write re-reads the file from disk under a lock, so a hand edit made in another window
//! since tether loaded the file is never overwritten; only the one line asked for changes, and
//! every other byte is written back as found. Rewrites are atomic (temp file, sync, rename, sync
//! the folder), appends are one `write` of one whole line. Each change is journalled in
//! `.tether/undo.jsonl` so the user can take it back.

use super::lines::{EditError, FieldChange, edit_line, find_record, split_lines, strip_bom};
use super::load::MAX_FILE_BYTES;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use super::files::STATE_DIR;
use super::files::{
    CONFLICT_MARK, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, JOURNAL_FILE, LOCK_FILE,
    TEMP_MARK,
};
/// Past this many journal lines, keep only the most recent [`JOURNAL_KEEP`].
const JOURNAL_MAX: usize = 1000;
const JOURNAL_KEEP: usize = 200;

/// What went wrong, naming the file and what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{file}: the record {record} is no longer in the file (edited elsewhere?); nothing was changed"
    )]
    RecordGone { file: String, record: String },
    #[error(
        "{file}:{line}: tether cannot edit this line ({reason}); fix it by hand; nothing was changed"
    )]
    BadLine {
        file: String,
        line: usize,
        reason: EditError,
    },
    #[error(
        "{file}: the file is read-only; make it writable (chmod u+w) to let tether change it; nothing was changed"
    )]
    ReadOnly { file: String },
    #[error("{file}: cannot read the file ({source}); check that it exists and is readable")]
    Read {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{file}:{line}: the file is not valid UTF-8 (at byte {offset}); save it as UTF-8; nothing was changed"
    )]
    NotUtf8 {
        file: String,
        line: usize,
        offset: usize,
    },
    #[error(
        "{file}: the file is {mb} MB, more than tether reads or writes; move old lines into another file; nothing was changed"
    )]
    TooBig { file: String, mb: u64 },
    #[error(
        "{file}: the file kept changing while tether tried to write it (another program is writing it?); nothing was changed; try again"
    )]
    Busy { file: String },
    #[error(
        "{file}: other programs replaced the file twice while tether was writing it; tether's change was not made, and one of their versions was kept as {kept}: compare it with the file and merge by hand"
    )]
    Conflict { file: String, kept: String },
    #[error(
        "{file}: cannot write ({source}); check the permissions and free space of its folder; nothing was changed"
    )]
    Write {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{file}: cannot take tether's lock ({source}); check that the data folder exists and is writable"
    )]
    Lock {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{file}: a record to add must be a single line (it contains a line break); nothing was changed"
    )]
    NotOneLine { file: String },
    #[error("cannot undo \"{label}\": {file} {reason} (edited since?); nothing was changed")]
    UndoConflict {
        file: String,
        label: String,
        reason: String,
    },
    #[error(
        "{file}: the change was made but could not be recorded for undo ({source}); check that the folder is writable"
    )]
    Journal {
        file: String,
        #[source]
        source: io::Error,
    },
}

/// The data files tether writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    Deadlines,
    Followups,
    Interactions,
}

impl DataFile {
    pub const ALL: [DataFile; 3] = [
        DataFile::Deadlines,
        DataFile::Followups,
        DataFile::Interactions,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            DataFile::Deadlines => DEADLINES_FILE,
            DataFile::Followups => FOLLOWUPS_FILE,
            DataFile::Interactions => INTERACTIONS_FILE,
        }
    }

    pub fn from_file_name(name: &str) -> Option<DataFile> {
        DataFile::ALL.into_iter().find(|f| f.file_name() == name)
    }
}

/// The result of rewriting one record's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteOutcome {
    /// 1-based line number where the record was found (now, not at load time).
    pub line: usize,
    /// The line's text before (as found on disk just now) and after.
    pub before: String,
    pub after: String,
}

impl RewriteOutcome {
    /// False when the record already had the requested values: the file was not touched.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// The result of appending one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendOutcome {
    /// 1-based line number the new line landed on.
    pub line: usize,
    /// Line ending written before the line because the file lacked a final newline (else "").
    pub lead: String,
}

/// Rewrite one record's line in `path`, leaving every other byte as it is on disk now.
///
/// The record is found by `id`, else by `original_text` (its text at load time). A symlinked
/// `path` has its target rewritten, so the link survives. Holds the data directory's lock (the
/// folder `path` is in) for the whole read-modify-write.
pub fn rewrite_record(
    path: &Path,
    id: Option<&str>,
    original_text: &str,
    changes: &[FieldChange],
) -> Result<RewriteOutcome, StoreError> {
    let _lock = lock(data_dir_of(path))?;
    let (out, unsynced) = rewrite_unlocked(path, id, original_text, changes)?;
    unsynced.sync();
    Ok(out)
}

/// Append `line` as a new last line of `path` (created if missing) with one `write` call,
/// in the file's own line-ending style. Holds the data directory's lock.
pub fn append_line(path: &Path, line: &str) -> Result<AppendOutcome, StoreError> {
    let _lock = lock(data_dir_of(path))?;
    let (out, unsynced) = append_unlocked(path, line, true)?;
    unsynced.sync();
    Ok(out)
}

/// A change that every reader already sees, not yet forced to disk. The sync is left to the end,
/// after the undo journal has recorded the change: a process killed in between (the common
/// crash) then cannot lose the journal entry of a change it made, except in the microseconds
/// between the write and the journal's append, instead of the milliseconds a sync takes. (The
/// temporary file of a rewrite is synced before its rename, so a power cut still leaves the old
/// file or the new one.)
#[must_use]
enum Unsynced {
    File(File),
    Dir(PathBuf),
    Nothing,
}

impl Unsynced {
    /// Errors are ignored: the change is in place and visible; reporting "nothing was changed"
    /// then would be wrong.
    fn sync(self) {
        match self {
            Unsynced::File(f) => {
                let _ = f.sync_data();
            }
            Unsynced::Dir(d) => sync_dir(&d),
            Unsynced::Nothing => {}
        }
    }
}

fn data_dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Open (creating `.tether/` and the file as needed, never truncating) a lock file under the
/// data directory's state folder; locking it is the caller's.
pub fn open_lock_file(data_dir: &Path, name: &str) -> (PathBuf, io::Result<File>) {
    let state = data_dir.join(STATE_DIR);
    let path = state.join(name);
    let file = fs::create_dir_all(&state).and_then(|()| {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
    });
    (path, file)
}

/// Take the cross-process lock; released when the returned file is dropped.
fn lock(data_dir: &Path) -> Result<File, StoreError> {
    let state = data_dir.join(STATE_DIR);
    let (path, file) = open_lock_file(data_dir, LOCK_FILE);
    let lock_err = |source| StoreError::Lock {
        file: shown(&path),
        source,
    };
    let file = file.map_err(lock_err)?;
    file.lock().map_err(lock_err)?;
    remove_stale_temps(data_dir);
    remove_stale_temps(&state);
    Ok(file)
}

/// How often a read-modify-write starts over because another program changed the file while
/// tether was writing it, before giving up with [`StoreError::Busy`].
const MAX_TRIES: usize = 8;

/// A file modified less than this long ago may be in the middle of being saved in place (nano,
/// VS Code, `cat > file`: truncate, then write): a reader can see it empty or half-written. So
/// tether waits until it has been quiet this long before reading it for a change, at most
/// [`MAX_WAITS`] times (then it goes ahead: the checks before the swap still apply).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(25);
const MAX_WAITS: usize = 30;

/// The tries of one read-modify-write (or append), and its waits for a file that was modified a
/// moment ago by someone else.
struct Attempts {
    tries: usize,
    waits: usize,
    /// False for tether's own files (the journal), which nobody else writes.
    settle: bool,
}

impl Attempts {
    fn new(settle: bool) -> Attempts {
        Attempts {
            tries: 0,
            waits: 0,
            settle,
        }
    }

    /// Whether to (re)start: false once [`MAX_TRIES`] are spent.
    fn another(&mut self) -> bool {
        self.tries += 1;
        self.tries <= MAX_TRIES
    }

    /// If `path` (read as `meta`) was modified a moment ago, and not by this process's last
    /// write to it, wait until it has been quiet for [`SETTLE`] and return true: the caller
    /// reads it again (this does not count as a try).
    fn wait_if_just_written(&mut self, path: &Path, meta: &fs::Metadata) -> bool {
        if !self.settle || self.waits >= MAX_WAITS || was_our_last_write(path, meta) {
            return false;
        }
        let Some(age) = meta
            .modified()
            .ok()
            .and_then(|m| std::time::SystemTime::now().duration_since(m).ok())
        else {
            // A modification time in the future (a clock elsewhere): no way to tell; go ahead.
            return false;
        };
        if age >= SETTLE {
            return false;
        }
        self.waits += 1;
        self.tries -= 1;
        std::thread::sleep(SETTLE - age);
        true
    }
}

/// What this process's last write left in each file (identity, size, modification time), so a
/// file it has just written itself is not waited for (rapid key presses in the dashboard).
static LAST_WRITES: std::sync::Mutex<Vec<(PathBuf, FileStamp)>> = std::sync::Mutex::new(Vec::new());

#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    id: (u64, u64),
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    fn of(meta: &fs::Metadata) -> FileStamp {
        FileStamp {
            id: file_id(meta),
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

fn remember_our_write(path: &Path) {
    let Ok(meta) = fs::metadata(path) else {
        return;
    };
    if let Ok(mut w) = LAST_WRITES.lock() {
        w.retain(|(p, _)| p != path);
        w.push((path.to_path_buf(), FileStamp::of(&meta)));
        // A few data folders' worth; the oldest goes first.
        if w.len() > 64 {
            w.remove(0);
        }
    }
}

fn was_our_last_write(path: &Path, meta: &fs::Metadata) -> bool {
    LAST_WRITES.lock().is_ok_and(|w| {
        w.iter()
            .any(|(p, stamp)| p == path && *stamp == FileStamp::of(meta))
    })
}

fn rewrite_unlocked(
    path: &Path,
    id: Option<&str>,
    original_text: &str,
    changes: &[FieldChange],
) -> Result<(RewriteOutcome, Unsynced), StoreError> {
    let gone = || StoreError::RecordGone {
        file: name_of(path),
        record: describe_record(id, original_text),
    };
    let target = resolve(path)?.ok_or_else(gone)?;
    // Another program (an editor, git, a sync tool) does not take tether's lock: if it changes
    // the file between our read and our write, start over from its version (see
    // `replace_if_unchanged`), so its change is never overwritten.
    let mut attempts = Attempts::new(true);
    while attempts.another() {
        let snap = read_snapshot(&target)?.ok_or_else(gone)?;
        if attempts.wait_if_just_written(&target, &snap.meta) {
            continue;
        }
        let content = snap.content.as_str();
        let lines = split_lines(content);
        let line = find_record(content, id, original_text)
            .and_then(|i| lines.get(i))
            .ok_or_else(gone)?;
        let after = edit_line(line.text, changes).map_err(|reason| StoreError::BadLine {
            file: name_of(path),
            line: line.number,
            reason,
        })?;
        let outcome = RewriteOutcome {
            line: line.number,
            before: line.text.to_string(),
            after,
        };
        if !outcome.changed() {
            return Ok((outcome, Unsynced::Nothing));
        }
        let new = spliced(&target, content, line.span.clone(), &outcome.after)?;
        if replace_if_unchanged(&target, &snap, new.as_bytes())? == Replace::Done {
            remember_our_write(&target);
            return Ok((outcome, Unsynced::Dir(data_dir_of(&target).to_path_buf())));
        }
    }
    Err(StoreError::Busy {
        file: name_of(path),
    })
}

/// `settle`: wait for a file someone else is writing right now (see [`SETTLE`]); false for
/// tether's own journal.
fn append_unlocked(
    path: &Path,
    line: &str,
    settle: bool,
) -> Result<(AppendOutcome, Unsynced), StoreError> {
    if line.contains(['\n', '\r']) {
        return Err(StoreError::NotOneLine {
            file: name_of(path),
        });
    }
    let write_err = |source| StoreError::Write {
        file: shown(path),
        source,
    };
    let mut attempts = Attempts::new(settle);
    while attempts.another() {
        if let Ok(m) = fs::metadata(path) {
            // Before opening it for writing: a folder cannot be, and a pipe would block.
            check_regular(path, &m)?;
            if m.permissions().readonly() {
                return Err(StoreError::ReadOnly { file: shown(path) });
            }
        }
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            rustix::fs::OFlags::NONBLOCK.bits() as i32,
        );
        let mut file = options.open(path).map_err(write_err)?;
        let meta = file.metadata().map_err(write_err)?;
        check_regular(path, &meta)?;
        // Read through the same open file we append to, so the line ending we add fits the
        // file we write (not one an editor has just replaced).
        let existing = read_content(path, &mut file, meta.len())?;
        if attempts.wait_if_just_written(path, &meta) {
            continue;
        }
        let (lead, ending) = append_shape(&existing);
        let number = split_lines(&existing).len() + 1;
        let record = format!("{lead}{line}{ending}");
        // Someone appended since we read: read again, so `lead` and `number` stay right.
        if file.metadata().map_err(write_err)?.len() != existing.len() as u64 {
            continue;
        }
        write_once(&mut file, record.as_bytes()).map_err(write_err)?;
        // If the file was replaced (renamed over by an editor or sync tool) after we opened
        // it, our line went into the old file, which is now gone: append it again to the new
        // one, unless whoever replaced it copied our line in.
        if is_replaced(path, &meta) {
            let now = read_text(path)?.unwrap_or_default();
            let count = |c: &str| split_lines(c).iter().filter(|l| l.text == line).count();
            if count(&now) > count(&existing) {
                let number = split_lines(&now)
                    .iter()
                    .rposition(|l| l.text == line)
                    .map_or(number, |i| i + 1);
                let out = AppendOutcome {
                    line: number,
                    lead: String::new(),
                };
                return Ok((out, Unsynced::Nothing));
            }
            continue;
        }
        let out = AppendOutcome {
            line: number,
            lead: lead.to_string(),
        };
        remember_our_write(path);
        return Ok((out, Unsynced::File(file)));
    }
    Err(StoreError::Busy {
        file: name_of(path),
    })
}

/// What to write around an appended line: `(lead, ending)`. The ending follows the file's first
/// line ending (CRLF files stay CRLF); the lead finishes an unterminated last line so the new
/// record starts a line of its own.
fn append_shape(content: &str) -> (&'static str, &'static str) {
    let ending = match content.find('\n') {
        Some(nl) if content[..nl].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    let (_, rest) = strip_bom(content);
    let lead = if rest.is_empty() || rest.ends_with('\n') {
        ""
    } else if rest.ends_with('\r') {
        // Half a CRLF: completing it beats writing a second, stray `\r`.
        "\n"
    } else {
        ending
    };
    (lead, ending)
}

/// One `write` so a reader never sees half a record; a short write on a regular file is all but
/// impossible, but finishing it beats leaving a torn line. (Synced later: [`Unsynced`].)
fn write_once(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    let n = file.write(bytes)?;
    if let Some(rest) = bytes.get(n..).filter(|r| !r.is_empty()) {
        file.write_all(rest)?;
    }
    Ok(())
}

/// Whether `path` no longer names the file `opened` describes (it was renamed over or deleted).
fn is_replaced(path: &Path, opened: &fs::Metadata) -> bool {
    match fs::metadata(path) {
        Ok(now) => !same_file(&now, opened),
        Err(_) => true,
    }
}

fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    file_id(a) == file_id(b)
}

/// (device, inode): which file this is, whatever its name now.
#[cfg(unix)]
fn file_id(m: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Follow a symlink to the file it names, so the rewrite replaces the target and the link
/// survives. `None` if the file does not exist.
fn resolve(path: &Path) -> Result<Option<PathBuf>, StoreError> {
    match fs::canonicalize(path) {
        Ok(p) => Ok(Some(p)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Read {
            file: shown(path),
            source,
        }),
    }
}

/// A file as tether read it: the text, and the open file it came from, so the write can tell
/// whether anyone changed the file since.
struct Snapshot {
    file: File,
    meta: fs::Metadata,
    content: String,
}

/// Open and read `path` (`None` if it does not exist): only a plain file, at most
/// [`MAX_FILE_BYTES`], all UTF-8; otherwise an error and nothing is written.
fn read_snapshot(path: &Path) -> Result<Option<Snapshot>, StoreError> {
    let read_err = |source| StoreError::Read {
        file: shown(path),
        source,
    };
    let mut options = OpenOptions::new();
    options.read(true);
    // Opening a named pipe would wait for a writer forever; non-blocking, it opens at once and
    // the type check refuses it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    };
    let meta = file.metadata().map_err(read_err)?;
    check_regular(path, &meta)?;
    let content = read_content(path, &mut file, meta.len())?;
    Ok(Some(Snapshot {
        file,
        meta,
        content,
    }))
}

fn check_regular(path: &Path, meta: &fs::Metadata) -> Result<(), StoreError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(StoreError::Read {
            file: shown(path),
            source: io::Error::other(
                "not a regular file (a folder, device or pipe); tether writes only plain files",
            ),
        })
    }
}

/// Read an open file from its start: bounded by [`MAX_FILE_BYTES`] even if it grows meanwhile,
/// and refused unless it is all UTF-8.
fn read_content(path: &Path, file: &mut File, len: u64) -> Result<String, StoreError> {
    let too_big = |len: u64| StoreError::TooBig {
        file: name_of(path),
        mb: len / 1_048_576,
    };
    if len > MAX_FILE_BYTES {
        return Err(too_big(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    io::Read::read_to_end(
        &mut io::Read::take(&mut *file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(|source| StoreError::Read {
        file: shown(path),
        source,
    })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        StoreError::NotUtf8 {
            file: name_of(path),
            line,
            offset,
        }
    })
}

/// The file's text, `None` if it does not exist.
fn read_text(path: &Path) -> Result<Option<String>, StoreError> {
    Ok(read_snapshot(path)?.map(|s| s.content))
}

/// `content` with `range` replaced by `replacement`.
fn spliced(
    target: &Path,
    content: &str,
    range: Range<usize>,
    replacement: &str,
) -> Result<String, StoreError> {
    let (Some(head), Some(tail)) = (content.get(..range.start), content.get(range.end..)) else {
        return Err(StoreError::Write {
            file: shown(target),
            source: io::Error::other("internal error: line position out of range"),
        });
    };
    Ok([head, replacement, tail].concat())
}

/// Whether [`replace_if_unchanged`] wrote the file, or found it changed and wrote nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replace {
    Done,
    Changed,
}

/// Replace `target` (read as `snap`) with `bytes`, atomically, unless another program changed
/// it since it was read: then nothing is written and the caller reads it again.
///
/// Editors, git and sync tools replace a file by renaming a new one over it; `sed -i` too;
/// `>>` appends in place. None of them take tether's lock. So:
/// 1. the new content goes to a temporary file in the same folder, synced;
/// 2. a cheap check (same file, same size) skips the swap if the file visibly changed;
/// 3. on Linux the temporary file and `target` are *exchanged* in one step
///    (`renameat2(RENAME_EXCHANGE)`), so the file that was there is not destroyed: it is
///    compared byte for byte with what was read. Identical: it is deleted and the write is
///    done. Different (someone wrote in the moment between 2 and 3): it is swapped back and
///    the caller starts over from it. Nothing another program wrote before the swap is lost.
///    Where the exchange is not supported (another OS, an old or unusual filesystem), step 2
///    is followed by a plain rename, leaving a window of a few microseconds.
///
/// What is left (docs/reliability.md): a program that opened the file before the swap and
/// writes into it after the comparison (microseconds later) writes into the replaced file.
fn replace_if_unchanged(
    target: &Path,
    snap: &Snapshot,
    bytes: &[u8],
) -> Result<Replace, StoreError> {
    if snap.meta.permissions().readonly() {
        return Err(StoreError::ReadOnly {
            file: shown(target),
        });
    }
    let write_err = |source| StoreError::Write {
        file: shown(target),
        source,
    };
    let (tmp, ours) =
        write_temp(target, bytes, Some(snap.meta.permissions())).map_err(write_err)?;
    let remove_tmp = || {
        let _ = fs::remove_file(&tmp);
    };
    if !still_as_read(snap, target, false) {
        remove_tmp();
        return Ok(Replace::Changed);
    }
    match exchange(&tmp, target) {
        Ok(true) => {}
        Ok(false) => {
            // No atomic exchange here: a plain rename right after the check.
            if let Err(e) = fs::rename(&tmp, target) {
                remove_tmp();
                return Err(write_err(e));
            }
            return Ok(Replace::Done);
        }
        Err(e) => {
            remove_tmp();
            return Err(write_err(e));
        }
    }
    // `tmp` now names the file that was at `target` a moment ago.
    if still_as_read(snap, &tmp, true) {
        remove_tmp();
        carry_over_late_appends(target, snap);
        return Ok(Replace::Done);
    }
    // Changed in the moment before the swap: give it back, and let the caller start over.
    let back = exchange(&tmp, target);
    if back.is_ok() && fs::symlink_metadata(&tmp).is_ok_and(|m| same_file(&m, &ours)) {
        remove_tmp();
        return Ok(Replace::Changed);
    }
    // Two other programs replaced the file within microseconds of each other and of us: keep
    // the version that is not at `target` beside it rather than delete anyone's work.
    let kept = conflict_copy_name(target);
    let _ = fs::rename(&tmp, &kept);
    Err(StoreError::Conflict {
        file: name_of(target),
        kept: shown(&kept),
    })
}

/// A program that opened the old file before the swap (`echo >> file`) may write into it just
/// after the comparison: its bytes would go to the replaced file. Look once more, and append
/// whatever was added to the old file since it was read to the new one. (A write later still,
/// or one that is not an append, is the window docs/reliability.md describes.)
fn carry_over_late_appends(target: &Path, snap: &Snapshot) {
    let read = snap.content.len() as u64;
    let Ok(now) = snap.file.metadata() else {
        return;
    };
    if now.len() <= read || now.len() > MAX_FILE_BYTES {
        return;
    }
    let mut late = Vec::new();
    let mut old = &snap.file;
    let copied = io::Seek::seek(&mut old, io::SeekFrom::Start(read))
        .and_then(|_| io::Read::read_to_end(&mut old, &mut late));
    if copied.is_err() || late.is_empty() {
        return;
    }
    if let Ok(mut f) = OpenOptions::new().append(true).open(target) {
        let _ = f.write_all(&late);
    }
}

/// Whether the file `snap` was read from is still exactly as read, and is what `at` names.
/// `deep` compares the bytes too (same-size edits within one clock tick keep size and mtime).
fn still_as_read(snap: &Snapshot, at: &Path, deep: bool) -> bool {
    let Ok(now) = fs::symlink_metadata(at) else {
        return false;
    };
    let Ok(open_now) = snap.file.metadata() else {
        return false;
    };
    if !same_file(&now, &snap.meta) || open_now.len() != snap.content.len() as u64 {
        return false;
    }
    if !deep {
        return true;
    }
    let mut again = Vec::with_capacity(snap.content.len());
    let reread = fs::File::open(at).and_then(|f| {
        io::Read::read_to_end(
            &mut io::Read::take(f, snap.content.len() as u64 + 1),
            &mut again,
        )
    });
    reread.is_ok() && again == snap.content.as_bytes()
}

/// Exchange two paths atomically. `Ok(false)` where the system or filesystem cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Where a version of `target` that could not stay in place is kept, beside it.
fn conflict_copy_name(target: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!("{CONFLICT_MARK}{secs}-{}", std::process::id()));
    target.with_file_name(name)
}

/// The temporary file a write to `target` goes through, beside it (same filesystem, so the
/// rename is atomic).
fn temp_path(target: &Path, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    data_dir_of(target).join(format!(".{name}{TEMP_MARK}{pid}"))
}

/// Write `bytes` to a new temporary file beside `target`, synced; returns its path and identity.
fn write_temp(
    target: &Path,
    bytes: &[u8],
    perms: Option<fs::Permissions>,
) -> io::Result<(PathBuf, fs::Metadata)> {
    // The folder of a symlinked file's target is not the data folder: tidy it here.
    remove_stale_temps(data_dir_of(target));
    let tmp = temp_path(target, std::process::id());
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&tmp)?;
    let written = (|| {
        file.write_all(bytes)?;
        if let Some(p) = perms {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        file.metadata()
    })();
    match written {
        Ok(meta) => Ok((tmp, meta)),
        Err(e) => {
            drop(file);
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// A tether killed mid-write leaves its temporary file behind (the data file itself is intact).
/// The caller holds the lock, so a temporary file of a process that no longer runs is stale:
/// delete it. (One of a live process, e.g. another data folder linking to the same file, stays.)
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .filter(|n| n.starts_with('.'))
            .and_then(|n| n.rsplit_once(TEMP_MARK))
            .and_then(|(_, p)| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // Signal 0 only checks whether the process exists; "not permitted" means it does.
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    true
}

/// Write `bytes` as the new content of `target` (a file only tether writes, under its lock):
/// a crash at any moment leaves either the old file or the new one, never a mix.
fn atomic_write(target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let write_err = |source| StoreError::Write {
        file: shown(target),
        source,
    };
    let perms = fs::metadata(target).ok().map(|m| m.permissions());
    let (tmp, _) = write_temp(target, bytes, perms).map_err(write_err)?;
    if let Err(source) = fs::rename(&tmp, target) {
        // Best effort: the error about the write matters more than one about the cleanup.
        let _ = fs::remove_file(&tmp);
        return Err(write_err(source));
    }
    sync_dir(data_dir_of(target));
    Ok(())
}

/// Make the rename durable. Errors are ignored: the new file is already in place, and some
/// filesystems cannot sync a folder; reporting "not changed" then would be wrong.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown(path))
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// A human name for a record in messages: its title or text field, else its id, else its line.
fn describe_record(id: Option<&str>, original_text: &str) -> String {
    let parsed = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(original_text);
    let title = parsed.ok().and_then(|obj| {
        ["what", "title", "note"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(|v| v.as_str()).map(str::to_string))
    });
    let name = title
        .or_else(|| id.map(str::to_string))
        .unwrap_or_else(|| original_text.chars().take(60).collect());
    format!("{name:?}")
}

/// Whether a journalled change rewrote a line or appended one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Rewrite,
    Append,
}

/// One change tether made to a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its number in the undo journal; `None` when nothing needed changing (not journalled).
    pub seq: Option<u64>,
    pub file: DataFile,
    pub kind: ChangeKind,
    /// 1-based line number at the time of the change.
    pub line: usize,
    /// Line text before (empty for an append) and after.
    pub before: String,
    pub after: String,
    pub at: DateTime<Utc>,
    /// For people: e.g. "done: Send revised quote".
    pub label: String,
    pub undone: bool,
}

/// What `undo_last` reversed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoOutcome {
    pub change: Change,
    /// 1-based line number the undo touched (where the line was found now).
    pub line: usize,
}

/// A journal line for a change. `at` stays a string so a hand-damaged journal can't stop undo
/// of other entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    seq: u64,
    file: String,
    kind: ChangeKind,
    line: usize,
    before: String,
    after: String,
    at: String,
    label: String,
    /// The ending an append wrote first to finish an unterminated last line; undo removes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    lead: String,
}

/// A journal line marking change `undo` as undone.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct UndoMark {
    undo: u64,
    at: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum JournalLine {
    Undo(UndoMark),
    Change(Entry),
}

/// The data directory, for writing. Every method holds the directory's lock throughout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, file: DataFile) -> PathBuf {
        self.dir.join(file.file_name())
    }

    fn journal_path(&self) -> PathBuf {
        self.dir.join(STATE_DIR).join(JOURNAL_FILE)
    }

    /// Change one record (see [`rewrite_record`]) and journal it for undo.
    pub fn rewrite(
        &self,
        file: DataFile,
        id: Option<&str>,
        original_text: &str,
        changes: &[FieldChange],
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<Change, StoreError> {
        let _lock = lock(&self.dir)?;
        let seq = self.next_seq()?;
        let (out, unsynced) = rewrite_unlocked(&self.path(file), id, original_text, changes)?;
        let mut change = Change {
            seq: None,
            file,
            kind: ChangeKind::Rewrite,
            line: out.line,
            before: out.before,
            after: out.after,
            at: now,
            label: label.to_string(),
            undone: false,
        };
        if change.before != change.after {
            change.seq = Some(self.journal_change(seq, &change, "")?);
        }
        unsynced.sync();
        Ok(change)
    }

    /// Append one record line (see [`append_line`]) and journal it for undo.
    pub fn append(
        &self,
        file: DataFile,
        line: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<Change, StoreError> {
        let _lock = lock(&self.dir)?;
        let seq = self.next_seq()?;
        let (out, unsynced) = append_unlocked(&self.path(file), line, true)?;
        let mut change = Change {
            seq: None,
            file,
            kind: ChangeKind::Append,
            line: out.line,
            before: String::new(),
            after: line.to_string(),
            at: now,
            label: label.to_string(),
            undone: false,
        };
        change.seq = Some(self.journal_change(seq, &change, &out.lead)?);
        unsynced.sync();
        Ok(change)
    }

    /// Reverse the most recent change not yet undone. `Ok(None)` when there is nothing to undo.
    /// If the changed line was edited or removed since, nothing is touched and the error says so;
    /// the change stays at the top of the undo stack.
    pub fn undo_last(&self, now: DateTime<Utc>) -> Result<Option<UndoOutcome>, StoreError> {
        let _lock = lock(&self.dir)?;
        let (entries, undone) = self.read_journal()?;
        let Some((entry, change)) = entries
            .into_iter()
            .rev()
            .filter(|e| !undone.contains(&e.seq))
            .find_map(|e| to_change(&e, false).map(|c| (e, c)))
        else {
            return Ok(None);
        };
        let (line, unsynced) = self.reverse(&entry, &change)?;
        let mark = UndoMark {
            undo: entry.seq,
            at: rfc3339(now),
        };
        self.journal_append(&mark)?;
        unsynced.sync();
        let change = Change {
            undone: true,
            ..change
        };
        Ok(Some(UndoOutcome { change, line }))
    }

    /// The `n` most recent changes, newest first, with whether each was undone.
    pub fn history(&self, n: usize) -> Result<Vec<Change>, StoreError> {
        let (entries, undone) = self.read_journal()?;
        Ok(entries
            .iter()
            .rev()
            .filter_map(|e| to_change(e, undone.contains(&e.seq)))
            .take(n)
            .collect())
    }

    /// Put the line back as it was; returns the line number touched. Like a rewrite, starts over
    /// if another program changes the file meanwhile (see `replace_if_unchanged`).
    fn reverse(&self, entry: &Entry, change: &Change) -> Result<(usize, Unsynced), StoreError> {
        let path = self.path(change.file);
        let conflict = |reason: String| StoreError::UndoConflict {
            file: change.file.file_name().to_string(),
            label: change.label.clone(),
            reason,
        };
        let missing = || conflict("no longer has the changed line".to_string());
        let target = resolve(&path)?.ok_or_else(missing)?;
        let mut attempts = Attempts::new(true);
        while attempts.another() {
            let snap = read_snapshot(&target)?.ok_or_else(missing)?;
            if attempts.wait_if_just_written(&target, &snap.meta) {
                continue;
            }
            let content = snap.content.as_str();
            let lines = split_lines(content);
            let i =
                nearest_line_with_text(&lines, &change.after, change.line).ok_or_else(|| {
                    conflict(format!(
                        "line {} is no longer what tether wrote there",
                        change.line
                    ))
                })?;
            let line = &lines[i];
            let new = match change.kind {
                ChangeKind::Rewrite => {
                    spliced(&target, content, line.span.clone(), &change.before)?
                }
                ChangeKind::Append => {
                    let mut cut = line.full_span();
                    let is_last = i + 1 == lines.len();
                    let lead_len = entry.lead.len();
                    if is_last
                        && content
                            .get(..cut.start)
                            .is_some_and(|h| h.ends_with(&entry.lead))
                    {
                        // Also take back the newline the append added, restoring the exact bytes.
                        cut.start -= lead_len;
                    }
                    spliced(&target, content, cut, "")?
                }
            };
            if replace_if_unchanged(&target, &snap, new.as_bytes())? == Replace::Done {
                remember_our_write(&target);
                return Ok((
                    line.number,
                    Unsynced::Dir(data_dir_of(&target).to_path_buf()),
                ));
            }
        }
        Err(StoreError::Busy {
            file: change.file.file_name().to_string(),
        })
    }

    /// The number the next journal entry gets. Read before the data file is written, so that
    /// little work is left between a write and its journal entry (see [`Unsynced`]).
    fn next_seq(&self) -> Result<u64, StoreError> {
        let (entries, _) = self.read_journal()?;
        Ok(entries.iter().map(|e| e.seq + 1).max().unwrap_or(1))
    }

    fn journal_change(&self, seq: u64, change: &Change, lead: &str) -> Result<u64, StoreError> {
        let entry = Entry {
            seq,
            file: change.file.file_name().to_string(),
            kind: change.kind,
            line: change.line,
            before: change.before.clone(),
            after: change.after.clone(),
            at: rfc3339(change.at),
            label: change.label.clone(),
            lead: lead.to_string(),
        };
        self.journal_append(&entry)?;
        Ok(seq)
    }

    fn journal_append<T: Serialize>(&self, item: &T) -> Result<(), StoreError> {
        let path = self.journal_path();
        let journal_err = |source| StoreError::Journal {
            file: shown(&path),
            source,
        };
        let line = serde_json::to_string(item).map_err(|e| journal_err(io::Error::other(e)))?;
        let (out, unsynced) =
            append_unlocked(&path, &line, false).map_err(|e| journal_err(io::Error::other(e)))?;
        unsynced.sync();
        if out.line > JOURNAL_MAX {
            self.compact_journal()?;
        }
        Ok(())
    }

    /// Keep the journal small: only recent changes are worth undoing. Undo marks always follow
    /// the change they mark, so keeping a tail of lines never orphans a kept change's mark.
    fn compact_journal(&self) -> Result<(), StoreError> {
        let path = self.journal_path();
        let content = read_text(&path)?.unwrap_or_default();
        let lines = split_lines(&content);
        let start = lines
            .len()
            .checked_sub(JOURNAL_KEEP)
            .and_then(|i| lines.get(i))
            .map_or(0, |l| l.span.start);
        let tail = content.get(start..).unwrap_or_default();
        atomic_write(&path, tail.as_bytes())
    }

    /// Journal entries in order, and the set of undone sequence numbers. Unreadable lines are
    /// skipped: a damaged journal must not block the user's work.
    fn read_journal(&self) -> Result<(Vec<Entry>, std::collections::HashSet<u64>), StoreError> {
        let content = read_text(&self.journal_path())?.unwrap_or_default();
        let mut entries = Vec::new();
        let mut undone = std::collections::HashSet::new();
        for line in split_lines(&content) {
            match serde_json::from_str::<JournalLine>(line.text) {
                Ok(JournalLine::Change(e)) => entries.push(e),
                Ok(JournalLine::Undo(m)) => {
                    undone.insert(m.undo);
                }
                Err(_) => {}
            }
        }
        Ok((entries, undone))
    }
}

fn to_change(e: &Entry, undone: bool) -> Option<Change> {
    Some(Change {
        seq: Some(e.seq),
        file: DataFile::from_file_name(&e.file)?,
        kind: e.kind,
        line: e.line,
        before: e.before.clone(),
        after: e.after.clone(),
        at: DateTime::parse_from_rfc3339(&e.at)
            .ok()?
            .with_timezone(&Utc),
        label: e.label.clone(),
        undone,
    })
}

/// The line whose text is exactly `text`, nearest to where it was (`hint`, 1-based): lines
/// may have been added above since.
fn nearest_line_with_text(
    lines: &[super::lines::Line<'_>],
    text: &str,
    hint: usize,
) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.text == text)
        .min_by_key(|(_, l)| l.number.abs_diff(hint))
        .map(|(i, _)| i)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::{Map, Value, json};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .single()
            .expect("valid time")
    }

    fn setup(content: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("followups.jsonl");
        fs::write(&path, content).expect("write fixture");
        (dir, path)
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).expect("read back")
    }

    fn done() -> Vec<FieldChange> {
        vec![
            FieldChange::set("status", "done"),
            FieldChange::set("done_at", "2026-11-25T09:00:00Z"),
        ]
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tether-tmp"))
            .collect()
    }

    const REC: &str =
        r#"{"id":"f-1","what":"Send revised quote","status":"open","x":{"k":[1,"}"]}}"#;
    const REC_DONE: &str = r#"{"id":"f-1","what":"Send revised quote","status":"done","x":{"k":[1,"}"]},"done_at":"2026-11-25T09:00:00Z"}"#;

    #[test]
    fn rewrite_keeps_every_other_byte() {
        let before = format!(
            "\u{feff}# my follow-ups\r\n\r\n{{\"id\":\n  garbage  \r\n{REC}\r\n{{ \"what\": \"other\" }}"
        );
        let (dir, path) = setup(&before);
        let out = rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
        assert_eq!(out.line, 5);
        assert_eq!(out.before, REC);
        assert_eq!(out.after, REC_DONE);
        assert_eq!(read(&path), before.replace(REC, REC_DONE));
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn rewrite_finds_by_id_after_hand_edits_above() {
        let (_dir, path) = setup(&format!("{REC}\n"));
        // Lines added above, and the record's own unknown field edited: found by id anyway,
        // and the hand edit inside the record survives.
        let edit = |t: &str| t.replace("[1,", "[1,2,");
        let hand = format!(
            "{{\"id\":\"f-0\",\"what\":\"new\"}}\n# added\n{}\n",
            edit(REC)
        );
        fs::write(&path, &hand).expect("hand edit");
        let out = rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
        assert_eq!(out.line, 3);
        assert_eq!(out.before, edit(REC));
        assert_eq!(read(&path), hand.replace(&edit(REC), &edit(REC_DONE)));
    }

    #[test]
    fn rewrite_finds_by_exact_text_without_id() {
        let t = r#"{"what":"Call Sato", "status":"open"}"#;
        let (_dir, path) = setup(&format!("{t}\n{t}x\n"));
        rewrite_record(&path, None, t, &[FieldChange::set("status", "done")]).expect("rewrite");
        assert_eq!(
            read(&path),
            format!("{{\"what\":\"Call Sato\", \"status\":\"done\"}}\n{t}x\n")
        );
    }

    #[test]
    fn record_gone_is_an_error_and_changes_nothing() {
        let content = "{\"id\":\"f-2\",\"what\":\"other\"}\n";
        let (_dir, path) = setup(content);
        let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("gone");
        assert!(matches!(err, StoreError::RecordGone { .. }));
        assert_eq!(
            err.to_string(),
            "followups.jsonl: the record \"Send revised quote\" is no longer in the file (edited elsewhere?); nothing was changed"
        );
        assert_eq!(read(&path), content);
        fs::remove_file(&path).expect("rm");
        let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("gone");
        assert!(matches!(err, StoreError::RecordGone { .. }));
    }

    #[test]
    fn unchanged_record_is_not_rewritten() {
        let (_dir, path) = setup(&format!("{REC_DONE}\n"));
        let out = rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
        assert!(!out.changed());
        assert_eq!(read(&path), format!("{REC_DONE}\n"));
    }

    #[test]
    fn bad_target_line_is_reported_with_its_number() {
        // Found by exact text, but not an object: say where, change nothing.
        let (_dir, path) = setup("# c\n{\"id\": oops\n");
        let err = rewrite_record(&path, None, "{\"id\": oops", &done()).expect_err("bad");
        assert!(err.to_string().starts_with("followups.jsonl:2: "), "{err}");
        assert_eq!(read(&path), "# c\n{\"id\": oops\n");
    }

    #[test]
    fn not_utf8_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("deadlines.jsonl");
        fs::write(&path, b"{\"id\":\"a\"}\n\xff\n").expect("write");
        let err = rewrite_record(&path, Some("a"), "", &done()).expect_err("utf8");
        assert!(
            matches!(err, StoreError::NotUtf8 { offset: 11, .. }),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn read_only_file_is_refused_even_for_root() {
        use std::os::unix::fs::PermissionsExt;
        let content = format!("{REC}\n");
        let (dir, path) = setup(&content);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
        let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("read-only");
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
        assert!(err.to_string().contains("chmod u+w"));
        let err = append_line(&path, "{}").expect_err("read-only");
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
        assert_eq!(read(&path), content);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, path) = setup(&format!("{REC}\n"));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
        let mode = fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn read_only_directory_is_an_error() {
        use std::os::unix::fs::PermissionsExt;
        let content = format!("{REC}\n");
        let (dir, path) = setup(&content);
        // Take the lock first so .tether exists; then forbid creating the temp file.
        drop(lock(dir.path()).expect("lock"));
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).expect("chmod");
        let probe = dir.path().join("probe");
        let privileged = File::create(&probe).is_ok();
        let result = rewrite_record(&path, Some("f-1"), REC, &done());
        let _ = fs::remove_file(&probe);
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod back");
        if privileged {
            // Root ignores permission bits; the other write-failure tests cover this path.
            return;
        }
        let err = result.expect_err("read-only dir");
        assert!(matches!(err, StoreError::Write { .. }), "{err}");
        assert_eq!(read(&path), content);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn unwritable_temp_path_is_an_error_and_changes_nothing() {
        // Works as root too: a folder where the temp file must go cannot be opened as a file.
        let content = format!("{REC}\n");
        let (dir, path) = setup(&content);
        let tmp = dir.path().join(format!(
            ".followups.jsonl.tether-tmp-{}",
            std::process::id()
        ));
        fs::create_dir(&tmp).expect("mkdir");
        let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("blocked");
        assert!(matches!(err, StoreError::Write { .. }), "{err}");
        assert!(err.to_string().contains("nothing was changed"));
        assert_eq!(read(&path), content);
        assert!(tmp.is_dir(), "the user's folder must not be removed");
    }

    #[test]
    fn failed_rename_cleans_up_the_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("busy");
        fs::create_dir(&target).expect("mkdir");
        fs::write(target.join("inside"), "x").expect("write");
        let err = atomic_write(&target, b"new").expect_err("rename onto a folder");
        assert!(matches!(err, StoreError::Write { .. }), "{err}");
        assert!(leftovers(dir.path()).is_empty());
        assert_eq!(read(&target.join("inside")), "x");
    }

    #[test]
    fn parent_is_a_file_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("plain");
        fs::write(&file, "x").expect("write");
        let path = file.join("followups.jsonl");
        assert!(rewrite_record(&path, Some("f-1"), REC, &done()).is_err());
        assert!(append_line(&path, "{}").is_err());
        assert_eq!(read(&file), "x");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_target_is_rewritten_and_link_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).expect("mkdir");
        let real = real_dir.join("f.jsonl");
        fs::write(&real, format!("{REC}\n")).expect("write");
        let link = dir.path().join("followups.jsonl");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        rewrite_record(&link, Some("f-1"), REC, &done()).expect("rewrite");
        assert!(
            fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(read(&real), format!("{REC_DONE}\n"));
        assert!(leftovers(dir.path()).is_empty() && leftovers(&real_dir).is_empty());
    }

    #[test]
    fn append_shapes() {
        assert_eq!(append_shape(""), ("", "\n"));
        assert_eq!(append_shape("\u{feff}"), ("", "\n"));
        assert_eq!(append_shape("a\n"), ("", "\n"));
        assert_eq!(append_shape("a"), ("\n", "\n"));
        assert_eq!(append_shape("a\r\nb"), ("\r\n", "\r\n"));
        assert_eq!(append_shape("a\r\nb\n"), ("", "\r\n"));
        assert_eq!(append_shape("a\r\nb\r"), ("\n", "\r\n"));
    }

    #[test]
    fn append_without_trailing_newline_starts_a_new_line() {
        let (_dir, path) = setup("# c\n{\"a\":1}");
        let out = append_line(&path, "{\"b\":2}").expect("append");
        assert_eq!(out.line, 3);
        assert_eq!(read(&path), "# c\n{\"a\":1}\n{\"b\":2}\n");
    }

    #[test]
    fn append_to_crlf_file_uses_crlf() {
        let (_dir, path) = setup("\u{feff}{\"a\":1}\r\n");
        let out = append_line(&path, "{\"b\":2}").expect("append");
        assert_eq!(out.line, 2);
        assert_eq!(read(&path), "\u{feff}{\"a\":1}\r\n{\"b\":2}\r\n");
    }

    #[test]
    fn append_creates_a_missing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("interactions.jsonl");
        assert_eq!(append_line(&path, "{\"a\":1}").expect("append").line, 1);
        assert_eq!(append_line(&path, "{\"a\":2}").expect("append").line, 2);
        assert_eq!(read(&path), "{\"a\":1}\n{\"a\":2}\n");
    }

    #[test]
    fn append_refuses_line_breaks() {
        let (_dir, path) = setup("");
        for bad in ["a\nb", "a\r"] {
            let err = append_line(&path, bad).expect_err("multi-line");
            assert!(matches!(err, StoreError::NotOneLine { .. }));
        }
        assert_eq!(read(&path), "");
    }

    fn store_with(file: DataFile, content: &str) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        fs::write(store.path(file), content).expect("write");
        (dir, store)
    }

    #[test]
    fn undo_a_rewrite_restores_the_line() {
        let content = format!("# c\r\n{REC}\r\n{{\"id\":\"f-2\"}}");
        let (_dir, store) = store_with(DataFile::Followups, &content);
        let change = store
            .rewrite(
                DataFile::Followups,
                Some("f-1"),
                REC,
                &done(),
                "done: Send revised quote",
                now(),
            )
            .expect("rewrite");
        assert_eq!(change.seq, Some(1));
        assert_eq!(change.line, 2);
        // A hand edit elsewhere in the file must survive the undo.
        let path = store.path(DataFile::Followups);
        let edited = read(&path).replace("f-2", "f-2b");
        fs::write(&path, &edited).expect("hand edit");
        let undo = store
            .undo_last(now())
            .expect("undo")
            .expect("something to undo");
        assert_eq!(undo.line, 2);
        assert_eq!(undo.change.label, "done: Send revised quote");
        assert_eq!(read(&path), content.replace("f-2", "f-2b"));
        assert_eq!(store.undo_last(now()).expect("undo"), None);
        let history = store.history(10).expect("history");
        assert_eq!(history.len(), 1);
        assert!(history[0].undone);
    }

    #[test]
    fn undo_an_append_restores_exact_bytes() {
        let content = "{\"a\":1}";
        let (_dir, store) = store_with(DataFile::Interactions, content);
        let path = store.path(DataFile::Interactions);
        store
            .append(DataFile::Interactions, "{\"a\":2}", "visit", now())
            .expect("append");
        assert_eq!(read(&path), "{\"a\":1}\n{\"a\":2}\n");
        store.undo_last(now()).expect("undo").expect("undone");
        assert_eq!(read(&path), content);
    }

    #[test]
    fn undo_an_append_with_lines_after_it() {
        let (_dir, store) = store_with(DataFile::Interactions, "{\"a\":1}\r\n");
        let path = store.path(DataFile::Interactions);
        store
            .append(DataFile::Interactions, "{\"a\":2}", "visit", now())
            .expect("append");
        let mut hand = read(&path);
        hand.push_str("{\"a\":3}\r\n");
        fs::write(&path, &hand).expect("hand edit");
        store.undo_last(now()).expect("undo").expect("undone");
        assert_eq!(read(&path), "{\"a\":1}\r\n{\"a\":3}\r\n");
    }

    #[test]
    fn undo_after_hand_edit_of_that_line_is_a_conflict() {
        let (_dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
        let path = store.path(DataFile::Followups);
        store
            .rewrite(
                DataFile::Followups,
                Some("f-1"),
                REC,
                &done(),
                "done: Send revised quote",
                now(),
            )
            .expect("rewrite");
        let hand = read(&path).replace("Send revised quote", "Send revised quote v2");
        fs::write(&path, &hand).expect("hand edit");
        let err = store.undo_last(now()).expect_err("conflict");
        assert!(matches!(err, StoreError::UndoConflict { .. }), "{err}");
        assert!(
            err.to_string().contains("\"done: Send revised quote\""),
            "{err}"
        );
        assert_eq!(read(&path), hand);
        // Still at the top of the stack: not marked undone.
        assert!(!store.history(1).expect("history")[0].undone);
    }

    #[test]
    fn undo_walks_back_through_changes() {
        let (_dir, store) = store_with(DataFile::Deadlines, "");
        let path = store.path(DataFile::Deadlines);
        let a = r#"{"id":"d-1","title":"A","status":"open"}"#;
        store
            .append(DataFile::Deadlines, a, "add A", now())
            .expect("append");
        store
            .rewrite(
                DataFile::Deadlines,
                Some("d-1"),
                a,
                &[FieldChange::set("status", "done")],
                "done: A",
                now(),
            )
            .expect("rewrite");
        let history = store.history(5).expect("history");
        let labels: Vec<_> = history.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["done: A", "add A"]);
        assert_eq!(history[0].at, now());
        store.undo_last(now()).expect("undo").expect("undone");
        assert_eq!(read(&path), format!("{a}\n"));
        store.undo_last(now()).expect("undo").expect("undone");
        assert_eq!(read(&path), "");
        assert_eq!(store.undo_last(now()).expect("undo"), None);
    }

    #[test]
    fn noop_rewrite_is_not_journalled() {
        let (_dir, store) = store_with(DataFile::Followups, &format!("{REC_DONE}\n"));
        let change = store
            .rewrite(
                DataFile::Followups,
                Some("f-1"),
                REC,
                &done(),
                "done",
                now(),
            )
            .expect("rewrite");
        assert_eq!(change.seq, None);
        assert!(store.history(5).expect("history").is_empty());
    }

    #[test]
    fn journal_is_compacted() {
        let (dir, store) = store_with(DataFile::Interactions, "");
        let state = dir.path().join(STATE_DIR);
        fs::create_dir_all(&state).expect("mkdir");
        let mut journal = String::new();
        for seq in 1..=JOURNAL_MAX as u64 {
            let e = json!({"seq": seq, "file": "interactions.jsonl", "kind": "append", "line": 1,
                "before": "", "after": "{}", "at": "2026-01-01T00:00:00Z", "label": "x"});
            journal.push_str(&format!("{e}\n"));
        }
        fs::write(state.join(JOURNAL_FILE), journal).expect("write journal");
        let change = store
            .append(DataFile::Interactions, "{\"n\":1}", "latest", now())
            .expect("append");
        assert_eq!(change.seq, Some(JOURNAL_MAX as u64 + 1));
        let kept = read(&state.join(JOURNAL_FILE));
        assert_eq!(kept.lines().count(), JOURNAL_KEEP);
        assert_eq!(store.history(1).expect("history")[0].label, "latest");
        assert!(leftovers(&state).is_empty());
    }

    #[test]
    fn damaged_journal_lines_are_skipped() {
        let (dir, store) = store_with(DataFile::Interactions, "");
        let state = dir.path().join(STATE_DIR);
        fs::create_dir_all(&state).expect("mkdir");
        fs::write(state.join(JOURNAL_FILE), "garbage\n{\"seq\":\n").expect("write");
        store
            .append(DataFile::Interactions, "{}", "x", now())
            .expect("append");
        assert_eq!(store.history(5).expect("history").len(), 1);
    }

    #[test]
    fn concurrent_writers_do_not_interleave() {
        let (_dir, store) = store_with(DataFile::Interactions, "");
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for i in 0..15 {
                        let line = format!("{{\"t\":{t},\"i\":{i}}}");
                        store
                            .append(DataFile::Interactions, &line, "x", now())
                            .expect("append");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        let content = read(&store.path(DataFile::Interactions));
        assert_eq!(content.lines().count(), 90);
        assert!(
            content
                .lines()
                .all(|l| serde_json::from_str::<Map<String, Value>>(l).is_ok())
        );
        let mut seqs: Vec<_> = store
            .history(100)
            .expect("history")
            .iter()
            .filter_map(|c| c.seq)
            .collect();
        seqs.sort_unstable();
        seqs.dedup();
        assert_eq!(seqs.len(), 90, "every change got its own journal number");
    }

    // Another program changing the file between tether's read and its write (found missing by
    // the hardening review: the read-modify-write was locked only against other tethers).

    fn other_program(path: &Path, content: &str) {
        // As vim, sed -i and sync tools do: a new file renamed over the old one.
        let tmp = path.with_file_name(".other.tmp");
        fs::write(&tmp, content).expect("write");
        fs::rename(&tmp, path).expect("rename");
    }

    #[test]
    fn a_file_replaced_after_the_read_is_not_overwritten() {
        let (dir, path) = setup(&format!("{REC}\n"));
        let snap = read_snapshot(&path).expect("read").expect("exists");
        let theirs = format!("{REC}\n{{\"what\":\"added in vim\"}}\n");
        other_program(&path, &theirs);
        let got = replace_if_unchanged(&path, &snap, b"ours\n").expect("replace");
        assert_eq!(got, Replace::Changed);
        assert_eq!(read(&path), theirs);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn an_append_after_the_read_is_not_overwritten() {
        let (_dir, path) = setup(&format!("{REC}\n"));
        let snap = read_snapshot(&path).expect("read").expect("exists");
        let mut f = OpenOptions::new().append(true).open(&path).expect("open");
        f.write_all(b"{\"what\":\"echo >>\"}\n").expect("append");
        assert_eq!(
            replace_if_unchanged(&path, &snap, b"ours\n").expect("replace"),
            Replace::Changed
        );
        assert!(read(&path).ends_with("{\"what\":\"echo >>\"}\n"));
    }

    #[test]
    fn a_same_size_edit_in_place_is_caught_after_the_swap() {
        // Same inode, same size, maybe the same mtime tick: only the bytes tell. The cheap check
        // passes, the swap happens, the comparison of the swapped-out file catches it, and it is
        // swapped back.
        let (dir, path) = setup("{\"a\":1}\n");
        let snap = read_snapshot(&path).expect("read").expect("exists");
        fs::write(&path, "{\"a\":2}\n").expect("in place");
        assert_eq!(
            replace_if_unchanged(&path, &snap, b"ours\n").expect("replace"),
            Replace::Changed
        );
        assert_eq!(read(&path), "{\"a\":2}\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let (dir, path) = setup("{\"a\":1}\n");
        let snap = read_snapshot(&path).expect("read").expect("exists");
        assert_eq!(
            replace_if_unchanged(&path, &snap, b"ours\n").expect("replace"),
            Replace::Done
        );
        assert_eq!(read(&path), "ours\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn temporary_files_of_killed_writers_are_removed() {
        let (dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
        let dead = std::process::Command::new("true")
            .spawn()
            .and_then(|mut c| c.wait().map(|_| c.id()))
            .expect("a process that has ended");
        let state = dir.path().join(STATE_DIR);
        fs::create_dir_all(&state).expect("mkdir");
        let stale = [
            dir.path()
                .join(format!(".followups.jsonl.tether-tmp-{dead}")),
            dir.path()
                .join(format!(".deadlines.jsonl.tether-tmp-{dead}")),
            state.join(format!(".undo.jsonl.tether-tmp-{dead}")),
        ];
        for p in &stale {
            fs::write(p, "half").expect("write");
        }
        let user_file = dir.path().join(".notes.tether-tmp-x");
        fs::write(&user_file, "mine").expect("write");
        store
            .rewrite(
                DataFile::Followups,
                Some("f-1"),
                REC,
                &done(),
                "done",
                now(),
            )
            .expect("rewrite");
        for p in &stale {
            assert!(!p.exists(), "{} left", p.display());
        }
        assert!(user_file.exists(), "a file tether did not make was removed");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("followups.jsonl");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .expect("mkfifo");
        let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("fifo");
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let err = append_line(&path, "{}").expect_err("fifo");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let (_dir, path) = setup("");
        let f = OpenOptions::new().write(true).open(&path).expect("open");
        f.set_len(MAX_FILE_BYTES + 1).expect("sparse");
        let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("big");
        assert!(matches!(err, StoreError::TooBig { .. }), "{err}");
        let err = append_line(&path, "{}").expect_err("big");
        assert!(matches!(err, StoreError::TooBig { .. }), "{err}");
        assert_eq!(fs::metadata(&path).expect("meta").len(), MAX_FILE_BYTES + 1);
    }
}
