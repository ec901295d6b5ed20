//! `/api/projects/{id}/conversations`: post a conversation for review.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::Caller;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, Ingested};

/// 201 with the task; 422 when governance or the policy refused it (with the reason's code);
/// 503 when every redaction slot stayed taken.
pub(super) async fn ingest(
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = caller.who(Action::ConversationIngest).await?;
    let done = caller.gw.ingest(&who, &id, body).await?;
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
