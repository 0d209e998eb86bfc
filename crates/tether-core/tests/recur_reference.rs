//! Recurring items against a brute-force walk (issue 18): the next occurrence the rule gives is
//! the earliest day after this one that is the image of a date matching the rule, moved off the
//! client's closed days as `on_holiday` says, found here by testing every day of two years
//! against the rule's plain definition, with random holidays, weekends and month ends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use std::collections::BTreeSet;
use tether_core::domain::model::Client;
use tether_core::domain::recur::{HolidayMove, On, Recurrence, Unit};
use tether_core::domain::schedule::Schedule;
use tether_core::store::config::parse_config;

fn last_day(d: NaiveDate) -> u32 {
    let first = d.with_day(1).unwrap();
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.unwrap().pred_opt().unwrap().day()
}

/// Whether `d` is a date of the rule (every one: n = 1).
fn matches(on: On, d: NaiveDate) -> bool {
    match on {
        On::Weekday(w) => d.weekday() == w,
        On::MonthDay(k) => d.day() == k.min(last_day(d)),
        On::LastOfMonth => d.day() == last_day(d),
        On::YearDay(m, k) => {
            d.month() == m
                && (d.day() == k || (m == 2 && k == 29 && d.day() == 28 && last_day(d) == 28))
        }
        On::Same => unreachable!(),
    }
}

fn moved(c: &Client, how: HolidayMove, d: NaiveDate) -> NaiveDate {
    let works = |x: NaiveDate| c.days.contains(x.weekday()) && !c.holidays.contains(&x);
    let mut x = d;
    for _ in 0..60 {
        if works(x) || how == HolidayMove::Keep {
            return x;
        }
        x = match how {
            HolidayMove::Before => x.pred_opt().unwrap(),
            _ => x.succ_opt().unwrap(),
        };
    }
    d
}

fn on_strategy() -> impl Strategy<Value = (Unit, On)> {
    prop_oneof![
        (0u32..7).prop_map(|w| (Unit::Week, On::Weekday(Weekday::try_from(w as u8).unwrap()))),
        (1u32..=31).prop_map(|d| (Unit::Month, On::MonthDay(d))),
        Just((Unit::Month, On::LastOfMonth)),
        (1u32..=12, 1u32..=31).prop_filter_map("a real date", |(m, d)| {
            NaiveDate::from_ymd_opt(2024, m, d).map(|_| (Unit::Year, On::YearDay(m, d)))
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn the_next_occurrence_is_the_first_moved_rule_date_after_this_one(
        (unit, on) in on_strategy(),
        how in prop_oneof![Just(HolidayMove::Keep), Just(HolidayMove::Before), Just(HolidayMove::After)],
        start in 0u64..3000,
        holidays in proptest::collection::vec(0u64..800, 0..40),
        saturday_works in any::<bool>(),
    ) {
        let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let this = base + Days::new(start);
        let (config, _) = parse_config("[me]\nzone = \"Asia/Tokyo\"\n[[clients]]\nid = \"c\"\nzone = \"Asia/Tokyo\"\n");
        let mut c = config.clients[0].clone();
        c.holidays = holidays.iter().map(|k| this + Days::new(*k)).collect::<BTreeSet<_>>();
        if saturday_works {
            c.days.insert(Weekday::Sat);
        }
        let rule = Recurrence { n: 1, unit, on, on_holiday: how };
        let s = Schedule::of_client(&c);
        let works = |d: NaiveDate| s.works_on(d);
        let ours = rule.next_date(this, Some(&works));
        // Every rule date from two months back to two years on, moved; the earliest after this.
        let from = this - Days::new(62);
        let expected = (0..800u64)
            .map(|k| from + Days::new(k))
            .filter(|d| matches(on, *d))
            .map(|d| moved(&c, how, d))
            .filter(|d| *d > this)
            .min();
        prop_assert_eq!(ours, expected);
    }
}
