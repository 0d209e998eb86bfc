//! The file system calls of every write tether makes, in one place: the one atomic write
//! ([`atomic_write`], [`atomic_write_with`] for content written as it is made: temp file
//! beside the target, fsync, rename, fsync of the folder), the
//! one append of a whole line ([`write_whole`], on a file opened with `O_APPEND`; the locking
//! and line shape are `append`'s), the one file stamp ([`FileStamp`]), and the tidying of
//! temporary files left by killed writers.

use super::files::{STATE_DIR, TEMP_MARK};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A change that every reader already sees, not yet forced to disk. The sync is left to the end,
/// after the undo journal has recorded the change: a process killed in between (the common
/// crash) then cannot lose the journal entry of a change it made, except in the microseconds
/// between the write and the journal's append, instead of the milliseconds a sync takes. (The
/// temporary file of a rewrite is synced before its rename, so a power cut still leaves the old
/// file or the new one.)
#[must_use]
pub(super) enum Unsynced {
    File(File),
    Dir(PathBuf),
    Nothing,
}

impl Unsynced {
    /// Errors are ignored: the change is in place and visible; reporting "nothing was changed"
    /// then would be wrong.
    pub(super) fn sync(self) {
        match self {
            Unsynced::File(f) => {
                let _ = f.sync_data();
            }
            Unsynced::Dir(d) => sync_dir(&d),
            Unsynced::Nothing => {}
        }
    }
}

pub(super) fn data_dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What `stat` says about a file: which file it is (device, inode), its size and modification
/// time. Equal stamps mean "not changed since" to every cache and check in tether: the
/// reloader's, the status cache's, and the write path's "did this process write it last".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStamp {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    /// Seconds and nanoseconds since the epoch.
    pub mtime: (i64, i64),
}

impl FileStamp {
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
        }
    }

    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> FileStamp {
        let since = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        FileStamp {
            dev: 0,
            ino: 0,
            len: meta.len(),
            mtime: (since.as_secs() as i64, i64::from(since.subsec_nanos())),
        }
    }

    /// The stamp of the file at `path` (following a symlink); `None` if there is none.
    pub fn of_path(path: &Path) -> Option<FileStamp> {
        fs::metadata(path).ok().map(|m| FileStamp::of(&m))
    }

    /// Whether both describe the same file (whatever its content now).
    pub fn same_file(&self, other: &FileStamp) -> bool {
        (self.dev, self.ino) == (other.dev, other.ino)
    }
}

/// The one append: `bytes` (a whole line) with one `write` on a file opened for appending, so
/// a reader never sees half a record; a short write on a regular file is all but impossible,
/// but finishing it beats leaving a torn line. (Synced later: see `Unsynced`.)
pub fn write_whole(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    let n = file.write(bytes)?;
    if let Some(rest) = bytes.get(n..).filter(|r| !r.is_empty()) {
        file.write_all(rest)?;
    }
    Ok(())
}

/// Whether two `stat`s are of the same file (device and inode), whatever its name now.
pub(super) fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    FileStamp::of(a).same_file(&FileStamp::of(b))
}

/// Exchange two paths atomically. `Ok(false)` where the system or filesystem cannot.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
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
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// The temporary file a write to `target` goes through, beside it (same filesystem, so the
/// rename is atomic).
pub(super) fn temp_path(target: &Path, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    data_dir_of(target).join(format!(".{name}{TEMP_MARK}{pid}"))
}

/// A new temporary file beside `target` with the content written by `fill` (a rewrite streams
/// the file through, a block at a time), synced; returns its path, the file (open for
/// reading) and its identity. `like`: the file it will replace, whose permissions, owner and
/// group the new file gets (a rewrite by root must not hand the user's file to root).
pub(super) fn write_temp_with(
    target: &Path,
    like: Option<&fs::Metadata>,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<(PathBuf, File, fs::Metadata)> {
    // The folder of a symlinked file's target is not the data folder: tidy it here.
    tidy_around(target);
    let tmp = temp_path(target, std::process::id());
    // Never open whatever is at the temporary name (a link, a pipe someone made there): remove
    // it, then create the file afresh (`O_EXCL` follows no link).
    let _ = fs::remove_file(&tmp);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let written = (|| {
        fill(&mut file)?;
        if let Some(meta) = like {
            keep_owner(&file, meta);
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        file.metadata()
    })();
    match written {
        Ok(meta) => Ok((tmp, file, meta)),
        Err(e) => {
            drop(file);
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Give `file` the owner and group of `like`, where they differ (before its mode is set: a
/// change of owner clears set-id bits). Only root can give a file away; anyone else keeps at
/// least the group if they are in it, and otherwise the file is theirs, as a file they write
/// always was. A filesystem that has no owners (FAT) refuses: not a reason to refuse the write.
#[cfg(unix)]
fn keep_owner(file: &File, like: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(mine) = file.metadata() else {
        return;
    };
    if (mine.uid(), mine.gid()) == (like.uid(), like.gid()) {
        return;
    }
    if std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(like.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: &fs::Metadata) {}

/// Remove the temporary files killed writers left in the folders a write to `path` touches: the
/// file's own folder, and the data directory and its `.tether/` (whichever of the two `path` is
/// not in), so that any write tidies both.
pub(super) fn tidy_around(path: &Path) {
    let dir = data_dir_of(path);
    remove_stale_temps(dir);
    if dir.file_name().is_some_and(|n| n == STATE_DIR) {
        remove_stale_temps(data_dir_of(dir));
    } else {
        remove_stale_temps(&dir.join(STATE_DIR));
    }
}

/// A tether killed mid-write leaves its temporary file behind (the data file itself is intact).
/// The caller holds the lock, so a temporary file of a process that no longer runs is stale:
/// delete it. (One of a live process, e.g. another data folder linking to the same file, stays.)
pub(super) fn remove_stale_temps(dir: &Path) {
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
pub(super) fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // Signal 0 only checks whether the process exists; "not permitted" means it does.
    let exists = !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    );
    exists && !is_zombie(pid.as_raw_nonzero().get())
}

/// Whether `pid` has ended but not been waited for by its parent (a zombie: a writer killed a
/// moment ago whose parent, a shell or a script, has not reaped it yet). It writes nothing any
/// more, so its temporary files are stale.
#[cfg(target_os = "linux")]
fn is_zombie(pid: i32) -> bool {
    // `/proc/PID/stat`: "PID (COMMAND) STATE ..."; the command may hold spaces and parentheses.
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| matches!(state, 'Z' | 'X'))
    })
}

#[cfg(all(unix, not(target_os = "linux")))]
fn is_zombie(_: i32) -> bool {
    false
}

#[cfg(not(unix))]
pub(super) fn process_alive(_: u32) -> bool {
    true
}

/// The one atomic write: `bytes` become the content of `target`, through a temporary file beside
/// it (same folder, so the rename is atomic), synced before the rename, and the folder synced
/// after it. A crash at any moment leaves the old file or the new one, never a mix; a stale
/// temporary file of a killed writer is removed by the next write. The permissions, owner
/// and group of an existing `target` are kept. For the data files, whose hand edits must not be overwritten,
/// `replace::replace_if_unchanged` adds a check and an exchange around the same temporary file.
pub fn atomic_write(target: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic_write_with(target, |file| file.write_all(bytes))
}

/// [`atomic_write`] of the content `fill` writes to the temporary file (a calendar of millions
/// of items is written an item at a time, never held whole). An error from `fill` leaves
/// `target` as it was and no temporary file.
pub fn atomic_write_with(
    target: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    // The file it replaces, not a link's target (a link there is replaced by the file).
    let like = fs::symlink_metadata(target).ok().filter(|m| m.is_file());
    let (tmp, _, _) = write_temp_with(target, like.as_ref(), fill)?;
    if let Err(e) = fs::rename(&tmp, target) {
        // Best effort: the error about the write matters more than one about the cleanup.
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(data_dir_of(target));
    Ok(())
}

/// Make the rename durable. Errors are ignored: the new file is already in place, and some
/// filesystems cannot sync a folder; reporting "not changed" then would be wrong.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The data directory's `.tether/` folder, made if missing. A link there (to anywhere), or
/// anything that is not a folder, is refused: tether's own files (the undo journal holds record
/// text) must not land outside the data directory.
pub fn ensure_state_dir(data_dir: &Path) -> io::Result<PathBuf> {
    let state = data_dir.join(STATE_DIR);
    match fs::symlink_metadata(&state) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; tether keeps its own files only in a real folder inside the data folder: delete the link (tether makes the folder again)",
            state.display()
        ))),
        Ok(m) if !m.is_dir() => Err(io::Error::other(format!(
            "{} is not a folder; tether keeps its own files there: move it away (tether makes the folder again)",
            state.display()
        ))),
        Ok(_) => Ok(state),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            match fs::create_dir(&state) {
                Ok(()) => Ok(state),
                // Made by another tether at the same moment: check what it is.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => ensure_state_dir(data_dir),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Open a file of tether's own state (in `.tether/`) with `options`: never through a symbolic
/// link (`O_NOFOLLOW`), never waiting on a named pipe (`O_NONBLOCK`), and only a plain file.
/// The error says what is there and what to do.
pub fn open_state_file(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    let refuse = |what: &str| {
        io::Error::other(format!(
            "{} is {what}, not a plain file; tether keeps its own state there: delete it (tether makes it again)",
            path.display()
        ))
    };
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        options,
        (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW).bits() as i32,
    );
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) => {
            return Err(match fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => refuse("a symbolic link"),
                Ok(m) if m.is_dir() => refuse("a folder"),
                Ok(m) if !m.is_file() => refuse("a named pipe, device or socket"),
                _ => e,
            });
        }
    };
    let meta = file.metadata()?;
    if meta.is_file() {
        Ok(file)
    } else if meta.is_dir() {
        Err(refuse("a folder"))
    } else {
        Err(refuse("a named pipe, device or socket"))
    }
}

/// The text of a file of tether's own state, opened as [`open_state_file`] does; `None` if
/// there is none. At most `limit` bytes are read (a longer file is an error).
pub fn read_state_file(path: &Path, limit: u64) -> io::Result<Option<String>> {
    let Some(bytes) = read_state_bytes(path, limit)? else {
        return Ok(None);
    };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| io::Error::other(format!("{} is not UTF-8", path.display())))
}

/// [`read_state_file`]'s bytes, whatever they are.
pub fn read_state_bytes(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut file = match open_state_file(path, OpenOptions::new().read(true)) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(&mut file, limit + 1), &mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(format!(
            "{} is larger than tether ever makes it ({} MB); delete it (tether makes it again)",
            path.display(),
            limit / 1_048_576
        )));
    }
    Ok(Some(bytes))
}
