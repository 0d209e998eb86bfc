//! The week view's grid against a slow reference that walks every minute of the seven days.
//!
//! The reference knows nothing of `Schedule` nor of `domain::week`: for each minute it reads the
//! wall clocks with chrono-tz and checks the weekday, the hours, the holidays and your trips as
//! tether.toml gives them. Like `schedule_reference.rs` it shares one rule with the code, the
//! documented one (docs/decisions.md, "Working hours"): hours follow the wall clock, which never
//! counts an hour twice, so it reads the highest time the clock has shown so far. A minute
//! belongs to the cell of your day whose wall-clock span shows it; a cell holds a state when the
//! state holds at some minute of it. The weeks cover a holiday, your trip, and daylight-saving
//! changes where you are (Berlin) and where a client is (São Paulo's midnight gap and repeat).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::path::Path;
use tether_core::domain::holidays::DaysOff;
use tether_core::domain::model::{Client, Config, Me, Travel};
use tether_core::domain::time::{ClockRange, WeekdaySet};
use tether_core::domain::week::{Cell, DAYS, week};

/// A timetable as the reference sees it: plain data read off the config, no methods of it.
struct Plain {
    home: Tz,
    trips: Vec<(NaiveDate, NaiveDate, Tz)>,
    start: chrono::NaiveTime,
    minutes: i64,
    days: Vec<chrono::Weekday>,
    holidays: BTreeSet<NaiveDate>,
}

/// The typed holidays and every date of 2025-2028 that a public holiday or closure takes (the
/// data's answer, read date by date: the week view's schedule is what is checked).
fn with_days_off(typed: &BTreeSet<NaiveDate>, off: &DaysOff) -> BTreeSet<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2028, 12, 31).unwrap();
    let mut all = typed.clone();
    all.extend(
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| off.contains(*d)),
    );
    all
}

const WEEKDAYS: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

impl Plain {
    fn of(
        zone: Tz,
        trips: &[Travel],
        hours: ClockRange,
        days: WeekdaySet,
        holidays: &BTreeSet<NaiveDate>,
    ) -> Plain {
        Plain {
            home: zone,
            trips: trips.iter().map(|t| (t.from, t.to, t.zone)).collect(),
            start: hours.start,
            minutes: hours.minutes,
            days: WEEKDAYS.into_iter().filter(|d| days.contains(*d)).collect(),
            holidays: holidays.clone(),
        }
    }

    fn me(m: &Me) -> Plain {
        let holidays = with_days_off(&m.holidays, &m.days_off);
        Plain::of(m.zone, &m.travel, m.work_hours, m.work_days, &holidays)
    }

    /// A client's days off: the dates typed in `holidays`, and every date its built-in public
    /// holidays or closures take (`DaysOff::contains`; their dates are checked against Python's
    /// holidays package in tests/holidays_oracle.rs) over the years the weeks here reach.
    fn client(c: &Client) -> Plain {
        Plain::of(
            c.zone,
            &[],
            c.hours,
            c.days,
            &with_days_off(&c.holidays, &c.days_off),
        )
    }

    fn zone_of(&self, d: NaiveDate) -> Tz {
        self.trips
            .iter()
            .find(|(from, to, _)| *from <= d && d <= *to)
            .map_or(self.home, |t| t.2)
    }

    fn zones(&self) -> Vec<Tz> {
        let mut v = vec![self.home];
        for t in &self.trips {
            if !v.contains(&t.2) {
                v.push(t.2);
            }
        }
        v
    }

    /// Whether wall time `hw` in `zone` lies in the hours of a date governed by `zone` that
    /// `take` accepts.
    fn in_hours(&self, zone: Tz, hw: NaiveDateTime, take: impl Fn(NaiveDate) -> bool) -> bool {
        let today = hw.date();
        [today - Duration::days(1), today].into_iter().any(|d| {
            let s = d.and_time(self.start);
            self.zone_of(d) == zone
                && self.days.contains(&d.weekday())
                && take(d)
                && s <= hw
                && hw < s + Duration::minutes(self.minutes)
        })
    }

    /// (working, holiday hours) at each minute of `[from, from + n minutes)`.
    fn walk(&self, from: DateTime<Utc>, n: usize) -> Vec<(bool, bool)> {
        let mut out = vec![(false, false); n];
        for zone in self.zones() {
            let local = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local();
            let mut hw = (0..=12)
                .map(|k| local(from - Duration::minutes(15 * k)))
                .max()
                .unwrap();
            for (i, slot) in out.iter_mut().enumerate() {
                hw = hw.max(local(from + Duration::minutes(i as i64)));
                slot.0 |= self.in_hours(zone, hw, |d| !self.holidays.contains(&d));
                slot.1 |= self.in_hours(zone, hw, |d| self.holidays.contains(&d));
            }
        }
        out
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// What the reference expects of one day: per cell, the flags and its length in minutes.
#[derive(Debug, Default, Clone)]
struct Expect {
    me: Vec<Cell>,
    clients: Vec<Vec<Cell>>,
    minutes: Vec<i64>,
}

fn check(config: &Config, view: DateTime<Utc>, now: DateTime<Utc>, per_hour: u32) {
    let me = Plain::me(&config.me);
    let clients: Vec<Plain> = config.clients.iter().map(Plain::client).collect();
    // Your first day: the date where you are at `view`.
    let zone_then = me
        .trips
        .iter()
        .find(|(from, to, z)| {
            let d = view.with_timezone(z).date_naive();
            *from <= d && d <= *to
        })
        .map_or(me.home, |t| t.2);
    let first = view.with_timezone(&zone_then).date_naive();
    // Every minute from a day before the first date to two days after the last (in UTC), wide
    // enough for any offset.
    let from = Utc.from_utc_datetime(&(first - Duration::days(1)).and_hms_opt(0, 0, 0).unwrap());
    let n = ((DAYS as i64 + 3) * 1440) as usize;
    let mine = me.walk(from, n);
    let theirs: Vec<Vec<(bool, bool)>> = clients.iter().map(|c| c.walk(from, n)).collect();
    let cells = 24 * per_hour as usize;
    let step = 60 / per_hour;
    let shown: Vec<&Client> = config.clients.iter().collect();
    let got = week(&config.me, &shown, view, now, per_hour);
    assert_eq!(got.days.len(), DAYS);
    for (k, day) in got.days.iter().enumerate() {
        let date = first + Duration::days(k as i64);
        assert_eq!(day.date, date);
        let zone = me.zone_of(date);
        let mut e = Expect {
            me: vec![Cell::default(); cells],
            clients: vec![vec![Cell::default(); cells]; clients.len()],
            minutes: vec![0; cells],
        };
        let mut last_minute: Vec<Option<DateTime<Utc>>> = vec![None; cells];
        let local = |t: DateTime<Utc>| t.with_timezone(&zone).naive_local();
        let mut hw = local(from);
        for i in 0..n {
            let t = from + Duration::minutes(i as i64);
            hw = hw.max(local(t));
            if hw.date() != date {
                continue;
            }
            let c = ((hw.hour() * 60 + hw.minute()) / step) as usize;
            e.minutes[c] += 1;
            last_minute[c] = Some(t);
            let (m, mh) = mine[i];
            e.me[c].mine |= m;
            e.me[c].holiday |= mh;
            for (j, th) in theirs.iter().enumerate() {
                let (o, oh) = th[i];
                let cell = &mut e.clients[j][c];
                cell.mine |= m;
                cell.theirs |= o;
                cell.both |= m && o;
                cell.holiday |= oh;
            }
        }
        for c in 0..cells {
            let span = day.cell_span(c).unwrap();
            let what = format!("{date} cell {c} ({per_hour}/h, view {view})");
            assert_eq!(span.len().num_minutes(), e.minutes[c], "length of {what}");
            let past = last_minute[c].is_some_and(|t| t + Duration::minutes(1) <= now);
            let strip_past = |x: Cell| Cell { past: false, ..x };
            if e.minutes[c] > 0 {
                assert_eq!(day.me.cells[c].past, past, "past of {what}");
            }
            assert_eq!(strip_past(day.me.cells[c]), e.me[c], "you, {what}");
            for (j, lane) in day.clients.iter().enumerate() {
                let id = &config.clients[j].id;
                assert_eq!(strip_past(lane.cells[c]), e.clients[j][c], "{id}, {what}");
            }
            let reach = e.clients.iter().filter(|l| l[c].both).count();
            let open = e.clients.iter().filter(|l| l[c].theirs).count();
            assert_eq!(day.reachable[c], reach, "reachable, {what}");
            assert_eq!(day.open[c], open, "open, {what}");
        }
    }
}

fn example() -> Config {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/example");
    let loaded = tether_core::store::load::load_config(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.model.config
}

/// The example from Brisbane: this week, the week of Christmas (your holidays and your clients'),
/// the week your Tokyo trip starts, at an hour and at half an hour a cell.
#[test]
fn the_example_weeks_agree_with_a_minute_walk() {
    let config = example();
    let now = at("2026-11-25T09:30:00+10:00");
    for view in [
        now,
        at("2026-12-23T09:30:00+10:00"),
        at("2027-01-08T20:00:00+10:00"),
    ] {
        for per_hour in [1, 2] {
            check(&config, view, now, per_hour);
        }
    }
}

fn client(id: &str, zone: Tz, hours: &str, holidays: &[NaiveDate]) -> Client {
    let mut c = example().clients.remove(0);
    c.id = id.into();
    c.name = id.into();
    c.zone = zone;
    c.hours = ClockRange::parse(hours).unwrap();
    c.days = WeekdaySet::WORKWEEK;
    c.holidays = holidays.iter().copied().collect();
    c
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// You in Berlin (by day, and every night, across the changes), clients in São Paulo, New York and
/// Tokyo, over the weeks of Berlin's 2026 changes and São Paulo's midnight gap (15 Oct 2017) and
/// repeat (17/18 Feb 2018), with a holiday on a working day in each.
#[test]
fn daylight_saving_weeks_agree_with_a_minute_walk() {
    let weeks = [
        ("2026-03-26T12:00:00+01:00", date(2026, 3, 27)),
        ("2026-10-22T12:00:00+02:00", date(2026, 10, 26)),
        ("2017-10-12T12:00:00+02:00", date(2017, 10, 16)),
        ("2018-02-14T12:00:00+01:00", date(2018, 2, 16)),
    ];
    for hours in ["09:00-17:00", "22:00-06:00"] {
        for (view, holiday) in weeks {
            let view = at(view);
            let mut config = example();
            config.me.zone = chrono_tz::Europe::Berlin;
            config.me.travel.clear();
            config.me.work_hours = ClockRange::parse(hours).unwrap();
            // Nights every day, so a shift runs across the Sunday changes.
            if hours.starts_with("22") {
                config.me.work_days = WeekdaySet::ALL;
            }
            config.me.holidays = [holiday].into_iter().collect();
            config.clients = vec![
                client(
                    "nortec",
                    chrono_tz::America::Sao_Paulo,
                    "09:00-18:00",
                    &[holiday],
                ),
                client("acme", chrono_tz::America::New_York, "08:00-16:00", &[]),
                client("kanda", chrono_tz::Asia::Tokyo, "09:00-18:00", &[holiday]),
            ];
            for per_hour in [1, 2] {
                check(&config, view, view, per_hour);
            }
        }
    }
}
