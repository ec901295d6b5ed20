//! `scrim bench`: throughput of detection and redaction on a corpus, start-up time, memory.
//!
//! Records are read and parsed first, so only the engine is timed. Each mode runs `--iterations`
//! times; the median is reported. Speed claims in the README come from this command.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::Args;
use rayon::prelude::*;
use scrim_core::{Key, Outcome, Record, Redactor};
use serde_json::json;

use crate::io::Input;
use crate::run::setup;
use crate::EngineArgs;

/// `scrim bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Corpus JSONL (conversations or `text` documents).
    pub corpus: PathBuf,
    /// Timed passes over the corpus per mode; the median is reported.
    #[arg(long, default_value_t = 5)]
    pub iterations: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Run the benchmark.
pub fn bench(args: BenchArgs) -> Result<()> {
    if args.iterations == 0 {
        bail!("--iterations must be at least 1");
    }
    let t0 = Instant::now();
    let setup = setup(&args.engine)?;
    let startup_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let text = Input::read_all(&args.corpus)?;
    let records: Vec<Record> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| Record::parse(l).ok())
        .collect();
    if records.is_empty() {
        bail!("no valid records in {}", args.corpus.display());
    }
    let bytes: usize = records
        .iter()
        .map(|r| r.texts().iter().map(|t| t.len()).sum::<usize>())
        .sum();
    let mb = bytes as f64 / 1e6;
    let redactor = Redactor::new(
        Arc::clone(&setup.engine),
        setup.policy.clone(),
        Key::from_secret(b"bench key material"),
    );

    let mut detect_rates = Vec::new();
    let mut redact_rates = Vec::new();
    for _ in 0..args.iterations {
        let t = Instant::now();
        let n: usize = setup.pool.install(|| {
            records
                .par_iter()
                .map(|r| {
                    redactor
                        .detect(r)
                        .iter()
                        .map(|a| a.findings.len())
                        .sum::<usize>()
                })
                .sum()
        });
        detect_rates.push(mb / t.elapsed().as_secs_f64());
        std::hint::black_box(n);
        let t = Instant::now();
        let n: usize = setup.pool.install(|| {
            records
                .par_iter()
                .map(|r| match redactor.redact(r.clone()) {
                    Outcome::Redacted { value, .. } => value.to_string().len(),
                    Outcome::Withheld { .. } => 0,
                })
                .sum()
        });
        redact_rates.push(mb / t.elapsed().as_secs_f64());
        std::hint::black_box(n);
    }
    let detect = median(detect_rates);
    let redact = median(redact_rates);
    let rss = peak_rss_mb();
    let tiers = args
        .engine
        .tiers
        .clone()
        .unwrap_or_else(|| setup.policy.detection.tiers.clone())
        .join(",");
    if args.json {
        println!(
            "{}",
            json!({"corpus": args.corpus.display().to_string(), "records": records.len(), "text_mb": mb,
                   "threads": setup.threads, "tiers": tiers, "iterations": args.iterations,
                   "detect_mb_per_s_median": detect, "redact_mb_per_s_median": redact,
                   "startup_ms": startup_ms, "peak_rss_mb": rss})
        );
    } else {
        println!(
            "corpus {}: {} records, {mb:.2} MB of text",
            args.corpus.display(),
            records.len()
        );
        println!(
            "tiers {tiers}, {} threads, median of {} passes",
            setup.threads, args.iterations
        );
        println!("  detect: {detect:8.2} MB/s");
        println!("  redact: {redact:8.2} MB/s");
        println!("  start-up (policy, word lists, patterns): {startup_ms:.0} ms");
        if let Some(r) = rss {
            println!("  peak resident memory: {r:.0} MB");
        }
    }
    Ok(())
}
