//! The follow-up board: what you owe clients, what you are waiting on, by urgency.
//!
//! "Your zone" here is `me.zone_at(now)`: a date-only due means "during that day where you are
//! now", so travelling moves the end of the day with you.

use super::capacity::LOOKAHEAD_DAYS;
use super::model::{Followup, FollowupDue, Me, Status};
use super::schedule::{Schedule, add_days, clamp, day_bounds, shift_date};
use super::time::local_date;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// How urgent an open follow-up is; the board lists them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    /// Past its due instant, or past the end of its due date.
    Overdue,
    /// Due later today (your local date now).
    Today,
    /// Due after today.
    Upcoming,
    /// No due.
    Undated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowupRow<'a> {
    pub f: &'a Followup,
    pub bucket: Bucket,
    /// The due as an instant. A date-only due is the end of that day in your zone, i.e. the
    /// instant the next day begins (the first moment it is overdue).
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FollowupBoard<'a> {
    /// Open, not snoozed, the ball in your court: Overdue, Today, Upcoming, Undated; within a
    /// bucket by due, then file order.
    pub owe: Vec<FollowupRow<'a>>,
    /// Open, not snoozed, `waiting: true`; ordered like `owe` (`due` is when to chase them).
    pub waiting: Vec<FollowupRow<'a>>,
    /// Open but snoozed past now, soonest to wake first.
    pub snoozed: Vec<&'a Followup>,
    /// Done or dropped, in file order (snoozing does not matter once closed).
    pub closed: Vec<&'a Followup>,
}

/// Sort follow-ups onto the board at `now`. A snooze that has run out (`snoozed_until <= now`) no
/// longer hides anything.
pub fn board<'a>(followups: &'a [Followup], me: &Me, now: DateTime<Utc>) -> FollowupBoard<'a> {
    let placing = Placing::new(me, now);
    let mut b = FollowupBoard::default();
    for f in followups {
        match placing.place(f) {
            Place::Closed => b.closed.push(f),
            Place::Snoozed => b.snoozed.push(f),
            Place::Open {
                bucket,
                due_at,
                waiting,
            } => {
                let row = FollowupRow { f, bucket, due_at };
                if waiting {
                    b.waiting.push(row);
                } else {
                    b.owe.push(row);
                }
            }
        }
    }
    let key = |r: &FollowupRow<'_>| (r.bucket, r.due_at, r.f.origin.line);
    b.owe.sort_by_key(key);
    b.waiting.sort_by_key(key);
    b.snoozed.sort_by_key(|f| (f.snoozed_until, f.origin.line));
    b
}

/// Where one follow-up goes on the [`board`] at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Done or dropped.
    Closed,
    /// Open but snoozed past now.
    Snoozed,
    /// Open and shown: in `owe` (or `waiting` when `waiting`), in `bucket`, due at `due_at`.
    Open {
        bucket: Bucket,
        due_at: Option<DateTime<Utc>>,
        waiting: bool,
    },
}

/// [`board`]'s placing of follow-ups at one instant, one record at a time (for a reader that
/// keeps a few numbers per record rather than the records: `tether agenda` on a big file).
#[derive(Debug, Clone, Copy)]
pub struct Placing {
    zone: Tz,
    today: NaiveDate,
    now: DateTime<Utc>,
}

impl Placing {
    pub fn new(me: &Me, now: DateTime<Utc>) -> Placing {
        let zone = me.zone_at(clamp(now));
        Placing {
            zone,
            today: local_date(zone, clamp(now)),
            now,
        }
    }

    pub fn place(&self, f: &Followup) -> Place {
        if f.status != Status::Open {
            Place::Closed
        } else if f.snoozed_until.is_some_and(|s| s > self.now) {
            Place::Snoozed
        } else {
            let (bucket, due_at) = classify(f.due, self.zone, self.today, self.now);
            Place::Open {
                bucket,
                due_at,
                waiting: f.waiting,
            }
        }
    }
}

/// How many open follow-ups, not snoozed past `now`, are due today or overdue: those you owe,
/// and those you wait for (the Overdue and Today buckets of [`board`], without building it).
pub fn pressing(followups: &[Followup], me: &Me, now: DateTime<Utc>) -> (usize, usize) {
    let open = followups.iter().filter(|f| f.status == Status::Open);
    pressing_of(open.map(FollowupTiming::of), me, now)
}

/// What [`pressing`] reads of an open follow-up (all `tether status` keeps of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FollowupTiming {
    pub due: Option<FollowupDue>,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub waiting: bool,
}

impl FollowupTiming {
    pub fn of(f: &Followup) -> FollowupTiming {
        FollowupTiming {
            due: f.due,
            snoozed_until: f.snoozed_until,
            waiting: f.waiting,
        }
    }
}

/// [`pressing`] of open follow-ups given by their timing.
pub fn pressing_of(
    open: impl IntoIterator<Item = FollowupTiming>,
    me: &Me,
    now: DateTime<Utc>,
) -> (usize, usize) {
    let zone = me.zone_at(clamp(now));
    let today = local_date(zone, clamp(now));
    let (mut owe, mut waiting) = (0, 0);
    for f in open {
        if f.snoozed_until.is_some_and(|s| s > now) {
            continue;
        }
        let (bucket, _) = classify(f.due, zone, today, now);
        if matches!(bucket, Bucket::Overdue | Bucket::Today) {
            if f.waiting {
                waiting += 1;
            } else {
                owe += 1;
            }
        }
    }
    (owe, waiting)
}

fn classify(
    due: Option<FollowupDue>,
    zone: Tz,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> (Bucket, Option<DateTime<Utc>>) {
    match due {
        None => (Bucket::Undated, None),
        Some(FollowupDue::At(t)) => {
            let bucket = if now > t {
                Bucket::Overdue
            } else if local_date(zone, clamp(t)) == today {
                Bucket::Today
            } else {
                Bucket::Upcoming
            };
            (bucket, Some(t))
        }
        Some(FollowupDue::Day(d)) => {
            // Whole local dates decide, so the bucket agrees with the calendar the user sees even
            // when the day is 23 or 25 hours long.
            let bucket = match d.cmp(&today) {
                std::cmp::Ordering::Less => Bucket::Overdue,
                std::cmp::Ordering::Equal => Bucket::Today,
                std::cmp::Ordering::Greater => Bucket::Upcoming,
            };
            (bucket, Some(day_bounds(zone, d).1))
        }
    }
}

/// The snooze picker's choices, in this order:
///
/// - `"1 hour"`: now + 1 hour.
/// - `"tomorrow"`: the start of your working hours on your next working day after today (today
///   is your local date now, in `me.zone_at(now)`). On a Friday that is Monday's start; a holiday
///   is skipped. Even before today's hours begin, it is a later day's start, not today's.
/// - `"next week"`: the start of your working hours on the first working day on or after next
///   Monday (on a Monday, the Monday a week later).
///
/// Each day's start is in the zone governing that day (travel included), and only starts after
/// now count. With no working day within a year, "tomorrow" is now + 1 day and "next week" now +
/// 7 days.
pub fn snooze_targets(me: &Me, now: DateTime<Utc>) -> Vec<(&'static str, DateTime<Utc>)> {
    let now_s = clamp(now);
    let today = local_date(me.zone_at(now_s), now_s);
    let next_monday = shift_date(today, 7 - i64::from(today.weekday().num_days_from_monday()));
    let hour = now
        .checked_add_signed(Duration::hours(1))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let hours = Schedule::of_me(me);
    let tomorrow = hours
        .first_start_from(shift_date(today, 1), now, LOOKAHEAD_DAYS)
        .unwrap_or_else(|| add_days(now, 1));
    let next_week = hours
        .first_start_from(next_monday, now, LOOKAHEAD_DAYS)
        .unwrap_or_else(|| add_days(now, 7));
    vec![
        ("1 hour", hour),
        ("tomorrow", tomorrow),
        ("next week", next_week),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Origin, Travel};
    use crate::domain::testkit;
    use crate::domain::testkit::{date, utc};
    use crate::domain::time::WeekdaySet;
    use chrono::Weekday;

    fn me(zone: Tz) -> Me {
        testkit::me(zone, "09:00-17:00")
    }
    fn fu(line: usize, due: Option<FollowupDue>) -> Followup {
        Followup {
            origin: Origin {
                line,
                text: format!("line {line}").into(),
            },
            id: None,
            client: None,
            who: None,
            what: format!("f{line}").into(),
            due,
            zone: chrono_tz::UTC,
            status: Status::Open,
            snoozed_until: None,
            waiting: false,
            created: None,
            done_at: None,
            every: None,
            bill: None,
        }
    }
    fn day(y: i32, m: u32, d: u32) -> Option<FollowupDue> {
        Some(FollowupDue::Day(date(y, m, d)))
    }
    fn at(t: DateTime<Utc>) -> Option<FollowupDue> {
        Some(FollowupDue::At(t))
    }
    fn lines(rows: &[FollowupRow<'_>]) -> Vec<(usize, Bucket)> {
        rows.iter().map(|r| (r.f.origin.line, r.bucket)).collect()
    }

    #[test]
    fn pressing_counts_what_the_board_puts_in_overdue_and_today() {
        let me = me(chrono_tz::Asia::Kolkata);
        let mut all = Vec::new();
        let dues = [
            None,
            day(2026, 11, 24),
            day(2026, 11, 25),
            day(2026, 11, 26),
            Some(FollowupDue::At(utc(2026, 11, 25, 3, 0))),
            Some(FollowupDue::At(utc(2026, 11, 25, 20, 0))),
            Some(FollowupDue::At(utc(2026, 11, 27, 3, 0))),
        ];
        for (k, due) in dues.into_iter().enumerate() {
            for variant in 0..4 {
                let mut f = fu(all.len() + 1, due);
                f.waiting = variant % 2 == 1;
                if variant == 2 {
                    f.snoozed_until = Some(utc(2026, 11, 30, 0, 0));
                }
                if variant == 3 && k % 2 == 0 {
                    f.status = Status::Done;
                }
                all.push(f);
            }
        }
        // Around the day's turn in Kolkata (+5:30), and in the middle of a day.
        for now in [
            utc(2026, 11, 25, 5, 0),
            utc(2026, 11, 25, 18, 29),
            utc(2026, 11, 25, 18, 31),
        ] {
            let b = board(&all, &me, now);
            let count = |rows: &[FollowupRow<'_>]| {
                rows.iter()
                    .filter(|r| matches!(r.bucket, Bucket::Overdue | Bucket::Today))
                    .count()
            };
            let want = (count(&b.owe), count(&b.waiting));
            assert_eq!(pressing(&all, &me, now), want, "at {now}");
            assert!(
                want.0 > 0 && want.1 > 0,
                "the mix has pressing items at {now}"
            );
        }
    }

    #[test]
    fn buckets_and_order() {
        let m = me(chrono_tz::Asia::Tokyo);
        // Tuesday 24 November 2026, 10:00 JST.
        let now = utc(2026, 11, 24, 1, 0);
        let mut fs = vec![
            fu(1, day(2026, 11, 23)),
            fu(2, day(2026, 11, 24)),
            fu(3, at(utc(2026, 11, 24, 0, 59))),
            fu(4, at(utc(2026, 11, 24, 14, 59))), // 23:59 JST
            fu(5, at(utc(2026, 11, 24, 15, 0))),  // 00:00 JST on the 25th
            fu(6, None),
            fu(7, day(2026, 11, 25)),
            fu(8, day(2026, 11, 20)),
            fu(9, day(2026, 11, 1)),
            fu(10, day(2026, 11, 24)),
            fu(11, None),
            fu(12, None),
            fu(13, None),
            fu(14, at(now)),
            fu(15, None),
        ];
        fs[6].waiting = true;
        fs[7].waiting = true;
        fs[8].snoozed_until = Some(now + Duration::hours(1));
        fs[9].snoozed_until = Some(now - Duration::hours(1));
        fs[10].status = Status::Done;
        fs[11].status = Status::Dropped;
        fs[12].status = Status::Done;
        fs[12].snoozed_until = Some(now + Duration::hours(1));
        fs[14].snoozed_until = Some(now + Duration::minutes(30));
        let b = board(&fs, &m, now);
        assert_eq!(
            lines(&b.owe),
            [
                (1, Bucket::Overdue),
                (3, Bucket::Overdue),
                (14, Bucket::Today),
                (4, Bucket::Today),
                (2, Bucket::Today),
                (10, Bucket::Today),
                (5, Bucket::Upcoming),
                (6, Bucket::Undated),
            ]
        );
        // Date-only: the end of that day in Tokyo.
        assert_eq!(b.owe[0].due_at, Some(utc(2026, 11, 23, 15, 0)));
        assert_eq!(b.owe[4].due_at, Some(utc(2026, 11, 24, 15, 0)));
        assert_eq!(b.owe[7].due_at, None);
        assert_eq!(
            lines(&b.waiting),
            [(8, Bucket::Overdue), (7, Bucket::Upcoming)]
        );
        let snoozed: Vec<usize> = b.snoozed.iter().map(|f| f.origin.line).collect();
        assert_eq!(snoozed, [15, 9]);
        let closed: Vec<usize> = b.closed.iter().map(|f| f.origin.line).collect();
        assert_eq!(closed, [11, 12, 13]);
    }

    #[test]
    fn date_only_due_is_in_your_zone() {
        // 03:00Z on the 24th is 22:00 on the 23rd in New York: still the 23rd's day.
        let m = me(chrono_tz::America::New_York);
        let now = utc(2026, 11, 24, 3, 0);
        let fs = [
            fu(1, day(2026, 11, 23)),
            fu(2, day(2026, 11, 22)),
            fu(3, day(2026, 11, 24)),
        ];
        let b = board(&fs, &m, now);
        assert_eq!(
            lines(&b.owe),
            [
                (2, Bucket::Overdue),
                (1, Bucket::Today),
                (3, Bucket::Upcoming)
            ]
        );
        assert_eq!(b.owe[1].due_at, Some(utc(2026, 11, 24, 5, 0)));
        // Two hours later it is midnight there: the 23rd is overdue.
        let b = board(&fs, &m, utc(2026, 11, 24, 5, 0));
        assert_eq!(b.owe[1].bucket, Bucket::Overdue);
        assert_eq!(b.owe[2].bucket, Bucket::Today);
    }

    #[test]
    fn travel_moves_your_day() {
        // At 16:00Z on the 23rd it is still the 23rd in London but the 24th in Tokyo.
        let mut m = me(chrono_tz::Europe::London);
        let fs = [fu(1, day(2026, 11, 23))];
        let now = utc(2026, 11, 23, 16, 0);
        assert_eq!(board(&fs, &m, now).owe[0].bucket, Bucket::Today);
        m.travel.push(Travel {
            from: date(2026, 11, 23),
            to: date(2026, 11, 27),
            zone: chrono_tz::Asia::Tokyo,
        });
        let b = board(&fs, &m, now);
        assert_eq!(b.owe[0].bucket, Bucket::Overdue);
        assert_eq!(b.owe[0].due_at, Some(utc(2026, 11, 23, 15, 0)));
    }

    #[test]
    fn snooze_choices() {
        let m = me(chrono_tz::UTC);
        // Wednesday 10:00.
        let t = snooze_targets(&m, utc(2026, 11, 25, 10, 0));
        let names: Vec<&str> = t.iter().map(|x| x.0).collect();
        assert_eq!(names, ["1 hour", "tomorrow", "next week"]);
        assert_eq!(t[0].1, utc(2026, 11, 25, 11, 0));
        assert_eq!(t[1].1, utc(2026, 11, 26, 9, 0));
        assert_eq!(t[2].1, utc(2026, 11, 30, 9, 0));
        // Friday evening: both on Monday.
        let t = snooze_targets(&m, utc(2026, 11, 27, 20, 0));
        assert_eq!(
            (t[1].1, t[2].1),
            (utc(2026, 11, 30, 9, 0), utc(2026, 11, 30, 9, 0))
        );
        // Monday before work: tomorrow is Tuesday, next week the Monday after.
        let t = snooze_targets(&m, utc(2026, 11, 30, 8, 0));
        assert_eq!(
            (t[1].1, t[2].1),
            (utc(2026, 12, 1, 9, 0), utc(2026, 12, 7, 9, 0))
        );
        // A holiday on next Monday: next week starts Tuesday.
        let mut hol = m.clone();
        hol.holidays.insert(date(2026, 11, 30));
        let t = snooze_targets(&hol, utc(2026, 11, 27, 20, 0));
        assert_eq!(
            (t[1].1, t[2].1),
            (utc(2026, 12, 1, 9, 0), utc(2026, 12, 1, 9, 0))
        );
        // Weekend worker: tomorrow is Saturday, next week's first work day is Saturday 5th.
        let mut wk = m.clone();
        wk.work_days = WeekdaySet::EMPTY;
        wk.work_days.insert(Weekday::Sat);
        wk.work_days.insert(Weekday::Sun);
        let t = snooze_targets(&wk, utc(2026, 11, 25, 10, 0));
        assert_eq!(
            (t[1].1, t[2].1),
            (utc(2026, 11, 28, 9, 0), utc(2026, 12, 5, 9, 0))
        );
        // Nobody works: fallbacks.
        let mut none = m.clone();
        none.work_days = WeekdaySet::EMPTY;
        let now = utc(2026, 11, 25, 10, 0);
        let t = snooze_targets(&none, now);
        assert_eq!(
            (t[1].1, t[2].1),
            (now + Duration::days(1), now + Duration::days(7))
        );
    }

    #[test]
    fn snooze_in_your_zone() {
        // Kiritimati (+14): Tue 20:00Z is Wednesday 10:00 there.
        let m = me(chrono_tz::Pacific::Kiritimati);
        let t = snooze_targets(&m, utc(2026, 11, 24, 20, 0));
        assert_eq!(t[1].1, utc(2026, 11, 25, 19, 0)); // Thu 09:00 local
        assert_eq!(t[2].1, utc(2026, 11, 29, 19, 0)); // Mon 09:00 local
    }

    #[test]
    fn absurd_instants() {
        let m = me(chrono_tz::Pacific::Kiritimati);
        let fs = [
            fu(1, Some(FollowupDue::Day(NaiveDate::MAX))),
            fu(2, Some(FollowupDue::Day(NaiveDate::MIN))),
            fu(3, at(DateTime::<Utc>::MAX_UTC)),
            fu(4, at(DateTime::<Utc>::MIN_UTC)),
        ];
        for now in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            utc(0, 1, 1, 0, 0),
        ] {
            let b = board(&fs, &m, now);
            assert_eq!(b.owe.len(), 4);
            let t = snooze_targets(&m, now);
            assert_eq!(t.len(), 3);
        }
        let b = board(&fs, &m, utc(2026, 1, 1, 0, 0));
        assert_eq!(
            lines(&b.owe),
            [
                (2, Bucket::Overdue),
                (4, Bucket::Overdue),
                (1, Bucket::Upcoming),
                (3, Bucket::Upcoming)
            ]
        );
    }
}
