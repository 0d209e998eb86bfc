//! `tether agenda` reads the follow-ups through an index into their file
//! (`store::agenda_index`) instead of holding them: its text must be byte for byte what the
//! agenda of the whole model says (`cli::agenda::render` of `load_dir`), whatever the file holds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "support/record_lines.rs"]
mod record_lines;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use record_lines::{TOML, assert_same, at, data_dir, files_and_now};
use std::path::Path;
use tether::cli::agenda::{Indexed, render, write};
use tether::store::agenda_index::load_indexed;
use tether::store::load::load_dir;

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

fn same_agenda(followups: &[u8], deadlines: &[u8], now: DateTime<Utc>) {
    let tmp = data_dir(followups, deadlines);
    let dir = tmp.path();
    let whole = render(&load_dir(dir), now);
    let indexed = indexed_agenda(dir, now);
    assert_same(&indexed, &whole, followups, deadlines);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_indexed_agenda_says_what_the_whole_one_says(
        (followups, deadlines, now) in files_and_now(),
    ) {
        same_agenda(&followups, &deadlines, now);
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
