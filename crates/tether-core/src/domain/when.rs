//! Reading a "when" that a person types: the data format's time values plus everyday words
//! (`today`, `tomorrow 9am`, `fri 17:00`, `in 3d`, `in 2h`, `next week`), and writing instants
//! and ids for new records. Shared by the dashboard's forms and the `tether add` / `log`
//! commands. Pure: every function takes `now` and the zone to read wall-clock times in.
//!
//! The rules, in words (docs/decisions.md repeats them):
//! - A day without a time stays a day ([`When::Day`]); each record says what a day means.
//! - Day words count on the calendar of `zone`: "tomorrow" is the day after today *there*.
//! - A weekday name is the next day with that name; today counts unless the time given has
//!   already passed (`fri` on a Friday is today; `fri 09:00` at 10:00 on a Friday is next week).
//! - `next week` is next Monday (on a Monday, the Monday a week later).
//! - `in 3d` / `in 1w` (whole days) is a day; `in 2h` / `in 90m` is an exact moment.
//! - A time alone (`17:00`) is today if it is still ahead, else tomorrow.
//! - A wall-clock time in a daylight-saving gap or overlap resolves as the data format says
//!   (forward by the gap; the earlier of two), with a note for the user.

use super::time::{TimeValue, parse_duration, parse_time_value, resolve_local};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// What a typed "when" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// An exact moment.
    At(DateTime<Utc>),
    /// A whole day; no time was given.
    Day(NaiveDate),
}

/// A typed "when", read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub when: When,
    /// For the user: a wall-clock time that fell in a daylight-saving gap or overlap.
    pub note: Option<String>,
    /// The text as typed when it was already an exact RFC 3339 instant: written back as is,
    /// since tether never reformats what a person wrote.
    pub written: Option<String>,
    /// The wall-clock time the words named, when `when` was read from it in the zone given
    /// (`fri 17:00`, `2026-11-27 17:00`); None for an exact instant, `now`, `in 2h` or a day.
    pub wall_clock: Option<NaiveDateTime>,
}

impl Parsed {
    /// The value for a data file: a day as `YYYY-MM-DD`, an instant as the user wrote it or as
    /// RFC 3339 with `zone`'s offset.
    pub fn to_value(&self, zone: Tz) -> String {
        match (self.when, &self.written) {
            (When::Day(d), _) => d.format("%Y-%m-%d").to_string(),
            (When::At(_), Some(w)) => w.clone(),
            (When::At(t), None) => stamp(t, zone),
        }
    }
}

/// The forms a "when" may take, for error messages.
pub const WHEN_FORMS: &str = "2026-11-27, \"2026-11-27 17:00\", 2026-11-27T17:00+09:00, today, \
tomorrow, fri, \"fri 17:00\", \"tomorrow 9am\", \"in 3d\", \"in 2h\" or \"next week\"";

/// Read a typed "when" at `now`, with wall-clock times and day words in `zone`.
pub fn parse_when(input: &str, zone: Tz, now: DateTime<Utc>) -> Result<Parsed, String> {
    let s = input.trim();
    let bad = || format!("cannot read the date {input:?}: write {WHEN_FORMS}");
    if s.is_empty() {
        return Err(bad());
    }
    // The data format's own forms first (one of them contains a space).
    if let Ok(v) = parse_time_value(s) {
        return Ok(match v {
            TimeValue::Instant(t) => Parsed {
                when: When::At(t.with_timezone(&Utc)),
                note: None,
                written: Some(s.to_string()),
                wall_clock: None,
            },
            TimeValue::Local(n) => local(zone, n.date(), n.time()),
            TimeValue::Date(d) => day(d),
        });
    }
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let today = now.with_timezone(&zone).date_naive();
    let (date, rest): (NaiveDate, &[&str]) = match words.as_slice() {
        ["now"] => return Ok(exact(now)),
        ["in", amount @ ..] => return relative(input, &amount.join(" "), zone, now, today),
        ["next", "week", rest @ ..] => {
            let ahead = 7 - i64::from(today.weekday().num_days_from_monday());
            (add_days(today, ahead).ok_or_else(bad)?, rest)
        }
        ["next", day, ..] if weekday(day).is_some() => {
            return Err(format!(
                "\"next {day}\" is ambiguous: write {day} (the coming one) or a date such as 2026-12-04"
            ));
        }
        [first, rest @ ..] => {
            if let Some(d) = day_word(first, today) {
                (d, rest)
            } else if let Ok(d) = NaiveDate::parse_from_str(first, "%Y-%m-%d") {
                (d, rest)
            } else if let Some(wd) = weekday(first) {
                let time = time_of(input, rest)?;
                let mut d = next_weekday(today, wd);
                if let Some(t) = time
                    && d == today
                    && resolve_local(zone, d.and_time(t)).0 <= now
                {
                    d = add_days(d, 7).ok_or_else(bad)?;
                }
                return Ok(at_or_day(zone, d, time));
            } else if let Some(t) = parse_clock(&words.join(" ")) {
                // A time alone: today if still ahead, else tomorrow.
                let mut d = today;
                if resolve_local(zone, d.and_time(t)).0 <= now {
                    d = add_days(d, 1).ok_or_else(bad)?;
                }
                return Ok(local(zone, d, t));
            } else {
                return Err(bad());
            }
        }
        [] => return Err(bad()),
    };
    let time = time_of(input, rest)?;
    Ok(at_or_day(zone, date, time))
}

fn exact(t: DateTime<Utc>) -> Parsed {
    Parsed {
        when: When::At(t),
        note: None,
        written: None,
        wall_clock: None,
    }
}

fn day(d: NaiveDate) -> Parsed {
    Parsed {
        when: When::Day(d),
        note: None,
        written: None,
        wall_clock: None,
    }
}

fn local(zone: Tz, d: NaiveDate, t: NaiveTime) -> Parsed {
    let naive = d.and_time(t);
    let (at, issue) = resolve_local(zone, naive);
    Parsed {
        when: When::At(at),
        note: issue.map(|i| i.describe(naive, zone)),
        written: None,
        wall_clock: Some(naive),
    }
}

fn at_or_day(zone: Tz, d: NaiveDate, time: Option<NaiveTime>) -> Parsed {
    match time {
        Some(t) => local(zone, d, t),
        None => day(d),
    }
}

/// `in 3d`, `in 1w 9am`, `in 2h`, `in 3 days`, `in 90 minutes`.
fn relative(
    input: &str,
    amount: &str,
    zone: Tz,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Parsed, String> {
    let bad = || {
        format!(
            "cannot read the amount in {input:?}: write \"in 3d\", \"in 1w\", \"in 2h\", \"in 90m\" \
             or \"in 3 days\" (whole days may be followed by a time: \"in 3d 17:00\")"
        )
    };
    // Words for units become the short forms; a time may follow whole days.
    let mut short = String::new();
    let mut tokens = amount.split_whitespace().peekable();
    let mut rest = Vec::new();
    while let Some(tok) = tokens.next() {
        let unit = match tokens.peek().map(|u| unit_word(u)) {
            Some(Some(u)) if tok.chars().all(|c| c.is_ascii_digit()) => {
                tokens.next();
                Some(u)
            }
            _ => None,
        };
        match unit {
            Some(u) => {
                short.push_str(tok);
                short.push(u);
            }
            None if rest.is_empty() && is_amount(tok) => short.push_str(tok),
            None => rest.push(tok),
        }
    }
    if short.is_empty() {
        return Err(bad());
    }
    let d = parse_duration(&short).map_err(|_| bad())?;
    let whole_days = short
        .chars()
        .all(|c| c.is_ascii_digit() || c == 'd' || c == 'w');
    if whole_days {
        let date = add_days(today, d.num_days()).ok_or_else(bad)?;
        let time = time_of(input, &rest)?;
        return Ok(at_or_day(zone, date, time));
    }
    if !rest.is_empty() {
        return Err(format!(
            "cannot read {input:?}: a time of day can only follow whole days (\"in 3d 17:00\"); \
             write \"in 2h\" alone"
        ));
    }
    now.checked_add_signed(d).map(exact).ok_or_else(bad)
}

fn is_amount(tok: &str) -> bool {
    tok.chars().next().is_some_and(|c| c.is_ascii_digit())
        && tok
            .chars()
            .all(|c| c.is_ascii_digit() || "wdhms".contains(c))
}

fn unit_word(w: &str) -> Option<char> {
    match w {
        "w" | "week" | "weeks" | "wk" | "wks" => Some('w'),
        "d" | "day" | "days" => Some('d'),
        "h" | "hour" | "hours" | "hr" | "hrs" => Some('h'),
        "m" | "min" | "mins" | "minute" | "minutes" => Some('m'),
        _ => None,
    }
}

/// The optional time after a day: nothing, `17:00`, `at 17:00`, `9am`, `9 am`, `5:30pm`, `noon`.
fn time_of(input: &str, rest: &[&str]) -> Result<Option<NaiveTime>, String> {
    let rest = match rest {
        ["at", r @ ..] => r,
        r => r,
    };
    if rest.is_empty() {
        return Ok(None);
    }
    let text = rest.join(" ");
    parse_clock(&text).map(Some).ok_or_else(|| {
        format!(
            "cannot read the time {text:?} in {input:?}: write it as 17:00, 9:30, 9am or 5:30pm"
        )
    })
}

/// `17:00`, `9:30`, `9am`, `9 am`, `5:30pm`, `12pm` (noon), `12am` (midnight), `noon`.
pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if s == "noon" {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    let (body, pm) = if let Some(b) = s.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = s.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (s.as_str(), None)
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h, m),
        Some(_) => return None,
        None if pm.is_some() => (body, "00"),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 || !h.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !m.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    match pm {
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if h > 23 => return None,
        None => {}
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

fn day_word(w: &str, today: NaiveDate) -> Option<NaiveDate> {
    match w {
        "today" => Some(today),
        "tomorrow" | "tmrw" => today.succ_opt(),
        "yesterday" => today.pred_opt(),
        _ => None,
    }
}

fn weekday(w: &str) -> Option<Weekday> {
    let day = match w {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// The first day on or after `from` that is a `wd`.
fn next_weekday(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let ahead = (i64::from(wd.num_days_from_monday())
        - i64::from(from.weekday().num_days_from_monday()))
    .rem_euclid(7);
    add_days(from, ahead).unwrap_or(from)
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(n)?)
}

/// Format an instant for the data files: RFC 3339 with the offset of `zone` (readable by hand).
pub fn stamp(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The dashboard's when-fields: the text to write for `s` typed in `zone`. A day alone stays a
/// day when `keep_date` (a follow-up due that day), else it is the start of that day.
pub fn when_field(
    s: &str,
    zone: Tz,
    now: DateTime<Utc>,
    keep_date: bool,
) -> Result<String, String> {
    let p = parse_when(s, zone, now)?;
    Ok(match p.when {
        When::Day(d) if !keep_date => {
            stamp(resolve_local(zone, d.and_time(NaiveTime::MIN)).0, zone)
        }
        _ => p.to_value(zone),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::{America::New_York, Asia::Tokyo, Australia::Brisbane};

    /// Wed 25 Nov 2026 09:30 in Brisbane.
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn when(s: &str, zone: Tz) -> When {
        parse_when(s, zone, now())
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .when
    }

    fn at(zone: Tz, m: u32, d: u32, h: u32, mi: u32) -> When {
        When::At(
            zone.with_ymd_and_hms(2026, m, d, h, mi, 0)
                .unwrap()
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn spec_forms() {
        assert_eq!(when("2026-11-27", Tokyo), When::Day(date(11, 27)));
        assert_eq!(when("2026-11-27 17:00", Tokyo), at(Tokyo, 11, 27, 17, 0));
        assert_eq!(when("2026-11-27T17:00", Tokyo), at(Tokyo, 11, 27, 17, 0));
        let p = parse_when("2026-11-27T17:00+09:00", Brisbane, now()).unwrap();
        assert_eq!(p.when, at(Tokyo, 11, 27, 17, 0));
        assert_eq!(p.to_value(Brisbane), "2026-11-27T17:00+09:00");
        assert_eq!(when("2026-11-27 5pm", Tokyo), at(Tokyo, 11, 27, 17, 0));
    }

    #[test]
    fn day_words_with_and_without_time() {
        assert_eq!(when("today", Brisbane), When::Day(date(11, 25)));
        assert_eq!(when("Tomorrow", Brisbane), When::Day(date(11, 26)));
        assert_eq!(when("yesterday", Brisbane), When::Day(date(11, 24)));
        assert_eq!(when("tomorrow 9am", Brisbane), at(Brisbane, 11, 26, 9, 0));
        assert_eq!(when("tomorrow at 17:00", Tokyo), at(Tokyo, 11, 26, 17, 0));
        assert_eq!(when("today 5:30 pm", Tokyo), at(Tokyo, 11, 25, 17, 30));
        // In São Paulo it is still Tuesday 24th: "tomorrow" there is Wednesday.
        assert_eq!(
            when("tomorrow", chrono_tz::America::Sao_Paulo),
            When::Day(date(11, 25))
        );
    }

    #[test]
    fn weekdays_today_counts_unless_the_time_has_passed() {
        assert_eq!(when("fri", Tokyo), When::Day(date(11, 27)));
        assert_eq!(when("Friday 17:00", Tokyo), at(Tokyo, 11, 27, 17, 0));
        assert_eq!(when("mon", Tokyo), When::Day(date(11, 30)));
        // It is Wednesday 08:30 in Tokyo.
        assert_eq!(when("wed", Tokyo), When::Day(date(11, 25)));
        assert_eq!(when("wed 09:00", Tokyo), at(Tokyo, 11, 25, 9, 0));
        assert_eq!(when("wed 08:00", Tokyo), at(Tokyo, 12, 2, 8, 0));
        assert!(
            parse_when("next fri", Tokyo, now())
                .unwrap_err()
                .contains("ambiguous")
        );
    }

    #[test]
    fn next_week_is_monday() {
        assert_eq!(when("next week", Brisbane), When::Day(date(11, 30)));
        assert_eq!(when("next week 9:00", Brisbane), at(Brisbane, 11, 30, 9, 0));
        let monday = Brisbane
            .with_ymd_and_hms(2026, 11, 30, 10, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_when("next week", Brisbane, monday).unwrap().when,
            When::Day(date(12, 7))
        );
    }

    #[test]
    fn relative_amounts() {
        assert_eq!(when("in 3d", Brisbane), When::Day(date(11, 28)));
        assert_eq!(when("in 1w", Brisbane), When::Day(date(12, 2)));
        assert_eq!(when("in 3 days", Brisbane), When::Day(date(11, 28)));
        assert_eq!(when("in 3d 17:00", Tokyo), at(Tokyo, 11, 28, 17, 0));
        assert_eq!(when("in 2h", Tokyo), When::At(now() + Duration::hours(2)));
        assert_eq!(
            when("in 1h30m", Tokyo),
            When::At(now() + Duration::minutes(90))
        );
        assert_eq!(
            when("in 90 minutes", Tokyo),
            When::At(now() + Duration::minutes(90))
        );
        assert_eq!(when("now", Tokyo), When::At(now()));
        assert!(parse_when("in 2h 17:00", Tokyo, now()).is_err());
        assert!(parse_when("in soon", Tokyo, now()).is_err());
    }

    #[test]
    fn a_time_alone_is_the_next_such_time() {
        assert_eq!(when("17:00", Brisbane), at(Brisbane, 11, 25, 17, 0));
        assert_eq!(when("9am", Brisbane), at(Brisbane, 11, 26, 9, 0));
    }

    #[test]
    fn clock_forms() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_clock("17:00"), t(17, 0));
        assert_eq!(parse_clock("9:05"), t(9, 5));
        assert_eq!(parse_clock("9am"), t(9, 0));
        assert_eq!(parse_clock("12am"), t(0, 0));
        assert_eq!(parse_clock("12pm"), t(12, 0));
        assert_eq!(parse_clock("noon"), t(12, 0));
        assert_eq!(parse_clock("5:30 PM"), t(17, 30));
        for bad in ["25:00", "17", "13pm", "0am", "9:5", "x:00", "", "17:60"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn errors_name_the_forms_to_write() {
        for bad in ["someday", "fri 25:00", "2026-13-01", "", "tomorrow soon"] {
            let e = parse_when(bad, Tokyo, now()).unwrap_err();
            assert!(e.contains("write"), "{bad}: {e}");
        }
        assert!(
            parse_when("fri 25:00", Tokyo, now())
                .unwrap_err()
                .contains("17:00, 9:30, 9am")
        );
    }

    #[test]
    fn gap_times_move_forward_with_a_note() {
        let march = New_York
            .with_ymd_and_hms(2026, 3, 6, 12, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let p = parse_when("sun 2:30", New_York, march).unwrap();
        assert_eq!(
            p.when,
            When::At(
                New_York
                    .with_ymd_and_hms(2026, 3, 8, 3, 30, 0)
                    .unwrap()
                    .with_timezone(&Utc)
            )
        );
        assert!(p.note.unwrap().contains("daylight-saving gap"));
    }

    #[test]
    fn dashboard_field_keeps_or_expands_days() {
        assert_eq!(
            when_field("tomorrow", Brisbane, now(), true).unwrap(),
            "2026-11-26"
        );
        assert_eq!(
            when_field("2026-12-01", Brisbane, now(), false).unwrap(),
            "2026-12-01T00:00:00+10:00"
        );
        assert_eq!(
            when_field("2026-12-01 09:00", Brisbane, now(), false).unwrap(),
            "2026-12-01T09:00:00+10:00"
        );
    }

    #[test]
    fn stamps_carry_the_zones_offset() {
        assert_eq!(stamp(now(), Tokyo), "2026-11-25T08:30:00+09:00");
    }
}
