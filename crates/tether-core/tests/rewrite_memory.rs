//! Issue 13, "bounded cost on any input": marking done a record whose line is 100 MB costs a
//! small multiple of the file's size, and so does undoing it (the audit measured 2 GB, 20×).
//!
//! Peak memory is a process's own (`VmHWM`), so the test runs its binary again as a child that
//! does only the store's work: the rewrite (holding the record's line as the dashboard holds
//! it), then, in a second child, the undo; then a rewrite of the record edited on disk since it
//! was read (its line then read beside the one held).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use chrono::{DateTime, Utc};
use std::io::Read;
use std::path::Path;
use std::process::Command;
use tether_core::store::lines::FieldChange;
use tether_core::store::write::{DataFile, STATE_DIR, Store};

const CHILD_ENV: &str = "TETHER_REWRITE_MEMORY_CHILD";
const DIR_ENV: &str = "TETHER_REWRITE_MEMORY_DIR";
/// A file holding the record's line as the dashboard read it.
const ORIGIN_ENV: &str = "TETHER_REWRITE_MEMORY_ORIGIN";

/// The big record's `what`, as written in the file: escapes, quotes, non-ASCII, ~100 MB.
fn big_what() -> String {
    let piece = r#"Call Sato about the \"v2\" quote \u00e9t\u00e9 日本 🎉\n then wait; "#;
    piece.repeat(100 * 1024 * 1024 / piece.len())
}

const DONE_AT: &str = "2026-11-25T09:30:00+10:00";

/// A BOM, CRLF endings, a comment, small records around the big one, no final newline.
fn original() -> (Vec<u8>, std::ops::Range<usize>) {
    let head = "\u{feff}# follow-ups\r\n\
        {\"id\":\"f-1\",\"who\":\"Sato\",\"what\":\"Send quote\",\"due\":\"2026-11-20\",\"status\":\"open\"}\r\n";
    let big = format!(
        "{{\"id\": \"f-big\", \"what\": \"{}\", \"status\": \"open\", \"due\": \"2026-11-21\"}}",
        big_what()
    );
    let tail = "\r\n\r\n{\"id\":\"f-2\",\"what\":\"Chase invoice\",\"status\":\"open\"}";
    let start = head.len();
    let bytes = [head, big.as_str(), tail].concat().into_bytes();
    (bytes, start..start + big.len())
}

/// The file with the big record's line (at `span`) changed by `edit`.
fn with_line(file: &[u8], span: &std::ops::Range<usize>, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let line = std::str::from_utf8(&file[span.clone()]).expect("utf8");
    [
        &file[..span.start],
        edit(line).as_bytes(),
        &file[span.end..],
    ]
    .concat()
}

/// The line marked done: the status changed and `done_at` added in the line's own style.
fn marked_done(line: &str) -> String {
    line.replacen("\"status\": \"open\"", "\"status\": \"done\"", 1)
        .strip_suffix('}')
        .map(|l| format!("{l}, \"done_at\": \"{DONE_AT}\"}}"))
        .expect("ends with }")
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T23:30:00Z")
        .expect("time")
        .with_timezone(&Utc)
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("status")
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// The child: one store call, then its peak memory on stdout.
#[test]
fn rewrite_memory_child() {
    let Ok(what) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = std::env::var(DIR_ENV).expect("dir");
    let store = Store::new(&dir);
    match what.as_str() {
        "rewrite" => {
            // The record's line as the dashboard holds it (read exactly, one copy).
            let mut f =
                std::fs::File::open(std::env::var(ORIGIN_ENV).expect("origin")).expect("open");
            let mut bytes = vec![0; f.metadata().expect("stat").len() as usize];
            f.read_exact(&mut bytes).expect("read");
            let text = String::from_utf8(bytes).expect("utf8");
            let changes = [
                FieldChange::set("status", "done"),
                FieldChange::set("done_at", DONE_AT),
            ];
            let change = store
                .rewrite(
                    DataFile::Followups,
                    Some("f-big"),
                    &text,
                    &changes,
                    "done: Call Sato",
                    now(),
                )
                .expect("rewrite");
            assert!(change.seq.is_some());
        }
        "undo" => {
            store.undo_last(now()).expect("undo").expect("undone");
        }
        other => panic!("unknown child {other}"),
    }
    println!("VMHWM_KB={}", peak_kb());
}

/// Run the child doing `what` (a rewrite holds the line in `origin`); its peak memory in bytes.
fn child_peak(what: &str, dir: &Path, origin: &Path) -> u64 {
    let started = std::time::Instant::now();
    let out = Command::new(std::env::current_exe().expect("exe"))
        .args(["--exact", "rewrite_memory_child", "--nocapture", "--quiet"])
        .args(["--test-threads", "1"])
        .env(CHILD_ENV, what)
        .env(DIR_ENV, dir)
        .env(ORIGIN_ENV, origin)
        .output()
        .expect("run child");
    eprintln!("{what} child: {:?}", started.elapsed());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{what} child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("VMHWM_KB="))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no peak from the {what} child:\n{stdout}"))
        * 1024
}

#[test]
fn marking_a_100_mb_record_done_and_undoing_it_cost_a_small_multiple_of_the_file() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    let dir = dir.as_path();
    std::fs::create_dir(dir).expect("mkdir");
    let path = dir.join(DataFile::Followups.file_name());
    let origin = tmp.path().join("origin");
    let (before, span) = original();
    std::fs::write(&path, &before).expect("write");
    std::fs::write(&origin, &before[span.clone()]).expect("write");
    let size = before.len() as u64;
    // A small multiple of the file (the goal: at most 3×), plus the process's own base.
    let limit = 3 * size + 30 * 1024 * 1024;
    let mb = |b: u64| b / (1024 * 1024);

    let peak = child_peak("rewrite", dir, &origin);
    eprintln!(
        "rewrite of a {} MB record: peak {} MB ({:.2}× the file)",
        mb(size),
        mb(peak),
        peak as f64 / size as f64
    );
    let after = std::fs::read(&path).expect("read back");
    assert!(
        after == with_line(&before, &span, marked_done),
        "the file must read back with only the big record's status and done_at changed"
    );
    // The undo journal holds what undo needs, not copies of the 100 MB line.
    let journal = std::fs::metadata(dir.join(STATE_DIR).join("undo.jsonl"))
        .expect("journal")
        .len();
    eprintln!("its undo journal: {journal} bytes");
    assert!(
        journal < 64 * 1024,
        "the journal line for one change of a 100 MB line is {} MB",
        mb(journal)
    );
    assert!(
        peak <= limit,
        "rewrite peak {} MB, more than 3× the {} MB file (+30 MB)",
        mb(peak),
        mb(size)
    );

    let peak = child_peak("undo", dir, &origin);
    eprintln!(
        "undo of it: peak {} MB ({:.2}× the file)",
        mb(peak),
        peak as f64 / size as f64
    );
    assert!(
        std::fs::read(&path).expect("read back") == before,
        "undo must restore the file byte for byte"
    );
    assert!(
        peak <= limit,
        "undo peak {} MB, more than 3× the {} MB file (+30 MB)",
        mb(peak),
        mb(size)
    );

    // Another field of the record edited on disk since it was read: the line on disk is read
    // (beside the one held), the hand edit kept.
    let edited = |l: &str| l.replacen("\"due\": \"2026-11-21\"", "\"due\": \"2026-11-28\"", 1);
    let hand = with_line(&before, &span, edited);
    std::fs::write(&path, &hand).expect("hand edit");
    let peak = child_peak("rewrite", dir, &origin);
    eprintln!(
        "rewrite of it edited on disk since read: peak {} MB ({:.2}× the file)",
        mb(peak),
        peak as f64 / size as f64
    );
    let span = span.start..span.end;
    assert!(
        std::fs::read(&path).expect("read back") == with_line(&hand, &span, marked_done),
        "the hand edit must be kept and only status and done_at changed"
    );
    assert!(
        peak <= limit,
        "rewrite peak {} MB, more than 3× the {} MB file (+30 MB)",
        mb(peak),
        mb(size)
    );
}
