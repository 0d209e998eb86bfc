//! The embedded holiday data (`crates/tether-core/data/holidays.txt`, written by
//! `scripts/gen-holidays.py`; its header there describes the format), read lazily: the index of
//! countries and names the first time a country is asked for, and each country's or
//! subdivision's dates the first time that calendar is used, then kept for the process.

use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The data file, generated: never edited by hand.
pub(super) static DATA: &str = include_str!("../../../data/holidays.txt");

/// One holiday in a decoded calendar: the date and its name number.
pub(super) type Day = (NaiveDate, u32);

/// What the data says about one country, before its dates are decoded.
pub(super) struct Country {
    pub code: &'static str,
    /// The package's categories counted (`public`, and `optional` for Brazil).
    pub categories: &'static str,
    /// The package languages the English and local names were asked in (`-`: its default).
    pub english: &'static str,
    pub local: &'static str,
    /// Every subdivision code the package knows for the country, those without a line of
    /// their own included (they have the country's days).
    pub subdivisions: Vec<&'static str>,
    national: &'static str,
    regions: Vec<(&'static str, &'static str)>,
}

pub(super) struct Table {
    pub version: &'static str,
    pub first_year: i32,
    pub last_year: i32,
    /// (English, local) per name number; local is empty where the names are English.
    pub names: Vec<(&'static str, &'static str)>,
    pub countries: Vec<Country>,
}

/// The index of the data: parsed once, on the first question about a country.
pub(super) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(DATA))
}

fn parse(data: &'static str) -> Table {
    let mut t = Table {
        version: "",
        first_year: 0,
        last_year: -1,
        names: Vec::new(),
        countries: Vec::new(),
    };
    for line in data.lines() {
        let (tag, rest) = line.split_at(line.len().min(2));
        match tag {
            "V " => {
                let mut w = rest.split(' ').skip(1);
                t.version = w.next().unwrap_or("");
                t.first_year = w.next().and_then(|y| y.parse().ok()).unwrap_or(0);
                t.last_year = w.next().and_then(|y| y.parse().ok()).unwrap_or(-1);
            }
            "N " => {
                let (en, local) = rest.split_once('\t').unwrap_or((rest, ""));
                t.names.push((en, local));
            }
            "C " => {
                // The subdivisions come last and may hold a space ("South Canterbury").
                let mut w = rest.splitn(5, ' ');
                let mut next = || w.next().unwrap_or("-");
                let (code, categories, english, local, subs) =
                    (next(), next(), next(), next(), next());
                t.countries.push(Country {
                    code,
                    categories,
                    english,
                    local,
                    subdivisions: subs.split(',').filter(|s| *s != "-").collect(),
                    national: "",
                    regions: Vec::new(),
                });
            }
            "= " => {
                if let Some(c) = t.countries.last_mut() {
                    c.national = rest;
                }
            }
            "R " => {
                if let (Some(c), Some((code, entries))) =
                    (t.countries.last_mut(), rest.split_once('\t'))
                {
                    c.regions.push((code, entries));
                }
            }
            _ => {}
        }
    }
    t
}

/// `<days>.<name>` entries; `None` as the name for `x` (a day the subdivision does not have).
fn entries(first: NaiveDate, line: &str) -> impl Iterator<Item = (NaiveDate, Option<u32>)> + '_ {
    let mut at = first;
    line.split(' ').filter_map(move |e| {
        let (days, name) = e.split_once('.')?;
        at = at.checked_add_signed(Duration::days(days.parse().ok()?))?;
        Some((at, name.parse().ok()))
    })
}

/// The decoded days of country number `country`, with subdivision `region`'s changes: sorted
/// by date, one entry a date. Decoded on first use and kept (there are a few hundred possible
/// calendars at most, each a few kB).
pub(super) fn days(country: usize, region: Option<&str>) -> &'static [Day] {
    type Cache = Mutex<HashMap<(usize, Option<&'static str>), &'static [Day]>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let t = table();
    let Some(c) = t.countries.get(country) else {
        return &[];
    };
    let region = region.and_then(|r| c.subdivisions.iter().copied().find(|s| *s == r));
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(days) = cache.get(&(country, region)) {
        return days;
    }
    let days: &'static [Day] = Box::leak(decode(t, c, region).into_boxed_slice());
    cache.insert((country, region), days);
    days
}

fn decode(t: &Table, c: &Country, region: Option<&str>) -> Vec<Day> {
    let Some(first) = NaiveDate::from_ymd_opt(t.first_year, 1, 1) else {
        return Vec::new();
    };
    let mut days: Vec<Day> = entries(first, c.national)
        .filter_map(|(d, n)| Some((d, n?)))
        .collect();
    let changes = region.and_then(|r| c.regions.iter().find(|(code, _)| *code == r));
    if let Some((_, line)) = changes {
        // Both lists are sorted by date: one merge, a change replacing (or removing) the
        // country's entry of its date.
        let changes: Vec<(NaiveDate, Option<u32>)> = entries(first, line).collect();
        let mut merged = Vec::with_capacity(days.len() + changes.len());
        let mut national = days.into_iter().peekable();
        for (d, n) in changes {
            while let Some(e) = national.next_if(|(nd, _)| *nd < d) {
                merged.push(e);
            }
            national.next_if(|(nd, _)| *nd == d);
            if let Some(n) = n {
                merged.push((d, n));
            }
        }
        merged.extend(national);
        days = merged;
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_reads_the_header_and_every_country() {
        let t = table();
        assert_eq!((t.first_year, t.last_year), (2000, 2050));
        assert!(!t.version.is_empty());
        assert!(t.countries.len() >= 30);
        for c in &t.countries {
            assert!(!c.national.is_empty(), "{}", c.code);
            for (r, _) in &c.regions {
                assert!(c.subdivisions.contains(r), "{} {r}", c.code);
            }
        }
    }

    #[test]
    fn regions_change_the_national_days() {
        let t = table();
        let de = t.countries.iter().position(|c| c.code == "DE").unwrap();
        let epiphany = NaiveDate::from_ymd_opt(2027, 1, 6).unwrap();
        assert!(!days(de, None).iter().any(|(d, _)| *d == epiphany));
        assert!(days(de, Some("BY")).iter().any(|(d, _)| *d == epiphany));
        // Sorted, one entry a date.
        let by = days(de, Some("BY"));
        assert!(by.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// The one-off cost a process pays on first use (docs/performance.md): run with
    /// `cargo test --release -p tether-core --lib first_use_cost -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn first_use_cost() {
        let t0 = std::time::Instant::now();
        let t = table();
        let index = t0.elapsed();
        let t1 = std::time::Instant::now();
        let jp = t.countries.iter().position(|c| c.code == "JP").unwrap();
        let n = days(jp, None).len();
        let one = t1.elapsed();
        let t2 = std::time::Instant::now();
        let mut all = 0;
        for (i, c) in t.countries.iter().enumerate() {
            all += days(i, None).len();
            for r in &c.subdivisions {
                all += days(i, Some(r)).len();
            }
        }
        let every = t2.elapsed();
        println!(
            "index {index:?}; JP ({n} days) {one:?}; every calendar ({all} days) {every:?}; data {} bytes",
            DATA.len()
        );
    }
}
