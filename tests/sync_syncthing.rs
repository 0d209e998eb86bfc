//! Two real Syncthing instances on loopback (their own homes and ports, no discovery, no
//! relays), sharing one data folder: both replicas edited while the instances are stopped, then
//! started again; Syncthing keeps one version and makes a conflict copy of the other, and
//! `tether resolve` folds the copy in, after which both replicas converge to the same records
//! with nothing lost. Issue 15: "a Syncthing conflict copy is ignored, and the user must merge
//! by hand". Without syncthing: SKIPPED, unless TETHER_REQUIRE_E2E=1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is its failure report

#[path = "support/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-25T09:30:00+10:00";
const PATIENCE: Duration = Duration::from_secs(120);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Instance {
    home: PathBuf,
    child: Option<Child>,
}

impl Instance {
    fn start(&mut self, tmp: &Path) {
        let log = std::fs::File::create(self.home.join("log")).unwrap();
        let child = Command::new("syncthing")
            .args(["serve", "--no-browser", "--no-restart", "--no-upgrade"])
            .arg(format!("--home={}", self.home.display()))
            .env("HOME", tmp)
            .env("STNORESTART", "1")
            .env("STNOUPGRADE", "1")
            .env("STTRACE", std::env::var("STTRACE").unwrap_or_default())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = rustix::process::kill_process(
                rustix::process::Pid::from_child(&c),
                rustix::process::Signal::TERM,
            );
            let _ = c.wait();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A Syncthing home for the folder `data`, listening on `port`, knowing the other device.
fn generate(tmp: &Path, name: &str) -> (PathBuf, String) {
    let home = tmp.join(format!("st-{name}"));
    let out = Command::new("syncthing")
        .args(["generate", "--no-default-folder", "--skip-port-probing"])
        .arg(format!("--home={}", home.display()))
        .env("HOME", tmp)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let id = text
        .lines()
        .find_map(|l| l.split("Device ID: ").nth(1))
        .unwrap_or_else(|| panic!("no device id in {text}"))
        .trim()
        .to_string();
    (home, id)
}

fn configure(home: &Path, data: &Path, port: u16, mine: &str, other: (&str, u16)) {
    let path = home.join("config.xml");
    let mut c = std::fs::read_to_string(&path).unwrap();
    for (from, to) in [
        (
            "<listenAddress>default</listenAddress>".to_string(),
            format!("<listenAddress>tcp://127.0.0.1:{port}</listenAddress>"),
        ),
        (
            "<globalAnnounceEnabled>true".into(),
            "<globalAnnounceEnabled>false".into(),
        ),
        (
            "<localAnnounceEnabled>true".into(),
            "<localAnnounceEnabled>false".into(),
        ),
        ("<relaysEnabled>true".into(), "<relaysEnabled>false".into()),
        ("<natEnabled>true".into(), "<natEnabled>false".into()),
        ("<startBrowser>true".into(), "<startBrowser>false".into()),
        ("<urAccepted>0".into(), "<urAccepted>-1".into()),
        (
            "<crashReportingEnabled>true".into(),
            "<crashReportingEnabled>false".into(),
        ),
        (
            "<autoUpgradeIntervalH>12".into(),
            "<autoUpgradeIntervalH>0".into(),
        ),
        (
            "<gui enabled=\"true\"".into(),
            "<gui enabled=\"false\"".into(),
        ),
    ] {
        assert!(c.contains(&from), "{from} not in config.xml");
        c = c.replacen(&from, &to, 1);
    }
    let (other_id, other_port) = other;
    let shared = format!(
        "    <folder id=\"tether\" label=\"tether\" path=\"{}\" type=\"sendreceive\" rescanIntervalS=\"2\" fsWatcherEnabled=\"true\" fsWatcherDelayS=\"1\" ignorePerms=\"false\" autoNormalize=\"true\">\n        <device id=\"{mine}\" introducedBy=\"\"></device>\n        <device id=\"{other_id}\" introducedBy=\"\"></device>\n        <maxConflicts>10</maxConflicts>\n    </folder>\n    <device id=\"{other_id}\" name=\"other\" compression=\"metadata\" introducer=\"false\" skipIntroductionRemovals=\"false\" introducedBy=\"\">\n        <address>tcp://127.0.0.1:{other_port}</address>\n    </device>\n",
        data.display()
    );
    let at = c.find("    <gui ").unwrap();
    c.insert_str(at, &shared);
    std::fs::write(&path, c).unwrap();
}

fn tether(tmp: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tether"))
        .env("HOME", tmp)
        .env_remove("TETHER_DIR")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", NOW])
        .args(args)
        .output()
        .unwrap()
}

fn wait_for(what: &str, homes: &[&Path], mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > PATIENCE {
            let logs: Vec<String> = homes
                .iter()
                .map(|h| std::fs::read_to_string(h.join("log")).unwrap_or_default())
                .collect();
            panic!(
                "timed out waiting for {what}; logs:\n{}",
                logs.join("\n----\n")
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn copies(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("followups.sync-conflict-"))
        .collect()
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// Change the record `id` of followups.jsonl as a hand edit would.
fn edit(dir: &Path, id: &str, from: &str, to: &str) {
    let p = dir.join("followups.jsonl");
    let text = std::fs::read_to_string(&p).unwrap();
    let out: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.contains(&format!("\"id\":\"{id}\"")) {
                l.replacen(from, to, 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_ne!(out, text);
    std::fs::write(&p, out).unwrap();
}

#[test]
fn a_conflict_copy_is_resolved_and_both_replicas_converge() {
    if !tools::tools(&["syncthing"]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let (a, b) = (t.join("desk"), t.join("laptop"));
    tether::store::example::write_example(&a).unwrap();
    assert!(tether(t, &a, &["sync", "init"]).status.success());
    std::fs::create_dir_all(&b).unwrap();
    for e in std::fs::read_dir(&a).unwrap().filter_map(Result::ok) {
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), b.join(e.file_name())).unwrap();
        }
    }
    for d in [&a, &b] {
        std::fs::create_dir_all(d.join(".stfolder")).unwrap();
    }
    let (ha, ida) = generate(t, "desk");
    let (hb, idb) = generate(t, "laptop");
    let (pa, pb) = (free_port(), free_port());
    configure(&ha, &a, pa, &ida, (&idb, pb));
    configure(&hb, &b, pb, &idb, (&ida, pa));
    let mut sa = Instance {
        home: ha.clone(),
        child: None,
    };
    let mut sb = Instance {
        home: hb.clone(),
        child: None,
    };
    sa.start(t);
    sb.start(t);
    let homes = [ha.as_path(), hb.as_path()];
    // Connected and syncing: a file made on the desk reaches the laptop.
    std::fs::write(a.join("probe.txt"), "hello").unwrap();
    wait_for("the first sync", &homes, || b.join("probe.txt").exists());
    sa.stop();
    sb.stop();

    // Both machines work offline: each adds a follow-up and changes Kanda's quote.
    assert!(
        tether(
            t,
            &a,
            &[
                "add",
                "followup",
                "Invoice from the desk",
                "--client",
                "kanda"
            ]
        )
        .status
        .success()
    );
    edit(&a, "f-19c2aa", "\"status\":\"open\"", "\"status\":\"done\"");
    assert!(
        tether(
            t,
            &b,
            &[
                "add",
                "followup",
                "Train from the laptop",
                "--client",
                "brandt"
            ]
        )
        .status
        .success()
    );
    edit(
        &b,
        "f-19c2aa",
        "\"status\":\"open\"",
        "\"status\":\"open\",\"snoozed_until\":\"2026-11-26T09:00:00+10:00\"",
    );
    sa.start(t);
    sb.start(t);
    wait_for("a conflict copy on both machines", &homes, || {
        !copies(&a).is_empty() && !copies(&b).is_empty()
    });
    let said = tether(t, &a, &["check"]);
    let said =
        String::from_utf8_lossy(&said.stdout).to_string() + &String::from_utf8_lossy(&said.stderr);
    assert!(
        said.contains("a Syncthing conflict copy of followups.jsonl"),
        "{said}"
    );

    let resolved = tether(t, &a, &["resolve"]);
    assert!(
        resolved.status.success(),
        "{}",
        String::from_utf8_lossy(&resolved.stderr)
    );
    let merged = read(a.join("followups.jsonl"));
    assert!(
        merged.contains("Invoice from the desk") && merged.contains("Train from the laptop"),
        "{merged}"
    );
    let quote = merged
        .lines()
        .find(|l| l.contains("f-19c2aa"))
        .unwrap()
        .to_string();
    assert!(
        quote.contains("\"status\":\"done\"") && quote.contains("snoozed_until"),
        "{quote}"
    );
    wait_for("both replicas to converge", &homes, || {
        copies(&a).is_empty()
            && copies(&b).is_empty()
            && read(b.join("followups.jsonl")) == read(a.join("followups.jsonl"))
    });
    // A conflict copy has no common base, so the status the two hold differently (done on the
    // desk, open on the laptop) is kept once — closed — and the other named, on both machines.
    let v: serde_json::Value = serde_json::from_str(&quote).unwrap();
    assert_eq!(v["merge_conflict"]["status"], "open", "{quote}");
    let n = merged.lines().position(|l| l.contains("f-19c2aa")).unwrap() + 1;
    for d in [&a, &b] {
        let c = tether(t, d, &["check"]);
        let s =
            String::from_utf8_lossy(&c.stdout).to_string() + &String::from_utf8_lossy(&c.stderr);
        assert!(
            c.status.success()
                && s.contains(&format!("followups.jsonl:{n}: warning: merge conflict"))
                && s.contains("1 problem (1 warning)"),
            "{s}"
        );
    }
    sa.stop();
    sb.stop();
}
