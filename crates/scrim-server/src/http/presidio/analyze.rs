//! `POST /analyze`.

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

/// Behind the gateway: a `redactor` token, Cedar, an audit entry, then the analysis.
pub(super) async fn gateway(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Audited<Response>> {
    let allowed = gw
        .presidio_call(credential(&headers).as_deref(), Call::Analyze)
        .await?;
    let p = Arc::clone(gw.presidio());
    Ok(allowed.with(run(&p, Call::Analyze, body).await))
}

/// Alone (`scrim presidio`).
pub(super) async fn standalone(
    State(p): State<Arc<Presidio>>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Response {
    run(&p, Call::Analyze, body).await
}
