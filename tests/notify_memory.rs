//! `tether notify --once` on millions of short follow-ups: memory within 3× the data file
//! (+40 MB), with the alerts and the written lines of a whole load (issue 13). It held every
//! record, its board row and its worded alert: ~720 MB for a 37 MB file. Now it keeps the
//! records that can alert or that the pass's writes read (`rules::can_alert`,
//! `store::pass_writes::Reads`), dropped as they are parsed, and words only the alerts it sends
//! on their own or lists by name.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report
#![cfg(unix)]

#[path = "support/peak.rs"]
mod peak;
#[path = "support/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const NOW: &str = "2026-11-25T09:30:00+10:00";
/// The dated line, one in ten: overdue by five days at NOW, so old news (one summary).
const DATED: &str = r#"{"what":"x","due":"2026-11-20"}"#;
const OVERDUE: usize = 200_000;

/// A data directory in `root`: config/example's tether.toml and `file` of `n` lines, the
/// `i`th made by `line(i)` (each ended here). With its size in MB.
fn example_dir(
    root: &Path,
    file: &str,
    n: usize,
    line: impl Fn(usize) -> String,
) -> (PathBuf, u64) {
    let dir = root.join("data");
    std::fs::create_dir(&dir).unwrap();
    let toml = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example/tether.toml");
    std::fs::copy(toml, dir.join("tether.toml")).unwrap();
    let mut lines = String::with_capacity(40 * n);
    for i in 0..n {
        lines.push_str(&line(i));
        lines.push('\n');
    }
    std::fs::write(dir.join(file), &lines).unwrap();
    (dir, lines.len() as u64 >> 20)
}

/// A data directory: config/example's tether.toml and 2 million one-line follow-ups (one in ten
/// dated and overdue, one in ten waiting with no chase date, the rest undated). Its size in MB.
fn big_dir(root: &Path) -> (PathBuf, u64) {
    example_dir(root, "followups.jsonl", 2_000_000, |i| match i % 10 {
        0 => DATED.to_string(),
        1 => format!("{{\"what\":\"w{i}\",\"waiting\":true}}"),
        _ => format!("{{\"what\":\"x{}\"}}", i % 1000),
    })
}

/// `tether notify --once` on `dir` with no desktop (no session bus), measured.
fn notify_without_a_desktop(dir: &Path) -> peak::Measured {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tether"));
    cmd.stdin(Stdio::null())
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW, "notify", "--once"])
        .env_remove("TETHER_DIR")
        .env_remove("DISPLAY")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    peak::measured_command(cmd, None)
}

/// The lines the pass writes from config/example's tether.toml at NOW (two gift seasons, a
/// milestone), as a whole load writes them.
fn assert_written(dir: &Path, out: &str) {
    let said: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("follow-up added") || l.starts_with("deadline added"))
        .collect();
    assert_eq!(
        said,
        [
            "follow-up added: Order the oseibo (year-end gift) for Kanda Trading KK (deliver 1 Dec–20 Dec)",
            "follow-up added: Order the oseibo (year-end gift) for Sakura Research (deliver 1 Dec–20 Dec)",
            "deadline added (milestone): Failover test signed off (Nortec Logística, due 2026-12-11)",
        ],
        "{out}"
    );
    let deadlines = std::fs::read_to_string(dir.join("deadlines.jsonl")).unwrap();
    assert_eq!(deadlines.lines().count(), 1, "{deadlines}");
    assert!(
        deadlines.contains("Failover test signed off"),
        "{deadlines}"
    );
}

/// `tether notify --once` twice on `dir` against a real notification server (dunst on a
/// private bus under Xvfb), its files in `w`: both must exit 0. The peak is the higher of the
/// two runs (the pid file names the one going on); with each run's standard output.
fn notify_twice_on_a_desktop(dir: &Path, w: &Path) -> (u64, std::time::Duration, String, String) {
    let script = r#"
"$TETHER" notify --once --data-dir "$DATA" --now "$NOW" > "$W/out1" 2> "$W/err1" & echo $! > "$W/pid"; wait $!; echo $? > "$W/rc1"
"$TETHER" notify --once --data-dir "$DATA" --now "$NOW" > "$W/out2" 2> "$W/err2" & echo $! > "$W/pid"; wait $!; echo $? > "$W/rc2"
"#;
    let mut cmd = Command::new("xvfb-run");
    cmd.stdin(Stdio::null())
        .args(["-a", "dbus-run-session", "--", "sh", "-c", script])
        .env("W", w)
        .env("TETHER", env!("CARGO_BIN_EXE_tether"))
        .env("DATA", dir)
        .env("NOW", NOW)
        .env_remove("TETHER_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let r = peak::measured_command(cmd, Some(&w.join("pid")));
    let read = |name: &str| std::fs::read_to_string(w.join(name)).unwrap_or_default();
    let ctx = format!(
        "status {} {}\nrc1 {} err1 {}\nrc2 {} err2 {}",
        r.code,
        r.err,
        read("rc1"),
        read("err1"),
        read("rc2"),
        read("err2")
    );
    assert_eq!(read("rc1").trim(), "0", "{ctx}");
    assert_eq!(read("rc2").trim(), "0", "{ctx}");
    (r.peak_mb, r.took, read("out1"), read("out2"))
}

/// The one alert a run sent (its output but the lines the pass wrote): a summary of `n`
/// items, listing five and saying how many more there are.
fn the_one_summary_sent(out: &str, n: usize) -> &str {
    let sent: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with("follow-up added") && !l.starts_with("deadline added"))
        .collect();
    assert_eq!(sent.len(), 1, "{out}");
    assert!(
        sent[0].ends_with(&format!(
            " · … and {} more; open tether to see them all",
            n - 5
        )),
        "{}",
        &sent[0][sent[0].len().saturating_sub(300)..]
    );
    sent[0]
}

/// The one line alerts.jsonl holds: a summary of `n` follow-ups due naming the first thousand.
fn the_one_summary_recorded(dir: &Path, n: usize) -> serde_json::Value {
    let record = std::fs::read_to_string(dir.join(".tether/alerts.jsonl")).unwrap();
    assert_eq!(record.lines().count(), 1);
    let line: serde_json::Value = serde_json::from_str(record.trim_end()).unwrap();
    assert_eq!(line["summary"], format!("{n} follow-ups due"));
    assert_eq!(line["items"].as_array().unwrap().len(), 1000);
    line
}

#[test]
fn millions_of_short_follow_ups_cost_notify_a_small_multiple_of_the_file() {
    let root = tempfile::tempdir().unwrap();
    let (dir, size_mb) = big_dir(root.path());
    let bound = 3 * size_mb + 40;
    // No desktop: the one alert due (a summary of the 200,000 overdue) is not sent, not
    // recorded, and said on one line; exit 3.
    let r = notify_without_a_desktop(&dir);
    eprintln!(
        "2M short follow-ups ({size_mb} MB): tether notify --once took {:?}, peak {} MB",
        r.took, r.peak_mb
    );
    assert_eq!(r.code, 3, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("desktop alerts unavailable") && r.err.contains("; 1 alert not sent"),
        "{}",
        r.err
    );
    assert_written(&dir, &r.out);
    assert!(!dir.join(".tether/alerts.jsonl").exists());
    assert!(
        r.peak_mb <= bound,
        "tether notify used {} MB for a {size_mb} MB file (bound {bound} MB)",
        r.peak_mb
    );
}

/// The same directory against a real notification server (dunst on a private bus): one
/// summary for the 200,000 overdue follow-ups, recorded with every one of them (the first
/// thousand by name, the others by digest), within the
/// same bound; a second run sends nothing.
#[test]
fn the_flood_is_one_summary_recorded_whole() {
    if !tools::tools(&["dbus-run-session", "dunst", "xvfb-run", "xauth", "Xvfb"]) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let (dir, size_mb) = big_dir(root.path());
    let bound = 3 * size_mb + 40;
    let (peak_mb, _, out1, out2) = notify_twice_on_a_desktop(&dir, root.path());
    eprintln!(
        "2M short follow-ups ({size_mb} MB), recorded: tether notify --once peak {peak_mb} MB"
    );
    assert_written(&dir, &out1);
    let sent = the_one_summary_sent(&out1, OVERDUE);
    assert!(
        sent.starts_with(&format!(
            "{OVERDUE} follow-ups due — Follow-up due: x, due "
        )),
        "{sent}"
    );
    assert_eq!(out2, "");
    // Recorded: one line naming the first thousand overdue follow-ups (by their text: no ids)
    // and the others by digest (issue 13: a line of ~110 bytes an item before); these lines
    // are alike, so one item to the record, one digest.
    let line = the_one_summary_recorded(&dir, OVERDUE);
    assert_eq!(line["level"], "summary");
    let items = line["items"].as_array().unwrap();
    let key = format!("text:{DATED}");
    assert!(items.iter().all(|i| i["file"] == "followups"
        && i["key"] == key.as_str()
        && i["level"] == "followup-due"
        && i["fp"] == "due=2026-11-20 snoozed=-"));
    let digests = line["digests"].as_str().unwrap();
    assert_eq!(digests.len(), 16);
    assert!(digests.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(
        peak_mb <= bound,
        "tether notify used {peak_mb} MB for a {size_mb} MB file, recording (bound {bound} MB)"
    );
}

/// Every line a candidate: a million dated follow-ups, each overdue and each its own item (the
/// audit's flood where nothing can be left out; a million, not two, for a debug build's time).
/// A pass kept each as a typed record and its summary named each by key and fingerprint (2
/// million: 940 MB for a 64 MB file), and every later pass read that record back whole. Now
/// they are folded as they are read, the summary names the first thousand and records the
/// others by digest, and a second run, reading that record back, sends nothing; both within
/// the bound.
#[test]
fn a_million_overdue_follow_ups_all_alerting_cost_a_small_multiple_of_the_file() {
    if !tools::tools(&["dbus-run-session", "dunst", "xvfb-run", "xauth", "Xvfb"]) {
        return;
    }
    const N: usize = 1_000_000;
    let root = tempfile::tempdir().unwrap();
    let (dir, size_mb) = example_dir(root.path(), "followups.jsonl", N, |i| {
        format!("{{\"what\":\"x{i}\",\"due\":\"2026-11-20\"}}")
    });
    let bound = 3 * size_mb + 40;
    let (peak_mb, took, out1, out2) = notify_twice_on_a_desktop(&dir, root.path());
    eprintln!(
        "1M overdue follow-ups ({size_mb} MB), all alerting: two tether notify --once runs took {took:?}, peak {peak_mb} MB"
    );
    let sent = the_one_summary_sent(&out1, N);
    // The most important first: all alike but the line, so the file's first lines.
    assert!(
        sent.starts_with(&format!(
            "{N} follow-ups due — Follow-up due: x0, due Fri 20 Nov · Follow-up due: x1, due "
        )),
        "{}",
        &sent[..sent.len().min(300)]
    );
    assert_eq!(out2, "");
    let line = the_one_summary_recorded(&dir, N);
    let items = line["items"].as_array().unwrap();
    assert_eq!(items[0]["key"], r#"text:{"what":"x0","due":"2026-11-20"}"#);
    assert_eq!(line["digests"].as_str().unwrap().len(), 16 * (N - 1000));
    assert!(
        peak_mb <= bound,
        "tether notify used {peak_mb} MB for a {size_mb} MB file of follow-ups all alerting (bound {bound} MB)"
    );
}

/// A million short deadlines, every one overdue (37 MB): `notify` kept every open deadline as
/// a typed record (566 MB in a debug build). Now each is assessed as it is read, on one
/// working-time calendar from now's look-back to 20 years ahead, and dropped unless it is among
/// the few kept whole: within the bound, with the one summary due (not sent: no desktop here).
#[test]
fn a_million_overdue_deadlines_cost_notify_a_small_multiple_of_the_file() {
    let root = tempfile::tempdir().unwrap();
    let (dir, size_mb) = example_dir(root.path(), "deadlines.jsonl", 1_000_000, |i| {
        format!("{{\"title\":\"t{i}\",\"due\":\"2026-11-20\"}}")
    });
    let bound = 3 * size_mb + 40;
    let r = notify_without_a_desktop(&dir);
    eprintln!(
        "1M overdue deadlines ({size_mb} MB): tether notify --once took {:?}, peak {} MB",
        r.took, r.peak_mb
    );
    assert_eq!(r.code, 3, "{}{}", r.out, r.err);
    assert!(r.err.contains("; 1 alert not sent"), "{}", r.err);
    assert!(
        r.out
            .contains("deadline added (milestone): Failover test signed off"),
        "{}",
        r.out
    );
    assert!(
        r.peak_mb <= bound,
        "tether notify used {} MB for a {size_mb} MB file of deadlines (bound {bound} MB)",
        r.peak_mb
    );
}
