//! Drawing: every pane and overlay is drawn from `App` state; drawing changes nothing.

use crate::app::state::App;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App) {
    let _ = (frame, app);
}
