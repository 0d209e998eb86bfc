//! Three Tokyo clients with different hours and holidays: each has its own clock row, status,
//! overlap and send window, and `tether status` (the real binary) names the same ones open and
//! opening next as the clock pane, at every hour of a day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;
use chrono::{DateTime, Duration, TimeZone, Utc};
use tether::domain::clocks::{
    BusinessStatus, SendWindow, business_status, ceil_minute, clock_rows, overlap_today,
    send_window,
};
use tether::domain::model::Config;
use tether::domain::time::format_duration;
use tether::store::config::parse_config;

const TOML: &str = r#"
[me]
name = "Aiko Tanaka"
zone = "Australia/Brisbane"
work_hours = "08:30-17:30"

[[clients]]
id = "kanda"
name = "Kanda Trading"
zone = "Asia/Tokyo"
city = "Tokyo"
hours = "09:00-18:00"
holidays = ["2026-11-23"]

[[clients]]
id = "sakura"
name = "Sakura Research"
zone = "Asia/Tokyo"
city = "Tokyo"
hours = "09:30-18:30"

[[clients]]
id = "yoru"
name = "Yoru Games"
zone = "Asia/Tokyo"
city = "Tokyo"
hours = "13:00-22:00"
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
holidays = ["2026-11-24"]
"#;

fn config() -> Config {
    let (cfg, diags) = parse_config(TOML);
    assert!(diags.is_empty(), "{diags:?}");
    cfg
}

fn status_line(dir: &std::path::Path, now: DateTime<Utc>) -> String {
    let out = Command::cargo_bin("tether")
        .expect("binary")
        .env_remove("TETHER_DIR")
        .env_remove("TETHER_STATUS_FORMAT")
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(dir)
        .args(["--now", &now.to_rfc3339()])
        .args(["status", "-f", "[{open_now}] [{next_open}]"])
        .output()
        .expect("run tether");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
fn each_tokyo_client_has_its_own_row() {
    let cfg = config();
    // Mon 23 Nov 2026, 10:00 in Tokyo: kanda's holiday, sakura open, yoru opens at 13:00.
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
    let rows = clock_rows(&cfg, now);
    let tokyo: Vec<_> = rows.iter().filter(|r| r.client_id().is_some()).collect();
    let labels: Vec<&str> = tokyo.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Tokyo (kanda)", "Tokyo (sakura)", "Tokyo (yoru)"]);
    assert_eq!(
        tokyo[0].status.unwrap().describe_in(chrono_tz::Asia::Tokyo),
        "holiday · opens Tue 09:00"
    );
    assert!(tokyo[1].status.unwrap().is_open());
    assert_eq!(tokyo[2].status.unwrap().describe(), "closed · opens in 3h");
    // Each overlap is the row's own client's: kanda none (holiday), sakura from 09:30 JST
    // (00:30Z), yoru from 13:00 JST (04:00Z), all until your 17:30 (07:30Z).
    let day = |h, m| Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap();
    let spans: Vec<Vec<(DateTime<Utc>, DateTime<Utc>)>> = tokyo
        .iter()
        .map(|r| r.overlap.iter().map(|o| (o.start, o.end)).collect())
        .collect();
    assert_eq!(
        spans,
        vec![
            vec![],
            vec![(day(0, 30), day(7, 30))],
            vec![(day(4, 0), day(7, 30))]
        ]
    );
}

#[test]
fn rows_status_and_send_windows_agree_all_day() {
    let cfg = config();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tether.toml"), TOML).unwrap();
    // Every two hours from Mon 23 Nov 00:00 JST, through kanda's holiday and yoru's.
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 15, 0, 0).unwrap();
    for step in 0..24 {
        let now = start + Duration::hours(2 * step) + Duration::minutes(7);
        let rows = clock_rows(&cfg, now);
        let client_rows: Vec<_> = rows.iter().filter(|r| r.client_id().is_some()).collect();
        for row in &client_rows {
            let status = row.status.unwrap();
            if let Some(id) = row.client_id() {
                let c = cfg.client(id).unwrap();
                // The row's status and overlap are each client's own.
                assert_eq!(business_status(c, now), status, "{id} at {now}");
                assert_eq!(overlap_today(&cfg.me, c, now), row.overlap, "{id} at {now}");
                // The send window (follow-ups pane and alerts) says the same.
                let window = send_window(c, now);
                match status {
                    BusinessStatus::Open { closes_at, .. } => {
                        assert_eq!(window, SendWindow::OpenNow { closes_at });
                    }
                    _ => assert_eq!(
                        status
                            .opens_at()
                            .map(|opens_at| SendWindow::Next { opens_at }),
                        Some(window),
                        "{id} at {now}"
                    ),
                }
            }
        }
        // `tether status` names the open rows, and the row opening soonest.
        let open: Vec<&str> = client_rows
            .iter()
            .filter(|r| r.status.unwrap().is_open())
            .map(|r| r.label.as_str())
            .collect();
        let next = client_rows
            .iter()
            .filter_map(|r| {
                r.status
                    .unwrap()
                    .opens_at()
                    .map(|at| (at, r.label.as_str()))
            })
            .min_by_key(|(at, _)| *at)
            .map(|(at, label)| format!("{label} opens {}", format_duration(ceil_minute(at - now))))
            .unwrap_or_default();
        assert_eq!(
            status_line(dir.path(), now),
            format!("[{}] [{next}]", open.join(", ")),
            "at {now}"
        );
    }
}
