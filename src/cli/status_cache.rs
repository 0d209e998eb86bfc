//! What `tether status` keeps between calls: what it needs of the open deadlines and follow-ups
//! (already resolved: instants as seconds, remaining work, titles) and the problems found, in `.tether/status-cache`, keyed by each file's device, inode, size and
//! modification time. tmux runs `status` every few seconds while the files rarely change, so a
//! call with unchanged files reads a few numbers per open item (a few % of years of history)
//! instead of scanning both files. Any change to tether.toml, deadlines.jsonl or followups.jsonl (or a
//! cache that cannot be read) means the full path, which writes a fresh cache. The cache is
//! each machine's own (inodes), like the rest of `.tether/` (docs/sync.md).

use crate::domain::model::{Deadline, Followup, FollowupDue, Model, Origin, Status};
use crate::store::config::parse_config;
use crate::store::diagnostic::{Diagnostic, Level};
use crate::store::files::{
    CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, STATE_DIR, STATUS_CACHE_FILE,
};
use crate::store::load::{Loaded, read_for_load};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Bumped when what is cached, or how a line parses, changes.
const VERSION: &str = concat!("2 ", env!("CARGO_PKG_VERSION"));

/// A file's device, inode, size and modification time (s, ns); None: not there.
type Stamp = Option<(u64, u64, u64, i64, i64)>;

#[derive(Serialize, Deserialize, PartialEq)]
struct Header {
    version: String,
    /// One stamp per file (tether.toml, deadlines.jsonl, followups.jsonl).
    stamps: Vec<Stamp>,
    /// file, line, is it an error, message.
    problems: Vec<(String, usize, bool, String)>,
    deadlines: usize,
}

fn stamps(dir: &Path) -> Vec<Stamp> {
    use std::os::unix::fs::MetadataExt;
    [CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE]
        .iter()
        .map(|name| {
            let m = std::fs::metadata(dir.join(name)).ok()?;
            Some((m.dev(), m.ino(), m.len(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// The loaded data `status` needs, from the cache when the files are unchanged, else from
/// `load` (whose result is then cached). The result counts the same open items and problems
/// either way.
pub fn load_cached(dir: &Path, load: impl FnOnce(&Path) -> Loaded) -> Loaded {
    let before = stamps(dir);
    let path = dir.join(STATE_DIR).join(STATUS_CACHE_FILE);
    if let Some(l) = read_cache(dir, &path, &before) {
        return l;
    }
    let loaded = load(dir);
    // A file that changed while it was read: do not cache what may be a mix of two versions.
    if stamps(dir) == before {
        let _ = write_cache(&path, &before, &loaded);
    }
    loaded
}

fn read_cache(dir: &Path, path: &Path, now: &[Stamp]) -> Option<Loaded> {
    let text = std::fs::read_to_string(path).ok()?;
    let (first, rest) = text.split_once('\n')?;
    let header: Header = serde_json::from_str(first).ok()?;
    if header.version != VERSION || header.stamps != now {
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
        .enumerate()
        .map(|(i, l)| read_followup(i + 1, l))
        .collect::<Option<Vec<_>>>()?;
    if deadlines.len() != header.deadlines {
        return None;
    }
    let diagnostics = header
        .problems
        .into_iter()
        .map(|(file, line, error, message)| Diagnostic {
            file,
            line,
            col: None,
            level: if error { Level::Error } else { Level::Warning },
            message,
        })
        .collect();
    Some(Loaded {
        model: Model {
            config,
            deadlines,
            followups,
            interactions: Vec::new(),
        },
        diagnostics,
    })
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

/// An open deadline as what `status` needs of it: `DUE REMAINING TITLE` (TITLE a JSON string).
fn put_deadline(out: &mut String, d: &Deadline) {
    put_instant(out, d.due);
    out.push(' ');
    let r = d.remaining();
    put_seconds(out, r.num_seconds(), r.subsec_nanos().unsigned_abs());
    out.push(' ');
    out.push_str(&serde_json::to_string(&d.title).unwrap_or_default());
    out.push('\n');
}

fn read_deadline(line: &str) -> Option<Deadline> {
    let mut parts = line.splitn(3, ' ');
    let due = get_instant(parts.next()?)?;
    let (secs, nanos) = split_seconds(parts.next()?)?;
    let remaining = Duration::new(secs, nanos)?;
    let title = parts.next()?;
    let title = match title.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(plain) if !plain.contains(['\\', '"']) => plain.to_string(),
        _ => serde_json::from_str(title).ok()?,
    };
    Some(Deadline {
        origin: Origin::default(),
        id: None,
        client: None,
        title,
        due,
        zone: chrono_tz::UTC,
        estimate: Some(remaining),
        spent: None,
        status: Status::Open,
        done_at: None,
    })
}

/// An open follow-up as what `status` needs of it: `DUE SNOOZED WAITING`, where DUE is `-`,
/// `aSECONDS` (an instant) or `dDAYS` (a day, days since 1 January of year 1), SNOOZED `-` or
/// seconds, and WAITING `w` or `o`.
fn put_followup(out: &mut String, f: &Followup) {
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
    out.push_str(if f.waiting { " w\n" } else { " o\n" });
}

fn read_followup(line_no: usize, line: &str) -> Option<Followup> {
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
    if parts.next().is_some() {
        return None;
    }
    Some(Followup {
        // Only the order of the lines matters to `status` (ties in the follow-up board).
        origin: Origin {
            line: line_no,
            text: String::new(),
        },
        id: None,
        client: None,
        who: None,
        what: String::new(),
        due,
        status: Status::Open,
        snoozed_until,
        waiting,
        created: None,
        done_at: None,
    })
}

fn write_cache(path: &Path, stamps: &[Stamp], loaded: &Loaded) -> std::io::Result<()> {
    let model = &loaded.model;
    let open_deadlines: Vec<&Deadline> = model
        .deadlines
        .iter()
        .filter(|d| d.status == Status::Open)
        .collect();
    let header = Header {
        version: VERSION.to_string(),
        stamps: stamps.to_vec(),
        problems: loaded
            .diagnostics
            .iter()
            .map(|d| (d.file.clone(), d.line, d.is_error(), d.message.clone()))
            .collect(),
        deadlines: open_deadlines.len(),
    };
    let mut out = serde_json::to_string(&header).map_err(std::io::Error::other)?;
    out.push('\n');
    for d in open_deadlines {
        put_deadline(&mut out, d);
    }
    for f in model.followups.iter().filter(|f| f.status == Status::Open) {
        put_followup(&mut out, f);
    }
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{STATUS_CACHE_FILE}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, out)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::status::Facts;
    use crate::domain::testkit::utc;
    use crate::store::load::load_open_items;
    use chrono::{DateTime, Utc};

    /// Wed 25 Nov 2026 09:30 in Brisbane.
    fn now() -> DateTime<Utc> {
        utc(2026, 11, 24, 23, 30)
    }

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
        d
    }

    fn facts(dir: &Path) -> Facts {
        Facts::compute(&load_cached(dir, load_open_items), now())
    }

    #[test]
    fn a_cached_call_says_what_a_full_read_says() {
        let d = dir();
        let full = Facts::compute(&load_open_items(d.path()), now());
        assert!(
            full.overdue >= 1 && full.problems == 1 && full.due == 1,
            "{full:?}"
        );
        assert_eq!(facts(d.path()), full); // writes the cache
        assert!(d.path().join(STATE_DIR).join(STATUS_CACHE_FILE).is_file());
        // The full path is not taken: make it fail loudly if it were.
        let cached = Facts::compute(
            &load_cached(d.path(), |_| panic!("the cache was not used")),
            now(),
        );
        assert_eq!(cached, full);
    }

    #[test]
    fn a_changed_file_is_read_again() {
        let d = dir();
        let before = facts(d.path());
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(d.path().join(FOLLOWUPS_FILE))
            .unwrap();
        use std::io::Write;
        writeln!(f, "{{\"what\":\"Call Sato\",\"due\":\"2026-11-24\"}}").unwrap();
        drop(f);
        let after = facts(d.path());
        assert_eq!(after.due, before.due + 1);
        assert_eq!(after, Facts::compute(&load_open_items(d.path()), now()));
    }

    #[test]
    fn a_damaged_cache_is_ignored_and_rewritten() {
        let d = dir();
        let full = facts(d.path());
        let cache = d.path().join(STATE_DIR).join(STATUS_CACHE_FILE);
        let text = std::fs::read_to_string(&cache).unwrap();
        for damaged in [
            String::new(),
            "not json\n".to_string(),
            text.replace("Manual", "Man\"ual"),
            text.lines().next().unwrap().to_string() + "\n",
        ] {
            std::fs::write(&cache, damaged).unwrap();
            assert_eq!(facts(d.path()), full);
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
                title: title.to_string(),
                due,
                zone: chrono_tz::UTC,
                estimate: Some(chrono::Duration::minutes(90) + chrono::Duration::nanoseconds(7)),
                spent: Some(chrono::Duration::minutes(30)),
                status: Status::Open,
                done_at: None,
            };
            let mut out = String::new();
            put_deadline(&mut out, &d);
            let back = read_deadline(out.trim_end_matches('\n')).unwrap();
            assert_eq!((back.title.as_str(), back.due), (title, due));
            assert_eq!(back.remaining(), d.remaining());
        }
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        for (due, snooze, waiting) in [
            (None, None, false),
            (Some(FollowupDue::At(due)), Some(due), true),
            (Some(FollowupDue::Day(day)), None, true),
        ] {
            let f = Followup {
                origin: Origin::default(),
                id: None,
                client: None,
                who: None,
                what: String::new(),
                due,
                status: Status::Open,
                snoozed_until: snooze,
                waiting,
                created: None,
                done_at: None,
            };
            let mut out = String::new();
            put_followup(&mut out, &f);
            let back = read_followup(1, out.trim_end_matches('\n')).unwrap();
            assert_eq!(
                (back.due, back.snoozed_until, back.waiting),
                (due, snooze, waiting)
            );
        }
        for bad in ["x - o", "d1 - maybe", "- - o extra", "a1.x - w"] {
            assert!(read_followup(1, bad).is_none(), "{bad}");
        }
    }
}
