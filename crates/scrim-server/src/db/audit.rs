//! `audit` and `audit_anchor`: the hash-chained log and its signed head. The chain itself
//! (what each MAC covers) is `crate::audit`'s; this module only stores and reads rows.

use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Transaction};

use super::{execute, get, row, rows};
use crate::audit::{Entry, Query, Stored};
use crate::error::{Error, Result};

/// Rows per multi-row INSERT (12 parameters each: well under SQLite's and PostgreSQL's limits
/// on bound parameters): a batch costs a few round trips, not one per entry, so the writer
/// holds the write lock briefly (the gateway's tail under load).
const INSERT_ROWS: usize = 128;

/// `($1, $2, …), (…)` for `rows` rows of `cols` columns.
pub(crate) fn row_placeholders(rows: usize, cols: usize) -> String {
    let row = |r: usize| {
        let cells: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
        format!("({})", cells.join(", "))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// An entry chained and ready to store.
pub(crate) struct Chained<'a> {
    /// Its number.
    pub(crate) seq: i64,
    /// When.
    pub(crate) at: String,
    /// The entry.
    pub(crate) entry: &'a Entry,
    /// Its fields in canonical JSON.
    pub(crate) fields: String,
    /// The MAC of the entry before it.
    pub(crate) prev: String,
    /// Its MAC.
    pub(crate) mac: String,
}

/// Append chained entries and move the anchor to the last one, in one transaction taken
/// with the write lock first (SQLite: `BEGIN IMMEDIATE`, so a second writer waits its turn
/// instead of failing when its read of the head turns into a write). `chain` numbers and
/// MACs the entries after the head it is given; `anchor` MACs the new head.
pub(crate) async fn append<'e>(
    pool: &AnyPool,
    chain: impl FnOnce(i64, String) -> Vec<Chained<'e>>,
    anchor: impl FnOnce(i64, &str) -> String,
) -> Result<(i64, String)> {
    use sqlx::Connection as _;
    let ctx = "auditing";
    let mut conn = pool.acquire().await.map_err(Error::db(ctx))?;
    let begin = if conn.backend_name() == "SQLite" {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    };
    let mut tx = conn.begin_with(begin).await.map_err(Error::db(ctx))?;
    let (seq, prev) = head(&mut *tx)
        .await?
        .unwrap_or((0, crate::audit::GENESIS.to_string()));
    let rows = chain(seq, prev.clone());
    let (last, mac) = rows.last().map_or((seq, prev), |c| (c.seq, c.mac.clone()));
    for chunk in rows.chunks(INSERT_ROWS) {
        insert(&mut tx, chunk).await?;
    }
    let q = sqlx::query(
        "INSERT INTO audit_anchor (id, seq, head, mac) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, head = excluded.head, mac = excluded.mac",
    )
    .bind(last)
    .bind(&mac)
    .bind(anchor(last, &mac));
    execute(&mut *tx, q, ctx).await?;
    tx.commit().await.map_err(Error::db(ctx))?;
    Ok((last, mac))
}

async fn insert(tx: &mut Transaction<'_, Any>, chunk: &[Chained<'_>]) -> Result<()> {
    let sql = format!(
        "INSERT INTO audit (seq, at, actor, role, project, purpose, action, record, fields, decision, prev, mac) VALUES {}",
        row_placeholders(chunk.len(), 12)
    );
    let mut q = sqlx::query(&sql);
    for c in chunk {
        let e = c.entry;
        q = q
            .bind(c.seq)
            .bind(&c.at)
            .bind(&e.actor)
            .bind(&e.role)
            .bind(e.project.clone())
            .bind(e.purpose.clone())
            .bind(&e.action)
            .bind(e.record.clone())
            .bind(&c.fields)
            .bind(&e.decision)
            .bind(&c.prev)
            .bind(&c.mac);
    }
    q.execute(&mut **tx).await.map_err(Error::db("auditing"))?;
    Ok(())
}

/// The newest entry's number and MAC, if the log has any (inside a write's transaction, or
/// on the pool).
pub(crate) async fn head<'e>(
    on: impl sqlx::Executor<'e, Database = Any>,
) -> Result<Option<(i64, String)>> {
    let ctx = "reading the audit head";
    let q = sqlx::query("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1");
    row(on, q, ctx, |r| {
        Ok((get(r, "seq", ctx)?, get(r, "mac", ctx)?))
    })
    .await
}

/// An entry as stored, with the text its MAC was checked against.
pub(crate) struct ChainRow {
    /// The entry, parsed.
    pub(crate) stored: Stored,
    /// Its `fields` column as stored.
    pub(crate) fields_text: String,
    /// The MAC of the entry before it, as stored.
    pub(crate) prev: String,
    /// Its MAC, as stored.
    pub(crate) mac: String,
}

const COLUMNS: &str = "seq, at, actor, role, project, purpose, action, record, fields, decision";

fn text(r: &AnyRow, col: &str) -> Result<String> {
    get::<Option<String>>(r, col, "reading the audit log").map(Option::unwrap_or_default)
}

/// An entry from a row holding [`COLUMNS`]. A `fields` column that is not a JSON list reads
/// as empty here; verification compares the stored text, so such an edit shows there.
fn stored(r: &AnyRow) -> Result<Stored> {
    let opt = |col: &str| get::<Option<String>>(r, col, "reading the audit log");
    Ok(Stored {
        seq: get(r, "seq", "reading the audit log")?,
        at: text(r, "at")?,
        entry: Entry {
            actor: text(r, "actor")?,
            role: text(r, "role")?,
            project: opt("project")?,
            purpose: opt("purpose")?,
            action: text(r, "action")?,
            record: opt("record")?,
            fields: serde_json::from_str(&text(r, "fields")?).unwrap_or_default(),
            decision: text(r, "decision")?,
        },
    })
}

/// Every entry, in order.
pub(crate) async fn chain(pool: &AnyPool) -> Result<Vec<ChainRow>> {
    rows(
        pool,
        sqlx::query(&format!(
            "SELECT {COLUMNS}, prev, mac FROM audit ORDER BY seq"
        )),
        "reading the audit log",
        |r| {
            Ok(ChainRow {
                stored: stored(r)?,
                fields_text: text(r, "fields")?,
                prev: text(r, "prev")?,
                mac: text(r, "mac")?,
            })
        },
    )
    .await
}

/// The anchor: the head's number, its MAC, and the anchor's own MAC.
pub(crate) async fn anchor(pool: &AnyPool) -> Result<Option<(i64, String, String)>> {
    let ctx = "reading the audit anchor";
    let q = sqlx::query("SELECT seq, head, mac FROM audit_anchor WHERE id = 1");
    row(pool, q, ctx, |a| {
        Ok((
            get(a, "seq", ctx)?,
            get(a, "head", ctx)?,
            get(a, "mac", ctx)?,
        ))
    })
    .await
}

/// The MAC of entry `seq`, if the log holds it.
pub(crate) async fn mac_of(pool: &AnyPool, seq: i64) -> Result<Option<String>> {
    let ctx = "reading the audit log";
    let q = sqlx::query("SELECT mac FROM audit WHERE seq = $1").bind(seq);
    row(pool, q, ctx, |r| get(r, "mac", ctx)).await
}

/// How many rows each of the tables that every writer also audits holds.
pub(crate) async fn activity(pool: &AnyPool) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for table in ["users", "tokens", "projects", "tasks"] {
        let r = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(pool)
            .await
            .map_err(Error::db("reading the store's activity"))?;
        out.push((table, get(&r, "n", "reading the store's activity")?));
    }
    Ok(out)
}

/// Search the log, newest first.
pub(crate) async fn search(pool: &AnyPool, q: &Query) -> Result<Vec<Stored>> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    for (col, v) in [
        ("actor", &q.actor),
        ("action", &q.action),
        ("project", &q.project),
        ("record", &q.record),
    ] {
        if let Some(v) = v {
            binds.push(v.clone());
            sql.push_str(&format!(" AND {col} = ${}", binds.len()));
        }
    }
    if let Some(d) = &q.decision {
        binds.push(format!("{d}%"));
        sql.push_str(&format!(" AND decision LIKE ${}", binds.len()));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    sql.push_str(&format!(" ORDER BY seq DESC LIMIT {limit}"));
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b.as_str());
    }
    let rows = query
        .fetch_all(pool)
        .await
        .map_err(Error::db("searching the audit log"))?;
    rows.iter().map(stored).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_cell_of_every_row() {
        assert_eq!(row_placeholders(1, 2), "($1, $2)");
        assert_eq!(row_placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
