//! `users` (with `user_projects`, `user_clearances` and `tokens`): accounts, what they may
//! reach, and the hashed tokens that stand for them.

use sqlx::any::AnyRow;
use sqlx::AnyPool;

use super::{execute, get, row, rows};
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
    rows(
        pool,
        sqlx::query("SELECT id, name, role, disabled FROM users ORDER BY name"),
        "listing users",
        decode,
    )
    .await
}

/// The account `id`, if it exists.
pub(crate) async fn get_one(pool: &AnyPool, id: &str) -> Result<Option<UserRow>> {
    let q = sqlx::query("SELECT id, name, role, disabled FROM users WHERE id = $1").bind(id);
    row(pool, q, "reading a user", decode).await
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
    let q = sqlx::query("DELETE FROM tokens WHERE hash = $1 AND kind = 'session'").bind(hash);
    execute(pool, q, "signing out").await?;
    Ok(())
}

/// Disable an account and set its password hash (a proposed account waits disabled).
pub(crate) async fn disable_with_hash(
    pool: &AnyPool,
    id: &str,
    hash: Option<String>,
) -> Result<()> {
    let q = sqlx::query("UPDATE users SET disabled = 1, password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id);
    execute(pool, q, "creating a user").await?;
    Ok(())
}

/// Enable an account.
pub(crate) async fn enable(pool: &AnyPool, id: &str) -> Result<()> {
    let q = sqlx::query("UPDATE users SET disabled = 0 WHERE id = $1").bind(id);
    execute(pool, q, "enabling a user").await?;
    Ok(())
}

/// Set a password someone else chose: every session and token the user had ends with it.
pub(crate) async fn reset_password(pool: &AnyPool, id: &str, hash: &str) -> Result<()> {
    let ctx = "setting a password";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    let q = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id);
    execute(&mut *tx, q, ctx).await?;
    let q = sqlx::query("DELETE FROM tokens WHERE user_id = $1").bind(id);
    execute(&mut *tx, q, "ending a user's sessions").await?;
    tx.commit().await.map_err(Error::db(ctx))
}

/// Remove an account that never held a credential (a refused proposal; it is still disabled),
/// freeing its name.
pub(crate) async fn remove_refused(pool: &AnyPool, id: &str) -> Result<()> {
    let ctx = "removing a user";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    for sql in [
        "DELETE FROM user_projects WHERE user_id = $1",
        "DELETE FROM user_clearances WHERE user_id = $1",
        "DELETE FROM tokens WHERE user_id = $1",
        "DELETE FROM users WHERE id = $1 AND disabled = 1",
    ] {
        execute(&mut *tx, sqlx::query(sql).bind(id), ctx).await?;
    }
    tx.commit().await.map_err(Error::db(ctx))
}

/// Store a token's hash for a user (`kind`: `api` or `session`), expiring at `expires`.
pub(crate) async fn insert_token(
    pool: &AnyPool,
    hash: &str,
    user: &str,
    kind: &str,
    expires: Option<String>,
) -> Result<()> {
    let q = sqlx::query(
        "INSERT INTO tokens (hash, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash)
    .bind(user)
    .bind(kind)
    .bind(scrim_store::now())
    .bind(expires);
    execute(pool, q, "issuing a token").await?;
    Ok(())
}

/// An enabled account found by name for signing in, with its password hash (if it has one).
pub(crate) async fn for_sign_in(
    pool: &AnyPool,
    name: &str,
) -> Result<Option<(UserRow, Option<String>)>> {
    let ctx = "signing in";
    let q = sqlx::query(
        "SELECT id, name, role, disabled, password_hash FROM users WHERE name = $1 AND disabled = 0",
    )
    .bind(name);
    row(pool, q, ctx, |r| {
        Ok((decode(r)?, get(r, "password_hash", ctx)?))
    })
    .await
}

/// An account to create, with its projects and clearances.
pub(crate) struct NewAccount<'a> {
    /// Its id.
    pub(crate) id: &'a str,
    /// Its unique name.
    pub(crate) name: &'a str,
    /// Its role.
    pub(crate) role: Role,
    /// Its password hash, if it has a password.
    pub(crate) hash: Option<String>,
    /// Its projects.
    pub(crate) projects: &'a [String],
    /// Its clearances.
    pub(crate) clearances: &'a [String],
}

/// Create an account in one transaction; a name already taken is a conflict.
pub(crate) async fn insert(pool: &AnyPool, a: NewAccount<'_>) -> Result<()> {
    let ctx = "creating a user";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    sqlx::query(
        "INSERT INTO users (id, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(a.id)
    .bind(a.name)
    .bind(a.role.as_str())
    .bind(a.hash)
    .bind(scrim_store::now())
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::Conflict(format!("a user named {} exists", a.name))
        }
        _ => Error::Db {
            context: ctx.to_string(),
            source: e,
        },
    })?;
    add_projects(&mut tx, a.id, a.projects).await?;
    add_clearances(&mut tx, a.id, a.clearances).await?;
    tx.commit().await.map_err(Error::db(ctx))
}

type Tx<'t> = sqlx::Transaction<'t, sqlx::Any>;

async fn add_projects(tx: &mut Tx<'_>, id: &str, projects: &[String]) -> Result<()> {
    let sql = "INSERT INTO user_projects (user_id, project_id) VALUES ($1, $2)";
    add_each(tx, sql, id, projects, "adding a user to a project").await
}

async fn add_clearances(tx: &mut Tx<'_>, id: &str, clearances: &[String]) -> Result<()> {
    let sql = "INSERT INTO user_clearances (user_id, category) VALUES ($1, $2)";
    add_each(tx, sql, id, clearances, "clearing a user").await
}

/// Run `sql` once for each of `values`, `$1` the account `id` and `$2` the value.
async fn add_each(
    tx: &mut Tx<'_>,
    sql: &str,
    id: &str,
    values: &[String],
    ctx: &'static str,
) -> Result<()> {
    for v in values {
        execute(&mut **tx, sqlx::query(sql).bind(id).bind(v), ctx).await?;
    }
    Ok(())
}

async fn exec(tx: &mut Tx<'_>, sql: &str, id: &str, ctx: &'static str) -> Result<u64> {
    execute(&mut **tx, sqlx::query(sql).bind(id), ctx).await
}

/// A change to an account (`None`: unchanged).
pub(crate) struct AccountChange<'a> {
    /// Disable (revoking every token and session) or enable.
    pub(crate) disabled: Option<bool>,
    /// A new password hash (revoking every token and session).
    pub(crate) hash: Option<String>,
    /// The account's projects, replaced.
    pub(crate) projects: Option<&'a [String]>,
    /// The account's clearances, replaced.
    pub(crate) clearances: Option<&'a [String]>,
}

/// Apply a change in one transaction; the names of what changed (`tokens` when they were
/// revoked by a new password). An unknown id is not found.
pub(crate) async fn update(pool: &AnyPool, id: &str, c: AccountChange<'_>) -> Result<Vec<String>> {
    let ctx = "changing a user";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    let exists = sqlx::query("SELECT 1 AS one FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(Error::db(ctx))?
        .is_some();
    if !exists {
        return Err(Error::NotFound(format!("no user {id}")));
    }
    let mut changed = Vec::new();
    let revoke = "DELETE FROM tokens WHERE user_id = $1";
    if let Some(d) = c.disabled {
        let q = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(d))
            .bind(id);
        execute(&mut *tx, q, ctx).await?;
        if d {
            exec(&mut tx, revoke, id, "revoking a user's tokens").await?;
        }
        changed.push(if d { "disabled" } else { "enabled" }.to_string());
    }
    if let Some(h) = c.hash {
        set_hash(&mut tx, id, &h).await?;
        exec(&mut tx, revoke, id, "revoking a user's tokens").await?;
        changed.extend(["password".to_string(), "tokens".to_string()]);
    }
    if let Some(ps) = c.projects {
        let sql = "DELETE FROM user_projects WHERE user_id = $1";
        exec(&mut tx, sql, id, "changing a user's projects").await?;
        add_projects(&mut tx, id, ps).await?;
        changed.push("projects".to_string());
    }
    if let Some(cs) = c.clearances {
        let sql = "DELETE FROM user_clearances WHERE user_id = $1";
        exec(&mut tx, sql, id, "changing a user's clearances").await?;
        add_clearances(&mut tx, id, cs).await?;
        changed.push("clearances".to_string());
    }
    tx.commit().await.map_err(Error::db(ctx))?;
    Ok(changed)
}

async fn set_hash(tx: &mut Tx<'_>, id: &str, hash: &str) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(Error::db("changing a password"))?
            .rows_affected(),
    )
}

/// A user's own new password hash: set it and revoke their API tokens and every session but
/// `keep` (a session's token hash). Returns how many were revoked.
pub(crate) async fn set_own_password(
    pool: &AnyPool,
    id: &str,
    hash: &str,
    keep: Option<&str>,
) -> Result<u64> {
    let ctx = "changing a password";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    if set_hash(&mut tx, id, hash).await? != 1 {
        return Err(Error::NotFound(format!("no user {id}")));
    }
    let revoked = sqlx::query(
        "DELETE FROM tokens WHERE user_id = $1 AND NOT (kind = 'session' AND hash = $2)",
    )
    .bind(id)
    .bind(keep.unwrap_or_default())
    .execute(&mut *tx)
    .await
    .map_err(Error::db("revoking a user's tokens"))?
    .rows_affected();
    tx.commit().await.map_err(Error::db(ctx))?;
    Ok(revoked)
}
