//! The notice of a closure ahead, on a clock row and in `tether status`: "Golden Week: closed
//! 29 Apr–5 May, in 12 days". A span is the run of dates without working hours around a
//! working weekday that a holiday or closure takes (so the weekend between two holidays, and
//! the weekend before or after a long one, belong to it).

use super::DayOff;
use crate::domain::schedule::{Schedule, shift_date};
use chrono::NaiveDate;

/// How far a span can reach: a closure longer than this is shown up to its limit.
const MAX_SPAN_DAYS: i64 = 62;

/// A run of closed dates ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedSpan {
    /// The holiday's name, `Golden Week`, `Company closure`, or the first holiday's name and
    /// how many more (`Carnival + 1 more`).
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Days from today (the owner's date) to `first`.
    pub in_days: i64,
}

impl ClosedSpan {
    /// `Golden Week: closed 1–5 May, in 12 days`.
    pub fn describe(&self) -> String {
        let when = match self.in_days {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        };
        format!("{}: closed {}, {when}", self.name, self.dates())
    }

    /// `Golden Week in Tokyo: closed 1–5 May, in 12 days`: the notice with whose it is.
    pub fn describe_at(&self, place: &str) -> String {
        let mut s = self.describe();
        s.insert_str(self.name.len(), &format!(" in {place}"));
        s
    }

    /// `29 Apr`, `1–5 May`, `29 Apr–5 May`.
    pub fn dates(&self) -> String {
        let (a, b) = (self.first, self.last);
        if a == b {
            a.format("%-d %b").to_string()
        } else if a.format("%Y-%m").to_string() == b.format("%Y-%m").to_string() {
            format!("{}–{}", a.format("%-d"), b.format("%-d %b"))
        } else {
            format!("{}–{}", a.format("%-d %b"), b.format("%-d %b"))
        }
    }
}

/// The first span of closed dates starting after `today` (the schedule's owner's date) whose
/// closure takes a working weekday within `within_days`: a holiday on a day they never work is
/// no news, and while closed today, the closure after this one. None when there is none.
pub fn next_closed_span(
    s: &Schedule<'_>,
    today: NaiveDate,
    within_days: i64,
) -> Option<ClosedSpan> {
    // Closed today: the status says so; the notice is about the next closure after this one.
    let mut from = 1;
    if s.day_off(today).is_some() {
        while from <= within_days && !s.works_on(shift_date(today, from)) {
            from += 1;
        }
    }
    let (k, _) = (from..=within_days).find_map(|k| {
        let d = shift_date(today, k);
        s.day_off(d)
            .filter(|_| s.is_working_weekday(d))
            .map(|why| (k, why))
    })?;
    let hit = shift_date(today, k);
    let mut first = hit;
    while first > shift_date(today, 1) && !s.works_on(shift_date(first, -1)) {
        first = shift_date(first, -1);
    }
    let mut last = hit;
    while (last - hit).num_days() < MAX_SPAN_DAYS && !s.works_on(shift_date(last, 1)) {
        last = shift_date(last, 1);
    }
    let mut names: Vec<&'static str> = Vec::new();
    for d in first.iter_days().take_while(|d| *d <= last) {
        if let Some(why) = s.day_off(d) {
            let n = why.name();
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    Some(ClosedSpan {
        name: span_name(&names),
        first,
        last,
        in_days: (first - today).num_days(),
    })
}

/// Japan's three May holidays together are Golden Week, whatever else is near; otherwise the
/// one name, or the first and how many more.
fn span_name(names: &[&'static str]) -> String {
    if names.contains(&"Constitution Day") && names.contains(&"Children's Day") {
        return "Golden Week".to_string();
    }
    match names {
        [] => DayOff::Holiday.name().to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} + {} more", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holidays::{Closure, PublicHolidays};
    use crate::domain::testkit::{date, me};
    use chrono_tz::Asia;

    #[test]
    fn golden_week_is_one_span_with_its_weekend() {
        let mut m = me(Asia::Tokyo, "09:00-18:00");
        m.days_off.public = Some(PublicHolidays::resolve("JP", None).unwrap());
        let s = Schedule::of_me(&m);
        // Mon 19 Apr 2027: Showa Day (Thu 29 Apr) comes first, alone (Fri 30 Apr is worked).
        let n = next_closed_span(&s, date(2027, 4, 19), 14).unwrap();
        assert_eq!(n.describe(), "Showa Day: closed 29 Apr, in 10 days");
        // From Fri 30 Apr: Sat 1 to Wed 5 May.
        let n = next_closed_span(&s, date(2027, 4, 30), 14).unwrap();
        assert_eq!(n.describe(), "Golden Week: closed 1–5 May, tomorrow");
        assert_eq!(
            n.describe_at("Tokyo (kanda)"),
            "Golden Week in Tokyo (kanda): closed 1–5 May, tomorrow"
        );
        // In 2026 it runs from Sat 2 to Wed 6 May (Sun 3 May's substitute is Wed 6 May).
        let n = next_closed_span(&s, date(2026, 4, 20), 14).unwrap();
        assert_eq!(n.describe(), "Showa Day: closed 29 Apr, in 9 days");
        let n = next_closed_span(&s, date(2026, 4, 30), 14).unwrap();
        assert_eq!(n.describe(), "Golden Week: closed 2–6 May, in 2 days");
    }

    #[test]
    fn a_closure_over_the_year_end_and_nothing_on_weekends() {
        let mut m = me(Asia::Tokyo, "09:00-18:00");
        m.days_off
            .closures
            .push(Closure::parse("12-29..01-03").unwrap());
        let s = Schedule::of_me(&m);
        let n = next_closed_span(&s, date(2026, 12, 20), 14).unwrap();
        // Tue 29 Dec to Sun 3 Jan.
        assert_eq!(
            n.describe(),
            "Company closure: closed 29 Dec–3 Jan, in 9 days"
        );
        // During it, the next one is the news (the status already says it is closed).
        assert_eq!(next_closed_span(&s, date(2026, 12, 30), 14), None);
        // A closure on a weekend only is no news.
        let mut w = me(Asia::Tokyo, "09:00-18:00");
        w.days_off
            .closures
            .push(Closure::parse("2027-01-09..2027-01-10").unwrap());
        assert_eq!(
            next_closed_span(&Schedule::of_me(&w), date(2027, 1, 4), 14),
            None
        );
    }
}
