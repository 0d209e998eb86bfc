//! The follow-ups pane: section headings (not selectable) over the board's rows, each with what,
//! who and client, when it is due, and the client's send window in both zones; and the detail box.

use super::table::{self, Cell, Column, Step, WHOLE, fit, natural_by, row};
use super::text::{both, full, gutter, put};
use super::theme::Theme;
use crate::app::state::App;
use crate::domain::board::{FollowupRow, Section};
use crate::domain::clocks::SendWindow;
use crate::domain::held::Rec;
use crate::domain::model::{Followup, FollowupDue, Status, UnknownZone};
use crate::domain::time::format_relative;
use crate::domain::time::local_date;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

pub struct FollowupsView<'a> {
    pub app: &'a App,
    /// Widths and sections over every row ([`Layout::of`], once per board).
    pub layout: &'a Layout,
    pub theme: &'a Theme,
    pub focused: bool,
}

const WHAT: usize = 0;
const WHO_CLIENT: usize = 1;
const WHO: usize = 2;
const DUE: usize = 3;
const SEND: usize = 4;
const SEND_SHORT: usize = 5;

const COLUMNS: [Column; 6] = [
    Column::left("what", 60),
    Column::left("who", 30),
    Column::left("who", 14),
    Column::left("due", 18),
    Column::left("send", 42),
    Column::left("send", 20),
];

/// The drop order, richest first (docs/decisions.md, "Layout"): the what stays whole while
/// the client leaves the who column and the send window shortens to their zone; then the what
/// is cut, to no fewer than `WHAT_MIN` cells, before the send window goes (when to write
/// matters more than the end of a long title); then who, then the due.
const STEPS: &[Step] = &[
    Step::new(&[WHAT, WHO_CLIENT, DUE, SEND], WHOLE),
    Step::new(&[WHAT, WHO, DUE, SEND], WHOLE),
    Step::new(&[WHAT, WHO, DUE, SEND_SHORT], WHOLE),
    Step::new(&[WHAT, WHO, DUE, SEND_SHORT], WHAT_MIN),
    Step::new(&[WHAT, WHO, DUE], WHAT_MIN),
    Step::new(&[WHAT, DUE], WHAT_MIN),
    Step::new(&[WHAT], 0),
];
const WHAT_MIN: usize = 20;
/// Rows sit under their section heading (which starts in the gutter), indented by this much
/// after the gutter.
const INDENT: usize = 1;

/// A date relative to `today`: `today`, `tomorrow`, `yesterday`, `Fri 27`, `3d ago`, `10 Dec`.
pub fn day_words(date: NaiveDate, today: NaiveDate) -> String {
    let diff = (date - today).num_days();
    match diff {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        2..=6 => date.format("%a %-d").to_string(),
        d if d < 0 => format!("{}d ago", -d),
        _ => date.format("%-d %b").to_string(),
    }
}

/// An instant relative to now on your clock: `today 15:00`, `3h ago`, `Fri 27 09:00`.
pub fn at_words(at: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    if at <= now {
        return format_relative(at - now);
    }
    let today = local_date(zone, now);
    let local = at.with_timezone(&zone);
    let days = (local.date_naive() - today).num_days();
    let time = local.format("%H:%M");
    match days {
        0 => format!("today {time}"),
        1 => format!("tomorrow {time}"),
        2..=6 => local.format("%a %-d %H:%M").to_string(),
        _ => local.format("%-d %b %H:%M").to_string(),
    }
}

fn due_text(app: &App, r: &FollowupRow, f: &Followup) -> String {
    let mine = app.board.my_zone;
    let now = app.now;
    match r.section {
        Section::Closed => match f.done_at {
            Some(at) => format!("{} {}", f.status.as_str(), at_words(at, mine, now)),
            None => f.status.as_str().to_string(),
        },
        Section::Snoozed => match f.snoozed_until {
            Some(at) => format!("until {}", at_words(at, mine, now).replace("today ", "")),
            None => "snoozed".into(),
        },
        _ => {
            let text = match f.due {
                None => String::new(),
                Some(FollowupDue::Day(d)) => day_words(d, local_date(mine, now)),
                Some(FollowupDue::At(at)) => at_words(at, mine, now),
            };
            if r.section == Section::Waiting && !text.is_empty() {
                format!("chase {text}")
            } else {
                text
            }
        }
    }
}

/// What `send_text` depends on besides `app`: the window (kind and instant) and the client's
/// zone; `None` when it is empty (no window, no zone, or a closed item).
type SendKey = (u8, i64, Tz);

fn send_key(r: &FollowupRow) -> Option<SendKey> {
    let (Some(send), Some(zone)) = (r.send, r.client_zone) else {
        return None;
    };
    if r.section == Section::Closed {
        return None;
    }
    Some(match send {
        SendWindow::OpenNow { closes_at } => (0, closes_at.timestamp(), zone),
        SendWindow::Next { opens_at } => (1, opens_at.timestamp(), zone),
        SendWindow::Unknown => (2, 0, zone),
    })
}

/// The send window: `open now · until 18:00 JST` / `opens Thu 09:00 JST (10:00 yours)`; short:
/// `open now` / `opens Thu 09:00 JST` (`opens 09:00 JST` when that is today there).
pub fn send_text(app: &App, r: &FollowupRow, short: bool) -> String {
    let (Some(send), Some(zone)) = (r.send, r.client_zone) else {
        return String::new();
    };
    if r.section == Section::Closed {
        return String::new();
    }
    let mine = app.board.my_zone;
    match send {
        SendWindow::OpenNow { closes_at } => {
            if short {
                "open now".into()
            } else {
                let l = closes_at.with_timezone(&zone);
                format!("open now · until {}", l.format("%H:%M %Z"))
            }
        }
        SendWindow::Next { opens_at } => {
            let theirs = opens_at.with_timezone(&zone);
            let there = format!("opens {}", theirs.format("%a %H:%M %Z"));
            if short {
                let today_there = local_date(zone, app.now) == theirs.date_naive();
                return if today_there {
                    format!("opens {}", theirs.format("%H:%M %Z"))
                } else {
                    there
                };
            }
            let yours = opens_at.with_timezone(&mine);
            let yours_text = if yours.date_naive() == theirs.date_naive() {
                yours.format("%H:%M").to_string()
            } else {
                yours.format("%a %H:%M").to_string()
            };
            format!("{there} ({yours_text} yours)")
        }
        SendWindow::Unknown => "no business hours".into(),
    }
}

/// The text of one cell of a follow-up's row.
fn cell_text<'a>(app: &'a App, r: &'a FollowupRow, column: usize) -> Cow<'a, str> {
    match app.followup(r.record) {
        None => Cow::Borrowed(""),
        Some(Rec::Borrowed(f)) => cell_text_of(app, r, f, column),
        Some(Rec::Owned(f)) => Cow::Owned(cell_text_of(app, r, &f, column).into_owned()),
    }
}

/// [`cell_text`] of the row's record `f`.
fn cell_text_of<'a>(
    app: &'a App,
    r: &'a FollowupRow,
    f: &'a Followup,
    column: usize,
) -> Cow<'a, str> {
    let client = r.client_name.or(f.client.as_deref());
    match column {
        // As in the deadlines pane: the mark goes where every layout keeps it.
        WHAT if r.unknown_zone.is_some() => Cow::Owned(format!("{} {}", UnknownZone::MARK, f.what)),
        WHAT => Cow::Borrowed(&f.what),
        WHO_CLIENT => match (&f.who, client) {
            (Some(w), Some(c)) => Cow::Owned(format!("{w} · {c}")),
            (Some(w), None) => Cow::Borrowed(w),
            (None, Some(c)) => Cow::Borrowed(c),
            (None, None) => Cow::Borrowed(""),
        },
        WHO => Cow::Borrowed(f.who.as_deref().or(client).unwrap_or_default()),
        DUE => Cow::Owned(due_text(app, r, f)),
        SEND => Cow::Owned(send_text(app, r, false)),
        SEND_SHORT => Cow::Owned(send_text(app, r, true)),
        _ => Cow::Borrowed(""),
    }
}

fn cells(app: &App, t: &Theme, r: &FollowupRow) -> Vec<Cell> {
    let closed = matches!(r.section, Section::Closed | Section::Snoozed);
    let base = if closed { t.dim } else { Style::new() };
    let due_style = if closed {
        t.dim
    } else if r.overdue || r.section == Section::Overdue {
        t.at_risk
    } else if r.section == Section::Today {
        t.tight
    } else {
        Style::new()
    };
    let send_style = match r.send {
        _ if closed => t.dim,
        Some(SendWindow::OpenNow { .. }) => t.open,
        _ => t.dim,
    };
    let styles = [base, base, base, due_style, send_style, send_style];
    styles
        .into_iter()
        .enumerate()
        .map(|(i, style)| Cell::new(cell_text(app, r, i).into_owned(), style))
        .collect()
}

enum Item {
    Heading(Section, usize),
    Row(usize),
    Note(String),
}

/// A run of consecutive rows of one section: its heading is item `item` of the pane (after a
/// blank line when it is not the first run), its rows `start..` the items after it.
#[derive(Debug)]
struct Run {
    start: usize,
    item: usize,
    section: Section,
    /// Rows in the section (in all its runs).
    count: usize,
}

/// What the pane needs from every row, once per board (`ViewCache`): the natural column widths (so
/// they do not change while scrolling) and the sections, counted in one pass. A frame then finds
/// its items by binary search over the (few) runs instead of listing every row.
#[derive(Debug)]
pub struct Layout {
    natural: Vec<usize>,
    runs: Vec<Run>,
}

/// The runs of the rows' `sections`, in one pass.
fn runs(sections: impl Iterator<Item = Section>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    // Rows per section (there are only a handful of sections).
    let mut counts: Vec<(Section, usize)> = Vec::new();
    for (i, section) in sections.enumerate() {
        match counts.iter_mut().find(|(s, _)| *s == section) {
            Some((_, n)) => *n += 1,
            None => counts.push((section, 1)),
        }
        if runs.last().is_none_or(|run| run.section != section) {
            runs.push(Run {
                start: i,
                item: i + 2 * runs.len(),
                section,
                count: 0,
            });
        }
    }
    for run in &mut runs {
        run.count = counts
            .iter()
            .find(|(s, _)| *s == run.section)
            .map_or(0, |(_, n)| *n);
    }
    runs
}

impl Layout {
    pub(super) fn of(app: &App) -> Layout {
        let list = &app.board.followups;
        let (maker, model) = (app.followup_rows(), &app.loaded.model);
        // The send window depends only on the client (its zone and window), not the row: its
        // widths are worked out once per distinct window.
        let send_widths: RefCell<HashMap<(SendKey, bool), usize>> = RefCell::default();
        let made = list
            .iter()
            .take(table::width_rows(model.followups.is_lines()))
            .filter_map(|s| maker.row_of_slot(model, s));
        let natural = natural_by(&COLUMNS, made, |(r, f), i| match i {
            SEND | SEND_SHORT => {
                let Some(key) = send_key(r) else {
                    return 0;
                };
                let short = i == SEND_SHORT;
                *send_widths
                    .borrow_mut()
                    .entry((key, short))
                    .or_insert_with(|| table::cell_width(&send_text(app, r, short)))
            }
            _ => table::cell_width(&cell_text_of(app, r, f, i)),
        });
        Layout {
            natural,
            runs: runs(list.iter().map(|r| r.section)),
        }
    }

    /// Items of the rows and their headings (and the blank lines between sections).
    fn row_items(&self, rows: usize) -> usize {
        (rows + 2 * self.runs.len()).saturating_sub(1)
    }

    /// The item showing row `i`.
    fn item_of(&self, i: usize) -> usize {
        let k = self.runs.partition_point(|run| run.start <= i);
        match k.checked_sub(1).and_then(|k| self.runs.get(k)) {
            Some(run) => run.item + 1 + (i - run.start),
            None => 0,
        }
    }

    /// Item `j` of the pane (`rows` rows), the trailing notes excluded.
    fn item(&self, j: usize) -> Option<Item> {
        let k = self
            .runs
            .partition_point(|run| run.item <= j)
            .checked_sub(1)?;
        let run = self.runs.get(k)?;
        if j == run.item {
            return Some(Item::Heading(run.section, run.count));
        }
        if self.runs.get(k + 1).is_some_and(|next| j + 1 == next.item) {
            return Some(Item::Note(String::new()));
        }
        Some(Item::Row(run.start + (j - run.item - 1)))
    }
}

/// The items of the pane: a heading over each section's rows, a blank line between sections,
/// and the hidden-snoozed note; without listing them (`skip`/`take` of the whole list).
struct Items<'a> {
    layout: &'a Layout,
    rows: usize,
    /// The notes after the rows.
    tail: Vec<String>,
}

impl<'a> Items<'a> {
    fn new(app: &App, layout: &'a Layout) -> Items<'a> {
        let rows = app.board.followups.len();
        let mut tail = Vec::new();
        if app.hidden_snoozed > 0 && !app.filter.show_closed {
            if rows > 0 {
                tail.push(String::new());
            }
            let key = super::chrome::key_for(app, crate::app::action::Action::ToggleClosed);
            tail.push(format!("{} snoozed — {key} to show", app.hidden_snoozed));
        }
        Items { layout, rows, tail }
    }

    fn len(&self) -> usize {
        self.layout.row_items(self.rows) + self.tail.len()
    }

    fn get(&self, j: usize) -> Option<Item> {
        let n = self.layout.row_items(self.rows);
        if j < n {
            self.layout.item(j)
        } else {
            self.tail.get(j - n).cloned().map(Item::Note)
        }
    }

    /// Items `first..` up to `h` of them.
    fn window(&self, first: usize, h: usize) -> impl Iterator<Item = Item> + '_ {
        (first..self.len().min(first.saturating_add(h))).filter_map(|j| self.get(j))
    }
}

/// The rows the pane wants (frame excluded): every section with its heading, and the notes.
pub fn rows_wanted(app: &App, layout: &Layout) -> usize {
    let items = Items::new(app, layout);
    if app.board.followups.is_empty() {
        1 + items.tail.len()
    } else {
        items.len()
    }
}

impl Widget for FollowupsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let (app, t) = (self.app, self.theme);
        let list = &app.board.followups;
        let layout = self.layout;
        let items = Items::new(app, layout);
        if list.is_empty() {
            let text = if app.filter.text.is_empty() {
                "Nothing to follow up.".to_string()
            } else {
                format!("No follow-ups match /{}", app.filter.text)
            };
            put(buf, area, 0, &Line::styled(format!(" {text}"), t.dim));
            for (y, n) in items.tail.iter().enumerate() {
                let y = u16::try_from(y + 1).unwrap_or(u16::MAX);
                put(buf, area, y, &Line::styled(format!(" {n}"), t.dim));
            }
            return;
        }
        let h = usize::from(area.height);
        let selected = app.selected[3].min(list.len().saturating_sub(1));
        let target = layout.item_of(selected);
        // Keep the selected row in sight, with its heading when that is just above it.
        let mut first = target.saturating_sub(h.saturating_sub(1));
        if first == target
            && first > 0
            && matches!(items.get(target - 1), Some(Item::Heading(..)))
            && h >= 2
        {
            first -= 1;
        }
        // Only the rows in sight (between the headings and notes of the window) are formatted;
        // the column widths come from every row, once per board (`Layout`), so they do not
        // change while scrolling. The rows of the window are consecutive in the board: `lo..=hi`.
        let mut in_sight = items.window(first, h).filter_map(|it| match it {
            Item::Row(i) => Some(i),
            _ => None,
        });
        let lo = in_sight.next().unwrap_or(0);
        let hi = in_sight.last().unwrap_or(lo);
        let (maker, model) = (app.followup_rows(), &app.loaded.model);
        let rows: Vec<Vec<Cell>> = list
            .get(lo..=hi.min(list.len().saturating_sub(1)))
            .unwrap_or_default()
            .iter()
            .map(|s| match maker.row_of_slot(model, s) {
                Some((r, _)) => cells(app, t, &r),
                None => Vec::new(),
            })
            .collect();
        let avail = usize::from(area.width).saturating_sub(INDENT + 2);
        let fitted = fit(&layout.natural, WHAT, avail, STEPS);

        for (y, item) in items.window(first, h).enumerate() {
            let y = u16::try_from(y).unwrap_or(u16::MAX);
            let line = match item {
                Item::Heading(s, n) => {
                    let style = if s == Section::Overdue {
                        t.error
                    } else {
                        t.section
                    };
                    Line::from(vec![
                        Span::styled(s.title().to_string(), style),
                        Span::styled(format!(" · {n}"), t.dim),
                    ])
                }
                Item::Note(n) => Line::styled(format!(" {}{n}", " ".repeat(INDENT)), t.dim),
                Item::Row(i) => {
                    let sel = self.focused && i == selected;
                    let mut spans = vec![gutter(sel), Span::raw(" ".repeat(INDENT))];
                    if let Some(c) = i.checked_sub(lo).and_then(|k| rows.get(k)) {
                        spans.extend(row(&COLUMNS, &fitted, c).spans);
                    }
                    let mut line = Line::from(spans);
                    if sel {
                        line = line.style(t.selected);
                    }
                    line
                }
            };
            put(buf, area, y, &line);
        }
    }
}

/// Label/value pairs for the detail box of the selected follow-up.
pub fn detail(
    app: &App,
    t: &Theme,
    (r, f): (&FollowupRow, &Followup),
) -> (String, Vec<(String, String, Style)>) {
    let mine = app.board.my_zone;
    let now = app.now;
    let mut v: Vec<(String, String, Style)> = Vec::new();
    let mut kv = |k: &str, val: String, s: Style| v.push((k.to_string(), val, s));
    let client = match (&r.client_name, &f.client) {
        (Some(n), Some(id)) => format!("{n} ({id})"),
        (None, Some(id)) => id.to_string(),
        _ => "—".into(),
    };
    kv("client", client, Style::new());
    if let (Some(u), Some(z)) = (&r.unknown_zone, r.client_zone) {
        kv("client zone", u.describe(z), t.warn);
    }
    kv(
        "who",
        f.who.as_deref().unwrap_or("—").to_string(),
        Style::new(),
    );
    if let Some(rule) = &f.every {
        kv("repeats", rule.describe(), Style::new());
    }
    let list = match r.section {
        Section::Waiting => "waiting on them (the ball is in their court)".to_string(),
        s => s.title().to_string(),
    };
    kv("section", list, t.bold);
    let due_style = if r.overdue || r.section == Section::Overdue {
        t.at_risk
    } else {
        Style::new()
    };
    let due = match f.due {
        None => "—".to_string(),
        Some(FollowupDue::Day(d)) => format!(
            "{} (during your day, {})",
            d.format("%a %-d %b %Y"),
            day_words(d, local_date(mine, now))
        ),
        Some(FollowupDue::At(at)) => {
            format!("{} ({})", full(at, mine, now), format_relative(at - now))
        }
    };
    kv(if f.waiting { "chase" } else { "due" }, due, due_style);
    if let (Some(FollowupDue::At(at)), Some(z)) = (f.due, r.client_zone)
        && z != mine
    {
        kv("their time", full(at, z, now), Style::new());
    }
    if let (Some(send), Some(zone)) = (r.send, r.client_zone) {
        let text = match send {
            SendWindow::OpenNow { closes_at } => format!(
                "open now, until {}, {}",
                both(closes_at, zone, mine, now),
                format_relative(closes_at - now)
            ),
            SendWindow::Next { opens_at } => format!(
                "opens {}, {}",
                both(opens_at, zone, mine, now),
                format_relative(opens_at - now)
            ),
            SendWindow::Unknown => "no business hours within a year".into(),
        };
        kv("send window", text, Style::new());
    }
    let status = match f.status {
        Status::Open => "open".to_string(),
        s => s.as_str().to_string(),
    };
    kv("status", status, Style::new());
    if let Some(s) = f.snoozed_until {
        kv("snoozed until", full(s, mine, now), Style::new());
    }
    if let Some(c) = f.created {
        kv("created", full(c, mine, now), t.dim);
    }
    if let Some(d) = f.done_at {
        kv("done", full(d, mine, now), t.dim);
    }
    kv("line", format!("followups.jsonl:{}", f.origin.line), t.dim);
    (f.what.to_string(), v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// For any width from 40 to 250 and any widths of the data, the columns chosen fit and
        /// drop in the stated order (`STEPS`).
        #[test]
        fn columns_fit_and_drop_in_order(
            natural in proptest::collection::vec(0usize..70, COLUMNS.len()),
        ) {
            prop_assert_eq!(table::check_order(&COLUMNS, &natural, WHAT, STEPS), Ok(()));
        }
    }

    #[test]
    fn relative_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let today = d(11, 25);
        assert_eq!(day_words(d(11, 25), today), "today");
        assert_eq!(day_words(d(11, 26), today), "tomorrow");
        assert_eq!(day_words(d(11, 24), today), "yesterday");
        assert_eq!(day_words(d(11, 27), today), "Fri 27");
        assert_eq!(day_words(d(11, 20), today), "5d ago");
        assert_eq!(day_words(d(12, 10), today), "10 Dec");
    }

    /// The items as the pane listed them before `Layout`: every row, a heading before each run
    /// of a section (with its count over the whole list), a blank line between runs.
    fn listed(sections: &[Section]) -> Vec<String> {
        let count = |s: Section| sections.iter().filter(|x| **x == s).count();
        let mut out = Vec::new();
        let mut current = None;
        for (i, s) in sections.iter().enumerate() {
            if current != Some(*s) {
                if current.is_some() {
                    out.push("note".to_string());
                }
                out.push(format!("{s:?} {}", count(*s)));
                current = Some(*s);
            }
            out.push(format!("row {i}"));
        }
        out
    }

    fn shown(it: Option<Item>) -> String {
        match it {
            Some(Item::Heading(s, n)) => format!("{s:?} {n}"),
            Some(Item::Row(i)) => format!("row {i}"),
            Some(Item::Note(n)) if n.is_empty() => "note".into(),
            Some(Item::Note(n)) => n,
            None => "none".into(),
        }
    }

    #[test]
    fn items_by_search_match_the_listed_items() {
        use Section::*;
        let cases: &[&[Section]] = &[
            &[],
            &[Today],
            &[
                Overdue, Overdue, Today, Upcoming, Upcoming, Upcoming, Waiting,
            ],
            &[Overdue, Today, Overdue, Closed, Closed, Snoozed, Today],
            &[Undated, Undated, Undated],
        ];
        for sections in cases {
            let layout = Layout {
                natural: Vec::new(),
                runs: runs(sections.iter().copied()),
            };
            let want = listed(sections);
            assert_eq!(layout.row_items(sections.len()), want.len(), "{sections:?}");
            let got: Vec<String> = (0..want.len()).map(|j| shown(layout.item(j))).collect();
            assert_eq!(got, want, "{sections:?}");
            for i in 0..sections.len() {
                assert_eq!(want[layout.item_of(i)], format!("row {i}"), "{sections:?}");
            }
        }
    }
}
