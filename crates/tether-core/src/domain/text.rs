//! Text from the data on its way out of the program. Every field of the data directory (a title,
//! a name, a city, a note, an id) arrives by hand, by sync or by calendar import, so it may hold
//! control characters a terminal acts on: `ESC[2J` clears the screen, OSC 52 writes the
//! clipboard, OSC 8 makes a link, BEL rings, CR moves back over what was printed, and the C1
//! forms (U+0080–U+009F, e.g. U+009B for CSI) do the same on some terminals. These functions are
//! the one definition of what is taken out; the commands' output (`cli::output`), the calendar
//! export, the status line and the desktop notifications use them (docs/decisions.md).

use std::borrow::Cow;

/// A character a terminal may act on: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F),
/// i.e. Unicode's general category Cc.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Text as it may reach a terminal: line feeds kept (the lines the program writes; a text from
/// the data goes in through [`one_line`]), a tab as a space, every other control character
/// dropped (as ratatui's buffer drops them in the dashboard).
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && c != '\n') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' => Some(' '),
                c if is_control(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// [`printable`] on one line: a line break (LF, CR, CRLF) or a tab as one space, every other
/// control character dropped. For values that must stay on their line (the status line, a
/// notification's summary).
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Every control character shown, not acted on: ESC as `\u{1b}`, a line break as `\u{a}`, so a
/// line stays one line and says what the file holds (`tether check`).
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The start of `s`: at most `max` characters, the last of them `…` when something was cut.
/// For a record's title in a message or the undo journal's label (a title may be 100 MB: this
/// costs `max`, not the title).
pub fn head(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) => {
            let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
            out.push('…');
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_cuts_long_text_only() {
        assert_eq!(head("Send quote", 10), "Send quote");
        assert_eq!(head("Send quotes", 10), "Send quot…");
        assert_eq!(head("日本語のテキスト", 4), "日本語…");
        assert_eq!(head("", 0), "");
        assert_eq!(head("x".repeat(1 << 20).as_str(), 3), "xx…");
    }

    /// Every control character (C0, DEL, C1) in one string, around ordinary text.
    fn all_controls() -> String {
        let mut s = String::from("a");
        for c in (0u32..0x20).chain(0x7f..0xa0) {
            s.push(char::from_u32(c).unwrap_or('?'));
        }
        s.push('b');
        s
    }

    #[test]
    fn printable_keeps_line_feeds_and_drops_the_rest() {
        assert_eq!(printable("plain · 日本"), "plain · 日本");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        // The tab (U+0009) as a space, then the line feed (U+000A).
        assert_eq!(printable(&all_controls()), "a \nb");
        assert_eq!(
            printable("x\u{1b}[2Jy\u{1b}]52;c;aGk=\u{7}z\r\u{9b}1mw"),
            "x[2Jy]52;c;aGk=z1mw"
        );
        assert_eq!(
            printable("\u{1b}]8;;http://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\"),
            "]8;;http://evil\\click]8;;\\"
        );
    }

    #[test]
    fn one_line_turns_breaks_into_spaces() {
        assert_eq!(one_line("a\r\nb\nc\rd\te"), "a b c d e");
        // Tab, LF and CR (not followed by LF) each as a space.
        assert_eq!(one_line(&all_controls()), "a   b");
        assert!(!one_line(&all_controls()).chars().any(char::is_control));
    }

    #[test]
    fn visible_escapes_every_control() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(visible("a\nb\u{9b}"), "a\\u{a}b\\u{9b}");
        assert_eq!(visible("back\\slash"), "back\\slash");
        assert!(!visible(&all_controls()).chars().any(char::is_control));
    }
}
