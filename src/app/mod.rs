//! The dashboard: state, the key map, the pure update, and the event loop at the edge.

pub mod action;
pub mod keymap;
pub mod state;
pub mod update;
