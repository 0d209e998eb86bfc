//! The follow-ups pane's rows: sections (what you owe by urgency, what you wait on, and with
//! `z` the snoozed and closed), each row's send window, and the instant the rows next change
//! section, so a new minute need not rebuild them.

use super::rows::{FollowupRow, FollowupSlot, Section};
use super::{BoardFilter, FoundClients};
use crate::domain::clocks::{SendWindow, send_window};
use crate::domain::followups::{Place, Placing};
use crate::domain::held::Rec;
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
    ) -> FollowupRow<'c> {
        let key = super::rows::record_key_hash(f.id.as_deref(), &f.origin.text);
        self.made(record, key, f, (section, due_at, overdue))
    }

    fn made(
        &self,
        record: u32,
        key: u64,
        f: &Followup,
        (section, due_at, overdue): (Section, Option<DateTime<Utc>>, bool),
    ) -> FollowupRow<'c> {
        let k = self.client_ix(f.client.as_deref());
        let c = k.map(|k| &self.config.clients[k]);
        FollowupRow {
            record,
            line: f.origin.line,
            key,
            section,
            due_at,
            overdue,
            client_name: c.map(|c| c.name.as_str()),
            client_zone: c.map(|c| c.zone),
            unknown_zone: c.and_then(|c| c.unknown_zone.as_deref()),
            send: k.map(|k| self.windows[k]),
        }
    }

    /// The row of the board's `slot` in `model` (the model the board was made from); None
    /// when the slot is not of that model.
    pub fn row_of_slot<'m>(
        &self,
        model: &'m Model,
        slot: &FollowupSlot,
    ) -> Option<(FollowupRow<'c>, Rec<'m, Followup>)> {
        let f = slot.of(model)?;
        let place = (slot.section, slot.due_at(), slot.overdue());
        let row = self.made(slot.record, slot.key, &f, place);
        Some((row, f))
    }
}

/// The follow-ups' places on the board at `now` (in its order), and what they need to follow
/// the clock. A slot is made without touching the config, so the board is rebuilt rather
/// than patched.
pub(super) fn followup_rows(
    model: &Model,
    filter: &BoardFilter,
    found: &FoundClients,
    now: DateTime<Utc>,
) -> (Vec<FollowupSlot>, FollowupClock) {
    let config = &model.config;
    let placing = Placing::new(&config.me, now);
    let keep = |f: &Followup| {
        filter.text.is_empty()
            || found.has(f.client.as_deref())
            || filter.matches(&[Some(&f.what), f.who.as_deref(), f.client.as_deref()])
    };
    // At most one slot a record: no doubling on the way (a copy of half the slots), and the
    // rest given back below.
    let mut slots = Vec::with_capacity(model.followups.len());
    let mut hidden_snoozed = 0;
    // The next instant any open follow-up changes section: a timed due passing (it is overdue
    // once now is past it), a snooze ending (from its instant on). In the same pass: records
    // held as lines are read again once, not twice.
    let tick = chrono::Duration::nanoseconds(1);
    let mut edge: Option<DateTime<Utc>> = None;
    // A filter's keystroke at millions of lines held as lines: a line that cannot show (and
    // has no due or snooze for the edge and the count) is not read again.
    let needle = filter.text.to_lowercase();
    let maybe = |line: &str| found.line_may_show(filter, &needle, line);
    for (i, f) in model.followups.iter_maybe(maybe) {
        let f: &Followup = &f;
        if f.status == Status::Open {
            let due = match f.due {
                Some(FollowupDue::At(t)) if t >= now => t.checked_add_signed(tick),
                _ => None,
            };
            let snooze = f.snoozed_until.filter(|s| *s > now);
            for t in [due, snooze].into_iter().flatten() {
                edge = Some(edge.map_or(t, |e| e.min(t)));
            }
        }
        let slot = match placing.place(f) {
            Place::Open { bucket, due_at, .. } => FollowupSlot::open(i, f, bucket, due_at),
            Place::Snoozed => {
                hidden_snoozed += 1;
                if !filter.show_closed {
                    continue;
                }
                FollowupSlot::snoozed(i, f)
            }
            Place::Closed if filter.show_closed => FollowupSlot::closed(i, f),
            Place::Closed => continue,
        };
        if keep(f) {
            slots.push(slot);
        }
    }
    // Each slot's order is distinct (its line), so an unstable sort (in place, no buffer of
    // half the slots) gives the one order.
    slots.sort_unstable_by_key(FollowupSlot::order);
    slots.shrink_to_fit();
    let zone = config.me.zone_at(now);
    let clock = FollowupClock {
        edge,
        zone,
        today: now.with_timezone(&zone).date_naive(),
        hidden_snoozed,
    };
    (slots, clock)
}
