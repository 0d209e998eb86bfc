//! Someone's working hours — yours or a client's — and every question asked about them: is it
//! working time, the shift of a date, when hours next open and close, the working intervals
//! between two instants, the end of a date's hours.
//!
//! Clocks, business status, overlap, capacity, risk, latest start, snooze targets, send windows
//! and date-only dues all ask a [`Schedule`], so they cannot disagree about when someone works.
//!
//! The rules (docs/decisions.md, "Working hours"):
//! - A date's shift is `hours` on that date, in the zone governing the date (yours follows your
//!   travel), if the date is one of `days` and not a holiday. A range that wraps midnight
//!   (`22:00-06:00`) belongs to the date it starts on; `16:00-00:00` and `00:00-24:00` end at the
//!   next midnight.
//! - Hours follow the wall clock, and a wall clock never counts an hour twice: a shift starts at
//!   the first moment the clock shows its start time or later, and ends at the first moment it
//!   shows its end time or later ([`first_reaching`]). So a start or end inside a
//!   daylight-saving gap falls on the moment the clocks jump, a range lying wholly in a gap has
//!   no hours that day, and a start or end inside a repeated hour is its first occurrence.

use super::holidays::{DayOff, DaysOff};
use super::model::{Client, Me};
use super::time::{ClockRange, WeekdaySet, local_date};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// How far ahead to look for the next opening: someone closed for longer than this is treated
/// as having no hours at all.
pub const SEARCH_DAYS: i64 = 400;
/// Interval lists never reach further than this from their start: beyond it the answer makes no
/// practical difference, and it keeps absurd ranges cheap.
pub const MAX_SPAN_DAYS: i64 = 20 * 366;

/// The hours of a date-only due without a client: it means 17:00 that day.
pub const DAY_HOURS: ClockRange = ClockRange {
    start: match NaiveTime::from_hms_opt(9, 0, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    },
    minutes: 8 * 60,
};

/// Longer than any clock set back since the date-line moves of the 1800s (an hour, now and then
/// two), so `shift_at`'s wall-clock check never skips a shift while a repeated hour replays.
const REPEAT_MARGIN: Duration = Duration::hours(3);

/// About ±95,000 years around 1970: well inside chrono's range, so adding the search horizon or a
/// zone offset to a clamped instant can never overflow (and panic inside chrono).
const SANE_SECS: i64 = 3_000_000_000_000;
/// Dates further out than this have no hours: `ClockRange::on` would overflow near chrono's limits.
const SANE_YEARS: i32 = 200_000;

/// Pull an absurd instant into the range where date and zone arithmetic cannot overflow; real
/// instants pass through unchanged. Every public entry point clamps first, so no input panics.
pub fn clamp(t: DateTime<Utc>) -> DateTime<Utc> {
    let s = t.timestamp().clamp(-SANE_SECS, SANE_SECS);
    if s == t.timestamp() {
        t
    } else {
        DateTime::from_timestamp(s, 0).unwrap_or(t)
    }
}

/// `t` + `days` days, saturating at chrono's limits.
pub fn add_days(t: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    t.checked_add_signed(Duration::days(days))
        .unwrap_or(if days >= 0 {
            DateTime::<Utc>::MAX_UTC
        } else {
            DateTime::<Utc>::MIN_UTC
        })
}

/// `d` + `days` days; `d` itself where that would leave chrono's range.
pub fn shift_date(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

/// The first instant at which `tz`'s wall clock shows `naive` or later.
///
/// That is the instant itself when the time happens once, the first of the two in a repeated
/// hour, and the moment the clocks jump when the time falls inside a daylight-saving gap.
pub fn first_reaching(tz: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => dt.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => {
            // The offsets either side of the gap alternate under o -> offset_at(naive - o). Before
            // the jump the clock shows less than `naive`, after it more, so the answer is the
            // jump itself, which lies between `naive` read with the later and the earlier offset.
            let offset_at = |o: i64| -> i64 {
                let utc = naive - Duration::seconds(o);
                i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
            };
            let o0 = i64::from(tz.offset_from_utc_datetime(&naive).fix().local_minus_utc());
            let x = offset_at(o0);
            let y = offset_at(x);
            let (pre, post) = (x.min(y), x.max(y));
            let mut lo = (naive - Duration::seconds(post)).and_utc().timestamp();
            let mut hi = (naive - Duration::seconds(pre)).and_utc().timestamp();
            let off = |s: i64| {
                DateTime::<Utc>::from_timestamp(s, 0)
                    .map(|t| tz.offset_from_utc_datetime(&t.naive_utc()).fix())
            };
            let before = off(lo);
            // Transitions fall on whole seconds; the bound only guards the loop.
            for _ in 0..64 {
                if hi - lo <= 1 {
                    break;
                }
                let mid = lo + (hi - lo) / 2;
                if off(mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            DateTime::from_timestamp(hi, 0).unwrap_or_else(|| naive.and_utc())
        }
    }
}

/// The instants a local date begins and ends in `zone` (the next date's beginning), by the same
/// rule as shifts: a midnight inside a gap is the moment the clocks jump.
pub fn day_bounds(zone: Tz, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    if date.year() > SANE_YEARS {
        return (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MAX_UTC);
    }
    if date.year() < -SANE_YEARS {
        return (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MIN_UTC);
    }
    (
        first_reaching(zone, date.and_time(NaiveTime::MIN)),
        first_reaching(zone, shift_date(date, 1).and_time(NaiveTime::MIN)),
    )
}

/// One stretch of working time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shift {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Shift {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    pub fn len(&self) -> Duration {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

static NO_HOLIDAYS: BTreeSet<NaiveDate> = BTreeSet::new();
static NO_DAYS_OFF: DaysOff = DaysOff {
    public: None,
    closures: Vec::new(),
    calendar: None,
};

/// A weekly timetable in a zone: a client's business hours or your working hours.
#[derive(Debug, Clone, Copy)]
pub struct Schedule<'a> {
    zone: Tz,
    /// Set for your own timetable, whose zone follows your travel.
    traveller: Option<&'a Me>,
    hours: ClockRange,
    days: WeekdaySet,
    holidays: &'a BTreeSet<NaiveDate>,
    /// Public holidays (`country`, `region`) and `closures`: closed all day, like `holidays`.
    days_off: &'a DaysOff,
}

impl<'a> Schedule<'a> {
    /// A client's business hours.
    pub fn of_client(c: &'a Client) -> Self {
        Schedule {
            zone: c.zone,
            traveller: None,
            hours: c.hours,
            days: c.days,
            holidays: &c.holidays,
            days_off: &c.days_off,
        }
    }

    /// Your working hours; the zone of each date follows your travel.
    pub fn of_me(me: &'a Me) -> Self {
        Schedule {
            zone: me.zone,
            traveller: Some(me),
            hours: me.work_hours,
            days: me.work_days,
            holidays: &me.holidays,
            days_off: &me.days_off,
        }
    }

    /// `hours` every day in `zone`, no holidays: for the end of a date's hours when only the
    /// hours are known (a date-only due in a record's own zone).
    pub fn daily(zone: Tz, hours: ClockRange) -> Schedule<'static> {
        Schedule {
            zone,
            traveller: None,
            hours,
            days: WeekdaySet::ALL,
            holidays: &NO_HOLIDAYS,
            days_off: &NO_DAYS_OFF,
        }
    }

    pub fn hours(&self) -> ClockRange {
        self.hours
    }

    /// The zone that governs a local date (a trip's zone on its dates, for you).
    pub fn zone_on(&self, date: NaiveDate) -> Tz {
        self.traveller.map_or(self.zone, |m| m.zone_on(date))
    }

    /// The zone whose calendar is "today" at `t` (where you are, for you).
    pub fn zone_at(&self, t: DateTime<Utc>) -> Tz {
        self.traveller.map_or(self.zone, |m| m.zone_at(t))
    }

    /// Whether `date` is one of the working days and not a holiday.
    pub fn works_on(&self, date: NaiveDate) -> bool {
        self.days.contains(date.weekday()) && !self.is_holiday(date)
    }

    /// Whether `date` is one of the weekdays worked, holiday or not.
    pub fn is_working_weekday(&self, date: NaiveDate) -> bool {
        self.days.contains(date.weekday())
    }

    /// The working weekdays from `from` to `to` (both included, at most 120 days) that are days
    /// off: what a coming holiday takes from the time before a deadline.
    pub fn days_off_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .take(120)
            .filter(|d| self.is_working_weekday(*d) && self.is_holiday(*d))
            .collect()
    }

    /// Whether `date` is closed all day: a date in `holidays`, a public holiday of `country`
    /// (and `region`), or in one of the `closures`.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date) || self.days_off.contains(date)
    }

    /// Why `date` is closed all day, if it is ([`Schedule::is_holiday`]): a public holiday's
    /// name wins over a typed date and a closure.
    pub fn day_off(&self, date: NaiveDate) -> Option<DayOff> {
        let why = self.days_off.why(date);
        if matches!(why, Some(DayOff::Public(_))) {
            return why;
        }
        if self.holidays.contains(&date) {
            return Some(DayOff::Holiday);
        }
        why
    }

    /// A day off worth naming ahead (a client's page, the weekly review): a date typed in
    /// `holidays` always, a public holiday or a closure only when it takes one of the working
    /// weekdays (Sweden counts every Sunday).
    pub fn day_off_named(&self, date: NaiveDate) -> Option<DayOff> {
        let why = self.day_off(date)?;
        (why == DayOff::Holiday || self.is_working_weekday(date)).then_some(why)
    }

    /// The hours a holiday takes away on `date`: the hours it would have had, when it is one of
    /// the working days and a holiday (the week view marks them).
    pub fn holiday_hours(&self, date: NaiveDate) -> Option<Shift> {
        if self.is_holiday(date) && self.days.contains(date.weekday()) {
            self.hours_on(date)
        } else {
            None
        }
    }

    /// Whether no date can ever have hours.
    pub fn has_no_days(&self) -> bool {
        self.days.is_empty()
    }

    /// The hours as they fall on `date`, whether or not it is a working day. None when a
    /// daylight-saving gap swallows the whole range, or for dates near chrono's limits.
    pub fn hours_on(&self, date: NaiveDate) -> Option<Shift> {
        if date.year().abs() > SANE_YEARS {
            return None;
        }
        let zone = self.zone_on(date);
        let (s, e) = self.hours.on(date);
        let shift = Shift {
            start: first_reaching(zone, s),
            end: first_reaching(zone, e),
        };
        (!shift.is_empty()).then_some(shift)
    }

    /// The shift starting on local `date`, if that date is a working day.
    pub fn shift_on(&self, date: NaiveDate) -> Option<Shift> {
        if !self.works_on(date) {
            return None;
        }
        self.hours_on(date)
    }

    /// The instant `date`'s hours end, working day or not (what a date-only due means). Where a
    /// gap swallows the whole range, the moment the clocks jump.
    pub fn end_of_hours(&self, date: NaiveDate) -> DateTime<Utc> {
        self.reaching_on(date, |(_, end)| end)
    }

    /// The instant `date`'s hours start, working day or not (when a date-only follow-up's due
    /// arrives for alerts).
    pub fn start_of_hours(&self, date: NaiveDate) -> DateTime<Utc> {
        self.reaching_on(date, |(start, _)| start)
    }

    /// The first instant `date`'s wall clock reaches one end of its hours (`pick`), clamped to
    /// the representable range for absurd dates.
    fn reaching_on(
        &self,
        date: NaiveDate,
        pick: impl FnOnce((NaiveDateTime, NaiveDateTime)) -> NaiveDateTime,
    ) -> DateTime<Utc> {
        if date.year() > SANE_YEARS {
            return DateTime::<Utc>::MAX_UTC;
        }
        if date.year() < -SANE_YEARS {
            return DateTime::<Utc>::MIN_UTC;
        }
        first_reaching(self.zone_on(date), pick(self.hours.on(date)))
    }

    /// Whether every date is in the home zone (no travel), so one wall clock reads all shifts.
    fn single_zone(&self) -> bool {
        self.traveller.is_none_or(|m| m.travel.is_empty())
    }

    /// The dates whose shift could contain `t` (or start just after it).
    fn dates_around(&self, t: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
        // A shift covers wall times within two local dates; a repeated hour can take the clock
        // back across midnight, so one more date either side. With travel each date has its own
        // zone: UTC dates with margins for any offset (±16 h with local mean time) do instead.
        if self.single_zone() {
            let d = local_date(self.zone, t);
            (shift_date(d, -1), shift_date(d, 1))
        } else {
            let d = t.date_naive();
            (shift_date(d, -3), shift_date(d, 1))
        }
    }

    /// The shift running at `t` (the one lasting longest, where travel makes two overlap).
    pub fn shift_at(&self, t: DateTime<Utc>) -> Option<Shift> {
        let t = clamp(t);
        // The clock checked first (no zone lookups): during a shift it shows at most its end, and
        // at least its start less a repeated hour (none is longer than REPEAT_MARGIN).
        let wall = self
            .single_zone()
            .then(|| t.with_timezone(&self.zone).naive_local());
        let may_hold = |d: &NaiveDate| {
            wall.is_none_or(|w| {
                let (s, e) = self.hours.on(*d);
                s - REPEAT_MARGIN <= w && w < e
            })
        };
        let (first, last) = self.dates_around(t);
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(may_hold)
            .filter_map(|d| self.shift_on(d))
            .filter(|s| s.contains(t))
            .max_by_key(|s| s.end)
    }

    /// Whether `t` is working time.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        self.shift_at(t).is_some()
    }

    /// The end of the run of back-to-back shifts that `shift` belongs to (a `00:00-24:00` week
    /// closes at the weekend, not at every midnight).
    pub fn run_end(&self, shift: Shift) -> DateTime<Utc> {
        let mut end = shift.end;
        for _ in 0..SEARCH_DAYS {
            match self.shift_at(end) {
                Some(next) if next.end > end => end = next.end,
                _ => break,
            }
        }
        end
    }

    /// When the hours running at `t` close: the end of their run. None when closed at `t`.
    pub fn closes_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.shift_at(t).map(|s| self.run_end(s))
    }

    /// The first shift start strictly after `t`, looking `within_days` ahead.
    pub fn next_start_after(&self, t: DateTime<Utc>, within_days: i64) -> Option<DateTime<Utc>> {
        if self.days.is_empty() {
            return None;
        }
        let t = clamp(t);
        self.earliest_start(self.dates_around(t).0, t, within_days)
    }

    /// The start of the hours on the first working date from `from` on whose start is after
    /// `after`, looking `within_days` ahead (the snooze picker's "tomorrow" and "next week").
    pub fn first_start_from(
        &self,
        from: NaiveDate,
        after: DateTime<Utc>,
        within_days: i64,
    ) -> Option<DateTime<Utc>> {
        if self.days.is_empty() {
            return None;
        }
        (0..=within_days).find_map(|k| {
            self.shift_on(shift_date(from, k))
                .map(|s| s.start)
                .filter(|s| *s > after)
        })
    }

    /// The earliest shift start strictly after `after` among dates from `first_date` on.
    fn earliest_start(
        &self,
        first_date: NaiveDate,
        after: DateTime<Utc>,
        within_days: i64,
    ) -> Option<DateTime<Utc>> {
        let horizon = shift_date(after.date_naive(), within_days + 2);
        let mut best: Option<DateTime<Utc>> = None;
        for d in first_date.iter_days().take_while(|d| *d <= horizon) {
            // Travel can make a later date start earlier, but never by more than a day.
            if best.is_some_and(|b| d.and_time(NaiveTime::MIN).and_utc() > add_days(b, 1)) {
                break;
            }
            if let Some(s) = self.shift_on(d)
                && s.start > after
                && best.is_none_or(|b| s.start < b)
            {
                best = Some(s.start);
            }
        }
        best
    }

    /// The working intervals within `[from, to)`, clipped, merged (touching shifts are one),
    /// in time order. Empty if `to <= from`; looks at most [`MAX_SPAN_DAYS`] past `from`.
    pub fn intervals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> std::vec::IntoIter<Shift> {
        let from = clamp(from);
        let to = clamp(to).min(add_days(from, MAX_SPAN_DAYS));
        if to <= from {
            return Vec::new().into_iter();
        }
        // Offsets stay within ±16 h and a shift lasts at most a day of wall time, so dates
        // outside these margins cannot reach [from, to).
        let first = shift_date(from.date_naive(), -3);
        let last = shift_date(to.date_naive(), 2);
        let mut v: Vec<Shift> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter_map(|d| self.shift_on(d))
            .map(|s| Shift {
                start: s.start.max(from),
                end: s.end.min(to),
            })
            .filter(|s| !s.is_empty())
            .collect();
        // Usually sorted already; only a trip's zone change can put a date's shift before the
        // previous date's, or make two overlap (counted once).
        v.sort();
        let mut out: Vec<Shift> = Vec::with_capacity(v.len());
        for s in v {
            match out.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => out.push(s),
            }
        }
        out.into_iter()
    }

    /// Working time in `[from, to)` (see [`Schedule::intervals`] for the limits).
    pub fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        self.intervals(from, to)
            .fold(Duration::zero(), |acc, s| acc + s.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Travel;
    use crate::domain::testkit::{date, me, utc};
    use chrono_tz::{America, Asia, Australia, Europe};

    fn naive(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
        d.and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn first_reaching_gap_and_repeat() {
        // London jumps 01:00 GMT -> 02:00 BST at 01:00Z on 29 Mar 2026.
        let spring = date(2026, 3, 29);
        assert_eq!(
            first_reaching(Europe::London, naive(spring, 1, 30)),
            utc(2026, 3, 29, 1, 0)
        );
        assert_eq!(
            first_reaching(Europe::London, naive(spring, 2, 0)),
            utc(2026, 3, 29, 1, 0)
        );
        assert_eq!(
            first_reaching(Europe::London, naive(spring, 2, 30)),
            utc(2026, 3, 29, 1, 30)
        );
        // 01:30 happens twice on 25 Oct 2026: BST (00:30Z) first.
        assert_eq!(
            first_reaching(Europe::London, naive(date(2026, 10, 25), 1, 30)),
            utc(2026, 10, 25, 0, 30)
        );
        // Lord Howe jumps 02:00 -> 02:30 (+10:30 -> +11) at 15:30Z on 3 Oct 2026.
        assert_eq!(
            first_reaching(Australia::Lord_Howe, naive(date(2026, 10, 4), 2, 15)),
            utc(2026, 10, 3, 15, 30)
        );
        // São Paulo's midnight gap (15 Oct 2017, 00:00 -> 01:00 at 03:00Z).
        let (start, end) = day_bounds(America::Sao_Paulo, date(2017, 10, 15));
        assert_eq!(start, utc(2017, 10, 15, 3, 0));
        assert_eq!(end - start, Duration::hours(23));
    }

    #[test]
    fn end_of_hours_for_date_only_dues() {
        let d = date(2027, 1, 13);
        let end = |h: &str| Schedule::daily(Europe::London, ClockRange::parse(h).unwrap());
        assert_eq!(end("09:00-17:00").end_of_hours(d), utc(2027, 1, 13, 17, 0));
        assert_eq!(end("22:00-06:00").end_of_hours(d), utc(2027, 1, 14, 6, 0));
        assert_eq!(end("16:00-00:00").end_of_hours(d), utc(2027, 1, 14, 0, 0));
        assert_eq!(end("00:00-24:00").end_of_hours(d), utc(2027, 1, 14, 0, 0));
        // A Saturday still has an end of hours (a due is a due, working day or not).
        assert_eq!(
            end("09:00-17:00").end_of_hours(date(2027, 1, 16)),
            utc(2027, 1, 16, 17, 0)
        );
        assert_eq!(
            end("09:00-17:00").end_of_hours(NaiveDate::MAX),
            DateTime::<Utc>::MAX_UTC
        );
    }

    #[test]
    fn runs_and_next_starts() {
        let mut m = me(Asia::Tokyo, "00:00-24:00");
        m.holidays.insert(date(2026, 11, 25));
        let s = Schedule::of_me(&m);
        // Mon 23 Nov 12:00 JST: open until the holiday starts (Wed 00:00 JST = Tue 15:00Z).
        assert_eq!(
            s.closes_after(utc(2026, 11, 23, 3, 0)),
            Some(utc(2026, 11, 24, 15, 0))
        );
        // On the holiday: next start Thu 00:00 JST.
        assert_eq!(s.closes_after(utc(2026, 11, 25, 3, 0)), None);
        assert_eq!(
            s.next_start_after(utc(2026, 11, 25, 3, 0), SEARCH_DAYS),
            Some(utc(2026, 11, 25, 15, 0))
        );
        // Intervals merge back-to-back days and stop at the holiday and the weekend.
        let v: Vec<Shift> = s
            .intervals(utc(2026, 11, 22, 0, 0), utc(2026, 11, 29, 12, 0))
            .collect();
        assert_eq!(
            v,
            vec![
                Shift {
                    start: utc(2026, 11, 22, 15, 0),
                    end: utc(2026, 11, 24, 15, 0)
                },
                Shift {
                    start: utc(2026, 11, 25, 15, 0),
                    end: utc(2026, 11, 27, 15, 0)
                },
            ]
        );
    }

    #[test]
    fn travel_moves_the_shift_and_is_open_sees_it() {
        let mut m = me(Europe::London, "09:00-17:00");
        m.travel.push(Travel {
            from: date(2027, 1, 12),
            to: date(2027, 1, 12),
            zone: Asia::Tokyo,
        });
        let s = Schedule::of_me(&m);
        // Tue 12 Jan in Tokyo: 00:00Z-08:00Z; not 09:00Z-17:00Z.
        assert!(s.is_open(utc(2027, 1, 12, 1, 0)));
        assert!(!s.is_open(utc(2027, 1, 12, 10, 0)));
        assert!(s.is_open(utc(2027, 1, 13, 10, 0)));
        assert_eq!(
            s.next_start_after(utc(2027, 1, 11, 18, 0), SEARCH_DAYS),
            Some(utc(2027, 1, 12, 0, 0))
        );
    }

    #[test]
    fn clamp_keeps_real_instants() {
        let t = utc(2026, 11, 25, 9, 30);
        assert_eq!(clamp(t), t);
        assert!(clamp(DateTime::<Utc>::MAX_UTC) < DateTime::<Utc>::MAX_UTC);
        assert!(clamp(DateTime::<Utc>::MIN_UTC) > DateTime::<Utc>::MIN_UTC);
    }
}
