//! A client's page (issue 14: "Contact history is invisible. `who` and `note` of logged
//! contacts are never shown"): Enter on a client's clock or heat row opens it, Esc closes it,
//! Enter on your own clock does not; it shows the last contacts with who and note (the notes
//! read from the contact log at the edge); snapshots at 160×45, 80×24 and 60×20 from the shipped
//! example data at the fixed instant of tests/ui_snapshots.rs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use tether::app::action::{Action, Effect, Pane};
use tether::app::files::Files;
use tether::app::state::{App, Overlay};
use tether::app::update::{handle_key, update};
use tether::domain::clocks::ClockOf;
use tether::store::load::load_dir;
use tether::ui::theme::Theme;

const SIZES: [(u16, u16); 3] = [(160, 45), (80, 24), (60, 20)];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .expect("valid instant")
        .with_timezone(&Utc)
}

fn app() -> App {
    let dir = PathBuf::from("config/example");
    let loaded = load_dir(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    App::new(dir, loaded, now())
}

fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, &Theme::colour()))
        .expect("draw");
    term.backend().buffer().clone()
}

/// The buffer as text, one line per row, trailing blanks trimmed (wide characters once).
fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = ratatui::text::Span::raw(sym).width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The clocks pane's cursor on `of`'s row.
fn on_clock(app: &mut App, of: ClockOf) {
    update(app, Action::Focus(Pane::Clocks));
    let i = app
        .board
        .clocks
        .iter()
        .position(|r| r.of == of)
        .expect("that clock is listed");
    app.selected[Pane::Clocks.index()] = i;
}

/// Enter, and the notes it asks for read as the event loop reads them (in place here).
fn enter(app: &mut App) -> Vec<Effect> {
    let effects = handle_key(app, key(KeyCode::Enter));
    let files = Files::new(&app.dir.clone());
    for e in &effects {
        if let Effect::ReadNotes(lines) = e {
            files.read_notes(app, lines.clone());
        }
    }
    effects
}

fn page_of(app: &App) -> Option<&str> {
    match &app.overlay {
        Overlay::Client(v) => Some(v.page.client.id.as_str()),
        _ => None,
    }
}

fn kanda_page() -> App {
    let mut a = app();
    on_clock(&mut a, ClockOf::Client("kanda".into()));
    enter(&mut a);
    a
}

#[test]
fn enter_on_a_clients_clock_opens_its_page_and_esc_closes_it() {
    let mut a = app();
    on_clock(&mut a, ClockOf::Client("brandt".into()));
    let effects = enter(&mut a);
    assert_eq!(page_of(&a), Some("brandt"));
    assert!(
        matches!(effects.as_slice(), [Effect::ReadNotes(lines)] if !lines.is_empty()),
        "opening the page asks for its notes: {effects:?}"
    );
    handle_key(&mut a, key(KeyCode::Esc));
    assert_eq!(a.overlay, Overlay::None);
}

#[test]
fn enter_on_a_heat_row_opens_that_clients_page() {
    let mut a = app();
    update(&mut a, Action::Focus(Pane::Heat));
    update(&mut a, Action::Down);
    let id = a.selected_heat().expect("a heat row").client.id.clone();
    enter(&mut a);
    assert_eq!(page_of(&a), Some(id.as_str()));
}

#[test]
fn enter_on_your_own_clock_or_an_extra_one_opens_nothing_and_says_why() {
    let mut a = app();
    on_clock(&mut a, ClockOf::Me);
    assert!(enter(&mut a).is_empty());
    assert_eq!(a.overlay, Overlay::None);
    let said = a.message.clone().map(|(m, _)| m).unwrap_or_default();
    assert!(said.contains("your own clock"), "{said}");
    on_clock(&mut a, ClockOf::Extra("London desk".into()));
    assert!(enter(&mut a).is_empty());
    assert_eq!(a.overlay, Overlay::None);
}

/// "What did we discuss last time?": the last contact's who and note are on the page.
#[test]
fn the_page_shows_the_last_contacts_who_and_note() {
    let a = kanda_page();
    let screen = text(&draw(&a, 160, 45));
    assert!(screen.contains("Sato-san"), "{screen}");
    assert!(screen.contains("Monthly visit; brought wine"), "{screen}");
    // Older contacts too, newest first.
    let wine = screen.find("brought wine").expect("the newest note");
    let tables = screen
        .find("Preliminary survey tables")
        .expect("the one before");
    assert!(wine < tables, "{screen}");
}

/// The notes are read at the edge: until they are in, the page says so.
#[test]
fn the_page_says_it_is_reading_notes_until_they_arrive() {
    let mut a = app();
    on_clock(&mut a, ClockOf::Client("kanda".into()));
    handle_key(&mut a, key(KeyCode::Enter));
    let screen = text(&draw(&a, 160, 45));
    assert!(screen.contains("reading notes…"), "{screen}");
    assert!(!screen.contains("brought wine"), "{screen}");
}

#[test]
fn j_and_k_scroll_a_page_longer_than_the_window() {
    let mut a = kanda_page();
    let top = text(&draw(&a, 60, 20));
    assert!(top.contains("more: j or down"), "{top}");
    for _ in 0..100 {
        handle_key(&mut a, key(KeyCode::Char('j')));
    }
    let bottom = text(&draw(&a, 60, 20));
    assert_ne!(top, bottom);
    assert!(bottom.contains("above: k or up"), "{bottom}");
    assert_eq!(
        page_of(&a),
        Some("kanda"),
        "j scrolls, it does not move the cursor away"
    );
}

#[test]
fn snapshots() {
    let a = kanda_page();
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("client_page_{w}x{h}"), text(&draw(&a, w, h)));
    }
    // A client in a zone with daylight saving (Stuttgart), scrolled to the end at 80×24.
    let mut a = app();
    on_clock(&mut a, ClockOf::Client("brandt".into()));
    enter(&mut a);
    insta::assert_snapshot!("client_page_brandt_160x45", text(&draw(&a, 160, 45)));
    update(&mut a, Action::Bottom);
    insta::assert_snapshot!("client_page_brandt_end_80x24", text(&draw(&a, 80, 24)));
}

/// A client whose zone tether does not know says so on its page, as on its clock row.
#[test]
fn an_unknown_zone_is_marked_on_the_page() {
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    let brandt = loaded
        .model
        .config
        .clients
        .iter_mut()
        .find(|c| c.id == "brandt")
        .expect("brandt");
    brandt.unknown_zone = Some(std::sync::Arc::new(tether::domain::model::UnknownZone {
        written: "Europe/Stuttgart".into(),
        file: "tether.toml",
        line: 78,
    }));
    let mut a = App::new(dir, loaded, now());
    on_clock(&mut a, ClockOf::Client("brandt".into()));
    enter(&mut a);
    let screen = text(&draw(&a, 160, 45));
    assert!(screen.contains("[zone?]"), "{screen}");
    assert!(
        screen.contains("\"Europe/Stuttgart\" is unknown"),
        "{screen}"
    );
}

/// Every window size the dashboard draws at, scrolled anywhere: the page draws without a panic
/// and keeps to the window.
#[test]
fn the_page_draws_at_every_size() {
    let mut a = kanda_page();
    for scroll in [0, usize::MAX] {
        if let Overlay::Client(v) = &mut a.overlay {
            v.scroll = scroll;
        }
        // Around the edges: the smallest window, the grid's, the page's two columns.
        for w in [40, 41, 59, 60, 79, 80, 99, 100, 113, 114, 115, 160, 170] {
            for h in [10, 11, 20, 24, 30, 45] {
                let screen = text(&draw(&a, w, h));
                assert_eq!(screen.lines().count(), usize::from(h));
                assert!(screen.contains("Kanda"), "{w}x{h}: {screen}");
            }
        }
    }
}

#[test]
fn the_page_names_public_holidays_in_english_and_their_own_language() {
    // The example's Kanda has Japan's public holidays and a New Year closure (12-29..01-03).
    let a = kanda_page();
    assert_eq!(page_of(&a), Some("kanda"));
    let t = text(&draw(&a, 160, 45));
    // Wed 25 Nov 2026: the closure's working days, then New Year's Day (a public holiday names
    // itself inside a closure; Sat 2 and Sun 3 Jan take no working day).
    assert!(
        t.contains("holidays  Tue 29 Dec–Thu 31 Dec closure, Fri 1 Jan 2027 New Year's Day")
            && t.contains("(元日), Mon 11 Jan 2027 Coming of Age Day (成人の日)"),
        "{t}"
    );
}

/// Issue 17, contracts: a client with a retainer has a "retainer" line with its burn-down and a
/// line per coming milestone; one without has neither.
#[test]
fn the_page_shows_the_retainers_burn_down() {
    let mut a = app();
    on_clock(&mut a, ClockOf::Client("nortec".into()));
    enter(&mut a);
    assert_eq!(page_of(&a), Some("nortec"));
    let screen = text(&draw(&a, 160, 45));
    assert!(
        screen.contains("retainer  0m of 20h used · 15 working days left · behind (5h 42m by now)"),
        "{screen}"
    );
    // And its coming milestone, with the amount in the currency's digits.
    assert!(
        screen.contains("milestone Failover test signed off · due Fri 11 Dec 2026, in 17 days")
            && screen.contains("4,800.00"),
        "{screen}"
    );
    let screen = text(&draw(&kanda_page(), 160, 45));
    assert!(!screen.contains("retainer"), "{screen}");
    assert!(!screen.contains("milestone"), "{screen}");
}
