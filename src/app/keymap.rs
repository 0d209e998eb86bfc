//! One table of key bindings drives both key handling and the help overlay / footer hints.

use super::action::{Action, Pane};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere on the dashboard (no form open).
    Global,
    /// Only when this pane has the focus.
    In(&'static [Pane]),
    /// Inside a form, the filter line or the snooze picker.
    Form,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [&'static str],
    pub action: Action,
    pub scope: Scope,
    pub help: &'static str,
    /// Shown in the footer when it applies.
    pub footer: bool,
}

const FU: &[Pane] = &[Pane::Followups];
const DL_FU: &[Pane] = &[Pane::Deadlines, Pane::Followups];
const HEAT_FU: &[Pane] = &[Pane::Heat, Pane::Followups];
const LISTS: &[Pane] = &[Pane::Deadlines, Pane::Heat, Pane::Followups];

const fn b(
    keys: &'static [&'static str],
    action: Action,
    scope: Scope,
    help: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        action,
        scope,
        help,
        footer,
    }
}

pub const BINDINGS: &[Binding] = &[
    b(&["x"], Action::Done, Scope::In(DL_FU), "mark done", true),
    b(
        &["s"],
        Action::Snooze,
        Scope::In(FU),
        "snooze to your next working day",
        true,
    ),
    b(
        &["S"],
        Action::SnoozePicker,
        Scope::In(FU),
        "snooze to… (1h, tomorrow, next week, date)",
        true,
    ),
    b(
        &["e"],
        Action::Edit,
        Scope::In(DL_FU),
        "open the line in $EDITOR",
        true,
    ),
    b(&["a"], Action::Add, Scope::In(FU), "add a follow-up", true),
    b(
        &["l"],
        Action::Log,
        Scope::In(HEAT_FU),
        "log a contact with the client",
        true,
    ),
    b(&["enter"], Action::Open, Scope::In(DL_FU), "details", true),
    b(
        &["u"],
        Action::Undo,
        Scope::Global,
        "undo the last change",
        true,
    ),
    b(
        &["/"],
        Action::Filter,
        Scope::Global,
        "filter by text",
        false,
    ),
    b(
        &["z"],
        Action::ToggleClosed,
        Scope::Global,
        "show/hide snoozed and done",
        false,
    ),
    b(
        &["j", "down"],
        Action::Down,
        Scope::In(LISTS),
        "move down",
        false,
    ),
    b(&["k", "up"], Action::Up, Scope::In(LISTS), "move up", false),
    b(
        &["g", "home"],
        Action::Top,
        Scope::In(LISTS),
        "first item",
        false,
    ),
    b(
        &["G", "end"],
        Action::Bottom,
        Scope::In(LISTS),
        "last item",
        false,
    ),
    b(
        &["1"],
        Action::Focus(Pane::Clocks),
        Scope::Global,
        "world clocks",
        false,
    ),
    b(
        &["2"],
        Action::Focus(Pane::Deadlines),
        Scope::Global,
        "deadlines",
        false,
    ),
    b(
        &["3"],
        Action::Focus(Pane::Heat),
        Scope::Global,
        "client heat",
        false,
    ),
    b(
        &["4"],
        Action::Focus(Pane::Followups),
        Scope::Global,
        "follow-ups",
        false,
    ),
    b(&["tab"], Action::NextPane, Scope::Global, "next pane", true),
    b(
        &["backtab"],
        Action::PrevPane,
        Scope::Global,
        "previous pane",
        false,
    ),
    b(
        &["!"],
        Action::Problems,
        Scope::Global,
        "problems in the data files",
        false,
    ),
    b(&["n"], Action::Alerts, Scope::Global, "alerts sent", false),
    b(&["?"], Action::Help, Scope::Global, "this help", true),
    b(
        &["esc"],
        Action::Back,
        Scope::Global,
        "close the overlay / clear the filter",
        false,
    ),
    b(&["q", "ctrl-c"], Action::Quit, Scope::Global, "quit", true),
    b(
        &["enter"],
        Action::Submit,
        Scope::Form,
        "save / choose",
        true,
    ),
    b(
        &["tab"],
        Action::NextField,
        Scope::Form,
        "next field (completes a client)",
        true,
    ),
    b(
        &["backtab"],
        Action::PrevField,
        Scope::Form,
        "previous field",
        false,
    ),
    b(&["up"], Action::Up, Scope::Form, "previous choice", false),
    b(&["down"], Action::Down, Scope::Form, "next choice", false),
    b(&["esc"], Action::Back, Scope::Form, "cancel", true),
    b(&["ctrl-c"], Action::Quit, Scope::Form, "quit", false),
];

/// The text name of a key event, as written in the table ("x", "S", "ctrl-c", "enter").
pub fn key_name(k: &KeyEvent) -> Option<String> {
    let base = match k.code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "backtab".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Delete => "delete".into(),
        _ => return None,
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        Some(format!("ctrl-{base}"))
    } else {
        Some(base)
    }
}

fn applies(scope: Scope, focus: Pane, in_form: bool) -> bool {
    match scope {
        Scope::Form => in_form,
        Scope::Global => !in_form,
        Scope::In(panes) => !in_form && panes.contains(&focus),
    }
}

/// The action bound to `key` where the user is now; pane bindings win over global ones.
pub fn lookup(key: &KeyEvent, focus: Pane, in_form: bool) -> Option<Action> {
    let name = key_name(key)?;
    let mut found = BINDINGS
        .iter()
        .filter(|b| applies(b.scope, focus, in_form) && b.keys.contains(&name.as_str()));
    let first = found.clone().find(|b| matches!(b.scope, Scope::In(_)));
    first.or_else(|| found.next()).map(|b| b.action)
}

/// The bindings that apply now and are marked for the footer, in table order.
pub fn footer_hints(focus: Pane, in_form: bool) -> Vec<(&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.footer && applies(b.scope, focus, in_form))
        .map(|b| (b.keys[0], short_help(b.help)))
        .collect()
}

/// Footer text: the first word or two of the help text.
fn short_help(help: &'static str) -> &'static str {
    match help.find([' ', '(', '…']) {
        Some(p) if help[..p].len() >= 3 => &help[..p],
        _ => help.split(" (").next().unwrap_or(help),
    }
}

/// Every binding grouped for the help overlay: (section title, [(keys, help)]).
pub fn help_sections() -> Vec<(String, Vec<(String, &'static str)>)> {
    let mut sections: Vec<(String, Vec<(String, &'static str)>)> = Vec::new();
    for b in BINDINGS {
        let title = match b.scope {
            Scope::Global => "Anywhere".to_string(),
            Scope::Form => "In a form or picker".to_string(),
            Scope::In(panes) => panes
                .iter()
                .map(|p| p.title())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let keys = b.keys.join(" / ");
        match sections.iter_mut().find(|(t, _)| *t == title) {
            Some((_, v)) => v.push((keys, b.help)),
            None => sections.push((title, vec![(keys, b.help)])),
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn pane_scoped_keys() {
        assert_eq!(
            lookup(&key('x'), Pane::Followups, false),
            Some(Action::Done)
        );
        assert_eq!(lookup(&key('x'), Pane::Clocks, false), None);
        assert_eq!(lookup(&key('s'), Pane::Deadlines, false), None);
        assert_eq!(lookup(&key('q'), Pane::Heat, false), Some(Action::Quit));
        assert_eq!(lookup(&key('q'), Pane::Heat, true), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&ctrl_c, Pane::Heat, true), Some(Action::Quit));
        let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(lookup(&tab, Pane::Heat, false), Some(Action::NextPane));
        assert_eq!(lookup(&tab, Pane::Heat, true), Some(Action::NextField));
        let shift_s = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&shift_s, Pane::Followups, false),
            Some(Action::SnoozePicker)
        );
    }

    #[test]
    fn every_binding_is_in_help_and_keys_do_not_clash() {
        let help = help_sections();
        let n: usize = help.iter().map(|(_, v)| v.len()).sum();
        assert_eq!(n, BINDINGS.len());
        for p in Pane::ALL {
            for form in [false, true] {
                let mut seen = std::collections::HashSet::new();
                for b in BINDINGS.iter().filter(|b| applies(b.scope, p, form)) {
                    for k in b.keys {
                        let scoped = matches!(b.scope, Scope::In(_));
                        assert!(
                            seen.insert((*k, scoped)),
                            "{k} bound twice in {p:?} form={form}"
                        );
                    }
                }
            }
        }
    }
}
