//! The typed model of a data directory, after loading: what every pane computes from.

use super::held::{Held, Record};
use super::holidays::DaysOff;
use super::recur::Recurrence;
use super::time::{ClockRange, WeekdaySet};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use compact_str::CompactString;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Where a record came from, so the store can find it again to rewrite it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// 1-based line number at load time.
    pub line: usize,
    /// The line's exact text at load time (without its line ending), to find the line again
    /// and to key a record without an id. Empty for a closed record with an id: nothing
    /// rewrites a closed record, and its id is its key (see `store::records`). A short line
    /// is held in the struct itself, not on the heap (issue 13: millions of one-line records).
    pub text: CompactString,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Travel {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub zone: Tz,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub name: String,
    pub zone: Tz,
    pub work_hours: ClockRange,
    pub work_days: WeekdaySet,
    pub holidays: BTreeSet<NaiveDate>,
    /// `country`, `region` and `closures`: your public holidays and closures.
    pub days_off: DaysOff,
    pub travel: Vec<Travel>,
}

impl Me {
    /// Your zone on a given local date: a travel zone on the days it covers, else `zone`.
    /// Travel dates are in the travel zone, so each trip is checked against its own calendar.
    pub fn zone_at(&self, at: DateTime<Utc>) -> Tz {
        self.travel
            .iter()
            .find(|t| {
                let d = at.with_timezone(&t.zone).date_naive();
                t.from <= d && d <= t.to
            })
            .map(|t| t.zone)
            .unwrap_or(self.zone)
    }

    /// The zone that governs a local working date (for capacity): the travel zone if the date
    /// falls in a trip, else `zone`.
    pub fn zone_on(&self, date: NaiveDate) -> Tz {
        self.travel
            .iter()
            .find(|t| t.from <= date && date <= t.to)
            .map(|t| t.zone)
            .unwrap_or(self.zone)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertSettings {
    pub enabled: bool,
    pub quiet_hours: Option<ClockRange>,
    pub warn_slack: Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatSettings {
    pub half_life: Duration,
    pub scale: f64,
    /// Weight per interaction kind; any kind not listed weighs 1.
    pub weights: BTreeMap<String, f64>,
}

impl HeatSettings {
    pub fn weight(&self, kind: &str) -> f64 {
        self.weights
            .get(&kind.to_ascii_lowercase())
            .copied()
            .unwrap_or(1.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtraClock {
    pub label: String,
    pub zone: Tz,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub id: String,
    pub name: String,
    /// The client's zone; with [`Client::unknown_zone`], the stand-in it is placed in.
    pub zone: Tz,
    /// The zone as written when tether does not know it (a typo such as "Europe/Stuttgart"):
    /// the client is kept, in `zone`, and shown marked (docs/decisions.md, "A client's unknown
    /// zone"). Shared by the rows that show it.
    pub unknown_zone: Option<Arc<UnknownZone>>,
    pub city: String,
    pub hours: ClockRange,
    pub days: WeekdaySet,
    pub holidays: BTreeSet<NaiveDate>,
    /// `country`, `region` and `closures`: their public holidays and company closures.
    pub days_off: DaysOff,
    /// The champion's name: of the person marked `champion = true` in `people`, else the older
    /// `champion = "…"` string (which then is that person).
    pub champion: Option<String>,
    /// The people you deal with there (`[[clients.people]]`), see `domain::people`.
    pub people: Vec<Person>,
    /// `gift_area`: which dates of Japan's gift seasons they keep (`domain::gifts`).
    pub gift_area: GiftArea,
    /// `[clients.retainer]`: hours a month or a week (`domain::retainer`).
    pub retainer: Option<Retainer>,
    /// `[[clients.milestones]]`, in file order (`domain::milestone`).
    pub milestones: Vec<super::milestone::Milestone>,
    /// `[clients.billing]`: when to invoice and the payment terms (`domain::billing`).
    pub billing: Option<Billing>,
    pub contact_every: Option<Duration>,
    pub visit_every: Option<Duration>,
    /// `example = true`: a made-up client of the shipped example data. It never alerts, and
    /// while any client is one the dashboard says the data is the example (docs/decisions.md,
    /// "The first run").
    pub example: bool,
}

/// One of the people you deal with at a client (`[[clients.people]]`); what their ties mean is
/// in `domain::people`.
/// A person's place in the relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    /// Your advocate inside the client: "you're really going to need this person".
    Champion,
    /// Who you turn to when the champion leaves or is away.
    Backup,
    Other,
}

impl Tie {
    pub fn label(self) -> &'static str {
        match self {
            Tie::Champion => "champion",
            Tie::Backup => "backup",
            Tie::Other => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub tie: Tie,
    /// Their own zone when they sit elsewhere than the client (a Tokyo firm's Osaka office).
    pub zone: Option<Tz>,
    pub email: Option<String>,
    /// Other names the contact log uses for them ("Sato-san").
    pub aka: Vec<String>,
}

/// Where in Japan a client keeps the summer gift season.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GiftArea {
    #[default]
    Kanto,
    Kansai,
}

impl GiftArea {
    pub fn parse(s: &str) -> Result<GiftArea, String> {
        match s.trim().to_ascii_lowercase().replace('ō', "o").as_str() {
            "kanto" => Ok(GiftArea::Kanto),
            "kansai" => Ok(GiftArea::Kansai),
            _ => Err(format!(
                "cannot read {s:?}: write \"kanto\" (Tokyo and the east) or \"kansai\" (Osaka, Kyoto and the west)"
            )),
        }
    }
}

/// A yearly gift occasion: deliver from `from` to `by` (month, day), ordered `lead` days ahead.
#[derive(Debug, Clone, PartialEq)]
pub struct Occasion {
    pub name: String,
    pub from: (u32, u32),
    pub by: (u32, u32),
    pub lead_days: u32,
    /// The clients it is for (ids); empty: by `countries`, else every client.
    pub clients: Vec<String>,
    /// Countries whose clients keep it (ISO codes); empty with no `clients`: every client.
    pub countries: Vec<String>,
}

/// How long one period of a retainer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Month,
    Week,
}

impl Every {
    pub fn parse(s: &str) -> Result<Every, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "month" | "monthly" => Ok(Every::Month),
            "week" | "weekly" => Ok(Every::Week),
            _ => Err(format!("cannot read {s:?}; write \"month\" or \"week\"")),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Every::Month => "month",
            Every::Week => "week",
        }
    }
}

/// `[clients.retainer]`: `hours` each period, `every` month or week, from `starts`.
#[derive(Debug, Clone, PartialEq)]
pub struct Retainer {
    pub hours: Duration,
    pub every: Every,
    /// The first period's first day (the client's calendar); its day of the month (or weekday)
    /// is every period's first.
    pub starts: NaiveDate,
    pub rollover: bool,
}

/// `[clients.billing]`: the payment schedule of a contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Billing {
    /// When an invoice is due to be sent.
    pub invoice: InvoiceOn,
    /// Days from sending an invoice to its payment being due (`terms = "30d"`).
    pub terms_days: u32,
    /// An ISO 4217 code, upper case: the currency of `amount` and of milestones without one.
    pub currency: Option<String>,
    /// The amount of each invoice of a periodic schedule (a retainer's fee), in minor units.
    pub amount: Option<i64>,
}

/// `invoice = "milestone"` or `invoice = "month on 25"` (from `starts`).
#[derive(Debug, Clone, PartialEq)]
pub enum InvoiceOn {
    /// Each milestone with an amount, once its deadline is done.
    Milestone,
    /// On the days of a rule of the recurring grammar, from `starts` (the client's calendar);
    /// milestones done since the last invoice day are added to the next invoice.
    Every {
        rule: super::recur::Recurrence,
        starts: NaiveDate,
    },
}

/// What makes a follow-up part of the money: an invoice to send or a payment to come
/// (`"bill"`, `"amount"`, `"currency"` on its line; written by `store::invoice_followups`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub kind: BillKind,
    /// In the currency's minor units.
    pub amount: Option<i64>,
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillKind {
    /// An invoice to send: done when it is sent.
    Invoice,
    /// A payment to come: done when it is paid.
    Payment,
}

impl BillKind {
    pub fn parse(s: &str) -> Option<BillKind> {
        match s {
            "invoice" => Some(BillKind::Invoice),
            "payment" => Some(BillKind::Payment),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            BillKind::Invoice => "invoice",
            BillKind::Payment => "payment",
        }
    }
}

/// A client's zone as written in tether.toml when tether does not know it. Times of that client
/// are placed in a stand-in zone, your own `me.zone` (docs/decisions.md says why), and every
/// place that shows the client or its records says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownZone {
    /// The zone as written (at most [`UnknownZone::SHOWN_CHARS`] of it are ever shown).
    pub written: String,
    /// The file and line it was written at (`tether.toml`, 78).
    pub file: &'static str,
    pub line: usize,
}

impl UnknownZone {
    /// What marks a client, or a record of a client, whose zone is unknown (short enough for
    /// every pane at every width).
    pub const MARK: &'static str = "[zone?]";
    /// A zone name is at most this long; a longer value is shown cut.
    pub const SHOWN_CHARS: usize = 40;

    /// The zone as written, cut to [`UnknownZone::SHOWN_CHARS`] characters.
    pub fn shown(&self) -> String {
        let mut s: String = self.written.chars().take(Self::SHOWN_CHARS).collect();
        if s.len() < self.written.len() {
            s.push('…');
        }
        s
    }

    /// `zone "Europe/Stuttgart" is unknown (tether.toml:78): its times are in your zone,
    /// Australia/Brisbane, until it is fixed`
    pub fn describe(&self, used: Tz) -> String {
        format!(
            "zone {:?} is unknown ({}): its times are in your zone, {}, until it is fixed",
            self.shown(),
            self.at(),
            used.name()
        )
    }

    /// `tether.toml:78`
    pub fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// Dashboard display settings (`[ui]` in tether.toml; tether's own addition to the format).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UiSettings {
    /// Show seconds on the clocks (redraws every second instead of every minute).
    pub seconds: bool,
    /// The colours: for a dark terminal (the default) or a light one.
    pub theme: ThemeChoice,
}

/// `[ui] theme`: which background the colours are made to be read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    #[default]
    Dark,
    Light,
}

/// One user key binding from `[keys]` (`done = "d"` or `quit = ["q", "ctrl-q"]`); the dashboard
/// validates the action and key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub action: String,
    pub keys: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub me: Me,
    pub alerts: AlertSettings,
    pub heat: HeatSettings,
    pub clocks: Vec<ExtraClock>,
    pub clients: Vec<Client>,
    /// `[[gifts]]`: gift occasions you add (`domain::gifts`).
    pub gifts: Vec<Occasion>,
    pub ui: UiSettings,
    pub keys: Vec<KeyOverride>,
}

impl Config {
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// Whether any client is one of the example's made-up clients (`example = true`).
    pub fn has_example_clients(&self) -> bool {
        self.clients.iter().any(|c| c.example)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Open,
    Done,
    Dropped,
}

impl Status {
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "done" => Some(Status::Done),
            "dropped" => Some(Status::Dropped),
            _ => None,
        }
    }
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub origin: Origin,
    pub id: Option<CompactString>,
    /// Shared with the other records of the same client (see `store::records::Ctx`).
    pub client: Option<Arc<str>>,
    /// Held in the struct itself when short (most are), not on the heap.
    pub title: CompactString,
    /// The due instant (a date-only value already resolved to the end of business hours).
    pub due: DateTime<Utc>,
    /// The zone `due` was written in (record zone, else client zone, else yours).
    pub zone: Tz,
    pub estimate: Option<Duration>,
    pub spent: Option<Duration>,
    pub status: Status,
    pub done_at: Option<DateTime<Utc>>,
    /// `every`: the rule of a recurring deadline (`domain::recur`).
    pub every: Option<Box<Recurrence>>,
    /// The time logged on it in timelog.jsonl (filled in after loading by
    /// [`super::timelog::attach`]; nothing when it has no id).
    pub logged: Logged,
}

impl Record for Deadline {
    fn line(&self) -> usize {
        self.origin.line
    }
    fn text(&self) -> &str {
        &self.origin.text
    }
    fn reads_back(&self) -> bool {
        !self.origin.text.is_empty() && self.logged == Logged::default()
    }
}

impl Record for Followup {
    fn line(&self) -> usize {
        self.origin.line
    }
    fn text(&self) -> &str {
        &self.origin.text
    }
}

impl Deadline {
    /// Work done on it at `now`: the hand `spent` plus the time logged in timelog.jsonl (a
    /// running timer up to `now`, never past the end of the working day it started in). The one
    /// place spent time is added up: risk, latest start, alerts, the board, the client page and
    /// `status` all read it from here (docs/decisions.md, "The timer").
    pub fn spent_at(&self, now: DateTime<Utc>) -> Duration {
        self.spent_with(self.logged.at(now))
    }

    /// The hand `spent` plus `logged` (for `status`, which adds the log up itself).
    pub fn spent_with(&self, logged: Duration) -> Duration {
        self.spent.unwrap_or_else(Duration::zero) + logged
    }

    /// Work still to do at `now`: max(estimate - spent, 0), spent as [`Deadline::spent_at`].
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        self.remaining_with(self.logged.at(now))
    }

    /// Work still to do with `logged` of logged time: max(estimate - spent - logged, 0).
    pub fn remaining_with(&self, logged: Duration) -> Duration {
        let est = self.estimate.unwrap_or_else(Duration::zero);
        (est - self.spent_with(logged)).max(Duration::zero())
    }
}

/// The time logged on one deadline: the finished entries and hand entries added up, and the
/// timer running on it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Logged {
    /// Finished timer entries and hand entries.
    pub done: Duration,
    /// A timer running on it: since when, and the instant it stops counting until you say how
    /// long (the end of the working day it started in).
    pub running: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Logged {
    /// The logged time at `now`: `done`, and the running timer from its start up to `now` or
    /// its cap, whichever comes first.
    pub fn at(&self, now: DateTime<Utc>) -> Duration {
        let run = self.running.map_or(Duration::zero(), |(start, cap)| {
            (now.min(cap) - start).max(Duration::zero())
        });
        self.done + run
    }

    /// Whether nothing is logged.
    pub fn is_empty(&self) -> bool {
        self.done.is_zero() && self.running.is_none()
    }
}

/// What a timelog entry is on: a deadline (by its id) or a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeOn {
    Deadline(String),
    Client(Arc<str>),
}

/// How long a timelog entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpan {
    /// Timed: from `start`, to `end` (None while it runs).
    Timed {
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    },
    /// Typed by hand (`tether track add 1h30m`): how long, and on which day (your calendar).
    Hand {
        spent: Duration,
        on: Option<NaiveDate>,
    },
}

/// One line of timelog.jsonl that is an entry (a stop line is folded into the entry it stops).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeEntry {
    /// 1-based line number at load time.
    pub line: usize,
    pub id: Option<String>,
    pub on: TimeOn,
    /// The client written on a deadline's entry, or the client of a client entry.
    pub client: Option<Arc<str>>,
    pub span: TimeSpan,
    pub note: Option<String>,
}

impl TimeEntry {
    /// The entry's length at `now` (a running one up to `now`, uncapped).
    pub fn running_since(&self) -> Option<DateTime<Utc>> {
        match self.span {
            TimeSpan::Timed { start, end: None } => Some(start),
            _ => None,
        }
    }
}

/// When a follow-up is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FollowupDue {
    /// An exact instant.
    At(DateTime<Utc>),
    /// Due during that day in your zone; overdue after it.
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Followup {
    pub origin: Origin,
    pub id: Option<CompactString>,
    /// Shared with the other records of the same client (see `store::records::Ctx`).
    pub client: Option<Arc<str>>,
    pub who: Option<CompactString>,
    /// Held in the struct itself when short (most are), not on the heap.
    pub what: CompactString,
    pub due: Option<FollowupDue>,
    /// The zone its times are written in (record zone, else client zone, else yours), as on a
    /// deadline: the one rule is the loader's (`store::records::fields`).
    pub zone: Tz,
    pub status: Status,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub waiting: bool,
    pub created: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    /// `every`: the rule of a recurring follow-up (`domain::recur`).
    pub every: Option<Box<Recurrence>>,
    /// `bill`: an invoice to send or a payment to come (`domain::billing`).
    pub bill: Option<Box<Bill>>,
}

/// A logged contact, as much of it as heat and the filter need. Its `note` is checked when the
/// line is read but not kept: nothing shows it, nothing rewrites a contact, and years of notes
/// would otherwise be most of the memory (docs/decisions.md, "Live updates at scale"). Its
/// `who` is kept shared, for the filter (docs/decisions.md, "The filter finds a client by its
/// contacts").
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// 1-based line number at load time.
    pub line: usize,
    pub at: DateTime<Utc>,
    /// Shared with the other contacts of the same client / kind (see `store::records::Ctx`).
    pub client: Arc<str>,
    pub kind: Arc<str>,
    /// Who was contacted, trimmed; shared with the other contacts naming the same person (None
    /// past the first [`Interaction::MAX_NAMES`] different names of a read).
    pub who: Option<Arc<str>>,
}

impl Interaction {
    /// Different contact names one read keeps: a person's contacts are a few names repeated,
    /// and a log of a million different names is not kept whole for a filter.
    pub const MAX_NAMES: usize = 4096;
}

/// Everything loaded from a data directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    pub config: Config,
    /// Typed, or held as their lines for millions of tiny ones (see `domain::held`).
    pub deadlines: Held<Deadline>,
    pub followups: Held<Followup>,
    pub interactions: Vec<Interaction>,
    /// timelog.jsonl's entries, stops folded in (see `domain::timelog`).
    pub timelog: Vec<TimeEntry>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            me: Me {
                name: String::new(),
                zone: chrono_tz::UTC,
                work_hours: ClockRange::new(
                    chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                    chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
                ),
                work_days: WeekdaySet::WORKWEEK,
                holidays: BTreeSet::new(),
                days_off: Default::default(),
                travel: Vec::new(),
            },
            alerts: AlertSettings {
                enabled: true,
                quiet_hours: None,
                warn_slack: Duration::days(1),
            },
            heat: HeatSettings::default(),
            clocks: Vec::new(),
            clients: Vec::new(),
            gifts: Vec::new(),
            ui: UiSettings::default(),
            keys: Vec::new(),
        }
    }
}

impl Default for HeatSettings {
    fn default() -> Self {
        let weights = [
            ("visit", 10.0),
            ("meeting", 6.0),
            ("call", 4.0),
            ("video", 4.0),
            ("gift", 8.0),
            ("delivery", 2.0),
            ("email", 1.0),
            ("message", 1.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        HeatSettings {
            half_life: Duration::days(30),
            scale: 10.0,
            weights,
        }
    }
}
