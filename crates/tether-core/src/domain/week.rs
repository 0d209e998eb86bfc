//! The week view's grid: seven of your days as rows, each cut into cells of your wall clock (an
//! hour, or half an hour), and for each cell whether you work, whether each client is open, both
//! at once, and whether a holiday takes hours away there.
//!
//! Every answer comes from [`Schedule`]; this module only cuts its intervals into cells. A cell
//! holds a state when the state holds at any moment of it (an hour cell shows a client opening
//! at 09:30), so "both" means some moment in the cell when you work and the client is open. Cells
//! follow your wall clock as shifts do ([`first_reaching`]): on the day the clocks go forward the
//! skipped hour's cell has no time at all, and on the day they go back the repeated hour's cell
//! lasts two hours. Each day is read in the zone you are in that day (your travel).

use super::model::{Client, Me};
use super::schedule::{Schedule, Shift, first_reaching, shift_date};
use super::time::local_date;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// How many days the week shows.
pub const DAYS: usize = 7;

/// What holds in one cell of a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// You work at some moment of the cell.
    pub mine: bool,
    /// The row's client is open at some moment of it (false on your own row).
    pub theirs: bool,
    /// Some moment of the cell has both: you work and the client is open.
    pub both: bool,
    /// A holiday takes away hours the row's owner would have worked here.
    pub holiday: bool,
    /// The cell is over at `now`.
    pub past: bool,
}

/// One row of a day: yours or a client's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub cells: Vec<Cell>,
    /// The holidays (dates of the owner's calendar) that take hours away within this day.
    pub holidays: Vec<NaiveDate>,
}

/// One of your days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// Your local date.
    pub date: NaiveDate,
    /// Your zone that day.
    pub zone: Tz,
    /// Where each cell starts; a cell ends where the next one starts, the last at `end`.
    pub starts: Vec<DateTime<Utc>>,
    pub end: DateTime<Utc>,
    pub me: Lane,
    /// One per client asked for, in its order.
    pub clients: Vec<Lane>,
    /// Per cell: how many clients you can reach in your hours (`both`).
    pub reachable: Vec<usize>,
    /// Per cell: how many clients are open.
    pub open: Vec<usize>,
}

impl Day {
    /// The instants cell `i` spans, `[start, end)`.
    pub fn cell_span(&self, i: usize) -> Option<Shift> {
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.end);
        Some(Shift { start, end })
    }

    fn spans(&self) -> impl Iterator<Item = Shift> + '_ {
        (0..self.starts.len()).filter_map(|i| self.cell_span(i))
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.starts.first().copied().unwrap_or(self.end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub days: Vec<Day>,
    /// Cells per hour: 1 or 2.
    pub per_hour: u32,
}

impl Week {
    /// The day and cell `t` falls in (the first, where a trip's zone change makes two days
    /// cover it). A cell the clocks jump over holds no instant.
    pub fn cell_of(&self, t: DateTime<Utc>) -> Option<(usize, usize)> {
        self.days.iter().enumerate().find_map(|(d, day)| {
            if t < day.start() || t >= day.end {
                return None;
            }
            let i = day.spans().position(|s| s.contains(t))?;
            Some((d, i))
        })
    }
}

/// The week of your days from the day `at` falls on (where you are then), with a row for each
/// of `clients`, at `per_hour` cells per hour (clamped to 1-2); cells over at `now` are marked
/// past.
pub fn week(
    me: &Me,
    clients: &[&Client],
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    per_hour: u32,
) -> Week {
    let per_hour = per_hour.clamp(1, 2);
    let me = Schedule::of_me(me);
    let first = local_date(me.zone_at(at), at);
    let mut days: Vec<Day> = (0..DAYS)
        .map(|k| empty_day(&me, shift_date(first, k as i64), per_hour, clients.len()))
        .collect();
    let (Some(from), Some(to)) = (
        days.iter().map(Day::start).min(),
        days.iter().map(|d| d.end).max(),
    ) else {
        return Week { days, per_hour };
    };
    let mine: Vec<Shift> = me.intervals(from, to).collect();
    let my_holidays = holiday_hours(&me, first);
    for day in &mut days {
        let mut lane = std::mem::take(&mut day.me.cells);
        mark(day, &mine, &mut lane, |c| c.mine = true);
        mark(day, &my_holidays.1, &mut lane, |c| c.holiday = true);
        day.me.holidays = touching(day, &my_holidays);
        for (c, span) in lane.iter_mut().zip(day.spans().collect::<Vec<_>>()) {
            c.past = span.end <= now;
        }
        day.me.cells = lane;
    }
    for (ci, client) in clients.iter().enumerate() {
        let s = Schedule::of_client(client);
        let theirs: Vec<Shift> = s.intervals(from, to).collect();
        let both = intersect(&mine, &theirs);
        let hols = holiday_hours(&s, first);
        for day in &mut days {
            let mut lane: Vec<Cell> = day
                .me
                .cells
                .iter()
                .map(|c| Cell {
                    holiday: false,
                    ..*c
                })
                .collect();
            mark(day, &theirs, &mut lane, |c| c.theirs = true);
            mark(day, &both, &mut lane, |c| c.both = true);
            mark(day, &hols.1, &mut lane, |c| c.holiday = true);
            for (i, c) in lane.iter().enumerate() {
                if let Some(n) = day.reachable.get_mut(i) {
                    *n += usize::from(c.both);
                }
                if let Some(n) = day.open.get_mut(i) {
                    *n += usize::from(c.theirs);
                }
            }
            let holidays = touching(day, &hols);
            if let Some(l) = day.clients.get_mut(ci) {
                l.holidays = holidays;
                l.cells = lane;
            }
        }
    }
    Week { days, per_hour }
}

fn empty_day(me: &Schedule, date: NaiveDate, per_hour: u32, clients: usize) -> Day {
    let zone = me.zone_on(date);
    let cells = 24 * per_hour;
    let step = 60 / i64::from(per_hour);
    let midnight = date.and_time(NaiveTime::MIN);
    let starts: Vec<DateTime<Utc>> = (0..cells)
        .map(|i| first_reaching(zone, midnight + Duration::minutes(step * i64::from(i))))
        .collect();
    let end = first_reaching(zone, shift_date(date, 1).and_time(NaiveTime::MIN));
    let n = starts.len();
    let lane = Lane {
        cells: vec![Cell::default(); n],
        holidays: Vec::new(),
    };
    Day {
        date,
        zone,
        starts,
        end,
        me: lane.clone(),
        clients: vec![lane; clients],
        reachable: vec![0; n],
        open: vec![0; n],
    }
}

/// The hours holidays take away around the week starting on `first` (dates a few days either
/// side, since a client's calendar can be a day off yours): (date, hours) and the hours alone.
fn holiday_hours(s: &Schedule, first: NaiveDate) -> (Vec<(NaiveDate, Shift)>, Vec<Shift>) {
    let dated: Vec<(NaiveDate, Shift)> = (-2..DAYS as i64 + 2)
        .map(|k| shift_date(first, k))
        .filter_map(|d| s.holiday_hours(d).map(|h| (d, h)))
        .collect();
    let hours = dated.iter().map(|(_, h)| *h).collect();
    (dated, hours)
}

/// The holiday dates whose hours fall within `day`.
fn touching(day: &Day, hols: &(Vec<(NaiveDate, Shift)>, Vec<Shift>)) -> Vec<NaiveDate> {
    hols.0
        .iter()
        .filter(|(_, h)| h.start < day.end && day.start() < h.end)
        .map(|(d, _)| *d)
        .collect()
}

/// Set `flag` on every cell of `day` that some interval of `ivs` reaches into.
fn mark(day: &Day, ivs: &[Shift], cells: &mut [Cell], flag: impl Fn(&mut Cell)) {
    for s in ivs {
        if s.end <= day.start() || s.start >= day.end {
            continue;
        }
        // Cells are in time order: skip those that end before the interval starts.
        let first = day
            .starts
            .partition_point(|t| *t <= s.start)
            .saturating_sub(1);
        for i in first..day.starts.len() {
            let Some(span) = day.cell_span(i) else { break };
            if span.start >= s.end {
                break;
            }
            if !span.is_empty()
                && span.start < s.end
                && s.start < span.end
                && let Some(c) = cells.get_mut(i)
            {
                flag(c);
            }
        }
    }
}

/// Where two sorted lists of disjoint intervals overlap.
fn intersect(a: &[Shift], b: &[Shift]) -> Vec<Shift> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let s = Shift {
            start: x.start.max(y.start),
            end: x.end.min(y.end),
        };
        if !s.is_empty() {
            out.push(s);
        }
        if x.end <= y.end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Config;
    use crate::domain::testkit::{date, me, utc};
    use crate::domain::time::ClockRange;
    use chrono::Timelike;
    use chrono_tz::{Asia, Australia, Europe};

    fn client(id: &str, zone: Tz, hours: &str) -> Client {
        Client {
            city: String::new(),
            hours: ClockRange::parse(hours).unwrap(),
            ..crate::domain::testkit::client(id, zone)
        }
    }

    fn config(me: crate::domain::model::Me, clients: Vec<Client>) -> Config {
        Config {
            me,
            clients,
            ..Config::default()
        }
    }

    #[test]
    fn a_tokyo_client_seen_from_brisbane() {
        let mut c = client("kanda", Asia::Tokyo, "09:00-18:00");
        c.holidays.insert(date(2026, 11, 26));
        let cfg = config(me(Australia::Brisbane, "08:30-17:30"), vec![c]);
        // Wed 25 Nov 2026, 09:30 in Brisbane.
        let now = utc(2026, 11, 24, 23, 30);
        let w = week(
            &cfg.me,
            &cfg.clients.iter().collect::<Vec<_>>(),
            now,
            now,
            1,
        );
        assert_eq!(w.days.len(), 7);
        let wed = &w.days[0];
        assert_eq!(wed.date, date(2026, 11, 25));
        // Tokyo 09:00-18:00 is 10:00-19:00 in Brisbane; you work 08:30-17:30.
        let lane = &wed.clients[0].cells;
        assert!(!lane[9].theirs && lane[10].theirs && lane[18].theirs && !lane[19].theirs);
        assert!(wed.me.cells[8].mine && !wed.me.cells[8].both);
        assert!(lane[17].both && !lane[18].both);
        assert_eq!(wed.reachable[12], 1);
        // Past: the cells before 09:00 are over at 09:30; the 09 cell is not.
        assert!(wed.me.cells[8].past && !wed.me.cells[9].past);
        // Their holiday Thursday: its hours are marked, and named on Thursday's row only.
        let thu = &w.days[1];
        assert!(thu.clients[0].cells[12].holiday && !thu.clients[0].cells[12].theirs);
        assert_eq!(thu.clients[0].holidays, vec![date(2026, 11, 26)]);
        assert!(wed.clients[0].holidays.is_empty());
        // A deadline at 12:00 Tokyo on Friday sits in Friday's 13:00 cell.
        assert_eq!(w.cell_of(utc(2026, 11, 27, 3, 0)), Some((2, 13)));
        // Half hours: Brisbane 08:30 opens cell 17.
        let w2 = week(
            &cfg.me,
            &cfg.clients.iter().collect::<Vec<_>>(),
            now,
            now,
            2,
        );
        assert!(!w2.days[0].me.cells[16].mine && w2.days[0].me.cells[17].mine);
    }

    #[test]
    fn berlin_spring_forward_has_an_empty_cell() {
        let cfg = config(me(Europe::Berlin, "09:00-17:00"), vec![]);
        let at = utc(2026, 3, 28, 12, 0);
        let w = week(&cfg.me, &[], at, at, 1);
        let sun = &w.days[1];
        assert_eq!(sun.date, date(2026, 3, 29));
        let two = sun.cell_span(2).unwrap();
        assert!(two.is_empty());
        assert_eq!(sun.end - sun.start(), Duration::hours(23));
        // Monday's 09 cell begins at 09:00 CEST.
        let mon = &w.days[2];
        assert_eq!(mon.starts[9].with_timezone(&Europe::Berlin).hour(), 9);
        assert!(mon.me.cells[9].mine && !mon.me.cells[8].mine);
    }
}
