//! Byte-exact view of a hand-edited `.jsonl` file, and finding one record's line in it (the
//! edit of that line is `line_edit.rs`'s).
//!
//! Everything here is pure: it works on text already read, so it can be tested exhaustively and
//! reused by the loader (line numbers, classification) and the writer (find + edit one line).
//! The contract is that every byte we were not asked to change survives: line endings as found,
//! a BOM, a missing final newline, comments, bad lines, and the user's own spacing inside a record.

pub use super::line_edit::{EditError, FieldChange, edit_line};
use super::records::jsonline::top_values;
use serde_json::Value;
use std::ops::Range;

/// The UTF-8 byte order mark, as text.
pub const BOM: &str = "\u{feff}";

/// Split a leading UTF-8 BOM off `content`: `(bom, rest)` where `bom` is `""` or [`BOM`].
/// The BOM is not part of any line, but a rewrite must write it back.
pub fn strip_bom(content: &str) -> (&str, &str) {
    match content.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", content),
    }
}

/// What a line is to the loader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or whitespace only.
    Blank,
    /// First non-blank character is `#`.
    Comment,
    /// Anything else: should be a JSON object (may still turn out to be a bad line).
    Record,
}

/// One line of a file, borrowed from the content it was split from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number, as an editor shows it.
    pub number: usize,
    /// The line without its ending.
    pub text: &'a str,
    /// `"\n"`, `"\r\n"`, or `""` for a last line with no newline.
    pub ending: &'a str,
    /// Byte range of `text` in the content passed to [`split_lines`] (BOM included in offsets).
    pub span: Range<usize>,
}

impl Line<'_> {
    pub fn kind(&self) -> LineKind {
        classify(self.text)
    }

    /// Byte range of the text and its ending: what to cut to delete the line.
    pub fn full_span(&self) -> Range<usize> {
        self.span.start..self.span.end + self.ending.len()
    }
}

/// Classify a line's text (without its ending).
pub fn classify(text: &str) -> LineKind {
    let t = text.trim_start();
    if t.trim_end().is_empty() {
        LineKind::Blank
    } else if t.starts_with('#') {
        LineKind::Comment
    } else {
        LineKind::Record
    }
}

/// Split `content` into lines, byte-exactly: after a leading BOM, the concatenation of every
/// line's `text` and `ending` is the rest of the input. A lone `\r` is not an ending (vim keeps
/// it as `^M` in the line), so it stays in `text`. Empty content has no lines; content ending in
/// a newline has no extra empty last line (that is how an editor counts them).
pub fn split_lines(content: &str) -> Vec<Line<'_>> {
    let (bom, rest) = strip_bom(content);
    let mut lines = Vec::new();
    let mut start = bom.len();
    let mut remaining = rest;
    while !remaining.is_empty() {
        let (text, ending) = match remaining.find('\n') {
            Some(nl) => {
                let with_cr = &remaining[..nl];
                match with_cr.strip_suffix('\r') {
                    Some(text) => (text, &remaining[nl - 1..=nl]),
                    None => (with_cr, &remaining[nl..=nl]),
                }
            }
            None => (remaining, ""),
        };
        lines.push(Line {
            number: lines.len() + 1,
            text,
            ending,
            span: start..start + text.len(),
        });
        let consumed = text.len() + ending.len();
        start += consumed;
        remaining = &remaining[consumed..];
    }
    lines
}

/// Find the line of a record, as an index into [`split_lines`]`(content)`.
///
/// By `id` first, because the file may have changed since it was loaded (lines inserted above,
/// other fields edited). If several lines carry the id (a hand-made duplicate), the one whose text
/// is still exactly `original_text` wins, else the first. Without an id match, the line whose text
/// is exactly `original_text`; with several identical lines, the first. (The rule is
/// [`RecordFinder`]'s, which a write applies to a file as it reads it.)
pub fn find_record(content: &str, id: Option<&str>, original_text: &str) -> Option<usize> {
    let mut finder = RecordFinder::new(id);
    for (i, line) in split_lines(content).iter().enumerate() {
        finder.line(i, line.text, line.text == original_text);
    }
    finder.found()
}

/// [`find_record`]'s choice, made one line at a time: each line is told with a mark `T` (its
/// index, or where it is in a file) and whether its text is exactly the original text.
#[derive(Debug)]
pub struct RecordFinder<'a, T> {
    id: Option<&'a str>,
    /// The first line with the id and the original text; the first with the id; the first with
    /// the original text.
    exact: Option<T>,
    first_id: Option<T>,
    first_text: Option<T>,
}

impl<'a, T> RecordFinder<'a, T> {
    pub fn new(id: Option<&'a str>) -> RecordFinder<'a, T> {
        RecordFinder {
            id,
            exact: None,
            first_id: None,
            first_text: None,
        }
    }

    /// The next line: `mark` is what [`RecordFinder::found`] gives back for it, `same` whether
    /// `text` is exactly the original text.
    pub fn line(&mut self, mark: T, text: &str, same: bool)
    where
        T: Clone,
    {
        if self.exact.is_some() || classify(text) != LineKind::Record {
            return;
        }
        if let Some(id) = self.id
            && line_has_id(text, id)
        {
            if same {
                self.exact = Some(mark.clone());
            }
            if self.first_id.is_none() {
                self.first_id = Some(mark.clone());
            }
        }
        if same && self.first_text.is_none() {
            self.first_text = Some(mark);
        }
    }

    pub fn found(self) -> Option<T> {
        self.exact.or(self.first_id).or(self.first_text)
    }
}

/// Whether a record line's `"id"` field is the string `id`.
fn line_has_id(text: &str, id: &str) -> bool {
    // Parsing every line would be wasteful; the id must appear literally unless the user wrote
    // it with escapes, which a backslash betrays.
    if !text.contains(id) && !text.contains('\\') {
        return false;
    }
    // Only the id is built: a line's 100 MB field is read, not copied.
    top_values(text, &["id"]).is_ok_and(|o| o.get("id").and_then(Value::as_str) == Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(content: &str) -> String {
        let (bom, _) = strip_bom(content);
        let body: String = split_lines(content)
            .iter()
            .map(|l| format!("{}{}", l.text, l.ending))
            .collect();
        format!("{bom}{body}")
    }

    #[test]
    fn split_is_byte_exact() {
        for c in [
            "",
            "a",
            "a\n",
            "a\r\nb\nc",
            "\n\n",
            "\r\n",
            "x\ry\n",
            "\u{feff}{\"a\":1}\r\n# c\r\n",
            "\u{feff}",
            "end\r",
        ] {
            assert_eq!(joined(c), c, "{c:?}");
            for l in split_lines(c) {
                assert_eq!(&c[l.span.clone()], l.text);
                assert_eq!(&c[l.full_span()], format!("{}{}", l.text, l.ending));
            }
        }
    }

    #[test]
    fn split_keeps_endings_and_numbers() {
        let lines = split_lines("a\r\nb\nc");
        let got: Vec<_> = lines.iter().map(|l| (l.number, l.text, l.ending)).collect();
        assert_eq!(got, [(1, "a", "\r\n"), (2, "b", "\n"), (3, "c", "")]);
        // A lone CR is part of the line, as vim shows it.
        assert_eq!(split_lines("x\ry")[0].text, "x\ry");
        assert_eq!(split_lines("a\n").len(), 1);
    }

    #[test]
    fn bom_is_not_in_any_line() {
        let c = "\u{feff}{\"id\":\"a\"}\n";
        assert_eq!(strip_bom(c), (BOM, "{\"id\":\"a\"}\n"));
        assert_eq!(strip_bom("x"), ("", "x"));
        let l = &split_lines(c)[0];
        assert_eq!(l.text, "{\"id\":\"a\"}");
        assert_eq!(l.span.start, BOM.len());
    }

    #[test]
    fn classifies_lines() {
        assert_eq!(classify(""), LineKind::Blank);
        assert_eq!(classify(" \t "), LineKind::Blank);
        assert_eq!(classify("  # note"), LineKind::Comment);
        assert_eq!(classify("{\"a\":1}"), LineKind::Record);
        assert_eq!(classify("garbage"), LineKind::Record);
    }

    #[test]
    fn finds_by_id_after_lines_inserted_above() {
        let original = r#"{"id":"f-1","what":"Send quote"}"#;
        let now = "# new comment\n{\"id\":\"f-0\"}\n\n{\"id\":\"f-1\",\"what\":\"Send quote (edited)\"}\n";
        assert_eq!(find_record(now, Some("f-1"), original), Some(3));
    }

    #[test]
    fn id_in_comments_and_bad_lines_does_not_match() {
        let c = "# {\"id\":\"f-1\"}\n{\"id\":\"f-1\"\n{\"id\":\"f-1\",\"what\":\"x\"}\n";
        assert_eq!(find_record(c, Some("f-1"), "nope"), Some(2));
        // A different field holding the id string is not the id.
        let c = "{\"id\":\"f-2\",\"note\":\"f-1\"}\n{\"id\":\"f-1\"}\n";
        assert_eq!(find_record(c, Some("f-1"), "nope"), Some(1));
    }

    #[test]
    fn finds_escaped_id() {
        let c = "{\"id\":\"caf\\u00e9\"}\n";
        assert_eq!(find_record(c, Some("café"), "nope"), Some(0));
    }

    #[test]
    fn duplicate_ids_prefer_the_unchanged_line() {
        let a = r#"{"id":"d","title":"A"}"#;
        let b = r#"{"id":"d","title":"B"}"#;
        let c = format!("{a}\n{b}\n");
        assert_eq!(find_record(&c, Some("d"), b), Some(1));
        assert_eq!(find_record(&c, Some("d"), "gone"), Some(0));
    }

    #[test]
    fn finds_by_exact_text_without_id() {
        let t = r#"{"what":"Call Sato"}"#;
        let c = format!("\n# x\n{t}\r\n");
        assert_eq!(find_record(&c, None, t), Some(2));
        assert_eq!(find_record(&c, None, r#"{"what":"Call Sato" }"#), None);
        // An id that is nowhere falls back to the text.
        assert_eq!(find_record(&c, Some("zz"), t), Some(2));
        // A comment equal to the text is not a record.
        assert_eq!(find_record("# x\n", None, "# x"), None);
    }
}
