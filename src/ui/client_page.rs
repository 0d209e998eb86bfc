//! A client's page (Enter on a client's clock or heat row), over the whole body: the facts
//! (status, hours, overlap, holidays, clock change, champion, cadence, heat), the heat of the
//! last 12 weeks as a chart, the last contacts with who and note, the open deadlines and
//! follow-ups. Two columns when the window is wide, one otherwise; the list keys scroll it.
//! What it shows is `domain::client_page`'s, worked out in `App`; this only words and places it.

use super::deadlines::risk_style;
use super::heat::gauge;
use super::text::{abbrev, both, clip, full, hm, put, width, wrap};
use super::theme::Theme;
use crate::app::state::ClientView;
use crate::domain::client_page::{ClientPage, ClockChange};
use crate::domain::clocks::BusinessStatus;
use crate::domain::gifts::{self, GiftState};
use crate::domain::heat::SPARK_STEP_DAYS;
use crate::domain::holidays::DayOff;
use crate::domain::model::{Client, FollowupDue};
use crate::domain::people::{Person, Tie, ago};
use crate::domain::schedule::{Schedule, add_days};
use crate::domain::time::{format_duration, format_gap, local_date, offset_secs, zone_city};
use crate::store::notes::Note;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// From this many columns of text the page has two columns.
const TWO_COLUMNS: usize = 110;
const GAP: usize = 3;
const LABEL_W: usize = 9;
/// How many lines of a contact's note are shown.
const NOTE_LINES: usize = 3;
/// The chart's height in rows (eighths of a cell each).
const CHART_ROWS: usize = 4;

pub fn draw(v: &ClientView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let c = &v.page.client;
    let title = format!("{} · {}", c.name, c.id);
    let inner = super::overlay::boxed(theme, area, usize::MAX, usize::MAX, &title, buf);
    let w = usize::from(inner.width);
    let lines = if w >= TWO_COLUMNS {
        let left_w = (w - GAP) / 2;
        let right_w = w - GAP - left_w;
        let mut left = facts(&v.page, theme, left_w);
        left.push(Line::raw(""));
        left.extend(chart(&v.page, theme, left_w));
        let right = lists(v, theme, right_w);
        side_by_side(left, right, left_w)
    } else {
        let mut all = facts(&v.page, theme, w);
        all.push(Line::raw(""));
        all.extend(lists(v, theme, w));
        all.push(Line::raw(""));
        all.extend(chart(&v.page, theme, w));
        all
    };
    scrolled(theme, inner, &lines, v.scroll, buf);
}

/// Two columns of lines as one: the left padded to `left_w`, then the gap, then the right.
fn side_by_side(
    left: Vec<Line<'static>>,
    right: Vec<Line<'static>>,
    left_w: usize,
) -> Vec<Line<'static>> {
    let n = left.len().max(right.len());
    let (mut left, mut right) = (left.into_iter(), right.into_iter());
    (0..n)
        .map(|_| {
            let l = left.next().unwrap_or_default();
            let pad = left_w.saturating_sub(l.width()) + GAP;
            let mut spans = l.spans;
            spans.push(Span::raw(" ".repeat(pad)));
            spans.extend(right.next().unwrap_or_default().spans);
            Line::from(spans)
        })
        .collect()
}

/// The lines from `scroll` on (kept in range); when they do not all fit, the last row says how
/// many are above and below.
fn scrolled(theme: &Theme, inner: Rect, lines: &[Line], scroll: usize, buf: &mut Buffer) {
    let h = usize::from(inner.height);
    if lines.len() <= h {
        for (y, l) in lines.iter().enumerate() {
            put(buf, inner, u16::try_from(y).unwrap_or(u16::MAX), l);
        }
        return;
    }
    let rows = h.saturating_sub(1);
    let top = scroll.min(lines.len() - rows);
    let below = lines.len() - rows - top;
    for (y, l) in lines.iter().skip(top).take(rows).enumerate() {
        put(buf, inner, u16::try_from(y).unwrap_or(u16::MAX), l);
    }
    let more = match (top, below) {
        (0, b) => format!("↓ {b} more: j or down"),
        (a, 0) => format!("↑ {a} above: k or up"),
        (a, b) => format!("↑ {a} above · ↓ {b} more: j/k"),
    };
    let row = u16::try_from(rows).unwrap_or(u16::MAX);
    put(
        buf,
        inner,
        row,
        &Line::styled(clip(&more, usize::from(inner.width)), theme.dim),
    );
}

/// A labelled value, wrapped under its value column.
fn labelled(
    out: &mut Vec<Line<'static>>,
    theme: &Theme,
    w: usize,
    label: &str,
    value: &str,
    style: Style,
) {
    let value_w = w.saturating_sub(LABEL_W + 1).max(1);
    for (i, part) in wrap(value, value_w).into_iter().enumerate() {
        let label = if i == 0 { label } else { "" };
        out.push(Line::from(vec![
            Span::styled(format!("{label:<LABEL_W$} "), theme.dim),
            Span::styled(part, style),
        ]));
    }
}

/// "Ito Ken, PM · last 12d ago · 16:05 in Asia/Singapore · ito@kanda.example".
fn person_line(
    person: &Person,
    last: Option<DateTime<Utc>>,
    client_zone: Tz,
    view: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let mut line = person.label();
    line.push_str(&match last {
        Some(t) => format!(" · last {}", ago(t, now)),
        None => " · no contact logged".to_string(),
    });
    if let Some(z) = person.zone.filter(|z| *z != client_zone) {
        line.push_str(&format!(" · {} in {}", hm(view, z), z.name()));
    }
    if let Some(e) = &person.email {
        line.push_str(&format!(" · {e}"));
    }
    line
}

fn facts(p: &ClientPage, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let c = &p.client;
    let (mine, now) = (p.my_zone, p.now);
    let mut out = Vec::new();
    let mut kv = |label: &str, value: String, style: Style| {
        labelled(&mut out, theme, w, label, &value, style);
    };
    let city = if c.city.trim().is_empty() {
        zone_city(c.zone)
    } else {
        c.city.trim().to_string()
    };
    match &c.unknown_zone {
        Some(u) => kv(
            "zone",
            format!("{city} · [zone?] {}", u.describe(c.zone)),
            theme.warn,
        ),
        None => kv(
            "zone",
            format!(
                "{city} · {} · {} from you",
                c.zone.name(),
                format_gap(gap(c.zone, mine, p.view))
            ),
            Style::new(),
        ),
    }
    let status_style = match p.status {
        BusinessStatus::Open { .. } => theme.open,
        BusinessStatus::Holiday { .. } => theme.holiday,
        _ => theme.closed,
    };
    let at = if p.view == now { "now" } else { "at" };
    kv(
        at,
        format!(
            "{} · {}",
            full(p.view, c.zone, now),
            p.status.describe_in(c.zone)
        ),
        status_style,
    );
    kv("hours", hours(p, c, mine), Style::new());
    let overlap = if p.overlap.is_empty() {
        "none on your day".to_string()
    } else {
        let total = p
            .overlap
            .iter()
            .map(|o| o.end - o.start)
            .fold(Duration::zero(), |a, b| a + b);
        let spans: Vec<String> = p
            .overlap
            .iter()
            .map(|o| format!("{}–{}", hm(o.start, mine), hm(o.end, mine)))
            .collect();
        format!(
            "{} {} yours ({})",
            spans.join(", "),
            abbrev(p.view, mine),
            format_duration(total)
        )
    };
    kv("overlap", overlap, Style::new());
    let holidays = if p.holidays.is_empty() {
        "none listed ahead".to_string()
    } else {
        let year = p.view.with_timezone(&c.zone).year();
        p.holidays
            .iter()
            .map(|(first, last, why)| holiday(c, *first, *last, *why, year))
            .collect::<Vec<_>>()
            .join(", ")
    };
    kv("holidays", holidays, theme.holiday);
    kv("clocks", clock_change(p), Style::new());
    if p.people.is_empty() {
        kv(
            "champion",
            "— (add [[clients.people]] with champion = true)".into(),
            theme.dim,
        );
    }
    for (person, last) in &p.people {
        let label = match person.tie {
            Tie::Other => "people",
            tie => tie.label(),
        };
        let style = if person.tie == Tie::Champion {
            theme.bold
        } else {
            Style::new()
        };
        kv(
            label,
            person_line(person, *last, c.zone, p.view, now),
            style,
        );
    }
    for flag in &p.tie_flags {
        kv("ties", flag.advice(c), theme.warn);
    }
    let h = &p.heat;
    let (text, style) = cadence(
        theme,
        now,
        mine,
        c.contact_every,
        h.last_contact,
        h.contact_overdue,
        "contact",
    );
    kv("contact", text, style);
    let (text, style) = cadence(
        theme,
        now,
        mine,
        c.visit_every,
        h.last_visit,
        h.visit_overdue,
        "visit",
    );
    kv("visit", text, style);
    if !p.logged.is_empty() {
        // All the time logged on them and their deadlines (timelog.jsonl), a running timer up
        // to now.
        let mut s = format!(
            "{} logged",
            crate::domain::time::format_working(p.logged.at(p.now))
        );
        if p.logged.running.is_some() {
            s.push_str(" (⏱ running)");
        }
        kv("time", s, Style::new());
    }
    if let Some(b) = &p.retainer {
        // Hours used of this period against an even spread over their working days.
        let style = match b.pace {
            crate::domain::retainer::Pace::Ahead if b.begun => theme.warn,
            _ => Style::new(),
        };
        kv("retainer", b.line(), style);
    }
    // The coming milestones (their calendar), soonest first.
    let their_today = crate::domain::time::local_date(c.zone, p.now);
    for m in crate::domain::milestone::upcoming(&c.milestones, their_today) {
        kv(
            "milestone",
            crate::domain::milestone::describe(m, their_today),
            Style::new(),
        );
    }
    if let Some(b) = &c.billing {
        kv("billing", crate::domain::billing::describe(b), Style::new());
    }
    kv(
        "heat",
        format!(
            "{}  {} {} (30 days ago {:.0})",
            gauge(h.heat, 10),
            h.trend.symbol(),
            h.trend.label(),
            h.heat_30d_ago
        ),
        theme.heat_style(h.heat),
    );
    out
}

fn gap(theirs: Tz, mine: Tz, at: DateTime<Utc>) -> i32 {
    offset_secs(theirs, at) - offset_secs(mine, at)
}

/// `Tue 29 Dec`, with the year when it is not `year`.
fn day(d: NaiveDate, year: i32) -> String {
    if d.year() == year {
        d.format("%a %-d %b").to_string()
    } else {
        d.format("%a %-d %b %Y").to_string()
    }
}

/// `Tue 3 Nov Culture Day (文化の日)`, `Tue 29 Dec–Sun 3 Jan 2027 closure`, or the dates alone
/// for dates typed in `holidays`. The names are the built-in data's; none comes from the
/// user's files.
fn holiday(c: &Client, first: NaiveDate, last: NaiveDate, why: DayOff, year: i32) -> String {
    let date = if first == last {
        day(first, year)
    } else {
        format!("{}–{}", day(first, year), day(last, year))
    };
    match why {
        DayOff::Holiday => date,
        DayOff::Closure => format!("{date} closure"),
        DayOff::Public(name) => {
            match c
                .days_off
                .public
                .and_then(|p| p.on(first))
                .and_then(|h| h.local)
            {
                Some(local) => format!("{date} {name} ({local})"),
                None => format!("{date} {name}"),
            }
        }
    }
}

/// `09:00-18:00 JST Mon–Fri · today 10:00–19:00 AEST yours`.
fn hours(p: &ClientPage, c: &Client, mine: Tz) -> String {
    let mut s = format!("{} {} {}", c.hours, abbrev(p.view, c.zone), days(c));
    match (p.works_today, p.hours_today) {
        (true, Some(shift)) if c.zone != mine => {
            // `+1` when their day ends on your next date (Stuttgart's afternoon is your night).
            let days = (shift.end.with_timezone(&mine).date_naive()
                - shift.start.with_timezone(&mine).date_naive())
            .num_days();
            let next = if days > 0 {
                format!("+{days}")
            } else {
                String::new()
            };
            s.push_str(&format!(
                " · today {}–{}{next} {} yours",
                hm(shift.start, mine),
                hm(shift.end, mine),
                abbrev(shift.start, mine)
            ));
        }
        (true, _) => {}
        (false, _) => {
            let today = p.view.with_timezone(&c.zone).date_naive();
            s.push_str(if Schedule::of_client(c).is_holiday(today) {
                " · today is a holiday there"
            } else {
                " · not a working day there today"
            });
        }
    }
    s
}

/// `Mon–Fri`, `Mon–Sat`, `Mon, Wed, Fri`.
fn days(c: &Client) -> String {
    const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let on: Vec<usize> = (0..7).filter(|i| c.days.contains(ALL[*i])).collect();
    let name = |i: usize| ALL[i].to_string();
    match on.as_slice() {
        [] => "no days".into(),
        [first, .., last] if on.len() >= 3 && last - first + 1 == on.len() => {
            format!("{}–{}", name(*first), name(*last))
        }
        _ => on.iter().map(|i| name(*i)).collect::<Vec<_>>().join(", "),
    }
}

fn clock_change(p: &ClientPage) -> String {
    let date =
        |at: DateTime<Utc>, zone: Tz| at.with_timezone(&zone).format("%a %-d %b %Y").to_string();
    match p.clock_change {
        ClockChange::Gap(n) => {
            let overlap = match p.overlap_change {
                Some((before, after)) if before != after => format!(
                    "; your hours then meet theirs {} a day (now {})",
                    format_duration(after),
                    format_duration(before)
                ),
                _ => String::new(),
            };
            format!(
                "{}: {} clocks change; the gap to you becomes {} (now {}){overlap}",
                date(n.at, n.whose),
                zone_city(n.whose),
                format_gap(n.gap_after),
                format_gap(n.gap_before)
            )
        }
        ClockChange::Theirs(at) => format!(
            "{}: their clocks change with yours; the gap stays",
            date(at, p.client.zone)
        ),
        ClockChange::None => "no clock change within a year".into(),
    }
}

/// `every 7d · last 5d ago, Fri 20 Nov · due in 2d`.
fn cadence(
    theme: &Theme,
    now: DateTime<Utc>,
    mine: Tz,
    every: Option<Duration>,
    last: Option<DateTime<Utc>>,
    overdue: bool,
    what: &str,
) -> (String, Style) {
    let last_text = last.map(|l| {
        format!(
            "last {} ago, {}",
            format_duration((now - l).max(Duration::zero())),
            l.with_timezone(&mine).format("%a %-d %b")
        )
    });
    let style = if overdue { theme.error } else { Style::new() };
    let text = match (every, last_text) {
        (None, None) => format!("no {what} logged · no cadence set"),
        (None, Some(l)) => format!("{l} · no cadence set"),
        (Some(e), None) => format!("every {} · none logged yet", format_duration(e)),
        (Some(e), Some(l)) => {
            let due = last.and_then(|t| t.checked_add_signed(e)).unwrap_or(now) - now;
            let when = if due < Duration::zero() {
                format!("overdue by {}", format_duration(-due))
            } else {
                format!("due in {}", format_duration(due))
            };
            format!("every {} · {l} · {when}", format_duration(e))
        }
    };
    (text, style)
}

const EIGHTHS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The 12 weekly heat points as bars, [`CHART_ROWS`] high on the 0–100 scale, each point's
/// number under it and the first and last weeks' dates under those.
fn chart(p: &ClientPage, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let points = &p.heat.sparkline;
    let mut out = vec![Line::styled(
        clip("Heat, the last 12 weeks", w),
        theme.section,
    )];
    let bar = if w >= points.len() * 4 { 3 } else { 1 };
    let cell = bar + 1;
    for row in 0..CHART_ROWS {
        let floor = (CHART_ROWS - 1 - row) * 8;
        let spans: Vec<Span> = points
            .iter()
            .map(|v| {
                let v = if v.is_finite() {
                    v.clamp(0.0, 100.0)
                } else {
                    0.0
                };
                let eighths = (v / 100.0 * (CHART_ROWS * 8) as f64).round() as usize;
                let fill = eighths.saturating_sub(floor).min(8);
                let c = if fill == 0 { ' ' } else { EIGHTHS[fill - 1] };
                Span::styled(
                    format!("{}{}", c.to_string().repeat(bar), " "),
                    theme.heat_style(v),
                )
            })
            .collect();
        out.push(Line::from(spans));
    }
    if bar == 3 {
        let numbers: String = points
            .iter()
            .map(|v| format!("{:>3.0} ", v.clamp(0.0, 100.0)))
            .collect();
        out.push(Line::styled(numbers, theme.dim));
    }
    let first = add_days(p.now, -SPARK_STEP_DAYS * (points.len() as i64 - 1));
    let from = first.with_timezone(&p.my_zone).format("%-d %b").to_string();
    let span_w = points.len() * cell - 1;
    let pad = span_w.saturating_sub(width(&from) + 3);
    out.push(Line::styled(
        clip(&format!("{from}{}now", " ".repeat(pad)), w),
        theme.dim,
    ));
    out
}

/// The gift occasions in season and the gifts given (with their notes, read as the contacts').
fn gifts(v: &ClientView, theme: &Theme, w: usize, out: &mut Vec<Line<'static>>) {
    let p = &v.page;
    if p.gifts.is_empty() && p.gifts_given.is_empty() {
        return;
    }
    out.push(Line::styled("Gifts", theme.section));
    let today = local_date(p.client.zone, p.now);
    for g in &p.gifts {
        let style = match g.state {
            GiftState::ToOrder | GiftState::Missed => theme.warn,
            _ => Style::new(),
        };
        out.extend(wrapped_line(
            vec![
                Span::raw("  "),
                Span::styled(gifts::describe(g, today), style),
            ],
            w,
        ));
    }
    for c in &p.gifts_given {
        let mut line = format!(
            "  given {}",
            c.at.with_timezone(&p.client.zone).format("%a %d %b %Y")
        );
        if let Some(who) = &c.who {
            line.push_str(&format!(" · {who}"));
        }
        if let Some(Ok(notes)) = &v.notes
            && let Some(Note::Text(t)) = notes.get(&c.line)
        {
            line.push_str(&format!(" · {t}"));
        }
        out.extend(wrapped_line(vec![Span::raw(line)], w));
    }
    out.push(Line::raw(""));
}

fn lists(v: &ClientView, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let p = &v.page;
    let (mine, now, theirs) = (p.my_zone, p.now, p.client.zone);
    let mut out = Vec::new();
    let heading = match &v.notes {
        None if !p.contacts.is_empty() => Line::from(vec![
            Span::styled("Last contacts", theme.section),
            Span::styled(" · reading notes…", theme.dim),
        ]),
        Some(Err(e)) => Line::from(vec![
            Span::styled("Last contacts", theme.section),
            Span::styled(format!(" · notes unreadable: {e}"), theme.error),
        ]),
        _ => Line::styled("Last contacts", theme.section),
    };
    out.push(heading);
    if p.contacts.is_empty() {
        out.push(Line::styled("  none logged", theme.dim));
    }
    for c in &p.contacts {
        let mut spans = vec![
            Span::raw("  "),
            Span::raw(both(c.at, theirs, mine, now)),
            Span::raw("  "),
            Span::styled(c.kind.to_string(), theme.bold),
        ];
        if let Some(who) = &c.who {
            spans.push(Span::raw(format!(" · {who}")));
        }
        out.extend(wrapped_line(spans, w));
        let note = match &v.notes {
            Some(Ok(notes)) => notes.get(&c.line),
            _ => None,
        };
        let (text, style) = match note {
            Some(Note::Text(t)) => (t.clone(), Style::new()),
            Some(Note::Gone) => (
                "(the log changed: the note is read again)".into(),
                theme.dim,
            ),
            Some(Note::TooLong) => ("(the line is too long to show its note)".into(), theme.dim),
            Some(Note::Empty) | None => continue,
        };
        let parts = wrap(&text, w.saturating_sub(4).max(1));
        let n = parts.len();
        for (i, part) in parts.into_iter().take(NOTE_LINES).enumerate() {
            let part = if i + 1 == NOTE_LINES && n > NOTE_LINES {
                clip(&format!("{part} …"), w.saturating_sub(4))
            } else {
                part
            };
            out.push(Line::from(vec![
                Span::raw("    "),
                Span::styled(part, style),
            ]));
        }
    }
    out.push(Line::raw(""));
    gifts(v, theme, w, &mut out);
    out.push(Line::styled("Open deadlines", theme.section));
    if p.deadlines.is_empty() {
        out.push(Line::styled("  none", theme.dim));
    }
    for (d, r) in &p.deadlines {
        let risk = format!("{} {}", r.risk.symbol(), r.risk.label());
        let spans = vec![
            Span::raw("  "),
            Span::styled(format!("{risk:<9}"), risk_style(theme, r.risk)),
            Span::raw(" "),
            Span::raw(full(d.due, d.zone, now)),
            Span::raw("  "),
            Span::styled(d.title.clone(), theme.bold),
        ];
        out.extend(wrapped_line(spans, w));
        out.push(Line::styled(
            clip(&format!("    {}", r.need_and_have()), w),
            theme.dim,
        ));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Open follow-ups", theme.section));
    if p.followups.is_empty() {
        out.push(Line::styled("  none", theme.dim));
    }
    for f in &p.followups {
        let fu = &f.followup;
        let (mark, style) = if f.snoozed {
            ("snoozed", theme.dim)
        } else if f.overdue {
            ("overdue", theme.overdue)
        } else if fu.waiting {
            ("waiting", theme.section)
        } else {
            ("due", Style::new())
        };
        let due = match (f.snoozed, fu.due) {
            (true, _) => fu
                .snoozed_until
                .map(|s| format!("until {}", full(s, mine, now)))
                .unwrap_or_default(),
            (false, None) => "no due".into(),
            (false, Some(FollowupDue::Day(d))) => d.format("%a %-d %b").to_string(),
            (false, Some(FollowupDue::At(at))) => full(at, mine, now),
        };
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(format!("{mark:<8}"), style),
            Span::raw(" "),
            Span::raw(due),
            Span::raw("  "),
            Span::styled(fu.what.clone(), theme.bold),
        ];
        if let Some(who) = &fu.who {
            spans.push(Span::raw(format!(" · {who}")));
        }
        out.extend(wrapped_line(spans, w));
    }
    out
}

/// A line of spans within `w` cells: as it is when it fits, else its text wrapped (the
/// continuation indented by four), in the style of its last span.
fn wrapped_line(spans: Vec<Span<'static>>, w: usize) -> Vec<Line<'static>> {
    let line = Line::from(spans);
    if line.width() <= w {
        return vec![line];
    }
    let style = line.spans.last().map_or(Style::new(), |s| s.style);
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    wrap(text.trim_start(), w.saturating_sub(4).max(1))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let indent = if i == 0 { "  " } else { "    " };
            Line::from(vec![Span::raw(indent), Span::styled(part, style)])
        })
        .collect()
}
