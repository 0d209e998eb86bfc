//! The timer's lines (issue 17), built as every new line is (`store::capture`): for `tether
//! track start|stop|add` and the dashboard's `t` alike. Pure: the loaded data, `now` and the
//! words in; the line to append and what it means out.

use super::{Capture, Fields, find_client, nonempty, read_back, trimmed};
use crate::domain::ids::unique_id;
use crate::domain::model::{Client, Deadline, TimeEntry, TimeOn};
use crate::domain::text::one_line;
use crate::domain::time::{local_date, parse_duration, resolve_local};
use crate::domain::timelog::{cap, running};
use crate::domain::when::{When, parse_clock, parse_when, stamp};
use crate::store::files::DataFile;
use crate::store::load::Loaded;
use crate::store::machine::machine_tag;
use crate::store::records::{TimeLine, parse_timelog_lines};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// What a timer or a time entry is on.
// A deadline read again from its line is owned; one target a command, so its size is no matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Target<'a> {
    Deadline(crate::domain::held::Rec<'a, Deadline>),
    Client(&'a Client),
}

impl Target<'_> {
    /// `Q3 market survey report`, or the client's name: one line, for people.
    pub fn title(&self) -> String {
        match self {
            Target::Deadline(d) => one_line(&d.title).into_owned(),
            Target::Client(c) => one_line(&c.name).into_owned(),
        }
    }

    fn client(&self) -> Option<&Client> {
        match self {
            Target::Deadline(_) => None,
            Target::Client(c) => Some(c),
        }
    }
}

/// What `words` name: a deadline by its id, else a client by its id (or in another case).
pub fn find_target<'a>(loaded: &'a Loaded, words: &str) -> Result<Target<'a>, String> {
    let w = nonempty(
        words,
        "what the time is on (a deadline's id or a client's id)",
    )?;
    if let Some(d) = loaded
        .model
        .deadlines
        .iter()
        .find(|d| d.id.as_deref() == Some(w))
    {
        return Ok(Target::Deadline(d));
    }
    match find_client(loaded, Some(w)) {
        Ok(Some(c)) => Ok(Target::Client(c)),
        Ok(None) => Err("name a deadline's id or a client's id".into()),
        Err(e) => Err(format!(
            "no deadline with id {:?} in deadlines.jsonl, and {e}",
            one_line(w)
        )),
    }
}

/// The line that starts a timer on `target` at `now`, with its note.
pub fn start(
    loaded: &Loaded,
    now: DateTime<Utc>,
    target: &Target<'_>,
    note: Option<&str>,
) -> Result<Capture<TimeEntry>, String> {
    let config = &loaded.model.config;
    let mine = config.me.zone_at(now);
    let mut obj = Fields::default();
    obj.push("id", new_id(loaded, now, &target.title()));
    push_target(&mut obj, target);
    obj.push("start", stamp(now, mine));
    if let Some(n) = trimmed(note) {
        obj.push("note", n);
    }
    let line = obj.line();
    let record = entry(read_back(parse_timelog_lines(&line, config), "timer")?)?;
    Ok(Capture {
        file: DataFile::Timelog,
        label: format!("start timer on {}", target.title()),
        line,
        record,
        client: target.client().cloned(),
        zone: mine,
        mine,
        when: None,
    })
}

/// How a running timer is stopped.
#[derive(Debug, Clone, Copy)]
pub enum StopAt<'a> {
    /// Now; a timer past its cap (the end of the working day it started in) ends at the cap.
    Now,
    /// At this time (a time alone is the last time the clock showed it).
    At(&'a str),
    /// After this long from its start.
    Spent(&'a str),
}

/// A stop, built: the line, the entry it stops, when it ends, and whether it ended at its cap
/// because it ran past it.
#[derive(Debug, Clone)]
pub struct Stop<'a> {
    pub capture: Capture<TimeLine>,
    pub entry: &'a TimeEntry,
    pub end: DateTime<Utc>,
    pub capped: bool,
}

/// The line that stops the running timer (the latest started).
pub fn stop<'a>(
    loaded: &'a Loaded,
    now: DateTime<Utc>,
    at: StopAt<'_>,
) -> Result<Stop<'a>, String> {
    let config = &loaded.model.config;
    let me = &config.me;
    let mine = me.zone_at(now);
    let Some(e) = running(&loaded.model.timelog) else {
        return Err("no timer is running".into());
    };
    let (Some(start), Some(id)) = (e.running_since(), e.id.as_deref()) else {
        return Err("the running timer has no id: write its \"end\" into its line".into());
    };
    let limit = cap(me, start);
    let (end, capped) = match at {
        StopAt::Now if now > limit => (limit, true),
        StopAt::Now => (now, false),
        StopAt::At(s) => (past_instant(s, mine, now)?, false),
        StopAt::Spent(s) => {
            let d = parse_duration(s.trim())?;
            let end = start
                .checked_add_signed(d)
                .ok_or_else(|| format!("{s:?} is too long"))?;
            if end > now {
                return Err(format!(
                    "{} from its start is after now: the timer has run {} so far",
                    s.trim(),
                    crate::domain::time::format_working(now - start)
                ));
            }
            (end, false)
        }
    };
    if end < start {
        return Err("that is before the timer started".into());
    }
    if end > now {
        return Err("that is after now: stop a timer at a time that has passed".into());
    }
    let mut obj = Fields::default();
    obj.push("stop", id);
    obj.push("at", stamp(end, mine));
    let line = obj.line();
    let capture = Capture {
        file: DataFile::Timelog,
        label: format!(
            "stop timer on {}{}",
            one_line(&crate::domain::timelog::target_title(&loaded.model, e)),
            if capped {
                format!(
                    " at the end of that working day ({})",
                    end.with_timezone(&mine).format("%H:%M")
                )
            } else {
                String::new()
            }
        ),
        record: read_back(parse_timelog_lines(&line, config), "stop")?,
        line,
        client: None,
        zone: mine,
        mine,
        when: None,
    };
    Ok(Stop {
        capture,
        entry: e,
        end,
        capped,
    })
}

/// The line for time done away from the keyboard: `spent` on `target`, on the day `on` (your
/// calendar; default today).
pub fn add(
    loaded: &Loaded,
    now: DateTime<Utc>,
    spent: &str,
    target: &Target<'_>,
    on: Option<&str>,
    note: Option<&str>,
) -> Result<Capture<TimeEntry>, String> {
    let config = &loaded.model.config;
    let mine = config.me.zone_at(now);
    let d = parse_duration(nonempty(spent, "how long (as 1h30m)")?)?;
    if d <= Duration::zero() {
        return Err("how long must be more than nothing (as 1h30m)".into());
    }
    let day = match trimmed(on) {
        None => local_date(mine, now),
        Some(s) => day_of(s, mine, now)?,
    };
    let mut obj = Fields::default();
    obj.push(
        "id",
        new_id(loaded, now, &format!("{}{spent}", target.title())),
    );
    push_target(&mut obj, target);
    obj.push("spent", spent.trim());
    obj.push("on", day.format("%Y-%m-%d").to_string());
    if let Some(n) = trimmed(note) {
        obj.push("note", n);
    }
    let line = obj.line();
    let record = entry(read_back(parse_timelog_lines(&line, config), "time entry")?)?;
    Ok(Capture {
        file: DataFile::Timelog,
        label: format!("add {} on {}", spent.trim(), target.title()),
        line,
        record,
        client: target.client().cloned(),
        zone: mine,
        mine,
        when: None,
    })
}

fn push_target(obj: &mut Fields, target: &Target<'_>) {
    match target {
        Target::Deadline(d) => obj.push("deadline", d.id.as_deref().unwrap_or_default()),
        Target::Client(c) => obj.push("client", c.id.clone()),
    }
}

fn new_id(loaded: &Loaded, now: DateTime<Utc>, text: &str) -> String {
    let taken = |id: &str| {
        loaded
            .model
            .timelog
            .iter()
            .any(|e| e.id.as_deref() == Some(id))
    };
    unique_id("t", now, text, machine_tag(), taken)
}

fn entry(line: TimeLine) -> Result<TimeEntry, String> {
    match line {
        TimeLine::Entry(e) => Ok(e),
        TimeLine::Stop { .. } => Err("internal error: an entry read back as a stop".into()),
    }
}

/// A time that has passed: a clock time alone (`17:30`) is the last time the clock showed it,
/// anything else as `parse_when` reads it (a day alone is its start).
fn past_instant(s: &str, zone: chrono_tz::Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if let Some(clock) = parse_clock(s.trim()) {
        let today = local_date(zone, now);
        let at = resolve_local(zone, today.and_time(clock)).0;
        return Ok(if at > now {
            resolve_local(
                zone,
                crate::domain::schedule::shift_date(today, -1).and_time(clock),
            )
            .0
        } else {
            at
        });
    }
    let p = parse_when(s, zone, now)?;
    Ok(match p.when {
        When::At(t) => t,
        When::Day(d) => resolve_local(zone, d.and_time(chrono::NaiveTime::MIN)).0,
    })
}

/// The day `s` names on your calendar (`yesterday`, `mon`, `2026-12-04`); a weekday is the last
/// one (time done is in the past).
fn day_of(s: &str, zone: chrono_tz::Tz, now: DateTime<Utc>) -> Result<NaiveDate, String> {
    let p = parse_when(s, zone, now)?;
    let d = match p.when {
        When::Day(d) => d,
        When::At(t) => local_date(zone, t),
    };
    let today = local_date(zone, now);
    if d <= today {
        return Ok(d);
    }
    // `fri` is the coming Friday: time done was on the last one.
    if crate::domain::time::WeekdaySet::parse_day(s.trim()).is_ok() {
        return Ok(d - chrono::TimeDelta::days(7));
    }
    Err(format!(
        "{} has not come yet: time done is on a day that has passed",
        d.format("%a %d %b %Y")
    ))
}

/// What `TimeOn` an entry of `target` has (for tests and callers comparing).
pub fn on_of(target: &Target<'_>) -> TimeOn {
    match target {
        Target::Deadline(d) => TimeOn::Deadline(d.id.as_deref().unwrap_or_default().to_string()),
        Target::Client(c) => TimeOn::Client(c.id.as_str().into()),
    }
}
