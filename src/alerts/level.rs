//! What an alert is about ([`Level`]) and how urgently it is shown ([`Urgency`]): the words the
//! rules, the texts and the record of sent alerts share.

/// What an alert is about. Deadline levels are ordered Tight < AtRisk < Overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Tight,
    AtRisk,
    Overdue,
    /// An owed follow-up whose due time arrived.
    FollowupDue,
    /// A waiting item whose chase date arrived.
    Chase,
    /// A follow-up whose snooze ended before its due (or chase date) arrived: a snooze is a
    /// "remind me then" (the snooze picker's "their opening" is one).
    Reminder,
    /// The timer running past the end of the working day it started in: it stopped counting
    /// and waits to be stopped and told how long (`domain::timelog::cap`).
    TimerRunning,
    /// Several items in one notification (flood guard); only ever an alert's level.
    Summary,
}

impl Level {
    /// The name written in `alerts.jsonl`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Tight => "tight",
            Level::AtRisk => "at-risk",
            Level::Overdue => "overdue",
            Level::FollowupDue => "followup-due",
            Level::Chase => "chase",
            Level::Reminder => "reminder",
            Level::TimerRunning => "timer-running",
            Level::Summary => "summary",
        }
    }

    /// Every level.
    pub const ALL: [Level; 8] = [
        Level::Tight,
        Level::AtRisk,
        Level::Overdue,
        Level::FollowupDue,
        Level::Chase,
        Level::Reminder,
        Level::TimerRunning,
        Level::Summary,
    ];

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// For people: the start of a notification's summary.
    pub fn label(&self) -> &'static str {
        match self {
            Level::Tight => "Tight",
            Level::AtRisk => "At risk",
            Level::Overdue => "Overdue",
            Level::FollowupDue => "Follow-up due",
            Level::Chase => "Chase",
            Level::Reminder => "Reminder",
            Level::TimerRunning => "Timer still running",
            Level::Summary => "Summary",
        }
    }

    /// Rank among deadline levels (None for the others).
    pub(super) fn deadline_rank(&self) -> Option<u8> {
        match self {
            Level::Tight => Some(1),
            Level::AtRisk => Some(2),
            Level::Overdue => Some(3),
            _ => None,
        }
    }

    /// Order of importance within a pass (lower first).
    pub(super) fn order(&self) -> u8 {
        match self {
            Level::Overdue => 0,
            Level::AtRisk => 1,
            Level::FollowupDue => 2,
            Level::TimerRunning => 3,
            Level::Tight => 4,
            Level::Chase => 5,
            Level::Reminder => 6,
            Level::Summary => 7,
        }
    }

    pub fn urgency(&self) -> Urgency {
        match self {
            Level::Overdue | Level::AtRisk => Urgency::Critical,
            _ => Urgency::Normal,
        }
    }
}

/// Notification urgency (maps to the freedesktop urgency hint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    Critical,
}
