//! The clock pane: a row for you, for each extra clock and for each client; each client's
//! business status, the overlap of your working hours with theirs, daylight-saving notices, send
//! windows and the 24h strip.
//!
//! Everyone's hours come from [`super::schedule::Schedule`]; this module only words and arranges
//! what it answers. Everything here is pure: callers pass `now`; nothing reads the system clock.

mod dst;
mod overlap;
mod rows;
mod status;
mod strip;
#[cfg(test)]
mod tests;

pub use super::schedule::SEARCH_DAYS;
pub use super::time::zone_city;
pub use dst::{DstNotice, NOTICE_DAYS, dst_notice, dst_notice_within, next_offset_change};
pub use overlap::{Overlap, overlap_today};
pub use rows::{ClockOf, ClockRow, Team, client_label, clock_rows, closed_notice, teams};
pub use status::{BusinessStatus, SendWindow, business_status, ceil_minute, send_window};
pub use strip::{MAX_STRIP_CELLS, StripCell, day_strip};
