//! The three JSON-lines files -> typed records, with a `FILE:LINE[:COL]` diagnostic for every
//! line that is skipped or suspicious. Loading never stops at a bad line.

use super::config::nearest;
use super::diagnostic::Diagnostic;
use super::lines::split_lines;
use crate::domain::model::{
    Client, Config, Deadline, Followup, FollowupDue, Interaction, Origin, Status,
};
use crate::domain::time::{TimeValue, parse_duration, parse_time_value, parse_zone, resolve_local};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::HashMap;

pub const DEADLINES_FILE: &str = "deadlines.jsonl";
pub const FOLLOWUPS_FILE: &str = "followups.jsonl";
pub const INTERACTIONS_FILE: &str = "interactions.jsonl";

const DEADLINE_FIELDS: &[&str] = &[
    "id", "client", "title", "due", "zone", "estimate", "spent", "status", "done_at",
];
const FOLLOWUP_FIELDS: &[&str] = &[
    "id",
    "client",
    "who",
    "what",
    "due",
    "zone",
    "status",
    "snoozed_until",
    "waiting",
    "created",
    "done_at",
];
const INTERACTION_FIELDS: &[&str] = &["at", "client", "kind", "who", "note", "zone"];

/// The same lists as `match`es, for the per-key check on every line.
fn is_deadline_field(k: &str) -> bool {
    matches!(
        k,
        "id" | "client" | "title" | "due" | "zone" | "estimate" | "spent" | "status" | "done_at"
    )
}

fn is_followup_field(k: &str) -> bool {
    matches!(
        k,
        "id" | "client"
            | "who"
            | "what"
            | "due"
            | "zone"
            | "status"
            | "snoozed_until"
            | "waiting"
            | "created"
            | "done_at"
    )
}

fn is_interaction_field(k: &str) -> bool {
    matches!(k, "at" | "client" | "kind" | "who" | "note" | "zone")
}

/// At most this many problems are listed one by one per file; the rest are counted in one last
/// message, so a file full of garbage (a binary, a log pasted in) cannot make millions of
/// messages (time and memory stay bounded; see docs/reliability.md).
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 200;

/// A message quotes at most this many characters of the user's text (a 50 MB line must not
/// become a 50 MB message).
const MAX_MESSAGE_CHARS: usize = 300;

/// A field value longer than this is never a zone name, nor a typo of a field or client name:
/// "did you mean" compares strings pairwise (cost grows with the product of their lengths), so
/// it only runs on short ones.
const MAX_SUGGEST_LEN: usize = 64;

/// "Did you mean" for a zone or client is worked out for at most this many lines per file: each
/// one compares the value with every zone name (about 600), so a file with thousands of bad
/// zones would otherwise take minutes to load. Later lines get the plain message.
const MAX_SUGGESTIONS_PER_FILE: usize = 50;

/// Shorten a message that quotes the user's text at length.
fn clip(msg: String) -> String {
    match msg.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &msg[..cut]),
        None => msg,
    }
}

/// Collects diagnostics up to [`MAX_DIAGNOSTICS_PER_FILE`]; counts the rest.
struct Diags {
    list: Vec<Diagnostic>,
    dropped: usize,
    dropped_errors: usize,
}

impl Diags {
    fn new() -> Diags {
        Diags {
            list: Vec::new(),
            dropped: 0,
            dropped_errors: 0,
        }
    }

    fn push(&mut self, d: Diagnostic) {
        if self.list.len() < MAX_DIAGNOSTICS_PER_FILE {
            self.list.push(d);
        } else {
            self.dropped += 1;
            self.dropped_errors += usize::from(d.is_error());
        }
    }
}

/// One candidate record line: its number, text, and parsed object.
struct RecordLine<'a> {
    number: usize,
    text: &'a str,
    obj: Map<String, Value>,
}

/// Read one line of a JSONL text as a record line, reporting an unparseable line or a
/// merge-conflict marker. Blank and `#` lines are skipped silently.
///
/// Lines are split by [`split_lines`] (in [`parse_each`]), the same function the writer uses to
/// find a record again, so a record's `Origin` text is exactly the line the writer looks for (a
/// last line ending in a lone `\r` used to differ, and tether then could not mark it done).
fn record_line<'a>(
    file: &'static str,
    number: usize,
    line: &'a str,
    diags: &mut Diags,
) -> Option<RecordLine<'a>> {
    {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            return None;
        }
        if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
            .iter()
            .any(|m| t.starts_with(m))
        {
            diags.push(Diagnostic::error(
                file,
                number,
                "merge-conflict marker: keep the side you want, delete the marker lines, and save",
            ));
            return None;
        }
        // JSON allows no raw NUL anywhere, so a line with one always fails to parse: look for
        // NULs only then, to word the message (and not scan every good line twice).
        match serde_json::from_str::<Value>(line) {
            Err(_) if line.contains('\0') => diags.push(Diagnostic::error(
                file,
                number,
                "the line contains NUL bytes (a binary file, or one saved as UTF-16?); the line is skipped",
            )),
            Ok(Value::Object(obj)) => {
                return Some(RecordLine {
                    number,
                    text: line,
                    obj,
                });
            }
            Ok(other) => diags.push(Diagnostic::error(
                file,
                number,
                format!(
                    "expected one JSON object {{...}} per line, found {}; the line is skipped",
                    json_kind(&other)
                ),
            )),
            Err(e) => diags.push(
                Diagnostic::error(
                    file,
                    number,
                    format!(
                        "not valid JSON ({}); the line is skipped",
                        clip(strip_pos(&e))
                    ),
                )
                .with_col(e.column().max(1)),
            ),
        }
    }
    None
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json appends " at line 1 column 7"; we report the position ourselves.
fn strip_pos(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(p) => s[..p].to_string(),
        None => s,
    }
}

/// Per-line reader: collects the first error (which skips the line) and any warnings.
struct Fields<'a> {
    file: &'static str,
    line: usize,
    obj: &'a Map<String, Value>,
    warnings: Vec<Diagnostic>,
    /// How many more "did you mean" suggestions this file may compute.
    suggestions: &'a Cell<usize>,
}

type Skip = Diagnostic;

impl<'a> Fields<'a> {
    fn err(&self, msg: impl Into<String>) -> Skip {
        Diagnostic::error(
            self.file,
            self.line,
            format!("{}; the line is skipped", clip(msg.into())),
        )
    }

    /// Whether to work out a "did you mean" (see [`MAX_SUGGESTIONS_PER_FILE`]).
    fn may_suggest(&self) -> bool {
        let left = self.suggestions.get();
        self.suggestions.set(left.saturating_sub(1));
        left > 0
    }

    fn warn(&mut self, msg: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(self.file, self.line, clip(msg.into())));
    }

    fn opt_str(&self, key: &str) -> Result<Option<&'a str>, Skip> {
        match self.obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.err(format!(
                "\"{key}\" must be a string, not {}",
                json_kind(other)
            ))),
        }
    }

    fn req_str(&self, key: &str) -> Result<&'a str, Skip> {
        match self.opt_str(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.err(format!("missing \"{key}\""))),
        }
    }

    fn opt_duration(&self, key: &str) -> Result<Option<Duration>, Skip> {
        self.opt_str(key)?
            .map(|s| parse_duration(s).map_err(|e| self.err(format!("\"{key}\": {e}"))))
            .transpose()
    }

    fn status(&self) -> Result<Status, Skip> {
        match self.opt_str("status")? {
            None => Ok(Status::Open),
            Some(s) => Status::parse(s).ok_or_else(|| {
                self.err(format!(
                    "\"status\" is {s:?}; use \"open\", \"done\" or \"dropped\""
                ))
            }),
        }
    }

    /// Warn about a field that looks like a misspelt known one; other extra fields are the
    /// user's own (tags, rates…) and are kept silently.
    fn check_fields(&mut self, known: &[&str], is_known: fn(&str) -> bool) {
        let typos: Vec<String> = self
            .obj
            .keys()
            .filter(|k| !is_known(k) && k.len() <= MAX_SUGGEST_LEN)
            .filter_map(|k| {
                nearest(k, known).map(|n| {
                    format!("unknown field \"{k}\" (did you mean \"{n}\"?); it is kept but ignored")
                })
            })
            .collect();
        for t in typos {
            self.warn(t);
        }
    }

    /// The record's zone: its own `zone`, else its client's, else yours.
    fn zone(&self, config: &Config, client: Option<&Client>) -> Result<Tz, Skip> {
        if let Some(z) = self.opt_str("zone")? {
            if z.len() > MAX_SUGGEST_LEN {
                let start: String = z.chars().take(20).collect();
                return Err(self.err(format!(
                    "\"zone\": {start:?}… is not a time zone name (too long); use an IANA name such as \"Asia/Tokyo\""
                )));
            }
            if let Some(tz) = known_zone(z) {
                return Ok(tz);
            }
            if !self.may_suggest() {
                return Err(self.err(format!(
                    "\"zone\": unknown time zone {z:?}; use an IANA name such as \"Asia/Tokyo\""
                )));
            }
            return parse_zone(z).map_err(|e| self.err(format!("\"zone\": {e}")));
        }
        Ok(client.map_or(config.me.zone, |c| c.zone))
    }

    /// The record's client id and its entry in the config (looked up once per line).
    fn client<'c>(
        &self,
        config: &'c Config,
        required: bool,
    ) -> Result<Option<(&'a str, &'c Client)>, Skip> {
        let c = if required {
            Some(self.req_str("client")?)
        } else {
            self.opt_str("client")?
        };
        let Some(id) = c else {
            return Ok(None);
        };
        if let Some(client) = config.client(id) {
            return Ok(Some((id, client)));
        }
        {
            let ids: Vec<&str> = config.clients.iter().map(|c| c.id.as_str()).collect();
            let suggestion = (id.len() <= MAX_SUGGEST_LEN && self.may_suggest())
                .then(|| nearest(id, &ids))
                .flatten();
            let hint = match suggestion {
                Some(n) => format!(" (did you mean \"{n}\"?)"),
                None if ids.is_empty() => " (tether.toml has no [[clients]] yet)".into(),
                None => format!(" (known: {})", ids.join(", ")),
            };
            Err(self.err(format!("unknown client \"{id}\"{hint}")))
        }
    }

    /// A time value as an instant; `date_means` maps a date-only value.
    fn instant(
        &mut self,
        key: &str,
        s: &str,
        zone: Tz,
        date_means: impl Fn(NaiveDate) -> chrono::NaiveDateTime,
    ) -> Result<DateTime<Utc>, Skip> {
        let tv = parse_time_value(s).map_err(|e| self.err(format!("\"{key}\": {e}")))?;
        let naive = match tv {
            TimeValue::Instant(dt) => return Ok(dt.with_timezone(&Utc)),
            TimeValue::Local(n) => n,
            TimeValue::Date(d) => date_means(d),
        };
        let (utc, issue) = resolve_local(zone, naive);
        if let Some(issue) = issue {
            let msg = format!("\"{key}\": {}", issue.describe(naive, zone));
            self.warn(msg);
        }
        Ok(utc)
    }

    fn opt_instant(&mut self, key: &str, zone: Tz) -> Result<Option<DateTime<Utc>>, Skip> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(s) => self
                .instant(key, s, zone, |d| d.and_time(NaiveTime::MIN))
                .map(Some),
        }
    }
}

/// A valid zone name, exactly or in another case, without working out a suggestion (the same
/// names `parse_zone` accepts; that one is called only when a suggestion is wanted).
fn known_zone(z: &str) -> Option<Tz> {
    z.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|t| t.name().eq_ignore_ascii_case(z))
            .copied()
    })
}

fn origin(r: &RecordLine<'_>) -> Origin {
    Origin {
        line: r.number,
        text: r.text.to_string(),
    }
}

/// Report a repeated `id` (as after a sync conflict); the first line wins, later ones are skipped.
fn duplicate_id(
    file: &'static str,
    seen: &mut HashMap<String, usize>,
    id: Option<&str>,
    line: usize,
) -> Option<Diagnostic> {
    let id = id?;
    if let Some(first) = seen.get(id) {
        return Some(Diagnostic::error(
            file,
            line,
            format!(
                "duplicate id \"{id}\" (first on line {first}); this line is skipped — merge the two lines or give this one a new id"
            ),
        ));
    }
    seen.insert(id.to_string(), line);
    None
}

/// Run `parse` over each record line, collecting records and diagnostics.
fn parse_each<T>(
    file: &'static str,
    text: &str,
    known: &[&str],
    is_known: fn(&str) -> bool,
    mut parse: impl FnMut(&mut Fields<'_>, &RecordLine<'_>) -> Result<T, Skip>,
    id_of: impl Fn(&T) -> Option<&str>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut diags = Diags::new();
    let mut out = Vec::new();
    let mut seen = HashMap::new();
    let suggestions = Cell::new(MAX_SUGGESTIONS_PER_FILE);
    // Each line is converted as soon as it is read, so only one line's JSON map is alive at a
    // time.
    for l in split_lines(text) {
        let Some(r) = record_line(file, l.number, l.text, &mut diags) else {
            continue;
        };
        let r = &r;
        let mut f = Fields {
            file,
            line: r.number,
            obj: &r.obj,
            warnings: Vec::new(),
            suggestions: &suggestions,
        };
        f.check_fields(known, is_known);
        match parse(&mut f, r) {
            Ok(rec) => {
                if let Some(d) = duplicate_id(file, &mut seen, id_of(&rec), r.number) {
                    diags.push(d);
                } else {
                    out.push(rec);
                }
            }
            Err(d) => diags.push(d),
        }
        for w in f.warnings.drain(..) {
            diags.push(w);
        }
    }
    // Lines are visited in order, and a line's own messages stay in the order they were made,
    // so the kept ones are the first MAX by line: sort (stable), keep those, and count the rest.
    let Diags {
        list: mut diags,
        mut dropped,
        mut dropped_errors,
    } = diags;
    diags.sort_by_key(|d| d.line);
    if diags.len() > MAX_DIAGNOSTICS_PER_FILE {
        let cut = diags.split_off(MAX_DIAGNOSTICS_PER_FILE);
        dropped += cut.len();
        dropped_errors += cut.iter().filter(|d| d.is_error()).count();
    }
    if dropped > 0 {
        let msg =
            format!("{dropped} more problems in this file (not listed); fix the ones above first");
        diags.push(if dropped_errors > 0 {
            Diagnostic::error(file, 0, msg)
        } else {
            Diagnostic::warning(file, 0, msg)
        });
    }
    (out, diags)
}

pub fn parse_deadlines(text: &str, config: &Config) -> (Vec<Deadline>, Vec<Diagnostic>) {
    parse_each(
        DEADLINES_FILE,
        text,
        DEADLINE_FIELDS,
        is_deadline_field,
        |f, r| {
            let title = f.req_str("title")?.to_string();
            let (client, cl) = f.client(config, false)?.unzip();
            let zone = f.zone(config, cl)?;
            let due_s = f.req_str("due")?;
            // A date-only due means the end of the client's business hours that day
            // (17:00 without a client).
            let end_of_day = cl.map_or(
                NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
                |c| c.hours.end(),
            );
            let wraps = cl.is_some_and(|c| c.hours.wraps());
            let due = f.instant("due", due_s, zone, |d| {
                let day = if wraps { d.succ_opt().unwrap_or(d) } else { d };
                day.and_time(end_of_day)
            })?;
            let estimate = f.opt_duration("estimate")?;
            let spent = f.opt_duration("spent")?;
            let status = f.status()?;
            let done_at = f.opt_instant("done_at", zone)?;
            Ok(Deadline {
                origin: origin(r),
                id: f.opt_str("id")?.map(str::to_string),
                client: client.map(str::to_string),
                title,
                due,
                zone,
                estimate,
                spent,
                status,
                done_at,
            })
        },
        |d| d.id.as_deref(),
    )
}

pub fn parse_followups(text: &str, config: &Config) -> (Vec<Followup>, Vec<Diagnostic>) {
    parse_each(
        FOLLOWUPS_FILE,
        text,
        FOLLOWUP_FIELDS,
        is_followup_field,
        |f, r| {
            let what = f.req_str("what")?.to_string();
            let (client, cl) = f.client(config, false)?.unzip();
            let zone = f.zone(config, cl)?;
            let due = match f.opt_str("due")? {
                None => None,
                Some(s) => match parse_time_value(s) {
                    // Date-only: due during that day in *your* zone (spec), so keep the date.
                    Ok(TimeValue::Date(d)) => Some(FollowupDue::Day(d)),
                    _ => Some(FollowupDue::At(
                        f.instant("due", s, zone, |d| d.and_time(NaiveTime::MIN))?,
                    )),
                },
            };
            let waiting = match f.obj.get("waiting") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(f.err(format!(
                        "\"waiting\" must be true or false, not {}",
                        json_kind(other)
                    )));
                }
            };
            Ok(Followup {
                origin: origin(r),
                id: f.opt_str("id")?.map(str::to_string),
                client: client.map(str::to_string),
                who: f.opt_str("who")?.map(str::to_string),
                what,
                due,
                status: f.status()?,
                snoozed_until: f.opt_instant("snoozed_until", zone)?,
                waiting,
                created: f.opt_instant("created", zone)?,
                done_at: f.opt_instant("done_at", zone)?,
            })
        },
        |x| x.id.as_deref(),
    )
}

pub fn parse_interactions(text: &str, config: &Config) -> (Vec<Interaction>, Vec<Diagnostic>) {
    parse_each(
        INTERACTIONS_FILE,
        text,
        INTERACTION_FIELDS,
        is_interaction_field,
        |f, r| {
            let (client, cl) = f.client(config, true)?.unzip();
            let client = client.unwrap_or_default().to_string();
            let kind = f.req_str("kind")?.trim().to_ascii_lowercase();
            let zone = f.zone(config, cl)?;
            let at_s = f.req_str("at")?;
            // A date-only contact counts from the start of that day, so one logged "today"
            // warms the client at once.
            let at = f.instant("at", at_s, zone, |d| d.and_time(NaiveTime::MIN))?;
            Ok(Interaction {
                origin: origin(r),
                at,
                client,
                kind,
                who: f.opt_str("who")?.map(str::to_string),
                note: f.opt_str("note")?.map(str::to_string),
            })
        },
        |_| None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::config::parse_config;

    fn config() -> Config {
        parse_config(
            "[me]\nzone = \"America/New_York\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n[[clients]]\nid = \"night\"\nzone = \"Europe/London\"\nhours = \"22:00-06:00\"\n",
        )
        .0
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn deadline_zones_and_date_only() {
        let c = config();
        let text = concat!(
            "{\"title\":\"a\",\"client\":\"kanda\",\"due\":\"2026-11-25T09:00\"}\n",
            "{\"title\":\"b\",\"client\":\"kanda\",\"due\":\"2026-11-25\"}\n",
            "{\"title\":\"c\",\"due\":\"2026-11-25\"}\n",
            "{\"title\":\"d\",\"client\":\"kanda\",\"zone\":\"Europe/London\",\"due\":\"2026-11-25T09:00\"}\n",
            "{\"title\":\"e\",\"client\":\"night\",\"due\":\"2026-11-25\"}\n",
            "{\"title\":\"f\",\"due\":\"2026-11-25T09:00:00Z\"}\n",
        );
        let (d, diags) = parse_deadlines(text, &c);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d[0].due, utc("2026-11-25T00:00:00Z"));
        assert_eq!(d[1].due, utc("2026-11-25T09:00:00Z")); // 18:00 JST
        assert_eq!(d[2].due, utc("2026-11-25T22:00:00Z")); // 17:00 EST
        assert_eq!(d[3].due, utc("2026-11-25T09:00:00Z"));
        assert_eq!(d[4].due, utc("2026-11-26T06:00:00Z")); // a night shift ends next morning
        assert_eq!(d[5].due, utc("2026-11-25T09:00:00Z"));
    }

    #[test]
    fn each_mistake_reported_at_its_line_and_rest_loads() {
        let c = config();
        let text = concat!(
            "# comment\n",
            "\n",
            "{\"title\":\"ok\",\"due\":\"2026-11-25\"}\n",
            "{\"title\":\"no due\"}\n",
            "{\"title\":\"x\",\"due\":\"soon\"}\n",
            "{\"title\":\"x\",\"client\":\"kandaa\",\"due\":\"2026-11-25\"}\n",
            "{\"title\":\"x\",\"due\":\"2026-11-25\",\"estimate\":\"lots\"}\n",
            "{\"title\":\"x\",\"due\":\"2026-11-25\",\"status\":\"finished\"}\n",
            "{\"title\":\"x\",\"due\":\"2026-11-25\",\"zone\":\"Mars/Base\"}\n",
            "{\"title\":\"x\",\"due\":\"2026-11-25\"\n",
            "[1,2]\n",
            "{\"title\":\"typo\",\"due\":\"2026-11-25\",\"estimte\":\"2h\"}\r\n",
            "{\"title\":\"gap\",\"due\":\"2026-03-08T02:30\"}\n",
            "<<<<<<< HEAD\n",
        );
        let (d, diags) = parse_deadlines(text, &c);
        let got: Vec<(usize, bool)> = diags.iter().map(|x| (x.line, x.is_error())).collect();
        assert_eq!(
            got,
            vec![
                (4, true),
                (5, true),
                (6, true),
                (7, true),
                (8, true),
                (9, true),
                (10, true),
                (11, true),
                (12, false),
                (13, false),
                (14, true)
            ],
            "{diags:#?}"
        );
        assert_eq!(d.len(), 3);
        assert!(diags[2].message.contains("did you mean \"kanda\""));
        assert!(diags[8].message.contains("did you mean \"estimate\""));
        assert_eq!(d[2].due, utc("2026-03-08T07:30:00Z"));
        assert!(
            diags[9].message.contains("daylight-saving gap"),
            "{}",
            diags[9]
        );
        assert_eq!(
            diags[0].to_string(),
            "deadlines.jsonl:4: error: missing \"due\"; the line is skipped"
        );
    }

    #[test]
    fn origin_text_is_the_line_the_writer_finds() {
        // A last line ending in a lone CR (no newline): the writer's split keeps the CR in the
        // line, so the record's origin must too, or "mark done" cannot find it again.
        let c = config();
        let text = "{\"what\":\"a\"}\r\n{\"what\":\"b\"}\r";
        let (f, diags) = parse_followups(text, &c);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(f[1].origin.text, "{\"what\":\"b\"}\r");
        assert_eq!(
            crate::store::lines::find_record(text, None, &f[1].origin.text),
            Some(1)
        );
    }

    #[test]
    fn long_values_make_short_messages_and_bounded_work() {
        let c = config();
        let long = "z".repeat(100_000);
        let text = format!(
            "{{\"what\":\"a\",\"zone\":\"{long}\"}}\n{{\"what\":\"b\",\"client\":\"{long}\"}}\n{{\"what\":\"c\",\"due\":\"{long}\"}}\n{{\"what\":\"d\",\"{long}\":1}}\n"
        );
        let (f, diags) = parse_followups(&text, &c);
        assert_eq!(f.len(), 1, "{diags:?}");
        assert_eq!(diags.len(), 3);
        assert!(diags.iter().all(|d| d.message.len() < 400), "{diags:?}");
    }

    #[test]
    fn problems_are_capped_per_file() {
        let c = config();
        let mut text = String::new();
        for i in 0..1000 {
            text.push_str(&format!("{{\"what\":\"w{i}\",\"zone\":\"Nowhere/{i}\"}}\n"));
        }
        let (_, diags) = parse_followups(&text, &c);
        assert_eq!(diags.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
        assert_eq!(diags[0].line, 1);
        assert!(diags[0].message.contains("did you mean"), "{}", diags[0]);
        // Suggestions stop after MAX_SUGGESTIONS_PER_FILE lines; the plain message remains.
        assert!(
            !diags[199].message.contains("did you mean"),
            "{}",
            diags[199]
        );
        assert!(
            diags[199].message.contains("unknown time zone"),
            "{}",
            diags[199]
        );
        assert_eq!(
            diags[200].to_string(),
            "followups.jsonl: error: 800 more problems in this file (not listed); fix the ones above first"
        );
    }

    #[test]
    fn nul_anywhere_in_a_line_is_the_nul_message() {
        let c = config();
        let text = "{\"what\":\"a\0b\"}\n{\"what\":\"a\"}\0\n\0{\"what\":\"a\"}\n{\"what\":\"a\",\0\"x\":1}\n[\0]\n\"\0\"\n{\"what\":\"ok\"}\n";
        let (f, diags) = parse_followups(text, &c);
        assert_eq!(f.len(), 1);
        assert_eq!(diags.len(), 6, "{diags:?}");
        assert!(
            diags.iter().all(|d| d.message.contains("NUL bytes")),
            "{diags:?}"
        );
    }

    #[test]
    fn duplicate_ids_keep_first() {
        let c = config();
        let text = "{\"id\":\"a\",\"what\":\"one\"}\n{\"id\":\"a\",\"what\":\"two\"}\n";
        let (f, diags) = parse_followups(text, &c);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].what, "one");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 2);
        assert!(diags[0].message.contains("first on line 1"));
    }

    #[test]
    fn followup_due_forms() {
        let c = config();
        let text = "{\"what\":\"a\",\"due\":\"2026-11-25\"}\n{\"what\":\"b\",\"client\":\"kanda\",\"due\":\"2026-11-25T10:00\",\"waiting\":true}\n{\"what\":\"c\",\"waiting\":\"yes\"}\n";
        let (f, diags) = parse_followups(text, &c);
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0].due,
            Some(FollowupDue::Day(
                NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
            ))
        );
        assert_eq!(f[1].due, Some(FollowupDue::At(utc("2026-11-25T01:00:00Z"))));
        assert!(f[1].waiting);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 3);
    }

    #[test]
    fn interactions_need_known_client_kind_and_time() {
        let c = config();
        let text = "\u{feff}{\"at\":\"2026-11-20T14:00+09:00\",\"client\":\"kanda\",\"kind\":\"Visit\"}\n{\"at\":\"2026-11-20\",\"kind\":\"call\"}\n{\"at\":\"2026-11-20\",\"client\":\"kanda\"}\n";
        let (i, diags) = parse_interactions(text, &c);
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].kind, "visit");
        assert_eq!(diags.len(), 2);
        assert!(diags[0].message.contains("missing \"client\""));
        assert!(diags[1].message.contains("missing \"kind\""));
    }
}
