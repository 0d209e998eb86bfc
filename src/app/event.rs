//! Everything the event loop reacts to, on one channel.

use ratatui::crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize,
    /// A data file changed on disk (debounced).
    DataChanged,
    /// SIGTERM, SIGHUP or SIGINT: restore the terminal and leave.
    Signal(i32),
    /// An alert pass finished (what was sent, and why not if it could not be).
    Alerts(super::alerts::AlertsUpdate),
    /// The closed history, read after the first screen (`Files::open_open_first`).
    History(Box<crate::store::reload::HistoryData>),
}
