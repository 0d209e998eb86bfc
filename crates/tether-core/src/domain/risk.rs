//! Deadline risk: remaining = max(estimate − spent, 0), spent being the hand `spent` plus the
//! time logged in timelog.jsonl (`Deadline::spent_at`); slack = capacity(now, due) − remaining.
//! `overdue` if now ≥ due; else `at risk` if slack < 0; else `tight` if slack < `warn_slack`;
//! else `ok`.

use super::capacity::{WorkCalendar, capacity, latest_start};
use super::model::{AlertSettings, Deadline, Me, Status};
use super::time::format_working;
use chrono::{DateTime, Duration, Utc};

/// How likely a deadline is to be missed; ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Ok,
    Tight,
    AtRisk,
    Overdue,
}

impl Risk {
    pub fn label(&self) -> &'static str {
        match self {
            Risk::Ok => "ok",
            Risk::Tight => "tight",
            Risk::AtRisk => "at risk",
            Risk::Overdue => "overdue",
        }
    }

    /// A one-character mark that still reads correctly without colour.
    pub fn symbol(&self) -> &'static str {
        match self {
            Risk::Ok => "✓",
            Risk::Tight => "~",
            Risk::AtRisk => "!",
            Risk::Overdue => "✗",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RiskView {
    pub risk: Risk,
    /// Work still to do: max(estimate − spent, 0).
    pub remaining: Duration,
    /// Your working time from now until due (zero once due).
    pub capacity: Duration,
    /// capacity − remaining; negative when the work does not fit into your hours.
    pub slack: Duration,
    /// The latest instant you can start and still finish within your hours (None if it does not
    /// fit into the five years before due).
    pub latest_start: Option<DateTime<Utc>>,
    /// due − now; negative once overdue (by how much).
    pub until_due: Duration,
}

impl RiskView {
    /// The work left against your working time before the due, in the words every view uses:
    /// "needs 6h, you have 25h of working time" (hours, never days: docs/decisions.md, "Units").
    pub fn need_and_have(&self) -> String {
        format!(
            "needs {}, you have {} of working time",
            format_working(self.remaining),
            format_working(self.capacity)
        )
    }
}

/// Assess one deadline at `now`.
pub fn assess(d: &Deadline, me: &Me, alerts: &AlertSettings, now: DateTime<Utc>) -> RiskView {
    let remaining = d.remaining(now);
    let cap = capacity(me, now, d.due);
    view(d, alerts, now, remaining, cap, || {
        latest_start(me, d.due, remaining)
    })
}

/// `assess` with the working time read from a precomputed calendar (build it once for many
/// deadlines at the same `now`: see `WorkCalendar::new`); the result is identical.
pub fn assess_with(
    cal: &WorkCalendar,
    d: &Deadline,
    alerts: &AlertSettings,
    now: DateTime<Utc>,
) -> RiskView {
    let remaining = d.remaining(now);
    let cap = cal.capacity(now, d.due);
    view(d, alerts, now, remaining, cap, || {
        cal.latest_start(d.due, remaining)
    })
}

fn view(
    d: &Deadline,
    alerts: &AlertSettings,
    now: DateTime<Utc>,
    remaining: Duration,
    cap: Duration,
    latest: impl FnOnce() -> Option<DateTime<Utc>>,
) -> RiskView {
    // Both sides are bounded in practice (capacity ≤ 20 years, estimates ≤ 100 years), but a
    // hand-built Duration could be anything: saturate rather than panic.
    let slack = slack_of(cap, remaining);
    let until_due = d.due.signed_duration_since(now);
    let risk = risk_of(d.due, slack, alerts, now);
    RiskView {
        risk,
        remaining,
        capacity: cap,
        slack,
        latest_start: latest(),
        until_due,
    }
}

fn slack_of(cap: Duration, remaining: Duration) -> Duration {
    cap.checked_sub(&remaining).unwrap_or(Duration::MIN)
}

/// The rule of this module's header.
fn risk_of(
    due: DateTime<Utc>,
    slack: Duration,
    alerts: &AlertSettings,
    now: DateTime<Utc>,
) -> Risk {
    if now >= due {
        Risk::Overdue
    } else if slack < Duration::zero() {
        Risk::AtRisk
    } else if slack < alerts.warn_slack {
        Risk::Tight
    } else {
        Risk::Ok
    }
}

/// The risk [`assess_with`] gives a deadline due at `due` with `remaining` work left, from
/// these two numbers alone (all `tether status` keeps of an open deadline).
pub fn risk_with(
    cal: &WorkCalendar,
    due: DateTime<Utc>,
    remaining: Duration,
    alerts: &AlertSettings,
    now: DateTime<Utc>,
) -> Risk {
    risk_of(
        due,
        slack_of(cal.capacity(now, due), remaining),
        alerts,
        now,
    )
}

/// Open deadlines only, soonest due first, then by title.
pub fn open_deadlines_sorted(deadlines: &[Deadline]) -> Vec<&Deadline> {
    let mut v: Vec<&Deadline> = deadlines
        .iter()
        .filter(|d| d.status == Status::Open)
        .collect();
    v.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.title.cmp(&b.title)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Origin;
    use crate::domain::testkit;
    use crate::domain::testkit::utc;

    fn me() -> Me {
        testkit::me(chrono_tz::UTC, "09:00-17:00")
    }
    fn alerts(warn: Duration) -> AlertSettings {
        AlertSettings {
            enabled: true,
            quiet_hours: None,
            warn_slack: warn,
        }
    }
    fn deadline(title: &str, due: DateTime<Utc>, estimate: i64, spent: i64) -> Deadline {
        Deadline {
            origin: Origin::default(),
            id: None,
            client: None,
            title: title.into(),
            due,
            zone: chrono_tz::UTC,
            estimate: Some(Duration::minutes(estimate)),
            spent: Some(Duration::minutes(spent)),
            status: Status::Open,
            done_at: None,
            every: None,
            logged: Default::default(),
        }
    }
    const H: i64 = 60;

    #[test]
    fn labels_symbols_and_order() {
        assert_eq!(Risk::Ok.label(), "ok");
        assert_eq!(Risk::Tight.label(), "tight");
        assert_eq!(Risk::AtRisk.label(), "at risk");
        assert_eq!(Risk::Overdue.label(), "overdue");
        let all = [Risk::Ok, Risk::Tight, Risk::AtRisk, Risk::Overdue];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(a < b);
                assert_ne!(a.symbol(), b.symbol());
            }
        }
        assert_eq!(all.iter().max(), Some(&Risk::Overdue));
    }

    #[test]
    fn boundaries() {
        // Due Wednesday 17:00; now Wednesday 09:00: 8 h of capacity.
        let due = utc(2026, 11, 25, 17, 0);
        let now = utc(2026, 11, 25, 9, 0);
        let a = alerts(Duration::hours(2));
        let m = me();

        let v = assess(&deadline("x", due, 6 * H, 0), &m, &a, now);
        assert_eq!(v.capacity, Duration::hours(8));
        assert_eq!(v.remaining, Duration::hours(6));
        assert_eq!(v.slack, Duration::hours(2));
        assert_eq!(v.until_due, Duration::hours(8));
        assert_eq!(v.latest_start, Some(utc(2026, 11, 25, 11, 0)));
        assert_eq!(v.risk, Risk::Ok, "slack == warn_slack is ok");

        let v = assess(&deadline("x", due, 6 * H + 1, 0), &m, &a, now);
        assert_eq!(v.slack, Duration::minutes(119));
        assert_eq!(v.risk, Risk::Tight);

        let v = assess(&deadline("x", due, 10 * H, 2 * H), &m, &a, now);
        assert_eq!(v.remaining, Duration::hours(8));
        assert_eq!(v.slack, Duration::zero());
        assert_eq!(v.risk, Risk::Tight, "slack exactly 0 is tight, not at risk");
        assert_eq!(v.latest_start, Some(now));

        let v = assess(&deadline("x", due, 8 * H + 1, 0), &m, &a, now);
        assert_eq!(v.slack, Duration::minutes(-1));
        assert_eq!(v.risk, Risk::AtRisk);
        // 1 minute on Tuesday before 17:00.
        assert_eq!(v.latest_start, Some(utc(2026, 11, 24, 16, 59)));

        let v = assess(&deadline("x", due, 0, 0), &m, &a, due);
        assert_eq!(v.risk, Risk::Overdue, "now == due is overdue");
        assert_eq!(v.capacity, Duration::zero());
        assert_eq!(v.until_due, Duration::zero());

        let v = assess(&deadline("x", due, 0, 0), &m, &a, utc(2026, 11, 25, 19, 0));
        assert_eq!(v.risk, Risk::Overdue);
        assert_eq!(v.until_due, Duration::hours(-2));
    }

    #[test]
    fn default_warn_slack_and_overspent() {
        let a = alerts(Duration::days(1));
        let m = me();
        // Monday 09:00 to Friday 17:00: 40 h. 15 h left -> slack 25 h > 24 h.
        let now = utc(2026, 11, 23, 9, 0);
        let due = utc(2026, 11, 27, 17, 0);
        assert_eq!(
            assess(&deadline("x", due, 15 * H, 0), &m, &a, now).risk,
            Risk::Ok
        );
        // 16 h left -> slack exactly 24 h: ok.
        assert_eq!(
            assess(&deadline("x", due, 16 * H, 0), &m, &a, now).risk,
            Risk::Ok
        );
        assert_eq!(
            assess(&deadline("x", due, 17 * H, 0), &m, &a, now).risk,
            Risk::Tight
        );
        // Spent more than estimated: nothing remains.
        let v = assess(&deadline("x", due, 2 * H, 5 * H), &m, &a, now);
        assert_eq!(v.remaining, Duration::zero());
        assert_eq!(v.slack, Duration::hours(40));
        assert_eq!(v.latest_start, Some(due));
        // No estimate: nothing to do, but a due on a weekend night with no hours left is tight.
        let mut d = deadline("x", utc(2026, 11, 28, 12, 0), 0, 0);
        d.estimate = None;
        d.spent = None;
        let v = assess(&d, &m, &a, utc(2026, 11, 27, 18, 0));
        assert_eq!(v.slack, Duration::zero());
        assert_eq!(v.risk, Risk::Tight);
    }

    #[test]
    fn assess_with_a_calendar_is_assess() {
        let now = utc(2026, 11, 25, 9, 0);
        let a = alerts(Duration::hours(2));
        let m = me();
        let dues = [
            utc(2026, 11, 25, 17, 0),
            utc(2026, 11, 25, 9, 0),
            utc(2025, 10, 1, 12, 0),
            utc(2027, 3, 1, 0, 0),
            utc(2040, 1, 1, 0, 0),
        ];
        // A calendar that covers some of the dues' look-backs, and one that covers none.
        let wide = WorkCalendar::new(
            &m,
            utc(2025, 10, 1, 12, 0)
                - Duration::days(crate::domain::capacity::LATEST_START_LOOKBACK_DAYS),
            utc(2027, 3, 1, 0, 0),
        );
        let narrow = WorkCalendar::new(&m, now, now);
        for due in dues {
            for (est, spent) in [(0, 0), (6 * H, 0), (8 * H + 1, 0), (400 * H, 5 * H)] {
                let d = deadline("x", due, est, spent);
                let v = assess(&d, &m, &a, now);
                assert_eq!(assess_with(&wide, &d, &a, now), v);
                assert_eq!(assess_with(&narrow, &d, &a, now), v);
            }
        }
    }

    #[test]
    fn open_sorted() {
        let mut ds = vec![
            deadline("b", utc(2026, 11, 25, 9, 0), 0, 0),
            deadline("a", utc(2026, 11, 25, 9, 0), 0, 0),
            deadline("z", utc(2026, 11, 20, 9, 0), 0, 0),
            deadline("done", utc(2026, 11, 1, 9, 0), 0, 0),
            deadline("dropped", utc(2026, 11, 1, 9, 0), 0, 0),
        ];
        ds[3].status = Status::Done;
        ds[4].status = Status::Dropped;
        let titles: Vec<&str> = open_deadlines_sorted(&ds)
            .iter()
            .map(|d| d.title.as_str())
            .collect();
        assert_eq!(titles, ["z", "a", "b"]);
    }

    #[test]
    fn absurd_dates() {
        let a = alerts(Duration::days(1));
        let m = me();
        let d = deadline("x", utc(9999, 12, 31, 0, 0), 100 * 365 * 24 * H, 0);
        let v = assess(&d, &m, &a, utc(0, 1, 1, 0, 0));
        assert_eq!(v.latest_start, None);
        let d = deadline("x", DateTime::<Utc>::MAX_UTC, 1, 0);
        let _ = assess(&d, &m, &a, DateTime::<Utc>::MIN_UTC);
        let d = deadline("x", DateTime::<Utc>::MIN_UTC, 1, 0);
        assert_eq!(
            assess(&d, &m, &a, DateTime::<Utc>::MAX_UTC).risk,
            Risk::Overdue
        );
    }
}
