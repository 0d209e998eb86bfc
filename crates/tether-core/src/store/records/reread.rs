//! A line read again into its record, for a file held as its lines (`domain::held`): the same
//! parse as the load's, without its warnings (they were reported when the file was read).

use super::fields::{Ctx, Fields, Kind, record_line};
use super::jsonline::Object;
use super::{Deadlines, Followups};
use crate::domain::held::{LineReader, Reread};
use crate::domain::model::{Config, Deadline, Followup, Origin, Status};
use chrono::{DateTime, Utc};
use compact_str::CompactString;
use std::cell::Cell;
use std::marker::PhantomData;
use std::sync::Arc;

/// Reads lines of the file `K` again, with the settings the file was read with.
pub struct ReadAgain<K> {
    config: Config,
    kind: PhantomData<fn() -> K>,
}

impl<K> ReadAgain<K> {
    pub fn new(config: &Config) -> Arc<ReadAgain<K>> {
        Arc::new(ReadAgain {
            config: config.clone(),
            kind: PhantomData,
        })
    }
}

/// The record a line that no longer parses stands for (it parsed when it was read, with the
/// same settings, so this is not expected): its text as the title, open, due at the epoch, so
/// it is seen first and nothing is lost from the screen.
pub trait Unreadable: Kind {
    fn unreadable(line: usize, text: &str) -> Self::Rec;
}

impl Unreadable for Followups {
    fn unreadable(line: usize, text: &str) -> Followup {
        Followup {
            origin: origin(line, text),
            id: None,
            client: None,
            who: None,
            what: CompactString::from(text),
            due: None,
            zone: chrono_tz::UTC,
            status: Status::Open,
            snoozed_until: None,
            waiting: false,
            created: None,
            done_at: None,
            every: None,
            bill: None,
        }
    }
}

impl Unreadable for Deadlines {
    fn unreadable(line: usize, text: &str) -> Deadline {
        Deadline {
            origin: origin(line, text),
            id: None,
            client: None,
            title: CompactString::from(text),
            due: DateTime::<Utc>::UNIX_EPOCH,
            zone: chrono_tz::UTC,
            estimate: None,
            spent: None,
            status: Status::Open,
            done_at: None,
            every: None,
            logged: Default::default(),
        }
    }
}

fn origin(line: usize, text: &str) -> Origin {
    Origin {
        line,
        text: CompactString::from(text),
    }
}

impl<K: Unreadable> Reread<K::Rec> for ReadAgain<K> {
    fn reader(&self) -> LineReader<'_, K::Rec> {
        let cx = Ctx::new(&self.config);
        // No "did you mean": those were worded when the file was read.
        let suggestions = Cell::new(0);
        Box::new(move |line, number| {
            let mut obj = Object::default();
            if record_line(K::FILE, number, line, K::slot, &mut obj).is_err() {
                return K::unreadable(number, line);
            }
            let mut f = Fields {
                file: K::FILE,
                line: number,
                obj: &obj,
                slot: K::slot,
                cx: &cx,
                warnings: Vec::new(),
                suggestions: &suggestions,
                plain: None,
            };
            K::parse(&mut f, line).unwrap_or_else(|_| K::unreadable(number, line))
        })
    }
}

#[cfg(test)]
#[path = "reread_tests.rs"]
mod tests;
