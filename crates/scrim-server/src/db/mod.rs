//! All of the gateway's SQL, one file per table it owns: every query the handlers need is a
//! function here, rows are decoded by column name, and a stored value that cannot be read as
//! what it must be is an [`Error::Corrupt`](crate::Error) (fail closed), never a default.
//! Queries are written once for SQLite and PostgreSQL (sqlx's `Any` driver, `$n` binds).
//!
//! - [`projects`]: projects and their specs.
//! - [`tasks`]: review tasks, their ratings and flags, and the figures over them.
//! - [`denylist`]: values flagged project-wide, sealed.
//! - [`users`]: accounts, their projects and clearances, tokens.
//! - [`approvals`]: proposals waiting for a privacy officer.
//! - [`alerts`]: what privacy officers are told.
//! - [`audit`]: the hash-chained log and its anchor (the chain itself is `crate::audit`'s).

pub(crate) mod alerts;
pub(crate) mod approvals;
pub(crate) mod audit;
pub(crate) mod denylist;
pub(crate) mod projects;
pub(crate) mod tasks;
pub(crate) mod users;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Row};

use crate::error::{Error, Result};

/// Every row `query` answers, each decoded by `row`; `ctx` names what is read (in the error).
pub(crate) async fn rows<'q, T>(
    pool: &AnyPool,
    query: Query<'q, Any, AnyArguments<'q>>,
    ctx: &'static str,
    row: impl FnMut(&AnyRow) -> Result<T>,
) -> Result<Vec<T>> {
    query
        .fetch_all(pool)
        .await
        .map_err(Error::db(ctx))?
        .iter()
        .map(row)
        .collect()
}

/// The row `query` answers, if any, decoded by `decode`; on a pool or in a transaction. `ctx`
/// names what is read (in the error).
pub(crate) async fn row<'q, 'c, E, T>(
    on: E,
    query: Query<'q, Any, AnyArguments<'q>>,
    ctx: &'static str,
    decode: impl FnOnce(&AnyRow) -> Result<T>,
) -> Result<Option<T>>
where
    E: sqlx::Executor<'c, Database = Any> + 'q,
    'c: 'q,
{
    query
        .fetch_optional(on)
        .await
        .map_err(Error::db(ctx))?
        .map(|r| decode(&r))
        .transpose()
}

/// Run `query`, a statement, on a pool or in a transaction; `ctx` names what it does (in the error). Returns how many rows it
/// changed.
pub(crate) async fn execute<'q, 'c, E>(
    on: E,
    query: Query<'q, Any, AnyArguments<'q>>,
    ctx: &'static str,
) -> Result<u64>
where
    E: sqlx::Executor<'c, Database = Any> + 'q,
    'c: 'q,
{
    let done = query.execute(on).await.map_err(Error::db(ctx))?;
    Ok(done.rows_affected())
}

/// Column `col` of `row`, or a database error naming what was being read.
pub(crate) fn get<'r, T>(row: &'r AnyRow, col: &str, ctx: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(col).map_err(Error::db(ctx))
}

/// A JSON column of a row of `table` (id `id`) decoded as `T`; unreadable is corrupt. The
/// error names the column and the position, never the stored value (serde's own messages
/// can quote it).
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    text: &str,
    table: &'static str,
    id: &str,
    col: &str,
) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        let what = format!(
            "{col}: {:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        );
        Error::corrupt(table, id, what)
    })
}

/// A value as stored in a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(v: &T, what: &'static str) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Config(format!("encoding {what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_column_is_corrupt_and_quotes_nothing() {
        let e = json::<Vec<String>>(r#"["ok", 4155550123]"#, "tasks", "t_1", "categories")
            .err()
            .map(|e| {
                (
                    matches!(&e, Error::Corrupt { table: "tasks", id, .. } if id == "t_1"),
                    e.to_string(),
                )
            })
            .unwrap_or_default();
        assert!(e.0, "{}", e.1);
        assert!(e.1.contains("categories"), "{}", e.1);
        assert!(!e.1.contains("4155550123"), "{}", e.1);
        let e = json::<u32>(r#""Alice Example""#, "tasks", "t_2", "facts")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!e.is_empty() && !e.contains("Alice"), "{e}");
    }
}
