//! tether: a terminal dashboard for freelancers whose clients live in other time zones.

pub mod domain;
pub mod store;
