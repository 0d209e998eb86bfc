//! The follow-ups pane: section headings (not selectable) over the board's rows, each with what,
//! who and client, when it is due, and the client's send window in both zones; and the detail box.

use super::table::{self, Cell, Column, fit, natural_by, row};
use super::text::{both, countdown, full, gutter, put};
use super::theme::Theme;
use crate::app::state::App;
use crate::domain::board::{FollowupRow, Section};
use crate::domain::clocks::SendWindow;
use crate::domain::model::{FollowupDue, Status};
use crate::domain::time::local_date;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use std::borrow::Cow;

pub struct FollowupsView<'a> {
    pub app: &'a App,
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

/// Richest first: the send window shortens to their zone only, then goes; then who.
const LAYOUTS: &[&[usize]] = &[
    &[WHAT, WHO_CLIENT, DUE, SEND],
    &[WHAT, WHO, DUE, SEND],
    &[WHAT, WHO, DUE, SEND_SHORT],
    &[WHAT, WHO, DUE],
    &[WHAT, DUE],
    &[WHAT],
];
const WHAT_MIN: usize = 26;
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
        return countdown(at - now);
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

fn due_text(app: &App, r: &FollowupRow) -> String {
    let mine = app.board.my_zone;
    let now = app.now;
    let f = &r.followup;
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
fn cell_text<'a>(app: &App, r: &'a FollowupRow, column: usize) -> Cow<'a, str> {
    let f = &r.followup;
    let client = r.client_name.as_deref().or(f.client.as_deref());
    match column {
        WHAT => Cow::Borrowed(&f.what),
        WHO_CLIENT => match (&f.who, client) {
            (Some(w), Some(c)) => Cow::Owned(format!("{w} · {c}")),
            (Some(w), None) => Cow::Borrowed(w),
            (None, Some(c)) => Cow::Borrowed(c),
            (None, None) => Cow::Borrowed(""),
        },
        WHO => Cow::Borrowed(f.who.as_deref().or(client).unwrap_or_default()),
        DUE => Cow::Owned(due_text(app, r)),
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

fn items(app: &App) -> Vec<Item> {
    let list = &app.board.followups;
    let mut out = Vec::new();
    // Rows per section, counted in one pass (there are only a handful of sections).
    let mut counts: Vec<(Section, usize)> = Vec::new();
    for r in list {
        match counts.iter_mut().find(|(s, _)| *s == r.section) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.section, 1)),
        }
    }
    let mut current: Option<Section> = None;
    for (i, r) in list.iter().enumerate() {
        if current != Some(r.section) {
            if current.is_some() {
                out.push(Item::Note(String::new()));
            }
            let n = counts
                .iter()
                .find(|(s, _)| *s == r.section)
                .map_or(0, |(_, n)| *n);
            out.push(Item::Heading(r.section, n));
            current = Some(r.section);
        }
        out.push(Item::Row(i));
    }
    if app.hidden_snoozed > 0 && !app.filter.show_closed {
        if !out.is_empty() {
            out.push(Item::Note(String::new()));
        }
        let key = super::chrome::key_for(app, crate::app::action::Action::ToggleClosed);
        out.push(Item::Note(format!(
            "{} snoozed — {key} to show",
            app.hidden_snoozed
        )));
    }
    out
}

impl Widget for FollowupsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let (app, t) = (self.app, self.theme);
        let list = &app.board.followups;
        let items = items(app);
        if list.is_empty() {
            let text = if app.filter.text.is_empty() {
                "Nothing to follow up.".to_string()
            } else {
                format!("No follow-ups match /{}", app.filter.text)
            };
            put(buf, area, 0, &Line::styled(format!(" {text}"), t.dim));
            for (y, item) in items.iter().enumerate() {
                if let Item::Note(n) = item {
                    let y = u16::try_from(y + 1).unwrap_or(u16::MAX);
                    put(buf, area, y, &Line::styled(format!(" {n}"), t.dim));
                }
            }
            return;
        }
        let h = usize::from(area.height);
        let selected = app.selected[3].min(list.len().saturating_sub(1));
        let target = items
            .iter()
            .position(|it| matches!(it, Item::Row(i) if *i == selected))
            .unwrap_or(0);
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
        // the column widths still come from every row, one cell at a time (`natural_by`), so
        // the layout is exactly as before and does not change while scrolling. The rows of
        // the window are consecutive in the board: `lo..=hi`.
        let mut in_sight = items.iter().skip(first).take(h).filter_map(|it| match it {
            Item::Row(i) => Some(*i),
            _ => None,
        });
        let lo = in_sight.next().unwrap_or(0);
        let hi = in_sight.next_back().unwrap_or(lo);
        let rows: Vec<Vec<Cell>> = list
            .get(lo..=hi.min(list.len().saturating_sub(1)))
            .unwrap_or_default()
            .iter()
            .map(|r| cells(app, t, r))
            .collect();
        let avail = usize::from(area.width).saturating_sub(INDENT + 2);
        let natural = natural_by(&COLUMNS, list, |r, i| {
            table::cell_width(&cell_text(app, r, i))
        });
        let fitted = fit(&natural, WHAT, WHAT_MIN, avail, LAYOUTS);

        for (y, item) in items.iter().skip(first).take(h).enumerate() {
            let y = u16::try_from(y).unwrap_or(u16::MAX);
            let line = match item {
                Item::Heading(s, n) => {
                    let style = if *s == Section::Overdue {
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
                    let sel = self.focused && *i == selected;
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
pub fn detail(app: &App, t: &Theme, r: &FollowupRow) -> (String, Vec<(String, String, Style)>) {
    let mine = app.board.my_zone;
    let now = app.now;
    let f = &r.followup;
    let mut v: Vec<(String, String, Style)> = Vec::new();
    let mut kv = |k: &str, val: String, s: Style| v.push((k.to_string(), val, s));
    let client = match (&r.client_name, &f.client) {
        (Some(n), Some(id)) => format!("{n} ({id})"),
        (None, Some(id)) => id.clone(),
        _ => "—".into(),
    };
    kv("client", client, Style::new());
    kv(
        "who",
        f.who.clone().unwrap_or_else(|| "—".into()),
        Style::new(),
    );
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
        Some(FollowupDue::At(at)) => format!("{} ({})", full(at, mine, now), countdown(at - now)),
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
                countdown(closes_at - now)
            ),
            SendWindow::Next { opens_at } => format!(
                "opens {}, {}",
                both(opens_at, zone, mine, now),
                countdown(opens_at - now)
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
    (f.what.clone(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
