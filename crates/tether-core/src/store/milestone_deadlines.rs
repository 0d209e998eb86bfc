//! A milestone's deadline (issue 17: "milestones with dates and amounts (each becomes a deadline
//! the board knows)"): written by the alert passes (`tether notify`, the dashboard's alert
//! worker) as the gift seasons' follow-ups are (`store::gift_followups`), each write journalled
//! so `u` takes it back. It is then a line of deadlines.jsonl like any other: risk, the latest
//! start, alerts, `x`, the timer, undo and the sync merge work on it unchanged.
//!
//! Its id is [`milestone::deadline_id`] (the client and the milestone's name alone): two
//! machines (or a pass that runs before the last one's line is reloaded) write the same line,
//! which the merge keeps once, and a line already in the file is never written again. A renamed
//! milestone is a new one (a new deadline; the old line stays for the user to drop).
//!
//! tether.toml stays the source of the day: when a milestone's `due` (or its `estimate`) there
//! changes, the open deadline's line is rewritten to match; a done or dropped one is never
//! touched. Only milestones due on the client's today or later are written (one already past
//! when it is first seen is history, not a deadline to alert on). Made-up example clients get
//! none.

use super::files::DataFile;
use super::id_on_disk::file_has_id;
use super::journal::Store;
use super::line_edit::FieldChange;
use crate::domain::milestone::{Milestone, deadline_id};
use crate::domain::model::{Client, Deadline, Model, Status};
use crate::domain::text::{head, one_line};
use crate::domain::time::local_date;
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

/// What a pass wrote: deadlines added and deadlines brought to tether.toml, as "name (client)" labels.
#[derive(Debug, Default, PartialEq)]
pub struct MilestoneWrites {
    pub added: Vec<String>,
    pub updated: Vec<String>,
}

/// Add the deadline of every coming milestone that has none, and bring each open one's `due`
/// (and `estimate`, when tether.toml gives one) to what tether.toml says.
pub fn write_milestone_deadlines(
    dir: &Path,
    model: &Model,
    now: DateTime<Utc>,
) -> Result<MilestoneWrites, super::error::StoreError> {
    let store = Store::new(dir);
    let mut out = MilestoneWrites::default();
    let mut seen = std::collections::HashSet::new();
    for c in model.config.clients.iter().filter(|c| !c.example) {
        for m in &c.milestones {
            let id = deadline_id(&c.id, &m.name);
            // One deadline, one milestone (tether.toml's reader skips a second of one name):
            // never pull a line between two days, a write each pass.
            if !seen.insert(id.clone()) {
                continue;
            }
            let mut records = model
                .deadlines
                .iter()
                .filter(|d| d.id.as_deref() == Some(id.as_str()))
                .peekable();
            if records.peek().is_some() {
                for d in records.filter(|d| d.status == Status::Open) {
                    let changes = changes(&d, m);
                    if changes.is_empty() {
                        continue;
                    }
                    let label = format!("milestone from tether.toml: {}", head(&m.name, 40));
                    store.rewrite(
                        DataFile::Deadlines,
                        Some(&id),
                        &d.origin.text,
                        &changes,
                        &label,
                        now,
                    )?;
                    out.updated.push(describe(c, m));
                }
                continue;
            }
            if m.due < local_date(c.zone, now) {
                continue;
            }
            // Not in the model: maybe written since it was loaded. Look in the file only now
            // (once a milestone), not on every pass.
            if file_has_id(&store.path(DataFile::Deadlines), &id) {
                continue;
            }
            let label = format!("milestone: {}", head(&m.name, 40));
            store.append(DataFile::Deadlines, &line(&id, c, m), &label, now)?;
            out.added.push(describe(c, m));
        }
    }
    Ok(out)
}

/// The line of a milestone's deadline: `{"id":…,"client":…,"title":…,"due":"YYYY-MM-DD",
/// "estimate":…,"milestone":true}`. The due is the day alone: the loader's rule makes it the
/// end of the client's business hours that day (docs/data-format.md, deadlines.jsonl).
fn line(id: &str, c: &Client, m: &Milestone) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let estimate = m
        .estimate
        .map(|e| format!(",\"estimate\":{}", q(&duration_text(e))))
        .unwrap_or_default();
    format!(
        "{{\"id\":{},\"client\":{},\"title\":{},\"due\":{}{estimate},\"milestone\":true}}",
        q(id),
        q(&c.id),
        q(&one_line(&m.name)),
        q(&day(m)),
    )
}

/// What an open deadline's line needs to say what tether.toml says: its `due` when the day it
/// names is not the milestone's (a time the user set on that day is kept), its `estimate` when
/// tether.toml gives one and it differs.
fn changes(d: &Deadline, m: &Milestone) -> Vec<FieldChange> {
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&d.origin.text).unwrap_or_default();
    let due = fields
        .get("due")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    let mut out = Vec::new();
    if due.trim().get(..10) != Some(day(m).as_str()) {
        out.push(FieldChange::set("due", day(m)));
    }
    if let Some(e) = m.estimate.filter(|e| d.estimate != Some(*e)) {
        out.push(FieldChange::set("estimate", duration_text(e)));
    }
    out
}

fn day(m: &Milestone) -> String {
    m.due.format("%Y-%m-%d").to_string()
}

/// "Design sign-off (Kanda Trading KK, due 2026-12-15)", on one line.
fn describe(c: &Client, m: &Milestone) -> String {
    format!(
        "{} ({}, due {})",
        one_line(&m.name),
        one_line(&c.name),
        day(m)
    )
}

/// A duration as the data files write it and `parse_duration` reads it back: `12h`, `1h30m`,
/// `45m`, `0m`.
fn duration_text(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    if out.is_empty() {
        out.push_str("0m");
    }
    out
}

#[cfg(test)]
#[path = "milestone_deadlines_tests.rs"]
mod tests;
