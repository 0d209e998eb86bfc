//! The follow-ups pane's rows: sections (what you owe by urgency, what you wait on, and with
//! `z` the snoozed and closed), each row's send window, and the instant the rows next change
//! section, so a new minute need not rebuild them.

use super::reuse::{Reuse, index_in};
use super::rows::{FollowupRow, Section};
use super::{BoardFilter, FoundClients};
use crate::domain::clocks::{SendWindow, send_window};
use crate::domain::followups::{Bucket, board};
use crate::domain::model::{Config, Followup, FollowupDue, Model, Status};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// What the follow-up rows need to follow the clock without being rebuilt.
#[derive(Debug, Clone)]
pub(super) struct FollowupClock {
    /// Rebuild the rows at or after this instant (a due passes, a snooze ends).
    pub(super) edge: Option<DateTime<Utc>>,
    /// Your zone and date when they were built (a new date moves rows between sections).
    pub(super) zone: Tz,
    pub(super) today: NaiveDate,
    /// Each row's client, by index in the config (for its send window).
    pub(super) row_clients: Vec<Option<usize>>,
    pub(super) hidden_snoozed: usize,
}

/// What a follow-up's row takes from the config (its client's name and zone, the client's send
/// window now), looked up once for many rows.
pub struct FollowupRows<'c> {
    config: &'c Config,
    index: foldhash::HashMap<&'c str, usize>,
    windows: Vec<SendWindow>,
}

impl<'c> FollowupRows<'c> {
    pub fn new(config: &'c Config, now: DateTime<Utc>) -> FollowupRows<'c> {
        let mut index: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        for (k, c) in config.clients.iter().enumerate() {
            index.entry(c.id.as_str()).or_insert(k);
        }
        FollowupRows {
            config,
            index,
            windows: config.clients.iter().map(|c| send_window(c, now)).collect(),
        }
    }

    /// The index in the config of the client with this id (the first, if repeated).
    fn client_ix(&self, id: Option<&str>) -> Option<usize> {
        id.and_then(|i| self.index.get(i).copied())
    }

    /// The row of `f`, the model's follow-up number `record`, as the board makes it: in
    /// `section`, due at `due_at`, its client's name, zone and send window filled in.
    pub fn row(
        &self,
        record: u32,
        f: &Followup,
        section: Section,
        due_at: Option<DateTime<Utc>>,
        overdue: bool,
    ) -> FollowupRow {
        let k = self.client_ix(f.client.as_deref());
        self.row_of(k, record, f, section, due_at, overdue)
    }

    fn row_of(
        &self,
        k: Option<usize>,
        record: u32,
        f: &Followup,
        section: Section,
        due_at: Option<DateTime<Utc>>,
        overdue: bool,
    ) -> FollowupRow {
        let c = k.map(|k| &self.config.clients[k]);
        FollowupRow {
            record,
            line: f.origin.line,
            key: super::rows::record_key_hash(f.id.as_deref(), &f.origin.text),
            section,
            due_at,
            overdue,
            client_name: c.map(|c| c.name.clone()),
            client_zone: c.map(|c| c.zone),
            unknown_zone: c.and_then(|c| c.unknown_zone.clone()),
            send: k.map(|k| self.windows[k]),
        }
    }
}

/// The follow-up rows at `now`, and what they need to follow the clock; `old` rows (by record
/// index, for the same records or more appended) are moved over with their place set anew,
/// rather than made again (a row's key hash and client's name are what making one costs).
pub(super) fn followup_rows(
    model: &Model,
    filter: &BoardFilter,
    found: &FoundClients,
    now: DateTime<Utc>,
    mut old: Option<Reuse<FollowupRow>>,
) -> (Vec<FollowupRow>, FollowupClock) {
    let config = &model.config;
    let maker = FollowupRows::new(config, now);
    let client_ix = |id: Option<&str>| maker.client_ix(id);
    let fb = board(&model.followups, &config.me, now);
    let mut followups = Vec::new();
    let mut row_clients = Vec::new();
    let mut row = |f: &Followup, section: Section, due_at: Option<DateTime<Utc>>, overdue: bool| {
        let k = client_ix(f.client.as_deref());
        let i = index_in(&model.followups, f);
        row_clients.push(k);
        if let Some(mut r) = old.as_mut().and_then(|o| o.take(i)) {
            r.section = section;
            r.due_at = due_at;
            r.overdue = overdue;
            r.send = k.map(|k| maker.windows[k]);
            followups.push(r);
            return;
        }
        followups.push(maker.row_of(k, i as u32, f, section, due_at, overdue));
    };
    let keep = |f: &Followup| {
        filter.text.is_empty()
            || found.has(f.client.as_deref())
            || filter.matches(&[Some(&f.what), f.who.as_deref(), f.client.as_deref()])
    };
    for r in fb.owe.iter().filter(|r| keep(r.f)) {
        let section = match r.bucket {
            Bucket::Overdue => Section::Overdue,
            Bucket::Today => Section::Today,
            Bucket::Upcoming => Section::Upcoming,
            Bucket::Undated => Section::Undated,
        };
        row(r.f, section, r.due_at, r.bucket == Bucket::Overdue);
    }
    for r in fb.waiting.iter().filter(|r| keep(r.f)) {
        row(r.f, Section::Waiting, r.due_at, r.bucket == Bucket::Overdue);
    }
    if filter.show_closed {
        for f in fb.snoozed.iter().filter(|f| keep(f)) {
            row(f, Section::Snoozed, None, false);
        }
        for f in fb.closed.iter().filter(|f| keep(f)) {
            row(f, Section::Closed, None, false);
        }
    }
    // The next instant any open follow-up changes section: a timed due passing (it is overdue
    // once now is past it), a snooze ending (from its instant on).
    let tick = chrono::Duration::nanoseconds(1);
    let edge = model
        .followups
        .iter()
        .filter(|f| f.status == Status::Open)
        .flat_map(|f| {
            let due = match f.due {
                Some(FollowupDue::At(t)) if t >= now => t.checked_add_signed(tick),
                _ => None,
            };
            let snooze = f.snoozed_until.filter(|s| *s > now);
            [due, snooze]
        })
        .flatten()
        .min();
    let zone = config.me.zone_at(now);
    let clock = FollowupClock {
        edge,
        zone,
        today: now.with_timezone(&zone).date_naive(),
        row_clients,
        hidden_snoozed: fb.snoozed.len(),
    };
    (followups, clock)
}
