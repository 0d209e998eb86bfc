//! Watch the data directory (not the files: editors and git replace files by rename, which ends a
//! per-file watch) and report changes to the data files, debounced, as one call of `on_change`.
//! Used by the dashboard's event loop and by `tether notify --watch`; it knows neither.

use notify::{RecursiveMode, Watcher};
use std::path::Path;
use std::sync::mpsc::channel;
use std::time::Duration;

pub use notify::Error;

/// Quiet time after the last file event before reporting: editors write in bursts.
pub const DEBOUNCE: Duration = Duration::from_millis(60);

const WATCHED: &[&str] = &super::files::DATA_FILES;

/// A running watch; dropping it stops the reports.
pub struct DirWatcher {
    _watcher: notify::RecommendedWatcher,
}

/// Start watching `dir`: after each burst of changes to its data files, `on_change` is called
/// once, on a thread of the watcher's own. When it returns false (nobody listens any more), the
/// reports stop.
pub fn watch(
    dir: &Path,
    on_change: impl Fn() -> bool + Send + 'static,
) -> Result<DirWatcher, Error> {
    let (raw_tx, raw_rx) = channel::<()>();
    // A data file may be a symlink into another folder (a synced one, say): edits there change
    // what tether shows, so that folder is watched too, for the target's name.
    let targets: Vec<std::path::PathBuf> = WATCHED
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_symlink())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut names: Vec<String> = WATCHED.iter().map(|n| n.to_string()).collect();
    names.extend(
        targets
            .iter()
            .filter_map(|t| t.file_name()?.to_str().map(str::to_string)),
    );
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            let relevant = ev.paths.iter().any(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| names.iter().any(|w| w == n))
            });
            if relevant {
                let _ = raw_tx.send(());
            }
        }
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    for parent in targets.iter().filter_map(|t| t.parent()) {
        if parent != dir {
            // Best effort: the data directory itself is watched either way.
            let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
        }
    }
    std::thread::Builder::new()
        .name("tether-watch".into())
        .spawn(move || {
            // Block until the first event of a burst, then wait for quiet.
            while raw_rx.recv().is_ok() {
                while raw_rx.recv_timeout(DEBOUNCE).is_ok() {}
                if !on_change() {
                    return;
                }
            }
        })
        .map_err(|e| Error::generic(&e.to_string()))?;
    Ok(DirWatcher { _watcher: watcher })
}
