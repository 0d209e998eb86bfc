//! Moving rows of the last board over to the next one instead of copying their records again
//! (at a million records the copies are what costs).

/// Rows of a board before, by the index of their record in the model, for a new board over the
/// same records (or more appended): a row is moved over instead of copying its record again.
pub(super) struct Reuse<R> {
    rows: Vec<Option<R>>,
    /// Record index -> position in `rows` (u32::MAX: none).
    by_record: Vec<u32>,
}

impl<R> Reuse<R> {
    pub(super) fn new(rows: Vec<R>, records: &[u32], count: usize) -> Reuse<R> {
        let mut by_record = vec![u32::MAX; count];
        for (pos, &i) in records.iter().enumerate() {
            if let Some(slot) = by_record.get_mut(i as usize) {
                *slot = pos as u32;
            }
        }
        Reuse {
            rows: rows.into_iter().map(Some).collect(),
            by_record,
        }
    }

    pub(super) fn take(&mut self, record: usize) -> Option<R> {
        let pos = *self.by_record.get(record)?;
        self.rows.get_mut(pos as usize)?.take()
    }
}
