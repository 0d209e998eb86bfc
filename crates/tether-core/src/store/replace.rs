//! Rewriting one record's line: read the file under the lock, edit the one line, and replace
//! the file atomically unless another program changed it meanwhile.

use super::error::{StoreError, name_of, shown};
use super::files::CONFLICT_MARK;
use super::fsio::{Unsynced, data_dir_of, exchange, same_file, write_temp};
use super::lines::{FieldChange, edit_line, find_record, split_lines};
use super::load::MAX_FILE_BYTES;
use super::lock::lock;
use super::snapshot::{Attempts, Snapshot, read_snapshot, remember_our_write, resolve};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

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

pub(super) fn rewrite_unlocked(
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
        // The user (or `sed -i`, or a sync) may have set one of the fields this write sets since
        // tether read the record: their choice stands.
        if let Some(c) = changed_since_read(original_text, line.text, changes) {
            return Err(StoreError::ChangedOnDisk {
                file: name_of(path),
                line: line.number,
                what: format!(
                    "{} of {} was changed on disk since tether read it (was {}, is now {})",
                    c.field,
                    describe_record(id, original_text),
                    c.loaded,
                    c.now
                ),
            });
        }
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

/// A field a write sets (or removes) that another program changed since tether read the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChangedField {
    field: String,
    loaded: String,
    now: String,
}

/// Compare the record as tether read it (`loaded`, the text the screen shows) with its line on
/// disk now (`on_disk`), for each field `changes` touches: the first field whose value on disk
/// is neither what was read nor what the write would make it. Values are compared as JSON
/// (`"d\u006fne"` is `"done"`). Nothing to compare (either text is not a JSON object): `None`,
/// and the write goes on as before (a line that is not an object is refused by `edit_line`).
pub(super) fn changed_since_read(
    loaded: &str,
    on_disk: &str,
    changes: &[FieldChange],
) -> Option<ChangedField> {
    if loaded == on_disk {
        return None;
    }
    type Obj = serde_json::Map<String, serde_json::Value>;
    let before = serde_json::from_str::<Obj>(loaded).ok()?;
    let now = serde_json::from_str::<Obj>(on_disk).ok()?;
    changes.iter().find_map(|change| {
        let (key, wanted) = match change {
            FieldChange::Set(k, v) => (k, Some(v)),
            FieldChange::Remove(k) => (k, None),
        };
        let (was, is) = (before.get(key), now.get(key));
        (was != is && is != wanted).then(|| ChangedField {
            field: format!("{key:?}"),
            loaded: shown_value(was),
            now: shown_value(is),
        })
    })
}

/// A field's value for a message: its JSON, at most 60 characters; "not set" when absent.
fn shown_value(v: Option<&serde_json::Value>) -> String {
    match v {
        None => "not set".to_string(),
        Some(v) => {
            let json = v.to_string();
            if json.chars().count() > 60 {
                let head: String = json.chars().take(57).collect();
                format!("{head}...")
            } else {
                json
            }
        }
    }
}

/// `content` with `range` replaced by `replacement`.
pub(super) fn spliced(
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
pub(super) enum Replace {
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
pub(super) fn replace_if_unchanged(
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
    let (tmp, ours) = write_temp(target, bytes, Some(&snap.meta)).map_err(write_err)?;
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
pub(super) fn carry_over_late_appends(target: &Path, snap: &Snapshot) {
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
pub(super) fn still_as_read(snap: &Snapshot, at: &Path, deep: bool) -> bool {
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

/// Where a version of `target` that could not stay in place is kept, beside it.
pub(super) fn conflict_copy_name(target: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!("{CONFLICT_MARK}{secs}-{}", std::process::id()));
    target.with_file_name(name)
}

/// A human name for a record in messages: its title or text field, else its id, else its line.
pub(super) fn describe_record(id: Option<&str>, original_text: &str) -> String {
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
