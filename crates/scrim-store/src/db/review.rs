//! What a subject's "no" does to the review gateway's tables (same database): their tasks are
//! withheld from then on (opt-out, revoke) or deleted with their ratings, flags and profile facts
//! (forget). The gateway follows consent events and tombstones recorded by any process
//! ([`Store::sync_withdrawals`]) and asks [`Store::withdrawn`] before it serves a task.

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use sqlx::Row;

use super::{ReviewTasks, Store};
use crate::crypto::Lineage;
use crate::error::{Error, Result};
use crate::governance::{Consent, Decision, ALL_PURPOSES};

/// The context of the errors of following withdrawals.
const FOLLOWING: &str = "following consent withdrawals";

impl Store {
    /// The lineage ids among `lids` whose subject has withdrawn `purpose` (see
    /// [`Consent::withdrawn`]). Subjects the store cannot link to a lineage id said nothing it
    /// knows of (the gateway links every subject who says no: [`Store::sync_withdrawals`]).
    pub async fn withdrawn(&self, lids: &[&str], purpose: &str) -> Result<HashSet<String>> {
        let by = self
            .latest_consent(
                "SELECT s.lineage_id, c.purpose, c.decision, c.seq FROM subjects s \
                 JOIN consent_events c ON c.subject = s.subject \
                 WHERE c.purpose IN ($1, $2) AND s.lineage_id IN (",
                lids,
                purpose,
            )
            .await?;
        Ok(by
            .into_iter()
            .filter(|(_, c)| c.withdrawn())
            .map(|(l, _)| l)
            .collect())
    }

    /// Act on the consent events and tombstones recorded since the last call, by this process
    /// or any other: link every subject who said no to their lineage id (so that
    /// [`Store::withdrawn`] finds their tasks), and delete the review tasks of every subject
    /// forgotten. Cheap when nothing is new (one query). Returns whether anything was.
    pub async fn sync_withdrawals(&self, lineage: &Lineage) -> Result<bool> {
        let seen_c = self.followed.consent.load(Ordering::Acquire);
        let seen_t = self.followed.tombstone.load(Ordering::Acquire);
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM consent_events), \
             (SELECT COALESCE(MAX(id), 0) FROM tombstones)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(Error::db(FOLLOWING))?;
        let max_c: i64 = row.try_get(0).map_err(Error::db(FOLLOWING))?;
        let max_t: i64 = row.try_get(1).map_err(Error::db(FOLLOWING))?;
        if max_c <= seen_c && max_t <= seen_t {
            return Ok(false);
        }
        self.link_denied(lineage, seen_c, max_c).await?;
        self.delete_forgotten_tasks(lineage, seen_t, max_t).await?;
        self.followed.consent.fetch_max(max_c, Ordering::AcqRel);
        self.followed.tombstone.fetch_max(max_t, Ordering::AcqRel);
        Ok(true)
    }

    /// Link every subject who said no in consent events `(after, upto]` to their lineage id.
    async fn link_denied(&self, lineage: &Lineage, after: i64, upto: i64) -> Result<()> {
        let denied = self
            .subjects_between(
                "SELECT DISTINCT subject FROM consent_events \
                 WHERE seq > $1 AND seq <= $2 AND decision = 'deny'",
                after,
                upto,
            )
            .await?;
        let pairs: Vec<(String, String)> = denied
            .into_iter()
            .map(|s| {
                let l = lineage.subject(&s);
                (s, l)
            })
            .collect();
        if !pairs.is_empty() {
            self.remember_subjects(&pairs).await?;
        }
        Ok(())
    }

    /// Delete the review tasks of every subject forgotten by tombstones `(after, upto]`.
    async fn delete_forgotten_tasks(&self, lineage: &Lineage, after: i64, upto: i64) -> Result<()> {
        let forgotten = self
            .subjects_between(
                "SELECT DISTINCT subject FROM tombstones WHERE id > $1 AND id <= $2 AND kind = 'forget'",
                after,
                upto,
            )
            .await?;
        if !forgotten.is_empty() {
            let mut tx = self.pool.begin().await.map_err(Error::db(FOLLOWING))?;
            for s in &forgotten {
                review_tasks(&mut tx, &lineage.subject(s), None, true).await?;
            }
            tx.commit().await.map_err(Error::db(FOLLOWING))?;
        }
        Ok(())
    }

    /// The subjects a query over an id range (`$1` after, `$2` up to) answers.
    async fn subjects_between(&self, sql: &str, after: i64, upto: i64) -> Result<Vec<String>> {
        sqlx::query(sql)
            .bind(after)
            .bind(upto)
            .fetch_all(&self.pool)
            .await
            .map_err(Error::db(FOLLOWING))?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::db(FOLLOWING))
    }
}

/// A subject's review tasks per project (of one purpose, or all): counted, and with `delete`
/// deleted together with their ratings and flags (their profile facts live in the task row).
pub(super) async fn review_tasks(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    lid: &str,
    purpose: Option<&str>,
    delete: bool,
) -> Result<Vec<ReviewTasks>> {
    let ctx = "withdrawing review tasks";
    let sql = match purpose {
        Some(_) => {
            "SELECT p.id, p.name, p.purpose, COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id \
             WHERE t.subject_lid = $1 AND p.purpose = $2 GROUP BY p.id, p.name, p.purpose ORDER BY p.name"
        }
        None => {
            "SELECT p.id, p.name, p.purpose, COUNT(*) FROM tasks t JOIN projects p ON p.id = t.project_id \
             WHERE t.subject_lid = $1 GROUP BY p.id, p.name, p.purpose ORDER BY p.name"
        }
    };
    let mut q = sqlx::query(sql).bind(lid);
    if let Some(p) = purpose {
        q = q.bind(p);
    }
    let rows = q.fetch_all(&mut **tx).await.map_err(Error::db(ctx))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let e = || Error::db(ctx);
        out.push(ReviewTasks {
            project: r.try_get(0).map_err(e())?,
            name: r.try_get(1).map_err(e())?,
            purpose: r.try_get(2).map_err(e())?,
            tasks: r.try_get(3).map_err(e())?,
        });
    }
    if delete && !out.is_empty() {
        for sql in [
            "DELETE FROM flags WHERE task_id IN (SELECT id FROM tasks WHERE subject_lid = $1)",
            "DELETE FROM ratings WHERE task_id IN (SELECT id FROM tasks WHERE subject_lid = $1)",
            "DELETE FROM tasks WHERE subject_lid = $1",
        ] {
            sqlx::query(sql)
                .bind(lid)
                .execute(&mut **tx)
                .await
                .map_err(Error::db(ctx))?;
        }
    }
    Ok(out)
}

impl Consent {
    /// Fold one stored decision (`purpose` is the event's, `*` or this one) into the latest.
    pub(crate) fn note(&mut self, purpose: &str, d: Decision, seq: i64) {
        let slot = if purpose == ALL_PURPOSES {
            &mut self.all
        } else {
            &mut self.purpose
        };
        if slot.is_none_or(|(s, _)| seq >= s) {
            *slot = Some((seq, d));
        }
    }
}
