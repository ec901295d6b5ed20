//! `scrim stream`: records from a NATS JetStream stream through the pipeline of `scrim redact
//! --store` (the store's pseudonym key, lineage ids and consent; `scrim-stream` drives it) to
//! an output subject, each input acknowledged once its result is stored; metrics over HTTP;
//! stops gracefully on ctrl-c or SIGTERM.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;
use scrim_pipeline::{Pipeline, DEFAULT_MAX_LINE_BYTES};
use scrim_stream::nats::{check_subjects, InputConfig, Nats, OutputConfig};
use scrim_stream::{Metrics, Options, Stream};

use crate::summary::{print, Report};

/// `scrim stream`.
#[derive(Args, Debug)]
pub(crate) struct StreamArgs {
    /// The NATS server.
    #[arg(
        long,
        env = "SCRIM_NATS_URL",
        default_value = "nats://127.0.0.1:4222",
        value_name = "URL"
    )]
    nats: String,
    /// The JetStream stream holding the input: one record (a conversation or a document, as a
    /// JSONL line of `scrim redact`) per message.
    #[arg(long, value_name = "STREAM")]
    input_stream: String,
    /// Only the input stream's messages on this subject (default: all of them).
    #[arg(long, value_name = "SUBJECT")]
    input_subject: Option<String>,
    /// The durable consumer's name: where the stream resumes after a restart (created when
    /// missing).
    #[arg(long, value_name = "NAME", default_value = "scrim")]
    consumer: String,
    /// Seconds a message read and not acknowledged waits before it is read again (for a
    /// consumer this creates).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    ack_wait_secs: u64,
    /// Where redacted records are published.
    #[arg(long, value_name = "SUBJECT")]
    output_subject: String,
    /// Where malformed records are published, whole, with their reason (default:
    /// OUTPUT_SUBJECT.quarantine).
    #[arg(long, value_name = "SUBJECT")]
    quarantine_subject: Option<String>,
    /// Create this stream over the output and quarantine subjects when none stores them yet.
    /// Without it, a stream must already store both.
    #[arg(long, value_name = "STREAM")]
    output_stream: Option<String>,
    /// The de-duplication window of a stream --output-stream creates, in seconds: a result
    /// republished after a restart within it is stored once.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    duplicate_window_secs: u64,
    /// The most records read and not yet acknowledged (backpressure; one batch).
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_in_flight: usize,
    /// How long one read waits for a message, in milliseconds (a stop is seen within it when
    /// the input is idle).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    poll_ms: u64,
    /// Messages longer than this many bytes are quarantined as `line_too_long` (their first
    /// 64 KiB kept).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_message_bytes: usize,
    /// Serve the stream's counters as Prometheus text at http://ADDR/metrics.
    #[arg(long, value_name = "ADDR")]
    metrics: Option<String>,
    /// Stop once the input is consumed (nothing left to read, nothing unacknowledged).
    #[arg(long)]
    exit_when_drained: bool,
    /// Do not print the summary.
    #[arg(long)]
    quiet: bool,
    /// Print the summary as JSON (on standard error).
    #[arg(long)]
    summary_json: bool,
    /// The governance store (a SQLite file or a postgres:// URL): consent, lineage and the
    /// pseudonym key, as for `scrim redact --store`.
    #[arg(long, value_name = "URL")]
    store: String,
    /// The purpose the output serves.
    #[arg(long, value_name = "PURPOSE")]
    purpose: String,
    /// Governance policy (TOML). Default: the built-in one (policies/governance.toml).
    #[arg(long, value_name = "FILE")]
    governance: Option<std::path::PathBuf>,
    #[command(flatten)]
    keys: crate::gov::KeyArgs,
    #[command(flatten)]
    engine: crate::EngineArgs,
}

impl StreamArgs {
    fn input(&self) -> InputConfig {
        InputConfig {
            stream: self.input_stream.clone(),
            consumer: self.consumer.clone(),
            filter_subject: self.input_subject.clone(),
            ack_wait: Duration::from_secs(self.ack_wait_secs.max(1)),
            // JetStream's default, or room for a killed predecessor's batch and this run's.
            max_ack_pending: i64::try_from(self.max_in_flight.max(250) * 4).unwrap_or(i64::MAX),
        }
    }

    fn output(&self) -> OutputConfig {
        OutputConfig {
            subject: self.output_subject.clone(),
            quarantine_subject: self
                .quarantine_subject
                .clone()
                .unwrap_or_else(|| format!("{}.quarantine", self.output_subject)),
            create_stream: self
                .output_stream
                .clone()
                .map(|s| (s, Duration::from_secs(self.duplicate_window_secs))),
        }
    }
}

/// `scrim stream`.
pub(crate) fn stream(args: StreamArgs) -> Result<()> {
    let (input, output) = (args.input(), args.output());
    check_subjects(&output)?;
    let gov = crate::gov::governance(args.governance.as_deref())?;
    let run = crate::run::start_store_run(&args.keys, &args.store, gov, &args.purpose)?;
    let setup = crate::setup::setup(&args.engine)?;
    let stage = run.stage(Arc::clone(&setup.engine), setup.policy.clone());
    let admission = run.admission();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let nats = Nats::connect(rt.handle().clone(), &args.nats)?;
    let mut source = nats.source(&input)?;
    let (mut publisher, out_stream, window) = nats.publisher(&output)?;
    if out_stream == input.stream {
        bail!(
            "the output subject is stored in the input stream {out_stream}: results would be read back as input"
        );
    }

    let metrics = Arc::new(Metrics::new());
    let stop = Arc::new(AtomicBool::new(false));
    let metrics_at = match &args.metrics {
        Some(addr) => Some(rt.block_on(serve_metrics(addr.clone(), Arc::clone(&metrics)))?),
        None => None,
    };
    let signal = rt.block_on(async { scrim_server::stop_signal() })?;
    let flag = Arc::clone(&stop);
    rt.spawn(async move {
        signal.await;
        flag.store(true, Ordering::SeqCst);
    });

    if !args.quiet {
        let metrics_note = metrics_at
            .map(|a| format!("; metrics http://{a}/metrics"))
            .unwrap_or_default();
        eprintln!(
            "scrim stream: {} (consumer {}) -> {} and {} (stream {out_stream}, duplicate window {} s); purpose {}; tiers {}; {}{metrics_note}",
            input.stream,
            input.consumer,
            output.subject,
            output.quarantine_subject,
            window.as_secs(),
            run.purpose(),
            crate::setup::tier_names(&setup.tiers),
            run.describe(),
        );
    }

    let options = Options {
        max_in_flight: args.max_in_flight,
        poll: Duration::from_millis(args.poll_ms.max(1)),
        max_message_bytes: args.max_message_bytes,
        exit_when_drained: args.exit_when_drained,
    };
    let pipeline = Pipeline::new(&stage, &admission, &setup.pool);
    let summary = Stream::new(pipeline, run.lineage(), options, &metrics).run(
        &mut source,
        &mut publisher,
        &stop,
    )?;
    if !args.quiet || args.summary_json {
        let key = run.describe();
        let report = Report {
            what: "stream",
            summary: &summary,
            quarantine: Path::new(&output.quarantine_subject),
            threads: setup.threads,
            key: Some(&key),
            dataset: None,
            learned: setup.learned_read(),
        };
        print(&report, args.summary_json);
        if !args.summary_json {
            let dups = metrics.duplicates.load(Ordering::Relaxed);
            let rate = if summary.seconds > 0.0 {
                summary.records as f64 / summary.seconds
            } else {
                0.0
            };
            eprintln!(
                "  published to {}: {} records/s; {dups} already stored (republished after a restart)",
                output.subject, rate as u64
            );
        }
    }
    Ok(())
}

/// Serve the counters at `/metrics` on `addr`; returns the address bound.
async fn serve_metrics(addr: String, metrics: Arc<Metrics>) -> Result<String> {
    let (listener, bound) = crate::serve::bind(addr).await?;
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let m = Arc::clone(&metrics);
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    m.render(),
                )
            }
        }),
    );
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("scrim stream: the metrics endpoint stopped: {e}");
        }
    });
    Ok(bound)
}
