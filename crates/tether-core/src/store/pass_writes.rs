//! The lines the alert passes write without a key press, before each pass's alerts: gift
//! seasons' follow-ups (`gift_followups`), invoices to send and payments to come
//! (`invoice_followups`) and milestones' deadlines (`milestone_deadlines`). One entry point,
//! so `tether notify` and the dashboard's alert worker write the same, in the same order, and
//! a next kind is added in one place.

use super::{gift_followups, invoice_followups, milestone_deadlines};
use crate::domain::model::Model;
use crate::domain::text::one_line;
use chrono::{DateTime, Utc};
use std::path::Path;

/// What one round wrote, as lines to say, and what it could not write.
#[derive(Debug, Default, PartialEq)]
pub struct PassWrites {
    /// "follow-up added: …", "deadline added (milestone): …", one per line written or changed.
    pub said: Vec<String>,
    /// "gift follow-ups not written: …", one per kind that failed.
    pub failed: Vec<String>,
}

/// Write every line due at `now` (see the module).
pub fn write_due_lines(dir: &Path, model: &Model, now: DateTime<Utc>) -> PassWrites {
    let mut out = PassWrites::default();
    match gift_followups::write_gift_followups(dir, model, now) {
        Ok(w) => {
            out.said.extend(
                w.added
                    .iter()
                    .map(|a| format!("follow-up added: {}", one_line(a))),
            );
            out.said.extend(
                w.closed
                    .iter()
                    .map(|c| format!("follow-up done (gift logged): {}", one_line(c))),
            );
        }
        Err(e) => out.failed.push(format!("gift follow-ups not written: {e}")),
    }
    match invoice_followups::write_invoice_followups(dir, model, now) {
        Ok(w) => out.said.extend(
            w.invoices
                .iter()
                .chain(&w.payments)
                .map(|a| format!("follow-up added: {}", one_line(a))),
        ),
        Err(e) => out
            .failed
            .push(format!("invoice follow-ups not written: {e}")),
    }
    match milestone_deadlines::write_milestone_deadlines(dir, model, now) {
        Ok(w) => {
            out.said.extend(
                w.added
                    .iter()
                    .map(|a| format!("deadline added (milestone): {a}")),
            );
            out.said.extend(
                w.updated
                    .iter()
                    .map(|u| format!("deadline updated from tether.toml (milestone): {u}")),
            );
        }
        Err(e) => out
            .failed
            .push(format!("milestone deadlines not written: {e}")),
    }
    out
}
