//! `projects`: a project's name, purpose and spec (what its tasks show).

use sqlx::any::AnyRow;
use sqlx::AnyPool;

use super::{execute, get, json, row, rows, to_json};
use crate::error::{Error, Result};
use crate::views::ProjectSpec;

/// A project as stored.
pub(crate) struct ProjectRow {
    /// Its id (`p_…`).
    pub(crate) id: String,
    /// Its unique name.
    pub(crate) name: String,
    /// The purpose its data serves.
    pub(crate) purpose: String,
    /// What its tasks show.
    pub(crate) spec: ProjectSpec,
}

const SELECT: &str = "SELECT id, name, purpose, spec FROM projects";

/// A project from a row holding `id`, `name`, `purpose` and `spec` (under these names, or
/// with `prefix` before each: `p_id`, ...).
pub(crate) fn decode(r: &AnyRow, prefix: &str) -> Result<ProjectRow> {
    let ctx = "reading a project";
    let id: String = get(r, &format!("{prefix}id"), ctx)?;
    let spec: String = get(r, &format!("{prefix}spec"), ctx)?;
    Ok(ProjectRow {
        name: get(r, &format!("{prefix}name"), ctx)?,
        purpose: get(r, &format!("{prefix}purpose"), ctx)?,
        spec: json(&spec, "projects", &id, "spec")?,
        id,
    })
}

/// The project `id`, if it exists.
pub(crate) async fn get_one(pool: &AnyPool, id: &str) -> Result<Option<ProjectRow>> {
    let sql = format!("{SELECT} WHERE id = $1");
    row(pool, sqlx::query(&sql).bind(id), "reading a project", |r| {
        decode(r, "")
    })
    .await
}

/// Every project, oldest first.
pub(crate) async fn all(pool: &AnyPool) -> Result<Vec<ProjectRow>> {
    rows(
        pool,
        sqlx::query(&format!("{SELECT} ORDER BY created_at, name")),
        "listing projects",
        |r| decode(r, ""),
    )
    .await
}

/// Create a project; a name already taken is a conflict.
pub(crate) async fn insert(
    pool: &AnyPool,
    id: &str,
    name: &str,
    purpose: &str,
    spec: &ProjectSpec,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO projects (id, name, purpose, spec, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(name)
    .bind(purpose)
    .bind(to_json(spec, "a project spec")?)
    .bind(scrim_store::now())
    .execute(pool)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::Conflict(format!("a project named {name} exists"))
        }
        _ => Error::Db {
            context: "creating a project".into(),
            source: e,
        },
    })?;
    Ok(())
}

/// Replace a project's spec.
pub(crate) async fn set_spec(pool: &AnyPool, id: &str, spec: &ProjectSpec) -> Result<()> {
    let q = sqlx::query("UPDATE projects SET spec = $1 WHERE id = $2")
        .bind(to_json(spec, "a project spec")?)
        .bind(id);
    execute(pool, q, "updating a project").await?;
    Ok(())
}
