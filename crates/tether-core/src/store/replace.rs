//! Rewriting one record's line: find it in the file as it is read (under the lock), edit the one
//! line, and replace the file atomically unless another program changed it meanwhile. The file
//! streams through (`scan.rs`, `swap.rs`): only the record's line is held, and a line that is
//! still the text tether read (the usual case) is not even read into memory again.

use super::error::{StoreError, name_of};
use super::fsio::{Unsynced, data_dir_of};
use super::line_edit::plan_edit;
use super::lines::{FieldChange, RecordFinder};
use super::lock::lock;
use super::records::jsonline::top_values;
use super::scan::{LineAt, LineVisitor, read_span, scan_lines};
use super::snapshot::{Attempts, open_snapshot, remember_our_write, resolve};
use super::splice::{Digester, LineDigest, LineEdit, Piece};
use super::swap::{Expect, Region, Replace, replace_region};
use std::borrow::Cow;
use std::io;
use std::path::Path;

/// The result of rewriting one record's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteOutcome {
    /// 1-based line number where the record was found (now, not at load time).
    pub line: usize,
    /// How the line (as found on disk just now) changed: the pieces replaced, and the edit
    /// that takes them back (holding the text they replaced). Both empty when nothing changed.
    pub edit: LineEdit,
    pub restore: LineEdit,
    /// The line as written, by which undo finds it again; `None` when nothing changed.
    pub wrote: Option<LineDigest>,
}

impl RewriteOutcome {
    /// False when the record already had the requested values: the file was not touched.
    pub fn changed(&self) -> bool {
        !self.edit.is_empty()
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
    // `replace_region`), so its change is never overwritten.
    let mut attempts = Attempts::new(true);
    while attempts.another() {
        let snap = open_snapshot(&target)?.ok_or_else(gone)?;
        if attempts.wait_if_just_written(&target, &snap.meta) {
            continue;
        }
        let mut find = FindInFile::new(id, original_text);
        let scanned = scan_lines(&target, &snap.file, &mut find)?;
        let (line, same) = find.found().ok_or_else(gone)?;
        let on_disk = if same {
            Cow::Borrowed(original_text)
        } else {
            match read_span(&target, &snap.file, &line.span)? {
                Some(text) => Cow::Owned(text),
                None => continue,
            }
        };
        // The user (or `sed -i`, or a sync) may have set one of the fields this write sets since
        // tether read the record: their choice stands.
        if let Some(c) = changed_since_read(original_text, &on_disk, changes) {
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
        let edit = plan_edit(&on_disk, changes).map_err(|reason| StoreError::BadLine {
            file: name_of(path),
            line: line.number,
            reason,
        })?;
        if edit.is_empty() {
            let outcome = RewriteOutcome {
                line: line.number,
                edit,
                restore: LineEdit::default(),
                wrote: None,
            };
            return Ok((outcome, Unsynced::Nothing));
        }
        let region = Region {
            span: line.span.clone(),
            line: &line,
            text: Expect::Text(&on_disk),
            lead: line.lead,
        };
        let mut wrote = Digester::default();
        let replaced = replace_region(&target, &snap, scanned.len, &region, |w| {
            for piece in edit.pieces(on_disk.len()) {
                let bytes = match piece {
                    Piece::Keep(r) => on_disk.as_bytes().get(r).ok_or_else(|| {
                        io::Error::other("internal error: line position out of range")
                    })?,
                    Piece::Put(t) => t.as_bytes(),
                };
                wrote.update(bytes);
                w.write_all(bytes)?;
            }
            Ok(())
        })?;
        if replaced == Replace::Done {
            remember_our_write(&target);
            let outcome = RewriteOutcome {
                line: line.number,
                restore: edit.inverse(&on_disk),
                edit,
                wrote: Some(wrote.finish()),
            };
            return Ok((outcome, Unsynced::Dir(data_dir_of(&target).to_path_buf())));
        }
    }
    Err(StoreError::Busy {
        file: name_of(path),
    })
}

/// [`RecordFinder`] over a file as it is read. A line is held only once it differs from the
/// text tether read (which the caller holds already); the one that is still that text, the
/// usual case, costs nothing.
struct FindInFile<'a> {
    finder: RecordFinder<'a, (LineAt, bool)>,
    original: &'a str,
    /// How much of the line so far is the original text; `None` once it differs.
    matched: Option<usize>,
    /// The line so far, once it differs.
    differs: Vec<u8>,
}

impl<'a> FindInFile<'a> {
    fn new(id: Option<&'a str>, original: &'a str) -> FindInFile<'a> {
        FindInFile {
            finder: RecordFinder::new(id),
            original,
            matched: Some(0),
            differs: Vec::new(),
        }
    }

    /// The record's line, and whether it is exactly the original text.
    fn found(self) -> Option<(LineAt, bool)> {
        self.finder.found()
    }
}

impl LineVisitor for FindInFile<'_> {
    fn text(&mut self, bytes: &[u8]) {
        let original = self.original.as_bytes();
        match self.matched {
            Some(m)
                if original
                    .get(m..)
                    .is_some_and(|rest| rest.starts_with(bytes)) =>
            {
                self.matched = Some(m + bytes.len());
            }
            Some(m) => {
                self.differs.clear();
                self.differs
                    .extend_from_slice(original.get(..m).unwrap_or_default());
                self.differs.extend_from_slice(bytes);
                self.matched = None;
            }
            None => self.differs.extend_from_slice(bytes),
        }
    }

    fn end(&mut self, line: LineAt) {
        let matched = self.matched.replace(0);
        let same = matched == Some(self.original.len());
        let text = match matched {
            // All of it so far was the original text (all of it, or a beginning of it).
            Some(m) => self.original.get(..m),
            // Checked as UTF-8 by the scan, whole lines at a time.
            None => std::str::from_utf8(&self.differs).ok(),
        };
        if let Some(text) = text {
            self.finder.line((line, same), text, same);
        }
        self.differs.clear();
    }
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
    // Only the values compared are built, not the record's other (maybe huge) fields.
    let keys: Vec<&str> = changes.iter().map(FieldChange::key).collect();
    let before = top_values(loaded, &keys).ok()?;
    let now = top_values(on_disk, &keys).ok()?;
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

/// A human name for a record in messages: its title or text field, else its id, else its line;
/// at most 60 characters of it.
pub(super) fn describe_record(id: Option<&str>, original_text: &str) -> String {
    let keys = ["what", "title", "note"];
    let title = top_values(original_text, &keys).ok().and_then(|obj| {
        keys.iter()
            .find_map(|k| obj.get(*k).and_then(|v| v.as_str()).map(str::to_string))
    });
    let name = title.or_else(|| id.map(str::to_string));
    let name = match name {
        Some(n) if n.chars().count() > 60 => {
            format!("{}...", n.chars().take(57).collect::<String>())
        }
        Some(n) => n,
        None => original_text.chars().take(60).collect(),
    };
    format!("{name:?}")
}
