//! Loading for the quick commands. `export`, `import` and `track`: tether.toml,
//! deadlines.jsonl and followups.jsonl only; the contact log (interactions.jsonl) grows without
//! bound and none of them needs it, so it is not read at all. `add`, `log` and `slots`:
//! tether.toml alone. (`status` reads less than the records: `status_cache`.)

use crate::store::files::CONFIG_FILE;
use crate::store::load::{Loaded, load_config, load_without_contacts};
use anyhow::{Result, bail};
use std::path::Path;

/// The data directory without its contact log. Never fails: problems are diagnostics.
pub fn load_light(dir: &Path) -> Loaded {
    load_without_contacts(dir)
}

/// tether.toml alone (its clients, your zone and hours, the holidays), for the commands that
/// need no record: `add` and `log` (which ask the file whether a new id is taken) and `slots`.
/// A directory of millions of lines costs them nothing (issue 13).
pub fn load_settings(dir: &Path) -> Loaded {
    load_config(dir)
}

/// The quick commands never create a data directory: without tether.toml there is nothing to
/// read the clients and your zone from. Something else in its place (a folder, a pipe, a link
/// loop or a link to nothing) is named as what it is, never read (a pipe would block).
pub fn require_data_dir(dir: &Path) -> Result<()> {
    let config = dir.join(CONFIG_FILE);
    let shown = config.display();
    match std::fs::metadata(&config) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => bail!(
            "{shown} is a directory, not a file; tether reads your settings from a plain file \
             there (`tether init` shows one)"
        ),
        Ok(_) => bail!(
            "{shown} is not a regular file (a pipe, device or socket); tether reads \
             {CONFIG_FILE} only from a plain file: put your settings file there instead"
        ),
        Err(e) if rustix::io::Errno::from_io_error(&e) == Some(rustix::io::Errno::LOOP) => bail!(
            "{shown} is a symbolic link that leads back to itself (a link loop); replace it \
             with your {CONFIG_FILE} or fix the link (ls -l {shown})"
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::read_link(&config) {
            Ok(to) => bail!(
                "{shown} is a symbolic link to {}, which does not exist (not mounted? moved?)",
                to.display()
            ),
            Err(_) => bail!(
                "no {shown} yet; run `tether init {}` first, or point --data-dir (or TETHER_DIR) at your data",
                dir.display()
            ),
        },
        Err(e) => bail!("cannot read {shown}: {e}"),
    }
}
