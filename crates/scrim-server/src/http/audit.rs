//! `/api/audit` and `/api/audit/verify`.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::Value;

use super::token_of;
use crate::audit;
use crate::authz::Action;
use crate::error::{Error, Result};
use crate::service::{Audited, Gateway};

pub(super) async fn search(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    Query(q): Query<audit::Query>,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::AuditRead)
        .await?;
    let found = gw.search_audit(&who, &q).await?;
    let v =
        found.map(|f| serde_json::to_value(f).map_err(|e| Error::Config(format!("audit: {e}"))));
    v.transpose().map(|a| a.map(Json))
}

pub(super) async fn verify(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::AuditVerify)
        .await?;
    Ok(gw.verify_audit(&who).await?.map(Json))
}
