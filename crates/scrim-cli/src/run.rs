//! `scrim redact` and `scrim detect`: the pipeline (`scrim-pipeline`) on a file or standard
//! input, into a JSONL file, a table (Parquet, Arrow IPC) or a dataset in the store, with a
//! progress bar and a summary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use arrow_schema::Schema;
use indicatif::{ProgressBar, ProgressStyle};
use scrim_core::Redactor;
use scrim_pipeline::table::{
    infer_jsonl_schema, TableFormat, TableReader, TableSink, DEFAULT_BATCH_ROWS,
};
use scrim_pipeline::{
    Admit, AdmitAll, AtomicFile, DatasetOptions, DatasetSink, Detect, Detection, JsonlSink, Limits,
    Pipeline, QuarantineFile, Redact, RunSummary, Sink, SourceRules, Stage, StoreRun,
};
use scrim_store::Governance;

use crate::io::{quarantine_path, table_format, Input};
use crate::setup::{load_key, setup, Setup};
use crate::summary::{print, Report};
use crate::{DetectArgs, RedactArgs};

fn progress(size: Option<u64>) -> ProgressBar {
    bar(
        size,
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    )
}

fn row_progress(rows: Option<u64>) -> ProgressBar {
    bar(
        rows,
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} rows ({per_sec}, {eta})",
    )
}

fn bar(size: Option<u64>, template: &str) -> ProgressBar {
    let bar = match size {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    let style =
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    // indicatif draws only when standard error is a terminal.
    bar
}

/// Where a run reads (the input, its format, the longest line read whole) and whether it
/// shows progress.
struct Source<'a> {
    path: &'a Path,
    /// `None`: JSONL.
    table: Option<TableFormat>,
    max_line_bytes: usize,
    quiet: bool,
}

/// The input once opened: a table is opened before the output (a table output takes its
/// columns); JSONL is opened by [`drive`], after the sink exists, so that an output error
/// comes first.
enum Opened {
    Jsonl,
    Table(Box<TableReader>),
}

impl Source<'_> {
    fn open(&self) -> Result<Opened> {
        Ok(match self.table {
            None => Opened::Jsonl,
            Some(format) => {
                let reader = TableReader::open(self.path, format, DEFAULT_BATCH_ROWS)?;
                Opened::Table(Box::new(reader))
            }
        })
    }

    /// The columns an output table keeps: the input table's, or those of the JSONL records
    /// (a first pass over the input, which keeps nothing but their types).
    fn columns(&self, opened: &Opened, out: TableFormat) -> Result<Schema> {
        match opened {
            Opened::Table(reader) => {
                reader.check()?;
                Ok(reader.schema().as_ref().clone())
            }
            Opened::Jsonl => {
                if self.path.as_os_str() == "-" {
                    bail!(
                        "a {} output takes its columns from a first pass over the input, which                          standard input cannot give; name the input file",
                        out.name()
                    );
                }
                let input = Input::open(self.path)?;
                Ok(infer_jsonl_schema(
                    self.path,
                    input.reader,
                    self.max_line_bytes,
                    out,
                )?)
            }
        }
    }

    /// The quarantine at `path`: by row for a table input, by line for JSONL.
    fn quarantine(&self, path: PathBuf) -> QuarantineFile {
        let q = QuarantineFile::new(path);
        if self.table.is_some() {
            q.numbering_rows()
        } else {
            q
        }
    }
}

/// Run the pipeline on the opened input into `sink`, which is finished (committed) when this
/// returns.
fn drive<S>(
    setup: &Setup,
    stage: &dyn Stage,
    admit: &dyn Admit,
    src: &Source<'_>,
    opened: Opened,
    sink: &mut S,
) -> Result<RunSummary>
where
    S: Sink,
{
    let mut reader = match opened {
        Opened::Table(reader) => reader,
        Opened::Jsonl => return drive_jsonl(setup, stage, admit, src, sink),
    };
    let bar = if src.quiet {
        ProgressBar::hidden()
    } else {
        row_progress(reader.total_rows())
    };
    let advance = |rows: u64| bar.inc(rows);
    let summary =
        Pipeline::new(stage, admit, &setup.pool).run_table(&mut reader, sink, &advance)?;
    bar.finish_and_clear();
    Ok(summary)
}

/// Open the JSONL input and run the pipeline into `sink`.
fn drive_jsonl<S>(
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

/// Where a run writes: the output and its format (`None`: JSONL), the quarantine.
struct Target<'a> {
    path: &'a Path,
    table: Option<TableFormat>,
    quarantine: PathBuf,
}

/// Run into the target, a JSONL file or a table; `table_sink` makes the table sink (with the
/// columns of the opened input). The summary and where the quarantine went.
fn run_into(
    setup: &Setup,
    stage: &dyn Stage,
    admit: &dyn Admit,
    src: &Source<'_>,
    target: Target<'_>,
    table_sink: &dyn Fn(&Opened, TableFormat, QuarantineFile) -> Result<TableSink>,
) -> Result<(RunSummary, PathBuf)> {
    let opened = src.open()?;
    let quarantine = src.quarantine(target.quarantine);
    match target.table {
        None => {
            let out = AtomicFile::create(target.path)?;
            let mut sink = JsonlSink::new(out, quarantine);
            let summary = drive(setup, stage, admit, src, opened, &mut sink)?;
            Ok((summary, sink.quarantine().path().to_path_buf()))
        }
        Some(format) => {
            let mut sink = table_sink(&opened, format, quarantine)?;
            let summary = drive(setup, stage, admit, src, opened, &mut sink)?;
            Ok((summary, sink.quarantine().path().to_path_buf()))
        }
    }
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

fn source(args: &RedactArgs) -> Result<Source<'_>> {
    Ok(Source {
        path: &args.input,
        table: table_format(&args.input, args.format, "input")?,
        max_line_bytes: args.max_line_bytes,
        quiet: args.quiet,
    })
}

fn redact_to_file(args: &RedactArgs, gov: &Governance) -> Result<()> {
    let src = source(args)?;
    let out_table = table_format(&args.output, args.output_format, "output")?;
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, false)?;
    let setup = setup(&args.engine)?;
    let (key, key_note) = load_key(args.key_file.as_deref())?;
    let stage = Redact::new(Redactor::new(
        Arc::clone(&setup.engine),
        setup.policy.clone(),
        key,
    ));
    let table_sink = |opened: &Opened, format: TableFormat, q: QuarantineFile| {
        let columns = src.columns(opened, format)?;
        Ok(TableSink::redacted(&args.output, format, &columns, q)?)
    };
    let (summary, quarantine) = run_into(
        &setup,
        &stage,
        &SourceRules(gov),
        &src,
        Target {
            path: &args.output,
            table: out_table,
            quarantine: qpath,
        },
        &table_sink,
    )?;
    if !args.quiet || args.summary_json {
        let report = Report {
            what: "redact",
            summary: &summary,
            quarantine: &quarantine,
            threads: setup.threads,
            key: Some(key_note),
            dataset: None,
            learned: setup.learned_read(),
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

/// Check the purpose, load the keyring, open the store and read the run's keys (`redact
/// --store` and `stream`).
pub(crate) fn start_store_run(
    keys: &crate::gov::KeyArgs,
    url: &str,
    gov: Governance,
    purpose: &str,
) -> Result<StoreRun> {
    gov.check_purpose(purpose)?;
    let ring = crate::gov::keyring(keys)?;
    let store = scrim_pipeline::BlockingStore::open(url)?;
    Ok(StoreRun::start(store, gov, purpose, ring)?)
}

/// Whether a `--store` run writes Parquet shards: `--output-format parquet` (or a dataset
/// directory named `*.parquet`) says so, `--output-format jsonl` says not; else a table input
/// (Parquet, Arrow IPC) makes Parquet shards and a JSONL input JSONL ones. Arrow IPC shards are
/// refused: compaction rewrites JSONL and Parquet shards only.
fn parquet_shards(args: &RedactArgs, src: &Source<'_>) -> Result<bool> {
    if args.output_format == Some(crate::io::Format::Jsonl) {
        return Ok(false);
    }
    match table_format(&args.output, args.output_format, "output")? {
        Some(TableFormat::Parquet) => Ok(true),
        Some(other) => bail!(
            "a dataset's shards are JSONL or Parquet (what compaction rewrites), not {}; use --output-format parquet",
            other.name()
        ),
        None => Ok(src.table.is_some()),
    }
}

fn redact_to_store(args: &RedactArgs, url: &str, gov: Governance) -> Result<()> {
    let purpose = store_purpose(args)?;
    let src = source(args)?;
    let parquet = parquet_shards(args, &src)?;
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, true)?;
    let run = start_store_run(&args.keys, url, gov, purpose)?;
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
    let opened = src.open()?;
    let columns = if parquet {
        Some(src.columns(&opened, TableFormat::Parquet)?)
    } else {
        None
    };
    let mut sink = DatasetSink::create(&run, &args.output, options, src.quarantine(qpath))?;
    if let Some(columns) = &columns {
        sink = sink.parquet_shards(columns)?;
    }
    let summary = drive(&setup, &stage, &run.admission(), &src, opened, &mut sink)?;
    if !args.quiet || args.summary_json {
        let key = run.describe();
        let report = Report {
            what: "redact",
            summary: &summary,
            quarantine: sink.quarantine().path(),
            threads: setup.threads,
            key: Some(&key),
            dataset: sink.report(),
            learned: setup.learned_read(),
        };
        print(&report, args.summary_json);
    }
    Ok(())
}

/// `scrim detect`: no key; profile facts still seed detection when the policy allows.
pub(crate) fn detect(args: DetectArgs) -> Result<()> {
    let src = Source {
        path: &args.input,
        table: table_format(&args.input, args.format, "input")?,
        max_line_bytes: args.max_line_bytes,
        quiet: args.quiet,
    };
    let out_table = table_format(&args.output, args.output_format, "output")?;
    let qpath = quarantine_path(args.quarantine.as_deref(), &args.input, &args.output, false)?;
    let setup = setup(&args.engine)?;
    let stage =
        Detect(Detection::new(Arc::clone(&setup.engine), setup.policy.clone()).findings_only());
    let table_sink = |_: &Opened, format: TableFormat, q: QuarantineFile| {
        Ok(TableSink::detected(&args.output, format, q)?)
    };
    let (summary, quarantine) = run_into(
        &setup,
        &stage,
        &AdmitAll,
        &src,
        Target {
            path: &args.output,
            table: out_table,
            quarantine: qpath,
        },
        &table_sink,
    )?;
    if !args.quiet {
        let report = Report {
            what: "detect",
            summary: &summary,
            quarantine: &quarantine,
            threads: setup.threads,
            key: None,
            dataset: None,
            learned: setup.learned_read(),
        };
        print(&report, false);
    }
    Ok(())
}
