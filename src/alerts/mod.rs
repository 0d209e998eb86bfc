//! Desktop alerts: which are due and not yet sent (pure), the record of what was sent, and the
//! notify-rust sender.
//!
//! - [`rules`]: what deserves an alert at an instant (pure), one record at a time.
//! - [`pending`]: the alerts of a pass, every record folded through the flood guard (`fold`)
//!   against what was sent (`sent_index`; a flood's items recorded by `digest`).
//! - [`quiet`]: quiet hours and when a held alert may go out (pure).
//! - [`wakeup`]: the next instant at which any alert level can change (pure).
//! - [`record`]: `DATA_DIR/.tether/alerts.jsonl`, the append-only log of sent alerts.
//! - [`send`]: one desktop notification over D-Bus, off-thread with a bounded wait.
//! - [`pass`]: the [`Alerter`] that ties them together for the dashboard and the CLI.
//! - [`command`]: `tether notify --once | --watch`.
//!
//! The rules are written down for users in `docs/alerts.md`.

pub mod command;
mod digest;
mod fold;
pub mod level;
pub mod pass;
pub mod pending;
pub mod quiet;
pub mod record;
pub mod rules;
pub mod send;
mod sent_index;
pub mod stream;
mod text;
pub mod wakeup;

#[cfg(test)]
mod keep_tests;
#[cfg(test)]
mod tests;

pub use command::notify_command;
pub use pass::{Alerter, PassReport};
pub use pending::{any_sent, due_alerts, pending_alerts};
pub use quiet::{is_quiet, next_send_time};
pub use record::{RecordError, SentEntry, read_sent, record_sent, sent_log};
pub use rules::{Alert, AlertItem, ItemFile, Level, Urgency};
pub use send::{DEFAULT_TIMEOUT, SendError, send};
pub use wakeup::next_wakeup;
