//! The stream's loop: lend a bounded batch from the [`Source`], run it through the pipeline,
//! publish the results and wait until the broker has stored them, and only then acknowledge
//! the batch's inputs. A crash anywhere before the acknowledgement leaves the inputs to be lent
//! again; their results are published again under the same ids, which the broker recognises
//! as duplicates.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use scrim_pipeline::{Line, Pipeline, RunError, RunSummary, DEFAULT_MAX_LINE_BYTES};
use scrim_store::Lineage;

use crate::batch::{line, BatchSink};
use crate::broker::{Delivery, Publisher, Source};
use crate::metrics::Metrics;

/// How the stream runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The most records read and not yet acknowledged (the batch bound: backpressure).
    pub max_in_flight: usize,
    /// How long one fetch waits for the first message (and so how soon a stop is seen when
    /// the input is idle).
    pub poll: Duration,
    /// Messages longer than this are quarantined as `line_too_long` (their head kept).
    pub max_message_bytes: usize,
    /// Stop once the input is consumed (nothing left to read, nothing unacknowledged).
    pub exit_when_drained: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_in_flight: 256,
            poll: Duration::from_secs(1),
            max_message_bytes: DEFAULT_MAX_LINE_BYTES,
            exit_when_drained: false,
        }
    }
}

/// The stream stopped on an error. Nothing of the batch in hand was acknowledged.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading from the input failed.
    #[error("reading from the input")]
    Fetch(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Admission could not decide a batch (the store did not answer).
    #[error("admitting a batch")]
    Admit(#[source] scrim_pipeline::AdmitError),
    /// Publishing the results failed: they may not be stored, so the inputs were not
    /// acknowledged.
    #[error("publishing a batch's results")]
    Publish(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Acknowledging the inputs failed (their results are stored; a later run republishes
    /// them under the same ids, which the broker recognises).
    #[error("acknowledging a batch")]
    Ack(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// A stream: the pipeline (stage and admission), the lineage key that makes de-duplication
/// ids, its options and its counters.
pub struct Stream<'a> {
    pipeline: Pipeline<'a>,
    lineage: &'a Lineage,
    options: Options,
    metrics: &'a Metrics,
}

impl std::fmt::Debug for Stream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("pipeline", &self.pipeline)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a> Stream<'a> {
    /// A stream through `pipeline`, ids made with `lineage`, counted in `metrics`.
    pub fn new(
        pipeline: Pipeline<'a>,
        lineage: &'a Lineage,
        options: Options,
        metrics: &'a Metrics,
    ) -> Stream<'a> {
        Stream {
            pipeline,
            lineage,
            options,
            metrics,
        }
    }

    /// Run until `stop` is set (the batch in hand is finished: published and acknowledged),
    /// until the input is consumed with [`Options::exit_when_drained`], or until an error.
    pub fn run<S: Source, P: Publisher>(
        &self,
        source: &mut S,
        publisher: &mut P,
        stop: &AtomicBool,
    ) -> Result<RunSummary, StreamError> {
        let start = Instant::now();
        let mut summary = RunSummary::default();
        let result = self.run_loop(source, publisher, stop, &mut summary);
        if result.is_err() {
            Metrics::add(&self.metrics.errors, 1);
        }
        summary.seconds = start.elapsed().as_secs_f64();
        result.map(|()| summary)
    }

    fn run_loop<S: Source, P: Publisher>(
        &self,
        source: &mut S,
        publisher: &mut P,
        stop: &AtomicBool,
        summary: &mut RunSummary,
    ) -> Result<(), StreamError> {
        let max = self.options.max_in_flight.max(1);
        while !stop.load(Ordering::SeqCst) {
            let batch = source
                .fetch(max, self.options.poll)
                .map_err(|e| StreamError::Fetch(Box::new(e)))?;
            if let Some(lag) = source.lag() {
                let lag = i64::try_from(lag).unwrap_or(i64::MAX);
                self.metrics.lag.store(lag, Ordering::Relaxed);
            }
            if batch.is_empty() {
                if self.options.exit_when_drained
                    && source
                        .drained()
                        .map_err(|e| StreamError::Fetch(Box::new(e)))?
                {
                    return Ok(());
                }
                continue;
            }
            self.batch(batch, source, publisher, summary)?;
        }
        Ok(())
    }

    /// One batch: pipeline, publish (stored), acknowledge, count.
    fn batch<S: Source, P: Publisher>(
        &self,
        batch: Vec<Delivery<S::Token>>,
        source: &mut S,
        publisher: &mut P,
        summary: &mut RunSummary,
    ) -> Result<(), StreamError> {
        let m = self.metrics;
        let n = batch.len() as u64;
        m.in_flight.store(n, Ordering::Relaxed);
        Metrics::add(&m.records, n);
        let mut positions = Vec::with_capacity(batch.len());
        let mut numbered: Vec<(usize, Line)> = Vec::with_capacity(batch.len());
        let mut tokens = Vec::with_capacity(batch.len());
        for (i, d) in batch.into_iter().enumerate() {
            Metrics::add(&m.input_bytes, d.payload.len() as u64);
            positions.push(d.position);
            numbered.push((i + 1, line(d.payload, self.options.max_message_bytes)));
            tokens.push(d.token);
        }
        let mut sink = BatchSink::new(numbered.len());
        self.pipeline
            .run_lines(&numbered, &mut sink, summary)
            .map_err(|e| match e {
                RunError::Admit(a) => StreamError::Admit(a),
                RunError::Input(i) => StreamError::Fetch(Box::new(i)),
                RunError::Sink(never) => match never {},
            })?;
        let limit = publisher.max_payload();
        let (outgoing, counts) = sink.outgoing(&positions, &numbered, self.lineage, limit);
        drop(numbered);
        let published = publisher
            .publish(outgoing)
            .map_err(|e| StreamError::Publish(Box::new(e)))?;
        source
            .ack(tokens)
            .map_err(|e| StreamError::Ack(Box::new(e)))?;
        Metrics::add(&m.written, counts.written);
        Metrics::add(&m.withheld, counts.withheld);
        Metrics::add(&m.excluded, counts.excluded);
        Metrics::add(&m.quarantined, counts.quarantined);
        Metrics::add(&m.duplicates, published.duplicates);
        Metrics::add(&m.batches, 1);
        m.in_flight.store(0, Ordering::Relaxed);
        Ok(())
    }
}
