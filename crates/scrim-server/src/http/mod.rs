//! The HTTP layer: routes by resource, one file each, and what surrounds every request (the
//! same-origin rule for cookie writes, `Cache-Control: no-store`, JSON rejections). Handlers
//! parse a request, call one [`Gateway`] method (`crate::service`) and map its result; they
//! hold no logic and no SQL, and answer only through the audit guard's `Audited`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::authz::{Action, Principal};
use crate::error::{Error, Result};
use crate::service::{Gateway, LOGIN_BODY_LIMIT, SESSION_COOKIE};

mod alerts;
mod approvals;
mod audit;
mod ingest;
mod presidio;
mod projects;
mod sessions;
mod tasks;
mod users;

pub use presidio::standalone_router as presidio_router;

/// The routes (with Presidio's, `presidio`).
pub fn router(gw: Arc<Gateway>) -> Router {
    Router::new()
        .route("/", get(console_index))
        .route("/app.js", get(console_js))
        .route("/style.css", get(console_css))
        .route("/api/health", get(|| async { Json(json!({"ok": true})) }))
        .route("/api/openapi.yaml", get(openapi))
        .route(
            "/api/login",
            post(sessions::login).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/api/logout", post(sessions::logout))
        .route("/api/me", get(sessions::me))
        .route(
            "/api/me/password",
            post(sessions::change_password).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/api/projects", get(projects::list).post(projects::create))
        .route(
            "/api/projects/{id}",
            get(projects::get).put(projects::update),
        )
        .route("/api/projects/{id}/stats", get(projects::stats))
        .route(
            "/api/projects/{id}/conversations",
            post(ingest::ingest).layer(DefaultBodyLimit::max(gw.settings().ingest_max_bytes)),
        )
        .route("/api/projects/{id}/next", post(tasks::next))
        .route("/api/projects/{id}/export", get(projects::export))
        .route("/api/tasks/{id}", get(tasks::read))
        .route("/api/tasks/{id}/rating", post(tasks::rate))
        .route("/api/tasks/{id}/flags", post(tasks::flag))
        .route("/api/tasks/{id}/skip", post(tasks::skip))
        .route("/api/users", get(users::list).post(users::create))
        .route("/api/users/{id}", axum::routing::patch(users::update))
        .route("/api/audit", get(audit::search))
        .route("/api/audit/verify", post(audit::verify))
        .route("/api/alerts", get(alerts::list))
        .route("/api/approvals", get(approvals::list))
        .route("/api/approvals/{id}/approve", post(approvals::approve))
        .route("/api/approvals/{id}/reject", post(approvals::reject))
        .merge(presidio::routes(&gw))
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
        match gw.refuse_cross_origin().await {
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

const INDEX_HTML: &str = include_str!("../console/index.html");
const APP_JS: &str = include_str!("../console/app.js");
const STYLE_CSS: &str = include_str!("../console/style.css");
/// The OpenAPI description of the REST API.
pub const OPENAPI: &str = include_str!("../../openapi.yaml");

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

/// What an API handler starts from: the gateway and the caller's credential (a bearer token
/// or the session cookie), taken from any request.
pub(crate) struct Caller {
    /// The gateway.
    pub(crate) gw: Arc<Gateway>,
    token: Option<String>,
}

impl Caller {
    /// The credential the request carries, if any.
    pub(crate) fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The caller, who must be signed in, for `action` (see [`Gateway`]'s `who`).
    pub(crate) async fn who(&self, action: Action) -> Result<Principal> {
        self.gw.who(self.token(), action).await
    }
}

impl FromRequestParts<Arc<Gateway>> for Caller {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        gw: &Arc<Gateway>,
    ) -> std::result::Result<Self, Infallible> {
        Ok(Caller {
            gw: Arc::clone(gw),
            token: token_of(&parts.headers),
        })
    }
}

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

/// The client's address, where the server was started with it (tests may build the router
/// without).
pub(crate) type Client = Option<axum::Extension<ConnectInfo<SocketAddr>>>;

pub(crate) fn client_ip(c: &Client) -> Option<std::net::IpAddr> {
    c.as_ref().map(|axum::Extension(ConnectInfo(a))| a.ip())
}
