//! Shared builders for the domain's unit tests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test builders: a bad literal is a broken test

use super::model::Me;
use super::time::{ClockRange, WeekdaySet};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

pub fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// You in `zone`, working `hours` Monday to Friday, no holidays, no travel.
pub fn me(zone: Tz, hours: &str) -> Me {
    Me {
        name: "Aiko Tanaka".to_string(),
        zone,
        work_hours: ClockRange::parse(hours).unwrap(),
        work_days: WeekdaySet::WORKWEEK,
        holidays: BTreeSet::new(),
        days_off: Default::default(),
        travel: Vec::new(),
    }
}

/// A client in `zone` open 9-5 Monday to Friday, with nothing else noted.
pub fn client(id: &str, zone: Tz) -> super::model::Client {
    super::model::Client {
        id: id.to_string(),
        name: id.to_string(),
        zone,
        unknown_zone: None,
        city: id.to_string(),
        hours: ClockRange::parse("09:00-17:00").unwrap(),
        days: WeekdaySet::WORKWEEK,
        holidays: BTreeSet::new(),
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
    }
}
