//! Time values, durations, clock ranges, weekdays and zone resolution, as the data format defines
//! them. Everything here is pure: callers pass "now" and zones in.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::fmt;

/// A time value as written in a data file, before a zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeValue {
    /// RFC 3339 with an offset: an exact instant.
    Instant(DateTime<FixedOffset>),
    /// A wall-clock time in the record's zone.
    Local(NaiveDateTime),
    /// A date in the record's zone; each record says what a date-only value means.
    Date(NaiveDate),
}

/// How a wall-clock time mapped onto the zone's timeline, when it was not one-to-one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalIssue {
    /// The time fell inside a daylight-saving gap and was moved forward by the gap's length.
    Gap { resolved: NaiveDateTime },
    /// The time happened twice (fall-back); the earlier one was taken.
    Ambiguous,
}

impl LocalIssue {
    /// A warning for the user, naming what happened and what tether chose.
    pub fn describe(&self, naive: NaiveDateTime, tz: Tz) -> String {
        match self {
            LocalIssue::Gap { resolved } => format!(
                "{} does not exist in {} (daylight-saving gap); using {}",
                naive.format("%Y-%m-%d %H:%M"),
                tz.name(),
                resolved.format("%Y-%m-%d %H:%M")
            ),
            LocalIssue::Ambiguous => format!(
                "{} happens twice in {} (clocks go back); using the earlier one",
                naive.format("%Y-%m-%d %H:%M"),
                tz.name()
            ),
        }
    }
}

/// Parse a time value: RFC 3339 (seconds optional), `YYYY-MM-DDTHH:MM[:SS]`,
/// `YYYY-MM-DD HH:MM[:SS]`, or `YYYY-MM-DD`.
///
/// The accepted shapes are read by a fixed-position parser ([`parse_time_fast`]); anything it
/// does not recognise goes through chrono's parsers ([`parse_time_value_chrono`]), which decide
/// the odd cases and word the error, so the result is the same either way.
pub fn parse_time_value(s: &str) -> Result<TimeValue, String> {
    if let Some(v) = parse_time_fast(s.trim()) {
        return Ok(v);
    }
    parse_time_value_chrono(s)
}

/// Two ASCII digits at `b[i..i + 2]` as a number.
fn two_digits(b: &[u8], i: usize) -> Option<u32> {
    let (x, y) = (
        b.get(i)?.wrapping_sub(b'0'),
        b.get(i + 1)?.wrapping_sub(b'0'),
    );
    (x < 10 && y < 10).then_some(u32::from(x) * 10 + u32::from(y))
}

/// The common shapes, byte by byte: `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`,
/// `:SS` (and `.fraction` when an offset follows), then `Z` or `±HH:MM`. `None` for anything
/// else (including values chrono would reject, leap seconds and `-00:00`), which the caller
/// hands to chrono.
fn parse_time_fast(t: &str) -> Option<TimeValue> {
    let b = t.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two_digits(b, 0)? * 100 + two_digits(b, 2)?;
    let date = NaiveDate::from_ymd_opt(year as i32, two_digits(b, 5)?, two_digits(b, 8)?)?;
    if b.len() == 10 {
        return Some(TimeValue::Date(date));
    }
    if !(b[10] == b'T' || b[10] == b' ') || b.get(13) != Some(&b':') {
        return None;
    }
    let (hour, min) = (two_digits(b, 11)?, two_digits(b, 14)?);
    let mut i = 16;
    let (mut sec, mut nano, mut has_frac) = (0, 0, false);
    if b.get(i) == Some(&b':') {
        sec = two_digits(b, 17)?;
        i = 19;
        if b.get(i) == Some(&b'.') {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            for c in &b[i + 1..i + 1 + digits] {
                nano = nano * 10 + u32::from(c - b'0');
            }
            nano *= 10u32.pow(9 - digits as u32);
            has_frac = true;
            i += 1 + digits;
        }
    }
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    let naive = date.and_hms_nano_opt(hour, min, sec, nano)?;
    let offset = match &b[i..] {
        [] if !has_frac => return Some(TimeValue::Local(naive)),
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (two_digits(b, i + 1)?, two_digits(b, i + 4)?);
            if oh > 23 || om > 59 || (*sign == b'-' && oh == 0 && om == 0) {
                return None;
            }
            let secs = (oh * 3600 + om * 60) as i32;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let dt = FixedOffset::east_opt(offset)?
        .from_local_datetime(&naive)
        .single()?;
    Some(TimeValue::Instant(dt))
}

/// The general parser: chrono's RFC 3339 reader, then its format-string readers in turn.
fn parse_time_value_chrono(s: &str) -> Result<TimeValue, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty time value".into());
    }
    if t.len() == 10
        && let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d")
    {
        return Ok(TimeValue::Date(d));
    }
    // Normalise a space separator to 'T' so one set of formats serves both spellings.
    let norm: String = if t.len() > 10 && t.as_bytes()[10] == b' ' {
        format!("{}T{}", &t[..10], &t[11..])
    } else {
        t.to_string()
    };
    if let Ok(dt) = DateTime::parse_from_rfc3339(&norm) {
        return Ok(TimeValue::Instant(dt));
    }
    for f in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%MZ"] {
        if let Ok(dt) = DateTime::parse_from_str(&norm, f) {
            return Ok(TimeValue::Instant(dt));
        }
        if f.ends_with('Z')
            && let Ok(n) = NaiveDateTime::parse_from_str(&norm, f)
        {
            return Ok(TimeValue::Instant(n.and_utc().fixed_offset()));
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&norm, f) {
            return Ok(TimeValue::Local(n));
        }
    }
    Err(format!(
        "cannot read time value {s:?}: use 2026-11-25T09:00:00+09:00, 2026-11-25T09:00 or 2026-11-25"
    ))
}

/// Map a wall-clock time in `tz` onto an instant: a time in a daylight-saving gap moves forward by
/// the gap's length, a repeated time takes the earlier instant (Python zoneinfo with fold=0).
pub fn resolve_local(tz: Tz, naive: NaiveDateTime) -> (DateTime<Utc>, Option<LocalIssue>) {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => (dt.with_timezone(&Utc), None),
        LocalResult::Ambiguous(a, b) => {
            let first = if a <= b { a } else { b };
            (first.with_timezone(&Utc), Some(LocalIssue::Ambiguous))
        }
        LocalResult::None => {
            // Inside a gap, the offsets on either side alternate under o -> offset_at(naive - o);
            // the pre-transition offset is the smaller one, and fold=0 applies it.
            let offset_at = |o: i32| -> i32 {
                let utc = naive - Duration::seconds(o as i64);
                tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
            };
            let o0 = tz.offset_from_utc_datetime(&naive).fix().local_minus_utc();
            let x = offset_at(o0);
            let y = offset_at(x);
            let pre = x.min(y);
            let utc = (naive - Duration::seconds(pre as i64)).and_utc();
            let resolved = utc.with_timezone(&tz).naive_local();
            (utc, Some(LocalIssue::Gap { resolved }))
        }
    }
}

/// A wall-clock time in `tz`, ignoring any gap/overlap issue (for computed times such as
/// "09:00 on their next work day", where a warning would mean nothing to the user).
pub fn local_to_utc(tz: Tz, naive: NaiveDateTime) -> DateTime<Utc> {
    resolve_local(tz, naive).0
}

/// Parse a duration: `90m`, `6h`, `1h30m`, `2d`, `1w` (also `s`); d is 24 h of elapsed time.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let bad = || format!("cannot read duration {s:?}: use forms like 90m, 6h, 1h30m, 2d or 1w");
    if t.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut num: Option<i64> = None;
    for c in t.chars() {
        if let Some(d) = c.to_digit(10) {
            let n = num.unwrap_or(0);
            num = Some(
                n.checked_mul(10)
                    .and_then(|n| n.checked_add(d as i64))
                    .ok_or_else(|| format!("duration {s:?} is too large"))?,
            );
            continue;
        }
        let unit: i64 = match c.to_ascii_lowercase() {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            ' ' if num.is_none() => continue,
            '-' => {
                return Err(format!(
                    "duration {s:?} is negative; durations are 0 or more"
                ));
            }
            _ => return Err(bad()),
        };
        let n = num.take().ok_or_else(bad)?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .filter(|v| *v <= 100 * 365 * 86_400)
            .ok_or_else(|| format!("duration {s:?} is too large (over 100 years)"))?;
    }
    if num.is_some() {
        return Err(bad());
    }
    Ok(Duration::seconds(total))
}

/// Calendar time, briefly, for people: `2d 3h`, `5h 20m`, `45m`. For a gap between two instants
/// ("due in 2d 3h", "3h ago") or a cadence ("every 7d"), where a day is a day on the calendar.
/// Working time is [`format_working`]'s (docs/decisions.md, "Units").
pub fn format_duration(d: Duration) -> String {
    let neg = d < Duration::zero();
    let mins = d.num_minutes().abs();
    let (days, hours, m) = (mins / 1440, (mins / 60) % 24, mins % 60);
    let body = if days > 0 {
        if hours > 0 {
            format!("{days}d {hours}h")
        } else {
            format!("{days}d")
        }
    } else if hours > 0 {
        if m > 0 {
            format!("{hours}h {m:02}m")
        } else {
            format!("{hours}h")
        }
    } else {
        format!("{m}m")
    };
    if neg { format!("-{body}") } else { body }
}

/// Working time, in hours and minutes, never days: `25h`, `9h 30m`, `45m`, `-7h 30m`. A day of
/// it would read as a working day, yet 24 working hours are three of an 8-hour schedule's days
/// ("needs 6h, you have 25h of working time", docs/decisions.md, "Units").
pub fn format_working(d: Duration) -> String {
    let mins = d.num_minutes();
    let (h, m) = (mins.abs() / 60, mins.abs() % 60);
    let sign = if mins < 0 { "-" } else { "" };
    match (h, m) {
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h {m:02}m"),
    }
}

/// A calendar gap from now to an instant `d` away: `in 1d 4h`, `3h ago`, `now` (under a minute
/// either way).
pub fn format_relative(d: Duration) -> String {
    if d.num_minutes() == 0 {
        "now".to_string()
    } else if d > Duration::zero() {
        format!("in {}", format_duration(d))
    } else {
        format!("{} ago", format_duration(-d))
    }
}

/// A daily clock range such as `09:00-18:00`; it wraps midnight when end <= start
/// (`22:00-06:00`), and `00:00-24:00` is the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRange {
    pub start: NaiveTime,
    /// Minutes from `start` to the end (1..=1440).
    pub minutes: i64,
}

impl ClockRange {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Self {
        let s = start.signed_duration_since(NaiveTime::MIN).num_minutes();
        let e = end.signed_duration_since(NaiveTime::MIN).num_minutes();
        let minutes = if e > s { e - s } else { e + 1440 - s };
        ClockRange { start, minutes }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("cannot read clock range {s:?}: write it as \"09:00-18:00\"");
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let parse_hm = |x: &str| -> Result<(NaiveTime, bool), String> {
            let x = x.trim();
            if x == "24:00" {
                return Ok((NaiveTime::MIN, true));
            }
            NaiveTime::parse_from_str(x, "%H:%M")
                .map(|t| (t, false))
                .map_err(|_| bad())
        };
        let (start, start24) = parse_hm(a)?;
        let (end, end24) = parse_hm(b)?;
        if start24 {
            return Err(bad());
        }
        if start == end && !end24 {
            return Err(format!(
                "clock range {s:?} is empty; use \"00:00-24:00\" for the whole day"
            ));
        }
        Ok(ClockRange::new(start, end))
    }

    pub fn end(&self) -> NaiveTime {
        self.start + Duration::minutes(self.minutes)
    }

    pub fn wraps(&self) -> bool {
        self.start
            .signed_duration_since(NaiveTime::MIN)
            .num_minutes()
            + self.minutes
            > 1440
    }

    /// The range as wall-clock start and end on `date` (the end may fall on the next day). As
    /// instants, see `schedule::Schedule`, which owns the daylight-saving rules for ranges.
    pub fn on(&self, date: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let s = date.and_time(self.start);
        (s, s + Duration::minutes(self.minutes))
    }
}

impl fmt::Display for ClockRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = if self.minutes == 1440 && self.start == NaiveTime::MIN {
            "24:00".to_string()
        } else {
            self.end().format("%H:%M").to_string()
        };
        write!(f, "{}-{}", self.start.format("%H:%M"), end)
    }
}

/// A set of weekdays, as in `["mon","tue","wed","thu","fri"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    pub const WORKWEEK: WeekdaySet = WeekdaySet(0b0011111);
    pub const EMPTY: WeekdaySet = WeekdaySet(0);
    pub const ALL: WeekdaySet = WeekdaySet(0b1111111);

    pub fn contains(&self, d: Weekday) -> bool {
        self.0 & (1 << d.num_days_from_monday()) != 0
    }

    pub fn insert(&mut self, d: Weekday) {
        self.0 |= 1 << d.num_days_from_monday();
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn parse_day(s: &str) -> Result<Weekday, String> {
        let l = s.trim().to_ascii_lowercase();
        let day = match l.as_str() {
            "mon" | "monday" => Weekday::Mon,
            "tue" | "tuesday" => Weekday::Tue,
            "wed" | "wednesday" => Weekday::Wed,
            "thu" | "thursday" => Weekday::Thu,
            "fri" | "friday" => Weekday::Fri,
            "sat" | "saturday" => Weekday::Sat,
            "sun" | "sunday" => Weekday::Sun,
            _ => {
                return Err(format!(
                    "unknown day {s:?}: use mon, tue, wed, thu, fri, sat or sun"
                ));
            }
        };
        Ok(day)
    }
}

/// A zone name as a place: `Europe/London` → `London`, `America/New_York` → `New York`.
pub fn zone_city(tz: Tz) -> String {
    let name = tz.name();
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

/// Parse an IANA zone name; on failure the message suggests the nearest valid name.
pub fn parse_zone(s: &str) -> Result<Tz, String> {
    if let Ok(tz) = s.parse::<Tz>() {
        return Ok(tz);
    }
    // Accept a different case silently ("asia/tokyo"), since the meaning is unambiguous.
    if let Some(tz) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|t| t.name().eq_ignore_ascii_case(s))
    {
        return Ok(*tz);
    }
    // Suggesting costs an edit distance per known zone: not for a value that cannot be a name.
    if s.len() > 64 {
        let start: String = s.chars().take(20).collect();
        return Err(format!(
            "unknown time zone {start:?}… (too long to be a zone name; use one like \"Asia/Tokyo\")"
        ));
    }
    let best = nearest_zone(s);
    Err(format!("unknown time zone {s:?}; did you mean \"{best}\"?"))
}

/// The valid IANA name closest to `s` (edit distance, ignoring case), for "did you mean".
pub fn nearest_zone(s: &str) -> &'static str {
    let want = s.to_ascii_lowercase();
    let city = want.rsplit('/').next().unwrap_or(&want).to_string();
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|t| {
            let name = t.name().to_ascii_lowercase();
            let tcity = name.rsplit('/').next().unwrap_or(&name).to_string();
            let d = strsim::levenshtein(&want, &name).min(strsim::levenshtein(&city, &tcity) + 1);
            (d, t.name())
        })
        .min_by_key(|(d, n)| (*d, n.len()))
        .map(|(_, n)| n)
        .unwrap_or("UTC")
}

/// The UTC offset of `tz` at `at`, in seconds east of UTC.
pub fn offset_secs(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// Format an offset difference as people say it: `+8h`, `-5h30m`, `+0h`.
pub fn format_gap(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.abs() / 60;
    if m % 60 == 0 {
        format!("{sign}{}h", m / 60)
    } else {
        format!("{sign}{}h{:02}m", m / 60, m % 60)
    }
}

/// The local date of `at` in `tz`.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// Weekday of a date, for readability at call sites.
pub fn weekday(d: NaiveDate) -> Weekday {
    d.weekday()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Europe::London};

    fn nd(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn time_value_forms() {
        assert!(matches!(
            parse_time_value("2026-11-25T09:00:00+09:00"),
            Ok(TimeValue::Instant(_))
        ));
        assert!(matches!(
            parse_time_value("2026-11-25T09:00+09:00"),
            Ok(TimeValue::Instant(_))
        ));
        assert!(matches!(
            parse_time_value("2026-11-25T00:00Z"),
            Ok(TimeValue::Instant(_))
        ));
        assert_eq!(
            parse_time_value("2026-11-25T09:00"),
            Ok(TimeValue::Local(nd(2026, 11, 25, 9, 0)))
        );
        assert_eq!(
            parse_time_value("2026-11-25 09:00"),
            Ok(TimeValue::Local(nd(2026, 11, 25, 9, 0)))
        );
        assert_eq!(
            parse_time_value("2026-11-25"),
            Ok(TimeValue::Date(
                NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
            ))
        );
        assert!(parse_time_value("next tuesday").is_err());
        assert!(parse_time_value("2026-13-01").is_err());
    }

    /// A value with everything that tells two results apart (DateTime's `==` ignores the offset).
    fn key(r: &Result<TimeValue, String>) -> String {
        match r {
            Ok(TimeValue::Instant(dt)) => format!("I {dt:?} {}", dt.offset().local_minus_utc()),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn fast_path_agrees_with_chrono_on_examples() {
        for s in [
            "2026-11-25",
            " 2026-11-25 ",
            "2026-11-25T09:00",
            "2026-11-25 09:00",
            "2026-11-25T09:00:30",
            "2026-11-25 09:00:30",
            "2026-11-25T09:00Z",
            "2026-11-25T09:00+09:00",
            "2026-11-25T09:00-05:30",
            "2026-11-25T09:00:00Z",
            "2026-11-25 09:00:00+09:00",
            "2026-11-25T09:00:00.5Z",
            "2026-11-25T09:00:00.123456789-03:00",
            "2026-11-25T09:00:00.1234567891+01:00",
            "2026-11-25T09:00:00.5",
            "2026-11-25T09:00:60Z",
            "2026-11-25T09:00-00:00",
            "2026-11-25T09:00:00-00:00",
            "2026-11-25t09:00Z",
            "2026-11-25T09:00z",
            "2026-11-25T24:00",
            "2026-02-29",
            "2024-02-29T10:00",
            "0000-01-01",
            "9999-12-31T23:59:59+23:59",
            "2026-11-25T09:00+0900",
            "2026-11-25T09:00+09",
            "2026-1-25",
            "+2026-11-25",
            "2026-11-25T9:00",
            "2026-11-25T09:00:00+09:00:00",
        ] {
            assert_eq!(
                key(&parse_time_value(s)),
                key(&parse_time_value_chrono(s)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn fast_path_reads_the_common_shapes() {
        for s in [
            "2026-11-25",
            "2026-11-25T09:00",
            "2026-11-25 09:00:30",
            "2026-11-25T09:00Z",
            "2026-11-25T09:00+09:00",
            "2026-11-25T09:00:00Z",
            "2026-11-25 09:00:00.25-05:30",
        ] {
            assert!(parse_time_fast(s).is_some(), "{s:?}");
        }
    }

    fn time_string() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let sep = prop_oneof![Just("T"), Just(" "), Just("t"), Just("x"), Just("")];
        let secs = prop_oneof![
            Just(String::new()),
            (0u32..62).prop_map(|s| format!(":{s:02}")),
            (0u32..62, 0usize..12, any::<u64>()).prop_map(|(s, n, f)| {
                let frac: String = format!("{f:020}").chars().take(n).collect();
                format!(":{s:02}.{frac}")
            }),
            Just(":5".to_string()),
        ];
        let off = prop_oneof![
            Just(String::new()),
            Just("Z".to_string()),
            Just("z".to_string()),
            (prop_oneof![Just('+'), Just('-')], 0u32..26, 0u32..62)
                .prop_map(|(c, h, m)| format!("{c}{h:02}:{m:02}")),
            (0u32..26, 0u32..62).prop_map(|(h, m)| format!("+{h:02}{m:02}")),
            Just("+09".to_string()),
            Just("-00:00".to_string()),
        ];
        let time = prop_oneof![
            1 => Just(String::new()),
            6 => (sep, 0u32..26, 0u32..62, secs, off)
                .prop_map(|(sep, h, m, s, o)| format!("{sep}{h:02}:{m:02}{s}{o}")),
        ];
        let year = prop_oneof![
            8 => (0u32..10000).prop_map(|y| format!("{y:04}")),
            1 => (0u32..100000).prop_map(|y| y.to_string()),
        ];
        let ws = prop_oneof![Just(""), Just(" "), Just("\t"), Just("\n ")];
        (ws.clone(), year, 0u32..14, 0u32..33, time, ws)
            .prop_map(|(a, y, mo, d, t, b)| format!("{a}{y}-{mo:02}-{d:02}{t}{b}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(10_000))]
        #[test]
        fn fast_path_agrees_with_chrono(s in time_string()) {
            proptest::prop_assert_eq!(key(&parse_time_value(&s)), key(&parse_time_value_chrono(&s)), "{:?}", s);
        }

        #[test]
        fn fast_path_agrees_on_any_text(s in "[0-9T :.Z+-]{0,30}") {
            proptest::prop_assert_eq!(key(&parse_time_value(&s)), key(&parse_time_value_chrono(&s)), "{:?}", s);
        }
    }

    #[test]
    fn new_york_spring_gap_moves_forward() {
        let (utc, issue) = resolve_local(New_York, nd(2026, 3, 8, 2, 30));
        assert_eq!(utc, nd(2026, 3, 8, 7, 30).and_utc());
        assert_eq!(
            issue,
            Some(LocalIssue::Gap {
                resolved: nd(2026, 3, 8, 3, 30)
            })
        );
    }

    #[test]
    fn new_york_fall_back_takes_earlier() {
        let (utc, issue) = resolve_local(New_York, nd(2026, 11, 1, 1, 30));
        assert_eq!(utc, nd(2026, 11, 1, 5, 30).and_utc()); // 01:30 EDT
        assert_eq!(issue, Some(LocalIssue::Ambiguous));
    }

    #[test]
    fn london_transitions() {
        let (utc, issue) = resolve_local(London, nd(2026, 3, 29, 1, 15));
        assert_eq!(utc, nd(2026, 3, 29, 1, 15).and_utc()); // GMT offset applied, = 02:15 BST
        assert!(matches!(issue, Some(LocalIssue::Gap { .. })));
        let (utc, issue) = resolve_local(London, nd(2026, 10, 25, 1, 30));
        assert_eq!(utc, nd(2026, 10, 25, 0, 30).and_utc()); // 01:30 BST
        assert_eq!(issue, Some(LocalIssue::Ambiguous));
    }

    #[test]
    fn odd_offsets() {
        let at = nd(2026, 11, 25, 0, 0).and_utc();
        assert_eq!(offset_secs(chrono_tz::Asia::Kolkata, at), 5 * 3600 + 1800);
        assert_eq!(offset_secs(chrono_tz::Asia::Kathmandu, at), 5 * 3600 + 2700);
        assert_eq!(
            offset_secs(chrono_tz::Pacific::Chatham, at),
            13 * 3600 + 2700
        ); // summer
        assert_eq!(offset_secs(chrono_tz::Pacific::Kiritimati, at), 14 * 3600);
        assert_eq!(format_gap(5 * 3600 + 2700), "+5h45m");
        assert_eq!(format_gap(-5 * 3600), "-5h");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("2d"), Ok(Duration::hours(48)));
        assert_eq!(parse_duration("1w"), Ok(Duration::days(7)));
        assert_eq!(parse_duration("0m"), Ok(Duration::zero()));
        assert!(parse_duration("-3h").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("3").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
        assert!(parse_duration("6000w").is_err());
        assert_eq!(format_duration(Duration::minutes(90)), "1h 30m");
        assert_eq!(format_duration(Duration::hours(51)), "2d 3h");
    }

    #[test]
    fn working_time_is_in_hours_and_calendar_time_in_days() {
        // 25 working hours are 25h, never "1d 1h" (a working day is not 24 hours).
        assert_eq!(format_working(Duration::hours(25)), "25h");
        assert_eq!(format_working(Duration::minutes(25 * 60 + 38)), "25h 38m");
        assert_eq!(format_working(Duration::minutes(45)), "45m");
        assert_eq!(format_working(Duration::minutes(-450)), "-7h 30m");
        assert_eq!(format_working(Duration::zero()), "0m");
        assert_eq!(format_relative(Duration::hours(28)), "in 1d 4h");
        assert_eq!(format_relative(Duration::hours(-3)), "3h ago");
        assert_eq!(format_relative(Duration::seconds(20)), "now");
        assert_eq!(format_relative(Duration::seconds(-59)), "now");
    }

    #[test]
    fn clock_ranges() {
        let r = ClockRange::parse("22:00-06:00").unwrap();
        assert!(r.wraps());
        assert_eq!(r.minutes, 480);
        assert_eq!(r.to_string(), "22:00-06:00");
        let d = ClockRange::parse("00:00-24:00").unwrap();
        assert_eq!(d.minutes, 1440);
        assert_eq!(d.to_string(), "00:00-24:00");
        assert!(ClockRange::parse("09:00-09:00").is_err());
        assert!(ClockRange::parse("9am-5pm").is_err());
    }

    #[test]
    fn zone_suggestions() {
        assert_eq!(parse_zone("Asia/Tokyo"), Ok(chrono_tz::Asia::Tokyo));
        assert_eq!(parse_zone("asia/tokyo"), Ok(chrono_tz::Asia::Tokyo));
        let e = parse_zone("Asia/Tokio").unwrap_err();
        assert!(e.contains("Asia/Tokyo"), "{e}");
        let e = parse_zone("Europe/Berln").unwrap_err();
        assert!(e.contains("Europe/Berlin"), "{e}");
        let long = "x".repeat(5_000_000);
        let e = parse_zone(&long).unwrap_err();
        assert!(e.contains("too long"), "{}", &e[..60]);
    }
}
