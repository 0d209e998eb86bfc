//! tether's cross-process locks: files in `.tether/` locked with `flock`, released when dropped.

use super::error::{StoreError, shown};
use super::files::{LOCK_FILE, STATE_DIR};
use super::fsio::{ensure_state_dir, open_state_file, remove_stale_temps};
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Open (creating `.tether/` and the file as needed, never truncating) a lock file under the
/// data directory's state folder; locking it is the caller's.
/// `.tether/` must be a real folder and the lock a plain file, not a link (see
/// [`ensure_state_dir`], [`open_state_file`]).
pub fn open_lock_file(data_dir: &Path, name: &str) -> (PathBuf, io::Result<File>) {
    let path = data_dir.join(STATE_DIR).join(name);
    let file = ensure_state_dir(data_dir).and_then(|_| {
        open_state_file(
            &path,
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        )
    });
    (path, file)
}

/// Take the cross-process lock; released when the returned file is dropped.
pub(super) fn lock(data_dir: &Path) -> Result<File, StoreError> {
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

/// Take the lock file `name` in `data_dir`'s `.tether/`, waiting at most `wait` for whoever
/// holds it. `Ok(None)`: still held by someone else after `wait`. Released when dropped.
pub fn lock_within(
    data_dir: &Path,
    name: &str,
    wait: Duration,
) -> (PathBuf, io::Result<Option<File>>) {
    let (path, file) = open_lock_file(data_dir, name);
    let deadline = Instant::now() + wait;
    let locked = file.and_then(|file| {
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(file)),
                Err(fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        return Ok(None);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    });
    (path, locked)
}
