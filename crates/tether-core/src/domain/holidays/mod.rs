//! Days a client (or you) is closed beyond the weekly timetable: the public holidays of a
//! country (and subdivision) built into tether, and company closures (yearly ranges such as
//! `12-29..01-03`, and one-off ranges).
//!
//! The public holidays are those of the Python `holidays` package at the version pinned in
//! `scripts/gen-holidays.py`, for the years [`first_year`]..=[`last_year`], embedded in the
//! binary and decoded per calendar on first use (docs/decisions.md, "Public holidays and
//! closures (issue 16)"). Outside those years there are no built-in holidays.
//!
//! Nothing here answers "is it working time": [`super::schedule::Schedule`] asks [`DaysOff`]
//! whether a date is closed, so every pane keeps one rule.

mod closures;
mod days_off;
mod notice;
mod table;

pub use closures::Closure;
pub use days_off::{DayOff, DaysOff};
pub use notice::{ClosedSpan, next_closed_span};

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// One public holiday: its date, its English name and, where the country's language is not
/// English, the local one. A date with two holidays has one entry, the names joined by "; ".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: &'static str,
    pub local: Option<&'static str>,
}

/// The built-in public holidays of one country, or one of its subdivisions (`DE` + `BY`).
#[derive(Clone, Copy)]
pub struct PublicHolidays {
    country: &'static str,
    region: Option<&'static str>,
    days: &'static [table::Day],
}

impl PartialEq for PublicHolidays {
    fn eq(&self, other: &Self) -> bool {
        self.country == other.country && self.region == other.region
    }
}

impl fmt::Debug for PublicHolidays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.region {
            Some(r) => write!(f, "PublicHolidays({}-{r})", self.country),
            None => write!(f, "PublicHolidays({})", self.country),
        }
    }
}

/// Why a country or subdivision code is not one tether has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownCode {
    Country {
        written: String,
        suggestion: Option<&'static str>,
    },
    Region {
        country: &'static str,
        written: String,
        suggestion: Option<&'static str>,
    },
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |s: &str| {
            crate::domain::text::one_line(&s.chars().take(20).collect::<String>()).into_owned()
        };
        match self {
            UnknownCode::Country {
                written,
                suggestion,
            } => {
                write!(
                    f,
                    "tether has no public holidays for country {:?}",
                    shown(written)
                )?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean \"{s}\"?)")?;
                }
                write!(
                    f,
                    "; known codes: {}",
                    countries().collect::<Vec<_>>().join(", ")
                )
            }
            UnknownCode::Region {
                country,
                written,
                suggestion,
            } => {
                let known = regions(country);
                if known.is_empty() {
                    return write!(
                        f,
                        "country \"{country}\" has the same public holidays everywhere: remove region {:?}",
                        shown(written)
                    );
                }
                write!(
                    f,
                    "country \"{country}\" has no region {:?}",
                    shown(written)
                )?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean \"{s}\"?)")?;
                }
                write!(f, "; its regions: {}", known.join(", "))
            }
        }
    }
}

/// The codes of the countries tether has holidays for, in the data's order.
pub fn countries() -> impl Iterator<Item = &'static str> {
    table::table().countries.iter().map(|c| c.code)
}

/// The subdivision codes of `country` (empty for a country without any, or unknown).
pub fn regions(country: &str) -> &'static [&'static str] {
    table::table()
        .countries
        .iter()
        .find(|c| c.code == country)
        .map_or(&[], |c| c.subdivisions.as_slice())
}

/// The version of the Python `holidays` package the data was generated from.
pub fn package_version() -> &'static str {
    table::table().version
}

/// The first and last year with built-in holidays.
pub fn first_year() -> i32 {
    table::table().first_year
}

pub fn last_year() -> i32 {
    table::table().last_year
}

/// What the generator asked the package for one country: its categories (`public`, ...) and
/// the languages of the English and the local names (`-` for the package's default). The oracle
/// test asks the package the same.
pub fn country_request(country: &str) -> Option<(&'static str, &'static str, &'static str)> {
    table::table()
        .countries
        .iter()
        .find(|c| c.code == country)
        .map(|c| (c.categories, c.english, c.local))
}

/// The nearest code to `written` among `known`, for a "did you mean".
fn nearest(written: &str, known: &[&'static str]) -> Option<&'static str> {
    let w = written.to_ascii_uppercase();
    known
        .iter()
        .map(|k| (strsim::levenshtein(&w, k), *k))
        .filter(|(d, k)| *d <= 1 && k.len() > 1 || *d == 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

impl PublicHolidays {
    /// The holidays of `country` (an ISO 3166 code, any case) and, if given, its subdivision
    /// `region` (the package's code: `BY`, `QLD`, `SP`...).
    pub fn resolve(country: &str, region: Option<&str>) -> Result<Self, UnknownCode> {
        let t = table::table();
        let country = country.trim();
        let Some(index) = t
            .countries
            .iter()
            .position(|c| c.code.eq_ignore_ascii_case(country))
        else {
            let codes: Vec<&'static str> = countries().collect();
            return Err(UnknownCode::Country {
                written: country.to_string(),
                suggestion: nearest(country, &codes),
            });
        };
        let c = &t.countries[index];
        let region = match region.map(str::trim) {
            None => None,
            Some(r) => match c.subdivisions.iter().find(|s| s.eq_ignore_ascii_case(r)) {
                Some(s) => Some(*s),
                None => {
                    return Err(UnknownCode::Region {
                        country: c.code,
                        written: r.to_string(),
                        suggestion: nearest(r, &c.subdivisions),
                    });
                }
            },
        };
        Ok(PublicHolidays {
            country: c.code,
            region,
            days: table::days(index, region),
        })
    }

    pub fn country(&self) -> &'static str {
        self.country
    }

    pub fn region(&self) -> Option<&'static str> {
        self.region
    }

    fn holiday(&(date, name): &table::Day) -> Holiday {
        let (en, local) = table::table()
            .names
            .get(name as usize)
            .copied()
            .unwrap_or(("holiday", ""));
        Holiday {
            date,
            name: en,
            local: (!local.is_empty()).then_some(local),
        }
    }

    /// The holiday on `date`, if it is one.
    pub fn on(&self, date: NaiveDate) -> Option<Holiday> {
        self.days
            .binary_search_by_key(&date, |(d, _)| *d)
            .ok()
            .and_then(|i| self.days.get(i))
            .map(Self::holiday)
    }

    /// Whether `date` is a holiday (the schedule's hot path: a binary search, no names).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.days.binary_search_by_key(&date, |(d, _)| *d).is_ok()
    }

    /// The holidays from `date` on, in date order.
    pub fn from(&self, date: NaiveDate) -> impl Iterator<Item = Holiday> + use<> {
        let i = self.days.partition_point(|(d, _)| *d < date);
        self.days
            .get(i..)
            .unwrap_or_default()
            .iter()
            .map(Self::holiday)
    }
}

/// The public holidays of `country` (and `region`) in `years`, in date order.
pub fn holidays_for(
    country: &str,
    region: Option<&str>,
    years: std::ops::RangeInclusive<i32>,
) -> Result<impl Iterator<Item = Holiday>, UnknownCode> {
    let p = PublicHolidays::resolve(country, region)?;
    let start = NaiveDate::from_ymd_opt(*years.start(), 1, 1).unwrap_or(NaiveDate::MIN);
    let last = *years.end();
    Ok(p.from(start).take_while(move |h| h.date.year() <= last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::date;

    #[test]
    fn japan_in_english_and_japanese() {
        let jp = PublicHolidays::resolve("jp", None).unwrap();
        let culture = jp.on(date(2026, 11, 3)).unwrap();
        assert_eq!(
            (culture.name, culture.local),
            ("Culture Day", Some("文化の日"))
        );
        assert!(jp.on(date(2026, 11, 4)).is_none());
        let gw: Vec<NaiveDate> = holidays_for("JP", None, 2027..=2027)
            .unwrap()
            .map(|h| h.date)
            .filter(|d| d.month() == 5)
            .collect();
        assert_eq!(
            gw,
            vec![date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 5)]
        );
    }

    #[test]
    fn english_speaking_countries_have_no_local_name() {
        let us = PublicHolidays::resolve("US", Some("ny")).unwrap();
        let h = us.on(date(2026, 7, 3)).unwrap();
        assert_eq!((h.name, h.local), ("Independence Day (observed)", None));
        assert_eq!(us.region(), Some("NY"));
    }

    #[test]
    fn the_years_shipped_and_nothing_outside() {
        assert_eq!((first_year(), last_year()), (2000, 2050));
        let fr = PublicHolidays::resolve("FR", None).unwrap();
        assert!(fr.on(date(2000, 1, 1)).is_some());
        assert!(fr.on(date(2050, 12, 25)).is_some());
        assert!(fr.on(date(1999, 12, 25)).is_none());
        assert!(fr.on(date(2051, 1, 1)).is_none());
    }

    #[test]
    fn unknown_codes_name_the_fix() {
        let e = PublicHolidays::resolve("JPN", None).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("known codes: JP, CN"), "{msg}");
        let e = PublicHolidays::resolve("DE", Some("BYY")).unwrap_err();
        assert_eq!(
            e,
            UnknownCode::Region {
                country: "DE",
                written: "BYY".into(),
                suggestion: Some("BY")
            }
        );
        assert!(e.to_string().contains("its regions: BB, BE, BW, BY"), "{e}");
        let e = PublicHolidays::resolve("JP", Some("13")).unwrap_err();
        assert!(
            e.to_string().contains("same public holidays everywhere"),
            "{e}"
        );
    }

    #[test]
    fn the_thirty_countries_of_the_issue_are_shipped() {
        let shipped: Vec<&str> = countries().collect();
        for c in "JP CN KR IN SG AU NZ US CA MX BR AR CL GB IE DE FR NL BE CH AT IT ES PT SE NO DK FI PL ZA AE".split(' ') {
            assert!(shipped.contains(&c), "{c}");
        }
        assert_eq!(regions("DE").len(), 16);
    }
}

#[cfg(test)]
mod weeks_tests;
