//! Where your working hours today meet a client's business hours.

use crate::domain::model::{Client, Me};
use crate::domain::schedule::{Schedule, clamp};
use crate::domain::time::local_date;
use chrono::{DateTime, Utc};

/// A stretch of time when both you and they work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Where your working hours today overlap the client's business hours, in time order.
///
/// "Today" is your local date at `now` in your zone (travel included), and only the shift that
/// starts today counts: a night shift that began yesterday belongs to yesterday. Touching pieces
/// of theirs are merged, so back-to-back shifts make one overlap.
pub fn overlap_today(me: &Me, client: &Client, now: DateTime<Utc>) -> Vec<Overlap> {
    let now = clamp(now);
    let mine = Schedule::of_me(me);
    let Some(shift) = mine.shift_on(local_date(mine.zone_at(now), now)) else {
        return Vec::new();
    };
    Schedule::of_client(client)
        .intervals(shift.start, shift.end)
        .map(|s| Overlap {
            start: s.start,
            end: s.end,
        })
        .collect()
}
