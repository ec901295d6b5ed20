//! `scrim`: detect and replace personal data in chat logs, in batch.

mod bench;
mod bench_regions;
mod eval;
mod eval_html;
mod gov;
mod io;
mod presidio;
mod run;
mod serve;
mod setup;
mod stream;
mod summary;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

/// Scrim keeps personal data in AI chat logs away from reviewers and training pipelines.
#[derive(Parser, Debug)]
#[command(name = "scrim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Redact a file of conversations or documents (JSONL, Parquet, Arrow IPC).
    Redact(RedactArgs),
    /// Write the spans detected in each record (code point offsets).
    Detect(DetectArgs),
    /// Score detection against a labeled corpus (same numbers as shared/tools/score.py).
    Eval(eval::EvalArgs),
    /// Measure detection and redaction throughput on a corpus.
    Bench(bench::BenchArgs),
    /// Record and read consent per subject and purpose (history is kept).
    #[command(subcommand)]
    Consent(gov::ConsentCmd),
    /// Opt a subject out of every purpose, past and future (tombstones their datasets; the
    /// review gateway withholds their tasks at once).
    Optout {
        /// The subject.
        subject: String,
        #[command(flatten)]
        store: gov::StoreArgs,
        /// Master keyring (optional): links the subject to their lineage id now, to list their
        /// review tasks.
        #[command(flatten)]
        keys: gov::KeyArgs,
    },
    /// Forget a subject: opt out, destroy their raw-record key, tombstone every dataset, delete
    /// their review tasks (with ratings, flags and profile facts).
    Forget {
        /// The subject.
        subject: String,
        #[command(flatten)]
        store: gov::StoreArgs,
        /// Master keyring (optional): links the subject to their lineage id now, so that their
        /// review tasks are deleted by this command (else at the gateway's next request).
        #[command(flatten)]
        keys: gov::KeyArgs,
    },
    /// List the datasets in the store, with pending compactions and each one's state.
    Datasets {
        #[command(subcommand)]
        cmd: Option<gov::DatasetsCmd>,
        #[command(flatten)]
        store: gov::StoreArgs,
    },
    /// Rewrite a dataset's shards without tombstoned subjects (atomically) and record a receipt.
    Compact {
        /// The dataset's name, id or directory.
        dataset: Option<String>,
        /// Every dataset with pending tombstones.
        #[arg(long, conflicts_with = "dataset")]
        all: bool,
        #[command(flatten)]
        store: gov::StoreArgs,
    },
    /// Master keys: create, rotate, status.
    #[command(subcommand)]
    Keys(gov::KeysCmd),
    /// Retained raw records (sealed per subject).
    #[command(subcommand)]
    Raw(gov::RawCmd),
    /// Run the review gateway: REST API and web console on a loopback address.
    Serve(serve::ServeArgs),
    /// Presidio's analyzer and anonymizer REST API (/analyze, /anonymize, ...) with no store
    /// (and no sign-in unless --token-file), for existing Presidio clients (LiteLLM's guardrail
    /// and others).
    Presidio(presidio::PresidioArgs),
    /// Redact records from a NATS JetStream stream to an output subject as they arrive (the
    /// store's keys and consent, as `redact --store`); each input acknowledged once its result
    /// is stored.
    Stream(Box<stream::StreamArgs>),
    /// Gateway users: create one (and its API token).
    #[command(subcommand)]
    Users(serve::UsersCmd),
    /// The gateway's audit log.
    #[command(subcommand)]
    Audit(serve::AuditCmd),
}

/// Options shared by every command that processes records.
#[derive(Args, Debug, Clone)]
pub(crate) struct EngineArgs {
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// Detector tiers to run, comma-separated (default: the policy's, `rules`).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub(crate) tiers: Option<Vec<String>>,
    /// Redaction policy (TOML). Default: the built-in policy (policies/default.toml).
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: Option<PathBuf>,
    /// The `model` tier's directory (model.onnx, tokenizer.json, config.json). Default: the
    /// policy's `detection.model_dir`, else SCRIM_MODEL_DIR, else models/scrim-ner here or beside
    /// the executable.
    #[arg(long, value_name = "DIR")]
    pub(crate) model_dir: Option<PathBuf>,
    /// The `student` tier's directory (the `cascade` tier reads it and the model's). Default:
    /// the policy's `detection.student_dir`, else SCRIM_STUDENT_DIR, else models/scrim-student
    /// here or beside the executable.
    #[arg(long, value_name = "DIR")]
    pub(crate) student_dir: Option<PathBuf>,
}

/// `scrim redact`.
#[derive(Args, Debug)]
pub(crate) struct RedactArgs {
    /// Input: JSONL, Parquet or Arrow IPC, by its extension or --format (`-` for standard
    /// input, JSONL).
    pub(crate) input: PathBuf,
    /// Output: JSONL, Parquet or Arrow IPC, by its extension or --output-format (`-` for
    /// standard output, JSONL), written atomically; with --store, a new dataset directory.
    #[arg(short, long, value_name = "OUT")]
    pub(crate) output: PathBuf,
    /// The input's format. Default: by its extension (`.parquet`; `.arrow`, `.feather`,
    /// `.arrows`, `.ipc` for Arrow IPC), else JSONL.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<io::Format>,
    /// The output's format. Default: by its extension, as for the input. A table keeps every
    /// input column (a JSONL input's are inferred in a first pass over it) and adds `scrim`
    /// and `quarantine`.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) output_format: Option<io::Format>,
    /// Where malformed lines go (default: OUT.quarantine.jsonl).
    #[arg(long, value_name = "FILE")]
    pub(crate) quarantine: Option<PathBuf>,
    /// Lines longer than this many bytes are quarantined as `line_too_long` (without being
    /// read whole into memory).
    #[arg(long, value_name = "BYTES", default_value_t = io::DEFAULT_MAX_LINE_BYTES)]
    pub(crate) max_line_bytes: usize,
    /// File holding the pseudonymization key (any bytes; 32 random bytes recommended).
    /// Alternatively set SCRIM_KEY. Without either, a fresh random key is used for this run.
    #[arg(long, value_name = "FILE")]
    pub(crate) key_file: Option<PathBuf>,
    /// Do not print the summary.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Print the summary as JSON (on standard error).
    #[arg(long)]
    pub(crate) summary_json: bool,
    /// The governance store (a SQLite file or a postgres:// URL). With it, records are admitted
    /// by consent and source rules for --purpose, and OUT is a dataset directory registered
    /// with its lineage.
    #[arg(long, value_name = "URL")]
    pub(crate) store: Option<String>,
    /// The purpose this output serves (with --store).
    #[arg(long, value_name = "PURPOSE")]
    pub(crate) purpose: Option<String>,
    /// The dataset's name in the store (default: OUT's directory name).
    #[arg(long, value_name = "NAME")]
    pub(crate) dataset: Option<String>,
    /// Records per shard file (default 10000).
    #[arg(long, value_name = "N")]
    pub(crate) shard_records: Option<usize>,
    /// Keep each admitted raw record, sealed under its subject's key, in this directory (to
    /// re-process later; forgetting the subject makes it unreadable).
    #[arg(long, value_name = "DIR")]
    pub(crate) retain_raw: Option<PathBuf>,
    /// Governance policy (TOML): sources, consent modes, purposes. Default: the built-in one
    /// (policies/governance.toml).
    #[arg(long, value_name = "FILE")]
    pub(crate) governance: Option<PathBuf>,
    /// Master keyring (with --store).
    #[command(flatten)]
    pub(crate) keys: gov::KeyArgs,
    /// Engine options.
    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// `scrim detect`.
#[derive(Args, Debug)]
pub(crate) struct DetectArgs {
    /// Input: JSONL, Parquet or Arrow IPC, by its extension or --format (`-` for standard
    /// input, JSONL).
    pub(crate) input: PathBuf,
    /// Output of predictions: JSONL, Parquet or Arrow IPC, by its extension or
    /// --output-format (`-` for standard output, JSONL). A table has the columns `id`,
    /// `spans` and `quarantine`.
    #[arg(short, long, value_name = "OUT", default_value = "-")]
    pub(crate) output: PathBuf,
    /// The input's format. Default: by its extension (`.parquet`; `.arrow`, `.feather`,
    /// `.arrows`, `.ipc` for Arrow IPC), else JSONL.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<io::Format>,
    /// The output's format. Default: by its extension, as for the input.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) output_format: Option<io::Format>,
    /// Where malformed lines go (default: OUT.quarantine.jsonl).
    #[arg(long, value_name = "FILE")]
    pub(crate) quarantine: Option<PathBuf>,
    /// Lines longer than this many bytes are quarantined as `line_too_long` (without being
    /// read whole into memory).
    #[arg(long, value_name = "BYTES", default_value_t = io::DEFAULT_MAX_LINE_BYTES)]
    pub(crate) max_line_bytes: usize,
    /// Do not print the summary.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Engine options.
    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result: Result<()> = match cli.command {
        Command::Redact(a) => run::redact(a),
        Command::Detect(a) => run::detect(a),
        Command::Eval(a) => eval::eval(a),
        Command::Bench(a) => bench::bench(a),
        Command::Consent(c) => gov::consent(c),
        Command::Optout {
            subject,
            store,
            keys,
        } => gov::optout_or_forget(&subject, &store, &keys, false),
        Command::Forget {
            subject,
            store,
            keys,
        } => gov::optout_or_forget(&subject, &store, &keys, true),
        Command::Datasets { cmd: None, store } => gov::datasets(&store),
        Command::Datasets {
            cmd: Some(gov::DatasetsCmd::Recover { dir, all, store }),
            ..
        } => gov::recover(dir.as_deref(), all, &store),
        Command::Datasets {
            cmd:
                Some(gov::DatasetsCmd::Register {
                    dir,
                    purpose,
                    name,
                    governance,
                    store,
                }),
            ..
        } => gov::register(
            &dir,
            &purpose,
            name.as_deref(),
            governance.as_deref(),
            &store,
        ),
        Command::Compact {
            dataset,
            all,
            store,
        } => gov::compact(dataset.as_deref(), all, &store),
        Command::Keys(c) => gov::keys(c),
        Command::Raw(c) => gov::raw(c),
        Command::Serve(a) => serve::serve(a),
        Command::Presidio(a) => presidio::presidio(a),
        Command::Stream(a) => stream::stream(*a),
        Command::Users(c) => serve::users(c),
        Command::Audit(c) => serve::audit(c),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scrim: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
