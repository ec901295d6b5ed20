//! The store's SQL, all of it: one interface over SQLite (embedded, the default: a file path) and PostgreSQL (a
//! connection URL), through `sqlx`'s `Any` driver with a versioned migration set per back-end.
//! Every query here is written once, in SQL both back-ends accept.
//!
//! `consent` (what each subject said), `tombstones` (what must leave which shard), `keys`
//! (wrapped keys, crypto-shredding, rotation) and `datasets` (registration, compaction,
//! receipts) each add their part of [`Store`]'s methods.

mod consent;
mod datasets;
mod keys;
mod review;
mod tombstones;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicI64;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::dataset::ShardChange;
use crate::error::{Error, Result};
use crate::governance::Decision;

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

/// A time as the store writes every time: RFC 3339 in UTC with milliseconds (sorts as text).
/// The one timestamp format of the workspace.
pub fn timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
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

/// The current time, as [`timestamp`] writes it.
pub fn now() -> String {
    timestamp(time::OffsetDateTime::now_utc())
}

/// `hours` from now, as [`timestamp`] writes it (an expiry).
pub fn hours_from_now(hours: i64) -> String {
    timestamp(time::OffsetDateTime::now_utc() + time::Duration::hours(hours))
}

/// Unix seconds as [`timestamp`] writes them (`None` past the representable years).
pub fn timestamp_at(unix_secs: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()
        .map(timestamp)
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
    /// What the subject said (`grant` or `deny` in JSON).
    pub decision: Decision,
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
    /// Whether the store knows the subject's lineage id (a store-backed run or the gateway saw
    /// them, or the caller gave the keyring): without it the review tasks below cannot be found
    /// yet, and the gateway withdraws them at its next request.
    pub subject_linked: bool,
    /// The subject's tasks in the review gateway, per project: deleted (forget), or withheld
    /// from `next`, reading and export from now on (opt-out, revoke).
    pub review_tasks: Vec<ReviewTasks>,
    /// Whether those tasks (with their ratings, flags and profile facts) were deleted.
    pub review_tasks_deleted: bool,
}

/// A subject's tasks in one review project of the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewTasks {
    /// The project's id.
    pub project: String,
    /// Its name.
    pub name: String,
    /// Its purpose.
    pub purpose: String,
    /// How many of the subject's tasks it held.
    pub tasks: i64,
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
    /// `ready`, or `pending`: registered before its manifest committed, by a run that has
    /// not finished (or was killed; `scrim datasets recover` adopts or cleans it).
    pub state: String,
}

/// What `Store::recover` did with one dataset directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    /// It was registered and complete: nothing to do.
    Ready,
    /// Its manifest had committed: it is now registered as ready.
    Adopted,
    /// It never committed: its partial files and its registration are removed.
    Cleaned,
    /// A run is still writing it (its directory is locked): left alone.
    InProgress,
    /// Nothing of a dataset was there.
    Nothing,
}

/// A deletion receipt: what compaction removed where and when, without content. Stored as its
/// JSON, which is read back in full (every field) or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// How far the gateway has followed consent events and tombstones (see
    /// [`Store::sync_withdrawals`]), shared by every clone.
    followed: Arc<Followed>,
}

/// The newest consent event and tombstone [`Store::sync_withdrawals`] has acted on.
#[derive(Debug, Default)]
struct Followed {
    consent: AtomicI64,
    tombstone: AtomicI64,
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

/// A record's `subject` field: absent or null is no subject; anything but a well-formed string
/// is an error.
pub fn subject_field(v: Option<&serde_json::Value>) -> Result<Option<&str>> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => check_subject(s).map(|()| Some(s.as_str())),
        Some(_) => Err(Error::invalid("subject must be a string")),
    }
}

/// How long a PostgreSQL caller waits for a pooled connection before the store answers that the
/// database is unavailable ([`Error::is_unavailable`]).
pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Open (creating and migrating as needed) the store at `url`: `postgres://…` or
    /// `postgresql://…` for PostgreSQL; `sqlite:PATH` or a plain file path for SQLite.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, conn, display) =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                (Backend::Postgres, url.to_string(), display_url(url))
            } else {
                let (conn, display) = sqlite_target(url)?;
                (Backend::Sqlite, conn, display)
            };
        let pool = pool_options(backend)
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
            followed: Arc::default(),
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the gateway's own tables (same database, same migrations).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The store's address without any password.
    pub fn describe(&self) -> &str {
        &self.display
    }

    /// Close every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A SQLite store's connection string and display name, from `sqlite:PATH`, `sqlite://PATH`
/// or a plain file path; creates the file (owner only) when its directory exists.
fn sqlite_target(url: &str) -> Result<(String, String)> {
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
    create_private_db(Path::new(path))?;
    Ok((
        format!("sqlite://{path}?mode=rwc"),
        format!("sqlite:{path}"),
    ))
}

/// The connection pool's settings for a back-end.
fn pool_options(backend: Backend) -> AnyPoolOptions {
    let mut options = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 8,
        })
        // A server that is down refuses every new connection; the pool keeps retrying until
        // this timeout, so it bounds how long a caller waits for "unavailable" (sqlx's default
        // is 30 s, longer than clients wait). SQLite waits on its own busy timeout instead.
        .acquire_timeout(match backend {
            Backend::Sqlite => Duration::from_secs(30),
            Backend::Postgres => POSTGRES_ACQUIRE_TIMEOUT,
        })
        // A SQLite connection is a file handle on a worker thread: it cannot go stale, and
        // the ping before each use doubled the thread hand-offs of every query (the
        // gateway's tail under load). PostgreSQL keeps the ping, to drop connections that
        // died with a server restart before they are used.
        .test_before_acquire(backend == Backend::Postgres);
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
    options
}

/// Create a missing SQLite store file readable by its owner only (SQLite gives its `-wal` and
/// `-shm` files the same permissions).
fn create_private_db(path: &Path) -> Result<()> {
    if path.exists() || path.as_os_str().to_string_lossy().starts_with(':') {
        return Ok(());
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::Io {
            context: format!("cannot create store {}", path.display()),
            source: e,
        }),
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

/// A store address fit for messages: a connection URL's password hidden
/// (`scheme://user:***@host/…`), a file path as it is.
pub fn display_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((auth, host)) = rest.rsplit_once('@') {
            let user = auth.split(':').next().unwrap_or("");
            return format!("{scheme}://{user}:***@{host}");
        }
    }
    url.to_string()
}
