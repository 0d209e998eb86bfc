//! `t` (issue 17) on the dashboard, without a terminal: it starts a timer on the selected
//! deadline, the deadline's remaining work falls as the clock runs, `t` again stops it, `u`
//! takes the stop and then the start back (the time counted once, then not at all), and `t` on
//! another deadline stops the running timer before starting the new one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Duration, Utc};
use tether::domain::timelog::running;

/// Wed 25 Nov 2026 10:00 in Brisbane (the example's zone; hours 08:30-17:30).
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T10:00:00+10:00")
        .expect("now")
        .with_timezone(&Utc)
}

#[path = "support/keys.rs"]
mod keys;

type Fixture = keys::Keys;

fn fixture() -> Fixture {
    Fixture::example(start())
}

trait Timer {
    fn timelog_lines(&self) -> Vec<String>;
    fn selected(&self) -> (String, Duration);
}

impl Timer for Fixture {
    fn timelog_lines(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("timelog.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
    fn selected(&self) -> (String, Duration) {
        let (r, d) = self.app.selected_deadline_record().expect("a deadline");
        (
            d.id.as_deref().unwrap_or_default().to_string(),
            r.risk.remaining,
        )
    }
}

#[test]
fn t_starts_and_stops_the_timer_and_u_takes_it_back() {
    let mut f = fixture();
    f.press("2");
    // A deadline with more than 3 hours of work left.
    for _ in 0..10 {
        if f.selected().1 > Duration::hours(3) {
            break;
        }
        f.press("j");
    }
    let (id, before) = f.selected();
    assert!(before > Duration::hours(3), "{before:?}");
    f.press("t");
    let lines = f.timelog_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&format!("\"deadline\":\"{id}\""))
            && lines[0].contains("\"start\":\"2026-11-25T10:00:00+10:00\""),
        "{lines:?}"
    );
    assert!(running(&f.app.loaded.model.timelog).is_some());
    // An hour and 12 minutes later the work left is that much less, at once.
    f.at(start() + Duration::minutes(72));
    assert_eq!(f.selected(), (id.clone(), before - Duration::minutes(72)));
    f.press("t");
    let lines = f.timelog_lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].starts_with("{\"stop\":\"t-"), "{lines:?}");
    assert!(running(&f.app.loaded.model.timelog).is_none());
    // Stopped: the time stays counted, once, however long after.
    f.at(start() + Duration::hours(3));
    assert_eq!(f.selected().1, before - Duration::minutes(72));
    // Undo the stop: it runs again (counted up to now).
    f.press("u");
    assert_eq!(f.timelog_lines().len(), 1);
    assert_eq!(f.selected().1, before - Duration::hours(3));
    // Undo the start: nothing is counted.
    f.press("u");
    assert!(f.timelog_lines().is_empty());
    assert_eq!(f.selected().1, before);
}

#[test]
fn t_on_another_deadline_switches_the_timer() {
    let mut f = fixture();
    f.press("2");
    let (first, _) = f.selected();
    f.press("t");
    f.at(start() + Duration::minutes(30));
    f.press("j");
    let (second, _) = f.selected();
    assert_ne!(first, second);
    f.press("t");
    let lines = f.timelog_lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].starts_with("{\"stop\":"), "{lines:?}");
    assert!(
        lines[1].contains("\"at\":\"2026-11-25T10:30:00+10:00\""),
        "{lines:?}"
    );
    assert!(
        lines[2].contains(&format!("\"deadline\":\"{second}\"")),
        "{lines:?}"
    );
    let e = running(&f.app.loaded.model.timelog).expect("running");
    assert_eq!(
        e.on,
        tether::domain::model::TimeOn::Deadline(second.to_string())
    );
}

#[test]
fn t_on_a_client_row_times_the_client() {
    let mut f = fixture();
    f.press("3");
    let client = f.app.selected_heat().expect("a client").client.id.clone();
    f.press("t");
    let lines = f.timelog_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&format!("\"client\":\"{client}\"")),
        "{lines:?}"
    );
    // Not in the follow-ups pane: nothing.
    f.press("4");
    f.press("t");
    assert_eq!(f.timelog_lines().len(), 1);
}

#[test]
fn t_on_a_timer_left_over_night_stops_it_at_the_end_of_that_day_and_says_so() {
    let mut f = fixture();
    f.press("2");
    // Wed 25 Nov 16:00 Brisbane; the example's hours end at 17:30.
    let four = start() + Duration::hours(6);
    f.at(four);
    let (_, before) = f.selected();
    f.press("t");
    // Thursday 09:00: counted to 17:30 only.
    let next = four + Duration::hours(17);
    f.at(next);
    assert_eq!(f.selected().1, before - Duration::minutes(90));
    f.press("t");
    let msg = f.app.message.clone().expect("message").0;
    assert!(
        msg.contains("at the end of that working day (17:30)"),
        "{msg}"
    );
    let lines = f.timelog_lines();
    assert!(
        lines[1].contains("\"at\":\"2026-11-25T17:30:00+10:00\""),
        "{lines:?}"
    );
    assert_eq!(f.selected().1, before - Duration::minutes(90));
}
