//! What `tether sync init` puts in a data directory so git and Syncthing merge it well
//! (docs/sync.md): the lines each sync file needs, added to what the user has (never
//! reordered, never removed).

use super::files::{
    CONFLICT_MARK, GIT_ATTRIBUTES, GIT_IGNORE, RECORD_FILES, STATE_DIR, SYNCTHING_IGNORE, TEMP_MARK,
};
use super::fsio::atomic_write;
use std::path::{Path, PathBuf};

/// The name git knows the merge driver by (`merge.tether.driver`).
pub const DRIVER: &str = "tether";

/// Each sync file and the lines it must hold.
pub fn wanted() -> Vec<(&'static str, Vec<String>)> {
    let ignored = vec![
        format!("{STATE_DIR}/"),
        format!(".*{TEMP_MARK}*"),
        format!("*{CONFLICT_MARK}*"),
    ];
    let mut st = ignored.clone();
    // Syncthing's ignore patterns name the folder without a slash.
    st[0] = STATE_DIR.to_string();
    vec![
        (
            GIT_ATTRIBUTES,
            RECORD_FILES
                .iter()
                .map(|f| format!("{f} merge={DRIVER}"))
                .collect(),
        ),
        (GIT_IGNORE, ignored),
        (SYNCTHING_IGNORE, st),
    ]
}

/// What one sync file lacks: its path, the whole new text, and the lines added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    pub path: PathBuf,
    pub text: String,
    pub added: Vec<String>,
}

/// The sync files of `dir` that lack lines, with the text they would have. A line counts as
/// there when the file has it (surrounding blanks ignored); an unreadable file is an error.
pub fn plan(dir: &Path) -> std::io::Result<Vec<Addition>> {
    let mut out = Vec::new();
    for (name, lines) in wanted() {
        let path = dir.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        let has: Vec<&str> = text.lines().map(str::trim).collect();
        let added: Vec<String> = lines
            .into_iter()
            .filter(|l| !has.contains(&l.as_str()))
            .collect();
        if added.is_empty() {
            continue;
        }
        let mut new = text.clone();
        if !new.is_empty() && !new.ends_with('\n') {
            new.push('\n');
        }
        for l in &added {
            new.push_str(l);
            new.push('\n');
        }
        out.push(Addition {
            path,
            text: new,
            added,
        });
    }
    Ok(out)
}

pub fn apply(additions: &[Addition]) -> std::io::Result<()> {
    for a in additions {
        atomic_write(&a.path, a.text.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_added_to_what_the_user_has_once() {
        let tmp = tempfile::tempdir().unwrap();
        let gi = tmp.path().join(GIT_IGNORE);
        std::fs::write(&gi, "notes/\n.tether/").unwrap();
        let p = plan(tmp.path()).unwrap();
        apply(&p).unwrap();
        let text = std::fs::read_to_string(&gi).unwrap();
        assert!(text.starts_with("notes/\n.tether/\n"), "{text}");
        assert_eq!(text.matches(".tether/").count(), 1, "{text}");
        assert!(
            std::fs::read_to_string(tmp.path().join(GIT_ATTRIBUTES))
                .unwrap()
                .contains("followups.jsonl merge=tether\n")
        );
        assert_eq!(plan(tmp.path()).unwrap(), []);
    }
}
