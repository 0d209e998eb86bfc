//! tether: a terminal dashboard for freelancers whose clients live in other time zones.

pub mod alerts;
pub mod app;
pub mod cli;
pub mod domain;
pub mod store;
pub mod ui;
