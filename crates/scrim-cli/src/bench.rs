//! `scrim bench`: throughput of detection and redaction on a corpus, start-up time, memory.
//!
//! Records are read and parsed first, so only the engine is timed. Each mode runs `--iterations`
//! times; the median is reported. Speed claims in the README come from this command.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::Args;
use rayon::prelude::*;
use scrim_core::{Key, Outcome, Record, Redactor, Tier};
use scrim_pipeline::Detection;
use serde_json::json;

use crate::bench_regions::{self, RegionAudit};
use crate::io::Input;
use crate::setup::{setup_comparing, tier_names, Setup};
use crate::EngineArgs;

/// `scrim bench`.
#[derive(Args, Debug)]
pub(crate) struct BenchArgs {
    /// Corpus JSONL (conversations or `text` documents).
    pub(crate) corpus: PathBuf,
    /// Timed passes over the corpus per mode; the median is reported.
    #[arg(long, default_value_t = 5)]
    pub(crate) iterations: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) engine: EngineArgs,
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

/// One line of the report: the tiers, median detection and redaction speeds (MB/s), and the
/// share of the text the learned tier read.
struct Row {
    tiers: String,
    detect: f64,
    redact: Option<f64>,
    gated: Option<f64>,
    /// With the cascade: the share of the student's text the teacher read again.
    escalated: Option<f64>,
}

/// The corpus's valid records and their text size in MB.
fn load_corpus(path: &Path) -> Result<(Vec<Record>, f64)> {
    let text = Input::read_all(path)?;
    let records: Vec<Record> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| Record::parse(l).ok())
        .collect();
    if records.is_empty() {
        bail!("no valid records in {}", path.display());
    }
    let bytes: usize = records
        .iter()
        .map(|r| r.texts().iter().map(|t| t.len()).sum::<usize>())
        .sum();
    Ok((records, bytes as f64 / 1e6))
}

/// One timed detection pass; returns MB/s.
fn detect_pass(setup: &Setup, detection: &Detection, records: &[Record], mb: f64) -> Result<f64> {
    let t = Instant::now();
    let n: usize = setup.pool.install(|| {
        records
            .par_chunks(8)
            .flat_map_iter(|chunk| detection.detect_batch(chunk))
            .map(|a| a.map(|a| a.iter().map(|m| m.findings.len()).sum::<usize>()))
            .sum::<Result<usize, _>>()
    })?;
    std::hint::black_box(n);
    Ok(mb / t.elapsed().as_secs_f64())
}

/// One timed redaction pass; returns MB/s.
fn redact_pass(setup: &Setup, redactor: &Redactor, records: &[Record], mb: f64) -> f64 {
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
    std::hint::black_box(n);
    mb / t.elapsed().as_secs_f64()
}

/// Time `tiers`: detection on every pass, redaction too when `redact` (the full tier set).
fn bench_tiers(
    setup: &Setup,
    tiers: &[Tier],
    (records, mb): (&[Record], f64),
    iterations: usize,
    redact: bool,
) -> Result<Row> {
    let engine = setup.engine_for(tiers)?;
    // What `scrim detect` runs: findings only, no sensitive categories.
    let detection = Detection::new(Arc::clone(&engine), setup.policy.clone()).findings_only();
    let redactor = Redactor::new(
        Arc::clone(&engine),
        setup.policy.clone(),
        Key::from_secret(b"bench key material"),
    );
    let mut detect_rates = Vec::new();
    let mut redact_rates = Vec::new();
    for _ in 0..iterations {
        detect_rates.push(detect_pass(setup, &detection, records, mb)?);
        if redact {
            redact_rates.push(redact_pass(setup, &redactor, records, mb));
        }
    }
    let (read, seen) = engine.model_coverage();
    let gated = engine.has_model().then(|| {
        if seen == 0 {
            0.0
        } else {
            read as f64 / seen as f64
        }
    });
    let escalated = setup
        .cascade
        .as_ref()
        .filter(|_| tiers.contains(&Tier::Cascade))
        .map(|c| {
            let (read, again) = c.escalated();
            if read == 0 {
                0.0
            } else {
                again as f64 / read as f64
            }
        });
    Ok(Row {
        tiers: tier_names(tiers),
        detect: median(detect_rates),
        redact: redact.then(|| median(redact_rates)),
        gated,
        escalated,
    })
}

/// What the whole benchmark measured.
struct Measured {
    records: usize,
    mb: f64,
    threads: usize,
    rows: Vec<Row>,
    startup_ms: f64,
    rss: Option<f64>,
    regions: RegionAudit,
}

/// Run the benchmark.
pub(crate) fn bench(args: BenchArgs) -> Result<()> {
    if args.iterations == 0 {
        bail!("--iterations must be at least 1");
    }
    let t0 = Instant::now();
    let setup = setup_comparing(&args.engine)?;
    let startup_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let (records, mb) = load_corpus(&args.corpus)?;
    // Each tier alone, then all together (or just the one asked for).
    let sets = setup.tier_sets();
    let mut rows = Vec::new();
    for (k, tiers) in sets.iter().enumerate() {
        let last = k + 1 == sets.len();
        rows.push(bench_tiers(
            &setup,
            tiers,
            (&records, mb),
            args.iterations,
            last,
        )?);
    }
    let last = sets.last().map_or(&[][..], |t| t.as_slice());
    let detection = Detection::new(setup.engine_for(last)?, setup.policy.clone()).findings_only();
    let regions = setup
        .pool
        .install(|| bench_regions::audit(&detection, &records))?;
    let m = Measured {
        records: records.len(),
        mb,
        threads: setup.threads,
        rows,
        startup_ms,
        rss: peak_rss_mb(),
        regions,
    };
    if args.json {
        print_json(&args, &m);
    } else {
        print_text(&args, &m);
    }
    Ok(())
}

fn print_json(args: &BenchArgs, m: &Measured) {
    let tiers: Vec<_> = m
        .rows
        .iter()
        .map(|r| {
            json!({"tiers": r.tiers, "detect_mb_per_s_median": r.detect,
                   "redact_mb_per_s_median": r.redact, "model_read_share": r.gated,
                   "teacher_read_share_of_student": r.escalated})
        })
        .collect();
    println!(
        "{}",
        json!({"corpus": args.corpus.display().to_string(), "records": m.records, "text_mb": m.mb,
               "threads": m.threads, "iterations": args.iterations, "runs": tiers,
               "detect_mb_per_s_median": m.rows.last().map(|r| r.detect),
               "redact_mb_per_s_median": m.rows.last().and_then(|r| r.redact),
               "startup_ms": m.startup_ms, "peak_rss_mb": m.rss,
               "region_share": m.regions.shares().into_iter().collect::<std::collections::BTreeMap<_, _>>(),
               "names_on_code_identifiers": m.regions.names_on_code})
    );
}

fn print_text(args: &BenchArgs, m: &Measured) {
    println!(
        "corpus {}: {} records, {:.2} MB of text",
        args.corpus.display(),
        m.records,
        m.mb
    );
    println!(
        "{} threads, median of {} passes",
        m.threads, args.iterations
    );
    for r in &m.rows {
        print!("  tiers {:<12} detect: {:8.3} MB/s", r.tiers, r.detect);
        if let Some(x) = r.redact {
            print!("   redact: {x:8.3} MB/s");
        }
        if let Some(g) = r.gated {
            print!("   (model read {:.0}% of the text)", g * 100.0);
        }
        if let Some(e) = r.escalated {
            print!(" (teacher re-read {:.1}% of that)", e * 100.0);
        }
        println!();
    }
    println!(
        "  start-up (policy, word lists, patterns, model): {:.0} ms",
        m.startup_ms
    );
    if let Some(r) = m.rss {
        println!("  peak resident memory: {r:.0} MB");
    }
    let shares: Vec<String> = m
        .regions
        .shares()
        .iter()
        .map(|(k, s)| format!("{k} {:.0}%", s * 100.0))
        .collect();
    println!("  text by region: {}", shares.join(", "));
    println!(
        "  PERSON/LOCATION/ORG findings on code, shell or log text: {}",
        m.regions.names_on_code
    );
}
