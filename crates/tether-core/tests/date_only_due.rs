//! A date-only due means the end of that date's hours (the client's): for hours that end at
//! midnight (`16:00-00:00`, `00:00-24:00`) that is the next midnight, not the start of the day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Duration, TimeZone, Utc};
use tether_core::domain::risk::{Risk, assess};
use tether_core::store::config::parse_config;
use tether_core::store::records::parse_deadlines;

fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

/// You in Tokyo 09:00-18:00 every day; a client in London (GMT in January) with `hours`.
fn config(hours: &str) -> tether_core::domain::model::Config {
    let text = format!(
        r#"
[me]
zone = "Asia/Tokyo"
work_hours = "09:00-18:00"
work_days = ["mon","tue","wed","thu","fri","sat","sun"]

[[clients]]
id = "night"
name = "Night Desk"
zone = "Europe/London"
hours = "{hours}"
days = ["mon","tue","wed","thu","fri"]
"#
    );
    let (cfg, diags) = parse_config(&text);
    assert!(diags.is_empty(), "{diags:?}");
    cfg
}

fn due_of(hours: &str, line: &str) -> DateTime<Utc> {
    let cfg = config(hours);
    let (ds, diags) = parse_deadlines(line, &cfg);
    assert!(diags.is_empty(), "{diags:?}");
    ds[0].due
}

const LINE: &str =
    r#"{"id":"d1","client":"night","title":"Report","due":"2027-01-13","estimate":"4h"}"#;

#[test]
fn hours_ending_at_midnight_end_the_day_at_midnight() {
    // Wed 13 Jan 2027; London is +0, so wall times are UTC.
    assert_eq!(due_of("16:00-00:00", LINE), utc(2027, 1, 14, 0, 0));
    assert_eq!(due_of("00:00-24:00", LINE), utc(2027, 1, 14, 0, 0));
    // The ordinary and wrapping cases are unchanged.
    assert_eq!(due_of("09:00-17:00", LINE), utc(2027, 1, 13, 17, 0));
    assert_eq!(due_of("22:00-06:00", LINE), utc(2027, 1, 14, 6, 0));
}

#[test]
fn the_risk_of_a_midnight_due_counts_the_whole_day() {
    // 13 Jan 2027 12:00Z = 21:00 in Tokyo; your hours ended at 09:00Z. With 4 h of work left
    // and the due read as the day's start, the deadline would already be overdue.
    for hours in ["16:00-00:00", "00:00-24:00"] {
        let cfg = config(hours);
        let (ds, _) = parse_deadlines(LINE, &cfg);
        let now = utc(2027, 1, 13, 12, 0);
        let v = assess(&ds[0], &cfg.me, &cfg.alerts, now);
        // Your next hours (09:00 JST on the 14th = 00:00Z) start at the due itself, so nothing
        // fits before it: at risk, not overdue.
        assert_eq!(v.risk, Risk::AtRisk, "{hours}");
        // The latest start is 4 working hours before midnight: 13 Jan 05:00Z (14:00 JST).
        assert_eq!(v.latest_start, Some(utc(2027, 1, 13, 5, 0)), "{hours}");
        // At 23:59Z on the 13th it is still not overdue.
        let v = assess(&ds[0], &cfg.me, &cfg.alerts, utc(2027, 1, 13, 23, 59));
        assert_ne!(v.risk, Risk::Overdue, "{hours}");
        assert_eq!(ds[0].due - now, Duration::hours(12));
    }
}
