//! `[[clients.people]]`: the people of a client, read with diagnostics by line (the rules of
//! what they mean are in `domain::people`).

use super::{Ctx, Table, Value, get};
use crate::domain::model::Client;
use crate::domain::people::{Person, Tie};

const PERSON_KEYS: &[&str] = &["name", "role", "champion", "backup", "zone", "email", "aka"];

/// The people written under a client, and the older `champion = "…"` string folded in: it
/// names the champion when no person is marked so (the person of that name, or a new one).
pub(super) fn read_people(cx: &mut Ctx<'_>, client: &mut Client, t: &Table<'_>) {
    if let Some(v) = get(t, "people") {
        for (p, span) in cx.tables(v, "clients.people") {
            if let Some(person) = read_person(cx, client, p, span) {
                client.people.push(person);
            }
        }
    }
    let written = client.champion.take();
    match (client.champion_person().map(|p| p.name.clone()), written) {
        (Some(marked), Some(w))
            if !client
                .champion_person()
                .is_some_and(|p| p.answers_to(&Person::from_champion_line(&w).name)) =>
        {
            if let Some(v) = get(t, "champion") {
                cx.warn(
                    &v.span(),
                    format!(
                        "client \"{}\": champion = {w:?} is not the person marked champion = true ({marked:?}); {marked:?} is the champion (remove this line or mark that person)",
                        client.id
                    ),
                );
            }
        }
        (None, Some(w)) if !w.trim().is_empty() => {
            let written = Person::from_champion_line(&w);
            match client
                .people
                .iter_mut()
                .find(|p| p.answers_to(&written.name))
            {
                Some(p) if p.tie == Tie::Other => p.tie = Tie::Champion,
                Some(_) => {}
                None => client.people.insert(0, written),
            }
        }
        _ => {}
    }
    client.champion = client.champion_person().map(|p| p.name.clone());
}

fn read_person(
    cx: &mut Ctx<'_>,
    client: &Client,
    t: &Table<'_>,
    span: std::ops::Range<usize>,
) -> Option<Person> {
    cx.check_keys(t, "[[clients.people]]", PERSON_KEYS);
    let name = get(t, "name").and_then(|v| cx.string(v, "name"));
    let Some(name) = name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) else {
        cx.error(
            &span,
            format!(
                "a person of client \"{}\" needs name = \"...\" (as the contact log's \"who\" names them); this person is skipped",
                client.id
            ),
        );
        return None;
    };
    let mut p = Person::named(&name, Tie::Other);
    let flag = |cx: &mut Ctx<'_>, key: &str| {
        get(t, key).and_then(|v: &Value<'_>| cx.boolean(v, key)) == Some(true)
    };
    let (champion, backup) = (flag(cx, "champion"), flag(cx, "backup"));
    p.tie = match (champion, backup) {
        (true, true) => {
            if let Some(v) = get(t, "backup") {
                cx.warn(
                    &v.span(),
                    format!("{name:?} is marked both champion and backup; read as the champion (a backup is someone else)"),
                );
            }
            Tie::Champion
        }
        (true, false) => Tie::Champion,
        (false, true) => Tie::Backup,
        (false, false) => Tie::Other,
    };
    if p.tie == Tie::Champion
        && let Some(first) = client.champion_person()
    {
        if let Some(v) = get(t, "champion") {
            cx.warn(
                &v.span(),
                format!(
                    "client \"{}\" already has a champion ({:?}); {name:?} is read as a backup (one champion per client: mark the other backup = true)",
                    client.id, first.name
                ),
            );
        }
        p.tie = Tie::Backup;
    }
    for (k, v) in t.iter() {
        match k.get_ref().as_ref() {
            "role" => p.role = cx.string(v, "role").filter(|r| !r.trim().is_empty()),
            "email" => p.email = cx.string(v, "email").filter(|r| !r.trim().is_empty()),
            "zone" => p.zone = cx.zone(v, "zone"),
            "aka" => {
                if let Some(items) = cx.array(v, "aka") {
                    p.aka = items
                        .iter()
                        .filter_map(|i| cx.string(i, "aka"))
                        .filter(|a| !a.trim().is_empty())
                        .collect();
                }
            }
            _ => {}
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use crate::domain::people::Tie;
    use crate::store::config::parse_config;

    const HEAD: &str = "[me]\nzone = \"Australia/Brisbane\"\n";

    #[test]
    fn people_are_read_with_their_ties_zone_and_other_names() {
        let text = format!(
            "{HEAD}[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\ncontact_every = \"14d\"\n\
             [[clients.people]]\nname = \"Sato Yuki\"\nrole = \"Head of Localisation\"\nchampion = true\naka = [\"Sato-san\"]\n\
             [[clients.people]]\nname = \"Ito Ken\"\nbackup = true\nzone = \"Asia/Tokyo\"\nemail = \"ito@kanda.example\"\n"
        );
        let (c, diags) = parse_config(&text);
        assert!(diags.is_empty(), "{diags:?}");
        let k = &c.clients[0];
        assert_eq!(k.champion.as_deref(), Some("Sato Yuki"));
        assert_eq!(k.people.len(), 2);
        assert_eq!(k.people[0].role.as_deref(), Some("Head of Localisation"));
        assert!(k.people[0].answers_to("sato-san"));
        assert_eq!(k.people[1].tie, Tie::Backup);
        assert_eq!(k.people[1].zone, Some(chrono_tz::Asia::Tokyo));
        assert!(!k.rests_on_one_person());
    }

    #[test]
    fn the_older_champion_string_is_the_champion_person() {
        let text = format!(
            "{HEAD}[[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\nchampion = \"Jonas Weber\"\n"
        );
        let (c, diags) = parse_config(&text);
        assert!(diags.is_empty(), "{diags:?}");
        let b = &c.clients[0];
        assert_eq!(b.people.len(), 1);
        assert_eq!(b.people[0].role, None);
        assert_eq!(b.people[0].tie, Tie::Champion);
        assert!(b.rests_on_one_person());
        // Naming a listed person marks them.
        let text = format!(
            "{HEAD}[[clients]]\nid = \"brandt\"\nzone = \"Europe/Berlin\"\nchampion = \"jonas weber\"\n\
             [[clients.people]]\nname = \"Jonas Weber\"\n[[clients.people]]\nname = \"Lena Vogt\"\nbackup = true\n"
        );
        let (c, diags) = parse_config(&text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.clients[0].people.len(), 2);
        assert_eq!(c.clients[0].champion.as_deref(), Some("Jonas Weber"));
    }

    #[test]
    fn a_champion_line_with_a_comma_is_a_name_and_a_role() {
        let text = format!(
            "{HEAD}[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nchampion = \"Sato-san, Marketing GM\"\n"
        );
        let (c, _) = parse_config(&text);
        let p = &c.clients[0].people[0];
        assert_eq!(
            (p.name.as_str(), p.role.as_deref()),
            ("Sato-san", Some("Marketing GM"))
        );
        assert_eq!(p.label(), "Sato-san, Marketing GM");
        assert_eq!(c.clients[0].champion.as_deref(), Some("Sato-san"));
    }

    #[test]
    fn mistakes_are_named_by_line_and_nothing_else_is_lost() {
        let text = format!(
            "{HEAD}[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nchampion = \"Somebody Else\"\n\
             [[clients.people]]\nrole = \"PM\"\n\
             [[clients.people]]\nname = \"Sato Yuki\"\nchampion = true\nbackup = true\n\
             [[clients.people]]\nname = \"Mori Aoi\"\nchampion = true\nemial = \"x\"\nzone = \"Asia/Tokio\"\n"
        );
        let (c, diags) = parse_config(&text);
        let said: Vec<String> = diags
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        let has = |line: usize, words: &str| {
            diags
                .iter()
                .any(|d| d.line == line && d.message.contains(words))
        };
        assert!(
            has(6, "is not the person marked champion = true"),
            "{said:?}"
        );
        assert!(has(7, "needs name"), "{said:?}");
        assert!(has(12, "both champion and backup"), "{said:?}");
        assert!(has(15, "already has a champion"), "{said:?}");
        assert!(has(16, "did you mean \"email\""), "{said:?}");
        assert!(has(17, "Asia/Tokio"), "{said:?}");
        let k = &c.clients[0];
        let names: Vec<&str> = k.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Sato Yuki", "Mori Aoi"]);
        assert_eq!(k.champion.as_deref(), Some("Sato Yuki"));
        assert_eq!(k.people[1].tie, Tie::Backup);
    }
}
