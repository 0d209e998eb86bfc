//! `tether export ics` on millions of short records (issue 13: memory within 3× of the file for
//! every command). It held every exported record, every calendar item and the whole calendar
//! text (~300 bytes of text for a 35-byte line) before writing it; now each exported record is a
//! 24-byte key, read again from its file as its item is written. The real binary, its peak
//! memory measured as tests/hostile_inputs.rs measures `agenda`; a sample of the output (its
//! first and last items) read by Python's `icalendar` (tests/ics_check.py).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report
#![cfg(target_os = "linux")]

#[path = "support/peak.rs"]
mod peak;

use peak::{Measured, measured};
use std::io::BufRead;
use std::path::{Path, PathBuf};

const TOML: &str = "[me]\nzone = \"Australia/Brisbane\"\n";
const NOW: &str = "2026-11-25T09:30:00+10:00";

fn data_dir(followups: &str, deadlines: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("tether.toml"), TOML).expect("toml");
    std::fs::write(dir.join("followups.jsonl"), followups).expect("followups");
    std::fs::write(dir.join("deadlines.jsonl"), deadlines).expect("deadlines");
    (tmp, dir)
}

fn within_bound(what: &str, size_mb: u64, c: &Measured) {
    let bound = 3 * size_mb + 40;
    eprintln!(
        "{what} ({size_mb} MB): tether export ics took {:?}, peak {} MB (bound {bound} MB)",
        c.took, c.peak_mb
    );
    assert_eq!(c.code, 0, "{}", c.err);
    assert!(
        c.peak_mb <= bound,
        "tether export ics used {} MB for {size_mb} MB of records (bound {bound} MB)",
        c.peak_mb
    );
}

/// The items of a calendar's text, as (SUMMARY, DTSTART) of each, unfolded; and its lines
/// before the first item. `lines` are its physical lines, without their CRLF.
struct Items {
    head: Vec<String>,
    items: Vec<(String, String)>,
    /// The first and last `keep` items' lines, whole.
    first: Vec<String>,
    last: std::collections::VecDeque<Vec<String>>,
    count: usize,
}

fn read_items(lines: impl Iterator<Item = String>, keep: usize) -> Items {
    let mut it = Items {
        head: Vec::new(),
        items: Vec::new(),
        first: Vec::new(),
        last: std::collections::VecDeque::new(),
        count: 0,
    };
    let (mut summary, mut start) = (String::new(), String::new());
    let mut item: Vec<String> = Vec::new();
    let mut ended = false;
    for l in lines {
        assert!(!ended, "a line after END:VCALENDAR: {l}");
        assert!(l.len() <= 75, "{l}");
        if l == "END:VCALENDAR" {
            ended = true;
            continue;
        }
        let begin = l == "BEGIN:VEVENT" || l == "BEGIN:VTODO";
        if it.count == 0 && item.is_empty() && !begin {
            it.head.push(l);
            continue;
        }
        if let Some(s) = l.strip_prefix("SUMMARY:") {
            summary = s.to_string();
        }
        if let Some(s) = l.strip_prefix("DTSTART") {
            start = s.to_string();
        }
        let end = l.starts_with("END:V");
        item.push(l);
        if end {
            it.count += 1;
            it.items
                .push((std::mem::take(&mut summary), std::mem::take(&mut start)));
            if it.count <= keep {
                it.first.extend(item.iter().cloned());
            }
            it.last.push_back(std::mem::take(&mut item));
            if it.last.len() > keep {
                it.last.pop_front();
            }
        }
    }
    assert!(ended, "no END:VCALENDAR");
    assert!(item.is_empty(), "an item not ended");
    it
}

/// A calendar of the first and last items, read by Python's `icalendar`: its item count.
fn icalendar_reads(tmp: &Path, it: &Items) -> Option<usize> {
    let mut text = String::new();
    for l in it
        .head
        .iter()
        .chain(&it.first)
        .chain(it.last.iter().flatten())
        .chain(std::iter::once(&"END:VCALENDAR".to_string()))
    {
        text.push_str(l);
        text.push_str("\r\n");
    }
    let path = tmp.join("sample.ics");
    std::fs::write(&path, text).expect("sample");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics_check.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&path)
        .output();
    let required = std::env::var("TETHER_REQUIRE_E2E").is_ok_and(|v| v == "1");
    let out = match out {
        Ok(o) if o.status.code() != Some(3) => o,
        _ => {
            assert!(
                !required,
                "TETHER_REQUIRE_E2E=1 but python3's icalendar is missing"
            );
            println!("SKIPPED: python3's icalendar is not installed");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["problems"], serde_json::json!([]), "{v}");
    Some(v["items"].as_array().expect("items").len())
}

/// 2 million one-line follow-ups, 1 in 10 dated (7 days, each day's in file order), to standard
/// output: 200,000 all-day items.
#[test]
fn millions_of_short_follow_ups_export_in_a_small_multiple_of_the_file() {
    let mut lines = String::with_capacity(40_000_000);
    for i in 0..2_000_000u32 {
        match i % 10 {
            0 => lines.push_str(&format!(
                "{{\"what\":\"d{i}\",\"due\":\"2026-11-{}\"}}\n",
                20 + (i / 10) % 7
            )),
            1 => lines.push_str(&format!("{{\"what\":\"w{i}\",\"waiting\":true}}\n")),
            _ => lines.push_str(&format!("{{\"what\":\"x{}\"}}\n", i % 1000)),
        }
    }
    let size_mb = lines.len() as u64 >> 20;
    let (tmp, dir) = data_dir(&lines, "");
    drop(lines);
    let c = measured(&dir, &["--now", NOW, "export", "ics"]);
    within_bound("2M short follow-ups, 1 in 10 dated", size_mb, &c);
    let it = read_items(
        c.out
            .strip_suffix("\r\n")
            .expect("CRLF")
            .split("\r\n")
            .map(str::to_string),
        500,
    );
    assert_eq!(it.count, 200_000);
    assert_eq!(it.head[0], "BEGIN:VCALENDAR");
    // By day, then file order: the first of the 20th is line 1, the last of the 26th is the
    // last dated line with (i / 10) % 7 == 6.
    assert_eq!(
        it.items[0],
        ("d0".to_string(), ";VALUE=DATE:20261120".to_string())
    );
    let last = (0..2_000_000u32)
        .rev()
        .find(|i| i % 10 == 0 && (i / 10) % 7 == 6)
        .unwrap();
    assert_eq!(
        it.items[199_999],
        (format!("d{last}"), ";VALUE=DATE:20261126".to_string())
    );
    assert!(
        it.items
            .windows(2)
            .all(|w| w[0].1 <= w[1].1 && (w[0].1 != w[1].1 || num(&w[0].0) < num(&w[1].0)))
    );
    if let Some(n) = icalendar_reads(tmp.path(), &it) {
        assert_eq!(n, 1000);
    }
}

fn num(s: &str) -> u32 {
    s[1..].parse().expect("a number")
}

/// 1.5 million dated one-line follow-ups and 300,000 one-line deadlines, to a file (`--out`,
/// the store's atomic write): every one an item, by due, then line, a deadline before a
/// follow-up on the same line.
#[test]
fn millions_of_dated_follow_ups_and_deadlines_export_in_a_small_multiple_of_the_files() {
    let mut followups = String::with_capacity(60_000_000);
    for i in 0..1_500_000u32 {
        followups.push_str(&format!(
            "{{\"what\":\"f{i}\",\"due\":\"2026-12-{:02}\"}}\n",
            1 + i % 28
        ));
    }
    let mut deadlines = String::with_capacity(15_000_000);
    for i in 0..300_000u32 {
        deadlines.push_str(&format!(
            "{{\"title\":\"d{i}\",\"due\":\"2026-12-{:02}T09:00\"}}\n",
            1 + i % 28
        ));
    }
    let size_mb = (followups.len() + deadlines.len()) as u64 >> 20;
    let (tmp, dir) = data_dir(&followups, &deadlines);
    drop((followups, deadlines));
    let path = tmp.path().join("out.ics");
    let c = measured(
        &dir,
        &[
            "--now",
            NOW,
            "export",
            "ics",
            "--out",
            path.to_str().expect("utf-8"),
        ],
    );
    within_bound("1.5M dated follow-ups + 300k deadlines", size_mb, &c);
    assert!(c.out.is_empty());
    assert!(c.err.contains("wrote 1800000 item(s)"), "{}", c.err);
    let file = std::io::BufReader::new(std::fs::File::open(&path).expect("the calendar"));
    let lines = file.split(b'\n').map(|l| {
        let l = l.expect("read");
        let l = l.strip_suffix(b"\r").expect("CRLF");
        String::from_utf8(l.to_vec()).expect("utf-8")
    });
    let it = read_items(lines, 500);
    assert_eq!(it.count, 1_800_000);
    // 1 December: the follow-ups (all day, from midnight in Brisbane) in file order, then the
    // deadlines due at 09:00.
    assert_eq!(
        it.items[0],
        ("f0".to_string(), ";VALUE=DATE:20261201".to_string())
    );
    let per_day = |n: u32, day: u32| (0..n).filter(|i| 1 + i % 28 == day).count();
    let first_deadline = per_day(1_500_000, 1);
    let last_of_day = (0..1_500_000u32).rev().find(|i| i % 28 == 0).unwrap();
    assert_eq!(it.items[first_deadline - 1].0, format!("f{last_of_day}"));
    assert_eq!(
        it.items[first_deadline],
        ("Due: d0".to_string(), ":20261130T230000Z".to_string())
    );
    let last = (0..300_000u32).rev().find(|i| i % 28 == 27).unwrap();
    assert_eq!(
        it.items[1_799_999],
        (format!("Due: d{last}"), ":20261227T230000Z".to_string())
    );
    if let Some(n) = icalendar_reads(tmp.path(), &it) {
        assert_eq!(n, 1000);
    }
}
