//! Conflict copies of the record files: Syncthing's (`followups.sync-conflict-20261125-093000-
//! ABCDEFG.jsonl`) and tether's own (`followups.jsonl.tether-conflict-SECS-PID`, a version another
//! program wrote while tether replaced the file, kept rather than lost: `store::swap`). Found
//! for `tether check` and the dashboard's problem list to name, and folded into their file by
//! `tether resolve` (`threeway::merge_two`), the copy removed only once the merge is written.

use super::diagnostic::Diagnostic;
use super::error::{StoreError, name_of};
use super::files::{CONFLICT_MARK, RECORD_FILES};
use super::fsio::{FileStamp, atomic_write};
use super::lock::lock;
use super::threeway::{Merged, merge_two};
use std::path::{Path, PathBuf};

/// What Syncthing puts between a file's stem and its extension in a conflict copy's name.
const SYNCTHING_MARK: &str = ".sync-conflict-";

/// A conflict copy and the record file it is a version of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictCopy {
    pub path: PathBuf,
    pub file: &'static str,
}

/// The record file `name` is a conflict copy of (Syncthing's or tether's), if it is one.
pub fn copy_of(name: &str) -> Option<&'static str> {
    RECORD_FILES.iter().copied().find(|f| {
        let (stem, ext) = f.rsplit_once('.').unwrap_or((f, ""));
        let syncthing = name
            .strip_prefix(stem)
            .and_then(|r| r.strip_prefix(SYNCTHING_MARK))
            .is_some_and(|r| r.ends_with(&format!(".{ext}")));
        syncthing || is_tethers(name, f)
    })
}

/// Whether `name` is a copy tether kept of record file `file` (`store::swap`).
fn is_tethers(name: &str, file: &str) -> bool {
    name.strip_prefix(file)
        .is_some_and(|r| r.starts_with(CONFLICT_MARK))
}

/// The conflict copies in `dir`, oldest name first (Syncthing's names carry the date).
pub fn find(dir: &Path) -> Vec<ConflictCopy> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<ConflictCopy> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            copy_of(&name).map(|file| ConflictCopy {
                path: e.path(),
                file,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// What a load says of the conflict copies of `file` in `dir`: a warning at each copy's name,
/// with the fix. Every load of the file (the commands', the dashboard's rereads) adds these.
pub fn diagnostics_for(dir: &Path, file: &str) -> Vec<Diagnostic> {
    find(dir)
        .into_iter()
        .filter(|c| c.file == file)
        .map(|c| {
            let name = name_of(&c.path);
            let whose = if is_tethers(&name, file) {
                "a version of {file} another program wrote while tether replaced it, kept"
            } else {
                "a Syncthing conflict copy of {file}"
            }
            .replace("{file}", file);
            Diagnostic::warning(
                &name,
                0,
                format!(
                    "{whose}: `tether resolve` merges it into the file record by record and \
                     removes it"
                ),
            )
        })
        .collect()
}

fn read(path: &Path) -> Result<(String, Option<FileStamp>), StoreError> {
    let meta = std::fs::metadata(path).ok();
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8(b).map_err(|e| StoreError::NotUtf8 {
            file: name_of(path),
            line: 0,
            offset: e.utf8_error().valid_up_to(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(StoreError::Read {
                file: name_of(path),
                source: e,
            });
        }
    };
    Ok((text, meta.as_ref().map(FileStamp::of)))
}

/// Merge `copy` into its file in `dir` and remove it. Holds tether's lock; a file changed by
/// another program while merging is merged again (a few times, then `Busy`).
pub fn resolve(dir: &Path, copy: &ConflictCopy) -> Result<Merged, StoreError> {
    let _lock = lock(dir)?;
    let target = dir.join(copy.file);
    let (theirs, _) = read(&copy.path)?;
    for _ in 0..5 {
        let (ours, stamp) = read(&target)?;
        let merged = merge_two(&ours, &theirs);
        let now = std::fs::metadata(&target).ok().as_ref().map(FileStamp::of);
        if now != stamp {
            continue;
        }
        atomic_write(&target, merged.text.as_bytes()).map_err(|e| StoreError::Write {
            file: name_of(&target),
            source: e,
        })?;
        std::fs::remove_file(&copy.path).map_err(|e| StoreError::Write {
            file: name_of(&copy.path),
            source: e,
        })?;
        return Ok(merged);
    }
    Err(StoreError::Busy {
        file: name_of(&target),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_tether_kept_are_known_too() {
        assert_eq!(
            copy_of("followups.jsonl.tether-conflict-1796000000-4242"),
            Some("followups.jsonl")
        );
        assert_eq!(copy_of("tether.toml.tether-conflict-1-2"), None);
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("deadlines.jsonl"), "").unwrap();
        std::fs::write(dir.join("deadlines.jsonl.tether-conflict-1-2"), "").unwrap();
        let d = diagnostics_for(dir, "deadlines.jsonl");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].to_string()
                .contains("another program wrote while tether replaced it"),
            "{}",
            d[0]
        );
    }

    #[test]
    fn copies_are_known_by_syncthings_names() {
        assert_eq!(
            copy_of("followups.sync-conflict-20261125-093000-ABCDEFG.jsonl"),
            Some("followups.jsonl")
        );
        assert_eq!(copy_of("followups.jsonl"), None);
        assert_eq!(
            copy_of("tether.sync-conflict-20261125-093000-ABCDEFG.toml"),
            None
        );
        assert_eq!(copy_of("followups.sync-conflict-x.txt"), None);
    }

    #[test]
    fn a_copy_is_merged_in_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(
            dir.join("followups.jsonl"),
            "# mine\n{\"id\":\"f-1\",\"what\":\"Send quote\",\"status\":\"done\"}\n{\"id\":\"f-2\",\"what\":\"Desk\"}\n",
        )
        .unwrap();
        let copy = dir.join("followups.sync-conflict-20261125-093000-ABCDEFG.jsonl");
        std::fs::write(
            &copy,
            "# mine\n{\"id\":\"f-1\",\"what\":\"Send quote\",\"snoozed_until\":\"2026-12-01\"}\n{\"id\":\"f-3\",\"what\":\"Laptop\"}\n",
        )
        .unwrap();
        let found = find(dir);
        assert_eq!(found.len(), 1);
        let m = resolve(dir, &found[0]).unwrap();
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let text = std::fs::read_to_string(dir.join("followups.jsonl")).unwrap();
        assert_eq!(
            text,
            // The copy's new record comes after the line it followed there.
            "# mine\n{\"id\":\"f-1\",\"what\":\"Send quote\",\"status\":\"done\",\"snoozed_until\":\"2026-12-01\"}\n{\"id\":\"f-3\",\"what\":\"Laptop\"}\n{\"id\":\"f-2\",\"what\":\"Desk\"}\n"
        );
        assert!(!copy.exists());
        assert!(find(dir).is_empty());
    }
}
