//! A data file's lines as a three-way merge sees them: each with its ending, and a key — the
//! record's `id` for the first line carrying it, else the line's exact text (hand-written
//! records without an id, comments, blank lines, lines that do not parse).

use serde_json::Value;
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Id(String),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub key: Key,
    /// The line without its ending.
    pub text: String,
    /// `\n`, `\r\n`, or nothing (the last line of a file without a final line feed).
    pub end: &'static str,
}

/// The `id` of a record line, if it is a JSON object with a string `id`.
pub fn id_of(text: &str) -> Option<String> {
    let t = text.trim_start();
    if !t.starts_with('{') {
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => match m.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Split `text` into keyed lines. A UTF-8 BOM stays on the first line's text.
pub fn split(text: &str) -> Vec<Line> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for raw in text.split_inclusive('\n') {
        let (body, end) = if let Some(b) = raw.strip_suffix("\r\n") {
            (b, "\r\n")
        } else if let Some(b) = raw.strip_suffix('\n') {
            (b, "\n")
        } else {
            (raw, "")
        };
        let key = match id_of(body) {
            // A repeated id is the user's duplicate: kept as its own text, for `check` to name.
            Some(id) if seen.insert(id.clone()) => Key::Id(id),
            _ => Key::Text(body.to_string()),
        };
        out.push(Line {
            key,
            text: body.to_string(),
            end,
        });
    }
    out
}
