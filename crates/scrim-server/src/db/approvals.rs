//! `approvals`: what an admin proposed that waits for a privacy officer, and how it was
//! decided.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::AnyPool;

use super::{execute, get, json, row, rows};
use crate::error::Result;

/// A proposal to store.
pub(crate) struct NewApproval<'a> {
    /// Its id (`a_…`).
    pub(crate) id: &'a str,
    /// What it changes (`user.create`, `user.update`, `project.update`).
    pub(crate) kind: &'a str,
    /// The user or project it changes.
    pub(crate) target: &'a str,
    /// The change (JSON).
    pub(crate) change: String,
    /// A password hash it sets, if any.
    pub(crate) secret: Option<String>,
    /// The project spec it was proposed against (JSON), for project changes.
    pub(crate) base: Option<String>,
    /// Why it needs approval (JSON list).
    pub(crate) reasons: String,
    /// Who proposed it.
    pub(crate) proposed_by: &'a str,
}

/// Store a pending proposal.
pub(crate) async fn insert(pool: &AnyPool, a: NewApproval<'_>) -> Result<()> {
    let q = sqlx::query(
        "INSERT INTO approvals (id, kind, target, change, secret, base, reasons, proposed_by, proposed_at, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')",
    )
    .bind(a.id)
    .bind(a.kind)
    .bind(a.target)
    .bind(a.change)
    .bind(a.secret)
    .bind(a.base)
    .bind(a.reasons)
    .bind(a.proposed_by)
    .bind(scrim_store::now());
    execute(pool, q, "storing a proposal").await?;
    Ok(())
}

/// A proposal as stored.
pub(crate) struct ApprovalRow {
    /// Its id.
    pub(crate) id: String,
    /// What it changes.
    pub(crate) kind: String,
    /// The user or project it changes.
    pub(crate) target: String,
    /// The change.
    pub(crate) change: Value,
    /// A password hash it sets.
    pub(crate) secret: Option<String>,
    /// The spec it was proposed against.
    pub(crate) base: Option<String>,
    /// Why it needs approval.
    pub(crate) reasons: Vec<String>,
    /// Who proposed it (user id).
    pub(crate) proposed_by: String,
    /// `pending`, `approved` or `rejected`.
    pub(crate) status: String,
}

/// The proposal `id`, if it exists.
pub(crate) async fn get_one(pool: &AnyPool, id: &str) -> Result<Option<ApprovalRow>> {
    let ctx = "reading an approval";
    let q = sqlx::query(
        "SELECT id, kind, target, change, secret, base, reasons, proposed_by, status FROM approvals WHERE id = $1",
    )
    .bind(id);
    row(pool, q, ctx, |r| {
        let (change, reasons) = change_and_reasons(r, id, ctx)?;
        Ok(ApprovalRow {
            change,
            reasons,
            id: get(r, "id", ctx)?,
            kind: get(r, "kind", ctx)?,
            target: get(r, "target", ctx)?,
            secret: get(r, "secret", ctx)?,
            base: get(r, "base", ctx)?,
            proposed_by: get(r, "proposed_by", ctx)?,
            status: get(r, "status", ctx)?,
        })
    })
    .await
}

/// The `change` and `reasons` JSON columns of proposal `id`'s row.
fn change_and_reasons<T: DeserializeOwned>(
    r: &AnyRow,
    id: &str,
    ctx: &'static str,
) -> Result<(Value, T)> {
    let change: String = get(r, "change", ctx)?;
    let reasons: String = get(r, "reasons", ctx)?;
    Ok((
        json(&change, "approvals", id, "change")?,
        json(&reasons, "approvals", id, "reasons")?,
    ))
}

/// Mark a pending proposal decided (`approved` or `rejected`) by `user`; false when it was
/// decided already (by another request).
pub(crate) async fn settle(pool: &AnyPool, id: &str, user: &str, status: &str) -> Result<bool> {
    let q = sqlx::query(
        "UPDATE approvals SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = 'pending'",
    )
    .bind(status)
    .bind(user)
    .bind(scrim_store::now())
    .bind(id);
    let done = execute(pool, q, "deciding an approval").await?;
    Ok(done == 1)
}

/// Put a decided proposal back to pending (its change did not apply).
pub(crate) async fn reopen(pool: &AnyPool, id: &str) -> Result<()> {
    let q = sqlx::query(
        "UPDATE approvals SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = $1",
    )
    .bind(id);
    execute(pool, q, "reopening an approval").await?;
    Ok(())
}

/// Users created by a proposal still waiting for approval.
pub(crate) async fn pending_accounts(pool: &AnyPool) -> Result<HashSet<String>> {
    let ctx = "reading approvals";
    let sql = "SELECT target FROM approvals WHERE kind = 'user.create' AND status = 'pending'";
    let targets = rows(pool, sqlx::query(sql), ctx, |r| get(r, "target", ctx)).await?;
    Ok(targets.into_iter().collect())
}

/// A proposal as listed to privacy officers.
#[derive(Serialize)]
pub(crate) struct Listed {
    id: String,
    kind: String,
    target: String,
    change: Value,
    reasons: Value,
    proposed_at: String,
    status: String,
    decided_at: Option<String>,
    proposed_by: Option<String>,
    decided_by: Option<String>,
}

/// Proposals of one status (or `all`), newest first, at most 500.
pub(crate) async fn list(pool: &AnyPool, status: &str) -> Result<Vec<Listed>> {
    let ctx = "listing approvals";
    rows(pool, sqlx::query(
        "SELECT a.id, a.kind, a.target, a.change, a.reasons, a.proposed_at, a.status, a.decided_at, \
                pu.name AS proposer, du.name AS decider \
         FROM approvals a LEFT JOIN users pu ON pu.id = a.proposed_by LEFT JOIN users du ON du.id = a.decided_by \
         WHERE ($1 = 'all' OR a.status = $1) ORDER BY a.proposed_at DESC, a.id LIMIT 500",
    )
    .bind(status), ctx, |r| {
            let id: String = get(r, "id", ctx)?;
            let (change, reasons) = change_and_reasons(r, &id, ctx)?;
            Ok(Listed {
                change,
                reasons,
                kind: get(r, "kind", ctx)?,
                target: get(r, "target", ctx)?,
                proposed_at: get(r, "proposed_at", ctx)?,
                status: get(r, "status", ctx)?,
                decided_at: get(r, "decided_at", ctx)?,
                proposed_by: get(r, "proposer", ctx)?,
                decided_by: get(r, "decider", ctx)?,
                id,
            })
        }).await
}
