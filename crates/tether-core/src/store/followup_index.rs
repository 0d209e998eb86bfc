//! `tether agenda` without holding the follow-ups: it prints every open one, sorted, and a typed
//! record costs ~250 bytes however short its line, so 5 million 13-byte lines took 36× the
//! file (issue 13). Here the load hands the follow-ups over as they are read
//! ([`load::load_all_into_keeping_followups`]) and each open one not snoozed is kept as 16 bytes:
//! where the board puts it (owe or waiting, its bucket, its due instant) and its line. The lines
//! are turned into byte offsets by one pass counting newlines, the keys sorted in the board's
//! order, and each record is read again from its offset, parsed and checked against its key as
//! it is printed ([`Reread`]). The file is read again through the handle the load read, so a
//! file renamed over it meanwhile changes nothing; one edited in place is noticed (a line that
//! no longer parses to the record with that key) and said.
//!
//! Everything else (tether.toml, deadlines, contacts, the time log, the problems) is as
//! [`load::load_dir`] gives it.

use super::lines::BOM;
use super::load::{self, Loaded, Records};
use super::records::{Ctx, Followups, Mode, parse_chunk};
use crate::domain::board::{FollowupRow, FollowupRows, section_of};
use crate::domain::followups::{Bucket, Place, Placing};
use crate::domain::model::{Config, Deadline, Followup, Interaction};
use chrono::{DateTime, Utc};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;

/// The low half of a key's second word: the record's line, then its byte offset.
const POS: u64 = 0xffff_ffff;

/// An open, unsnoozed follow-up as 16 bytes, ordered as the board orders them: whether waiting,
/// its bucket, whether it has a due, the due's seconds (biased to be unsigned) in the first
/// word; the due's nanoseconds and the line's place in the file in the second. Lines keep
/// their file order within a due, as `domain::followups::board` sorts them.
type Key = (u64, u64);

fn key(bucket: Bucket, due_at: Option<DateTime<Utc>>, waiting: bool) -> (u64, u64) {
    let tag = (u64::from(waiting) << 4) | ((bucket as u64) << 1) | u64::from(due_at.is_some());
    // chrono's instants are within ±2^44 s of 1970.
    let (secs, nanos) = due_at.map_or((0, 0), |t| {
        (
            (t.timestamp() + (1 << 47)) as u64,
            t.timestamp_subsec_nanos(),
        )
    });
    ((tag << 56) | secs, u64::from(nanos) << 32)
}

/// The open follow-ups of followups.jsonl in the order `tether agenda` prints them, as keys
/// into the file.
pub struct FollowupIndex {
    file: Option<File>,
    keys: Vec<Key>,
    placing: Placing,
    /// Open follow-ups snoozed past now (`Board::hidden_snoozed`).
    pub snoozed: usize,
}

#[derive(Default)]
struct Gather {
    keys: Vec<Key>,
    snoozed: usize,
    deadlines: Vec<Deadline>,
    interactions: Vec<Interaction>,
    /// A line number that does not fit (a file far past the size cap): no index then.
    overflow: bool,
}

impl Gather {
    fn followups(&mut self, placing: &Placing, records: Vec<Followup>) {
        for f in records {
            match placing.place(&f) {
                Place::Closed => {}
                Place::Snoozed => self.snoozed += 1,
                Place::Open {
                    bucket,
                    due_at,
                    waiting,
                } => {
                    let (a, b) = key(bucket, due_at, waiting);
                    let line = f.origin.line as u64;
                    self.overflow |= line > POS;
                    self.keys.push((a, b | (line & POS)));
                }
            }
        }
    }
}

/// What [`load::load_dir`] gives, but with followups.jsonl's records as a [`FollowupIndex`]
/// (the model's follow-ups are empty). `None` when the index cannot stand for them (your zone
/// changed in tether.toml while it was read, or followups.jsonl changed between the passes):
/// then read the directory whole.
pub fn load_indexed(dir: &Path, now: DateTime<Utc>) -> Option<(Loaded, FollowupIndex)> {
    // Where a follow-up goes depends on your zone: tether.toml first (a few kB), and checked
    // against the one the load read.
    let me = load::load_config(dir).model.config.me;
    let placing = Placing::new(&me, now);
    let gather = Mutex::new(Gather::default());
    let sink = |r: Records| {
        let Ok(mut g) = gather.lock() else {
            return;
        };
        match r {
            Records::Deadlines(d) => g.deadlines.extend(d),
            Records::Followups(f) => g.followups(&placing, f),
            Records::Interactions(i) => g.interactions.extend(i),
        }
    };
    let (mut loaded, file) = load::load_all_into_keeping_followups(dir, &sink);
    let g = gather.into_inner().ok()?;
    if g.overflow || loaded.model.config.me != me {
        return None;
    }
    loaded.model.deadlines = g.deadlines;
    loaded.model.interactions = g.interactions;
    // Logged time on each deadline, as the load does it once the deadlines are in.
    crate::domain::timelog::attach(&mut loaded.model);
    let mut keys = g.keys;
    let file = match file {
        Some(mut f) if !keys.is_empty() => {
            to_offsets(&mut f, &mut keys).ok()?;
            Some(f)
        }
        f => f,
    };
    // Each key is distinct (its place in the file), so an unstable sort (in place, no buffer
    // of half the keys) gives the one order.
    keys.sort_unstable();
    keys.shrink_to_fit();
    Some((
        loaded,
        FollowupIndex {
            file,
            keys,
            placing,
            snoozed: g.snoozed,
        },
    ))
}

/// Each key's line number (in file order) into the byte offset where that line starts, by one
/// pass over the file counting newlines (lines end at `\n`, as the loader splits them).
fn to_offsets(file: &mut File, keys: &mut [Key]) -> io::Result<()> {
    if !keys.is_sorted_by_key(|k| k.1 & POS) {
        keys.sort_unstable_by_key(|k| k.1 & POS);
    }
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut line, mut at) = (1u64, 0u64);
    // The keys of `line`, which starts at `start`, from the `k`th on.
    fn fill(keys: &mut [Key], k: &mut usize, line: u64, start: u64) {
        while let Some(key) = keys.get_mut(*k)
            && key.1 & POS == line
        {
            key.1 = (key.1 & !POS) | start;
            *k += 1;
        }
    }
    let mut k = 0;
    fill(keys, &mut k, line, 0);
    while k < keys.len() {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            line += 1;
            let start = at + i as u64 + 1;
            if start > POS {
                return Err(changed());
            }
            fill(keys, &mut k, line, start);
        }
        at += n as u64;
    }
    if k < keys.len() {
        return Err(changed());
    }
    Ok(())
}

fn changed() -> io::Error {
    io::Error::other(
        "followups.jsonl changed while tether agenda read it (a line is not the record it was); \
         run it again",
    )
}

impl FollowupIndex {
    /// How many follow-ups the agenda shows.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The rows, in the board's order, each read again from the file and made as the board
    /// makes it; an error when a line is no longer the record it was.
    pub fn rows<'a>(&'a self, config: &'a Config, now: DateTime<Utc>) -> Reread<'a> {
        Reread {
            keys: self.keys.iter(),
            reader: self.file.as_ref().map(BufReader::new),
            pos: None,
            line: Vec::new(),
            cx: Ctx::new(config),
            rows: FollowupRows::new(config, now),
            placing: self.placing,
        }
    }
}

/// The follow-up rows read again one at a time ([`FollowupIndex::rows`]).
pub struct Reread<'a> {
    keys: std::slice::Iter<'a, Key>,
    reader: Option<BufReader<&'a File>>,
    /// Where the reader is in the file (None: not yet placed).
    pos: Option<u64>,
    line: Vec<u8>,
    cx: Ctx<'a>,
    rows: FollowupRows<'a>,
    placing: Placing,
}

impl Iterator for Reread<'_> {
    type Item = io::Result<FollowupRow>;

    fn next(&mut self) -> Option<io::Result<FollowupRow>> {
        let &(a, b) = self.keys.next()?;
        Some(self.read(a, b))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.keys.size_hint()
    }
}

impl Reread<'_> {
    fn read(&mut self, a: u64, b: u64) -> io::Result<FollowupRow> {
        let reader = self.reader.as_mut().ok_or_else(changed)?;
        let offset = b & POS;
        match self.pos {
            // Forward within what is buffered: no new read.
            Some(p) => reader.seek_relative(offset as i64 - p as i64)?,
            None => {
                reader.seek(SeekFrom::Start(offset))?;
            }
        }
        self.line.clear();
        let n = reader.read_until(b'\n', &mut self.line)?;
        self.pos = Some(offset + n as u64);
        let text = std::str::from_utf8(&self.line).map_err(|_| changed())?;
        let text = match offset {
            0 => text.strip_prefix(BOM).unwrap_or(text),
            _ => text,
        };
        let mut records = parse_chunk::<Followups>(text, &self.cx, Mode::All).into_records();
        let f = match (records.pop(), records.is_empty()) {
            (Some(f), true) => f,
            _ => return Err(changed()),
        };
        match self.placing.place(&f) {
            Place::Open {
                bucket,
                due_at,
                waiting,
            } if key(bucket, due_at, waiting) == (a, b & !POS) => Ok(self.rows.row(
                f,
                section_of(bucket, waiting),
                due_at,
                bucket == Bucket::Overdue,
            )),
            _ => Err(changed()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report
    use super::*;

    const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\n";
    const LINES: &str = "{\"what\":\"b\",\"due\":\"2026-11-26\"}\n{\"what\":\"a\"}\n\
        {\"what\":\"c\",\"due\":\"2026-11-24\"}\n{\"what\":\"z\",\"status\":\"done\"}\n\
        {\"what\":\"s\",\"snoozed_until\":\"2026-12-01\"}\n";

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn dir_with(lines: &str) -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("tether.toml"), TOML).unwrap();
        std::fs::write(t.path().join("followups.jsonl"), lines).unwrap();
        t
    }

    fn whats(index: &FollowupIndex, config: &Config) -> io::Result<Vec<String>> {
        index
            .rows(config, now())
            .map(|r| r.map(|r| r.followup.what))
            .collect()
    }

    #[test]
    fn the_rows_come_in_the_boards_order_read_again_from_the_file() {
        let t = dir_with(LINES);
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        assert!(loaded.model.followups.is_empty());
        assert_eq!(index.snoozed, 1);
        assert_eq!(index.len(), 3);
        let got = whats(&index, &loaded.model.config).unwrap();
        assert_eq!(got, ["c", "b", "a"]);
    }

    #[test]
    fn a_file_renamed_over_meanwhile_changes_nothing_one_edited_in_place_is_said() {
        let t = dir_with(LINES);
        let path = t.path().join("followups.jsonl");
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        // An editor's save: a new file renamed over the old one. The index reads the old.
        let new = t.path().join("new.jsonl");
        std::fs::write(&new, "{\"what\":\"other\"}\n").unwrap();
        std::fs::rename(&new, &path).unwrap();
        let got = whats(&index, &loaded.model.config).unwrap();
        assert_eq!(got, ["c", "b", "a"]);
        // Edited in place: the lines at the offsets are not the records they were.
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        std::fs::write(&path, "{\"what\":\"x\",\"status\":\"done\"}\n").unwrap();
        let err = whats(&index, &loaded.model.config).unwrap_err();
        assert!(err.to_string().contains("changed while"), "{err}");
    }
}
