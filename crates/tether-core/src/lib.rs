//! tether's core: the domain (pure rules about time, deadlines, clients and follow-ups) and the
//! store (the data directory's files). No terminal, no notifications: the app builds on this.

pub mod domain;
pub mod store;
