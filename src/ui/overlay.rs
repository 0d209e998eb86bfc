//! Boxes drawn over the panes: help (from the key map), problems, alerts, the snooze picker,
//! forms and the detail of a deadline or follow-up. Each clears its box and clips to the area.

use super::text::{clip, pad, put, width, wrap};
use super::theme::Theme;
use super::{deadlines, followups};
use crate::app::action::Pane;
use crate::app::state::{App, Form, Overlay, SnoozePicker};
use crate::domain::board::followup_has_key;
use crate::domain::held::Rec;
use crate::domain::model::Followup;
use crate::store::diagnostic::Level;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// Draw the app's overlay (if any) over `area` (the space between header and footer).
/// `problems_size`: [`measure_problems`] for a text width (once per board and width).
pub fn draw(
    app: &App,
    problems_size: &dyn Fn(usize) -> ProblemsSize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    match &app.overlay {
        // Drawn instead of the dashboard, not over it (`ui::render`).
        Overlay::None | Overlay::Filter { .. } | Overlay::Week => {}
        Overlay::Help => help(app, theme, area, buf),
        Overlay::Problems => problems(app, problems_size, theme, area, buf),
        Overlay::Alerts => alerts(app, theme, area, buf),
        Overlay::Slots { title, lines } => slots(title, lines, theme, area, buf),
        Overlay::Review { title, lines } => review(app, title, lines, theme, area, buf),
        Overlay::Detail => detail(app, theme, area, buf),
        Overlay::Snooze(p) => snooze(app, p, theme, area, buf),
        Overlay::Form(f) => form(f, theme, area, buf),
        // Drawn by `client_page.rs`, which uses this module's box.
        Overlay::Client(_) => {}
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centred(area: Rect, w: usize, h: usize) -> Rect {
    let w = u16::try_from(w).unwrap_or(u16::MAX).min(area.width);
    let h = u16::try_from(h).unwrap_or(u16::MAX).min(area.height);
    Rect {
        x: area.x.saturating_add((area.width - w) / 2),
        y: area.y.saturating_add((area.height - h) / 2),
        width: w,
        height: h,
    }
}

/// Clear a centred box of `w`×`h` (borders included), draw its border and title, and return the
/// inner area with a one-cell margin left and right.
pub(super) fn boxed(
    theme: &Theme,
    area: Rect,
    w: usize,
    h: usize,
    title: &str,
    buf: &mut Buffer,
) -> Rect {
    // A box that would leave a sliver of one or two cells around it takes the whole area.
    let fill = |want: usize, have: u16| {
        if want.saturating_add(2) >= usize::from(have) {
            usize::from(have)
        } else {
            want
        }
    };
    let r = centred(area, fill(w, area.width), fill(h, area.height));
    Clear.render(r, buf);
    let block = Block::bordered()
        .border_style(theme.border_focus)
        .title(Line::from(Span::styled(
            format!(" {title} "),
            theme.title_focus,
        )));
    let inner = block.inner(r);
    block.render(r, buf);
    Rect {
        x: inner.x.saturating_add(1),
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// Render `lines` into `inner`; when they do not all fit, the last visible line says so.
fn lines_into(theme: &Theme, inner: Rect, lines: &[Line], buf: &mut Buffer) {
    let h = usize::from(inner.height);
    let over = lines.len() > h;
    for (y, l) in lines.iter().enumerate().take(h) {
        let y16 = u16::try_from(y).unwrap_or(u16::MAX);
        if over && y + 1 == h {
            put(
                buf,
                inner,
                y16,
                &Line::styled("… (more: enlarge the window)", theme.dim),
            );
        } else {
            put(buf, inner, y16, l);
        }
    }
}

/// One line of the help: a section heading, a binding, or a blank between sections.
enum HelpLine {
    Heading(String),
    Key(String, &'static str),
    Blank,
    /// The last row of a scrolled help: lines above and below the ones shown.
    More(usize, usize),
}

/// Split help lines into `cols` columns of about equal height, never starting a column with a
/// blank line nor ending one with a heading.
fn help_columns(lines: Vec<HelpLine>, cols: usize) -> Vec<Vec<HelpLine>> {
    let per = lines.len().div_ceil(cols.max(1)).max(1);
    let mut out: Vec<Vec<HelpLine>> = Vec::new();
    let mut cur: Vec<HelpLine> = Vec::new();
    for line in lines {
        if cur.len() >= per && out.len() + 1 < cols {
            let orphan = match cur.last() {
                Some(HelpLine::Heading(_)) => cur.pop(),
                _ => None,
            };
            out.push(std::mem::take(&mut cur));
            cur.extend(orphan);
        }
        if cur.is_empty() && matches!(line, HelpLine::Blank) {
            continue;
        }
        cur.push(line);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn help(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let sections = app.keymap.help_sections();
    let key_w = sections
        .iter()
        .flat_map(|(_, v)| v.iter().map(|(k, _)| width(k)))
        .max()
        .unwrap_or(0);
    let help_w = sections
        .iter()
        .flat_map(|(_, v)| v.iter().map(|(_, h)| width(h)))
        .max()
        .unwrap_or(0);
    let flatten = |blanks: bool| -> Vec<HelpLine> {
        let mut v = Vec::new();
        for (i, (title, keys)) in sections.iter().enumerate() {
            if i > 0 && blanks {
                v.push(HelpLine::Blank);
            }
            v.push(HelpLine::Heading(title.clone()));
            v.extend(keys.iter().map(|(k, h)| HelpLine::Key(k.clone(), h)));
        }
        v
    };
    let col_w = 2 + key_w + 2 + help_w;
    let gap = 3;
    let max_inner_w = usize::from(area.width).saturating_sub(4);
    let max_inner_h = usize::from(area.height).saturating_sub(2);
    // The first arrangement that shows every line (columns at least 34 cells wide): one column,
    // two, the same without blank lines between sections, then three; else one clipped column.
    let min_col = 34;
    let tries = [
        (1, true),
        (2, true),
        (1, false),
        (2, false),
        (3, true),
        (3, false),
    ];
    let mut choice = None;
    for (cols, blanks) in tries {
        if cols > 1 && cols * min_col + (cols - 1) * gap > max_inner_w {
            continue;
        }
        let columns = help_columns(flatten(blanks), cols);
        if columns.iter().all(|c| c.len() <= max_inner_h) {
            choice = Some(columns);
            break;
        }
    }
    // Nothing fits: one column, scrolled by the list keys, its last row saying there is more.
    let columns = choice.unwrap_or_else(|| {
        let all = flatten(false);
        let rows = max_inner_h.max(2) - 1;
        let top = app.help_scroll.min(all.len().saturating_sub(rows));
        let mut shown: Vec<HelpLine> = all.into_iter().skip(top).collect();
        let below = shown.len().saturating_sub(rows);
        shown.truncate(rows);
        shown.push(HelpLine::More(top, below));
        vec![shown]
    });
    let ncols = columns.len().max(1);
    let inner_w = (col_w * ncols + gap * (ncols - 1)).min(max_inner_w);
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let inner = boxed(theme, area, inner_w + 4, tallest + 2, "Help — keys", buf);
    let each = (usize::from(inner.width).saturating_sub(gap * (ncols - 1))) / ncols;
    let text_w = each.saturating_sub(key_w + 4);
    for (c, col) in columns.iter().enumerate() {
        let lines: Vec<Line> = col
            .iter()
            .map(|l| match l {
                HelpLine::Heading(t) => Line::styled(clip(t, each), theme.section),
                HelpLine::Blank => Line::raw(""),
                HelpLine::More(above, below) => Line::styled(
                    clip(
                        &match (above, below) {
                            (0, b) => format!("↓ {b} more: j or down"),
                            (a, 0) => format!("↑ {a} above: k or up"),
                            (a, b) => format!("↑ {a} above · ↓ {b} more: j/k"),
                        },
                        each,
                    ),
                    theme.dim,
                ),
                HelpLine::Key(k, h) => Line::from(vec![
                    Span::raw("  "),
                    Span::styled(pad(k, key_w), theme.key),
                    Span::raw("  "),
                    Span::raw(clip(h, text_w)),
                ]),
            })
            .collect();
        let x = inner
            .x
            .saturating_add(u16::try_from(c * (each + gap)).unwrap_or(u16::MAX));
        let r = Rect {
            x,
            width: u16::try_from(each).unwrap_or(u16::MAX),
            ..inner
        }
        .intersection(inner);
        lines_into(theme, r, &lines, buf);
    }
}

/// The problems list wrapped to some width: its widest line and its number of lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProblemsSize {
    width: usize,
    lines: usize,
}

/// The lines of the problems list wrapped to `text_w`, stopping after `max` of them.
fn problem_lines(app: &App, theme: &Theme, text_w: usize, max: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = Vec::new();
    if app.problems().total() == 0 {
        let dir = app.dir.display();
        lines.push(Line::styled(format!("No problems in {dir}"), theme.ok));
    }
    for d in app.problem_list() {
        if lines.len() >= max {
            break;
        }
        let style = match d.level {
            Level::Error => theme.error,
            Level::Warning => theme.warn,
        };
        for (i, part) in wrap(&d.to_string(), text_w).into_iter().enumerate() {
            let indent = if i == 0 { "" } else { "    " };
            lines.push(Line::styled(format!("{indent}{part}"), style));
        }
    }
    lines
}

/// The size of the whole problems list wrapped to `text_w` columns.
pub fn measure_problems(app: &App, theme: &Theme, text_w: usize) -> ProblemsSize {
    let lines = problem_lines(app, theme, text_w, usize::MAX);
    ProblemsSize {
        width: lines.iter().map(Line::width).max().unwrap_or(0),
        lines: lines.len(),
    }
}

fn problems(
    app: &App,
    problems_size: &dyn Fn(usize) -> ProblemsSize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let dir = app.dir.display().to_string();
    let max_w = usize::from(area.width).saturating_sub(4).min(110);
    let text_w = max_w.saturating_sub(4).max(1);
    // The box's size comes from every problem (once per board and width); only the lines that
    // can be in sight are made: the box is never taller than `area`.
    let size = problems_size(text_w);
    let lines = problem_lines(app, theme, text_w, usize::from(area.height));
    let title = format!("Problems in {}", clip(&dir, max_w.saturating_sub(16)));
    let w = size.width.max(width(&title) + 4).min(max_w) + 4;
    let inner = boxed(theme, area, w, size.lines + 2, &title, buf);
    lines_into(theme, inner, &lines, buf);
}

fn slots(title: &str, lines: &[String], theme: &Theme, area: Rect, buf: &mut Buffer) {
    let max_w = usize::from(area.width).saturating_sub(6).max(1);
    let mut out: Vec<Line> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let style = if l.starts_with("More clients") {
            theme.dim
        } else if i == 0 {
            theme.bold
        } else {
            Style::new()
        };
        for part in wrap(l, max_w) {
            out.push(Line::styled(part, style));
        }
    }
    let content_w = out
        .iter()
        .map(Line::width)
        .chain([width(title) + 2])
        .max()
        .unwrap_or(0);
    let inner = boxed(
        theme,
        area,
        content_w.min(max_w) + 4,
        out.len() + 2,
        title,
        buf,
    );
    lines_into(theme, inner, &out, buf);
}

/// The weekly review's Markdown, headings bold, scrolled by the list keys; the last row says
/// what is above and below when it does not fit.
fn review(app: &App, title: &str, lines: &[String], theme: &Theme, area: Rect, buf: &mut Buffer) {
    let max_w = usize::from(area.width).saturating_sub(6).max(1);
    let mut all: Vec<Line> = Vec::new();
    for l in lines {
        let style = if l.starts_with('#') {
            theme.section
        } else {
            Style::new()
        };
        for part in wrap(l, max_w) {
            all.push(Line::styled(part, style));
        }
    }
    let max_h = usize::from(area.height).saturating_sub(2);
    let content_w = all
        .iter()
        .map(Line::width)
        .chain([width(title) + 2])
        .max()
        .unwrap_or(0);
    let shown: Vec<Line> = if all.len() <= max_h {
        all
    } else {
        let rows = max_h.max(2) - 1;
        let top = app.help_scroll.min(all.len() - rows);
        let below = all.len() - rows - top;
        let mut shown: Vec<Line> = all.into_iter().skip(top).take(rows).collect();
        let more = match (top, below) {
            (0, b) => format!("↓ {b} more: j or down"),
            (a, 0) => format!("↑ {a} above: k or up"),
            (a, b) => format!("↑ {a} above · ↓ {b} more: j/k"),
        };
        shown.push(Line::styled(clip(&more, max_w), theme.dim));
        shown
    };
    let inner = boxed(
        theme,
        area,
        content_w.min(max_w) + 4,
        shown.len() + 2,
        title,
        buf,
    );
    lines_into(theme, inner, &shown, buf);
}

fn alerts(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mine = app.board.my_zone;
    let mut lines: Vec<Line> = Vec::new();
    if app.alerts.is_empty() {
        lines.push(Line::styled("No alerts sent yet", theme.dim));
    }
    for a in app.alerts.iter().rev() {
        let at =
            a.at.with_timezone(&mine)
                .format("%a %-d %b %H:%M")
                .to_string();
        let (state, style) = if a.sent {
            ("sent    ", theme.ok)
        } else {
            ("not sent", theme.error)
        };
        lines.push(Line::from(vec![
            Span::styled(pad(&at, 16), theme.dim),
            Span::raw("  "),
            Span::styled(state, style),
            Span::raw("  "),
            Span::raw(a.summary.clone()),
        ]));
    }
    let content_w = lines.iter().map(Line::width).max().unwrap_or(0);
    let max_w = usize::from(area.width).saturating_sub(4).min(110);
    let w = content_w.max(30).min(max_w) + 4;
    let inner = boxed(theme, area, w, lines.len() + 2, "Alerts", buf);
    lines_into(theme, inner, &lines, buf);
}

fn snooze(app: &App, p: &SnoozePicker, theme: &Theme, area: Rect, buf: &mut Buffer) {
    // The picker is opened on the selected follow-up: look there before searching the list.
    let is_target = |f: &Rec<'_, Followup>| followup_has_key(f, &p.target);
    let what = app
        .selected_followup_record()
        .map(|(_, f)| f)
        .filter(is_target)
        .or_else(|| app.followup_with_key(&p.target))
        .map(|f| f.what.clone())
        .unwrap_or_default();
    let choices_w = p
        .choices
        .iter()
        .map(|(c, _)| width(c) + 4)
        .max()
        .unwrap_or(0);
    let max_w = usize::from(area.width).saturating_sub(4).min(70);
    let inner_w = choices_w.max(width(&what)).max(26).min(max_w);
    let mut lines = vec![Line::styled(clip(&what, inner_w), theme.dim), Line::raw("")];
    for (i, (c, _)) in p.choices.iter().enumerate() {
        let line = if i == p.selected {
            Line::from(pad(&format!(" › {c}"), inner_w)).style(theme.selected)
        } else {
            Line::raw(format!("   {c}"))
        };
        lines.push(line);
    }
    let inner = boxed(
        theme,
        area,
        inner_w + 4,
        lines.len() + 2,
        "Snooze until",
        buf,
    );
    lines_into(theme, inner, &lines, buf);
}

fn form(f: &Form, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let label_w = f.fields.iter().map(|x| width(x.label)).max().unwrap_or(0);
    let max_w = usize::from(area.width).saturating_sub(6).min(72);
    let inner_w = max_w.max(1);
    let value_w = inner_w.saturating_sub(label_w + 4);
    let mut lines: Vec<Line> = Vec::new();
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let marker = if focused { "› " } else { "  " };
        let label_style = if focused { theme.selected } else { theme.dim };
        let mut spans = vec![
            Span::styled(marker, theme.key),
            Span::styled(pad(field.label, label_w), label_style),
            Span::raw("  "),
        ];
        if field.choices.is_empty() || field.open {
            let shown = if focused {
                // Keep the end (where the cursor is) in sight.
                tail(&field.value, value_w.saturating_sub(1))
            } else {
                clip(&field.value, value_w)
            };
            spans.push(Span::styled(
                shown,
                if focused { theme.bold } else { Style::new() },
            ));
            if focused {
                spans.push(Span::styled("▏", theme.key));
            }
        } else {
            let s = if focused { theme.bold } else { Style::new() };
            spans.push(Span::styled(
                clip(&format!("< {} >", field.value), value_w),
                s,
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    if let Some(field) = f.fields.get(f.focus) {
        for part in wrap(&field.hint, inner_w) {
            lines.push(Line::styled(part, theme.dim));
        }
        if !field.complete_from.is_empty() {
            // While Tab goes through the matches, the list is of what was typed, the one in
            // the field in brackets.
            let typed = f
                .cycling
                .as_ref()
                .map_or(field.value.trim(), |(t, _)| t.as_str())
                .to_lowercase();
            let matches: Vec<String> = field
                .complete_from
                .iter()
                .filter(|c| c.to_lowercase().starts_with(&typed))
                .map(|c| {
                    if f.cycling.is_some() && *c == field.value {
                        format!("[{c}]")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            let text = if matches.is_empty() {
                "no client id starts with that".to_string()
            } else if matches.len() > 1 {
                format!(
                    "{} · Tab: the next one · ↓: next field",
                    matches.join(" · ")
                )
            } else {
                matches.join(" · ")
            };
            lines.push(Line::styled(clip(&text, inner_w), theme.dim));
        }
    }
    if let Some(p) = &f.preview {
        for part in wrap(p, inner_w) {
            lines.push(Line::styled(part, theme.bold));
        }
    }
    if let Some(e) = &f.error {
        for part in wrap(e, inner_w) {
            lines.push(Line::styled(part, theme.error));
        }
    }
    let inner = boxed(theme, area, inner_w + 4, lines.len() + 2, &f.title, buf);
    lines_into(theme, inner, &lines, buf);
}

/// The last `max` cells of `s`, starting with `…` when cut.
fn tail(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<char> = Vec::new();
    let mut w = 1;
    for c in chars.iter().rev() {
        let cw = width(c.encode_utf8(&mut [0u8; 4]));
        if w + cw > max {
            break;
        }
        out.push(*c);
        w += cw;
    }
    out.push('…');
    out.into_iter().rev().collect()
}

fn detail(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (kind, content) = match app.focus {
        Pane::Deadlines => (
            "Deadline",
            app.selected_deadline_record()
                .map(|(r, d)| deadlines::detail(app, theme, (&r, &d))),
        ),
        Pane::Followups => (
            "Follow-up",
            app.selected_followup_record()
                .map(|(r, f)| followups::detail(app, theme, (&r, &f))),
        ),
        _ => return,
    };
    let Some((title, pairs)) = content else {
        return;
    };
    let label_w = pairs.iter().map(|(k, _, _)| width(k)).max().unwrap_or(0);
    let max_w = usize::from(area.width).saturating_sub(6).min(96);
    let natural = pairs
        .iter()
        .map(|(_, v, _)| label_w + 2 + width(v))
        .chain([width(&title)])
        .max()
        .unwrap_or(0);
    let inner_w = natural.min(max_w).max(1);
    let value_w = inner_w.saturating_sub(label_w + 2).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for part in wrap(&title, inner_w) {
        lines.push(Line::styled(part, theme.bold));
    }
    lines.push(Line::raw(""));
    for (k, v, style) in &pairs {
        for (i, part) in wrap(v, value_w).into_iter().enumerate() {
            let label = if i == 0 {
                pad(k, label_w)
            } else {
                pad("", label_w)
            };
            lines.push(Line::from(vec![
                Span::styled(label, theme.dim),
                Span::raw("  "),
                Span::styled(part, *style),
            ]));
        }
    }
    let inner = boxed(theme, area, inner_w + 4, lines.len() + 2, kind, buf);
    lines_into(theme, inner, &lines, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centring_clamps() {
        let a = Rect::new(0, 0, 10, 5);
        assert_eq!(centred(a, 4, 3), Rect::new(3, 1, 4, 3));
        assert_eq!(centred(a, 40, 30), a);
        assert_eq!(tail("abcdef", 4), "…def");
    }
}
