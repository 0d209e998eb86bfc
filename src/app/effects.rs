//! Carrying out the effects the update asks for that need no terminal: writes and undo, through
//! the store's safe rewrite. The event loop handles the rest (quit, $EDITOR).

use super::action::{Effect, WriteOp};
use super::files::Files;
use super::state::App;
use chrono::{DateTime, Utc};

/// What is left for the event loop after `apply`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Continue,
    /// Data changed (a write, an undo): the event loop asks for an alert pass.
    Reloaded,
    Quit,
    Editor {
        path: std::path::PathBuf,
        line: usize,
    },
}

/// Apply one effect; writes reload the data at once so the screen shows the result.
pub fn apply(app: &mut App, files: &mut Files, effect: Effect, now: DateTime<Utc>) -> Next {
    let store = &files.store;
    match effect {
        Effect::Quit => return Next::Quit,
        Effect::OpenEditor { path, line } => return Next::Editor { path, line },
        Effect::ReadNotes(lines) => {
            files.read_notes(app, lines);
            return Next::Continue;
        }
        Effect::Write(op) => {
            let result = match &op {
                WriteOp::Rewrite {
                    file,
                    line,
                    changes,
                    label,
                } => {
                    // The record's id and line as loaded (borrowed, not copied, when typed).
                    let Some((id, text)) = app.record_at(*file, *line) else {
                        app.complain(format!(
                            "{label}: the record is no longer listed; nothing was changed"
                        ));
                        return reloaded(files.sync(app, now));
                    };
                    store.rewrite(*file, id.as_deref(), &text, changes, label, now)
                }
                WriteOp::Append { file, line, label } => store.append(*file, line, label, now),
            };
            match result {
                Ok(change) => app.say(format!("{} — u to undo", change.label)),
                Err(e) => app.complain(e.to_string()),
            }
        }
        Effect::Undo => {
            match store.undo_last(now) {
                Ok(Some(u)) => {
                    match &u.damaged {
                        Some(notice) => {
                            app.complain(format!("undone: {} — {notice}", u.change.label))
                        }
                        None => app.say(format!("undone: {}", u.change.label)),
                    }
                    let changes = files.sync(app, now);
                    // Put the cursor back on the record the user just brought back.
                    files.select_when_in(app, u.change.file, u.line);
                    return reloaded(changes);
                }
                Ok(None) => match store.journal_damage() {
                    Ok(Some(notice)) => app.complain(format!("nothing to undo — {notice}")),
                    _ => app.say("nothing to undo"),
                },
                Err(e) => app.complain(e.to_string()),
            }
        }
    }
    // Only the file written is read again; the watcher's report of this write then finds
    // nothing new.
    reloaded(files.sync(app, now))
}

fn reloaded(changes: crate::store::reload::Changes) -> Next {
    if changes.any() {
        Next::Reloaded
    } else {
        Next::Continue
    }
}
