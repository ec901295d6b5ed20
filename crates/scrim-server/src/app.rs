//! The service: its state, its routes, and the handlers behind them. Every handler
//! authenticates, asks Cedar, and writes the audit log before it answers.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::AnyPool;

use scrim_core::policy::ImageAction;
use scrim_core::profile::{classify, ProfileKey, Quasi};
use scrim_core::{Engine, Key, KeyScope, Outcome, Policy, Record, Redactor};
use scrim_store::{Governance, Keyring, Lineage, SecretKey, Store};

use crate::audit::{self, AuditLog, Checkpoints, Entry};
use crate::auth;
use crate::authz::{Action, Authz, Principal, Resource, Role};
use crate::db::{self, projects::ProjectRow, tasks::TaskRow};
use crate::error::{Error, Result};
use crate::kanon;
use crate::throttle::{Refusal, SignIns};
use crate::views::{self, ProjectSpec};

mod approvals;
mod guard;

use guard::{recorded, Allowed, Audited};

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
        }))
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

/// The routes.
pub fn router(gw: Arc<Gateway>) -> Router {
    Router::new()
        .route("/", get(console_index))
        .route("/app.js", get(console_js))
        .route("/style.css", get(console_css))
        .route("/api/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/api/openapi.yaml", get(openapi))
        .route(
            "/api/login",
            post(login).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route(
            "/api/me/password",
            post(change_password).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/api/projects", get(list_projects).post(create_project))
        .route("/api/projects/{id}", get(get_project).put(update_project))
        .route("/api/projects/{id}/stats", get(project_stats))
        .route(
            "/api/projects/{id}/conversations",
            post(ingest).layer(DefaultBodyLimit::max(gw.settings.ingest_max_bytes)),
        )
        .route("/api/projects/{id}/next", post(next_task))
        .route("/api/projects/{id}/export", get(export))
        .route("/api/tasks/{id}", get(read_task))
        .route("/api/tasks/{id}/rating", post(rate_task))
        .route("/api/tasks/{id}/flags", post(flag_task))
        .route("/api/tasks/{id}/skip", post(skip_task))
        .route("/api/users", get(list_users).post(create_user))
        .route("/api/users/{id}", axum::routing::patch(update_user))
        .route("/api/audit", get(search_audit))
        .route("/api/audit/verify", post(verify_audit))
        .route("/api/alerts", get(list_alerts))
        .route("/api/approvals", get(approvals::list))
        .route("/api/approvals/{id}/approve", post(approvals::approve))
        .route("/api/approvals/{id}/reject", post(approvals::reject))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&gw),
            same_origin_and_no_store,
        ))
        .with_state(gw)
}

/// Around every request: a state-changing request authenticated by the session cookie (not
/// by a bearer token) must come from the console's own origin, body or no body (its `Origin`
/// must name the `Host` it was sent to; browsers send `Origin` on every POST, PUT, PATCH and
/// DELETE); refusals are audited and answered 403. Every `/api/` answer carries
/// `Cache-Control: no-store`.
async fn same_origin_and_no_store(
    State(gw): State<Arc<Gateway>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut resp = if cross_origin_cookie_write(&req) {
        match gw
            .audit
            .record(entry(
                None,
                &Resource::Gateway,
                Action::SessionOrigin,
                None,
                vec![],
                "deny:cross_origin",
            ))
            .await
        {
            Ok(()) => Error::Forbidden.into_response(),
            Err(e) => e.into_response(),
        }
    } else {
        next.run(req).await
    };
    if api {
        if resp.status().is_client_error() && is_plain_text(&resp) {
            resp = rejection(resp.status());
        }
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

fn is_plain_text(resp: &Response) -> bool {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"))
}

/// The gateway's JSON error in place of an extractor's plain-text rejection, which repeats
/// values from the request ("unknown variant `jane@example.com`"): the status and a fixed
/// message, never the caller's text.
fn rejection(status: StatusCode) -> Response {
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "the request body is larger than allowed"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "send the body as JSON (content-type: application/json)",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "invalid_body",
            "the JSON body does not have the fields and types this route takes (see openapi.yaml)",
        ),
        _ => ("bad_request", "the request is malformed (see openapi.yaml)"),
    };
    (status, Json(json!({"error": code, "message": message}))).into_response()
}

/// Whether `req` changes state on the strength of the session cookie alone without coming
/// from the same origin.
fn cross_origin_cookie_write(req: &axum::extract::Request) -> bool {
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return false;
    }
    let h = req.headers();
    let bearer = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if bearer || session_cookie(h).is_none() {
        return false; // a bearer token is never sent by a browser on its own
    }
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(o), Some(host)) => {
            let authority = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"));
            authority.is_none_or(|a| !a.eq_ignore_ascii_case(host))
        }
        _ => true,
    }
}

// ------------------------------------------------------------------ console and spec

const INDEX_HTML: &str = include_str!("console/index.html");
const APP_JS: &str = include_str!("console/app.js");
const STYLE_CSS: &str = include_str!("console/style.css");
/// The OpenAPI description of the REST API.
pub const OPENAPI: &str = include_str!("../openapi.yaml");

fn static_file(body: &'static str, ty: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(ty)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
                ),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        ],
        body,
    )
        .into_response()
}

async fn console_index() -> Response {
    static_file(INDEX_HTML, "text/html; charset=utf-8")
}
async fn console_js() -> Response {
    static_file(APP_JS, "text/javascript; charset=utf-8")
}
async fn console_css() -> Response {
    static_file(STYLE_CSS, "text/css; charset=utf-8")
}
async fn openapi() -> Response {
    static_file(OPENAPI, "application/yaml")
}

// ------------------------------------------------------------------ who and may they

fn token_of(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_string());
        }
    }
    session_cookie(headers)
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| {
            c.split(';').find_map(|kv| {
                kv.trim()
                    .strip_prefix(SESSION_COOKIE)
                    .and_then(|r| r.strip_prefix('='))
                    .map(str::to_string)
            })
        })
}

impl Gateway {
    async fn who(&self, headers: &HeaderMap, action: Action) -> Result<Principal> {
        let found = match token_of(headers) {
            Some(t) => auth::principal_of(&self.pool, &t).await?,
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
                        "deny:unauthenticated",
                    ))
                    .await?;
                Err(Error::Unauthorized)
            }
        }
    }

    /// Reviewers read at a human pace: past the limit, reads are refused, audited and raised
    /// to privacy officers (one alert a minute per reviewer).
    async fn pace(&self, who: &Principal, action: Action, what: &Resource) -> Result<()> {
        if who.role != Role::Reviewer {
            return Ok(());
        }
        let now = Instant::now();
        let over = {
            let mut reads = self.reads.lock().map_err(|_| poisoned())?;
            let q = reads.entry(who.id.clone()).or_default();
            while q
                .front()
                .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
            {
                q.pop_front();
            }
            if q.len() >= self.settings.reviewer_reads_per_minute {
                true
            } else {
                q.push_back(now);
                false
            }
        };
        if !over {
            return Ok(());
        }
        let raise = {
            let mut alerted = self.alerted.lock().map_err(|_| poisoned())?;
            let last = alerted.get(&who.id).copied();
            if last.is_none_or(|t| now.duration_since(t) > Duration::from_secs(60)) {
                alerted.insert(who.id.clone(), now);
                true
            } else {
                false
            }
        };
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
                "deny:rate_limited",
            ))
            .await?;
        Err(Error::TooMany)
    }
}

/// An audit entry: who (or nobody), on what, which fields it revealed, and the decision.
fn entry(
    who: Option<&Principal>,
    what: &Resource,
    action: Action,
    record: Option<&str>,
    fields: Vec<String>,
    decision: &str,
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

fn poisoned() -> Error {
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

// ------------------------------------------------------------------ sign in

#[derive(Deserialize)]
struct LoginBody {
    name: String,
    password: String,
}

impl Gateway {
    /// The cookie attribute [`Settings::secure_cookies`] asks for.
    fn secure(&self) -> &'static str {
        if self.settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    }

    /// Check `name`'s password with the attempt counted first (so concurrent guesses cannot
    /// outrun the limit): the principal when it matches; refusals and failures are audited
    /// (as `action`), and the name's reaching the limit raises one alert.
    async fn check_sign_in(
        &self,
        name: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        action: Action,
        who: Option<&Principal>,
    ) -> Result<Option<Principal>> {
        let reserved =
            self.sign_ins
                .lock()
                .map_err(|_| poisoned())?
                .reserve(name, client, Instant::now());
        let reservation = match reserved {
            Ok(r) => r,
            Err(refusal) => {
                let decision = match refusal {
                    Refusal::NameLocked => "deny:locked",
                    Refusal::ClientLimited => "deny:rate_limited",
                };
                self.audit
                    .record(entry(
                        who,
                        &Resource::Gateway,
                        action,
                        None,
                        vec![],
                        decision,
                    ))
                    .await?;
                return Err(Error::TooMany);
            }
        };
        let found = match auth::login(&self.pool, name, password).await {
            Ok(f) => f,
            Err(e) => {
                self.sign_ins
                    .lock()
                    .map_err(|_| poisoned())?
                    .release(reservation);
                return Err(e);
            }
        };
        if found.is_some() {
            self.sign_ins
                .lock()
                .map_err(|_| poisoned())?
                .release(reservation);
            return Ok(found);
        }
        let raise = self
            .sign_ins
            .lock()
            .map_err(|_| poisoned())?
            .failed(reservation, Instant::now());
        if raise {
            let detail = format!(
                "{MAX_FAILED_LOGINS} failed sign-ins for one user name; locked for up to 15 minutes"
            );
            db::alerts::raise(&self.pool, "anonymous", "failed_logins", &detail).await?;
        }
        self.audit
            .record(entry(
                who,
                &Resource::Gateway,
                action,
                who.map(|w| w.name.as_str()),
                vec![],
                "deny:bad_credentials",
            ))
            .await?;
        Ok(None)
    }
}

/// The client's address, where the server was started with it (tests may build the router
/// without).
type Client = Option<axum::Extension<ConnectInfo<SocketAddr>>>;

fn client_ip(c: &Client) -> Option<std::net::IpAddr> {
    c.as_ref().map(|axum::Extension(ConnectInfo(a))| a.ip())
}

/// Names and passwords are bounded before anything is looked up, counted or hashed.
fn bounded(name: &str, password: &str) -> Result<()> {
    if name.len() > auth::MAX_NAME_BYTES || password.len() > auth::MAX_PASSWORD_BYTES {
        return Err(Error::BadRequest(format!(
            "a user name has at most {} bytes and a password at most {}",
            auth::MAX_NAME_BYTES,
            auth::MAX_PASSWORD_BYTES
        )));
    }
    Ok(())
}

async fn login(
    State(gw): State<Arc<Gateway>>,
    client: Client,
    Json(b): Json<LoginBody>,
) -> Result<Audited<Response>> {
    bounded(&b.name, &b.password)?;
    let found = gw
        .check_sign_in(
            &b.name,
            &b.password,
            client_ip(&client),
            Action::SessionLogin,
            None,
        )
        .await?;
    let Some(p) = found else {
        return Err(Error::Unauthorized);
    };
    let token =
        auth::issue_token(&gw.pool, &p.id, "session", Some(gw.settings.session_hours)).await?;
    let done = gw
        .own_session(&p, Action::SessionLogin)?
        .audit(&gw, Some(&p.name), vec![])
        .await?;
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        gw.settings.session_hours * 3600,
        gw.secure()
    );
    let mut resp = Json(json!({"token": token, "user": me_json(&p)})).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(done.with(resp))
}

/// Sign out: the session's token ends (an API token is not a session and stays).
async fn logout(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Result<Audited<Response>> {
    let who = gw.who(&headers, Action::SessionLogout).await?;
    if let Some(t) = token_of(&headers) {
        db::users::end_session(&gw.pool, &auth::token_hash(&t)).await?;
    }
    let mut resp = Json(json!({"ok": true})).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        gw.secure()
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    let done = gw
        .own_session(&who, Action::SessionLogout)?
        .audit(&gw, None, vec![])
        .await?;
    Ok(done.with(resp))
}

fn me_json(p: &Principal) -> Value {
    json!({"id": p.id, "name": p.name, "role": p.role.as_str(), "projects": p.projects, "clearances": p.clearances})
}

async fn me(State(gw): State<Arc<Gateway>>, headers: HeaderMap) -> Result<Audited<Json<Value>>> {
    let p = gw.who(&headers, Action::SessionMe).await?;
    let done = gw
        .own_session(&p, Action::SessionMe)?
        .audit(&gw, None, vec![])
        .await?;
    Ok(done.with(Json(me_json(&p))))
}

#[derive(Deserialize)]
struct PasswordChange {
    current: String,
    new: String,
}

/// Anyone signed in changes their own password by giving the current one (checked like a
/// sign-in, under the same limits); their API tokens and other sessions end (the session
/// making the change stays; an API token making it ends too).
async fn change_password(
    State(gw): State<Arc<Gateway>>,
    client: Client,
    headers: HeaderMap,
    Json(b): Json<PasswordChange>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::SessionPassword).await?;
    bounded(&who.name, &b.current)?;
    let checked = gw
        .check_sign_in(
            &who.name,
            &b.current,
            client_ip(&client),
            Action::SessionPassword,
            Some(&who),
        )
        .await?;
    if checked.is_none() {
        return Err(Error::Forbidden);
    }
    let current = token_of(&headers).map(|t| auth::token_hash(&t));
    auth::set_own_password(&gw.pool, &who.id, &b.new, current.as_deref()).await?;
    let done = gw
        .own_session(&who, Action::SessionPassword)?
        .audit(
            &gw,
            Some(&who.name),
            vec!["password".into(), "tokens".into()],
        )
        .await?;
    Ok(done.with(Json(json!({"ok": true}))))
}

// ------------------------------------------------------------------ projects

impl Gateway {
    async fn project(&self, id: &str) -> Result<ProjectRow> {
        db::projects::get_one(&self.pool, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no project {id}")))
    }
}

fn project_json(p: &ProjectRow) -> Value {
    json!({"id": p.id, "name": p.name, "purpose": p.purpose, "spec": p.spec})
}

fn res_project(p: &ProjectRow) -> Resource {
    Resource::Project {
        id: p.id.clone(),
        purpose: p.purpose.clone(),
    }
}

async fn list_projects(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::ProjectList).await?;
    let may_list = gw
        .authz
        .allowed(&who, Action::ProjectList, &Resource::Gateway);
    let mut out = Vec::new();
    for p in db::projects::all(&gw.pool).await? {
        if may_list
            || gw
                .authz
                .allowed(&who, Action::ProjectRead, &res_project(&p))
        {
            out.push(project_json(&p));
        }
    }
    let done = gw
        .listing(&who, Action::ProjectList)
        .audit(&gw, None, vec![])
        .await?;
    Ok(done.with(Json(Value::Array(out))))
}

#[derive(Deserialize)]
struct NewProject {
    name: String,
    purpose: String,
    #[serde(default)]
    spec: ProjectSpec,
}

async fn create_project(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Json(b): Json<NewProject>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw.who(&headers, Action::ProjectCreate).await?;
    let allowed = gw
        .authorize(&who, Action::ProjectCreate, Resource::Gateway, None)
        .await?;
    gw.gov.check_purpose(&b.purpose)?;
    b.spec.check(gw.settings.min_k)?;
    if b.name.trim().is_empty() || b.name.len() > 100 {
        return Err(Error::BadRequest(
            "a project needs a name of 1-100 characters".into(),
        ));
    }
    // What an admin's project shows beyond the protective default waits for approval.
    let reasons = approvals::spec_reasons(&who, &ProjectSpec::default(), &b.spec);
    let initial = if reasons.is_empty() {
        b.spec.clone()
    } else {
        ProjectSpec::default().protective(&b.spec)
    };
    let id = auth::new_id("p")?;
    db::projects::insert(&gw.pool, &id, b.name.trim(), &b.purpose, &initial).await?;
    let p = gw.project(&id).await?;
    let done = allowed.audit(&gw, Some(&id), vec!["spec".into()]).await?;
    let mut out = project_json(&p);
    if reasons.is_empty() {
        return Ok(done.with((StatusCode::CREATED, Json(out))));
    }
    let a = gw.propose_spec(&who, &p, &b.spec, &reasons).await?;
    Ok(a.map(|approval| {
        if let Some(o) = out.as_object_mut() {
            o.insert("approval".into(), approval);
        }
        (StatusCode::CREATED, Json(out))
    }))
}

async fn get_project(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::ProjectRead).await?;
    let p = gw.project(&id).await?;
    let done = gw
        .authorize(&who, Action::ProjectRead, res_project(&p), Some(&id))
        .await?
        .audit(&gw, Some(&id), vec![])
        .await?;
    Ok(done.with(Json(project_json(&p))))
}

#[derive(Deserialize)]
struct UpdateProject {
    spec: ProjectSpec,
}

async fn update_project(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<UpdateProject>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw.who(&headers, Action::ProjectUpdate).await?;
    let p = gw.project(&id).await?;
    let allowed = gw
        .authorize(&who, Action::ProjectUpdate, res_project(&p), Some(&id))
        .await?;
    b.spec.check(gw.settings.min_k)?;
    // What would show more waits for a privacy officer's approval; the rest applies now.
    let reasons = approvals::spec_reasons(&who, &p.spec, &b.spec);
    let now = if reasons.is_empty() {
        b.spec.clone()
    } else {
        p.spec.protective(&b.spec)
    };
    // The entry names the spec only when it changed now.
    let changed = now != p.spec;
    if changed {
        gw.set_spec(&id, &now).await?;
    }
    let fields = if changed { vec!["spec".into()] } else { vec![] };
    let done = allowed.audit(&gw, Some(&id), fields).await?;
    let p = gw.project(&id).await?;
    if reasons.is_empty() {
        return Ok(done.with((StatusCode::OK, Json(project_json(&p)))));
    }
    let a = gw.propose_spec(&who, &p, &b.spec, &reasons).await?;
    let mut out = project_json(&p);
    Ok(a.map(|approval| {
        if let Some(o) = out.as_object_mut() {
            o.insert("approval".into(), approval);
        }
        (StatusCode::ACCEPTED, Json(out))
    }))
}

impl Gateway {
    /// Store a project's spec and drop its cached generalization.
    async fn set_spec(&self, id: &str, spec: &ProjectSpec) -> Result<()> {
        db::projects::set_spec(&self.pool, id, spec).await?;
        self.bump(id)
    }
}

// ------------------------------------------------------------------ profile facts, generalized

impl Gateway {
    fn bump(&self, project: &str) -> Result<()> {
        let mut v = self.versions.lock().map_err(|_| poisoned())?;
        *v.entry(project.to_string()).or_default() += 1;
        Ok(())
    }

    /// The project's facts generalized to k over its whole population (cached until the next
    /// ingest or spec change).
    async fn generalization(&self, p: &ProjectRow) -> Result<Arc<Generalization>> {
        let version = {
            let v = self.versions.lock().map_err(|_| poisoned())?;
            v.get(&p.id).copied().unwrap_or(0)
        };
        if let Some(g) = self
            .generalized
            .lock()
            .map_err(|_| poisoned())?
            .get(&p.id)
            .filter(|g| g.version == version)
        {
            return Ok(Arc::clone(g));
        }
        let rows = db::tasks::population(&self.pool, &p.id).await?;
        // One row per subject (their latest facts); tasks without a subject stand alone.
        let mut by_subject: Vec<(String, kanon::Facts)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (id, subject, facts) in rows {
            let facts = facts_from_json(&facts, &id)?;
            let key = subject.unwrap_or_else(|| format!("task:{id}"));
            match index.get(&key) {
                Some(&i) => {
                    if let Some(slot) = by_subject.get_mut(i) {
                        slot.1 = facts;
                    }
                }
                None => {
                    index.insert(key.clone(), by_subject.len());
                    by_subject.push((key, facts));
                }
            }
        }
        let population: Vec<kanon::Facts> = by_subject.iter().map(|(_, f)| f.clone()).collect();
        let g = kanon::generalize(&population, &p.spec.profile);
        let mut shown = HashMap::new();
        for ((key, _), row) in by_subject.iter().zip(g.subjects.iter()) {
            shown.insert(
                key.clone(),
                serde_json::to_value(row).unwrap_or(Value::Null),
            );
        }
        let report = serde_json::to_value(&g.report).unwrap_or(Value::Null);
        let gen = Arc::new(Generalization {
            version,
            shown,
            report,
        });
        self.generalized
            .lock()
            .map_err(|_| poisoned())?
            .insert(p.id.clone(), Arc::clone(&gen));
        Ok(gen)
    }
}

// ------------------------------------------------------------------ profile facts

/// The quasi-identifying facts of a record's profile (for k-anonymity), direct identifiers
/// left out.
fn facts_from_profile(profile: Option<&serde_json::Map<String, Value>>) -> kanon::Facts {
    let mut f = kanon::Facts::default();
    let Some(profile) = profile else {
        return f;
    };
    let text = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Array(a) => {
                let parts: Vec<String> = a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            _ => None,
        }
    };
    for (k, v) in profile {
        // Direct identifiers are never facts, whatever a project declares (the redactor
        // replaces them in the record itself): one vocabulary, scrim_core::profile.
        let key = scrim_core::profile::normalize(k);
        match classify(&key) {
            ProfileKey::Identifier(_) => continue,
            ProfileKey::Quasi(Quasi::City) => f.city = text(v),
            ProfileKey::Quasi(Quasi::Region) => f.region = text(v),
            ProfileKey::Quasi(Quasi::Country) => f.country = text(v),
            ProfileKey::Quasi(Quasi::Age) => {
                f.age = v
                    .as_u64()
                    .map(|n| n as u32)
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            }
            ProfileKey::Quasi(Quasi::Gender) => f.gender = text(v),
            ProfileKey::Other(_) | ProfileKey::FreeForm => {
                if let Some(t) = text(v) {
                    f.other.insert(key, t);
                }
            }
        }
    }
    f
}

impl Gateway {
    /// Withhold every free-form fact (gender and the facts outside the place hierarchy) in which
    /// detection finds anything: such a value is never shown, however many subjects share it.
    fn screen_facts(&self, f: &mut kanon::Facts) {
        let engine = self.redact_withhold.engine();
        // A failed detection withholds the value too (fail closed).
        let clean = |v: &str| engine.detect_text(v).is_ok_and(|found| found.is_empty());
        if f.gender.as_deref().is_some_and(|g| !clean(g)) {
            f.gender = None;
        }
        f.other.retain(|_, v| clean(v));
    }
}

fn facts_to_json(f: &kanon::Facts) -> String {
    json!({"city": f.city, "region": f.region, "country": f.country, "age": f.age,
           "gender": f.gender, "other": f.other})
    .to_string()
}

fn facts_from_json(s: &str, task: &str) -> Result<kanon::Facts> {
    db::json(s, "tasks", task, "facts")
}

// ------------------------------------------------------------------ ingest

/// An ingest refused: audited as `decision` (no content), answered `status` with `body`.
async fn refuse_ingest(
    gw: &Gateway,
    who: &Principal,
    p: &ProjectRow,
    conv_lid: &str,
    decision: &str,
    status: StatusCode,
    body: Value,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let e = entry(
        Some(who),
        &res_project(p),
        Action::ConversationIngest,
        Some(conv_lid),
        vec![],
        decision,
    );
    recorded(gw, e, (status, Json(body))).await
}

async fn ingest(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw.who(&headers, Action::ConversationIngest).await?;
    let p = gw.project(&id).await?;
    let allowed = gw
        .authorize(&who, Action::ConversationIngest, res_project(&p), None)
        .await?;
    let record = Record::from_value(body).map_err(|e| Error::BadRequest(e.to_string()))?;
    let subject = scrim_store::subject_field(record.field("subject"))?.map(str::to_string);
    let consent = match &subject {
        Some(s) => gw
            .store
            .decisions(&[s.as_str()], &p.purpose)
            .await?
            .remove(s)
            .unwrap_or_default(),
        None => scrim_store::Consent::default(),
    };
    let conv_id = record.id().unwrap_or_default();
    let conv_lid = gw.lineage.record(&format!("{}#{}", p.id, conv_id));
    if let Err(x) = gw.gov.admit(
        &p.purpose,
        subject.as_deref(),
        record.str_field("source"),
        consent,
    ) {
        return refuse_ingest(
            &gw,
            &who,
            &p,
            &conv_lid,
            &format!("deny:{}", x.code()),
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "excluded", "reason": x.code()}),
        )
        .await;
    }
    let mut facts = facts_from_profile(record.profile());
    gw.screen_facts(&mut facts);
    let outcome = match gw.redact_off_thread(record, p.spec.images).await? {
        Redaction::Done(o) => o,
        Redaction::NoSlot => {
            return refuse_ingest(&gw, &who, &p, &conv_lid, "deny:busy", StatusCode::SERVICE_UNAVAILABLE, json!({"error": "busy", "message": "every redaction slot stayed taken for the time budget; retry later"})).await;
        }
        Redaction::OverBudget => {
            return refuse_ingest(
                &gw,
                &who,
                &p,
                &conv_lid,
                "deny:time_budget",
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "withheld", "reason": "time_budget"}),
            )
            .await;
        }
    };
    let redacted = match outcome {
        Outcome::Redacted { value, .. } => value,
        Outcome::Withheld { reason, .. } => {
            let code = reason.to_string();
            return refuse_ingest(
                &gw,
                &who,
                &p,
                &conv_lid,
                "deny:withheld_by_policy",
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "withheld", "reason": code}),
            )
            .await;
        }
    };
    let mut built = views::build(&redacted, &p.spec);
    gw.apply_denylist(&p.id, &mut built.view).await?;
    let task_id = auth::new_id("t")?;
    db::tasks::insert(
        &gw.pool,
        db::tasks::NewTask {
            id: &task_id,
            project: &p.id,
            conversation: &conv_lid,
            subject: subject.as_deref().map(|s| gw.lineage.subject(s)),
            view: &built.view,
            facts: facts_to_json(&facts),
            routed: &built.routed,
        },
    )
    .await?;
    gw.bump(&p.id)?;
    let done = allowed.audit(&gw, Some(&task_id), vec![]).await?;
    Ok(done.with((
        StatusCode::CREATED,
        Json(json!({"task": task_id, "routed": built.routed, "categories": built.categories})),
    )))
}

/// How an ingest's redaction went.
enum Redaction {
    Done(Outcome),
    /// No slot came free within the time budget.
    NoSlot,
    /// The redaction ran past the time budget (it finishes on its thread, holding its slot,
    /// and its result is dropped).
    OverBudget,
}

/// Counts an ingest in [`Gateway::redactions_in_flight`] while it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn new(n: &'a AtomicUsize) -> InFlight<'a> {
        n.fetch_add(1, Ordering::SeqCst);
        InFlight(n)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gateway {
    /// Redact on a blocking thread, at most [`Settings::redactions`] at once, within
    /// [`Settings::redaction_budget`] (waiting for a slot included): the async workers stay
    /// free for other requests whatever the record.
    async fn redact_off_thread(
        self: &Arc<Self>,
        record: Record,
        images: bool,
    ) -> Result<Redaction> {
        let _counted = InFlight::new(&self.redactions_in_flight);
        let deadline = tokio::time::Instant::now() + self.settings.redaction_budget;
        let slot =
            match tokio::time::timeout_at(deadline, Arc::clone(&self.redactions).acquire_owned())
                .await
            {
                Ok(Ok(slot)) => slot,
                Ok(Err(_)) => return Err(Error::Config("the redaction slots closed".to_string())),
                Err(_) => return Ok(Redaction::NoSlot),
            };
        if tokio::time::Instant::now() >= deadline {
            return Ok(Redaction::NoSlot);
        }
        let gw = Arc::clone(self);
        let job = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let redactor = if images {
                &gw.redact_strip
            } else {
                &gw.redact_withhold
            };
            redactor.redact(record)
        });
        match tokio::time::timeout_at(deadline, job).await {
            Ok(Ok(outcome)) => Ok(Redaction::Done(outcome)),
            Ok(Err(e)) => Err(Error::Config(format!("redaction stopped: {e}"))),
            Err(_) => Ok(Redaction::OverBudget),
        }
    }
}

impl Gateway {
    async fn denylist(&self, project: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for sealed in db::denylist::sealed(&self.pool, project).await? {
            let v = scrim_store::crypto::open(&self.deny_key, &sealed, project.as_bytes())?;
            out.push(String::from_utf8_lossy(&v).into_owned());
        }
        Ok(out)
    }

    /// Hide a flagged value in every task of the project not yet reviewed, at once.
    async fn redact_waiting(&self, project: &str, value: &str) -> Result<()> {
        for (id, text) in db::tasks::waiting_views(&self.pool, project).await? {
            let mut view: Value = db::json(&text, "tasks", &id, "view")?;
            if replace_in_view(&mut view, &[value.to_string()]) {
                db::tasks::set_view(&self.pool, &id, &view).await?;
            }
        }
        Ok(())
    }

    async fn apply_denylist(&self, project: &str, view: &mut Value) -> Result<()> {
        let values = self.denylist(project).await?;
        replace_in_view(view, &values);
        Ok(())
    }
}

/// Replace deny-listed values in a view's messages (whole words, never inside a placeholder:
/// [`views::replace_words`]); whether anything changed.
fn replace_in_view(view: &mut Value, values: &[String]) -> bool {
    let mut changed = false;
    if values.is_empty() {
        return false;
    }
    if let Some(ms) = view.get_mut("messages").and_then(Value::as_array_mut) {
        for m in ms {
            let Some(text) = m.get("content").and_then(Value::as_str) else {
                continue;
            };
            let mut t = text.to_string();
            for v in values.iter().filter(|v| views::deny_listable(v)) {
                if let Some(next) = views::replace_words(&t, v, "[FLAGGED]") {
                    t = next;
                }
            }
            if t != text {
                changed = true;
                if let Some(o) = m.as_object_mut() {
                    o.insert("content".into(), Value::String(t));
                }
            }
        }
    }
    changed
}

// ------------------------------------------------------------------ tasks

impl Gateway {
    /// The task as a reviewer sees it: the stored view plus the subject's facts generalized to
    /// k across the project; returns it and the names of the fields revealed.
    async fn shown(&self, t: &TaskRow, p: &ProjectRow) -> Result<(Value, Vec<String>)> {
        let g = self.generalization(p).await?;
        let key = t
            .subject
            .clone()
            .unwrap_or_else(|| format!("task:{}", t.id));
        let profile = g.shown.get(&key).cloned().unwrap_or(Value::Null);
        let mut fields: Vec<String> = Vec::new();
        if let Some(o) = profile.as_object() {
            for k in ["place", "age", "gender"] {
                if o.get(k).is_some_and(Value::is_string) {
                    fields.push(format!("profile:{k}"));
                }
            }
            // Declared keys are the project's input: the audit log names them all "other".
            if o.get("other")
                .and_then(Value::as_object)
                .is_some_and(|other| !other.is_empty())
            {
                fields.push("profile:other".to_string());
            }
        }
        if let Some(ms) = t.view.get("messages").and_then(Value::as_array) {
            let mut roles: Vec<String> = ms
                .iter()
                .map(|m| {
                    if m.get("content")
                        .and_then(Value::as_str)
                        .is_some_and(|c| c.starts_with("[withheld: "))
                    {
                        "messages:withheld".to_string()
                    } else {
                        format!(
                            "messages:{}",
                            views::role_of(m.get("role").and_then(Value::as_str))
                        )
                    }
                })
                .collect();
            roles.sort();
            roles.dedup();
            fields.extend(roles);
        }
        if t.view.get("attachments").is_some() {
            fields.push("attachments:images".into());
        }
        // Views stored before roles and attachment keys were allow-listed are cleaned here too.
        let mut messages = t
            .view
            .get("messages")
            .cloned()
            .unwrap_or(Value::Array(vec![]));
        for m in messages.as_array_mut().into_iter().flatten() {
            let role = views::role_of(m.get("role").and_then(Value::as_str));
            if let Some(o) = m.as_object_mut() {
                o.insert("role".into(), json!(role));
            }
        }
        let mut v = json!({
            "id": t.id, "project": p.id, "status": t.status.as_str(),
            "messages": messages,
            "profile": profile,
        });
        if let (Some(a), Some(o)) = (
            t.view.get("attachments").and_then(Value::as_array),
            v.as_object_mut(),
        ) {
            let kept: Vec<Value> = a.iter().map(views::attachment_view).collect();
            o.insert("attachments".into(), Value::Array(kept));
        }
        Ok((v, fields))
    }
}

fn res_task(t: &TaskRow, p: &ProjectRow) -> Resource {
    Resource::Task {
        id: t.id.clone(),
        project: p.id.clone(),
        purpose: p.purpose.clone(),
        routed: t.routed.clone(),
    }
}

impl Gateway {
    /// Act on consent withdrawals recorded anywhere (the CLI, another gateway): forgotten
    /// subjects' tasks are deleted, and whoever said no is linked so [`Gateway::withheld`]
    /// finds their tasks. Forgotten facts then leave every cached population.
    async fn follow_withdrawals(&self) -> Result<()> {
        if self.store.sync_withdrawals(&self.lineage).await? {
            self.generalized.lock().map_err(|_| poisoned())?.clear();
        }
        Ok(())
    }

    /// Which of these subjects (lineage ids) took the project's purpose back: their tasks are
    /// not served, read or exported (consent is checked at every use, not only at ingest).
    async fn withheld(
        &self,
        p: &ProjectRow,
        subjects: &[Option<String>],
    ) -> Result<std::collections::HashSet<String>> {
        let lids: Vec<&str> = subjects.iter().filter_map(Option::as_deref).collect();
        if lids.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        Ok(self.store.withdrawn(&lids, &p.purpose).await?)
    }
}

impl Gateway {
    /// The task `who` reviews next in `p`: their task in progress first, then the oldest open
    /// one they may see (claimed for them); never one whose subject took the purpose back.
    async fn choose_task(&self, who: &Principal, p: &ProjectRow) -> Result<Option<TaskRow>> {
        let held = db::tasks::held(&self.pool, &p.id, &who.id).await?;
        let withheld = self.withheld(p, &subjects(&held)).await?;
        if let Some(t) = held.iter().find(|t| !is_withheld(t, &withheld)) {
            return self.task(&t.id).await.map(Some);
        }
        let mut after = i64::MIN;
        loop {
            let page = db::tasks::open_after(&self.pool, &p.id, after).await?;
            let Some(last) = page.last() else {
                return Ok(None);
            };
            after = last.seq;
            if let Some(t) = self.claim_first(who, p, &page).await? {
                return Ok(Some(t));
            }
        }
    }

    /// Claim the first task of `page` that `who` may read, if any.
    async fn claim_first(
        &self,
        who: &Principal,
        p: &ProjectRow,
        page: &[db::tasks::Listed],
    ) -> Result<Option<TaskRow>> {
        let withheld = self.withheld(p, &subjects(page)).await?;
        for t in page.iter().filter(|t| !is_withheld(t, &withheld)) {
            let Ok(routed) = serde_json::from_str(&t.routed) else {
                continue; // unreadable routing: offered to nobody (fail closed)
            };
            let candidate = Resource::Task {
                id: t.id.clone(),
                project: p.id.clone(),
                purpose: p.purpose.clone(),
                routed,
            };
            if !self.authz.allowed(who, Action::TaskRead, &candidate) {
                continue; // routed to reviewers with clearances this one lacks
            }
            if db::tasks::claim(&self.pool, &t.id, &who.id).await? {
                return self.task(&t.id).await.map(Some);
            }
        }
        Ok(None)
    }

    async fn task(&self, id: &str) -> Result<TaskRow> {
        db::tasks::get_one(&self.pool, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no task {id}")))
    }
}

fn subjects(tasks: &[db::tasks::Listed]) -> Vec<Option<String>> {
    tasks.iter().map(|t| t.subject.clone()).collect()
}

/// Whether a listed task's subject took the purpose back.
fn is_withheld(t: &db::tasks::Listed, withheld: &std::collections::HashSet<String>) -> bool {
    t.subject.as_ref().is_some_and(|s| withheld.contains(s))
}

async fn next_task(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Response>> {
    let who = gw.who(&headers, Action::TaskNext).await?;
    let p = gw.project(&id).await?;
    let res = res_project(&p);
    let allowed = gw
        .authorize(&who, Action::TaskNext, res.clone(), None)
        .await?;
    gw.pace(&who, Action::TaskNext, &res).await?;
    gw.follow_withdrawals().await?;
    let chosen = gw.choose_task(&who, &p).await?;
    let Some(t) = chosen else {
        let done = allowed.audit(&gw, None, vec![]).await?;
        return Ok(done.with(StatusCode::NO_CONTENT.into_response()));
    };
    let (v, fields) = gw.shown(&t, &p).await?;
    // The task shown is a read of that task: Cedar decides it as one.
    let done = gw
        .authorize(&who, Action::TaskRead, res_task(&t, &p), Some(&t.id))
        .await?
        .audit(&gw, Some(&t.id), fields)
        .await?;
    Ok(done.with(Json(v).into_response()))
}

impl Gateway {
    /// A task and its project, if `who` may do `action` on it (reviewers: only tasks assigned
    /// to them).
    async fn task_for<'a>(
        &self,
        who: &'a Principal,
        action: Action,
        id: &str,
    ) -> Result<(TaskRow, ProjectRow, Allowed<'a>)> {
        // The task and its project in one query (every read starts here).
        let Some((t, p)) = db::tasks::with_project(&self.pool, id).await? else {
            // Unknown ids are denied exactly like forbidden ones.
            let _never = self
                .authorize(who, action, Resource::Gateway, Some(id))
                .await?;
            return Err(Error::Forbidden);
        };
        let allowed = self
            .authorize(who, action, res_task(&t, &p), Some(id))
            .await?;
        if who.role == Role::Reviewer && t.assigned_to.as_deref() != Some(who.id.as_str()) {
            self.audit
                .record(entry(
                    Some(who),
                    &res_project(&p),
                    action,
                    Some(id),
                    vec![],
                    "deny:not_assigned",
                ))
                .await?;
            return Err(Error::Forbidden);
        }
        Ok((t, p, allowed))
    }
}

async fn read_task(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::TaskRead).await?;
    gw.follow_withdrawals().await?;
    let (t, p, allowed) = gw.task_for(&who, Action::TaskRead, &id).await?;
    gw.pace(&who, Action::TaskRead, &res_task(&t, &p)).await?;
    if !gw
        .withheld(&p, std::slice::from_ref(&t.subject))
        .await?
        .is_empty()
    {
        // Its subject took the purpose back: refused like a task that is not there.
        gw.audit
            .record(entry(
                Some(&who),
                &res_project(&p),
                Action::TaskRead,
                Some(&t.id),
                vec![],
                "deny:consent_withdrawn",
            ))
            .await?;
        return Err(Error::Forbidden);
    }
    let (v, fields) = gw.shown(&t, &p).await?;
    let done = allowed.audit(&gw, Some(&t.id), fields).await?;
    Ok(done.with(Json(v)))
}

#[derive(Deserialize)]
struct RatingBody {
    rating: Value,
}

async fn rate_task(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<RatingBody>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::TaskRate).await?;
    let (t, _, allowed) = gw.task_for(&who, Action::TaskRate, &id).await?;
    let text = b.rating.to_string();
    if text.len() > 4096 {
        return Err(Error::BadRequest("a rating is at most 4 KB of JSON".into()));
    }
    db::tasks::rate(&gw.pool, &t.id, &who.id, &text).await?;
    let done = allowed
        .audit(&gw, Some(&t.id), vec!["rating".into()])
        .await?;
    Ok(done.with(Json(json!({"ok": true, "status": "done"}))))
}

#[derive(Deserialize)]
struct FlagBody {
    message: usize,
    start: usize,
    end: usize,
}

async fn flag_task(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<FlagBody>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::TaskFlag).await?;
    let (mut t, p, allowed) = gw.task_for(&who, Action::TaskFlag, &id).await?;
    let value = views::flag(&mut t.view, b.message, b.start, b.end)?;
    let trimmed = value.trim().to_string();
    let project_wide = views::deny_listable(&trimmed);
    let deny = if project_wide {
        let hash = scrim_store::crypto::hex(
            &gw.deny_key
                .mac(&[p.id.as_bytes(), trimmed.to_lowercase().as_bytes()]),
        );
        let sealed = scrim_store::crypto::seal(&gw.deny_key, trimmed.as_bytes(), p.id.as_bytes())?;
        Some((hash, sealed))
    } else {
        None
    };
    let flag = db::tasks::Flag {
        task: &t,
        user: &who.id,
        message: b.message,
        start: b.start,
        end: b.end,
    };
    db::tasks::flag(&gw.pool, flag, deny).await?;
    if project_wide {
        gw.redact_waiting(&p.id, &trimmed).await?;
    }
    let done = allowed
        .audit(&gw, Some(&t.id), vec![format!("messages[{}]", b.message)])
        .await?;
    let (v, _) = gw.shown(&t, &p).await?;
    Ok(done.with(Json(v)))
}

async fn skip_task(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::TaskSkip).await?;
    let (t, _, allowed) = gw.task_for(&who, Action::TaskSkip, &id).await?;
    db::tasks::set_status(&gw.pool, &t.id, db::tasks::TaskStatus::Skipped).await?;
    let done = allowed.audit(&gw, Some(&t.id), vec![]).await?;
    Ok(done.with(Json(json!({"ok": true, "status": "skipped"}))))
}

async fn project_stats(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::ProjectStats).await?;
    let p = gw.project(&id).await?;
    let allowed = gw
        .authorize(&who, Action::ProjectStats, res_project(&p), Some(&id))
        .await?;
    let f = db::tasks::figures(&gw.pool, &p.id).await?;
    let count = |s: db::tasks::TaskStatus| f.by_status.get(s.as_str()).copied().unwrap_or(0);
    let reviewed = count(db::tasks::TaskStatus::Done) + count(db::tasks::TaskStatus::Skipped);
    let flagged = f.flagged_tasks;
    let g = gw.generalization(&p).await?;
    let done = allowed.audit(&gw, Some(&id), vec![]).await?;
    Ok(done.with(Json(json!({
        "project": p.id,
        "tasks": f.by_status,
        "flags": f.flags,
        "flagged_tasks": flagged,
        "reviewed_tasks": reviewed,
        "residual_leak_rate": if reviewed > 0 { Some(flagged as f64 / reviewed as f64) } else { None },
        "k": p.spec.profile.k,
        "anonymity": g.report,
    }))))
}

async fn export(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Response>> {
    let who = gw.who(&headers, Action::DatasetExport).await?;
    let p = gw.project(&id).await?;
    let allowed = gw
        .authorize(&who, Action::DatasetExport, res_project(&p), Some(&id))
        .await?;
    gw.follow_withdrawals().await?;
    let rows = db::tasks::rated(&gw.pool, &p.id).await?;
    let subjects: Vec<Option<String>> = rows.iter().map(|r| r.subject.clone()).collect();
    let withheld = gw.withheld(&p, &subjects).await?;
    let mut out = String::new();
    // The audit entry names every exported record (task ids), never content.
    let mut fields: Vec<String> = vec!["messages".into(), "rating".into()];
    for r in &rows {
        if r.subject.as_ref().is_some_and(|s| withheld.contains(s)) {
            continue; // the subject took the purpose back
        }
        let line = json!({"task": r.id, "messages": r.view.get("messages"), "rating": r.rating});
        out.push_str(&line.to_string());
        out.push('\n');
        fields.push(format!("task:{}", r.id));
    }
    let done = allowed.audit(&gw, Some(&id), fields).await?;
    Ok(done.with(([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response()))
}

// ------------------------------------------------------------------ users, audit, alerts

async fn list_users(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::UserManage).await?;
    let allowed = gw
        .authorize(&who, Action::UserManage, Resource::Gateway, None)
        .await?;
    let pending = gw.pending_accounts().await?;
    let mut out = Vec::new();
    for u in db::users::all(&gw.pool).await? {
        let p = auth::principal(&gw.pool, u.id, u.name, u.role).await?;
        let mut json = me_json(&p);
        if let Some(o) = json.as_object_mut() {
            o.insert("disabled".into(), json!(u.disabled));
            o.insert("pending".into(), json!(pending.contains(&p.id)));
        }
        out.push(json);
    }
    let done = allowed.audit(&gw, None, vec!["users".into()]).await?;
    Ok(done.with(Json(Value::Array(out))))
}

#[derive(Deserialize)]
struct NewUser {
    name: String,
    role: Role,
    password: Option<String>,
    #[serde(default)]
    projects: Vec<String>,
    #[serde(default)]
    clearances: Vec<String>,
}

async fn create_user(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Json(b): Json<NewUser>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw.who(&headers, Action::UserManage).await?;
    let allowed = gw
        .authorize(&who, Action::UserManage, Resource::Gateway, None)
        .await?;
    for p in &b.projects {
        gw.project(p).await?;
    }
    let reasons = approvals::account_reasons(b.role, &b.projects, &b.clearances);
    if !reasons.is_empty() {
        // A privileged account: created disabled, without a token, until a privacy officer
        // approves it.
        let (id, a) = gw.propose_user(&who, &b, &reasons).await?;
        return Ok(a.map(|approval| {
            (
                StatusCode::ACCEPTED,
                Json(json!({"id": id, "name": b.name, "role": b.role.as_str(), "approval": approval})),
            )
        }));
    }
    let id = auth::create_user(
        &gw.pool,
        &b.name,
        b.role,
        b.password.as_deref(),
        &b.projects,
        &b.clearances,
    )
    .await?;
    let token = auth::issue_token(&gw.pool, &id, "api", None).await?;
    let done = allowed
        .audit(&gw, Some(&id), vec!["user".into(), "role".into()])
        .await?;
    Ok(done.with((
        StatusCode::CREATED,
        Json(json!({"id": id, "name": b.name, "role": b.role.as_str(), "token": token})),
    )))
}

#[derive(Deserialize)]
struct UserChange {
    disabled: Option<bool>,
    password: Option<String>,
    projects: Option<Vec<String>>,
    clearances: Option<Vec<String>>,
}

async fn update_user(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<UserChange>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw.who(&headers, Action::UserManage).await?;
    let allowed = gw
        .authorize(&who, Action::UserManage, Resource::Gateway, Some(&id))
        .await?;
    if let Some(ps) = &b.projects {
        for p in ps {
            gw.project(p).await?;
        }
    }
    let account = gw.account(&id).await?;
    if account.pending {
        return Err(Error::Conflict(format!(
            "user {id} waits for a privacy officer's approval"
        )));
    }
    let reasons = approvals::change_reasons(&account, &b);
    if !reasons.is_empty() {
        // Taking access away applies at once; the rest waits for approval.
        if b.disabled == Some(true) {
            let changed = auth::update_user(&gw.pool, &id, Some(true), None, None, None).await?;
            let _disabled = allowed.audit(&gw, Some(&id), changed).await?;
        }
        let a = gw.propose_user_change(&who, &account, &b, &reasons).await?;
        return Ok(a.map(|approval| {
            (
                StatusCode::ACCEPTED,
                Json(json!({"id": id, "changed": [], "approval": approval})),
            )
        }));
    }
    let changed = auth::update_user(
        &gw.pool,
        &id,
        b.disabled,
        b.password.as_deref(),
        b.projects.as_deref(),
        b.clearances.as_deref(),
    )
    .await?;
    let done = allowed.audit(&gw, Some(&id), changed.clone()).await?;
    Ok(done.with((StatusCode::OK, Json(json!({"id": id, "changed": changed})))))
}

async fn search_audit(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Query(q): Query<audit::Query>,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::AuditRead).await?;
    let allowed = gw
        .authorize(&who, Action::AuditRead, Resource::Gateway, None)
        .await?;
    let found = audit::search(&gw.pool, &q).await?;
    let done = allowed.audit(&gw, None, vec![]).await?;
    Ok(done.with(Json(serde_json::to_value(found).unwrap_or(Value::Null))))
}

async fn verify_audit(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::AuditVerify).await?;
    let allowed = gw
        .authorize(&who, Action::AuditVerify, Resource::Gateway, None)
        .await?;
    let mut v = audit::verify(&gw.pool, &gw.audit_key).await?;
    if let Some(c) = &gw.checkpoints {
        audit::verify_checkpoints(&gw.pool, c, &mut v).await?;
    }
    let done = allowed.audit(&gw, None, vec![]).await?;
    Ok(done.with(Json(
        json!({"ok": v.ok(), "entries": v.entries, "problems": v.problems, "checkpoints": v.checkpoints}),
    )))
}

async fn list_alerts(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw.who(&headers, Action::AlertRead).await?;
    let allowed = gw
        .authorize(&who, Action::AlertRead, Resource::Gateway, None)
        .await?;
    let out = db::alerts::recent(&gw.pool, 200).await?;
    let out = serde_json::to_value(out).map_err(|e| Error::Config(format!("alerts: {e}")))?;
    let done = allowed.audit(&gw, None, vec![]).await?;
    Ok(done.with(Json(out)))
}
