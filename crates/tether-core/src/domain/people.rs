//! The people you deal with at a client (`[[clients.people]]`): who is the champion, who the
//! backup, and what that says about the relationship: a client that rests on one person, a
//! champion you have not spoken to within the cadence. The contact log names people in `who`;
//! [`Person::answers_to`] is the one rule that ties a contact to a person.

use super::model::{Client, Interaction};
pub use super::model::{Person, Tie};
use chrono::{DateTime, Duration, Utc};

impl Person {
    /// Someone known only by a name (the older `champion = "…"` string).
    pub fn named(name: &str, tie: Tie) -> Person {
        Person {
            name: name.to_string(),
            role: None,
            tie,
            zone: None,
            email: None,
            aka: Vec::new(),
        }
    }

    /// The older `champion = "Sato-san, Marketing GM"`: a name, then after the first comma the
    /// role.
    pub fn from_champion_line(line: &str) -> Person {
        let (name, role) = match line.split_once(',') {
            Some((n, r)) if !n.trim().is_empty() => (n.trim(), Some(r.trim())),
            _ => (line.trim(), None),
        };
        let mut p = Person::named(name, Tie::Champion);
        p.role = role.filter(|r| !r.is_empty()).map(str::to_string);
        p
    }

    /// "Sato-san, Marketing GM": the name, and the role after a comma.
    pub fn label(&self) -> String {
        match &self.role {
            Some(r) => format!("{}, {r}", self.name),
            None => self.name.clone(),
        }
    }

    /// Whether a contact's `who` means this person: their name or one of `aka`, ignoring case
    /// and runs of spaces ("sato  yuki" is "Sato Yuki"). No partial matches: "Sato" alone could
    /// be two people, so it is written in `aka` when meant.
    pub fn answers_to(&self, who: &str) -> bool {
        std::iter::once(&self.name)
            .chain(&self.aka)
            .any(|n| same_name(n, who))
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q))
                if p.chars()
                    .flat_map(char::to_lowercase)
                    .eq(q.chars().flat_map(char::to_lowercase)) => {}
            _ => return false,
        }
    }
}

impl Client {
    /// The person a contact's `who` names: the one whose name or `aka` it is, else the one
    /// person whose name has it as a word ("Priya" for Priya Raman, as logs often say), unless
    /// two people share that word.
    pub fn person(&self, who: &str) -> Option<&Person> {
        if let Some(p) = self.people.iter().find(|p| p.answers_to(who)) {
            return Some(p);
        }
        let word = who.trim();
        if word.is_empty() || word.contains(char::is_whitespace) {
            return None;
        }
        let mut with = self
            .people
            .iter()
            .filter(|p| p.name.split_whitespace().any(|w| same_name(w, word)));
        match (with.next(), with.next()) {
            (Some(p), None) => Some(p),
            _ => None,
        }
    }

    pub fn champion_person(&self) -> Option<&Person> {
        self.people.iter().find(|p| p.tie == Tie::Champion)
    }

    pub fn has_backup(&self) -> bool {
        self.people.iter().any(|p| p.tie == Tie::Backup)
    }

    /// The relationship rests on one person: a champion and no backup.
    pub fn rests_on_one_person(&self) -> bool {
        self.champion_person().is_some() && !self.has_backup()
    }

    /// Whether a contact was with the champion.
    pub fn is_champion_contact(&self, i: &Interaction) -> bool {
        i.who
            .as_deref()
            .and_then(|who| self.person(who))
            .is_some_and(|p| p.tie == Tie::Champion)
    }
}

/// What is wrong with a client's ties, for the heat pane and the client page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieFlag {
    /// The champion not contacted within `contact_every`: days since, or never.
    ChampionQuiet { days: Option<i64> },
    /// A champion and no backup: the relationship rests on one person.
    NoBackup,
}

impl TieFlag {
    /// A few words for a row: "quiet 40d", "no backup".
    pub fn short(self) -> String {
        match self {
            TieFlag::ChampionQuiet { days: Some(d) } => format!("quiet {d}d"),
            TieFlag::ChampionQuiet { days: None } => "never called".to_string(),
            TieFlag::NoBackup => "no backup".to_string(),
        }
    }

    /// What it means and what to do, for the client page.
    pub fn advice(self, client: &Client) -> String {
        let champion = client.champion_person().map_or("", |p| p.name.as_str());
        let every = client
            .contact_every
            .map(super::time::format_duration)
            .unwrap_or_default();
        match self {
            TieFlag::ChampionQuiet { days: Some(d) } => {
                format!("no contact with {champion} for {d}d (every {every}): call them")
            }
            TieFlag::ChampionQuiet { days: None } => {
                format!("no contact with {champion} logged (every {every}): call them")
            }
            TieFlag::NoBackup => format!(
                "everything rests on {champion}: name a backup (backup = true on a [[clients.people]])"
            ),
        }
    }
}

/// The champion for a row and what is wrong with the ties: "Sato-san, Marketing GM",
/// "Herr Vogel, IT-Leiter (quiet 30d, no backup)"; None without a champion.
pub fn champion_summary(client: &Client, flags: &[TieFlag]) -> Option<String> {
    let label = client.champion_person()?.label();
    if flags.is_empty() {
        return Some(label);
    }
    let said: Vec<String> = flags.iter().map(|f| f.short()).collect();
    Some(format!("{label} ({})", said.join(", ")))
}

/// The flags of a client's ties at `now`, given its last contact with the champion.
pub fn tie_flags(
    client: &Client,
    last_champion_contact: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<TieFlag> {
    let mut flags = Vec::new();
    if champion_quiet(client, last_champion_contact, now) {
        flags.push(TieFlag::ChampionQuiet {
            days: last_champion_contact.map(|t| days_since(t, now)),
        });
    }
    if client.rests_on_one_person() {
        flags.push(TieFlag::NoBackup);
    }
    flags
}

/// The champion has not been contacted within the client's contact cadence (`contact_every`);
/// no cadence, no flag. Never contacted counts as not within it.
pub fn champion_quiet(
    client: &Client,
    last_champion_contact: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let (Some(_), Some(every)) = (client.champion_person(), client.contact_every) else {
        return false;
    };
    last_champion_contact.is_none_or(|t| now - t > every)
}

/// Each person of `client` with the latest contact with them at or before `now`.
pub fn last_contacts<'a>(
    client: &'a Client,
    interactions: &[Interaction],
    now: DateTime<Utc>,
) -> Vec<(&'a Person, Option<DateTime<Utc>>)> {
    let mut last: Vec<Option<DateTime<Utc>>> = vec![None; client.people.len()];
    for i in interactions {
        if *i.client != *client.id || i.at > now {
            continue;
        }
        let Some(person) = i.who.as_deref().and_then(|w| client.person(w)) else {
            continue;
        };
        if let Some(k) = client.people.iter().position(|p| std::ptr::eq(p, person)) {
            last[k] = last[k].max(Some(i.at));
        }
    }
    client.people.iter().zip(last).collect()
}

/// Whole days since `t` (for "12d ago").
pub fn days_since(t: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - t).num_days().max(0)
}

/// How long ago, in words a row can hold: "today", "1d ago", "40d ago".
pub fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match days_since(t, now) {
        0 if now - t < Duration::days(1) => "today".to_string(),
        d => format!("{d}d ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::utc;
    use std::sync::Arc;

    fn client(people: Vec<Person>) -> Client {
        let mut c = crate::domain::testkit::client("kanda", chrono_tz::Asia::Tokyo);
        c.people = people;
        c.champion = c.champion_person().map(|p| p.name.clone());
        c.contact_every = Some(Duration::days(14));
        c
    }

    fn contact(who: &str, at: DateTime<Utc>) -> Interaction {
        Interaction {
            line: 1,
            at,
            client: Arc::from("kanda"),
            kind: Arc::from("call"),
            who: Some(Arc::from(who)),
        }
    }

    #[test]
    fn a_contact_names_a_person_by_name_or_aka_whatever_the_case_and_spacing() {
        let mut sato = Person::named("Sato Yuki", Tie::Champion);
        sato.aka = vec!["Sato-san".into()];
        assert!(sato.answers_to("sato  yuki"));
        assert!(sato.answers_to(" SATO-SAN "));
        assert!(!sato.answers_to("Sato"));
        assert!(!sato.answers_to("Sato Yukiko"));
    }

    #[test]
    fn a_first_name_alone_names_the_one_person_who_has_it() {
        let c = client(vec![
            Person::named("Priya Raman", Tie::Champion),
            Person::named("Priya Shah", Tie::Backup),
            Person::named("Arjun Mehta", Tie::Other),
        ]);
        assert_eq!(
            c.person("arjun").map(|p| p.name.as_str()),
            Some("Arjun Mehta")
        );
        // Two Priyas: the log must say which.
        assert_eq!(c.person("Priya"), None);
        assert_eq!(c.person("priya shah").map(|p| p.tie), Some(Tie::Backup));
        assert_eq!(c.person("Arjun M"), None);
    }

    #[test]
    fn a_champion_without_a_backup_is_one_person_to_lose() {
        let alone = client(vec![Person::named("Sato Yuki", Tie::Champion)]);
        assert!(alone.rests_on_one_person());
        let covered = client(vec![
            Person::named("Sato Yuki", Tie::Champion),
            Person::named("Ito Ken", Tie::Backup),
        ]);
        assert!(!covered.rests_on_one_person());
        // Nobody named yet: nothing to flag.
        assert!(!client(vec![]).rests_on_one_person());
        let now = utc(2026, 11, 25, 0, 0);
        let flags = tie_flags(&alone, None, now);
        assert_eq!(
            champion_summary(&alone, &flags).as_deref(),
            Some("Sato Yuki (never called, no backup)")
        );
        let flags = tie_flags(&covered, Some(now), now);
        assert_eq!(
            champion_summary(&covered, &flags).as_deref(),
            Some("Sato Yuki")
        );
    }

    #[test]
    fn the_champion_is_quiet_past_the_cadence_even_while_others_are_called() {
        let c = client(vec![
            Person::named("Sato Yuki", Tie::Champion),
            Person::named("Ito Ken", Tie::Backup),
        ]);
        let now = utc(2026, 11, 25, 0, 0);
        let log = [
            contact("Sato Yuki", utc(2026, 11, 1, 0, 0)),
            contact("Ito Ken", utc(2026, 11, 24, 0, 0)),
            // Planned, not yet happened.
            contact("Sato Yuki", utc(2026, 11, 30, 0, 0)),
        ];
        let last = last_contacts(&c, &log, now);
        assert_eq!(last[0].1, Some(utc(2026, 11, 1, 0, 0)));
        assert_eq!(last[1].1, Some(utc(2026, 11, 24, 0, 0)));
        assert!(champion_quiet(&c, last[0].1, now));
        assert!(!champion_quiet(&c, last[0].1, utc(2026, 11, 14, 0, 0)));
        assert!(champion_quiet(&c, None, now));
        let mut no_cadence = c.clone();
        no_cadence.contact_every = None;
        assert!(!champion_quiet(&no_cadence, None, now));
    }
}
