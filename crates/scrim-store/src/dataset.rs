//! Datasets on disk: a directory of immutable shard files and a `manifest.json` that lists, line
//! by line, which source record and which subject (by keyed lineage id) each shard holds.
//!
//! The manifest is the commit point. A shard file is written to a temporary name, flushed to
//! disk and renamed before any manifest names it; compaction writes a new generation of a shard
//! beside the old one, then swaps the manifest atomically, then deletes the old file. A crash at
//! any moment leaves a manifest that names only complete files: the old shard or the new one,
//! never a mix, never a loss. Files no manifest names are leftovers and are removed by the next
//! compaction.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::json;
use scrim_core::hex::encode as hex;

#[cfg(feature = "parquet")]
pub mod table;

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The manifest's file name in a dataset of Parquet files an engine wrote (`scrim datasets
/// register`): Spark, pyarrow, Ray and Hadoop skip files whose names start with `_` when they
/// read the directory as a table, so the manifest does not break their reads.
pub const TABLE_MANIFEST: &str = "_scrim_manifest.json";

/// Whether `dir` holds a committed dataset (either manifest).
pub fn has_manifest(dir: &Path) -> bool {
    dir.join(MANIFEST).exists() || dir.join(TABLE_MANIFEST).exists()
}
/// The manifest format.
pub const FORMAT: &str = "scrim-dataset/1";
/// The column of a table dataset (Parquet files an engine wrote) holding each row's subject as
/// a lineage id (`s_` and 32 hex digits; null for a record without a subject). Compaction
/// removes rows by it.
pub const SUBJECT_COLUMN: &str = "scrim_subject";
/// The column of a table dataset holding each row's source record as a lineage id (`r_` and
/// 32 hex digits).
pub const RECORD_COLUMN: &str = "scrim_record";
/// Records per shard unless told otherwise.
pub const DEFAULT_SHARD_RECORDS: usize = 10_000;

/// Where one line of a shard came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineEntry {
    /// Lineage id of the source record.
    pub record: String,
    /// Lineage id of its subject (absent when the policy admits records without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// One shard in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardEntry {
    /// The shard's number (stable across generations).
    pub shard: u32,
    /// The file now holding it.
    pub file: String,
    /// How many times it was rewritten.
    pub generation: u32,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Its lines, in order.
    pub lines: Vec<LineEntry>,
}

/// What made a dataset and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// A unique id.
    pub id: String,
    /// The dataset's name in the store.
    pub name: String,
    /// The purpose it was admitted for.
    pub purpose: String,
    /// Hash of the redaction policy that made it.
    pub policy: String,
    /// Version of the store's pseudonym key that made it.
    pub key_version: i64,
    /// When it was written (RFC 3339).
    pub created_at: String,
    /// The shards.
    pub shards: Vec<ShardEntry>,
    /// Files the last compaction replaced, deleted once this manifest is in place (again by
    /// the next compaction when a crash came first: a registered dataset's shards keep the
    /// names its engine gave them, so only the manifest can say which old files to remove).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<String>,
}

impl Manifest {
    /// Read `dir/manifest.json` (or, for a dataset of Parquet files, `_scrim_manifest.json`).
    pub fn load(dir: &Path) -> Result<Manifest> {
        let path = if dir.join(MANIFEST).exists() || !dir.join(TABLE_MANIFEST).exists() {
            dir.join(MANIFEST)
        } else {
            dir.join(TABLE_MANIFEST)
        };
        let text = std::fs::read_to_string(&path)
            .map_err(Error::io(format!("cannot read {}", path.display())))?;
        let m: Manifest = json::decode(
            &text,
            &format!("{}: not a dataset manifest", path.display()),
        )?;
        if m.format != FORMAT {
            return Err(Error::Corrupt(format!(
                "{}: format {:?} is not {FORMAT}",
                path.display(),
                m.format
            )));
        }
        Ok(m)
    }

    /// Write `dir/manifest.json` atomically (temporary file, flush, rename, flush the directory).
    pub fn store(&self, dir: &Path) -> Result<()> {
        let text = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::Corrupt(format!("cannot encode manifest: {e}")))?;
        write_atomic(dir, self.file_name(), &text)
    }

    /// The manifest's file name: [`TABLE_MANIFEST`] for a dataset of Parquet shards, else
    /// [`MANIFEST`].
    pub fn file_name(&self) -> &'static str {
        if self.shards.iter().any(|s| is_parquet(&s.file)) {
            TABLE_MANIFEST
        } else {
            MANIFEST
        }
    }

    /// Records in every shard.
    pub fn records(&self) -> usize {
        self.shards.iter().map(|s| s.lines.len()).sum()
    }

    /// Records per subject lineage id, per shard.
    pub fn holdings(&self) -> Vec<(u32, String, usize)> {
        let mut out = Vec::new();
        for s in &self.shards {
            let mut by: BTreeMap<&str, usize> = BTreeMap::new();
            for l in &s.lines {
                if let Some(sub) = &l.subject {
                    *by.entry(sub.as_str()).or_default() += 1;
                }
            }
            out.extend(by.into_iter().map(|(k, n)| (s.shard, k.to_string(), n)));
        }
        out
    }
}

/// Stop the process here when `SCRIM_CRASH_AT` names this point, or hold it here when
/// `SCRIM_PAUSE_AT` does: the hooks the crash-safety tests use to kill a run or a compaction
/// between any two of its steps. A paused process says `scrim: paused at NAME` on standard
/// error and waits to be killed (so a test kills it, with SIGKILL, at a state it saw, not after
/// a guessed delay). Neither variable is meant to be set outside tests.
pub fn crash_point(name: &str) {
    if std::env::var("SCRIM_CRASH_AT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
    if std::env::var("SCRIM_PAUSE_AT").is_ok_and(|v| v == name) {
        eprintln!("scrim: paused at {name}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// Create (or truncate) `path` readable and writable by its owner only: datasets, manifests
/// and the raw archive are derived from personal data.
pub(crate) fn create_private(path: &Path) -> Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
        .map_err(Error::io(format!("cannot create {}", path.display())))
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io(format!(
            "cannot flush directory {}",
            dir.display()
        )))
}

/// Write `dir/name` so that it either holds all of `bytes` or keeps what it held.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let dest = dir.join(name);
    {
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(Error::io(format!("cannot write {}", tmp.display())))?;
    }
    std::fs::rename(&tmp, &dest).map_err(Error::io(format!(
        "cannot move {} into place",
        dest.display()
    )))?;
    sync_dir(dir)
}

fn shard_file(shard: u32, generation: u32) -> String {
    shard_file_ext(shard, generation, "jsonl")
}

/// A shard's file name: `shard-00003.jsonl`, then `shard-00003.g1.jsonl` (or `.parquet`).
fn shard_file_ext(shard: u32, generation: u32, ext: &str) -> String {
    if generation == 0 {
        format!("shard-{shard:05}.{ext}")
    } else {
        format!("shard-{shard:05}.g{generation}.{ext}")
    }
}

/// Whether a shard file is a Parquet file (a dataset an engine wrote and `scrim datasets
/// register` adopted, or its compacted generations); others are JSONL.
pub fn is_parquet(file: &str) -> bool {
    file.to_ascii_lowercase().ends_with(".parquet")
}

/// Writes a new dataset directory shard by shard; nothing is a dataset until [`finish`]
/// writes its manifest.
///
/// [`finish`]: DatasetWriter::finish
pub struct DatasetWriter {
    dir: PathBuf,
    /// Held while the dataset is written, so `recover` never cleans a run that is alive.
    _lock: File,
    shard_records: usize,
    shards: Vec<ShardEntry>,
    current: Option<OpenShard>,
}

/// The shard a [`DatasetWriter`] is writing.
enum OpenShard {
    /// JSONL: the file, the hash of its bytes so far, its lines' lineage.
    Jsonl(BufWriter<File>, Sha256, Vec<LineEntry>),
    /// Parquet (see [`table::ShardWriter`]).
    #[cfg(feature = "parquet")]
    Parquet(Box<table::ShardWriter>),
}

impl std::fmt::Debug for DatasetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatasetWriter")
            .field("dir", &self.dir)
            .field("shards", &self.shards.len())
            .finish()
    }
}

impl DatasetWriter {
    /// Start a dataset in `dir`, which must not exist or be empty (datasets are immutable).
    pub fn create(dir: &Path, shard_records: usize) -> Result<DatasetWriter> {
        if has_manifest(dir) {
            return Err(Error::invalid(format!(
                "{} already holds a dataset; datasets are immutable: choose a new directory",
                dir.display()
            )));
        }
        if dir.exists() {
            let mut entries = std::fs::read_dir(dir)
                .map_err(Error::io(format!("cannot read {}", dir.display())))?;
            if entries.next().is_some() {
                return Err(Error::invalid(format!(
                    "{} is not empty; a dataset needs a new directory (shards a failed run left \
                     without a manifest.json are not a dataset and can be deleted)",
                    dir.display()
                )));
            }
        }
        std::fs::create_dir_all(dir)
            .map_err(Error::io(format!("cannot create {}", dir.display())))?;
        let lock = match lock_dir(dir)? {
            Some(l) => l,
            None => {
                return Err(Error::invalid(format!(
                    "{} is being written or compacted by another run",
                    dir.display()
                )))
            }
        };
        Ok(DatasetWriter {
            dir: dir.to_path_buf(),
            _lock: lock,
            shard_records: shard_records.max(1),
            shards: Vec::new(),
            current: None,
        })
    }

    /// Append one output line (without its newline) and where it came from. A dataset's
    /// shards are all JSONL or all Parquet: lines cannot follow rows.
    pub fn line(&mut self, line: &str, entry: LineEntry) -> Result<()> {
        if self.current.is_none() {
            let n = self.shards.len() as u32;
            let tmp = self.dir.join(format!(".{}.tmp", shard_file(n, 0)));
            let f = create_private(&tmp)?;
            self.current = Some(OpenShard::Jsonl(
                BufWriter::new(f),
                Sha256::new(),
                Vec::new(),
            ));
        }
        let full = {
            let Some(OpenShard::Jsonl(w, h, lines)) = self.current.as_mut() else {
                return Err(Error::invalid(format!(
                    "{}: a dataset's shards are all JSONL or all Parquet",
                    self.dir.display()
                )));
            };
            w.write_all(line.as_bytes())
                .and_then(|()| w.write_all(b"\n"))
                .map_err(Error::io(format!(
                    "cannot write a shard in {}",
                    self.dir.display()
                )))?;
            h.update(line.as_bytes());
            h.update(b"\n");
            lines.push(entry);
            lines.len() >= self.shard_records
        };
        if full {
            self.close_shard()?;
        }
        Ok(())
    }

    /// Append rows to Parquet shards (a new shard every `shard_records` rows): `batch` holds
    /// the output columns and, last, the lineage columns ([`SUBJECT_COLUMN`], then
    /// [`RECORD_COLUMN`]), which must agree with `entries` row by row (the manifest lists
    /// `entries`; compaction removes rows by the column). Every batch of a dataset has the
    /// same schema.
    #[cfg(feature = "parquet")]
    pub fn rows(&mut self, batch: &arrow_array::RecordBatch, entries: &[LineEntry]) -> Result<()> {
        table::check_lineage(&self.dir, batch, entries)?;
        let mut at = 0;
        while at < entries.len() {
            if self.current.is_none() {
                let n = self.shards.len() as u32;
                let w = table::ShardWriter::create(
                    &self.dir,
                    &shard_file_ext(n, 0, "parquet"),
                    batch.schema(),
                )?;
                self.current = Some(OpenShard::Parquet(Box::new(w)));
            }
            let Some(OpenShard::Parquet(w)) = self.current.as_mut() else {
                return Err(Error::invalid(format!(
                    "{}: a dataset's shards are all JSONL or all Parquet",
                    self.dir.display()
                )));
            };
            let room = self.shard_records.saturating_sub(w.rows()).max(1);
            let take = room.min(entries.len() - at);
            let part = entries.get(at..at + take).unwrap_or_default();
            w.write(&batch.slice(at, take), part)?;
            at += take;
            if w.rows() >= self.shard_records {
                self.close_shard()?;
            }
        }
        Ok(())
    }

    fn close_shard(&mut self) -> Result<()> {
        let n = self.shards.len() as u32;
        let entry = match self.current.take() {
            None => return Ok(()),
            Some(OpenShard::Jsonl(w, h, lines)) => {
                let name = shard_file(n, 0);
                let tmp = self.dir.join(format!(".{name}.tmp"));
                let f = w.into_inner().map_err(|e| Error::Io {
                    context: format!("cannot write {}", tmp.display()),
                    source: e.into_error(),
                })?;
                f.sync_all()
                    .map_err(Error::io(format!("cannot flush {}", tmp.display())))?;
                std::fs::rename(&tmp, self.dir.join(&name))
                    .map_err(Error::io(format!("cannot move shard {name} into place")))?;
                ShardEntry {
                    shard: n,
                    file: name,
                    generation: 0,
                    sha256: hex(&h.finalize()),
                    lines,
                }
            }
            #[cfg(feature = "parquet")]
            Some(OpenShard::Parquet(w)) => {
                let (file, sha256, lines) = w.finish(&self.dir)?;
                ShardEntry {
                    shard: n,
                    file,
                    generation: 0,
                    sha256,
                    lines,
                }
            }
        };
        self.shards.push(entry);
        crash_point("dataset:after_shard");
        Ok(())
    }

    /// Close the last shard and commit the dataset by writing its manifest.
    pub fn finish(mut self, manifest: Manifest) -> Result<Manifest> {
        let manifest = self.close(manifest)?;
        self.commit(&manifest)?;
        Ok(manifest)
    }

    /// Close the last shard and flush every shard to disk; returns the manifest that
    /// [`commit`](DatasetWriter::commit) will write (so the store can register the dataset,
    /// pending, before it exists on disk).
    pub fn close(&mut self, mut manifest: Manifest) -> Result<Manifest> {
        self.close_shard()?;
        sync_dir(&self.dir)?;
        manifest.format = FORMAT.to_string();
        manifest.shards.clone_from(&self.shards);
        Ok(manifest)
    }

    /// Commit the dataset: write the manifest [`close`](DatasetWriter::close) returned.
    pub fn commit(self, manifest: &Manifest) -> Result<()> {
        manifest.store(&self.dir)
    }
}

/// Take the advisory lock on a dataset directory that writers and compactions hold (released
/// by the system if the process dies). `None` when another holds it.
pub fn lock_dir(dir: &Path) -> Result<Option<File>> {
    let lock = File::open(dir).map_err(Error::io(format!(
        "cannot open directory {}",
        dir.display()
    )))?;
    match lock.try_lock() {
        Ok(()) => Ok(Some(lock)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::Io {
            context: format!("cannot lock {}", dir.display()),
            source: e,
        }),
    }
}

/// Remove what a run that never committed left in `dir` (shard files, temporary files; only
/// names a dataset writer makes), and the directory itself when that leaves it empty. Refuses
/// a directory holding a manifest. Returns how many files were removed.
pub fn remove_partial(dir: &Path) -> Result<usize> {
    if has_manifest(dir) {
        return Err(Error::invalid(format!(
            "{} holds a committed dataset; not removing it",
            dir.display()
        )));
    }
    let empty = Manifest {
        format: FORMAT.to_string(),
        id: String::new(),
        name: String::new(),
        purpose: String::new(),
        policy: String::new(),
        key_version: 0,
        created_at: String::new(),
        shards: Vec::new(),
        retired: Vec::new(),
    };
    let removed = remove_unreferenced(dir, &empty)?;
    let is_empty = std::fs::read_dir(dir)
        .map_err(Error::io(format!("cannot read {}", dir.display())))?
        .next()
        .is_none();
    if is_empty {
        std::fs::remove_dir(dir).map_err(Error::io(format!("cannot remove {}", dir.display())))?;
    }
    Ok(removed)
}

/// What compaction did to one shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardChange {
    /// The shard's number.
    pub shard: u32,
    /// The file before.
    pub old_file: String,
    /// The file after.
    pub new_file: String,
    /// SHA-256 before.
    pub old_sha256: String,
    /// SHA-256 after.
    pub new_sha256: String,
    /// Lines kept.
    pub kept: usize,
    /// Lines removed, per subject lineage id.
    pub removed: BTreeMap<String, usize>,
}

fn read_shard(dir: &Path, s: &ShardEntry) -> Result<Vec<u8>> {
    let path = dir.join(&s.file);
    let bytes =
        std::fs::read(&path).map_err(Error::io(format!("cannot read {}", path.display())))?;
    let sha = hex(&Sha256::digest(&bytes));
    if sha != s.sha256 {
        return Err(Error::Corrupt(format!(
            "{}: contents do not match the manifest's checksum; not touching it",
            path.display()
        )));
    }
    Ok(bytes)
}

/// The lines of a shard's bytes, each without its newline.
fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Rewrite every shard of the dataset in `dir` that holds a subject in `remove`, then swap the
/// manifest. Other lines are copied byte for byte. Returns the new manifest and what changed
/// (nothing when no shard holds them).
pub fn rewrite_without(
    dir: &Path,
    manifest: &Manifest,
    remove: &HashSet<String>,
) -> Result<(Manifest, Vec<ShardChange>)> {
    // What an earlier compaction retired and a crash kept it from deleting goes first (its
    // list is replaced below).
    remove_unreferenced(dir, manifest)?;
    let mut next = manifest.clone();
    next.retired.clear();
    let mut changes = Vec::new();
    for s in &mut next.shards {
        let hit = s
            .lines
            .iter()
            .any(|l| l.subject.as_ref().is_some_and(|x| remove.contains(x)));
        if !hit {
            continue;
        }
        changes.push(rewrite_shard(dir, s, remove)?);
    }
    if changes.is_empty() {
        return Ok((manifest.clone(), changes));
    }
    next.retired = changes.iter().map(|c| c.old_file.clone()).collect();
    crash_point("compact:before_manifest");
    next.store(dir)?;
    crash_point("compact:after_manifest");
    remove_unreferenced(dir, &next)?;
    Ok((next, changes))
}

/// Write the next generation of shard `s` without the lines of the subjects in `remove` (the
/// manifest still names the old one), and update `s` to name it.
fn rewrite_shard(dir: &Path, s: &mut ShardEntry, remove: &HashSet<String>) -> Result<ShardChange> {
    if is_parquet(&s.file) {
        return rewrite_parquet_shard(dir, s, remove);
    }
    let bytes = read_shard(dir, s)?;
    let lines = split_lines(&bytes);
    if lines.len() != s.lines.len() {
        return Err(Error::Corrupt(format!(
            "{}: {} lines but the manifest lists {}",
            dir.join(&s.file).display(),
            lines.len(),
            s.lines.len()
        )));
    }
    let generation = s.generation + 1;
    let name = shard_file(s.shard, generation);
    let kept = Kept::filter(&lines, &s.lines, remove, bytes.len());
    crash_point("compact:before_shard");
    write_atomic(dir, &name, &kept.bytes)?;
    crash_point("compact:after_shard");
    let new_sha = hex(&Sha256::digest(&kept.bytes));
    let change = ShardChange {
        shard: s.shard,
        old_file: std::mem::replace(&mut s.file, name),
        new_file: s.file.clone(),
        old_sha256: std::mem::replace(&mut s.sha256, new_sha.clone()),
        new_sha256: new_sha,
        kept: kept.entries.len(),
        removed: kept.removed,
    };
    s.generation = generation;
    s.lines = kept.entries;
    Ok(change)
}

/// A Parquet shard's next generation (see [`table::rewrite`]).
#[cfg(feature = "parquet")]
fn rewrite_parquet_shard(
    dir: &Path,
    s: &mut ShardEntry,
    remove: &HashSet<String>,
) -> Result<ShardChange> {
    let generation = s.generation + 1;
    let name = shard_file_ext(s.shard, generation, "parquet");
    crash_point("compact:before_shard");
    let rewritten = table::rewrite(dir, s, remove, &name)?;
    crash_point("compact:after_shard");
    let change = ShardChange {
        shard: s.shard,
        old_file: std::mem::replace(&mut s.file, name),
        new_file: s.file.clone(),
        old_sha256: std::mem::replace(&mut s.sha256, rewritten.sha256.clone()),
        new_sha256: rewritten.sha256,
        kept: rewritten.entries.len(),
        removed: rewritten.removed,
    };
    s.generation = generation;
    s.lines = rewritten.entries;
    Ok(change)
}

/// Without the `parquet` feature a Parquet shard cannot be rewritten: an error, never a skip.
#[cfg(not(feature = "parquet"))]
fn rewrite_parquet_shard(
    dir: &Path,
    s: &mut ShardEntry,
    _remove: &HashSet<String>,
) -> Result<ShardChange> {
    Err(Error::invalid(format!(
        "{}: a Parquet shard, and this build has no Parquet support (scrim-store's `parquet` \
         feature; the `scrim` command line has it)",
        dir.join(&s.file).display()
    )))
}

/// What is left of a shard once the lines of some subjects are dropped.
struct Kept {
    /// The kept lines, each with its newline.
    bytes: Vec<u8>,
    /// Their manifest entries.
    entries: Vec<LineEntry>,
    /// Lines dropped, per subject lineage id.
    removed: BTreeMap<String, usize>,
}

impl Kept {
    /// Keep the `lines` (with their manifest `entries`) whose subject is not in `remove`;
    /// `size` is the shard's size in bytes.
    fn filter(
        lines: &[&[u8]],
        entries: &[LineEntry],
        remove: &HashSet<String>,
        size: usize,
    ) -> Kept {
        let mut kept = Kept {
            bytes: Vec::with_capacity(size),
            entries: Vec::with_capacity(entries.len()),
            removed: BTreeMap::new(),
        };
        for (line, entry) in lines.iter().zip(entries) {
            match &entry.subject {
                Some(sub) if remove.contains(sub) => {
                    *kept.removed.entry(sub.clone()).or_default() += 1;
                }
                _ => {
                    kept.bytes.extend_from_slice(line);
                    kept.bytes.push(b'\n');
                    kept.entries.push(entry.clone());
                }
            }
        }
        kept
    }
}

/// Delete shard files and temporary files that the manifest does not name (the old
/// generations a compaction replaced, or what a crash left behind).
pub fn remove_unreferenced(dir: &Path, manifest: &Manifest) -> Result<usize> {
    let keep: HashSet<&str> = manifest.shards.iter().map(|s| s.file.as_str()).collect();
    let retired: HashSet<&str> = manifest
        .retired
        .iter()
        .map(String::as_str)
        .filter(|f| plain_shard_name(f))
        .collect();
    let entries =
        std::fs::read_dir(dir).map_err(Error::io(format!("cannot read {}", dir.display())))?;
    let mut removed = 0;
    for e in entries {
        let e = e.map_err(Error::io(format!("cannot read {}", dir.display())))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = (name.starts_with("shard-")
            && (name.ends_with(".jsonl") || name.ends_with(".parquet")))
            || (name.starts_with(".shard-") && name.ends_with(".tmp"))
            || name == format!(".{MANIFEST}.tmp")
            || name == format!(".{TABLE_MANIFEST}.tmp");
        // A retired file, or the checksum file Hadoop's file system keeps beside it (Spark).
        let retired_file = retired.contains(name.as_str())
            || name
                .strip_prefix('.')
                .and_then(|n| n.strip_suffix(".crc"))
                .is_some_and(|n| retired.contains(n));
        if (ours || retired_file) && !keep.contains(name.as_str()) {
            std::fs::remove_file(e.path())
                .map_err(Error::io(format!("cannot remove {}", e.path().display())))?;
            removed += 1;
        }
    }
    if removed > 0 {
        sync_dir(dir)?;
    }
    Ok(removed)
}

/// A shard file's name as a manifest may give it: a plain name in the dataset's directory
/// (no separator, not hidden, not the manifest), so a manifest can never name a file elsewhere.
fn plain_shard_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['/', '\\'])
        && !name.starts_with('.')
        && name != MANIFEST
        && name != TABLE_MANIFEST
        && (name.ends_with(".jsonl") || is_parquet(name))
}

/// Read every line of a dataset (through its manifest), with where each came from.
pub fn read_lines(dir: &Path) -> Result<Vec<(String, LineEntry)>> {
    let m = Manifest::load(dir)?;
    let mut out = Vec::with_capacity(m.records());
    for s in &m.shards {
        let bytes = read_shard(dir, s)?;
        let lines = split_lines(&bytes);
        if lines.len() != s.lines.len() {
            return Err(Error::Corrupt(format!(
                "{}: line count differs from the manifest",
                dir.join(&s.file).display()
            )));
        }
        for (l, e) in lines.iter().zip(&s.lines) {
            out.push((String::from_utf8_lossy(l).into_owned(), e.clone()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(r: &str, s: &str) -> LineEntry {
        LineEntry {
            record: r.into(),
            subject: Some(s.into()),
        }
    }

    fn meta() -> Manifest {
        Manifest {
            format: String::new(),
            id: "d1".into(),
            name: "t".into(),
            purpose: "training".into(),
            policy: "p".into(),
            key_version: 1,
            created_at: "2026-01-01T00:00:00Z".into(),
            shards: Vec::new(),
            retired: Vec::new(),
        }
    }

    #[test]
    fn write_compact_and_clean() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let dir = tmp.path().join("ds");
        let mut w = DatasetWriter::create(&dir, 2).unwrap_or_else(|e| unreachable!("{e}"));
        for (i, s) in ["a", "b", "a", "c", "b"].iter().enumerate() {
            w.line(&format!("{{\"n\":{i}}}"), entry(&format!("r{i}"), s))
                .unwrap_or_else(|e| unreachable!("{e}"));
        }
        let m = w.finish(meta()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(m.shards.len(), 3);
        assert_eq!(Manifest::load(&dir).ok(), Some(m.clone()));
        assert!(DatasetWriter::create(&dir, 2).is_err(), "immutable");

        let remove: HashSet<String> = ["a".to_string()].into();
        let (next, changes) =
            rewrite_without(&dir, &m, &remove).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(changes.len(), 2, "shards 0 and 1 hold a");
        let lines = read_lines(&dir).unwrap_or_else(|e| unreachable!("{e}"));
        let texts: Vec<&str> = lines.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(texts, ["{\"n\":1}", "{\"n\":3}", "{\"n\":4}"]);
        assert_eq!(next.records(), 3);
        // Old generations are gone; untouched shard 2 kept its file.
        assert!(!dir.join("shard-00000.jsonl").exists());
        assert!(dir.join("shard-00000.g1.jsonl").exists());
        assert!(dir.join("shard-00002.jsonl").exists());
        // Nothing left to do the second time.
        let (_, again) =
            rewrite_without(&dir, &next, &remove).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(again.is_empty());
    }

    #[test]
    fn a_changed_shard_is_not_touched() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let dir = tmp.path().join("ds");
        let mut w = DatasetWriter::create(&dir, 10).unwrap_or_else(|e| unreachable!("{e}"));
        w.line("{}", entry("r", "a"))
            .unwrap_or_else(|e| unreachable!("{e}"));
        let m = w.finish(meta()).unwrap_or_else(|e| unreachable!("{e}"));
        std::fs::write(dir.join("shard-00000.jsonl"), "{\"x\":1}\n")
            .unwrap_or_else(|e| unreachable!("{e}"));
        let remove: HashSet<String> = ["a".to_string()].into();
        let e = rewrite_without(&dir, &m, &remove)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("checksum"), "{e}");
    }
}
