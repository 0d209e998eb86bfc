//! The write path's tests: rewrite, append, undo, and other programs writing at the same time.

use super::*;
use crate::store::append::append_shape;
use crate::store::files::JOURNAL_FILE;
use crate::store::fsio::atomic_write;
use crate::store::journal::{JOURNAL_KEEP, JOURNAL_MAX};
use crate::store::lines::FieldChange;
use crate::store::load::MAX_FILE_BYTES;
use crate::store::lock::lock;
use crate::store::replace::{Replace, replace_if_unchanged};
use crate::store::snapshot::read_snapshot;
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
    assert_eq!(out.before, REC);
    assert_eq!(out.after, REC_DONE);
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
    assert_eq!(out.before, edit(REC));
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

#[test]
fn a_file_replaced_after_the_read_is_not_overwritten() {
    let (dir, path) = setup(&format!("{REC}\n"));
    let snap = read_snapshot(&path).expect("read").expect("exists");
    let theirs = format!("{REC}\n{{\"what\":\"added in vim\"}}\n");
    other_program(&path, &theirs);
    let got = replace_if_unchanged(&path, &snap, b"ours\n").expect("replace");
    assert_eq!(got, Replace::Changed);
    assert_eq!(read(&path), theirs);
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn an_append_after_the_read_is_not_overwritten() {
    let (_dir, path) = setup(&format!("{REC}\n"));
    let snap = read_snapshot(&path).expect("read").expect("exists");
    let mut f = OpenOptions::new().append(true).open(&path).expect("open");
    f.write_all(b"{\"what\":\"echo >>\"}\n").expect("append");
    assert_eq!(
        replace_if_unchanged(&path, &snap, b"ours\n").expect("replace"),
        Replace::Changed
    );
    assert!(read(&path).ends_with("{\"what\":\"echo >>\"}\n"));
}

#[test]
fn a_same_size_edit_in_place_is_caught_after_the_swap() {
    // Same inode, same size, maybe the same mtime tick: only the bytes tell. The cheap check
    // passes, the swap happens, the comparison of the swapped-out file catches it, and it is
    // swapped back.
    let (dir, path) = setup("{\"a\":1}\n");
    let snap = read_snapshot(&path).expect("read").expect("exists");
    fs::write(&path, "{\"a\":2}\n").expect("in place");
    assert_eq!(
        replace_if_unchanged(&path, &snap, b"ours\n").expect("replace"),
        Replace::Changed
    );
    assert_eq!(read(&path), "{\"a\":2}\n");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn an_unchanged_file_is_replaced() {
    let (dir, path) = setup("{\"a\":1}\n");
    let snap = read_snapshot(&path).expect("read").expect("exists");
    assert_eq!(
        replace_if_unchanged(&path, &snap, b"ours\n").expect("replace"),
        Replace::Done
    );
    assert_eq!(read(&path), "ours\n");
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
