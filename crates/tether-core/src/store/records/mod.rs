//! The JSON-lines files -> typed records, with a `FILE:LINE[:COL]` diagnostic for every
//! line that is skipped or suspicious. Loading never stops at a bad line.
//!
//! A file is read in chunks cut at line boundaries ([`parse_chunk`]), each chunk on its own and
//! possibly on another thread, and the chunks are then put together in order ([`merge()`]):
//! numbering the lines, dropping repeated ids (the first line wins), spending the "did you mean"
//! budget in line order and capping the messages, so the result is exactly that of reading the
//! whole file line by line. [`parse_deadlines`] and friends are one chunk and one merge.
//!
//! One module per file kind, each with its keys and checks ([`deadline`], [`followup`],
//! [`interaction`]); what they share is in [`fields`] (reading a line's fields) and [`mod@merge`]
//! (putting chunks together).

pub(crate) mod closed;
pub mod deadline;
pub mod fields;
pub mod followup;
pub mod interaction;
pub(crate) mod jsonline;
pub mod merge;
pub mod reread;
pub mod timelog;

pub use super::files::{DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, TIMELOG_FILE};
pub use deadline::{Deadlines, parse_deadlines};
pub use fields::{
    Chunk, Ctx, Fields, Keep, Kind, MAX_DIAGNOSTICS_PER_FILE, Mode, Skip, parse_chunk,
};
pub use followup::{Followups, parse_followups};
pub use interaction::{Interactions, parse_interactions};
pub use merge::{Merger, merge, parse_text};
pub use reread::ReadAgain;
pub use timelog::{TimeLine, TimeLines, parse_timelog, parse_timelog_lines};

#[cfg(test)]
mod tests;
