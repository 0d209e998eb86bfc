//! Quick capture from the shell: `tether add followup`, `tether add deadline`, `tether log`.
//!
//! Each builds one record line, reads it back through the same parser the dashboard loads with
//! (so what is written is exactly what will be shown), prints what it understood in the client's
//! zone and yours, then appends it with the dashboard's safe, journalled append, so `u` in the
//! dashboard undoes it. Any mistake in the arguments is an error before anything is written.

use super::agenda::{relative, when};
use super::light::{load_light, require_data_dir};
use crate::domain::model::{Client, Config, FollowupDue};
use crate::domain::time::{format_duration, local_date, parse_duration};
use crate::domain::when::{Parsed, When, parse_when, stamp, unique_id};
use crate::store::config::nearest;
use crate::store::load::Loaded;
use crate::store::records::{parse_deadlines, parse_followups, parse_interactions};
use crate::store::write::{DataFile, Store};
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

/// `tether add followup`.
pub struct FollowupArgs<'a> {
    pub what: &'a str,
    pub client: Option<&'a str>,
    pub due: Option<&'a str>,
    pub who: Option<&'a str>,
    pub waiting: bool,
    pub dry_run: bool,
}

/// `tether add deadline`.
pub struct DeadlineArgs<'a> {
    pub title: &'a str,
    pub client: Option<&'a str>,
    pub due: &'a str,
    pub estimate: Option<&'a str>,
    pub spent: Option<&'a str>,
    pub dry_run: bool,
}

/// `tether log`.
pub struct LogArgs<'a> {
    pub client: &'a str,
    pub kind: &'a str,
    pub note: Option<&'a str>,
    pub who: Option<&'a str>,
    pub at: Option<&'a str>,
    pub dry_run: bool,
}

pub fn add_followup(dir: &Path, now: DateTime<Utc>, a: &FollowupArgs<'_>) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_light(dir);
    let config = &loaded.model.config;
    let what = required(
        a.what,
        "what you owe them",
        "tether add followup \"Send revised quote\"",
    )?;
    let client = find_client(&loaded, a.client)?;
    let mine = config.me.zone_at(now);
    let zone = client.map_or(mine, |c| c.zone);
    let due = match a.due {
        None => None,
        Some(s) => {
            let p = parse_when(s, zone, now).map_err(anyhow::Error::msg)?;
            // A follow-up's day is a day in your zone (the data format), so day words count on
            // your calendar; times stay in the client's zone.
            Some(match p.when {
                When::Day(_) => parse_when(s, mine, now).map_err(anyhow::Error::msg)?,
                When::At(_) => p,
            })
        }
    };
    let taken = |id: &str| {
        loaded
            .model
            .followups
            .iter()
            .any(|f| f.id.as_deref() == Some(id))
    };
    let mut obj = Fields::new();
    obj.push("id", unique_id("f", now, what, taken).into());
    if let Some(c) = client {
        obj.push("client", c.id.clone().into());
    }
    if let Some(w) = a.who.map(str::trim).filter(|w| !w.is_empty()) {
        obj.push("who", w.into());
    }
    obj.push("what", what.into());
    if let Some(p) = &due {
        obj.push("due", p.to_value(zone).into());
    }
    if a.waiting {
        obj.push("waiting", true.into());
    }
    obj.push("status", "open".into());
    obj.push("created", stamp(now, mine).into());
    let line = obj.line();

    // Read it back exactly as the dashboard will.
    let (records, diags) = parse_followups(&line, config);
    let record = match (records.first(), diags.iter().find(|d| d.is_error())) {
        (Some(r), None) => r,
        (_, Some(d)) => bail!("{}", d.message),
        (None, None) => bail!("internal error: the new follow-up did not read back"),
    };
    let (kind, word) = if a.waiting {
        ("waiting on", "chase")
    } else {
        ("follow-up", "due")
    };
    let mut out = format!("{kind}: {what}{}\n", whom(a.who, client));
    match record.due {
        None => out.push_str("  no due date\n"),
        Some(FollowupDue::Day(d)) => {
            out.push_str(&format!(
                "  {word} {} (any time that day, your zone {})\n",
                d.format("%a %d %b %Y"),
                mine.name()
            ));
            if d < local_date(mine, now) {
                out.push_str("  note: that day is already past\n");
            }
        }
        Some(FollowupDue::At(t)) => out.push_str(&due_line(word, t, zone, mine, now, "")),
    }
    notes(&mut out, due.as_ref());
    let label = format!("add: {what}");
    finish(dir, DataFile::Followups, &line, &label, now, a.dry_run, out)
}

pub fn add_deadline(dir: &Path, now: DateTime<Utc>, a: &DeadlineArgs<'_>) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_light(dir);
    let config = &loaded.model.config;
    let title = required(
        a.title,
        "the deadline's title",
        "tether add deadline \"Q4 report\"",
    )?;
    let client = find_client(&loaded, a.client)?;
    let mine = config.me.zone_at(now);
    let zone = client.map_or(mine, |c| c.zone);
    let due = parse_when(a.due, zone, now).map_err(anyhow::Error::msg)?;
    let duration = |name: &str, v: Option<&str>| -> Result<Option<String>> {
        match v.map(str::trim) {
            None => Ok(None),
            Some(s) => match parse_duration(s) {
                Ok(_) => Ok(Some(s.to_string())),
                Err(e) => bail!("--{name}: {e}"),
            },
        }
    };
    let estimate = duration("estimate", a.estimate)?;
    let spent = duration("spent", a.spent)?;
    let taken = |id: &str| {
        loaded
            .model
            .deadlines
            .iter()
            .any(|d| d.id.as_deref() == Some(id))
    };
    let mut obj = Fields::new();
    obj.push("id", unique_id("d", now, title, taken).into());
    if let Some(c) = client {
        obj.push("client", c.id.clone().into());
    }
    obj.push("title", title.into());
    obj.push("due", due.to_value(zone).into());
    if let Some(e) = estimate {
        obj.push("estimate", e.into());
    }
    if let Some(s) = spent {
        obj.push("spent", s.into());
    }
    obj.push("status", "open".into());
    let line = obj.line();

    let (records, diags) = parse_deadlines(&line, config);
    let record = match (records.first(), diags.iter().find(|d| d.is_error())) {
        (Some(r), None) => r,
        (_, Some(d)) => bail!("{}", d.message),
        (None, None) => bail!("internal error: the new deadline did not read back"),
    };
    let mut out = format!("deadline: {title}{}\n", whom(None, client));
    let why = match (due.when, client) {
        (When::Day(_), Some(_)) => ", the end of their business day",
        (When::Day(_), None) => ", the end of the working day",
        _ => "",
    };
    out.push_str(&due_line("due", record.due, zone, mine, now, why));
    if record.estimate.is_some() {
        out.push_str(&format!(
            "  needs {}\n",
            format_duration(record.remaining())
        ));
    }
    notes(&mut out, Some(&due));
    let label = format!("add deadline: {title}");
    finish(dir, DataFile::Deadlines, &line, &label, now, a.dry_run, out)
}

pub fn log(dir: &Path, now: DateTime<Utc>, a: &LogArgs<'_>) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_light(dir);
    let config = &loaded.model.config;
    let Some(client) = find_client(&loaded, Some(a.client))? else {
        bail!("name the client: tether log kanda call \"Discussed Q4 scope\"");
    };
    let kind = required(a.kind, "the kind of contact", "tether log kanda call")?.to_lowercase();
    let mine = config.me.zone_at(now);
    let at = match a.at {
        None => None,
        Some(s) => Some(parse_when(s, client.zone, now).map_err(anyhow::Error::msg)?),
    };
    let mut obj = Fields::new();
    let written_at = at
        .as_ref()
        .map_or_else(|| stamp(now, mine), |p| p.to_value(client.zone));
    obj.push("at", written_at.into());
    obj.push("client", client.id.clone().into());
    obj.push("kind", kind.clone().into());
    if let Some(w) = a.who.map(str::trim).filter(|w| !w.is_empty()) {
        obj.push("who", w.into());
    }
    if let Some(n) = a.note.map(str::trim).filter(|n| !n.is_empty()) {
        obj.push("note", n.into());
    }
    let line = obj.line();
    let (records, diags) = parse_interactions(&line, config);
    let record = match (records.first(), diags.iter().find(|d| d.is_error())) {
        (Some(r), None) => r,
        (_, Some(d)) => bail!("{}", d.message),
        (None, None) => bail!("internal error: the new contact did not read back"),
    };
    let mut out = format!("{kind} with {}{}\n", client.name, whom(a.who, None));
    out.push_str(&at_line(record.at, client.zone, mine));
    if record.at > now {
        out.push_str("  note: that is in the future; it warms the client only from then on\n");
    }
    if !config.heat.weights.contains_key(&kind) {
        let known: Vec<&str> = config.heat.weights.keys().map(String::as_str).collect();
        let hint = nearest(&kind, &known)
            .map(|k| format!(" (did you mean {k:?}?)"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  note: {kind:?} is not in [heat.weights], so it weighs 1{hint}\n"
        ));
    }
    notes(&mut out, at.as_ref());
    let label = format!("log {kind} with {}", client.id);
    finish(
        dir,
        DataFile::Interactions,
        &line,
        &label,
        now,
        a.dry_run,
        out,
    )
}

/// A record's fields in the order a person would write them (serde_json's map sorts keys).
struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    fn new() -> Fields {
        Fields(Vec::new())
    }

    fn push(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }

    /// One JSON object on one line.
    fn line(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}:{v}", Value::from(*k)))
            .collect();
        format!("{{{}}}", parts.join(","))
    }
}

/// Print what was understood, then append (unless a dry run) and say where it went.
fn finish(
    dir: &Path,
    file: DataFile,
    line: &str,
    label: &str,
    now: DateTime<Utc>,
    dry_run: bool,
    summary: String,
) -> Result<ExitCode> {
    if dry_run {
        print!("{summary}");
        println!("would add to {}:\n  {line}", file.file_name());
        return Ok(ExitCode::SUCCESS);
    }
    let change = Store::new(dir)
        .append(file, line, label, now)
        .with_context(|| format!("could not add to {}", file.file_name()))?;
    print!("{summary}");
    println!(
        "added to {}:{} (u in the dashboard undoes it)",
        file.file_name(),
        change.line
    );
    Ok(ExitCode::SUCCESS)
}

fn required<'a>(value: &'a str, what: &str, example: &str) -> Result<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        bail!("{what} is empty; write it in quotes, e.g. {example}");
    }
    Ok(v)
}

/// The client named on the command line; an unknown id is an error that lists the known ones.
fn find_client<'a>(loaded: &'a Loaded, id: Option<&str>) -> Result<Option<&'a Client>> {
    let Some(id) = id.map(str::trim) else {
        return Ok(None);
    };
    let config: &Config = &loaded.model.config;
    if let Some(c) = config.client(id) {
        return Ok(Some(c));
    }
    // The files need the exact id; a different case is still unambiguous.
    let by_case: Vec<&Client> = config
        .clients
        .iter()
        .filter(|c| c.id.eq_ignore_ascii_case(id))
        .collect();
    if let [c] = by_case.as_slice() {
        return Ok(Some(c));
    }
    let ids: Vec<&str> = config.clients.iter().map(|c| c.id.as_str()).collect();
    let hint = nearest(id, &ids)
        .map(|n| format!("did you mean {n:?}? "))
        .unwrap_or_default();
    let known = if ids.is_empty() {
        "tether.toml has no [[clients]] yet".to_string()
    } else {
        format!("the client ids in tether.toml are {}", ids.join(", "))
    };
    let broken = if loaded
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.file == "tether.toml")
    {
        "; tether.toml has errors, see `tether check`"
    } else {
        ""
    };
    bail!("unknown client {id:?}: {hint}{known}{broken}")
}

fn whom(who: Option<&str>, client: Option<&Client>) -> String {
    let who = who.map(str::trim).filter(|w| !w.is_empty());
    match (who, client) {
        (Some(w), Some(c)) => format!(" ({w}, {})", c.name),
        (Some(w), None) => format!(" ({w})"),
        (None, Some(c)) => format!(" ({})", c.name),
        (None, None) => String::new(),
    }
}

/// `  due Fri 27 Nov 17:00 JST = 18:00 AEST (in 2d 7h)`; the second side names its date only
/// when it differs.
fn due_line(
    word: &str,
    t: DateTime<Utc>,
    zone: Tz,
    mine: Tz,
    now: DateTime<Utc>,
    why: &str,
) -> String {
    let ahead = if t < now {
        format!("{}; already past", relative(t, now))
    } else {
        relative(t, now)
    };
    format!(
        "  {word} {}{why}{} ({ahead})\n",
        when(t, zone),
        also_mine(t, zone, mine)
    )
}

fn at_line(t: DateTime<Utc>, zone: Tz, mine: Tz) -> String {
    format!("  at {}{}\n", when(t, mine), also_mine(t, mine, zone))
}

/// ` = 18:00 AEST` (or ` = Sat 28 Nov 01:00 AEST` across midnight); nothing in one zone.
fn also_mine(t: DateTime<Utc>, zone: Tz, other: Tz) -> String {
    if zone == other {
        return String::new();
    }
    let a = t.with_timezone(&zone);
    let b = t.with_timezone(&other);
    if a.date_naive() == b.date_naive() {
        format!(" = {}", b.format("%H:%M %Z"))
    } else {
        format!(" = {}", when(t, other))
    }
}

fn notes(out: &mut String, parsed: Option<&Parsed>) {
    if let Some(n) = parsed.and_then(|p| p.note.as_ref()) {
        out.push_str(&format!("  note: {n}\n"));
    }
}
