//! `/api/projects`, `/api/projects/{id}`, `/api/projects/{id}/stats`,
//! `/api/projects/{id}/export`.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Caller;
use crate::authz::Action;
use crate::db::projects::ProjectRow;
use crate::error::Result;
use crate::service::{Audited, NewProject, ProjectReply};
use crate::views::ProjectSpec;

/// A project as the API shows it.
fn project_json(p: &ProjectRow) -> Value {
    json!({"id": p.id, "name": p.name, "purpose": p.purpose, "spec": p.spec})
}

/// A project and, when part of a change waits for approval, the proposal.
fn reply_json(r: &ProjectReply) -> Value {
    let mut out = project_json(&r.project);
    if let (Some(o), Some(a)) = (out.as_object_mut(), &r.approval) {
        o.insert("approval".into(), a.clone());
    }
    out
}

pub(super) async fn list(caller: Caller) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::ProjectList).await?;
    let done = caller.gw.list_projects(&who).await?;
    Ok(done.map(|ps| Json(Value::Array(ps.iter().map(project_json).collect()))))
}

pub(super) async fn create(
    caller: Caller,
    Json(b): Json<NewProject>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = caller.who(Action::ProjectCreate).await?;
    let done = caller.gw.create_project(&who, b).await?;
    Ok(done.map(|r| (StatusCode::CREATED, Json(reply_json(&r)))))
}

pub(super) async fn get(caller: Caller, Path(id): Path<String>) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::ProjectRead).await?;
    let done = caller.gw.get_project(&who, &id).await?;
    Ok(done.map(|p| Json(project_json(&p))))
}

#[derive(Deserialize)]
pub(super) struct UpdateProject {
    spec: ProjectSpec,
}

/// 200 with the project when the change applied whole, 202 with the proposal when part of
/// it waits for a privacy officer.
pub(super) async fn update(
    caller: Caller,
    Path(id): Path<String>,
    Json(b): Json<UpdateProject>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = caller.who(Action::ProjectUpdate).await?;
    let done = caller.gw.update_project(&who, &id, b.spec).await?;
    Ok(done.map(|r| {
        let status = if r.approval.is_some() {
            StatusCode::ACCEPTED
        } else {
            StatusCode::OK
        };
        (status, Json(reply_json(&r)))
    }))
}

pub(super) async fn stats(caller: Caller, Path(id): Path<String>) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::ProjectStats).await?;
    Ok(caller.gw.project_stats(&who, &id).await?.map(Json))
}

pub(super) async fn export(caller: Caller, Path(id): Path<String>) -> Result<Audited<Response>> {
    let who = caller.who(Action::DatasetExport).await?;
    let done = caller.gw.export(&who, &id).await?;
    Ok(done.map(|lines| ([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response()))
}
