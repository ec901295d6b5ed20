//! `/api/audit` and `/api/audit/verify`.

use axum::extract::Query;
use axum::Json;
use serde_json::Value;

use super::Caller;
use crate::audit;
use crate::authz::Action;
use crate::error::{Error, Result};
use crate::service::Audited;

pub(super) async fn search(
    caller: Caller,
    Query(q): Query<audit::Query>,
) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::AuditRead).await?;
    let found = caller.gw.search_audit(&who, &q).await?;
    let v =
        found.map(|f| serde_json::to_value(f).map_err(|e| Error::Config(format!("audit: {e}"))));
    v.transpose().map(|a| a.map(Json))
}

pub(super) async fn verify(caller: Caller) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::AuditVerify).await?;
    Ok(caller.gw.verify_audit(&who).await?.map(Json))
}
