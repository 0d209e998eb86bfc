//! Everything that closes a whole date beyond the weekly timetable, except the dates typed in
//! `holidays` (those stay a plain set on [`crate::domain::model::Me`] and `Client`): the
//! built-in public holidays of a country and the company closures.

use super::{Closure, PublicHolidays};
use chrono::NaiveDate;

/// A client's (or your) public holidays and closures, as read from tether.toml.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DaysOff {
    /// `country` (and `region`): the built-in public holidays.
    pub public: Option<PublicHolidays>,
    /// `closures`, and the days of the `holidays_ics` calendar once read (`store::load`).
    pub closures: Vec<Closure>,
    /// `holidays_ics`: a holiday calendar file (relative to the data directory), as written.
    pub calendar: Option<String>,
}

/// Why a date is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOff {
    /// A date typed in `holidays`.
    Holiday,
    /// A built-in public holiday, by its English name.
    Public(&'static str),
    /// A company closure (`closures`).
    Closure,
}

impl DayOff {
    /// `holiday`, `holiday: Culture Day` or `closed: company closure`.
    pub fn describe(&self) -> String {
        match self {
            DayOff::Holiday => "holiday".to_string(),
            DayOff::Public(name) => format!("holiday: {name}"),
            DayOff::Closure => "closed: company closure".to_string(),
        }
    }

    /// What a span of such days is called in a notice: the holiday's name, or `Holiday`,
    /// `Company closure`.
    pub fn name(&self) -> &'static str {
        match self {
            DayOff::Holiday => "Holiday",
            DayOff::Public(name) => name,
            DayOff::Closure => "Company closure",
        }
    }
}

impl DaysOff {
    pub fn is_empty(&self) -> bool {
        self.public.is_none() && self.closures.is_empty()
    }

    /// Whether `date` is a public holiday or in a closure (the schedule's hot path).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.public.is_some_and(|p| p.contains(date))
            || self.closures.iter().any(|c| c.contains(date))
    }

    /// Why `date` is closed, if it is: a public holiday names itself before a closure does.
    pub fn why(&self, date: NaiveDate) -> Option<DayOff> {
        if let Some(h) = self.public.and_then(|p| p.on(date)) {
            return Some(DayOff::Public(h.name));
        }
        self.closures
            .iter()
            .any(|c| c.contains(date))
            .then_some(DayOff::Closure)
    }
}
