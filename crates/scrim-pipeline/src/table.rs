//! Parquet and Arrow IPC files through the pipeline (feature `parquet`): what `scrim redact`
//! and `scrim detect` read and write when the input or the output is a table.
//!
//! - [`TableReader`] reads a Parquet file one row group at a time, in record batches of a
//!   bounded number of rows (never the whole file), or an Arrow IPC file or stream one record
//!   batch at a time (cut to the same bound).
//! - [`Pipeline::run_table`] turns each batch's rows into the JSON records the command line
//!   would read ([`crate::arrow`]'s conversion, the Python binding's) and runs them through
//!   the same driver as a JSONL file ([`Pipeline::run_lines`]): the same admission, stage,
//!   summary and quarantine, rows numbered from 1 across the file.
//! - [`TableSink`] writes the outcomes as the column form of [`crate::arrow`]: every input
//!   column, `scrim` and `quarantine`, one output row per input row (a row not written is null
//!   but for its reason), into an [`AtomicFile`] (a temporary file beside the target, renamed
//!   when the run finishes). Quarantined rows also go, whole, to the quarantine file, as with
//!   JSONL.
//! - [`infer_jsonl_schema`]: the column types of a JSONL file's records (one streaming pass,
//!   nothing kept but the schema), for a JSONL input written as a table.
//!
//! Errors name the file and where in it (row group, record batch, rows), never content.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_ipc::writer::{FileWriter, StreamWriter};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use scrim_store::dataset::crash_point;
use serde_json::Value;

use crate::arrow::{check_reserved, check_schema, encode_rows, outcomes_batch, output_schema};
use crate::arrow::{BatchError, QUARANTINE_COLUMN};
use crate::collect::CollectSink;
use crate::driver::{Pipeline, RunError};
use crate::files::{AtomicFile, FileError, QuarantineFile};
use crate::input::{InputError, Line, LineReader};
use crate::sink::{Excluded, Quarantined, Sink, Withheld, Written};
use crate::summary::RunSummary;

/// Rows per batch read from a table, unless told otherwise: enough to keep every thread busy,
/// few enough to bound memory.
pub const DEFAULT_BATCH_ROWS: usize = 4096;

/// A Parquet row group is written out once its encoded size reaches this (bounded memory on
/// output too).
const ROW_GROUP_BYTES: usize = 128 << 20;

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

/// One batch read from a table, with where it lies.
#[derive(Debug)]
pub struct TableBatch {
    /// Its rows.
    pub batch: RecordBatch,
    /// The number of rows before it in the file.
    pub rows_before: u64,
    /// `row group 3` or `record batch 2` (0-based, as the formats number them).
    pub part: String,
}

impl TableBatch {
    /// Where it lies, for messages: ` at row group 3, rows 1 to 4096` (rows 1-based).
    pub fn at(&self) -> String {
        format!(
            " at {}, rows {} to {}",
            self.part,
            self.rows_before + 1,
            self.rows_before + self.batch.num_rows() as u64
        )
    }
}

enum Source {
    Parquet {
        file: File,
        metadata: ArrowReaderMetadata,
        next_group: usize,
        current: Option<(usize, ParquetRecordBatchReader)>,
    },
    IpcFile(FileReader<BufReader<File>>),
    IpcStream(StreamReader<BufReader<File>>),
}

/// A table read in bounded batches: a Parquet file row group by row group, an Arrow IPC file
/// or stream record batch by record batch; no batch longer than the bound.
pub struct TableReader {
    path: PathBuf,
    format: TableFormat,
    source: Source,
    schema: SchemaRef,
    batch_rows: usize,
    rows_read: u64,
    batches_read: usize,
    /// The rest of an IPC record batch longer than the bound, and its part.
    rest: Option<(RecordBatch, String)>,
}

impl std::fmt::Debug for TableReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("rows_read", &self.rows_read)
            .finish_non_exhaustive()
    }
}

/// The Arrow IPC file format's first bytes.
const IPC_FILE_MAGIC: &[u8; 6] = b"ARROW1";

impl TableReader {
    /// Open `path` as `format`, reading at most `batch_rows` rows at a time. An Arrow IPC
    /// input is read as a file or a stream, whichever it is.
    pub fn open(
        path: &Path,
        format: TableFormat,
        batch_rows: usize,
    ) -> Result<TableReader, TableError> {
        let open_err = |source| TableError::Open {
            path: path.to_path_buf(),
            source,
        };
        let not_table = |format: TableFormat, source: FormatError| TableError::NotTable {
            path: path.to_path_buf(),
            format: format.name(),
            source,
        };
        let mut file = File::open(path).map_err(open_err)?;
        let (source, schema, format) = match format {
            TableFormat::Parquet => {
                let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::default())
                    .map_err(|e| not_table(format, e.into()))?;
                let schema = Arc::clone(metadata.schema());
                let source = Source::Parquet {
                    file,
                    metadata,
                    next_group: 0,
                    current: None,
                };
                (source, schema, format)
            }
            TableFormat::ArrowFile | TableFormat::ArrowStream => {
                let mut magic = [0u8; 6];
                let n = read_up_to(&mut file, &mut magic).map_err(open_err)?;
                file.seek(SeekFrom::Start(0)).map_err(open_err)?;
                if n == magic.len() && &magic == IPC_FILE_MAGIC {
                    let r = FileReader::try_new_buffered(file, None)
                        .map_err(|e| not_table(TableFormat::ArrowFile, e.into()))?;
                    let schema = r.schema();
                    (Source::IpcFile(r), schema, TableFormat::ArrowFile)
                } else {
                    let r = StreamReader::try_new_buffered(file, None)
                        .map_err(|e| not_table(TableFormat::ArrowStream, e.into()))?;
                    let schema = r.schema();
                    (Source::IpcStream(r), schema, TableFormat::ArrowStream)
                }
            }
        };
        Ok(TableReader {
            path: path.to_path_buf(),
            format,
            source,
            schema,
            batch_rows: batch_rows.max(1),
            rows_read: 0,
            batches_read: 0,
            rest: None,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its format (for Arrow IPC, the one the file turned out to be).
    pub fn format(&self) -> TableFormat {
        self.format
    }

    /// The table's schema.
    pub fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    /// Whether its rows can be run: a `messages` or a `text` column, none of the columns the
    /// output adds (`scrim`, `quarantine`).
    pub fn check(&self) -> Result<(), TableError> {
        check_schema(&self.schema).map_err(|problem| TableError::Columns {
            path: self.path.clone(),
            at: String::new(),
            problem: Box::new(problem),
        })
    }

    /// Its rows, when the file says (Parquet).
    pub fn total_rows(&self) -> Option<u64> {
        match &self.source {
            Source::Parquet { metadata, .. } => Some(
                metadata
                    .metadata()
                    .row_groups()
                    .iter()
                    .map(|g| g.num_rows().max(0) as u64)
                    .sum(),
            ),
            Source::IpcFile(_) | Source::IpcStream(_) => None,
        }
    }

    /// The next batch, or `None` at the end.
    pub fn next_batch(&mut self) -> Result<Option<TableBatch>, TableError> {
        let next = match self.rest.take() {
            Some(rest) => Some(rest),
            None => self.read()?,
        };
        let Some((batch, part)) = next else {
            return Ok(None);
        };
        // An IPC batch longer than the bound is handed on in slices.
        let batch = if batch.num_rows() > self.batch_rows {
            let rest = batch.slice(self.batch_rows, batch.num_rows() - self.batch_rows);
            self.rest = Some((rest, part.clone()));
            batch.slice(0, self.batch_rows)
        } else {
            batch
        };
        let out = TableBatch {
            rows_before: self.rows_read,
            part,
            batch,
        };
        self.rows_read += out.batch.num_rows() as u64;
        Ok(Some(out))
    }

    /// The next batch as the format gives it, with its part.
    fn read(&mut self) -> Result<Option<(RecordBatch, String)>, TableError> {
        let path = &self.path;
        match &mut self.source {
            Source::Parquet {
                file,
                metadata,
                next_group,
                current,
            } => loop {
                if let Some((group, reader)) = current {
                    let group = *group;
                    match reader.next() {
                        Some(Ok(batch)) => return Ok(Some((batch, format!("row group {group}")))),
                        Some(Err(e)) => {
                            return Err(TableError::Read {
                                path: path.clone(),
                                at: format!("row group {group}"),
                                source: e.into(),
                            })
                        }
                        None => *current = None,
                    }
                }
                let group = *next_group;
                if group >= metadata.metadata().num_row_groups() {
                    return Ok(None);
                }
                *next_group += 1;
                let read_err = |source: FormatError| TableError::Read {
                    path: path.clone(),
                    at: format!("row group {group}"),
                    source,
                };
                let handle = file.try_clone().map_err(|e| read_err(e.into()))?;
                let reader =
                    ParquetRecordBatchReaderBuilder::new_with_metadata(handle, metadata.clone())
                        .with_row_groups(vec![group])
                        .with_batch_size(self.batch_rows)
                        .build()
                        .map_err(|e| read_err(e.into()))?;
                *current = Some((group, reader));
            },
            Source::IpcFile(r) => ipc_next(r, path, &mut self.batches_read),
            Source::IpcStream(r) => ipc_next(r, path, &mut self.batches_read),
        }
    }
}

fn ipc_next(
    reader: &mut dyn Iterator<Item = Result<RecordBatch, ArrowError>>,
    path: &Path,
    batches_read: &mut usize,
) -> Result<Option<(RecordBatch, String)>, TableError> {
    let n = *batches_read;
    match reader.next() {
        None => Ok(None),
        Some(Ok(batch)) => {
            *batches_read += 1;
            Ok(Some((batch, format!("record batch {n}"))))
        }
        Some(Err(e)) => Err(TableError::Read {
            path: path.to_path_buf(),
            at: format!("record batch {n}"),
            source: e.into(),
        }),
    }
}

/// Read until `buf` is full or the file ends; the bytes read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..).filter(|r| !r.is_empty()) {
        match r.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A table run stopped.
#[derive(Debug, thiserror::Error)]
pub enum TableRunError<E> {
    /// The table could not be read.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The pipeline stopped (admission, or the sink).
    #[error(transparent)]
    Run(RunError<E>),
}

impl Pipeline<'_> {
    /// Run a table's rows through the pipeline into `sink`, batch by batch, then
    /// [`Sink::finish`] it: each row as the JSON record [`crate::arrow`] makes of it, numbered
    /// from 1 across the file. `on_rows` hears how many rows each batch held once their
    /// outcomes are in the sink. The summary's bytes are the rows' JSON bytes.
    pub fn run_table<S: Sink + ?Sized>(
        &self,
        reader: &mut TableReader,
        sink: &mut S,
        on_rows: &dyn Fn(u64),
    ) -> Result<RunSummary, TableRunError<S::Error>> {
        let start = Instant::now();
        reader.check()?;
        let mut summary = RunSummary::default();
        while let Some(part) = reader.next_batch()? {
            let rows = encode_rows(&part.batch).map_err(|problem| TableError::Columns {
                path: reader.path().to_path_buf(),
                at: part.at(),
                problem: Box::new(problem),
            })?;
            let first = part.rows_before;
            let lines: Vec<(usize, Line)> = rows
                .into_iter()
                .enumerate()
                .map(|(i, row)| (usize::try_from(first).unwrap_or(usize::MAX) + i + 1, row))
                .map(|(n, row)| (n, Line::Text(row)))
                .collect();
            drop(part);
            self.run_lines(&lines, sink, &mut summary)
                .map_err(TableRunError::Run)?;
            on_rows(lines.len() as u64);
        }
        summary.seconds = start.elapsed().as_secs_f64();
        sink.finish(&summary)
            .map_err(|e| TableRunError::Run(RunError::Sink(e)))?;
        Ok(summary)
    }
}

/// The column types of the records of a JSONL input, read once from start to end (nothing but
/// the schema is kept): each field's type over every record, as `arrow_json` infers it. Lines
/// that are not JSON objects are passed over (the run quarantines them).
pub fn infer_jsonl_schema<R: BufRead>(
    path: &Path,
    input: R,
    max_line_bytes: usize,
    format: TableFormat,
) -> Result<Schema, TableError> {
    let mut objects = Objects {
        lines: LineReader::new(input, max_line_bytes),
        buf: Vec::new().into_iter(),
        error: None,
    };
    let inferred = arrow_json::reader::infer_json_schema_from_iterator(&mut objects);
    if let Some(source) = objects.error {
        return Err(TableError::Input {
            path: path.to_path_buf(),
            source,
        });
    }
    // arrow's message may quote a value: it is not passed on.
    let schema = inferred.map_err(|_| TableError::NoSchema {
        path: path.to_path_buf(),
        format: format.name(),
    })?;
    check_reserved(&schema).map_err(|problem| TableError::Columns {
        path: path.to_path_buf(),
        at: String::new(),
        problem: Box::new(problem),
    })?;
    Ok(schema)
}

/// The JSON objects of a JSONL input, in order; a read error ends them (and is kept).
struct Objects<R> {
    lines: LineReader<R>,
    buf: std::vec::IntoIter<(usize, Line)>,
    error: Option<InputError>,
}

impl<R: BufRead> Iterator for Objects<R> {
    type Item = Result<Value, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.buf.next() {
                Some((_, Line::Text(text))) => {
                    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&text) {
                        return Some(Ok(v));
                    }
                }
                Some(_) => {}
                None => match self.lines.batch(1024, 16 << 20) {
                    Ok(batch) if batch.is_empty() => return None,
                    Ok(batch) => self.buf = batch.into_iter(),
                    Err(e) => {
                        self.error = Some(e);
                        return None;
                    }
                },
            }
        }
    }
}

/// The columns of `scrim detect` as a table: `id`, `spans` (each with `message` for
/// conversations, code point `start` and `end`, `label`, `kind`, `score`, `detector`), then
/// `quarantine`.
pub fn detect_schema() -> SchemaRef {
    let span = Fields::from(vec![
        Field::new("message", DataType::Int64, true),
        Field::new("start", DataType::Int64, true),
        Field::new("end", DataType::Int64, true),
        Field::new("label", DataType::Utf8, true),
        Field::new("kind", DataType::Utf8, true),
        Field::new("score", DataType::Float64, true),
        Field::new("detector", DataType::Utf8, true),
    ]);
    let item = Field::new("item", DataType::Struct(span), true);
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, true),
        Field::new("spans", DataType::List(Arc::new(item)), true),
        Field::new(QUARANTINE_COLUMN, DataType::Utf8, true),
    ]))
}

enum Writer {
    Parquet(Box<ArrowWriter<AtomicFile>>),
    IpcFile(FileWriter<AtomicFile>),
    IpcStream(StreamWriter<AtomicFile>),
}

impl Writer {
    fn write(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        match self {
            Writer::Parquet(w) => {
                w.write(batch)?;
                if w.in_progress_size() >= ROW_GROUP_BYTES {
                    w.flush()?;
                }
            }
            Writer::IpcFile(w) => w.write(batch)?,
            Writer::IpcStream(w) => w.write(batch)?,
        }
        Ok(())
    }

    fn into_file(self) -> Result<AtomicFile, FormatError> {
        Ok(match self {
            Writer::Parquet(w) => w.into_inner()?,
            Writer::IpcFile(mut w) => {
                w.finish()?;
                w.into_inner()?
            }
            Writer::IpcStream(mut w) => {
                w.finish()?;
                w.into_inner()?
            }
        })
    }
}

/// Outcomes written as a table: one row per input record, in order, in the column form of
/// [`crate::arrow`] (see [`TableSink::redacted`], [`TableSink::detected`]), into a file that
/// only appears, complete, at [`Sink::finish`]. Quarantined records also go to the quarantine
/// file, whole. At most a batch of rows is held before it is written.
pub struct TableSink {
    path: PathBuf,
    writer: Option<Writer>,
    schema: SchemaRef,
    columns: usize,
    scrim: bool,
    pending: CollectSink,
    batch_rows: usize,
    rows_written: u64,
    quarantine: QuarantineFile,
}

impl std::fmt::Debug for TableSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableSink")
            .field("path", &self.path)
            .field("rows_written", &self.rows_written)
            .finish_non_exhaustive()
    }
}

impl TableSink {
    /// Redacted records: every column of `input` (the input table's schema, or a JSONL
    /// input's inferred one), then `scrim` and `quarantine` ([`output_schema`]).
    pub fn redacted(
        path: &Path,
        format: TableFormat,
        input: &Schema,
        quarantine: QuarantineFile,
    ) -> Result<TableSink, TableError> {
        check_reserved(input).map_err(|problem| TableError::Columns {
            path: path.to_path_buf(),
            at: String::new(),
            problem: Box::new(problem),
        })?;
        let schema = output_schema(input);
        TableSink::create(path, format, schema, input.fields().len(), true, quarantine)
    }

    /// Detection's output: [`detect_schema`].
    pub fn detected(
        path: &Path,
        format: TableFormat,
        quarantine: QuarantineFile,
    ) -> Result<TableSink, TableError> {
        TableSink::create(path, format, detect_schema(), 2, false, quarantine)
    }

    fn create(
        path: &Path,
        format: TableFormat,
        schema: SchemaRef,
        columns: usize,
        scrim: bool,
        quarantine: QuarantineFile,
    ) -> Result<TableSink, TableError> {
        let file = AtomicFile::create(path)?;
        let write_err = |source: FormatError| TableError::Writer {
            path: path.to_path_buf(),
            source,
        };
        let writer = match format {
            TableFormat::Parquet => {
                // Snappy: what Spark, pyarrow and DuckDB write by default, read everywhere.
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
                    .build();
                let w = ArrowWriter::try_new(file, Arc::clone(&schema), Some(props))
                    .map_err(|e| write_err(e.into()))?;
                Writer::Parquet(Box::new(w))
            }
            TableFormat::ArrowFile => Writer::IpcFile(
                FileWriter::try_new(file, &schema).map_err(|e| write_err(e.into()))?,
            ),
            TableFormat::ArrowStream => Writer::IpcStream(
                StreamWriter::try_new(file, &schema).map_err(|e| write_err(e.into()))?,
            ),
        };
        Ok(TableSink {
            path: path.to_path_buf(),
            writer: Some(writer),
            schema,
            columns,
            scrim,
            pending: CollectSink::default(),
            batch_rows: DEFAULT_BATCH_ROWS,
            rows_written: 0,
            quarantine,
        })
    }

    /// The quarantine.
    pub fn quarantine(&self) -> &QuarantineFile {
        &self.quarantine
    }

    /// The output's schema.
    pub fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }

    fn write_err(&self, n: usize, source: FormatError) -> TableError {
        TableError::Write {
            path: self.path.clone(),
            first: self.rows_written + 1,
            last: self.rows_written + n as u64,
            source,
        }
    }

    /// Write the rows held so far.
    fn flush(&mut self) -> Result<(), TableError> {
        let outcomes = std::mem::take(&mut self.pending.outcomes);
        let n = outcomes.len();
        if n == 0 {
            return Ok(());
        }
        let batch = outcomes_batch(&self.schema, self.columns, self.scrim, outcomes).map_err(
            |problem| TableError::Columns {
                path: self.path.clone(),
                at: format!(
                    " at rows {} to {}",
                    self.rows_written + 1,
                    self.rows_written + n as u64
                ),
                problem: Box::new(problem),
            },
        )?;
        let Some(writer) = self.writer.as_mut() else {
            return Err(self.write_err(n, "the output was already finished".into()));
        };
        if let Err(e) = writer.write(&batch) {
            return Err(self.write_err(n, e));
        }
        self.rows_written += n as u64;
        crash_point("table:after_batch");
        Ok(())
    }

    fn held(&mut self) -> Result<(), TableError> {
        if self.pending.outcomes.len() >= self.batch_rows {
            self.flush()?;
        }
        Ok(())
    }
}

impl Sink for TableSink {
    type Error = TableError;

    fn written(&mut self, event: &Written<'_>) -> Result<(), TableError> {
        let Ok(()) = self.pending.written(event);
        self.held()
    }

    fn withheld(&mut self, event: &Withheld<'_>) -> Result<(), TableError> {
        let Ok(()) = self.pending.withheld(event);
        self.held()
    }

    fn excluded(&mut self, event: &Excluded<'_>) -> Result<(), TableError> {
        let Ok(()) = self.pending.excluded(event);
        self.held()
    }

    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), TableError> {
        self.quarantine.put(event)?;
        let Ok(()) = self.pending.quarantined(event);
        self.held()
    }

    fn finish(&mut self, _: &RunSummary) -> Result<(), TableError> {
        self.flush()?;
        if let Some(writer) = self.writer.take() {
            let file = writer.into_file().map_err(|source| TableError::Writer {
                path: self.path.clone(),
                source,
            })?;
            crash_point("table:before_commit");
            file.commit()?;
            crash_point("table:after_commit");
        }
        Ok(self.quarantine.commit()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test or fuzz check fails by panicking"
    )]

    use arrow_array::{ArrayRef, Int64Array, StringArray};

    use super::*;

    fn batch(n: i64) -> RecordBatch {
        let text: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
        RecordBatch::try_from_iter(vec![
            (
                "id",
                Arc::new(Int64Array::from_iter_values(0..n)) as ArrayRef,
            ),
            ("text", Arc::new(StringArray::from(text)) as ArrayRef),
        ])
        .unwrap()
    }

    fn parts(reader: &mut TableReader) -> Vec<(u64, usize, String)> {
        let mut out = Vec::new();
        while let Some(b) = reader.next_batch().unwrap() {
            out.push((b.rows_before, b.batch.num_rows(), b.part));
        }
        out
    }

    /// No batch is longer than the bound: Parquet row groups are read in batches of it, an
    /// IPC record batch is cut into slices; rows are counted across the file.
    #[test]
    fn batches_are_bounded_and_placed() {
        let dir = tempfile::tempdir().unwrap();
        let pq = dir.path().join("t.parquet");
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(6))
            .build();
        let mut w =
            ArrowWriter::try_new(File::create(&pq).unwrap(), batch(10).schema(), Some(props))
                .unwrap();
        w.write(&batch(10)).unwrap();
        w.close().unwrap();
        let mut r = TableReader::open(&pq, TableFormat::Parquet, 4).unwrap();
        assert_eq!(r.total_rows(), Some(10));
        let g = |s: &str| s.to_string();
        assert_eq!(
            parts(&mut r),
            [
                (0, 4, g("row group 0")),
                (4, 2, g("row group 0")),
                (6, 4, g("row group 1"))
            ]
        );

        for (name, stream) in [("t.arrow", false), ("t.arrows", true)] {
            let path = dir.path().join(name);
            let file = File::create(&path).unwrap();
            let b = batch(10);
            if stream {
                let mut w = StreamWriter::try_new(file, &b.schema()).unwrap();
                w.write(&b).unwrap();
                w.finish().unwrap();
            } else {
                let mut w = FileWriter::try_new(file, &b.schema()).unwrap();
                w.write(&b).unwrap();
                w.finish().unwrap();
            }
            // Either IPC format is read whatever the extension says.
            let mut r = TableReader::open(&path, TableFormat::ArrowFile, 4).unwrap();
            let want = if stream {
                TableFormat::ArrowStream
            } else {
                TableFormat::ArrowFile
            };
            assert_eq!(r.format(), want);
            assert_eq!(
                parts(&mut r),
                [
                    (0, 4, g("record batch 0")),
                    (4, 4, g("record batch 0")),
                    (8, 2, g("record batch 0"))
                ]
            );
        }
    }

    /// A file that is not a table says so, naming the file and the format.
    #[test]
    fn not_a_table_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        std::fs::write(&path, "{\"text\":\"Omar Haddad\"}\n").unwrap();
        let err = TableReader::open(&path, TableFormat::Parquet, 4).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("x.parquet") && msg.contains("not a readable Parquet"));
        assert_eq!(
            TableFormat::from_extension(Path::new("a/b.FEATHER")),
            Some(TableFormat::ArrowFile)
        );
        assert_eq!(TableFormat::from_extension(Path::new("b.jsonl")), None);
    }
}
