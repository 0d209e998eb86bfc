//! The app's layers, checked on the sources (the crate boundary keeps the core's; this keeps the
//! app's modules in one direction): `ui` reads the app's state and never the event loop's edge;
//! of `app`, only the event loop (`app/run.rs`) draws; alert sending knows nothing of the
//! dashboard; `App` and `update` read no file. See docs/architecture.md.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::collections::{BTreeMap, BTreeSet};
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

/// The modules (files) under `src/<top>` for each of `tops`, each with the modules of `tops` it
/// names (`super::x`, `super::{x, y}`, `crate::top::x`). A directory's `mod.rs` is left out: it
/// declares its files, which is not a dependency.
fn module_graph(tops: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for top in tops {
        for (name, text) in sources(top) {
            if name != "mod.rs" {
                files.insert(format!("{top}::{}", name.trim_end_matches(".rs")), text);
            }
        }
    }
    let mut graph = BTreeMap::new();
    for (module, text) in &files {
        let top = module.split("::").next().unwrap_or_default();
        let mut prefixes = vec![("super::".to_string(), top.to_string())];
        prefixes.extend(
            tops.iter()
                .map(|t| (format!("crate::{t}::"), t.to_string())),
        );
        let mut deps = BTreeSet::new();
        for line in code_lines(text) {
            for (prefix, base) in &prefixes {
                let mut rest = line;
                while let Some(i) = rest.find(prefix.as_str()) {
                    rest = &rest[i + prefix.len()..];
                    let names: Vec<&str> = match rest.strip_prefix('{') {
                        Some(inner) => inner[..inner.find('}').unwrap_or(inner.len())]
                            .split(',')
                            .map(|p| p.trim().split("::").next().unwrap_or_default())
                            .collect(),
                        None => vec![
                            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .next()
                                .unwrap_or_default(),
                        ],
                    };
                    for n in names {
                        let dep = format!("{base}::{n}");
                        if files.contains_key(&dep) && dep != *module {
                            deps.insert(dep);
                        }
                    }
                }
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// The first import cycle in `graph`, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if done.contains(m) {
            return None;
        }
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut c = path[i..].to_vec();
            c.push(m.to_string());
            return Some(c);
        }
        path.push(m.to_string());
        for d in &graph[m] {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// The app's modules: the dashboard's, the shell commands' and alert sending's.
#[test]
fn no_module_of_the_dashboard_imports_one_that_imports_it_back() {
    let graph = module_graph(&["app", "ui", "cli", "alerts"]);
    assert!(graph["app::run"].contains("app::state"), "{graph:?}");
    assert!(graph["ui::cache"].contains("ui::followups"), "{graph:?}");
    assert_eq!(cycle(&graph), None);
    // The check finds one when there is one.
    let mut looped = graph.clone();
    looped
        .entry("app::state".into())
        .or_default()
        .insert("app::run".into());
    assert!(cycle(&looped).is_some());
}
