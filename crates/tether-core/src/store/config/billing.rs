//! A client's `[clients.billing]`, read with diagnostics by line (what it means:
//! `domain::billing`).

use super::retainer::amount;
use super::{Ctx, Table, Value, get};
use crate::domain::billing::{DEFAULT_TERMS_DAYS, parse_invoice_on, parse_terms};
use crate::domain::milestone::parse_currency;
use crate::domain::model::{Billing, InvoiceOn};

const BILLING_KEYS: &[&str] = &["invoice", "starts", "terms", "currency", "amount"];

/// Whether the client table `t` has a `[clients.billing]` that names a currency.
pub(super) fn currency_of(t: &Table<'_>) -> bool {
    get(t, "billing").is_some_and(|b| match b.get_ref() {
        toml::de::DeValue::Table(b) => get(b, "currency").is_some(),
        _ => false,
    })
}

/// `[clients.billing]` of client `id`; None (with an error at its line) when it cannot be read.
pub(super) fn read_billing(cx: &mut Ctx<'_>, v: &Value<'_>, id: &str) -> Option<Billing> {
    let t: &Table<'_> = cx.table(v, "clients.billing")?;
    cx.check_keys(t, "[clients.billing]", BILLING_KEYS);
    let terms_days = match get(t, "terms") {
        Some(v) => cx.parsed(v, "terms", parse_terms)?,
        None => DEFAULT_TERMS_DAYS,
    };
    let currency = get(t, "currency").and_then(|v| cx.parsed(v, "currency", parse_currency));
    let amount = get(t, "amount").and_then(|v| amount(cx, v));
    let starts = get(t, "starts").and_then(|v| cx.date(v, "starts"));
    let invoice = match get(t, "invoice") {
        None => InvoiceOn::Milestone,
        Some(v) => cx.parsed(v, "invoice", |s| parse_invoice_on(s, starts))?,
    };
    if matches!(invoice, InvoiceOn::Every { .. }) && amount.is_none() {
        cx.warn(
            &v.span(),
            format!(
                "client \"{id}\": [clients.billing] invoices on a schedule but has no \
                 amount = 250000 (minor units): its invoices carry only the milestones done"
            ),
        );
    }
    Some(Billing {
        invoice,
        terms_days,
        currency,
        amount,
    })
}

#[cfg(test)]
mod tests {
    use crate::domain::model::InvoiceOn;
    use crate::store::config::parse_config;

    #[test]
    fn billing_is_read_and_mistakes_named_by_line() {
        let text = "[me]\nzone = \"Australia/Brisbane\"\n\
            [[clients]]\nid = \"sakura\"\nzone = \"Asia/Tokyo\"\n\
            [clients.billing]\ninvoice = \"month on 25\"\nstarts = \"2026-12-01\"\nterms = \"net 45\"\ncurrency = \"jpy\"\namount = 450_000\n\
            [[clients]]\nid = \"nortec\"\nzone = \"America/Sao_Paulo\"\n\
            [clients.billing]\nterms = \"30d\"\n\
            [[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\n\
            [clients.billing]\ninvoice = \"month on 25\"\nterms = \"soon\"\n";
        let (c, diags) = parse_config(text);
        let b = c.clients[0].billing.as_ref().expect("sakura's billing");
        assert_eq!(b.terms_days, 45);
        assert_eq!(b.currency.as_deref(), Some("JPY"));
        assert_eq!(b.amount, Some(450_000));
        assert!(
            matches!(b.invoice, InvoiceOn::Every { starts, .. } if starts.to_string() == "2026-12-01")
        );
        let n = c.clients[1].billing.as_ref().expect("nortec's billing");
        assert_eq!((n.terms_days, &n.invoice), (30, &InvoiceOn::Milestone));
        assert!(c.clients[2].billing.is_none(), "bad terms: ignored");
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("tether.toml:22:") && m.contains("\"soon\"")),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_schedule_without_its_first_day_is_named() {
        let text = "[me]\nzone = \"Australia/Brisbane\"\n\
            [[clients]]\nid = \"sakura\"\nzone = \"Asia/Tokyo\"\n\
            [clients.billing]\ninvoice = \"month on 25\"\namount = 1\n";
        let (c, diags) = parse_config(text);
        assert!(c.clients[0].billing.is_none());
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("tether.toml:7:") && m.contains("starts = ")),
            "{msgs:?}"
        );
    }
}
