//! The comment that opens each record file the examples write, saying what goes in it.

pub const DEADLINES_HEADER: &str =
    "# One deadline per line. \"due\" is in the client's zone unless it carries an offset.\n";
pub const FOLLOWUPS_HEADER: &str =
    "# What you owe each client, and (\"waiting\": true) what you are waiting for from them.\n";
pub const CONTACTS_HEADER: &str =
    "# Every contact with a client, newest last. tether only ever appends here.\n";
pub const TIMELOG_HEADER: &str = "# Time spent on a deadline or a client (the timer, `tether track`). tether only ever appends here.\n";
