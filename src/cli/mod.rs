//! The command line: subcommands that print, check and initialise, sharing the domain core.

pub mod agenda;
pub mod args;
pub mod capture;
pub mod complete;
pub mod docs;
pub mod ics;
pub mod import;
pub mod light;
pub mod man;
pub mod output;
pub mod review;
pub mod run;
pub mod slots;
pub mod status;
pub mod status_cache;
pub mod sync;
pub mod track;
