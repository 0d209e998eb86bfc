//! Command-line definitions (clap); also the source for completions and the man page.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tether",
    version,
    about = "A terminal dashboard for freelancers whose clients live in other time zones",
    long_about = "tether shows your clients' clocks and business hours, your deadlines with a \
risk computed from your remaining working hours, how warm each client relationship is, and \
what you owe each client. Run it with no command for the full-screen dashboard."
)]
pub struct Cli {
    /// The data directory (default: $TETHER_DIR, else ~/.local/share/tether)
    #[arg(long, global = true, env = "TETHER_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Pretend it is this instant (RFC 3339, e.g. 2026-11-25T09:30:00+10:00)
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the example data directory (never overwrites existing files)
    Init {
        /// Where to write it (default: the data directory)
        dir: Option<PathBuf>,
    },
    /// Print every problem in the data files as FILE:LINE: message; exit 1 on any error
    Check,
    /// Print the four panes as plain text (clocks, deadlines, heat, follow-ups)
    Agenda,
    /// Send desktop alerts for deadlines that got riskier and follow-ups that became due
    Notify {
        /// Check once and exit (for cron or a systemd timer)
        #[arg(long, conflicts_with = "watch")]
        once: bool,
        /// Keep running: sleep until the next moment a level can change or a file changes
        #[arg(long)]
        watch: bool,
    },
}

fn parse_now(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{e}: write it as 2026-11-25T09:30:00+10:00"))
}
