//! The machinery every record file shares: a line's fields read with a message for every
//! mistake ([`Fields`]), "did you mean" for keys, zones and clients, and one chunk of a file
//! parsed on its own ([`parse_chunk`]).

use super::closed;
use super::jsonline::{Object, Parsed, Val, parse_line};
use crate::domain::model::{Client, Config, Deadline, Followup, Interaction, Origin, Status};
use crate::domain::recur::{HolidayMove, Recurrence};
use crate::domain::time::{TimeValue, parse_duration, parse_time_value, parse_zone, resolve_local};
use crate::store::config::nearest;
use crate::store::diagnostic::Diagnostic;
use crate::store::threeway::fields::CONFLICT_FIELD;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use compact_str::CompactString;
use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;
use std::sync::Mutex;

/// At most this many problems are listed one by one per file; the rest are counted in one last
/// message, so a file full of garbage (a binary, a log pasted in) cannot make millions of
/// messages (time and memory stay bounded; see docs/reliability.md).
pub const MAX_DIAGNOSTICS_PER_FILE: usize = 200;

/// A message quotes at most this many characters of the user's text (a 50 MB line must not
/// become a 50 MB message).
pub(super) const MAX_MESSAGE_CHARS: usize = 300;

/// A field value longer than this is never a zone name, nor a typo of a field or client name:
/// "did you mean" compares strings pairwise (cost grows with the product of their lengths), so
/// it only runs on short ones.
pub(super) const MAX_SUGGEST_LEN: usize = 64;

/// "Did you mean" for a zone or client is worked out for at most this many lines per file: each
/// one compares the value with every zone name (about 600), so a file with thousands of bad
/// zones would otherwise take minutes to load. Later lines get the plain message.
pub(super) const MAX_SUGGESTIONS_PER_FILE: usize = 50;

/// How many distinct unknown keys a chunk remembers the "did you mean" answer of (a user's own
/// extra field, such as `rate_eur`, is on every line).
pub(super) const MAX_CACHED_KEYS: usize = 64;

/// Shorten a message that quotes the user's text at length.
pub(super) fn clip(msg: String) -> String {
    match msg.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &msg[..cut]),
        None => msg,
    }
}

/// What every line of a load is read against: the config, and its clients by id (built once,
/// instead of a scan over all clients per line).
pub struct Ctx<'c> {
    pub config: &'c Config,
    pub(super) clients: foldhash::HashMap<&'c str, (&'c Client, Arc<str>)>,
    /// The contact kinds tether knows a weight for, lower-cased: a contact shares one of these
    /// instead of owning a copy (700k contacts repeat a handful of kinds and client ids).
    pub(super) kinds: Vec<Arc<str>>,
    /// The contact names read so far, each kept once (at most [`Interaction::MAX_NAMES`]). A
    /// context is one thread's (see `fork`), so the lock is never waited for.
    names: Mutex<foldhash::HashSet<Arc<str>>>,
    /// Which records are kept (all without one): the others are dropped as they are parsed,
    /// their problems reported and their ids still counted for duplicates.
    keep: Option<&'c Keep<'c>>,
}

/// Which records a load keeps (each asked as it is parsed): see `store::load::load_keeping`.
pub struct Keep<'k> {
    pub deadline: &'k (dyn Fn(&Deadline) -> bool + Sync),
    pub followup: &'k (dyn Fn(&Followup) -> bool + Sync),
    /// Whether the contact log is read at all (every contact is kept when it is).
    pub contacts: bool,
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
            names: Mutex::default(),
            keep: None,
        }
    }

    /// The same context keeping only the records `keep` wants.
    pub fn keeping(self, keep: &'c Keep<'c>) -> Ctx<'c> {
        Ctx {
            keep: Some(keep),
            ..self
        }
    }

    /// Whether a deadline is kept.
    pub(super) fn keeps_deadline(&self, d: &Deadline) -> bool {
        self.keep.is_none_or(|k| (k.deadline)(d))
    }

    /// Whether a follow-up is kept.
    pub(super) fn keeps_followup(&self, f: &Followup) -> bool {
        self.keep.is_none_or(|k| (k.followup)(f))
    }

    /// The same context with its own shared ids and kinds, for another thread: every contact
    /// clones one of them, and two threads counting on the same `Arc` fight over its cache line
    /// (a quarter of a contact's parse time at 1M).
    pub fn fork(&self) -> Ctx<'c> {
        Ctx {
            keep: self.keep,
            ..Ctx::new(self.config)
        }
    }

    /// A known client, and the shared copy of its id.
    pub(super) fn client(&self, id: &str) -> Option<(Arc<str>, &'c Client)> {
        self.clients.get(id).map(|c| (Arc::clone(&c.1), c.0))
    }

    /// A contact's name, trimmed and shared; None when empty, or new past the bound.
    pub(super) fn name(&self, who: &str) -> Option<Arc<str>> {
        let who = who.trim();
        if who.is_empty() {
            return None;
        }
        let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = names.get(who) {
            return Some(Arc::clone(n));
        }
        if names.len() >= Interaction::MAX_NAMES {
            return None;
        }
        let n: Arc<str> = Arc::from(who);
        names.insert(Arc::clone(&n));
        Some(n)
    }

    /// A contact kind, trimmed and lower-cased, shared when it is a known one.
    pub(super) fn kind(&self, kind: &str) -> Arc<str> {
        let kind = kind.trim();
        match self.kinds.iter().find(|k| k.eq_ignore_ascii_case(kind)) {
            Some(k) => Arc::clone(k),
            None => Arc::from(kind.to_ascii_lowercase()),
        }
    }
}

/// Collects diagnostics up to [`MAX_DIAGNOSTICS_PER_FILE`]; counts the rest.
#[derive(Debug, Default)]
pub(super) struct Diags {
    pub(super) list: Vec<Diagnostic>,
    pub(super) dropped: usize,
    pub(super) dropped_errors: usize,
}

impl Diags {
    /// Keep `d` if there is room; its index in the list when kept.
    pub(super) fn push(&mut self, d: Diagnostic) -> Option<usize> {
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
pub(super) fn record_line<'a>(
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
pub(super) fn strip_pos(e: &serde_json::Error) -> String {
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
    /// Whether the load keeps the record (see [`Ctx::keeping`]).
    fn kept(_cx: &Ctx<'_>, _r: &Self::Rec) -> bool {
        true
    }
    fn line(r: &Self::Rec) -> usize;
    fn line_mut(r: &mut Self::Rec) -> &mut usize;
}

/// Per-line reader: collects the first error (which skips the line) and any warnings.
pub struct Fields<'x, 'a, 'c> {
    pub(super) file: &'static str,
    pub(super) line: usize,
    pub(super) obj: &'x Object<'a>,
    pub(super) slot: fn(&str) -> Option<usize>,
    pub(super) cx: &'x Ctx<'c>,
    pub(super) warnings: Vec<Diagnostic>,
    /// How many more "did you mean" suggestions this chunk may compute.
    pub(super) suggestions: &'x Cell<usize>,
    /// Set when this line asked for a suggestion: the message it gets without one (the merge
    /// uses it once the file's budget is spent by earlier chunks).
    pub(super) plain: Option<String>,
}

pub type Skip = Diagnostic;

impl<'x, 'a, 'c> Fields<'x, 'a, 'c> {
    pub(super) fn err(&self, msg: impl Into<String>) -> Skip {
        Diagnostic::error(
            self.file,
            self.line,
            format!("{}; the line is skipped", clip(msg.into())),
        )
    }

    /// Whether to work out a "did you mean" (see [`MAX_SUGGESTIONS_PER_FILE`]); `plain` is the
    /// message without one.
    pub(super) fn may_suggest(&mut self, plain: impl FnOnce() -> String) -> bool {
        self.plain = Some(self.err(plain()).message);
        let left = self.suggestions.get();
        self.suggestions.set(left.saturating_sub(1));
        left > 0
    }

    pub(super) fn warn(&mut self, msg: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(self.file, self.line, clip(msg.into())));
    }

    #[inline]
    pub(super) fn get(&self, key: &str) -> Option<&'x Val<'a>> {
        (self.slot)(key).and_then(|i| self.obj.slots[i].as_ref())
    }

    pub(super) fn opt_str(&self, key: &str) -> Result<Option<&'x str>, Skip> {
        match self.get(key) {
            None | Some(Val::Null) => Ok(None),
            Some(Val::Str(s)) => Ok(Some(s.as_ref())),
            Some(other) => {
                Err(self.err(format!("\"{key}\" must be a string, not {}", other.kind())))
            }
        }
    }

    pub(super) fn req_str(&self, key: &str) -> Result<&'x str, Skip> {
        match self.opt_str(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.err(format!("missing \"{key}\""))),
        }
    }

    pub(super) fn opt_duration(&self, key: &str) -> Result<Option<Duration>, Skip> {
        self.opt_str(key)?
            .map(|s| parse_duration(s).map_err(|e| self.err(format!("\"{key}\": {e}"))))
            .transpose()
    }

    /// `every` and `on_holiday`: a rule that cannot be read is a warning, and the item is kept
    /// as one that does not repeat (nothing is lost over a typo in the rule).
    pub(super) fn every(&mut self) -> Result<Option<Box<Recurrence>>, Skip> {
        let on_holiday = match self.opt_str("on_holiday")? {
            None => HolidayMove::Keep,
            Some(s) => match HolidayMove::parse(s) {
                Ok(m) => m,
                Err(e) => {
                    self.warn(format!("\"on_holiday\": {e}; read as \"keep\""));
                    HolidayMove::Keep
                }
            },
        };
        let Some(s) = self.opt_str("every")? else {
            if self.get("on_holiday").is_some() {
                self.warn("\"on_holiday\" without \"every\" does nothing: it says where a repeating item goes on a holiday");
            }
            return Ok(None);
        };
        match Recurrence::parse(s) {
            Ok(mut r) => {
                r.on_holiday = on_holiday;
                Ok(Some(Box::new(r)))
            }
            Err(e) => {
                self.warn(format!("\"every\": {e}; until then it does not repeat"));
                Ok(None)
            }
        }
    }

    pub(super) fn status(&self) -> Result<Status, Skip> {
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
    pub(super) fn zone(&mut self, client: Option<&Client>) -> Result<Tz, Skip> {
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
    pub(super) fn client(
        &mut self,
        required: bool,
    ) -> Result<Option<(Arc<str>, &'c Client)>, Skip> {
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
    pub(super) fn instant(
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

    pub(super) fn opt_instant(
        &mut self,
        key: &str,
        zone: Tz,
    ) -> Result<Option<DateTime<Utc>>, Skip> {
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
pub(super) fn known_zone(z: &str) -> Option<Tz> {
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
pub(super) fn origin(line: usize, text: &str, id: Option<&str>, status: Status) -> Origin {
    let keep = id.is_none() || status == Status::Open;
    Origin {
        line,
        text: if keep {
            CompactString::from(text)
        } else {
            CompactString::default()
        },
    }
}

/// The lines of a text without its BOM, exactly as [`split_lines`](crate::store::lines::split_lines)
/// cuts them (a lone `\r` at the very end stays in the line).
pub(super) fn lines(text: &str) -> impl Iterator<Item = &str> {
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
    /// Every line, checked as [`Mode::All`] checks it, but no record is kept (only its id, for
    /// duplicates): `tether check` needs the problems, and keeping millions of records it never
    /// shows cost it 15× the file's size in memory (issue 13).
    ProblemsOnly,
}

/// One chunk of a file, read: records and messages with line numbers counted from the chunk's
/// first line (1), put together by [`merge()`](super::merge::merge).
pub struct Chunk<T> {
    pub(super) records: Vec<T>,
    /// How many lines the chunk has.
    pub(super) lines: usize,
    pub(super) diags: Diags,
    /// Skipped closed lines that have an id: (line, range in `claim_ids`).
    pub(super) claims: Vec<(usize, Range<usize>)>,
    pub(super) claim_ids: String,
    /// Each line that asked for a "did you mean", in order: its message's index in `diags.list`
    /// (if kept) and that message without the suggestion.
    pub(super) asked: Vec<(Option<usize>, String)>,
}

impl<T> Chunk<T> {
    /// How many lines the chunk has (to number the next chunk's lines).
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// The chunk's records (numbered from its first line).
    pub fn into_records(self) -> Vec<T> {
        self.records
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
        warn_repeated_keys(&mut f);
        match K::parse(&mut f, line) {
            Ok(rec) if mode == Mode::ProblemsOnly || !K::kept(cx, &rec) => {
                if let Some(id) = K::id(&rec) {
                    let start = out.claim_ids.len();
                    out.claim_ids.push_str(id);
                    out.claims.push((number, start..out.claim_ids.len()));
                }
            }
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

/// A key written twice in one record: JSON readers disagree on which one counts (tether, like
/// most, takes the last), so a hand edit that added a second `"status"` instead of changing the
/// first would be taken silently. A warning at the line names each such key once.
pub(super) fn warn_repeated_keys(f: &mut Fields<'_, '_, '_>) {
    let obj = f.obj;
    if obj.repeated.is_empty() && obj.unknown.len() < 2 {
        return;
    }
    let mut keys: Vec<&str> = obj.repeated.iter().map(|k| k.as_ref()).collect();
    if obj.unknown.len() > 1 {
        let mut unknown: Vec<&str> = obj.unknown.iter().map(|k| k.as_ref()).collect();
        unknown.sort_unstable();
        keys.extend(unknown.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
    }
    keys.sort_unstable();
    keys.dedup();
    for k in keys {
        let shown: String = k.chars().take(60).collect();
        f.warn(format!(
            "\"{shown}\" is in this record more than once; tether uses the last one and ignores the others: delete the ones you do not mean"
        ));
    }
}

/// "Did you mean" for unknown keys, remembered per key (a user's own extra field, such as
/// `rate_eur`, repeats on every line).
#[derive(Default)]
pub(super) struct TypoCache {
    pub(super) known: Vec<(String, Option<&'static str>)>,
}

impl TypoCache {
    /// Warn about a field that looks like a misspelt known one; other extra fields are the
    /// user's own (tags, rates…) and are kept silently. In key order, each key once, as a
    /// map would list them.
    pub(super) fn check(&mut self, f: &mut Fields<'_, '_, '_>, known: &'static [&'static str]) {
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
            if k == CONFLICT_FIELD {
                f.warn(format!(
                    "merge conflict: two machines changed this record differently, and \"{k}\" \
                     holds the other machine's values; keep the ones you want, then delete \
                     \"{k}\""
                ));
                continue;
            }
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
