//! Colours and emphasis. Every style the views use comes from a `Theme`, so `NO_COLOR` (set and
//! non-empty) is honoured in one place: the plain theme uses modifiers only (bold, dim, reversed),
//! and everything that matters is also written as text or a distinct character.

use crate::domain::model::ThemeChoice;
use ratatui::style::{Color, Modifier, Style};
use std::sync::OnceLock;

/// A theme's colours, as 256-colour palette indices.
struct Palette {
    /// Ordinary text, headings, tabs.
    text: u8,
    /// Secondary text (dim, closed).
    dim: u8,
    /// Borders.
    line: u8,
    /// Focus, keys, section headings, the app name.
    accent: u8,
    good: u8,
    caution: u8,
    bad: u8,
    holiday: u8,
    /// Your hours on the 24-hour strip.
    mine: u8,
    /// Heat from cold to hot.
    heat: [u8; 4],
    /// Text on the accent colour (the active tab).
    on_accent: u8,
}

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
    /// The colour theme for a dark terminal (the default): [`Theme::dark`].
    pub fn colour() -> Theme {
        Theme::dark()
    }

    /// Light text for a dark terminal. Colours are from the 256-colour palette, whose RGB values
    /// (unlike the 16 named colours, which each terminal picks) are the same everywhere, so
    /// their contrast can be checked: every text colour reads at WCAG 4.5:1 or more on black and
    /// on the usual dark backgrounds (`tests::text_is_legible_on_its_background`). Palette blue
    /// (`38;5;4`) for cold heat and your hours was barely readable (issue 14).
    pub fn dark() -> Theme {
        Theme::with(Palette {
            text: 252,
            dim: 247,
            line: 244,
            accent: 81,
            good: 114,
            caution: 221,
            bad: 210,
            holiday: 213,
            mine: 111,
            heat: [111, 116, 221, 210],
            on_accent: 16,
        })
    }

    /// Dark text for a light terminal (`[ui] theme = "light"`), checked the same way on white
    /// and the usual light backgrounds.
    pub fn light() -> Theme {
        Theme::with(Palette {
            text: 236,
            dim: 241,
            line: 245,
            accent: 24,
            good: 22,
            caution: 94,
            bad: 124,
            holiday: 90,
            mine: 25,
            heat: [25, 23, 94, 124],
            on_accent: 231,
        })
    }

    fn with(p: Palette) -> Theme {
        let fg = |c: u8| Style::new().fg(Color::Indexed(c));
        Theme {
            colour: true,
            dim: fg(p.dim),
            bold: Style::new().add_modifier(Modifier::BOLD),
            heading: fg(p.text).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            border: fg(p.line),
            border_focus: fg(p.accent).add_modifier(Modifier::BOLD),
            title: fg(p.text),
            title_focus: fg(p.accent).add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            ok: fg(p.good),
            tight: fg(p.caution),
            at_risk: fg(p.bad).add_modifier(Modifier::BOLD),
            overdue: fg(p.bad).add_modifier(Modifier::BOLD | Modifier::REVERSED),
            warn: fg(p.caution).add_modifier(Modifier::BOLD),
            error: fg(p.bad).add_modifier(Modifier::BOLD),
            open: fg(p.good),
            closed: fg(p.dim),
            holiday: fg(p.holiday),
            strip_mine: fg(p.mine),
            strip_theirs: fg(p.caution),
            strip_both: fg(p.good),
            strip_now: fg(p.text).add_modifier(Modifier::BOLD),
            heat: p.heat.map(fg),
            section: fg(p.accent).add_modifier(Modifier::BOLD),
            key: fg(p.accent).add_modifier(Modifier::BOLD),
            tab: fg(p.text),
            tab_active: Style::new()
                .fg(Color::Indexed(p.on_accent))
                .bg(Color::Indexed(p.accent))
                .add_modifier(Modifier::BOLD),
            brand: fg(p.accent).add_modifier(Modifier::BOLD),
            clock: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// The styles that colour text, by name (for the contrast check).
    pub fn text_styles(&self) -> Vec<(&'static str, Style)> {
        let mut v = vec![
            ("dim", self.dim),
            ("heading", self.heading),
            ("border_focus", self.border_focus),
            ("title", self.title),
            ("title_focus", self.title_focus),
            ("ok", self.ok),
            ("tight", self.tight),
            ("at_risk", self.at_risk),
            ("overdue", self.overdue),
            ("warn", self.warn),
            ("error", self.error),
            ("open", self.open),
            ("closed", self.closed),
            ("holiday", self.holiday),
            ("strip_now", self.strip_now),
            ("section", self.section),
            ("key", self.key),
            ("tab", self.tab),
            ("tab_active", self.tab_active),
            ("brand", self.brand),
        ];
        // Heat numbers are text, drawn in the gauge's colour.
        v.extend(
            ["heat cold", "heat cool", "heat warm", "heat hot"]
                .into_iter()
                .zip(self.heat),
        );
        v
    }

    /// The styles that colour lines and blocks, not words (WCAG asks 3:1 of those).
    pub fn graphic_styles(&self) -> Vec<(&'static str, Style)> {
        vec![
            ("border", self.border),
            ("strip_mine", self.strip_mine),
            ("strip_theirs", self.strip_theirs),
            ("strip_both", self.strip_both),
        ]
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

    /// `NO_COLOR` set to anything non-empty means no colour (<https://no-color.org>), whatever
    /// tether.toml chooses; else the chosen theme.
    pub fn for_no_color(no_color: Option<&std::ffi::OsStr>) -> Theme {
        Theme::choose(no_color, ThemeChoice::Dark)
    }

    fn choose(no_color: Option<&std::ffi::OsStr>, choice: ThemeChoice) -> Theme {
        if no_color.is_some_and(|v| !v.is_empty()) {
            Theme::plain()
        } else {
            match choice {
                ThemeChoice::Dark => Theme::dark(),
                ThemeChoice::Light => Theme::light(),
            }
        }
    }

    /// The theme `[ui] theme` chooses, with `NO_COLOR` (read once for the process) first.
    pub fn current(choice: ThemeChoice) -> &'static Theme {
        static THEMES: [OnceLock<Theme>; 2] = [OnceLock::new(), OnceLock::new()];
        let i = match choice {
            ThemeChoice::Dark => 0,
            ThemeChoice::Light => 1,
        };
        THEMES[i].get_or_init(|| Theme::choose(std::env::var_os("NO_COLOR").as_deref(), choice))
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

    /// The RGB of a 256-colour palette index 16-255 (xterm's cube and grey ramp, which
    /// terminals share); None for the 16 named colours, which each terminal sets its own way.
    fn rgb(c: Color) -> Option<[f64; 3]> {
        match c {
            Color::Rgb(r, g, b) => Some([r, g, b].map(f64::from)),
            Color::Indexed(i @ 16..=231) => {
                let level = |n: u8| {
                    if n == 0 {
                        0.0
                    } else {
                        55.0 + 40.0 * f64::from(n)
                    }
                };
                let n = i - 16;
                Some([level(n / 36), level(n / 6 % 6), level(n % 6)])
            }
            Color::Indexed(i @ 232..=255) => Some([8.0 + 10.0 * f64::from(i - 232); 3]),
            _ => None,
        }
    }

    /// WCAG 2 relative luminance.
    fn luminance([r, g, b]: [f64; 3]) -> f64 {
        let lin = |c: f64| {
            let c = c / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    fn hex(h: u32) -> [f64; 3] {
        [(h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff].map(|c| f64::from(c as u8))
    }

    /// Issue 14: cold heat and your hours in palette blue were barely readable on a dark
    /// terminal. Every text colour of each theme must read at 4.5:1 (WCAG AA) on the default
    /// backgrounds of the terminals it is for, lines and blocks at 3:1; a style with its own
    /// background is checked against it.
    #[test]
    fn text_is_legible_on_its_background() {
        // Black, VS Code, One Dark, Solarized dark, GNOME's dark; white, Solarized light, GitHub light.
        let dark = [0x000000, 0x1e1e1e, 0x282c34, 0x002b36, 0x171421].map(hex);
        let light = [0xffffff, 0xfdf6e3, 0xf6f8fa].map(hex);
        let mut failures = Vec::new();
        for (name, theme, backgrounds) in [
            ("dark", Theme::dark(), &dark[..]),
            ("light", Theme::light(), &light[..]),
        ] {
            let styles = theme
                .text_styles()
                .into_iter()
                .map(|s| (s, 4.5))
                .chain(theme.graphic_styles().into_iter().map(|s| (s, 3.0)));
            for ((style_name, style), need) in styles {
                let Some(fg) = style.fg else { continue };
                let Some(fg) = rgb(fg) else {
                    failures.push(format!(
                        "{name}.{style_name}: a named colour, not checkable"
                    ));
                    continue;
                };
                let own_bg = style.bg.map(|b| rgb(b).unwrap_or([0.0; 3]));
                for bg in own_bg.map_or(backgrounds.to_vec(), |b| vec![b]) {
                    let c = contrast(fg, bg);
                    if c < need {
                        failures.push(format!("{name}.{style_name}: {c:.2}:1 on {bg:?}"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        // The check itself: palette blue on black is the audit's complaint.
        assert!(contrast(hex(0x000080), hex(0x000000)) < 4.5);
        assert_eq!(rgb(Color::Indexed(231)), Some([255.0; 3]));
        assert_eq!(rgb(Color::Indexed(16)), Some([0.0; 3]));
    }

    #[test]
    fn no_color_rule() {
        assert!(Theme::for_no_color(None).colour);
        assert!(Theme::for_no_color(Some(OsStr::new(""))).colour);
        assert!(!Theme::for_no_color(Some(OsStr::new("1"))).colour);
        assert!(!Theme::choose(Some(OsStr::new("1")), ThemeChoice::Light).colour);
        assert_eq!(Theme::choose(None, ThemeChoice::Light), Theme::light());
    }
}
