//! The line of a recurring item's next occurrence, written when one is done: the done line with
//! its due moved on by the rule (`domain::recur`), a new id, and what belonged to the occurrence
//! done (status, done_at, snoozed_until, spent, a merge conflict) left out. Every other field
//! keeps its bytes and order, so the next occurrence reads like the one the user wrote.
//!
//! The new id comes from the occurrence's id (or title) and the next due alone, not from the
//! clock or the machine: two machines that both mark the same occurrence done write the same
//! next line, which the merge keeps once (`store::threeway`), and a next occurrence already in
//! the file is not written again.

use super::line_edit::{FieldChange, edit_line};
use crate::domain::ids::new_id;
use crate::domain::model::{Config, Deadline, Followup, FollowupDue};
use crate::domain::schedule::Schedule;
use crate::domain::when::stamp;
#[cfg(test)]
use chrono::TimeZone;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The next occurrence of a recurring item.
#[derive(Debug, Clone, PartialEq)]
pub struct NextOccurrence {
    pub id: String,
    /// Its line, to append to the item's file.
    pub line: String,
    /// When it is due: a date (a date-only due) or an instant.
    pub due: NextDue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDue {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

/// What goes with the occurrence that was done, not with the next one.
const OCCURRENCE_FIELDS: [&str; 5] = [
    "status",
    "done_at",
    "snoozed_until",
    "spent",
    "merge_conflict",
];

/// The next occurrence of deadline `d` (None: it does not repeat, or its line is not known).
pub fn next_deadline(d: &Deadline, config: &Config) -> Option<Result<NextOccurrence, String>> {
    let rule = d.every.as_deref()?;
    let client = d.client.as_deref().and_then(|id| config.client(id));
    let schedule = client.map(Schedule::of_client);
    let works = |day| schedule.as_ref().is_none_or(|s| s.works_on(day));
    let works: Option<&dyn Fn(NaiveDate) -> bool> = Some(&works);
    Some(next_of(
        &d.origin.text,
        "d",
        d.id.as_deref().unwrap_or(&d.title),
        d.zone,
        |local_date| {
            // A date-only due stays one; else the same wall-clock time in its zone.
            match local_date {
                true => rule
                    .next_date(d.due.with_timezone(&d.zone).date_naive(), works)
                    .map(NextDue::Day),
                false => rule.next_due(d.due, d.zone, works).map(NextDue::At),
            }
        },
    ))
}

/// The next occurrence of follow-up `f`.
pub fn next_followup(f: &Followup, config: &Config) -> Option<Result<NextOccurrence, String>> {
    let rule = f.every.as_deref()?;
    let client = f.client.as_deref().and_then(|id| config.client(id));
    let zone = f.zone;
    let schedule = client.map(Schedule::of_client);
    let works = |day| schedule.as_ref().is_none_or(|s| s.works_on(day));
    let works: Option<&dyn Fn(NaiveDate) -> bool> = Some(&works);
    let Some(due) = f.due else {
        return Some(Err(
            "a repeating follow-up needs a \"due\" to count from".into()
        ));
    };
    Some(next_of(
        &f.origin.text,
        "f",
        f.id.as_deref().unwrap_or(&f.what),
        zone,
        |_| match due {
            FollowupDue::Day(day) => rule.next_date(day, works).map(NextDue::Day),
            FollowupDue::At(at) => rule.next_due(at, zone, works).map(NextDue::At),
        },
    ))
}

fn next_of(
    text: &str,
    prefix: &str,
    series: &str,
    zone: Tz,
    next: impl FnOnce(bool) -> Option<NextDue>,
) -> Result<NextOccurrence, String> {
    if text.is_empty() {
        return Err("its line is not known (reload and try again)".into());
    }
    let written: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("its line does not read: {e}"))?;
    let date_only = written
        .get("due")
        .and_then(|v| v.as_str())
        .is_some_and(|s| s.trim().len() == 10);
    let due = next(date_only).ok_or("the rule gives no later date")?;
    let due_text = match due {
        NextDue::Day(d) => d.format("%Y-%m-%d").to_string(),
        NextDue::At(t) => stamp(t, zone),
    };
    let id = new_id(
        prefix,
        DateTime::<Utc>::UNIX_EPOCH,
        &format!("{series}\n{due_text}"),
        "every",
    );
    let mut changes: Vec<FieldChange> = OCCURRENCE_FIELDS
        .iter()
        .filter(|k| written.contains_key(**k))
        .map(|k| FieldChange::remove(*k))
        .collect();
    changes.push(FieldChange::set("id", id.clone()));
    changes.push(FieldChange::set("due", due_text));
    let line = edit_line(text, &changes).map_err(|e| e.to_string())?;
    Ok(NextOccurrence { id, line, due })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::config::parse_config;
    use crate::store::records::{parse_deadlines, parse_followups};

    const CONFIG: &str = "[me]\nzone = \"Australia/Brisbane\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nholidays = [\"2026-12-25\"]\n";

    #[test]
    fn the_next_deadline_keeps_the_line_but_its_due_id_and_what_was_done() {
        let (config, _) = parse_config(CONFIG);
        let line = r#"{"id":"d-monthly","client":"kanda","title":"Monthly report","due":"2026-11-25T18:00","estimate":"3h","spent":"1h","every":"month on 25","on_holiday":"before","status":"open"}"#;
        let (ds, diags) = parse_deadlines(&format!("{line}\n"), &config);
        assert!(diags.is_empty(), "{diags:?}");
        let next = next_deadline(&ds[0], &config).unwrap().unwrap();
        // 25 December is a holiday at Kanda: the day before, 18:00 in Tokyo.
        assert_eq!(
            next.line,
            format!(
                r#"{{"id":"{}","client":"kanda","title":"Monthly report","due":"2026-12-24T18:00:00+09:00","estimate":"3h","every":"month on 25","on_holiday":"before"}}"#,
                next.id
            )
        );
        assert!(next.id.starts_with("d-"));
        // The same occurrence done twice (two machines) gives the same next line.
        assert_eq!(next_deadline(&ds[0], &config).unwrap().unwrap(), next);
        // And the next one reads back, repeating.
        let (again, diags) = parse_deadlines(&format!("{}\n", next.line), &config);
        assert!(diags.is_empty(), "{diags:?}");
        let after = next_deadline(&again[0], &config).unwrap().unwrap();
        assert_eq!(
            after.due,
            NextDue::At(
                Tz::Asia__Tokyo
                    .with_ymd_and_hms(2027, 1, 25, 18, 0, 0)
                    .unwrap()
                    .to_utc()
            )
        );
        assert_ne!(after.id, next.id);
    }

    #[test]
    fn a_date_only_follow_up_stays_a_date_and_one_without_every_has_no_next() {
        let (config, _) = parse_config(CONFIG);
        let text = "{\"client\":\"kanda\",\"what\":\"Weekly call with Sato-san\",\"due\":\"2026-12-01\",\"every\":\"week on tue\",\"snoozed_until\":\"2026-12-01T15:00+10:00\"}\n{\"what\":\"Once\",\"due\":\"2026-12-01\"}\n";
        let (fs, diags) = parse_followups(text, &config);
        assert!(diags.is_empty(), "{diags:?}");
        let next = next_followup(&fs[0], &config).unwrap().unwrap();
        assert_eq!(
            next.due,
            NextDue::Day(NaiveDate::from_ymd_opt(2026, 12, 8).unwrap())
        );
        assert!(!next.line.contains("snoozed_until"), "{}", next.line);
        assert!(
            next.line.contains("\"due\":\"2026-12-08\""),
            "{}",
            next.line
        );
        assert!(next_followup(&fs[1], &config).is_none());
    }

    #[test]
    fn a_rule_that_does_not_read_is_a_warning_and_the_item_is_kept() {
        let (config, _) = parse_config(CONFIG);
        let text = "{\"what\":\"Call\",\"due\":\"2026-12-01\",\"every\":\"fortnightly\"}\n{\"what\":\"Call\",\"due\":\"2026-12-01\",\"every\":\"week\",\"on_holiday\":\"later\"}\n";
        let (fs, diags) = parse_followups(text, &config);
        assert_eq!(fs.len(), 2);
        assert!(fs[0].every.is_none());
        assert!(
            diags[0].line == 1
                && diags[0]
                    .message
                    .contains("\"every\": cannot read \"fortnightly\""),
            "{diags:?}"
        );
        assert!(
            diags[1].line == 2 && diags[1].message.contains("\"before\""),
            "{diags:?}"
        );
        assert!(fs[1].every.is_some());
    }
}
