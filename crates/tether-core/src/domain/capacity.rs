//! Capacity: your working time between two instants, and the latest moment to start work so it
//! fits before a due. The hours themselves (days, holidays, travel, daylight saving) are the
//! [`Schedule`]'s; this module only sums and searches them.

use super::model::Me;
use super::schedule::{Schedule, Shift, add_days, clamp};
use chrono::{DateTime, Duration, Utc};

pub use super::schedule::MAX_SPAN_DAYS;
/// How far ahead `next_work_start` and the snooze targets look for a working day.
pub const LOOKAHEAD_DAYS: i64 = 366;
/// How far before a due instant `latest_start` looks for enough working time.
pub const LATEST_START_LOOKBACK_DAYS: i64 = 5 * 366;

/// Your working intervals clipped to `[from, to)`, sorted and merged (no overlaps). Empty if
/// `to <= from`; looks at most `MAX_SPAN_DAYS` past `from`.
pub fn work_intervals(
    me: &Me,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    Schedule::of_me(me)
        .intervals(from, to)
        .map(|s| (s.start, s.end))
        .collect()
}

/// Your working time in `[from, to)`; zero if `to <= from`. Ranges longer than `MAX_SPAN_DAYS`
/// count only their first `MAX_SPAN_DAYS`.
pub fn capacity(me: &Me, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
    Schedule::of_me(me).working_time(from, to)
}

/// The start of your next working hours strictly after `now` (for "snooze until my next working
/// day"). If there is none within `LOOKAHEAD_DAYS`, `now` + 1 day.
pub fn next_work_start(me: &Me, now: DateTime<Utc>) -> DateTime<Utc> {
    Schedule::of_me(me)
        .next_start_after(now, LOOKAHEAD_DAYS)
        .filter(|s| *s > now)
        .unwrap_or_else(|| add_days(now, 1))
}

/// Whether `now` falls inside your working hours.
pub fn is_working(me: &Me, now: DateTime<Utc>) -> bool {
    Schedule::of_me(me).is_open(now)
}

/// The latest instant `s <= due` with `capacity(s, due) >= remaining`: when you must start at the
/// latest to finish within your hours. `Some(due)` if nothing remains; None if the work does not
/// fit into the `LATEST_START_LOOKBACK_DAYS` before `due`.
pub fn latest_start(me: &Me, due: DateTime<Utc>, remaining: Duration) -> Option<DateTime<Utc>> {
    if remaining <= Duration::zero() {
        return Some(due);
    }
    // Below the clamped range the answer would be later than `due`; nobody works there anyway.
    if remaining > Duration::days(LATEST_START_LOOKBACK_DAYS) || clamp(due) > due {
        return None;
    }
    // Walk back in disjoint windows so a deadline next week does not compute five years of
    // intervals; disjoint half-open windows never count an hour twice.
    const WINDOW_DAYS: i64 = 61;
    let hours = Schedule::of_me(me);
    let mut acc = Duration::zero();
    let mut hi = clamp(due);
    let mut walked = 0;
    while walked < LATEST_START_LOOKBACK_DAYS {
        let step = WINDOW_DAYS.min(LATEST_START_LOOKBACK_DAYS - walked);
        let lo = add_days(hi, -step);
        for shift in hours.intervals(lo, hi).rev() {
            let need = remaining - acc;
            if shift.len() >= need {
                return Some(shift.end - need);
            }
            acc += shift.len();
        }
        if lo == hi {
            break;
        }
        hi = lo;
        walked += step;
    }
    None
}

/// Your working time over one range, computed once from your [`Schedule`]: its intervals in
/// `[from, to)` with the cumulative working time before each, so that `capacity` is two binary
/// searches and `latest_start` one, instead of a walk over every day in between. Answers are
/// identical to the free functions `capacity` and `latest_start` (which are used instead for any
/// query reaching outside the range).
#[derive(Debug, Clone)]
pub struct WorkCalendar<'a> {
    me: &'a Me,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    intervals: Vec<Shift>,
    /// `cum[i]`: working time in `intervals[..i]`; one longer than `intervals`.
    cum: Vec<Duration>,
}

impl<'a> WorkCalendar<'a> {
    /// The longest calendar: every capacity from an instant (which counts at most
    /// [`MAX_SPAN_DAYS`]) and the latest-start look-back before it.
    pub const MAX_DAYS: i64 = MAX_SPAN_DAYS + LATEST_START_LOOKBACK_DAYS;

    /// The calendar of `[from, to)`, at most [`WorkCalendar::MAX_DAYS`] long (cut there). For
    /// a board at `now`: see `board::calendar_for`.
    pub fn new(me: &'a Me, from: DateTime<Utc>, to: DateTime<Utc>) -> WorkCalendar<'a> {
        let from_s = clamp(from);
        let to_s = clamp(to).min(add_days(from_s, Self::MAX_DAYS)).max(from_s);
        // The schedule hands out at most MAX_SPAN_DAYS at a time; a shift across a cut is two
        // intervals, which sum and search as one.
        let schedule = Schedule::of_me(me);
        let mut intervals: Vec<Shift> = Vec::new();
        let mut at = from_s;
        while at < to_s {
            let next = add_days(at, MAX_SPAN_DAYS).min(to_s);
            intervals.extend(schedule.intervals(at, next));
            at = next;
        }
        let mut cum = Vec::with_capacity(intervals.len() + 1);
        let mut acc = Duration::zero();
        cum.push(acc);
        for shift in &intervals {
            acc += shift.len();
            cum.push(acc);
        }
        WorkCalendar {
            me,
            from: from_s,
            to: to_s,
            intervals,
            cum,
        }
    }

    /// The range it was made for, `[from, to)` (clamped as `new` clamps it).
    #[cfg(test)]
    pub(crate) fn span(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.from, self.to)
    }

    fn covers(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
        self.from <= a && b <= self.to
    }

    /// Working time in `[from, x)` for `x` within the calendar's range.
    fn before(&self, x: DateTime<Utc>) -> Duration {
        let k = self.intervals.partition_point(|s| s.start < x);
        let mut c = self.cum[k];
        if k > 0 {
            let e = self.intervals[k - 1].end;
            if e > x {
                c -= e - x;
            }
        }
        c
    }

    /// The same as `capacity(me, from, to)`.
    pub fn capacity(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        let a = clamp(from);
        let b = clamp(to).min(add_days(a, MAX_SPAN_DAYS));
        if b <= a {
            return Duration::zero();
        }
        if !self.covers(a, b) {
            return capacity(self.me, from, to);
        }
        self.before(b) - self.before(a)
    }

    /// The same as `latest_start(me, due, remaining)`.
    pub fn latest_start(&self, due: DateTime<Utc>, remaining: Duration) -> Option<DateTime<Utc>> {
        if remaining <= Duration::zero() {
            return Some(due);
        }
        if remaining > Duration::days(LATEST_START_LOOKBACK_DAYS) || clamp(due) > due {
            return None;
        }
        let hi = clamp(due);
        let lo = add_days(hi, -LATEST_START_LOOKBACK_DAYS);
        if hi != due || !self.covers(lo, hi) {
            return latest_start(self.me, due, remaining);
        }
        let at_hi = self.before(hi);
        if at_hi - self.before(lo) < remaining {
            return None;
        }
        // The latest x with working time in [x, due) = remaining: inside the first interval whose
        // cumulative end passes the target (at its start when the target falls on a gap).
        let target = at_hi - remaining;
        let k = self.cum[1..].partition_point(|c| *c <= target);
        let s = self.intervals.get(k)?.start;
        Some(s + (target - self.cum[k]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Travel;
    use crate::domain::testkit::{date, me, utc};
    use crate::domain::time::WeekdaySet;
    use chrono::Weekday;
    use chrono_tz::Tz;
    use proptest::prelude::*;

    fn days(list: &[Weekday]) -> WeekdaySet {
        let mut s = WeekdaySet::EMPTY;
        for d in list {
            s.insert(*d);
        }
        s
    }
    const ALL_DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    fn h(n: i64) -> Duration {
        Duration::hours(n)
    }

    #[test]
    fn plain_week_and_weekend() {
        let m = me(chrono_tz::UTC, "09:00-17:00");
        // Mon 2026-11-23 .. Mon 2026-11-30
        assert_eq!(
            capacity(&m, utc(2026, 11, 23, 0, 0), utc(2026, 11, 30, 0, 0)),
            h(40)
        );
        // Sat + Sun
        assert_eq!(
            capacity(&m, utc(2026, 11, 28, 0, 0), utc(2026, 11, 30, 0, 0)),
            h(0)
        );
        // Partial: Wed 12:30 .. Thu 10:00 = 4h30 + 1h
        assert_eq!(
            capacity(&m, utc(2026, 11, 25, 12, 30), utc(2026, 11, 26, 10, 0)),
            Duration::minutes(330)
        );
        assert_eq!(
            capacity(&m, utc(2026, 11, 26, 0, 0), utc(2026, 11, 25, 0, 0)),
            h(0)
        );
        assert_eq!(
            work_intervals(&m, utc(2026, 11, 27, 12, 0), utc(2026, 11, 30, 10, 0)),
            vec![
                (utc(2026, 11, 27, 12, 0), utc(2026, 11, 27, 17, 0)),
                (utc(2026, 11, 30, 9, 0), utc(2026, 11, 30, 10, 0)),
            ]
        );
    }

    #[test]
    fn holidays_inside_window() {
        let mut m = me(chrono_tz::UTC, "09:00-17:00");
        m.holidays.insert(date(2026, 11, 25));
        m.holidays.insert(date(2026, 11, 28)); // a Saturday: changes nothing
        assert_eq!(
            capacity(&m, utc(2026, 11, 23, 0, 0), utc(2026, 11, 30, 0, 0)),
            h(32)
        );
        assert!(!is_working(&m, utc(2026, 11, 25, 10, 0)));
        assert!(is_working(&m, utc(2026, 11, 24, 10, 0)));
    }

    #[test]
    fn holidays_are_local_dates() {
        // In Tokyo, Mon 2026-11-23 09:00-17:00 JST is Mon 00:00-08:00 UTC.
        let mut m = me(chrono_tz::Asia::Tokyo, "09:00-17:00");
        m.holidays.insert(date(2026, 11, 23));
        assert_eq!(
            capacity(&m, utc(2026, 11, 23, 0, 0), utc(2026, 11, 24, 0, 0)),
            h(0)
        );
        // Tuesday is a normal day: 09:00 JST = Tue 00:00Z.
        assert_eq!(
            capacity(&m, utc(2026, 11, 23, 0, 0), utc(2026, 11, 24, 8, 0)),
            h(8)
        );
    }

    #[test]
    fn new_york_spring_forward() {
        let ny = chrono_tz::America::New_York;
        // Day shift on Fri 6 and Mon 9 March 2026 around the Sunday 8 March change.
        let m = me(ny, "09:00-17:00");
        assert_eq!(
            work_intervals(&m, utc(2026, 3, 6, 0, 0), utc(2026, 3, 10, 0, 0)),
            vec![
                (utc(2026, 3, 6, 14, 0), utc(2026, 3, 6, 22, 0)), // EST
                (utc(2026, 3, 9, 13, 0), utc(2026, 3, 9, 21, 0)), // EDT
            ]
        );
        // Every day, a day shift on the change day is still 8 h.
        let mut every = me(ny, "09:00-17:00");
        every.work_days = days(&ALL_DAYS);
        assert_eq!(
            capacity(&every, utc(2026, 3, 8, 5, 0), utc(2026, 3, 9, 4, 0)),
            h(8)
        );
        // A night shift across the change loses an hour: Sat 22:00 EST (03:00Z) .. Sun 06:00 EDT
        // (10:00Z).
        let mut night = me(ny, "22:00-06:00");
        night.work_days = days(&ALL_DAYS);
        assert_eq!(
            work_intervals(&night, utc(2026, 3, 8, 0, 0), utc(2026, 3, 8, 12, 0)),
            vec![(utc(2026, 3, 8, 3, 0), utc(2026, 3, 8, 10, 0))]
        );
        assert_eq!(
            capacity(&night, utc(2026, 3, 8, 0, 0), utc(2026, 3, 8, 12, 0)),
            h(7)
        );
        // A shift from midnight: 00:00 EST (05:00Z) .. 08:00 EDT (12:00Z).
        let mut early = me(ny, "00:00-08:00");
        early.work_days = days(&ALL_DAYS);
        assert_eq!(
            capacity(&early, utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)),
            h(7)
        );
    }

    #[test]
    fn new_york_fall_back() {
        let ny = chrono_tz::America::New_York;
        let mut night = me(ny, "22:00-06:00");
        night.work_days = days(&ALL_DAYS);
        // Sat 31 Oct 22:00 EDT (Sun 02:00Z) .. Sun 1 Nov 06:00 EST (11:00Z): 9 h.
        assert_eq!(
            work_intervals(&night, utc(2026, 11, 1, 0, 0), utc(2026, 11, 1, 12, 0)),
            vec![(utc(2026, 11, 1, 2, 0), utc(2026, 11, 1, 11, 0))]
        );
        let mut early = me(ny, "00:00-08:00");
        early.work_days = days(&ALL_DAYS);
        // 00:00 EDT (04:00Z) .. 08:00 EST (13:00Z).
        assert_eq!(
            capacity(&early, utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0)),
            h(9)
        );
        // The Mon-Fri day shift in that week: 40 h, Monday in EST.
        let m = me(ny, "09:00-17:00");
        assert_eq!(
            capacity(&m, utc(2026, 10, 26, 0, 0), utc(2026, 11, 7, 0, 0)),
            h(80)
        );
        assert!(is_working(&m, utc(2026, 11, 2, 14, 0)));
        assert!(!is_working(&m, utc(2026, 11, 2, 13, 59)));
    }

    #[test]
    fn london_transitions() {
        let ldn = chrono_tz::Europe::London;
        let mut m = me(ldn, "00:00-06:00");
        m.work_days = days(&ALL_DAYS);
        // 29 March 2026: 00:00 GMT (00:00Z) .. 06:00 BST (05:00Z).
        assert_eq!(
            capacity(&m, utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0)),
            h(5)
        );
        // 25 October 2026: 00:00 BST (Sat 23:00Z) .. 06:00 GMT (06:00Z).
        assert_eq!(
            work_intervals(&m, utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0)),
            vec![(utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 6, 0))]
        );
        // A shift that starts inside the spring gap starts when the clocks jump: they go from
        // 01:00 GMT to 02:00 BST at 01:00Z, passing 01:30, so 01:00Z .. 04:00 BST (03:00Z).
        let mut gap = me(ldn, "01:30-04:00");
        gap.work_days = days(&ALL_DAYS);
        assert_eq!(
            work_intervals(&gap, utc(2026, 3, 29, 0, 0), utc(2026, 3, 30, 0, 0)),
            vec![(utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 3, 0))]
        );
        // A range lying wholly in the gap has no hours that day; the next day is whole.
        let mut lost = me(ldn, "01:15-01:45");
        lost.work_days = days(&ALL_DAYS);
        assert_eq!(
            work_intervals(&lost, utc(2026, 3, 28, 12, 0), utc(2026, 3, 30, 12, 0)),
            vec![(utc(2026, 3, 30, 0, 15), utc(2026, 3, 30, 0, 45))]
        );
        // A shift ending in the gap ends when the clocks jump: Sat 22:00 GMT .. 01:00Z.
        let mut late = me(ldn, "22:00-01:30");
        late.work_days = days(&ALL_DAYS);
        assert_eq!(
            capacity(&late, utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0)),
            h(3)
        );
        // A start in the repeated hour is its first occurrence: 01:30 BST (00:30Z) .. 03:00
        // GMT (03:00Z) is two and a half hours.
        let mut fold = me(ldn, "01:30-03:00");
        fold.work_days = days(&ALL_DAYS);
        assert_eq!(
            work_intervals(&fold, utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 12, 0)),
            vec![(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3, 0))]
        );
    }

    #[test]
    fn wrapping_shift_belongs_to_its_start_day() {
        let m = me(chrono_tz::UTC, "22:00-06:00");
        // Mon 22:00 .. Sat 06:00, five shifts.
        assert_eq!(
            capacity(&m, utc(2026, 11, 23, 0, 0), utc(2026, 11, 30, 0, 0)),
            h(40)
        );
        // The Friday shift runs into Saturday; Sunday night is not a work night.
        assert_eq!(
            capacity(&m, utc(2026, 11, 28, 0, 0), utc(2026, 11, 30, 0, 0)),
            h(6)
        );
        assert!(is_working(&m, utc(2026, 11, 28, 3, 0)));
        assert!(!is_working(&m, utc(2026, 11, 29, 23, 0)));
        // Monday 00:00-06:00 is Sunday's shift: not working.
        assert!(!is_working(&m, utc(2026, 11, 30, 3, 0)));
        assert!(is_working(&m, utc(2026, 11, 30, 22, 0)));
        // A holiday on Friday removes the shift that starts Friday night, including Saturday.
        let mut hol = m.clone();
        hol.holidays.insert(date(2026, 11, 27));
        assert_eq!(
            capacity(&hol, utc(2026, 11, 28, 0, 0), utc(2026, 11, 30, 0, 0)),
            h(0)
        );
    }

    #[test]
    fn travel_uses_the_trip_zone() {
        // Based in London, in Tokyo Mon 11 .. Wed 13 January 2027.
        let mut m = me(chrono_tz::Europe::London, "09:00-17:00");
        m.travel.push(Travel {
            from: date(2027, 1, 11),
            to: date(2027, 1, 13),
            zone: chrono_tz::Asia::Tokyo,
        });
        // Tue 12: 09:00-17:00 JST = 00:00-08:00Z.
        assert_eq!(
            work_intervals(&m, utc(2027, 1, 12, 0, 0), utc(2027, 1, 13, 0, 0)),
            vec![(utc(2027, 1, 12, 0, 0), utc(2027, 1, 12, 8, 0))]
        );
        // Fri 8 London, Mon-Wed Tokyo, Thu 14 London.
        assert_eq!(
            work_intervals(&m, utc(2027, 1, 8, 0, 0), utc(2027, 1, 15, 0, 0)),
            vec![
                (utc(2027, 1, 8, 9, 0), utc(2027, 1, 8, 17, 0)),
                (utc(2027, 1, 11, 0, 0), utc(2027, 1, 11, 8, 0)),
                (utc(2027, 1, 12, 0, 0), utc(2027, 1, 12, 8, 0)),
                (utc(2027, 1, 13, 0, 0), utc(2027, 1, 13, 8, 0)),
                (utc(2027, 1, 14, 9, 0), utc(2027, 1, 14, 17, 0)),
            ]
        );
    }

    #[test]
    fn travel_overlap_is_not_counted_twice() {
        // Based in Pago Pago (-11); Tue 24 November 2026 in Kiritimati (+14), all days worked.
        // Mon 23 in Pago Pago: 09:00-17:00 = Mon 20:00Z .. Tue 04:00Z.
        // Tue 24 in Kiritimati: 09:00-17:00 = Mon 19:00Z .. Tue 03:00Z.
        let mut m = me(chrono_tz::Pacific::Pago_Pago, "09:00-17:00");
        m.work_days = days(&ALL_DAYS);
        m.travel.push(Travel {
            from: date(2026, 11, 24),
            to: date(2026, 11, 24),
            zone: chrono_tz::Pacific::Kiritimati,
        });
        assert_eq!(
            work_intervals(&m, utc(2026, 11, 23, 12, 0), utc(2026, 11, 24, 12, 0)),
            vec![(utc(2026, 11, 23, 19, 0), utc(2026, 11, 24, 4, 0))]
        );
        assert_eq!(
            capacity(&m, utc(2026, 11, 23, 12, 0), utc(2026, 11, 24, 12, 0)),
            h(9)
        );
    }

    #[test]
    fn odd_offsets() {
        // Monday 1 June 2026 (southern winter for Chatham).
        let kol = me(chrono_tz::Asia::Kolkata, "09:00-17:00");
        // 09:00 IST = 03:30Z.
        assert_eq!(
            capacity(&kol, utc(2026, 6, 1, 0, 0), utc(2026, 6, 1, 10, 0)),
            Duration::minutes(390)
        );
        let ktm = me(chrono_tz::Asia::Kathmandu, "09:00-17:00");
        // 09:00 NPT = 03:15Z.
        assert_eq!(
            capacity(&ktm, utc(2026, 6, 1, 0, 0), utc(2026, 6, 1, 10, 0)),
            Duration::minutes(405)
        );
        let cha = me(chrono_tz::Pacific::Chatham, "09:00-17:00");
        // Monday 09:00 +12:45 = Sunday 20:15Z .. Monday 04:15Z.
        assert_eq!(
            work_intervals(&cha, utc(2026, 5, 31, 0, 0), utc(2026, 6, 1, 12, 0)),
            vec![(utc(2026, 5, 31, 20, 15), utc(2026, 6, 1, 4, 15))]
        );
        let kir = me(chrono_tz::Pacific::Kiritimati, "09:00-17:00");
        // Monday 09:00 +14 = Sunday 19:00Z; at Sunday 18:00Z it is 08:00 Monday there.
        assert_eq!(
            next_work_start(&kir, utc(2026, 5, 31, 18, 0)),
            utc(2026, 5, 31, 19, 0)
        );
        assert!(is_working(&kir, utc(2026, 5, 31, 19, 0)));
        assert!(!is_working(&kir, utc(2026, 6, 1, 3, 0)));
        // Thursday's hours end Thu 03:00Z and Friday's run Thu 19:00Z .. Fri 03:00Z; Monday's
        // start Sun 19:00Z, the end of this window.
        assert_eq!(
            capacity(&kir, utc(2026, 6, 4, 0, 0), utc(2026, 6, 7, 19, 0)),
            h(11)
        );
    }

    #[test]
    fn next_work_start_rules() {
        let m = me(chrono_tz::UTC, "09:00-17:00");
        // Friday evening -> Monday.
        assert_eq!(
            next_work_start(&m, utc(2026, 11, 27, 18, 0)),
            utc(2026, 11, 30, 9, 0)
        );
        assert_eq!(
            next_work_start(&m, utc(2026, 11, 23, 8, 0)),
            utc(2026, 11, 23, 9, 0)
        );
        // Strictly after: at 09:00 it is already the next day's start.
        assert_eq!(
            next_work_start(&m, utc(2026, 11, 23, 9, 0)),
            utc(2026, 11, 24, 9, 0)
        );
        let mut hol = m.clone();
        hol.holidays.insert(date(2026, 11, 30));
        assert_eq!(
            next_work_start(&hol, utc(2026, 11, 27, 18, 0)),
            utc(2026, 12, 1, 9, 0)
        );
        let mut none = m.clone();
        none.work_days = WeekdaySet::EMPTY;
        assert_eq!(
            next_work_start(&none, utc(2026, 11, 27, 18, 0)),
            utc(2026, 11, 28, 18, 0)
        );
    }

    #[test]
    fn latest_start_walks_back() {
        let m = me(chrono_tz::UTC, "09:00-17:00");
        let due = utc(2026, 11, 25, 12, 0); // Wednesday noon
        assert_eq!(latest_start(&m, due, Duration::zero()), Some(due));
        assert_eq!(latest_start(&m, due, h(3)), Some(utc(2026, 11, 25, 9, 0)));
        assert_eq!(latest_start(&m, due, h(4)), Some(utc(2026, 11, 24, 16, 0)));
        assert_eq!(latest_start(&m, due, h(11)), Some(utc(2026, 11, 24, 9, 0)));
        assert_eq!(latest_start(&m, due, h(12)), Some(utc(2026, 11, 23, 16, 0)));
        // Monday 10:00 with 2 h left: one hour on Monday, one on Friday.
        assert_eq!(
            latest_start(&m, utc(2026, 11, 30, 10, 0), h(2)),
            Some(utc(2026, 11, 27, 16, 0))
        );
        // 100 working days = 20 weeks back from Wednesday noon lands at Wednesday noon.
        assert_eq!(latest_start(&m, due, h(800)), Some(utc(2026, 7, 8, 12, 0)));
        assert_eq!(latest_start(&m, due, Duration::days(6 * 365)), None);
        let mut none = m.clone();
        none.work_days = WeekdaySet::EMPTY;
        assert_eq!(latest_start(&none, due, h(1)), None);
        // About 5 years of 40 h weeks is ~10,400 h; 11,000 h does not fit.
        assert_eq!(latest_start(&m, due, h(11_000)), None);
        let s = latest_start(&m, due, h(10_000)).unwrap();
        assert_eq!(capacity(&m, s, due), h(10_000));
    }

    #[test]
    fn absurd_inputs_do_not_panic() {
        let m = me(chrono_tz::Pacific::Kiritimati, "22:00-06:00");
        let lo = DateTime::<Utc>::MIN_UTC;
        let hi = DateTime::<Utc>::MAX_UTC;
        let c = capacity(&m, lo, hi);
        assert!(c > Duration::zero() && c <= Duration::days(MAX_SPAN_DAYS));
        let y0 = utc(0, 1, 1, 0, 0);
        let y9999 = utc(9999, 12, 31, 23, 0);
        // Capped at 20 years of 40 h weeks: about 20 * 52 * 40 h.
        let c = capacity(&m, y0, y9999);
        assert!(c > h(20 * 52 * 40 - 200) && c < h(20 * 53 * 40), "{c}");
        let _ = next_work_start(&m, hi);
        let _ = next_work_start(&m, lo);
        let _ = is_working(&m, hi);
        let _ = is_working(&m, lo);
        assert_eq!(latest_start(&m, lo, h(1)), None);
        let _ = latest_start(&m, hi, h(1));
        let _ = latest_start(&m, y9999, Duration::days(100 * 365));
        let _ = work_intervals(&m, hi, lo);
    }

    const ZONES: [Tz; 9] = [
        chrono_tz::UTC,
        chrono_tz::America::New_York,
        chrono_tz::Europe::London,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Asia::Kathmandu,
        chrono_tz::Pacific::Chatham,
        chrono_tz::Pacific::Kiritimati,
        chrono_tz::Pacific::Pago_Pago,
        chrono_tz::Australia::Lord_Howe,
    ];
    const HOURS: [&str; 5] = [
        "09:00-17:00",
        "22:00-06:00",
        "00:00-24:00",
        "01:30-02:45",
        "08:15-19:40",
    ];

    proptest! {
        #[test]
        fn capacity_is_additive(
            zone in 0usize..ZONES.len(),
            trip_zone in 0usize..ZONES.len(),
            hours in 0usize..HOURS.len(),
            mask in 0u8..128,
            trip_start in 0i64..400,
            trip_len in 0i64..10,
            a in 0i64..(400 * 86_400),
            ab in 0i64..(30 * 86_400),
            bc in 0i64..(30 * 86_400),
        ) {
            let base = utc(2026, 1, 1, 0, 0);
            let mut m = me(ZONES[zone], HOURS[hours]);
            m.work_days = WeekdaySet::EMPTY;
            for (i, d) in ALL_DAYS.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    m.work_days.insert(*d);
                }
            }
            let tfrom = date(2026, 1, 1) + Duration::days(trip_start);
            m.travel.push(Travel { from: tfrom, to: tfrom + Duration::days(trip_len), zone: ZONES[trip_zone] });
            let a = base + Duration::seconds(a);
            let b = a + Duration::seconds(ab);
            let c = b + Duration::seconds(bc);
            prop_assert_eq!(capacity(&m, a, b) + capacity(&m, b, c), capacity(&m, a, c));
            prop_assert!(capacity(&m, a, c) <= c - a);
        }

        #[test]
        fn calendar_matches_the_walks(
            zone in 0usize..ZONES.len(),
            trip_zone in 0usize..ZONES.len(),
            hours in 0usize..HOURS.len(),
            mask in 0u8..128,
            trip_start in -400i64..400,
            trip_len in 0i64..10,
            holidays in proptest::collection::vec(-400i64..400, 0..6),
            cal_from in -(6 * 366 * 86_400i64)..0,
            cal_len in 0i64..(8 * 366 * 86_400),
            a in -(6 * 366 * 86_400i64)..(2 * 366 * 86_400),
            ab in -(86_400i64)..(400 * 86_400),
            nanos in 0u32..1_000_000_000,
            remaining in -3_600i64..(3_000 * 3_600),
        ) {
            let base = utc(2026, 1, 1, 0, 0);
            let mut m = me(ZONES[zone], HOURS[hours]);
            m.work_days = WeekdaySet::EMPTY;
            for (i, d) in ALL_DAYS.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    m.work_days.insert(*d);
                }
            }
            for h in holidays {
                m.holidays.insert(date(2026, 1, 1) + Duration::days(h));
            }
            let tfrom = date(2026, 1, 1) + Duration::days(trip_start);
            m.travel.push(Travel { from: tfrom, to: tfrom + Duration::days(trip_len), zone: ZONES[trip_zone] });
            let from = base + Duration::seconds(cal_from);
            let to = from + Duration::seconds(cal_len);
            let cal = WorkCalendar::new(&m, from, to);
            let a = base + Duration::seconds(a) + Duration::nanoseconds(i64::from(nanos));
            let b = a + Duration::seconds(ab);
            prop_assert_eq!(cal.capacity(a, b), capacity(&m, a, b));
            let r = Duration::seconds(remaining);
            prop_assert_eq!(cal.latest_start(b, r), latest_start(&m, b, r));
            prop_assert_eq!(cal.latest_start(a, r), latest_start(&m, a, r));
        }
    }

    /// A calendar longer than the schedule hands out at once (25 years: made in two pieces)
    /// gives the walks' answers across the cut, and a capacity from one end reading 20 years.
    #[test]
    fn a_calendar_of_decades_matches_the_walks_across_its_pieces() {
        let mut m = me(chrono_tz::Australia::Brisbane, "09:00-17:00");
        m.holidays.insert(date(2046, 1, 2));
        let from = utc(2021, 1, 1, 3, 0);
        let cal = WorkCalendar::new(&m, from, add_days(from, WorkCalendar::MAX_DAYS));
        assert!(cal.span().1 > add_days(from, MAX_SPAN_DAYS));
        let cut = add_days(from, MAX_SPAN_DAYS);
        for h in (-80..80).step_by(7) {
            let a = cut + Duration::hours(h);
            for len in [1, 9, 30, 200] {
                let b = a + Duration::hours(len);
                assert_eq!(cal.capacity(a, b), capacity(&m, a, b), "{a} {b}");
                for r in [1, 8, 40] {
                    let r = Duration::hours(r);
                    assert_eq!(cal.latest_start(b, r), latest_start(&m, b, r), "{b} {r}");
                }
            }
        }
        let now = add_days(from, LATEST_START_LOOKBACK_DAYS);
        let far = add_days(now, MAX_SPAN_DAYS + 400);
        assert_eq!(cal.capacity(now, far), capacity(&m, now, far));
    }
}
