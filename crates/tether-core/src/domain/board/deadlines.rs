//! The deadlines pane's rows: which deadlines show, their risk at `now` from one working-time
//! calendar, and their order (open first, then by due, then by title).

use super::reuse::Reuse;
use super::rows::{DeadlineRow, DeadlineSlot, clients_by_id, record_key_hash};
use super::{BoardFilter, FoundClients};
use crate::domain::capacity::{LATEST_START_LOOKBACK_DAYS, WorkCalendar};
use crate::domain::model::{Client, Config, Deadline, Me, Model, Status};
use crate::domain::risk::{assess_with, risk_with};
use chrono::{DateTime, Utc};

/// The working-time calendar for assessing deadlines due at `dues` at `now`: from the earliest
/// due's latest-start look-back to the latest due. When that is longer than a calendar holds
/// (dues decades apart: a typo, a hostile file), the part every capacity from `now` reads is
/// kept, `now`'s look-back to `MAX_SPAN_DAYS` past it, so the minute tick never walks the
/// days; a due outside still gets the exact answer, by the day walk.
pub fn calendar_for(
    me: &Me,
    dues: impl Iterator<Item = DateTime<Utc>> + Clone,
    now: DateTime<Utc>,
) -> WorkCalendar<'_> {
    let first = dues.clone().min().unwrap_or(now).min(now);
    let last = dues.max().unwrap_or(now).max(now);
    let look_back = chrono::Duration::days(LATEST_START_LOOKBACK_DAYS);
    let back = |t: DateTime<Utc>| t.checked_sub_signed(look_back).unwrap_or(t);
    let mut from = back(first);
    if last - from > chrono::Duration::days(WorkCalendar::MAX_DAYS) {
        from = from.max(back(now));
    }
    WorkCalendar::new(me, from, last)
}

/// What a deadline's row takes besides the record: its client's name and the one working-time
/// calendar its risk is assessed on, made once for many rows.
pub struct DeadlineRows<'c> {
    config: &'c Config,
    clients: foldhash::HashMap<&'c str, &'c Client>,
    calendar: WorkCalendar<'c>,
    now: DateTime<Utc>,
}

impl<'c> DeadlineRows<'c> {
    /// For deadlines due at `dues` (only their earliest and latest matter: `calendar_for`).
    pub fn new(
        config: &'c Config,
        dues: impl Iterator<Item = DateTime<Utc>> + Clone,
        now: DateTime<Utc>,
    ) -> DeadlineRows<'c> {
        DeadlineRows {
            config,
            clients: clients_by_id(config),
            calendar: calendar_for(&config.me, dues, now),
            now,
        }
    }

    /// The row of `d`, the model's deadline number `record`, as the board makes it: its risk
    /// at now, its client's name.
    pub fn row(&self, record: u32, d: &Deadline) -> DeadlineRow {
        let c = d
            .client
            .as_deref()
            .and_then(|i| self.clients.get(i).copied());
        DeadlineRow {
            record,
            line: d.origin.line,
            key: record_key_hash(d.id.as_deref(), &d.origin.text),
            risk: assess_with(&self.calendar, d, &self.config.alerts, self.now),
            client_name: c.map(|c| c.name.clone()),
            unknown_zone: c.and_then(|c| c.unknown_zone.clone()),
        }
    }
}

pub(super) fn deadline_rows(
    model: &Model,
    filter: &BoardFilter,
    found: &FoundClients,
    now: DateTime<Utc>,
) -> Vec<DeadlineSlot> {
    deadline_rows_reusing(model, filter, found, now, None)
}

/// The deadlines' places on the board; `old` slots (by record index) are moved over, their
/// risk brought to `now` rather than assessed again (the latest start is what assessing costs).
pub(super) fn deadline_rows_reusing(
    model: &Model,
    filter: &BoardFilter,
    found: &FoundClients,
    now: DateTime<Utc>,
    mut old: Option<Reuse<DeadlineSlot>>,
) -> Vec<DeadlineSlot> {
    let config = &model.config;
    // The filter once (it matches text), as indices: the calendar needs every due first.
    let mut shown: Vec<u32> = model
        .deadlines
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.status == Status::Open || (filter.show_closed && d.status == Status::Done)
        })
        .filter(|(_, d)| {
            filter.text.is_empty()
                || found.has(d.client.as_deref())
                || filter.matches(&[Some(&d.title), d.client.as_deref()])
        })
        .map(|(i, _)| i as u32)
        .collect();
    // The sort below asks for each record again and again.
    let at = model.deadlines.by_index();
    let record = |i: u32| at(i as usize);
    // One working-time calendar over every due date (and the latest-start look-back before
    // the earliest), instead of a walk over the days for each deadline.
    let calendar = calendar_for(
        &config.me,
        shown.iter().filter_map(|&i| record(i)).map(|d| d.due),
        now,
    );
    // Open first, then by due, then by title, then by line (lines are distinct, so this is
    // one order). Held as lines, the records are put in order before their slots are made,
    // each read once for its key (not twice a comparison), and the keys are gone before the
    // slots are made: the two are never held together.
    let lines = model.deadlines.is_lines();
    if lines {
        shown.sort_by_cached_key(|&i| {
            record(i).map(|d| {
                (
                    d.status != Status::Open,
                    d.due,
                    d.title.clone(),
                    d.origin.line,
                )
            })
        });
    }
    let mut slots: Vec<DeadlineSlot> = Vec::with_capacity(shown.len());
    for i in shown {
        let (Some(d), i) = (record(i), i as usize) else {
            continue;
        };
        let slot = match old.as_mut().and_then(|o| o.take(i)) {
            Some(s) => retimed(&calendar, s, &d, config, now),
            None => DeadlineSlot::new(i, &d, &assess_with(&calendar, &d, &config.alerts, now)),
        };
        slots.push(slot);
    }
    drop(old);
    if lines {
        return slots;
    }
    // Typed, the slots are sorted in place: no buffer of half of them (a stable sort's).
    slots.sort_unstable_by(|a, b| match (record(a.record), record(b.record)) {
        (Some(da), Some(db)) => (da.status != Status::Open, da.due, &da.title, a.line()).cmp(&(
            db.status != Status::Open,
            db.due,
            &db.title,
            b.line(),
        )),
        _ => a.line().cmp(&b.line()),
    });
    slots
}

/// `slot`'s risk at `now`: the level from the capacity now; the latest start as it was,
/// unless a timer runs on the deadline (its remaining work then grows less with `now`).
fn retimed(
    calendar: &WorkCalendar,
    mut slot: DeadlineSlot,
    d: &Deadline,
    config: &Config,
    now: DateTime<Utc>,
) -> DeadlineSlot {
    if d.logged.running.is_some() {
        let view = assess_with(calendar, d, &config.alerts, now);
        slot.latest_start = view.latest_start;
        slot.risk = view.risk;
    } else {
        slot.risk = risk_with(calendar, d.due, d.remaining(now), &config.alerts, now);
    }
    slot
}

/// The deadline slots at a new `now`: the same slots (which and their order do not depend on
/// the time), their risk brought up to date.
pub(super) fn retime_deadlines(slots: &mut [DeadlineSlot], model: &Model, now: DateTime<Utc>) {
    let config = &model.config;
    let at = model.deadlines.by_index();
    let record = |s: &DeadlineSlot| at(s.record as usize);
    let calendar = calendar_for(
        &config.me,
        slots.iter().filter_map(record).map(|d| d.due),
        now,
    );
    for s in slots {
        if let Some(d) = record(s) {
            *s = retimed(&calendar, *s, &d, config, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::capacity::MAX_SPAN_DAYS;
    use crate::domain::testkit::{me, utc};
    use chrono::Duration;

    /// Dues decades apart (a typo, a hostile file): the calendar still holds every capacity
    /// from now (20 years ahead), so the board's minute tick looks them up instead of walking
    /// the days of each (1000 deadlines 20 years out took `agenda` 1.4 s, and each minute tick
    /// as long).
    #[test]
    fn dues_decades_apart_keep_the_years_ahead_of_now_in_the_calendar() {
        let m = me(chrono_tz::Australia::Brisbane, "09:00-17:00");
        let now = utc(2026, 11, 25, 0, 0);
        let dues = [utc(2019, 3, 1, 0, 0), utc(2046, 6, 10, 0, 0)];
        let (from, to) = calendar_for(&m, dues.iter().copied(), now).span();
        assert!(
            from <= now - Duration::days(LATEST_START_LOOKBACK_DAYS),
            "{from}"
        );
        // To the latest due (within the 20 years any capacity from now reads).
        assert_eq!(to, dues[1]);
        assert!(dues[1] - now < Duration::days(MAX_SPAN_DAYS));
        // Dues within a calendar's span: from the earliest's look-back to the latest, as before.
        let near = [utc(2025, 3, 1, 0, 0), utc(2027, 6, 10, 0, 0)];
        let (from, to) = calendar_for(&m, near.iter().copied(), now).span();
        assert_eq!(from, near[0] - Duration::days(LATEST_START_LOOKBACK_DAYS));
        assert_eq!(to, near[1]);
    }
}
