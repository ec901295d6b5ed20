//! `/api/projects/{id}/conversations`: post a conversation for review.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::token_of;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, Gateway, Ingested};

/// 201 with the task; 422 when governance or the policy refused it (with the reason's code);
/// 503 when every redaction slot stayed taken.
pub(super) async fn ingest(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ConversationIngest)
        .await?;
    let done = gw.ingest(&who, &id, body).await?;
    Ok(done.map(|i| match i {
        Ingested::Stored {
            task,
            routed,
            categories,
        } => (
            StatusCode::CREATED,
            Json(json!({"task": task, "routed": routed, "categories": categories})),
        ),
        Ingested::Excluded(code) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "excluded", "reason": code})),
        ),
        Ingested::Withheld(code) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "withheld", "reason": code})),
        ),
        Ingested::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"error": "busy", "message": "every redaction slot stayed taken for the time budget; retry later"})),
        ),
    }))
}
