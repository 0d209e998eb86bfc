//! `tether notify --once` (cron, systemd timers) and `tether notify --watch` (a small daemon).
//!
//! Exit codes: 0 = done (also when nothing was due, alerts are off, or it is quiet hours);
//! 1 = the record of sent alerts (`.tether/alerts.jsonl`) could not be read or written;
//! 2 = bad data directory or usage (printed by `main`); 3 = some alerts could not be delivered
//! (no session bus, no notification server, no answer within 3 s): they were not recorded and go
//! out on the next run.

use super::pass::{Alerter, PassReport, Pending};
use super::pending::pending_alerts;
use super::record::SentEntry;
use super::stream::{Kept, Streamed, stream_pass};
use super::wakeup::next_wakeup;
use crate::cli::output::{err_line, out_line};
use crate::store::config::CONFIG_FILE;
use crate::store::load::{Loaded, load_decided};
use crate::store::watch::watch;
use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

/// After a failed delivery, `--watch` tries again this soon.
pub const RETRY: Duration = Duration::from_secs(5 * 60);
/// `--watch` checks the wall clock at least this often (a monotonic sleep does not advance while
/// the machine is suspended, and the clock may be changed).
pub const MAX_NAP: Duration = Duration::from_secs(60);

pub const EXIT_RECORD: u8 = 1;
pub const EXIT_NOT_SENT: u8 = 3;

/// `tether notify --once | --watch`. `now` is `--now` (a fixed clock); `--watch` refuses it.
pub fn notify_command(dir: &Path, now: Option<DateTime<Utc>>, watch: bool) -> Result<ExitCode> {
    check_dir(dir)?;
    if watch {
        if now.is_some() {
            bail!(
                "--watch runs on the real clock and cannot take --now; use `tether notify --once --now …`"
            );
        }
        return watch_loop(dir);
    }
    Ok(once(dir, now.unwrap_or_else(Utc::now)))
}

fn check_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        if dir.exists() {
            bail!("{} is a file, not a data directory", dir.display());
        }
        bail!(
            "{} does not exist; run `tether init {}` first",
            dir.display(),
            dir.display()
        );
    }
    if std::fs::symlink_metadata(dir.join(CONFIG_FILE)).is_err() {
        bail!(
            "{} has no {CONFIG_FILE}; run `tether init {}` or point --data-dir at your data",
            dir.display(),
            dir.display()
        );
    }
    // Something is there: a plain file, or what the quick commands name (a pipe, a folder, a
    // link loop, a link to nothing), never opened to find out.
    crate::cli::light::require_data_dir(dir)
}

fn warn_data_errors(errors: usize) {
    if errors > 0 {
        err_line(&format!(
            "tether: {errors} error(s) in the data files (see `tether check`); alerting on what loaded"
        ));
    }
}

fn exit_code(report: &PassReport) -> ExitCode {
    if report.delivery_failed {
        ExitCode::from(EXIT_NOT_SENT)
    } else if report.record_failed {
        ExitCode::from(EXIT_RECORD)
    } else {
        ExitCode::SUCCESS
    }
}

/// What a notify pass reads: tether.toml, the time log, the contact log, and of the deadlines
/// and follow-ups only those that can alert ([`super::rules::can_alert`],
/// [`super::rules::deadline_can_alert`]) and those the pass keeps besides (`stream::Kept`): a file
/// of millions of undated follow-ups is not held (issue 13). The same alerts and lines as a
/// whole load.
pub fn load_for_pass(dir: &Path, now: DateTime<Utc>) -> Loaded {
    use super::rules::{can_alert, deadline_can_alert};
    // The contact log is read whole, as a whole load reads it: gift seasons read it.
    load_decided(dir, true, |settings, timelog| {
        let kept = Kept::new(&settings.model.config, timelog, now);
        let of_deadlines = kept.clone();
        (
            move |d: &crate::domain::model::Deadline| {
                deadline_can_alert(d) || of_deadlines.deadline(d)
            },
            move |f: &crate::domain::model::Followup| can_alert(f) || kept.followup(f),
        )
    })
}

fn once(dir: &Path, now: DateTime<Utc>) -> ExitCode {
    let mut alerter = Alerter::new(dir);
    let (report, _) = run_pass(&mut alerter, dir, now, warn_data_errors);
    for a in &report.sent {
        let _ = out_line(&a.one_line());
    }
    if let Some(w) = &report.warning {
        err_line(&format!("tether: {w}"));
    }
    exit_code(&report)
}

/// One pass at `now`: the data read (its error count handed to `errors` at once), the pass's
/// lines written, the alerts sent and recorded. Returns the report and the next wake-up.
///
/// The follow-ups that can alert are folded as they are read ([`stream_pass`]: a file of
/// millions of overdue ones is not held), against the record read before the lock; should the
/// record have changed by the time the lock is taken (another process sent meanwhile), the
/// alerts are worked out again from the records that can alert, loaded whole.
fn run_pass(
    alerter: &mut Alerter,
    dir: &Path,
    now: DateTime<Utc>,
    errors: impl FnOnce(usize),
) -> (PassReport, Option<DateTime<Utc>>) {
    let Some(Streamed {
        loaded,
        alerts,
        wake,
        sent,
    }) = alerter
        .sent()
        .ok()
        .and_then(|sent| stream_pass(dir, now, sent))
    else {
        // The record cannot be read (the pass says so), or tether.toml changed while read.
        let loaded = load_for_pass(dir, now);
        errors(loaded.errors());
        pass_writes(dir, &loaded.model, now);
        let wake = next_wakeup(&loaded.model, now);
        return (alerter.pass(loaded.model, now), wake);
    };
    errors(loaded.errors());
    pass_writes(dir, &loaded.model, now);
    if !loaded.model.config.alerts.enabled {
        return (PassReport::default(), wake);
    }
    let pending = Pending {
        alerts,
        settings: loaded.model.config.alerts.clone(),
        me: loaded.model.config.me.clone(),
    };
    drop(loaded);
    (send_worked_out(alerter, dir, now, pending, sent), wake)
}

/// Send `pending`, worked out against `sent` before the lock was taken; if the record read
/// under the lock differs (another process sent meanwhile), worked out again from the records
/// that can alert, loaded whole, so nothing goes out twice.
fn send_worked_out(
    alerter: &mut Alerter,
    dir: &Path,
    now: DateTime<Utc>,
    pending: Pending,
    sent: Vec<SentEntry>,
) -> PassReport {
    alerter.pass_with(now, |locked| {
        if locked == sent.as_slice() {
            return Some(pending);
        }
        drop(sent);
        let again = load_for_pass(dir, now);
        Some(Pending {
            alerts: pending_alerts(&again.model, locked, now),
            settings: again.model.config.alerts.clone(),
            me: again.model.config.me.clone(),
        })
    })
}

/// What wakes `--watch` before its next alert is due.
enum Wake {
    /// A data file changed (debounced).
    DataChanged,
    Signal(i32),
}

fn watch_loop(dir: &Path) -> Result<ExitCode> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let (tx, rx) = mpsc::channel::<Wake>();
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    let sig_tx = tx.clone();
    std::thread::Builder::new()
        .name("tether-signals".into())
        .spawn(move || {
            for s in signals.forever() {
                if sig_tx.send(Wake::Signal(s)).is_err() {
                    return;
                }
            }
        })?;
    // Keep the watcher alive for the whole loop. Without one, reload on every nap.
    let watcher = match watch(dir, move || tx.send(Wake::DataChanged).is_ok()) {
        Ok(w) => Some(w),
        Err(e) => {
            err_line(&format!(
                "tether: cannot watch {} for changes ({e}); re-reading it every minute",
                dir.display()
            ));
            None
        }
    };
    err_line(&format!(
        "tether: watching {} for alerts (Ctrl-C or SIGTERM to stop)",
        dir.display()
    ));
    let mut alerter = Alerter::new(dir);
    let mut last_warning: Option<String> = None;
    let mut last_errors = 0;
    loop {
        let now = Utc::now();
        let (report, mut target) = run_pass(&mut alerter, dir, now, |errors| {
            if errors != last_errors {
                warn_data_errors(errors);
                last_errors = errors;
            }
        });
        for a in &report.sent {
            let _ = out_line(&a.one_line());
        }
        if report.warning != last_warning {
            match &report.warning {
                Some(w) => err_line(&format!("tether: {w}")),
                None if last_warning.is_some() => err_line("tether: desktop alerts work again"),
                None => {}
            }
            last_warning = report.warning.clone();
        }
        if report.retry_soon() {
            let retry = now + chrono::Duration::from_std(RETRY).unwrap_or_default();
            target = Some(target.map_or(retry, |t| t.min(retry)));
        }
        // Sleep until the target, a data file changes, or a signal.
        loop {
            let now = Utc::now();
            let nap = match target {
                Some(t) if t <= now => break,
                Some(t) => (t - now).to_std().unwrap_or(MAX_NAP).min(MAX_NAP),
                None => MAX_NAP,
            };
            match rx.recv_timeout(nap) {
                Ok(Wake::DataChanged) => break,
                Ok(Wake::Signal(s)) if s == SIGHUP => break,
                Ok(Wake::Signal(_)) => {
                    drop(watcher);
                    return Ok(ExitCode::SUCCESS);
                }
                Err(mpsc::RecvTimeoutError::Timeout) if watcher.is_none() => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(ExitCode::SUCCESS),
            }
        }
    }
}

/// The lines the alert passes write (`store::pass_writes`), before the alerts of the pass;
/// each one written is said, as an alert sent is.
pub fn pass_writes(dir: &Path, model: &crate::domain::model::Model, now: DateTime<Utc>) {
    let w = crate::store::pass_writes::write_due_lines(dir, model, now);
    for l in &w.said {
        let _ = out_line(l);
    }
    for f in &w.failed {
        err_line(&format!("tether: {f}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::send::SendError;
    use std::sync::{Arc, Mutex};

    /// A pass worked out before another process sent the same alert is worked out again under
    /// the lock: nothing goes out twice.
    #[test]
    fn an_alert_sent_meanwhile_by_another_process_is_not_sent_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("tether.toml"),
            "[me]\nzone = \"Australia/Brisbane\"\nwork_hours = \"09:00-17:00\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("followups.jsonl"),
            "{\"what\":\"Send the glossary to Kanda\",\"due\":\"2026-11-25T01:00:00Z\"}\n",
        )
        .unwrap();
        let now: DateTime<Utc> = "2026-11-25T02:00:00Z".parse().unwrap();
        let streamed = stream_pass(dir.path(), now, Vec::new()).unwrap();
        assert_eq!(streamed.alerts.len(), 1);
        // Another process sends it first.
        crate::alerts::record_sent(dir.path(), &streamed.alerts[0], now).unwrap();
        let delivered = Arc::new(Mutex::new(0));
        let count = delivered.clone();
        let mut alerter = Alerter::new(dir.path()).with_sender(Box::new(move |_, _| {
            *count.lock().unwrap() += 1;
            Ok::<(), SendError>(())
        }));
        let pending = Pending {
            alerts: streamed.alerts,
            settings: streamed.loaded.model.config.alerts.clone(),
            me: streamed.loaded.model.config.me.clone(),
        };
        let report = send_worked_out(&mut alerter, dir.path(), now, pending, streamed.sent);
        assert!(report.sent.is_empty(), "{report:?}");
        assert_eq!(*delivered.lock().unwrap(), 0);
    }
}
