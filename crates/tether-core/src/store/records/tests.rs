//! Reading the record files: every kind, every mistake, and chunks merged as one read.

use super::fields::*;
use super::merge::*;
use super::*;
use crate::domain::model::*;
use crate::store::config::parse_config;
use chrono::{DateTime, NaiveDate, Utc};

fn config() -> Config {
    parse_config(
        "[me]\nzone = \"America/New_York\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n[[clients]]\nid = \"night\"\nzone = \"Europe/London\"\nhours = \"22:00-06:00\"\n",
    )
    .0
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn deadline_zones_and_date_only() {
    let c = config();
    let text = concat!(
        "{\"title\":\"a\",\"client\":\"kanda\",\"due\":\"2026-11-25T09:00\"}\n",
        "{\"title\":\"b\",\"client\":\"kanda\",\"due\":\"2026-11-25\"}\n",
        "{\"title\":\"c\",\"due\":\"2026-11-25\"}\n",
        "{\"title\":\"d\",\"client\":\"kanda\",\"zone\":\"Europe/London\",\"due\":\"2026-11-25T09:00\"}\n",
        "{\"title\":\"e\",\"client\":\"night\",\"due\":\"2026-11-25\"}\n",
        "{\"title\":\"f\",\"due\":\"2026-11-25T09:00:00Z\"}\n",
    );
    let (d, diags) = parse_deadlines(text, &c);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(d[0].due, utc("2026-11-25T00:00:00Z"));
    assert_eq!(d[1].due, utc("2026-11-25T09:00:00Z")); // 18:00 JST
    assert_eq!(d[2].due, utc("2026-11-25T22:00:00Z")); // 17:00 EST
    assert_eq!(d[3].due, utc("2026-11-25T09:00:00Z"));
    assert_eq!(d[4].due, utc("2026-11-26T06:00:00Z")); // a night shift ends next morning
    assert_eq!(d[5].due, utc("2026-11-25T09:00:00Z"));
}

#[test]
fn each_mistake_reported_at_its_line_and_rest_loads() {
    let c = config();
    let text = concat!(
        "# comment\n",
        "\n",
        "{\"title\":\"ok\",\"due\":\"2026-11-25\"}\n",
        "{\"title\":\"no due\"}\n",
        "{\"title\":\"x\",\"due\":\"soon\"}\n",
        "{\"title\":\"x\",\"client\":\"kandaa\",\"due\":\"2026-11-25\"}\n",
        "{\"title\":\"x\",\"due\":\"2026-11-25\",\"estimate\":\"lots\"}\n",
        "{\"title\":\"x\",\"due\":\"2026-11-25\",\"status\":\"finished\"}\n",
        "{\"title\":\"x\",\"due\":\"2026-11-25\",\"zone\":\"Mars/Base\"}\n",
        "{\"title\":\"x\",\"due\":\"2026-11-25\"\n",
        "[1,2]\n",
        "{\"title\":\"typo\",\"due\":\"2026-11-25\",\"estimte\":\"2h\"}\r\n",
        "{\"title\":\"gap\",\"due\":\"2026-03-08T02:30\"}\n",
        "<<<<<<< HEAD\n",
    );
    let (d, diags) = parse_deadlines(text, &c);
    let got: Vec<(usize, bool)> = diags.iter().map(|x| (x.line, x.is_error())).collect();
    assert_eq!(
        got,
        vec![
            (4, true),
            (5, true),
            (6, true),
            (7, true),
            (8, true),
            (9, true),
            (10, true),
            (11, true),
            (12, false),
            (13, false),
            (14, true)
        ],
        "{diags:#?}"
    );
    assert_eq!(d.len(), 3);
    assert!(diags[2].message.contains("did you mean \"kanda\""));
    assert!(diags[8].message.contains("did you mean \"estimate\""));
    assert_eq!(d[2].due, utc("2026-03-08T07:30:00Z"));
    assert!(
        diags[9].message.contains("daylight-saving gap"),
        "{}",
        diags[9]
    );
    assert_eq!(
        diags[0].to_string(),
        "deadlines.jsonl:4: error: missing \"due\"; the line is skipped"
    );
}

#[test]
fn origin_text_is_the_line_the_writer_finds() {
    // A last line ending in a lone CR (no newline): the writer's split keeps the CR in the
    // line, so the record's origin must too, or "mark done" cannot find it again.
    let c = config();
    let text = "{\"what\":\"a\"}\r\n{\"what\":\"b\"}\r";
    let (f, diags) = parse_followups(text, &c);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(f[1].origin.text, "{\"what\":\"b\"}\r");
    assert_eq!(
        crate::store::lines::find_record(text, None, &f[1].origin.text),
        Some(1)
    );
}

#[test]
fn ids_with_the_same_hash_are_told_apart_by_their_text() {
    /// Every id hashes the same: each claim after the first is a collision.
    #[derive(Default)]
    struct Same;
    impl std::hash::Hasher for Same {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }
    let mut seen = SeenIds::<std::hash::BuildHasherDefault<Same>>::default();
    let ids = ["a", "b", "c"];
    let text_of = |i: usize| ids.get(i).copied();
    assert_eq!(seen.claim("a", 1, Loc::Record(0), text_of), Ok(()));
    assert_eq!(seen.claim("b", 2, Loc::Record(1), text_of), Ok(()));
    assert_eq!(seen.claim_skipped("c", 3, text_of), Ok(()));
    assert_eq!(seen.claim("a", 4, Loc::Record(3), text_of), Err(1));
    assert_eq!(seen.claim("b", 5, Loc::Record(4), text_of), Err(2));
    assert_eq!(seen.claim_skipped("c", 6, text_of), Err(3));
    assert_eq!(seen.claim_skipped("b", 8, text_of), Err(2));
    assert_eq!(seen.claim("d", 7, Loc::Record(5), text_of), Ok(()));
}

#[test]
fn closed_records_with_an_id_keep_no_text_and_are_still_found() {
    let c = config();
    let text = "{\"id\":\"f1\",\"what\":\"a\",\"status\":\"done\"}\n{\"what\":\"b\",\"status\":\"done\"}\n{\"id\":\"f3\",\"what\":\"c\"}\n";
    let (f, diags) = parse_followups(text, &c);
    assert!(diags.is_empty(), "{diags:?}");
    // Closed with an id: no text; closed without one, or open: the line itself.
    assert_eq!(f[0].origin.text, "");
    assert_eq!(f[1].origin.text, "{\"what\":\"b\",\"status\":\"done\"}");
    assert_eq!(f[2].origin.text, "{\"id\":\"f3\",\"what\":\"c\"}");
    // The id still finds the line (and keys it).
    assert_eq!(
        crate::store::lines::find_record(text, f[0].id.as_deref(), &f[0].origin.text),
        Some(0)
    );
    let (d, _) = parse_deadlines(
        "{\"id\":\"d1\",\"title\":\"t\",\"due\":\"2026-11-25\",\"status\":\"done\"}\n",
        &c,
    );
    assert_eq!(d[0].origin.text, "");
}

#[test]
fn long_values_make_short_messages_and_bounded_work() {
    let c = config();
    let long = "z".repeat(100_000);
    let text = format!(
        "{{\"what\":\"a\",\"zone\":\"{long}\"}}\n{{\"what\":\"b\",\"client\":\"{long}\"}}\n{{\"what\":\"c\",\"due\":\"{long}\"}}\n{{\"what\":\"d\",\"{long}\":1}}\n"
    );
    let (f, diags) = parse_followups(&text, &c);
    assert_eq!(f.len(), 1, "{diags:?}");
    assert_eq!(diags.len(), 3);
    assert!(diags.iter().all(|d| d.message.len() < 400), "{diags:?}");
}

#[test]
fn problems_are_capped_per_file() {
    let c = config();
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&format!("{{\"what\":\"w{i}\",\"zone\":\"Nowhere/{i}\"}}\n"));
    }
    let (_, diags) = parse_followups(&text, &c);
    assert_eq!(diags.len(), MAX_DIAGNOSTICS_PER_FILE + 1);
    assert_eq!(diags[0].line, 1);
    assert!(diags[0].message.contains("did you mean"), "{}", diags[0]);
    // Suggestions stop after MAX_SUGGESTIONS_PER_FILE lines; the plain message remains.
    assert!(
        !diags[199].message.contains("did you mean"),
        "{}",
        diags[199]
    );
    assert!(
        diags[199].message.contains("unknown time zone"),
        "{}",
        diags[199]
    );
    assert_eq!(
        diags[200].to_string(),
        "followups.jsonl: error: 800 more problems in this file (not listed); fix the ones above first"
    );
    // Counted, the last message stands for the 800 it does not list: 1000 problems in all.
    let n = crate::store::diagnostic::Count::of(&diags);
    assert_eq!((n.errors, n.warnings), (1000, 0));
}

#[test]
fn nul_anywhere_in_a_line_is_the_nul_message() {
    let c = config();
    let text = "{\"what\":\"a\0b\"}\n{\"what\":\"a\"}\0\n\0{\"what\":\"a\"}\n{\"what\":\"a\",\0\"x\":1}\n[\0]\n\"\0\"\n{\"what\":\"ok\"}\n";
    let (f, diags) = parse_followups(text, &c);
    assert_eq!(f.len(), 1);
    assert_eq!(diags.len(), 6, "{diags:?}");
    assert!(
        diags.iter().all(|d| d.message.contains("NUL bytes")),
        "{diags:?}"
    );
}

#[test]
fn duplicate_ids_keep_first() {
    let c = config();
    let text = "{\"id\":\"a\",\"what\":\"one\"}\n{\"id\":\"a\",\"what\":\"two\"}\n";
    let (f, diags) = parse_followups(text, &c);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].what, "one");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].line, 2);
    assert!(diags[0].message.contains("first on line 1"));
}

#[test]
fn followup_due_forms() {
    let c = config();
    let text = "{\"what\":\"a\",\"due\":\"2026-11-25\"}\n{\"what\":\"b\",\"client\":\"kanda\",\"due\":\"2026-11-25T10:00\",\"waiting\":true}\n{\"what\":\"c\",\"waiting\":\"yes\"}\n";
    let (f, diags) = parse_followups(text, &c);
    assert_eq!(f.len(), 2);
    assert_eq!(
        f[0].due,
        Some(FollowupDue::Day(
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        ))
    );
    assert_eq!(f[1].due, Some(FollowupDue::At(utc("2026-11-25T01:00:00Z"))));
    assert!(f[1].waiting);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].line, 3);
}

#[test]
fn interactions_need_known_client_kind_and_time() {
    let c = config();
    let text = "\u{feff}{\"at\":\"2026-11-20T14:00+09:00\",\"client\":\"kanda\",\"kind\":\"Visit\"}\n{\"at\":\"2026-11-20\",\"kind\":\"call\"}\n{\"at\":\"2026-11-20\",\"client\":\"kanda\"}\n";
    let (i, diags) = parse_interactions(text, &c);
    assert_eq!(i.len(), 1);
    assert_eq!(&*i[0].kind, "visit");
    assert_eq!(diags.len(), 2);
    assert!(diags[0].message.contains("missing \"client\""));
    assert!(diags[1].message.contains("missing \"kind\""));
}

#[test]
fn repeated_keys_are_warned_at_their_line_and_the_last_one_wins() {
    let c = config();
    let text = "{\"what\":\"a\",\"what\":\"b\",\"status\":\"done\",\"status\":\"open\"}\n{\"what\":\"c\",\"waiting\":1,\"waiting\":true,\"tag\":1,\"t\\u0061g\":2}\n{\"what\":\"d\"}\n";
    let (f, diags) = parse_followups(text, &c);
    assert_eq!(f[0].what, "b");
    assert_eq!(f[0].status, Status::Open);
    assert!(f[1].waiting);
    assert_eq!(f.len(), 3, "the records still load");
    let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let says = |line: usize, key: &str| {
        format!(
            "followups.jsonl:{line}: warning: \"{key}\" is in this record more than once; tether uses the last one and ignores the others: delete the ones you do not mean"
        )
    };
    assert_eq!(
        got,
        [
            says(1, "status"),
            says(1, "what"),
            says(2, "tag"),
            says(2, "waiting"),
        ]
    );
}

#[test]
fn numbers_are_parsed_even_where_ignored() {
    let c = config();
    let text = "{\"what\":\"a\",\"rate\":1e400}\n{\"what\":\"b\",\"x\":[{\"y\":-1e999}]}\n";
    let (f, diags) = parse_followups(text, &c);
    assert!(f.is_empty());
    assert_eq!(
        diags[0].to_string(),
        "followups.jsonl:1:24: error: not valid JSON (number out of range); the line is skipped"
    );
    assert_eq!(diags[1].line, 2);
    assert!(diags[1].message.contains("number out of range"));
}

#[test]
fn typo_warnings_come_in_key_order_once_each() {
    let c = config();
    let text = "{\"what\":\"a\",\"stauts\":\"x\",\"clinet\":\"k\",\"stauts\":\"y\"}\n";
    let (f, diags) = parse_followups(text, &c);
    assert_eq!(f.len(), 1);
    let got: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        got,
        [
            "unknown field \"clinet\" (did you mean \"client\"?); it is kept but ignored",
            "unknown field \"stauts\" (did you mean \"status\"?); it is kept but ignored",
            "\"stauts\" is in this record more than once; tether uses the last one and ignores the others: delete the ones you do not mean",
        ]
    );
}
