//! Data files as hand-edited directories hold them, for the tests that compare a command's
//! indexed path with its whole-model one (tests/agenda_index.rs, tests/export_ics_index.rs):
//! tether.toml with clients in several zones (one unknown), a time log, and generators of
//! follow-up and deadline lines and of whole files (CRLF, BOM, last line unended).

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use proptest::prelude::*;

pub const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\nname = \"Ana\"\n\
[[clients]]\nid = \"kanda\"\nname = \"Kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n\
[clients.retainer]\nhours = \"20h\"\nstarts = \"2026-11-01\"\n\
[[clients]]\nid = \"mars\"\nname = \"Mars\"\nzone = \"Mars/Base\"\n\
[[clients]]\nid = \"lisbon\"\nname = \"Lisboa\"\nzone = \"Europe/Lisbon\"\nhours = \"09:00-17:00\"\n";

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("now")
        .with_timezone(&Utc)
}

/// A timer running on d-1, an hour logged on d-2, one on kanda itself.
pub const TIMELOG: &str = "{\"id\":\"t-1\",\"deadline\":\"d-1\",\"start\":\"2026-11-24T09:00:00+10:00\",\"end\":\"2026-11-24T10:00:00+10:00\"}\n\
{\"id\":\"t-2\",\"deadline\":\"d-2\",\"start\":\"2026-11-24T13:00:00+10:00\",\"end\":\"2026-11-24T15:00:00+10:00\"}\n\
{\"id\":\"t-3\",\"client\":\"kanda\",\"start\":\"2026-11-24T16:00:00+10:00\",\"end\":\"2026-11-24T16:30:00+10:00\"}\n\
{\"id\":\"t-4\",\"deadline\":\"d-1\",\"start\":\"2026-11-24T14:00:00Z\"}\n";

/// One line of deadlines.jsonl, as [`line`] makes one of followups.jsonl. Titles that agree in
/// their first 7 bytes and are longer, on the same due, are ordered by reading them.
pub fn deadline_line() -> impl Strategy<Value = Vec<u8>> {
    let s = |v: &'static [&'static str]| proptest::sample::select(v);
    let record = (
        s(&["", "\"id\":\"d-1\",", "\"id\":\"d-2\",", "\"id\":\"d-3\","]),
        s(&[
            "",
            "\"client\":\"kanda\",",
            "\"client\":\"mars\",",
            "\"client\":\"ghost\",",
        ]),
        s(&[
            "x",
            "",
            "Quarterly report, longer",
            "Quarterly report, long",
            "Quarter",
            "Quarterl",
            "é ☃ \\u001b",
            "Line one\\r\\nline two",
            "Quarterly report for the board, with the appendix tables; 見積書の改訂版を送付して確認をお願いする",
        ]),
        s(&[
            "\"2026-11-25T14:00Z\"",
            "\"2026-12-01T09:00Z\"",
            "\"2026-11-26T12:00\"",
            "\"2026-11-26\"",
            "\"2026-11-24\"",
            "\"2026-11-26T12:00+10:00\"",
            "\"9999-12-31\"",
            "\"soon\"",
        ]),
        s(&["", ",\"estimate\":\"4h\"", ",\"estimate\":\"30h\""]),
        s(&["", ",\"spent\":\"1h\""]),
        s(&["", ",\"status\":\"open\"", ",\"status\":\"done\""]),
    )
        .prop_map(|(id, client, title, due, estimate, spent, status)| {
            format!("{{{id}{client}\"title\":\"{title}\",\"due\":{due}{estimate}{spent}{status}}}")
                .into_bytes()
        });
    prop_oneof![
        8 => record,
        1 => s(&["", "# a comment", "garbage"]).prop_map(|l| l.as_bytes().to_vec()),
    ]
}

/// `lines` as a file: CRLF or LF, a BOM or not, a final line ending or not.
pub fn file_of(lines: &[Vec<u8>], crlf: bool, bom: bool, last_newline: bool) -> Vec<u8> {
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
    file
}

/// One line of followups.jsonl: a follow-up made of optional fields, or something else a
/// hand-edited file holds.
pub fn line() -> impl Strategy<Value = Vec<u8>> {
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
        s(&[
            "x",
            "Send quote",
            "",
            "é ☃ \\u001b[2J",
            "a\\nb",
            "Send the revised quote, v2; see C:\\\\docs\\\\q.pdf\\r\\nthen 見積書の改訂版を送付して確認をお願いする（佐藤様）",
        ]),
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

/// followups.jsonl and deadlines.jsonl as [`line`] and [`deadline_line`] make them (one with
/// CRLF, the other LF; a BOM on both or neither; a last line unended in one), and a now.
pub fn files_and_now() -> impl Strategy<Value = (Vec<u8>, Vec<u8>, DateTime<Utc>)> {
    (
        proptest::collection::vec(line(), 0..30),
        proptest::collection::vec(deadline_line(), 0..20),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::sample::select(
            &[
                "2026-11-25T09:30:00+10:00",
                "2026-11-25T23:59:59+10:00",
                "2026-11-24T14:00:00Z",
            ][..],
        ),
    )
        .prop_map(|(lines, deadlines, crlf, bom, last_newline, now)| {
            (
                file_of(&lines, crlf, bom, last_newline),
                file_of(&deadlines, !crlf, bom, !last_newline),
                at(now),
            )
        })
}

/// A data directory of [`TOML`], [`TIMELOG`] and these follow-ups and deadlines.
pub fn data_dir(followups: &[u8], deadlines: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    std::fs::write(dir.join("tether.toml"), TOML).expect("toml");
    std::fs::write(dir.join("followups.jsonl"), followups).expect("followups");
    std::fs::write(dir.join("deadlines.jsonl"), deadlines).expect("deadlines");
    std::fs::write(dir.join("timelog.jsonl"), TIMELOG).expect("timelog");
    tmp
}

/// The indexed path's text is the whole path's; else both files are shown.
pub fn assert_same(indexed: &str, whole: &str, followups: &[u8], deadlines: &[u8]) {
    assert_eq!(
        indexed,
        whole,
        "followups:\n{}\ndeadlines:\n{}",
        String::from_utf8_lossy(followups),
        String::from_utf8_lossy(deadlines)
    );
}
