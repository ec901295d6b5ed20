//! `/api/approvals` and `/api/approvals/{id}/approve|reject`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::token_of;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, Gateway};

/// `GET /api/approvals?status=pending|approved|rejected|all` (default pending).
#[derive(Deserialize)]
pub(super) struct ListQuery {
    status: Option<String>,
}

pub(super) async fn list(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ApprovalList)
        .await?;
    Ok(gw.list_approvals(&who, q.status).await?.map(Json))
}

pub(super) async fn approve(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    decide(&gw, &headers, &id, true).await
}

pub(super) async fn reject(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    decide(&gw, &headers, &id, false).await
}

/// Approve (`yes`) or reject proposal `id` as the caller.
async fn decide(
    gw: &Gateway,
    headers: &HeaderMap,
    id: &str,
    yes: bool,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(headers).as_deref(), Action::ApprovalDecide)
        .await?;
    Ok(gw.decide(&who, id, yes).await?.map(Json))
}
