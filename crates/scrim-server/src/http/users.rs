//! `/api/users` and `/api/users/{id}`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use super::Caller;
use crate::authz::Action;
use crate::error::Result;
use crate::service::{Audited, NewUser, UserChange, UserCreated, UserUpdated};

pub(super) async fn list(caller: Caller) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::UserManage).await?;
    Ok(caller.gw.list_users(&who).await?.map(Json))
}

/// 201 with the API token (shown once), or 202 with the proposal for a privileged account.
pub(super) async fn create(
    caller: Caller,
    Json(b): Json<NewUser>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = caller.who(Action::UserManage).await?;
    let (name, role) = (b.name.clone(), b.role.as_str());
    let done = caller.gw.create_user(&who, b).await?;
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
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<UserChange>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = caller.who(Action::UserManage).await?;
    let done = caller.gw.update_user(&who, &id, b).await?;
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
