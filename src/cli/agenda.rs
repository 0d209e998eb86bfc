//! `tether agenda`: the four panes as plain text.

use crate::store::load::Loaded;
use chrono::{DateTime, Utc};

pub fn render(loaded: &Loaded, now: DateTime<Utc>) -> String {
    let _ = (loaded, now);
    String::new()
}
