//! `tether slots CLIENT…`: the best times to meet these clients (`domain::slots`), each shown in
//! your zone and theirs.

use super::light::{load_settings, require_data_dir};
use super::output::out;
use crate::domain::model::Client;
use crate::domain::slots::{Slot, best_slots, describe};
use crate::domain::text::one_line;
use crate::domain::time::{format_duration, parse_duration};
use crate::store::capture::find_client;
use anyhow::{Result, bail};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

/// Further ahead than this, a meeting is planned on a calendar, not found here.
const MAX_AHEAD_DAYS: i64 = 60;

pub struct SlotsArgs<'a> {
    pub clients: &'a [String],
    pub next: &'a str,
    pub length: &'a str,
    pub count: usize,
}

pub fn slots(dir: &Path, now: DateTime<Utc>, a: &SlotsArgs<'_>) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_settings(dir);
    let next = parse_duration(a.next).map_err(|e| anyhow::anyhow!("--next: {e}"))?;
    let length = parse_duration(a.length).map_err(|e| anyhow::anyhow!("--length: {e}"))?;
    if next <= Duration::zero() || next > Duration::days(MAX_AHEAD_DAYS) {
        bail!("--next: look between 1 minute and {MAX_AHEAD_DAYS} days ahead (as 5d or 2w)");
    }
    if length <= Duration::zero() || length > Duration::hours(24) {
        bail!("--length: a meeting lasts more than nothing and at most 24h (as 1h or 45m)");
    }
    let mut clients: Vec<&Client> = Vec::new();
    for id in a.clients {
        let Some(c) = find_client(&loaded, Some(id)).map_err(anyhow::Error::msg)? else {
            bail!("name a client: tether slots kanda brandt");
        };
        if let Some(u) = &c.unknown_zone {
            bail!(
                "client {:?}: its zone {:?} ({}) is not one tether knows, so its hours cannot be \
                 placed; fix the zone in {}",
                c.id,
                u.shown(),
                u.at(),
                u.file
            );
        }
        if !clients.iter().any(|k| k.id == c.id) {
            clients.push(c);
        }
    }
    let me = &loaded.model.config.me;
    let found = best_slots(me, &clients, now, now + next, length, a.count);
    out(&render(me.zone_at(now), &clients, &found, next, length))?;
    Ok(if found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render(
    mine: Tz,
    clients: &[&Client],
    found: &[Slot],
    next: Duration,
    length: Duration,
) -> String {
    let names: Vec<String> = clients
        .iter()
        .map(|c| one_line(&c.name).into_owned())
        .collect();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} with {}, in the next {}:",
        format_duration(length),
        names.join(", "),
        format_duration(next)
    );
    if found.is_empty() {
        let _ = writeln!(
            o,
            "  none: their hours never meet for {} in that time (try a shorter --length or a \
             longer --next)",
            format_duration(length)
        );
        return o;
    }
    for (i, s) in found.iter().enumerate() {
        let _ = writeln!(o, "{:>2}. {}", i + 1, describe(s, mine, clients));
    }
    o
}
