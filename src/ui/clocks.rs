//! The world clocks pane: a row for you, each extra clock and each client, with the local time,
//! the gap to you, the business status, a daylight-saving notice, and a strip of your day with
//! your hours, theirs and the overlap; below, the overlap in both zones for the client rows.
//!
//! Everything shows the clocks at [`App::view_now`], the instant the scrubber (`h`/`l`, `H`/`L`)
//! moved them to. The pane is a list: a cursor (`j`/`k`) picks the row whose overlap is spelled
//! out when there is room for only one.
//!
//! Labels are never cut while anything else can give way. Wide panes put everything on one line
//! per clock, the strip taking the width left over. A pane too narrow for that but tall enough
//! gives each clock a second line for the strip and notice; otherwise the strip goes first, then
//! the notice. Statuses lose their `open ·`/`closed ·` prefix before a layout is given up.

use super::table::{GAP, scroll};
use super::text::{abbrev, clip, gutter, hm, pad, put, width};
use super::theme::Theme;
use crate::app::state::App;
use crate::domain::clocks::{BusinessStatus, ClockRow, StripCell, day_strip};
use crate::domain::holidays::DayOff;
use crate::domain::model::Client;
use crate::domain::time::format_gap;
use chrono::Duration;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct ClocksView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub focused: bool,
}

/// Glyphs of the strip: distinct characters, so it reads without colour.
pub const MINE: char = '░';
pub const THEIRS: char = '▒';
pub const BOTH: char = '█';
pub const NOW: char = '│';
pub const NEITHER: char = '·';
/// The fewest cells of a strip: one per hour of your day. Wider panes give it more.
const STRIP: usize = 24;
/// A notice is shown only with at least this many cells.
const NOTICE_MIN: usize = 12;

/// How far the clocks are scrubbed, as people say it: `+6h`, `-1d`, `+1d 6h`.
pub fn offset_words(d: Duration) -> String {
    let sign = if d < Duration::zero() { '-' } else { '+' };
    let hours = d.num_hours().abs();
    let (days, hours) = (hours / 24, hours % 24);
    match (days, hours) {
        (0, h) => format!("{sign}{h}h"),
        (d, 0) => format!("{sign}{d}d"),
        (d, h) => format!("{sign}{d}d {h}h"),
    }
}

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

/// The first layout that fits, richest first: the strip moves to a second line, statuses lose
/// their prefix, then the gap column and the date go.
const LAYOUTS: [Layout; 8] = [
    Layout::new(Mode::Wide, false, true),
    Layout::new(Mode::Wide, true, true),
    Layout::new(Mode::Tall, false, true),
    Layout::new(Mode::Tall, true, true),
    Layout::new(Mode::Tall, true, false),
    Layout::new(Mode::Narrow, false, true),
    Layout::new(Mode::Narrow, true, true),
    Layout::new(Mode::Narrow, true, false),
];

struct Texts {
    label: String,
    time: String,
    /// `23:30 Tue`: the weekday without the date.
    time_short: String,
    gap: String,
    status: String,
    /// The status without its `open · ` / `closed · ` prefix (colour and wording still tell).
    status_short: String,
    /// The status without a holiday's name: what the status column is sized by, so a name
    /// shows where the column has room and never pushes a richer layout out.
    status_unnamed: String,
    status_style: Style,
    notice: String,
    /// `gap -9h from Sun 28 Mar`, for when the full notice does not fit.
    notice_short: String,
}

/// The notices of a row (today's holiday, a clock change, a closure ahead) as one.
fn joined<const N: usize>(notices: [Option<String>; N]) -> String {
    notices
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The notice if it fits in `room` cells, else its short form, clipped if need be.
fn notice_for(x: &Texts, room: usize) -> String {
    if width(&x.notice) <= room {
        x.notice.clone()
    } else {
        clip(&x.notice_short, room)
    }
}

/// The cells a notice column takes out of `spare` cells (0: no notice shown), and so how many
/// the strip can add to its [`STRIP`].
fn notice_room(texts: &[Texts], spare: usize) -> usize {
    let widest = |f: fn(&Texts) -> &String| texts.iter().map(|x| width(f(x))).max().unwrap_or(0);
    let (full, short) = (widest(|x| &x.notice), widest(|x| &x.notice_short));
    if full == 0 {
        0
    } else if spare >= full + GAP {
        full
    } else if spare >= short + GAP {
        short
    } else if spare >= NOTICE_MIN + GAP {
        spare - GAP
    } else {
        0
    }
}

impl ClocksView<'_> {
    fn client(&self, row: &ClockRow) -> Option<&Client> {
        let config = &self.app.loaded.model.config;
        row.client_id().and_then(|id| config.client(id))
    }

    fn texts(&self, row: &ClockRow) -> Texts {
        let t = self.theme;
        let secs = self.app.loaded.model.config.ui.seconds;
        let mut time = row
            .local
            .format(if secs { "%H:%M:%S" } else { "%H:%M" })
            .to_string();
        let mut time_short = time.clone();
        // A view of another day dates every row, yours too.
        let other_day = self.app.board.clocks.first().is_some_and(|me| {
            let today = self.app.now.with_timezone(&me.zone).date_naive();
            me.local.date_naive() != today
        });
        if row.day_shift != 0 || other_day {
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
        // A named holiday or closure gives up its name first (`holiday · opens Tue 09:00`): the
        // reopening is what the row is for; the client's page and the agenda keep the name.
        let unnamed = match row.status {
            Some(BusinessStatus::Holiday {
                opens_at: Some(at),
                why: DayOff::Closure,
            }) => format!(
                "closed · opens {}",
                at.with_timezone(&row.zone).format("%a %H:%M")
            ),
            Some(BusinessStatus::Holiday { opens_at, .. }) => BusinessStatus::Holiday {
                opens_at,
                why: DayOff::Holiday,
            }
            .describe_in(row.zone),
            _ => status.clone(),
        };
        let status_short = ["open · ", "closed · "]
            .iter()
            .find_map(|p| unnamed.strip_prefix(p))
            .unwrap_or(&unnamed)
            .to_string();
        let status_unnamed = unnamed;
        // The status column is sized without names: today's name goes first in the notice.
        let today = match row.status {
            Some(BusinessStatus::Holiday {
                why: why @ (DayOff::Public(_) | DayOff::Closure),
                ..
            }) => Some(format!("today: {}", why.name())),
            _ => None,
        };
        let view = self.app.view_now();
        Texts {
            label: row.label.clone(),
            time,
            time_short,
            gap: if row.is_me() {
                "you".into()
            } else {
                format_gap(row.gap_secs)
            },
            status,
            status_short,
            status_unnamed,
            status_style,
            notice: match &row.unknown_zone {
                Some(u) => format!(
                    "zone {:?} unknown ({}): shown in your zone, {}",
                    u.shown(),
                    u.at(),
                    abbrev(view, row.zone)
                ),
                None => joined([
                    today.clone(),
                    row.dst_notice.map(|n| n.describe()),
                    row.closed_notice.as_ref().map(|c| c.describe()),
                ]),
            },
            notice_short: match &row.unknown_zone {
                Some(_) => format!("zone unknown: shown in {}", abbrev(view, row.zone)),
                None => joined([
                    today,
                    row.dst_notice.map(|n| {
                        format!(
                            "gap {} from {}",
                            format_gap(n.gap_after),
                            n.at.with_timezone(&n.whose).format("%a %-d %b")
                        )
                    }),
                    row.closed_notice
                        .as_ref()
                        .map(|c| format!("closed {} ({})", c.dates(), c.name)),
                ]),
            },
        }
    }

    fn strip(&self, row: &ClockRow, cells: usize) -> Vec<Span<'static>> {
        let me = &self.app.loaded.model.config.me;
        let cells = day_strip(me, self.client(row), row.zone, self.app.view_now(), cells);
        strip_spans(&cells, self.theme)
    }

    /// The client row whose overlap is spelled out when there is room for only one: the
    /// row under the cursor if it is a client's, else the first client row you overlap with,
    /// else the first client row.
    fn overlap_row(&self) -> Option<&ClockRow> {
        let rows = &self.app.board.clocks;
        let client = |r: &&ClockRow| r.client_id().is_some();
        self.app
            .selected_clock()
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
        let view = self.app.view_now();
        let mine = self.app.board.clocks.first().map_or(row.zone, |r| r.zone);
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
            format!(" {}", abbrev(view, mine))
        };
        vec![
            Span::styled(join(mine), t.strip_both),
            Span::raw(format!("{mine_name} = ")),
            Span::styled(join(row.zone), t.strip_both),
            Span::raw(format!(" {}", abbrev(view, row.zone))),
        ]
    }

    /// "today", or the day the clocks are scrubbed to: `Thu 26 Nov`.
    fn which_day(&self) -> String {
        let Some(me) = self.app.board.clocks.first() else {
            return "today".into();
        };
        let today = self.app.now.with_timezone(&me.zone).date_naive();
        if me.local.date_naive() == today {
            "today".into()
        } else {
            me.local.format("%a %-d %b").to_string()
        }
    }

    fn legend(&self) -> Vec<Span<'static>> {
        let t = self.theme;
        let now = if self.app.view_offset == Duration::zero() {
            " now"
        } else {
            " viewed"
        };
        vec![
            Span::styled(MINE.to_string(), t.strip_mine),
            Span::styled(" you ", t.dim),
            Span::styled(THEIRS.to_string(), t.strip_theirs),
            Span::styled(" them ", t.dim),
            Span::styled(BOTH.to_string(), t.strip_both),
            Span::styled(" both ", t.dim),
            Span::styled(NOW.to_string(), t.strip_now),
            Span::styled(now, t.dim),
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

/// Hour ticks over a strip of `cells` cells covering your day, as many as fit with a space
/// between: `00    06    12    18` on 24 cells, every hour on 72.
pub fn ticks(cells: usize) -> String {
    let step = [1, 2, 3, 6, 12]
        .into_iter()
        .find(|step| cells * step / 24 >= 3)
        .unwrap_or(24);
    let mut s: Vec<char> = vec![' '; cells];
    let mut free_from = 0;
    for h in (0..24).step_by(step) {
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
            put(buf, area, 0, &Line::styled(" No clocks", t.dim));
            return;
        }
        let texts: Vec<Texts> = rows.iter().map(|r| self.texts(r)).collect();
        // A cell of gutter (the cursor) on the left and a cell of margin on the right.
        let w = usize::from(area.width).saturating_sub(2);
        let h = usize::from(area.height);
        let n = rows.len();
        let col = |f: fn(&Texts) -> &String| texts.iter().map(|x| width(f(x))).max().unwrap_or(0);
        let label_nat = col(|x| &x.label);

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
                col(|x| &x.status_unnamed)
            };
            (time_w.max(5), gap_w, status_w.min(32))
        };
        let row_width = |l: &Layout, label: usize| {
            let (time_w, gap_w, status_w) = widths(l);
            let gap_cols = if gap_w > 0 { gap_w + GAP } else { 0 };
            let strip = if l.mode == Mode::Wide { STRIP + GAP } else { 0 };
            label + GAP + time_w + GAP + gap_cols + strip + status_w
        };
        // The label whole in every layout but the last resort.
        let fits = |l: &Layout| match l.mode {
            Mode::Wide | Mode::Narrow => w >= row_width(l, label_nat),
            Mode::Tall => h > 2 * n && w >= row_width(l, label_nat) && w >= label_nat + GAP + STRIP,
        };
        let layout = LAYOUTS
            .iter()
            .find(|l| fits(l))
            .copied()
            .unwrap_or(Layout::new(Mode::Narrow, true, false));
        let (time_w, gap_w, status_w) = widths(&layout);
        let (mode, short) = (layout.mode, layout.short_status);
        let label_w = label_nat.min(w.saturating_sub(row_width(&layout, 0)).max(1));
        let indent = label_w + GAP;
        let lines_per_row = if mode == Mode::Tall { 2 } else { 1 };
        // The strip takes the width left over (less the notices' column, when there are any),
        // in whole cells per hour so that every hour and its tick look alike.
        let whole_hours = |(cells, note): (usize, usize)| (cells / STRIP * STRIP, note);
        let (strip_w, note_w) = whole_hours(match mode {
            Mode::Wide => {
                let spare = w.saturating_sub(row_width(&layout, label_w));
                let note = notice_room(&texts, spare);
                let taken = if note > 0 { note + GAP } else { 0 };
                (STRIP + spare - taken, note)
            }
            Mode::Tall => {
                let spare = w.saturating_sub(indent + STRIP);
                let note = notice_room(&texts, spare);
                let taken = if note > 0 { note + GAP } else { 0 };
                (STRIP + spare - taken, note)
            }
            Mode::Narrow => (0, 0),
        });

        let mut out: Vec<Line> = Vec::new();
        let margin = || Span::raw(" ");
        // Headings, when they do not push clocks out of sight (or the pane is tall anyway).
        let mut legend_done = mode == Mode::Narrow;
        if h > n * lines_per_row || h >= 8 {
            let mut spans = vec![
                margin(),
                Span::raw(" ".repeat(indent)),
                Span::styled(pad("local", time_w), t.heading),
                Span::raw("  "),
            ];
            if gap_w > 0 {
                spans.push(Span::styled(pad("gap", gap_w), t.heading));
                spans.push(Span::raw("  "));
            }
            if mode == Mode::Wide {
                spans.push(Span::styled(ticks(strip_w), t.heading));
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled("status", t.heading));
            out.push(Line::from(spans));
        }
        if mode == Mode::Tall && h > 2 * n + 1 {
            let mut spans = vec![
                margin(),
                Span::raw(" ".repeat(indent)),
                Span::styled(ticks(strip_w), t.dim),
            ];
            let legend = self.legend();
            if indent + strip_w + GAP + spans_width(&legend) <= w {
                spans.push(Span::raw("  "));
                spans.extend(legend);
                legend_done = true;
            }
            out.push(Line::from(spans));
        }
        let visible = h.saturating_sub(out.len()) / lines_per_row;
        let selected = self.app.selected[0].min(n - 1);
        let first = scroll(selected, visible);
        for (i, (row, x)) in rows
            .iter()
            .zip(&texts)
            .enumerate()
            .skip(first)
            .take(visible)
        {
            let sel = self.focused && i == selected;
            let label_style = if row.is_me() { t.bold } else { Style::new() };
            let time = if layout.full { &x.time } else { &x.time_short };
            let mut spans = vec![
                gutter(sel),
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
                spans.extend(self.strip(row, strip_w));
                spans.push(Span::raw("  "));
            }
            let used = spans_width(&spans) - 1;
            let status_room = status_w.min(w.saturating_sub(used));
            // A status too long for its column (a holiday's name) is shown without the name,
            // not cut.
            let status = if short {
                &x.status_short
            } else if width(&x.status) <= status_room {
                &x.status
            } else {
                &x.status_unnamed
            };
            spans.push(Span::styled(pad(status, status_room), x.status_style));
            let used = spans_width(&spans) - 1;
            if !x.notice.is_empty() {
                let room = match mode {
                    Mode::Wide => note_w,
                    Mode::Narrow => w.saturating_sub(used + GAP),
                    Mode::Tall => 0,
                };
                if room >= NOTICE_MIN {
                    spans.push(Span::raw("  "));
                    spans.push(Span::styled(notice_for(x, room), t.warn));
                }
            }
            let mut line = Line::from(spans);
            if sel {
                line = line.style(t.selected);
            }
            out.push(line);
            if mode == Mode::Tall {
                let mut spans = vec![margin(), Span::raw(" ".repeat(indent))];
                spans.extend(self.strip(row, strip_w));
                if !x.notice.is_empty() && note_w >= NOTICE_MIN {
                    spans.push(Span::raw("  "));
                    spans.push(Span::styled(notice_for(x, note_w), t.warn));
                }
                out.push(Line::from(spans));
            }
        }

        // Below the clocks, as room allows: every client row's overlap on your day (or the
        // chosen one's), then the legend.
        let left = h.saturating_sub(out.len());
        let client_rows: Vec<&ClockRow> = rows.iter().filter(|r| r.client_id().is_some()).collect();
        let legend_lines = usize::from(!legend_done);
        let day = self.which_day();
        let mut below: Vec<Line> = Vec::new();
        if !client_rows.is_empty() && left > client_rows.len() + legend_lines {
            below.push(Line::from(vec![
                margin(),
                Span::styled(
                    format!("Overlap of your hours with theirs {day}"),
                    t.heading,
                ),
            ]));
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
                let mut spans = vec![
                    margin(),
                    Span::raw(pad(&r.label, ov_label_w)),
                    Span::raw("  "),
                ];
                spans.extend(self.overlap_spans(r, compact));
                below.push(Line::from(spans));
            }
        } else if let Some(r) = self.overlap_row() {
            let mut spans = vec![
                margin(),
                Span::styled(format!("Overlap {day} · {}: ", r.label), t.bold),
            ];
            let used = spans_width(&spans);
            let full = self.overlap_spans(r, false);
            let compact = used + spans_width(&full) > w + 1;
            spans.extend(if compact {
                self.overlap_spans(r, true)
            } else {
                full
            });
            below.push(Line::from(spans));
        }
        if !legend_done {
            let mut spans = vec![margin()];
            spans.extend(self.legend());
            below.push(Line::from(spans));
        }
        if left > below.len() {
            out.push(Line::raw(""));
        }
        out.extend(below);
        let area = Rect {
            width: area.width.saturating_sub(1),
            ..area
        };
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
        assert_eq!(ticks(24), "00 03 06 09 12 15 18 21 ");
        assert_eq!(ticks(12), "00 06 12 18 ");
        assert_eq!(&ticks(72)[..9], "00 01 02 ");
        assert_eq!(ticks(3), "00 ");
        assert_eq!(ticks(0), "");
    }

    #[test]
    fn offsets_in_words() {
        assert_eq!(offset_words(Duration::hours(6)), "+6h");
        assert_eq!(offset_words(Duration::hours(-24)), "-1d");
        assert_eq!(offset_words(Duration::hours(30)), "+1d 6h");
        assert_eq!(offset_words(Duration::hours(-2)), "-2h");
    }
}
