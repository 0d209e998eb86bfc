//! The frame around the panes: header, footer (message, key hints or the filter line), the tab
//! bar of the one-pane layout, and each pane's bordered block.

use super::text::{clip, put, width, wrap};
use super::theme::Theme;
use crate::app::action::{Action, Pane};
use crate::app::state::{App, Overlay, Tone};
use crate::domain::board::Section;
use crate::domain::risk::Risk;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// The key the user presses for a global `action` now (their `[keys]` included).
pub fn key_for(app: &App, action: Action) -> String {
    app.keymap.key_for(action).unwrap_or_default().to_string()
}

/// What `pane` shows instead of its rows while the first load goes on (the clocks only until
/// tether.toml is in): `loading followups.jsonl (62 MB)…`.
pub fn loading(app: &App, pane: Pane) -> Option<String> {
    let l = app.loading.as_ref()?;
    (pane != Pane::Clocks || !l.config_read).then(|| l.what(pane))
}

/// A short note on the first line of a pane's inner `area`, word-wrapped.
pub fn note(text: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    for (row, l) in super::text::wrap(text, usize::from(area.width))
        .into_iter()
        .take(usize::from(area.height))
        .enumerate()
    {
        let row = u16::try_from(row).unwrap_or(u16::MAX);
        put(buf, area, row, &Line::styled(l, theme.dim));
    }
}

/// One line: you, your time and zone; the data directory's state; an alert warning.
pub fn header(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = usize::from(area.width);
    if app.loading.as_ref().is_some_and(|l| !l.config_read) {
        // Not even your zone is known yet.
        put(
            buf,
            area,
            0,
            &Line::from(vec![Span::raw(" "), Span::styled("tether", theme.brand)]),
        );
        let right = Line::from(Span::styled("loading… ", theme.dim)).right_aligned();
        put(buf, area, 0, &right);
        return;
    }
    let me = &app.loaded.model.config.me;
    let zone = app.board.my_zone;
    let local = app.now.with_timezone(&zone);
    let secs = app.loaded.model.config.ui.seconds;
    let time_fmt = if secs { "%H:%M:%S %Z" } else { "%H:%M %Z" };
    let date = local.format("%a %-d %b").to_string();
    let time = local.format(time_fmt).to_string();
    let name = me.name.trim();

    let sep = || Span::styled(" · ", theme.dim);
    let brand = || Span::styled("tether", theme.brand);
    let clock = || Span::styled(time.clone(), theme.clock);
    let mut lefts: Vec<Vec<Span>> = Vec::new();
    let with_name = |mut v: Vec<Span<'static>>| {
        if !name.is_empty() {
            v.push(Span::raw(name.to_string()));
            v.push(Span::styled(" · ", theme.dim));
        }
        v
    };
    lefts.push({
        let mut v = with_name(vec![brand(), sep()]);
        v.extend([Span::raw(format!("{date} ")), clock(), sep()]);
        v.push(Span::styled(zone.name().to_string(), theme.dim));
        v
    });
    lefts.push({
        let mut v = with_name(vec![brand(), sep()]);
        v.extend([Span::raw(format!("{date} ")), clock()]);
        v
    });
    lefts.push({
        let mut v = with_name(Vec::new());
        v.extend([Span::raw(format!("{date} ")), clock()]);
        v
    });
    lefts.push(vec![clock()]);
    // A scrubbed view says so in every form of the header, before anything else gives way.
    let scrubs = scrubbed(app);
    if !scrubs.is_empty() {
        lefts = scrubs
            .iter()
            .flat_map(|s| {
                lefts.iter().map(move |l| {
                    let mut v = l.clone();
                    v.push(Span::styled(" · ", theme.dim));
                    v.push(Span::styled(s.clone(), theme.warn));
                    v
                })
            })
            .collect();
    }
    // The running timer, in every form of the header, shorter as the width asks: `⏱ 1h 12m on
    // Q3 market survey report`, `⏱ 1h 12m`, `⏱`; warned when it ran past its working day.
    let timers = timer_forms(app);
    if !timers.is_empty() {
        let style = if timer_flagged(app) {
            theme.warn
        } else {
            theme.clock
        };
        lefts = timers
            .iter()
            .flat_map(|s| {
                lefts.iter().map(move |l| {
                    let mut v = l.clone();
                    v.push(Span::styled(" · ", theme.dim));
                    v.push(Span::styled(s.clone(), style));
                    v
                })
            })
            .collect();
    }

    // The count in the words the agenda, `status` and `check` use (`Count`'s), shorter as the
    // width asks.
    let count = app.problems();
    let breakdown = !app.is_loading() && count.total() > 0;
    let rights: Vec<Span> = if app.is_loading() {
        vec![Span::styled("loading…", theme.dim)]
    } else if breakdown {
        let key = key_for(app, Action::Problems);
        let short = count.short();
        vec![
            Span::styled(format!("{count} — press {key}"), theme.warn),
            Span::styled(format!("{short} — press {key}"), theme.warn),
            Span::styled(format!("{short} ({key})"), theme.warn),
            Span::styled(format!("{}!", count.total()), theme.warn),
        ]
    } else {
        vec![
            Span::styled("data ok", theme.dim),
            Span::styled("ok", theme.dim),
        ]
    };

    let lw = |v: &Vec<Span>| v.iter().map(Span::width).sum::<usize>();
    // The alert warning must always show (alerts not reaching the user is what they most need
    // to know): its shorter forms come only after every shorter left and right part.
    let warnings: Vec<Option<String>> = match &app.alert_warning {
        Some(w) => warning_forms(w).into_iter().map(Some).collect(),
        None => vec![None],
    };
    let ww = |o: &Option<String>| o.as_deref().map_or(0, |t| width(t) + 3);
    // Without a warning the problem count keeps its words longest; with one, the date does.
    let mut pairs: Vec<(&Vec<Span>, &Span)> = Vec::new();
    if app.alert_warning.is_some() {
        pairs.extend(
            lefts
                .iter()
                .flat_map(|l| rights.iter().map(move |r| (l, r))),
        );
    } else {
        // The errors and warnings only beside the whole left part: your name, date and zone
        // come before them.
        let (whole, rest) = rights.split_at(usize::from(breakdown));
        pairs.extend(whole.iter().filter_map(|r| lefts.first().map(|l| (l, r))));
        pairs.extend(rest.iter().flat_map(|r| lefts.iter().map(move |l| (l, r))));
    }
    let chosen = warnings.iter().find_map(|warn| {
        pairs
            .iter()
            .find(|(l, r)| lw(l) + 2 + ww(warn) + r.width() + 2 <= w)
            .map(|(l, r)| ((*l).clone(), (*r).clone(), warn.clone()))
    });
    let (mut left, right, warn) = chosen.unwrap_or_else(|| {
        (
            lefts.last().cloned().unwrap_or_default(),
            rights.last().cloned().unwrap_or_default(),
            warnings.last().cloned().flatten(),
        )
    });
    left.insert(0, Span::raw(" "));
    let mut right_spans = vec![right, Span::raw(" ")];
    if let Some(warn) = warn {
        right_spans.insert(0, Span::styled(" · ", theme.dim));
        right_spans.insert(0, Span::styled(warn, theme.warn));
    }
    put(buf, area, 0, &Line::from(left));
    let right_line = Line::from(right_spans).right_aligned();
    put(buf, area, 0, &right_line);
}

/// What the header says of the running timer, longest first (nothing when none runs).
fn timer_forms(app: &App) -> Vec<String> {
    use crate::domain::timelog::{counted, flag, running, since, target_title};
    let model = &app.loaded.model;
    let Some(e) = running(&model.timelog) else {
        return Vec::new();
    };
    let Some(start) = e.running_since() else {
        return Vec::new();
    };
    let me = &model.config.me;
    let now = app.now;
    let length = crate::domain::time::format_working(counted(me, start, now));
    let title =
        crate::domain::text::head(&crate::domain::text::one_line(&target_title(model, e)), 40)
            .into_owned();
    if flag(me, start, now).is_some() {
        let since = since(me, start, now);
        return vec![
            format!("⏱ {length} on {title} (since {since}: stop it or say how long)"),
            format!("⏱ {length} on {title} (since {since}: stop it)"),
            format!("⏱ since {since}: stop it"),
            "⏱ stop it".to_string(),
        ];
    }
    vec![
        format!("⏱ {length} on {title}"),
        format!("⏱ {length}"),
        "⏱".to_string(),
    ]
}

fn timer_flagged(app: &App) -> bool {
    let model = &app.loaded.model;
    crate::domain::timelog::running(&model.timelog)
        .and_then(|e| e.running_since())
        .is_some_and(|s| crate::domain::timelog::flag(&model.config.me, s, app.now).is_some())
}

/// What the header says while the clocks are scrubbed, longest first: `viewing 16:00 AEST
/// (+6h) · . for now` (with the day when it is not today); nothing when they show now.
fn scrubbed(app: &App) -> Vec<String> {
    if app.view_offset == chrono::Duration::zero() {
        return Vec::new();
    }
    let view = app.view_now();
    let zone = app.loaded.model.config.me.zone_at(view);
    let local = view.with_timezone(&zone);
    let today = app.now.with_timezone(&zone).date_naive();
    let day = if local.date_naive() == today {
        String::new()
    } else {
        local.format("%a %-d ").to_string()
    };
    let offset = super::clocks::offset_words(app.view_offset);
    let at = format!("viewing {day}{}", local.format("%H:%M %Z"));
    let back = key_for(app, Action::BackToNow);
    let mut forms = Vec::new();
    if !back.is_empty() {
        forms.push(format!("{at} ({offset}) · {back} for now"));
    }
    forms.push(format!("{at} ({offset})"));
    forms.push(format!("viewing {day}{} ({offset})", local.format("%H:%M")));
    forms.push(format!("viewing {offset}"));
    forms
}

/// At most this many rows for the first-run banner.
pub const BANNER_ROWS: usize = 2;

/// The first-run banner, while the data is the example (a client is marked `example = true`):
/// where the data is and how to make it yours, word-wrapped to `w` cells in at most
/// [`BANNER_ROWS`] rows, the longest form that fits. Empty once the data is yours.
pub fn banner_lines(app: &App, w: usize) -> Vec<String> {
    if !app.loaded.model.config.has_example_clients() {
        return Vec::new();
    }
    let dir = app.dir.display().to_string();
    let dir = crate::domain::text::one_line(&dir);
    let forms = [
        format!(
            "This is example data, in {dir}: edit its tether.toml to make it yours (clients \
             marked example = true never alert), or for a blank start move it away and run \
             `tether init --empty`."
        ),
        format!(
            "Example data in {dir}: edit its tether.toml to make it yours, or move it away and \
             run `tether init --empty`"
        ),
        format!("Example data in {dir}: edit its tether.toml to make it yours"),
        format!("Example data in {dir}"),
    ];
    let mut lines = Vec::new();
    for form in &forms {
        lines = wrap(form, w);
        if lines.len() <= BANNER_ROWS {
            break;
        }
    }
    lines.truncate(BANNER_ROWS);
    lines
}

/// Draw [`banner_lines`] into `area`, a row each, after a margin of one cell.
pub fn banner(lines: &[String], theme: &Theme, area: Rect, buf: &mut Buffer) {
    for (row, text) in (0..area.height).zip(lines) {
        let line = Line::from(vec![
            Span::raw(" "),
            Span::styled(text.clone(), theme.section),
        ]);
        put(buf, area, row, &line);
    }
}

/// The alert warning from longest to shortest, each whole (never cut mid-word): all of it, up
/// to its first `;`, up to its first `:`, then "alerts off".
pub fn warning_forms(warning: &str) -> Vec<String> {
    let warning = warning.trim();
    let mut forms: Vec<String> = Vec::new();
    let cuts = [
        Some(warning),
        warning.split(';').next(),
        warning.split(':').next(),
        Some("alerts off"),
    ];
    for cut in cuts.into_iter().flatten() {
        let form = format!("⚠ {}", cut.trim());
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

/// One line: the message if there is one, the filter being typed, or the key hints.
pub fn footer(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = usize::from(area.width);
    if let Overlay::Filter { .. } = app.overlay {
        let text = format!("/ {}", app.filter.text);
        let hints = hint_spans(app, theme, w.saturating_sub(width(&text) + 4));
        let mut spans = vec![
            Span::styled(text, theme.bold),
            Span::styled("▏", theme.key),
            Span::raw("   "),
        ];
        spans.extend(hints);
        put(buf, area, 0, &Line::from(spans));
        return;
    }
    if let Some((text, tone)) = &app.message {
        let style = match tone {
            Tone::Error => theme.error,
            Tone::Info => theme.bold,
        };
        let line = Line::from(Span::styled(
            format!(" {}", clip(text, w.saturating_sub(1))),
            style,
        ));
        put(buf, area, 0, &line);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    spans.extend(hint_spans(app, theme, w.saturating_sub(1)));
    put(buf, area, 0, &Line::from(spans));
}

/// The footer hints that apply now, dropping whole hints from the end (but keeping `?`) until
/// they fit in `max` cells.
fn hint_spans(app: &App, theme: &Theme, max: usize) -> Vec<Span<'static>> {
    // Under the week the clocks' keys apply but their cursor is not shown: Enter, m and t, which
    // act on the row under it, are unused.
    let unused: &[Action] = if app.overlay == Overlay::Week {
        &[Action::Open, Action::Slots, Action::Timer]
    } else {
        &[]
    };
    let mut hints = app
        .keymap
        .footer_hints_except(app.key_focus(), app.place(), unused);
    let total = |h: &[(String, &str)]| -> usize {
        h.iter()
            .map(|(k, l)| width(k) + 1 + width(l))
            .sum::<usize>()
            + 2 * h.len().saturating_sub(1)
    };
    while total(&hints) > max && !hints.is_empty() {
        let drop = hints
            .iter()
            .rposition(|(k, _)| !matches!(k.as_str(), "?" | "q"));
        match drop {
            Some(i) => {
                hints.remove(i);
            }
            None => {
                hints.pop();
            }
        }
    }
    let mut spans = Vec::new();
    for (i, (k, l)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(k.clone(), theme.key));
        spans.push(Span::styled(format!(" {l}"), theme.dim));
    }
    spans
}

/// How many urgent items each pane holds (by `Pane::index`), for the tab bar's badges.
pub fn urgent_counts(app: &App) -> [usize; 4] {
    Pane::ALL.map(|p| count_urgent(app, p))
}

fn count_urgent(app: &App, pane: Pane) -> usize {
    match pane {
        // Its rows are not the data yet.
        _ if loading(app, pane).is_some() => 0,
        Pane::Deadlines => app
            .board
            .deadlines
            .iter()
            .filter(|d| d.risk >= Risk::AtRisk)
            .count(),
        Pane::Followups => app
            .board
            .followups
            .iter()
            .filter(|f| f.overdue() || f.section == Section::Overdue)
            .count(),
        Pane::Heat => app
            .board
            .heat
            .iter()
            .filter(|h| h.heat.contact_overdue)
            .count(),
        Pane::Clocks => 0,
    }
}

fn short_title(p: Pane) -> &'static str {
    match p {
        Pane::Clocks => "Clocks",
        Pane::Deadlines => "Deadlines",
        Pane::Heat => "Heat",
        Pane::Followups => "Follow-ups",
    }
}

/// `1 Clocks  2 Deadlines !2  3 Heat  4 Follow-ups`, the focused one highlighted; badges count
/// urgent items in the panes you cannot see.
/// The tab bar; `urgent`: [`urgent_counts`] (counted once per board).
pub fn tabs(app: &App, urgent: [usize; 4], theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = usize::from(area.width);
    let build = |badges: bool, names: bool| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for (i, p) in Pane::ALL.iter().enumerate() {
            let focused = *p == app.focus;
            let label = if names || focused {
                format!(" {} {} ", i + 1, short_title(*p))
            } else {
                format!(" {} ", i + 1)
            };
            spans.push(Span::styled(
                label,
                if focused { theme.tab_active } else { theme.tab },
            ));
            let n = urgent.get(p.index()).copied().unwrap_or(0);
            if badges && n > 0 {
                spans.push(Span::styled(format!("!{n}"), theme.error));
            }
            spans.push(Span::raw(" "));
        }
        spans
    };
    let options = [
        build(true, true),
        build(false, true),
        build(true, false),
        build(false, false),
    ];
    let fits = |v: &Vec<Span>| v.iter().map(Span::width).sum::<usize>() <= w;
    let spans = options
        .iter()
        .find(|v| fits(v))
        .or(options.last())
        .cloned()
        .unwrap_or_default();
    put(buf, area, 0, &Line::from(spans));
}

/// The bordered block of a pane: number and title, the active filter, and a count on the right.
/// The invoices to send and the payments overdue among the follow-up rows on the board: the
/// money the follow-ups pane's title counts.
pub fn money_counts(app: &App) -> [usize; 2] {
    use crate::domain::model::BillKind;
    let mut n = [0, 0];
    // The slots say it: no record is read (millions held as lines would each be parsed).
    for r in &app.board.followups {
        match r.bill() {
            Some(BillKind::Invoice) if r.section != Section::Closed => n[0] += 1,
            Some(BillKind::Payment) if r.section == Section::Overdue => n[1] += 1,
            _ => {}
        }
    }
    n
}

/// `money`: [`money_counts`], said in the follow-ups pane's title ("1 to invoice · 1 payment
/// late") so the money owed either way shows at a glance.
pub fn pane_block(
    app: &App,
    theme: &Theme,
    pane: Pane,
    focused: bool,
    money: [usize; 2],
) -> Block<'static> {
    let title_style = if focused {
        theme.title_focus
    } else {
        theme.title
    };
    let mut title = vec![Span::styled(
        format!(" {} {} ", pane.index() + 1, pane.title()),
        title_style,
    )];
    if pane == Pane::Clocks && app.view_offset != chrono::Duration::zero() {
        let offset = super::clocks::offset_words(app.view_offset);
        title.push(Span::styled(format!(" viewing {offset} "), theme.warn));
    }
    if !app.filter.text.is_empty() && pane != Pane::Clocks {
        title.push(Span::styled(format!(" /{} ", app.filter.text), theme.warn));
    }
    if app.filter.show_closed && matches!(pane, Pane::Deadlines | Pane::Followups) {
        title.push(Span::styled(" +done ", theme.dim));
    }
    if pane == Pane::Followups && loading(app, pane).is_none() {
        let [invoices, late] = money;
        let mut said = Vec::new();
        if invoices > 0 {
            said.push(format!("{invoices} to invoice"));
        }
        if late > 0 {
            said.push(format!(
                "{late} payment{} late",
                if late == 1 { "" } else { "s" }
            ));
        }
        if !said.is_empty() {
            title.push(Span::styled(format!(" {} ", said.join(" · ")), theme.warn));
        }
    }
    let count = match pane {
        _ if loading(app, pane).is_some() => String::new(),
        Pane::Clocks => String::new(),
        Pane::Deadlines => format!(" {} ", app.board.deadlines.len()),
        Pane::Heat => format!(" {} ", app.board.heat.len()),
        Pane::Followups => format!(" {} ", app.board.followups.len()),
    };
    let mut block = Block::bordered()
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(Line::from(title));
    if !count.is_empty() {
        block = block.title(Line::from(Span::styled(count, theme.dim)).right_aligned());
    }
    block
}

/// Draw a pane's block and return its inner area.
pub fn framed(
    app: &App,
    theme: &Theme,
    pane: Pane,
    focused: bool,
    money: [usize; 2],
    area: Rect,
    buf: &mut Buffer,
) -> Rect {
    let block = pane_block(app, theme, pane, focused, money);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}
