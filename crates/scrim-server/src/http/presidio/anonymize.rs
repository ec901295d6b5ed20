//! `POST /anonymize` and `POST /deanonymize`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{credential, run};
use crate::error::Result;
use crate::presidio::{Call, Presidio};
use crate::service::{Audited, Gateway};

async fn through_gateway(
    gw: Arc<Gateway>,
    headers: HeaderMap,
    call: Call,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Audited<Response>> {
    let allowed = gw
        .presidio_call(credential(&headers).as_deref(), call)
        .await?;
    let p = Arc::clone(gw.presidio());
    Ok(allowed.with(run(&p, call, body).await))
}

/// `/anonymize` behind the gateway (a `redactor` token, Cedar, an audit entry).
pub(super) async fn gateway(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Audited<Response>> {
    through_gateway(gw, headers, Call::Anonymize, body).await
}

/// `/deanonymize` behind the gateway.
pub(super) async fn gateway_deanonymize(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Audited<Response>> {
    through_gateway(gw, headers, Call::Deanonymize, body).await
}

/// `/anonymize` alone (`scrim presidio`).
pub(super) async fn standalone(
    State(p): State<Arc<Presidio>>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    run(&p, Call::Anonymize, body).await
}

/// `/deanonymize` alone.
pub(super) async fn standalone_deanonymize(
    State(p): State<Arc<Presidio>>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    run(&p, Call::Deanonymize, body).await
}
