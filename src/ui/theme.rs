//! Colours and emphasis. Every style the views use comes from a `Theme`, so `NO_COLOR` (set and
//! non-empty) is honoured in one place: the plain theme uses modifiers only (bold, dim, reversed),
//! and everything that matters is also written as text or a distinct character.

use ratatui::style::{Color, Modifier, Style};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are used at all (false under `NO_COLOR`).
    pub colour: bool,
    pub dim: Style,
    pub bold: Style,
    /// Table column headings.
    pub heading: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub title_focus: Style,
    /// The selected row of the focused pane, the chosen item of a picker.
    pub selected: Style,
    pub ok: Style,
    pub tight: Style,
    pub at_risk: Style,
    pub overdue: Style,
    pub warn: Style,
    pub error: Style,
    /// Business status.
    pub open: Style,
    pub closed: Style,
    pub holiday: Style,
    /// The 24-hour strip: your hours only, theirs only, both, the current cell.
    pub strip_mine: Style,
    pub strip_theirs: Style,
    pub strip_both: Style,
    pub strip_now: Style,
    /// Heat gauge by warmth: below 25, below 50, below 75, above.
    pub heat: [Style; 4],
    /// Follow-up section headings.
    pub section: Style,
    /// Key names in the footer and help.
    pub key: Style,
    pub tab: Style,
    pub tab_active: Style,
    /// Header: the app name and your clock.
    pub brand: Style,
    pub clock: Style,
}

impl Theme {
    /// The full-colour theme.
    pub fn colour() -> Theme {
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            colour: true,
            dim: Style::new().fg(Color::DarkGray),
            bold: Style::new().add_modifier(Modifier::BOLD),
            heading: Style::new()
                .fg(Color::Gray)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: fg(Color::Gray),
            title_focus: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            ok: fg(Color::Green),
            tight: fg(Color::Yellow),
            at_risk: fg(Color::Red).add_modifier(Modifier::BOLD),
            overdue: fg(Color::Red).add_modifier(Modifier::BOLD | Modifier::REVERSED),
            warn: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            error: fg(Color::Red).add_modifier(Modifier::BOLD),
            open: fg(Color::Green),
            closed: fg(Color::DarkGray),
            holiday: fg(Color::Magenta),
            strip_mine: fg(Color::Blue),
            strip_theirs: fg(Color::Yellow),
            strip_both: fg(Color::Green),
            strip_now: fg(Color::White).add_modifier(Modifier::BOLD),
            heat: [
                fg(Color::Blue),
                fg(Color::Cyan),
                fg(Color::Yellow),
                fg(Color::LightRed),
            ],
            section: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            tab: fg(Color::Gray),
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            brand: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            clock: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// The `NO_COLOR` theme: emphasis by modifiers only, never a colour.
    pub fn plain() -> Theme {
        let m = |m: Modifier| Style::new().add_modifier(m);
        let none = Style::new();
        Theme {
            colour: false,
            dim: m(Modifier::DIM),
            bold: m(Modifier::BOLD),
            heading: m(Modifier::BOLD | Modifier::UNDERLINED),
            border: none,
            border_focus: m(Modifier::BOLD),
            title: none,
            title_focus: m(Modifier::BOLD | Modifier::REVERSED),
            selected: m(Modifier::REVERSED),
            ok: none,
            tight: none,
            at_risk: m(Modifier::BOLD),
            overdue: m(Modifier::BOLD | Modifier::REVERSED),
            warn: m(Modifier::BOLD),
            error: m(Modifier::BOLD),
            open: none,
            closed: m(Modifier::DIM),
            holiday: m(Modifier::ITALIC),
            strip_mine: none,
            strip_theirs: none,
            strip_both: none,
            strip_now: m(Modifier::BOLD),
            heat: [none; 4],
            section: m(Modifier::BOLD),
            key: m(Modifier::BOLD),
            tab: none,
            tab_active: m(Modifier::BOLD | Modifier::REVERSED),
            brand: m(Modifier::BOLD),
            clock: m(Modifier::BOLD),
        }
    }

    /// `NO_COLOR` set to anything non-empty means no colour (<https://no-color.org>).
    pub fn for_no_color(no_color: Option<&std::ffi::OsStr>) -> Theme {
        if no_color.is_some_and(|v| !v.is_empty()) {
            Theme::plain()
        } else {
            Theme::colour()
        }
    }

    pub fn from_env() -> Theme {
        Theme::for_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for this process, read from the environment once.
    pub fn current() -> &'static Theme {
        static THEME: OnceLock<Theme> = OnceLock::new();
        THEME.get_or_init(Theme::from_env)
    }

    /// The gauge style for a heat of 0-100.
    pub fn heat_style(&self, heat: f64) -> Style {
        let i = if heat < 25.0 {
            0
        } else if heat < 50.0 {
            1
        } else if heat < 75.0 {
            2
        } else {
            3
        };
        self.heat[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_rule() {
        assert!(Theme::for_no_color(None).colour);
        assert!(Theme::for_no_color(Some(OsStr::new(""))).colour);
        assert!(!Theme::for_no_color(Some(OsStr::new("1"))).colour);
    }
}
