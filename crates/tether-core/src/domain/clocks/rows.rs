//! The clock rows: which clocks the pane shows, in which order, and what each is called.

use crate::domain::holidays::{ClosedSpan, next_closed_span};
use crate::domain::model::{Client, Config, UnknownZone};
use crate::domain::schedule::{Schedule, clamp};
use crate::domain::time::{local_date, offset_secs, zone_city};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

use super::dst::{DstNotice, NOTICE_DAYS, dst_notice};
use super::overlap::{Overlap, overlap_today};
use super::status::{BusinessStatus, business_status};

/// What a clock row is the clock of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockOf {
    /// You (your zone at the row's instant, travel included).
    Me,
    /// An extra clock of `[[clocks]]`, by its label.
    Extra(String),
    /// A client, by id.
    Client(String),
}

/// One clock on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRow {
    pub label: String,
    pub zone: Tz,
    pub of: ClockOf,
    pub local: DateTime<Tz>,
    /// Their local date minus yours, in days (-1, 0, +1; ±2 only between the extreme zones).
    pub day_shift: i64,
    /// Their UTC offset minus yours, in seconds.
    pub gap_secs: i32,
    /// The client's business status, on a client's row.
    pub status: Option<BusinessStatus>,
    pub dst_notice: Option<DstNotice>,
    /// The next closure within [`NOTICE_DAYS`] that takes one of the row's working days (a
    /// client's, or yours on your row): "Golden Week: closed 1–5 May, in 12 days".
    pub closed_notice: Option<ClosedSpan>,
    /// The client's overlap with your working hours on your day.
    pub overlap: Vec<Overlap>,
    /// The client's zone as written, when tether does not know it: the row is in your zone
    /// (`zone`), and its label carries [`UnknownZone::MARK`].
    pub unknown_zone: Option<Arc<UnknownZone>>,
}

impl ClockRow {
    pub fn is_me(&self) -> bool {
        self.of == ClockOf::Me
    }

    /// The id of the row's client, on a client's row.
    pub fn client_id(&self) -> Option<&str> {
        match &self.of {
            ClockOf::Client(id) => Some(id),
            _ => None,
        }
    }
}

/// Clients with the same timetable — zone, hours, days, holidays and closures — in config order: what
/// `tether status` names as one (`Tokyo (kanda, twin)`), since one status is true for each of
/// them at every instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Team<'a> {
    pub zone: Tz,
    pub clients: Vec<&'a Client>,
    /// `Tokyo`, or `Tokyo (kanda, twin)` when the team has several clients or another client
    /// is in the same zone; `Stuttgart [zone?]` for clients whose zone tether does not know. A
    /// team of one is named as its client's clock row ([`client_label`]).
    pub label: String,
}

/// A client whose zone is unknown shares a timetable only with clients whose zone is written
/// the same way: its stand-in zone is not the zone it shares with anyone.
fn same_timetable(a: &Client, b: &Client) -> bool {
    a.zone == b.zone
        && a.unknown_zone == b.unknown_zone
        && a.hours == b.hours
        && a.days == b.days
        && a.holidays == b.holidays
        && a.days_off == b.days_off
}

/// The clients grouped into [`Team`]s, in the order of each team's first client.
pub fn teams(clients: &[Client]) -> Vec<Team<'_>> {
    let mut out: Vec<Team> = Vec::new();
    for c in clients {
        match out.iter_mut().find(|t| same_timetable(t.clients[0], c)) {
            Some(t) => t.clients.push(c),
            None => out.push(Team {
                zone: c.zone,
                clients: vec![c],
                label: String::new(),
            }),
        }
    }
    for t in &mut out {
        t.label = label_of(clients, &t.clients);
    }
    out
}

/// A client's name on its clock row: its city (or its zone's), with its id when another client
/// is in the same zone (`Tokyo (kanda)`, `Tokyo (sakura)`), so two rows never read alike;
/// `Stuttgart [zone?]` when tether does not know its zone. Never cut: the pane gives the label
/// its width before anything else.
pub fn client_label(all: &[Client], client: &Client) -> String {
    label_of(all, &[client])
}

fn label_of(all: &[Client], named: &[&Client]) -> String {
    let Some(first) = named.first() else {
        return String::new();
    };
    let zone = first.zone;
    let mut cities: Vec<String> = Vec::new();
    for c in named {
        let city = if c.city.trim().is_empty() {
            zone_city(zone)
        } else {
            c.city.trim().to_string()
        };
        if !cities.contains(&city) {
            cities.push(city);
        }
    }
    let place = cities.join(" / ");
    let shared_zone = all.iter().filter(|c| c.zone == zone).count() > named.len();
    let mut label = if named.len() > 1 || shared_zone {
        let ids: Vec<&str> = named.iter().map(|c| c.id.as_str()).collect();
        format!("{place} ({})", ids.join(", "))
    } else {
        place
    };
    if first.unknown_zone.is_some() {
        label = format!("{label} {}", UnknownZone::MARK);
    }
    label
}

/// The dashboard's clocks at `now` (the instant the pane shows, which the scrubber moves).
///
/// Your row comes first (your name, or "You"; your zone at `now`, travel included), then a row
/// per extra clock, then a row per client. Within the extra clocks and within the clients, rows
/// run west to east by UTC offset at `now` (ties keep config order), so reading down the list
/// moves forward through the day; the order can change when a zone's daylight saving does.
/// Grouping extras before clients keeps your own reference clocks in one place. No row joins
/// another: a client in your zone (or travelling to theirs) keeps its own row, so its status and
/// overlap are always in the same place.
pub fn clock_rows(config: &Config, now: DateTime<Utc>) -> Vec<ClockRow> {
    let now = clamp(now);
    let me = &config.me;
    let my_zone = me.zone_at(now);
    let my_label = if me.name.trim().is_empty() {
        "You".to_string()
    } else {
        me.name.trim().to_string()
    };
    let mut extras: Vec<(ClockOf, Tz, String, Option<&Client>)> = config
        .clocks
        .iter()
        .map(|c| {
            let of = ClockOf::Extra(c.label.clone());
            (of, c.zone, c.label.clone(), None)
        })
        .collect();
    let mut clients: Vec<(ClockOf, Tz, String, Option<&Client>)> = config
        .clients
        .iter()
        .map(|c| {
            let label = client_label(&config.clients, c);
            (ClockOf::Client(c.id.clone()), c.zone, label, Some(c))
        })
        .collect();
    // Stable sorts: equal offsets keep config order.
    extras.sort_by_key(|(_, zone, _, _)| offset_secs(*zone, now));
    clients.sort_by_key(|(_, zone, _, _)| offset_secs(*zone, now));

    let my_local = now.with_timezone(&my_zone);
    let my_offset = offset_secs(my_zone, now);
    // Rows sharing a zone share its notice; finding one samples a fortnight of offsets.
    let mut notices: Vec<(Tz, Option<DstNotice>)> = Vec::new();
    let mut notice_for = |zone: Tz| match notices.iter().find(|(z, _)| *z == zone) {
        Some((_, n)) => *n,
        None => {
            let n = dst_notice(my_zone, zone, now);
            notices.push((zone, n));
            n
        }
    };
    std::iter::once((ClockOf::Me, my_zone, my_label, None))
        .chain(extras)
        .chain(clients)
        .map(|(of, zone, label, client)| {
            let local = now.with_timezone(&zone);
            ClockRow {
                label,
                zone,
                day_shift: (local.date_naive() - my_local.date_naive()).num_days(),
                gap_secs: offset_secs(zone, now) - my_offset,
                local,
                status: client.map(|c| business_status(c, now)),
                dst_notice: if of == ClockOf::Me {
                    None
                } else {
                    notice_for(zone)
                },
                closed_notice: match (&of, client) {
                    (_, Some(c)) => closed_notice(Schedule::of_client(c), c.zone, now),
                    (ClockOf::Me, None) => closed_notice(Schedule::of_me(me), my_zone, now),
                    _ => None,
                },
                overlap: client.map_or_else(Vec::new, |c| overlap_today(me, c, now)),
                unknown_zone: client.and_then(|c| c.unknown_zone.clone()),
                of,
            }
        })
        .collect()
}

/// The next span of closed days on `hours` that starts within [`NOTICE_DAYS`] of today in
/// `zone` (the one whose calendar is today there).
pub fn closed_notice(hours: Schedule<'_>, zone: Tz, now: DateTime<Utc>) -> Option<ClosedSpan> {
    next_closed_span(&hours, local_date(zone, clamp(now)), NOTICE_DAYS)
}
