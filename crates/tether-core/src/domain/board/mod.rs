//! The four panes' contents at one instant, computed once from the model and shared by the
//! dashboard, `tether agenda` and the alerts. Pure: it takes `now` and owns copies, so a view can
//! be drawn many times without recomputing heat over the whole history.

mod deadlines;
mod filter;
mod followups;
mod live;
mod reuse;
mod rows;

pub use deadlines::{DeadlineRows, calendar_for};
pub use filter::{BoardFilter, FoundClients};
pub use followups::FollowupRows;
pub use live::LiveBoard;
pub use rows::{
    DeadlineRow, DeadlineSlot, FollowupRow, FollowupSlot, HeatRow, Section, clients_by_id,
    followup_has_key, followup_key, key_hash, record_key, record_key_hash, section_of,
};

use crate::domain::clocks::{ClockRow, clock_rows};
use crate::domain::heat::{HeatView, heat_board};
use crate::domain::model::{Client, Model, Status};
use crate::domain::retainer::Ledger;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use deadlines::deadline_rows;
use followups::followup_rows;

#[derive(Debug, Clone)]
pub struct Board {
    pub now: DateTime<Utc>,
    pub my_zone: Tz,
    pub clocks: Vec<ClockRow>,
    /// The listed deadlines' places; the whole row of one is made when read
    /// ([`DeadlineRow::new`]).
    pub deadlines: Vec<DeadlineSlot>,
    pub heat: Vec<HeatRow>,
    /// The listed follow-ups' places; their rows are made when drawn or read
    /// ([`FollowupRows::row_of_slot`]).
    pub followups: Vec<FollowupSlot>,
}

impl Board {
    /// Every pane at `now`, from scratch.
    pub fn compute(model: &Model, filter: &BoardFilter, now: DateTime<Utc>) -> Board {
        let found = filter.found_clients(model);
        let mut b = Board::rows_but_heat(model, filter, &found, now);
        let config = &model.config;
        let mut heat = heat_board(&config.clients, &model.interactions, &config.heat, now);
        b.heat = heat_rows(model, heat.drain(..), filter, &found, now);
        b
    }

    /// Every pane but the heat (which reads the whole contact log), for the alerts.
    pub fn compute_without_heat(model: &Model, filter: &BoardFilter, now: DateTime<Utc>) -> Board {
        Board::rows_but_heat(model, filter, &filter.found_clients(model), now)
    }

    fn rows_but_heat(
        model: &Model,
        filter: &BoardFilter,
        found: &FoundClients,
        now: DateTime<Utc>,
    ) -> Board {
        let config = &model.config;
        Board {
            now,
            my_zone: config.me.zone_at(now),
            clocks: clock_rows(config, now),
            deadlines: deadline_rows(model, filter, found, now),
            heat: Vec::new(),
            followups: followup_rows(model, filter, found, now).0,
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

/// The heat pane's rows, each with its client's retainer burn-down at `now`. Those are counted
/// at every update (a running timer moves them each minute), from one index of the deadlines'
/// clients built only when a client shown has a retainer.
fn heat_rows<'a>(
    model: &Model,
    views: impl Iterator<Item = (&'a Client, HeatView)>,
    filter: &BoardFilter,
    found: &FoundClients,
    now: DateTime<Utc>,
) -> Vec<HeatRow> {
    let mut ledger: Option<Ledger<'_>> = None;
    views
        .filter(|(c, _)| filter.text.is_empty() || found.has(Some(&c.id)))
        .map(|(c, h)| HeatRow {
            retainer: c
                .retainer
                .as_ref()
                .and_then(|_| ledger.get_or_insert_with(|| Ledger::of(model)).burn(c, now)),
            client: c.clone(),
            heat: h,
        })
        .collect()
}
