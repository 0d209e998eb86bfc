//! A file held as its lines gives the records reading it typed gives (`domain::held`).

use super::*;
use crate::domain::held::Held;
use crate::store::config::parse_config;
use crate::store::records::{parse_deadlines, parse_followups};
use proptest::prelude::*;

fn config() -> Config {
    parse_config(concat!(
        "[me]\nzone = \"America/New_York\"\n",
        "[[clients]]\nid = \"kanda\"\nname = \"Kanda Trading\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n",
        "[[clients]]\nid = \"typo\"\nzone = \"Europe/Stuttgart\"\n",
    ))
    .0
}

/// A line of either file: plain, dated, zoned, of a client (known, with a zone typo, unknown),
/// closed with or without an id, repeated ids, escapes, bills, recurring, and mistakes.
fn line(kind: u8, i: usize) -> String {
    match kind % 19 {
        0 => format!(
            "{{\"what\":\"x{i}\",\"title\":\"t{i}\",\"due\":\"2026-11-2{}\"}}",
            i % 10
        ),
        1 => format!(
            "{{\"id\":\"f{}\",\"what\":\"dup\",\"title\":\"dup\",\"due\":\"2026-11-25T10:00\",\"client\":\"kanda\"}}",
            i % 5
        ),
        2 => format!(
            "{{\"what\":\"w{i}\",\"title\":\"t\",\"due\":\"2026-03-08T02:30\",\"zone\":\"America/New_York\",\"estimate\":\"3h\",\"spent\":\"1h\"}}"
        ),
        3 => format!(
            "{{\"what\":\"w{i}\",\"title\":\"t\",\"due\":\"2026-11-25\",\"client\":\"typo\"}}"
        ),
        4 => format!(
            "{{\"what\":\"w{i}\",\"title\":\"t\",\"due\":\"2026-11-25\",\"client\":\"nobody\"}}"
        ),
        5 => format!(
            "{{\"id\":\"c{i}\",\"what\":\"closed\",\"title\":\"c\",\"due\":\"2026-11-25\",\"status\":\"done\",\"done_at\":\"2026-11-20T10:00Z\"}}"
        ),
        6 => format!(
            "{{\"what\":\"closed {i}\",\"title\":\"c\",\"due\":\"2026-11-25\",\"status\":\"dropped\"}}"
        ),
        7 => format!(
            "{{\"what\":\"\\u00e9t\\u00e9 {i} \\\"q\\\"\",\"title\":\"\\u00e9\",\"due\":\"2026-11-25\",\"who\":\"Sato\"}}"
        ),
        8 => format!(
            "{{\"what\":\"Send invoice {i}\",\"bill\":\"invoice\",\"amount\":125000,\"currency\":\"JPY\",\"title\":\"t\",\"due\":\"2026-11-25\",\"waiting\":true}}"
        ),
        9 => format!(
            "{{\"what\":\"weekly {i}\",\"title\":\"weekly\",\"due\":\"2026-11-23T09:00\",\"every\":\"weekly\",\"snoozed_until\":\"2026-11-22T08:00Z\"}}"
        ),
        10 => "# a comment".to_string(),
        11 => "{\"what\":1e400}".to_string(),
        12 => format!(
            "{{\"what\":\"x{i}\",\"title\":\"t\",\"due\":\"2026-11-25\",\"stauts\":\"open\"}}  "
        ),
        // Follow-ups without a due or a snooze: a filter may leave their lines unread.
        13 => format!("{{\"what\":\"Été W1 {i}\",\"client\":\"kanda\"}}"),
        14 => format!("{{\"what\":\"Call W{i}\",\"who\":\"DUP\",\"client\":\"kanda\"}}"),
        15 => format!("{{\"what\":\"plain {i}\",\"status\":\"done\"}}"),
        16 => format!("{{\"what\":\"plain {i}\",\"client\":\"typo\"}}"),
        17 => format!("{{\"what\":\"later {i}\",\"snoozed_until\":\"2026-11-30T00:00Z\"}}"),
        _ => String::new(),
    }
}

fn text(kinds: &[u8], crlf: bool) -> String {
    let mut t = String::new();
    for (i, k) in kinds.iter().enumerate() {
        t.push_str(&line(*k, i));
        t.push_str(if crlf && i % 2 == 0 { "\r\n" } else { "\n" });
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Held as lines, every record reads back as it was read: equal record by record, by index
    /// and in order, for both files.
    #[test]
    fn records_held_as_lines_read_back_as_read(
        kinds in proptest::collection::vec(any::<u8>(), 1..200),
        crlf in any::<bool>(),
    ) {
        let c = config();
        let t = text(&kinds, crlf);
        let (f, _) = parse_followups(&t, &c);
        let held = Held::from(f.clone()).into_lines(ReadAgain::<Followups>::new(&c));
        prop_assert!(held.is_lines());
        prop_assert_eq!(&held, &f);
        for (i, want) in f.iter().enumerate() {
            let got = held.get(i);
            prop_assert_eq!(got.as_deref(), Some(want));
        }
        let (d, _) = parse_deadlines(&t, &c);
        let held = Held::from(d.clone()).into_lines(ReadAgain::<Deadlines>::new(&c));
        prop_assert_eq!(&held, &d);
    }
}

/// A data directory whose followups.jsonl is `t`.
fn dir_with(t: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tether.toml"),
        "[me]\nzone = \"Asia/Tokyo\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("followups.jsonl"), t).unwrap();
    dir
}

/// A file of many one-line records is held as lines by the load and by the reloader after an
/// edit, with the records and problems of a typed read.
#[test]
fn a_file_of_tiny_lines_is_held_as_lines() {
    use crate::store::reload::Reloader;
    let n = Held::<Followup>::LINES_FROM + 5000;
    let mut t = String::new();
    for i in 0..n {
        t.push_str(&format!("{{\"what\":\"x{i}\"}}\n"));
        if i == 7 {
            t.push_str("{\"what\":\"x\",\"stauts\":\"open\"}\nnot json\n");
        }
    }
    let dir = dir_with(&t);
    let typed = |t: &str, c: &Config| parse_followups(t, c);
    let (mut reloader, loaded) = Reloader::load(dir.path());
    assert!(loaded.model.followups.is_lines());
    let (want, want_diags) = typed(&t, &loaded.model.config);
    assert_eq!(loaded.model.followups, want);
    assert_eq!(loaded.diagnostics, want_diags);

    // An edit in the middle (not an append): the file is read again, held as lines again.
    let edited = t.replacen(
        "{\"what\":\"x50000\"}",
        "{\"what\":\"x50000\",\"status\":\"done\"}",
        1,
    );
    std::fs::write(dir.path().join("followups.jsonl"), &edited).unwrap();
    let mut shared = std::sync::Arc::new(loaded);
    reloader.reload(&mut shared);
    assert!(shared.model.followups.is_lines());
    let (want, want_diags) = typed(&edited, &shared.model.config);
    assert_eq!(shared.model.followups, want);
    assert_eq!(shared.diagnostics, want_diags);
}

/// Long lines stay typed: held as lines, each record would be read again for no saving.
#[test]
fn a_file_of_long_lines_stays_typed() {
    let pad = "p".repeat(Held::<Followup>::LINES_UNDER);
    let mut t = String::new();
    for i in 0..Held::<Followup>::LINES_FROM + 10 {
        t.push_str(&format!("{{\"what\":\"x{i} {pad}\"}}\n"));
    }
    let dir = dir_with(&t);
    let loaded = crate::store::load::load_dir(dir.path());
    assert_eq!(
        loaded.model.followups.len(),
        Held::<Followup>::LINES_FROM + 10
    );
    assert!(!loaded.model.followups.is_lines());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// The board made from records held as lines is the board made from them typed: the same
    /// rows in the same order (the deadlines' order is worked out another way for lines), with
    /// and without closed items and a filter, at any instant.
    #[test]
    fn the_board_of_records_held_as_lines_is_the_typed_board(
        kinds in proptest::collection::vec(any::<u8>(), 1..300),
        show_closed in any::<bool>(),
        text in prop_oneof![
            Just(String::new()),
            Just("w1".to_string()),
            Just("dup".to_string()),
            Just("KANDA".to_string()),
            Just("été".to_string()),
            Just("call w".to_string()),
            Just("trading".to_string()),
        ],
        minutes in 0i64..(60 * 24 * 10),
    ) {
        use crate::domain::board::{Board, BoardFilter};
        use crate::domain::model::Model;
        let c = config();
        let t = text_of(&kinds);
        let typed = Model {
            config: c.clone(),
            deadlines: parse_deadlines(&t, &c).0.into(),
            followups: parse_followups(&t, &c).0.into(),
            ..Model::default()
        };
        let mut lines = typed.clone();
        lines.deadlines = lines.deadlines.into_lines(ReadAgain::<Deadlines>::new(&c));
        lines.followups = lines.followups.into_lines(ReadAgain::<Followups>::new(&c));
        prop_assert!(lines.deadlines.is_lines() && lines.followups.is_lines());
        let filter = BoardFilter { text, show_closed };
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-20T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc)
            + chrono::Duration::minutes(minutes);
        let (a, b) = (
            Board::compute_without_heat(&typed, &filter, now),
            Board::compute_without_heat(&lines, &filter, now),
        );
        prop_assert_eq!(a.deadlines, b.deadlines);
        prop_assert_eq!(a.followups, b.followups);
        // What the follow-ups' pass counts beside the rows (a filter may leave lines unread).
        let snoozed = |m: &Model| {
            let mut live = crate::domain::board::LiveBoard::new();
            let mut board = Board::empty(now);
            live.update(m, &filter, &mut board, now);
            live.hidden_snoozed()
        };
        prop_assert_eq!(snoozed(&typed), snoozed(&lines));
    }
}

fn text_of(kinds: &[u8]) -> String {
    text(kinds, false)
}
