//! Putting a file's chunks together in order: numbering the lines, dropping repeated ids (the
//! first line wins), spending the "did you mean" budget in line order and capping the messages,
//! so the result is exactly that of reading the whole file line by line.

use super::fields::{
    Chunk, Ctx, Diags, Kind, MAX_DIAGNOSTICS_PER_FILE, MAX_SUGGESTIONS_PER_FILE, Mode, parse_chunk,
};
use crate::store::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Where an id was first met: a kept record (its index in the file's list) or a skipped closed
/// line (its id's place in [`SeenIds::claimed`]).
#[derive(Clone, Copy)]
pub(super) enum Loc {
    Record(usize),
    Claim(u32, u32),
}

/// The first line of each id met so far, by the id's hash (no copy of the id: the records hold
/// it). Two different ids with the same hash are told apart by comparing the text, and the
/// later one is then kept by its text in `collided`.
#[derive(Default)]
pub(super) struct SeenIds<S = foldhash::fast::RandomState> {
    pub(super) hasher: S,
    pub(super) first: HashMap<u64, (usize, Loc), foldhash::fast::RandomState>,
    pub(super) collided: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    /// The ids of skipped closed lines (`Mode::OpenOnly`), one after another.
    pub(super) claimed: String,
}

impl<S: std::hash::BuildHasher> SeenIds<S> {
    /// Note `id` as met on `line` at `loc`: `Err(first line)` when an earlier line has it.
    /// `text_of` gives the id at an earlier `Loc::Record`.
    pub(super) fn claim<'r>(
        &mut self,
        id: &str,
        line: usize,
        loc: Loc,
        text_of: impl Fn(usize) -> Option<&'r str>,
    ) -> Result<(), usize> {
        use std::collections::hash_map::Entry;
        match self.first.entry(self.hasher.hash_one(id)) {
            Entry::Vacant(e) => {
                e.insert((line, loc));
                Ok(())
            }
            Entry::Occupied(e) => {
                let (first, at) = *e.get();
                let text = match at {
                    Loc::Record(i) => text_of(i),
                    Loc::Claim(from, to) => self.claimed.get(from as usize..to as usize),
                };
                if text == Some(id) {
                    return Err(first);
                }
                match self.collided.get(id) {
                    Some(&first) => Err(first),
                    None => {
                        self.collided.insert(id.into(), line);
                        Ok(())
                    }
                }
            }
        }
    }

    /// A skipped closed line's id (`text_of` as for [`SeenIds::claim`]).
    pub(super) fn claim_skipped<'r>(
        &mut self,
        id: &str,
        line: usize,
        text_of: impl Fn(usize) -> Option<&'r str>,
    ) -> Result<(), usize> {
        let from = self.claimed.len() as u32;
        self.claimed.push_str(id);
        let loc = Loc::Claim(from, self.claimed.len() as u32);
        self.claim(id, line, loc, text_of)
    }
}

pub(super) fn duplicate_id(file: &'static str, id: &str, line: usize, first: usize) -> Diagnostic {
    Diagnostic::error(
        file,
        line,
        format!(
            "duplicate id \"{id}\" (first on line {first}); this line is skipped — merge the two lines or give this one a new id"
        ),
    )
}

/// Puts a file's chunks together, in order, as they come: numbers their lines, drops repeated
/// ids (the first line wins), spends the "did you mean" budget in line order, and keeps the
/// first [`MAX_DIAGNOSTICS_PER_FILE`] messages by line (the rest counted in one last message).
///
/// Each chunk's records are moved out as soon as it is pushed, so a file read in blocks is
/// never in memory twice (the blocks and the whole), and the putting together overlaps the
/// parsing of later blocks (see `store::stream`).
pub struct Merger<K: Kind> {
    pub(super) budget: usize,
    /// Lines in the chunks pushed so far.
    pub(super) offset: usize,
    pub(super) records: Vec<K::Rec>,
    /// Indices in `records` of lines whose id came before (dropped in `finish`).
    pub(super) gone: Vec<usize>,
    pub(super) seen: SeenIds,
    pub(super) dups: Diags,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) dropped: usize,
    pub(super) dropped_errors: usize,
}

impl<K: Kind> Default for Merger<K> {
    fn default() -> Self {
        Merger {
            budget: MAX_SUGGESTIONS_PER_FILE,
            offset: 0,
            records: Vec::new(),
            gone: Vec::new(),
            seen: SeenIds::default(),
            dups: Diags::default(),
            diags: Vec::new(),
            dropped: 0,
            dropped_errors: 0,
        }
    }
}

impl<K: Kind> Merger<K> {
    /// The next chunk of the file (the one after the last pushed).
    pub fn push(&mut self, mut c: Chunk<K::Rec>) {
        let file = K::FILE;
        // Suggestions: each chunk had the whole budget; the first lines of the file get them.
        for (at, plain) in c.asked.drain(..) {
            if self.budget > 0 {
                self.budget -= 1;
            } else if let Some(i) = at {
                c.diags.list[i].message = plain;
            }
        }
        // Line numbers.
        let offset = self.offset;
        if offset > 0 {
            for r in &mut c.records {
                *K::line_mut(r) += offset;
            }
            for d in &mut c.diags.list {
                d.line += offset;
            }
            for (line, _) in &mut c.claims {
                *line += offset;
            }
        }
        self.offset += c.lines;
        // Repeated ids, in line order over the records and the skipped closed lines. The block
        // goes in whole; a repeat is only marked, and taken out in `finish`.
        let base = self.records.len();
        if self.records.is_empty() {
            self.records = c.records;
        } else {
            self.records.append(&mut c.records);
        }
        let Merger {
            records,
            seen,
            dups,
            gone,
            ..
        } = self;
        let text_of = |i: usize| records.get(i).and_then(K::id);
        let mut claims = c.claims.iter().peekable();
        for (i, r) in records.iter().enumerate().skip(base) {
            let line = K::line(r);
            while let Some((cl, range)) = claims.next_if(|(cl, _)| *cl < line) {
                let id = &c.claim_ids[range.clone()];
                if let Err(first) = seen.claim_skipped(id, *cl, text_of) {
                    dups.push(duplicate_id(file, id, *cl, first));
                }
            }
            if let Some(id) = K::id(r)
                && let Err(first) = seen.claim(id, line, Loc::Record(i), text_of)
            {
                dups.push(duplicate_id(file, id, line, first));
                gone.push(i);
            }
        }
        for (cl, range) in claims {
            let id = &c.claim_ids[range.clone()];
            if let Err(first) = seen.claim_skipped(id, *cl, text_of) {
                dups.push(duplicate_id(file, id, *cl, first));
            }
        }
        self.dropped += c.diags.dropped;
        self.dropped_errors += c.diags.dropped_errors;
        self.diags.extend(c.diags.list);
    }

    /// The records pushed so far (repeats taken out), handed over now: a reader that folds them
    /// into something smaller as it goes never holds the whole file's records. Their ids stay
    /// known (copied into [`SeenIds::claimed`]), so a later repeat is still found.
    pub fn drain(&mut self) -> Vec<K::Rec> {
        let mut records = std::mem::take(&mut self.records);
        let SeenIds {
            hasher,
            first,
            claimed,
            ..
        } = &mut self.seen;
        for (i, r) in records.iter().enumerate() {
            let Some(id) = K::id(r) else { continue };
            if let Some((_, at)) = first.get_mut(&hasher.hash_one(id))
                && matches!(*at, Loc::Record(j) if j == i)
            {
                let from = claimed.len() as u32;
                claimed.push_str(id);
                *at = Loc::Claim(from, claimed.len() as u32);
            }
        }
        drop_repeats(&mut records, std::mem::take(&mut self.gone));
        records
    }

    /// The file's records and messages.
    pub fn finish(self) -> (Vec<K::Rec>, Vec<Diagnostic>) {
        let file = K::FILE;
        // Messages: a line's own stay in the order they were made (its error, if any, first),
        // so the kept ones are the first MAX by line; count the rest.
        let Merger {
            mut records,
            gone,
            dups,
            diags: own,
            mut dropped,
            mut dropped_errors,
            ..
        } = self;
        drop_repeats(&mut records, gone);
        let Diags {
            list: mut diags,
            dropped: more,
            dropped_errors: more_errors,
        } = dups;
        dropped += more;
        dropped_errors += more_errors;
        diags.extend(own);
        diags.sort_by_key(|d| (d.line, !d.is_error()));
        if diags.len() > MAX_DIAGNOSTICS_PER_FILE {
            let cut = diags.split_off(MAX_DIAGNOSTICS_PER_FILE);
            dropped += cut.len();
            dropped_errors += cut.iter().filter(|d| d.is_error()).count();
        }
        if dropped > 0 {
            let msg = format!(
                "{dropped} more problems in this file (not listed); fix the ones above first"
            );
            let summary = if dropped_errors > 0 {
                Diagnostic::error(file, 0, msg)
            } else {
                Diagnostic::warning(file, 0, msg)
            };
            diags
                .push(summary.standing_for(dropped_errors, dropped.saturating_sub(dropped_errors)));
        }
        (records, diags)
    }
}

/// Take out the records at `gone` (indices in order).
fn drop_repeats<T>(records: &mut Vec<T>, gone: Vec<usize>) {
    if gone.is_empty() {
        return;
    }
    let mut i = 0;
    let mut gone = gone.into_iter().peekable();
    records.retain(|_| {
        let keep = gone.next_if(|&g| g == i).is_none();
        i += 1;
        keep
    });
}

/// [`Merger`] over all of a file's chunks at once.
pub fn merge<K: Kind>(chunks: Vec<Chunk<K::Rec>>) -> (Vec<K::Rec>, Vec<Diagnostic>) {
    let mut m = Merger::<K>::default();
    for c in chunks {
        m.push(c);
    }
    m.finish()
}

/// Read a whole file's text (one chunk).
pub fn parse_text<K: Kind>(text: &str, cx: &Ctx<'_>, mode: Mode) -> (Vec<K::Rec>, Vec<Diagnostic>) {
    let (_, rest) = crate::store::lines::strip_bom(text);
    merge::<K>(vec![parse_chunk::<K>(rest, cx, mode)])
}
