//! What an iCalendar TZID names: an IANA zone (Google, Apple, Thunderbird, calcurse), a Windows
//! name (Outlook: "Tokyo Standard Time"), or an IANA name behind a vendor prefix (older
//! Thunderbird: "/mozilla.org/20050126_1/Europe/Berlin").

use super::windows_zones::WINDOWS_ZONES;
use chrono_tz::Tz;

pub fn zone_of_tzid(tzid: &str) -> Option<Tz> {
    let t = tzid.trim().trim_matches('"');
    if let Ok(z) = t.parse::<Tz>() {
        return Some(z);
    }
    if let Ok(k) = WINDOWS_ZONES.binary_search_by(|(w, _)| (*w).cmp(t)) {
        return WINDOWS_ZONES[k].1.parse().ok();
    }
    // A prefix before an IANA name: try the name from each '/' on.
    t.match_indices('/')
        .find_map(|(i, _)| t[i + 1..].parse::<Tz>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_windows_and_prefixed_names() {
        assert_eq!(zone_of_tzid("Asia/Tokyo"), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(
            zone_of_tzid("Tokyo Standard Time"),
            Some(chrono_tz::Asia::Tokyo)
        );
        assert_eq!(
            zone_of_tzid("W. Europe Standard Time"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            zone_of_tzid("India Standard Time"),
            Some(chrono_tz::Asia::Kolkata)
        );
        assert_eq!(
            zone_of_tzid("E. South America Standard Time"),
            Some(chrono_tz::America::Sao_Paulo)
        );
        assert_eq!(
            zone_of_tzid("/mozilla.org/20050126_1/Europe/Berlin"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(zone_of_tzid("Customized Time Zone"), None);
    }

    #[test]
    fn the_table_is_sorted_for_the_binary_search() {
        assert!(WINDOWS_ZONES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(WINDOWS_ZONES.iter().all(|(_, z)| z.parse::<Tz>().is_ok()));
    }
}
