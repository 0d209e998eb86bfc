//! What `tether status` keeps between calls: the open deadlines' and follow-ups' lines and the
//! problems found, in `.tether/status-cache`, keyed by each file's device, inode, size and
//! modification time. tmux runs `status` every few seconds while the files rarely change, so a
//! call with unchanged files parses only the open lines (a few % of years of history) instead of
//! scanning both files. Any change to tether.toml, deadlines.jsonl or followups.jsonl (or a
//! cache that cannot be read) means the full path, which writes a fresh cache. The cache is
//! each machine's own (inodes), like the rest of `.tether/` (docs/sync.md).

use crate::domain::model::{Model, Status};
use crate::store::config::{CONFIG_FILE, parse_config};
use crate::store::diagnostic::{Diagnostic, Level};
use crate::store::load::{Loaded, read_for_load};
use crate::store::records::{DEADLINES_FILE, FOLLOWUPS_FILE, parse_deadlines, parse_followups};
use crate::store::write::STATE_DIR;
use serde::{Deserialize, Serialize};
use std::path::Path;

const CACHE_FILE: &str = "status-cache";

/// Bumped when what is cached, or how a line parses, changes.
const VERSION: &str = concat!("1 ", env!("CARGO_PKG_VERSION"));

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
    let path = dir.join(STATE_DIR).join(CACHE_FILE);
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
    // The first `deadlines` lines are the open deadlines, the rest the open follow-ups.
    let mut cut = 0;
    for _ in 0..header.deadlines {
        cut += rest[cut..].find('\n')? + 1;
    }
    let (deadline_lines, followup_lines) = rest.split_at(cut);
    let (config_text, _) = read_for_load(dir, CONFIG_FILE);
    let (config, _) = parse_config(&config_text?);
    // The two kinds on two cores.
    let (d, (followups, d2)) = std::thread::scope(|s| {
        let d = s.spawn(|| parse_deadlines(deadline_lines, &config));
        let f = parse_followups(followup_lines, &config);
        (d.join(), f)
    });
    let (deadlines, d1) = d.ok()?;
    // The cached lines parsed cleanly when they were cached; anything else is a stale cache.
    if !d1.is_empty() || !d2.is_empty() || deadlines.len() != header.deadlines {
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

fn write_cache(path: &Path, stamps: &[Stamp], loaded: &Loaded) -> std::io::Result<()> {
    let open_deadlines: Vec<&str> = loaded
        .model
        .deadlines
        .iter()
        .filter(|d| d.status == Status::Open)
        .map(|d| d.origin.text.as_str())
        .collect();
    let open_followups = loaded
        .model
        .followups
        .iter()
        .filter(|f| f.status == Status::Open)
        .map(|f| f.origin.text.as_str());
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
    for line in open_deadlines.into_iter().chain(open_followups) {
        out.push_str(line.trim_end_matches('\r'));
        out.push('\n');
    }
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{CACHE_FILE}.tmp-{}", std::process::id()));
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
        assert!(d.path().join(STATE_DIR).join(CACHE_FILE).is_file());
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
        let cache = d.path().join(STATE_DIR).join(CACHE_FILE);
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
}
