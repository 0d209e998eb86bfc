//! The four panes' contents at one instant, computed once from the model and shared by the
//! dashboard, `tether agenda` and the alerts. Pure: it takes `now` and owns copies, so a view can
//! be drawn many times without recomputing heat over the whole history.

use super::capacity::{LATEST_START_LOOKBACK_DAYS, WorkCalendar};
use super::clocks::{ClockRow, SendWindow, clock_rows, send_window};
use super::followups::{Bucket, board};
use super::heat::{HeatView, heat_board};
use super::model::{Client, Deadline, Followup, Model, Status};
use super::risk::{RiskView, assess_with};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct DeadlineRow {
    pub deadline: Deadline,
    pub client_name: Option<String>,
    pub risk: RiskView,
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

fn record_key(id: Option<&str>, text: &str) -> String {
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
    pub fn compute(model: &Model, filter: &BoardFilter, now: DateTime<Utc>) -> Board {
        let config = &model.config;
        let client = |id: Option<&str>| id.and_then(|i| config.client(i));
        let name_of = |id: Option<&str>| client(id).map(|c| c.name.clone());

        let shown: Vec<&Deadline> = model
            .deadlines
            .iter()
            .filter(|d| {
                d.status == Status::Open || (filter.show_closed && d.status == Status::Done)
            })
            .filter(|d| {
                let c = client(d.client.as_deref());
                filter.matches(&[
                    Some(&d.title),
                    d.client.as_deref(),
                    c.map(|c| c.name.as_str()),
                ])
            })
            .collect();
        // One working-time calendar over every due date (and the latest-start look-back before
        // the earliest), instead of a walk over the days for each deadline.
        let first = shown.iter().map(|d| d.due).min().unwrap_or(now).min(now);
        let last = shown.iter().map(|d| d.due).max().unwrap_or(now).max(now);
        let look_back = chrono::Duration::days(LATEST_START_LOOKBACK_DAYS);
        let calendar = WorkCalendar::new(
            &config.me,
            first.checked_sub_signed(look_back).unwrap_or(first),
            last,
        );
        let mut deadlines: Vec<DeadlineRow> = shown
            .into_iter()
            .map(|d| DeadlineRow {
                risk: assess_with(&calendar, d, &config.alerts, now),
                client_name: name_of(d.client.as_deref()),
                deadline: d.clone(),
            })
            .collect();
        deadlines.sort_by(|a, b| {
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

        let heat = heat_board(&config.clients, &model.interactions, &config.heat, now)
            .into_iter()
            .filter(|(c, _)| filter.matches(&[Some(&c.id), Some(&c.name), c.champion.as_deref()]))
            .map(|(c, h)| HeatRow {
                client: c.clone(),
                heat: h,
            })
            .collect();

        let fb = board(&model.followups, &config.me, now);
        let mut followups = Vec::new();
        let row = |f: &Followup, section: Section, due_at: Option<DateTime<Utc>>, overdue: bool| {
            let c = client(f.client.as_deref());
            FollowupRow {
                followup: f.clone(),
                section,
                due_at,
                overdue,
                client_name: c.map(|c| c.name.clone()),
                client_zone: c.map(|c| c.zone),
                send: c.map(|c| send_window(c, now)),
            }
        };
        let keep = |f: &Followup| {
            let c = client(f.client.as_deref());
            filter.matches(&[
                Some(&f.what),
                f.who.as_deref(),
                f.client.as_deref(),
                c.map(|c| c.name.as_str()),
            ])
        };
        for r in fb.owe.iter().filter(|r| keep(r.f)) {
            let section = match r.bucket {
                Bucket::Overdue => Section::Overdue,
                Bucket::Today => Section::Today,
                Bucket::Upcoming => Section::Upcoming,
                Bucket::Undated => Section::Undated,
            };
            followups.push(row(r.f, section, r.due_at, r.bucket == Bucket::Overdue));
        }
        for r in fb.waiting.iter().filter(|r| keep(r.f)) {
            followups.push(row(
                r.f,
                Section::Waiting,
                r.due_at,
                r.bucket == Bucket::Overdue,
            ));
        }
        if filter.show_closed {
            for f in fb.snoozed.iter().filter(|f| keep(f)) {
                followups.push(row(f, Section::Snoozed, None, false));
            }
            for f in fb.closed.iter().filter(|f| keep(f)) {
                followups.push(row(f, Section::Closed, None, false));
            }
        }

        Board {
            now,
            my_zone: config.me.zone_at(now),
            clocks: clock_rows(config, now),
            deadlines,
            heat,
            followups,
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
