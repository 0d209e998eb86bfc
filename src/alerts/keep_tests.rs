//! What `tether notify` keeps of the records ([`can_alert`], [`deadline_can_alert`]) against
//! the rules themselves: a model without the records they drop gives the same alerts and the
//! same next wake-up as the whole model, at any instant, whatever was sent before.

use super::digest::item_digest;
use super::pending::{pending_alerts, pending_naming};
use super::rules::{can_alert, deadline_can_alert};
use super::stream::stream_pass;
use super::wakeup::next_wakeup;
use super::{Alert, SentEntry};
use crate::domain::model::Model;
use crate::store::config::parse_config;
use crate::store::records::{parse_deadlines, parse_followups};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

const TOML: &str = r#"
[me]
zone = "Australia/Brisbane"
work_hours = "09:00-17:00"

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"

[[clients]]
id = "demo"
name = "Made up"
zone = "Europe/Berlin"
example = true
"#;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap()
}

/// An instant in the fortnight from `start`, by the quarter hour.
fn instant(q: u32) -> DateTime<Utc> {
    start() + Duration::minutes(15 * i64::from(q % (14 * 96)))
}

fn followup_line() -> impl Strategy<Value = String> {
    (
        0..4usize,
        0..3usize,
        0..4usize,
        any::<u32>(),
        any::<bool>(),
        0..3usize,
        (0..3usize, any::<u32>()),
        0..3usize,
    )
        .prop_map(|(id, what, due, at, waiting, status, snooze, client)| {
            let mut fields = Vec::new();
            if id > 0 {
                fields.push(format!("\"id\":\"f-{id}\""));
            }
            fields.push(format!("\"what\":\"w{what}\""));
            let t = instant(at);
            match due {
                1 => fields.push(format!("\"due\":\"{}\"", t.format("%Y-%m-%d"))),
                2 => fields.push(format!("\"due\":\"{}\"", t.format("%Y-%m-%dT%H:%MZ"))),
                _ => {}
            }
            if waiting {
                fields.push("\"waiting\":true".into());
            }
            fields.push(format!(
                "\"status\":\"{}\"",
                ["open", "done", "dropped"][status]
            ));
            if snooze.0 > 0 {
                let s = instant(snooze.1);
                fields.push(format!(
                    "\"snoozed_until\":\"{}\"",
                    s.format("%Y-%m-%dT%H:%MZ")
                ));
            }
            match client {
                1 => fields.push("\"client\":\"kanda\"".into()),
                2 => fields.push("\"client\":\"demo\"".into()),
                _ => {}
            }
            format!("{{{}}}", fields.join(","))
        })
}

fn deadline_line() -> impl Strategy<Value = String> {
    (0..3usize, any::<u32>(), 0..20u32, 0..3usize, any::<bool>()).prop_map(
        |(id, due, estimate, status, kanda)| {
            let mut fields = vec![format!("\"title\":\"t{id}\"")];
            if id > 0 {
                fields.push(format!("\"id\":\"d-{id}\""));
            }
            fields.push(format!(
                "\"due\":\"{}\"",
                instant(due).format("%Y-%m-%dT%H:%MZ")
            ));
            fields.push(format!("\"estimate\":\"{estimate}h\""));
            fields.push(format!(
                "\"status\":\"{}\"",
                ["open", "done", "dropped"][status]
            ));
            if kanda {
                fields.push("\"client\":\"kanda\"".into());
            }
            format!("{{{}}}", fields.join(","))
        },
    )
}

fn model(deadlines: &[String], followups: &[String]) -> Model {
    let (config, _) = parse_config(TOML);
    let (deadlines, _) = parse_deadlines(&deadlines.join("\n"), &config);
    let (followups, _) = parse_followups(&followups.join("\n"), &config);
    Model {
        config,
        deadlines: deadlines.into(),
        followups: followups.into(),
        ..Model::default()
    }
}

fn sent(alerts: &[Alert], at: DateTime<Utc>) -> Vec<SentEntry> {
    alerts
        .iter()
        .map(|a| SentEntry::from_alert(a, at))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The records the predicates drop never make an alert, nor move the next wake-up: the same
    /// alerts at a first instant, and at a later one after those were sent.
    #[test]
    fn what_notify_drops_never_alerts(
        deadlines in proptest::collection::vec(deadline_line(), 0..6),
        followups in proptest::collection::vec(followup_line(), 0..14),
        first in any::<u32>(),
        later in 0..400u32,
    ) {
        let whole = model(&deadlines, &followups);
        let mut kept = whole.clone();
        kept.deadlines.retain(deadline_can_alert);
        kept.followups.retain(can_alert);
        let now = instant(first);
        let a = pending_alerts(&whole, &[], now);
        prop_assert_eq!(&a, &pending_alerts(&kept, &[], now));
        prop_assert_eq!(next_wakeup(&whole, now), next_wakeup(&kept, now));
        let then = now + Duration::minutes(15 * i64::from(later));
        let before = sent(&a, now);
        prop_assert_eq!(
            pending_alerts(&whole, &before, then),
            pending_alerts(&kept, &before, then)
        );
        prop_assert_eq!(next_wakeup(&whole, then), next_wakeup(&kept, then));
    }

    /// A summary that names only its first items and records the others by digest says and
    /// covers what one naming them all says (issue 13: a flood's record), and once recorded
    /// silences the same items.
    #[test]
    fn a_summary_naming_a_few_covers_what_one_naming_all_does(
        deadlines in proptest::collection::vec(deadline_line(), 0..6),
        followups in proptest::collection::vec(followup_line(), 20..160),
        first in any::<u32>(),
        later in 0..400u32,
    ) {
        let m = model(&deadlines, &followups);
        let now = instant(first);
        let all = pending_naming(&m, &[], now, usize::MAX);
        let few = pending_naming(&m, &[], now, 0);
        prop_assert_eq!(all.len(), few.len());
        for (a, f) in all.iter().zip(&few) {
            prop_assert_eq!((a.level, &a.summary, &a.body, a.urgency), (f.level, &f.summary, &f.body, f.urgency));
            prop_assert!(a.digests.is_empty());
            prop_assert!(f.items.iter().all(|i| a.items.contains(i)));
            let digest = |i: &super::AlertItem| item_digest(i.file, &i.key, i.level, &i.fingerprint);
            let mut whole: Vec<u64> = a.items.iter().map(digest).collect();
            let mut split: Vec<u64> = f.items.iter().map(digest).chain(f.digests.iter().copied()).collect();
            // Lines alike in key and fingerprint are one item to the record.
            whole.sort_unstable();
            whole.dedup();
            split.sort_unstable();
            split.dedup();
            prop_assert_eq!(whole, split);
        }
        let then = now + Duration::minutes(15 * i64::from(later));
        prop_assert_eq!(
            pending_alerts(&m, &sent(&all, now), then),
            pending_alerts(&m, &sent(&few, now), then)
        );
    }

    /// `tether notify`'s pass folded as the files are read gives the alerts and the next
    /// wake-up of the whole model, before and after the first ones are sent.
    #[test]
    fn the_pass_folded_as_read_is_the_whole_models(
        deadlines in proptest::collection::vec(deadline_line(), 0..6),
        followups in proptest::collection::vec(followup_line(), 0..40),
        logged in proptest::collection::vec((1..3usize, any::<u32>(), 1..40u32), 0..4),
        running in proptest::option::of((1..3usize, any::<u32>())),
        first in any::<u32>(),
        later in 0..400u32,
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tether.toml"), TOML).unwrap();
        // Time logged on deadlines counts against their estimate (their risk).
        let log: Vec<String> = logged
            .iter()
            .enumerate()
            .map(|(i, (id, at, quarters))| {
                let start = instant(*at);
                let end = start + Duration::minutes(15 * i64::from(*quarters));
                format!(
                    "{{\"id\":\"t-{i}\",\"deadline\":\"d-{id}\",\"start\":\"{}\",\"end\":\"{}\"}}",
                    start.format("%Y-%m-%dT%H:%MZ"),
                    end.format("%Y-%m-%dT%H:%MZ")
                )
            })
            .chain(running.map(|(id, at)| {
                // A timer still running: its title is the deadline's; past the end of its
                // day it alerts.
                format!(
                    "{{\"id\":\"t-run\",\"deadline\":\"d-{id}\",\"start\":\"{}\"}}",
                    instant(at).format("%Y-%m-%dT%H:%MZ")
                )
            }))
            .collect();
        std::fs::write(dir.path().join("timelog.jsonl"), log.join("\n")).unwrap();
        std::fs::write(dir.path().join("deadlines.jsonl"), deadlines.join("\n")).unwrap();
        std::fs::write(dir.path().join("followups.jsonl"), followups.join("\n")).unwrap();
        let whole = crate::store::load::load_dir(dir.path()).model;
        let now = instant(first);
        let a = stream_pass(dir.path(), now, Vec::new()).unwrap();
        prop_assert_eq!(&a.alerts, &pending_alerts(&whole, &[], now));
        prop_assert_eq!(a.wake, next_wakeup(&whole, now));
        let then = now + Duration::minutes(15 * i64::from(later));
        let before = sent(&a.alerts, now);
        let b = stream_pass(dir.path(), then, before.clone()).unwrap();
        prop_assert_eq!(b.alerts, pending_alerts(&whole, &before, then));
        prop_assert_eq!(b.wake, next_wakeup(&whole, then));
    }
}
