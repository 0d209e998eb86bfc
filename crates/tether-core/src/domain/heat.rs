//! Relationship heat: raw = Σ weight(kind) × 0.5^(age / half_life) over a client's past
//! interactions; heat = 100 × raw / (raw + scale), so it runs from 0 (cold) towards 100.
//!
//! Interactions after the evaluation instant are ignored (a log may hold planned visits).
//! Degenerate settings never produce NaN: a zero (or negative) half-life means an interaction
//! counts only at the very instant it happens; a zero, negative or NaN scale means any warmth at
//! all is 100; weights that are negative or not finite count as 0.

use super::model::{Client, HeatSettings, Interaction};
use super::schedule::add_days;
use chrono::{DateTime, Duration, Utc};

/// Heat changes smaller than this (in points) over 30 days read as steady.
pub const STEADY_BAND: f64 = 2.0;
/// Trend compares heat now against heat this many days ago.
pub const TREND_DAYS: i64 = 30;
/// Sparkline points are this many days apart.
pub const SPARK_STEP_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Rising,
    Falling,
    Steady,
}

impl Trend {
    pub fn label(&self) -> &'static str {
        match self {
            Trend::Rising => "rising",
            Trend::Falling => "falling",
            Trend::Steady => "steady",
        }
    }

    pub fn symbol(&self) -> &'static str {
        match self {
            Trend::Rising => "↑",
            Trend::Falling => "↓",
            Trend::Steady => "→",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatView {
    pub heat: f64,
    pub heat_30d_ago: f64,
    pub trend: Trend,
    /// The latest interaction of any kind at or before now.
    pub last_contact: Option<DateTime<Utc>>,
    /// The latest interaction of kind `visit` at or before now.
    pub last_visit: Option<DateTime<Utc>>,
    /// The latest contact with the client's champion (`who` names them) at or before now.
    pub last_champion_contact: Option<DateTime<Utc>>,
    /// Whole days (24 h) since `last_contact`.
    pub days_since_contact: Option<i64>,
    pub days_since_visit: Option<i64>,
    pub contact_overdue: bool,
    pub visit_overdue: bool,
    /// Heat at the end of each of the last 12 weeks, oldest first; the last is `heat`.
    pub sparkline: [f64; 12],
}

/// One interaction reduced to what heat needs.
#[derive(Debug, Clone, Copy)]
struct Contact {
    at: DateTime<Utc>,
    weight: f64,
    visit: bool,
    /// With the client's champion.
    champion: bool,
}

fn weight(settings: &HeatSettings, kind: &str) -> f64 {
    let w = settings.weight(kind);
    if w.is_finite() && w > 0.0 { w } else { 0.0 }
}

fn secs_f64(d: Duration) -> f64 {
    d.num_seconds() as f64 + f64::from(d.subsec_nanos()) / 1e9
}

/// 0.5^(age / half_life) for a non-negative age.
fn decay(age: Duration, half_life: Duration) -> f64 {
    if half_life <= Duration::zero() {
        return if age <= Duration::zero() { 1.0 } else { 0.0 };
    }
    0.5f64.powf(secs_f64(age) / secs_f64(half_life))
}

fn heat_from_raw(raw: f64, scale: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 {
        return 0.0;
    }
    if raw.is_infinite() || scale.is_nan() || scale <= 0.0 {
        return 100.0;
    }
    (100.0 * raw / (raw + scale)).clamp(0.0, 100.0)
}

/// The heat of one client at instant `at`, from scratch (see the module comment).
pub fn heat_at(
    client_id: &str,
    interactions: &[Interaction],
    settings: &HeatSettings,
    at: DateTime<Utc>,
) -> f64 {
    let raw: f64 = interactions
        .iter()
        .filter(|i| *i.client == *client_id && i.at <= at)
        .map(|i| weight(settings, &i.kind) * decay(at - i.at, settings.half_life))
        .sum();
    heat_from_raw(raw, settings.scale)
}

fn contacts_of(
    client: &Client,
    interactions: &[Interaction],
    settings: &HeatSettings,
) -> Vec<Contact> {
    let mut cache = WeightCache::default();
    interactions
        .iter()
        .filter(|i| *i.client == *client.id)
        .map(|i| cache.contact(i, client, settings))
        .collect()
}

/// Kinds repeat endlessly in a log; looking each up once avoids an allocation per interaction
/// (`HeatSettings::weight` lowercases).
#[derive(Default)]
struct WeightCache<'a> {
    kinds: foldhash::HashMap<&'a str, (f64, bool)>,
}

impl<'a> WeightCache<'a> {
    fn contact(&mut self, i: &'a Interaction, client: &Client, settings: &HeatSettings) -> Contact {
        let (weight, visit) = *self.kinds.entry(&i.kind).or_insert_with(|| {
            (
                weight(settings, &i.kind),
                i.kind.eq_ignore_ascii_case("visit"),
            )
        });
        Contact {
            at: i.at,
            weight,
            visit,
            champion: client.is_champion_contact(i),
        }
    }
}

/// One client's heat panel, from all interactions (those of other clients are skipped).
pub fn heat_view(
    client: &Client,
    interactions: &[Interaction],
    settings: &HeatSettings,
    now: DateTime<Utc>,
) -> HeatView {
    let mut contacts = contacts_of(client, interactions, settings);
    view_from(client, &mut contacts, settings, now)
}

/// Every client's heat, coolest first (ties by name): who needs attention comes first.
/// Interactions are grouped by client in one pass, so a long log costs O(N log N) overall.
pub fn heat_board<'a>(
    clients: &'a [Client],
    interactions: &[Interaction],
    settings: &HeatSettings,
    now: DateTime<Utc>,
) -> Vec<(&'a Client, HeatView)> {
    let mut groups = group_by_client(clients, interactions, settings);
    let mut out: Vec<(&Client, HeatView)> = clients
        .iter()
        .zip(groups.iter_mut())
        .map(|(c, contacts)| (c, view_from(c, contacts, settings, now)))
        .collect();
    sort_coolest_first(&mut out);
    out
}

/// Coolest first, ties by name (the heat board's order).
pub fn sort_coolest_first<C: std::borrow::Borrow<Client>>(rows: &mut [(C, HeatView)]) {
    rows.sort_by(|a, b| {
        a.1.heat
            .total_cmp(&b.1.heat)
            .then_with(|| a.0.borrow().name.cmp(&b.0.borrow().name))
    });
}

/// Each client's contacts (by its index in `clients`), in log order; contacts with clients not
/// in `clients` are left out.
fn group_by_client(
    clients: &[Client],
    interactions: &[Interaction],
    settings: &HeatSettings,
) -> Vec<Vec<Contact>> {
    let mut index: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for (k, c) in clients.iter().enumerate() {
        // A repeated id: the first client has the contacts.
        index.entry(c.id.as_str()).or_insert(k);
    }
    let mut groups: Vec<Vec<Contact>> = vec![Vec::new(); clients.len()];
    let mut cache = WeightCache::default();
    for i in interactions {
        if let Some(&k) = index.get(&*i.client) {
            groups[k].push(cache.contact(i, &clients[k], settings));
        }
    }
    groups
}

/// Heat kept between boards: each client's contacts grouped once (so a new contact costs its
/// client's recompute, not a pass over the whole log), and each client's view at the instant it
/// was computed. Heat decays by well under a point an hour (half-lives are weeks), so a view is
/// recomputed when it is an hour old, when its client has a new contact, or when a contact
/// logged ahead of time comes due; in between only the day counts and cadence flags follow the
/// clock (exactly). Each update also recomputes the 1/60 of clients with the oldest views, so
/// minute ticks spread the hourly work instead of doing it all at once.
#[derive(Debug, Clone, Default)]
pub struct HeatCache {
    groups: Vec<Vec<Contact>>,
    index: foldhash::HashMap<String, usize>,
    views: Vec<HeatView>,
    /// When each view was computed (None: never, or its contacts changed since).
    at: Vec<Option<DateTime<Utc>>>,
    /// Each client's earliest contact after its `at` (a planned one): stale from then.
    next_contact: Vec<Option<DateTime<Utc>>>,
}

/// A heat view is recomputed when it is this old (see [`HeatCache`]).
pub const HEAT_MAX_AGE: Duration = Duration::hours(1);
/// … and this many updates (minutes) spread that work.
const HEAT_SPREAD: usize = 60;

impl HeatCache {
    pub fn new(clients: &[Client], interactions: &[Interaction], settings: &HeatSettings) -> Self {
        let mut groups = group_by_client(clients, interactions, settings);
        for g in &mut groups {
            g.sort_by_key(|c| c.at);
        }
        let mut index = foldhash::HashMap::default();
        for (k, c) in clients.iter().enumerate() {
            index.entry(c.id.clone()).or_insert(k);
        }
        HeatCache {
            groups,
            index,
            views: Vec::new(),
            at: vec![None; clients.len()],
            next_contact: vec![None; clients.len()],
        }
    }

    /// Add contacts appended to the log (the same clients and settings as `new`).
    pub fn append(
        &mut self,
        clients: &[Client],
        interactions: &[Interaction],
        settings: &HeatSettings,
    ) {
        let mut cache = WeightCache::default();
        for i in interactions {
            if let Some(&k) = self.index.get(&*i.client)
                && let Some(client) = clients.get(k)
            {
                let c = cache.contact(i, client, settings);
                let g = &mut self.groups[k];
                // Stable: equal instants keep log order, as a grouping from scratch would.
                let at = g.partition_point(|x| x.at <= c.at);
                g.insert(at, c);
                self.at[k] = None;
            }
        }
    }

    /// Each client's view (in `clients` order) at `now`, as fresh as described on
    /// [`HeatCache`].
    pub fn views(
        &mut self,
        clients: &[Client],
        settings: &HeatSettings,
        now: DateTime<Utc>,
    ) -> &[HeatView] {
        let n = clients.len();
        if self.views.len() != n {
            self.at = vec![None; n];
            self.next_contact = vec![None; n];
        }
        let stale = |at: Option<DateTime<Utc>>, next: Option<DateTime<Utc>>| {
            at.is_none_or(|a| a > now || now - a >= HEAT_MAX_AGE) || next.is_some_and(|x| now >= x)
        };
        let mut redo: Vec<usize> = (0..n)
            .filter(|&k| stale(self.at[k], self.next_contact[k]))
            .collect();
        // The oldest of the others, a share each update.
        let mut rest: Vec<usize> = (0..n)
            .filter(|&k| !stale(self.at[k], self.next_contact[k]) && self.at[k] < Some(now))
            .collect();
        rest.sort_by_key(|&k| self.at[k]);
        redo.extend(rest.into_iter().take(n.div_ceil(HEAT_SPREAD)));
        if self.views.len() != n {
            self.views = vec![view_from(&clients[0], &mut [], settings, now); n];
        }
        for (v, c) in self.views.iter_mut().zip(clients) {
            retime(v, c, now);
        }
        for k in redo {
            let g = &mut self.groups[k];
            self.views[k] = view_from(&clients[k], g, settings, now);
            self.at[k] = Some(now);
            self.next_contact[k] = g.get(g.partition_point(|c| c.at <= now)).map(|c| c.at);
        }
        &self.views
    }
}

fn view_from(
    client: &Client,
    contacts: &mut [Contact],
    settings: &HeatSettings,
    now: DateTime<Utc>,
) -> HeatView {
    // Logs are appended in time order, so this is nearly linear in practice.
    contacts.sort_by_key(|c| c.at);

    // Evaluation instants: 12 weekly sparkline points (slots 0..12) and 30 days ago (slot 12).
    const TREND_SLOT: usize = 12;
    let mut points: Vec<(DateTime<Utc>, usize)> = (0..12)
        .map(|k| (add_days(now, -SPARK_STEP_DAYS * (11 - k as i64)), k))
        .collect();
    points.push((add_days(now, -TREND_DAYS), TREND_SLOT));
    points.sort_by_key(|p| p.0);

    // One sweep: decay the running sum from one point to the next, then add what happened in
    // between, so each interaction is weighed once rather than once per point.
    let mut heats = [0.0f64; 13];
    let mut raw = 0.0f64;
    let mut last: Option<DateTime<Utc>> = None;
    let mut j = 0;
    for (t, slot) in points {
        if let Some(l) = last {
            raw *= decay(t - l, settings.half_life);
        }
        while let Some(c) = contacts.get(j).filter(|c| c.at <= t) {
            raw += c.weight * decay(t - c.at, settings.half_life);
            j += 1;
        }
        heats[slot] = heat_from_raw(raw, settings.scale);
        last = Some(t);
    }
    let mut sparkline = [0.0f64; 12];
    sparkline.copy_from_slice(&heats[..12]);
    let heat = sparkline[11];
    let heat_30d_ago = heats[TREND_SLOT];
    let delta = heat - heat_30d_ago;
    let trend = if delta.abs() < STEADY_BAND {
        Trend::Steady
    } else if delta > 0.0 {
        Trend::Rising
    } else {
        Trend::Falling
    };

    let past = &contacts[..contacts.partition_point(|c| c.at <= now)];
    let mut view = HeatView {
        heat,
        heat_30d_ago,
        trend,
        last_contact: past.last().map(|c| c.at),
        last_visit: past.iter().rev().find(|c| c.visit).map(|c| c.at),
        last_champion_contact: past.iter().rev().find(|c| c.champion).map(|c| c.at),
        days_since_contact: None,
        days_since_visit: None,
        contact_overdue: false,
        visit_overdue: false,
        sparkline,
    };
    retime(&mut view, client, now);
    view
}

/// The parts of a view that follow the clock, from its last contact and visit.
fn retime(view: &mut HeatView, client: &Client, now: DateTime<Utc>) {
    let days_since = |t: Option<DateTime<Utc>>| t.map(|t| (now - t).num_days());
    let overdue = |every: Option<Duration>, last: Option<DateTime<Utc>>| match (every, last) {
        (Some(every), Some(last)) => now - last > every,
        (Some(_), None) => true,
        (None, _) => false,
    };
    view.days_since_contact = days_since(view.last_contact);
    view.days_since_visit = days_since(view.last_visit);
    view.contact_overdue = overdue(client.contact_every, view.last_contact);
    view.visit_overdue = overdue(client.visit_every, view.last_visit);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::ClockRange;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }
    fn days_ago(d: i64) -> DateTime<Utc> {
        now() - Duration::days(d)
    }
    fn ix(client: &str, kind: &str, at: DateTime<Utc>) -> Interaction {
        Interaction {
            line: 0,
            at,
            client: client.into(),
            kind: kind.into(),
            who: None,
        }
    }
    fn client(id: &str, name: &str) -> Client {
        Client {
            name: name.into(),
            city: "Tokyo".into(),
            hours: ClockRange::parse("09:00-18:00").unwrap(),
            ..crate::domain::testkit::client(id, chrono_tz::Asia::Tokyo)
        }
    }
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Issue 18: "a champion not contacted within the cadence" is flagged, whoever else was
    /// called; the live cache (contacts appended under the dashboard) says the same as a board
    /// from scratch.
    #[test]
    fn a_champion_quiet_past_the_cadence_is_flagged_and_a_call_to_them_clears_it() {
        use crate::domain::people::{Person, Tie, TieFlag, tie_flags};
        let mut c = client("k", "Kanda");
        c.people = vec![
            Person::named("Sato Yuki", Tie::Champion),
            Person::named("Ito Ken", Tie::Backup),
        ];
        c.contact_every = Some(Duration::days(14));
        let who = |i: Interaction, w: &str| Interaction {
            who: Some(w.into()),
            ..i
        };
        let s = HeatSettings::default();
        let clients = [c];
        let mut log = vec![
            who(ix("k", "call", days_ago(30)), "sato yuki"),
            who(ix("k", "call", days_ago(2)), "Ito Ken"),
        ];
        let quiet = |v: &HeatView| {
            tie_flags(&clients[0], v.last_champion_contact, now())
                .contains(&TieFlag::ChampionQuiet { days: Some(30) })
        };
        let board = heat_board(&clients, &log, &s, now());
        assert!(quiet(&board[0].1));
        assert!(!board[0].1.contact_overdue);
        assert_eq!(board[0].1.last_champion_contact, Some(days_ago(30)));

        let mut cache = HeatCache::new(&clients, &log, &s);
        assert!(quiet(&cache.views(&clients, &s, now())[0]));
        let call = who(ix("k", "call", days_ago(1)), "Sato Yuki");
        cache.append(&clients, std::slice::from_ref(&call), &s);
        log.push(call);
        let live = cache.views(&clients, &s, now())[0].clone();
        assert!(tie_flags(&clients[0], live.last_champion_contact, now()).is_empty());
        assert_eq!(live, heat_board(&clients, &log, &s, now())[0].1);
    }

    #[test]
    fn one_fresh_visit_is_fifty() {
        let s = HeatSettings::default();
        let log = [ix("k", "visit", now())];
        assert_eq!(heat_at("k", &log, &s, now()), 50.0);
        assert_eq!(heat_at("other", &log, &s, now()), 0.0);
        assert_eq!(heat_at("k", &[], &s, now()), 0.0);
        // Kinds are case-insensitive; unknown kinds weigh 1: 100 * 1 / 11.
        assert_eq!(heat_at("k", &[ix("k", "VISIT", now())], &s, now()), 50.0);
        assert!(close(
            heat_at("k", &[ix("k", "lunch", now())], &s, now()),
            100.0 / 11.0
        ));
    }

    #[test]
    fn half_life_halves_raw() {
        let s = HeatSettings::default();
        // raw 10 -> 5 after 30 days: 100 * 5 / 15.
        let log = [ix("k", "visit", days_ago(30))];
        assert!(close(heat_at("k", &log, &s, now()), 100.0 / 3.0));
        // Two half-lives: raw 2.5 -> 100 * 2.5 / 12.5 = 20.
        assert!(close(heat_at("k", &log, &s, days_ago(-30)), 20.0));
        let mut s10 = s.clone();
        s10.half_life = Duration::days(10);
        let log = [ix("k", "call", days_ago(10))]; // raw 4 -> 2
        assert!(close(heat_at("k", &log, &s10, now()), 100.0 * 2.0 / 12.0));
    }

    #[test]
    fn future_interactions_are_ignored() {
        let s = HeatSettings::default();
        let log = [
            ix("k", "visit", now() + Duration::hours(1)),
            ix("k", "call", now()),
        ];
        // Only the call: 100 * 4 / 14.
        assert!(close(heat_at("k", &log, &s, now()), 400.0 / 14.0));
        let mut c = client("k", "Kanda");
        c.visit_every = Some(Duration::days(30));
        let v = heat_view(&c, &log, &s, now());
        assert!(close(v.heat, 400.0 / 14.0));
        assert_eq!(v.last_contact, Some(now()));
        assert_eq!(v.last_visit, None);
        assert!(v.visit_overdue);
    }

    #[test]
    fn degenerate_settings() {
        let s = HeatSettings {
            half_life: Duration::zero(),
            ..HeatSettings::default()
        };
        assert_eq!(heat_at("k", &[ix("k", "visit", now())], &s, now()), 50.0);
        let old = [ix("k", "visit", now() - Duration::seconds(1))];
        assert_eq!(heat_at("k", &old, &s, now()), 0.0);
        let v = heat_view(&client("k", "K"), &old, &s, now());
        assert_eq!(v.heat, 0.0);
        let mut s = HeatSettings::default();
        for scale in [0.0, -5.0, f64::NAN] {
            s.scale = scale;
            assert_eq!(heat_at("k", &old, &s, now()), 100.0);
            assert_eq!(heat_at("k", &[], &s, now()), 0.0);
        }
        let mut s = HeatSettings::default();
        s.weights.insert("bad".into(), -3.0);
        s.weights.insert("nan".into(), f64::NAN);
        let log = [ix("k", "bad", now()), ix("k", "nan", now())];
        assert_eq!(heat_at("k", &log, &s, now()), 0.0);
    }

    #[test]
    fn trend() {
        let s = HeatSettings::default();
        let c = client("k", "Kanda");
        let v = heat_view(&c, &[ix("k", "visit", now())], &s, now());
        assert_eq!(
            (v.heat, v.heat_30d_ago, v.trend),
            (50.0, 0.0, Trend::Rising)
        );
        // A visit 40 days ago: 10 * 0.5^(4/3) now (28.41) vs 10 * 0.5^(1/3) then (44.25).
        let v = heat_view(&c, &[ix("k", "visit", days_ago(40))], &s, now());
        assert!((v.heat - 28.410365).abs() < 1e-5, "{}", v.heat);
        assert!(
            (v.heat_30d_ago - 44.249333).abs() < 1e-5,
            "{}",
            v.heat_30d_ago
        );
        assert_eq!(v.trend, Trend::Falling);
        // An email 300 days ago: about 0.0098 now, under 0.02 then: steady.
        let v = heat_view(&c, &[ix("k", "email", days_ago(300))], &s, now());
        assert_eq!(v.trend, Trend::Steady);
        let v = heat_view(&c, &[], &s, now());
        assert_eq!((v.heat, v.trend), (0.0, Trend::Steady));
    }

    #[test]
    fn sparkline() {
        let s = HeatSettings::default();
        let c = client("k", "Kanda");
        // A visit exactly 11 weeks ago: the first point sees it fresh, then it halves every 30 d.
        let log = [
            ix("k", "visit", days_ago(77)),
            ix("x", "visit", days_ago(3)),
        ];
        let v = heat_view(&c, &log, &s, now());
        assert_eq!(v.sparkline.len(), 12);
        let expected = [
            50.0, 45.965432, 41.983064, 38.102426, 34.368003, 30.817362, 27.479957, 24.376631,
            21.519769, 18.913982, 16.557157, 14.441705,
        ];
        for (got, want) in v.sparkline.iter().zip(expected) {
            assert!((got - want).abs() < 1e-5, "{:?}", v.sparkline);
        }
        assert_eq!(v.sparkline[11], v.heat);
        assert!(close(v.heat, heat_at("k", &log, &s, now())));
        // A call 2 days before the last point: 10 * 0.5^(30/30) + 4 * 0.5^(2/30) -> 46.863248.
        let log = [ix("k", "visit", days_ago(30)), ix("k", "call", days_ago(2))];
        let v = heat_view(&c, &log, &s, now());
        assert!((v.heat - 46.863248).abs() < 1e-5);
        assert_eq!(v.sparkline[11], v.heat);
        // The point 7 days ago sees only the visit at 23 days old.
        assert!(close(v.sparkline[10], heat_at("k", &log, &s, days_ago(7))));
        assert!(close(v.heat_30d_ago, 50.0));
    }

    #[test]
    fn cadence_flags() {
        let s = HeatSettings::default();
        let mut c = client("k", "Kanda");
        c.contact_every = Some(Duration::days(7));
        c.visit_every = Some(Duration::days(30));
        let log = [
            ix("k", "visit", days_ago(31)),
            ix("k", "email", days_ago(8)),
            ix("other", "email", days_ago(1)),
        ];
        let v = heat_view(&c, &log, &s, now());
        assert_eq!(v.last_contact, Some(days_ago(8)));
        assert_eq!(v.last_visit, Some(days_ago(31)));
        assert_eq!(v.days_since_contact, Some(8));
        assert_eq!(v.days_since_visit, Some(31));
        assert!(v.contact_overdue && v.visit_overdue);
        // Exactly at the cadence is not yet older than it.
        let log = [
            ix("k", "visit", days_ago(30)),
            ix("k", "email", days_ago(7)),
        ];
        let v = heat_view(&c, &log, &s, now());
        assert!(!v.contact_overdue && !v.visit_overdue);
        // 6 days 23 hours: 6 whole days.
        let log = [ix("k", "call", now() - Duration::hours(6 * 24 + 23))];
        let v = heat_view(&c, &log, &s, now());
        assert_eq!(v.days_since_contact, Some(6));
        assert_eq!(v.days_since_visit, None);
        assert!(!v.contact_overdue && v.visit_overdue);
        // Nothing at all: overdue wherever a cadence is set.
        let v = heat_view(&c, &[], &s, now());
        assert!(v.contact_overdue && v.visit_overdue);
        let v = heat_view(&client("k", "K"), &[], &s, now());
        assert!(!v.contact_overdue && !v.visit_overdue);
    }

    #[test]
    fn board_is_coolest_first() {
        let s = HeatSettings::default();
        let clients = [
            client("a", "Alpha"),
            client("b", "Bravo"),
            client("c", "Charlie"),
            client("d", "Delta"),
        ];
        let log = [
            ix("a", "visit", now()),
            ix("b", "email", days_ago(2)),
            ix("zz", "visit", now()),
        ];
        let board = heat_board(&clients, &log, &s, now());
        let names: Vec<&str> = board.iter().map(|(c, _)| c.name.as_str()).collect();
        // Charlie and Delta both 0, by name; then Bravo; Alpha hottest.
        assert_eq!(names, ["Charlie", "Delta", "Bravo", "Alpha"]);
        assert_eq!(board[3].1.heat, 50.0);
        assert_eq!(board[3].1, heat_view(&clients[0], &log, &s, now()));
    }

    #[test]
    fn big_log_is_fast_enough() {
        let s = HeatSettings::default();
        let clients: Vec<Client> = (0..50)
            .map(|i| client(&format!("c{i}"), &format!("Client {i}")))
            .collect();
        let kinds = ["visit", "email", "call", "Gift"];
        let log: Vec<Interaction> = (0..200_000)
            .map(|i| {
                ix(
                    &format!("c{}", i % 50),
                    kinds[i % 4],
                    days_ago(1000) + Duration::minutes(i as i64 * 7),
                )
            })
            .collect();
        let board = heat_board(&clients, &log, &s, now());
        assert_eq!(board.len(), 50);
        let (c, v) = &board[0];
        assert!((v.heat - heat_at(&c.id, &log, &s, now())).abs() < 1e-6);
    }

    #[test]
    fn absurd_instants() {
        let s = HeatSettings::default();
        let c = client("k", "K");
        let log = [
            ix("k", "visit", DateTime::<Utc>::MIN_UTC),
            ix("k", "visit", DateTime::<Utc>::MAX_UTC),
        ];
        for t in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
            let v = heat_view(&c, &log, &s, t);
            assert!(v.heat.is_finite() && v.sparkline.iter().all(|h| h.is_finite()));
            assert!(heat_at("k", &log, &s, t).is_finite());
        }
    }

    proptest! {
        #[test]
        fn heat_never_rises_without_new_interactions(
            past in proptest::collection::vec((0i64..(400 * 86_400), 0usize..5), 0..20),
            future in proptest::collection::vec(1i64..(400 * 86_400), 0..5),
            half_life_h in 0i64..(100 * 24),
            x in 0i64..(200 * 86_400),
            y in 0i64..(200 * 86_400),
        ) {
            let kinds = ["visit", "email", "call", "whatever", "gift"];
            let s = HeatSettings {
                half_life: Duration::hours(half_life_h),
                ..HeatSettings::default()
            };
            let base = now();
            let t1 = base + Duration::seconds(x);
            let t2 = t1 + Duration::seconds(y);
            let mut log: Vec<Interaction> = past
                .iter()
                .map(|(a, k)| ix("k", kinds[*k], base - Duration::seconds(*a)))
                .collect();
            log.extend(future.iter().map(|f| ix("k", "visit", t2 + Duration::seconds(*f))));
            let h1 = heat_at("k", &log, &s, t1);
            let h2 = heat_at("k", &log, &s, t2);
            prop_assert!(h2 <= h1 + 1e-9, "{} then {}", h1, h2);
            prop_assert!((0.0..=100.0).contains(&h2));
        }
    }
}
