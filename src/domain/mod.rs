//! Pure domain logic: no terminal, no file I/O; every computation takes `now`.

pub mod model;
pub mod time;
