//! The client heat pane, coolest first (the board's order): a gauge, the trend, days since the
//! last contact and visit against their cadence, the retainer's hours this period, the champion
//! and a 12-week sparkline.

use super::table::{Cell, Column, Step, fit, heading, natural, row, scroll};
use super::text::{gutter, put};
use super::theme::Theme;
use crate::app::state::App;
use crate::domain::board::HeatRow;
use crate::domain::model::UnknownZone;
use crate::domain::people::{champion_summary, tie_flags};
use crate::domain::time::format_duration;
use chrono::{DateTime, Duration, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Widget;

pub struct HeatPane<'a> {
    pub app: &'a App,
    /// Widths over every client ([`Layout::of`], once per board).
    pub layout: &'a Layout,
    pub theme: &'a Theme,
    pub focused: bool,
}

const NAME: usize = 0;
const GAUGE: usize = 1;
const TREND: usize = 2;
const ARROW: usize = 3;
const CONTACT: usize = 4;
const VISIT: usize = 5;
const CHAMPION: usize = 6;
const SPARK: usize = 7;
const GAUGE_SHORT: usize = 8;
const RETAINER: usize = 9;
const RETAINER_SHORT: usize = 10;

const COLUMNS: [Column; 11] = [
    Column::left("client", 28),
    Column::left("heat", 14),
    Column::left("trend", 9),
    Column::left("", 1),
    Column::right("contact", 11),
    Column::right("visit", 11),
    Column::left("champion", 44),
    Column::left("12 weeks", 12),
    Column::left("heat", 9),
    Column::left("retainer", 16),
    Column::left("retainer", 11),
];

/// The drop order, richest first (docs/decisions.md, "Layout"); the name keeps `NAME_MIN`.
const STEPS: &[Step] = &[
    Step::new(
        &[NAME, GAUGE, TREND, CONTACT, VISIT, SPARK, CHAMPION],
        NAME_MIN,
    ),
    Step::new(&[NAME, GAUGE, TREND, CONTACT, VISIT, SPARK], NAME_MIN),
    Step::new(&[NAME, GAUGE, ARROW, CONTACT, VISIT, SPARK], NAME_MIN),
    Step::new(&[NAME, GAUGE, ARROW, CONTACT, VISIT], NAME_MIN),
    Step::new(&[NAME, GAUGE_SHORT, ARROW, CONTACT, VISIT], NAME_MIN),
    Step::new(&[NAME, GAUGE_SHORT, ARROW, CONTACT], NAME_MIN),
    Step::new(&[NAME, GAUGE_SHORT, ARROW], NAME_MIN),
];

/// The drop order when a client shown has a retainer: its column (`12h/20h ahead`) stays past
/// the sparkline, then shortens to `12h/20h+`, and goes after visit, before contact (the
/// hours are money, a visit is rare; the contact cadence is what the pane is for). Without a
/// retainer the pane is as before (`STEPS`), with no empty column.
const STEPS_RETAINER: &[Step] = &[
    Step::new(
        &[
            NAME, GAUGE, TREND, CONTACT, VISIT, RETAINER, SPARK, CHAMPION,
        ],
        NAME_MIN,
    ),
    Step::new(
        &[NAME, GAUGE, TREND, CONTACT, VISIT, RETAINER, SPARK],
        NAME_MIN,
    ),
    Step::new(
        &[NAME, GAUGE, ARROW, CONTACT, VISIT, RETAINER, SPARK],
        NAME_MIN,
    ),
    Step::new(&[NAME, GAUGE, ARROW, CONTACT, VISIT, RETAINER], NAME_MIN),
    Step::new(
        &[NAME, GAUGE, ARROW, CONTACT, VISIT, RETAINER_SHORT],
        NAME_MIN,
    ),
    Step::new(
        &[NAME, GAUGE_SHORT, ARROW, CONTACT, VISIT, RETAINER_SHORT],
        NAME_MIN,
    ),
    Step::new(
        &[NAME, GAUGE_SHORT, ARROW, CONTACT, RETAINER_SHORT],
        NAME_MIN,
    ),
    Step::new(&[NAME, GAUGE_SHORT, ARROW, CONTACT], NAME_MIN),
    Step::new(&[NAME, GAUGE_SHORT, ARROW], NAME_MIN),
];
const NAME_MIN: usize = 18;

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `████░░░░░░  42`: `cells` cells filled in proportion to heat (0-100), then the number.
pub fn gauge(heat: f64, cells: usize) -> String {
    let h = if heat.is_finite() {
        heat.clamp(0.0, 100.0)
    } else {
        0.0
    };
    let filled = ((h / 100.0) * cells as f64).round() as usize;
    let filled = filled.min(cells);
    format!(
        "{}{} {:>3.0}",
        "█".repeat(filled),
        "░".repeat(cells - filled),
        h
    )
}

/// Heat values (0-100) as `▁▂▃▄▅▆▇█`, on the absolute scale so rows compare.
pub fn sparkline(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| {
            let v = if v.is_finite() {
                v.clamp(0.0, 100.0)
            } else {
                0.0
            };
            let i = ((v / 100.0) * 7.0).round() as usize;
            SPARKS[i.min(7)]
        })
        .collect()
}

/// `9d/7d!`: days since, the cadence, and `!` when overdue.
fn cadence(days: Option<i64>, every: Option<Duration>, overdue: bool) -> String {
    let since = match days {
        Some(d) => format!("{d}d"),
        None if every.is_some() => "never".into(),
        None => "—".into(),
    };
    let mut s = match every {
        Some(e) => format!("{since}/{}", format_duration(e)),
        None => since,
    };
    if overdue {
        s.push('!');
    }
    s
}

/// The champion with the flags of the client's ties (`people::champion_summary`), and whether
/// any is raised.
fn champion(r: &HeatRow, now: DateTime<Utc>) -> Option<(String, bool)> {
    let flags = tie_flags(&r.client, r.heat.last_champion_contact, now);
    champion_summary(&r.client, &flags).map(|s| (s, !flags.is_empty()))
}

fn cells(t: &Theme, r: &HeatRow, now: DateTime<Utc>) -> Vec<Cell> {
    let h = &r.heat;
    let (champion, flagged) = champion(r, now).unwrap_or_default();
    let heat_style = t.heat_style(h.heat);
    let flag = |overdue: bool| if overdue { t.error } else { Style::new() };
    // Ahead of pace is the warning (the hours run out early); behind is only a note.
    let (retainer, retainer_short, retainer_style) = match &r.retainer {
        Some(b) => (
            b.compact(),
            b.short(),
            if b.warns() { t.warn } else { Style::new() },
        ),
        None => Default::default(),
    };
    vec![
        // First, as in the other panes: a long name is cut at its end.
        Cell::plain(match &r.client.unknown_zone {
            Some(_) => format!("{} {}", UnknownZone::MARK, r.client.name),
            None => r.client.name.clone(),
        }),
        Cell::new(gauge(h.heat, 10), heat_style),
        Cell::new(
            format!("{} {}", h.trend.symbol(), h.trend.label()),
            Style::new(),
        ),
        Cell::plain(h.trend.symbol()),
        Cell::new(
            cadence(
                h.days_since_contact,
                r.client.contact_every,
                h.contact_overdue,
            ),
            flag(h.contact_overdue),
        ),
        Cell::new(
            cadence(h.days_since_visit, r.client.visit_every, h.visit_overdue),
            flag(h.visit_overdue),
        ),
        Cell::new(champion, if flagged { t.warn } else { t.dim }),
        Cell::new(sparkline(&h.sparkline), heat_style),
        Cell::new(gauge(h.heat, 5), heat_style),
        Cell::new(retainer, retainer_style),
        Cell::new(retainer_short, retainer_style),
    ]
}

/// What the pane needs from every client, once per board (`ViewCache`): the natural column
/// widths (so they do not change while scrolling) and whether any client has a champion or a
/// retainer.
#[derive(Debug)]
pub struct Layout {
    natural: Vec<usize>,
    has_champion: bool,
    has_retainer: bool,
}

impl Layout {
    /// The drop order for these clients.
    fn steps(&self) -> &'static [Step] {
        if self.has_retainer {
            STEPS_RETAINER
        } else {
            STEPS
        }
    }
}

impl Layout {
    pub(super) fn of(app: &App) -> Layout {
        let list = &app.board.heat;
        // Styles do not change widths: any theme will do.
        let t = Theme::plain();
        let rows: Vec<Vec<Cell>> = list.iter().map(|r| cells(&t, r, app.now)).collect();
        Layout {
            natural: natural(&COLUMNS, &rows),
            has_champion: list.iter().any(|r| r.client.champion.is_some()),
            has_retainer: list.iter().any(|r| r.retainer.is_some()),
        }
    }
}

/// The rows the pane wants (frame excluded): a heading and every client, with its champion on
/// the line under it when one is noted; or the one-line note.
pub fn rows_wanted(app: &App, layout: &Layout) -> usize {
    match app.board.heat.len() {
        0 => 1,
        n => 1 + n * (1 + usize::from(layout.has_champion)),
    }
}

impl Widget for HeatPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let (app, t) = (self.app, self.theme);
        let list = &app.board.heat;
        if list.is_empty() {
            let text = if app.filter.text.is_empty() {
                "No clients yet: add [[clients]] to tether.toml.".to_string()
            } else {
                format!("No clients match /{}", app.filter.text)
            };
            put(buf, area, 0, &Line::styled(format!(" {text}"), t.dim));
            return;
        }
        let layout = self.layout;
        let fitted = fit(
            &layout.natural,
            NAME,
            usize::from(area.width).saturating_sub(2),
            layout.steps(),
        );
        let h = usize::from(area.height);
        let show_heading = h > list.len() || h >= 6;
        let mut y = 0u16;
        if show_heading {
            let mut spans = vec![gutter(false)];
            spans.extend(heading(&COLUMNS, &fitted, t.heading).spans);
            put(buf, area, 0, &Line::from(spans));
            y = 1;
        }
        // The champion matters as much as the numbers: when its column does not fit, it goes
        // under each client when there is room, else one line for the selected client.
        let has_champion = layout.has_champion;
        let champion_column = fitted.iter().any(|(c, _)| *c == CHAMPION);
        let under_each = has_champion && !champion_column && h >= usize::from(y) + 2 * list.len();
        let footer = has_champion && !champion_column && !under_each && h >= usize::from(y) + 3;
        let visible = h
            .saturating_sub(usize::from(y))
            .saturating_sub(usize::from(footer));
        let selected = app.selected[2].min(list.len().saturating_sub(1));
        let first = scroll(selected, visible);
        // Only the rows in sight are formatted.
        for (i, r) in list.iter().enumerate().skip(first).take(visible) {
            let sel = self.focused && i == selected;
            let mut spans = vec![gutter(sel)];
            spans.extend(row(&COLUMNS, &fitted, &cells(t, r, app.now)).spans);
            let mut line = Line::from(spans);
            if sel {
                line = line.style(t.selected);
            }
            put(buf, area, y, &line);
            y = y.saturating_add(1);
            if under_each && let Some((c, flagged)) = champion(r, app.now) {
                let style = if flagged { t.warn } else { t.dim };
                put(
                    buf,
                    area,
                    y,
                    &Line::styled(format!("   champion: {c}"), style),
                );
                y = y.saturating_add(1);
            }
        }
        if footer && let Some(r) = list.get(selected) {
            let (text, style) = match champion(r, app.now) {
                Some((c, flagged)) => (
                    format!(" champion at {}: {c}", r.client.name),
                    if flagged { t.warn } else { t.dim },
                ),
                None => (format!(" no champion noted at {}", r.client.name), t.dim),
            };
            let last = area.height.saturating_sub(1);
            put(buf, area, last, &Line::styled(text, style));
        }
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
            prop_assert_eq!(super::super::table::check_order(&COLUMNS, &natural, NAME, STEPS), Ok(()));
            prop_assert_eq!(super::super::table::check_order(&COLUMNS, &natural, NAME, STEPS_RETAINER), Ok(()));
        }
    }

    #[test]
    fn gauges_and_sparks() {
        assert_eq!(gauge(42.0, 10), "████░░░░░░  42");
        assert_eq!(gauge(f64::NAN, 4), "░░░░   0");
        assert_eq!(gauge(250.0, 4), "████ 100");
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(cadence(Some(9), Some(Duration::days(7)), true), "9d/7d!");
        assert_eq!(cadence(None, None, false), "—");
    }
}
