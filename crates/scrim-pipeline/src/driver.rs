//! The driver: read a bounded batch, parse it on every thread, admit it (one call for the
//! batch), process the admitted records a few at a time on every thread, and hand each
//! record's outcome to the [`Sink`] in input order.

use std::io::BufRead;
use std::time::Instant;

use rayon::prelude::*;
use scrim_core::Record;

use crate::admit::{Admit, AdmitError, BadRecord, Verdict};
use crate::input::{InputError, Line, LineReader, DEFAULT_MAX_LINE_BYTES, TOO_LONG_KEPT};
use crate::sink::{Excluded, Origin, Quarantined, Sink, Withheld, Written};
use crate::stage::{Processed, Stage};
use crate::summary::RunSummary;

/// How much the driver holds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Lines per batch: enough to keep every thread busy, few enough to bound memory.
    pub batch_lines: usize,
    /// Bytes per batch, whichever limit comes first.
    pub batch_bytes: usize,
    /// Records per [`Stage::process`] call: the learned tier batches their windows together.
    pub records_per_call: usize,
    /// Lines longer than this are quarantined as `line_too_long` without being held whole.
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            batch_lines: 4096,
            batch_bytes: 16 << 20,
            records_per_call: 8,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// A run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError<E> {
    /// The input could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Admission could not decide a batch.
    #[error(transparent)]
    Admit(#[from] AdmitError),
    /// The sink failed.
    #[error(transparent)]
    Sink(E),
}

/// One pipeline: a stage, an admission, a thread budget and limits. Build it once, run it on
/// any number of inputs.
pub struct Pipeline<'a> {
    stage: &'a dyn Stage,
    admit: &'a dyn Admit,
    pool: &'a rayon::ThreadPool,
    limits: Limits,
    progress: Option<&'a dyn Fn(u64)>,
}

impl std::fmt::Debug for Pipeline<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("threads", &self.pool.current_num_threads())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Where a line stands after parsing and admission.
enum Slot {
    /// Admitted: its outcome comes from the stage.
    Go(Origin),
    /// Left out by admission.
    Excluded(Origin, scrim_store::Exclusion),
    /// Quarantined before processing.
    Bad(BadRecord),
}

impl<'a> Pipeline<'a> {
    /// Process admitted records with `stage`, decided by `admit`, on the threads of `pool`.
    pub fn new(stage: &'a dyn Stage, admit: &'a dyn Admit, pool: &'a rayon::ThreadPool) -> Self {
        Pipeline {
            stage,
            admit,
            pool,
            limits: Limits::default(),
            progress: None,
        }
    }

    /// Use these limits (default: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Call `f` with the input bytes of each batch once its outcomes are in the sink.
    pub fn on_progress(mut self, f: &'a dyn Fn(u64)) -> Self {
        self.progress = Some(f);
        self
    }

    /// Run `input` (JSONL) through the pipeline into `sink`, then [`Sink::finish`] it. Every
    /// non-blank line reaches the sink exactly once, in input order.
    pub fn run<R: BufRead, S: Sink + ?Sized>(
        &self,
        input: R,
        sink: &mut S,
    ) -> Result<RunSummary, RunError<S::Error>> {
        let start = Instant::now();
        let mut lines = LineReader::new(input, self.limits.max_line_bytes);
        let mut summary = RunSummary::default();
        loop {
            let batch = lines.batch(self.limits.batch_lines, self.limits.batch_bytes)?;
            if batch.is_empty() {
                break;
            }
            let bytes = self.run_lines(&batch, sink, &mut summary)?;
            if let Some(p) = self.progress {
                p(bytes);
            }
        }
        summary.seconds = start.elapsed().as_secs_f64();
        sink.finish(&summary).map_err(RunError::Sink)?;
        Ok(summary)
    }

    /// Run one batch of numbered lines into `sink`, counting it into `summary` (its records
    /// and its bytes, each line with a newline), and return the batch's bytes. The sink is not
    /// finished: a front end with its own reader (a Parquet file's rows as JSON lines) calls
    /// this once per batch, then [`Sink::finish`]. Each line keeps its number in the sink's
    /// events.
    pub fn run_lines<S: Sink + ?Sized>(
        &self,
        batch: &[(usize, Line)],
        sink: &mut S,
        summary: &mut RunSummary,
    ) -> Result<u64, RunError<S::Error>> {
        let bytes: u64 = batch.iter().map(|(_, l)| l.bytes().len() as u64 + 1).sum();
        let parsed: Vec<Result<Record, BadRecord>> = self
            .pool
            .install(|| batch.par_iter().map(|(_, l)| parse(l)).collect());
        let (go, slots) = self.admit_batch(batch, parsed)?;
        let results = self.process(go);
        emit(batch, slots, results, sink, summary).map_err(RunError::Sink)?;
        summary.input_bytes += bytes;
        Ok(bytes)
    }

    /// Admission for the whole batch at once (one call: one consent query).
    fn admit_batch(
        &self,
        batch: &[(usize, Line)],
        parsed: Vec<Result<Record, BadRecord>>,
    ) -> Result<(Vec<Record>, Vec<Slot>), AdmitError> {
        let records: Vec<&Record> = parsed.iter().filter_map(|p| p.as_ref().ok()).collect();
        let mut verdicts = self.admit.admit(&records)?.into_iter();
        let mut go = Vec::new();
        let mut slots = Vec::with_capacity(batch.len());
        for (p, (line, _)) in parsed.into_iter().zip(batch) {
            let rec = match p {
                Ok(rec) => rec,
                Err(bad) => {
                    slots.push(Slot::Bad(bad));
                    continue;
                }
            };
            let origin = Origin {
                line: *line,
                id: rec.id(),
                subject: rec.str_field("subject").map(str::to_string),
            };
            slots.push(match verdicts.next() {
                Some(Verdict::Admit) => {
                    go.push(rec);
                    Slot::Go(origin)
                }
                Some(Verdict::Exclude(x)) => Slot::Excluded(origin, x),
                Some(Verdict::Quarantine(bad)) => Slot::Bad(bad),
                None => Slot::Bad(internal("no admission decision for this record")),
            });
        }
        Ok((go, slots))
    }

    /// The stage's outcomes for `records`, in order, computed on the pool a few records per
    /// call.
    fn process(&self, records: Vec<Record>) -> Vec<Processed> {
        let per_call = self.limits.records_per_call.max(1);
        let mut chunks: Vec<Vec<Record>> = Vec::new();
        let mut it = records.into_iter().peekable();
        while it.peek().is_some() {
            chunks.push(it.by_ref().take(per_call).collect());
        }
        let stage = self.stage;
        self.pool.install(|| {
            chunks
                .into_par_iter()
                .flat_map_iter(|chunk| {
                    let n = chunk.len();
                    let mut out = stage.process(chunk);
                    out.resize_with(n, || {
                        Processed::Quarantined(internal("no result for this record"))
                    });
                    out
                })
                .collect()
        })
    }
}

fn internal(why: &str) -> BadRecord {
    BadRecord::new("internal", why)
}

/// A line as a record, or why it is not one (what and where, never content).
fn parse(line: &Line) -> Result<Record, BadRecord> {
    match line {
        Line::Text(text) => {
            Record::parse(text).map_err(|e| BadRecord::new(e.code(), e.to_string()))
        }
        Line::NotUtf8(_) => Err(BadRecord::new(
            "not_utf8",
            "line is not valid UTF-8 (raw_b64 holds its bytes)",
        )),
        Line::TooLong { bytes, .. } => Err(BadRecord::new(
            "line_too_long",
            format!(
                "line is {bytes} bytes, over the --max-line-bytes limit; the quarantine keeps its \
                 first {TOO_LONG_KEPT} bytes"
            ),
        )),
    }
}

/// Hand each line's outcome to the sink, in input order, counting it.
fn emit<S: Sink + ?Sized>(
    batch: &[(usize, Line)],
    slots: Vec<Slot>,
    results: Vec<Processed>,
    sink: &mut S,
    summary: &mut RunSummary,
) -> Result<(), S::Error> {
    let mut results = results.into_iter();
    for ((line, item), slot) in batch.iter().zip(slots) {
        summary.records += 1;
        let raw = item.bytes();
        match slot {
            Slot::Excluded(origin, exclusion) => {
                sink.excluded(&Excluded {
                    origin: &origin,
                    exclusion: &exclusion,
                })?;
                *summary.excluded.entry(exclusion.code()).or_default() += 1;
            }
            Slot::Bad(bad) => quarantine(sink, summary, *line, &bad, raw)?,
            Slot::Go(origin) => {
                let result = results.next().unwrap_or_else(|| {
                    Processed::Quarantined(internal("no result for this record"))
                });
                emit_processed(sink, summary, &origin, result, raw)?;
            }
        }
    }
    Ok(())
}

fn emit_processed<S: Sink + ?Sized>(
    sink: &mut S,
    summary: &mut RunSummary,
    origin: &Origin,
    result: Processed,
    raw: &[u8],
) -> Result<(), S::Error> {
    match result {
        Processed::Written { line, stats } => {
            sink.written(&Written {
                origin,
                line: &line,
                raw,
                stats: &stats,
            })?;
            summary.written += 1;
            summary.add_stats(&stats);
        }
        Processed::Withheld { reason, stats } => {
            sink.withheld(&Withheld {
                origin,
                reason,
                stats: &stats,
            })?;
            *summary.withheld.entry(reason.to_string()).or_default() += 1;
            summary.add_stats(&stats);
        }
        Processed::Quarantined(bad) => quarantine(sink, summary, origin.line, &bad, raw)?,
    }
    Ok(())
}

fn quarantine<S: Sink + ?Sized>(
    sink: &mut S,
    summary: &mut RunSummary,
    line: usize,
    bad: &BadRecord,
    raw: &[u8],
) -> Result<(), S::Error> {
    sink.quarantined(&Quarantined {
        line,
        code: bad.code,
        reason: &bad.reason,
        raw,
    })?;
    *summary.quarantined.entry(bad.code).or_default() += 1;
    Ok(())
}
