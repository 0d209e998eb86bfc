//! Holiday weeks through the one schedule rule: the business status, capacity, risk, send
//! windows, snooze targets, the week view and the clocks' notice all see the built-in public
//! holidays and closures (Golden Week, an Obon closure, Christmas in Germany, Diwali in India,
//! Carnival in Brazil).

use super::{Closure, DayOff, PublicHolidays};
use crate::domain::capacity::{capacity, latest_start};
use crate::domain::clocks::{BusinessStatus, SendWindow, business_status, clock_rows, send_window};
use crate::domain::model::{AlertSettings, Client, Config, Deadline, Status};
use crate::domain::risk::{Risk, assess};
use crate::domain::schedule::{SEARCH_DAYS, Schedule};
use crate::domain::testkit::{date, me, utc};
use crate::domain::time::ClockRange;
use crate::domain::week::week;
use chrono::Duration;
use chrono_tz::{America, Asia, Europe, Tz};

fn client(id: &str, zone: Tz, country: &str, region: Option<&str>) -> Client {
    let mut c = Client {
        city: String::new(),
        hours: ClockRange::parse("09:00-18:00").unwrap(),
        ..crate::domain::testkit::client(id, zone)
    };
    c.days_off.public = Some(PublicHolidays::resolve(country, region).unwrap());
    c
}

#[test]
fn golden_week_closes_a_tokyo_client_and_names_the_day() {
    let kanda = client("kanda", Asia::Tokyo, "JP", None);
    // Tue 4 May 2027, 10:00 JST: Greenery Day; open again Thu 6 May 09:00 JST (00:00Z).
    let now = utc(2027, 5, 4, 1, 0);
    let status = business_status(&kanda, now);
    assert_eq!(
        status,
        BusinessStatus::Holiday {
            opens_at: Some(utc(2027, 5, 6, 0, 0)),
            why: DayOff::Public("Greenery Day"),
        }
    );
    assert_eq!(
        status.describe_in(Asia::Tokyo),
        "holiday: Greenery Day · opens Thu 09:00"
    );
    assert_eq!(
        send_window(&kanda, now),
        SendWindow::Next {
            opens_at: utc(2027, 5, 6, 0, 0)
        }
    );
    // Culture Day, as the issue says it.
    let culture = business_status(&kanda, utc(2026, 11, 3, 3, 0));
    assert_eq!(culture.describe(), "holiday: Culture Day");
    // The snooze picker's "tomorrow" on Tue 4 May is Thu 6 May.
    let s = Schedule::of_client(&kanda);
    assert_eq!(
        s.first_start_from(date(2027, 5, 4), now, SEARCH_DAYS),
        Some(utc(2027, 5, 6, 0, 0))
    );
}

#[test]
fn your_own_country_takes_your_capacity_and_risk_sees_it() {
    let mut you = me(Asia::Tokyo, "09:00-17:00");
    you.days_off.public = Some(PublicHolidays::resolve("JP", None).unwrap());
    // Mon 3 - Sun 9 May 2027: only Thu 6 and Fri 7 are worked.
    let (from, to) = (utc(2027, 5, 2, 15, 0), utc(2027, 5, 9, 15, 0));
    assert_eq!(capacity(&you, from, to), Duration::hours(16));
    // 24h of work due Fri 7 May 17:00 JST must have started in April: Fri 30 Apr 09:00 JST.
    let due = utc(2027, 5, 7, 8, 0);
    assert_eq!(
        latest_start(&you, due, Duration::hours(24)),
        Some(utc(2027, 4, 30, 0, 0))
    );
    // Without the holidays it would start on Wed 5 May.
    let plain = me(Asia::Tokyo, "09:00-17:00");
    assert_eq!(
        latest_start(&plain, due, Duration::hours(24)),
        Some(utc(2027, 5, 5, 0, 0))
    );
    // So on Mon 3 May 09:00 JST that deadline is at risk (16h of 24h), not merely tight.
    let d = Deadline {
        origin: Default::default(),
        id: None,
        client: None,
        title: "Survey report".into(),
        due,
        zone: Asia::Tokyo,
        estimate: Some(Duration::hours(24)),
        spent: None,
        status: Status::Open,
        done_at: None,
        every: None,
        logged: Default::default(),
    };
    let alerts = AlertSettings {
        enabled: true,
        quiet_hours: None,
        warn_slack: Duration::hours(24),
    };
    let now = utc(2027, 5, 3, 0, 0);
    assert_eq!(assess(&d, &you, &alerts, now).risk, Risk::AtRisk);
    assert_eq!(assess(&d, &plain, &alerts, now).risk, Risk::Tight);
}

#[test]
fn an_obon_closure_and_a_new_year_closure_beyond_the_public_holidays() {
    let mut kanda = client("kanda", Asia::Tokyo, "JP", None);
    kanda.days_off.closures = vec![
        Closure::parse("08-13..08-16").unwrap(),
        Closure::parse("12-29..01-03").unwrap(),
    ];
    // Fri 13 Aug 2027 (Obon): closed to Mon 16; open Tue 17 09:00 JST.
    let status = business_status(&kanda, utc(2027, 8, 13, 2, 0));
    assert_eq!(
        status.describe_in(Asia::Tokyo),
        "closed: company closure · opens Tue 09:00"
    );
    // Wed 29 Dec 2027 to Mon 3 Jan 2028 is the closure, Sat 1 Jan also a public holiday: the
    // notice from 20 Dec is one span, named by both.
    let rows = clock_rows(
        &Config {
            clients: vec![kanda.clone()],
            ..Config::default()
        },
        utc(2027, 12, 20, 1, 0),
    );
    let notice = rows[1].closed_notice.as_ref().unwrap();
    assert_eq!(
        notice.describe(),
        "Company closure + 1 more: closed 29 Dec–3 Jan, in 9 days"
    );
    assert_eq!(rows[0].closed_notice, None, "you have no holidays");
}

#[test]
fn christmas_in_germany_by_state() {
    let mut you = me(Europe::Berlin, "09:00-17:00");
    you.days_off.public = Some(PublicHolidays::resolve("DE", Some("BY")).unwrap());
    // Mon 21 - Sun 27 Dec 2026: Fri 25 is Christmas Day (Sat 26 the Second Day): 4 days worked.
    let (from, to) = (utc(2026, 12, 20, 23, 0), utc(2026, 12, 27, 23, 0));
    assert_eq!(capacity(&you, from, to), Duration::hours(32));
    // Epiphany (6 Jan) is Bavarian, not Berlin's.
    let by = client("muc", Europe::Berlin, "DE", Some("BY"));
    let be = client("ber", Europe::Berlin, "DE", Some("BE"));
    let epiphany = utc(2027, 1, 6, 10, 0);
    assert_eq!(
        business_status(&by, epiphany).describe(),
        "holiday: Epiphany"
    );
    assert!(business_status(&be, epiphany).is_open());
    // The week view marks the holiday's hours on your lane.
    let w = week(
        &you,
        &[&by],
        utc(2026, 12, 21, 8, 0),
        utc(2026, 12, 21, 8, 0),
        1,
    );
    let fri = w
        .days
        .iter()
        .find(|d| d.date == date(2026, 12, 25))
        .unwrap();
    assert_eq!(fri.me.holidays, vec![date(2026, 12, 25)]);
    assert!(fri.clients[0].cells.iter().any(|c| c.holiday));
}

#[test]
fn diwali_in_india() {
    let blr = client("blr", Asia::Kolkata, "IN", Some("KA"));
    // Fri 29 Oct 2027, 11:00 IST.
    let status = business_status(&blr, utc(2027, 10, 29, 5, 30));
    assert_eq!(status.describe(), "holiday: Diwali");
    // Mon 1 Nov is Kannada Rajyotsava in Karnataka: it reopens Tue 2 Nov 09:00 IST.
    assert_eq!(status.opens_at(), Some(utc(2027, 11, 2, 3, 30)));
}

#[test]
fn carnival_in_brazil() {
    let sp = client("sp", America::Sao_Paulo, "BR", Some("SP"));
    // Mon 8 Feb 2027, 10:00 in São Paulo: Carnival Monday, then Tuesday, then Ash Wednesday.
    let status = business_status(&sp, utc(2027, 2, 8, 13, 0));
    assert_eq!(
        status.describe_in(America::Sao_Paulo),
        "holiday: Carnival · opens Thu 09:00"
    );
    // A week before, the clock row says it is coming.
    let rows = clock_rows(
        &Config {
            clients: vec![sp],
            ..Config::default()
        },
        utc(2027, 2, 1, 13, 0),
    );
    assert_eq!(
        rows[1].closed_notice.as_ref().map(|n| n.describe()),
        Some("Carnival + 1 more: closed 6–10 Feb, in 5 days".to_string())
    );
}
