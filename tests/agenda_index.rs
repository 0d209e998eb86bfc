//! `tether agenda` reads the follow-ups through an index into their file
//! (`store::followup_index`) instead of holding them: its text must be byte for byte what the
//! agenda of the whole model says (`cli::agenda::render` of `load_dir`), whatever the file holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use std::path::Path;
use tether::cli::agenda::{Indexed, render, write};
use tether::store::followup_index::load_indexed;
use tether::store::load::load_dir;

const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\nname = \"Ana\"\n\
[[clients]]\nid = \"kanda\"\nname = \"Kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n\
[[clients]]\nid = \"mars\"\nname = \"Mars\"\nzone = \"Mars/Base\"\n\
[[clients]]\nid = \"lisbon\"\nname = \"Lisboa\"\nzone = \"Europe/Lisbon\"\nhours = \"09:00-17:00\"\n";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("now")
        .with_timezone(&Utc)
}

/// The agenda as `tether agenda` makes it now: the follow-ups read again through the index.
fn indexed_agenda(dir: &Path, now: DateTime<Utc>) -> String {
    let (loaded, index) = load_indexed(dir, now).expect("an index");
    let mut rows = index.rows(&loaded.model.config, now);
    let mut out = String::new();
    write(
        &loaded,
        Some(Indexed {
            rows: &mut rows,
            snoozed: index.snoozed,
        }),
        now,
        &mut |piece: &str| {
            out.push_str(piece);
            Ok(())
        },
    )
    .expect("read again");
    out
}

fn same_agenda(followups: &[u8], now: DateTime<Utc>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    std::fs::write(dir.join("tether.toml"), TOML).expect("toml");
    std::fs::write(dir.join("followups.jsonl"), followups).expect("followups");
    let whole = render(&load_dir(dir), now);
    let indexed = indexed_agenda(dir, now);
    assert_eq!(
        indexed,
        whole,
        "file:\n{}",
        String::from_utf8_lossy(followups)
    );
}

/// One line of followups.jsonl: a follow-up made of optional fields, or something else a
/// hand-edited file holds.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let s = |v: &'static [&'static str]| proptest::sample::select(v);
    let record = (
        s(&["", "\"id\":\"f-1\",", "\"id\":\"f-2\",", "\"id\":\"f-3\","]),
        s(&[
            "",
            "\"client\":\"kanda\",",
            "\"client\":\"mars\",",
            "\"client\":\"lisbon\",",
            "\"client\":\"ghost\",",
        ]),
        s(&["", "\"who\":\"Keller\",", "\"who\":\"A\\nB\","]),
        s(&["x", "Send quote", "", "é ☃ \\u001b[2J", "a\\nb"]),
        s(&[
            "",
            ",\"due\":\"2026-11-24\"",
            ",\"due\":\"2026-11-25\"",
            ",\"due\":\"2026-11-26\"",
            ",\"due\":\"2026-11-25T08:00+10:00\"",
            ",\"due\":\"2026-11-25T15:00+10:00\"",
            ",\"due\":\"2026-11-25T15:00\"",
            ",\"due\":\"2026-12-01T09:00Z\"",
            ",\"due\":\"9999-12-31\"",
            ",\"due\":\"0000-01-01T00:00+14:00\"",
            ",\"due\":\"tomorrow\"",
        ]),
        s(&[
            "",
            ",\"status\":\"open\"",
            ",\"status\":\"done\"",
            ",\"status\":\"dropped\"",
        ]),
        s(&[
            "",
            ",\"snoozed_until\":\"2026-11-26\"",
            ",\"snoozed_until\":\"2026-11-24T10:00Z\"",
        ]),
        s(&["", ",\"waiting\":true", ",\"waiting\":false"]),
    )
        .prop_map(|(id, client, who, what, due, status, snooze, waiting)| {
            format!("{{{id}{client}{who}\"what\":\"{what}\"{due}{status}{snooze}{waiting}}}")
                .into_bytes()
        });
    prop_oneof![
        8 => record,
        1 => s(&["", "   ", "# a comment", "garbage", "{\"what\":1}", "{}"]).prop_map(|l| l.as_bytes().to_vec()),
        1 => Just(b"{\"what\":\"\xff\xfe bad\"}".to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_indexed_agenda_says_what_the_whole_one_says(
        lines in proptest::collection::vec(line(), 0..30),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        last_newline in any::<bool>(),
        now in proptest::sample::select(&[
            "2026-11-25T09:30:00+10:00",
            "2026-11-25T23:59:59+10:00",
            "2026-11-24T14:00:00Z",
        ][..]),
    ) {
        let ending: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let mut file = Vec::new();
        if bom {
            file.extend_from_slice("\u{feff}".as_bytes());
        }
        for (i, l) in lines.iter().enumerate() {
            file.extend_from_slice(l);
            if i + 1 < lines.len() || last_newline {
                file.extend_from_slice(ending);
            }
        }
        same_agenda(&file, at(now));
    }
}

/// Many follow-ups, past the piece the agenda gathers before handing it on: the same text.
#[test]
fn a_long_agenda_comes_in_pieces_that_make_the_same_text() {
    let mut file = String::new();
    for i in 0..20_000 {
        let due = match i % 4 {
            0 => String::new(),
            1 => format!(",\"due\":\"2026-11-{:02}\"", 20 + i % 10),
            2 => format!(",\"due\":\"2026-11-25T{:02}:00+10:00\"", i % 24),
            _ => ",\"waiting\":true".to_string(),
        };
        file.push_str(&format!("{{\"what\":\"x{i}\"{due}}}\n"));
    }
    same_agenda(file.as_bytes(), at("2026-11-25T09:30:00+10:00"));
}

/// The example directory: the same text.
#[test]
fn the_example_agenda_is_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
    let now = at("2026-11-25T09:30:00+10:00");
    assert_eq!(indexed_agenda(&dir, now), render(&load_dir(&dir), now));
}
