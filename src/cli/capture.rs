//! Quick capture from the shell: `tether add followup`, `tether add deadline`, `tether log`.
//!
//! Each builds its line through `store::capture`, as the dashboard's forms do (same zone rule, id
//! rule, key order and read-back check), prints what it understood in the client's zone and
//! yours, then appends it with the dashboard's safe, journalled append, so `u` in the dashboard
//! undoes it. Any mistake in the arguments is an error before anything is written.

use super::light::{load_settings, require_data_dir};
use super::output::{out, out_line};
use crate::domain::model::{Client, FollowupDue};
use crate::domain::text::one_line;
use crate::domain::time::{format_relative, format_working};
use crate::domain::when::When;
use crate::store::capture::{self, Capture, ContactWords, DeadlineWords, FollowupWords};
use crate::store::files::DataFile;
use crate::store::id_on_disk::file_has_id;
use crate::store::write::Store;
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::path::Path;
use std::process::ExitCode;

/// `tether add followup`: the words as the dashboard's form would take them.
pub fn add_followup(
    dir: &Path,
    now: DateTime<Utc>,
    a: &FollowupWords<'_>,
    dry_run: bool,
) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_settings(dir);
    required(
        a.what,
        "what you owe them",
        "tether add followup \"Send revised quote\"",
    )?;
    let c = fresh(dir, DataFile::Followups, now, |at| {
        let c = capture::followup(&loaded, at, a)?;
        Ok((c.record.id.as_deref().map(str::to_string), c))
    })?;
    let (kind, word) = if a.waiting {
        ("waiting on", "chase")
    } else {
        ("follow-up", "due")
    };
    let mut out = format!(
        "{kind}: {}{}\n",
        one_line(&c.record.what),
        whom(a.who, c.client.as_ref())
    );
    match &c.record.due {
        None => out.push_str("  no due date\n"),
        Some(due @ FollowupDue::Day(d)) => {
            out.push_str(&format!(
                "  {word} {} (any time that day, your zone {})\n",
                d.format("%a %d %b %Y"),
                c.mine.name()
            ));
            if capture::day_is_past(due, c.mine, now) {
                out.push_str("  note: that day is already past\n");
            }
        }
        Some(FollowupDue::At(t)) => out.push_str(&due_line(word, *t, c.zone, c.mine, now, "")),
    }
    notes(&mut out, c.note());
    finish(dir, &c, now, dry_run, out)
}

/// `tether add deadline`.
pub fn add_deadline(
    dir: &Path,
    now: DateTime<Utc>,
    a: &DeadlineWords<'_>,
    dry_run: bool,
) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_settings(dir);
    required(
        a.title,
        "the deadline's title",
        "tether add deadline \"Q4 report\"",
    )?;
    let c = fresh(dir, DataFile::Deadlines, now, |at| {
        let c = capture::deadline(&loaded, at, a)?;
        Ok((c.record.id.as_deref().map(str::to_string), c))
    })?;
    let mut out = format!(
        "deadline: {}{}\n",
        one_line(&c.record.title),
        whom(None, c.client.as_ref())
    );
    let day = matches!(c.when.as_ref().map(|p| p.when), Some(When::Day(_)));
    let why = match (day, &c.client) {
        (true, Some(_)) => ", the end of their business day",
        (true, None) => ", the end of the working day",
        _ => "",
    };
    out.push_str(&due_line("due", c.record.due, c.zone, c.mine, now, why));
    if c.record.estimate.is_some() {
        out.push_str(&format!(
            "  needs {}\n",
            format_working(c.record.remaining(now))
        ));
    }
    notes(&mut out, c.note());
    finish(dir, &c, now, dry_run, out)
}

/// `tether log`.
pub fn log(
    dir: &Path,
    now: DateTime<Utc>,
    a: &ContactWords<'_>,
    dry_run: bool,
) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_settings(dir);
    let config = &loaded.model.config;
    // The client is named first: an unknown one is the first thing to hear about.
    capture::find_client(&loaded, Some(a.client)).map_err(anyhow::Error::msg)?;
    required(a.kind, "the kind of contact", "tether log kanda call")?;
    let c = capture::contact(&loaded, now, a).map_err(anyhow::Error::msg)?;
    let kind = a.kind.trim().to_lowercase();
    let Some(client) = &c.client else {
        bail!("internal error: a contact without its client");
    };
    let mut out = format!(
        "{kind} with {}{}\n",
        one_line(&client.name),
        whom(a.who, None)
    );
    out.push_str(&format!(
        "  at {}\n",
        capture::in_both_zones(c.record.at, c.mine, c.zone)
    ));
    for n in capture::contact_notes(config, &c, now) {
        out.push_str(&format!("  note: {n}\n"));
    }
    finish(dir, &c, now, dry_run, out)
}

/// A capture is built from tether.toml alone (`load_settings`: the records are not read, so a
/// directory of millions of lines costs `add` nothing); the one thing it asked of them, that a
/// new id is not taken, this asks the file.
///
/// A capture whose id is not already in `file` on disk (read a block at a time): built again
/// a nanosecond later while it is, as `unique_id` does against the loaded records.
fn fresh<R>(
    dir: &Path,
    file: DataFile,
    now: DateTime<Utc>,
    build: impl Fn(DateTime<Utc>) -> Result<(Option<String>, Capture<R>), String>,
) -> Result<Capture<R>> {
    let path = dir.join(file.file_name());
    let mut at = now;
    loop {
        let (id, c) = build(at).map_err(anyhow::Error::msg)?;
        match id {
            Some(id) if file_has_id(&path, &id) && at - now < chrono::Duration::microseconds(1) => {
                at += chrono::Duration::nanoseconds(1);
            }
            _ => return Ok(c),
        }
    }
}

/// Print what was understood, then append (unless a dry run) and say where it went.
pub(super) fn finish<R>(
    dir: &Path,
    c: &Capture<R>,
    now: DateTime<Utc>,
    dry_run: bool,
    mut summary: String,
) -> Result<ExitCode> {
    // What was written is right whatever the zone turns out to be (capture refused the rest),
    // but how it is shown until the zone is fixed is not.
    if let Some(client) = &c.client
        && let Some(u) = &client.unknown_zone
    {
        summary.push_str(&format!(
            "  note: the client's {}\n",
            u.describe(client.zone)
        ));
    }
    let file = c.file;
    if dry_run {
        out(&summary)?;
        out_line(&format!("would add to {}:\n  {}", file.file_name(), c.line))?;
        return Ok(ExitCode::SUCCESS);
    }
    let change = Store::new(dir)
        .append(file, &c.line, &c.label, now)
        .with_context(|| format!("could not add to {}", file.file_name()))?;
    out(&summary)?;
    out_line(&format!(
        "added to {}:{} (u in the dashboard undoes it)",
        file.file_name(),
        change.line
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn required<'a>(value: &'a str, what: &str, example: &str) -> Result<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        bail!("{what} is empty; write it in quotes, e.g. {example}");
    }
    Ok(v)
}

fn whom(who: Option<&str>, client: Option<&Client>) -> String {
    let who = who.map(str::trim).filter(|w| !w.is_empty()).map(one_line);
    match (who, client) {
        (Some(w), Some(c)) => format!(" ({w}, {})", one_line(&c.name)),
        (Some(w), None) => format!(" ({w})"),
        (None, Some(c)) => format!(" ({})", one_line(&c.name)),
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
        format!("{}; already past", format_relative(t - now))
    } else {
        format_relative(t - now)
    };
    format!(
        "  {word} {}{why}{} ({ahead})\n",
        capture::wall(t, zone),
        capture::also_in(t, zone, mine)
    )
}

fn notes(out: &mut String, note: Option<&str>) {
    if let Some(n) = note {
        out.push_str(&format!("  note: {n}\n"));
    }
}
