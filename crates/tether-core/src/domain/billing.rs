//! The payment schedule (issue 17, contracts): `[clients.billing]` says when an invoice is due
//! to be sent (each milestone once its deadline is done, or on the days of a rule such as
//! "month on 25") and the payment terms ("30d"). Invoices to send and payments to come are
//! follow-ups (`"bill"` on their line), written by the alert passes (`store::invoice_followups`):
//! `x` on one says it is sent, or paid, and the board, the alerts, snooze and undo treat them as
//! the follow-ups they are (docs/decisions.md, "Invoices and payments (issue 17)").

use super::held::Rec;
use super::milestone::{Milestone, deadline_id, format_amount};
use super::model::{
    Bill, BillKind, Billing, Client, Config, Deadline, Followup, InvoiceOn, Model, Status,
};
use super::recur::{On, Recurrence};
use super::time::local_date;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// Payment terms when `[clients.billing]` names none.
pub const DEFAULT_TERMS_DAYS: u32 = 30;

/// "30d", "30 days", "net 30", "0d" (due on receipt): whole days, at most a year and a half.
pub fn parse_terms(s: &str) -> Result<u32, String> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix("net").unwrap_or(&t).trim();
    let digits = t
        .strip_suffix("days")
        .or_else(|| t.strip_suffix("day"))
        .or_else(|| t.strip_suffix('d'))
        .unwrap_or(t)
        .trim();
    match digits.parse::<u32>() {
        Ok(n) if n <= 550 => Ok(n),
        _ => Err(format!(
            "cannot read {s:?}; write the days from invoice to payment, such as \"30d\" or \"net 45\""
        )),
    }
}

/// `invoice = "milestone"` or a rule of the recurring grammar ("month on 25", "month on last",
/// "2 weeks on fri"), which needs `starts` (its first invoice is the first such day on or after).
pub fn parse_invoice_on(s: &str, starts: Option<NaiveDate>) -> Result<InvoiceOn, String> {
    let t = s.trim().to_ascii_lowercase();
    if matches!(t.as_str(), "milestone" | "milestones" | "on milestone") {
        return Ok(InvoiceOn::Milestone);
    }
    let rule = Recurrence::parse(&t).map_err(|e| {
        format!("{e}; or write \"milestone\" (an invoice for each milestone once it is done)")
    })?;
    match starts {
        Some(starts) => Ok(InvoiceOn::Every { rule, starts }),
        None => Err(format!(
            "{s:?} needs starts = \"2026-12-01\" in [clients.billing]: the first invoice is the first such day on or after it"
        )),
    }
}

/// The latest invoice day of `rule` from `starts` that is on or before `today`, and the one
/// before it (None before the first).
pub fn invoice_days(
    rule: &Recurrence,
    starts: NaiveDate,
    today: NaiveDate,
) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let first = match rule.on {
        On::Same => starts,
        _ => rule.next_date(starts.pred_opt()?, None)?,
    };
    if first > today {
        return None;
    }
    let (mut day, mut before) = (first, None);
    // A day rule over decades is the longest walk; 100,000 steps is ~270 years of days.
    for _ in 0..100_000 {
        match rule.next_date(day, None) {
            Some(next) if next <= today => (before, day) = (Some(day), next),
            _ => break,
        }
    }
    Some((day, before))
}

/// An invoice the schedule says should exist now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// What it is for, unique for the client: "milestone\nNAME", "period\nYYYY-MM-DD", or
    /// "period\nYYYY-MM-DD\nCUR" for the milestones of that period in another currency.
    pub key: String,
    /// "Send invoice: Design sign-off · JPY 1,200,000"
    pub what: String,
    /// The day it became due to be sent (the client's calendar).
    pub day: NaiveDate,
    pub amount: Option<i64>,
    pub currency: Option<String>,
}

/// A milestone's deadline when it is done: when (the client's calendar).
fn delivered(m: &Milestone, client: &Client, model: &Model) -> Option<NaiveDate> {
    let id = deadline_id(&client.id, &m.name);
    model
        .deadlines
        .iter()
        .find(|d| d.id.as_deref() == Some(id.as_str()) && d.status == Status::Done)
        .map(|d| local_date(client.zone, d.done_at.unwrap_or(d.due)))
}

/// The invoices `client`'s billing says should exist at `now` (whether written yet or not).
pub fn wanted(client: &Client, model: &Model, now: DateTime<Utc>) -> Vec<Wanted> {
    let Some(b) = &client.billing else {
        return Vec::new();
    };
    let currency_of = |m: &Milestone| m.currency.clone().or_else(|| b.currency.clone());
    match &b.invoice {
        InvoiceOn::Milestone => client
            .milestones
            .iter()
            .filter(|m| m.amount.is_some())
            .filter_map(|m| {
                let day = delivered(m, client, model)?;
                let currency = currency_of(m);
                Some(Wanted {
                    key: format!("milestone\n{}", m.name),
                    what: format!(
                        "Send invoice: {} · {}",
                        super::text::one_line(&m.name),
                        format_amount(m.amount.unwrap_or(0), currency.as_deref())
                    ),
                    day,
                    amount: m.amount,
                    currency,
                })
            })
            .collect(),
        InvoiceOn::Every { rule, starts } => {
            let today = local_date(client.zone, now);
            let Some((day, before)) = invoice_days(rule, *starts, today) else {
                return Vec::new();
            };
            // Milestones done since the invoice day before this one (or ever, for the first)
            // and up to this one go on it.
            let done: Vec<&Milestone> = client
                .milestones
                .iter()
                .filter(|m| m.amount.is_some())
                .filter(|m| {
                    delivered(m, client, model)
                        .is_some_and(|d| d <= day && before.is_none_or(|b| d > b))
                })
                .collect();
            // Amounts in another currency are never added to the fee: each other currency
            // has an invoice of its own on the same day.
            let mut by_currency: Vec<(Option<String>, Vec<&Milestone>)> =
                vec![(b.currency.clone(), Vec::new())];
            for m in done {
                let c = currency_of(m);
                match by_currency.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, ms)) => ms.push(m),
                    None => by_currency.push((c, vec![m])),
                }
            }
            let mut wanted = Vec::new();
            for (n, (currency, ms)) in by_currency.into_iter().enumerate() {
                let fee = if n == 0 { b.amount } else { None };
                if fee.is_none() && ms.is_empty() {
                    continue;
                }
                let amount = fee.unwrap_or(0) + ms.iter().filter_map(|m| m.amount).sum::<i64>();
                let mut parts: Vec<String> = ms
                    .iter()
                    .map(|m| super::text::one_line(&m.name).into_owned())
                    .collect();
                if fee.is_some() {
                    parts.insert(0, format!("{}", day.format("%b %Y")));
                }
                let key = match (n, &currency) {
                    (0, _) => format!("period\n{day}"),
                    (_, c) => format!("period\n{day}\n{}", c.as_deref().unwrap_or_default()),
                };
                wanted.push(Wanted {
                    key,
                    what: format!(
                        "Send invoice: {} · {}",
                        parts.join(" + "),
                        format_amount(amount, currency.as_deref())
                    ),
                    day,
                    amount: Some(amount),
                    currency,
                });
            }
            wanted
        }
    }
}

/// The milestone a deadline is, if it is one (its id is [`deadline_id`](super::milestone::deadline_id) of its client and a
/// milestone of that client's).
pub fn of_deadline<'a>(config: &'a Config, d: &Deadline) -> Option<(&'a Client, &'a Milestone)> {
    let id = d.id.as_deref()?;
    let client = config.client(d.client.as_deref()?)?;
    let m = client
        .milestones
        .iter()
        .find(|m| deadline_id(&client.id, &m.name) == id)?;
    Some((client, m))
}

/// What the deadline detail says of a milestone's money: "JPY 1,200,000 · invoiced once done"
/// (or "on the next invoice" with a periodic schedule, or the amount alone without a billing).
pub fn money_line(client: &Client, m: &Milestone) -> String {
    let currency = m
        .currency
        .as_deref()
        .or(client.billing.as_ref().and_then(|b| b.currency.as_deref()));
    let amount = m.amount.map(|a| format_amount(a, currency));
    let when = match client.billing.as_ref().map(|b| &b.invoice) {
        Some(InvoiceOn::Milestone) if m.amount.is_some() => Some("invoiced once done"),
        Some(InvoiceOn::Every { .. }) if m.amount.is_some() => {
            Some("on the next invoice once done")
        }
        _ => None,
    };
    let mut parts: Vec<String> = vec!["from tether.toml".to_string()];
    parts.extend(amount);
    parts.extend(when.map(str::to_string));
    parts.join(" · ")
}

/// The follow-up id of an invoice to send.
pub fn invoice_id(client: &str, key: &str) -> String {
    super::ids::new_id(
        "f",
        DateTime::<Utc>::UNIX_EPOCH,
        &format!("invoice\n{client}\n{key}"),
        "invoice",
    )
}

/// The follow-up id of the payment of the invoice `invoice_id`.
pub fn payment_id(invoice_id: &str) -> String {
    super::ids::new_id(
        "f",
        DateTime::<Utc>::UNIX_EPOCH,
        &format!("payment\n{invoice_id}"),
        "payment",
    )
}

/// A payment the sent invoices say should be waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub id: String,
    pub client: String,
    /// "Payment: Design sign-off · JPY 1,200,000, invoiced 16 Dec"
    pub what: String,
    /// Due: the day the invoice was sent (the client's calendar) plus the terms.
    pub due: NaiveDate,
    pub amount: Option<i64>,
    pub currency: Option<String>,
}

/// The payments of every invoice follow-up that is done (sent).
pub fn expected_payments(model: &Model) -> Vec<Expected> {
    let mut out = Vec::new();
    for f in &model.followups {
        let (Some(bill), Some(id), Some(client), Status::Done) = (
            f.bill.as_deref(),
            f.id.as_deref(),
            f.client.as_deref(),
            f.status,
        ) else {
            continue;
        };
        if bill.kind != BillKind::Invoice {
            continue;
        }
        let Some(c) = model.config.client(client) else {
            continue;
        };
        let terms = c
            .billing
            .as_ref()
            .map_or(DEFAULT_TERMS_DAYS, |b| b.terms_days);
        let sent = local_date(c.zone, f.done_at.or(f.created).unwrap_or_default());
        let Some(due) = sent.checked_add_days(Days::new(u64::from(terms))) else {
            continue;
        };
        let what = f.what.strip_prefix("Send invoice: ").unwrap_or(&f.what);
        out.push(Expected {
            id: payment_id(id),
            client: client.to_string(),
            what: format!("Payment: {what}, invoiced {}", sent.format("%-d %b")),
            due,
            amount: bill.amount,
            currency: bill.currency.clone(),
        });
    }
    out
}

/// A follow-up's bill, if it is one of `kind`.
pub fn bill_of(f: &Followup, kind: BillKind) -> Option<&Bill> {
    f.bill.as_deref().filter(|b| b.kind == kind)
}

/// Amounts (with their currencies) added up per currency, "JPY 1,650,000 + EUR 2,000.00" (in
/// the order first seen); "" when there is none.
pub fn total<'a>(amounts: impl Iterator<Item = (Option<i64>, Option<&'a str>)>) -> String {
    let mut sums: Vec<(Option<&str>, i64)> = Vec::new();
    for (amount, currency) in amounts {
        let Some(a) = amount else { continue };
        match sums.iter_mut().find(|(c, _)| *c == currency) {
            Some((_, s)) => *s = s.saturating_add(a),
            None => sums.push((currency, a)),
        }
    }
    sums.iter()
        .map(|(c, a)| format_amount(*a, *c))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A bill's amount and currency, for [`total`].
pub fn amount_of(b: &Bill) -> (Option<i64>, Option<&str>) {
    (b.amount, b.currency.as_deref())
}

/// What an alert about a bill follow-up is headed: "Invoice to send", "Payment due" or
/// "Payment overdue"; None for any other follow-up.
pub fn alert_label(f: &Followup, overdue: bool) -> Option<&'static str> {
    Some(match (f.bill.as_deref()?.kind, overdue) {
        (BillKind::Invoice, _) => "Invoice to send",
        (BillKind::Payment, false) => "Payment due",
        (BillKind::Payment, true) => "Payment overdue",
    })
}

/// A bill follow-up's text without the words its kind already says ("Send invoice: ",
/// "Payment: "), for a line headed by [`alert_label`].
pub fn subject(f: &Followup) -> &str {
    ["Send invoice: ", "Payment: "]
        .iter()
        .find_map(|p| f.what.strip_prefix(p))
        .unwrap_or(&f.what)
}

/// The open bill follow-ups: invoices to send, payments overdue (their due day, your calendar,
/// has passed) and payments to come, each list soonest first.
#[derive(Debug, Default)]
pub struct OpenBills<'a> {
    pub to_send: Vec<Rec<'a, Followup>>,
    /// With how many days late.
    pub overdue: Vec<(Rec<'a, Followup>, i64)>,
    pub coming: Vec<Rec<'a, Followup>>,
}

/// The open bill follow-ups of `model` at `now` (see [`OpenBills`]).
pub fn open_bills(model: &Model, now: DateTime<Utc>) -> OpenBills<'_> {
    let me = &model.config.me;
    let today = local_date(me.zone_at(now), now);
    let day_of = |f: &Followup| match f.due {
        Some(super::model::FollowupDue::Day(d)) => Some(d),
        Some(super::model::FollowupDue::At(t)) => Some(local_date(me.zone_at(t), t)),
        None => None,
    };
    let mut out = OpenBills::default();
    for f in model.followups.iter().filter(|f| f.status == Status::Open) {
        let Some(bill) = f.bill.as_deref() else {
            continue;
        };
        match (bill.kind, day_of(&f)) {
            (BillKind::Invoice, _) => out.to_send.push(f),
            (BillKind::Payment, Some(d)) if d < today => {
                out.overdue.push((f, (today - d).num_days()))
            }
            (BillKind::Payment, _) => out.coming.push(f),
        }
    }
    out.to_send.sort_by_key(|f| day_of(f));
    out.overdue.sort_by_key(|(_, late)| -late);
    out.coming.sort_by_key(|f| day_of(f));
    out
}

/// The payment schedule in words, for the client page: "invoice each milestone once done ·
/// paid 30 days after" or "invoice every month on the 25 from Tue 1 Dec 2026, JPY 450,000 ·
/// paid 14 days after".
pub fn describe(b: &Billing) -> String {
    let when = match &b.invoice {
        InvoiceOn::Milestone => "invoice each milestone once done".to_string(),
        InvoiceOn::Every { rule, starts } => {
            let rule = rule.describe();
            let rule = rule.split(';').next().unwrap_or(&rule);
            let amount = b
                .amount
                .map(|a| format!(", {}", format_amount(a, b.currency.as_deref())))
                .unwrap_or_default();
            format!(
                "invoice {rule} from {}{amount}",
                starts.format("%a %-d %b %Y")
            )
        }
    };
    let terms = match b.terms_days {
        0 => "paid on receipt".to_string(),
        1 => "paid 1 day after".to_string(),
        n => format!("paid {n} days after"),
    };
    format!("{when} · {terms}")
}

/// The invoices sent (an invoice follow-up done) and payments received (a payment follow-up
/// done) from `from` up to `to`, each in the order they happened.
#[derive(Debug, Default)]
pub struct Settled<'a> {
    pub sent: Vec<Rec<'a, Followup>>,
    pub paid: Vec<Rec<'a, Followup>>,
}

/// See [`Settled`].
pub fn settled_between(model: &Model, from: DateTime<Utc>, to: DateTime<Utc>) -> Settled<'_> {
    let mut out = Settled::default();
    for f in model.followups.iter().filter(|f| f.status == Status::Done) {
        let (Some(bill), Some(at)) = (f.bill.as_deref(), f.done_at) else {
            continue;
        };
        if at < from || at >= to {
            continue;
        }
        match bill.kind {
            BillKind::Invoice => out.sent.push(f),
            BillKind::Payment => out.paid.push(f),
        }
    }
    out.sent.sort_by_key(|f| f.done_at);
    out.paid.sort_by_key(|f| f.done_at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::date;
    use proptest::prelude::*;

    #[test]
    fn the_schedule_reads_as_a_sentence() {
        let monthly = Billing {
            invoice: parse_invoice_on("month on 25", Some(date(2026, 12, 1))).unwrap(),
            terms_days: 14,
            currency: Some("JPY".to_string()),
            amount: Some(450_000),
        };
        assert_eq!(
            describe(&monthly),
            "invoice every month on the 25 from Tue 1 Dec 2026, JPY 450,000 · paid 14 days after"
        );
        let each = Billing {
            invoice: InvoiceOn::Milestone,
            terms_days: 0,
            currency: None,
            amount: None,
        };
        assert_eq!(
            describe(&each),
            "invoice each milestone once done · paid on receipt"
        );
    }

    #[test]
    fn the_money_line_says_how_the_milestone_is_invoiced() {
        let m = Milestone {
            name: "Design sign-off".to_string(),
            due: "2026-12-15".parse().unwrap(),
            amount: Some(1_200_000),
            currency: None,
            estimate: None,
        };
        let mut c = crate::domain::testkit::client("sakura", chrono_tz::Asia::Tokyo);
        assert_eq!(money_line(&c, &m), "from tether.toml · 1,200,000");
        let billing = |invoice| Billing {
            invoice,
            terms_days: 30,
            currency: Some("JPY".to_string()),
            amount: None,
        };
        c.billing = Some(billing(InvoiceOn::Milestone));
        assert_eq!(
            money_line(&c, &m),
            "from tether.toml · JPY 1,200,000 · invoiced once done"
        );
        c.billing = Some(billing(
            parse_invoice_on("month on 25", Some("2026-12-01".parse().unwrap())).unwrap(),
        ));
        assert_eq!(
            money_line(&c, &m),
            "from tether.toml · JPY 1,200,000 · on the next invoice once done"
        );
    }

    #[test]
    fn terms_are_days_in_the_forms_contracts_write() {
        assert_eq!(parse_terms("30d"), Ok(30));
        assert_eq!(parse_terms(" Net 45 "), Ok(45));
        assert_eq!(parse_terms("14 days"), Ok(14));
        assert_eq!(parse_terms("0d"), Ok(0));
        assert!(parse_terms("soon").unwrap_err().contains("\"30d\""));
        assert!(parse_terms("-3d").is_err());
        assert!(parse_terms("9999d").is_err());
    }

    #[test]
    fn a_schedule_needs_its_first_day_and_milestone_needs_none() {
        assert_eq!(
            parse_invoice_on("Milestone", None),
            Ok(InvoiceOn::Milestone)
        );
        assert!(
            parse_invoice_on("month on 25", None)
                .unwrap_err()
                .contains("needs starts = ")
        );
        assert!(parse_invoice_on("fortnightly", Some(date(2026, 1, 1))).is_err());
    }

    #[test]
    fn month_ends_and_the_first_day_are_kept() {
        let last = Recurrence::parse("month on last").unwrap();
        assert_eq!(
            invoice_days(&last, date(2026, 1, 15), date(2026, 3, 30)),
            Some((date(2026, 2, 28), Some(date(2026, 1, 31))))
        );
        let on25 = Recurrence::parse("month on 25").unwrap();
        assert_eq!(
            invoice_days(&on25, date(2026, 11, 26), date(2026, 12, 24)),
            None
        );
        assert_eq!(
            invoice_days(&on25, date(2026, 11, 25), date(2026, 11, 25)),
            Some((date(2026, 11, 25), None))
        );
    }

    proptest! {
        /// The latest invoice day and the one before agree with a walk over every day from
        /// `starts` that asks whether the rule falls on it.
        #[test]
        fn invoice_days_agree_with_a_day_walk(
            day in 1u32..=31,
            start_off in 0i64..400,
            span in 0i64..500,
        ) {
            let rule = Recurrence::parse(&format!("month on {day}")).unwrap();
            let starts = date(2025, 1, 1) + chrono::Duration::days(start_off);
            let today = starts + chrono::Duration::days(span);
            // A day of the rule: the `day`th, or the month's last when it has fewer days.
            let is_invoice_day = |d: NaiveDate| {
                use chrono::Datelike;
                let last = d.with_day(1).unwrap().checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap();
                d.day() == day.min(last.day())
            };
            let mut walk: Vec<NaiveDate> = Vec::new();
            let mut d = starts;
            while d <= today {
                if is_invoice_day(d) {
                    walk.push(d);
                }
                d = d.succ_opt().unwrap();
            }
            let want = walk.last().map(|l| (*l, walk.len().checked_sub(2).map(|i| walk[i])));
            prop_assert_eq!(invoice_days(&rule, starts, today), want);
        }
    }
}
