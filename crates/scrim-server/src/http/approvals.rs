//! `/api/approvals` and `/api/approvals/{id}/approve|reject`.

use axum::extract::{Path, Query};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::Caller;
use crate::authz::Action;
use crate::error::Result;
use crate::service::Audited;

/// `GET /api/approvals?status=pending|approved|rejected|all` (default pending).
#[derive(Deserialize)]
pub(super) struct ListQuery {
    status: Option<String>,
}

pub(super) async fn list(
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::ApprovalList).await?;
    Ok(caller.gw.list_approvals(&who, q.status).await?.map(Json))
}

pub(super) async fn approve(
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    decide(&caller, &id, true).await
}

pub(super) async fn reject(caller: Caller, Path(id): Path<String>) -> Result<Audited<Json<Value>>> {
    decide(&caller, &id, false).await
}

/// Approve (`yes`) or reject proposal `id` as the caller.
async fn decide(caller: &Caller, id: &str, yes: bool) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::ApprovalDecide).await?;
    Ok(caller.gw.decide(&who, id, yes).await?.map(Json))
}
