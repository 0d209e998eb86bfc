//! What is to be sent at an instant, from a model: every record offered to the flood guard's
//! [`Fold`], against what was sent.

use super::fold::{Fold, NAMED};
use super::rules::{Alert, SentEntry};
use super::sent_index::SentIndex;
use crate::domain::model::Model;
use chrono::{DateTime, Utc};

/// The alerts to send now: [`pending_alerts`], or none when alerts are disabled or it is quiet
/// hours (those wait: see [`super::quiet::next_send_time`]).
pub fn due_alerts(model: &Model, sent: &[SentEntry], now: DateTime<Utc>) -> Vec<Alert> {
    let settings = &model.config.alerts;
    if !settings.enabled || super::quiet::is_quiet(settings, &model.config.me, now) {
        return Vec::new();
    }
    pending_alerts(model, sent, now)
}

/// What would be sent now if it were not quiet hours: every item whose level deserves an alert
/// that was not sent yet, with the flood guard applied. Ignores `enabled` and quiet hours.
///
/// Only records that [`super::rules::can_alert`] / [`super::rules::deadline_can_alert`] keep
/// are looked at, so a model loaded without the others gives the same alerts. An item is worded
/// (its row made) only when it is sent on its own or listed by name in a summary; past the
/// first [`NAMED`] of a kind a summary records its items by digest (issue 13).
pub fn pending_alerts(model: &Model, sent: &[SentEntry], now: DateTime<Utc>) -> Vec<Alert> {
    pending_naming(model, sent, now, NAMED)
}

/// [`pending_alerts`] naming at most `named` items of a kind in a summary (tests: a flood
/// without a thousand records); never fewer than the singles and the summary's listed lines
/// need, so what a summary says does not depend on `named`.
pub(crate) fn pending_naming(
    model: &Model,
    sent: &[SentEntry],
    now: DateTime<Utc>,
    named: usize,
) -> Vec<Alert> {
    let index = SentIndex::new(sent);
    let mut fold = Fold::new(&model.config, &index, now, named);
    fold.deadlines(&model.deadlines);
    fold.followups(&model.followups);
    fold.timer(model);
    fold.finish()
}

/// Whether any item of `alerts` is in the record of sent alerts (at its level or, for a
/// deadline, a more severe one; by digest, at its level): alerts worked out earlier must then
/// be worked out again.
pub fn any_sent(alerts: &[Alert], sent: &[SentEntry]) -> bool {
    let index = SentIndex::new(sent);
    alerts.iter().any(|a| {
        a.items
            .iter()
            .any(|i| index.suppressed_by(i.file, &i.key, i.level, &i.fingerprint))
            || a.digests.iter().any(|d| index.has_digest(*d))
    })
}
