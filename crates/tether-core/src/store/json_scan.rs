//! Where things are in a line holding one JSON object, without parsing it: the members' keys
//! and the byte spans of their values. Lenient (it only finds the ends of strings and
//! brackets); whoever needs the line to be valid JSON checks that with serde_json.

use std::ops::Range;

/// A top-level member of the object on a line.
#[derive(Debug)]
pub(crate) struct Member {
    /// The decoded key.
    pub(crate) key: String,
    /// The key's bytes, quotes included.
    pub(crate) key_span: Range<usize>,
    /// The value's bytes.
    pub(crate) value: Range<usize>,
}

/// Where the members of a line's top-level object are.
#[derive(Debug)]
pub(crate) struct ObjectScan {
    /// Byte index of the opening `{`.
    pub(crate) open: usize,
    /// Byte index of the closing `}`.
    pub(crate) close: usize,
    pub(crate) members: Vec<Member>,
}

/// Scan a line holding one JSON object. Returns `None` for anything that is not one; callers
/// validate with serde_json first, so `None` only guards against surprises (never a panic).
pub(crate) fn scan_object(text: &str) -> Option<ObjectScan> {
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
}
