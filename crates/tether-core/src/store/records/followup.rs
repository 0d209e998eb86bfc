//! followups.jsonl: its keys, and how one line becomes a [`Followup`] (a date-only due stays a
//! day, in your zone).

use super::fields::{Ctx, Fields, Kind, Mode, Skip, origin};
use super::jsonline::Val;
use super::merge::parse_text;
use crate::domain::milestone::parse_currency;
use crate::domain::model::{Bill, BillKind, Config, Followup, FollowupDue};
use crate::domain::time::{TimeValue, parse_time_value};
use crate::store::diagnostic::Diagnostic;
use crate::store::files::FOLLOWUPS_FILE;
use chrono::NaiveTime;

pub(super) const FOLLOWUP_FIELDS: &[&str] = &[
    "id",
    "client",
    "who",
    "what",
    "due",
    "zone",
    "status",
    "snoozed_until",
    "waiting",
    "created",
    "done_at",
    "every",
    "on_holiday",
    "ics",
    "bill",
    "amount",
    "currency",
];

pub(super) fn followup_slot(k: &str) -> Option<usize> {
    Some(match k {
        "id" => 0,
        "client" => 1,
        "who" => 2,
        "what" => 3,
        "due" => 4,
        "zone" => 5,
        "status" => 6,
        "snoozed_until" => 7,
        "waiting" => 8,
        "created" => 9,
        "done_at" => 10,
        "every" => 11,
        "on_holiday" => 12,
        "ics" => 13,
        "bill" => 14,
        "amount" => 15,
        "currency" => 16,
        _ => return None,
    })
}

/// followups.jsonl.
pub struct Followups;

/// `"bill":"invoice"|"payment"` with its `"amount"` (whole minor units) and `"currency"`.
fn bill(f: &mut Fields<'_, '_, '_>) -> Result<Option<Box<Bill>>, Skip> {
    let Some(kind) = f.opt_str("bill")? else {
        return Ok(None);
    };
    let kind = BillKind::parse(kind).ok_or_else(|| {
        f.err(format!(
            "\"bill\" must be \"invoice\" or \"payment\", not {kind:?}"
        ))
    })?;
    let amount = match f.get("amount") {
        None | Some(Val::Null) => None,
        Some(Val::Number(Some(n))) => Some(*n),
        Some(_) => {
            return Err(f.err(
                "\"amount\" must be a whole number of the currency's minor units (EUR 12.50 is 1250)",
            ));
        }
    };
    let currency = match f.opt_str("currency")? {
        None => None,
        Some(c) => Some(parse_currency(c).map_err(|e| f.err(format!("\"currency\": {e}")))?),
    };
    Ok(Some(Box::new(Bill {
        kind,
        amount,
        currency,
    })))
}

pub fn parse_followups(text: &str, config: &Config) -> (Vec<Followup>, Vec<Diagnostic>) {
    parse_text::<Followups>(text, &Ctx::new(config), Mode::All)
}

impl Kind for Followups {
    type Rec = Followup;
    const FILE: &'static str = FOLLOWUPS_FILE;
    const KNOWN: &'static [&'static str] = FOLLOWUP_FIELDS;
    const HAS_STATUS: bool = true;
    fn slot(k: &str) -> Option<usize> {
        followup_slot(k)
    }
    fn id(r: &Followup) -> Option<&str> {
        r.id.as_deref()
    }
    fn kept(cx: &Ctx<'_>, r: &Followup) -> bool {
        cx.keeps_followup(r)
    }
    fn line(r: &Followup) -> usize {
        r.origin.line
    }
    fn line_mut(r: &mut Followup) -> &mut usize {
        &mut r.origin.line
    }
    fn parse(f: &mut Fields<'_, '_, '_>, text: &str) -> Result<Followup, Skip> {
        let what = compact_str::CompactString::from(f.req_str("what")?);
        let (client, cl) = f.client(false)?.unzip();
        let zone = f.zone(cl)?;
        let due = match f.opt_str("due")? {
            None => None,
            Some(s) => match parse_time_value(s) {
                // Date-only: due during that day in *your* zone (spec), so keep the date.
                Ok(TimeValue::Date(d)) => Some(FollowupDue::Day(d)),
                _ => Some(FollowupDue::At(
                    f.instant("due", s, zone, |d| d.and_time(NaiveTime::MIN))?,
                )),
            },
        };
        let waiting = match f.get("waiting") {
            None | Some(Val::Null) => false,
            Some(Val::Bool(b)) => *b,
            Some(other) => {
                return Err(f.err(format!(
                    "\"waiting\" must be true or false, not {}",
                    other.kind()
                )));
            }
        };
        let id = f.opt_str("id")?;
        let status = f.status()?;
        Ok(Followup {
            origin: origin(f.line, text, id, status),
            id: id.map(compact_str::CompactString::from),
            client,
            who: f.opt_str("who")?.map(compact_str::CompactString::from),
            what,
            due,
            zone,
            status,
            snoozed_until: f.opt_instant("snoozed_until", zone)?,
            waiting,
            created: f.opt_instant("created", zone)?,
            done_at: f.opt_instant("done_at", zone)?,
            every: f.every()?,
            bill: bill(f)?,
        })
    }
}
