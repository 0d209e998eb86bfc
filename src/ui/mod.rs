//! Drawing: every pane and overlay is drawn from `App` state; drawing changes nothing but the
//! [`ViewCache`] it is given, reads no clock (it uses `app.now`) and does no I/O. `ui` depends on
//! `app`'s state (`app::state`, `app::action`, `app::keymap`); nothing in `app` but the event loop
//! (`app::run`, which owns the cache and calls [`draw`]) uses `ui`.
//!
//! Layout, from big to small:
//! - at least [`GRID_MIN`]: header, two columns (clocks over deadlines | heat over follow-ups,
//!   each top pane as tall as its content), footer;
//! - at least [`MIN_SIZE`]: header, a tab bar, the focused pane alone, footer;
//! - smaller: only a centred "window too small" note.

pub mod cache;
pub mod chrome;
pub mod client_page;
pub mod clocks;
pub mod deadlines;
pub mod followups;
pub mod heat;
pub mod overlay;
pub mod table;
pub mod text;
pub mod theme;
pub mod week;

use crate::app::action::Pane;
use crate::app::state::{App, Overlay};
pub use cache::ViewCache;
use clocks::ClocksView;
use deadlines::DeadlinesView;
use followups::FollowupsView;
use heat::HeatPane;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;
use theme::Theme;

/// The smallest window (columns, rows) that gets the grid of four panes.
pub const GRID_MIN: (u16, u16) = (100, 30);
/// The smallest window that gets the dashboard at all.
pub const MIN_SIZE: (u16, u16) = (40, 10);

/// Draw the dashboard with the theme tether.toml chooses (`NO_COLOR` read once, and first).
/// `cache` holds what a frame needs from whole lists, computed once per board (see
/// [`ViewCache`]); the event loop keeps one for as long as it runs.
pub fn draw(frame: &mut Frame, app: &App, cache: &mut ViewCache) {
    let theme = Theme::current(app.loaded.model.config.ui.theme);
    draw_with(frame, app, cache, theme);
}

/// Draw with an explicit theme (tests force colour on or off).
pub fn draw_with(frame: &mut Frame, app: &App, cache: &mut ViewCache, theme: &Theme) {
    let area = frame.area();
    render(app, cache, theme, area, frame.buffer_mut());
}

/// Draw the whole dashboard into `area` of `buf`.
pub fn render(app: &App, cache: &mut ViewCache, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let cache: &ViewCache = cache;
    let area = area.intersection(buf.area);
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(theme, area, buf);
        return;
    }
    let header = Rect { height: 1, ..area };
    if app.overlay == Overlay::Week {
        let above_footer = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        week::WeekView { app, theme }.render(above_footer, buf);
        chrome::footer(
            app,
            theme,
            Rect {
                y: area.bottom().saturating_sub(1),
                height: 1,
                ..area
            },
            buf,
        );
        return;
    }
    let footer = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    // The first-run banner under the header, when the panes keep the smallest size below it.
    let mut banner = chrome::banner_lines(app, usize::from(area.width).saturating_sub(2));
    let mut rows = u16::try_from(banner.len()).unwrap_or(0);
    if area.height < MIN_SIZE.1.saturating_add(rows) {
        (banner, rows) = (Vec::new(), 0);
    }
    let body = Rect {
        y: area.y.saturating_add(1 + rows),
        height: area.height.saturating_sub(2 + rows),
        ..area
    };
    chrome::header(app, theme, header, buf);
    let banner_area = Rect {
        y: area.y.saturating_add(1),
        height: rows,
        ..area
    };
    chrome::banner(&banner, theme, banner_area, buf);
    if area.width >= GRID_MIN.0 && area.height >= GRID_MIN.1 {
        grid(app, cache, theme, body, buf);
    } else {
        let tabs = Rect { height: 1, ..body };
        let pane = Rect {
            y: body.y.saturating_add(1),
            height: body.height.saturating_sub(1),
            ..body
        };
        let urgent = cache.urgent(app, || chrome::urgent_counts(app));
        chrome::tabs(app, urgent, theme, tabs, buf);
        draw_pane(app, cache, theme, app.focus, pane, None, buf);
    }
    let problems_size = |text_w: usize| {
        cache.problems(app, text_w, || {
            overlay::measure_problems(app, theme, text_w)
        })
    };
    overlay::draw(app, &problems_size, theme, body, buf);
    if let Overlay::Client(v) = &app.overlay {
        client_page::draw(v, theme, body, buf);
    }
    chrome::footer(app, theme, footer, buf);
}

/// The two columns of the grid: clocks over deadlines, heat over follow-ups. The top pane of a
/// column takes the rows its content wants and the list under it the rest, so a short clock list
/// gives its rows to the deadlines (docs/decisions.md, "Layout").
/// The left column is as wide as the deadlines need for whole titles, between 45 % and half of
/// the window; the right column (heat, follow-ups, whose titles are longer) takes the rest.
fn grid(app: &App, cache: &ViewCache, theme: &Theme, body: Rect, buf: &mut Buffer) {
    let wanted = deadlines::width_for_whole_titles(&cache.deadlines(app)).saturating_add(2);
    let wanted = u16::try_from(wanted).unwrap_or(u16::MAX);
    let half = body.width / 2;
    let left_w = wanted.clamp(half - body.width / 20, half);
    let rows = |n: usize| u16::try_from(n).unwrap_or(u16::MAX).saturating_add(2);
    // Measured once per board, width and scrubbed time; the frame that measures copies the
    // drawing it measured, the others draw the clocks in their pane.
    let clocks_w = left_w.saturating_sub(2);
    let mut clocks = None;
    let clocks_rows = cache.clocks_rows(app, clocks_w, || {
        let drawn = clocks_drawn(app, theme, clocks_w, body.height);
        let rows = drawn.rows;
        clocks = Some(drawn);
        rows
    });
    let left = [
        (Pane::Clocks, clocks_rows.saturating_add(2)),
        (Pane::Deadlines, rows(deadlines::rows_wanted(app))),
    ];
    let right = [
        (Pane::Heat, rows(heat::rows_wanted(app, &cache.heat(app)))),
        (
            Pane::Followups,
            rows(followups::rows_wanted(app, &cache.followups(app))),
        ),
    ];
    for (x, width, [(top, top_need), (bottom, bottom_need)]) in [
        (body.x, left_w, left),
        (
            body.x.saturating_add(left_w),
            body.width.saturating_sub(left_w),
            right,
        ),
    ] {
        let top_h = split(body.height, top_need, bottom_need);
        let top_area = Rect {
            x,
            y: body.y,
            width,
            height: top_h,
        };
        let bottom_area = Rect {
            y: body.y.saturating_add(top_h),
            height: body.height.saturating_sub(top_h),
            ..top_area
        };
        for (pane, area) in [(top, top_area), (bottom, bottom_area)] {
            let drawn = clocks.as_ref().filter(|_| pane == Pane::Clocks);
            draw_pane(app, cache, theme, pane, area, drawn, buf);
        }
    }
}

/// The clocks pane drawn (frame excluded) into a buffer of its own as tall as it could use (every
/// clock on two lines, the headings, the overlap of each client, the legend), and the rows it
/// filled. Its layout is its own (ui/clocks.rs), so the grid asks it rather than guesses; the
/// drawing is then copied into the pane when the pane has those rows, so a frame still draws
/// the clocks once. Drawn again into a pane with at least those rows, the clocks come out the
/// same (every layout choice of theirs only asks whether their content fits).
pub struct ClocksDrawn {
    buf: Buffer,
    rows: u16,
}

/// At most `tallest` rows: no taller than the column (a long list of clocks costs the rows in
/// sight, as in the pane).
fn clocks_drawn(app: &App, theme: &Theme, width: u16, tallest: u16) -> ClocksDrawn {
    let n = app.board.clocks.len();
    let most = u16::try_from(4 * n + 6).unwrap_or(u16::MAX).min(tallest);
    let area = Rect::new(0, 0, width, most);
    let mut buf = Buffer::empty(area);
    if area.is_empty() {
        return ClocksDrawn { buf, rows: 1 };
    }
    if chrome::loading(app, Pane::Clocks).is_none() {
        let focused = app.focus == Pane::Clocks;
        ClocksView {
            app,
            theme,
            focused,
        }
        .render(area, &mut buf);
    }
    let blank = |y: u16| (0..width).all(|x| buf[(x, y)].symbol() == " ");
    let rows = (0..most).rev().find(|&y| !blank(y)).map_or(1, |y| y + 1);
    ClocksDrawn { buf, rows }
}

impl ClocksDrawn {
    /// Copy the drawing into `area` when it is as wide and has every row filled; else false.
    fn copy_into(&self, area: Rect, buf: &mut Buffer) -> bool {
        if self.buf.area.width != area.width || self.rows > area.height {
            return false;
        }
        for y in 0..area.height.min(self.buf.area.height) {
            for x in 0..area.width {
                let to = (area.x.saturating_add(x), area.y.saturating_add(y));
                if let (Some(from), Some(cell)) = (self.buf.cell((x, y)), buf.cell_mut(to)) {
                    *cell = from.clone();
                }
            }
        }
        true
    }
}

/// The rows of the top pane of a column of `total` rows, whose panes want `top_need` and
/// `bottom_need` (frames included). Each pane keeps at least half the column, or what it wants
/// when that is less; the rest goes to the one that wants more; when both fit, the list below
/// takes what the top pane leaves. The focus does not move the line (Tab would reshuffle the
/// screen), and half a column is already a usable pane.
pub fn split(total: u16, top_need: u16, bottom_need: u16) -> u16 {
    let half = total / 2;
    if top_need <= half || top_need.saturating_add(bottom_need) <= total {
        top_need.min(total)
    } else if bottom_need <= total - half {
        total - bottom_need
    } else {
        half
    }
}

fn draw_pane(
    app: &App,
    cache: &ViewCache,
    theme: &Theme,
    pane: Pane,
    area: Rect,
    clocks: Option<&ClocksDrawn>,
    buf: &mut Buffer,
) {
    if area.is_empty() {
        return;
    }
    let focused = pane == app.focus;
    // List views draw their own one-cell gutter (the selection mark) and right margin.
    let money = match pane {
        Pane::Followups => cache.money(app, || chrome::money_counts(app)),
        _ => [0, 0],
    };
    let inner = chrome::framed(app, theme, pane, focused, money, area, buf);
    if let Some(what) = chrome::loading(app, pane) {
        chrome::note(&what, theme, text::margins(inner), buf);
        return;
    }
    match pane {
        Pane::Clocks => {
            if !clocks.is_some_and(|c| c.copy_into(inner, buf)) {
                ClocksView {
                    app,
                    theme,
                    focused,
                }
                .render(inner, buf);
            }
        }
        Pane::Deadlines => DeadlinesView {
            app,
            natural: &cache.deadlines(app),
            theme,
            focused,
        }
        .render(inner, buf),
        Pane::Heat => HeatPane {
            app,
            layout: &cache.heat(app),
            theme,
            focused,
        }
        .render(inner, buf),
        Pane::Followups => FollowupsView {
            app,
            layout: &cache.followups(app),
            theme,
            focused,
        }
        .render(inner, buf),
    }
}

/// The note shown instead of the dashboard in a tiny window, word-wrapped and centred.
pub const TOO_SMALL: &str = "tether: window too small (need 40×10)";

fn too_small(theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    // Break after "too small" first, so the size stays in one piece.
    let lines: Vec<String> = if text::width(TOO_SMALL) <= usize::from(area.width) {
        vec![TOO_SMALL.to_string()]
    } else {
        let (a, b) = TOO_SMALL.split_at(TOO_SMALL.find(" (").unwrap_or(TOO_SMALL.len()));
        [a, b.trim_start()]
            .iter()
            .flat_map(|part| text::wrap(part, usize::from(area.width)))
            .collect()
    };
    let h = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let top = area.height.saturating_sub(h) / 2;
    for (i, l) in lines.into_iter().enumerate() {
        let row = top.saturating_add(u16::try_from(i).unwrap_or(u16::MAX));
        let line = Line::styled(l, theme.warn).centered();
        text::put(buf, area, row, &line);
    }
}
