//! The timer (issue 17), for random sequences and random days:
//!
//! - Logged time is never counted twice: random starts, stops, hand entries, undos and lines
//!   arriving twice (a sync), written through the store's journalled append to a real data
//!   directory and loaded back, always give a deadline's spent time as its hand `spent` plus a
//!   simple reference sum over the entries still in the log, each once.
//! - A running timer across midnight, a daylight-saving change and a trip: it counts real time
//!   (instants) up to the end of the working day it started in and never past it, is flagged
//!   exactly from then on, and never counts more than a day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::collections::BTreeSet;
use tether_core::domain::model::{Me, Travel};
use tether_core::domain::time::{ClockRange, WeekdaySet, local_date};
use tether_core::domain::timelog::{cap, counted, flag};
use tether_core::store::capture::timer::{self, StopAt, Target};
use tether_core::store::load::load_dir;
use tether_core::store::write::{DataFile, Store};

#[derive(Debug, Clone)]
enum Op {
    /// Start (or switch to) a timer on deadline 0 or 1.
    Start(usize),
    Stop,
    /// A hand entry of this many minutes on deadline 0 or 1.
    Add(usize, i64),
    Undo,
    /// The last line of the log arrives again (a sync that copied it twice).
    Repeat,
    /// Time passes (minutes).
    Wait(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize).prop_map(Op::Start),
        Just(Op::Stop),
        (0..2usize, 1..300i64).prop_map(|(d, m)| Op::Add(d, m)),
        Just(Op::Undo),
        Just(Op::Repeat),
        (1..600i64).prop_map(Op::Wait),
    ]
}

const IDS: [&str; 2] = ["d-a", "d-b"];

/// An entry as the reference keeps it: id, deadline, start, end, hand time.
type Entry = (
    String,
    usize,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Duration,
);

/// The reference: what each deadline has logged, from the log's lines as they are (each entry
/// once by id; a stop ends its entry; a running entry counts to now, capped).
fn reference(text: &str, me: &Me, now: DateTime<Utc>) -> [Duration; 2] {
    let mut seen = BTreeSet::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut stops: Vec<(String, DateTime<Utc>)> = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(of) = v.get("stop") {
            let at = DateTime::parse_from_rfc3339(v["at"].as_str().unwrap()).unwrap();
            stops.push((of.as_str().unwrap().to_string(), at.with_timezone(&Utc)));
            continue;
        }
        let id = v["id"].as_str().unwrap().to_string();
        if !seen.insert(id.clone()) {
            continue;
        }
        let d = IDS
            .iter()
            .position(|x| Some(*x) == v["deadline"].as_str())
            .unwrap();
        match v.get("start") {
            Some(s) => {
                let s = DateTime::parse_from_rfc3339(s.as_str().unwrap())
                    .unwrap()
                    .with_timezone(&Utc);
                entries.push((id, d, s, None, Duration::zero()));
            }
            None => {
                let m = tether_core::domain::time::parse_duration(v["spent"].as_str().unwrap())
                    .unwrap();
                entries.push((id, d, now, Some(now), m));
            }
        }
    }
    for (of, at) in stops {
        if let Some(e) = entries.iter_mut().find(|e| e.0 == of) {
            e.3 = Some(e.3.map_or(at, |x| x.min(at)));
        }
    }
    let mut out = [Duration::zero(); 2];
    for (_, d, start, end, hand) in entries {
        out[d] += hand
            + match end {
                Some(end) => end - start,
                None => (now.min(cap(me, start)) - start).max(Duration::zero()),
            };
    }
    out
}

fn data_dir() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(
        t.path().join("tether.toml"),
        "[me]\nzone = \"Europe/London\"\nwork_hours = \"09:00-17:30\"\n",
    )
    .unwrap();
    std::fs::write(
        t.path().join("deadlines.jsonl"),
        "{\"id\":\"d-a\",\"title\":\"A\",\"due\":\"2027-01-29\",\"estimate\":\"200h\",\"spent\":\"2h\"}\n\
         {\"id\":\"d-b\",\"title\":\"B\",\"due\":\"2027-01-29\",\"estimate\":\"200h\"}\n",
    )
    .unwrap();
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn logged_time_is_never_counted_twice(ops in prop::collection::vec(op(), 1..14)) {
        let tmp = data_dir();
        let dir = tmp.path();
        let store = Store::new(dir);
        // Saturday 24 Oct 2026, 08:00 London: the night the clocks go back is ahead.
        let mut now = Utc.with_ymd_and_hms(2026, 10, 24, 7, 0, 0).unwrap();
        for op in ops {
            let loaded = load_dir(dir);
            match op {
                Op::Start(d) => {
                    let target = loaded.model.deadlines.iter().find(|x| x.id.as_deref() == Some(IDS[d])).unwrap();
                    if let Ok(s) = timer::stop(&loaded, now, StopAt::Now) {
                        store.append(DataFile::Timelog, &s.capture.line, "stop", now).unwrap();
                    }
                    let loaded = load_dir(dir);
                    let target = loaded.model.deadlines.iter().find(|x| x.id == target.id).unwrap();
                    let c = timer::start(&loaded, now, &Target::Deadline(target), None).unwrap();
                    store.append(DataFile::Timelog, &c.line, "start", now).unwrap();
                }
                Op::Stop => {
                    if let Ok(s) = timer::stop(&loaded, now, StopAt::Now) {
                        store.append(DataFile::Timelog, &s.capture.line, "stop", now).unwrap();
                    }
                }
                Op::Add(d, m) => {
                    let target = loaded.model.deadlines.iter().find(|x| x.id.as_deref() == Some(IDS[d])).unwrap();
                    let c = timer::add(&loaded, now, &format!("{m}m"), &Target::Deadline(target), None, None).unwrap();
                    store.append(DataFile::Timelog, &c.line, "add", now).unwrap();
                }
                Op::Undo => {
                    let _ = store.undo_last(now);
                }
                Op::Repeat => {
                    let text = std::fs::read_to_string(dir.join("timelog.jsonl")).unwrap_or_default();
                    if let Some(last) = text.lines().last() {
                        store.append(DataFile::Timelog, last, "repeat", now).unwrap();
                    }
                }
                Op::Wait(m) => now += Duration::minutes(m),
            }
            let loaded = load_dir(dir);
            let text = std::fs::read_to_string(dir.join("timelog.jsonl")).unwrap_or_default();
            let want = reference(&text, &loaded.model.config.me, now);
            for (i, id) in IDS.iter().enumerate() {
                let d = loaded.model.deadlines.iter().find(|x| x.id.as_deref() == Some(*id)).unwrap();
                let hand = if i == 0 { Duration::hours(2) } else { Duration::zero() };
                prop_assert_eq!(d.spent_at(now), hand + want[i], "{} at {}:\n{}", id, now, text);
            }
            // Nothing but the duplicates (a repeated id) is reported.
            prop_assert!(
                loaded.diagnostics.iter().all(|d| d.message.contains("duplicate id")),
                "{:?}", loaded.diagnostics
            );
        }
    }
}

const ZONES: [Tz; 4] = [
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::America::Sao_Paulo,
];

/// Days around daylight-saving changes in `ZONES` (and one without).
const DAYS: [(i32, u32, u32); 5] = [
    (2026, 3, 28),
    (2026, 10, 24),
    (2026, 11, 1),
    (2026, 4, 4),
    (2026, 6, 10),
];

fn me_in(zone: Tz, start_h: u32, len_h: u32, trip: Option<(Tz, NaiveDate)>) -> Me {
    let s = NaiveTime::from_hms_opt(start_h, 0, 0).unwrap();
    let e = NaiveTime::from_hms_opt((start_h + len_h) % 24, 0, 0).unwrap();
    Me {
        name: String::new(),
        zone,
        work_hours: ClockRange::new(s, e),
        work_days: WeekdaySet::WORKWEEK,
        holidays: BTreeSet::new(),
        days_off: Default::default(),
        travel: trip
            .map(|(z, d)| {
                vec![Travel {
                    from: d,
                    to: d + Duration::days(2),
                    zone: z,
                }]
            })
            .unwrap_or_default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn a_running_timer_counts_real_time_up_to_the_end_of_its_day(
        zone in 0..ZONES.len(),
        trip_zone in prop::option::of(0..ZONES.len()),
        day in 0..DAYS.len(),
        start_h in 0u32..20,
        len_h in 1u32..12,
        start_min in 0i64..(48 * 60),
        waits in prop::collection::vec(1i64..(20 * 60), 1..6),
    ) {
        let (y, m, d) = DAYS[day];
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let trip = trip_zone.map(|z| (ZONES[z], date));
        let me = me_in(ZONES[zone], start_h, len_h, trip);
        let start = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap()) + Duration::minutes(start_min);
        let c = cap(&me, start);
        prop_assert!(c > start, "cap {c} not after start {start}");
        // Never a whole day and more: over night it stops counting.
        prop_assert!(c - start <= Duration::hours(26), "cap {c} for start {start}");
        // The cap is the end of your hours, or a midnight, where you were when it started (on
        // the first day of a trip, the hours of that day, which are the trip's, or those of the
        // night shift begun the day before, at home).
        let here = me.zone_at(start);
        let that_day = me.zone_on(local_date(here, start));
        let day_before = me.zone_on(local_date(here, start) - Duration::days(1));
        let end = me.work_hours.end();
        let fits = |z: Tz| {
            let t = c.with_timezone(&z).time();
            t == end || t == NaiveTime::MIN
                // A daylight-saving gap at the end moves it to the jump.
                || z.offset_from_utc_datetime(&c.naive_utc())
                    != z.offset_from_utc_datetime(&(c - Duration::hours(3)).naive_utc())
        };
        prop_assert!(fits(here) || fits(that_day) || fits(day_before), "cap {} for start {} in {}", c, start, here);
        let local_cap = c.with_timezone(&here).time();
        // A cap at midnight ends the day the timer started (where you were).
        if local_cap == NaiveTime::MIN && local_cap != end {
            prop_assert_eq!(local_date(here, c - Duration::minutes(1)), local_date(here, start));
        }
        let mut now = start;
        let mut last = Duration::zero();
        for w in waits {
            now += Duration::minutes(w);
            let n = counted(&me, start, now);
            prop_assert!(n >= last, "counted went back");
            last = n;
            if now <= c {
                // Real time, in instants: a daylight-saving night counts its real length.
                prop_assert_eq!(n, now - start);
                prop_assert!(flag(&me, start, now).is_none());
            } else {
                prop_assert_eq!(n, c - start);
                prop_assert!(flag(&me, start, now).is_some());
            }
        }
    }
}
