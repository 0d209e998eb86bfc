//! `tether man` is one page that says what a user looks a man page up for, and points to no
//! page that does not exist (issue 14: "`tether man` points to `tether-add(1)` and others that
//! do not exist and has no keys, files or data-format sections").
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use std::process::Command;
use tether::app::keymap::BINDINGS;

fn page() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tether"))
        .arg("man")
        .env_remove("TETHER_DIR")
        .output()
        .unwrap();
    assert!(out.status.success());
    // roff's escaped hyphen, as the reader sees it.
    String::from_utf8(out.stdout).unwrap().replace("\\-", "-")
}

/// The text of section `name`, up to the next section.
fn section<'p>(page: &'p str, name: &str) -> &'p str {
    let head = format!(".SH {name}\n");
    let start = page
        .find(&head)
        .unwrap_or_else(|| panic!("no section {name}"))
        + head.len();
    let rest = &page[start..];
    &rest[..rest.find("\n.SH ").unwrap_or(rest.len())]
}

#[test]
fn the_page_has_keys_files_environment_data_format_and_examples() {
    let page = page();
    for name in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "COMMANDS",
        "KEYS",
        "FILES",
        "ENVIRONMENT",
        "DATA FORMAT",
        "EXAMPLES",
    ] {
        assert!(!section(&page, name).trim().is_empty(), "{name} is empty");
    }
    let keys = section(&page, "KEYS");
    for b in BINDINGS {
        assert!(
            keys.contains(&b.keys.join(", ")) && keys.contains(b.help),
            "{:?} ({}) missing from KEYS",
            b.keys,
            b.help
        );
    }
    let files = section(&page, "FILES");
    for f in [
        "tether.toml",
        "deadlines.jsonl",
        "followups.jsonl",
        "interactions.jsonl",
    ] {
        assert!(files.contains(f), "{f} missing from FILES");
    }
    let env = section(&page, "ENVIRONMENT");
    for v in [
        "TETHER_DIR",
        "NO_COLOR",
        "EDITOR",
        "VISUAL",
        "TETHER_STATUS_FORMAT",
    ] {
        assert!(env.contains(v), "{v} missing from ENVIRONMENT");
    }
    assert!(section(&page, "DATA FORMAT").contains("docs/data-format.md"));
    // Every command that runs is on the page itself.
    let commands = section(&page, "COMMANDS");
    for c in [
        "tether init",
        "tether check",
        "tether agenda",
        "tether review",
        "tether notify",
        "tether status",
        "tether add followup",
        "tether add deadline",
        "tether log",
        "tether export ics",
        "tether completions",
        "tether man",
    ] {
        assert!(commands.contains(c), "{c} missing from COMMANDS");
    }
}

#[test]
fn the_page_refers_to_no_other_page() {
    // A page reference is NAME(SECTION); tether installs one page, tether(1).
    let page = page();
    let bytes = page.as_bytes();
    let mut refs = Vec::new();
    for (i, _) in page.match_indices('(') {
        let name_start = page[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .map_or(0, |j| j + 1);
        let is_section =
            bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && bytes.get(i + 2) == Some(&b')');
        if name_start < i && is_section {
            refs.push(&page[name_start..i + 3]);
        }
    }
    refs.retain(|r| *r != "tether(1)");
    assert!(
        refs.is_empty(),
        "references to pages that do not exist: {refs:?}"
    );
}
