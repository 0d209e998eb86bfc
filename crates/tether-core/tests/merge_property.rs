//! `tether merge`'s three-way merge of a data file, on random concurrent edit scripts on two
//! replicas of one file (append, done, snooze, edit a field, reformat a line by hand, edit an
//! id-less line, delete a line): merged in both orders it gives the same records, keeps every
//! record either side added, takes every one-sided change, and never writes an unreadable line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use tether_core::store::line_edit::{FieldChange, edit_line};
use tether_core::store::threeway::{merge_text, merge_two};

#[derive(Debug, Clone)]
enum Op {
    Append,
    Done(usize),
    Snooze(usize, u8),
    Edit(usize, u8),
    Reformat(usize),
    EditText(usize),
    Delete(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Append),
        any::<usize>().prop_map(Op::Done),
        (any::<usize>(), 0u8..4).prop_map(|(i, d)| Op::Snooze(i, d)),
        (any::<usize>(), 0u8..4).prop_map(|(i, v)| Op::Edit(i, v)),
        any::<usize>().prop_map(Op::Reformat),
        any::<usize>().prop_map(Op::EditText),
        any::<usize>().prop_map(Op::Delete),
    ]
}

fn base_file(n: usize, crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut s = format!("# follow-ups{eol}");
    for i in 0..n {
        if i % 4 == 3 {
            s.push_str(&format!("{{\"what\":\"hand-written {i}\"}}{eol}"));
        } else {
            s.push_str(&format!(
                "{{\"id\":\"f-{i}\",\"what\":\"Item {i}\",\"status\":\"open\",\"x_rate\":{i}}}{eol}"
            ));
        }
        if i % 5 == 2 {
            s.push_str(eol);
        }
    }
    s
}

/// Apply `ops` to `text` as a person or tether would: one line changed at a time.
fn apply(text: &str, ops: &[Op], side: &str) -> (String, BTreeSet<String>) {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let mut added = BTreeSet::new();
    for (k, op) in ops.iter().enumerate() {
        let n = lines.len();
        let body = |l: &str| l.trim_end_matches(['\r', '\n']).to_string();
        let end = |l: &str| l[body(l).len()..].to_string();
        let set = |l: &mut String, c: FieldChange| {
            if let Ok(t) = edit_line(&body(l), &[c]) {
                *l = format!("{t}{}", end(l));
            }
        };
        match op {
            Op::Append => {
                let id = format!("f-{side}{k}");
                if let Some(last) = lines.last_mut()
                    && !last.ends_with('\n')
                {
                    last.push('\n');
                }
                lines.push(format!(
                    "{{\"id\":\"{id}\",\"what\":\"New on {side} {k}\"}}\n"
                ));
                added.insert(id);
            }
            _ if n == 0 => {}
            Op::Done(i) => set(&mut lines[i % n], FieldChange::set("status", "done")),
            Op::Snooze(i, d) => set(
                &mut lines[i % n],
                FieldChange::set("snoozed_until", format!("2026-12-0{}", d + 1)),
            ),
            Op::Edit(i, v) => set(
                &mut lines[i % n],
                FieldChange::set("what", format!("{side} {v}")),
            ),
            Op::Reformat(i) => {
                let l = &mut lines[i % n];
                if l.starts_with('{') {
                    *l = format!("{}{}", body(l).replacen(',', ", ", 1), end(l));
                }
            }
            Op::EditText(i) => {
                let l = &mut lines[i % n];
                if l.starts_with("{\"what\"") {
                    *l = format!("{{\"what\":\"hand-edited on {side} {k}\"}}{}", end(l));
                }
            }
            Op::Delete(i) => {
                let gone = lines.remove(i % n);
                if let Some(id) = by_id(&gone).into_keys().next() {
                    added.remove(&id);
                }
            }
        }
    }
    (lines.concat(), added)
}

/// The file as records: each JSON object canonically, each other line as it is, counted.
fn records(text: &str) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for l in text.lines() {
        let k = match serde_json::from_str::<Value>(l) {
            Ok(v @ Value::Object(_)) => v.to_string(),
            _ => l.to_string(),
        };
        *m.entry(k).or_default() += 1;
    }
    m
}

fn by_id(text: &str) -> BTreeMap<String, Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| Some((v.get("id")?.as_str()?.to_string(), v)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn merges_agree_in_both_orders_and_lose_nothing(
        n in 0usize..12,
        crlf in any::<bool>(),
        a_ops in proptest::collection::vec(op(), 0..6),
        b_ops in proptest::collection::vec(op(), 0..6),
    ) {
        let base = base_file(n, crlf);
        let (a, a_added) = apply(&base, &a_ops, "a");
        let (b, b_added) = apply(&base, &b_ops, "b");
        let ab = merge_text(&base, &a, &b).text;
        let ba = merge_text(&base, &b, &a).text;
        prop_assert_eq!(records(&ab), records(&ba), "\nbase:\n{}\na:\n{}\nb:\n{}", base, a, b);

        let inputs: BTreeSet<&str> = base.lines().chain(a.lines()).chain(b.lines()).collect();
        for l in ab.lines() {
            let readable = matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_)));
            prop_assert!(readable || inputs.contains(l), "a new unreadable line {:?}", l);
        }
        let merged = by_id(&ab);
        for id in a_added.iter().chain(&b_added) {
            prop_assert!(merged.contains_key(id), "{} lost", id);
        }
        // A record only one side changed is that side's; one untouched by both stays.
        let (base_ids, a_ids, b_ids) = (by_id(&base), by_id(&a), by_id(&b));
        for (id, bv) in &base_ids {
            let (av, bv2) = (a_ids.get(id), b_ids.get(id));
            match (av == Some(bv), bv2 == Some(bv)) {
                (true, true) => prop_assert_eq!(merged.get(id), Some(bv)),
                (true, false) => prop_assert_eq!(merged.get(id), bv2),
                (false, true) => prop_assert_eq!(merged.get(id), av),
                (false, false) => {
                    // Changed on both: stays unless both deleted it.
                    if av.is_some() || bv2.is_some() {
                        prop_assert!(merged.contains_key(id), "{} lost", id);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A Syncthing conflict copy has no base: merged with its file in either order, the same
    /// records, and every record either version holds is there.
    #[test]
    fn a_conflict_copy_merges_the_same_both_ways_and_keeps_every_record(
        n in 0usize..12,
        crlf in any::<bool>(),
        a_ops in proptest::collection::vec(op(), 0..6),
        b_ops in proptest::collection::vec(op(), 0..6),
    ) {
        let base = base_file(n, crlf);
        let (a, _) = apply(&base, &a_ops, "a");
        let (b, _) = apply(&base, &b_ops, "b");
        let ab = merge_two(&a, &b).text;
        let ba = merge_two(&b, &a).text;
        prop_assert_eq!(records(&ab), records(&ba), "\na:\n{}\nb:\n{}", a, b);
        let merged = by_id(&ab);
        for id in by_id(&a).keys().chain(by_id(&b).keys()) {
            prop_assert!(merged.contains_key(id), "{} lost", id);
        }
        for l in ab.lines() {
            let readable = matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_)));
            prop_assert!(readable || a.lines().chain(b.lines()).any(|x| x == l), "{:?}", l);
        }
    }
}

/// The same field changed differently keeps one value and names the other; the merge says so.
#[test]
fn a_conflict_is_recorded_in_the_record_and_reported() {
    let base = "{\"id\":\"f-1\",\"what\":\"Send quote\",\"due\":\"2026-12-01\"}\n";
    let a = "{\"id\":\"f-1\",\"what\":\"Send quote\",\"due\":\"2026-12-04\"}\n";
    let b = "{\"id\":\"f-1\",\"what\":\"Send quote\",\"due\":\"2026-12-02\"}\n";
    let m = merge_text(base, a, b);
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    assert!(m.conflicts[0].contains("\"due\""), "{:?}", m.conflicts);
    let v: Value = serde_json::from_str(m.text.trim_end()).unwrap();
    assert_eq!(v["due"], "2026-12-04");
    assert_eq!(v["merge_conflict"]["due"], "2026-12-02");
}
