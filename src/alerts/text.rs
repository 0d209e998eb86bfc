//! The words of a notification: what, for whom, when in both zones, and how much working time is
//! left against what is needed.

use super::level::Level;
use crate::domain::board::{DeadlineRow, FollowupRow, Section};
use crate::domain::clocks::SendWindow;
use crate::domain::model::{Deadline, Followup, FollowupDue, Me, UnknownZone};
use crate::domain::schedule::Schedule;
use crate::domain::time::{format_duration, format_working, local_date};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// "Fri 27 Nov 09:00 JST".
pub fn when(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%a %-d %b %H:%M %Z")
        .to_string()
}

/// "Fri 27 Nov 09:00 JST = 10:00 AEST" (their zone first; the date again only when it differs);
/// just one time when both zones read the same.
pub fn both(t: DateTime<Utc>, theirs: Tz, mine: Tz) -> String {
    let a = t.with_timezone(&theirs);
    let b = t.with_timezone(&mine);
    let same_date = a.date_naive() == b.date_naive();
    if same_date && a.format("%H:%M %Z").to_string() == b.format("%H:%M %Z").to_string() {
        when(t, mine)
    } else if same_date {
        format!("{} = {}", when(t, theirs), b.format("%H:%M %Z"))
    } else {
        format!("{} = {}", when(t, theirs), when(t, mine))
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// " (Kanda Trading KK)" or "".
fn for_whom(client: Option<&str>, who: Option<&str>) -> String {
    match (client, who) {
        (Some(c), _) => format!(" ({c})"),
        (None, Some(w)) => format!(" ({w})"),
        (None, None) => String::new(),
    }
}

/// Summary and body for a deadline at `level`.
pub fn deadline(
    d: &Deadline,
    row: &DeadlineRow,
    level: Level,
    me: &Me,
    now: DateTime<Utc>,
) -> (String, String) {
    let r = &row.risk;
    let mine = me.zone_at(d.due);
    let summary = format!(
        "{}: {}{}",
        level.label(),
        d.title,
        for_whom(row.client_name.as_deref(), None)
    );
    let due = both(d.due, d.zone, mine);
    let body = match level {
        Level::Overdue => {
            let ago = format_duration(now - d.due);
            let left = if r.remaining > Duration::zero() {
                format!("{} of work left", format_working(r.remaining))
            } else {
                "mark it done, or agree a new date".to_string()
            };
            format!("Was due {due} ({ago} ago) · {left}")
        }
        _ if d.estimate.is_none() => format!(
            "Due {due} · no estimate; {} of your working time left before it",
            format_working(r.capacity)
        ),
        Level::AtRisk => format!(
            "Due {due} · {} · {} short: plan extra hours or agree a new date now{}",
            r.need_and_have(),
            format_working(-r.slack),
            days_off_before(me, now, d.due)
        ),
        _ => {
            let start = match r.latest_start {
                Some(s) if s > now => format!("start by {}", when(s, me.zone_at(s))),
                _ => "start now".to_string(),
            };
            format!(
                "Due {due} · {} · {start}{}",
                r.need_and_have(),
                days_off_before(me, now, d.due)
            )
        }
    };
    (
        summary,
        with_zone_note(
            body,
            row.client_name.as_deref(),
            row.unknown_zone.as_deref(),
            d.zone,
        ),
    )
}

/// " · your days off before it: Thu 24 Dec, Fri 25 Dec" when holidays or closures of yours
/// fall on working days between now and the due: why the working time is short.
fn days_off_before(me: &Me, now: DateTime<Utc>, due: DateTime<Utc>) -> String {
    let s = Schedule::of_me(me);
    let off = s.days_off_between(
        local_date(me.zone_at(now), now),
        local_date(me.zone_at(due), due),
    );
    if off.is_empty() {
        return String::new();
    }
    let mut shown: Vec<String> = off.iter().take(4).map(|d| day(*d)).collect();
    if off.len() > 4 {
        shown.push(format!("+{} more", off.len() - 4));
    }
    format!(" · your days off before it: {}", shown.join(", "))
}

/// `body`, and on a line of its own, for a client whose zone tether does not know, that its
/// times are in your zone: "Brandt GmbH: zone "Europe/Stuttgart" is unknown (tether.toml:78):
/// …". The alert still comes, at the time worked out in that zone.
fn with_zone_note(
    body: String,
    client: Option<&str>,
    unknown: Option<&UnknownZone>,
    used: Tz,
) -> String {
    match unknown {
        Some(u) => format!(
            "{body}\n{}: {}",
            client.unwrap_or("The client"),
            u.describe(used)
        ),
        None => body,
    }
}

/// "Q3 market survey report (Kanda Trading KK), due Fri 27 Nov 10:00 AEST".
pub fn deadline_short(d: &Deadline, row: &DeadlineRow, me: &Me) -> String {
    format!(
        "{}{}, due {}",
        d.title,
        for_whom(row.client_name.as_deref(), None),
        when(d.due, me.zone_at(d.due))
    )
}

fn due_text(f: &Followup, row: &FollowupRow, me: &Me, now: DateTime<Utc>) -> Option<String> {
    let mine = me.zone_at(now);
    match f.due? {
        FollowupDue::At(t) => Some(both(t, row.client_zone.unwrap_or(mine), me.zone_at(t))),
        FollowupDue::Day(d) if d < local_date(mine, now) => Some(format!("{} (overdue)", day(d))),
        FollowupDue::Day(d) => Some(format!("{} (today)", day(d))),
    }
}

fn send_text(row: &FollowupRow, me: &Me) -> Option<String> {
    let name = row.client_name?;
    let theirs = row.client_zone?;
    match row.send? {
        SendWindow::OpenNow { closes_at } => Some(format!(
            "{name} is open now, until {}",
            closes_at.with_timezone(&theirs).format("%H:%M %Z")
        )),
        SendWindow::Next { opens_at } => Some(format!(
            "{name} is closed; they open {}",
            both(opens_at, theirs, me.zone_at(opens_at))
        )),
        SendWindow::Unknown => None,
    }
}

/// Summary and body for a follow-up that became due (or a chase date that arrived).
pub fn followup(
    f: &Followup,
    row: &FollowupRow,
    level: Level,
    me: &Me,
    now: DateTime<Utc>,
) -> (String, String) {
    // An invoice or a payment says so first: the money is what the pop-up is about.
    let (label, what) =
        match crate::domain::billing::alert_label(f, row.section == Section::Overdue) {
            Some(label) => (label, crate::domain::billing::subject(f)),
            None => (level.label(), f.what.as_str()),
        };
    let summary = format!(
        "{label}: {what}{}",
        for_whom(row.client_name, f.who.as_deref())
    );
    let mut parts: Vec<String> = Vec::new();
    let who = f.who.as_deref().or(row.client_name);
    if level == Level::Chase {
        if let Some(w) = who {
            parts.push(format!("You are waiting on {w}"));
        }
        if let Some(d) = due_text(f, row, me, now) {
            parts.push(format!("chase date {d}"));
        }
    } else {
        if let Some(w) = f.who.as_deref() {
            parts.push(format!("For {w}"));
        }
        if let Some(d) = due_text(f, row, me, now) {
            parts.push(format!("due {d}"));
        }
    }
    parts.extend(send_text(row, me));
    let body = capitalise(parts.join(" · "));
    let used = row.client_zone.unwrap_or(me.zone);
    (
        summary,
        with_zone_note(body, row.client_name, row.unknown_zone, used),
    )
}

/// "Send revised quote (Kanda Trading KK), due Tue 24 Nov".
pub fn followup_short(f: &Followup, row: &FollowupRow, me: &Me) -> String {
    let due = match f.due {
        Some(FollowupDue::At(t)) => format!(", due {}", when(t, me.zone_at(t))),
        Some(FollowupDue::Day(d)) => format!(", due {}", day(d)),
        None => String::new(),
    };
    format!(
        "{}{}{due}",
        f.what,
        for_whom(row.client_name, f.who.as_deref())
    )
}

fn capitalise(s: String) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// "Timer still running: Q3 market survey report" / "Started 09:12; counted up to 17:30, the end
/// of your working day, and no further (8h 18m) · stop it (t, or tether track stop) and say how
/// long".
pub fn timer_running(
    me: &Me,
    start: DateTime<Utc>,
    cap: DateTime<Utc>,
    title: &str,
    now: DateTime<Utc>,
) -> (String, String) {
    let zone = me.zone_at(now);
    let summary = format!(
        "{}: {}",
        Level::TimerRunning.label(),
        crate::domain::text::one_line(title)
    );
    let body = format!(
        "Started {}; counted up to {}, the end of your working day, and no further ({}) · stop it (t, or tether track stop) and say how long",
        crate::domain::timelog::since(me, start, now),
        cap.with_timezone(&zone).format("%H:%M"),
        format_working(crate::domain::timelog::counted(me, start, now))
    );
    (summary, body)
}

/// "Q3 market survey report, since 09:12 yesterday" (for a summary).
pub fn timer_running_short(
    me: &Me,
    start: DateTime<Utc>,
    title: &str,
    now: DateTime<Utc>,
) -> String {
    format!(
        "{}, since {}",
        crate::domain::text::one_line(title),
        crate::domain::timelog::since(me, start, now)
    )
}
