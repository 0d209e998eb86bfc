//! Replacing one part of a data file (a line's text, or a whole line) without losing anyone
//! else's change: the new version is streamed to a temporary file (the file's bytes before the
//! part, the new part, the bytes after it), then swapped in only if the file is still as read.

use super::error::{StoreError, name_of, shown};
use super::files::CONFLICT_MARK;
use super::fsio::{exchange, same_file, write_temp_with};
use super::load::MAX_FILE_BYTES;
use super::scan::{BLOCK, LineAt};
use super::snapshot::Snapshot;
use super::splice::{Digester, LineDigest};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The part of a file a change replaces, and what must be there for the change to be right.
pub(super) struct Region<'a> {
    /// The bytes replaced.
    pub(super) span: Range<u64>,
    /// The line the change is about (its text is `span`, or inside it).
    pub(super) line: &'a LineAt,
    /// What the line's text must be.
    pub(super) text: Expect<'a>,
    /// What must be right before the line's text: its lead (see [`LineAt::lead`]), or the line
    /// ending an append wrote before it.
    pub(super) lead: &'a str,
}

/// A line's text as it must be: known (the write holds it), or by its digest (undo).
pub(super) enum Expect<'a> {
    Text(&'a str),
    Digest(&'a LineDigest),
}

/// Whether [`replace_region`] wrote the file, or found it changed and wrote nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Replace {
    Done,
    Changed,
}

/// Replace `region` of `target` (opened as `snap`, `len` bytes when scanned) with what `part`
/// writes, atomically, unless another program changed the file since it was read: then
/// nothing is written and the caller reads it again.
///
/// Editors, git and sync tools replace a file by renaming a new one over it; `sed -i` too;
/// `>>` appends in place. None of them take tether's lock. So:
/// 1. the new content goes to a temporary file in the same folder, synced: the file's bytes
///    around the region copied a block at a time, the new part in between;
/// 2. a cheap check (same file, same size) skips the swap if the file visibly changed;
/// 3. on Linux the temporary file and `target` are *exchanged* in one step
///    (`renameat2(RENAME_EXCHANGE)`), so the file that was there is not destroyed: it is
///    compared byte for byte with what was written around the region, and the region with what
///    the change expects there (the line's text, and the line breaks around it). Identical: it
///    is deleted and the write is done. Different (someone wrote in the moment between 2 and
///    3): it is swapped back and the caller starts over from it. Nothing another program wrote
///    before the swap is lost. Where the exchange is not supported (another OS, an old or
///    unusual filesystem), step 2 is followed by a plain rename, leaving a window of a few
///    microseconds.
///
/// What is left (docs/reliability.md): a program that opened the file before the swap and
/// writes into it after the comparison (microseconds later) writes into the replaced file.
pub(super) fn replace_region(
    target: &Path,
    snap: &Snapshot,
    len: u64,
    region: &Region,
    part: impl FnOnce(&mut dyn Write) -> io::Result<()>,
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
    let (tmp, temp, ours) = write_temp_with(target, Some(&snap.meta), |out| {
        copy_range(&snap.file, 0..region.span.start, out)?;
        let mut w = BufWriter::with_capacity(BLOCK, &*out);
        part(&mut w)?;
        w.flush()?;
        drop(w);
        copy_range(&snap.file, region.span.end..len, out)
    })
    .map_err(write_err)?;
    let remove_tmp = || {
        let _ = fs::remove_file(&tmp);
    };
    if !still_as_read(snap, len, target, None) {
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
    if still_as_read(snap, len, &tmp, Some((&temp, ours.len(), region))) {
        remove_tmp();
        carry_over_late_appends(target, snap, len);
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

/// Copy the bytes `range` of `from` to `to` (fewer if `from` is shorter now: the checks before
/// the swap then find it changed).
pub(super) fn copy_range(
    from: &File,
    range: Range<u64>,
    to: &mut (impl Write + ?Sized),
) -> io::Result<()> {
    let mut src = from;
    src.seek(SeekFrom::Start(range.start))?;
    io::copy(&mut src.take(range.end.saturating_sub(range.start)), to)?;
    Ok(())
}

/// A program that opened the old file before the swap (`echo >> file`) may write into it just
/// after the comparison: its bytes would go to the replaced file. Look once more, and append
/// whatever was added to the old file since it was read (`len` bytes) to the new one; then, on
/// a thread of its own holding the old file, look again a few times over the next 200 ms, for a
/// writer that was descheduled between opening and writing (a loaded machine stretches that
/// moment from microseconds to milliseconds). A write later still, or a process that exits at
/// once (a shell command), only gets the first look.
///
/// A write into the old file that is not an append (an editor saving in place: truncate, then
/// write) cannot be carried over line by line: when one of the thread's looks finds the old
/// file's first `len` bytes changed since the thread began (their digest), the old file is kept
/// whole beside the new one as a conflict copy (`NAME.tether-conflict-…`, named by `check` and
/// merged by `tether resolve`), and nothing more is carried from it. The digest is taken right
/// after the comparison, before anything is carried: what such a writer wrote between the two
/// (microseconds) is the window left (docs/reliability.md).
pub(super) fn carry_over_late_appends(target: &Path, snap: &Snapshot, len: u64) {
    let stamp = |f: &File| f.metadata().and_then(|m| m.modified()).ok();
    // Taken here, before the thread starts, so a write in place from now on is told apart.
    let mut seen = stamp(&snap.file);
    let before = digest(&snap.file, 0..len).ok();
    let carried = carry_once(&snap.file, target, len, false);
    let Ok(old) = snap.file.try_clone() else {
        return;
    };
    let target = target.to_path_buf();
    let _ = std::thread::Builder::new()
        .name("tether-late-appends".into())
        .spawn(move || {
            let mut from = carried;
            for (k, ms) in [2u64, 10, 40, 150].into_iter().enumerate() {
                std::thread::sleep(std::time::Duration::from_millis(ms));
                let now = stamp(&old);
                if now != seen {
                    seen = now;
                    if changed_in_place(&old, len, before.as_ref()) {
                        keep_replaced(&old, &target);
                        return;
                    }
                }
                from = carry_once(&old, &target, from, k == 3);
            }
        });
}

/// Whether the old file's first `len` bytes are no longer those digested as `before` (cut
/// short, or rewritten): a write that was not an append.
fn changed_in_place(old: &File, len: u64, before: Option<&LineDigest>) -> bool {
    let Some(before) = before else {
        return false;
    };
    match old.metadata() {
        Ok(m) if m.len() < len => true,
        Ok(_) => digest(old, 0..len).is_ok_and(|d| d != *before),
        Err(_) => false,
    }
}

/// Keep the whole of the replaced file `old` beside `target` as a conflict copy, written to a
/// temporary name first so no half copy is ever named.
fn keep_replaced(old: &File, target: &Path) {
    let kept = conflict_copy_name(target);
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(kept.file_name().unwrap_or_default());
    tmp_name.push(format!("{}{}", super::files::TEMP_MARK, std::process::id()));
    let tmp = kept.with_file_name(tmp_name);
    let copied = File::create(&tmp).and_then(|mut out| {
        copy_range(old, 0..u64::MAX, &mut out)?;
        out.sync_all()
    });
    if copied.is_ok() {
        let _ = fs::rename(&tmp, &kept);
    } else {
        let _ = fs::remove_file(&tmp);
    }
}

/// Append what `old` holds past `from` to `target`, whole lines only unless `all` (the last
/// look takes a line without its ending too); the offset carried up to.
fn carry_once(old: &File, target: &Path, from: u64, all: bool) -> u64 {
    let Ok(now) = old.metadata() else {
        return from;
    };
    if now.len() <= from || now.len() > MAX_FILE_BYTES {
        return from;
    }
    let mut late = Vec::new();
    let mut src = old;
    let copied = src
        .seek(SeekFrom::Start(from))
        .and_then(|_| src.read_to_end(&mut late));
    if copied.is_err() || late.is_empty() {
        return from;
    }
    // Whole lines: a line still being written is taken at a later look.
    if !all {
        let Some(end) = late.iter().rposition(|b| *b == b'\n') else {
            return from;
        };
        late.truncate(end + 1);
    }
    if let Ok(mut f) = OpenOptions::new().append(true).open(target)
        && f.write_all(&late).is_ok()
    {
        return from + late.len() as u64;
    }
    from
}

/// Whether the file `snap` was opened as is still as read (`len` bytes), and is what `at`
/// names. `deep`: the temporary file written (and its length) and the region it replaced;
/// then the bytes are compared too (same-size edits within one clock tick keep size and
/// mtime): the old file around the region with the temporary file, the region with what the
/// change expects there.
pub(super) fn still_as_read(
    snap: &Snapshot,
    len: u64,
    at: &Path,
    deep: Option<(&File, u64, &Region)>,
) -> bool {
    let Ok(now) = fs::symlink_metadata(at) else {
        return false;
    };
    let Ok(open_now) = snap.file.metadata() else {
        return false;
    };
    if !same_file(&now, &snap.meta) || open_now.len() != len {
        return false;
    }
    let Some((temp, temp_len, region)) = deep else {
        return true;
    };
    same_around(&snap.file, len, temp, temp_len, region).unwrap_or(false)
}

/// The old file (`len` bytes) and the temporary one agree outside the region, and the region
/// holds what the change expects.
fn same_around(
    old: &File,
    len: u64,
    temp: &File,
    temp_len: u64,
    region: &Region,
) -> io::Result<bool> {
    let span = &region.span;
    let after = len - span.end;
    let line = &region.line.span;
    let lead = region.lead.as_bytes();
    let ending = region.line.ending.as_bytes();
    if temp_len < span.start + after
        || line.start < lead.len() as u64
        || line.end + ending.len() as u64 > len
    {
        return Ok(false);
    }
    let text_ok = match region.text {
        Expect::Text(t) => equal_to(old, line.start, t.as_bytes())?,
        Expect::Digest(d) => digest(old, line.clone())? == *d,
    };
    Ok(text_ok
        && equal_to(old, line.start - lead.len() as u64, lead)?
        && equal_to(old, line.end, ending)?
        && same_bytes(old, 0, temp, 0, span.start)?
        && same_bytes(old, span.end, temp, temp_len - after, after)?)
}

/// Read `n` bytes of `f` from `at` into `buf`; fewer only where the file ends.
fn read_at(f: &File, at: u64, buf: &mut [u8]) -> io::Result<usize> {
    let mut r = f;
    r.seek(SeekFrom::Start(at))?;
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Whether `f` holds `want` at `at`.
pub(super) fn equal_to(f: &File, at: u64, want: &[u8]) -> io::Result<bool> {
    let mut buf = vec![0; BLOCK.min(want.len())];
    for (i, chunk) in want.chunks(BLOCK).enumerate() {
        let got = &mut buf[..chunk.len()];
        if read_at(f, at + (i * BLOCK) as u64, got)? != chunk.len() || got != chunk {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether `a` from `a_at` and `b` from `b_at` hold the same `n` bytes.
fn same_bytes(a: &File, a_at: u64, b: &File, b_at: u64, n: u64) -> io::Result<bool> {
    let (mut x, mut y) = (vec![0; BLOCK], vec![0; BLOCK]);
    let mut done = 0;
    while done < n {
        let k = BLOCK.min((n - done) as usize);
        let got_a = read_at(a, a_at + done, &mut x[..k])?;
        let got_b = read_at(b, b_at + done, &mut y[..k])?;
        if got_a != k || got_b != k || x[..k] != y[..k] {
            return Ok(false);
        }
        done += k as u64;
    }
    Ok(true)
}

/// The digest of the bytes `range` of `f` (fewer where it ends: then the length differs).
pub(super) fn digest(f: &File, range: Range<u64>) -> io::Result<LineDigest> {
    let mut d = Digester::default();
    let mut buf = vec![0; BLOCK];
    let mut at = range.start;
    while at < range.end {
        let k = BLOCK.min((range.end - at) as usize);
        let got = read_at(f, at, &mut buf[..k])?;
        d.update(&buf[..got]);
        if got < k {
            break;
        }
        at += k as u64;
    }
    Ok(d.finish())
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
