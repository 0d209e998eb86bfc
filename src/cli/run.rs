//! What each subcommand does, at the edge: resolve the directory, load, print.

use super::output::{err_line, out, out_line};
use crate::domain::text::visible;
use crate::store::example::write_example;
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

/// First run: with no data directory at all, start from the example and say where it went.
/// Only the default location gets here missing (see [`usable_data_dir`]).
pub fn ensure_data_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    write_example(dir)?;
    err_line(&format!(
        "tether: no data directory yet, so {} now holds the example data; edit {} to make it yours",
        dir.display(),
        dir.join(crate::store::files::CONFIG_FILE).display()
    ));
    Ok(())
}

pub fn init(dir: &Path) -> Result<ExitCode> {
    let written = write_example(dir)?;
    for p in written {
        out_line(&format!("wrote {}", p.display()))?;
    }
    out_line(&format!(
        "Edit {} with your zone and clients, then run `tether`.",
        dir.join(crate::store::files::CONFIG_FILE).display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub fn check(dir: &Path) -> Result<ExitCode> {
    let mut loaded = load_problems(dir);
    let (_, key_problems) = crate::app::keymap::KeyMap::build(&loaded.model.config.keys);
    loaded.diagnostics.extend(key_problems);
    // Each problem on its line, with any control character in it shown as `\u{1b}`.
    for d in &loaded.diagnostics {
        out_line(&visible(&d.to_string()))?;
    }
    // Every problem, with those a "N more problems in this file" line stands for.
    let count = loaded.problems();
    let (errors, warnings) = (count.errors, count.warnings);
    if loaded.diagnostics.is_empty() {
        err_line(&format!("{}: no problems", dir.display()));
    } else {
        err_line(&format!(
            "{}: {errors} error(s), {warnings} warning(s)",
            dir.display()
        ));
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn agenda(dir: &Path, now: DateTime<Utc>) -> Result<ExitCode> {
    ensure_data_dir(dir)?;
    let loaded = load_dir(dir);
    out(&super::agenda::render(&loaded, now))?;
    Ok(ExitCode::SUCCESS)
}

pub fn dashboard(dir: &Path, now: DateTime<Utc>, fixed_now: bool) -> Result<ExitCode> {
    use crate::app::run::{Clock, run};
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("the dashboard needs a terminal; for text output use `tether agenda`");
    }
    ensure_data_dir(dir)?;
    let clock = if fixed_now {
        Clock::Fixed(now)
    } else {
        Clock::Real
    };
    run(dir, clock)?;
    Ok(ExitCode::SUCCESS)
}
