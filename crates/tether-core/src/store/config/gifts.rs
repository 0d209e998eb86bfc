//! `[[gifts]]` (occasions you add) and a client's `gift_area`, read with diagnostics by line
//! (what they mean: `domain::gifts`).

use super::{Ctx, Table, Value, get};
use crate::domain::gifts::{DEFAULT_LEAD_DAYS, GiftArea, Occasion};
use crate::domain::model::Config;

const GIFT_KEYS: &[&str] = &["name", "from", "by", "lead", "clients", "countries"];

pub(super) fn gift_area(cx: &mut Ctx<'_>, v: &Value<'_>) -> GiftArea {
    cx.parsed(v, "gift_area", GiftArea::parse)
        .unwrap_or_default()
}

/// Every `[[gifts]]`; one that cannot be read is skipped with an error at its line.
pub(super) fn read_gifts(cx: &mut Ctx<'_>, v: &Value<'_>, config: &mut Config) {
    for (t, span) in cx.tables(v, "gifts") {
        if let Some(o) = read_occasion(cx, t, span, config) {
            config.gifts.push(o);
        }
    }
}

fn read_occasion(
    cx: &mut Ctx<'_>,
    t: &Table<'_>,
    span: std::ops::Range<usize>,
    config: &Config,
) -> Option<Occasion> {
    cx.check_keys(t, "[[gifts]]", GIFT_KEYS);
    let name = get(t, "name").and_then(|v| cx.string(v, "name"));
    let by = get(t, "by").and_then(|v| cx.parsed(v, "by", month_day));
    let (Some(name), Some(by)) = (name.filter(|n| !n.trim().is_empty()), by) else {
        cx.error(
            &span,
            "[[gifts]] needs name = \"...\" and by = \"MM-DD\" (the day to deliver by); this occasion is skipped",
        );
        return None;
    };
    let lead_days = match get(t, "lead").and_then(|v| cx.duration(v, "lead")) {
        Some(d) if d.num_days() >= 0 && d.num_days() <= 120 => d.num_days() as u32,
        Some(_) => {
            if let Some(v) = get(t, "lead") {
                cx.error(&v.span(), "\"lead\": between 0d and 120d, as \"14d\"");
            }
            DEFAULT_LEAD_DAYS
        }
        None => DEFAULT_LEAD_DAYS,
    };
    // Without a start, the season is the two weeks up to `by`.
    let from = get(t, "from")
        .and_then(|v| cx.parsed(v, "from", month_day))
        .unwrap_or_else(|| two_weeks_before(by));
    let list = |cx: &mut Ctx<'_>, key: &str| -> Vec<String> {
        get(t, key)
            .and_then(|v| cx.array(v, key))
            .map(|items| items.iter().filter_map(|i| cx.string(i, key)).collect())
            .unwrap_or_default()
    };
    let clients = list(cx, "clients");
    if let Some(v) = get(t, "clients") {
        for id in &clients {
            if config.client(id).is_none() {
                cx.warn(
                    &v.span(),
                    format!("[[gifts]] {name:?}: no client \"{id}\" in this file"),
                );
            }
        }
    }
    let countries: Vec<String> = list(cx, "countries")
        .into_iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    Some(Occasion {
        name: name.trim().to_string(),
        from,
        by,
        lead_days,
        clients,
        countries,
    })
}

/// "12-20" (month and day; 02-29 is read as a day of leap years only).
fn month_day(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("cannot read {s:?}; write the month and day as \"12-20\"");
    let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
    let (m, d) = (
        m.parse::<u32>().map_err(|_| bad())?,
        d.parse::<u32>().map_err(|_| bad())?,
    );
    chrono::NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

fn two_weeks_before((m, d): (u32, u32)) -> (u32, u32) {
    use chrono::Datelike;
    let day = chrono::NaiveDate::from_ymd_opt(2023, m, d.min(28)).unwrap_or_default()
        - chrono::Days::new(14);
    (day.month(), day.day())
}

#[cfg(test)]
mod tests {
    use crate::domain::gifts::GiftArea;
    use crate::store::config::parse_config;

    #[test]
    fn occasions_and_areas_are_read_and_mistakes_named_by_line() {
        let text = "[me]\nzone = \"Australia/Brisbane\"\n\
            [[clients]]\nid = \"sakura\"\nzone = \"Asia/Tokyo\"\ncountry = \"JP\"\ngift_area = \"kansai\"\n\
            [[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\ngift_area = \"osaka\"\n\
            [[gifts]]\nname = \"Christmas card\"\nby = \"12-18\"\nlead = \"14d\"\ncountries = [\"de\"]\n\
            [[gifts]]\nname = \"Diwali sweets\"\nby = \"11-32\"\n\
            [[gifts]]\nname = \"Thank-you\"\nby = \"03-31\"\nclients = [\"nobody\"]\n";
        let (c, diags) = parse_config(text);
        let said: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        assert_eq!(c.clients[0].gift_area, GiftArea::Kansai);
        assert!(
            diags
                .iter()
                .any(|d| d.line == 11 && d.message.contains("\"kanto\"")),
            "{said:?}"
        );
        assert_eq!(c.gifts.len(), 2, "{said:?}");
        assert_eq!(c.gifts[0].countries, ["DE"]);
        assert_eq!(
            (c.gifts[0].from, c.gifts[0].by, c.gifts[0].lead_days),
            ((12, 4), (12, 18), 14)
        );
        assert!(
            diags
                .iter()
                .any(|d| d.line == 19 && d.message.contains("12-20")),
            "{said:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.message.contains("no client \"nobody\"")),
            "{said:?}"
        );
    }
}
