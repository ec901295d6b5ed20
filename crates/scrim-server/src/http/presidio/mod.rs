//! Presidio's REST routes (`crate::presidio`), twice: inside the gateway's router, where
//! `/analyze`, `/anonymize` and `/deanonymize` need a token of the `redactor` role (Cedar
//! decides, every call is audited without its text), and alone ([`standalone_router`], for
//! `scrim presidio`), with no store and no sign-in, as Presidio's own containers. A body
//! larger than the limit is refused unread (413). Answers and errors have Presidio's shapes:
//! `{"error": message}` with its status codes.
//!
//! LiteLLM's guardrail and other Presidio clients send no `Authorization` header of their
//! own, but an address with a user and password (`http://token:SECRET@host:8080/`) makes
//! them send HTTP Basic credentials: the password is read as the API token.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::Value;

use crate::presidio::{Call, Presidio, PresidioError};
use crate::service::Gateway;

mod analyze;
mod anonymize;
mod meta;

/// The Presidio routes of the gateway's router.
pub(super) fn routes(gw: &Gateway) -> Router<Arc<Gateway>> {
    let limit = DefaultBodyLimit::max(gw.presidio().max_body_bytes());
    Router::new()
        .route("/analyze", post(analyze::gateway).layer(limit))
        .route("/anonymize", post(anonymize::gateway).layer(limit))
        .route(
            "/deanonymize",
            post(anonymize::gateway_deanonymize).layer(limit),
        )
        .route("/health", get(meta::health))
        .route("/supportedentities", get(meta::supported_entities_gw))
        .route("/recognizers", get(meta::recognizers_gw))
        .route("/anonymizers", get(meta::anonymizers))
        .route("/deanonymizers", get(meta::deanonymizers))
}

/// The Presidio routes alone, with no store (`scrim presidio`): no sign-in, unless the service
/// requires a token ([`Presidio::with_token`]) of the calls that read a body, checked before
/// the body is read.
pub fn standalone_router(p: Arc<Presidio>) -> Router {
    let limit = DefaultBodyLimit::max(p.max_body_bytes());
    let calls = Router::new()
        .route("/analyze", post(analyze::standalone).layer(limit))
        .route("/anonymize", post(anonymize::standalone).layer(limit))
        .route(
            "/deanonymize",
            post(anonymize::standalone_deanonymize).layer(limit),
        )
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&p),
            require_token,
        ));
    Router::new()
        .merge(calls)
        .route("/health", get(meta::health))
        .route("/supportedentities", get(meta::supported_entities))
        .route("/recognizers", get(meta::recognizers))
        .route("/anonymizers", get(meta::anonymizers))
        .route("/deanonymizers", get(meta::deanonymizers))
        .with_state(p)
}

/// The service's token, when it requires one: else 401 in Presidio's error shape.
async fn require_token(
    State(p): State<Arc<Presidio>>,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    if p.admits(credential(req.headers()).as_deref()) {
        return next.run(req).await;
    }
    let e = PresidioError::Unauthorized;
    (
        e.status(),
        [(header::WWW_AUTHENTICATE, "Basic realm=\"scrim presidio\"")],
        Json(e.body()),
    )
        .into_response()
}

/// The body as JSON, or the error Presidio answers for it (a body over the limit: 413).
fn json_body(body: Result<Bytes, BytesRejection>) -> Result<Value, PresidioError> {
    // Presidio's anonymizer answers 400 "Invalid request json"; its analyzer fails on such a
    // body inside Flask and answers 500 (an HTML page, not its error shape). Scrim answers
    // both 400 in Presidio's shape: the client's request is at fault, and no Presidio client
    // sends a body that is not JSON (LiteLLM's guardrail and Presidio's SDK serialize theirs).
    let bad = || PresidioError::BadRequest("Invalid request json".to_string());
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            PresidioError::TooLarge
        } else {
            bad()
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|_| bad())
}

/// Presidio's answer: the JSON, or `{"error": message}` with its status.
fn answer(result: Result<Value, PresidioError>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => {
            if matches!(e, PresidioError::Internal(_) | PresidioError::Failed) {
                // The cause is Scrim's (the learned tier's runtime), never the text.
                eprintln!("scrim presidio: internal error: {e}");
            }
            (e.status(), Json(e.body())).into_response()
        }
    }
}

/// Read the body and run the call.
async fn run(p: &Arc<Presidio>, call: Call, body: Result<Bytes, BytesRejection>) -> Response {
    match json_body(body) {
        Ok(v) => answer(p.call(call, v).await),
        Err(e) => answer(Err(e)),
    }
}

/// The API token a Presidio client sends: `Bearer TOKEN`, or HTTP Basic with the token as the
/// password (what an address `http://token:TOKEN@host/` makes clients send).
fn credential(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    if let Some(t) = v.strip_prefix("Bearer ") {
        return Some(t.trim().to_string());
    }
    let b = v.strip_prefix("Basic ")?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b.trim())
        .ok()?;
    let pair = String::from_utf8(raw).ok()?;
    let (_, password) = pair.split_once(':')?;
    (!password.is_empty()).then(|| password.to_string())
}
