//! Company closures: `"12-29..01-03"` every year (a range may run over the year's end), or
//! `"2027-08-13..2027-08-16"` once. Both ends are included.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closure {
    /// Every year from (month, day) to (month, day); `to` before `from` runs into the next year.
    Yearly {
        from: (u32, u32),
        to: (u32, u32),
    },
    Once {
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// A month-day such as `12-29`, checked against a leap year (`02-29` is allowed and closes on
/// leap years only).
fn month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
}

impl Closure {
    /// `MM-DD..MM-DD` (yearly) or `YYYY-MM-DD..YYYY-MM-DD` (once); one date alone is a one-day
    /// range. The error says how to write it.
    pub fn parse(s: &str) -> Result<Closure, String> {
        let s = s.trim();
        let (a, b) = s.split_once("..").unwrap_or((s, s));
        let (a, b) = (a.trim(), b.trim());
        let fix =
            "write a yearly closure as \"12-29..01-03\" or a one-off as \"2027-08-13..2027-08-16\"";
        if let (Some(from), Some(to)) = (month_day(a), month_day(b)) {
            return Ok(Closure::Yearly { from, to });
        }
        let date = |x: &str| NaiveDate::parse_from_str(x, "%Y-%m-%d").ok();
        match (date(a), date(b)) {
            (Some(from), Some(to)) if from <= to => Ok(Closure::Once { from, to }),
            (Some(_), Some(_)) => Err(format!("{s:?} ends before it starts; {fix}")),
            _ => Err(format!("cannot read {s:?}; {fix}")),
        }
    }

    /// Whether `date` falls in the closure.
    pub fn contains(&self, date: NaiveDate) -> bool {
        match *self {
            Closure::Once { from, to } => from <= date && date <= to,
            Closure::Yearly { from, to } => {
                let md = (date.month(), date.day());
                if from <= to {
                    from <= md && md <= to
                } else {
                    from <= md || md <= to
                }
            }
        }
    }
}

impl fmt::Display for Closure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Closure::Yearly { from, to } => {
                write!(f, "{:02}-{:02}..{:02}-{:02}", from.0, from.1, to.0, to.1)
            }
            Closure::Once { from, to } => write!(f, "{from}..{to}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::date;

    #[test]
    fn a_yearly_closure_wraps_the_year_end() {
        let c = Closure::parse("12-29..01-03").unwrap();
        assert_eq!(c.to_string(), "12-29..01-03");
        for d in [
            date(2026, 12, 29),
            date(2026, 12, 31),
            date(2027, 1, 1),
            date(2027, 1, 3),
        ] {
            assert!(c.contains(d), "{d}");
        }
        for d in [date(2026, 12, 28), date(2027, 1, 4), date(2027, 6, 1)] {
            assert!(!c.contains(d), "{d}");
        }
    }

    #[test]
    fn a_yearly_closure_within_the_year_and_one_day() {
        let obon = Closure::parse(" 08-13 .. 08-16 ").unwrap();
        assert!(obon.contains(date(2031, 8, 13)) && obon.contains(date(2031, 8, 16)));
        assert!(!obon.contains(date(2031, 8, 17)) && !obon.contains(date(2031, 8, 12)));
        let one = Closure::parse("05-01").unwrap();
        assert!(one.contains(date(2027, 5, 1)) && !one.contains(date(2027, 5, 2)));
        let leap = Closure::parse("02-29..02-29").unwrap();
        assert!(leap.contains(date(2028, 2, 29)) && !leap.contains(date(2027, 2, 28)));
    }

    #[test]
    fn a_one_off_closure() {
        let c = Closure::parse("2027-08-13..2027-08-16").unwrap();
        assert!(c.contains(date(2027, 8, 14)));
        assert!(!c.contains(date(2028, 8, 14)));
        assert_eq!(c.to_string(), "2027-08-13..2027-08-16");
    }

    #[test]
    fn bad_closures_say_how_to_write_them() {
        for bad in [
            "13-01..01-02",
            "12-32",
            "2027-08-16..2027-08-13",
            "Obon",
            "8-13..8-16",
            "",
        ] {
            let e = Closure::parse(bad).unwrap_err();
            assert!(e.contains("\"12-29..01-03\""), "{bad}: {e}");
        }
        assert!(
            Closure::parse("2027-08-16..2027-08-13")
                .unwrap_err()
                .contains("ends before it starts")
        );
    }
}
