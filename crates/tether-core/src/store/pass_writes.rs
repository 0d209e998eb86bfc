//! The lines the alert passes write without a key press, before each pass's alerts: gift
//! seasons' follow-ups (`gift_followups`), invoices to send and payments to come
//! (`invoice_followups`) and milestones' deadlines (`milestone_deadlines`). One entry point,
//! so `tether notify` and the dashboard's alert worker write the same, in the same order, and
//! a next kind is added in one place.

use super::{gift_followups, invoice_followups, milestone_deadlines};
use crate::domain::model::{Config, Deadline, Followup, Model};
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

/// What [`write_due_lines`] reads of the records at `now`, so a caller can load only that
/// (`tether notify` on a file of millions of lines, issue 13): the follow-ups of this
/// season's gifts (by id, to close them once a gift is logged), every bill (an invoice sent
/// is a payment to come; an invoice or payment written is not written again), the milestones'
/// deadlines (to update them; a done one is an invoice to send), and the contact log (a gift
/// logged closes its follow-up: read whole). A record left out
/// that the writes would look for by id is looked for in the file (as one written since the
/// load is), so leaving out more costs time, never a line twice.
#[derive(Debug, Clone, Default)]
pub struct Reads {
    gift_ids: std::collections::HashSet<String>,
    milestone_ids: std::collections::HashSet<String>,
}

impl Reads {
    pub fn new(config: &Config, now: DateTime<Utc>) -> Reads {
        let mut gift_ids = std::collections::HashSet::new();
        let mut milestone_ids = std::collections::HashSet::new();
        for c in config.clients.iter().filter(|c| !c.example) {
            for m in &c.milestones {
                milestone_ids.insert(crate::domain::milestone::deadline_id(&c.id, &m.name));
            }
            let today = crate::domain::time::local_date(c.zone, now);
            let occasions = crate::domain::gifts::occasions_of(c, &config.gifts);
            // A season's id is its client, name and date: the contact log only says whether
            // it was given.
            for g in crate::domain::gifts::seasons(c, &occasions, &[], today) {
                gift_ids.insert(gift_followups::gift_id(&c.id, &g));
            }
        }
        Reads {
            gift_ids,
            milestone_ids,
        }
    }

    pub fn followup(&self, f: &Followup) -> bool {
        f.bill.is_some() || f.id.as_deref().is_some_and(|id| self.gift_ids.contains(id))
    }

    pub fn deadline(&self, d: &Deadline) -> bool {
        d.id.as_deref()
            .is_some_and(|id| self.milestone_ids.contains(id))
    }
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
