//! Loading for the quick commands (`add`, `export`; `status` reads less still, see
//! `status_cache`): tether.toml, deadlines.jsonl and followups.jsonl only. The contact log
//! (interactions.jsonl) grows without bound and none of them needs it, so it is not read at all.

use crate::store::files::CONFIG_FILE;
use crate::store::load::{Loaded, load_without_contacts};
use anyhow::{Result, bail};
use std::path::Path;

/// The data directory without its contact log. Never fails: problems are diagnostics.
pub fn load_light(dir: &Path) -> Loaded {
    load_without_contacts(dir)
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
