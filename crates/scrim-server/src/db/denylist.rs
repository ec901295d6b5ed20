//! `denylist`: values reviewers flagged project-wide, sealed under the deny-list key (the
//! project id as associated data) and found again by a keyed hash, never stored in clear.

use sqlx::{Any, AnyPool, Transaction};

use super::{execute, get, rows};
use crate::error::Result;
use scrim_store::crypto::Sealed;

/// Every sealed value of a project.
pub(crate) async fn sealed(pool: &AnyPool, project: &str) -> Result<Vec<Sealed>> {
    let ctx = "reading the deny list";
    rows(
        pool,
        sqlx::query("SELECT nonce, sealed FROM denylist WHERE project_id = $1").bind(project),
        ctx,
        |r| {
            Ok(Sealed {
                nonce: get(r, "nonce", ctx)?,
                ciphertext: get(r, "sealed", ctx)?,
            })
        },
    )
    .await
}

/// Add a sealed value (once per keyed hash) inside `tx`.
pub(crate) async fn add(
    tx: &mut Transaction<'_, Any>,
    project: &str,
    hash: &str,
    sealed: Sealed,
    at: &str,
) -> Result<()> {
    let q = sqlx::query(
        "INSERT INTO denylist (project_id, value_hash, nonce, sealed, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (project_id, value_hash) DO NOTHING",
    )
    .bind(project)
    .bind(hash)
    .bind(sealed.nonce)
    .bind(sealed.ciphertext)
    .bind(at);
    execute(&mut **tx, q, "flagging").await?;
    Ok(())
}
