//! Desktop alerts over a real D-Bus: the real `tether notify --once` binary against a private
//! session bus with a real notification server (dunst on Xvfb), against no bus at all, and
//! against a server that owns the name but never answers.
//!
//! Tools missing (dbus-run-session, dbus-monitor, dunst, xvfb-run, xauth; python3 for the silent
//! server): the test prints `SKIPPED: …` and passes, unless `TETHER_REQUIRE_E2E=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "support/tools.rs"]
mod tools;
use tools::tools;

const NOW: &str = "2026-11-26T09:30:00+10:00";
const SUMMARY: &str = "At risk: Q3 market survey report (Kanda Trading KK)";

fn tether() -> &'static str {
    env!("CARGO_BIN_EXE_tether")
}

/// A data directory with one deadline that is at risk at NOW: 10 h of work, 8 h 30 m of hours.
fn data_dir(root: &Path) -> PathBuf {
    let dir = root.join("data");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tether.toml"),
        r#"[me]
name = "Aiko"
zone = "Australia/Brisbane"
work_hours = "09:00-17:00"

[[clients]]
id = "kanda"
name = "Kanda Trading KK"
zone = "Asia/Tokyo"
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("deadlines.jsonl"),
        r#"{"id":"d-7f3a2c","client":"kanda","title":"Q3 market survey report","due":"2026-11-27T09:00","estimate":"14h","spent":"4h"}
"#,
    )
    .unwrap();
    dir
}

/// Run with a hard limit so a hang fails the test instead of blocking the suite.
fn run(mut cmd: Command, limit: Duration) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "still running after {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = start.elapsed();
    (child.wait_with_output().expect("output"), elapsed)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn real_notification_server_gets_exactly_one_notify() {
    if !tools(&[
        "dbus-run-session",
        "dbus-monitor",
        "dunst",
        "xvfb-run",
        "xauth",
        "Xvfb",
    ]) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let w = root.path();
    // The bus starts dunst (D-Bus activation) on the first notification, on Xvfb's display.
    let script = r#"
dbus-monitor "type=method_call,interface=org.freedesktop.Notifications,member=Notify" > "$W/mon.log" 2>&1 & M=$!
sleep 0.5
"$TETHER" notify --once --data-dir "$DATA" --now "$NOW" > "$W/out1" 2> "$W/err1"; echo $? > "$W/rc1"
"$TETHER" notify --once --data-dir "$DATA" --now "$NOW" > "$W/out2" 2> "$W/err2"; echo $? > "$W/rc2"
sleep 0.5
kill $M
"#;
    let mut cmd = Command::new("xvfb-run");
    cmd.args(["-a", "dbus-run-session", "--", "sh", "-c", script])
        .env("W", w)
        .env("TETHER", tether())
        .env("DATA", &data)
        .env("NOW", NOW)
        .env_remove("TETHER_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let (out, _) = run(cmd, Duration::from_secs(60));
    let mon = read(&w.join("mon.log"));
    let ctx = format!(
        "status {:?}\nstderr {}\nerr1 {}\nerr2 {}\nmonitor:\n{mon}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        read(&w.join("err1")),
        read(&w.join("err2"))
    );
    assert_eq!(read(&w.join("rc1")).trim(), "0", "{ctx}");
    assert_eq!(read(&w.join("rc2")).trim(), "0", "{ctx}");
    let calls = mon.matches("member=Notify").count();
    assert_eq!(calls, 1, "exactly one Notify call\n{ctx}");
    assert!(mon.contains(&format!("string \"{SUMMARY}\"")), "{ctx}");
    assert!(mon.contains("string \"tether\""), "app name\n{ctx}");
    assert!(
        mon.contains("string \"urgency\"") && mon.contains("byte 2"),
        "critical urgency\n{ctx}"
    );
    // First run: one line on stdout, the alert; second run: nothing.
    let out1 = read(&w.join("out1"));
    assert_eq!(out1.lines().count(), 1, "{ctx}");
    assert!(out1.starts_with(SUMMARY), "{out1}");
    assert!(
        out1.contains(
            "Due Fri 27 Nov 09:00 JST = 10:00 AEST · needs 10h, you have 8h 30m of working time"
        ),
        "{out1}"
    );
    assert_eq!(read(&w.join("out2")), "", "{ctx}");
    let record = read(&data.join(".tether/alerts.jsonl"));
    assert_eq!(record.lines().count(), 1, "{record}");
    assert!(record.contains("\"key\":\"id:d-7f3a2c\""), "{record}");
}

/// Issue 13: a title, a client name and a person holding markup and terminal controls (as a sync
/// or a calendar import may bring) go out on the real bus as text: no tag, no control character.
#[test]
fn markup_and_controls_from_the_data_go_out_as_text() {
    if !tools(&[
        "dbus-run-session",
        "dbus-monitor",
        "dunst",
        "xvfb-run",
        "xauth",
        "Xvfb",
    ]) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let toml = read(&data.join("tether.toml")).replace(
        "name = \"Kanda Trading KK\"",
        "name = \"Kanda <a href='http://evil.example'>KK</a>\\u001b]52;c;aGk=\\u0007\"",
    );
    std::fs::write(data.join("tether.toml"), toml).unwrap();
    std::fs::write(
        data.join("deadlines.jsonl"),
        r#"{"id":"d-7f3a2c","client":"kanda","title":"<b>Q3</b> <img src=\"/tmp/x.png\"/> R&D\u001b[2J\r","due":"2026-11-27T09:00","estimate":"14h","spent":"4h"}
"#,
    )
    .unwrap();
    std::fs::write(
        data.join("followups.jsonl"),
        r#"{"id":"f-1","client":"kanda","what":"Call\u009b31m","who":"<u>Sato</u>\u0007","due":"2026-11-26T08:00"}
"#,
    )
    .unwrap();
    let w = root.path();
    let script = r#"
dbus-monitor "type=method_call,interface=org.freedesktop.Notifications,member=Notify" > "$W/mon.log" 2>&1 & M=$!
sleep 0.5
"$TETHER" notify --once --data-dir "$DATA" --now "$NOW" > "$W/out1" 2> "$W/err1"; echo $? > "$W/rc1"
sleep 0.5
kill $M
"#;
    let mut cmd = Command::new("xvfb-run");
    cmd.args(["-a", "dbus-run-session", "--", "sh", "-c", script])
        .env("W", w)
        .env("TETHER", tether())
        .env("DATA", &data)
        .env("NOW", NOW)
        .env_remove("TETHER_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let (out, _) = run(cmd, Duration::from_secs(60));
    let mon = read(&w.join("mon.log"));
    let out1 = read(&w.join("out1"));
    let ctx = format!(
        "status {:?}\nstderr {}\nerr1 {}\nout1 {out1:?}\nmonitor:\n{mon}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        read(&w.join("err1")),
    );
    assert_eq!(read(&w.join("rc1")).trim(), "0", "{ctx}");
    assert_eq!(mon.matches("member=Notify").count(), 2, "{ctx}");
    assert!(
        mon.contains("string \"At risk: ‹b›Q3‹/b› ‹img src=\"/tmp/x.png\"/› R&D[2J"),
        "{ctx}"
    );
    assert!(mon.contains("&lt;u&gt;Sato&lt;/u&gt;"), "{ctx}");
    for tag in ["<b>", "<a ", "<img", "<u>"] {
        assert!(!mon.contains(tag), "{tag} on the bus\n{ctx}");
    }
    assert!(
        !mon.chars().any(|c| c.is_control() && c != '\n'),
        "a control character on the bus\n{ctx}"
    );
    assert!(
        !out1.chars().any(|c| c.is_control() && c != '\n'),
        "a control character on stdout\n{ctx}"
    );
}

fn assert_not_recorded(data: &Path) {
    let record = read(&data.join(".tether/alerts.jsonl"));
    assert_eq!(record, "", "nothing may be recorded as sent");
}

#[test]
fn no_bus_at_all_warns_on_one_line_and_records_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    for (addr, reason) in [
        (
            Some("unix:path=/nonexistent"),
            "no D-Bus session bus (nothing listens at unix:path=/nonexistent)",
        ),
        (
            None,
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)",
        ),
    ] {
        let mut cmd = Command::new(tether());
        cmd.args(["notify", "--once", "--now", NOW, "--data-dir"])
            .arg(&data)
            .env_remove("TETHER_DIR")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("XDG_RUNTIME_DIR");
        match addr {
            Some(a) => cmd.env("DBUS_SESSION_BUS_ADDRESS", a),
            None => cmd.env_remove("DBUS_SESSION_BUS_ADDRESS"),
        };
        let (out, elapsed) = run(cmd, Duration::from_secs(20));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
        assert_eq!(
            stderr,
            format!("tether: desktop alerts unavailable: {reason}; 1 alert not sent\n")
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "");
        assert_not_recorded(&data);
    }
}

#[test]
fn silent_server_times_out_instead_of_hanging() {
    if !tools(&["dbus-run-session", "python3"]) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let w = root.path();
    let helper = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alerts_blackhole.py");
    // The helper owns org.freedesktop.Notifications and never replies.
    let script = r#"
python3 "$HELPER" "$W/ready" 2> "$W/helper.err" & B=$!
i=0; while [ ! -e "$W/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
[ -e "$W/ready" ] || { echo "helper not ready" >&2; kill $B; exit 9; }
start=$(date +%s%N)
"$TETHER" notify --once --data-dir "$DATA" --now "$NOW" > "$W/out" 2> "$W/err"; echo $? > "$W/rc"
end=$(date +%s%N)
echo $(( (end - start) / 1000000 )) > "$W/ms"
kill $B
"#;
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", script])
        .env("W", w)
        .env("HELPER", &helper)
        .env("TETHER", tether())
        .env("DATA", &data)
        .env("NOW", NOW)
        .env_remove("TETHER_DIR")
        .env_remove("DISPLAY")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    let (out, _) = run(cmd, Duration::from_secs(60));
    let ctx = format!(
        "status {:?}\nstderr {}\nhelper {}\nerr {}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        read(&w.join("helper.err")),
        read(&w.join("err"))
    );
    assert_eq!(read(&w.join("rc")).trim(), "3", "{ctx}");
    assert_eq!(
        read(&w.join("err")),
        "tether: desktop alerts unavailable: the notification server did not answer within 3s; 1 alert not sent\n",
        "{ctx}"
    );
    let ms: u64 = read(&w.join("ms")).trim().parse().unwrap_or(u64::MAX);
    assert!((2_500..10_000).contains(&ms), "took {ms} ms\n{ctx}");
    assert_eq!(read(&w.join("out")), "");
    assert_not_recorded(&data);
}
