//! Changing the data files: rewrite one record's line, append one line, undo either. This
//! module only re-exports the parts, so callers have one door: [`super::lock`],
//! [`super::snapshot`], [`super::replace`], [`super::append`], [`super::journal`], all through
//! [`super::fsio`], with the error in [`super::error`] and the names in [`super::files`].
//!
//! Every write re-reads the file from disk under a lock, so a hand edit made in another window
//! since tether loaded the file is never overwritten; only the one line asked for changes, and
//! every other byte is written back as found. Rewrites are atomic (temp file, sync, rename, sync
//! the folder), appends are one `write` of one whole line. Each change is journalled in
//! `.tether/undo.jsonl` so the user can take it back.

pub use super::append::{AppendOutcome, append_line, append_line_unlocked};
pub use super::error::StoreError;
pub use super::files::DataFile;
pub use super::files::STATE_DIR;
pub use super::journal::{Change, ChangeKind, Store, UndoOutcome};
pub use super::lock::open_lock_file;
pub use super::replace::{RewriteOutcome, rewrite_record};

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
