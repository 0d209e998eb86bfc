//! `tether export ics` without holding the records it exports (issue 13): the open deadlines
//! and the open dated follow-ups, each kept as a key of 24 bytes in the calendar's order and
//! read again from its file as its item is written, as [`super::agenda_index`] does for
//! `tether agenda` (the same load handing the records over as they are read, the same pass
//! turning lines into offsets, the same reading again through the handles the load read).
//!
//! The calendar's order: by when the item starts (a follow-up due on a day: the start of that
//! day in your zone, [`starts`]), then by the record's line, a deadline before a follow-up on
//! the same line of its file. A key holds all of it: the start's seconds (biased unsigned); its
//! nanoseconds, the line and the kind; the line's byte offset. Keys of one file are distinct
//! (their line), so the two files' keys are each sorted in place and merged as they are read.
//!
//! The model holds tether.toml and the time log (a deadline's logged time is attached to it as
//! it is read again), no deadline, follow-up or contact.

use super::agenda_index::{Lines, POS, changed, instant, with_offsets};
use super::load::{self, Loaded, Records};
use super::records::{Ctx, Deadlines, Followups};
use crate::domain::model::{Deadline, Followup, FollowupDue, Logged, Model, Status};
use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Mutex;

/// When a dated follow-up's item starts: its instant, or the start of its day in `mine` (your
/// zone now).
pub fn starts(due: FollowupDue, mine: Tz) -> DateTime<Utc> {
    match due {
        FollowupDue::At(t) => t,
        FollowupDue::Day(d) => crate::domain::time::local_to_utc(mine, d.and_time(NaiveTime::MIN)),
    }
}

/// The start's seconds; its nanoseconds (under 2^31), the line (under 2^32) and the kind (0 a
/// deadline, 1 a follow-up) as `nanos << 33 | line << 1 | kind`; the line's byte offset.
type Key = (u64, u64, u32);

fn key(start: DateTime<Utc>, line: usize, followup: bool) -> Option<Key> {
    let (secs, nanos) = instant(start);
    let line = u64::try_from(line).ok().filter(|l| *l <= POS)?;
    Some((
        secs,
        (u64::from(nanos) << 33) | (line << 1) | u64::from(followup),
        0,
    ))
}

fn line_of(k: &Key) -> u64 {
    (k.1 >> 1) & POS
}

/// A record of the calendar, read again from its file, its line and logged time as the load
/// gives them.
#[derive(Debug, Clone, PartialEq)]
pub enum Dated {
    Deadline(Deadline),
    /// With its due (it has one).
    Followup(Followup, FollowupDue),
}

/// The records `tether export ics` writes, in its order, as keys into their files.
pub struct CalendarIndex {
    deadlines: Vec<Key>,
    followups: Vec<Key>,
    /// deadlines.jsonl and followups.jsonl as the load read them.
    files: [Option<File>; 2],
    mine: Tz,
}

#[derive(Default)]
struct Gather {
    deadlines: Vec<Key>,
    followups: Vec<Key>,
    /// A line number that does not fit: no index then.
    overflow: bool,
}

impl Gather {
    fn push(&mut self, k: Option<Key>, followup: bool) {
        match (k, followup) {
            (Some(k), false) => self.deadlines.push(k),
            (Some(k), true) => self.followups.push(k),
            (None, _) => self.overflow = true,
        }
    }
}

/// What the calendar's whole load gives (`load_keeping` of the open deadlines and the open
/// dated follow-ups, without the contact log), but with those records as a [`CalendarIndex`]
/// (the model holds none). `None` when the index cannot stand for them (your zone changed while
/// they were read, or a file between the passes): then read them whole.
pub fn load_indexed(dir: &Path, now: DateTime<Utc>) -> Option<(Loaded, CalendarIndex)> {
    // A follow-up due on a day starts at midnight in your zone: tether.toml first.
    let config = load::load_config(dir).model.config;
    let mine = config.me.zone_at(now);
    let gather = Mutex::new(Gather::default());
    let sink = |r: Records| {
        let Ok(mut g) = gather.lock() else {
            return;
        };
        match r {
            Records::Deadlines(d) => {
                for d in d.iter().filter(|d| d.status == Status::Open) {
                    g.push(key(d.due, d.origin.line, false), false);
                }
            }
            Records::Followups(f) => {
                for f in f.iter().filter(|f| f.status == Status::Open) {
                    if let Some(due) = f.due {
                        g.push(key(starts(due, mine), f.origin.line, true), true);
                    }
                }
            }
            Records::Interactions(_) => {}
        }
    };
    let (loaded, [dfile, ffile]) = load::load_all_into_keeping(dir, false, &sink);
    let g = gather.into_inner().ok()?;
    if g.overflow || loaded.model.config.me.zone_at(now) != mine {
        return None;
    }
    let index_of = |file: Option<File>, mut keys: Vec<Key>| {
        let file = with_offsets(file, &mut keys, line_of, |k, o| k.2 = o as u32)?;
        keys.sort_unstable();
        keys.shrink_to_fit();
        Some((file, keys))
    };
    let (dfile, deadlines) = index_of(dfile, g.deadlines)?;
    let (ffile, followups) = index_of(ffile, g.followups)?;
    Some((
        loaded,
        CalendarIndex {
            deadlines,
            followups,
            files: [dfile, ffile],
            mine,
        },
    ))
}

impl CalendarIndex {
    /// How many records the calendar has.
    pub fn len(&self) -> usize {
        self.deadlines.len() + self.followups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records in the calendar's order, each read again from its file; an error when a
    /// line is no longer the record it was. `model`: the load's (tether.toml, the time log).
    pub fn records<'a>(&'a self, model: &'a Model) -> Reread<'a> {
        Reread {
            deadlines: self.deadlines.iter().peekable(),
            followups: self.followups.iter().peekable(),
            lines: [
                self.files[0].as_ref().map(Lines::new),
                self.files[1].as_ref().map(Lines::new),
            ],
            cx: Ctx::new(&model.config),
            logged: crate::domain::timelog::by_deadline(&model.config.me, &model.timelog),
            mine: self.mine,
        }
    }
}

/// The records read again one at a time ([`CalendarIndex::records`]).
pub struct Reread<'a> {
    deadlines: std::iter::Peekable<std::slice::Iter<'a, Key>>,
    followups: std::iter::Peekable<std::slice::Iter<'a, Key>>,
    lines: [Option<Lines<'a>>; 2],
    cx: Ctx<'a>,
    logged: HashMap<&'a str, Logged>,
    mine: Tz,
}

impl Iterator for Reread<'_> {
    type Item = io::Result<Dated>;

    fn next(&mut self) -> Option<io::Result<Dated>> {
        let deadline_first = match (self.deadlines.peek(), self.followups.peek()) {
            (None, None) => return None,
            (Some(d), Some(f)) => (d.0, d.1) < (f.0, f.1),
            (d, _) => d.is_some(),
        };
        Some(if deadline_first {
            let k = *self.deadlines.next()?;
            self.deadline(k).map(Dated::Deadline)
        } else {
            let k = *self.followups.next()?;
            self.followup(k)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.deadlines.len() + self.followups.len();
        (n, Some(n))
    }
}

impl Reread<'_> {
    fn deadline(&mut self, k: Key) -> io::Result<Deadline> {
        let lines = self.lines[0].as_mut().ok_or_else(changed)?;
        let mut d = lines.record::<Deadlines>(u64::from(k.2), &self.cx)?;
        d.origin.line = line_of(&k) as usize;
        if d.status != Status::Open || key(d.due, d.origin.line, false) != Some((k.0, k.1, 0)) {
            return Err(changed());
        }
        crate::domain::timelog::attach_one(&mut d, &self.logged);
        Ok(d)
    }

    fn followup(&mut self, k: Key) -> io::Result<Dated> {
        let lines = self.lines[1].as_mut().ok_or_else(changed)?;
        let mut f = lines.record::<Followups>(u64::from(k.2), &self.cx)?;
        f.origin.line = line_of(&k) as usize;
        match f.due {
            Some(due)
                if f.status == Status::Open
                    && key(starts(due, self.mine), f.origin.line, true) == Some((k.0, k.1, 0)) =>
            {
                Ok(Dated::Followup(f, due))
            }
            _ => Err(changed()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report
    use super::*;

    const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\n";

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn what(d: &Dated) -> String {
        match d {
            Dated::Deadline(d) => format!("{}@{}", d.title, d.origin.line),
            Dated::Followup(f, _) => format!("{}@{}", f.what, f.origin.line),
        }
    }

    #[test]
    fn records_come_by_start_then_line_a_deadline_before_a_follow_up_on_its_line() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("tether.toml"), TOML).unwrap();
        // Midnight of 26 Nov in Brisbane is 14:00 UTC on the 25th.
        std::fs::write(
            t.path().join("followups.jsonl"),
            "{\"what\":\"undated\"}\n{\"what\":\"day\",\"due\":\"2026-11-26\"}\n\
             {\"what\":\"at\",\"due\":\"2026-11-25T14:00:00Z\"}\n\
             {\"what\":\"done\",\"due\":\"2026-11-20\",\"status\":\"done\"}\n",
        )
        .unwrap();
        std::fs::write(
            t.path().join("deadlines.jsonl"),
            "{\"title\":\"late\",\"due\":\"2026-12-01\"}\n\
             {\"title\":\"tie\",\"due\":\"2026-11-25T14:00:00Z\"}\n\
             {\"title\":\"tie3\",\"due\":\"2026-11-25T14:00:00Z\"}\n",
        )
        .unwrap();
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        assert!(loaded.model.deadlines.is_empty() && loaded.model.followups.is_empty());
        assert_eq!(index.len(), 5);
        let got: Vec<String> = index
            .records(&loaded.model)
            .map(|r| what(&r.unwrap()))
            .collect();
        assert_eq!(got, ["tie@2", "day@2", "tie3@3", "at@3", "late@1"]);
    }

    #[test]
    fn a_line_edited_in_place_between_the_passes_is_said() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("tether.toml"), TOML).unwrap();
        let path = t.path().join("followups.jsonl");
        std::fs::write(&path, "{\"what\":\"a\",\"due\":\"2026-11-26\"}\n").unwrap();
        let (loaded, index) = load_indexed(t.path(), now()).unwrap();
        std::fs::write(&path, "{\"what\":\"a\",\"due\":\"2026-11-27\"}\n").unwrap();
        let err = index.records(&loaded.model).next().unwrap().unwrap_err();
        assert!(err.to_string().contains("changed while"), "{err}");
    }
}
