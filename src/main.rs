//! tether's entry point: parse the command line and dispatch.

use clap::Parser;
use std::process::ExitCode;
use tether::cli::args::{Cli, Command};
use tether::cli::run;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = cli.now.unwrap_or_else(chrono::Utc::now);
    let fixed_now = cli.now.is_some();
    let dir = match run::data_dir(cli.data_dir.clone()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("tether: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Some(Command::Init { dir: target }) => run::init(&target.unwrap_or(dir)),
        Some(Command::Check) => run::check(&dir),
        Some(Command::Agenda) => run::agenda(&dir, now),
        Some(Command::Notify { once: _, watch }) => {
            tether::alerts::notify_command(&dir, cli.now, watch)
        }
        None => run::dashboard(&dir, now, fixed_now),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tether: {e:#}");
            ExitCode::from(2)
        }
    }
}
