//! The world clocks pane: one row per clock (clients share one only when their timetables are
//! the same, so a row's status is each of theirs) with the local time, the gap to you, the
//! business status, a daylight-saving notice, and a 24-hour strip of your day with your hours,
//! theirs and the overlap; below, today's overlap in both zones for the client rows.
//!
//! Wide panes put everything on one line per clock. A pane too narrow for that but tall enough
//! gives each clock a second line for the strip and notice; otherwise the strip goes first, then
//! the notice. Statuses lose their `open ·`/`closed ·` prefix before a layout is given up.

use super::table::GAP;
use super::text::{abbrev, clip, hm, pad, put, width};
use super::theme::Theme;
use crate::app::state::App;
use crate::domain::clocks::{BusinessStatus, ClockRow, StripCell, day_strip};
use crate::domain::model::Client;
use crate::domain::time::format_gap;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct ClocksView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// Glyphs of the strip: distinct characters, so it reads without colour.
pub const MINE: char = '░';
pub const THEIRS: char = '▒';
pub const BOTH: char = '█';
pub const NOW: char = '│';
pub const NEITHER: char = '·';
/// One cell per hour of your day.
const STRIP: usize = 24;
/// The label column gives way down to this before a layout is ruled out.
const LABEL_MIN: usize = 12;

/// One way to lay the clocks out.
#[derive(Clone, Copy, Debug)]
struct Layout {
    mode: Mode,
    /// Statuses without their `open ·`/`closed ·` prefix.
    short_status: bool,
    /// The gap column and the date next to the weekday (`23:30 Tue 24`, not `23:30 Tue`).
    full: bool,
}

impl Layout {
    const fn new(mode: Mode, short_status: bool, full: bool) -> Layout {
        Layout {
            mode,
            short_status,
            full,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// label | time | gap | strip | status | notice
    Wide,
    /// label | time | gap | status, then the strip and the notice on a second line
    Tall,
    /// label | time | gap | status | notice (as room allows)
    Narrow,
}

struct Texts {
    label: String,
    time: String,
    /// `23:30 Tue`: the weekday without the date.
    time_short: String,
    gap: String,
    status: String,
    /// The status without its `open · ` / `closed · ` prefix (colour and wording still tell).
    status_short: String,
    status_style: Style,
    notice: String,
    /// `gap -9h from Sun 28 Mar`, for when the full notice does not fit.
    notice_short: String,
}

/// The notice if it fits in `room` cells, else its short form, clipped if need be.
fn notice_for(x: &Texts, room: usize) -> String {
    if width(&x.notice) <= room {
        x.notice.clone()
    } else {
        clip(&x.notice_short, room)
    }
}

impl ClocksView<'_> {
    fn client(&self, row: &ClockRow) -> Option<&Client> {
        let config = &self.app.loaded.model.config;
        row.client_ids.first().and_then(|id| config.client(id))
    }

    fn texts(&self, row: &ClockRow) -> Texts {
        let t = self.theme;
        let secs = self.app.loaded.model.config.ui.seconds;
        let mut time = row
            .local
            .format(if secs { "%H:%M:%S" } else { "%H:%M" })
            .to_string();
        let mut time_short = time.clone();
        if row.day_shift != 0 {
            time.push_str(&row.local.format(" %a %-d").to_string());
            time_short.push_str(&row.local.format(" %a").to_string());
        }
        let (status, status_style) = match &row.status {
            None => (String::new(), t.dim),
            Some(s) => {
                let style = match s {
                    BusinessStatus::Open { .. } => t.open,
                    BusinessStatus::Closed { .. } => t.closed,
                    BusinessStatus::Holiday { .. } => t.holiday,
                    BusinessStatus::NoHours => t.dim,
                };
                (s.describe_in(row.zone), style)
            }
        };
        let status_short = ["open · ", "closed · "]
            .iter()
            .find_map(|p| status.strip_prefix(p))
            .unwrap_or(&status)
            .to_string();
        Texts {
            label: row.label.clone(),
            time,
            time_short,
            gap: if row.is_me {
                "you".into()
            } else {
                format_gap(row.gap_secs)
            },
            status,
            status_short,
            status_style,
            notice: match &row.unknown_zone {
                Some(u) => format!(
                    "zone {:?} unknown ({}): shown in your zone, {}",
                    u.shown(),
                    u.at(),
                    abbrev(self.app.now, row.zone)
                ),
                None => row.dst_notice.map(|n| n.describe()).unwrap_or_default(),
            },
            notice_short: match &row.unknown_zone {
                Some(_) => format!("zone unknown: shown in {}", abbrev(self.app.now, row.zone)),
                None => row
                    .dst_notice
                    .map(|n| {
                        format!(
                            "gap {} from {}",
                            format_gap(n.gap_after),
                            n.at.with_timezone(&n.whose).format("%a %-d %b")
                        )
                    })
                    .unwrap_or_default(),
            },
        }
    }

    fn strip(&self, row: &ClockRow) -> Vec<Span<'static>> {
        let me = &self.app.loaded.model.config.me;
        let cells = day_strip(me, self.client(row), row.zone, self.app.now, STRIP);
        strip_spans(&cells, self.theme)
    }

    /// The client row whose overlap is spelled out when there is room for only one: the selected
    /// row if it has a client, else the first client row you overlap with today, else the first
    /// client row.
    fn overlap_row(&self) -> Option<&ClockRow> {
        let rows = &self.app.board.clocks;
        let client = |r: &&ClockRow| !r.client_ids.is_empty();
        rows.get(self.app.selected[0])
            .filter(client)
            .or_else(|| rows.iter().filter(client).find(|r| !r.overlap.is_empty()))
            .or_else(|| rows.iter().find(client))
    }

    /// `10:00–17:30 AEST = 09:00–16:30 JST`, or `none`; compact leaves out your zone's name.
    fn overlap_spans(&self, row: &ClockRow, compact: bool) -> Vec<Span<'static>> {
        let t = self.theme;
        if row.overlap.is_empty() {
            return vec![Span::styled("none", t.dim)];
        }
        let mine = self.app.board.my_zone;
        let now = self.app.now;
        let join = |zone| {
            row.overlap
                .iter()
                .map(|o| format!("{}–{}", hm(o.start, zone), hm(o.end, zone)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mine_name = if compact {
            String::new()
        } else {
            format!(" {}", abbrev(now, mine))
        };
        vec![
            Span::styled(join(mine), t.strip_both),
            Span::raw(format!("{mine_name} = ")),
            Span::styled(join(row.zone), t.strip_both),
            Span::raw(format!(" {}", abbrev(now, row.zone))),
        ]
    }

    fn legend(&self) -> Vec<Span<'static>> {
        let t = self.theme;
        vec![
            Span::styled(MINE.to_string(), t.strip_mine),
            Span::styled(" you ", t.dim),
            Span::styled(THEIRS.to_string(), t.strip_theirs),
            Span::styled(" them ", t.dim),
            Span::styled(BOTH.to_string(), t.strip_both),
            Span::styled(" both ", t.dim),
            Span::styled(NOW.to_string(), t.strip_now),
            Span::styled(" now", t.dim),
        ]
    }
}

/// The strip as styled spans, one character per cell.
pub fn strip_spans(cells: &[StripCell], t: &Theme) -> Vec<Span<'static>> {
    cells
        .iter()
        .map(|c| {
            let (ch, style) = if c.now {
                (NOW, t.strip_now)
            } else {
                match (c.mine, c.theirs) {
                    (true, true) => (BOTH, t.strip_both),
                    (true, false) => (MINE, t.strip_mine),
                    (false, true) => (THEIRS, t.strip_theirs),
                    (false, false) => (NEITHER, t.dim),
                }
            };
            Span::styled(ch.to_string(), style)
        })
        .collect()
}

/// Hour ticks over a strip of `cells` cells covering your day: `00    06    12    18`.
fn ticks(cells: usize) -> String {
    let mut s: Vec<char> = vec![' '; cells];
    let mut free_from = 0;
    for h in [0usize, 6, 12, 18] {
        let pos = h * cells / 24;
        if pos < free_from || pos + 2 > cells {
            continue;
        }
        for (k, ch) in format!("{h:02}").chars().enumerate() {
            if let Some(c) = s.get_mut(pos + k) {
                *c = ch;
            }
        }
        free_from = pos + 3;
    }
    s.into_iter().collect()
}

fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(Span::width).sum()
}

impl Widget for ClocksView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let rows = &self.app.board.clocks;
        if area.is_empty() {
            return;
        }
        let t = self.theme;
        if rows.is_empty() {
            put(buf, area, 0, &Line::styled("No clocks", t.dim));
            return;
        }
        let texts: Vec<Texts> = rows.iter().map(|r| self.texts(r)).collect();
        let w = usize::from(area.width);
        let h = usize::from(area.height);
        let n = rows.len();
        let col = |f: fn(&Texts) -> &String| texts.iter().map(|x| width(f(x))).max().unwrap_or(0);
        let label_nat = col(|x| &x.label).min(26);
        let label_min = label_nat.min(LABEL_MIN);

        // The first layout that fits, richest first: the strip moves to a second line, statuses
        // lose their prefix, then the gap column and the date go.
        let layouts = [
            Layout::new(Mode::Wide, false, true),
            Layout::new(Mode::Wide, true, true),
            Layout::new(Mode::Tall, false, true),
            Layout::new(Mode::Tall, true, true),
            Layout::new(Mode::Tall, true, false),
            Layout::new(Mode::Narrow, false, true),
            Layout::new(Mode::Narrow, true, true),
            Layout::new(Mode::Narrow, true, false),
        ];
        let widths = |l: &Layout| {
            let time_w = if l.full {
                col(|x| &x.time)
            } else {
                col(|x| &x.time_short)
            };
            let gap_w = if l.full { col(|x| &x.gap).max(3) } else { 0 };
            let status_w = if l.short_status {
                col(|x| &x.status_short)
            } else {
                col(|x| &x.status)
            };
            (time_w.max(5), gap_w, status_w.min(32))
        };
        let row_width = |l: &Layout, label: usize| {
            let (time_w, gap_w, status_w) = widths(l);
            let gap_cols = if gap_w > 0 { gap_w + GAP } else { 0 };
            let strip = if l.mode == Mode::Wide { STRIP + GAP } else { 0 };
            label + GAP + time_w + GAP + gap_cols + strip + status_w
        };
        let fits = |l: &Layout| match l.mode {
            Mode::Wide | Mode::Narrow => w >= row_width(l, label_min),
            Mode::Tall => h > 2 * n && w >= row_width(l, label_min) && w >= label_min + GAP + STRIP,
        };
        let layout = layouts
            .iter()
            .find(|l| fits(l))
            .or(layouts.last())
            .copied()
            .unwrap_or(Layout::new(Mode::Narrow, true, false));
        let (time_w, gap_w, status_w) = widths(&layout);
        let (mode, short) = (layout.mode, layout.short_status);
        let label_w = label_nat
            .min(w.saturating_sub(row_width(&layout, 0)))
            .max(label_min.min(w));
        let indent = label_w + GAP;
        let lines_per_row = if mode == Mode::Tall { 2 } else { 1 };

        let mut out: Vec<Line> = Vec::new();
        // Headings, when they do not push clocks out of sight.
        let mut legend_done = mode == Mode::Narrow;
        if h > n * lines_per_row {
            let mut spans = vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(pad("local", time_w), t.heading),
                Span::raw("  "),
            ];
            if gap_w > 0 {
                spans.push(Span::styled(pad("gap", gap_w), t.heading));
                spans.push(Span::raw("  "));
            }
            if mode == Mode::Wide {
                spans.push(Span::styled(ticks(STRIP), t.heading));
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled("status", t.heading));
            out.push(Line::from(spans));
        }
        if mode == Mode::Tall && h > 2 * n + 1 {
            let mut spans = vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(ticks(STRIP), t.dim),
            ];
            let legend = self.legend();
            if indent + STRIP + GAP + spans_width(&legend) <= w {
                spans.push(Span::raw("  "));
                spans.extend(legend);
                legend_done = true;
            }
            out.push(Line::from(spans));
        }
        for (row, x) in rows.iter().zip(&texts) {
            let label_style = if row.is_me { t.bold } else { Style::new() };
            let time = if layout.full { &x.time } else { &x.time_short };
            let mut spans = vec![
                Span::styled(pad(&x.label, label_w), label_style),
                Span::raw("  "),
                Span::styled(pad(time, time_w), t.clock),
                Span::raw("  "),
            ];
            if gap_w > 0 {
                spans.push(Span::styled(pad(&x.gap, gap_w), t.dim));
                spans.push(Span::raw("  "));
            }
            if mode == Mode::Wide {
                spans.extend(self.strip(row));
                spans.push(Span::raw("  "));
            }
            let status = if short { &x.status_short } else { &x.status };
            let used = spans_width(&spans);
            spans.push(Span::styled(
                pad(status, status_w.min(w.saturating_sub(used))),
                x.status_style,
            ));
            let used = spans_width(&spans);
            if mode != Mode::Tall && !x.notice.is_empty() && w >= used + GAP + 12 {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(notice_for(x, w - used - GAP), t.warn));
            }
            out.push(Line::from(spans));
            if mode == Mode::Tall {
                let mut spans = vec![Span::raw(" ".repeat(indent))];
                spans.extend(self.strip(row));
                let used = indent + STRIP + GAP;
                if !x.notice.is_empty() && w >= used + 12 {
                    spans.push(Span::raw("  "));
                    spans.push(Span::styled(notice_for(x, w - used), t.warn));
                }
                out.push(Line::from(spans));
            }
        }

        // Below the clocks, as room allows: every client row's overlap today (or the chosen
        // one's), then the legend.
        let left = h.saturating_sub(out.len());
        let client_rows: Vec<&ClockRow> =
            rows.iter().filter(|r| !r.client_ids.is_empty()).collect();
        let legend_lines = usize::from(!legend_done);
        let mut below: Vec<Line> = Vec::new();
        if !client_rows.is_empty() && left > client_rows.len() + legend_lines {
            below.push(Line::styled(
                "Overlap of your hours with theirs today",
                t.heading,
            ));
            // Full texts when they all fit; else compact ones, with labels giving way.
            let widest = |compact: bool| {
                client_rows
                    .iter()
                    .map(|r| spans_width(&self.overlap_spans(r, compact)))
                    .max()
                    .unwrap_or(0)
            };
            let compact = indent + widest(false) > w;
            let ov_label_w = label_w
                .min(w.saturating_sub(GAP + widest(compact)))
                .max(label_w.min(8));
            for r in client_rows {
                let mut spans = vec![Span::raw(pad(&r.label, ov_label_w)), Span::raw("  ")];
                spans.extend(self.overlap_spans(r, compact));
                below.push(Line::from(spans));
            }
        } else if let Some(r) = self.overlap_row() {
            let mut spans = vec![Span::styled(
                format!("Overlap today · {}: ", r.label),
                t.bold,
            )];
            let used = spans_width(&spans);
            let full = self.overlap_spans(r, false);
            let compact = used + spans_width(&full) > w;
            spans.extend(if compact {
                self.overlap_spans(r, true)
            } else {
                full
            });
            below.push(Line::from(spans));
        }
        if !legend_done {
            below.push(Line::from(self.legend()));
        }
        if left > below.len() {
            out.push(Line::raw(""));
        }
        out.extend(below);
        for (y, l) in out.iter().enumerate().take(h) {
            put(buf, area, u16::try_from(y).unwrap_or(u16::MAX), l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_ruler() {
        assert_eq!(ticks(24), "00    06    12    18    ");
        assert_eq!(ticks(3), "00 ");
        assert_eq!(ticks(0), "");
    }
}
