//! The clock rows: which clocks the pane shows, in which order, and who shares a row.

use crate::domain::model::{Client, Config, UnknownZone};
use crate::domain::schedule::clamp;
use crate::domain::time::{offset_secs, zone_city};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

use super::dst::{DstNotice, dst_notice};
use super::overlap::{Overlap, overlap_today};
use super::status::{BusinessStatus, business_status};

/// One clock on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRow {
    pub label: String,
    pub zone: Tz,
    pub is_me: bool,
    /// Ids of the clients on this row, in config order. They share zone, hours, days and
    /// holidays, so one status and one overlap are true for each of them.
    pub client_ids: Vec<String>,
    pub local: DateTime<Tz>,
    /// Their local date minus yours, in days (-1, 0, +1; ±2 only between the extreme zones).
    pub day_shift: i64,
    /// Their UTC offset minus yours, in seconds.
    pub gap_secs: i32,
    /// The business status of the row's clients, for rows with clients.
    pub status: Option<BusinessStatus>,
    pub dst_notice: Option<DstNotice>,
    /// The row's clients' overlap with your working hours today.
    pub overlap: Vec<Overlap>,
    /// The row's clients' zone as written, when tether does not know it: the row is in your
    /// zone (`zone`), and its label carries [`UnknownZone::MARK`].
    pub unknown_zone: Option<Arc<UnknownZone>>,
}

/// Clients with the same timetable — zone, hours, days and holidays — in config order: the only
/// clients that may share a clock row, since anything else would give one of them another's
/// status.
#[derive(Debug, Clone, PartialEq)]
pub struct Team<'a> {
    pub zone: Tz,
    pub clients: Vec<&'a Client>,
    /// `Tokyo`, or `Tokyo (kanda, sakura)` when the team has several clients or another team
    /// keeps different hours in the same zone (so two rows never read alike); `Stuttgart
    /// [zone?]` for clients whose zone tether does not know.
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
}

/// The clients grouped into [`Team`]s, in the order of each team's first client. `tether status`
/// names teams by the same labels as the clock rows, so the two always agree.
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
    for i in 0..out.len() {
        let shared_zone = out.iter().filter(|t| t.zone == out[i].zone).count() > 1;
        out[i].label = client_label(out[i].zone, &out[i].clients, shared_zone);
        if out[i].clients[0].unknown_zone.is_some() {
            out[i].label = format!("{} {}", out[i].label, UnknownZone::MARK);
        }
    }
    out
}

enum RowKind {
    Me,
    Extra,
    Clients,
}

struct Group<'a> {
    kind: RowKind,
    zone: Tz,
    labels: Vec<String>,
    team: Option<Team<'a>>,
}

/// The dashboard's clocks.
///
/// Your row comes first (your name, or "You"; your zone today, travel included), then the extra
/// clocks, then the clients. Within the extra clocks and within the clients, rows run west to
/// east by UTC offset at `now` (ties keep config order), so reading down the list moves forward
/// through the day; the order can change when a zone's daylight saving does. Grouping extras
/// before clients keeps your own reference clocks in one place.
///
/// Clients share a row only with clients of the same timetable (a [`Team`]), so every status and
/// overlap shown is true for every client on the row. The first team in your zone joins your row,
/// the first team in an extra clock's zone joins that row; every other team has its own row,
/// labelled with its city (and its ids when needed, see [`Team::label`]). Extra clocks in your
/// own zone are dropped (your clock already shows that time), and extra clocks sharing a zone are
/// joined with ` / `.
pub fn clock_rows(config: &Config, now: DateTime<Utc>) -> Vec<ClockRow> {
    let now = clamp(now);
    let me = &config.me;
    let my_zone = me.zone_at(now);
    let my_label = if me.name.trim().is_empty() {
        "You".to_string()
    } else {
        me.name.trim().to_string()
    };
    let mut groups: Vec<Group> = vec![Group {
        kind: RowKind::Me,
        zone: my_zone,
        labels: vec![my_label],
        team: None,
    }];
    for clock in &config.clocks {
        match groups.iter_mut().find(|g| g.zone == clock.zone) {
            Some(g) => {
                if matches!(g.kind, RowKind::Extra) && !g.labels.contains(&clock.label) {
                    g.labels.push(clock.label.clone());
                }
            }
            None => groups.push(Group {
                kind: RowKind::Extra,
                zone: clock.zone,
                labels: vec![clock.label.clone()],
                team: None,
            }),
        }
    }
    for team in teams(&config.clients) {
        // Clients whose zone is unknown are never shown as if they were on your clock (their
        // stand-in zone is yours): their row is their own, and says so.
        let known = team.clients[0].unknown_zone.is_none();
        match groups
            .iter_mut()
            .find(|g| known && g.zone == team.zone && !matches!(g.kind, RowKind::Clients))
            .filter(|g| g.team.is_none())
        {
            Some(g) => g.team = Some(team),
            None => groups.push(Group {
                kind: RowKind::Clients,
                zone: team.zone,
                labels: Vec::new(),
                team: Some(team),
            }),
        }
    }
    // Stable sort: equal offsets keep config order.
    groups.sort_by_key(|g| match g.kind {
        RowKind::Me => (0, 0),
        RowKind::Extra => (1, offset_secs(g.zone, now)),
        RowKind::Clients => (2, offset_secs(g.zone, now)),
    });

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
    groups
        .into_iter()
        .map(|g| {
            let is_me = matches!(g.kind, RowKind::Me);
            let clients = g.team.as_ref().map_or(&[][..], |t| &t.clients[..]);
            let label = match (&g.kind, &g.team) {
                (RowKind::Clients, Some(t)) => t.label.clone(),
                _ => g.labels.join(" / "),
            };
            let local = now.with_timezone(&g.zone);
            let first = clients.first().copied();
            ClockRow {
                label,
                zone: g.zone,
                is_me,
                client_ids: clients.iter().map(|c| c.id.clone()).collect(),
                day_shift: (local.date_naive() - my_local.date_naive()).num_days(),
                gap_secs: offset_secs(g.zone, now) - my_offset,
                local,
                status: first.map(|c| business_status(c, now)),
                dst_notice: if is_me { None } else { notice_for(g.zone) },
                overlap: first.map_or_else(Vec::new, |c| overlap_today(me, c, now)),
                unknown_zone: first.and_then(|c| c.unknown_zone.clone()),
            }
        })
        .collect()
}

fn client_label(zone: Tz, clients: &[&Client], shared_zone: bool) -> String {
    let mut cities: Vec<String> = Vec::new();
    for c in clients {
        let city = if c.city.trim().is_empty() {
            zone_city(zone)
        } else {
            c.city.trim().to_string()
        };
        if !cities.contains(&city) {
            cities.push(city);
        }
    }
    if cities.is_empty() {
        cities.push(zone_city(zone));
    }
    let place = cities.join(" / ");
    if clients.len() > 1 || shared_zone {
        let ids: Vec<&str> = clients.iter().map(|c| c.id.as_str()).collect();
        format!("{place} ({})", ids.join(", "))
    } else {
        place
    }
}
