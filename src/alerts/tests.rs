//! Unit tests of the alert rules with injected time: transitions, dedupe, escalation only, quiet
//! hours, re-arming, follow-ups, the flood guard and next_wakeup.

use super::*;
use crate::domain::model::Model;
use crate::domain::risk::{Risk, assess};
use crate::store::config::parse_config;
use crate::store::records::{parse_deadlines, parse_followups};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::{Arc, Mutex};

fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, mi, 0).unwrap()
}

/// Me in UTC, 09:00-17:00 Mon-Fri, warn_slack 1d, plus `extra` toml.
const BASE: &str = r#"
[me]
name = "Me"
zone = "UTC"
work_hours = "09:00-17:00"

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
hours = "09:00-18:00"
"#;

fn model(toml: &str, deadlines: &str, followups: &str) -> Model {
    let (config, diags) = parse_config(toml);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let (deadlines, d1) = parse_deadlines(deadlines, &config);
    assert!(d1.is_empty(), "{d1:?}");
    let (followups, d2) = parse_followups(followups, &config);
    assert!(d2.is_empty(), "{d2:?}");
    Model {
        config,
        deadlines: deadlines.into(),
        followups: followups.into(),
        interactions: Vec::new(),
        timelog: Vec::new(),
    }
}

/// Pretend every alert was sent and recorded at `now`.
fn sent_all(sent: &mut Vec<SentEntry>, alerts: &[Alert], now: DateTime<Utc>) {
    sent.extend(alerts.iter().map(|a| SentEntry::from_alert(a, now)));
}

/// One pass at `now`: what is due, recorded as sent.
fn send_due(m: &Model, sent: &mut Vec<SentEntry>, now: DateTime<Utc>) -> Vec<Alert> {
    let a = due_alerts(m, sent, now);
    sent_all(sent, &a, now);
    a
}

fn summaries(alerts: &[Alert]) -> Vec<String> {
    alerts.iter().map(|a| a.summary.clone()).collect()
}

fn levels(alerts: &[Alert]) -> Vec<Level> {
    alerts.iter().map(|a| a.level).collect()
}

// Due Friday 27 Nov 2026 17:00 UTC, 10 h of work: ok on Monday 09:00 (40 h of capacity, slack
// 30 h), tight from Monday 15:00:01 (capacity < 34 h), at risk from Thursday 15:00:01
// (capacity < 10 h), overdue at Friday 17:00.
const REPORT: &str =
    r#"{"id":"d1","client":"kanda","title":"Report","due":"2026-11-27T17:00Z","estimate":"10h"}"#;

#[test]
fn each_escalation_alerts_once() {
    let m = model(BASE, REPORT, "");
    let mut sent = Vec::new();
    let step = |now, sent: &mut Vec<SentEntry>| levels(&send_due(&m, sent, now));
    assert_eq!(step(utc(2026, 11, 23, 9, 0), &mut sent), []);
    assert_eq!(step(utc(2026, 11, 24, 9, 0), &mut sent), [Level::Tight]);
    assert_eq!(step(utc(2026, 11, 24, 9, 5), &mut sent), [], "dedupe");
    assert_eq!(step(utc(2026, 11, 26, 10, 0), &mut sent), [], "still tight");
    assert_eq!(step(utc(2026, 11, 27, 9, 0), &mut sent), [Level::AtRisk]);
    assert_eq!(step(utc(2026, 11, 27, 12, 0), &mut sent), []);
    assert_eq!(step(utc(2026, 11, 27, 17, 0), &mut sent), [Level::Overdue]);
    assert_eq!(step(utc(2026, 11, 27, 18, 0), &mut sent), []);
    assert_eq!(step(utc(2026, 12, 5, 18, 0), &mut sent), []);
    assert_eq!(sent.len(), 3);
}

#[test]
fn urgency_and_keys() {
    let m = model(BASE, REPORT, "");
    let a = due_alerts(&m, &[], utc(2026, 11, 27, 9, 0));
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].urgency, Urgency::Critical);
    assert_eq!(a[0].items[0].key, "id:d1");
    assert_eq!(a[0].items[0].file, ItemFile::Deadlines);
    assert_eq!(a[0].summary, "At risk: Report (Kanda Trading KK)");
    let a = due_alerts(&m, &[], utc(2026, 11, 24, 9, 0));
    assert_eq!(a[0].urgency, Urgency::Normal);
    let a = due_alerts(&m, &[], utc(2026, 11, 28, 9, 0));
    assert_eq!(a[0].urgency, Urgency::Critical);
    assert_eq!(a[0].level, Level::Overdue);
    // A line without an id is keyed by its text.
    let line = r#"{"title":"No id","due":"2026-11-27T17:00Z","estimate":"10h"}"#;
    let m = model(BASE, line, "");
    let a = due_alerts(&m, &[], utc(2026, 11, 27, 9, 0));
    assert_eq!(a[0].items[0].key, format!("text:{line}"));
}

#[test]
fn a_jump_alerts_only_the_highest_level() {
    // tether was not running from Monday to Friday morning: one "at risk", no "tight".
    let m = model(BASE, REPORT, "");
    let a = due_alerts(&m, &[], utc(2026, 11, 27, 10, 0));
    assert_eq!(levels(&a), [Level::AtRisk]);
}

#[test]
fn no_tight_after_at_risk() {
    let m = model(BASE, REPORT, "");
    let mut sent = Vec::new();
    let a = due_alerts(&m, &sent, utc(2026, 11, 27, 9, 0));
    assert_eq!(levels(&a), [Level::AtRisk]);
    sent_all(&mut sent, &a, utc(2026, 11, 27, 9, 0));
    // Later the risk eases to tight (here: a Saturday's hours are added); same fingerprint.
    let toml = format!(
        "{BASE}\n",
        BASE = BASE.replace(
            "work_hours = \"09:00-17:00\"",
            "work_hours = \"09:00-17:00\"\nwork_days = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]"
        )
    );
    let eased = model(&toml, &REPORT.replace("2026-11-27", "2026-11-30"), "");
    // Different due: a new fingerprint, so a fresh tight alert is right there...
    let at = utc(2026, 11, 27, 9, 0);
    assert_eq!(
        assess(
            &eased.deadlines.get(0).unwrap(),
            &eased.config.me,
            &eased.config.alerts,
            at
        )
        .risk,
        Risk::Tight
    );
    assert_eq!(levels(&due_alerts(&eased, &sent, at)), [Level::Tight]);
    // ...but with the same fingerprint (only the working days changed) nothing is sent.
    let same_due = model(&toml, REPORT, "");
    let at = utc(2026, 11, 26, 12, 0);
    assert_eq!(
        assess(
            &same_due.deadlines.get(0).unwrap(),
            &same_due.config.me,
            &same_due.config.alerts,
            at
        )
        .risk,
        Risk::Tight
    );
    assert_eq!(due_alerts(&same_due, &sent, at), []);
}

#[test]
fn changed_estimate_or_due_alerts_again() {
    let m = model(BASE, REPORT, "");
    let now = utc(2026, 11, 24, 9, 0);
    let mut sent = Vec::new();
    let a = due_alerts(&m, &sent, now);
    sent_all(&mut sent, &a, now);
    assert_eq!(due_alerts(&m, &sent, now), []);
    let more = model(BASE, &REPORT.replace("\"10h\"", "\"11h\""), "");
    assert_eq!(levels(&due_alerts(&more, &sent, now)), [Level::Tight]);
    let later = model(BASE, &REPORT.replace("T17:00Z", "T16:00Z"), "");
    assert_eq!(levels(&due_alerts(&later, &sent, now)), [Level::Tight]);
    let spent = model(
        BASE,
        &REPORT.replace("\"10h\"", "\"10h\",\"spent\":\"1h\""),
        "",
    );
    // 9 h left: 32 h − 9 h = 23 h of slack, still tight; new fingerprint.
    assert_eq!(levels(&due_alerts(&spent, &sent, now)), [Level::Tight]);
}

#[test]
fn done_and_dropped_never_alert() {
    let lines = [
        REPORT.replace("}", ",\"status\":\"done\"}"),
        REPORT
            .replace("d1", "d2")
            .replace("}", ",\"status\":\"dropped\"}"),
    ]
    .join("\n");
    let m = model(BASE, &lines, "");
    for now in [
        utc(2026, 11, 24, 9, 0),
        utc(2026, 11, 27, 9, 0),
        utc(2026, 11, 28, 9, 0),
    ] {
        assert_eq!(due_alerts(&m, &[], now), []);
    }
    assert_eq!(next_wakeup(&m, utc(2026, 11, 23, 9, 0)), None);
}

/// The example's made-up clients (`example = true`) never alert and never wake a watcher; a
/// client of your own beside them does.
#[test]
fn example_clients_never_alert() {
    let toml = format!(
        "{BASE}example = true\n\n[[clients]]\nid = \"mine\"\nname = \"Mine\"\nzone = \"UTC\"\n"
    );
    let fus = r#"{"id":"f1","client":"kanda","what":"Send revised quote","due":"2026-11-25"}"#;
    let m = model(&toml, REPORT, fus);
    let late = utc(2026, 11, 28, 9, 0);
    assert_eq!(due_alerts(&m, &[], late), []);
    assert_eq!(next_wakeup(&m, utc(2026, 11, 23, 9, 0)), None);
    let mine = REPORT.replace("kanda", "mine").replace("\"d1\"", "\"d2\"");
    let m = model(&toml, &format!("{REPORT}\n{mine}"), fus);
    let alerts = due_alerts(&m, &[], late);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].summary.contains("(Mine)"), "{alerts:?}");
}

#[test]
fn followups_alert_when_due_arrives() {
    let fus = [
        // Date-only: due during Wednesday 25th in my zone; arrives at 09:00 (my work start).
        r#"{"id":"f1","client":"kanda","who":"Sato-san","what":"Send revised quote","due":"2026-11-25"}"#,
        // Timed.
        r#"{"id":"f2","client":"kanda","what":"Call back","due":"2026-11-25T14:00Z"}"#,
        // Waiting: chase on Wednesday.
        r#"{"id":"f3","client":"kanda","who":"Sato-san","what":"Signed contract","due":"2026-11-25","waiting":true}"#,
        // Later, undated, done: never today.
        r#"{"id":"f4","what":"Later","due":"2026-11-27"}"#,
        r#"{"id":"f5","what":"Whenever"}"#,
        r#"{"id":"f6","what":"Done","due":"2026-11-25","status":"done"}"#,
    ]
    .join("\n");
    let m = model(BASE, "", &fus);
    let mut sent = Vec::new();
    let step = |now, sent: &mut Vec<SentEntry>| summaries(&send_due(&m, sent, now));
    assert!(step(utc(2026, 11, 25, 8, 59), &mut sent).is_empty());
    assert_eq!(
        step(utc(2026, 11, 25, 9, 0), &mut sent),
        [
            "Follow-up due: Send revised quote (Kanda Trading KK)",
            "Chase: Signed contract (Kanda Trading KK)"
        ]
    );
    assert!(step(utc(2026, 11, 25, 13, 59), &mut sent).is_empty());
    assert_eq!(
        step(utc(2026, 11, 25, 14, 0), &mut sent),
        ["Follow-up due: Call back (Kanda Trading KK)"]
    );
    assert!(step(utc(2026, 11, 26, 10, 0), &mut sent).is_empty());
    assert_eq!(sent.len(), 3);
    let chase = &sent[1];
    assert_eq!(chase.level, Level::Chase);
    assert!(
        chase
            .body
            .starts_with("You are waiting on Sato-san · chase date Wed 25 Nov"),
        "{}",
        chase.body
    );
    assert_eq!(sent[0].items[0].file, ItemFile::Followups);
    assert!(
        sent[0]
            .body
            .starts_with("For Sato-san · due Wed 25 Nov (today)"),
        "{}",
        sent[0].body
    );
}

#[test]
fn invoices_alert_when_due_and_payments_once_late() {
    let fus = [
        r#"{"id":"i1","client":"kanda","what":"Send invoice: Nov 2026 · JPY 450,000","due":"2026-11-25","bill":"invoice","amount":450000,"currency":"JPY"}"#,
        r#"{"id":"p1","client":"kanda","what":"Payment: Oct 2026 · JPY 450,000, invoiced 26 Oct","due":"2026-11-25","bill":"payment","amount":450000,"currency":"JPY"}"#,
    ]
    .join("\n");
    let m = model(BASE, "", &fus);
    let mut sent = Vec::new();
    let step = |now, sent: &mut Vec<SentEntry>| summaries(&send_due(&m, sent, now));
    // The invoice day: the invoice alerts; the payment due that day does not (yet).
    assert_eq!(
        step(utc(2026, 11, 25, 9, 0), &mut sent),
        ["Invoice to send: Nov 2026 · JPY 450,000 (Kanda Trading KK)"]
    );
    assert!(step(utc(2026, 11, 25, 16, 0), &mut sent).is_empty());
    // The day after, the payment is late: once, whatever the passes after.
    assert_eq!(
        step(utc(2026, 11, 26, 9, 0), &mut sent),
        ["Payment overdue: Oct 2026 · JPY 450,000, invoiced 26 Oct (Kanda Trading KK)"]
    );
    assert!(step(utc(2026, 11, 27, 9, 0), &mut sent).is_empty());
}

#[test]
fn snoozed_followups_wait_and_come_back() {
    let line = r#"{"id":"f1","what":"Send quote","due":"2026-11-25T10:00Z"}"#;
    let m = model(BASE, "", line);
    let now = utc(2026, 11, 25, 10, 0);
    let mut sent = Vec::new();
    let a = due_alerts(&m, &sent, now);
    assert_eq!(levels(&a), [Level::FollowupDue]);
    sent_all(&mut sent, &a, now);
    // Snoozed until 15:00: nothing while snoozed; again once the snooze ends.
    let snoozed = model(
        BASE,
        "",
        &line.replace("}", ",\"snoozed_until\":\"2026-11-25T15:00Z\"}"),
    );
    assert_eq!(due_alerts(&snoozed, &sent, utc(2026, 11, 25, 12, 0)), []);
    assert_eq!(
        next_wakeup(&snoozed, utc(2026, 11, 25, 12, 0)),
        Some(utc(2026, 11, 25, 15, 0))
    );
    assert_eq!(
        levels(&due_alerts(&snoozed, &sent, utc(2026, 11, 25, 15, 0))),
        [Level::FollowupDue]
    );
}

#[test]
fn quiet_hours_wrap_midnight_and_send_at_the_end() {
    // Brisbane (UTC+10, no daylight saving); quiet 22:00-07:00 local = 12:00-21:00 UTC.
    let toml = BASE.replace("zone = \"UTC\"", "zone = \"Australia/Brisbane\"")
        + "\n[alerts]\nquiet_hours = \"22:00-07:00\"\n";
    let fu = r#"{"id":"f1","what":"Send quote","due":"2026-11-25T13:00Z"}"#; // 23:00 local
    let m = model(&toml, "", fu);
    let s = &m.config.alerts;
    let me = &m.config.me;
    assert!(!is_quiet(s, me, utc(2026, 11, 25, 11, 59))); // 21:59
    assert!(is_quiet(s, me, utc(2026, 11, 25, 12, 0))); // 22:00
    assert!(is_quiet(s, me, utc(2026, 11, 25, 17, 0))); // 03:00
    assert!(is_quiet(s, me, utc(2026, 11, 25, 20, 59))); // 06:59
    assert!(!is_quiet(s, me, utc(2026, 11, 25, 21, 0))); // 07:00
    assert_eq!(
        next_send_time(s, me, utc(2026, 11, 25, 13, 0)),
        Some(utc(2026, 11, 25, 21, 0))
    );
    assert_eq!(
        next_send_time(s, me, utc(2026, 11, 25, 17, 0)),
        Some(utc(2026, 11, 25, 21, 0))
    );
    let noon = utc(2026, 11, 25, 2, 0);
    assert_eq!(next_send_time(s, me, noon), Some(noon));

    // Due at 23:00: held while quiet, the wake-up is the end of quiet hours.
    let at_due = utc(2026, 11, 25, 13, 0);
    assert_eq!(due_alerts(&m, &[], at_due), []);
    assert_eq!(pending_alerts(&m, &[], at_due).len(), 1);
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 25, 12, 30)),
        Some(utc(2026, 11, 25, 21, 0)),
        "a change inside quiet hours wakes at their end"
    );
    assert_eq!(
        next_wakeup(&m, at_due),
        Some(utc(2026, 11, 25, 21, 0)),
        "held alerts wake at the end"
    );

    // The Alerter holds it, then sends it once when quiet hours end.
    let (mut alerter, calls, dir) = fake_alerter(Ok(()));
    let r = alerter.pass(&m, at_due);
    assert_eq!((r.sent.len(), r.held.len()), (0, 1));
    assert_eq!(r.held_until, Some(utc(2026, 11, 25, 21, 0)));
    let r = alerter.pass(&m, utc(2026, 11, 25, 20, 0));
    assert_eq!((r.sent.len(), r.held.len()), (0, 1));
    let r = alerter.pass(&m, utc(2026, 11, 25, 21, 0));
    assert_eq!((r.sent.len(), r.held.len()), (1, 0));
    let r = alerter.pass(&m, utc(2026, 11, 25, 21, 5));
    assert_eq!((r.sent.len(), r.held.len()), (0, 0));
    assert_eq!(calls.lock().unwrap().len(), 1);
    assert_eq!(read_sent(dir.path()).unwrap().len(), 1);
}

#[test]
fn quiet_hours_that_do_not_wrap_and_whole_days() {
    let toml = BASE.to_string() + "\n[alerts]\nquiet_hours = \"12:00-13:00\"\n";
    let m = model(&toml, "", "");
    let (s, me) = (&m.config.alerts, &m.config.me);
    assert!(is_quiet(s, me, utc(2026, 11, 25, 12, 30)));
    assert!(!is_quiet(s, me, utc(2026, 11, 25, 13, 0)));
    assert_eq!(
        next_send_time(s, me, utc(2026, 11, 25, 12, 30)),
        Some(utc(2026, 11, 25, 13, 0))
    );
    let toml = BASE.to_string() + "\n[alerts]\nquiet_hours = \"00:00-24:00\"\n";
    let m = model(&toml, REPORT, "");
    let (s, me) = (&m.config.alerts, &m.config.me);
    assert!(is_quiet(s, me, utc(2026, 11, 25, 12, 30)));
    assert_eq!(next_send_time(s, me, utc(2026, 11, 25, 12, 30)), None);
    assert_eq!(due_alerts(&m, &[], utc(2026, 11, 28, 0, 0)), []);
    assert_eq!(next_wakeup(&m, utc(2026, 11, 23, 0, 0)), None);
}

#[test]
fn disabled_sends_nothing() {
    let toml = BASE.to_string() + "\n[alerts]\nenabled = false\n";
    let m = model(&toml, REPORT, "");
    let now = utc(2026, 11, 28, 0, 0);
    assert_eq!(due_alerts(&m, &[], now), []);
    assert_eq!(next_wakeup(&m, utc(2026, 11, 23, 0, 0)), None);
    assert_eq!(next_send_time(&m.config.alerts, &m.config.me, now), None);
    let (mut alerter, calls, dir) = fake_alerter(Ok(()));
    assert_eq!(alerter.pass(&m, now), PassReport::default());
    assert!(calls.lock().unwrap().is_empty());
    assert!(!dir.path().join(".tether/alerts.jsonl").exists());
}

fn deadline_line(id: &str, title: &str, due: &str, estimate: &str) -> String {
    format!(r#"{{"id":"{id}","title":"{title}","due":"{due}","estimate":"{estimate}"}}"#)
}

#[test]
fn first_run_flood_guard() {
    // First run on Wednesday 25th 12:00: three deadlines overdue for days, one follow-up due
    // three days ago, one deadline overdue for two hours, one at risk.
    let dl = [
        deadline_line("a", "Old A", "2026-11-20T17:00Z", "1h"),
        deadline_line("b", "Old B", "2026-11-19T17:00Z", "1h"),
        deadline_line("c", "Old C", "2026-11-23T17:00Z", "1h"),
        deadline_line("d", "Fresh D", "2026-11-25T10:00Z", "1h"),
        deadline_line("e", "Risky E", "2026-11-25T17:00Z", "8h"),
    ]
    .join("\n");
    let fu = r#"{"id":"f","what":"Old follow-up","due":"2026-11-22T09:00Z"}"#;
    let m = model(BASE, &dl, fu);
    let now = utc(2026, 11, 25, 12, 0);
    let a = due_alerts(&m, &[], now);
    assert_eq!(
        a.iter().map(|a| a.summary.as_str()).collect::<Vec<_>>(),
        [
            "Overdue: Fresh D",
            "At risk: Risky E",
            "3 deadlines overdue, 1 follow-up due"
        ]
    );
    let summary = &a[2];
    assert_eq!(summary.level, Level::Summary);
    assert_eq!(summary.urgency, Urgency::Critical);
    assert_eq!(summary.items.len(), 4);
    assert_eq!(
        summary.body.lines().next(),
        Some("Overdue: Old B, due Thu 19 Nov 17:00 UTC")
    );
    // Recorded: none of them alerts again, individually or otherwise.
    let mut sent = Vec::new();
    sent_all(&mut sent, &a, now);
    assert_eq!(due_alerts(&m, &sent, now), []);
    assert_eq!(due_alerts(&m, &sent, utc(2026, 11, 25, 14, 0)), []);

    // A single old item is no flood: it gets its own alert.
    let m = model(
        BASE,
        &deadline_line("a", "Old A", "2026-11-20T17:00Z", "1h"),
        "",
    );
    let a = due_alerts(&m, &[], now);
    assert_eq!(levels(&a), [Level::Overdue]);
    assert!(
        a[0].body
            .starts_with("Was due Fri 20 Nov 17:00 UTC (4d 19h ago) · 1h of work left"),
        "{}",
        a[0].body
    );
}

#[test]
fn at_most_five_notifications_per_pass() {
    let dl: Vec<String> = (0..7)
        .map(|i| {
            deadline_line(
                &format!("t{i}"),
                &format!("T{i}"),
                "2026-11-27T17:00Z",
                "10h",
            )
        })
        .collect();
    let m = model(BASE, &dl.join("\n"), "");
    let now = utc(2026, 11, 24, 9, 0);
    let a = due_alerts(&m, &[], now);
    assert_eq!(a.len(), 5);
    assert_eq!(&levels(&a)[..4], [Level::Tight; 4]);
    assert_eq!(a[4].summary, "3 deadlines tight");
    assert_eq!(a[4].urgency, Urgency::Normal);
    let mut sent = Vec::new();
    sent_all(&mut sent, &a, now);
    assert_eq!(due_alerts(&m, &sent, now), []);
    // Exactly five fit without a summary.
    let m = model(BASE, &dl[..5].join("\n"), "");
    assert_eq!(levels(&due_alerts(&m, &[], now)), [Level::Tight; 5]);
}

/// A timer left running: no alert while it counts; one, once, the moment the working day it
/// started in ends (me: 09:00-17:00 UTC); the wake-up is that moment.
#[test]
fn a_timer_left_running_alerts_once_when_the_day_ends() {
    let mut m = model(BASE, REPORT, "");
    let (log, diags) = crate::store::records::timelog::parse_timelog(
        r#"{"id":"t-1","deadline":"d1","start":"2026-11-24T10:15:00Z"}"#,
        &m.config,
    );
    assert!(diags.is_empty(), "{diags:?}");
    m.timelog = log;
    let mut sent = Vec::new();
    let step = |now: DateTime<Utc>, sent: &mut Vec<SentEntry>| {
        let a: Vec<Alert> = due_alerts(&m, sent, now)
            .into_iter()
            .filter(|a| a.level == Level::TimerRunning)
            .collect();
        sent_all(sent, &a, now);
        a
    };
    assert!(step(utc(2026, 11, 24, 17, 0), &mut sent).is_empty());
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 24, 16, 0)),
        Some(utc(2026, 11, 24, 17, 0) + Duration::seconds(1))
    );
    let a = step(utc(2026, 11, 24, 17, 1), &mut sent);
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(a[0].summary, "Timer still running: Report");
    assert_eq!(
        a[0].body,
        "Started 10:15; counted up to 17:00, the end of your working day, and no further (6h 45m) · stop it (t, or tether track stop) and say how long"
    );
    assert_eq!(a[0].items[0].file, ItemFile::Timelog);
    // The next pass, and the next morning: nothing more for this timer.
    assert!(step(utc(2026, 11, 24, 18, 0), &mut sent).is_empty());
    assert!(step(utc(2026, 11, 25, 9, 0), &mut sent).is_empty());
    // The record of sent alerts (alerts.jsonl) reads its item back: a later pass knows it.
    let dir = tempfile::tempdir().unwrap();
    crate::alerts::record::record_sent(dir.path(), &a[0], utc(2026, 11, 24, 17, 1)).unwrap();
    let back = crate::alerts::record::read_sent(dir.path()).unwrap();
    assert_eq!(back[0].items[0].file, ItemFile::Timelog);
    assert!(
        due_alerts(&m, &back, utc(2026, 11, 24, 18, 0))
            .iter()
            .all(|a| a.level != Level::TimerRunning)
    );
}

#[test]
fn next_wakeup_hand_computed() {
    let fu = [
        r#"{"id":"f1","what":"Timed","due":"2026-11-24T12:00Z"}"#,
        r#"{"id":"f2","what":"Dated","due":"2026-11-25"}"#,
    ]
    .join("\n");
    let m = model(BASE, REPORT, &fu);
    // Tight from the instant after Mon 15:00 (capacity to Fri 17:00 is then below 10 h + 24 h).
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 23, 10, 0)),
        Some(utc(2026, 11, 23, 15, 0) + Duration::seconds(1))
    );
    // Then the timed follow-up, the dated one at my work start, at risk, overdue.
    let t = utc(2026, 11, 23, 15, 0) + Duration::seconds(1);
    assert_eq!(next_wakeup(&m, t), Some(utc(2026, 11, 24, 12, 0)));
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 24, 12, 0)),
        Some(utc(2026, 11, 25, 9, 0))
    );
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 25, 9, 0)),
        Some(utc(2026, 11, 26, 15, 0) + Duration::seconds(1))
    );
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 26, 15, 0) + Duration::seconds(1)),
        Some(utc(2026, 11, 27, 17, 0))
    );
    assert_eq!(next_wakeup(&m, utc(2026, 11, 27, 17, 0)), None);

    // The instants agree with assess: the level changes exactly there, not a second earlier.
    let d = &m.deadlines.get(0).unwrap();
    let (me, al) = (&m.config.me, &m.config.alerts);
    let risk = |t| assess(d, me, al, t).risk;
    assert_eq!(risk(utc(2026, 11, 23, 15, 0)), Risk::Ok);
    assert_eq!(
        risk(utc(2026, 11, 23, 15, 0) + Duration::seconds(1)),
        Risk::Tight
    );
    assert_eq!(risk(utc(2026, 11, 26, 15, 0)), Risk::Tight);
    assert_eq!(
        risk(utc(2026, 11, 26, 15, 0) + Duration::seconds(1)),
        Risk::AtRisk
    );
}

#[test]
fn next_wakeup_never_skips_a_change() {
    // Walk a week in 10-minute steps across zones, holidays and a spring-forward night: between
    // now and next_wakeup(now), no deadline's risk changes.
    let toml = r#"
[me]
zone = "America/New_York"
work_hours = "08:30-17:30"
holidays = ["2026-03-10"]
[alerts]
warn_slack = "6h"
"#;
    let dl = [
        deadline_line("a", "A", "2026-03-12T12:00", "20h"),
        deadline_line("b", "B", "2026-03-09T10:00", "4h"),
        deadline_line("c", "C", "2026-03-13T17:00", "1h"),
    ]
    .join("\n");
    let m = model(toml, &dl, "");
    let (me, al) = (&m.config.me, &m.config.alerts);
    let risks = |t| {
        m.deadlines
            .iter()
            .map(|d| assess(&d, me, al, t).risk)
            .collect::<Vec<_>>()
    };
    let mut now = Utc.with_ymd_and_hms(2026, 3, 6, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 3, 14, 0, 0, 0).unwrap();
    let mut changes = 0;
    while now < end {
        let wake = next_wakeup(&m, now);
        let before = risks(now);
        let mut t = now + Duration::minutes(10);
        while t < end && wake.is_none_or(|w| t < w) {
            assert_eq!(
                risks(t),
                before,
                "changed at {t} before the wake-up {wake:?}"
            );
            t += Duration::minutes(10);
        }
        match wake {
            Some(w) if w < end => {
                if risks(w) != before {
                    changes += 1;
                }
                now = w;
            }
            _ => break,
        }
    }
    assert!(changes >= 5, "{changes}");
}

/// Issue 16: "an alert when a coming holiday makes a deadline tight". Your Christmas days
/// off (Queensland's public holidays, built in) take two working days from the week before a
/// deadline: it is at risk, and the alert says which days did it.
#[test]
fn a_coming_holiday_that_makes_a_deadline_tight_is_named_in_the_alert() {
    let toml = r#"
[me]
zone = "Australia/Brisbane"
work_hours = "08:30-17:30"
country = "AU"
region = "QLD"
[[clients]]
id = "brandt"
name = "Brandt Maschinenbau GmbH"
zone = "Europe/Berlin"
"#;
    let dl = r#"{"id":"d-1","client":"brandt","title":"Year-end release notes","due":"2026-12-29T09:00","estimate":"30h"}"#;
    let m = model(toml, dl, "");
    // Mon 21 Dec 09:00 AEST: Mon-Thu 9h + 9h + 9h + 9h, then Fri 25 and Mon 28 are holidays.
    let now = utc(2026, 12, 20, 23, 0);
    let a = due_alerts(&m, &[], now);
    assert_eq!(a.len(), 1, "{a:?}");
    assert!(
        a[0].body
            .ends_with("· your days off before it: Fri 25 Dec, Mon 28 Dec"),
        "{}",
        a[0].body
    );
    // Without the holidays, the same deadline would not be at risk yet.
    let plain = model(
        &toml.replace("country = \"AU\"\nregion = \"QLD\"\n", ""),
        dl,
        "",
    );
    let b = due_alerts(&plain, &[], now);
    assert!(b.iter().all(|x| !x.body.contains("days off")), "{b:?}");
    assert_ne!(
        a.first().map(|x| x.summary.clone()),
        b.first().map(|x| x.summary.clone())
    );
}

#[test]
fn texts_in_both_zones() {
    // The brief's example: Brisbane (AEST, UTC+10) working for Tokyo (JST, UTC+9).
    let toml = r#"
[me]
zone = "Australia/Brisbane"
work_hours = "08:30-17:30"
[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
"#;
    let dl = r#"{"id":"d-7f3a2c","client":"kanda","title":"Q3 market survey report","due":"2026-11-27T09:00","estimate":"14h","spent":"4h"}"#;
    let m = model(toml, dl, "");
    // Thu 26 Nov 10:00 AEST: 7 h 30 m today + 1 h 30 m on Friday (08:30-10:00 AEST).
    let now = utc(2026, 11, 26, 0, 0);
    let a = due_alerts(&m, &[], now);
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0].summary,
        "At risk: Q3 market survey report (Kanda Trading KK)"
    );
    assert_eq!(
        a[0].body,
        "Due Fri 27 Nov 09:00 JST = 10:00 AEST · needs 10h, you have 9h of working time · 1h short: plan extra hours or agree a new date now"
    );
    // Two days earlier it is tight, with the latest start: 8 h 30 m + 9 h + 9 h + 1 h 30 m.
    let now = utc(2026, 11, 23, 23, 0); // Tue 24 Nov 09:00 AEST
    let a = due_alerts(&m, &[], now);
    assert_eq!(
        a[0].summary,
        "Tight: Q3 market survey report (Kanda Trading KK)"
    );
    assert_eq!(
        a[0].body,
        "Due Fri 27 Nov 09:00 JST = 10:00 AEST · needs 10h, you have 28h of working time · start by Thu 26 Nov 09:00 AEST"
    );
    assert_eq!(a[0].one_line(), format!("{} — {}", a[0].summary, a[0].body));
}

#[test]
fn followup_text_with_send_window() {
    let toml = r#"
[me]
zone = "Australia/Brisbane"
[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
hours = "09:00-18:00"
"#;
    let fu = r#"{"id":"f1","client":"kanda","who":"Sato-san","what":"Send revised quote","due":"2026-11-25T08:00+10:00"}"#;
    let m = model(toml, "", fu);
    // Wed 25 Nov 08:00 AEST = 07:00 JST: Tokyo is still closed.
    let a = due_alerts(&m, &[], utc(2026, 11, 24, 22, 0));
    assert_eq!(a.len(), 1);
    assert_eq!(
        a[0].body,
        "For Sato-san · due Wed 25 Nov 07:00 JST = 08:00 AEST · Kanda Trading KK is closed; they open Wed 25 Nov 09:00 JST = 10:00 AEST"
    );
}

/// An Alerter with a fake sender returning `result`, recording the summaries it was asked to
/// send, on a fresh temporary data directory.
fn fake_alerter(
    result: Result<(), SendError>,
) -> (Alerter, Arc<Mutex<Vec<String>>>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let alerter = Alerter::new(dir.path()).with_sender(Box::new(move |a: &Alert, _| {
        seen.lock().unwrap().push(a.summary.clone());
        result.clone()
    }));
    (alerter, calls, dir)
}

#[test]
fn failed_delivery_is_not_recorded_and_retried() {
    let dl = [
        deadline_line("a", "A", "2026-11-25T10:00Z", "1h"),
        deadline_line("b", "B", "2026-11-25T11:00Z", "1h"),
    ]
    .join("\n");
    let m = model(BASE, &dl, "");
    let now = utc(2026, 11, 25, 12, 0);
    let (mut alerter, calls, dir) = fake_alerter(Err(SendError::NoBus(
        "DBUS_SESSION_BUS_ADDRESS unset".into(),
    )));
    let r = alerter.pass(&m, now);
    assert!(r.sent.is_empty());
    assert_eq!(r.not_sent.len(), 2);
    assert!(r.delivery_failed && r.retry_soon());
    assert_eq!(
        r.warning.as_deref(),
        Some(
            "desktop alerts unavailable: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset); 2 alerts not sent"
        )
    );
    assert_eq!(calls.lock().unwrap().len(), 1, "stops at the first failure");
    assert!(read_sent(dir.path()).unwrap().is_empty());

    // The desktop is back: both go out, once.
    let mut ok = Alerter::new(dir.path()).with_sender(Box::new(|_: &Alert, _| Ok(())));
    let r = ok.pass(&m, now);
    assert_eq!(r.sent.len(), 2);
    assert_eq!(r.warning, None);
    assert_eq!(ok.pass(&m, now).sent.len(), 0);
    let log = sent_log(dir.path());
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].summary, "Overdue: B", "newest first");
}

#[test]
fn record_round_trip_and_damage() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(BASE, REPORT, "");
    let now = utc(2026, 11, 27, 9, 0);
    let a = due_alerts(&m, &[], now);
    record_sent(dir.path(), &a[0], now).unwrap();
    let path = dir.path().join(".tether/alerts.jsonl");
    // Damage: a torn line and garbage; both are skipped, and the next record starts a new line.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("garbage\n{\"at\":\"2026-");
    std::fs::write(&path, text).unwrap();
    let later = utc(2026, 11, 27, 17, 0);
    let b = due_alerts(&m, &read_sent(dir.path()).unwrap(), later);
    assert_eq!(levels(&b), [Level::Overdue]);
    record_sent(dir.path(), &b[0], later).unwrap();
    let sent = read_sent(dir.path()).unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].at, now);
    assert_eq!(sent[0].items, a[0].items);
    assert_eq!(sent[1].level, Level::Overdue);
    assert_eq!(due_alerts(&m, &sent, later), []);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("}\n"));
    assert_eq!(text.lines().count(), 4);
}

/// The record is appended through the store's one append: a `.tether/alerts.jsonl` that is not
/// a plain file (here a named pipe) is refused at once instead of blocking the pass for ever
/// (the record's own append read it first), and a record with CRLF endings keeps them.
#[cfg(unix)]
#[test]
fn the_record_goes_through_the_stores_append() {
    let m = model(BASE, REPORT, "");
    let now = utc(2026, 11, 27, 9, 0);
    let alert = due_alerts(&m, &[], now).remove(0);

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join(".tether");
    std::fs::create_dir_all(&state).unwrap();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        state.join("alerts.jsonl"),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (path, a) = (dir.path().to_path_buf(), alert.clone());
    std::thread::spawn(move || {
        let _ = tx.send(record_sent(&path, &a, now).map_err(|e| e.to_string()));
    });
    let got = rx.recv_timeout(std::time::Duration::from_secs(10));
    let err = got
        .expect("recording into a named pipe blocked")
        .unwrap_err();
    assert!(err.contains("not a regular file"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".tether/alerts.jsonl");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"hand\":1}\r\n").unwrap();
    record_sent(dir.path(), &alert, now).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("{\"hand\":1}\r\n{") && text.ends_with("}\r\n"),
        "{text:?}"
    );
    assert_eq!(read_sent(dir.path()).unwrap().len(), 1);
}

/// A title, a client name and a person from synced data, with markup and terminal controls: what
/// goes on D-Bus shows them as text (issue 13).
#[test]
fn notifications_carry_no_markup_and_no_control_from_the_data() {
    let toml = BASE.replace(
        "name = \"Kanda Trading KK\"",
        "name = \"Kanda <a href='http://evil.example'>KK</a>\\u001b]52;c;aGk=\\u0007\"",
    );
    let deadline = r#"{"id":"d1","client":"kanda","title":"<b>Report</b> <img src=\"/tmp/x.png\"/> R&D\u001b[2J\r","due":"2026-11-27T17:00Z","estimate":"10h"}"#;
    let followup = r#"{"id":"f1","client":"kanda","what":"Call <i>Sato</i>\u009b1m","who":"<u>Sato</u>\u0007","due":"2026-11-27T10:00Z"}"#;
    let m = model(&toml, deadline, followup);
    let alerts = due_alerts(&m, &[], utc(2026, 11, 27, 18, 0));
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    for a in &alerts {
        // The test's data does reach the alert as written (so the wire form has work to do).
        assert!(
            a.summary.contains('<') && a.summary.contains('\u{1b}'),
            "{a:?}"
        );
        let (summary, body) = super::send::on_the_wire(a);
        assert!(!summary.chars().any(char::is_control), "{summary:?}");
        assert!(
            !body.chars().any(|c| c.is_control() && c != '\n'),
            "{body:?}"
        );
        for text in [&summary, &body] {
            assert!(!text.contains(['<', '>']), "markup on the wire: {text:?}");
        }
    }
    let wire: Vec<(String, String)> = alerts.iter().map(super::send::on_the_wire).collect();
    assert!(
        wire.iter()
            .any(|(s, _)| s.contains("‹b›Report‹/b› ‹img src=\"/tmp/x.png\"/› R&D[2J")),
        "{wire:?}"
    );
    assert!(
        wire.iter()
            .any(|(_, b)| b.contains("&lt;u&gt;Sato&lt;/u&gt;")),
        "{wire:?}"
    );
}

/// Issue 18: "send at their 09:00" snoozes a follow-up until then "and alerts you at that
/// moment". A snooze ending before the item is due reminds you once; its due still alerts later.
#[test]
fn a_snooze_that_ends_before_the_due_is_a_reminder() {
    let line = r#"{"id":"f1","client":"kanda","what":"Send quote","due":"2026-11-27T10:00Z","snoozed_until":"2026-11-25T00:00Z"}"#;
    let m = model(BASE, "", line);
    let mut sent = Vec::new();
    assert_eq!(due_alerts(&m, &sent, utc(2026, 11, 24, 23, 59)), []);
    assert_eq!(
        next_wakeup(&m, utc(2026, 11, 24, 23, 0)),
        Some(utc(2026, 11, 25, 0, 0))
    );
    let now = utc(2026, 11, 25, 0, 0);
    let a = due_alerts(&m, &sent, now);
    assert_eq!(levels(&a), [Level::Reminder]);
    assert!(
        a[0].summary.starts_with("Reminder: Send quote"),
        "{}",
        a[0].summary
    );
    sent_all(&mut sent, &a, now);
    assert_eq!(due_alerts(&m, &sent, utc(2026, 11, 25, 1, 0)), []);
    // The due arrives on Friday: that alerts as ever.
    assert_eq!(
        levels(&due_alerts(&m, &sent, utc(2026, 11, 27, 10, 0))),
        [Level::FollowupDue]
    );
    // An undated item snoozed to a time reminds too.
    let undated = model(
        BASE,
        "",
        r#"{"id":"f2","what":"Ask about the glossary","snoozed_until":"2026-11-25T00:00Z"}"#,
    );
    assert_eq!(levels(&due_alerts(&undated, &[], now)), [Level::Reminder]);
}

/// Issue 15 (docs/sync.md, "Alerts on two machines"): each machine keeps its own record of
/// alerts; both show an item once, and once it is handled on one (done, synced), neither
/// alerts again.
#[test]
fn two_machines_alert_once_each_and_stop_when_the_item_is_handled() {
    let line = r#"{"id":"f1","client":"kanda","what":"Send quote","due":"2026-11-25T10:00Z"}"#;
    let m = model(BASE, "", line);
    let now = utc(2026, 11, 25, 10, 0);
    let (mut desk, mut laptop) = (Vec::new(), Vec::new());
    for sent in [&mut desk, &mut laptop] {
        let a = due_alerts(&m, sent, now);
        assert_eq!(levels(&a), [Level::FollowupDue]);
        sent_all(sent, &a, now);
        assert_eq!(due_alerts(&m, sent, now + Duration::minutes(5)), []);
    }
    // Done on the desk; the sync brings the line to the laptop.
    let done = model(BASE, "", &line.replace("}", ",\"status\":\"done\"}"));
    let later = utc(2026, 11, 26, 10, 0);
    assert_eq!(due_alerts(&done, &laptop, later), []);
    assert_eq!(due_alerts(&done, &[], later), []);
}
