//! Keys the store holds, wrapped by the master keyring: its own (lineage, pseudonyms) and one
//! per subject for retained raw records (destroyed on forget), and their re-wrapping.

use std::collections::BTreeMap;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

use super::{check_subject, now, KeyStatus, Store, LINEAGE_KEY, PSEUDONYM_KEY};
use crate::crypto::{Keyring, Lineage, Sealed, SecretKey};
use crate::error::{Error, Result};

impl Store {
    // ---------------------------------------------------------------- keys

    /// The latest version of a store key (creating version 1 under the keyring's primary key if
    /// there is none yet).
    pub async fn store_key(&self, ring: &Keyring, name: &str) -> Result<(i64, SecretKey)> {
        if let Some(k) = self.latest_store_key(ring, name).await? {
            return Ok(k);
        }
        self.new_store_key_version(ring, name, 1).await?;
        self.latest_store_key(ring, name)
            .await?
            .ok_or_else(|| Error::Corrupt(format!("store key {name} vanished")))
    }

    async fn latest_store_key(
        &self,
        ring: &Keyring,
        name: &str,
    ) -> Result<Option<(i64, SecretKey)>> {
        let row = sqlx::query(
            "SELECT version, master_id, nonce, wrapped FROM store_keys WHERE name = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await
        .map_err(Error::db(format!("reading store key {name}")))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let version: i64 = row.try_get(0).map_err(Error::db("reading a store key"))?;
        let master: String = row.try_get(1).map_err(Error::db("reading a store key"))?;
        let sealed = Sealed {
            nonce: row.try_get(2).map_err(Error::db("reading a store key"))?,
            ciphertext: row.try_get(3).map_err(Error::db("reading a store key"))?,
        };
        let key = ring.unwrap_key(
            &master,
            &sealed,
            store_key_context(name, version).as_bytes(),
        )?;
        Ok(Some((version, key)))
    }

    async fn new_store_key_version(&self, ring: &Keyring, name: &str, version: i64) -> Result<()> {
        let key = SecretKey::random()?;
        let (master, sealed) = ring.wrap(&key, store_key_context(name, version).as_bytes())?;
        let q = sqlx::query(
            "INSERT INTO store_keys (name, version, master_id, nonce, wrapped, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name, version) DO NOTHING",
        )
        .bind(name)
        .bind(version);
        bind_wrapped(q, master, sealed)
            .bind(now())
            .execute(&self.pool)
            .await
            .map_err(Error::db(format!("creating store key {name}")))?;
        Ok(())
    }

    /// Start a new version of the pseudonym key (later runs use it; datasets record theirs).
    pub async fn rotate_pseudonym_key(&self, ring: &Keyring) -> Result<i64> {
        let (v, _) = self.store_key(ring, PSEUDONYM_KEY).await?;
        self.new_store_key_version(ring, PSEUDONYM_KEY, v + 1)
            .await?;
        Ok(v + 1)
    }

    /// The lineage ids of this store.
    pub async fn lineage(&self, ring: &Keyring) -> Result<Lineage> {
        Ok(Lineage::new(self.store_key(ring, LINEAGE_KEY).await?.1))
    }

    /// A subject's data key: made on first use when `create`; `None` once destroyed.
    pub async fn subject_key(
        &self,
        ring: &Keyring,
        subject: &str,
        create: bool,
    ) -> Result<Option<SecretKey>> {
        check_subject(subject)?;
        let ctx = format!("reading the key of subject {subject}");
        let row = sqlx::query(
            "SELECT master_id, nonce, wrapped, destroyed_at FROM subject_keys WHERE subject = $1",
        )
        .bind(subject)
        .fetch_optional(&self.pool)
        .await
        .map_err(Error::db(ctx.clone()))?;
        if let Some(row) = row {
            return unwrap_subject_key(ring, subject, &row, &ctx);
        }
        if !create {
            return Ok(None);
        }
        self.create_subject_key(ring, subject).await
    }

    /// Make a subject's data key; when another run made one first, theirs.
    async fn create_subject_key(&self, ring: &Keyring, subject: &str) -> Result<Option<SecretKey>> {
        let key = SecretKey::random()?;
        let (master, sealed) = ring.wrap(&key, subject_key_context(subject).as_bytes())?;
        let q = sqlx::query(
            "INSERT INTO subject_keys (subject, master_id, nonce, wrapped, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject) DO NOTHING",
        )
        .bind(subject);
        let r = bind_wrapped(q, master, sealed)
            .bind(now())
            .execute(&self.pool)
            .await
            .map_err(Error::db(format!("creating the key of subject {subject}")))?;
        if r.rows_affected() == 0 {
            // Another run made it first: use theirs.
            return Box::pin(self.subject_key(ring, subject, false)).await;
        }
        Ok(Some(key))
    }

    /// The data key of the subject with this lineage id, while it exists.
    pub async fn subject_key_by_lineage(
        &self,
        ring: &Keyring,
        lineage_id: &str,
    ) -> Result<Option<SecretKey>> {
        let row = sqlx::query("SELECT subject FROM subjects WHERE lineage_id = $1")
            .bind(lineage_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(Error::db("looking a lineage id up"))?;
        match row {
            Some(r) => {
                let s: String = r.try_get(0).map_err(Error::db("looking a lineage id up"))?;
                self.subject_key(ring, &s, false).await
            }
            None => Ok(None),
        }
    }

    /// Re-wrap every key under the keyring's primary master key. Keys are re-wrapped one at a
    /// time, each in its own statement, so readers holding the same keyring keep working
    /// throughout. Returns how many keys were re-wrapped.
    pub async fn rewrap_all(&self, ring: &Keyring) -> Result<usize> {
        let primary = ring.primary().id();
        let store_keys = self.rewrap_store_keys(ring, &primary).await?;
        let subject_keys = self.rewrap_subject_keys(ring, &primary).await?;
        Ok(store_keys + subject_keys)
    }

    /// Re-wrap every store key not wrapped by master key `primary`; returns how many.
    async fn rewrap_store_keys(&self, ring: &Keyring, primary: &str) -> Result<usize> {
        let rows = self
            .keys_to_rewrap(
                "SELECT name, version, master_id, nonce, wrapped FROM store_keys WHERE master_id <> $1",
                primary,
                "listing store keys to re-wrap",
            )
            .await?;
        for row in &rows {
            self.rewrap_store_key(ring, row).await?;
        }
        Ok(rows.len())
    }

    /// The rows of `sql`, a query for keys whose `$1` is the primary master key's id.
    async fn keys_to_rewrap(
        &self,
        sql: &str,
        primary: &str,
        context: &'static str,
    ) -> Result<Vec<AnyRow>> {
        sqlx::query(sql)
            .bind(primary)
            .fetch_all(&self.pool)
            .await
            .map_err(Error::db(context))
    }

    /// Re-wrap the store key of one row of [`Store::rewrap_store_keys`]'s query.
    async fn rewrap_store_key(&self, ring: &Keyring, row: &AnyRow) -> Result<()> {
        let name: String = row.try_get(0).map_err(Error::db("reading a store key"))?;
        let version: i64 = row.try_get(1).map_err(Error::db("reading a store key"))?;
        let (master, sealed) = wrapped_at(row, 2, "reading a store key")?;
        let ctx = store_key_context(&name, version);
        let key = ring.unwrap_key(&master, &sealed, ctx.as_bytes())?;
        let (id, new) = ring.wrap(&key, ctx.as_bytes())?;
        let q = sqlx::query(
            "UPDATE store_keys SET master_id = $1, nonce = $2, wrapped = $3 \
             WHERE name = $4 AND version = $5 AND master_id = $6",
        );
        bind_wrapped(q, id, new)
            .bind(&name)
            .bind(version)
            .bind(&master)
            .execute(&self.pool)
            .await
            .map_err(Error::db(format!("re-wrapping store key {name}")))?;
        Ok(())
    }

    /// Re-wrap every live subject key not wrapped by master key `primary`, 500 at a time;
    /// returns how many.
    async fn rewrap_subject_keys(&self, ring: &Keyring, primary: &str) -> Result<usize> {
        let mut done = 0;
        loop {
            let rows = self
                .keys_to_rewrap(
                    "SELECT subject, master_id, nonce, wrapped FROM subject_keys \
                     WHERE destroyed_at IS NULL AND master_id <> $1 ORDER BY subject LIMIT 500",
                    primary,
                    "listing subject keys to re-wrap",
                )
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                self.rewrap_subject_key(ring, row).await?;
            }
            done += rows.len();
        }
        Ok(done)
    }

    /// Re-wrap the subject key of one row of [`Store::rewrap_subject_keys`]'s query.
    async fn rewrap_subject_key(&self, ring: &Keyring, row: &AnyRow) -> Result<()> {
        let subject: String = row.try_get(0).map_err(Error::db("reading a subject key"))?;
        let (master, sealed) = wrapped_at(row, 1, "reading a subject key")?;
        let ctx = subject_key_context(&subject);
        let key = ring.unwrap_key(&master, &sealed, ctx.as_bytes())?;
        let (id, new) = ring.wrap(&key, ctx.as_bytes())?;
        // Only if nothing changed meanwhile (a forget wins over a rotation).
        let q = sqlx::query(
            "UPDATE subject_keys SET master_id = $1, nonce = $2, wrapped = $3 \
             WHERE subject = $4 AND master_id = $5 AND destroyed_at IS NULL",
        );
        bind_wrapped(q, id, new)
            .bind(&subject)
            .bind(&master)
            .execute(&self.pool)
            .await
            .map_err(Error::db(format!(
                "re-wrapping the key of subject {subject}"
            )))?;
        Ok(())
    }

    /// How many keys each master key wraps.
    pub async fn key_status(&self) -> Result<KeyStatus> {
        let store_keys = self
            .count_by_master("SELECT master_id, COUNT(*) FROM store_keys GROUP BY master_id")
            .await?;
        let subject_keys = self
            .count_by_master(
                "SELECT master_id, COUNT(*) FROM subject_keys WHERE destroyed_at IS NULL \
                 GROUP BY master_id",
            )
            .await?;
        let destroyed =
            sqlx::query("SELECT COUNT(*) FROM subject_keys WHERE destroyed_at IS NOT NULL")
                .fetch_one(&self.pool)
                .await
                .and_then(|r| r.try_get(0))
                .map_err(Error::db("counting keys"))?;
        Ok(KeyStatus {
            store_keys,
            subject_keys,
            destroyed,
        })
    }

    /// The counts of `sql`, a query of `master_id, COUNT(*)` rows, per master key id.
    async fn count_by_master(&self, sql: &str) -> Result<BTreeMap<String, i64>> {
        let rows = sqlx::query(sql)
            .fetch_all(&self.pool)
            .await
            .map_err(Error::db("counting keys"))?;
        let mut counts = BTreeMap::new();
        for r in rows {
            counts.insert(
                r.try_get(0).map_err(Error::db("counting keys"))?,
                r.try_get(1).map_err(Error::db("counting keys"))?,
            );
        }
        Ok(counts)
    }
}

/// A subject's data key from its row (`master_id, nonce, wrapped, destroyed_at`): `None` once
/// destroyed.
fn unwrap_subject_key(
    ring: &Keyring,
    subject: &str,
    row: &AnyRow,
    ctx: &str,
) -> Result<Option<SecretKey>> {
    let destroyed: Option<String> = row.try_get(3).map_err(Error::db(ctx))?;
    if destroyed.is_some() {
        return Ok(None);
    }
    let master: Option<String> = row.try_get(0).map_err(Error::db(ctx))?;
    let nonce: Option<Vec<u8>> = row.try_get(1).map_err(Error::db(ctx))?;
    let wrapped: Option<Vec<u8>> = row.try_get(2).map_err(Error::db(ctx))?;
    let (Some(master), Some(nonce), Some(ciphertext)) = (master, nonce, wrapped) else {
        return Ok(None);
    };
    let key = ring.unwrap_key(
        &master,
        &Sealed { nonce, ciphertext },
        subject_key_context(subject).as_bytes(),
    )?;
    Ok(Some(key))
}

fn store_key_context(name: &str, version: i64) -> String {
    format!("store:{name}:{version}")
}

fn subject_key_context(subject: &str) -> String {
    format!("subject:{subject}")
}

/// A wrapped key in columns `at..at + 3` of `row` (`master_id, nonce, wrapped`): the id of the
/// master key that wrapped it, and the sealed key.
fn wrapped_at(row: &AnyRow, at: usize, ctx: &'static str) -> Result<(String, Sealed)> {
    let master: String = row.try_get(at).map_err(Error::db(ctx))?;
    let sealed = Sealed {
        nonce: row.try_get(at + 1).map_err(Error::db(ctx))?,
        ciphertext: row.try_get(at + 2).map_err(Error::db(ctx))?,
    };
    Ok((master, sealed))
}

/// `q` with a wrapped key's master key id, nonce and ciphertext bound next.
fn bind_wrapped<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    master: String,
    sealed: Sealed,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(master).bind(sealed.nonce).bind(sealed.ciphertext)
}
