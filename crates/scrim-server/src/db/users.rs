//! `users` (with `user_projects`, `user_clearances` and `tokens`): accounts, what they may
//! reach, and the hashed tokens that stand for them.

use sqlx::any::AnyRow;
use sqlx::AnyPool;

use super::get;
use crate::authz::{Principal, Role};
use crate::error::{Error, Result};

/// An account as stored.
pub(crate) struct UserRow {
    /// Its id (`u_…`).
    pub(crate) id: String,
    /// Its unique name.
    pub(crate) name: String,
    /// Its role.
    pub(crate) role: Role,
    /// Whether it is disabled.
    pub(crate) disabled: bool,
}

fn decode(r: &AnyRow) -> Result<UserRow> {
    let ctx = "reading a user";
    let role: String = get(r, "role", ctx)?;
    let disabled: i64 = get(r, "disabled", ctx)?;
    let id: String = get(r, "id", ctx)?;
    Ok(UserRow {
        role: role
            .parse()
            .map_err(|_| Error::corrupt("users", &id, "role"))?,
        name: get(r, "name", ctx)?,
        disabled: disabled != 0,
        id,
    })
}

/// Every account, by name.
pub(crate) async fn all(pool: &AnyPool) -> Result<Vec<UserRow>> {
    sqlx::query("SELECT id, name, role, disabled FROM users ORDER BY name")
        .fetch_all(pool)
        .await
        .map_err(Error::db("listing users"))?
        .iter()
        .map(decode)
        .collect()
}

/// The account `id`, if it exists.
pub(crate) async fn get_one(pool: &AnyPool, id: &str) -> Result<Option<UserRow>> {
    sqlx::query("SELECT id, name, role, disabled FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(Error::db("reading a user"))?
        .map(|r| decode(&r))
        .transpose()
}

/// Sort `kind`/`item` membership rows into (projects, clearances).
fn memberships_of(rows: &[AnyRow], ctx: &'static str) -> Result<(Vec<String>, Vec<String>)> {
    let (mut projects, mut clearances) = (Vec::new(), Vec::new());
    for r in rows {
        let kind: Option<String> = get(r, "kind", ctx)?;
        let item: Option<String> = get(r, "item", ctx)?;
        match (kind.as_deref(), item) {
            (Some("p"), Some(item)) => projects.push(item),
            (Some(_), Some(item)) => clearances.push(item),
            _ => {}
        }
    }
    Ok((projects, clearances))
}

const MEMBERSHIPS: &str = "SELECT user_id, 'p' AS kind, project_id AS item FROM user_projects \
     UNION ALL SELECT user_id, 'c' AS kind, category AS item FROM user_clearances";

/// A user's projects and clearances (one query).
pub(crate) async fn memberships(pool: &AnyPool, id: &str) -> Result<(Vec<String>, Vec<String>)> {
    let ctx = "reading a user's projects and clearances";
    let rows = sqlx::query(&format!(
        "SELECT m.kind, m.item FROM ({MEMBERSHIPS}) m WHERE m.user_id = $1 ORDER BY m.kind, m.item"
    ))
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(Error::db(ctx))?;
    memberships_of(&rows, ctx)
}

/// The principal a token hash stands for, with its projects and clearances, in one query
/// (every request signs in through here), and the token's expiry: `None` when no enabled
/// user holds it.
pub(crate) async fn by_token(
    pool: &AnyPool,
    hash: &str,
) -> Result<Option<(Principal, Option<String>)>> {
    let ctx = "checking a token";
    // One branch per membership table, each an indexed lookup from the token (a join on a
    // UNION ALL subquery is not flattened by SQLite: it would be built for every request).
    let rows = sqlx::query(
        "SELECT u.id, u.name, u.role, t.expires_at, 'p' AS kind, x.project_id AS item \
         FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_projects x ON x.user_id = u.id \
         WHERE t.hash = $1 AND u.disabled = 0 \
         UNION ALL \
         SELECT u.id, u.name, u.role, t.expires_at, 'c' AS kind, x.category AS item \
         FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_clearances x ON x.user_id = u.id \
         WHERE t.hash = $1 AND u.disabled = 0 \
         ORDER BY kind, item",
    )
    .bind(hash)
    .fetch_all(pool)
    .await
    .map_err(Error::db(ctx))?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let id: String = get(first, "id", ctx)?;
    let role: String = get(first, "role", ctx)?;
    let role: Role = role
        .parse()
        .map_err(|_| Error::corrupt("users", &id, "role"))?;
    let expires: Option<String> = get(first, "expires_at", ctx)?;
    let (projects, clearances) = memberships_of(&rows, ctx)?;
    let who = Principal {
        name: get(first, "name", ctx)?,
        id,
        role,
        projects,
        clearances,
    };
    Ok(Some((who, expires)))
}

/// End the session a token hash stands for (API tokens are not sessions and stay).
pub(crate) async fn end_session(pool: &AnyPool, hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM tokens WHERE hash = $1 AND kind = 'session'")
        .bind(hash)
        .execute(pool)
        .await
        .map_err(Error::db("signing out"))?;
    Ok(())
}

/// Disable an account and set its password hash (a proposed account waits disabled).
pub(crate) async fn disable_with_hash(
    pool: &AnyPool,
    id: &str,
    hash: Option<String>,
) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = 1, password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(pool)
        .await
        .map_err(Error::db("creating a user"))?;
    Ok(())
}

/// Enable an account.
pub(crate) async fn enable(pool: &AnyPool, id: &str) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = 0 WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .map_err(Error::db("enabling a user"))?;
    Ok(())
}

/// Set a password someone else chose: every session and token the user had ends with it.
pub(crate) async fn reset_password(pool: &AnyPool, id: &str, hash: &str) -> Result<()> {
    let ctx = "setting a password";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(Error::db(ctx))?;
    sqlx::query("DELETE FROM tokens WHERE user_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(Error::db("ending a user's sessions"))?;
    tx.commit().await.map_err(Error::db(ctx))
}

/// Remove an account that never held a credential (a refused proposal; it is still disabled),
/// freeing its name.
pub(crate) async fn remove_refused(pool: &AnyPool, id: &str) -> Result<()> {
    let ctx = "removing a user";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    for q in [
        "DELETE FROM user_projects WHERE user_id = $1",
        "DELETE FROM user_clearances WHERE user_id = $1",
        "DELETE FROM tokens WHERE user_id = $1",
        "DELETE FROM users WHERE id = $1 AND disabled = 1",
    ] {
        sqlx::query(q)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(Error::db(ctx))?;
    }
    tx.commit().await.map_err(Error::db(ctx))
}
