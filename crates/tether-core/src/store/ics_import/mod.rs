//! `tether import ics`: a client's calendar file in, as deadlines (VTODO) or follow-ups
//! (VEVENT), each occurrence a record whose id comes from its UID (and, for a repeat, its
//! scheduled start), so importing the file again updates instead of duplicating. A record
//! keeps in `"ics"` a fingerprint of the title and due it was imported with: when the user has
//! changed either since, a new import leaves it alone and says so.

mod calendars;
mod events;
mod windows_zones;
pub mod zones;

pub use calendars::{calendar_paths, read_holiday_calendars};
pub use events::{ItemKind, When};

use super::line_edit::FieldChange;
use crate::domain::ids::new_id;
use crate::domain::model::{Client, Model, Status};
use crate::domain::when::stamp;
use crate::store::files::DataFile;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The first and last day of each event of a holiday calendar, and what could not be read.
pub type CalendarDays = (Vec<(chrono::NaiveDate, chrono::NaiveDate)>, Vec<String>);

/// The days a holiday calendar (`holidays_ics`) closes: each event's dates in `zone`, all-day
/// events over their whole span, repeats from 2000 to 2050; and what could not be read.
pub fn calendar_days(text: &str, zone: chrono_tz::Tz) -> Result<CalendarDays, String> {
    let year = |y| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap_or_default()
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
    };
    let read = events::read(text, zone, year(2000), year(2051))?;
    let spans = read
        .occurrences
        .iter()
        .map(|o| {
            let first = match o.when {
                When::Day(d) => d,
                When::At(t, _) => t.with_timezone(&zone).date_naive(),
            };
            let last = first
                .checked_add_days(chrono::Days::new(u64::from(o.days.saturating_sub(1))))
                .unwrap_or(first);
            (first, last)
        })
        .collect();
    Ok((spans, read.problems))
}

/// Which file the items go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// VTODO as deadlines, VEVENT as follow-ups.
    ByKind,
    Deadlines,
    Followups,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A new record line.
    Add(String),
    /// An imported record the calendar changed and the user did not: these changes.
    Update {
        id: String,
        original_text: String,
        changes: Vec<FieldChange>,
    },
    /// Already as the calendar has it.
    Same,
    /// Changed by the user since it was imported: left as it is.
    KeptEdited,
    /// Done or dropped: left as it is.
    Closed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub file: DataFile,
    pub title: String,
    pub when: When,
    pub step: Step,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub items: Vec<Planned>,
    pub problems: Vec<String>,
    pub past: usize,
    pub cancelled: usize,
    /// Open records of the client imported from a calendar, due within the import's window,
    /// that this file no longer has (a cancelled or moved meeting, or another calendar's):
    /// said, never removed.
    pub gone: Vec<Gone>,
}

/// An open imported record that the file no longer has.
#[derive(Debug, Clone, PartialEq)]
pub struct Gone {
    pub file: DataFile,
    pub title: String,
    pub due: DateTime<Utc>,
}

/// What importing `text` for `client` would do, for the occurrences from `now` to `until`.
pub fn plan(
    text: &str,
    client: &Client,
    target: Target,
    model: &Model,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Plan, String> {
    let read = events::read(text, client.zone, now, until)?;
    let mut plan = Plan {
        problems: read.problems,
        past: read.past,
        cancelled: read.cancelled,
        ..Plan::default()
    };
    let mut ids = std::collections::HashSet::new();
    for o in read.occurrences {
        let file = match (target, o.kind) {
            (Target::Deadlines, _) | (Target::ByKind, ItemKind::Todo) => DataFile::Deadlines,
            _ => DataFile::Followups,
        };
        let (prefix, title_key) = match file {
            DataFile::Deadlines => ("d", "title"),
            _ => ("f", "what"),
        };
        let id = new_id(
            prefix,
            DateTime::<Utc>::UNIX_EPOCH,
            &format!("ics\n{}\n{}", client.id, o.key),
            "ics",
        );
        ids.insert(id.clone());
        let due = due_text(o.when, client);
        let print = fingerprint(&o.summary, &due);
        let step = match existing(model, file, &id) {
            None => Step::Add(format!(
                "{{\"id\":{},\"client\":{},\"{title_key}\":{},\"due\":{},\"ics\":{}}}",
                json(&id),
                json(&client.id),
                json(&o.summary),
                json(&due),
                json(&print)
            )),
            Some((status, _)) if status != Status::Open => Step::Closed,
            Some((_, text)) => {
                let line: serde_json::Map<String, Value> =
                    serde_json::from_str(&text).unwrap_or_default();
                let field = |k: &str| {
                    line.get(k)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                let now_print = fingerprint(&field(title_key), &field("due"));
                if field("ics") == print {
                    Step::Same
                } else if field("ics") != now_print {
                    Step::KeptEdited
                } else {
                    Step::Update {
                        id: id.clone(),
                        original_text: text,
                        changes: vec![
                            FieldChange::set(title_key, o.summary.clone()),
                            FieldChange::set("due", due),
                            FieldChange::set("ics", print),
                        ],
                    }
                }
            }
        };
        plan.items.push(Planned {
            file,
            title: o.summary,
            when: o.when,
            step,
        });
    }
    plan.items.sort_by_key(|p| p.when.instant(client.zone));
    plan.gone = gone(model, client, &ids, now, until);
    Ok(plan)
}

/// Whether a record line was written by an import (it keeps the `"ics"` fingerprint).
fn imported(line: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, Value>>(line)
        .is_ok_and(|m| m.get("ics").is_some_and(Value::is_string))
}

/// The client's open imported records due from `now` to `until` whose ids the file did not
/// give: what the calendar no longer has in the window it was read for.
fn gone(
    model: &Model,
    client: &Client,
    ids: &std::collections::HashSet<String>,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<Gone> {
    let mine = |c: &Option<std::sync::Arc<str>>, id: &Option<compact_str::CompactString>| {
        c.as_deref() == Some(client.id.as_str()) && id.as_deref().is_some_and(|i| !ids.contains(i))
    };
    let within = |t: DateTime<Utc>| now <= t && t <= until;
    let mut out: Vec<Gone> = model
        .deadlines
        .iter()
        .filter(|d| d.status == Status::Open && mine(&d.client, &d.id) && within(d.due))
        .filter(|d| imported(&d.origin.text))
        .map(|d| Gone {
            file: DataFile::Deadlines,
            title: d.title.to_string(),
            due: d.due,
        })
        .collect();
    for f in model
        .followups
        .iter()
        .filter(|f| f.status == Status::Open && mine(&f.client, &f.id))
    {
        // A day by its start in the client's zone (today's, begun, is not in the window).
        let due = match f.due {
            Some(crate::domain::model::FollowupDue::At(t)) => t,
            Some(crate::domain::model::FollowupDue::Day(d)) => {
                crate::domain::time::local_to_utc(client.zone, d.and_time(chrono::NaiveTime::MIN))
            }
            None => continue,
        };
        if within(due) && imported(&f.origin.text) {
            out.push(Gone {
                file: DataFile::Followups,
                title: f.what.to_string(),
                due,
            });
        }
    }
    out.sort_by_key(|g| g.due);
    out
}

/// A day stays a day; a time is written in the zone the calendar gave it (UTC: the client's).
fn due_text(w: When, client: &Client) -> String {
    match w {
        When::Day(d) => d.format("%Y-%m-%d").to_string(),
        When::At(t, z) if z == chrono_tz::UTC => stamp(t, client.zone),
        When::At(t, z) => stamp(t, z),
    }
}

/// What the record was imported as: its title and due, hashed.
fn fingerprint(title: &str, due: &str) -> String {
    new_id(
        "ics",
        DateTime::<Utc>::UNIX_EPOCH,
        &format!("{title}\n{due}"),
        "ics",
    )
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The record of `id` in `file`: its status and line (as loaded).
fn existing(model: &Model, file: DataFile, id: &str) -> Option<(Status, String)> {
    match file {
        DataFile::Deadlines => model
            .deadlines
            .iter()
            .find(|d| d.id.as_deref() == Some(id))
            .map(|d| (d.status, d.origin.text.to_string())),
        _ => model
            .followups
            .iter()
            .find(|f| f.id.as_deref() == Some(id))
            .map(|f| (f.status, f.origin.text.to_string())),
    }
}
