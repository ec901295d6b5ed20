//! What each subject said: consent history, the decision in force, opt-out and forget.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{check_subject, now, Backend, ConsentEvent, Store, TombstoneReport};
use crate::error::{Error, Result};
use crate::governance::{Consent, Decision, ALL_PURPOSES};

impl Store {
    // ---------------------------------------------------------------- consent

    /// Record a decision (history is appended, never overwritten). A `deny` also writes a
    /// tombstone, so datasets already derived for that purpose (or, for `*`, any purpose) lose
    /// the subject at their next compaction.
    pub async fn set_consent(
        &self,
        subject: &str,
        purpose: &str,
        decision: Decision,
        actor: &str,
        note: Option<&str>,
    ) -> Result<(ConsentEvent, Option<TombstoneReport>)> {
        check_subject(subject)?;
        let event = self
            .append_consent(subject, purpose, decision, actor, note)
            .await?;
        let tomb = if decision == Decision::Deny {
            let (kind, p) = if purpose == ALL_PURPOSES {
                ("optout", None)
            } else {
                ("revoke", Some(purpose))
            };
            Some(self.tombstone(subject, kind, p, actor, false).await?)
        } else {
            None
        };
        Ok((event, tomb))
    }

    async fn append_consent(
        &self,
        subject: &str,
        purpose: &str,
        decision: Decision,
        actor: &str,
        note: Option<&str>,
    ) -> Result<ConsentEvent> {
        let at = now();
        let row = sqlx::query(
            "INSERT INTO consent_events (subject, purpose, decision, actor, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
        )
        .bind(subject)
        .bind(purpose)
        .bind(decision.as_str())
        .bind(actor)
        .bind(note.map(str::to_string))
        .bind(&at)
        .fetch_one(&self.pool)
        .await
        .map_err(Error::db(format!(
            "recording consent of subject {subject} for {purpose}"
        )))?;
        Ok(ConsentEvent {
            seq: row
                .try_get(0)
                .map_err(Error::db("reading a new consent event"))?,
            subject: subject.to_string(),
            purpose: purpose.to_string(),
            decision,
            actor: actor.to_string(),
            note: note.map(str::to_string),
            at,
        })
    }

    /// Opt a subject out of every purpose, past and future: one call.
    pub async fn opt_out(&self, subject: &str, actor: &str) -> Result<TombstoneReport> {
        let (_, tomb) = self
            .set_consent(
                subject,
                ALL_PURPOSES,
                Decision::Deny,
                actor,
                Some("opt-out"),
            )
            .await?;
        tomb.ok_or_else(|| Error::Corrupt("opt-out wrote no tombstone".to_string()))
    }

    /// Forget a subject: opt out of everything, destroy the data key of their retained raw
    /// records (crypto-shredding), and tombstone every shard that holds them.
    pub async fn forget(&self, subject: &str, actor: &str) -> Result<TombstoneReport> {
        check_subject(subject)?;
        self.append_consent(subject, ALL_PURPOSES, Decision::Deny, actor, Some("forget"))
            .await?;
        let report = self.tombstone(subject, "forget", None, actor, true).await?;
        if self.backend == Backend::Postgres {
            // PostgreSQL keeps an updated row's old version until vacuumed: clear the destroyed
            // key's bytes from the table now (SQLite overwrites them: secure_delete). Hygiene
            // only: the forget itself is already committed, so a failure here is not an error.
            let _ = sqlx::query("VACUUM subject_keys").execute(&self.pool).await;
        }
        Ok(report)
    }

    /// Every decision recorded for a subject, oldest first.
    pub async fn consent_history(&self, subject: &str) -> Result<Vec<ConsentEvent>> {
        let rows = sqlx::query(
            "SELECT seq, subject, purpose, decision, actor, note, at FROM consent_events \
             WHERE subject = $1 ORDER BY seq",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db(format!("reading consent of subject {subject}")))?;
        rows.iter().map(consent_row).collect()
    }

    /// The decision in force per purpose (and `*`) for a subject.
    pub async fn consent_state(&self, subject: &str) -> Result<BTreeMap<String, ConsentEvent>> {
        let mut out = BTreeMap::new();
        for e in self.consent_history(subject).await? {
            out.insert(e.purpose.clone(), e);
        }
        Ok(out)
    }

    /// What each of `subjects` said about `purpose`: their latest decision for it and their
    /// latest for every purpose. Subjects who said nothing are absent.
    pub async fn decisions(
        &self,
        subjects: &[&str],
        purpose: &str,
    ) -> Result<HashMap<String, Consent>> {
        self.latest_consent(
            "SELECT subject, purpose, decision, seq FROM consent_events \
             WHERE purpose IN ($1, $2) AND subject IN (",
            subjects,
            purpose,
        )
        .await
    }

    /// The latest decisions bearing on `purpose` per key of `keys` (each asked once, 500 a
    /// query). `select` is a query answering (key, purpose, decision, seq) rows of
    /// `consent_events`, with `$1` the purpose and `$2` every purpose (`*`), that ends in the
    /// opening of the list of keys (`... IN (`).
    pub(super) async fn latest_consent(
        &self,
        select: &str,
        keys: &[&str],
        purpose: &str,
    ) -> Result<HashMap<String, Consent>> {
        let mut out: HashMap<String, Consent> = HashMap::new();
        let unique: Vec<&str> = {
            let mut seen = HashSet::new();
            keys.iter().copied().filter(|k| seen.insert(*k)).collect()
        };
        for chunk in unique.chunks(500) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!("{select}{})", marks.join(", "));
            let mut q = sqlx::query(&sql).bind(purpose).bind(ALL_PURPOSES);
            for k in chunk {
                q = q.bind(*k);
            }
            let rows = q
                .fetch_all(&self.pool)
                .await
                .map_err(Error::db(format!("reading consent for {purpose}")))?;
            for r in rows {
                let e = || Error::db("reading consent");
                let key: String = r.try_get(0).map_err(e())?;
                let p: String = r.try_get(1).map_err(e())?;
                let decision: String = r.try_get(2).map_err(e())?;
                let seq: i64 = r.try_get(3).map_err(e())?;
                out.entry(key)
                    .or_default()
                    .note(&p, Decision::from_stored(&decision)?, seq);
            }
        }
        Ok(out)
    }
}

fn consent_row(r: &AnyRow) -> Result<ConsentEvent> {
    let decision: String = r.try_get(3).map_err(Error::db("reading a consent event"))?;
    let decision = Decision::from_stored(&decision)?;
    (|| {
        Ok(ConsentEvent {
            seq: r.try_get(0)?,
            subject: r.try_get(1)?,
            purpose: r.try_get(2)?,
            decision,
            actor: r.try_get(4)?,
            note: r.try_get(5)?,
            at: r.try_get(6)?,
        })
    })()
    .map_err(Error::db("reading a consent event"))
}
