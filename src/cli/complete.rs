//! Shell completion of what only the data knows: client ids (tether.toml) and contact kinds (the
//! heat weights, defaults included), by clap_complete's env protocol: the shell's registration
//! (`COMPLETE=bash tether`, or `tether completions bash`) calls `tether` back on each Tab, and
//! the candidates below are read from the data directory of the command line being completed.

use crate::domain::model::Config;
use crate::domain::text::is_control;
use crate::store::load::{default_data_dir, load_config};
use clap_complete::CompletionCandidate;
use std::ffi::OsString;
use std::path::PathBuf;

/// The ids of the clients in tether.toml, each with its name as help (zsh and fish show it).
pub fn client_ids() -> Vec<CompletionCandidate> {
    let config = config();
    config
        .clients
        .iter()
        .filter(|c| shown(&c.id))
        .map(|c| {
            let help = shown(&c.name).then(|| c.name.clone().into());
            CompletionCandidate::new(&c.id).help(help)
        })
        .collect()
}

/// What a timer can be on (`tether track start|add`): the open deadlines' ids, each with its
/// title as help, then the client ids. Only the open lines of deadlines.jsonl are read.
pub fn timer_targets() -> Vec<CompletionCandidate> {
    let Some(dir) = data_dir(
        std::env::args_os(),
        std::env::var_os("TETHER_DIR"),
        default_data_dir(),
    ) else {
        return Vec::new();
    };
    let loaded = crate::store::load::load_open_items(&dir);
    let mut out: Vec<CompletionCandidate> = loaded
        .model
        .deadlines
        .iter()
        .filter(|d| d.status == crate::domain::model::Status::Open)
        .filter_map(|d| {
            let id = d.id.as_deref().filter(|id| shown(id))?;
            let help = shown(&d.title).then(|| d.title.to_string().into());
            Some(CompletionCandidate::new(id).help(help))
        })
        .collect();
    out.extend(client_ids());
    out
}

/// The contact kinds tether gives a weight to (yours from `[heat.weights]`, and the defaults).
pub fn kinds() -> Vec<CompletionCandidate> {
    config()
        .heat
        .weights
        .keys()
        .filter(|k| shown(k))
        .map(CompletionCandidate::new)
        .collect()
}

/// A value a shell may be handed: a control character in an id would be typed into the
/// terminal.
fn shown(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(is_control)
}

/// The configuration of the data directory the completed command line names (nothing of it
/// when it cannot be read: completion never reports a problem).
fn config() -> Config {
    data_dir(
        std::env::args_os(),
        std::env::var_os("TETHER_DIR"),
        default_data_dir(),
    )
    .map(|dir| load_config(&dir).model.config)
    .unwrap_or_default()
}

/// The data directory as tether would take it from `args` (the completed words come after
/// `--`): its last `--data-dir DIR` or `--data-dir=DIR`, else `$TETHER_DIR`, else the default.
fn data_dir(
    mut args: impl Iterator<Item = OsString>,
    env: Option<OsString>,
    default: Option<PathBuf>,
) -> Option<PathBuf> {
    let mut flag = None;
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            flag = args.next();
        } else if let Some(v) = a.to_str().and_then(|a| a.strip_prefix("--data-dir=")) {
            flag = Some(v.into());
        }
    }
    [flag, env]
        .into_iter()
        .flatten()
        .find(|d| !d.is_empty())
        .map(PathBuf::from)
        .or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(args: &[&str], env: Option<&str>) -> Option<PathBuf> {
        data_dir(
            args.iter().map(OsString::from),
            env.map(OsString::from),
            Some("/default".into()),
        )
    }

    #[test]
    fn the_data_directory_is_the_command_lines() {
        let line = ["tether", "--", "tether", "--data-dir", "/a", "log", ""];
        assert_eq!(dir(&line, Some("/env")), Some("/a".into()));
        let line = ["tether", "--", "tether", "--data-dir=/b", "log", ""];
        assert_eq!(dir(&line, None), Some("/b".into()));
        let line = ["tether", "--", "tether", "log", ""];
        assert_eq!(dir(&line, Some("/env")), Some("/env".into()));
        assert_eq!(dir(&line, Some("")), Some("/default".into()));
    }
}
