//! The undo journal, `.tether/undo.jsonl`, and [`Store`]: every change to a data file through
//! it is journalled, and can be taken back.

use super::append::append_unlocked;
use super::error::{StoreError, shown};
use super::files::DataFile;
use super::files::{JOURNAL_FILE, state_file};
use super::fsio::{atomic_write, read_state_bytes};
use super::lines::{FieldChange, split_lines};
use super::load::MAX_FILE_BYTES;
use super::lock::lock;
use super::replace::rewrite_unlocked;
use super::splice::{LineDigest, LineEdit};
use super::undo::{Undo, reverse};
use crate::domain::text::head;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

/// How much of a change's label the journal keeps.
const LABEL_CHARS: usize = 200;

/// Past this many journal lines, keep only the most recent [`JOURNAL_KEEP`].
pub(super) const JOURNAL_MAX: usize = 1000;
pub(super) const JOURNAL_KEEP: usize = 200;

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
    /// Set when the journal has lines that could not be read: names the file and the lines,
    /// and says it is safe to delete. Undo still works over the readable lines.
    pub damaged: Option<String>,
}

/// A journal line for a change. `at` stays a string so a hand-damaged journal can't stop undo
/// of other entries. It holds what undo needs and no copy of the line: the line as written
/// (its digest), and for a rewrite the few bytes it replaced (docs/decisions.md, "Writes and
/// undo").
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) seq: u64,
    pub(super) file: String,
    pub(super) kind: ChangeKind,
    pub(super) line: usize,
    pub(super) at: String,
    pub(super) label: String,
    /// The line as written: how undo finds it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) wrote: Option<LineDigest>,
    /// A rewrite: what takes the line as written back to what it was (the places it changed,
    /// with the text they held).
    #[serde(default, skip_serializing_if = "LineEdit::is_empty")]
    pub(super) restore: LineEdit,
    /// Journals written before issue 13 kept the whole line before and after instead.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) before: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) after: String,
    /// The ending an append wrote first to finish an unterminated last line; undo removes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) lead: String,
}

impl Entry {
    /// What undo needs to take this change back, from either form of entry.
    pub(super) fn undo<'a>(&'a self, change: &'a Change) -> Undo<'a> {
        let (wrote, restore) = match &self.wrote {
            Some(wrote) => (wrote.clone(), self.restore.clone()),
            None => (
                LineDigest::of(self.after.as_bytes()),
                LineEdit::whole(self.after.len(), self.before.clone()),
            ),
        };
        Undo {
            file: change.file,
            label: &change.label,
            line: change.line,
            wrote,
            restore: (change.kind == ChangeKind::Rewrite).then_some(restore),
            lead: &self.lead,
        }
    }
}

/// A journal line marking change `undo` as undone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct UndoMark {
    undo: u64,
    at: String,
}

/// A journal line marking change `skip` as skipped by undo: it could not be undone (its line
/// was edited since), so the next undo goes on to the change before it (docs/decisions.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct SkipMark {
    skip: u64,
    at: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum JournalLine {
    Undo(UndoMark),
    Skip(SkipMark),
    Change(Box<Entry>),
}

/// What the journal says: its changes in order, and the numbers of those undone and skipped.
#[derive(Debug, Default)]
pub(super) struct Journal {
    entries: Vec<Entry>,
    undone: std::collections::HashSet<u64>,
    skipped: std::collections::HashSet<u64>,
    /// 1-based numbers of the lines that could not be read.
    unreadable: Vec<usize>,
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
        state_file(&self.dir, JOURNAL_FILE)
    }

    /// Change one record (see [`super::replace::rewrite_record`]) and journal it for undo.
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
            at: now,
            label: label.to_string(),
            undone: false,
        };
        if let Some(wrote) = out.wrote {
            change.seq = Some(self.journal_change(seq, &change, wrote, out.restore, "")?);
        }
        unsynced.sync();
        Ok(change)
    }

    /// Append one record line (see [`super::append::append_line`]) and journal it for undo.
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
            at: now,
            label: label.to_string(),
            undone: false,
        };
        let wrote = LineDigest::of(line.as_bytes());
        change.seq =
            Some(self.journal_change(seq, &change, wrote, LineEdit::default(), &out.lead)?);
        unsynced.sync();
        Ok(change)
    }

    /// Reverse the most recent change not yet undone (nor skipped). `Ok(None)` when there is
    /// nothing to undo. If the changed line was edited or removed since, nothing is touched and
    /// the error says so; that change is then marked skipped in the journal, so the next undo
    /// takes back the change before it instead of refusing again (docs/decisions.md).
    pub fn undo_last(&self, now: DateTime<Utc>) -> Result<Option<UndoOutcome>, StoreError> {
        let _lock = lock(&self.dir)?;
        let journal = self.read_journal()?;
        let Some((entry, change)) = journal
            .entries
            .into_iter()
            .rev()
            .filter(|e| !journal.undone.contains(&e.seq) && !journal.skipped.contains(&e.seq))
            .find_map(|e| to_change(&e, false).map(|c| (e, c)))
        else {
            return Ok(None);
        };
        let (line, unsynced) = match reverse(&self.path(change.file), &entry.undo(&change)) {
            Ok(done) => done,
            Err(StoreError::UndoConflict {
                file,
                label,
                reason,
                ..
            }) => {
                let mark = SkipMark {
                    skip: entry.seq,
                    at: rfc3339(now),
                };
                let then = match self.journal_append(&mark) {
                    Ok(()) => "; skipped: undo again to take back the change before it",
                    Err(_) => "",
                };
                return Err(StoreError::UndoConflict {
                    file,
                    label,
                    reason,
                    then: then.to_string(),
                });
            }
            Err(e) => return Err(e),
        };
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
        let damaged = self.damage_notice(&journal.unreadable);
        Ok(Some(UndoOutcome {
            change,
            line,
            damaged,
        }))
    }

    /// What to tell the user when the journal has unreadable lines (`None` when it has none):
    /// its path, the lines, and that deleting it is safe.
    pub fn journal_damage(&self) -> Result<Option<String>, StoreError> {
        Ok(self.damage_notice(&self.read_journal()?.unreadable))
    }

    fn damage_notice(&self, unreadable: &[usize]) -> Option<String> {
        let (first, rest) = unreadable.split_first()?;
        const SHOWN: usize = 5;
        let mut lines = std::iter::once(first)
            .chain(rest.iter())
            .take(SHOWN)
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if unreadable.len() > SHOWN {
            lines.push_str(&format!(" and {} more", unreadable.len() - SHOWN));
        }
        let noun = if unreadable.len() == 1 {
            "line"
        } else {
            "lines"
        };
        Some(format!(
            "undo history {} is damaged: {noun} {lines} could not be read and {} skipped; \
             it is safe to delete that file (undo history is lost, your data files are not touched)",
            shown(&self.journal_path()),
            if unreadable.len() == 1 { "was" } else { "were" },
        ))
    }

    /// The `n` most recent changes, newest first, with whether each was undone.
    pub fn history(&self, n: usize) -> Result<Vec<Change>, StoreError> {
        let journal = self.read_journal()?;
        Ok(journal
            .entries
            .iter()
            .rev()
            .filter_map(|e| to_change(e, journal.undone.contains(&e.seq)))
            .take(n)
            .collect())
    }

    /// The number the next journal entry gets. Read before the data file is written, so that
    /// little work is left between a write and its journal entry (see [`Unsynced`]).
    fn next_seq(&self) -> Result<u64, StoreError> {
        let journal = self.read_journal()?;
        Ok(journal.entries.iter().map(|e| e.seq + 1).max().unwrap_or(1))
    }

    fn journal_change(
        &self,
        seq: u64,
        change: &Change,
        wrote: LineDigest,
        restore: LineEdit,
        lead: &str,
    ) -> Result<u64, StoreError> {
        let entry = Entry {
            seq,
            file: change.file.file_name().to_string(),
            kind: change.kind,
            line: change.line,
            at: rfc3339(change.at),
            // A label quoting a 100 MB title would be as long; it only has to say which change.
            label: head(&change.label, LABEL_CHARS).into_owned(),
            wrote: Some(wrote),
            restore,
            before: String::new(),
            after: String::new(),
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
        let content = self.journal_text()?;
        let lines = split_lines(&content);
        let start = lines
            .len()
            .checked_sub(JOURNAL_KEEP)
            .and_then(|i| lines.get(i))
            .map_or(0, |l| l.span.start);
        let tail = content.get(start..).unwrap_or_default();
        atomic_write(&path, tail.as_bytes()).map_err(|source| StoreError::Write {
            file: shown(&path),
            source,
        })
    }

    /// The journal's text: a plain file in `.tether/`, never read through a link or waited on
    /// (a pipe). A line torn inside a character by a crash is read as far as it goes.
    fn journal_text(&self) -> Result<String, StoreError> {
        let path = self.journal_path();
        let bytes = read_state_bytes(&path, MAX_FILE_BYTES)
            .map_err(|source| StoreError::Read {
                file: shown(&path),
                source,
            })?
            .unwrap_or_default();
        Ok(match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// Journal entries in order, and the sets of undone and skipped sequence numbers.
    /// Unreadable lines are skipped (and their numbers kept for `damage_notice`): a damaged
    /// journal must not block the user's work.
    fn read_journal(&self) -> Result<Journal, StoreError> {
        let content = self.journal_text()?;
        let mut journal = Journal::default();
        for line in split_lines(&content) {
            if line.text.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<JournalLine>(line.text) {
                Ok(JournalLine::Change(e)) => journal.entries.push(*e),
                Ok(JournalLine::Undo(m)) => {
                    journal.undone.insert(m.undo);
                }
                Ok(JournalLine::Skip(m)) => {
                    journal.skipped.insert(m.skip);
                }
                Err(_) => journal.unreadable.push(line.number),
            }
        }
        Ok(journal)
    }
}

pub(super) fn to_change(e: &Entry, undone: bool) -> Option<Change> {
    Some(Change {
        seq: Some(e.seq),
        file: DataFile::from_file_name(&e.file)?,
        kind: e.kind,
        line: e.line,
        at: DateTime::parse_from_rfc3339(&e.at)
            .ok()?
            .with_timezone(&Utc),
        label: e.label.clone(),
        undone,
    })
}

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}
