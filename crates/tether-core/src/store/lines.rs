//! Byte-exact view of a hand-edited `.jsonl` file, and minimal edits to one record's line.
//!
//! Everything here is pure: it works on text already read, so it can be tested exhaustively and
//! reused by the loader (line numbers, classification) and the writer (find + edit one line).
//! The contract is that every byte we were not asked to change survives: line endings as found,
//! a BOM, a missing final newline, comments, bad lines, and the user's own spacing inside a record.

use serde_json::{Map, Value};
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
/// is exactly `original_text`; with several identical lines, the first.
pub fn find_record(content: &str, id: Option<&str>, original_text: &str) -> Option<usize> {
    let lines = split_lines(content);
    if let Some(id) = id {
        let with_id: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| line_has_id(l, id))
            .map(|(i, _)| i)
            .collect();
        let exact = with_id.iter().find(|&&i| lines[i].text == original_text);
        if let Some(&i) = exact.or(with_id.first()) {
            return Some(i);
        }
    }
    lines
        .iter()
        .position(|l| l.kind() == LineKind::Record && l.text == original_text)
}

/// Whether a record line's `"id"` field is the string `id`.
fn line_has_id(line: &Line<'_>, id: &str) -> bool {
    if line.kind() != LineKind::Record {
        return false;
    }
    // Parsing every line would be wasteful; the id must appear literally unless the user wrote
    // it with escapes, which a backslash betrays.
    if !line.text.contains(id) && !line.text.contains('\\') {
        return false;
    }
    match serde_json::from_str::<Map<String, Value>>(line.text) {
        Ok(obj) => obj.get("id").and_then(Value::as_str) == Some(id),
        Err(_) => false,
    }
}

/// One change to a record's fields.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldChange {
    /// Set `key` to a value: replaced in place if present, appended before `}` if not.
    Set(String, Value),
    /// Remove `key` (every occurrence, if the user duplicated it) with its separating comma.
    Remove(String),
}

impl FieldChange {
    pub fn set(key: impl Into<String>, value: impl Into<Value>) -> FieldChange {
        FieldChange::Set(key.into(), value.into())
    }
    pub fn remove(key: impl Into<String>) -> FieldChange {
        FieldChange::Remove(key.into())
    }
    fn key(&self) -> &str {
        match self {
            FieldChange::Set(k, _) | FieldChange::Remove(k) => k,
        }
    }
}

/// Why a line could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("the line is not a JSON object ({0})")]
    NotAnObject(String),
    #[error("a change could not be applied ({0})")]
    Internal(String),
}

/// Apply `changes` to one record line with the smallest textual change.
///
/// Untouched members keep their bytes, order and spacing; an existing key's value is replaced in
/// place; a new key goes before the closing `}` using the separators the line already uses; a
/// removed key takes its comma with it. The result is checked to parse to exactly the expected
/// object; if the minimal edit somehow fails that check, the line is re-serialized compactly in
/// its original key order rather than written wrong.
pub fn edit_line(text: &str, changes: &[FieldChange]) -> Result<String, EditError> {
    let original: Map<String, Value> =
        serde_json::from_str(text).map_err(|e| EditError::NotAnObject(e.to_string()))?;
    let changes = &as_written(changes)?;
    let expected = apply_to_map(original, changes);
    let mut out = text.to_string();
    for change in changes {
        out = apply_minimal(&out, change)?;
    }
    if parses_to(&out, &expected) {
        return Ok(out);
    }
    let fallback = compact_rewrite(text, changes)?;
    if parses_to(&fallback, &expected) {
        Ok(fallback)
    } else {
        Err(EditError::Internal(
            "the edited line did not parse to the expected record".into(),
        ))
    }
}

/// Each set value as it will read back from the file. Without serde_json's `float_roundtrip`
/// a float may parse one ULP away from what was printed; checking against the in-memory value
/// would then reject a correct edit.
fn as_written(changes: &[FieldChange]) -> Result<Vec<FieldChange>, EditError> {
    changes
        .iter()
        .map(|c| match c {
            FieldChange::Set(k, v) => {
                let reread = serde_json::from_str(&to_json(v)?)
                    .map_err(|e| EditError::Internal(e.to_string()))?;
                Ok(FieldChange::Set(k.clone(), reread))
            }
            FieldChange::Remove(_) => Ok(c.clone()),
        })
        .collect()
}

fn apply_to_map(mut obj: Map<String, Value>, changes: &[FieldChange]) -> Map<String, Value> {
    for change in changes {
        match change {
            FieldChange::Set(k, v) => {
                obj.insert(k.clone(), v.clone());
            }
            FieldChange::Remove(k) => {
                obj.remove(k);
            }
        }
    }
    obj
}

fn parses_to(text: &str, expected: &Map<String, Value>) -> bool {
    serde_json::from_str::<Map<String, Value>>(text).is_ok_and(|m| &m == expected)
}

fn apply_minimal(text: &str, change: &FieldChange) -> Result<String, EditError> {
    let scan = scan_object(text).ok_or_else(|| EditError::Internal("scan failed".into()))?;
    match change {
        FieldChange::Set(key, value) => set_member(text, &scan, key, value),
        FieldChange::Remove(key) => remove_member(text, key),
    }
}

fn set_member(
    text: &str,
    scan: &ObjectScan,
    key: &str,
    value: &Value,
) -> Result<String, EditError> {
    let hits: Vec<&Member> = scan.members.iter().filter(|m| m.key == key).collect();
    let rendered = to_json(value)?;
    if hits.is_empty() {
        return insert_member(text, scan, key, &rendered);
    }
    // Replace from the right so earlier spans stay valid.
    let mut out = text.to_string();
    for m in hits.iter().rev() {
        let current = &text[m.value.clone()];
        // An equal value spelled differently (escapes, `1.0` vs `1`) is the user's; keep it.
        if serde_json::from_str::<Value>(current).is_ok_and(|v| &v == value) {
            continue;
        }
        out.replace_range(m.value.clone(), &rendered);
    }
    Ok(out)
}

fn insert_member(
    text: &str,
    scan: &ObjectScan,
    key: &str,
    rendered: &str,
) -> Result<String, EditError> {
    let key_json = to_json(&Value::String(key.to_string()))?;
    let style = Style::of(text, scan);
    let mut out = text.to_string();
    match scan.members.last() {
        Some(last) => {
            let member = format!(
                "{}{}{}{}",
                style.member_sep, key_json, style.kv_sep, rendered
            );
            out.insert_str(last.value.end, &member);
        }
        None => {
            let member = format!("{}{}{}", key_json, style.kv_sep, rendered);
            out.insert_str(scan.open + 1, &member);
        }
    }
    Ok(out)
}

fn remove_member(text: &str, key: &str) -> Result<String, EditError> {
    let mut out = text.to_string();
    // Duplicated keys: remove every occurrence, so the key is really gone.
    loop {
        let scan = scan_object(&out).ok_or_else(|| EditError::Internal("scan failed".into()))?;
        let Some(i) = scan.members.iter().rposition(|m| m.key == key) else {
            return Ok(out);
        };
        out.replace_range(removal_span(&scan, i), "");
    }
}

/// The bytes to cut to remove member `i` cleanly: no dangling or doubled comma.
fn removal_span(scan: &ObjectScan, i: usize) -> Range<usize> {
    let members = &scan.members;
    if let Some(next) = members.get(i + 1) {
        // Take the member, its comma and the spacing before the next key.
        members[i].key_span.start..next.key_span.start
    } else if let Some(prev) = i.checked_sub(1).and_then(|p| members.get(p)) {
        // Last member: take the comma before it instead, so no trailing comma is left.
        prev.value.end..members[i].value.end
    } else {
        // Only member: leave a plain `{}`.
        scan.open + 1..scan.close
    }
}

/// Last resort: `{"k":v,...}` in the original key order, untouched values keeping their bytes.
fn compact_rewrite(text: &str, changes: &[FieldChange]) -> Result<String, EditError> {
    let scan = scan_object(text).ok_or_else(|| EditError::Internal("scan failed".into()))?;
    let mut members: Vec<(String, String)> = Vec::new();
    for m in &scan.members {
        members.retain(|(k, _)| k != &m.key);
        members.push((m.key.clone(), text[m.value.clone()].to_string()));
    }
    for change in changes {
        match change {
            FieldChange::Set(k, v) => match members.iter_mut().find(|(mk, _)| mk == k) {
                Some(slot) => slot.1 = to_json(v)?,
                None => members.push((k.clone(), to_json(v)?)),
            },
            FieldChange::Remove(_) => members.retain(|(k, _)| k != change.key()),
        }
    }
    let body: Result<Vec<String>, EditError> = members
        .iter()
        .map(|(k, v)| Ok(format!("{}:{}", to_json(&Value::String(k.clone()))?, v)))
        .collect();
    Ok(format!("{{{}}}", body?.join(",")))
}

fn to_json(value: &Value) -> Result<String, EditError> {
    serde_json::to_string(value).map_err(|e| EditError::Internal(e.to_string()))
}

/// The separators a line already uses, so an added member looks like the user wrote it.
struct Style {
    /// Between a value and the next key, e.g. `","` or `", "`.
    member_sep: String,
    /// Between a key and its value, e.g. `":"` or `": "`.
    kv_sep: String,
}

impl Style {
    fn of(text: &str, scan: &ObjectScan) -> Style {
        let kv_sep = scan
            .members
            .last()
            .map(|m| text[m.key_span.end..m.value.start].to_string())
            .unwrap_or_else(|| ":".to_string());
        let n = scan.members.len();
        let member_sep = if n >= 2 {
            // The gap nearest to where the new member goes.
            text[scan.members[n - 2].value.end..scan.members[n - 1].key_span.start].to_string()
        } else if kv_sep.ends_with(' ') {
            ", ".to_string()
        } else {
            ",".to_string()
        };
        Style { member_sep, kv_sep }
    }
}

/// A top-level member of the object on a line.
#[derive(Debug)]
struct Member {
    /// The decoded key.
    key: String,
    /// The key's bytes, quotes included.
    key_span: Range<usize>,
    /// The value's bytes.
    value: Range<usize>,
}

/// Where the members of a line's top-level object are.
#[derive(Debug)]
struct ObjectScan {
    /// Byte index of the opening `{`.
    open: usize,
    /// Byte index of the closing `}`.
    close: usize,
    members: Vec<Member>,
}

/// Scan a line holding one JSON object. Returns `None` for anything that is not one; callers
/// validate with serde_json first, so `None` only guards against surprises (never a panic).
fn scan_object(text: &str) -> Option<ObjectScan> {
    let b = text.as_bytes();
    let open = skip_ws(b, 0);
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut i = skip_ws(b, open + 1);
    if b.get(i) == Some(&b'}') {
        return Some(ObjectScan {
            open,
            close: i,
            members,
        });
    }
    loop {
        let key_end = scan_string(b, i)?;
        let name: String = serde_json::from_str(text.get(i..key_end)?).ok()?;
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, colon + 1);
        let value_end = scan_value(b, value_start)?;
        members.push(Member {
            key: name,
            key_span: i..key_end,
            value: value_start..value_end,
        });
        let after = skip_ws(b, value_end);
        match b.get(after) {
            Some(b',') => i = skip_ws(b, after + 1),
            Some(b'}') => {
                return Some(ObjectScan {
                    open,
                    close: after,
                    members,
                });
            }
            _ => return None,
        }
    }
}

pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        i += 1;
    }
    i
}

/// End (exclusive) of the string starting at `i`, which must be a `"`.
pub(crate) fn scan_string(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        // Jump to the next quote or backslash (`status` skims every closed line this way).
        j += memchr::memchr2(b'"', b'\\', b.get(j..)?)?;
        match b[j] {
            b'\\' => j += 2,
            _ => return Some(j + 1),
        }
    }
}

/// End (exclusive) of the value starting at `i`.
pub(crate) fn scan_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => scan_string(b, i),
        b'{' | b'[' => scan_nested(b, i),
        _ => {
            // A number, true, false or null: runs until a delimiter (a quote never belongs to
            // one; stopping there keeps an unvalidated line like `1"x"` from reading as a value).
            let mut j = i;
            while let Some(c) = b.get(j) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n' | b'"') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// End (exclusive) of a nested object or array starting at `i`; strings may hold brackets.
fn scan_nested(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        match b.get(j)? {
            b'"' => {
                j = scan_string(b, j)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
        j += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn joined(content: &str) -> String {
        let (bom, _) = strip_bom(content);
        let body: String = split_lines(content)
            .iter()
            .map(|l| format!("{}{}", l.text, l.ending))
            .collect();
        format!("{bom}{body}")
    }

    fn obj(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).expect("test line must parse")
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

    fn check(text: &str, changes: &[FieldChange], want: &str) {
        let got = edit_line(text, changes).expect("edit");
        assert_eq!(got, want);
        let expected = apply_to_map(obj(text), changes);
        assert_eq!(obj(&got), expected);
    }

    #[test]
    fn replaces_value_in_place() {
        check(
            r#"{ "id": "f-1", "status": "open", "x": [1, {"y": "}"}] }"#,
            &[FieldChange::set("status", "done")],
            r#"{ "id": "f-1", "status": "done", "x": [1, {"y": "}"}] }"#,
        );
        check(
            r#"{"n":1,"status":null,"z":true}"#,
            &[FieldChange::set("status", json!({"a": [1]}))],
            r#"{"n":1,"status":{"a":[1]},"z":true}"#,
        );
    }

    #[test]
    fn appends_in_the_lines_own_style() {
        check(
            r#"{"id":"a","what":"x"}"#,
            &[FieldChange::set("done_at", "2026-11-25T09:00:00Z")],
            r#"{"id":"a","what":"x","done_at":"2026-11-25T09:00:00Z"}"#,
        );
        check(
            r#"{ "id": "a", "what": "x" }"#,
            &[FieldChange::set("k", 1), FieldChange::set("j", false)],
            r#"{ "id": "a", "what": "x", "k": 1, "j": false }"#,
        );
        check(
            r#"{"a" : 1}"#,
            &[FieldChange::set("b", 2)],
            r#"{"a" : 1, "b" : 2}"#,
        );
        check(
            r#"{"a":1}"#,
            &[FieldChange::set("b", 2)],
            r#"{"a":1,"b":2}"#,
        );
        check(
            r#"{"a": 1}"#,
            &[FieldChange::set("b", 2)],
            r#"{"a": 1, "b": 2}"#,
        );
        check("{}", &[FieldChange::set("b", 2)], r#"{"b":2}"#);
        check("  {  }  ", &[FieldChange::set("b", 2)], r#"  {"b":2  }  "#);
    }

    #[test]
    fn removes_cleanly() {
        let t = r#"{"a": 1, "b": 2, "c": 3}"#;
        check(t, &[FieldChange::remove("a")], r#"{"b": 2, "c": 3}"#);
        check(t, &[FieldChange::remove("b")], r#"{"a": 1, "c": 3}"#);
        check(t, &[FieldChange::remove("c")], r#"{"a": 1, "b": 2}"#);
        check(t, &[FieldChange::remove("zz")], t);
        check(r#"{ "a": 1 }"#, &[FieldChange::remove("a")], "{}");
        check(
            r#"{"a":1,"a":2,"b":3}"#,
            &[FieldChange::remove("a")],
            r#"{"b":3}"#,
        );
    }

    #[test]
    fn keeps_unknown_nested_and_escaped_fields() {
        let t = r#"{"id":"x","meta":{"q":"a \"quoted\" } ] , : \\","deep":[[{}],"{"]},"status":"open","emoji":"日本 🎉","n":-1.5e3}"#;
        let got = edit_line(
            t,
            &[
                FieldChange::set("status", "done"),
                FieldChange::remove("n"),
                FieldChange::set("what", "say \"hi\"\n"),
            ],
        )
        .expect("edit");
        assert_eq!(
            got,
            r#"{"id":"x","meta":{"q":"a \"quoted\" } ] , : \\","deep":[[{}],"{"]},"status":"done","emoji":"日本 🎉","what":"say \"hi\"\n"}"#
        );
    }

    #[test]
    fn equal_value_spelled_differently_is_left_alone() {
        let t = r#"{"status":"d\u006fne","n":1.0}"#;
        assert_eq!(
            edit_line(t, &[FieldChange::set("status", "done")]).expect("edit"),
            t
        );
    }

    #[test]
    fn duplicate_keys_all_get_the_new_value() {
        check(
            r#"{"s":"a","s":"b"}"#,
            &[FieldChange::set("s", "c")],
            r#"{"s":"c","s":"c"}"#,
        );
    }

    #[test]
    fn trailing_bytes_after_the_object_are_kept() {
        check("{\"a\":1} \r", &[FieldChange::set("a", 2)], "{\"a\":2} \r");
    }

    #[test]
    fn non_objects_are_errors_not_panics() {
        for t in [
            "",
            "[1]",
            "{\"id\":",
            "garbage",
            "{\"a\":1}x",
            "\"s\"",
            "{\"a\" 1}",
        ] {
            assert!(
                matches!(
                    edit_line(t, &[FieldChange::set("a", 1)]),
                    Err(EditError::NotAnObject(_))
                ),
                "{t:?}"
            );
        }
    }

    #[test]
    fn scanner_survives_truncated_input() {
        let t = r#"{"a":"x\"y","b":[1,{"c":"]"}],"d":null}"#;
        for end in 0..=t.len() {
            let _ = scan_object(&t[..end]);
        }
        let scan = scan_object(t).expect("scan");
        let keys: Vec<_> = scan.members.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "d"]);
    }

    #[test]
    fn compact_fallback_keeps_order() {
        let t = r#"{ "b": 1, "a": [2] }"#;
        let got = compact_rewrite(t, &[FieldChange::set("c", 3), FieldChange::remove("b")])
            .expect("fallback");
        assert_eq!(got, r#"{"a":[2],"c":3}"#);
    }
}
