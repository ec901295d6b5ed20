//! The audit log: every read and write of conversation data, every denial and every
//! administrative change, appended with who, role, project, purpose, record id, which fields were
//! revealed, the decision and the time. It holds no content and no personal values.
//!
//! Entries are chained: each carries the MAC of the one before, and its own MAC is an HMAC-SHA256,
//! under the store's `audit` key, of the previous MAC and the entry's fields. An anchor row holds
//! the newest entry's number and MAC, itself MACed. [`verify`] recomputes the chain and says where
//! an entry was edited, deleted or moved, or the end cut off; without the key (wrapped by the
//! master keyring) nobody can rewrite the chain to hide it.
//!
//! Two things a chain inside the database cannot show on its own are covered too. A wiped log:
//! every store starts with a genesis anchor (the migration seeds it), so deleting every entry
//! and the anchor shows, and an empty log in a store with gateway activity (users, tokens,
//! projects, tasks) is refused. A rolled-back log (an older, valid log-and-anchor pair put
//! back): the writer exports signed head checkpoints (entry number and MAC) to a file outside
//! the database, MACed under a key derived from the master keyring (not stored anywhere), and
//! [`verify_checkpoints`] requires the chain to hold every checkpointed entry.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use tokio::sync::{mpsc, oneshot};

use crate::error::{Error, Result};
use scrim_store::{Keyring, SecretKey};

/// The MAC an empty log starts from (and the genesis anchor's head and mark).
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

/// Append entries in one transaction, chained after the newest stored one; returns the new
/// head's number.
pub async fn append_batch(pool: &AnyPool, key: &SecretKey, entries: &[Entry]) -> Result<i64> {
    append(pool, key, entries).await.map(|(seq, _)| seq)
}

/// Entries per INSERT statement (12 parameters each: well under SQLite's and PostgreSQL's
/// limits on bound parameters).
const INSERT_ROWS: usize = 128;

/// `($1, …, $cols), ($cols+1, …), …`: the placeholders of a `rows`-row VALUES list.
fn row_placeholders(rows: usize, cols: usize) -> String {
    let row = |r: usize| {
        let cells: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
        format!("({})", cells.join(", "))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// [`append_batch`], returning the new head's number and MAC.
async fn append(pool: &AnyPool, key: &SecretKey, entries: &[Entry]) -> Result<(i64, String)> {
    use sqlx::Connection as _;
    let mut conn = pool.acquire().await.map_err(Error::db("auditing"))?;
    // SQLite: take the write lock first, so that a second writer waits its turn (busy
    // timeout) instead of failing when its read of the head turns into a write.
    let begin = if conn.backend_name() == "SQLite" {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    };
    let mut tx = conn
        .begin_with(begin)
        .await
        .map_err(Error::db("auditing"))?;
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
    // One multi-row INSERT per chunk: a batch costs a few round trips to the database, not one
    // per entry, so the writer holds the write lock briefly (the gateway's tail under load).
    for chunk in entries.chunks(INSERT_ROWS) {
        // Chain the chunk first (each MAC covers the one before it), then bind the rows.
        let mut chained = Vec::with_capacity(chunk.len());
        for e in chunk {
            seq += 1;
            let at = scrim_store::now();
            let m = mac(key, &prev, &canonical(seq, &at, e));
            let fields = serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".to_string());
            chained.push((seq, at, fields, std::mem::replace(&mut prev, m.clone()), m));
        }
        let sql = format!(
            "INSERT INTO audit (seq, at, actor, role, project, purpose, action, record, fields, decision, prev, mac) VALUES {}",
            row_placeholders(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for (e, (seq, at, fields, before, m)) in chunk.iter().zip(&chained) {
            q = q
                .bind(*seq)
                .bind(at)
                .bind(&e.actor)
                .bind(&e.role)
                .bind(e.project.clone())
                .bind(e.purpose.clone())
                .bind(&e.action)
                .bind(e.record.clone())
                .bind(fields)
                .bind(&e.decision)
                .bind(before)
                .bind(m);
        }
        q.execute(&mut *tx).await.map_err(Error::db("auditing"))?;
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
    Ok((seq, prev))
}

/// The newest entry's number and MAC, if the log has any.
async fn head(pool: &AnyPool) -> Result<Option<(i64, String)>> {
    let row = sqlx::query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(pool)
        .await
        .map_err(Error::db("reading the audit head"))?;
    row.map(|r| {
        Ok((
            r.try_get::<i64, _>(0)
                .map_err(Error::db("reading the audit head"))?,
            r.try_get::<String, _>(1)
                .map_err(Error::db("reading the audit head"))?,
        ))
    })
    .transpose()
}

// ------------------------------------------------------------------ checkpoints

/// Where and how often the writer exports signed head checkpoints.
#[derive(Clone)]
pub struct Checkpoints {
    path: PathBuf,
    /// Derived from each master key of the ring, by the master key's id; the first signs.
    keys: Vec<(String, SecretKey)>,
    every: u64,
}

impl std::fmt::Debug for Checkpoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpoints")
            .field("path", &self.path)
            .field("every", &self.every)
            .finish_non_exhaustive()
    }
}

/// One line of the checkpoint file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Checkpoint {
    seq: i64,
    head: String,
    at: String,
    key: String,
    mac: String,
}

fn checkpoint_key(master: &SecretKey) -> Result<SecretKey> {
    Ok(SecretKey::from_slice(
        &master.mac(&[b"scrim audit checkpoint key v1"]),
    )?)
}

fn checkpoint_mac(key: &SecretKey, seq: i64, head: &str, at: &str) -> String {
    scrim_store::crypto::hex(&key.mac(&[
        b"scrim audit checkpoint v1",
        seq.to_string().as_bytes(),
        head.as_bytes(),
        at.as_bytes(),
    ]))
}

impl Checkpoints {
    /// Checkpoints appended to `path` (created 0600 if missing) once at least `every` entries
    /// were committed by this writer since the last one (0: only when asked, at start and
    /// shutdown), MACed under a key derived from the keyring's primary master key.
    pub fn new(path: &Path, ring: &Keyring, every: u64) -> Result<Checkpoints> {
        let mut keys = Vec::new();
        for id in ring.ids() {
            if let Some(master) = ring.key(&id) {
                keys.push((id, checkpoint_key(master)?));
            }
        }
        if keys.is_empty() {
            return Err(Error::Config("the master keyring is empty".to_string()));
        }
        Ok(Checkpoints {
            path: path.to_path_buf(),
            keys,
            every,
        })
    }

    fn key(&self, id: &str) -> Option<&SecretKey> {
        self.keys.iter().find(|(i, _)| i == id).map(|(_, k)| k)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append a checkpoint of the head `(seq, head)` and flush it to disk.
    pub fn append(&self, seq: i64, head: &str) -> Result<()> {
        let (id, key) = self
            .keys
            .first()
            .ok_or_else(|| Error::Config("the master keyring is empty".to_string()))?;
        let at = scrim_store::now();
        let line = serde_json::to_string(&Checkpoint {
            seq,
            head: head.to_string(),
            mac: checkpoint_mac(key, seq, head, &at),
            at,
            key: id.clone(),
        })
        .map_err(|e| Error::Config(format!("audit checkpoint: {e}")))?;
        let fail = |e: std::io::Error| {
            Error::Config(format!(
                "cannot write audit checkpoints to {}: {e}",
                self.path.display()
            ))
        };
        let mut o = std::fs::OpenOptions::new();
        o.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&self.path).map_err(fail)?;
        f.write_all(format!("{line}\n").as_bytes()).map_err(fail)?;
        f.sync_all().map_err(fail)
    }

    async fn append_async(&self, seq: i64, head: String) -> Result<()> {
        let c = self.clone();
        tokio::task::spawn_blocking(move || c.append(seq, &head))
            .await
            .map_err(|e| Error::Config(format!("audit checkpoint: {e}")))?
    }
}

enum Job {
    Record(Entry, oneshot::Sender<Result<()>>),
    Checkpoint(oneshot::Sender<Result<()>>),
}

/// Append one batch (retrying when another process took the entry numbers first) and answer
/// its callers; the new head when it was written.
async fn write_batch(
    pool: &AnyPool,
    key: &SecretKey,
    jobs: Vec<(Entry, oneshot::Sender<Result<()>>)>,
) -> Option<(i64, String)> {
    let entries: Vec<Entry> = jobs.iter().map(|(e, _)| e.clone()).collect();
    // Another process writing the same log may take the same entry number first: the primary
    // key refuses the second insert, so the chain never forks, and this writer retries after
    // the other's entries (SQLite answers "locked" while the other commits: back off, up to
    // about 1.5 s in all, before the callers are told the log cannot be written).
    let mut result = append(pool, key, &entries).await;
    for attempt in 1..=40u64 {
        if result.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis((2 * attempt).min(50))).await;
        result = append(pool, key, &entries).await;
    }
    if let Err(e) = &result {
        eprintln!("scrim serve: audit append failed: {e}");
    }
    let ok = result.is_ok();
    for (_, done) in jobs {
        let _ = done.send(if ok {
            Ok(())
        } else {
            Err(Error::Config(
                "the audit log could not be written".to_string(),
            ))
        });
    }
    result.ok()
}

/// An audit log for a running server: one writer task appends entries in batches (group
/// commit), and every caller waits until its entry is committed. With [`Checkpoints`], the
/// writer also exports the head every so many batches and when asked
/// ([`AuditLog::checkpoint`]: at start and shutdown).
#[derive(Clone, Debug)]
pub struct AuditLog {
    tx: mpsc::Sender<Job>,
}

impl AuditLog {
    /// Start the writer.
    pub fn start(pool: AnyPool, key: SecretKey, checkpoints: Option<Checkpoints>) -> AuditLog {
        let (tx, mut rx) = mpsc::channel::<Job>(4096);
        tokio::spawn(async move {
            let mut since_checkpoint = 0u64;
            while let Some(first) = rx.recv().await {
                let mut jobs = Vec::new();
                let mut asked = Vec::new();
                match first {
                    Job::Record(e, done) => jobs.push((e, done)),
                    Job::Checkpoint(done) => asked.push(done),
                }
                while jobs.len() < 512 {
                    match rx.try_recv() {
                        Ok(Job::Record(e, done)) => jobs.push((e, done)),
                        Ok(Job::Checkpoint(done)) => asked.push(done),
                        Err(_) => break,
                    }
                }
                if !jobs.is_empty() {
                    let n = jobs.len() as u64;
                    let written = write_batch(&pool, &key, jobs).await;
                    if let (Some(c), Some((seq, head))) = (&checkpoints, written) {
                        since_checkpoint += n;
                        if c.every > 0 && since_checkpoint >= c.every {
                            since_checkpoint = 0;
                            if let Err(e) = c.append_async(seq, head).await {
                                eprintln!("scrim serve: {e}");
                            }
                        }
                    }
                }
                for done in asked {
                    let r = match &checkpoints {
                        None => Ok(()),
                        Some(c) => match head(&pool).await {
                            Ok(Some((seq, h))) => c.append_async(seq, h).await,
                            Ok(None) => Ok(()),
                            Err(e) => Err(e),
                        },
                    };
                    if r.is_ok() {
                        since_checkpoint = 0;
                    }
                    let _ = done.send(r);
                }
            }
        });
        AuditLog { tx }
    }

    /// Export the head now (nothing without checkpoints or with an empty log); returns once
    /// the checkpoint is on disk.
    pub async fn checkpoint(&self) -> Result<()> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job::Checkpoint(done))
            .await
            .map_err(|_| Error::AuditUnavailable)?;
        wait.await.map_err(|_| Error::AuditUnavailable)?
    }

    /// Append one entry; returns once it is committed. If the log cannot be written the
    /// request fails (nothing is served unaudited).
    pub async fn record(&self, entry: Entry) -> Result<()> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Job::Record(entry, done))
            .await
            .map_err(|_| Error::AuditUnavailable)?;
        wait.await.map_err(|_| Error::AuditUnavailable)?
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Entries read.
    pub entries: i64,
    /// Every problem, with the entry number where it shows.
    pub problems: Vec<(i64, String)>,
    /// Checkpoints checked against the chain ([`verify_checkpoints`]; 0 without a file).
    pub checkpoints: usize,
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
        // The genesis the migration seeds (unsigned: no key is known there). It stands only
        // for a log that was never written: an entry or an anchor after it replaces it.
        Some(a) if is_genesis(&a)? => {
            if count > 0 {
                problems.push((
                    last,
                    format!(
                        "the log ends at #{last} but its anchor is the genesis: the anchor was reset outside Scrim"
                    ),
                ));
            }
        }
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
        None => problems.push((
            last,
            "the audit anchor is missing (every store starts with a genesis anchor): the log was wiped or the anchor deleted".to_string(),
        )),
    }
    if count == 0 {
        let activity = activity(pool).await?;
        if !activity.is_empty() {
            problems.push((
                0,
                format!(
                    "the audit log is empty but the store holds {}: the log was wiped",
                    activity.join(", ")
                ),
            ));
        }
    }
    Ok(Verification {
        entries: count,
        problems,
        checkpoints: 0,
    })
}

fn is_genesis(a: &sqlx::any::AnyRow) -> Result<bool> {
    let e = || Error::db("reading the audit anchor");
    let seq: i64 = a.try_get(0).map_err(e())?;
    let head: String = a.try_get(1).map_err(e())?;
    let m: String = a.try_get(2).map_err(e())?;
    Ok(seq == 0 && head == GENESIS && m == GENESIS)
}

/// What the gateway's tables hold that every path writing them also audits: `3 users`, …
async fn activity(pool: &AnyPool) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for (table, what) in [
        ("users", "users"),
        ("tokens", "tokens"),
        ("projects", "projects"),
        ("tasks", "tasks"),
    ] {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pool)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(Error::db("reading the store's activity"))?;
        if n > 0 {
            found.push(format!("{n} {what}"));
        }
    }
    Ok(found)
}

/// Check the chain against the checkpoint file (written by the gateway, see [`Checkpoints`]):
/// each checkpoint must be signed under a key derived from the keyring, and the log must hold
/// the entry it names with the MAC it recorded. Adds what it finds to `v`.
pub async fn verify_checkpoints(
    pool: &AnyPool,
    checkpoints: &Checkpoints,
    v: &mut Verification,
) -> Result<()> {
    let path = checkpoints.path();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Config(format!(
            "cannot read audit checkpoints {}: {e}",
            path.display()
        ))
    })?;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(c) = serde_json::from_str::<Checkpoint>(line) else {
            v.problems.push((
                0,
                format!("checkpoint line {n} is not a checkpoint (the file was edited)"),
            ));
            continue;
        };
        let Some(key) = checkpoints.key(&c.key) else {
            v.problems.push((
                c.seq,
                format!(
                    "checkpoint line {n} is signed by master key {} that the keyring lacks",
                    c.key
                ),
            ));
            continue;
        };
        if checkpoint_mac(key, c.seq, &c.head, &c.at) != c.mac {
            v.problems
                .push((c.seq, format!("checkpoint line {n} was altered")));
            continue;
        }
        v.checkpoints += 1;
        let row = sqlx::query("SELECT mac FROM audit WHERE seq = $1")
            .bind(c.seq)
            .fetch_optional(pool)
            .await
            .map_err(Error::db("reading the audit log"))?;
        match row {
            None => v.problems.push((
                c.seq,
                format!(
                    "entry #{} is missing, but the log held it at {} (checkpoint line {n}): the log was rolled back, wiped or cut off",
                    c.seq, c.at
                ),
            )),
            Some(r) => {
                let m: String = r.try_get(0).map_err(Error::db("reading the audit log"))?;
                if m != c.head {
                    v.problems.push((
                        c.seq,
                        format!(
                            "entry #{} is not the one the log held at {} (checkpoint line {n}): the log was rolled back or replaced",
                            c.seq, c.at
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_cell_of_every_row() {
        assert_eq!(row_placeholders(1, 2), "($1, $2)");
        assert_eq!(row_placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
