//! How the model holds a file's records: typed, or, for millions of tiny ones, as their lines.
//!
//! A typed follow-up is ~190 bytes and a deadline ~220 before its texts, so a file of millions
//! of one-line records (13 bytes each) held typed costs 15× its size (issue 13: the dashboard
//! must stay within 3×). Such a file's records are held as their lines instead, one text
//! block and almost nothing per record (`lines`), and read again by the store's parser (a
//! [`Reread`]) each time one is wanted. Every reader goes through [`Held::get`] and
//! [`Held::iter`], which hand out a [`Rec`]: borrowed when typed, made when read again, so the
//! code above is the same for both (docs/decisions.md, "Memory of the dashboard on tiny
//! records").
//!
//! Which way is chosen as the records come in ([`Held::extend`]): typed, until a file has
//! [`Held::LINES_FROM`] records averaging under [`Held::LINES_UNDER`] bytes a line.

mod lines;
mod rec;

use lines::{Cursor, Entry, Lines};
pub use rec::Rec;
use std::sync::Arc;

/// A record that came from one line of a file.
pub trait Record: Clone + PartialEq {
    /// Its 1-based line number.
    fn line(&self) -> usize;
    /// Its line's text as read (empty when it was not kept).
    fn text(&self) -> &str;
    /// Whether reading its line again gives this record (false when its line's text was not
    /// kept, or something was added to it after it was read, as a deadline's logged time).
    fn reads_back(&self) -> bool {
        !self.text().is_empty()
    }
}

/// Reads a line of a file into its record again, with the settings it was first read with:
/// the store's parser for that file (the domain does not read files itself).
pub trait Reread<T>: Send + Sync {
    /// A reader for any number of lines (the parser's context is made once): a line's text
    /// and its 1-based number give the record. A line that no longer parses (it did when it
    /// was read, with the same settings) gives the record the reader makes of its text.
    fn reader(&self) -> LineReader<'_, T>;
}

/// See [`Reread::reader`].
pub type LineReader<'a, T> = Box<dyn FnMut(&str, usize) -> T + 'a>;

/// A file's records, in file order.
#[derive(Clone)]
pub struct Held<T> {
    repr: Repr<T>,
    /// How to read a line again: without it, the records stay typed.
    reread: Option<Arc<dyn Reread<T>>>,
}

#[derive(Clone)]
enum Repr<T> {
    Typed {
        records: Vec<T>,
        /// How many of them could be held as lines, and their lines' bytes: to tell when
        /// lines would be cheaper.
        text: Lineable,
    },
    Lines(Lines<T>),
}

/// How many records could be held as their lines, and those lines' bytes.
#[derive(Clone, Copy, Default)]
struct Lineable {
    records: usize,
    bytes: usize,
}

impl Lineable {
    fn of<'r, T: Record + 'r>(records: impl IntoIterator<Item = &'r T>) -> Lineable {
        let mut out = Lineable::default();
        for r in records.into_iter().filter(|r| r.reads_back()) {
            out.records += 1;
            out.bytes += r.text().len();
        }
        out
    }

    fn add(self, other: Lineable) -> Lineable {
        Lineable {
            records: self.records + other.records,
            bytes: self.bytes + other.bytes,
        }
    }
}

impl<T> Default for Held<T> {
    fn default() -> Self {
        Held {
            repr: Repr::Typed {
                records: Vec::new(),
                text: Lineable::default(),
            },
            reread: None,
        }
    }
}

impl<T: Record> From<Vec<T>> for Held<T> {
    fn from(records: Vec<T>) -> Self {
        let text = Lineable::of(&records);
        Held {
            repr: Repr::Typed { records, text },
            reread: None,
        }
    }
}

impl<T: Record> FromIterator<T> for Held<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Held::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T: Record> Held<T> {
    /// From this many records a file may be held as lines...
    pub const LINES_FROM: usize = 100_000;
    /// ...when its lines average under this many bytes (typed, they would pass 3× the file).
    pub const LINES_UNDER: usize = 100;

    /// No records yet; those added later are held as lines when that pays (see the module).
    pub fn reading(reread: Arc<dyn Reread<T>>) -> Held<T> {
        Held {
            reread: Some(reread),
            ..Held::default()
        }
    }

    /// The same records, held as lines from now on whatever their number (tests, and a file
    /// already known to be made of tiny lines).
    pub fn into_lines(mut self, reread: Arc<dyn Reread<T>>) -> Held<T> {
        self.reread = Some(reread);
        self.hold_as_lines();
        self
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Typed { records, .. } => records.len(),
            Repr::Lines(l) => l.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the records are held as lines.
    pub fn is_lines(&self) -> bool {
        matches!(self.repr, Repr::Lines(_))
    }

    /// The records as a slice, when they are held typed.
    pub fn as_typed(&self) -> Option<&[T]> {
        match &self.repr {
            Repr::Typed { records, .. } => Some(records),
            Repr::Lines(_) => None,
        }
    }

    /// Record `i` (read again when held as a line, with a parser context of its own: a pass
    /// over many uses [`Held::reader`]).
    pub fn get(&self, i: usize) -> Option<Rec<'_, T>> {
        self.reader().get(i)
    }

    /// The records in file order.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            held: self,
            front: 0,
            back: self.len(),
            reader: None,
            cursor: Cursor::default(),
        }
    }

    /// A reader of records in any order that reads lines again with one parser context (a
    /// [`Held::get`] makes one each time): for passes over many records out of file order.
    pub fn reader(&self) -> Iter<'_, T> {
        self.iter()
    }

    /// Record by index, for a pass out of file order that may ask for a record more than once
    /// (a sort): typed, straight from the slice; held as lines, read again with one parser
    /// context for the whole pass.
    pub fn by_index<'a>(&'a self) -> impl Fn(usize) -> Option<Rec<'a, T>> + 'a {
        let typed = self.as_typed();
        let reader = std::cell::RefCell::new(self.reader());
        move |i| match typed {
            Some(t) => t.get(i).map(Rec::Borrowed),
            None => reader.borrow_mut().get(i),
        }
    }

    /// The records in file order with their indices, leaving out (unread) those held as a
    /// line for which `maybe(line)` is false: a pass that can tell from a line's text alone
    /// that its record is of no interest reads only the others. Typed records all come.
    pub fn iter_maybe<'a>(
        &'a self,
        maybe: impl Fn(&str) -> bool + 'a,
    ) -> impl Iterator<Item = (usize, Rec<'a, T>)> + 'a {
        let mut pass = self.iter();
        (0..self.len()).filter_map(move |i| pass.read(i, &maybe).map(|r| (i, r)))
    }

    /// Each record's 1-based line number, in order (no line is read again for it).
    pub fn lines(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).map(|i| self.line_at(i))
    }

    /// Add one record at the end.
    pub fn push(&mut self, record: T) {
        self.extend(vec![record]);
    }

    /// Add records at the end; held as lines from here on when that pays (see the module).
    pub fn extend(&mut self, more: Vec<T>) {
        match &mut self.repr {
            Repr::Typed { records, text } => {
                *text = text.add(Lineable::of(&more));
                if records.is_empty() {
                    *records = more;
                } else {
                    records.extend(more);
                }
                let Lineable { records: n, bytes } = *text;
                if self.reread.is_some()
                    && n >= Self::LINES_FROM
                    && bytes < n.saturating_mul(Self::LINES_UNDER)
                {
                    self.hold_as_lines();
                }
            }
            Repr::Lines(l) => more.into_iter().for_each(|r| l.push(r)),
        }
    }

    /// Put `more` (sorted by line, none on a line already here) among the records, in line
    /// order. Held as lines when either was.
    pub fn join_by_line(&mut self, more: Held<T>) {
        if more.is_empty() {
            return;
        }
        let reread = self.reread.clone().or_else(|| more.reread.clone());
        match (&mut self.repr, more.repr) {
            (
                Repr::Typed { records, text },
                Repr::Typed {
                    records: m,
                    text: mt,
                },
            ) => {
                *text = text.add(mt);
                records.extend(m);
                // Two sorted runs: the stable sort merges them in one pass.
                records.sort_by_key(|r| r.line());
            }
            (_, repr) => {
                let more = Held {
                    repr,
                    reread: reread.clone(),
                };
                let old = std::mem::take(self);
                let mut joined = Lines::default();
                let (mut i, mut j) = (0, 0);
                while i < old.len() || j < more.len() {
                    if j >= more.len() || (i < old.len() && old.line_at(i) < more.line_at(j)) {
                        old.push_to(&mut joined, i);
                        i += 1;
                    } else {
                        more.push_to(&mut joined, j);
                        j += 1;
                    }
                }
                *self = Held {
                    repr: Repr::Lines(joined),
                    reread,
                };
            }
        }
    }

    /// Record `i`, held in `to` as it is held here.
    fn push_to(&self, to: &mut Lines<T>, i: usize) {
        match &self.repr {
            Repr::Typed { records, .. } => {
                if let Some(r) = records.get(i) {
                    to.push(r.clone());
                }
            }
            Repr::Lines(l) => to.push_from(l, i),
        }
    }

    /// The index of the record on `line` (records are in line order; none is read again).
    pub fn position_of_line(&self, line: usize) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.line_at(mid).cmp(&line) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Record `i`'s 1-based line number (its line is not read again for it).
    fn line_at(&self, i: usize) -> usize {
        match &self.repr {
            Repr::Typed { records, .. } => records.get(i).map_or(0, |r| r.line()),
            Repr::Lines(l) => l.line_of(i),
        }
    }

    /// Keep only the records for which `f` is true.
    pub fn retain(&mut self, mut f: impl FnMut(&T) -> bool) {
        if let Repr::Typed { records, text } = &mut self.repr {
            records.retain(|r| f(r));
            *text = Lineable::of(records.iter());
            return;
        }
        let old = std::mem::take(self);
        let mut kept = Lines::default();
        for (i, r) in old.iter().enumerate() {
            if f(&r) {
                old.push_to(&mut kept, i);
            }
        }
        *self = Held {
            repr: Repr::Lines(kept),
            reread: old.reread.clone(),
        };
    }

    /// Change every record with `f`. A record held as a line that `f` changes is held typed
    /// from then on.
    pub fn update_all(&mut self, f: impl FnMut(&mut T)) {
        let Held { repr, reread } = self;
        match repr {
            Repr::Typed { records, .. } => records.iter_mut().for_each(f),
            Repr::Lines(l) => {
                let Some(reread) = reread.as_ref() else {
                    return;
                };
                l.update_all(reread.reader(), f);
            }
        }
    }

    /// Give back the memory grown ahead.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.repr {
            Repr::Typed { records, .. } => records.shrink_to_fit(),
            Repr::Lines(l) => l.shrink_to_fit(),
        }
    }

    /// Hold the records as lines (each record's line is its text).
    fn hold_as_lines(&mut self) {
        if self.reread.is_none() {
            return;
        }
        if let Repr::Typed { records, .. } = &mut self.repr {
            let mut l = Lines::default();
            for r in std::mem::take(records) {
                l.push(r);
            }
            self.repr = Repr::Lines(l);
        }
    }
}

/// [`Held::iter`].
pub struct Iter<'a, T> {
    held: &'a Held<T>,
    front: usize,
    back: usize,
    /// Made with the first record read again.
    reader: Option<LineReader<'a, T>>,
    /// Where the pass is in the text of lines.
    cursor: Cursor,
}

impl<T> Clone for Iter<'_, T> {
    /// The same place; its reader is made again when it reads a line.
    fn clone(&self) -> Self {
        Iter {
            held: self.held,
            front: self.front,
            back: self.back,
            reader: None,
            cursor: self.cursor,
        }
    }
}

impl<'a, T: Record> Iter<'a, T> {
    /// Record `i`, whatever the place of this pass (see [`Held::reader`]).
    pub fn get(&mut self, i: usize) -> Option<Rec<'a, T>> {
        self.read(i, |_| true)
    }

    /// Record `i`, unless it is held as a line for which `maybe(line)` is false (then it is
    /// not read again).
    fn read(&mut self, i: usize, maybe: impl Fn(&str) -> bool) -> Option<Rec<'a, T>> {
        match &self.held.repr {
            Repr::Typed { records, .. } => records.get(i).map(Rec::Borrowed),
            Repr::Lines(l) => match l.entry(i, &mut self.cursor)? {
                Entry::Typed(r) => Some(Rec::Borrowed(r)),
                Entry::Line(text, _) if !maybe(text) => None,
                Entry::Line(text, line) => {
                    if self.reader.is_none() {
                        self.reader = Some(self.held.reread.as_ref()?.reader());
                    }
                    let read = self.reader.as_mut()?;
                    Some(Rec::Owned(Box::new(read(text, line))))
                }
            },
        }
    }
}

impl<'a, T: Record> Iterator for Iter<'a, T> {
    type Item = Rec<'a, T>;

    fn next(&mut self) -> Option<Rec<'a, T>> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<Rec<'a, T>> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<'a, T: Record> DoubleEndedIterator for Iter<'a, T> {
    fn next_back(&mut self) -> Option<Rec<'a, T>> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        let mut cursor = Cursor::default();
        std::mem::swap(&mut cursor, &mut self.cursor);
        let r = self.get(self.back);
        self.cursor = cursor;
        r
    }
}

impl<T: Record> ExactSizeIterator for Iter<'_, T> {}

impl<'a, T: Record> IntoIterator for &'a Held<T> {
    type Item = Rec<'a, T>;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T: Record> PartialEq for Held<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl<T: Record> PartialEq<Vec<T>> for Held<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| *a == *b)
    }
}

impl<T: Record> PartialEq<Held<T>> for Vec<T> {
    fn eq(&self, other: &Held<T>) -> bool {
        other == self
    }
}

impl<T: Record + std::fmt::Debug> std::fmt::Debug for Held<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests;
