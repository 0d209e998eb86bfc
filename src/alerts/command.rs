//! `tether notify --once` (cron, systemd timers) and `tether notify --watch` (a small daemon).
//!
//! Exit codes: 0 = done (also when nothing was due, alerts are off, or it is quiet hours);
//! 1 = the record of sent alerts (`.tether/alerts.jsonl`) could not be read or written;
//! 2 = bad data directory or usage (printed by `main`); 3 = some alerts could not be delivered
//! (no session bus, no notification server, no answer within 3 s): they were not recorded and go
//! out on the next run.

use super::pass::{Alerter, PassReport};
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
/// [`super::rules::deadline_can_alert`]), those the lines the pass writes read
/// ([`crate::store::pass_writes::Reads`]) and those the time log is on (the running timer's
/// title): a file of millions of undated follow-ups is not held (issue 13). The same alerts and
/// lines as a whole load.
pub fn load_for_pass(dir: &Path, now: DateTime<Utc>) -> Loaded {
    use super::rules::{can_alert, deadline_can_alert};
    // The contact log is read whole, as a whole load reads it: gift seasons read it.
    load_decided(dir, true, |settings, timelog| {
        let named = crate::domain::timelog::deadline_ids(timelog);
        let writes = crate::store::pass_writes::Reads::new(&settings.model.config, now);
        let of_deadlines = writes.clone();
        (
            move |d: &crate::domain::model::Deadline| {
                deadline_can_alert(d)
                    || of_deadlines.deadline(d)
                    || d.id.as_deref().is_some_and(|id| named.contains(id))
            },
            move |f: &crate::domain::model::Followup| can_alert(f) || writes.followup(f),
        )
    })
}

fn once(dir: &Path, now: DateTime<Utc>) -> ExitCode {
    let loaded = load_for_pass(dir, now);
    warn_data_errors(loaded.errors());
    pass_writes(dir, &loaded.model, now);
    let mut alerter = Alerter::new(dir);
    let report = alerter.pass(loaded.model, now);
    for a in &report.sent {
        let _ = out_line(&a.one_line());
    }
    if let Some(w) = &report.warning {
        err_line(&format!("tether: {w}"));
    }
    exit_code(&report)
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
        let loaded = load_for_pass(dir, now);
        if loaded.errors() != last_errors {
            warn_data_errors(loaded.errors());
            last_errors = loaded.errors();
        }
        pass_writes(dir, &loaded.model, now);
        let mut target = next_wakeup(&loaded.model, now);
        let report = alerter.pass(loaded.model, now);
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
