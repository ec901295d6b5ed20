//! The sink of a store-backed run: a dataset of immutable shards with each line's lineage,
//! registered in the store, with the admitted raw records sealed per subject when asked.
//!
//! Crash safety: shards are written and flushed first; at `finish` the subjects are recorded,
//! the dataset is registered as pending (with its holdings, so forget reaches it), the manifest
//! is written (the commit point), then the dataset is marked ready; the quarantine moves into
//! place last. A kill at any point leaves nothing the store does not know (`scrim datasets
//! recover` adopts or cleans it).
//!
//! Shards are JSONL (one redacted record per line) or, with the `parquet` feature and
//! [`DatasetSink::parquet_shards`], Parquet: the written rows in the column form of
//! [`crate::arrow`] (every input column, then `scrim`), then the lineage columns compaction
//! removes rows by (`scrim_subject`, `scrim_record`), the format `scrim datasets register`
//! adopts from engines. As with JSONL shards, only written records are in the dataset;
//! withheld and excluded ones are counted, quarantined ones go to the quarantine file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use scrim_store::dataset::{crash_point, DEFAULT_SHARD_RECORDS};
use scrim_store::raw::RawWriter;
use scrim_store::{DatasetWriter, LineEntry, Manifest, SecretKey};
use serde::Serialize;

use crate::files::{FileError, QuarantineFile};
use crate::sink::{Excluded, Quarantined, Sink, Withheld, Written};
use crate::store::StoreRun;
use crate::summary::RunSummary;

/// The dataset could not be written or registered.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The store, a shard or a raw segment failed.
    #[error(transparent)]
    Store(#[from] scrim_store::Error),
    /// Registering the dataset in the store failed.
    #[error("registering dataset {name}")]
    Register {
        /// The dataset's name.
        name: String,
        /// The store's error.
        #[source]
        source: scrim_store::Error,
    },
    /// No randomness for the dataset's id.
    #[error("no system randomness: {0}")]
    Random(String),
    /// The quarantine file failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// The dataset was finished already.
    #[error("dataset {0} is finished already")]
    Finished(String),
    /// The written rows could not be put into Parquet columns.
    #[cfg(feature = "parquet")]
    #[error("cannot write the dataset's Parquet rows: {0}")]
    Rows(#[from] crate::arrow::BatchError),
}

/// How to write a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetOptions {
    /// Its name in the store.
    pub name: String,
    /// Hash of the redaction policy (`Policy::hash`).
    pub policy_hash: String,
    /// Records per shard file (default 10000).
    pub shard_records: Option<usize>,
    /// Keep each admitted raw record, sealed under its subject's key, in this directory.
    pub retain_raw: Option<PathBuf>,
}

/// The retained raw records of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawRetained {
    /// The sealed segment file.
    pub file: String,
    /// Records in it.
    pub records: usize,
}

/// What a finished dataset holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetReport {
    /// Its name in the store.
    pub name: String,
    /// Its id.
    pub id: String,
    /// Its directory.
    pub path: String,
    /// The purpose it serves.
    pub purpose: String,
    /// Shard files.
    pub shards: usize,
    /// Records.
    pub records: usize,
    /// Distinct subjects.
    pub subjects: usize,
    /// The pseudonym key's version.
    pub key_version: i64,
    /// Tombstones recorded while the run wrote it, which it picked up at registration.
    pub pending_from_opt_outs_during_the_run: usize,
    /// The retained raw records, when asked for.
    pub raw_retained: Option<RawRetained>,
    /// Records whose raw copy was not kept because the subject's key is destroyed.
    pub raw_not_retained_key_destroyed: usize,
}

/// The dataset a store-backed run writes, its sealed raw records, and its quarantine.
pub struct DatasetSink<'a> {
    run: &'a StoreRun,
    dir: PathBuf,
    options: DatasetOptions,
    writer: Option<DatasetWriter>,
    subjects: BTreeMap<String, String>,
    raw: Option<RawWriter>,
    keys: HashMap<String, Option<SecretKey>>,
    raw_skipped: usize,
    quarantine: QuarantineFile,
    report: Option<DatasetReport>,
    /// Parquet shards: the rows held until a batch is full.
    #[cfg(feature = "parquet")]
    rows: Option<ParquetRows>,
}

/// The written rows a Parquet dataset holds until a batch is full.
#[cfg(feature = "parquet")]
struct ParquetRows {
    /// [`crate::arrow::output_schema`] of the input's columns.
    schema: arrow_schema::SchemaRef,
    /// The input's columns.
    columns: usize,
    /// Written lines, and their lineage.
    lines: Vec<crate::collect::RecordOutcome>,
    entries: Vec<LineEntry>,
}

impl std::fmt::Debug for DatasetSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatasetSink")
            .field("dir", &self.dir)
            .field("name", &self.options.name)
            .field("subjects", &self.subjects.len())
            .finish_non_exhaustive()
    }
}

impl<'a> DatasetSink<'a> {
    /// Start writing a dataset into `dir` (new or empty), quarantined lines to `quarantine`.
    pub fn create(
        run: &'a StoreRun,
        dir: &Path,
        options: DatasetOptions,
        quarantine: QuarantineFile,
    ) -> Result<DatasetSink<'a>, DatasetError> {
        let shard_records = options.shard_records.unwrap_or(DEFAULT_SHARD_RECORDS);
        let writer = DatasetWriter::create(dir, shard_records)?;
        let raw = match &options.retain_raw {
            Some(d) => Some(RawWriter::create(
                d,
                &format!(
                    "raw-{}-{}",
                    options.name,
                    run.started().replace([':', '.'], "")
                ),
            )?),
            None => None,
        };
        Ok(DatasetSink {
            run,
            dir: dir.to_path_buf(),
            options,
            writer: Some(writer),
            subjects: BTreeMap::new(),
            raw,
            keys: HashMap::new(),
            raw_skipped: 0,
            quarantine,
            report: None,
            #[cfg(feature = "parquet")]
            rows: None,
        })
    }

    /// Write Parquet shards instead of JSONL ones: each written record as a row with the
    /// columns of `input` (the input table's, or those inferred from JSONL records) and
    /// `scrim`, then the lineage columns. Refused when `input` already has a column the
    /// shards add.
    #[cfg(feature = "parquet")]
    pub fn parquet_shards(
        mut self,
        input: &arrow_schema::Schema,
    ) -> Result<DatasetSink<'a>, DatasetError> {
        crate::arrow::check_reserved(input)?;
        for reserved in [
            scrim_store::dataset::SUBJECT_COLUMN,
            scrim_store::dataset::RECORD_COLUMN,
        ] {
            if input.field_with_name(reserved).is_ok() {
                return Err(crate::arrow::BatchError::Reserved(reserved).into());
            }
        }
        self.rows = Some(ParquetRows {
            schema: crate::arrow::output_schema(input),
            columns: input.fields().len(),
            lines: Vec::new(),
            entries: Vec::new(),
        });
        Ok(self)
    }

    /// Write the Parquet rows held so far (nothing for JSONL shards).
    #[cfg(feature = "parquet")]
    fn flush_rows(&mut self) -> Result<(), DatasetError> {
        use crate::arrow::{outcomes_batch, with_lineage, BatchError};
        let Some(rows) = self.rows.as_mut() else {
            return Ok(());
        };
        if rows.lines.is_empty() {
            return Ok(());
        }
        let lines = std::mem::take(&mut rows.lines);
        let entries = std::mem::take(&mut rows.entries);
        let batch = outcomes_batch(&rows.schema, rows.columns, true, lines)?;
        // Every input column and `scrim`; not `quarantine` (always null here).
        let keep: Vec<usize> = (0..=rows.columns).collect();
        let batch = batch.project(&keep).map_err(|_| BatchError::Rebuild)?;
        let lineage: Vec<crate::RowLineage> = entries
            .iter()
            .map(|e| crate::RowLineage {
                record: e.record.clone(),
                subject: e.subject.clone(),
            })
            .collect();
        let batch = with_lineage(&batch, &lineage)?;
        self.writer
            .as_mut()
            .ok_or_else(|| DatasetError::Finished(self.options.name.clone()))?
            .rows(&batch, &entries)?;
        Ok(())
    }

    /// Hold a written line for a Parquet shard; `false` for JSONL shards.
    #[cfg(feature = "parquet")]
    fn hold_row(&mut self, line: &str, entry: &LineEntry) -> Result<bool, DatasetError> {
        let Some(rows) = self.rows.as_mut() else {
            return Ok(false);
        };
        rows.lines
            .push(crate::collect::RecordOutcome::Written(line.to_string()));
        rows.entries.push(entry.clone());
        if rows.lines.len() >= crate::table::DEFAULT_BATCH_ROWS {
            self.flush_rows()?;
        }
        Ok(true)
    }

    #[cfg(not(feature = "parquet"))]
    fn hold_row(&mut self, _: &str, _: &LineEntry) -> Result<bool, DatasetError> {
        Ok(false)
    }

    #[cfg(not(feature = "parquet"))]
    fn flush_rows(&mut self) -> Result<(), DatasetError> {
        Ok(())
    }

    /// What the dataset holds, once finished.
    pub fn report(&self) -> Option<&DatasetReport> {
        self.report.as_ref()
    }

    /// The quarantine.
    pub fn quarantine(&self) -> &QuarantineFile {
        &self.quarantine
    }

    /// Append one redacted line with its lineage (and seal its raw input when retaining).
    fn put(&mut self, event: &Written<'_>) -> Result<(), DatasetError> {
        let lineage = self.run.lineage();
        let subject = event.origin.subject.as_ref();
        let subject_lid = subject.map(|s| {
            let lid = lineage.subject(s);
            self.subjects.insert(s.clone(), lid.clone());
            lid
        });
        let record_key = event
            .origin
            .id
            .clone()
            .unwrap_or_else(|| format!("{}#line{}", self.options.name, event.origin.line));
        let record_lid = lineage.record(&record_key);
        let entry = LineEntry {
            record: record_lid.clone(),
            subject: subject_lid.clone(),
        };
        if !self.hold_row(event.line, &entry)? {
            self.writer
                .as_mut()
                .ok_or_else(|| DatasetError::Finished(self.options.name.clone()))?
                .line(event.line, entry)?;
        }
        if let (Some(subject), Some(lid)) = (subject, subject_lid) {
            self.seal_raw(subject, &lid, &record_lid, event.raw)?;
        }
        Ok(())
    }

    /// Seal a raw record under its subject's key, when retaining (the key made on first use;
    /// none once the subject is forgotten: then the copy is not kept).
    fn seal_raw(
        &mut self,
        subject: &str,
        lid: &str,
        record_lid: &str,
        raw: &[u8],
    ) -> Result<(), DatasetError> {
        let Some(w) = self.raw.as_mut() else {
            return Ok(());
        };
        let key = match self.keys.get(subject) {
            Some(k) => k.clone(),
            None => {
                let store = self.run.store();
                let k = store.run(store.store().subject_key(self.run.keyring(), subject, true))?;
                self.keys.insert(subject.to_string(), k.clone());
                k
            }
        };
        match key {
            Some(k) => w.put(&k, lid, record_lid, raw)?,
            None => self.raw_skipped += 1,
        }
        Ok(())
    }

    /// Close the shards and the raw segment, register the dataset (pending, with its subjects
    /// and holdings), commit its manifest, then mark it ready.
    fn commit(&mut self) -> Result<DatasetReport, DatasetError> {
        self.flush_rows()?;
        let name = self.options.name.clone();
        let mut writer = self
            .writer
            .take()
            .ok_or_else(|| DatasetError::Finished(name.clone()))?;
        let manifest = self.new_manifest()?;
        let raw = match self.raw.take() {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        let manifest = writer.close(manifest)?;
        let pairs: Vec<(String, String)> = std::mem::take(&mut self.subjects).into_iter().collect();
        let store = self.run.store();
        store.run(store.store().remember_subjects(&pairs))?;
        crash_point("redact:before_register");
        let raced = store
            .run(
                store
                    .store()
                    .register_pending(&self.dir, &manifest, self.run.started()),
            )
            .map_err(|source| register_error(&manifest, source))?;
        crash_point("redact:before_manifest");
        writer.commit(&manifest)?;
        crash_point("redact:after_manifest");
        store
            .run(store.store().mark_ready(&manifest.id))
            .map_err(|source| register_error(&manifest, source))?;
        Ok(self.report_for(&manifest, pairs.len(), raced, raw))
    }

    /// The manifest to close the dataset with: a fresh id, the run's purpose, policy and key.
    fn new_manifest(&self) -> Result<Manifest, DatasetError> {
        let mut id = [0u8; 8];
        getrandom::getrandom(&mut id).map_err(|e| DatasetError::Random(e.to_string()))?;
        Ok(Manifest {
            format: String::new(),
            id: format!(
                "ds_{}",
                id.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
            name: self.options.name.clone(),
            purpose: self.run.purpose().to_string(),
            policy: self.options.policy_hash.clone(),
            key_version: self.run.key_version(),
            created_at: scrim_store::now(),
            shards: Vec::new(),
            retired: Vec::new(),
        })
    }

    fn report_for(
        &self,
        manifest: &Manifest,
        subjects: usize,
        raced: usize,
        raw: Option<(PathBuf, usize)>,
    ) -> DatasetReport {
        DatasetReport {
            name: manifest.name.clone(),
            id: manifest.id.clone(),
            path: self.dir.display().to_string(),
            purpose: manifest.purpose.clone(),
            shards: manifest.shards.len(),
            records: manifest.records(),
            subjects,
            key_version: manifest.key_version,
            pending_from_opt_outs_during_the_run: raced,
            raw_retained: raw.map(|(p, n)| RawRetained {
                file: p.display().to_string(),
                records: n,
            }),
            raw_not_retained_key_destroyed: self.raw_skipped,
        }
    }
}

fn register_error(manifest: &Manifest, source: scrim_store::Error) -> DatasetError {
    DatasetError::Register {
        name: manifest.name.clone(),
        source,
    }
}

impl Sink for DatasetSink<'_> {
    type Error = DatasetError;

    fn written(&mut self, event: &Written<'_>) -> Result<(), DatasetError> {
        self.put(event)
    }

    fn withheld(&mut self, _: &Withheld<'_>) -> Result<(), DatasetError> {
        Ok(())
    }

    fn excluded(&mut self, _: &Excluded<'_>) -> Result<(), DatasetError> {
        Ok(())
    }

    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), DatasetError> {
        Ok(self.quarantine.put(event)?)
    }

    /// Commit the dataset (see the module's documentation), then the quarantine.
    fn finish(&mut self, _: &RunSummary) -> Result<(), DatasetError> {
        self.report = Some(self.commit()?);
        Ok(self.quarantine.commit()?)
    }
}
