//! The timer (issue 17): timelog.jsonl's entries added up per deadline, the timer that runs now,
//! and the flag on one left running past the end of your working day.
//!
//! The rules (docs/decisions.md, "The timer (issue 17)"):
//! - A deadline's spent time is its hand `spent` plus its logged time ([`Deadline::spent_at`]),
//!   the one sum risk, latest start, alerts, the board, the client page and `status` use.
//! - A finished entry counts `end - start` (instants, so daylight-saving changes and trips
//!   count real time); a hand entry counts its `spent`. An entry is counted once: a repeated
//!   id is dropped when loading (the first line wins), and of several stops of one timer the
//!   earliest counts.
//! - A running timer counts from its start up to now, but never past its cap: the end of the
//!   working day it started in (your hours in the zone you were in then), or the midnight after
//!   it when it started after your hours. Past the cap it is flagged ([`flag`]) and stops
//!   counting until you stop it and say how long.

use super::model::{Deadline, Logged, Me, Model, TimeEntry, TimeOn, TimeSpan};
use super::schedule::{Schedule, day_bounds, shift_date};
use super::time::{format_working, local_date};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// The instant a timer started at `start` stops counting on its own: the end of your working
/// hours of the day it started in (a range wrapping midnight belongs to the day it starts on);
/// started outside your hours, the end of that day's hours still ahead, but never past the
/// midnight after `start` (where you were). So no timer counts over a night unasked.
pub fn cap(me: &Me, start: DateTime<Utc>) -> DateTime<Utc> {
    let zone = me.zone_at(start);
    let date = local_date(zone, start);
    let mine = Schedule::of_me(me);
    for d in [shift_date(date, -1), date] {
        if let Some(h) = mine.hours_on(d)
            && h.start <= start
            && start < h.end
        {
            return h.end;
        }
    }
    // Outside your hours: the end of that day's hours still ahead, but never past midnight.
    let midnight = day_bounds(zone, date).1;
    match mine.hours_on(date) {
        Some(h) if start < h.start => h.end.min(midnight),
        _ => midnight,
    }
}

/// The time logged on each deadline id, at the entries' state (running timers with their cap).
pub fn by_deadline<'a>(me: &Me, entries: &'a [TimeEntry]) -> HashMap<&'a str, Logged> {
    let mut out: HashMap<&str, Logged> = HashMap::new();
    for e in entries {
        let TimeOn::Deadline(id) = &e.on else {
            continue;
        };
        let l = out.entry(id.as_str()).or_default();
        add(l, me, e);
    }
    out
}

/// The time logged on a client: its own entries and those of its deadlines.
pub fn on_client(model: &Model, client: &str) -> Logged {
    let me = &model.config.me;
    let mut l = Logged::default();
    for e in &model.timelog {
        if is_on_client(model, e, client) {
            add(&mut l, me, e);
        }
    }
    l
}

/// Whether entry `e` counts for `client`: a client entry of it, or an entry on a deadline that
/// names it or whose deadline is its (the one rule [`on_client`] and the weekly review use).
pub fn is_on_client(model: &Model, e: &TimeEntry, client: &str) -> bool {
    let theirs = match &e.on {
        TimeOn::Deadline(id) => model
            .deadlines
            .iter()
            .filter(|d| d.id.as_deref() == Some(id.as_str()))
            .find_map(|d| d.client.clone()),
        TimeOn::Client(_) => None,
    };
    clients_of(e, |_| theirs.as_deref()).contains(&Some(client))
}

/// The clients entry `e` counts for: a client entry's client; for an entry on a deadline the
/// client written on it and the deadline's (`client_of_deadline` looks it up by id), the same
/// one once. [`is_on_client`] asks it entry by entry; the weekly review, with an index of the
/// deadlines, for every entry at once.
pub fn clients_of<'a>(
    e: &'a TimeEntry,
    client_of_deadline: impl Fn(&str) -> Option<&'a str>,
) -> [Option<&'a str>; 2] {
    match &e.on {
        TimeOn::Client(c) => [Some(c.as_ref()), None],
        TimeOn::Deadline(id) => {
            let written = e.client.as_deref();
            let theirs = client_of_deadline(id).filter(|c| Some(*c) != written);
            [written, theirs]
        }
    }
}

/// The part of entry `e` that falls in `[from, to)` at `now`, by the rules of [`Logged`]: a
/// finished entry its overlap with the window (so an entry across midnight is split between the
/// days, and one across a week's edge between the weeks); a running one from its start up to
/// `now` or its [`cap`], whichever comes first, cut to the window; a hand entry its whole
/// `spent` when its day (`on`, your calendar, where you were that day) starts in the window,
/// and nothing without a day. The weekly review's hours come from here.
pub fn within(
    me: &Me,
    e: &TimeEntry,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Duration {
    let overlap =
        |a: DateTime<Utc>, b: DateTime<Utc>| (b.min(to) - a.max(from)).max(Duration::zero());
    match e.span {
        TimeSpan::Timed {
            start,
            end: Some(end),
        } => overlap(start, end),
        TimeSpan::Timed { start, end: None } => overlap(start, now.min(cap(me, start))),
        TimeSpan::Hand {
            spent,
            on: Some(day),
        } => {
            let begins = day_bounds(me.zone_on(day), day).0;
            if from <= begins && begins < to {
                spent
            } else {
                Duration::zero()
            }
        }
        TimeSpan::Hand { on: None, .. } => Duration::zero(),
    }
}

fn add(l: &mut Logged, me: &Me, e: &TimeEntry) {
    match e.span {
        TimeSpan::Timed {
            start,
            end: Some(end),
        } => l.done += (end - start).max(Duration::zero()),
        TimeSpan::Timed { start, end: None } => {
            // Two timers on one deadline (two machines): the earlier start counts, as one.
            let c = cap(me, start);
            l.running = Some(match l.running {
                Some((s, k)) if s <= start => (s, k),
                _ => (start, c),
            });
        }
        TimeSpan::Hand { spent, .. } => l.done += spent,
    }
}

/// Put each deadline's logged time in it ([`Deadline::logged`]). Called after every load and
/// reload that changed deadlines.jsonl or timelog.jsonl.
pub fn attach(model: &mut Model) {
    let logged = by_deadline(&model.config.me, &model.timelog);
    model.deadlines.update_all(|d| attach_one(d, &logged));
}

/// [`attach`] for one deadline (`logged`: [`by_deadline`] of the time log): a deadline read
/// again from its file by a command that does not hold them (`store::agenda_index`).
pub fn attach_one(d: &mut Deadline, logged: &HashMap<&str, Logged>) {
    d.logged =
        d.id.as_deref()
            .and_then(|id| logged.get(id).copied())
            .unwrap_or_default();
}

/// The ids of the deadlines the entries are on: the deadlines a command that holds only a few
/// must keep (a running timer's title, spent time, a retainer's hours). Owned, so a filter
/// built from it can outlive the entries it was read from.
pub fn deadline_ids(entries: &[TimeEntry]) -> std::collections::HashSet<String> {
    entries
        .iter()
        .filter_map(|e| match &e.on {
            TimeOn::Deadline(id) => Some(id.clone()),
            TimeOn::Client(_) => None,
        })
        .collect()
}

/// The timer running now: the latest started entry without an end (None when none runs).
pub fn running(entries: &[TimeEntry]) -> Option<&TimeEntry> {
    entries
        .iter()
        .filter(|e| e.running_since().is_some())
        .max_by_key(|e| (e.running_since(), e.line))
}

/// What a running timer is on, for people: the deadline's title, else the client's id.
pub fn target_title<'a>(model: &'a Model, e: &'a TimeEntry) -> std::borrow::Cow<'a, str> {
    match &e.on {
        TimeOn::Deadline(id) => model
            .deadlines
            .iter()
            .find(|d| d.id.as_deref() == Some(id.as_str()))
            .map_or(id.as_str().into(), |d| match d {
                super::held::Rec::Borrowed(d) => d.title.as_str().into(),
                super::held::Rec::Owned(d) => d.title.to_string().into(),
            }),
        TimeOn::Client(c) => model
            .config
            .client(c)
            .map_or(c.as_ref(), |c| c.name.as_str())
            .into(),
    }
}

/// How long a running timer counts at `now` (up to its cap).
pub fn counted(me: &Me, start: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now.min(cap(me, start)) - start).max(Duration::zero())
}

/// The flag on a timer left running past its cap: `timer running since 18:02 yesterday — stop
/// it or say how long`. None while it still counts.
pub fn flag(me: &Me, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    if now <= cap(me, start) {
        return None;
    }
    Some(format!(
        "timer running since {} — stop it or say how long (counted {} so far)",
        since(me, start, now),
        format_working(counted(me, start, now))
    ))
}

/// `18:02`, `18:02 yesterday`, `18:02 Fri 04 Dec`: when a timer started, in your zone now.
pub fn since(me: &Me, start: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let zone = me.zone_at(now);
    let local = start.with_timezone(&zone);
    let today = local_date(zone, now);
    let day = local.date_naive();
    let clock = local.format("%H:%M");
    if day == today {
        clock.to_string()
    } else if shift_date(day, 1) == today {
        format!("{clock} yesterday")
    } else {
        format!("{clock} {}", local.format("%a %d %b"))
    }
}

/// `⏱ 1h 12m on Q3 market survey report` (the header and `status`); a flagged timer adds
/// `(since 18:02 yesterday: stop it or say how long)`. The title is one line (`one_line`).
pub fn describe_running(model: &Model, e: &TimeEntry, now: DateTime<Utc>) -> Option<String> {
    let start = e.running_since()?;
    Some(describe(
        &model.config.me,
        start,
        &target_title(model, e),
        now,
    ))
}

/// [`describe_running`] of a timer started at `start` on `title`.
pub fn describe(me: &Me, start: DateTime<Utc>, title: &str, now: DateTime<Utc>) -> String {
    let title = super::text::one_line(title);
    let mut s = format!("⏱ {} on {title}", format_working(counted(me, start, now)));
    if flag(me, start, now).is_some() {
        s.push_str(&format!(
            " (since {}: stop it or say how long)",
            since(me, start, now)
        ));
    }
    s
}

/// The deadline a timer entry is on, if it is one and it is loaded.
pub fn deadline_of<'a>(model: &'a Model, e: &TimeEntry) -> Option<super::held::Rec<'a, Deadline>> {
    match &e.on {
        TimeOn::Deadline(id) => model
            .deadlines
            .iter()
            .find(|d| d.id.as_deref() == Some(id.as_str())),
        TimeOn::Client(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Travel;
    use crate::domain::testkit::{date, me, utc};

    fn timed(line: usize, on: &str, start: DateTime<Utc>, end: Option<DateTime<Utc>>) -> TimeEntry {
        TimeEntry {
            line,
            id: Some(format!("t-{line}")),
            on: TimeOn::Deadline(on.to_string()),
            client: None,
            span: TimeSpan::Timed { start, end },
            note: None,
        }
    }

    #[test]
    fn a_running_timer_counts_up_to_the_end_of_the_working_day_then_is_flagged() {
        // Brisbane, 09:00-17:00 (UTC+10): 16:00 local is 06:00 UTC.
        let m = me(chrono_tz::Australia::Brisbane, "09:00-17:00");
        let start = utc(2026, 12, 7, 6, 0);
        assert_eq!(cap(&m, start), utc(2026, 12, 7, 7, 0));
        assert_eq!(
            counted(&m, start, utc(2026, 12, 7, 6, 30)),
            Duration::minutes(30)
        );
        assert_eq!(flag(&m, start, utc(2026, 12, 7, 6, 30)), None);
        // Next morning at 08:00: one hour counted, and flagged.
        let next = utc(2026, 12, 7, 22, 0);
        assert_eq!(counted(&m, start, next), Duration::hours(1));
        assert_eq!(
            flag(&m, start, next).unwrap(),
            "timer running since 16:00 yesterday — stop it or say how long (counted 1h so far)"
        );
    }

    #[test]
    fn a_timer_started_after_hours_counts_to_midnight() {
        let m = me(chrono_tz::Australia::Brisbane, "09:00-17:00");
        // 22:00 local.
        let start = utc(2026, 12, 7, 12, 0);
        assert_eq!(cap(&m, start), utc(2026, 12, 7, 14, 0));
        // 07:00 local, before hours: counts to 17:00.
        assert_eq!(cap(&m, utc(2026, 12, 7, 21, 0)), utc(2026, 12, 8, 7, 0));
    }

    #[test]
    fn a_wrapping_range_belongs_to_the_day_it_starts_on() {
        let m = me(chrono_tz::UTC, "22:00-06:00");
        assert_eq!(cap(&m, utc(2026, 12, 8, 2, 0)), utc(2026, 12, 8, 6, 0));
        assert_eq!(cap(&m, utc(2026, 12, 7, 23, 0)), utc(2026, 12, 8, 6, 0));
    }

    #[test]
    fn on_a_trip_the_day_ends_where_you_are() {
        let mut m = me(chrono_tz::Australia::Brisbane, "09:00-17:00");
        m.travel.push(Travel {
            from: date(2026, 12, 7),
            to: date(2026, 12, 9),
            zone: chrono_tz::Europe::Berlin,
        });
        // 10:00 in Berlin (UTC+1) on the 7th: the day ends at 17:00 Berlin.
        assert_eq!(cap(&m, utc(2026, 12, 7, 9, 0)), utc(2026, 12, 7, 16, 0));
    }

    #[test]
    fn finished_hand_and_running_entries_add_up_once_each() {
        let m = me(chrono_tz::UTC, "09:00-17:00");
        let mut hand = timed(3, "d-1", utc(2026, 12, 7, 9, 0), None);
        hand.span = TimeSpan::Hand {
            spent: Duration::minutes(90),
            on: None,
        };
        let entries = vec![
            timed(
                1,
                "d-1",
                utc(2026, 12, 7, 9, 0),
                Some(utc(2026, 12, 7, 10, 0)),
            ),
            timed(
                2,
                "d-2",
                utc(2026, 12, 7, 9, 0),
                Some(utc(2026, 12, 7, 11, 0)),
            ),
            hand,
            timed(4, "d-1", utc(2026, 12, 7, 12, 0), None),
        ];
        let by = by_deadline(&m, &entries);
        let l = by["d-1"];
        assert_eq!(l.done, Duration::minutes(150));
        assert_eq!(l.at(utc(2026, 12, 7, 12, 30)), Duration::minutes(180));
        assert_eq!(l.at(utc(2026, 12, 8, 12, 30)), Duration::minutes(150 + 300));
        assert_eq!(by["d-2"].done, Duration::hours(2));
        assert_eq!(running(&entries).map(|e| e.line), Some(4));
    }

    #[test]
    fn a_client_has_its_own_entries_and_those_of_its_deadlines() {
        use crate::store::load::load_dir;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(
            dir.join("tether.toml"),
            "[me]\nzone = \"UTC\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n[[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("deadlines.jsonl"),
            "{\"id\":\"d-1\",\"client\":\"kanda\",\"title\":\"A\",\"due\":\"2026-12-11\"}\n{\"id\":\"d-2\",\"client\":\"brandt\",\"title\":\"B\",\"due\":\"2026-12-11\"}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("timelog.jsonl"),
            concat!(
                "{\"id\":\"t-1\",\"client\":\"kanda\",\"spent\":\"1h\"}\n",
                "{\"id\":\"t-2\",\"deadline\":\"d-1\",\"spent\":\"30m\"}\n",
                "{\"id\":\"t-3\",\"deadline\":\"d-2\",\"spent\":\"2h\"}\n",
                "{\"id\":\"t-4\",\"deadline\":\"d-1\",\"start\":\"2026-12-07T10:00Z\"}\n",
            ),
        )
        .unwrap();
        let l = load_dir(dir);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let k = on_client(&l.model, "kanda");
        assert_eq!(k.at(utc(2026, 12, 7, 10, 45)), Duration::minutes(135));
        assert!(k.running.is_some());
        assert_eq!(on_client(&l.model, "brandt").done, Duration::hours(2));
    }
}
