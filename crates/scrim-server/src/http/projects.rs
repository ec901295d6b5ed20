//! `/api/projects`, `/api/projects/{id}`, `/api/projects/{id}/stats`,
//! `/api/projects/{id}/export`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::token_of;
use crate::authz::Action;
use crate::db::projects::ProjectRow;
use crate::error::Result;
use crate::service::{Audited, Gateway, NewProject, ProjectReply};
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

pub(super) async fn list(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ProjectList)
        .await?;
    let done = gw.list_projects(&who).await?;
    Ok(done.map(|ps| Json(Value::Array(ps.iter().map(project_json).collect()))))
}

pub(super) async fn create(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Json(b): Json<NewProject>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ProjectCreate)
        .await?;
    let done = gw.create_project(&who, b).await?;
    Ok(done.map(|r| (StatusCode::CREATED, Json(reply_json(&r)))))
}

pub(super) async fn get(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ProjectRead)
        .await?;
    let done = gw.get_project(&who, &id).await?;
    Ok(done.map(|p| Json(project_json(&p))))
}

#[derive(Deserialize)]
pub(super) struct UpdateProject {
    spec: ProjectSpec,
}

/// 200 with the project when the change applied whole, 202 with the proposal when part of
/// it waits for a privacy officer.
pub(super) async fn update(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<UpdateProject>,
) -> Result<Audited<(StatusCode, Json<Value>)>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ProjectUpdate)
        .await?;
    let done = gw.update_project(&who, &id, b.spec).await?;
    Ok(done.map(|r| {
        let status = if r.approval.is_some() {
            StatusCode::ACCEPTED
        } else {
            StatusCode::OK
        };
        (status, Json(reply_json(&r)))
    }))
}

pub(super) async fn stats(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::ProjectStats)
        .await?;
    Ok(gw.project_stats(&who, &id).await?.map(Json))
}

pub(super) async fn export(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Audited<Response>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::DatasetExport)
        .await?;
    let done = gw.export(&who, &id).await?;
    Ok(done.map(|lines| ([(header::CONTENT_TYPE, "application/x-ndjson")], lines).into_response()))
}
