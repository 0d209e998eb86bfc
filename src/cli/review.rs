//! `tether review` and the dashboard's `R`: the weekly review (issue 17, `domain::review`) as
//! Markdown a person pastes into a note, or as JSON with stable keys (durations in whole
//! minutes, instants in RFC 3339 UTC). Text only, no I/O (the command is `cli::run::review`,
//! which prints through `cli::output`). Each text from the data stays on its line (`one_line`). Each section is
//! rendered by its own function, as the core computes it, so a new section is one more of each.

use crate::domain::retainer::Burn;
use crate::domain::review::{
    ClientWeek, Due, NextClockChange, NextWeek, Outcome, RetainerWeek, Review, Whose, Window,
};
use crate::domain::schedule::shift_date;
use crate::domain::text::one_line;
use crate::domain::time::{format_duration, format_working, zone_city};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use std::fmt::Write;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReviewFormat {
    /// Headings and bullet lists, to paste into notes
    #[default]
    Markdown,
    /// One JSON object, stable keys, durations in minutes
    Json,
}

/// `Fri 23 Oct 15:30 CEST`
fn when(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%a %-d %b %H:%M %Z")
        .to_string()
}

/// `Mon 19 Oct – Sun 25 Oct 2026`
fn span(w: &Window) -> String {
    format!(
        "{} – {}",
        w.first.format("%a %-d %b"),
        w.last.format("%a %-d %b %Y")
    )
}

fn whose(w: &Whose) -> String {
    match w {
        Whose::You => "you".to_string(),
        Whose::Client(name) => one_line(name).into_owned(),
    }
}

/// `Title (Client)`
fn titled(title: &str, client: Option<&str>) -> String {
    match client {
        Some(c) => format!("{} ({})", one_line(title), one_line(c)),
        None => one_line(title).into_owned(),
    }
}

/// The review as Markdown (the command's and the dashboard's `R`), with a line about the data's
/// problems after its first paragraph when there are any.
pub fn markdown(r: &Review, problems: Option<&str>) -> String {
    let mut out = String::new();
    let o = &mut out;
    let w = &r.window;
    let _ = writeln!(o, "# Weekly review {} · {}", w.week, span(w));
    let _ = writeln!(o);
    let as_of = if r.at < r.now {
        format!("the week's end, {}", when(r.at, w.zone))
    } else {
        when(r.at, w.zone)
    };
    let _ = writeln!(
        o,
        "As of {as_of} ({}). Logged this week: {}.",
        w.zone.name(),
        format_working(r.logged)
    );
    if let Some(p) = problems {
        let _ = writeln!(o, "\n{p}");
    }
    clients_md(o, &r.clients);
    worked_md(o, r);
    retainers_md(o, &r.retainers);
    due_md(o, &r.due);
    invoices_md(o, r);
    next_md(o, &r.next);
    out
}

/// `## Invoices`: what was sent and what was paid, with the totals per currency; left out
/// while no client has a payment schedule and nothing was.
fn invoices_md(o: &mut String, r: &Review) {
    let inv = &r.invoices;
    if !inv.billed && inv.sent.is_empty() && inv.paid.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Invoices");
    for (title, list) in [("Sent", &inv.sent), ("Paid", &inv.paid)] {
        let sum =
            crate::domain::billing::total(list.iter().map(|s| (s.amount, s.currency.as_deref())));
        let sum = if sum.is_empty() {
            String::new()
        } else {
            format!(" · {sum}")
        };
        let _ = writeln!(o, "\n### {title} ({}){sum}", list.len());
        if list.is_empty() {
            let _ = writeln!(o, "- none");
        }
        for s in list {
            let _ = writeln!(
                o,
                "- {}: {}",
                s.at.with_timezone(&r.window.zone).format("%a %-d %b"),
                titled(&s.what, s.client.as_deref())
            );
        }
    }
}

/// `2 contacts (every 7d: ok)`
fn cadence(n: usize, one: &str, many: &str, every: Option<Duration>, overdue: bool) -> String {
    let what = if n == 1 { one } else { many };
    let mut s = format!("{n} {what}");
    if let Some(e) = every {
        let state = if overdue { "overdue" } else { "ok" };
        let _ = write!(s, " (every {}: {state})", format_duration(e));
    }
    s
}

/// `today`, `1d ago`, `never`
fn days_ago(d: Option<i64>) -> String {
    match d {
        None => "never".to_string(),
        Some(0) => "today".to_string(),
        Some(n) => format!("{n}d ago"),
    }
}

fn clients_md(o: &mut String, clients: &[ClientWeek]) {
    let _ = writeln!(o, "\n## Clients");
    if clients.is_empty() {
        let _ = writeln!(o, "- none");
    }
    for c in clients {
        let mut parts = vec![
            format!("{} logged", format_working(c.logged)),
            cadence(
                c.contacts,
                "contact",
                "contacts",
                c.contact_every,
                c.contact_overdue,
            ),
        ];
        if c.visit_every.is_some() || c.visits > 0 {
            parts.push(cadence(
                c.visits,
                "visit",
                "visits",
                c.visit_every,
                c.visit_overdue,
            ));
        }
        parts.push(format!("last contact {}", days_ago(c.days_since_contact)));
        if c.visit_every.is_some() {
            parts.push(format!("last visit {}", days_ago(c.days_since_visit)));
        }
        let (now, ago) = (c.heat.round() as i64, c.heat_week_ago.round() as i64);
        parts.push(format!("heat {now} (a week ago {ago}, {:+})", now - ago));
        let _ = writeln!(o, "- **{}**: {}", one_line(&c.name), parts.join(" · "));
    }
}

/// `Thu 22 Oct – Sat 21 Nov`: a period's days on the client's calendar (the last one included).
fn period_days(b: &Burn) -> String {
    format!(
        "{} – {}",
        b.days.0.format("%a %-d %b"),
        shift_date(b.days.1, -1).format("%a %-d %b")
    )
}

/// "Retainers used": a line per period of each retainer overlapping the week; no section
/// without a retainer.
fn retainers_md(o: &mut String, retainers: &[RetainerWeek]) {
    if retainers.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Retainers used");
    for r in retainers {
        let name = one_line(&r.name);
        if r.periods.is_empty() {
            let _ = writeln!(o, "- **{name}**: not begun by then");
        }
        for b in &r.periods {
            let days = if b.days_left == 1 { "day" } else { "days" };
            let _ = writeln!(
                o,
                "- **{name}**, {}: {} of {} used · {} working {days} left · {} ({} expected)",
                period_days(b),
                format_working(b.used),
                format_working(b.hours),
                b.days_left,
                b.pace.as_str(),
                format_working(b.expected),
            );
        }
    }
}

fn worked_md(o: &mut String, r: &Review) {
    let _ = writeln!(o, "\n## Time on deadlines");
    if r.worked.is_empty() {
        let _ = writeln!(o, "- none logged");
    }
    for d in &r.worked {
        let total = match (d.spent, d.estimate) {
            (Some(s), Some(e)) => {
                format!(" · {} spent of {}", format_working(s), format_working(e))
            }
            (Some(s), None) => format!(" · {} spent", format_working(s)),
            (None, _) => " · not in deadlines.jsonl".to_string(),
        };
        let _ = writeln!(
            o,
            "- {}: {} this week{total}",
            titled(&d.title, d.client.as_deref()),
            format_working(d.logged)
        );
    }
}

fn due_md(o: &mut String, due: &[Due]) {
    let count = |k: &str| due.iter().filter(|d| d.outcome.key() == k).count();
    let _ = writeln!(
        o,
        "\n## Due this week: {} met, {} late, {} missed, {} still open",
        count("met"),
        count("late"),
        count("missed"),
        count("open")
    );
    if due.is_empty() {
        let _ = writeln!(o, "- none");
    }
    for d in due {
        let title = titled(&d.title, d.client.as_deref());
        let due_at = when(d.due, d.zone);
        let line = match d.outcome {
            Outcome::Met => match d.done_at {
                Some(done) => format!("met: {title}, due {due_at}, done {}", when(done, d.zone)),
                None => format!("met: {title}, due {due_at}, done"),
            },
            Outcome::Late(by) => format!(
                "late: {title}, {} late: due {due_at}, done {}",
                format_duration(by),
                d.done_at.map_or_else(String::new, |t| when(t, d.zone))
            ),
            Outcome::Missed(by) => {
                format!(
                    "missed: {title}, open {} past due {due_at}",
                    format_duration(by)
                )
            }
            Outcome::Open => format!("still open: {title}, due {due_at}{}", work(d)),
        };
        let _ = writeln!(o, "- {line}");
    }
}

/// `, 2h spent of 6h`
fn work(d: &Due) -> String {
    match d.estimate {
        Some(e) => format!(
            ", {} spent of {}",
            format_working(d.spent),
            format_working(e)
        ),
        None if !d.spent.is_zero() => format!(", {} spent", format_working(d.spent)),
        None => String::new(),
    }
}

/// `Sun 1 Nov 02:00 → 01:00 (clocks go back 1h)`, on the zone's own calendar.
fn clock_change(c: &NextClockChange) -> String {
    let local = |off: i32| c.at.naive_utc() + Duration::seconds(i64::from(off));
    let shift = c.offset_after - c.offset_before;
    let dir = if shift > 0 { "forward" } else { "back" };
    format!(
        "{} {} → {} (clocks go {dir} {})",
        local(c.offset_before).format("%a %-d %b"),
        local(c.offset_before).format("%H:%M"),
        local(c.offset_after).format("%H:%M"),
        format_duration(Duration::seconds(i64::from(shift.abs())))
    )
}

fn next_md(o: &mut String, n: &NextWeek) {
    let _ = writeln!(o, "\n## Next week {} · {}", n.window.week, span(&n.window));
    let _ = writeln!(o, "\n### Deadlines");
    if n.deadlines.is_empty() {
        let _ = writeln!(o, "- none");
    }
    for d in &n.deadlines {
        let _ = writeln!(
            o,
            "- {}: {}{}",
            when(d.due, d.zone),
            titled(&d.title, d.client.as_deref()),
            work(d)
        );
    }
    let _ = writeln!(o, "\n### Days off");
    if n.days_off.is_empty() {
        let _ = writeln!(o, "- none");
    }
    for d in &n.days_off {
        let _ = writeln!(
            o,
            "- {}: {}, {}",
            whose(&d.whose),
            d.date.format("%a %-d %b"),
            d.why.describe()
        );
    }
    let _ = writeln!(o, "\n### Clock changes");
    if n.clock_changes.is_empty() {
        let _ = writeln!(o, "- none");
    }
    for c in &n.clock_changes {
        let who: Vec<String> = c.whose.iter().map(whose).collect();
        let _ = writeln!(
            o,
            "- {} ({}): {}",
            zone_city(c.zone),
            who.join(", "),
            clock_change(c)
        );
    }
}

fn minutes(d: Duration) -> i64 {
    d.num_minutes()
}

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn whose_json(w: &Whose) -> Value {
    match w {
        Whose::You => json!("you"),
        Whose::Client(name) => json!(one_line(name)),
    }
}

fn due_json(d: &Due) -> Value {
    let (late, overdue) = match d.outcome {
        Outcome::Late(by) => (Some(minutes(by)), None),
        Outcome::Missed(by) => (None, Some(minutes(by))),
        _ => (None, None),
    };
    json!({
        "id": d.id,
        "title": one_line(&d.title),
        "client": d.client.as_deref().map(one_line),
        "due": instant(d.due),
        "zone": d.zone.name(),
        "done_at": d.done_at.map(instant),
        "outcome": d.outcome.key(),
        "late_minutes": late,
        "overdue_minutes": overdue,
        "estimate_minutes": d.estimate.map(minutes),
        "spent_minutes": minutes(d.spent),
    })
}

fn settled_json(s: &crate::domain::review::Settled) -> Value {
    json!({
        "client": s.client.as_deref().map(one_line),
        "what": one_line(&s.what),
        "amount": s.amount,
        "currency": s.currency,
        "at": instant(s.at),
    })
}

fn window_json(w: &Window) -> Value {
    json!({
        "week": w.week.to_string(),
        "first": w.first.to_string(),
        "last": w.last.to_string(),
        "from": instant(w.from),
        "to": instant(w.to),
        "zone": w.zone.name(),
    })
}

/// Heat to one decimal.
fn heat(h: f64) -> f64 {
    (h * 10.0).round() / 10.0
}

/// The review as one JSON object (keys sorted; durations in minutes; instants in UTC). Text
/// from the data is on one line without control characters here too (`one_line`): a `jq -r`
/// of a title must not reach a terminal raw.
pub fn json(r: &Review) -> String {
    let clients: Vec<Value> = r
        .clients
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": one_line(&c.name),
                "zone": c.zone.name(),
                "logged_minutes": minutes(c.logged),
                "contacts": c.contacts,
                "visits": c.visits,
                "contact_every_minutes": c.contact_every.map(minutes),
                "visit_every_minutes": c.visit_every.map(minutes),
                "contact_overdue": c.contact_overdue,
                "visit_overdue": c.visit_overdue,
                "days_since_contact": c.days_since_contact,
                "days_since_visit": c.days_since_visit,
                "heat": heat(c.heat),
                "heat_week_ago": heat(c.heat_week_ago),
            })
        })
        .collect();
    let worked: Vec<Value> = r
        .worked
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "title": one_line(&d.title),
                "client": d.client.as_deref().map(one_line),
                "logged_minutes": minutes(d.logged),
                "spent_minutes": d.spent.map(minutes),
                "estimate_minutes": d.estimate.map(minutes),
            })
        })
        .collect();
    let retainers: Vec<Value> = r
        .retainers
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": one_line(&c.name),
                "zone": c.zone.name(),
                "every": c.every.as_str(),
                "periods": c.periods.iter().map(|b| json!({
                    "first": b.days.0.to_string(),
                    "last": shift_date(b.days.1, -1).to_string(),
                    "from": instant(b.period.0),
                    "to": instant(b.period.1),
                    "hours_minutes": minutes(b.hours),
                    "used_minutes": minutes(b.used),
                    "expected_minutes": minutes(b.expected),
                    "working_days_left": b.days_left,
                    "pace": b.pace.key(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let n = &r.next;
    let value = json!({
        "week": window_json(&r.window),
        "now": instant(r.now),
        "at": instant(r.at),
        "logged_minutes": minutes(r.logged),
        "clients": clients,
        "deadlines_worked": worked,
        "due": r.due.iter().map(due_json).collect::<Vec<_>>(),
        "invoices": {
            "sent": r.invoices.sent.iter().map(settled_json).collect::<Vec<_>>(),
            "paid": r.invoices.paid.iter().map(settled_json).collect::<Vec<_>>(),
        },
        "retainers": retainers,
        "next_week": {
            "week": window_json(&n.window),
            "deadlines": n.deadlines.iter().map(due_json).collect::<Vec<_>>(),
            "days_off": n.days_off.iter().map(|d| json!({
                "whose": whose_json(&d.whose),
                "date": d.date.to_string(),
                "why": d.why.describe(),
            })).collect::<Vec<_>>(),
            "clock_changes": n.clock_changes.iter().map(|c| json!({
                "zone": c.zone.name(),
                "whose": c.whose.iter().map(whose_json).collect::<Vec<_>>(),
                "at": instant(c.at),
                "offset_before_minutes": c.offset_before / 60,
                "offset_after_minutes": c.offset_after / 60,
            })).collect::<Vec<_>>(),
        },
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Every, Model, Retainer};
    use crate::domain::review::{IsoWeek, review};
    use crate::domain::testkit::{client, date, me, utc};

    /// A retainer that starts after the reviewed week has a line saying so (its name on one
    /// line), and none of its periods; the JSON lists it with no periods.
    #[test]
    fn a_retainer_not_begun_in_the_week() {
        let mut m = Model::default();
        m.config.me = me(chrono_tz::Europe::Berlin, "09:00-17:00");
        let mut c = client("tokyo", chrono_tz::Asia::Tokyo);
        c.name = "Tokyo\nKK".into();
        c.retainer = Some(Retainer {
            hours: chrono::Duration::hours(10),
            every: Every::Month,
            starts: date(2026, 11, 1),
            rollover: false,
        });
        m.config.clients.push(c);
        let r = review(
            &m,
            IsoWeek::parse("2026-W43").unwrap(),
            utc(2026, 10, 23, 12, 0),
        );
        assert!(
            markdown(&r, None).contains("\n## Retainers used\n- **Tokyo KK**: not begun by then\n"),
            "{}",
            markdown(&r, None)
        );
        let v: Value = serde_json::from_str(&json(&r)).unwrap();
        assert_eq!(v["retainers"][0]["periods"], json!([]));
    }
}
