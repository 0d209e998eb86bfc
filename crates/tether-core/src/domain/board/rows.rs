//! The rows the panes list, what a row knows about its record, and the key that keeps a
//! selection on the same record across reloads.

use crate::domain::clocks::SendWindow;
use crate::domain::followups::Bucket;
use crate::domain::heat::HeatView;
use crate::domain::held::Rec;
use crate::domain::model::{BillKind, Client, Config, Deadline, Followup, Model, UnknownZone};
use crate::domain::retainer::Burn;
use crate::domain::risk::{Risk, RiskView};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// Where a deadline sits on the board and what its row shows beside the record (its risk, its
/// client's name). The record stays in the model, as a follow-up's does ([`FollowupRow`]).
#[derive(Debug, Clone)]
pub struct DeadlineRow {
    /// The record's index in the model's deadlines the board was made from.
    pub record: u32,
    /// Its line in deadlines.jsonl.
    pub line: usize,
    /// [`record_key_hash`] of its record (see [`FollowupRow::key`]).
    pub key: u64,
    pub client_name: Option<String>,
    /// Its client's zone as written, when tether does not know it (the due is then placed in
    /// your zone, and the row is marked).
    pub unknown_zone: Option<Arc<UnknownZone>>,
    pub risk: RiskView,
}

impl DeadlineRow {
    /// `record` of a row whose record is handed along beside it (as [`FollowupRow::BESIDE`]).
    pub const BESIDE: u32 = u32::MAX;

    /// Its record in `model` (the model the board was made from).
    pub fn of<'m>(&self, model: &'m Model) -> Option<Rec<'m, Deadline>> {
        model.deadlines.get(self.record as usize)
    }

    /// The row of `d` (the model's deadline number `record`) with its risk already assessed
    /// (the alert rules assess first and make rows only for what alerts).
    pub fn new(config: &Config, record: u32, d: &Deadline, risk: RiskView) -> DeadlineRow {
        let c = d.client.as_deref().and_then(|id| config.client(id));
        DeadlineRow {
            record,
            line: d.origin.line,
            key: record_key_hash(d.id.as_deref(), &d.origin.text),
            client_name: c.map(|c| c.name.clone()),
            unknown_zone: c.and_then(|c| c.unknown_zone.clone()),
            risk,
        }
    }
}

/// A deadline's place on the board, 32 bytes: its record, its line, its key's hash, and of its
/// risk what every row shows (the level, the latest start). The board keeps one per listed
/// deadline; the whole [`RiskView`] and the client's name are made for the one a detail or a
/// command reads ([`DeadlineRow`]): at a million short deadlines the rows were ~160 bytes each
/// (issue 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineSlot {
    /// [`record_key_hash`] of its record (see [`FollowupSlot::key`]).
    pub key: u64,
    /// The record's index in the model's deadlines the board was made from.
    pub record: u32,
    /// Its line in deadlines.jsonl (a file is at most 1 GB, so its lines fit).
    line: u32,
    /// `RiskView::latest_start` (it does not depend on the time, unless a timer runs on it).
    pub latest_start: Option<DateTime<Utc>>,
    /// `RiskView::risk` at the board's instant.
    pub risk: Risk,
}

// What a listed deadline costs the board, whatever its line holds.
const _: () = assert!(std::mem::size_of::<DeadlineSlot>() <= 32);

impl DeadlineSlot {
    pub(super) fn new(record: usize, d: &Deadline, risk: &RiskView) -> DeadlineSlot {
        DeadlineSlot {
            key: record_key_hash(d.id.as_deref(), &d.origin.text),
            record: record as u32,
            line: line_u32(d.origin.line),
            latest_start: risk.latest_start,
            risk: risk.risk,
        }
    }

    /// Its line in deadlines.jsonl.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// Its record in `model` (the model the board was made from).
    pub fn of<'m>(&self, model: &'m Model) -> Option<Rec<'m, Deadline>> {
        model.deadlines.get(self.record as usize)
    }
}

#[derive(Debug, Clone)]
pub struct HeatRow {
    pub client: Client,
    pub heat: HeatView,
    /// The client's retainer at the board's instant (`domain::retainer`); None without one.
    pub retainer: Option<Burn>,
}

/// Where a follow-up sits in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Overdue,
    Today,
    Upcoming,
    Undated,
    /// The ball is in the client's court.
    Waiting,
    /// Hidden until `snoozed_until` (shown only with `z`).
    Snoozed,
    /// Done or dropped (shown only with `z`).
    Closed,
}

impl Section {
    pub fn title(&self) -> &'static str {
        match self {
            Section::Overdue => "Overdue",
            Section::Today => "Today",
            Section::Upcoming => "Upcoming",
            Section::Undated => "Undated",
            Section::Waiting => "Waiting on them",
            Section::Snoozed => "Snoozed",
            Section::Closed => "Done / dropped",
        }
    }
}

/// A follow-up's place on the board, 32 bytes: its record, its line, its key's hash, its
/// section and when it is due. The board keeps one per listed follow-up and makes the
/// [`FollowupRow`] (the client's name, zone and send window) only for the rows a frame draws or
/// an action reads ([`super::FollowupRows::row_of_slot`]): at millions of short follow-ups the
/// made rows were ~100 bytes each, as much again as the records (issue 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowupSlot {
    /// When it is due as an instant (open), or until when it is snoozed (snoozed): with the
    /// section, the bucket and the line, the board's order.
    at: Option<DateTime<Utc>>,
    /// [`record_key_hash`] of its record (see [`FollowupRow::key`]): kept, not worked out
    /// from `record`, since the model may already be a new one when the selection looks.
    pub key: u64,
    /// The record's index in the model's follow-ups the board was made from.
    pub record: u32,
    /// Its line in followups.jsonl (a file is at most 1 GB, so its lines fit).
    line: u32,
    pub section: Section,
    bucket: Bucket,
    /// Its bill's kind, if it is one: the pane's title counts them without reading records.
    bill: Option<BillKind>,
}

impl FollowupSlot {
    fn new(
        record: usize,
        f: &Followup,
        (section, bucket): (Section, Bucket),
        at: Option<DateTime<Utc>>,
    ) -> Self {
        FollowupSlot {
            at,
            key: record_key_hash(f.id.as_deref(), &f.origin.text),
            record: record as u32,
            line: line_u32(f.origin.line),
            section,
            bucket,
            bill: f.bill.as_deref().map(|b| b.kind),
        }
    }

    /// Its bill's kind, if it is an invoice to send or a payment to come.
    pub fn bill(&self) -> Option<BillKind> {
        self.bill
    }

    /// An open follow-up, not snoozed, in `bucket`, due at `at`.
    pub(super) fn open(
        record: usize,
        f: &Followup,
        bucket: Bucket,
        at: Option<DateTime<Utc>>,
    ) -> Self {
        let section = section_of(bucket, f.waiting);
        FollowupSlot::new(record, f, (section, bucket), at)
    }

    /// An open follow-up snoozed past now (ordered by the snooze's end).
    pub(super) fn snoozed(record: usize, f: &Followup) -> Self {
        let place = (Section::Snoozed, Bucket::Undated);
        FollowupSlot::new(record, f, place, f.snoozed_until)
    }

    /// A done or dropped follow-up (in file order).
    pub(super) fn closed(record: usize, f: &Followup) -> Self {
        FollowupSlot::new(record, f, (Section::Closed, Bucket::Undated), None)
    }

    /// The board's order: section, bucket (a waiting item's urgency), due (a snoozed one's
    /// end), line. Lines are distinct, so this is a total order.
    pub(super) fn order(&self) -> (Section, Bucket, Option<DateTime<Utc>>, u32) {
        (self.section, self.bucket, self.at, self.line)
    }

    /// Its line in followups.jsonl.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// When it is due as an instant (open items; a date-only due: the end of that day in
    /// your zone).
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        match self.section {
            Section::Snoozed | Section::Closed => None,
            _ => self.at,
        }
    }

    /// Whether it is past its due (or a waiting item past its chase date).
    pub fn overdue(&self) -> bool {
        !matches!(self.section, Section::Snoozed | Section::Closed)
            && self.bucket == Bucket::Overdue
    }

    /// Its record in `model` (the model the board was made from).
    pub fn of<'m>(&self, model: &'m Model) -> Option<Rec<'m, Followup>> {
        model.followups.get(self.record as usize)
    }
}

// What a listed follow-up costs the board, whatever its line holds.
const _: () = assert!(std::mem::size_of::<FollowupSlot>() <= 32);

/// A line number as the slot keeps it: files are refused past 1 GB, so a line always fits.
fn line_u32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Where a follow-up sits on the board and what its row shows beside the record. The record
/// itself stays in the model (`record` is its place there): a row used to carry a copy, and at
/// millions of short follow-ups the copies were half the dashboard's memory (issue 13).
#[derive(Debug, Clone)]
pub struct FollowupRow<'c> {
    /// The record's index in the model's follow-ups (`Model::followups`) the board was made
    /// from.
    pub record: u32,
    /// Its line in followups.jsonl (to find it again when the list around it changes).
    pub line: usize,
    /// [`record_key_hash`] of its record: the selection finds it again after a reload,
    /// when `record` may already point into a different list.
    pub key: u64,
    pub section: Section,
    /// When it is due as an instant (a date-only due: the end of that day in your zone).
    pub due_at: Option<DateTime<Utc>>,
    /// Whether the waiting item is past its chase date.
    pub overdue: bool,
    /// Its client's name, borrowed from the config the row was made with.
    pub client_name: Option<&'c str>,
    pub client_zone: Option<Tz>,
    /// Its client's zone as written, when tether does not know it (`client_zone` is then the
    /// stand-in, yours, and the row is marked).
    pub unknown_zone: Option<&'c UnknownZone>,
    pub send: Option<SendWindow>,
}

impl FollowupRow<'_> {
    /// `record` of a row whose record is handed along beside it rather than looked up in a
    /// model (one read again from the file by `store::agenda_index`; an alert's).
    pub const BESIDE: u32 = u32::MAX;

    /// Its record in `model` (the model the board was made from).
    pub fn of<'m>(&self, model: &'m Model) -> Option<Rec<'m, Followup>> {
        model.followups.get(self.record as usize)
    }
}

/// The selection key of a follow-up (see [`record_key`]).
pub fn followup_key(f: &Followup) -> String {
    record_key(f.id.as_deref(), &f.origin.text)
}

/// A hash of [`record_key`] of a record (without formatting it): equal keys, equal hashes.
pub fn record_key_hash(id: Option<&str>, text: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // A fixed seed: a hash is compared with hashes made in the same run only.
    let mut h = foldhash::fast::FixedState::with_seed(0x7e7e).build_hasher();
    // Which of the two the key is, as `record_key`'s prefix says.
    h.write_u8(u8::from(id.is_some()));
    h.write(id.unwrap_or(text).as_bytes());
    h.finish()
}

/// [`record_key_hash`] of the record whose [`record_key`] is `key` (None: not a key).
pub fn key_hash(key: &str) -> Option<u64> {
    match (key.strip_prefix("id:"), key.strip_prefix("text:")) {
        (Some(id), _) => Some(record_key_hash(Some(id), "")),
        (None, Some(text)) => Some(record_key_hash(None, text)),
        (None, None) => None,
    }
}

/// Whether [`followup_key`] of `f` would be `key` (without formatting it).
pub fn followup_has_key(f: &Followup, key: &str) -> bool {
    record_has_key(f.id.as_deref(), &f.origin.text, key)
}

fn record_has_key(id: Option<&str>, text: &str, key: &str) -> bool {
    match id {
        Some(id) => key.strip_prefix("id:") == Some(id),
        None => key.strip_prefix("text:") == Some(text),
    }
}

/// The selection key of a record (`DeadlineRow::key`, `FollowupRow::key`).
pub fn record_key(id: Option<&str>, text: &str) -> String {
    match id {
        Some(id) => format!("id:{id}"),
        None => format!("text:{text}"),
    }
}

/// The section of an open follow-up that is not snoozed.
pub fn section_of(bucket: Bucket, waiting: bool) -> Section {
    match (waiting, bucket) {
        (true, _) => Section::Waiting,
        (false, Bucket::Overdue) => Section::Overdue,
        (false, Bucket::Today) => Section::Today,
        (false, Bucket::Upcoming) => Section::Upcoming,
        (false, Bucket::Undated) => Section::Undated,
    }
}

/// Clients by id (the first of a repeated id), for one board.
pub fn clients_by_id(config: &Config) -> foldhash::HashMap<&str, &Client> {
    let mut m = foldhash::HashMap::default();
    for c in &config.clients {
        m.entry(c.id.as_str()).or_insert(c);
    }
    m
}
