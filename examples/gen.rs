//! Generate a realistic tether data directory for benchmarks and load tests.
//!
//! ```sh
//! cargo run --release --example gen -- --out /tmp/perf/data/tether-10000 --records 10000
//! cargo run --release --example gen -- --out DIR --clients 40 --interactions 7000 \
//!     --deadlines 1000 --followups 2000 --seed 7
//! ```
//!
//! The same arguments always write the same bytes. About 0.1 % of the record lines are
//! deliberately bad; after writing, the directory is loaded with tether's own loader and the run
//! fails unless exactly those lines are reported (and nothing else). See `docs/performance.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test or bench: a panic is its failure report

#[path = "../benches/support/datagen.rs"]
mod datagen;

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use tether::store::records::MAX_DIAGNOSTICS_PER_FILE;

#[derive(Debug, Parser)]
#[command(about = "Write a generated tether data directory")]
struct Args {
    /// Directory to write (created; data files in it are replaced)
    #[arg(long)]
    out: PathBuf,
    /// Total records, split 70 % contacts / 20 % follow-ups / 10 % deadlines, ~0.4·√N clients
    #[arg(long)]
    records: Option<usize>,
    /// Number of clients in tether.toml (overrides the split)
    #[arg(long)]
    clients: Option<usize>,
    /// Lines in interactions.jsonl (overrides the split)
    #[arg(long)]
    interactions: Option<usize>,
    /// Lines in deadlines.jsonl (overrides the split)
    #[arg(long)]
    deadlines: Option<usize>,
    /// Lines in followups.jsonl (overrides the split)
    #[arg(long)]
    followups: Option<usize>,
    /// Seed for the generator: the same seed writes the same bytes
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The date the data is laid out around (history before, plans after)
    #[arg(long, value_name = "YYYY-MM-DD")]
    anchor: Option<chrono::NaiveDate>,
    /// Deliberately bad lines per 100,000 record lines
    #[arg(long, default_value_t = 100)]
    bad_per_100k: u64,
    /// Skip loading the result with tether's loader
    #[arg(long)]
    no_verify: bool,
}

fn main() -> ExitCode {
    let a = Args::parse();
    let mut spec = datagen::Spec::from_total(a.records.unwrap_or(1000), a.seed);
    if let Some(n) = a.clients {
        spec.clients = n.max(1);
    }
    if let Some(n) = a.interactions {
        spec.interactions = n;
    }
    if let Some(n) = a.deadlines {
        spec.deadlines = n;
    }
    if let Some(n) = a.followups {
        spec.followups = n.max(1);
    }
    if let Some(d) = a.anchor {
        spec.anchor = d;
    }
    spec.bad_per_100k = a.bad_per_100k;
    let t0 = std::time::Instant::now();
    let summary = match datagen::generate(&spec, &a.out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gen: cannot write {}: {e}", a.out.display());
            return ExitCode::from(2);
        }
    };
    println!(
        "{}: {} records, {} clients, {} deliberately bad lines, {:.1} MB in {:.2} s",
        a.out.display(),
        spec.records(),
        summary.clients,
        summary.bad_lines(),
        summary.bytes() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    for (name, records, bad, bytes) in &summary.files {
        println!("  {name:<20} {records:>9} records {bad:>5} bad {bytes:>11} bytes");
    }
    if a.no_verify {
        return ExitCode::SUCCESS;
    }
    let loaded = tether::store::load::load_dir(&a.out);
    let warnings = loaded.diagnostics.iter().filter(|d| !d.is_error()).count();
    let m = &loaded.model;
    // Each deliberately bad line is one error at its line; past the loader's per-file limit the
    // rest are counted in one whole-file message ("N more problems"), which is checked too.
    let mut ok = warnings == 0;
    let mut shown = Vec::new();
    for (name, _, bad, _) in &summary.files {
        let listed = loaded
            .diagnostics
            .iter()
            .filter(|d| d.file == *name && d.is_error() && d.line > 0)
            .count();
        let more: usize = loaded
            .diagnostics
            .iter()
            .filter(|d| d.file == *name && d.line == 0)
            .filter_map(|d| d.message.split(' ').next()?.parse::<usize>().ok())
            .sum();
        let expected_listed = (*bad).min(MAX_DIAGNOSTICS_PER_FILE);
        ok &= listed == expected_listed && listed + more == *bad;
        shown.push(format!("{name} {} errors (expected {bad})", listed + more));
    }
    println!(
        "  loaded: {} deadlines, {} follow-ups, {} contacts; {}; {warnings} warnings (expected 0): {}",
        m.deadlines.len(),
        m.followups.len(),
        m.interactions.len(),
        shown.join(", "),
        if ok { "ok" } else { "MISMATCH" }
    );
    if !ok {
        for d in loaded.diagnostics.iter().take(20) {
            eprintln!("  {d}");
        }
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
