//! `holidays_ics` (issue 16): a client's holiday calendar file closes the days of its events,
//! all-day spans whole and yearly repeats every year, and is read again live when it changes,
//! as tether.toml is. A missing or broken calendar is named, and nothing else is lost.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::NaiveDate;
use std::sync::Arc;
use tether::domain::schedule::Schedule;
use tether::store::load::load_dir;
use tether::store::reload::Reloader;

const CONFIG: &str = r#"[me]
zone = "Australia/Brisbane"

[[clients]]
id = "kanda"
zone = "Asia/Tokyo"
holidays_ics = "kanda-holidays.ics"
"#;

fn calendar(extra: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kanda//Holidays//JA\r\n\
         BEGIN:VEVENT\r\nUID:obon-2027\r\nDTSTART;VALUE=DATE:20270813\r\nDTEND;VALUE=DATE:20270817\r\nSUMMARY:Obon closure\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:founders\r\nDTSTART;VALUE=DATE:20260601\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Founders' day\r\nEND:VEVENT\r\n\
         {extra}END:VCALENDAR\r\n"
    )
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn closed(loaded: &tether::store::load::Loaded, d: NaiveDate) -> bool {
    let c = &loaded.model.config.clients[0];
    !Schedule::of_client(c).works_on(d)
}

#[test]
fn the_calendars_days_close_and_a_change_to_it_is_read_live() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("tether.toml"), CONFIG).unwrap();
    std::fs::write(dir.join("kanda-holidays.ics"), calendar("")).unwrap();
    let loaded = load_dir(dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    // Friday 13 to Monday 16 August 2027 (DTEND is the day after); Tuesday 17 is open.
    assert!(closed(&loaded, date(2027, 8, 13)) && closed(&loaded, date(2027, 8, 16)));
    assert!(!closed(&loaded, date(2027, 8, 17)));
    // Yearly: 1 June 2027 (a Tuesday) and 2028 (a Thursday).
    assert!(closed(&loaded, date(2027, 6, 1)) && closed(&loaded, date(2028, 6, 1)));
    assert!(!closed(&loaded, date(2027, 6, 2)));

    let (mut r, l) = Reloader::load(dir);
    let mut shared = Arc::new(l);
    assert!(!closed(&shared, date(2027, 9, 1)));
    std::fs::write(
        dir.join("kanda-holidays.ics"),
        calendar("BEGIN:VEVENT\r\nUID:move\r\nDTSTART;VALUE=DATE:20270901\r\nSUMMARY:Office move\r\nEND:VEVENT\r\n"),
    )
    .unwrap();
    // A changed stamp on a file of the same size within the same second still differs by
    // length here: the event makes the file longer.
    assert!(r.stale(), "the reloader did not see the calendar change");
    r.reload(&mut shared);
    assert!(closed(&shared, date(2027, 9, 1)));
}

#[test]
fn a_missing_or_broken_calendar_is_named_and_the_rest_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("tether.toml"), CONFIG).unwrap();
    let loaded = load_dir(dir);
    assert_eq!(loaded.model.config.clients.len(), 1);
    let d = &loaded.diagnostics[0];
    assert_eq!(d.file, "kanda-holidays.ics");
    assert!(
        d.message
            .contains("holidays_ics of client \"kanda\": cannot read")
            && d.message.contains("fix the path in tether.toml"),
        "{d:?}"
    );
    std::fs::write(dir.join("kanda-holidays.ics"), "not a calendar\n").unwrap();
    let loaded = load_dir(dir);
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("not an iCalendar file"),
        "{:?}",
        loaded.diagnostics
    );
    assert!(!closed(&loaded, date(2027, 8, 13)));
}
