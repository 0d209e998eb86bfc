//! Retainers (issue 17, contracts): a client's `[clients.retainer]` of hours a month or a week,
//! its periods, the hours used in one, and the pace against the working days left.
//!
//! The rules (docs/decisions.md, "Retainers (issue 17)"):
//! - A period is a run of whole days on the CLIENT's calendar: it begins at midnight in the
//!   client's zone (the contract is theirs; its "month" is their month), so a daylight-saving
//!   change in their zone makes a period an hour longer or shorter, never leaves a gap.
//! - A month period runs from the start day of the month (`starts`' day) to the day before it
//!   the next month; a start day a month lacks is that month's last day (31 → 28 or 29 Feb,
//!   30 Apr), so the periods of `starts = "…-31"` are Jan 31–Feb 27, Feb 28–Mar 30, Mar 31–….
//!   A week period runs from `starts`' weekday for seven days.
//! - Periods tile all time (before `starts` too; [`Retainer::begun`] says whether it has).
//! - Used hours are the time logged on the client and its deadlines that falls in the period,
//!   by the timer's rules ([`timelog::within`]: an entry across the edge is split, a running
//!   timer counts up to now or its cap, a hand entry counts on its day).
//! - Pace spreads the hours evenly over the client's working days of the period (their weekdays
//!   less their holidays and closures); the days before today (their today) are gone. Within one
//!   working day's share of the expected use is "on pace"; more used is "ahead" (the hours run
//!   out before the period ends), less "behind" (hours left unused).
//! - `rollover = true`: the unused hours of the period before (only that one) are added to
//!   this period's.

use super::model::{Client, Me, Model, TimeEntry, TimeOn};
pub use super::model::{Every, Retainer};
use super::schedule::{Schedule, day_bounds, shift_date};
use super::time::{format_working, local_date};
use super::timelog;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

impl Retainer {
    /// Whether the retainer has begun at `now` (the client's today is `starts` or later).
    pub fn begun(&self, zone: Tz, now: DateTime<Utc>) -> bool {
        local_date(zone, now) >= self.starts
    }
}

/// The last day of `year`-`month`.
fn last_day(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// The first day of the month period that begins in `year`-`month` (the start day, clamped).
fn month_start(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day.min(last_day(year, month))).unwrap_or(NaiveDate::MIN)
}

fn month_before(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

fn month_after(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

/// The days `[first, next first)` of the period holding the client's date `d`.
pub fn period_dates(r: &Retainer, d: NaiveDate) -> (NaiveDate, NaiveDate) {
    match r.every {
        Every::Week => {
            let back = (d.weekday().num_days_from_monday() + 7
                - r.starts.weekday().num_days_from_monday())
                % 7;
            let first = shift_date(d, -i64::from(back));
            (first, shift_date(first, 7))
        }
        Every::Month => {
            let day = r.starts.day();
            let this = month_start(d.year(), d.month(), day);
            if d >= this {
                let (y, m) = month_after(d.year(), d.month());
                (this, month_start(y, m, day))
            } else {
                let (y, m) = month_before(d.year(), d.month());
                (month_start(y, m, day), this)
            }
        }
    }
}

/// The period holding `now`, as instants `[start, end)`: midnights in the client's zone.
pub fn period_at(r: &Retainer, zone: Tz, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let (first, next) = period_dates(r, local_date(zone, now));
    (day_bounds(zone, first).0, day_bounds(zone, next).0)
}

/// What used hours are counted from: your settings, the time log and who each deadline belongs
/// to (by id, the first deadline with that id). Built once and asked for every client, so the
/// board's minute and the review pass over the deadlines once, not once per client; `status`
/// builds it from the few deadlines its time log is on.
pub struct Ledger<'a> {
    me: &'a Me,
    timelog: &'a [TimeEntry],
    /// Owned: a deadline held as its line is read again for this, not borrowed.
    client_of: HashMap<Box<str>, Box<str>>,
}

impl<'a> Ledger<'a> {
    pub fn of(model: &'a Model) -> Ledger<'a> {
        // Only the deadlines the log is on are ever looked up: the index holds those (a few
        // hundred), not years of deadlines (the board builds it every minute).
        let on: HashSet<&str> = model
            .timelog
            .iter()
            .filter_map(|e| match &e.on {
                TimeOn::Deadline(id) => Some(id.as_str()),
                TimeOn::Client(_) => None,
            })
            .collect();
        let pairs = model
            .deadlines
            .iter()
            .filter(|d| d.id.as_deref().is_some_and(|id| on.contains(id)))
            .filter_map(|d| Some((Box::from(d.id.as_deref()?), Box::from(d.client.as_deref()?))))
            .collect::<Vec<(Box<str>, Box<str>)>>();
        Ledger::new(&model.config.me, &model.timelog, pairs)
    }

    /// From `(deadline id, client id)` pairs; of one id the first counts.
    pub fn new(
        me: &'a Me,
        timelog: &'a [TimeEntry],
        deadline_clients: impl IntoIterator<Item = (Box<str>, Box<str>)>,
    ) -> Ledger<'a> {
        let mut client_of: HashMap<Box<str>, Box<str>> = HashMap::new();
        for (id, c) in deadline_clients {
            client_of.entry(id).or_insert(c);
        }
        Ledger {
            me,
            timelog,
            client_of,
        }
    }

    /// The clients entry `e` counts for (`timelog::clients_of`, with this index).
    pub fn clients_of<'s>(&'s self, e: &'s TimeEntry) -> [Option<&'s str>; 2] {
        timelog::clients_of(e, |id| self.client_of.get(id).map(|c| &**c))
    }

    /// The hours logged on `client` and its deadlines in `period` at `now` (timelog's rules: the
    /// entries [`timelog::clients_of`] counts for it, each its [`timelog::within`] part): the one
    /// sum of a retainer's hours.
    pub fn used(
        &self,
        client: &str,
        period: (DateTime<Utc>, DateTime<Utc>),
        now: DateTime<Utc>,
    ) -> Duration {
        self.timelog
            .iter()
            .filter(|e| self.clients_of(e).contains(&Some(client)))
            .map(|e| timelog::within(self.me, e, period.0, period.1, now))
            .fold(Duration::zero(), |a, b| a + b)
    }
}

/// The hours logged on `client` and its deadlines in `period` at `now` ([`Ledger::used`]).
pub fn used(
    model: &Model,
    client: &str,
    period: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Duration {
    Ledger::of(model).used(client, period, now)
}

/// How the hours used compare with an even spread over the period's working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    OnPace,
    /// More used than expected by now: the hours run out before the period ends.
    Ahead,
    /// Less used than expected: hours left unused.
    Behind,
}

impl Pace {
    pub fn as_str(self) -> &'static str {
        match self {
            Pace::OnPace => "on pace",
            Pace::Ahead => "ahead",
            Pace::Behind => "behind",
        }
    }

    /// The pace as a JSON value: `on_pace`, `ahead`, `behind`.
    pub fn key(self) -> &'static str {
        match self {
            Pace::OnPace => "on_pace",
            Pace::Ahead => "ahead",
            Pace::Behind => "behind",
        }
    }

    /// The pace in one character, for the narrowest places (the heat pane's short column):
    /// `+` more used than the even spread (ahead), `-` less (behind), nothing on pace.
    pub fn mark(self) -> &'static str {
        match self {
            Pace::OnPace => "",
            Pace::Ahead => "+",
            Pace::Behind => "-",
        }
    }
}

/// `12h`, `45m`: whole hours, rounded down (under an hour, minutes), for the compact forms,
/// where `12h 30m/20h` would not fit.
fn whole_hours(d: Duration) -> String {
    let mins = d.num_minutes().max(0);
    if mins < 60 {
        format!("{mins}m")
    } else {
        format!("{}h", mins / 60)
    }
}

/// A retainer's state at `now`: its period, the hours of it (with rollover), used, expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Burn {
    pub every: Every,
    pub period: (DateTime<Utc>, DateTime<Utc>),
    /// The period's days on the client's calendar, `[first, next first)`.
    pub days: (NaiveDate, NaiveDate),
    pub hours: Duration,
    pub used: Duration,
    /// What an even spread over the working days gone would have used by now.
    pub expected: Duration,
    /// The client's working days of the period from their today on (today included).
    pub days_left: u32,
    pub pace: Pace,
    /// Whether the retainer has begun; before `starts` there is nothing to burn.
    pub begun: bool,
    pub starts: NaiveDate,
}

/// Working days (the client's) in `[from, to)` and those of them before `today`.
fn working_days(s: &Schedule<'_>, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> (u32, u32) {
    let (mut all, mut gone) = (0, 0);
    let mut d = from;
    while d < to {
        if s.works_on(d) {
            all += 1;
            if d < today {
                gone += 1;
            }
        }
        d = shift_date(d, 1);
    }
    (all, gone)
}

/// The burn-down of `client`'s retainer at `now`; None without one (without building the
/// ledger: a client without a retainer costs nothing).
pub fn burn(model: &Model, client: &Client, now: DateTime<Utc>) -> Option<Burn> {
    client.retainer.as_ref()?;
    Ledger::of(model).burn(client, now)
}

impl Ledger<'_> {
    /// The burn-down of `client`'s retainer at `now` (the period holding their today, its whole
    /// time counted); None without one.
    pub fn burn(&self, client: &Client, now: DateTime<Utc>) -> Option<Burn> {
        let r = client.retainer.as_ref()?;
        let today = local_date(client.zone, now);
        let days = period_dates(r, today);
        let end = day_bounds(client.zone, days.1).0;
        Some(self.burn_of(client, r, days, end, today, now))
    }

    /// The period of `client`'s retainer holding their date `day`, as it stood on their date
    /// `today` (a date past the period: all of it gone), with the time up to `cut` counted.
    /// The weekly review reads a period as it stood at the end of the reviewed week; the board
    /// reads the period holding today, whole.
    pub fn burn_of(
        &self,
        client: &Client,
        r: &Retainer,
        days: (NaiveDate, NaiveDate),
        cut: DateTime<Utc>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Burn {
        let zone = client.zone;
        let period = (day_bounds(zone, days.0).0, day_bounds(zone, days.1).0);
        let used = self.used(&client.id, (period.0, cut.min(period.1)), now);
        let mut hours = r.hours;
        if r.rollover && days.0 > r.starts {
            let before = period_dates(r, shift_date(days.0, -1));
            let prev = (day_bounds(zone, before.0).0, period.0);
            hours += (r.hours - self.used(&client.id, prev, now)).max(Duration::zero());
        }
        let sched = Schedule::of_client(client);
        let (all, gone) = working_days(&sched, days.0, days.1, today);
        let share = |n: u32| {
            if all == 0 {
                Duration::zero()
            } else {
                Duration::seconds(hours.num_seconds() * i64::from(n) / i64::from(all))
            }
        };
        let expected = share(gone);
        let slack = share(1);
        let pace = if used > expected + slack {
            Pace::Ahead
        } else if used + slack < expected {
            Pace::Behind
        } else {
            Pace::OnPace
        };
        Burn {
            every: r.every,
            period,
            days,
            hours,
            used,
            expected,
            days_left: all - gone,
            pace,
            // `starts` is always the first day of a period: a period has begun when it starts
            // on it or later.
            begun: days.0 >= r.starts,
            starts: r.starts,
        }
    }
}

impl Burn {
    /// `12h/20h ahead`: hours used of the period's, then the pace in words (the heat pane,
    /// `tether status`); `from 15 Nov` before the retainer starts.
    pub fn compact(&self) -> String {
        if !self.begun {
            return format!("from {}", self.starts.format("%-d %b"));
        }
        format!(
            "{}/{} {}",
            whole_hours(self.used),
            whole_hours(self.hours),
            self.pace.as_str()
        )
    }

    /// `12h/20h+`: [`Burn::compact`] with the pace as its mark ([`Pace::mark`]).
    pub fn short(&self) -> String {
        if !self.begun {
            return format!("from {}", self.starts.format("%-d %b"));
        }
        format!(
            "{}/{}{}",
            whole_hours(self.used),
            whole_hours(self.hours),
            self.pace.mark()
        )
    }

    /// Whether to warn: begun and ahead of pace, so the hours run out before the period ends.
    pub fn warns(&self) -> bool {
        self.begun && self.pace == Pace::Ahead
    }

    /// "8h of 20h used · 12 working days left · behind (10h by now)": the expected use by now
    /// is in brackets.
    pub fn line(&self) -> String {
        if !self.begun {
            return format!(
                "{} a {} from {}",
                format_working(self.hours),
                self.every.as_str(),
                self.starts.format("%a %-d %b %Y")
            );
        }
        let days = if self.days_left == 1 { "day" } else { "days" };
        format!(
            "{} of {} used · {} working {days} left · {} ({} by now)",
            format_working(self.used),
            format_working(self.hours),
            self.days_left,
            self.pace.as_str(),
            format_working(self.expected),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(every: Every, starts: &str) -> Retainer {
        Retainer {
            hours: Duration::hours(20),
            every,
            starts: starts.parse().unwrap(),
            rollover: false,
        }
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn month_periods_clamp_at_month_ends() {
        let x = r(Every::Month, "2026-01-31");
        assert_eq!(
            period_dates(&x, d("2026-02-10")),
            (d("2026-01-31"), d("2026-02-28"))
        );
        assert_eq!(
            period_dates(&x, d("2026-02-28")),
            (d("2026-02-28"), d("2026-03-31"))
        );
        assert_eq!(
            period_dates(&x, d("2028-02-29")),
            (d("2028-02-29"), d("2028-03-31"))
        );
        let y = r(Every::Month, "2026-11-15");
        assert_eq!(
            period_dates(&y, d("2027-01-14")),
            (d("2026-12-15"), d("2027-01-15"))
        );
    }

    #[test]
    fn week_periods_start_on_the_weekday_of_starts() {
        // 2026-11-15 is a Sunday.
        let x = r(Every::Week, "2026-11-15");
        assert_eq!(
            period_dates(&x, d("2026-12-09")),
            (d("2026-12-06"), d("2026-12-13"))
        );
        assert_eq!(
            period_dates(&x, d("2026-12-06")),
            (d("2026-12-06"), d("2026-12-13"))
        );
    }

    #[test]
    fn a_period_begins_at_midnight_in_the_clients_zone() {
        let x = r(Every::Month, "2026-11-01");
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        // 2026-11-30 16:00 UTC is 1 Dec 01:00 in Tokyo: December's period there.
        let now = "2026-11-30T16:00:00Z".parse().unwrap();
        let (s, e) = period_at(&x, tokyo, now);
        assert_eq!(s.to_rfc3339(), "2026-11-30T15:00:00+00:00");
        assert_eq!(e.to_rfc3339(), "2026-12-31T15:00:00+00:00");
    }

    #[test]
    fn burn_counts_the_periods_hours_and_paces_them_over_working_days() {
        use crate::domain::model::{Model, TimeEntry, TimeOn, TimeSpan};
        use crate::domain::testkit::{client, me, utc};
        use std::sync::Arc;
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let mut m = Model::default();
        m.config.me = me(berlin, "09:00-17:00");
        let mut c = client("brandt", berlin);
        c.retainer = Some(r(Every::Month, "2026-11-15"));
        m.config.clients.push(c.clone());
        let entry = |line, start, end| TimeEntry {
            line,
            id: None,
            on: TimeOn::Client(Arc::from("brandt")),
            client: None,
            span: TimeSpan::Timed {
                start,
                end: Some(end),
            },
            note: None,
        };
        // Before the period (14 Nov): not counted. Across its first midnight (CET): 1h of 2h.
        m.timelog
            .push(entry(1, utc(2026, 11, 13, 9, 0), utc(2026, 11, 13, 12, 0)));
        m.timelog
            .push(entry(2, utc(2026, 11, 14, 22, 0), utc(2026, 11, 15, 0, 0)));
        m.timelog
            .push(entry(3, utc(2026, 11, 16, 8, 0), utc(2026, 11, 16, 11, 0)));
        // Wed 25 Nov: 15 Nov-14 Dec has 21 weekdays, 7 of them gone (16-24 Nov).
        let b = burn(&m, &c, utc(2026, 11, 25, 10, 0)).unwrap();
        assert_eq!(b.used, Duration::hours(4));
        assert_eq!(b.days_left, 14);
        assert_eq!(b.expected, Duration::seconds(20 * 3600 * 7 / 21));
        assert_eq!(b.pace, Pace::Behind);
        assert_eq!(
            b.line(),
            "4h of 20h used · 14 working days left · behind (6h 40m by now)"
        );
        assert_eq!(
            (b.compact(), b.short()),
            ("4h/20h behind".into(), "4h/20h-".into())
        );
        // Rollover: the last period's unused hours are added (none before the first period).
        c.retainer.as_mut().unwrap().rollover = true;
        let b = burn(&m, &c, utc(2026, 11, 25, 10, 0)).unwrap();
        assert_eq!(b.hours, Duration::hours(20));
        let b = burn(&m, &c, utc(2026, 12, 20, 10, 0)).unwrap();
        assert_eq!(
            (b.hours, b.used),
            (Duration::hours(20 + 16), Duration::zero())
        );
        // Before `starts` it has not begun.
        let b = burn(&m, &c, utc(2026, 11, 1, 10, 0)).unwrap();
        assert!(!b.begun);
        assert_eq!(b.line(), "20h a month from Sun 15 Nov 2026");
        assert_eq!(
            (b.compact(), b.short()),
            ("from 15 Nov".into(), "from 15 Nov".into())
        );
        assert!(!b.warns());
        // Time on a deadline of theirs counts as theirs.
        m.deadlines.push(crate::domain::model::Deadline {
            origin: Default::default(),
            id: Some("d-1".into()),
            client: Some(Arc::from("brandt")),
            title: "Go-live".into(),
            due: utc(2026, 12, 1, 9, 0),
            zone: berlin,
            estimate: None,
            spent: None,
            status: crate::domain::model::Status::Open,
            done_at: None,
            every: None,
            logged: Default::default(),
        });
        m.timelog.push(TimeEntry {
            on: TimeOn::Deadline("d-1".into()),
            ..entry(4, utc(2026, 11, 17, 8, 0), utc(2026, 11, 17, 10, 0))
        });
        let b = burn(&m, &c, utc(2026, 11, 25, 10, 0)).unwrap();
        assert_eq!(b.used, Duration::hours(6));
    }
}
