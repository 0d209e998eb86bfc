//! interactions.jsonl, the contact log: its keys, and how one line becomes an
//! [`Interaction`] (client, kind and who shared, the note checked but not kept).

use super::fields::{Ctx, Fields, Kind, Mode, Skip};
use super::merge::parse_text;
use crate::domain::model::{Config, Interaction};
use crate::store::diagnostic::Diagnostic;
use crate::store::files::INTERACTIONS_FILE;
use chrono::NaiveTime;
use std::sync::Arc;

pub(super) const INTERACTION_FIELDS: &[&str] = &["at", "client", "kind", "who", "note", "zone"];

pub(super) fn interaction_slot(k: &str) -> Option<usize> {
    Some(match k {
        "at" => 0,
        "client" => 1,
        "kind" => 2,
        "who" => 3,
        "note" => 4,
        "zone" => 5,
        _ => return None,
    })
}

/// interactions.jsonl (the contact log).
pub struct Interactions;

pub fn parse_interactions(text: &str, config: &Config) -> (Vec<Interaction>, Vec<Diagnostic>) {
    parse_text::<Interactions>(text, &Ctx::new(config), Mode::All)
}

impl Kind for Interactions {
    type Rec = Interaction;
    const FILE: &'static str = INTERACTIONS_FILE;
    const KNOWN: &'static [&'static str] = INTERACTION_FIELDS;
    const HAS_STATUS: bool = false;
    fn slot(k: &str) -> Option<usize> {
        interaction_slot(k)
    }
    fn id(_: &Interaction) -> Option<&str> {
        None
    }
    fn line(r: &Interaction) -> usize {
        r.line
    }
    fn line_mut(r: &mut Interaction) -> &mut usize {
        &mut r.line
    }
    fn parse(f: &mut Fields<'_, '_, '_>, _text: &str) -> Result<Interaction, Skip> {
        let (client, cl) = f.client(true)?.unzip();
        // Required: a line without one was skipped above.
        let client = client.unwrap_or_else(|| Arc::from(""));
        let kind = f.cx.kind(f.req_str("kind")?);
        let zone = f.zone(cl)?;
        let at_s = f.req_str("at")?;
        // A date-only contact counts from the start of that day, so one logged "today"
        // warms the client at once.
        let at = f.instant("at", at_s, zone, |d| d.and_time(NaiveTime::MIN))?;
        let who = f.opt_str("who")?.and_then(|w| f.cx.name(w));
        // Checked (a number where a name belongs is a mistake to report), not kept.
        f.opt_str("note")?;
        Ok(Interaction {
            line: f.line,
            at,
            client,
            kind,
            who,
        })
    }
}
