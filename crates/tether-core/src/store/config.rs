//! tether.toml -> Config, with a diagnostic at the line of every problem. Unknown keys are
//! warnings (a typo such as `zome` must not pass silently); a bad value falls back to the default
//! and is an error, so one mistake never hides the rest of the file.

use super::diagnostic::{Diagnostic, line_col};
use crate::domain::holidays::{Closure, DaysOff, PublicHolidays, UnknownCode};
use crate::domain::model::{Client, Config, ExtraClock, ThemeChoice, Travel, UnknownZone};
use crate::domain::time::{ClockRange, WeekdaySet, format_working, parse_duration, parse_zone};

/// A zone name tether knows, in any case ("asia/tokyo"), without working out a suggestion.
fn known_zone(s: &str) -> Option<Tz> {
    s.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
            .copied()
    })
}
use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use super::files::CONFIG_FILE;

mod billing;
mod gifts;
mod people;
mod retainer;

type Table<'i> = DeTable<'i>;
type Value<'i> = Spanned<DeValue<'i>>;

struct Ctx<'t> {
    text: &'t str,
    diags: Vec<Diagnostic>,
    /// How many more unknown zones get a "did you mean" (each compares with ~600 zone names).
    zone_suggestions: usize,
    /// The last position turned into a line number: (offset, line, offset of that line's
    /// start). Problems come in file order, so each is counted on from the last, not from the
    /// top (10,000 problems in a big file would otherwise rescan it 10,000 times).
    pos: (usize, usize, usize),
}

/// As in the .jsonl files (records/fields.rs): past this many unknown zones in tether.toml, the
/// message has no "did you mean", so 10,000 misspelled zones cost milliseconds, not seconds.
const MAX_ZONE_SUGGESTIONS: usize = 50;

impl Ctx<'_> {
    fn line(&mut self, span: &std::ops::Range<usize>) -> (usize, usize) {
        let offset = span.start.min(self.text.len());
        let (from, mut line, mut line_start) = if offset >= self.pos.0 {
            self.pos
        } else {
            (0, 1, 0)
        };
        let bytes = self.text.as_bytes();
        for nl in memchr::memchr_iter(b'\n', bytes.get(from..offset).unwrap_or_default()) {
            line += 1;
            line_start = from + nl + 1;
        }
        self.pos = (offset, line, line_start);
        let col = String::from_utf8_lossy(bytes.get(line_start..offset).unwrap_or_default())
            .chars()
            .count()
            + 1;
        (line, col)
    }
    fn error(&mut self, span: &std::ops::Range<usize>, msg: impl Into<String>) {
        let (l, c) = self.line(span);
        self.diags
            .push(Diagnostic::error(CONFIG_FILE, l, msg).with_col(c));
    }
    fn warn(&mut self, span: &std::ops::Range<usize>, msg: impl Into<String>) {
        let (l, c) = self.line(span);
        self.diags
            .push(Diagnostic::warning(CONFIG_FILE, l, msg).with_col(c));
    }

    /// Warn about keys not in `known`, suggesting the nearest known one.
    fn check_keys(&mut self, table: &Table<'_>, section: &str, known: &[&str]) {
        for (k, _) in table.iter() {
            let name = k.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let hint = nearest(name, known)
                .map(|n| format!(" (did you mean \"{n}\"?)"))
                .unwrap_or_default();
            self.warn(
                &k.span(),
                format!("unknown key \"{name}\" in {section}{hint}; it is ignored"),
            );
        }
    }

    fn string(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.error(
                    &v.span(),
                    format!("\"{key}\" must be a string, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn parsed<T>(
        &mut self,
        v: &Value<'_>,
        key: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let s = self.string(v, key)?;
        match parse(&s) {
            Ok(x) => Some(x),
            Err(e) => {
                self.error(&v.span(), format!("\"{key}\": {e}"));
                None
            }
        }
    }

    fn zone(&mut self, v: &Value<'_>, key: &str) -> Option<Tz> {
        let s = self.string(v, key)?;
        if let Some(tz) = known_zone(&s) {
            return Some(tz);
        }
        let msg = if self.zone_suggestions > 0 || s.len() > 64 {
            self.zone_suggestions = self.zone_suggestions.saturating_sub(1);
            parse_zone(&s).err().unwrap_or_default()
        } else {
            format!("unknown time zone {s:?}; use an IANA name such as \"Asia/Tokyo\"")
        };
        self.error(&v.span(), format!("\"{key}\": {msg}"));
        None
    }

    fn duration(&mut self, v: &Value<'_>, key: &str) -> Option<Duration> {
        self.parsed(v, key, parse_duration)
    }

    fn range(&mut self, v: &Value<'_>, key: &str) -> Option<ClockRange> {
        self.parsed(v, key, ClockRange::parse)
    }

    fn boolean(&mut self, v: &Value<'_>, key: &str) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.error(
                    &v.span(),
                    format!("\"{key}\" must be true or false, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn number(&mut self, v: &Value<'_>, key: &str) -> Option<f64> {
        let n = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) if i.radix() == 10 => {
                i.as_str().replace('_', "").parse::<f64>().ok()
            }
            _ => None,
        };
        match n {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                self.error(
                    &v.span(),
                    format!("\"{key}\" must be a number of 0 or more"),
                );
                None
            }
        }
    }

    fn array<'a, 'i>(&mut self, v: &'a Value<'i>, key: &str) -> Option<&'a [Value<'i>]> {
        match v.get_ref() {
            DeValue::Array(a) => Some(a),
            other => {
                self.error(
                    &v.span(),
                    format!("\"{key}\" must be a list, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn table<'a, 'i>(&mut self, v: &'a Value<'i>, key: &str) -> Option<&'a Table<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    &v.span(),
                    format!("[{key}] must be a table, not {}", other.type_str()),
                );
                None
            }
        }
    }

    fn days(&mut self, v: &Value<'_>, key: &str) -> Option<WeekdaySet> {
        let items = self.array(v, key)?;
        let mut set = WeekdaySet::EMPTY;
        for item in items {
            if let Some(d) = self.parsed(item, key, WeekdaySet::parse_day) {
                set.insert(d);
            }
        }
        Some(set)
    }

    fn dates(&mut self, v: &Value<'_>, key: &str) -> BTreeSet<NaiveDate> {
        let mut out = BTreeSet::new();
        let Some(items) = self.array(v, key) else {
            return out;
        };
        for item in items {
            if let Some(d) = self.date(item, key) {
                out.insert(d);
            }
        }
        out
    }

    /// `closures = ["12-29..01-03", "2027-08-13..2027-08-16"]`: each range that reads, an error
    /// at each one that does not.
    fn closures(&mut self, v: &Value<'_>, key: &str) -> Vec<Closure> {
        let Some(items) = self.array(v, key) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.parsed(item, key, Closure::parse))
            .collect()
    }

    /// `country` and `region` of a table: its public holidays, or an error at the line of the
    /// code tether does not have (none is then used).
    fn public_holidays(&mut self, t: &Table<'_>, section: &str) -> Option<PublicHolidays> {
        let country_v = get(t, "country");
        let region_v = get(t, "region");
        let country = country_v.and_then(|v| self.string(v, "country"));
        let region = region_v.and_then(|v| self.string(v, "region"));
        let (Some(country_v), Some(country)) = (country_v, country) else {
            if let (Some(v), None) = (region_v, country_v) {
                self.error(
                    &v.span(),
                    format!(
                        "\"region\" in {section} needs the country too: add country = \"DE\" (its ISO code) above it; no public holidays are used"
                    ),
                );
            }
            return None;
        };
        match PublicHolidays::resolve(&country, region.as_deref()) {
            Ok(p) => Some(p),
            Err(e) => {
                let at = match (&e, region_v) {
                    (UnknownCode::Region { .. }, Some(r)) => r.span(),
                    _ => country_v.span(),
                };
                let key = if matches!(e, UnknownCode::Region { .. }) {
                    "region"
                } else {
                    "country"
                };
                self.error(&at, format!("\"{key}\": {e}; no public holidays are used"));
                None
            }
        }
    }

    /// A date written as a string ("2026-12-25") or as a bare TOML date (2026-12-25).
    fn date(&mut self, v: &Value<'_>, key: &str) -> Option<NaiveDate> {
        let s = match v.get_ref() {
            DeValue::Datetime(d) => d.to_string(),
            DeValue::String(s) => s.to_string(),
            other => {
                self.error(
                    &v.span(),
                    format!(
                        "\"{key}\" must be a date like \"2026-12-25\", not {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(
                    &v.span(),
                    format!("\"{key}\": cannot read date {s:?}; write it as \"2026-12-25\""),
                );
                None
            }
        }
    }

    /// An array of tables (`[[clients]]`), each item with its span.
    fn tables<'a, 'i>(
        &mut self,
        v: &'a Value<'i>,
        key: &str,
    ) -> Vec<(&'a Table<'i>, std::ops::Range<usize>)> {
        let Some(items) = self.array(v, key) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.table(item, key).map(|t| (t, item.span())))
            .collect()
    }
}

/// The known key closest to `name`, if it is close enough to be a likely typo.
pub fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let len = name.chars().count();
    known
        .iter()
        .filter_map(|k| {
            let limit = 2.max(k.len() / 4);
            // The distance is at least the difference in length: most candidates end here.
            if len.abs_diff(k.chars().count()) > limit {
                return None;
            }
            let d = strsim::levenshtein(name, k);
            (d <= limit).then_some((d, *k))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn get<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a Value<'i>> {
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// `text` with the first character of each merge-conflict marker line turned into `#`, and the
/// 1-based numbers of those lines.
fn comment_out_markers(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut lines = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
            .iter()
            .any(|m| t.starts_with(m))
        {
            let indent = line.len() - t.len();
            out.push_str(&line[..indent]);
            out.push('#');
            out.push_str(&t[1..]);
            lines.push(i + 1);
        } else {
            out.push_str(line);
        }
    }
    (out, lines)
}

/// Parse tether.toml. Never fails: every problem is a diagnostic and the rest still loads.
pub fn parse_config(text: &str) -> (Config, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A sync conflict leaves marker lines that are not TOML. Name them as what they are, and read
    // the file as if each were a comment (same length, so every span still points at the right
    // column): both sides then load, and a client defined on both is a duplicate id, not a
    // cascade of syntax errors and unknown clients.
    let (unmarked, markers) = comment_out_markers(text);
    let text = unmarked.as_str();
    let mut cx = Ctx {
        text,
        diags: markers
            .iter()
            .map(|&l| {
                Diagnostic::error(
                    CONFIG_FILE,
                    l,
                    "merge-conflict marker: keep the side you want, delete the marker lines, and save",
                )
                .with_col(1)
            })
            .collect(),
        zone_suggestions: MAX_ZONE_SUGGESTIONS,
        pos: (0, 1, 0),
    };
    let (root, errors) = DeTable::parse_recoverable(text);
    for e in errors {
        let (l, c) = e.span().map_or((0, 1), |s| line_col(text, s.start));
        cx.diags.push(
            Diagnostic::error(
                CONFIG_FILE,
                l,
                format!("TOML syntax: {}", e.message().trim()),
            )
            .with_col(c),
        );
    }
    let root = root.get_ref();
    let mut config = Config::default();
    cx.check_keys(
        root,
        CONFIG_FILE,
        &[
            "me", "alerts", "heat", "clocks", "clients", "gifts", "ui", "keys",
        ],
    );

    if let Some(me) = get(root, "me").and_then(|v| cx.table(v, "me")) {
        read_me(&mut cx, me, &mut config);
    } else {
        cx.diags.push(Diagnostic::warning(
            CONFIG_FILE,
            0,
            "no [me] table: using UTC and 09:00-17:00 Mon-Fri; add [me] with zone = \"Area/City\"",
        ));
    }
    if let Some(t) = get(root, "alerts").and_then(|v| cx.table(v, "alerts")) {
        cx.check_keys(t, "[alerts]", &["enabled", "quiet_hours", "warn_slack"]);
        let day = config.me.work_hours;
        for (k, v) in t.iter() {
            let a = &mut config.alerts;
            match k.get_ref().as_ref() {
                "enabled" => a.enabled = cx.boolean(v, "enabled").unwrap_or(a.enabled),
                "quiet_hours" => a.quiet_hours = cx.range(v, "quiet_hours").or(a.quiet_hours),
                "warn_slack" => {
                    if let Some(slack) = cx.duration(v, "warn_slack") {
                        a.warn_slack = slack;
                        warn_day_units(&mut cx, v, slack, day);
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(t) = get(root, "heat").and_then(|v| cx.table(v, "heat")) {
        read_heat(&mut cx, t, &mut config);
    }
    if let Some(t) = get(root, "ui").and_then(|v| cx.table(v, "ui")) {
        cx.check_keys(t, "[ui]", &["seconds", "theme"]);
        if let Some(v) = get(t, "seconds") {
            config.ui.seconds = cx.boolean(v, "seconds").unwrap_or(false);
        }
        if let Some(v) = get(t, "theme")
            && let Some(name) = cx.string(v, "theme")
        {
            match name.as_str() {
                "dark" => config.ui.theme = ThemeChoice::Dark,
                "light" => config.ui.theme = ThemeChoice::Light,
                _ => cx.error(
                    &v.span(),
                    format!(
                        "[ui] theme \"{}\" is not one tether has: use \"dark\" (light text, for a dark terminal; the default) or \"light\" (dark text, for a light terminal); the dark one is used",
                        crate::domain::text::one_line(&name.chars().take(40).collect::<String>())
                    ),
                ),
            }
        }
    }
    if let Some(t) = get(root, "keys").and_then(|v| cx.table(v, "keys")) {
        for (k, v) in t.iter() {
            let keys = match v.get_ref() {
                DeValue::String(s) => Some(vec![s.to_string()]),
                DeValue::Array(items) => items
                    .iter()
                    .map(|i| cx.string(i, k.get_ref()))
                    .collect::<Option<Vec<String>>>(),
                _ => {
                    cx.error(
                        &v.span(),
                        format!(
                            "[keys] {}: write a key as \"d\" or keys as [\"d\", \"ctrl-d\"]",
                            k.get_ref()
                        ),
                    );
                    None
                }
            };
            if let Some(keys) = keys {
                let (line, _) = cx.line(&k.span());
                config.keys.push(crate::domain::model::KeyOverride {
                    action: k.get_ref().to_string(),
                    keys,
                    line,
                });
            }
        }
    }
    if let Some(v) = get(root, "clocks") {
        for (t, span) in cx.tables(v, "clocks") {
            cx.check_keys(t, "[[clocks]]", &["label", "zone"]);
            let zone = get(t, "zone").and_then(|z| cx.zone(z, "zone"));
            let Some(zone) = zone else {
                if get(t, "zone").is_none() {
                    cx.error(
                        &span,
                        "[[clocks]] needs zone = \"Area/City\"; this clock is skipped",
                    );
                }
                continue;
            };
            let label = get(t, "label")
                .and_then(|l| cx.string(l, "label"))
                .unwrap_or_else(|| city_of(zone));
            config.clocks.push(ExtraClock { label, zone });
        }
    }
    if let Some(v) = get(root, "clients") {
        for (t, span) in cx.tables(v, "clients") {
            if let Some(c) = read_client(&mut cx, t, span, config.me.zone) {
                if let Some(first) = config.clients.iter().find(|x| x.id == c.id) {
                    let msg = format!(
                        "duplicate client id \"{}\" (first used by \"{}\"); this client is skipped",
                        c.id, first.name
                    );
                    if let Some(idv) = get(t, "id") {
                        cx.error(&idv.span(), msg);
                    }
                    continue;
                }
                config.clients.push(c);
            }
        }
    }
    // After the clients: an occasion names them.
    if let Some(v) = get(root, "gifts") {
        gifts::read_gifts(&mut cx, v, &mut config);
    }
    cx.diags.sort_by_key(|d| (d.line, d.col));
    (config, cx.diags)
}

/// `warn_slack` is working time, and a `d` (or `w`) there counts 24 (or 168) hours of it, not
/// days of your schedule: `"1d"` reads like one working day but is three 8-hour ones. It keeps
/// that meaning (tether.toml files written with it stay valid); the warning says what it is
/// and what to write instead (docs/decisions.md, "Units").
fn warn_day_units(cx: &mut Ctx<'_>, v: &Value<'_>, slack: Duration, day: ClockRange) {
    let DeValue::String(text) = v.get_ref() else {
        return;
    };
    if !text.contains(['d', 'D', 'w', 'W']) {
        return;
    }
    let (one_day, slack) = (
        format_working(Duration::minutes(day.minutes)),
        format_working(slack),
    );
    cx.warn(
        &v.span(),
        format!(
            "\"warn_slack\" is working time, where a day is 24 hours: this is {slack} of working \
             time, not days of your schedule; write \"{one_day}\" for one of your working days \
             ({day}), or \"{slack}\" to keep this margin"
        ),
    );
}

fn read_me(cx: &mut Ctx<'_>, me: &Table<'_>, config: &mut Config) {
    cx.check_keys(
        me,
        "[me]",
        &[
            "name",
            "zone",
            "work_hours",
            "work_days",
            "holidays",
            "country",
            "region",
            "closures",
            "holidays_ics",
            "travel",
        ],
    );
    config.me.days_off.public = cx.public_holidays(me, "[me]");
    let m = &mut config.me;
    for (k, v) in me.iter() {
        match k.get_ref().as_ref() {
            "name" => m.name = cx.string(v, "name").unwrap_or_default(),
            "zone" => m.zone = cx.zone(v, "zone").unwrap_or(m.zone),
            "work_hours" => m.work_hours = cx.range(v, "work_hours").unwrap_or(m.work_hours),
            "work_days" => m.work_days = cx.days(v, "work_days").unwrap_or(m.work_days),
            "holidays" => m.holidays = cx.dates(v, "holidays"),
            "closures" => m.days_off.closures = cx.closures(v, "closures"),
            "holidays_ics" => m.days_off.calendar = cx.string(v, "holidays_ics"),
            "travel" => {
                for (t, span) in cx.tables(v, "me.travel") {
                    cx.check_keys(t, "[[me.travel]]", &["from", "to", "zone"]);
                    let from = get(t, "from").and_then(|x| cx.date(x, "from"));
                    let to = get(t, "to").and_then(|x| cx.date(x, "to"));
                    let zone = get(t, "zone").and_then(|x| cx.zone(x, "zone"));
                    match (from, to, zone) {
                        (Some(from), Some(to), Some(zone)) if from <= to => {
                            m.travel.push(Travel { from, to, zone })
                        }
                        (Some(_), Some(_), Some(_)) => cx.error(
                            &span,
                            "[[me.travel]] ends before it starts: \"to\" must be on or after \"from\"",
                        ),
                        _ => {
                            let missing: Vec<&str> = [("from", from.is_none()), ("to", to.is_none()), ("zone", zone.is_none())]
                                .iter()
                                .filter(|(k, miss)| *miss && get(t, k).is_none())
                                .map(|(k, _)| *k)
                                .collect();
                            if !missing.is_empty() {
                                cx.error(
                                    &span,
                                    format!("[[me.travel]] needs {}; this trip is skipped", missing.join(", ")),
                                );
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if m.work_days.is_empty()
        && let Some(v) = get(me, "work_days")
    {
        cx.warn(&v.span(), "work_days is empty: you have no working time, so every deadline with an estimate is at risk");
    }
}

fn read_heat(cx: &mut Ctx<'_>, t: &Table<'_>, config: &mut Config) {
    cx.check_keys(t, "[heat]", &["half_life", "scale", "weights"]);
    let h = &mut config.heat;
    for (k, v) in t.iter() {
        match k.get_ref().as_ref() {
            "half_life" => {
                if let Some(d) = cx.duration(v, "half_life") {
                    if d <= Duration::zero() {
                        cx.error(&v.span(), "\"half_life\" must be more than 0; using 30d");
                    } else {
                        h.half_life = d;
                    }
                }
            }
            "scale" => {
                if let Some(s) = cx.number(v, "scale") {
                    if s <= 0.0 {
                        cx.error(&v.span(), "\"scale\" must be more than 0; using 10");
                    } else {
                        h.scale = s;
                    }
                }
            }
            "weights" => {
                if let Some(w) = cx.table(v, "heat.weights") {
                    for (kind, wv) in w.iter() {
                        if let Some(x) = cx.number(wv, kind.get_ref()) {
                            h.weights.insert(kind.get_ref().to_ascii_lowercase(), x);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

const CLIENT_KEYS: &[&str] = &[
    "id",
    "name",
    "zone",
    "city",
    "hours",
    "days",
    "holidays",
    "country",
    "region",
    "closures",
    "holidays_ics",
    "champion",
    "people",
    "contact_every",
    "visit_every",
    "example",
    "gift_area",
    "retainer",
    "milestones",
    "billing",
];

/// `fallback`: the zone a client whose zone tether does not know is placed in (yours).
fn read_client(
    cx: &mut Ctx<'_>,
    t: &Table<'_>,
    span: std::ops::Range<usize>,
    fallback: Tz,
) -> Option<Client> {
    cx.check_keys(t, "[[clients]]", CLIENT_KEYS);
    let id = get(t, "id").and_then(|v| cx.string(v, "id"));
    let zone_v = get(t, "zone");
    let zone_error = cx.diags.len();
    let zone = zone_v.and_then(|v| cx.zone(v, "zone"));
    let Some(id) = id.filter(|s| !s.trim().is_empty()) else {
        cx.error(&span, "[[clients]] needs a non-empty id = \"...\" (what the .jsonl files refer to); this client is skipped");
        return None;
    };
    let (zone, unknown_zone) = match (zone, zone_v) {
        (Some(zone), _) => (zone, None),
        (None, None) => {
            cx.error(
                &span,
                format!("client \"{id}\" needs zone = \"Area/City\"; this client is skipped"),
            );
            return None;
        }
        // A typo in the zone must not hide the client and every record of it (issue 13): it
        // is kept in your zone, marked wherever it shows, and capture refuses to read a time
        // in a zone it cannot know (store::capture).
        (None, Some(v)) => {
            let written = match v.get_ref() {
                DeValue::String(s) => s.to_string(),
                _ => cx.text.get(v.span()).unwrap_or_default().to_string(),
            };
            let (line, _) = cx.line(&v.span());
            if let Some(d) = cx.diags.get_mut(zone_error) {
                d.message.push_str(&format!(
                    "; client \"{id}\" is shown marked {}, its times in your zone ({}) until the zone is fixed",
                    UnknownZone::MARK,
                    fallback.name()
                ));
            }
            let unknown = UnknownZone {
                written,
                file: CONFIG_FILE,
                line,
            };
            (fallback, Some(std::sync::Arc::new(unknown)))
        }
    };
    let city = match &unknown_zone {
        Some(u) => city_of_name(&u.written),
        None => city_of(zone),
    };
    let mut c = Client {
        name: id.clone(),
        id,
        zone,
        unknown_zone,
        city,
        hours: crate::domain::model::Config::default().me.work_hours,
        days: WeekdaySet::WORKWEEK,
        holidays: BTreeSet::new(),
        days_off: DaysOff {
            public: cx.public_holidays(t, "[[clients]]"),
            closures: Vec::new(),
            calendar: None,
        },
        champion: None,
        people: Vec::new(),
        gift_area: Default::default(),
        retainer: None,
        milestones: Vec::new(),
        billing: None,
        contact_every: None,
        visit_every: None,
        example: false,
    };
    for (k, v) in t.iter() {
        match k.get_ref().as_ref() {
            "name" => c.name = cx.string(v, "name").unwrap_or(c.name.clone()),
            "city" => c.city = cx.string(v, "city").unwrap_or(c.city.clone()),
            "hours" => c.hours = cx.range(v, "hours").unwrap_or(c.hours),
            "days" => c.days = cx.days(v, "days").unwrap_or(c.days),
            "holidays" => c.holidays = cx.dates(v, "holidays"),
            "closures" => c.days_off.closures = cx.closures(v, "closures"),
            "holidays_ics" => c.days_off.calendar = cx.string(v, "holidays_ics"),
            "champion" => c.champion = cx.string(v, "champion"),
            "contact_every" => c.contact_every = cx.duration(v, "contact_every"),
            "visit_every" => c.visit_every = cx.duration(v, "visit_every"),
            "example" => c.example = cx.boolean(v, "example").unwrap_or(false),
            "gift_area" => c.gift_area = gifts::gift_area(cx, v),
            "retainer" => c.retainer = retainer::read_retainer(cx, v, &c.id),
            "milestones" => {
                c.milestones = retainer::read_milestones(cx, v, &c.id, billing::currency_of(t))
            }
            "billing" => c.billing = billing::read_billing(cx, v, &c.id),
            _ => {}
        }
    }
    people::read_people(cx, &mut c, t);
    Some(c)
}

/// The default clock label: the last part of the zone, with spaces ("America/New_York" -> "New York").
pub fn city_of(zone: Tz) -> String {
    city_of_name(zone.name())
}

/// The last part of a zone's name, with spaces: also for a name tether does not know
/// ("Europe/Stuttgart" -> "Stuttgart"), so its clock is still labelled as the user meant.
fn city_of_name(name: &str) -> String {
    let city = name.trim().rsplit('/').next().unwrap_or(name);
    city.replace('_', " ")
        .chars()
        .take(UnknownZone::SHOWN_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_example_parses_clean() {
        let text = include_str!("../../../../config/example/tether.toml");
        let (c, d) = parse_config(text);
        assert!(d.is_empty(), "{d:?}");
        assert!(c.clients.len() >= 3);
    }

    #[test]
    fn unknown_key_warns_with_line_and_suggestion() {
        let text = "[me]\nname = \"A\"\nzome = \"Asia/Tokyo\"\n";
        let (c, d) = parse_config(text);
        assert_eq!(c.me.name, "A");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].to_string(),
            "tether.toml:3:1: warning: unknown key \"zome\" in [me] (did you mean \"zone\"?); it is ignored"
        );
    }

    #[test]
    fn ui_theme_is_dark_light_or_a_clear_error() {
        let (c, d) = parse_config("[me]\nzone = \"UTC\"\n[ui]\ntheme = \"light\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.ui.theme, ThemeChoice::Light);
        let (c, _) = parse_config("[me]\nzone = \"UTC\"\n");
        assert_eq!(c.ui.theme, ThemeChoice::Dark);
        let (c, d) = parse_config("[me]\nzone = \"UTC\"\n[ui]\ntheme = \"solarized\"\n");
        assert_eq!(c.ui.theme, ThemeChoice::Dark);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_error() && d[0].line == 4, "{}", d[0]);
        assert!(d[0].message.contains("use \"dark\""), "{}", d[0]);
    }

    #[test]
    fn nearest_is_the_closest_within_reach() {
        assert_eq!(strsim::levenshtein("kitten", "sitting"), 3);
        assert_eq!(strsim::levenshtein("", "abc"), 3);
        assert_eq!(strsim::levenshtein("東京", "東京都"), 1);
        let known = ["tokyo-kanda-office", "kandaa", "kanda-x", "k"];
        assert_eq!(nearest("kanda", &known), Some("kandaa"));
        assert_eq!(nearest("kanda-xy", &known), Some("kanda-x"));
        assert_eq!(nearest("zzzzzzzz", &known), None);
    }

    #[test]
    fn unknown_zone_suggests_nearest() {
        let text = "[me]\nzone = \"Australia/Brisbain\"\n";
        let (c, d) = parse_config(text);
        assert_eq!(c.me.zone, chrono_tz::UTC);
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error());
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.contains("Australia/Brisbane"), "{}", d[0]);
    }

    #[test]
    fn a_client_with_a_misspelt_zone_is_kept_in_your_zone_and_marked() {
        let text = "[me]\nzone = \"Asia/Tokyo\"\n[[clients]]\nid = \"acme\"\nzone = \"Europe/Stuttgart\"\nhours = \"08:00-16:30\"\n";
        let (c, d) = parse_config(text);
        assert_eq!(c.clients.len(), 1, "the client is kept: {d:?}");
        let acme = &c.clients[0];
        assert_eq!(acme.zone, chrono_tz::Asia::Tokyo, "your zone stands in");
        assert_eq!(acme.city, "Stuttgart", "labelled as the user meant");
        let u = acme.unknown_zone.as_deref().unwrap();
        assert_eq!(
            (u.written.as_str(), u.at().as_str()),
            ("Europe/Stuttgart", "tether.toml:5")
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].is_error(), "tether check still fails");
        assert_eq!(d[0].line, 5);
        assert!(
            d[0].message.contains("did you mean")
                && d[0].message.ends_with(
                    "client \"acme\" is shown marked [zone?], its times in your zone (Asia/Tokyo) until the zone is fixed"
                ),
            "{}",
            d[0]
        );
        // Its records load: a day alone ends at the end of its hours, in your zone.
        let (dl, diags) = crate::store::records::parse_deadlines(
            "{\"client\":\"acme\",\"title\":\"Spec\",\"due\":\"2026-11-27\"}\n",
            &c,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(dl[0].due.to_rfc3339(), "2026-11-27T07:30:00+00:00");
        assert_eq!(dl[0].zone, chrono_tz::Asia::Tokyo);
        // A zone that is not even a string is kept too, as written.
        let (c, d) = parse_config("[me]\n[[clients]]\nid = \"b\"\nzone = 9\n");
        assert_eq!(c.clients[0].unknown_zone.as_deref().unwrap().written, "9");
        assert!(d[0].message.contains("must be a string"), "{d:?}");
    }

    #[test]
    fn many_unknown_zones_cost_little() {
        let mut text = String::from("[me]\nzone = \"Asia/Tokyo\"\n");
        for i in 0..3000 {
            text.push_str(&format!("[[clocks]]\nzone = \"Europe/Stuttgart{i}\"\n"));
        }
        let (_, d) = parse_config(&text);
        let zones: Vec<_> = d
            .iter()
            .filter(|d| d.message.contains("unknown time zone"))
            .collect();
        assert_eq!(zones.len(), 3000);
        let suggested = zones
            .iter()
            .filter(|d| d.message.contains("did you mean"))
            .count();
        assert_eq!(suggested, MAX_ZONE_SUGGESTIONS);
        assert!(
            zones[2999].message.contains("use an IANA name such as"),
            "{}",
            zones[2999]
        );
        // The cost is bounded by the count above (each "did you mean" compares with ~600
        // names; the rest none), not timed here: a time limit fails on a busy machine.
    }

    #[test]
    fn syntax_error_reports_line_and_keeps_rest() {
        let text = "[me]\nzone = \"Asia/Tokyo\"\nname = \"unterminated\n\n[[clients]]\nid = \"a\"\nzone = \"Europe/Berlin\"\n";
        let (c, d) = parse_config(text);
        assert!(d.iter().any(|x| x.is_error() && x.line == 3), "{d:?}");
        assert_eq!(c.me.zone, chrono_tz::Asia::Tokyo);
    }

    #[test]
    fn duplicate_and_incomplete_clients() {
        let text = "[me]\n[[clients]]\nid = \"a\"\nzone = \"Asia/Tokyo\"\n\n[[clients]]\nid = \"a\"\nzone = \"Asia/Tokyo\"\n\n[[clients]]\nname = \"no id\"\nzone = \"Asia/Tokyo\"\n";
        let (c, d) = parse_config(text);
        assert_eq!(c.clients.len(), 1);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, 7);
        assert!(d[0].message.contains("duplicate client id"));
        assert_eq!(d[1].line, 10);
    }

    #[test]
    fn keys_table_is_read_with_lines() {
        let text = "[me]\n[keys]\ndone = \"d\"\nquit = [\"q\", \"ctrl-q\"]\nhelp = 3\n";
        let (c, d) = parse_config(text);
        assert_eq!(c.keys.len(), 2);
        assert_eq!(c.keys[0].action, "done");
        assert_eq!(c.keys[0].line, 3);
        assert_eq!(c.keys[1].keys, vec!["q".to_string(), "ctrl-q".to_string()]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 5);
    }

    #[test]
    fn bad_values_fall_back_and_report() {
        let text = "[me]\nzone = \"Asia/Tokyo\"\nwork_hours = \"9-5\"\nwork_days = [\"mon\", \"fry\"]\nholidays = [2026-12-25, \"2026-12-32\"]\n[alerts]\nwarn_slack = \"-1d\"\n";
        let (c, d) = parse_config(text);
        let lines: Vec<usize> = d.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 7], "{d:?}");
        assert_eq!(c.me.holidays.len(), 1);
        assert_eq!(c.me.work_hours.to_string(), "09:00-17:00");
    }

    #[test]
    fn a_day_in_warn_slack_is_read_as_before_and_warned_about() {
        let text = "[me]\nzone = \"Asia/Tokyo\"\nwork_hours = \"08:30-17:00\"\n\n[alerts]\nwarn_slack = \"1d\"\n";
        let (c, d) = parse_config(text);
        // Still 24 hours of working time: a tether.toml written with it means what it meant.
        assert_eq!(c.alerts.warn_slack, Duration::hours(24));
        assert_eq!(d.len(), 1, "{d:?}");
        let w = &d[0];
        assert_eq!((w.line, w.is_error()), (6, false), "{w}");
        for words in [
            "24h of working time",
            "not days of your schedule",
            "\"8h 30m\"",
        ] {
            assert!(w.message.contains(words), "{words:?} in {w}");
        }
        // Hours say what they mean: no warning.
        for ok in ["24h", "8h", "90m", "1h30m"] {
            let (_, d) = parse_config(&format!(
                "[me]\nzone = \"UTC\"\n[alerts]\nwarn_slack = \"{ok}\"\n"
            ));
            assert!(d.is_empty(), "{ok}: {d:?}");
        }
        let (c, d) = parse_config("[me]\nzone = \"UTC\"\n[alerts]\nwarn_slack = \"1w\"\n");
        assert_eq!(c.alerts.warn_slack, Duration::hours(168));
        assert!(d[0].message.contains("168h of working time"), "{d:?}");
    }

    #[test]
    fn country_region_and_closures_are_read() {
        let text = "[me]\nzone = \"Europe/Berlin\"\ncountry = \"de\"\nregion = \"by\"\nclosures = [\"12-24..12-31\"]\n\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\ncountry = \"JP\"\nclosures = [\"12-29..01-03\", \"2027-08-13..2027-08-16\"]\n";
        let (c, d) = parse_config(text);
        assert!(d.is_empty(), "{d:?}");
        let me = c.me.days_off.public.unwrap();
        assert_eq!((me.country(), me.region()), ("DE", Some("BY")));
        assert_eq!(c.me.days_off.closures.len(), 1);
        let kanda = &c.clients[0].days_off;
        assert_eq!(kanda.public.map(|p| p.country()), Some("JP"));
        assert_eq!(
            kanda
                .closures
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            vec!["12-29..01-03", "2027-08-13..2027-08-16"]
        );
    }

    #[test]
    fn unknown_country_and_region_codes_name_the_line_and_the_fix() {
        let text = "[me]\nzone = \"Asia/Tokyo\"\ncountry = \"JPN\"\n[[clients]]\nid = \"a\"\nzone = \"Europe/Berlin\"\ncountry = \"DE\"\nregion = \"BYY\"\n[[clients]]\nid = \"b\"\nzone = \"Europe/Berlin\"\nregion = \"BY\"\n";
        let (c, d) = parse_config(text);
        assert!(c.me.days_off.public.is_none() && c.clients[0].days_off.public.is_none());
        let shown: Vec<String> = d.iter().map(|x| x.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(
            shown[0].starts_with("tether.toml:3:11: error: \"country\": tether has no public holidays for country \"JPN\" (did you mean \"JP\"?); known codes: JP, CN, KR"),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].starts_with("tether.toml:8:10: error: \"region\": country \"DE\" has no region \"BYY\" (did you mean \"BY\"?); its regions: BB, BE, BW, BY"),
            "{}",
            shown[1]
        );
        assert!(
            shown[2].starts_with(
                "tether.toml:12:10: error: \"region\" in [[clients]] needs the country too"
            ),
            "{}",
            shown[2]
        );
    }

    #[test]
    fn a_bad_closure_is_an_error_at_its_line_and_the_rest_are_kept() {
        let text = "[me]\nzone = \"Asia/Tokyo\"\n[[clients]]\nid = \"a\"\nzone = \"Asia/Tokyo\"\nclosures = [\n  \"12-29..01-03\",\n  \"Obon\",\n]\n";
        let (c, d) = parse_config(text);
        assert_eq!(c.clients[0].days_off.closures.len(), 1);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 8);
        assert!(d[0].message.contains("\"12-29..01-03\""), "{}", d[0]);
    }

    #[test]
    fn a_hostile_country_code_is_shown_cut_and_inert() {
        let long = format!("\\u001b[2J{}", "X".repeat(100_000));
        let text = format!("[me]\nzone = \"UTC\"\ncountry = \"{long}\"\nregion = 7\n");
        let (c, d) = parse_config(&text);
        assert!(c.me.days_off.public.is_none());
        assert_eq!(d.len(), 2, "{d:?}");
        let msg = &d[0].message;
        assert!(msg.len() < 600 && !msg.contains('\u{1b}'), "{msg}");
        assert!(msg.contains("known codes: JP"), "{msg}");
        assert!(
            d[1].message.contains("\"region\" must be a string"),
            "{}",
            d[1]
        );
    }
}
