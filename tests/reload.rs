//! Reloading only what changed (src/store/reload.rs): after every kind of change the model and
//! the diagnostics are exactly what a full `load_dir` gives, and the reload did no more than the
//! change needs (appended lines only; one file; nothing at all).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use chrono::{DateTime, Utc};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use tether::app::files::Files;
use tether::app::state::App;
use tether::store::load::load_dir;
use tether::store::reload::{Changes, FileChange, Reloader, SharedLoaded, WHOLE_PREFIX_BYTES};

const DL: &str = "deadlines.jsonl";
const FU: &str = "followups.jsonl";
const IX: &str = "interactions.jsonl";

fn example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example");
    for f in ["tether.toml", DL, FU, IX] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    (tmp, dir)
}

fn append(dir: &Path, file: &str, text: &str) {
    let mut f = OpenOptions::new()
        .append(true)
        .open(dir.join(file))
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// Replace a file's content in place (same inode), as an editor saving in place does.
fn overwrite(dir: &Path, file: &str, text: &str) {
    let mut f = OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(dir.join(file))
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

struct Fixture {
    dir: PathBuf,
    reloader: Reloader,
    loaded: SharedLoaded,
}

impl Fixture {
    fn new(dir: &Path) -> Fixture {
        let (reloader, loaded) = Reloader::load(dir);
        let full = load_dir(dir);
        assert_eq!(loaded.model, full.model);
        assert_eq!(loaded.diagnostics, full.diagnostics);
        Fixture {
            dir: dir.to_path_buf(),
            reloader,
            loaded: loaded.into(),
        }
    }

    /// Reload, and check the result against a full load of the directory.
    fn reload(&mut self) -> Changes {
        let c = self
            .loaded
            .reload(&mut self.reloader)
            .expect("nobody else holds the data");
        let full = load_dir(&self.dir);
        assert_eq!(self.loaded.model, full.model, "after {c:?}");
        assert_eq!(self.loaded.diagnostics, full.diagnostics, "after {c:?}");
        assert!(!self.reloader.stale());
        c
    }

    /// Reload reading at most `max` bytes here, then what was left out as the dashboard does
    /// (read elsewhere, then put in), checking the result against a full load: the changes made
    /// here, and those put in after.
    fn reload_within(&mut self, max: u64) -> (Changes, Option<Changes>) {
        let r = self
            .loaded
            .reload_within(&mut self.reloader, max)
            .expect("nobody else holds the data");
        let here = r.changes;
        let later = r.long.map(|long| {
            assert!(self.reloader.stale(), "what was left out is still to read");
            let data = Box::new(long.read());
            self.loaded
                .put_reread(&mut self.reloader, data)
                .expect("nobody else holds the data")
        });
        let full = load_dir(&self.dir);
        assert_eq!(self.loaded.model, full.model, "after {here:?}, {later:?}");
        assert_eq!(self.loaded.diagnostics, full.diagnostics);
        assert!(!self.reloader.stale());
        (here, later)
    }
}

#[test]
fn appended_lines_of_each_file_are_parsed_alone() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    assert_eq!(f.reload(), Changes::NONE);

    let n = f.loaded.model.deadlines.len();
    append(
        &dir,
        DL,
        "{\"id\":\"d-new\",\"client\":\"kanda\",\"title\":\"Appended\",\"due\":\"2026-12-01\",\"estimate\":\"2h\"}\n",
    );
    let c = f.reload();
    assert_eq!(c.deadlines, FileChange::Appended { from: n });
    assert_eq!(
        (c.all, c.followups, c.interactions),
        (false, FileChange::Same, FileChange::Same)
    );
    assert_eq!(f.loaded.model.deadlines.get(n).unwrap().title, "Appended");

    let n = f.loaded.model.followups.len();
    // Two lines at once, one with a warning (a misspelt field), CRLF endings.
    append(
        &dir,
        FU,
        "{\"id\":\"f-new\",\"what\":\"One\",\"due\":\"2026-11-30\"}\r\n{\"what\":\"Two\",\"clinet\":\"kanda\"}\r\n",
    );
    let c = f.reload();
    assert_eq!(c.followups, FileChange::Appended { from: n });
    assert_eq!(f.loaded.model.followups.len(), n + 2);
    assert!(f.loaded.diagnostics.iter().any(|d| d.file == FU));

    let n = f.loaded.model.interactions.len();
    let lines = f.loaded.model.interactions[n - 1].line;
    append(
        &dir,
        IX,
        "\n# a comment\n{\"at\":\"2026-11-25T10:00+09:00\",\"client\":\"kanda\",\"kind\":\"call\"}\n",
    );
    let c = f.reload();
    assert_eq!(c.interactions, FileChange::Appended { from: n });
    assert_eq!(f.loaded.model.interactions[n].line, lines + 3);
    // Unchanged files are not even read.
    assert_eq!(f.reload(), Changes::NONE);
}

#[test]
fn an_appended_line_with_an_error_reparses_the_file() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    append(&dir, FU, "{\"what\":\"bad\",\"due\":\"soon\"}\n");
    assert_eq!(f.reload().followups, FileChange::Replaced);
    // A duplicate of an id from the old lines: the message names the first line.
    append(&dir, FU, "{\"id\":\"f-19c2aa\",\"what\":\"again\"}\n");
    assert_eq!(f.reload().followups, FileChange::Replaced);
    assert!(
        f.loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("duplicate id"))
    );
    // Not UTF-8, and a byte order mark in the middle: whole file again.
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"\u{feff}x\"}\n",
    );
    assert_eq!(
        f.reload().interactions,
        FileChange::Appended {
            from: f.loaded.model.interactions.len() - 1
        }
    );
    append(
        &dir,
        IX,
        "\u{feff}{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"x\"}\n",
    );
    assert_eq!(f.reload().interactions, FileChange::Replaced);
    let mut raw = OpenOptions::new().append(true).open(dir.join(IX)).unwrap();
    raw.write_all(b"{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"\xff\"}\n")
        .unwrap();
    assert_eq!(f.reload().interactions, FileChange::Replaced);
    // After a bad UTF-8 line the text is not the file's bytes: later appends re-parse too.
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"call\"}\n",
    );
    assert_eq!(f.reload().interactions, FileChange::Replaced);
}

#[test]
fn a_change_in_the_middle_or_a_truncation_reparses_that_file_only() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    let text = std::fs::read_to_string(dir.join(DL)).unwrap();
    // Same length, one status changed, and a line appended: not an append.
    let edited = text.replacen("\"status\":\"open\"", "\"status\":\"done\"", 1)
        + "{\"title\":\"more\",\"due\":\"2026-12-02\"}\n";
    overwrite(&dir, DL, &edited);
    let c = f.reload();
    assert_eq!(
        (c.all, c.deadlines, c.followups, c.interactions),
        (
            false,
            FileChange::Replaced,
            FileChange::Same,
            FileChange::Same
        )
    );
    // Truncated to its first half.
    let text = std::fs::read_to_string(dir.join(FU)).unwrap();
    let cut = text[..text.len() / 2].rfind('\n').unwrap() + 1;
    overwrite(&dir, FU, &text[..cut]);
    assert_eq!(f.reload().followups, FileChange::Replaced);
    // Replaced by another file (rename over it, as tether's own rewrite does).
    std::fs::write(dir.join("new.tmp"), &text).unwrap();
    std::fs::rename(dir.join("new.tmp"), dir.join(FU)).unwrap();
    assert_eq!(f.reload().followups, FileChange::Replaced);
    // Deleted, then back.
    std::fs::remove_file(dir.join(IX)).unwrap();
    assert_eq!(f.reload().interactions, FileChange::Replaced);
    assert!(f.loaded.model.interactions.is_empty());
    append_new(
        &dir,
        IX,
        "{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"call\"}\n",
    );
    assert_eq!(f.reload().interactions, FileChange::Replaced);
    assert_eq!(f.loaded.model.interactions.len(), 1);
}

fn append_new(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

#[test]
fn a_last_line_without_newline_then_appended_reparses() {
    let (_tmp, dir) = example();
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25T10:00+09:00\",\"client\":\"kanda\",\"kind\":\"call\"}",
    );
    let mut f = Fixture::new(&dir);
    // The next line completes nothing: it is joined to the last one by the file's bytes.
    append(
        &dir,
        IX,
        "\n{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"visit\"}\n",
    );
    assert_eq!(f.reload().interactions, FileChange::Replaced);
    // A line appended without its newline (a writer mid-way) is parsed as it stands …
    let n = f.loaded.model.interactions.len();
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"email\"}",
    );
    assert_eq!(f.reload().interactions, FileChange::Appended { from: n });
    // … and once it is finished the file is read whole again.
    append(&dir, IX, ",\"who\":\"x\"}\n");
    let c = f.reload();
    assert_eq!(c.interactions, FileChange::Replaced);
}

#[test]
fn a_config_change_reloads_everything() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    append(&dir, "tether.toml", "\n# a comment\n");
    assert_eq!(f.reload(), Changes::ALL);
    // A client removed: contacts with it become errors everywhere.
    let toml = std::fs::read_to_string(dir.join("tether.toml")).unwrap();
    let toml = toml.replace("id = \"kanda\"", "id = \"kanda2\"");
    std::fs::write(dir.join("tether.toml"), toml).unwrap();
    assert_eq!(f.reload(), Changes::ALL);
    assert!(f.loaded.diagnostics.iter().any(|d| d.file == IX));
    std::fs::remove_file(dir.join("tether.toml")).unwrap();
    assert_eq!(f.reload(), Changes::ALL);
}

#[test]
fn a_big_file_appended_is_checked_by_its_ends() {
    let (_tmp, dir) = example();
    let line = "{\"at\":\"2026-11-20T09:00+09:00\",\"client\":\"kanda\",\"kind\":\"email\",\"note\":\"padding padding padding padding padding padding\"}\n";
    let lines = (WHOLE_PREFIX_BYTES as usize + 1024) / line.len() + 1;
    append(&dir, IX, &line.repeat(lines));
    let mut f = Fixture::new(&dir);
    let n = f.loaded.model.interactions.len();
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"visit\"}\n",
    );
    assert_eq!(f.reload().interactions, FileChange::Appended { from: n });
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-26\",\"client\":\"kanda\",\"kind\":\"visit\"}\n",
    );
    assert_eq!(
        f.reload().interactions,
        FileChange::Appended { from: n + 1 }
    );
    // The last bytes changed in place and the file grew: not an append.
    let text = std::fs::read_to_string(dir.join(IX)).unwrap();
    let edited = text.replacen("2026-11-26", "2026-11-27", 1) + "\n";
    overwrite(&dir, IX, &edited);
    assert_eq!(f.reload().interactions, FileChange::Replaced);
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn our_own_write_is_read_once() {
    use tether::app::action::{Effect, WriteOp};
    use tether::app::effects::{Next, apply};
    use tether::store::write::DataFile;
    let (_tmp, dir) = example();
    let (mut files, mut app) = Files::open(&dir, now());
    let n = app.loaded.model.interactions.len();
    let op = WriteOp::Append {
        file: DataFile::Interactions,
        line: "{\"at\":\"2026-11-25T09:00+10:00\",\"client\":\"kanda\",\"kind\":\"call\"}".into(),
        label: "logged".into(),
    };
    assert_eq!(
        apply(&mut app, &mut files, Effect::Write(op), now()),
        Next::Reloaded
    );
    assert_eq!(app.loaded.model.interactions.len(), n + 1);
    // The watcher then reports the same write: nothing to read.
    assert_eq!(files.sync(&mut app, now()), Changes::NONE);
    let full = load_dir(&dir);
    assert_eq!(app.loaded.model, full.model);
}

#[test]
fn a_file_at_its_problem_cap_still_takes_clean_appends() {
    let (_tmp, dir) = example();
    let bad: String = (0..250)
        .map(|i| format!("{{\"what\":\"w{i}\",\"due\":\"soon\"}}\n"))
        .collect();
    append(&dir, FU, &bad);
    let mut f = Fixture::new(&dir);
    let n = f.loaded.model.followups.len();
    append(&dir, FU, "{\"what\":\"clean\"}\n");
    assert_eq!(f.reload().followups, FileChange::Appended { from: n });
    // A warning would change the count of problems not listed: whole file.
    append(&dir, FU, "{\"what\":\"typo\",\"clinet\":\"kanda\"}\n");
    assert_eq!(f.reload().followups, FileChange::Replaced);
}

/// Closed history put at the top of the example's files (so every open record sits at another
/// place in the full lists than in the open-only ones): done and dropped records with ids, one
/// with a problem that only a full read reports.
fn with_history(dir: &Path) {
    let prepend = |file: &str, text: &str| {
        let rest = std::fs::read_to_string(dir.join(file)).unwrap();
        std::fs::write(dir.join(file), format!("{text}{rest}")).unwrap();
    };
    prepend(
        DL,
        concat!(
            "{\"id\":\"h1\",\"title\":\"Old manual\",\"due\":\"2025-01-10\",\"status\":\"done\",\"done_at\":\"2025-01-09T10:00+09:00\"}\n",
            "{\"id\":\"h2\",\"title\":\"Old glossary\",\"due\":\"2025-02-10\",\"status\":\"dropped\",\"done_at\":\"someday\"}\n",
        ),
    );
    prepend(
        FU,
        "{\"id\":\"hf1\",\"what\":\"Old quote\",\"status\":\"done\",\"done_at\":\"2025-03-01\"}\n",
    );
}

fn same_as_full(app: &App) {
    let (_, full) = Files::open(&app.dir, now());
    assert_eq!(app.loaded.model, full.loaded.model);
    assert_eq!(app.loaded.diagnostics, full.loaded.diagnostics);
    assert_eq!(format!("{:?}", app.board), format!("{:?}", full.board));
}

#[test]
fn the_dashboard_shows_open_items_first_and_the_history_right_after() {
    use tether::domain::model::Status;
    let (_tmp, dir) = example();
    with_history(&dir);
    let full = load_dir(&dir);
    let (mut files, mut app, history) = Files::open_open_first_from(&dir, now(), 0);
    let history = history.expect("history to read");
    // First: every open item, no closed one, no problem from a closed line.
    let open = |ds: &tether::domain::held::Held<tether::domain::model::Deadline>| {
        ds.iter().filter(|d| d.status == Status::Open).count()
    };
    assert_eq!(
        app.loaded.model.deadlines.len(),
        open(&full.model.deadlines)
    );
    assert!(
        full.diagnostics
            .iter()
            .any(|d| d.message.contains("someday"))
    );
    assert!(
        !app.loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("someday"))
    );
    // Then the history: exactly the full load, board included.
    let changes = files.apply_history(&mut app, Box::new(history.read()), now());
    assert_eq!(changes.deadlines, FileChange::Replaced);
    assert_eq!(changes.followups, FileChange::Replaced);
    same_as_full(&app);
    // And appends are parsed alone again afterwards, the rows kept from before the history
    // moved over by their records' new places.
    append(
        &dir,
        FU,
        "{\"what\":\"Call Sato\",\"due\":\"2026-11-26\"}\n",
    );
    assert!(matches!(
        files.sync(&mut app, now()).followups,
        FileChange::Appended { .. }
    ));
    same_as_full(&app);
    append(
        &dir,
        DL,
        "{\"id\":\"n1\",\"title\":\"New brochure\",\"due\":\"2026-11-30\",\"estimate\":\"6h\"}\n",
    );
    assert!(matches!(
        files.sync(&mut app, now()).deadlines,
        FileChange::Appended { .. }
    ));
    same_as_full(&app);
}

#[test]
fn closed_items_shown_before_the_history_arrives_are_filled_in() {
    use tether::app::update::handle_key;
    let (_tmp, dir) = example();
    with_history(&dir);
    let (mut files, mut app, history) = Files::open_open_first_from(&dir, now(), 0);
    let z =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('z'));
    let _ = handle_key(&mut app, z);
    assert!(app.filter.show_closed);
    files.apply_history(&mut app, Box::new(history.expect("history").read()), now());
    let (_, mut full) = Files::open(&dir, now());
    let _ = handle_key(&mut full, z);
    assert_eq!(app.loaded.model, full.loaded.model);
    assert_eq!(format!("{:?}", app.board), format!("{:?}", full.board));
}

#[test]
fn a_file_changed_before_its_history_arrives_is_read_whole_and_the_late_history_dropped() {
    for read_before_the_change in [false, true] {
        let (_tmp, dir) = example();
        with_history(&dir);
        let (mut files, mut app, history) = Files::open_open_first_from(&dir, now(), 0);
        let history = history.expect("history to read");
        let early = read_before_the_change.then(|| history.clone().read());
        append(
            &dir,
            FU,
            "{\"what\":\"Call Sato\",\"due\":\"2026-11-26\"}\n",
        );
        // A file read in part is read whole on its first change (not appended to).
        assert_eq!(files.sync(&mut app, now()).followups, FileChange::Replaced);
        let data = early.unwrap_or_else(|| history.read());
        let changes = files.apply_history(&mut app, Box::new(data), now());
        assert_eq!(changes.deadlines, FileChange::Replaced);
        assert_eq!(changes.followups, FileChange::Same);
        same_as_full(&app);
    }
}

#[test]
fn the_history_arriving_while_the_alert_worker_holds_the_data_waits_without_blocking_keys() {
    use tether::app::update::handle_key;
    let (_tmp, dir) = example();
    with_history(&dir);
    let (mut files, mut app, history) = Files::open_open_first_from(&dir, now(), 0);
    let data = Box::new(history.expect("history").read());
    let open_only = app.loaded.model.deadlines.len();
    // The alert worker is working out a pass on the data.
    let held = app.loaded.share();
    let start = std::time::Instant::now();
    assert_eq!(files.apply_history(&mut app, data, now()), Changes::NONE);
    // Nothing waited for the worker, nothing was copied: the history is pending.
    assert!(start.elapsed() < std::time::Duration::from_millis(100));
    assert!(files.pending());
    assert_eq!(app.loaded.model.deadlines.len(), open_only);
    // Keys work on the data as it is.
    let j =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('j'));
    let _ = handle_key(&mut app, j);
    // Still held: trying again changes nothing.
    assert_eq!(files.retry(&mut app, now()), Changes::NONE);
    assert!(std::sync::Arc::ptr_eq(&held, &app.loaded.share()));
    drop(held);
    // Let go: the history goes in, moved (the same allocation as before, no copy).
    let before = app.loaded.share();
    let before_ptr = std::sync::Arc::as_ptr(&before);
    drop(before);
    let changes = files.retry(&mut app, now());
    assert_eq!(changes.deadlines, FileChange::Replaced);
    assert!(!files.pending());
    assert_eq!(std::sync::Arc::as_ptr(&app.loaded.share()), before_ptr);
    same_as_full(&app);
}

#[test]
fn a_change_while_the_alert_worker_holds_the_data_is_read_once_it_lets_go() {
    let (_tmp, dir) = example();
    let (mut files, mut app) = Files::open(&dir, now());
    let n = app.loaded.model.followups.len();
    let held = app.loaded.share();
    append(
        &dir,
        FU,
        "{\"what\":\"Call Sato\",\"due\":\"2026-11-26\"}\n",
    );
    assert_eq!(files.sync(&mut app, now()), Changes::NONE);
    assert!(files.pending());
    assert_eq!(app.loaded.model.followups.len(), n);
    drop(held);
    assert_eq!(
        files.retry(&mut app, now()).followups,
        FileChange::Appended { from: n }
    );
    assert!(!files.pending());
    same_as_full(&app);
}

#[test]
fn an_undo_while_the_alert_worker_holds_the_data_selects_its_record_once_it_is_in() {
    use tether::app::action::{Action, Effect};
    use tether::app::effects::apply;
    use tether::app::update::update;
    let (_tmp, dir) = example();
    let (mut files, mut app) = Files::open(&dir, now());
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    let what = app
        .selected_followup_record()
        .expect("a row")
        .1
        .what
        .clone();
    for e in update(&mut app, Action::Done) {
        apply(&mut app, &mut files, e, now());
    }
    assert!(
        !app.board
            .followups
            .iter()
            .any(|r| app.followup(r.record).is_some_and(|f| f.what == what))
    );
    update(&mut app, Action::Top);
    let held = app.loaded.share();
    apply(&mut app, &mut files, Effect::Undo, now());
    assert!(files.pending());
    drop(held);
    assert!(files.retry(&mut app, now()).any());
    let selected = app
        .selected_followup_record()
        .expect("a row")
        .1
        .what
        .clone();
    assert_eq!(selected, what);
}

/// An append storm of bad lines (the audit's 100 lines a second): every append read as the
/// dashboard reads it, and once the writer stops the header's count is a full load's.
#[test]
fn the_problem_count_is_right_after_a_storm_of_bad_appended_lines() {
    let (_tmp, dir) = example();
    let (mut files, mut app) = Files::open(&dir, now());
    let kinds = [
        // errors: not JSON, a bad date
        |i: usize| format!("garbage {i}\n"),
        |i: usize| format!("{{\"what\":\"w{i}\",\"due\":\"soon\"}}\n"),
        // a warning: an unknown field
        |i: usize| format!("{{\"what\":\"w{i}\",\"clinet\":\"kanda\"}}\n"),
    ];
    for round in 0..12 {
        let batch: String = (0..100)
            .map(|i| kinds[(round + i) % kinds.len()](round * 100 + i))
            .collect();
        append(&dir, FU, &batch);
        files.sync(&mut app, now());
    }
    // The writer has stopped: the header says what a fresh full load finds, every problem
    // counted (200 listed, the rest in the "N more problems" line), not the lines listed.
    let full = load_dir(&dir);
    assert!(full.problems().total() > 1_199, "{:?}", full.problems());
    assert_eq!(app.problems(), full.problems());
    assert_eq!(app.loaded.diagnostics, full.diagnostics);
}

/// The dashboard reads at most a budget of bytes on its own thread: a short append is read in
/// place; a long tail, a file rewritten, or a changed tether.toml are left to read elsewhere,
/// the data unchanged until then; either way the result is a full load's.
#[test]
fn a_reload_within_a_budget_leaves_long_reads_to_read_elsewhere() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    let max = 200;
    append(&dir, FU, "{\"what\":\"Call Sato\"}\n");
    let (here, later) = f.reload_within(max);
    assert!(matches!(here.followups, FileChange::Appended { .. }));
    assert_eq!(later, None);
    // A tail of the budget or more: the whole file, elsewhere.
    let tail: String = (0..20)
        .map(|i| format!("{{\"what\":\"w{i}\"}}\n"))
        .collect();
    assert!(tail.len() as u64 >= max);
    append(&dir, FU, &tail);
    let (here, later) = f.reload_within(max);
    assert_eq!(here, Changes::NONE);
    assert_eq!(later.map(|c| c.followups), Some(FileChange::Replaced));
    // A file edited in place is read elsewhere; a short append to another meanwhile, here.
    let text = std::fs::read_to_string(dir.join(FU)).unwrap();
    overwrite(&dir, FU, &text.replacen("Call Sato", "Call Mr Sato", 1));
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25T09:00+10:00\",\"client\":\"kanda\",\"kind\":\"call\"}\n",
    );
    let (here, later) = f.reload_within(max);
    assert!(matches!(here.interactions, FileChange::Appended { .. }));
    assert_eq!(here.followups, FileChange::Same);
    assert_eq!(later.map(|c| c.followups), Some(FileChange::Replaced));
    // tether.toml changed: everything, elsewhere.
    append(&dir, "tether.toml", "\n# a comment\n");
    let (here, later) = f.reload_within(max);
    assert_eq!(here, Changes::NONE);
    assert_eq!(later, Some(Changes::ALL));
}

/// A file read elsewhere against a tether.toml that changed before it was put in is dropped:
/// the data stays as it was, and the next reload reads everything.
#[test]
fn a_reread_against_an_older_tether_toml_is_dropped() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    let before = f.loaded.model.clone();
    let text = std::fs::read_to_string(dir.join(FU)).unwrap();
    overwrite(
        &dir,
        FU,
        &text.replacen("Send revised quote", "Send the quote", 1),
    );
    let r = f.loaded.reload_within(&mut f.reloader, 200).unwrap();
    let long = r.long.expect("the follow-ups, to read elsewhere");
    let data = Box::new(long.read());
    append(&dir, "tether.toml", "\n# a comment\n");
    // Everything was read again meanwhile (its reloader knows the new tether.toml).
    f.reloader = Reloader::load(&dir).0;
    let changes = f.loaded.put_reread(&mut f.reloader, data).unwrap();
    assert_eq!(changes, Changes::NONE);
    assert_eq!(f.loaded.model, before);
}

/// The dashboard's `Files` with an event channel: the first load is read elsewhere (config
/// first), and a big file replaced later is read elsewhere too: the sync returns at once with
/// the data on screen as it was, other changes meanwhile wait for it, and once it is in (after
/// the alert worker lets go) the data is a full load's.
#[test]
fn a_big_file_replaced_is_read_off_the_screens_thread_keeping_the_old_data_meanwhile() {
    use tether::app::event::{Event, FirstLoad};
    use tether::store::reload::LONG_READ_BYTES;
    let (_tmp, dir) = example();
    let lines = (LONG_READ_BYTES / 16) as usize + 1;
    let big: String = (0..lines)
        .map(|i| format!("{{\"what\":\"x{i}\"}}\n"))
        .collect();
    append(&dir, FU, &big);
    let (tx, rx) = std::sync::mpsc::channel();
    let (mut files, mut app) = Files::start(&dir, now, tx);
    assert!(app.is_loading());
    let wait = || {
        rx.recv_timeout(std::time::Duration::from_secs(120))
            .unwrap()
    };
    let Event::Load(config @ FirstLoad::Config { .. }) = wait() else {
        panic!("tether.toml first");
    };
    files.load_step(&mut app, config, now());
    assert!(app.is_loading());
    assert!(app.loading.as_ref().unwrap().config_read);
    let Event::Load(done @ FirstLoad::Done { .. }) = wait() else {
        panic!("then the data");
    };
    files.load_step(&mut app, done, now());
    assert!(!app.is_loading());
    same_as_full(&app);
    let n = app.loaded.model.followups.len();

    // An editor saves the big file (a new file renamed over it), a line changed.
    let text = std::fs::read_to_string(dir.join(FU)).unwrap();
    let tmp = dir.join("followups.jsonl.tmp");
    std::fs::write(
        &tmp,
        text.replacen("Send revised quote", "Send the quote", 1),
    )
    .unwrap();
    std::fs::rename(&tmp, dir.join(FU)).unwrap();
    assert_eq!(files.sync(&mut app, now()), Changes::NONE);
    let whats = |app: &App| {
        app.loaded
            .model
            .followups
            .iter()
            .any(|f| f.what.starts_with("Send the quote"))
    };
    assert!(!whats(&app), "read on this thread");
    assert_eq!(app.loaded.model.followups.len(), n);
    // A contact logged meanwhile waits for it.
    append(
        &dir,
        IX,
        "{\"at\":\"2026-11-25T09:00+10:00\",\"client\":\"kanda\",\"kind\":\"call\"}\n",
    );
    assert_eq!(files.sync(&mut app, now()), Changes::NONE);
    let Event::Reread(data) = wait() else {
        panic!("the big file, read elsewhere");
    };
    // It arrives while the alert worker holds the data: it waits, nothing copied.
    let held = app.loaded.share();
    assert_eq!(files.reread_arrived(&mut app, data, now()), Changes::NONE);
    assert!(files.pending());
    drop(held);
    let changes = files.retry(&mut app, now());
    assert_eq!(changes.followups, FileChange::Replaced);
    assert!(matches!(changes.interactions, FileChange::Appended { .. }));
    assert!(!files.pending());
    assert!(whats(&app));
    same_as_full(&app);
}

/// Issue 15: a Syncthing conflict copy arriving under the running dashboard is named in its
/// problem list (Syncthing renames the file to the copy and writes the other version in its
/// place), and the name goes once `tether resolve` has merged it.
#[test]
fn a_syncthing_conflict_copy_is_named_live_and_gone_once_resolved() {
    let (_tmp, dir) = example();
    let mut f = Fixture::new(&dir);
    let file = dir.join("followups.jsonl");
    let copy = dir.join("followups.sync-conflict-20261125-093000-ABCDEFG.jsonl");
    std::fs::rename(&file, &copy).unwrap();
    let mine = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(
        &file,
        mine.replace("\"status\":\"open\"", "\"status\":\"done\""),
    )
    .unwrap();
    f.reload();
    let named = |f: &Fixture| {
        f.loaded
            .diagnostics
            .iter()
            .any(|d| d.file.starts_with("followups.sync-conflict-"))
    };
    assert!(named(&f), "{:?}", f.loaded.diagnostics);
    let found = tether::store::conflict_copies::find(&dir);
    tether::store::conflict_copies::resolve(&dir, &found[0]).unwrap();
    f.reload();
    assert!(!named(&f), "{:?}", f.loaded.diagnostics);
}
