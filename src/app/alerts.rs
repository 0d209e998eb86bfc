//! Desktop alerts inside the dashboard: a worker thread runs alert passes (which may wait seconds
//! on a silent notification server) so the screen never blocks, and reports back as an event.

use super::event::Event;
use super::state::AlertEntry;
use crate::alerts::{Alerter, sent_log};
use crate::domain::model::Model;
use crate::store::load::load_without_contacts;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// What a pass found, for the header and the `n` list.
#[derive(Debug, Clone)]
pub struct AlertsUpdate {
    pub warning: Option<String>,
    pub entries: Vec<AlertEntry>,
}

/// Handle to the worker; dropping it ends the worker after its current pass.
pub struct AlertWorker {
    tx: Sender<DateTime<Utc>>,
}

impl AlertWorker {
    pub fn start(dir: &Path, events: Sender<Event>) -> std::io::Result<AlertWorker> {
        let (tx, rx) = channel::<DateTime<Utc>>();
        let dir = dir.to_path_buf();
        std::thread::Builder::new()
            .name("tether-alerts".into())
            .spawn(move || work(&dir, &rx, &events))?;
        Ok(AlertWorker { tx })
    }

    /// Ask for a pass. The worker reads the deadlines and follow-ups itself (not the contact
    /// log, which alerts never need), so the UI thread copies nothing and stays responsive.
    pub fn check(&self, now: DateTime<Utc>) {
        let _ = self.tx.send(now);
    }
}

fn work(dir: &Path, rx: &Receiver<DateTime<Utc>>, events: &Sender<Event>) {
    let mut alerter = Alerter::new(dir);
    while let Ok(mut now) = rx.recv() {
        // Only the newest request matters: skip the ones that queued up during a slow pass.
        loop {
            match rx.try_recv() {
                Ok(newer) => now = newer,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        let model: Model = load_without_contacts(dir).model;
        let report = alerter.pass(&model, now);
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
