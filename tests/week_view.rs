//! The week view (`w`, issue 14): snapshots at the three sizes every view is checked at, from the
//! shipped example data at a fixed instant, and its keys.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;
use tether::app::state::{App, Overlay};
use tether::app::update::handle_key;
use tether::store::load::load_dir;
use tether::ui::theme::Theme;

const SIZES: [(u16, u16); 3] = [(160, 45), (80, 24), (60, 20)];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .unwrap()
        .with_timezone(&Utc)
}

fn app() -> App {
    let dir = PathBuf::from("config/example");
    let loaded = load_dir(&dir);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    App::new(dir, loaded, now())
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn draw(app: &App, w: u16, h: u16, theme: &Theme) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, theme))
        .unwrap();
    term.backend().buffer().clone()
}

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

#[test]
fn the_week_at_every_size() {
    let mut a = app();
    press(&mut a, "w");
    snap("week", &a);
}

/// Scrubbed to the week of Christmas: your holidays (25 and 28 Dec), Brandt's (24-26 Dec) and
/// Kanda's and Sakura's year-end closing, marked on the rows and named.
#[test]
fn the_week_of_the_holidays() {
    let mut a = app();
    press(&mut a, "1");
    for _ in 0..28 {
        press(&mut a, "L");
    }
    press(&mut a, "w");
    snap("week_holidays", &a);
}

/// Kanda's public holidays (`country = "JP"`) are named on its row: Coming of Age Day, Mon 11
/// Jan 2027, in the week of your Tokyo trip.
#[test]
fn a_public_holiday_is_named_on_the_row() {
    let mut a = app();
    press(&mut a, "1");
    for _ in 0..47 {
        press(&mut a, "L");
    }
    press(&mut a, "w");
    let t = screen(&a, 160, 45);
    assert!(t.contains("Mon 11 Jan"), "{t}");
    assert!(t.contains("holiday: Coming of Age Day"), "{t}");
}

fn screen(app: &App, w: u16, h: u16) -> String {
    text(&draw(app, w, h, &Theme::colour()))
}

/// `w` opens the week over the dashboard; `w` again or Esc closes it.
#[test]
fn w_opens_the_week_and_w_or_esc_closes_it() {
    let mut a = app();
    assert!(!screen(&a, 80, 24).contains("Week from"));
    press(&mut a, "w");
    assert_eq!(a.overlay, Overlay::Week);
    let s = screen(&a, 80, 24);
    assert!(s.contains("Week from Wed 25 Nov"), "{s}");
    press(&mut a, "w");
    assert_eq!(a.overlay, Overlay::None);
    assert!(!screen(&a, 80, 24).contains("Week from"));
    press(&mut a, "w");
    handle_key(&mut a, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    assert_eq!(a.overlay, Overlay::None);
}

/// Scrubbed clocks start the week on the scrubbed day, and the title says so; `.` brings it back
/// to today with the week still open.
#[test]
fn scrubbed_clocks_start_the_week_on_their_day() {
    let mut a = app();
    // 09:30 Wed: 15 hours later is Thu 00:30 in Brisbane.
    press(&mut a, "1");
    for _ in 0..15 {
        press(&mut a, "l");
    }
    press(&mut a, "w");
    let s = screen(&a, 160, 45);
    assert!(
        s.contains("Week from Thu 26 Nov · clocks scrubbed +15h (. for now)"),
        "{s}"
    );
    assert!(
        s.lines()
            .nth(2)
            .is_some_and(|l| l.starts_with("Thu 26 Nov")),
        "{s}"
    );
    assert!(s.contains("Wed 2 Dec") && !s.contains("Wed 25 Nov"), "{s}");
    press(&mut a, ".");
    assert_eq!(a.overlay, Overlay::Week);
    let s = screen(&a, 160, 45);
    assert!(s.contains("Week from Wed 25 Nov · your hours"), "{s}");
}

/// Without colour (`NO_COLOR`) the week reads the same: every mark is a character of its own.
#[test]
fn the_week_reads_without_colour() {
    let mut a = app();
    press(&mut a, "w");
    for (w, h) in SIZES {
        let plain = draw(&a, w, h, &Theme::plain());
        assert_eq!(text(&plain), screen(&a, w, h));
        for cell in plain.content() {
            assert_eq!(cell.fg, ratatui::style::Color::Reset);
            assert_eq!(cell.bg, ratatui::style::Color::Reset);
        }
    }
    let s = screen(&a, 160, 45);
    for mark in ['░', '▒', '█', '◆', '·'] {
        assert!(s.contains(mark), "{mark} in {s}");
    }
}

/// Under the week, the clocks' scrubber moves it (`L` a day later, `H` back) whatever pane has
/// the focus, and keys acting on the rows it hides (`x` done) do nothing.
#[test]
fn the_scrubber_moves_the_week_and_hidden_rows_are_not_acted_on() {
    let mut a = app();
    assert_eq!(a.focus, tether::app::action::Pane::Followups);
    press(&mut a, "w");
    press(&mut a, "L");
    let s = screen(&a, 160, 45);
    assert!(
        s.contains("Week from Thu 26 Nov · clocks scrubbed +1d"),
        "{s}"
    );
    press(&mut a, "H");
    assert!(screen(&a, 160, 45).contains("Week from Wed 25 Nov · your hours"));
    let open = a.board.followups.len();
    press(&mut a, "x");
    assert_eq!(a.board.followups.len(), open);
    assert_eq!(a.overlay, Overlay::Week);
}

/// The filter (`/`) keeps the clients it finds (as the heat pane does): filtered to one client,
/// an 80×24 window has room for its row on every day.
#[test]
fn the_filter_keeps_the_clients_it_finds() {
    let mut a = app();
    press(&mut a, "/kanda");
    handle_key(&mut a, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    press(&mut a, "w");
    let s = screen(&a, 80, 24);
    assert!(s.contains("filter: kanda"), "{s}");
    assert_eq!(s.matches("  Kanda Trading KK").count(), 7, "{s}");
    assert!(!s.contains("Sakura") && !s.contains("Nortec"), "{s}");
    assert!(s.contains("◆ 10:00 Q3 market survey report"), "{s}");
}

/// In Berlin on 29 March 2026 the clocks skip 02:00-03:00: that hour is blank on the row, and the
/// rows of the days around it are whole.
#[test]
fn the_hour_the_clocks_skip_is_blank() {
    let dir = PathBuf::from("config/example");
    let mut loaded = load_dir(&dir);
    let me = &mut loaded.model.config.me;
    me.zone = chrono_tz::Europe::Berlin;
    me.travel.clear();
    me.work_days = tether::domain::time::WeekdaySet::ALL;
    let now = DateTime::parse_from_rfc3339("2026-03-28T12:00:00+01:00")
        .unwrap()
        .with_timezone(&Utc);
    let mut a = App::new(dir, loaded, now);
    a.filter.text = "kanda".into();
    a.refresh(now);
    press(&mut a, "w");
    let s = screen(&a, 80, 24);
    let row = |day: &str| {
        s.lines()
            .find(|l| l.starts_with(day))
            .unwrap_or_else(|| panic!("{day} in {s}"))
            .to_string()
    };
    // Label (18 cells) and a space, then a cell per hour.
    let hour = |l: &str, h: usize| l.chars().nth(19 + h).unwrap();
    assert_eq!(hour(&row("Sun 29 Mar"), 2), ' ', "{s}");
    assert_eq!(hour(&row("Sat 28 Mar"), 2), '·', "{s}");
    assert_eq!(hour(&row("Sun 29 Mar"), 3), '·', "{s}");
}

/// Opened before tether.toml is read, the week says what it waits for rather than drawing
/// made-up hours; with tether.toml in but not the deadlines, the title says they are coming.
#[test]
fn the_week_waits_for_the_data() {
    let dir = PathBuf::from("config/example");
    let mut a = App::loading(dir.clone(), now());
    press(&mut a, "w");
    let s = screen(&a, 80, 24);
    assert!(s.contains("loading tether.toml…"), "{s}");
    assert!(!s.contains('░'), "{s}");
    let sizes = [Some(1_102), Some(68_000_000), Some(2_927)];
    a.config_read(tether::store::load::load_config(&dir), sizes, now());
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("Week from Wed 25 Nov · loading deadlines.jsonl"),
        "{s}"
    );
    assert!(s.contains('░'), "{s}");
}

/// A client whose zone tether does not know is shown in your zone, and the week says so, as
/// every pane does: its rows and its deadlines are marked `[zone?]`.
#[test]
fn a_client_of_unknown_zone_is_marked() {
    let tmp = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir("config/example").unwrap() {
        let f = f.unwrap();
        if f.file_type().unwrap().is_file() {
            std::fs::copy(f.path(), tmp.path().join(f.file_name())).unwrap();
        }
    }
    let toml = tmp.path().join("tether.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("Europe/Berlin", "Europe/Stuttgart", 1)).unwrap();
    let mut a = App::new(tmp.path().to_path_buf(), load_dir(tmp.path()), now());
    // Scrubbed to the week (Sat 28 Nov to Fri 4 Dec) of its go-live checklist, due Fri 4 Dec.
    press(&mut a, "1LLLw");
    let s = screen(&a, 160, 45);
    assert!(s.contains("  [zone?] Brandt Maschi"), "{s}");
    assert!(
        s.contains("zone \"Europe/Stuttgart\" unknown: shown in your zone"),
        "{s}"
    );
    assert!(s.contains("[zone?] Intranet release 4.2"), "{s}");
}

/// Enter under the week neither opens the hidden follow-up's details over it (it did) nor is
/// offered in the footer.
#[test]
fn enter_under_the_week_does_nothing_and_is_not_offered() {
    let mut a = app();
    assert_eq!(a.focus, tether::app::action::Pane::Followups);
    press(&mut a, "w");
    assert!(!screen(&a, 160, 45).contains("enter"));
    handle_key(&mut a, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(a.overlay, Overlay::Week);
}
