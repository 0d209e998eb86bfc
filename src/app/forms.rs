//! The dashboard's capture forms: what each asks (its fields, their hints and choices), what
//! the typed words mean before they are saved (the preview), and the record they make. The
//! words go through `store::capture`, as `tether add` / `tether log` do, so the two can never
//! write different lines for the same words. Keys moving about a form live in `update`.

use super::action::{Effect, Pane, WriteOp};
use super::state::{App, Field, Form, FormKind, Overlay};
use crate::domain::time::local_date;
use crate::store::capture::{self, ContactWords, FollowupWords};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// The contact kinds offered when logging, heaviest first; any other word can be typed.
const KINDS: &[&str] = &[
    "call", "email", "message", "video", "meeting", "visit", "gift", "delivery",
];

/// A date `days` from today on your calendar, as a hint's example: hints written with fixed
/// dates went stale (issue 14: "hints suggest dates already past").
fn example_date(zone: Tz, now: DateTime<Utc>, days: i64) -> String {
    local_date(zone, now + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn my_zone(app: &App) -> Tz {
    app.loaded.model.config.me.zone_at(app.now)
}

pub(super) fn client_ids(app: &App) -> Vec<String> {
    app.loaded
        .model
        .config
        .clients
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

fn form(kind: FormKind, title: &str, fields: Vec<Field>, focus: usize) -> Overlay {
    Overlay::Form(Form {
        kind,
        title: title.into(),
        fields,
        focus,
        error: None,
        target: None,
        preview: None,
        cycling: None,
    })
}

pub(super) fn open_add_form(app: &mut App) {
    let mut client = Field::text("client", "Tab completes a client id; empty for none");
    client.complete_from = client_ids(app);
    if let Some(c) = app
        .selected_followup_record()
        .and_then(|(_, f)| f.client.clone())
    {
        client.value = c.to_string();
    }
    let mut waiting = Field::text("waiting", "no: you owe it · yes: you wait for them");
    waiting.choices = vec!["no".into(), "yes".into()];
    waiting.value = "no".into();
    let due_hint = format!(
        "fri, tomorrow 17:00, in 3d, {} (optional)",
        example_date(my_zone(app), app.now, 7)
    );
    app.overlay = form(
        FormKind::AddFollowup,
        "Add a follow-up",
        vec![
            Field::text("what", "what you owe them (or wait for)"),
            client,
            Field::text("who", "their person (optional)"),
            Field::text("due", due_hint),
            Field::text(
                "every",
                "week on tue, month on 25, month on last… (optional: it repeats)",
            ),
            waiting,
        ],
        0,
    );
}

/// The log form: the client at hand, the kinds heat weighs (any word can be typed), who
/// prefilled with the client's champion, the note, and when (empty: now).
pub(super) fn open_log_form(app: &mut App) {
    let selected_client = match app.focus {
        Pane::Heat => app.selected_heat().map(|h| h.client.id.clone()),
        Pane::Followups => app
            .selected_followup_record()
            .and_then(|(_, f)| f.client.as_deref().map(str::to_string)),
        _ => None,
    };
    let config = &app.loaded.model.config;
    let mut client = Field::text("client", "Tab completes a client id");
    client.complete_from = client_ids(app);
    client.value = selected_client.unwrap_or_default();
    let mut kind = Field::text("kind", "up/down: the kinds heat weighs; or type any word");
    kind.choices = KINDS.iter().map(|s| s.to_string()).collect();
    for k in config.heat.weights.keys() {
        if !kind.choices.contains(k) {
            kind.choices.push(k.clone());
        }
    }
    kind.open = true;
    kind.value = "call".into();
    let mut who = Field::text(
        "who",
        "who you spoke with (optional; the champion at first)",
    );
    who.value = champion_of(app, &client.value);
    let zone = my_zone(app);
    let when_hint = format!(
        "empty: now · 14:30, yesterday 16:00, {} 10:00 (in the client's zone)",
        example_date(zone, app.now, -2)
    );
    let focus = if client.value.is_empty() { 0 } else { 1 };
    app.overlay = form(
        FormKind::LogContact,
        "Log a contact",
        vec![
            client,
            kind,
            who,
            Field::text("note", "what it was about (optional)"),
            Field::text("when", when_hint),
        ],
        focus,
    );
    preview(app);
}

pub(super) fn open_snooze_date_form(app: &mut App, target: String) {
    let hint = format!(
        "mon 09:00, in 2d, {} (your zone)",
        example_date(my_zone(app), app.now, 7)
    );
    app.overlay = form(
        FormKind::SnoozeDate,
        "Snooze until",
        vec![Field::text("until", hint)],
        0,
    );
    if let Overlay::Form(f) = &mut app.overlay {
        f.target = Some(target);
    }
}

/// The champion of the client `id` names (any case), or nothing.
fn champion_of(app: &App, id: &str) -> String {
    let config = &app.loaded.model.config;
    config
        .clients
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(id.trim()))
        .and_then(|c| c.champion.clone())
        .unwrap_or_default()
}

/// The log form's client changed from `before`: "who" follows it to the new client's
/// champion, unless the user typed a name of their own there.
pub(super) fn client_changed(app: &mut App, before: &str) {
    let Overlay::Form(f) = &app.overlay else {
        return;
    };
    if f.kind != FormKind::LogContact || f.value("client") == before.trim() {
        return;
    }
    let (old, new) = (
        champion_of(app, before),
        champion_of(app, f.value("client")),
    );
    if let Overlay::Form(f) = &mut app.overlay
        && let Some(who) = f.fields.iter_mut().find(|x| x.label == "who")
        && (who.value.trim().is_empty() || who.value.trim() == old)
    {
        who.value = new;
    }
}

/// What the typed words mean, in the client's zone and yours, shown before they are saved
/// (the same reading the save will use: `store::capture`).
pub(super) fn preview(app: &mut App) {
    let (loaded, now) = (&app.loaded, app.now);
    let Overlay::Form(form) = &mut app.overlay else {
        return;
    };
    form.preview = match form.kind {
        FormKind::AddFollowup => capture::followup_due_preview(
            loaded,
            Some(form.value("client")),
            form.value("due"),
            now,
        ),
        FormKind::LogContact => capture::contact_preview(loaded, &contact_words(form), now),
        FormKind::SnoozeDate => None,
    }
    .and_then(Result::ok);
}

fn contact_words(form: &Form) -> ContactWords<'_> {
    let kind = form.value("kind");
    let at = form.value("when");
    ContactWords {
        client: form.value("client"),
        kind: if kind.is_empty() { "call" } else { kind },
        who: Some(form.value("who")),
        note: Some(form.value("note")),
        at: (!at.is_empty()).then_some(at),
    }
}

/// The record a capture form makes, as an append (snoozing to a date is `update`'s).
pub(super) fn capture_effect(app: &App, form: &Form) -> Result<Vec<Effect>, String> {
    let now = app.now;
    let unknown = |e: String| {
        if e.starts_with("unknown client") {
            format!("{e}; Tab completes a known id")
        } else {
            e
        }
    };
    let (file, line, label) = match form.kind {
        FormKind::AddFollowup => {
            if form.value("what").is_empty() {
                return Err("\"what\" is required".into());
            }
            let words = FollowupWords {
                what: form.value("what"),
                client: Some(form.value("client")),
                who: Some(form.value("who")),
                due: Some(form.value("due")),
                waiting: form.value("waiting") == "yes",
                every: Some(form.value("every")),
                ..Default::default()
            };
            // The shell's wording names its flag; the form's field is `every`.
            let c = capture::followup(&app.loaded, now, &words)
                .map_err(|e| e.replace("--every: ", "every: "))
                .map_err(unknown)?;
            (c.file, c.line, c.label)
        }
        FormKind::LogContact => {
            if form.value("client").is_empty() {
                return Err("choose a client (Tab completes)".into());
            }
            let c = capture::contact(&app.loaded, now, &contact_words(form)).map_err(unknown)?;
            (c.file, c.line, c.label)
        }
        FormKind::SnoozeDate => return Ok(Vec::new()),
    };
    Ok(vec![Effect::Write(WriteOp::Append { file, line, label })])
}
