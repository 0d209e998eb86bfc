//! Issue 14, "clocks you can ask": the clocks pane is a list with a cursor (`j`/`k`), and a
//! scrubber (`h`/`l` an hour, `H`/`L` a day, `.` back to now) moves every row's local time,
//! status and overlap, checked here against chrono-tz and the clients' hours read directly.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tether::app::action::Pane;
use tether::app::state::App;
use tether::app::update::handle_key;
use tether::store::load::load_dir;

/// A Brisbane translator with three Tokyo clients (two keeping the same hours), one in
/// Stuttgart and one in São Paulo, a London desk clock, and a trip to Tokyo in January.
pub const TOML: &str = r#"
[me]
name = "Aiko Tanaka"
zone = "Australia/Brisbane"
work_hours = "08:30-17:30"

[[me.travel]]
from = "2027-01-10"
to = "2027-01-14"
zone = "Asia/Tokyo"

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

/// Each client: id, zone, opening and closing on their clock (Mon-Fri, no holidays).
const CLIENTS: &[(&str, &str, &str, &str)] = &[
    ("kanda", "Asia/Tokyo", "09:00", "18:00"),
    ("mizuho", "Asia/Tokyo", "09:00", "18:00"),
    ("sakura", "Asia/Tokyo", "09:30", "18:30"),
    ("brandt", "Europe/Berlin", "08:00", "16:30"),
    ("nortec", "America/Sao_Paulo", "09:00", "18:00"),
];

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct Dash {
    _tmp: tempfile::TempDir,
    app: App,
}

fn dash(now: DateTime<Utc>) -> Dash {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("tether.toml"), TOML).unwrap();
    let loaded = load_dir(tmp.path());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let app = App::new(tmp.path().to_path_buf(), loaded, now);
    Dash { _tmp: tmp, app }
}

impl Dash {
    fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            assert!(
                handle_key(&mut self.app, k).is_empty(),
                "{c} writes nothing"
            );
        }
    }

    /// Each client's row: (local time, open) as the pane shows it.
    fn client_row(&self, id: &str) -> (String, bool) {
        let r = self
            .app
            .board
            .clocks
            .iter()
            .find(|r| r.client_id() == Some(id))
            .unwrap_or_else(|| panic!("a row for {id}"));
        let status = r.status.expect("a client row has a status");
        (r.local.format("%a %H:%M").to_string(), status.is_open())
    }

    /// Every client row agrees with chrono-tz and the client's hours at `when`.
    fn rows_agree_at(&self, when: DateTime<Utc>) {
        for (id, zone, open, close) in CLIENTS {
            let zone: Tz = zone.parse().unwrap();
            let local = when.with_timezone(&zone);
            let t = local.time();
            let (o, c) = (
                NaiveTime::parse_from_str(open, "%H:%M").unwrap(),
                NaiveTime::parse_from_str(close, "%H:%M").unwrap(),
            );
            let workday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
            let expected = (
                local.format("%a %H:%M").to_string(),
                workday && o <= t && t < c,
            );
            assert_eq!(self.client_row(id), expected, "{id} at {when}");
        }
    }
}

#[test]
fn l_l_moves_every_clock_two_hours_h_a_day_back_and_dot_returns() {
    // Wed 25 Nov 2026 09:30 in Brisbane: Tokyo 08:30 (all closed), Stuttgart 00:30.
    let now = at("2026-11-25T09:30:00+10:00");
    let mut d = dash(now);
    d.press("1");
    assert_eq!(d.app.focus, Pane::Clocks);
    d.rows_agree_at(now);
    assert!(!d.client_row("kanda").1 && !d.client_row("sakura").1);

    d.press("ll");
    assert_eq!(d.app.view_now(), now + Duration::hours(2));
    d.rows_agree_at(now + Duration::hours(2));
    // Tokyo 10:30: kanda, mizuho and sakura are open.
    assert_eq!(d.client_row("kanda"), ("Wed 10:30".into(), true));
    assert!(d.client_row("sakura").1);
    // Your own row follows too; the real now does not move (alerts and writes use it).
    let me = &d.app.board.clocks[0];
    assert!(me.is_me());
    assert_eq!(me.local.format("%H:%M").to_string(), "11:30");
    assert_eq!(d.app.now, now);
    // The overlap is your day's at the viewed time: with kanda, all of your 08:30-17:30 that
    // is inside its 09:00-18:00 JST = 10:00-19:00 AEST.
    let kanda = d
        .app
        .board
        .clocks
        .iter()
        .find(|r| r.client_id() == Some("kanda"))
        .unwrap();
    assert_eq!(kanda.overlap.len(), 1);
    assert_eq!(kanda.overlap[0].start, at("2026-11-25T10:00:00+10:00"));
    assert_eq!(kanda.overlap[0].end, at("2026-11-25T17:30:00+10:00"));

    // H: a day earlier, Tue 24 11:30 AEST.
    d.press("H");
    let tue = now + Duration::hours(2) - Duration::days(1);
    assert_eq!(d.app.view_now(), tue);
    d.rows_agree_at(tue);
    assert_eq!(d.client_row("kanda").0, "Tue 10:30");

    // h back an hour, L forward a day: Wed 10:30 AEST.
    d.press("hL");
    d.rows_agree_at(now + Duration::hours(1));

    // Back to now: the rows are the board's at now again.
    d.press(".");
    assert_eq!(d.app.view_now(), now);
    d.rows_agree_at(now);

    // A new minute keeps the scrub: the view moves on with the clock.
    d.press("l");
    let later = now + Duration::minutes(1);
    d.app.refresh(later);
    d.rows_agree_at(later + Duration::hours(1));
}

#[test]
fn the_scrubbed_view_spans_the_weekend_and_a_week() {
    // Fri 27 Nov 16:00 in Brisbane: Tokyo 15:00 open; a day later it is Saturday, closed.
    let now = at("2026-11-27T16:00:00+10:00");
    let mut d = dash(now);
    d.press("1");
    assert!(d.client_row("kanda").1);
    d.press("L");
    d.rows_agree_at(now + Duration::days(1));
    assert!(!d.client_row("kanda").1);
    for _ in 0..6 {
        d.press("L");
    }
    d.rows_agree_at(now + Duration::days(7));
    assert!(d.client_row("kanda").1);
}

#[test]
fn j_and_k_move_a_cursor_among_the_clocks_and_it_stays_on_its_clock() {
    let now = at("2026-11-25T09:30:00+10:00");
    let mut d = dash(now);
    d.press("1");
    let label = |d: &Dash| d.app.selected_clock().map(|r| r.label.clone()).unwrap();
    assert_eq!(label(&d), "Aiko Tanaka");
    d.press("j");
    assert_eq!(label(&d), "London desk");
    d.press("jj");
    let third = label(&d);
    assert_ne!(third, "London desk");
    d.press("k");
    let second = label(&d);
    assert_ne!(second, third);
    // To the end and no further; back to the top.
    for _ in 0..20 {
        d.press("j");
    }
    assert_eq!(
        d.app.selected[0],
        d.app.board.clocks.len() - 1,
        "the cursor stops at the last clock"
    );
    d.press("g");
    assert_eq!(label(&d), "Aiko Tanaka");
    // Scrubbing keeps the cursor on its clock.
    d.press("jjj");
    let before = label(&d);
    d.press("LLl");
    assert_eq!(label(&d), before);
}

#[test]
fn on_a_trip_the_clients_keep_their_own_rows() {
    // Tue 12 Jan 2027, in Tokyo on the trip: your clock is Tokyo's, and each Tokyo client
    // still has its own row, status and overlap.
    let now = at("2027-01-12T10:00:00+09:00");
    let d = dash(now);
    let rows = &d.app.board.clocks;
    assert_eq!(rows[0].zone, chrono_tz::Asia::Tokyo);
    assert!(rows[0].is_me() && rows[0].status.is_none());
    for id in ["kanda", "mizuho", "sakura", "brandt", "nortec"] {
        assert_eq!(
            rows.iter().filter(|r| r.client_id() == Some(id)).count(),
            1,
            "{id} has one row of its own"
        );
    }
    d.rows_agree_at(now);
}
