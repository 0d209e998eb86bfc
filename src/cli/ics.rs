//! `tether export ics`: open deadlines and dated follow-ups as an iCalendar file (RFC 5545).
//!
//! - Times are UTC (`…Z`), so every consumer places them right without a VTIMEZONE; the
//!   description names the moment in the client's zone and yours. A follow-up due on a day
//!   (no time) is an all-day item on that date.
//! - UIDs come from the record's id (`deadline-d-7f3a2c@tether`), or, for a hand-written line
//!   without an id, from a hash of the line's text, so importing again updates instead of
//!   duplicating (as long as the line is unchanged).
//! - Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); `\`, `;`,
//!   `,` and line breaks in text are escaped. A summary is kept to one line (line breaks become
//!   spaces; the text as written is in the description).

use super::agenda::when;
use super::args::IcsKind;
use super::light::require_data_dir;
use super::output::err_line;
use crate::domain::model::{Deadline, Followup, FollowupDue, Model, Status};
use crate::domain::time::format_working;
use crate::store::fsio::atomic_write;
use crate::store::load::{Keep, load_keeping};
use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The longest content line, in octets, before folding (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

/// One calendar item before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    uid: String,
    summary: String,
    description: String,
    category: &'static str,
    due: Due,
    sort: (DateTime<Utc>, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    At(DateTime<Utc>),
    Day(NaiveDate),
}

/// The calendar for `model` at `now` (`now` is each item's DTSTAMP). Pure.
pub fn calendar(model: &Model, kind: IcsKind, now: DateTime<Utc>) -> String {
    let mut out = Vec::new();
    let mut line = |s: String| out.push(s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!(
        "PRODID:-//tether//tether {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line("X-WR-CALNAME:tether".into());
    let stamp = utc(now);
    for item in items(model, now) {
        let (begin, end) = match kind {
            IcsKind::Events => ("BEGIN:VEVENT", "END:VEVENT"),
            IcsKind::Todos => ("BEGIN:VTODO", "END:VTODO"),
        };
        line(begin.into());
        line(format!("UID:{}", text(&item.uid)));
        line(format!("DTSTAMP:{stamp}"));
        match (kind, item.due) {
            (IcsKind::Events, Due::At(t)) => line(format!("DTSTART:{}", utc(t))),
            (IcsKind::Events, Due::Day(d)) => {
                line(format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")));
                let next = d.succ_opt().unwrap_or(d);
                line(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
            }
            (IcsKind::Todos, Due::At(t)) => line(format!("DUE:{}", utc(t))),
            (IcsKind::Todos, Due::Day(d)) => {
                line(format!("DUE;VALUE=DATE:{}", d.format("%Y%m%d")));
            }
        }
        line(format!("SUMMARY:{}", text(&item.summary)));
        line(format!("DESCRIPTION:{}", text(&item.description)));
        line(format!("CATEGORIES:{}", item.category));
        match kind {
            IcsKind::Events => line("TRANSP:TRANSPARENT".into()),
            IcsKind::Todos => line("STATUS:NEEDS-ACTION".into()),
        }
        line(end.into());
    }
    line("END:VCALENDAR".into());
    let mut ics = String::new();
    for l in out {
        ics.push_str(&fold(&l));
    }
    ics
}

fn items(model: &Model, now: DateTime<Utc>) -> Vec<Item> {
    let config = &model.config;
    let mine = config.me.zone_at(now);
    let client_name = |id: Option<&str>| id.and_then(|i| config.client(i)).map(|c| c.name.clone());
    // A client whose zone tether does not know: its times are in your zone, and each item says so.
    let zone_note = |id: Option<&str>| {
        let c = id.and_then(|i| config.client(i))?;
        c.unknown_zone
            .as_ref()
            .map(|u| format!("The client's {}", u.describe(c.zone)))
    };
    let mut items = Vec::new();
    for d in model.deadlines.iter().filter(|d| d.status == Status::Open) {
        let client = client_name(d.client.as_deref());
        let mut desc = vec![match &client {
            Some(c) => format!("Deadline for {c}"),
            None => "Deadline".to_string(),
        }];
        let mut due = format!("Due {}", when(d.due, d.zone));
        if d.zone != mine {
            due.push_str(&format!(" = {}", when(d.due, mine)));
        }
        desc.push(due);
        desc.extend(zone_note(d.client.as_deref()));
        if let Some(e) = d.estimate {
            desc.push(format!(
                "Estimate {}, still to do {}",
                format_working(e),
                format_working(d.remaining(now))
            ));
        }
        desc.push(record_ref(
            crate::store::files::DEADLINES_FILE,
            d.id.as_deref(),
            d.origin.line,
        ));
        let title = one_line(&d.title);
        if title != d.title {
            desc.insert(0, d.title.clone());
        }
        items.push(Item {
            uid: uid("deadline", d.id.as_deref(), &d.origin.text),
            summary: format!("Due: {title}{}", paren(&[client.as_deref()])),
            description: desc.join("\n"),
            category: "DEADLINE",
            due: Due::At(d.due),
            sort: (d.due, d.origin.line),
        });
    }
    for f in model.followups.iter().filter(|f| f.status == Status::Open) {
        let Some(due) = f.due else { continue };
        let mut item = followup_item(f, due, client_name(f.client.as_deref()), mine);
        if let Some(note) = zone_note(f.client.as_deref()) {
            item.description.push('\n');
            item.description.push_str(&note);
        }
        items.push(item);
    }
    items.sort_by(|a, b| (a.sort, a.category).cmp(&(b.sort, b.category)));
    items
}

fn followup_item(
    f: &Followup,
    due: FollowupDue,
    client: Option<String>,
    mine: chrono_tz::Tz,
) -> Item {
    let (due, sort_at, when_text) = match due {
        FollowupDue::At(t) => (Due::At(t), t, format!("Due {}", when(t, mine))),
        FollowupDue::Day(d) => {
            let start = crate::domain::time::local_to_utc(mine, d.and_time(chrono::NaiveTime::MIN));
            (
                Due::Day(d),
                start,
                format!("Due during {} ({})", d.format("%a %d %b %Y"), mine.name()),
            )
        }
    };
    let mut desc = vec![if f.waiting {
        "Waiting on them: chase if nothing has come".to_string()
    } else {
        "Follow-up you owe".to_string()
    }];
    desc.push(when_text);
    if let Some(s) = f.snoozed_until {
        desc.push(format!("Snoozed until {}", when(s, mine)));
    }
    desc.push(record_ref(
        crate::store::files::FOLLOWUPS_FILE,
        f.id.as_deref(),
        f.origin.line,
    ));
    let what = one_line(&f.what);
    if what != f.what {
        // The summary is one line; the text as written goes in the description.
        desc.insert(0, f.what.clone());
    }
    let prefix = if f.waiting { "Chase: " } else { "" };
    Item {
        uid: uid("followup", f.id.as_deref(), &f.origin.text),
        summary: format!(
            "{prefix}{what}{}",
            paren(&[f.who.as_deref(), client.as_deref()])
        ),
        description: desc.join("\n"),
        category: "FOLLOW-UP",
        due,
        sort: (sort_at, f.origin.line),
    }
}

/// Line breaks as spaces: a SUMMARY is one line to people and to some consumers (calcurse skips
/// an item whose summary has a line break, though RFC 5545 allows an escaped one).
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// ` (a, b)` of the parts present; nothing when none is.
fn paren(parts: &[Option<&str>]) -> String {
    let present: Vec<&str> = parts.iter().flatten().copied().collect();
    if present.is_empty() {
        String::new()
    } else {
        format!(" ({})", present.join(", "))
    }
}

fn record_ref(file: &str, id: Option<&str>, line: usize) -> String {
    match id {
        Some(id) => format!("tether: {id} in {file}"),
        None => format!("tether: {file} line {line}"),
    }
}

/// A stable UID: from the id, else from a hash of the line's text.
fn uid(kind: &str, id: Option<&str>, line_text: &str) -> String {
    match id {
        Some(id) => format!("{kind}-{id}@tether"),
        None => format!("{kind}-line-{:016x}@tether", fnv1a(line_text.trim())),
    }
}

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            // No control character in a TEXT value (RFC 5545 §3.3.11), nor on a terminal.
            c if crate::domain::text::is_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so no physical line exceeds 75 octets, each ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > FOLD_AT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

pub fn export_ics(
    dir: &Path,
    now: DateTime<Utc>,
    kind: IcsKind,
    out: Option<&Path>,
) -> Result<ExitCode> {
    require_data_dir(dir)?;
    // Only what is exported is held: open deadlines and open dated follow-ups (issue 13).
    let keep = Keep {
        deadline: &|d: &Deadline| d.status == Status::Open,
        followup: &|f: &Followup| f.status == Status::Open && f.due.is_some(),
        contacts: false,
    };
    let loaded = load_keeping(dir, &keep);
    let errors = loaded.errors();
    if errors > 0 {
        err_line(&format!(
            "tether: {errors} error(s) in the data files; those lines are not exported (see `tether check`)"
        ));
    }
    let ics = calendar(&loaded.model, kind, now);
    // VCALENDAR opens the text; every item begins on a line of its own after it.
    let count = ics.matches("\r\nBEGIN:V").count();
    match out {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(ics.as_bytes())
                .and_then(|()| stdout.flush())
                .context("cannot write to standard output")?;
        }
        Some(path) => {
            // The store's atomic write: a calendar app that watches the file never reads half
            // of it, and a crash leaves the old calendar or the new one.
            atomic_write(path, ics.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            err_line(&format!("wrote {count} item(s) to {}", path.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "日本語のテキスト".repeat(10));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        let physical: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 1);
        for (i, p) in physical.iter().enumerate() {
            assert!(p.len() <= FOLD_AT, "{i}: {} octets", p.len());
            if i > 0 {
                assert!(p.starts_with(' '));
            }
        }
        let unfolded: String = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
        assert_eq!(fold(&"x".repeat(75)), format!("{}\r\n", "x".repeat(75)));
    }

    #[test]
    fn uids_are_stable() {
        assert_eq!(uid("deadline", Some("d-1"), "x"), "deadline-d-1@tether");
        assert_eq!(
            uid("followup", None, "{\"what\":\"a\"}"),
            uid("followup", None, "{\"what\":\"a\"}  ")
        );
        assert_ne!(uid("followup", None, "a"), uid("followup", None, "b"));
    }
}
