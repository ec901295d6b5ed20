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
use crate::run::{setup, tier_names};
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
    // Each tier alone, then all together (or just the one asked for).
    let sets = setup.tier_sets();
    let mut rows = Vec::new();
    for (k, tiers) in sets.iter().enumerate() {
        let engine = setup.engine_for(tiers)?;
        let redactor = Redactor::new(
            Arc::clone(&engine),
            setup.policy.clone(),
            Key::from_secret(b"bench key material"),
        );
        let last = k + 1 == sets.len();
        let mut detect_rates = Vec::new();
        let mut redact_rates = Vec::new();
        for _ in 0..args.iterations {
            let t = Instant::now();
            let n: usize = setup.pool.install(|| {
                records
                    .par_chunks(8)
                    .flat_map_iter(|chunk| redactor.detect_batch(chunk))
                    .map(|a| a.map(|a| a.iter().map(|m| m.findings.len()).sum::<usize>()))
                    .sum::<Result<usize, _>>()
            })?;
            detect_rates.push(mb / t.elapsed().as_secs_f64());
            std::hint::black_box(n);
            if !last {
                continue;
            }
            let t = Instant::now();
            let n: usize = setup.pool.install(|| {
                records
                    .par_chunks(8)
                    .flat_map_iter(|chunk| redactor.redact_batch(chunk.to_vec()))
                    .map(|o| match o {
                        Outcome::Redacted { value, .. } => value.to_string().len(),
                        Outcome::Withheld { .. } => 0,
                    })
                    .sum()
            });
            redact_rates.push(mb / t.elapsed().as_secs_f64());
            std::hint::black_box(n);
        }
        let (read, seen) = engine.model_coverage();
        let gated = engine.has_model().then(|| {
            if seen == 0 {
                0.0
            } else {
                read as f64 / seen as f64
            }
        });
        rows.push((
            tier_names(tiers),
            median(detect_rates),
            last.then(|| median(redact_rates)),
            gated,
        ));
    }
    let rss = peak_rss_mb();
    if args.json {
        let tiers: Vec<_> = rows
            .iter()
            .map(|(name, detect, redact, gated)| {
                json!({"tiers": name, "detect_mb_per_s_median": detect,
                       "redact_mb_per_s_median": redact, "model_read_share": gated})
            })
            .collect();
        println!(
            "{}",
            json!({"corpus": args.corpus.display().to_string(), "records": records.len(), "text_mb": mb,
                   "threads": setup.threads, "iterations": args.iterations, "runs": tiers,
                   "detect_mb_per_s_median": rows.last().map(|r| r.1),
                   "redact_mb_per_s_median": rows.last().and_then(|r| r.2),
                   "startup_ms": startup_ms, "peak_rss_mb": rss})
        );
    } else {
        println!(
            "corpus {}: {} records, {mb:.2} MB of text",
            args.corpus.display(),
            records.len()
        );
        println!(
            "{} threads, median of {} passes",
            setup.threads, args.iterations
        );
        for (name, detect, redact, gated) in &rows {
            print!("  tiers {name:<12} detect: {detect:8.3} MB/s");
            if let Some(r) = redact {
                print!("   redact: {r:8.3} MB/s");
            }
            if let Some(g) = gated {
                print!("   (model read {:.0}% of the text)", g * 100.0);
            }
            println!();
        }
        println!("  start-up (policy, word lists, patterns, model): {startup_ms:.0} ms");
        if let Some(r) = rss {
            println!("  peak resident memory: {r:.0} MB");
        }
    }
    Ok(())
}
