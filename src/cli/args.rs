//! Command-line definitions (clap); also the source for completions and the man page.

use super::complete::{client_ids, kinds, timer_targets};
use super::review::ReviewFormat;
use clap::{Parser, Subcommand};
use clap_complete::ArgValueCandidates;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tether",
    version,
    about = "A terminal dashboard for freelancers whose clients live in other time zones",
    long_about = "tether shows your clients' clocks and business hours, your deadlines with a \
risk computed from your remaining working hours, how warm each client relationship is, and \
what you owe each client. Run it with no command for the full-screen dashboard."
)]
pub struct Cli {
    /// The data directory (default: $TETHER_DIR, else ~/.local/share/tether)
    #[arg(long, global = true, env = "TETHER_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Pretend it is this instant (RFC 3339, e.g. 2026-11-25T09:30:00+10:00)
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the example data, dated from today (never overwrites existing files)
    Init {
        /// Where to write it (default: the data directory)
        dir: Option<PathBuf>,
        /// A blank start instead: only you (your system's zone) in tether.toml, no client, no
        /// record
        #[arg(long)]
        empty: bool,
    },
    /// Print every problem in the data files as FILE:LINE: message; exit 1 on any error
    Check,
    /// Print the four panes as plain text (clocks, deadlines, heat, follow-ups)
    Agenda,
    /// The weekly review: hours per client and deadline, contacts against each cadence, heat,
    /// deadlines met, late and missed, and next week's deadlines, days off and clock changes
    #[command(after_help = REVIEW_HELP)]
    Review {
        /// The ISO week, as 2026-W49 (default: the week holding now, on your calendar)
        #[arg(long, value_name = "YYYY-Www")]
        week: Option<String>,
        /// markdown (headings and bullet lists, to paste into notes) or json (stable keys,
        /// durations in minutes, instants in UTC)
        #[arg(long, value_enum, default_value_t = ReviewFormat::Markdown)]
        format: ReviewFormat,
    },
    /// Send desktop alerts for deadlines that got riskier and follow-ups that became due
    Notify {
        /// Check once and exit (for cron or a systemd timer)
        #[arg(long, conflicts_with = "watch")]
        once: bool,
        /// Keep running: sleep until the next moment a level can change or a file changes
        #[arg(long)]
        watch: bool,
    },
    /// The best times to meet these clients: inside all their hours, your day stretched least
    #[command(after_help = SLOTS_HELP)]
    Slots {
        /// The clients' ids, as in tether.toml
        #[arg(required = true, add = ArgValueCandidates::new(client_ids))]
        clients: Vec<String>,
        /// How far ahead to look (as 5d, 36h or 2w)
        #[arg(long, default_value = "5d", value_name = "DURATION")]
        next: String,
        /// How long the meeting lasts (as 1h, 45m or 1h30m)
        #[arg(long, default_value = "1h", value_name = "DURATION")]
        length: String,
        /// How many slots to list (they never overlap)
        #[arg(long, default_value_t = 5, value_name = "N")]
        count: usize,
    },
    /// Print one short line for tmux's status bar (see docs/status.md)
    #[command(long_about = STATUS_HELP)]
    Status {
        /// What to print, with {placeholders}; default "{summary}"
        #[arg(long, short, env = "TETHER_STATUS_FORMAT", value_name = "STRING")]
        format: Option<String>,
    },
    /// Add a follow-up or a deadline from the shell
    #[command(subcommand)]
    Add(AddCommand),
    /// Log a contact with a client (a call, an email, a visit…); warms the client's heat
    #[command(after_help = WHEN_HELP)]
    Log {
        /// The client's id, as in tether.toml
        #[arg(add = ArgValueCandidates::new(client_ids))]
        client: String,
        /// call, email, message, video, meeting, visit, gift, delivery, or any word
        #[arg(add = ArgValueCandidates::new(kinds))]
        kind: String,
        /// What it was about
        note: Option<String>,
        /// Who you spoke with
        #[arg(long, value_name = "NAME")]
        who: Option<String>,
        /// When it happened (default: now), read in the client's zone
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Time your work on a deadline or a client: start and stop a timer, or add time done away
    /// from the keyboard (timelog.jsonl; counted in the deadline's spent time at once)
    #[command(subcommand)]
    Track(TrackCommand),
    /// Export open deadlines and dated follow-ups
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import a client's calendar file: its to-dos as deadlines, its events as follow-ups
    #[command(subcommand)]
    Import(ImportCommand),
    /// Merge two versions of a data file against their common base, record by record (git's
    /// merge driver: `tether sync init` sets it up); the result replaces OURS
    #[command(after_help = MERGE_HELP)]
    Merge {
        /// The common ancestor (git's %O)
        base: PathBuf,
        /// This side's version, replaced by the result (git's %A)
        ours: PathBuf,
        /// The other side's version (git's %B)
        theirs: PathBuf,
        /// The file's name in the repository (git's %P), for messages
        name: Option<String>,
    },
    /// Set up the data directory for git and Syncthing
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Merge each conflict copy of a record file (Syncthing's followups.sync-conflict-….jsonl, or
    /// one tether kept: followups.jsonl.tether-conflict-…) into its file, record by record as
    /// `tether merge` does, and remove the copy once merged
    Resolve {
        /// List the copies and what would conflict, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the shell's completion registration for bash, zsh, fish, elvish or powershell
    /// (client ids and kinds are completed from the data directory)
    #[command(after_help = "e.g. in ~/.bashrc: source <(tether completions bash)\n\
The registration calls `tether` (found on PATH) on each Tab; load it anew at each shell start \
(as above), so it always matches the installed tether.")]
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "e.g. tether man > ~/.local/share/man/man1/tether.1")]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// Add something you owe a client (or, with --waiting, something you wait for)
    #[command(after_help = WHEN_HELP)]
    Followup {
        /// What you owe them (or wait for)
        what: String,
        /// The client's id, as in tether.toml
        #[arg(long, value_name = "ID", add = ArgValueCandidates::new(client_ids))]
        client: Option<String>,
        /// When it is due; a day alone means during that day (your zone)
        #[arg(long, value_name = "WHEN")]
        due: Option<String>,
        /// Their person
        #[arg(long, value_name = "NAME")]
        who: Option<String>,
        /// The ball is in their court: --due is when to chase them
        #[arg(long)]
        waiting: bool,
        /// Repeat: "month on 25", "week on tue", "2 weeks", "month on last", "year on 12-20";
        /// marking one done writes the next
        #[arg(long, value_name = "RULE")]
        every: Option<String>,
        /// With --every, where an occurrence on a day the client is closed goes: keep, before,
        /// after
        #[arg(long, value_name = "MOVE", requires = "every")]
        on_holiday: Option<String>,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Add a deadline
    #[command(after_help = WHEN_HELP)]
    Deadline {
        /// What is due
        title: String,
        /// The client's id, as in tether.toml
        #[arg(long, value_name = "ID", add = ArgValueCandidates::new(client_ids))]
        client: Option<String>,
        /// When it is due; a day alone means the end of the client's business hours that day
        #[arg(long, value_name = "WHEN")]
        due: String,
        /// The work it needs in total: 90m, 6h, 1h30m, 2d
        #[arg(long, value_name = "DURATION")]
        estimate: Option<String>,
        /// Work already done on it
        #[arg(long, value_name = "DURATION")]
        spent: Option<String>,
        /// Repeat: "month on 25", "week on tue", "2 weeks", "month on last", "year on 12-20";
        /// marking one done writes the next
        #[arg(long, value_name = "RULE")]
        every: Option<String>,
        /// With --every, where an occurrence on a day the client is closed goes: keep, before,
        /// after
        #[arg(long, value_name = "MOVE", requires = "every")]
        on_holiday: Option<String>,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrackCommand {
    /// Start a timer (a timer already running is stopped first)
    #[command(after_help = TRACK_HELP)]
    Start {
        /// A deadline's id (as in deadlines.jsonl) or a client's id (as in tether.toml)
        #[arg(value_name = "DEADLINE|CLIENT", add = ArgValueCandidates::new(timer_targets))]
        on: String,
        /// What you are doing
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Stop the running timer (at the end of your working day if it ran past it)
    #[command(after_help = TRACK_HELP)]
    Stop {
        /// When you stopped working: 17:30 (the last time the clock showed it), or any WHEN
        #[arg(long, value_name = "WHEN", conflicts_with = "spent")]
        at: Option<String>,
        /// How long you worked from its start (as 2h or 1h30m)
        #[arg(long, value_name = "DURATION")]
        spent: Option<String>,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Add time done away from the keyboard
    #[command(after_help = TRACK_HELP)]
    Add {
        /// How long (as 1h30m, 45m or 2h)
        #[arg(value_name = "DURATION")]
        spent: String,
        /// A deadline's id (as in deadlines.jsonl) or a client's id (as in tether.toml)
        #[arg(value_name = "DEADLINE|CLIENT", add = ArgValueCandidates::new(timer_targets))]
        on: String,
        /// The day it was done (default today; yesterday, mon, 2026-12-04)
        #[arg(long = "on", value_name = "DAY")]
        day: Option<String>,
        /// What you did
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Show what would be written, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

const TRACK_HELP: &str = "A timer counts up to the end of the working day it started in (your work_hours, where you are); one left running past that is flagged in the dashboard's header and in `tether status` and counts no further until you stop it: with --at or --spent to say how long, else it ends at the end of that working day. Entries go to timelog.jsonl, one line each; u in the dashboard undoes the last one.

Examples:
  tether track start d-7f3a2c --note \"first draft\"
  tether track stop --at 17:45
  tether track add 1h30m kanda --on yesterday --note \"call prep on the train\"";

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Add the lines git and Syncthing need to .gitattributes, .gitignore and .stignore (the
    /// merge driver for the .jsonl files; .tether/ kept per machine), and register the driver
    /// with git when the folder is in a git repository
    Init {
        /// Show what would be added and the git commands, and change nothing
        #[arg(long)]
        print: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Open deadlines and dated follow-ups as an iCalendar file (RFC 5545)
    Ics {
        /// Write here (atomically) instead of to standard output
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// events: VEVENTs, shown by every calendar; todos: VTODOs with DUE, for task lists
        #[arg(long = "as", value_enum, default_value_t = IcsKind::Events)]
        kind: IcsKind,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// An iCalendar file (.ics) from Google Calendar, Outlook, Apple, Thunderbird or calcurse:
    /// its VTODOs become deadlines and its VEVENTs follow-ups, each in its own zone; importing
    /// it again updates what the calendar changed and you did not
    Ics {
        /// The calendar file
        file: PathBuf,
        /// The client the items are for (its id or the start of it)
        #[arg(long)]
        client: String,
        /// Put every item in one file instead of by kind
        #[arg(long = "as", value_enum)]
        target: Option<ImportAs>,
        /// How far ahead repeating items are expanded
        #[arg(long, default_value = "90d", value_name = "DURATION")]
        next: String,
        /// Show what would be added or changed, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// Which file imported items go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportAs {
    Deadlines,
    Followups,
}

/// What the calendar holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IcsKind {
    Events,
    Todos,
}

const REVIEW_HELP: &str = "The week runs Monday 00:00 to Monday 00:00 where you are (me.zone, \
or a trip's zone). Hours come from timelog.jsonl (an entry across the week's edge counts its part \
in each week; a running timer up to now); a deadline due that week is met (done by its due), late \
(done after it: by how much, its due in the client's zone) or missed (still open past it). A past \
week is read as it ended, this week as it stands now.

Examples:
  tether review                       this week, as Markdown
  tether review --week 2026-W49 --format json";

const WHEN_HELP: &str = "WHEN may be 2026-11-27, \"2026-11-27 17:00\", 2026-11-27T17:00+09:00, \
today, tomorrow, yesterday, a weekday (fri: the coming Friday; today counts unless the time \
given has passed), \"next week\" (Monday), \"in 3d\", \"in 1w\", \"in 2h\", each day with an \
optional time (\"fri 17:00\", \"tomorrow 9am\"). With --client, times and day words are read \
in the client's zone, else in yours (but a follow-up's day alone counts on your calendar, since \
it means that day in your zone); tether prints the result in both.";

const STATUS_HELP: &str = "Print one short line for tmux's status bar, e.g.
  set -g status-right '#(tether status)'
  set -g status-interval 15
It reads only tether.toml, deadlines.jsonl, followups.jsonl and timelog.jsonl, so it is cheap
to run often.

Placeholders in --format (or $TETHER_STATUS_FORMAT):
  {summary}        the default: the non-empty parts below, joined by ' · ' (✓ when all clear)
  {overdue}        open deadlines past due
  {at_risk}        open deadlines that no longer fit in your working hours
  {tight}          open deadlines with less slack than warn_slack
  {due}            follow-ups you owe that are due today or overdue
  {waiting}        follow-ups you wait for whose chase date has come
  {next_open}      the client who opens next, e.g. 'Tokyo opens 30m'
  {open_now}       the clients open now, named as their clock rows are
  {closed}         a client's next closure within 14 days, e.g. 'Golden Week in Tokyo: closed
                   1–5 May, in 12 days' (public holidays, holidays and closures)
  {next_deadline}  the next deadline not yet overdue, e.g. 'Q3 report in 1d 3h'
  {problems}       problems in the data files, as `tether check` counts them ('3+' on a big
                   directory: only the open lines counted)
  {timer}          the running timer, e.g. '⏱ 1h 12m on Q3 report' (flagged when it ran past
                   your working day)
  {retainer}       the retainer of the client the running timer is on, else the one most ahead
                   of its pace, e.g. 'Nortec 12h/20h ahead' (empty when none is ahead)
  {time}           your local time, e.g. 09:30
{name:TEXT} prints TEXT only when name is not empty or 0, with {} standing for the value:
  --format '{overdue:⚠ {} overdue · }{due:{} due · }{next_open}'
Spaces, '·' and '|' left at either end are trimmed; {{ and }} are literal braces.
In the values (titles, cities, names) '#' is written '##', so tmux shows them as written and
only your format's own #[...] styles apply.";

fn parse_now(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{e}: write it as 2026-11-25T09:30:00+10:00"))
}

const SLOTS_HELP: &str = "A slot lies inside every named client's business hours (their days, \
holidays and daylight-saving changes) and starts on a quarter hour. Best first: on a day you \
work, then the less your own day must stretch (inside your hours first), then the further from \
the edge of any client's hours, then the earliest. Exit status 1 when there is none.

Example: tether slots kanda brandt --next 5d --length 1h";

const MERGE_HELP: &str = "Records are matched by id. Lines added on either side are all kept; a \
record changed on one side takes that change; changes to different fields of one record \
combine; the same field changed differently keeps one value (the same whichever side merges) \
and puts the other in the record's \"merge_conflict\" field, which `tether check` and the \
dashboard name. Comments, blank lines, unknown fields, line endings and the order of untouched \
lines stay. Exit status 0 when merged (conflicts are in the file and listed on stderr), 2 when \
a file cannot be read.";
