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
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::db;
use crate::error::{Error, Result};
use scrim_store::{Keyring, SecretKey};

/// The MAC an empty log starts from (and the genesis anchor's head and mark).
pub const GENESIS: &str = "genesis";

/// What was decided, as an entry records it (`allow`, `pending:approval`, `deny:<reason>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Allowed and done.
    Allow,
    /// Proposed; waits for a privacy officer's approval.
    Pending,
    /// Refused, for this reason.
    Deny(Denial),
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denial {
    /// No valid token or session.
    Unauthenticated,
    /// The Cedar policies do not permit it.
    Forbidden,
    /// A reviewer asked for a task assigned to someone else.
    NotAssigned,
    /// The task's subject took the project's purpose back.
    ConsentWithdrawn,
    /// Past the pace or the sign-in limit of a client.
    RateLimited,
    /// Too many failed sign-ins for the name.
    Locked,
    /// A wrong name or password.
    BadCredentials,
    /// A cookie-authenticated write from another origin.
    CrossOrigin,
    /// Every redaction slot stayed taken.
    Busy,
    /// Redaction ran past its time budget.
    TimeBudget,
    /// The redaction policy withheld the record.
    WithheldByPolicy,
    /// Governance excluded the record (the exclusion's code: `no_subject`, `no_consent`, …).
    Excluded(&'static str),
    /// A privacy officer may not decide their own proposal.
    OwnProposal,
    /// The proposal was decided already.
    Decided,
    /// The project changed since the proposal.
    Stale,
}

impl Denial {
    /// The reason's code.
    pub fn code(self) -> &'static str {
        match self {
            Denial::Unauthenticated => "unauthenticated",
            Denial::Forbidden => "forbidden",
            Denial::NotAssigned => "not_assigned",
            Denial::ConsentWithdrawn => "consent_withdrawn",
            Denial::RateLimited => "rate_limited",
            Denial::Locked => "locked",
            Denial::BadCredentials => "bad_credentials",
            Denial::CrossOrigin => "cross_origin",
            Denial::Busy => "busy",
            Denial::TimeBudget => "time_budget",
            Denial::WithheldByPolicy => "withheld_by_policy",
            Denial::Excluded(code) => code,
            Denial::OwnProposal => "own_proposal",
            Denial::Decided => "decided",
            Denial::Stale => "stale",
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decision::Allow => f.write_str("allow"),
            Decision::Pending => f.write_str("pending:approval"),
            Decision::Deny(d) => write!(f, "deny:{}", d.code()),
        }
    }
}

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
    /// The [`Decision`] as text: `allow`, `pending:approval` or `deny:<reason>`.
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
    scrim_core::hex::encode(&key.mac(&[b"scrim audit v1", prev.as_bytes(), body.as_bytes()]))
}

fn anchor_mac(key: &SecretKey, seq: i64, head: &str) -> String {
    scrim_core::hex::encode(&key.mac(&[
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

/// [`append_batch`], returning the new head's number and MAC.
async fn append(pool: &AnyPool, key: &SecretKey, entries: &[Entry]) -> Result<(i64, String)> {
    // Chain the entries after the head (each MAC covers the one before it).
    let chain = |mut seq: i64, mut prev: String| {
        entries
            .iter()
            .map(|e| {
                seq += 1;
                let at = scrim_store::now();
                let m = mac(key, &prev, &canonical(seq, &at, e));
                db::audit::Chained {
                    seq,
                    fields: serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".to_string()),
                    prev: std::mem::replace(&mut prev, m.clone()),
                    mac: m,
                    at,
                    entry: e,
                }
            })
            .collect()
    };
    db::audit::append(pool, chain, |seq, head| anchor_mac(key, seq, head)).await
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
    scrim_core::hex::encode(&key.mac(&[
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
                        Some(c) => match db::audit::head(&pool).await {
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
    let rows = db::audit::chain(pool).await?;
    let mut problems = Vec::new();
    let (last, head) = check_chain(key, &rows, &mut problems);
    check_anchor(
        key,
        db::audit::anchor(pool).await?,
        rows.len(),
        last,
        &head,
        &mut problems,
    );
    if rows.is_empty() {
        let activity: Vec<String> = db::audit::activity(pool)
            .await?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(table, n)| format!("{n} {table}"))
            .collect();
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
        entries: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        problems,
        checkpoints: 0,
    })
}

/// Walk the chain: numbers without gaps, each entry following the one before it, each MAC
/// over the entry's canonical form. Returns the last number and MAC.
fn check_chain(
    key: &SecretKey,
    rows: &[db::audit::ChainRow],
    problems: &mut Vec<(i64, String)>,
) -> (i64, String) {
    let mut expected_seq = 1i64;
    let mut prev_mac = GENESIS.to_string();
    for r in rows {
        let Stored { seq, at, entry } = &r.stored;
        let seq = *seq;
        if seq != expected_seq {
            problems.push((
                seq,
                format!(
                    "entries #{expected_seq}..#{} are missing (deleted)",
                    seq - 1
                ),
            ));
        }
        if r.prev != prev_mac {
            problems.push((
                seq,
                format!(
                    "entry #{seq} does not follow the entry before it (an entry was removed, moved or rewritten)"
                ),
            ));
        }
        // The MAC covers the parsed fields, so the stored text must be exactly their
        // canonical form: otherwise an unparsable edit would read back as the original.
        let canonical_fields = serde_json::to_string(&entry.fields).unwrap_or_default();
        if r.fields_text != canonical_fields
            || mac(key, &r.prev, &canonical(seq, at, entry)) != r.mac
        {
            problems.push((seq, format!("entry #{seq} was altered")));
        }
        expected_seq = seq + 1;
        prev_mac = r.mac.clone();
    }
    (expected_seq - 1, prev_mac)
}

/// The anchor must be the genesis of a log never written, or sign the chain's last entry.
fn check_anchor(
    key: &SecretKey,
    anchor: Option<(i64, String, String)>,
    count: usize,
    last: i64,
    head_mac: &str,
    problems: &mut Vec<(i64, String)>,
) {
    match anchor {
        // The genesis the migration seeds (unsigned: no key is known there). It stands only
        // for a log that was never written: an entry or an anchor after it replaces it.
        Some((0, head, m)) if head == GENESIS && m == GENESIS => {
            if count > 0 {
                problems.push((
                    last,
                    format!(
                        "the log ends at #{last} but its anchor is the genesis: the anchor was reset outside Scrim"
                    ),
                ));
            }
        }
        Some((seq, head, m)) => {
            if anchor_mac(key, seq, &head) != m {
                problems.push((seq, "the audit anchor was altered".to_string()));
            } else if seq != last || head != head_mac {
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
        if line.trim().is_empty() {
            continue;
        }
        if let Some(c) = signed_checkpoint(checkpoints, i + 1, line, v) {
            v.checkpoints += 1;
            let held = db::audit::mac_of(pool, c.seq).await?;
            check_held(&c, i + 1, held, v);
        }
    }
    Ok(())
}

/// Line `n` of the checkpoint file, if it is a checkpoint signed under the keyring (else the
/// problem is noted).
fn signed_checkpoint(
    checkpoints: &Checkpoints,
    n: usize,
    line: &str,
    v: &mut Verification,
) -> Option<Checkpoint> {
    let Ok(c) = serde_json::from_str::<Checkpoint>(line) else {
        v.problems.push((
            0,
            format!("checkpoint line {n} is not a checkpoint (the file was edited)"),
        ));
        return None;
    };
    let Some(key) = checkpoints.key(&c.key) else {
        v.problems.push((
            c.seq,
            format!(
                "checkpoint line {n} is signed by master key {} that the keyring lacks",
                c.key
            ),
        ));
        return None;
    };
    if checkpoint_mac(key, c.seq, &c.head, &c.at) != c.mac {
        v.problems
            .push((c.seq, format!("checkpoint line {n} was altered")));
        return None;
    }
    Some(c)
}

/// The log must still hold the entry a checkpoint names, with the MAC it recorded.
fn check_held(c: &Checkpoint, n: usize, held: Option<String>, v: &mut Verification) {
    match held {
        None => v.problems.push((
            c.seq,
            format!(
                "entry #{} is missing, but the log held it at {} (checkpoint line {n}): the log was rolled back, wiped or cut off",
                c.seq, c.at
            ),
        )),
        Some(m) if m != c.head => v.problems.push((
            c.seq,
            format!(
                "entry #{} is not the one the log held at {} (checkpoint line {n}): the log was rolled back or replaced",
                c.seq, c.at
            ),
        )),
        Some(_) => {}
    }
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
    db::audit::search(pool, q).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_written_as_the_stored_vocabulary() {
        assert_eq!(Decision::Allow.to_string(), "allow");
        assert_eq!(Decision::Pending.to_string(), "pending:approval");
        assert_eq!(
            Decision::Deny(Denial::ConsentWithdrawn).to_string(),
            "deny:consent_withdrawn"
        );
        assert_eq!(
            Decision::Deny(Denial::Excluded("no_consent")).to_string(),
            "deny:no_consent"
        );
    }
}
