//! The board kept up to date between events (a minute, new data, a new filter), doing only the
//! work each event needs.

use super::deadlines::{deadline_rows_reusing, retime_deadlines};
use super::followups::{FollowupClock, followup_rows};
use super::reuse::Reuse;
use super::rows::{DeadlineSlot, FollowupSlot};
use super::{Board, BoardFilter, FoundClients, heat_rows};
use crate::domain::clocks::clock_rows;
use crate::domain::heat::{HeatCache, HeatView, sort_coolest_first};
use crate::domain::held::{Held, Record};
use crate::domain::model::{Client, Model};
use chrono::{DateTime, Utc};

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
    /// The clients the filter finds (a pass over the contact log): kept while the filter and
    /// the contacts stay as they are.
    found: Option<(BoardFilter, FoundClients)>,
    /// The filter the rows were built for; None: rebuild them.
    deadlines_for: Option<BoardFilter>,
    followups_for: Option<BoardFilter>,
    followups: Option<FollowupClock>,
    /// Whether the deadline rows are for the model's records (false after the deadlines were
    /// re-read: rows cannot be moved over).
    deadlines_reusable: bool,
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
            found: None,
            deadlines_for: None,
            followups_for: None,
            followups: None,
            deadlines_reusable: false,
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
        self.deadlines_reusable = false;
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
        self.contacts_found_anew();
        if let Some(h) = &mut self.heat {
            h.append(
                &model.config.clients,
                model.interactions.get(from..).unwrap_or_default(),
                &model.config.heat,
            );
        }
    }

    /// A filter finds clients by their contacts' names: with one typed, the rows are built
    /// again for the contacts as they are now.
    fn contacts_found_anew(&mut self) {
        self.found = None;
        for built_for in [&mut self.deadlines_for, &mut self.followups_for] {
            if built_for.as_ref().is_some_and(|f| !f.text.is_empty()) {
                *built_for = None;
            }
        }
    }

    /// The contact log changed in some other way.
    pub fn contacts_changed(&mut self) {
        self.heat = None;
        self.contacts_found_anew();
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
        board: &mut Board,
        (deadlines, followups): (bool, bool),
    ) -> bool {
        let mut all_kept = true;
        if deadlines {
            let kept = !filter.show_closed
                && self.deadlines_reusable
                && relocate(
                    &mut board.deadlines,
                    DeadlineSlot::line,
                    |r| &mut r.record,
                    &model.deadlines,
                );
            if !kept {
                self.deadlines_changed();
            }
            all_kept &= kept;
        }
        if followups {
            let kept = !filter.show_closed
                && self.followups_reusable
                && relocate(
                    &mut board.followups,
                    FollowupSlot::line,
                    |r| &mut r.record,
                    &model.followups,
                );
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
        if self
            .found
            .as_ref()
            .is_none_or(|(f, _)| f.text != filter.text)
        {
            self.found = Some((filter.clone(), filter.found_clients(model)));
        }
        let LiveBoard {
            heat,
            found,
            deadlines_for,
            followups_for,
            followups,
            deadlines_reusable,
            followups_reusable,
        } = self;
        let none = FoundClients::default();
        let found = found.as_ref().map_or(&none, |(_, c)| c);
        let at = RowsAt {
            model,
            filter,
            found,
            now,
            moved: board.now != now,
        };
        let deadlines = DeadlineRows {
            built_for: deadlines_for,
            reusable: deadlines_reusable,
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
        board.heat = heat_rows(model, rows.into_iter(), filter, found, now);

        board.now = now;
        board.my_zone = config.me.zone_at(now);
        board.clocks = clock_rows(config, now);
    }
}

/// Each row's record index set again, found by its line in `all`; false when one is missing
/// (the rows are then built again: those already moved do not matter). Typed records' lines
/// are gathered first (one pass in order): searching them there instead of in the records
/// themselves touches a few MB instead of a cache miss per step (at a million records, ~35 →
/// ~5 ms on the screen's thread); records held as lines have theirs side by side already.
fn relocate<R, T: Record>(
    rows: &mut [R],
    row_line: impl Fn(&R) -> usize,
    record: impl Fn(&mut R) -> &mut u32,
    all: &Held<T>,
) -> bool {
    let gathered: Option<Vec<usize>> = (!all.is_lines()).then(|| all.lines().collect());
    for r in rows.iter_mut() {
        let line = row_line(r);
        let found = match &gathered {
            Some(lines) => lines.binary_search(&line).ok(),
            None => all.position_of_line(line),
        };
        match found {
            Some(i) => *record(r) = i as u32,
            None => return false,
        }
    }
    true
}

/// What the rows are brought up to date for.
struct RowsAt<'m> {
    model: &'m Model,
    filter: &'m BoardFilter,
    /// The clients the filter finds (worked out once for the three panes).
    found: &'m FoundClients,
    now: DateTime<Utc>,
    /// The clock moved since the board was last updated.
    moved: bool,
}

/// The deadline rows and what [`LiveBoard`] remembers about them.
struct DeadlineRows<'b> {
    built_for: &'b mut Option<BoardFilter>,
    reusable: &'b mut bool,
    rows: &'b mut Vec<DeadlineSlot>,
}

impl DeadlineRows<'_> {
    /// Rebuilt (new data or filter), retimed (a new minute), or left as they are.
    fn update(self, at: &RowsAt<'_>) {
        let (model, filter, now) = (at.model, at.filter, at.now);
        if self.built_for.as_ref() != Some(filter) {
            let old = std::mem::take(self.reusable).then(|| {
                let rows = std::mem::take(&mut *self.rows);
                let records: Vec<u32> = rows.iter().map(|r| r.record).collect();
                Reuse::new(rows, &records, model.deadlines.len())
            });
            // Rows that cannot be reused go before the new ones are made (not beside them).
            *self.rows = Vec::new();
            *self.rows = deadline_rows_reusing(model, filter, at.found, now, old);
            *self.reusable = true;
            *self.built_for = Some(filter.clone());
        } else if at.moved {
            retime_deadlines(self.rows, model, now);
        }
    }
}

/// The follow-up rows and what [`LiveBoard`] remembers about them.
struct FollowupRows<'b> {
    built_for: &'b mut Option<BoardFilter>,
    clock: &'b mut Option<FollowupClock>,
    reusable: &'b mut bool,
    rows: &'b mut Vec<FollowupSlot>,
}

impl FollowupRows<'_> {
    /// Rebuilt (new data or filter, or a section boundary passed), or left as they are (a new
    /// minute: a row's send window is worked out when it is made, at the board's instant).
    fn update(self, at: &RowsAt<'_>) {
        let (model, filter, now) = (at.model, at.filter, at.now);
        let zone = model.config.me.zone_at(now);
        let fresh = self.clock.as_ref().is_some_and(|f| {
            f.edge.is_none_or(|e| now < e)
                && f.zone == zone
                && f.today == now.with_timezone(&zone).date_naive()
        });
        if self.built_for.as_ref() != Some(filter) || !fresh {
            // The slots before go before the new ones are made (not beside them).
            *self.rows = Vec::new();
            let (rows, clock) = followup_rows(model, filter, at.found, now);
            *self.rows = rows;
            *self.clock = Some(clock);
            *self.built_for = Some(filter.clone());
            *self.reusable = true;
        }
    }
}
