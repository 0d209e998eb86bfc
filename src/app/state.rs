//! Everything the dashboard shows: the loaded data, the board computed from it, focus,
//! selection, overlays and forms. Pure: no method here reads a file, a clock or the terminal.
//! New data comes in through [`App::apply`] / [`App::history_arrived`] after the event loop's
//! `Files` (`app/files.rs`) has read it; drawing reads `App` (the `ui` module depends on this
//! one, never the other way round).

use super::action::Pane;
use super::keymap::{KeyMap, Place};
use crate::domain::board::{
    Board, BoardFilter, DeadlineRow, DeadlineSlot, FollowupRow, FollowupRows, FollowupSlot,
    HeatRow, LiveBoard, followup_has_key, key_hash,
};
use crate::domain::client_page::{ClientPage, client_page};
use crate::domain::clocks::{ClockOf, ClockRow, clock_rows};
use crate::domain::held::{Rec, Record};
use crate::domain::model::{Deadline, Followup};
use crate::domain::risk::assess;
use crate::store::diagnostic::{Count, Diagnostic};
use crate::store::files::{CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};
use crate::store::load::Loaded;
use crate::store::notes::Note;
use crate::store::reload::{Changes, FileChange, SharedLoaded};
use crate::store::write::DataFile;
use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// How far the clocks can be scrubbed from now, either way: a year and a day, so every date of
/// the coming year (and its weekday) can be looked at.
pub const SCRUB_LIMIT_DAYS: i64 = 366;

/// A number no board had before in this process (see [`App::generation`]).
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A text field in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    /// Choices cycled with up/down (empty: free text).
    pub choices: Vec<String>,
    /// The choices are suggestions: any word can be typed too (a contact's kind).
    pub open: bool,
    /// Free text completed from these with Tab (client ids).
    pub complete_from: Vec<String>,
    pub hint: String,
}

impl Field {
    pub fn text(label: &'static str, hint: impl Into<String>) -> Field {
        Field {
            label,
            value: String::new(),
            choices: Vec::new(),
            open: false,
            complete_from: Vec::new(),
            hint: hint.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    AddFollowup,
    LogContact,
    SnoozeDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// The record the form acts on (snooze to a date), by its row key.
    pub target: Option<String>,
    /// What the typed due means, in the client's zone and yours, before it is saved.
    pub preview: Option<String>,
    /// Tab going through the ids that start with what was typed: that text, and which match is
    /// in the field (None: their common prefix). Typing or moving to another field ends it.
    pub cycling: Option<(String, Option<usize>)>,
}

impl Form {
    pub fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.trim())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SnoozePicker {
    pub target: String,
    pub choices: Vec<(String, DateTime<Utc>)>,
    pub selected: usize,
}

/// A client's page (Enter on a client's clock or heat row): its data, worked out again at every
/// refresh and scrub, and the notes of its last contacts, read at the edge (`store::notes`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientView {
    pub page: Box<ClientPage>,
    /// How far the page is scrolled, in lines (the view keeps it in range).
    pub scroll: usize,
    /// The notes of the listed contacts by line; None while they are read; Err: why they
    /// cannot be.
    pub notes: Option<Result<BTreeMap<usize, Note>, String>>,
    /// The lines the notes were asked for (see [`App::notes_request`]).
    pub asked: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    Problems,
    Alerts,
    Detail,
    /// The week view (`w`), over the whole window but the footer.
    Week,
    /// Meeting slots with a client (`m` on its clock): a title and the slots in words.
    Slots {
        title: String,
        lines: Vec<String>,
    },
    /// The weekly review (`R`): its title and its Markdown lines, scrolled by the list keys
    /// (`App::help_scroll`, as the help).
    Review {
        title: String,
        lines: Vec<String>,
    },
    Snooze(SnoozePicker),
    Form(Form),
    Client(ClientView),
    /// Typing a filter; holds the filter text from before, restored by Esc.
    Filter {
        before: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

/// One alert the dashboard sent (or failed to send), for the `n` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEntry {
    pub at: DateTime<Utc>,
    pub summary: String,
    pub sent: bool,
}

/// What the first load is still reading: the dashboard is up before its data (`app/files.rs`
/// reads it off the screen's thread), and says so instead of showing empty lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loading {
    /// tether.toml is in: the clocks, the header's time and the key map are the user's.
    pub config_read: bool,
    /// The sizes of deadlines.jsonl, followups.jsonl and interactions.jsonl, once looked at
    /// (None: not there, or not known yet).
    pub sizes: [Option<u64>; 3],
}

impl Loading {
    /// What the pane waits for, e.g. `loading followups.jsonl (62 MB)…`.
    pub fn what(&self, pane: Pane) -> String {
        let (name, size) = match pane {
            Pane::Clocks => (CONFIG_FILE, None),
            Pane::Deadlines => (DEADLINES_FILE, self.sizes[0]),
            Pane::Followups => (FOLLOWUPS_FILE, self.sizes[1]),
            Pane::Heat => (INTERACTIONS_FILE, self.sizes[2]),
        };
        match size {
            Some(b) => format!("loading {name} ({})…", human_size(b)),
            None => format!("loading {name}…"),
        }
    }

    /// The biggest file still being read, for messages: `followups.jsonl (62 MB)`.
    pub fn biggest(&self) -> String {
        let names = [DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE];
        let biggest = names
            .iter()
            .zip(self.sizes)
            .filter_map(|(n, s)| Some((*n, s?)))
            .max_by_key(|(_, s)| *s);
        match biggest {
            Some((name, size)) => format!("{name} ({})", human_size(size)),
            None => "the data".to_string(),
        }
    }
}

/// A file size as people say it: `812 bytes`, `14 KB`, `62 MB` (powers of 1024, as the
/// loader's "more than tether reads (512 MB)").
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else if bytes >= KB {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The board for data just loaded, worked out where the data was loaded (the first load's own
/// thread): putting it on screen ([`App::loaded_in`]) then costs nothing on the screen's.
#[derive(Debug)]
pub struct Prepared {
    loaded: Loaded,
    keymap: KeyMap,
    key_diags: Vec<Diagnostic>,
    live: LiveBoard,
    board: Board,
    /// The filter the board was made for.
    filter: BoardFilter,
}

impl Prepared {
    /// The board of `loaded` at `now`, unfiltered.
    pub fn new(loaded: Loaded, now: DateTime<Utc>) -> Prepared {
        let (keymap, key_diags) = KeyMap::build(&loaded.model.config.keys);
        let filter = BoardFilter::default();
        let mut live = LiveBoard::new();
        let mut board = Board::empty(now);
        live.update(&loaded.model, &filter, &mut board, now);
        Prepared {
            loaded,
            keymap,
            key_diags,
            live,
            board,
            filter,
        }
    }
}

pub struct App {
    pub dir: PathBuf,
    /// Key bindings in force (defaults + `[keys]`), read by key handling, footer and help.
    pub keymap: KeyMap,
    /// The data, shared with the alert worker (no copy); `loaded.model`, `loaded.diagnostics`.
    pub loaded: SharedLoaded,
    /// The `[keys]` problems, listed after the loaded diagnostics (see [`App::problem_list`]).
    key_diags: Vec<Diagnostic>,
    /// Which board this is: a new number at every [`App::refresh`], never reused in the process
    /// (what the view cache is keyed by).
    generation: u64,
    /// The same for the list of problems (see [`App::problems_generation`]).
    problems_generation: u64,
    /// What keeps `board` up to date cheaply (heat per client, what each part was built for).
    live: LiveBoard,
    /// The board at `now`, but for its clocks, which are at [`App::view_now`] (the scrubbed
    /// instant; `now` unless the clocks are scrubbed).
    pub board: Board,
    pub filter: BoardFilter,
    pub now: DateTime<Utc>,
    /// How far the clocks pane is scrubbed from `now` (`h`/`l`, `H`/`L`; `.` back to zero):
    /// a view, which only the clocks pane and the header follow. Alerts, writes, risk and the
    /// other panes stay at `now` (docs/decisions.md, "The scrubbed clocks").
    pub view_offset: Duration,
    pub focus: Pane,
    /// Selected row per pane (indexes into the board's lists).
    pub selected: [usize; 4],
    pub overlay: Overlay,
    pub message: Option<(String, Tone)>,
    /// Why desktop alerts cannot be shown (no notification server, …), for the header.
    pub alert_warning: Option<String>,
    pub alerts: Vec<AlertEntry>,
    pub hidden_snoozed: usize,
    pub quit: bool,
    /// How far the help overlay is scrolled, in lines (the view keeps it in range).
    pub help_scroll: usize,
    /// Some while the first load is still being read: nothing on screen is the data yet.
    pub loading: Option<Loading>,
}

/// What each pane had selected, to select it again on the new board. A deadline or follow-up
/// is known by its row's key hash: the row's record index may point into a different list by
/// then.
struct Selected {
    deadline: Option<u64>,
    client: Option<String>,
    followup: Option<u64>,
}

impl App {
    /// The closed history (see `Reloader::load_open_first`) is in the data: the rows on screen
    /// learn their records' new places, and the board is brought up to date.
    pub fn history_arrived(&mut self, changes: Changes, now: DateTime<Utc>) {
        if !changes.any() {
            return;
        }
        self.problems_generation = next_generation();
        let kept = self.live.history_arrived(
            &self.loaded.model,
            &self.filter,
            &mut self.board,
            (changes.deadlines.changed(), changes.followups.changed()),
        );
        if kept {
            // Every row is the row it was (closed items are hidden): the board is brought up
            // to date at the instant it was computed for, so nothing else in it moves, and
            // keeps its generation (what was measured for drawing it still holds). The next
            // clock boundary moves it on as usual. At a million records this spares the
            // screen's thread a whole new measuring of the lists while a key may be waiting.
            let (at, generation, app_now) = (self.board.now, self.generation, self.now);
            self.refresh(at);
            (self.generation, self.now) = (generation, app_now);
        } else {
            self.refresh(now);
        }
    }

    pub fn new(dir: PathBuf, loaded: Loaded, now: DateTime<Utc>) -> App {
        App::prepared(dir, Prepared::new(loaded, now))
    }

    /// The dashboard before any of its data is read: empty lists, the default keys, and
    /// [`App::loading`] saying so. The data comes in with [`App::config_read`], then
    /// [`App::loaded_in`].
    pub fn loading(dir: PathBuf, now: DateTime<Utc>) -> App {
        let mut app = App::new(dir, Loaded::default(), now);
        app.loading = Some(Loading::default());
        app
    }

    fn prepared(dir: PathBuf, p: Prepared) -> App {
        let hidden_snoozed = p.live.hidden_snoozed().unwrap_or(0);
        App {
            dir,
            keymap: p.keymap,
            loaded: p.loaded.into(),
            key_diags: p.key_diags,
            generation: next_generation(),
            problems_generation: next_generation(),
            live: p.live,
            now: p.board.now,
            board: p.board,
            filter: p.filter,
            focus: Pane::Followups,
            view_offset: Duration::zero(),
            selected: [0; 4],
            overlay: Overlay::None,
            message: None,
            alert_warning: None,
            alerts: Vec::new(),
            hidden_snoozed,
            quit: false,
            help_scroll: 0,
            loading: None,
        }
    }

    /// While the first load goes on: tether.toml is read (`config`: no records) and the record
    /// files' sizes are known; the clocks and the user's keys show.
    pub fn config_read(&mut self, config: Loaded, sizes: [Option<u64>; 3], now: DateTime<Utc>) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        loading.config_read = true;
        loading.sizes = sizes;
        self.reload(config, now);
    }

    /// The first load is in, its board worked out elsewhere: it replaces the empty one (in
    /// O(1), unless the user typed a filter meanwhile, which the board is then brought to).
    pub fn loaded_in(&mut self, p: Prepared) {
        let keep = (self.focus, self.overlay.clone(), self.message.take());
        let (warning, alerts) = (self.alert_warning.take(), std::mem::take(&mut self.alerts));
        let filter = std::mem::take(&mut self.filter);
        let dir = std::mem::take(&mut self.dir);
        let (offset, clock) = (
            self.view_offset,
            self.selected_clock().map(|r| r.of.clone()),
        );
        *self = App::prepared(dir, p);
        (self.focus, self.overlay, self.message) = keep;
        (self.alert_warning, self.alerts) = (warning, alerts);
        self.view_offset = offset;
        if filter != self.filter {
            self.filter = filter;
            let now = self.now;
            self.refresh(now);
        } else if offset != Duration::zero() {
            self.clocks_to_view();
        }
        self.select_clock(clock);
    }

    /// Whether the first load is still being read (keys that write say so and do nothing).
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Bring the board up to date (new data, new minute, new filter), keeping each pane's
    /// selection on the same record when it is still there. Only what changed is recomputed
    /// (see [`LiveBoard`]).
    pub fn refresh(&mut self, now: DateTime<Utc>) {
        let keys = self.selected_keys();
        let clock = self.selected_clock().map(|r| r.of.clone());
        self.now = now;
        self.live
            .update(&self.loaded.model, &self.filter, &mut self.board, now);
        if self.view_offset != Duration::zero() {
            self.clocks_to_view();
        }
        self.client_page_to_date();
        self.generation = next_generation();
        self.hidden_snoozed = self.live.hidden_snoozed().unwrap_or(0);
        self.restore_selection(keys);
        self.select_clock(clock);
    }

    /// The instant the clocks pane shows: `now`, moved by the scrubber.
    pub fn view_now(&self) -> DateTime<Utc> {
        self.now
            .checked_add_signed(self.view_offset)
            .unwrap_or(self.now)
    }

    /// Move the clocks' instant by `by` (None: back to now), at most [`SCRUB_LIMIT_DAYS`] from
    /// now either way. Only the clock rows are worked out again; the cursor stays on its clock.
    pub fn scrub(&mut self, by: Option<Duration>) {
        let limit = Duration::days(SCRUB_LIMIT_DAYS);
        let offset = match by {
            None => Duration::zero(),
            Some(by) => (self.view_offset + by).clamp(-limit, limit),
        };
        if offset == self.view_offset {
            return;
        }
        let clock = self.selected_clock().map(|r| r.of.clone());
        self.view_offset = offset;
        self.clocks_to_view();
        self.select_clock(clock);
        self.client_page_to_date();
    }

    /// Open the page of client `id` at `now` and the clocks' instant; false if there is no such
    /// client. Its notes are then asked for ([`App::notes_request`]).
    pub fn open_client(&mut self, id: &str) -> bool {
        let Some(page) = client_page(&self.loaded.model, id, self.now, self.view_now()) else {
            return false;
        };
        self.overlay = Overlay::Client(ClientView {
            page: Box::new(page),
            scroll: 0,
            notes: None,
            asked: Vec::new(),
        });
        true
    }

    /// The open client page worked out again (new data, new minute, scrubbed clocks); closed,
    /// saying why, when its client is gone from tether.toml.
    fn client_page_to_date(&mut self) {
        let view = self.view_now();
        let Overlay::Client(v) = &mut self.overlay else {
            return;
        };
        let id = v.page.client.id.clone();
        match client_page(&self.loaded.model, &id, self.now, view) {
            Some(page) => *v.page = page,
            None => {
                self.overlay = Overlay::None;
                self.complain(format!("client {id} is no longer in {CONFIG_FILE}"));
            }
        }
    }

    /// The lines (and client) whose notes the open client page needs and has not asked for yet:
    /// what the edge reads next (`store::notes::read_notes`), handing the result to
    /// [`App::notes_arrived`]. Asking marks them asked.
    pub fn notes_request(&mut self) -> Option<Vec<(usize, String)>> {
        let Overlay::Client(v) = &mut self.overlay else {
            return None;
        };
        let lines = v.page.contact_lines();
        if lines == v.asked {
            return None;
        }
        v.asked = lines.clone();
        if lines.is_empty() {
            v.notes = Some(Ok(BTreeMap::new()));
            return None;
        }
        v.notes = None;
        let id = &v.page.client.id;
        Some(lines.into_iter().map(|l| (l, id.clone())).collect())
    }

    /// The notes read for `lines`: shown if the page still lists those contacts.
    pub fn notes_arrived(&mut self, lines: &[usize], notes: Result<Vec<(usize, Note)>, String>) {
        if let Overlay::Client(v) = &mut self.overlay
            && v.asked == lines
        {
            v.notes = Some(notes.map(|n| n.into_iter().collect()));
        }
    }

    fn clocks_to_view(&mut self) {
        self.board.clocks = clock_rows(&self.loaded.model.config, self.view_now());
    }

    /// The clock row under the cursor.
    pub fn selected_clock(&self) -> Option<&ClockRow> {
        self.board.clocks.get(self.selected[Pane::Clocks.index()])
    }

    /// Put the cursor back on the clock it was on (the rows' order follows the zones' offsets,
    /// which daylight saving changes), if it is still there.
    fn select_clock(&mut self, of: Option<ClockOf>) {
        if let Some(i) = of.and_then(|of| self.board.clocks.iter().position(|r| r.of == of)) {
            self.selected[Pane::Clocks.index()] = i;
        }
    }

    /// Which board is shown: a number no other board in this process had, so that what was
    /// computed for drawing one board is never used for another (a vector's address and length
    /// can be the allocator's again).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Which list of problems is shown: a new number whenever the data may have brought
    /// other problems, never reused in the process.
    pub fn problems_generation(&self) -> u64 {
        self.problems_generation
    }

    /// Replace the data with `loaded` (loaded elsewhere) and recompute everything.
    pub fn reload(&mut self, loaded: Loaded, now: DateTime<Utc>) {
        self.loaded = loaded.into();
        self.apply(Changes::ALL, now);
    }

    /// Bring the board up to what `changes` changed in the data (the event loop has just
    /// brought `loaded` up to date with the files): only what changed is recomputed.
    pub fn apply(&mut self, changes: Changes, now: DateTime<Utc>) {
        if changes.any() {
            self.problems_generation = next_generation();
        }
        if changes.all {
            let (map, diags) = KeyMap::build(&self.loaded.model.config.keys);
            self.keymap = map;
            self.key_diags = diags;
            self.live.all_changed();
        } else {
            match changes.deadlines {
                FileChange::Same => {}
                // The logged time is in the deadlines: a change of the log changes them all.
                _ if changes.timelog.changed() => self.live.deadlines_changed(),
                FileChange::Appended { .. } => self.live.deadlines_appended(),
                FileChange::Replaced => self.live.deadlines_changed(),
            }
            if changes.timelog.changed() && !changes.deadlines.changed() {
                self.live.deadlines_changed();
            }
            match changes.followups {
                FileChange::Same => {}
                FileChange::Appended { .. } => self.live.followups_appended(),
                FileChange::Replaced => self.live.followups_changed(),
            }
            match changes.interactions {
                FileChange::Same => {}
                FileChange::Appended { from } => {
                    self.live.contacts_appended(&self.loaded.model, from);
                }
                FileChange::Replaced => self.live.contacts_changed(),
            }
        }
        if changes.all || changes.interactions == FileChange::Replaced {
            // Lines may hold other contacts now: the page's notes are read again.
            if let Overlay::Client(v) = &mut self.overlay {
                v.asked.clear();
            }
        }
        if changes.any() {
            self.refresh(now);
        }
    }

    fn selected_keys(&self) -> Selected {
        Selected {
            deadline: self.selected_deadline().map(|r| r.key),
            client: self.selected_heat().map(|h| h.client.id.clone()),
            followup: self.selected_slot().map(|s| s.key),
        }
    }

    fn restore_selection(&mut self, keys: Selected) {
        // Compared in place: no key is formatted per row.
        let b = &self.board;
        let found = [
            None,
            keys.deadline
                .and_then(|k| b.deadlines.iter().position(|d| d.key == k)),
            keys.client
                .as_deref()
                .and_then(|k| b.heat.iter().position(|h| h.client.id == k)),
            keys.followup
                .and_then(|k| b.followups.iter().position(|f| f.key == k)),
        ];
        for (i, f) in found.into_iter().enumerate() {
            if let Some(f) = f {
                self.selected[i] = f;
            }
        }
        for p in Pane::ALL {
            let n = self.len(p);
            let s = &mut self.selected[p.index()];
            *s = if n == 0 { 0 } else { (*s).min(n - 1) };
        }
    }

    /// Number of selectable rows in a pane.
    pub fn len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Clocks => self.board.clocks.len(),
            Pane::Deadlines => self.board.deadlines.len(),
            Pane::Heat => self.board.heat.len(),
            Pane::Followups => self.board.followups.len(),
        }
    }

    /// The selected deadline's place on the board.
    pub fn selected_deadline(&self) -> Option<&DeadlineSlot> {
        self.board
            .deadlines
            .get(self.selected[Pane::Deadlines.index()])
    }

    pub fn selected_heat(&self) -> Option<&HeatRow> {
        self.board.heat.get(self.selected[Pane::Heat.index()])
    }

    /// The selected follow-up's place on the board.
    fn selected_slot(&self) -> Option<&FollowupSlot> {
        self.board
            .followups
            .get(self.selected[Pane::Followups.index()])
    }

    /// What makes the board's follow-up rows (at the board's instant).
    pub fn followup_rows(&self) -> FollowupRows<'_> {
        FollowupRows::new(&self.loaded.model.config, self.board.now)
    }

    /// The selected follow-up's row, made.
    pub fn selected_followup(&self) -> Option<FollowupRow<'_>> {
        self.selected_followup_record().map(|(r, _)| r)
    }

    /// The record of the board's deadline number `record` (a slot's or a row's `record`).
    pub fn deadline(&self, record: u32) -> Option<Rec<'_, Deadline>> {
        self.loaded.model.deadlines.get(record as usize)
    }

    /// The selected deadline's row (its whole risk at the board's instant, its client's name)
    /// and record.
    pub fn selected_deadline_record(&self) -> Option<(DeadlineRow, Rec<'_, Deadline>)> {
        let s = self.selected_deadline()?;
        let d = self.deadline(s.record)?;
        let config = &self.loaded.model.config;
        let risk = assess(&d, &config.me, &config.alerts, self.board.now);
        Some((DeadlineRow::new(config, s.record, &d, risk), d))
    }

    /// The record of the board's follow-up number `record` (a row's or a slot's `record`).
    pub fn followup(&self, record: u32) -> Option<Rec<'_, Followup>> {
        self.loaded.model.followups.get(record as usize)
    }

    /// The listed follow-up whose key is `key`: by the key's hash first, so only a row that
    /// may be it is read (millions held as lines would each be parsed).
    pub fn followup_with_key(&self, key: &str) -> Option<Rec<'_, Followup>> {
        let hash = key_hash(key)?;
        self.board
            .followups
            .iter()
            .filter(|r| r.key == hash)
            .filter_map(|r| self.followup(r.record))
            .find(|f| followup_has_key(f, key))
    }

    /// The selected follow-up's row and record.
    pub fn selected_followup_record(&self) -> Option<(FollowupRow<'_>, Rec<'_, Followup>)> {
        let s = self.selected_slot()?;
        self.followup_rows().row_of_slot(&self.loaded.model, s)
    }

    /// Select the record at `line` of `file` (after an undo), if it is listed.
    pub fn select_at(&mut self, file: DataFile, line: usize) {
        let (pane, found) = match file {
            DataFile::Followups => (
                Pane::Followups,
                self.board.followups.iter().position(|r| r.line() == line),
            ),
            DataFile::Deadlines => (
                Pane::Deadlines,
                self.board.deadlines.iter().position(|r| r.line() == line),
            ),
            DataFile::Interactions | DataFile::Timelog => return,
        };
        if let Some(i) = found {
            self.selected[pane.index()] = i;
        }
    }

    /// The id and line text (as loaded) of the listed record at `line` of `file`: what a write
    /// finds it by, borrowed when the record is held typed (a record's line may be 100 MB).
    pub fn record_at(&self, file: DataFile, line: usize) -> Option<(Option<String>, Cow<'_, str>)> {
        fn of<T: Record>(
            r: Rec<'_, T>,
            id: impl Fn(&T) -> Option<&str>,
        ) -> (Option<String>, Cow<'_, str>) {
            let id = id(&r).map(str::to_string);
            match r {
                Rec::Borrowed(r) => (id, Cow::Borrowed(r.text())),
                Rec::Owned(r) => (id, Cow::Owned(r.text().to_string())),
            }
        }
        match file {
            DataFile::Followups => self
                .board
                .followups
                .iter()
                .find(|r| r.line() == line)
                .and_then(|r| self.followup(r.record))
                .map(|f| of(f, |f| f.id.as_deref())),
            DataFile::Deadlines => self
                .board
                .deadlines
                .iter()
                .find(|r| r.line() == line)
                .and_then(|r| self.deadline(r.record))
                .map(|d| of(d, |d| d.id.as_deref())),
            DataFile::Interactions | DataFile::Timelog => None,
        }
    }

    /// Where keys are read now (which bindings apply).
    pub fn place(&self) -> Place {
        match &self.overlay {
            Overlay::Snooze(_) => Place::Picker,
            Overlay::Form(f) if f.fields.get(f.focus).is_some_and(|x| !x.choices.is_empty()) => {
                Place::Picker
            }
            Overlay::Form(_) | Overlay::Filter { .. } => Place::Form,
            Overlay::Client(_) => Place::Page,
            _ => Place::Board,
        }
    }

    /// The pane whose keys apply: the focused one, or the clocks' under the week view, so that
    /// their scrubber (`h`/`l`, `H`/`L`) moves the week, and keys acting on rows hidden by it
    /// do nothing.
    pub fn key_focus(&self) -> Pane {
        if self.overlay == Overlay::Week {
            Pane::Clocks
        } else {
            self.focus
        }
    }

    pub fn in_form(&self) -> bool {
        matches!(
            self.overlay,
            Overlay::Form(_) | Overlay::Filter { .. } | Overlay::Snooze(_)
        )
    }

    /// The problems, counted as `check` counts them (with the ones a "N more problems" line
    /// stands for, and `[keys]`'s: `keymap::problems_of`); the header says it in its words.
    pub fn problems(&self) -> Count {
        Count::of(self.problem_list())
    }

    /// Every problem: the data's, then `[keys]`'s.
    pub fn problem_list(&self) -> impl Iterator<Item = &Diagnostic> {
        self.loaded.diagnostics.iter().chain(&self.key_diags)
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Tone::Info));
    }

    pub fn complain(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), Tone::Error));
    }
}
