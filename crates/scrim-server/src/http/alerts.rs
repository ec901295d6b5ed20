//! `/api/alerts`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::Value;

use super::token_of;
use crate::authz::Action;
use crate::error::{Error, Result};
use crate::service::{Audited, Gateway};

pub(super) async fn list(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
) -> Result<Audited<Json<Value>>> {
    let who = gw
        .who(token_of(&headers).as_deref(), Action::AlertRead)
        .await?;
    let found = gw.list_alerts(&who).await?;
    let v =
        found.map(|f| serde_json::to_value(f).map_err(|e| Error::Config(format!("alerts: {e}"))));
    v.transpose().map(|a| a.map(Json))
}
