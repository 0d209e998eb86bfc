//! No import cycle between tether's modules, and the core's domain never reaches into
//! the store. The crate boundary (tether-core below the app) is kept by the compiler and by
//! `.ci/run`'s `cargo tree` check; inside each crate the compiler allows cycles, so this test
//! reads the sources and builds the graph of which module uses which.
//!
//! A module is a file (`src/app/state.rs` is `app::state`, `src/ui/mod.rs` is `ui`). An edge
//! A -> B is a `crate::`, `super::`, `tether::` or `tether_core::` path in A's non-test code that
//! names B or an item B defines (an item a `mod.rs` re-exports with `pub use child::Item` counts
//! as `child`'s). A child naming its own ancestor is not an edge: the parent is its namespace.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug)]
struct Module {
    /// `core::domain::time`, `app::ui::clocks`: the crate, then the module path.
    name: String,
    text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn collect(dir: &Path, krate: &str, base: &Path, out: &mut Vec<Module>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, krate, base, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(base).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            let mut name = krate.to_string();
            for part in parts {
                name.push_str("::");
                name.push_str(&part);
            }
            out.push(Module {
                name,
                text: non_test_code(&std::fs::read_to_string(&p).unwrap()),
            });
        }
    }
}

/// The file without its comments and without what follows a `#[cfg(test)]` (tests may use any
/// module; they are not part of the layering).
fn non_test_code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in `text` that starts with one of `starts`, as its segments (a `{a, b}` group
/// yields one path per member's first segment).
fn paths(text: &str, start: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find(start) {
        let at = from + i;
        from = at + start.len();
        if at > 0 && (is_ident(bytes[at - 1] as char) || bytes[at - 1] == b':') {
            continue;
        }
        let mut segs = vec![start.trim_end_matches("::").to_string()];
        let mut rest = &text[from..];
        // `rest` always follows a `::`: a `{a, b}` group or one more segment.
        loop {
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for member in group[..end].split(',') {
                    let first: String =
                        member.trim().chars().take_while(|&c| is_ident(c)).collect();
                    if !first.is_empty() {
                        let mut p = segs.clone();
                        p.push(first);
                        out.push(p);
                    }
                }
                segs.clear();
                break;
            }
            let n = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
            if n > 0 {
                segs.push(rest[..n].to_string());
            }
            rest = &rest[n..];
            match rest.strip_prefix("::") {
                Some(r) => rest = r,
                None => break,
            }
        }
        if !segs.is_empty() {
            out.push(segs);
        }
    }
    out
}

/// `pub use child::{A, B}` / `pub use self::child::A` in a module: item name -> child module.
fn reexports(m: &Module) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in m.text.lines() {
        let t = line.trim();
        let Some(rest) = t.strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_start_matches("self::").trim_end_matches(';');
        let Some((child, items)) = rest.split_once("::") else {
            continue;
        };
        if child.starts_with("crate") || child.starts_with("super") {
            continue;
        }
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let name = item.split(" as ").last().unwrap_or(item).trim();
            if !name.is_empty() {
                out.insert(name.to_string(), format!("{}::{child}", m.name));
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut modules = Vec::new();
    collect(
        &root().join("src"),
        "app",
        &root().join("src"),
        &mut modules,
    );
    let core = root().join("crates/tether-core/src");
    collect(&core, "core", &core, &mut modules);
    let names: BTreeSet<String> = modules.iter().map(|m| m.name.clone()).collect();
    let re: BTreeMap<String, BTreeMap<String, String>> = modules
        .iter()
        .map(|m| (m.name.clone(), reexports(m)))
        .collect();
    // The longest module a path names, following one level of re-export.
    let resolve = |segs: &[String]| -> Option<String> {
        let mut best = None;
        let mut cur = String::new();
        for (i, s) in segs.iter().enumerate() {
            let next = if cur.is_empty() {
                s.clone()
            } else {
                format!("{cur}::{s}")
            };
            if names.contains(&next) {
                cur = next;
                best = Some(cur.clone());
            } else {
                if let Some(child) = re.get(&cur).and_then(|r| r.get(s))
                    && i > 0
                {
                    best = Some(child.clone());
                }
                break;
            }
        }
        best
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &modules {
        let krate = m.name.split("::").next().unwrap_or_default().to_string();
        let mut targets = Vec::new();
        for p in paths(&m.text, "crate::") {
            let mut full = vec![krate.clone()];
            // The app re-exports the core's domain and store under its own root.
            if krate == "app" && matches!(p.get(1).map(String::as_str), Some("domain" | "store")) {
                full = vec!["core".to_string()];
            }
            full.extend(p.into_iter().skip(1));
            targets.push(full);
        }
        for (start, krate) in [("tether::", "app"), ("tether_core::", "core")] {
            for p in paths(&m.text, start) {
                let mut full = vec![krate.to_string()];
                if krate == "app"
                    && matches!(p.get(1).map(String::as_str), Some("domain" | "store"))
                {
                    full = vec!["core".to_string()];
                }
                full.extend(p.into_iter().skip(1));
                targets.push(full);
            }
        }
        for p in paths(&m.text, "super::") {
            // `super` is the parent module, whatever the file layout.
            let mut base: Vec<String> = m.name.split("::").map(str::to_string).collect();
            let mut rest = p.as_slice();
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            targets.push(base);
        }
        for t in targets {
            let Some(to) = resolve(&t) else { continue };
            let ancestor = m.name.starts_with(&format!("{to}::"));
            if to != m.name && !ancestor {
                edges.entry(m.name.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = visit(n, edges, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_module_imports_itself_back() {
    let edges = graph();
    // The graph is real: the loop draws through ui, and ui reads the store's types.
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 50,
        "{edges:#?}"
    );
    // Every cycle, each found and then broken at its last edge, so one run names them all.
    let mut rest = edges.clone();
    let mut cycles = Vec::new();
    while let Some(c) = find_cycle(&rest) {
        cycles.push(c.join(" -> "));
        if let Some(tos) = rest.get_mut(&c[c.len() - 2]) {
            tos.remove(&c[c.len() - 1]);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_domain_never_reaches_into_the_store_or_the_app() {
    for (from, tos) in graph() {
        if from.starts_with("core::domain") {
            for to in &tos {
                assert!(
                    to.starts_with("core::domain"),
                    "{from} uses {to}: the domain is pure (no files, no terminal)"
                );
            }
        }
        if from.starts_with("app::alerts") {
            for to in &tos {
                assert!(
                    !to.starts_with("app::app") && !to.starts_with("app::ui"),
                    "{from} uses {to}: alerts serve the dashboard and the shell, not the other way"
                );
            }
        }
    }
}

#[test]
fn a_cycle_is_found_when_there_is_one() {
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    edges.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        find_cycle(&edges),
        Some(
            vec!["a", "b", "c", "a"]
                .into_iter()
                .map(String::from)
                .collect()
        )
    );
    edges.remove("c");
    assert_eq!(find_cycle(&edges), None);
}

#[test]
fn paths_are_read_from_use_groups_and_inline() {
    let p = paths(
        "use crate::app::{state::App, keymap};\nlet x = crate::ui::draw(f);",
        "crate::",
    );
    let p: Vec<String> = p.into_iter().map(|s| s.join("::")).collect();
    assert_eq!(
        p,
        vec!["crate::app::state", "crate::app::keymap", "crate::ui::draw"]
    );
    let p = paths("use super::{deadlines, followups};", "super::");
    let p: Vec<String> = p.into_iter().map(|s| s.join("::")).collect();
    assert_eq!(p, vec!["super::deadlines", "super::followups"]);
}
