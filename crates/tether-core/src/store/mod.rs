//! The data directory: the only code that touches its files.

pub mod capture;
pub mod config;
pub mod diagnostic;
pub mod example;
pub mod files;
pub mod lines;
pub mod load;
pub mod records;
pub mod reload;
pub mod watch;
pub mod write;
