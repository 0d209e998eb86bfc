//! Invoices to send and payments to come (issue 17): follow-ups written by the alert passes
//! (`tether notify`, the dashboard's alert worker) as gift seasons' are
//! (`store::gift_followups`), each journalled so `u` takes it back. What is due comes from
//! `domain::billing`; this module only writes the lines that are missing.
//!
//! Ids come from the client and what the invoice is for (a milestone's name, an invoice day), a
//! payment's from its invoice's: two machines write one line, which the merge keeps once, and a
//! line already in the file is never written again, so an invoice `x`-ed as sent (or dropped)
//! is never asked for again. Made-up example clients get none.

use super::files::DataFile;
use super::id_on_disk::file_has_id;
use super::journal::Store;
use crate::domain::billing::{self, invoice_id};
use crate::domain::model::{Bill, BillKind, Model};
use crate::domain::when::stamp;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

/// What a pass wrote, as the follow-ups' texts.
#[derive(Debug, Default, PartialEq)]
pub struct BillWrites {
    pub invoices: Vec<String>,
    pub payments: Vec<String>,
}

/// One bill follow-up line as tether writes it (keys in the order docs/data-format.md lists).
fn line(id: &str, client: &str, what: &str, due: NaiveDate, bill: &Bill, created: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut l = format!(
        "{{\"id\":{},\"client\":{},\"what\":{},\"due\":{},\"bill\":{}",
        q(id),
        q(client),
        q(what),
        q(&due.format("%Y-%m-%d").to_string()),
        q(bill.kind.as_str()),
    );
    if let Some(a) = bill.amount {
        l.push_str(&format!(",\"amount\":{a}"));
    }
    if let Some(c) = &bill.currency {
        l.push_str(&format!(",\"currency\":{}", q(c)));
    }
    l.push_str(&format!(",\"created\":{}}}", q(created)));
    l
}

/// Add the follow-up of every invoice the billing says is due to be sent and of every payment
/// a sent invoice is waiting for.
pub fn write_invoice_followups(
    dir: &Path,
    model: &Model,
    now: DateTime<Utc>,
) -> Result<BillWrites, super::error::StoreError> {
    let store = Store::new(dir);
    let mut out = BillWrites::default();
    // Known: in the model, or (looked for only when it seems missing) in the file.
    let known = |id: &str| {
        model.followups.iter().any(|f| f.id.as_deref() == Some(id))
            || file_has_id(&store.path(DataFile::Followups), id)
    };
    let mut writes: Vec<(String, String)> = Vec::new();
    // An invoice is due the day it became due on the client's calendar, but never before your
    // today (a follow-up's day is yours): written late in your day, or after it, it is to send
    // today, not already overdue.
    let me = &model.config.me;
    let today = crate::domain::time::local_date(me.zone_at(now), now);
    let label = |kind: &str, what: &str| format!("{kind}: {}", crate::domain::text::head(what, 40));
    for c in model.config.clients.iter().filter(|c| !c.example) {
        for w in billing::wanted(c, model, now) {
            let id = invoice_id(&c.id, &w.key);
            if known(&id) {
                continue;
            }
            let bill = Bill {
                kind: BillKind::Invoice,
                amount: w.amount,
                currency: w.currency.clone(),
            };
            writes.push((
                line(
                    &id,
                    &c.id,
                    &w.what,
                    w.day.max(today),
                    &bill,
                    &stamp(now, c.zone),
                ),
                label("invoice to send", &w.what),
            ));
            out.invoices.push(w.what);
        }
    }
    for p in billing::expected_payments(model) {
        let Some(c) = model.config.client(&p.client).filter(|c| !c.example) else {
            continue;
        };
        if known(&p.id) {
            continue;
        }
        let bill = Bill {
            kind: BillKind::Payment,
            amount: p.amount,
            currency: p.currency.clone(),
        };
        writes.push((
            line(&p.id, &c.id, &p.what, p.due, &bill, &stamp(now, c.zone)),
            label("payment to come", &p.what),
        ));
        out.payments.push(p.what);
    }
    for (l, label) in writes {
        store.append(DataFile::Followups, &l, &label, now)?;
    }
    Ok(out)
}
