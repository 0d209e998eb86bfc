//! Milestones (issue 17, contracts): a client's `[[clients.milestones]]`, each a name, a due
//! day on the client's calendar and an amount in integer minor units of an ISO 4217 currency.
//! Shown on the client page, and each becomes a deadline of id [`deadline_id`] that the alert
//! passes write (`store::milestone_deadlines`); invoices, payments and their alerts are a later
//! session (docs/decisions.md, "Milestones (issue 17)").

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub name: String,
    /// The day it is due, on the client's calendar.
    pub due: NaiveDate,
    /// The amount in the currency's minor units (cents, yen), never a float.
    pub amount: Option<i64>,
    /// An ISO 4217 code, upper case ("EUR", "JPY").
    pub currency: Option<String>,
    /// The work it needs (`estimate = "12h"`), copied to its deadline so risk and the latest
    /// start mean something there.
    pub estimate: Option<chrono::Duration>,
}

/// An ISO 4217 code: three ASCII letters, read in any case, kept upper case.
pub fn parse_currency(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(t.to_ascii_uppercase())
    } else {
        Err(format!(
            "cannot read {s:?}; write an ISO 4217 code such as \"EUR\", \"USD\" or \"JPY\""
        ))
    }
}

/// How many digits of a currency's amount are after the point (ISO 4217's minor unit): 0 for
/// the yen, the won and the others without a minor unit in use, 3 for the dinars of Bahrain,
/// Iraq, Jordan, Kuwait, Libya, Tunisia and Oman's rial, else 2.
pub fn minor_digits(code: &str) -> u32 {
    const NONE: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    if NONE.contains(&code) {
        0
    } else if THREE.contains(&code) {
        3
    } else {
        2
    }
}

/// "EUR 12,500.00", "JPY 1,200,000": the code, the amount with thousands separated and its
/// minor digits; without a currency the minor units as written.
pub fn format_amount(amount: i64, currency: Option<&str>) -> String {
    let digits = currency.map_or(0, minor_digits);
    let scale = 10u64.pow(digits);
    let abs = amount.unsigned_abs();
    let (major, minor) = (abs / scale, abs % scale);
    let mut grouped = String::new();
    let s = major.to_string();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount < 0 { "-" } else { "" };
    let num = if digits == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{minor:0w$}", w = digits as usize)
    };
    match currency {
        Some(c) => format!("{c} {num}"),
        None => num,
    }
}

/// The id of the deadline a milestone becomes on the board (issue 17: "each becomes a deadline
/// the board knows"). It comes from the client and the milestone's name alone, so two machines
/// (or two passes) write one line, and moving the due day in tether.toml keeps the deadline, its
/// logged time and its state.
pub fn deadline_id(client: &str, name: &str) -> String {
    super::ids::new_id(
        "d",
        chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        &format!("milestone\n{client}\n{}", name.trim()),
        "milestone",
    )
}

/// How many coming milestones the client page lists.
pub const SHOWN: usize = 3;

/// The client's milestones due on `today` (their calendar) or later, soonest first, at most
/// [`SHOWN`].
pub fn upcoming(milestones: &[Milestone], today: NaiveDate) -> Vec<&Milestone> {
    let mut m: Vec<&Milestone> = milestones.iter().filter(|m| m.due >= today).collect();
    m.sort_by_key(|m| m.due);
    m.truncate(SHOWN);
    m
}

/// "Design sign-off · due Tue 15 Dec 2026, in 8 days · JPY 1,200,000" (the name on one line:
/// it is the user's text).
pub fn describe(m: &Milestone, today: NaiveDate) -> String {
    let days = (m.due - today).num_days();
    let when = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    let amount = m
        .amount
        .map(|a| format!(" · {}", format_amount(a, m.currency.as_deref())))
        .unwrap_or_default();
    format!(
        "{} · due {}, {when}{amount}",
        super::text::one_line(&m.name),
        m.due.format("%a %-d %b %Y")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_integer_minor_units_shown_in_the_currencys_digits() {
        assert_eq!(format_amount(1_250_000, Some("EUR")), "EUR 12,500.00");
        assert_eq!(format_amount(1_200_000, Some("JPY")), "JPY 1,200,000");
        assert_eq!(format_amount(1_234_567, Some("KWD")), "KWD 1,234.567");
        assert_eq!(format_amount(-5, Some("USD")), "USD -0.05");
        assert_eq!(format_amount(999, None), "999");
        assert_eq!(
            format_amount(i64::MIN, Some("EUR")),
            "EUR -92,233,720,368,547,758.08"
        );
        assert_eq!(parse_currency(" eur "), Ok("EUR".to_string()));
        assert!(parse_currency("euro").is_err());
    }

    #[test]
    fn a_milestones_deadline_id_is_its_clients_and_names_alone() {
        let a = deadline_id("sakura", "Design sign-off");
        assert!(a.starts_with("d-"), "{a}");
        assert_eq!(a, deadline_id("sakura", " Design sign-off "));
        assert_ne!(a, deadline_id("brandt", "Design sign-off"));
        assert_ne!(a, deadline_id("sakura", "Launch"));
    }

    #[test]
    fn the_coming_ones_are_listed_soonest_first() {
        let m = |name: &str, due: &str| Milestone {
            name: name.to_string(),
            due: due.parse().unwrap(),
            amount: Some(1_200_000),
            currency: Some("JPY".to_string()),
            estimate: None,
        };
        let all = [
            m("Report", "2027-01-15"),
            m("Kick-off", "2026-11-01"),
            m("Design\nsign-off", "2026-12-15"),
        ];
        let today: NaiveDate = "2026-12-07".parse().unwrap();
        let up = upcoming(&all, today);
        assert_eq!(up.len(), 2);
        assert_eq!(
            describe(up[0], today),
            "Design sign-off · due Tue 15 Dec 2026, in 8 days · JPY 1,200,000"
        );
        assert_eq!(up[1].name, "Report");
    }
}
