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
    /// A background task (alerts) has something to report.
    Notice(String),
}
