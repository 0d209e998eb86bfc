//! Desktop alerts: which are due and not yet sent (pure), the record of what was sent, and the
//! notify-rust sender.

use anyhow::Result;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::process::ExitCode;

/// `tether notify --once | --watch`.
pub fn notify_command(dir: &Path, now: Option<DateTime<Utc>>, watch: bool) -> Result<ExitCode> {
    let _ = (dir, now, watch);
    anyhow::bail!("not yet")
}
