//! Scrim's batch pipeline as a library: what `scrim redact` and `scrim detect` do, for any
//! front end (the command line, a binding, a stream consumer).
//!
//! ```text
//! BufRead ─ LineReader: bounded batches (lines, bytes; over-long lines kept as their head)
//!    ─ parse on every thread ─ Admit: one call per batch (one consent query)
//!    ─ Stage on the thread pool, a few records per call (Redact, Detect)
//!    ─ Sink, in input order: written | withheld | excluded | quarantined, then finish
//! ```
//!
//! - [`Pipeline`]: the driver, with its [`Limits`]; [`Pipeline::run`] returns a [`RunSummary`].
//! - [`Sink`]: one narrow trait that receives every outcome; [`JsonlSink`] writes a JSONL file
//!   and a quarantine file atomically, [`DatasetSink`] a dataset registered in the store.
//! - [`admit`]: [`Verdict`]s by source rules and consent; [`admit::by_consent`] serves one
//!   record as well as a batch.
//! - The [`Stage`]: [`Redact`] (a [`scrim_core::Redactor`], subjects as lineage ids in a store run)
//!   or [`Detect`] (keyless [`Detection`]: profile seeds without a redaction key).
//! - [`CollectSink`] and [`Pipeline::run_records`]: outcomes in memory, for in-process front
//!   ends; with the `arrow` feature, `arrow::redact_batch` runs an Arrow record batch.
//! - With the `parquet` feature, `table`: Parquet and Arrow IPC files in and out (read row group
//!   by row group, written atomically), through [`Pipeline::run_lines`], the driver's step.
//! - [`StoreRun`]: what a store-backed run reads once (lineage, pseudonym key) and shares.
//! - [`StoreAdmission`]: admission for a job that writes its own output (Spark, Ray, through
//!   the Python binding): verdicts, lineage ids, the admitted subjects recorded in the store.
//!
//! Nothing is dropped unseen: a line that is not a record, a record with a bad subject, one a
//! detector could not read, each reaches [`Sink::quarantined`] with a code and a reason that
//! names what and where, never content.

mod admission;
pub mod admit;
#[cfg(feature = "arrow")]
pub mod arrow;
mod collect;
mod dataset;
mod driver;
mod files;
mod input;
mod sink;
mod stage;
mod store;
mod summary;
#[cfg(feature = "parquet")]
pub mod table;

pub use admission::{AdmissionError, AdmissionReport, RowLineage, RowVerdict, StoreAdmission};
pub use admit::{Admit, AdmitAll, AdmitError, BadRecord, ConsentAdmission, SourceRules, Verdict};
pub use collect::{CollectSink, NotWritten, RecordOutcome};
pub use dataset::{DatasetError, DatasetOptions, DatasetReport, DatasetSink, RawRetained};
pub use driver::{Limits, Pipeline, RunError};
pub use files::{AtomicFile, FileError, JsonlSink, QuarantineFile};
pub use input::{InputError, Line, LineReader, DEFAULT_MAX_LINE_BYTES, TOO_LONG_KEPT};
pub use sink::{Excluded, Origin, Quarantined, Sink, Withheld, Written};
pub use stage::{processed, spans_json, Detect, Detection, Processed, Redact, Stage};
pub use store::{BlockingStore, OpenError, StoreRun};
pub use summary::RunSummary;

#[cfg(test)]
mod tests;
