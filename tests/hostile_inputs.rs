//! Hostile input: every case of docs/reliability.md, through `load_dir` (what the dashboard
//! shows), `tether check` (the real binary, with its time and peak memory measured) and the
//! store's writes. Each must give a clear diagnostic in bounded time and memory, never panic,
//! and never lose a byte of the user's file.
//!
//! Also the real dashboard (tmux) on absurd data: every pane draws, nothing panics.
//!
//! Tests run as root here, where permission bits do not stop reads or writes: the parts that
//! need an ordinary user say SKIPPED and why.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report
#![cfg(unix)]

#[path = "support/peak.rs"]
mod peak;
#[path = "support/tmux.rs"]
mod tmux;

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tether::store::lines::FieldChange;
use tether::store::load::{Loaded, MAX_FILE_BYTES, load_dir};
use tether::store::write::{DataFile, Store, StoreError};

const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\nhours = \"09:00-18:00\"\n";
const GOOD: &str = r#"{"id":"f-1","client":"kanda","what":"Send revised quote","due":"2026-11-25","status":"open"}"#;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .expect("now")
        .with_timezone(&Utc)
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// A data directory with tether.toml and the given follow-ups.
fn data_dir(followups: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("tether.toml"), TOML).expect("toml");
    std::fs::write(dir.join("followups.jsonl"), followups).expect("followups");
    (tmp, dir)
}

fn messages(l: &Loaded) -> Vec<String> {
    l.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// `load_dir`, timed: never more than `secs` (debug build, a shared 2-core machine).
fn load_within(dir: &Path, secs: u64) -> Loaded {
    let t = Instant::now();
    let l = load_dir(dir);
    assert!(
        t.elapsed() < Duration::from_secs(secs),
        "load_dir took {:?}",
        t.elapsed()
    );
    l
}

/// What `tether check` did: exit code, output, time, and peak memory in MB.
struct Check {
    code: i32,
    out: String,
    took: Duration,
    peak_mb: u64,
}

fn tether_check(dir: &Path) -> Check {
    tether_cmd(dir, &["check"])
}

/// A tether command on `dir`, measured like [`tether_check`] (`support/peak.rs`), its
/// standard output and error together.
fn tether_cmd(dir: &Path, args: &[&str]) -> Check {
    let m = peak::measured(dir, args);
    Check {
        code: m.code,
        out: m.out + &m.err,
        took: m.took,
        peak_mb: m.peak_mb,
    }
}

/// The store's writes to followups.jsonl: a rewrite and an append.
fn try_writes(dir: &Path) -> (Result<(), StoreError>, Result<(), StoreError>) {
    let store = Store::new(dir);
    let rewrite = store
        .rewrite(
            DataFile::Followups,
            Some("f-1"),
            GOOD,
            &[FieldChange::set("status", "done")],
            "done",
            now(),
        )
        .map(|_| ());
    let append = store
        .append(DataFile::Followups, r#"{"what":"new"}"#, "add", now())
        .map(|_| ());
    (rewrite, append)
}

#[test]
fn empty_files() {
    let (_t, dir) = data_dir("");
    for f in ["deadlines.jsonl", "interactions.jsonl"] {
        std::fs::write(dir.join(f), "").expect("write");
    }
    let l = load_within(&dir, 5);
    assert!(l.diagnostics.is_empty(), "{:?}", messages(&l));
    std::fs::write(dir.join("tether.toml"), "").expect("write");
    let l = load_within(&dir, 5);
    // An empty tether.toml is not an error of syntax; whatever it says, it names the file.
    for m in messages(&l) {
        assert!(m.starts_with("tether.toml"), "{m}");
    }
    let c = tether_check(&dir);
    assert!(c.code == 0 || c.code == 1, "{}", c.out);
    // Appending to an empty file works and writes just the line.
    std::fs::write(dir.join("tether.toml"), TOML).expect("write");
    let store = Store::new(&dir);
    store
        .append(DataFile::Followups, GOOD, "add", now())
        .expect("append");
    assert_eq!(
        std::fs::read_to_string(dir.join("followups.jsonl")).expect("read"),
        format!("{GOOD}\n")
    );
}

#[test]
fn invalid_utf8_lines_are_reported_and_the_rest_loads_but_writes_are_refused() {
    let content = [
        GOOD.as_bytes(),
        b"\n{\"what\":\"caf\xe9 latin-1\"}\n",
        b"{\"what\":\"still fine\"}\r\n",
        b"\xff\xfe\xfd\n",
    ]
    .concat();
    let (_t, dir) = data_dir(&content);
    let l = load_within(&dir, 5);
    let m = messages(&l);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].starts_with("followups.jsonl:2: error: not valid UTF-8"),
        "{m:?}"
    );
    assert!(
        m[1].starts_with("followups.jsonl:4: error: not valid UTF-8"),
        "{m:?}"
    );
    assert_eq!(l.model.followups.len(), 2, "the valid lines load");
    let c = tether_check(&dir);
    assert_eq!(c.code, 1);
    assert!(
        c.out.contains("followups.jsonl:2: error: not valid UTF-8"),
        "{}",
        c.out
    );
    let (rewrite, append) = try_writes(&dir);
    for r in [rewrite, append] {
        let e = r.expect_err("writes to a file that is not UTF-8 are refused");
        assert!(matches!(e, StoreError::NotUtf8 { line: 2, .. }), "{e}");
        assert!(e.to_string().contains("save it as UTF-8"), "{e}");
    }
    assert_eq!(
        std::fs::read(dir.join("followups.jsonl")).expect("read"),
        content
    );
}

#[test]
fn a_utf16_file_is_one_clear_error() {
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(GOOD.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let (_t, dir) = data_dir(&utf16);
    let l = load_within(&dir, 5);
    assert_eq!(messages(&l).len(), 1, "{:?}", messages(&l));
    assert!(messages(&l)[0].contains("UTF-16"), "{:?}", messages(&l));
}

#[test]
fn nul_bytes() {
    let (_t, dir) = data_dir(format!("{GOOD}\n{{\"what\":\"a\0b\"}}\n\0\0\0\0\n"));
    let l = load_within(&dir, 5);
    let m = messages(&l);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m.iter().all(|m| m.contains("NUL bytes")), "{m:?}");
    assert_eq!(l.model.followups.len(), 1);
    // A rewrite of the good record keeps the NUL lines byte for byte.
    let (rewrite, _) = try_writes(&dir);
    rewrite.expect("rewrite");
    let after = std::fs::read_to_string(dir.join("followups.jsonl")).expect("read");
    assert!(after.ends_with("\n{\"what\":\"a\0b\"}\n\0\0\0\0\n{\"what\":\"new\"}\n"));
}

#[test]
fn a_50_mb_single_line() {
    let big = "x".repeat(50 * 1024 * 1024);
    let garbage = "y".repeat(10 * 1024 * 1024);
    // A valid record with a 50 MB title, and a 10 MB line of garbage (512 MB is the file limit).
    let (_t, dir) = data_dir(format!("{GOOD}\n{{\"what\":\"{big}\"}}\n{garbage}\n"));
    let l = load_within(&dir, 30);
    assert_eq!(l.model.followups.len(), 2);
    let m = messages(&l);
    assert_eq!(m.len(), 1, "{}", m.iter().map(|m| m.len()).sum::<usize>());
    assert!(
        m[0].starts_with("followups.jsonl:3:1: error: not valid JSON"),
        "{}",
        &m[0][..200.min(m[0].len())]
    );
    assert!(m[0].len() < 1000, "the message quotes the line at length");
    drop(l);
    let c = tether_check(&dir);
    assert_eq!(c.code, 1);
    assert!(c.out.len() < 10_000, "check printed {} bytes", c.out.len());
    eprintln!(
        "50 MB line: tether check took {:?}, peak {} MB",
        c.took, c.peak_mb
    );
    assert!(c.peak_mb < 1024, "tether check used {} MB", c.peak_mb);
    // Writing to the file still works and keeps the big lines.
    let (rewrite, append) = try_writes(&dir);
    rewrite.expect("rewrite");
    append.expect("append");
    let after = std::fs::read_to_string(dir.join("followups.jsonl")).expect("read");
    assert!(after.contains(&format!("\"{big}\"}}\n{garbage}\n")));
}

#[test]
fn a_1_gb_file_is_refused_at_once() {
    let (_t, dir) = data_dir("");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("followups.jsonl"))
        .expect("open");
    f.set_len(1 << 30).expect("sparse 1 GB");
    let l = load_within(&dir, 2);
    let m = messages(&l);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("is 1024 MB, more than tether reads (512 MB)"),
        "{m:?}"
    );
    let c = tether_check(&dir);
    assert_eq!(c.code, 1);
    assert!(c.took < Duration::from_secs(5), "{:?}", c.took);
    assert!(c.peak_mb < 256, "tether check used {} MB", c.peak_mb);
    let (rewrite, append) = try_writes(&dir);
    for r in [rewrite, append] {
        let e = r.expect_err("refused");
        assert!(matches!(e, StoreError::TooBig { mb: 1024, .. }), "{e}");
    }
    assert_eq!(
        std::fs::metadata(dir.join("followups.jsonl"))
            .expect("meta")
            .len(),
        1 << 30
    );
    // Just over the limit is refused too; at the limit it would load.
    f.set_len(MAX_FILE_BYTES + 1).expect("set_len");
    assert_eq!(messages(&load_within(&dir, 2)).len(), 1);
}

#[test]
fn deeply_nested_json_and_toml() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_obj = format!(
        "{{\"what\":{}1{}}}",
        "{\"a\":".repeat(5000),
        "}".repeat(5000)
    );
    let (_t, dir) = data_dir(format!("{GOOD}\n{deep}\n{deep_obj}\n"));
    let l = load_within(&dir, 5);
    let m = messages(&l);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m.iter().all(|m| m.contains("recursion limit exceeded")),
        "{m:?}"
    );
    assert_eq!(l.model.followups.len(), 1);
    std::fs::write(
        dir.join("tether.toml"),
        format!("{TOML}x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .expect("toml");
    let l = load_within(&dir, 10);
    assert!(
        messages(&l).iter().any(|m| m.starts_with("tether.toml:")),
        "{:?}",
        messages(&l)
    );
    let c = tether_check(&dir);
    assert_eq!(c.code, 1, "{}", c.out);
}

#[test]
fn bom_and_crlf_load_and_survive_a_rewrite() {
    let content = format!("\u{feff}# mine\r\n{GOOD}\r\n{{\"what\":\"b\"}}\r\n");
    let (_t, dir) = data_dir(&content);
    std::fs::write(
        dir.join("tether.toml"),
        format!("\u{feff}{}", TOML.replace('\n', "\r\n")),
    )
    .expect("toml");
    let l = load_within(&dir, 5);
    assert!(l.diagnostics.is_empty(), "{:?}", messages(&l));
    assert_eq!(l.model.followups.len(), 2);
    let (rewrite, append) = try_writes(&dir);
    rewrite.expect("rewrite");
    append.expect("append");
    assert_eq!(
        std::fs::read_to_string(dir.join("followups.jsonl")).expect("read"),
        content.replace("\"open\"", "\"done\"") + "{\"what\":\"new\"}\r\n"
    );
}

#[test]
fn unknown_zones_even_thousands_or_huge() {
    let mut c = format!("{GOOD}\n");
    c.push_str(r#"{"what":"a","zone":"Asia/Tokio"}"#);
    c.push('\n');
    c.push_str(&format!(
        "{{\"what\":\"b\",\"zone\":\"{}\"}}\n",
        "Z".repeat(5_000_000)
    ));
    for i in 0..20_000 {
        c.push_str(&format!(
            "{{\"what\":\"c\",\"zone\":\"Nowhere/Place{i}\"}}\n"
        ));
    }
    let (_t, dir) = data_dir(&c);
    let l = load_within(&dir, 20);
    let m = messages(&l);
    assert!(m[0].contains("did you mean \"Asia/Tokyo\""), "{}", m[0]);
    assert!(
        m[1].contains("not a time zone name (too long)"),
        "{}",
        &m[1][..200]
    );
    assert!(m[1].len() < 1000);
    // Capped: 200 listed, then one line counting the rest.
    assert_eq!(m.len(), 201);
    assert!(m[200].contains("19802 more problems"), "{}", m[200]);
    let c = tether_check(&dir);
    assert_eq!(c.code, 1);
    eprintln!(
        "20k bad zones: tether check took {:?}, peak {} MB",
        c.took, c.peak_mb
    );
    assert!(c.took < Duration::from_secs(20), "{:?}", c.took);
}

#[test]
fn a_file_full_of_garbage_makes_a_bounded_report() {
    let garbage = "not json at all\n".repeat(1_000_000);
    let (_t, dir) = data_dir(format!("{GOOD}\n{garbage}"));
    let l = load_within(&dir, 30);
    assert_eq!(l.model.followups.len(), 1);
    let m = messages(&l);
    assert_eq!(m.len(), 201);
    assert_eq!(
        m[200],
        "followups.jsonl: error: 999800 more problems in this file (not listed); fix the ones above first"
    );
    let c = tether_check(&dir);
    assert_eq!(c.code, 1);
    eprintln!(
        "1M bad lines: tether check took {:?}, peak {} MB",
        c.took, c.peak_mb
    );
    assert!(c.peak_mb < 512, "tether check used {} MB", c.peak_mb);
}

/// The audit's 5 million short lines (65 MB) cost `tether check` 1.2 GB and `status` 1.4 GB
/// (and `add`, reading every record to check its new id, as much):
/// every record was kept though neither shows them. Memory must stay within a small multiple of the file (3×, plus the
/// program's own few MB).
#[test]
fn millions_of_short_lines_cost_a_small_multiple_of_the_file() {
    let mut lines = String::with_capacity(30_000_000);
    for i in 0..2_000_000u32 {
        if i % 10 == 0 {
            lines.push_str("{\"what\":\"x\",\"due\":\"2026-11-20\"}\n");
        } else {
            lines.push_str(&format!("{{\"what\":\"x{}\"}}\n", i % 1000));
        }
    }
    let size_mb = lines.len() as u64 >> 20;
    let (_t, dir) = data_dir(&lines);
    drop(lines);
    let bound = 3 * size_mb + 40;
    let ics = dir.join("kanda.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:review@kanda\r\nDTSTAMP:20261120T000000Z\r\nDTSTART;TZID=Asia/Tokyo:20261203T100000\r\nSUMMARY:Review call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .expect("ics");
    let ics = ics.to_str().expect("a path");
    // `add`, `log` and `slots` read tether.toml alone (add held every record to check a new id:
    // 531 MB here); `review` keeps the week's deadlines and the bills (546 MB here before).
    for args in [
        &["check"][..],
        &["status"],
        &["add", "followup", "Call back"],
        &["log", "kanda", "call"],
        &["slots", "kanda"],
        &["review"],
        &["track", "add", "30m", "kanda"],
        &["import", "ics", ics, "--client", "kanda"],
    ] {
        let c = tether_cmd(&dir, args);
        assert_eq!(c.code, 0, "{}", c.out);
        eprintln!(
            "2M short lines ({size_mb} MB): tether {args:?} took {:?}, peak {} MB",
            c.took, c.peak_mb
        );
        assert!(
            c.peak_mb <= bound,
            "tether {args:?} used {} MB for a {size_mb} MB file (bound {bound} MB)",
            c.peak_mb
        );
    }
    // What status says is what the records say: one in ten is overdue.
    let out = tether_cmd(
        &dir,
        &[
            "--now",
            "2026-11-25T09:30:00+10:00",
            "status",
            "--format",
            "{due}",
        ],
    );
    assert_eq!(out.out.trim(), "200000");
}

/// The same 2 million short follow-ups for `tether agenda`, which prints every open one: it
/// held each as a typed record (~250 bytes for a 14-byte line), 2.9 GB for the audit's 5 million.
/// Now each is kept as 16 bytes and read again from the file as it is printed.
#[test]
fn millions_of_short_follow_ups_cost_agenda_a_small_multiple_of_the_file() {
    let mut lines = String::with_capacity(30_000_000);
    for i in 0..2_000_000u32 {
        match i % 10 {
            0 => lines.push_str("{\"what\":\"x\",\"due\":\"2026-11-20\"}\n"),
            1 => lines.push_str(&format!("{{\"what\":\"w{i}\",\"waiting\":true}}\n")),
            _ => lines.push_str(&format!("{{\"what\":\"x{}\"}}\n", i % 1000)),
        }
    }
    let size_mb = lines.len() as u64 >> 20;
    let (_t, dir) = data_dir(&lines);
    drop(lines);
    let bound = 3 * size_mb + 40;
    let c = tether_cmd(&dir, &["--now", "2026-11-25T09:30:00+10:00", "agenda"]);
    assert_eq!(c.code, 0, "{}", &c.out[..c.out.len().min(2000)]);
    eprintln!(
        "2M short lines ({size_mb} MB): tether agenda took {:?}, peak {} MB",
        c.took, c.peak_mb
    );
    assert!(
        c.peak_mb <= bound,
        "tether agenda used {} MB for a {size_mb} MB file (bound {bound} MB)",
        c.peak_mb
    );
    // Every open follow-up is printed, in the board's order: the overdue first, then the
    // undated, then those waiting on them.
    let rows: Vec<&str> = c.out.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(rows.len(), 2_000_000);
    assert!(rows[..200_000].iter().all(|r| r.starts_with("  - x — due")));
    assert_eq!(rows[200_000], "  - x2");
    assert_eq!(rows[1_799_999], "  - x999");
    assert_eq!(rows[1_800_000], "  - w1");
    assert_eq!(rows[1_999_999], "  - w1999991");
    for section in ["Overdue:", "Undated:", "Waiting on them:"] {
        assert_eq!(
            c.out.lines().filter(|l| *l == section).count(),
            1,
            "{section}"
        );
    }
}

/// A million short deadlines for `tether agenda`: each was held as a typed record and its
/// row (~550 bytes for a 34-byte line; 5.4 GB for 5 million). Now 24 bytes each, read again as
/// printed, in the board's order (by due, then title).
#[test]
fn millions_of_short_deadlines_cost_agenda_a_small_multiple_of_the_file() {
    let (_t, dir) = data_dir("");
    let mut lines = String::with_capacity(40_000_000);
    for i in 0..1_000_000u32 {
        lines.push_str(&format!(
            "{{\"title\":\"x{}\",\"due\":\"2026-12-{:02}\"}}\n",
            i % 1000,
            28 - i % 20
        ));
    }
    let size_mb = lines.len() as u64 >> 20;
    std::fs::write(dir.join("deadlines.jsonl"), &lines).unwrap();
    drop(lines);
    let bound = 3 * size_mb + 40;
    let c = tether_cmd(&dir, &["--now", "2026-11-25T09:30:00+10:00", "agenda"]);
    assert_eq!(c.code, 0, "{}", &c.out[..c.out.len().min(2000)]);
    eprintln!(
        "1M short deadlines ({size_mb} MB): tether agenda took {:?}, peak {} MB",
        c.took, c.peak_mb
    );
    assert!(
        c.peak_mb <= bound,
        "tether agenda used {} MB for a {size_mb} MB file (bound {bound} MB)",
        c.peak_mb
    );
    let titles: Vec<&str> = c
        .out
        .lines()
        .filter(|l| l.contains(" x"))
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    assert_eq!(titles.len(), 1_000_000);
    // Due 9 December first (i % 20 == 19: titles x19, x39, …), by title: x119 before x19.
    assert_eq!(&titles[..3], ["x119", "x119", "x119"]);
    assert_eq!(titles[999_999], "x980");
}

/// An append read the whole file it appends to and split it into lines, to learn the line
/// ending and the new line's number: `tether log` on a contact log of a million lines held it
/// ~3×. Now the file is read a block at a time; the line still goes on in the file's style.
#[test]
fn an_append_to_a_big_file_holds_a_block_not_the_file() {
    let (_t, dir) = data_dir(GOOD);
    let mut log = String::with_capacity(70_000_000);
    for i in 0..1_000_000u32 {
        log.push_str(&format!(
            "{{\"at\":\"2026-11-{:02}T10:00+09:00\",\"client\":\"kanda\",\"kind\":\"call\"}}\r\n",
            1 + i % 20
        ));
    }
    // CRLF, and no final line ending: the append finishes the last line first.
    log.truncate(log.len() - 2);
    let size_mb = log.len() as u64 >> 20;
    std::fs::write(dir.join("interactions.jsonl"), &log).unwrap();
    drop(log);
    let c = tether_cmd(
        &dir,
        &[
            "--now",
            "2026-11-25T09:30:00+10:00",
            "log",
            "kanda",
            "email",
        ],
    );
    assert_eq!(c.code, 0, "{}", c.out);
    eprintln!(
        "a {size_mb} MB contact log: tether log took {:?}, peak {} MB",
        c.took, c.peak_mb
    );
    assert!(
        c.peak_mb <= 30,
        "tether log used {} MB to append to a {size_mb} MB file",
        c.peak_mb
    );
    let after = std::fs::read(dir.join("interactions.jsonl")).unwrap();
    let tail = String::from_utf8_lossy(&after[after.len() - 200..]).into_owned();
    assert!(tail.contains("\"kind\":\"call\"}\r\n{"), "{tail:?}");
    assert!(tail.contains("\"kind\":\"email\""), "{tail:?}");
    assert!(tail.ends_with("}\r\n"), "{tail:?}");
    assert_eq!(after.iter().filter(|&&b| b == b'\n').count(), 1_000_001);
}

/// Dates at the edges of what the parser reads: year 0, 9999, and beyond what chrono holds.
fn absurd_dates_dir() -> (tempfile::TempDir, PathBuf) {
    let mut fu = format!("{GOOD}\n");
    let mut dl = String::new();
    for (i, when) in [
        "9999-12-31T23:59",
        "9999-12-31",
        "0000-01-01",
        "0000-01-01T00:00+14:00",
        "+275760-09-13",
        "+262143-12-31T23:59",
        "-262144-01-01",
        "1969-12-31T23:59:59Z",
        "2026-02-30",
        "2026-11-25T25:00",
    ]
    .iter()
    .enumerate()
    {
        fu.push_str(&format!(
            "{{\"id\":\"f-a{i}\",\"client\":\"kanda\",\"what\":\"absurd {i}\",\"due\":\"{when}\",\"snoozed_until\":\"{when}\",\"created\":\"{when}\"}}\n"
        ));
        dl.push_str(&format!(
            "{{\"id\":\"d-a{i}\",\"client\":\"kanda\",\"title\":\"absurd {i}\",\"due\":\"{when}\",\"estimate\":\"6h\",\"done_at\":\"{when}\"}}\n"
        ));
    }
    for d in [
        "-5m",
        "99999999999999999999w",
        "100000w",
        "5m-",
        "1h-30m",
        "0m",
    ] {
        dl.push_str(&format!(
            "{{\"title\":\"duration {d}\",\"due\":\"2026-12-01\",\"estimate\":\"{d}\",\"spent\":\"{d}\"}}\n"
        ));
    }
    let (t, dir) = data_dir(fu);
    std::fs::write(dir.join("deadlines.jsonl"), dl).expect("write");
    std::fs::write(
        dir.join("interactions.jsonl"),
        "{\"at\":\"9999-12-31T23:59\",\"client\":\"kanda\",\"kind\":\"visit\"}\n{\"at\":\"0000-01-01\",\"client\":\"kanda\",\"kind\":\"call\"}\n",
    )
    .expect("write");
    (t, dir)
}

#[test]
fn absurd_dates_and_durations() {
    let (_t, dir) = absurd_dates_dir();
    let l = load_within(&dir, 5);
    let m = messages(&l);
    for bad in [
        "+275760-09-13",
        "+262143-12-31T23:59",
        "-262144-01-01",
        "2026-02-30",
        "2026-11-25T25:00",
    ] {
        assert!(
            m.iter().any(|m| m.contains(bad)),
            "{bad} not reported: {m:#?}"
        );
    }
    assert!(m.iter().any(|m| m.contains("is negative")), "{m:#?}");
    assert!(m.iter().any(|m| m.contains("too large")), "{m:#?}");
    let c = tether_check(&dir);
    assert_eq!(c.code, 1);
    // The screens that compute with the dates: bounded, no panic.
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tether"))
        .arg("--data-dir")
        .arg(&dir)
        .args(["--now", tmux::NOW, "agenda"])
        .output()
        .expect("agenda");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "tether agenda failed:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(text.contains("absurd"), "{text}");
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "agenda took {:?}",
        t.elapsed()
    );
}

#[test]
fn the_data_directory_is_a_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("data");
    std::fs::write(&file, "not a folder").expect("write");
    let l = load_within(&file, 2);
    assert_eq!(l.errors(), 1);
    assert!(
        messages(&l)[0].contains("is a file, not a directory"),
        "{:?}",
        messages(&l)
    );
    // Every command refuses it before reading (exit 2, as for any unusable data directory).
    let c = tether_check(&file);
    assert_eq!(c.code, 2, "{}", c.out);
    assert!(c.out.contains("is a file, not a directory"), "{}", c.out);
    let (rewrite, append) = try_writes(&file);
    for r in [rewrite, append] {
        let e = r.expect_err("refused");
        assert!(e.to_string().contains("cannot take tether's lock"), "{e}");
    }
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "not a folder"
    );
}

#[test]
fn a_data_file_that_is_a_folder_a_pipe_or_a_device() {
    let (_t, dir) = data_dir("");
    std::fs::remove_file(dir.join("followups.jsonl")).expect("rm");
    std::fs::create_dir(dir.join("followups.jsonl")).expect("mkdir");
    let fifo = dir.join("deadlines.jsonl");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .expect("mkfifo");
    std::os::unix::fs::symlink("/dev/zero", dir.join("interactions.jsonl")).expect("symlink");
    std::os::unix::fs::symlink("/dev/zero", dir.join("timelog.jsonl")).expect("symlink");
    // Reading a pipe or /dev/zero would hang or never end: refused at once.
    let l = load_within(&dir, 2);
    let m = messages(&l);
    assert_eq!(m.len(), 4, "{m:?}");
    assert!(
        m.iter()
            .any(|m| m.starts_with("timelog.jsonl: error:") && m.contains("not a regular file")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.starts_with("followups.jsonl: error:") && m.contains("is a directory")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.starts_with("deadlines.jsonl: error:") && m.contains("not a regular file")),
        "{m:?}"
    );
    assert!(
        m.iter().any(
            |m| m.starts_with("interactions.jsonl: error:") && m.contains("not a regular file")
        ),
        "{m:?}"
    );
    let store = Store::new(&dir);
    for f in DataFile::ALL {
        let t = Instant::now();
        let e = store.append(f, "{}", "x", now()).expect_err("refused");
        assert!(t.elapsed() < Duration::from_secs(2));
        // The link to /dev/zero leads out of the data folder: refused for that first.
        assert!(
            e.to_string().contains("not a regular file")
                || e.to_string().contains("outside the data folder"),
            "{e}"
        );
    }
}

#[test]
fn read_only_files_are_never_written() {
    use std::os::unix::fs::PermissionsExt;
    let content = format!("{GOOD}\n");
    let (_t, dir) = data_dir(&content);
    let path = dir.join("followups.jsonl");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    // It still loads.
    assert_eq!(load_within(&dir, 2).model.followups.len(), 1);
    // Even root (who could write it) is refused, with the fix in the message.
    let (rewrite, append) = try_writes(&dir);
    for r in [rewrite, append] {
        let e = r.expect_err("refused");
        assert!(matches!(e, StoreError::ReadOnly { .. }), "{e}");
        assert!(e.to_string().contains("chmod u+w"), "{e}");
        assert!(e.to_string().contains("nothing was changed"), "{e}");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("read"), content);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

#[test]
fn unreadable_files_and_read_only_folders() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        eprintln!(
            "SKIPPED (running as root, which reads and writes regardless of permission bits): \
             an unreadable file (chmod 000) and a read-only data folder; run `cargo test` as an \
             ordinary user to cover them"
        );
        return;
    }
    let content = format!("{GOOD}\n");
    let (_t, dir) = data_dir(&content);
    let path = dir.join("followups.jsonl");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let l = load_within(&dir, 2);
    let m = messages(&l);
    assert!(
        m.iter()
            .any(|m| m.starts_with("followups.jsonl: error: cannot read")
                && m.contains("ermission denied")),
        "{m:?}"
    );
    let (rewrite, append) = try_writes(&dir);
    assert!(rewrite.is_err() && append.is_err());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    // A read-only folder: loads; writes fail clearly and change nothing.
    Store::new(&dir).history(1).expect("journal");
    std::fs::create_dir_all(dir.join(".tether")).expect("mkdir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    assert_eq!(load_within(&dir, 2).model.followups.len(), 1);
    let (rewrite, _) = try_writes(&dir);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let e = rewrite.expect_err("refused");
    assert!(e.to_string().contains("nothing was changed"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), content);
}

#[test]
fn symlinked_data_files() {
    // A link within the data folder (to a file in a subfolder of it) is followed for writes too:
    // the target is rewritten, the link stays a link.
    let (_t, dir) = data_dir("");
    let sub = dir.join("archive");
    std::fs::create_dir(&sub).expect("mkdir");
    let inside = sub.join("followups.jsonl");
    std::fs::write(&inside, format!("{GOOD}\n")).expect("write");
    let link = dir.join("followups.jsonl");
    std::fs::remove_file(&link).expect("rm");
    std::os::unix::fs::symlink(&inside, &link).expect("symlink");
    let (rewrite, append) = try_writes(&dir);
    rewrite.expect("rewrite");
    append.expect("append");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    let after = std::fs::read_to_string(&inside).expect("read");
    assert!(
        after.contains("\"done\"") && after.contains("\"new\""),
        "{after}"
    );

    // A link out of the data folder (as a synced `/etc/shadow` link would be) is read, never
    // written: both writes are refused, saying what to do, and the file out there is untouched.
    let (_t, dir) = data_dir("");
    let elsewhere = dir.parent().expect("parent").join("synced");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let real = elsewhere.join("followups.jsonl");
    std::fs::write(&real, format!("{GOOD}\n")).expect("write");
    let link = dir.join("followups.jsonl");
    std::fs::remove_file(&link).expect("rm");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    assert_eq!(load_within(&dir, 2).model.followups.len(), 1);
    let (rewrite, append) = try_writes(&dir);
    for result in [rewrite, append] {
        let e = result.expect_err("a write out of the data folder");
        assert!(
            e.to_string().contains("outside the data folder")
                && e.to_string().contains("nothing was changed"),
            "{e}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&real).expect("read"),
        format!("{GOOD}\n")
    );
    // A link to a file that is gone is an error, not an empty list.
    std::fs::remove_file(&real).expect("rm");
    let m = messages(&load_within(&dir, 2));
    assert!(
        m.iter()
            .any(|m| m.contains("is a symbolic link to") && m.contains("does not exist")),
        "{m:?}"
    );
}

#[test]
fn invalid_utf8_in_tether_toml_loses_only_that_line() {
    let (_t, dir) = data_dir(format!("{GOOD}\n"));
    let toml = [
        b"[me]\nzone = \"Australia/Brisbane\"\nname = \"Ai\xffko\"\n".as_slice(),
        b"[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n",
    ]
    .concat();
    std::fs::write(dir.join("tether.toml"), toml).expect("write");
    let l = load_within(&dir, 2);
    let m = messages(&l);
    assert!(
        m.iter()
            .any(|m| m.starts_with("tether.toml:3: error: not valid UTF-8")),
        "{m:?}"
    );
    assert_eq!(l.model.config.clients.len(), 1, "{m:?}");
    assert_eq!(l.model.followups.len(), 1, "{m:?}");
}

// The terminal: SIGTERM, SIGHUP, SIGINT and a panic restore it: tests/e2e_tmux.rs. Here, hostile
// data in the real dashboard.

#[test]
fn the_dashboard_survives_absurd_data() {
    if !tmux::have_tmux() {
        return;
    }
    let (_t, dir) = absurd_dates_dir();
    let s = tmux::Session::start("absurd", &dir, &[], 160, 45);
    s.wait_text("absurd");
    for k in [
        "1", "2", "j", "j", "3", "4", "j", "G", "z", "!", "Escape", "?", "Escape",
    ] {
        s.keys(&[k]);
    }
    std::thread::sleep(Duration::from_millis(300));
    let scr = s.screen();
    assert!(!scr.contains("EXITED"), "the dashboard stopped:\n{scr}");
    assert!(!scr.contains("panicked"), "{scr}");
    s.keys(&["q"]);
    s.wait_text("EXITED 0");
}
