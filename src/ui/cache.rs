//! What a frame needs from a whole list — natural column widths, section counts, urgent counts,
//! the size of the problems box, the rows the clocks pane fills — computed once per board, so
//! that a frame (a `j`/`k`) costs O(rows in sight) however long the lists are.
//!
//! The event loop owns one [`ViewCache`] and passes it to every `ui::draw`. It is keyed by the
//! board's generation (`App::generation`: a new number at every `App::refresh`, which recomputes
//! the board — new data, new minute, filter, `z` — and never reused in the process), so a frame
//! of a new board fills it again. Between two boards the column widths therefore stay put while
//! scrolling, even when a key press moves `app.now`. (It used to be keyed by the address and
//! length of the lists: the allocator may give a new list the old one's address.)

use super::{deadlines, followups, heat, overlay};
use crate::app::state::App;
use std::sync::{Arc, Mutex, MutexGuard};

/// From this many deadline and follow-up rows on, [`ViewCache::warm`] uses a second thread.
const PARALLEL_ROWS: usize = 20_000;

#[derive(Debug, Default)]
struct Entries {
    deadlines: Option<Arc<Vec<usize>>>,
    followups: Option<Arc<followups::Layout>>,
    heat: Option<Arc<heat::Layout>>,
    urgent: Option<[usize; 4]>,
    /// Invoices to send and payments overdue among the follow-ups (`chrome::money_counts`).
    money: Option<[usize; 2]>,
    /// Keyed by the pane's width and the scrubbed offset (seconds) the clocks were drawn at.
    clocks_rows: Option<((u16, i64), u16)>,
    /// Keyed by the list of problems (`App::problems_generation`) and the text width they are
    /// wrapped to.
    problems: Option<((u64, usize), overlay::ProblemsSize)>,
}

/// Per-board drawing data; see the module docs. Filled through `&self` while a frame is drawn
/// (the panes hold shared references), hence the lock, never contended.
#[derive(Debug, Default)]
pub struct ViewCache {
    state: Mutex<Option<(u64, Entries)>>,
}

impl ViewCache {
    /// The entries for `app`'s current board (emptied when the board is not the one they were
    /// computed from). Nothing that computes an entry may call back into the cache.
    fn entries<R>(&self, app: &App, f: impl FnOnce(&mut Entries) -> R) -> R {
        let key = app.generation();
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

    /// Urgent items per pane (by `Pane::index`), for the tab bar's badges (`count`:
    /// `chrome::urgent_counts`).
    pub fn urgent(&self, app: &App, count: impl FnOnce() -> [usize; 4]) -> [usize; 4] {
        self.entries(app, |e| *e.urgent.get_or_insert_with(count))
    }

    /// Invoices to send and payments overdue, counted once per board (see
    /// `chrome::money_counts`).
    pub fn money(&self, app: &App, count: impl FnOnce() -> [usize; 2]) -> [usize; 2] {
        self.entries(app, |e| *e.money.get_or_insert_with(count))
    }

    /// The rows the clocks pane fills at `width` (`measure`: `ui::clocks_drawn`).
    pub fn clocks_rows(&self, app: &App, width: u16, measure: impl FnOnce() -> u16) -> u16 {
        let key = (width, app.view_offset.num_seconds());
        self.entries(app, |e| match e.clocks_rows {
            Some((k, rows)) if k == key => rows,
            _ => {
                let rows = measure();
                e.clocks_rows = Some((key, rows));
                rows
            }
        })
    }

    /// The size of the problems list wrapped to `text_w` columns.
    pub fn problems(
        &self,
        app: &App,
        text_w: usize,
        size: impl FnOnce() -> overlay::ProblemsSize,
    ) -> overlay::ProblemsSize {
        let key = (app.problems_generation(), text_w);
        self.entries(app, |e| match e.problems {
            Some((k, s)) if k == key => s,
            _ => {
                let s = size();
                e.problems = Some((key, s));
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
        let app = App::new(
            dir.path().to_path_buf(),
            crate::store::load::load_dir(dir.path()),
            now,
        );
        assert!(app.board.followups.len() >= PARALLEL_ROWS);
        let cache = ViewCache::default();
        cache.warm(&app);
        let warmed = cache.entries(&app, |e| (e.deadlines.clone(), e.followups.clone()));
        let (Some(d), Some(f)) = warmed else {
            panic!("warm left an entry empty");
        };
        assert_eq!(*d, deadlines::natural(&app));
        assert_eq!(
            format!("{f:?}"),
            format!("{:?}", followups::Layout::of(&app))
        );
    }

    /// New data with as many rows as before: the board's list may well sit at the same address
    /// with the same length (its rows are rebuilt in place), which a cache keyed by address and
    /// length took for the same board and drew with the old widths. The generation tells.
    #[test]
    fn new_rows_in_the_same_place_are_measured_again() {
        let dir = tempfile::tempdir().unwrap();
        crate::store::example::write_example(dir.path()).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        let (mut files, mut app) = crate::app::files::Files::open(dir.path(), now);
        let cache = ViewCache::default();
        let before = cache.deadlines(&app);
        let place = (app.board.deadlines.as_ptr(), app.board.deadlines.len());
        // Every deadline's title much longer, in the file; as many deadlines as before.
        let path = dir.path().join("deadlines.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("\"title\":\"", "\"title\":\"A much, much longer title: "),
        )
        .unwrap();
        assert!(files.sync(&mut app, now).deadlines.changed());
        let after = cache.deadlines(&app);
        assert_eq!(*after, deadlines::natural(&app));
        assert_ne!(before, after, "the cache kept the old widths");
        // Whether the allocator gave the list the same place this time (the old key's blind
        // spot; not reproducible at will) or not, the answer is the same. And a board's number
        // is never another board's, not even one of an app dropped before (whose lists' memory
        // the allocator hands out again).
        let _ = place;
        let old = app.generation();
        drop(app);
        let (_, again) = crate::app::files::Files::open(dir.path(), now);
        assert_ne!(again.generation(), old);
    }

    /// The clocks are measured (drawn into a scratch buffer) once per board, width and scrubbed
    /// time: not at every frame, and again when any of the three changes.
    #[test]
    fn clocks_rows_are_measured_once_per_width_and_scrubbed_time() {
        let dir = tempfile::tempdir().unwrap();
        crate::store::example::write_example(dir.path()).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        let mut app = App::new(
            dir.path().to_path_buf(),
            crate::store::load::load_dir(dir.path()),
            now,
        );
        let cache = ViewCache::default();
        let measured = std::cell::Cell::new(0);
        let measure = || {
            measured.set(measured.get() + 1);
            7
        };
        assert_eq!(cache.clocks_rows(&app, 70, measure), 7);
        cache.clocks_rows(&app, 70, measure);
        assert_eq!(measured.get(), 1);
        cache.clocks_rows(&app, 71, measure);
        assert_eq!(measured.get(), 2);
        app.view_offset = Duration::hours(1);
        cache.clocks_rows(&app, 71, measure);
        assert_eq!(measured.get(), 3);
        app.refresh(now);
        cache.clocks_rows(&app, 71, measure);
        assert_eq!(measured.get(), 4, "a new board");
    }

    /// With closed items hidden, the closed history arriving leaves every row as it was: what
    /// was measured stays (no new measuring while a key waits) and is still right; the
    /// problems, which it does change, are measured again.
    #[test]
    fn the_history_keeps_the_measures_of_the_rows_it_leaves_alone() {
        let dir = tempfile::tempdir().unwrap();
        crate::store::example::write_example(dir.path()).unwrap();
        let closed =
            "{\"id\":\"h1\",\"what\":\"Old quote\",\"status\":\"done\",\"done_at\":\"someday\"}\n";
        let path = dir.path().join("followups.jsonl");
        let rest = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{closed}{rest}")).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        let (mut files, mut app, history) =
            crate::app::files::Files::open_open_first_from(dir.path(), now, 0);
        let cache = ViewCache::default();
        let widths = cache.deadlines(&app);
        let layout = format!("{:?}", cache.followups(&app));
        let problems = app.problems();
        let measured = std::cell::Cell::new(0);
        let measure = || {
            measured.set(measured.get() + 1);
            overlay::ProblemsSize::default()
        };
        cache.problems(&app, 60, measure);
        let generation = app.generation();
        let data = Box::new(history.unwrap().read());
        assert!(files.apply_history(&mut app, data, now).any());
        assert_eq!(app.generation(), generation);
        assert!(
            Arc::ptr_eq(&widths, &cache.deadlines(&app)),
            "measured again"
        );
        assert_eq!(*widths, deadlines::natural(&app));
        assert_eq!(layout, format!("{:?}", followups::Layout::of(&app)));
        assert_eq!(
            app.problems().total(),
            problems.total() + 1,
            "the closed line's problem"
        );
        cache.problems(&app, 60, measure);
        assert_eq!(measured.get(), 2, "the problems were not measured again");
    }
}
