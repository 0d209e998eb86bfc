//! `tether agenda` without holding the deadlines and follow-ups: it prints every open one,
//! sorted, and a typed record costs ~250 bytes however short its line, so 5 million 13-byte
//! follow-ups took 36× the file, 5 million short deadlines 30× (issue 13). Here the load hands
//! the records over as they are read ([`load::load_all_into_keeping`]) and each open one (a
//! follow-up also not snoozed) is kept as a key of 16 or 24 bytes: where the board puts it (a
//! follow-up: owe or waiting, its bucket, its due; a deadline: its due and the start of its
//! title) and its line. The lines are turned into byte offsets by one pass counting newlines,
//! the keys sorted in the board's order, and each record is read again from its offset, parsed
//! and checked against its key as it is printed ([`Reread`], [`DeadlineReread`]). The files are
//! read again through the handles the load read, so a file renamed over one meanwhile changes
//! nothing; one edited in place is noticed (a line that no longer parses to the record with
//! that key) and said.
//!
//! Everything else (tether.toml, contacts, the time log, the problems) is as
//! [`load::load_dir`] gives it; the model's deadlines are only those the time log names (a
//! running timer's title, the hours of a retainer), its follow-ups none.

use super::lines::BOM;
use super::load::{self, Loaded, Records};
use super::records::{Ctx, Deadlines, Followups, Kind, Mode, parse_chunk};
use crate::domain::board::{DeadlineRow, DeadlineRows, FollowupRow, FollowupRows, section_of};
use crate::domain::followups::{Bucket, Place, Placing};
use crate::domain::model::{Config, Deadline, Followup, Interaction, Logged, Model, Status};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;

/// The low half of a key's second word: the record's line, then its byte offset.
pub(super) const POS: u64 = 0xffff_ffff;

/// An open, unsnoozed follow-up as 16 bytes, ordered as the board orders them: whether waiting,
/// its bucket, whether it has a due, the due's seconds (biased to be unsigned) in the first
/// word; the due's nanoseconds and the line's place in the file in the second. Lines keep
/// their file order within a due, as `domain::followups::board` sorts them.
type Key = (u64, u64);

/// An instant as two unsigned numbers in its order: chrono's instants are within ±2^44 s of
/// 1970.
pub(super) fn instant(t: DateTime<Utc>) -> (u64, u32) {
    (
        (t.timestamp() + (1 << 47)) as u64,
        t.timestamp_subsec_nanos(),
    )
}

fn key(bucket: Bucket, due_at: Option<DateTime<Utc>>, waiting: bool) -> (u64, u64) {
    let tag = (u64::from(waiting) << 4) | ((bucket as u64) << 1) | u64::from(due_at.is_some());
    let (secs, nanos) = due_at.map_or((0, 0), instant);
    ((tag << 56) | secs, u64::from(nanos) << 32)
}

/// An open deadline as 24 bytes, ordered as the board orders them (by due, then title, then
/// file order): the due's seconds and nanoseconds, the title's first 7 bytes and its length
/// (8 for 8 or more), the line's place in the file. Titles that agree on all that and are 8
/// bytes or longer are put in order by reading them ([`order_long_titles`]).
type DKey = (u64, u32, u64, u32);

fn title_start(title: &str) -> u64 {
    let mut start = [0u8; 8];
    let b = title.as_bytes();
    let n = b.len().min(7);
    start[..n].copy_from_slice(&b[..n]);
    start[7] = b.len().min(8) as u8;
    u64::from_be_bytes(start)
}

fn dkey(d: &Deadline) -> (u64, u32, u64) {
    let (secs, nanos) = instant(d.due);
    (secs, nanos, title_start(&d.title))
}

/// The open deadlines and follow-ups of a directory in the order `tether agenda` prints them,
/// as keys into their files.
pub struct AgendaIndex {
    deadlines: Vec<DKey>,
    /// The earliest and latest due of the open deadlines (their risk calendar's span).
    dues: Option<(DateTime<Utc>, DateTime<Utc>)>,
    followups: Vec<Key>,
    /// deadlines.jsonl and followups.jsonl as the load read them.
    files: [Option<File>; 2],
    placing: Placing,
    /// Open follow-ups snoozed past now (`Board::hidden_snoozed`).
    pub snoozed: usize,
}

#[derive(Default)]
struct Gather {
    keys: Vec<Key>,
    snoozed: usize,
    dkeys: Vec<DKey>,
    dues: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The deadlines the time log names, whole.
    named: Vec<Deadline>,
    /// The open bill follow-ups (invoices to send, payments to come), whole: the agenda's
    /// "Money" sums them (`domain::billing::open_bills`); a few a month per client.
    bills: Vec<Followup>,
    interactions: Vec<Interaction>,
    /// A line number that does not fit (a file far past the size cap): no index then.
    overflow: bool,
}

impl Gather {
    fn followups(&mut self, placing: &Placing, records: Vec<Followup>) {
        for f in records {
            let place = placing.place(&f);
            if f.bill.is_some() && !matches!(place, Place::Closed) {
                self.bills.push(f.clone());
            }
            match place {
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

    fn deadlines(&mut self, named: &HashSet<String>, records: Vec<Deadline>) {
        for d in records {
            if d.status == Status::Open {
                let (secs, nanos, title) = dkey(&d);
                let line = d.origin.line as u64;
                self.overflow |= line > POS;
                self.dkeys.push((secs, nanos, title, (line & POS) as u32));
                self.dues = Some(match self.dues {
                    Some((a, b)) => (a.min(d.due), b.max(d.due)),
                    None => (d.due, d.due),
                });
            }
            if d.id.as_deref().is_some_and(|id| named.contains(id)) {
                self.named.push(d);
            }
        }
    }
}

/// What [`load::load_dir`] gives, but with the deadlines and follow-ups as an [`AgendaIndex`]
/// (the model holds only the deadlines the time log names, and of the follow-ups only the open
/// bills). `None` when the
/// index cannot stand for them (your zone or the time log changed while they were read, or a
/// file changed between the passes): then read the directory whole.
pub fn load_indexed(dir: &Path, now: DateTime<Utc>) -> Option<(Loaded, AgendaIndex)> {
    // Where a follow-up goes depends on your zone, and which deadlines are kept whole on the
    // time log: tether.toml and timelog.jsonl first (a few kB), checked against what the load
    // read.
    let config = load::load_config(dir).model.config;
    let (timelog, _) = load::load_timelog(dir, &config);
    let named = crate::domain::timelog::deadline_ids(&timelog);
    let placing = Placing::new(&config.me, now);
    let gather = Mutex::new(Gather::default());
    let sink = |r: Records| {
        let Ok(mut g) = gather.lock() else {
            return;
        };
        match r {
            Records::Deadlines(d) => g.deadlines(&named, d),
            Records::Followups(f) => g.followups(&placing, f),
            Records::Interactions(i) => g.interactions.extend(i),
        }
    };
    let (mut loaded, [dfile, ffile]) = load::load_all_into_keeping(dir, true, &sink);
    let g = gather.into_inner().ok()?;
    if g.overflow || loaded.model.config.me != config.me || loaded.model.timelog != timelog {
        return None;
    }
    loaded.model.deadlines = g.named.into();
    loaded.model.followups = g.bills.into();
    loaded.model.interactions = g.interactions;
    // Logged time on each deadline, as the load does it once the deadlines are in.
    crate::domain::timelog::attach(&mut loaded.model);
    let mut followups = g.keys;
    let ffile = with_offsets(
        ffile,
        &mut followups,
        |k| k.1 & POS,
        |k, o| {
            k.1 = (k.1 & !POS) | o;
        },
    )?;
    // Each key is distinct (its place in the file), so an unstable sort (in place, no buffer
    // of half the keys) gives the one order.
    followups.sort_unstable();
    followups.shrink_to_fit();
    let mut deadlines = g.dkeys;
    let mut dfile = with_offsets(
        dfile,
        &mut deadlines,
        |k| u64::from(k.3),
        |k, o| {
            k.3 = o as u32;
        },
    )?;
    deadlines.sort_unstable();
    deadlines.shrink_to_fit();
    if let Some(f) = dfile.as_mut() {
        let cx = Ctx::new(&loaded.model.config);
        order_long_titles(f, &cx, &mut deadlines).ok()?;
    }
    Some((
        loaded,
        AgendaIndex {
            deadlines,
            dues: g.dues,
            followups,
            files: [dfile, ffile],
            placing,
            snoozed: g.snoozed,
        },
    ))
}

/// The keys' line numbers into offsets ([`to_offsets`]); `None` when a line is not there.
pub(super) fn with_offsets<K>(
    file: Option<File>,
    keys: &mut [K],
    pos: impl Fn(&K) -> u64,
    set: impl Fn(&mut K, u64),
) -> Option<Option<File>> {
    match file {
        Some(mut f) if !keys.is_empty() => {
            to_offsets(&mut f, keys, pos, set).ok()?;
            Some(Some(f))
        }
        f => Some(f),
    }
}

/// Each key's line number (in file order) into the byte offset where that line starts, by one
/// pass over the file counting newlines (lines end at `\n`, as the loader splits them).
fn to_offsets<K>(
    file: &mut File,
    keys: &mut [K],
    pos: impl Fn(&K) -> u64,
    set: impl Fn(&mut K, u64),
) -> io::Result<()> {
    if !keys.is_sorted_by_key(&pos) {
        keys.sort_unstable_by_key(&pos);
    }
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut line, mut at) = (1u64, 0u64);
    let mut k = 0;
    // The keys of `line`, which starts at `start`, from the `k`th on.
    let fill = |keys: &mut [K], k: &mut usize, line: u64, start: u64| {
        while let Some(key) = keys.get_mut(*k)
            && pos(key) == line
        {
            set(key, start);
            *k += 1;
        }
    };
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

/// Deadlines due at the same instant whose titles agree in their first 7 bytes and are 8 or
/// more bytes long are in file order after the sort; put each such run in title order (then
/// file order, the sort being stable), reading its titles. Only such a run's titles are held.
fn order_long_titles(file: &File, cx: &Ctx<'_>, keys: &mut [DKey]) -> io::Result<()> {
    let mut lines = Lines::new(file);
    let mut i = 0;
    while i < keys.len() {
        let same = |k: &DKey| (k.0, k.1, k.2) == (keys[i].0, keys[i].1, keys[i].2);
        let end = i + keys[i..].iter().take_while(|k| same(k)).count();
        if end - i > 1 && keys[i].2 & 0xff == 8 {
            let mut run = Vec::with_capacity(end - i);
            for k in &keys[i..end] {
                let d = lines.record::<Deadlines>(u64::from(k.3), cx)?;
                run.push((d.title, *k));
            }
            run.sort_by(|a, b| a.0.cmp(&b.0));
            for (slot, (_, k)) in keys[i..end].iter_mut().zip(run) {
                *slot = k;
            }
        }
        i = end;
    }
    Ok(())
}

pub(super) fn changed() -> io::Error {
    io::Error::other(
        "a record file changed while tether read it (a line is not the record it was); \
         run it again",
    )
}

/// How much a read of one line asks for: the records are read in the board's order, which is
/// not the file's, so most reads land outside the last one's buffer and a bigger one (the
/// default 8 KiB) was mostly copied for nothing (a million deadlines spread over years: 6.5 s,
/// most of it in the kernel's copy). A longer line takes more reads.
const LINE_READ: usize = 512;

/// Lines of a file read at offsets, through a buffer that a forward move within it keeps.
pub(super) struct Lines<'f> {
    reader: BufReader<&'f File>,
    /// Where the reader is in the file (None: not yet placed).
    pos: Option<u64>,
    line: Vec<u8>,
}

impl<'f> Lines<'f> {
    pub(super) fn new(file: &'f File) -> Lines<'f> {
        Lines {
            reader: BufReader::with_capacity(LINE_READ, file),
            pos: None,
            line: Vec::new(),
        }
    }

    /// The one record of kind `K` on the line at `offset`.
    pub(super) fn record<K: Kind>(&mut self, offset: u64, cx: &Ctx<'_>) -> io::Result<K::Rec> {
        match self.pos {
            Some(p) => self.reader.seek_relative(offset as i64 - p as i64)?,
            None => {
                self.reader.seek(SeekFrom::Start(offset))?;
            }
        }
        self.line.clear();
        let n = self.reader.read_until(b'\n', &mut self.line)?;
        self.pos = Some(offset + n as u64);
        let text = std::str::from_utf8(&self.line).map_err(|_| changed())?;
        let text = match offset {
            0 => text.strip_prefix(BOM).unwrap_or(text),
            _ => text,
        };
        let mut records = parse_chunk::<K>(text, cx, Mode::All).into_records();
        match (records.pop(), records.is_empty()) {
            (Some(r), true) => Ok(r),
            _ => Err(changed()),
        }
    }
}

impl AgendaIndex {
    /// The follow-up rows, in the board's order, each read again from the file and made as the
    /// board makes it; an error when a line is no longer the record it was.
    pub fn followups<'a>(&'a self, config: &'a Config, now: DateTime<Utc>) -> Reread<'a> {
        Reread {
            keys: self.followups.iter(),
            lines: self.files[1].as_ref().map(Lines::new),
            cx: Ctx::new(config),
            rows: FollowupRows::new(config, now),
            placing: self.placing,
        }
    }

    /// The deadline rows, in the board's order, each read again from the file, its logged time
    /// and risk at `now` as the board has them.
    pub fn deadlines<'a>(&'a self, model: &'a Model, now: DateTime<Utc>) -> DeadlineReread<'a> {
        let config = &model.config;
        let dues = self.dues.map(|(a, b)| [a, b]).unwrap_or_default();
        let dues = &dues[..usize::from(self.dues.is_some()) * 2];
        DeadlineReread {
            keys: self.deadlines.iter(),
            lines: self.files[0].as_ref().map(Lines::new),
            cx: Ctx::new(config),
            rows: DeadlineRows::new(config, dues.iter().copied(), now),
            logged: crate::domain::timelog::by_deadline(&config.me, &model.timelog),
        }
    }
}

/// The follow-up rows read again one at a time ([`AgendaIndex::followups`]).
pub struct Reread<'a> {
    keys: std::slice::Iter<'a, Key>,
    lines: Option<Lines<'a>>,
    cx: Ctx<'a>,
    rows: FollowupRows<'a>,
    placing: Placing,
}

impl<'a> Iterator for Reread<'a> {
    type Item = io::Result<(Followup, FollowupRow<'a>)>;

    fn next(&mut self) -> Option<io::Result<(Followup, FollowupRow<'a>)>> {
        let &(a, b) = self.keys.next()?;
        Some(self.read(a, b))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.keys.size_hint()
    }
}

impl<'a> Reread<'a> {
    /// The record read again and its row (which is in no model: `record` says so).
    fn read(&mut self, a: u64, b: u64) -> io::Result<(Followup, FollowupRow<'a>)> {
        let lines = self.lines.as_mut().ok_or_else(changed)?;
        let f = lines.record::<Followups>(b & POS, &self.cx)?;
        match self.placing.place(&f) {
            Place::Open {
                bucket,
                due_at,
                waiting,
            } if key(bucket, due_at, waiting) == (a, b & !POS) => {
                let row = self.rows.row(
                    FollowupRow::BESIDE,
                    &f,
                    section_of(bucket, waiting),
                    due_at,
                    bucket == Bucket::Overdue,
                );
                Ok((f, row))
            }
            _ => Err(changed()),
        }
    }
}

/// The deadline rows read again one at a time ([`AgendaIndex::deadlines`]).
pub struct DeadlineReread<'a> {
    keys: std::slice::Iter<'a, DKey>,
    lines: Option<Lines<'a>>,
    cx: Ctx<'a>,
    rows: DeadlineRows<'a>,
    logged: HashMap<&'a str, Logged>,
}

impl Iterator for DeadlineReread<'_> {
    type Item = io::Result<(Deadline, DeadlineRow)>;

    fn next(&mut self) -> Option<io::Result<(Deadline, DeadlineRow)>> {
        let k = *self.keys.next()?;
        Some(self.read(k))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.keys.size_hint()
    }
}

impl DeadlineReread<'_> {
    /// The record read again and its row (in no model: `record` says so).
    fn read(&mut self, k: DKey) -> io::Result<(Deadline, DeadlineRow)> {
        let lines = self.lines.as_mut().ok_or_else(changed)?;
        let mut d = lines.record::<Deadlines>(u64::from(k.3), &self.cx)?;
        if d.status != Status::Open || dkey(&d) != (k.0, k.1, k.2) {
            return Err(changed());
        }
        crate::domain::timelog::attach_one(&mut d, &self.logged);
        let row = self.rows.row(DeadlineRow::BESIDE, &d);
        Ok((d, row))
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

    fn whats(index: &AgendaIndex, config: &Config) -> io::Result<Vec<String>> {
        index
            .followups(config, now())
            .map(|r| r.map(|(f, _)| f.what.to_string()))
            .collect()
    }

    #[test]
    fn the_rows_come_in_the_boards_order_read_again_from_the_file() {
        let t = dir_with(LINES);
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        assert!(loaded.model.followups.is_empty());
        assert_eq!(index.snoozed, 1);
        let got = whats(&index, &loaded.model.config).unwrap();
        assert_eq!(got, ["c", "b", "a"]);
    }

    #[test]
    fn deadlines_come_by_due_then_title_and_only_those_the_time_log_names_stay_whole() {
        let t = dir_with("");
        let deadlines = "{\"id\":\"d-1\",\"title\":\"Quarterly b\",\"due\":\"2026-11-26\"}\n\
            {\"id\":\"d-2\",\"title\":\"Quarterly a\",\"due\":\"2026-11-26\"}\n\
            {\"title\":\"Quarterly\",\"due\":\"2026-11-26\"}\n\
            {\"title\":\"early\",\"due\":\"2026-11-25\"}\n\
            {\"title\":\"done\",\"due\":\"2026-11-20\",\"status\":\"done\"}\n";
        std::fs::write(t.path().join("deadlines.jsonl"), deadlines).unwrap();
        let timelog = "{\"id\":\"t-1\",\"deadline\":\"d-2\",\"start\":\"2026-11-24T09:00:00+10:00\",\"end\":\"2026-11-24T10:00:00+10:00\"}\n";
        std::fs::write(t.path().join("timelog.jsonl"), timelog).unwrap();
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        let kept: Vec<String> = loaded
            .model
            .deadlines
            .iter()
            .map(|d| d.title.to_string())
            .collect();
        assert_eq!(kept, ["Quarterly a"]);
        let rows: Vec<(Deadline, DeadlineRow)> = index
            .deadlines(&loaded.model, now())
            .collect::<io::Result<_>>()
            .unwrap();
        let titles: Vec<&str> = rows.iter().map(|(d, _)| d.title.as_str()).collect();
        assert_eq!(titles, ["early", "Quarterly", "Quarterly a", "Quarterly b"]);
        assert_eq!(
            rows[2].0.logged,
            loaded.model.deadlines.get(0).unwrap().logged
        );
        assert_ne!(rows[2].0.logged, Logged::default());
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
