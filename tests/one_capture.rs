//! The dashboard's `a` form and `tether add followup` build a new record through one function
//! (`store::capture`): given the same words for a client in another zone, they append the very
//! same line, byte for byte (same zone rule, id rule, key order), and the form shows the due in
//! both zones before it is saved.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use tether::app::effects::apply;
use tether::app::files::Files;
use tether::app::state::{App, Overlay};
use tether::app::update::handle_key;
use tether::store::load::load_dir;

#[path = "support/data.rs"]
mod data;

use data::{NOW, example};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

fn last_line(dir: &Path, file: &str) -> String {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines().last().unwrap_or_default().to_string()
}

/// `tether add followup` through the real binary.
fn add_by_shell(dir: &Path, what: &str, client: &str, due: &str) -> String {
    let out = Command::cargo_bin("tether")
        .unwrap()
        .env_remove("TETHER_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW])
        .args(["add", "followup", what, "--client", client, "--due", due])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    last_line(dir, "followups.jsonl")
}

struct Dashboard {
    app: App,
    files: Files,
}

impl Dashboard {
    fn open(dir: &Path) -> Dashboard {
        Dashboard {
            app: App::new(dir.to_path_buf(), load_dir(dir), now()),
            files: Files::new(dir),
        }
    }

    fn key(&mut self, code: KeyCode) {
        let effects = handle_key(&mut self.app, KeyEvent::new(code, KeyModifiers::NONE));
        for e in effects {
            apply(&mut self.app, &mut self.files, e, now());
        }
    }

    fn typed(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    /// Open the `a` form and fill it in, leaving it open (not saved).
    fn fill_add_form(&mut self, what: &str, client: &str, due: &str) {
        self.key(KeyCode::Char('a'));
        self.typed(what);
        self.key(KeyCode::Tab);
        // The client field starts with the selected follow-up's client; replace it.
        for _ in 0..20 {
            self.key(KeyCode::Backspace);
        }
        self.typed(client);
        self.key(KeyCode::Tab); // to "who"
        self.key(KeyCode::Tab); // to "due"
        self.typed(due);
    }
}

#[test]
fn the_form_and_tether_add_write_the_same_line_for_a_client_in_another_zone() {
    // brandt is in Berlin (+01:00 in November); you are in Brisbane (+10:00).
    let (what, client, due) = ("Send revised quote", "brandt", "fri 17:00");

    let shell = example();
    let by_shell = add_by_shell(&shell.dir, what, client, due);

    let dash = example();
    let mut d = Dashboard::open(&dash.dir);
    d.fill_add_form(what, client, due);
    // Before saving, the form says what the words mean, in their zone and yours.
    let Overlay::Form(form) = &d.app.overlay else {
        panic!("the form is not open: {:?}", d.app.overlay)
    };
    assert_eq!(
        form.preview.as_deref(),
        Some("due Fri 27 Nov 17:00 CET = Sat 28 Nov 02:00 AEST"),
        "{form:?}"
    );
    d.key(KeyCode::Enter);
    assert_eq!(d.app.overlay, Overlay::None, "{:?}", d.app.message);
    let by_form = last_line(&dash.dir, "followups.jsonl");

    assert!(
        by_shell.contains(r#""due":"2026-11-27T17:00:00+01:00""#),
        "{by_shell}"
    );
    assert!(by_shell.starts_with(r#"{"id":"f-"#), "{by_shell}");
    assert_eq!(by_form, by_shell);
}

#[test]
fn a_log_from_the_form_and_tether_log_write_the_same_line() {
    let shell = example();
    let out = Command::cargo_bin("tether")
        .unwrap()
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(&shell.dir)
        .args(["--now", NOW])
        .args(["log", "brandt", "call", "Q4 scope", "--who", "Jonas"])
        .args(["--at", "yesterday 16:00"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let by_shell = last_line(&shell.dir, "interactions.jsonl");

    let dash = example();
    let mut d = Dashboard::open(&dash.dir);
    d.key(KeyCode::Char('l'));
    d.key(KeyCode::BackTab); // back to "client" whatever the selection filled in
    let Overlay::Form(form) = &d.app.overlay else {
        panic!("the form is not open")
    };
    let focus = form.focus;
    if focus != 0 {
        d.key(KeyCode::BackTab);
    }
    for _ in 0..20 {
        d.key(KeyCode::Backspace);
    }
    d.typed("brandt");
    d.key(KeyCode::Tab); // kind: call
    d.key(KeyCode::Tab);
    // "who" starts as the champion: the name typed replaces it.
    for _ in 0..40 {
        d.key(KeyCode::Backspace);
    }
    d.typed("Jonas");
    d.key(KeyCode::Tab);
    d.typed("Q4 scope");
    d.key(KeyCode::Tab);
    d.typed("yesterday 16:00");
    d.key(KeyCode::Enter);
    assert_eq!(d.app.overlay, Overlay::None, "{:?}", d.app.message);
    assert_eq!(last_line(&dash.dir, "interactions.jsonl"), by_shell);
}

#[test]
fn the_forms_id_avoids_an_id_already_in_the_file() {
    let data = example();
    let (what, client, due) = ("Send revised quote", "brandt", "fri 17:00");
    // What the form would write, then that very id put in the file by hand first.
    let probe = example();
    let taken = add_by_shell(&probe.dir, what, client, due);
    let id = serde_json::from_str::<serde_json::Value>(&taken).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut text = std::fs::read_to_string(data.dir.join("followups.jsonl")).unwrap();
    text.push_str(&format!(
        "{{\"id\":\"{id}\",\"what\":\"Already here\",\"status\":\"open\"}}\n"
    ));
    std::fs::write(data.dir.join("followups.jsonl"), text).unwrap();

    let mut d = Dashboard::open(&data.dir);
    d.fill_add_form(what, client, due);
    d.key(KeyCode::Enter);
    assert_eq!(d.app.overlay, Overlay::None, "{:?}", d.app.message);
    let added = last_line(&data.dir, "followups.jsonl");
    assert!(added.contains(what), "{added}");
    assert!(!added.contains(&id), "{added} reuses {id}");
    let ids: Vec<String> = std::fs::read_to_string(data.dir.join("followups.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
}
