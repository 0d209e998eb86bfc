//! `tether track start|stop|add` (issue 17): the timer from the shell. Each line is built by
//! `store::capture::timer` (as the dashboard's `t` builds it), printed as understood, then
//! appended with the journalled append (`u` in the dashboard undoes it), as `tether log` does.

use super::capture::finish;
use super::light::require_data_dir;
use crate::domain::model::{Model, TimeEntry, TimeSpan};
use crate::domain::time::format_working;
use crate::domain::timelog::{attach, cap, flag};
use crate::store::capture::timer::{self, StopAt, Target};
use crate::store::load::Loaded;
use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::path::Path;
use std::process::ExitCode;

/// What `track` reads: tether.toml, the time log, and of the deadlines only the one `on` names
/// and those the time log is on (the running timer's, the ones whose spent time it says), so
/// a file of millions of other lines is not held (issue 13). No follow-up, no contact. Read
/// whole (but the contacts) when the time log changed between the two reads.
fn load_for_track(dir: &Path, on: Option<&str>) -> Loaded {
    use crate::domain::model::{Deadline, Followup};
    let on = on.map(|s| s.trim().to_string());
    crate::store::load::load_decided(dir, false, |_, timelog| {
        let named = crate::domain::timelog::deadline_ids(timelog);
        (
            move |d: &Deadline| {
                d.id.as_deref()
                    .is_some_and(|id| Some(id) == on.as_deref() || named.contains(id))
            },
            |_: &Followup| false,
        )
    })
}

/// `tether track start`: a timer already running is stopped first (at now, or at the end of
/// its working day), then the new one starts.
pub fn start(
    dir: &Path,
    now: DateTime<Utc>,
    on: &str,
    note: Option<&str>,
    dry_run: bool,
) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_for_track(dir, Some(on));
    let target = timer::find_target(&loaded, on).map_err(anyhow::Error::msg)?;
    let c = timer::start(&loaded, now, &target, note).map_err(anyhow::Error::msg)?;
    if let Some(e) = crate::domain::timelog::running(&loaded.model.timelog) {
        if e.on == timer::on_of(&target) {
            let since = crate::domain::timelog::since(
                &loaded.model.config.me,
                e.running_since().unwrap_or(now),
                now,
            );
            return Err(anyhow!(
                "a timer on {} runs already (since {since}); nothing was written",
                target.title()
            ));
        }
        stop(dir, now, StopAt::Now, dry_run)?;
    }
    let me = &loaded.model.config.me;
    let mine = c.mine;
    let mut summary = format!("timer started on {}\n", target.title());
    summary.push_str(&format!("  at {}\n", hm(now, mine)));
    summary.push_str(&format!(
        "  counts until {}, the end of your working day; stop it before, or say how long then\n",
        hm(cap(me, now), mine)
    ));
    finish(dir, &c, now, dry_run, summary)
}

/// `tether track stop`.
pub fn stop(dir: &Path, now: DateTime<Utc>, at: StopAt<'_>, dry_run: bool) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_for_track(dir, None);
    let s = timer::stop(&loaded, now, at).map_err(anyhow::Error::msg)?;
    let mine = s.capture.mine;
    let start = s.entry.running_since().unwrap_or(s.end);
    let title = crate::domain::text::one_line(&crate::domain::timelog::target_title(
        &loaded.model,
        s.entry,
    ))
    .into_owned();
    let same_day =
        start.with_timezone(&mine).date_naive() == s.end.with_timezone(&mine).date_naive();
    let end = if same_day {
        s.end.with_timezone(&mine).format("%H:%M").to_string()
    } else {
        hm(s.end, mine)
    };
    let mut summary = format!(
        "timer stopped on {title}: {} ({} – {end})\n",
        format_working(s.end - start),
        hm(start, mine),
    );
    if s.capped {
        summary.push_str(&format!(
            "  note: it ran past the end of your working day, so it ends then; if you worked \
             longer, add it: tether track add DURATION {}\n",
            target_words(s.entry)
        ));
    }
    let mut after = loaded.model.clone();
    if let Some(e) = after
        .timelog
        .iter_mut()
        .find(|e| e.id == s.entry.id && e.line == s.entry.line)
        && let TimeSpan::Timed { end, .. } = &mut e.span
    {
        *end = Some(s.end);
    }
    summary.push_str(&spent_line(&mut after, s.entry, now));
    finish(dir, &s.capture, now, dry_run, summary)
}

/// `tether track add`.
pub fn add(
    dir: &Path,
    now: DateTime<Utc>,
    spent: &str,
    on: &str,
    day: Option<&str>,
    note: Option<&str>,
    dry_run: bool,
) -> Result<ExitCode> {
    require_data_dir(dir)?;
    let loaded = load_for_track(dir, Some(on));
    let target = timer::find_target(&loaded, on).map_err(anyhow::Error::msg)?;
    let c = timer::add(&loaded, now, spent, &target, day, note).map_err(anyhow::Error::msg)?;
    let TimeSpan::Hand { spent: d, on: day } = c.record.span else {
        return Err(anyhow!("internal error: a time entry without its length"));
    };
    let mut summary = format!(
        "{} on {}{}\n",
        format_working(d),
        target.title(),
        day.map(|d| format!(", {}", d.format("%a %d %b %Y")))
            .unwrap_or_default()
    );
    if let Target::Deadline(_) = target {
        let mut after = loaded.model.clone();
        after.timelog.push(c.record.clone());
        summary.push_str(&spent_line(&mut after, &c.record, now));
    }
    if let Some(e) = crate::domain::timelog::running(&loaded.model.timelog)
        && let Some(start) = e.running_since()
        && let Some(f) = flag(&loaded.model.config.me, start, now)
    {
        summary.push_str(&format!("  note: {f}\n"));
    }
    finish(dir, &c, now, dry_run, summary)
}

/// `  Q3 market survey report: 5h 12m spent of 14h, 8h 48m to do` for a deadline's entry, with
/// the log as it will be (`after`); nothing for a client's.
fn spent_line(after: &mut Model, e: &TimeEntry, now: DateTime<Utc>) -> String {
    attach(after);
    let Some(d) = crate::domain::timelog::deadline_of(after, e) else {
        return String::new();
    };
    let title = crate::domain::text::one_line(&d.title);
    match d.estimate {
        Some(est) => format!(
            "  {title}: {} spent of {}, {} to do\n",
            format_working(d.spent_at(now)),
            format_working(est),
            format_working(d.remaining(now))
        ),
        None => format!("  {title}: {} spent\n", format_working(d.spent_at(now))),
    }
}

/// The words naming an entry's target on the command line.
fn target_words(e: &TimeEntry) -> String {
    match &e.on {
        crate::domain::model::TimeOn::Deadline(id) => {
            crate::domain::text::one_line(id).into_owned()
        }
        crate::domain::model::TimeOn::Client(c) => c.to_string(),
    }
}

/// `Mon 07 Dec 09:00 AEST`.
fn hm(t: DateTime<Utc>, zone: Tz) -> String {
    crate::store::capture::wall(t, zone)
}

/// The running timer, for `status` and the header: `⏱ 1h 12m on Q3 report`, flagged when it
/// ran past its working day.
pub fn running_line(loaded: &Loaded, now: DateTime<Utc>) -> Option<String> {
    let e = crate::domain::timelog::running(&loaded.model.timelog)?;
    crate::domain::timelog::describe_running(&loaded.model, e, now)
}
