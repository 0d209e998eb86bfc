//! One way to turn a person's words into a new record, for the shell (`tether add followup`,
//! `tether add deadline`, `tether log`) and the dashboard's forms alike: the same zone rule, the
//! same id rule, the same key order and the same read-back check, so the two can never write
//! different lines for the same words.
//!
//! The rules (docs/decisions.md, "One capture"):
//! - Zone: a wall-clock time is read in the client's zone (yours without a client); a day alone
//!   for a follow-up is a day on your calendar (the data format), for a deadline the end of the
//!   client's business day (the loader decides, from the date written).
//! - Id: `f-` / `d-` and 13 characters from the time, the text and this machine's tag
//!   (`domain::ids`: no two machines give one id), never one already in the file (`unique_id`
//!   against the loaded records).
//! - Key order: as a person would write it, id first (`id, client, who, what, due, …`).
//! - Read-back: the line is parsed by the loader's own parser before anything is written; a line
//!   that would not read back cleanly is an error, never a write.
//!
//! Pure: the loaded data, `now` and the words in; the line and what it means out. Writing it is
//! the caller's (the store's journalled append).

#[path = "capture_timer.rs"]
pub mod timer;

use super::config::nearest;
use super::files::DataFile;
use super::load::Loaded;
use super::machine::machine_tag;
use super::records::{parse_deadlines, parse_followups, parse_interactions};
use crate::domain::ids::unique_id;
use crate::domain::model::{Client, Config, Deadline, Followup, FollowupDue, Interaction};
use crate::domain::time::{local_date, parse_duration};
use crate::domain::when::{Parsed, When, parse_when, stamp};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;

/// The words of a new follow-up (`tether add followup`, the dashboard's `a` form).
#[derive(Debug, Clone, Copy, Default)]
pub struct FollowupWords<'a> {
    pub what: &'a str,
    /// A client id (an exact id, or one differing only in case); None or empty: no client.
    pub client: Option<&'a str>,
    pub who: Option<&'a str>,
    pub due: Option<&'a str>,
    pub waiting: bool,
    /// `--every`: a repeat rule (`domain::recur`), and `--on-holiday`.
    pub every: Option<&'a str>,
    pub on_holiday: Option<&'a str>,
}

/// The words of a new deadline (`tether add deadline`).
#[derive(Debug, Clone, Copy, Default)]
pub struct DeadlineWords<'a> {
    pub title: &'a str,
    pub client: Option<&'a str>,
    pub due: &'a str,
    pub estimate: Option<&'a str>,
    pub spent: Option<&'a str>,
    /// `--every`: a repeat rule (`domain::recur`), and `--on-holiday`.
    pub every: Option<&'a str>,
    pub on_holiday: Option<&'a str>,
}

/// The words of a contact (`tether log`, the dashboard's `l` form).
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactWords<'a> {
    pub client: &'a str,
    pub kind: &'a str,
    pub who: Option<&'a str>,
    pub note: Option<&'a str>,
    /// When it happened; None: now.
    pub at: Option<&'a str>,
}

/// A new record, built and read back: the exact line to append and what it was understood as.
#[derive(Debug, Clone)]
pub struct Capture<R> {
    pub file: DataFile,
    /// One JSON object, without the newline.
    pub line: String,
    /// The undo journal's label (`add: …`, `add deadline: …`, `log call with kanda`).
    pub label: String,
    /// The line read back by the loader's parser.
    pub record: R,
    pub client: Option<Client>,
    /// The zone the words' wall-clock times were read in (the client's, else yours).
    pub zone: Tz,
    /// Your zone at `now`.
    pub mine: Tz,
    /// The "when" as read (due, or a contact's time), with its daylight-saving note if any.
    pub when: Option<Parsed>,
}

impl<R> Capture<R> {
    /// The daylight-saving note for the user, if the time typed fell in a gap or overlap.
    pub fn note(&self) -> Option<&str> {
        self.when.as_ref().and_then(|p| p.note.as_deref())
    }
}

/// Build a new follow-up from `words`.
pub fn followup(
    loaded: &Loaded,
    now: DateTime<Utc>,
    words: &FollowupWords<'_>,
) -> Result<Capture<Followup>, String> {
    let config = &loaded.model.config;
    let what = nonempty(words.what, "what you owe them")?;
    let client = find_client(loaded, words.client)?;
    let mine = config.me.zone_at(now);
    let zone = words_zone(client, mine);
    let due = words
        .due
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| followup_due(config, client, s, now))
        .transpose()?;
    let taken = |id: &str| {
        loaded
            .model
            .followups
            .iter()
            .any(|f| f.id.as_deref() == Some(id))
    };
    let mut obj = Fields::default();
    obj.push("id", unique_id("f", now, what, machine_tag(), taken));
    if let Some(c) = client {
        obj.push("client", c.id.clone());
    }
    if let Some(w) = trimmed(words.who) {
        obj.push("who", w);
    }
    obj.push("what", what);
    if let Some(p) = &due {
        obj.push("due", p.to_value(zone));
    }
    if words.waiting {
        obj.push("waiting", true);
    }
    if due.is_none() && trimmed(words.every).is_some() {
        // Each occurrence is due a step after the one before: the first needs a day.
        return Err(
            "a repeating follow-up needs a due: the day of its first occurrence".to_string(),
        );
    }
    push_repeat(&mut obj, words.every, words.on_holiday)?;
    obj.push("status", "open");
    obj.push("created", stamp(now, mine));
    let line = obj.line();
    let record = read_back(parse_followups(&line, config), "follow-up")?;
    Ok(Capture {
        file: DataFile::Followups,
        label: format!("add: {what}"),
        line,
        record,
        client: client.cloned(),
        zone,
        mine,
        when: due,
    })
}

/// Build a new deadline from `words`.
pub fn deadline(
    loaded: &Loaded,
    now: DateTime<Utc>,
    words: &DeadlineWords<'_>,
) -> Result<Capture<Deadline>, String> {
    let config = &loaded.model.config;
    let title = nonempty(words.title, "the deadline's title")?;
    let client = find_client(loaded, words.client)?;
    let mine = config.me.zone_at(now);
    let zone = words_zone(client, mine);
    let due = known_zone_only(client, parse_when(words.due, zone, now)?, words.due)?;
    let duration = |name: &str, v: Option<&str>| -> Result<Option<String>, String> {
        match v.map(str::trim) {
            None => Ok(None),
            Some(s) => match parse_duration(s) {
                Ok(_) => Ok(Some(s.to_string())),
                Err(e) => Err(format!("--{name}: {e}")),
            },
        }
    };
    let estimate = duration("estimate", words.estimate)?;
    let spent = duration("spent", words.spent)?;
    let taken = |id: &str| {
        loaded
            .model
            .deadlines
            .iter()
            .any(|d| d.id.as_deref() == Some(id))
    };
    let mut obj = Fields::default();
    obj.push("id", unique_id("d", now, title, machine_tag(), taken));
    if let Some(c) = client {
        obj.push("client", c.id.clone());
    }
    obj.push("title", title);
    obj.push("due", due.to_value(zone));
    if let Some(e) = estimate {
        obj.push("estimate", e);
    }
    if let Some(s) = spent {
        obj.push("spent", s);
    }
    push_repeat(&mut obj, words.every, words.on_holiday)?;
    obj.push("status", "open");
    let line = obj.line();
    let record = read_back(parse_deadlines(&line, config), "deadline")?;
    Ok(Capture {
        file: DataFile::Deadlines,
        label: format!("add deadline: {title}"),
        line,
        record,
        client: client.cloned(),
        zone,
        mine,
        when: Some(due),
    })
}

/// `every` and `on_holiday`, checked as the file's reader checks them (a rule that does not
/// read is refused here rather than written and warned about).
fn push_repeat(
    obj: &mut Fields,
    every: Option<&str>,
    on_holiday: Option<&str>,
) -> Result<(), String> {
    let Some(rule) = every.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    crate::domain::recur::Recurrence::parse(rule).map_err(|e| format!("--every: {e}"))?;
    obj.push("every", rule);
    if let Some(m) = on_holiday.map(str::trim).filter(|s| !s.is_empty()) {
        crate::domain::recur::HolidayMove::parse(m).map_err(|e| format!("--on-holiday: {e}"))?;
        obj.push("on_holiday", m.to_ascii_lowercase());
    }
    Ok(())
}

/// Build a new contact from `words`. Its time is read in the client's zone and written, when
/// not given, as `now` in yours.
pub fn contact(
    loaded: &Loaded,
    now: DateTime<Utc>,
    words: &ContactWords<'_>,
) -> Result<Capture<Interaction>, String> {
    let config = &loaded.model.config;
    let Some(client) = find_client(loaded, Some(words.client).filter(|c| !c.trim().is_empty()))?
    else {
        return Err("name the client: tether log kanda call \"Discussed Q4 scope\"".into());
    };
    let kind = nonempty(words.kind, "the kind of contact")?.to_lowercase();
    let mine = config.me.zone_at(now);
    let zone = words_zone(Some(client), mine);
    let at = words
        .at
        .map(|s| known_zone_only(Some(client), parse_when(s, zone, now)?, s))
        .transpose()?;
    let mut obj = Fields::default();
    obj.push(
        "at",
        at.as_ref()
            .map_or_else(|| stamp(now, mine), |p| p.to_value(zone)),
    );
    obj.push("client", client.id.clone());
    obj.push("kind", kind.clone());
    if let Some(w) = trimmed(words.who) {
        obj.push("who", w);
    }
    if let Some(n) = trimmed(words.note) {
        obj.push("note", n);
    }
    let line = obj.line();
    let record = read_back(parse_interactions(&line, config), "contact")?;
    Ok(Capture {
        file: DataFile::Interactions,
        label: format!("log {kind} with {}", client.id),
        line,
        record,
        client: Some(client.clone()),
        zone,
        mine,
        when: at,
    })
}

/// What to tell a person about a contact before it is saved (the shell's echo and the
/// dashboard's form say the same): a time still ahead, a kind heat does not weigh.
pub fn contact_notes(config: &Config, c: &Capture<Interaction>, now: DateTime<Utc>) -> Vec<String> {
    let mut out = Vec::new();
    if c.record.at > now {
        out.push("that is in the future; it warms the client only from then on".to_string());
    }
    let kind = c.record.kind.as_ref();
    if !config.heat.weights.contains_key(kind) {
        let known: Vec<&str> = config.heat.weights.keys().map(String::as_str).collect();
        let hint = nearest(kind, &known)
            .map(|k| format!(" (did you mean {k:?}?)"))
            .unwrap_or_default();
        out.push(format!(
            "{kind:?} is not in [heat.weights], so it weighs 1{hint}"
        ));
    }
    out.extend(c.note().map(str::to_string));
    out
}

/// What a contact typed in the dashboard's log form means before it is saved: `at Mon 07 Dec
/// 16:00 AEST = 15:00 JST`, then its notes. No client yet: None; words the save would refuse:
/// that error.
pub fn contact_preview(
    loaded: &Loaded,
    words: &ContactWords<'_>,
    now: DateTime<Utc>,
) -> Option<Result<String, String>> {
    if words.client.trim().is_empty() {
        return None;
    }
    let c = match contact(loaded, now, words) {
        Ok(c) => c,
        Err(e) => return Some(Err(e)),
    };
    let mut s = format!("at {}", in_both_zones(c.record.at, c.mine, c.zone));
    if words.at.is_none_or(|a| a.trim().is_empty()) {
        s.push_str(" (now)");
    }
    for n in contact_notes(&loaded.model.config, &c, now) {
        s.push_str(&format!("; {n}"));
    }
    Some(Ok(s))
}

/// A follow-up's due typed as `words`: times in the client's zone (yours without one); a day
/// alone is a day on your calendar, as the data format says a follow-up's day is.
pub fn followup_due(
    config: &Config,
    client: Option<&Client>,
    words: &str,
    now: DateTime<Utc>,
) -> Result<Parsed, String> {
    let mine = config.me.zone_at(now);
    let p = known_zone_only(
        client,
        parse_when(words, words_zone(client, mine), now)?,
        words,
    )?;
    Ok(match p.when {
        When::Day(_) => parse_when(words, mine, now)?,
        When::At(_) => p,
    })
}

/// What a follow-up's due typed as `due` means, in words for the dashboard's form before it is
/// saved: `due Fri 27 Nov 17:00 CET = Sat 28 Nov 03:00 AEST`, or the day in your zone. Empty
/// words: None; an unknown client or unreadable words: the error the save would give.
pub fn followup_due_preview(
    loaded: &Loaded,
    client: Option<&str>,
    due: &str,
    now: DateTime<Utc>,
) -> Option<Result<String, String>> {
    let due = due.trim();
    if due.is_empty() {
        return None;
    }
    let config = &loaded.model.config;
    let shown = find_client(loaded, client).and_then(|c| {
        let p = followup_due(config, c, due, now)?;
        let mine = config.me.zone_at(now);
        let zone = words_zone(c, mine);
        let mut s = match p.when {
            When::Day(d) => format!(
                "due {} (any time that day, your zone {})",
                d.format("%a %d %b %Y"),
                mine.name()
            ),
            When::At(t) => format!("due {}", in_both_zones(t, zone, mine)),
        };
        if let Some(n) = &p.note {
            s.push_str(&format!("; {n}"));
        }
        Ok(s)
    });
    Some(shown)
}

/// The zone a client's words are read in: the client's; yours without a client, or for a
/// client whose zone tether does not know (its day words then count on your calendar, and
/// [`known_zone_only`] refuses its wall-clock times).
fn words_zone(client: Option<&Client>, mine: Tz) -> Tz {
    match client {
        Some(c) if c.unknown_zone.is_none() => c.zone,
        _ => mine,
    }
}

/// `read`, unless it is a wall-clock time for a client whose zone tether does not know: that
/// would be a guess at the client's zone (tether would write a wrong instant without a word),
/// so it is refused, naming the zone's line and the two ways out. A day, an exact instant,
/// `now` and `in 2h` do not depend on the client's zone and pass.
fn known_zone_only(client: Option<&Client>, read: Parsed, words: &str) -> Result<Parsed, String> {
    let (Some(c), Some(wall)) = (client, read.wall_clock) else {
        return Ok(read);
    };
    let Some(unknown) = &c.unknown_zone else {
        return Ok(read);
    };
    Err(format!(
        "{:?} would be read in the zone of client {:?}, but its zone {:?} ({}) is not one \
         tether knows; nothing was written: fix the zone in {}, or write the time with its \
         UTC offset, such as \"{}+HH:MM\"",
        words.trim(),
        c.id,
        unknown.shown(),
        unknown.at(),
        unknown.file,
        wall.format("%Y-%m-%dT%H:%M")
    ))
}

/// `Fri 27 Nov 17:00 JST = 18:00 AEST`: `t` in `zone`, then in `other` (naming the date there
/// only when it differs); just the first when the zones are the same.
pub fn in_both_zones(t: DateTime<Utc>, zone: Tz, other: Tz) -> String {
    format!("{}{}", wall(t, zone), also_in(t, zone, other))
}

/// ` = 18:00 AEST` (or ` = Sat 28 Nov 01:00 AEST` across midnight); nothing in one zone.
pub fn also_in(t: DateTime<Utc>, zone: Tz, other: Tz) -> String {
    if zone == other {
        return String::new();
    }
    let a = t.with_timezone(&zone);
    let b = t.with_timezone(&other);
    if a.date_naive() == b.date_naive() {
        format!(" = {}", b.format("%H:%M %Z"))
    } else {
        format!(" = {}", wall(t, other))
    }
}

/// `Fri 27 Nov 17:00 JST`.
pub fn wall(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%a %d %b %H:%M %Z")
        .to_string()
}

/// Whether a follow-up's due day is already past on your calendar.
pub fn day_is_past(due: &FollowupDue, mine: Tz, now: DateTime<Utc>) -> bool {
    matches!(due, FollowupDue::Day(d) if *d < local_date(mine, now))
}

/// The client `id` names: the exact id, or the one id differing only in case; None or empty:
/// no client. An unknown id is an error that suggests the nearest and lists the known ones.
pub fn find_client<'a>(loaded: &'a Loaded, id: Option<&str>) -> Result<Option<&'a Client>, String> {
    let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let config: &Config = &loaded.model.config;
    if let Some(c) = config.client(id) {
        return Ok(Some(c));
    }
    // The files need the exact id; a different case is still unambiguous.
    let by_case: Vec<&Client> = config
        .clients
        .iter()
        .filter(|c| c.id.eq_ignore_ascii_case(id))
        .collect();
    if let [c] = by_case.as_slice() {
        return Ok(Some(c));
    }
    let ids: Vec<&str> = config.clients.iter().map(|c| c.id.as_str()).collect();
    let hint = nearest(id, &ids)
        .map(|n| format!("did you mean {n:?}? "))
        .unwrap_or_default();
    let known = if ids.is_empty() {
        "tether.toml has no [[clients]] yet".to_string()
    } else {
        format!("the client ids in tether.toml are {}", ids.join(", "))
    };
    let broken = if loaded
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.file == super::files::CONFIG_FILE)
    {
        "; tether.toml has errors, see `tether check`"
    } else {
        ""
    };
    Err(format!("unknown client {id:?}: {hint}{known}{broken}"))
}

fn nonempty<'a>(value: &'a str, what: &str) -> Result<&'a str, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("{what} is empty"));
    }
    Ok(v)
}

fn trimmed(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The one record in `line`, as the loader reads it; its first error otherwise.
fn read_back<T>(
    (records, diags): (Vec<T>, Vec<super::diagnostic::Diagnostic>),
    what: &str,
) -> Result<T, String> {
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(d.message.clone());
    }
    records
        .into_iter()
        .next()
        .ok_or_else(|| format!("internal error: the new {what} did not read back"))
}

/// A record's fields in the order a person would write them (serde_json's map sorts keys).
#[derive(Default)]
struct Fields(Vec<(&'static str, Value)>);

impl Fields {
    fn push(&mut self, key: &'static str, value: impl Into<Value>) {
        self.0.push((key, value.into()));
    }

    /// One JSON object on one line.
    fn line(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}:{v}", Value::from(*k)))
            .collect();
        format!("{{{}}}", parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::load::load_dir;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn example() -> (tempfile::TempDir, Loaded) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        crate::store::example::write_example(&dir).unwrap();
        let loaded = load_dir(&dir);
        (tmp, loaded)
    }

    #[test]
    fn a_time_is_read_in_the_clients_zone_and_the_id_comes_first() {
        let (_tmp, loaded) = example();
        let words = FollowupWords {
            what: "Send the quote",
            client: Some("brandt"),
            due: Some("fri 17:00"),
            ..Default::default()
        };
        let c = followup(&loaded, now(), &words).unwrap();
        assert!(c.line.starts_with(r#"{"id":"f-"#), "{}", c.line);
        assert!(
            c.line.contains(r#""due":"2026-11-27T17:00:00+01:00""#),
            "{}",
            c.line
        );
        assert_eq!(
            followup_due_preview(&loaded, Some("brandt"), "fri 17:00", now()),
            Some(Ok("due Fri 27 Nov 17:00 CET = Sat 28 Nov 02:00 AEST".into()))
        );
    }

    #[test]
    fn a_client_with_an_unknown_zone_gets_no_guessed_time() {
        let (tmp, mut loaded) = example();
        let (config, _) = crate::store::config::parse_config(
            &std::fs::read_to_string(tmp.path().join("data/tether.toml"))
                .unwrap()
                .replace("\"Europe/Berlin\"", "\"Europe/Stuttgart\""),
        );
        loaded.model.config = config;
        let words = |due| FollowupWords {
            what: "Send the specs",
            client: Some("brandt"),
            due: Some(due),
            ..Default::default()
        };
        // A wall-clock time would be read in a zone tether cannot know: refused, saying where
        // the zone is and the two ways out.
        for due in ["fri 17:00", "2026-11-27 17:00", "17:00", "tomorrow 9am"] {
            let e = followup(&loaded, now(), &words(due)).unwrap_err();
            assert!(
                e.contains("\"Europe/Stuttgart\" (tether.toml:103) is not one tether knows")
                    && e.contains("fix the zone in tether.toml")
                    && e.contains("+HH:MM"),
                "{due}: {e}"
            );
            assert_eq!(
                followup_due_preview(&loaded, Some("brandt"), due, now()),
                Some(Err(e))
            );
        }
        let e = deadline(
            &loaded,
            now(),
            &DeadlineWords {
                title: "Spec",
                client: Some("brandt"),
                due: "fri 17:00",
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.contains("\"2026-11-27T17:00+HH:MM\""), "{e}");
        let at = ContactWords {
            client: "brandt",
            kind: "call",
            at: Some("yesterday 15:00"),
            ..Default::default()
        };
        assert!(contact(&loaded, now(), &at).is_err());
        // An exact instant, a moment from now and a day do not depend on its zone.
        let c = followup(&loaded, now(), &words("2026-11-27T17:00+01:00")).unwrap();
        assert!(
            c.line.contains(r#""due":"2026-11-27T17:00+01:00""#),
            "{}",
            c.line
        );
        let c = followup(&loaded, now(), &words("in 2h")).unwrap();
        assert!(
            c.line.contains(r#""due":"2026-11-25T11:30:00+10:00""#),
            "{}",
            c.line
        );
        let c = followup(&loaded, now(), &words("fri")).unwrap();
        assert!(c.line.contains(r#""due":"2026-11-27""#), "{}", c.line);
        let due = deadline(
            &loaded,
            now(),
            &DeadlineWords {
                title: "Spec",
                client: Some("brandt"),
                due: "fri",
                ..Default::default()
            },
        )
        .unwrap();
        assert!(due.line.contains(r#""due":"2026-11-27""#), "{}", due.line);
        let at = ContactWords {
            client: "brandt",
            kind: "call",
            ..Default::default()
        };
        assert!(contact(&loaded, now(), &at).is_ok());
    }

    #[test]
    fn the_id_avoids_one_already_in_the_file() {
        let (_tmp, mut loaded) = example();
        let words = FollowupWords {
            what: "Send the quote",
            ..Default::default()
        };
        let first = followup(&loaded, now(), &words).unwrap();
        loaded.model.followups.push(first.record.clone());
        let second = followup(&loaded, now(), &words).unwrap();
        assert_ne!(first.record.id, second.record.id);
    }

    #[test]
    fn an_unknown_client_is_named_with_the_nearest() {
        let (_tmp, loaded) = example();
        let words = FollowupWords {
            what: "x",
            client: Some("kando"),
            ..Default::default()
        };
        let e = followup(&loaded, now(), &words).unwrap_err();
        assert!(
            e.starts_with("unknown client \"kando\": did you mean \"kanda\"?"),
            "{e}"
        );
    }
}
