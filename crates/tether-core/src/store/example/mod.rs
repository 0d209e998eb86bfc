//! What `tether init` and a first run write: the example data dated from today
//! ([`write_dated_example`], made by `dated.rs`), or a blank start ([`write_empty`]); and the
//! reference example of `config/example` ([`write_example`]), with its fixed dates, that the
//! tests and screenshots run on with `--now 2026-11-25T09:30:00+10:00`. None of them ever
//! overwrites a file.

mod dated;
mod empty;
mod headers;

use super::files::{CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::io::Write;
use std::path::{Path, PathBuf};

/// (file name, contents) of config/example: the reference example, dated November 2026.
pub const FILES: &[(&str, &str)] = &[
    (
        CONFIG_FILE,
        include_str!("../../../../../config/example/tether.toml"),
    ),
    (
        DEADLINES_FILE,
        include_str!("../../../../../config/example/deadlines.jsonl"),
    ),
    (
        FOLLOWUPS_FILE,
        include_str!("../../../../../config/example/followups.jsonl"),
    ),
    (
        INTERACTIONS_FILE,
        include_str!("../../../../../config/example/interactions.jsonl"),
    ),
];

pub use dated::files as dated_files;
pub use empty::files as empty_files;

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{0} already exists; tether init never overwrites your files (move it away or pick another directory)"
    )]
    Exists(PathBuf),
    #[error("cannot create {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Write the reference example (config/example, fixed dates) into `dir`.
pub fn write_example(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    write_files(dir, FILES)
}

/// Write the example dated from `now` into `dir`: what `tether init` and a first run write.
pub fn write_dated_example(dir: &Path, now: DateTime<Utc>) -> Result<Vec<PathBuf>, InitError> {
    write_files(dir, &dated_files(now))
}

/// Write a blank start into `dir`: you in `zone` (None: a placeholder saying to set it), no
/// client, no record.
pub fn write_empty(dir: &Path, zone: Option<Tz>) -> Result<Vec<PathBuf>, InitError> {
    write_files(dir, &empty_files(zone))
}

/// Write `files` into `dir` (created if missing), refusing to touch any existing file.
fn write_files<S: AsRef<str>>(dir: &Path, files: &[(&str, S)]) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() && !dir.is_dir() {
        return Err(InitError::Exists(dir.to_path_buf()));
    }
    for (name, _) in files {
        let p = dir.join(name);
        if p.exists() {
            return Err(InitError::Exists(p));
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for (name, text) in files {
        let p = dir.join(name);
        // create_new: a file that appeared since the check above is still never overwritten.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    InitError::Exists(p.clone())
                } else {
                    InitError::Io {
                        path: p.clone(),
                        source: e,
                    }
                }
            })?;
        f.write_all(text.as_ref().as_bytes()).map_err(io(&p))?;
        written.push(p);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_then_refuses() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let w = write_example(&dir).unwrap();
        assert_eq!(w.len(), 4);
        let before = std::fs::read(dir.join("followups.jsonl")).unwrap();
        let e = write_example(&dir).unwrap_err();
        assert!(e.to_string().contains("already exists"), "{e}");
        assert_eq!(std::fs::read(dir.join("followups.jsonl")).unwrap(), before);
    }
}

#[cfg(test)]
mod dated_tests;
