//! Datasets: registration with their holdings, listing, compaction (with the file half in
//! `crate::dataset`) and deletion receipts.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{absolute, check_subject, now, DatasetInfo, Receipt, Recovery, Store};
use crate::dataset::{
    crash_point, lock_dir, remove_partial, remove_unreferenced, rewrite_without, Manifest,
    ShardChange,
};
use crate::error::{Error, Result};
use crate::json;

/// Subjects remembered per statement by [`Store::remember_subjects`] (three parameters each:
/// well under SQLite's and PostgreSQL's limits).
const SUBJECTS_PER_STATEMENT: usize = 500;

impl Store {
    // ---------------------------------------------------------------- datasets

    /// Remember subjects' lineage ids (so that forgetting one finds their shards): one
    /// multi-row statement per 500 pairs (duplicates and subjects the
    /// store knows already are left as they are).
    pub async fn remember_subjects(&self, pairs: &[(String, String)]) -> Result<()> {
        let mut seen = HashSet::new();
        let mut unique: Vec<&(String, String)> = Vec::with_capacity(pairs.len());
        for p in pairs {
            check_subject(&p.0)?;
            if seen.insert(p.0.as_str()) {
                unique.push(p);
            }
        }
        if unique.is_empty() {
            return Ok(());
        }
        let at = now();
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(Error::db("remembering subjects"))?;
        for chunk in unique.chunks(SUBJECTS_PER_STATEMENT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                .collect();
            let sql = format!(
                "INSERT INTO subjects (subject, lineage_id, first_seen) VALUES {} \
                 ON CONFLICT (subject) DO NOTHING",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (subject, lid) in chunk {
                q = q.bind(subject).bind(lid).bind(&at);
            }
            q.execute(&mut *tx)
                .await
                .map_err(Error::db(format!("remembering {} subject(s)", chunk.len())))?;
        }
        tx.commit()
            .await
            .map_err(Error::db("remembering subjects"))?;
        Ok(())
    }

    /// Register a dataset just written to `dir`. Tombstones written since `run_started` (an
    /// opt-out that raced the run) are applied to it at once as pending targets. Returns how
    /// many such targets were added.
    pub async fn register_dataset(
        &self,
        dir: &Path,
        manifest: &Manifest,
        run_started: &str,
    ) -> Result<usize> {
        self.insert_dataset(dir, manifest, run_started, "ready")
            .await
    }

    /// Register a dataset, with its shards and holdings, as `pending` before its manifest is
    /// written to `dir` (so a crash before [`Store::mark_ready`] leaves a dataset that forget
    /// reaches and `recover` adopts or cleans). Tombstones as in [`Store::register_dataset`].
    pub async fn register_pending(
        &self,
        dir: &Path,
        manifest: &Manifest,
        run_started: &str,
    ) -> Result<usize> {
        self.insert_dataset(dir, manifest, run_started, "pending")
            .await
    }

    /// Register a directory of Parquet files that an engine wrote (Spark, Ray, a Python job)
    /// with the lineage columns of `scrim.Store.admit`, as dataset `name` for `purpose`: each
    /// file is a shard ([`crate::dataset::table::scan`]), the manifest is written into `dir`
    /// (the commit point), then the dataset is registered as ready with its holdings, and
    /// every tombstone already written for a subject it holds (for its purpose or every
    /// purpose) targets it at once. Returns the manifest and how many such targets were added.
    /// A crash between the manifest and the registration leaves a committed dataset that
    /// `scrim datasets recover DIR` registers.
    #[cfg(feature = "parquet")]
    pub async fn register_table(
        &self,
        dir: &Path,
        name: &str,
        purpose: &str,
    ) -> Result<(Manifest, usize)> {
        if crate::dataset::has_manifest(dir) {
            return Err(Error::invalid(format!(
                "{} already holds a dataset manifest; a committed dataset the store does not \
                 know is registered by `scrim datasets recover {}`",
                dir.display(),
                dir.display()
            )));
        }
        if self.dataset(name).await.is_ok() {
            return Err(Error::invalid(format!(
                "a dataset named {name} is already registered; choose another name"
            )));
        }
        let Some(_lock) = lock_dir(dir)? else {
            return Err(Error::invalid(format!(
                "{} is being written or compacted by another run",
                dir.display()
            )));
        };
        let (shards, policy) = crate::dataset::table::scan(dir)?;
        let mut id = [0u8; 8];
        getrandom::getrandom(&mut id)
            .map_err(|e| Error::Crypto(format!("no randomness for a dataset id: {e}")))?;
        let manifest = Manifest {
            format: crate::dataset::FORMAT.to_string(),
            id: format!("ds_{}", scrim_core::hex::encode(&id)),
            name: name.to_string(),
            purpose: purpose.to_string(),
            policy: policy.unwrap_or_else(|| "unknown".to_string()),
            key_version: 0,
            created_at: now(),
            shards,
            retired: Vec::new(),
        };
        crash_point("register:before_manifest");
        manifest.store(dir)?;
        crash_point("register:after_manifest");
        let added = self.insert_dataset(dir, &manifest, "", "ready").await?;
        Ok((manifest, added))
    }

    /// A pending dataset's manifest has committed: it is ready.
    pub async fn mark_ready(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE datasets SET state = 'ready' WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(Error::db(format!("marking dataset {id} ready")))?;
        Ok(())
    }

    /// Adopt or clean what a killed run left in `dir`: a pending dataset whose manifest
    /// committed becomes ready; one that never committed loses its partial files and its
    /// registration; a committed manifest the store never registered is registered (every
    /// tombstone of its subjects applies to it); partial files of an unknown run are removed.
    pub async fn recover(&self, dir: &Path) -> Result<(Option<String>, Recovery)> {
        let path = absolute(dir).display().to_string();
        let known = self.dataset_at(&path).await?;
        if known.as_ref().is_some_and(|d| d.state == "ready") {
            return Ok((known.map(|d| d.name), Recovery::Ready));
        }
        if !dir.is_dir() {
            return match known {
                Some(d) => {
                    self.drop_dataset(&d.id).await?;
                    Ok((Some(d.name), Recovery::Cleaned))
                }
                None => Ok((None, Recovery::Nothing)),
            };
        }
        let Some(_lock) = lock_dir(dir)? else {
            return Ok((known.map(|d| d.name), Recovery::InProgress));
        };
        let manifest = if crate::dataset::has_manifest(dir) {
            Some(Manifest::load(dir)?)
        } else {
            None
        };
        self.settle(dir, &path, known, manifest).await
    }

    /// The dataset registered at `path` (absolute), if any.
    async fn dataset_at(&self, path: &str) -> Result<Option<DatasetInfo>> {
        let row = sqlx::query(&format!("{DATASET_SELECT} WHERE d.path = $1"))
            .bind(path)
            .fetch_optional(&self.pool)
            .await
            .map_err(Error::db(format!("looking dataset {path} up")))?;
        row.as_ref().map(dataset_row).transpose()
    }

    /// [`Store::recover`]'s verdict on a directory it holds the lock of, by what the store
    /// registered there (`known`) and what committed on disk (`manifest`).
    async fn settle(
        &self,
        dir: &Path,
        path: &str,
        known: Option<DatasetInfo>,
        manifest: Option<Manifest>,
    ) -> Result<(Option<String>, Recovery)> {
        match (known, manifest) {
            (Some(d), Some(m)) if m.id == d.id => {
                self.mark_ready(&d.id).await?;
                remove_unreferenced(dir, &m)?;
                Ok((Some(d.name), Recovery::Adopted))
            }
            (Some(d), Some(_)) => Err(Error::Corrupt(format!(
                "{path}: its manifest is not the one dataset {} registered; not touching it",
                d.name
            ))),
            (Some(d), None) => {
                // Registration first, files after: a crash in between leaves files only,
                // which a later `recover DIR` removes.
                self.drop_dataset(&d.id).await?;
                remove_partial(dir)?;
                Ok((Some(d.name), Recovery::Cleaned))
            }
            (None, Some(m)) => {
                self.insert_dataset(dir, &m, "", "ready").await?;
                remove_unreferenced(dir, &m)?;
                Ok((Some(m.name), Recovery::Adopted))
            }
            (None, None) => {
                let n = remove_partial(dir)?;
                Ok((
                    None,
                    if n > 0 {
                        Recovery::Cleaned
                    } else {
                        Recovery::Nothing
                    },
                ))
            }
        }
    }

    /// [`Store::recover`] every pending dataset.
    pub async fn recover_pending(&self) -> Result<Vec<(String, String, Recovery)>> {
        let mut out = Vec::new();
        for d in self.datasets().await? {
            if d.state != "pending" {
                continue;
            }
            let (_, r) = self.recover(Path::new(&d.path)).await?;
            out.push((d.name, d.path, r));
        }
        Ok(out)
    }

    /// Remove a dataset's registration (shards, holdings, tombstone targets).
    async fn drop_dataset(&self, id: &str) -> Result<()> {
        let ctx = format!("removing the registration of dataset {id}");
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx.clone()))?;
        for q in [
            "DELETE FROM tombstone_targets WHERE dataset_id = $1",
            "DELETE FROM holdings WHERE dataset_id = $1",
            "DELETE FROM shards WHERE dataset_id = $1",
            "DELETE FROM datasets WHERE id = $1",
        ] {
            sqlx::query(q)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(Error::db(ctx.clone()))?;
        }
        tx.commit().await.map_err(Error::db(ctx))?;
        Ok(())
    }

    /// Register a dataset in one transaction: its row in `state`, its shards and holdings, and
    /// the targets of tombstones written since `run_started`. Returns how many targets.
    async fn insert_dataset(
        &self,
        dir: &Path,
        manifest: &Manifest,
        run_started: &str,
        state: &str,
    ) -> Result<usize> {
        let path = absolute(dir);
        let ctx = format!("registering dataset {}", manifest.name);
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx.clone()))?;
        insert_dataset_row(&mut tx, &path, manifest, state, &ctx).await?;
        write_shards(&mut tx, INSERT_SHARDS, &manifest.id, manifest, &ctx).await?;
        insert_holdings(&mut tx, &manifest.id, manifest, &ctx).await?;
        let added = target_raced_tombstones(&mut tx, manifest, run_started, &ctx).await?;
        tx.commit().await.map_err(Error::db(ctx))?;
        Ok(added)
    }

    /// Every registered dataset.
    pub async fn datasets(&self) -> Result<Vec<DatasetInfo>> {
        let rows = sqlx::query(&format!("{DATASET_SELECT} ORDER BY d.created_at, d.name"))
            .fetch_all(&self.pool)
            .await
            .map_err(Error::db("listing datasets"))?;
        rows.iter().map(dataset_row).collect()
    }

    /// A dataset by name, id or directory.
    pub async fn dataset(&self, which: &str) -> Result<DatasetInfo> {
        let path = absolute(Path::new(which)).display().to_string();
        let row = sqlx::query(&format!(
            "{DATASET_SELECT} WHERE d.name = $1 OR d.id = $1 OR d.path = $2"
        ))
        .bind(which)
        .bind(path)
        .fetch_optional(&self.pool)
        .await
        .map_err(Error::db(format!("looking dataset {which} up")))?;
        match row {
            Some(r) => dataset_row(&r),
            None => Err(Error::NotFound(format!(
                "no dataset named {which} in the store (see `scrim datasets`)"
            ))),
        }
    }

    /// Datasets with shards waiting for a compaction.
    pub async fn datasets_pending(&self) -> Result<Vec<DatasetInfo>> {
        Ok(self
            .datasets()
            .await?
            .into_iter()
            .filter(|d| d.pending > 0)
            .collect())
    }

    /// Rewrite the shards of a dataset that hold tombstoned subjects, atomically per shard with
    /// the manifest as the commit point, then record a receipt. Safe to run again after a crash
    /// at any point: it finishes what an interrupted run started. `None` when nothing was
    /// pending.
    pub async fn compact(&self, which: &str, actor: &str) -> Result<Option<Receipt>> {
        let ds = self.dataset(which).await?;
        let ctx = format!("compacting dataset {}", ds.name);
        let rows = self.pending_target_rows(&ds.id, &ctx).await?;
        let dir = PathBuf::from(&ds.path);
        // One compaction per dataset at a time: an advisory lock on the directory, released
        // by the system if this process dies.
        let _lock = lock_for_compaction(&dir, &ds.name)?;
        if ds.state == "pending" {
            // A run registered it and was killed: adopt it when its manifest committed.
            self.adopt_committed(&ds, &dir).await?;
        }
        let manifest = Manifest::load(&dir)?;
        if rows.is_empty() {
            remove_unreferenced(&dir, &manifest)?;
            return Ok(None);
        }
        let targets = Targets::read(&rows, &ctx)?;
        // What the store says these shards held: the count removed, even when an interrupted
        // run already rewrote some shards (the store's holdings change only with the receipt).
        let held = self.held_records(&ds.id, &targets.remove, &ctx).await?;
        let (next, changes) = rewrite_checked(&dir, &manifest, &targets.remove)?;
        crash_point("compact:before_db");
        let mut receipt = targets.into_receipt(&ds, actor, changes, held);
        receipt.id = self.record_compaction(&next, &receipt, &ctx).await?;
        Ok(Some(receipt))
    }

    /// The rows (tombstone, shard, lineage id) of a dataset's tombstone targets not yet done,
    /// in tombstone order.
    async fn pending_target_rows(&self, dataset_id: &str, ctx: &str) -> Result<Vec<AnyRow>> {
        sqlx::query(
            "SELECT tt.tombstone_id, tt.shard, COALESCE(t.lineage_id, s.lineage_id) \
             FROM tombstone_targets tt \
             JOIN tombstones t ON t.id = tt.tombstone_id \
             LEFT JOIN subjects s ON s.subject = t.subject \
             WHERE tt.dataset_id = $1 AND tt.done_at IS NULL ORDER BY tt.tombstone_id",
        )
        .bind(dataset_id)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db(ctx))
    }

    /// A pending dataset a run registered and was killed writing: ready when its manifest
    /// committed, else an error that points to `recover`.
    async fn adopt_committed(&self, ds: &DatasetInfo, dir: &Path) -> Result<()> {
        match Manifest::load(dir) {
            Ok(m) if m.id == ds.id => self.mark_ready(&ds.id).await,
            _ => Err(Error::invalid(format!(
                "dataset {} was never committed (its run was interrupted); run \
                 `scrim datasets recover {}`",
                ds.name,
                dir.display()
            ))),
        }
    }

    /// The records the store's holdings say a dataset holds of these subjects.
    async fn held_records(
        &self,
        dataset_id: &str,
        remove: &HashSet<String>,
        ctx: &str,
    ) -> Result<usize> {
        let mut held = 0usize;
        for lid in remove {
            let n: i64 = sqlx::query(
                "SELECT CAST(COALESCE(SUM(records), 0) AS BIGINT) FROM holdings \
                 WHERE dataset_id = $1 AND lineage_id = $2",
            )
            .bind(dataset_id)
            .bind(lid)
            .fetch_one(&self.pool)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(Error::db(ctx))?;
            held += usize::try_from(n).unwrap_or(0);
        }
        Ok(held)
    }

    /// Make the store follow a compaction in one transaction: shards as `next` lists them,
    /// holdings anew, the receipt, and its tombstone targets done. Returns the receipt's id.
    async fn record_compaction(
        &self,
        next: &Manifest,
        receipt: &Receipt,
        ctx: &str,
    ) -> Result<i64> {
        let body = serde_json::to_string(receipt)
            .map_err(|e| Error::Corrupt(format!("cannot encode a receipt: {e}")))?;
        let ds_id = receipt.dataset_id.as_str();
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx))?;
        // The store follows the manifest, whichever run swapped it.
        write_shards(&mut tx, UPDATE_SHARDS, ds_id, next, ctx).await?;
        sqlx::query("DELETE FROM holdings WHERE dataset_id = $1")
            .bind(ds_id)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx))?;
        insert_holdings(&mut tx, ds_id, next, ctx).await?;
        let id = insert_receipt(&mut tx, receipt, &body, ctx).await?;
        mark_targets_done(&mut tx, receipt, id, ctx).await?;
        tx.commit().await.map_err(Error::db(ctx))?;
        Ok(id)
    }

    /// Receipts, newest first (optionally of one dataset).
    pub async fn receipts(&self, dataset: Option<&str>) -> Result<Vec<Receipt>> {
        let rows = match dataset {
            Some(d) => {
                let ds = self.dataset(d).await?;
                sqlx::query("SELECT id, body FROM receipts WHERE dataset_id = $1 ORDER BY id DESC")
                    .bind(ds.id)
                    .fetch_all(&self.pool)
                    .await
            }
            None => {
                sqlx::query("SELECT id, body FROM receipts ORDER BY id DESC")
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(Error::db("reading receipts"))?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get(0).map_err(Error::db("reading receipts"))?;
            let body: String = r.try_get(1).map_err(Error::db("reading receipts"))?;
            let receipt: Receipt = json::decode(&body, &format!("receipts.body, receipt {id}"))?;
            out.push(Receipt { id, ..receipt });
        }
        Ok(out)
    }
}

/// Record which subjects each shard of `m` holds.
async fn insert_holdings(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dataset_id: &str,
    m: &Manifest,
    ctx: &str,
) -> Result<()> {
    for (shard, lid, n) in m.holdings() {
        sqlx::query(
            "INSERT INTO holdings (dataset_id, shard, lineage_id, records) VALUES ($1, $2, $3, $4)",
        )
        .bind(dataset_id)
        .bind(i64::from(shard))
        .bind(&lid)
        .bind(n as i64)
        .execute(&mut **tx)
        .await
        .map_err(Error::db(ctx.to_string()))?;
    }
    Ok(())
}

/// Insert a dataset's row in `state`; a taken name is the caller's error.
async fn insert_dataset_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    path: &Path,
    manifest: &Manifest,
    state: &str,
    ctx: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO datasets (id, name, path, purpose, policy, key_version, created_at, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&manifest.id)
    .bind(&manifest.name)
    .bind(path.display().to_string())
    .bind(&manifest.purpose)
    .bind(&manifest.policy)
    .bind(manifest.key_version)
    .bind(&manifest.created_at)
    .bind(state)
    .execute(&mut **tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::invalid(format!(
            "a dataset named {} is already registered; choose another --dataset name",
            manifest.name
        )),
        _ => Error::Db {
            context: ctx.to_string(),
            source: e,
        },
    })?;
    Ok(())
}

/// Inserts a new dataset's shards, for [`write_shards`].
const INSERT_SHARDS: &str =
    "INSERT INTO shards (dataset_id, shard, file, generation, records, sha256) \
     VALUES ($1, $2, $3, $4, $5, $6)";

/// Sets a dataset's shard to a new file, generation, records and checksum, for [`write_shards`].
const UPDATE_SHARDS: &str =
    "UPDATE shards SET file = $3, generation = $4, records = $5, sha256 = $6 \
     WHERE dataset_id = $1 AND shard = $2";

/// Run `sql` for each shard `manifest` lists, with `$1` to `$6` the dataset id, the shard, its
/// file, generation, records and checksum.
async fn write_shards(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    sql: &str,
    dataset_id: &str,
    manifest: &Manifest,
    ctx: &str,
) -> Result<()> {
    for s in &manifest.shards {
        sqlx::query(sql)
            .bind(dataset_id)
            .bind(i64::from(s.shard))
            .bind(&s.file)
            .bind(i64::from(s.generation))
            .bind(s.lines.len() as i64)
            .bind(&s.sha256)
            .execute(&mut **tx)
            .await
            .map_err(Error::db(ctx))?;
    }
    Ok(())
}

/// Target a new dataset's shards with the tombstones of its subjects written since
/// `run_started` (for its purpose or every purpose). Returns how many targets were added.
async fn target_raced_tombstones(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    manifest: &Manifest,
    run_started: &str,
    ctx: &str,
) -> Result<usize> {
    Ok(sqlx::query(
        "INSERT INTO tombstone_targets (tombstone_id, dataset_id, shard) \
         SELECT t.id, h.dataset_id, h.shard FROM tombstones t \
         JOIN subjects s ON s.subject = t.subject \
         JOIN holdings h ON h.lineage_id = s.lineage_id AND h.dataset_id = $1 \
         WHERE t.at >= $2 AND (t.purpose IS NULL OR t.purpose = $3)",
    )
    .bind(&manifest.id)
    .bind(run_started)
    .bind(&manifest.purpose)
    .execute(&mut **tx)
    .await
    .map_err(Error::db(ctx))?
    .rows_affected() as usize)
}

/// The advisory lock a compaction holds on a dataset's directory, or an error when another
/// compaction (or the run writing it) holds it.
fn lock_for_compaction(dir: &Path, name: &str) -> Result<File> {
    match lock_dir(dir)? {
        Some(lock) => Ok(lock),
        None => Err(Error::invalid(format!(
            "another compaction of dataset {name} is running (or the run writing it)"
        ))),
    }
}

/// Rewrite the shards of `dir` that hold a subject in `remove` (the manifest swapped as the
/// commit point), then check that none is left. Returns the manifest now on disk and the shards
/// this call rewrote.
fn rewrite_checked(
    dir: &Path,
    manifest: &Manifest,
    remove: &HashSet<String>,
) -> Result<(Manifest, Vec<ShardChange>)> {
    let (next, changes) = rewrite_without(dir, manifest, remove)?;
    // `rewrite_without` clears old generations when it rewrote something; when an
    // interrupted run had already swapped the manifest, clear what it left behind here.
    if changes.is_empty() {
        remove_unreferenced(dir, &next)?;
    }
    if let Some(s) = next.shards.iter().find(|s| {
        s.lines
            .iter()
            .any(|l| l.subject.as_ref().is_some_and(|x| remove.contains(x)))
    }) {
        return Err(Error::Corrupt(format!(
            "{}: shard {} still holds a tombstoned subject after compaction",
            dir.display(),
            s.shard
        )));
    }
    Ok((next, changes))
}

/// What one compaction serves: a dataset's pending tombstone targets.
struct Targets {
    /// The tombstones, each once, in id order.
    tombstones: Vec<i64>,
    /// The subjects (lineage ids) to remove.
    remove: HashSet<String>,
    /// The shards the targets name.
    shards: HashSet<i64>,
}

impl Targets {
    /// Gather the rows of [`Store::pending_target_rows`].
    fn read(rows: &[AnyRow], ctx: &str) -> Result<Targets> {
        let mut targets = Targets {
            tombstones: Vec::new(),
            remove: HashSet::new(),
            shards: HashSet::new(),
        };
        for r in rows {
            let t: i64 = r.try_get(0).map_err(Error::db(ctx))?;
            let shard: i64 = r.try_get(1).map_err(Error::db(ctx))?;
            let lid: Option<String> = r.try_get(2).map_err(Error::db(ctx))?;
            if !targets.tombstones.contains(&t) {
                targets.tombstones.push(t);
            }
            targets.shards.insert(shard);
            if let Some(l) = lid {
                targets.remove.insert(l);
            }
        }
        Ok(targets)
    }

    /// The receipt (its id still 0) of a compaction that rewrote `changes` now, with `held`
    /// records of these subjects in the store's holdings before it.
    fn into_receipt(
        self,
        ds: &DatasetInfo,
        actor: &str,
        changes: Vec<ShardChange>,
        held: usize,
    ) -> Receipt {
        let changed: HashSet<i64> = changes.iter().map(|c| i64::from(c.shard)).collect();
        let mut already: Vec<i64> = self.shards.difference(&changed).copied().collect();
        already.sort_unstable();
        let mut subjects: Vec<String> = self.remove.into_iter().collect();
        subjects.sort();
        Receipt {
            id: 0,
            dataset: ds.name.clone(),
            dataset_id: ds.id.clone(),
            path: ds.path.clone(),
            actor: actor.to_string(),
            at: now(),
            tombstones: self.tombstones,
            subjects,
            records_removed: changes
                .iter()
                .map(|c| c.removed.values().sum::<usize>())
                .sum::<usize>()
                .max(held),
            shards: changes,
            already_rewritten: already,
        }
    }
}

/// Insert a receipt (`body` its JSON); returns its id.
async fn insert_receipt(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    receipt: &Receipt,
    body: &str,
    ctx: &str,
) -> Result<i64> {
    sqlx::query(
        "INSERT INTO receipts (dataset_id, actor, at, body) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&receipt.dataset_id)
    .bind(&receipt.actor)
    .bind(&receipt.at)
    .bind(body)
    .fetch_one(&mut **tx)
    .await
    .and_then(|r| r.try_get(0))
    .map_err(Error::db(ctx))
}

/// Mark the receipt's tombstone targets in its dataset done by receipt `id`.
async fn mark_targets_done(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    receipt: &Receipt,
    id: i64,
    ctx: &str,
) -> Result<()> {
    for t in &receipt.tombstones {
        sqlx::query(
            "UPDATE tombstone_targets SET done_at = $1, receipt_id = $2 \
             WHERE dataset_id = $3 AND tombstone_id = $4 AND done_at IS NULL",
        )
        .bind(&receipt.at)
        .bind(id)
        .bind(&receipt.dataset_id)
        .bind(*t)
        .execute(&mut **tx)
        .await
        .map_err(Error::db(ctx))?;
    }
    Ok(())
}

const DATASET_SELECT: &str =
    "SELECT d.id, d.name, d.path, d.purpose, d.policy, d.key_version, d.created_at, \
     (SELECT COUNT(*) FROM shards s WHERE s.dataset_id = d.id), \
     (SELECT CAST(COALESCE(SUM(s.records), 0) AS BIGINT) FROM shards s WHERE s.dataset_id = d.id), \
     (SELECT COUNT(DISTINCT h.lineage_id) FROM holdings h WHERE h.dataset_id = d.id), \
     (SELECT COUNT(DISTINCT t.shard) FROM tombstone_targets t WHERE t.dataset_id = d.id AND t.done_at IS NULL), \
     d.state \
     FROM datasets d";

fn dataset_row(r: &AnyRow) -> Result<DatasetInfo> {
    let e = Error::db("reading a dataset");
    let g = |i: usize| -> std::result::Result<String, sqlx::Error> { r.try_get(i) };
    let n = |i: usize| -> std::result::Result<i64, sqlx::Error> { r.try_get(i) };
    (|| {
        Ok(DatasetInfo {
            id: g(0)?,
            name: g(1)?,
            path: g(2)?,
            purpose: g(3)?,
            policy: g(4)?,
            key_version: n(5)?,
            created_at: g(6)?,
            shards: n(7)?,
            records: n(8)?,
            subjects: n(9)?,
            pending: n(10)?,
            state: g(11)?,
        })
    })()
    .map_err(e)
}
