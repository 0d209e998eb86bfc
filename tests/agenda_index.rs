//! `tether agenda` reads the follow-ups through an index into their file
//! (`store::agenda_index`) instead of holding them: its text must be byte for byte what the
//! agenda of the whole model says (`cli::agenda::render` of `load_dir`), whatever the file holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use std::path::Path;
use tether::cli::agenda::{Indexed, render, write};
use tether::store::agenda_index::load_indexed;
use tether::store::load::load_dir;

const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\nname = \"Ana\"\n\
[[clients]]\nid = \"kanda\"\nname = \"Kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n\
[clients.retainer]\nhours = \"20h\"\nstarts = \"2026-11-01\"\n\
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
    let mut deadlines = index.deadlines(&loaded.model, now);
    let mut rows = index.followups(&loaded.model.config, now);
    let mut out = String::new();
    write(
        &loaded,
        Some(Indexed {
            deadlines: &mut deadlines,
            followups: &mut rows,
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

/// A timer running on d-1, an hour logged on d-2, one on kanda itself.
const TIMELOG: &str = "{\"id\":\"t-1\",\"deadline\":\"d-1\",\"start\":\"2026-11-24T09:00:00+10:00\",\"end\":\"2026-11-24T10:00:00+10:00\"}\n\
{\"id\":\"t-2\",\"deadline\":\"d-2\",\"start\":\"2026-11-24T13:00:00+10:00\",\"end\":\"2026-11-24T15:00:00+10:00\"}\n\
{\"id\":\"t-3\",\"client\":\"kanda\",\"start\":\"2026-11-24T16:00:00+10:00\",\"end\":\"2026-11-24T16:30:00+10:00\"}\n\
{\"id\":\"t-4\",\"deadline\":\"d-1\",\"start\":\"2026-11-24T14:00:00Z\"}\n";

fn same_agenda(followups: &[u8], deadlines: &[u8], now: DateTime<Utc>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    std::fs::write(dir.join("tether.toml"), TOML).expect("toml");
    std::fs::write(dir.join("followups.jsonl"), followups).expect("followups");
    std::fs::write(dir.join("deadlines.jsonl"), deadlines).expect("deadlines");
    std::fs::write(dir.join("timelog.jsonl"), TIMELOG).expect("timelog");
    let whole = render(&load_dir(dir), now);
    let indexed = indexed_agenda(dir, now);
    assert_eq!(
        indexed,
        whole,
        "followups:\n{}\ndeadlines:\n{}",
        String::from_utf8_lossy(followups),
        String::from_utf8_lossy(deadlines)
    );
}

/// One line of deadlines.jsonl, as [`line`] makes one of followups.jsonl. Titles that agree in
/// their first 7 bytes and are longer, on the same due, are ordered by reading them.
fn deadline_line() -> impl Strategy<Value = Vec<u8>> {
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
        ]),
        s(&[
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
fn file_of(lines: &[Vec<u8>], crlf: bool, bom: bool, last_newline: bool) -> Vec<u8> {
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
        deadlines in proptest::collection::vec(deadline_line(), 0..20),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        last_newline in any::<bool>(),
        now in proptest::sample::select(&[
            "2026-11-25T09:30:00+10:00",
            "2026-11-25T23:59:59+10:00",
            "2026-11-24T14:00:00Z",
        ][..]),
    ) {
        same_agenda(
            &file_of(&lines, crlf, bom, last_newline),
            &file_of(&deadlines, !crlf, bom, !last_newline),
            at(now),
        );
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
    let mut deadlines = String::new();
    for i in 0..5_000 {
        deadlines.push_str(&format!(
            "{{\"title\":\"Report number {}\",\"due\":\"2026-11-{:02}\",\"estimate\":\"2h\"}}\n",
            i % 50,
            24 + i % 3
        ));
    }
    same_agenda(
        file.as_bytes(),
        deadlines.as_bytes(),
        at("2026-11-25T09:30:00+10:00"),
    );
}

/// The example directory: the same text.
#[test]
fn the_example_agenda_is_the_same() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
    let now = at("2026-11-25T09:30:00+10:00");
    assert_eq!(indexed_agenda(&dir, now), render(&load_dir(&dir), now));
}

/// The open bills (invoices to send, payments to come) are summed in the agenda's "Money" from
/// the index as from the whole model; closed ones are not.
#[test]
fn the_money_is_the_same_through_the_index() {
    let followups = "{\"id\":\"f-1\",\"client\":\"kanda\",\"what\":\"Send invoice: Nov 2026 · JPY 450,000\",\"due\":\"2026-11-25\",\"bill\":\"invoice\",\"amount\":450000,\"currency\":\"JPY\"}\n\
{\"id\":\"f-2\",\"client\":\"kanda\",\"what\":\"Payment: Oct 2026 · JPY 450,000, invoiced 26 Oct\",\"due\":\"2026-11-09\",\"bill\":\"payment\",\"amount\":450000,\"currency\":\"JPY\"}\n\
{\"id\":\"f-3\",\"client\":\"kanda\",\"what\":\"Payment: Sep 2026 · JPY 450,000\",\"due\":\"2026-10-09\",\"bill\":\"payment\",\"amount\":450000,\"currency\":\"JPY\",\"status\":\"done\"}\n\
{\"id\":\"f-4\",\"what\":\"Call the bank\",\"due\":\"2026-11-26\"}\n";
    let now = at("2026-11-25T10:00:00+10:00");
    same_agenda(followups.as_bytes(), b"", now);
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("tether.toml"), TOML).expect("toml");
    std::fs::write(tmp.path().join("followups.jsonl"), followups).expect("followups");
    let text = indexed_agenda(tmp.path(), now);
    assert!(
        text.contains("Invoices to send (1) · JPY 450,000\n")
            && text.contains("Payments overdue (1) · JPY 450,000\n"),
        "{text}"
    );
}
