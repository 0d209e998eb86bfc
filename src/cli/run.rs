//! What each subcommand does, at the edge: resolve the directory, load, print.

use crate::store::example::write_example;
use crate::store::load::{default_data_dir, load_dir};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--data-dir` / `$TETHER_DIR` (already merged by clap), else the platform data directory.
pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    explicit
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(default_data_dir)
        .context("cannot find a home directory for the data; pass --data-dir DIR or set TETHER_DIR")
}

/// First run: with no data directory at all, start from the example and say where it went.
pub fn ensure_data_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    write_example(dir)?;
    eprintln!(
        "tether: no data directory yet, so {} now holds the example data; edit {} to make it yours",
        dir.display(),
        dir.join(crate::store::files::CONFIG_FILE).display()
    );
    Ok(())
}

pub fn init(dir: &Path) -> Result<ExitCode> {
    let written = write_example(dir)?;
    for p in written {
        println!("wrote {}", p.display());
    }
    println!(
        "Edit {} with your zone and clients, then run `tether`.",
        dir.join(crate::store::files::CONFIG_FILE).display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn check(dir: &Path) -> Result<ExitCode> {
    let mut loaded = load_dir(dir);
    let (_, key_problems) = crate::app::keymap::KeyMap::build(&loaded.model.config.keys);
    loaded.diagnostics.extend(key_problems);
    for d in &loaded.diagnostics {
        println!("{d}");
    }
    let errors = loaded.errors();
    let warnings = loaded.diagnostics.len() - errors;
    if loaded.diagnostics.is_empty() {
        eprintln!("{}: no problems", dir.display());
    } else {
        eprintln!(
            "{}: {errors} error(s), {warnings} warning(s)",
            dir.display()
        );
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
    print!("{}", super::agenda::render(&loaded, now));
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
