//! `/api/users` and `/api/users/{id}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value};

use super::token_of;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, Gateway, NewUser, UserChange, UserCreated, UserUpdated};

pub(super) async fn list(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::UserManage)
        .await?;
    Ok(gw.list_users(&who).await?.map(Json))
}

/// 201 with the API token (shown once), or 202 with the proposal for a privileged account.
pub(super) async fn create(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Json(b): Json<NewUser>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::UserManage)
        .await?;
    let (name, role) = (b.name.clone(), b.role.as_str());
    let done = gw.create_user(&who, b).await?;
    Ok(done.map(|c| match c {
        UserCreated::Created { id, token } => (
            StatusCode::CREATED,
            Json(json!({"id": id, "name": name, "role": role, "token": token})),
        ),
        UserCreated::Proposed { id, approval } => (
            StatusCode::ACCEPTED,
            Json(json!({"id": id, "name": name, "role": role, "approval": approval})),
        ),
    }))
}

/// 200 with what changed, or 202 with the proposal for what grants access.
pub(super) async fn update(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<UserChange>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::UserManage)
        .await?;
    let done = gw.update_user(&who, &id, b).await?;
    Ok(done.map(|u| match u {
        UserUpdated::Applied(changed) => {
            (StatusCode::OK, Json(json!({"id": id, "changed": changed})))
        }
        UserUpdated::Proposed(approval) => (
            StatusCode::ACCEPTED,
            Json(json!({"id": id, "changed": [], "approval": approval})),
        ),
    }))
}
