//! Carrying out the effects the update asks for that need no terminal: writes and undo, through
//! the store's safe rewrite. The event loop handles the rest (quit, $EDITOR).

use super::action::{Effect, WriteOp};
use super::state::App;
use crate::store::load::load_dir;
use crate::store::write::Store;
use chrono::{DateTime, Utc};

/// What is left for the event loop after `apply`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Continue,
    Quit,
    Editor {
        path: std::path::PathBuf,
        line: usize,
    },
}

/// Apply one effect; writes reload the data at once so the screen shows the result.
pub fn apply(app: &mut App, store: &Store, effect: Effect, now: DateTime<Utc>) -> Next {
    match effect {
        Effect::Quit => return Next::Quit,
        Effect::OpenEditor { path, line } => return Next::Editor { path, line },
        Effect::Write(op) => {
            let result = match &op {
                WriteOp::Rewrite {
                    file,
                    id,
                    text,
                    changes,
                    label,
                } => store.rewrite(*file, id.as_deref(), text, changes, label, now),
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
                    app.say(format!("undone: {}", u.change.label));
                    app.reload(load_dir(&app.dir.clone()), now);
                    // Put the cursor back on the record the user just brought back.
                    app.select_by_text(&u.change.before);
                    return Next::Continue;
                }
                Ok(None) => app.say("nothing to undo"),
                Err(e) => app.complain(e.to_string()),
            }
        }
    }
    let dir = app.dir.clone();
    app.reload(load_dir(&dir), now);
    Next::Continue
}
