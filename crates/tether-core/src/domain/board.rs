//! The four panes' contents at one instant, computed once from the model and shared by the
//! dashboard, `tether agenda` and the alerts. Pure: it takes `now` and owns copies, so a view can
//! be drawn many times without recomputing heat over the whole history.

use super::capacity::{LATEST_START_LOOKBACK_DAYS, WorkCalendar};
use super::clocks::{ClockRow, SendWindow, clock_rows, send_window};
use super::followups::{Bucket, board};
use super::heat::{HeatCache, HeatView, heat_board, sort_coolest_first};
use super::model::{Client, Config, Deadline, Followup, FollowupDue, Me, Model, Status};
use super::risk::{RiskView, assess_with, reassess};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct DeadlineRow {
    pub deadline: Deadline,
    pub client_name: Option<String>,
    pub risk: RiskView,
    /// The instant `risk` is for.
    risk_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct HeatRow {
    pub client: Client,
    pub heat: HeatView,
}

/// Where a follow-up sits in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Overdue,
    Today,
    Upcoming,
    Undated,
    /// The ball is in the client's court.
    Waiting,
    /// Hidden until `snoozed_until` (shown only with `z`).
    Snoozed,
    /// Done or dropped (shown only with `z`).
    Closed,
}

impl Section {
    pub fn title(&self) -> &'static str {
        match self {
            Section::Overdue => "Overdue",
            Section::Today => "Today",
            Section::Upcoming => "Upcoming",
            Section::Undated => "Undated",
            Section::Waiting => "Waiting on them",
            Section::Snoozed => "Snoozed",
            Section::Closed => "Done / dropped",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FollowupRow {
    pub followup: Followup,
    pub section: Section,
    /// When it is due as an instant (a date-only due: the end of that day in your zone).
    pub due_at: Option<DateTime<Utc>>,
    /// Whether the waiting item is past its chase date.
    pub overdue: bool,
    pub client_name: Option<String>,
    pub client_zone: Option<Tz>,
    pub send: Option<SendWindow>,
}

impl FollowupRow {
    /// A stable key to keep the selection on this record across reloads.
    pub fn key(&self) -> String {
        record_key(self.followup.id.as_deref(), &self.followup.origin.text)
    }
}

impl DeadlineRow {
    pub fn key(&self) -> String {
        record_key(self.deadline.id.as_deref(), &self.deadline.origin.text)
    }
}

impl FollowupRow {
    /// Whether `key()` would be `key` (without formatting it).
    pub fn has_key(&self, key: &str) -> bool {
        record_has_key(self.followup.id.as_deref(), &self.followup.origin.text, key)
    }
}

impl DeadlineRow {
    /// Whether `key()` would be `key` (without formatting it).
    pub fn has_key(&self, key: &str) -> bool {
        record_has_key(self.deadline.id.as_deref(), &self.deadline.origin.text, key)
    }
}

fn record_has_key(id: Option<&str>, text: &str, key: &str) -> bool {
    match id {
        Some(id) => key.strip_prefix("id:") == Some(id),
        None => key.strip_prefix("text:") == Some(text),
    }
}

/// The selection key of a record (`DeadlineRow::key`, `FollowupRow::key`).
pub fn record_key(id: Option<&str>, text: &str) -> String {
    match id {
        Some(id) => format!("id:{id}"),
        None => format!("text:{text}"),
    }
}

#[derive(Debug, Clone)]
pub struct Board {
    pub now: DateTime<Utc>,
    pub my_zone: Tz,
    pub clocks: Vec<ClockRow>,
    pub deadlines: Vec<DeadlineRow>,
    pub heat: Vec<HeatRow>,
    pub followups: Vec<FollowupRow>,
}

/// What the user asked to see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// Case-insensitive text that must appear in the title/what, who, or client id/name.
    pub text: String,
    /// Also show snoozed and done/dropped follow-ups, and done deadlines.
    pub show_closed: bool,
}

impl BoardFilter {
    fn matches(&self, fields: &[Option<&str>]) -> bool {
        if self.text.is_empty() {
            return true;
        }
        let needle = self.text.to_lowercase();
        fields
            .iter()
            .flatten()
            .any(|f| f.to_lowercase().contains(&needle))
    }
}

impl Board {
    /// Every pane at `now`, from scratch.
    pub fn compute(model: &Model, filter: &BoardFilter, now: DateTime<Utc>) -> Board {
        let mut b = Board::compute_without_heat(model, filter, now);
        let config = &model.config;
        let mut heat = heat_board(&config.clients, &model.interactions, &config.heat, now);
        b.heat = heat_rows(heat.drain(..), filter);
        b
    }

    /// Every pane but the heat (which reads the whole contact log), for the alerts.
    pub fn compute_without_heat(model: &Model, filter: &BoardFilter, now: DateTime<Utc>) -> Board {
        let config = &model.config;
        Board {
            now,
            my_zone: config.me.zone_at(now),
            clocks: clock_rows(config, now),
            deadlines: deadline_rows(model, filter, now),
            heat: Vec::new(),
            followups: followup_rows(model, filter, now).0,
        }
    }

    /// How many follow-ups are hidden by snoozing (shown as a hint when `z` is off).
    pub fn hidden_snoozed(model: &Model, now: DateTime<Utc>) -> usize {
        model
            .followups
            .iter()
            .filter(|f| f.status == Status::Open && f.snoozed_until.is_some_and(|s| s > now))
            .count()
    }
}

/// Clients by id (the first of a repeated id), for one board.
fn clients_by_id(config: &Config) -> foldhash::HashMap<&str, &Client> {
    let mut m = foldhash::HashMap::default();
    for c in &config.clients {
        m.entry(c.id.as_str()).or_insert(c);
    }
    m
}

/// The working-time calendar for assessing deadlines due at `dues` at `now` (from the earliest
/// due's latest-start look-back to the latest due; see `WorkCalendar::new`).
pub fn calendar_for(
    me: &Me,
    dues: impl Iterator<Item = DateTime<Utc>> + Clone,
    now: DateTime<Utc>,
) -> WorkCalendar<'_> {
    let first = dues.clone().min().unwrap_or(now).min(now);
    let last = dues.max().unwrap_or(now).max(now);
    let look_back = chrono::Duration::days(LATEST_START_LOOKBACK_DAYS);
    WorkCalendar::new(
        me,
        first.checked_sub_signed(look_back).unwrap_or(first),
        last,
    )
}

fn deadline_rows(model: &Model, filter: &BoardFilter, now: DateTime<Utc>) -> Vec<DeadlineRow> {
    deadline_rows_reusing(model, filter, now, None).0
}

/// The position of `x` in `all` (`x` is one of its elements).
fn index_in<T>(all: &[T], x: &T) -> usize {
    (std::ptr::from_ref(x).addr() - all.as_ptr().addr()) / std::mem::size_of::<T>().max(1)
}

/// Rows of a board before, by the index of their record in the model, for a new board over the
/// same records (or more appended): a row is moved over instead of copying its record again.
struct Reuse<R> {
    rows: Vec<Option<R>>,
    /// Record index -> position in `rows` (u32::MAX: none).
    by_record: Vec<u32>,
}

impl<R> Reuse<R> {
    fn new(rows: Vec<R>, records: &[u32], count: usize) -> Reuse<R> {
        let mut by_record = vec![u32::MAX; count];
        for (pos, &i) in records.iter().enumerate() {
            if let Some(slot) = by_record.get_mut(i as usize) {
                *slot = pos as u32;
            }
        }
        Reuse {
            rows: rows.into_iter().map(Some).collect(),
            by_record,
        }
    }

    fn take(&mut self, record: usize) -> Option<R> {
        let pos = *self.by_record.get(record)?;
        self.rows.get_mut(pos as usize)?.take()
    }
}

/// The deadline rows, and each row's record index; `old` rows are moved over (their risk
/// brought to `now`) rather than built again.
fn deadline_rows_reusing(
    model: &Model,
    filter: &BoardFilter,
    now: DateTime<Utc>,
    mut old: Option<Reuse<DeadlineRow>>,
) -> (Vec<DeadlineRow>, Vec<u32>) {
    let config = &model.config;
    let clients = clients_by_id(config);
    let client = |id: Option<&str>| id.and_then(|i| clients.get(i).copied());
    let shown: Vec<&Deadline> = model
        .deadlines
        .iter()
        .filter(|d| d.status == Status::Open || (filter.show_closed && d.status == Status::Done))
        .filter(|d| {
            filter.text.is_empty() || {
                let c = client(d.client.as_deref());
                filter.matches(&[
                    Some(&d.title),
                    d.client.as_deref(),
                    c.map(|c| c.name.as_str()),
                ])
            }
        })
        .collect();
    // One working-time calendar over every due date (and the latest-start look-back before
    // the earliest), instead of a walk over the days for each deadline.
    let calendar = calendar_for(&config.me, shown.iter().map(|d| d.due), now);
    let mut rows: Vec<(DeadlineRow, u32)> = shown
        .into_iter()
        .map(|d| {
            let i = index_in(&model.deadlines, d);
            let row = match old.as_mut().and_then(|o| o.take(i)) {
                Some(mut r) => {
                    if r.risk_at != now {
                        r.risk = reassess(&calendar, d, &config.alerts, now, &r.risk);
                        r.risk_at = now;
                    }
                    r
                }
                None => DeadlineRow {
                    risk: assess_with(&calendar, d, &config.alerts, now),
                    risk_at: now,
                    client_name: client(d.client.as_deref()).map(|c| c.name.clone()),
                    deadline: d.clone(),
                },
            };
            (row, i as u32)
        })
        .collect();
    drop(old);
    rows.sort_by(|(a, _), (b, _)| {
        (
            a.deadline.status != Status::Open,
            a.deadline.due,
            &a.deadline.title,
        )
            .cmp(&(
                b.deadline.status != Status::Open,
                b.deadline.due,
                &b.deadline.title,
            ))
    });
    rows.into_iter().unzip()
}

/// The deadline rows at a new `now`: the same rows (which and their order do not depend on the
/// time), their risk brought up to date.
fn retime_deadlines(rows: &mut [DeadlineRow], config: &Config, now: DateTime<Utc>) {
    let calendar = calendar_for(&config.me, rows.iter().map(|r| r.deadline.due), now);
    for r in rows {
        r.risk = reassess(&calendar, &r.deadline, &config.alerts, now, &r.risk);
        r.risk_at = now;
    }
}

fn heat_rows<'a>(
    views: impl Iterator<Item = (&'a Client, HeatView)>,
    filter: &BoardFilter,
) -> Vec<HeatRow> {
    views
        .filter(|(c, _)| filter.matches(&[Some(&c.id), Some(&c.name), c.champion.as_deref()]))
        .map(|(c, h)| HeatRow {
            client: c.clone(),
            heat: h,
        })
        .collect()
}

/// What the follow-up rows need to follow the clock without being rebuilt.
#[derive(Debug, Clone)]
struct FollowupClock {
    /// Rebuild the rows at or after this instant (a due passes, a snooze ends).
    edge: Option<DateTime<Utc>>,
    /// Your zone and date when they were built (a new date moves rows between sections).
    zone: Tz,
    today: NaiveDate,
    /// Each row's client, by index in the config (for its send window).
    row_clients: Vec<Option<usize>>,
    /// Each row's record, by index in the model's follow-ups.
    row_records: Vec<u32>,
    hidden_snoozed: usize,
}

fn followup_rows(
    model: &Model,
    filter: &BoardFilter,
    now: DateTime<Utc>,
) -> (Vec<FollowupRow>, FollowupClock) {
    followup_rows_reusing(model, filter, now, None)
}

/// The follow-up rows; `old` rows are moved over (their time-dependent fields set again) rather
/// than built again.
fn followup_rows_reusing(
    model: &Model,
    filter: &BoardFilter,
    now: DateTime<Utc>,
    mut old: Option<Reuse<FollowupRow>>,
) -> (Vec<FollowupRow>, FollowupClock) {
    let config = &model.config;
    let mut index: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for (k, c) in config.clients.iter().enumerate() {
        index.entry(c.id.as_str()).or_insert(k);
    }
    let client_ix = |id: Option<&str>| id.and_then(|i| index.get(i).copied());
    let windows: Vec<SendWindow> = config.clients.iter().map(|c| send_window(c, now)).collect();
    let fb = board(&model.followups, &config.me, now);
    let mut followups = Vec::new();
    let mut row_clients = Vec::new();
    let mut row_records = Vec::new();
    let mut row = |f: &Followup, section: Section, due_at: Option<DateTime<Utc>>, overdue: bool| {
        let k = client_ix(f.client.as_deref());
        let i = index_in(&model.followups, f);
        row_clients.push(k);
        row_records.push(i as u32);
        let send = k.map(|k| windows[k]);
        if let Some(mut r) = old.as_mut().and_then(|o| o.take(i)) {
            r.section = section;
            r.due_at = due_at;
            r.overdue = overdue;
            r.send = send;
            followups.push(r);
            return;
        }
        let c = k.map(|k| &config.clients[k]);
        followups.push(FollowupRow {
            followup: f.clone(),
            section,
            due_at,
            overdue,
            client_name: c.map(|c| c.name.clone()),
            client_zone: c.map(|c| c.zone),
            send,
        });
    };
    let keep = |f: &Followup| {
        filter.text.is_empty() || {
            let c = client_ix(f.client.as_deref()).map(|k| &config.clients[k]);
            filter.matches(&[
                Some(&f.what),
                f.who.as_deref(),
                f.client.as_deref(),
                c.map(|c| c.name.as_str()),
            ])
        }
    };
    for r in fb.owe.iter().filter(|r| keep(r.f)) {
        let section = match r.bucket {
            Bucket::Overdue => Section::Overdue,
            Bucket::Today => Section::Today,
            Bucket::Upcoming => Section::Upcoming,
            Bucket::Undated => Section::Undated,
        };
        row(r.f, section, r.due_at, r.bucket == Bucket::Overdue);
    }
    for r in fb.waiting.iter().filter(|r| keep(r.f)) {
        row(r.f, Section::Waiting, r.due_at, r.bucket == Bucket::Overdue);
    }
    if filter.show_closed {
        for f in fb.snoozed.iter().filter(|f| keep(f)) {
            row(f, Section::Snoozed, None, false);
        }
        for f in fb.closed.iter().filter(|f| keep(f)) {
            row(f, Section::Closed, None, false);
        }
    }
    // The next instant any open follow-up changes section: a timed due passing (it is overdue
    // once now is past it), a snooze ending (from its instant on).
    let tick = chrono::Duration::nanoseconds(1);
    let edge = model
        .followups
        .iter()
        .filter(|f| f.status == Status::Open)
        .flat_map(|f| {
            let due = match f.due {
                Some(FollowupDue::At(t)) if t >= now => t.checked_add_signed(tick),
                _ => None,
            };
            let snooze = f.snoozed_until.filter(|s| *s > now);
            [due, snooze]
        })
        .flatten()
        .min();
    let zone = config.me.zone_at(now);
    let clock = FollowupClock {
        edge,
        zone,
        today: now.with_timezone(&zone).date_naive(),
        row_clients,
        row_records,
        hidden_snoozed: fb.snoozed.len(),
    };
    (followups, clock)
}

/// From this many contacts on, a new heat cache is built on a second thread (below, a thread
/// costs more than it saves).
const PARALLEL_HEAT_CONTACTS: usize = 50_000;

/// The board kept up to date between events, doing only what each needs:
///
/// - a new minute: clocks, each deadline's risk (in place: which deadlines and their order do
///   not depend on the time), the follow-ups' send windows, and the follow-up rows only when
///   one changes section (a due passes, a snooze ends, the date changes); heat only as
///   [`HeatCache`] says (hourly, at the date change, or when a contact comes due);
/// - new data: the rows of the files that changed; appended contacts update their clients'
///   heat only;
/// - a new filter: the rows again, heat re-filtered from the cache;
/// - a selection move: nothing (it does not come here).
#[derive(Debug, Clone)]
pub struct LiveBoard {
    heat: Option<HeatCache>,
    /// The filter the rows were built for; None: rebuild them.
    deadlines_for: Option<BoardFilter>,
    followups_for: Option<BoardFilter>,
    followups: Option<FollowupClock>,
    /// Each deadline row's record index, while the board's rows are for the model's records
    /// (None after the deadlines were re-read: rows cannot be moved over).
    deadline_records: Option<Vec<u32>>,
    /// Whether the follow-up rows are for the model's records (see `deadline_records`).
    followups_reusable: bool,
}

impl Default for LiveBoard {
    fn default() -> Self {
        LiveBoard::new()
    }
}

impl LiveBoard {
    pub fn new() -> LiveBoard {
        LiveBoard {
            heat: None,
            deadlines_for: None,
            followups_for: None,
            followups: None,
            deadline_records: None,
            followups_reusable: false,
        }
    }

    /// Everything changed (new config, or a model from elsewhere).
    pub fn all_changed(&mut self) {
        *self = LiveBoard::new();
    }

    /// Deadlines were appended (those before stay as they were).
    pub fn deadlines_appended(&mut self) {
        self.deadlines_for = None;
    }

    /// The deadlines file was read again: any record may have changed.
    pub fn deadlines_changed(&mut self) {
        self.deadlines_for = None;
        self.deadline_records = None;
    }

    /// Follow-ups were appended (those before stay as they were).
    pub fn followups_appended(&mut self) {
        self.followups_for = None;
    }

    /// The follow-ups file was read again: any record may have changed.
    pub fn followups_changed(&mut self) {
        self.followups_for = None;
        self.followups_reusable = false;
    }

    /// Contacts were appended: those from index `from` on are new.
    pub fn contacts_appended(&mut self, model: &Model, from: usize) {
        if let Some(h) = &mut self.heat {
            h.append(
                model.interactions.get(from..).unwrap_or_default(),
                &model.config.heat,
            );
        }
    }

    /// The contact log changed in some other way.
    pub fn contacts_changed(&mut self) {
        self.heat = None;
    }

    /// The closed history of the deadlines and/or follow-ups was put in the model: the open
    /// records are the same, on the same lines, but at new places in the lists. With closed
    /// items hidden the rows stay as they are and only learn those places (no rows are built
    /// again at a million records); with them shown, the lists are rebuilt. True when every
    /// row stayed as it was (nothing to rebuild).
    pub fn history_arrived(
        &mut self,
        model: &Model,
        filter: &BoardFilter,
        board: &Board,
        (deadlines, followups): (bool, bool),
    ) -> bool {
        let mut all_kept = true;
        /// Each row's record index again, found by its line; false when one is missing. The
        /// records' lines are gathered first (one pass in order): searching them there instead
        /// of in the records themselves touches a few MB instead of a cache miss per step
        /// (at a million records, ~35 → ~5 ms on the screen's thread).
        fn replace<R, T>(
            records: &mut [u32],
            rows: &[R],
            row_line: impl Fn(&R) -> usize,
            all: &[T],
            line: impl Fn(&T) -> usize,
        ) -> bool {
            if records.len() != rows.len() {
                return false;
            }
            let lines: Vec<usize> = all.iter().map(line).collect();
            records
                .iter_mut()
                .zip(rows)
                .all(|(r, row)| match lines.binary_search(&row_line(row)) {
                    Ok(i) => {
                        *r = i as u32;
                        true
                    }
                    Err(_) => false,
                })
        }
        if deadlines {
            let kept = !filter.show_closed
                && self.deadline_records.as_mut().is_some_and(|records| {
                    replace(
                        records,
                        &board.deadlines,
                        |r| r.deadline.origin.line,
                        &model.deadlines,
                        |d| d.origin.line,
                    )
                });
            if !kept {
                self.deadlines_changed();
            }
            all_kept &= kept;
        }
        if followups {
            let kept = !filter.show_closed
                && self.followups_reusable
                && self.followups.as_mut().is_some_and(|f| {
                    replace(
                        &mut f.row_records,
                        &board.followups,
                        |r| r.followup.origin.line,
                        &model.followups,
                        |x| x.origin.line,
                    )
                });
            if !kept {
                self.followups_changed();
            }
            all_kept &= kept;
        }
        all_kept
    }

    /// Follow-ups hidden by snoozing at the last update (see `Board::hidden_snoozed`).
    pub fn hidden_snoozed(&self) -> Option<usize> {
        self.followups.as_ref().map(|f| f.hidden_snoozed)
    }

    /// Bring `board` to `now` for `model` and `filter`.
    pub fn update(
        &mut self,
        model: &Model,
        filter: &BoardFilter,
        board: &mut Board,
        now: DateTime<Utc>,
    ) {
        let config = &model.config;
        let at = RowsAt {
            model,
            filter,
            now,
            moved: board.now != now,
        };
        let LiveBoard {
            heat,
            deadlines_for,
            followups_for,
            followups,
            deadline_records,
            followups_reusable,
        } = self;
        let deadlines = DeadlineRows {
            built_for: deadlines_for,
            records: deadline_records,
            rows: &mut board.deadlines,
        };
        let followups = FollowupRows {
            built_for: followups_for,
            clock: followups,
            reusable: followups_reusable,
            rows: &mut board.followups,
        };
        // A new heat cache (start-up, new config) groups every contact: on a big log, that and
        // the two lists of rows are built side by side on the cores there are.
        if heat.is_none() && model.interactions.len() >= PARALLEL_HEAT_CONTACTS {
            std::thread::scope(|s| {
                let h =
                    s.spawn(|| HeatCache::new(&config.clients, &model.interactions, &config.heat));
                let d = s.spawn(|| deadlines.update(&at));
                followups.update(&at);
                if let Err(p) = d.join() {
                    std::panic::resume_unwind(p);
                }
                // A panic there is a bug; building the cache again below re-raises it.
                *heat = h.join().ok();
            });
        } else {
            deadlines.update(&at);
            followups.update(&at);
        }
        let heat = heat.get_or_insert_with(|| {
            HeatCache::new(&config.clients, &model.interactions, &config.heat)
        });
        let views = heat.views(&config.clients, &config.heat, now);
        let mut rows: Vec<(&Client, HeatView)> =
            config.clients.iter().zip(views.iter().cloned()).collect();
        sort_coolest_first(&mut rows);
        board.heat = heat_rows(rows.into_iter(), filter);

        board.now = now;
        board.my_zone = config.me.zone_at(now);
        board.clocks = clock_rows(config, now);
    }
}

/// What the rows are brought up to date for.
struct RowsAt<'m> {
    model: &'m Model,
    filter: &'m BoardFilter,
    now: DateTime<Utc>,
    /// The clock moved since the board was last updated.
    moved: bool,
}

/// The deadline rows and what [`LiveBoard`] remembers about them.
struct DeadlineRows<'b> {
    built_for: &'b mut Option<BoardFilter>,
    records: &'b mut Option<Vec<u32>>,
    rows: &'b mut Vec<DeadlineRow>,
}

impl DeadlineRows<'_> {
    /// Rebuilt (new data or filter), retimed (a new minute), or left as they are.
    fn update(self, at: &RowsAt<'_>) {
        let (model, filter, now) = (at.model, at.filter, at.now);
        if self.built_for.as_ref() != Some(filter) {
            let old = self.records.take().map(|records| {
                let rows = std::mem::take(&mut *self.rows);
                Reuse::new(rows, &records, model.deadlines.len())
            });
            // Rows that cannot be reused go before the new ones are made (not beside them).
            *self.rows = Vec::new();
            let (rows, records) = deadline_rows_reusing(model, filter, now, old);
            *self.rows = rows;
            *self.records = Some(records);
            *self.built_for = Some(filter.clone());
        } else if at.moved {
            retime_deadlines(self.rows, &model.config, now);
        }
    }
}

/// The follow-up rows and what [`LiveBoard`] remembers about them.
struct FollowupRows<'b> {
    built_for: &'b mut Option<BoardFilter>,
    clock: &'b mut Option<FollowupClock>,
    reusable: &'b mut bool,
    rows: &'b mut Vec<FollowupRow>,
}

impl FollowupRows<'_> {
    /// Rebuilt (new data or filter, or a section boundary passed), given new send windows (a
    /// new minute), or left as they are.
    fn update(self, at: &RowsAt<'_>) {
        let (model, filter, now) = (at.model, at.filter, at.now);
        let config = &model.config;
        let zone = config.me.zone_at(now);
        let fresh = self.clock.as_ref().is_some_and(|f| {
            f.edge.is_none_or(|e| now < e)
                && f.zone == zone
                && f.today == now.with_timezone(&zone).date_naive()
        });
        if self.built_for.as_ref() != Some(filter) || !fresh {
            let old = self.clock.take().filter(|_| *self.reusable).map(|f| {
                let rows = std::mem::take(&mut *self.rows);
                Reuse::new(rows, &f.row_records, model.followups.len())
            });
            *self.rows = Vec::new();
            let (rows, clock) = followup_rows_reusing(model, filter, now, old);
            *self.rows = rows;
            *self.clock = Some(clock);
            *self.built_for = Some(filter.clone());
            *self.reusable = true;
        } else if at.moved
            && let Some(f) = &*self.clock
        {
            let windows: Vec<SendWindow> =
                config.clients.iter().map(|c| send_window(c, now)).collect();
            for (r, k) in self.rows.iter_mut().zip(&f.row_clients) {
                r.send = k.map(|k| windows[k]);
            }
        }
    }
}

impl Board {
    /// A board with nothing on it yet (for [`LiveBoard::update`] to fill).
    pub fn empty(now: DateTime<Utc>) -> Board {
        Board {
            now,
            my_zone: chrono_tz::UTC,
            clocks: Vec::new(),
            deadlines: Vec::new(),
            heat: Vec::new(),
            followups: Vec::new(),
        }
    }
}

impl DeadlineRow {
    /// The row for one deadline assessed at `now` (as `Board::compute` makes it).
    pub fn new(config: &Config, d: &Deadline, risk: RiskView, now: DateTime<Utc>) -> DeadlineRow {
        DeadlineRow {
            deadline: d.clone(),
            client_name: clients_by_id(config)
                .get(d.client.as_deref().unwrap_or_default())
                .map(|c| c.name.clone()),
            risk,
            risk_at: now,
        }
    }
}

impl FollowupRow {
    /// The row for one follow-up (as `Board::compute` makes it).
    pub fn new(
        config: &Config,
        f: &Followup,
        section: Section,
        due_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> FollowupRow {
        let c = f.client.as_deref().and_then(|id| config.client(id));
        FollowupRow {
            followup: f.clone(),
            section,
            due_at,
            overdue: false,
            client_name: c.map(|c| c.name.clone()),
            client_zone: c.map(|c| c.zone),
            send: c.map(|c| send_window(c, now)),
        }
    }
}

/// The section of an open follow-up that is not snoozed.
pub fn section_of(bucket: Bucket, waiting: bool) -> Section {
    match (waiting, bucket) {
        (true, _) => Section::Waiting,
        (false, Bucket::Overdue) => Section::Overdue,
        (false, Bucket::Today) => Section::Today,
        (false, Bucket::Upcoming) => Section::Upcoming,
        (false, Bucket::Undated) => Section::Undated,
    }
}
