//! `tether import ics FILE --client ID`: says what the calendar adds and changes, then (unless
//! `--dry-run`) writes it with the journalled append and rewrite, so `u` takes each back.

use super::args::ImportAs;
use super::light::require_data_dir;
use super::output::out;
use crate::domain::text::one_line;
use crate::domain::time::parse_duration;
use crate::store::capture::find_client;
use crate::store::ics_import::{Planned, Step, Target, When, plan};
use crate::store::journal::Store;
use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

/// Repeats are expanded at most this far ahead.
const MAX_AHEAD_DAYS: i64 = 400;

pub struct ImportArgs<'a> {
    pub file: &'a Path,
    pub client: &'a str,
    pub target: Option<ImportAs>,
    pub next: &'a str,
    pub dry_run: bool,
}

pub fn import_ics(dir: &Path, now: DateTime<Utc>, a: &ImportArgs<'_>) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let next = parse_duration(a.next).map_err(|e| anyhow!("--next: {e}"))?;
    if next <= Duration::zero() || next > Duration::days(MAX_AHEAD_DAYS) {
        bail!("--next: look between 1 minute and {MAX_AHEAD_DAYS} days ahead (as 90d or 26w)");
    }
    let text =
        std::fs::read(a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let text = String::from_utf8_lossy(&text);
    let loaded = load_for_import(dir, a.client);
    let client = find_client(&loaded, Some(a.client))
        .map_err(anyhow::Error::msg)?
        .ok_or_else(|| anyhow!("--client is empty; name the client the calendar is for"))?;
    if let Some(u) = &client.unknown_zone {
        bail!(
            "client \"{}\": {}; fix it in tether.toml before importing its calendar",
            client.id,
            u.describe(client.zone)
        );
    }
    let target = match a.target {
        None => Target::ByKind,
        Some(ImportAs::Deadlines) => Target::Deadlines,
        Some(ImportAs::Followups) => Target::Followups,
    };
    let plan = plan(&text, client, target, &loaded.model, now, now + next)
        .map_err(|e| anyhow!("{}: {e}", a.file.display()))?;
    let mine = loaded.model.config.me.zone_at(now);
    let mut o = String::new();
    let count = |f: fn(&Step) -> bool| plan.items.iter().filter(|p| f(&p.step)).count();
    let (adds, updates) = (
        count(|s| matches!(s, Step::Add(_))),
        count(|s| matches!(s, Step::Update { .. })),
    );
    for p in &plan.items {
        let what = match &p.step {
            Step::Add(_) => "add",
            Step::Update { .. } => "update",
            Step::Same => "same",
            Step::KeptEdited => "keep (you changed it since the last import)",
            Step::Closed => "keep (closed)",
        };
        let _ = writeln!(
            o,
            "{what:<6} {}: {} — {}",
            p.file.file_name(),
            one_line(&p.title),
            when(p, mine)
        );
    }
    for problem in &plan.problems {
        let _ = writeln!(o, "skipped: {}", one_line(problem));
    }
    for g in &plan.gone {
        let _ = writeln!(
            o,
            "gone   {}: {} — {} (not in this file any more: kept; mark it done or dropped if it was cancelled)",
            g.file.file_name(),
            one_line(&g.title),
            g.due
                .with_timezone(&client.zone)
                .format("%a %d %b %Y %H:%M %Z")
        );
    }
    let _ = writeln!(
        o,
        "{adds} to add, {updates} to update, {} as they are; {} past and {} cancelled left out",
        plan.items.len() - adds - updates,
        plan.past,
        plan.cancelled
    );
    if a.dry_run {
        o.push_str("nothing written (--dry-run)\n");
        out(&o)?;
        return Ok(ExitCode::SUCCESS);
    }
    let store = Store::new(dir);
    for p in &plan.items {
        let label = format!("import: {}", crate::domain::text::head(&p.title, 40));
        match &p.step {
            Step::Add(line) => {
                store
                    .append(p.file, line, &label, now)
                    .with_context(|| format!("could not add to {}", p.file.file_name()))?;
            }
            Step::Update {
                id,
                original_text,
                changes,
            } => {
                store
                    .rewrite(p.file, Some(id), original_text, changes, &label, now)
                    .with_context(|| format!("could not update {}", p.file.file_name()))?;
            }
            _ => {}
        }
    }
    out(&o)?;
    Ok(ExitCode::SUCCESS)
}

/// What an import reads: tether.toml and, of the records, only the client's: an imported
/// record's id comes from its client, and what is gone from the calendar is looked for among
/// the client's (issue 13: a file of millions of other lines is not held). No contact.
fn load_for_import(dir: &Path, client: &str) -> crate::store::load::Loaded {
    use crate::domain::model::{Deadline, Followup};
    crate::store::load::load_decided(dir, false, |settings, _| {
        // The client as the import will take it (`find_client`'s one rule).
        let wanted: Option<String> = find_client(settings, Some(client))
            .ok()
            .flatten()
            .map(|c| c.id.clone());
        let ours = move |c: Option<&str>| c.is_some_and(|c| Some(c) == wanted.as_deref());
        let ours2 = ours.clone();
        (
            move |d: &Deadline| ours(d.client.as_deref()),
            move |f: &Followup| ours2(f.client.as_deref()),
        )
    })
}

/// "Fri 27 Nov 09:00 JST (10:00 AEST)", or a day.
fn when(p: &Planned, mine: Tz) -> String {
    match p.when {
        When::Day(d) => d.format("%a %d %b %Y (all day)").to_string(),
        When::At(t, z) => {
            let there = t.with_timezone(&z);
            let here = t.with_timezone(&mine);
            format!(
                "{} ({} yours)",
                there.format("%a %d %b %Y %H:%M %Z"),
                here.format("%a %H:%M %Z")
            )
        }
    }
}
