//! `tether notify`'s pass on a data directory of any size: the deadlines and follow-ups that
//! can alert are offered to the flood guard's [`Fold`] as the loader parses them and dropped,
//! so a file of millions of overdue ones is never held (issue 13). What the pass's writes read
//! (`store::pass_writes::Reads`), the deadlines the time log is on and the contact log are kept
//! as a whole load keeps them.

use super::fold::{Fold, NAMED};
use super::rules::{Alert, Alerting, SentEntry};
use super::sent_index::SentIndex;
use super::wakeup::{deadline_wake, followup_wake, next_wakeup_besides};
use crate::domain::model::{Config, Deadline, Followup, Interaction, TimeEntry};
use crate::store::load::{Loaded, Records, load_all_into, load_config, load_timelog};
use crate::store::pass_writes::Reads;
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Mutex;

/// One pass worked out from the files: the model of what was kept (for the pass's writes),
/// the alerts against `sent`, and the next wake-up.
pub struct Streamed {
    pub loaded: Loaded,
    pub alerts: Vec<Alert>,
    pub wake: Option<DateTime<Utc>>,
    /// What was sent when the alerts were worked out: a pass that finds the record changed
    /// under its lock works them out again.
    pub sent: Vec<SentEntry>,
}

/// What a pass keeps of the records besides those that can alert: those the lines the pass
/// writes read ([`Reads`]) and the deadlines the time log is on (the running timer's title).
#[derive(Clone)]
pub(super) struct Kept {
    writes: Reads,
    named: std::collections::HashSet<String>,
}

impl Kept {
    pub(super) fn new(config: &Config, timelog: &[TimeEntry], now: DateTime<Utc>) -> Kept {
        Kept {
            writes: Reads::new(config, now),
            named: crate::domain::timelog::deadline_ids(timelog),
        }
    }

    pub(super) fn deadline(&self, d: &Deadline) -> bool {
        self.writes.deadline(d) || d.id.as_deref().is_some_and(|id| self.named.contains(id))
    }

    pub(super) fn followup(&self, f: &Followup) -> bool {
        self.writes.followup(f)
    }
}

/// What the loader's sink gathers.
struct Gather<'c> {
    fold: Fold<'c, 'static>,
    wake: Option<DateTime<Utc>>,
    deadlines: Vec<Deadline>,
    followups: Vec<Followup>,
    interactions: Vec<Interaction>,
}

/// The pass at `now` against `sent` (read without the lock: [`super::Alerter::sent`]). None
/// when tether.toml or the time log changed while the files were read (what was kept may be for
/// the wrong records): then load the kept records whole (`super::command::load_for_pass`).
pub fn stream_pass(dir: &Path, now: DateTime<Utc>, sent: Vec<SentEntry>) -> Option<Streamed> {
    let settings = load_config(dir);
    let config = &settings.model.config;
    let (timelog, _) = load_timelog(dir, config);
    let kept = Kept::new(config, &timelog, now);
    // Logged time counts against a deadline's estimate: attached as each is read, as the whole
    // load attaches it once they are in.
    let logged = crate::domain::timelog::by_deadline(&config.me, &timelog);
    let alerting = Alerting::new(config);
    let index = SentIndex::new(&sent);
    let gather = Mutex::new(Gather {
        fold: Fold::new(config, &index, now, NAMED),
        wake: None,
        deadlines: Vec::new(),
        followups: Vec::new(),
        interactions: Vec::new(),
    });
    let sink = |r: Records| {
        let Ok(mut g) = gather.lock() else {
            return;
        };
        match r {
            Records::Deadlines(d) => {
                for mut d in d {
                    crate::domain::timelog::attach_one(&mut d, &logged);
                    g.fold.deadline(&d, |d| Cow::Owned(d.clone()));
                    let t = deadline_wake(g.fold.calendar(), &d, &config.alerts, &alerting, now);
                    g.wake = earliest(g.wake, t);
                    if kept.deadline(&d) {
                        g.deadlines.push(d);
                    }
                }
            }
            Records::Followups(f) => {
                for f in f {
                    g.fold.followup(&f, |f| Cow::Owned(f.clone()));
                    let t = followup_wake(&f, &config.me, &alerting, now);
                    g.wake = earliest(g.wake, t);
                    if kept.followup(&f) {
                        g.followups.push(f);
                    }
                }
            }
            Records::Interactions(i) => g.interactions.extend(i),
        }
    };
    let mut loaded = load_all_into(dir, &sink);
    let g = gather.into_inner().ok()?;
    if loaded.model.config != *config || loaded.model.timelog != timelog {
        return None;
    }
    loaded.model.deadlines = g.deadlines.into();
    loaded.model.followups = g.followups.into();
    loaded.model.interactions = g.interactions;
    let mut fold: Fold<'_, '_> = g.fold;
    fold.timer(&loaded.model);
    let alerts = fold.finish();
    let wake = next_wakeup_besides(&loaded.model, g.wake, now);
    drop(index);
    Some(Streamed {
        loaded,
        alerts,
        wake,
        sent,
    })
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
