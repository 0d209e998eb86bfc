//! Which alerts are due at an instant: pure, from the model, what was already sent, and `now`.
//!
//! - A deadline alerts when its risk is `tight`, `at risk` or `overdue` and that level (or a
//!   higher one) was not yet sent for the same fingerprint (due + estimate + spent): only
//!   escalations alert. Done and dropped deadlines never alert.
//! - An owed follow-up (Overdue / Today section) alerts once its due time has *arrived*: a timed
//!   due at that instant; a date-only due at the start of your working hours that day (in your
//!   zone that day). A waiting item alerts ("Chase: …") when its chase date arrives, by the same
//!   rule. Snoozed items wait for the snooze to end; the fingerprint (due + snoozed_until) changes
//!   when you reschedule or snooze, so the alert comes back then. A snooze is a "remind me
//!   then": one that ends before the item's due (or chase date) arrived alerts as a Reminder,
//!   once; the due still alerts when it arrives.
//! - Flood guard: items whose level was reached more than [`STALE_AFTER_HOURS`] ago and were
//!   never alerted (first run, or tether was not running for days) are folded into one summary
//!   when there are two or more. At most [`MAX_PER_PASS`] notifications go out in one pass; past
//!   that, the least severe are folded into the summary too.

pub use super::level::{Level, Urgency};
use crate::domain::board::Section;
use crate::domain::model::{Deadline, Followup, FollowupDue, Me, Status};
use crate::domain::risk::Risk;
use crate::domain::schedule::Schedule;
use crate::domain::time::local_date;
use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// One sent alert, as read back from the record of sent alerts (record.rs): what the
/// rules compare with to alert each level once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEntry {
    pub at: DateTime<Utc>,
    pub level: Level,
    pub summary: String,
    pub body: String,
    pub items: Vec<AlertItem>,
    /// The items recorded by digest ([`Alert::digests`]).
    pub digests: Vec<u64>,
}

impl SentEntry {
    pub fn from_alert(alert: &Alert, at: DateTime<Utc>) -> SentEntry {
        SentEntry {
            at,
            level: alert.level,
            summary: alert.summary.clone(),
            body: alert.body.clone(),
            items: alert.items.clone(),
            digests: alert.digests.clone(),
        }
    }
}

/// An item whose level was reached longer ago than this is "stale" for the flood guard.
pub const STALE_AFTER_HOURS: i64 = 24;
/// At most this many notifications per pass (the rest are folded into one summary).
pub const MAX_PER_PASS: usize = 5;

/// Which data file an item lives in (ids are unique per file only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemFile {
    Deadlines,
    Followups,
    /// A running timer (keyed by its start).
    Timelog,
}

impl ItemFile {
    pub fn as_str(&self) -> &'static str {
        match self {
            ItemFile::Deadlines => "deadlines",
            ItemFile::Followups => "followups",
            ItemFile::Timelog => "timelog",
        }
    }

    pub fn parse(s: &str) -> Option<ItemFile> {
        match s {
            "deadlines" => Some(ItemFile::Deadlines),
            "followups" => Some(ItemFile::Followups),
            "timelog" => Some(ItemFile::Timelog),
            _ => None,
        }
    }
}

/// One item an alert is about, as recorded once sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlertItem {
    pub file: ItemFile,
    /// `id:<id>`, or `text:<the line's text>` for a line without an id (the same key as
    /// `DeadlineRow::key()` / `FollowupRow::key()`, so the dashboard can find the row).
    pub key: String,
    pub level: Level,
    /// Deadlines: due + estimate + spent; follow-ups: due + snoozed_until. A change re-arms.
    pub fingerprint: String,
}

/// One desktop notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub level: Level,
    /// E.g. "At risk: Q3 market survey report (Kanda Trading KK)".
    pub summary: String,
    /// What, for whom, when in both zones, working time left against what is needed.
    pub body: String,
    pub urgency: Urgency,
    /// What it covers (one item, or several for a summary); all are recorded when sent.
    pub items: Vec<AlertItem>,
    /// The other items a summary of a flood covers, past the ones it names, as their
    /// [`super::digest::item_digest`]: recorded so, and never sent again.
    pub digests: Vec<u64>,
}

impl Alert {
    /// The alert on one line (for stdout and logs).
    pub fn one_line(&self) -> String {
        let body = self
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let summary = crate::domain::text::one_line(&self.summary);
        if body.is_empty() {
            summary.into_owned()
        } else {
            format!("{summary} — {body}")
        }
    }
}

/// Which clients' records may alert: all but the example's made-up clients (`example = true`;
/// docs/decisions.md, "The first run").
pub(super) struct Alerting<'a> {
    examples: std::collections::HashSet<&'a str>,
}

impl<'a> Alerting<'a> {
    pub(super) fn new(config: &'a crate::domain::model::Config) -> Alerting<'a> {
        let examples = config
            .clients
            .iter()
            .filter(|c| c.example)
            .map(|c| c.id.as_str())
            .collect();
        Alerting { examples }
    }

    /// Whether a record of `client` may alert.
    pub(super) fn about(&self, client: &Option<std::sync::Arc<str>>) -> bool {
        self.examples.is_empty() || client.as_deref().is_none_or(|c| !self.examples.contains(c))
    }
}

/// Whether a follow-up can ever alert, at any instant, whatever was sent: an open one with a
/// due (or chase date) that can arrive, or a snooze that can end ([`followup_level`] gives a
/// level to no other). What `tether notify` keeps of followups.jsonl.
pub fn can_alert(f: &Followup) -> bool {
    f.status == Status::Open && (f.due.is_some() || f.snoozed_until.is_some())
}

/// Whether a deadline can ever alert: an open one (done and dropped ones never do).
pub fn deadline_can_alert(d: &Deadline) -> bool {
    d.status == Status::Open
}

pub(super) fn deadline_level(risk: Risk) -> Option<Level> {
    match risk {
        Risk::Ok => None,
        Risk::Tight => Some(Level::Tight),
        Risk::AtRisk => Some(Level::AtRisk),
        Risk::Overdue => Some(Level::Overdue),
    }
}

/// When a follow-up alerting at `level` is/was due: a reminder when its snooze ended; else
/// when its due arrived, or its snooze ended if later (back from a snooze, an item's alert is
/// as fresh as the snooze's end).
pub(super) fn followup_when(f: &Followup, level: Level, me: &Me) -> Option<DateTime<Utc>> {
    if level == Level::Reminder {
        f.snoozed_until
    } else {
        Some(arrival(f, me)?.max(f.snoozed_until.unwrap_or(DateTime::<Utc>::MIN_UTC)))
    }
}

/// What an open follow-up alerts as at `now`: its due (or chase date) arrived in the Overdue,
/// Today or Waiting section (a payment: only Overdue); else, a snooze that has ended is a
/// reminder.
pub(super) fn followup_level(
    f: &Followup,
    section: Section,
    me: &Me,
    now: DateTime<Utc>,
) -> Option<Level> {
    if f.status != Status::Open || f.snoozed_until.is_some_and(|s| s > now) {
        return None;
    }
    if arrived(f, me, now) {
        // A payment is only news once it is late: on its due day it may still come.
        let payment = f
            .bill
            .as_deref()
            .is_some_and(|b| b.kind == crate::domain::model::BillKind::Payment);
        return match section {
            Section::Today if payment => None,
            Section::Overdue | Section::Today if !f.waiting => Some(Level::FollowupDue),
            Section::Waiting => Some(Level::Chase),
            _ => None,
        };
    }
    f.snoozed_until.map(|_| Level::Reminder)
}

/// When a follow-up's due (or a waiting item's chase date) *arrives*: a timed due at that
/// instant; a date-only due at the start of your working hours that day, in the zone that governs
/// that day (travel included). None without a due.
pub fn arrival(f: &Followup, me: &Me) -> Option<DateTime<Utc>> {
    match f.due? {
        FollowupDue::At(t) => Some(t),
        FollowupDue::Day(d) => Some(Schedule::of_me(me).start_of_hours(d)),
    }
}

/// Whether the due has arrived at `now`: past [`arrival`], and for a date-only due also on or
/// after that date in your zone now (so it agrees with the board's Today/Overdue sections).
pub fn arrived(f: &Followup, me: &Me, now: DateTime<Utc>) -> bool {
    let Some(at) = arrival(f, me) else {
        return false;
    };
    if now < at {
        return false;
    }
    match f.due {
        Some(FollowupDue::Day(d)) => d <= local_date(me.zone_at(now), now),
        _ => true,
    }
}

pub fn deadline_fingerprint(d: &Deadline) -> String {
    let dur = |x: Option<Duration>| x.map_or("-".to_string(), |v| format!("{}s", v.num_seconds()));
    format!(
        "due={} est={} spent={}",
        d.due.to_rfc3339_opts(SecondsFormat::Secs, true),
        dur(d.estimate),
        dur(d.spent)
    )
}

pub fn followup_fingerprint(f: &Followup) -> String {
    let due = match f.due {
        None => "-".to_string(),
        Some(FollowupDue::At(t)) => t.to_rfc3339_opts(SecondsFormat::Secs, true),
        Some(FollowupDue::Day(d)) => d.to_string(),
    };
    let snooze = f.snoozed_until.map_or("-".to_string(), |t| {
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    });
    format!("due={due} snoozed={snooze}")
}
