//! The dashboard: state, the key map, the pure update, and the event loop at the edge.

pub mod action;
pub mod alerts;
pub mod effects;
pub mod event;
pub mod files;
mod forms;
pub mod input;
pub mod keymap;
pub mod run;
pub mod signals;
pub mod state;
pub mod update;
