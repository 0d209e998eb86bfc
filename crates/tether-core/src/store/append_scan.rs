//! What an append needs to know of the file it appends to, read a block at a time: the file is
//! never held (a 100 MB contact log cost `tether log` the file and a list of its lines, ~3.5×
//! its size, issue 13). All of it is read, because two things need every byte: the line number
//! the new line lands on (the undo journal records it) and the refusal of a file that is not
//! all UTF-8 (docs/decisions.md, "Appends read the file a block at a time").

use super::error::{StoreError, name_of};
use super::load::MAX_FILE_BYTES;
use super::snapshot::too_big;
use std::io::{self, Read};
use std::path::Path;

/// The block read at a time.
const BLOCK: usize = 64 << 10;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// What [`scan`] found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Shape {
    /// Bytes read.
    pub(super) len: u64,
    /// Its lines, as `lines::split_lines` counts them.
    pub(super) lines: usize,
    /// The lines whose text is the one asked for, and the number of the last.
    pub(super) matches: usize,
    pub(super) last_match: Option<usize>,
    /// What [`super::append::append_shape`] says of the text: the line ending to finish an
    /// unterminated last line with, and the file's own line ending.
    pub(super) lead: &'static str,
    pub(super) ending: &'static str,
}

/// Read `file` to its end a block at a time: its [`Shape`], counting the lines whose text
/// (without its ending, after a BOM) is `line`. `strict`: a file that is not all UTF-8 is
/// [`StoreError::NotUtf8`] with the line and byte offset of its first bad byte, as a whole-file
/// check says it; else its bytes are taken as they are (what `from_utf8_lossy` gives has the
/// same line ends and the same last byte class).
pub(super) fn scan(
    path: &Path,
    file: &mut impl Read,
    strict: bool,
    line: &str,
) -> Result<Shape, StoreError> {
    let read_err = |source| StoreError::Read {
        file: super::error::shown(path),
        source,
    };
    let mut buf = vec![0u8; BLOCK + 4];
    // Bytes of a character cut by the end of the last block, moved to the front of `buf`.
    let mut carry = 0usize;
    // The file's offset of `buf[0]`.
    let mut pos: u64 = 0;
    let mut newlines = 0usize;
    let mut ending: Option<&'static str> = None;
    let mut last: Option<u8> = None;
    let mut head: Vec<u8> = Vec::with_capacity(3);
    let mut current = LineMatch::new(line);
    let (mut matches, mut last_match) = (0usize, None);
    loop {
        let n = match file.read(&mut buf[carry..carry + BLOCK]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_err(e)),
        };
        let end = carry + n;
        if pos + end as u64 > MAX_FILE_BYTES {
            return Err(too_big(path, pos + end as u64));
        }
        if n == 0 {
            if strict && carry > 0 {
                // A character cut short by the end of the file.
                return Err(not_utf8(path, newlines + 1, pos));
            }
            break;
        }
        let next_carry = if strict {
            match std::str::from_utf8(&buf[..end]) {
                Ok(_) => 0,
                Err(e) if e.error_len().is_none() => end - e.valid_up_to(),
                Err(e) => {
                    let before = memchr::memchr_iter(b'\n', &buf[..e.valid_up_to()]).count();
                    return Err(not_utf8(
                        path,
                        newlines + before + 1,
                        pos + e.valid_up_to() as u64,
                    ));
                }
            }
        } else {
            0
        };
        // The new bytes (a carried character has no newline in it).
        let new = &buf[carry..end];
        for &b in new.iter().take(3 - head.len().min(3)) {
            head.push(b);
        }
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', new) {
            if ending.is_none() {
                let before = if nl > 0 { Some(new[nl - 1]) } else { last };
                ending = Some(if before == Some(b'\r') { "\r\n" } else { "\n" });
            }
            current.push(&new[start..nl]);
            newlines += 1;
            if current.is(newlines == 1, true) {
                matches += 1;
                last_match = Some(newlines);
            }
            current.clear();
            start = nl + 1;
        }
        current.push(&new[start..]);
        last = new.last().copied().or(last);
        let consumed = end - next_carry;
        buf.copy_within(consumed..end, 0);
        pos += consumed as u64;
        carry = next_carry;
    }
    let bom = if head.starts_with(BOM) { BOM.len() } else { 0 };
    let rest_empty = pos == bom as u64;
    let unterminated = !rest_empty && last != Some(b'\n');
    let mut lines = newlines;
    if unterminated {
        lines += 1;
        if current.is(lines == 1, false) {
            matches += 1;
            last_match = Some(lines);
        }
    }
    let ending = ending.unwrap_or("\n");
    let lead = if rest_empty || last == Some(b'\n') {
        ""
    } else if last == Some(b'\r') {
        // Half a CRLF: completing it beats writing a second, stray `\r`.
        "\n"
    } else {
        ending
    };
    Ok(Shape {
        len: pos,
        lines,
        matches,
        last_match,
        lead,
        ending,
    })
}

fn not_utf8(path: &Path, line: usize, offset: u64) -> StoreError {
    StoreError::NotUtf8 {
        file: name_of(path),
        line,
        offset: offset as usize,
    }
}

/// Whether the line being read is a given text, holding at most a few bytes more than it.
struct LineMatch<'l> {
    want: &'l [u8],
    got: Vec<u8>,
    /// Longer than the text could be with a BOM and a `\r`: not it.
    over: bool,
}

impl<'l> LineMatch<'l> {
    fn new(want: &'l str) -> LineMatch<'l> {
        LineMatch {
            want: want.as_bytes(),
            got: Vec::new(),
            over: false,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.over || self.got.len() + bytes.len() > self.want.len() + BOM.len() + 1 {
            self.over = true;
            return;
        }
        self.got.extend_from_slice(bytes);
    }

    fn clear(&mut self) {
        self.got.clear();
        self.over = false;
    }

    /// Whether the line is the text: `first`, the file's first line (a BOM before it is not
    /// part of it); `newline`, ended by a `\n` (a `\r` before it is part of the ending; a lone
    /// `\r` at the end of the file is part of the text, as `split_lines` has it).
    fn is(&self, first: bool, newline: bool) -> bool {
        if self.over {
            return false;
        }
        let mut text = self.got.as_slice();
        if first {
            text = text.strip_prefix(BOM).unwrap_or(text);
        }
        if newline {
            text = text.strip_suffix(b"\r").unwrap_or(text);
        }
        text == self.want
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report
    use super::*;
    use crate::store::append::append_shape;
    use crate::store::lines::split_lines;
    use crate::store::snapshot::utf8;
    use proptest::prelude::*;

    /// A reader handing over at most `step` bytes a read, counting the bytes it handed over.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.bytes.len().min(self.step).min(out.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// What the whole-text code said (the reference).
    fn whole(bytes: &[u8], strict: bool, line: &str) -> Result<Shape, String> {
        let path = Path::new("/d/followups.jsonl");
        let text = if strict {
            utf8(path, bytes.to_vec()).map_err(|e| e.to_string())?
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        };
        let (lead, ending) = append_shape(&text);
        let lines = split_lines(&text);
        let matching: Vec<usize> = lines
            .iter()
            .filter(|l| l.text == line)
            .map(|l| l.number)
            .collect();
        Ok(Shape {
            len: bytes.len() as u64,
            lines: lines.len(),
            matches: matching.len(),
            last_match: matching.last().copied(),
            lead,
            ending,
        })
    }

    fn streamed(bytes: &[u8], step: usize, strict: bool, line: &str) -> Result<Shape, String> {
        let path = Path::new("/d/followups.jsonl");
        scan(path, &mut Trickle { bytes, step }, strict, line).map_err(|e| e.to_string())
    }

    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"{\"a\":1}".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(BOM.to_vec()),
            Just("é☃𝄞".as_bytes().to_vec()),
            Just(b"\xff".to_vec()),
            Just(b"\xe2\x98".to_vec()),
            Just(b"x".to_vec()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Block by block, whatever the blocks: what the whole text says.
        #[test]
        fn the_scan_says_what_the_whole_text_says(
            pieces in proptest::collection::vec(piece(), 0..24),
            step in 1usize..9,
            strict in any::<bool>(),
            line in proptest::sample::select(&["{\"a\":1}", "x", "", "é☃𝄞"][..]),
        ) {
            let bytes = pieces.concat();
            prop_assert_eq!(
                streamed(&bytes, step, strict, line),
                whole(&bytes, strict, line)
            );
            prop_assert_eq!(
                streamed(&bytes, BLOCK, strict, line),
                whole(&bytes, strict, line)
            );
        }
    }

    #[test]
    fn a_bad_byte_past_the_first_block_is_named_by_line_and_offset() {
        let mut bytes = "{\"a\":\"é\"}\n".repeat(20_000).into_bytes();
        let at = bytes.len() - 5;
        bytes[at] = 0xff;
        assert_eq!(streamed(&bytes, BLOCK, true, "x"), whole(&bytes, true, "x"));
        assert!(
            streamed(&bytes, BLOCK, true, "x")
                .unwrap_err()
                .contains("20000")
        );
    }
}
