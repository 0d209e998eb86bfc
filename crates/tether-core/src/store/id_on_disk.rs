//! Whether a record id is already in a data file, asked by the alert passes (gift seasons'
//! follow-ups, milestones' deadlines, invoices and payments) before they append a line with a
//! derived id the loaded model does not have: another machine, or a pass since the data was
//! loaded, may have written it. The file is read a block at a time, so asking costs a block of
//! memory whatever its size (issue 13), and only when a line is about to be written.

use super::scan::BLOCK;
use std::io::Read;
use std::path::Path;

/// Whether `"id":"<id>"` (as tether writes ids) is anywhere in the file at `path`. A file that
/// is missing or cannot be read holds nothing.
pub fn file_has_id(path: &Path, id: &str) -> bool {
    let needle = format!("\"id\":{}", serde_json::to_string(id).unwrap_or_default());
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let keep = needle.len().saturating_sub(1);
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + keep);
    let mut block = vec![0u8; BLOCK];
    loop {
        let n = match f.read(&mut block) {
            Ok(0) => return false,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        buf.extend_from_slice(&block[..n]);
        if finder.find(&buf).is_some() {
            return true;
        }
        // Keep what could be the start of a match cut by the block's end.
        let cut = buf.len().saturating_sub(keep);
        buf.drain(..cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same answer as looking in the whole text, wherever the id falls against the
        /// blocks' edges.
        #[test]
        fn agrees_with_the_whole_text(pad in 0usize..(3 * BLOCK), present in any::<bool>()) {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join("followups.jsonl");
            let mut text = "x".repeat(pad);
            text.push('\n');
            if present {
                text.push_str("{\"id\":\"f-0123456789abc\",\"what\":\"Send invoice\"}\n");
            } else {
                text.push_str("{\"id\":\"f-0123456789abd\",\"what\":\"Send invoice\"}\n");
            }
            std::fs::write(&path, &text).unwrap();
            let whole = text.contains("\"id\":\"f-0123456789abc\"");
            prop_assert_eq!(file_has_id(&path, "f-0123456789abc"), whole);
            prop_assert_eq!(whole, present);
        }
    }

    #[test]
    fn a_missing_file_holds_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(!file_has_id(&tmp.path().join("none.jsonl"), "f-1"));
    }
}
