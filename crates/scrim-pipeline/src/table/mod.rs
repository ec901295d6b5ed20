//! Parquet and Arrow IPC files through the pipeline (feature `parquet`): what `scrim redact`
//! and `scrim detect` read and write when the input or the output is a table.
//!
//! - [`TableReader`] (`read.rs`) reads a Parquet file one row group at a time, in record
//!   batches of a bounded number of rows (never the whole file), or an Arrow IPC file or stream
//!   one record batch at a time (cut to the same bound).
//! - [`Pipeline::run_table`](crate::Pipeline::run_table) (`run.rs`) turns each batch's rows into
//!   the JSON records the command line would read ([`crate::arrow`]'s conversion, the Python
//!   binding's) and runs them through the same driver as a JSONL file
//!   ([`Pipeline::run_lines`](crate::Pipeline::run_lines)): the same admission, stage, summary
//!   and quarantine, rows numbered from 1 across the file.
//! - [`TableSink`] (`write.rs`) writes the outcomes as the column form of [`crate::arrow`]:
//!   every input column, `scrim` and `quarantine`, one output row per input row (a row not
//!   written is null but for its reason), into an [`AtomicFile`](crate::AtomicFile) (a
//!   temporary file beside the target, renamed when the run finishes). Quarantined rows also
//!   go, whole, to the quarantine file, as with JSONL.
//! - [`infer_jsonl_schema`] (`schema.rs`): the column types of a JSONL file's records (one
//!   streaming pass, nothing kept but the schema), for a JSONL input written as a table.
//!
//! Errors name the file and where in it (row group, record batch, rows), never content.

use std::io;
use std::path::{Path, PathBuf};

use crate::arrow::BatchError;
use crate::files::FileError;
use crate::input::InputError;

mod read;
mod run;
mod schema;
mod write;

pub use read::{TableBatch, TableReader};
pub use run::TableRunError;
pub use schema::infer_jsonl_schema;
pub use write::{detect_schema, TableSink};

/// Rows per batch read from a table, unless told otherwise: enough to keep every thread busy,
/// few enough to bound memory.
pub const DEFAULT_BATCH_ROWS: usize = 4096;

/// A table's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Apache Parquet.
    Parquet,
    /// The Arrow IPC file format (Feather v2). On input, a stream is read as well.
    ArrowFile,
    /// The Arrow IPC stream format. On input, a file is read as well.
    ArrowStream,
}

impl TableFormat {
    /// The format a path's extension names: `.parquet`; `.arrow`, `.feather` (IPC file);
    /// `.arrows`, `.ipc` (IPC stream). Anything else is not a table (JSONL).
    pub fn from_extension(path: &Path) -> Option<TableFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "parquet" => Some(TableFormat::Parquet),
            "arrow" | "feather" => Some(TableFormat::ArrowFile),
            "arrows" | "ipc" => Some(TableFormat::ArrowStream),
            _ => None,
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            TableFormat::Parquet => "Parquet",
            TableFormat::ArrowFile => "Arrow IPC file",
            TableFormat::ArrowStream => "Arrow IPC stream",
        }
    }
}

/// An error of the table readers and writers (the Parquet and Arrow libraries): structure
/// and types, as they report them.
pub type FormatError = Box<dyn std::error::Error + Send + Sync>;

/// A table could not be read or written. Messages name the file and where (row group, record
/// batch, rows, column), never content.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be opened.
    #[error("cannot open {}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: io::Error,
    },
    /// The file is not a readable table of its format.
    #[error("{} is not a readable {format}", path.display())]
    NotTable {
        /// The file.
        path: PathBuf,
        /// The format it was read as.
        format: &'static str,
        /// The reader's error.
        #[source]
        source: FormatError,
    },
    /// A part of the file could not be read.
    #[error("cannot read {} at {at}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Where: `row group 3`, `record batch 2`.
        at: String,
        /// The reader's error.
        #[source]
        source: FormatError,
    },
    /// The table's columns cannot be run (no `messages` or `text`, a reserved name, a type
    /// with no JSON form).
    #[error("{}{at}: {problem}", path.display())]
    Columns {
        /// The file.
        path: PathBuf,
        /// Where, when it is one batch (` at row group 3, rows 1 to 4096`), else empty.
        at: String,
        /// What (said in this error's message, not as its source).
        problem: Box<BatchError>,
    },
    /// The JSONL records' fields do not have one type each, so they have no table schema.
    #[error(
        "the records of {} do not give each field one type (a field is an object or a list in \
         one record and something else in another), so they have no {format} schema; write \
         JSONL instead",
        path.display()
    )]
    NoSchema {
        /// The JSONL file.
        path: PathBuf,
        /// The output format.
        format: &'static str,
    },
    /// The JSONL input could not be read (while finding its schema).
    #[error("cannot read {}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// The reader's error.
        #[source]
        source: InputError,
    },
    /// The output's rows could not be written.
    #[error("cannot write {} (rows {first} to {last})", path.display())]
    Write {
        /// The output.
        path: PathBuf,
        /// The first row (1-based) of the batch that failed.
        first: u64,
        /// Its last row.
        last: u64,
        /// The writer's error.
        #[source]
        source: FormatError,
    },
    /// The output's writer could not start (its header) or finish (its footer).
    #[error("cannot write {}", path.display())]
    Writer {
        /// The output.
        path: PathBuf,
        /// The writer's error.
        #[source]
        source: FormatError,
    },
    /// The output or the quarantine file could not be created, written or moved into place.
    #[error(transparent)]
    File(#[from] FileError),
}
