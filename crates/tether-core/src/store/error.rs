//! The one error type of the write path: what went wrong, naming the file and what the user can
//! do about it.

use super::lines::EditError;
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
    #[error("cannot undo \"{label}\": {file} {reason} (edited since?); nothing was changed{then}")]
    UndoConflict {
        file: String,
        label: String,
        reason: String,
        /// What happens next: "" or "; skipped: undo again to take back the change before it".
        then: String,
    },
    #[error(
        "{file}:{line}: {what}; tether did not overwrite it; nothing was changed: look at it again and retry"
    )]
    ChangedOnDisk {
        file: String,
        line: usize,
        /// `"status" of "Send quote" was changed on disk since tether read it (was "open", is
        /// now "dropped")`.
        what: String,
    },
    #[error(
        "{file} is a symbolic link to {target}, outside the data folder {dir}; tether never writes outside its data folder: move the file into the data folder (and link to it from where it was, if another program needs it there); nothing was changed"
    )]
    LinkOut {
        file: String,
        target: String,
        dir: String,
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

pub(super) fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown(path))
}

pub(super) fn shown(path: &Path) -> String {
    path.display().to_string()
}
