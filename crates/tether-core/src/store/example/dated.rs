//! The example data dated from an instant: what a first run and `tether init` write. Its
//! deadlines fall tomorrow and next week, its last contacts in the fortnight before (one last
//! Tuesday), its holidays and trip in the year ahead; every time is in the client's business
//! hours and written as a person would (a local date, or a local time), so that day one shows
//! nothing overdue (docs/decisions.md, "The first run"). The same instant always gives the same
//! files, so `--now` reproduces them.
//!
//! The files are the `*.in` templates beside this one, with each `<…>` replaced:
//! - a day: `tomorrow` (the next day you, and the line's client, both work), `next-mon` …
//!   `next-sun` (that day next week, or the first day after it you both work), `tue-N` (N days
//!   before last Tuesday), `mon+N` (N days after this week's Monday); alone, it is a date;
//! - `DAY HH:MM`: that wall time (in the record's zone); `DAY HH:MM theirs`: the client's wall
//!   time with its offset; `DAY HH:MM mine`: yours with your offset, as tether writes it;
//! - `holidays [+N] MM-DD …`: those dates in the year from today (from N days ahead);
//! - `month`: this month's name.

use super::headers::{CONTACTS_HEADER, DEADLINES_HEADER, FOLLOWUPS_HEADER, TIMELOG_HEADER};
use crate::domain::model::{Client, Config};
use crate::domain::schedule::{Schedule, shift_date};
use crate::domain::time::{local_date, local_to_utc};
use crate::store::config::parse_config;
use crate::store::files::{
    CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, TIMELOG_FILE,
};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

const CONFIG: &str = include_str!("tether.toml.in");
const DEADLINES: &str = include_str!("deadlines.jsonl.in");
const FOLLOWUPS: &str = include_str!("followups.jsonl.in");
const CONTACTS: &str = include_str!("interactions.jsonl.in");
/// A few hours on Nortec's retainer since it started, so its burn-down is not empty.
const TIMELOG: &str = include_str!("timelog.jsonl.in");

/// How far past a day's first choice `tomorrow` or `next-…` looks for a day you both work.
const SEARCH_DAYS: i64 = 28;

/// The days everything is counted from, in your zone at `now`.
struct Calendar<'c> {
    today: NaiveDate,
    /// Monday of this week.
    monday: NaiveDate,
    /// The last Tuesday before today (1 to 7 days ago).
    last_tuesday: NaiveDate,
    /// None while tether.toml itself is being written.
    config: Option<&'c Config>,
}

impl Calendar<'_> {
    fn new(today: NaiveDate) -> Calendar<'static> {
        let weekday = i64::from(today.weekday().num_days_from_monday());
        let since_tuesday = (weekday + 6) % 7;
        Calendar {
            today,
            monday: shift_date(today, -weekday),
            last_tuesday: shift_date(today, -(if since_tuesday == 0 { 7 } else { since_tuesday })),
            config: None,
        }
    }

    /// The date a day word means, for a line about `client`.
    fn day(&self, word: &str, client: Option<&Client>) -> Option<NaiveDate> {
        let offset = |rest: &str| rest.parse::<i64>().ok();
        if let Some(n) = word.strip_prefix("tue-") {
            return Some(shift_date(self.last_tuesday, -offset(n)?));
        }
        if let Some(n) = word.strip_prefix("mon+") {
            return Some(shift_date(self.monday, offset(n)?));
        }
        let first = if word == "tomorrow" {
            shift_date(self.today, 1)
        } else {
            let w: Weekday = word.strip_prefix("next-")?.parse().ok()?;
            shift_date(self.monday, 7 + i64::from(w.num_days_from_monday()))
        };
        let me = self.config.map(|c| Schedule::of_me(&c.me));
        let theirs = client.map(Schedule::of_client);
        let works = |d: &NaiveDate| {
            me.is_none_or(|s| s.works_on(*d)) && theirs.is_none_or(|s| s.works_on(*d))
        };
        Some(
            (0..SEARCH_DAYS)
                .map(|i| shift_date(first, i))
                .find(works)
                .unwrap_or(first),
        )
    }

    /// What one `<…>` stands for, on a line about `client`.
    fn expand(&self, token: &str, client: Option<&Client>) -> Option<String> {
        let words: Vec<&str> = token.split_whitespace().collect();
        match words.as_slice() {
            ["month"] => Some(self.today.format("%B").to_string()),
            ["holidays", dates @ ..] => Some(self.holidays(dates)),
            [day] => Some(self.day(day, client)?.to_string()),
            [day, at, whose @ ..] => {
                let at = NaiveTime::parse_from_str(at, "%H:%M").ok()?;
                let local = self.day(day, client)?.and_time(at);
                match whose {
                    [] => Some(local.format("%Y-%m-%dT%H:%M").to_string()),
                    ["theirs"] => {
                        let zone = client?.zone;
                        let t = local_to_utc(zone, local).with_timezone(&zone);
                        Some(t.format("%Y-%m-%dT%H:%M%:z").to_string())
                    }
                    ["mine"] => {
                        let zone: Tz = self.config?.me.zone;
                        let t = local_to_utc(zone, local).with_timezone(&zone);
                        Some(t.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `["2026-12-25", "2026-12-26"]`: each `MM-DD` in the year from today (`+N`: from N days
    /// ahead), soonest first.
    fn holidays(&self, words: &[&str]) -> String {
        let (from, days) = match words.split_first() {
            Some((first, rest)) if first.starts_with('+') => {
                let n = first.trim_start_matches('+').parse::<i64>().unwrap_or(0);
                (shift_date(self.today, n), rest)
            }
            _ => (self.today, words),
        };
        let until = shift_date(from, 365);
        let mut dates: Vec<NaiveDate> = [from.year(), from.year() + 1]
            .iter()
            .flat_map(|y| {
                days.iter().filter_map(move |md| {
                    NaiveDate::parse_from_str(&format!("{y}-{md}"), "%Y-%m-%d").ok()
                })
            })
            .filter(|d| from <= *d && *d < until)
            .collect();
        dates.sort();
        let quoted: Vec<String> = dates.iter().map(|d| format!("\"{d}\"")).collect();
        format!("[{}]", quoted.join(", "))
    }

    /// `template` with every `<…>` expanded (one left as written if it means nothing).
    fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        for line in template.split_inclusive('\n') {
            let client = self.config.and_then(|c| c.client(line_client(line)?));
            let mut rest = line;
            while let Some(open) = rest.find('<') {
                let Some(close) = rest[open..].find('>').map(|c| open + c) else {
                    break;
                };
                out.push_str(&rest[..open]);
                let token = &rest[open + 1..close];
                match self.expand(token, client) {
                    Some(s) => out.push_str(&s),
                    None => out.push_str(&rest[open..=close]),
                }
                rest = &rest[close + 1..];
            }
            out.push_str(rest);
        }
        out
    }
}

/// The client id a template line names (`"client":"kanda"`).
fn line_client(line: &str) -> Option<&str> {
    let from = line.find("\"client\":\"")? + "\"client\":\"".len();
    let len = line[from..].find('"')?;
    Some(&line[from..from + len])
}

/// The example's five files, dated from `now`: (file name, contents).
pub fn files(now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    // "Today" is yours: the template's zone, where you are (its trip is weeks away).
    let (home, _) = parse_config(CONFIG);
    let calendar = Calendar::new(local_date(home.me.zone_at(now), now));
    let toml = calendar.fill(CONFIG);
    let (config, _) = parse_config(&toml);
    let calendar = Calendar {
        config: Some(&config),
        ..calendar
    };
    let record = |header: &str, template: &str| format!("{header}{}", calendar.fill(template));
    let deadlines = record(DEADLINES_HEADER, DEADLINES);
    let followups = record(FOLLOWUPS_HEADER, FOLLOWUPS);
    let contacts = record(CONTACTS_HEADER, CONTACTS);
    let timelog = record(TIMELOG_HEADER, TIMELOG);
    vec![
        (CONFIG_FILE, toml),
        (DEADLINES_FILE, deadlines),
        (FOLLOWUPS_FILE, followups),
        (INTERACTIONS_FILE, contacts),
        (TIMELOG_FILE, timelog),
    ]
}
