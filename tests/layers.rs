//! The app's layers, checked on the sources (the crate boundary keeps the core's; this keeps the
//! app's modules in one direction): `ui` reads the app's state and never the event loop's edge;
//! of `app`, only the event loop (`app/run.rs`) draws; alert sending knows nothing of the
//! dashboard; `App` and `update` read no file. Import cycles, in both crates, are
//! tests/import_cycles.rs's. See docs/architecture.md.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::path::Path;

/// Each `.rs` file under `src/<dir>`, with its text (comments included: a layer named in a
/// comment is named on purpose, so the doc lines below avoid the paths they forbid).
fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    for e in std::fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rs") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    assert!(!out.is_empty(), "no sources in {}", root.display());
    out
}

fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//"))
}

#[test]
fn ui_reads_only_the_apps_state() {
    // What ui may use of app: the state it draws, the pane names and the key map.
    let allowed = [
        "crate::app::state",
        "crate::app::action",
        "crate::app::keymap",
    ];
    for (name, text) in sources("ui") {
        for line in code_lines(&text) {
            let mut rest = line;
            while let Some(i) = rest.find("crate::app::") {
                let used = &rest[i..];
                if !name.ends_with("cache.rs") || !used.starts_with("crate::app::files") {
                    assert!(
                        allowed.iter().any(|a| used.starts_with(a)),
                        "src/ui/{name} uses {used:?}: ui may read only {allowed:?}"
                    );
                }
                rest = &rest[i + 1..];
            }
        }
    }
}

#[test]
fn only_the_event_loop_of_app_uses_ui() {
    for (name, text) in sources("app") {
        if name == "run.rs" {
            continue;
        }
        for line in code_lines(&text) {
            assert!(
                !line.contains("crate::ui") && !line.contains("ratatui::widgets"),
                "src/app/{name} draws: {line:?} (only the event loop, app/run.rs, calls ui)"
            );
        }
    }
}

#[test]
fn alerts_know_nothing_of_the_dashboard() {
    for (name, text) in sources("alerts") {
        for line in code_lines(&text) {
            assert!(
                !line.contains("crate::app") && !line.contains("crate::ui"),
                "src/alerts/{name}: {line:?}"
            );
        }
    }
}

#[test]
fn the_apps_state_and_update_read_no_file() {
    for (name, text) in sources("app") {
        if !["state.rs", "update.rs", "action.rs", "keymap.rs"].contains(&name.as_str()) {
            continue;
        }
        for line in code_lines(&text) {
            for io in [
                "std::fs",
                "Reloader",
                "Store::",
                "load_dir",
                "std::thread",
                "Utc::now",
            ] {
                assert!(!line.contains(io), "src/app/{name} does I/O: {line:?}");
            }
        }
    }
}
