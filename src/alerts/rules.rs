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
use super::text;
use crate::domain::board::{
    DeadlineRow, FollowupRow, FollowupRows, Section, calendar_for, followup_key, record_key,
    section_of,
};
use crate::domain::followups;
use crate::domain::model::{Deadline, Followup, FollowupDue, Me, Model, Status};
use crate::domain::risk::Risk;
use crate::domain::risk::assess_with;
use crate::domain::schedule::Schedule;
use crate::domain::time::local_date;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::collections::HashMap;

/// One sent alert, as read back from the record of sent alerts (record.rs): what the
/// rules compare with to alert each level once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEntry {
    pub at: DateTime<Utc>,
    pub level: Level,
    pub summary: String,
    pub body: String,
    pub items: Vec<AlertItem>,
}

impl SentEntry {
    pub fn from_alert(alert: &Alert, at: DateTime<Utc>) -> SentEntry {
        SentEntry {
            at,
            level: alert.level,
            summary: alert.summary.clone(),
            body: alert.body.clone(),
            items: alert.items.clone(),
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

/// The alerts to send now: [`pending_alerts`], or none when alerts are disabled or it is quiet
/// hours (those wait: see [`super::quiet::next_send_time`]).
pub fn due_alerts(model: &Model, sent: &[SentEntry], now: DateTime<Utc>) -> Vec<Alert> {
    let settings = &model.config.alerts;
    if !settings.enabled || super::quiet::is_quiet(settings, &model.config.me, now) {
        return Vec::new();
    }
    pending_alerts(model, sent, now)
}

/// What would be sent now if it were not quiet hours: every item whose level deserves an alert
/// that was not sent yet, with the flood guard applied. Ignores `enabled` and quiet hours.
pub fn pending_alerts(model: &Model, sent: &[SentEntry], now: DateTime<Utc>) -> Vec<Alert> {
    let index = SentIndex::new(sent);
    let config = &model.config;
    let me = &config.me;
    let mut cands: Vec<Candidate> = Vec::new();
    // The board's open rows (the default filter), but a row is only made (its record copied,
    // its alert worded) for an item not alerted yet: in a long history most are.
    let real = Alerting::new(config);
    let open: Vec<&Deadline> = model
        .deadlines
        .iter()
        .filter(|d| d.status == Status::Open && real.about(&d.client))
        .collect();
    let calendar = calendar_for(me, open.iter().map(|d| d.due), now);
    for d in open {
        let risk = assess_with(&calendar, d, &config.alerts, now);
        let Some(level) = deadline_level(risk.risk) else {
            continue;
        };
        if index.suppressed_by(
            ItemFile::Deadlines,
            &record_key(d.id.as_deref(), &d.origin.text),
            level,
            &deadline_fingerprint(d),
        ) {
            continue;
        }
        let row = DeadlineRow::new(config, DeadlineRow::BESIDE, d, risk, now);
        if let Some(c) = deadline_candidate(d, &row, me, now) {
            cands.push(c);
        }
    }
    let fb = followups::board(&model.followups, me, now);
    let rows = FollowupRows::new(config, now);
    for r in fb.owe.iter().chain(&fb.waiting) {
        let f = r.f;
        if !real.about(&f.client) {
            continue;
        }
        let section = section_of(r.bucket, f.waiting);
        let Some(level) = followup_level(f, section, me, now) else {
            continue;
        };
        if index.suppressed_by(
            ItemFile::Followups,
            &record_key(f.id.as_deref(), &f.origin.text),
            level,
            &followup_fingerprint(f),
        ) {
            continue;
        }
        let row = rows.row(FollowupRow::BESIDE, f, section, r.due_at, false);
        if let Some(c) = followup_candidate(f, &row, me, now) {
            cands.push(c);
        }
    }
    if let Some(c) = timer_candidate(model, &index, now) {
        cands.push(c);
    }
    cands.sort_by(by_importance);
    let (mut folded, mut fresh): (Vec<Candidate>, Vec<Candidate>) =
        cands.into_iter().partition(|c| c.stale);
    if folded.len() < 2 {
        // One old item is not a flood: it gets its own, detailed alert.
        fresh.append(&mut folded);
        fresh.sort_by(by_importance);
    }
    // At most MAX_PER_PASS notifications; a summary takes one of them and everything else.
    let summary_needed = !folded.is_empty() || fresh.len() > MAX_PER_PASS;
    let singles = if summary_needed {
        MAX_PER_PASS - 1
    } else {
        MAX_PER_PASS
    };
    if fresh.len() > singles {
        let rest = fresh.split_off(singles);
        folded.extend(rest);
    }
    let mut alerts: Vec<Alert> = fresh.into_iter().map(|c| c.alert).collect();
    if !folded.is_empty() {
        alerts.push(summary_alert(&folded));
    }
    alerts
}

/// Whether any item of `alerts` is in the record of sent alerts (at its level or, for a
/// deadline, a more severe one): alerts worked out earlier must then be worked out again.
pub fn any_sent(alerts: &[Alert], sent: &[SentEntry]) -> bool {
    let index = SentIndex::new(sent);
    alerts
        .iter()
        .flat_map(|a| &a.items)
        .any(|i| index.suppressed_by(i.file, &i.key, i.level, &i.fingerprint))
}

fn by_importance(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    (a.item.level.order(), a.when, &a.item.key).cmp(&(b.item.level.order(), b.when, &b.item.key))
}

/// One item that deserves an alert, before the flood guard.
#[derive(Debug, Clone)]
struct Candidate {
    item: AlertItem,
    /// When the item is/was due (orders alerts of one level).
    when: DateTime<Utc>,
    stale: bool,
    /// Its own, detailed alert.
    alert: Alert,
    /// One line for a summary: "Q3 market survey report (Kanda Trading KK), due Mon 23 Nov".
    short: String,
}

impl Candidate {
    /// One item's own alert at `level`, with the text already written for it.
    fn new(
        item: AlertItem,
        (summary, body): (String, String),
        short: String,
        when: DateTime<Utc>,
        stale: bool,
    ) -> Candidate {
        let level = item.level;
        Candidate {
            alert: Alert {
                level,
                summary,
                body,
                urgency: level.urgency(),
                items: vec![item.clone()],
            },
            short,
            item,
            when,
            stale,
        }
    }
}

fn deadline_level(risk: Risk) -> Option<Level> {
    match risk {
        Risk::Ok => None,
        Risk::Tight => Some(Level::Tight),
        Risk::AtRisk => Some(Level::AtRisk),
        Risk::Overdue => Some(Level::Overdue),
    }
}

fn deadline_candidate(
    d: &Deadline,
    row: &DeadlineRow,
    me: &Me,
    now: DateTime<Utc>,
) -> Option<Candidate> {
    if d.status != Status::Open {
        return None;
    }
    let level = deadline_level(row.risk.risk)?;
    let stale = level == Level::Overdue && now - d.due > Duration::hours(STALE_AFTER_HOURS);
    let item = AlertItem {
        file: ItemFile::Deadlines,
        key: record_key(d.id.as_deref(), &d.origin.text),
        level,
        fingerprint: deadline_fingerprint(d),
    };
    Some(Candidate::new(
        item,
        text::deadline(d, row, level, me, now),
        text::deadline_short(d, row, me),
        d.due,
        stale,
    ))
}

fn followup_candidate(
    f: &Followup,
    row: &FollowupRow,
    me: &Me,
    now: DateTime<Utc>,
) -> Option<Candidate> {
    let level = followup_level(f, row.section, me, now)?;
    let at = if level == Level::Reminder {
        f.snoozed_until?
    } else {
        // Back from a snooze, an item's alert is as fresh as the snooze's end.
        arrival(f, me)?.max(f.snoozed_until.unwrap_or(DateTime::<Utc>::MIN_UTC))
    };
    let stale = now - at > Duration::hours(STALE_AFTER_HOURS);
    let item = AlertItem {
        file: ItemFile::Followups,
        key: followup_key(f),
        level,
        fingerprint: followup_fingerprint(f),
    };
    Some(Candidate::new(
        item,
        text::followup(f, row, level, me, now),
        text::followup_short(f, row, me),
        at,
        stale,
    ))
}

/// What an open follow-up alerts as at `now`: its due (or chase date) arrived in the Overdue,
/// Today or Waiting section (a payment: only Overdue); else, a snooze that has ended is a
/// reminder.
fn followup_level(f: &Followup, section: Section, me: &Me, now: DateTime<Utc>) -> Option<Level> {
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

/// The levels already sent per (file, key, fingerprint).
struct SentIndex<'a> {
    map: HashMap<(ItemFile, &'a str, &'a str), Vec<Level>>,
}

impl<'a> SentIndex<'a> {
    fn new(sent: &'a [SentEntry]) -> Self {
        let mut map: HashMap<(ItemFile, &str, &str), Vec<Level>> = HashMap::new();
        for item in sent.iter().flat_map(|e| &e.items) {
            map.entry((item.file, item.key.as_str(), item.fingerprint.as_str()))
                .or_default()
                .push(item.level);
        }
        SentIndex { map }
    }

    /// Sent already: the same level, or for a deadline the same or a higher one.
    /// Whether an item with these parts was already alerted at this level (or, for a deadline,
    /// a more severe one).
    fn suppressed_by(&self, file: ItemFile, key: &str, level: Level, fingerprint: &str) -> bool {
        let Some(levels) = self.map.get(&(file, key, fingerprint)) else {
            return false;
        };
        match level.deadline_rank() {
            Some(r) => levels
                .iter()
                .any(|l| l.deadline_rank().is_some_and(|x| x >= r)),
            None => levels.contains(&level),
        }
    }
}

/// The running timer once past its cap (the end of the working day it started in): one alert
/// per timer, keyed by its start, so a timer left running over a night says so once, when
/// your day ends, and is never counted on silently (docs/decisions.md, "The timer").
fn timer_candidate(model: &Model, index: &SentIndex, now: DateTime<Utc>) -> Option<Candidate> {
    let me = &model.config.me;
    let e = crate::domain::timelog::running(&model.timelog)?;
    let start = e.running_since()?;
    let cap = crate::domain::timelog::cap(me, start);
    if now <= cap {
        return None;
    }
    let key = format!("start:{}", start.to_rfc3339());
    let fingerprint = key.clone();
    if index.suppressed_by(ItemFile::Timelog, &key, Level::TimerRunning, &fingerprint) {
        return None;
    }
    let title = crate::domain::timelog::target_title(model, e);
    let item = AlertItem {
        file: ItemFile::Timelog,
        key,
        level: Level::TimerRunning,
        fingerprint,
    };
    let stale = now - cap > Duration::hours(STALE_AFTER_HOURS);
    Some(Candidate::new(
        item,
        text::timer_running(me, start, cap, title, now),
        text::timer_running_short(me, start, title, now),
        cap,
        stale,
    ))
}

/// One notification for several items: "3 deadlines overdue, 2 follow-ups due".
fn summary_alert(items: &[Candidate]) -> Alert {
    const LIST: usize = 5;
    let count = |l: Level| items.iter().filter(|c| c.item.level == l).count();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let parts: Vec<String> = [
        (Level::Overdue, "deadline overdue", "deadlines overdue"),
        (Level::AtRisk, "deadline at risk", "deadlines at risk"),
        (Level::Tight, "deadline tight", "deadlines tight"),
        (Level::FollowupDue, "follow-up due", "follow-ups due"),
        (Level::Chase, "client to chase", "clients to chase"),
        (Level::Reminder, "reminder", "reminders"),
        (
            Level::TimerRunning,
            "timer still running",
            "timers still running",
        ),
    ]
    .iter()
    .filter_map(|(l, one, many)| {
        let n = count(*l);
        (n > 0).then(|| plural(n, one, many))
    })
    .collect();
    let mut lines: Vec<String> = items
        .iter()
        .take(LIST)
        .map(|c| format!("{}: {}", c.item.level.label(), c.short))
        .collect();
    if items.len() > LIST {
        lines.push(format!(
            "… and {} more; open tether to see them all",
            items.len() - LIST
        ));
    }
    let urgency = if items
        .iter()
        .any(|c| c.item.level.urgency() == Urgency::Critical)
    {
        Urgency::Critical
    } else {
        Urgency::Normal
    };
    Alert {
        level: Level::Summary,
        summary: parts.join(", "),
        body: lines.join("\n"),
        urgency,
        items: items.iter().map(|c| c.item.clone()).collect(),
    }
}
