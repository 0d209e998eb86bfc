//! Loading for the quick commands (`status`, `add`, `export`): tether.toml, deadlines.jsonl and
//! followups.jsonl only. The contact log (interactions.jsonl) grows without bound and none of
//! them needs it, so it is not read at all.

use crate::domain::model::Model;
use crate::store::config::{CONFIG_FILE, parse_config};
use crate::store::diagnostic::Diagnostic;
use crate::store::load::{Loaded, read_text};
use crate::store::records::{DEADLINES_FILE, FOLLOWUPS_FILE, parse_deadlines, parse_followups};
use anyhow::{Result, bail};
use std::path::Path;

/// The data directory without its contact log. Never fails: problems are diagnostics.
pub fn load_light(dir: &Path) -> Loaded {
    let mut diagnostics = Vec::new();
    let mut text_of = |name: &str| match read_text(dir, name) {
        Ok(t) => t,
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let config_text = text_of(CONFIG_FILE);
    let dl = text_of(DEADLINES_FILE).unwrap_or_default();
    let fu = text_of(FOLLOWUPS_FILE).unwrap_or_default();
    let config = match config_text {
        Some(t) => {
            let (c, d) = parse_config(&t);
            diagnostics.extend(d);
            c
        }
        None => {
            if !diagnostics.iter().any(|d| d.file == CONFIG_FILE) {
                diagnostics.push(Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    "missing: create it with `tether init` (your [me] zone and [[clients]])",
                ));
            }
            Default::default()
        }
    };
    let (deadlines, d) = parse_deadlines(&dl, &config);
    diagnostics.extend(d);
    let (followups, d) = parse_followups(&fu, &config);
    diagnostics.extend(d);
    Loaded {
        model: Model {
            config,
            deadlines,
            followups,
            interactions: Vec::new(),
        },
        diagnostics,
    }
}

/// The quick commands never create a data directory: without tether.toml there is nothing to
/// read the clients and your zone from.
pub fn require_data_dir(dir: &Path) -> Result<()> {
    let config = dir.join(CONFIG_FILE);
    if !config.is_file() {
        bail!(
            "no {} yet; run `tether init {}` first, or point --data-dir (or TETHER_DIR) at your data",
            config.display(),
            dir.display()
        );
    }
    Ok(())
}
