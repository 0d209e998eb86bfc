//! Property tests for the byte-exact line store: rewriting one record of a messy hand-edited
//! file changes that line only, and `edit_line` always yields the expected JSON object.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use std::fs;
use tether::store::lines::{FieldChange, edit_line, split_lines, strip_bom};
use tether::store::write::rewrite_record;

/// A JSON value for unknown fields: strings full of JSON punctuation, escapes and non-ASCII,
/// numbers, and nesting.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e9f64..1.0e9).prop_map(Value::from),
        "[a-z{}\\[\\]:,\"\\\\ é日🎉\t\n]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z\"{}]{1,4}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// How a person spaced a record: `(after '{', key-value separator, member separator, before '}')`.
fn style() -> impl Strategy<Value = (&'static str, &'static str, &'static str, &'static str)> {
    prop_oneof![
        Just(("", ":", ",", "")),
        Just(("", ": ", ", ", "")),
        Just((" ", ": ", ", ", " ")),
        Just(("  ", " : ", " ,  ", "\t")),
    ]
}

/// Render members the way a person might have typed them.
fn render(members: &[(String, Value)], s: (&str, &str, &str, &str)) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}{}{}", Value::String(k.clone()), s.1, v))
        .collect();
    format!("{{{}{}{}}}", s.0, body.join(s.2), s.3)
}

/// Known and unknown fields with unique keys, in random order (the id is added later).
fn fields() -> impl Strategy<Value = Vec<(String, Value)>> {
    let key = prop_oneof![
        Just("what".to_string()),
        Just("status".to_string()),
        Just("note".to_string()),
        Just("due".to_string()),
        "[a-z_\"\\\\é]{1,6}",
    ];
    prop::collection::vec((key, value()), 0..6).prop_map(|kv| {
        let mut seen = std::collections::HashSet::new();
        kv.into_iter()
            .filter(|(k, _)| k != "id" && k != "done_at" && seen.insert(k.clone()))
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Kind {
    Record(
        Vec<(String, Value)>,
        usize,
        (&'static str, &'static str, &'static str, &'static str),
    ),
    Other(String),
}

fn line_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => (fields(), 0usize..10, style()).prop_map(|(f, at, s)| Kind::Record(f, at, s)),
        1 => prop_oneof![
            Just("{\"id\":".to_string()),
            Just("{\"id\":\"r-0\"".to_string()),
            Just("garbage".to_string()),
            Just("[1,2,3]".to_string()),
            Just("# {\"id\":\"r-0\",\"status\":\"open\"}".to_string()),
            Just("   # comment".to_string()),
            Just(String::new()),
            Just("  \t".to_string()),
            "[ -~]{0,20}",
        ]
        .prop_map(Kind::Other),
    ]
}

#[derive(Debug, Clone)]
struct FileCase {
    bom: bool,
    lines: Vec<(String, &'static str)>,
    /// Indexes of record lines, and each record's id.
    records: Vec<(usize, String)>,
}

fn file_case() -> impl Strategy<Value = FileCase> {
    let ending = prop_oneof![Just("\n"), Just("\r\n")];
    (
        any::<bool>(),
        prop::collection::vec((line_kind(), ending), 1..12),
        any::<bool>(),
    )
        .prop_map(|(bom, raw, last_newline)| {
            let mut lines = Vec::new();
            let mut records = Vec::new();
            for (i, (kind, ending)) in raw.into_iter().enumerate() {
                let text = match kind {
                    Kind::Record(mut f, at, s) => {
                        let id = format!("r-{i}");
                        f.insert(at.min(f.len()), ("id".into(), Value::String(id.clone())));
                        records.push((i, id));
                        render(&f, s)
                    }
                    Kind::Other(t) => t,
                };
                lines.push((text, ending));
            }
            if !last_newline && let Some(last) = lines.last_mut() {
                last.1 = "";
            }
            FileCase {
                bom,
                lines,
                records,
            }
        })
        .prop_filter("needs a record", |c| !c.records.is_empty())
}

impl FileCase {
    fn content(&self) -> String {
        let mut s = String::from(if self.bom { "\u{feff}" } else { "" });
        for (t, e) in &self.lines {
            s.push_str(t);
            s.push_str(e);
        }
        s
    }
}

fn parse(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not a JSON object ({e}): {text}"))
}

fn apply(mut obj: Map<String, Value>, changes: &[FieldChange]) -> Map<String, Value> {
    for c in changes {
        match c {
            FieldChange::Set(k, v) => {
                // What the file holds is the value's JSON text, read back.
                let reread = serde_json::from_str(&v.to_string()).expect("value reparses");
                obj.insert(k.clone(), reread);
            }
            FieldChange::Remove(k) => {
                obj.remove(k);
            }
        }
    }
    obj
}

fn mark_done() -> Vec<FieldChange> {
    vec![
        FieldChange::set("status", "done"),
        FieldChange::set("done_at", "2026-11-25T09:00:00Z"),
        FieldChange::remove("note"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rewrite_changes_only_the_record_line(case in file_case(), pick in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("followups.jsonl");
        let content = case.content();
        fs::write(&path, &content).expect("write");
        let (target, id) = &case.records[pick.index(case.records.len())];
        let original = case.lines[*target].0.clone();
        let changes = mark_done();

        let out = rewrite_record(&path, Some(id), &original, &changes).expect("rewrite");
        prop_assert_eq!(out.line, target + 1);
        // Taken back, the line as written is the original again.
        prop_assert_eq!(out.restore.apply(&out.edit.apply(&original).expect("fits")), Some(original.clone()));

        let after = fs::read_to_string(&path).expect("read back");
        prop_assert_eq!(strip_bom(&after).0, strip_bom(&content).0);
        let old = split_lines(&content);
        let new = split_lines(&after);
        prop_assert_eq!(old.len(), new.len());
        for (i, (o, n)) in old.iter().zip(&new).enumerate() {
            prop_assert_eq!(o.ending, n.ending, "line {} ending", i + 1);
            if i != *target {
                prop_assert_eq!(o.text, n.text, "line {} must be untouched", i + 1);
            }
        }
        let expected = apply(parse(&original), &changes);
        prop_assert_eq!(parse(new[*target].text), expected);
        prop_assert_eq!(Some(new[*target].text.to_string()), out.edit.apply(&original));
    }

    #[test]
    fn stale_original_text_still_finds_by_id(case in file_case(), pick in any::<prop::sample::Index>()) {
        // The user inserted a line above and the loaded text is out of date: id still wins.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("deadlines.jsonl");
        let content = case.content();
        let (bom, rest) = strip_bom(&content);
        fs::write(&path, format!("{bom}# inserted by hand\n{rest}")).expect("write");
        let (target, id) = &case.records[pick.index(case.records.len())];
        let out = rewrite_record(&path, Some(id), "stale text", &mark_done()).expect("rewrite");
        prop_assert_eq!(out.line, target + 2);
    }

    #[test]
    fn edit_line_yields_exactly_the_expected_object(
        f in fields(),
        s in style(),
        changes in prop::collection::vec(
            prop_oneof![
                ("[a-z\"é]{1,4}", value()).prop_map(|(k, v)| FieldChange::Set(k, v)),
                "[a-z\"é]{1,4}".prop_map(FieldChange::Remove),
                Just(FieldChange::set("status", "done")),
                Just(FieldChange::remove("what")),
            ],
            0..5,
        ),
    ) {
        let text = render(&f, s);
        let got = edit_line(&text, &changes).expect("edit");
        let expected = apply(parse(&text), &changes);
        let parsed = parse(&got);
        let mut got_keys: Vec<_> = parsed.keys().cloned().collect();
        let mut want_keys: Vec<_> = expected.keys().cloned().collect();
        got_keys.sort();
        want_keys.sort();
        prop_assert_eq!(got_keys, want_keys);
        prop_assert_eq!(parsed, expected);
        // Untouched members keep their exact text.
        for (k, v) in &f {
            if !changes.iter().any(|c| match c { FieldChange::Set(ck, _) | FieldChange::Remove(ck) => ck == k }) {
                let member = format!("{}{}{}", Value::String(k.clone()), s.1, v);
                prop_assert!(got.contains(&member), "{} lost from {}", member, got);
            }
        }
    }

    #[test]
    fn edit_line_never_panics(text in "\\PC{0,40}", key in "[a-z]{1,3}") {
        let _ = edit_line(&text, &[FieldChange::set(key.clone(), json!(1)), FieldChange::Remove(key)]);
    }
}

/// An editor that opened the file before tether replaced it and then saves in place (truncate,
/// write) writes into the replaced file: its version is kept beside the file as a conflict
/// copy that `check` names and `tether resolve` merges, not lost (docs/reliability.md).
#[test]
fn a_save_in_place_into_the_replaced_file_is_kept_as_a_conflict_copy() {
    use std::io::{Seek, SeekFrom, Write};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = dir.join("followups.jsonl");
    let original = "{\"id\":\"f-1\",\"what\":\"Send quote\"}\n{\"id\":\"f-2\",\"what\":\"Desk\"}\n";
    fs::write(&path, original).unwrap();
    // The editor has the file open.
    let mut editor = fs::OpenOptions::new().write(true).open(&path).unwrap();
    rewrite_record(
        &path,
        Some("f-1"),
        "{\"id\":\"f-1\",\"what\":\"Send quote\"}",
        &mark_done(),
    )
    .expect("rewrite");
    // It saves its buffer, with a new record, in place.
    let saved = "{\"id\":\"f-1\",\"what\":\"Send quote\"}\n{\"id\":\"f-2\",\"what\":\"Desk (moved)\"}\n{\"id\":\"f-3\",\"what\":\"Call the bank\"}\n";
    editor.set_len(0).unwrap();
    editor.seek(SeekFrom::Start(0)).unwrap();
    editor.write_all(saved.as_bytes()).unwrap();
    editor.sync_all().unwrap();
    drop(editor);
    // Within the late look's 200 ms the copy appears.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let copy = loop {
        let found = tether::store::conflict_copies::find(dir);
        if let Some(c) = found.into_iter().next() {
            break c;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no conflict copy: {:?}",
            fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(fs::read_to_string(&copy.path).unwrap(), saved);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"status\":\"done\""), "{text}");
    assert!(
        !text.contains("Call the bank"),
        "nothing was carried: {text}"
    );
    // Resolved: tether's change and the editor's new record are both in the file.
    tether::store::conflict_copies::resolve(dir, &copy).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"status\":\"done\""), "{text}");
    assert!(text.contains("Call the bank"), "{text}");
}
