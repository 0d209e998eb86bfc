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

/// A data file larger than this is refused whole (one error), for loading and for writing,
/// rather than read into memory. Ten years of heavy use are a few MB and a million contacts
/// about 90 MB, which must still load (docs/performance.md); a file past this is a mistake (a
/// log pasted in, a binary saved over it). See docs/reliability.md.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// At most this many lines that are not UTF-8 are reported one by one per file; the rest are
/// counted in one last message (a binary file must not make millions of messages).
pub const MAX_BAD_UTF8_LINES: usize = 20;

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

/// Read a data file as text, strictly. `Ok(None)` when it does not exist (a missing .jsonl means
/// "none yet"); a file that is not all UTF-8 is one error naming its first bad line. The loader
/// uses the forgiving [`read_for_load`] instead.
pub fn read_text(dir: &Path, name: &str) -> Result<Option<String>, Diagnostic> {
    let Some(bytes) = read_bytes(dir, name)? else {
        return Ok(None);
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            let bytes = e.into_bytes();
            let at = std::str::from_utf8(&bytes)
                .err()
                .map_or(0, |u| u.valid_up_to());
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::error(name, line, NOT_UTF8))
        }
    }
}

const NOT_UTF8: &str =
    "not valid UTF-8: save the file as UTF-8; tether will not write to it until then";

/// Read a data file for loading: its text and the problems found reading it. Each line that is
/// not valid UTF-8 is reported and left out (it reads as an empty line, so every other line
/// keeps its number and still loads); tether then refuses to write to that file (the store
/// re-reads it strictly) until it is saved as UTF-8. `None` when the file does not exist or
/// cannot be read at all (the diagnostics say why).
pub fn read_for_load(dir: &Path, name: &str) -> (Option<String>, Vec<Diagnostic>) {
    match read_bytes(dir, name) {
        Ok(None) => (None, Vec::new()),
        Ok(Some(bytes)) => {
            let (text, diags) = decode_lines(name, bytes);
            (Some(text), diags)
        }
        Err(d) => (None, vec![d]),
    }
}

/// Decode a data file's bytes line by line: valid lines are kept byte for byte, a line that is
/// not UTF-8 becomes an empty line and one error (at most [`MAX_BAD_UTF8_LINES`] are listed).
/// A UTF-16 file (by its byte order mark) is one error instead of one per line.
pub fn decode_lines(name: &str, bytes: Vec<u8>) -> (String, Vec<Diagnostic>) {
    let bytes = match String::from_utf8(bytes) {
        Ok(s) => return (s, Vec::new()),
        Err(e) => e.into_bytes(),
    };
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return (
            String::new(),
            vec![Diagnostic::error(
                name,
                0,
                "the file is UTF-16, not UTF-8: save it as UTF-8; nothing in it was loaded, and \
                 tether will not write to it until then",
            )],
        );
    }
    let mut text = String::with_capacity(bytes.len());
    let mut diags = Vec::new();
    let mut bad = 0usize;
    for (i, chunk) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(chunk) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                bad += 1;
                if bad <= MAX_BAD_UTF8_LINES {
                    diags.push(Diagnostic::error(
                        name,
                        i + 1,
                        format!("{NOT_UTF8}; the line is skipped"),
                    ));
                }
                // Keep the line (empty) so the lines after it keep their numbers.
                if chunk.ends_with(b"\r\n") {
                    text.push_str("\r\n");
                } else if chunk.ends_with(b"\n") {
                    text.push('\n');
                }
            }
        }
    }
    if bad > MAX_BAD_UTF8_LINES {
        diags.push(Diagnostic::error(
            name,
            0,
            format!(
                "{} more lines are not valid UTF-8 (not listed); save the file as UTF-8",
                bad - MAX_BAD_UTF8_LINES
            ),
        ));
    }
    (text, diags)
}

/// The raw bytes of a data file, bounded: `Ok(None)` when it does not exist; an error for a
/// folder, a device or pipe (never blocks on a FIFO), or a file over [`MAX_FILE_BYTES`].
fn read_bytes(dir: &Path, name: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
    let path = dir.join(name);
    let cannot = |e: std::io::Error| {
        Diagnostic::error(name, 0, format!("cannot read {}: {e}", path.display()))
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a named pipe for reading would wait for a writer forever; O_NONBLOCK makes the
    // open return at once, and the type check below then refuses it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let f = match options.open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A missing file means "none yet", but a symlink to a missing file is a mistake
            // (an unmounted drive, a moved folder): say so rather than show nothing.
            return match std::fs::read_link(&path) {
                Ok(to) => Err(Diagnostic::error(
                    name,
                    0,
                    format!(
                        "{} is a symbolic link to {}, which does not exist (not mounted? moved?)",
                        path.display(),
                        to.display()
                    ),
                )),
                Err(_) => Ok(None),
            };
        }
        Err(e) => return Err(cannot(e)),
    };
    let meta = f.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            name,
            0,
            format!("{} is a directory, not a file", path.display()),
        ));
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(
            name,
            0,
            format!(
                "{} is not a regular file (a device, pipe or socket); tether reads only plain files",
                path.display()
            ),
        ));
    }
    let too_big = |len: u64| {
        Diagnostic::error(
            name,
            0,
            format!(
                "{} is {} MB, more than tether reads ({} MB); nothing in it was loaded: move old \
                 lines into another file",
                path.display(),
                len / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    // The file may grow while it is read (another program appending): read at most one byte
    // past the limit, so memory stays bounded whatever happens.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(Some(bytes))
}

/// Load every file of the data directory.
pub fn load_dir(dir: &Path) -> Loaded {
    load(dir, true)
}

/// The data directory without its contact log, for commands that never need it (`status`,
/// `add`, `export`): interactions.jsonl grows without bound, so it is not even read.
pub fn load_without_contacts(dir: &Path) -> Loaded {
    load(dir, false)
}

fn load(dir: &Path, contacts: bool) -> Loaded {
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
    let mut text_of = |name: &str| {
        let (text, diags) = read_for_load(dir, name);
        diagnostics.extend(diags);
        text
    };
    let config_text = text_of(CONFIG_FILE);
    let dl = text_of(DEADLINES_FILE).unwrap_or_default();
    let fu = text_of(FOLLOWUPS_FILE).unwrap_or_default();
    let ix = if contacts {
        text_of(INTERACTIONS_FILE).unwrap_or_default()
    } else {
        String::new()
    };
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
            "followups.jsonl:2: error: not valid UTF-8: save the file as UTF-8; tether will not write to it until then; the line is skipped"
        );
        // The rest of the file still loads.
        assert_eq!(l.model.followups.len(), 1);
        assert_eq!(
            read_text(tmp.path(), FOLLOWUPS_FILE)
                .expect_err("strict")
                .line,
            2
        );
    }
}
