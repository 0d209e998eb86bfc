//! Daylight-saving changes worth announcing on a clock row: those that change the gap between
//! your clock and theirs within the next fortnight.

use crate::domain::schedule::{add_days, clamp};
use crate::domain::time::{format_gap, offset_secs, zone_city};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// How far ahead a daylight-saving change is worth announcing.
pub const NOTICE_DAYS: i64 = 14;

/// A daylight-saving change that will alter the gap between you and a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DstNotice {
    /// The instant of the change.
    pub at: DateTime<Utc>,
    /// The zone whose clocks change (theirs when both change at that instant).
    pub whose: Tz,
    /// Their offset minus yours, in seconds, before and after.
    pub gap_before: i32,
    pub gap_after: i32,
}

impl DstNotice {
    /// `gap becomes +8h on Sun 29 Mar (London clocks change)`; the date is on the changing
    /// zone's own calendar, which is the date people there will talk about.
    pub fn describe(&self) -> String {
        format!(
            "gap becomes {} on {} ({} clocks change)",
            format_gap(self.gap_after),
            self.at.with_timezone(&self.whose).format("%a %-d %b"),
            zone_city(self.whose)
        )
    }
}

/// The first daylight-saving (or other offset) change in either zone within the next 14 days
/// that changes the gap between `mine` and `theirs`.
///
/// Changes that cancel out within a day are not announced: when both zones move by the same
/// amount at the same instant, or a few hours apart (New York and Chicago each at 02:00 local),
/// the gap is the same before and after, and a notice about a one-hour blip at night would only
/// confuse. `gap_after` is the gap a day after the change, once any such companion change has
/// happened too.
pub fn dst_notice(mine: Tz, theirs: Tz, now: DateTime<Utc>) -> Option<DstNotice> {
    dst_notice_within(mine, theirs, now, NOTICE_DAYS)
}

/// [`dst_notice`] looking `days` ahead instead of a fortnight (a client's page looks a year
/// ahead).
pub fn dst_notice_within(mine: Tz, theirs: Tz, now: DateTime<Utc>, days: i64) -> Option<DstNotice> {
    let now = clamp(now);
    if mine == theirs {
        return None;
    }
    let end = add_days(now, days);
    let mut changes: Vec<(DateTime<Utc>, Tz)> = transitions(theirs, now, end)
        .into_iter()
        .map(|t| (t, theirs))
        .chain(transitions(mine, now, end).into_iter().map(|t| (t, mine)))
        .collect();
    // Stable: at equal instants, theirs (listed first) is the one named.
    changes.sort_by_key(|(t, _)| *t);
    let gap = |t: DateTime<Utc>| offset_secs(theirs, t) - offset_secs(mine, t);
    let mut settled_until = now;
    for (at, whose) in changes {
        if at <= settled_until {
            continue;
        }
        let before = gap(at - Duration::seconds(1));
        if before == gap(at) {
            continue;
        }
        let later = at + Duration::days(1);
        let after = gap(later);
        if after == before {
            settled_until = later;
            continue;
        }
        return Some(DstNotice {
            at,
            whose,
            gap_before: before,
            gap_after: after,
        });
    }
    None
}

/// The first offset change of `tz` after `from` and within `days`, if any.
pub fn next_offset_change(tz: Tz, from: DateTime<Utc>, days: i64) -> Option<DateTime<Utc>> {
    let from = clamp(from);
    transitions(tz, from, add_days(from, days))
        .into_iter()
        .next()
}

/// Offset changes of `tz` in (from, to], to the second.
///
/// chrono-tz does not expose its transition table, so this samples the offset at daily steps and
/// bisects only the days whose ends differ: about 15 lookups for a quiet fortnight, plus 17 per
/// change. A zone that changes and changes back within one day is missed; no zone does that.
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let at = |s: i64| DateTime::<Utc>::from_timestamp(s, 0);
    let off = |s: i64| at(s).map(|t| offset_secs(tz, t));
    // Whole seconds: tz transitions fall on whole seconds, so bisection lands on them exactly.
    let (start, stop) = (from.timestamp(), to.timestamp());
    let mut out = Vec::new();
    let mut a = start;
    let mut off_a = off(a);
    // The bound only guards the loop.
    for _ in 0..=(stop - start) / 86_400 + 1 {
        if a >= stop {
            break;
        }
        let b = (a + 86_400).min(stop);
        let off_b = off(b);
        if off_b != off_a {
            // Invariant: off(lo) == off_a, off(hi) != off_a.
            let (mut lo, mut hi) = (a, b);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if off(mid) == off_a {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if let Some(t) = at(hi) {
                out.push(t);
            }
        }
        a = b;
        off_a = off_b;
    }
    out
}
