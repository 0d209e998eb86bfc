//! `holidays_ics = "kanda-holidays.ics"` on a client or on `[me]`: a holiday calendar file
//! whose events close whole days, read when tether.toml is, and read again when the file
//! changes (the reloader watches it beside tether.toml: `calendar_paths`).

use super::calendar_days;
use crate::domain::holidays::Closure;
use crate::domain::model::Config;
use crate::store::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// The calendar files `config` names, as paths (relative ones from the data directory).
pub fn calendar_paths(dir: &Path, config: &Config) -> Vec<PathBuf> {
    std::iter::once(&config.me.days_off)
        .chain(config.clients.iter().map(|c| &c.days_off))
        .filter_map(|d| d.calendar.as_deref())
        .map(|p| dir.join(p))
        .collect()
}

/// Read each named calendar into its owner's closures; what could not be read is a problem of
/// that file (the rest of the data loads as ever).
pub fn read_holiday_calendars(dir: &Path, config: &mut Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let me_zone = config.me.zone;
    let owners = std::iter::once((&mut config.me.days_off, me_zone, "[me]".to_string())).chain(
        config
            .clients
            .iter_mut()
            .map(|c| (&mut c.days_off, c.zone, format!("client \"{}\"", c.id))),
    );
    for (days_off, zone, owner) in owners {
        let Some(name) = days_off.calendar.clone() else {
            continue;
        };
        let path = dir.join(&name);
        let text = match std::fs::read(&path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                diags.push(Diagnostic::error(
                    name.as_str(),
                    0,
                    format!(
                        "holidays_ics of {owner}: cannot read {} ({e}); fix the path in tether.toml (relative to the data directory)",
                        path.display()
                    ),
                ));
                continue;
            }
        };
        match calendar_days(&text, zone) {
            Ok((spans, problems)) => {
                days_off.closures.extend(
                    spans
                        .into_iter()
                        .map(|(from, to)| Closure::Once { from, to }),
                );
                for p in problems {
                    diags.push(Diagnostic::warning(name.as_str(), 0, p));
                }
            }
            Err(e) => diags.push(Diagnostic::error(
                name.as_str(),
                0,
                format!("holidays_ics of {owner}: {e}; no days are taken from it"),
            )),
        }
    }
    diags
}
