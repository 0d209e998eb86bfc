//! Quiet hours (`[alerts] quiet_hours`, in your zone, may wrap midnight): alerts found then wait
//! and go out, once, when quiet hours end. Pure.

use crate::domain::model::{AlertSettings, Me};
use crate::domain::schedule::Schedule;
use crate::domain::time::ClockRange;
use chrono::{DateTime, Utc};

/// The quiet period containing `now`, as instants `[start, end)`, in your zone at `now`. Quiet
/// hours are a timetable like working hours (every day, no holidays), so the [`Schedule`]'s
/// daylight-saving rules apply to them too.
fn quiet_period(
    range: &ClockRange,
    me: &Me,
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    Schedule::daily(me.zone_at(now), *range)
        .shift_at(now)
        .map(|s| (s.start, s.end))
}

/// Whether `now` falls inside quiet hours.
pub fn is_quiet(settings: &AlertSettings, me: &Me, now: DateTime<Utc>) -> bool {
    settings
        .quiet_hours
        .is_some_and(|r| r.minutes >= 1440 || quiet_period(&r, me, now).is_some())
}

/// When an alert found at `now` may be sent: `now` outside quiet hours, else the end of the
/// current quiet period. None when alerts are disabled or quiet hours cover the whole day.
pub fn next_send_time(
    settings: &AlertSettings,
    me: &Me,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if !settings.enabled {
        return None;
    }
    let Some(range) = settings.quiet_hours else {
        return Some(now);
    };
    if range.minutes >= 1440 {
        return None;
    }
    let mut t = now;
    // Periods on consecutive days never touch unless a zone change (travel, daylight saving)
    // joins them; a few steps settle that.
    for _ in 0..4 {
        match quiet_period(&range, me, t) {
            Some((_, end)) => t = end,
            None => return Some(t),
        }
    }
    Some(t)
}
