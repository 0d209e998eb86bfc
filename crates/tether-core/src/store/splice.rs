//! What a change to one line is, as a write streams it and the undo journal keeps it: the
//! pieces of the line replaced ([`LineEdit`]), and how the line written is recognised again
//! ([`LineDigest`]) without keeping it (a 100 MB line's undo entry is a few hundred bytes).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::ops::Range;

/// One piece of a line replaced: its bytes `range` by `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(usize, usize, String)", into = "(usize, usize, String)")]
pub struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

impl From<(usize, usize, String)> for Splice {
    fn from((start, end, text): (usize, usize, String)) -> Splice {
        Splice {
            range: start..end,
            text,
        }
    }
}

impl From<Splice> for (usize, usize, String) {
    fn from(s: Splice) -> (usize, usize, String) {
        (s.range.start, s.range.end, s.text)
    }
}

/// A change to one line: its splices, in order, not overlapping, each changing something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LineEdit {
    splices: Vec<Splice>,
}

/// A piece of an edited line: bytes of the line as it was, or new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Keep(Range<usize>),
    Put(&'a str),
}

impl LineEdit {
    /// Replace the whole of a line `len` bytes long by `text`.
    pub fn whole(len: usize, text: impl Into<String>) -> LineEdit {
        LineEdit {
            splices: vec![Splice {
                range: 0..len,
                text: text.into(),
            }],
        }
    }

    /// Splices in order, not overlapping (see [`LineEdit::fits`]).
    pub fn from_splices(splices: Vec<Splice>) -> LineEdit {
        LineEdit { splices }
    }

    pub fn is_empty(&self) -> bool {
        self.splices.is_empty()
    }

    pub fn splices(&self) -> &[Splice] {
        &self.splices
    }

    /// Whether this edit can apply to a line `len` bytes long (a journal line edited by hand
    /// may hold anything).
    pub fn fits(&self, len: usize) -> bool {
        let mut at = 0;
        self.splices.iter().all(|s| {
            let ok = at <= s.range.start && s.range.start <= s.range.end && s.range.end <= len;
            at = s.range.end;
            ok
        })
    }

    /// The line's length after the edit.
    pub fn len_after(&self, len: usize) -> usize {
        self.splices
            .iter()
            .fold(len, |n, s| n - s.range.len() + s.text.len())
    }

    /// The edited line as pieces, in order, for a line `len` bytes long.
    pub fn pieces(&self, len: usize) -> impl Iterator<Item = Piece<'_>> {
        let mut at = 0;
        let mut out = Vec::with_capacity(self.splices.len() * 2 + 1);
        for s in &self.splices {
            if s.range.start > at {
                out.push(Piece::Keep(at..s.range.start));
            }
            if !s.text.is_empty() {
                out.push(Piece::Put(s.text.as_str()));
            }
            at = s.range.end;
        }
        if len > at {
            out.push(Piece::Keep(at..len));
        }
        out.into_iter()
    }

    /// The edited line, built whole (for lines in memory; a write streams [`LineEdit::pieces`]).
    /// `None` if the edit does not fit `line` (see [`LineEdit::fits`]).
    pub fn apply(&self, line: &str) -> Option<String> {
        if !self.fits(line.len()) {
            return None;
        }
        let mut out = String::with_capacity(self.len_after(line.len()));
        for piece in self.pieces(line.len()) {
            match piece {
                Piece::Keep(r) => out.push_str(line.get(r)?),
                Piece::Put(t) => out.push_str(t),
            }
        }
        Some(out)
    }

    /// The edit that takes the edited line back to `line`: the same places in the edited line,
    /// holding the text they replaced.
    pub fn inverse(&self, line: &str) -> LineEdit {
        let mut shift: isize = 0;
        let splices = self
            .splices
            .iter()
            .map(|s| {
                let start = (s.range.start as isize + shift) as usize;
                shift += s.text.len() as isize - s.range.len() as isize;
                Splice {
                    range: start..start + s.text.len(),
                    text: line.get(s.range.clone()).unwrap_or_default().to_string(),
                }
            })
            .collect();
        LineEdit { splices }
    }
}

/// A line as tether wrote it: its length, its beginning and its SHA-256, by which undo finds it
/// again without keeping it (a 100 MB line's undo entry is a few hundred bytes). The beginning
/// spares hashing every other line of the file: records differ in their first bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDigest {
    pub len: u64,
    /// The first [`HEAD`] bytes or so (whole characters).
    pub head: String,
    pub sha256: String,
}

/// How much of a line [`LineDigest::head`] keeps.
pub const HEAD: usize = 64;

impl LineDigest {
    pub fn of(text: &[u8]) -> LineDigest {
        let mut d = Digester::default();
        d.update(text);
        d.finish()
    }
}

/// A [`LineDigest`] worked out piece by piece.
#[derive(Default, Clone)]
pub struct Digester {
    hasher: Sha256,
    len: u64,
    head: Vec<u8>,
}

impl Digester {
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        self.len += bytes.len() as u64;
        let room = HEAD.saturating_sub(self.head.len()).min(bytes.len());
        self.head.extend_from_slice(&bytes[..room]);
    }

    pub fn finish(self) -> LineDigest {
        let sum = self.hasher.finalize();
        let head = match String::from_utf8(self.head) {
            Ok(h) => h,
            // A character cut by the limit: up to it.
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned()
            }
        };
        LineDigest {
            len: self.len,
            head,
            sha256: sum.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_edit_that_does_not_fit_is_refused() {
        let bad = LineEdit::from_splices(vec![
            Splice {
                range: 3..5,
                text: String::new(),
            },
            Splice {
                range: 1..2,
                text: String::new(),
            },
        ]);
        assert!(!bad.fits(10));
        assert_eq!(bad.apply("0123456789"), None);
        assert_eq!(LineEdit::whole(3, "x").apply("ab"), None);
    }

    #[test]
    fn digest_is_sha256_of_the_line() {
        let d = LineDigest::of(b"abc");
        assert_eq!(d.len, 3);
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut pieces = Digester::default();
        pieces.update(b"a");
        pieces.update(b"bc");
        assert_eq!(pieces.finish(), d);
    }
}
