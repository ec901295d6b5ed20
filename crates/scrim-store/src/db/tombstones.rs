//! What must leave which shard: tombstones, their targets, and where a subject is held.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::review::review_tasks;
use super::{now, Holding, Store, TombstoneReport};
use crate::error::{Error, Result};

impl Store {
    // ---------------------------------------------------------------- tombstones

    /// Write a tombstone for `subject` in one transaction with its targets (every shard that
    /// holds the subject, in datasets of `purpose` when given), the destruction of the
    /// subject's key (`destroy_key`) and their review tasks' withdrawal; then report it.
    pub(super) async fn tombstone(
        &self,
        subject: &str,
        kind: &str,
        purpose: Option<&str>,
        actor: &str,
        destroy_key: bool,
    ) -> Result<TombstoneReport> {
        let ctx = format!("writing a tombstone for subject {subject}");
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx.clone()))?;
        let lid = lineage_of(&mut tx, subject, &ctx).await?;
        let at = now();
        let new = NewTombstone {
            subject,
            lineage_id: lid.as_deref(),
            kind,
            purpose,
            actor,
            at: &at,
        };
        let id = new.insert(&mut tx, &ctx).await?;
        if let Some(lid) = &lid {
            new.target_holdings(&mut tx, id, lid, &ctx).await?;
        }
        let key_destroyed = destroy_key && new.destroy_key(&mut tx).await?;
        // The review gateway's tasks: deleted on forget, counted (and withheld by the gateway's
        // consent check) otherwise.
        let review = match &lid {
            Some(l) => review_tasks(&mut tx, l, purpose, destroy_key).await?,
            None => Vec::new(),
        };
        tx.commit().await.map_err(Error::db(ctx))?;
        let holdings = match &lid {
            Some(l) => self.holdings_of_tombstone(id, l).await?,
            None => Vec::new(),
        };
        Ok(TombstoneReport {
            tombstone: id,
            subject: subject.to_string(),
            kind: kind.to_string(),
            purpose: purpose.map(str::to_string),
            holdings,
            key_destroyed,
            subject_linked: lid.is_some(),
            review_tasks: review,
            review_tasks_deleted: destroy_key,
        })
    }

    async fn holdings_of_tombstone(&self, tombstone: i64, lid: &str) -> Result<Vec<Holding>> {
        let rows = sqlx::query(
            "SELECT d.name, d.path, s.shard, s.file, h.records FROM tombstone_targets t \
             JOIN datasets d ON d.id = t.dataset_id \
             JOIN shards s ON s.dataset_id = t.dataset_id AND s.shard = t.shard \
             JOIN holdings h ON h.dataset_id = t.dataset_id AND h.shard = t.shard AND h.lineage_id = $2 \
             WHERE t.tombstone_id = $1 ORDER BY d.name, s.shard",
        )
        .bind(tombstone)
        .bind(lid)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db("listing a tombstone's shards"))?;
        rows.iter().map(holding_row).collect()
    }

    /// Every shard that holds a subject now.
    pub async fn holdings(&self, subject: &str) -> Result<Vec<Holding>> {
        let rows = sqlx::query(
            "SELECT d.name, d.path, s.shard, s.file, h.records FROM subjects sub \
             JOIN holdings h ON h.lineage_id = sub.lineage_id \
             JOIN datasets d ON d.id = h.dataset_id \
             JOIN shards s ON s.dataset_id = h.dataset_id AND s.shard = h.shard \
             WHERE sub.subject = $1 ORDER BY d.name, s.shard",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db(format!(
            "listing the datasets of subject {subject}"
        )))?;
        rows.iter().map(holding_row).collect()
    }
}

/// The lineage id the store knows a subject by, if any.
async fn lineage_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    subject: &str,
    ctx: &str,
) -> Result<Option<String>> {
    sqlx::query("SELECT lineage_id FROM subjects WHERE subject = $1")
        .bind(subject)
        .fetch_optional(&mut **tx)
        .await
        .map_err(Error::db(ctx))?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(Error::db(ctx))
}

/// A tombstone being written, with what it needs in its transaction.
struct NewTombstone<'a> {
    subject: &'a str,
    /// The subject's lineage id, when the store knows it.
    lineage_id: Option<&'a str>,
    kind: &'a str,
    /// The purpose it covers (`None`: every purpose).
    purpose: Option<&'a str>,
    actor: &'a str,
    at: &'a str,
}

impl NewTombstone<'_> {
    /// Insert the tombstone; returns its id.
    async fn insert(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, ctx: &str) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO tombstones (subject, lineage_id, kind, purpose, actor, at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(self.subject)
        .bind(self.lineage_id.map(str::to_string))
        .bind(self.kind)
        .bind(self.purpose.map(str::to_string))
        .bind(self.actor)
        .bind(self.at)
        .fetch_one(&mut **tx)
        .await
        .map_err(Error::db(ctx))?;
        row.try_get(0).map_err(Error::db(ctx))
    }

    /// Target tombstone `id` at every shard that holds lineage id `lid` (in datasets of its
    /// purpose, when it has one).
    async fn target_holdings(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        lid: &str,
        ctx: &str,
    ) -> Result<()> {
        let q = match self.purpose {
            Some(_) => {
                "INSERT INTO tombstone_targets (tombstone_id, dataset_id, shard) \
                 SELECT $1, h.dataset_id, h.shard FROM holdings h \
                 JOIN datasets d ON d.id = h.dataset_id \
                 WHERE h.lineage_id = $2 AND d.purpose = $3"
            }
            None => {
                "INSERT INTO tombstone_targets (tombstone_id, dataset_id, shard) \
                 SELECT $1, h.dataset_id, h.shard FROM holdings h WHERE h.lineage_id = $2"
            }
        };
        let mut q = sqlx::query(q).bind(id).bind(lid);
        if let Some(p) = self.purpose {
            q = q.bind(p);
        }
        q.execute(&mut **tx).await.map_err(Error::db(ctx))?;
        Ok(())
    }

    /// Destroy the subject's data key (a key never made is recorded as destroyed). Returns
    /// whether a live key was destroyed.
    async fn destroy_key(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<bool> {
        let destroyed = self
            .on_subject_key(
                tx,
                "UPDATE subject_keys SET wrapped = NULL, nonce = NULL, master_id = NULL, \
                 destroyed_at = $2 WHERE subject = $1 AND destroyed_at IS NULL",
            )
            .await?;
        // A key never made is recorded as destroyed, so no later run can make one.
        self.on_subject_key(
            tx,
            "INSERT INTO subject_keys (subject, created_at, destroyed_at) VALUES ($1, $2, $2) \
             ON CONFLICT (subject) DO NOTHING",
        )
        .await?;
        Ok(destroyed > 0)
    }

    /// Run `sql`, a statement on the subject's key row (`$1` the subject, `$2` the time of the
    /// tombstone), in `tx`; returns how many rows it changed.
    async fn on_subject_key(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        sql: &str,
    ) -> Result<u64> {
        let subject = self.subject;
        let r = sqlx::query(sql)
            .bind(subject)
            .bind(self.at)
            .execute(&mut **tx)
            .await
            .map_err(Error::db(format!(
                "destroying the key of subject {subject}"
            )))?;
        Ok(r.rows_affected())
    }
}

fn holding_row(r: &AnyRow) -> Result<Holding> {
    (|| {
        Ok(Holding {
            dataset: r.try_get(0)?,
            path: r.try_get(1)?,
            shard: r.try_get(2)?,
            file: r.try_get(3)?,
            records: r.try_get(4)?,
        })
    })()
    .map_err(Error::db("reading a holding"))
}
