//! Issue 18: "a follow-up appears when an occasion's lead time starts and closes when a `gift`
//! contact is logged". The real binary: `tether notify --once` writes the season's follow-up
//! once, and closes it when a gift is logged; a Kantō and a Kansai client get theirs on their
//! own dates.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;

#[path = "support/cli.rs"]
mod cli;
use std::path::Path;

const CONFIG: &str = r#"[me]
zone = "Australia/Brisbane"

[alerts]
enabled = false

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
country = "JP"

[[clients]]
id = "naniwa"
name = "Naniwa Shoji"
zone = "Asia/Tokyo"
country = "JP"
gift_area = "kansai"
"#;

fn tether(dir: &Path, now: &str, args: &[&str]) -> String {
    cli::tether_at(dir, now, args)
}

fn followups(dir: &Path) -> Vec<serde_json::Value> {
    cli::records(dir, "followups.jsonl")
}

#[test]
fn the_season_writes_its_follow_up_once_and_a_logged_gift_closes_it() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    // 20 June 2027: neither summer season's lead time has started (Kantō's starts 21 June).
    tether(dir, "2027-06-20T10:00:00+10:00", &["notify", "--once"]);
    assert!(followups(dir).is_empty());
    // 22 June: Kantō's has; Kansai's (15 July - 15 August) has not.
    let out = tether(dir, "2027-06-22T10:00:00+10:00", &["notify", "--once"]);
    assert!(out.contains("follow-up added: Order the ochūgen (summer gift) for Kanda Trading KK (deliver 1 Jul–15 Jul)"), "{out}");
    let f = followups(dir);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["client"], "kanda");
    assert_eq!(f[0]["due"], "2027-07-05");
    // Again: nothing more.
    tether(dir, "2027-06-23T10:00:00+10:00", &["notify", "--once"]);
    assert_eq!(followups(dir).len(), 1);
    // The gift is logged: the next pass closes the follow-up.
    tether(
        dir,
        "2027-06-25T10:00:00+10:00",
        &["log", "kanda", "gift", "Bundaberg ginger beer, a case"],
    );
    let out = tether(dir, "2027-06-25T11:00:00+10:00", &["notify", "--once"]);
    assert!(out.contains("follow-up done (gift logged)"), "{out}");
    let f = followups(dir);
    assert_eq!(f[0]["status"], "done");
    // Kansai's comes in its own time.
    tether(dir, "2027-07-06T10:00:00+10:00", &["notify", "--once"]);
    let f = followups(dir);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[1]["client"], "naniwa");
    assert_eq!(f[1]["due"], "2027-08-05");
    // tether check reads it all without a word.
    let out = Command::cargo_bin("tether")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.contains("no problems"),
        "{said}"
    );
}
