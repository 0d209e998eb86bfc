//! Appending one record line: one `write` of a whole line, in the file's own line-ending style,
//! under the lock.

use super::append_scan::scan;
use super::error::{StoreError, name_of, shown};
use super::fsio::{Unsynced, data_dir_of, open_state_file, same_file, tidy_around, write_whole};
use super::load::MAX_FILE_BYTES;
use super::lock::lock;
use super::snapshot::{
    Attempts, append_target, check_regular, open_snapshot, remember_our_write, too_big,
};
use std::fs::{self, OpenOptions};
use std::path::Path;

/// The result of appending one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendOutcome {
    /// 1-based line number the new line landed on.
    pub line: usize,
    /// Line ending written before the line because the file lacked a final newline (else "").
    pub lead: String,
}

/// Append `line` as a new last line of `path` (created if missing) with one `write` call,
/// in the file's own line-ending style. Holds the data directory's lock.
pub fn append_line(path: &Path, line: &str) -> Result<AppendOutcome, StoreError> {
    let _lock = lock(data_dir_of(path))?;
    let (out, unsynced) = append_unlocked(path, line, true)?;
    unsynced.sync();
    Ok(out)
}

/// `settle`: wait for a file someone else is writing right now (see
/// [`super::snapshot::SETTLE`]), and refuse one that is not UTF-8. False for tether's own files
/// (the undo journal, the alerts record): nobody else writes them, and a last line torn inside a
/// character by a crash is no reason to stop recording (its end is finished, as for any file);
/// they are opened as [`super::fsio::open_state_file`] opens them (no link, no pipe). A data
/// file may be a link to a file inside the data directory, never out of it.
pub(super) fn append_unlocked(
    path: &Path,
    line: &str,
    settle: bool,
) -> Result<(AppendOutcome, Unsynced), StoreError> {
    if line.contains(['\n', '\r']) {
        return Err(StoreError::NotOneLine {
            file: name_of(path),
        });
    }
    tidy_around(path);
    // A data file may be a link within the data directory (never out of it); tether's own files
    // are never opened through a link.
    let target = if settle {
        append_target(path)?
    } else {
        path.to_path_buf()
    };
    let path = target.as_path();
    let write_err = |source| StoreError::Write {
        file: shown(path),
        source,
    };
    let mut attempts = Attempts::new(settle);
    while attempts.another() {
        if let Ok(m) = fs::symlink_metadata(path) {
            // Before opening it for writing: a folder cannot be, and a pipe would block.
            if settle || !m.file_type().is_symlink() {
                check_regular(path, &m)?;
            }
            if m.permissions().readonly() {
                return Err(StoreError::ReadOnly { file: shown(path) });
            }
        }
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        let mut file = if settle {
            // `path` is no link now (a link was resolved above): one put there since is not
            // followed either.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::custom_flags(
                &mut options,
                (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW).bits() as i32,
            );
            options.open(path)
        } else {
            open_state_file(path, &mut options)
        }
        .map_err(write_err)?;
        let meta = file.metadata().map_err(write_err)?;
        check_regular(path, &meta)?;
        // Read through the same open file we append to, so the line ending we add fits the
        // file we write (not one an editor has just replaced); a block at a time, never held
        // (`append_scan`).
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_big(path, meta.len()));
        }
        let existing = scan(path, &mut file, settle, line)?;
        let read_len = existing.len;
        if attempts.wait_if_just_written(path, &meta) {
            continue;
        }
        let (lead, ending) = (existing.lead, existing.ending);
        let number = existing.lines + 1;
        let record = format!("{lead}{line}{ending}");
        // Someone appended since we read: read again, so `lead` and `number` stay right.
        if file.metadata().map_err(write_err)?.len() != read_len {
            continue;
        }
        write_whole(&mut file, record.as_bytes()).map_err(write_err)?;
        // If the file was replaced (renamed over by an editor or sync tool) after we opened
        // it, our line went into the old file, which is now gone: append it again to the new
        // one, unless whoever replaced it copied our line in.
        if is_replaced(path, &meta) {
            let now = match open_snapshot(path)? {
                Some(mut snap) => scan(path, &mut snap.file, true, line)?,
                None => scan(path, &mut std::io::empty(), true, line)?,
            };
            if now.matches > existing.matches {
                let number = now.last_match.unwrap_or(number);
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
/// record starts a line of its own. The whole-text rule `append_scan` follows a block at a time
/// (its test's reference).
#[cfg(test)]
pub(super) fn append_shape(content: &str) -> (&'static str, &'static str) {
    use super::lines::strip_bom;
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

/// Whether `path` no longer names the file `opened` describes (it was renamed over or deleted).
pub(super) fn is_replaced(path: &Path, opened: &fs::Metadata) -> bool {
    match fs::metadata(path) {
        Ok(now) => !same_file(&now, opened),
        Err(_) => true,
    }
}

/// Append `line` to `path`, a file of tether's own that no other program writes (such as
/// `.tether/alerts.jsonl`), as [`append_line`] does, under a lock the caller holds; synced
/// before it returns.
pub fn append_line_unlocked(path: &Path, line: &str) -> Result<AppendOutcome, StoreError> {
    let (out, unsynced) = append_unlocked(path, line, false)?;
    unsynced.sync();
    Ok(out)
}
