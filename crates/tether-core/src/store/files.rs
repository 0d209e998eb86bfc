//! The names of the files tether reads and writes, written out here and nowhere else: the data
//! files the user edits (docs/data-format.md), and the files tether keeps for itself in the data
//! directory's `.tether/` folder (docs/reliability.md).

use std::path::{Path, PathBuf};

/// Settings: you, your clients, alerts, keys.
pub const CONFIG_FILE: &str = "tether.toml";
pub const DEADLINES_FILE: &str = "deadlines.jsonl";
pub const FOLLOWUPS_FILE: &str = "followups.jsonl";
pub const INTERACTIONS_FILE: &str = "interactions.jsonl";
/// The timer's log (issue 17): time entries and stops, appended.
pub const TIMELOG_FILE: &str = "timelog.jsonl";

/// Every file of a data directory: what `tether init` writes and the dashboard watches.
pub const DATA_FILES: [&str; 5] = [
    CONFIG_FILE,
    DEADLINES_FILE,
    FOLLOWUPS_FILE,
    INTERACTIONS_FILE,
    TIMELOG_FILE,
];

/// The record files git merges with `tether merge` and Syncthing's conflict copies of which
/// `tether resolve` folds in (tether.toml is left to git's own merge).
pub const RECORD_FILES: [&str; 4] = [
    DEADLINES_FILE,
    FOLLOWUPS_FILE,
    INTERACTIONS_FILE,
    TIMELOG_FILE,
];

/// The sync tools' own files in the data directory, which `tether sync init` fills in.
pub const GIT_ATTRIBUTES: &str = ".gitattributes";
pub const GIT_IGNORE: &str = ".gitignore";
pub const SYNCTHING_IGNORE: &str = ".stignore";

/// The folder inside the data directory that tether owns.
pub const STATE_DIR: &str = ".tether";
/// `.tether/lock`: held for every change to a data file (and the undo journal).
pub const LOCK_FILE: &str = "lock";
/// `.tether/undo.jsonl`: the undo journal.
pub const JOURNAL_FILE: &str = "undo.jsonl";
/// `.tether/alerts.jsonl`: the alerts sent, one line each.
pub const ALERTS_FILE: &str = "alerts.jsonl";
/// `.tether/alerts.lock`: held for a whole alert pass.
pub const ALERTS_LOCK_FILE: &str = "alerts.lock";
/// `.tether/status-cache`: what `tether status` keeps between calls.
pub const STATUS_CACHE_FILE: &str = "status-cache";

/// What a temporary file of an atomic write has in its name: `.NAME.tether-tmp-PID`, beside
/// the file it replaces.
pub const TEMP_MARK: &str = ".tether-tmp-";
/// What a version of a file kept aside after a conflicting write has in its name:
/// `NAME.tether-conflict-SECS-PID`.
pub const CONFLICT_MARK: &str = ".tether-conflict-";

/// The path of `name` in the data directory `dir`'s `.tether/` folder.
pub fn state_file(dir: &Path, name: &str) -> PathBuf {
    dir.join(STATE_DIR).join(name)
}

/// The data files tether writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    Deadlines,
    Followups,
    Interactions,
    Timelog,
}

impl DataFile {
    pub const ALL: [DataFile; 4] = [
        DataFile::Deadlines,
        DataFile::Followups,
        DataFile::Interactions,
        DataFile::Timelog,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            DataFile::Deadlines => DEADLINES_FILE,
            DataFile::Followups => FOLLOWUPS_FILE,
            DataFile::Interactions => INTERACTIONS_FILE,
            DataFile::Timelog => TIMELOG_FILE,
        }
    }

    pub fn from_file_name(name: &str) -> Option<DataFile> {
        DataFile::ALL.into_iter().find(|f| f.file_name() == name)
    }
}
