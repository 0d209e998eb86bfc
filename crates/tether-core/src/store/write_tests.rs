//! The write path's tests: rewrite, append, undo, and other programs writing at the same time.

use super::*;
use crate::store::append::append_shape;
use crate::store::files::JOURNAL_FILE;
use crate::store::fsio::atomic_write;
use crate::store::journal::{JOURNAL_KEEP, JOURNAL_MAX};
use crate::store::lines::FieldChange;
use crate::store::load::MAX_FILE_BYTES;
use crate::store::lock::lock;
use crate::store::scan::{LineAt, LineVisitor, scan_lines};
use crate::store::snapshot::{Snapshot, open_snapshot};
use crate::store::swap::{Expect, Region, Replace, replace_region};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
        .single()
        .expect("valid time")
}

fn setup(content: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("followups.jsonl");
    fs::write(&path, content).expect("write fixture");
    (dir, path)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("read back")
}

fn done() -> Vec<FieldChange> {
    vec![
        FieldChange::set("status", "done"),
        FieldChange::set("done_at", "2026-11-25T09:00:00Z"),
    ]
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tether-tmp"))
        .collect()
}

const REC: &str = r#"{"id":"f-1","what":"Send revised quote","status":"open","x":{"k":[1,"}"]}}"#;
const REC_DONE: &str = r#"{"id":"f-1","what":"Send revised quote","status":"done","x":{"k":[1,"}"]},"done_at":"2026-11-25T09:00:00Z"}"#;

#[test]
fn rewrite_keeps_every_other_byte() {
    let before = format!(
        "\u{feff}# my follow-ups\r\n\r\n{{\"id\":\n  garbage  \r\n{REC}\r\n{{ \"what\": \"other\" }}"
    );
    let (dir, path) = setup(&before);
    let out = rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
    assert_eq!(out.line, 5);
    assert_eq!(out.edit.apply(REC).as_deref(), Some(REC_DONE));
    assert_eq!(out.restore.apply(REC_DONE).as_deref(), Some(REC));
    assert_eq!(read(&path), before.replace(REC, REC_DONE));
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn rewrite_finds_by_id_after_hand_edits_above() {
    let (_dir, path) = setup(&format!("{REC}\n"));
    // Lines added above, and the record's own unknown field edited: found by id anyway,
    // and the hand edit inside the record survives.
    let edit = |t: &str| t.replace("[1,", "[1,2,");
    let hand = format!(
        "{{\"id\":\"f-0\",\"what\":\"new\"}}\n# added\n{}\n",
        edit(REC)
    );
    fs::write(&path, &hand).expect("hand edit");
    let out = rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
    assert_eq!(out.line, 3);
    assert_eq!(out.edit.apply(&edit(REC)), Some(edit(REC_DONE)));
    assert_eq!(read(&path), hand.replace(&edit(REC), &edit(REC_DONE)));
}

#[test]
fn rewrite_finds_by_exact_text_without_id() {
    let t = r#"{"what":"Call Sato", "status":"open"}"#;
    let (_dir, path) = setup(&format!("{t}\n{t}x\n"));
    rewrite_record(&path, None, t, &[FieldChange::set("status", "done")]).expect("rewrite");
    assert_eq!(
        read(&path),
        format!("{{\"what\":\"Call Sato\", \"status\":\"done\"}}\n{t}x\n")
    );
}

#[test]
fn record_gone_is_an_error_and_changes_nothing() {
    let content = "{\"id\":\"f-2\",\"what\":\"other\"}\n";
    let (_dir, path) = setup(content);
    let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("gone");
    assert!(matches!(err, StoreError::RecordGone { .. }));
    assert_eq!(
        err.to_string(),
        "followups.jsonl: the record \"Send revised quote\" is no longer in the file (edited elsewhere?); nothing was changed"
    );
    assert_eq!(read(&path), content);
    fs::remove_file(&path).expect("rm");
    let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("gone");
    assert!(matches!(err, StoreError::RecordGone { .. }));
}

#[test]
fn unchanged_record_is_not_rewritten() {
    let (_dir, path) = setup(&format!("{REC_DONE}\n"));
    let out = rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
    assert!(!out.changed());
    assert_eq!(read(&path), format!("{REC_DONE}\n"));
}

#[test]
fn bad_target_line_is_reported_with_its_number() {
    // Found by exact text, but not an object: say where, change nothing.
    let (_dir, path) = setup("# c\n{\"id\": oops\n");
    let err = rewrite_record(&path, None, "{\"id\": oops", &done()).expect_err("bad");
    assert!(err.to_string().starts_with("followups.jsonl:2: "), "{err}");
    assert_eq!(read(&path), "# c\n{\"id\": oops\n");
}

#[test]
fn not_utf8_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("deadlines.jsonl");
    fs::write(&path, b"{\"id\":\"a\"}\n\xff\n").expect("write");
    let err = rewrite_record(&path, Some("a"), "", &done()).expect_err("utf8");
    assert!(
        matches!(err, StoreError::NotUtf8 { offset: 11, .. }),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn read_only_file_is_refused_even_for_root() {
    use std::os::unix::fs::PermissionsExt;
    let content = format!("{REC}\n");
    let (dir, path) = setup(&content);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("read-only");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("chmod u+w"));
    let err = append_line(&path, "{}").expect_err("read-only");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert_eq!(read(&path), content);
    assert!(leftovers(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = setup(&format!("{REC}\n"));
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    rewrite_record(&path, Some("f-1"), REC, &done()).expect("rewrite");
    let mode = fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn read_only_directory_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let content = format!("{REC}\n");
    let (dir, path) = setup(&content);
    // Take the lock first so .tether exists; then forbid creating the temp file.
    drop(lock(dir.path()).expect("lock"));
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = dir.path().join("probe");
    let privileged = File::create(&probe).is_ok();
    let result = rewrite_record(&path, Some("f-1"), REC, &done());
    let _ = fs::remove_file(&probe);
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod back");
    if privileged {
        // Root ignores permission bits; the other write-failure tests cover this path.
        return;
    }
    let err = result.expect_err("read-only dir");
    assert!(matches!(err, StoreError::Write { .. }), "{err}");
    assert_eq!(read(&path), content);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn unwritable_temp_path_is_an_error_and_changes_nothing() {
    // Works as root too: a folder where the temp file must go cannot be opened as a file.
    let content = format!("{REC}\n");
    let (dir, path) = setup(&content);
    let tmp = dir.path().join(format!(
        ".followups.jsonl.tether-tmp-{}",
        std::process::id()
    ));
    fs::create_dir(&tmp).expect("mkdir");
    let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("blocked");
    assert!(matches!(err, StoreError::Write { .. }), "{err}");
    assert!(err.to_string().contains("nothing was changed"));
    assert_eq!(read(&path), content);
    assert!(tmp.is_dir(), "the user's folder must not be removed");
}

#[test]
fn failed_rename_cleans_up_the_temp_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("busy");
    fs::create_dir(&target).expect("mkdir");
    fs::write(target.join("inside"), "x").expect("write");
    atomic_write(&target, b"new").expect_err("rename onto a folder");
    assert!(leftovers(dir.path()).is_empty());
    assert_eq!(read(&target.join("inside")), "x");
}

#[test]
fn parent_is_a_file_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plain");
    fs::write(&file, "x").expect("write");
    let path = file.join("followups.jsonl");
    assert!(rewrite_record(&path, Some("f-1"), REC, &done()).is_err());
    assert!(append_line(&path, "{}").is_err());
    assert_eq!(read(&file), "x");
}

#[cfg(unix)]
#[test]
fn symlink_target_is_rewritten_and_link_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real_dir = dir.path().join("real");
    fs::create_dir(&real_dir).expect("mkdir");
    let real = real_dir.join("f.jsonl");
    fs::write(&real, format!("{REC}\n")).expect("write");
    let link = dir.path().join("followups.jsonl");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    rewrite_record(&link, Some("f-1"), REC, &done()).expect("rewrite");
    assert!(
        fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(read(&real), format!("{REC_DONE}\n"));
    assert!(leftovers(dir.path()).is_empty() && leftovers(&real_dir).is_empty());
}

#[test]
fn append_shapes() {
    assert_eq!(append_shape(""), ("", "\n"));
    assert_eq!(append_shape("\u{feff}"), ("", "\n"));
    assert_eq!(append_shape("a\n"), ("", "\n"));
    assert_eq!(append_shape("a"), ("\n", "\n"));
    assert_eq!(append_shape("a\r\nb"), ("\r\n", "\r\n"));
    assert_eq!(append_shape("a\r\nb\n"), ("", "\r\n"));
    assert_eq!(append_shape("a\r\nb\r"), ("\n", "\r\n"));
}

#[test]
fn append_without_trailing_newline_starts_a_new_line() {
    let (_dir, path) = setup("# c\n{\"a\":1}");
    let out = append_line(&path, "{\"b\":2}").expect("append");
    assert_eq!(out.line, 3);
    assert_eq!(read(&path), "# c\n{\"a\":1}\n{\"b\":2}\n");
}

#[test]
fn append_to_crlf_file_uses_crlf() {
    let (_dir, path) = setup("\u{feff}{\"a\":1}\r\n");
    let out = append_line(&path, "{\"b\":2}").expect("append");
    assert_eq!(out.line, 2);
    assert_eq!(read(&path), "\u{feff}{\"a\":1}\r\n{\"b\":2}\r\n");
}

#[test]
fn append_creates_a_missing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("interactions.jsonl");
    assert_eq!(append_line(&path, "{\"a\":1}").expect("append").line, 1);
    assert_eq!(append_line(&path, "{\"a\":2}").expect("append").line, 2);
    assert_eq!(read(&path), "{\"a\":1}\n{\"a\":2}\n");
}

#[test]
fn append_refuses_line_breaks() {
    let (_dir, path) = setup("");
    for bad in ["a\nb", "a\r"] {
        let err = append_line(&path, bad).expect_err("multi-line");
        assert!(matches!(err, StoreError::NotOneLine { .. }));
    }
    assert_eq!(read(&path), "");
}

fn store_with(file: DataFile, content: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path());
    fs::write(store.path(file), content).expect("write");
    (dir, store)
}

#[test]
fn undo_a_rewrite_restores_the_line() {
    let content = format!("# c\r\n{REC}\r\n{{\"id\":\"f-2\"}}");
    let (_dir, store) = store_with(DataFile::Followups, &content);
    let change = store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done: Send revised quote",
            now(),
        )
        .expect("rewrite");
    assert_eq!(change.seq, Some(1));
    assert_eq!(change.line, 2);
    // A hand edit elsewhere in the file must survive the undo.
    let path = store.path(DataFile::Followups);
    let edited = read(&path).replace("f-2", "f-2b");
    fs::write(&path, &edited).expect("hand edit");
    let undo = store
        .undo_last(now())
        .expect("undo")
        .expect("something to undo");
    assert_eq!(undo.line, 2);
    assert_eq!(undo.change.label, "done: Send revised quote");
    assert_eq!(read(&path), content.replace("f-2", "f-2b"));
    assert_eq!(store.undo_last(now()).expect("undo"), None);
    let history = store.history(10).expect("history");
    assert_eq!(history.len(), 1);
    assert!(history[0].undone);
}

/// A journal written before issue 13 kept each change's whole line before and after; its
/// changes can still be undone (and the new entries keep no line).
#[test]
fn undo_reads_journals_that_kept_whole_lines() {
    let content = format!("# c\n{REC_DONE}\n{{\"a\":1}}\n");
    let (dir, store) = store_with(DataFile::Followups, &content);
    fs::create_dir_all(dir.path().join(STATE_DIR)).expect("mkdir");
    let old = [
        json!({"seq": 1, "file": "interactions.jsonl", "kind": "append", "line": 1,
               "before": "", "after": "{\"x\":1}", "at": "2026-11-24T09:00:00Z",
               "label": "logged"}),
        json!({"seq": 2, "file": "followups.jsonl", "kind": "rewrite", "line": 2,
               "before": REC, "after": REC_DONE, "at": "2026-11-25T09:00:00Z",
               "label": "done: Send revised quote"}),
        json!({"seq": 3, "file": "followups.jsonl", "kind": "append", "line": 3,
               "before": "", "after": "{\"a\":1}", "at": "2026-11-25T09:00:00Z",
               "label": "added", "lead": ""}),
    ];
    let journal: String = old.iter().map(|e| format!("{e}\n")).collect();
    fs::write(dir.path().join(STATE_DIR).join(JOURNAL_FILE), journal).expect("journal");
    let path = store.path(DataFile::Followups);
    let undone = store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!((undone.change.label.as_str(), undone.line), ("added", 3));
    assert_eq!(read(&path), format!("# c\n{REC_DONE}\n"));
    let undone = store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(undone.change.label, "done: Send revised quote");
    assert_eq!(read(&path), format!("# c\n{REC}\n"));
    assert_eq!(store.history(5).expect("history").len(), 3);
}

#[test]
fn undo_an_append_restores_exact_bytes() {
    let content = "{\"a\":1}";
    let (_dir, store) = store_with(DataFile::Interactions, content);
    let path = store.path(DataFile::Interactions);
    store
        .append(DataFile::Interactions, "{\"a\":2}", "visit", now())
        .expect("append");
    assert_eq!(read(&path), "{\"a\":1}\n{\"a\":2}\n");
    store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(read(&path), content);
}

#[test]
fn undo_an_append_with_lines_after_it() {
    let (_dir, store) = store_with(DataFile::Interactions, "{\"a\":1}\r\n");
    let path = store.path(DataFile::Interactions);
    store
        .append(DataFile::Interactions, "{\"a\":2}", "visit", now())
        .expect("append");
    let mut hand = read(&path);
    hand.push_str("{\"a\":3}\r\n");
    fs::write(&path, &hand).expect("hand edit");
    store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(read(&path), "{\"a\":1}\r\n{\"a\":3}\r\n");
}

#[test]
fn undo_after_hand_edit_of_that_line_is_a_conflict() {
    let (_dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
    let path = store.path(DataFile::Followups);
    store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done: Send revised quote",
            now(),
        )
        .expect("rewrite");
    let hand = read(&path).replace("Send revised quote", "Send revised quote v2");
    fs::write(&path, &hand).expect("hand edit");
    let err = store.undo_last(now()).expect_err("conflict");
    assert!(matches!(err, StoreError::UndoConflict { .. }), "{err}");
    assert!(
        err.to_string().contains("\"done: Send revised quote\""),
        "{err}"
    );
    assert_eq!(read(&path), hand);
    // Still at the top of the stack: not marked undone.
    assert!(!store.history(1).expect("history")[0].undone);
}

#[test]
fn undo_walks_back_through_changes() {
    let (_dir, store) = store_with(DataFile::Deadlines, "");
    let path = store.path(DataFile::Deadlines);
    let a = r#"{"id":"d-1","title":"A","status":"open"}"#;
    store
        .append(DataFile::Deadlines, a, "add A", now())
        .expect("append");
    store
        .rewrite(
            DataFile::Deadlines,
            Some("d-1"),
            a,
            &[FieldChange::set("status", "done")],
            "done: A",
            now(),
        )
        .expect("rewrite");
    let history = store.history(5).expect("history");
    let labels: Vec<_> = history.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["done: A", "add A"]);
    assert_eq!(history[0].at, now());
    store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(read(&path), format!("{a}\n"));
    store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(read(&path), "");
    assert_eq!(store.undo_last(now()).expect("undo"), None);
}

#[test]
fn noop_rewrite_is_not_journalled() {
    let (_dir, store) = store_with(DataFile::Followups, &format!("{REC_DONE}\n"));
    let change = store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
        .expect("rewrite");
    assert_eq!(change.seq, None);
    assert!(store.history(5).expect("history").is_empty());
}

#[test]
fn journal_is_compacted() {
    let (dir, store) = store_with(DataFile::Interactions, "");
    let state = dir.path().join(STATE_DIR);
    fs::create_dir_all(&state).expect("mkdir");
    let mut journal = String::new();
    for seq in 1..=JOURNAL_MAX as u64 {
        let e = json!({"seq": seq, "file": "interactions.jsonl", "kind": "append", "line": 1,
            "before": "", "after": "{}", "at": "2026-01-01T00:00:00Z", "label": "x"});
        journal.push_str(&format!("{e}\n"));
    }
    fs::write(state.join(JOURNAL_FILE), journal).expect("write journal");
    let change = store
        .append(DataFile::Interactions, "{\"n\":1}", "latest", now())
        .expect("append");
    assert_eq!(change.seq, Some(JOURNAL_MAX as u64 + 1));
    let kept = read(&state.join(JOURNAL_FILE));
    assert_eq!(kept.lines().count(), JOURNAL_KEEP);
    assert_eq!(store.history(1).expect("history")[0].label, "latest");
    assert!(leftovers(&state).is_empty());
}

#[test]
fn damaged_journal_lines_are_skipped() {
    let (dir, store) = store_with(DataFile::Interactions, "");
    let state = dir.path().join(STATE_DIR);
    fs::create_dir_all(&state).expect("mkdir");
    fs::write(state.join(JOURNAL_FILE), "garbage\n{\"seq\":\n").expect("write");
    store
        .append(DataFile::Interactions, "{}", "x", now())
        .expect("append");
    assert_eq!(store.history(5).expect("history").len(), 1);
}

#[test]
fn concurrent_writers_do_not_interleave() {
    let (_dir, store) = store_with(DataFile::Interactions, "");
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..15 {
                    let line = format!("{{\"t\":{t},\"i\":{i}}}");
                    store
                        .append(DataFile::Interactions, &line, "x", now())
                        .expect("append");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let content = read(&store.path(DataFile::Interactions));
    assert_eq!(content.lines().count(), 90);
    assert!(
        content
            .lines()
            .all(|l| serde_json::from_str::<Map<String, Value>>(l).is_ok())
    );
    let mut seqs: Vec<_> = store
        .history(100)
        .expect("history")
        .iter()
        .filter_map(|c| c.seq)
        .collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), 90, "every change got its own journal number");
}

// Another program changing the file between tether's read and its write (found missing by
// the hardening review: the read-modify-write was locked only against other tethers).

fn other_program(path: &Path, content: &str) {
    // As vim, sed -i and sync tools do: a new file renamed over the old one.
    let tmp = path.with_file_name(".other.tmp");
    fs::write(&tmp, content).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

/// A file as a rewrite reads it: opened, scanned; the line to change.
struct AsRead {
    snap: Snapshot,
    len: u64,
    line: LineAt,
    text: String,
}

/// Line `n`, as a rewrite finds it.
struct NthLine {
    n: usize,
    text: Vec<u8>,
    line: Option<LineAt>,
}

impl LineVisitor for NthLine {
    fn text(&mut self, bytes: &[u8]) {
        if self.line.is_none() {
            self.text.extend_from_slice(bytes);
        }
    }
    fn end(&mut self, line: LineAt) {
        if self.line.is_none() {
            if line.number == self.n {
                self.line = Some(line);
            } else {
                self.text.clear();
            }
        }
    }
}

fn read_as_a_write_does(path: &Path, n: usize) -> AsRead {
    let snap = open_snapshot(path).expect("open").expect("exists");
    let mut nth = NthLine {
        n,
        text: Vec::new(),
        line: None,
    };
    let len = scan_lines(path, &snap.file, &mut nth).expect("scan").len;
    AsRead {
        snap,
        len,
        line: nth.line.expect("the line"),
        text: String::from_utf8(nth.text).expect("utf8"),
    }
}

/// Replace the line's text by `ours`, as a rewrite does after `was`; `meanwhile` runs while
/// the new file is being written, after the bytes before the line are copied.
fn replace_line_with(path: &Path, was: &AsRead, ours: &str, meanwhile: impl FnOnce()) -> Replace {
    let region = Region {
        span: was.line.span.clone(),
        line: &was.line,
        text: Expect::Text(&was.text),
        lead: was.line.lead,
    };
    replace_region(path, &was.snap, was.len, &region, |w| {
        meanwhile();
        w.write_all(ours.as_bytes())
    })
    .expect("replace")
}

fn replace_line(path: &Path, was: &AsRead, ours: &str) -> Replace {
    replace_line_with(path, was, ours, || {})
}

#[test]
fn a_file_replaced_after_the_read_is_not_overwritten() {
    let (dir, path) = setup(&format!("{REC}\n"));
    let was = read_as_a_write_does(&path, 1);
    let theirs = format!("{REC}\n{{\"what\":\"added in vim\"}}\n");
    other_program(&path, &theirs);
    assert_eq!(replace_line(&path, &was, "ours"), Replace::Changed);
    assert_eq!(read(&path), theirs);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn an_append_after_the_read_is_not_overwritten() {
    let (_dir, path) = setup(&format!("{REC}\n"));
    let was = read_as_a_write_does(&path, 1);
    let mut f = OpenOptions::new().append(true).open(&path).expect("open");
    f.write_all(b"{\"what\":\"echo >>\"}\n").expect("append");
    assert_eq!(replace_line(&path, &was, "ours"), Replace::Changed);
    assert!(read(&path).ends_with("{\"what\":\"echo >>\"}\n"));
}

#[test]
fn a_same_size_edit_in_place_is_caught_after_the_swap() {
    // Same inode, same size, maybe the same mtime tick: only the bytes tell. The cheap check
    // passes, the swap happens, the comparison of the swapped-out file catches it, and it is
    // swapped back: in the line the write changes, or the line breaks around it.
    let content = "{\"a\":1}\n{\"b\":1}\n";
    for theirs in ["{\"a\":2}\n{\"b\":1}\n", "{\"a\":1}\r{\"b\":1}\n"] {
        let (dir, path) = setup(content);
        let was = read_as_a_write_does(&path, 1);
        fs::write(&path, theirs).expect("in place");
        assert_eq!(replace_line(&path, &was, "ours"), Replace::Changed);
        assert_eq!(read(&path), theirs);
        assert!(leftovers(dir.path()).is_empty());
    }
    // Before the line, while the new file is being written (the bytes before the line copied
    // already): the comparison catches it too.
    let (dir, path) = setup(content);
    let was = read_as_a_write_does(&path, 2);
    let theirs = "{\"a\":2}\n{\"b\":1}\n";
    let got = replace_line_with(&path, &was, "ours", || {
        fs::write(&path, theirs).expect("in place");
    });
    assert_eq!(got, Replace::Changed);
    assert_eq!(read(&path), theirs);
    assert!(leftovers(dir.path()).is_empty());
    // After the line, before it is copied: the new file is made of it, and it stays.
    let (_dir, path) = setup(content);
    let was = read_as_a_write_does(&path, 1);
    fs::write(&path, "{\"a\":1}\n{\"b\":2}\n").expect("in place");
    assert_eq!(replace_line(&path, &was, "ours"), Replace::Done);
    assert_eq!(read(&path), "ours\n{\"b\":2}\n");
}

#[test]
fn an_unchanged_file_is_replaced() {
    let (dir, path) = setup("{\"a\":1}\r\n{\"b\":1}\n");
    let was = read_as_a_write_does(&path, 1);
    assert_eq!(replace_line(&path, &was, "ours"), Replace::Done);
    assert_eq!(read(&path), "ours\r\n{\"b\":1}\n");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn temporary_files_of_killed_writers_are_removed() {
    let (dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
    let dead = std::process::Command::new("true")
        .spawn()
        .and_then(|mut c| c.wait().map(|_| c.id()))
        .expect("a process that has ended");
    let state = dir.path().join(STATE_DIR);
    fs::create_dir_all(&state).expect("mkdir");
    let stale = [
        dir.path()
            .join(format!(".followups.jsonl.tether-tmp-{dead}")),
        dir.path()
            .join(format!(".deadlines.jsonl.tether-tmp-{dead}")),
        state.join(format!(".undo.jsonl.tether-tmp-{dead}")),
    ];
    for p in &stale {
        fs::write(p, "half").expect("write");
    }
    let user_file = dir.path().join(".notes.tether-tmp-x");
    fs::write(&user_file, "mine").expect("write");
    store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
        .expect("rewrite");
    for p in &stale {
        assert!(!p.exists(), "{} left", p.display());
    }
    assert!(user_file.exists(), "a file tether did not make was removed");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("followups.jsonl");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .expect("mkfifo");
    let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("fifo");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    let err = append_line(&path, "{}").expect_err("fifo");
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let (_dir, path) = setup("");
    let f = OpenOptions::new().write(true).open(&path).expect("open");
    f.set_len(MAX_FILE_BYTES + 1).expect("sparse");
    let err = rewrite_record(&path, Some("f-1"), REC, &done()).expect_err("big");
    assert!(matches!(err, StoreError::TooBig { .. }), "{err}");
    let err = append_line(&path, "{}").expect_err("big");
    assert!(matches!(err, StoreError::TooBig { .. }), "{err}");
    assert_eq!(fs::metadata(&path).expect("meta").len(), MAX_FILE_BYTES + 1);
}

/// Replace `path` by a new file with `content`, as `sed -i` and editors do.
fn replace_file(path: &Path, content: &str) {
    let tmp = path.with_file_name("sedXYZ123");
    fs::write(&tmp, content).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

#[test]
fn a_field_set_on_disk_since_it_was_read_is_not_overwritten() {
    let (_dir, store) = store_with(DataFile::Followups, &format!("{REC}\n{{\"id\":\"f-2\"}}\n"));
    let path = store.path(DataFile::Followups);
    // `sed -i` drops the record; the screen still shows it open, and `x` marks it done.
    let dropped = read(&path).replace("\"open\"", "\"dropped\"");
    replace_file(&path, &dropped);
    let err = store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
        .expect_err("the user's choice stands");
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.starts_with("followups.jsonl:1: \"status\" of \"Send revised quote\"")
            && msg.contains("was \"open\", is now \"dropped\"")
            && msg.contains("nothing was changed"),
        "{msg}"
    );
    assert_eq!(read(&path), dropped);
    assert!(store.history(5).expect("history").is_empty());

    // A field the write does not set may have changed: the write goes on and keeps it.
    let renamed = REC.replace("Send revised quote", "Send the revised quote");
    replace_file(&path, &format!("{renamed}\n"));
    store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
        .expect("another field changed");
    let after = read(&path);
    assert!(
        after.contains("Send the revised quote") && after.contains("\"status\":\"done\""),
        "{after}"
    );

    // Set on disk to what tether would set it to: nothing to refuse (nor to change there).
    let (_dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
    let path = store.path(DataFile::Followups);
    replace_file(&path, &format!("{}\n", REC.replace("\"open\"", "\"done\"")));
    store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &[FieldChange::set("status", "done")],
            "done",
            now(),
        )
        .expect("same value");
}

#[test]
fn a_refused_undo_is_skipped_so_older_changes_can_still_be_undone() {
    let a = r#"{"id":"f-1","what":"A","status":"open"}"#;
    let b = r#"{"id":"f-2","what":"B","status":"open"}"#;
    let (_dir, store) = store_with(DataFile::Followups, &format!("{a}\n{b}\n"));
    let path = store.path(DataFile::Followups);
    let mark = |id: &str, text: &str, label: &str| {
        store
            .rewrite(
                DataFile::Followups,
                Some(id),
                text,
                &[FieldChange::set("status", "done")],
                label,
                now(),
            )
            .expect("rewrite");
    };
    mark("f-1", a, "done: A");
    mark("f-2", b, "done: B");
    // B's line is edited by hand since: its undo is refused, once.
    let edited = read(&path).replace("\"B\"", "\"B, by hand\"");
    fs::write(&path, &edited).expect("hand edit");
    let err = store.undo_last(now()).expect_err("conflict");
    assert!(matches!(err, StoreError::UndoConflict { .. }), "{err}");
    assert!(
        err.to_string().contains("\"done: B\"") && err.to_string().contains("skipped: undo again"),
        "{err}"
    );
    assert_eq!(read(&path), edited);
    // The next undo takes back the change before it.
    let undone = store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(undone.change.label, "done: A");
    assert_eq!(read(&path), edited.replace(&a.replace("open", "done"), a));
    assert!(read(&path).contains("B, by hand"));
    assert_eq!(store.undo_last(now()).expect("undo"), None);
    // The skipped change is still listed, not as undone.
    let history = store.history(5).expect("history");
    assert_eq!(history[0].label, "done: B");
    assert!(!history[0].undone);
}

/// The pid of a process that has ended but that nobody has waited for yet (a zombie).
#[cfg(target_os = "linux")]
fn zombie() -> (std::process::Child, u32) {
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let pid = child.id();
    for _ in 0..200 {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat
            .rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        {
            return (child, pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.wait();
    panic!("the child did not become a zombie");
}

#[test]
fn any_write_removes_temporary_files_of_killed_writers() {
    let (dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
    let dead = std::process::Command::new("true")
        .spawn()
        .and_then(|mut c| c.wait().map(|_| c.id()))
        .expect("a process that has ended");
    let state = dir.path().join(STATE_DIR);
    fs::create_dir_all(&state).expect("mkdir");
    let stale = |pid: u32| {
        let paths = [
            dir.path()
                .join(format!(".followups.jsonl.tether-tmp-{pid}")),
            state.join(format!(".undo.jsonl.tether-tmp-{pid}")),
        ];
        for p in &paths {
            fs::write(p, "half").expect("write");
        }
        paths
    };
    let gone = |paths: &[PathBuf], after: &str| {
        for p in paths {
            assert!(!p.exists(), "{} left after {after}", p.display());
        }
    };
    // tether's own files: the status cache (no data lock) and the alerts record.
    let left = stale(dead);
    atomic_write(&state.join("status-cache"), b"cache").expect("cache");
    gone(&left, "writing the status cache");
    let left = stale(dead);
    append_line_unlocked(&state.join("alerts.jsonl"), "{}").expect("alerts");
    gone(&left, "recording an alert");
    // A writer killed a moment ago that its parent has not waited for yet.
    #[cfg(target_os = "linux")]
    {
        let (mut child, pid) = zombie();
        let left = stale(pid);
        store
            .append(DataFile::Interactions, "{}", "add", now())
            .expect("append");
        gone(&left, "an append (the killed writer not yet reaped)");
        let _ = child.wait();
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_data_folder_is_never_written() {
    let top = tempfile::tempdir().expect("tempdir");
    let data = top.path().join("data");
    let outside = top.path().join("elsewhere");
    fs::create_dir(&data).expect("mkdir");
    fs::create_dir(&outside).expect("mkdir");
    let store = Store::new(&data);
    let target = outside.join("followups.jsonl");
    let content = format!("{REC}\n");
    fs::write(&target, &content).expect("write");
    std::os::unix::fs::symlink(&target, store.path(DataFile::Followups)).expect("symlink");
    let err = store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
        .expect_err("link out");
    assert!(matches!(err, StoreError::LinkOut { .. }), "{err}");
    assert!(
        err.to_string().contains("outside the data folder")
            && err
                .to_string()
                .contains("move the file into the data folder"),
        "{err}"
    );
    let err = store
        .append(DataFile::Followups, "{}", "add", now())
        .expect_err("link out");
    assert!(matches!(err, StoreError::LinkOut { .. }), "{err}");
    assert_eq!(read(&target), content);
    // A link to a file that does not exist: an append would create it out there.
    let missing = outside.join("interactions.jsonl");
    std::os::unix::fs::symlink(&missing, store.path(DataFile::Interactions)).expect("symlink");
    assert!(
        store
            .append(DataFile::Interactions, "{}", "add", now())
            .is_err()
    );
    assert!(!missing.exists());
    // Nothing was journalled, and tether's own folder is inside the data folder.
    assert!(store.history(5).expect("history").is_empty());
    assert!(fs::read_dir(&outside).expect("list").count() == 1);
}

#[cfg(unix)]
#[test]
fn tethers_own_files_are_never_reached_through_a_link() {
    let top = tempfile::tempdir().expect("tempdir");
    let data = top.path().join("data");
    let outside = top.path().join("elsewhere");
    fs::create_dir(&data).expect("mkdir");
    fs::create_dir(&outside).expect("mkdir");
    let store = Store::new(&data);
    let path = store.path(DataFile::Followups);
    fs::write(&path, format!("{REC}\n")).expect("write");
    let rewrite = || {
        store.rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
    };
    // `.tether` itself a link: refused before anything is written.
    std::os::unix::fs::symlink(&outside, data.join(STATE_DIR)).expect("symlink");
    let err = rewrite().expect_err(".tether is a link");
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
    assert_eq!(read(&path), format!("{REC}\n"));
    assert_eq!(fs::read_dir(&outside).expect("list").count(), 0);
    // `.tether/undo.jsonl` a link: refused before the data file is written.
    fs::remove_file(data.join(STATE_DIR)).expect("rm link");
    fs::create_dir(data.join(STATE_DIR)).expect("mkdir");
    let journal = outside.join("journal");
    fs::write(&journal, "").expect("write");
    std::os::unix::fs::symlink(&journal, data.join(STATE_DIR).join(JOURNAL_FILE)).expect("symlink");
    let err = rewrite().expect_err("the journal is a link");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(read(&path), format!("{REC}\n"));
    assert_eq!(read(&journal), "");
    // The lock file a link: the same.
    fs::remove_file(data.join(STATE_DIR).join(JOURNAL_FILE)).expect("rm");
    let _ = fs::remove_file(data.join(STATE_DIR).join("lock"));
    let lock_target = outside.join("lock");
    std::os::unix::fs::symlink(&lock_target, data.join(STATE_DIR).join("lock")).expect("symlink");
    assert!(rewrite().is_err());
    assert!(!lock_target.exists());
    // Put right, it works.
    fs::remove_file(data.join(STATE_DIR).join("lock")).expect("rm");
    rewrite().expect("rewrite");
}

#[cfg(unix)]
#[test]
fn a_rewrite_keeps_the_files_owner_and_group() {
    use std::os::unix::fs::MetadataExt;
    if !rustix::process::geteuid().is_root() {
        println!("SKIPPED (not running as root: only root can give a file to another user)");
        return;
    }
    let (_dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
    let path = store.path(DataFile::Followups);
    std::os::unix::fs::chown(&path, Some(4242), Some(4343)).expect("chown");
    fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o640)).expect("chmod");
    store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            REC,
            &done(),
            "done",
            now(),
        )
        .expect("rewrite");
    let meta = fs::metadata(&path).expect("meta");
    assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
    assert_eq!(meta.mode() & 0o7777, 0o640);
    assert_eq!(read(&path), format!("{REC_DONE}\n"));
    store.undo_last(now()).expect("undo").expect("undone");
    let meta = fs::metadata(&path).expect("meta");
    assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
    // tether's other atomic writes too (an export over the user's file).
    let export = store.dir().join("out.ics");
    fs::write(&export, "old").expect("write");
    std::os::unix::fs::chown(&export, Some(4242), Some(4343)).expect("chown");
    atomic_write(&export, b"new").expect("write");
    let meta = fs::metadata(&export).expect("meta");
    assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_among_tethers_own_files_is_refused_without_blocking() {
    let (dir, store) = store_with(DataFile::Followups, &format!("{REC}\n"));
    let state = dir.path().join(STATE_DIR);
    fs::create_dir_all(&state).expect("mkdir");
    let fifo = |name: &str| {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            state.join(name),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .expect("mkfifo");
    };
    fifo(JOURNAL_FILE);
    let err = store.history(5).expect_err("a pipe");
    assert!(err.to_string().contains("named pipe"), "{err}");
    let err = append_line_unlocked(&state.join(JOURNAL_FILE), "{}").expect_err("a pipe");
    assert!(
        err.to_string().contains("not a regular file") || err.to_string().contains("named pipe"),
        "{err}"
    );
    fs::remove_file(state.join(JOURNAL_FILE)).expect("rm");
    fifo("lock");
    assert!(store.history(5).is_ok());
    assert!(
        store
            .rewrite(
                DataFile::Followups,
                Some("f-1"),
                REC,
                &done(),
                "done",
                now()
            )
            .is_err()
    );
    assert_eq!(read(&store.path(DataFile::Followups)), format!("{REC}\n"));
}

#[test]
fn a_damaged_journal_is_named_with_its_lines_and_said_safe_to_delete() {
    let (dir, store) = store_with(DataFile::Interactions, "");
    store
        .append(DataFile::Interactions, "{}", "first", now())
        .expect("append");
    let journal = dir.path().join(STATE_DIR).join(JOURNAL_FILE);
    let mut text = read(&journal);
    text.push_str("garbage\n\n{\"seq\":\n");
    fs::write(&journal, text).expect("write");
    store
        .append(DataFile::Interactions, "{\"a\":1}", "second", now())
        .expect("append");
    // Undo still works over the readable lines, and says what is wrong and what to do.
    let undone = store.undo_last(now()).expect("undo").expect("undone");
    assert_eq!(undone.change.label, "second");
    let notice = undone.damaged.expect("a notice");
    assert!(notice.contains(&journal.display().to_string()), "{notice}");
    assert!(notice.contains("lines 2, 4 could not be read"), "{notice}");
    assert!(notice.contains("safe to delete"), "{notice}");
    assert!(notice.contains("data files are not touched"), "{notice}");
    assert_eq!(
        store.journal_damage().expect("read").as_deref(),
        Some(notice.as_str())
    );
    // A sound journal gives no notice.
    fs::remove_file(&journal).expect("delete");
    assert_eq!(store.journal_damage().expect("read"), None);
}
