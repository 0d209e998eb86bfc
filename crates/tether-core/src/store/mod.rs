//! The data directory: the only code that touches its files.

pub mod append;
pub mod capture;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod example;
pub mod files;
pub mod fsio;
pub mod journal;
pub mod lines;
pub mod load;
pub mod lock;
pub mod records;
pub mod reload;
pub mod replace;
pub mod snapshot;
pub mod watch;
pub mod write;
