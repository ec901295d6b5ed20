//! Datasets an engine wrote as Parquet files (feature `parquet`): Spark, Ray or a Python job
//! that admitted its rows with the Python binding's `scrim.Store.admit` and wrote them with the
//! lineage columns ([`SUBJECT_COLUMN`], [`RECORD_COLUMN`]). `scrim datasets register` makes
//! such a directory a dataset ([`scan`]: each Parquet file is a shard, its lineage read from
//! the columns), so that `forget` finds the shards that hold a subject and `compact` rewrites
//! them ([`rewrite`]: the next generation of a shard without the forgotten subjects' rows,
//! every other row unchanged, written to a temporary file, flushed and renamed; the manifest
//! swap stays the commit point).
//!
//! Errors name files, columns and rows, never values.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, BooleanArray, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use sha2::{Digest, Sha256};

use super::{create_private, sync_dir, LineEntry, ShardEntry, MANIFEST, TABLE_MANIFEST};
pub use super::{RECORD_COLUMN, SUBJECT_COLUMN};
use crate::error::{Error, Result};
use scrim_core::hex::encode as hex;

/// Rows read at a time when a shard is scanned or rewritten (bounded memory).
const BATCH_ROWS: usize = 4096;

/// The shards of a directory of Parquet files an engine wrote, numbered in file name order:
/// every file whose name ends in `.parquet`, but hidden ones (`.`) and the engine's own marks
/// (`_SUCCESS`, `_metadata`: `_`). Each file's lineage comes from its [`SUBJECT_COLUMN`] (and
/// [`RECORD_COLUMN`] when present). Also returns the policy hash of the first row's `scrim`
/// field, when there is one. A subdirectory (a partitioned dataset) is refused, so that no
/// shard is left out of the dataset unseen.
pub fn scan(dir: &Path) -> Result<(Vec<ShardEntry>, Option<String>)> {
    let mut names = Vec::new();
    let entries =
        std::fs::read_dir(dir).map_err(Error::io(format!("cannot read {}", dir.display())))?;
    for e in entries {
        let e = e.map_err(Error::io(format!("cannot read {}", dir.display())))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            || name.starts_with('_')
            || name == MANIFEST
            || name == TABLE_MANIFEST
        {
            continue;
        }
        let kind = e
            .file_type()
            .map_err(Error::io(format!("cannot read {}", e.path().display())))?;
        if kind.is_dir() {
            return Err(Error::invalid(format!(
                "{} holds a subdirectory ({name}): partitioned datasets are not supported; \
                 write the Parquet files into one directory",
                dir.display()
            )));
        }
        if super::is_parquet(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(Error::invalid(format!(
            "{} holds no Parquet file (*.parquet)",
            dir.display()
        )));
    }
    names.sort();
    let mut shards = Vec::with_capacity(names.len());
    let mut policy = None;
    for (n, name) in names.into_iter().enumerate() {
        let path = dir.join(&name);
        let sha256 = file_sha256(&path)?;
        let (lines, p) = lineage(&path)?;
        if policy.is_none() {
            policy = p;
        }
        shards.push(ShardEntry {
            shard: u32::try_from(n)
                .map_err(|_| Error::invalid(format!("{}: too many files", dir.display())))?,
            file: name,
            generation: 0,
            sha256,
            lines,
        });
    }
    Ok((shards, policy))
}

/// SHA-256 of a file's bytes, read in pieces.
fn file_sha256(path: &Path) -> Result<String> {
    let mut f = File::open(path).map_err(Error::io(format!("cannot read {}", path.display())))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(Error::io(format!("cannot read {}", path.display())))?;
        let Some(chunk) = buf.get(..n) else { break };
        if n == 0 {
            break;
        }
        h.update(chunk);
    }
    Ok(hex(&h.finalize()))
}

/// A Parquet file's reader builder, or an error naming the file.
fn open(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    let f = File::open(path).map_err(Error::io(format!("cannot read {}", path.display())))?;
    ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| {
        Error::Corrupt(format!(
            "{} is not a readable Parquet file: {e}",
            path.display()
        ))
    })
}

/// The lineage of every row of a Parquet file, and the policy hash in its first `scrim`
/// field (only the lineage columns and `scrim` are read).
fn lineage(path: &Path) -> Result<(Vec<LineEntry>, Option<String>)> {
    let builder = open(path)?;
    let schema = Arc::clone(builder.schema());
    let Some(subject_at) = schema.index_of(SUBJECT_COLUMN).ok() else {
        return Err(Error::invalid(format!(
            "{} has no `{SUBJECT_COLUMN}` column: write the lineage columns that \
             scrim.Store.admit gives (Admission.with_lineage) with the rows",
            path.display()
        )));
    };
    let record_at = schema.index_of(RECORD_COLUMN).ok();
    let scrim_at = schema.index_of("scrim").ok();
    let mut roots = vec![subject_at];
    roots.extend(record_at);
    roots.extend(scrim_at);
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| Error::Corrupt(format!("cannot read {}: {e}", path.display())))?;
    let mut lines = Vec::new();
    let mut policy = None;
    for batch in reader {
        let batch =
            batch.map_err(|e| Error::Corrupt(format!("cannot read {}: {e}", path.display())))?;
        let first = lines.len();
        let subjects = strings(path, &batch, SUBJECT_COLUMN, first)?;
        let records = match record_at {
            Some(_) => Some(strings(path, &batch, RECORD_COLUMN, first)?),
            None => None,
        };
        if policy.is_none() && scrim_at.is_some() {
            policy = first_policy(&batch);
        }
        for (i, subject) in subjects.into_iter().enumerate() {
            let row = first + i + 1;
            if let Some(s) = &subject {
                check_lineage_id(s, "s_", path, SUBJECT_COLUMN, row)?;
            }
            let record = records
                .as_ref()
                .and_then(|r| r.get(i).cloned().flatten())
                .unwrap_or_default();
            if !record.is_empty() {
                check_lineage_id(&record, "r_", path, RECORD_COLUMN, row)?;
            }
            lines.push(LineEntry { record, subject });
        }
    }
    Ok((lines, policy))
}

/// A string column's values (null as `None`); `first` rows came before this batch.
fn strings(
    path: &Path,
    batch: &RecordBatch,
    column: &str,
    first: usize,
) -> Result<Vec<Option<String>>> {
    let Some(a) = batch.column_by_name(column) else {
        return Err(Error::Corrupt(format!(
            "{}: column `{column}` missing after row {first}",
            path.display()
        )));
    };
    let values: Vec<Option<String>> = match a.data_type() {
        DataType::Utf8 => a
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::LargeUtf8 => a
            .as_string::<i64>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::Utf8View => a
            .as_string_view()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        other => {
            return Err(Error::invalid(format!(
                "{}: column `{column}` has type {other}; lineage ids are strings",
                path.display()
            )))
        }
    };
    Ok(values)
}

/// The `policy` of the first non-null `scrim` field of a batch.
fn first_policy(batch: &RecordBatch) -> Option<String> {
    let a = batch.column_by_name("scrim")?;
    let text = match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().iter().flatten().next()?.to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().iter().flatten().next()?.to_string(),
        DataType::Utf8View => a.as_string_view().iter().flatten().next()?.to_string(),
        _ => return None,
    };
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("policy")?.as_str().map(str::to_string)
}

/// A lineage id is `prefix` and 32 lowercase hex digits; anything else (a source system's id
/// written by mistake) is refused, since forget could never match it.
fn check_lineage_id(v: &str, prefix: &str, path: &Path, column: &str, row: usize) -> Result<()> {
    let ok = v.strip_prefix(prefix).is_some_and(|h| {
        h.len() == 32
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "{}: row {row}: `{column}` does not hold a lineage id ({prefix}…, as \
             scrim.Store.admit gives them)",
            path.display()
        )))
    }
}

/// A shard's next generation, as [`rewrite`] wrote it.
#[derive(Debug)]
pub(crate) struct Rewritten {
    /// SHA-256 of the new file.
    pub(crate) sha256: String,
    /// The kept rows' lineage, in order.
    pub(crate) entries: Vec<LineEntry>,
    /// Rows removed, per subject lineage id.
    pub(crate) removed: BTreeMap<String, usize>,
}

/// Write `dir/name`, the next generation of Parquet shard `s` without the rows of the
/// subjects in `remove`: every other row with every column unchanged, the schema and the
/// file's key-value metadata (Spark's schema, say) kept, Snappy-compressed. The file must still be the one the manifest names (its checksum), and its
/// lineage column must agree with the manifest row by row. Written to a temporary file,
/// flushed and renamed (the manifest still names the old file).
pub(crate) fn rewrite(
    dir: &Path,
    s: &ShardEntry,
    remove: &HashSet<String>,
    name: &str,
) -> Result<Rewritten> {
    let path = dir.join(&s.file);
    if file_sha256(&path)? != s.sha256 {
        return Err(Error::Corrupt(format!(
            "{}: contents do not match the manifest's checksum; not touching it",
            path.display()
        )));
    }
    let builder = open(&path)?;
    let schema = Arc::clone(builder.schema());
    let kv: Vec<KeyValue> = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .filter(|k| k.key != "ARROW:schema")
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let reader = builder
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| Error::Corrupt(format!("cannot read {}: {e}", path.display())))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata((!kv.is_empty()).then_some(kv))
        .build();
    let file = BufWriter::new(create_private(&tmp)?);
    let mut writer = ArrowWriter::try_new(file, schema, Some(props))
        .map_err(|e| Error::Corrupt(format!("cannot write {}: {e}", tmp.display())))?;
    let mut out = Rewritten {
        sha256: String::new(),
        entries: Vec::with_capacity(s.lines.len()),
        removed: BTreeMap::new(),
    };
    let rows = copy_kept(&path, reader, &mut writer, s, remove, &mut out)?;
    if rows != s.lines.len() {
        return Err(Error::Corrupt(format!(
            "{}: {rows} rows but the manifest lists {}",
            path.display(),
            s.lines.len()
        )));
    }
    out.sha256 = seal(writer, &tmp, dir, name)?;
    sync_dir(dir)?;
    Ok(out)
}

/// Write a Parquet file's footer, flush it to disk and move it from `tmp` to `dir/name`; its
/// SHA-256. Flushing the directory entry is the caller's.
fn seal(
    writer: ArrowWriter<BufWriter<File>>,
    tmp: &Path,
    dir: &Path,
    name: &str,
) -> Result<String> {
    let file = writer
        .into_inner()
        .map_err(|e| Error::Corrupt(format!("cannot write {}: {e}", tmp.display())))?;
    let file = file.into_inner().map_err(|e| Error::Io {
        context: format!("cannot write {}", tmp.display()),
        source: e.into_error(),
    })?;
    file.sync_all()
        .map_err(Error::io(format!("cannot flush {}", tmp.display())))?;
    drop(file);
    let sha256 = file_sha256(tmp)?;
    std::fs::rename(tmp, dir.join(name))
        .map_err(Error::io(format!("cannot move shard {name} into place")))?;
    Ok(sha256)
}

/// Copy the rows of `reader` whose subject is not in `remove` to `writer`, checking each
/// row's subject against the manifest's entry; returns the rows read.
fn copy_kept<W: Write + Send>(
    path: &Path,
    reader: ParquetRecordBatchReader,
    writer: &mut ArrowWriter<W>,
    s: &ShardEntry,
    remove: &HashSet<String>,
    out: &mut Rewritten,
) -> Result<usize> {
    let mut row = 0usize;
    for batch in reader {
        let batch =
            batch.map_err(|e| Error::Corrupt(format!("cannot read {}: {e}", path.display())))?;
        let subjects = strings(path, &batch, SUBJECT_COLUMN, row)?;
        let mut keep = Vec::with_capacity(subjects.len());
        for subject in subjects {
            let Some(entry) = s.lines.get(row) else {
                return Err(Error::Corrupt(format!(
                    "{}: more rows than the manifest lists ({})",
                    path.display(),
                    s.lines.len()
                )));
            };
            if entry.subject != subject {
                return Err(Error::Corrupt(format!(
                    "{}: row {}: `{SUBJECT_COLUMN}` differs from the manifest; not touching it",
                    path.display(),
                    row + 1
                )));
            }
            match &subject {
                Some(sub) if remove.contains(sub) => {
                    *out.removed.entry(sub.clone()).or_default() += 1;
                    keep.push(false);
                }
                _ => {
                    out.entries.push(entry.clone());
                    keep.push(true);
                }
            }
            row += 1;
        }
        let kept = arrow_select::filter::filter_record_batch(&batch, &BooleanArray::from(keep))
            .map_err(|e| Error::Corrupt(format!("cannot filter {}: {e}", path.display())))?;
        if kept.num_rows() > 0 {
            writer.write(&kept).map_err(|e| {
                Error::Corrupt(format!("cannot write a shard of {}: {e}", path.display()))
            })?;
        }
    }
    Ok(row)
}

/// Check that the lineage columns of `batch` ([`SUBJECT_COLUMN`], [`RECORD_COLUMN`]) hold
/// `entries`, row by row: what a dataset's manifest lists is what its shards hold.
pub(crate) fn check_lineage(dir: &Path, batch: &RecordBatch, entries: &[LineEntry]) -> Result<()> {
    if batch.num_rows() != entries.len() {
        return Err(Error::invalid(format!(
            "{}: {} rows but lineage for {}",
            dir.display(),
            batch.num_rows(),
            entries.len()
        )));
    }
    let subjects = strings(dir, batch, SUBJECT_COLUMN, 0)?;
    let records = strings(dir, batch, RECORD_COLUMN, 0)?;
    for (i, ((subject, record), entry)) in subjects.iter().zip(&records).zip(entries).enumerate() {
        if *subject != entry.subject || record.as_deref() != Some(entry.record.as_str()) {
            return Err(Error::invalid(format!(
                "{}: row {} of a batch: the lineage columns differ from its lineage",
                dir.display(),
                i + 1
            )));
        }
    }
    Ok(())
}

/// A Parquet shard being written by a [`super::DatasetWriter`]: a temporary file
/// (`.NAME.tmp`) that [`ShardWriter::finish`] flushes and renames to its name. Snappy, as
/// compaction writes; a row group is written out once its encoded size reaches 128 MiB.
pub(crate) struct ShardWriter {
    name: String,
    tmp: std::path::PathBuf,
    writer: ArrowWriter<BufWriter<File>>,
    lines: Vec<LineEntry>,
}

/// A row group is written out once its encoded size reaches this (bounded memory).
const ROW_GROUP_BYTES: usize = 128 << 20;

impl ShardWriter {
    /// Start shard `name` in `dir`, with the columns of `schema`.
    pub(crate) fn create(
        dir: &Path,
        name: &str,
        schema: arrow_schema::SchemaRef,
    ) -> Result<ShardWriter> {
        let tmp = dir.join(format!(".{name}.tmp"));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let file = BufWriter::new(create_private(&tmp)?);
        let writer = ArrowWriter::try_new(file, schema, Some(props))
            .map_err(|e| Error::Corrupt(format!("cannot write {}: {e}", tmp.display())))?;
        Ok(ShardWriter {
            name: name.to_string(),
            tmp,
            writer,
            lines: Vec::new(),
        })
    }

    /// Rows written so far.
    pub(crate) fn rows(&self) -> usize {
        self.lines.len()
    }

    /// Append `batch`, whose rows' lineage is `entries` (checked by the caller).
    pub(crate) fn write(&mut self, batch: &RecordBatch, entries: &[LineEntry]) -> Result<()> {
        self.writer
            .write(batch)
            .map_err(|e| Error::Corrupt(format!("cannot write {}: {e}", self.tmp.display())))?;
        self.lines.extend_from_slice(entries);
        Ok(())
    }

    /// Write the footer, flush the file to disk and move it to its name in `dir`: its name,
    /// SHA-256 and rows' lineage.
    pub(crate) fn finish(self, dir: &Path) -> Result<(String, String, Vec<LineEntry>)> {
        let ShardWriter {
            name,
            tmp,
            writer,
            lines,
        } = self;
        let sha256 = seal(writer, &tmp, dir, &name)?;
        Ok((name, sha256, lines))
    }
}
