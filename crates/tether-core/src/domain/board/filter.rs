//! The filter: which rows a typed text keeps. A row is kept for its own words, or for its
//! client's: the client's id, name, city, champion, or the name of anyone logged as one of its
//! contacts (docs/decisions.md, "The filter finds a client by its contacts").

use crate::domain::model::Model;

/// What the user asked to see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// Case-insensitive text that must appear in a row's own words (title, what, who) or in
    /// what is known of its client (see [`FoundClients`]).
    pub text: String,
    /// Also show snoozed and done/dropped follow-ups, and done deadlines.
    pub show_closed: bool,
}

/// The ids of the clients the filter text finds by what is known of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoundClients {
    ids: foldhash::HashSet<String>,
}

impl FoundClients {
    /// Whether a record whose whole line is `line` may be kept by `filter` for its own words
    /// or its client, or may count for the board whatever the filter (a snooze, a due):
    /// false only when its text says it cannot (an ASCII line without escapes holds its
    /// values as written; lower-cased, the filter's text is then in it, or not).
    pub fn line_may_show(&self, filter: &BoardFilter, needle: &str, line: &str) -> bool {
        if filter.text.is_empty() || !line.is_ascii() || line.contains('\\') {
            return true;
        }
        let has_needle = needle.is_empty()
            || line
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
        has_needle
            || line.contains("snoozed_until")
            || line.contains("\"due\"")
            || self.ids.iter().any(|id| line.contains(id.as_str()))
    }

    /// Whether a row of client `id` is kept for its client.
    pub fn has(&self, id: Option<&str>) -> bool {
        id.is_some_and(|id| self.ids.contains(id))
    }
}

impl BoardFilter {
    pub(super) fn matches(&self, fields: &[Option<&str>]) -> bool {
        if self.text.is_empty() {
            return true;
        }
        let needle = self.text.to_lowercase();
        fields
            .iter()
            .flatten()
            .any(|f| f.to_lowercase().contains(&needle))
    }

    /// The clients this filter finds by their id, name, city, people (name or role) or a contact's name
    /// (none when the filter is empty: then every row is kept anyway). One pass over the
    /// contact log, each different name looked at once.
    pub fn found_clients(&self, model: &Model) -> FoundClients {
        let mut ids = foldhash::HashSet::default();
        if self.text.is_empty() {
            return FoundClients { ids };
        }
        for c in &model.config.clients {
            let people = c
                .people
                .iter()
                .flat_map(|p| [Some(p.name.as_str()), p.role.as_deref()]);
            let fields: Vec<Option<&str>> = [Some(c.id.as_str()), Some(&c.name), Some(&c.city)]
                .into_iter()
                .chain(people)
                .collect();
            if self.matches(&fields) {
                ids.insert(c.id.clone());
            }
        }
        // Names are shared between the contacts that repeat them (store::records::Ctx), so
        // their addresses stand for them.
        let mut looked: foldhash::HashMap<usize, bool> = foldhash::HashMap::default();
        for i in &model.interactions {
            let Some(who) = &i.who else { continue };
            if ids.contains(&*i.client) {
                continue;
            }
            let addr = who.as_ptr() as usize;
            if *looked
                .entry(addr)
                .or_insert_with(|| self.matches(&[Some(who)]))
            {
                ids.insert(i.client.to_string());
            }
        }
        FoundClients { ids }
    }
}
