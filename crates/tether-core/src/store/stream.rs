//! Read and parse the record files of a directory in blocks, on every core.
//!
//! The files are read in turn, a block at a time, cut after the last newline of the block (the
//! rest is carried into the next one), so no file is ever held whole: memory is the records
//! plus a block per thread. Each thread takes the next block, decodes it (a line that is not
//! UTF-8 becomes an empty line, as [`decode_lines`](super::decode_lines) does it) and parses it
//! ([`parse_chunk`]); each file's blocks are put together in order as they come ([`Merger`]),
//! which numbers the lines and makes the result identical to reading the file whole, line by
//! line. A block's records are moved into the file's list as soon as its turn comes, so the
//! parsed blocks never pile up beside the result.

use super::{
    MAX_BAD_UTF8_LINES, MAX_FILE_BYTES, cannot_read, decode_lossy, is_utf16, more_not_utf8,
    not_utf8_line, too_big, utf16_file,
};
use crate::domain::held::Held;
use crate::domain::model::{Deadline, Followup, Interaction};
use crate::store::diagnostic::Diagnostic;
use crate::store::lines::BOM;
use crate::store::records::{
    Chunk, Ctx, Deadlines, Followups, Interactions, Kind, Merger, Mode, ReadAgain, parse_chunk,
};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;

/// A block is at most this big (plus the rest of its last line); smaller for small files, so
/// that even a few hundred kB keep two cores busy. A block's records are typed until merged,
/// and the allocator keeps what a thread freed for its next block: at 13 bytes a line, 1 MiB
/// blocks left ~15 MB a thread behind (docs/decisions.md, "Memory of the dashboard on tiny
/// records").
const MAX_BLOCK: usize = 1 << 16;
const MIN_BLOCK: usize = 32 << 10;

/// Below this many bytes in all, one thread does it all (starting another costs more).
const MIN_PARALLEL_BYTES: u64 = 128 << 10;

/// Which record file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Deadlines,
    Followups,
    Interactions,
}

/// A record file to read: its name, and the file opened by the caller (`None`: not there).
pub struct Input {
    pub which: Which,
    pub name: &'static str,
    pub file: Option<(File, u64)>,
}

/// What a file gave: its records of one kind, and the problems met reading and parsing it.
#[derive(Default)]
pub struct Output {
    /// Typed, or held as their lines when they are millions of tiny ones (`domain::held`).
    pub deadlines: Held<Deadline>,
    pub followups: Held<Followup>,
    pub interactions: Vec<Interaction>,
    /// Reading problems (cannot read, too big, not UTF-8), as `read_for_load` reports them.
    pub read: Vec<Diagnostic>,
    /// Parsing problems, as `parse_*` report them.
    pub parse: Vec<Diagnostic>,
    /// Bytes read from the file, and the lines in them (as `split_lines` counts them), so the
    /// reloader can later tell an append from an edit without reading the file again.
    pub bytes: u64,
    pub lines: usize,
}

/// Records handed over as they are read (see [`read_all_into`]), in file order.
pub enum Records {
    Deadlines(Vec<Deadline>),
    Followups(Vec<Followup>),
    Interactions(Vec<Interaction>),
}

/// Where [`read_all_into`] hands records over; called under the file's lock, so in order.
pub type Sink<'s> = &'s (dyn Fn(Records) + Sync);

enum Parsed {
    D(Chunk<Deadline>),
    F(Chunk<Followup>),
    I(Chunk<Interaction>),
}

/// One block, read: which file, its place in the file, its lines that were not UTF-8 (numbered
/// from the block's first line), and its records.
struct Block {
    file: usize,
    seq: usize,
    bad_lines: Vec<usize>,
    bad: usize,
    parsed: Parsed,
}

impl Block {
    fn lines(&self) -> usize {
        match &self.parsed {
            Parsed::D(c) => c.lines(),
            Parsed::F(c) => c.lines(),
            Parsed::I(c) => c.lines(),
        }
    }
}

/// The reading side, shared by the threads under a lock.
struct Feed<'i> {
    inputs: Vec<FeedFile<'i>>,
    current: usize,
}

struct FeedFile<'i> {
    input: &'i mut Input,
    block: usize,
    carry: Vec<u8>,
    read: u64,
    seq: usize,
    done: bool,
    /// Why nothing of the file is loaded (cannot read, too big, UTF-16).
    failed: Option<Diagnostic>,
}

impl Feed<'_> {
    /// Fill `buf` with the next block of whole lines: its file and place, or `None` at the end.
    fn next(&mut self, dir: &Path, buf: &mut Vec<u8>) -> Option<(usize, usize)> {
        loop {
            let i = self.current;
            let f = self.inputs.get_mut(i)?;
            if f.done || f.input.file.is_none() {
                self.current += 1;
                continue;
            }
            match f.fill(dir, buf) {
                Ok(true) => {
                    f.seq += 1;
                    return Some((i, f.seq - 1));
                }
                Ok(false) => f.done = true,
                Err(d) => {
                    f.failed = Some(d);
                    f.done = true;
                }
            }
        }
    }
}

impl FeedFile<'_> {
    /// Read the next block into `buf`: `Ok(false)` at the end of the file.
    fn fill(&mut self, dir: &Path, buf: &mut Vec<u8>) -> Result<bool, Diagnostic> {
        let name = self.input.name;
        let Some((file, _)) = self.input.file.as_mut() else {
            return Ok(false);
        };
        buf.clear();
        buf.append(&mut self.carry);
        let mut eof = false;
        loop {
            let want = self.block;
            let start = buf.len();
            // At most one byte past the cap, however much the file grows while it is read.
            let left = (MAX_FILE_BYTES + 1).saturating_sub(self.read);
            let n = file
                .by_ref()
                .take((want as u64).min(left))
                .read_to_end(buf)
                .map_err(|e| cannot_read(dir, name, e))?;
            self.read += n as u64;
            if self.read > MAX_FILE_BYTES {
                return Err(too_big(dir, name, self.read));
            }
            if n == 0 {
                eof = true;
            }
            if self.seq == 0 && start == 0 && is_utf16(buf) && std::str::from_utf8(buf).is_err() {
                return Err(utf16_file(name));
            }
            if eof {
                break;
            }
            // Whole lines only: the bytes after the last newline go to the next block.
            if let Some(nl) = memchr::memrchr(b'\n', &buf[start..]) {
                self.carry.extend_from_slice(&buf[start + nl + 1..]);
                buf.truncate(start + nl + 1);
                break;
            }
        }
        Ok(!buf.is_empty())
    }
}

/// Decode and parse one block.
fn parse_block(
    which: Which,
    seq: usize,
    bytes: &[u8],
    cx: &Ctx<'_>,
    mode: Mode,
) -> (Parsed, Vec<usize>, usize) {
    let decoded;
    let (text, bad_lines, bad) = match std::str::from_utf8(bytes) {
        Ok(t) => (t, Vec::new(), 0),
        Err(_) => {
            let (t, lines, bad) = decode_lossy(bytes);
            decoded = t;
            (decoded.as_str(), lines, bad)
        }
    };
    let text = if seq == 0 {
        text.strip_prefix(BOM).unwrap_or(text)
    } else {
        text
    };
    let parsed = match which {
        Which::Deadlines => Parsed::D(parse_chunk::<Deadlines>(text, cx, mode)),
        Which::Followups => Parsed::F(parse_chunk::<Followups>(text, cx, mode)),
        Which::Interactions => Parsed::I(parse_chunk::<Interactions>(text, cx, mode)),
    };
    (parsed, bad_lines, bad)
}

/// One file being put together: its blocks go to its [`Merger`] in order as they are parsed
/// (a block parsed early waits in `pending`), so the parsed blocks never pile up.
struct Assembly {
    which: Which,
    next: usize,
    pending: BTreeMap<usize, Block>,
    merger: Merging,
    /// Lines that were not UTF-8, numbered in the file (at most [`MAX_BAD_UTF8_LINES`]).
    bad_lines: Vec<Diagnostic>,
    bad: usize,
    /// Lines in the blocks merged so far.
    lines: usize,
    /// The records merged so far, when no sink takes them: moved here block by block, so a
    /// file of tiny lines is held as lines before it is all typed at once.
    deadlines: Held<Deadline>,
    followups: Held<Followup>,
}

enum Merging {
    D(Merger<Deadlines>),
    F(Merger<Followups>),
    I(Merger<Interactions>),
}

impl Assembly {
    /// `kept`: the records stay here (no sink takes them), so a file of tiny lines may be
    /// held as lines (which needs a copy of the settings to read them again).
    fn new(which: Which, cx: &Ctx<'_>, kept: bool) -> Assembly {
        Assembly {
            which,
            next: 0,
            pending: BTreeMap::new(),
            merger: match which {
                Which::Deadlines => Merging::D(Merger::default()),
                Which::Followups => Merging::F(Merger::default()),
                Which::Interactions => Merging::I(Merger::default()),
            },
            bad_lines: Vec::new(),
            bad: 0,
            lines: 0,
            deadlines: match which {
                Which::Deadlines if kept => Held::reading(ReadAgain::<Deadlines>::new(cx.config)),
                _ => Held::default(),
            },
            followups: match which {
                Which::Followups if kept => Held::reading(ReadAgain::<Followups>::new(cx.config)),
                _ => Held::default(),
            },
        }
    }

    /// A parsed block of the file; it and any waiting ones after it are merged when its turn
    /// has come, and with a `sink`, handed over at once.
    fn add(&mut self, block: Block, sink: Option<Sink<'_>>) {
        self.pending.insert(block.seq, block);
        while let Some(b) = self.pending.remove(&self.next) {
            self.next += 1;
            let name = file_name(self.which);
            for &l in &b.bad_lines {
                if self.bad_lines.len() < MAX_BAD_UTF8_LINES {
                    self.bad_lines.push(not_utf8_line(name, self.lines + l));
                }
            }
            self.bad += b.bad;
            self.lines += b.lines();
            match (&mut self.merger, b.parsed) {
                (Merging::D(m), Parsed::D(c)) => m.push(c),
                (Merging::F(m), Parsed::F(c)) => m.push(c),
                (Merging::I(m), Parsed::I(c)) => m.push(c),
                // A block is parsed as its file's kind (`parse_block(which[file], ..)`).
                _ => {}
            }
            match (sink, &mut self.merger) {
                (Some(sink), Merging::D(m)) => sink(Records::Deadlines(m.drain())),
                (Some(sink), Merging::F(m)) => sink(Records::Followups(m.drain())),
                (Some(sink), Merging::I(m)) => sink(Records::Interactions(m.drain())),
                (None, Merging::D(m)) => self.deadlines.extend(m.drain()),
                (None, Merging::F(m)) => self.followups.extend(m.drain()),
                (None, Merging::I(_)) => {}
            }
        }
    }

    /// The file's records and messages, once all its blocks are in.
    fn finish(self, failed: Option<Diagnostic>, bytes: u64) -> Output {
        let mut out = Output {
            bytes,
            ..Output::default()
        };
        if let Some(d) = failed {
            out.read.push(d);
            return out;
        }
        out.read = self.bad_lines;
        if self.bad > MAX_BAD_UTF8_LINES {
            out.read.push(more_not_utf8(
                file_name(self.which),
                self.bad - MAX_BAD_UTF8_LINES,
            ));
        }
        out.lines = self.lines;
        let (mut deadlines, mut followups) = (self.deadlines, self.followups);
        match self.merger {
            Merging::D(m) => {
                let (rest, parse) = m.finish();
                deadlines.extend(rest);
                (out.deadlines, out.parse) = (deadlines, parse);
            }
            Merging::F(m) => {
                let (rest, parse) = m.finish();
                followups.extend(rest);
                (out.followups, out.parse) = (followups, parse);
            }
            Merging::I(m) => (out.interactions, out.parse) = m.finish(),
        }
        out
    }
}

/// Read and parse `inputs`, on up to `threads` threads: one [`Output`] per input, in order.
pub fn read_all(dir: &Path, inputs: &mut [Input], cx: &Ctx<'_>, mode: Mode) -> Vec<Output> {
    read(dir, inputs, cx, mode, None)
}

/// [`read_all`], handing each file's records to `sink` block by block as they are read (in file
/// order, repeated ids already taken out) instead of keeping them: the outputs have no records.
/// For a reader that keeps a summary of each record (`tether status`), so its memory follows the
/// summaries, not the file.
pub fn read_all_into(
    dir: &Path,
    inputs: &mut [Input],
    cx: &Ctx<'_>,
    mode: Mode,
    sink: Sink<'_>,
) -> Vec<Output> {
    read(dir, inputs, cx, mode, Some(sink))
}

fn read(
    dir: &Path,
    inputs: &mut [Input],
    cx: &Ctx<'_>,
    mode: Mode,
    sink: Option<Sink<'_>>,
) -> Vec<Output> {
    let total: u64 = inputs
        .iter()
        .filter_map(|i| i.file.as_ref().map(|f| f.1))
        .sum();
    let threads = if total < MIN_PARALLEL_BYTES {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8)
    };
    let which: Vec<Which> = inputs.iter().map(|i| i.which).collect();
    let feed = Mutex::new(Feed {
        inputs: inputs
            .iter_mut()
            .map(|input| {
                let len = input.file.as_ref().map_or(0, |f| f.1) as usize;
                let block = (len / (4 * threads)).clamp(MIN_BLOCK, MAX_BLOCK);
                FeedFile {
                    input,
                    block,
                    carry: Vec::new(),
                    read: 0,
                    seq: 0,
                    done: false,
                    failed: None,
                }
            })
            .collect(),
        current: 0,
    });
    let assemblies: Vec<Mutex<Assembly>> = which
        .iter()
        .map(|&w| Mutex::new(Assembly::new(w, cx, sink.is_none())))
        .collect();
    let work = || {
        let cx = &cx.fork();
        let mut buf = Vec::new();
        loop {
            let next = match feed.lock() {
                Ok(mut f) => f.next(dir, &mut buf),
                Err(_) => None,
            };
            let Some((file, seq)) = next else {
                return;
            };
            let (parsed, bad_lines, bad) = parse_block(which[file], seq, &buf, cx, mode);
            let block = Block {
                file,
                seq,
                bad_lines,
                bad,
                parsed,
            };
            // Merging a block is a small part of parsing it: the other thread rarely waits.
            if let Ok(mut a) = assemblies[block.file].lock() {
                a.add(block, sink);
            }
        }
    };
    std::thread::scope(|s| {
        let others: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        work();
        for h in others {
            if let Err(p) = h.join() {
                std::panic::resume_unwind(p);
            }
        }
    });
    let (failed, read): (Vec<Option<Diagnostic>>, Vec<u64>) = match feed.into_inner() {
        Ok(f) => f.inputs.into_iter().map(|f| (f.failed, f.read)).unzip(),
        Err(_) => (vec![None; which.len()], vec![0; which.len()]),
    };
    assemblies
        .into_iter()
        .zip(failed.into_iter().zip(read))
        .map(|(a, (failed, bytes))| match a.into_inner() {
            Ok(a) => a.finish(failed, bytes),
            // A thread panicked while merging: the panic was re-raised above.
            Err(_) => Output::default(),
        })
        .collect()
}

fn file_name(which: Which) -> &'static str {
    match which {
        Which::Deadlines => Deadlines::FILE,
        Which::Followups => Followups::FILE,
        Which::Interactions => Interactions::FILE,
    }
}

#[cfg(test)]
mod tests {
    use crate::store::config::{CONFIG_FILE, parse_config};
    use crate::store::load::{
        load_dir, load_open_items, load_open_items_into, load_problems, read_for_load,
    };
    use crate::store::records::{
        DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE, parse_deadlines, parse_followups,
        parse_interactions,
    };
    use proptest::prelude::*;

    /// A line of a record file: mostly good, with every kind of mistake mixed in.
    fn line(kind: u8, i: usize) -> Vec<u8> {
        let s = match kind % 16 {
            0 => format!(
                "{{\"id\":\"x{}\",\"what\":\"dup {i}\",\"title\":\"t\",\"due\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"call\",\"at\":\"2026-11-20\"}}",
                i % 7
            ),
            1 => format!(
                "{{\"what\":\"w{i}\",\"zone\":\"Nowhere/{i}\",\"title\":\"t\",\"due\":\"2026-11-25\",\"client\":\"kanda\",\"kind\":\"call\",\"at\":\"2026-11-20\"}}"
            ),
            2 => format!(
                "{{\"what\":\"w{i}\",\"client\":\"kandaa\",\"title\":\"t\",\"due\":\"2026-11-25\",\"kind\":\"call\",\"at\":\"2026-11-20\"}}"
            ),
            3 => "{\"what\":\"x\",\"stauts\":\"open\"".to_string(),
            4 => "# comment".to_string(),
            5 => String::new(),
            6 => format!(
                "{{\"id\":\"c{i}\",\"what\":\"closed\",\"title\":\"t\",\"due\":\"2026-11-25\",\"status\":\"done\",\"client\":\"kanda\",\"kind\":\"call\",\"at\":\"2026-11-20\"}}\r"
            ),
            7 => return b"{\"what\":\"\xff\xfe\"}".to_vec(),
            8 => "<<<<<<< HEAD".to_string(),
            9 => format!(
                "{{\"what\":\"w{i}\",\"stauts\":\"done\",\"title\":\"t\",\"due\":\"2026-03-08T02:30\",\"client\":\"kanda\",\"kind\":\"Visit\",\"at\":\"2026-03-08T02:30\",\"zone\":\"America/New_York\"}}"
            ),
            10 => "[1,2]".to_string(),
            11 => "{\"what\":1e400}".to_string(),
            _ => format!(
                "{{\"id\":\"g{i}\",\"what\":\"w{i}\",\"who\":\"Sato\",\"title\":\"Ship {i}\",\"due\":\"2026-11-25T10:00\",\"client\":\"kanda\",\"kind\":\"email\",\"at\":\"2026-11-20T10:00+09:00\",\"note\":\"{}\"}}",
                "n".repeat(i % 300)
            ),
        };
        s.into_bytes()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6))]
        /// Reading in blocks on several threads gives exactly what reading each file whole,
        /// line by line, gives: the same records and the same messages in the same order.
        #[test]
        fn blocks_read_like_whole_files(
            kinds in proptest::collection::vec(any::<u8>(), 3000..6000),
            bom in any::<bool>(),
            crlf in any::<bool>(),
        ) {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            std::fs::write(
                dir.join(CONFIG_FILE),
                "[me]\nzone = \"America/New_York\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n",
            )
            .unwrap();
            let mut text = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
            for (i, k) in kinds.iter().enumerate() {
                text.extend(line(*k, i));
                text.extend_from_slice(if crlf && i % 3 == 0 { b"\r\n" } else { b"\n" });
            }
            text.extend(line(12, 0)); // no newline at the end
            for name in [DEADLINES_FILE, FOLLOWUPS_FILE, INTERACTIONS_FILE] {
                std::fs::write(dir.join(name), &text).unwrap();
            }
            let got = load_dir(dir);
            // The reference: each file read whole, then parsed whole.
            let config = parse_config(&read_for_load(dir, CONFIG_FILE).0.unwrap()).0;
            let mut want = Vec::new();
            let (dl, d) = read_for_load(dir, DEADLINES_FILE);
            want.extend(d);
            let (fu, d) = read_for_load(dir, FOLLOWUPS_FILE);
            want.extend(d);
            let (ix, d) = read_for_load(dir, INTERACTIONS_FILE);
            want.extend(d);
            let (deadlines, d) = parse_deadlines(&dl.unwrap(), &config);
            want.extend(d);
            let (followups, d) = parse_followups(&fu.unwrap(), &config);
            want.extend(d);
            let (interactions, d) = parse_interactions(&ix.unwrap(), &config);
            want.extend(d);
            prop_assert!(deadlines.len() > 100);
            prop_assert_eq!(&got.diagnostics, &want);
            prop_assert_eq!(&got.model.deadlines, &deadlines);
            prop_assert_eq!(&got.model.followups, &followups);
            prop_assert_eq!(&got.model.interactions, &interactions);
            // `tether check`'s reading, which keeps no record, finds exactly the same problems.
            let problems = load_problems(dir);
            prop_assert_eq!(&problems.diagnostics, &want);
            prop_assert!(problems.model.followups.is_empty() && problems.model.deadlines.is_empty());
            // Handed over block by block (`tether status`): the same open records, in order,
            // and the same problems, as keeping them.
            let open = load_open_items(dir);
            let got = std::sync::Mutex::new((Vec::new(), Vec::new()));
            let streamed = load_open_items_into(dir, &|r| {
                let mut g = got.lock().unwrap();
                match r {
                    super::Records::Deadlines(d) => g.0.extend(d),
                    super::Records::Followups(f) => g.1.extend(f),
                    super::Records::Interactions(_) => {}
                }
            });
            let (deadlines, followups) = got.into_inner().unwrap();
            prop_assert_eq!(&streamed.diagnostics, &open.diagnostics);
            prop_assert_eq!(&deadlines, &open.model.deadlines);
            prop_assert_eq!(&followups, &open.model.followups);
        }
    }
}
