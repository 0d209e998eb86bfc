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
///
/// Only records that [`can_alert`] / [`deadline_can_alert`] keep are looked at, so a model
/// loaded without the others (`tether notify` on a big file) gives the same alerts. An item is
/// worded (its row made, its record copied) only when it is sent on its own or listed by name in
/// a summary: the others of a flood are counted and recorded, nothing more (issue 13).
pub fn pending_alerts(model: &Model, sent: &[SentEntry], now: DateTime<Utc>) -> Vec<Alert> {
    let index = SentIndex::new(sent);
    let config = &model.config;
    let me = &config.me;
    let mut cands: Vec<Candidate> = Vec::new();
    let real = Alerting::new(config);
    let open = || {
        model
            .deadlines
            .iter()
            .enumerate()
            .filter(|(_, d)| deadline_can_alert(d) && real.about(&d.client))
    };
    let calendar = calendar_for(me, open().map(|(_, d)| d.due), now);
    for (i, d) in open() {
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
        cands.push(Candidate {
            level,
            when: d.due,
            stale: level == Level::Overdue && now - d.due > Duration::hours(STALE_AFTER_HOURS),
            of: Of::Deadline(d, i),
        });
    }
    // The board's open rows (its placing of each record), but a row is only made for an item
    // that is worded: in a long history most are not.
    let placing = followups::Placing::new(me, now);
    for f in model.followups.iter().filter(|f| can_alert(f)) {
        let followups::Place::Open { bucket, due_at, .. } = placing.place(f) else {
            continue;
        };
        if !real.about(&f.client) {
            continue;
        }
        let section = section_of(bucket, f.waiting);
        let Some(level) = followup_level(f, section, me, now) else {
            continue;
        };
        if index.suppressed_by(
            ItemFile::Followups,
            &followup_key(f),
            level,
            &followup_fingerprint(f),
        ) {
            continue;
        }
        let Some(when) = followup_when(f, level, me) else {
            continue;
        };
        cands.push(Candidate {
            level,
            when,
            stale: now - when > Duration::hours(STALE_AFTER_HOURS),
            of: Of::Followup(f, bucket, due_at),
        });
    }
    if let Some(c) = timer_candidate(model, &index, now) {
        cands.push(c);
    }
    // A total order (the board's order breaks ties), so no buffer for a stable sort.
    cands.sort_unstable_by(by_importance);
    let rows = FollowupRows::new(config, now);
    let word = |c: &Candidate| -> Worded {
        match &c.of {
            Of::Deadline(d, _) => {
                let risk = assess_with(&calendar, d, &config.alerts, now);
                let row = DeadlineRow::new(config, DeadlineRow::BESIDE, d, risk, now);
                Worded {
                    texts: text::deadline(d, &row, c.level, me, now),
                    short: text::deadline_short(d, &row, me),
                }
            }
            Of::Followup(f, bucket, due_at) => {
                let section = section_of(*bucket, f.waiting);
                let row = rows.row(FollowupRow::BESIDE, f, section, *due_at, false);
                Worded {
                    texts: text::followup(f, &row, c.level, me, now),
                    short: text::followup_short(f, &row, me),
                }
            }
            Of::Worded(w) => w.1.clone(),
        }
    };
    // Old news is folded when there are two or more; one old item gets its own alert.
    let folding = cands.iter().filter(|c| c.stale).take(2).count() >= 2;
    let folded_stale = if folding {
        cands.iter().filter(|c| c.stale).count()
    } else {
        0
    };
    let fresh = cands.len() - folded_stale;
    // At most MAX_PER_PASS notifications; a summary takes one of them and everything else.
    let singles = if folding || fresh > MAX_PER_PASS {
        MAX_PER_PASS - 1
    } else {
        MAX_PER_PASS
    };
    let mut alerts: Vec<Alert> = Vec::new();
    // The summary lists the old items first, then the fresh ones past the singles.
    let mut old = Summary::with_capacity(folded_stale);
    let mut rest = Summary::with_capacity(fresh.saturating_sub(singles));
    for c in &cands {
        if folding && c.stale {
            old.add(c, &word);
        } else if alerts.len() < singles {
            alerts.push(c.alert(word(c).texts));
        } else {
            rest.add(c, &word);
        }
    }
    drop(cands);
    old.append(rest);
    if let Some(s) = old.alert() {
        alerts.push(s);
    }
    alerts
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
    (a.level.order(), a.when, a.key(), a.tie()).cmp(&(b.level.order(), b.when, b.key(), b.tie()))
}

/// One item that deserves an alert, before the flood guard: what orders it, and its record, to
/// make its [`AlertItem`] and its words only when needed (a flood of old items holds a few words
/// per item, not its row and texts).
#[derive(Debug, Clone)]
struct Candidate<'m> {
    level: Level,
    /// When the item is/was due (orders alerts of one level).
    when: DateTime<Utc>,
    stale: bool,
    of: Of<'m>,
}

/// What a candidate is about.
#[derive(Debug, Clone)]
enum Of<'m> {
    /// A deadline and its place among the deadlines.
    Deadline(&'m Deadline, usize),
    /// A follow-up, its bucket and due instant (the board's placing).
    Followup(&'m Followup, followups::Bucket, Option<DateTime<Utc>>),
    /// Made and worded already (the running timer: one at most).
    Worded(Box<(AlertItem, Worded)>),
}

/// An item's key (`id:…`, `text:…`) without making the string: it orders as the string does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KeyRef<'a>(&'static str, &'a str);

impl KeyRef<'_> {
    fn of<'a>(id: Option<&'a str>, text: &'a str) -> KeyRef<'a> {
        match id {
            Some(id) => KeyRef("id:", id),
            None => KeyRef("text:", text),
        }
    }

    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.bytes().chain(self.1.bytes())
    }
}

impl PartialOrd for KeyRef<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for KeyRef<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl Candidate<'_> {
    fn key(&self) -> KeyRef<'_> {
        match &self.of {
            Of::Deadline(d, _) => KeyRef::of(d.id.as_deref(), &d.origin.text),
            Of::Followup(f, ..) => KeyRef::of(f.id.as_deref(), &f.origin.text),
            Of::Worded(w) => KeyRef("", &w.0.key),
        }
    }

    /// The board's order among items alike in importance: a follow-up's bucket, due and line;
    /// a deadline's place in the file.
    fn tie(&self) -> (Option<followups::Bucket>, Option<DateTime<Utc>>, usize) {
        match &self.of {
            Of::Deadline(_, i) => (None, None, *i),
            Of::Followup(f, bucket, due_at) => (Some(*bucket), *due_at, f.origin.line),
            Of::Worded(_) => (None, None, 0),
        }
    }

    /// The item as recorded once sent.
    fn item(&self) -> AlertItem {
        let (file, fingerprint) = match &self.of {
            Of::Deadline(d, _) => (ItemFile::Deadlines, deadline_fingerprint(d)),
            Of::Followup(f, ..) => (ItemFile::Followups, followup_fingerprint(f)),
            Of::Worded(w) => return w.0.clone(),
        };
        let KeyRef(prefix, rest) = self.key();
        AlertItem {
            file,
            key: format!("{prefix}{rest}"),
            level: self.level,
            fingerprint,
        }
    }

    /// The item's own alert, with the text written for it.
    fn alert(&self, (summary, body): (String, String)) -> Alert {
        Alert {
            level: self.level,
            summary,
            body,
            urgency: self.level.urgency(),
            items: vec![self.item()],
        }
    }
}

/// An item's words: its own alert's summary and body, and its line in a summary ("Q3 market
/// survey report (Kanda Trading KK), due Mon 23 Nov").
#[derive(Debug, Clone)]
struct Worded {
    texts: (String, String),
    short: String,
}

/// A summary's items, folded as they come: counts per level, the first few lines, and every
/// item (to record).
#[derive(Debug, Default)]
struct Summary {
    counts: Vec<(Level, usize)>,
    lines: Vec<String>,
    critical: bool,
    items: Vec<AlertItem>,
}

impl Summary {
    /// The items listed by name.
    const LIST: usize = 5;

    fn with_capacity(n: usize) -> Summary {
        Summary {
            items: Vec::with_capacity(n),
            ..Summary::default()
        }
    }

    fn add(&mut self, c: &Candidate, word: &impl Fn(&Candidate) -> Worded) {
        let level = c.level;
        if self.lines.len() < Self::LIST {
            self.lines
                .push(format!("{}: {}", level.label(), word(c).short));
        }
        self.count(level, 1);
        self.critical |= level.urgency() == Urgency::Critical;
        self.items.push(c.item());
    }

    fn count(&mut self, level: Level, n: usize) {
        match self.counts.iter_mut().find(|(l, _)| *l == level) {
            Some((_, k)) => *k += n,
            None => self.counts.push((level, n)),
        }
    }

    /// `self`'s items, then `more`'s.
    fn append(&mut self, more: Summary) {
        let room = Self::LIST.saturating_sub(self.lines.len());
        self.lines.extend(more.lines.into_iter().take(room));
        for (l, n) in more.counts {
            self.count(l, n);
        }
        self.critical |= more.critical;
        self.items.extend(more.items);
    }

    /// One notification for all the items: "3 deadlines overdue, 2 follow-ups due". None
    /// without items.
    fn alert(self) -> Option<Alert> {
        if self.items.is_empty() {
            return None;
        }
        let count = |l: Level| {
            self.counts
                .iter()
                .find(|(x, _)| *x == l)
                .map_or(0, |(_, n)| *n)
        };
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
        let mut lines = self.lines;
        if self.items.len() > Self::LIST {
            lines.push(format!(
                "… and {} more; open tether to see them all",
                self.items.len() - Self::LIST
            ));
        }
        Some(Alert {
            level: Level::Summary,
            summary: parts.join(", "),
            body: lines.join("\n"),
            urgency: if self.critical {
                Urgency::Critical
            } else {
                Urgency::Normal
            },
            items: self.items,
        })
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

/// When a follow-up alerting at `level` is/was due: a reminder when its snooze ended; else
/// when its due arrived, or its snooze ended if later (back from a snooze, an item's alert is
/// as fresh as the snooze's end).
fn followup_when(f: &Followup, level: Level, me: &Me) -> Option<DateTime<Utc>> {
    if level == Level::Reminder {
        f.snoozed_until
    } else {
        Some(arrival(f, me)?.max(f.snoozed_until.unwrap_or(DateTime::<Utc>::MIN_UTC)))
    }
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
fn timer_candidate<'m>(
    model: &'m Model,
    index: &SentIndex,
    now: DateTime<Utc>,
) -> Option<Candidate<'m>> {
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
    Some(Candidate {
        level: Level::TimerRunning,
        when: cap,
        stale: now - cap > Duration::hours(STALE_AFTER_HOURS),
        of: Of::Worded(Box::new((
            item,
            Worded {
                texts: text::timer_running(me, start, cap, title, now),
                short: text::timer_running_short(me, start, title, now),
            },
        ))),
    })
}
