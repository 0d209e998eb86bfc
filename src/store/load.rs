//! Load a whole data directory: never fails; unreadable or missing files become diagnostics.

use super::config::{CONFIG_FILE, parse_config};
use super::diagnostic::Diagnostic;
use super::records::{
    DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, parse_deadlines, parse_followups,
    parse_interactions,
};
use crate::domain::model::{Config, Model};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A data file larger than this is refused rather than read into memory whole.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Read a data file as text. `Ok(None)` when it does not exist (a missing .jsonl means "none yet").
pub fn read_text(dir: &Path, name: &str) -> Result<Option<String>, Diagnostic> {
    let path = dir.join(name);
    let mut f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(
                name,
                0,
                format!("cannot read {}: {e}", path.display()),
            ));
        }
    };
    let meta = f
        .metadata()
        .map_err(|e| Diagnostic::error(name, 0, format!("cannot read {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            name,
            0,
            format!("{} is a directory, not a file", path.display()),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            name,
            0,
            format!(
                "{} is {} MB, more than tether reads ({} MB); archive old lines into another file",
                path.display(),
                meta.len() / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(name, 0, format!("cannot read {}: {e}", path.display())))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            // Report where the bad bytes are, then load the rest with replacement characters.
            let bytes = e.into_bytes();
            let at = std::str::from_utf8(&bytes)
                .err()
                .map_or(0, |u| u.valid_up_to());
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::error(
                name,
                line,
                "not valid UTF-8: save the file as UTF-8; tether will not write to it until then",
            ))
        }
    }
}

/// Load every file of the data directory.
pub fn load_dir(dir: &Path) -> Loaded {
    let mut diagnostics = Vec::new();
    if !dir.is_dir() {
        let msg = if dir.exists() {
            format!(
                "{} is a file, not a directory; point --data-dir at a directory",
                dir.display()
            )
        } else {
            format!(
                "{} does not exist; run `tether init {}`",
                dir.display(),
                dir.display()
            )
        };
        diagnostics.push(Diagnostic::error(CONFIG_FILE, 0, msg));
        return Loaded {
            model: Model {
                config: Config::default(),
                deadlines: Vec::new(),
                followups: Vec::new(),
                interactions: Vec::new(),
            },
            diagnostics,
        };
    }
    let mut text_of = |name: &str| match read_text(dir, name) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let config_text = text_of(CONFIG_FILE);
    let dl = text_of(DEADLINES_FILE).unwrap_or_default();
    let fu = text_of(FOLLOWUPS_FILE).unwrap_or_default();
    let ix = text_of(INTERACTIONS_FILE).unwrap_or_default();
    let config = match config_text {
        Some(t) => {
            let (c, d) = parse_config(&t);
            diagnostics.extend(d);
            c
        }
        None => {
            if !diagnostics.iter().any(|d| d.file == CONFIG_FILE) {
                diagnostics.push(Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    format!(
                        "missing: create {} (see `tether init`) with your [me] zone and [[clients]]",
                        dir.join(CONFIG_FILE).display()
                    ),
                ));
            }
            Config::default()
        }
    };
    let (deadlines, d) = parse_deadlines(&dl, &config);
    diagnostics.extend(d);
    let (followups, d) = parse_followups(&fu, &config);
    diagnostics.extend(d);
    let (interactions, d) = parse_interactions(&ix, &config);
    diagnostics.extend(d);
    Loaded {
        model: Model {
            config,
            deadlines,
            followups,
            interactions,
        },
        diagnostics,
    }
}

/// Where the data lives: `--data-dir`, else `$TETHER_DIR` (both handled by the CLI), else the
/// platform data directory (`~/.local/share/tether` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tether").map(|p| p.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_directory_loads_without_problems() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
        let l = load_dir(&dir);
        assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
        assert!(l.model.deadlines.len() >= 5);
        assert!(l.model.followups.len() >= 5);
        assert!(l.model.interactions.len() >= 20);
    }

    #[test]
    fn missing_dir_and_files_are_messages() {
        let tmp = tempfile::tempdir().unwrap();
        let l = load_dir(&tmp.path().join("nope"));
        assert_eq!(l.errors(), 1);
        assert!(l.diagnostics[0].message.contains("tether init"));
        let l = load_dir(tmp.path());
        assert_eq!(l.errors(), 1);
        assert!(l.diagnostics[0].message.starts_with("missing"));
    }

    #[test]
    fn invalid_utf8_is_reported_with_line() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(CONFIG_FILE), "[me]\nzone = \"UTC\"\n").unwrap();
        std::fs::write(
            tmp.path().join(FOLLOWUPS_FILE),
            b"{\"what\":\"a\"}\n{\"what\":\"\xff\"}\n",
        )
        .unwrap();
        let l = load_dir(tmp.path());
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(
            l.diagnostics[0].to_string(),
            "followups.jsonl:2: error: not valid UTF-8: save the file as UTF-8; tether will not write to it until then"
        );
    }
}
