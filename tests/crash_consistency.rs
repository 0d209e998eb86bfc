//! Crash consistency: a process writing the data files is killed with SIGKILL at random moments,
//! hundreds of times. After each kill every data file must be exactly its content before or
//! after the change in progress (never truncated, never a mix), and the undo journal must still
//! read and undo cleanly (or say clearly why it cannot).
//!
//! Three writers are killed:
//! - the real binary (`tether log …`, `tether add followup …`, `tether track start …`): one
//!   append each, killed at a random moment between its start and the time a whole run takes
//!   here (a few ms);
//! - a loop of rewrites, appends and undos through `Store` (the code the dashboard's keys use),
//!   run in a child process: this test binary re-executing itself in writer mode;
//! - `tether status` writing its cache (`.tether/status-cache`): absent or whole after the kill,
//!   and no temporary file left once the next call has written it.
//!
//! Iterations: TETHER_KILLS (default 100 for the loop, half that for the binary), e.g.
//! `TETHER_KILLS=2000 cargo test --release --test crash_consistency -- --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report
#![cfg(unix)]

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tether::store::lines::{FieldChange, LineKind, split_lines};
use tether::store::write::{DataFile, STATE_DIR, Store, StoreError};

const CHILD_ENV: &str = "TETHER_CRASH_WRITER";
const STEPS: u64 = 16;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00+10:00")
        .expect("now")
        .with_timezone(&Utc)
}

fn kills() -> usize {
    std::env::var("TETHER_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

/// A small deterministic random number generator (splitmix64): the writer and the replay must
/// make the same choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The data files at the start: big enough that a rewrite takes a while (so kills land inside
/// writes), with the shapes a hand-edited file has: a BOM, CRLF, comments, a bad line, no final
/// newline.
fn setup(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut fu = String::from("\u{feff}# follow-ups\r\n\r\n");
    for i in 0..300 {
        fu.push_str(&format!(
            "{{\"id\":\"f-{i:03}\", \"client\":\"kanda\", \"what\":\"Follow-up number {i} with some text to make the line longer\", \"status\":\"open\"}}\r\n"
        ));
    }
    fu.push_str("{\"what\": broken line kept as is\r\n");
    let mut dl = String::from("# deadlines\n");
    for i in 0..100 {
        dl.push_str(&format!(
            "{{\"id\":\"d-{i:03}\",\"title\":\"Deadline {i}\",\"due\":\"2026-12-{:02}\",\"estimate\":\"6h\"}}\n",
            i % 28 + 1
        ));
    }
    let mut ix = String::new();
    for i in 0..200 {
        ix.push_str(&format!(
            "{{\"at\":\"2026-11-{:02}T10:00+09:00\",\"client\":\"kanda\",\"kind\":\"call\",\"note\":\"call {i}\"}}\n",
            i % 28 + 1
        ));
    }
    ix.push_str("{\"at\":\"2026-11-24\",\"client\":\"kanda\",\"kind\":\"email\"}"); // no final newline
    std::fs::write(dir.join("followups.jsonl"), fu).expect("write");
    std::fs::write(dir.join("deadlines.jsonl"), dl).expect("write");
    std::fs::write(dir.join("interactions.jsonl"), ix).expect("write");
    let mut tl = String::new();
    for i in 0..50 {
        tl.push_str(&format!(
            "{{\"id\":\"t-{i:03}\",\"deadline\":\"d-{:03}\",\"start\":\"2026-11-{:02}T09:00+10:00\",\"end\":\"2026-11-{:02}T10:30+10:00\"}}\n",
            i % 100,
            i % 24 + 1,
            i % 24 + 1
        ));
    }
    std::fs::write(dir.join("timelog.jsonl"), tl).expect("write");
    std::fs::write(
        dir.join("tether.toml"),
        "[me]\nzone = \"Australia/Brisbane\"\n[[clients]]\nid = \"kanda\"\nzone = \"Asia/Tokyo\"\n",
    )
    .expect("write");
}

/// Change number `k` of the run `seed`: a rewrite (mark done / reopen / snooze), an append, or
/// an undo, chosen at random. Every rewrite also sets `"n": k`, so each state is distinct.
fn step(store: &Store, seed: u64, k: u64) -> Result<(), StoreError> {
    let mut rng = Rng(seed.wrapping_mul(1_000_003).wrapping_add(k));
    match rng.below(10) {
        0..=4 => {
            let file = if rng.below(3) == 0 {
                DataFile::Deadlines
            } else {
                DataFile::Followups
            };
            let content = std::fs::read_to_string(store.path(file)).expect("read");
            let records: Vec<(String, String)> = split_lines(&content)
                .iter()
                .filter(|l| l.kind() == LineKind::Record)
                .filter_map(|l| {
                    let o: Map<String, Value> = serde_json::from_str(l.text).ok()?;
                    Some((o.get("id")?.as_str()?.to_string(), l.text.to_string()))
                })
                .collect();
            let (id, text) = &records[rng.below(records.len() as u64) as usize];
            let status = if text.contains("\"done\"") {
                "open"
            } else {
                "done"
            };
            let mut changes = vec![FieldChange::set("status", status), FieldChange::set("n", k)];
            if rng.below(2) == 0 {
                changes.push(FieldChange::set("snoozed_until", "2026-11-26T08:30+10:00"));
            }
            store
                .rewrite(file, Some(id), text, &changes, &format!("step {k}"), now())
                .map(|_| ())
        }
        5..=7 => {
            let line = format!(
                "{{\"at\":\"2026-11-25T09:00+10:00\",\"client\":\"kanda\",\"kind\":\"call\",\"note\":\"step {k}\"}}"
            );
            store
                .append(DataFile::Interactions, &line, &format!("step {k}"), now())
                .map(|_| ())
        }
        _ => match store.undo_last(now()) {
            Ok(_) | Err(StoreError::UndoConflict { .. }) => Ok(()),
            Err(e) => Err(e),
        },
    }
}

/// Child mode: run the steps, announcing each on stdout before it starts.
#[test]
fn crash_writer_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return; // not a child: nothing to do
    };
    let (dir, seed) = spec.split_once(',').expect("DIR,SEED");
    let store = Store::new(dir);
    for k in 1..=STEPS {
        println!("begin {k}");
        if let Err(e) = step(&store, seed.parse().expect("seed"), k) {
            println!("error {k}: {e}");
        }
    }
    println!("finished");
}

/// The data files' contents.
type State = [String; 4];

fn state(dir: &Path) -> State {
    DataFile::ALL.map(|f| {
        std::fs::read_to_string(dir.join(f.file_name()))
            .unwrap_or_else(|e| panic!("{}: {e}", f.file_name()))
    })
}

/// The states after each step of run `seed` (index 0 = before the first step), replayed here.
fn replay(base: &Path, seed: u64) -> Vec<State> {
    let dir = base.join(format!("replay-{seed}"));
    setup(&dir);
    let store = Store::new(&dir);
    let mut states = vec![state(&dir)];
    for k in 1..=STEPS {
        step(&store, seed, k).expect("replayed step");
        states.push(state(&dir));
    }
    states
}

fn leftover_temps(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for d in [dir.to_path_buf(), dir.join(STATE_DIR)] {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.contains("tether-tmp") {
                out.push(n);
            }
        }
    }
    out
}

/// After a kill: the journal reads, undo works or says why not, and no line is torn.
/// Returns whether undo reversed a change.
fn check_journal_and_undo(dir: &Path, known_lines: &HashSet<String>) -> bool {
    let journal = dir.join(STATE_DIR).join("undo.jsonl");
    if let Ok(j) = std::fs::read_to_string(&journal) {
        for l in j.lines() {
            assert!(
                serde_json::from_str::<Value>(l).is_ok(),
                "torn journal line {l:?}"
            );
        }
    }
    let store = Store::new(dir);
    let undone = match store.undo_last(now()) {
        Ok(u) => u.is_some(),
        Err(StoreError::UndoConflict { .. }) => false,
        Err(e) => panic!("undo after a kill failed: {e}"),
    };
    for (f, content) in DataFile::ALL.iter().zip(state(dir)) {
        for l in split_lines(&content) {
            assert!(
                known_lines.contains(l.text),
                "{}: line {} after undo was never written: {:?}",
                f.file_name(),
                l.number,
                l.text
            );
        }
    }
    // The next write clears what the killed process left behind.
    assert!(
        leftover_temps(dir).is_empty(),
        "temporary files left after the next write: {:?}",
        leftover_temps(dir)
    );
    undone
}

#[test]
fn killed_writer_loop_leaves_old_or_new() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let seeds = [1u64, 2, 3, 4];
    let runs: Vec<Vec<State>> = seeds.iter().map(|&s| replay(tmp.path(), s)).collect();
    let mut known_lines = HashSet::new();
    for states in &runs {
        for st in states {
            for c in st {
                known_lines.extend(split_lines(c).iter().map(|l| l.text.to_string()));
            }
        }
    }
    // Calibrate the kill delays to this machine: how long a whole run takes.
    let exe = std::env::current_exe().expect("exe");
    let spawn = |dir: &Path, seed: u64| {
        Command::new(&exe)
            .args(["--exact", "crash_writer_child", "--nocapture", "--quiet"])
            .args(["--test-threads", "1"])
            .env(CHILD_ENV, format!("{},{seed}", dir.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer")
    };
    let cal = tmp.path().join("calibrate");
    setup(&cal);
    let t = Instant::now();
    let out = spawn(&cal, seeds[0]).wait_with_output().expect("run");
    let full = t.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("finished"), "writer run failed:\n{text}");
    assert!(!text.contains("error"), "writer run failed:\n{text}");
    assert_eq!(state(&cal), runs[0][STEPS as usize], "replay differs");

    let n = kills();
    let mut rng = Rng(0x7e7e);
    let mut by_step = vec![0usize; STEPS as usize + 2];
    let started = Instant::now();
    for i in 0..n {
        let which = i % seeds.len();
        let dir = tmp.path().join(format!("kill-{i}"));
        setup(&dir);
        let mut child = spawn(&dir, seeds[which]);
        let max = full.as_micros() as u64 + 1;
        std::thread::sleep(Duration::from_micros(rng.below(max)));
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        let stdout = child.stdout.take().expect("stdout");
        let begun = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| {
                l.strip_prefix("begin ")
                    .and_then(|k| k.parse::<usize>().ok())
            })
            .last()
            .unwrap_or(0);
        let states = &runs[which];
        let now_state = state(&dir);
        let before = &states[begun.saturating_sub(1)];
        let after = &states[begun];
        assert!(
            &now_state == before || &now_state == after,
            "kill {i} during step {begun} (seed {}): files are neither the state before nor after it",
            seeds[which]
        );
        by_step[if &now_state == after {
            begun
        } else {
            STEPS as usize + 1
        }] += 1;
        let _ = check_journal_and_undo(&dir, &known_lines);
        let _ = std::fs::remove_dir_all(&dir);
    }
    let landed = by_step[1..=STEPS as usize]
        .iter()
        .filter(|&&c| c > 0)
        .count();
    eprintln!(
        "crash_consistency: {n} kills of the writer loop survived in {:?} (a full run takes {full:?}; kills landed after {landed} different steps)",
        started.elapsed()
    );
}

/// The real binary's headless writers, killed at a random moment of their run: the file is the
/// old one or the old one plus exactly one whole line.
#[test]
fn killed_tether_log_and_add_leave_old_or_new() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let bin = env!("CARGO_BIN_EXE_tether");
    let n = (kills() / 2).max(10);
    let mut rng = Rng(0x5eed);
    let run = |dir: &Path, args: &[String]| {
        Command::new(bin)
            .arg("--data-dir")
            .arg(dir)
            .args(["--now", "2026-11-25T09:30:00+10:00"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn tether")
    };
    // How long one uninterrupted run takes here: kills are spread over that.
    let cal = tmp.path().join("calibrate");
    setup(&cal);
    let t = Instant::now();
    let log = ["log", "kanda", "call", "calibrate"].map(String::from);
    let st = run(&cal, &log).wait().expect("run");
    assert!(st.success(), "tether log failed");
    let full = t.elapsed();
    let mut appended = 0;
    let mut unjournalled = 0;
    let started = Instant::now();
    for i in 0..n {
        let dir = tmp.path().join(format!("bin-{i}"));
        setup(&dir);
        let (file, args): (&str, Vec<String>) = if i % 3 == 2 {
            // The timer (issue 17): `track start` appends its one line to timelog.jsonl.
            (
                "timelog.jsonl",
                vec![
                    "track".into(),
                    "start".into(),
                    format!("d-{:03}", i % 100),
                    "--note".into(),
                    format!("kill {i}"),
                ],
            )
        } else if i % 2 == 0 {
            (
                "interactions.jsonl",
                vec![
                    "log".into(),
                    "kanda".into(),
                    "call".into(),
                    format!("kill {i}"),
                ],
            )
        } else {
            (
                "followups.jsonl",
                vec![
                    "add".into(),
                    "followup".into(),
                    format!("Kill {i}"),
                    "--client".into(),
                    "kanda".into(),
                ],
            )
        };
        let old = std::fs::read_to_string(dir.join(file)).expect("read");
        let old_state = state(&dir);
        let mut child = run(&dir, &args);
        std::thread::sleep(Duration::from_micros(
            rng.below(full.as_micros() as u64 * 11 / 10 + 1),
        ));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let new = std::fs::read_to_string(dir.join(file)).expect("read");
        if new != old {
            appended += 1;
            // The old bytes, then (after completing an unterminated last line) one whole line.
            let added = new
                .strip_prefix(old.as_str())
                .unwrap_or_else(|| panic!("kill {i}: the old content was changed"));
            let added = added
                .strip_prefix("\r\n")
                .or_else(|| added.strip_prefix('\n'))
                .filter(|_| !old.ends_with('\n'))
                .unwrap_or(added);
            let line = added
                .strip_suffix("\r\n")
                .or_else(|| added.strip_suffix('\n'))
                .unwrap_or_else(|| panic!("kill {i}: a torn line was appended: {added:?}"));
            assert!(
                !line.contains('\n'),
                "kill {i}: more than one line: {added:?}"
            );
            assert!(
                serde_json::from_str::<Map<String, Value>>(line).is_ok(),
                "kill {i}: appended line does not parse: {line:?}"
            );
        } else {
            assert!(
                !status.success(),
                "kill {i}: tether exited successfully but wrote nothing"
            );
        }
        let known: HashSet<String> = state(&dir)
            .iter()
            .chain(&old_state)
            .flat_map(|c| split_lines(c).into_iter().map(|l| l.text.to_string()))
            .collect();
        let undone = check_journal_and_undo(&dir, &known);
        let after_undo = std::fs::read_to_string(dir.join(file)).expect("read");
        if undone {
            // Undo took back exactly that line: the file is the old one again.
            assert_eq!(after_undo, old, "kill {i}: undo did not restore the file");
        } else {
            // Killed after the append but before it was journalled (or before anything): the
            // file stays as the kill left it; nothing else was touched.
            assert_eq!(
                after_undo, new,
                "kill {i}: undo changed a file it had no entry for"
            );
            unjournalled += usize::from(new != old);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!(
        "crash_consistency: {n} kills of `tether log`/`add`/`track start` survived in {:?} (a run takes {full:?}); {appended} had appended their line ({unjournalled} of them before journalling it)",
        started.elapsed()
    );
}

/// `tether status` killed at a random moment of a call that writes its cache
/// (`.tether/status-cache`, through the store's atomic write): the cache is then absent or whole
/// (the next call uses it without reading the files, and gets what the files say), and the next
/// call that writes the cache removes the killed one's temporary file.
#[test]
fn killed_status_leaves_its_cache_whole_or_absent() {
    use tether::cli::status_cache::{StatusInput, load_cached};
    use tether::store::load::load_dir;
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("status");
    setup(&dir);
    let state_dir = dir.join(STATE_DIR);
    let cache = state_dir.join("status-cache");
    let bin = env!("CARGO_BIN_EXE_tether");
    let run = || {
        Command::new(bin)
            .arg("--data-dir")
            .arg(&dir)
            .args(["--now", "2026-11-25T09:30:00+10:00", "status"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn tether")
    };
    let t = Instant::now();
    let first = run().wait_with_output().expect("run");
    let full = t.elapsed();
    assert!(first.status.success(), "tether status failed");
    let expected = StatusInput::of(&load_dir(&dir), false);
    let mut rng = Rng(0xcac4e);
    let mut whole = 0;
    for i in 0..(kills() / 2).max(10) {
        let _ = std::fs::remove_file(&cache);
        let mut child = run();
        std::thread::sleep(Duration::from_micros(
            rng.below(full.as_micros() as u64 * 11 / 10 + 1),
        ));
        let _ = child.kill();
        let _ = child.wait();
        if cache.exists() {
            whole += 1;
            let mut read_the_files = false;
            let got = load_cached(&dir, |d| {
                read_the_files = true;
                StatusInput::read(d)
            });
            assert!(!read_the_files, "kill {i}: the cache left is not whole");
            assert_eq!(got, expected, "kill {i}");
        }
        let _ = std::fs::remove_file(&cache);
        let again = run().wait_with_output().expect("run");
        assert_eq!(again.stdout, first.stdout, "kill {i}");
        let temps: Vec<String> = std::fs::read_dir(&state_dir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tmp"))
            .collect();
        assert!(temps.is_empty(), "kill {i}: left behind: {temps:?}");
    }
    println!("status killed: {whole} times after its cache was in place");
}
