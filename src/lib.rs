//! tether: a terminal dashboard for freelancers whose clients live in other time zones.
//!
//! The domain and the store live in the `tether-core` crate; they are re-exported here so
//! `tether::domain` and `tether::store` keep naming them.

pub mod alerts;
pub mod app;
pub mod cli;
pub mod ui;

pub use tether_core::{domain, store};
