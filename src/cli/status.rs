//! `tether status`: one short line for tmux's status bar, such as
//! `⚠ 1 overdue · 2 tight · 2 due · Tokyo opens 30m`.
//!
//! It runs every few seconds, so it keeps between calls only the numbers it counts with
//! (`status_cache`), reads the contact log only while the directory is small (for a problem
//! count that is `check`'s), and computes only the counts it prints. The placeholders are
//! listed in `tether status --help` and docs/status.md.

use super::light::require_data_dir;
use super::output::out_line;
use super::status_cache::{OpenDeadline, StatusInput, load_status};
use crate::domain::board::calendar_for;
use crate::domain::clocks::{business_status, ceil_minute, closed_notice, teams};
use crate::domain::followups::pressing_of;
use crate::domain::model::UnknownZone;
use crate::domain::model::{Client, TimeOn};
use crate::domain::retainer::{Burn, Ledger};
use crate::domain::risk::{Risk, risk_with};
use crate::domain::schedule::Schedule;
use crate::domain::text::one_line;
use crate::domain::time::{format_duration, format_working};
use crate::domain::timelog::{by_deadline, counted, describe, flag, running, since};
use crate::store::diagnostic::n_problems;
use anyhow::Result;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::process::ExitCode;

/// The default format.
pub const DEFAULT_FORMAT: &str = "{summary}";

/// The placeholder names, in the order the help lists them.
pub const PLACEHOLDERS: &[&str] = &[
    "summary",
    "overdue",
    "at_risk",
    "tight",
    "due",
    "waiting",
    "next_open",
    "open_now",
    "closed",
    "next_deadline",
    "problems",
    "timer",
    "retainer",
    "time",
];

/// Longest deadline title shown by `{next_deadline}`, in characters.
const TITLE_CHARS: usize = 24;

/// What the status line can say, computed once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    pub overdue: usize,
    pub at_risk: usize,
    pub tight: usize,
    pub due: usize,
    pub waiting: usize,
    pub next_open: String,
    pub open_now: String,
    /// The next closure of a client within a fortnight, e.g. `Golden Week in Tokyo: closed
    /// 1–5 May, in 12 days` (the clock row's notice, with the row's name).
    pub closed: String,
    pub next_deadline: String,
    pub problems: usize,
    /// `problems` counts only what a big directory's `status` reads (tether.toml and the open
    /// lines): `tether check` may find more.
    pub problems_at_least: bool,
    pub time: String,
    /// The running timer: `⏱ 1h 12m on Q3 report`, flagged when it ran past its working day.
    pub timer: String,
    /// The summary's short form of it: `⏱ 1h 12m Q3 report`, or `⏱ running since 16:00
    /// yesterday` when flagged.
    pub timer_short: String,
    /// One client's retainer this period, `Nortec 12h/20h ahead`: see [`retainer`].
    pub retainer: String,
}

impl Facts {
    /// Everything `status` shows, at `now`. Pure.
    pub fn compute(input: &StatusInput, now: DateTime<Utc>) -> Facts {
        let config = &input.config;
        let me = &config.me;
        let mut f = Facts {
            problems: input.problems,
            problems_at_least: input.open_only,
            time: now
                .with_timezone(&me.zone_at(now))
                .format("%H:%M")
                .to_string(),
            ..Facts::default()
        };

        let mut next: Option<(DateTime<Utc>, &OpenDeadline)> = None;
        // Past its due a deadline is overdue, whatever its work (as `assess` says): only the
        // others need the working-time calendar, which then starts now instead of at the
        // oldest overdue due (years of days fewer).
        let ahead = || input.deadlines.iter().filter(|d| d.due > now);
        f.overdue = input.deadlines.len() - ahead().count();
        // One working-time calendar for all of them (the board's): the same answers as
        // `assess`, without a walk over every day up to each due.
        let calendar = calendar_for(me, ahead().map(|d| d.due), now);
        let logged = by_deadline(me, &input.timelog);
        for d in ahead() {
            let remaining = d.remaining_at(&logged, now);
            match risk_with(&calendar, d.due, remaining, &config.alerts, now) {
                Risk::Overdue => f.overdue += 1,
                Risk::AtRisk => f.at_risk += 1,
                Risk::Tight => f.tight += 1,
                Risk::Ok => {}
            }
            if next.is_none_or(|(at, _)| d.due < at) {
                next = Some((d.due, d));
            }
        }
        if let Some((at, d)) = next {
            f.next_deadline = format!("{} in {}", shorten(&d.title), format_duration(at - now));
            if d.unknown_zone {
                // Its due is in your zone, a stand-in for its client's.
                f.next_deadline.push_str(&format!(" {}", UnknownZone::MARK));
            }
        }

        (f.due, f.waiting) = pressing_of(input.followup_timings(), me, now);

        if let Some(e) = running(&input.timelog)
            && let Some(start) = e.running_since()
        {
            // Titled as the header titles it: the open deadline's title, else its id; a client's
            // name.
            let title = match &e.on {
                TimeOn::Deadline(id) => input
                    .deadlines
                    .iter()
                    .find(|d| d.id.as_deref() == Some(id.as_str()))
                    .map_or(id.as_str(), |d| d.title.as_str()),
                TimeOn::Client(c) => config.client(c).map_or(c.as_ref(), |c| c.name.as_str()),
            };
            f.timer = describe(me, start, title, now);
            f.timer_short = if flag(me, start, now).is_some() {
                format!("⏱ running since {}", since(me, start, now))
            } else {
                format!(
                    "⏱ {} {}",
                    format_working(counted(me, start, now)),
                    shorten(title)
                )
            };
        }

        f.retainer = retainer(input, now);

        // Named as the clock pane names its rows: clients share a name only when they share a
        // timetable, so what is open here is what is open there, at every instant.
        let mut open: Vec<&str> = Vec::new();
        let mut soonest: Option<(DateTime<Utc>, &str)> = None;
        let mut closing = None;
        let teams = teams(&config.clients);
        for team in &teams {
            let Some(first) = team.clients.first() else {
                continue;
            };
            if let Some(span) = closed_notice(Schedule::of_client(first), first.zone, now)
                && closing.as_ref().is_none_or(
                    |(s, _): &(crate::domain::holidays::ClosedSpan, &str)| span.in_days < s.in_days,
                )
            {
                closing = Some((span, team.label.as_str()));
            }
            let status = business_status(first, now);
            if status.is_open() {
                open.push(&team.label);
            } else if let Some(at) = status.opens_at()
                && soonest.is_none_or(|(s, _)| at < s)
            {
                soonest = Some((at, &team.label));
            }
        }
        f.open_now = open.join(", ");
        if let Some((span, label)) = closing {
            f.closed = span.describe_at(label);
        }
        if let Some((at, label)) = soonest {
            f.next_open = format!("{label} opens {}", format_duration(ceil_minute(at - now)));
        }
        f
    }

    /// The value of one placeholder, or `None` for an unknown name.
    pub fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "summary" => self.summary(),
            "overdue" => self.overdue.to_string(),
            "at_risk" => self.at_risk.to_string(),
            "tight" => self.tight.to_string(),
            "due" => self.due.to_string(),
            "waiting" => self.waiting.to_string(),
            "next_open" => self.next_open.clone(),
            "open_now" => self.open_now.clone(),
            "closed" => self.closed.clone(),
            "next_deadline" => self.next_deadline.clone(),
            "problems" => self.problems.to_string(),
            "timer" => self.timer.clone(),
            "retainer" => self.retainer.clone(),
            "time" => self.time.clone(),
            _ => return None,
        })
    }

    /// The parts worth saying, most urgent first: `⚠ 1 overdue · 2 tight · 2 due · Tokyo opens
    /// 30m`; `✓` when there is nothing to say.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let mut count = |n: usize, what: &str| {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        };
        count(self.overdue, "overdue");
        count(self.at_risk, "at risk");
        count(self.tight, "tight");
        count(self.due, "due");
        count(self.waiting, "to chase");
        if self.problems > 0 {
            // The count as the header, the agenda and `check` word it; "3+" where `status`
            // read only the open lines (`check` counts every line).
            parts.push(if self.problems_at_least {
                format!("{}+ problems", self.problems)
            } else {
                n_problems(self.problems)
            });
        }
        if self.overdue > 0
            && let Some(first) = parts.first_mut()
        {
            first.insert_str(0, "⚠ ");
        }
        if !self.timer_short.is_empty() {
            parts.push(self.timer_short.clone());
        }
        if !self.next_open.is_empty() {
            parts.push(self.next_open.clone());
        }
        if !self.closed.is_empty() {
            parts.push(self.closed.clone());
        }
        if parts.is_empty() {
            return "✓".to_string();
        }
        parts.join(" · ")
    }
}

/// `{retainer}`: the retainer of the client the running timer counts for (the hours you are
/// spending now), else the one furthest ahead of its pace (hours running out early: the most
/// used beyond the even spread), else nothing (none ahead: nothing to warn about). As
/// `Name 12h/20h ahead` (`Burn::compact`), counted by `domain::retainer` from the time log and
/// the clients of the deadlines it is on; nothing is counted without a retainer in tether.toml.
fn retainer(input: &StatusInput, now: DateTime<Utc>) -> String {
    let config = &input.config;
    if config.clients.iter().all(|c| c.retainer.is_none()) {
        return String::new();
    }
    let ledger = Ledger::new(
        &config.me,
        &input.timelog,
        input
            .deadline_clients
            .iter()
            .map(|(id, c)| (Box::from(id.as_str()), Box::from(c.as_str()))),
    );
    let shown = |c: &Client, b: Burn| format!("{} {}", c.name, b.compact());
    let timed = running(&input.timelog).into_iter().flat_map(|e| {
        ledger
            .clients_of(e)
            .into_iter()
            .flatten()
            .filter_map(|id| config.client(id))
    });
    for c in timed {
        if let Some(b) = ledger.burn(c, now).filter(|b| b.begun) {
            return shown(c, b);
        }
    }
    let mut ahead: Option<(&Client, Burn)> = None;
    for c in &config.clients {
        if let Some(b) = ledger.burn(c, now).filter(Burn::warns)
            && ahead
                .as_ref()
                .is_none_or(|(_, a)| b.used - b.expected > a.used - a.expected)
        {
            ahead = Some((c, b));
        }
    }
    ahead.map_or_else(String::new, |(c, b)| shown(c, b))
}

/// A value as it goes into the line: on one line, without control characters, and with `#`
/// written `##`, so a title or city holding `#[fg=red]` or `#(cmd)` is shown, not obeyed, by tmux
/// (the format's own `#[...]` are the user's and stay).
fn from_data(value: &str) -> String {
    one_line(value).replace('#', "##")
}

fn shorten(title: &str) -> String {
    let title = one_line(title);
    if title.chars().count() <= TITLE_CHARS {
        return title.into_owned();
    }
    let cut: String = title.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Expand `format`: `{name}`, `{name:TEXT}` (TEXT, with `{}` for the value, only when the value
/// is neither empty nor 0), `{{` and `}}`. Spaces, `·` and `|` left at either end are trimmed.
pub fn render(format: &str, facts: &Facts) -> Result<String, String> {
    let out = expand(format, facts, None)?;
    Ok(out
        .trim_matches(|c: char| c.is_whitespace() || c == '·' || c == '|')
        .to_string())
}

fn expand(format: &str, facts: &Facts, value: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = format.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                out.push('}');
            }
            '}' => return Err(format!("a lone }} in {format:?}: write }}}} for a brace")),
            '{' => {
                // Find the matching close brace, allowing `{}` and `{{ }}` inside TEXT.
                let mut depth = 1;
                let mut end = None;
                for (j, d) in chars.by_ref() {
                    match d {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let Some(end) = end else {
                    return Err(format!(
                        "an unclosed {{ in {format:?}: write {{{{ for a brace"
                    ));
                };
                let inner = &format[i + 1..end];
                if inner.is_empty() {
                    match value {
                        Some(v) => out.push_str(&from_data(v)),
                        None => {
                            return Err(
                                "{} stands for the value only inside {name:TEXT}".to_string()
                            );
                        }
                    }
                    continue;
                }
                let (name, text) = match inner.split_once(':') {
                    Some((n, t)) => (n.trim(), Some(t)),
                    None => (inner.trim(), None),
                };
                let v = facts.get(name).ok_or_else(|| {
                    format!(
                        "unknown placeholder {{{name}}}; use {}",
                        PLACEHOLDERS
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                match text {
                    None => out.push_str(&from_data(&v)),
                    Some(_) if v.is_empty() || v == "0" => {}
                    Some(t) => out.push_str(&expand(t, facts, Some(&v))?),
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

pub fn status(dir: &Path, now: DateTime<Utc>, format: Option<&str>) -> Result<ExitCode> {
    let format = format.unwrap_or(DEFAULT_FORMAT);
    // Check the format before touching any file, so a typo shows at once.
    render(format, &Facts::default()).map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    require_data_dir(dir)?;
    let input = load_status(dir);
    let facts = Facts::compute(&input, now);
    // The process ends right after printing: freeing tens of thousands of items first would
    // only make tmux wait longer.
    std::mem::forget(input);
    let line = render(format, &facts).map_err(|e| anyhow::anyhow!("--format: {e}"))?;
    out_line(&line)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn facts() -> Facts {
        Facts {
            overdue: 1,
            at_risk: 0,
            tight: 2,
            due: 3,
            waiting: 0,
            next_open: "Tokyo opens 30m".into(),
            open_now: String::new(),
            closed: String::new(),
            next_deadline: "Brochure in 1d 3h".into(),
            problems: 0,
            problems_at_least: false,
            time: "09:30".into(),
            timer: String::new(),
            timer_short: String::new(),
            retainer: String::new(),
        }
    }

    #[test]
    fn deadline_counts_agree_with_assessing_each_one() {
        use crate::domain::model::{Deadline, Model, Origin, Status};
        use crate::domain::risk::assess;
        use crate::domain::testkit::{me, utc};
        use crate::store::load::Loaded;
        let now = utc(2026, 11, 25, 0, 30);
        let mut model = Model {
            config: Default::default(),
            deadlines: Vec::new().into(),
            followups: Vec::new().into(),
            interactions: Vec::new(),
            timelog: Vec::new(),
        };
        model.config.me = me(chrono_tz::Australia::Brisbane, "09:00-17:00");
        // Long overdue to weeks ahead, with little to plenty of work.
        for (k, hours) in [-2000i64, -30, -1, 2, 9, 20, 50, 200, 900]
            .into_iter()
            .enumerate()
        {
            for est in [1, 8, 40] {
                model.deadlines.push(Deadline {
                    origin: Origin::default(),
                    id: Some(format!("d{k}-{est}").into()),
                    client: None,
                    title: format!("d{k}-{est}").into(),
                    due: now + Duration::hours(hours),
                    zone: chrono_tz::UTC,
                    estimate: Some(Duration::hours(est)),
                    spent: None,
                    status: Status::Open,
                    done_at: None,
                    every: None,
                    logged: Default::default(),
                });
            }
        }
        // Time logged on every other deadline (by hand, and one timer running since 2 hours):
        // `status` adds it up as `Deadline::spent_at` does.
        use crate::domain::model::{TimeEntry, TimeOn, TimeSpan};
        let ids: Vec<String> = model
            .deadlines
            .iter()
            .filter_map(|d| d.id.as_deref().map(str::to_string))
            .collect();
        for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
            model.timelog.push(TimeEntry {
                line: i + 1,
                id: Some(format!("t-{i}")),
                on: TimeOn::Deadline(id.clone()),
                client: None,
                span: if i == 4 {
                    TimeSpan::Timed {
                        start: now - Duration::hours(2),
                        end: None,
                    }
                } else {
                    TimeSpan::Hand {
                        spent: Duration::hours(6),
                        on: None,
                    }
                },
                note: None,
            });
        }
        crate::domain::timelog::attach(&mut model);
        let loaded = Loaded {
            model,
            diagnostics: Vec::new(),
        };
        let f = Facts::compute(&StatusInput::of(&loaded, false), now);
        let config = &loaded.model.config;
        let count = |risk: Risk| {
            loaded
                .model
                .deadlines
                .iter()
                .filter(|d| assess(d, &config.me, &config.alerts, now).risk == risk)
                .count()
        };
        assert_eq!(
            (f.overdue, f.at_risk, f.tight),
            (
                count(Risk::Overdue),
                count(Risk::AtRisk),
                count(Risk::Tight)
            )
        );
        assert!(f.overdue > 0 && f.at_risk > 0 && f.tight > 0, "{f:?}");
    }

    #[test]
    fn summary_names_what_matters() {
        assert_eq!(
            facts().summary(),
            "⚠ 1 overdue · 2 tight · 3 due · Tokyo opens 30m"
        );
        assert_eq!(Facts::default().summary(), "✓");
        let f = Facts {
            problems: 1,
            ..Facts::default()
        };
        assert_eq!(f.summary(), "1 problem");
    }

    #[test]
    fn optional_parts_and_trimming() {
        let f = facts();
        let r = |s: &str| render(s, &f).unwrap();
        assert_eq!(r("{overdue}/{at_risk}/{due}"), "1/0/3");
        assert_eq!(
            r("{overdue:⚠ {} overdue · }{at_risk:{} at risk · }{open_now:open {} · }{next_open}"),
            "⚠ 1 overdue · Tokyo opens 30m"
        );
        assert_eq!(r("{waiting:{} to chase} | {time}"), "09:30");
        assert_eq!(r("{{{time}}}"), "{09:30}");
        assert_eq!(r("#[fg=red]{overdue}#[default]"), "#[fg=red]1#[default]");
    }

    #[test]
    fn values_are_shown_not_obeyed_by_tmux() {
        let f = Facts {
            next_open: "#[fg=red,bg=yellow]Tok\u{1b}[2Jyo\r\n#(rm x) opens 30m".into(),
            ..facts()
        };
        let r = |s: &str| render(s, &f).unwrap();
        let value = "##[fg=red,bg=yellow]Tok[2Jyo ##(rm x) opens 30m";
        assert_eq!(
            r("#[fg=blue]{next_open}#[default]"),
            format!("#[fg=blue]{value}#[default]")
        );
        assert_eq!(r("{next_open:#[bold]{}}"), format!("#[bold]{value}"));
        assert!(r("{summary}").ends_with(value), "{}", r("{summary}"));
    }

    #[test]
    fn bad_formats_say_what_to_write() {
        let f = facts();
        assert!(render("{nope}", &f).unwrap_err().contains("{next_open}"));
        assert!(render("{due", &f).unwrap_err().contains("unclosed"));
        assert!(render("due}", &f).unwrap_err().contains("lone"));
        assert!(render("{}", &f).is_err());
    }

    #[test]
    fn long_titles_are_shortened() {
        assert_eq!(shorten("short"), "short");
        let s = shorten("Intranet release 4.2 go-live checklist");
        assert_eq!(s.chars().count(), 24);
        assert!(s.ends_with('…'));
    }
}
