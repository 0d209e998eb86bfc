#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use super::*;
use crate::domain::time::parse_duration;
use crate::store::load::load_dir;
use chrono::TimeZone;

const CONFIG: &str = r#"[me]
zone = "Australia/Brisbane"

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
hours = "09:00-18:00"

[[clients.milestones]]
name = "Design sign-off"
due = "2026-12-15"
amount = 1200000
currency = "JPY"
estimate = "12h"

[[clients.milestones]]
name = "Kick-off"
due = "2026-11-01"

[[clients]]
id = "acme"
name = "Acme (made up)"
zone = "Europe/Berlin"
example = true

[[clients.milestones]]
name = "Pilot"
due = "2026-12-20"
"#;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap()
}

fn setup(config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("tether.toml"), config).unwrap();
    tmp
}

fn lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("deadlines.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_coming_milestone_is_written_once_as_a_deadline_ending_their_business_day() {
    let tmp = setup(CONFIG);
    let dir = tmp.path();
    let first = load_dir(dir);
    assert_eq!(first.errors(), 0);
    let w = write_milestone_deadlines(dir, &first.model, now()).unwrap();
    assert_eq!(
        w.added,
        ["Design sign-off (Kanda Trading KK, due 2026-12-15)"]
    );
    let id = deadline_id("kanda", "Design sign-off");
    assert_eq!(
        lines(dir),
        [format!(
            "{{\"id\":\"{id}\",\"client\":\"kanda\",\"title\":\"Design sign-off\",\"due\":\"2026-12-15\",\"estimate\":\"12h\",\"milestone\":true}}"
        )]
    );
    // It loads as any deadline, without a word: due at the end of Kanda's day (18:00 JST).
    let loaded = load_dir(dir);
    assert_eq!(loaded.problems().total(), 0, "{:?}", loaded.diagnostics);
    let d = &loaded.model.deadlines.get(0).unwrap();
    assert_eq!(d.id.as_deref(), Some(id.as_str()));
    assert_eq!(d.due, Utc.with_ymd_and_hms(2026, 12, 15, 9, 0, 0).unwrap());
    assert_eq!(d.estimate, Some(Duration::hours(12)));
    // Again, from the new data or from the data loaded before the write: nothing.
    let none = MilestoneWrites::default();
    assert_eq!(
        write_milestone_deadlines(dir, &loaded.model, now()).unwrap(),
        none
    );
    assert_eq!(
        write_milestone_deadlines(dir, &first.model, now()).unwrap(),
        none
    );
    assert_eq!(lines(dir).len(), 1);
    // The append is journalled: undo takes it back.
    Store::new(dir).undo_last(now()).unwrap().expect("undone");
    assert!(lines(dir).is_empty());
}

#[test]
fn the_open_deadline_follows_tether_toml_and_a_done_one_is_left_alone() {
    let tmp = setup(CONFIG);
    let dir = tmp.path();
    write_milestone_deadlines(dir, &load_dir(dir).model, now()).unwrap();
    // Moved to the 18th, and more work than thought.
    let moved = CONFIG
        .replace("due = \"2026-12-15\"", "due = \"2026-12-18\"")
        .replace("\"12h\"", "\"16h\"");
    std::fs::write(dir.join("tether.toml"), &moved).unwrap();
    let w = write_milestone_deadlines(dir, &load_dir(dir).model, now()).unwrap();
    assert_eq!(
        w.updated,
        ["Design sign-off (Kanda Trading KK, due 2026-12-18)"]
    );
    assert!(w.added.is_empty());
    let loaded = load_dir(dir);
    assert_eq!(loaded.model.deadlines.len(), 1);
    let d = &loaded.model.deadlines.get(0).unwrap();
    assert_eq!(d.due, Utc.with_ymd_and_hms(2026, 12, 18, 9, 0, 0).unwrap());
    assert_eq!(d.estimate, Some(Duration::hours(16)));
    assert_eq!(
        write_milestone_deadlines(dir, &loaded.model, now()).unwrap(),
        MilestoneWrites::default()
    );
    // A time set on that day by hand is kept.
    let text = std::fs::read_to_string(dir.join("deadlines.jsonl")).unwrap();
    std::fs::write(
        dir.join("deadlines.jsonl"),
        text.replace("\"2026-12-18\"", "\"2026-12-18T12:00\""),
    )
    .unwrap();
    let loaded = load_dir(dir);
    assert_eq!(
        write_milestone_deadlines(dir, &loaded.model, now()).unwrap(),
        MilestoneWrites::default()
    );
    // Done: moving the milestone again leaves the line as it is.
    let d = &loaded.model.deadlines.get(0).unwrap();
    Store::new(dir)
        .rewrite(
            DataFile::Deadlines,
            d.id.as_deref(),
            &d.origin.text,
            &[FieldChange::set("status", "done")],
            "x",
            now(),
        )
        .unwrap();
    let before = lines(dir);
    std::fs::write(
        dir.join("tether.toml"),
        moved.replace("due = \"2026-12-18\"", "due = \"2026-12-22\""),
    )
    .unwrap();
    assert_eq!(
        write_milestone_deadlines(dir, &load_dir(dir).model, now()).unwrap(),
        MilestoneWrites::default()
    );
    assert_eq!(lines(dir), before);
}

#[test]
fn a_renamed_milestone_is_a_new_deadline_and_the_old_one_stays() {
    let tmp = setup(CONFIG);
    let dir = tmp.path();
    write_milestone_deadlines(dir, &load_dir(dir).model, now()).unwrap();
    std::fs::write(
        dir.join("tether.toml"),
        CONFIG.replace("Design sign-off", "Design approval"),
    )
    .unwrap();
    let w = write_milestone_deadlines(dir, &load_dir(dir).model, now()).unwrap();
    assert_eq!(w.added.len(), 1);
    let ids: Vec<Option<String>> = load_dir(dir)
        .model
        .deadlines
        .iter()
        .map(|d| d.id.as_deref().map(str::to_string))
        .collect();
    assert_eq!(
        ids,
        [
            Some(deadline_id("kanda", "Design sign-off")),
            Some(deadline_id("kanda", "Design approval"))
        ]
    );
}

#[test]
fn estimates_are_written_as_they_read_back() {
    for s in ["12h", "1h30m", "45m", "0m", "1h0m5s", "2d", "90m"] {
        let d = parse_duration(s).unwrap();
        assert_eq!(parse_duration(&duration_text(d)).unwrap(), d, "{s}");
    }
    assert_eq!(duration_text(Duration::minutes(90)), "1h30m");
    assert_eq!(duration_text(Duration::hours(48)), "48h");
}

#[test]
fn the_marker_is_a_known_key_of_deadlines() {
    let tmp = setup(CONFIG);
    let config = load_dir(tmp.path()).model.config;
    let (d, diags) = crate::store::records::parse_deadlines(
        r#"{"title":"T","due":"2026-12-15","milestone":true,"milestne":true}"#,
        &config,
    );
    assert_eq!(d.len(), 1);
    let said: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        said,
        ["unknown field \"milestne\" (did you mean \"milestone\"?); it is kept but ignored"]
    );
}
