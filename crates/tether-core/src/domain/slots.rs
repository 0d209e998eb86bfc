//! When to reach them: the best meeting slots with one or more clients (`tether slots`).
//!
//! The rules (docs/decisions.md, "Meeting slots"):
//! - A slot lies wholly inside every named client's business hours (their days, holidays and
//!   daylight-saving changes, as their [`Schedule`] says) and inside the window asked about. A
//!   freelancer meets clients in the clients' hours; it is your own day that stretches.
//! - Slots start on the quarter hour (every zone's offset is a whole number of quarter hours,
//!   so that is a quarter hour on every clock).
//! - Best first: on a day you work before one you do not; then the less your day has to stretch
//!   to hold it (zero: inside your hours; else how long before your start plus after your end,
//!   on your date of the slot); then the further from the edge of any client's hours; then
//!   the earlier. Slots offered never overlap one another.

use super::model::{Client, Me};
use super::schedule::{Schedule, Shift, clamp};
use super::text::one_line;
use super::time::{format_duration, local_date};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// Where slots may start: every quarter hour.
pub const STEP: Duration = Duration::minutes(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Your date of the slot is not one of your working days (a weekend, a holiday).
    pub off_day: bool,
    /// How far your day must stretch to hold the slot: zero inside your hours.
    pub stretch: Duration,
    /// The least time between the slot and the start or end of any client's hours.
    pub margin: Duration,
}

/// Where every schedule is open within `[from, to)`: the intersection of their intervals.
pub fn common(schedules: &[Schedule<'_>], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Shift> {
    let mut it = schedules.iter();
    let Some(first) = it.next() else {
        return Vec::new();
    };
    let mut acc: Vec<Shift> = first.intervals(from, to).collect();
    for s in it {
        let other: Vec<Shift> = s.intervals(from, to).collect();
        acc = intersect(&acc, &other);
    }
    acc
}

/// Two sorted lists of disjoint intervals → where both hold.
fn intersect(a: &[Shift], b: &[Shift]) -> Vec<Shift> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let s = Shift {
            start: a[i].start.max(b[j].start),
            end: a[i].end.min(b[j].end),
        };
        if !s.is_empty() {
            out.push(s);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The first quarter hour at or after `t`.
fn next_step(t: DateTime<Utc>) -> DateTime<Utc> {
    let step = STEP.num_seconds();
    let s = t.timestamp();
    let up = s.div_euclid(step) * step + if s.rem_euclid(step) == 0 { 0 } else { step };
    DateTime::from_timestamp(up, 0).unwrap_or(t)
}

/// The `count` best slots of `length` within `[from, to)` with all of `clients` (see the module
/// rules), best first. None of them when the clients' hours never meet in the window.
pub fn best_slots(
    me: &Me,
    clients: &[&Client],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    length: Duration,
    count: usize,
) -> Vec<Slot> {
    let (from, to) = (clamp(from), clamp(to));
    if clients.is_empty() || length <= Duration::zero() || to <= from {
        return Vec::new();
    }
    let schedules: Vec<Schedule<'_>> = clients.iter().map(|c| Schedule::of_client(c)).collect();
    // Each client's own hours a little beyond the window, for the margins of slots at its edges.
    let reach = Duration::days(2);
    let own: Vec<Vec<Shift>> = schedules
        .iter()
        .map(|s| s.intervals(from - reach, to + reach).collect())
        .collect();
    let mine = Schedule::of_me(me);
    let mut candidates = Vec::new();
    for shared in common(&schedules, from, to) {
        let mut start = next_step(shared.start);
        while start + length <= shared.end {
            let end = start + length;
            let date = local_date(mine.zone_at(start), start);
            let stretch = mine.hours_on(date).map_or(length, |h| {
                (h.start - start).max(Duration::zero()) + (end - h.end).max(Duration::zero())
            });
            let margin = own
                .iter()
                .filter_map(|shifts| shifts.iter().find(|s| s.start <= start && end <= s.end))
                .map(|s| (start - s.start).min(s.end - end))
                .min()
                .unwrap_or_else(Duration::zero);
            candidates.push(Slot {
                start,
                end,
                off_day: !mine.works_on(date),
                stretch,
                margin,
            });
            start += STEP;
        }
    }
    pick(candidates, count)
}

/// A slot in words, on your clock and then each client's: `Wed 25 Nov 17:00–18:00 AEST (30m
/// outside your hours) · kanda 16:00–17:00 JST · brandt 08:00–09:00 CET` (`tether slots` and
/// the clocks pane's list say the same).
pub fn describe(s: &Slot, mine: Tz, clients: &[&Client]) -> String {
    let hm = |t: DateTime<Utc>, z: Tz| t.with_timezone(&z).format("%H:%M").to_string();
    let local = s.start.with_timezone(&mine);
    let mut line = format!(
        "{} {}–{} {}",
        local.format("%a %d %b"),
        hm(s.start, mine),
        hm(s.end, mine),
        local.format("%Z")
    );
    line.push_str(&if s.off_day {
        " (not your working day)".to_string()
    } else if s.stretch > Duration::zero() {
        format!(" ({} outside your hours)", format_duration(s.stretch))
    } else {
        " (inside your hours)".to_string()
    });
    for c in clients {
        line.push_str(&format!(
            " · {} {}–{} {}",
            one_line(&c.id),
            hm(s.start, c.zone),
            hm(s.end, c.zone),
            s.start.with_timezone(&c.zone).format("%Z")
        ));
    }
    line
}

/// The best `count` of `candidates` that do not overlap one another, best first.
pub fn pick(mut candidates: Vec<Slot>, count: usize) -> Vec<Slot> {
    candidates.sort_by_key(|s| (s.off_day, s.stretch, std::cmp::Reverse(s.margin), s.start));
    let mut out: Vec<Slot> = Vec::new();
    for c in candidates {
        if out.len() == count {
            break;
        }
        if out.iter().all(|s| c.end <= s.start || s.end <= c.start) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::{me, utc};
    use crate::domain::time::ClockRange;
    use chrono_tz::{Asia, Australia, Europe};

    fn client(id: &str, zone: Tz, hours: &str) -> Client {
        Client {
            city: String::new(),
            hours: ClockRange::parse(hours).unwrap(),
            ..crate::domain::testkit::client(id, zone)
        }
    }

    /// The seeds' translator: Brisbane, a Tokyo client and a Stuttgart one. Their hours meet
    /// only from 08:00 to 10:00 in Stuttgart (16:00 to 18:00 in Tokyo), after your day ends.
    #[test]
    fn brisbane_tokyo_stuttgart_meet_after_your_day() {
        let aiko = me(Australia::Brisbane, "08:30-17:30");
        let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        let brandt = client("brandt", Europe::Berlin, "08:00-16:30");
        // Wed 25 Nov 2026, 09:30 in Brisbane.
        let now = utc(2026, 11, 24, 23, 30);
        let slots = best_slots(
            &aiko,
            &[&kanda, &brandt],
            now,
            now + Duration::days(5),
            Duration::hours(1),
            5,
        );
        let shown: Vec<String> = slots
            .iter()
            .map(|s| {
                s.start
                    .with_timezone(&Australia::Brisbane)
                    .format("%a %H:%M")
                    .to_string()
            })
            .collect();
        // 17:00 in Brisbane is 08:00 in Stuttgart and 16:00 in Tokyo: 30 minutes past your day,
        // on each of their working days in the window; then an hour later, a stretch of 1h30.
        assert_eq!(
            shown,
            [
                "Wed 17:00",
                "Thu 17:00",
                "Fri 17:00",
                "Wed 18:00",
                "Thu 18:00"
            ]
        );
        assert_eq!(slots[0].stretch, Duration::minutes(30));
        assert_eq!(slots[3].stretch, Duration::minutes(90));
    }
}
