//! What `tether status` reads of the data files, as the numbers it counts with
//! ([`StatusInput`]: each open deadline's due instant, remaining work and title, each open
//! follow-up's due, snooze and waiting flag, the number of problems, the client of each
//! deadline the time log is on), and keeps between calls
//! in `.tether/status-cache`, keyed by the stamps (device, inode, size, modification time) of
//! the files it read: tether.toml, deadlines.jsonl, followups.jsonl and (below
//! [`READ_WHOLE_BELOW`]) interactions.jsonl. tmux runs `status` every few seconds while the
//! files rarely change, so a call with unchanged files reads a few numbers per open item (a few
//! % of years of history) instead of scanning the files. Any change to those files (or
//! a cache that cannot be read) means the full path, which writes a fresh cache through the
//! store's atomic write. The cache is each machine's own (inodes), like the rest of `.tether/`
//! (docs/sync.md).
//!
//! Measured (docs/performance.md): at 10k records the cache saves ~1.7 ms of ~5 ms, but at 1M
//! it is what keeps `status` within its 50 ms target (~110 ms after a change, ~30 ms cached).

use crate::app::keymap::problems_of;
use crate::domain::followups::FollowupTiming;
use crate::domain::model::{
    Config, Deadline, Followup, FollowupDue, Logged, Status, TimeEntry, TimeOn,
};
use crate::store::config::parse_config;
use crate::store::files::{
    CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, STATE_DIR, STATUS_CACHE_FILE,
    TIMELOG_FILE, state_file,
};
use crate::store::fsio::{FileStamp, atomic_write, ensure_state_dir, read_state_file};
use crate::store::load::{
    Loaded, MAX_FILE_BYTES, Records, load_all_into, load_open_items_into, load_timelog,
    read_for_load,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// Bumped when what is cached, or how a line parses, changes (10: the clients of the deadlines
/// the time log is on, for `{retainer}`; 9: tether.toml's `country`, `region`, `closures`,
/// people and gifts are no longer unknown keys, so a cached problem count may be stale; 8 was
/// the timer's).
const VERSION: &str = concat!("10 ", env!("CARGO_PKG_VERSION"));

/// What `status` counts with: resolved from the records, never records themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusInput {
    pub config: Config,
    /// The open deadlines.
    pub deadlines: Vec<OpenDeadline>,
    /// The open follow-ups' timings: each distinct one once, with how many follow-ups have it,
    /// in order. Millions of follow-ups share a few thousand timings, so this stays small
    /// whatever the file holds.
    pub followups: Vec<(FollowupTiming, usize)>,
    /// Problems found (errors and warnings, counted as `tether check` counts them) in what was
    /// read: every line of every file, or with `open_only` tether.toml and the open lines.
    pub problems: usize,
    /// Only tether.toml and the open lines of deadlines.jsonl and followups.jsonl were read (a
    /// directory of [`READ_WHOLE_BELOW`] or more): problems in closed lines and in the contact
    /// log are not in `problems`, so it is a lower bound of `check`'s count.
    pub open_only: bool,
    /// timelog.jsonl's entries (stops folded in): read at every call, never cached (a year of
    /// entries is a few thousand short lines), so a running timer counts up to this minute.
    pub timelog: Vec<TimeEntry>,
    /// `(deadline id, client id)` of the deadlines read that the time log is on and that name a
    /// client, by id (the first deadline of an id): what `domain::retainer::Ledger` needs to
    /// count a retainer's hours, a few pairs however many deadlines there are. On a big
    /// directory (`open_only`) only the open deadlines are read, so time on a closed one
    /// counts for a client only where its entry names the client.
    pub deadline_clients: Vec<(String, String)>,
}

/// The pairs of [`StatusInput::deadline_clients`] among `pairs` (deadlines in file order).
fn logged_deadline_clients(
    pairs: impl Iterator<Item = (impl AsRef<str>, impl AsRef<str>)>,
    timelog: &[TimeEntry],
) -> Vec<(String, String)> {
    let on: std::collections::HashSet<&str> = timelog
        .iter()
        .filter_map(|e| match &e.on {
            TimeOn::Deadline(id) => Some(id.as_str()),
            TimeOn::Client(_) => None,
        })
        .collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (id, client) in pairs {
        let id = id.as_ref();
        if on.contains(id) && !seen.contains(id) {
            seen.insert(id.to_string());
            out.push((id.to_string(), client.as_ref().to_string()));
        }
    }
    out.sort();
    out
}

/// Below this many bytes in deadlines.jsonl, followups.jsonl and interactions.jsonl together,
/// `status` reads every line of every file, so its problem count is `check`'s (years of heavy
/// use are a few MB). From it on, it reads only the open lines and no contact log: that keeps a
/// call after a change fast on a million records, and its count is then "at least"
/// (docs/decisions.md, "One problem count"). The dashboard reads its history later from the
/// same size on.
pub const READ_WHOLE_BELOW: u64 = 8 * 1024 * 1024;

/// What `status` needs of an open deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDeadline {
    /// Its id: the time logged on it in timelog.jsonl is found by it.
    pub id: Option<String>,
    pub due: DateTime<Utc>,
    /// Work left by the hand `spent` alone: max(estimate − spent, 0) (`status` takes the logged
    /// time off at each call: [`OpenDeadline::remaining_at`]).
    pub remaining: Duration,
    pub title: String,
    /// Its client's zone is one tether does not know (its due is then in your zone).
    pub unknown_zone: bool,
}

impl StatusInput {
    /// The open items of `loaded` and its problems (`open_only`: it was loaded with
    /// [`crate::store::load::load_open_items`]).
    pub fn of(loaded: &Loaded, open_only: bool) -> StatusInput {
        let model = &loaded.model;
        let mut timings = Timings::default();
        timings.add(&model.followups);
        StatusInput {
            config: model.config.clone(),
            deadlines: model
                .deadlines
                .iter()
                .filter(|d| d.status == Status::Open)
                .map(|d| OpenDeadline::of(&d, Some(&model.config)))
                .collect(),
            followups: timings.into_sorted(),
            problems: problems_of(loaded).total(),
            open_only,
            timelog: model.timelog.clone(),
            deadline_clients: logged_deadline_clients(
                model
                    .deadlines
                    .iter()
                    .filter_map(|d| Some((d.id.clone()?, d.client.clone()?))),
                &model.timelog,
            ),
        }
    }

    /// What [`StatusInput::of`] gives for [`crate::store::load::load_dir`] (or, from
    /// [`READ_WHOLE_BELOW`] on, for [`crate::store::load::load_open_items`]), read without
    /// keeping the records: each block of records is folded into these numbers as it is read,
    /// so memory follows the open deadlines and the distinct timings, not the files (issue 13: 5
    /// million short follow-ups cost `status` 1.4 GB when it kept them first).
    pub fn read(dir: &Path) -> StatusInput {
        let open_only = record_bytes(dir) >= READ_WHOLE_BELOW;
        let folded = Mutex::new((Vec::new(), Timings::default(), Vec::new()));
        let sink = |records: Records| {
            let Ok(mut f) = folded.lock() else { return };
            match records {
                // The client's id (shared, not copied) until tether.toml says whose zone is
                // unknown.
                Records::Deadlines(d) => {
                    f.0.extend(
                        d.iter()
                            .filter(|d| d.status == Status::Open)
                            .map(|d| (OpenDeadline::of(d, None), d.client.clone())),
                    );
                    // Whose each deadline is, until the time log says which are worked on
                    // (below 8 MiB of records: a few MB at most).
                    f.2.extend(
                        d.iter()
                            .filter_map(|d| Some((d.id.clone()?, d.client.clone()?))),
                    );
                }
                Records::Followups(fs) => f.1.add(&fs),
                Records::Interactions(_) => {}
            }
        };
        let loaded = if open_only {
            load_open_items_into(dir, &sink)
        } else {
            load_all_into(dir, &sink)
        };
        let (deadlines, timings, owners) = folded.into_inner().unwrap_or_default();
        let deadline_clients = logged_deadline_clients(
            owners.iter().map(|(id, c)| (id.as_str(), c.as_ref())),
            &loaded.model.timelog,
        );
        drop(owners);
        let config = &loaded.model.config;
        let deadlines = deadlines
            .into_iter()
            .map(|(mut d, client)| {
                d.unknown_zone = unknown_zone(config, client.as_deref());
                d
            })
            .collect();
        StatusInput {
            config: loaded.model.config.clone(),
            deadlines,
            followups: timings.into_sorted(),
            problems: problems_of(&loaded).total(),
            open_only,
            timelog: loaded.model.timelog,
            deadline_clients,
        }
    }

    /// Each open follow-up's timing, once per follow-up.
    pub fn followup_timings(&self) -> impl Iterator<Item = FollowupTiming> + '_ {
        self.followups
            .iter()
            .flat_map(|&(t, n)| std::iter::repeat_n(t, n))
    }
}

/// The size of the three record files together (a missing or unreadable one counts 0: loading
/// reports it).
fn record_bytes(dir: &Path) -> u64 {
    [DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE]
        .iter()
        .filter_map(|name| std::fs::metadata(dir.join(name)).ok())
        .map(|m| m.len())
        .sum()
}

/// Open follow-ups counted by timing.
#[derive(Default)]
struct Timings(HashMap<FollowupTiming, usize, foldhash::fast::RandomState>);

impl Timings {
    fn add<'f>(
        &mut self,
        followups: impl IntoIterator<Item = impl std::ops::Deref<Target = Followup> + 'f>,
    ) {
        for f in followups.into_iter().filter(|f| f.status == Status::Open) {
            *self.0.entry(FollowupTiming::of(&f)).or_default() += 1;
        }
    }

    fn into_sorted(self) -> Vec<(FollowupTiming, usize)> {
        let mut v: Vec<_> = self.0.into_iter().collect();
        v.sort_unstable();
        v
    }
}

impl OpenDeadline {
    /// Work left with `logged` of logged time: what `Deadline::remaining` says for the same
    /// deadline (max(estimate − spent − logged, 0), the hand part already taken off).
    pub fn remaining_at(&self, logged: &HashMap<&str, Logged>, now: DateTime<Utc>) -> Duration {
        let l = self
            .id
            .as_deref()
            .and_then(|id| logged.get(id))
            .map_or(Duration::zero(), |l| l.at(now));
        (self.remaining - l).max(Duration::zero())
    }

    /// `d`, with its client's zone looked up in `config` (None: not known yet).
    pub fn of(d: &Deadline, config: Option<&Config>) -> OpenDeadline {
        OpenDeadline {
            id: d.id.as_deref().map(str::to_string),
            due: d.due,
            remaining: d.remaining_with(Duration::zero()),
            title: d.title.to_string(),
            unknown_zone: config.is_some_and(|c| unknown_zone(c, d.client.as_deref())),
        }
    }
}

/// Whether the client `id` has a zone tether does not know.
fn unknown_zone(config: &Config, id: Option<&str>) -> bool {
    id.and_then(|id| config.client(id))
        .is_some_and(|c| c.unknown_zone.is_some())
}

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    version: String,
    /// One stamp per file read (tether.toml, deadlines.jsonl, followups.jsonl and, unless
    /// `open_only`, interactions.jsonl); None: not there.
    stamps: Vec<Option<FileStamp>>,
    problems: usize,
    open_only: bool,
    /// How many lines of each kind follow: a cache cut short anywhere is not used.
    deadlines: usize,
    followups: usize,
    deadline_clients: usize,
}

/// The stamps of every file `status` may read; a cache keyed by fewer (`open_only`) is checked
/// against the first four (timelog.jsonl is read by every call: its problems are counted).
fn stamps(dir: &Path) -> Vec<Option<FileStamp>> {
    [
        CONFIG_FILE,
        DEADLINES_FILE,
        FOLLOWUPS_FILE,
        TIMELOG_FILE,
        INTERACTIONS_FILE,
    ]
    .iter()
    .map(|name| FileStamp::of_path(&dir.join(name)))
    .collect()
}

/// The stamps of the files read for `open_only` or not.
fn stamps_read(all: &[Option<FileStamp>], open_only: bool) -> &[Option<FileStamp>] {
    &all[..all.len().min(if open_only { 4 } else { 5 })]
}

/// What `tether status` reads ([`StatusInput::read`]: every file, or on a big directory
/// tether.toml and the open lines of deadlines.jsonl and followups.jsonl, see docs/status.md),
/// as the numbers it counts with; from the cache while the files it read are unchanged.
pub fn load_status(dir: &Path) -> StatusInput {
    load_cached(dir, StatusInput::read)
}

/// timelog.jsonl's entries, for a cached call (a full read has them already).
fn timelog_of(dir: &Path, config: &Config) -> Vec<TimeEntry> {
    load_timelog(dir, config).0
}

/// What `status` counts with, from the cache when the files are unchanged, else from `load`
/// (whose result is then cached). The same numbers either way.
pub fn load_cached(dir: &Path, load: impl FnOnce(&Path) -> StatusInput) -> StatusInput {
    let before = stamps(dir);
    let path = state_file(dir, STATUS_CACHE_FILE);
    if let Some(input) = read_cache(dir, &path, &before) {
        return input;
    }
    let input = load(dir);
    // A file that changed while it was read: do not cache what may be a mix of two versions.
    if stamps(dir) == before {
        let _ = write_cache(&path, &before, &input);
    }
    input
}

fn read_cache(dir: &Path, path: &Path, now: &[Option<FileStamp>]) -> Option<StatusInput> {
    // Never through a link, never waiting on a named pipe someone put there: a plain file in a
    // real `.tether/` folder, or no cache (the full read then writes a fresh one in its place).
    if !std::fs::symlink_metadata(dir.join(STATE_DIR)).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    let text = read_state_file(path, MAX_FILE_BYTES).ok()??;
    let (first, rest) = text.split_once('\n')?;
    let header: Header = serde_json::from_str(first).ok()?;
    if header.version != VERSION || header.stamps != stamps_read(now, header.open_only) {
        return None;
    }
    let (config_text, _) = read_for_load(dir, CONFIG_FILE);
    let (config, _) = parse_config(&config_text?);
    // The first `deadlines` lines are the open deadlines, the rest the open follow-ups.
    let mut lines = rest.lines();
    let deadlines = lines
        .by_ref()
        .take(header.deadlines)
        .map(read_deadline)
        .collect::<Option<Vec<_>>>()?;
    let followups = lines
        .by_ref()
        .take(header.followups)
        .map(read_followup)
        .collect::<Option<Vec<_>>>()?;
    let deadline_clients = lines.map(read_pair).collect::<Option<Vec<_>>>()?;
    if deadlines.len() != header.deadlines
        || followups.len() != header.followups
        || deadline_clients.len() != header.deadline_clients
    {
        return None;
    }
    Some(StatusInput {
        timelog: timelog_of(dir, &config),
        config,
        deadlines,
        followups,
        problems: header.problems,
        open_only: header.open_only,
        deadline_clients,
    })
}

/// A JSON string with its spaces written `\u0020` (still JSON), so a line splits at its own
/// spaces only.
fn put_json_word(out: &mut String, s: &str) {
    out.push_str(
        &serde_json::to_string(s)
            .unwrap_or_default()
            .replace(' ', "\\u0020"),
    );
}

/// A deadline's client as a line: `ID CLIENT`, both JSON strings.
fn put_pair(out: &mut String, (id, client): &(String, String)) {
    put_json_word(out, id);
    out.push(' ');
    put_json_word(out, client);
    out.push('\n');
}

fn read_pair(line: &str) -> Option<(String, String)> {
    let (id, client) = line.split_once(' ')?;
    Some((
        serde_json::from_str(id).ok()?,
        serde_json::from_str(client).ok()?,
    ))
}

/// An instant as seconds since the epoch, with `.nanoseconds` only when there are any.
fn put_instant(out: &mut String, t: DateTime<Utc>) {
    put_seconds(out, t.timestamp(), t.timestamp_subsec_nanos());
}

fn put_seconds(out: &mut String, secs: i64, nanos: u32) {
    use std::fmt::Write;
    let _ = if nanos == 0 {
        write!(out, "{secs}")
    } else {
        write!(out, "{secs}.{nanos:09}")
    };
}

fn split_seconds(s: &str) -> Option<(i64, u32)> {
    Some(match s.split_once('.') {
        None => (s.parse().ok()?, 0),
        Some((secs, nanos)) => (secs.parse().ok()?, nanos.parse().ok()?),
    })
}

fn get_instant(s: &str) -> Option<DateTime<Utc>> {
    let (secs, nanos) = split_seconds(s)?;
    DateTime::from_timestamp(secs, nanos)
}

/// An open deadline as a line: `DUE REMAINING ID TITLE` (ID a JSON string or `-`, TITLE a
/// JSON string, after a `?` when its client's zone is unknown).
fn put_deadline(out: &mut String, d: &OpenDeadline) {
    put_instant(out, d.due);
    out.push(' ');
    let r = d.remaining;
    put_seconds(out, r.num_seconds(), r.subsec_nanos().unsigned_abs());
    out.push(' ');
    match &d.id {
        // A space inside the id is written `\u0020` (still JSON), so the line splits at its own
        // spaces only.
        Some(id) => put_json_word(out, id),
        None => out.push('-'),
    }
    out.push(' ');
    if d.unknown_zone {
        out.push('?');
    }
    out.push_str(&serde_json::to_string(&d.title).unwrap_or_default());
    out.push('\n');
}

fn read_deadline(line: &str) -> Option<OpenDeadline> {
    let mut parts = line.splitn(4, ' ');
    let due = get_instant(parts.next()?)?;
    let (secs, nanos) = split_seconds(parts.next()?)?;
    let remaining = Duration::new(secs, nanos)?;
    let id = match parts.next()? {
        "-" => None,
        s => Some(serde_json::from_str::<String>(s).ok()?),
    };
    let title = parts.next()?;
    let (title, unknown_zone) = match title.strip_prefix('?') {
        Some(t) => (t, true),
        None => (title, false),
    };
    let title = match title.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(plain) if !plain.contains(['\\', '"']) => plain.to_string(),
        _ => serde_json::from_str(title).ok()?,
    };
    Some(OpenDeadline {
        id,
        due,
        remaining,
        title,
        unknown_zone,
    })
}

/// Open follow-ups of one timing as a line: `DUE SNOOZED WAITING COUNT`, where DUE is `-`,
/// `aSECONDS` (an instant) or `dDAYS` (a day, days since 1 January of year 1), SNOOZED `-` or
/// seconds, WAITING `w` or `o`, and COUNT how many follow-ups have that timing.
fn put_followup(out: &mut String, (f, count): &(FollowupTiming, usize)) {
    use std::fmt::Write;
    match f.due {
        None => out.push('-'),
        Some(FollowupDue::At(t)) => {
            out.push('a');
            put_instant(out, t);
        }
        Some(FollowupDue::Day(d)) => {
            let _ = write!(out, "d{}", d.num_days_from_ce());
        }
    }
    out.push(' ');
    match f.snoozed_until {
        None => out.push('-'),
        Some(t) => put_instant(out, t),
    }
    out.push_str(if f.waiting { " w " } else { " o " });
    out.push_str(&count.to_string());
    out.push('\n');
}

fn read_followup(line: &str) -> Option<(FollowupTiming, usize)> {
    let mut parts = line.split(' ');
    let due = match parts.next()? {
        "-" => None,
        d => match d.split_at_checked(1)? {
            ("a", t) => Some(FollowupDue::At(get_instant(t)?)),
            ("d", n) => Some(FollowupDue::Day(NaiveDate::from_num_days_from_ce_opt(
                n.parse().ok()?,
            )?)),
            _ => return None,
        },
    };
    let snoozed_until = match parts.next()? {
        "-" => None,
        t => Some(get_instant(t)?),
    };
    let waiting = match parts.next()? {
        "w" => true,
        "o" => false,
        _ => return None,
    };
    let count = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some((
        FollowupTiming {
            due,
            snoozed_until,
            waiting,
        },
        count,
    ))
}

/// Written through the store's one atomic write (temp file, fsync, rename, fsync of the
/// folder): a crash leaves the old cache or the new one, and no temporary file stays behind.
fn write_cache(
    path: &Path,
    stamps: &[Option<FileStamp>],
    input: &StatusInput,
) -> std::io::Result<()> {
    let header = Header {
        version: VERSION.to_string(),
        stamps: stamps_read(stamps, input.open_only).to_vec(),
        problems: input.problems,
        open_only: input.open_only,
        deadlines: input.deadlines.len(),
        followups: input.followups.len(),
        deadline_clients: input.deadline_clients.len(),
    };
    let mut out = serde_json::to_string(&header).map_err(std::io::Error::other)?;
    out.push('\n');
    for d in &input.deadlines {
        put_deadline(&mut out, d);
    }
    for f in &input.followups {
        put_followup(&mut out, f);
    }
    for p in &input.deadline_clients {
        put_pair(&mut out, p);
    }
    // `.tether/` must be a real folder in the data directory, not a link out of it.
    if let Some(dir) = path.parent().and_then(Path::parent) {
        ensure_state_dir(dir)?;
    }
    atomic_write(path, out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Origin;
    use crate::domain::testkit::utc;
    use crate::store::load::load_dir;

    fn dir() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join(CONFIG_FILE),
            "[me]\nzone = \"Australia/Brisbane\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\ncity = \"Tokyo\"\nhours = \"09:00-18:00\"\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join(DEADLINES_FILE),
            "{\"id\":\"d1\",\"client\":\"kanda\",\"title\":\"Manual\",\"due\":\"2026-11-24\",\"estimate\":\"2h\"}\n{\"id\":\"d2\",\"client\":\"kanda\",\"title\":\"Old\",\"due\":\"2026-10-01\",\"status\":\"done\"}\n{\"id\":\"d3\",\"client\":\"kanda\",\"title\":\"Glossary\",\"due\":\"2026-11-26\",\"estimate\":\"20h\"}\r\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join(FOLLOWUPS_FILE),
            "{\"id\":\"f1\",\"client\":\"kanda\",\"what\":\"Send quote\",\"due\":\"2026-11-25\"}\n{\"what\":\"bad\",\"due\":\"soon\"}\n{\"id\":\"f2\",\"what\":\"Chase invoice\",\"due\":\"2026-11-20\",\"waiting\":true}\n",
        )
        .unwrap();
        // Time on the closed deadline: whose it is comes from deadlines.jsonl alone.
        std::fs::write(
            d.path().join(TIMELOG_FILE),
            "{\"id\":\"t-1\",\"deadline\":\"d2\",\"spent\":\"1h\",\"on\":\"2026-09-30\"}\n",
        )
        .unwrap();
        d
    }

    /// What `status` counts with, through the cache (`status` prints what it computes from
    /// this alone, purely).
    fn input(dir: &Path) -> StatusInput {
        load_cached(dir, StatusInput::read)
    }

    #[test]
    fn a_cached_call_says_what_a_full_read_says() {
        let d = dir();
        let full = StatusInput::of(&load_dir(d.path()), false);
        assert!(
            full.deadlines.len() == 2 && full.followups.len() == 2 && full.problems == 1,
            "{full:?}"
        );
        assert_eq!(input(d.path()), full); // writes the cache
        assert!(d.path().join(STATE_DIR).join(STATUS_CACHE_FILE).is_file());
        // The full path is not taken: make it fail loudly if it were.
        let cached = load_cached(d.path(), |_| panic!("the cache was not used"));
        assert_eq!(cached, full);
    }

    #[test]
    fn a_changed_file_is_read_again() {
        let d = dir();
        let before = input(d.path());
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(d.path().join(FOLLOWUPS_FILE))
            .unwrap();
        use std::io::Write;
        writeln!(f, "{{\"what\":\"Call Sato\",\"due\":\"2026-11-24\"}}").unwrap();
        drop(f);
        let after = input(d.path());
        assert_eq!(after.followups.len(), before.followups.len() + 1);
        assert_eq!(after, StatusInput::of(&load_dir(d.path()), false));
    }

    #[test]
    fn a_damaged_cache_is_ignored_and_rewritten() {
        let d = dir();
        let full = input(d.path());
        let cache = d.path().join(STATE_DIR).join(STATUS_CACHE_FILE);
        let text = std::fs::read_to_string(&cache).unwrap();
        for damaged in [
            String::new(),
            "not json\n".to_string(),
            text.replace("Manual", "Man\"ual"),
            text.lines().next().unwrap().to_string() + "\n",
            // Cut at a line's end among the follow-ups: whole lines, one too few.
            text.trim_end_matches('\n')
                .rsplit_once('\n')
                .unwrap()
                .0
                .to_string()
                + "\n",
        ] {
            std::fs::write(&cache, damaged).unwrap();
            assert_eq!(input(d.path()), full);
        }
    }

    #[test]
    fn resolved_items_come_back_as_they_went_in() {
        let due = utc(2026, 11, 26, 8, 0) + chrono::Duration::nanoseconds(5);
        for title in ["Plain", "見積書 \"final\" \\ draft", "tab\there", ""] {
            let d = Deadline {
                origin: Origin::default(),
                id: None,
                client: None,
                title: title.into(),
                due,
                zone: chrono_tz::UTC,
                estimate: Some(chrono::Duration::minutes(90) + chrono::Duration::nanoseconds(7)),
                spent: Some(chrono::Duration::minutes(30)),
                status: Status::Open,
                done_at: None,
                every: None,
                logged: Default::default(),
            };
            let mut open = OpenDeadline::of(&d, None);
            for unknown_zone in [false, true] {
                open.unknown_zone = unknown_zone;
                let mut out = String::new();
                put_deadline(&mut out, &open);
                let back = read_deadline(out.trim_end_matches('\n')).unwrap();
                assert_eq!(back, open);
                assert_eq!(back.remaining, d.remaining_with(Duration::zero()));
            }
        }
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        for (due, snoozed_until, waiting) in [
            (None, None, false),
            (Some(FollowupDue::At(due)), Some(due), true),
            (Some(FollowupDue::Day(day)), None, true),
        ] {
            let f = FollowupTiming {
                due,
                snoozed_until,
                waiting,
            };
            let mut out = String::new();
            put_followup(&mut out, &(f, 3));
            assert_eq!(read_followup(out.trim_end_matches('\n')), Some((f, 3)));
        }
        for bad in [
            "x - o 1",
            "d1 - maybe 1",
            "- - o 1 extra",
            "a1.x - w 1",
            "- - o",
            "- - o x",
        ] {
            assert!(read_followup(bad).is_none(), "{bad}");
        }
    }

    /// The cache goes through the store's atomic write: a temporary file a killed `status` left
    /// behind is removed by the next write, and none of its own stays. (The cache used to be
    /// written through its own `.status-cache.tmp-PID`, which nothing removed.)
    #[test]
    fn the_cache_is_written_atomically_and_leaves_no_temporary_file() {
        let d = dir();
        let state = d.path().join(STATE_DIR);
        std::fs::create_dir_all(&state).unwrap();
        let dead = std::process::Command::new("true")
            .spawn()
            .and_then(|mut c| c.wait().map(|_| c.id()))
            .unwrap();
        let stale = state.join(format!(".{STATUS_CACHE_FILE}.tether-tmp-{dead}"));
        std::fs::write(&stale, "half a cache").unwrap();
        let full = input(d.path()); // writes the cache
        assert!(!stale.exists(), "a killed writer's temporary file was left");
        let names: Vec<String> = std::fs::read_dir(&state)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
        // And what it wrote is whole: the next call reads it instead of the files.
        let cached = load_cached(d.path(), |_| panic!("the cache was not used"));
        assert_eq!(cached, full);
    }

    /// The cache holds numbers, not records: no deadline is rebuilt with a made-up zone or
    /// estimate, no follow-up with an empty text.
    #[test]
    fn the_cache_holds_the_numbers_status_counts_with() {
        let d = dir();
        let full = StatusInput::of(&load_dir(d.path()), false);
        let _ = load_cached(d.path(), StatusInput::read); // writes the cache
        let cached = load_cached(d.path(), |_| panic!("the cache was not used"));
        assert_eq!(cached, full);
        assert_eq!(
            cached
                .deadlines
                .iter()
                .map(|d| d.title.as_str())
                .collect::<Vec<_>>(),
            ["Manual", "Glossary"]
        );
        assert_eq!(cached.followups.len(), 2);
        assert_eq!(cached.problems, 1);
        assert_eq!(
            cached.deadline_clients,
            [("d2".to_string(), "kanda".to_string())]
        );
        let pair = ("d 1 \"x\"".to_string(), "見 \\ y".to_string());
        let mut out = String::new();
        put_pair(&mut out, &pair);
        assert_eq!(out.matches(' ').count(), 1, "{out}");
        assert_eq!(read_pair(out.trim_end_matches('\n')), Some(pair));
    }
}
