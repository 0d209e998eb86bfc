//! `tether track start|stop|add` (issue 17), run for real on a temporary copy of the shipped
//! example, each call with its own fixed `--now`: the exact text printed, the exact lines
//! appended to timelog.jsonl (the ids, which depend on the machine, read back and replaced), and
//! the deadline's spent time as `agenda`'s risk then counts it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use std::path::Path;

#[path = "support/data.rs"]
mod data;

use data::example;

/// Mon 07 Dec 2026 in Brisbane (the example's `me.zone`, work_hours 08:30-17:30).
fn at(hm: &str) -> String {
    format!("2026-12-07T{hm}:00+10:00")
}

fn run(dir: &Path, now: &str, args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("tether")
        .expect("binary")
        .env_remove("TETHER_DIR")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", now])
        .args(args)
        .output()
        .expect("run tether");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// timelog.jsonl with each `t-…` id replaced by `T1`, `T2`… in order of first use.
fn timelog(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("timelog.jsonl")).expect("read");
    let mut ids: Vec<String> = Vec::new();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("\"t-") {
        out.push_str(&rest[..=i]);
        let id_end = rest[i + 1..].find('"').expect("id end") + i + 1;
        let id = &rest[i + 1..id_end];
        let n = match ids.iter().position(|x| x == id) {
            Some(n) => n,
            None => {
                ids.push(id.to_string());
                ids.len() - 1
            }
        };
        out.push_str(&format!("T{}", n + 1));
        rest = &rest[id_end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn start_stop_and_add_print_what_they_wrote_and_count_at_once() {
    let d = example();
    let (out, err, code) = run(
        &d.dir,
        &at("09:00"),
        &["track", "start", "d-7f3a2c", "--note", "first draft"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "timer started on Q3 market survey report\n\
         \x20 at Mon 07 Dec 09:00 AEST\n\
         \x20 counts until Mon 07 Dec 17:30 AEST, the end of your working day; stop it before, or say how long then\n\
         added to timelog.jsonl:1 (u in the dashboard undoes it)\n"
    );
    // The agenda names it under its first line, as the header does.
    let (out, err, code) = run(&d.dir, &at("10:12"), &["agenda"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().nth(1),
        Some("⏱ 1h 12m on Q3 market survey report"),
        "{out}"
    );
    let (out, err, code) = run(&d.dir, &at("10:12"), &["track", "stop"]);
    assert_eq!(code, 0, "{err}");
    // The example's hand spent is 4h: 4h + 1h 12m.
    assert_eq!(
        out,
        "timer stopped on Q3 market survey report: 1h 12m (Mon 07 Dec 09:00 AEST – 10:12)\n\
         \x20 Q3 market survey report: 5h 12m spent of 14h, 8h 48m to do\n\
         added to timelog.jsonl:2 (u in the dashboard undoes it)\n"
    );
    let (out, err, code) = run(
        &d.dir,
        &at("10:15"),
        &[
            "track",
            "add",
            "1h30m",
            "kanda",
            "--on",
            "yesterday",
            "--note",
            "train",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "1h 30m on Kanda Trading KK, Sun 06 Dec 2026\n\
         added to timelog.jsonl:3 (u in the dashboard undoes it)\n"
    );
    let (out, err, code) = run(&d.dir, &at("10:20"), &["track", "add", "45m", "d-7f3a2c"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "45m on Q3 market survey report, Mon 07 Dec 2026\n\
         \x20 Q3 market survey report: 5h 57m spent of 14h, 8h 03m to do\n\
         added to timelog.jsonl:4 (u in the dashboard undoes it)\n"
    );
    assert_eq!(
        timelog(&d.dir),
        concat!(
            "{\"id\":\"T1\",\"deadline\":\"d-7f3a2c\",\"start\":\"2026-12-07T09:00:00+10:00\",\"note\":\"first draft\"}\n",
            "{\"stop\":\"T1\",\"at\":\"2026-12-07T10:12:00+10:00\"}\n",
            "{\"id\":\"T2\",\"client\":\"kanda\",\"spent\":\"1h30m\",\"on\":\"2026-12-06\",\"note\":\"train\"}\n",
            "{\"id\":\"T3\",\"deadline\":\"d-7f3a2c\",\"spent\":\"45m\",\"on\":\"2026-12-07\"}\n",
        )
    );
    let (out, err, code) = run(&d.dir, &at("10:20"), &["check"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_timer_left_running_overnight_is_flagged_and_stops_at_the_end_of_that_day() {
    let d = example();
    let (_, err, code) = run(&d.dir, &at("16:00"), &["track", "start", "d-51b0e9"]);
    assert_eq!(code, 0, "{err}");
    // Next morning, 08:00: flagged in status, counted up to 17:30 only.
    let next = "2026-12-08T08:00:00+10:00";
    let (out, err, code) = run(&d.dir, next, &["status", "--format", "{timer}"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "⏱ 1h 30m on Translate competitor brochure (JA→EN) (since 16:00 yesterday: stop it or say how long)\n"
    );
    let (out, err, code) = run(&d.dir, next, &["track", "stop"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "timer stopped on Translate competitor brochure (JA→EN): 1h 30m (Mon 07 Dec 16:00 AEST – 17:30)\n\
         \x20 note: it ran past the end of your working day, so it ends then; if you worked longer, add it: tether track add DURATION d-51b0e9\n\
         \x20 Translate competitor brochure (JA→EN): 2h 30m spent of 6h, 3h 30m to do\n\
         added to timelog.jsonl:2 (u in the dashboard undoes it)\n"
    );
}

#[test]
fn saying_how_long_and_mistakes() {
    let d = example();
    let (out, _, code) = run(&d.dir, &at("09:00"), &["track", "stop"]);
    assert_eq!((out.as_str(), code), ("", 2));
    let (_, err, code) = run(&d.dir, &at("09:00"), &["track", "start", "kanad"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no deadline with id \"kanad\"") && err.contains("\"kanda\""),
        "{err}"
    );
    run(&d.dir, &at("16:00"), &["track", "start", "kanda"]);
    let (out, err, code) = run(&d.dir, &at("16:30"), &["track", "start", "kanda"]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(
        err.contains("a timer on Kanda Trading KK runs already (since 16:00); nothing was written"),
        "{err}"
    );
    let next = "2026-12-08T09:00:00+10:00";
    let (_, err, code) = run(&d.dir, next, &["track", "stop", "--spent", "30h"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is after now"), "{err}");
    let (out, err, code) = run(&d.dir, next, &["track", "stop", "--at", "19:15"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "timer stopped on Kanda Trading KK: 3h 15m (Mon 07 Dec 16:00 AEST – 19:15)\n\
         added to timelog.jsonl:2 (u in the dashboard undoes it)\n"
    );
    assert!(!d.dir.join(".tether").join("tmp").exists());
}
