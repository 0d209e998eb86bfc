//! The clock status, send window, capacity and meeting slots, for random timetables around real
//! daylight-saving changes, against a slow reference that walks minute by minute.
//!
//! The reference knows nothing of `Schedule`: for each minute it reads the wall clock in the
//! zone with chrono-tz and checks the weekday, the hours and the holidays directly. The one rule
//! it shares with the code is the documented one (docs/decisions.md, "Working hours"): hours
//! follow the wall clock, which never counts an hour twice — so the reference reads the highest
//! time the clock has shown so far, which stands still while a repeated hour replays.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::collections::BTreeSet;
use tether_core::domain::capacity::{WorkCalendar, capacity};
use tether_core::domain::clocks::{BusinessStatus, SendWindow, business_status, send_window};
use tether_core::domain::holidays::DayOff;
use tether_core::domain::model::{Client, Me, Travel};
use tether_core::domain::schedule::Schedule;
use tether_core::domain::slots::best_slots;
use tether_core::domain::time::{ClockRange, WeekdaySet};

const ZONES: [Tz; 6] = [
    chrono_tz::Europe::London,
    chrono_tz::America::Sao_Paulo,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::America::New_York,
    chrono_tz::Asia::Tokyo,
    chrono_tz::Pacific::Chatham,
];

/// Days with a daylight-saving change somewhere in `ZONES`: London's and New York's 2026 gaps and
/// repeated hours, São Paulo's midnight gap (15 Oct 2017) and midnight repeat (18 Feb 2018),
/// Lord Howe's half-hour changes, Chatham's 02:45.
const ANCHORS: [(i32, u32, u32); 10] = [
    (2026, 3, 29),
    (2026, 10, 25),
    (2017, 10, 15),
    (2018, 2, 17),
    (2026, 10, 4),
    (2026, 4, 5),
    (2026, 3, 8),
    (2026, 11, 1),
    (2026, 9, 27),
    (2026, 4, 6),
];

/// Hours a freelancer meets: day, night, ending at midnight, all day, inside a gap, short.
const HOURS: [(u32, u32, i64); 9] = [
    (9, 0, 8 * 60),
    (22, 0, 8 * 60),
    (16, 0, 8 * 60),
    (0, 0, 24 * 60),
    (1, 30, 75),
    (0, 0, 8 * 60),
    (23, 30, 135),
    (2, 15, 30),
    (8, 30, 9 * 60),
];

/// The walk covers this many days from its start; queries fall inside with room after them.
const WALK_DAYS: i64 = 11;

fn range(i: usize) -> ClockRange {
    let (h, m, minutes) = HOURS[i];
    ClockRange {
        start: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
        minutes,
    }
}

fn weekdays(mask: u8) -> WeekdaySet {
    let mut s = WeekdaySet::EMPTY;
    for (i, d) in [
        chrono::Weekday::Mon,
        chrono::Weekday::Tue,
        chrono::Weekday::Wed,
        chrono::Weekday::Thu,
        chrono::Weekday::Fri,
        chrono::Weekday::Sat,
        chrono::Weekday::Sun,
    ]
    .iter()
    .enumerate()
    {
        if mask & (1 << i) != 0 {
            s.insert(*d);
        }
    }
    s
}

/// A timetable as the reference sees it: plain data, no methods of the code under test.
struct Plain {
    zone: Tz,
    trip: Option<(NaiveDate, NaiveDate, Tz)>,
    start: NaiveTime,
    minutes: i64,
    mask: u8,
    holidays: BTreeSet<NaiveDate>,
}

impl Plain {
    fn zone_of(&self, d: NaiveDate) -> Tz {
        match self.trip {
            Some((from, to, z)) if from <= d && d <= to => z,
            _ => self.zone,
        }
    }

    fn zones(&self) -> Vec<Tz> {
        let mut v = vec![self.zone];
        if let Some((_, _, z)) = self.trip
            && z != self.zone
        {
            v.push(z);
        }
        v
    }

    fn works(&self, d: NaiveDate) -> bool {
        self.mask & (1 << d.weekday().num_days_from_monday()) != 0 && !self.holidays.contains(&d)
    }

    /// Whether the wall time `hw` (in `zone`) lies in a shift of a date governed by `zone`.
    fn in_hours(&self, zone: Tz, hw: NaiveDateTime) -> bool {
        let today = hw.date();
        [today - Duration::days(1), today].into_iter().any(|d| {
            let s = d.and_time(self.start);
            self.zone_of(d) == zone
                && self.works(d)
                && s <= hw
                && hw < s + Duration::minutes(self.minutes)
        })
    }
}

/// Open or not at each minute of `[from, from + WALK_DAYS)`.
fn walk(p: &Plain, from: DateTime<Utc>) -> Vec<bool> {
    let n = (WALK_DAYS * 1440) as usize;
    let mut open = vec![false; n];
    for zone in p.zones() {
        let local = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local();
        // The highest time the clock has shown; start it from the last few hours so a walk that
        // begins inside a repeated hour still knows the clock has been further.
        let mut hw = (0..=12)
            .map(|k| local(from - Duration::minutes(15 * k)))
            .max()
            .unwrap();
        for (i, slot) in open.iter_mut().enumerate() {
            hw = hw.max(local(from + Duration::minutes(i as i64)));
            *slot |= p.in_hours(zone, hw);
        }
    }
    open
}

fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn one_schedule_agrees_with_a_minute_walk(
        anchor in 0usize..ANCHORS.len(),
        zone in 0usize..ZONES.len(),
        my_zone in 0usize..ZONES.len(),
        trip_zone in 0usize..ZONES.len(),
        hours in 0usize..HOURS.len(),
        my_hours in 0usize..HOURS.len(),
        mask in 1u8..128,
        my_mask in 1u8..128,
        holidays in proptest::collection::vec(0i64..WALK_DAYS, 0..3),
        trip in proptest::option::of((0i64..WALK_DAYS, 0i64..4)),
        queries in proptest::collection::vec(1440i64..(6 * 1440), 6),
        spans in proptest::collection::vec((1440i64..(7 * 1440), 0i64..(3 * 1440)), 3),
    ) {
        let (y, m, d) = ANCHORS[anchor];
        let from = utc(y, m, d) - Duration::days(3);
        let day0 = from.date_naive();
        let hol: BTreeSet<NaiveDate> = holidays.iter().map(|k| day0 + Duration::days(*k)).collect();

        let client = Client {
            id: "c".into(),
            name: "c".into(),
            zone: ZONES[zone],
            unknown_zone: None,
            city: String::new(),
            hours: range(hours),
            days: weekdays(mask),
            holidays: hol.clone(),
            days_off: Default::default(),
            champion: None,
            people: Vec::new(),
            gift_area: Default::default(),
            retainer: None,
            milestones: Vec::new(),
            billing: None,
            contact_every: None,
            visit_every: None,
            example: false,
        };
        let travel: Vec<Travel> = trip
            .map(|(s, len)| Travel {
                from: day0 + Duration::days(s),
                to: day0 + Duration::days(s + len),
                zone: ZONES[trip_zone],
            })
            .into_iter()
            .collect();
        let me = Me {
            name: "me".into(),
            zone: ZONES[my_zone],
            work_hours: range(my_hours),
            work_days: weekdays(my_mask),
            holidays: hol.clone(),
            days_off: Default::default(),
            travel: travel.clone(),
        };
        let theirs = walk(
            &Plain {
                zone: ZONES[zone],
                trip: None,
                start: range(hours).start,
                minutes: range(hours).minutes,
                mask,
                holidays: hol.clone(),
            },
            from,
        );
        let mine = walk(
            &Plain {
                zone: ZONES[my_zone],
                trip: travel.first().map(|t| (t.from, t.to, t.zone)),
                start: range(my_hours).start,
                minutes: range(my_hours).minutes,
                mask: my_mask,
                holidays: hol.clone(),
            },
            from,
        );
        let at = |i: i64| from + Duration::minutes(i);
        let first_after = |v: &[bool], i: i64, want: bool| {
            (i + 1..v.len() as i64).find(|k| v[*k as usize] == want).map(at)
        };

        for q in &queries {
            let t = at(*q);
            let open = theirs[*q as usize];
            prop_assert_eq!(Schedule::of_client(&client).is_open(t), open, "client at {}", t);
            prop_assert_eq!(Schedule::of_me(&me).is_open(t), mine[*q as usize], "me at {}", t);
            let next_change = first_after(&theirs, *q, !open);
            let status = business_status(&client, t);
            let window = send_window(&client, t);
            match (open, next_change) {
                (true, Some(closes)) => {
                    prop_assert_eq!(window, SendWindow::OpenNow { closes_at: closes });
                    prop_assert_eq!(status, BusinessStatus::Open { closes_in: closes - t, closes_at: closes });
                }
                (false, Some(opens)) => {
                    prop_assert_eq!(window, SendWindow::Next { opens_at: opens });
                    let holiday = hol.contains(&t.with_timezone(&client.zone).date_naive());
                    let want = if holiday {
                        BusinessStatus::Holiday { opens_at: Some(opens), why: DayOff::Holiday }
                    } else {
                        BusinessStatus::Closed { opens_in: opens - t, opens_at: opens }
                    };
                    prop_assert_eq!(status, want);
                }
                // No change before the walk ends: the code may see one later.
                (true, None) => prop_assert!(status.is_open()),
                (false, None) => prop_assert!(!status.is_open()),
            }
        }

        let cal = WorkCalendar::new(&me, at(0), at(WALK_DAYS * 1440));
        for (a, len) in &spans {
            let b = (a + len).min(WALK_DAYS * 1440);
            let count = |v: &[bool]| v[*a as usize..b as usize].iter().filter(|x| **x).count() as i64;
            let want = Duration::minutes(count(&mine));
            prop_assert_eq!(capacity(&me, at(*a), at(b)), want);
            prop_assert_eq!(cal.capacity(at(*a), at(b)), want);
            prop_assert_eq!(
                Schedule::of_client(&client).working_time(at(*a), at(b)),
                Duration::minutes(count(&theirs))
            );
        }
    }
}

/// The first instant the wall clock of `zone` shows `wall` or later, by walking minutes from
/// well before it (the documented rule, without `Schedule`).
fn reaching_walk(zone: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    let mut t = Utc.from_utc_datetime(&wall) - Duration::hours(16);
    let mut hw = t.with_timezone(&zone).naive_local();
    while hw < wall {
        t += Duration::minutes(1);
        hw = hw.max(t.with_timezone(&zone).naive_local());
    }
    t
}

/// A slot as the reference ranks it (docs/decisions.md, "Meeting slots").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RefSlot {
    off_day: bool,
    stretch: i64,
    neg_margin: i64,
    start: i64,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// `tether slots` against a search of every quarter hour, minute by minute, over the same
    /// timetables (around real daylight-saving changes, with holidays).
    #[test]
    fn meeting_slots_agree_with_a_minute_search(
        anchor in 0usize..ANCHORS.len(),
        zones in proptest::collection::vec(0usize..ZONES.len(), 1..4),
        hours in proptest::collection::vec(0usize..HOURS.len(), 3),
        masks in proptest::collection::vec(1u8..128, 3),
        my_zone in 0usize..ZONES.len(),
        my_hours in 0usize..HOURS.len(),
        my_mask in 1u8..128,
        holidays in proptest::collection::vec(0i64..WALK_DAYS, 0..3),
        start in (2 * 1440i64)..(4 * 1440),
        span in 60i64..(5 * 1440),
        length in prop::sample::select(vec![15i64, 30, 45, 60, 90, 120, 240]),
        count in 1usize..8,
    ) {
        let (y, m, d) = ANCHORS[anchor];
        let from = utc(y, m, d) - Duration::days(3);
        let day0 = from.date_naive();
        let hol: BTreeSet<NaiveDate> = holidays.iter().map(|k| day0 + Duration::days(*k)).collect();
        let at = |i: i64| from + Duration::minutes(i);
        let clients: Vec<Client> = zones
            .iter()
            .enumerate()
            .map(|(i, z)| Client {
                id: format!("c{i}"),
                name: format!("c{i}"),
                zone: ZONES[*z],
                unknown_zone: None,
                city: String::new(),
                hours: range(hours[i]),
                days: weekdays(masks[i]),
                holidays: hol.clone(),
                days_off: Default::default(),
                champion: None,
                people: Vec::new(),
                gift_area: Default::default(),
                retainer: None,
                milestones: Vec::new(),
                billing: None,
                contact_every: None,
                visit_every: None,
                example: false,
            })
            .collect();
        let me = Me {
            name: "me".into(),
            zone: ZONES[my_zone],
            work_hours: range(my_hours),
            work_days: weekdays(my_mask),
            holidays: hol.clone(),
            days_off: Default::default(),
            travel: Vec::new(),
        };
        let opens: Vec<Vec<bool>> = clients
            .iter()
            .enumerate()
            .map(|(i, c)| {
                walk(
                    &Plain {
                        zone: c.zone,
                        trip: None,
                        start: c.hours.start,
                        minutes: c.hours.minutes,
                        mask: masks[i],
                        holidays: hol.clone(),
                    },
                    from,
                )
            })
            .collect();
        let end = start + span;
        // The code measures margins against each client's hours up to two days beyond the
        // window; so does the reference.
        let (lo, hi) = (start - 2 * 1440, end + 2 * 1440);
        let mut candidates = Vec::new();
        for s in start..=(end - length) {
            if at(s).timestamp() % (15 * 60) != 0 {
                continue;
            }
            let e = s + length;
            if !opens.iter().all(|o| o[s as usize..e as usize].iter().all(|x| *x)) {
                continue;
            }
            let margin = opens
                .iter()
                .map(|o| {
                    let mut a = s;
                    while a > lo && o[a as usize - 1] {
                        a -= 1;
                    }
                    let mut b = e;
                    while b < hi && o[b as usize] {
                        b += 1;
                    }
                    (s - a).min(b - e)
                })
                .min()
                .unwrap();
            let date = at(s).with_timezone(&me.zone).date_naive();
            let wall = date.and_time(me.work_hours.start);
            let hs = reaching_walk(me.zone, wall);
            let he = reaching_walk(me.zone, wall + Duration::minutes(me.work_hours.minutes));
            let stretch = if he <= hs {
                length
            } else {
                (hs - at(s)).num_minutes().max(0) + (at(e) - he).num_minutes().max(0)
            };
            let works = my_mask & (1 << date.weekday().num_days_from_monday()) != 0
                && !hol.contains(&date);
            candidates.push(RefSlot { off_day: !works, stretch, neg_margin: -margin, start: s });
        }
        candidates.sort();
        let mut want: Vec<RefSlot> = Vec::new();
        for c in candidates {
            if want.len() == count {
                break;
            }
            if want.iter().all(|w| c.start + length <= w.start || w.start + length <= c.start) {
                want.push(c);
            }
        }
        let refs: Vec<&Client> = clients.iter().collect();
        let got = best_slots(&me, &refs, at(start), at(end), Duration::minutes(length), count);
        let got: Vec<RefSlot> = got
            .iter()
            .map(|s| RefSlot {
                off_day: s.off_day,
                stretch: s.stretch.num_minutes(),
                neg_margin: -s.margin.num_minutes(),
                start: (s.start - from).num_minutes(),
            })
            .collect();
        prop_assert_eq!(got, want);
    }
}
