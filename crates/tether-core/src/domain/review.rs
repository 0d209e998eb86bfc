//! The weekly review (issue 17): what a freelancer pastes into a note to themself on Friday
//! afternoon. For one ISO week of your calendar: the hours logged per client and per deadline,
//! the contacts and visits against each cadence and the heat's change, the deadlines due that
//! week (met, late, missed, still open), and next week's deadlines, days off and clock changes.
//!
//! The rules (docs/decisions.md, "The weekly review (issue 17)"):
//! - The week is Monday 00:00 to the next Monday 00:00 in your zone (each edge in the zone you
//!   are in that day, so a trip moves it). Its numbers are read at `at` = the earlier of `now`
//!   and the week's end: a past week is reviewed as it ended, this week as it stands.
//! - Hours come from timelog.jsonl by [`timelog::within`] (an entry across midnight or the
//!   week's edge is cut at the edge; a running timer counts up to now or its cap; a hand entry
//!   by its day), a client's by [`timelog::is_on_client`]. Spent and estimate by
//!   [`Deadline::spent_with`], spent as it stood at `at`.
//! - Cadence, days since the last contact and heat come from `heat` ([`heat_view`],
//!   [`heat_at`]) at `at`; "a week ago" is `at` minus 7 days.
//! - A deadline due in the week (dropped ones left out) is met when done at or before its due,
//!   late when done after it (by how much, its due in the client's zone), missed when still
//!   open past its due at `at`, else still open.
//! - Next week's days off are those [`Schedule::day_off_named`] names (the client page's rule),
//!   on each owner's own calendar; its clock changes those of your zone and each client's.
//!
//! - Retainers used: each period of a client's retainer that overlaps the week (on the
//!   client's calendar; begun, and started by `at`), its hours counted up to the week's end
//!   and its pace as it stood on the client's date at `at` ([`Ledger::burn_of`], the board's
//!   rules: one sum of logged time).
//!
//! Each section is computed by its own function from the model and the [`Window`], so a new
//! section (invoices, once tether has them) is one more field and function.

use super::clocks::next_offset_change;
use super::heat::{heat_at, heat_view};
use super::holidays::DayOff;
use super::model::{Deadline, Every, Me, Model, Status, TimeOn};
use super::retainer::{Burn, Ledger, period_dates};
use super::schedule::{Schedule, add_days, clamp, day_bounds, shift_date};
use super::time::{local_date, offset_secs};
use super::timelog;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fmt;

/// An ISO week: `2026-W49`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoWeek {
    pub year: i32,
    pub week: u32,
}

impl IsoWeek {
    /// `2026-W49` (or `2026-w49`, `2026W49`).
    pub fn parse(s: &str) -> Result<IsoWeek, String> {
        let bad = || format!("{s:?} is not an ISO week: write it as 2026-W49");
        let t = s.trim();
        let (y, w) = t.split_once(['W', 'w']).ok_or_else(bad)?;
        let y = y.strip_suffix('-').unwrap_or(y);
        let year: i32 = y.parse().map_err(|_| bad())?;
        // Four-digit years: what a person writes, and far from chrono's limits.
        if !(1..=9999).contains(&year) {
            return Err(format!("{s:?}: the year is from 0001 to 9999"));
        }
        let week: u32 = w.parse().map_err(|_| bad())?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|_| IsoWeek { year, week })
            .ok_or_else(|| format!("{s:?}: {year} has no week {week}"))
    }

    /// The week of a date.
    pub fn of(date: NaiveDate) -> IsoWeek {
        let w = date.iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    /// The week holding `now` on your calendar (where you are).
    pub fn containing(me: &Me, now: DateTime<Utc>) -> IsoWeek {
        let now = clamp(now);
        IsoWeek::of(local_date(me.zone_at(now), now))
    }

    /// Its Monday (a valid week always has one; a week out of chrono's range its year's first).
    pub fn monday(&self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
            .or_else(|| NaiveDate::from_ymd_opt(self.year, 1, 1))
            .unwrap_or_default()
    }

    pub fn next(&self) -> IsoWeek {
        IsoWeek::of(shift_date(self.monday(), 7))
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

/// A week's dates and instants on your calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub week: IsoWeek,
    /// Monday and Sunday (your dates).
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Monday 00:00 and the next Monday 00:00, each where you are that day.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Your zone on the Monday.
    pub zone: Tz,
}

impl Window {
    pub fn of(me: &Me, week: IsoWeek) -> Window {
        let first = week.monday();
        let next = shift_date(first, 7);
        Window {
            week,
            first,
            last: shift_date(first, 6),
            from: day_bounds(me.zone_on(first), first).0,
            to: day_bounds(me.zone_on(next), next).0,
            zone: me.zone_on(first),
        }
    }

    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        self.first.iter_days().take(7)
    }
}

/// One client's week.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientWeek {
    pub id: String,
    pub name: String,
    pub zone: Tz,
    /// Time logged on the client and its deadlines within the week.
    pub logged: Duration,
    /// Contacts (of any kind) and visits within the week, up to `at`.
    pub contacts: usize,
    pub visits: usize,
    pub contact_every: Option<Duration>,
    pub visit_every: Option<Duration>,
    /// The cadence missed at `at` (heat's rule).
    pub contact_overdue: bool,
    pub visit_overdue: bool,
    pub days_since_contact: Option<i64>,
    pub days_since_visit: Option<i64>,
    /// Heat at `at`, and 7 days before.
    pub heat: f64,
    pub heat_week_ago: f64,
}

/// A deadline worked on within the week.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineWeek {
    pub id: String,
    /// Its title (the id when it is not in deadlines.jsonl).
    pub title: String,
    /// The client's name (or id when unknown).
    pub client: Option<String>,
    pub logged: Duration,
    /// Spent in all (hand + logged) as it stood at `at`; None when the deadline is not loaded.
    pub spent: Option<Duration>,
    pub estimate: Option<Duration>,
}

/// How a deadline due in the week went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done at or before its due (or done, with no `done_at` to say when).
    Met,
    /// Done after its due, by this much.
    Late(Duration),
    /// Still open past its due at `at`, by this much.
    Missed(Duration),
    /// Open and not yet due at `at`.
    Open,
}

impl Outcome {
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Late(_) => "late",
            Outcome::Missed(_) => "missed",
            Outcome::Open => "open",
        }
    }
}

/// A deadline due in a week.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub id: Option<String>,
    pub title: String,
    pub client: Option<String>,
    pub due: DateTime<Utc>,
    /// The client's zone (the deadline's own without a client): where its due is shown.
    pub zone: Tz,
    pub done_at: Option<DateTime<Utc>>,
    pub estimate: Option<Duration>,
    /// Spent in all at `at`.
    pub spent: Duration,
    pub outcome: Outcome,
}

/// Whose day off or clock change it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    You,
    /// A client's name.
    Client(String),
}

/// A day off in the week after.
#[derive(Debug, Clone, PartialEq)]
pub struct NextDayOff {
    pub whose: Whose,
    /// On the owner's calendar.
    pub date: NaiveDate,
    pub why: DayOff,
}

/// A clock change in the week after, of one zone.
#[derive(Debug, Clone, PartialEq)]
pub struct NextClockChange {
    pub zone: Tz,
    /// Everyone in that zone: you first, then the clients in their order.
    pub whose: Vec<Whose>,
    pub at: DateTime<Utc>,
    /// The zone's UTC offset before and after, in seconds.
    pub offset_before: i32,
    pub offset_after: i32,
}

/// The week after the reviewed one.
#[derive(Debug, Clone, PartialEq)]
pub struct NextWeek {
    pub window: Window,
    /// Open deadlines due in it, soonest first.
    pub deadlines: Vec<Due>,
    pub days_off: Vec<NextDayOff>,
    pub clock_changes: Vec<NextClockChange>,
}

/// The review of one week.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub window: Window,
    pub now: DateTime<Utc>,
    /// When its numbers are read: the earlier of `now` and the week's end.
    pub at: DateTime<Utc>,
    /// Every entry's time within the week, whatever it is on.
    pub logged: Duration,
    pub clients: Vec<ClientWeek>,
    /// Deadlines with time logged within the week, most time first.
    pub worked: Vec<DeadlineWeek>,
    /// Deadlines due within the week, by due.
    pub due: Vec<Due>,
    /// Invoices sent and payments received within the week (`domain::billing`).
    pub invoices: Invoices,
    pub next: NextWeek,
    /// Each client with a retainer, in tether.toml's order, with the periods overlapping the
    /// week; none without one.
    pub retainers: Vec<RetainerWeek>,
}

/// A client's retainer in the reviewed week.
#[derive(Debug, Clone, PartialEq)]
pub struct RetainerWeek {
    pub id: String,
    pub name: String,
    pub zone: Tz,
    pub every: Every,
    /// The periods overlapping the week (one, or two across a period's first day), each as it
    /// stood at the review's instant with the time up to the week's end. Empty before the
    /// retainer starts.
    pub periods: Vec<Burn>,
}

/// An invoice sent or a payment received: a bill follow-up done within the week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// The client's name (or id as written).
    pub client: Option<String>,
    /// What it is for ("Nov 2026 · JPY 450,000"): its text without "Send invoice: ".
    pub what: String,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub at: DateTime<Utc>,
}

/// The week's money: invoices sent and payments received, each in the order they happened.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invoices {
    /// Whether any client has a payment schedule (else the section is left out).
    pub billed: bool,
    pub sent: Vec<Settled>,
    pub paid: Vec<Settled>,
}

/// The review of `week` at `now` (see the module comment).
pub fn review(model: &Model, week: IsoWeek, now: DateTime<Utc>) -> Review {
    let now = clamp(now);
    let window = Window::of(&model.config.me, week);
    let at = now.min(window.to);
    let me = &model.config.me;
    let logged = model
        .timelog
        .iter()
        .map(|e| timelog::within(me, e, window.from, window.to, now))
        .fold(Duration::zero(), |a, b| a + b);
    Review {
        window,
        now,
        at,
        logged,
        clients: clients(model, &window, now, at),
        worked: worked(model, &window, now, at),
        due: due_in(model, &window, now, at, true),
        invoices: invoices(model, &window, at),
        next: next_week(model, &window, now, at),
        retainers: retainers(model, &window, now, at),
    }
}

/// The invoices sent and payments received from the week's start up to `at`.
fn invoices(model: &Model, w: &Window, at: DateTime<Utc>) -> Invoices {
    let settled = super::billing::settled_between(model, w.from, at);
    let one = |f: &super::held::Rec<super::model::Followup>| {
        let bill = f.bill.as_deref();
        Settled {
            client: f.client.as_deref().map(|c| client_name(model, c)),
            what: super::billing::subject(f).to_string(),
            amount: bill.and_then(|b| b.amount),
            currency: bill.and_then(|b| b.currency.clone()),
            at: f.done_at.unwrap_or(at),
        }
    };
    Invoices {
        billed: model.config.clients.iter().any(|c| c.billing.is_some()),
        sent: settled.sent.iter().map(one).collect(),
        paid: settled.paid.iter().map(one).collect(),
    }
}

/// Each retainer's periods overlapping `w`: on the client's calendar, from the date the week
/// starts on there to the date it ends on; a period before `starts`, or starting after `at`
/// (later this week), is left out. Used hours are counted up to the week's end (a past week's
/// review does not change as later time is logged), the pace on the client's date at `at`.
fn retainers(
    model: &Model,
    w: &Window,
    now: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Vec<RetainerWeek> {
    let with: Vec<_> = model
        .config
        .clients
        .iter()
        .filter_map(|c| Some((c, c.retainer.as_ref()?)))
        .collect();
    if with.is_empty() {
        return Vec::new();
    }
    let ledger = Ledger::of(model);
    with.into_iter()
        .map(|(c, r)| {
            let zone = c.zone;
            let last = local_date(zone, w.to - Duration::nanoseconds(1));
            let mut day = local_date(zone, w.from);
            let mut periods = Vec::new();
            loop {
                let days = period_dates(r, day);
                let (start, end) = (day_bounds(zone, days.0).0, day_bounds(zone, days.1).0);
                if days.0 >= r.starts && start <= at {
                    let today = local_date(zone, at.min(end));
                    periods.push(ledger.burn_of(c, r, days, w.to, today, now));
                }
                if days.1 > last {
                    break;
                }
                day = days.1;
            }
            RetainerWeek {
                id: c.id.clone(),
                name: c.name.clone(),
                zone,
                every: r.every,
                periods,
            }
        })
        .collect()
}

/// A client's name, or the id as written when it is not in tether.toml.
fn client_name(model: &Model, id: &str) -> String {
    model
        .config
        .client(id)
        .map_or_else(|| id.to_string(), |c| c.name.clone())
}

/// Time logged up to `at` on a deadline (its spent then is `spent_with` of it).
fn logged_until(model: &Model, d: &Deadline, now: DateTime<Utc>, at: DateTime<Utc>) -> Duration {
    let Some(id) = d.id.as_deref() else {
        return Duration::zero();
    };
    let me = &model.config.me;
    model
        .timelog
        .iter()
        .filter(|e| matches!(&e.on, TimeOn::Deadline(x) if x == id))
        .map(|e| timelog::within(me, e, DateTime::<Utc>::MIN_UTC, at, now))
        .fold(Duration::zero(), |a, b| a + b)
}

fn clients(model: &Model, w: &Window, now: DateTime<Utc>, at: DateTime<Utc>) -> Vec<ClientWeek> {
    let me = &model.config.me;
    let settings = &model.config.heat;
    // Each entry's part of the week, added to the clients it counts for: one pass over the log
    // with the retainers' index of the deadlines' clients, however many clients and deadlines
    // there are.
    let ledger = Ledger::of(model);
    let mut logged: HashMap<&str, Duration> = HashMap::new();
    for e in &model.timelog {
        let part = timelog::within(me, e, w.from, w.to, now);
        if part.is_zero() {
            continue;
        }
        for c in ledger.clients_of(e).into_iter().flatten() {
            *logged.entry(c).or_insert_with(Duration::zero) += part;
        }
    }
    model
        .config
        .clients
        .iter()
        .map(|c| {
            let logged = logged
                .get(c.id.as_str())
                .copied()
                .unwrap_or_else(Duration::zero);
            let this_week: Vec<_> = model
                .interactions
                .iter()
                .filter(|i| *i.client == *c.id && w.from <= i.at && i.at < w.to && i.at <= at)
                .collect();
            let view = heat_view(c, &model.interactions, settings, at);
            ClientWeek {
                id: c.id.clone(),
                name: c.name.clone(),
                zone: c.zone,
                logged,
                contacts: this_week.len(),
                visits: this_week
                    .iter()
                    .filter(|i| i.kind.eq_ignore_ascii_case("visit"))
                    .count(),
                contact_every: c.contact_every,
                visit_every: c.visit_every,
                contact_overdue: view.contact_overdue,
                visit_overdue: view.visit_overdue,
                days_since_contact: view.days_since_contact,
                days_since_visit: view.days_since_visit,
                heat: view.heat,
                heat_week_ago: heat_at(&c.id, &model.interactions, settings, add_days(at, -7)),
            }
        })
        .collect()
}

fn worked(model: &Model, w: &Window, now: DateTime<Utc>, at: DateTime<Utc>) -> Vec<DeadlineWeek> {
    let me = &model.config.me;
    let mut out: Vec<DeadlineWeek> = Vec::new();
    for e in &model.timelog {
        let TimeOn::Deadline(id) = &e.on else {
            continue;
        };
        let part = timelog::within(me, e, w.from, w.to, now);
        if part.is_zero() {
            continue;
        }
        if let Some(row) = out.iter_mut().find(|r| r.id == *id) {
            row.logged += part;
            continue;
        }
        let d = timelog::deadline_of(model, e);
        let client = d
            .as_ref()
            .and_then(|d| d.client.as_deref())
            .or(e.client.as_deref())
            .map(|c| client_name(model, c));
        out.push(DeadlineWeek {
            id: id.clone(),
            title: d
                .as_ref()
                .map_or_else(|| id.clone(), |d| d.title.to_string()),
            client,
            logged: part,
            spent: d
                .as_ref()
                .map(|d| d.spent_with(logged_until(model, d, now, at))),
            estimate: d.and_then(|d| d.estimate),
        });
    }
    out.sort_by(|a, b| b.logged.cmp(&a.logged).then_with(|| a.title.cmp(&b.title)));
    out
}

/// The deadlines due in `w` (dropped ones left out); `all`: done ones too, else only open ones.
fn due_in(model: &Model, w: &Window, now: DateTime<Utc>, at: DateTime<Utc>, all: bool) -> Vec<Due> {
    let mut out: Vec<Due> = model
        .deadlines
        .iter()
        .filter(|d| w.from <= d.due && d.due < w.to)
        .filter(|d| match d.status {
            Status::Dropped => false,
            Status::Done => all,
            Status::Open => true,
        })
        .map(|d| {
            let outcome = match (d.status, d.done_at) {
                (Status::Done, Some(done)) if done > d.due => Outcome::Late(done - d.due),
                (Status::Done, _) | (Status::Dropped, _) => Outcome::Met,
                (Status::Open, _) if d.due <= at => Outcome::Missed(at - d.due),
                (Status::Open, _) => Outcome::Open,
            };
            let client = d.client.as_deref().and_then(|c| model.config.client(c));
            Due {
                id: d.id.as_deref().map(str::to_string),
                title: d.title.to_string(),
                client: d.client.as_deref().map(|c| client_name(model, c)),
                due: d.due,
                zone: client.map_or(d.zone, |c| c.zone),
                done_at: d.done_at,
                estimate: d.estimate,
                spent: d.spent_with(logged_until(model, &d, now, at)),
                outcome,
            }
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.title.cmp(&b.title)));
    out
}

fn next_week(model: &Model, w: &Window, now: DateTime<Utc>, at: DateTime<Utc>) -> NextWeek {
    let me = &model.config.me;
    let next = Window::of(me, w.week.next());
    let mut days_off = Vec::new();
    let mine = Schedule::of_me(me);
    for date in next.dates() {
        if let Some(why) = mine.day_off_named(date) {
            days_off.push(NextDayOff {
                whose: Whose::You,
                date,
                why,
            });
        }
    }
    for c in &model.config.clients {
        let theirs = Schedule::of_client(c);
        for date in next.dates() {
            if let Some(why) = theirs.day_off_named(date) {
                days_off.push(NextDayOff {
                    whose: Whose::Client(c.name.clone()),
                    date,
                    why,
                });
            }
        }
    }
    // Each zone once: yours (where you are on the Monday), then each client's.
    let mut zones: Vec<(Tz, Vec<Whose>)> = vec![(next.zone, vec![Whose::You])];
    for c in &model.config.clients {
        match zones.iter_mut().find(|(z, _)| *z == c.zone) {
            Some((_, who)) => who.push(Whose::Client(c.name.clone())),
            None => zones.push((c.zone, vec![Whose::Client(c.name.clone())])),
        }
    }
    let mut clock_changes = Vec::new();
    for (zone, whose) in zones {
        let mut from = next
            .from
            .checked_sub_signed(Duration::seconds(1))
            .unwrap_or(next.from);
        // A zone changes at most a few times a week; the bound only guards the loop.
        for _ in 0..8 {
            let Some(t) = next_offset_change(zone, from, 8).filter(|t| *t < next.to) else {
                break;
            };
            clock_changes.push(NextClockChange {
                zone,
                whose: whose.clone(),
                at: t,
                offset_before: offset_secs(zone, t - Duration::seconds(1)),
                offset_after: offset_secs(zone, t),
            });
            from = t;
        }
    }
    clock_changes.sort_by_key(|c| c.at);
    NextWeek {
        window: next,
        deadlines: due_in(model, &next, now, at, false),
        days_off,
        clock_changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Interaction, TimeEntry, TimeSpan};
    use crate::domain::testkit::{client, date, me, utc};
    use std::sync::Arc;

    fn model() -> Model {
        let mut m = Model::default();
        m.config.me = me(chrono_tz::Europe::Berlin, "09:00-17:00");
        m.config.clients = vec![client("ny", chrono_tz::America::New_York)];
        m
    }

    /// A week retainer from Wed 21 Oct in Tokyo: week 43 (Mon 19 Oct 07:00 to Mon 26 Oct 08:00
    /// in Tokyo, Berlin's clocks going back on the 25th) overlaps the period of 14–20 Oct
    /// (before `starts`: left out) and the one of 21–27 Oct, which is in only once it has
    /// started; the first and last weeks there are still work.
    #[test]
    fn retainer_periods_overlapping_the_week() {
        use crate::domain::model::{Every, Retainer};
        let mut m = model();
        let mut c = client("tokyo", chrono_tz::Asia::Tokyo);
        c.retainer = Some(Retainer {
            hours: Duration::hours(10),
            every: Every::Week,
            starts: date(2026, 10, 21),
            rollover: true,
        });
        m.config.clients.push(c);
        let w43 = IsoWeek::parse("2026-W43").unwrap();
        let r = review(&m, w43, utc(2026, 10, 23, 12, 0));
        assert_eq!(r.retainers.len(), 1);
        let days: Vec<_> = r.retainers[0].periods.iter().map(|b| b.days).collect();
        assert_eq!(days, [(date(2026, 10, 21), date(2026, 10, 28))]);
        // Its first period: nothing rolls over from before `starts`.
        assert_eq!(r.retainers[0].periods[0].hours, Duration::hours(10));
        // Tue 20 Oct 23:00 in Tokyo: the period of the 21st has not started.
        let r = review(&m, w43, utc(2026, 10, 20, 14, 0));
        assert!(r.retainers[0].periods.is_empty());
        for w in ["0001-W01", "9999-W52"] {
            let r = review(&m, IsoWeek::parse(w).unwrap(), utc(2026, 10, 23, 12, 0));
            assert_eq!(r.retainers.len(), 1, "{w}");
        }
    }

    #[test]
    fn weeks_parse_and_print_as_iso_weeks() {
        assert_eq!(
            IsoWeek::parse("2026-W49"),
            Ok(IsoWeek {
                year: 2026,
                week: 49
            })
        );
        assert_eq!(
            IsoWeek::parse("2026w9").map(|w| w.to_string()),
            Ok("2026-W09".into())
        );
        assert!(IsoWeek::parse("2026-W54").is_err());
        assert!(IsoWeek::parse("next week").is_err());
        assert!(IsoWeek::parse("-262000-W01").is_err());
        assert!(IsoWeek::parse("10000-W01").is_err());
        // The first and last weeks there are: no arithmetic near them overflows.
        let m = model();
        for w in ["0001-W01", "9999-W52"] {
            let r = review(&m, IsoWeek::parse(w).unwrap(), utc(2026, 10, 23, 12, 0));
            assert_eq!(r.window.week.to_string(), w);
        }
        assert_eq!(
            IsoWeek::parse("2026-W53").map(|w| w.monday()),
            Ok(date(2026, 12, 28))
        );
        // Week 1 of 2027 starts in 2027 (4 January).
        assert_eq!(
            IsoWeek::parse("2026-W53").map(|w| w.next().monday()),
            Ok(date(2027, 1, 4))
        );
    }

    #[test]
    fn an_entry_across_the_weeks_edge_counts_its_part_in_each() {
        let mut m = model();
        // Sun 25 Oct 23:00 CET to Mon 26 Oct 01:00 CET (22:00-00:00 UTC).
        m.timelog.push(TimeEntry {
            line: 1,
            id: Some("t-1".into()),
            on: TimeOn::Client(Arc::from("ny")),
            client: None,
            span: TimeSpan::Timed {
                start: utc(2026, 10, 25, 22, 0),
                end: Some(utc(2026, 10, 26, 0, 0)),
            },
            note: None,
        });
        let now = utc(2026, 10, 30, 12, 0);
        let w43 = review(&m, IsoWeek::parse("2026-W43").unwrap(), now);
        let w44 = review(&m, IsoWeek::parse("2026-W44").unwrap(), now);
        assert_eq!(w43.logged, Duration::hours(1));
        assert_eq!(w44.logged, Duration::hours(1));
        assert_eq!(w44.clients[0].logged, Duration::hours(1));
        assert_eq!(IsoWeek::containing(&m.config.me, now).week, 44);
    }

    fn deadline(
        id: &str,
        due: DateTime<Utc>,
        status: Status,
        done_at: Option<DateTime<Utc>>,
    ) -> Deadline {
        Deadline {
            origin: Default::default(),
            id: Some(id.into()),
            client: Some(Arc::from("ny")),
            title: id.into(),
            due,
            zone: chrono_tz::UTC,
            estimate: None,
            spent: None,
            status,
            done_at,
            every: None,
            logged: Default::default(),
        }
    }

    #[test]
    fn deadlines_due_in_the_week_are_met_late_missed_or_open_and_dropped_ones_left_out() {
        let mut m = model();
        let due = utc(2026, 10, 20, 21, 0);
        m.deadlines = vec![
            deadline("met", due, Status::Done, Some(due)),
            deadline("late", due, Status::Done, Some(due + Duration::minutes(90))),
            deadline("unsaid", due, Status::Done, None),
            deadline("missed", due, Status::Open, None),
            deadline("dropped", due, Status::Dropped, None),
            deadline("open", utc(2026, 10, 24, 12, 0), Status::Open, None),
            deadline("next", utc(2026, 10, 27, 12, 0), Status::Open, None),
            deadline("next-done", utc(2026, 10, 27, 12, 0), Status::Done, None),
        ]
        .into();
        let now = utc(2026, 10, 23, 12, 0);
        let r = review(&m, IsoWeek::parse("2026-W43").unwrap(), now);
        let got: Vec<(&str, Outcome)> = r
            .due
            .iter()
            .map(|d| (d.title.as_str(), d.outcome))
            .collect();
        assert_eq!(
            got,
            vec![
                ("late", Outcome::Late(Duration::minutes(90))),
                ("met", Outcome::Met),
                ("missed", Outcome::Missed(now - due)),
                ("unsaid", Outcome::Met),
                ("open", Outcome::Open),
            ]
        );
        // In the client's zone, not the record's.
        assert_eq!(r.due[0].zone, chrono_tz::America::New_York);
        let next: Vec<&str> = r.next.deadlines.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(next, vec!["next"]);
        // Reviewed after the week: the open one is missed as of the week's end.
        let later = review(
            &m,
            IsoWeek::parse("2026-W43").unwrap(),
            utc(2026, 11, 20, 0, 0),
        );
        assert_eq!(later.at, later.window.to);
        assert_eq!(
            later.due.last().map(|d| d.outcome),
            Some(Outcome::Missed(later.window.to - utc(2026, 10, 24, 12, 0)))
        );
    }

    #[test]
    fn next_week_names_new_yorks_clock_change() {
        let mut m = model();
        m.interactions.push(Interaction {
            line: 1,
            at: utc(2026, 10, 20, 12, 0),
            client: Arc::from("ny"),
            kind: Arc::from("Visit"),
            who: None,
        });
        let r = review(
            &m,
            IsoWeek::parse("2026-W43").unwrap(),
            utc(2026, 10, 23, 14, 0),
        );
        assert_eq!((r.clients[0].contacts, r.clients[0].visits), (1, 1));
        let cc = &r.next.clock_changes;
        assert_eq!(cc.len(), 1, "{cc:?}");
        assert_eq!(cc[0].at, utc(2026, 11, 1, 6, 0));
        assert_eq!(
            (cc[0].offset_before, cc[0].offset_after),
            (-4 * 3600, -5 * 3600)
        );
        // Berlin's change (25 Oct) is in the reviewed week, not the next.
        assert!(cc.iter().all(|c| c.zone == chrono_tz::America::New_York));
    }
}
