//! Meeting slots as a user asks for them: `tether slots` with several clients, and `m` on a
//! client's clock in the dashboard.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use assert_cmd::Command;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tether::app::state::{App, Overlay};
use tether::app::update::handle_key;

const NOW: &str = "2026-11-25T09:30:00+10:00";

fn example() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    tether::store::example::write_example(&dir).unwrap();
    (tmp, dir)
}

fn slots(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("tether")
        .unwrap()
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW, "slots"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The seeds' translator in Brisbane with a Tokyo and a Stuttgart client: their hours meet only
/// after her day ends, so the best hour is the one that stretches it least, shown on every clock.
#[test]
fn the_best_hour_with_tokyo_and_stuttgart_is_shown_on_every_clock() {
    let (_tmp, dir) = example();
    let (code, out, err) = slots(&dir, &["kanda", "brandt", "--count", "2"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(
        lines[1],
        " 1. Wed 25 Nov 17:00–18:00 AEST (30m outside your hours) · kanda 16:00–17:00 JST · \
         brandt 08:00–09:00 CET"
    );
    assert!(
        lines[2].starts_with(" 2. Thu 26 Nov 17:00–18:00 AEST"),
        "{out}"
    );
}

/// Clients whose hours never meet get a plain answer and exit status 1, for scripts.
#[test]
fn hours_that_never_meet_say_so_and_exit_1() {
    let (_tmp, dir) = example();
    let (code, out, _) = slots(&dir, &["kanda", "nortec"]);
    assert_eq!(code, 1);
    assert!(out.contains("none: their hours never meet"), "{out}");
}

/// A mistyped id, a bad length and an unknown zone are named, and nothing is guessed.
#[test]
fn mistakes_are_named() {
    let (_tmp, dir) = example();
    let (code, _, err) = slots(&dir, &["kandq"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"kanda\""), "{err}");
    let (code, _, err) = slots(&dir, &["kanda", "--length", "an hour"]);
    assert_eq!(code, 2);
    assert!(err.contains("--length: cannot read duration"), "{err}");
    let toml = dir.join("tether.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("zone = \"Europe/Berlin\"", "zone = \"Europe/Stutgart\"");
    std::fs::write(&toml, text).unwrap();
    let (code, _, err) = slots(&dir, &["kanda", "brandt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("brandt") && err.contains("tether.toml"),
        "{err}"
    );
}

/// Issue 18: "a key in the clocks pane lists the best meeting slots". `m` on Stuttgart's clock
/// lists the hours to meet Brandt, on your clock and theirs (the same words as `tether slots`).
#[test]
fn m_on_a_clients_clock_lists_meeting_slots() {
    let (_tmp, dir) = example();
    let loaded = tether::store::load::load_dir(&dir);
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc();
    let mut a = App::new(dir, loaded, now);
    press(&mut a, "1");
    while a.selected_clock().and_then(|r| r.client_id()) != Some("brandt") {
        let at = a.selected[0];
        press(&mut a, "j");
        assert_ne!(a.selected[0], at, "no clock for brandt");
    }
    press(&mut a, "m");
    let Overlay::Slots { title, lines } = &a.overlay else {
        panic!("{:?}", a.overlay)
    };
    assert!(
        title.starts_with("Meeting slots with Brandt Maschinenbau GmbH"),
        "{title}"
    );
    // Wed 25 Nov, 09:30 in Brisbane: Stuttgart opens at 08:00 CET = 17:00 AEST, 30 minutes
    // before your day ends.
    assert_eq!(
        lines[0],
        "Wed 25 Nov 17:00–18:00 AEST (30m outside your hours) · brandt 08:00–09:00 CET"
    );
    handle_key(&mut a, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    assert_eq!(a.overlay, Overlay::None);
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}
