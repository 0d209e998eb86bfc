//! The three JSON-lines files -> typed records, with a `FILE:LINE[:COL]` diagnostic for every
//! line that is skipped or suspicious. Loading never stops at a bad line.
//!
//! A file is read in chunks cut at line boundaries ([`parse_chunk`]), each chunk on its own and
//! possibly on another thread, and the chunks are then put together in order ([`merge`]):
//! numbering the lines, dropping repeated ids (the first line wins), spending the "did you mean"
//! budget in line order and capping the messages, so the result is exactly that of reading the
//! whole file line by line. [`parse_deadlines`] and friends are one chunk and one merge.

#[path = "closed.rs"]
pub(crate) mod closed;
#[path = "jsonline.rs"]
pub(crate) mod jsonline;

use super::config::nearest;
use super::diagnostic::Diagnostic;
use crate::domain::model::{
    Client, Config, Deadline, Followup, FollowupDue, Interaction, Origin, Status,
};
use crate::domain::time::{TimeValue, parse_duration, parse_time_value, parse_zone, resolve_local};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use jsonline::{Object, Parsed, Val, parse_line};
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

pub use super::files::{DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};

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

/// Each file's known keys -> their slot in a line's [`Object`] (the position in the list above).
fn deadline_slot(k: &str) -> Option<usize> {
    Some(match k {
        "id" => 0,
        "client" => 1,
        "title" => 2,
        "due" => 3,
        "zone" => 4,
        "estimate" => 5,
        "spent" => 6,
        "status" => 7,
        "done_at" => 8,
        _ => return None,
    })
}

fn followup_slot(k: &str) -> Option<usize> {
    Some(match k {
        "id" => 0,
        "client" => 1,
        "who" => 2,
        "what" => 3,
        "due" => 4,
        "zone" => 5,
        "status" => 6,
        "snoozed_until" => 7,
        "waiting" => 8,
        "created" => 9,
        "done_at" => 10,
        _ => return None,
    })
}

fn interaction_slot(k: &str) -> Option<usize> {
    Some(match k {
        "at" => 0,
        "client" => 1,
        "kind" => 2,
        "who" => 3,
        "note" => 4,
        "zone" => 5,
        _ => return None,
    })
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

/// How many distinct unknown keys a chunk remembers the "did you mean" answer of (a user's own
/// extra field, such as `rate_eur`, is on every line).
const MAX_CACHED_KEYS: usize = 64;

/// Shorten a message that quotes the user's text at length.
fn clip(msg: String) -> String {
    match msg.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &msg[..cut]),
        None => msg,
    }
}

/// What every line of a load is read against: the config, and its clients by id (built once,
/// instead of a scan over all clients per line).
pub struct Ctx<'c> {
    pub config: &'c Config,
    clients: foldhash::HashMap<&'c str, (&'c Client, Arc<str>)>,
    /// The contact kinds tether knows a weight for, lower-cased: a contact shares one of these
    /// instead of owning a copy (700k contacts repeat a handful of kinds and client ids).
    kinds: Vec<Arc<str>>,
}

impl<'c> Ctx<'c> {
    pub fn new(config: &'c Config) -> Ctx<'c> {
        let mut clients = foldhash::HashMap::default();
        // The first client with an id wins, as `Config::client` finds it.
        for c in &config.clients {
            clients
                .entry(c.id.as_str())
                .or_insert_with(|| (c, Arc::from(c.id.as_str())));
        }
        let mut kinds: Vec<Arc<str>> = Vec::new();
        for k in config.heat.weights.keys() {
            let k = k.to_ascii_lowercase();
            if !kinds.iter().any(|x| **x == *k) {
                kinds.push(Arc::from(k));
            }
        }
        Ctx {
            config,
            clients,
            kinds,
        }
    }

    /// The same context with its own shared ids and kinds, for another thread: every contact
    /// clones one of them, and two threads counting on the same `Arc` fight over its cache line
    /// (a quarter of a contact's parse time at 1M).
    pub fn fork(&self) -> Ctx<'c> {
        Ctx::new(self.config)
    }

    /// A known client, and the shared copy of its id.
    fn client(&self, id: &str) -> Option<(Arc<str>, &'c Client)> {
        self.clients.get(id).map(|c| (Arc::clone(&c.1), c.0))
    }

    /// A contact kind, trimmed and lower-cased, shared when it is a known one.
    fn kind(&self, kind: &str) -> Arc<str> {
        let kind = kind.trim();
        match self.kinds.iter().find(|k| k.eq_ignore_ascii_case(kind)) {
            Some(k) => Arc::clone(k),
            None => Arc::from(kind.to_ascii_lowercase()),
        }
    }
}

/// Collects diagnostics up to [`MAX_DIAGNOSTICS_PER_FILE`]; counts the rest.
#[derive(Debug, Default)]
struct Diags {
    list: Vec<Diagnostic>,
    dropped: usize,
    dropped_errors: usize,
}

impl Diags {
    /// Keep `d` if there is room; its index in the list when kept.
    fn push(&mut self, d: Diagnostic) -> Option<usize> {
        if self.list.len() < MAX_DIAGNOSTICS_PER_FILE {
            self.list.push(d);
            Some(self.list.len() - 1)
        } else {
            self.dropped += 1;
            self.dropped_errors += usize::from(d.is_error());
            None
        }
    }
}

/// The message for a line that is not a record, or `None` when it holds a JSON object (read
/// into `obj`). Blank and `#` lines are neither: `Err(None)`.
fn record_line<'a>(
    file: &'static str,
    number: usize,
    line: &'a str,
    index: fn(&str) -> Option<usize>,
    obj: &mut Object<'a>,
) -> Result<(), Option<Diagnostic>> {
    let t = line.trim_start();
    if t.is_empty() || t.starts_with('#') {
        return Err(None);
    }
    if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
        .iter()
        .any(|m| t.starts_with(m))
    {
        return Err(Some(Diagnostic::error(
            file,
            number,
            "merge-conflict marker: keep the side you want, delete the marker lines, and save",
        )));
    }
    // JSON allows no raw NUL anywhere, so a line with one always fails to parse: look for NULs
    // only then, to word the message (and not scan every good line twice).
    Err(Some(match parse_line(line, index, obj) {
        Ok(Parsed::Object) => return Ok(()),
        Err(_) if line.contains('\0') => Diagnostic::error(
            file,
            number,
            "the line contains NUL bytes (a binary file, or one saved as UTF-16?); the line is skipped",
        ),
        Ok(Parsed::Other(kind)) => Diagnostic::error(
            file,
            number,
            format!("expected one JSON object {{...}} per line, found {kind}; the line is skipped"),
        ),
        Err(e) => Diagnostic::error(
            file,
            number,
            format!(
                "not valid JSON ({}); the line is skipped",
                clip(strip_pos(&e))
            ),
        )
        .with_col(e.column().max(1)),
    }))
}

/// serde_json appends " at line 1 column 7"; we report the position ourselves.
fn strip_pos(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(p) => s[..p].to_string(),
        None => s,
    }
}

/// A record file: its name, keys, and how one line becomes a record.
pub trait Kind {
    type Rec: Send;
    const FILE: &'static str;
    const KNOWN: &'static [&'static str];
    /// Whether closed lines may be skipped unread (by `status`).
    const HAS_STATUS: bool;
    fn slot(k: &str) -> Option<usize>;
    fn parse(f: &mut Fields<'_, '_, '_>, text: &str) -> Result<Self::Rec, Skip>;
    fn id(r: &Self::Rec) -> Option<&str>;
    fn line(r: &Self::Rec) -> usize;
    fn line_mut(r: &mut Self::Rec) -> &mut usize;
}

/// Per-line reader: collects the first error (which skips the line) and any warnings.
pub struct Fields<'x, 'a, 'c> {
    file: &'static str,
    line: usize,
    obj: &'x Object<'a>,
    slot: fn(&str) -> Option<usize>,
    cx: &'x Ctx<'c>,
    warnings: Vec<Diagnostic>,
    /// How many more "did you mean" suggestions this chunk may compute.
    suggestions: &'x Cell<usize>,
    /// Set when this line asked for a suggestion: the message it gets without one (the merge
    /// uses it once the file's budget is spent by earlier chunks).
    plain: Option<String>,
}

pub type Skip = Diagnostic;

impl<'x, 'a, 'c> Fields<'x, 'a, 'c> {
    fn err(&self, msg: impl Into<String>) -> Skip {
        Diagnostic::error(
            self.file,
            self.line,
            format!("{}; the line is skipped", clip(msg.into())),
        )
    }

    /// Whether to work out a "did you mean" (see [`MAX_SUGGESTIONS_PER_FILE`]); `plain` is the
    /// message without one.
    fn may_suggest(&mut self, plain: impl FnOnce() -> String) -> bool {
        self.plain = Some(self.err(plain()).message);
        let left = self.suggestions.get();
        self.suggestions.set(left.saturating_sub(1));
        left > 0
    }

    fn warn(&mut self, msg: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(self.file, self.line, clip(msg.into())));
    }

    #[inline]
    fn get(&self, key: &str) -> Option<&'x Val<'a>> {
        (self.slot)(key).and_then(|i| self.obj.slots[i].as_ref())
    }

    fn opt_str(&self, key: &str) -> Result<Option<&'x str>, Skip> {
        match self.get(key) {
            None | Some(Val::Null) => Ok(None),
            Some(Val::Str(s)) => Ok(Some(s.as_ref())),
            Some(other) => {
                Err(self.err(format!("\"{key}\" must be a string, not {}", other.kind())))
            }
        }
    }

    fn req_str(&self, key: &str) -> Result<&'x str, Skip> {
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

    /// The record's zone: its own `zone`, else its client's, else yours.
    fn zone(&mut self, client: Option<&Client>) -> Result<Tz, Skip> {
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
            let plain = || {
                format!(
                    "\"zone\": unknown time zone {z:?}; use an IANA name such as \"Asia/Tokyo\""
                )
            };
            if !self.may_suggest(plain) {
                return Err(self.err(plain()));
            }
            return parse_zone(z).map_err(|e| self.err(format!("\"zone\": {e}")));
        }
        Ok(client.map_or(self.cx.config.me.zone, |c| c.zone))
    }

    /// The record's client id and its entry in the config (looked up once per line).
    fn client(&mut self, required: bool) -> Result<Option<(Arc<str>, &'c Client)>, Skip> {
        let c = if required {
            Some(self.req_str("client")?)
        } else {
            self.opt_str("client")?
        };
        let Some(id) = c else {
            return Ok(None);
        };
        if let Some(known) = self.cx.client(id) {
            return Ok(Some(known));
        }
        let config = self.cx.config;
        let ids: Vec<&str> = config.clients.iter().map(|c| c.id.as_str()).collect();
        let hint = |suggestion: Option<&str>| match suggestion {
            Some(n) => format!(" (did you mean \"{n}\"?)"),
            None if ids.is_empty() => " (tether.toml has no [[clients]] yet)".into(),
            None => format!(" (known: {})", ids.join(", ")),
        };
        let plain = || format!("unknown client \"{id}\"{}", hint(None));
        let suggestion = (id.len() <= MAX_SUGGEST_LEN && self.may_suggest(plain))
            .then(|| nearest(id, &ids))
            .flatten();
        Err(self.err(format!("unknown client \"{id}\"{}", hint(suggestion))))
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

/// A record's origin. The line's text is kept for an open record (the writer finds it again to
/// mark it done or snooze it) and for one without an id (its text is its key: alerts, undo,
/// calendar export). A closed record with an id needs neither, and closed history is most of a
/// file after a few years, so its text is not kept.
fn origin(line: usize, text: &str, id: Option<&str>, status: Status) -> Origin {
    let keep = id.is_none() || status == Status::Open;
    Origin {
        line,
        text: if keep {
            text.to_string()
        } else {
            String::new()
        },
    }
}

/// The lines of a text without its BOM, exactly as [`split_lines`](super::lines::split_lines)
/// cuts them (a lone `\r` at the very end stays in the line).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        Some(match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(nl) => {
                let line = &rest[..nl];
                rest = &rest[nl + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        })
    })
}

/// What to read of a file's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every line (the dashboard, `check`, `add`, `export`).
    All,
    /// Skip the lines that are certainly closed (`"status":"done"` or `"dropped"`) without
    /// parsing them; their ids still count for duplicates. For `status` (see docs/status.md).
    OpenOnly,
}

/// One chunk of a file, read: records and messages with line numbers counted from the chunk's
/// first line (1), put together by [`merge`].
pub struct Chunk<T> {
    records: Vec<T>,
    /// How many lines the chunk has.
    lines: usize,
    diags: Diags,
    /// Skipped closed lines that have an id: (line, range in `claim_ids`).
    claims: Vec<(usize, Range<usize>)>,
    claim_ids: String,
    /// Each line that asked for a "did you mean", in order: its message's index in `diags.list`
    /// (if kept) and that message without the suggestion.
    asked: Vec<(Option<usize>, String)>,
}

impl<T> Chunk<T> {
    /// How many lines the chunk has (to number the next chunk's lines).
    pub fn lines(&self) -> usize {
        self.lines
    }
}

/// Read one chunk: whole lines of a file (its BOM already removed).
pub fn parse_chunk<K: Kind>(text: &str, cx: &Ctx<'_>, mode: Mode) -> Chunk<K::Rec> {
    let file = K::FILE;
    let mut out = Chunk {
        records: Vec::new(),
        lines: 0,
        diags: Diags::default(),
        claims: Vec::new(),
        claim_ids: String::new(),
        asked: Vec::new(),
    };
    let suggestions = Cell::new(MAX_SUGGESTIONS_PER_FILE);
    let skip_closed = mode == Mode::OpenOnly && K::HAS_STATUS;
    let mut typos = TypoCache::default();
    let mut obj = Object::default();
    for (i, line) in lines(text).enumerate() {
        let number = i + 1;
        out.lines = number;
        if skip_closed && let Some(c) = closed::closed_line(line) {
            if let Some(id) = c.id {
                let start = out.claim_ids.len();
                out.claim_ids.push_str(id);
                out.claims.push((number, start..out.claim_ids.len()));
            }
            continue;
        }
        match record_line(file, number, line, K::slot, &mut obj) {
            Ok(()) => {}
            Err(None) => continue,
            Err(Some(d)) => {
                out.diags.push(d);
                continue;
            }
        }
        let mut f = Fields {
            file,
            line: number,
            obj: &obj,
            slot: K::slot,
            cx,
            warnings: Vec::new(),
            suggestions: &suggestions,
            plain: None,
        };
        typos.check(&mut f, K::KNOWN);
        match K::parse(&mut f, line) {
            Ok(rec) => out.records.push(rec),
            Err(d) => {
                let at = out.diags.push(d);
                if let Some(plain) = f.plain.take() {
                    out.asked.push((at, plain));
                }
            }
        }
        for w in f.warnings.drain(..) {
            out.diags.push(w);
        }
    }
    out
}

/// "Did you mean" for unknown keys, remembered per key (a user's own extra field, such as
/// `rate_eur`, repeats on every line).
#[derive(Default)]
struct TypoCache {
    known: Vec<(String, Option<&'static str>)>,
}

impl TypoCache {
    /// Warn about a field that looks like a misspelt known one; other extra fields are the
    /// user's own (tags, rates…) and are kept silently. In key order, each key once, as a
    /// map would list them.
    fn check(&mut self, f: &mut Fields<'_, '_, '_>, known: &'static [&'static str]) {
        let unknown = &f.obj.unknown;
        if unknown.is_empty() {
            return;
        }
        let mut keys: Vec<&Cow<'_, str>> = unknown.iter().collect();
        if keys.len() > 1 {
            keys.sort();
            keys.dedup();
        }
        for k in keys {
            let k: &str = k;
            if k.len() > MAX_SUGGEST_LEN {
                continue;
            }
            let n = match self.known.iter().find(|(c, _)| c == k) {
                Some((_, n)) => *n,
                None => {
                    let n = nearest(k, known);
                    if self.known.len() < MAX_CACHED_KEYS {
                        self.known.push((k.to_string(), n));
                    }
                    n
                }
            };
            if let Some(n) = n {
                f.warn(format!(
                    "unknown field \"{k}\" (did you mean \"{n}\"?); it is kept but ignored"
                ));
            }
        }
    }
}

/// Where an id was first met: a kept record (its index in the file's list) or a skipped closed
/// line (its id's place in [`SeenIds::claimed`]).
#[derive(Clone, Copy)]
enum Loc {
    Record(usize),
    Claim(u32, u32),
}

/// The first line of each id met so far, by the id's hash (no copy of the id: the records hold
/// it). Two different ids with the same hash are told apart by comparing the text, and the
/// later one is then kept by its text in `collided`.
#[derive(Default)]
struct SeenIds<S = foldhash::fast::RandomState> {
    hasher: S,
    first: HashMap<u64, (usize, Loc), foldhash::fast::RandomState>,
    collided: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    /// The ids of skipped closed lines (`Mode::OpenOnly`), one after another.
    claimed: String,
}

impl<S: std::hash::BuildHasher> SeenIds<S> {
    /// Note `id` as met on `line` at `loc`: `Err(first line)` when an earlier line has it.
    /// `text_of` gives the id at an earlier `Loc::Record`.
    fn claim<'r>(
        &mut self,
        id: &str,
        line: usize,
        loc: Loc,
        text_of: impl Fn(usize) -> Option<&'r str>,
    ) -> Result<(), usize> {
        use std::collections::hash_map::Entry;
        match self.first.entry(self.hasher.hash_one(id)) {
            Entry::Vacant(e) => {
                e.insert((line, loc));
                Ok(())
            }
            Entry::Occupied(e) => {
                let (first, at) = *e.get();
                let text = match at {
                    Loc::Record(i) => text_of(i),
                    Loc::Claim(from, to) => self.claimed.get(from as usize..to as usize),
                };
                if text == Some(id) {
                    return Err(first);
                }
                match self.collided.get(id) {
                    Some(&first) => Err(first),
                    None => {
                        self.collided.insert(id.into(), line);
                        Ok(())
                    }
                }
            }
        }
    }

    /// A skipped closed line's id (`text_of` as for [`SeenIds::claim`]).
    fn claim_skipped<'r>(
        &mut self,
        id: &str,
        line: usize,
        text_of: impl Fn(usize) -> Option<&'r str>,
    ) -> Result<(), usize> {
        let from = self.claimed.len() as u32;
        self.claimed.push_str(id);
        let loc = Loc::Claim(from, self.claimed.len() as u32);
        self.claim(id, line, loc, text_of)
    }
}

fn duplicate_id(file: &'static str, id: &str, line: usize, first: usize) -> Diagnostic {
    Diagnostic::error(
        file,
        line,
        format!(
            "duplicate id \"{id}\" (first on line {first}); this line is skipped — merge the two lines or give this one a new id"
        ),
    )
}

/// Puts a file's chunks together, in order, as they come: numbers their lines, drops repeated
/// ids (the first line wins), spends the "did you mean" budget in line order, and keeps the
/// first [`MAX_DIAGNOSTICS_PER_FILE`] messages by line (the rest counted in one last message).
///
/// Each chunk's records are moved out as soon as it is pushed, so a file read in blocks is
/// never in memory twice (the blocks and the whole), and the putting together overlaps the
/// parsing of later blocks (see `store::stream`).
pub struct Merger<K: Kind> {
    budget: usize,
    /// Lines in the chunks pushed so far.
    offset: usize,
    records: Vec<K::Rec>,
    /// Indices in `records` of lines whose id came before (dropped in `finish`).
    gone: Vec<usize>,
    seen: SeenIds,
    dups: Diags,
    diags: Vec<Diagnostic>,
    dropped: usize,
    dropped_errors: usize,
}

impl<K: Kind> Default for Merger<K> {
    fn default() -> Self {
        Merger {
            budget: MAX_SUGGESTIONS_PER_FILE,
            offset: 0,
            records: Vec::new(),
            gone: Vec::new(),
            seen: SeenIds::default(),
            dups: Diags::default(),
            diags: Vec::new(),
            dropped: 0,
            dropped_errors: 0,
        }
    }
}

impl<K: Kind> Merger<K> {
    /// The next chunk of the file (the one after the last pushed).
    pub fn push(&mut self, mut c: Chunk<K::Rec>) {
        let file = K::FILE;
        // Suggestions: each chunk had the whole budget; the first lines of the file get them.
        for (at, plain) in c.asked.drain(..) {
            if self.budget > 0 {
                self.budget -= 1;
            } else if let Some(i) = at {
                c.diags.list[i].message = plain;
            }
        }
        // Line numbers.
        let offset = self.offset;
        if offset > 0 {
            for r in &mut c.records {
                *K::line_mut(r) += offset;
            }
            for d in &mut c.diags.list {
                d.line += offset;
            }
            for (line, _) in &mut c.claims {
                *line += offset;
            }
        }
        self.offset += c.lines;
        // Repeated ids, in line order over the records and the skipped closed lines. The block
        // goes in whole; a repeat is only marked, and taken out in `finish`.
        let base = self.records.len();
        if self.records.is_empty() {
            self.records = c.records;
        } else {
            self.records.append(&mut c.records);
        }
        let Merger {
            records,
            seen,
            dups,
            gone,
            ..
        } = self;
        let text_of = |i: usize| records.get(i).and_then(K::id);
        let mut claims = c.claims.iter().peekable();
        for (i, r) in records.iter().enumerate().skip(base) {
            let line = K::line(r);
            while let Some((cl, range)) = claims.next_if(|(cl, _)| *cl < line) {
                let id = &c.claim_ids[range.clone()];
                if let Err(first) = seen.claim_skipped(id, *cl, text_of) {
                    dups.push(duplicate_id(file, id, *cl, first));
                }
            }
            if let Some(id) = K::id(r)
                && let Err(first) = seen.claim(id, line, Loc::Record(i), text_of)
            {
                dups.push(duplicate_id(file, id, line, first));
                gone.push(i);
            }
        }
        for (cl, range) in claims {
            let id = &c.claim_ids[range.clone()];
            if let Err(first) = seen.claim_skipped(id, *cl, text_of) {
                dups.push(duplicate_id(file, id, *cl, first));
            }
        }
        self.dropped += c.diags.dropped;
        self.dropped_errors += c.diags.dropped_errors;
        self.diags.extend(c.diags.list);
    }

    /// The file's records and messages.
    pub fn finish(self) -> (Vec<K::Rec>, Vec<Diagnostic>) {
        let file = K::FILE;
        // Messages: a line's own stay in the order they were made (its error, if any, first),
        // so the kept ones are the first MAX by line; count the rest.
        let Merger {
            mut records,
            gone,
            dups,
            diags: own,
            mut dropped,
            mut dropped_errors,
            ..
        } = self;
        if !gone.is_empty() {
            let mut i = 0;
            let mut gone = gone.into_iter().peekable();
            records.retain(|_| {
                let keep = gone.next_if(|&g| g == i).is_none();
                i += 1;
                keep
            });
        }
        let Diags {
            list: mut diags,
            dropped: more,
            dropped_errors: more_errors,
        } = dups;
        dropped += more;
        dropped_errors += more_errors;
        diags.extend(own);
        diags.sort_by_key(|d| (d.line, !d.is_error()));
        if diags.len() > MAX_DIAGNOSTICS_PER_FILE {
            let cut = diags.split_off(MAX_DIAGNOSTICS_PER_FILE);
            dropped += cut.len();
            dropped_errors += cut.iter().filter(|d| d.is_error()).count();
        }
        if dropped > 0 {
            let msg = format!(
                "{dropped} more problems in this file (not listed); fix the ones above first"
            );
            diags.push(if dropped_errors > 0 {
                Diagnostic::error(file, 0, msg)
            } else {
                Diagnostic::warning(file, 0, msg)
            });
        }
        (records, diags)
    }
}

/// [`Merger`] over all of a file's chunks at once.
pub fn merge<K: Kind>(chunks: Vec<Chunk<K::Rec>>) -> (Vec<K::Rec>, Vec<Diagnostic>) {
    let mut m = Merger::<K>::default();
    for c in chunks {
        m.push(c);
    }
    m.finish()
}

/// Read a whole file's text (one chunk).
pub fn parse_text<K: Kind>(text: &str, cx: &Ctx<'_>, mode: Mode) -> (Vec<K::Rec>, Vec<Diagnostic>) {
    let (_, rest) = super::lines::strip_bom(text);
    merge::<K>(vec![parse_chunk::<K>(rest, cx, mode)])
}

pub fn parse_deadlines(text: &str, config: &Config) -> (Vec<Deadline>, Vec<Diagnostic>) {
    parse_text::<Deadlines>(text, &Ctx::new(config), Mode::All)
}

pub fn parse_followups(text: &str, config: &Config) -> (Vec<Followup>, Vec<Diagnostic>) {
    parse_text::<Followups>(text, &Ctx::new(config), Mode::All)
}

pub fn parse_interactions(text: &str, config: &Config) -> (Vec<Interaction>, Vec<Diagnostic>) {
    parse_text::<Interactions>(text, &Ctx::new(config), Mode::All)
}

/// deadlines.jsonl.
pub struct Deadlines;
/// followups.jsonl.
pub struct Followups;
/// interactions.jsonl (the contact log).
pub struct Interactions;

impl Kind for Deadlines {
    type Rec = Deadline;
    const FILE: &'static str = DEADLINES_FILE;
    const KNOWN: &'static [&'static str] = DEADLINE_FIELDS;
    const HAS_STATUS: bool = true;
    fn slot(k: &str) -> Option<usize> {
        deadline_slot(k)
    }
    fn id(r: &Deadline) -> Option<&str> {
        r.id.as_deref()
    }
    fn line(r: &Deadline) -> usize {
        r.origin.line
    }
    fn line_mut(r: &mut Deadline) -> &mut usize {
        &mut r.origin.line
    }
    fn parse(f: &mut Fields<'_, '_, '_>, text: &str) -> Result<Deadline, Skip> {
        let title = f.req_str("title")?.to_string();
        let (client, cl) = f.client(false)?.unzip();
        let zone = f.zone(cl)?;
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
        let id = f.opt_str("id")?;
        Ok(Deadline {
            origin: origin(f.line, text, id, status),
            id: id.map(str::to_string),
            client,
            title,
            due,
            zone,
            estimate,
            spent,
            status,
            done_at,
        })
    }
}

impl Kind for Followups {
    type Rec = Followup;
    const FILE: &'static str = FOLLOWUPS_FILE;
    const KNOWN: &'static [&'static str] = FOLLOWUP_FIELDS;
    const HAS_STATUS: bool = true;
    fn slot(k: &str) -> Option<usize> {
        followup_slot(k)
    }
    fn id(r: &Followup) -> Option<&str> {
        r.id.as_deref()
    }
    fn line(r: &Followup) -> usize {
        r.origin.line
    }
    fn line_mut(r: &mut Followup) -> &mut usize {
        &mut r.origin.line
    }
    fn parse(f: &mut Fields<'_, '_, '_>, text: &str) -> Result<Followup, Skip> {
        let what = f.req_str("what")?.to_string();
        let (client, cl) = f.client(false)?.unzip();
        let zone = f.zone(cl)?;
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
        let waiting = match f.get("waiting") {
            None | Some(Val::Null) => false,
            Some(Val::Bool(b)) => *b,
            Some(other) => {
                return Err(f.err(format!(
                    "\"waiting\" must be true or false, not {}",
                    other.kind()
                )));
            }
        };
        let id = f.opt_str("id")?;
        let status = f.status()?;
        Ok(Followup {
            origin: origin(f.line, text, id, status),
            id: id.map(str::to_string),
            client,
            who: f.opt_str("who")?.map(str::to_string),
            what,
            due,
            status,
            snoozed_until: f.opt_instant("snoozed_until", zone)?,
            waiting,
            created: f.opt_instant("created", zone)?,
            done_at: f.opt_instant("done_at", zone)?,
        })
    }
}

impl Kind for Interactions {
    type Rec = Interaction;
    const FILE: &'static str = INTERACTIONS_FILE;
    const KNOWN: &'static [&'static str] = INTERACTION_FIELDS;
    const HAS_STATUS: bool = false;
    fn slot(k: &str) -> Option<usize> {
        interaction_slot(k)
    }
    fn id(_: &Interaction) -> Option<&str> {
        None
    }
    fn line(r: &Interaction) -> usize {
        r.line
    }
    fn line_mut(r: &mut Interaction) -> &mut usize {
        &mut r.line
    }
    fn parse(f: &mut Fields<'_, '_, '_>, _text: &str) -> Result<Interaction, Skip> {
        let (client, cl) = f.client(true)?.unzip();
        // Required: a line without one was skipped above.
        let client = client.unwrap_or_else(|| Arc::from(""));
        let kind = f.cx.kind(f.req_str("kind")?);
        let zone = f.zone(cl)?;
        let at_s = f.req_str("at")?;
        // A date-only contact counts from the start of that day, so one logged "today"
        // warms the client at once.
        let at = f.instant("at", at_s, zone, |d| d.and_time(NaiveTime::MIN))?;
        // Checked (a number where a name belongs is a mistake to report), not kept.
        f.opt_str("who")?;
        f.opt_str("note")?;
        Ok(Interaction {
            line: f.line,
            at,
            client,
            kind,
        })
    }
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
    fn ids_with_the_same_hash_are_told_apart_by_their_text() {
        /// Every id hashes the same: each claim after the first is a collision.
        #[derive(Default)]
        struct Same;
        impl std::hash::Hasher for Same {
            fn finish(&self) -> u64 {
                7
            }
            fn write(&mut self, _: &[u8]) {}
        }
        let mut seen = SeenIds::<std::hash::BuildHasherDefault<Same>>::default();
        let ids = ["a", "b", "c"];
        let text_of = |i: usize| ids.get(i).copied();
        assert_eq!(seen.claim("a", 1, Loc::Record(0), text_of), Ok(()));
        assert_eq!(seen.claim("b", 2, Loc::Record(1), text_of), Ok(()));
        assert_eq!(seen.claim_skipped("c", 3, text_of), Ok(()));
        assert_eq!(seen.claim("a", 4, Loc::Record(3), text_of), Err(1));
        assert_eq!(seen.claim("b", 5, Loc::Record(4), text_of), Err(2));
        assert_eq!(seen.claim_skipped("c", 6, text_of), Err(3));
        assert_eq!(seen.claim_skipped("b", 8, text_of), Err(2));
        assert_eq!(seen.claim("d", 7, Loc::Record(5), text_of), Ok(()));
    }

    #[test]
    fn closed_records_with_an_id_keep_no_text_and_are_still_found() {
        let c = config();
        let text = "{\"id\":\"f1\",\"what\":\"a\",\"status\":\"done\"}\n{\"what\":\"b\",\"status\":\"done\"}\n{\"id\":\"f3\",\"what\":\"c\"}\n";
        let (f, diags) = parse_followups(text, &c);
        assert!(diags.is_empty(), "{diags:?}");
        // Closed with an id: no text; closed without one, or open: the line itself.
        assert_eq!(f[0].origin.text, "");
        assert_eq!(f[1].origin.text, "{\"what\":\"b\",\"status\":\"done\"}");
        assert_eq!(f[2].origin.text, "{\"id\":\"f3\",\"what\":\"c\"}");
        // The id still finds the line (and keys it).
        assert_eq!(
            crate::store::lines::find_record(text, f[0].id.as_deref(), &f[0].origin.text),
            Some(0)
        );
        let (d, _) = parse_deadlines(
            "{\"id\":\"d1\",\"title\":\"t\",\"due\":\"2026-11-25\",\"status\":\"done\"}\n",
            &c,
        );
        assert_eq!(d[0].origin.text, "");
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
        assert_eq!(&*i[0].kind, "visit");
        assert_eq!(diags.len(), 2);
        assert!(diags[0].message.contains("missing \"client\""));
        assert!(diags[1].message.contains("missing \"kind\""));
    }

    #[test]
    fn repeated_key_last_one_wins() {
        let c = config();
        let text = "{\"what\":\"a\",\"what\":\"b\",\"status\":\"done\",\"status\":\"open\"}\n{\"what\":\"c\",\"waiting\":1,\"waiting\":true}\n";
        let (f, diags) = parse_followups(text, &c);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(f[0].what, "b");
        assert_eq!(f[0].status, Status::Open);
        assert!(f[1].waiting);
    }

    #[test]
    fn numbers_are_parsed_even_where_ignored() {
        let c = config();
        let text = "{\"what\":\"a\",\"rate\":1e400}\n{\"what\":\"b\",\"x\":[{\"y\":-1e999}]}\n";
        let (f, diags) = parse_followups(text, &c);
        assert!(f.is_empty());
        assert_eq!(
            diags[0].to_string(),
            "followups.jsonl:1:24: error: not valid JSON (number out of range); the line is skipped"
        );
        assert_eq!(diags[1].line, 2);
        assert!(diags[1].message.contains("number out of range"));
    }

    #[test]
    fn typo_warnings_come_in_key_order_once_each() {
        let c = config();
        let text = "{\"what\":\"a\",\"stauts\":\"x\",\"clinet\":\"k\",\"stauts\":\"y\"}\n";
        let (f, diags) = parse_followups(text, &c);
        assert_eq!(f.len(), 1);
        let got: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "unknown field \"clinet\" (did you mean \"client\"?); it is kept but ignored",
                "unknown field \"stauts\" (did you mean \"status\"?); it is kept but ignored",
            ]
        );
    }
}
