//! One record changed on both sides: its fields merged one by one. A field changed on one side
//! takes that change; changed the same way on both, that value; changed differently, the two
//! values are a conflict: the record keeps one — the same one whichever side merges, so two
//! machines merging in either order agree — and `merge_conflict` keeps the other, for
//! `tether check` and the dashboard to name (nothing is lost). The line is edited in place
//! (`line_edit`): untouched fields keep their bytes and order.

use crate::store::line_edit::{FieldChange, edit_line};
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// The field that holds the other side's values of conflicting fields.
pub const CONFLICT_FIELD: &str = "merge_conflict";

fn object(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// A text for comparing values whatever their key order.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => canonical(x) == canonical(y),
        (None, None) => true,
        _ => false,
    }
}

/// Which of two different values of `key` a conflict keeps: the greater, the same whichever is
/// "ours". A status closes rather than reopens (open < done < dropped): closing is the
/// deliberate act. Otherwise by canonical text (later dates of one form sort later).
fn order(key: &str, a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let rank = |v: Option<&Value>| match v.and_then(Value::as_str) {
        _ if key != "status" => 0,
        Some("open") => 1,
        Some("done") => 2,
        Some("dropped") => 3,
        _ => 0,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| a.map(canonical).cmp(&b.map(canonical)))
}

/// Whether two lines are the same record: the same text, or the same JSON object whatever its
/// spacing and key order (a line reformatted by hand is not a change).
pub fn same_record(a: &str, b: &str) -> bool {
    a == b
        || match (object(a), object(b)) {
            (Some(x), Some(y)) => canonical(&Value::Object(x)) == canonical(&Value::Object(y)),
            _ => false,
        }
}

/// The record two versions agree on: the fields they hold alike (the same line when they are
/// the same record). None when either is not a JSON object.
pub fn common_fields(a: &str, b: &str) -> Option<String> {
    if same_record(a, b) {
        return Some(a.to_string());
    }
    let (x, y) = (object(a)?, object(b)?);
    let common: Map<String, Value> = x
        .into_iter()
        .filter(|(k, v)| same(Some(v), y.get(k)))
        .collect();
    serde_json::to_string(&Value::Object(common)).ok()
}

/// The merged line, and the fields that conflicted. None when a side is not a JSON object
/// (the caller keeps both lines whole).
pub fn merge_record(base: &str, ours: &str, theirs: &str) -> Option<(String, Vec<String>)> {
    let (b, o, t) = (object(base)?, object(ours)?, object(theirs)?);
    let mut keys: Vec<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Vec::new();
    let mut conflicted = Vec::new();
    let mut other: Map<String, Value> = Map::new();
    for k in keys {
        if k == CONFLICT_FIELD {
            continue;
        }
        let (bv, ov, tv) = (b.get(k), o.get(k), t.get(k));
        if same(ov, tv) || same(bv, tv) {
            continue;
        }
        let (keep, lose) = if same(bv, ov) {
            (tv, None)
        } else if order(k, ov, tv) == Ordering::Greater {
            (ov, Some(tv))
        } else {
            (tv, Some(ov))
        };
        if !same(keep, ov) {
            changes.push(match keep {
                Some(v) => FieldChange::Set(k.clone(), v.clone()),
                None => FieldChange::Remove(k.clone()),
            });
        }
        if let Some(lost) = lose {
            conflicted.push(k.clone());
            other.insert(k.clone(), lost.cloned().unwrap_or(Value::Null));
        }
    }
    // Conflicts recorded before, on either side, stay (the greater value where both have one).
    let recorded = |m: &Map<String, Value>| match m.get(CONFLICT_FIELD) {
        Some(Value::Object(c)) => c.clone(),
        _ => Map::new(),
    };
    let mut all = recorded(&o);
    for (k, v) in recorded(&t) {
        match all.get(&k) {
            Some(mine) if order(&k, Some(mine), Some(&v)) != Ordering::Less => {}
            _ => {
                all.insert(k, v);
            }
        }
    }
    for (k, v) in other {
        all.insert(k, v);
    }
    let had = o.get(CONFLICT_FIELD);
    let now = (!all.is_empty()).then_some(Value::Object(all));
    if !same(had, now.as_ref()) {
        changes.push(match now {
            Some(v) => FieldChange::Set(CONFLICT_FIELD.to_string(), v),
            None => FieldChange::Remove(CONFLICT_FIELD.to_string()),
        });
    }
    if changes.is_empty() {
        return Some((ours.to_string(), conflicted));
    }
    let text = edit_line(ours, &changes).ok()?;
    Some((text, conflicted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_fields_combine_and_the_same_field_keeps_one_and_records_the_other() {
        let base = r#"{"id":"f-1","what":"Send quote","due":"2026-12-01"}"#;
        let ours = r#"{"id":"f-1","what":"Send quote","due":"2026-12-01","status":"done"}"#;
        let theirs = r#"{"id":"f-1", "what":"Send the quote","due":"2026-12-01"}"#;
        let (m, c) = merge_record(base, ours, theirs).unwrap();
        assert_eq!(
            m,
            r#"{"id":"f-1","what":"Send the quote","due":"2026-12-01","status":"done"}"#
        );
        assert!(c.is_empty());
        let ours = r#"{"id":"f-1","what":"Send quote","due":"2026-12-03"}"#;
        let theirs = r#"{"id":"f-1","what":"Send quote","due":"2026-12-02"}"#;
        let (a, c) = merge_record(base, ours, theirs).unwrap();
        let (b, _) = merge_record(base, theirs, ours).unwrap();
        assert_eq!(c, ["due"]);
        assert_eq!(object(&a), object(&b), "{a} / {b}");
        assert_eq!(
            a,
            r#"{"id":"f-1","what":"Send quote","due":"2026-12-03","merge_conflict":{"due":"2026-12-02"}}"#
        );
    }
}
