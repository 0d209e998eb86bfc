//! Desktop alerts inside the dashboard: a worker thread runs alert passes (which may wait seconds
//! on a silent notification server) so the screen never blocks, and reports back as an event.

use super::event::Event;
use super::state::AlertEntry;
use crate::alerts::pass::Pending;
use crate::alerts::{Alerter, PassReport, any_sent, next_wakeup, pending_alerts, sent_log};
use crate::store::load::Loaded;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// What a pass found, for the header and the `n` list.
#[derive(Debug, Clone)]
pub struct AlertsUpdate {
    pub warning: Option<String>,
    pub entries: Vec<AlertEntry>,
}

/// Handle to the worker; dropping it ends the worker after its current pass.
pub struct AlertWorker {
    tx: Sender<Request>,
}

struct Request {
    loaded: Arc<Loaded>,
    now: DateTime<Utc>,
    changed: bool,
}

impl AlertWorker {
    pub fn start(dir: &Path, events: Sender<Event>) -> std::io::Result<AlertWorker> {
        let (tx, rx) = channel::<Request>();
        let dir = dir.to_path_buf();
        std::thread::Builder::new()
            .name("tether-alerts".into())
            .spawn(move || work(&dir, &rx, &events))?;
        Ok(AlertWorker { tx })
    }

    /// Ask for a pass at `now` over the dashboard's own data (shared, not copied; the worker
    /// lets go of it as soon as it knows what to send). `changed`: the data changed since the
    /// last request. Without a change, the worker skips the pass until the next instant at
    /// which an alert level can change (`alerts::next_wakeup`), so an idle minute costs nothing.
    pub fn check(&self, loaded: Arc<Loaded>, now: DateTime<Utc>, changed: bool) {
        let _ = self.tx.send(Request {
            loaded,
            now,
            changed,
        });
    }
}

fn work(dir: &Path, rx: &Receiver<Request>, events: &Sender<Event>) {
    let mut alerter = Alerter::new(dir);
    // No alert level can change before this unless the data does (None: pass at the next
    // request, as after the lock was busy).
    let mut quiet_until: Option<DateTime<Utc>> = None;
    // What the last pass could not deliver, to try again without working it out again while
    // neither the data nor any level changed.
    let mut undelivered: Option<Pending> = None;
    while let Ok(mut req) = rx.recv() {
        // Only the newest request matters: skip the ones that queued up during a slow pass.
        let mut changed = req.changed;
        loop {
            match rx.try_recv() {
                Ok(newer) => {
                    changed |= newer.changed;
                    req = newer;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        let Request { loaded, now, .. } = req;
        let calm = !changed && quiet_until.is_some_and(|t| now < t);
        if calm && undelivered.is_none() {
            continue;
        }
        let retry = if calm { undelivered.take() } else { None };
        undelivered = None;
        let report = if loaded.model.config.alerts.enabled {
            let config = &loaded.model.config;
            let (settings, me) = (config.alerts.clone(), config.me.clone());
            let mut wake = quiet_until;
            let mut worked = false;
            let (wake_out, worked_out) = (&mut wake, &mut worked);
            let report = alerter.pass_with(now, move |sent| {
                *worked_out = true;
                if let Some(p) = retry.filter(|p| !any_sent(&p.alerts, sent)) {
                    return Some(p);
                }
                let model = &loaded.model;
                let pending = Pending {
                    alerts: pending_alerts(model, sent, now),
                    settings: model.config.alerts.clone(),
                    me: model.config.me.clone(),
                };
                *wake_out = next_wakeup(model, now);
                // Let go of the data before waiting on the notification server.
                drop(loaded);
                Some(pending)
            });
            if report.delivery_failed && !report.record_failed {
                undelivered = Some(Pending {
                    alerts: report.not_sent.clone(),
                    settings,
                    me,
                });
            }
            // A record that could not be written: work the pass out again next time.
            quiet_until = if worked && !report.record_failed {
                Some(wake.unwrap_or(DateTime::<Utc>::MAX_UTC))
            } else {
                None
            };
            report
        } else {
            drop(loaded);
            quiet_until = Some(DateTime::<Utc>::MAX_UTC);
            PassReport::default()
        };
        let mut entries: Vec<AlertEntry> = report
            .not_sent
            .iter()
            .map(|a| AlertEntry {
                at: now,
                summary: a.summary.clone(),
                sent: false,
            })
            .collect();
        entries.extend(sent_log(dir).into_iter().map(|e| AlertEntry {
            at: e.at,
            summary: e.summary,
            sent: true,
        }));
        let update = AlertsUpdate {
            warning: report.warning.clone(),
            entries,
        };
        if events.send(Event::Alerts(update)).is_err() {
            return;
        }
    }
}
