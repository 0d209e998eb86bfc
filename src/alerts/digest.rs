//! An item of a flood, recorded by a digest instead of by name: a summary that covers millions
//! of items would otherwise write (and every later pass read back) ~130 bytes of key and
//! fingerprint per item (issue 13; docs/decisions.md, "notify keeps only what can alert").
//!
//! The digest is the first 8 bytes of a SHA-256 over the item's file, key, level and
//! fingerprint, each prefixed by its length (so no two items' parts run together alike). A
//! cryptographic hash because the data is untrusted: a synced line must not be able to make
//! its digest match another item's, and so silence that item's alert. It is written to
//! `.tether/alerts.jsonl`, so it never changes between versions.

use super::rules::{ItemFile, Level};
use sha2::{Digest, Sha256};

/// The digest of one alerted item.
pub fn item_digest(file: ItemFile, key: &str, level: Level, fingerprint: &str) -> u64 {
    let mut h = Sha256::new();
    for part in [file.as_str(), key, level.as_str(), fingerprint] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let sum = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&sum[..8]);
    u64::from_be_bytes(first)
}

/// Digests as the record writes them: 16 lowercase hex digits each, one after the other.
pub fn to_hex(digests: &[u64]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(16 * digests.len());
    for d in digests {
        let _ = write!(s, "{d:016x}");
    }
    s
}

/// [`to_hex`] read back; None when it is not whole digests of hex digits (a damaged line).
pub fn from_hex(s: &str) -> Option<Vec<u64>> {
    if !s.len().is_multiple_of(16) || !s.is_ascii() {
        return None;
    }
    s.as_bytes()
        .chunks(16)
        .map(|c| u64::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_stable_and_tell_items_apart() {
        let d = item_digest(
            ItemFile::Followups,
            "text:x",
            Level::FollowupDue,
            "due=2026-11-20 snoozed=-",
        );
        // Written to disk: a change here makes every recorded flood alert again. The value is
        // Python's: hashlib.sha256 over each part's length (8 bytes, little-endian) and bytes.
        assert_eq!(to_hex(&[d]), "f6ef8c2809b9f10e");
        assert_eq!(
            from_hex(&to_hex(&[d, 1, u64::MAX])),
            Some(vec![d, 1, u64::MAX])
        );
        // Each part counts, and where one ends and the next begins.
        let other = [
            item_digest(
                ItemFile::Deadlines,
                "text:x",
                Level::FollowupDue,
                "due=2026-11-20 snoozed=-",
            ),
            item_digest(
                ItemFile::Followups,
                "text:y",
                Level::FollowupDue,
                "due=2026-11-20 snoozed=-",
            ),
            item_digest(
                ItemFile::Followups,
                "text:x",
                Level::Chase,
                "due=2026-11-20 snoozed=-",
            ),
            item_digest(
                ItemFile::Followups,
                "text:x",
                Level::FollowupDue,
                "due=2026-11-21 snoozed=-",
            ),
            item_digest(
                ItemFile::Followups,
                "text:xd",
                Level::FollowupDue,
                "ue=2026-11-20 snoozed=-",
            ),
        ];
        assert!(other.iter().all(|o| *o != d));
        assert_eq!(from_hex("0123"), None);
        assert_eq!(from_hex("000000000000000g"), None);
        assert_eq!(from_hex(""), Some(vec![]));
    }
}
