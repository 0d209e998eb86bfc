//! The filter finds a client's rows in every pane by what is known of the client: its name,
//! city, champion, and the names of the people logged as its contacts (issue 14).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::Path;
use tether::app::files::Files;
use tether::app::state::App;
use tether::domain::board::{Board, BoardFilter};
use tether::domain::model::Model;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .unwrap()
        .with_timezone(&Utc)
}

/// The example's clients; a deadline, a follow-up and contacts of Brandt (Stuttgart, champion
/// Herr Vogel, contact Frau Keller) and of Kanda (Tokyo).
fn data() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
    std::fs::copy(src.join("tether.toml"), dir.join("tether.toml")).unwrap();
    std::fs::write(
        dir.join("deadlines.jsonl"),
        concat!(
            r#"{"id":"d-1","client":"brandt","title":"Release notes 4.2","due":"2026-11-30T17:00","estimate":"3h","status":"open"}"#,
            "\n",
            r#"{"id":"d-2","client":"kanda","title":"Survey report","due":"2026-11-30T17:00","estimate":"3h","status":"open"}"#,
            "\n",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("followups.jsonl"),
        concat!(
            r#"{"id":"f-1","client":"brandt","what":"Ask about the test rig","due":"2026-11-27","status":"open"}"#,
            "\n",
            r#"{"id":"f-2","client":"kanda","what":"Send the quote","due":"2026-11-27","status":"open"}"#,
            "\n",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("interactions.jsonl"),
        concat!(
            r#"{"at":"2026-11-10T10:00+01:00","client":"brandt","kind":"call","who":"Frau Keller","note":"Test rig"}"#,
            "\n",
            r#"{"at":"2026-11-12T10:00+09:00","client":"kanda","kind":"visit","who":"Sato-san"}"#,
            "\n",
        ),
    )
    .unwrap();
    tmp
}

/// The client ids of each pane's rows: deadlines, heat, follow-ups.
fn panes(b: &Board, m: &Model) -> [Vec<String>; 3] {
    [
        b.deadlines
            .iter()
            .filter_map(|r| r.of(m)?.client.as_deref().map(String::from))
            .collect(),
        b.heat.iter().map(|r| r.client.id.clone()).collect(),
        b.followups
            .iter()
            .filter_map(|r| r.of(m)?.client.as_deref().map(String::from))
            .collect(),
    ]
}

fn filtered(app: &mut App, text: &str) -> [Vec<String>; 3] {
    app.filter = BoardFilter {
        text: text.into(),
        show_closed: false,
    };
    app.refresh(t0());
    let m = &app.loaded.model;
    let live = panes(&app.board, m);
    let scratch = panes(&Board::compute(m, &app.filter, app.now), m);
    assert_eq!(
        live, scratch,
        "{text:?}: the dashboard and a fresh board differ"
    );
    live
}

#[test]
fn a_client_is_found_by_name_city_champion_and_contact_in_every_pane() {
    let tmp = data();
    let (_files, mut app) = Files::open(tmp.path(), t0());
    let brandt = || ["brandt".to_string()];
    for text in [
        "brandt maschinen", // name
        "STUTTGART",        // city
        "vogel",            // champion
        "keller",           // a contact's name, only in interactions.jsonl
    ] {
        let [d, h, f] = filtered(&mut app, text);
        assert_eq!(d, brandt(), "{text:?}: deadlines");
        assert_eq!(h, brandt(), "{text:?}: heat");
        assert_eq!(f, brandt(), "{text:?}: follow-ups");
    }
    // A row's own words still find only that row.
    let [d, h, f] = filtered(&mut app, "test rig");
    assert!(d.is_empty() && h.is_empty(), "{d:?} {h:?}");
    assert_eq!(f, brandt());
}

#[test]
fn a_contact_logged_while_filtered_finds_its_client() {
    let tmp = data();
    let (mut files, mut app) = Files::open(tmp.path(), t0());
    let [d, _, _] = filtered(&mut app, "tanaka-san");
    assert!(d.is_empty(), "{d:?}");
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .open(tmp.path().join("interactions.jsonl"))
        .unwrap();
    writeln!(
        log,
        r#"{{"at":"2026-11-24T10:00+09:00","client":"kanda","kind":"email","who":"Tanaka-san"}}"#
    )
    .unwrap();
    assert!(files.sync(&mut app, t0()).any());
    let kanda = vec!["kanda".to_string()];
    assert_eq!(
        panes(&app.board, &app.loaded.model),
        [kanda.clone(), kanda.clone(), kanda]
    );
}
