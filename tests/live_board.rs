//! The dashboard's board, kept up to date piecemeal (minute ticks, appended lines, filters), is
//! the board computed from scratch — heat aside, which may lag the clock by under an hour.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Duration, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};
use tether::app::files::Files;
use tether::app::state::App;
use tether::domain::board::{Board, BoardFilter};

fn example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
    for f in [
        "tether.toml",
        "deadlines.jsonl",
        "followups.jsonl",
        "interactions.jsonl",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    (tmp, dir)
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn scratch(app: &App) -> Board {
    Board::compute(&app.loaded.model, &app.filter, app.now)
}

/// Everything equal, heat included.
fn same(app: &App) {
    let b = scratch(app);
    assert_eq!(format!("{:?}", app.board), format!("{b:?}"));
    assert_eq!(
        app.hidden_snoozed,
        Board::hidden_snoozed(&app.loaded.model, app.now)
    );
}

/// Equal but for the heat values (computed up to an hour before); what follows the clock in the
/// heat pane (days since, cadence flags) is exact.
fn same_but_heat_values(app: &App) {
    let b = scratch(app);
    assert_eq!(
        format!("{:?}", app.board.deadlines),
        format!("{:?}", b.deadlines)
    );
    assert_eq!(
        format!("{:?}", app.board.followups),
        format!("{:?}", b.followups)
    );
    assert_eq!(format!("{:?}", app.board.clocks), format!("{:?}", b.clocks));
    let mut mine: Vec<_> = app
        .board
        .heat
        .iter()
        .map(|h| (&h.client.id, &h.heat))
        .collect();
    let mut theirs: Vec<_> = b.heat.iter().map(|h| (&h.client.id, &h.heat)).collect();
    mine.sort_by_key(|x| x.0);
    theirs.sort_by_key(|x| x.0);
    assert_eq!(mine.len(), theirs.len());
    for ((a, x), (b, y)) in mine.into_iter().zip(theirs) {
        assert_eq!(a, b);
        assert!(
            (x.heat - y.heat).abs() < 0.1,
            "{a}: {} vs {}",
            x.heat,
            y.heat
        );
        assert_eq!(
            (
                x.days_since_contact,
                x.days_since_visit,
                x.contact_overdue,
                x.visit_overdue
            ),
            (
                y.days_since_contact,
                y.days_since_visit,
                y.contact_overdue,
                y.visit_overdue
            )
        );
    }
}

#[test]
fn minutes_hours_and_days_later() {
    let (_tmp, dir) = example();
    let (_files, mut app) = Files::open(&dir, t0());
    same(&app);
    let mut t = t0();
    // Every few minutes through a day and a half: sections change, risks move, dates turn.
    for _ in 0..300 {
        t += Duration::minutes(7);
        app.refresh(t);
        same_but_heat_values(&app);
    }
    // Two hours on: heat is recomputed.
    app.refresh(t + Duration::hours(2));
    same(&app);
    // Back in time (a fixed clock moved by hand): everything from scratch.
    app.refresh(t0());
    same(&app);
}

#[test]
fn filters_and_closed_items() {
    let (_tmp, dir) = example();
    let (_files, mut app) = Files::open(&dir, t0());
    for (text, closed) in [
        ("kanda", false),
        ("kanda", true),
        ("", true),
        ("zz", false),
        ("", false),
    ] {
        app.filter = BoardFilter {
            text: text.into(),
            show_closed: closed,
        };
        app.refresh(t0());
        same(&app);
    }
}

fn append(dir: &Path, file: &str, line: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join(file))
        .unwrap();
    writeln!(f, "{line}").unwrap();
}

#[test]
fn appended_and_changed_data() {
    let (_tmp, dir) = example();
    let (mut files, mut app) = Files::open(&dir, t0());
    append(
        &dir,
        "interactions.jsonl",
        r#"{"at":"2026-11-25T08:00+10:00","client":"kanda","kind":"visit"}"#,
    );
    assert!(files.sync(&mut app, t0()).any());
    same(&app);
    // A contact logged ahead of time, then its time comes.
    append(
        &dir,
        "interactions.jsonl",
        r#"{"at":"2026-11-25T10:00+10:00","client":"sakura","kind":"call"}"#,
    );
    files.sync(&mut app, t0());
    same(&app);
    app.refresh(t0() + Duration::minutes(31));
    same_but_heat_values(&app);
    // That client's heat is recomputed at once (the others may lag by under an hour).
    let b = scratch(&app);
    let heat_of = |b: &Board| {
        b.heat
            .iter()
            .find(|h| h.client.id == "sakura")
            .map(|h| h.heat.clone())
    };
    assert_eq!(heat_of(&app.board), heat_of(&b));
    append(
        &dir,
        "followups.jsonl",
        r#"{"what":"New one","client":"kanda","due":"2026-11-25T11:00+10:00"}"#,
    );
    append(
        &dir,
        "deadlines.jsonl",
        r#"{"title":"New deadline","client":"kanda","due":"2026-11-26","estimate":"3h"}"#,
    );
    files.sync(&mut app, t0() + Duration::minutes(31));
    same_but_heat_values(&app);
    // The follow-up's due passes: it moves to Overdue.
    app.refresh(t0() + Duration::minutes(92));
    same_but_heat_values(&app);
    // A rewrite of the contact log.
    let text = std::fs::read_to_string(dir.join("interactions.jsonl")).unwrap();
    std::fs::write(
        dir.join("interactions.jsonl"),
        text.replace("\"visit\"", "\"email\""),
    )
    .unwrap();
    files.sync(&mut app, t0() + Duration::minutes(92));
    same(&app);
    // The config: everything again.
    append(&dir, "tether.toml", "# touched");
    files.sync(&mut app, t0() + Duration::minutes(92));
    same(&app);
}

#[test]
fn a_big_contact_log_builds_its_heat_on_a_second_thread_to_the_same_board() {
    // Past the size where the heat cache is built beside the rows (60k contacts).
    let (_tmp, dir) = example();
    let clients: Vec<String> = Files::open(&dir, t0())
        .1
        .loaded
        .model
        .config
        .clients
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let kinds = ["call", "email", "visit", "gift", "message"];
    let mut log = String::new();
    for i in 0..60_000usize {
        let at = t0() - Duration::minutes(17 * i as i64);
        log.push_str(&format!(
            "{{\"at\":\"{}\",\"client\":\"{}\",\"kind\":\"{}\"}}\n",
            at.to_rfc3339(),
            clients[i % clients.len()],
            kinds[i % kinds.len()]
        ));
    }
    append(&dir, "interactions.jsonl", log.trim_end());
    let (_files, app) = Files::open(&dir, t0());
    assert!(app.loaded.model.interactions.len() > 60_000);
    same(&app);
}
