//! Whether the programs an end-to-end test runs are installed. Missing ones: the test prints
//! `SKIPPED: …` and passes, unless `TETHER_REQUIRE_E2E=1` (set by `.ci/run`) makes it fail.

#![allow(dead_code)]

pub fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p).any(|d| {
            let f = d.join(tool);
            f.is_file()
                && std::fs::metadata(&f).is_ok_and(|m| {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 != 0
                })
        })
    })
}

/// `true` to go on; `false` (after printing SKIPPED) when tools are missing and E2E is optional.
pub fn tools(needed: &[&str]) -> bool {
    let missing: Vec<&str> = needed.iter().copied().filter(|t| !on_path(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let what = format!("SKIPPED: {} not installed", missing.join(", "));
    if std::env::var("TETHER_REQUIRE_E2E").is_ok_and(|v| v == "1") {
        panic!("{what} (TETHER_REQUIRE_E2E=1)");
    }
    println!("{what}");
    false
}
