//! Recurring items: `"every":"month on 25"` on a deadline or follow-up. Each occurrence is its
//! own line; when one is done the next is written (see `store::recur`), due on the next date the
//! rule gives after it, at the same wall-clock time in the record's zone (so "the 25th at 18:00
//! in Tokyo" stays that across DST, and is the 24th in São Paulo). A date that is not a working
//! day of the client moves as `on_holiday` says: `keep` (default), `before` or `after`.
//!
//! Written forms (case-insensitive, a number optional): `day`, `2 days`, `week`,
//! `week on tue`, `2 weeks on mon`, `month`, `month on 25`, `month on last`, `3 months on 1`,
//! `year`, `year on 12-20`. Without `on`, the day is the current occurrence's (its weekday, its
//! day of the month, its date); a day past a month's end is that month's last day.

use super::time::local_to_utc;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// Which day of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The current occurrence's day.
    Same,
    Weekday(Weekday),
    /// Day of the month (1-31; past the month's end: its last day).
    MonthDay(u32),
    LastOfMonth,
    /// Month and day of the year.
    YearDay(u32, u32),
}

/// Where an occurrence on a day the client does not work goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HolidayMove {
    #[default]
    Keep,
    Before,
    After,
}

impl HolidayMove {
    pub fn parse(s: &str) -> Result<HolidayMove, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "keep" => Ok(HolidayMove::Keep),
            "before" => Ok(HolidayMove::Before),
            "after" => Ok(HolidayMove::After),
            _ => Err(format!(
                "cannot read {s:?}: write \"keep\", \"before\" (the working day before) or \"after\""
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub n: u32,
    pub unit: Unit,
    pub on: On,
    pub on_holiday: HolidayMove,
}

const FORMS: &str =
    "\"week on tue\", \"month on 25\", \"month on last\", \"2 weeks\" or \"year on 12-20\"";

impl Recurrence {
    pub fn parse(s: &str) -> Result<Recurrence, String> {
        let bad = |why: &str| format!("cannot read {s:?}: {why}; write it like {FORMS}");
        let lower = s.trim().to_ascii_lowercase();
        let (period, on) = match lower.split_once(" on ") {
            Some((p, o)) => (p.trim(), Some(o.trim())),
            None => (lower.as_str(), None),
        };
        let mut words = period.split_whitespace();
        let first = words.next().ok_or_else(|| bad("it is empty"))?;
        let (n, unit_word) = match first.parse::<u32>() {
            Ok(n) => (n, words.next().ok_or_else(|| bad("a number needs a unit"))?),
            Err(_) => (1, first),
        };
        if words.next().is_some() {
            return Err(bad("too many words"));
        }
        if n == 0 || n > 1000 {
            return Err(bad("the number must be from 1 to 1000"));
        }
        let unit = match unit_word.trim_end_matches('s') {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => return Err(bad("the unit is day, week, month or year")),
        };
        let on = match (unit, on) {
            (_, None) => On::Same,
            (Unit::Day, Some(_)) => return Err(bad("\"every day\" takes no \"on\"")),
            (Unit::Week, Some(o)) => On::Weekday(
                super::time::WeekdaySet::parse_day(o)
                    .map_err(|_| bad("after \"on\" comes a weekday such as tue"))?,
            ),
            (Unit::Month, Some("last")) => On::LastOfMonth,
            (Unit::Month, Some(o)) => match o
                .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
                .parse::<u32>()
            {
                Ok(d) if (1..=31).contains(&d) => On::MonthDay(d),
                _ => {
                    return Err(bad(
                        "after \"on\" comes a day of the month, 1 to 31, or \"last\"",
                    ));
                }
            },
            (Unit::Year, Some(o)) => {
                let parsed = o.split_once('-').and_then(|(m, d)| {
                    let (m, d) = (m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
                    // 2024 is a leap year: 02-29 is a day of some years.
                    NaiveDate::from_ymd_opt(2024, m, d).map(|_| (m, d))
                });
                match parsed {
                    Some((m, d)) => On::YearDay(m, d),
                    None => return Err(bad("after \"on\" comes a date such as 12-20")),
                }
            }
        };
        Ok(Recurrence {
            n,
            unit,
            on,
            on_holiday: HolidayMove::Keep,
        })
    }

    /// In words, for a detail view: "every month on 25; on a day they are closed, the working
    /// day before".
    pub fn describe(&self) -> String {
        let unit = match self.unit {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        let mut s = match self.n {
            1 => format!("every {unit}"),
            n => format!("every {n} {unit}s"),
        };
        match self.on {
            On::Same => {}
            On::Weekday(w) => s.push_str(&format!(" on {w}")),
            On::MonthDay(d) => s.push_str(&format!(" on the {d}")),
            On::LastOfMonth => s.push_str(" on the last day"),
            On::YearDay(m, d) => s.push_str(&format!(" on {m:02}-{d:02}")),
        }
        s.push_str(match self.on_holiday {
            HolidayMove::Keep => "; kept on a day they are closed",
            HolidayMove::Before => "; on a day they are closed, the working day before",
            HolidayMove::After => "; on a day they are closed, the working day after",
        });
        s.push_str("; the next is written when this one is done");
        s
    }

    /// The nominal dates of the rule, in order, from a few periods before that of `from` (a
    /// date of an earlier period can be moved past `from`: 28 February moved after a weekend
    /// is 2 March) on.
    fn nominal_from(&self, from: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        // Moves reach at most 60 days (see `moved`): start that far back.
        let back = match self.unit {
            Unit::Day => 62 / self.n + 1,
            Unit::Week => 9 / self.n + 1,
            Unit::Month => 2 / self.n + 1,
            Unit::Year => 1,
        };
        let anchor = self.back(from, back);
        // `On::Same`: the day (and month) of `from` itself, not of the anchor.
        let (same_month, same_day) = (from.month(), from.day());
        (0u32..).map_while(move |k| {
            let step = k.checked_mul(self.n)?;
            match self.unit {
                Unit::Day => anchor.checked_add_days(Days::new(u64::from(step))),
                Unit::Week => {
                    let start = anchor.checked_add_days(Days::new(7 * u64::from(step)))?;
                    Some(match self.on {
                        On::Weekday(w) => {
                            // The given weekday of that week (weeks from Monday).
                            let monday = start
                                - Days::new(u64::from(start.weekday().num_days_from_monday()));
                            monday + Days::new(u64::from(w.num_days_from_monday()))
                        }
                        _ => start,
                    })
                }
                Unit::Month => {
                    let first = anchor.with_day(1)?.checked_add_months(Months::new(step))?;
                    let last = last_of_month(first)?;
                    Some(match self.on {
                        On::MonthDay(d) => first.with_day(d).unwrap_or(last),
                        On::LastOfMonth => last,
                        _ => first.with_day(same_day).unwrap_or(last),
                    })
                }
                Unit::Year => {
                    let year = anchor.year().checked_add(i32::try_from(step).ok()?)?;
                    let (m, d) = match self.on {
                        On::YearDay(m, d) => (m, d),
                        _ => (same_month, same_day),
                    };
                    // 02-29 in a year without it: 28 February.
                    NaiveDate::from_ymd_opt(year, m, d)
                        .or_else(|| NaiveDate::from_ymd_opt(year, m, d - 1))
                }
            }
        })
    }

    /// `from` moved `periods` periods back, at the rule's step (the anchor of its dates).
    fn back(&self, from: NaiveDate, periods: u32) -> NaiveDate {
        let steps = periods.saturating_mul(self.n);
        let back = match self.unit {
            Unit::Day => from.checked_sub_days(Days::new(u64::from(steps))),
            Unit::Week => from.checked_sub_days(Days::new(7 * u64::from(steps))),
            // Only the period counts for months and years (the day comes from the rule).
            Unit::Month => from
                .with_day(1)
                .and_then(|f| f.checked_sub_months(Months::new(steps))),
            Unit::Year => i32::try_from(steps)
                .ok()
                .and_then(|s| NaiveDate::from_ymd_opt(from.year().checked_sub(s)?, 1, 1)),
        };
        back.unwrap_or(from)
    }

    /// The due of the occurrence after one due at `due`, at the same wall-clock time in `zone`
    /// (the record's), moved off the days `works` says are not working days (the client's), as
    /// `on_holiday` says. Always later than `due`; None past the calendar's end.
    pub fn next_due(
        &self,
        due: DateTime<Utc>,
        zone: Tz,
        works: Option<&dyn Fn(NaiveDate) -> bool>,
    ) -> Option<DateTime<Utc>> {
        let local = due.with_timezone(&zone).naive_local();
        let this = local.date();
        let next = self.next_date(this, works)?;
        Some(local_to_utc(zone, next.and_time(local.time())))
    }

    /// The date of the occurrence after one on `this` (see [`Recurrence::next_due`]).
    pub fn next_date(
        &self,
        this: NaiveDate,
        works: Option<&dyn Fn(NaiveDate) -> bool>,
    ) -> Option<NaiveDate> {
        // A date the rule gives that lands on or before `this` once moved (this occurrence,
        // moved off a holiday) is skipped: the next is the first that moves past it.
        self.nominal_from(this)
            .take(2000)
            .map(|d| self.moved(d, works))
            .find(|d| *d > this)
    }

    /// `d` moved off the days `works` says the client is closed, as `on_holiday` says.
    fn moved(&self, d: NaiveDate, works: Option<&dyn Fn(NaiveDate) -> bool>) -> NaiveDate {
        let Some(works) = works else { return d };
        let step: i64 = match self.on_holiday {
            HolidayMove::Keep => return d,
            HolidayMove::Before => -1,
            HolidayMove::After => 1,
        };
        let mut x = d;
        // A schedule with no working day at all: the date stays.
        for _ in 0..60 {
            if works(x) {
                return x;
            }
            x = match step {
                -1 => x.pred_opt().unwrap_or(x),
                _ => x.succ_opt().unwrap_or(x),
            };
        }
        d
    }
}

fn last_of_month(first: NaiveDate) -> Option<NaiveDate> {
    first.checked_add_months(Months::new(1))?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::{client, date};
    use chrono::TimeZone;
    use chrono_tz::{America, Asia, Europe};

    fn rule(s: &str) -> Recurrence {
        Recurrence::parse(s).unwrap()
    }

    #[test]
    fn the_written_forms_read_and_mistakes_say_how_to_write_them() {
        assert_eq!(rule("Month on 25").on, On::MonthDay(25));
        assert_eq!(rule("month on 25th").on, On::MonthDay(25));
        assert_eq!(rule("month on last").on, On::LastOfMonth);
        assert_eq!(rule("2 weeks on mon").n, 2);
        assert_eq!(rule("week on tue").on, On::Weekday(Weekday::Tue));
        assert_eq!(rule("year on 12-20").on, On::YearDay(12, 20));
        assert_eq!(rule("3 days").unit, Unit::Day);
        for bad in [
            "",
            "fortnight",
            "month on 32",
            "0 weeks",
            "week on someday",
            "day on 3",
            "year on 02-30",
        ] {
            let e = Recurrence::parse(bad).unwrap_err();
            assert!(e.contains("month on 25"), "{bad}: {e}");
        }
    }

    #[test]
    fn month_ends_clamp_and_come_back() {
        let r = rule("month on 31");
        assert_eq!(
            r.next_date(date(2027, 1, 31), None),
            Some(date(2027, 2, 28))
        );
        assert_eq!(
            r.next_date(date(2027, 2, 28), None),
            Some(date(2027, 3, 31))
        );
        assert_eq!(
            rule("month on last").next_date(date(2028, 1, 31), None),
            Some(date(2028, 2, 29))
        );
        // Without "on", the day of this occurrence.
        assert_eq!(
            rule("month").next_date(date(2026, 11, 25), None),
            Some(date(2026, 12, 25))
        );
        assert_eq!(
            rule("year").next_date(date(2028, 2, 29), None),
            Some(date(2029, 2, 28))
        );
        assert_eq!(
            rule("2 weeks").next_date(date(2026, 12, 1), None),
            Some(date(2026, 12, 15))
        );
        assert_eq!(
            rule("week on fri").next_date(date(2026, 12, 1), None),
            Some(date(2026, 12, 4))
        );
        assert_eq!(
            rule("week on tue").next_date(date(2026, 12, 1), None),
            Some(date(2026, 12, 8))
        );
    }

    /// "the 25th in Tokyo is the 24th in São Paulo": the rule is read in the record's zone.
    #[test]
    fn the_25th_in_tokyo_is_the_24th_in_sao_paulo() {
        let due = Asia::Tokyo
            .with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .unwrap()
            .to_utc();
        let next = rule("month on 25")
            .next_due(due, Asia::Tokyo, None)
            .unwrap();
        assert_eq!(
            next,
            Asia::Tokyo
                .with_ymd_and_hms(2026, 12, 25, 9, 0, 0)
                .unwrap()
                .to_utc()
        );
        let there = next.with_timezone(&America::Sao_Paulo);
        assert_eq!(
            (there.day(), there.format("%H:%M").to_string()),
            (24, "21:00".into())
        );
    }

    /// The wall-clock time stays across a clock change (Berlin, 29 March 2026).
    #[test]
    fn the_time_of_day_stays_across_a_clock_change() {
        let due = Europe::Berlin
            .with_ymd_and_hms(2026, 3, 23, 10, 0, 0)
            .unwrap()
            .to_utc();
        let next = rule("week").next_due(due, Europe::Berlin, None).unwrap();
        assert_eq!(
            next,
            Europe::Berlin
                .with_ymd_and_hms(2026, 3, 30, 10, 0, 0)
                .unwrap()
                .to_utc()
        );
        assert_eq!(next - due, chrono::Duration::hours(167));
    }

    /// A holiday moves the occurrence the way the record says, and the next one comes from
    /// the rule again (no drift).
    #[test]
    fn a_holiday_moves_the_occurrence_before_or_after_and_the_rule_goes_on() {
        let mut kanda = client("kanda", Asia::Tokyo);
        // Friday 25 December 2026 is a holiday there; 26-27 are a weekend.
        kanda.holidays.insert(date(2026, 12, 25));
        let schedule = crate::domain::schedule::Schedule::of_client(&kanda);
        let works = |d: NaiveDate| schedule.works_on(d);
        let s: &dyn Fn(NaiveDate) -> bool = &works;
        let mut r = rule("month on 25");
        assert_eq!(
            r.next_date(date(2026, 11, 25), Some(s)),
            Some(date(2026, 12, 25))
        );
        r.on_holiday = HolidayMove::Before;
        assert_eq!(
            r.next_date(date(2026, 11, 25), Some(s)),
            Some(date(2026, 12, 24))
        );
        assert_eq!(
            r.next_date(date(2026, 12, 24), Some(s)),
            Some(date(2027, 1, 25))
        );
        r.on_holiday = HolidayMove::After;
        assert_eq!(
            r.next_date(date(2026, 11, 25), Some(s)),
            Some(date(2026, 12, 28))
        );
        assert_eq!(
            r.next_date(date(2026, 12, 28), Some(s)),
            Some(date(2027, 1, 25))
        );
    }
}
