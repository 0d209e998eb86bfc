//! The week view (`w`): seven of your days as rows, your wall-clock hours as columns, and on
//! each day a row for you and one per client, with the deadlines placed at the hour they fall.
//! It takes the whole window but the footer. What it shows is `domain::week`'s grid; this
//! module only draws it (docs/decisions.md, "The week view", says what gives way first).
//!
//! Every mark is a distinct character, so the view reads without colour (`NO_COLOR`).

use super::chrome::{key_for, loading, note};
use super::clocks::{BOTH, MINE, NEITHER, THEIRS, offset_words, ticks};
use super::deadlines::risk_style;
use super::text::{clip, hm, margins, pad, put, width};
use super::theme::Theme;
use crate::app::action::{Action, Pane};
use crate::app::state::App;
use crate::domain::clocks::zone_city;
use crate::domain::holidays::DayOff;
use crate::domain::model::{Client, Status, UnknownZone};
use crate::domain::risk::Risk;
use crate::domain::schedule::Schedule;
use crate::domain::week::{Cell, DAYS, Day, Week, week};
use chrono::{DateTime, Duration, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};
use std::collections::HashSet;

/// Hours a holiday takes away.
pub const HOLIDAY: char = '×';
/// A deadline falls in this cell.
pub const DUE: char = '◆';
/// The hour the clocks skip when they go forward: it has no time.
pub const SKIPPED: char = ' ';

/// The notes column is at least this wide before the strip gets half hours.
const WIDE_NOTES: usize = 50;
/// The label column: at least, at most.
const LABEL_MIN: usize = 8;
const LABEL_MAX: usize = 24;

/// How the view is laid out for a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub label_w: usize,
    pub per_hour: u32,
    pub notes_w: usize,
    /// The legend on the ruler's row (else on a row of its own at the bottom).
    pub legend_beside_ruler: bool,
    /// How many days (from the first) get a row per client; the rest fold to one row each.
    pub detailed: usize,
}

impl Layout {
    fn strip_w(&self) -> usize {
        24 * self.per_hour as usize
    }
}

/// The layout of the view in `w`×`h` for `clients` clients: labels, then half hours when the
/// notes keep [`WIDE_NOTES`] cells, then as many days in detail as fit, the later days folding
/// first.
pub fn layout(w: usize, h: usize, clients: usize, longest_name: usize) -> Layout {
    let wanted = (2 + longest_name).clamp(10, LABEL_MAX);
    let label_w = wanted.min((w.saturating_sub(26) / 3).max(LABEL_MIN));
    let per_hour = if label_w + 2 + 48 + WIDE_NOTES <= w {
        2
    } else {
        1
    };
    let notes_w = w.saturating_sub(label_w + 2 + 24 * per_hour as usize);
    let legend_beside_ruler = width(&legend_text(true)) <= notes_w;
    let chrome = 2 + usize::from(!legend_beside_ruler);
    let rows = h.saturating_sub(chrome);
    let detailed = (0..=DAYS)
        .rev()
        .find(|k| k * (1 + clients) + (DAYS - k) <= rows)
        .unwrap_or(0);
    Layout {
        label_w,
        per_hour,
        notes_w,
        legend_beside_ruler,
        detailed,
    }
}

/// The legend as plain text (`long`: the wider wording).
fn legend_text(long: bool) -> String {
    legend(&Theme::plain(), long)
        .iter()
        .map(|s| s.content.as_ref())
        .collect()
}

fn legend(t: &Theme, long: bool) -> Vec<Span<'static>> {
    let words = if long {
        [
            "you work",
            "they are open",
            "both",
            "clients you can reach",
            "holiday",
            "deadline",
        ]
    } else {
        ["you", "open", "both", "reachable", "holiday", "due"]
    };
    let marks = [
        (MINE, t.strip_mine),
        (THEIRS, t.strip_theirs),
        (BOTH, t.strip_both),
        ('2', t.strip_both),
        (HOLIDAY, t.holiday),
        (DUE, t.at_risk),
    ];
    let mut v = Vec::new();
    for (i, ((mark, style), word)) in marks.into_iter().zip(words).enumerate() {
        if i > 0 {
            v.push(Span::raw("  "));
        }
        v.push(Span::styled(mark.to_string(), style));
        v.push(Span::styled(format!(" {word}"), t.dim));
    }
    v
}

/// A deadline placed on the grid.
struct Placed {
    day: usize,
    cell: usize,
    /// Index of its client among those with a row (None: no client, or one without a row).
    client: Option<usize>,
    due: DateTime<Utc>,
    title: String,
    risk: Risk,
    /// The latest instant the work can start and still fit into your hours (None: it does not).
    latest_start: Option<DateTime<Utc>>,
    /// Its client's zone is unknown (its due was read in your zone).
    unknown_zone: bool,
}

pub struct WeekView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl WeekView<'_> {
    /// The clients with a row: those the filter finds (the heat pane's), all without one.
    fn shown(&self) -> Vec<&Client> {
        let clients = &self.app.loaded.model.config.clients;
        if self.app.filter.text.is_empty() {
            return clients.iter().collect();
        }
        let found: HashSet<&str> = self
            .app
            .board
            .heat
            .iter()
            .map(|h| h.client.id.as_str())
            .collect();
        clients
            .iter()
            .filter(|c| found.contains(c.id.as_str()))
            .collect()
    }

    fn placed(&self, week: &Week, clients: &[&Client]) -> Vec<Placed> {
        let config = &self.app.loaded.model.config;
        let mut v: Vec<Placed> = self
            .app
            .board
            .deadlines
            .iter()
            .filter_map(|r| Some((r, self.app.deadline(r.record)?)))
            .filter(|(_, d)| d.status == Status::Open)
            .filter_map(|(r, d)| {
                let (day, cell) = week.cell_of(d.due)?;
                let client = d
                    .client
                    .as_deref()
                    .and_then(|id| clients.iter().position(|c| c.id == id));
                Some(Placed {
                    day,
                    cell,
                    client,
                    due: d.due,
                    title: d.title.to_string(),
                    risk: r.risk,
                    latest_start: r.latest_start,
                    unknown_zone: d
                        .client
                        .as_deref()
                        .and_then(|id| config.client(id))
                        .is_some_and(|c| c.unknown_zone.is_some()),
                })
            })
            .collect();
        v.sort_by_key(|p| p.due);
        v
    }

    /// The title, in the longest of its forms that fits `w`: what is dropped first is the
    /// zone (the ruler names it too), then the key that closes the view.
    fn title(&self, week: &Week, w: usize) -> Vec<Span<'static>> {
        let t = self.theme;
        let first = week
            .days
            .first()
            .map(|d| d.date.format("%a %-d %b").to_string())
            .unwrap_or_default();
        let mut head = vec![Span::styled(format!(" Week from {first}"), t.title_focus)];
        if self.app.view_offset != Duration::zero() {
            let back = key_for(self.app, Action::BackToNow);
            head.push(Span::styled(
                format!(
                    " · clocks scrubbed {} ({back} for now)",
                    offset_words(self.app.view_offset)
                ),
                t.warn,
            ));
        }
        if let Some(what) = loading(self.app, Pane::Deadlines) {
            head.push(Span::styled(format!(" · {what}"), t.warn));
        }
        if !self.app.filter.text.is_empty() {
            head.push(Span::styled(
                format!(" · filter: {}", self.app.filter.text),
                t.warn,
            ));
        }
        let zone = week
            .days
            .first()
            .map(|d| Span::styled(format!(" · your hours in {}", zone_city(d.zone)), t.dim));
        let keys: Vec<String> = [Action::Week, Action::Back]
            .into_iter()
            .map(|a| key_for(self.app, a))
            .filter(|k| !k.is_empty())
            .collect();
        let close = (!keys.is_empty())
            .then(|| Span::styled(format!(" · {} closes", keys.join(" or ")), t.dim));
        let forms = [[zone.clone(), close.clone()], [None, close], [None, None]];
        let mut last = head.clone();
        for extra in forms {
            let mut v = head.clone();
            v.extend(extra.into_iter().flatten());
            if spans_width(&v) <= w {
                return v;
            }
            last = v;
        }
        last
    }

    fn day_label(&self, day: &Day, w: usize) -> String {
        let f = if w >= 10 { "%a %-d %b" } else { "%a %-d" };
        day.date.format(f).to_string()
    }

    /// One row: label, strip, notes, each clipped to its column.
    fn row(
        &self,
        l: &Layout,
        label: Span<'static>,
        strip: Vec<Span<'static>>,
        notes: Vec<Span<'static>>,
    ) -> Line<'static> {
        let mut v = vec![Span::styled(
            pad(label.content.as_ref(), l.label_w),
            label.style,
        )];
        v.push(Span::raw(" "));
        v.extend(strip);
        v.push(Span::raw(" "));
        let mut left = l.notes_w;
        for s in notes {
            if left == 0 {
                break;
            }
            let c = clip(s.content.as_ref(), left);
            left = left.saturating_sub(width(&c));
            v.push(Span::styled(c, s.style));
        }
        Line::from(v)
    }

    fn cell_span(&self, ch: char, style: Style, past: bool) -> Span<'static> {
        let style = if past { self.theme.dim } else { style };
        Span::styled(ch.to_string(), style)
    }

    /// A lane's strip: a deadline, else both, they are open, a holiday, you work, nothing.
    fn lane_strip(&self, day: &Day, cells: &[Cell], dues: &[&Placed]) -> Vec<Span<'static>> {
        let t = self.theme;
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if day.cell_span(i).is_some_and(|s| s.is_empty()) {
                    return Span::raw(SKIPPED.to_string());
                }
                if let Some(p) = dues.iter().find(|p| p.cell == i) {
                    return Span::styled(DUE.to_string(), risk_style(t, p.risk));
                }
                let (ch, style) = if c.both {
                    (BOTH, t.strip_both)
                } else if c.theirs {
                    (THEIRS, t.strip_theirs)
                } else if c.holiday {
                    (HOLIDAY, t.holiday)
                } else if c.mine {
                    (MINE, t.strip_mine)
                } else {
                    (NEITHER, t.dim)
                };
                self.cell_span(ch, style, c.past)
            })
            .collect()
    }

    /// A folded day: per cell, how many clients you can reach in your hours.
    fn folded_strip(&self, day: &Day, dues: &[&Placed]) -> Vec<Span<'static>> {
        let t = self.theme;
        day.me
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if day.cell_span(i).is_some_and(|s| s.is_empty()) {
                    return Span::raw(SKIPPED.to_string());
                }
                if let Some(p) = dues.iter().find(|p| p.cell == i) {
                    return Span::styled(DUE.to_string(), risk_style(t, p.risk));
                }
                let reach = day.reachable.get(i).copied().unwrap_or(0);
                let open = day.open.get(i).copied().unwrap_or(0);
                let (ch, style) = if c.mine && reach > 0 {
                    let d = u32::try_from(reach).ok().filter(|n| *n <= 9);
                    (
                        d.and_then(|n| char::from_digit(n, 10)).unwrap_or('+'),
                        t.strip_both,
                    )
                } else if c.holiday {
                    (HOLIDAY, t.holiday)
                } else if c.mine {
                    (MINE, t.strip_mine)
                } else if open > 0 {
                    (THEIRS, t.strip_theirs)
                } else {
                    (NEITHER, t.dim)
                };
                self.cell_span(ch, style, c.past)
            })
            .collect()
    }

    fn due_notes(
        &self,
        day: &Day,
        dues: &[&Placed],
        clients: Option<&[&Client]>,
    ) -> Vec<Span<'static>> {
        dues.iter()
            .flat_map(|p| {
                let who = p
                    .client
                    .and_then(|i| clients?.get(i))
                    .map(|c| format!("{}: ", short_name(&c.name)))
                    .unwrap_or_default();
                [
                    Span::styled(
                        format!("{DUE} {} ", hm(p.due, day.zone)),
                        risk_style(self.theme, p.risk),
                    ),
                    Span::raw(if p.unknown_zone {
                        format!("{who}{} {}", UnknownZone::MARK, p.title)
                    } else {
                        format!("{who}{}", p.title)
                    }),
                    self.start_note(p, day),
                    Span::raw("  "),
                ]
            })
            .collect()
    }

    /// When the work must start to fit into your hours: `, start by Thu 14:00`, or that it
    /// is too late (in the risk's style); nothing once it is overdue.
    fn start_note(&self, p: &Placed, day: &Day) -> Span<'static> {
        let t = self.theme;
        match p.latest_start {
            _ if p.risk == Risk::Overdue => Span::raw(""),
            Some(s) if s > self.app.now => Span::styled(
                format!(
                    ", start by {}",
                    s.with_timezone(&day.zone).format("%a %H:%M")
                ),
                t.dim,
            ),
            Some(_) => Span::styled(", start now", risk_style(t, p.risk)),
            None => Span::styled(", does not fit your hours", risk_style(t, p.risk)),
        }
    }

    /// `× holiday: Culture Day`, `× Kanda closed (3 Jan there)`: the day's holidays
    /// in `hours`' calendar, named where tether knows the name (public holidays and closures).
    fn holiday_note(
        &self,
        day: &Day,
        dates: &[chrono::NaiveDate],
        who: &str,
        hours: &Schedule,
    ) -> Vec<Span<'static>> {
        let Some(first) = dates.first() else {
            return Vec::new();
        };
        let what = match hours.day_off(*first) {
            Some(DayOff::Public(n)) => format!("holiday: {n}"),
            Some(DayOff::Closure) => "closed".to_string(),
            _ => "holiday".to_string(),
        };
        // Their calendar can be a day off yours: then every date is named, as it is there.
        let when = if dates.iter().all(|d| *d == day.date) {
            String::new()
        } else {
            let there: Vec<String> = dates
                .iter()
                .map(|d| d.format("%-d %b").to_string())
                .collect();
            format!(" ({} there)", there.join(", "))
        };
        vec![Span::styled(
            format!("{HOLIDAY} {who}{what}{when}  "),
            self.theme.holiday,
        )]
    }

    /// Where you are that day, when it is not your home zone (a trip).
    fn away_note(&self, day: &Day) -> Vec<Span<'static>> {
        let home = self.app.loaded.model.config.me.zone;
        if day.zone == home {
            return Vec::new();
        }
        vec![Span::styled(
            format!("in {}  ", zone_city(day.zone)),
            self.theme.warn,
        )]
    }

    fn lines(
        &self,
        l: &Layout,
        week: &Week,
        placed: &[Placed],
        clients: &[&Client],
    ) -> Vec<Line<'static>> {
        let t = self.theme;
        let mut out = Vec::new();
        let ruler_label = week
            .days
            .first()
            .map(|d| zone_city(d.zone))
            .unwrap_or_default();
        let ruler = vec![Span::styled(ticks(l.strip_w()), t.heading)];
        let legend_here = if l.legend_beside_ruler {
            legend(t, true)
        } else {
            Vec::new()
        };
        out.push(self.row(l, Span::styled(ruler_label, t.dim), ruler, legend_here));
        let my_hours = Schedule::of_me(&self.app.loaded.model.config.me);
        for (di, day) in week.days.iter().enumerate() {
            let dues: Vec<&Placed> = placed.iter().filter(|p| p.day == di).collect();
            let mut label = self.day_label(day, l.label_w);
            if di < l.detailed && width(&label) + 6 <= l.label_w {
                label.push_str(" · you");
            }
            let label = Span::styled(label, t.bold);
            if di < l.detailed {
                let mine: Vec<&Placed> = dues
                    .iter()
                    .copied()
                    .filter(|p| p.client.is_none())
                    .collect();
                let mut notes = self.away_note(day);
                notes.extend(self.holiday_note(day, &day.me.holidays, "your ", &my_hours));
                notes.extend(self.due_notes(day, &mine, None));
                out.push(self.row(l, label, self.lane_strip(day, &day.me.cells, &mine), notes));
                for (ci, (c, lane)) in clients.iter().zip(&day.clients).enumerate() {
                    let theirs: Vec<&Placed> = dues
                        .iter()
                        .copied()
                        .filter(|p| p.client == Some(ci))
                        .collect();
                    let mut notes = Vec::new();
                    // Its hours are read in your zone: said on its first row, marked on all.
                    let mark = c.unknown_zone.as_ref().map(|u| {
                        if di == 0 {
                            notes.push(Span::styled(
                                format!("zone {:?} unknown: shown in your zone  ", u.shown()),
                                t.warn,
                            ));
                        }
                        format!("{} ", UnknownZone::MARK)
                    });
                    notes.extend(self.holiday_note(
                        day,
                        &lane.holidays,
                        "",
                        &Schedule::of_client(c),
                    ));
                    notes.extend(self.due_notes(day, &theirs, None));
                    let label = format!("  {}{}", mark.unwrap_or_default(), c.name);
                    let name = Span::styled(label, t.title);
                    out.push(self.row(l, name, self.lane_strip(day, &lane.cells, &theirs), notes));
                }
            } else {
                let mut notes = self.away_note(day);
                notes.extend(self.due_notes(day, &dues, Some(clients)));
                notes.extend(self.holiday_note(day, &day.me.holidays, "your ", &my_hours));
                for (c, lane) in clients.iter().zip(&day.clients) {
                    let who = format!("{} ", short_name(&c.name));
                    notes.extend(self.holiday_note(
                        day,
                        &lane.holidays,
                        &who,
                        &Schedule::of_client(c),
                    ));
                }
                out.push(self.row(l, label, self.folded_strip(day, &dues), notes));
            }
        }
        out
    }
}

fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(Span::width).sum()
}

/// A client's name as a note says it: its first word (`Kanda` for Kanda Trading KK).
fn short_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

impl Widget for WeekView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        if area.is_empty() {
            return;
        }
        // Until tether.toml is in, there are no hours to show; until the deadlines are, the
        // title says the week has none of them yet.
        if let Some(what) = loading(self.app, Pane::Clocks) {
            let title = Line::styled(" Week", self.theme.title_focus);
            put(buf, area, 0, &title);
            let rest = Rect {
                y: area.y.saturating_add(2),
                height: area.height.saturating_sub(2),
                ..area
            };
            note(&what, self.theme, margins(rest), buf);
            return;
        }
        let clients = self.shown();
        let longest = clients.iter().map(|c| width(&c.name)).max().unwrap_or(0);
        let (w, h) = (usize::from(area.width), usize::from(area.height));
        let l = layout(w, h, clients.len(), longest);
        let me = &self.app.loaded.model.config.me;
        let week = week(me, &clients, self.app.view_now(), self.app.now, l.per_hour);
        let placed = self.placed(&week, &clients);
        put(buf, area, 0, &Line::from(self.title(&week, w)));
        let body = Rect {
            y: area.y.saturating_add(1),
            height: area.height.saturating_sub(1),
            ..area
        };
        let lines = self.lines(&l, &week, &placed, &clients);
        for (y, line) in lines.iter().enumerate() {
            put(buf, body, u16::try_from(y).unwrap_or(u16::MAX), line);
        }
        if !l.legend_beside_ruler {
            let legend = Line::from(legend(self.theme, false));
            put(buf, area, area.height.saturating_sub(1), &legend);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At every size the columns add up to the width, and the days in detail leave room for
    /// the rest folded and the view's own rows (title, ruler, legend).
    #[test]
    fn the_layout_fits_every_size() {
        for w in 40..=250 {
            for h in 10..=60 {
                for clients in [0, 1, 5, 12, 40] {
                    let l = layout(w, h, clients, 26);
                    assert_eq!(l.label_w + 2 + l.strip_w() + l.notes_w, w, "{w}×{h}");
                    assert!(l.label_w >= LABEL_MIN, "{w}×{h}");
                    let chrome = 2 + usize::from(!l.legend_beside_ruler);
                    let rows = l.detailed * (1 + clients) + (DAYS - l.detailed);
                    assert!(l.detailed == 0 || rows + chrome <= h, "{w}×{h}, {clients}");
                    if l.detailed < DAYS {
                        let more = (l.detailed + 1) * (1 + clients) + (DAYS - l.detailed - 1);
                        assert!(more + chrome > h, "{w}×{h}, {clients}: a day more fits");
                    }
                }
            }
        }
        // The example's five clients: all seven days in detail at 160×45, two at 80×24, one at
        // 60×20 (the heights less the footer).
        let name = "Brandt Maschinenbau GmbH".len();
        assert_eq!(layout(160, 44, 5, name).detailed, 7);
        assert_eq!(layout(160, 44, 5, name).per_hour, 2);
        assert_eq!(layout(80, 23, 5, name).detailed, 2);
        assert_eq!(layout(60, 19, 5, name).detailed, 1);
    }
}
