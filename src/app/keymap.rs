//! One table of key bindings drives both key handling and the help overlay / footer hints.

use super::action::{Action, Pane};
use crate::domain::model::Config;
pub use crate::domain::model::KeyOverride;
use crate::store::diagnostic::{Count, Diagnostic};
use crate::store::load::Loaded;
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
    /// Choosing among fixed choices: the snooze picker, or a form field of choices (where
    /// letters type nothing, so `j`/`k` can move).
    Picker,
    /// On a client's page (the pane keys behind it do not apply there).
    Page,
}

/// Where keys are read now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The board: a pane has the focus.
    Board,
    /// Typing in a form's text field or the filter line.
    Form,
    /// In the snooze picker or on a form field of fixed choices.
    Picker,
    /// On a client's page.
    Page,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Binding {
    pub keys: &'static [&'static str],
    pub action: Action,
    pub scope: Scope,
    pub help: &'static str,
    /// One or two words for the footer.
    pub short: &'static str,
    /// Shown in the footer when it applies.
    pub footer: bool,
}

const FU: &[Pane] = &[Pane::Followups];
const DL_FU: &[Pane] = &[Pane::Deadlines, Pane::Followups];
const HEAT_FU: &[Pane] = &[Pane::Heat, Pane::Followups];
const CLOCKS: &[Pane] = &[Pane::Clocks];
const CLOCKS_HEAT: &[Pane] = &[Pane::Clocks, Pane::Heat];
const DL_CLOCKS_HEAT: &[Pane] = &[Pane::Deadlines, Pane::Clocks, Pane::Heat];
const LISTS: &[Pane] = &[Pane::Clocks, Pane::Deadlines, Pane::Heat, Pane::Followups];

const fn b(
    keys: &'static [&'static str],
    action: Action,
    scope: Scope,
    help: &'static str,
    short: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        action,
        scope,
        help,
        short,
        footer,
    }
}

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(&["x"], Action::Done, Scope::In(DL_FU), "mark done", "done", true),
    b(&["s"], Action::Snooze, Scope::In(FU), "snooze to your next working day", "snooze", true),
    b(&["S"], Action::SnoozePicker, Scope::In(FU), "snooze to… (1h, tomorrow, next week, date)", "snooze…", true),
    b(&["e"], Action::Edit, Scope::In(DL_FU), "open the line in $EDITOR", "edit", true),
    b(&["t"], Action::Timer, Scope::In(DL_CLOCKS_HEAT), "start / stop the timer on it", "timer", true),
    b(&["a"], Action::Add, Scope::In(FU), "add a follow-up", "add", true),
    b(&["l"], Action::Log, Scope::In(HEAT_FU), "log a contact with the client", "log", true),
    b(&["enter"], Action::Open, Scope::In(DL_FU), "details", "details", true),
    b(&["enter"], Action::Open, Scope::In(CLOCKS_HEAT), "the client's page", "client page", true),
    b(&["h", "left"], Action::HourEarlier, Scope::In(CLOCKS), "view the clocks an hour earlier", "-1h", true),
    b(&["l", "right"], Action::HourLater, Scope::In(CLOCKS), "view the clocks an hour later", "+1h", true),
    b(&["H"], Action::DayEarlier, Scope::In(CLOCKS), "view the clocks a day earlier", "-1d", false),
    b(&["L"], Action::DayLater, Scope::In(CLOCKS), "view the clocks a day later", "+1d", false),
    b(&["."], Action::BackToNow, Scope::Global, "clocks back to now", "now", false),
    b(&["m"], Action::Slots, Scope::In(CLOCKS), "meeting slots with the client (next 5 days, 1h)", "meet", true),
    b(&["R"], Action::Review, Scope::Global, "the weekly review (as tether review prints it)", "review", false),
    b(&["w"], Action::Week, Scope::Global, "the week: your hours, clients' hours, deadlines", "week", false),
    b(&["u"], Action::Undo, Scope::Global, "undo the last change", "undo", true),
    b(&["/"], Action::Filter, Scope::Global, "filter by text, client, city, champion or contact", "filter", false),
    b(&["z"], Action::ToggleClosed, Scope::Global, "show/hide snoozed and done", "snoozed/done", false),
    b(&["j", "down"], Action::Down, Scope::In(LISTS), "move down", "down", false),
    b(&["k", "up"], Action::Up, Scope::In(LISTS), "move up", "up", false),
    b(&["g", "home"], Action::Top, Scope::In(LISTS), "first item", "top", false),
    b(&["G", "end"], Action::Bottom, Scope::In(LISTS), "last item", "bottom", false),
    b(&["1"], Action::Focus(Pane::Clocks), Scope::Global, "world clocks", "clocks", false),
    b(&["2"], Action::Focus(Pane::Deadlines), Scope::Global, "deadlines", "deadlines", false),
    b(&["3"], Action::Focus(Pane::Heat), Scope::Global, "client heat", "heat", false),
    b(&["4"], Action::Focus(Pane::Followups), Scope::Global, "follow-ups", "follow-ups", false),
    b(&["tab"], Action::NextPane, Scope::Global, "next pane", "next pane", true),
    b(&["backtab"], Action::PrevPane, Scope::Global, "previous pane", "prev pane", false),
    b(&["!"], Action::Problems, Scope::Global, "problems in the data files", "problems", false),
    b(&["n"], Action::Alerts, Scope::Global, "alerts sent", "alerts", false),
    b(&["?"], Action::Help, Scope::Global, "this help", "help", true),
    b(&["esc"], Action::Back, Scope::Global, "close the overlay / clear the filter", "back", false),
    b(&["q", "ctrl-c"], Action::Quit, Scope::Global, "quit", "quit", true),
    b(&["j", "down"], Action::Down, Scope::Page, "scroll down", "scroll", true),
    b(&["k", "up"], Action::Up, Scope::Page, "scroll up", "up", false),
    b(&["g", "home"], Action::Top, Scope::Page, "to the top", "top", false),
    b(&["G", "end"], Action::Bottom, Scope::Page, "to the end", "end", false),
    b(&["esc"], Action::Back, Scope::Page, "close the page", "close", true),
    b(&["h", "left"], Action::HourEarlier, Scope::Page, "its status an hour earlier", "-1h", true),
    b(&["l", "right"], Action::HourLater, Scope::Page, "its status an hour later", "+1h", true),
    b(&["H"], Action::DayEarlier, Scope::Page, "its status a day earlier", "-1d", false),
    b(&["L"], Action::DayLater, Scope::Page, "its status a day later", "+1d", false),
    b(&["enter"], Action::Submit, Scope::Form, "save / choose", "save", true),
    b(&["tab"], Action::NextField, Scope::Form, "next field (completes a client)", "next field", true),
    b(&["backtab"], Action::PrevField, Scope::Form, "previous field", "prev field", false),
    b(&["up"], Action::Up, Scope::Form, "previous choice, or the field above", "up", false),
    b(&["down"], Action::Down, Scope::Form, "next choice, or the field below", "down", false),
    b(&["j"], Action::Down, Scope::Picker, "next choice", "down", false),
    b(&["k"], Action::Up, Scope::Picker, "previous choice", "up", false),
    b(&["ctrl-u"], Action::ClearField, Scope::Form, "clear the field", "clear", false),
    b(&["ctrl-w"], Action::DeleteWord, Scope::Form, "delete the last word", "delete word", false),
    b(&["esc"], Action::Back, Scope::Form, "cancel", "cancel", true),
    b(&["ctrl-c"], Action::Quit, Scope::Form, "quit", "quit", false),
];

/// The name of an action in `[keys]` of tether.toml (`done = "d"`), or None for form keys that
/// cannot be rebound.
pub fn action_name(a: Action) -> Option<&'static str> {
    Some(match a {
        Action::Quit => "quit",
        Action::Help => "help",
        Action::Problems => "problems",
        Action::Alerts => "alerts",
        Action::Focus(Pane::Clocks) => "clocks",
        Action::Focus(Pane::Deadlines) => "deadlines",
        Action::Focus(Pane::Heat) => "heat",
        Action::Focus(Pane::Followups) => "followups",
        Action::NextPane => "next_pane",
        Action::PrevPane => "prev_pane",
        Action::Up => "up",
        Action::Down => "down",
        Action::Top => "top",
        Action::Bottom => "bottom",
        Action::Open => "open",
        Action::Back => "back",
        Action::Done => "done",
        Action::Snooze => "snooze",
        Action::SnoozePicker => "snooze_to",
        Action::Edit => "edit",
        Action::Add => "add",
        Action::Log => "log",
        Action::Undo => "undo",
        Action::Filter => "filter",
        Action::ToggleClosed => "show_closed",
        Action::HourEarlier => "hour_earlier",
        Action::HourLater => "hour_later",
        Action::DayEarlier => "day_earlier",
        Action::DayLater => "day_later",
        Action::BackToNow => "back_to_now",
        Action::Week => "week",
        Action::Review => "review",
        Action::Slots => "slots",
        Action::Timer => "timer",
        Action::Submit
        | Action::NextField
        | Action::PrevField
        | Action::ClearField
        | Action::DeleteWord => return None,
    })
}

const NAMED_KEYS: &[&str] = &[
    "enter",
    "esc",
    "tab",
    "backtab",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "backspace",
    "delete",
];

/// Whether `k` is a key name tether understands: one character or a named key, after `ctrl-`,
/// `alt-` or `ctrl-alt-`.
pub fn valid_key_name(k: &str) -> bool {
    let base = k.strip_prefix("ctrl-").unwrap_or(k);
    let base = base.strip_prefix("alt-").unwrap_or(base);
    base.chars().count() == 1 || NAMED_KEYS.contains(&base)
}

/// The text name of a key event, as written in the table ("x", "S", "ctrl-c", "alt-x",
/// "enter"). Alt is kept: Alt+x is not x (a terminal sends it as ESC x, and taking it for x
/// would mark a record done).
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
    let alt = if k.modifiers.contains(KeyModifiers::ALT) {
        "alt-"
    } else {
        ""
    };
    let ctrl = if k.modifiers.contains(KeyModifiers::CONTROL) {
        "ctrl-"
    } else {
        ""
    };
    Some(format!("{ctrl}{alt}{base}"))
}

fn applies(scope: Scope, focus: Pane, place: Place) -> bool {
    match scope {
        Scope::Form => matches!(place, Place::Form | Place::Picker),
        Scope::Picker => place == Place::Picker,
        Scope::Page => place == Place::Page,
        Scope::Global => matches!(place, Place::Board | Place::Page),
        Scope::In(panes) => place == Place::Board && panes.contains(&focus),
    }
}

/// The default key map's action for `key` (see `KeyMap::lookup`).
pub fn lookup(key: &KeyEvent, focus: Pane, place: Place) -> Option<Action> {
    KeyMap::default().lookup(key, focus, place)
}

/// The default key map's footer hints (see `KeyMap::footer_hints`).
pub fn footer_hints(focus: Pane, place: Place) -> Vec<(String, &'static str)> {
    KeyMap::default().footer_hints(focus, place)
}

/// The default key map's help (see `KeyMap::help_sections`).
pub fn help_sections() -> Vec<(String, Vec<(String, &'static str)>)> {
    KeyMap::default().help_sections()
}

/// The bindings in force: the defaults with the user's `[keys]` applied. Built once per load;
/// key handling, the footer and the help overlay all read it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMap {
    bindings: Vec<(Vec<String>, Binding)>,
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap {
            bindings: BINDINGS
                .iter()
                .map(|b| (b.keys.iter().map(|k| k.to_string()).collect(), *b))
                .collect(),
        }
    }
}

fn scopes_overlap(a: Scope, b: Scope) -> bool {
    match (a, b) {
        (Scope::Form | Scope::Picker, Scope::Form | Scope::Picker) => true,
        (Scope::Form | Scope::Picker, _) | (_, Scope::Form | Scope::Picker) => false,
        (Scope::Page, Scope::Page) | (Scope::Global, _) | (_, Scope::Global) => true,
        (Scope::Page, _) | (_, Scope::Page) => false,
        (Scope::In(x), Scope::In(y)) => x.iter().any(|p| y.contains(p)),
    }
}

impl KeyMap {
    /// Apply overrides; every problem becomes a tether.toml diagnostic and that override is
    /// ignored (its action keeps its default keys), so a typo never leaves an action unbound.
    pub fn build(overrides: &[KeyOverride]) -> (KeyMap, Vec<Diagnostic>) {
        use crate::store::files::CONFIG_FILE;
        let mut diags = Vec::new();
        let names: Vec<&str> = BINDINGS
            .iter()
            .filter_map(|b| action_name(b.action))
            .collect();
        let defaults = KeyMap::default();
        // Each override on its own: a known action and keys tether can read.
        let mut wanted: Vec<(usize, &KeyOverride)> = Vec::new();
        for o in overrides {
            let Some(idx) = defaults
                .bindings
                .iter()
                .position(|(_, b)| action_name(b.action) == Some(o.action.as_str()))
            else {
                let hint = crate::store::config::nearest(&o.action, &names)
                    .map(|n| format!(" (did you mean \"{n}\"?)"))
                    .unwrap_or_else(|| format!(" (actions: {})", names.join(", ")));
                diags.push(Diagnostic::warning(
                    CONFIG_FILE,
                    o.line,
                    format!(
                        "[keys]: unknown action \"{}\"{hint}; it is ignored",
                        o.action
                    ),
                ));
                continue;
            };
            if let Some(bad) = o.keys.iter().find(|k| !valid_key_name(k)) {
                diags.push(Diagnostic::error(
                    CONFIG_FILE,
                    o.line,
                    format!(
                        "[keys] {}: cannot read key \"{bad}\"; use one character, ctrl-x, alt-x, or one of {}",
                        o.action,
                        NAMED_KEYS.join(", ")
                    ),
                ));
                continue;
            }
            if o.keys.is_empty() {
                diags.push(Diagnostic::error(
                    CONFIG_FILE,
                    o.line,
                    format!("[keys] {}: give at least one key", o.action),
                ));
                continue;
            }
            wanted.push((idx, o));
        }
        // All of them at once: a key may move from one action to another (`done = "s"` with
        // `snooze = "x"` is a swap, not a clash), so clashes are looked for in the map with every
        // override applied. One that still clashes is dropped (its action keeps its default
        // keys, so nothing is left unbound) and the map is checked again, since the keys it
        // gives back may clash in turn.
        let mut active = vec![true; wanted.len()];
        loop {
            let mut map = defaults.clone();
            for ((idx, o), _) in wanted.iter().zip(&active).filter(|(_, on)| **on) {
                map.bindings[*idx].0 = o.keys.clone();
            }
            let clash = wanted
                .iter()
                .enumerate()
                .filter(|(i, _)| active[*i])
                .find_map(|(i, (idx, o))| {
                    let scope = map.bindings[*idx].1.scope;
                    map.bindings.iter().enumerate().find_map(|(j, (keys, b))| {
                        if j == *idx || !scopes_overlap(scope, b.scope) {
                            return None;
                        }
                        o.keys
                            .iter()
                            .find(|k| keys.contains(k))
                            .map(|k| (i, k.clone(), *b))
                    })
                });
            let Some((i, k, other)) = clash else {
                return (map, diags);
            };
            active[i] = false;
            let o = wanted[i].1;
            diags.push(Diagnostic::error(
                CONFIG_FILE,
                o.line,
                format!(
                    "[keys] {}: key \"{k}\" is also bound to {} ({}); choose another key or rebind that action too",
                    o.action,
                    action_name(other.action).unwrap_or("a form key"),
                    other.help
                ),
            ));
        }
    }

    /// The action bound to `key` where the user is now; pane bindings win over global ones.
    pub fn lookup(&self, key: &KeyEvent, focus: Pane, place: Place) -> Option<Action> {
        let name = key_name(key)?;
        let mut found = self
            .bindings
            .iter()
            .filter(|(keys, b)| applies(b.scope, focus, place) && keys.contains(&name));
        let first = found
            .clone()
            .find(|(_, b)| matches!(b.scope, Scope::In(_) | Scope::Picker | Scope::Page));
        first.or_else(|| found.next()).map(|(_, b)| b.action)
    }

    /// The bindings that apply now and are marked for the footer: those of the place (a pane,
    /// a page, a form) first, then the global ones, each in table order.
    pub fn footer_hints(&self, focus: Pane, place: Place) -> Vec<(String, &'static str)> {
        self.footer_hints_except(focus, place, &[])
    }

    /// [`KeyMap::footer_hints`] without the bindings of `except` (keys a view leaves unused).
    pub fn footer_hints_except(
        &self,
        focus: Pane,
        place: Place,
        except: &[Action],
    ) -> Vec<(String, &'static str)> {
        let mut hints: Vec<&(Vec<String>, Binding)> = self
            .bindings
            .iter()
            .filter(|(_, b)| b.footer && applies(b.scope, focus, place))
            .filter(|(_, b)| !except.contains(&b.action))
            .collect();
        hints.sort_by_key(|(_, b)| b.scope == Scope::Global);
        hints
            .into_iter()
            .map(|(keys, b)| (keys.first().cloned().unwrap_or_default(), b.short))
            .collect()
    }

    /// The first key bound to a global `action` (for hints such as "press ! for problems").
    pub fn key_for(&self, action: Action) -> Option<&str> {
        self.bindings
            .iter()
            .find(|(_, b)| b.action == action && b.scope == Scope::Global)
            .and_then(|(keys, _)| keys.first().map(String::as_str))
    }

    /// Every binding grouped for the help overlay: (section title, [(keys, help)]).
    pub fn help_sections(&self) -> Vec<(String, Vec<(String, &'static str)>)> {
        let mut sections: Vec<(String, Vec<(String, &'static str)>)> = Vec::new();
        for (keys, b) in &self.bindings {
            let title = match b.scope {
                Scope::Global => "Anywhere".to_string(),
                Scope::Form => "In a form or picker".to_string(),
                Scope::Picker => "In a picker or a field of choices".to_string(),
                Scope::Page => "On a client's page".to_string(),
                Scope::In(panes) => panes
                    .iter()
                    .map(|p| p.title())
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let keys = keys.join(" / ");
            match sections.iter_mut().find(|(t, _)| *t == title) {
                Some((_, v)) => v.push((keys, b.help)),
                None => sections.push((title, vec![(keys, b.help)])),
            }
        }
        sections
    }
}

/// The `[keys]` problems of tether.toml. The core reads `[keys]` but cannot check it (the
/// actions are the app's), so they are added here to what loading found.
pub fn key_problems(config: &Config) -> Vec<Diagnostic> {
    KeyMap::build(&config.keys).1
}

/// Every problem of the data `loaded` holds, counted as `tether check` counts them: what
/// loading found (with those a "N more problems" line stands for) and the `[keys]` problems.
/// The one count the dashboard's header, the agenda, `status` and `check` show, in
/// [`Count`]'s words (docs/decisions.md, "One problem count").
pub fn problems_of(loaded: &Loaded) -> Count {
    Count::of(
        loaded
            .diagnostics
            .iter()
            .chain(&key_problems(&loaded.model.config)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    const BOARD: Place = Place::Board;
    const FORM: Place = Place::Form;

    #[test]
    fn pane_scoped_keys() {
        assert_eq!(
            lookup(&key('x'), Pane::Followups, BOARD),
            Some(Action::Done)
        );
        assert_eq!(lookup(&key('x'), Pane::Clocks, BOARD), None);
        assert_eq!(lookup(&key('s'), Pane::Deadlines, BOARD), None);
        assert_eq!(lookup(&key('q'), Pane::Heat, BOARD), Some(Action::Quit));
        assert_eq!(lookup(&key('q'), Pane::Heat, FORM), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&ctrl_c, Pane::Heat, FORM), Some(Action::Quit));
        let tab = KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(lookup(&tab, Pane::Heat, BOARD), Some(Action::NextPane));
        assert_eq!(lookup(&tab, Pane::Heat, FORM), Some(Action::NextField));
        let shift_s = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&shift_s, Pane::Followups, BOARD),
            Some(Action::SnoozePicker)
        );
    }

    fn ov(action: &str, keys: &[&str]) -> KeyOverride {
        KeyOverride {
            action: action.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            line: 7,
        }
    }

    #[test]
    fn overrides_rebind_and_show_in_help() {
        let (map, d) = KeyMap::build(&[ov("done", &["d"]), ov("quit", &["ctrl-q"])]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            map.lookup(&key('d'), Pane::Followups, BOARD),
            Some(Action::Done)
        );
        assert_eq!(map.lookup(&key('x'), Pane::Followups, BOARD), None);
        assert_eq!(map.lookup(&key('q'), Pane::Followups, BOARD), None);
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map.lookup(&ctrl_q, Pane::Heat, BOARD), Some(Action::Quit));
        let help = map.help_sections();
        assert!(
            help.iter()
                .flat_map(|(_, v)| v)
                .any(|(k, h)| k == "d" && *h == "mark done")
        );
        assert!(
            map.footer_hints(Pane::Followups, BOARD)
                .iter()
                .any(|(k, _)| k == "d")
        );
    }

    #[test]
    fn clashes_unknown_actions_and_bad_keys_are_diagnostics() {
        let (map, d) = KeyMap::build(&[
            ov("done", &["s"]),
            ov("dnoe", &["d"]),
            ov("edit", &["ctrl-"]),
            ov("help", &["y"]),
        ]);
        assert_eq!(d.len(), 3, "{d:?}");
        let said = |what: &str| {
            d.iter()
                .find(|m| m.message.contains(what))
                .unwrap_or_else(|| panic!("no {what:?} in {d:?}"))
        };
        assert!(said("also bound to snooze").is_error());
        assert!(!said("did you mean \"done\"").is_error());
        assert!(said("cannot read key").is_error());
        assert!(d.iter().all(|m| m.line == 7));
        // The clashing override is ignored: x still marks done, s still snoozes.
        assert_eq!(
            map.lookup(&key('x'), Pane::Followups, BOARD),
            Some(Action::Done)
        );
        assert_eq!(
            map.lookup(&key('s'), Pane::Followups, BOARD),
            Some(Action::Snooze)
        );
        assert_eq!(map.lookup(&key('y'), Pane::Heat, BOARD), Some(Action::Help));
        // A key used only in another pane is no clash: "l" (log) lives in heat/follow-ups,
        // "x" in deadlines/follow-ups.
        let (_, d) = KeyMap::build(&[ov("top", &["f"])]);
        assert!(d.is_empty());
    }

    /// Issue 14: `done = "s"` with `snooze = "x"` was refused as a clash, each override being
    /// checked against the defaults one at a time. Checked as a whole, a swap is fine.
    #[test]
    fn two_actions_can_swap_keys() {
        let (map, d) = KeyMap::build(&[ov("done", &["s"]), ov("snooze", &["x"])]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            map.lookup(&key('s'), Pane::Followups, BOARD),
            Some(Action::Done)
        );
        assert_eq!(
            map.lookup(&key('x'), Pane::Followups, BOARD),
            Some(Action::Snooze)
        );
        // A three-way rotation too.
        let (map, d) =
            KeyMap::build(&[ov("done", &["e"]), ov("edit", &["s"]), ov("snooze", &["x"])]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            map.lookup(&key('e'), Pane::Followups, BOARD),
            Some(Action::Done)
        );
        // Two overrides wanting one key: the clash is named, and the dropped one keeps its
        // default key, which no other action took.
        let (map, d) = KeyMap::build(&[ov("done", &["d"]), ov("snooze", &["d"])]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("\"d\" is also bound to"), "{}", d[0]);
        let bound: Vec<_> = ['x', 's', 'd']
            .iter()
            .map(|c| map.lookup(&key(*c), Pane::Followups, BOARD))
            .collect();
        assert!(
            bound.contains(&Some(Action::Done)) && bound.contains(&Some(Action::Snooze)),
            "{bound:?}"
        );
    }

    /// Issue 14: Alt was dropped, so Alt+x marked a record done.
    #[test]
    fn alt_is_a_modifier_not_noise() {
        let alt_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
        assert_eq!(lookup(&alt_x, Pane::Followups, BOARD), None);
        let (map, d) = KeyMap::build(&[ov("done", &["alt-x"])]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            map.lookup(&alt_x, Pane::Followups, BOARD),
            Some(Action::Done)
        );
        assert_eq!(map.lookup(&key('x'), Pane::Followups, BOARD), None);
        let ctrl_alt_x = KeyEvent::new(
            KeyCode::Char('x'),
            KeyModifiers::ALT | KeyModifiers::CONTROL,
        );
        assert_eq!(key_name(&ctrl_alt_x).as_deref(), Some("ctrl-alt-x"));
        assert!(valid_key_name("ctrl-alt-x") && !valid_key_name("alt-"));
    }

    #[test]
    fn every_binding_is_in_help_and_keys_do_not_clash() {
        let help = help_sections();
        let n: usize = help.iter().map(|(_, v)| v.len()).sum();
        assert_eq!(n, BINDINGS.len());
        for p in Pane::ALL {
            for place in [Place::Board, Place::Form, Place::Picker, Place::Page] {
                let mut seen = std::collections::HashSet::new();
                for b in BINDINGS.iter().filter(|b| applies(b.scope, p, place)) {
                    for k in b.keys {
                        let scoped = matches!(b.scope, Scope::In(_) | Scope::Picker | Scope::Page);
                        assert!(
                            seen.insert((*k, scoped)),
                            "{k} bound twice in {p:?} {place:?}"
                        );
                    }
                }
            }
        }
    }
}
