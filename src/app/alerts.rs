//! Desktop alerts inside the dashboard: a worker thread runs alert passes (which may wait seconds
//! on a silent notification server) so the screen never blocks, and reports back as an event.

use super::event::{AlertsUpdate, Event};
use super::state::AlertEntry;
use crate::alerts::pass::Pending;
use crate::alerts::{Alerter, PassReport, any_sent, next_wakeup, pending_alerts, sent_log};
use crate::store::load::Loaded;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Handle to the worker; dropping it ends the worker after its current pass.
pub struct AlertWorker {
    slot: Arc<Slot>,
}

struct Request {
    loaded: Arc<Loaded>,
    now: DateTime<Utc>,
    changed: bool,
}

/// The one request waiting for the worker (only the newest matters: a newer one replaces it),
/// so that at most one handle on the data waits there, and the dashboard can take it back.
#[derive(Default)]
struct Slot {
    state: Mutex<SlotState>,
    ready: Condvar,
}

#[derive(Default)]
struct SlotState {
    request: Option<Request>,
    closed: bool,
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, SlotState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next request; None once the dashboard has gone.
    fn next(&self) -> Option<Request> {
        let mut g = self.lock();
        loop {
            if let Some(r) = g.request.take() {
                return Some(r);
            }
            if g.closed {
                return None;
            }
            g = self.ready.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl AlertWorker {
    pub fn start(dir: &Path, events: Sender<Event>) -> std::io::Result<AlertWorker> {
        let slot = Arc::new(Slot::default());
        let worker_slot = Arc::clone(&slot);
        let dir = dir.to_path_buf();
        std::thread::Builder::new()
            .name("tether-alerts".into())
            .spawn(move || work(&dir, &worker_slot, &events))?;
        Ok(AlertWorker { slot })
    }

    /// Take back the request that has not started yet, letting go of its handle on the data
    /// (so the dashboard can change the data in place); its `changed`, to ask again with.
    pub fn withdraw(&self) -> Option<bool> {
        self.slot.lock().request.take().map(|r| r.changed)
    }

    /// Ask for a pass at `now` over the dashboard's own data (shared, not copied; the worker
    /// lets go of it as soon as it knows what to send). `changed`: the data changed since the
    /// last request. Without a change, the worker skips the pass until the next instant at
    /// which an alert level can change (`alerts::next_wakeup`), so an idle minute costs nothing.
    pub fn check(&self, loaded: Arc<Loaded>, now: DateTime<Utc>, changed: bool) {
        let mut g = self.slot.lock();
        // A request replaced before it started still counts its change.
        let changed = changed || g.request.as_ref().is_some_and(|r| r.changed);
        g.request = Some(Request {
            loaded,
            now,
            changed,
        });
        drop(g);
        self.slot.ready.notify_one();
    }
}

impl Drop for AlertWorker {
    fn drop(&mut self) {
        let mut g = self.slot.lock();
        g.closed = true;
        g.request = None;
        drop(g);
        self.slot.ready.notify_one();
    }
}

/// The alerts already sent (from the record), for the `n` list when no worker runs.
pub fn sent_entries(dir: &Path) -> Vec<AlertEntry> {
    sent_log(dir)
        .into_iter()
        .map(|e| AlertEntry {
            at: e.at,
            summary: e.summary,
            sent: true,
        })
        .collect()
}

fn work(dir: &Path, slot: &Slot, events: &Sender<Event>) {
    let mut alerter = Alerter::new(dir);
    // No alert level can change before this unless the data does (None: pass at the next
    // request, as after the lock was busy).
    let mut quiet_until: Option<DateTime<Utc>> = None;
    // What the last pass could not deliver, to try again without working it out again while
    // neither the data nor any level changed.
    let mut undelivered: Option<Pending> = None;
    // Only the newest request matters: one that came during a slow pass replaced the older.
    while let Some(req) = slot.next() {
        let Request {
            loaded,
            now,
            changed,
        } = req;
        let calm = !changed && quiet_until.is_some_and(|t| now < t);
        if calm && undelivered.is_none() {
            continue;
        }
        let retry = if calm { undelivered.take() } else { None };
        undelivered = None;
        // The lines the passes write (gift seasons, bills, milestones: `store::pass_writes`):
        // written here, off the screen's thread, as the alerts are sent (the watcher then
        // brings the new lines in).
        let failed =
            crate::store::pass_writes::write_due_lines(alerter.dir(), &loaded.model, now).failed;
        let mut report = if loaded.model.config.alerts.enabled {
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
        for f in failed {
            report.warn(f);
        }
        let mut entries: Vec<AlertEntry> = report
            .not_sent
            .iter()
            .map(|a| AlertEntry {
                at: now,
                summary: a.summary.clone(),
                sent: false,
            })
            .collect();
        entries.extend(sent_entries(dir));
        let update = AlertsUpdate {
            warning: report.warning.clone(),
            entries,
        };
        if events.send(Event::Alerts(update)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::load::load_dir;

    #[test]
    fn a_request_not_started_can_be_taken_back_and_lets_go_of_the_data() {
        // No thread: the request stays in the slot.
        let w = AlertWorker {
            slot: Arc::new(Slot::default()),
        };
        let dir = std::path::PathBuf::from("config/example");
        let loaded = Arc::new(load_dir(&dir));
        let now = Utc::now();
        w.check(Arc::clone(&loaded), now, true);
        // A newer request replaces it (one handle waits, not two) and keeps its change.
        w.check(Arc::clone(&loaded), now, false);
        assert_eq!(Arc::strong_count(&loaded), 2);
        assert_eq!(w.withdraw(), Some(true));
        assert_eq!(Arc::strong_count(&loaded), 1);
        assert_eq!(w.withdraw(), None);
    }
}
