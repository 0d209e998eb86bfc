//! Issue 17: "a payment schedule (invoice on a milestone or on a day of the month, payment terms
//! such as "30d", currency as an ISO 4217 code, amounts as integer minor units). The board shows
//! … invoices to send, and payments overdue; alerts for an invoice to send and a payment
//! overdue". The real binary: `tether notify --once` writes each invoice to send once (when its
//! milestone is done, or on the invoice day), then its payment once the invoice is marked sent,
//! due after the terms; `tether agenda` gathers them; the dates and sums below are worked out by
//! hand from the contract, not by tether.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

use assert_cmd::Command;

#[path = "support/cli.rs"]
mod cli;
use std::path::Path;
use tether_core::domain::milestone::deadline_id;

const CONFIG: &str = r#"[me]
zone = "Australia/Brisbane"

[alerts]
enabled = false

[[clients]]
id = "nortec"
name = "Nortec Logística"
zone = "America/Sao_Paulo"

[clients.billing]
terms = "30d"
currency = "BRL"

[[clients.milestones]]
name = "Failover test signed off"
due = "2026-12-11"
amount = 480000

[[clients.milestones]]
name = "Runbook"
due = "2027-02-01"

[[clients]]
id = "sakura"
name = "Sakura Honyaku"
zone = "Asia/Tokyo"

[clients.billing]
invoice = "month on 25"
starts = "2026-11-01"
terms = "net 14"
currency = "JPY"
amount = 450_000

[[clients.milestones]]
name = "Glossary"
due = "2026-12-10"
amount = 200_000

[[clients]]
id = "demo"
name = "Example Ltd"
zone = "Europe/Berlin"
example = true

[clients.billing]
invoice = "month on 1"
starts = "2026-01-01"
amount = 100
currency = "EUR"
"#;

fn tether(dir: &Path, now: &str, args: &[&str]) -> String {
    cli::tether_at(dir, now, args)
}

fn lines(dir: &Path, file: &str) -> Vec<serde_json::Value> {
    cli::records(dir, file)
}

/// A hand edit (as `x` in the dashboard writes it): the record with `id` done at `at`.
fn mark_done(dir: &Path, file: &str, id: &str, at: &str) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let mut out = String::new();
    for l in text.lines() {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        if v["id"] == id {
            v["status"] = "done".into();
            v["done_at"] = at.into();
        }
        out.push_str(&serde_json::to_string(&v).unwrap());
        out.push('\n');
    }
    std::fs::write(dir.join(file), out).unwrap();
}

/// The deadline line of `client`'s milestone `name`, due on `due` and done at `done_at`.
fn done_milestone(client: &str, name: &str, due: &str, done_at: &str) -> String {
    let id = deadline_id(client, name);
    format!(
        "{{\"id\":\"{id}\",\"client\":\"{client}\",\"title\":\"{name}\",\"due\":\"{due}\",\"status\":\"done\",\"done_at\":\"{done_at}\"}}\n"
    )
}

fn bills<'a>(f: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    f.iter().filter(|v| v["bill"] == kind).collect()
}

#[test]
fn a_done_milestone_asks_for_its_invoice_and_a_sent_invoice_for_its_payment() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    let ms = deadline_id("nortec", "Failover test signed off");
    std::fs::write(
        dir.join("deadlines.jsonl"),
        format!(
            "{{\"id\":\"{ms}\",\"client\":\"nortec\",\"title\":\"Failover test signed off\",\"due\":\"2026-12-11\"}}\n"
        ),
    )
    .unwrap();
    // 9 Dec: the milestone is not done; Sakura's first invoice day (25 Nov) has passed.
    let out = tether(dir, "2026-12-09T10:00:00+10:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    assert_eq!(bills(&f, "invoice").len(), 1, "{f:?}");
    assert_eq!(f[0]["client"], "sakura");
    assert_eq!(f[0]["what"], "Send invoice: Nov 2026 · JPY 450,000");
    assert_eq!(f[0]["amount"], 450_000);
    assert_eq!(f[0]["currency"], "JPY");
    // Due on 25 Nov (Tokyo) but written on 9 Dec: to send today, not already overdue.
    assert_eq!(f[0]["due"], "2026-12-09");
    assert!(
        out.contains("follow-up added: Send invoice: Nov 2026"),
        "{out}"
    );
    // The milestone is delivered on 11 Dec (São Paulo): its invoice is asked for, once.
    mark_done(dir, "deadlines.jsonl", &ms, "2026-12-11T15:00:00-03:00");
    tether(dir, "2026-12-12T08:00:00+10:00", &["notify", "--once"]);
    tether(dir, "2026-12-12T09:00:00+10:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    let inv = bills(&f, "invoice");
    assert_eq!(inv.len(), 2, "{f:?}");
    assert_eq!(inv[1]["client"], "nortec");
    assert_eq!(
        inv[1]["what"],
        "Send invoice: Failover test signed off · BRL 4,800.00"
    );
    assert_eq!(inv[1]["amount"], 480_000);
    // Delivered 11 Dec in São Paulo, written 12 Dec in Brisbane: due today, yours.
    assert_eq!(inv[1]["due"], "2026-12-12");
    assert!(bills(&f, "payment").is_empty());
    // The agenda gathers them, with the totals per currency.
    let agenda = tether(dir, "2026-12-12T09:30:00+10:00", &["agenda"]);
    assert!(
        agenda.contains(
            "## Money\nInvoices to send (2) · JPY 450,000 + BRL 4,800.00\n\
             - Sakura Honyaku: Nov 2026 · JPY 450,000\n\
             - Nortec Logística: Failover test signed off · BRL 4,800.00\n"
        ),
        "{agenda}"
    );
    // The Nortec invoice is sent on Mon 14 Dec (their calendar): payment due 30 days on,
    // Wed 13 Jan 2027.
    let nortec_invoice = inv[1]["id"].as_str().unwrap().to_string();
    mark_done(
        dir,
        "followups.jsonl",
        &nortec_invoice,
        "2026-12-14T10:00:00-03:00",
    );
    tether(dir, "2026-12-15T08:00:00+10:00", &["notify", "--once"]);
    tether(dir, "2026-12-15T09:00:00+10:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    let pay = bills(&f, "payment");
    assert_eq!(pay.len(), 1, "{f:?}");
    assert_eq!(pay[0]["due"], "2027-01-13");
    assert_eq!(
        pay[0]["what"],
        "Payment: Failover test signed off · BRL 4,800.00, invoiced 14 Dec"
    );
    assert_eq!(pay[0]["amount"], 480_000);
    // Sakura's November invoice is sent on 15 Dec (Tokyo): net 14 is 29 Dec.
    let sakura_invoice = f[0]["id"].as_str().unwrap().to_string();
    mark_done(
        dir,
        "followups.jsonl",
        &sakura_invoice,
        "2026-12-15T11:00:00+09:00",
    );
    tether(dir, "2026-12-16T09:00:00+10:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    let pay = bills(&f, "payment");
    assert_eq!(pay.len(), 2, "{f:?}");
    assert_eq!(pay[1]["due"], "2026-12-29");
    // 20 Jan 2027: Nortec's payment is 7 days late (13 Jan), Sakura's 22 (29 Dec).
    let agenda = tether(dir, "2027-01-20T09:00:00+10:00", &["agenda"]);
    assert!(
        agenda.contains(
            "Payments overdue (2) · JPY 450,000 + BRL 4,800.00\n\
             - Sakura Honyaku: Nov 2026 · JPY 450,000, invoiced 15 Dec, due Tue 29 Dec · 22 days late\n\
             - Nortec Logística: Failover test signed off · BRL 4,800.00, invoiced 14 Dec, due Wed 13 Jan · 7 days late\n"
        ),
        "{agenda}"
    );
    // The example's made-up client never gets a bill; check reads everything without a word.
    assert!(f.iter().all(|v| v["client"] != "demo"), "{f:?}");
    let out = Command::cargo_bin("tether")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.contains("no problems"),
        "{said}"
    );
}

#[test]
fn milestones_done_in_a_period_join_its_invoice() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    // The glossary was delivered on 10 Dec (Tokyo), after the 25 Nov invoice day.
    std::fs::write(
        dir.join("deadlines.jsonl"),
        done_milestone(
            "sakura",
            "Glossary",
            "2026-12-10",
            "2026-12-10T17:00:00+09:00",
        ),
    )
    .unwrap();
    // 24 Dec in Tokyo: the last invoice day is still 25 Nov, which the glossary is not on.
    tether(dir, "2026-12-24T23:00:00+09:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    let sakura: Vec<_> = bills(&f, "invoice")
        .into_iter()
        .filter(|v| v["client"] == "sakura")
        .collect();
    assert_eq!(sakura.len(), 1, "{f:?}");
    assert_eq!(sakura[0]["what"], "Send invoice: Nov 2026 · JPY 450,000");
    // 00:30 on 25 Dec in Tokyo: the December invoice carries the fee and the glossary:
    // 450,000 + 200,000.
    tether(dir, "2026-12-25T00:30:00+09:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    let sakura: Vec<_> = bills(&f, "invoice")
        .into_iter()
        .filter(|v| v["client"] == "sakura")
        .collect();
    assert_eq!(sakura.len(), 2, "{f:?}");
    assert_eq!(
        sakura[1]["what"],
        "Send invoice: Dec 2026 + Glossary · JPY 650,000"
    );
    assert_eq!(sakura[1]["amount"], 650_000);
    assert_eq!(sakura[1]["due"], "2026-12-25");
}

/// A milestone priced in another currency than the billing's was added to the period's fee as
/// if it were the same money (EUR 1,500.00 became JPY 150,000 on the December invoice). Each
/// other currency now has an invoice of its own on the invoice day.
#[test]
fn a_milestone_in_another_currency_is_invoiced_on_its_own() {
    let tmp = cli::data_dir(&CONFIG.replace(
        "[[clients]]\nid = \"demo\"",
        "[[clients.milestones]]\nname = \"Style guide\"\ndue = \"2026-12-12\"\namount = 150_000\ncurrency = \"eur\"\n\n[[clients]]\nid = \"demo\"",
    ));
    let dir = tmp.path();
    let done = [("Glossary", "10"), ("Style guide", "12")]
        .map(|(name, day)| {
            done_milestone(
                "sakura",
                name,
                &format!("2026-12-{day}"),
                &format!("2026-12-{day}T17:00:00+09:00"),
            )
        })
        .concat();
    std::fs::write(dir.join("deadlines.jsonl"), done).unwrap();
    tether(dir, "2026-12-25T00:30:00+09:00", &["notify", "--once"]);
    let f = lines(dir, "followups.jsonl");
    let dec: Vec<_> = bills(&f, "invoice")
        .into_iter()
        .filter(|v| v["client"] == "sakura" && v["due"] == "2026-12-25")
        .collect();
    assert_eq!(dec.len(), 2, "{f:?}");
    // The fee and the glossary in yen: 450,000 + 200,000.
    assert_eq!(
        dec[0]["what"],
        "Send invoice: Dec 2026 + Glossary · JPY 650,000"
    );
    assert_eq!(dec[0]["amount"], 650_000);
    assert_eq!(dec[0]["currency"], "JPY");
    // The style guide in euros, in cents: 150,000 = EUR 1,500.00.
    assert_eq!(dec[1]["what"], "Send invoice: Style guide · EUR 1,500.00");
    assert_eq!(dec[1]["amount"], 150_000);
    assert_eq!(dec[1]["currency"], "EUR");
    assert_ne!(dec[0]["id"], dec[1]["id"]);
    // A second pass writes neither again.
    tether(dir, "2026-12-25T00:40:00+09:00", &["notify", "--once"]);
    assert_eq!(
        bills(&lines(dir, "followups.jsonl"), "invoice").len(),
        bills(&f, "invoice").len()
    );
}

#[test]
fn mistakes_in_the_billing_and_in_a_bill_line_are_named_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("tether.toml"),
        "[me]\nzone = \"Australia/Brisbane\"\n\n[[clients]]\nid = \"sakura\"\nzone = \"Asia/Tokyo\"\n\n\
         [clients.billing]\ninvoice = \"month on 25\"\nterms = \"30d\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("followups.jsonl"),
        "{\"client\":\"sakura\",\"what\":\"Send invoice: Nov\",\"bill\":\"invoice\",\"amount\":4500.5,\"currency\":\"JPY\"}\n\
         {\"client\":\"sakura\",\"what\":\"Payment: Nov\",\"bill\":\"paid\"}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("tether")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("tether.toml:9:") && said.contains("starts = "),
        "{said}"
    );
    assert!(
        said.contains("followups.jsonl:1:") && said.contains("\"amount\" must be a whole number"),
        "{said}"
    );
    assert!(
        said.contains("followups.jsonl:2:")
            && said.contains("\"bill\" must be \"invoice\" or \"payment\""),
        "{said}"
    );
}

/// The dashboard on `dir` at `now`, with `actions` applied.
fn app_at(
    dir: &Path,
    now: &str,
    actions: Vec<tether::app::action::Action>,
) -> tether::app::state::App {
    let now = chrono::DateTime::parse_from_rfc3339(now)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let mut app =
        tether::app::state::App::new(dir.to_path_buf(), tether::store::load::load_dir(dir), now);
    for a in actions {
        tether::app::update::update(&mut app, a);
    }
    app
}

/// A frame of `app` at 160×45, as text.
fn frame(app: &tether::app::state::App) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut term = Terminal::new(TestBackend::new(160, 45)).unwrap();
    let mut cache = tether::ui::ViewCache::default();
    term.draw(|f| tether::ui::draw_with(f, app, &mut cache, &tether::ui::theme::Theme::colour()))
        .unwrap();
    let buf = term.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// The follow-ups pane as text at 160×45 (the title row holds its counts).
fn screen(dir: &Path, now: &str) -> String {
    frame(&app_at(dir, now, Vec::new()))
}

#[test]
fn the_followups_pane_counts_invoices_to_send_and_late_payments() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    std::fs::write(
        dir.join("followups.jsonl"),
        "{\"id\":\"f-1\",\"client\":\"sakura\",\"what\":\"Send invoice: Nov 2026 · JPY 450,000\",\"due\":\"2026-11-25\",\"bill\":\"invoice\",\"amount\":450000,\"currency\":\"JPY\"}\n\
         {\"id\":\"f-2\",\"client\":\"nortec\",\"what\":\"Payment: Failover test signed off · BRL 4,800.00, invoiced 14 Dec\",\"due\":\"2027-01-13\",\"bill\":\"payment\",\"amount\":480000,\"currency\":\"BRL\"}\n\
         {\"id\":\"f-3\",\"client\":\"sakura\",\"what\":\"Payment: Oct 2026 · JPY 450,000, invoiced 26 Oct\",\"due\":\"2026-11-09\",\"bill\":\"payment\",\"amount\":450000,\"currency\":\"JPY\"}\n",
    )
    .unwrap();
    // 1 Dec: one invoice to send; one payment late (9 Nov), one not yet due (13 Jan).
    let s = screen(dir, "2026-12-01T10:00:00+10:00");
    assert!(s.contains(" 1 to invoice · 1 payment late "), "{s}");
    // Sent and paid: nothing to say.
    let text = std::fs::read_to_string(dir.join("followups.jsonl"))
        .unwrap()
        .replace(
            "\"bill\":\"invoice\"",
            "\"bill\":\"invoice\",\"status\":\"done\"",
        )
        .replace(
            "\"due\":\"2026-11-09\"",
            "\"due\":\"2026-11-09\",\"status\":\"done\"",
        );
    std::fs::write(dir.join("followups.jsonl"), text).unwrap();
    let s = screen(dir, "2026-12-01T10:00:00+10:00");
    assert!(
        !s.contains("to invoice") && !s.contains("payment late"),
        "{s}"
    );
}

#[test]
fn the_weekly_review_lists_the_invoices_sent_and_the_payments_received() {
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    // Week 2026-W51 in Brisbane: Mon 14 Dec 00:00 +10:00 to Mon 21 Dec 00:00 +10:00.
    std::fs::write(
        dir.join("followups.jsonl"),
        [
            // Sent Mon 14 Dec 10:00 in São Paulo = Mon 14 Dec 23:00 Brisbane: in the week.
            r#"{"id":"f-1","client":"nortec","what":"Send invoice: Failover test signed off · BRL 4,800.00","due":"2026-12-11","bill":"invoice","amount":480000,"currency":"BRL","status":"done","done_at":"2026-12-14T10:00:00-03:00"}"#,
            // Sent Tue 15 Dec in Tokyo: in the week.
            r#"{"id":"f-2","client":"sakura","what":"Send invoice: Nov 2026 · JPY 450,000","due":"2026-11-25","bill":"invoice","amount":450000,"currency":"JPY","status":"done","done_at":"2026-12-15T11:00:00+09:00"}"#,
            // Paid Sun 20 Dec 23:30 Brisbane: the week's last half hour.
            r#"{"id":"f-3","client":"sakura","what":"Payment: Oct 2026 · JPY 450,000, invoiced 26 Oct","due":"2026-11-09","bill":"payment","amount":450000,"currency":"JPY","status":"done","done_at":"2026-12-20T23:30:00+10:00"}"#,
            // Paid Sun 13 Dec 23:59 Brisbane: the week before.
            r#"{"id":"f-4","client":"sakura","what":"Payment: Sep 2026 · JPY 450,000, invoiced 25 Sep","due":"2026-10-09","bill":"payment","amount":450000,"currency":"JPY","status":"done","done_at":"2026-12-13T23:59:00+10:00"}"#,
            // Still open: not in the review.
            r#"{"id":"f-5","client":"nortec","what":"Payment: Failover test signed off · BRL 4,800.00, invoiced 14 Dec","due":"2027-01-13","bill":"payment","amount":480000,"currency":"BRL"}"#,
            // A plain follow-up done in the week: not money.
            r#"{"id":"f-6","client":"sakura","what":"Send glossary","status":"done","done_at":"2026-12-16T09:00:00+10:00"}"#,
        ]
        .join("\n")
            + "\n",
    )
    .unwrap();
    let now = "2026-12-21T09:00:00+10:00";
    let md = tether(dir, now, &["review", "--week", "2026-W51"]);
    assert!(
        md.contains(
            "## Invoices\n\n### Sent (2) · BRL 4,800.00 + JPY 450,000\n\
             - Mon 14 Dec: Failover test signed off · BRL 4,800.00 (Nortec Logística)\n\
             - Tue 15 Dec: Nov 2026 · JPY 450,000 (Sakura Honyaku)\n\n\
             ### Paid (1) · JPY 450,000\n\
             - Sun 20 Dec: Oct 2026 · JPY 450,000, invoiced 26 Oct (Sakura Honyaku)\n"
        ),
        "{md}"
    );
    // The JSON against a second pass over the file: done bill lines whose done_at falls in
    // the week, summed per currency.
    let json: serde_json::Value = serde_json::from_str(&tether(
        dir,
        now,
        &["review", "--week", "2026-W51", "--format", "json"],
    ))
    .unwrap();
    let from = chrono::DateTime::parse_from_rfc3339("2026-12-14T00:00:00+10:00").unwrap();
    let to = chrono::DateTime::parse_from_rfc3339("2026-12-21T00:00:00+10:00").unwrap();
    for (kind, key) in [("invoice", "sent"), ("payment", "paid")] {
        let mut want: Vec<(String, i64)> = lines(dir, "followups.jsonl")
            .iter()
            .filter(|v| v["bill"] == kind && v["status"] == "done")
            .filter(|v| {
                let at =
                    chrono::DateTime::parse_from_rfc3339(v["done_at"].as_str().unwrap()).unwrap();
                from <= at && at < to
            })
            .map(|v| {
                (
                    v["currency"].as_str().unwrap().to_string(),
                    v["amount"].as_i64().unwrap(),
                )
            })
            .collect();
        let mut got: Vec<(String, i64)> = json["invoices"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["currency"].as_str().unwrap().to_string(),
                    v["amount"].as_i64().unwrap(),
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{key}");
    }
}

/// A milestone's deadline says in its detail (Enter) that it is one, and what it brings in.
#[test]
fn a_milestones_deadline_says_so_in_its_detail() {
    use tether::app::action::{Action, Pane};
    let tmp = cli::data_dir(CONFIG);
    let dir = tmp.path();
    let ms = deadline_id("nortec", "Failover test signed off");
    std::fs::write(
        dir.join("deadlines.jsonl"),
        format!(
            "{{\"id\":\"{ms}\",\"client\":\"nortec\",\"title\":\"Failover test signed off\",\"due\":\"2026-12-11\",\"milestone\":true}}\n"
        ),
    )
    .unwrap();
    let app = app_at(
        dir,
        "2026-12-07T10:00:00+10:00",
        vec![Action::Focus(Pane::Deadlines), Action::Open],
    );
    let text = frame(&app);
    assert!(
        text.contains("milestone     from tether.toml · BRL 4,800.00 · invoiced once done"),
        "{text}"
    );
}
