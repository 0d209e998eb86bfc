//! Reading a data file for a change, a block at a time: its lines go by as
//! [`super::lines::split_lines`] cuts them, checked as a write needs them (all UTF-8, at most
//! [`MAX_FILE_BYTES`]), and the file is never held whole. A write then copies the file around
//! the one line it changes (`swap.rs`), so its memory is that line, not the file.

use super::error::{StoreError, name_of, shown};
use super::lines::BOM;
use super::load::MAX_FILE_BYTES;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

/// How much of a file is read at a time.
pub(super) const BLOCK: usize = 64 * 1024;

/// Where a line is in its file, by byte offsets, and what ends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LineAt {
    /// 1-based, as an editor counts.
    pub(super) number: usize,
    /// The line's text, without its ending.
    pub(super) span: Range<u64>,
    /// `"\n"`, `"\r\n"`, or `""` for a last line without one.
    pub(super) ending: &'static str,
    /// What is right before the text: the end of the line before (`"\n"`), the BOM, or nothing
    /// (the file's start). Checked again before a write swaps the file, with `ending`, so the
    /// span is still a whole line.
    pub(super) lead: &'static str,
}

impl LineAt {
    /// The text and its ending: what to cut to delete the line.
    pub(super) fn full_span(&self) -> Range<u64> {
        self.span.start..self.span.end + self.ending.len() as u64
    }
}

/// What [`scan_lines`] tells as it reads: each line's text, in the pieces it arrives in, then
/// where the line was.
pub(super) trait LineVisitor {
    /// More of the text of the line being read.
    fn text(&mut self, bytes: &[u8]);
    /// The line is complete.
    fn end(&mut self, line: LineAt);
}

/// What [`scan_lines`] read: how many bytes (the length a write compares with before it swaps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scanned {
    pub(super) len: u64,
}

/// Read `file` (the data file `path`) from its start to its end, a [`BLOCK`] at a time, telling
/// `visitor` every line. Refused as a write refuses it: over [`MAX_FILE_BYTES`] (even if it
/// grows while read), or not UTF-8 (the line and byte offset of the first bad byte).
pub(super) fn scan_lines(
    path: &Path,
    file: &File,
    visitor: &mut impl LineVisitor,
) -> Result<Scanned, StoreError> {
    let read_err = |source| StoreError::Read {
        file: shown(path),
        source,
    };
    let mut reader = file;
    reader.seek(SeekFrom::Start(0)).map_err(read_err)?;
    let mut buf = vec![0; BLOCK];
    let mut cutter = Cutter::new();
    let mut utf8 = Utf8Check::default();
    let mut total = 0u64;
    loop {
        let n = fill(&mut reader, &mut buf).map_err(read_err)?;
        if n == 0 {
            break;
        }
        let at = total;
        total += n as u64;
        if total > MAX_FILE_BYTES {
            return Err(StoreError::TooBig {
                file: name_of(path),
                mb: total / 1_048_576,
            });
        }
        let mut block = &buf[..n];
        if at == 0 && block.starts_with(BOM.as_bytes()) {
            block = &block[BOM.len()..];
            cutter.bom();
        }
        let block_at = total - block.len() as u64;
        if let Err(bad) = utf8.feed(block, block_at) {
            return Err(not_utf8(path, &cutter, block, block_at, bad));
        }
        cutter.cut(block, block_at, visitor);
    }
    if let Err(bad) = utf8.finish() {
        return Err(not_utf8(path, &cutter, &[], total, bad));
    }
    cutter.finish(total, visitor);
    Ok(Scanned { len: total })
}

/// Read into `buf` until it is full or the file ends; how many bytes.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The error for a bad byte at offset `bad`, in `block` (read from `block_at`) or just before
/// it (the start of a character the block was to finish: no line break in between).
fn not_utf8(path: &Path, cutter: &Cutter, block: &[u8], block_at: u64, bad: u64) -> StoreError {
    let within = bad.saturating_sub(block_at) as usize;
    let breaks = memchr::memchr_iter(b'\n', block.get(..within).unwrap_or(block)).count();
    StoreError::NotUtf8 {
        file: name_of(path),
        line: cutter.number + breaks,
        offset: bad as usize,
    }
}

/// Cuts the blocks into lines, as `split_lines` does: a line ends at `\n`; a `\r` right before
/// it belongs to the ending, any other `\r` to the text.
struct Cutter {
    /// The number of the line being read.
    number: usize,
    /// Where it starts.
    start: u64,
    /// A `\r` that ended the last block, not yet told: the ending's, if a `\n` comes next.
    held_cr: bool,
    bom: bool,
}

impl Cutter {
    fn new() -> Cutter {
        Cutter {
            number: 1,
            start: 0,
            held_cr: false,
            bom: false,
        }
    }

    fn bom(&mut self) {
        self.bom = true;
        self.start = BOM.len() as u64;
    }

    fn lead(&self) -> &'static str {
        match (self.number, self.bom) {
            (1, true) => BOM,
            (1, false) => "",
            _ => "\n",
        }
    }

    fn cut(&mut self, block: &[u8], at: u64, v: &mut impl LineVisitor) {
        let mut rest = block;
        let mut pos = at;
        while let Some(nl) = memchr::memchr(b'\n', rest) {
            let seg = &rest[..nl];
            let crlf = match seg.split_last() {
                Some((b'\r', text)) => {
                    self.tell_held_cr(v);
                    tell(v, text);
                    true
                }
                Some(_) => {
                    self.tell_held_cr(v);
                    tell(v, seg);
                    false
                }
                None => std::mem::take(&mut self.held_cr),
            };
            let newline_at = pos + nl as u64;
            let (text_end, ending) = if crlf {
                (newline_at - 1, "\r\n")
            } else {
                (newline_at, "\n")
            };
            v.end(LineAt {
                number: self.number,
                span: self.start..text_end,
                ending,
                lead: self.lead(),
            });
            self.number += 1;
            self.start = newline_at + 1;
            rest = &rest[nl + 1..];
            pos = self.start;
        }
        if !rest.is_empty() {
            self.tell_held_cr(v);
            match rest.split_last() {
                Some((b'\r', text)) => {
                    tell(v, text);
                    self.held_cr = true;
                }
                _ => tell(v, rest),
            }
        }
    }

    fn tell_held_cr(&mut self, v: &mut impl LineVisitor) {
        if std::mem::take(&mut self.held_cr) {
            v.text(b"\r");
        }
    }

    /// The file ended at `total`: a last line without an ending, if any.
    fn finish(&mut self, total: u64, v: &mut impl LineVisitor) {
        self.tell_held_cr(v);
        if total > self.start {
            v.end(LineAt {
                number: self.number,
                span: self.start..total,
                ending: "",
                lead: self.lead(),
            });
        }
    }
}

fn tell(v: &mut impl LineVisitor, bytes: &[u8]) {
    if !bytes.is_empty() {
        v.text(bytes);
    }
}

/// UTF-8 checked a block at a time: a character cut by the end of a block is finished with the
/// start of the next.
#[derive(Default)]
struct Utf8Check {
    /// The start of a character the last block ended in, and where it is.
    carry: Vec<u8>,
    carry_at: u64,
}

impl Utf8Check {
    /// `Err(offset)` of the first byte that is not UTF-8.
    fn feed(&mut self, mut bytes: &[u8], mut at: u64) -> Result<(), u64> {
        while !self.carry.is_empty() {
            let Some((&b, rest)) = bytes.split_first() else {
                return Ok(());
            };
            self.carry.push(b);
            bytes = rest;
            at += 1;
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_some() => return Err(self.carry_at),
                Err(_) => {}
            }
        }
        match std::str::from_utf8(bytes) {
            Ok(_) => Ok(()),
            Err(e) => {
                let valid = e.valid_up_to();
                if e.error_len().is_some() {
                    return Err(at + valid as u64);
                }
                self.carry.extend_from_slice(&bytes[valid..]);
                self.carry_at = at + valid as u64;
                Ok(())
            }
        }
    }

    fn finish(&self) -> Result<(), u64> {
        if self.carry.is_empty() {
            Ok(())
        } else {
            Err(self.carry_at)
        }
    }
}

/// The bytes `span` of `file` as text; `None` if the file no longer has them all (it shrank
/// since it was scanned: the caller starts over).
pub(super) fn read_span(
    path: &Path,
    file: &File,
    span: &Range<u64>,
) -> Result<Option<String>, StoreError> {
    let read_err = |source| StoreError::Read {
        file: shown(path),
        source,
    };
    let len = span.end - span.start;
    let mut reader = file;
    reader.seek(SeekFrom::Start(span.start)).map_err(read_err)?;
    let mut bytes = Vec::with_capacity(len as usize);
    reader.take(len).read_to_end(&mut bytes).map_err(read_err)?;
    if bytes.len() as u64 != len {
        return Ok(None);
    }
    // Changed since it was checked (written in place meanwhile): start over too.
    Ok(String::from_utf8(bytes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::lines::split_lines;
    use std::io::Write;

    /// Every line: its text as told, and where it was.
    #[derive(Default)]
    struct Collect {
        text: Vec<u8>,
        lines: Vec<(Vec<u8>, LineAt)>,
    }

    impl LineVisitor for Collect {
        fn text(&mut self, bytes: &[u8]) {
            self.text.extend_from_slice(bytes);
        }
        fn end(&mut self, line: LineAt) {
            let text = std::mem::take(&mut self.text);
            self.lines.push((text, line));
        }
    }

    fn scan(content: &[u8]) -> Result<Collect, StoreError> {
        let mut f = tempfile::tempfile().expect("tmp");
        f.write_all(content).expect("write");
        let mut c = Collect::default();
        let scanned = scan_lines(Path::new("f.jsonl"), &f, &mut c)?;
        assert_eq!(scanned.len, content.len() as u64);
        Ok(c)
    }

    /// The same lines as `split_lines`, however the blocks fall.
    #[test]
    fn cuts_lines_as_split_lines_does() {
        let long = "é".repeat(BLOCK / 2 + 7);
        let cases = [
            String::new(),
            "a".into(),
            "a\n".into(),
            "a\r\nb\nc".into(),
            "\n\n".into(),
            "\r\n".into(),
            "x\ry\n".into(),
            "\u{feff}{\"a\":1}\r\n# c\r\n".into(),
            "\u{feff}".into(),
            "end\r".into(),
            "\r".into(),
            format!(
                "{}\r\n{long}\r{long}\n\r\n{}\r",
                "a".repeat(BLOCK - 1),
                "b".repeat(BLOCK)
            ),
            format!("{}\r\nx", "c".repeat(BLOCK - 1)),
            format!("{}\r\r\n", "c".repeat(BLOCK - 1)),
            format!("\u{feff}{}\n", "日".repeat(BLOCK)),
        ];
        for content in &cases {
            let got = scan(content.as_bytes()).expect("scan");
            let want = split_lines(content);
            assert_eq!(
                got.lines.len(),
                want.len(),
                "{:?}",
                &content[..content.len().min(40)]
            );
            for ((text, at), w) in got.lines.iter().zip(&want) {
                assert_eq!(at.number, w.number);
                assert_eq!(text, w.text.as_bytes(), "line {}", w.number);
                assert_eq!(at.ending, w.ending, "line {}", w.number);
                assert_eq!(at.span, w.span.start as u64..w.span.end as u64);
                let lead = &content[..w.span.start];
                assert!(
                    lead.ends_with(at.lead),
                    "line {} lead {:?}",
                    w.number,
                    at.lead
                );
                if w.number == 1 {
                    assert_eq!(at.lead, if content.starts_with(BOM) { BOM } else { "" });
                }
            }
        }
    }

    #[test]
    fn not_utf8_names_the_line_and_offset_as_the_whole_file_check_does() {
        let mut bad = "a\nb\n".as_bytes().to_vec();
        bad.extend_from_slice(&[0xff, b'\n']);
        let at_block_end = ["x".repeat(BLOCK - 1).as_bytes(), &[0xe2, 0x82], b"\n"].concat();
        for (content, line, offset) in [
            (bad, 3, 4),
            (vec![0xff, 0xfe, b'{'], 1, 0),
            (at_block_end, 1, BLOCK - 1),
            (vec![b'a', 0xe2], 1, 1),
        ] {
            match scan(&content) {
                Err(StoreError::NotUtf8 {
                    line: l, offset: o, ..
                }) => {
                    assert_eq!(
                        (l, o),
                        (line, offset),
                        "{:?}",
                        &content[..content.len().min(8)]
                    );
                }
                other => panic!("expected NotUtf8, got {:?}", other.map(|c| c.lines.len())),
            }
        }
        // A character cut by a block's end is fine.
        let cut = format!("{}é\n", "x".repeat(BLOCK - 1));
        assert_eq!(scan(cut.as_bytes()).expect("scan").lines.len(), 1);
    }
}
