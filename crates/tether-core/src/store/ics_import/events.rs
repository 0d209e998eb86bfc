//! The VEVENTs and VTODOs of an iCalendar file, read with the `icalendar` crate's parser, their
//! times placed by TZID ([`super::zones`]), and recurrences expanded by the `rrule` crate within
//! a window: each becomes an [`Occurrence`] with a key that stays the same from one export to
//! the next (its UID, and for a repeat the start it was scheduled at).

use super::zones::zone_of_tzid;
use crate::domain::time::local_to_utc;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property, read_calendar, unfold};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Event,
    Todo,
}

/// When an occurrence is: a whole day, or an instant with the zone it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    At(DateTime<Utc>, Tz),
}

impl When {
    /// The instant it starts (a day: its start in `zone`).
    pub fn instant(self, zone: Tz) -> DateTime<Utc> {
        match self {
            When::Day(d) => local_to_utc(zone, d.and_time(chrono::NaiveTime::MIN)),
            When::At(t, _) => t,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub kind: ItemKind,
    /// UID, and for a repeat the UTC start it was scheduled at: the same on every export.
    pub key: String,
    pub summary: String,
    pub when: When,
    /// Whole days it covers (an all-day event's DTEND is the day after its last): 1 for a
    /// timed item.
    pub days: u32,
}

/// What a calendar file gave: the occurrences in the window, and what could not be read (each
/// naming the item by its summary or UID).
#[derive(Debug, Default)]
pub struct Read {
    pub occurrences: Vec<Occurrence>,
    pub problems: Vec<String>,
    /// Occurrences before the window's start (left out).
    pub past: usize,
    pub cancelled: usize,
}

/// The occurrences of `text` from `from` to `to`; a time without a zone (floating) is read in
/// `zone` (the client's).
pub fn read(text: &str, zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Read, String> {
    let unfolded = unfold(text);
    let cal = read_calendar(&unfolded).map_err(|e| {
        let first = e.lines().take(4).collect::<Vec<_>>().join(" ");
        format!("not an iCalendar file ({first})")
    })?;
    let mut out = Read::default();
    let items: Vec<&Component<'_>> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT" || c.name == "VTODO")
        .collect();
    // Moved or changed repeats (RECURRENCE-ID), by UID and the start they replace.
    let mut overrides: HashSet<(String, DateTime<Utc>)> = HashSet::new();
    for c in &items {
        if let (Some(uid), Some(rid)) = (prop(c, "UID"), c.find_prop("RECURRENCE-ID"))
            && let Ok(w) = when_of(rid, zone)
        {
            overrides.insert((uid.to_string(), w.instant(zone)));
        }
    }
    for c in items {
        let kind = if c.name == "VTODO" {
            ItemKind::Todo
        } else {
            ItemKind::Event
        };
        let summary = prop(c, "SUMMARY").unwrap_or("").trim().to_string();
        // No UID (calcurse exports none unless asked with --export-uid): the item is known by
        // its summary and start instead, so an unchanged item is found again, and a changed one
        // comes in as new.
        let uid = match prop(c, "UID") {
            Some(u) => u.to_string(),
            None => format!(
                "no-uid\n{summary}\n{}",
                c.find_prop("DTSTART")
                    .or_else(|| c.find_prop("DUE"))
                    .map_or("", |p| p.val.as_str())
            ),
        };
        let name = if summary.is_empty() {
            uid.clone()
        } else {
            summary.clone()
        };
        if prop(c, "STATUS").is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")) {
            out.cancelled += 1;
            continue;
        }
        let at = match kind {
            ItemKind::Todo => c.find_prop("DUE").or_else(|| c.find_prop("DTSTART")),
            ItemKind::Event => c.find_prop("DTSTART"),
        };
        let Some(at) = at else {
            out.problems
                .push(format!("{name:?}: no DTSTART or DUE; left out"));
            continue;
        };
        let when = match when_of(at, zone) {
            Ok(w) => w,
            Err(e) => {
                out.problems.push(format!("{name:?}: {e}; left out"));
                continue;
            }
        };
        let rid = c
            .find_prop("RECURRENCE-ID")
            .and_then(|p| when_of(p, zone).ok());
        let days = match (
            when,
            c.find_prop("DTEND").and_then(|p| when_of(p, zone).ok()),
        ) {
            (When::Day(s), Some(When::Day(e))) => {
                u32::try_from((e - s).num_days()).unwrap_or(1).max(1)
            }
            _ => 1,
        };
        let mut push = |key: String, when: When| {
            let t = when.instant(zone);
            if t < from {
                out.past += 1;
            } else if t <= to {
                out.occurrences.push(Occurrence {
                    kind,
                    key,
                    summary: name.clone(),
                    when,
                    days,
                });
            }
        };
        match (prop(c, "RRULE"), rid) {
            (_, Some(r)) => push(format!("{uid}\n{}", stamp_key(r.instant(zone))), when),
            (None, None) => push(uid.clone(), when),
            (Some(rule), None) => match repeats(c, rule, when, zone, from, to) {
                Ok(starts) => {
                    for s in starts {
                        if !overrides.contains(&(uid.clone(), s.instant(zone))) {
                            push(format!("{uid}\n{}", stamp_key(s.instant(zone))), s);
                        }
                    }
                }
                Err(e) => out
                    .problems
                    .push(format!("{name:?}: its RRULE: {e}; left out")),
            },
        }
    }
    Ok(out)
}

fn stamp_key(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn prop<'a>(c: &'a Component<'_>, name: &str) -> Option<&'a str> {
    c.find_prop(name).map(|p| p.val.as_str())
}

fn param<'a>(p: &'a Property<'_>, key: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|x| x.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|x| x.val.as_ref())
        .map(|v| v.as_str())
}

/// A DATE or DATE-TIME property: UTC (`Z`), in its TZID, or floating (read in `zone`).
fn when_of(p: &Property<'_>, zone: Tz) -> Result<When, String> {
    let v = p.val.as_str().trim();
    if param(p, "VALUE").is_some_and(|x| x.eq_ignore_ascii_case("DATE")) || v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .map(When::Day)
            .map_err(|_| format!("cannot read the date {v:?}"));
    }
    if let Some(utc) = v.strip_suffix('Z') {
        let n = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S")
            .map_err(|_| format!("cannot read the time {v:?}"))?;
        return Ok(When::At(n.and_utc(), zone_in(p, zone)?));
    }
    let n = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("cannot read the time {v:?}"))?;
    let z = zone_in(p, zone)?;
    // A time in a clock change's gap moves forward by the gap, one that happens twice is the
    // first: as everywhere in tether, and as Python's zoneinfo with fold=0.
    Ok(When::At(local_to_utc(z, n), z))
}

fn zone_in(p: &Property<'_>, zone: Tz) -> Result<Tz, String> {
    match param(p, "TZID") {
        None => Ok(zone),
        Some(id) => zone_of_tzid(id).ok_or_else(|| {
            format!("time zone {id:?} is neither an IANA nor a Windows zone name tether knows")
        }),
    }
}

/// The starts of a repeating item from `from` to `to`, by the `rrule` crate: DTSTART, RRULE and
/// EXDATEs written again in the form it reads (IANA TZIDs; a whole day as midnight UTC).
fn repeats(
    c: &Component<'_>,
    rule: &str,
    first: When,
    zone: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<When>, String> {
    let (start, tz) = match first {
        When::Day(d) => (format!("DTSTART:{}T000000Z", d.format("%Y%m%d")), None),
        When::At(t, z) => (
            format!(
                "DTSTART;TZID={}:{}",
                z.name(),
                t.with_timezone(&z).format("%Y%m%dT%H%M%S")
            ),
            Some(z),
        ),
    };
    let mut text = format!("{start}\nRRULE:{rule}");
    for p in c.properties.iter().filter(|p| p.name == "EXDATE") {
        for v in p.val.as_str().split(',') {
            let one = Property {
                name: p.name.clone(),
                val: v.into(),
                params: p.params.clone(),
            };
            let Ok(w) = when_of(&one, zone) else { continue };
            let t = w.instant(tz.unwrap_or(chrono_tz::UTC));
            let t = match w {
                When::Day(d) => format!("{}T000000Z", d.format("%Y%m%d")),
                When::At(..) => t.format("%Y%m%dT%H%M%SZ").to_string(),
            };
            text.push_str(&format!("\nEXDATE:{t}"));
        }
    }
    let set: rrule::RRuleSet = text.parse().map_err(|e: rrule::RRuleError| e.to_string())?;
    let utc = rrule::Tz::UTC;
    // A day that starts before `from` in the client's zone may still be today: start a day back.
    let set = set
        .after((from - chrono::Duration::days(1)).with_timezone(&utc))
        .before(to.with_timezone(&utc));
    let found = set.all(2000);
    Ok(found
        .dates
        .into_iter()
        .map(|d| match (first, tz) {
            (When::Day(_), _) => When::Day(d.with_timezone(&chrono_tz::UTC).date_naive()),
            (_, Some(z)) => When::At(d.with_timezone(&chrono_tz::UTC).to_utc(), z),
            (_, None) => When::At(d.with_timezone(&chrono_tz::UTC).to_utc(), zone),
        })
        .collect())
}
