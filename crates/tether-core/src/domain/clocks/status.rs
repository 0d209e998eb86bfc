//! Open or closed, and until or from when: the business status on a client's row and in
//! `tether status`, and the send window the follow-ups pane and alerts show.

use crate::domain::holidays::DayOff;
use crate::domain::model::Client;
use crate::domain::schedule::{SEARCH_DAYS, Schedule, clamp};
use crate::domain::time::{format_duration, local_date};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// Whether a client is open now, and until or from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessStatus {
    /// Inside business hours. `closes_at` is the end of the whole run of back-to-back shifts,
    /// so a `00:00-24:00` client does not appear to close at every midnight.
    Open {
        closes_in: Duration,
        closes_at: DateTime<Utc>,
    },
    Closed {
        opens_in: Duration,
        opens_at: DateTime<Utc>,
    },
    /// Today (their date) is one of their holidays (typed, public or a closure: `why`) and no
    /// shift is running. `opens_at` is their next opening, if there is one within the search
    /// horizon.
    Holiday {
        opens_at: Option<DateTime<Utc>>,
        why: DayOff,
    },
    /// No business days configured, or no opening within the search horizon.
    NoHours,
}

impl BusinessStatus {
    /// A short phrase for people, such as `open · closes in 3h 20m`. Times until an event round
    /// up to the minute, so a countdown never shows "0m" while the event is still ahead.
    /// A holiday says only why here (`holiday`, `holiday: Culture Day`, `closed: company
    /// closure`): naming the reopening needs a zone, see [`BusinessStatus::describe_in`].
    pub fn describe(&self) -> String {
        match self {
            BusinessStatus::Open { closes_in, .. } => {
                format!(
                    "open · closes in {}",
                    format_duration(ceil_minute(*closes_in))
                )
            }
            BusinessStatus::Closed { opens_in, .. } => {
                format!(
                    "closed · opens in {}",
                    format_duration(ceil_minute(*opens_in))
                )
            }
            BusinessStatus::Holiday { why, .. } => why.describe(),
            BusinessStatus::NoHours => "no business hours".to_string(),
        }
    }

    /// Like [`BusinessStatus::describe`], but a holiday names when they reopen on `zone`'s clock
    /// (normally the client's zone): `holiday: Culture Day · opens Thu 09:00`.
    pub fn describe_in(&self, zone: Tz) -> String {
        match self {
            BusinessStatus::Holiday {
                opens_at: Some(at),
                why,
            } => {
                format!(
                    "{} · opens {}",
                    why.describe(),
                    at.with_timezone(&zone).format("%a %H:%M")
                )
            }
            other => other.describe(),
        }
    }

    /// When they next open, if closed (also on a holiday).
    pub fn opens_at(&self) -> Option<DateTime<Utc>> {
        match self {
            BusinessStatus::Closed { opens_at, .. } => Some(*opens_at),
            BusinessStatus::Holiday { opens_at, .. } => *opens_at,
            BusinessStatus::Open { .. } | BusinessStatus::NoHours => None,
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, BusinessStatus::Open { .. })
    }
}

/// A duration rounded up to the whole minute, for countdowns.
pub fn ceil_minute(d: Duration) -> Duration {
    let secs = d.num_seconds() + i64::from(d.subsec_nanos() > 0);
    Duration::try_minutes(secs.div_euclid(60) + i64::from(secs.rem_euclid(60) > 0)).unwrap_or(d)
}

/// When to send a client something so it lands while they are at work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendWindow {
    OpenNow {
        closes_at: DateTime<Utc>,
    },
    Next {
        opens_at: DateTime<Utc>,
    },
    /// No business hours within the search horizon.
    Unknown,
}

/// A client's business status at `now`.
///
/// A shift still running from a working day wins over a holiday that starts at midnight (a
/// 22:00-06:00 shift on the eve of a holiday is still staffed), because the person is reachable.
pub fn business_status(client: &Client, now: DateTime<Utc>) -> BusinessStatus {
    let now = clamp(now);
    let hours = Schedule::of_client(client);
    if hours.has_no_days() {
        return BusinessStatus::NoHours;
    }
    if let Some(closes_at) = hours.closes_after(now) {
        return BusinessStatus::Open {
            closes_in: closes_at - now,
            closes_at,
        };
    }
    let opens_at = hours.next_start_after(now, SEARCH_DAYS);
    if let Some(why) = hours.day_off(local_date(client.zone, now)) {
        return BusinessStatus::Holiday { opens_at, why };
    }
    match opens_at {
        Some(opens_at) => BusinessStatus::Closed {
            opens_in: opens_at - now,
            opens_at,
        },
        None => BusinessStatus::NoHours,
    }
}

/// "They are open now" (until when), or when their next business hours start: the same answer
/// as [`business_status`], without the holiday wording.
pub fn send_window(client: &Client, now: DateTime<Utc>) -> SendWindow {
    match business_status(client, now) {
        BusinessStatus::Open { closes_at, .. } => SendWindow::OpenNow { closes_at },
        BusinessStatus::Closed { opens_at, .. }
        | BusinessStatus::Holiday {
            opens_at: Some(opens_at),
            ..
        } => SendWindow::Next { opens_at },
        BusinessStatus::Holiday { opens_at: None, .. } | BusinessStatus::NoHours => {
            SendWindow::Unknown
        }
    }
}
