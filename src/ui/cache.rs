//! What a frame needs from a whole list — natural column widths, section counts, urgent counts,
//! the size of the problems box — computed once per board, so that a frame (a `j`/`k`) costs
//! O(rows in sight) however long the lists are.
//!
//! `App` holds one [`UiCache`]; `App::refresh` (which recomputes the board: new data, new minute,
//! filter, `z`) replaces it with an empty one, and the next frame fills it. Between two boards
//! the column widths therefore stay put while scrolling, even when a key press moves `app.now`.
//! As a safety net each entry is also tied to the identity (address and length) of the lists it
//! was computed from: a board replaced without `refresh` is never drawn with stale widths.

use super::{deadlines, followups, heat, overlay};
use crate::app::state::App;
use std::sync::{Arc, Mutex, MutexGuard};

/// From this many deadline and follow-up rows on, [`UiCache::warm`] uses a second thread.
const PARALLEL_ROWS: usize = 20_000;

/// The identity of the lists a frame reads: (address, length) of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key([(usize, usize); 4]);

impl Key {
    fn of(app: &App) -> Key {
        fn id<T>(v: &[T]) -> (usize, usize) {
            (v.as_ptr() as usize, v.len())
        }
        let b = &app.board;
        Key([
            id(&b.deadlines),
            id(&b.followups),
            id(&b.heat),
            id(&app.loaded.diagnostics),
        ])
    }
}

#[derive(Debug, Default)]
struct Entries {
    deadlines: Option<Arc<Vec<usize>>>,
    followups: Option<Arc<followups::Layout>>,
    heat: Option<Arc<heat::Layout>>,
    urgent: Option<[usize; 4]>,
    /// Keyed by the text width the problems are wrapped to.
    problems: Option<(usize, overlay::ProblemsSize)>,
}

/// Per-board drawing data; see the module docs. `Sync`, like the rest of `App`.
#[derive(Debug, Default)]
pub struct UiCache {
    state: Mutex<Option<(Key, Entries)>>,
}

impl UiCache {
    /// The entries for `app`'s current board (emptied when the board is not the one they were
    /// computed from). Nothing that computes an entry may call back into the cache.
    fn entries<R>(&self, app: &App, f: impl FnOnce(&mut Entries) -> R) -> R {
        let key = Key::of(app);
        let mut guard: MutexGuard<'_, _> = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if guard.as_ref().is_none_or(|(k, _)| *k != key) {
            *guard = Some((key, Entries::default()));
        }
        match guard.as_mut() {
            Some((_, e)) => f(e),
            None => f(&mut Entries::default()),
        }
    }

    /// Fill the two big entries (deadline widths, follow-up layout) side by side when the
    /// board is long enough to be worth a thread: each is a pass over its whole list, and the
    /// first frame after a new board would otherwise do them one after the other.
    pub fn warm(&self, app: &App) {
        let big = app.board.deadlines.len() + app.board.followups.len() >= PARALLEL_ROWS;
        let missing = self.entries(app, |e| e.deadlines.is_none() && e.followups.is_none());
        if !big || !missing {
            return;
        }
        let (d, f) = std::thread::scope(|s| {
            let d = s.spawn(|| deadlines::natural(app));
            let f = followups::Layout::of(app);
            (d.join(), f)
        });
        let d = match d {
            Ok(d) => d,
            Err(p) => std::panic::resume_unwind(p),
        };
        self.entries(app, |e| {
            e.deadlines = Some(Arc::new(d));
            e.followups = Some(Arc::new(f));
        });
    }

    /// Natural widths of the deadline columns.
    pub fn deadlines(&self, app: &App) -> Arc<Vec<usize>> {
        self.entries(app, |e| {
            e.deadlines
                .get_or_insert_with(|| Arc::new(deadlines::natural(app)))
                .clone()
        })
    }

    /// Natural widths and sections of the follow-up pane.
    pub fn followups(&self, app: &App) -> Arc<followups::Layout> {
        self.entries(app, |e| {
            e.followups
                .get_or_insert_with(|| Arc::new(followups::Layout::of(app)))
                .clone()
        })
    }

    /// Natural widths of the heat columns and whether any client has a champion.
    pub fn heat(&self, app: &App) -> Arc<heat::Layout> {
        self.entries(app, |e| {
            e.heat
                .get_or_insert_with(|| Arc::new(heat::Layout::of(app)))
                .clone()
        })
    }

    /// Urgent items per pane (by `Pane::index`), for the tab bar's badges.
    pub fn urgent(&self, app: &App, count: impl FnOnce() -> [usize; 4]) -> [usize; 4] {
        self.entries(app, |e| *e.urgent.get_or_insert_with(count))
    }

    /// The size of the problems list wrapped to `text_w` columns.
    pub fn problems(
        &self,
        app: &App,
        text_w: usize,
        size: impl FnOnce() -> overlay::ProblemsSize,
    ) -> overlay::ProblemsSize {
        self.entries(app, |e| match e.problems {
            Some((w, s)) if w == text_w => s,
            _ => {
                let s = size();
                e.problems = Some((text_w, s));
                s
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn warming_a_long_board_fills_what_a_frame_would_compute() {
        let dir = tempfile::tempdir().unwrap();
        crate::store::example::write_example(dir.path()).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        let mut lines = String::new();
        for i in 0..PARALLEL_ROWS {
            let due = now + Duration::hours(i as i64 % 500 - 100);
            lines.push_str(&format!(
                "{{\"id\":\"w{i}\",\"what\":\"Follow-up number {i}\",\"due\":\"{}\"}}\n",
                due.to_rfc3339()
            ));
        }
        std::fs::write(dir.path().join("followups.jsonl"), lines).unwrap();
        let app = App::open(dir.path().to_path_buf(), now);
        assert!(app.board.followups.len() >= PARALLEL_ROWS);
        app.ui_cache.warm(&app);
        let warmed = app
            .ui_cache
            .entries(&app, |e| (e.deadlines.clone(), e.followups.clone()));
        let (Some(d), Some(f)) = warmed else {
            panic!("warm left an entry empty");
        };
        assert_eq!(*d, deadlines::natural(&app));
        assert_eq!(
            format!("{f:?}"),
            format!("{:?}", followups::Layout::of(&app))
        );
    }
}
