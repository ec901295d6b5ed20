//! The store: one interface over SQLite (embedded, the default: a file path) and PostgreSQL (a
//! connection URL), through `sqlx`'s `Any` driver with a versioned migration set per back-end.
//! Every query here is written once, in SQL both back-ends accept.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

use crate::crypto::{Keyring, Lineage, Sealed, SecretKey};
use crate::dataset::{crash_point, remove_unreferenced, rewrite_without, Manifest, ShardChange};
use crate::error::{Error, Result};
use crate::governance::{Consent, Decision, ALL_PURPOSES};

/// Which database holds the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, embedded.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The name of the store key for lineage ids.
pub const LINEAGE_KEY: &str = "lineage";
/// The name of the store key for pseudonyms and surrogates.
pub const PSEUDONYM_KEY: &str = "pseudonym";

/// The current time, RFC 3339 in UTC with milliseconds (sorts as text).
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// One recorded consent decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentEvent {
    /// Order of recording.
    pub seq: i64,
    /// The subject.
    pub subject: String,
    /// The purpose, or `*` for every purpose.
    pub purpose: String,
    /// `grant` or `deny`.
    pub decision: String,
    /// Who recorded it.
    pub actor: String,
    /// Why, if given.
    pub note: Option<String>,
    /// When.
    pub at: String,
}

/// Where a subject's records are held: one shard of one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holding {
    /// The dataset's name.
    pub dataset: String,
    /// Its directory.
    pub path: String,
    /// The shard's number.
    pub shard: i64,
    /// The shard's current file.
    pub file: String,
    /// How many of the subject's records it holds.
    pub records: i64,
}

/// What a tombstone set in motion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TombstoneReport {
    /// The tombstone's id.
    pub tombstone: i64,
    /// The subject.
    pub subject: String,
    /// `forget`, `optout` or `revoke`.
    pub kind: String,
    /// The purpose it covers (`None`: every purpose).
    pub purpose: Option<String>,
    /// Every shard that must be compacted.
    pub holdings: Vec<Holding>,
    /// Whether the subject's data key was destroyed (forget).
    pub key_destroyed: bool,
}

/// A dataset as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetInfo {
    /// Unique id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Directory.
    pub path: String,
    /// Purpose.
    pub purpose: String,
    /// Redaction policy hash.
    pub policy: String,
    /// Pseudonym key version.
    pub key_version: i64,
    /// When written.
    pub created_at: String,
    /// Shards.
    pub shards: i64,
    /// Records now held.
    pub records: i64,
    /// Distinct subjects now held.
    pub subjects: i64,
    /// Shards waiting for a compaction (pending tombstone targets).
    pub pending: i64,
}

/// A deletion receipt: what compaction removed where and when, without content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The receipt's id.
    pub id: i64,
    /// The dataset's name.
    pub dataset: String,
    /// The dataset's id.
    pub dataset_id: String,
    /// Its directory.
    pub path: String,
    /// Who ran the compaction.
    pub actor: String,
    /// When it finished.
    pub at: String,
    /// The tombstones it served.
    pub tombstones: Vec<i64>,
    /// The subjects removed (lineage ids).
    pub subjects: Vec<String>,
    /// Every shard rewritten.
    pub shards: Vec<ShardChange>,
    /// Shards an interrupted compaction had already rewritten (finished here).
    pub already_rewritten: Vec<i64>,
    /// Records removed in all.
    pub records_removed: usize,
}

/// Counts of wrapped keys per master key id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyStatus {
    /// Store keys (lineage, pseudonym versions) per master key id.
    pub store_keys: BTreeMap<String, i64>,
    /// Live subject keys per master key id.
    pub subject_keys: BTreeMap<String, i64>,
    /// Destroyed subject keys.
    pub destroyed: i64,
}

/// The governance store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    display: String,
}

fn bad_subject(subject: &str) -> Option<&'static str> {
    if subject.is_empty() {
        Some("is empty")
    } else if subject.len() > 256 {
        Some("is longer than 256 bytes")
    } else if subject.chars().any(char::is_control) {
        Some("holds control characters")
    } else {
        None
    }
}

/// Check a subject id given by a user or found in a record.
pub fn check_subject(subject: &str) -> Result<()> {
    match bad_subject(subject) {
        Some(why) => Err(Error::invalid(format!("subject id {why}"))),
        None => Ok(()),
    }
}

impl Store {
    /// Open (creating and migrating as needed) the store at `url`: `postgres://…` or
    /// `postgresql://…` for PostgreSQL; `sqlite:PATH` or a plain file path for SQLite.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, conn, display) =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                (Backend::Postgres, url.to_string(), redact_url(url))
            } else {
                let path = url
                    .strip_prefix("sqlite://")
                    .or_else(|| url.strip_prefix("sqlite:"))
                    .unwrap_or(url);
                let path = path.split('?').next().unwrap_or(path);
                if path.is_empty() {
                    return Err(Error::invalid(
                        "the store needs a file path or a postgres:// URL",
                    ));
                }
                if let Some(parent) = Path::new(path)
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                {
                    if !parent.exists() {
                        return Err(Error::invalid(format!(
                            "store {path}: directory {} does not exist",
                            parent.display()
                        )));
                    }
                }
                (
                    Backend::Sqlite,
                    format!("sqlite://{path}?mode=rwc"),
                    format!("sqlite:{path}"),
                )
            };
        let mut options = AnyPoolOptions::new().max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        });
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // Deleted key material is overwritten in the file, not just unlinked.
                    conn.execute(
                        "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
                         PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = options
            .connect(&conn)
            .await
            .map_err(Error::db(format!("cannot open {display}")))?;
        match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        Ok(Store {
            pool,
            backend,
            display,
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The store's address without any password.
    pub fn describe(&self) -> &str {
        &self.display
    }

    /// Close every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

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
            decision: decision.as_str().to_string(),
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
        let mut out: HashMap<String, Consent> = HashMap::new();
        let unique: Vec<&str> = {
            let mut seen = HashSet::new();
            subjects
                .iter()
                .copied()
                .filter(|s| seen.insert(*s))
                .collect()
        };
        for chunk in unique.chunks(500) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!(
                "SELECT subject, purpose, decision, seq FROM consent_events \
                 WHERE purpose IN ($1, $2) AND subject IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(purpose).bind(ALL_PURPOSES);
            for s in chunk {
                q = q.bind(*s);
            }
            let rows = q
                .fetch_all(&self.pool)
                .await
                .map_err(Error::db(format!("reading consent for {purpose}")))?;
            for r in rows {
                let subject: String = r.try_get(0).map_err(Error::db("reading consent"))?;
                let p: String = r.try_get(1).map_err(Error::db("reading consent"))?;
                let decision: String = r.try_get(2).map_err(Error::db("reading consent"))?;
                let seq: i64 = r.try_get(3).map_err(Error::db("reading consent"))?;
                let d = if decision == "grant" {
                    Decision::Grant
                } else {
                    Decision::Deny
                };
                let c = out.entry(subject).or_default();
                let slot = if p == ALL_PURPOSES {
                    &mut c.all
                } else {
                    &mut c.purpose
                };
                if slot.is_none_or(|(s, _)| seq >= s) {
                    *slot = Some((seq, d));
                }
            }
        }
        Ok(out)
    }

    // ---------------------------------------------------------------- tombstones

    async fn tombstone(
        &self,
        subject: &str,
        kind: &str,
        purpose: Option<&str>,
        actor: &str,
        destroy_key: bool,
    ) -> Result<TombstoneReport> {
        let ctx = format!("writing a tombstone for subject {subject}");
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx.clone()))?;
        let lid: Option<String> = sqlx::query("SELECT lineage_id FROM subjects WHERE subject = $1")
            .bind(subject)
            .fetch_optional(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(Error::db(ctx.clone()))?;
        let at = now();
        let row = sqlx::query(
            "INSERT INTO tombstones (subject, lineage_id, kind, purpose, actor, at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(subject)
        .bind(lid.clone())
        .bind(kind)
        .bind(purpose.map(str::to_string))
        .bind(actor)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await
        .map_err(Error::db(ctx.clone()))?;
        let id: i64 = row.try_get(0).map_err(Error::db(ctx.clone()))?;
        if let Some(lid) = &lid {
            let q = match purpose {
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
            let mut q = sqlx::query(q).bind(id).bind(lid.as_str());
            if let Some(p) = purpose {
                q = q.bind(p);
            }
            q.execute(&mut *tx).await.map_err(Error::db(ctx.clone()))?;
        }
        let mut key_destroyed = false;
        if destroy_key {
            let r = sqlx::query(
                "UPDATE subject_keys SET wrapped = NULL, nonce = NULL, master_id = NULL, \
                 destroyed_at = $2 WHERE subject = $1 AND destroyed_at IS NULL",
            )
            .bind(subject)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(format!(
                "destroying the key of subject {subject}"
            )))?;
            key_destroyed = r.rows_affected() > 0;
            // A key never made is recorded as destroyed, so no later run can make one.
            sqlx::query(
                "INSERT INTO subject_keys (subject, created_at, destroyed_at) VALUES ($1, $2, $2) \
                 ON CONFLICT (subject) DO NOTHING",
            )
            .bind(subject)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(format!(
                "destroying the key of subject {subject}"
            )))?;
        }
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
        sqlx::query(
            "INSERT INTO store_keys (name, version, master_id, nonce, wrapped, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name, version) DO NOTHING",
        )
        .bind(name)
        .bind(version)
        .bind(master)
        .bind(sealed.nonce)
        .bind(sealed.ciphertext)
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
            let destroyed: Option<String> = row.try_get(3).map_err(Error::db(ctx.clone()))?;
            if destroyed.is_some() {
                return Ok(None);
            }
            let master: Option<String> = row.try_get(0).map_err(Error::db(ctx.clone()))?;
            let nonce: Option<Vec<u8>> = row.try_get(1).map_err(Error::db(ctx.clone()))?;
            let wrapped: Option<Vec<u8>> = row.try_get(2).map_err(Error::db(ctx.clone()))?;
            let (Some(master), Some(nonce), Some(ciphertext)) = (master, nonce, wrapped) else {
                return Ok(None);
            };
            let key = ring.unwrap_key(
                &master,
                &Sealed { nonce, ciphertext },
                subject_key_context(subject).as_bytes(),
            )?;
            return Ok(Some(key));
        }
        if !create {
            return Ok(None);
        }
        let key = SecretKey::random()?;
        let (master, sealed) = ring.wrap(&key, subject_key_context(subject).as_bytes())?;
        let r = sqlx::query(
            "INSERT INTO subject_keys (subject, master_id, nonce, wrapped, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject) DO NOTHING",
        )
        .bind(subject)
        .bind(master)
        .bind(sealed.nonce)
        .bind(sealed.ciphertext)
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
        let mut done = 0;
        let rows = sqlx::query(
            "SELECT name, version, master_id, nonce, wrapped FROM store_keys WHERE master_id <> $1",
        )
        .bind(&primary)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db("listing store keys to re-wrap"))?;
        for row in rows {
            let name: String = row.try_get(0).map_err(Error::db("reading a store key"))?;
            let version: i64 = row.try_get(1).map_err(Error::db("reading a store key"))?;
            let master: String = row.try_get(2).map_err(Error::db("reading a store key"))?;
            let sealed = Sealed {
                nonce: row.try_get(3).map_err(Error::db("reading a store key"))?,
                ciphertext: row.try_get(4).map_err(Error::db("reading a store key"))?,
            };
            let ctx = store_key_context(&name, version);
            let key = ring.unwrap_key(&master, &sealed, ctx.as_bytes())?;
            let (id, new) = ring.wrap(&key, ctx.as_bytes())?;
            sqlx::query(
                "UPDATE store_keys SET master_id = $1, nonce = $2, wrapped = $3 \
                 WHERE name = $4 AND version = $5 AND master_id = $6",
            )
            .bind(id)
            .bind(new.nonce)
            .bind(new.ciphertext)
            .bind(&name)
            .bind(version)
            .bind(&master)
            .execute(&self.pool)
            .await
            .map_err(Error::db(format!("re-wrapping store key {name}")))?;
            done += 1;
        }
        loop {
            let rows = sqlx::query(
                "SELECT subject, master_id, nonce, wrapped FROM subject_keys \
                 WHERE destroyed_at IS NULL AND master_id <> $1 ORDER BY subject LIMIT 500",
            )
            .bind(&primary)
            .fetch_all(&self.pool)
            .await
            .map_err(Error::db("listing subject keys to re-wrap"))?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let subject: String = row.try_get(0).map_err(Error::db("reading a subject key"))?;
                let master: String = row.try_get(1).map_err(Error::db("reading a subject key"))?;
                let sealed = Sealed {
                    nonce: row.try_get(2).map_err(Error::db("reading a subject key"))?,
                    ciphertext: row.try_get(3).map_err(Error::db("reading a subject key"))?,
                };
                let ctx = subject_key_context(&subject);
                let key = ring.unwrap_key(&master, &sealed, ctx.as_bytes())?;
                let (id, new) = ring.wrap(&key, ctx.as_bytes())?;
                // Only if nothing changed meanwhile (a forget wins over a rotation).
                sqlx::query(
                    "UPDATE subject_keys SET master_id = $1, nonce = $2, wrapped = $3 \
                     WHERE subject = $4 AND master_id = $5 AND destroyed_at IS NULL",
                )
                .bind(id)
                .bind(new.nonce)
                .bind(new.ciphertext)
                .bind(&subject)
                .bind(&master)
                .execute(&self.pool)
                .await
                .map_err(Error::db(format!(
                    "re-wrapping the key of subject {subject}"
                )))?;
                done += 1;
            }
        }
        Ok(done)
    }

    /// How many keys each master key wraps.
    pub async fn key_status(&self) -> Result<KeyStatus> {
        let mut status = KeyStatus {
            store_keys: BTreeMap::new(),
            subject_keys: BTreeMap::new(),
            destroyed: 0,
        };
        for r in sqlx::query("SELECT master_id, COUNT(*) FROM store_keys GROUP BY master_id")
            .fetch_all(&self.pool)
            .await
            .map_err(Error::db("counting keys"))?
        {
            status.store_keys.insert(
                r.try_get(0).map_err(Error::db("counting keys"))?,
                r.try_get(1).map_err(Error::db("counting keys"))?,
            );
        }
        for r in sqlx::query(
            "SELECT master_id, COUNT(*) FROM subject_keys WHERE destroyed_at IS NULL GROUP BY master_id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db("counting keys"))?
        {
            status.subject_keys.insert(
                r.try_get(0).map_err(Error::db("counting keys"))?,
                r.try_get(1).map_err(Error::db("counting keys"))?,
            );
        }
        status.destroyed =
            sqlx::query("SELECT COUNT(*) FROM subject_keys WHERE destroyed_at IS NOT NULL")
                .fetch_one(&self.pool)
                .await
                .and_then(|r| r.try_get(0))
                .map_err(Error::db("counting keys"))?;
        Ok(status)
    }

    // ---------------------------------------------------------------- datasets

    /// Remember subjects' lineage ids (so that forgetting one finds their shards).
    pub async fn remember_subjects(&self, pairs: &[(String, String)]) -> Result<()> {
        let at = now();
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(Error::db("remembering subjects"))?;
        for (subject, lid) in pairs {
            check_subject(subject)?;
            sqlx::query(
                "INSERT INTO subjects (subject, lineage_id, first_seen) VALUES ($1, $2, $3) \
                 ON CONFLICT (subject) DO NOTHING",
            )
            .bind(subject)
            .bind(lid)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(format!("remembering subject {subject}")))?;
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
        let path = absolute(dir);
        let ctx = format!("registering dataset {}", manifest.name);
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx.clone()))?;
        sqlx::query(
            "INSERT INTO datasets (id, name, path, purpose, policy, key_version, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&manifest.id)
        .bind(&manifest.name)
        .bind(path.display().to_string())
        .bind(&manifest.purpose)
        .bind(&manifest.policy)
        .bind(manifest.key_version)
        .bind(&manifest.created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => Error::invalid(format!(
                "a dataset named {} is already registered; choose another --dataset name",
                manifest.name
            )),
            _ => Error::Db {
                context: ctx.clone(),
                source: e,
            },
        })?;
        for s in &manifest.shards {
            sqlx::query(
                "INSERT INTO shards (dataset_id, shard, file, generation, records, sha256) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&manifest.id)
            .bind(i64::from(s.shard))
            .bind(&s.file)
            .bind(i64::from(s.generation))
            .bind(s.lines.len() as i64)
            .bind(&s.sha256)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?;
        }
        for (shard, lid, n) in manifest.holdings() {
            sqlx::query(
                "INSERT INTO holdings (dataset_id, shard, lineage_id, records) VALUES ($1, $2, $3, $4)",
            )
            .bind(&manifest.id)
            .bind(i64::from(shard))
            .bind(&lid)
            .bind(n as i64)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?;
        }
        let added = sqlx::query(
            "INSERT INTO tombstone_targets (tombstone_id, dataset_id, shard) \
             SELECT t.id, h.dataset_id, h.shard FROM tombstones t \
             JOIN subjects s ON s.subject = t.subject \
             JOIN holdings h ON h.lineage_id = s.lineage_id AND h.dataset_id = $1 \
             WHERE t.at >= $2 AND (t.purpose IS NULL OR t.purpose = $3)",
        )
        .bind(&manifest.id)
        .bind(run_started)
        .bind(&manifest.purpose)
        .execute(&mut *tx)
        .await
        .map_err(Error::db(ctx.clone()))?
        .rows_affected() as usize;
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
        let rows = sqlx::query(
            "SELECT tt.tombstone_id, tt.shard, COALESCE(t.lineage_id, s.lineage_id) \
             FROM tombstone_targets tt \
             JOIN tombstones t ON t.id = tt.tombstone_id \
             LEFT JOIN subjects s ON s.subject = t.subject \
             WHERE tt.dataset_id = $1 AND tt.done_at IS NULL ORDER BY tt.tombstone_id",
        )
        .bind(&ds.id)
        .fetch_all(&self.pool)
        .await
        .map_err(Error::db(ctx.clone()))?;
        let dir = PathBuf::from(&ds.path);
        // One compaction per dataset at a time: an advisory lock on the directory, released
        // by the system if this process dies.
        let lock = std::fs::File::open(&dir).map_err(Error::io(format!(
            "cannot open dataset directory {}",
            dir.display()
        )))?;
        if let Err(e) = lock.try_lock() {
            return Err(match e {
                std::fs::TryLockError::WouldBlock => Error::invalid(format!(
                    "another compaction of dataset {} is running",
                    ds.name
                )),
                std::fs::TryLockError::Error(e) => Error::Io {
                    context: format!("cannot lock {}", dir.display()),
                    source: e,
                },
            });
        }
        let manifest = Manifest::load(&dir)?;
        if rows.is_empty() {
            remove_unreferenced(&dir, &manifest)?;
            return Ok(None);
        }
        let mut tombstones = Vec::new();
        let mut remove = HashSet::new();
        let mut target_shards: HashSet<i64> = HashSet::new();
        for r in &rows {
            let t: i64 = r.try_get(0).map_err(Error::db(ctx.clone()))?;
            let shard: i64 = r.try_get(1).map_err(Error::db(ctx.clone()))?;
            let lid: Option<String> = r.try_get(2).map_err(Error::db(ctx.clone()))?;
            if !tombstones.contains(&t) {
                tombstones.push(t);
            }
            target_shards.insert(shard);
            if let Some(l) = lid {
                remove.insert(l);
            }
        }
        let (next, changes) = rewrite_without(&dir, &manifest, &remove)?;
        // Old generations an interrupted run left behind once its manifest was in place.
        remove_unreferenced(&dir, &next)?;
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
        crash_point("compact:before_db");
        let changed: HashSet<i64> = changes.iter().map(|c| i64::from(c.shard)).collect();
        let mut already: Vec<i64> = target_shards.difference(&changed).copied().collect();
        already.sort_unstable();
        let mut subjects: Vec<String> = remove.into_iter().collect();
        subjects.sort();
        let at = now();
        let mut receipt = Receipt {
            id: 0,
            dataset: ds.name.clone(),
            dataset_id: ds.id.clone(),
            path: ds.path.clone(),
            actor: actor.to_string(),
            at: at.clone(),
            tombstones,
            subjects,
            records_removed: changes
                .iter()
                .map(|c| c.removed.values().sum::<usize>())
                .sum(),
            shards: changes,
            already_rewritten: already,
        };
        let body = serde_json::to_string(&receipt)
            .map_err(|e| Error::Corrupt(format!("cannot encode a receipt: {e}")))?;
        let mut tx = self.pool.begin().await.map_err(Error::db(ctx.clone()))?;
        // The store follows the manifest, whichever run swapped it.
        for s in &next.shards {
            sqlx::query(
                "UPDATE shards SET file = $1, generation = $2, records = $3, sha256 = $4 \
                 WHERE dataset_id = $5 AND shard = $6",
            )
            .bind(&s.file)
            .bind(i64::from(s.generation))
            .bind(s.lines.len() as i64)
            .bind(&s.sha256)
            .bind(&ds.id)
            .bind(i64::from(s.shard))
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?;
        }
        sqlx::query("DELETE FROM holdings WHERE dataset_id = $1")
            .bind(&ds.id)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?;
        for (shard, lid, n) in next.holdings() {
            sqlx::query(
                "INSERT INTO holdings (dataset_id, shard, lineage_id, records) VALUES ($1, $2, $3, $4)",
            )
            .bind(&ds.id)
            .bind(i64::from(shard))
            .bind(&lid)
            .bind(n as i64)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO receipts (dataset_id, actor, at, body) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&ds.id)
        .bind(actor)
        .bind(&at)
        .bind(&body)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| r.try_get(0))
        .map_err(Error::db(ctx.clone()))?;
        for t in &receipt.tombstones {
            sqlx::query(
                "UPDATE tombstone_targets SET done_at = $1, receipt_id = $2 \
                 WHERE dataset_id = $3 AND tombstone_id = $4 AND done_at IS NULL",
            )
            .bind(&at)
            .bind(id)
            .bind(&ds.id)
            .bind(*t)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx.clone()))?;
        }
        tx.commit().await.map_err(Error::db(ctx))?;
        receipt.id = id;
        Ok(Some(receipt))
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
            let v: serde_json::Value = serde_json::from_str(&body)
                .map_err(|e| Error::Corrupt(format!("receipt {id}: {e}")))?;
            out.push(receipt_from_json(id, &v));
        }
        Ok(out)
    }
}

fn receipt_from_json(id: i64, v: &serde_json::Value) -> Receipt {
    let s = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    Receipt {
        id,
        dataset: s("dataset"),
        dataset_id: s("dataset_id"),
        path: s("path"),
        actor: s("actor"),
        at: s("at"),
        tombstones: serde_json::from_value(v.get("tombstones").cloned().unwrap_or_default())
            .unwrap_or_default(),
        subjects: serde_json::from_value(v.get("subjects").cloned().unwrap_or_default())
            .unwrap_or_default(),
        shards: serde_json::from_value(v.get("shards").cloned().unwrap_or_default())
            .unwrap_or_default(),
        already_rewritten: serde_json::from_value(
            v.get("already_rewritten").cloned().unwrap_or_default(),
        )
        .unwrap_or_default(),
        records_removed: v
            .get("records_removed")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as usize,
    }
}

const DATASET_SELECT: &str =
    "SELECT d.id, d.name, d.path, d.purpose, d.policy, d.key_version, d.created_at, \
     (SELECT COUNT(*) FROM shards s WHERE s.dataset_id = d.id), \
     (SELECT CAST(COALESCE(SUM(s.records), 0) AS BIGINT) FROM shards s WHERE s.dataset_id = d.id), \
     (SELECT COUNT(DISTINCT h.lineage_id) FROM holdings h WHERE h.dataset_id = d.id), \
     (SELECT COUNT(DISTINCT t.shard) FROM tombstone_targets t WHERE t.dataset_id = d.id AND t.done_at IS NULL) \
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
        })
    })()
    .map_err(e)
}

fn consent_row(r: &AnyRow) -> Result<ConsentEvent> {
    (|| {
        Ok(ConsentEvent {
            seq: r.try_get(0)?,
            subject: r.try_get(1)?,
            purpose: r.try_get(2)?,
            decision: r.try_get(3)?,
            actor: r.try_get(4)?,
            note: r.try_get(5)?,
            at: r.try_get(6)?,
        })
    })()
    .map_err(Error::db("reading a consent event"))
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

fn store_key_context(name: &str, version: i64) -> String {
    format!("store:{name}:{version}")
}

fn subject_key_context(subject: &str) -> String {
    format!("subject:{subject}")
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// A connection URL with its password hidden.
fn redact_url(url: &str) -> String {
    // scheme://user:password@host/…
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((auth, host)) = rest.split_once('@') {
            let user = auth.split(':').next().unwrap_or("");
            return format!("{scheme}://{user}:***@{host}");
        }
    }
    url.to_string()
}
