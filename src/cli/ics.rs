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
use crate::domain::model::{Config, Deadline, Followup, FollowupDue, Model, Status};
use crate::domain::time::format_working;
use crate::store::calendar_index::{self, CalendarIndex, Dated, starts};
use crate::store::fsio::{atomic_write, atomic_write_with};
use crate::store::load::{Keep, Loaded, load_keeping};
use crate::store::reload::LONG_READ_BYTES;
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

/// The calendar for `model` at `now` (`now` is each item's DTSTAMP), its items built and
/// sorted whole: what `export ics` writes for a small directory, and the reference the
/// streamed calendar ([`write_indexed`]) must equal. Pure.
pub fn calendar(model: &Model, kind: IcsKind, now: DateTime<Utc>) -> String {
    let mut out = Vec::new();
    let items = items(model, now).into_iter().map(Ok);
    // Writing to a Vec cannot fail, nor can reading items already made; the text is UTF-8.
    let _ = write_calendar(&mut out, items, kind, now);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Why writing a calendar stopped: a record could not be read again (its file changed since it
/// was indexed), or the output could not be written.
#[derive(Debug)]
pub enum Stop {
    Read(std::io::Error),
    Write(std::io::Error),
}

/// The calendar of `items` (in order) written to `out` one item at a time; how many items.
fn write_calendar(
    out: &mut impl Write,
    items: impl Iterator<Item = std::io::Result<Item>>,
    kind: IcsKind,
    now: DateTime<Utc>,
) -> Result<usize, Stop> {
    let mut line = |s: &str| out.write_all(fold(s).as_bytes()).map_err(Stop::Write);
    line("BEGIN:VCALENDAR")?;
    line("VERSION:2.0")?;
    line(&format!(
        "PRODID:-//tether//tether {}//EN",
        env!("CARGO_PKG_VERSION")
    ))?;
    line("CALSCALE:GREGORIAN")?;
    line("METHOD:PUBLISH")?;
    line("X-WR-CALNAME:tether")?;
    let stamp = utc(now);
    let mut count = 0;
    for item in items {
        let item = item.map_err(Stop::Read)?;
        let (begin, end) = match kind {
            IcsKind::Events => ("BEGIN:VEVENT", "END:VEVENT"),
            IcsKind::Todos => ("BEGIN:VTODO", "END:VTODO"),
        };
        line(begin)?;
        line(&format!("UID:{}", text(&item.uid)))?;
        line(&format!("DTSTAMP:{stamp}"))?;
        match (kind, item.due) {
            (IcsKind::Events, Due::At(t)) => line(&format!("DTSTART:{}", utc(t)))?,
            (IcsKind::Events, Due::Day(d)) => {
                line(&format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")))?;
                let next = d.succ_opt().unwrap_or(d);
                line(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")))?;
            }
            (IcsKind::Todos, Due::At(t)) => line(&format!("DUE:{}", utc(t)))?,
            (IcsKind::Todos, Due::Day(d)) => {
                line(&format!("DUE;VALUE=DATE:{}", d.format("%Y%m%d")))?;
            }
        }
        line(&format!("SUMMARY:{}", text(&item.summary)))?;
        line(&format!("DESCRIPTION:{}", text(&item.description)))?;
        line(&format!("CATEGORIES:{}", item.category))?;
        match kind {
            IcsKind::Events => line("TRANSP:TRANSPARENT")?,
            IcsKind::Todos => line("STATUS:NEEDS-ACTION")?,
        }
        line(end)?;
        count += 1;
    }
    line("END:VCALENDAR")?;
    Ok(count)
}

/// The streamed calendar: each record of `index` read again and written as its item, in the
/// calendar's order (`model`: the index's load, tether.toml and the time log); how many items.
/// Byte for byte what [`calendar`] makes of the whole model (tests/export_ics_index.rs).
pub fn write_indexed(
    out: &mut impl Write,
    model: &Model,
    index: &CalendarIndex,
    kind: IcsKind,
    now: DateTime<Utc>,
) -> Result<usize, Stop> {
    let make = Maker::new(model, now);
    let items = index.records(model).map(|r| {
        r.map(|dated| match dated {
            Dated::Deadline(d) => make.deadline(&d),
            Dated::Followup(f, due) => make.followup(&f, due),
        })
    });
    write_calendar(out, items, kind, now)
}

/// The open deadlines and open dated follow-ups of `model` as items, in the calendar's order
/// (by start, then line, then a deadline before a follow-up).
fn items(model: &Model, now: DateTime<Utc>) -> Vec<Item> {
    let make = Maker::new(model, now);
    let mut items = Vec::new();
    for d in model.deadlines.iter().filter(|d| d.status == Status::Open) {
        items.push(make.deadline(&d));
    }
    for f in model.followups.iter().filter(|f| f.status == Status::Open) {
        let Some(due) = f.due else { continue };
        items.push(make.followup(&f, due));
    }
    items.sort_by(|a, b| (a.sort, a.category).cmp(&(b.sort, b.category)));
    items
}

/// Makes the item of a record: what every item needs of tether.toml and now.
struct Maker<'a> {
    config: &'a Config,
    mine: chrono_tz::Tz,
    now: DateTime<Utc>,
}

impl<'a> Maker<'a> {
    fn new(model: &'a Model, now: DateTime<Utc>) -> Maker<'a> {
        let config = &model.config;
        Maker {
            config,
            mine: config.me.zone_at(now),
            now,
        }
    }

    fn client_name(&self, id: Option<&str>) -> Option<String> {
        id.and_then(|i| self.config.client(i))
            .map(|c| c.name.clone())
    }

    /// A client whose zone tether does not know: its times are in your zone, and each item
    /// says so.
    fn zone_note(&self, id: Option<&str>) -> Option<String> {
        let c = id.and_then(|i| self.config.client(i))?;
        c.unknown_zone
            .as_ref()
            .map(|u| format!("The client's {}", u.describe(c.zone)))
    }

    fn deadline(&self, d: &Deadline) -> Item {
        let (mine, now) = (self.mine, self.now);
        let client = self.client_name(d.client.as_deref());
        let mut desc = vec![match &client {
            Some(c) => format!("Deadline for {c}"),
            None => "Deadline".to_string(),
        }];
        let mut due = format!("Due {}", when(d.due, d.zone));
        if d.zone != mine {
            due.push_str(&format!(" = {}", when(d.due, mine)));
        }
        desc.push(due);
        desc.extend(self.zone_note(d.client.as_deref()));
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
            desc.insert(0, d.title.to_string());
        }
        Item {
            uid: uid("deadline", d.id.as_deref(), &d.origin.text),
            summary: format!("Due: {title}{}", paren(&[client.as_deref()])),
            description: desc.join("\n"),
            category: "DEADLINE",
            due: Due::At(d.due),
            sort: (d.due, d.origin.line),
        }
    }

    fn followup(&self, f: &Followup, due: FollowupDue) -> Item {
        let client = self.client_name(f.client.as_deref());
        let mut item = followup_item(f, due, client, self.mine);
        if let Some(note) = self.zone_note(f.client.as_deref()) {
            item.description.push('\n');
            item.description.push_str(&note);
        }
        item
    }
}

fn followup_item(
    f: &Followup,
    due: FollowupDue,
    client: Option<String>,
    mine: chrono_tz::Tz,
) -> Item {
    let sort_at = starts(due, mine);
    let (due, when_text) = match due {
        FollowupDue::At(t) => (Due::At(t), format!("Due {}", when(t, mine))),
        FollowupDue::Day(d) => (
            Due::Day(d),
            format!("Due during {} ({})", d.format("%a %d %b %Y"), mine.name()),
        ),
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
        desc.insert(0, f.what.to_string());
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

/// What the whole calendar reads: the open deadlines and the open dated follow-ups, held
/// (the reference path, below [`LONG_READ_BYTES`]).
pub fn load_whole(dir: &Path) -> Loaded {
    let keep = Keep {
        deadline: &|d: &Deadline| d.status == Status::Open,
        followup: &|f: &Followup| f.status == Status::Open && f.due.is_some(),
        contacts: false,
    };
    load_keeping(dir, &keep)
}

/// `tether export ics [--as events|todos] [--out FILE]`. From [`LONG_READ_BYTES`] (1 MiB) of
/// deadlines and follow-ups, the records it writes are not held but kept as keys into their
/// files (`store::calendar_index`) and written an item at a time: the calendar's text is ~8×
/// the lines it comes from, and 2 M one-line follow-ups took 8× the file's size held whole
/// (issue 13). Below it they are read whole ([`calendar`]), as `tether agenda` does.
pub fn export_ics(
    dir: &Path,
    now: DateTime<Utc>,
    kind: IcsKind,
    out: Option<&Path>,
) -> Result<ExitCode> {
    use crate::store::files::{DEADLINES_FILE, FOLLOWUPS_FILE};
    require_data_dir(dir)?;
    let bytes: u64 = [DEADLINES_FILE, FOLLOWUPS_FILE]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    let indexed = bytes >= LONG_READ_BYTES;
    let mut said = false;
    if let Some((loaded, index)) = indexed
        .then(|| calendar_index::load_indexed(dir, now))
        .flatten()
    {
        say_errors(&loaded);
        said = true;
        if let Some(done) = export_indexed(&loaded.model, &index, kind, now, out) {
            return done;
        }
    }
    // A small directory, or a file changed while the index read it again (nothing written
    // yet): the calendar of the whole model.
    let loaded = load_whole(dir);
    if !said {
        say_errors(&loaded);
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
            wrote(count, path);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn say_errors(loaded: &Loaded) {
    let errors = loaded.errors();
    if errors > 0 {
        err_line(&format!(
            "tether: {errors} error(s) in the data files; those lines are not exported (see `tether check`)"
        ));
    }
}

fn wrote(count: usize, path: &Path) {
    err_line(&format!("wrote {count} item(s) to {}", path.display()));
}

/// The calendar of `index` written as it is read again: to standard output through a buffer,
/// or to `out` through the store's atomic write. `None` when a record file changed since it
/// was indexed and nothing is out yet (the file at `out` is as it was; standard output got
/// less than its buffer): the caller writes the whole model's calendar instead.
fn export_indexed(
    model: &Model,
    index: &CalendarIndex,
    kind: IcsKind,
    now: DateTime<Utc>,
    out: Option<&Path>,
) -> Option<Result<ExitCode>> {
    let Some(path) = out else {
        let stdout = Tell {
            out: std::io::stdout().lock(),
            wrote: false,
        };
        let mut w = std::io::BufWriter::with_capacity(64 << 10, stdout);
        let written = write_indexed(&mut w, model, index, kind, now)
            .and_then(|_| w.flush().map_err(Stop::Write));
        // What is still in the buffer is dropped unwritten: after an error, no more goes out.
        let (stdout, _) = w.into_parts();
        return match written {
            Ok(()) => Some(Ok(ExitCode::SUCCESS)),
            // Nothing out yet: the whole model's calendar goes out instead.
            Err(Stop::Read(_)) if !stdout.wrote => None,
            Err(Stop::Read(e)) => Some(Err(e.into())),
            Err(Stop::Write(e)) => Some(Err(
                anyhow::Error::new(e).context("cannot write to standard output")
            )),
        };
    };
    let mut changed = false;
    let mut count = 0;
    // The store's one atomic write, the items written into its temporary file as they come.
    let done = atomic_write_with(path, |file| {
        let mut w = std::io::BufWriter::new(file);
        match write_indexed(&mut w, model, index, kind, now) {
            Ok(n) => {
                count = n;
                w.flush()
            }
            Err(Stop::Write(e)) => Err(e),
            Err(Stop::Read(e)) => {
                changed = true;
                Err(e)
            }
        }
    });
    match (done, changed) {
        (Ok(()), _) => {
            wrote(count, path);
            Some(Ok(ExitCode::SUCCESS))
        }
        // The temporary file is gone and `path` untouched: write the whole model's instead.
        (Err(_), true) => None,
        (Err(e), false) => Some(Err(
            anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
        )),
    }
}

/// Standard output, noting whether anything went out through it.
struct Tell<W> {
    out: W,
    wrote: bool,
}

impl<W: Write> Write for Tell<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.wrote = true;
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
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

    /// A record file edited in place after it was indexed: `--out` leaves the calendar there as
    /// it was and no temporary file, and says to write the whole model's calendar instead.
    #[test]
    fn a_file_changed_between_the_passes_leaves_the_calendar_as_it_was() {
        #![allow(clippy::unwrap_used)] // a test: a panic is its failure report
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        std::fs::write(
            dir.join("tether.toml"),
            "[me]\nzone = \"Australia/Brisbane\"\n",
        )
        .unwrap();
        let followups = dir.join("followups.jsonl");
        std::fs::write(&followups, "{\"what\":\"a\",\"due\":\"2026-11-26\"}\n").unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
            .unwrap()
            .with_timezone(&Utc);
        let (loaded, index) = calendar_index::load_indexed(dir, now).unwrap();
        std::fs::write(&followups, "{\"what\":\"a\",\"due\":\"2026-11-27\"}\n").unwrap();
        let out = t.path().join("out.ics");
        std::fs::write(&out, "old").unwrap();
        let done = export_indexed(&loaded.model, &index, IcsKind::Events, now, Some(&out));
        assert!(done.is_none());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
        let names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
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
