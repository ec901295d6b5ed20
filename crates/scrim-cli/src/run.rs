//! `scrim redact` and `scrim detect`: the pipeline (`scrim-pipeline`) on a file or standard
//! input, into a JSONL file or a dataset in the store, with a progress bar and a summary.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use scrim_core::Redactor;
use scrim_pipeline::{
    Admit, AdmitAll, AtomicFile, DatasetOptions, DatasetSink, Detect, Detection, JsonlSink, Limits,
    Pipeline, QuarantineFile, Redact, RunSummary, Sink, SourceRules, Stage, StoreRun,
};
use scrim_store::Governance;

use crate::io::{quarantine_path, Input};
use crate::setup::{load_key, setup, Setup};
use crate::summary::{print, Report};
use crate::{DetectArgs, RedactArgs};

fn progress(size: Option<u64>) -> ProgressBar {
    let bar = match size {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    // indicatif draws only when standard error is a terminal.
    bar
}

/// Where a run reads (the input, the longest line read whole) and whether it shows progress.
struct Source<'a> {
    path: &'a Path,
    max_line_bytes: usize,
    quiet: bool,
}

/// Open the input (after the sink exists, so that an output error comes first) and run the
/// pipeline into `sink`, which is finished (committed) when this returns.
fn drive<S>(
    setup: &Setup,
    stage: &dyn Stage,
    admit: &dyn Admit,
    src: &Source<'_>,
    sink: &mut S,
) -> Result<RunSummary>
where
    S: Sink,
{
    let input = Input::open(src.path)?;
    let bar = if src.quiet {
        ProgressBar::hidden()
    } else {
        progress(input.size)
    };
    let advance = |bytes: u64| bar.inc(bytes);
    let limits = Limits {
        max_line_bytes: src.max_line_bytes,
        ..Limits::default()
    };
    let summary = Pipeline::new(stage, admit, &setup.pool)
        .limits(limits)
        .on_progress(&advance)
        .run(input.reader, sink)?;
    bar.finish_and_clear();
    Ok(summary)
}

/// `scrim redact`.
pub(crate) fn redact(args: RedactArgs) -> Result<()> {
    let gov = crate::gov::governance(args.governance.as_deref())?;
    match &args.store {
        Some(url) => redact_to_store(&args, url, gov),
        None => {
            if args.purpose.is_some() || args.retain_raw.is_some() || args.dataset.is_some() {
                bail!("--purpose, --dataset and --retain-raw need --store (consent and lineage live in the store)");
            }
            redact_to_file(&args, &gov)
        }
    }
}

fn source(args: &RedactArgs) -> Source<'_> {
    Source {
        path: &args.input,
        max_line_bytes: args.max_line_bytes,
        quiet: args.quiet,
    }
}

fn redact_to_file(args: &RedactArgs, gov: &Governance) -> Result<()> {
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, false)?;
    let setup = setup(&args.engine)?;
    let (key, key_note) = load_key(args.key_file.as_deref())?;
    let stage = Redact::new(Redactor::new(
        Arc::clone(&setup.engine),
        setup.policy.clone(),
        key,
    ));
    let out = AtomicFile::create(&args.output)?;
    let mut sink = JsonlSink::new(out, QuarantineFile::new(qpath));
    let summary = drive(&setup, &stage, &SourceRules(gov), &source(args), &mut sink)?;
    if !args.quiet || args.summary_json {
        let report = Report {
            what: "redact",
            summary: &summary,
            quarantine: sink.quarantine().path(),
            threads: setup.threads,
            key: Some(key_note),
            dataset: None,
        };
        print(&report, args.summary_json);
    }
    Ok(())
}

/// The purpose of a `--store` run, once the arguments that cannot go with it are ruled out.
fn store_purpose(args: &RedactArgs) -> Result<&str> {
    let Some(purpose) = args.purpose.as_deref() else {
        bail!("--store needs --purpose (training, human_review, personalization, ads, or one the governance policy declares)");
    };
    if args.key_file.is_some() {
        bail!("with --store the pseudonym key comes from the store; drop --key-file");
    }
    if args.output.as_os_str() == "-" {
        bail!("with --store the output is a dataset directory, not standard output");
    }
    Ok(purpose)
}

/// Check the purpose, load the keyring, open the store and read the run's keys.
fn start_store_run(
    args: &RedactArgs,
    url: &str,
    gov: Governance,
    purpose: &str,
) -> Result<StoreRun> {
    gov.check_purpose(purpose)?;
    let ring = crate::gov::keyring(&args.keys)?;
    let store = scrim_pipeline::BlockingStore::open(url)?;
    Ok(StoreRun::start(store, gov, purpose, ring)?)
}

fn redact_to_store(args: &RedactArgs, url: &str, gov: Governance) -> Result<()> {
    let purpose = store_purpose(args)?;
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, true)?;
    let run = start_store_run(args, url, gov, purpose)?;
    let setup = setup(&args.engine)?;
    let stage = run.stage(Arc::clone(&setup.engine), setup.policy.clone());
    let name = match &args.dataset {
        Some(n) => n.clone(),
        None => args
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .context("name the dataset with --dataset")?,
    };
    let options = DatasetOptions {
        name,
        policy_hash: setup.policy.hash(),
        shard_records: args.shard_records,
        retain_raw: args.retain_raw.clone(),
    };
    let mut sink = DatasetSink::create(&run, &args.output, options, QuarantineFile::new(qpath))?;
    let summary = drive(&setup, &stage, &run.admission(), &source(args), &mut sink)?;
    if !args.quiet || args.summary_json {
        let key = run.describe();
        let report = Report {
            what: "redact",
            summary: &summary,
            quarantine: sink.quarantine().path(),
            threads: setup.threads,
            key: Some(&key),
            dataset: sink.report(),
        };
        print(&report, args.summary_json);
    }
    Ok(())
}

/// `scrim detect`: no key; profile facts still seed detection when the policy allows.
pub(crate) fn detect(args: DetectArgs) -> Result<()> {
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, false)?;
    let setup = setup(&args.engine)?;
    let stage = Detect(Detection::new(
        Arc::clone(&setup.engine),
        setup.policy.clone(),
    ));
    let out = AtomicFile::create(&args.output)?;
    let mut sink = JsonlSink::new(out, QuarantineFile::new(qpath));
    let src = Source {
        path: &args.input,
        max_line_bytes: args.max_line_bytes,
        quiet: args.quiet,
    };
    let summary = drive(&setup, &stage, &AdmitAll, &src, &mut sink)?;
    if !args.quiet {
        let report = Report {
            what: "detect",
            summary: &summary,
            quarantine: sink.quarantine().path(),
            threads: setup.threads,
            key: None,
            dataset: None,
        };
        print(&report, false);
    }
    Ok(())
}
