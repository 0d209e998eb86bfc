//! Records held as their lines: one text block, and almost nothing per record.
//!
//! A record's line number is its index plus an offset that changes only where the file has
//! lines that are not records (blank, comments, mistakes), kept once per change. Its line is
//! found from a start kept for every [`STEP`]th line and a few newlines looked for after it.
//! A record that cannot be read back from its line is kept typed beside the text, and one
//! changed after it was read (a deadline's logged time) is kept typed over its line.

use super::Record;

/// A start is kept for every this many lines of the text.
const STEP: usize = 16;

#[derive(Clone)]
pub(super) struct Lines<T> {
    /// The lines of the records held as lines, each followed by a newline.
    text: String,
    /// Where line `k * STEP` of the text starts.
    every: Vec<usize>,
    /// Lines in the text.
    in_text: usize,
    /// Records, typed ones included.
    len: usize,
    /// From which record on (increasing) a record's line number is its index + 1 + this.
    offsets: Vec<(usize, i64)>,
    /// The records kept typed instead of as a line, and their indices (increasing).
    typed: Vec<T>,
    typed_at: Vec<usize>,
    /// Records whose line is in the text but that were changed since: the record as it is now.
    changed: Vec<(usize, T)>,
}

/// What record `i` is: typed, or a line (its text and number) to read again.
pub(super) enum Entry<'a, T> {
    Typed(&'a T),
    Line(&'a str, usize),
}

/// Where a pass through the records is in the text: the next line's number and start.
#[derive(Clone, Copy, Default)]
pub(super) struct Cursor {
    k: usize,
    at: usize,
}

impl<T> Default for Lines<T> {
    fn default() -> Self {
        Lines {
            text: String::new(),
            every: Vec::new(),
            in_text: 0,
            len: 0,
            offsets: Vec::new(),
            typed: Vec::new(),
            typed_at: Vec::new(),
            changed: Vec::new(),
        }
    }
}

impl<T: Record> Lines<T> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Add a record at the end (its line after the last one's).
    pub(super) fn push(&mut self, r: T) {
        if r.reads_back() {
            self.push_line(r.text(), r.line());
        } else {
            self.push_typed(r);
        }
    }

    /// Add a record at the end, kept typed.
    fn push_typed(&mut self, r: T) {
        self.note_line(r.line());
        self.typed_at.push(self.len);
        self.typed.push(r);
        self.len += 1;
    }

    /// Add a record held as its line `text`, on line `line`.
    pub(super) fn push_line(&mut self, text: &str, line: usize) {
        self.note_line(line);
        if self.in_text.is_multiple_of(STEP) {
            self.every.push(self.text.len());
        }
        self.text.push_str(text);
        self.text.push('\n');
        self.in_text += 1;
        self.len += 1;
    }

    /// Record `i` of `from`, held here as it is held there (one changed since it was read
    /// stays typed: its line would give it as it was).
    pub(super) fn push_from(&mut self, from: &Lines<T>, i: usize) {
        match from.entry(i, &mut Cursor::default()) {
            Some(Entry::Typed(r)) => self.push_typed(r.clone()),
            Some(Entry::Line(text, line)) => self.push_line(text, line),
            None => {}
        }
    }

    fn note_line(&mut self, line: usize) {
        let offset = line as i64 - self.len as i64 - 1;
        if self.offsets.last().map_or(0, |o| o.1) != offset {
            self.offsets.push((self.len, offset));
        }
    }

    /// Record `i`'s 1-based line number.
    pub(super) fn line_of(&self, i: usize) -> usize {
        let o = self.offsets.partition_point(|o| o.0 <= i);
        let offset = o.checked_sub(1).map_or(0, |o| self.offsets[o].1);
        (i as i64 + 1 + offset) as usize
    }

    /// Record `i`; `cursor` makes a pass in order find each line after the last one.
    pub(super) fn entry(&self, i: usize, cursor: &mut Cursor) -> Option<Entry<'_, T>> {
        if i >= self.len {
            return None;
        }
        if let Ok(c) = self.changed.binary_search_by_key(&i, |c| c.0) {
            return Some(Entry::Typed(&self.changed[c].1));
        }
        let before = self.typed_at.partition_point(|&t| t < i);
        if self.typed_at.get(before) == Some(&i) {
            return self.typed.get(before).map(Entry::Typed);
        }
        let k = i - before;
        let start = if cursor.k == k && k > 0 {
            cursor.at
        } else {
            let mut at = *self.every.get(k / STEP)?;
            for _ in 0..k % STEP {
                at += memchr::memchr(b'\n', &self.text.as_bytes()[at..])? + 1;
            }
            at
        };
        let len = memchr::memchr(b'\n', &self.text.as_bytes()[start..])?;
        *cursor = Cursor {
            k: k + 1,
            at: start + len + 1,
        };
        Some(Entry::Line(&self.text[start..start + len], self.line_of(i)))
    }

    /// Change every record with `f`, `read` making those held as lines; a line record that
    /// `f` changes is kept typed over its line from then on.
    pub(super) fn update_all(
        &mut self,
        mut read: impl FnMut(&str, usize) -> T,
        mut f: impl FnMut(&mut T),
    ) {
        let mut changed = std::mem::take(&mut self.changed);
        let mut more = Vec::new();
        let (mut c, mut cursor) = (0, Cursor::default());
        for i in 0..self.len {
            if let Some((_, r)) = changed.get_mut(c).filter(|x| x.0 == i) {
                f(r);
                c += 1;
                continue;
            }
            let t = self.typed_at.partition_point(|&t| t < i);
            if self.typed_at.get(t) == Some(&i) {
                if let Some(r) = self.typed.get_mut(t) {
                    f(r);
                }
                continue;
            }
            if let Some(Entry::Line(text, line)) = self.entry(i, &mut cursor) {
                let was = read(text, line);
                let mut now = was.clone();
                f(&mut now);
                if now != was {
                    more.push((i, now));
                }
            }
        }
        changed.extend(more);
        changed.sort_by_key(|c| c.0);
        self.changed = changed;
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.every.shrink_to_fit();
        self.offsets.shrink_to_fit();
        self.typed.shrink_to_fit();
        self.typed_at.shrink_to_fit();
        self.changed.shrink_to_fit();
    }
}
