//! `scrim eval`: score detection against labeled data with the reference definitions.
//!
//! Without `--pred`, Scrim runs its own detection over the gold file's texts (documents or
//! conversations) first. The numbers are those of `../shared/tools/score.py` (a test checks that
//! they agree on every shared corpus).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use scrim_core::{Engine, Record};
use scrim_eval::{flatten, read_jsonl, score, Doc, Options};
use serde_json::{json, Value};

use scrim_pipeline::{spans_json, AtomicFile, Detection};

use crate::eval_html::{page_info, record_model, write_html, HtmlJob, Scored};
use crate::io::Input;
use crate::setup::{setup, tier_names, Setup};
use crate::EngineArgs;

/// `scrim eval`.
#[derive(Args, Debug)]
pub(crate) struct EvalArgs {
    /// Gold JSONL: `{"id","text","spans"}` documents, or conversations with spans that name their
    /// `message`.
    #[arg(long, value_name = "GOLD")]
    pub(crate) gold: PathBuf,
    /// Predictions to score instead of running detection (the `scrim detect` format).
    #[arg(long, value_name = "PRED")]
    pub(crate) pred: Option<PathBuf>,
    /// Also write the predictions Scrim made to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) write_pred: Option<PathBuf>,
    /// Labels to drop on both sides, comma-separated (the headline numbers use ORG,OTHER).
    #[arg(long, value_name = "LIST")]
    pub(crate) exclude_labels: Option<String>,
    /// Labels to keep, comma-separated (others are dropped).
    #[arg(long, value_name = "LIST")]
    pub(crate) labels: Option<String>,
    /// Rename a label on both sides before scoring, e.g. ADDRESS=LOCATION (repeatable).
    #[arg(long, value_name = "FROM=TO")]
    pub(crate) relabel: Vec<String>,
    /// Print the JSON report instead of the table.
    #[arg(long)]
    pub(crate) json: bool,
    /// A heading line for the table.
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Also write a self-contained HTML report (inline CSS and SVG, nothing fetched) to FILE,
    /// atomically: the headline numbers and per-label recall and leak bars of every tier run
    /// (with --tiers rules,model: rules alone, model alone and both), the model threshold
    /// trade-off (the model runs once; its findings are replayed through the detection at
    /// thresholds 0.3 to 0.95), and the 30 worst misses and false alarms per tier in context.
    /// The report CONTAINS TEXT OF THE GOLD CORPUS: store and share it like the corpus.
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
    /// Engine options.
    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// Run detection over every gold record, in order, on the pool.
pub(crate) fn predict(
    setup: &Setup,
    engine: Arc<Engine>,
    gold: &[Value],
) -> Result<(Vec<Value>, f64)> {
    let detection = Detection::new(engine, setup.policy.clone()).findings_only();
    let t = Instant::now();
    let preds: Vec<Value> = setup.pool.install(|| {
        gold.par_chunks(8)
            .flat_map_iter(|chunk| {
                // Gold carries its own spans; a record is read as Scrim reads input.
                let records: Vec<Option<Record>> = chunk
                    .iter()
                    .map(|g| Record::from_value(g.clone()).ok())
                    .collect();
                let valid: Vec<Record> = records.iter().flatten().cloned().collect();
                let mut analyses = detection.detect_batch(&valid).into_iter();
                chunk
                    .iter()
                    .zip(records)
                    .map(|(g, rec)| {
                        let id = g.get("id").cloned().unwrap_or(Value::Null);
                        let Some(rec) = rec else {
                            return Ok(json!({"id": id, "spans": []}));
                        };
                        let analyses = analyses
                            .next()
                            .context("internal: a record without analysis")?
                            .with_context(|| format!("detection failed on gold record {id}"))?;
                        Ok(json!({"id": id, "spans": spans_json(&rec, &analyses)}))
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Result<Vec<Value>>>()
    })?;
    Ok((preds, t.elapsed().as_secs_f64()))
}

/// Scoring options from the flags.
fn options(args: &EvalArgs) -> Result<Options> {
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
    Ok(opts)
}

/// One scored run: its tier names (with several), its predictions, detection time.
type Run = (Option<String>, Vec<Value>, Option<f64>);

/// Scored runs: the given predictions, or each tier alone and then all together.
fn runs(args: &EvalArgs, setup: Option<&Setup>, gold_values: &[Value]) -> Result<Vec<Run>> {
    let mut runs: Vec<Run> = Vec::new();
    if let Some(p) = &args.pred {
        let text = Input::read_all(p)?;
        let preds =
            read_jsonl(&text).with_context(|| format!("in prediction file {}", p.display()))?;
        runs.push((None, preds, None));
    } else if let Some(setup) = setup {
        let sets = setup.tier_sets();
        for tiers in &sets {
            let engine = setup.engine_for(tiers)?;
            let (preds, secs) = predict(setup, engine, gold_values)?;
            let name = (sets.len() > 1).then(|| tier_names(tiers));
            runs.push((name, preds, Some(secs)));
        }
    }
    Ok(runs)
}

/// Write the predictions of the last run (the one with every tier asked for).
fn write_predictions(path: &Path, runs: &[Run]) -> Result<()> {
    let mut out = AtomicFile::create(path)?;
    for v in runs.last().map(|r| r.1.as_slice()).unwrap_or(&[]) {
        out.line(&v.to_string())?;
    }
    out.commit()?;
    Ok(())
}

/// A report's heading: the given title and the run's tiers.
fn title(given: Option<&str>, tiers: Option<&str>) -> Option<String> {
    match (given, tiers) {
        (Some(t), Some(n)) => Some(format!("{t} [tiers {n}]")),
        (Some(t), None) => Some(t.to_string()),
        (None, Some(n)) => Some(format!("tiers {n}")),
        (None, None) => None,
    }
}

/// Run the evaluation.
pub(crate) fn eval(args: EvalArgs) -> Result<()> {
    let gold_text = Input::read_all(&args.gold)?;
    let gold_values =
        read_jsonl(&gold_text).with_context(|| format!("in gold file {}", args.gold.display()))?;
    if gold_values.is_empty() {
        bail!("gold file {} has no records", args.gold.display());
    }
    let opts = options(&args)?;
    let gold: Vec<_> = gold_values.iter().flat_map(flatten).collect();
    let mb = gold_values
        .iter()
        .filter_map(|g| Record::from_value(g.clone()).ok())
        .map(|r| r.texts().iter().map(|t| t.len()).sum::<usize>())
        .sum::<usize>() as f64
        / 1e6;
    let mut setup = match args.pred {
        Some(_) => None,
        None => Some(setup(&args.engine)?),
    };
    let recording = match (&args.html, setup.as_mut()) {
        (Some(_), Some(s)) => record_model(s)?,
        _ => None,
    };
    let runs = runs(&args, setup.as_ref(), &gold_values)?;
    if let Some(path) = &args.write_pred {
        write_predictions(path, &runs)?;
    }
    let scored = report_runs(&args, &runs, &gold, &opts, mb, setup.as_ref())?;
    if let Some(path) = &args.html {
        write_html(&HtmlJob {
            path,
            info: page_info(&args.gold, args.title.as_deref(), setup.as_ref()),
            setup: setup.as_ref(),
            rec: recording.as_ref(),
            gold_values: &gold_values,
            gold: &gold,
            scored: &scored,
            opts: &opts,
        })
        .with_context(|| format!("writing the HTML report {}", path.display()))?;
    }
    Ok(())
}

/// Score each run and print its report (the table, or JSON); keep the scored runs when the HTML
/// page wants them.
fn report_runs(
    args: &EvalArgs,
    runs: &[Run],
    gold: &[Doc],
    opts: &Options,
    mb: f64,
    setup: Option<&Setup>,
) -> Result<Vec<Scored>> {
    let mut json_reports: Vec<(String, Value)> = Vec::new();
    let mut scored: Vec<Scored> = Vec::new();
    for (name, preds, secs) in runs {
        let pred: Vec<_> = preds.iter().flat_map(flatten).collect();
        let report = score(gold, &pred, opts)?;
        if args.html.is_some() {
            let name = name.clone().unwrap_or_else(|| run_name(args, setup));
            scored.push(Scored {
                name,
                pred,
                report: report.clone(),
            });
        }
        if args.json {
            json_reports.push((name.clone().unwrap_or_default(), report.to_json()));
            continue;
        }
        let title = title(args.title.as_deref(), name.as_deref());
        println!("{}", report.render(title.as_deref()));
        if let Some(s) = secs {
            println!(
                "detection: {mb:.2} MB in {s:.2} s ({:.2} MB/s, including start-up of workers)\n",
                mb / s
            );
        }
    }
    if args.json {
        // One run prints its report; several print {"tiers": {"rules": report, ...}}.
        let value = if json_reports.len() == 1 {
            json_reports.pop().map_or(Value::Null, |(_, r)| r)
        } else {
            json!({ "tiers": Value::Object(json_reports.into_iter().collect()) })
        };
        println!("{}", serde_json::to_string_pretty(&value)?);
    }
    Ok(scored)
}

/// The name of a lone run on the page: its tiers, or the prediction file.
fn run_name(args: &EvalArgs, setup: Option<&Setup>) -> String {
    match (setup, &args.pred) {
        (Some(s), _) => tier_names(&s.tiers),
        (None, Some(p)) => format!("predictions {}", p.display()),
        (None, None) => "predictions".to_owned(),
    }
}
