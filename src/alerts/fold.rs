//! The flood guard as a fold: records are offered one at a time (from a model, or as the loader
//! parses them: `tether notify` on millions of overdue follow-ups), each that deserves an alert
//! becomes a [`Candidate`], and only the most important few are kept whole; every other is
//! counted and kept as its 8-byte [`item_digest`] (issue 13). [`Fold::finish`] gives the
//! alerts of the pass, the same whichever order the records came in (the order is total).

use super::digest::item_digest;
use super::rules::{
    Alert, AlertItem, Alerting, ItemFile, Level, MAX_PER_PASS, STALE_AFTER_HOURS, Urgency,
    can_alert, deadline_can_alert, deadline_fingerprint, deadline_level, followup_fingerprint,
    followup_level, followup_when,
};
use super::sent_index::SentIndex;
use super::text;
use crate::domain::board::{
    DeadlineRow, FollowupRow, FollowupRows, followup_key, record_key, section_of,
};
use crate::domain::capacity::{LATEST_START_LOOKBACK_DAYS, MAX_SPAN_DAYS, WorkCalendar};
use crate::domain::followups;
use crate::domain::held::{Held, Rec};
use crate::domain::model::{Config, Deadline, Followup, Model};
use crate::domain::risk::{assess_with, risk_with};
use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;
use std::collections::BinaryHeap;

/// How many items of each kind (old news, fresh) a summary names, in its text's order; past
/// these it records the others by digest. Large enough that an ordinary summary (a week away:
/// dozens of items) is recorded wholly by name, as before digests.
pub const NAMED: usize = 1000;

/// One item that deserves an alert, before the flood guard: what orders it, its digest, and
/// its record, to make its [`AlertItem`] and its words only when needed.
#[derive(Debug, Clone)]
pub(super) struct Candidate<'m> {
    level: Level,
    /// When the item is/was due (orders alerts of one level).
    when: DateTime<Utc>,
    stale: bool,
    digest: u64,
    of: Of<'m>,
}

/// What a candidate is about.
#[derive(Debug, Clone)]
pub(super) enum Of<'m> {
    /// A deadline (borrowed from a model, or kept from a load that keeps no other) and its
    /// place among the deadlines.
    Deadline(Cow<'m, Deadline>, usize),
    /// A follow-up (borrowed from a model, or kept from a load that keeps no other), its bucket
    /// and due instant (the board's placing).
    Followup(Cow<'m, Followup>, followups::Bucket, Option<DateTime<Utc>>),
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
        // Alike prefixes (nearly always): the rest compared as slices, not byte by byte.
        if self.0 == other.0 {
            self.1.cmp(other.1)
        } else {
            self.bytes().cmp(other.bytes())
        }
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
            digests: Vec::new(),
        }
    }
}

fn by_importance(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    (a.level.order(), a.when, a.key(), a.tie()).cmp(&(b.level.order(), b.when, b.key(), b.tie()))
}

/// A candidate in a heap whose top is the least important.
struct Ranked<'m>(Candidate<'m>);

impl PartialEq for Ranked<'_> {
    fn eq(&self, other: &Self) -> bool {
        by_importance(&self.0, &other.0).is_eq()
    }
}

impl Eq for Ranked<'_> {}

impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        by_importance(&self.0, &other.0)
    }
}

/// An item's words: its own alert's summary and body, and its line in a summary ("Q3 market
/// survey report (Kanda Trading KK), due Mon 23 Nov").
#[derive(Debug, Clone)]
pub(super) struct Worded {
    pub(super) texts: (String, String),
    pub(super) short: String,
}

/// The candidates of one kind (old news, or fresh): the `named` most important kept whole,
/// every other as its digest, and how many there are of each level.
struct Group<'m> {
    best: BinaryHeap<Ranked<'m>>,
    digests: Vec<u64>,
    counts: Vec<(Level, usize)>,
    len: usize,
}

impl<'m> Group<'m> {
    fn new() -> Group<'m> {
        Group {
            best: BinaryHeap::new(),
            digests: Vec::new(),
            counts: Vec::new(),
            len: 0,
        }
    }

    /// Whether `c` would be kept whole among `named` (so worth owning).
    fn takes(&self, c: &Candidate, named: usize) -> bool {
        self.best.len() < named
            || self
                .best
                .peek()
                .is_some_and(|top| by_importance(c, &top.0).is_lt())
    }

    /// Count `c` of `level`, keeping it whole (`Some`) or as its digest.
    fn add(&mut self, level: Level, digest: u64, whole: Option<Candidate<'m>>, named: usize) {
        self.len += 1;
        count(&mut self.counts, level, 1);
        let Some(c) = whole else {
            self.digests.push(digest);
            return;
        };
        self.best.push(Ranked(c));
        if self.best.len() > named
            && let Some(out) = self.best.pop()
        {
            self.digests.push(out.0.digest);
        }
    }
}

fn count(counts: &mut Vec<(Level, usize)>, level: Level, n: usize) {
    match counts.iter_mut().find(|(l, _)| *l == level) {
        Some((_, k)) => *k += n,
        None => counts.push((level, n)),
    }
}

/// The alerts of one pass, folded as records are offered (see the module's comment).
pub(super) struct Fold<'c, 'm> {
    config: &'c Config,
    index: &'c SentIndex<'c>,
    real: Alerting<'c>,
    placing: followups::Placing,
    now: DateTime<Utc>,
    named: usize,
    /// Your working time around `now` ([`ahead_of`]).
    calendar: WorkCalendar<'c>,
    /// Deadlines offered so far: the next one's place.
    deadlines_seen: usize,
    fresh: Group<'m>,
    stale: Group<'m>,
}

impl<'c, 'm> Fold<'c, 'm> {
    pub(super) fn new(
        config: &'c Config,
        index: &'c SentIndex<'c>,
        now: DateTime<Utc>,
        named: usize,
    ) -> Fold<'c, 'm> {
        Fold {
            config,
            index,
            real: Alerting::new(config),
            placing: followups::Placing::new(&config.me, now),
            now,
            // The singles and the summary's listed lines are worded from the items kept
            // whole, so at least that many are, whatever `named` a caller asks for.
            named: named.max(MAX_PER_PASS + Summary::LIST),
            calendar: ahead_of(&config.me, now),
            deadlines_seen: 0,
            fresh: Group::new(),
            stale: Group::new(),
        }
    }

    /// Count `c`, kept whole if it is among the most important so far.
    fn keep(&mut self, c: Candidate<'m>) {
        let named = self.named;
        let group = if c.stale {
            &mut self.stale
        } else {
            &mut self.fresh
        };
        let (level, digest) = (c.level, c.digest);
        let whole = group.takes(&c, named).then_some(c);
        group.add(level, digest, whole, named);
    }

    /// Count `probe`, a candidate whose record is borrowed for a moment; if it is among the
    /// most important so far it is kept whole, its record made the fold's by `of` (a borrow of
    /// a model's, or a copy of one the loader is about to drop).
    fn offer<'r>(&mut self, probe: Candidate<'r>, of: impl FnOnce() -> Of<'m>)
    where
        'm: 'r,
    {
        let named = self.named;
        let group = if probe.stale {
            &mut self.stale
        } else {
            &mut self.fresh
        };
        let Candidate {
            level,
            when,
            stale,
            digest,
            ..
        } = probe;
        let whole = group.takes(&probe, named).then(|| Candidate {
            level,
            when,
            stale,
            digest,
            of: of(),
        });
        group.add(level, digest, whole, named);
    }

    /// Every deadline of the model.
    pub(super) fn deadlines(&mut self, deadlines: &'m Held<Deadline>) {
        for d in deadlines {
            match d {
                Rec::Borrowed(d) => self.deadline(d, Cow::Borrowed),
                Rec::Owned(d) => self.deadline(&d, |d| Cow::Owned(d.clone())),
            }
        }
    }

    /// Every follow-up of the model.
    pub(super) fn followups(&mut self, followups: &'m Held<Followup>) {
        for f in followups {
            match f {
                Rec::Borrowed(f) => self.followup(f, Cow::Borrowed),
                Rec::Owned(f) => self.followup(&f, |f| Cow::Owned(f.clone())),
            }
        }
    }

    /// The calendar the deadlines are assessed on.
    pub(super) fn calendar(&self) -> &WorkCalendar<'c> {
        &self.calendar
    }

    /// One deadline (every one of the file, closed ones too: its place is counted); `own`
    /// makes it the fold's when it is kept whole.
    pub(super) fn deadline<'r>(
        &mut self,
        d: &'r Deadline,
        own: impl FnOnce(&'r Deadline) -> Cow<'m, Deadline>,
    ) where
        'm: 'r,
    {
        let place = self.deadlines_seen;
        self.deadlines_seen += 1;
        if !deadline_can_alert(d) || !self.real.about(&d.client) {
            return;
        }
        let (config, now) = (self.config, self.now);
        // The level needs the risk alone (no latest start: that is for the words).
        let risk = risk_with(&self.calendar, d.due, d.remaining(now), &config.alerts, now);
        let Some(level) = deadline_level(risk) else {
            return;
        };
        let (key, fingerprint) = (
            record_key(d.id.as_deref(), &d.origin.text),
            deadline_fingerprint(d),
        );
        if self
            .index
            .suppressed_by(ItemFile::Deadlines, &key, level, &fingerprint)
        {
            return;
        }
        let stale = level == Level::Overdue && now - d.due > Duration::hours(STALE_AFTER_HOURS);
        let digest = item_digest(ItemFile::Deadlines, &key, level, &fingerprint);
        let probe = Candidate {
            level,
            when: d.due,
            stale,
            digest,
            of: Of::Deadline(Cow::Borrowed(d), place),
        };
        self.offer(probe, || Of::Deadline(own(d), place));
    }

    /// One follow-up; `own` makes it the fold's when it is kept whole (a borrow of a model's,
    /// or a copy of one the loader is about to drop).
    pub(super) fn followup<'r>(
        &mut self,
        f: &'r Followup,
        own: impl FnOnce(&'r Followup) -> Cow<'m, Followup>,
    ) where
        'm: 'r,
    {
        if !can_alert(f) {
            return;
        }
        let followups::Place::Open { bucket, due_at, .. } = self.placing.place(f) else {
            return;
        };
        if !self.real.about(&f.client) {
            return;
        }
        let (me, now) = (&self.config.me, self.now);
        let section = section_of(bucket, f.waiting);
        let Some(level) = followup_level(f, section, me, now) else {
            return;
        };
        let (key, fingerprint) = (followup_key(f), followup_fingerprint(f));
        if self
            .index
            .suppressed_by(ItemFile::Followups, &key, level, &fingerprint)
        {
            return;
        }
        let Some(when) = followup_when(f, level, me) else {
            return;
        };
        let stale = now - when > Duration::hours(STALE_AFTER_HOURS);
        let digest = item_digest(ItemFile::Followups, &key, level, &fingerprint);
        let probe = Candidate {
            level,
            when,
            stale,
            digest,
            of: Of::Followup(Cow::Borrowed(f), bucket, due_at),
        };
        self.offer(probe, || Of::Followup(own(f), bucket, due_at));
    }

    /// The running timer once past its cap (the end of the working day it started in): one
    /// alert per timer, keyed by its start, so a timer left running over a night says so once,
    /// when your day ends, and is never counted on silently (docs/decisions.md, "The timer").
    pub(super) fn timer(&mut self, model: &Model) {
        let (me, now) = (&self.config.me, self.now);
        let Some(e) = crate::domain::timelog::running(&model.timelog) else {
            return;
        };
        let Some(start) = e.running_since() else {
            return;
        };
        let cap = crate::domain::timelog::cap(me, start);
        if now <= cap {
            return;
        }
        let key = format!("start:{}", start.to_rfc3339());
        let fingerprint = key.clone();
        let level = Level::TimerRunning;
        if self
            .index
            .suppressed_by(ItemFile::Timelog, &key, level, &fingerprint)
        {
            return;
        }
        let title = crate::domain::timelog::target_title(model, e);
        let worded = Worded {
            texts: text::timer_running(me, start, cap, &title, now),
            short: text::timer_running_short(me, start, &title, now),
        };
        let digest = item_digest(ItemFile::Timelog, &key, level, &fingerprint);
        let item = AlertItem {
            file: ItemFile::Timelog,
            key,
            level,
            fingerprint,
        };
        self.keep(Candidate {
            level,
            when: cap,
            stale: now - cap > Duration::hours(STALE_AFTER_HOURS),
            digest,
            of: Of::Worded(Box::new((item, worded))),
        });
    }

    /// The alerts: at most [`MAX_PER_PASS`], the most important on their own, the rest in one
    /// summary (old news folded when there are two or more).
    pub(super) fn finish(self) -> Vec<Alert> {
        let Fold {
            config,
            now,
            calendar,
            mut fresh,
            mut stale,
            named,
            ..
        } = self;
        let me = &config.me;
        let rows = FollowupRows::new(config, now);
        let word = |c: &Candidate| -> Worded {
            match &c.of {
                Of::Deadline(d, _) => {
                    let risk = assess_with(&calendar, d, &config.alerts, now);
                    let row = DeadlineRow::new(config, DeadlineRow::BESIDE, d, risk);
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
        let folding = stale.len >= 2;
        if !folding {
            for Ranked(c) in std::mem::take(&mut stale.best) {
                fresh.add(c.level, c.digest, Some(c), named);
            }
        }
        // At most MAX_PER_PASS notifications; a summary takes one of them and everything else.
        let singles = if folding || fresh.len > MAX_PER_PASS {
            MAX_PER_PASS - 1
        } else {
            MAX_PER_PASS
        };
        let mut best = fresh.best.into_sorted_vec();
        let rest = best.split_off(singles.min(best.len()));
        let mut alerts: Vec<Alert> = best.iter().map(|c| c.0.alert(word(&c.0).texts)).collect();
        let mut rest_counts = fresh.counts;
        for c in &best {
            if let Some((_, k)) = rest_counts.iter_mut().find(|(l, _)| *l == c.0.level) {
                *k -= 1;
            }
        }
        // The summary lists the old items first, then the fresh ones past the singles.
        let mut summary = Summary::default();
        if folding {
            summary.take(
                stale.best.into_sorted_vec(),
                stale.counts,
                stale.digests,
                &word,
            );
        }
        summary.take(rest, rest_counts, fresh.digests, &word);
        if let Some(s) = summary.alert() {
            alerts.push(s);
        }
        alerts
    }
}

/// A summary's items: counts per level, the first few lines, the items named and the others'
/// digests (to record).
#[derive(Debug, Default)]
struct Summary {
    counts: Vec<(Level, usize)>,
    lines: Vec<String>,
    items: Vec<AlertItem>,
    digests: Vec<u64>,
}

impl Summary {
    /// The items listed by name in the notification.
    const LIST: usize = 5;

    /// One group's items after those already taken: `named` in order, then the digests of the
    /// others.
    fn take(
        &mut self,
        named: Vec<Ranked>,
        counts: Vec<(Level, usize)>,
        mut digests: Vec<u64>,
        word: &impl Fn(&Candidate) -> Worded,
    ) {
        for Ranked(c) in named {
            if self.lines.len() < Self::LIST {
                self.lines
                    .push(format!("{}: {}", c.level.label(), word(&c).short));
            }
            self.items.push(c.item());
        }
        for (l, n) in counts {
            count(&mut self.counts, l, n);
        }
        // Recorded in one order whatever order the records came in, each once (lines alike in
        // key and fingerprint are one item to the record).
        digests.sort_unstable();
        digests.dedup();
        self.digests.append(&mut digests);
    }

    /// One notification for all the items: "3 deadlines overdue, 2 follow-ups due". None
    /// without items.
    fn alert(self) -> Option<Alert> {
        // Every item counted, though alike ones share a digest.
        let total: usize = self.counts.iter().map(|(_, n)| n).sum();
        if total == 0 {
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
        let critical = self
            .counts
            .iter()
            .any(|(l, n)| *n > 0 && l.urgency() == Urgency::Critical);
        let mut lines = self.lines;
        if total > Self::LIST {
            lines.push(format!(
                "… and {} more; open tether to see them all",
                total - Self::LIST
            ));
        }
        Some(Alert {
            level: Level::Summary,
            summary: parts.join(", "),
            body: lines.join("\n"),
            urgency: if critical {
                Urgency::Critical
            } else {
                Urgency::Normal
            },
            items: self.items,
            digests: self.digests,
        })
    }
}

/// Your working time from `now`'s look-back to the 20 years any capacity from `now` reads:
/// every deadline's risk, and every future due's latest start, without a walk over the days
/// (dues decades apart, as a hostile file may hold, cost a lookup each). Its answers do not
/// depend on its span (`WorkCalendar` walks the days outside it).
fn ahead_of(me: &crate::domain::model::Me, now: DateTime<Utc>) -> WorkCalendar<'_> {
    let from = now
        .checked_sub_signed(Duration::days(LATEST_START_LOOKBACK_DAYS))
        .unwrap_or(now);
    let to = now
        .checked_add_signed(Duration::days(MAX_SPAN_DAYS))
        .unwrap_or(now);
    WorkCalendar::new(me, from, to)
}
