//! `tether status` counts open items only, and most lines of a long-lived deadlines or
//! follow-ups file are closed: such a line is recognised by a quick byte scan and skipped
//! without parsing it (see docs/status.md).
//!
//! The scan is conservative: whenever it is not sure, the line is parsed as usual. It says
//! "closed" only for a line that is one object `{...}` with nothing after it, has no backslash
//! (so no escaped key can hide a second `"status"`), has exactly one top-level `"status"` key
//! whose value is `"done"` or `"dropped"`, and at most one top-level `"id"`, a plain string or
//! null. The values of the other keys are not checked (a mistake in them is not reported by
//! `status`; `tether check` reads everything).

use crate::store::json_scan::{scan_string, scan_value, skip_ws};
use memchr::{memchr, memmem};

/// A line found closed: its id, which still counts for duplicate ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed<'a> {
    pub id: Option<&'a str>,
}

/// `Some` when `line` is certainly a closed record (see the module comment); `None` means
/// "parse it".
pub fn closed_line(line: &str) -> Option<Closed<'_>> {
    let b = line.as_bytes();
    // Built once: `memmem::find` would build a searcher for every line.
    static STATUS: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"\"status\""));
    let at = STATUS.find(b)?;
    let mut i = skip_ws(b, at + 8);
    if b.get(i) != Some(&b':') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let rest = &b[i..];
    let len = if rest.starts_with(b"\"done\"") {
        6
    } else if rest.starts_with(b"\"dropped\"") {
        9
    } else {
        return None;
    };
    if !matches!(b.get(skip_ws(b, i + len)), Some(b',' | b'}')) || memchr(b'\\', b).is_some() {
        return None;
    }
    // The whole line: one object, its top-level keys.
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let (mut statuses, mut ids, mut id) = (0, 0, None);
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_at = i;
        let key_end = scan_string(b, i)?;
        let key = &b[i + 1..key_end - 1];
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = scan_value(b, start)?;
        match key {
            b"status" if key_at != at => return None,
            b"status" => statuses += 1,
            b"id" => {
                ids += 1;
                let v = &line[start..end];
                if v.len() >= 2 && v.starts_with('"') && v.bytes().all(|c| c >= 0x20) {
                    id = Some(&v[1..v.len() - 1]);
                } else if v != "null" {
                    return None;
                }
            }
            _ => {}
        }
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (statuses == 1 && ids <= 1 && skip_ws(b, i + 1) == b.len()).then_some(Closed { id })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(line: &str) -> Option<Option<&str>> {
        closed_line(line).map(|c| c.id)
    }

    #[test]
    fn closed_lines_are_recognised() {
        assert_eq!(
            id(r#"{"id":"d-1","title":"x","status":"done"}"#),
            Some(Some("d-1"))
        );
        assert_eq!(
            id(r#"{ "status" : "dropped" , "meta": {"a":[1,"}"]}}"#),
            Some(None)
        );
        assert_eq!(
            id(r#"{"id":null,"status":"done","n":-1.5e3}  "#),
            Some(None)
        );
        assert_eq!(id("{\"status\":\"done\"}\r"), Some(None));
    }

    #[test]
    fn anything_unsure_is_parsed() {
        for line in [
            r#"{"status":"open"}"#,
            r#"{"title":"x"}"#,
            r#"{"status":"done","status":"open"}"#,
            r#"{"status":"done","st\u0061tus":"open"}"#,
            r#"{"meta":{"status":"done"}}"#,
            r#"{"meta":{"status":"done"},"status":"done"}"#,
            r#"{"title":"status","status":"open"}"#,
            r#"{"status":"done"} x"#,
            r#"{"status":"done"}{}"#,
            r#"[{"status":"done"}]"#,
            r#"{"status":"done","id":"a","id":"b"}"#,
            r#"{"status":"done","id":1}"#,
            r#"{"status":"done","title":"a\"b"}"#,
            r#"{"status":"done","#,
            r#"{"status":"done" "x":1}"#,
            r#"{"status":"doner"}"#,
            r#"{"status":"Done"}"#,
            "{\"status\":\"done\",\"id\":\"a\u{1}\"}",
        ] {
            assert_eq!(id(line), None, "{line}");
        }
    }
}
