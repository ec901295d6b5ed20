//! Writing outcomes as a table: Parquet or Arrow IPC, atomically.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_ipc::writer::{FileWriter, StreamWriter};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use scrim_store::dataset::crash_point;

use super::{FormatError, TableError, TableFormat, DEFAULT_BATCH_ROWS};
use crate::arrow::{check_reserved, outcomes_batch, output_schema, QUARANTINE_COLUMN};
use crate::collect::CollectSink;
use crate::files::{AtomicFile, QuarantineFile};
use crate::sink::{Excluded, Quarantined, Sink, Withheld, Written};
use crate::summary::RunSummary;

/// A Parquet row group is written out once its encoded size reaches this (bounded memory on
/// output too).
const ROW_GROUP_BYTES: usize = 128 << 20;

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
