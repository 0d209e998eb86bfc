//! The command line: subcommands that print, check and initialise, sharing the domain core.

pub mod agenda;
pub mod args;
pub mod run;
