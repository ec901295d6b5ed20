//! `/api/alerts`.

use axum::Json;
use serde_json::Value;

use super::Caller;
use crate::authz::Action;
use crate::error::{Error, Result};
use crate::service::Audited;

pub(super) async fn list(caller: Caller) -> Result<Audited<Json<Value>>> {
    let who = caller.who(Action::AlertRead).await?;
    let found = caller.gw.list_alerts(&who).await?;
    let v =
        found.map(|f| serde_json::to_value(f).map_err(|e| Error::Config(format!("alerts: {e}"))));
    v.transpose().map(|a| a.map(Json))
}
