//! `/api/projects/{id}/next` and `/api/tasks/{id}` with its rating, flags and skip.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::token_of;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, FlagBody, Gateway};

/// The next task (200) or nothing left (204).
pub(super) async fn next(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Response>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::TaskNext)
        .await?;
    let done = gw.next_task(&who, &id).await?;
    Ok(done.map(|t| match t {
        Some(v) => Json(v).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }))
}

pub(super) async fn read(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::TaskRead)
        .await?;
    Ok(gw.read_task(&who, &id).await?.map(Json))
}

#[derive(Deserialize)]
pub(super) struct RatingBody {
    rating: Value,
}

pub(super) async fn rate(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<RatingBody>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::TaskRate)
        .await?;
    let done = gw.rate_task(&who, &id, &b.rating).await?;
    Ok(done.with(Json(json!({"ok": true, "status": "done"}))))
}

pub(super) async fn flag(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<FlagBody>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::TaskFlag)
        .await?;
    Ok(gw.flag_task(&who, &id, b).await?.map(Json))
}

pub(super) async fn skip(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::TaskSkip)
        .await?;
    let done = gw.skip_task(&who, &id).await?;
    Ok(done.with(Json(json!({"ok": true, "status": "skipped"}))))
}
