//! timelog.jsonl, the timer's log (issue 17): its keys, how one line becomes an entry or a stop,
//! and how the stops are folded into the entries they end ([`fold`]).
//!
//! An entry: `{"id":"t-…","deadline":"d-…","start":"2026-12-07T09:00+10:00"}` (running), with
//! `"end"` once finished, or `{"id":"t-…","client":"kanda","spent":"1h30m","on":"2026-12-07"}`
//! typed by hand; `"note"` optional. A stop: `{"stop":"t-…","at":"2026-12-07T10:12+10:00"}`,
//! appended by `tether track stop` and `t` (docs/data-format.md).

use super::fields::{Ctx, Fields, Kind, Mode, Skip};
use super::merge::parse_text;
use crate::domain::model::{Config, TimeEntry, TimeOn, TimeSpan};
use crate::domain::time::{TimeValue, parse_time_value};
use crate::store::diagnostic::Diagnostic;
use crate::store::files::TIMELOG_FILE;
use chrono::{DateTime, NaiveTime, Utc};
use std::collections::HashMap;

pub(super) const TIMELOG_FIELDS: &[&str] = &[
    "id", "deadline", "client", "start", "end", "spent", "on", "note", "zone", "stop", "at",
];

fn timelog_slot(k: &str) -> Option<usize> {
    TIMELOG_FIELDS.iter().position(|f| *f == k)
}

/// One line of timelog.jsonl.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeLine {
    Entry(TimeEntry),
    /// `{"stop":"t-…","at":…}`: the timer with that id ends at `at`.
    Stop {
        line: usize,
        of: String,
        at: DateTime<Utc>,
    },
}

/// timelog.jsonl.
pub struct TimeLines;

/// timelog.jsonl's lines as they are (stops not folded in): what capture reads a new line back
/// with.
pub fn parse_timelog_lines(text: &str, config: &Config) -> (Vec<TimeLine>, Vec<Diagnostic>) {
    parse_text::<TimeLines>(text, &Ctx::new(config), Mode::All)
}

/// Read timelog.jsonl's text: its entries, stops folded in, and the problems found.
pub fn parse_timelog(text: &str, config: &Config) -> (Vec<TimeEntry>, Vec<Diagnostic>) {
    let (lines, mut diags) = parse_text::<TimeLines>(text, &Ctx::new(config), Mode::All);
    let entries = fold(lines, &mut diags);
    (entries, diags)
}

/// The stops put into the entries they end: of several stops of one timer the earliest counts
/// (the same whichever machine's line came first after a merge); a stop of no known timer, or
/// one before its timer's start, is a warning at its line and changes nothing.
pub fn fold(lines: Vec<TimeLine>, diags: &mut Vec<Diagnostic>) -> Vec<TimeEntry> {
    let mut entries = Vec::with_capacity(lines.len());
    let mut stops: Vec<(usize, String, DateTime<Utc>)> = Vec::new();
    for l in lines {
        match l {
            TimeLine::Entry(e) => entries.push(e),
            TimeLine::Stop { line, of, at } => stops.push((line, of, at)),
        }
    }
    if stops.is_empty() {
        return entries;
    }
    let by_id: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.id.as_deref().map(|id| (id, i)))
        .collect();
    let mut ends: HashMap<usize, DateTime<Utc>> = HashMap::new();
    let mut added = Vec::new();
    for (line, of, at) in stops {
        let Some(&i) = by_id.get(of.as_str()) else {
            added.push(Diagnostic::warning(
                TIMELOG_FILE,
                line,
                format!(
                    "stop of \"{of}\": no timer with that id in this file; the line is ignored"
                ),
            ));
            continue;
        };
        match entries[i].span {
            TimeSpan::Timed { start, end: None } if at >= start => {
                let e = ends.entry(i).or_insert(at);
                *e = (*e).min(at);
            }
            TimeSpan::Timed { end: None, .. } => added.push(Diagnostic::warning(
                TIMELOG_FILE,
                line,
                format!("stop of \"{of}\" is before its start; the line is ignored"),
            )),
            // Already ended by its own "end" (a hand edit), or a hand entry: nothing to stop.
            _ => {}
        }
    }
    for (i, at) in ends {
        if let TimeSpan::Timed { end, .. } = &mut entries[i].span {
            *end = Some(at);
        }
    }
    if !added.is_empty() {
        diags.extend(added);
        diags.sort_by_key(|d| (d.line, !d.is_error()));
    }
    entries
}

impl Kind for TimeLines {
    type Rec = TimeLine;
    const FILE: &'static str = TIMELOG_FILE;
    const KNOWN: &'static [&'static str] = TIMELOG_FIELDS;
    const HAS_STATUS: bool = false;
    fn slot(k: &str) -> Option<usize> {
        timelog_slot(k)
    }
    fn id(r: &TimeLine) -> Option<&str> {
        match r {
            TimeLine::Entry(e) => e.id.as_deref(),
            TimeLine::Stop { .. } => None,
        }
    }
    fn line(r: &TimeLine) -> usize {
        match r {
            TimeLine::Entry(e) => e.line,
            TimeLine::Stop { line, .. } => *line,
        }
    }
    fn line_mut(r: &mut TimeLine) -> &mut usize {
        match r {
            TimeLine::Entry(e) => &mut e.line,
            TimeLine::Stop { line, .. } => line,
        }
    }
    fn parse(f: &mut Fields<'_, '_, '_>, _text: &str) -> Result<TimeLine, Skip> {
        if let Some(of) = f.opt_str("stop")? {
            let of = of.trim();
            if of.is_empty() {
                return Err(f.err("\"stop\" is empty: write the id of the timer it stops"));
            }
            let zone = f.zone(None)?;
            let at_s = f.req_str("at")?;
            let at = f.instant("at", at_s, zone, |d| d.and_time(NaiveTime::MIN))?;
            return Ok(TimeLine::Stop {
                line: f.line,
                of: of.to_string(),
                at,
            });
        }
        let (client, cl) = f.client(false)?.unzip();
        let deadline = f
            .opt_str("deadline")?
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let on = match (deadline, &client) {
            (Some(d), _) => TimeOn::Deadline(d.to_string()),
            (None, Some(c)) => TimeOn::Client(c.clone()),
            (None, None) => {
                return Err(f.err("missing \"deadline\" or \"client\": say what the time was on"));
            }
        };
        let zone = f.zone(cl)?;
        let start = f.opt_str("start")?;
        let spent = f.opt_duration("spent")?;
        let span = match (start, spent) {
            (Some(_), Some(_)) => {
                return Err(f.err(
                    "both \"start\" and \"spent\": a timed entry has start and end, a hand entry spent and on",
                ));
            }
            (Some(s), None) => {
                let start = f.instant("start", s, zone, |d| d.and_time(NaiveTime::MIN))?;
                let end = f.opt_instant("end", zone)?;
                if end.is_some_and(|e| e < start) {
                    return Err(f.err("\"end\" is before \"start\""));
                }
                TimeSpan::Timed { start, end }
            }
            (None, Some(spent)) => {
                if spent < chrono::Duration::zero() {
                    return Err(f.err("\"spent\" is negative"));
                }
                let on = match f.opt_str("on")? {
                    None => None,
                    Some(s) => match parse_time_value(s) {
                        Ok(TimeValue::Date(d)) => Some(d),
                        _ => {
                            return Err(f.err(format!(
                                "\"on\": {s:?} is not a date; write it as 2026-12-07"
                            )));
                        }
                    },
                };
                TimeSpan::Hand { spent, on }
            }
            (None, None) => {
                return Err(f.err(
                    "missing \"start\" or \"spent\": a timed entry has a start, a hand entry how long it took",
                ));
            }
        };
        let note = f.opt_str("note")?.map(str::to_string);
        let id = f.opt_str("id")?.map(str::to_string);
        Ok(TimeLine::Entry(TimeEntry {
            line: f.line,
            id,
            on,
            client,
            span,
            note,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::utc;
    use crate::store::config::parse_config;

    fn config() -> Config {
        parse_config(
            "[me]\nzone = \"Australia/Brisbane\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n",
        )
        .0
    }

    #[test]
    fn entries_stops_and_problems_by_line() {
        let text = concat!(
            "{\"id\":\"t-1\",\"deadline\":\"d-1\",\"start\":\"2026-12-07T09:00+10:00\"}\n",
            "{\"id\":\"t-2\",\"client\":\"kanda\",\"spent\":\"1h30m\",\"on\":\"2026-12-07\",\"note\":\"call prep\"}\n",
            "{\"stop\":\"t-1\",\"at\":\"2026-12-07T10:12+10:00\"}\n",
            "{\"stop\":\"t-1\",\"at\":\"2026-12-07T11:00+10:00\"}\n",
            "{\"stop\":\"t-9\",\"at\":\"2026-12-07T11:00+10:00\"}\n",
            "{\"id\":\"t-3\",\"deadline\":\"d-1\",\"strat\":\"2026-12-07T09:00\"}\n",
            "{\"id\":\"t-1\",\"deadline\":\"d-1\",\"spent\":\"1h\"}\n",
            "{\"id\":\"t-4\",\"client\":\"kanada\",\"spent\":\"1h\"}\n",
        );
        let (entries, diags) = parse_timelog(text, &config());
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].span,
            TimeSpan::Timed {
                start: utc(2026, 12, 6, 23, 0),
                end: Some(utc(2026, 12, 7, 0, 12)),
            }
        );
        let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "timelog.jsonl:5: warning: stop of \"t-9\": no timer with that id in this file; the line is ignored",
                "timelog.jsonl:6: error: missing \"start\" or \"spent\": a timed entry has a start, a hand entry how long it took; the line is skipped",
                "timelog.jsonl:6: warning: unknown field \"strat\" (did you mean \"start\"?); it is kept but ignored",
                "timelog.jsonl:7: error: duplicate id \"t-1\" (first on line 1); this line is skipped — merge the two lines or give this one a new id",
                "timelog.jsonl:8: error: unknown client \"kanada\" (did you mean \"kanda\"?); the line is skipped",
            ],
            "{shown:#?}"
        );
    }

    #[test]
    fn logged_time_counts_in_risk_at_once_after_a_load_and_a_reload() {
        use crate::domain::risk::assess;
        use crate::store::files::{CONFIG_FILE, DEADLINES_FILE};
        use crate::store::load::load_dir;
        use crate::store::reload::Reloader;
        use std::sync::Arc;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join(CONFIG_FILE), "[me]\nzone = \"UTC\"\n").unwrap();
        std::fs::write(
            dir.join(DEADLINES_FILE),
            "{\"id\":\"d-1\",\"title\":\"Report\",\"due\":\"2026-12-11T17:00Z\",\"estimate\":\"10h\",\"spent\":\"1h\"}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join(TIMELOG_FILE),
            "{\"id\":\"t-1\",\"deadline\":\"d-1\",\"start\":\"2026-12-07T09:00Z\",\"end\":\"2026-12-07T11:00Z\"}\n",
        )
        .unwrap();
        let now = utc(2026, 12, 7, 13, 0);
        let (mut r, loaded) = Reloader::load(dir);
        let d = &loaded.model.deadlines.get(0).unwrap();
        assert_eq!(d.spent_at(now), chrono::Duration::hours(3));
        let c = &loaded.model.config;
        assert_eq!(
            assess(d, &c.me, &c.alerts, now).remaining,
            chrono::Duration::hours(7)
        );
        // A timer started at 12:00 counts at once (an hour at 13:00), after a reload too.
        let mut text = std::fs::read_to_string(dir.join(TIMELOG_FILE)).unwrap();
        text.push_str("{\"id\":\"t-2\",\"deadline\":\"d-1\",\"start\":\"2026-12-07T12:00Z\"}\n");
        std::fs::write(dir.join(TIMELOG_FILE), text).unwrap();
        let mut shared = Arc::new(loaded);
        let changes = r.reload(&mut shared);
        assert!(changes.timelog.changed());
        assert_eq!(shared.model, load_dir(dir).model);
        let d = &shared.model.deadlines.get(0).unwrap();
        assert_eq!(d.remaining(now), chrono::Duration::hours(6));
        // An edit of deadlines.jsonl alone keeps the logged time.
        std::fs::write(
            dir.join(DEADLINES_FILE),
            "{\"id\":\"d-1\",\"title\":\"Report v2\",\"due\":\"2026-12-11T17:00Z\",\"estimate\":\"10h\",\"spent\":\"1h\"}\n",
        )
        .unwrap();
        r.reload(&mut shared);
        assert_eq!(
            shared.model.deadlines.get(0).unwrap().remaining(now),
            chrono::Duration::hours(6)
        );
        assert_eq!(shared.model, load_dir(dir).model);
    }

    /// Two machines stop the same timer at different times, one adds a hand entry: `tether
    /// merge` keeps every line (stops are text lines, entries keyed by id), the result loads
    /// without a problem, and the earliest stop counts, whichever side merges.
    #[test]
    fn a_sync_merge_keeps_both_stops_and_the_earliest_counts() {
        use crate::store::threeway::merge_text;
        let base = "{\"id\":\"t-1\",\"deadline\":\"d-1\",\"start\":\"2026-12-07T09:00+10:00\"}\n";
        let ours = format!("{base}{{\"stop\":\"t-1\",\"at\":\"2026-12-07T10:30+10:00\"}}\n");
        let theirs = format!(
            "{base}{{\"stop\":\"t-1\",\"at\":\"2026-12-07T10:12+10:00\"}}\n{{\"id\":\"t-2\",\"client\":\"kanda\",\"spent\":\"1h\"}}\n"
        );
        for (a, b) in [(&ours, &theirs), (&theirs, &ours)] {
            let m = merge_text(base, a, b);
            assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
            assert_eq!(m.text.lines().count(), 4, "{}", m.text);
            let (entries, diags) = parse_timelog(&m.text, &config());
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(entries.len(), 2);
            assert_eq!(
                entries[0].span,
                TimeSpan::Timed {
                    start: utc(2026, 12, 6, 23, 0),
                    end: Some(utc(2026, 12, 7, 0, 12)),
                }
            );
        }
    }
}
