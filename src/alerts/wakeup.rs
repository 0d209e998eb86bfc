//! The next instant at which any alert level can change, so a watcher can sleep until then.
//! Pure.
//!
//! A deadline's slack, `capacity(t, due) − remaining`, only shrinks as `t` grows, and it shrinks
//! exactly where your working time is consumed. The last instant at which slack is still at least
//! `warn_slack` is `latest_start(due, remaining + warn_slack)`: one second later it is `tight`.
//! Likewise `latest_start(due, remaining)` for `at risk`, and `due` itself for `overdue`.

use super::quiet::{is_quiet, next_send_time};
use super::rules::{Alerting, arrival};
use crate::domain::board::calendar_for;
use crate::domain::capacity::WorkCalendar;
use crate::domain::model::{AlertSettings, Deadline, Followup, Me, Model, Status};
use chrono::{DateTime, Duration, Utc};

/// The next instant strictly after `now` at which a deadline turns tight, at risk or overdue, a
/// follow-up becomes due, a snooze ends, or quiet hours end (when it is quiet now) — moved to the
/// end of quiet hours when it falls inside them. None when alerts are disabled or nothing can
/// change.
pub fn next_wakeup(model: &Model, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    next_wakeup_besides(model, None, now)
}

/// [`next_wakeup`] with `more`, the earliest [`followup_wake`] or [`deadline_wake`] of records
/// that are not in the model (`tether notify` folds them as they are read: `super::stream`).
pub(super) fn next_wakeup_besides(
    model: &Model,
    more: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let settings = &model.config.alerts;
    if !settings.enabled {
        return None;
    }
    let me = &model.config.me;
    let alerting = Alerting::new(&model.config);
    let mut best: Option<DateTime<Utc>> = None;
    let mut consider = |t: DateTime<Utc>| {
        if t > now && best.is_none_or(|b| t < b) {
            best = Some(t);
        }
    };
    // One working-time calendar for every latest start (the same answers as
    // `capacity::latest_start`, without a walk over the days per deadline).
    let open = || {
        model
            .deadlines
            .iter()
            .filter(|d| d.status == Status::Open && now < d.due && alerting.about(&d.client))
    };
    let calendar = calendar_for(me, open().map(|d| d.due), now);
    for t in open().filter_map(|d| deadline_wake(&calendar, &d, settings, &alerting, now)) {
        consider(t);
    }
    for t in model
        .followups
        .iter()
        .filter_map(|f| followup_wake(&f, me, &alerting, now))
        .chain(more)
    {
        consider(t);
    }
    // The running timer alerts the moment it passes its cap.
    if let Some(start) =
        crate::domain::timelog::running(&model.timelog).and_then(|e| e.running_since())
        && let Some(t) =
            crate::domain::timelog::cap(me, start).checked_add_signed(Duration::seconds(1))
    {
        consider(t);
    }
    if is_quiet(settings, me, now)
        && let Some(end) = next_send_time(settings, me, now)
    {
        consider(end);
    }
    let t = best?;
    // Nothing can be sent during quiet hours: wake when they end instead.
    next_send_time(settings, me, t)
}

/// The next instant strictly after `now` at which an open follow-up's level can change: its
/// snooze ends or its due (chase date) arrives.
pub(super) fn followup_wake(
    f: &Followup,
    me: &Me,
    alerting: &Alerting,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if f.status != Status::Open || !alerting.about(&f.client) {
        return None;
    }
    [f.snoozed_until, arrival(f, me)]
        .into_iter()
        .flatten()
        .filter(|t| *t > now)
        .min()
}

/// The next instant strictly after `now` at which an open deadline's level can change: it
/// turns tight, at risk or overdue. `calendar` is any that reaches its due (its answers do not
/// depend on its span).
pub(super) fn deadline_wake(
    calendar: &WorkCalendar,
    d: &Deadline,
    settings: &AlertSettings,
    alerting: &Alerting,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if d.status != Status::Open || now >= d.due || !alerting.about(&d.client) {
        return None;
    }
    let remaining = d.remaining(now);
    let tight_need = remaining
        .checked_add(&settings.warn_slack)
        .unwrap_or(remaining);
    [tight_need, remaining]
        .into_iter()
        .filter_map(|need| {
            let t = calendar
                .latest_start(d.due, need)?
                .checked_add_signed(Duration::seconds(1))?;
            (t < d.due).then_some(t)
        })
        .chain([d.due])
        .filter(|t| *t > now)
        .min()
}
