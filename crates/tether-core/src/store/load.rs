//! Load a whole data directory: never fails; unreadable or missing files become diagnostics.

use super::config::parse_config;
use super::diagnostic::Diagnostic;
use super::files::CONFIG_FILE;
use super::files::{DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, TIMELOG_FILE};
pub use super::records::Keep;
use super::records::{Ctx, Mode};
use crate::domain::held::Held;
use crate::domain::model::{Config, Deadline, Followup, Model};
use stream::{Input, Output, Which, read_all, read_all_into};
pub use stream::{Records, Sink};

#[path = "stream.rs"]
mod stream;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A data file larger than this is refused whole (one error), for loading and for writing,
/// rather than read into memory. Ten years of heavy use are a few MB and a million contacts
/// about 90 MB, which must still load (docs/performance.md); a file past this is a mistake (a
/// log pasted in, a binary saved over it). See docs/reliability.md.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// At most this many lines that are not UTF-8 are reported one by one per file; the rest are
/// counted in one last message (a binary file must not make millions of messages).
pub const MAX_BAD_UTF8_LINES: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The errors found, including those a "N more problems" message stands for.
    pub fn errors(&self) -> usize {
        self.problems().errors
    }

    /// Every problem found, errors and warnings, including those not listed one by one.
    pub fn problems(&self) -> super::diagnostic::Count {
        super::diagnostic::Count::of(&self.diagnostics)
    }
}

/// Read a data file as text, strictly. `Ok(None)` when it does not exist (a missing .jsonl means
/// "none yet"); a file that is not all UTF-8 is one error naming its first bad line. The loader
/// uses the forgiving [`read_for_load`] instead.
pub fn read_text(dir: &Path, name: &str) -> Result<Option<String>, Diagnostic> {
    let Some(bytes) = read_bytes(dir, name)? else {
        return Ok(None);
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            let bytes = e.into_bytes();
            let at = std::str::from_utf8(&bytes)
                .err()
                .map_or(0, |u| u.valid_up_to());
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::error(name, line, NOT_UTF8))
        }
    }
}

const NOT_UTF8: &str =
    "not valid UTF-8: save the file as UTF-8; tether will not write to it until then";

/// Read a data file for loading: its text and the problems found reading it. Each line that is
/// not valid UTF-8 is reported and left out (it reads as an empty line, so every other line
/// keeps its number and still loads); tether then refuses to write to that file (the store
/// re-reads it strictly) until it is saved as UTF-8. `None` when the file does not exist or
/// cannot be read at all (the diagnostics say why).
pub fn read_for_load(dir: &Path, name: &str) -> (Option<String>, Vec<Diagnostic>) {
    match read_bytes(dir, name) {
        Ok(None) => (None, Vec::new()),
        Ok(Some(bytes)) => {
            let (text, diags) = decode_lines(name, bytes);
            (Some(text), diags)
        }
        Err(d) => (None, vec![d]),
    }
}

/// Decode a data file's bytes line by line: valid lines are kept byte for byte, a line that is
/// not UTF-8 becomes an empty line and one error (at most [`MAX_BAD_UTF8_LINES`] are listed).
/// A UTF-16 file (by its byte order mark) is one error instead of one per line.
pub fn decode_lines(name: &str, bytes: Vec<u8>) -> (String, Vec<Diagnostic>) {
    let bytes = match String::from_utf8(bytes) {
        Ok(s) => return (s, Vec::new()),
        Err(e) => e.into_bytes(),
    };
    if is_utf16(&bytes) {
        return (String::new(), vec![utf16_file(name)]);
    }
    let (text, bad_lines, bad) = decode_lossy(&bytes);
    let mut diags: Vec<Diagnostic> = bad_lines
        .into_iter()
        .map(|line| not_utf8_line(name, line))
        .collect();
    if bad > MAX_BAD_UTF8_LINES {
        diags.push(more_not_utf8(name, bad - MAX_BAD_UTF8_LINES));
    }
    (text, diags)
}

/// Whether bytes that are not UTF-8 start with a UTF-16 byte order mark.
pub(crate) fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff])
}

/// The error for one line that is not UTF-8.
pub(crate) fn not_utf8_line(name: &str, line: usize) -> Diagnostic {
    Diagnostic::error(name, line, format!("{NOT_UTF8}; the line is skipped"))
}

/// The error for a file that is UTF-16.
pub(crate) fn utf16_file(name: &str) -> Diagnostic {
    Diagnostic::error(
        name,
        0,
        "the file is UTF-16, not UTF-8: save it as UTF-8; nothing in it was loaded, and \
         tether will not write to it until then",
    )
}

/// The summary after [`MAX_BAD_UTF8_LINES`] listed lines.
pub(crate) fn more_not_utf8(name: &str, more: usize) -> Diagnostic {
    Diagnostic::error(
        name,
        0,
        format!("{more} more lines are not valid UTF-8 (not listed); save the file as UTF-8"),
    )
    .standing_for(more, 0)
}

/// Bytes with some lines not UTF-8, line by line: valid lines kept byte for byte, a bad line
/// left empty (its ending kept, so every other line keeps its number). Returns the text, the
/// 1-based numbers of the first [`MAX_BAD_UTF8_LINES`] bad lines, and how many there are.
pub(crate) fn decode_lossy(bytes: &[u8]) -> (String, Vec<usize>, usize) {
    let mut text = String::with_capacity(bytes.len());
    let mut lines = Vec::new();
    let mut bad = 0usize;
    for (i, chunk) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(chunk) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                bad += 1;
                if bad <= MAX_BAD_UTF8_LINES {
                    lines.push(i + 1);
                }
                // Keep the line (empty) so the lines after it keep their numbers.
                if chunk.ends_with(b"\r\n") {
                    text.push_str("\r\n");
                } else if chunk.ends_with(b"\n") {
                    text.push('\n');
                }
            }
        }
    }
    (text, lines, bad)
}

/// The raw bytes of a data file, bounded: `Ok(None)` when it does not exist; an error for a
/// folder, a device or pipe (never blocks on a FIFO), or a file over [`MAX_FILE_BYTES`].
fn read_bytes(dir: &Path, name: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
    let Some((f, len)) = open_data(dir, name)? else {
        return Ok(None);
    };
    // The file may grow while it is read (another program appending): read at most one byte
    // past the limit, so memory stays bounded whatever happens.
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(dir, name, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(dir, name, bytes.len() as u64));
    }
    Ok(Some(bytes))
}

pub(crate) fn cannot_read(dir: &Path, name: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        name,
        0,
        format!("cannot read {}: {e}", dir.join(name).display()),
    )
}

pub(crate) fn too_big(dir: &Path, name: &str, len: u64) -> Diagnostic {
    Diagnostic::error(
        name,
        0,
        format!(
            "{} is {} MB, more than tether reads ({} MB); nothing in it was loaded: move old \
             lines into another file",
            dir.join(name).display(),
            len / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        ),
    )
}

/// Open a data file for reading, with the checks of [`read_bytes`] (not there, a folder, a
/// device or pipe, over the size cap): the file and its size.
pub(crate) fn open_data(
    dir: &Path,
    name: &str,
) -> Result<Option<(std::fs::File, u64)>, Diagnostic> {
    let path = dir.join(name);
    let cannot = |e: std::io::Error| cannot_read(dir, name, e);
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a named pipe for reading would wait for a writer forever; O_NONBLOCK makes the
    // open return at once, and the type check below then refuses it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let f = match options.open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A missing file means "none yet", but a symlink to a missing file is a mistake
            // (an unmounted drive, a moved folder): say so rather than show nothing.
            return match std::fs::read_link(&path) {
                Ok(to) => Err(Diagnostic::error(
                    name,
                    0,
                    format!(
                        "{} is a symbolic link to {}, which does not exist (not mounted? moved?)",
                        path.display(),
                        to.display()
                    ),
                )),
                Err(_) => Ok(None),
            };
        }
        Err(e) if rustix::io::Errno::from_io_error(&e) == Some(rustix::io::Errno::LOOP) => {
            return Err(Diagnostic::error(
                name,
                0,
                format!(
                    "{} is a symbolic link that leads back to itself (a link loop); replace it \
                     with the file, or fix the link (ls -l {})",
                    path.display(),
                    path.display()
                ),
            ));
        }
        Err(e) => return Err(cannot(e)),
    };
    let meta = f.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(Diagnostic::error(
            name,
            0,
            format!("{} is a directory, not a file", path.display()),
        ));
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(
            name,
            0,
            format!(
                "{} is not a regular file (a device, pipe or socket); tether reads only plain files",
                path.display()
            ),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(dir, name, meta.len()));
    }
    Ok(Some((f, meta.len())))
}

/// Load every file of the data directory.
pub fn load_dir(dir: &Path) -> Loaded {
    load(dir, true)
}

/// The data directory without its contact log, for commands that never need it (`status`,
/// `add`, `export`): interactions.jsonl grows without bound, so it is not even read.
pub fn load_without_contacts(dir: &Path) -> Loaded {
    load(dir, false)
}

fn load(dir: &Path, contacts: bool) -> Loaded {
    load_with(dir, contacts, Mode::All)
}

/// What `tether status` reads: tether.toml, and the open deadlines and follow-ups. Lines that
/// are certainly closed are skipped unparsed (their ids still count for duplicates), so a
/// problem in a closed line is not reported: `tether check` reads everything (docs/status.md).
pub fn load_open_items(dir: &Path) -> Loaded {
    load_with(dir, false, Mode::OpenOnly)
}

/// [`load_open_items`], handing the records to `sink` as they are read instead of keeping them
/// (the model holds tether.toml only): `status` keeps a few numbers per open item, and holding
/// millions of records first cost it 18× the file's size in memory (issue 13).
pub fn load_open_items_into(dir: &Path, sink: Sink<'_>) -> Loaded {
    loaded(load_parts(dir, false, Mode::OpenOnly, Some(sink), None))
}

/// [`load_dir`], handing the records to `sink` as they are read instead of keeping them (the
/// model holds tether.toml only): every line of every file checked, with the same problems, for
/// `status` on a directory small enough to read whole.
pub fn load_all_into(dir: &Path, sink: Sink<'_>) -> Loaded {
    loaded(load_parts(dir, true, Mode::All, Some(sink), None))
}

/// [`load_all_into`] (without the contact log unless `contacts`), and deadlines.jsonl and
/// followups.jsonl as they were opened to be read (second handles on the same files, `None`
/// when one was not there): what is read again through them later is the file that was read,
/// even if another has been renamed over it since (`store::agenda_index`,
/// `store::calendar_index`).
pub fn load_all_into_keeping(
    dir: &Path,
    contacts: bool,
    sink: Sink<'_>,
) -> (Loaded, [Option<std::fs::File>; 2]) {
    let mut kept = [None, None];
    let parts = load_parts(dir, contacts, Mode::All, Some(sink), Some(&mut kept));
    (loaded(parts), kept)
}

/// [`load_dir`] keeping only the deadlines and follow-ups `keep` wants (every time entry, every
/// contact when it reads them, and every problem, as a whole load finds them): a command that needs a few records
/// of a file of millions holds those few (issue 13). The logged time is attached as the whole
/// load attaches it.
pub fn load_keeping(dir: &Path, keep: &Keep<'_>) -> Loaded {
    let (mut model, parts) = load_parts_in(dir, keep.contacts, Mode::All, None, None, Some(keep));
    // Grown a block at a time: up to twice what was kept (a shrink of a big block moves
    // nothing).
    model.deadlines.shrink_to_fit();
    model.followups.shrink_to_fit();
    loaded((model, parts))
}

/// [`load_keeping`] with what to keep decided from tether.toml and the time log, read first
/// (`decide` gets the settings as loaded and the time entries): `review`, `track` and `import`
/// keep the few records their week, timer or client name. Should either file change between
/// that first read and the load, what was decided may be for the wrong records, so everything
/// is kept instead (a whole load, the contact log read as `contacts` says).
pub fn load_decided<D, F>(
    dir: &Path,
    contacts: bool,
    decide: impl FnOnce(&Loaded, &[crate::domain::model::TimeEntry]) -> (D, F),
) -> Loaded
where
    D: Fn(&Deadline) -> bool + Sync,
    F: Fn(&Followup) -> bool + Sync,
{
    let settings = load_config(dir);
    let (timelog, _) = load_timelog(dir, &settings.model.config);
    let (deadline, followup) = decide(&settings, &timelog);
    let loaded = load_keeping(
        dir,
        &Keep {
            deadline: &deadline,
            followup: &followup,
            contacts,
        },
    );
    if loaded.model.config != settings.model.config || loaded.model.timelog != timelog {
        return load(dir, contacts);
    }
    loaded
}

/// What `tether check` reads: every line of every file, checked as [`load_dir`] checks it, with
/// the same problems; the model holds tether.toml but no records (a check keeps none in memory).
pub fn load_problems(dir: &Path) -> Loaded {
    load_with(dir, true, Mode::ProblemsOnly)
}

fn load_with(dir: &Path, contacts: bool, mode: Mode) -> Loaded {
    loaded(load_parts(dir, contacts, mode, None, None))
}

fn loaded((model, parts): (Model, [FilePart; 5])) -> Loaded {
    // The order of the messages: reading problems file by file, then parsing ones.
    let read = parts.iter().flat_map(|p| p.read.iter());
    let parse = parts.iter().flat_map(|p| p.parse.iter());
    let diagnostics = read.chain(parse).cloned().collect();
    Loaded { model, diagnostics }
}

/// What loading found in one file: its problems, and (record files) how much was read.
#[derive(Debug, Clone, Default)]
pub struct FilePart {
    /// Reading problems (cannot read, too big, not UTF-8; a missing tether.toml).
    pub read: Vec<Diagnostic>,
    /// Parsing problems.
    pub parse: Vec<Diagnostic>,
    /// Bytes read and the lines in them (record files; 0 for tether.toml or when unreadable).
    pub bytes: u64,
    pub lines: usize,
}

/// [`load_dir`], keeping each file's problems apart: tether.toml, deadlines.jsonl,
/// followups.jsonl, interactions.jsonl, timelog.jsonl, in this order (the reloader remembers
/// them per file).
pub fn load_dir_parts(dir: &Path) -> (Model, [FilePart; 5]) {
    load_parts(dir, true, Mode::All, None, None)
}

/// [`load_dir_parts`] with the deadlines and follow-ups read in `mode` (the contact log is always
/// read whole: it has no closed lines).
pub fn load_dir_parts_in(dir: &Path, mode: Mode) -> (Model, [FilePart; 5]) {
    load_parts(dir, true, mode, None, None)
}

/// deadlines.jsonl and followups.jsonl read whole against `config`, keeping only their closed
/// records (done or dropped), and what loading found in each: the history a
/// [`Mode::OpenOnly`] load left out, with the same problems as a whole read finds. The open
/// records of a whole read are the ones the open-only load already holds, so they are dropped
/// as they are parsed, not made a second time (at millions of open follow-ups that doubled the
/// dashboard's memory while its history was read).
pub fn load_closed_records(
    dir: &Path,
    config: &Config,
) -> (Held<Deadline>, Held<Followup>, [FilePart; 2]) {
    use crate::domain::model::Status;
    let closed = Keep {
        deadline: &|d: &Deadline| d.status != Status::Open,
        followup: &|f: &Followup| f.status != Status::Open,
        contacts: false,
    };
    let mut parts: [FilePart; 2] = Default::default();
    let which = [
        (Which::Deadlines, DEADLINES_FILE),
        (Which::Followups, FOLLOWUPS_FILE),
    ];
    let mut inputs = open_inputs(dir, &which, &mut parts);
    let outputs = read_all(
        dir,
        &mut inputs,
        &Ctx::new(config).keeping(&closed),
        Mode::All,
    );
    let mut model = Model::default();
    take_outputs(outputs, &mut parts, &mut model);
    (model.deadlines, model.followups, parts)
}

/// deadlines.jsonl (`deadlines`) or followups.jsonl read again in blocks as the load reads it,
/// against `config`: its records (held as lines when they are millions of tiny ones, so never
/// all typed at once, and no copy of the file's text beside them) and what reading it found.
pub fn read_record_file(
    dir: &Path,
    deadlines: bool,
    config: &Config,
) -> (Held<Deadline>, Held<Followup>, FilePart) {
    let which = if deadlines {
        (Which::Deadlines, DEADLINES_FILE)
    } else {
        (Which::Followups, FOLLOWUPS_FILE)
    };
    let mut parts: [FilePart; 1] = Default::default();
    let mut inputs = open_inputs(dir, &[which], &mut parts);
    let outputs = read_all(dir, &mut inputs, &Ctx::new(config), Mode::All);
    let mut model = Model::default();
    take_outputs(outputs, &mut parts, &mut model);
    let [part] = parts;
    (model.deadlines, model.followups, part)
}

/// Open the record files `which`, in order; a file that cannot be opened is a reading problem in
/// its part (and an input without a file).
fn open_inputs(dir: &Path, which: &[(Which, &'static str)], parts: &mut [FilePart]) -> Vec<Input> {
    which
        .iter()
        .zip(parts)
        .map(|(&(which, name), part)| {
            let file = match open_data(dir, name) {
                Ok(f) => f,
                Err(d) => {
                    part.read.push(d);
                    None
                }
            };
            Input { which, name, file }
        })
        .collect()
}

/// Each file's output into its part, and its records into `model` (moved, not copied).
fn take_outputs(outputs: Vec<Output>, parts: &mut [FilePart], model: &mut Model) {
    for (out, part) in outputs.into_iter().zip(parts) {
        part.read.extend(out.read);
        part.parse = out.parse;
        part.bytes = out.bytes;
        part.lines = out.lines;
        if !out.deadlines.is_empty() {
            model.deadlines = out.deadlines;
        }
        if !out.followups.is_empty() {
            model.followups = out.followups;
        }
        if !out.interactions.is_empty() {
            model.interactions = out.interactions;
        }
    }
}

fn load_parts(
    dir: &Path,
    contacts: bool,
    mode: Mode,
    sink: Option<Sink<'_>>,
    files: Option<&mut [Option<std::fs::File>; 2]>,
) -> (Model, [FilePart; 5]) {
    load_parts_in(dir, contacts, mode, sink, files, None)
}

/// [`load_parts`], keeping only the records `keep` wants (all without one): the others are
/// dropped as they are parsed, so a block of millions holds the few kept.
fn load_parts_in(
    dir: &Path,
    contacts: bool,
    mode: Mode,
    sink: Option<Sink<'_>>,
    keep_files: Option<&mut [Option<std::fs::File>; 2]>,
    keep: Option<&Keep<'_>>,
) -> (Model, [FilePart; 5]) {
    let mut parts: [FilePart; 5] = Default::default();
    let mut model = Model::default();
    if let Some(d) = not_a_dir(dir) {
        parts[0].read.push(d);
        return (model, parts);
    }
    let (config_text, d) = read_for_load(dir, CONFIG_FILE);
    parts[0].read = d;
    // The record files are opened now (in this order), read and parsed in blocks below.
    let mut files = vec![
        (Which::Deadlines, DEADLINES_FILE),
        (Which::Followups, FOLLOWUPS_FILE),
    ];
    if contacts {
        files.push((Which::Interactions, INTERACTIONS_FILE));
    }
    let mut inputs = open_inputs(dir, &files, &mut parts[1..]);
    if let Some(files) = keep_files {
        for (k, input) in files.iter_mut().zip(&inputs) {
            *k = input.file.as_ref().and_then(|(f, _)| f.try_clone().ok());
        }
    }
    let config = config_of(dir, config_text, &mut parts[0]);
    let cx = match keep {
        Some(keep) => Ctx::new(&config).keeping(keep),
        None => Ctx::new(&config),
    };
    let outputs = match sink {
        Some(sink) => read_all_into(dir, &mut inputs, &cx, mode, sink),
        None => read_all(dir, &mut inputs, &cx, mode),
    };
    take_outputs(outputs, &mut parts[1..], &mut model);
    // The timer's log, read whole (a year of entries is a few thousand short lines), by every
    // command: a running timer and logged time count wherever spent time does.
    let (timelog, part) = load_timelog(dir, &config);
    model.timelog = timelog;
    parts[4] = part;
    // After the file's own problems (as a reread lists them): its Syncthing conflict copies.
    for (i, name) in [DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE]
        .iter()
        .enumerate()
    {
        parts[i + 1]
            .parse
            .extend(super::conflict_copies::diagnostics_for(dir, name));
    }
    model.config = config;
    crate::domain::timelog::attach(&mut model);
    (model, parts)
}

/// timelog.jsonl read whole against `config`: its entries (stops folded in) and what loading
/// found in it, its Syncthing conflict copies named after its own problems.
pub fn load_timelog(
    dir: &Path,
    config: &Config,
) -> (Vec<crate::domain::model::TimeEntry>, FilePart) {
    let (text, read) = read_for_load(dir, TIMELOG_FILE);
    let text = text.unwrap_or_default();
    let (entries, mut parse) = super::records::parse_timelog(&text, config);
    parse.extend(super::conflict_copies::diagnostics_for(dir, TIMELOG_FILE));
    let lines = super::lines::split_lines(&text).len();
    let part = FilePart {
        read,
        parse,
        bytes: text.len() as u64,
        lines,
    };
    (entries, part)
}

/// tether.toml alone, with the problems [`load_dir`] finds in it (or with the directory), and
/// no records: what the dashboard shows (clocks, keys) while the record files are still read.
pub fn load_config(dir: &Path) -> Loaded {
    let mut part = FilePart::default();
    let mut model = Model::default();
    match not_a_dir(dir) {
        Some(d) => part.read.push(d),
        None => {
            let (text, d) = read_for_load(dir, CONFIG_FILE);
            part.read = d;
            model.config = config_of(dir, text, &mut part);
        }
    }
    let FilePart { read, parse, .. } = part;
    Loaded {
        model,
        diagnostics: read.into_iter().chain(parse).collect(),
    }
}

/// Why `dir` cannot be loaded at all (not there, or a file), as tether.toml's problem.
fn not_a_dir(dir: &Path) -> Option<Diagnostic> {
    if dir.is_dir() {
        return None;
    }
    let msg = if dir.exists() {
        format!(
            "{} is a file, not a directory; point --data-dir at a directory",
            dir.display()
        )
    } else {
        format!(
            "{} does not exist; run `tether init {}`",
            dir.display(),
            dir.display()
        )
    };
    Some(Diagnostic::error(CONFIG_FILE, 0, msg))
}

/// The config in tether.toml's `text` (None: not read), its problems into `part`.
fn config_of(dir: &Path, text: Option<String>, part: &mut FilePart) -> Config {
    match text {
        Some(t) => {
            let (mut c, d) = parse_config(&t);
            part.parse = d;
            part.parse
                .extend(super::ics_import::read_holiday_calendars(dir, &mut c));
            c
        }
        None => {
            if part.read.is_empty() {
                part.parse.push(Diagnostic::error(
                    CONFIG_FILE,
                    0,
                    format!(
                        "missing: create {} (see `tether init`) with your [me] zone and [[clients]]",
                        dir.join(CONFIG_FILE).display()
                    ),
                ));
            }
            Config::default()
        }
    }
}

/// Where the data lives: `--data-dir`, else `$TETHER_DIR` (both handled by the CLI), else the
/// platform data directory (`~/.local/share/tether` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tether").map(|p| p.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_directory_loads_without_problems() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/example");
        let l = load_dir(&dir);
        assert!(l.diagnostics.is_empty(), "{:#?}", l.diagnostics);
        assert!(l.model.deadlines.len() >= 5);
        assert!(l.model.followups.len() >= 5);
        assert!(l.model.interactions.len() >= 20);
    }

    #[test]
    fn missing_dir_and_files_are_messages() {
        let tmp = tempfile::tempdir().unwrap();
        let l = load_dir(&tmp.path().join("nope"));
        assert_eq!(l.errors(), 1);
        assert!(l.diagnostics[0].message.contains("tether init"));
        let l = load_dir(tmp.path());
        assert_eq!(l.errors(), 1);
        assert!(l.diagnostics[0].message.starts_with("missing"));
    }

    #[test]
    fn tether_toml_alone_is_read_as_the_whole_load_reads_it() {
        let tmp = tempfile::tempdir().unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/example");
        let broken = tmp.path().join("broken");
        std::fs::create_dir(&broken).unwrap();
        std::fs::write(broken.join(CONFIG_FILE), "[me]\nzone = \"Mars/Olympus\"\n").unwrap();
        for dir in [
            example,
            broken,
            tmp.path().to_path_buf(),
            tmp.path().join("nope"),
        ] {
            let whole = load_dir(&dir);
            let alone = load_config(&dir);
            assert_eq!(alone.model.config, whole.model.config, "{}", dir.display());
            let of_config: Vec<_> = whole
                .diagnostics
                .iter()
                .filter(|d| d.file == CONFIG_FILE)
                .cloned()
                .collect();
            assert_eq!(alone.diagnostics, of_config, "{}", dir.display());
            assert!(alone.model.followups.is_empty() && alone.model.interactions.is_empty());
        }
    }

    #[test]
    fn invalid_utf8_is_reported_with_line() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(CONFIG_FILE), "[me]\nzone = \"UTC\"\n").unwrap();
        std::fs::write(
            tmp.path().join(FOLLOWUPS_FILE),
            b"{\"what\":\"a\"}\n{\"what\":\"\xff\"}\n",
        )
        .unwrap();
        let l = load_dir(tmp.path());
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(
            l.diagnostics[0].to_string(),
            "followups.jsonl:2: error: not valid UTF-8: save the file as UTF-8; tether will not write to it until then; the line is skipped"
        );
        // The rest of the file still loads.
        assert_eq!(l.model.followups.len(), 1);
        assert_eq!(
            read_text(tmp.path(), FOLLOWUPS_FILE)
                .expect_err("strict")
                .line,
            2
        );
    }

    /// Records dropped as they are parsed still count for duplicate ids: the same problems as
    /// a whole load, and the records kept are the whole load's that the predicates want (a
    /// repeat of a dropped one is left out as the whole load leaves it out).
    #[test]
    fn a_kept_load_reports_what_the_whole_load_reports() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(CONFIG_FILE), "[me]\nzone = \"UTC\"\n").unwrap();
        std::fs::write(
            tmp.path().join(FOLLOWUPS_FILE),
            concat!(
                "{\"id\":\"a\",\"what\":\"undated\"}\n",
                "{\"id\":\"a\",\"what\":\"dated repeat\",\"due\":\"2026-11-20\"}\n",
                "{\"id\":\"b\",\"what\":\"dated\",\"due\":\"2026-11-20\"}\n",
                "{\"id\":\"b\",\"what\":\"undated repeat\"}\n",
                "{\"what\":\"bad\",\"due\":\"someday\"}\n",
                "{\"what\":\"plain\",\"due\":\"2026-11-21\"}\n",
            ),
        )
        .unwrap();
        std::fs::write(
            tmp.path().join(DEADLINES_FILE),
            concat!(
                "{\"id\":\"d\",\"title\":\"done\",\"due\":\"2026-11-20\",\"status\":\"done\"}\n",
                "{\"id\":\"d\",\"title\":\"open repeat\",\"due\":\"2026-11-20\"}\n",
            ),
        )
        .unwrap();
        let whole = load_dir(tmp.path());
        let dated = |f: &Followup| f.due.is_some();
        let open = |d: &Deadline| d.status == crate::domain::model::Status::Open;
        let kept = load_keeping(
            tmp.path(),
            &Keep {
                deadline: &open,
                followup: &dated,
                contacts: true,
            },
        );
        assert_eq!(kept.diagnostics, whole.diagnostics);
        assert_eq!(whole.diagnostics.len(), 4, "{:#?}", whole.diagnostics);
        let want: Vec<Followup> = whole
            .model
            .followups
            .iter()
            .filter(|f| dated(f))
            .map(crate::domain::held::Rec::into_owned)
            .collect();
        assert_eq!(kept.model.followups, want);
        let whats: Vec<&str> = want.iter().map(|f| f.what.as_str()).collect();
        assert_eq!(whats, ["dated", "plain"]);
        assert!(kept.model.deadlines.is_empty());
    }

    #[test]
    fn status_reads_the_open_items_as_check_does() {
        use crate::domain::model::Status;
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join(CONFIG_FILE),
            "[me]\nzone = \"UTC\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n",
        )
        .unwrap();
        std::fs::write(
            tmp.path().join(DEADLINES_FILE),
            concat!(
                "{\"id\":\"a\",\"title\":\"old\",\"due\":\"2026-01-01\",\"status\":\"done\"}\n",
                // A sync conflict: the same id open again after its done copy.
                "{\"id\":\"a\",\"title\":\"again\",\"due\":\"2026-12-01\"}\n",
                "{\"id\":\"b\",\"title\":\"open\",\"due\":\"2026-12-01\",\"client\":\"kanda\"}\n",
                "{\"id\":\"b\",\"title\":\"dup\",\"due\":\"2026-12-01\",\"status\":\"dropped\"}\n",
                "{\"title\":\"x\",\"status\":\"done\",\"st\\u0061tus\":\"open\",\"due\":\"2026-12-01\"}\n",
                "{\"meta\":{\"status\":\"done\"},\"title\":\"nested\",\"due\":\"2026-12-01\"}\n",
                "{\"title\":\"broken\",\"status\":\"open\"}\n",
                "{\"id\":\"c\",\"title\":\"closed\",\"due\":\"2026-01-01\",\"status\":\"dropped\"}\n",
            ),
        )
        .unwrap();
        std::fs::write(
            tmp.path().join(FOLLOWUPS_FILE),
            "{\"what\":\"w\",\"status\":\"done\"}\n{\"what\":\"open\"}\n",
        )
        .unwrap();
        let all = load_dir(tmp.path());
        let open = load_open_items(tmp.path());
        let titles = |l: &Loaded| -> Vec<String> {
            l.model
                .deadlines
                .iter()
                .filter(|d| d.status == Status::Open)
                .map(|d| d.title.to_string())
                .collect()
        };
        assert_eq!(titles(&open), ["open", "x", "nested"]);
        assert_eq!(titles(&open), titles(&all));
        assert_eq!(open.model.followups.len(), 1);
        // The same problems: the open copy of "a", the dropped copy of "b", the "status" written
        // twice (the warning), the missing due.
        assert_eq!(open.diagnostics, all.diagnostics);
        assert_eq!(open.diagnostics.len(), 4, "{:#?}", open.diagnostics);
        assert!(
            open.diagnostics[2]
                .message
                .contains("\"status\" is in this record more than once")
        );
        assert_eq!(open.diagnostics[2].line, 5);
        assert!(open.diagnostics[0].message.contains("first on line 1"));
    }
}
