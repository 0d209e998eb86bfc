//! A client's page: what a freelancer looks at before a call (issue 14). Their hours and
//! today's status, the next holidays and clock change, the champion and cadence, the last
//! contacts, the open deadlines and follow-ups, and the heat over the last weeks. Pure: the
//! contacts' notes are not in memory (docs/decisions.md, "Live updates at scale"); the page
//! names their lines ([`PastContact::line`]) and the edge reads them (`store::notes`).
//!
//! Two instants: `view` (the scrubbed clocks' instant) for what the clocks answer (status,
//! hours, overlap, holidays, clock change), `now` for the rest (heat, contacts, risk, dues), as
//! the board does (docs/decisions.md, "The scrubbed clocks").

use super::clocks::{
    BusinessStatus, DstNotice, Overlap, business_status, dst_notice_within, next_offset_change,
    overlap_today,
};
use super::followups;
use super::gifts::{self, GiftDue};
use super::heat::{HeatView, heat_view};
use super::holidays::DayOff;
use super::model::{Client, Deadline, Followup, Me, Model, Status};
use super::people::{self, Person, TieFlag};
use super::risk::{RiskView, assess};
use super::schedule::{Schedule, Shift, clamp, shift_date};
use super::time::local_date;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// How many of the last contacts the page lists.
pub const LAST_CONTACTS: usize = 5;
/// How many of the next holidays it names.
pub const NEXT_HOLIDAYS: usize = 3;
/// How far ahead it looks for a clock change.
pub const CLOCK_CHANGE_DAYS: i64 = 366;

/// One logged contact, newest first on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct PastContact {
    /// Its line in the contact log: where its note is read from.
    pub line: usize,
    pub at: DateTime<Utc>,
    pub kind: Arc<str>,
    pub who: Option<Arc<str>>,
}

/// The next clock change that matters to the client's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockChange {
    /// The gap between their clock and yours changes (their change or yours).
    Gap(DstNotice),
    /// Their clocks change, and yours with them: the gap stays.
    Theirs(DateTime<Utc>),
    /// No change in either zone within [`CLOCK_CHANGE_DAYS`].
    None,
}

/// An open follow-up of the client, with its due as an instant (a date-only due: the end of
/// that day in your zone, as the board reads it).
#[derive(Debug, Clone, PartialEq)]
pub struct PageFollowup {
    pub followup: Followup,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    /// Snoozed past now.
    pub snoozed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientPage {
    pub client: Client,
    /// Your zone at `view` (travel included).
    pub my_zone: Tz,
    pub view: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// Their business status at `view`.
    pub status: BusinessStatus,
    /// Their hours on their date at `view`, as instants (None: a clock change swallows them).
    pub hours_today: Option<Shift>,
    /// Whether their date at `view` is one of their working days (not a holiday).
    pub works_today: bool,
    /// Where your working hours on your date at `view` meet theirs.
    pub overlap: Vec<Overlap>,
    /// Their next holidays from their date at `view` on (today included), as runs of days
    /// closed for one reason (first, last, why): the dates typed in `holidays`, and their
    /// public holidays and closures that fall on one of their working days.
    pub holidays: Vec<(NaiveDate, NaiveDate, DayOff)>,
    pub clock_change: ClockChange,
    /// With a change of the gap: the overlap of your hours with theirs on the last day you both
    /// work before it, and on the first after it.
    pub overlap_change: Option<(Duration, Duration)>,
    /// Heat, trend, last contact and visit, cadence flags and the 12 weekly points.
    pub heat: HeatView,
    /// Each person you deal with there, with your last contact with them at or before `now`.
    pub people: Vec<(Person, Option<DateTime<Utc>>)>,
    /// What is wrong with the ties at `now` (a champion quiet, no backup).
    pub tie_flags: Vec<TieFlag>,
    /// Its gift occasions this season or next (`domain::gifts`).
    pub gifts: Vec<GiftDue>,
    /// The last [`LAST_CONTACTS`] gifts logged (contacts of kind `gift`), newest first: what
    /// was given, so the same gift is not given twice.
    pub gifts_given: Vec<PastContact>,
    /// The last [`LAST_CONTACTS`] contacts at or before `now`, newest first.
    pub contacts: Vec<PastContact>,
    /// Open deadlines, soonest due first, each assessed at `now`.
    pub deadlines: Vec<(Deadline, RiskView)>,
    /// Open follow-ups: what you owe (by due), then what you wait for, then the snoozed.
    pub followups: Vec<PageFollowup>,
    /// The time logged on the client and its deadlines in timelog.jsonl (`timelog::on_client`).
    pub logged: crate::domain::model::Logged,
    /// The retainer's burn-down at `now` (`domain::retainer`); None without one.
    pub retainer: Option<crate::domain::retainer::Burn>,
}

impl ClientPage {
    /// The lines of the listed contacts, for reading their notes.
    pub fn contact_lines(&self) -> Vec<usize> {
        self.contacts
            .iter()
            .chain(&self.gifts_given)
            .map(|c| c.line)
            .collect()
    }
}

/// The next [`NEXT_HOLIDAYS`] runs of days off from `today` on, within a year: consecutive
/// dates closed for the same reason are one (`first`, `last`, why). A public holiday or a
/// closure counts only when it takes a working day (Sweden counts every Sunday), a typed date
/// always.
fn next_holidays(theirs: &Schedule<'_>, today: NaiveDate) -> Vec<(NaiveDate, NaiveDate, DayOff)> {
    let mut runs: Vec<(NaiveDate, NaiveDate, DayOff)> = Vec::new();
    for d in today.iter_days().take(366) {
        let Some(why) = theirs
            .day_off(d)
            .filter(|w| *w == DayOff::Holiday || theirs.is_working_weekday(d))
        else {
            continue;
        };
        if let Some((_, last, w)) = runs.last_mut()
            && *w == why
            && shift_date(*last, 1) == d
        {
            *last = d;
            continue;
        }
        if runs.len() == NEXT_HOLIDAYS {
            break;
        }
        runs.push((d, d, why));
    }
    runs
}

/// The page of client `id` (None: no such client).
pub fn client_page(
    model: &Model,
    id: &str,
    now: DateTime<Utc>,
    view: DateTime<Utc>,
) -> Option<ClientPage> {
    let config = &model.config;
    let client = config.client(id)?;
    let me = &config.me;
    let view = clamp(view);
    let my_zone = me.zone_at(view);
    let theirs = Schedule::of_client(client);
    let their_today = local_date(client.zone, view);
    let clock_change = match dst_notice_within(my_zone, client.zone, view, CLOCK_CHANGE_DAYS) {
        Some(n) => ClockChange::Gap(n),
        None => next_offset_change(client.zone, view, CLOCK_CHANGE_DAYS)
            .map_or(ClockChange::None, ClockChange::Theirs),
    };
    let overlap_change = match clock_change {
        ClockChange::Gap(n) => overlap_on_a_common_day(me, client, n.at, -1)
            .zip(overlap_on_a_common_day(me, client, n.at, 1)),
        _ => None,
    };
    let heat = heat_view(client, &model.interactions, &config.heat, now);
    let people: Vec<(Person, Option<DateTime<Utc>>)> =
        people::last_contacts(client, &model.interactions, now)
            .into_iter()
            .map(|(p, t)| (p.clone(), t))
            .collect();
    let tie_flags = people::tie_flags(client, heat.last_champion_contact, now);
    Some(ClientPage {
        client: client.clone(),
        my_zone,
        view,
        now,
        status: business_status(client, view),
        hours_today: theirs.hours_on(their_today),
        works_today: theirs.works_on(their_today),
        overlap: overlap_today(me, client, view),
        holidays: next_holidays(&theirs, their_today),
        clock_change,
        overlap_change,
        heat,
        people,
        tie_flags,
        gifts: gifts::seasons(
            client,
            &gifts::occasions_of(client, &config.gifts),
            &model.interactions,
            local_date(client.zone, now),
        ),
        gifts_given: last_contacts(model, id, now, |k| k.eq_ignore_ascii_case("gift")),
        contacts: last_contacts(model, id, now, |_| true),
        deadlines: open_deadlines(model, id, now),
        followups: open_followups(model, id, now),
        logged: crate::domain::timelog::on_client(model, id),
        retainer: crate::domain::retainer::burn(model, client, now),
    })
}

/// How long your hours meet theirs on the nearest day before `at` (`step` -1) or after it (1)
/// on which you both work, within a fortnight.
fn overlap_on_a_common_day(
    me: &Me,
    client: &Client,
    at: DateTime<Utc>,
    step: i64,
) -> Option<Duration> {
    let (mine, theirs) = (Schedule::of_me(me), Schedule::of_client(client));
    let from = local_date(mine.zone_at(at), at);
    (0..=14).find_map(|k| {
        let shift = mine.shift_on(shift_date(from, step * k))?;
        let on_its_side = if step < 0 {
            shift.end <= at
        } else {
            shift.start >= at
        };
        let works = theirs.works_on(local_date(client.zone, shift.start));
        (on_its_side && works).then(|| {
            theirs
                .intervals(shift.start, shift.end)
                .fold(Duration::zero(), |sum, s| sum + s.len())
        })
    })
}

fn last_contacts(
    model: &Model,
    id: &str,
    now: DateTime<Utc>,
    kind: impl Fn(&str) -> bool,
) -> Vec<PastContact> {
    let mut past: Vec<&super::model::Interaction> = model
        .interactions
        .iter()
        .filter(|i| *i.client == *id && i.at <= now && kind(&i.kind))
        .collect();
    // Newest first; of two at the same instant, the later line (logged later).
    past.sort_by_key(|i| std::cmp::Reverse((i.at, i.line)));
    past.into_iter()
        .take(LAST_CONTACTS)
        .map(|i| PastContact {
            line: i.line,
            at: i.at,
            kind: i.kind.clone(),
            who: i.who.clone(),
        })
        .collect()
}

fn open_deadlines(model: &Model, id: &str, now: DateTime<Utc>) -> Vec<(Deadline, RiskView)> {
    let config = &model.config;
    let mut open: Vec<(Deadline, RiskView)> = model
        .deadlines
        .iter()
        .filter(|d| d.status == Status::Open && d.client.as_deref() == Some(id))
        .map(|d| {
            let view = assess(&d, &config.me, &config.alerts, now);
            (d.into_owned(), view)
        })
        .collect();
    open.sort_by_key(|(d, _)| (d.due, d.origin.line));
    open
}

fn open_followups(model: &Model, id: &str, now: DateTime<Utc>) -> Vec<PageFollowup> {
    let theirs: Vec<Followup> = model
        .followups
        .iter()
        .filter(|f| f.status == Status::Open && f.client.as_deref() == Some(id))
        .map(super::held::Rec::into_owned)
        .collect();
    // The board's buckets and order, for this client's follow-ups only.
    let b = followups::board(&theirs, &model.config.me, now);
    let row = |r: &followups::FollowupRow<'_>| PageFollowup {
        followup: r.f.clone(),
        due_at: r.due_at,
        overdue: r.bucket == followups::Bucket::Overdue,
        snoozed: false,
    };
    let mut out: Vec<PageFollowup> = b.owe.iter().chain(&b.waiting).map(row).collect();
    out.extend(b.snoozed.iter().map(|f| PageFollowup {
        followup: (*f).clone(),
        due_at: None,
        overdue: false,
        snoozed: true,
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::heat::{SPARK_STEP_DAYS, heat_at};
    use crate::domain::model::{Config, Interaction};
    use crate::domain::testkit::{date, me, utc};
    use crate::domain::time::ClockRange;
    use std::collections::BTreeSet;

    fn client(id: &str, zone: Tz) -> Client {
        Client {
            name: format!("{id} GmbH"),
            city: String::new(),
            hours: ClockRange::parse("08:00-16:30").unwrap_or_else(|e| panic!("{e}")),
            holidays: [date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)]
                .into_iter()
                .chain([date(2026, 11, 1), date(2027, 4, 2)])
                .collect::<BTreeSet<_>>(),
            contact_every: Some(Duration::days(14)),
            ..crate::domain::testkit::client(id, zone)
        }
    }

    fn contact(line: usize, client: &str, kind: &str, at: DateTime<Utc>) -> Interaction {
        Interaction {
            line,
            at,
            client: client.into(),
            kind: kind.into(),
            who: Some(Arc::from("Herr Vogel")),
        }
    }

    fn model() -> Model {
        let config = Config {
            me: me(chrono_tz::Australia::Brisbane, "08:30-17:30"),
            clients: vec![client("brandt", chrono_tz::Europe::Berlin)],
            ..Config::default()
        };
        let now = utc(2026, 11, 24, 23, 30);
        let interactions = (1..=8)
            .map(|i| contact(i, "brandt", "call", now - Duration::days(9 * i as i64)))
            .chain([
                contact(9, "other", "visit", now - Duration::days(1)),
                // Planned, not yet happened: not among the last contacts.
                contact(10, "brandt", "visit", now + Duration::days(3)),
            ])
            .collect();
        Model {
            config,
            interactions,
            ..Model::default()
        }
    }

    #[test]
    fn the_last_contacts_are_the_newest_past_ones_with_their_lines() {
        let now = utc(2026, 11, 24, 23, 30);
        let page = client_page(&model(), "brandt", now, now).unwrap_or_else(|| panic!("page"));
        assert_eq!(page.contact_lines(), [1, 2, 3, 4, 5]);
        assert_eq!(page.contacts[0].who.as_deref(), Some("Herr Vogel"));
        assert!(client_page(&model(), "nobody", now, now).is_none());
    }

    /// The history is heat at the end of each of the last 12 weeks, each as `heat_at` finds it
    /// from scratch at that past instant.
    #[test]
    fn heat_history_is_heat_at_each_past_week() {
        let now = utc(2026, 11, 24, 23, 30);
        let m = model();
        let page = client_page(&m, "brandt", now, now).unwrap_or_else(|| panic!("page"));
        for (k, got) in page.heat.sparkline.iter().enumerate() {
            let at = now - Duration::days(SPARK_STEP_DAYS * (11 - k as i64));
            let want = heat_at("brandt", &m.interactions, &m.config.heat, at);
            assert!((got - want).abs() < 1e-9, "week {k}: {got} against {want}");
        }
        assert!(page.heat.sparkline[0] < page.heat.sparkline[11]);
    }

    #[test]
    fn next_holidays_start_at_their_today() {
        // Wed 25 Nov 09:30 in Brisbane is Wed 25 Nov 00:30 in Berlin.
        let now = utc(2026, 11, 24, 23, 30);
        let page = client_page(&model(), "brandt", now, now).unwrap_or_else(|| panic!("page"));
        assert_eq!(
            page.holidays,
            [
                (date(2026, 12, 24), date(2026, 12, 25)),
                (date(2027, 1, 1), date(2027, 1, 1)),
                (date(2027, 4, 2), date(2027, 4, 2)),
            ]
            .map(|(a, b)| (a, b, DayOff::Holiday))
        );
        // Scrubbed to Christmas Day there: it is a holiday today, and listed first.
        let view = utc(2026, 12, 25, 9, 0);
        let page = client_page(&model(), "brandt", now, view).unwrap_or_else(|| panic!("page"));
        assert_eq!(page.holidays[0].0, date(2026, 12, 25));
        assert!(!page.works_today);
        assert!(matches!(page.status, BusinessStatus::Holiday { .. }));
    }

    #[test]
    fn next_holidays_name_public_ones_and_skip_those_on_days_off() {
        let mut m = model();
        let brandt = m
            .config
            .clients
            .iter_mut()
            .find(|c| c.id == "brandt")
            .unwrap();
        brandt.holidays.clear();
        brandt.days_off.public =
            Some(crate::domain::holidays::PublicHolidays::resolve("DE", Some("BY")).unwrap());
        // Wed 25 Nov 2026: Christmas Day is Fri 25 Dec; the Second Day, Sat 26, is no news;
        // New Year's Day is Fri 1 Jan, Epiphany Wed 6 Jan.
        let now = utc(2026, 11, 24, 23, 30);
        let page = client_page(&m, "brandt", now, now).unwrap();
        assert_eq!(
            page.holidays,
            [
                (
                    date(2026, 12, 25),
                    date(2026, 12, 25),
                    DayOff::Public("Christmas Day")
                ),
                (
                    date(2027, 1, 1),
                    date(2027, 1, 1),
                    DayOff::Public("New Year's Day")
                ),
                (
                    date(2027, 1, 6),
                    date(2027, 1, 6),
                    DayOff::Public("Epiphany")
                ),
            ]
        );
    }

    /// Berlin moves to summer time on the last Sunday of March 2027 (28 March, 01:00 UTC); from
    /// Brisbane (no daylight saving) the gap goes from -9h to -8h.
    #[test]
    fn the_next_clock_change_is_found_months_ahead() {
        let now = utc(2026, 11, 24, 23, 30);
        let page = client_page(&model(), "brandt", now, now).unwrap_or_else(|| panic!("page"));
        let ClockChange::Gap(n) = page.clock_change else {
            panic!("{:?}", page.clock_change);
        };
        assert_eq!(n.at, utc(2027, 3, 28, 1, 0));
        assert_eq!((n.gap_before, n.gap_after), (-9 * 3600, -8 * 3600));
        assert_eq!(n.whose, chrono_tz::Europe::Berlin);
        // Stuttgart's 08:00 moves from 17:00 to 16:00 in Brisbane: from half an hour of your
        // day (to 17:30) to an hour and a half (Friday 26 March, then Monday 29 March).
        assert_eq!(
            page.overlap_change,
            Some((Duration::minutes(30), Duration::minutes(90)))
        );
        // A client in your own zone: no gap to change; Tokyo has no clock change at all.
        let mut m = model();
        m.config.clients[0].zone = chrono_tz::Australia::Brisbane;
        let page = client_page(&m, "brandt", now, now).unwrap_or_else(|| panic!("page"));
        assert_eq!(page.clock_change, ClockChange::None);
        m.config.me.zone = chrono_tz::Europe::Berlin;
        m.config.clients[0].zone = chrono_tz::Europe::Berlin;
        let page = client_page(&m, "brandt", now, now).unwrap_or_else(|| panic!("page"));
        assert_eq!(
            page.clock_change,
            ClockChange::Theirs(utc(2027, 3, 28, 1, 0))
        );
    }
}
