//! The one way out to the terminal for every command (`agenda`, `status`, `add`, `log`, `check`,
//! `notify`, `init`, the errors `main` prints): whatever a command prints goes through here, and
//! here every control character is taken out of it (`domain::text::printable`: line feeds kept,
//! a tab as a space, ESC, BEL, CR, DEL and C1 dropped). A command builds its text with the data in
//! it and hands it over whole, so no field, present or future, can reach the terminal raw.
//! `tests/output_boundary.rs` checks that no other module of the commands prints.
//!
//! `tether check` shows the characters instead (`domain::text::visible`), then prints here too.
//! `tether export ics` writes the calendar itself: its text values drop control characters when
//! escaped (RFC 5545 allows none), and its CRLF line ends are the format's.

use crate::domain::text::printable;
use std::io::Write;

/// Standard output: `text` as it is (with its own line feeds), control characters dropped.
pub fn out(text: &str) -> std::io::Result<()> {
    write_to(&mut std::io::stdout().lock(), text, "")
}

/// Standard output: `text` and a line feed.
pub fn out_line(text: &str) -> std::io::Result<()> {
    write_to(&mut std::io::stdout().lock(), text, "\n")
}

/// Standard error: `text` and a line feed. A message that cannot be written is lost: there is
/// nowhere left to say so.
pub fn err_line(text: &str) {
    let _ = write_to(&mut std::io::stderr().lock(), text, "\n");
}

fn write_to(w: &mut impl Write, text: &str, end: &str) -> std::io::Result<()> {
    w.write_all(printable(text).as_bytes())?;
    w.write_all(end.as_bytes())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_drop_control_characters() {
        let mut buf = Vec::new();
        write_to(&mut buf, "a\u{1b}[2J\u{7}b\r\nc\u{9d}", "\n").unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "a[2Jb\nc\n");
    }
}
