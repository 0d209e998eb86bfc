//! A blank start (`tether init --empty`): you, with your zone, and nothing else.

use super::headers::{CONTACTS_HEADER, DEADLINES_HEADER, FOLLOWUPS_HEADER};
use crate::store::files::{CONFIG_FILE, DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE};
use chrono_tz::Tz;

/// The four files of a blank data directory, you in `zone`; without one, UTC and a comment
/// saying to put your own (a valid file either way).
pub fn files(zone: Option<Tz>) -> Vec<(&'static str, String)> {
    let zone_line = match zone {
        Some(z) => format!("zone = \"{}\"  # your system's zone", z.name()),
        None => {
            "zone = \"UTC\"  # tether could not tell your zone: put yours, e.g. \"Europe/Berlin\""
                .to_string()
        }
    };
    let toml = format!(
        r#"# tether data directory: you, your clients and your settings.
# tether re-reads this file the moment you save it. Time values, durations and zones are
# described in the README ("The data directory").

[me]
# name = "Your name"              # shown in the dashboard's header
{zone_line}
work_hours = "09:00-17:00"
work_days = ["mon", "tue", "wed", "thu", "fri"]
# holidays = ["2027-01-01"]         # your days off
# country = "AU"                     # your public holidays, built in (region = "QLD" too)

[alerts]
enabled = true
quiet_hours = "22:00-07:00"

# One table per client; the .jsonl files refer to it by id. For example:
#
# [[clients]]
# id = "kanda"
# name = "Kanda Trading KK"
# zone = "Asia/Tokyo"
# hours = "09:00-18:00"
# days = ["mon", "tue", "wed", "thu", "fri"]
# country = "JP"                     # their public holidays, built in
# closures = ["12-29..01-03"]        # the company's own closures, every year
# champion = "Sato-san, Marketing GM"
# contact_every = "14d"
"#
    );
    vec![
        (CONFIG_FILE, toml),
        (DEADLINES_FILE, DEADLINES_HEADER.to_string()),
        (FOLLOWUPS_FILE, FOLLOWUPS_HEADER.to_string()),
        (INTERACTIONS_FILE, CONTACTS_HEADER.to_string()),
    ]
}
