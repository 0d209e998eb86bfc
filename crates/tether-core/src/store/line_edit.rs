//! How a write changes one record's line: the fields it sets or removes ([`FieldChange`]), made
//! with the smallest textual change ([`plan_edit`]) and given as the pieces of the line replaced
//! (a [`LineEdit`]), worked out from the line's text without building its values: a record with
//! a 100 MB field costs that field once (the line read), not a copy per step.

use super::json_scan::{ObjectScan, scan_object};
use super::records::jsonline::top_values;
use super::splice::{LineEdit, Piece, Splice};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::ops::Range;

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
    pub fn key(&self) -> &str {
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

/// Apply `changes` to one record line with the smallest textual change: the line after
/// [`plan_edit`]'s edit (see there).
pub fn edit_line(text: &str, changes: &[FieldChange]) -> Result<String, EditError> {
    plan_edit(text, changes)?
        .apply(text)
        .ok_or_else(|| EditError::Internal("the edit does not fit the line".into()))
}

/// Apply `changes` to one record line with the smallest textual change, as an edit of the line.
///
/// Untouched members keep their bytes, order and spacing; an existing key's value is replaced in
/// place; a new key goes before the closing `}` using the separators the line already uses; a
/// removed key takes its comma with it. The line is read as strictly as
/// `serde_json::from_str::<Map<String, Value>>` reads it, but only the values of the keys
/// changed are built. The result is checked to read as exactly the expected object (see
/// `Check`); if the minimal edit somehow fails that check, the line is
/// re-serialized compactly in its original key order rather than written wrong.
pub fn plan_edit(text: &str, changes: &[FieldChange]) -> Result<LineEdit, EditError> {
    // Read strictly (an error in serde_json's words), building no value.
    top_values(text, &[]).map_err(|e| EditError::NotAnObject(e.to_string()))?;
    let keys: Vec<&str> = changes.iter().map(FieldChange::key).collect();
    let changes = &as_written(changes)?;
    let scan = scan_object(text).ok_or_else(|| EditError::Internal("scan failed".into()))?;
    let check = Check::new(text, &scan, &keys, changes)?;
    let mut plan = Plan::of(text, &scan);
    for change in changes {
        plan.apply(change)?;
    }
    if let Some(edit) = edit_of(text, &plan.pieces())
        && check.reads_as_expected(&edit)
    {
        return Ok(edit);
    }
    match edit_of(text, &compact(&scan, changes)?) {
        Some(edit) if check.reads_as_expected(&edit) => Ok(edit),
        _ => Err(EditError::Internal(
            "the edited line did not parse to the expected record".into(),
        )),
    }
}

/// The edit that makes `pieces` (ranges of `line` and new text, in order) of `line`: its
/// splices, without those that change nothing. `None` if a kept range goes backwards (a bug;
/// nothing is written then).
fn edit_of(line: &str, pieces: &[Src]) -> Option<LineEdit> {
    let mut splices = Vec::new();
    let mut at = 0;
    let mut put = String::new();
    for piece in pieces {
        match piece {
            Src::New(t) => put.push_str(t),
            // An empty range keeps nothing and marks no place.
            Src::Orig(r) if r.is_empty() => {}
            Src::Orig(r) => {
                if r.start < at || r.end > line.len() {
                    return None;
                }
                if r.start > at || !put.is_empty() {
                    splices.push(Splice {
                        range: at..r.start,
                        text: std::mem::take(&mut put),
                    });
                }
                at = r.end;
            }
        }
    }
    if line.len() > at || !put.is_empty() {
        splices.push(Splice {
            range: at..line.len(),
            text: put,
        });
    }
    splices.retain(|s| line.get(s.range.clone()) != Some(s.text.as_str()));
    Some(LineEdit::from_splices(splices))
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

fn to_json(value: &Value) -> Result<String, EditError> {
    serde_json::to_string(value).map_err(|e| EditError::Internal(e.to_string()))
}

/// Bytes of the line as it was, or new text.
#[derive(Debug, Clone)]
enum Src {
    Orig(Range<usize>),
    New(String),
}

/// A top-level member of the object being edited.
#[derive(Debug)]
struct Member {
    key: String,
    key_src: Src,
    /// Between the key and the value, e.g. `:` or `": "`.
    kv: Src,
    value: Src,
}

/// The object on a line as pieces, edited one change at a time as if the line were rewritten
/// after each (the result is that of editing the text change by change).
struct Plan<'t> {
    text: &'t str,
    open: usize,
    close: usize,
    /// Between `{` and the first key (or, empty object, nothing).
    lead: Src,
    members: Vec<Member>,
    /// `seps[i]` is between member `i`'s value and member `i + 1`'s key.
    seps: Vec<Src>,
    /// Between the last value and `}` (or, empty object, everything in the braces).
    trail: Src,
}

impl<'t> Plan<'t> {
    fn of(text: &'t str, scan: &ObjectScan) -> Plan<'t> {
        let members: Vec<Member> = scan
            .members
            .iter()
            .map(|m| Member {
                key: m.key.clone(),
                key_src: Src::Orig(m.key_span.clone()),
                kv: Src::Orig(m.key_span.end..m.value.start),
                value: Src::Orig(m.value.clone()),
            })
            .collect();
        let seps = scan
            .members
            .windows(2)
            .map(|w| Src::Orig(w[0].value.end..w[1].key_span.start))
            .collect();
        let inside = scan.open + 1;
        let (lead, trail) = match (scan.members.first(), scan.members.last()) {
            (Some(first), Some(last)) => (
                Src::Orig(inside..first.key_span.start),
                Src::Orig(last.value.end..scan.close),
            ),
            _ => (Src::Orig(inside..inside), Src::Orig(inside..scan.close)),
        };
        Plan {
            text,
            open: scan.open,
            close: scan.close,
            lead,
            members,
            seps,
            trail,
        }
    }

    fn src<'a>(&'a self, s: &'a Src) -> &'a str {
        match s {
            Src::Orig(r) => self.text.get(r.clone()).unwrap_or_default(),
            Src::New(t) => t,
        }
    }

    fn apply(&mut self, change: &FieldChange) -> Result<(), EditError> {
        match change {
            FieldChange::Set(key, value) => self.set(key, value),
            FieldChange::Remove(key) => {
                self.remove(key);
                Ok(())
            }
        }
    }

    fn set(&mut self, key: &str, value: &Value) -> Result<(), EditError> {
        let rendered = to_json(value)?;
        let mut hit = false;
        for i in 0..self.members.len() {
            if self.members[i].key != key {
                continue;
            }
            hit = true;
            // An equal value spelled differently (escapes, `1.0` vs `1`) is the user's; keep it.
            let current = self.src(&self.members[i].value);
            if serde_json::from_str::<Value>(current).is_ok_and(|v| &v == value) {
                continue;
            }
            self.members[i].value = Src::New(rendered.clone());
        }
        if !hit {
            self.insert(key, rendered)?;
        }
        Ok(())
    }

    /// A new member after the last one, in the line's own style.
    fn insert(&mut self, key: &str, rendered: String) -> Result<(), EditError> {
        let key_json = to_json(&Value::String(key.to_string()))?;
        let kv = self
            .members
            .last()
            .map(|m| self.src(&m.kv).to_string())
            .unwrap_or_else(|| ":".to_string());
        let n = self.members.len();
        if n > 0 {
            let sep = if n >= 2 {
                // The gap nearest to where the new member goes.
                self.src(&self.seps[n - 2]).to_string()
            } else if kv.ends_with(' ') {
                ", ".to_string()
            } else {
                ",".to_string()
            };
            self.seps.push(Src::New(sep));
        }
        self.members.push(Member {
            key: key.to_string(),
            key_src: Src::New(key_json),
            kv: Src::New(kv),
            value: Src::New(rendered),
        });
        Ok(())
    }

    /// Remove every occurrence (the user may have duplicated it), with no dangling or doubled
    /// comma.
    fn remove(&mut self, key: &str) {
        while let Some(i) = self.members.iter().rposition(|m| m.key == key) {
            let n = self.members.len();
            self.members.remove(i);
            if i + 1 < n {
                // Take the member, its comma and the spacing before the next key.
                self.seps.remove(i);
            } else if i > 0 {
                // Last member: take the comma before it instead, so no trailing comma is left.
                self.seps.remove(i - 1);
            } else {
                // Only member: leave a plain `{}`.
                self.lead = Src::New(String::new());
                self.trail = Src::New(String::new());
            }
        }
    }

    fn pieces(self) -> Vec<Src> {
        let mut out = vec![Src::Orig(0..self.open + 1), self.lead];
        let mut seps = self.seps.into_iter();
        for (i, m) in self.members.into_iter().enumerate() {
            if i > 0
                && let Some(sep) = seps.next()
            {
                out.push(sep);
            }
            out.extend([m.key_src, m.kv, m.value]);
        }
        out.push(self.trail);
        out.push(Src::Orig(self.close..self.text.len()));
        out
    }
}

/// Last resort: `{"k":v,...}` in the original key order, untouched values keeping their bytes.
fn compact(scan: &ObjectScan, changes: &[FieldChange]) -> Result<Vec<Src>, EditError> {
    let mut members: Vec<(String, Src)> = Vec::new();
    for m in &scan.members {
        members.retain(|(k, _)| k != &m.key);
        members.push((m.key.clone(), Src::Orig(m.value.clone())));
    }
    for change in changes {
        match change {
            FieldChange::Set(k, v) => match members.iter_mut().find(|(mk, _)| mk == k) {
                Some(slot) => slot.1 = Src::New(to_json(v)?),
                None => members.push((k.clone(), Src::New(to_json(v)?))),
            },
            FieldChange::Remove(k) => members.retain(|(mk, _)| mk != k),
        }
    }
    let mut out = vec![Src::New("{".into())];
    for (i, (k, v)) in members.into_iter().enumerate() {
        let sep = if i > 0 { "," } else { "" };
        out.push(Src::New(format!("{sep}{}:", to_json(&Value::String(k))?)));
        out.push(v);
    }
    out.push(Src::New("}".into()));
    Ok(out)
}

/// The independent check of an edit: the edited line must read as the line read before with
/// the changes applied. Without building either whole: each member the changes do not touch has
/// its value stood in for by a token (its index), in the line before and wherever the edit keeps
/// that value's bytes whole; what is left is small (keys, separators, the values changed) and is
/// read member by member. Each member must be an untouched one's token under that member's own
/// key (each at most once), or a changed key with its new value; and together they must make
/// the expected object. The tokens then stand where values go, and the values they stand for
/// were read strictly with the line before: the edited line reads as expected.
struct Check<'t> {
    text: &'t str,
    /// Untouched members' value spans, in order, with their tokens and keys.
    stand_ins: Vec<StandIn>,
    keys: Vec<String>,
    expected: Map<String, Value>,
}

struct StandIn {
    span: Range<usize>,
    token: usize,
    key: String,
}

impl<'t> Check<'t> {
    fn new(
        text: &'t str,
        scan: &ObjectScan,
        keys: &[&str],
        changes: &[FieldChange],
    ) -> Result<Check<'t>, EditError> {
        let stand_ins = scan
            .members
            .iter()
            .enumerate()
            .filter(|(_, m)| !keys.contains(&m.key.as_str()))
            .map(|(i, m)| StandIn {
                span: m.value.clone(),
                token: i,
                key: m.key.clone(),
            })
            .collect();
        let mut check = Check {
            text,
            stand_ins,
            keys: keys.iter().map(|k| k.to_string()).collect(),
            expected: Map::new(),
        };
        let skeleton = check.skeleton(std::iter::once(Piece::Keep(0..text.len())));
        let before = serde_json::from_str(&skeleton)
            .map_err(|e| EditError::Internal(format!("the line's outline: {e}")))?;
        check.expected = apply_to_map(before, changes);
        Ok(check)
    }

    /// The text the pieces make, with each untouched value kept whole replaced by its token.
    fn skeleton<'p>(&self, pieces: impl Iterator<Item = Piece<'p>>) -> String {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Put(t) => out.push_str(t),
                Piece::Keep(r) => {
                    let mut at = r.start;
                    for s in &self.stand_ins {
                        if s.span.start >= at && s.span.end <= r.end {
                            out.push_str(self.text.get(at..s.span.start).unwrap_or_default());
                            out.push_str(&s.token.to_string());
                            at = s.span.end;
                        }
                    }
                    out.push_str(self.text.get(at..r.end).unwrap_or_default());
                }
            }
        }
        out
    }

    fn reads_as_expected(&self, edit: &LineEdit) -> bool {
        if !edit.fits(self.text.len()) {
            return false;
        }
        // A line break would make two lines of one.
        if edit.splices().iter().any(|s| s.text.contains('\n')) {
            return false;
        }
        let skeleton = self.skeleton(edit.pieces(self.text.len()));
        let Ok(Members(members)) = serde_json::from_str::<Members>(&skeleton) else {
            return false;
        };
        let mut seen = vec![false; self.stand_ins.len()];
        let each_right = members.iter().all(|(key, value)| {
            if self.keys.contains(key) {
                return self.expected.get(key) == Some(value);
            }
            let Some(i) = value
                .as_u64()
                .and_then(|t| self.stand_ins.iter().position(|s| s.token as u64 == t))
            else {
                return false;
            };
            let fresh = !std::mem::replace(&mut seen[i], true);
            fresh && self.stand_ins[i].key == *key
        });
        each_right && members.into_iter().collect::<Map<String, Value>>() == self.expected
    }
}

/// A JSON object's members in order, repeats included.
struct Members(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Members, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).expect("test line must parse")
    }

    fn check(text: &str, changes: &[FieldChange], want: &str) {
        let got = edit_line(text, changes).expect("edit");
        assert_eq!(got, want);
        let expected = apply_to_map(obj(text), changes);
        assert_eq!(obj(&got), expected);
        // Taken back, the line is what it was.
        let edit = plan_edit(text, changes).expect("plan");
        assert_eq!(edit.inverse(text).apply(&got).as_deref(), Some(text));
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
        // Several at once, next to each other, then a new one where they were.
        check(
            r#"{"a": 1, "b": 2, "c": 3}"#,
            &[
                FieldChange::remove("c"),
                FieldChange::remove("b"),
                FieldChange::set("d", 4),
            ],
            r#"{"a": 1, "d": 4}"#,
        );
        check(
            r#"{ "a": 1 }"#,
            &[FieldChange::remove("a"), FieldChange::set("a", 2)],
            r#"{"a":2}"#,
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
        assert!(
            plan_edit(t, &[FieldChange::set("status", "done")])
                .expect("plan")
                .is_empty()
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
            "{\"a\":1e400}",
            "{\"a\":\"\\ud800\"}",
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

    /// The edit is a few bytes however long the line: the big value is kept, not copied.
    #[test]
    fn a_long_value_is_kept_not_copied() {
        let big = "x".repeat(1 << 20);
        let t = format!(r#"{{"id":"a","what":"{big}","status":"open"}}"#);
        let edit = plan_edit(
            &t,
            &[
                FieldChange::set("status", "done"),
                FieldChange::set("done_at", "2026-11-25"),
            ],
        )
        .expect("plan");
        let put: usize = edit.splices().iter().map(|s| s.text.len()).sum();
        assert!(put < 64, "{edit:?}");
        let inverse = edit.inverse(&t);
        assert!(inverse.splices().iter().all(|s| s.text.len() < 64));
    }

    #[test]
    fn the_check_catches_a_wrong_edit() {
        let t = r#"{"a":"one","b":[1,2],"c":3}"#;
        let changes = [FieldChange::set("c", 4)];
        let scan = scan_object(t).expect("scan");
        let check = Check::new(t, &scan, &["c"], &changes).expect("check");
        let right = plan_edit(t, &changes).expect("plan");
        assert!(check.reads_as_expected(&right));
        assert_eq!(
            right.splices(),
            [Splice {
                range: 25..26,
                text: "4".into()
            }]
        );
        // With `c` set right: a value replaced, a value cut, a key twice, a comma lost, a
        // key added: all refused.
        for (range, text) in [
            (5..10, "[1,2]"),
            (6..8, "x"),
            (11..11, r#""b":[1,2],"#),
            (10..11, ""),
            (1..1, r#""z":0,"#),
        ] {
            let wrong = LineEdit::from_splices(vec![
                Splice {
                    range,
                    text: text.into(),
                },
                right.splices()[0].clone(),
            ]);
            assert!(!check.reads_as_expected(&wrong), "{wrong:?}");
        }
    }

    #[test]
    fn compact_fallback_keeps_order() {
        let t = r#"{ "b": 1, "a": [2] }"#;
        let scan = scan_object(t).expect("scan");
        let changes = [FieldChange::set("c", 3), FieldChange::remove("b")];
        let pieces = compact(&scan, &changes).expect("fallback");
        let got = edit_of(t, &pieces)
            .and_then(|e| e.apply(t))
            .expect("applies");
        assert_eq!(got, r#"{"a":[2],"c":3}"#);
    }
}
