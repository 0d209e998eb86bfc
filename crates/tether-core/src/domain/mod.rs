//! Pure domain logic: no terminal, no file I/O; every computation takes `now`.

pub mod billing;
pub mod board;
pub mod capacity;
pub mod client_page;
pub mod clocks;
pub mod followups;
pub mod gifts;
pub mod heat;
pub mod held;
pub mod holidays;
pub mod ids;
pub mod milestone;
pub mod model;
pub mod people;
pub mod recur;
pub mod retainer;
pub mod review;
pub mod risk;
pub mod schedule;
pub mod slots;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod text;
pub mod time;
pub mod timelog;
pub mod week;
pub mod when;
