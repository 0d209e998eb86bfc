//! The dashboard's 24h bar: your local day in cells, each marked with your hours, theirs and now.

use crate::domain::model::{Client, Me};
use crate::domain::schedule::{Schedule, Shift, clamp, day_bounds};
use crate::domain::time::local_date;
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;

/// The strip never has more cells than this; a terminal is far narrower, and it keeps an absurd
/// request from allocating without bound.
pub const MAX_STRIP_CELLS: usize = 10_000;

/// One cell of the dashboard's 24h bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripCell {
    /// You work at the cell's midpoint.
    pub mine: bool,
    /// The client is open at the cell's midpoint.
    pub theirs: bool,
    /// The cell contains `now`.
    pub now: bool,
    /// The hour (0-23) of the cell's midpoint on the row zone's clock, for tick labels.
    pub their_hour: u32,
}

/// The dashboard's day bar: your local day today, from your local midnight to the next, divided
/// into `cells` equal cells (at most [`MAX_STRIP_CELLS`]), each sampled at its midpoint.
///
/// The strip spans your actual local day, so on the two daylight-saving days a year it covers 23
/// or 25 hours instead of 24; that keeps `now` inside the strip at every moment of the day.
/// `theirs` comes from `client`'s business hours (false for rows without a client); `zone` is the
/// row's zone, used only for `their_hour`. A midnight that does not exist (a gap at 00:00) starts
/// the day at the first instant that does.
pub fn day_strip(
    me: &Me,
    client: Option<&Client>,
    zone: Tz,
    now: DateTime<Utc>,
    cells: usize,
) -> Vec<StripCell> {
    let now = clamp(now);
    let n = cells.min(MAX_STRIP_CELLS);
    if n == 0 {
        return Vec::new();
    }
    let my_zone = me.zone_at(now);
    let today = local_date(my_zone, now);
    let (t0, t1) = day_bounds(my_zone, today);
    let span_ms = (t1 - t0).num_milliseconds().max(1);
    // The day's intervals once, rather than a shift search per cell.
    let mine: Vec<Shift> = Schedule::of_me(me).intervals(t0, t1).collect();
    let theirs: Vec<Shift> = client.map_or_else(Vec::new, |c| {
        Schedule::of_client(c).intervals(t0, t1).collect()
    });
    let within = |v: &[Shift], t: DateTime<Utc>| v.iter().any(|s| s.contains(t));
    let n64 = n as i64;
    let at = |num: i64, den: i64| t0 + Duration::milliseconds(span_ms * num / den);
    (0..n64)
        .map(|i| {
            let (start, end, mid) = (at(i, n64), at(i + 1, n64), at(2 * i + 1, 2 * n64));
            StripCell {
                mine: within(&mine, mid),
                theirs: within(&theirs, mid),
                now: start <= now && now < end,
                their_hour: mid.with_timezone(&zone).hour(),
            }
        })
        .collect()
}
