//! `tether export ics` on a big directory reads the records it exports through an index into
//! their files (`store::calendar_index`) and writes the calendar an item at a time: its text
//! must be byte for byte the calendar of the whole model (`cli::ics::calendar` of
//! `cli::ics::load_whole`), whatever the files hold: deadlines and follow-ups due at the same
//! instant and on the same line, clients in other zones and in an unknown one, CRLF, long
//! titles that fold, line breaks and controls in the text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/record_lines.rs"]
mod record_lines;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use record_lines::{assert_same, at, data_dir, file_of, files_and_now};
use std::path::Path;
use tether::cli::args::IcsKind;
use tether::cli::ics::{calendar, load_whole, write_indexed};
use tether::store::calendar_index::load_indexed;

const KINDS: [IcsKind; 2] = [IcsKind::Events, IcsKind::Todos];

/// The calendar as `tether export ics` streams it: each record read again through the index.
fn indexed_calendar(dir: &Path, kind: IcsKind, now: DateTime<Utc>) -> (String, usize) {
    let (loaded, index) = load_indexed(dir, now).expect("an index");
    let mut out = Vec::new();
    let n = write_indexed(&mut out, &loaded.model, &index, kind, now).expect("read again");
    assert_eq!(n, index.len());
    assert_eq!(loaded.errors(), load_whole(dir).errors());
    (String::from_utf8(out).expect("utf-8"), n)
}

fn same_calendar(followups: &[u8], deadlines: &[u8], now: DateTime<Utc>) {
    let tmp = data_dir(followups, deadlines);
    let dir = tmp.path();
    for kind in KINDS {
        let whole = calendar(&load_whole(dir).model, kind, now);
        let (indexed, n) = indexed_calendar(dir, kind, now);
        assert_eq!(whole.matches("\r\nBEGIN:V").count(), n);
        assert_same(&indexed, &whole, followups, deadlines);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_streamed_calendar_is_the_whole_ones_text(
        (followups, deadlines, now) in files_and_now(),
    ) {
        same_calendar(&followups, &deadlines, now);
    }
}

/// Line `i` of followups.jsonl and of deadlines.jsonl, due at the same instant (a follow-up
/// due on the 26th starts at midnight in Brisbane, 14:00 UTC on the 25th) or not: the
/// calendar puts the deadline first.
fn paired_lines() -> impl Strategy<Value = (Vec<Vec<u8>>, Vec<Vec<u8>>)> {
    let s = |v: &'static [&'static str]| proptest::sample::select(v);
    let pair = (
        proptest::sample::select(
            &[
                ("\"2026-11-26\"", "\"2026-11-25T14:00Z\""),
                ("\"2026-12-01T09:00Z\"", "\"2026-12-01T19:00+10:00\""),
                ("\"2026-11-25T15:00+10:00\"", "\"2026-11-25T05:00Z\""),
                ("\"2026-11-25T15:00+10:00\"", "\"2026-11-26\""),
            ][..],
        ),
        s(&["", "\"client\":\"kanda\",", "\"client\":\"mars\","]),
        s(&["", "\"id\":\"x-1\","]),
        s(&["", ",\"status\":\"done\"", ",\"waiting\":true"]),
    );
    proptest::collection::vec(pair, 0..12).prop_map(|pairs| {
        pairs
            .iter()
            .enumerate()
            .map(|(i, ((fdue, ddue), client, id, more))| {
                (
                    format!("{{{id}{client}\"what\":\"f{i}\",\"due\":{fdue}{more}}}").into_bytes(),
                    format!("{{{client}\"title\":\"d{i}\",\"due\":{ddue}}}").into_bytes(),
                )
            })
            .unzip()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_deadline_and_a_follow_up_on_the_same_line_and_instant_come_as_in_the_whole_calendar(
        (followups, deadlines) in paired_lines(),
        crlf in any::<bool>(),
    ) {
        same_calendar(
            &file_of(&followups, crlf, false, true),
            &file_of(&deadlines, !crlf, false, true),
            at("2026-11-25T09:30:00+10:00"),
        );
    }
}

/// Many records due at a few instants, each deadline on the same line and instant as a
/// follow-up: the same text, every tie broken as the whole calendar breaks it.
#[test]
fn ties_on_the_instant_and_the_line_come_as_in_the_whole_calendar() {
    let (mut followups, mut deadlines) = (String::new(), String::new());
    for i in 0..3_000 {
        let due = match i % 3 {
            0 => "2026-11-26".to_string(),
            1 => "2026-11-25T14:00Z".to_string(),
            _ => format!("2026-11-25T{:02}:00+10:00", i % 24),
        };
        followups.push_str(&format!("{{\"what\":\"f{i}\",\"due\":\"{due}\"}}\n"));
        deadlines.push_str(&format!(
            "{{\"title\":\"d{i}\",\"due\":\"{}\",\"estimate\":\"2h\"}}\r\n",
            if i % 2 == 0 {
                "2026-11-25T14:00Z"
            } else {
                &due
            }
        ));
    }
    same_calendar(
        followups.as_bytes(),
        deadlines.as_bytes(),
        at("2026-11-25T09:30:00+10:00"),
    );
}

/// The example directory: the same text.
#[test]
fn the_example_calendar_is_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
    let now = at("2026-11-25T09:30:00+10:00");
    for kind in KINDS {
        let (indexed, _) = indexed_calendar(&dir, kind, now);
        assert_eq!(indexed, calendar(&load_whole(&dir).model, kind, now));
    }
}

/// The real binary past the 1 MiB where it streams: standard output and `--out` (the store's
/// atomic write) give the whole calendar's text, and the count it says is the items written.
#[test]
fn the_binary_streams_the_same_calendar_to_standard_output_and_to_a_file() {
    let mut followups = String::new();
    for i in 0..40_000 {
        let due = match i % 4 {
            0 => String::new(),
            1 => format!(",\"due\":\"2026-11-{:02}\"", 20 + i % 10),
            2 => format!(",\"due\":\"2026-11-25T{:02}:00+10:00\"", i % 24),
            _ => ",\"client\":\"kanda\",\"due\":\"2026-11-27T09:00\"".to_string(),
        };
        followups.push_str(&format!("{{\"what\":\"x{i}\"{due}}}\n"));
    }
    assert!(followups.len() > 1 << 20);
    let tmp = data_dir(
        followups.as_bytes(),
        b"{\"id\":\"d-1\",\"title\":\"Report\",\"due\":\"2026-11-26\",\"estimate\":\"4h\"}\n",
    );
    let dir = tmp.path();
    const NOW: &str = "2026-11-25T09:30:00+10:00";
    let whole = calendar(&load_whole(dir).model, IcsKind::Events, at(NOW));
    let items = whole.matches("\r\nBEGIN:VEVENT").count();
    assert_eq!(items, 30_001);
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("tether")
            .expect("the tether binary")
            .env_remove("TETHER_DIR")
            .arg("--data-dir")
            .arg(dir)
            .args(["--now", NOW, "export", "ics"])
            .args(args)
            .output()
            .expect("tether runs")
    };
    let out = run(&[]);
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).expect("utf-8") == whole);
    let path = tmp.path().join("out.ics");
    std::fs::write(&path, "old").expect("old");
    let out = run(&["--out", path.to_str().expect("utf-8")]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("wrote {items} item(s)")), "{err}");
    assert!(std::fs::read_to_string(&path).expect("ics") == whole);
}
