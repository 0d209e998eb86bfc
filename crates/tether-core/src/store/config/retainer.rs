//! A client's `[clients.retainer]` and `[[clients.milestones]]`, read with diagnostics by line
//! (what they mean: `domain::retainer`, `domain::milestone`).

use super::{Ctx, Table, Value, get};
use crate::domain::milestone::{Milestone, parse_currency};
use crate::domain::retainer::{Every, Retainer};
use toml::de::DeValue;

const RETAINER_KEYS: &[&str] = &["hours", "every", "starts", "rollover"];

/// `[clients.retainer]` of client `id`; None (with an error at its line) when it cannot be read.
pub(super) fn read_retainer(cx: &mut Ctx<'_>, v: &Value<'_>, id: &str) -> Option<Retainer> {
    let t: &Table<'_> = cx.table(v, "clients.retainer")?;
    cx.check_keys(t, "[clients.retainer]", RETAINER_KEYS);
    let hours = get(t, "hours").and_then(|v| cx.duration(v, "hours"));
    let starts = get(t, "starts").and_then(|v| cx.date(v, "starts"));
    let every = match get(t, "every") {
        Some(v) => cx.parsed(v, "every", Every::parse),
        None => Some(Every::Month),
    };
    let rollover = get(t, "rollover")
        .and_then(|v| cx.boolean(v, "rollover"))
        .unwrap_or(false);
    match (hours, every, starts) {
        (Some(hours), Some(every), Some(starts)) if hours > chrono::Duration::zero() => {
            Some(Retainer {
                hours,
                every,
                starts,
                rollover,
            })
        }
        _ => {
            cx.error(
                &v.span(),
                format!(
                    "client \"{id}\": [clients.retainer] needs hours = \"20h\" (more than 0), \
                     every = \"month\" or \"week\" and starts = \"2026-11-15\" (the first period's \
                     first day); the retainer is ignored"
                ),
            );
            None
        }
    }
}

/// An amount in whole minor units of its currency (`amount = 1_250_000` is EUR 12,500.00);
/// None, with an error at its place, for anything else (no float ever holds money).
pub(super) fn amount(cx: &mut Ctx<'_>, v: &Value<'_>) -> Option<i64> {
    match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => {
            let n = i.as_str().replace('_', "").parse::<i64>().ok();
            if n.is_none() {
                cx.error(&v.span(), "\"amount\": too large");
            }
            n
        }
        _ => {
            cx.error(
                &v.span(),
                "\"amount\" must be a whole number of the currency's minor units (cents: 12500.00 EUR is amount = 1250000)",
            );
            None
        }
    }
}

const MILESTONE_KEYS: &[&str] = &["name", "due", "amount", "currency", "estimate"];

/// Every `[[clients.milestones]]` of client `id`; one without a name or a due day is skipped
/// with an error at its line.
/// `billing_currency`: the client's `[clients.billing]` names a currency (the one an amount
/// without its own is in).
pub(super) fn read_milestones(
    cx: &mut Ctx<'_>,
    v: &Value<'_>,
    id: &str,
    billing_currency: bool,
) -> Vec<Milestone> {
    let mut out = Vec::new();
    for (t, span) in cx.tables(v, "clients.milestones") {
        cx.check_keys(t, "[[clients.milestones]]", MILESTONE_KEYS);
        let name = get(t, "name").and_then(|v| cx.string(v, "name"));
        let due = get(t, "due").and_then(|v| cx.date(v, "due"));
        let (Some(name), Some(due)) = (name.filter(|n| !n.trim().is_empty()), due) else {
            cx.error(
                &span,
                format!(
                    "client \"{id}\": [[clients.milestones]] needs name = \"...\" and due = \"2026-12-15\"; this milestone is skipped"
                ),
            );
            continue;
        };
        // The name is what identifies a milestone's deadline (`milestone::deadline_id`): two of
        // one name would be one deadline pulled between two days.
        if out.iter().any(|m: &Milestone| m.name == name.trim()) {
            cx.error(
                &span,
                format!(
                    "client \"{id}\": a second milestone named {:?}; each needs a name of its own (it names its deadline), so this one is skipped",
                    name.trim()
                ),
            );
            continue;
        }
        let amount = get(t, "amount").and_then(|v| amount(cx, v));
        let currency = get(t, "currency").and_then(|v| cx.parsed(v, "currency", parse_currency));
        let estimate = get(t, "estimate").and_then(|v| cx.duration(v, "estimate"));
        if amount.is_some() && !billing_currency && get(t, "currency").is_none() {
            cx.warn(
                &span,
                format!(
                    "client \"{id}\": milestone {name:?} has an amount but no currency = \"EUR\" (here or in [clients.billing])"
                ),
            );
        }
        out.push(Milestone {
            name: name.trim().to_string(),
            due,
            amount,
            currency,
            estimate,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::domain::retainer::Every;
    use crate::store::config::parse_config;

    #[test]
    fn a_retainer_is_read_and_mistakes_named_by_line() {
        let text = "[me]\nzone = \"Australia/Brisbane\"\n\
            [[clients]]\nid = \"sakura\"\nzone = \"Asia/Tokyo\"\n\
            [clients.retainer]\nhours = \"20h\"\nevery = \"week\"\nstarts = \"2026-11-15\"\nrollover = true\n\
            [[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\n\
            [clients.retainer]\nhours = \"lots\"\nstarts = \"2026-11-15\"\nrolover = true\n";
        let (c, diags) = parse_config(text);
        let said: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        let r = c.clients[0].retainer.as_ref().expect("sakura's retainer");
        assert_eq!(r.hours, chrono::Duration::hours(20));
        assert_eq!(r.every, Every::Week);
        assert_eq!(r.starts.to_string(), "2026-11-15");
        assert!(r.rollover);
        assert!(c.clients[1].retainer.is_none());
        assert!(
            diags
                .iter()
                .any(|d| d.line == 15 && d.message.contains("\"hours\"")),
            "{said:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.line == 17 && d.message.contains("did you mean \"rollover\"")),
            "{said:?}"
        );
        assert!(
            diags.iter().any(|d| d
                .message
                .contains("client \"brandt\": [clients.retainer] needs")),
            "{said:?}"
        );
    }

    #[test]
    fn a_second_milestone_of_one_name_is_skipped_at_its_line() {
        let text = "[me]\nzone = \"Australia/Brisbane\"\n\
            [[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n\
            [[clients.milestones]]\nname = \"Launch\"\ndue = \"2026-12-15\"\n\
            [[clients.milestones]]\nname = \" Launch \"\ndue = \"2026-12-18\"\n\
            [[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\n\
            [[clients.milestones]]\nname = \"Launch\"\ndue = \"2026-12-20\"\n";
        let (c, diags) = parse_config(text);
        let said: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        assert_eq!(c.clients[0].milestones.len(), 1);
        assert_eq!(c.clients[0].milestones[0].due.to_string(), "2026-12-15");
        assert_eq!(c.clients[1].milestones.len(), 1, "{said:?}");
        assert_eq!(
            said,
            [
                "9: client \"kanda\": a second milestone named \"Launch\"; each needs a name of its own (it names its deadline), so this one is skipped"
            ]
        );
    }

    #[test]
    fn milestones_are_read_and_mistakes_named_by_line() {
        let text = "[me]\nzone = \"Australia/Brisbane\"\n\
            [[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n\
            [[clients.milestones]]\nname = \"Design sign-off\"\ndue = \"2026-12-15\"\namount = 1_200_000\ncurrency = \"jpy\"\n\
            [[clients.milestones]]\nname = \"Launch\"\n\
            [[clients.milestones]]\nname = \"Report\"\ndue = 2027-01-15\namount = 12.5\ncurrency = \"euro\"\nestimate = \"soon\"\n\
            [[clients.milestones]]\nname = \"Handover\"\ndue = \"2027-02-01\"\nestimate = \"1h30m\"\n";
        let (c, diags) = parse_config(text);
        let said: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        let m = &c.clients[0].milestones;
        assert_eq!(m.len(), 3, "{said:?}");
        assert_eq!(
            (
                m[0].name.as_str(),
                m[0].due.to_string(),
                m[0].amount,
                m[0].currency.as_deref()
            ),
            (
                "Design sign-off",
                "2026-12-15".to_string(),
                Some(1_200_000),
                Some("JPY")
            )
        );
        assert_eq!(
            (m[1].amount, m[1].currency.as_deref(), m[1].estimate),
            (None, None, None)
        );
        assert_eq!(m[0].estimate, None);
        assert_eq!(m[2].estimate, Some(chrono::Duration::minutes(90)));
        assert!(
            diags
                .iter()
                .any(|d| (11..=12).contains(&d.line) && d.message.contains("needs name")),
            "{said:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.line == 16 && d.message.contains("minor units")),
            "{said:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.line == 17 && d.message.contains("ISO 4217")),
            "{said:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.line == 18 && d.message.contains("\"estimate\"")),
            "{said:?}"
        );
    }
}
