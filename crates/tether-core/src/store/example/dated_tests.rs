//! The dated example at many instants: day one is never red, and every date is where a person
//! would have put it.

use super::*;
use crate::domain::board::{Board, BoardFilter, Section};
use crate::domain::model::Status;
use crate::domain::model::{Client, Model};
use crate::domain::risk::Risk;
use crate::domain::schedule::{Schedule, shift_date};
use crate::domain::time::local_date;
use crate::store::load::load_dir;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The instants checked: around month ends, daylight-saving changes (Stuttgart's clocks move
/// inside next week), weekends, the year's end, Golden Week; then one every 22 hours for a year (so
/// every hour of every weekday comes round).
fn instants() -> Vec<DateTime<Utc>> {
    let mut v: Vec<DateTime<Utc>> = [
        "2027-01-31T23:30:00+10:00",
        "2027-02-28T16:00:00+10:00",
        "2026-04-30T17:45:00+10:00",
        "2026-11-30T23:59:59+10:00",
        "2027-03-26T18:00:00+10:00",
        "2027-03-28T00:59:59Z",
        "2027-03-28T01:00:00Z",
        "2026-10-23T09:00:00+10:00",
        "2026-10-25T02:30:00+01:00",
        "2026-12-12T10:00:00+10:00",
        "2026-12-13T23:59:00+10:00",
        "2026-12-24T17:29:00+10:00",
        "2026-12-31T12:00:00+10:00",
        "2027-01-01T00:00:00+10:00",
        "2027-04-30T20:00:00+10:00",
        "2026-11-25T09:30:00+10:00",
    ]
    .iter()
    .map(|s| at(s))
    .collect();
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    v.extend((0..400).map(|i| start + Duration::hours(22 * i)));
    v
}

fn load_at(now: DateTime<Utc>) -> Model {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    write_dated_example(&dir, now).unwrap();
    let loaded = load_dir(&dir);
    assert!(
        loaded.diagnostics.is_empty(),
        "at {now}: {:#?}",
        loaded.diagnostics
    );
    loaded.model
}

/// The example loaded from disk at each of [`instants`], once for all the tests here.
fn examples() -> &'static [(DateTime<Utc>, Model)] {
    static ALL: std::sync::OnceLock<Vec<(DateTime<Utc>, Model)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| instants().into_iter().map(|t| (t, load_at(t))).collect())
}

fn client<'m>(m: &'m Model, id: Option<&str>) -> &'m Client {
    m.config.client(id.unwrap()).unwrap()
}

/// The first day on or after `from` that you and the client both work.
fn both_work_from(m: &Model, c: &Client, from: NaiveDate) -> NaiveDate {
    let (me, them) = (Schedule::of_me(&m.config.me), Schedule::of_client(c));
    (0..28)
        .map(|i| shift_date(from, i))
        .find(|d| me.works_on(*d) && them.works_on(*d))
        .unwrap()
}

#[test]
fn nothing_is_overdue_or_at_risk_on_day_one() {
    for (now, m) in examples() {
        let now = *now;
        let board = Board::compute(m, &BoardFilter::default(), now);
        assert_eq!(board.deadlines.len(), 6, "at {now}");
        for d in &board.deadlines {
            assert!(
                d.risk < Risk::AtRisk,
                "at {now}: {} is {:?} ({:?})",
                d.of(m).map_or("?".into(), |d| d.title.to_string()),
                d.risk,
                d.risk
            );
        }
        for f in &board.followups {
            assert!(
                !f.overdue() && !matches!(f.section, Section::Overdue | Section::Today),
                "at {now}: {} is {:?}",
                f.of(m).map_or("?".into(), |f| f.what.to_string()),
                f.section
            );
        }
        assert_eq!(board.heat.len(), 5, "at {now}");
        for h in &board.heat {
            assert!(
                !h.heat.contact_overdue && !h.heat.visit_overdue,
                "at {now}: {} {:?}",
                h.client.id,
                h.heat
            );
        }
        assert!(m.interactions.iter().all(|i| i.at < now), "at {now}");
    }
}

#[test]
fn deadlines_fall_tomorrow_and_next_week_in_the_clients_hours() {
    for (now, m) in examples() {
        let now = *now;
        let today = local_date(m.config.me.zone, now);
        let monday = shift_date(today, -i64::from(today.weekday().num_days_from_monday()));
        let next_monday = shift_date(monday, 7);
        let (mut tomorrow, mut next_week) = (0, 0);
        for d in m.deadlines.iter().filter(|d| d.status == Status::Open) {
            let c = client(m, d.client.as_deref());
            let date = local_date(c.zone, d.due);
            let shift = Schedule::of_client(c).shift_on(date);
            assert!(
                shift.is_some_and(|s| s.start < d.due && d.due <= s.end),
                "at {now}: {} due {} is outside {}'s hours",
                d.title,
                d.due.with_timezone(&c.zone),
                c.id
            );
            // Next week: that day, or the first day after it that both of you work (Golden
            // Week can make that the same day as "tomorrow").
            let next = date >= next_monday
                && (0..7)
                    .map(|i| shift_date(next_monday, i))
                    .any(|x| x <= date && both_work_from(m, c, x) == date);
            if next {
                next_week += 1;
            } else {
                assert_eq!(
                    date,
                    both_work_from(m, c, shift_date(today, 1)),
                    "at {now}: {} is neither tomorrow nor next week",
                    d.title
                );
                tomorrow += 1;
            }
        }
        assert_eq!(tomorrow + next_week, 6, "at {now}");
        assert!(next_week >= 3, "at {now}: {tomorrow} {next_week}");
    }
}

#[test]
fn contacts_are_in_the_clients_hours_and_one_was_last_tuesday() {
    for (now, m) in examples() {
        let now = *now;
        let today = local_date(m.config.me.zone, now);
        for i in &m.interactions {
            let c = client(m, Some(&i.client));
            let date = local_date(c.zone, i.at);
            let hours = Schedule::of_client(c).hours_on(date).unwrap();
            assert!(
                c.days.contains(date.weekday()) && hours.contains(i.at),
                "at {now}: {} {} at {}",
                c.id,
                i.kind,
                i.at.with_timezone(&c.zone)
            );
        }
        let last = m.interactions.last().unwrap();
        let date = local_date(client(m, Some(&last.client)).zone, last.at);
        assert_eq!(date.weekday(), Weekday::Tue, "at {now}");
        assert!(
            (1..=7).contains(&(today - date).num_days()),
            "at {now}: {date}"
        );
    }
}

#[test]
fn your_days_off_and_trip_are_weeks_away_and_the_same_instant_gives_the_same_files() {
    for (now, m) in examples().iter().take(20) {
        let now = *now;
        let today = local_date(m.config.me.zone, now);
        let soon = shift_date(today, 14);
        assert!(m.config.me.holidays.iter().all(|d| *d > soon), "at {now}");
        assert!(m.config.me.travel.iter().all(|t| t.from > soon), "at {now}");
        assert!(m.config.clients.iter().all(|c| c.example), "at {now}");
        assert_eq!(dated_files(now), dated_files(now));
        let text: String = dated_files(now).into_iter().map(|(_, t)| t).collect();
        assert!(!text.contains('<') && !text.contains('>'), "{text}");
    }
}

/// Issue 17: Nortec's retainer (20h a month) began 15 to 21 days ago and has the example's
/// 6h 30m on it (3h timed, 2h by hand, 1h 30m timed), all in this period, at every instant.
#[test]
fn the_retainer_has_begun_and_counts_the_examples_hours() {
    for (now, m) in examples() {
        let c = client(m, Some("nortec"));
        let b = crate::domain::retainer::burn(m, c, *now).unwrap();
        assert!(b.begun, "at {now}");
        assert_eq!(
            (b.hours, b.used),
            (Duration::hours(20), Duration::minutes(390)),
            "at {now}"
        );
        assert_eq!(m.timelog.len(), 3);
    }
}
