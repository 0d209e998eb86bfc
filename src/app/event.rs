//! Everything the event loop reacts to, on one channel.

use super::state::AlertEntry;
use ratatui::crossterm::event::KeyEvent;

/// What an alert pass found, for the header and the `n` list.
#[derive(Debug, Clone)]
pub struct AlertsUpdate {
    pub warning: Option<String>,
    pub entries: Vec<AlertEntry>,
}

#[derive(Debug, Clone)]
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
    History(Box<crate::store::reload::HistoryData>),
}
