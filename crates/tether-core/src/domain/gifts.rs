//! Gifts in season: the occasions a client's country keeps (Japan's ochūgen and oseibo, with
//! Kantō's and Kansai's dates) and those you add in tether.toml (`[[gifts]]`), each with the
//! date to deliver by and the lead time to order, and whether a `gift` contact was logged for it.
//!
//! Built-in dates and their sources (docs/decisions.md, "Gifts in season"):
//! - Ochūgen (お中元), summer: Kantō early July to 15 July; Kansai and the west mid-July to
//!   15 August (Japanese department stores' gift guides, e.g. Takashimaya's and Mitsukoshi's
//!   お中元マナー pages; Wikipedia ja 「中元」).
//! - Oseibo (お歳暮), year end: from early December (Kansai from 13 December, the old start of
//!   New Year preparations), best delivered by 20 December everywhere (the same guides;
//!   Wikipedia ja 「歳暮」).

use super::model::{Client, Interaction};
pub use super::model::{GiftArea, Occasion};
use chrono::{Datelike, Days, NaiveDate};

/// Days to order ahead when nothing is said: time to choose and ship.
pub const DEFAULT_LEAD_DAYS: u32 = 10;

/// The occasions tether knows for a client of `country` in `area`.
pub fn built_in(country: Option<&str>, area: GiftArea) -> Vec<Occasion> {
    if country != Some("JP") {
        return Vec::new();
    }
    let (summer_from, summer_by, winter_from) = match area {
        GiftArea::Kanto => ((7, 1), (7, 15), (12, 1)),
        GiftArea::Kansai => ((7, 15), (8, 15), (12, 13)),
    };
    let occasion = |name: &str, from, by| Occasion {
        name: name.to_string(),
        from,
        by,
        lead_days: DEFAULT_LEAD_DAYS,
        clients: Vec::new(),
        countries: vec!["JP".into()],
    };
    vec![
        occasion("ochūgen (summer gift)", summer_from, summer_by),
        occasion("oseibo (year-end gift)", winter_from, (12, 20)),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiftState {
    /// Its order-by date is still more than the lead time away.
    Ahead,
    /// The lead time has started and no gift is logged for it yet.
    ToOrder,
    /// A gift contact was logged on this date, in its season.
    Given(NaiveDate),
    /// Its deliver-by date passed with no gift logged.
    Missed,
}

/// One occasion of one client in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct GiftDue {
    pub client: String,
    pub name: String,
    /// From when a gift is proper, and the date to deliver by.
    pub from: NaiveDate,
    pub by: NaiveDate,
    /// Order by this date (`by` less the lead time); the lead time starts `lead` before it.
    pub order_by: NaiveDate,
    pub lead_starts: NaiveDate,
    pub state: GiftState,
}

/// The occasions of `client` whose season is current or next (this year's until its deliver-by
/// date has passed by a month, then next year's), with what was logged. `today` is the
/// client's date.
pub fn seasons(
    client: &Client,
    occasions: &[Occasion],
    interactions: &[Interaction],
    today: NaiveDate,
) -> Vec<GiftDue> {
    let mut out: Vec<GiftDue> = occasions
        .iter()
        .filter(|o| applies(o, client))
        .filter_map(|o| {
            let year = today.year();
            let this = due_in(o, year)?;
            let (from, by) = if today > this.1 + Days::new(30) {
                due_in(o, year + 1)?
            } else {
                this
            };
            let order_by = by - Days::new(u64::from(o.lead_days));
            let lead_starts = from.min(order_by) - Days::new(u64::from(o.lead_days));
            let given = interactions
                .iter()
                .filter(|i| *i.client == *client.id && i.kind.eq_ignore_ascii_case("gift"))
                .map(|i| i.at.with_timezone(&client.zone).date_naive())
                .filter(|d| *d >= lead_starts && *d <= by + Days::new(30))
                .max();
            let state = match given {
                Some(d) => GiftState::Given(d),
                None if today > by => GiftState::Missed,
                None if today >= lead_starts => GiftState::ToOrder,
                None => GiftState::Ahead,
            };
            Some(GiftDue {
                client: client.id.clone(),
                name: o.name.clone(),
                from,
                by,
                order_by,
                lead_starts,
                state,
            })
        })
        .collect();
    out.sort_by_key(|g| g.by);
    out
}

fn applies(o: &Occasion, client: &Client) -> bool {
    if !o.clients.is_empty() {
        return o.clients.contains(&client.id);
    }
    if o.countries.is_empty() {
        return true;
    }
    let country = client.days_off.public.as_ref().map(|p| p.country());
    o.countries.iter().any(|c| Some(c.as_str()) == country)
}

/// The season of `o` in `year`: its from and by dates (a from after by starts the year before).
fn due_in(o: &Occasion, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let by = NaiveDate::from_ymd_opt(year, o.by.0, o.by.1)?;
    let mut from = NaiveDate::from_ymd_opt(year, o.from.0, o.from.1)?;
    if from > by {
        from = NaiveDate::from_ymd_opt(year - 1, o.from.0, o.from.1)?;
    }
    Some((from, by))
}

/// The occasions of `client`: the built-in ones of its country and area, then yours.
pub fn occasions_of(client: &Client, yours: &[Occasion]) -> Vec<Occasion> {
    let country = client.days_off.public.as_ref().map(|p| p.country());
    let mut all = built_in(country, client.gift_area);
    all.extend(yours.iter().cloned());
    all
}

/// "oseibo (year-end gift): order by Thu 10 Dec, deliver 13–20 Dec" and its state in words.
pub fn describe(g: &GiftDue, today: NaiveDate) -> String {
    let d = |x: NaiveDate| x.format("%a %d %b").to_string();
    let state = match g.state {
        GiftState::Ahead => format!("order from {}", d(g.lead_starts)),
        GiftState::ToOrder if today > g.order_by => "order now: past the order-by date".to_string(),
        GiftState::ToOrder => format!("to order by {}", d(g.order_by)),
        GiftState::Given(on) => format!("given {}", d(on)),
        GiftState::Missed => "missed".to_string(),
    };
    format!(
        "{}: deliver {}–{} · {state}",
        g.name,
        g.from.format("%d %b"),
        g.by.format("%d %b %Y")
    )
}

/// Whether a gift should be ordered now (for a flag): the lead time started, none given.
pub fn to_order(g: &GiftDue) -> bool {
    g.state == GiftState::ToOrder
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holidays::PublicHolidays;
    use crate::domain::testkit::{client, date};
    use chrono::TimeZone;
    use std::sync::Arc;

    fn jp(area: GiftArea) -> Client {
        let mut c = client("kanda", chrono_tz::Asia::Tokyo);
        c.days_off.public = Some(PublicHolidays::resolve("JP", None).unwrap());
        c.gift_area = area;
        c
    }

    fn gift(at: NaiveDate) -> Interaction {
        Interaction {
            line: 1,
            at: chrono_tz::Asia::Tokyo
                .from_local_datetime(&at.and_hms_opt(10, 0, 0).unwrap())
                .unwrap()
                .to_utc(),
            client: Arc::from("kanda"),
            kind: Arc::from("gift"),
            who: None,
        }
    }

    /// Issue 18: "Japan: ochūgen — Kantō early to 15 July, Kansai to 15 August — and oseibo,
    /// best by 20 December".
    #[test]
    fn a_kanto_and_a_kansai_client_keep_summer_on_different_dates() {
        let today = date(2027, 6, 20);
        let kanto = seasons(
            &jp(GiftArea::Kanto),
            &occasions_of(&jp(GiftArea::Kanto), &[]),
            &[],
            today,
        );
        let kansai = seasons(
            &jp(GiftArea::Kansai),
            &occasions_of(&jp(GiftArea::Kansai), &[]),
            &[],
            today,
        );
        let summer = |v: &[GiftDue]| {
            v.iter()
                .find(|g| g.name.starts_with("ochūgen"))
                .cloned()
                .unwrap()
        };
        let (k, s) = (summer(&kanto), summer(&kansai));
        assert_eq!(
            (k.from, k.by, k.order_by),
            (date(2027, 7, 1), date(2027, 7, 15), date(2027, 7, 5))
        );
        assert_eq!(
            (s.from, s.by, s.order_by),
            (date(2027, 7, 15), date(2027, 8, 15), date(2027, 8, 5))
        );
        // The lead time has started for Kantō (from 21 June: ten days before 1 July)? Not yet.
        assert_eq!(k.state, GiftState::Ahead);
        assert_eq!(
            summer(&seasons(
                &jp(GiftArea::Kanto),
                &occasions_of(&jp(GiftArea::Kanto), &[]),
                &[],
                date(2027, 6, 21)
            ))
            .state,
            GiftState::ToOrder
        );
        assert_eq!(s.state, GiftState::Ahead);
        let winter = kansai
            .iter()
            .find(|g| g.name.starts_with("oseibo"))
            .unwrap();
        assert_eq!(
            (winter.from, winter.by),
            (date(2027, 12, 13), date(2027, 12, 20))
        );
    }

    #[test]
    fn a_gift_logged_in_season_closes_it_and_one_not_logged_is_missed() {
        let c = jp(GiftArea::Kanto);
        let occ = occasions_of(&c, &[]);
        let winter = |log: &[Interaction], today| {
            seasons(&c, &occ, log, today)
                .into_iter()
                .find(|g| g.name.starts_with("oseibo"))
                .unwrap()
        };
        assert_eq!(winter(&[], date(2026, 12, 7)).state, GiftState::ToOrder);
        assert_eq!(
            winter(&[gift(date(2026, 12, 4))], date(2026, 12, 7)).state,
            GiftState::Given(date(2026, 12, 4))
        );
        // Last year's gift does not count for this year.
        assert_eq!(
            winter(&[gift(date(2025, 12, 10))], date(2026, 12, 7)).state,
            GiftState::ToOrder
        );
        assert_eq!(winter(&[], date(2026, 12, 28)).state, GiftState::Missed);
        // A month after, next year's season is the one shown.
        assert_eq!(winter(&[], date(2027, 1, 25)).by, date(2027, 12, 20));
    }

    #[test]
    fn occasions_you_add_go_to_the_clients_or_countries_named() {
        let mut brandt = client("brandt", chrono_tz::Europe::Berlin);
        brandt.days_off.public = Some(PublicHolidays::resolve("DE", None).unwrap());
        let cards = Occasion {
            name: "Christmas card".into(),
            from: (12, 1),
            by: (12, 18),
            lead_days: 14,
            clients: Vec::new(),
            countries: vec!["DE".into()],
        };
        let today = date(2026, 11, 25);
        let b = seasons(
            &brandt,
            &occasions_of(&brandt, std::slice::from_ref(&cards)),
            &[],
            today,
        );
        assert_eq!(b.len(), 1);
        assert_eq!(
            (b[0].order_by, b[0].state),
            (date(2026, 12, 4), GiftState::ToOrder)
        );
        let k = jp(GiftArea::Kanto);
        assert!(
            seasons(&k, &occasions_of(&k, &[cards]), &[], today)
                .iter()
                .all(|g| g.name != "Christmas card")
        );
    }
}
