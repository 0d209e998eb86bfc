//! Taking one journalled change back: find the line the change wrote (by its digest, nearest to
//! where it was written) in the file as it is read, and put back what was there, streaming the
//! file through as a rewrite does (`swap.rs`): the line is never held, however long.

use super::error::StoreError;
use super::files::DataFile;
use super::fsio::{Unsynced, data_dir_of};
use super::scan::{LineAt, LineVisitor, scan_lines};
use super::snapshot::{Attempts, open_snapshot, remember_our_write, resolve};
use super::splice::{Digester, LineDigest, LineEdit, Piece};
use super::swap::{Expect, Region, Replace, copy_range, equal_to, replace_region};
use std::path::Path;

/// A journalled change to take back.
pub(super) struct Undo<'a> {
    pub(super) file: DataFile,
    pub(super) label: &'a str,
    /// Where the change was made (1-based): the line is looked for nearest to it.
    pub(super) line: usize,
    /// The line the change wrote.
    pub(super) wrote: LineDigest,
    /// What takes that line back to what it was; `None` for an append (the line goes).
    pub(super) restore: Option<LineEdit>,
    /// The line ending an append wrote first to finish an unterminated last line.
    pub(super) lead: &'a str,
}

/// Put the line `path` had before `change` back; returns the line number touched. Like a
/// rewrite, starts over if another program changes the file meanwhile (see `replace_region`).
pub(super) fn reverse(path: &Path, change: &Undo) -> Result<(usize, Unsynced), StoreError> {
    let conflict = |reason: String| StoreError::UndoConflict {
        file: change.file.file_name().to_string(),
        label: change.label.to_string(),
        reason,
        then: String::new(),
    };
    let missing = || conflict("no longer has the changed line".to_string());
    let not_ours = || {
        conflict(format!(
            "line {} is no longer what tether wrote there",
            change.line
        ))
    };
    let wrote = &change.wrote;
    if change
        .restore
        .as_ref()
        .is_some_and(|r| !r.fits(wrote.len as usize))
    {
        return Err(not_ours());
    }
    let target = resolve(path)?.ok_or_else(missing)?;
    let mut attempts = Attempts::new(true);
    while attempts.another() {
        let snap = open_snapshot(&target)?.ok_or_else(missing)?;
        if attempts.wait_if_just_written(&target, &snap.meta) {
            continue;
        }
        let mut find = FindWritten::new(wrote, change.line);
        let scanned = scan_lines(&target, &snap.file, &mut find)?;
        let last = find.last;
        let line = find.best.ok_or_else(not_ours)?;
        let mut region = Region {
            span: line.span.clone(),
            line: &line,
            text: Expect::Digest(wrote),
            lead: line.lead,
        };
        let start = line.span.start;
        let replaced = match &change.restore {
            Some(restore) => replace_region(&target, &snap, scanned.len, &region, |w| {
                for piece in restore.pieces(wrote.len as usize) {
                    match piece {
                        Piece::Keep(r) => {
                            copy_range(&snap.file, start + r.start as u64..start + r.end as u64, w)?
                        }
                        Piece::Put(t) => w.write_all(t.as_bytes())?,
                    }
                }
                Ok(())
            })?,
            None => {
                region.span = line.full_span();
                // Also take back the line ending the append added before its line, restoring
                // the exact bytes.
                let lead = change.lead;
                let lead_len = lead.len() as u64;
                if line.number == last
                    && start >= lead_len
                    && equal_to(&snap.file, start - lead_len, lead.as_bytes()).unwrap_or(false)
                {
                    region.span.start -= lead_len;
                    region.lead = lead;
                }
                replace_region(&target, &snap, scanned.len, &region, |_| Ok(()))?
            }
        };
        if replaced == Replace::Done {
            remember_our_write(&target);
            return Ok((
                line.number,
                Unsynced::Dir(data_dir_of(&target).to_path_buf()),
            ));
        }
    }
    Err(StoreError::Busy {
        file: change.file.file_name().to_string(),
    })
}

/// Finds the line tether wrote, by its digest, nearest to where it was written (`hint`, 1-based:
/// lines may have been added above since), as the file is read. A line is hashed only while it
/// can still be the one: as long as the line written and beginning as it did.
struct FindWritten<'a> {
    wrote: &'a LineDigest,
    hint: usize,
    /// The line being read: its length so far, and its digest while it can still match.
    len: u64,
    digest: Option<Digester>,
    best: Option<LineAt>,
    /// The number of the file's last line.
    last: usize,
}

impl<'a> FindWritten<'a> {
    fn new(wrote: &'a LineDigest, hint: usize) -> FindWritten<'a> {
        FindWritten {
            wrote,
            hint,
            len: 0,
            digest: Some(Digester::default()),
            best: None,
            last: 0,
        }
    }
}

impl LineVisitor for FindWritten<'_> {
    fn text(&mut self, bytes: &[u8]) {
        let at = self.len as usize;
        self.len += bytes.len() as u64;
        let Some(digest) = &mut self.digest else {
            return;
        };
        let head = self.wrote.head.as_bytes();
        let overlap = head.len().saturating_sub(at).min(bytes.len());
        let starts_right = overlap == 0 || head.get(at..at + overlap) == bytes.get(..overlap);
        if self.len > self.wrote.len || !starts_right {
            self.digest = None;
        } else {
            digest.update(bytes);
        }
    }

    fn end(&mut self, line: LineAt) {
        let digest = self.digest.replace(Digester::default());
        let nearer = self
            .best
            .as_ref()
            .is_none_or(|b| line.number.abs_diff(self.hint) < b.number.abs_diff(self.hint));
        if nearer
            && self.len == self.wrote.len
            && digest.is_some_and(|d| d.finish().sha256 == self.wrote.sha256)
        {
            self.last = line.number;
            self.best = Some(line);
        } else {
            self.last = line.number;
        }
        self.len = 0;
    }
}
