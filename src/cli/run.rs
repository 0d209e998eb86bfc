//! What each subcommand does, at the edge: resolve the directory, load, print.

use super::output::{err_line, out, out_line};
use crate::domain::text::visible;
use crate::store::example::{write_dated_example, write_empty};
use crate::store::load::{default_data_dir, load_dir, load_problems};
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Who named the data directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// `--data-dir DIR`.
    Flag,
    /// `$TETHER_DIR`.
    Env,
    /// Nobody: the platform data directory (`~/.local/share/tether` on Linux).
    Default,
}

impl Named {
    /// How the user named it, for a message: "--data-dir", "TETHER_DIR".
    fn how(self) -> &'static str {
        match self {
            Named::Flag => "--data-dir",
            Named::Env => "TETHER_DIR",
            Named::Default => "--data-dir (or TETHER_DIR)",
        }
    }
}

/// The data directory and who named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    pub path: PathBuf,
    pub named: Named,
}

/// `--data-dir` / `$TETHER_DIR` (already merged by clap; `from_env` says which gave it), else the
/// platform data directory.
pub fn data_dir(explicit: Option<PathBuf>, from_env: bool) -> Result<DataDir> {
    if let Some(path) = explicit.filter(|p| !p.as_os_str().is_empty()) {
        let named = if from_env { Named::Env } else { Named::Flag };
        return Ok(DataDir { path, named });
    }
    let path = default_data_dir().context(
        "cannot find a home directory for the data; pass --data-dir DIR or set TETHER_DIR",
    )?;
    Ok(DataDir {
        path,
        named: Named::Default,
    })
}

/// Before any command (but `init`) reads the data directory: it must be a directory. Only the
/// default location may be missing (a first run creates it there, see [`ensure_data_dir`]); a
/// directory the user named that does not exist is a typo to report, never a new directory of
/// example data. A file, a link loop or a dangling link in its place is named as such.
pub fn usable_data_dir(d: &DataDir) -> Result<()> {
    let path = d.path.display();
    let how = d.named.how();
    match std::fs::metadata(&d.path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => bail!(
            "the data directory {path} is a file, not a directory; point {how} at the directory \
             that holds tether.toml"
        ),
        Err(e) if rustix::io::Errno::from_io_error(&e) == Some(rustix::io::Errno::LOOP) => bail!(
            "the data directory {path} is a symbolic link that leads back to itself (a link \
             loop); fix the link (ls -l {path}) or point {how} at the real directory"
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(to) = std::fs::read_link(&d.path) {
                bail!(
                    "the data directory {path} is a symbolic link to {}, which does not exist \
                     (not mounted? moved?)",
                    to.display()
                );
            }
            if d.named == Named::Default {
                return Ok(());
            }
            bail!(
                "the data directory {path} (from {how}) does not exist; check its spelling, or \
                 run `tether init {path}` to create it with the example data"
            )
        }
        Err(e) => bail!("cannot open the data directory {path}: {e}"),
    }
}

/// First run: with no data directory at all, start from the example dated from `now` and say
/// where it went (the dashboard says it again in its banner, docs/decisions.md "The first run").
/// Only the default location gets here missing (see [`usable_data_dir`]).
pub fn ensure_data_dir(dir: &Path, now: DateTime<Utc>) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    write_dated_example(dir, now)?;
    err_line(&format!(
        "tether: no data directory yet, so {} now holds the example data; edit {} to make it yours",
        dir.display(),
        dir.join(crate::store::files::CONFIG_FILE).display()
    ));
    Ok(())
}

/// `tether init [DIR] [--empty]`: the example dated from `now`, or a blank start in your
/// system's zone.
pub fn init(dir: &Path, now: DateTime<Utc>, empty: bool) -> Result<ExitCode> {
    let zone = empty.then(system_zone).flatten();
    let written = if empty {
        write_empty(dir, zone)?
    } else {
        write_dated_example(dir, now)?
    };
    for p in written {
        out_line(&format!("wrote {}", p.display()))?;
    }
    let config = dir.join(crate::store::files::CONFIG_FILE);
    let next = match (empty, zone) {
        (false, _) => format!(
            "Edit {} with your zone and clients, then run `tether`.",
            config.display()
        ),
        (true, Some(z)) => format!(
            "Your zone is {} (from this system). Add your clients to {}, then run `tether`.",
            z.name(),
            config.display()
        ),
        (true, None) => format!(
            "tether could not tell your zone: set zone under [me] in {}, add your clients, then run `tether`.",
            config.display()
        ),
    };
    out_line(&next)?;
    Ok(ExitCode::SUCCESS)
}

/// Your zone as this system knows it: `$TZ` if it names a zone, else what /etc/localtime links
/// to, else /etc/timezone.
fn system_zone() -> Option<chrono_tz::Tz> {
    let tz = std::env::var("TZ").ok();
    let link = std::fs::read_link("/etc/localtime").ok();
    let file = std::fs::read_to_string("/etc/timezone").ok();
    zone_from(tz.as_deref(), link.as_deref(), file.as_deref())
}

/// [`system_zone`] from what it read: `TZ` (`Asia/Tokyo` or `:Asia/Tokyo`), the target of the
/// /etc/localtime link (`/usr/share/zoneinfo/Asia/Tokyo`), the text of /etc/timezone.
pub fn zone_from(
    tz: Option<&str>,
    localtime: Option<&Path>,
    timezone: Option<&str>,
) -> Option<chrono_tz::Tz> {
    let named = |s: &str| {
        s.trim()
            .trim_start_matches(':')
            .parse::<chrono_tz::Tz>()
            .ok()
    };
    let linked = localtime.and_then(|p| {
        let p = p.to_string_lossy();
        let (_, name) = p.split_once("zoneinfo/")?;
        let name = name
            .trim_start_matches("posix/")
            .trim_start_matches("right/");
        named(name)
    });
    tz.and_then(named)
        .or(linked)
        .or_else(|| timezone.and_then(named))
}

pub fn check(dir: &Path) -> Result<ExitCode> {
    let loaded = load_problems(dir);
    let keys = crate::app::keymap::key_problems(&loaded.model.config);
    // Each problem on its line, with any control character in it shown as `\u{1b}`.
    for d in loaded.diagnostics.iter().chain(&keys) {
        out_line(&visible(&d.to_string()))?;
    }
    // Every problem, with those a "N more problems in this file" line stands for, in the words
    // of the dashboard's header, the agenda and `status`.
    let count = crate::app::keymap::problems_of(&loaded);
    err_line(&format!("{}: {count}", dir.display()));
    Ok(if count.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// From [`crate::store::reload::LONG_READ_BYTES`] (1 MiB) of deadlines and follow-ups, they
/// are not held but kept as an index into their files and read again as they are printed, the
/// agenda going out a piece at a time: 5 M one-line follow-ups took 36× the file's size held
/// whole (issue 13, `store::agenda_index`). Below it they are read whole, once: the index's
/// second pass costs a quarter more time (10k records: 11.0 against 14.1 ms), and a megabyte
/// of the shortest lines held whole is ~40 MB, the fixed cost the memory bound allows
/// (docs/reliability.md, "Bounded cost").
pub fn agenda(dir: &Path, now: DateTime<Utc>) -> Result<ExitCode> {
    use super::agenda::{Indexed, write};
    use crate::store::files::{DEADLINES_FILE, FOLLOWUPS_FILE};
    ensure_data_dir(dir, now)?;
    let bytes: u64 = [DEADLINES_FILE, FOLLOWUPS_FILE]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    let indexed = bytes >= crate::store::reload::LONG_READ_BYTES;
    if let Some((loaded, index)) = indexed
        .then(|| crate::store::agenda_index::load_indexed(dir, now))
        .flatten()
    {
        let mut deadlines = index.deadlines(&loaded.model, now);
        let mut rows = index.followups(&loaded.model.config, now);
        let indexed = Indexed {
            deadlines: &mut deadlines,
            followups: &mut rows,
            snoozed: index.snoozed,
        };
        let mut started = false;
        let done = write(&loaded, Some(indexed), now, &mut |piece: &str| {
            started = true;
            out(piece)
        });
        match done {
            Ok(()) => return Ok(ExitCode::SUCCESS),
            // Nothing out yet (an agenda shorter than a piece is handed on whole at the end):
            // read it all again, whole.
            Err(_) if !started => {}
            Err(e) => return Err(e.into()),
        }
    }
    let loaded = load_dir(dir);
    out(&super::agenda::render(&loaded, now))?;
    Ok(ExitCode::SUCCESS)
}

/// `tether review [--week 2026-W49] [--format markdown|json]`: a week written wrong is said
/// before anything is read; the default week is the one holding now on your calendar.
pub fn review(
    dir: &Path,
    now: DateTime<Utc>,
    week: Option<&str>,
    format: super::review::ReviewFormat,
) -> Result<ExitCode> {
    use super::review::{ReviewFormat, json, markdown};
    use crate::domain::review::{IsoWeek, review};
    let given = week
        .map(|w| IsoWeek::parse(w).map_err(anyhow::Error::msg))
        .transpose()?;
    ensure_data_dir(dir, now)?;
    let loaded = load_for_review(dir, given, now);
    let week = given.unwrap_or_else(|| IsoWeek::containing(&loaded.model.config.me, now));
    let r = review(&loaded.model, week, now);
    let text = match format {
        ReviewFormat::Markdown => {
            let problems = crate::app::keymap::problems_of(&loaded);
            let line = (problems.total() > 0).then(|| format!("{problems}: run `tether check`"));
            markdown(&r, line.as_deref())
        }
        ReviewFormat::Json => json(&r),
    };
    out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// What the review of `week` (or this week) reads: every contact and time entry, but of the
/// deadlines only those due in that week or the next and those the time log is on, and of the
/// follow-ups only the bills, so a file of millions of other lines is not held (issue 13). Read
/// whole when tether.toml changed between the two reads (the weeks were worked out from it).
fn load_for_review(
    dir: &Path,
    week: Option<crate::domain::review::IsoWeek>,
    now: DateTime<Utc>,
) -> crate::store::load::Loaded {
    use crate::domain::model::{Deadline, Followup};
    use crate::domain::review::{IsoWeek, Window};
    crate::store::load::load_decided(dir, true, |settings, timelog| {
        let me = &settings.model.config.me;
        let week = week.unwrap_or_else(|| IsoWeek::containing(me, now));
        let (from, to) = (Window::of(me, week).from, Window::of(me, week.next()).to);
        let named = crate::domain::timelog::deadline_ids(timelog);
        (
            move |d: &Deadline| {
                (from <= d.due && d.due < to)
                    || d.id.as_deref().is_some_and(|id| named.contains(id))
            },
            |f: &Followup| f.bill.is_some(),
        )
    })
}

pub fn dashboard(dir: &Path, now: DateTime<Utc>, fixed_now: bool) -> Result<ExitCode> {
    use crate::app::run::{Clock, run};
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("the dashboard needs a terminal; for text output use `tether agenda`");
    }
    ensure_data_dir(dir, now)?;
    let clock = if fixed_now {
        Clock::Fixed(now)
    } else {
        Clock::Real
    };
    run(dir, clock)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn your_zone_from_tz_then_the_localtime_link_then_etc_timezone() {
        let link = Path::new("/usr/share/zoneinfo/Europe/Berlin");
        let tokyo = Some(chrono_tz::Asia::Tokyo);
        assert_eq!(zone_from(Some(":Asia/Tokyo"), Some(link), None), tokyo);
        assert_eq!(
            zone_from(Some("EST5EDT,M3.2.0,M11.1.0"), Some(link), None),
            Some(chrono_tz::Europe::Berlin)
        );
        let posix = Path::new("../usr/share/zoneinfo/posix/Asia/Tokyo");
        assert_eq!(zone_from(None, Some(posix), None), tokyo);
        assert_eq!(zone_from(None, None, Some("Asia/Tokyo\n")), tokyo);
        assert_eq!(zone_from(Some(""), Some(Path::new("/etc/foo")), None), None);
    }
}
