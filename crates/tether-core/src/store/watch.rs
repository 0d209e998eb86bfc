//! Watch the data directory (not the files: editors and git replace files by rename, which ends a
//! per-file watch) and report changes to the data files, debounced, as one call of `on_change`.
//! Used by the dashboard's event loop and by `tether notify --watch`; it knows neither.

use notify::{RecursiveMode, Watcher};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

pub use notify::Error;

/// Quiet time after the last file event before reporting: editors write in bursts.
pub const DEBOUNCE: Duration = Duration::from_millis(60);

/// The longest a report waits for quiet: a program appending every few milliseconds (a sync,
/// a script) would otherwise never let the screen catch up until it stopped.
pub const MAX_WAIT: Duration = Duration::from_millis(300);

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
                    // A holiday calendar (`holidays_ics`) kept in the folder is data too.
                    .is_some_and(|n| names.iter().any(|w| w == n) || n.ends_with(".ics"))
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
            while let Some(()) = next_burst(&raw_rx, DEBOUNCE, MAX_WAIT) {
                if !on_change() {
                    return;
                }
            }
        })
        .map_err(|e| Error::generic(&e.to_string()))?;
    Ok(DirWatcher { _watcher: watcher })
}

/// Block until the first event of a burst, then until `quiet` passes without one or `max_wait`
/// has passed since that first event, whichever comes first. None when the sender is gone.
fn next_burst(rx: &Receiver<()>, quiet: Duration, max_wait: Duration) -> Option<()> {
    rx.recv().ok()?;
    let until = Instant::now() + max_wait;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Some(());
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(()) => continue,
            Err(RecvTimeoutError::Timeout) => return Some(()),
            // The burst seen so far is still worth reporting.
            Err(RecvTimeoutError::Disconnected) => return Some(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// A program appending every 10 ms (the audit's storm) is reported while it still runs,
    /// not only once it stops: the screen must not stay stale for as long as the storm lasts.
    #[test]
    fn an_append_storm_is_reported_while_it_lasts() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(super::super::files::FOLLOWUPS_FILE);
        std::fs::write(&file, "").unwrap();
        let reports = Arc::new(AtomicUsize::new(0));
        let seen = reports.clone();
        let _w = watch(dir.path(), move || {
            seen.fetch_add(1, Ordering::SeqCst);
            true
        })
        .unwrap();
        let storming = Arc::new(AtomicBool::new(true));
        let during = Arc::new(AtomicUsize::new(0));
        let (s, d, r) = (storming.clone(), during.clone(), reports.clone());
        let writer = std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .unwrap();
            let end = Instant::now() + Duration::from_secs(3);
            let mut n = 0;
            while Instant::now() < end {
                writeln!(f, "{{\"what\":\"storm {n}\"}}").unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            // What the watcher reported before the storm ended.
            d.store(r.load(Ordering::SeqCst), Ordering::SeqCst);
            s.store(false, Ordering::SeqCst);
        });
        writer.join().unwrap();
        assert!(!storming.load(Ordering::SeqCst));
        let during = during.load(Ordering::SeqCst);
        // 3 s of storm with a report at most every MAX_WAIT: several, never none.
        assert!(
            during >= 3,
            "{during} reports during a 3 s storm of appends every 10 ms"
        );
        // And the end of the storm is reported too.
        let deadline = Instant::now() + Duration::from_secs(10);
        while reports.load(Ordering::SeqCst) <= during && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(reports.load(Ordering::SeqCst) > during);
    }

    #[test]
    fn a_burst_ends_at_quiet_or_at_the_longest_wait() {
        let (tx, rx) = channel();
        tx.send(()).unwrap();
        let start = Instant::now();
        // Quiet: one event, then nothing.
        assert_eq!(
            next_burst(&rx, Duration::from_millis(20), Duration::from_secs(5)),
            Some(())
        );
        assert!(start.elapsed() < Duration::from_secs(5));
        // A sender that never goes quiet: cut at the longest wait.
        let feeder = std::thread::spawn(move || {
            for _ in 0..400 {
                if tx.send(()).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let start = Instant::now();
        assert_eq!(
            next_burst(&rx, Duration::from_millis(200), Duration::from_millis(300)),
            Some(())
        );
        assert!(start.elapsed() < Duration::from_millis(1500));
        drop(rx);
        feeder.join().unwrap();
    }
}
