//! The record of sent alerts: `DATA_DIR/.tether/alerts.jsonl`, append-only, one line per sent
//! alert, so each (item, level, fingerprint) alerts once, across restarts and processes.
//!
//! ```json
//! {"at":"2026-11-25T23:30:00Z","level":"at-risk","summary":"At risk: …","body":"…","items":[{"file":"deadlines","key":"id:d-7f3a2c","level":"at-risk","fp":"due=… est=36000s spent=14400s"}]}
//! ```
//!
//! A line is appended with one `write` after the notification server accepted the alert. A line
//! tether cannot read is skipped. Deleting the file makes tether forget what it sent (the first
//! run rules apply again).

use super::digest::{from_hex, to_hex};
pub use super::rules::SentEntry;
use super::rules::{Alert, AlertItem, ItemFile, Level};
use crate::store::append::append_line_unlocked;
use crate::store::files::{ALERTS_LOCK_FILE, state_file};
use crate::store::lock::lock_within;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use crate::store::files::ALERTS_FILE;
/// How long to wait for another tether process to finish its alert pass.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("cannot read {file} ({source}); no alerts sent, so none is sent twice")]
    Read {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "cannot record the sent alert in {file} ({source}); check that the folder is writable, or it may be sent again"
    )]
    Write {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot take {file} ({source}); check that the data folder is writable")]
    Lock {
        file: String,
        #[source]
        source: io::Error,
    },
    #[error("another tether process is sending alerts ({file} is busy); skipped this time")]
    Busy { file: String },
}

/// One line of the record: owned strings when read, borrowed from the alert when written (a
/// summary of a flood names every item: no copy of each).
#[derive(Serialize, Deserialize)]
struct Line<S> {
    at: S,
    level: S,
    #[serde(default)]
    summary: S,
    #[serde(default)]
    body: S,
    #[serde(default = "Vec::new")]
    items: Vec<LineItem<S>>,
    /// A flood's other items, by digest (`super::digest`), 16 hex digits each.
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    digests: Option<S>,
}

#[derive(Serialize, Deserialize)]
struct LineItem<S> {
    file: S,
    key: S,
    level: S,
    fp: S,
}

pub fn alerts_path(dir: &Path) -> PathBuf {
    state_file(dir, ALERTS_FILE)
}

fn parse_line(text: &str) -> Option<SentEntry> {
    let l: Line<String> = serde_json::from_str(text).ok()?;
    let at = DateTime::parse_from_rfc3339(&l.at)
        .ok()?
        .with_timezone(&Utc);
    let items = l
        .items
        .into_iter()
        .filter_map(|i| {
            Some(AlertItem {
                file: ItemFile::parse(&i.file)?,
                key: i.key,
                level: Level::parse(&i.level)?,
                fingerprint: i.fp,
            })
        })
        .collect();
    Some(SentEntry {
        at,
        level: Level::parse(&l.level)?,
        summary: l.summary,
        body: l.body,
        items,
        // Damaged digests are left out (those items may alert again), the rest of the line kept.
        digests: l.digests.as_deref().and_then(from_hex).unwrap_or_default(),
    })
}

fn to_line(alert: &Alert, at: DateTime<Utc>) -> Result<String, serde_json::Error> {
    let at = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let digests = to_hex(&alert.digests);
    let line = Line {
        at: at.as_str(),
        level: alert.level.as_str(),
        summary: alert.summary.as_str(),
        body: alert.body.as_str(),
        items: alert
            .items
            .iter()
            .map(|i| LineItem {
                file: i.file.as_str(),
                key: i.key.as_str(),
                level: i.level.as_str(),
                fp: i.fingerprint.as_str(),
            })
            .collect(),
        digests: (!digests.is_empty()).then_some(digests.as_str()),
    };
    // Measured first, then written into a buffer of that size: a summary of a flood is one
    // line of tens of MB, which a growing buffer would hold up to twice over.
    let mut len = Counted(0);
    serde_json::to_writer(&mut len, &line)?;
    let mut out = Vec::with_capacity(len.0);
    serde_json::to_writer(&mut out, &line)?;
    // serde_json writes UTF-8.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// A writer that only counts the bytes.
struct Counted(usize);

impl io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Every sent alert, oldest first; a missing record is empty. An unreadable record is an error
/// (sending without knowing what was sent would repeat every alert).
pub fn read_sent(dir: &Path) -> Result<Vec<SentEntry>, RecordError> {
    let path = alerts_path(dir);
    let read_err = |source| RecordError::Read {
        file: path.display().to_string(),
        source,
    };
    // Never through a link, never waiting on a named pipe: a plain file or an error.
    let file = match crate::store::fsio::open_state_file(&path, fs::OpenOptions::new().read(true)) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(read_err(source)),
    };
    // A line at a time: a flood's line is tens of MB, held once.
    let mut reader = io::BufReader::new(file);
    let mut sent = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(read_err)? == 0 {
            return Ok(sent);
        }
        if let Some(e) = parse_line(String::from_utf8_lossy(&line).trim_end()) {
            sent.push(e);
        }
    }
}

/// The sent alerts for the dashboard's list, newest first (empty if there is no record or it
/// cannot be read).
pub fn sent_log(dir: &Path) -> Vec<SentEntry> {
    let mut v = read_sent(dir).unwrap_or_default();
    v.reverse();
    v
}

/// Record `alert` as sent at `now` (takes the alerts lock; see [`AlertsLock`]).
pub fn record_sent(dir: &Path, alert: &Alert, now: DateTime<Utc>) -> Result<(), RecordError> {
    let _lock = AlertsLock::acquire(dir, LOCK_WAIT)?;
    append_unlocked(dir, alert, now)
}

/// Append one line through the store's one append (one `write` of a whole line, after
/// finishing a torn last line, synced); the caller holds the alerts lock.
pub(crate) fn append_unlocked(
    dir: &Path,
    alert: &Alert,
    now: DateTime<Utc>,
) -> Result<(), RecordError> {
    let path = alerts_path(dir);
    let write_err = |source| RecordError::Write {
        file: path.display().to_string(),
        source,
    };
    let line = to_line(alert, now).map_err(|e| write_err(io::Error::other(e)))?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(write_err)?;
    }
    append_line_unlocked(&path, &line)
        .map(|_| ())
        .map_err(|e| write_err(io::Error::other(e)))
}

/// An exclusive lock on `.tether/alerts.lock` for one whole pass (read the record, send, record),
/// so the dashboard, a `--watch` daemon and a cron `--once` never send the same alert twice.
/// Released on drop.
#[derive(Debug)]
pub struct AlertsLock {
    _file: File,
}

impl AlertsLock {
    pub fn acquire(dir: &Path, wait: Duration) -> Result<AlertsLock, RecordError> {
        let (path, file) = lock_within(dir, ALERTS_LOCK_FILE, wait);
        match file {
            Ok(Some(file)) => Ok(AlertsLock { _file: file }),
            Ok(None) => Err(RecordError::Busy {
                file: path.display().to_string(),
            }),
            Err(source) => Err(RecordError::Lock {
                file: path.display().to_string(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::rules::Urgency;
    use chrono::TimeZone;

    fn summary(digests: Vec<u64>) -> Alert {
        Alert {
            level: Level::Summary,
            summary: "3 follow-ups due".into(),
            body: "Follow-up due: x".into(),
            urgency: Urgency::Normal,
            items: vec![AlertItem {
                file: ItemFile::Followups,
                key: "text:x".into(),
                level: Level::FollowupDue,
                fingerprint: "due=2026-11-20 snoozed=-".into(),
            }],
            digests,
        }
    }

    #[test]
    fn a_flood_line_keeps_its_digests_and_a_damaged_one_keeps_the_rest() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap();
        let alert = summary(vec![7, u64::MAX]);
        let line = to_line(&alert, at).unwrap();
        assert!(
            line.contains(r#""digests":"0000000000000007ffffffffffffffff""#),
            "{line}"
        );
        assert_eq!(parse_line(&line), Some(SentEntry::from_alert(&alert, at)));
        // No field at all for an alert without digests (the record as before).
        assert!(!to_line(&summary(vec![]), at).unwrap().contains("digests"));
        // A cut digest: the line's named items still count.
        let cut = line.replace("ffffffffffffffff", "fff");
        let read = parse_line(&cut).unwrap();
        assert_eq!(read.items, alert.items);
        assert!(read.digests.is_empty());
    }
}
