//! What a key asks for (Action) and what the update asks the edge to do (Effect).

use crate::store::lines::FieldChange;
use crate::store::write::DataFile;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Clocks,
    Deadlines,
    Heat,
    Followups,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Clocks, Pane::Deadlines, Pane::Heat, Pane::Followups];

    pub fn title(&self) -> &'static str {
        match self {
            Pane::Clocks => "World clocks",
            Pane::Deadlines => "Deadlines",
            Pane::Heat => "Client heat",
            Pane::Followups => "Follow-ups",
        }
    }

    pub fn index(&self) -> usize {
        Pane::ALL.iter().position(|p| p == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Problems,
    Alerts,
    Focus(Pane),
    NextPane,
    PrevPane,
    Up,
    Down,
    Top,
    Bottom,
    Open,
    Back,
    Done,
    Snooze,
    SnoozePicker,
    Edit,
    Add,
    Log,
    Undo,
    Filter,
    ToggleClosed,
    /// The clocks' scrubber: an hour or a day earlier or later, or back to now.
    HourEarlier,
    HourLater,
    DayEarlier,
    DayLater,
    BackToNow,
    /// The week view: seven days by the hour, you and every client.
    Week,
    /// The best meeting slots with the client of the selected clock row.
    Slots,
    /// The weekly review of this week, as `tether review` prints it.
    Review,
    /// Start the timer on the selected deadline (or client), or stop the one running on it.
    Timer,
    /// Form and picker keys.
    Submit,
    NextField,
    PrevField,
    /// Empty the text field (Ctrl-U, as in a shell).
    ClearField,
    /// Delete the word before the cursor (Ctrl-W).
    DeleteWord,
}

/// A change to the data files, carried out by the store at the edge.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOp {
    /// Change the listed record at `line` of `file` (its line when loaded). The effect names
    /// it rather than carrying a copy of its line, which may be 100 MB.
    Rewrite {
        file: DataFile,
        line: usize,
        changes: Vec<FieldChange>,
        label: String,
    },
    Append {
        file: DataFile,
        line: String,
        label: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Write(WriteOp),
    Undo,
    /// Read the notes of these lines of the contact log (each with the client it should be
    /// of), for the open client page (`App::notes_request`, `App::notes_arrived`).
    ReadNotes(Vec<(usize, String)>),
    /// Suspend the dashboard and open the file in $EDITOR at that line.
    OpenEditor {
        path: PathBuf,
        line: usize,
    },
    Quit,
}
