//! `tether agenda`: the four panes as plain text, for pipes, scripts and tests. Each text from
//! the data stays on its line (`one_line`: a line break in a title cannot fake a line of the
//! agenda); it goes out through `cli::output`, in pieces of whole lines (`write`).

use crate::app::keymap::problems_of;
use crate::domain::board::{
    Board, BoardFilter, DeadlineRow, DeadlineRows, FollowupRow, FollowupRows, Section,
};
use crate::domain::clocks::SendWindow;
use crate::domain::gifts::{self, GiftState};
use crate::domain::model::{Deadline, Followup, UnknownZone};
use crate::domain::people::{champion_summary, tie_flags};
use crate::domain::text::one_line;
use crate::domain::time::{format_duration, format_gap, format_relative, local_date};
use crate::store::load::Loaded;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::borrow::Cow;
use std::fmt::Write;

/// `Fri 27 Nov 09:00 JST`
pub fn when(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%a %d %b %H:%M %Z")
        .to_string()
}

/// `in 1d 4h` / `3h ago` / `now`: calendar time from now to `at`.
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format_relative(at - now)
}

/// ` [zone?]` after a client whose zone tether does not know; nothing otherwise.
fn marked(unknown_zone: bool) -> String {
    if unknown_zone {
        format!(" {}", UnknownZone::MARK)
    } else {
        String::new()
    }
}

/// The agenda of everything `loaded` holds, whole.
pub fn render(loaded: &Loaded, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let _ = write(loaded, None, now, &mut |piece: &str| {
        out.push_str(piece);
        Ok(())
    });
    out
}

/// Deadlines and follow-ups not in the model but kept as an index into their files, read again
/// as printed (`tether agenda` on a big file: `store::agenda_index`).
pub struct Indexed<'a> {
    /// Each record read again, with its row.
    pub deadlines: &'a mut dyn Iterator<Item = std::io::Result<(Deadline, DeadlineRow)>>,
    /// Each record read again, with its row.
    pub followups: &'a mut dyn Iterator<Item = std::io::Result<(Followup, FollowupRow<'a>)>>,
    /// Open follow-ups snoozed past now.
    pub snoozed: usize,
}

/// The agenda handed to `emit` in pieces of whole lines (each but the last at least
/// [`PIECE`] bytes, so an agenda shorter than that comes in one piece), the deadlines and
/// follow-ups from `indexed` when given, else from the model's board. An error reading them
/// again stops it.
pub fn write(
    loaded: &Loaded,
    indexed: Option<Indexed<'_>>,
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let model = &loaded.model;
    let mut board = Board::compute(model, &BoardFilter::default(), now);
    let me = &model.config.me;
    let mine = board.my_zone;
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(
        o,
        "tether · {} · {} ({})",
        if me.name.is_empty() {
            "you".into()
        } else {
            one_line(&me.name)
        },
        when(now, mine),
        mine.name()
    );
    let problems = problems_of(loaded);
    if problems.total() > 0 {
        let _ = writeln!(o, "{problems}: run `tether check`");
    }
    // The running timer, as the dashboard's header says it (issue 17).
    if let Some(t) = super::track::running_line(loaded, now) {
        let _ = writeln!(o, "{t}");
    }

    let _ = writeln!(o, "\n## World clocks");
    for c in &board.clocks {
        let shift = match c.day_shift {
            0 => String::new(),
            _ => format!(" {}", c.local.format("%a %d")),
        };
        let status = c
            .status
            .map(|s| format!("  {}", s.describe_in(c.zone)))
            .unwrap_or_default();
        let dst = match (&c.unknown_zone, c.dst_notice) {
            (Some(u), _) => format!("  [{}]", u.describe(c.zone)),
            (None, Some(d)) => format!("  [{}]", d.describe()),
            (None, None) => String::new(),
        };
        let closed = c
            .closed_notice
            .as_ref()
            .map(|n| format!("  [{}]", n.describe()))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{:<28} {}{}  {:>7}{}{}{closed}",
            one_line(&c.label),
            c.local.format("%H:%M"),
            shift,
            if c.is_me() {
                "you".to_string()
            } else {
                format_gap(c.gap_secs)
            },
            status,
            dst
        );
        for w in &c.overlap {
            let _ = writeln!(
                o,
                "{:<28} overlap today {}-{} yours = {}-{} theirs",
                "",
                w.start.with_timezone(&mine).format("%H:%M"),
                w.end.with_timezone(&mine).format("%H:%M"),
                w.start.with_timezone(&c.zone).format("%H:%M"),
                w.end.with_timezone(&c.zone).format("%H:%M"),
            );
        }
    }

    let _ = writeln!(o, "\n## Deadlines");
    let slots = std::mem::take(&mut board.deadlines);
    let rows = DeadlineRows::new(
        &model.config,
        slots.iter().filter_map(|s| s.of(model)).map(|d| d.due),
        board.now,
    );
    let mut of_board = slots.into_iter().filter_map(|s| {
        let d = s.of(model)?;
        let row = rows.row(s.record, &d);
        Some(Ok::<_, std::io::Error>((d.into(), row)))
    });
    let mut of_index;
    let (deadlines, indexed): (&mut dyn Iterator<Item = DeadlineOf<'_>>, _) = match indexed {
        Some(i) => {
            of_index = i.deadlines.map(|r| r.map(|(d, r)| (Cow::Owned(d), r)));
            (&mut of_index, Some((i.followups, i.snoozed)))
        }
        None => (&mut of_board, None),
    };
    let mut deadlines = deadlines.peekable();
    if deadlines.peek().is_none() {
        let _ = writeln!(o, "(none open)");
    }
    for r in deadlines {
        let (d, r) = &r?;
        if o.len() >= PIECE {
            emit(o)?;
            o.clear();
        }
        let latest = r
            .risk
            .latest_start
            .map(|t| format!("; start by {}", when(t, mine)))
            .unwrap_or_default();
        // A client whose zone is unknown: its due is in your zone, said once.
        let due = match &r.unknown_zone {
            Some(_) => format!("{} {}", when(d.due, mine), UnknownZone::MARK),
            None => format!("{} = {}", when(d.due, d.zone), when(d.due, mine)),
        };
        let _ = writeln!(
            o,
            "{} {:<8} {}{}\n    due {} ({}); {}{}",
            r.risk.risk.symbol(),
            r.risk.risk.label(),
            one_line(&d.title),
            r.client_name
                .as_ref()
                .map(|n| format!(" — {}{}", one_line(n), marked(r.unknown_zone.is_some())))
                .unwrap_or_default(),
            due,
            relative(d.due, now),
            r.risk.need_and_have(),
            latest
        );
    }

    let _ = writeln!(o, "\n## Client heat (coolest first)");
    for h in &board.heat {
        let v = &h.heat;
        let since = |days: Option<i64>, every: Option<chrono::Duration>, overdue: bool| {
            let d = days.map_or("never".to_string(), |d| format!("{d}d"));
            let e = every.map_or(String::new(), |e| format!("/{}", format_duration(e)));
            format!("{d}{e}{}", if overdue { " OVERDUE" } else { "" })
        };
        let _ = writeln!(
            o,
            "{:>3} {} {:<26} contact {}  visit {}{}",
            v.heat.round() as i64,
            v.trend.symbol(),
            format!(
                "{}{}",
                one_line(&h.client.name),
                marked(h.client.unknown_zone.is_some())
            ),
            since(
                v.days_since_contact,
                h.client.contact_every,
                v.contact_overdue
            ),
            since(v.days_since_visit, h.client.visit_every, v.visit_overdue),
            champion_summary(
                &h.client,
                &tie_flags(&h.client, v.last_champion_contact, now)
            )
            .map(|c| format!("  champion: {}", one_line(&c)))
            .unwrap_or_default()
        );
    }

    gifts_in_season(o, model, now);
    retainers(o, model, now);
    money(o, model, now);

    let _ = writeln!(o, "\n## Follow-ups");
    let mut last: Option<Section> = None;
    let maker = FollowupRows::new(&model.config, board.now);
    let mut of_board = std::mem::take(&mut board.followups)
        .into_iter()
        .filter_map(|s| {
            let (r, f) = maker.row_of_slot(model, &s)?;
            Some(Ok::<_, std::io::Error>((f.into(), r)))
        });
    let mut of_index;
    let (rows, hidden): (&mut dyn Iterator<Item = RowOf<'_>>, usize) = match indexed {
        Some((rows, snoozed)) => {
            of_index = rows.map(|r| r.map(|(f, r)| (Cow::Owned(f), r)));
            (&mut of_index, snoozed)
        }
        None => (&mut of_board, Board::hidden_snoozed(model, now)),
    };
    let mut shown = 0usize;
    for r in rows {
        let (f, r) = &r?;
        shown += 1;
        if o.len() >= PIECE {
            emit(o)?;
            o.clear();
        }
        if last != Some(r.section) {
            let _ = writeln!(o, "{}:", r.section.title());
            last = Some(r.section);
        }
        let who = match (
            f.who.as_deref().map(one_line),
            r.client_name
                .map(|c| format!("{}{}", one_line(c), marked(r.unknown_zone.is_some()))),
        ) {
            (Some(w), Some(c)) => format!(" ({w}, {c})"),
            (None, Some(c)) => format!(" ({c})"),
            (Some(w), None) => format!(" ({w})"),
            (None, None) => String::new(),
        };
        let due = r
            .due_at
            .map(|d| format!(" — due {}", relative(d, now)))
            .unwrap_or_default();
        let send = match (r.send, r.client_zone) {
            (Some(SendWindow::OpenNow { .. }), _) => " · they are open now".to_string(),
            (Some(SendWindow::Next { opens_at }), Some(z)) => format!(
                " · they open {} = {}",
                when(opens_at, z),
                when(opens_at, mine)
            ),
            _ => String::new(),
        };
        let _ = writeln!(o, "  - {}{}{}{}", one_line(&f.what), who, due, send);
    }
    if shown == 0 {
        let _ = writeln!(o, "(nothing owed)");
    }
    if hidden > 0 {
        let _ = writeln!(o, "({hidden} snoozed)");
    }
    emit(o)
}

/// A deadline to print: its record (the model's, or read again from the file) and its row.
type DeadlineOf<'a> = std::io::Result<(Cow<'a, Deadline>, DeadlineRow)>;

/// A follow-up to print: its record (the model's, or read again from the file) and its row.
type RowOf<'a> = std::io::Result<(Cow<'a, Followup>, FollowupRow<'a>)>;

/// What [`write`] gathers before handing it on.
pub const PIECE: usize = 64 << 10;

/// The gift occasions whose lead time has started and no gift is logged (or whose date passed
/// without one): what to order now, per client, with the dates in the client's calendar.
fn gifts_in_season(o: &mut String, model: &crate::domain::model::Model, now: DateTime<Utc>) {
    let config = &model.config;
    let mut lines = Vec::new();
    for c in &config.clients {
        let today = local_date(c.zone, now);
        for g in gifts::seasons(
            c,
            &gifts::occasions_of(c, &config.gifts),
            &model.interactions,
            today,
        ) {
            if matches!(g.state, GiftState::ToOrder | GiftState::Missed) {
                lines.push(format!(
                    "- {}: {}",
                    one_line(&c.name),
                    one_line(&gifts::describe(&g, today))
                ));
            }
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Gifts in season");
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
}

/// Invoices to send, payments overdue and payments to come (`domain::billing`): the money
/// follow-ups, also listed among the follow-ups, gathered with their totals per currency.
fn money(o: &mut String, model: &crate::domain::model::Model, now: DateTime<Utc>) {
    use crate::domain::billing::{amount_of, open_bills, subject, total};
    let bills = open_bills(model, now);
    if bills.to_send.is_empty() && bills.overdue.is_empty() && bills.coming.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Money");
    let client = |f: &crate::domain::model::Followup| {
        f.client
            .as_deref()
            .and_then(|c| model.config.client(c))
            .map(|c| format!("{}: ", one_line(&c.name)))
            .unwrap_or_default()
    };
    let due = |f: &crate::domain::model::Followup| match f.due {
        Some(crate::domain::model::FollowupDue::Day(d)) => {
            format!(", due {}", d.format("%a %-d %b"))
        }
        Some(crate::domain::model::FollowupDue::At(t)) => {
            format!(", due {}", when(t, model.config.me.zone_at(t)))
        }
        None => String::new(),
    };
    let mut section = |title: &str, rows: Vec<(&crate::domain::model::Followup, String)>| {
        if rows.is_empty() {
            return;
        }
        let sum = total(
            rows.iter()
                .filter_map(|(f, _)| f.bill.as_deref())
                .map(amount_of),
        );
        let sum = if sum.is_empty() {
            String::new()
        } else {
            format!(" · {sum}")
        };
        let _ = writeln!(o, "{title} ({}){sum}", rows.len());
        for (f, tail) in rows {
            let _ = writeln!(o, "- {}{}{tail}", client(f), one_line(subject(f)));
        }
    };
    section(
        "Invoices to send",
        bills
            .to_send
            .iter()
            .map(|f| (&**f, String::new()))
            .collect(),
    );
    section(
        "Payments overdue",
        bills
            .overdue
            .iter()
            .map(|(f, late)| {
                (
                    &**f,
                    format!(
                        "{} · {late} day{} late",
                        due(f),
                        if *late == 1 { "" } else { "s" }
                    ),
                )
            })
            .collect(),
    );
    section(
        "Payments to come",
        bills.coming.iter().map(|f| (&**f, due(f))).collect(),
    );
}

/// A line per client with a retainer: the hours used of this period against an even spread
/// over their working days (`domain::retainer`); no section when no client has one.
fn retainers(o: &mut String, model: &crate::domain::model::Model, now: DateTime<Utc>) {
    // One ledger for every client, built only when one has a retainer.
    let mut ledger = None;
    let lines: Vec<String> = model
        .config
        .clients
        .iter()
        .filter(|c| c.retainer.is_some())
        .filter_map(|c| {
            let b = ledger
                .get_or_insert_with(|| crate::domain::retainer::Ledger::of(model))
                .burn(c, now)?;
            Some(format!(
                "- {}{}: {}",
                one_line(&c.name),
                marked(c.unknown_zone.is_some()),
                one_line(&b.line())
            ))
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Retainers");
    for l in lines {
        let _ = writeln!(o, "{l}");
    }
}
