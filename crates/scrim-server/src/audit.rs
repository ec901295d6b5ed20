//! The audit log: every read and write of conversation data, every denial and every
//! administrative change, appended with who, role, project, purpose, record id, which fields were
//! revealed, the decision and the time. It holds no content and no personal values.
//!
//! Entries are chained: each carries the MAC of the one before, and its own MAC is an HMAC-SHA256,
//! under the store's `audit` key, of the previous MAC and the entry's fields. An anchor row holds
//! the newest entry's number and MAC, itself MACed. [`verify`] recomputes the chain and says where
//! an entry was edited, deleted or moved, or the end cut off; without the key (wrapped by the
//! master keyring) nobody can rewrite the chain to hide it.

use serde::Serialize;
use sqlx::{AnyPool, Row};
use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};
use scrim_store::SecretKey;

/// The MAC an empty log starts from.
pub const GENESIS: &str = "genesis";

/// One audit entry (before it is numbered and chained).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Who (user name, or `anonymous`).
    pub actor: String,
    /// Their role (or `none`).
    pub role: String,
    /// The project, if any.
    pub project: Option<String>,
    /// The project's purpose, if any.
    pub purpose: Option<String>,
    /// What was asked (`task.read`, `user.manage`, …).
    pub action: String,
    /// Which record (a task id, a user name, a project id), if any.
    pub record: Option<String>,
    /// Which fields were revealed or changed (names, never values).
    pub fields: Vec<String>,
    /// `allow` or `deny` (with a reason code: `deny:forbidden`, `deny:rate_limited`, …).
    pub decision: String,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stored {
    /// Its number (1, 2, …).
    pub seq: i64,
    /// When.
    pub at: String,
    /// The entry.
    #[serde(flatten)]
    pub entry: Entry,
}

fn canonical(seq: i64, at: &str, e: &Entry) -> String {
    serde_json::json!([
        seq, at, e.actor, e.role, e.project, e.purpose, e.action, e.record, e.fields, e.decision
    ])
    .to_string()
}

fn mac(key: &SecretKey, prev: &str, body: &str) -> String {
    scrim_store::crypto::hex(&key.mac(&[b"scrim audit v1", prev.as_bytes(), body.as_bytes()]))
}

fn anchor_mac(key: &SecretKey, seq: i64, head: &str) -> String {
    scrim_store::crypto::hex(&key.mac(&[
        b"scrim audit anchor v1",
        seq.to_string().as_bytes(),
        head.as_bytes(),
    ]))
}

/// Append entries in one transaction, chained after the newest stored one.
pub async fn append_batch(pool: &AnyPool, key: &SecretKey, entries: &[Entry]) -> Result<i64> {
    let mut tx = pool.begin().await.map_err(Error::db("auditing"))?;
    let head = sqlx::query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await
        .map_err(Error::db("auditing"))?;
    let (mut seq, mut prev) = match head {
        Some(r) => (
            r.try_get::<i64, _>(0).map_err(Error::db("auditing"))?,
            r.try_get::<String, _>(1).map_err(Error::db("auditing"))?,
        ),
        None => (0, GENESIS.to_string()),
    };
    for e in entries {
        seq += 1;
        let at = scrim_store::now();
        let body = canonical(seq, &at, e);
        let m = mac(key, &prev, &body);
        sqlx::query(
            "INSERT INTO audit (seq, at, actor, role, project, purpose, action, record, fields, decision, prev, mac) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(seq)
        .bind(&at)
        .bind(&e.actor)
        .bind(&e.role)
        .bind(e.project.clone())
        .bind(e.purpose.clone())
        .bind(&e.action)
        .bind(e.record.clone())
        .bind(serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".to_string()))
        .bind(&e.decision)
        .bind(&prev)
        .bind(&m)
        .execute(&mut *tx)
        .await
        .map_err(Error::db("auditing"))?;
        prev = m;
    }
    sqlx::query(
        "INSERT INTO audit_anchor (id, seq, head, mac) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, head = excluded.head, mac = excluded.mac",
    )
    .bind(seq)
    .bind(&prev)
    .bind(anchor_mac(key, seq, &prev))
    .execute(&mut *tx)
    .await
    .map_err(Error::db("auditing"))?;
    tx.commit().await.map_err(Error::db("auditing"))?;
    Ok(seq)
}

type Job = (Entry, oneshot::Sender<Result<()>>);

/// An audit log for a running server: one writer task appends entries in batches (group
/// commit), and every caller waits until its entry is committed.
#[derive(Clone, Debug)]
pub struct AuditLog {
    tx: mpsc::Sender<Job>,
}

impl AuditLog {
    /// Start the writer.
    pub fn start(pool: AnyPool, key: SecretKey) -> AuditLog {
        let (tx, mut rx) = mpsc::channel::<Job>(4096);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first];
                while jobs.len() < 512 {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                let entries: Vec<Entry> = jobs.iter().map(|(e, _)| e.clone()).collect();
                // Another process writing the same log may take the same entry number first:
                // the primary key refuses the second insert, so the chain never forks, and
                // this writer retries after the other's entries.
                let mut result = append_batch(&pool, &key, &entries).await;
                for attempt in 1..=8u64 {
                    if result.is_ok() {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(2 * attempt)).await;
                    result = append_batch(&pool, &key, &entries).await;
                }
                let ok = result.is_ok();
                if let Err(e) = &result {
                    eprintln!("scrim serve: audit append failed: {e}");
                }
                for (_, done) in jobs {
                    let _ = done.send(if ok {
                        Ok(())
                    } else {
                        Err(Error::Config(
                            "the audit log could not be written".to_string(),
                        ))
                    });
                }
            }
        });
        AuditLog { tx }
    }

    /// Append one entry; returns once it is committed. If the log cannot be written the
    /// request fails (nothing is served unaudited).
    pub async fn record(&self, entry: Entry) -> Result<()> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send((entry, done))
            .await
            .map_err(|_| Error::Config("the audit writer stopped".to_string()))?;
        wait.await
            .map_err(|_| Error::Config("the audit writer stopped".to_string()))?
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Entries read.
    pub entries: i64,
    /// Every problem, with the entry number where it shows.
    pub problems: Vec<(i64, String)>,
}

impl Verification {
    /// Whether the log is intact.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Recompute the chain and the anchor.
pub async fn verify(pool: &AnyPool, key: &SecretKey) -> Result<Verification> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, role, project, purpose, action, record, fields, decision, prev, mac \
         FROM audit ORDER BY seq",
    )
    .fetch_all(pool)
    .await
    .map_err(Error::db("reading the audit log"))?;
    let mut problems = Vec::new();
    let mut expected_seq = 1i64;
    let mut prev_mac = GENESIS.to_string();
    let mut count = 0;
    for r in &rows {
        count += 1;
        let Stored { seq, at, entry } = stored_row(r)?;
        let text = |i: usize| -> Result<String> {
            r.try_get::<Option<String>, _>(i)
                .map(Option::unwrap_or_default)
                .map_err(Error::db("reading the audit log"))
        };
        let prev = text(10)?;
        let stored = text(11)?;
        if seq != expected_seq {
            problems.push((
                seq,
                format!(
                    "entries #{expected_seq}..#{} are missing (deleted)",
                    seq - 1
                ),
            ));
        }
        if prev != prev_mac {
            problems.push((
                seq,
                format!(
                    "entry #{seq} does not follow the entry before it (an entry was removed, moved or rewritten)"
                ),
            ));
        }
        // The MAC covers the parsed fields, so the stored text must be exactly their
        // canonical form: otherwise an unparsable edit would read back as the original.
        let fields_text = text(8)?;
        let canonical_fields = serde_json::to_string(&entry.fields).unwrap_or_default();
        if fields_text != canonical_fields
            || mac(key, &prev, &canonical(seq, &at, &entry)) != stored
        {
            problems.push((seq, format!("entry #{seq} was altered")));
        }
        expected_seq = seq + 1;
        prev_mac = stored;
    }
    let anchor = sqlx::query("SELECT seq, head, mac FROM audit_anchor WHERE id = 1")
        .fetch_optional(pool)
        .await
        .map_err(Error::db("reading the audit anchor"))?;
    let last = expected_seq - 1;
    match anchor {
        Some(a) => {
            let seq: i64 = a
                .try_get(0)
                .map_err(Error::db("reading the audit anchor"))?;
            let head: String = a
                .try_get(1)
                .map_err(Error::db("reading the audit anchor"))?;
            let m: String = a
                .try_get(2)
                .map_err(Error::db("reading the audit anchor"))?;
            if anchor_mac(key, seq, &head) != m {
                problems.push((seq, "the audit anchor was altered".to_string()));
            } else if seq != last || head != prev_mac {
                problems.push((
                    last,
                    format!(
                        "the log ends at #{last} but was last written at #{seq}: entries were cut off or added outside Scrim"
                    ),
                ));
            }
        }
        None if count > 0 => problems.push((last, "the audit anchor is missing".to_string())),
        None => {}
    }
    Ok(Verification {
        entries: count,
        problems,
    })
}

/// Filters for [`search`].
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Query {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this project.
    pub project: Option<String>,
    /// Only this record.
    pub record: Option<String>,
    /// Only decisions starting with this (`allow`, `deny`).
    pub decision: Option<String>,
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// Search the log, newest first.
pub async fn search(pool: &AnyPool, q: &Query) -> Result<Vec<Stored>> {
    let mut sql = String::from(
        "SELECT seq, at, actor, role, project, purpose, action, record, fields, decision FROM audit WHERE 1 = 1",
    );
    let mut binds: Vec<String> = Vec::new();
    for (col, v) in [
        ("actor", &q.actor),
        ("action", &q.action),
        ("project", &q.project),
        ("record", &q.record),
    ] {
        if let Some(v) = v {
            binds.push(v.clone());
            sql.push_str(&format!(" AND {col} = ${}", binds.len()));
        }
    }
    if let Some(d) = &q.decision {
        binds.push(format!("{d}%"));
        sql.push_str(&format!(" AND decision LIKE ${}", binds.len()));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    sql.push_str(&format!(" ORDER BY seq DESC LIMIT {limit}"));
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b.as_str());
    }
    let rows = query
        .fetch_all(pool)
        .await
        .map_err(Error::db("searching the audit log"))?;
    rows.iter().map(stored_row).collect()
}

/// An entry from a row whose first ten columns are `seq, at, actor, role, project, purpose,
/// action, record, fields, decision`.
fn stored_row(r: &sqlx::any::AnyRow) -> Result<Stored> {
    let get = |i: usize| -> Result<Option<String>> {
        r.try_get::<Option<String>, _>(i)
            .map_err(Error::db("reading the audit log"))
    };
    Ok(Stored {
        seq: r.try_get(0).map_err(Error::db("reading the audit log"))?,
        at: get(1)?.unwrap_or_default(),
        entry: Entry {
            actor: get(2)?.unwrap_or_default(),
            role: get(3)?.unwrap_or_default(),
            project: get(4)?,
            purpose: get(5)?,
            action: get(6)?.unwrap_or_default(),
            record: get(7)?,
            fields: serde_json::from_str(&get(8)?.unwrap_or_default()).unwrap_or_default(),
            decision: get(9)?.unwrap_or_default(),
        },
    })
}
