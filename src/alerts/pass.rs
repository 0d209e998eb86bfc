//! One alert pass: read what was sent, work out what is due, send it, record what went out.
//! Shared by the dashboard (off its UI thread), `tether notify --once` and `--watch`.

use super::pending::pending_alerts;
use super::quiet::{is_quiet, next_send_time};
use super::record::{AlertsLock, LOCK_WAIT, RecordError, SentEntry, append_unlocked, read_sent};
use super::rules::Alert;
use super::send::{DEFAULT_TIMEOUT, SendError, send};
use crate::domain::model::{AlertSettings, Me, Model};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How an alert reaches the desktop; [`send`] unless a test swaps it.
pub type SendFn = Box<dyn Fn(&Alert, Duration) -> Result<(), SendError> + Send + Sync>;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Accepted by the notification server (and recorded, unless `record_failed`).
    pub sent: Vec<Alert>,
    /// Not delivered (no bus, no server, no answer in time): not recorded, so the next pass
    /// tries again.
    pub not_sent: Vec<Alert>,
    /// Due but waiting for quiet hours to end (at `held_until`).
    pub held: Vec<Alert>,
    pub held_until: Option<DateTime<Utc>>,
    /// Why not everything went out, on one line (no "tether: " prefix), for the dashboard's
    /// header or stderr. None when all is well.
    pub warning: Option<String>,
    /// Delivery failed for at least one alert.
    pub delivery_failed: bool,
    /// The record of sent alerts could not be read or written (or its lock taken).
    pub record_failed: bool,
}

impl PassReport {
    /// Worth trying again soon (rather than at the next level change).
    pub fn retry_soon(&self) -> bool {
        self.delivery_failed || self.record_failed
    }

    pub(crate) fn warn(&mut self, w: String) {
        self.warning = Some(match self.warning.take() {
            Some(prev) => format!("{prev}; {w}"),
            None => w,
        });
    }
}

/// What a pass is to send, worked out from the model (see [`Alerter::pass_with`]).
#[derive(Debug, Clone)]
pub struct Pending {
    pub alerts: Vec<Alert>,
    pub settings: AlertSettings,
    pub me: Me,
}

/// Sends the due alerts of a data directory, once each.
///
/// ```no_run
/// # use tether::alerts::Alerter;
/// # fn demo(model: &tether::domain::model::Model) {
/// let mut alerter = Alerter::new(std::path::Path::new("/data"));
/// let report = alerter.pass(model, chrono::Utc::now()); // blocks ≤ ~13 s: call off the UI thread
/// if let Some(w) = report.warning { eprintln!("tether: {w}"); }
/// # }
/// ```
pub struct Alerter {
    dir: PathBuf,
    timeout: Duration,
    sender: SendFn,
    /// Sent, but the record could not be written: remembered so this process does not repeat
    /// them.
    unrecorded: Vec<SentEntry>,
}

impl std::fmt::Debug for Alerter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Alerter")
            .field("dir", &self.dir)
            .field("timeout", &self.timeout)
            .field("unrecorded", &self.unrecorded.len())
            .finish()
    }
}

impl Alerter {
    /// Alerts for the data directory `dir`, sent with [`send`] and a [`DEFAULT_TIMEOUT`] (3 s).
    pub fn new(dir: &Path) -> Alerter {
        Alerter {
            dir: dir.to_path_buf(),
            timeout: DEFAULT_TIMEOUT,
            sender: Box::new(send),
            unrecorded: Vec::new(),
        }
    }

    /// How long to wait for the notification server per alert.
    pub fn with_timeout(mut self, timeout: Duration) -> Alerter {
        self.timeout = timeout;
        self
    }

    /// Deliver alerts some other way (tests).
    pub fn with_sender(mut self, sender: SendFn) -> Alerter {
        self.sender = sender;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What was sent, as a pass sees it (the record, and what this process sent but could not
    /// record), read without the lock: to work a pass out before taking it
    /// ([`super::stream`]); [`Alerter::pass_with`] hands what it reads under the lock to
    /// compare.
    pub fn sent(&self) -> Result<Vec<SentEntry>, RecordError> {
        let mut sent = read_sent(&self.dir)?;
        sent.extend(self.unrecorded.iter().cloned());
        Ok(sent)
    }

    /// One pass at `now`. Holds `.tether/alerts.lock` throughout, so concurrent tether
    /// processes never send the same alert twice. Blocks for at most the lock wait (10 s, only
    /// while another process runs a pass) plus one `timeout`: after the first failed delivery the
    /// remaining alerts are not tried (they count as not sent).
    ///
    /// Given the model itself (not a reference), the pass lets go of it once the alerts are
    /// worked out, before they are sent and recorded (`tether notify`: a flood's summary names
    /// every item, and its record is written whole).
    pub fn pass(
        &mut self,
        model: impl std::borrow::Borrow<Model>,
        now: DateTime<Utc>,
    ) -> PassReport {
        if !model.borrow().config.alerts.enabled {
            return PassReport::default();
        }
        self.pass_with(now, move |sent| {
            let model = model.borrow();
            Some(Pending {
                alerts: pending_alerts(model, sent, now),
                settings: model.config.alerts.clone(),
                me: model.config.me.clone(),
            })
        })
    }

    /// [`Alerter::pass`] with the model behind `work`, which is given what was sent and is
    /// called once, before anything is sent: a caller holding shared data can let go of it
    /// there, before the pass waits on the notification server. Check that alerts are enabled
    /// first (the lock is taken and the record read before `work`); `work` may still return
    /// None to end the pass.
    pub fn pass_with(
        &mut self,
        now: DateTime<Utc>,
        work: impl FnOnce(&[SentEntry]) -> Option<Pending>,
    ) -> PassReport {
        let mut report = PassReport::default();
        let _lock = match AlertsLock::acquire(&self.dir, LOCK_WAIT) {
            Ok(l) => l,
            Err(e @ RecordError::Busy { .. }) => {
                report.warn(e.to_string());
                return report;
            }
            Err(e) => {
                report.record_failed = true;
                report.warn(e.to_string());
                return report;
            }
        };
        let sent = match self.sent() {
            Ok(s) => s,
            Err(e) => {
                report.record_failed = true;
                report.warn(e.to_string());
                return report;
            }
        };
        let Some(Pending {
            alerts: pending,
            settings,
            me,
        }) = work(&sent)
        else {
            return report;
        };
        let (settings, me) = (&settings, &me);
        if is_quiet(settings, me, now) {
            report.held_until = next_send_time(settings, me, now);
            report.held = pending;
            return report;
        }
        let mut failure: Option<SendError> = None;
        for alert in pending {
            if failure.is_some() {
                report.not_sent.push(alert);
                continue;
            }
            match (self.sender)(&alert, self.timeout) {
                Ok(()) => {
                    if let Err(e) = append_unlocked(&self.dir, &alert, now) {
                        if !report.record_failed {
                            report.warn(e.to_string());
                        }
                        report.record_failed = true;
                        self.unrecorded.push(SentEntry::from_alert(&alert, now));
                    }
                    report.sent.push(alert);
                }
                Err(e) => {
                    failure = Some(e);
                    report.not_sent.push(alert);
                }
            }
        }
        if let Some(e) = failure {
            report.delivery_failed = true;
            report.warn(e.warning(report.not_sent.len()));
        }
        report
    }
}
