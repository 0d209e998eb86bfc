//! Retainers (issue 17, contracts): "retainer periods across month ends and DST". For random
//! start days (the 28th to 31st and any other), week or month periods, client zones with
//! daylight-saving changes (and one without), and random instants over years that include leap
//! Februaries:
//!
//! - the period holding an instant holds it, begins at midnight in the client's zone, and its
//!   end is the start of the next period (and its start the end of the one before): periods
//!   tile time with no gap and no overlap;
//! - its days agree with a brute-force walk over the client's calendar, one day at a time, for
//!   the latest day on or before today that begins a period and the first one after it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use tether_core::domain::retainer::{Every, Retainer, period_at, period_dates};
use tether_core::domain::time::local_date;

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe", // a half-hour change
    "America/Santiago",    // changes at midnight
    "Asia/Tokyo",          // none
];

/// Whether the client's date `d` begins a period: by brute force, from the rule as written.
fn begins(r: &Retainer, d: NaiveDate) -> bool {
    match r.every {
        Every::Week => d.weekday() == r.starts.weekday(),
        Every::Month => {
            let last = (28..=31)
                .rev()
                .find(|&n| NaiveDate::from_ymd_opt(d.year(), d.month(), n).is_some())
                .unwrap();
            d.day() == r.starts.day().min(last)
        }
    }
}

fn walk(r: &Retainer, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let mut first = today;
    while !begins(r, first) {
        first = first.pred_opt().unwrap();
    }
    let mut next = first.succ_opt().unwrap();
    while !begins(r, next) {
        next = next.succ_opt().unwrap();
    }
    (first, next)
}

fn retainer() -> impl Strategy<Value = Retainer> {
    (
        prop_oneof![Just(Every::Month), Just(Every::Week)],
        prop_oneof![28u32..=31, 1u32..=31],
        1u32..=12,
        any::<bool>(),
    )
        .prop_map(|(every, day, month, rollover)| {
            let starts = (0..4)
                .find_map(|k| NaiveDate::from_ymd_opt(2026, month, day - k))
                .unwrap();
            Retainer {
                hours: Duration::hours(20),
                every,
                starts,
                rollover,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn periods_tile_time_across_month_ends_and_dst(
        r in retainer(),
        zone in 0..ZONES.len(),
        // 2023 to 2029: the leap Februaries of 2024 and 2028, and every DST change between.
        secs in 1_672_531_200i64..1_893_456_000i64,
    ) {
        let zone: Tz = ZONES[zone].parse().unwrap();
        let now: DateTime<Utc> = Utc.timestamp_opt(secs, 0).unwrap();
        let (s, e) = period_at(&r, zone, now);
        prop_assert!(s <= now && now < e, "{now} not in [{s}, {e})");
        // Begins at the client's midnight (or the first instant of a day DST skips into).
        let local = s.with_timezone(&zone);
        let before = (s - Duration::seconds(1)).with_timezone(&zone);
        prop_assert!(
            local.date_naive() != before.date_naive(),
            "{s} ({local}) is not the first instant of a day in {zone}"
        );
        prop_assert!(local.hour() <= 1, "{local}");
        // No gap, no overlap: the next period starts at this end, the one before ends here.
        let (s2, e2) = period_at(&r, zone, e);
        prop_assert_eq!(s2, e);
        prop_assert!(e2 > e);
        let (s0, e0) = period_at(&r, zone, s - Duration::seconds(1));
        prop_assert_eq!(e0, s);
        prop_assert!(s0 < s);
        // Its days, against a brute-force walk of the calendar.
        let today = local_date(zone, now);
        let days = period_dates(&r, today);
        prop_assert_eq!(days, walk(&r, today));
        prop_assert_eq!(local_date(zone, s), days.0);
        prop_assert_eq!(local_date(zone, e), days.1);
        let len = (days.1 - days.0).num_days();
        match r.every {
            Every::Week => prop_assert_eq!(len, 7),
            Every::Month => prop_assert!((28..=31).contains(&len), "{len} days"),
        }
    }
}
