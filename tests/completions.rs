//! Shell completion in a real bash: the registration `tether completions bash` (and
//! `COMPLETE=bash tether`) prints is sourced, and its completion function is called as bash
//! calls it on Tab; client ids and kinds come from the data directory (issue 14: "completions
//! don't complete client ids (`--client <Tab>`, `tether log <Tab>`)").
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

use std::path::{Path, PathBuf};
use std::process::Command;

const IDS: [&str; 5] = ["kanda", "sakura", "infosol", "brandt", "nortec"];

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example")
}

/// What bash offers for `words` (the last being the word under the cursor), with the
/// registration `register` (a shell command printing it) sourced and $TETHER_DIR = `env_dir`.
fn offered(register: &str, env_dir: &Path, words: &[&str]) -> Vec<String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_tether"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = format!(
        r#"set -u
source <({register}) || exit 3
complete -p tether >/dev/null || exit 4
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
func=$(complete -p tether | sed -n 's/.*-F \([^ ]*\).*/\1/p')
prev=""
[ $# -ge 2 ] && prev="${{COMP_WORDS[$COMP_CWORD-1]}}"
"$func" tether "${{COMP_WORDS[$COMP_CWORD]}}" "$prev"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script, "bash"])
        .args(words)
        .env("PATH", path)
        .env("TETHER_DIR", env_dir)
        .env_remove("COMPLETE")
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "bash failed ({:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn has_all(got: &[String], want: &[&str]) {
    for w in want {
        assert!(got.iter().any(|g| g == w), "{w} not offered in {got:?}");
    }
}

#[test]
fn log_and_client_complete_client_ids() {
    let dir = example();
    for register in ["tether completions bash", "COMPLETE=bash tether"] {
        let got = offered(register, &dir, &["tether", "log", ""]);
        has_all(&got, &IDS);
        let got = offered(register, &dir, &["tether", "log", "ka"]);
        assert_eq!(got, ["kanda"], "{register}");
        let got = offered(
            register,
            &dir,
            &["tether", "add", "followup", "Send quote", "--client", ""],
        );
        has_all(&got, &IDS);
        let got = offered(
            register,
            &dir,
            &["tether", "add", "deadline", "Report", "--client", "b"],
        );
        assert_eq!(got, ["brandt"], "{register}");
    }
}

/// `tether track start|add` (issue 17): the open deadlines' ids, then the client ids.
#[test]
fn track_completes_deadline_and_client_ids() {
    let dir = example();
    let got = offered(
        "tether completions bash",
        &dir,
        &["tether", "track", "start", ""],
    );
    has_all(&got, &["d-7f3a2c", "d-51b0e9"]);
    has_all(&got, &IDS);
    let got = offered(
        "tether completions bash",
        &dir,
        &["tether", "track", "add", "1h", "d-7"],
    );
    assert_eq!(got, ["d-7f3a2c"]);
}

#[test]
fn log_completes_kinds_after_the_client() {
    let got = offered(
        "tether completions bash",
        &example(),
        &["tether", "log", "kanda", ""],
    );
    has_all(&got, &["call", "email", "visit", "meeting"]);
    let got = offered(
        "tether completions bash",
        &example(),
        &["tether", "log", "kanda", "vi"],
    );
    assert_eq!(got, ["video", "visit"]);
}

#[test]
fn ids_come_from_the_data_directory_the_line_names() {
    let empty = tempfile::tempdir().unwrap();
    // $TETHER_DIR has no client: none offered.
    let got = offered(
        "tether completions bash",
        empty.path(),
        &["tether", "log", "ka"],
    );
    assert!(got.is_empty(), "{got:?}");
    // --data-dir on the line wins over $TETHER_DIR, as it does when the command runs.
    let ex = example();
    let ex = ex.to_str().unwrap();
    for line in [
        &["tether", "--data-dir", ex, "log", "ka"][..],
        &["tether", "log", &format!("--data-dir={ex}"), "ka"],
    ] {
        let got = offered("tether completions bash", empty.path(), line);
        assert_eq!(got, ["kanda"], "{line:?}");
    }
}
