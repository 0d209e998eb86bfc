//! The clock pane's cases, each pinned to a real date and zone.

use super::*;
use crate::domain::holidays::DayOff;
use crate::domain::model::{Client, Config, ExtraClock, Me, Travel};
use crate::domain::testkit::{date, me, utc};
use crate::domain::time::{ClockRange, WeekdaySet, offset_secs};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use chrono_tz::{America, Asia, Australia, Europe, Pacific};

fn client(id: &str, zone: Tz, hours: &str) -> Client {
    Client {
        city: zone_city(zone),
        hours: ClockRange::parse(hours).unwrap(),
        ..crate::domain::testkit::client(id, zone)
    }
}

fn config(me: Me, clocks: &[(&str, Tz)], clients: Vec<Client>) -> Config {
    Config {
        me,
        clocks: clocks
            .iter()
            .map(|(l, z)| ExtraClock {
                label: l.to_string(),
                zone: *z,
            })
            .collect(),
        clients,
        ..Config::default()
    }
}

const H: i32 = 3600;

#[test]
fn tokyo_seen_from_brisbane_is_open() {
    // Wed 25 Nov 2026 14:40 in Tokyo (+9), 15:40 in Brisbane (+10).
    let now = utc(2026, 11, 25, 5, 40);
    let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
    let status = business_status(&kanda, now);
    assert_eq!(
        status,
        BusinessStatus::Open {
            closes_in: Duration::minutes(200),
            closes_at: utc(2026, 11, 25, 9, 0),
        }
    );
    assert_eq!(status.describe(), "open · closes in 3h 20m");

    let cfg = config(me(Australia::Brisbane, "08:30-17:30"), &[], vec![kanda]);
    let rows = clock_rows(&cfg, now);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].label, "Aiko Tanaka");
    assert!(rows[0].is_me());
    let tokyo = &rows[1];
    assert_eq!(tokyo.label, "Tokyo");
    assert_eq!(tokyo.client_id(), Some("kanda"));
    assert_eq!(tokyo.gap_secs, -H);
    assert_eq!(tokyo.day_shift, 0);
    assert_eq!(tokyo.local.format("%H:%M").to_string(), "14:40");
    assert_eq!(tokyo.status, Some(status));
    assert_eq!(tokyo.dst_notice, None);
}

#[test]
fn new_york_spring_forward_notice_appears_within_14_days() {
    // US clocks go forward Sun 8 Mar 2026 at 02:00 EST = 07:00Z; Tokyo has no DST, so the
    // gap from New York to Tokyo shrinks from +14h to +13h.
    let change = utc(2026, 3, 8, 7, 0);
    let expected = DstNotice {
        at: change,
        whose: America::New_York,
        gap_before: 14 * H,
        gap_after: 13 * H,
    };
    assert_eq!(
        dst_notice(America::New_York, Asia::Tokyo, utc(2026, 2, 20, 12, 0)),
        None
    );
    // Exactly 14 days before is still inside the window; a minute earlier is not.
    assert_eq!(
        dst_notice(America::New_York, Asia::Tokyo, utc(2026, 2, 22, 6, 59)),
        None
    );
    assert_eq!(
        dst_notice(America::New_York, Asia::Tokyo, utc(2026, 2, 22, 7, 0)),
        Some(expected)
    );
    let n = dst_notice(America::New_York, Asia::Tokyo, utc(2026, 3, 1, 12, 0)).unwrap();
    assert_eq!(n, expected);
    assert_eq!(
        n.describe(),
        "gap becomes +13h on Sun 8 Mar (New York clocks change)"
    );
    // Seen from Tokyo the same change is New York's, with the gap negated.
    let n = dst_notice(Asia::Tokyo, America::New_York, utc(2026, 3, 1, 12, 0)).unwrap();
    assert_eq!(
        (n.whose, n.gap_before, n.gap_after),
        (America::New_York, -14 * H, -13 * H)
    );
    // Once it has happened there is nothing left to announce.
    assert_eq!(dst_notice(America::New_York, Asia::Tokyo, change), None);

    let cfg = config(
        me(America::New_York, "09:00-17:00"),
        &[],
        vec![client("kanda", Asia::Tokyo, "09:00-18:00")],
    );
    let rows = clock_rows(&cfg, utc(2026, 3, 1, 12, 0));
    assert_eq!(rows[1].dst_notice, Some(expected));
    assert_eq!(rows[1].gap_secs, 14 * H);
    assert_eq!(rows[0].dst_notice, None);
}

#[test]
fn london_transitions() {
    // Spring: Sun 29 Mar 2026 01:00Z; your clocks (London) move, Tokyo's do not.
    let n = dst_notice(Europe::London, Asia::Tokyo, utc(2026, 3, 20, 0, 0)).unwrap();
    assert_eq!(n.at, utc(2026, 3, 29, 1, 0));
    assert_eq!(
        (n.whose, n.gap_before, n.gap_after),
        (Europe::London, 9 * H, 8 * H)
    );
    assert_eq!(
        n.describe(),
        "gap becomes +8h on Sun 29 Mar (London clocks change)"
    );
    // Autumn: Sun 25 Oct 2026 01:00Z, seen from Tokyo.
    let n = dst_notice(Asia::Tokyo, Europe::London, utc(2026, 10, 20, 0, 0)).unwrap();
    assert_eq!(n.at, utc(2026, 10, 25, 1, 0));
    assert_eq!((n.gap_before, n.gap_after), (-8 * H, -9 * H));
    assert_eq!(
        n.describe(),
        "gap becomes -9h on Sun 25 Oct (London clocks change)"
    );
    // Seen from Brisbane (no DST): -10h becomes -9h in spring.
    let n = dst_notice(Australia::Brisbane, Europe::London, utc(2026, 3, 28, 0, 0)).unwrap();
    assert_eq!((n.gap_before, n.gap_after), (-10 * H, -9 * H));
    // London and Paris change at the same instant by the same hour: no notice.
    assert_eq!(
        dst_notice(Europe::London, Europe::Paris, utc(2026, 3, 20, 0, 0)),
        None
    );
    assert_eq!(
        dst_notice(Europe::London, Europe::Paris, utc(2026, 10, 20, 0, 0)),
        None
    );
}

#[test]
fn changes_that_cancel_within_a_day_are_not_announced() {
    // New York moves at 07:00Z and Chicago at 08:00Z: the gap is -1h before and after.
    assert_eq!(
        dst_notice(America::New_York, America::Chicago, utc(2026, 3, 1, 0, 0)),
        None
    );
    assert_eq!(
        dst_notice(America::Chicago, America::New_York, utc(2026, 10, 25, 0, 0)),
        None
    );
    // Auckland and Chatham both move at 14:00Z on Sat 26 Sep 2026.
    assert_eq!(
        dst_notice(Pacific::Auckland, Pacific::Chatham, utc(2026, 9, 20, 0, 0)),
        None
    );
}

#[test]
fn odd_offsets_kolkata_kathmandu_chatham() {
    // Thu 15 Jan 2026 12:00Z, you in London (GMT, +0).
    let now = utc(2026, 1, 15, 12, 0);
    let cfg = config(
        me(Europe::London, "09:00-17:00"),
        &[
            ("Chatham", Pacific::Chatham),
            ("Kathmandu", Asia::Kathmandu),
            ("Kolkata", Asia::Kolkata),
        ],
        Vec::new(),
    );
    let rows = clock_rows(&cfg, now);
    let got: Vec<(&str, i32, i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r.label.as_str(),
                r.gap_secs,
                r.day_shift,
                r.local.format("%H:%M").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Aiko Tanaka", 0, 0, "12:00".to_string()),
            ("Kolkata", 5 * H + 1800, 0, "17:30".to_string()),
            ("Kathmandu", 5 * H + 2700, 0, "17:45".to_string()),
            // New Zealand summer: Chatham is +13:45.
            ("Chatham", 13 * H + 2700, 1, "01:45".to_string()),
        ]
    );
    // In the southern winter Chatham is +12:45.
    let rows = clock_rows(&cfg, utc(2026, 6, 15, 12, 0));
    assert_eq!(
        offset_secs(Pacific::Chatham, utc(2026, 6, 15, 12, 0)),
        12 * H + 2700
    );
    // London is on BST (+1) by then.
    assert_eq!(rows[3].gap_secs, 11 * H + 2700);
    assert_eq!(rows[3].local.format("%d %H:%M").to_string(), "16 00:45");
    // Chatham's spring change: 02:45 +12:45 on Sun 27 Sep 2026 = Sat 26 Sep 14:00Z.
    let n = dst_notice(chrono_tz::UTC, Pacific::Chatham, utc(2026, 9, 20, 0, 0)).unwrap();
    assert_eq!(n.at, utc(2026, 9, 26, 14, 0));
    assert_eq!((n.gap_before, n.gap_after), (12 * H + 2700, 13 * H + 2700));
    assert_eq!(
        n.describe(),
        "gap becomes +13h45m on Sun 27 Sep (Chatham clocks change)"
    );
}

#[test]
fn lord_howe_half_hour_change() {
    // Lord Howe goes from +10:30 to +11 at 02:00 local on Sun 4 Oct 2026 = Sat 15:30Z.
    let n = dst_notice(
        Australia::Brisbane,
        Australia::Lord_Howe,
        utc(2026, 9, 28, 0, 0),
    );
    let n = n.unwrap();
    assert_eq!(n.at, utc(2026, 10, 3, 15, 30));
    assert_eq!((n.gap_before, n.gap_after), (1800, H));
    assert_eq!(
        n.describe(),
        "gap becomes +1h on Sun 4 Oct (Lord Howe clocks change)"
    );
    // Seen from Sydney, which moves a whole hour half an hour later: +30m becomes +0h.
    let n = dst_notice(
        Australia::Sydney,
        Australia::Lord_Howe,
        utc(2026, 9, 28, 0, 0),
    );
    let n = n.unwrap();
    assert_eq!(n.at, utc(2026, 10, 3, 15, 30));
    assert_eq!((n.gap_before, n.gap_after), (1800, 0));
}

#[test]
fn kiritimati_is_a_day_ahead_of_honolulu() {
    // 05:00Z: 19:00 Tue 24 Nov in Honolulu (-10), 19:00 Wed 25 Nov on Kiritimati (+14).
    let now = utc(2026, 11, 25, 5, 0);
    let cfg = config(
        me(Pacific::Honolulu, "09:00-17:00"),
        &[("Line Islands", Pacific::Kiritimati)],
        Vec::new(),
    );
    let rows = clock_rows(&cfg, now);
    assert_eq!(
        rows[0].local.format("%a %d %H:%M").to_string(),
        "Tue 24 19:00"
    );
    assert_eq!(rows[1].label, "Line Islands");
    assert_eq!(
        rows[1].local.format("%a %d %H:%M").to_string(),
        "Wed 25 19:00"
    );
    assert_eq!(rows[1].day_shift, 1);
    assert_eq!(rows[1].gap_secs, 24 * H);
    // And the other way round.
    let cfg = config(
        me(Pacific::Kiritimati, "09:00-17:00"),
        &[("Hawaii", Pacific::Honolulu)],
        Vec::new(),
    );
    let rows = clock_rows(&cfg, now);
    assert_eq!((rows[1].day_shift, rows[1].gap_secs), (-1, -24 * H));
}

#[test]
fn client_holiday() {
    let mut kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
    kanda.holidays = [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)].into();
    // Fri 1 Jan 2027, 10:00 in Tokyo.
    let now = utc(2027, 1, 1, 1, 0);
    let status = business_status(&kanda, now);
    // Reopens Mon 4 Jan 09:00 JST = 00:00Z.
    assert_eq!(
        status,
        BusinessStatus::Holiday {
            opens_at: Some(utc(2027, 1, 4, 0, 0)),
            why: DayOff::Holiday,
        }
    );
    assert_eq!(status.describe(), "holiday");
    assert_eq!(status.describe_in(Asia::Tokyo), "holiday · opens Mon 09:00");
    assert_eq!(
        send_window(&kanda, now),
        SendWindow::Next {
            opens_at: utc(2027, 1, 4, 0, 0)
        }
    );
    // The day before the holiday is ordinary.
    assert!(matches!(
        business_status(&kanda, utc(2026, 12, 31, 1, 0)),
        BusinessStatus::Open { .. }
    ));
}

#[test]
fn wrapping_hours_belong_to_the_day_they_start() {
    // London in January is +0, so wall times equal UTC. 22:00-06:00 Mon-Fri.
    let mut night = client("night", Europe::London, "22:00-06:00");
    let open = |closes_at: DateTime<Utc>, now: DateTime<Utc>| BusinessStatus::Open {
        closes_in: closes_at - now,
        closes_at,
    };
    // Fri 9 Jan 23:00: Friday's shift, until Sat 06:00.
    let now = utc(2026, 1, 9, 23, 0);
    assert_eq!(
        business_status(&night, now),
        open(utc(2026, 1, 10, 6, 0), now)
    );
    // Sat 03:00: still Friday's shift.
    let now = utc(2026, 1, 10, 3, 0);
    assert_eq!(
        business_status(&night, now),
        open(utc(2026, 1, 10, 6, 0), now)
    );
    assert_eq!(
        business_status(&night, now).describe(),
        "open · closes in 3h"
    );
    // Sat 23:00: no Saturday shift; next is Mon 22:00, 47h away.
    let s = business_status(&night, utc(2026, 1, 10, 23, 0));
    assert_eq!(
        s,
        BusinessStatus::Closed {
            opens_in: Duration::hours(47),
            opens_at: utc(2026, 1, 12, 22, 0)
        }
    );
    assert_eq!(s.describe(), "closed · opens in 1d 23h");
    // Mon 05:00: Sunday has no shift, so they are closed until Monday night.
    assert!(matches!(
        business_status(&night, utc(2026, 1, 12, 5, 0)),
        BusinessStatus::Closed { opens_in, .. } if opens_in == Duration::hours(17)
    ));
    // Tuesday 13 Jan is their holiday: Monday's shift still runs into it, Tuesday's is off.
    night.holidays = [date(2026, 1, 13)].into();
    let now = utc(2026, 1, 13, 3, 0);
    assert_eq!(
        business_status(&night, now),
        open(utc(2026, 1, 13, 6, 0), now)
    );
    assert_eq!(
        business_status(&night, utc(2026, 1, 13, 23, 0)),
        BusinessStatus::Holiday {
            opens_at: Some(utc(2026, 1, 14, 22, 0)),
            why: DayOff::Holiday,
        }
    );
}

#[test]
fn back_to_back_days_are_one_run() {
    let allday = client("allday", Europe::London, "00:00-24:00");
    // Wed 14 Jan 12:00: open until the weekend starts, not until midnight.
    let now = utc(2026, 1, 14, 12, 0);
    assert_eq!(
        business_status(&allday, now),
        BusinessStatus::Open {
            closes_in: utc(2026, 1, 17, 0, 0) - now,
            closes_at: utc(2026, 1, 17, 0, 0)
        }
    );
    assert_eq!(
        business_status(&allday, now).describe(),
        "open · closes in 2d 12h"
    );
}

#[test]
fn weekend_opens_monday() {
    let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
    // Sat 28 Nov 2026 12:00 JST; Mon 30 Nov 09:00 JST = 00:00Z, 45h away.
    let s = business_status(&kanda, utc(2026, 11, 28, 3, 0));
    assert_eq!(
        s,
        BusinessStatus::Closed {
            opens_in: Duration::hours(45),
            opens_at: utc(2026, 11, 30, 0, 0)
        }
    );
    assert_eq!(s.describe(), "closed · opens in 1d 21h");
    // Countdowns round up: 13h 59m 30s is shown as 14h.
    let s = business_status(&kanda, utc(2026, 11, 29, 10, 0) + Duration::seconds(30));
    assert_eq!(s.describe(), "closed · opens in 14h");
}

#[test]
fn no_hours() {
    let mut c = client("c", Asia::Tokyo, "09:00-18:00");
    c.days = WeekdaySet::EMPTY;
    let now = utc(2026, 11, 25, 5, 0);
    assert_eq!(business_status(&c, now), BusinessStatus::NoHours);
    assert_eq!(business_status(&c, now).describe(), "no business hours");
    assert_eq!(send_window(&c, now), SendWindow::Unknown);
    // Open days, but every one of them a holiday for longer than the search horizon.
    let mut c = client("c", Asia::Tokyo, "09:00-18:00");
    let mut d = date(2026, 11, 1);
    for _ in 0..500 {
        c.holidays.insert(d);
        d = d.succ_opt().unwrap();
    }
    assert_eq!(
        business_status(&c, now),
        BusinessStatus::Holiday {
            opens_at: None,
            why: DayOff::Holiday
        }
    );
    assert_eq!(send_window(&c, now), SendWindow::Unknown);
}

#[test]
fn overlap_brisbane_tokyo_is_long() {
    // Wed 25 Nov 2026, 12:00 in Brisbane. You 08:30-17:30 +10 = 22:30Z-07:30Z; Tokyo
    // 09:00-18:00 +9 = 00:00Z-09:00Z.
    let now = utc(2026, 11, 25, 2, 0);
    let me = me(Australia::Brisbane, "08:30-17:30");
    let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
    assert_eq!(
        overlap_today(&me, &kanda, now),
        vec![Overlap {
            start: utc(2026, 11, 25, 0, 0),
            end: utc(2026, 11, 25, 7, 30)
        }]
    );
    // Saturday in Brisbane: you do not work, so there is no overlap.
    assert_eq!(overlap_today(&me, &kanda, utc(2026, 11, 28, 2, 0)), vec![]);
    // Your holiday: none either.
    let mut off = me.clone();
    off.holidays.insert(date(2026, 11, 25));
    assert_eq!(overlap_today(&off, &kanda, now), vec![]);
}

#[test]
fn overlap_sydney_london_is_little_or_none() {
    // November: Sydney +11 (09:00-17:00 = 22:00Z-06:00Z), London +0 (09:00Z-17:00Z).
    let london = client("ldn", Europe::London, "09:00-17:00");
    let sydney = me(Australia::Sydney, "09:00-17:00");
    assert_eq!(
        overlap_today(&sydney, &london, utc(2026, 11, 25, 0, 0)),
        vec![]
    );
    // June, a long Sydney day: 08:30-18:30 +10 = 22:30Z-08:30Z; London 09:00 BST = 08:00Z.
    let sydney = me(Australia::Sydney, "08:30-18:30");
    assert_eq!(
        overlap_today(&sydney, &london, utc(2026, 6, 17, 0, 0)),
        vec![Overlap {
            start: utc(2026, 6, 17, 8, 0),
            end: utc(2026, 6, 17, 8, 30)
        }]
    );
}

#[test]
fn overlap_with_a_night_shift_client_uses_their_previous_day() {
    // You in London 09:00-17:00 on Tue 13 Jan 2026 (+0); they are in Tokyo 22:00-06:00
    // (+9): Monday's shift runs 13:00Z-21:00Z Monday, Tuesday's 13:00Z-21:00Z Tuesday.
    let you = me(Europe::London, "09:00-17:00");
    let night = client("night", Asia::Tokyo, "22:00-06:00");
    assert_eq!(
        overlap_today(&you, &night, utc(2026, 1, 13, 10, 0)),
        vec![Overlap {
            start: utc(2026, 1, 13, 13, 0),
            end: utc(2026, 1, 13, 17, 0)
        }]
    );
    // Shifts of theirs that end exactly where the next starts are merged.
    let allday = client("allday", Asia::Tokyo, "00:00-24:00");
    assert_eq!(
        overlap_today(&you, &allday, utc(2026, 1, 13, 10, 0)),
        vec![Overlap {
            start: utc(2026, 1, 13, 9, 0),
            end: utc(2026, 1, 13, 17, 0)
        }]
    );
}

#[test]
fn send_window_friday_evening_is_monday_morning() {
    let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
    // Fri 27 Nov 2026 19:00 JST.
    assert_eq!(
        send_window(&kanda, utc(2026, 11, 27, 10, 0)),
        SendWindow::Next {
            opens_at: utc(2026, 11, 30, 0, 0)
        }
    );
    // Fri 10:00 JST: open until 18:00 JST.
    assert_eq!(
        send_window(&kanda, utc(2026, 11, 27, 1, 0)),
        SendWindow::OpenNow {
            closes_at: utc(2026, 11, 27, 9, 0)
        }
    );
    // Closing time itself is closed (ranges are half-open).
    assert_eq!(
        send_window(&kanda, utc(2026, 11, 27, 9, 0)),
        SendWindow::Next {
            opens_at: utc(2026, 11, 30, 0, 0)
        }
    );
}

#[test]
fn day_strip_brisbane_tokyo() {
    // Wed 25 Nov 2026 12:00 Brisbane; 48 half-hour cells from Brisbane midnight (14:00Z).
    let me = me(Australia::Brisbane, "08:30-17:30");
    let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
    let cells = day_strip(&me, Some(&kanda), Asia::Tokyo, utc(2026, 11, 25, 2, 0), 48);
    assert_eq!(cells.len(), 48);
    let idx = |f: fn(&StripCell) -> bool| -> Vec<usize> {
        cells
            .iter()
            .enumerate()
            .filter(|(_, c)| f(c))
            .map(|(i, _)| i)
            .collect()
    };
    // Midpoints 08:45..17:15 Brisbane are cells 17..=34.
    assert_eq!(idx(|c| c.mine), (17..=34).collect::<Vec<_>>());
    // Tokyo 09:00-18:00 is 10:00-19:00 in Brisbane: cells 20..=37.
    assert_eq!(idx(|c| c.theirs), (20..=37).collect::<Vec<_>>());
    // 12:00 starts cell 24.
    assert_eq!(idx(|c| c.now), vec![24]);
    // Cell 0's midpoint is 00:15 Brisbane = 23:15 Tokyo.
    assert_eq!(cells[0].their_hour, 23);
    assert_eq!(cells[2].their_hour, 0);

    // Without a client nothing is theirs; no cells, no strip; absurd sizes are capped.
    let cells = day_strip(&me, None, Asia::Tokyo, utc(2026, 11, 25, 2, 0), 24);
    assert!(cells.iter().all(|c| !c.theirs));
    assert!(day_strip(&me, None, Asia::Tokyo, utc(2026, 11, 25, 2, 0), 0).is_empty());
    let huge = day_strip(&me, None, Asia::Tokyo, utc(2026, 11, 25, 2, 0), usize::MAX);
    assert_eq!(huge.len(), MAX_STRIP_CELLS);
    assert_eq!(huge.iter().filter(|c| c.now).count(), 1);
}

#[test]
fn day_strip_covers_a_25_hour_day() {
    // London falls back on Sun 25 Oct 2026: the local day is 25 hours, 23:00Z (BST 00:00
    // on the 25th is 24 Oct 23:00Z) to 26 Oct 00:00Z. At 23:30 local (23:30Z) `now` is in
    // the last of 25 hour-long cells.
    let you = me(Europe::London, "09:00-17:00");
    let cells = day_strip(&you, None, Europe::London, utc(2026, 10, 25, 23, 30), 25);
    assert_eq!(cells.len(), 25);
    assert!(cells[24].now);
    assert_eq!(cells.iter().filter(|c| c.now).count(), 1);
    // Sunday: no work.
    assert!(cells.iter().all(|c| !c.mine));
}

/// Issue 14: a row per client and per extra clock. Clients used to share a row when their
/// timetables were the same (`Tokyo / Yokohama (kanda, twin)`, cut in a narrow pane), and the
/// first in your zone (or, on a trip, in the zone you travel to) folded into your own row.
#[test]
fn a_row_per_client_and_per_extra_clock() {
    let mut you = me(Australia::Brisbane, "08:30-17:30");
    let mut sakura = client("sakura", Asia::Tokyo, "10:00-19:00");
    sakura.city = "Tokyo".into();
    let mut twin = client("twin", Asia::Tokyo, "09:00-18:00");
    twin.city = "Yokohama".into();
    let cfg = config(
        you.clone(),
        &[
            ("London desk", Europe::London),
            ("Home", Australia::Brisbane),
        ],
        vec![
            client("kanda", Asia::Tokyo, "09:00-18:00"),
            client("nyc", America::New_York, "09:00-17:00"),
            client("acme", Australia::Brisbane, "09:00-17:00"),
            sakura,
            client("ldn", Europe::London, "09:00-17:00"),
            twin,
        ],
    );
    let now = utc(2026, 11, 25, 2, 0);
    let rows = clock_rows(&cfg, now);
    let got: Vec<(&str, Option<&str>, bool)> = rows
        .iter()
        .map(|r| (r.label.as_str(), r.client_id(), r.is_me()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Aiko Tanaka", None, true),
            // Extra clocks west to east, yours included (you asked for it).
            ("London desk", None, false),
            ("Home", None, false),
            // Clients west to east, ties in config order; ids tell apart clients of one zone.
            ("New York", Some("nyc"), false),
            ("London", Some("ldn"), false),
            ("Tokyo (kanda)", Some("kanda"), false),
            ("Tokyo (sakura)", Some("sakura"), false),
            ("Yokohama (twin)", Some("twin"), false),
            ("Brisbane", Some("acme"), false),
        ]
    );
    // Each client row has its own client's status and overlap; other rows have neither.
    for r in &rows {
        match r.client_id() {
            Some(id) => {
                let c = cfg.client(id).unwrap();
                assert_eq!(r.status, Some(business_status(c, now)), "{id}");
                assert_eq!(r.overlap, overlap_today(&cfg.me, c, now), "{id}");
            }
            None => assert_eq!((r.status, r.overlap.len()), (None, 0), "{}", r.label),
        }
    }
    // Tokyo's row: kanda's overlap (Brisbane 08:30-17:30 vs 09:00-18:00 JST).
    assert_eq!(
        rows[5].overlap,
        vec![Overlap {
            start: utc(2026, 11, 25, 0, 0),
            end: utc(2026, 11, 25, 7, 30)
        }]
    );
    // `tether status` still names clients of one timetable together, by the same place and ids.
    let labels: Vec<String> = teams(&cfg.clients).into_iter().map(|t| t.label).collect();
    assert!(
        labels.contains(&"Tokyo / Yokohama (kanda, twin)".to_string()),
        "{labels:?}"
    );
    assert!(labels.contains(&"Tokyo (sakura)".to_string()), "{labels:?}");
    assert!(labels.contains(&"Brisbane".to_string()), "{labels:?}");

    // No name: "You". Travelling to Tokyo: your row is Tokyo's, and the Tokyo clients keep
    // their own rows.
    you.name = " ".into();
    you.travel.push(Travel {
        from: date(2026, 11, 24),
        to: date(2026, 11, 26),
        zone: Asia::Tokyo,
    });
    let cfg = Config { me: you, ..cfg };
    let rows = clock_rows(&cfg, now);
    assert_eq!(rows[0].label, "You");
    assert_eq!(rows[0].zone, Asia::Tokyo);
    assert_eq!((rows[0].client_id(), rows[0].status), (None, None));
    for id in ["kanda", "sakura", "twin", "acme"] {
        assert_eq!(
            rows.iter().filter(|r| r.client_id() == Some(id)).count(),
            1,
            "{id}"
        );
    }
    assert!(
        rows.iter()
            .all(|r| r.zone != Australia::Brisbane || r.gap_secs == H)
    );
}

#[test]
fn extreme_instants_do_not_panic() {
    let mut cfg = config(
        me(Pacific::Kiritimati, "22:00-06:00"),
        &[("x", Pacific::Niue)],
        vec![
            client("a", Pacific::Kiritimati, "00:00-24:00"),
            client("b", America::New_York, "22:00-06:00"),
        ],
    );
    cfg.me.travel.push(Travel {
        from: NaiveDate::MIN,
        to: NaiveDate::MAX,
        zone: Asia::Tokyo,
    });
    for now in [
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        utc(1, 1, 1, 0, 0),
        utc(9999, 12, 31, 23, 59),
    ] {
        let rows = clock_rows(&cfg, now);
        assert!(!rows.is_empty());
        for c in &cfg.clients {
            let _ = business_status(c, now).describe();
            let _ = send_window(c, now);
            let _ = overlap_today(&cfg.me, c, now);
            let _ = day_strip(&cfg.me, Some(c), c.zone, now, 100);
        }
        let _ = dst_notice(America::New_York, Pacific::Chatham, now);
    }
    let silly = BusinessStatus::Open {
        closes_in: Duration::MAX,
        closes_at: DateTime::<Utc>::MAX_UTC,
    };
    let _ = silly.describe();
}
