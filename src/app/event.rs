//! Everything the event loop reacts to, on one channel.

use super::state::{AlertEntry, Prepared};
use crate::store::load::Loaded;
use crate::store::notes::Note;
use crate::store::reload::{History, HistoryData, Reloader, Reread};
use ratatui::crossterm::event::KeyEvent;

/// What an alert pass found, for the header and the `n` list.
#[derive(Debug, Clone)]
pub struct AlertsUpdate {
    pub warning: Option<String>,
    pub entries: Vec<AlertEntry>,
}

#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Resize,
    /// A data file changed on disk (debounced).
    DataChanged,
    /// A signal (`app::signals`): one that would end the process (restore the terminal and
    /// leave), SIGTSTP (suspend) or SIGCONT (take the terminal back).
    Signal(i32),
    /// An alert pass finished (what was sent, and why not if it could not be).
    Alerts(AlertsUpdate),
    /// The closed history, read after the first screen (`Files::open_open_first`).
    History(Box<HistoryData>),
    /// A step of the first load, read off the screen's thread (`Files::start`).
    Load(FirstLoad),
    /// A long reload, read off the screen's thread (`Files::sync`).
    Reread(Box<Reread>),
    /// The notes a client page asked for, read off the screen's thread (`Files::read_notes`).
    Notes(Box<NotesRead>),
    /// A thread reading the data panicked (a bug): raised again on the event loop's thread.
    Panicked(Box<dyn std::any::Any + Send>),
}

/// The notes of the contact log's `lines`, or why they could not be read.
#[derive(Debug)]
pub struct NotesRead {
    pub lines: Vec<usize>,
    pub notes: Result<Vec<(usize, Note)>, String>,
}

/// The first load's steps (`Files::start`), in this order.
#[derive(Debug)]
pub enum FirstLoad {
    /// tether.toml alone (no records), and the sizes of deadlines.jsonl, followups.jsonl and
    /// interactions.jsonl (None: not there).
    Config {
        config: Box<Loaded>,
        sizes: [Option<u64>; 3],
    },
    /// Everything the first screen shows, with its board; the closed history still to read
    /// on a big directory (`Reloader::load_open_first`).
    Done {
        reloader: Box<Reloader>,
        prepared: Box<Prepared>,
        history: Option<Box<History>>,
    },
}
