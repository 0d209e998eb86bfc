//! What each fuzz target does with one input, and the properties it checks. Shared (by
//! `#[path]`) between the libFuzzer targets in fuzz_targets/ and tests/fuzz_corpus.rs, which
//! replays every saved corpus input and every crash through the same code in `cargo test`.
//!
//! A property that fails panics, which libFuzzer reports as a crash and `cargo test` as a
//! failure.

#![allow(dead_code)]

use serde_json::{Map, Value};
use std::sync::OnceLock;
use tether::domain::model::Config;
use tether::domain::time::{ClockRange, parse_duration, parse_time_value, parse_zone};
use tether::store::config::parse_config;
use tether::store::lines::{FieldChange, LineKind, edit_line, find_record, split_lines};
use tether::store::load::decode_lines;
use tether::store::records::{parse_deadlines, parse_followups, parse_interactions};

/// What a fuzz target does with one input.
pub type Target = fn(&[u8]);

/// The targets by name, as `cargo fuzz run NAME` and tests/fuzz_corpus/NAME/ know them.
pub const TARGETS: &[(&str, Target)] = &[
    ("config", config),
    ("records", records),
    ("time", time),
    ("edit", edit),
];

/// Text as the loader sees it: bytes decoded line by line (bad lines blanked and reported).
fn text_of(name: &str, data: &[u8]) -> String {
    let (text, diags) = decode_lines(name, data.to_vec());
    let lines = text.split('\n').count();
    for d in &diags {
        assert!(d.line <= lines, "{d} is past the end ({lines} lines)");
    }
    text
}

/// `tether.toml`: never panics; every diagnostic points inside the file.
pub fn config(data: &[u8]) {
    let text = text_of("tether.toml", data);
    let (config, diags) = parse_config(&text);
    let lines = text.split('\n').count();
    for d in &diags {
        assert!(d.line <= lines, "{d} is past the end ({lines} lines)");
        let _ = d.to_string();
    }
    // Clients are looked up by id; the first of a duplicated id wins.
    for c in &config.clients {
        assert!(config.client(&c.id).is_some());
    }
}

/// The fixed configuration the JSONL targets load against: two clients, one on night hours.
fn fixed_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let (c, d) = parse_config(concat!(
            "[me]\nzone = \"America/New_York\"\nwork_hours = \"08:30-17:30\"\n",
            "[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n",
            "[[clients]]\nid = \"night\"\nzone = \"Europe/London\"\nhours = \"22:00-06:00\"\n",
        ));
        assert!(d.is_empty(), "{d:?}");
        c
    })
}

/// Each record a loader keeps must be found again by the writer, at the line it came from:
/// otherwise "mark done" on it would fail, or change another line.
fn check_origin(text: &str, id: Option<&str>, line: usize, origin_text: &str) {
    let lines = split_lines(text);
    let l = lines
        .get(line.wrapping_sub(1))
        .unwrap_or_else(|| panic!("record line {line} is past the end"));
    // A closed record with an id keeps no text (nothing rewrites it; its id is its key).
    if !(origin_text.is_empty() && id.is_some()) {
        assert_eq!(l.text, origin_text, "origin text differs from line {line}");
    }
    let found = find_record(text, id, origin_text)
        .unwrap_or_else(|| panic!("the record of line {line} cannot be found again"));
    match id {
        // With an id, the exact line (duplicates are skipped at load, so this is the first).
        Some(_) => assert_eq!(found + 1, line, "found the record of line {line} elsewhere"),
        // Without one, the first line with the same text (identical lines are interchangeable).
        None => assert_eq!(lines[found].text, origin_text),
    }
}

/// The three JSONL loaders on the same input: never panic; diagnostics inside the file, at
/// most a bounded number; each kept record can be found again by the writer.
pub fn records(data: &[u8]) {
    let config = fixed_config();
    let text = text_of("followups.jsonl", data);
    let lines = split_lines(&text).len();
    let check_diags = |diags: &[tether::store::diagnostic::Diagnostic]| {
        assert!(diags.len() <= tether::store::records::MAX_DIAGNOSTICS_PER_FILE + 1);
        for d in diags {
            assert!(d.line <= lines, "{d} is past the end ({lines} lines)");
            assert!(
                d.message.len() < 2000,
                "message too long: {}",
                d.message.len()
            );
        }
    };
    let (deadlines, diags) = parse_deadlines(&text, config);
    check_diags(&diags);
    for d in &deadlines {
        check_origin(&text, d.id.as_deref(), d.origin.line, &d.origin.text);
    }
    let (followups, diags) = parse_followups(&text, config);
    check_diags(&diags);
    for f in &followups {
        check_origin(&text, f.id.as_deref(), f.origin.line, &f.origin.text);
    }
    // "x" on the first few follow-ups, as the dashboard does it: the file still loads the same
    // records, that one now done, every other line unchanged.
    for f in followups.iter().take(3) {
        mark_done(&text, f, config);
    }
    let (interactions, diags) = parse_interactions(&text, config);
    check_diags(&diags);
    // A contact keeps only its line number (nothing rewrites a contact, so its text is not
    // kept): the line must be there, and be a record line.
    let all = split_lines(&text);
    for i in &interactions {
        let l = all
            .get(i.line.wrapping_sub(1))
            .unwrap_or_else(|| panic!("contact line {} is past the end", i.line));
        assert_eq!(l.kind(), LineKind::Record);
    }
}

/// The time-value, duration, clock-range and zone parsers: never panic. A zone name is at most
/// a few dozen characters; longer input is cut (the loader refuses long zone values before
/// asking for a suggestion: see docs/reliability.md).
pub fn time(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(v) = parse_time_value(s) {
        let _ = format!("{v:?}");
    }
    if let Ok(d) = parse_duration(s) {
        assert!(
            d >= chrono::Duration::zero(),
            "negative duration from {s:?}"
        );
        assert!(
            d <= chrono::Duration::days(100 * 366),
            "over 100 years from {s:?}"
        );
    }
    if let Ok(r) = ClockRange::parse(s) {
        assert!((1..=1440).contains(&r.minutes), "{r:?} from {s:?}");
        let _ = r.end();
    }
    // Each unknown zone is compared with all ~600 names for a suggestion (milliseconds), so
    // only one input in eight goes to the zone parser, to keep the rest fast.
    if data.first().is_some_and(|b| b % 8 == 0) {
        let zone: String = s.chars().skip(1).take(64).collect();
        let _ = parse_zone(&zone);
    }
}

/// Mark one loaded follow-up done in memory (find, edit, splice, as `write::rewrite_record`)
/// and reload.
fn mark_done(text: &str, f: &tether::domain::model::Followup, config: &Config) {
    use tether::domain::model::Status;
    let lines = split_lines(text);
    let i = find_record(text, f.id.as_deref(), &f.origin.text).expect("found");
    let changes = [
        FieldChange::set("status", "done"),
        FieldChange::set("done_at", "2026-11-25T09:30:00+10:00"),
    ];
    let after = edit_line(lines[i].text, &changes)
        .unwrap_or_else(|e| panic!("a loaded follow-up cannot be marked done: {e}"));
    let span = lines[i].span.clone();
    let new = [&text[..span.start], after.as_str(), &text[span.end..]].concat();
    let (before, _) = parse_followups(text, config);
    let (reloaded, _) = parse_followups(&new, config);
    assert_eq!(
        reloaded.len(),
        before.len(),
        "marking line {} done changed how many follow-ups load",
        i + 1
    );
    let done = reloaded
        .iter()
        .find(|r| r.origin.line == i + 1)
        .expect("the edited follow-up still loads");
    assert_eq!(done.status, Status::Done);
    assert!(done.done_at.is_some());
    assert_eq!(done.what, f.what);
    for (a, b) in before.iter().zip(&reloaded) {
        if a.origin.line != i + 1 {
            assert_eq!(a.origin, b.origin, "another record changed");
        }
    }
}

/// The changes the `edit` target picks from (by one input byte).
fn changes_for(selector: u8) -> Vec<FieldChange> {
    let all = [
        FieldChange::set("status", "done"),
        FieldChange::set("done_at", "2026-11-25T09:00:00+10:00"),
        FieldChange::remove("status"),
        FieldChange::set("snoozed_until", "2026-11-26"),
        FieldChange::remove("snoozed_until"),
        FieldChange::set("id", "f-0a1b2c"),
        FieldChange::set("what", "say \"hi\"\\ \u{1F389} \u{2028}"),
        FieldChange::set("waiting", true),
        FieldChange::set("x", serde_json::json!({"a": [1, "}"], "b": null})),
        FieldChange::remove("id"),
        FieldChange::set("n", 1.5e300),
        FieldChange::set("", ""),
    ];
    (0..8)
        .filter(|b| selector & (1 << b) != 0)
        .map(|b| all[(b as usize + selector as usize / 32) % all.len()].clone())
        .collect()
}

/// "Rewrite one record" in memory, as `write::rewrite_record` does: pick a line (input byte 0),
/// changes (byte 1), find the line again the way the writer does, edit it, splice it in.
/// Properties: no panic; an object line can always be edited and reads back as exactly the
/// expected object; every other byte of the file is unchanged; the file keeps its line count;
/// the edited record is found again.
pub fn edit(data: &[u8]) {
    let [pick, selector, rest @ ..] = data else {
        return;
    };
    let Ok(content) = std::str::from_utf8(rest) else {
        return;
    };
    let lines = split_lines(content);
    if lines.is_empty() {
        return;
    }
    let target = &lines[*pick as usize % lines.len()];
    let parsed = serde_json::from_str::<Map<String, Value>>(target.text).ok();
    let id = parsed
        .as_ref()
        .and_then(|o| o.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let Some(found) = find_record(content, id.as_deref(), target.text) else {
        assert!(
            target.kind() != LineKind::Record,
            "a record line was not found by its own text: {:?}",
            target.text
        );
        return;
    };
    let line = &lines[found];
    match &id {
        Some(id) => {
            let o: Map<String, Value> = serde_json::from_str(line.text).expect("found by id");
            assert_eq!(o.get("id").and_then(Value::as_str), Some(id.as_str()));
        }
        None => assert_eq!(line.text, target.text),
    }
    let changes = changes_for(*selector);
    let after = match edit_line(line.text, &changes) {
        Ok(a) => a,
        Err(e) => {
            assert!(
                serde_json::from_str::<Map<String, Value>>(line.text).is_err(),
                "an object line could not be edited: {e}: {:?}",
                line.text
            );
            return;
        }
    };
    assert!(!after.contains('\n'), "the edit added a line break");
    // Independent check of the result: the original object with the changes applied.
    let mut expected: Map<String, Value> =
        serde_json::from_str(line.text).expect("edited, so it parsed");
    for c in &changes {
        match c {
            FieldChange::Set(k, v) => {
                let v: Value = serde_json::from_str(&v.to_string()).expect("reparse");
                expected.insert(k.clone(), v);
            }
            FieldChange::Remove(k) => {
                expected.remove(k);
            }
        }
    }
    let got: Map<String, Value> = serde_json::from_str(&after).expect("edited line parses");
    assert_eq!(got, expected, "edited line reads back wrong");
    // The splice `rewrite_record` does, then every other byte must be where it was.
    let span = line.span.clone();
    let new = [&content[..span.start], after.as_str(), &content[span.end..]].concat();
    assert!(new.starts_with(&content[..span.start]));
    assert!(new.ends_with(&content[span.end..]));
    let new_lines = split_lines(&new);
    assert_eq!(new_lines.len(), lines.len(), "line count changed");
    for (a, b) in lines.iter().zip(&new_lines) {
        if a.number != line.number {
            assert_eq!(
                (a.text, a.ending),
                (b.text, b.ending),
                "line {} changed",
                a.number
            );
        }
    }
    let new_id = got.get("id").and_then(Value::as_str);
    let again = find_record(&new, new_id, &after).expect("edited record found again");
    if new_id.is_some() || after == new_lines[again].text {
        assert_eq!(new_lines[again].text, after);
    }
}
