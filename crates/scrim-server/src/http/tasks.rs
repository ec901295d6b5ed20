//! `/api/projects/{id}/next` and `/api/tasks/{id}` with its rating, flags and skip.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Caller;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, FlagBody};

/// The next task (200) or nothing left (204).
pub(super) async fn next(caller: Caller, Path(id): Path<String>) -> Result<Audited<Response>> {
    let who = caller.who(Action::TaskNext).await?;
    let done = caller.gw.next_task(&who, &id).await?;
    Ok(done.map(|t| match t {
        Some(v) => Json(v).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }))
}

pub(super) async fn read(caller: Caller, Path(id): Path<String>) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::TaskRead).await?;
    Ok(caller.gw.read_task(&who, &id).await?.map(Json))
}

#[derive(Deserialize)]
pub(super) struct RatingBody {
    rating: Value,
}

pub(super) async fn rate(
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<RatingBody>,
) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::TaskRate).await?;
    let done = caller.gw.rate_task(&who, &id, &b.rating).await?;
    Ok(done.with(Json(json!({"ok": true, "status": "done"}))))
}

pub(super) async fn flag(
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<FlagBody>,
) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::TaskFlag).await?;
    Ok(caller.gw.flag_task(&who, &id, b).await?.map(Json))
}

pub(super) async fn skip(caller: Caller, Path(id): Path<String>) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::TaskSkip).await?;
    let done = caller.gw.skip_task(&who, &id).await?;
    Ok(done.with(Json(json!({"ok": true, "status": "skipped"}))))
}
