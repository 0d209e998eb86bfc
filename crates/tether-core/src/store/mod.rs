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
pub mod json_scan;
pub mod line_edit;
pub mod lines;
pub mod load;
pub mod lock;
pub mod machine;
pub mod notes;
pub mod records;
pub mod reload;
pub mod replace;
pub mod scan;
pub mod snapshot;
pub mod splice;
pub mod swap;
pub mod undo;
pub mod watch;
pub mod write;
