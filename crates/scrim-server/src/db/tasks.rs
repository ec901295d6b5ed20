//! `tasks` (with `ratings` and `flags`): a conversation's reviewer view in a project, its
//! state, and what reviewers said of it.

use std::collections::BTreeMap;

use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::AnyPool;

use super::projects::{self, ProjectRow};
use super::{denylist, execute, get, json, row, rows, to_json};
use crate::error::{Error, Result};
use scrim_store::crypto::Sealed;

/// Where a task is in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskStatus {
    /// Waiting for a reviewer.
    Open,
    /// Claimed by a reviewer (`assigned_to`).
    Assigned,
    /// Rated.
    Done,
    /// Skipped by its reviewer.
    Skipped,
}

impl TaskStatus {
    const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::Assigned,
        TaskStatus::Done,
        TaskStatus::Skipped,
    ];

    /// The stored name (also the API's).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Assigned => "assigned",
            TaskStatus::Done => "done",
            TaskStatus::Skipped => "skipped",
        }
    }

    fn parse(s: &str, id: &str) -> Result<TaskStatus> {
        TaskStatus::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| Error::corrupt("tasks", id, "status"))
    }
}

/// A task as stored.
pub(crate) struct TaskRow {
    /// Its id (`t_…`).
    pub(crate) id: String,
    /// Its project's id.
    pub(crate) project: String,
    /// Its subject's lineage id, when the conversation named one.
    pub(crate) subject: Option<String>,
    /// The reviewer view (redacted, allow-listed).
    pub(crate) view: Value,
    /// The sensitive categories it is routed by.
    pub(crate) routed: Vec<String>,
    /// Where it is in review.
    pub(crate) status: TaskStatus,
    /// The reviewer holding it.
    pub(crate) assigned_to: Option<String>,
}

const COLUMNS: &str =
    "t.id, t.project_id, t.subject_lid, t.view, t.categories, t.status, t.assigned_to";

fn decode(r: &AnyRow) -> Result<TaskRow> {
    let ctx = "reading a task";
    let id: String = get(r, "id", ctx)?;
    let view: String = get(r, "view", ctx)?;
    let routed: String = get(r, "categories", ctx)?;
    let status: String = get(r, "status", ctx)?;
    Ok(TaskRow {
        project: get(r, "project_id", ctx)?,
        subject: get(r, "subject_lid", ctx)?,
        view: json(&view, "tasks", &id, "view")?,
        // Unreadable routing must not open the task to everyone: fail closed.
        routed: json(&routed, "tasks", &id, "categories")?,
        status: TaskStatus::parse(&status, &id)?,
        assigned_to: get(r, "assigned_to", ctx)?,
        id,
    })
}

/// The task `id`, if it exists.
pub(crate) async fn get_one(pool: &AnyPool, id: &str) -> Result<Option<TaskRow>> {
    let sql = format!("SELECT {COLUMNS} FROM tasks t WHERE t.id = $1");
    row(pool, sqlx::query(&sql).bind(id), "reading a task", decode).await
}

/// The task `id` and its project, in one query (every task read starts here).
pub(crate) async fn with_project(
    pool: &AnyPool,
    id: &str,
) -> Result<Option<(TaskRow, ProjectRow)>> {
    let sql = format!(
        "SELECT {COLUMNS}, p.id AS p_id, p.name AS p_name, p.purpose AS p_purpose, p.spec AS p_spec \
         FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = $1"
    );
    row(pool, sqlx::query(&sql).bind(id), "reading a task", |r| {
        Ok((decode(r)?, projects::decode(r, "p_")?))
    })
    .await
}

/// A task in a list: its id, its subject's lineage id, its routing as stored.
pub(crate) struct Listed {
    /// Task id.
    pub(crate) id: String,
    /// Subject lineage id.
    pub(crate) subject: Option<String>,
    /// Routing categories (JSON as stored: undecodable is offered to nobody).
    pub(crate) routed: String,
    /// Position in the project.
    pub(crate) seq: i64,
}

fn listed(r: &AnyRow) -> Result<Listed> {
    let ctx = "finding a task";
    Ok(Listed {
        id: get(r, "id", ctx)?,
        subject: get(r, "subject_lid", ctx)?,
        routed: get(r, "categories", ctx)?,
        seq: get(r, "seq", ctx)?,
    })
}

/// The tasks `user` holds in `project`, oldest first (at most 50).
pub(crate) async fn held(pool: &AnyPool, project: &str, user: &str) -> Result<Vec<Listed>> {
    rows(
        pool,
        sqlx::query(
            "SELECT id, subject_lid, categories, seq FROM tasks \
         WHERE project_id = $1 AND status = 'assigned' AND assigned_to = $2 ORDER BY seq LIMIT 50",
        )
        .bind(project)
        .bind(user),
        "finding a task",
        listed,
    )
    .await
}

/// Up to 200 open tasks of `project` after position `after`, in order.
pub(crate) async fn open_after(pool: &AnyPool, project: &str, after: i64) -> Result<Vec<Listed>> {
    rows(
        pool,
        sqlx::query(
            "SELECT id, subject_lid, categories, seq FROM tasks \
         WHERE project_id = $1 AND status = 'open' AND seq > $2 ORDER BY seq LIMIT 200",
        )
        .bind(project)
        .bind(after),
        "finding a task",
        listed,
    )
    .await
}

/// Claim an open task for `user`; false when someone else was first.
pub(crate) async fn claim(pool: &AnyPool, id: &str, user: &str) -> Result<bool> {
    let q = sqlx::query(
        "UPDATE tasks SET status = 'assigned', assigned_to = $1, assigned_at = $2 WHERE id = $3 AND status = 'open'",
    )
    .bind(user)
    .bind(scrim_store::now())
    .bind(id);
    let done = execute(pool, q, "assigning a task").await?;
    Ok(done == 1)
}

/// A task to store.
pub(crate) struct NewTask<'a> {
    /// Its id.
    pub(crate) id: &'a str,
    /// Its project.
    pub(crate) project: &'a str,
    /// The conversation's lineage id.
    pub(crate) conversation: &'a str,
    /// The subject's lineage id.
    pub(crate) subject: Option<String>,
    /// The reviewer view.
    pub(crate) view: &'a Value,
    /// The profile facts (JSON).
    pub(crate) facts: String,
    /// The routing categories.
    pub(crate) routed: &'a [String],
}

/// Store an open task at the end of its project.
pub(crate) async fn insert(pool: &AnyPool, t: NewTask<'_>) -> Result<()> {
    let seq: i64 =
        sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM tasks WHERE project_id = $1")
            .bind(t.project)
            .fetch_one(pool)
            .await
            .and_then(|r| sqlx::Row::try_get(&r, "next"))
            .map_err(Error::db("numbering a task"))?;
    let q = sqlx::query(
        "INSERT INTO tasks (id, project_id, seq, conversation_lid, subject_lid, view, facts, categories, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9)",
    )
    .bind(t.id)
    .bind(t.project)
    .bind(seq)
    .bind(t.conversation)
    .bind(t.subject)
    .bind(t.view.to_string())
    .bind(t.facts)
    .bind(to_json(&t.routed, "a task's routing")?)
    .bind(scrim_store::now());
    execute(pool, q, "storing a task").await?;
    Ok(())
}

/// Record `user`'s rating (replacing an earlier one) and mark the task done.
pub(crate) async fn rate(pool: &AnyPool, id: &str, user: &str, rating: &str) -> Result<()> {
    let ctx = "rating a task";
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    let q = sqlx::query(
        "INSERT INTO ratings (task_id, user_id, rating, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (task_id, user_id) DO UPDATE SET rating = excluded.rating, at = excluded.at",
    )
    .bind(id)
    .bind(user)
    .bind(rating)
    .bind(scrim_store::now());
    execute(&mut *tx, q, ctx).await?;
    let q = sqlx::query("UPDATE tasks SET status = 'done' WHERE id = $1").bind(id);
    execute(&mut *tx, q, ctx).await?;
    tx.commit().await.map_err(Error::db(ctx))
}

/// A reviewer's flag on a task.
pub(crate) struct Flag<'a> {
    /// The task.
    pub(crate) task: &'a TaskRow,
    /// The reviewer.
    pub(crate) user: &'a str,
    /// Which message, and the flagged range in code points.
    pub(crate) message: usize,
    /// Start (code points).
    pub(crate) start: usize,
    /// End (code points).
    pub(crate) end: usize,
}

/// Store a flag with the task's new view, and (when given) the flagged value for the whole
/// project's deny list as `(keyed hash, sealed value)`, in one transaction.
pub(crate) async fn flag(
    pool: &AnyPool,
    f: Flag<'_>,
    deny: Option<(String, Sealed)>,
) -> Result<()> {
    let ctx = "flagging";
    let at = scrim_store::now();
    let mut tx = pool.begin().await.map_err(Error::db(ctx))?;
    let q = sqlx::query("UPDATE tasks SET view = $1 WHERE id = $2")
        .bind(f.task.view.to_string())
        .bind(&f.task.id);
    execute(&mut *tx, q, ctx).await?;
    let q = sqlx::query(
        "INSERT INTO flags (task_id, project_id, user_id, message, start_cp, end_cp, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&f.task.id)
    .bind(&f.task.project)
    .bind(f.user)
    .bind(f.message as i64)
    .bind(f.start as i64)
    .bind(f.end as i64)
    .bind(&at);
    execute(&mut *tx, q, ctx).await?;
    if let Some((hash, sealed)) = deny {
        denylist::add(&mut tx, &f.task.project, &hash, sealed, &at).await?;
    }
    tx.commit().await.map_err(Error::db(ctx))
}

/// Set a task's status.
pub(crate) async fn set_status(pool: &AnyPool, id: &str, status: TaskStatus) -> Result<()> {
    let q = sqlx::query("UPDATE tasks SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(id);
    execute(pool, q, "changing a task's status").await?;
    Ok(())
}

/// The views of a project's tasks not yet reviewed, as stored (id, view JSON).
pub(crate) async fn waiting_views(pool: &AnyPool, project: &str) -> Result<Vec<(String, String)>> {
    let ctx = "re-redacting waiting tasks";
    rows(
        pool,
        sqlx::query(
            "SELECT id, view FROM tasks WHERE project_id = $1 AND status IN ('open', 'assigned')",
        )
        .bind(project),
        ctx,
        |r| Ok((get(r, "id", ctx)?, get(r, "view", ctx)?)),
    )
    .await
}

/// Replace a task's view.
pub(crate) async fn set_view(pool: &AnyPool, id: &str, view: &Value) -> Result<()> {
    let q = sqlx::query("UPDATE tasks SET view = $1 WHERE id = $2")
        .bind(view.to_string())
        .bind(id);
    execute(pool, q, "re-redacting waiting tasks").await?;
    Ok(())
}

/// A project's population for k-anonymity: (task id, subject lineage id, facts JSON), in
/// task order.
pub(crate) async fn population(
    pool: &AnyPool,
    project: &str,
) -> Result<Vec<(String, Option<String>, String)>> {
    let ctx = "reading a project's population";
    rows(
        pool,
        sqlx::query("SELECT id, subject_lid, facts FROM tasks WHERE project_id = $1 ORDER BY seq")
            .bind(project),
        ctx,
        |r| {
            Ok((
                get(r, "id", ctx)?,
                get(r, "subject_lid", ctx)?,
                get(r, "facts", ctx)?,
            ))
        },
    )
    .await
}

/// A project's review figures.
pub(crate) struct Figures {
    /// Tasks by status.
    pub(crate) by_status: BTreeMap<String, i64>,
    /// Flags raised.
    pub(crate) flags: i64,
    /// Tasks with at least one flag.
    pub(crate) flagged_tasks: i64,
}

/// Count a project's tasks by status, and its flags.
pub(crate) async fn figures(pool: &AnyPool, project: &str) -> Result<Figures> {
    let ctx = "counting tasks";
    let mut by_status = BTreeMap::new();
    for r in
        sqlx::query("SELECT status, COUNT(*) AS n FROM tasks WHERE project_id = $1 GROUP BY status")
            .bind(project)
            .fetch_all(pool)
            .await
            .map_err(Error::db(ctx))?
    {
        by_status.insert(get(&r, "status", ctx)?, get(&r, "n", ctx)?);
    }
    let r = sqlx::query(
        "SELECT COUNT(*) AS flags, COUNT(DISTINCT task_id) AS flagged FROM flags WHERE project_id = $1",
    )
    .bind(project)
    .fetch_one(pool)
    .await
    .map_err(Error::db("counting flags"))?;
    Ok(Figures {
        by_status,
        flags: get(&r, "flags", "counting flags")?,
        flagged_tasks: get(&r, "flagged", "counting flags")?,
    })
}

/// A rated task for export.
pub(crate) struct Rated {
    /// Task id.
    pub(crate) id: String,
    /// Its view.
    pub(crate) view: Value,
    /// Its rating.
    pub(crate) rating: Value,
    /// Its subject's lineage id.
    pub(crate) subject: Option<String>,
}

/// A project's rated tasks, in order.
pub(crate) async fn rated(pool: &AnyPool, project: &str) -> Result<Vec<Rated>> {
    let ctx = "exporting";
    rows(pool, sqlx::query(
        "SELECT t.id, t.view, r.rating, t.subject_lid FROM tasks t JOIN ratings r ON r.task_id = t.id \
         WHERE t.project_id = $1 AND t.status = 'done' ORDER BY t.seq",
    )
    .bind(project), ctx, |r| {
            let id: String = get(r, "id", ctx)?;
            let view: String = get(r, "view", ctx)?;
            let rating: String = get(r, "rating", ctx)?;
            Ok(Rated {
                view: json(&view, "tasks", &id, "view")?,
                rating: json(&rating, "ratings", &id, "rating")?,
                subject: get(r, "subject_lid", ctx)?,
                id,
            })
        }).await
}
