//! deadlines.jsonl: its keys, and how one line becomes a [`Deadline`] (a date-only due is the
//! end of the client's business hours that day).

use super::fields::{Ctx, Fields, Kind, Mode, Skip, origin};
use super::merge::parse_text;
use crate::domain::model::{Config, Deadline};
use crate::domain::schedule::{DAY_HOURS, Schedule};
use crate::domain::time::{TimeValue, parse_time_value};
use crate::store::diagnostic::Diagnostic;
use crate::store::files::DEADLINES_FILE;

pub(super) const DEADLINE_FIELDS: &[&str] = &[
    "id",
    "client",
    "title",
    "due",
    "zone",
    "estimate",
    "spent",
    "status",
    "done_at",
    "every",
    "on_holiday",
    "ics",
    "milestone",
];

/// deadlines.jsonl's known keys -> their slot in a line's `Object` (the position in the list
/// above).
pub(super) fn deadline_slot(k: &str) -> Option<usize> {
    Some(match k {
        "id" => 0,
        "client" => 1,
        "title" => 2,
        "due" => 3,
        "zone" => 4,
        "estimate" => 5,
        "spent" => 6,
        "status" => 7,
        "done_at" => 8,
        "every" => 9,
        "on_holiday" => 10,
        "ics" => 11,
        "milestone" => 12,
        _ => return None,
    })
}

/// deadlines.jsonl.
pub struct Deadlines;

pub fn parse_deadlines(text: &str, config: &Config) -> (Vec<Deadline>, Vec<Diagnostic>) {
    parse_text::<Deadlines>(text, &Ctx::new(config), Mode::All)
}

impl Kind for Deadlines {
    type Rec = Deadline;
    const FILE: &'static str = DEADLINES_FILE;
    const KNOWN: &'static [&'static str] = DEADLINE_FIELDS;
    const HAS_STATUS: bool = true;
    fn slot(k: &str) -> Option<usize> {
        deadline_slot(k)
    }
    fn id(r: &Deadline) -> Option<&str> {
        r.id.as_deref()
    }
    fn kept(cx: &Ctx<'_>, r: &Deadline) -> bool {
        cx.keeps_deadline(r)
    }
    fn line(r: &Deadline) -> usize {
        r.origin.line
    }
    fn line_mut(r: &mut Deadline) -> &mut usize {
        &mut r.origin.line
    }
    fn parse(f: &mut Fields<'_, '_, '_>, text: &str) -> Result<Deadline, Skip> {
        let title = compact_str::CompactString::from(f.req_str("title")?);
        let (client, cl) = f.client(false)?.unzip();
        let zone = f.zone(cl)?;
        let due_s = f.req_str("due")?;
        // A date-only due means the end of that date's hours in the record's zone: the
        // client's hours (a range ending at midnight ends at the next one), else 09:00-17:00.
        // Only a ten-character value can be a date, so a timed due is parsed once.
        let hours = Schedule::daily(zone, cl.map_or(DAY_HOURS, |c| c.hours));
        let due = match (due_s.trim().len() == 10).then(|| parse_time_value(due_s)) {
            Some(Ok(TimeValue::Date(d))) => hours.end_of_hours(d),
            _ => f.instant("due", due_s, zone, |d| hours.hours().on(d).1)?,
        };
        let estimate = f.opt_duration("estimate")?;
        let spent = f.opt_duration("spent")?;
        let status = f.status()?;
        let done_at = f.opt_instant("done_at", zone)?;
        let id = f.opt_str("id")?;
        let every = f.every()?;
        Ok(Deadline {
            origin: origin(f.line, text, id, status),
            id: id.map(compact_str::CompactString::from),
            client,
            title,
            due,
            zone,
            estimate,
            spent,
            status,
            done_at,
            every,
            logged: Default::default(),
        })
    }
}
