//! Keys -> state changes and effects. No I/O here: writes, undo and the editor are effects that
//! the event loop carries out, so every key's behaviour is tested without a terminal.

use super::action::{Action, Effect, Pane, WriteOp};
use super::forms::{self, preview};
use super::state::{App, Field, Form, FormKind, Overlay, SnoozePicker};
use crate::domain::board::{Section, followup_key};
use crate::domain::capacity::next_work_start;
use crate::domain::clocks::{SendWindow, send_window};
use crate::domain::followups::snooze_targets;
use crate::domain::model::Status;
use crate::domain::slots::{best_slots, describe};
use crate::domain::text::head;
use crate::domain::time::{TimeValue, parse_time_value};
use crate::domain::when::when_field;
use crate::store::capture;
use crate::store::lines::FieldChange;
use crate::store::recur::{NextDue, next_deadline, next_followup};
use crate::store::write::DataFile;
use chrono::{DateTime, Duration, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How much of a record's title a write's label (its message, its undo entry) quotes.
const LABEL_CHARS: usize = 80;

/// Formatting instants for the data files lives with the other shared "when" helpers.
pub use crate::domain::when::stamp;

pub fn handle_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let action = app.keymap.lookup(&key, app.key_focus(), app.place());
    if app.in_form() && action.is_none() {
        type_into(app, key);
        return Vec::new();
    }
    match action {
        Some(a) => update(app, a),
        None => Vec::new(),
    }
}

/// Plain typing into the focused text field (or the filter line).
fn type_into(app: &mut App, key: KeyEvent) {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return;
    }
    edit_text(app, |s| match key.code {
        KeyCode::Char(c) => s.push(c),
        KeyCode::Backspace => {
            s.pop();
        }
        _ => {}
    });
}

/// Change the text being typed (the filter line, or the focused free-text field of a form).
fn edit_text(app: &mut App, edit: impl FnOnce(&mut String)) {
    match &mut app.overlay {
        Overlay::Filter { .. } => {
            edit(&mut app.filter.text);
            let now = app.now;
            app.refresh(now);
        }
        Overlay::Form(form) => {
            let before = form.value("client").to_string();
            if let Some(f) = form.fields.get_mut(form.focus) {
                if f.choices.is_empty() || f.open {
                    edit(&mut f.value);
                }
                form.error = None;
                form.cycling = None;
            }
            forms::client_changed(app, &before);
            preview(app);
        }
        _ => {}
    }
}

/// Ctrl-W: the last word and the spaces after it, as a shell deletes them.
fn delete_word(s: &mut String) {
    let kept = s.trim_end().len();
    s.truncate(kept);
    let start = s
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    s.truncate(start);
}

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if app.in_form() {
        return update_form(app, action);
    }
    app.message = None;
    if let Some(loading) = &app.loading
        && acts_on_data(action)
    {
        // The lists are empty until the data is in: nothing there to act on, or to undo.
        let what = loading.biggest();
        app.say(format!("still loading {what}: try again once it is in"));
        return Vec::new();
    }
    let now = app.now;
    match action {
        Action::Quit => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        Action::Help => toggle(app, Overlay::Help),
        Action::Problems => toggle(app, Overlay::Problems),
        Action::Alerts => toggle(app, Overlay::Alerts),
        Action::Week => toggle(app, Overlay::Week),
        Action::Review => open_review(app),
        Action::Slots => open_slots(app),
        Action::Timer => return timer(app),
        Action::Back => {
            if app.overlay != Overlay::None {
                app.overlay = Overlay::None;
            } else if !app.filter.text.is_empty() {
                app.filter.text.clear();
                app.refresh(now);
            }
        }
        Action::Focus(p) => {
            app.focus = p;
            app.overlay = Overlay::None;
        }
        Action::NextPane | Action::PrevPane => {
            let step = if action == Action::NextPane { 1 } else { 3 };
            app.focus = Pane::ALL[(app.focus.index() + step) % 4];
            app.overlay = Overlay::None;
        }
        // The help can be longer than a small window: the same keys scroll it (the list behind
        // it stays as it was).
        Action::Up | Action::Down | Action::Top | Action::Bottom
            if matches!(app.overlay, Overlay::Help | Overlay::Review { .. }) =>
        {
            app.help_scroll = match action {
                Action::Up => app.help_scroll.saturating_sub(1),
                Action::Down => app.help_scroll.saturating_add(1),
                Action::Top => 0,
                _ => usize::MAX,
            };
        }
        // A client's page is longer than a small window: the list keys scroll it.
        Action::Up | Action::Down | Action::Top | Action::Bottom
            if matches!(app.overlay, Overlay::Client(_)) =>
        {
            if let Overlay::Client(v) = &mut app.overlay {
                v.scroll = match action {
                    Action::Up => v.scroll.saturating_sub(1),
                    Action::Down => v.scroll.saturating_add(1),
                    Action::Top => 0,
                    _ => usize::MAX,
                };
            }
        }
        Action::Up | Action::Down | Action::Top | Action::Bottom => move_selection(app, action),
        Action::Open => return open(app),
        Action::Done => return done(app),
        Action::Snooze => return snooze_next_work_day(app),
        Action::SnoozePicker => open_snooze_picker(app),
        Action::Edit => return edit(app),
        Action::Add => forms::open_add_form(app),
        Action::Log => forms::open_log_form(app),
        Action::Undo => return vec![Effect::Undo],
        Action::Filter => {
            app.overlay = Overlay::Filter {
                before: app.filter.text.clone(),
            };
        }
        Action::ToggleClosed => {
            app.filter.show_closed = !app.filter.show_closed;
            app.refresh(now);
            app.say(if app.filter.show_closed {
                "showing snoozed and done items (z to hide)"
            } else {
                "hiding snoozed and done items"
            });
        }
        Action::HourEarlier => app.scrub(Some(Duration::hours(-1))),
        Action::HourLater => app.scrub(Some(Duration::hours(1))),
        Action::DayEarlier => app.scrub(Some(Duration::days(-1))),
        Action::DayLater => app.scrub(Some(Duration::days(1))),
        Action::BackToNow => app.scrub(None),
        Action::Submit
        | Action::NextField
        | Action::PrevField
        | Action::ClearField
        | Action::DeleteWord => {}
    }
    Vec::new()
}

/// `t`: start the timer on the selected deadline (the deadlines pane) or client (a clock or heat
/// row), or stop the one running on it; a timer running on something else is stopped first. The
/// lines are built by `store::capture::timer`, as `tether track` builds them; one left running
/// past its working day ends at its end (the message says so).
fn timer(app: &mut App) -> Vec<Effect> {
    use crate::domain::model::TimeOn;
    use crate::store::capture::timer::{self as timer, StopAt, Target};
    if app.overlay == Overlay::Week {
        return Vec::new();
    }
    let now = app.now;
    let loaded = &app.loaded;
    let on = match app.focus {
        Pane::Deadlines => {
            let Some((_, d)) = app.selected_deadline_record() else {
                return Vec::new();
            };
            let Some(id) = d.id.as_deref() else {
                app.say(
                    "this deadline has no id: give it one (\"id\") in deadlines.jsonl to time it",
                );
                return Vec::new();
            };
            TimeOn::Deadline(id.to_string())
        }
        Pane::Clocks => match app.selected_clock().and_then(|r| r.client_id()) {
            Some(id) => TimeOn::Client(id.into()),
            None => {
                app.say("t times a client on a client's clock row");
                return Vec::new();
            }
        },
        Pane::Heat => match app.selected_heat() {
            Some(h) => TimeOn::Client(h.client.id.as_str().into()),
            None => return Vec::new(),
        },
        Pane::Followups => return Vec::new(),
    };
    let mut effects = Vec::new();
    let mut said = Vec::new();
    if let Some(e) = crate::domain::timelog::running(&loaded.model.timelog) {
        match timer::stop(loaded, now, StopAt::Now) {
            Ok(s) => {
                let length =
                    crate::domain::time::format_working(s.end - e.running_since().unwrap_or(s.end));
                said.push(if s.capped {
                    format!(
                        "{} ({length}, to the end of that working day: add more with tether track add)",
                        s.capture.label
                    )
                } else {
                    format!("{} ({length})", s.capture.label)
                });
                effects.push(Effect::Write(WriteOp::Append {
                    file: s.capture.file,
                    line: s.capture.line,
                    label: s.capture.label,
                }));
            }
            Err(err) => {
                app.complain(err);
                return Vec::new();
            }
        }
        if e.on == on {
            app.say(said.join("; "));
            return effects;
        }
    }
    let target = match &on {
        TimeOn::Deadline(id) => loaded
            .model
            .deadlines
            .iter()
            .find(|d| d.id.as_deref() == Some(id.as_str()))
            .map(Target::Deadline),
        TimeOn::Client(c) => loaded.model.config.client(c).map(Target::Client),
    };
    let Some(target) = target else {
        return effects;
    };
    if let Target::Deadline(d) = &target
        && d.status != Status::Open
    {
        app.say("already done");
        return effects;
    }
    match timer::start(loaded, now, &target, None) {
        Ok(c) => {
            said.push(c.label.clone());
            effects.push(Effect::Write(WriteOp::Append {
                file: c.file,
                line: c.line,
                label: c.label,
            }));
        }
        Err(err) => app.complain(err),
    }
    if !said.is_empty() {
        app.say(said.join("; "));
    }
    effects
}

/// The clocks' `m`: the best hours in the next five days to meet the client of the selected
/// clock row, as `tether slots CLIENT` lists them (`domain::slots`).
fn open_slots(app: &mut App) {
    if app.overlay == Overlay::Week {
        return;
    }
    let Some(id) = app
        .selected_clock()
        .and_then(|r| r.client_id().map(str::to_string))
    else {
        app.say("m lists meeting slots on a client's clock row");
        return;
    };
    let config = &app.loaded.model.config;
    let Some(client) = config.client(&id) else {
        return;
    };
    if client.unknown_zone.is_some() {
        app.say("its zone is not one tether knows: fix it in tether.toml to find slots");
        return;
    }
    let (days, length) = (5, Duration::hours(1));
    let me = &config.me;
    let found = best_slots(
        me,
        &[client],
        app.now,
        app.now + Duration::days(days),
        length,
        5,
    );
    let mine = me.zone_at(app.now);
    let mut lines: Vec<String> = found.iter().map(|s| describe(s, mine, &[client])).collect();
    if lines.is_empty() {
        lines.push("none: their hours and the next 5 days leave no hour".to_string());
    }
    lines.push(String::new());
    lines.push(format!(
        "More clients, other lengths: tether slots {} OTHER… --next 10d --length 30m",
        client.id
    ));
    app.overlay = Overlay::Slots {
        title: format!("Meeting slots with {} · 1h, next {days} days", client.name),
        lines,
    };
}

/// Enter: the detail of a deadline or follow-up, or the page of the client on a clock or heat
/// row (its notes then read at the edge).
fn open(app: &mut App) -> Vec<Effect> {
    // Under the week the clocks' keys apply, but their cursor is not shown: Enter does nothing
    // there (and the footer does not offer it).
    if app.overlay == Overlay::Week {
        return Vec::new();
    }
    let client = match app.focus {
        Pane::Deadlines | Pane::Followups => {
            let has = match app.focus {
                Pane::Deadlines => app.selected_deadline().is_some(),
                _ => app.selected_followup().is_some(),
            };
            if has {
                toggle(app, Overlay::Detail);
            }
            return Vec::new();
        }
        Pane::Heat => app.selected_heat().map(|h| h.client.id.clone()),
        Pane::Clocks => match app.selected_clock().map(|r| (r.client_id(), r.is_me())) {
            Some((Some(id), _)) => Some(id.to_string()),
            Some((None, me)) => {
                app.say(if me {
                    "this is your own clock: Enter opens a client's page on a client's row"
                } else {
                    "this is an extra clock: Enter opens a client's page on a client's row"
                });
                None
            }
            None => None,
        },
    };
    match client {
        Some(id) if app.open_client(&id) => app
            .notes_request()
            .map(Effect::ReadNotes)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `action` changes the data (or opens a form or the editor to change it).
fn acts_on_data(action: Action) -> bool {
    matches!(
        action,
        Action::Done
            | Action::Snooze
            | Action::SnoozePicker
            | Action::Edit
            | Action::Add
            | Action::Log
            | Action::Undo
            | Action::Timer
    )
}

/// `R`: the weekly review of the week holding now, as `tether review` prints it (the same
/// text: `cli::review::markdown`); `R` again closes it.
fn open_review(app: &mut App) {
    use crate::domain::review::{IsoWeek, review};
    app.help_scroll = 0;
    if matches!(app.overlay, Overlay::Review { .. }) {
        app.overlay = Overlay::None;
        return;
    }
    let model = &app.loaded.model;
    let week = IsoWeek::containing(&model.config.me, app.now);
    let r = review(model, week, app.now);
    let text = crate::cli::review::markdown(&r, None);
    app.overlay = Overlay::Review {
        title: format!("Weekly review {week} · tether review prints it"),
        lines: text.lines().map(str::to_string).collect(),
    };
}

fn toggle(app: &mut App, o: Overlay) {
    app.overlay = if app.overlay == o { Overlay::None } else { o };
    app.help_scroll = 0;
}

fn move_selection(app: &mut App, action: Action) {
    let n = app.len(app.focus);
    let s = &mut app.selected[app.focus.index()];
    if n == 0 {
        *s = 0;
        return;
    }
    *s = match action {
        Action::Up => s.saturating_sub(1),
        Action::Down => (*s + 1).min(n - 1),
        Action::Top => 0,
        _ => n - 1,
    };
}

fn my_zone(app: &App) -> chrono_tz::Tz {
    app.loaded.model.config.me.zone_at(app.now)
}

fn done(app: &mut App) -> Vec<Effect> {
    let at = stamp(app.now, my_zone(app));
    let changes = vec![
        FieldChange::set("status", "done"),
        FieldChange::set("done_at", at),
    ];
    let config = &app.loaded.model.config;
    let (op, next, file, what) = match app.focus {
        Pane::Followups => {
            let Some((_, f)) = app.selected_followup_record() else {
                return Vec::new();
            };
            if f.status != Status::Open {
                app.say("already closed");
                return Vec::new();
            }
            let op = WriteOp::Rewrite {
                file: DataFile::Followups,
                line: f.origin.line,
                changes,
                label: format!("done: {}", head(&f.what, LABEL_CHARS)),
            };
            (
                op,
                next_followup(&f, config),
                DataFile::Followups,
                f.what.to_string(),
            )
        }
        Pane::Deadlines => {
            let Some((_, d)) = app.selected_deadline_record() else {
                return Vec::new();
            };
            if d.status != Status::Open {
                app.say("already done");
                return Vec::new();
            }
            let op = WriteOp::Rewrite {
                file: DataFile::Deadlines,
                line: d.origin.line,
                changes,
                label: format!("done: {}", head(&d.title, LABEL_CHARS)),
            };
            (
                op,
                next_deadline(&d, config),
                DataFile::Deadlines,
                d.title.to_string(),
            )
        }
        _ => return Vec::new(),
    };
    let mut effects = vec![Effect::Write(op)];
    match next {
        None => {}
        Some(Err(why)) => app.say(format!("done; its next occurrence was not written: {why}")),
        Some(Ok(n)) => {
            let model = &app.loaded.model;
            let there = match file {
                DataFile::Deadlines => model
                    .deadlines
                    .iter()
                    .any(|d| d.id.as_deref() == Some(&n.id)),
                _ => model
                    .followups
                    .iter()
                    .any(|f| f.id.as_deref() == Some(&n.id)),
            };
            if !there {
                let when = match n.due {
                    NextDue::Day(d) => d.format("%a %d %b").to_string(),
                    NextDue::At(t) => t
                        .with_timezone(&my_zone(app))
                        .format("%a %d %b %H:%M")
                        .to_string(),
                };
                effects.push(Effect::Write(WriteOp::Append {
                    file,
                    line: n.line,
                    label: format!("next {when}: {}", head(&what, LABEL_CHARS)),
                }));
            }
        }
    }
    effects
}

fn snooze_op(app: &App, key: &str, until: DateTime<Utc>) -> Option<Effect> {
    let f = app.followup_with_key(key)?;
    let local = until.with_timezone(&my_zone(app));
    Some(Effect::Write(WriteOp::Rewrite {
        file: DataFile::Followups,
        line: f.origin.line,
        changes: vec![FieldChange::set(
            "snoozed_until",
            stamp(until, my_zone(app)),
        )],
        label: format!(
            "snooze until {}: {}",
            local.format("%a %d %b %H:%M"),
            head(&f.what, LABEL_CHARS)
        ),
    }))
}

fn snoozable(app: &mut App) -> Option<String> {
    let (r, f) = app.selected_followup_record()?;
    if matches!(r.section, Section::Closed) {
        app.say("done items cannot be snoozed");
        return None;
    }
    Some(followup_key(&f))
}

fn snooze_next_work_day(app: &mut App) -> Vec<Effect> {
    let Some(key) = snoozable(app) else {
        return Vec::new();
    };
    let until = next_work_start(&app.loaded.model.config.me, app.now);
    snooze_op(app, &key, until).into_iter().collect()
}

fn open_snooze_picker(app: &mut App) {
    let Some(key) = snoozable(app) else {
        return;
    };
    let mut choices: Vec<(String, DateTime<Utc>)> =
        snooze_targets(&app.loaded.model.config.me, app.now)
            .into_iter()
            .map(|(label, at)| {
                let local = at.with_timezone(&my_zone(app));
                (format!("{label} ({})", local.format("%a %d %b %H:%M")), at)
            })
            .collect();
    // Closed now: until they open, and a reminder then ("send at their 09:00", issue 18).
    if let Some(client) = app
        .selected_followup_record()
        .and_then(|(_, f)| f.client.clone())
        .and_then(|id| app.loaded.model.config.client(&id))
        .filter(|c| c.unknown_zone.is_none())
        && let SendWindow::Next { opens_at } = send_window(client, app.now)
    {
        let theirs = opens_at.with_timezone(&client.zone);
        let label = format!(
            "they open ({} {}{})",
            theirs.format("%a %H:%M"),
            theirs.format("%Z"),
            capture::also_in(opens_at, client.zone, my_zone(app))
        );
        choices.push((label, opens_at));
    }
    // The last choice opens a date field instead of snoozing at once.
    choices.push(("a date…".to_string(), app.now));
    app.overlay = Overlay::Snooze(SnoozePicker {
        target: key,
        choices,
        selected: 0,
    });
}

fn edit(app: &mut App) -> Vec<Effect> {
    let (file, line) = match app.focus {
        Pane::Followups => match app.selected_followup() {
            Some(r) => (DataFile::Followups, r.line),
            None => return Vec::new(),
        },
        Pane::Deadlines => match app.selected_deadline() {
            Some(r) => (DataFile::Deadlines, r.line()),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    vec![Effect::OpenEditor {
        path: app.dir.join(file.file_name()),
        line,
    }]
}

fn update_form(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        Action::Back => {
            if let Overlay::Filter { before } = &app.overlay {
                app.filter.text = before.clone();
                let now = app.now;
                app.refresh(now);
            }
            app.overlay = Overlay::None;
        }
        Action::Submit => return submit(app),
        Action::NextField | Action::PrevField => {
            if let Overlay::Form(form) = &mut app.overlay {
                let before = form.value("client").to_string();
                let stay = action == Action::NextField && complete(form) == Completion::Stay;
                if !stay {
                    move_field(form, action == Action::NextField);
                }
                forms::client_changed(app, &before);
            }
            preview(app);
        }
        Action::Up | Action::Down => {
            let down = action == Action::Down;
            match &mut app.overlay {
                Overlay::Snooze(p) => {
                    let n = p.choices.len();
                    p.selected = if down {
                        (p.selected + 1) % n
                    } else {
                        (p.selected + n - 1) % n
                    };
                }
                Overlay::Form(form) => match form.fields.get_mut(form.focus) {
                    Some(f) if !f.choices.is_empty() => cycle_choice(f, down),
                    // A text field has no choices: the arrows go to the field below or above.
                    Some(_) => move_field(form, down),
                    None => {}
                },
                _ => {}
            }
            preview(app);
        }
        Action::ClearField => edit_text(app, String::clear),
        Action::DeleteWord => edit_text(app, delete_word),
        _ => {}
    }
    Vec::new()
}

fn cycle_choice(f: &mut Field, down: bool) {
    if f.choices.is_empty() {
        return;
    }
    let n = f.choices.len();
    let i = f.choices.iter().position(|c| *c == f.value).unwrap_or(0);
    let j = if down { (i + 1) % n } else { (i + n - 1) % n };
    f.value = f.choices[j].clone();
}

fn move_field(form: &mut Form, down: bool) {
    let n = form.fields.len().max(1);
    form.focus = if down {
        (form.focus + 1) % n
    } else {
        (form.focus + n - 1) % n
    };
    form.cycling = None;
}

#[derive(Debug, PartialEq, Eq)]
enum Completion {
    /// The field is settled (empty, no match, one match, or an id typed whole): Tab goes on.
    GoOn,
    /// Several ids match: the field stays, with the next one in it.
    Stay,
}

/// Tab on a completable field (client ids). One match: filled in, and Tab goes on; so does an
/// id typed whole. Several: their common prefix, then each match in turn at every Tab, round
/// and round, the field keeping the focus and the matches listed under it, so an ambiguous
/// prefix is never left behind unnoticed (issue 14); the arrows go on to the next field.
fn complete(form: &mut Form) -> Completion {
    let Some(f) = form.fields.get_mut(form.focus) else {
        return Completion::GoOn;
    };
    if f.complete_from.is_empty() || f.value.trim().is_empty() {
        return Completion::GoOn;
    }
    let (typed, at) = match form.cycling.take() {
        Some((typed, at)) => (typed, Some(at)),
        None => (f.value.trim().to_string(), None),
    };
    let lower = typed.to_lowercase();
    let matches: Vec<&String> = f
        .complete_from
        .iter()
        .filter(|c| c.to_lowercase().starts_with(&lower))
        .collect();
    let n = matches.len();
    if n == 0 {
        return Completion::GoOn;
    }
    let next = match at {
        // Going round: the one after the match in the field, or after the common prefix the
        // first that differs from it.
        Some(Some(i)) => (i + 1) % n,
        Some(None) => matches.iter().position(|m| **m != f.value).unwrap_or(0),
        None => {
            if matches.iter().any(|m| **m == typed) {
                return Completion::GoOn;
            }
            if let [one] = matches.as_slice() {
                f.value = one.to_string();
                return Completion::GoOn;
            }
            let mut prefix = matches[0].to_string();
            for m in &matches[1..] {
                while !m.to_lowercase().starts_with(&prefix.to_lowercase()) {
                    prefix.pop();
                }
            }
            if prefix.len() > typed.len() {
                f.value = prefix;
                form.cycling = Some((typed, None));
                return Completion::Stay;
            }
            0
        }
    };
    if let Some(m) = matches.get(next) {
        f.value = m.to_string();
        form.cycling = Some((typed, Some(next)));
    }
    Completion::Stay
}

fn submit(app: &mut App) -> Vec<Effect> {
    match app.overlay.clone() {
        Overlay::Filter { .. } => {
            app.overlay = Overlay::None;
            Vec::new()
        }
        Overlay::Snooze(p) => {
            let Some((label, at)) = p.choices.get(p.selected).cloned() else {
                return Vec::new();
            };
            if p.selected + 1 == p.choices.len() {
                let _ = label;
                forms::open_snooze_date_form(app, p.target);
                return Vec::new();
            }
            app.overlay = Overlay::None;
            snooze_op(app, &p.target, at).into_iter().collect()
        }
        Overlay::Form(form) => match form_effect(app, &form) {
            Ok(effects) => {
                app.overlay = Overlay::None;
                effects
            }
            Err(e) => {
                if let Overlay::Form(f) = &mut app.overlay {
                    f.error = Some(e);
                }
                Vec::new()
            }
        },
        _ => Vec::new(),
    }
}

fn form_effect(app: &mut App, form: &Form) -> Result<Vec<Effect>, String> {
    let now = app.now;
    let me_zone = app.loaded.model.config.me.zone_at(now);
    // New records are built as `tether add` / `tether log` build them (`store::capture`):
    // the same zone rule, id rule, key order and read-back check.
    match form.kind {
        FormKind::AddFollowup | FormKind::LogContact => forms::capture_effect(app, form),
        FormKind::SnoozeDate => {
            let until = when_field(form.value("until"), me_zone, now, false)?;
            let at = match parse_time_value(&until)? {
                TimeValue::Instant(i) => i.with_timezone(&Utc),
                _ => return Err("cannot read that date".into()),
            };
            if at <= now {
                return Err("that is in the past; choose a later time".into());
            }
            let key = form.target.clone().unwrap_or_default();
            Ok(snooze_op(app, &key, at).into_iter().collect())
        }
    }
}
