//! The clock pane: one row per zone, each client's business status, the overlap of your working
//! hours with theirs, daylight-saving notices, send windows and the 24h strip.
//!
//! Business hours are a client's `hours` on their `days`, in their zone, minus their `holidays`
//! (dates in their zone). A range that wraps midnight (`22:00-06:00`) is one shift belonging to
//! the date it starts on, so a holiday removes the shift that starts that day and nothing else.
//! Your working hours follow the same rule with `work_hours`, `work_days`, your `holidays`, and
//! the zone that governs each date (travel moves it).
//!
//! Everything here is pure: callers pass `now`; nothing reads the system clock. Every search is
//! bounded, so absurd configurations (no open day for years) cost at most a few hundred steps.

use super::model::{Client, Config, Me};
use super::time::{ClockRange, WeekdaySet, format_duration, format_gap, local_date, offset_secs};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// How far ahead to look for the next opening: a client closed for longer than this is treated
/// as having no business hours at all.
pub const SEARCH_DAYS: i64 = 400;
/// How far ahead a daylight-saving change is worth announcing.
pub const NOTICE_DAYS: i64 = 14;
/// The strip never has more cells than this; a terminal is far narrower, and it keeps an absurd
/// request from allocating without bound.
pub const MAX_STRIP_CELLS: usize = 10_000;

/// About ±95,000 years around 1970. Outside it, adding the search horizon or a zone offset could
/// overflow chrono's range (and panic inside chrono); no real clock is there.
const SANE_SECS: i64 = 3_000_000_000_000;

fn sane(t: DateTime<Utc>) -> bool {
    t.timestamp().abs() <= SANE_SECS
}

/// Pull an absurd `now` into the range where date and zone arithmetic cannot overflow; real
/// instants pass through unchanged. Public functions clamp first, so no input can panic.
fn clamp(t: DateTime<Utc>) -> DateTime<Utc> {
    let s = t.timestamp().clamp(-SANE_SECS, SANE_SECS);
    if s == t.timestamp() {
        t
    } else {
        DateTime::from_timestamp(s, 0).unwrap_or(t)
    }
}

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
    /// Today (their date) is one of their holidays and no shift is running. `opens_at` is their
    /// next opening, if there is one within the search horizon.
    Holiday { opens_at: Option<DateTime<Utc>> },
    /// No business days configured, or no opening within the search horizon.
    NoHours,
}

impl BusinessStatus {
    /// A short phrase for people, such as `open · closes in 3h 20m`. Times until an event round
    /// up to the minute, so a countdown never shows "0m" while the event is still ahead.
    /// A holiday says only `holiday` here: naming the reopening needs a zone, see
    /// [`BusinessStatus::describe_in`].
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
            BusinessStatus::Holiday { .. } => "holiday".to_string(),
            BusinessStatus::NoHours => "no business hours".to_string(),
        }
    }

    /// Like [`BusinessStatus::describe`], but a holiday names when they reopen on `zone`'s clock
    /// (normally the client's zone): `holiday · opens Mon 09:00`.
    pub fn describe_in(&self, zone: Tz) -> String {
        match self {
            BusinessStatus::Holiday { opens_at: Some(at) } => {
                format!(
                    "holiday · opens {}",
                    at.with_timezone(&zone).format("%a %H:%M")
                )
            }
            other => other.describe(),
        }
    }
}

fn ceil_minute(d: Duration) -> Duration {
    let secs = d.num_seconds() + i64::from(d.subsec_nanos() > 0);
    Duration::try_minutes(secs.div_euclid(60) + i64::from(secs.rem_euclid(60) > 0)).unwrap_or(d)
}

/// A daylight-saving change that will alter the gap between you and a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DstNotice {
    /// The instant of the change.
    pub at: DateTime<Utc>,
    /// The zone whose clocks change (theirs when both change at that instant).
    pub whose: Tz,
    /// Their offset minus yours, in seconds, before and after.
    pub gap_before: i32,
    pub gap_after: i32,
}

impl DstNotice {
    /// `gap becomes +8h on Sun 29 Mar (London clocks change)`; the date is on the changing
    /// zone's own calendar, which is the date people there will talk about.
    pub fn describe(&self) -> String {
        format!(
            "gap becomes {} on {} ({} clocks change)",
            format_gap(self.gap_after),
            self.at.with_timezone(&self.whose).format("%a %-d %b"),
            zone_city(self.whose)
        )
    }
}

/// A stretch of time when both you and they work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
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

/// One cell of the dashboard's 24h bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StripCell {
    /// You work at the cell's midpoint.
    pub mine: bool,
    /// The client is open at the cell's midpoint.
    pub theirs: bool,
    /// The cell contains `now`.
    pub now: bool,
    /// The hour (0-23) of the cell's midpoint on the row zone's clock, for tick labels.
    pub their_hour: u32,
}

/// One clock on the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRow {
    pub label: String,
    pub zone: Tz,
    pub is_me: bool,
    /// Ids of the clients in this zone, in config order.
    pub client_ids: Vec<String>,
    pub local: DateTime<Tz>,
    /// Their local date minus yours, in days (-1, 0, +1; ±2 only between the extreme zones).
    pub day_shift: i64,
    /// Their UTC offset minus yours, in seconds.
    pub gap_secs: i32,
    /// The first client's business status, for rows with clients.
    pub status: Option<BusinessStatus>,
    pub dst_notice: Option<DstNotice>,
    /// The first client's overlap with your working hours today.
    pub overlap: Vec<Overlap>,
}

/// A zone name as a place: `Europe/London` → `London`, `America/New_York` → `New York`.
pub fn zone_city(tz: Tz) -> String {
    let name = tz.name();
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// A weekly timetable in a zone: a client's business hours or your working hours.
struct Schedule<'a> {
    zone: Tz,
    /// Set for your own timetable, whose zone follows your travel.
    traveller: Option<&'a Me>,
    hours: ClockRange,
    days: WeekdaySet,
    holidays: &'a BTreeSet<NaiveDate>,
}

impl<'a> Schedule<'a> {
    fn of_client(c: &'a Client) -> Self {
        Schedule {
            zone: c.zone,
            traveller: None,
            hours: c.hours,
            days: c.days,
            holidays: &c.holidays,
        }
    }

    fn of_me(me: &'a Me) -> Self {
        Schedule {
            zone: me.zone,
            traveller: Some(me),
            hours: me.work_hours,
            days: me.work_days,
            holidays: &me.holidays,
        }
    }

    fn zone_on(&self, date: NaiveDate) -> Tz {
        self.traveller.map_or(self.zone, |m| m.zone_on(date))
    }

    fn zone_at(&self, t: DateTime<Utc>) -> Tz {
        self.traveller.map_or(self.zone, |m| m.zone_at(t))
    }

    /// The shift starting on local `date`, if that date is a working day. None also when a
    /// daylight-saving change swallows the whole range.
    fn shift_on(&self, date: NaiveDate) -> Option<Span> {
        // Dates near chrono's limits would overflow inside `ClockRange::on`.
        if date.year().abs() > 200_000 {
            return None;
        }
        if !self.days.contains(date.weekday()) || self.holidays.contains(&date) {
            return None;
        }
        let (start, end) = self.hours.instants_on(self.zone_on(date), date);
        (start < end).then_some(Span { start, end })
    }

    /// The shift running at `t`. A shift lasts at most 24 wall-clock hours, so only shifts that
    /// started on t's local date or the day before can still be running.
    fn shift_at(&self, t: DateTime<Utc>) -> Option<Span> {
        if !sane(t) {
            return None;
        }
        let d = local_date(self.zone_at(t), t);
        [d.pred_opt(), Some(d)]
            .into_iter()
            .flatten()
            .filter_map(|date| self.shift_on(date))
            .filter(|s| s.start <= t && t < s.end)
            .max_by_key(|s| s.end)
    }

    /// The end of the run of back-to-back shifts that `span` belongs to.
    fn run_end(&self, span: Span) -> DateTime<Utc> {
        let mut end = span.end;
        for _ in 0..SEARCH_DAYS {
            match self.shift_at(end) {
                Some(next) if next.end > end => end = next.end,
                _ => break,
            }
        }
        end
    }

    /// The first shift start strictly after `t`, within the search horizon.
    fn next_start_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.days.is_empty() || !sane(t) {
            return None;
        }
        let mut date = local_date(self.zone_at(t), t).pred_opt()?;
        for _ in 0..=SEARCH_DAYS + 1 {
            if let Some(s) = self.shift_on(date)
                && s.start > t
            {
                return Some(s.start);
            }
            date = date.succ_opt()?;
        }
        None
    }
}

/// A client's business status at `now`.
///
/// A shift still running from a working day wins over a holiday that starts at midnight (a
/// 22:00-06:00 shift on the eve of a holiday is still staffed), because the person is reachable.
pub fn business_status(client: &Client, now: DateTime<Utc>) -> BusinessStatus {
    let now = clamp(now);
    if client.days.is_empty() {
        return BusinessStatus::NoHours;
    }
    let sched = Schedule::of_client(client);
    if let Some(s) = sched.shift_at(now) {
        let closes_at = sched.run_end(s);
        return BusinessStatus::Open {
            closes_in: closes_at - now,
            closes_at,
        };
    }
    let opens_at = sched.next_start_after(now);
    if client.holidays.contains(&local_date(client.zone, now)) {
        return BusinessStatus::Holiday { opens_at };
    }
    match opens_at {
        Some(opens_at) => BusinessStatus::Closed {
            opens_in: opens_at - now,
            opens_at,
        },
        None => BusinessStatus::NoHours,
    }
}

/// "They are open now" (until when), or when their next business hours start.
pub fn send_window(client: &Client, now: DateTime<Utc>) -> SendWindow {
    let now = clamp(now);
    let sched = Schedule::of_client(client);
    if let Some(s) = sched.shift_at(now) {
        return SendWindow::OpenNow {
            closes_at: sched.run_end(s),
        };
    }
    match sched.next_start_after(now) {
        Some(opens_at) => SendWindow::Next { opens_at },
        None => SendWindow::Unknown,
    }
}

/// Where your working hours today overlap the client's business hours, in time order.
///
/// "Today" is your local date at `now` in your zone (travel included), and only the shift that
/// starts today counts: a night shift that began yesterday belongs to yesterday. Their shifts are
/// taken from every local date of theirs that your shift touches, plus the day before (their own
/// wrapping shift may reach into it). Touching pieces are merged.
pub fn overlap_today(me: &Me, client: &Client, now: DateTime<Utc>) -> Vec<Overlap> {
    let now = clamp(now);
    let mine_sched = Schedule::of_me(me);
    let today = local_date(me.zone_at(now), now);
    let Some(mine) = mine_sched.shift_on(today) else {
        return Vec::new();
    };
    let theirs = Schedule::of_client(client);
    let last = local_date(client.zone, mine.end);
    let Some(mut date) = local_date(client.zone, mine.start).pred_opt() else {
        return Vec::new();
    };
    let mut out: Vec<Overlap> = Vec::new();
    // Your shift spans at most 25 hours, which touches at most three of their dates (four with
    // the day before); the bound only guards the loop.
    for _ in 0..6 {
        if date > last {
            break;
        }
        if let Some(s) = theirs.shift_on(date) {
            let start = s.start.max(mine.start);
            let end = s.end.min(mine.end);
            if start < end {
                match out.last_mut() {
                    Some(prev) if start <= prev.end => prev.end = prev.end.max(end),
                    _ => out.push(Overlap { start, end }),
                }
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    out
}

/// The first daylight-saving (or other offset) change in either zone within the next 14 days
/// that changes the gap between `mine` and `theirs`.
///
/// Changes that cancel out within a day are not announced: when both zones move by the same
/// amount at the same instant, or a few hours apart (New York and Chicago each at 02:00 local),
/// the gap is the same before and after, and a notice about a one-hour blip at night would only
/// confuse. `gap_after` is the gap a day after the change, once any such companion change has
/// happened too.
pub fn dst_notice(mine: Tz, theirs: Tz, now: DateTime<Utc>) -> Option<DstNotice> {
    let now = clamp(now);
    if mine == theirs {
        return None;
    }
    let end = now + Duration::days(NOTICE_DAYS);
    let mut changes: Vec<(DateTime<Utc>, Tz)> = transitions(theirs, now, end)
        .into_iter()
        .map(|t| (t, theirs))
        .chain(transitions(mine, now, end).into_iter().map(|t| (t, mine)))
        .collect();
    // Stable: at equal instants, theirs (listed first) is the one named.
    changes.sort_by_key(|(t, _)| *t);
    let gap = |t: DateTime<Utc>| offset_secs(theirs, t) - offset_secs(mine, t);
    let mut settled_until = now;
    for (at, whose) in changes {
        if at <= settled_until {
            continue;
        }
        let before = gap(at - Duration::seconds(1));
        if before == gap(at) {
            continue;
        }
        let later = at + Duration::days(1);
        let after = gap(later);
        if after == before {
            settled_until = later;
            continue;
        }
        return Some(DstNotice {
            at,
            whose,
            gap_before: before,
            gap_after: after,
        });
    }
    None
}

/// Offset changes of `tz` in (from, to], to the second.
///
/// chrono-tz does not expose its transition table, so this samples the offset at daily steps and
/// bisects only the days whose ends differ: about 15 lookups for a quiet fortnight, plus 17 per
/// change. A zone that changes and changes back within one day is missed; no zone does that.
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let at = |s: i64| DateTime::<Utc>::from_timestamp(s, 0);
    let off = |s: i64| at(s).map(|t| offset_secs(tz, t));
    // Whole seconds: tz transitions fall on whole seconds, so bisection lands on them exactly.
    let (start, stop) = (from.timestamp(), to.timestamp());
    let mut out = Vec::new();
    let mut a = start;
    let mut off_a = off(a);
    // Callers pass a NOTICE_DAYS window; the bound only guards the loop.
    for _ in 0..=NOTICE_DAYS + 1 {
        if a >= stop {
            break;
        }
        let b = (a + 86_400).min(stop);
        let off_b = off(b);
        if off_b != off_a {
            // Invariant: off(lo) == off_a, off(hi) != off_a.
            let (mut lo, mut hi) = (a, b);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if off(mid) == off_a {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if let Some(t) = at(hi) {
                out.push(t);
            }
        }
        a = b;
        off_a = off_b;
    }
    out
}

/// The dashboard's day bar: your local day today, from your local midnight to the next, divided
/// into `cells` equal cells (at most [`MAX_STRIP_CELLS`]), each sampled at its midpoint.
///
/// The strip spans your actual local day, so on the two daylight-saving days a year it covers 23
/// or 25 hours instead of 24; that keeps `now` inside the strip at every moment of the day.
/// `theirs` comes from `client`'s business hours (false for rows without a client); `zone` is the
/// row's zone, used only for `their_hour`. A midnight that does not exist (a gap at 00:00) starts
/// the day at the first instant that does.
pub fn day_strip(
    me: &Me,
    client: Option<&Client>,
    zone: Tz,
    now: DateTime<Utc>,
    cells: usize,
) -> Vec<StripCell> {
    let now = clamp(now);
    let n = cells.min(MAX_STRIP_CELLS);
    if n == 0 {
        return Vec::new();
    }
    let my_zone = me.zone_at(now);
    let today = local_date(my_zone, now);
    let Some(tomorrow) = today.succ_opt() else {
        return Vec::new();
    };
    let t0 = super::time::local_to_utc(my_zone, today.and_time(NaiveTime::MIN));
    let t1 = super::time::local_to_utc(my_zone, tomorrow.and_time(NaiveTime::MIN));
    let span_ms = (t1 - t0).num_milliseconds().max(1);
    let mine = Schedule::of_me(me);
    let theirs = client.map(Schedule::of_client);
    let n64 = n as i64;
    let at = |num: i64, den: i64| t0 + Duration::milliseconds(span_ms * num / den);
    (0..n64)
        .map(|i| {
            let (start, end, mid) = (at(i, n64), at(i + 1, n64), at(2 * i + 1, 2 * n64));
            StripCell {
                mine: mine.shift_at(mid).is_some(),
                theirs: theirs.as_ref().is_some_and(|s| s.shift_at(mid).is_some()),
                now: start <= now && now < end,
                their_hour: mid.with_timezone(&zone).hour(),
            }
        })
        .collect()
}

enum RowKind {
    Me,
    Extra,
    Clients,
}

struct Group<'a> {
    kind: RowKind,
    zone: Tz,
    labels: Vec<String>,
    clients: Vec<&'a Client>,
}

/// The dashboard's clocks: one row per distinct zone.
///
/// Your row comes first (your name, or "You"; your zone today, travel included), then the extra
/// clocks, then the clients. Within the extra clocks and within the clients, rows run west to
/// east by UTC offset at `now` (ties keep config order), so reading down the list moves forward
/// through the day; the order can change when a zone's daylight saving does. Grouping extras
/// before clients keeps your own reference clocks in one place.
///
/// A zone appears once. Clients in your zone join your row, clients in an extra clock's zone join
/// that row, and several clients sharing a zone share one row labelled with their cities and ids,
/// `Tokyo (kanda, sakura)`; a lone client's row is labelled with its city. Extra clocks in your
/// own zone are dropped (your clock already shows that time), and extra clocks sharing a zone are
/// joined with ` / `.
pub fn clock_rows(config: &Config, now: DateTime<Utc>) -> Vec<ClockRow> {
    let now = clamp(now);
    let me = &config.me;
    let my_zone = me.zone_at(now);
    let my_label = if me.name.trim().is_empty() {
        "You".to_string()
    } else {
        me.name.trim().to_string()
    };
    let mut groups: Vec<Group> = vec![Group {
        kind: RowKind::Me,
        zone: my_zone,
        labels: vec![my_label],
        clients: Vec::new(),
    }];
    for clock in &config.clocks {
        match groups.iter_mut().find(|g| g.zone == clock.zone) {
            Some(g) => {
                if matches!(g.kind, RowKind::Extra) && !g.labels.contains(&clock.label) {
                    g.labels.push(clock.label.clone());
                }
            }
            None => groups.push(Group {
                kind: RowKind::Extra,
                zone: clock.zone,
                labels: vec![clock.label.clone()],
                clients: Vec::new(),
            }),
        }
    }
    for client in &config.clients {
        match groups.iter_mut().find(|g| g.zone == client.zone) {
            Some(g) => g.clients.push(client),
            None => groups.push(Group {
                kind: RowKind::Clients,
                zone: client.zone,
                labels: Vec::new(),
                clients: vec![client],
            }),
        }
    }
    // Stable sort: equal offsets keep config order.
    groups.sort_by_key(|g| match g.kind {
        RowKind::Me => (0, 0),
        RowKind::Extra => (1, offset_secs(g.zone, now)),
        RowKind::Clients => (2, offset_secs(g.zone, now)),
    });

    let my_local = now.with_timezone(&my_zone);
    let my_offset = offset_secs(my_zone, now);
    groups
        .into_iter()
        .map(|g| {
            let is_me = matches!(g.kind, RowKind::Me);
            let label = match g.kind {
                RowKind::Me | RowKind::Extra => g.labels.join(" / "),
                RowKind::Clients => client_label(g.zone, &g.clients),
            };
            let local = now.with_timezone(&g.zone);
            let first = g.clients.first().copied();
            ClockRow {
                label,
                zone: g.zone,
                is_me,
                client_ids: g.clients.iter().map(|c| c.id.clone()).collect(),
                day_shift: (local.date_naive() - my_local.date_naive()).num_days(),
                gap_secs: offset_secs(g.zone, now) - my_offset,
                local,
                status: first.map(|c| business_status(c, now)),
                dst_notice: if is_me {
                    None
                } else {
                    dst_notice(my_zone, g.zone, now)
                },
                overlap: first.map_or_else(Vec::new, |c| overlap_today(me, c, now)),
            }
        })
        .collect()
}

fn client_label(zone: Tz, clients: &[&Client]) -> String {
    let mut cities: Vec<String> = Vec::new();
    for c in clients {
        let city = if c.city.trim().is_empty() {
            zone_city(zone)
        } else {
            c.city.trim().to_string()
        };
        if !cities.contains(&city) {
            cities.push(city);
        }
    }
    if cities.is_empty() {
        cities.push(zone_city(zone));
    }
    let place = cities.join(" / ");
    if clients.len() > 1 {
        let ids: Vec<&str> = clients.iter().map(|c| c.id.as_str()).collect();
        format!("{place} ({})", ids.join(", "))
    } else {
        place
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{ExtraClock, Travel};
    use crate::domain::testkit::{date, me, utc};

    use chrono_tz::{America, Asia, Australia, Europe, Pacific};

    fn client(id: &str, zone: Tz, hours: &str) -> Client {
        Client {
            id: id.to_string(),
            name: id.to_string(),
            zone,
            city: zone_city(zone),
            hours: ClockRange::parse(hours).unwrap(),
            days: WeekdaySet::WORKWEEK,
            holidays: BTreeSet::new(),
            champion: None,
            contact_every: None,
            visit_every: None,
        }
    }

    fn config(me: Me, clocks: &[(&str, Tz)], clients: Vec<Client>) -> Config {
        Config {
            me,
            clocks: clocks
                .iter()
                .map(|(l, z)| ExtraClock {
                    label: l.to_string(),
                    zone: *z,
                })
                .collect(),
            clients,
            ..Config::default()
        }
    }

    const H: i32 = 3600;

    #[test]
    fn tokyo_seen_from_brisbane_is_open() {
        // Wed 25 Nov 2026 14:40 in Tokyo (+9), 15:40 in Brisbane (+10).
        let now = utc(2026, 11, 25, 5, 40);
        let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        let status = business_status(&kanda, now);
        assert_eq!(
            status,
            BusinessStatus::Open {
                closes_in: Duration::minutes(200),
                closes_at: utc(2026, 11, 25, 9, 0),
            }
        );
        assert_eq!(status.describe(), "open · closes in 3h 20m");

        let cfg = config(me(Australia::Brisbane, "08:30-17:30"), &[], vec![kanda]);
        let rows = clock_rows(&cfg, now);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label, "Aiko Tanaka");
        assert!(rows[0].is_me);
        let tokyo = &rows[1];
        assert_eq!(tokyo.label, "Tokyo");
        assert_eq!(tokyo.client_ids, vec!["kanda"]);
        assert_eq!(tokyo.gap_secs, -H);
        assert_eq!(tokyo.day_shift, 0);
        assert_eq!(tokyo.local.format("%H:%M").to_string(), "14:40");
        assert_eq!(tokyo.status, Some(status));
        assert_eq!(tokyo.dst_notice, None);
    }

    #[test]
    fn new_york_spring_forward_notice_appears_within_14_days() {
        // US clocks go forward Sun 8 Mar 2026 at 02:00 EST = 07:00Z; Tokyo has no DST, so the
        // gap from New York to Tokyo shrinks from +14h to +13h.
        let change = utc(2026, 3, 8, 7, 0);
        let expected = DstNotice {
            at: change,
            whose: America::New_York,
            gap_before: 14 * H,
            gap_after: 13 * H,
        };
        assert_eq!(
            dst_notice(America::New_York, Asia::Tokyo, utc(2026, 2, 20, 12, 0)),
            None
        );
        // Exactly 14 days before is still inside the window; a minute earlier is not.
        assert_eq!(
            dst_notice(America::New_York, Asia::Tokyo, utc(2026, 2, 22, 6, 59)),
            None
        );
        assert_eq!(
            dst_notice(America::New_York, Asia::Tokyo, utc(2026, 2, 22, 7, 0)),
            Some(expected)
        );
        let n = dst_notice(America::New_York, Asia::Tokyo, utc(2026, 3, 1, 12, 0)).unwrap();
        assert_eq!(n, expected);
        assert_eq!(
            n.describe(),
            "gap becomes +13h on Sun 8 Mar (New York clocks change)"
        );
        // Seen from Tokyo the same change is New York's, with the gap negated.
        let n = dst_notice(Asia::Tokyo, America::New_York, utc(2026, 3, 1, 12, 0)).unwrap();
        assert_eq!(
            (n.whose, n.gap_before, n.gap_after),
            (America::New_York, -14 * H, -13 * H)
        );
        // Once it has happened there is nothing left to announce.
        assert_eq!(dst_notice(America::New_York, Asia::Tokyo, change), None);

        let cfg = config(
            me(America::New_York, "09:00-17:00"),
            &[],
            vec![client("kanda", Asia::Tokyo, "09:00-18:00")],
        );
        let rows = clock_rows(&cfg, utc(2026, 3, 1, 12, 0));
        assert_eq!(rows[1].dst_notice, Some(expected));
        assert_eq!(rows[1].gap_secs, 14 * H);
        assert_eq!(rows[0].dst_notice, None);
    }

    #[test]
    fn london_transitions() {
        // Spring: Sun 29 Mar 2026 01:00Z; your clocks (London) move, Tokyo's do not.
        let n = dst_notice(Europe::London, Asia::Tokyo, utc(2026, 3, 20, 0, 0)).unwrap();
        assert_eq!(n.at, utc(2026, 3, 29, 1, 0));
        assert_eq!(
            (n.whose, n.gap_before, n.gap_after),
            (Europe::London, 9 * H, 8 * H)
        );
        assert_eq!(
            n.describe(),
            "gap becomes +8h on Sun 29 Mar (London clocks change)"
        );
        // Autumn: Sun 25 Oct 2026 01:00Z, seen from Tokyo.
        let n = dst_notice(Asia::Tokyo, Europe::London, utc(2026, 10, 20, 0, 0)).unwrap();
        assert_eq!(n.at, utc(2026, 10, 25, 1, 0));
        assert_eq!((n.gap_before, n.gap_after), (-8 * H, -9 * H));
        assert_eq!(
            n.describe(),
            "gap becomes -9h on Sun 25 Oct (London clocks change)"
        );
        // Seen from Brisbane (no DST): -10h becomes -9h in spring.
        let n = dst_notice(Australia::Brisbane, Europe::London, utc(2026, 3, 28, 0, 0)).unwrap();
        assert_eq!((n.gap_before, n.gap_after), (-10 * H, -9 * H));
        // London and Paris change at the same instant by the same hour: no notice.
        assert_eq!(
            dst_notice(Europe::London, Europe::Paris, utc(2026, 3, 20, 0, 0)),
            None
        );
        assert_eq!(
            dst_notice(Europe::London, Europe::Paris, utc(2026, 10, 20, 0, 0)),
            None
        );
    }

    #[test]
    fn changes_that_cancel_within_a_day_are_not_announced() {
        // New York moves at 07:00Z and Chicago at 08:00Z: the gap is -1h before and after.
        assert_eq!(
            dst_notice(America::New_York, America::Chicago, utc(2026, 3, 1, 0, 0)),
            None
        );
        assert_eq!(
            dst_notice(America::Chicago, America::New_York, utc(2026, 10, 25, 0, 0)),
            None
        );
        // Auckland and Chatham both move at 14:00Z on Sat 26 Sep 2026.
        assert_eq!(
            dst_notice(Pacific::Auckland, Pacific::Chatham, utc(2026, 9, 20, 0, 0)),
            None
        );
    }

    #[test]
    fn odd_offsets_kolkata_kathmandu_chatham() {
        // Thu 15 Jan 2026 12:00Z, you in London (GMT, +0).
        let now = utc(2026, 1, 15, 12, 0);
        let cfg = config(
            me(Europe::London, "09:00-17:00"),
            &[
                ("Chatham", Pacific::Chatham),
                ("Kathmandu", Asia::Kathmandu),
                ("Kolkata", Asia::Kolkata),
            ],
            Vec::new(),
        );
        let rows = clock_rows(&cfg, now);
        let got: Vec<(&str, i32, i64, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.label.as_str(),
                    r.gap_secs,
                    r.day_shift,
                    r.local.format("%H:%M").to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Aiko Tanaka", 0, 0, "12:00".to_string()),
                ("Kolkata", 5 * H + 1800, 0, "17:30".to_string()),
                ("Kathmandu", 5 * H + 2700, 0, "17:45".to_string()),
                // New Zealand summer: Chatham is +13:45.
                ("Chatham", 13 * H + 2700, 1, "01:45".to_string()),
            ]
        );
        // In the southern winter Chatham is +12:45.
        let rows = clock_rows(&cfg, utc(2026, 6, 15, 12, 0));
        assert_eq!(
            offset_secs(Pacific::Chatham, utc(2026, 6, 15, 12, 0)),
            12 * H + 2700
        );
        // London is on BST (+1) by then.
        assert_eq!(rows[3].gap_secs, 11 * H + 2700);
        assert_eq!(rows[3].local.format("%d %H:%M").to_string(), "16 00:45");
        // Chatham's spring change: 02:45 +12:45 on Sun 27 Sep 2026 = Sat 26 Sep 14:00Z.
        let n = dst_notice(chrono_tz::UTC, Pacific::Chatham, utc(2026, 9, 20, 0, 0)).unwrap();
        assert_eq!(n.at, utc(2026, 9, 26, 14, 0));
        assert_eq!((n.gap_before, n.gap_after), (12 * H + 2700, 13 * H + 2700));
        assert_eq!(
            n.describe(),
            "gap becomes +13h45m on Sun 27 Sep (Chatham clocks change)"
        );
    }

    #[test]
    fn lord_howe_half_hour_change() {
        // Lord Howe goes from +10:30 to +11 at 02:00 local on Sun 4 Oct 2026 = Sat 15:30Z.
        let n = dst_notice(
            Australia::Brisbane,
            Australia::Lord_Howe,
            utc(2026, 9, 28, 0, 0),
        );
        let n = n.unwrap();
        assert_eq!(n.at, utc(2026, 10, 3, 15, 30));
        assert_eq!((n.gap_before, n.gap_after), (1800, H));
        assert_eq!(
            n.describe(),
            "gap becomes +1h on Sun 4 Oct (Lord Howe clocks change)"
        );
        // Seen from Sydney, which moves a whole hour half an hour later: +30m becomes +0h.
        let n = dst_notice(
            Australia::Sydney,
            Australia::Lord_Howe,
            utc(2026, 9, 28, 0, 0),
        );
        let n = n.unwrap();
        assert_eq!(n.at, utc(2026, 10, 3, 15, 30));
        assert_eq!((n.gap_before, n.gap_after), (1800, 0));
    }

    #[test]
    fn kiritimati_is_a_day_ahead_of_honolulu() {
        // 05:00Z: 19:00 Tue 24 Nov in Honolulu (-10), 19:00 Wed 25 Nov on Kiritimati (+14).
        let now = utc(2026, 11, 25, 5, 0);
        let cfg = config(
            me(Pacific::Honolulu, "09:00-17:00"),
            &[("Line Islands", Pacific::Kiritimati)],
            Vec::new(),
        );
        let rows = clock_rows(&cfg, now);
        assert_eq!(
            rows[0].local.format("%a %d %H:%M").to_string(),
            "Tue 24 19:00"
        );
        assert_eq!(rows[1].label, "Line Islands");
        assert_eq!(
            rows[1].local.format("%a %d %H:%M").to_string(),
            "Wed 25 19:00"
        );
        assert_eq!(rows[1].day_shift, 1);
        assert_eq!(rows[1].gap_secs, 24 * H);
        // And the other way round.
        let cfg = config(
            me(Pacific::Kiritimati, "09:00-17:00"),
            &[("Hawaii", Pacific::Honolulu)],
            Vec::new(),
        );
        let rows = clock_rows(&cfg, now);
        assert_eq!((rows[1].day_shift, rows[1].gap_secs), (-1, -24 * H));
    }

    #[test]
    fn client_holiday() {
        let mut kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        kanda.holidays = [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)].into();
        // Fri 1 Jan 2027, 10:00 in Tokyo.
        let now = utc(2027, 1, 1, 1, 0);
        let status = business_status(&kanda, now);
        // Reopens Mon 4 Jan 09:00 JST = 00:00Z.
        assert_eq!(
            status,
            BusinessStatus::Holiday {
                opens_at: Some(utc(2027, 1, 4, 0, 0))
            }
        );
        assert_eq!(status.describe(), "holiday");
        assert_eq!(status.describe_in(Asia::Tokyo), "holiday · opens Mon 09:00");
        assert_eq!(
            send_window(&kanda, now),
            SendWindow::Next {
                opens_at: utc(2027, 1, 4, 0, 0)
            }
        );
        // The day before the holiday is ordinary.
        assert!(matches!(
            business_status(&kanda, utc(2026, 12, 31, 1, 0)),
            BusinessStatus::Open { .. }
        ));
    }

    #[test]
    fn wrapping_hours_belong_to_the_day_they_start() {
        // London in January is +0, so wall times equal UTC. 22:00-06:00 Mon-Fri.
        let mut night = client("night", Europe::London, "22:00-06:00");
        let open = |closes_at: DateTime<Utc>, now: DateTime<Utc>| BusinessStatus::Open {
            closes_in: closes_at - now,
            closes_at,
        };
        // Fri 9 Jan 23:00: Friday's shift, until Sat 06:00.
        let now = utc(2026, 1, 9, 23, 0);
        assert_eq!(
            business_status(&night, now),
            open(utc(2026, 1, 10, 6, 0), now)
        );
        // Sat 03:00: still Friday's shift.
        let now = utc(2026, 1, 10, 3, 0);
        assert_eq!(
            business_status(&night, now),
            open(utc(2026, 1, 10, 6, 0), now)
        );
        assert_eq!(
            business_status(&night, now).describe(),
            "open · closes in 3h"
        );
        // Sat 23:00: no Saturday shift; next is Mon 22:00, 47h away.
        let s = business_status(&night, utc(2026, 1, 10, 23, 0));
        assert_eq!(
            s,
            BusinessStatus::Closed {
                opens_in: Duration::hours(47),
                opens_at: utc(2026, 1, 12, 22, 0)
            }
        );
        assert_eq!(s.describe(), "closed · opens in 1d 23h");
        // Mon 05:00: Sunday has no shift, so they are closed until Monday night.
        assert!(matches!(
            business_status(&night, utc(2026, 1, 12, 5, 0)),
            BusinessStatus::Closed { opens_in, .. } if opens_in == Duration::hours(17)
        ));
        // Tuesday 13 Jan is their holiday: Monday's shift still runs into it, Tuesday's is off.
        night.holidays = [date(2026, 1, 13)].into();
        let now = utc(2026, 1, 13, 3, 0);
        assert_eq!(
            business_status(&night, now),
            open(utc(2026, 1, 13, 6, 0), now)
        );
        assert_eq!(
            business_status(&night, utc(2026, 1, 13, 23, 0)),
            BusinessStatus::Holiday {
                opens_at: Some(utc(2026, 1, 14, 22, 0))
            }
        );
    }

    #[test]
    fn back_to_back_days_are_one_run() {
        let allday = client("allday", Europe::London, "00:00-24:00");
        // Wed 14 Jan 12:00: open until the weekend starts, not until midnight.
        let now = utc(2026, 1, 14, 12, 0);
        assert_eq!(
            business_status(&allday, now),
            BusinessStatus::Open {
                closes_in: utc(2026, 1, 17, 0, 0) - now,
                closes_at: utc(2026, 1, 17, 0, 0)
            }
        );
        assert_eq!(
            business_status(&allday, now).describe(),
            "open · closes in 2d 12h"
        );
    }

    #[test]
    fn weekend_opens_monday() {
        let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        // Sat 28 Nov 2026 12:00 JST; Mon 30 Nov 09:00 JST = 00:00Z, 45h away.
        let s = business_status(&kanda, utc(2026, 11, 28, 3, 0));
        assert_eq!(
            s,
            BusinessStatus::Closed {
                opens_in: Duration::hours(45),
                opens_at: utc(2026, 11, 30, 0, 0)
            }
        );
        assert_eq!(s.describe(), "closed · opens in 1d 21h");
        // Countdowns round up: 13h 59m 30s is shown as 14h.
        let s = business_status(&kanda, utc(2026, 11, 29, 10, 0) + Duration::seconds(30));
        assert_eq!(s.describe(), "closed · opens in 14h");
    }

    #[test]
    fn no_hours() {
        let mut c = client("c", Asia::Tokyo, "09:00-18:00");
        c.days = WeekdaySet::EMPTY;
        let now = utc(2026, 11, 25, 5, 0);
        assert_eq!(business_status(&c, now), BusinessStatus::NoHours);
        assert_eq!(business_status(&c, now).describe(), "no business hours");
        assert_eq!(send_window(&c, now), SendWindow::Unknown);
        // Open days, but every one of them a holiday for longer than the search horizon.
        let mut c = client("c", Asia::Tokyo, "09:00-18:00");
        let mut d = date(2026, 11, 1);
        for _ in 0..500 {
            c.holidays.insert(d);
            d = d.succ_opt().unwrap();
        }
        assert_eq!(
            business_status(&c, now),
            BusinessStatus::Holiday { opens_at: None }
        );
        assert_eq!(send_window(&c, now), SendWindow::Unknown);
    }

    #[test]
    fn overlap_brisbane_tokyo_is_long() {
        // Wed 25 Nov 2026, 12:00 in Brisbane. You 08:30-17:30 +10 = 22:30Z-07:30Z; Tokyo
        // 09:00-18:00 +9 = 00:00Z-09:00Z.
        let now = utc(2026, 11, 25, 2, 0);
        let me = me(Australia::Brisbane, "08:30-17:30");
        let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        assert_eq!(
            overlap_today(&me, &kanda, now),
            vec![Overlap {
                start: utc(2026, 11, 25, 0, 0),
                end: utc(2026, 11, 25, 7, 30)
            }]
        );
        // Saturday in Brisbane: you do not work, so there is no overlap.
        assert_eq!(overlap_today(&me, &kanda, utc(2026, 11, 28, 2, 0)), vec![]);
        // Your holiday: none either.
        let mut off = me.clone();
        off.holidays.insert(date(2026, 11, 25));
        assert_eq!(overlap_today(&off, &kanda, now), vec![]);
    }

    #[test]
    fn overlap_sydney_london_is_little_or_none() {
        // November: Sydney +11 (09:00-17:00 = 22:00Z-06:00Z), London +0 (09:00Z-17:00Z).
        let london = client("ldn", Europe::London, "09:00-17:00");
        let sydney = me(Australia::Sydney, "09:00-17:00");
        assert_eq!(
            overlap_today(&sydney, &london, utc(2026, 11, 25, 0, 0)),
            vec![]
        );
        // June, a long Sydney day: 08:30-18:30 +10 = 22:30Z-08:30Z; London 09:00 BST = 08:00Z.
        let sydney = me(Australia::Sydney, "08:30-18:30");
        assert_eq!(
            overlap_today(&sydney, &london, utc(2026, 6, 17, 0, 0)),
            vec![Overlap {
                start: utc(2026, 6, 17, 8, 0),
                end: utc(2026, 6, 17, 8, 30)
            }]
        );
    }

    #[test]
    fn overlap_with_a_night_shift_client_uses_their_previous_day() {
        // You in London 09:00-17:00 on Tue 13 Jan 2026 (+0); they are in Tokyo 22:00-06:00
        // (+9): Monday's shift runs 13:00Z-21:00Z Monday, Tuesday's 13:00Z-21:00Z Tuesday.
        let you = me(Europe::London, "09:00-17:00");
        let night = client("night", Asia::Tokyo, "22:00-06:00");
        assert_eq!(
            overlap_today(&you, &night, utc(2026, 1, 13, 10, 0)),
            vec![Overlap {
                start: utc(2026, 1, 13, 13, 0),
                end: utc(2026, 1, 13, 17, 0)
            }]
        );
        // Shifts of theirs that end exactly where the next starts are merged.
        let allday = client("allday", Asia::Tokyo, "00:00-24:00");
        assert_eq!(
            overlap_today(&you, &allday, utc(2026, 1, 13, 10, 0)),
            vec![Overlap {
                start: utc(2026, 1, 13, 9, 0),
                end: utc(2026, 1, 13, 17, 0)
            }]
        );
    }

    #[test]
    fn send_window_friday_evening_is_monday_morning() {
        let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        // Fri 27 Nov 2026 19:00 JST.
        assert_eq!(
            send_window(&kanda, utc(2026, 11, 27, 10, 0)),
            SendWindow::Next {
                opens_at: utc(2026, 11, 30, 0, 0)
            }
        );
        // Fri 10:00 JST: open until 18:00 JST.
        assert_eq!(
            send_window(&kanda, utc(2026, 11, 27, 1, 0)),
            SendWindow::OpenNow {
                closes_at: utc(2026, 11, 27, 9, 0)
            }
        );
        // Closing time itself is closed (ranges are half-open).
        assert_eq!(
            send_window(&kanda, utc(2026, 11, 27, 9, 0)),
            SendWindow::Next {
                opens_at: utc(2026, 11, 30, 0, 0)
            }
        );
    }

    #[test]
    fn day_strip_brisbane_tokyo() {
        // Wed 25 Nov 2026 12:00 Brisbane; 48 half-hour cells from Brisbane midnight (14:00Z).
        let me = me(Australia::Brisbane, "08:30-17:30");
        let kanda = client("kanda", Asia::Tokyo, "09:00-18:00");
        let cells = day_strip(&me, Some(&kanda), Asia::Tokyo, utc(2026, 11, 25, 2, 0), 48);
        assert_eq!(cells.len(), 48);
        let idx = |f: fn(&StripCell) -> bool| -> Vec<usize> {
            cells
                .iter()
                .enumerate()
                .filter(|(_, c)| f(c))
                .map(|(i, _)| i)
                .collect()
        };
        // Midpoints 08:45..17:15 Brisbane are cells 17..=34.
        assert_eq!(idx(|c| c.mine), (17..=34).collect::<Vec<_>>());
        // Tokyo 09:00-18:00 is 10:00-19:00 in Brisbane: cells 20..=37.
        assert_eq!(idx(|c| c.theirs), (20..=37).collect::<Vec<_>>());
        // 12:00 starts cell 24.
        assert_eq!(idx(|c| c.now), vec![24]);
        // Cell 0's midpoint is 00:15 Brisbane = 23:15 Tokyo.
        assert_eq!(cells[0].their_hour, 23);
        assert_eq!(cells[2].their_hour, 0);

        // Without a client nothing is theirs; no cells, no strip; absurd sizes are capped.
        let cells = day_strip(&me, None, Asia::Tokyo, utc(2026, 11, 25, 2, 0), 24);
        assert!(cells.iter().all(|c| !c.theirs));
        assert!(day_strip(&me, None, Asia::Tokyo, utc(2026, 11, 25, 2, 0), 0).is_empty());
        let huge = day_strip(&me, None, Asia::Tokyo, utc(2026, 11, 25, 2, 0), usize::MAX);
        assert_eq!(huge.len(), MAX_STRIP_CELLS);
        assert_eq!(huge.iter().filter(|c| c.now).count(), 1);
    }

    #[test]
    fn day_strip_covers_a_25_hour_day() {
        // London falls back on Sun 25 Oct 2026: the local day is 25 hours, 23:00Z (BST 00:00
        // on the 25th is 24 Oct 23:00Z) to 26 Oct 00:00Z. At 23:30 local (23:30Z) `now` is in
        // the last of 25 hour-long cells.
        let you = me(Europe::London, "09:00-17:00");
        let cells = day_strip(&you, None, Europe::London, utc(2026, 10, 25, 23, 30), 25);
        assert_eq!(cells.len(), 25);
        assert!(cells[24].now);
        assert_eq!(cells.iter().filter(|c| c.now).count(), 1);
        // Sunday: no work.
        assert!(cells.iter().all(|c| !c.mine));
    }

    #[test]
    fn rows_group_zones() {
        let mut you = me(Australia::Brisbane, "08:30-17:30");
        let mut sakura = client("sakura", Asia::Tokyo, "10:00-19:00");
        sakura.city = "Tokyo".into();
        let cfg = config(
            you.clone(),
            &[
                ("London desk", Europe::London),
                ("Home", Australia::Brisbane),
            ],
            vec![
                client("kanda", Asia::Tokyo, "09:00-18:00"),
                client("nyc", America::New_York, "09:00-17:00"),
                client("acme", Australia::Brisbane, "09:00-17:00"),
                sakura,
                client("ldn", Europe::London, "09:00-17:00"),
            ],
        );
        let now = utc(2026, 11, 25, 2, 0);
        let rows = clock_rows(&cfg, now);
        let got: Vec<(&str, Vec<&str>, bool)> = rows
            .iter()
            .map(|r| {
                (
                    r.label.as_str(),
                    r.client_ids.iter().map(String::as_str).collect(),
                    r.is_me,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Aiko Tanaka", vec!["acme"], true),
                ("London desk", vec!["ldn"], false),
                ("New York", vec!["nyc"], false),
                ("Tokyo (kanda, sakura)", vec!["kanda", "sakura"], false),
            ]
        );
        // Your row carries the status and overlap of the client in your zone.
        assert!(matches!(rows[0].status, Some(BusinessStatus::Open { .. })));
        assert_eq!(rows[0].overlap.len(), 1);
        // Rows without clients have neither.
        let cfg2 = config(you.clone(), &[("London desk", Europe::London)], vec![]);
        let rows2 = clock_rows(&cfg2, now);
        assert_eq!((rows2[1].status, rows2[1].overlap.len()), (None, 0));
        // Tokyo's row: kanda's status and overlap (Brisbane 08:30-17:30 vs 09:00-18:00 JST).
        assert_eq!(rows[3].status, Some(business_status(&cfg.clients[0], now)));
        assert_eq!(
            rows[3].overlap,
            vec![Overlap {
                start: utc(2026, 11, 25, 0, 0),
                end: utc(2026, 11, 25, 7, 30)
            }]
        );

        // No name: "You". Travelling to Tokyo: the Tokyo clients join your row.
        you.name = " ".into();
        you.travel.push(Travel {
            from: date(2026, 11, 24),
            to: date(2026, 11, 26),
            zone: Asia::Tokyo,
        });
        let cfg = Config { me: you, ..cfg };
        let rows = clock_rows(&cfg, now);
        assert_eq!(rows[0].label, "You");
        assert_eq!(rows[0].zone, Asia::Tokyo);
        assert_eq!(rows[0].client_ids, vec!["kanda", "sakura"]);
        // Brisbane is now just another row, with acme.
        assert!(
            rows.iter()
                .any(|r| r.zone == Australia::Brisbane && r.client_ids == ["acme"])
        );
        assert!(
            rows.iter()
                .all(|r| r.zone != Australia::Brisbane || r.gap_secs == H)
        );
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let mut cfg = config(
            me(Pacific::Kiritimati, "22:00-06:00"),
            &[("x", Pacific::Niue)],
            vec![
                client("a", Pacific::Kiritimati, "00:00-24:00"),
                client("b", America::New_York, "22:00-06:00"),
            ],
        );
        cfg.me.travel.push(Travel {
            from: NaiveDate::MIN,
            to: NaiveDate::MAX,
            zone: Asia::Tokyo,
        });
        for now in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            utc(1, 1, 1, 0, 0),
            utc(9999, 12, 31, 23, 59),
        ] {
            let rows = clock_rows(&cfg, now);
            assert!(!rows.is_empty());
            for c in &cfg.clients {
                let _ = business_status(c, now).describe();
                let _ = send_window(c, now);
                let _ = overlap_today(&cfg.me, c, now);
                let _ = day_strip(&cfg.me, Some(c), c.zone, now, 100);
            }
            let _ = dst_notice(America::New_York, Pacific::Chatham, now);
        }
        let silly = BusinessStatus::Open {
            closes_in: Duration::MAX,
            closes_at: DateTime::<Utc>::MAX_UTC,
        };
        let _ = silly.describe();
    }
}
