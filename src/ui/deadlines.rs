//! The deadlines pane (in the board's order) and the deadline detail box.

use super::table::{
    self, Cell, Column, Fitted, Step, WHOLE, fit, heading, natural_by, row, scroll,
};
use super::text::{day_time, full, gutter, put, when, width};
use super::theme::Theme;
use crate::app::state::App;
use crate::domain::board::{DeadlineRow, DeadlineSlot, clients_by_id};
use crate::domain::model::{Client, Deadline, Status, UnknownZone};
use crate::domain::risk::Risk;
use crate::domain::time::{format_relative, format_working};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::{OffsetName, Tz};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use std::borrow::Cow;

pub struct DeadlinesView<'a> {
    pub app: &'a App,
    /// The natural widths of the columns over every row (`natural`, once per board).
    pub natural: &'a [usize],
    pub theme: &'a Theme,
    pub focused: bool,
}

const RISK: usize = 0;
const TITLE: usize = 1;
const CLIENT: usize = 2;
const DUE: usize = 3;
const YOURS: usize = 4;
const LEFT: usize = 5;
const START: usize = 6;
const CLIENT_ID: usize = 7;
const YOURS_SHORT: usize = 8;
const RISK_SHORT: usize = 9;

const COLUMNS: [Column; 10] = [
    Column::left("risk", 10),
    Column::left("deadline", 60),
    Column::left("client", 16),
    Column::left("due (their time)", 18),
    Column::left("due (your time)", 18),
    Column::right("left", 13),
    Column::left("start by", 13),
    Column::left("client", 10),
    Column::left("yours", 12),
    Column::left("", 1),
];

/// The drop order, richest first (docs/decisions.md, "Layout"): the title stays whole while
/// latest start goes, the client's name gives way to its id and the due time in your zone
/// shortens, then goes (the zone abbreviation still says whose clock the due is on), then the
/// client id, then the risk word (its symbol and colour stay); only then is the title cut, to
/// no fewer than `TITLE_MIN` cells before the due time goes, then the countdown.
const STEPS: &[Step] = &[
    Step::new(&[RISK, TITLE, CLIENT, DUE, YOURS, LEFT, START], WHOLE),
    Step::new(&[RISK, TITLE, CLIENT, DUE, YOURS, LEFT], WHOLE),
    Step::new(&[RISK, TITLE, CLIENT_ID, DUE, YOURS_SHORT, LEFT], WHOLE),
    Step::new(&[RISK, TITLE, CLIENT_ID, DUE, LEFT], WHOLE),
    Step::new(&[RISK, TITLE, DUE, LEFT], WHOLE),
    Step::new(&[RISK_SHORT, TITLE, DUE, LEFT], WHOLE),
    Step::new(&[RISK_SHORT, TITLE, DUE, LEFT], TITLE_MIN),
    Step::new(&[RISK_SHORT, TITLE, LEFT], TITLE_MIN),
    Step::new(&[RISK_SHORT, TITLE], 0),
];
const TITLE_MIN: usize = 24;

/// The style of a risk level.
pub fn risk_style(t: &Theme, r: Risk) -> Style {
    match r {
        Risk::Ok => t.ok,
        Risk::Tight => t.tight,
        Risk::AtRisk => t.at_risk,
        Risk::Overdue => t.overdue,
    }
}

/// A listed deadline as its row is drawn: its place on the board, its record, its client.
struct Shown<'a> {
    s: &'a DeadlineSlot,
    dl: crate::domain::held::Rec<'a, Deadline>,
    client: Option<&'a Client>,
}

/// The clients by id, for the rows of one frame or one pass over the list.
type Clients<'a> = foldhash::HashMap<&'a str, &'a Client>;

impl<'a> Shown<'a> {
    fn of(app: &'a App, clients: &Clients<'a>, s: &'a DeadlineSlot) -> Option<Shown<'a>> {
        let dl = app.deadline(s.record)?;
        let client = dl.client.as_deref().and_then(|id| clients.get(id).copied());
        Some(Shown { s, dl, client })
    }
}

/// `✗ overdue`, `! at risk`, `~ tight`, `✓ ok`; `✓ done` for a finished one.
fn risk_text(dl: &Deadline, risk: Risk) -> String {
    if dl.status != Status::Open {
        return format!("✓ {}", dl.status.as_str());
    }
    format!("{} {}", risk.symbol(), risk.label())
}

/// The text of one cell of a deadline's row.
fn cell_text<'a>(app: &'a App, d: &'a Shown<'a>, column: usize) -> Cow<'a, str> {
    let now = app.now;
    let mine = app.board.my_zone;
    let (dl, risk) = (&d.dl, d.s.risk);
    match column {
        RISK => Cow::Owned(risk_text(dl, risk)),
        // The mark goes where every layout keeps it: its due is in your zone, not its client's.
        TITLE if d.client.is_some_and(|c| c.unknown_zone.is_some()) => {
            Cow::Owned(format!("{} {}", UnknownZone::MARK, dl.title))
        }
        TITLE => Cow::Borrowed(&dl.title),
        CLIENT => Cow::Borrowed(
            d.client
                .map(|c| c.name.as_str())
                .or(dl.client.as_deref())
                .unwrap_or_default(),
        ),
        DUE => Cow::Owned(when(dl.due, dl.zone, now)),
        YOURS => Cow::Owned(when(dl.due, mine, now)),
        LEFT => Cow::Owned(format_relative(dl.due.signed_duration_since(app.board.now))),
        START => match d.s.latest_start {
            _ if risk == Risk::Overdue || dl.status != Status::Open => Cow::Borrowed("—"),
            Some(s) => Cow::Owned(day_time(s, mine, now)),
            None => Cow::Borrowed("never"),
        },
        CLIENT_ID => Cow::Borrowed(dl.client.as_deref().unwrap_or_default()),
        YOURS_SHORT => Cow::Owned(day_time(dl.due, mine, now)),
        RISK_SHORT if dl.status != Status::Open => Cow::Borrowed("✓"),
        RISK_SHORT => Cow::Borrowed(risk.symbol()),
        _ => Cow::Borrowed(""),
    }
}

fn cells(app: &App, t: &Theme, d: &Shown) -> Vec<Cell> {
    let now = app.now;
    let open = d.dl.status == Status::Open;
    let risk = d.s.risk;
    let base = if open { Style::new() } else { t.dim };
    let start_style = match d.s.latest_start {
        _ if risk == Risk::Overdue || !open => t.dim,
        Some(s) if s <= now => t.at_risk,
        Some(_) => base,
        None => t.at_risk,
    };
    let left_style = if !open {
        t.dim
    } else if risk == Risk::Overdue {
        t.at_risk
    } else {
        base
    };
    let styles = [
        if open { risk_style(t, risk) } else { t.dim },
        base,
        base,
        base,
        t.dim,
        left_style,
        start_style,
        base,
        t.dim,
        if open { risk_style(t, risk) } else { t.dim },
    ];
    styles
        .into_iter()
        .enumerate()
        .map(|(i, style)| Cell::new(cell_text(app, d, i).into_owned(), style))
        .collect()
}

/// Every `day_time` is 12 columns (`Fri 27 09:00`, ` 3 Dec 09:00`): English names, a
/// space-padded day, no year.
const DAY_TIME_WIDTH: usize = 12;

/// The width of `when(at, zone, _)`: a `day_time`, a space and the zone's abbreviation there
/// (`%Z` is the offset's `Display`: its abbreviation, else the numeric offset).
fn when_width(at: DateTime<Utc>, zone: Tz) -> usize {
    let offset = *at.with_timezone(&zone).offset();
    let abbreviation = match offset.abbreviation() {
        Some(a) => table::cell_width(a),
        None => table::cell_width(&offset.to_string()),
    };
    DAY_TIME_WIDTH + 1 + abbreviation
}

/// The width of `cell_text(app, d, column)`, without making the text where it is known (this
/// runs over every row once per board).
fn cell_width(app: &App, d: &Shown, column: usize) -> usize {
    let (dl, risk) = (&d.dl, d.s.risk);
    let open = dl.status == Status::Open;
    match column {
        RISK if !open => 2 + dl.status.as_str().len(),
        RISK => width(risk.symbol()) + 1 + risk.label().len(),
        RISK_SHORT if !open => 1,
        RISK_SHORT => width(risk.symbol()),
        DUE => when_width(dl.due, dl.zone),
        YOURS => when_width(dl.due, app.board.my_zone),
        YOURS_SHORT => DAY_TIME_WIDTH,
        START if open && risk != Risk::Overdue && d.s.latest_start.is_some() => DAY_TIME_WIDTH,
        _ => table::cell_width(&cell_text(app, d, column)),
    }
}

/// Natural column widths from every row of the list (not just the rows in sight), so the layout
/// does not change while scrolling; see `natural_by`. Once per board (`ViewCache`).
pub(super) fn natural(app: &App) -> Vec<usize> {
    let clients = clients_by_id(&app.loaded.model.config);
    let shown = app
        .board
        .deadlines
        .iter()
        .take(table::width_rows(app.loaded.model.deadlines.is_lines()))
        .filter_map(|s| Shown::of(app, &clients, s));
    natural_by(&COLUMNS, shown, |d, i| cell_width(app, d, i))
}

/// The rows the pane wants (frame excluded): a heading and every row, or the one-line note.
pub fn rows_wanted(app: &App) -> usize {
    match app.board.deadlines.len() {
        0 => 1,
        n => n + 1,
    }
}

/// The width (gutter and margin included, frame excluded) at which every title is whole with the
/// fewest columns beside it (the last step of `STEPS` that keeps titles whole).
pub fn width_for_whole_titles(natural: &[usize]) -> usize {
    let whole = STEPS.iter().rev().find(|s| s.flex_min == WHOLE);
    whole.map_or(0, |s| table::step_width(natural, TITLE, s)) + 2
}

impl DeadlinesView<'_> {
    fn layout(&self, width: usize) -> Fitted {
        fit(self.natural, TITLE, width, STEPS)
    }
}

impl Widget for DeadlinesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let (app, t) = (self.app, self.theme);
        let list = &app.board.deadlines;
        if list.is_empty() {
            let text = if app.filter.text.is_empty() {
                "No open deadlines.".to_string()
            } else {
                format!("No deadlines match /{}", app.filter.text)
            };
            put(buf, area, 0, &Line::styled(format!(" {text}"), t.dim));
            return;
        }
        let h = usize::from(area.height);
        // The heading only when it does not push rows out of sight.
        let show_heading = h > list.len() || h >= 6;
        let visible = h.saturating_sub(usize::from(show_heading));
        let selected = app.selected[1].min(list.len().saturating_sub(1));
        let first = scroll(selected, visible);
        // Only the rows in sight are formatted; the column widths come from every row, once
        // per board (see `natural`).
        let clients = clients_by_id(&app.loaded.model.config);
        let rows: Vec<Vec<Cell>> = list
            .iter()
            .skip(first)
            .take(visible)
            .map(|s| match Shown::of(app, &clients, s) {
                Some(d) => cells(app, t, &d),
                None => Vec::new(),
            })
            .collect();
        let fitted = self.layout(usize::from(area.width).saturating_sub(2));
        let mut y = 0u16;
        if show_heading {
            let mut spans = vec![gutter(false)];
            spans.extend(heading(&COLUMNS, &fitted, t.heading).spans);
            put(buf, area, 0, &Line::from(spans));
            y = 1;
        }
        for (i, cells) in (first..).zip(rows.iter()) {
            let sel = self.focused && i == selected;
            let mut spans = vec![gutter(sel)];
            spans.extend(row(&COLUMNS, &fitted, cells).spans);
            let mut line = Line::from(spans);
            if sel {
                line = line.style(t.selected);
            }
            put(buf, area, y, &line);
            y = y.saturating_add(1);
        }
    }
}

/// Label/value pairs for the detail box of the selected deadline.
pub fn detail(
    app: &App,
    t: &Theme,
    (d, dl): (&DeadlineRow, &Deadline),
) -> (String, Vec<(String, String, Style)>) {
    let now = app.now;
    let mine = app.board.my_zone;
    let r = &d.risk;
    let fmt = |x: Option<Duration>| x.map_or("—".to_string(), format_working);
    let mut v: Vec<(String, String, Style)> = Vec::new();
    let mut kv = |k: &str, val: String, s: Style| v.push((k.to_string(), val, s));
    let client = match (&d.client_name, &dl.client) {
        (Some(n), Some(id)) => format!("{n} ({id})"),
        (None, Some(id)) => id.to_string(),
        _ => "—".into(),
    };
    kv("client", client, Style::new());
    kv(
        "due",
        format!("{} ({})", full(dl.due, dl.zone, now), dl.zone.name()),
        t.bold,
    );
    if let Some(u) = &d.unknown_zone {
        kv("client zone", u.describe(dl.zone), t.warn);
    }
    kv("your time", full(dl.due, mine, now), Style::new());
    kv("countdown", format_relative(r.until_due), Style::new());
    if let Some(rule) = &dl.every {
        kv("repeats", rule.describe(), Style::new());
    }
    if let Some((c, m)) = crate::domain::billing::of_deadline(&app.loaded.model.config, dl) {
        kv(
            "milestone",
            crate::domain::billing::money_line(c, m),
            Style::new(),
        );
    }
    kv("estimate", fmt(dl.estimate), Style::new());
    if dl.logged.is_empty() {
        kv("spent", fmt(dl.spent), Style::new());
    } else {
        // The one sum (`Deadline::spent_at`), and where it comes from.
        let mut s = format!(
            "{} ({} by hand + {} logged",
            format_working(dl.spent_at(now)),
            format_working(dl.spent.unwrap_or_else(Duration::zero)),
            format_working(dl.logged.at(now))
        );
        if let Some((start, _)) = dl.logged.running {
            let me = &app.loaded.model.config.me;
            s.push_str(&format!(
                ", ⏱ running since {}",
                crate::domain::timelog::since(me, start, now)
            ));
        }
        s.push(')');
        kv("spent", s, Style::new());
    }
    kv("remaining", format_working(r.remaining), Style::new());
    kv(
        "working time",
        format!("{} before it is due", format_working(r.capacity)),
        Style::new(),
    );
    let slack_style = if r.slack < Duration::zero() {
        t.at_risk
    } else {
        Style::new()
    };
    kv("slack", format_working(r.slack), slack_style);
    let start = match r.latest_start {
        Some(s) => format!("{} ({})", full(s, mine, now), format_relative(s - now)),
        None => "it does not fit into your working hours".into(),
    };
    kv("latest start", start, Style::new());
    if dl.status != Status::Open {
        let done = dl.done_at.map(|at| format!(" {}", full(at, mine, now)));
        kv(
            "status",
            format!("{}{}", dl.status.as_str(), done.unwrap_or_default()),
            t.dim,
        );
    } else {
        kv(
            "risk",
            format!(
                "{} {} — {}",
                r.risk.symbol(),
                r.risk.label(),
                explain(app, d)
            ),
            risk_style(t, r.risk),
        );
    }
    kv("line", format!("deadlines.jsonl:{}", dl.origin.line), t.dim);
    (dl.title.to_string(), v)
}

/// Why the deadline has its risk, in words: working time in hours, as the agenda and the
/// notifications say it (docs/decisions.md, "Units").
pub fn explain(app: &App, d: &DeadlineRow) -> String {
    let r = &d.risk;
    let need_have = format!("{} before it is due", r.need_and_have());
    match r.risk {
        Risk::Overdue => {
            if r.remaining > Duration::zero() {
                format!(
                    "it was due {}, with {} of work left",
                    format_relative(r.until_due),
                    format_working(r.remaining)
                )
            } else {
                format!("it was due {}", format_relative(r.until_due))
            }
        }
        // The shortfall is the slack row's, just above.
        Risk::AtRisk | Risk::Ok => need_have,
        Risk::Tight => format!(
            "{need_have}: {} to spare, less than your {} margin",
            format_working(r.slack),
            format_working(app.loaded.model.config.alerts.warn_slack)
        ),
    }
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
            prop_assert_eq!(table::check_order(&COLUMNS, &natural, TITLE, STEPS), Ok(()));
        }
    }

    #[test]
    fn day_time_has_a_fixed_width() {
        let now = DateTime::<Utc>::from_timestamp(1_795_600_000, 0).unwrap_or_default();
        let zones = [
            chrono_tz::UTC,
            chrono_tz::Asia::Kathmandu,
            chrono_tz::Pacific::Chatham,
            chrono_tz::America::St_Johns,
        ];
        for zone in zones {
            // Every 7 h 13 min over two years around now, near and far.
            for k in -2_500i64..2_500 {
                let at = now + Duration::minutes(k * 433);
                assert_eq!(width(&day_time(at, zone, now)), DAY_TIME_WIDTH);
            }
        }
    }

    #[test]
    fn when_width_is_the_width_of_when() {
        let now = DateTime::<Utc>::from_timestamp(1_795_600_000, 0).unwrap_or_default();
        // Every zone (abbreviations, numeric offsets, DST changes), over two years.
        for zone in chrono_tz::TZ_VARIANTS {
            for k in -40i64..40 {
                let at = now + Duration::hours(k * 223);
                assert_eq!(
                    when_width(at, zone),
                    width(&when(at, zone, now)),
                    "{zone} {at}"
                );
            }
        }
    }
}
