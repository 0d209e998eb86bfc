//! Reading a file for a change: the snapshot a write compares against before it replaces the
//! file, and the waits and retries when someone else is writing it at the same moment.

use super::error::{StoreError, name_of, shown};
use super::fsio::{FileStamp, data_dir_of};
use super::load::MAX_FILE_BYTES;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// How often a read-modify-write starts over because another program changed the file while
/// tether was writing it, before giving up with [`StoreError::Busy`].
pub(super) const MAX_TRIES: usize = 8;

/// A file modified less than this long ago may be in the middle of being saved in place (nano,
/// VS Code, `cat > file`: truncate, then write): a reader can see it empty or half-written. So
/// tether waits until it has been quiet this long before reading it for a change, at most
/// [`MAX_WAITS`] times (then it goes ahead: the checks before the swap still apply).
pub(super) const SETTLE: std::time::Duration = std::time::Duration::from_millis(25);
pub(super) const MAX_WAITS: usize = 30;

/// The tries of one read-modify-write (or append), and its waits for a file that was modified a
/// moment ago by someone else.
pub(super) struct Attempts {
    tries: usize,
    waits: usize,
    /// False for tether's own files (the journal), which nobody else writes.
    settle: bool,
}

impl Attempts {
    pub(super) fn new(settle: bool) -> Attempts {
        Attempts {
            tries: 0,
            waits: 0,
            settle,
        }
    }

    /// Whether to (re)start: false once [`MAX_TRIES`] are spent.
    pub(super) fn another(&mut self) -> bool {
        self.tries += 1;
        self.tries <= MAX_TRIES
    }

    /// If `path` (read as `meta`) was modified a moment ago, and not by this process's last
    /// write to it, wait until it has been quiet for [`SETTLE`] and return true: the caller
    /// reads it again (this does not count as a try).
    pub(super) fn wait_if_just_written(&mut self, path: &Path, meta: &fs::Metadata) -> bool {
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
pub(super) static LAST_WRITES: std::sync::Mutex<Vec<(PathBuf, FileStamp)>> =
    std::sync::Mutex::new(Vec::new());

pub(super) fn remember_our_write(path: &Path) {
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

pub(super) fn was_our_last_write(path: &Path, meta: &fs::Metadata) -> bool {
    LAST_WRITES.lock().is_ok_and(|w| {
        w.iter()
            .any(|(p, stamp)| p == path && *stamp == FileStamp::of(meta))
    })
}

/// Follow a symlink to the file it names, so the rewrite replaces the target and the link
/// survives. `None` if the file does not exist. A link that leads out of the data directory
/// (the folder `path` is in) is refused ([`StoreError::LinkOut`]): a link synced in by git or
/// Syncthing must not make tether write anywhere else (as root, to `/etc/shadow`).
pub(super) fn resolve(path: &Path) -> Result<Option<PathBuf>, StoreError> {
    let read_err = |source| StoreError::Read {
        file: shown(path),
        source,
    };
    let target = match fs::canonicalize(path) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(read_err(source)),
    };
    let dir = fs::canonicalize(data_dir_of(path)).map_err(read_err)?;
    if target.starts_with(&dir) {
        Ok(Some(target))
    } else {
        Err(StoreError::LinkOut {
            file: shown(path),
            target: shown(&target),
            dir: shown(&dir),
        })
    }
}

/// Where an append to the data file `path` goes: `path` itself, or the file a link there
/// names if that is inside the data directory (see [`resolve`]); a link out, or to nothing
/// (an append would create the file it names), is refused.
pub(super) fn append_target(path: &Path) -> Result<PathBuf, StoreError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => resolve(path)?.ok_or_else(|| StoreError::Write {
            file: shown(path),
            source: io::Error::other(
                "a symbolic link to a file that does not exist (not mounted? moved?); tether does not create it",
            ),
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// A file opened for a change: the open file and its `stat`, so the write can tell whether
/// anyone changed the file since. Its content is read as it goes (`scan.rs`), never held.
pub(super) struct Snapshot {
    pub(super) file: File,
    pub(super) meta: fs::Metadata,
}

/// Open `path` (`None` if it does not exist): only a plain file, at most [`MAX_FILE_BYTES`];
/// otherwise an error and nothing is written.
pub(super) fn open_snapshot(path: &Path) -> Result<Option<Snapshot>, StoreError> {
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
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    };
    let meta = file.metadata().map_err(read_err)?;
    check_regular(path, &meta)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(path, meta.len()));
    }
    Ok(Some(Snapshot { file, meta }))
}

pub(super) fn too_big(path: &Path, len: u64) -> StoreError {
    StoreError::TooBig {
        file: name_of(path),
        mb: len / 1_048_576,
    }
}

pub(super) fn check_regular(path: &Path, meta: &fs::Metadata) -> Result<(), StoreError> {
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

/// `bytes` as text, or the error that says where they are not UTF-8: the whole-text check
/// `append_scan` says the same as, a block at a time (its test's reference).
#[cfg(test)]
pub(super) fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, StoreError> {
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
