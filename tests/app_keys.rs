//! Each key's effect on the dashboard's state and on the files on disk, without a terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;
use tether::app::action::Pane;
use tether::app::effects::{Next, apply};
use tether::app::state::{App, Overlay};
use tether::app::update::handle_key;
use tether::domain::board::Section;
use tether::store::load::load_dir;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .expect("now")
        .with_timezone(&Utc)
}

#[path = "support/keys.rs"]
mod keys;

type Fixture = keys::Keys;

fn fixture() -> Fixture {
    Fixture::example(now())
}

trait Selected {
    fn selected_what(&self) -> String;
}

impl Selected for Fixture {
    fn selected_what(&self) -> String {
        self.app
            .selected_followup_record()
            .map(|(_, f)| f.what.to_string())
            .unwrap_or_default()
    }
}

fn changed_lines(before: &str, after: &str) -> Vec<(usize, String)> {
    let a: Vec<&str> = before.split('\n').collect();
    let b: Vec<&str> = after.split('\n').collect();
    assert_eq!(a.len(), b.len(), "line count changed");
    a.iter()
        .zip(&b)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (_, y))| (i + 1, y.to_string()))
        .collect()
}

#[test]
fn x_marks_the_selected_follow_up_done_and_u_undoes_it() {
    let mut f = fixture();
    assert_eq!(f.app.focus, Pane::Followups);
    assert_eq!(f.selected_what(), "Send revised quote for the Q1 survey");
    let before = f.read("followups.jsonl");
    f.press("x");
    let after = f.read("followups.jsonl");
    let changed = changed_lines(&before, &after);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, 2);
    assert!(
        changed[0].1.contains("\"status\":\"done\""),
        "{}",
        changed[0].1
    );
    assert!(
        changed[0]
            .1
            .contains("\"done_at\":\"2026-11-25T09:30:00+10:00\"")
    );
    assert!(
        !f.app
            .board
            .followups
            .iter()
            .filter_map(|r| f.app.followup(r.record))
            .any(|r| r.what.starts_with("Send revised quote"))
    );
    let msg = f.app.message.clone().expect("message").0;
    assert!(msg.contains("u to undo"), "{msg}");
    f.press("u");
    assert_eq!(f.read("followups.jsonl"), before);
    assert_eq!(f.selected_what(), "Send revised quote for the Q1 survey");
}

/// Issue 13: `x` on a record with a 1 MB title quotes a few words of it (in the message and in
/// the undo journal, which kept the whole line twice and the title once more), and `u` brings
/// the file back byte for byte with the record selected.
#[test]
fn x_on_a_record_with_a_huge_title_quotes_a_few_words_and_u_brings_it_back() {
    let mut f = fixture();
    let title = "Send revised quote for the Q1 survey";
    let huge = format!("{title} {}", "and more ".repeat(120_000));
    let before = f.read("followups.jsonl").replace(title, &huge);
    std::fs::write(f.dir.join("followups.jsonl"), &before).expect("write");
    f.app = App::new(f.dir.clone(), load_dir(&f.dir), now());
    assert_eq!(f.selected_what(), huge);
    f.press("x");
    let msg = f.app.message.clone().expect("message").0;
    assert!(msg.starts_with(&format!("done: {title}")), "{}", &msg[..80]);
    assert!(
        msg.chars().count() < 120,
        "the message is {} characters",
        msg.len()
    );
    let after = f.read("followups.jsonl");
    let changed = changed_lines(&before, &after);
    assert_eq!(changed.len(), 1);
    assert!(changed[0].1.contains("\"status\":\"done\""));
    let journal = std::fs::metadata(f.dir.join(".tether/undo.jsonl"))
        .expect("journal")
        .len();
    assert!(journal < 4096, "the undo journal is {journal} bytes");
    f.press("u");
    assert_eq!(f.read("followups.jsonl"), before);
    assert_eq!(f.selected_what(), huge);
}

#[test]
fn s_snoozes_to_the_next_working_day_and_hides_the_item() {
    let mut f = fixture();
    let hidden = f.app.hidden_snoozed;
    f.press("s");
    let text = f.read("followups.jsonl");
    let line = text.lines().nth(1).expect("line 2");
    // Wednesday 09:30 in Brisbane: the next working day starts Thursday 08:30.
    assert!(
        line.contains("\"snoozed_until\":\"2026-11-26T08:30:00+10:00\""),
        "{line}"
    );
    assert_eq!(f.app.hidden_snoozed, hidden + 1);
    assert_ne!(f.selected_what(), "Send revised quote for the Q1 survey");
}

#[test]
fn snooze_picker_offers_choices_and_a_date() {
    let mut f = fixture();
    f.press("S");
    let Overlay::Snooze(p) = &f.app.overlay else {
        panic!("no picker: {:?}", f.app.overlay)
    };
    assert!(p.choices.len() >= 4);
    assert!(p.choices[0].0.starts_with("1 hour"));
    // Choose the last entry, "a date…", and type one.
    f.key(KeyCode::Up);
    f.key(KeyCode::Enter);
    assert!(matches!(f.app.overlay, Overlay::Form(_)));
    f.press("2026-12-01 09:00");
    f.key(KeyCode::Enter);
    assert_eq!(f.app.overlay, Overlay::None);
    let line = f
        .read("followups.jsonl")
        .lines()
        .nth(1)
        .expect("line")
        .to_string();
    assert!(
        line.contains("\"snoozed_until\":\"2026-12-01T09:00:00+10:00\""),
        "{line}"
    );
}

#[test]
fn a_date_in_the_past_is_refused_with_a_message() {
    let mut f = fixture();
    let before = f.read("followups.jsonl");
    f.press("S");
    f.key(KeyCode::Up);
    f.key(KeyCode::Enter);
    f.press("2020-01-01");
    f.key(KeyCode::Enter);
    let Overlay::Form(form) = &f.app.overlay else {
        panic!("form closed")
    };
    assert!(form.error.as_deref().unwrap_or("").contains("past"));
    f.key(KeyCode::Esc);
    assert_eq!(f.read("followups.jsonl"), before);
}

#[test]
fn a_adds_a_follow_up_with_client_completion() {
    let mut f = fixture();
    f.press("a");
    f.press("Call about the invoice");
    f.key(KeyCode::Tab);
    // The client field starts with the selected follow-up's client; replace it.
    for _ in 0..10 {
        f.key(KeyCode::Backspace);
    }
    f.press("inf");
    f.key(KeyCode::Tab); // completes "infosol", moves on
    f.press("Priya");
    f.key(KeyCode::Tab);
    f.press("tomorrow");
    f.key(KeyCode::Enter);
    assert_eq!(f.app.overlay, Overlay::None, "{:?}", f.app.message);
    let text = f.read("followups.jsonl");
    let last = text.lines().last().expect("last");
    assert!(last.contains("\"client\":\"infosol\""), "{last}");
    assert!(last.contains("\"due\":\"2026-11-26\""), "{last}");
    assert!(last.contains("\"what\":\"Call about the invoice\""));
    assert!(f.app.board.followups.iter().any(|r| {
        r.section == Section::Upcoming
            && f.app
                .followup(r.record)
                .is_some_and(|x| x.what == "Call about the invoice")
    }));
}

#[test]
fn adding_needs_a_what_and_a_known_client() {
    let mut f = fixture();
    let before = f.read("followups.jsonl");
    f.press("a");
    f.key(KeyCode::Enter);
    let Overlay::Form(form) = &f.app.overlay else {
        panic!()
    };
    assert!(form.error.as_deref().unwrap_or("").contains("required"));
    f.press("Something");
    f.key(KeyCode::Tab);
    f.press("zz");
    f.key(KeyCode::Enter);
    let Overlay::Form(form) = &f.app.overlay else {
        panic!()
    };
    assert!(
        form.error
            .as_deref()
            .unwrap_or("")
            .contains("unknown client")
    );
    assert_eq!(f.read("followups.jsonl"), before);
}

#[test]
fn l_logs_a_contact_and_warms_the_client_at_once() {
    let mut f = fixture();
    f.press("3");
    assert_eq!(f.app.focus, Pane::Heat);
    let cool = f.app.selected_heat().expect("row").client.id.clone();
    let heat_before = f.app.selected_heat().expect("row").heat.heat;
    f.press("l");
    // kind starts at "call"; choose the next ("email")… then back to call.
    f.key(KeyCode::Down);
    f.key(KeyCode::Up);
    f.key(KeyCode::Tab);
    f.key(KeyCode::Tab);
    f.press("Quarterly check-in");
    f.key(KeyCode::Enter);
    let last = f
        .read("interactions.jsonl")
        .lines()
        .last()
        .expect("line")
        .to_string();
    assert!(last.contains(&format!("\"client\":\"{cool}\"")), "{last}");
    assert!(last.contains("\"kind\":\"call\""), "{last}");
    let after = f
        .app
        .board
        .heat
        .iter()
        .find(|h| h.client.id == cool)
        .expect("client")
        .heat
        .heat;
    assert!(after > heat_before + 5.0, "{heat_before} -> {after}");
}

#[test]
fn x_on_a_deadline_marks_it_done() {
    let mut f = fixture();
    f.press("2");
    let title = f
        .app
        .selected_deadline_record()
        .expect("row")
        .1
        .title
        .clone();
    let before = f.read("deadlines.jsonl");
    f.press("x");
    let changed = changed_lines(&before, &f.read("deadlines.jsonl"));
    assert_eq!(changed.len(), 1);
    assert!(changed[0].1.contains(title.as_str()));
    assert!(changed[0].1.contains("\"status\":\"done\""));
    assert!(
        !f.app
            .board
            .deadlines
            .iter()
            .any(|d| f.app.deadline(d.record).is_some_and(|d| d.title == title))
    );
}

#[test]
fn a_hand_edit_since_load_is_never_overwritten() {
    let mut f = fixture();
    let path = f.dir.join("followups.jsonl");
    let mut text = f.read("followups.jsonl");
    text.insert_str(0, "{\"what\":\"Added by hand in vim\"}\n");
    std::fs::write(&path, &text).expect("write");
    // The app has not reloaded: its record still says line 2.
    f.press("x");
    let after = f.read("followups.jsonl");
    let changed = changed_lines(&text, &after);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, 3);
    assert!(after.starts_with("{\"what\":\"Added by hand in vim\"}\n"));
}

#[test]
fn a_record_deleted_on_disk_is_reported_and_nothing_written() {
    let mut f = fixture();
    let path = f.dir.join("followups.jsonl");
    let text: String = f
        .read("followups.jsonl")
        .lines()
        .filter(|l| !l.contains("f-19c2aa"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, &text).expect("write");
    f.press("x");
    assert_eq!(f.read("followups.jsonl"), text);
    let (msg, _) = f.app.message.clone().expect("message");
    assert!(msg.contains("no longer"), "{msg}");
}

#[test]
fn filter_and_show_closed() {
    let mut f = fixture();
    let all = f.app.board.followups.len();
    f.press("/brandt");
    assert!(f.app.board.followups.len() < all);
    assert!(f.app.board.followups.iter().all(|r| {
        f.app
            .followup(r.record)
            .and_then(|x| x.client.clone())
            .as_deref()
            == Some("brandt")
    }));
    f.key(KeyCode::Esc);
    assert_eq!(f.app.board.followups.len(), all);
    f.press("z");
    assert!(
        f.app
            .board
            .followups
            .iter()
            .any(|r| r.section == Section::Snoozed)
    );
    assert!(
        f.app
            .board
            .followups
            .iter()
            .any(|r| r.section == Section::Closed)
    );
}

#[test]
fn overlays_and_focus_keys() {
    let mut f = fixture();
    f.press("?");
    assert_eq!(f.app.overlay, Overlay::Help);
    f.key(KeyCode::Esc);
    assert_eq!(f.app.overlay, Overlay::None);
    f.press("!");
    assert_eq!(f.app.overlay, Overlay::Problems);
    f.press("!");
    assert_eq!(f.app.overlay, Overlay::None);
    f.press("1");
    assert_eq!(f.app.focus, Pane::Clocks);
    f.key(KeyCode::Tab);
    assert_eq!(f.app.focus, Pane::Deadlines);
    f.press("j");
    assert_eq!(f.app.selected[1], 1);
    f.key(KeyCode::Enter);
    assert_eq!(f.app.overlay, Overlay::Detail);
    assert!(f.key(KeyCode::Char('q')).contains(&Next::Quit));
}

#[test]
fn e_asks_for_the_editor_at_the_record_line() {
    let mut f = fixture();
    f.press("j");
    let line = f.app.selected_followup().expect("row").line;
    let next = f.key(KeyCode::Char('e'));
    assert_eq!(
        next,
        vec![Next::Editor {
            path: f.dir.join("followups.jsonl"),
            line
        }]
    );
}

#[test]
fn selection_stays_on_the_record_after_a_reload() {
    let mut f = fixture();
    f.press("jj");
    let what = f.selected_what();
    let path: &Path = &f.dir.join("followups.jsonl");
    let text = f.read("followups.jsonl");
    std::fs::write(
        path,
        format!("{{\"what\":\"New at the top\",\"due\":\"2026-11-20\"}}\n{text}"),
    )
    .expect("write");
    let dir = f.dir.clone();
    f.app.reload(load_dir(&dir), now());
    assert_eq!(f.selected_what(), what);
}

#[test]
fn the_header_counts_every_problem_not_only_the_listed_ones() {
    let f = fixture();
    // 250 unreadable lines: the loader lists 200 and sums up the rest in one line.
    let mut text = std::fs::read_to_string(f.dir.join("followups.jsonl")).unwrap();
    for i in 0..250 {
        text.push_str(&format!("{{\"what\": \"broken {i}\"\n"));
    }
    std::fs::write(f.dir.join("followups.jsonl"), text).unwrap();
    let app = App::new(f.dir.clone(), load_dir(&f.dir), now());
    assert_eq!(app.problems().total(), 250);
    let header = tether::store::load::load_dir(&f.dir).problems();
    assert_eq!(app.problems(), header, "the header and `check` agree");
}

/// Issue 14: `j`/`k` did nothing in the snooze picker, so `S j j j Enter` snoozed 1 hour (the
/// first choice) without a word.
#[test]
fn j_and_k_move_in_the_snooze_picker() {
    let mut f = fixture();
    f.press("4");
    f.press("S");
    f.press("jjj");
    let Overlay::Snooze(p) = &f.app.overlay else {
        panic!("picker open")
    };
    assert_eq!(p.selected, 3);
    f.press("k");
    let Overlay::Snooze(p) = &f.app.overlay else {
        panic!("picker open")
    };
    assert_eq!(p.selected, 2);
    // In a form's text field j and k are letters.
    f.key(KeyCode::Esc);
    f.press("a");
    f.press("jk");
    let Overlay::Form(form) = &f.app.overlay else {
        panic!("form open")
    };
    assert_eq!(form.fields[0].value, "jk");
}

/// Issue 14: Tab on an ambiguous client prefix filled the common prefix and silently moved on.
/// Now it stays, and each Tab puts the next match in the field; the arrow goes on.
#[test]
fn tab_goes_round_the_clients_an_ambiguous_prefix_names() {
    let mut f = fixture();
    let toml = f.dir.join("tether.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[[clients]]\nid = \"kanda-osaka\"\nname = \"Kanda Osaka branch\"\nzone = \"Asia/Tokyo\"\n");
    std::fs::write(&toml, text).unwrap();
    f.app = App::new(f.dir.clone(), load_dir(&f.dir), now());
    f.press("a");
    f.press("Send the glossary");
    f.key(KeyCode::Tab);
    ctrl(&mut f, 'u');
    f.press("kan");
    let client = |f: &Fixture| {
        let Overlay::Form(form) = &f.app.overlay else {
            panic!("form open")
        };
        (form.fields[form.focus].label, form.fields[1].value.clone())
    };
    f.key(KeyCode::Tab);
    assert_eq!(client(&f), ("client", "kanda".to_string()));
    f.key(KeyCode::Tab);
    assert_eq!(client(&f), ("client", "kanda-osaka".to_string()));
    f.key(KeyCode::Tab);
    assert_eq!(client(&f), ("client", "kanda".to_string()));
    f.key(KeyCode::Tab);
    assert_eq!(client(&f), ("client", "kanda-osaka".to_string()));
    f.key(KeyCode::Down);
    assert_eq!(client(&f), ("who", "kanda-osaka".to_string()));
    f.key(KeyCode::Enter);
    assert_eq!(f.app.overlay, Overlay::None, "{:?}", f.app.message);
    let text = f.read("followups.jsonl");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .contains("\"client\":\"kanda-osaka\""),
        "{text}"
    );
    // An id typed whole goes on at once, even when it begins another.
    f.press("a");
    f.press("Call");
    f.key(KeyCode::Tab);
    ctrl(&mut f, 'u');
    f.press("kanda");
    f.key(KeyCode::Tab);
    assert_eq!(client(&f), ("who", "kanda".to_string()));
}

/// Issue 14: no Ctrl-U or Ctrl-W in the forms and the filter line.
#[test]
fn ctrl_u_clears_and_ctrl_w_deletes_a_word() {
    let mut f = fixture();
    f.press("a");
    f.press("Send the  revised quote ");
    ctrl(&mut f, 'w');
    let what = |f: &Fixture| {
        let Overlay::Form(form) = &f.app.overlay else {
            panic!("form open")
        };
        form.fields[0].value.clone()
    };
    assert_eq!(what(&f), "Send the  revised ");
    ctrl(&mut f, 'w');
    assert_eq!(what(&f), "Send the  ");
    ctrl(&mut f, 'u');
    assert_eq!(what(&f), "");
    f.key(KeyCode::Esc);
    f.press("/");
    f.press("kanda");
    ctrl(&mut f, 'u');
    assert_eq!(f.app.filter.text, "");
}

fn ctrl(f: &mut Fixture, c: char) {
    let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let effects = handle_key(&mut f.app, k);
    for e in effects {
        apply(&mut f.app, &mut f.files, e, now());
    }
}

/// The dashboard starts before its data is read (the first load goes on off the screen's
/// thread): the lists are empty then, so a key that would change the data, or open a form or
/// the editor to change it, says it is still loading and does nothing; `q` still quits. Once the
/// data is in, the same key acts.
#[test]
fn keys_that_change_the_data_while_it_is_loading_say_still_loading() {
    use tether::app::action::Effect;
    use tether::app::state::Prepared;
    let mut f = fixture();
    let before: Vec<String> = ["followups.jsonl", "deadlines.jsonl", "interactions.jsonl"]
        .map(|n| f.read(n))
        .to_vec();
    f.app = App::loading(f.dir.clone(), now());
    let config = tether::store::load::load_config(&f.dir);
    let sizes = [Some(1_000), Some(68_000_000), Some(3_000)];
    f.app.config_read(config, sizes, now());
    for (pane, keys) in [
        (Pane::Followups, "xsSeaul"),
        (Pane::Deadlines, "xeu"),
        (Pane::Heat, "l"),
    ] {
        f.app.focus = pane;
        for k in keys.chars() {
            let nexts = f.key(KeyCode::Char(k));
            assert!(nexts.is_empty(), "{k} in {pane:?}: {nexts:?}");
            let (message, _) = f.app.message.clone().expect("a message");
            assert_eq!(
                message, "still loading followups.jsonl (64 MB): try again once it is in",
                "{k} in {pane:?}"
            );
            assert_eq!(f.app.overlay, Overlay::None, "{k} opened something");
        }
    }
    let after: Vec<String> = ["followups.jsonl", "deadlines.jsonl", "interactions.jsonl"]
        .map(|n| f.read(n))
        .to_vec();
    assert_eq!(before, after, "nothing was written");
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(handle_key(&mut f.app, q), vec![Effect::Quit]);
    f.app.quit = false;
    // The data is in: x marks the selected follow-up done.
    f.app.focus = Pane::Followups;
    f.app.loaded_in(Prepared::new(load_dir(&f.dir), now()));
    assert!(!f.app.is_loading());
    f.press("x");
    assert_ne!(f.read("followups.jsonl"), before[0]);
}

/// What was done while the data loaded is kept when it comes in: the pane in focus, and a
/// filter typed meanwhile (the board, worked out unfiltered where the data was read, is brought
/// to it).
#[test]
fn focus_and_a_filter_typed_while_loading_hold_once_the_data_is_in() {
    use tether::app::state::Prepared;
    let mut f = fixture();
    f.app = App::loading(f.dir.clone(), now());
    f.press("2/kanda");
    f.key(KeyCode::Enter);
    assert!(f.app.board.deadlines.is_empty());
    f.app.loaded_in(Prepared::new(load_dir(&f.dir), now()));
    assert_eq!(f.app.focus, Pane::Deadlines);
    assert_eq!(f.app.filter.text, "kanda");
    let mut full = App::new(f.dir.clone(), load_dir(&f.dir), now());
    full.filter.text = "kanda".into();
    full.refresh(now());
    assert!(!full.board.deadlines.is_empty());
    assert_eq!(
        format!("{:?}", f.app.board),
        format!("{:?}", full.board),
        "the board is the filtered one"
    );
}

fn form_of(f: &Fixture) -> tether::app::state::Form {
    let Overlay::Form(form) = &f.app.overlay else {
        panic!("form open: {:?}", f.app.overlay)
    };
    form.clone()
}

/// Issue 14: "the log form has no 'when', no free kind, and does not offer the champion".
/// Logging yesterday's lunch with Kanda: who starts as its champion, the kind is any word, the
/// time is read in the client's zone and shown in both before it is saved.
#[test]
fn the_log_form_offers_the_champion_any_kind_and_a_when() {
    let mut f = fixture();
    f.press("3l");
    f.key(KeyCode::BackTab);
    ctrl(&mut f, 'u');
    f.press("kanda");
    f.key(KeyCode::Tab);
    let form = form_of(&f);
    assert_eq!(form.fields[form.focus].label, "kind");
    assert_eq!(form.value("who"), "Sato Haruka");
    ctrl(&mut f, 'u');
    f.press("lunch");
    f.key(KeyCode::Tab);
    f.key(KeyCode::Tab);
    f.press("Q1 budget, the new brochure");
    f.key(KeyCode::Tab);
    assert_eq!(form_of(&f).fields[form_of(&f).focus].label, "when");
    f.press("yesterday 16:00");
    // 09:30 in Brisbane is 08:30 in Tokyo on the 25th: Kanda's yesterday is the 24th.
    let preview = form_of(&f).preview.unwrap_or_default();
    assert!(
        preview.contains("Tue 24 Nov 17:00 AEST = 16:00 JST"),
        "{preview}"
    );
    assert!(
        preview.contains("\"lunch\" is not in [heat.weights]"),
        "{preview}"
    );
    f.key(KeyCode::Enter);
    assert_eq!(f.app.overlay, Overlay::None, "{:?}", f.app.message);
    let last = f
        .read("interactions.jsonl")
        .lines()
        .last()
        .unwrap()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&last).unwrap();
    assert_eq!(v["at"], "2026-11-24T16:00:00+09:00", "{last}");
    assert_eq!(v["kind"], "lunch", "{last}");
    assert_eq!(v["who"], "Sato Haruka", "{last}");
    assert_eq!(v["note"], "Q1 budget, the new brochure", "{last}");
}

/// "who" follows the client typed to its champion, but a name the user typed stays.
#[test]
fn who_follows_the_client_unless_typed() {
    let mut f = fixture();
    f.press("3l");
    f.key(KeyCode::BackTab);
    ctrl(&mut f, 'u');
    f.press("brandt");
    f.key(KeyCode::Tab);
    assert_eq!(form_of(&f).value("who"), "Herr Vogel");
    f.key(KeyCode::BackTab);
    ctrl(&mut f, 'u');
    f.press("nortec");
    f.key(KeyCode::Tab);
    assert_eq!(form_of(&f).value("who"), "Rafael Costa");
    f.key(KeyCode::Tab);
    ctrl(&mut f, 'u');
    f.press("Ana");
    f.key(KeyCode::BackTab);
    f.key(KeyCode::BackTab);
    ctrl(&mut f, 'u');
    f.press("kanda");
    f.key(KeyCode::Tab);
    assert_eq!(form_of(&f).value("who"), "Ana");
}

/// Issue 14: "hints suggest dates already past": the due and snooze hints named 27 Nov and
/// 1 Dec 2026 whatever the day. Every date a hint names lies ahead of today.
#[test]
fn form_hints_name_no_past_date() {
    let mut f = fixture();
    let later = DateTime::parse_from_rfc3339("2026-12-07T10:00:00+10:00")
        .unwrap()
        .with_timezone(&Utc);
    f.app = App::new(f.dir.clone(), load_dir(&f.dir), later);
    let dates = |form: &tether::app::state::Form| -> Vec<chrono::NaiveDate> {
        form.fields
            .iter()
            .flat_map(|x| x.hint.split(|c: char| !(c.is_ascii_digit() || c == '-')))
            .filter_map(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
            .collect()
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    f.press("a");
    let d = dates(&form_of(&f));
    assert!(!d.is_empty() && d.iter().all(|d| *d > today), "{d:?}");
    f.key(KeyCode::Esc);
    f.press("S");
    f.key(KeyCode::Up);
    f.key(KeyCode::Enter);
    let d = dates(&form_of(&f));
    assert!(!d.is_empty() && d.iter().all(|d| *d > today), "{d:?}");
}

/// Issue 18: "send window on a follow-up gains 'send at their 09:00' that snoozes it until
/// then". At 09:30 in Brisbane Stuttgart is closed (00:30); the picker offers their opening,
/// 08:00 there, and choosing it snoozes the item to that instant.
#[test]
fn the_snooze_picker_offers_the_clients_opening() {
    let mut f = fixture();
    f.press("/brandt");
    f.key(KeyCode::Enter);
    f.press("4");
    assert!(
        f.selected_what().contains("December visit"),
        "{}",
        f.selected_what()
    );
    f.press("S");
    let Overlay::Snooze(p) = &f.app.overlay else {
        panic!("picker open")
    };
    let opening = p
        .choices
        .iter()
        .position(|(label, _)| label.starts_with("they open"))
        .expect("a 'they open' choice");
    assert_eq!(
        p.choices[opening].0,
        "they open (Wed 08:00 CET = 17:00 AEST)"
    );
    for _ in 0..opening {
        f.press("j");
    }
    f.key(KeyCode::Enter);
    let line = f
        .read("followups.jsonl")
        .lines()
        .nth(4)
        .unwrap()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let until = chrono::DateTime::parse_from_rfc3339(v["snoozed_until"].as_str().unwrap()).unwrap();
    assert_eq!(
        until,
        chrono::DateTime::parse_from_rfc3339("2026-11-25T08:00:00+01:00").unwrap()
    );
}

#[test]
fn r_shows_the_weekly_review_as_tether_review_prints_it_and_r_again_closes_it() {
    let mut f = fixture();
    f.press("R");
    let Overlay::Review { title, lines } = &f.app.overlay else {
        panic!("{:?}", f.app.overlay);
    };
    assert_eq!(title, "Weekly review 2026-W48 · tether review prints it");
    let printed = assert_cmd::Command::cargo_bin("tether")
        .expect("binary")
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(&f.dir)
        .args(["--now", "2026-11-25T09:30:00+10:00", "review"])
        .output()
        .expect("run tether");
    assert!(printed.status.success());
    let printed = String::from_utf8(printed.stdout).expect("utf-8");
    assert_eq!(lines.join("\n") + "\n", printed);
    f.press("R");
    assert_eq!(f.app.overlay, Overlay::None);
}
