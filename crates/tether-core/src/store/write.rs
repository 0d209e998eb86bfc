//! Changing the data files: rewrite one record's line, append one line, undo either. This
//! module holds what they share (the error, the file names) and re-exports the parts:
//! [`super::lock`], [`super::snapshot`], [`super::replace`], [`super::append`],
//! [`super::journal`], all through [`super::fsio`].
//!
//! Every write re-reads the file from disk under a lock, so a hand edit made in another window
//! since tether loaded the file is never overwritten; only the one line asked for changes, and
//! every other byte is written back as found. Rewrites are atomic (temp file, sync, rename, sync
//! the folder), appends are one `write` of one whole line. Each change is journalled in
//! `.tether/undo.jsonl` so the user can take it back.

pub use super::append::{AppendOutcome, append_line, append_line_unlocked};
pub use super::files::STATE_DIR;
use super::files::{DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};
pub use super::journal::{Change, ChangeKind, Store, UndoOutcome};
use super::lines::EditError;
pub use super::lock::open_lock_file;
pub use super::replace::{RewriteOutcome, rewrite_record};
use std::io;
use std::path::Path;

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

pub(super) fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown(path))
}

pub(super) fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
