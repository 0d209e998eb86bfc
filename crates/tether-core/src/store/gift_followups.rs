//! A gift season's follow-up (issue 18: "a follow-up appears when an occasion's lead time starts
//! and closes when a gift contact is logged"): written by the alert passes (`tether notify`, the
//! dashboard's alert worker), the only writes made without a key press, each journalled so `u`
//! takes it back.
//!
//! Its id comes from the client, the occasion and its deliver-by date alone: two machines (or a
//! pass that runs before the last one's line is reloaded) write the same line, which the merge
//! keeps once, and a line already in the file is never written again. Made-up example clients
//! get none.

use super::files::DataFile;
use super::id_on_disk::file_has_id;
use super::journal::Store;
use super::line_edit::FieldChange;
use crate::domain::gifts::{self, GiftDue, GiftState};
use crate::domain::ids::new_id;
use crate::domain::model::{Model, Status};
use crate::domain::time::local_date;
use crate::domain::when::stamp;
use chrono::{DateTime, Utc};
use std::path::Path;

/// What a pass wrote: lines added and follow-ups closed, as labels.
#[derive(Debug, Default, PartialEq)]
pub struct GiftWrites {
    pub added: Vec<String>,
    pub closed: Vec<String>,
}

/// The follow-up id of one season of one client's occasion.
pub fn gift_id(client: &str, g: &GiftDue) -> String {
    new_id(
        "f",
        DateTime::<Utc>::UNIX_EPOCH,
        &format!("gift\n{client}\n{}\n{}", g.name, g.by),
        "gift",
    )
}

/// Add the follow-up of every season whose lead time has started, and close those a gift
/// contact has answered.
pub fn write_gift_followups(
    dir: &Path,
    model: &Model,
    now: DateTime<Utc>,
) -> Result<GiftWrites, super::error::StoreError> {
    let config = &model.config;
    let store = Store::new(dir);
    let mut out = GiftWrites::default();
    for c in config.clients.iter().filter(|c| !c.example) {
        let today = local_date(c.zone, now);
        for g in gifts::seasons(
            c,
            &gifts::occasions_of(c, &config.gifts),
            &model.interactions,
            today,
        ) {
            let id = gift_id(&c.id, &g);
            let record = model
                .followups
                .iter()
                .find(|f| f.id.as_deref() == Some(&id));
            match (g.state, record) {
                (GiftState::ToOrder, None) => {
                    // Not in the model: maybe written since it was loaded. Look in the file
                    // only now (once a season), not on every pass.
                    if file_has_id(&store.path(DataFile::Followups), &id) {
                        continue;
                    }
                    let what = format!(
                        "Order the {} for {} (deliver {}–{})",
                        g.name,
                        c.name,
                        g.from.format("%-d %b"),
                        g.by.format("%-d %b")
                    );
                    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
                    let line = format!(
                        "{{\"id\":{},\"client\":{},\"what\":{},\"due\":{},\"created\":{}}}",
                        q(&id),
                        q(&c.id),
                        q(&what),
                        q(&g.order_by.format("%Y-%m-%d").to_string()),
                        q(&stamp(now, c.zone))
                    );
                    let label = format!("gift season: {}", crate::domain::text::head(&what, 40));
                    store.append(DataFile::Followups, &line, &label, now)?;
                    out.added.push(what);
                }
                (GiftState::Given(_), Some(f)) if f.status == Status::Open => {
                    let changes = [
                        FieldChange::set("status", "done"),
                        FieldChange::set("done_at", stamp(now, c.zone)),
                    ];
                    let label = format!("gift given: {}", crate::domain::text::head(&f.what, 40));
                    store.rewrite(
                        DataFile::Followups,
                        Some(&id),
                        &f.origin.text,
                        &changes,
                        &label,
                        now,
                    )?;
                    out.closed.push(f.what.to_string());
                }
                _ => {}
            }
        }
    }
    Ok(out)
}
