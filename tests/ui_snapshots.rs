//! What the dashboard looks like: snapshots of every pane and overlay at a big window (160×45),
//! a standard terminal (80×24) and a small tmux pane (60×20), drawn from the shipped example data
//! at a fixed instant; plus the things snapshots cannot show (colours, NO_COLOR, tiny windows).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::path::PathBuf;
use tether::app::action::{Action, Pane};
use tether::app::state::{AlertEntry, App, Overlay};
use tether::app::update::{handle_key, update};
use tether::store::diagnostic::Diagnostic;
use tether::store::load::load_dir;
use tether::ui::theme::Theme;

const SIZES: [(u16, u16); 3] = [(160, 45), (80, 24), (60, 20)];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// The example data directory, by a relative path so snapshots do not depend on the checkout.
fn app() -> App {
    let dir = PathBuf::from("config/example");
    let loaded = load_dir(&dir);
    assert!(
        loaded.diagnostics.is_empty(),
        "the example data loads cleanly: {:?}",
        loaded.diagnostics
    );
    App::new(dir, loaded, now())
}

fn draw(app: &App, w: u16, h: u16, theme: &Theme) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    // A cache of its own: every frame computes its column widths afresh.
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, theme))
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

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        let buf = draw(app, w, h, &Theme::colour());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text(&buf));
    }
}

fn focused(pane: Pane) -> App {
    let mut a = app();
    update(&mut a, Action::Focus(pane));
    a
}

#[test]
fn panes() {
    snap("clocks", &focused(Pane::Clocks));
    let mut a = focused(Pane::Deadlines);
    update(&mut a, Action::Down);
    snap("deadlines", &a);
    let mut a = focused(Pane::Heat);
    update(&mut a, Action::Down);
    snap("heat", &a);
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Down);
    update(&mut a, Action::Down);
    snap("followups", &a);
}

/// The first screen, drawn before any data is read (the first load goes on off the screen's
/// thread): each pane says which file it waits for, the header says loading; then, with
/// tether.toml in, the clocks and your time.
#[test]
fn loading() {
    let dir = PathBuf::from("config/example");
    let mut a = App::loading(dir.clone(), now());
    snap("loading", &a);
    let sizes = [Some(1_102), Some(68_000_000), Some(2_927)];
    a.config_read(tether::store::load::load_config(&dir), sizes, now());
    snap("loading_config_read", &a);
}

#[test]
fn followups_with_closed_and_filter() {
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::ToggleClosed);
    update(&mut a, Action::Bottom);
    snap("followups_closed", &a);
    let mut a = focused(Pane::Deadlines);
    a.filter.text = "kanda".into();
    let t = a.now;
    a.refresh(t);
    snap("deadlines_filtered", &a);
}

#[test]
fn overlays() {
    let mut a = app();
    update(&mut a, Action::Help);
    snap("help", &a);

    // The weekly review (`R`): the text `tether review` prints, scrolled by the list keys.
    let mut a = app();
    update(&mut a, Action::Review);
    snap("review", &a);
    update(&mut a, Action::Down);
    update(&mut a, Action::Down);
    snap("review_scrolled", &a);

    let mut a = app();
    update(&mut a, Action::Problems);
    snap("problems_none", &a);

    let mut a = app_with_problems();
    update(&mut a, Action::Problems);
    snap("problems", &a);

    let mut a = app();
    update(&mut a, Action::Alerts);
    snap("alerts_none", &a);
    a.alerts = vec![
        AlertEntry {
            at: now() - chrono::Duration::minutes(90),
            summary: "FX tracking report, November is overdue".into(),
            sent: true,
        },
        AlertEntry {
            at: now() - chrono::Duration::minutes(5),
            summary: "Q3 market survey report is at risk".into(),
            sent: false,
        },
    ];
    snap("alerts", &a);

    let mut a = focused(Pane::Deadlines);
    update(&mut a, Action::Down);
    update(&mut a, Action::Open);
    assert_eq!(a.overlay, Overlay::Detail);
    snap("deadline_detail", &a);

    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Down);
    update(&mut a, Action::Open);
    snap("followup_detail", &a);

    let mut a = focused(Pane::Followups);
    update(&mut a, Action::SnoozePicker);
    update(&mut a, Action::Down);
    assert!(matches!(a.overlay, Overlay::Snooze(_)));
    snap("snooze", &a);

    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Add);
    for c in "Send the signed NDA".chars() {
        handle_key(&mut a, key(c));
    }
    snap("form_add", &a);

    let mut a = focused(Pane::Heat);
    update(&mut a, Action::Log);
    update(&mut a, Action::Down);
    if let Overlay::Form(f) = &mut a.overlay {
        f.error = Some("unknown client \"kandaa\": did you mean kanda?".into());
    }
    snap("form_log", &a);

    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Filter);
    for c in "ito".chars() {
        handle_key(&mut a, key(c));
    }
    snap("filter", &a);
}

#[test]
fn header_and_footer_messages() {
    let mut a = app_with_problems();
    a.alert_warning = Some("desktop alerts off: no notification server".into());
    a.complain("could not write followups.jsonl: permission denied");
    snap("header_problems", &a);
    for (w, h) in SIZES {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        let header = t.lines().next().unwrap_or_default();
        assert!(header.contains("2 problems"), "{w}×{h}: {header}");
    }
}

/// The warning an alert pass gives when there is no session bus (alerts/send.rs).
const NO_BUS: &str = "desktop alerts unavailable: no D-Bus session bus \
                      (DBUS_SESSION_BUS_ADDRESS unset); 2 alerts not sent";

#[test]
fn the_alert_warning_always_shows_whole_in_the_header() {
    for problems in [false, true] {
        let mut a = if problems { app_with_problems() } else { app() };
        a.alert_warning = Some(NO_BUS.into());
        snap(
            if problems {
                "header_no_bus_problems"
            } else {
                "header_no_bus"
            },
            &a,
        );
        // At a big window all of it; the other parts of the header give way first.
        let t = text(&draw(&a, 160, 45, &Theme::colour()));
        let header = t.lines().next().unwrap_or_default();
        assert!(header.contains(&format!("⚠ {NO_BUS}")), "160: {header}");
        assert!(header.contains("09:30"), "160: {header}");
        // At 80×24 the reason, at every width that draws the dashboard at least that alerts are
        // off; never a word cut short.
        let t = text(&draw(&a, 80, 24, &Theme::colour()));
        let header = t.lines().next().unwrap_or_default();
        assert!(
            header.contains("⚠ desktop alerts unavailable"),
            "80: {header}"
        );
        for w in 40..=200 {
            let t = text(&draw(&a, w, 24, &Theme::colour()));
            let header = t.lines().next().unwrap_or_default();
            assert!(
                header.contains("⚠ desktop alerts unavailable") || header.contains("⚠ alerts off"),
                "{w}: {header}"
            );
            assert!(!header.contains('…'), "{w}: {header}");
            if problems {
                assert!(header.contains('2'), "{w}: {header}");
            }
        }
    }
}

#[test]
fn a_frozen_view_says_alerts_are_off() {
    let mut a = app();
    a.alert_warning = Some(tether::app::run::FROZEN_VIEW.into());
    for (w, h) in [(160, 45), (80, 24)] {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        let header = t.lines().next().unwrap_or_default();
        assert!(
            header.contains("⚠ alerts off: frozen view (--now)"),
            "{w}: {header}"
        );
    }
}

fn key(c: char) -> ratatui::crossterm::event::KeyEvent {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn app_with_problems() -> App {
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    loaded.diagnostics.push(Diagnostic::error(
        "followups.jsonl",
        7,
        "missing \"what\": every follow-up needs a text",
    ));
    loaded.diagnostics.push(
        Diagnostic::warning(
            "tether.toml",
            12,
            "unknown key \"zome\" (did you mean \"zone\"?)",
        )
        .with_col(1),
    );
    App::new(dir, loaded, now())
}

/// Where `needle` starts in the buffer, as (x, y) of its first cell.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let mut xs = Vec::new();
        let mut line = String::new();
        for x in 0..buf.area.width {
            xs.push((line.len(), x));
            line.push_str(buf[(x, y)].symbol());
        }
        if let Some(i) = line.find(needle) {
            let x = xs.iter().find(|(b, _)| *b == i).map(|(_, x)| *x)?;
            return Some((x, y));
        }
    }
    None
}

/// The example with the Q3 survey's estimate raised so that it no longer fits your hours.
fn app_at_risk() -> App {
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    loaded.model.deadlines.update_all(|d| {
        if d.id.as_deref() == Some("d-7f3a2c") {
            d.estimate = Some(chrono::Duration::hours(30));
        }
    });
    let mut a = App::new(dir, loaded, now());
    update(&mut a, Action::Focus(Pane::Deadlines));
    a
}

#[test]
fn at_risk_detail_explains() {
    let mut a = app_at_risk();
    let i = a
        .board
        .deadlines
        .iter()
        .position(|d| {
            a.deadline(d.record).and_then(|d| d.id.clone()).as_deref() == Some("d-7f3a2c")
        })
        .expect("the Q3 survey");
    a.selected[1] = i;
    update(&mut a, Action::Open);
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    assert!(
        t.contains("needs 26h, you have 18h 30m of working time before it is due"),
        "{t}"
    );
    insta::assert_snapshot!("deadline_detail_at_risk_160x45", t);
}

#[test]
fn overdue_and_at_risk_deadlines_are_red() {
    let a = app_at_risk();
    for (w, h) in SIZES {
        let buf = draw(&a, w, h, &Theme::colour());
        for (label, modifier) in [("✗ overdue", true), ("! at risk", false)] {
            // The risk word gives way to a whole title (docs/decisions.md, "Layout"); its symbol
            // stays, in the same colours.
            let (x, y, n) = match find(&buf, label) {
                Some((x, y)) => (x, y, 9),
                None => {
                    let symbol = &label[..label.find(' ').unwrap_or(label.len())];
                    let (x, y) = find(&buf, &format!("│ {symbol} "))
                        .or_else(|| find(&buf, &format!("│›{symbol} ")))
                        .unwrap_or_else(|| panic!("{w}×{h}: {label} shown"));
                    (x + 2, y, 1)
                }
            };
            for dx in 0..n {
                let cell = &buf[(x + dx, y)];
                // The theme's red (a 256-colour red that reads on dark backgrounds).
                assert_eq!(
                    Some(cell.fg),
                    Theme::colour().at_risk.fg,
                    "{w}×{h}: {label} is red"
                );
                assert!(
                    cell.modifier.contains(Modifier::BOLD),
                    "{w}×{h}: {label} is bold"
                );
            }
            // Overdue also stands out without colour.
            let plain = draw(&a, w, h, &Theme::plain());
            let cell = &plain[(x, y)];
            assert!(cell.modifier.contains(Modifier::BOLD));
            assert_eq!(
                cell.modifier.contains(Modifier::REVERSED),
                modifier || y == 3
            );
        }
        let (x, y) = find(&buf, "✓ ok")
            .or_else(|| find(&buf, "│ ✓ ").map(|(x, y)| (x + 2, y)))
            .expect("an ok deadline");
        assert_eq!(
            Some(buf[(x, y)].fg),
            Theme::colour().ok.fg,
            "{w}×{h}: ok is green"
        );
    }
}

fn assert_no_colour(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            assert!(
                c.fg == Color::Reset && c.bg == Color::Reset,
                "{what}: colour at ({x}, {y}) {:?}",
                c
            );
        }
    }
}

fn every_screen() -> Vec<(String, App)> {
    let mut out = Vec::new();
    for p in Pane::ALL {
        out.push((format!("{p:?}"), focused(p)));
    }
    let mut a = focused(Pane::Deadlines);
    update(&mut a, Action::Open);
    out.push(("deadline detail".into(), a));
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Open);
    out.push(("followup detail".into(), a));
    let mut a = app();
    update(&mut a, Action::Help);
    out.push(("help".into(), a));
    let mut a = app_with_problems();
    update(&mut a, Action::Problems);
    a.alert_warning = Some("no notification server".into());
    out.push(("problems".into(), a));
    let mut a = app();
    update(&mut a, Action::Alerts);
    out.push(("alerts".into(), a));
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::SnoozePicker);
    out.push(("snooze".into(), a));
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Add);
    if let Overlay::Form(f) = &mut a.overlay {
        f.error = Some("what is required".into());
    }
    out.push(("form".into(), a));
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::Filter);
    out.push(("filter".into(), a));
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::ToggleClosed);
    a.complain("could not write");
    out.push(("closed + message".into(), a));
    out
}

#[test]
fn no_color_draws_no_colour() {
    for (name, a) in every_screen() {
        for (w, h) in SIZES.into_iter().chain([(30, 8)]) {
            assert_no_colour(&draw(&a, w, h, &Theme::plain()), &format!("{name} {w}×{h}"));
        }
    }
    // And the colour theme does use colour, so the check above means something.
    let buf = draw(&app(), 160, 45, &Theme::colour());
    assert!(buf.content.iter().any(|c| c.fg != Color::Reset));
}

#[test]
fn never_panics_at_any_size() {
    // Every screen at every width (short windows) and every height (at the layout boundaries),
    // then a coarse sweep of the whole 1×1-200×60 range. Debug builds draw slowly, so the
    // sweeps are chosen to cover each boundary rather than every pair.
    for (_, a) in &every_screen() {
        for w in 1..=200 {
            for h in [1, 10] {
                draw(a, w, h, &Theme::colour());
            }
        }
        for h in 1..=60 {
            for w in [1, 40, 100] {
                draw(a, w, h, &Theme::colour());
            }
        }
        for (w, h) in [
            (39, 9),
            (39, 10),
            (40, 9),
            (41, 11),
            (99, 29),
            (99, 30),
            (100, 29),
        ] {
            draw(a, w, h, &Theme::colour());
        }
    }
    let a = app();
    for w in (1..=200).step_by(7) {
        for h in (1..=60).step_by(5) {
            draw(&a, w, h, &Theme::colour());
        }
    }
}

#[test]
fn too_small_says_so() {
    let a = app();
    let t = text(&draw(&a, 30, 8, &Theme::colour()));
    assert!(t.contains("too small"), "{t}");
    assert!(t.contains("40×10"), "{t}");
    insta::assert_snapshot!("too_small_30x8", t);
    let t = text(&draw(&a, 39, 30, &Theme::colour()));
    assert!(t.contains("too small"));
    let t = text(&draw(&a, 40, 10, &Theme::colour()));
    assert!(!t.contains("too small"), "{t}");
    insta::assert_snapshot!("minimum_40x10", t);
}

#[test]
fn layout_switches_at_the_grid_size() {
    let a = focused(Pane::Heat);
    let grid = text(&draw(&a, 100, 30, &Theme::colour()));
    for title in [
        "1 World clocks",
        "2 Deadlines",
        "3 Client heat",
        "4 Follow-ups",
    ] {
        assert!(grid.contains(title), "grid shows {title}");
    }
    insta::assert_snapshot!("grid_smallest_100x30", grid);
    let tabs = text(&draw(&a, 99, 30, &Theme::colour()));
    assert!(tabs.contains("3 Client heat"));
    assert!(
        !tabs.contains("┌ 2 Deadlines"),
        "only the focused pane's block: {tabs}"
    );
    assert!(tabs.lines().nth(1).is_some_and(|l| l.contains("1 Clocks")));
    // The focused tab is highlighted.
    let buf = draw(&a, 80, 24, &Theme::colour());
    let (x, y) = find(&buf, "3 Heat").expect("tab");
    assert_eq!(Some(buf[(x, y)].bg), Theme::colour().tab_active.bg);
    let (x, y) = find(&buf, "2 Deadlines").expect("tab");
    assert_eq!(buf[(x, y)].bg, Color::Reset);
}

#[test]
fn footer_comes_from_the_key_map() {
    let a = focused(Pane::Followups);
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    let footer = t.lines().last().unwrap_or_default().to_string();
    for (k, label) in a
        .keymap
        .footer_hints(Pane::Followups, tether::app::keymap::Place::Board)
    {
        assert!(footer.contains(&format!("{k} {label}")), "{footer}");
    }
    // Narrow: hints are dropped whole, and the help key stays.
    let help = a
        .keymap
        .footer_hints(Pane::Followups, tether::app::keymap::Place::Board)
        .into_iter()
        .find(|(k, _)| k == "?")
        .map(|(k, l)| format!("{k} {l}"))
        .expect("? is in the footer");
    for w in [40, 50, 60, 80] {
        let t = text(&draw(&a, w, 20, &Theme::colour()));
        let footer = t.lines().last().unwrap_or_default();
        assert!(footer.contains(&help), "{w}: {footer}");
    }
}

#[test]
fn drawing_changes_nothing() {
    let a = focused(Pane::Deadlines);
    let before = (a.focus, a.selected, a.overlay.clone(), a.message.clone());
    draw(&a, 80, 24, &Theme::colour());
    // The entry point the event loop uses (theme from the environment, read once).
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw(f, &a, &mut cache))
        .expect("draw");
    assert!(text(term.backend().buffer()).contains("Deadlines"));
    assert_eq!(
        before,
        (a.focus, a.selected, a.overlay.clone(), a.message.clone())
    );
}

fn app_at(rfc3339: &str) -> App {
    let at = DateTime::parse_from_rfc3339(rfc3339)
        .expect("valid instant")
        .with_timezone(&Utc);
    let dir = PathBuf::from("config/example");
    let mut a = App::new(dir.clone(), load_dir(&dir), at);
    update(&mut a, Action::Focus(Pane::Clocks));
    a
}

#[test]
fn clocks_on_other_days() {
    // A week before Europe's clocks change: notices on the London and Stuttgart rows.
    let a = app_at("2027-03-22T09:30:00+10:00");
    for (w, h) in [(160, 45), (80, 24)] {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        assert!(t.contains("-9h") && t.contains("Sun 28 Mar"), "{t}");
        insta::assert_snapshot!(format!("clocks_dst_{w}x{h}"), t);
    }
    // Labour Thanksgiving Day: Tokyo is on holiday.
    let mut a = app_at("2026-11-23T10:00:00+10:00");
    a.loaded
        .get_mut()
        .expect("not shared")
        .model
        .config
        .ui
        .seconds = true;
    for (w, h) in [(160, 45), (80, 24)] {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        assert!(t.contains("holiday"), "{t}");
        assert!(t.contains("10:00:00"), "seconds shown: {t}");
        insta::assert_snapshot!(format!("clocks_holiday_{w}x{h}"), t);
    }
}

#[test]
fn a_closure_ahead_is_noticed_on_the_clock_row() {
    // Fri 30 Apr 2027 in Tokyo, with Kanda's public holidays those of Japan: Golden Week is
    // tomorrow; on Tue 4 May the row names the day.
    let at = "2027-04-30T09:30:00+10:00";
    let mut a = app_at(at);
    let kanda = a
        .loaded
        .get_mut()
        .expect("not shared")
        .model
        .config
        .clients
        .iter_mut()
        .find(|c| c.id == "kanda")
        .expect("kanda");
    kanda.days_off.public =
        Some(tether::domain::holidays::PublicHolidays::resolve("JP", None).expect("JP"));
    let instant = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    };
    a.refresh(instant(at));
    for (w, h) in [(160, 45), (80, 24)] {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        assert!(t.contains("closed 1–5 May"), "{t}");
        insta::assert_snapshot!(format!("clocks_closure_ahead_{w}x{h}"), t);
    }
    a.refresh(instant("2027-05-04T11:00:00+10:00"));
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    // The status column is sized without names: the reopening there, the name in the notice.
    assert!(
        t.contains("holiday · opens Thu 09:00") && t.contains("today: Greenery Day"),
        "{t}"
    );
}

#[test]
fn rebound_keys_show_in_header_footer_and_help() {
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    loaded
        .diagnostics
        .push(Diagnostic::error("deadlines.jsonl", 3, "bad"));
    for (action, key) in [("problems", "P"), ("show_closed", "Z"), ("done", "d")] {
        loaded
            .model
            .config
            .keys
            .push(tether::domain::model::KeyOverride {
                action: action.into(),
                keys: vec![key.into()],
                line: 1,
            });
    }
    let mut a = App::new(dir, loaded, now());
    update(&mut a, Action::Focus(Pane::Followups));
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    assert!(t.contains("press P"), "{t}");
    assert!(t.contains("Z to show"), "{t}");
    assert!(
        t.lines().last().unwrap_or_default().contains("d done"),
        "{t}"
    );
    update(&mut a, Action::Help);
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    assert!(t.contains("P           problems in the data files"), "{t}");
}

/// Issue 14: the first run's example, written at a fixed instant (a Monday afternoon in
/// Brisbane): the banner under the header says where the data is and how to make it yours, at
/// every size, and nothing is overdue. Once no client is marked example, it is gone.
#[test]
fn first_run_banner() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    tether::store::example::write_dated_example(&data, now_at("2026-12-07T14:00:00+10:00"))
        .unwrap();
    let loaded = load_dir(&data);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    // The path as a first run shows it, not the temporary one.
    let shown = PathBuf::from("/home/aiko/.local/share/tether");
    let mut a = App::new(shown, loaded.clone(), now_at("2026-12-07T14:00:00+10:00"));
    snap("first_run", &a);
    for (w, h) in SIZES {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        let banner: String = t.lines().skip(1).take(2).collect::<Vec<_>>().join(" ");
        assert!(
            banner.contains("/home/aiko/.local/share/tether"),
            "{w}×{h}: {t}"
        );
        assert!(banner.contains("tether.toml"), "{w}×{h}: {t}");
        assert!(!t.contains("overdue") && !t.contains("at risk"), "{t}");
    }
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    assert!(t.contains("`tether init --empty`"), "{t}");
    let mut mine = loaded;
    for c in &mut mine.model.config.clients {
        c.example = false;
    }
    a = App::new(
        PathBuf::from("data"),
        mine,
        now_at("2026-12-07T14:00:00+10:00"),
    );
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    assert!(!t.contains("example data"), "{t}");
}

fn now_at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid instant")
        .with_timezone(&Utc)
}

#[test]
fn the_add_form_shows_its_due_in_both_zones_before_saving() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    let mut a = focused(Pane::Followups);
    let mut key = |c: KeyCode| {
        let _ = handle_key(&mut a, KeyEvent::from(c));
    };
    key(KeyCode::Char('a'));
    key(KeyCode::Tab);
    for _ in 0..20 {
        key(KeyCode::Backspace);
    }
    "brandt".chars().for_each(|c| key(KeyCode::Char(c)));
    key(KeyCode::Tab);
    key(KeyCode::Tab);
    "fri 17:00".chars().for_each(|c| key(KeyCode::Char(c)));
    for (w, h) in [(160, 45), (80, 24)] {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        assert!(
            t.contains("due Fri 27 Nov 17:00 CET = Sat 28 Nov 02:00 AEST"),
            "{t}"
        );
    }
}

/// `[ui] theme = "light"` gives dark text for a light terminal, through the entry point the
/// event loop uses (unless NO_COLOR is set for this test run, which wins).
#[test]
fn the_light_theme_is_chosen_in_tether_toml() {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        eprintln!("SKIPPED: NO_COLOR is set, so no theme has colours");
        return;
    }
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    loaded.model.config.ui.theme = tether::domain::model::ThemeChoice::Light;
    let mut a = App::new(dir, loaded, now());
    update(&mut a, Action::Focus(Pane::Heat));
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw(f, &a, &mut cache))
        .expect("draw");
    let buf = term.backend().buffer().clone();
    let (x, y) = find(&buf, "3 Heat").expect("tab");
    assert_eq!(Some(buf[(x, y)].bg), Theme::light().tab_active.bg);
    assert_ne!(Theme::light().tab_active.bg, Theme::dark().tab_active.bg);
}

/// Every key's help can be read on a small screen: what does not fit scrolls with the list
/// keys, and the last row says how much is above and below.
#[test]
fn the_whole_help_can_be_read_at_80x24_and_60x20() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut a = focused(Pane::Followups);
        update(&mut a, Action::Help);
        let helps: Vec<&str> = a
            .keymap
            .help_sections()
            .into_iter()
            .flat_map(|(_, v)| v.into_iter().map(|(_, h)| h))
            .collect();
        let mut seen = String::new();
        for _ in 0..60 {
            seen.push_str(&text(&draw(&a, w, h, &Theme::colour())));
            update(&mut a, Action::Down);
        }
        for help in helps {
            // Clipped at 60 columns: the first words are enough to know it is there.
            let start: String = help.chars().take(12).collect();
            assert!(seen.contains(&start), "{w}×{h}: {help:?} never shown");
        }
        assert_eq!(
            a.selected[Pane::Followups.index()],
            0,
            "the list stayed put"
        );
        assert!(seen.contains("more: j"), "{w}×{h}: says there is more");
    }
}

/// Issue 14, "clocks you can ask": a Brisbane translator with three Tokyo clients (two keeping
/// the same hours, which used to share a row `Tokyo (kanda, mizuho)` cut to `Tokyo (mizuh…`),
/// one in Stuttgart and one in São Paulo: a row per client, every label whole, the cursor on a
/// clock, and the view scrubbed 6 hours on (`l` six times), which the header and the pane's
/// title say, with every row's time and status at 15:30 AEST.
#[test]
fn clocks_scrubbed() {
    const TOML: &str = r#"
[me]
name = "Aiko Tanaka"
zone = "Australia/Brisbane"
work_hours = "08:30-17:30"

[[clocks]]
label = "London desk"
zone = "Europe/London"

[[clients]]
id = "kanda"
name = "Kanda Trading"
zone = "Asia/Tokyo"
city = "Tokyo"
hours = "09:00-18:00"

[[clients]]
id = "mizuho"
name = "Mizuho Translation Office"
zone = "Asia/Tokyo"
city = "Tokyo"
hours = "09:00-18:00"

[[clients]]
id = "sakura"
name = "Sakura Research"
zone = "Asia/Tokyo"
city = "Tokyo"
hours = "09:30-18:30"

[[clients]]
id = "brandt"
name = "Brandt Maschinenbau"
zone = "Europe/Berlin"
city = "Stuttgart"
hours = "08:00-16:30"

[[clients]]
id = "nortec"
name = "Nortec Logística"
zone = "America/Sao_Paulo"
city = "São Paulo"
hours = "09:00-18:00"
"#;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("tether.toml"), TOML).unwrap();
    let loaded = load_dir(tmp.path());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let mut a = App::new(PathBuf::from("data"), loaded, now());
    for c in "1llllllj".chars() {
        handle_key(&mut a, key(c));
    }
    snap("clocks_scrubbed", &a);
    for (w, h) in SIZES {
        let t = text(&draw(&a, w, h, &Theme::colour()));
        let header = t.lines().next().unwrap_or_default();
        assert!(header.contains("viewing"), "{w}×{h}: {header}");
        assert!(header.contains("15:30"), "{w}×{h}: {header}");
        assert!(t.contains("World clocks  viewing +6h"), "{w}×{h}:\n{t}");
        for label in [
            "Tokyo (kanda)",
            "Tokyo (mizuho)",
            "Tokyo (sakura)",
            "Stuttgart",
            "São Paulo",
            "London desk",
        ] {
            assert!(t.contains(label), "{w}×{h}: {label} whole\n{t}");
        }
        // Tokyo at 14:30 on a Wednesday: open.
        let kanda = t.lines().find(|l| l.contains("Tokyo (kanda)")).unwrap();
        assert!(kanda.contains("14:30"), "{w}×{h}: {kanda}");
        assert!(kanda.contains("closes in"), "{w}×{h}: {kanda}");
    }
    let wide = text(&draw(&a, 160, 45, &Theme::colour()));
    assert!(
        wide.lines()
            .next()
            .unwrap_or_default()
            .contains("viewing 15:30 AEST (+6h) · . for now"),
        "{wide}"
    );
}

/// The rows of the pane whose frame's title is `title`: from its top border to its bottom one.
fn pane_rows(buf: &Buffer, title: &str) -> u16 {
    let (x, top) = find(buf, &format!("┌ {title}")).unwrap_or_else(|| panic!("{title} shown"));
    let bottom = (top + 1..buf.area.height)
        .find(|&y| buf[(x, y)].symbol() == "└")
        .unwrap_or_else(|| panic!("{title} has a bottom border"));
    bottom - top + 1
}

/// Issue 14: at 160×45 no title of the example's deadlines is cut (the columns give way first,
/// in the order docs/decisions.md states), and 80×24 and 60×20 keep them whole too.
#[test]
fn no_deadline_title_of_the_example_is_cut() {
    let a = app();
    for (w, h) in SIZES {
        let t = text(&draw(&focused(Pane::Deadlines), w, h, &Theme::colour()));
        for d in a
            .board
            .deadlines
            .iter()
            .filter_map(|d| a.deadline(d.record))
        {
            assert!(t.contains(d.title.as_str()), "{w}×{h}: {}\n{t}", d.title);
        }
    }
}

/// The example with every title long: the deadline and follow-up titles are cut (never
/// squeezed to nothing) while the columns the stated order keeps stay, the send window among
/// them at 160×45.
fn app_with_long_titles() -> App {
    let mut loaded = load_dir(&PathBuf::from("config/example"));
    let long = "a very long title that says everything about the work, and more besides";
    loaded.model.deadlines.update_all(|d| {
        d.title = format!("{} — {long}", d.title).into();
    });
    loaded.model.followups.update_all(|f| {
        f.what = format!("{} — {long}", f.what).into();
    });
    App::new(PathBuf::from("config/example"), loaded, now())
}

#[test]
fn long_titles_are_cut_before_the_columns_that_matter() {
    let mut a = app_with_long_titles();
    update(&mut a, Action::Focus(Pane::Followups));
    snap("long_titles", &a);
    let t = text(&draw(&a, 160, 45, &Theme::colour()));
    let rows: Vec<&str> = t
        .lines()
        .filter(|l| l.contains("Send revised quote"))
        .collect();
    assert_eq!(rows.len(), 1, "{t}");
    assert!(
        rows[0].contains("…") && rows[0].contains("opens 09:00 JST"),
        "{t}"
    );
    let rows: Vec<&str> = t.lines().filter(|l| l.contains("FX tracking")).collect();
    assert!(
        rows[0].contains("Tue 24 17:00 JST") && rows[0].contains("ago"),
        "{t}"
    );
    // With the closed items shown (a wider due column: `done 4d ago`, `until Fri 27 08:30`),
    // an 80-column pane used to drop the send window and keep whole titles.
    let mut a = focused(Pane::Followups);
    update(&mut a, Action::ToggleClosed);
    let t = text(&draw(&a, 80, 24, &Theme::colour()));
    let row = t
        .lines()
        .find(|l| l.contains("Confirm glossary"))
        .unwrap_or_default();
    assert!(row.contains("opens 09:30 JST"), "{t}");
    for (w, h) in SIZES {
        let mut a = app_with_long_titles();
        update(&mut a, Action::Focus(Pane::Deadlines));
        let t = text(&draw(&a, w, h, &Theme::colour()));
        let row = t
            .lines()
            .find(|l| l.contains("FX tracking"))
            .unwrap_or_default();
        // The countdown stays at every size, the title keeps at least 24 cells.
        assert!(row.contains("15h 30m ago"), "{w}×{h}: {t}");
        assert!(row.contains("FX tracking report, Nov"), "{w}×{h}: {t}");
    }
}

/// Issue 14: a short clock list gives its rows to the deadlines: the grid's left column is the
/// clocks over the deadlines, the clocks as tall as what they show.
#[test]
fn fewer_clock_rows_give_the_deadlines_more_rows() {
    let mut loaded = load_dir(&PathBuf::from("config/example"));
    let with = App::new(PathBuf::from("config/example"), loaded.clone(), now());
    loaded.model.config.clocks.clear();
    let without = App::new(PathBuf::from("config/example"), loaded, now());
    assert!(without.board.clocks.len() < with.board.clocks.len());
    for (w, h) in [(160, 45)] {
        let before = draw(&with, w, h, &Theme::colour());
        let after = draw(&without, w, h, &Theme::colour());
        assert!(
            pane_rows(&after, "2 Deadlines") > pane_rows(&before, "2 Deadlines"),
            "{w}×{h}:\n{}\n{}",
            text(&before),
            text(&after)
        );
        // The clocks still show every clock they have.
        let t = text(&after);
        for c in &without.board.clocks {
            assert!(t.contains(&c.label), "{w}×{h}: {}\n{t}", c.label);
        }
    }
    // At 160×45 every pane shows all it has: the heat and follow-ups end with their content.
    let t = text(&draw(&with, 160, 45, &Theme::colour()));
    assert!(t.contains("1 snoozed"), "{t}");
    let buf = draw(&with, 160, 45, &Theme::colour());
    assert!(pane_rows(&buf, "3 Client heat") <= 2 + 1 + 2 * 5, "{t}");
}

/// The frame that measures the clocks copies its drawing into the pane; the frames after (the
/// count kept by the cache) draw the clocks in the pane: the same screen, colours included.
#[test]
fn the_frames_after_the_first_draw_the_same_clocks() {
    for a in [app(), focused(Pane::Clocks)] {
        for (w, h) in [(160, 45), (100, 30), (130, 36)] {
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            let mut cache = tether::ui::ViewCache::default();
            term.draw(|f| tether::ui::draw_with(f, &a, &mut cache, &Theme::colour()))
                .unwrap();
            let first = term.backend().buffer().clone();
            term.draw(|f| tether::ui::draw_with(f, &a, &mut cache, &Theme::colour()))
                .unwrap();
            assert_eq!(&first, term.backend().buffer(), "{w}×{h}\n{}", text(&first));
        }
    }
}

/// The example with a timer on the Q3 report started at `start` (issue 17).
fn app_timing(start: DateTime<Utc>) -> App {
    use tether::domain::model::{TimeEntry, TimeOn, TimeSpan};
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    loaded.model.timelog.push(TimeEntry {
        line: 1,
        id: Some("t-1".into()),
        on: TimeOn::Deadline("d-7f3a2c".into()),
        client: None,
        span: TimeSpan::Timed { start, end: None },
        note: None,
    });
    tether::domain::timelog::attach(&mut loaded.model);
    App::new(dir, loaded, now())
}

#[test]
fn the_running_timer_shows_in_the_header_at_every_size() {
    let a = app_timing(now() - chrono::Duration::minutes(72));
    let header = |w: u16, h: u16| {
        let buf = draw(&a, w, h, &Theme::colour());
        text(&buf).lines().next().unwrap_or_default().to_string()
    };
    assert!(
        header(160, 45).contains("⏱ 1h 12m on Q3 market survey report"),
        "{}",
        header(160, 45)
    );
    for (w, h) in SIZES {
        assert!(header(w, h).contains('⏱'), "{w}x{h}: {}", header(w, h));
    }
    // Started at 16:00 yesterday and never stopped: counted to 17:30, flagged, in warning
    // colours.
    let a = app_timing(now() - chrono::Duration::minutes(17 * 60 + 30));
    let buf = draw(&a, 160, 45, &Theme::colour());
    let first = text(&buf).lines().next().unwrap_or_default().to_string();
    assert!(
        first.contains(
            "⏱ 1h 30m on Q3 market survey report (since 16:00 yesterday: stop it or say how long)"
        ),
        "{first}"
    );
    let (x, y) = find(&buf, "stop it").expect("on screen");
    assert_eq!(
        buf[(x, y)].fg,
        Theme::colour().warn.fg.unwrap_or(Color::Reset)
    );
    let buf = draw(&a, 60, 20, &Theme::colour());
    let first = text(&buf).lines().next().unwrap_or_default().to_string();
    assert!(first.contains("stop it"), "{first}");
}

/// Issue 17: Nortec's retainer (20h a month from the 15th, their calendar) with 10h logged by
/// Tue 24 Nov in São Paulo, where an even spread over its 21 working days would have used 5h 42m
/// (6 days gone): ahead of pace, so the heat pane's retainer cell is in the warning colour, in
/// words where there is room and as `10h/20h+` in a small pane (docs/decisions.md, "Layout").
#[test]
fn a_retainer_ahead_of_pace_is_drawn_in_the_warning_colour() {
    use tether::domain::model::{TimeEntry, TimeOn, TimeSpan};
    let at = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .expect("valid instant")
            .with_timezone(&Utc)
    };
    let with_time = || {
        let dir = PathBuf::from("config/example");
        let mut loaded = load_dir(&dir);
        for (line, day) in [(1, 16), (2, 17)] {
            loaded.model.timelog.push(TimeEntry {
                line,
                id: None,
                on: TimeOn::Client("nortec".into()),
                client: None,
                span: TimeSpan::Timed {
                    start: at(&format!("2026-11-{day}T09:00:00-03:00")),
                    end: Some(at(&format!("2026-11-{day}T14:00:00-03:00"))),
                },
                note: None,
            });
        }
        let mut a = App::new(dir, loaded, now());
        update(&mut a, Action::Focus(Pane::Heat));
        a
    };
    for (w, h, cell) in [
        (160, 45, "10h/20h ahead"),
        (80, 24, "10h/20h ahead"),
        (60, 20, "10h/20h+"),
    ] {
        let a = with_time();
        let buf = draw(&a, w, h, &Theme::colour());
        let (x, y) = find(&buf, cell).unwrap_or_else(|| panic!("{w}×{h}: {cell}\n{}", text(&buf)));
        for dx in 0..cell.chars().count() as u16 {
            assert_eq!(
                Some(buf[(x + dx, y)].fg),
                Theme::colour().warn.fg,
                "{w}×{h}: {cell} in the warning colour"
            );
        }
    }
    // Behind pace (nothing logged) is plain: only running out early warns.
    let buf = draw(&app(), 160, 45, &Theme::colour());
    let (x, y) = find(&buf, "0m/20h behind").expect("Nortec's retainer");
    assert_ne!(Some(buf[(x, y)].fg), Theme::colour().warn.fg);
}
