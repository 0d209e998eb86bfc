//! What was sent, looked up by item: the levels recorded per (file, key, fingerprint), and the
//! digests of the items a flood's summary recorded by digest ([`super::digest`]).

use super::digest::item_digest;
use super::rules::{ItemFile, Level, SentEntry};
use std::collections::HashMap;

/// The levels already sent per (file, key, fingerprint), and the items sent by digest.
pub(super) struct SentIndex<'a> {
    map: HashMap<(ItemFile, &'a str, &'a str), Vec<Level>>,
    digests: foldhash::HashSet<u64>,
}

impl<'a> SentIndex<'a> {
    pub(super) fn new(sent: &'a [SentEntry]) -> Self {
        let mut map: HashMap<(ItemFile, &str, &str), Vec<Level>> = HashMap::new();
        for item in sent.iter().flat_map(|e| &e.items) {
            map.entry((item.file, item.key.as_str(), item.fingerprint.as_str()))
                .or_default()
                .push(item.level);
        }
        let digests = sent
            .iter()
            .flat_map(|e| e.digests.iter().copied())
            .collect();
        SentIndex { map, digests }
    }

    /// Whether an item with these parts was already alerted at this level (or, for a deadline,
    /// a more severe one), by name or by digest.
    pub(super) fn suppressed_by(
        &self,
        file: ItemFile,
        key: &str,
        level: Level,
        fingerprint: &str,
    ) -> bool {
        let rank = level.deadline_rank();
        let covers = |sent: Level| match rank {
            Some(r) => sent.deadline_rank().is_some_and(|x| x >= r),
            None => sent == level,
        };
        if self
            .map
            .get(&(file, key, fingerprint))
            .is_some_and(|levels| levels.iter().copied().any(covers))
        {
            return true;
        }
        !self.digests.is_empty()
            && Level::ALL.iter().copied().filter(|l| covers(*l)).any(|l| {
                self.digests
                    .contains(&item_digest(file, key, l, fingerprint))
            })
    }

    /// Whether an item recorded by `digest` was sent already.
    pub(super) fn has_digest(&self, digest: u64) -> bool {
        self.digests.contains(&digest)
    }
}
