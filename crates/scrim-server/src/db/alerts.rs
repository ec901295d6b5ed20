//! `alerts`: what privacy officers are told (kinds and details from a fixed vocabulary).

use serde::Serialize;
use sqlx::AnyPool;

use super::{execute, get, rows};
use crate::error::Result;

/// One alert as stored.
#[derive(Debug, Serialize)]
pub(crate) struct Alert {
    id: i64,
    at: String,
    actor: String,
    kind: String,
    detail: String,
}

/// Raise an alert now.
pub(crate) async fn raise(pool: &AnyPool, actor: &str, kind: &str, detail: &str) -> Result<()> {
    let q = sqlx::query("INSERT INTO alerts (at, actor, kind, detail) VALUES ($1, $2, $3, $4)")
        .bind(scrim_store::now())
        .bind(actor)
        .bind(kind)
        .bind(detail);
    execute(pool, q, "raising an alert").await?;
    Ok(())
}

/// The newest `limit` alerts, newest first.
pub(crate) async fn recent(pool: &AnyPool, limit: i64) -> Result<Vec<Alert>> {
    let ctx = "reading alerts";
    rows(
        pool,
        sqlx::query("SELECT id, at, actor, kind, detail FROM alerts ORDER BY id DESC LIMIT $1")
            .bind(limit),
        ctx,
        |r| {
            Ok(Alert {
                id: get(r, "id", ctx)?,
                at: get(r, "at", ctx)?,
                actor: get(r, "actor", ctx)?,
                kind: get(r, "kind", ctx)?,
                detail: get(r, "detail", ctx)?,
            })
        },
    )
    .await
}
