//! The shipped example data directory, embedded so `tether init` works from any install.

use super::files::{CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};
use std::io::Write;
use std::path::{Path, PathBuf};

/// (file name, contents) of config/example.
pub const FILES: &[(&str, &str)] = &[
    (
        CONFIG_FILE,
        include_str!("../../../../config/example/tether.toml"),
    ),
    (
        DEADLINES_FILE,
        include_str!("../../../../config/example/deadlines.jsonl"),
    ),
    (
        FOLLOWUPS_FILE,
        include_str!("../../../../config/example/followups.jsonl"),
    ),
    (
        INTERACTIONS_FILE,
        include_str!("../../../../config/example/interactions.jsonl"),
    ),
];

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

/// Write the example directory into `dir`, refusing to touch any existing file.
pub fn write_example(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() && !dir.is_dir() {
        return Err(InitError::Exists(dir.to_path_buf()));
    }
    for (name, _) in FILES {
        let p = dir.join(name);
        if p.exists() {
            return Err(InitError::Exists(p));
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for (name, text) in FILES {
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
        f.write_all(text.as_bytes()).map_err(io(&p))?;
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
