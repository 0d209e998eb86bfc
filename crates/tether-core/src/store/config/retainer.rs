//! A client's `[clients.retainer]`, read with diagnostics by line (what it means:
//! `domain::retainer`).

use super::{Ctx, Table, Value, get};
use crate::domain::retainer::{Every, Retainer};

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
}
