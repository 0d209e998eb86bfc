//! The notes of a few logged contacts, read from the contact log when a client's page asks for
//! them. Notes are not kept in memory (docs/decisions.md, "Live updates at scale"): the page
//! names the lines of its last contacts and this reads just those, a block at a time
//! ([`super::scan`]), keeping nothing of the other lines.

use super::error::StoreError;
use super::files::INTERACTIONS_FILE;
use super::scan::{LineAt, LineVisitor, scan_lines};
use crate::domain::text::{head, one_line};
use std::collections::BTreeMap;
use std::path::Path;

/// A line longer than this is not read for its note (a note of a megabyte is not for a page).
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// How much of a note is kept.
pub const MAX_NOTE_CHARS: usize = 2000;

/// What the contact log says of one contact's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Its note, on one line (line breaks as spaces, control characters dropped: `domain::text`),
    /// at most [`MAX_NOTE_CHARS`] characters.
    Text(String),
    /// The contact has no note.
    Empty,
    /// The line is no longer that contact's (the file changed since it was read), or not a
    /// record any more.
    Gone,
    /// The line is over [`MAX_LINE_BYTES`].
    TooLong,
}

/// The notes of the contacts at `lines` of the contact log in `dir`, each line given with the
/// client it should be of (a line of another client means the file changed: [`Note::Gone`]).
pub fn read_notes(dir: &Path, lines: &[(usize, String)]) -> Result<Vec<(usize, Note)>, StoreError> {
    let path = dir.join(INTERACTIONS_FILE);
    let file = std::fs::File::open(&path).map_err(|source| StoreError::Read {
        file: INTERACTIONS_FILE.to_string(),
        source,
    })?;
    let mut wanted = Wanted {
        texts: lines.iter().map(|(l, _)| (*l, Some(Vec::new()))).collect(),
        number: 1,
    };
    scan_lines(&path, &file, &mut wanted)?;
    Ok(lines
        .iter()
        .map(|(line, client)| {
            let note = match wanted.texts.get(line) {
                Some(Some(bytes)) => note_of(bytes, client),
                Some(None) => Note::TooLong,
                None => Note::Gone,
            };
            (*line, note)
        })
        .collect())
}

/// Collects the text of the wanted lines (None once a line is over [`MAX_LINE_BYTES`]); a line
/// the file no longer has keeps its empty text, read as no record.
struct Wanted {
    texts: BTreeMap<usize, Option<Vec<u8>>>,
    /// The number of the line being read.
    number: usize,
}

impl LineVisitor for Wanted {
    fn text(&mut self, bytes: &[u8]) {
        if let Some(slot) = self.texts.get_mut(&self.number) {
            let keep = slot
                .as_ref()
                .is_some_and(|t| t.len() + bytes.len() <= MAX_LINE_BYTES);
            match slot {
                Some(t) if keep => t.extend_from_slice(bytes),
                _ => *slot = None,
            }
        }
    }

    fn end(&mut self, line: LineAt) {
        self.number = line.number + 1;
    }
}

fn note_of(bytes: &[u8], client: &str) -> Note {
    let Ok(serde_json::Value::Object(record)) = serde_json::from_slice::<serde_json::Value>(bytes)
    else {
        return Note::Gone;
    };
    if record.get("client").and_then(|c| c.as_str()).map(str::trim) != Some(client) {
        return Note::Gone;
    }
    match record.get("note").and_then(|n| n.as_str()) {
        Some(n) if !n.trim().is_empty() => {
            Note::Text(head(one_line(n).trim(), MAX_NOTE_CHARS).into_owned())
        }
        _ => Note::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(log: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join(INTERACTIONS_FILE), log).unwrap_or_else(|e| panic!("{e}"));
        dir
    }

    #[test]
    fn reads_just_the_notes_asked_for() {
        let long = "x".repeat(MAX_LINE_BYTES);
        let log = format!(
            "# the log\n\
             {{\"at\":\"2026-11-20\",\"client\":\"kanda\",\"kind\":\"visit\",\"note\":\"Brought wine\"}}\n\
             {{\"at\":\"2026-11-21\",\"client\":\"kanda\",\"kind\":\"call\"}}\r\n\
             {{\"at\":\"2026-11-22\",\"client\":\"sakura\",\"kind\":\"call\",\"note\":\"x\"}}\n\
             {{\"at\":\"2026-11-23\",\"client\":\"kanda\",\"kind\":\"call\",\"note\":\"line\\none\\u001b[2J\"}}\n\
             {{\"client\":\"kanda\",\"note\":\"{long}\"}}"
        );
        let dir = dir_with(&log);
        let ask = |l: usize| (l, "kanda".to_string());
        let notes = read_notes(
            dir.path(),
            &[ask(5), ask(2), ask(3), ask(4), ask(6), ask(9)],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            notes,
            [
                (5, Note::Text("line one[2J".into())),
                (2, Note::Text("Brought wine".into())),
                (3, Note::Empty),
                // Another client's line: the file changed since the page was made.
                (4, Note::Gone),
                (6, Note::TooLong),
                (9, Note::Gone),
            ]
        );
    }

    #[test]
    fn a_missing_log_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let e = read_notes(dir.path(), &[(1, "kanda".into())]).err();
        assert!(
            e.is_some_and(|e| e.to_string().contains(INTERACTIONS_FILE)),
            "no error naming the file"
        );
    }
}
