//! The gateway's logic, with no HTTP in it: the [`Gateway`] state, who a caller is, and one
//! module per resource. Every method that answers a caller returns `Audited`: the audit
//! entry is written before the answer exists (`guard`). The HTTP layer (`crate::http`)
//! parses requests, calls these methods and maps their results; the SQL is in `crate::db`.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::AnyPool;

use scrim_core::policy::ImageAction;
use scrim_core::{Engine, Key, KeyScope, Policy, Redactor};
use scrim_store::{Governance, Keyring, Lineage, SecretKey, Store};

use crate::audit::{AuditLog, Checkpoints, Decision, Denial, Entry};
use crate::auth;
use crate::authz::{Action, Authz, Principal, Resource, Role};
use crate::db;
use crate::error::{Error, Result};
use crate::throttle::SignIns;

pub(crate) mod approvals;
mod facts;
mod guard;
mod ingest;
mod presidio;
mod projects;
mod sessions;
mod tasks;
mod users;

#[cfg(test)]
mod tests;

pub(crate) use guard::Audited;
use guard::{recorded, Allowed};
pub(crate) use ingest::Ingested;
pub(crate) use projects::{NewProject, ProjectReply};
pub(crate) use tasks::FlagBody;
pub(crate) use users::{NewUser, UserChange, UserCreated, UserUpdated};

/// The name of the store key that MACs the audit chain.
pub const AUDIT_KEY: &str = "audit";
/// The name of the store key that seals deny-listed values.
pub const DENYLIST_KEY: &str = "denylist";
/// The login session cookie.
pub const SESSION_COOKIE: &str = "scrim_session";

/// Settings of a running gateway.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Task reads (next, read) a reviewer may make per minute before being slowed and reported.
    pub reviewer_reads_per_minute: usize,
    /// Hours a login session lasts.
    pub session_hours: i64,
    /// The lowest `k` any project may declare (privacy officers included): see
    /// [`DEFAULT_MIN_K`].
    pub min_k: usize,
    /// Mark the session cookie `Secure` (browsers then send it over HTTPS only): set it when
    /// the console is reached over HTTPS, directly or through a TLS-terminating proxy.
    pub secure_cookies: bool,
    /// A file outside the database to export signed audit head checkpoints to (at start, at
    /// shutdown and every [`Settings::audit_checkpoint_every`] entries), if any.
    pub audit_checkpoints: Option<PathBuf>,
    /// Entries between two checkpoints (0: only at start and shutdown).
    pub audit_checkpoint_every: u64,
    /// The largest ingest request body, in bytes (larger ones are refused with 413).
    pub ingest_max_bytes: usize,
    /// Ingest redactions running at once, each on a blocking thread (others wait their turn).
    pub redactions: usize,
    /// How long one ingest may wait for a redaction slot and redact: past it the ingest is
    /// answered 503 (no slot in time) or 422 `time_budget` (redaction too long), never stored.
    pub redaction_budget: Duration,
    /// User names, and client addresses, tracked for failed sign-ins, at most (each).
    pub sign_in_capacity: usize,
    /// The largest body of a Presidio call (`/analyze`, `/anonymize`, `/deanonymize`), in
    /// bytes (larger ones are refused with 413).
    pub presidio_max_bytes: usize,
    /// The `language` codes the Presidio analyzer accepts (empty: Presidio's default, `en`);
    /// see [`crate::presidio::Presidio::with_languages`].
    pub presidio_languages: Vec<String>,
    /// Failed sign-ins from one client address (whatever the names) within [`LOGIN_WINDOW`]
    /// before it is refused for the rest of the window (default
    /// [`MAX_FAILED_LOGINS_PER_CLIENT`]; raise it where many users share one address).
    pub sign_ins_per_client: usize,
}

/// The default floor of a project's `k`.
pub const DEFAULT_MIN_K: usize = 5;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            reviewer_reads_per_minute: 120,
            session_hours: 12,
            min_k: DEFAULT_MIN_K,
            secure_cookies: false,
            audit_checkpoints: None,
            audit_checkpoint_every: 1000,
            ingest_max_bytes: 2 * 1024 * 1024,
            redactions: std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            redaction_budget: Duration::from_secs(30),
            sign_in_capacity: 10_000,
            presidio_max_bytes: crate::presidio::DEFAULT_MAX_BODY_BYTES,
            presidio_languages: Vec::new(),
            sign_ins_per_client: MAX_FAILED_LOGINS_PER_CLIENT,
        }
    }
}

struct Generalization {
    version: u64,
    shown: HashMap<String, Value>,
    report: Value,
}

/// Everything a request may need.
pub struct Gateway {
    store: Store,
    pool: AnyPool,
    authz: Authz,
    audit: AuditLog,
    audit_key: SecretKey,
    gov: Governance,
    lineage: Lineage,
    deny_key: SecretKey,
    redact_withhold: Redactor,
    redact_strip: Redactor,
    settings: Settings,
    versions: Mutex<HashMap<String, u64>>,
    generalized: Mutex<HashMap<String, Arc<Generalization>>>,
    reads: Mutex<HashMap<String, VecDeque<Instant>>>,
    alerted: Mutex<HashMap<String, Instant>>,
    sign_ins: Mutex<SignIns>,
    checkpoints: Option<Checkpoints>,
    redactions: Arc<tokio::sync::Semaphore>,
    redactions_in_flight: AtomicUsize,
    presidio: Arc<crate::presidio::Presidio>,
}

/// Failed sign-ins for one name within [`LOGIN_WINDOW`] before the name is locked for the rest
/// of the window (and privacy officers are alerted).
pub const MAX_FAILED_LOGINS: usize = 5;
/// Failed sign-ins from one client address (whatever the names) within [`LOGIN_WINDOW`] before
/// it is refused for the rest of the window, by default ([`Settings::sign_ins_per_client`]).
pub const MAX_FAILED_LOGINS_PER_CLIENT: usize = 20;
/// The window of [`MAX_FAILED_LOGINS`].
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The largest sign-in (and password change) request body, in bytes.
pub const LOGIN_BODY_LIMIT: usize = 4096;

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// Build the gateway over an open store: validate the Cedar policies, load the keys, start
    /// the audit writer (needs a tokio runtime).
    pub async fn new(
        store: Store,
        ring: &Keyring,
        gov: Governance,
        policy: Policy,
        settings: Settings,
    ) -> Result<Arc<Gateway>> {
        let engine = Arc::new(Engine::new()?);
        Gateway::with_engine(store, ring, gov, policy, settings, engine).await
    }

    /// The same with a given detection engine (for example with the learned tier).
    pub async fn with_engine(
        store: Store,
        ring: &Keyring,
        gov: Governance,
        policy: Policy,
        settings: Settings,
        engine: Arc<Engine>,
    ) -> Result<Arc<Gateway>> {
        let authz = Authz::shipped()?;
        let pool = store.pool().clone();
        let (_, audit_key) = store.store_key(ring, AUDIT_KEY).await?;
        let (_, deny_key) = store.store_key(ring, DENYLIST_KEY).await?;
        let (_, pseudonym) = store.store_key(ring, scrim_store::PSEUDONYM_KEY).await?;
        let lineage = store.lineage(ring).await?;
        let key = Key::from_secret(pseudonym.bytes());
        // Presidio's pseudonym operator: the store's pseudonym key, in a scope of its own.
        let presidio = Arc::new(
            crate::presidio::Presidio::new(Arc::clone(&engine), key.derive(&[b"presidio"]))?
                .with_max_body_bytes(settings.presidio_max_bytes)
                .with_languages(settings.presidio_languages.iter().cloned()),
        );
        let mut strip = policy.clone();
        strip.attachments.images = ImageAction::StripMetadata;
        let mut withhold = policy;
        withhold.attachments.images = ImageAction::Withhold;
        let redact_withhold = Redactor::new(Arc::clone(&engine), withhold, key.clone())
            .with_scope(KeyScope::Conversation);
        let redact_strip = Redactor::new(engine, strip, key).with_scope(KeyScope::Conversation);
        let checkpoints = settings
            .audit_checkpoints
            .as_deref()
            .map(|p| Checkpoints::new(p, ring, settings.audit_checkpoint_every))
            .transpose()?;
        let audit = AuditLog::start(pool.clone(), audit_key.clone(), checkpoints.clone());
        // The head at start: also shows at once that the checkpoint file can be written.
        audit.checkpoint().await?;
        let sign_ins = SignIns::new(
            MAX_FAILED_LOGINS,
            settings.sign_ins_per_client,
            LOGIN_WINDOW,
            settings.sign_in_capacity,
        );
        let redactions = Arc::new(tokio::sync::Semaphore::new(settings.redactions.max(1)));
        Ok(Arc::new(Gateway {
            store,
            pool,
            authz,
            audit,
            audit_key,
            gov,
            lineage,
            deny_key,
            redact_withhold,
            redact_strip,
            settings,
            versions: Mutex::new(HashMap::new()),
            generalized: Mutex::new(HashMap::new()),
            reads: Mutex::new(HashMap::new()),
            alerted: Mutex::new(HashMap::new()),
            sign_ins: Mutex::new(sign_ins),
            checkpoints,
            redactions,
            redactions_in_flight: AtomicUsize::new(0),
            presidio,
        }))
    }

    /// The Presidio-compatible service the gateway serves (`/analyze`, `/anonymize`, ...).
    pub fn presidio(&self) -> &Arc<crate::presidio::Presidio> {
        &self.presidio
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The key of the audit chain (for `verify`).
    pub fn audit_key(&self) -> &SecretKey {
        &self.audit_key
    }

    /// Export a signed audit head checkpoint now, when checkpoints are configured (the server
    /// does at start and at shutdown); returns once it is on disk.
    pub async fn checkpoint_audit(&self) -> Result<()> {
        self.audit.checkpoint().await
    }

    /// The ingest redaction slots ([`Settings::redactions`]), for monitoring and tests.
    pub fn redaction_slots(&self) -> Arc<tokio::sync::Semaphore> {
        Arc::clone(&self.redactions)
    }

    /// Ingests waiting for a redaction slot or redacting now.
    pub fn redactions_in_flight(&self) -> usize {
        self.redactions_in_flight.load(Ordering::SeqCst)
    }

    /// How many user names and client addresses are tracked for failed sign-ins.
    pub fn sign_ins_tracked(&self) -> Result<(usize, usize)> {
        Ok(self.sign_ins.lock().map_err(|_| poisoned())?.tracked())
    }
}

impl Gateway {
    /// The settings it runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Refuse a cross-origin write made with the session cookie (audited, answered 403).
    pub(crate) async fn refuse_cross_origin(&self) -> Result<()> {
        let e = entry(
            None,
            &Resource::Gateway,
            Action::SessionOrigin,
            None,
            vec![],
            Decision::Deny(Denial::CrossOrigin),
        );
        self.audit.record(e).await?;
        Err(Error::Forbidden)
    }
}

impl Gateway {
    /// The principal a bearer token or session token stands for; anyone else is audited as
    /// `deny:unauthenticated` and refused.
    pub(crate) async fn who(&self, token: Option<&str>, action: Action) -> Result<Principal> {
        let found = match token {
            Some(t) => auth::principal_of(&self.pool, t).await?,
            None => None,
        };
        match found {
            Some(p) => Ok(p),
            None => {
                self.audit
                    .record(entry(
                        None,
                        &Resource::Gateway,
                        action,
                        None,
                        vec![],
                        Decision::Deny(Denial::Unauthenticated),
                    ))
                    .await?;
                Err(Error::Unauthorized)
            }
        }
    }

    /// Reviewers read at a human pace: past the limit, reads are refused, audited and raised
    /// to privacy officers (one alert a minute per reviewer).
    pub(crate) async fn pace(
        &self,
        who: &Principal,
        action: Action,
        what: &Resource,
    ) -> Result<()> {
        if who.role != Role::Reviewer {
            return Ok(());
        }
        let now = Instant::now();
        if !self.over_pace(who, now)? {
            return Ok(());
        }
        let raise = self.first_alert_in_a_minute(who, now)?;
        if raise {
            let detail = format!(
                "more than {} task reads in a minute",
                self.settings.reviewer_reads_per_minute
            );
            db::alerts::raise(&self.pool, &who.name, "reading_pace", &detail).await?;
        }
        self.audit
            .record(entry(
                Some(who),
                what,
                action,
                None,
                vec![],
                Decision::Deny(Denial::RateLimited),
            ))
            .await?;
        Err(Error::TooMany)
    }

    /// Count a read in `who`'s last minute; whether they are past the limit (then it does not
    /// count).
    fn over_pace(&self, who: &Principal, now: Instant) -> Result<bool> {
        let mut reads = self.reads.lock().map_err(|_| poisoned())?;
        let q = reads.entry(who.id.clone()).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
        {
            q.pop_front();
        }
        if q.len() >= self.settings.reviewer_reads_per_minute {
            return Ok(true);
        }
        q.push_back(now);
        Ok(false)
    }

    /// Whether `who` was not alerted on in the last minute (and note that they are now).
    fn first_alert_in_a_minute(&self, who: &Principal, now: Instant) -> Result<bool> {
        let mut alerted = self.alerted.lock().map_err(|_| poisoned())?;
        let last = alerted.get(&who.id).copied();
        if last.is_none_or(|t| now.duration_since(t) > Duration::from_secs(60)) {
            alerted.insert(who.id.clone(), now);
            return Ok(true);
        }
        Ok(false)
    }
}

/// An audit entry: who (or nobody), on what, which fields it revealed, and the decision.
fn entry(
    who: Option<&Principal>,
    what: &Resource,
    action: Action,
    record: Option<&str>,
    fields: Vec<String>,
    decision: Decision,
) -> Entry {
    let (project, purpose) = project_of(what);
    Entry {
        actor: who.map_or_else(|| "anonymous".to_string(), |w| w.name.clone()),
        role: who.map_or("none", |w| w.role.as_str()).to_string(),
        project,
        purpose,
        action: action.as_str().to_string(),
        record: record.map(audit_record),
        fields,
        decision: decision.to_string(),
    }
}

/// What the audit log says of a record: one of Scrim's own ids (`t_…`, `r_…`, `u_…`, keyed
/// lineage ids), never a caller's text. A path naming no such id (say, an e-mail address typed
/// where a task id belongs) is logged as `(not an id)`.
fn audit_record(record: &str) -> String {
    let own = record.len() <= 64
        && record.split_once('_').is_some_and(|(prefix, rest)| {
            (1..=3).contains(&prefix.len())
                && prefix.bytes().all(|b| b.is_ascii_lowercase())
                && !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
    if own {
        record.to_string()
    } else {
        "(not an id)".to_string()
    }
}

pub(crate) fn poisoned() -> Error {
    Error::Poisoned
}

fn project_of(r: &Resource) -> (Option<String>, Option<String>) {
    match r {
        Resource::Gateway => (None, None),
        Resource::Project { id, purpose } => (Some(id.clone()), Some(purpose.clone())),
        Resource::Task {
            project, purpose, ..
        } => (Some(project.clone()), Some(purpose.clone())),
    }
}
