//! `tether completions SHELL` and `tether man` (cli/man.rs): from the same clap definitions the
//! command line is parsed with, so they never drift from it.

use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;

/// The registration `COMPLETE=SHELL tether` prints (clap_complete's env protocol), calling
/// `tether` from PATH: a script kept in a file then still finds tether after it moves.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let name = shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let completer = shells
        .completer(&name)
        .with_context(|| format!("no completion for {name}"))?;
    let mut out = Vec::new();
    completer
        .write_registration(COMPLETE_VAR, "tether", "tether", "tether", &mut out)
        .context("cannot write the completion registration")?;
    print_all(&out)
}

/// The variable that asks `tether` for completions (clap_complete's default).
const COMPLETE_VAR: &str = "COMPLETE";

pub fn man() -> Result<ExitCode> {
    let mut out = Vec::new();
    super::man::page(&mut out).context("cannot render the man page")?;
    print_all(&out)
}

fn print_all(bytes: &[u8]) -> Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}
