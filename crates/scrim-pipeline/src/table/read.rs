//! Reading a table in bounded batches: a Parquet file row group by row group, an Arrow IPC
//! file or stream record batch by record batch.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use arrow_schema::{ArrowError, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};

use super::{FormatError, TableError, TableFormat};
use crate::arrow::check_schema;

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

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test or fuzz check fails by panicking"
    )]

    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use arrow_ipc::writer::{FileWriter, StreamWriter};
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

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
