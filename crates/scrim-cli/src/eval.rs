//! `scrim eval`: score detection against labeled data with the reference definitions.
//!
//! Without `--pred`, Scrim runs its own detection over the gold file's texts (documents or
//! conversations) first. The numbers are those of `../shared/tools/score.py` (a test checks that
//! they agree on every shared corpus).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use scrim_core::{Key, Record, Redactor};
use scrim_eval::{flatten, read_jsonl, score, Options};
use serde_json::{json, Value};

use crate::io::{AtomicOutput, Input};
use crate::run::{setup, spans_json};
use crate::EngineArgs;

/// `scrim eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Gold JSONL: `{"id","text","spans"}` documents, or conversations with spans that name their
    /// `message`.
    #[arg(long, value_name = "GOLD")]
    pub gold: PathBuf,
    /// Predictions to score instead of running detection (the `scrim detect` format).
    #[arg(long, value_name = "PRED")]
    pub pred: Option<PathBuf>,
    /// Also write the predictions Scrim made to this file.
    #[arg(long, value_name = "FILE")]
    pub write_pred: Option<PathBuf>,
    /// Labels to drop on both sides, comma-separated (the headline numbers use ORG,OTHER).
    #[arg(long, value_name = "LIST")]
    pub exclude_labels: Option<String>,
    /// Labels to keep, comma-separated (others are dropped).
    #[arg(long, value_name = "LIST")]
    pub labels: Option<String>,
    /// Rename a label on both sides before scoring, e.g. ADDRESS=LOCATION (repeatable).
    #[arg(long, value_name = "FROM=TO")]
    pub relabel: Vec<String>,
    /// Print the JSON report instead of the table.
    #[arg(long)]
    pub json: bool,
    /// A heading line for the table.
    #[arg(long)]
    pub title: Option<String>,
    /// Engine options.
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// Run detection over every gold record, in order, on the pool.
fn predict(args: &EvalArgs, gold: &[Value]) -> Result<(Vec<Value>, f64)> {
    let setup = setup(&args.engine)?;
    let redactor = Redactor::new(
        Arc::clone(&setup.engine),
        setup.policy.clone(),
        Key::from_secret(b"eval"),
    );
    let t = Instant::now();
    let preds: Vec<Value> = setup.pool.install(|| {
        gold.par_iter()
            .map(|g| {
                let id = g.get("id").cloned().unwrap_or(Value::Null);
                // Gold carries its own spans; strip nothing else: a record is read as Scrim reads input.
                match Record::from_value(g.clone()) {
                    Ok(rec) => {
                        let analyses = redactor.detect(&rec);
                        json!({"id": id, "spans": spans_json(&rec, &analyses)})
                    }
                    Err(_) => json!({"id": id, "spans": []}),
                }
            })
            .collect()
    });
    Ok((preds, t.elapsed().as_secs_f64()))
}

/// Run the evaluation.
pub fn eval(args: EvalArgs) -> Result<()> {
    let gold_text = Input::read_all(&args.gold)?;
    let gold_values =
        read_jsonl(&gold_text).with_context(|| format!("in gold file {}", args.gold.display()))?;
    if gold_values.is_empty() {
        bail!("gold file {} has no records", args.gold.display());
    }
    let (pred_values, secs) = match &args.pred {
        Some(p) => {
            let text = Input::read_all(p)?;
            (
                read_jsonl(&text).with_context(|| format!("in prediction file {}", p.display()))?,
                None,
            )
        }
        None => {
            let (v, s) = predict(&args, &gold_values)?;
            (v, Some(s))
        }
    };
    if let Some(path) = &args.write_pred {
        let mut out = AtomicOutput::create(path)?;
        for v in &pred_values {
            out.line(&v.to_string())?;
        }
        out.commit()?;
    }
    let gold: Vec<_> = gold_values.iter().flat_map(flatten).collect();
    let pred: Vec<_> = pred_values.iter().flat_map(flatten).collect();
    let mut opts = Options {
        labels: args.labels.as_deref().and_then(Options::parse_label_list),
        exclude: args
            .exclude_labels
            .as_deref()
            .and_then(Options::parse_label_list)
            .unwrap_or_default(),
        ..Options::default()
    };
    for r in &args.relabel {
        opts.relabel.push(Options::parse_relabel(r)?);
    }
    let report = score(&gold, &pred, &opts)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        println!("{}", report.render(args.title.as_deref()));
        if let Some(s) = secs {
            let mb = gold_values
                .iter()
                .filter_map(|g| Record::from_value(g.clone()).ok())
                .map(|r| r.texts().iter().map(|t| t.len()).sum::<usize>())
                .sum::<usize>() as f64
                / 1e6;
            println!(
                "detection: {mb:.2} MB in {s:.2} s ({:.1} MB/s, including start-up of workers)",
                mb / s
            );
        }
    }
    Ok(())
}
