//! The public holidays tether ships against the Python `holidays` package at the version the
//! data was generated from (`scripts/gen-holidays.py` pins it; `.ci/run` installs it): every
//! shipped country, each of its subdivisions and the country as a whole, every year 2000-2050,
//! date, English name and local name. 0 differences.
//!
//! `tests/holidays_check.py` computes the package's answer itself (not through the generator).
//! Without python3 or the pinned package the test prints "SKIPPED" and passes, unless
//! `TETHER_REQUIRE_E2E=1` asks for it to be mandatory.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use tether::domain::holidays::{
    countries, country_request, first_year, holidays_for, last_year, package_version, regions,
};

fn listing() -> (String, usize) {
    let mut out = String::new();
    let (first, last) = (first_year(), last_year());
    writeln!(out, "V\t{}\t{first}\t{last}", package_version()).unwrap();
    let mut n = 0;
    for cc in countries() {
        let (categories, english, local) = country_request(cc).unwrap();
        let subs = regions(cc);
        let shown = if subs.is_empty() {
            "-".to_string()
        } else {
            subs.join(",")
        };
        writeln!(out, "C\t{cc}\t{categories}\t{english}\t{local}\t{shown}").unwrap();
        for sub in std::iter::once(None).chain(subs.iter().map(|s| Some(*s))) {
            for h in holidays_for(cc, sub, first..=last).unwrap() {
                n += 1;
                writeln!(
                    out,
                    "H\t{cc}\t{}\t{}\t{}\t{}",
                    sub.unwrap_or("-"),
                    h.date,
                    h.name,
                    h.local.unwrap_or("")
                )
                .unwrap();
            }
        }
    }
    (out, n)
}

#[test]
fn every_shipped_holiday_agrees_with_the_python_package() {
    let required = std::env::var("TETHER_REQUIRE_E2E").is_ok_and(|v| v == "1");
    let skip = |why: &str| {
        assert!(
            !required,
            "TETHER_REQUIRE_E2E=1 but the holidays oracle cannot run: {why}"
        );
        println!("SKIPPED: {why}");
    };
    let (input, n) = listing();
    assert!(n > 100_000, "only {n} holidays listed");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/holidays_check.py");
    let child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return skip(&format!("cannot run python3: {e}")),
    };
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "holidays_check.py failed: {}{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(line) = stdout.lines().find(|l| l.starts_with("SKIPPED")) {
        return skip(line.trim_start_matches("SKIPPED: "));
    }
    assert!(
        stdout.trim_end().ends_with(&format!("OK {n} holidays")),
        "tether and the holidays package disagree:\n{stdout}"
    );
    println!("{}", stdout.trim_end());
}
