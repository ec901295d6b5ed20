//! Tasks: which one a reviewer gets next, what a reviewer sees of it (the stored view and
//! the subject's facts generalized to k), and rating, flagging and skipping it. Consent is
//! checked at every use: a subject who took the purpose back has no task served or read.

use serde::Deserialize;
use serde_json::{json, Value};

use super::projects::res_project;
use super::{entry, poisoned, Allowed, Audited, Gateway};
use crate::audit::{Decision, Denial};
use crate::authz::{Action, Principal, Resource, Role};
use crate::db::{self, projects::ProjectRow, tasks::TaskRow};
use crate::error::{Error, Result};
use crate::views;

/// A reviewer's flag: which message, and the range in code points.
#[derive(Deserialize)]
pub(crate) struct FlagBody {
    message: usize,
    start: usize,
    end: usize,
}

impl Gateway {
    /// The task `who` reviews next in project `id` (`None`: nothing left for them).
    pub(crate) async fn next_task(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Audited<Option<Value>>> {
        let p = self.project(id).await?;
        let res = res_project(&p);
        let allowed = self
            .authorize(who, Action::TaskNext, res.clone(), None)
            .await?;
        self.pace(who, Action::TaskNext, &res).await?;
        self.follow_withdrawals().await?;
        let Some(t) = self.choose_task(who, &p).await? else {
            let done = allowed.audit(self, None, vec![]).await?;
            return Ok(done.with(None));
        };
        let (v, fields) = self.shown(&t, &p).await?;
        // The task shown is a read of that task: Cedar decides it as one.
        let done = self
            .authorize(who, Action::TaskRead, res_task(&t, &p), Some(&t.id))
            .await?
            .audit(self, Some(&t.id), fields)
            .await?;
        Ok(done.with(Some(v)))
    }

    /// A task as `who` may see it.
    pub(crate) async fn read_task(&self, who: &Principal, id: &str) -> Result<Audited<Value>> {
        self.follow_withdrawals().await?;
        let (t, p, allowed) = self.task_for(who, Action::TaskRead, id).await?;
        self.pace(who, Action::TaskRead, &res_task(&t, &p)).await?;
        if !self
            .withheld(&p, std::slice::from_ref(&t.subject))
            .await?
            .is_empty()
        {
            // Its subject took the purpose back: refused like a task that is not there.
            self.audit
                .record(entry(
                    Some(who),
                    &res_project(&p),
                    Action::TaskRead,
                    Some(&t.id),
                    vec![],
                    Decision::Deny(Denial::ConsentWithdrawn),
                ))
                .await?;
            return Err(Error::Forbidden);
        }
        let (v, fields) = self.shown(&t, &p).await?;
        let done = allowed.audit(self, Some(&t.id), fields).await?;
        Ok(done.with(v))
    }

    /// Rate a task (at most 4 KB of JSON); it is done.
    pub(crate) async fn rate_task(
        &self,
        who: &Principal,
        id: &str,
        rating: &Value,
    ) -> Result<Audited<()>> {
        let (t, _, allowed) = self.task_for(who, Action::TaskRate, id).await?;
        let text = rating.to_string();
        if text.len() > 4096 {
            return Err(Error::BadRequest("a rating is at most 4 KB of JSON".into()));
        }
        db::tasks::rate(&self.pool, &t.id, &who.id, &text).await?;
        allowed
            .audit(self, Some(&t.id), vec!["rating".into()])
            .await
    }

    /// Flag a leak in a task: the range is hidden now, and a value worth hiding everywhere is
    /// deny-listed for the project and hidden in every task still waiting.
    pub(crate) async fn flag_task(
        &self,
        who: &Principal,
        id: &str,
        b: FlagBody,
    ) -> Result<Audited<Value>> {
        let (mut t, p, allowed) = self.task_for(who, Action::TaskFlag, id).await?;
        let value = views::flag(&mut t.view, b.message, b.start, b.end)?;
        let trimmed = value.trim().to_string();
        let project_wide = views::deny_listable(&trimmed);
        let deny = if project_wide {
            let hash = scrim_core::hex::encode(
                &self
                    .deny_key
                    .mac(&[p.id.as_bytes(), trimmed.to_lowercase().as_bytes()]),
            );
            let sealed =
                scrim_store::crypto::seal(&self.deny_key, trimmed.as_bytes(), p.id.as_bytes())?;
            Some((hash, sealed))
        } else {
            None
        };
        let flag = db::tasks::Flag {
            task: &t,
            user: &who.id,
            message: b.message,
            start: b.start,
            end: b.end,
        };
        db::tasks::flag(&self.pool, flag, deny).await?;
        if project_wide {
            self.redact_waiting(&p.id, &trimmed).await?;
        }
        let done = allowed
            .audit(self, Some(&t.id), vec![format!("messages[{}]", b.message)])
            .await?;
        let (v, _) = self.shown(&t, &p).await?;
        Ok(done.with(v))
    }

    /// Skip a task.
    pub(crate) async fn skip_task(&self, who: &Principal, id: &str) -> Result<Audited<()>> {
        let (t, _, allowed) = self.task_for(who, Action::TaskSkip, id).await?;
        db::tasks::set_status(&self.pool, &t.id, db::tasks::TaskStatus::Skipped).await?;
        allowed.audit(self, Some(&t.id), vec![]).await
    }
}

impl Gateway {
    /// The task as a reviewer sees it: the stored view plus the subject's facts generalized to
    /// k across the project; returns it and the names of the fields revealed.
    pub(crate) async fn shown(&self, t: &TaskRow, p: &ProjectRow) -> Result<(Value, Vec<String>)> {
        let g = self.generalization(p).await?;
        let key = t
            .subject
            .clone()
            .unwrap_or_else(|| format!("task:{}", t.id));
        let profile = g.shown.get(&key).cloned().unwrap_or(Value::Null);
        let mut fields = profile_fields(&profile);
        fields.extend(view_fields(&t.view));
        let mut v = json!({
            "id": t.id, "project": p.id, "status": t.status.as_str(),
            "messages": messages_shown(&t.view),
            "profile": profile,
        });
        if let (Some(a), Some(o)) = (
            t.view.get("attachments").and_then(Value::as_array),
            v.as_object_mut(),
        ) {
            let kept: Vec<Value> = a.iter().map(views::attachment_view).collect();
            o.insert("attachments".into(), Value::Array(kept));
        }
        Ok((v, fields))
    }
}

/// The audit names of the generalized profile facts shown (`profile:place`, …). Declared keys
/// are the project's input: the audit log names them all `profile:other`.
fn profile_fields(profile: &Value) -> Vec<String> {
    let mut fields = Vec::new();
    let Some(o) = profile.as_object() else {
        return fields;
    };
    for k in ["place", "age", "gender"] {
        if o.get(k).is_some_and(Value::is_string) {
            fields.push(format!("profile:{k}"));
        }
    }
    if o.get("other")
        .and_then(Value::as_object)
        .is_some_and(|other| !other.is_empty())
    {
        fields.push("profile:other".to_string());
    }
    fields
}

/// The audit names of what a view shows: each (allow-listed) role once, withheld turns, images.
fn view_fields(view: &Value) -> Vec<String> {
    let mut fields: Vec<String> = view
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| {
            let withheld = m
                .get("content")
                .and_then(Value::as_str)
                .is_some_and(|c| c.starts_with("[withheld: "));
            if withheld {
                "messages:withheld".to_string()
            } else {
                format!(
                    "messages:{}",
                    views::role_of(m.get("role").and_then(Value::as_str))
                )
            }
        })
        .collect();
    fields.sort();
    fields.dedup();
    if view.get("attachments").is_some() {
        fields.push("attachments:images".into());
    }
    fields
}

/// A view's messages with every role allow-listed (views stored before roles were
/// allow-listed are cleaned here too).
fn messages_shown(view: &Value) -> Value {
    let mut messages = view
        .get("messages")
        .cloned()
        .unwrap_or(Value::Array(vec![]));
    for m in messages.as_array_mut().into_iter().flatten() {
        let role = views::role_of(m.get("role").and_then(Value::as_str));
        if let Some(o) = m.as_object_mut() {
            o.insert("role".into(), json!(role));
        }
    }
    messages
}

pub(crate) fn res_task(t: &TaskRow, p: &ProjectRow) -> Resource {
    Resource::Task {
        id: t.id.clone(),
        project: p.id.clone(),
        purpose: p.purpose.clone(),
        routed: t.routed.clone(),
    }
}

impl Gateway {
    /// Act on consent withdrawals recorded anywhere (the CLI, another gateway): forgotten
    /// subjects' tasks are deleted, and whoever said no is linked so [`Gateway::withheld`]
    /// finds their tasks. Forgotten facts then leave every cached population.
    pub(crate) async fn follow_withdrawals(&self) -> Result<()> {
        if self.store.sync_withdrawals(&self.lineage).await? {
            self.generalized.lock().map_err(|_| poisoned())?.clear();
        }
        Ok(())
    }

    /// Which of these subjects (lineage ids) took the project's purpose back: their tasks are
    /// not served, read or exported (consent is checked at every use, not only at ingest).
    pub(crate) async fn withheld(
        &self,
        p: &ProjectRow,
        subjects: &[Option<String>],
    ) -> Result<std::collections::HashSet<String>> {
        let lids: Vec<&str> = subjects.iter().filter_map(Option::as_deref).collect();
        if lids.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        Ok(self.store.withdrawn(&lids, &p.purpose).await?)
    }
}

impl Gateway {
    /// The task `who` reviews next in `p`: their task in progress first, then the oldest open
    /// one they may see (claimed for them); never one whose subject took the purpose back.
    async fn choose_task(&self, who: &Principal, p: &ProjectRow) -> Result<Option<TaskRow>> {
        let held = db::tasks::held(&self.pool, &p.id, &who.id).await?;
        let withheld = self.withheld(p, &subjects(&held)).await?;
        if let Some(t) = held.iter().find(|t| !is_withheld(t, &withheld)) {
            return self.task(&t.id).await.map(Some);
        }
        let mut after = i64::MIN;
        loop {
            let page = db::tasks::open_after(&self.pool, &p.id, after).await?;
            let Some(last) = page.last() else {
                return Ok(None);
            };
            after = last.seq;
            if let Some(t) = self.claim_first(who, p, &page).await? {
                return Ok(Some(t));
            }
        }
    }

    /// Claim the first task of `page` that `who` may read, if any.
    async fn claim_first(
        &self,
        who: &Principal,
        p: &ProjectRow,
        page: &[db::tasks::Listed],
    ) -> Result<Option<TaskRow>> {
        let withheld = self.withheld(p, &subjects(page)).await?;
        for t in page.iter().filter(|t| !is_withheld(t, &withheld)) {
            let Ok(routed) = serde_json::from_str(&t.routed) else {
                continue; // unreadable routing: offered to nobody (fail closed)
            };
            let candidate = Resource::Task {
                id: t.id.clone(),
                project: p.id.clone(),
                purpose: p.purpose.clone(),
                routed,
            };
            if !self.authz.allowed(who, Action::TaskRead, &candidate) {
                continue; // routed to reviewers with clearances this one lacks
            }
            if db::tasks::claim(&self.pool, &t.id, &who.id).await? {
                return self.task(&t.id).await.map(Some);
            }
        }
        Ok(None)
    }

    pub(crate) async fn task(&self, id: &str) -> Result<TaskRow> {
        db::tasks::get_one(&self.pool, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no task {id}")))
    }
}

fn subjects(tasks: &[db::tasks::Listed]) -> Vec<Option<String>> {
    tasks.iter().map(|t| t.subject.clone()).collect()
}

/// Whether a listed task's subject took the purpose back.
fn is_withheld(t: &db::tasks::Listed, withheld: &std::collections::HashSet<String>) -> bool {
    t.subject.as_ref().is_some_and(|s| withheld.contains(s))
}

impl Gateway {
    /// A task and its project, if `who` may do `action` on it (reviewers: only tasks assigned
    /// to them).
    async fn task_for<'a>(
        &self,
        who: &'a Principal,
        action: Action,
        id: &str,
    ) -> Result<(TaskRow, ProjectRow, Allowed<'a>)> {
        // The task and its project in one query (every read starts here).
        let Some((t, p)) = db::tasks::with_project(&self.pool, id).await? else {
            // Unknown ids are denied exactly like forbidden ones.
            let _never = self
                .authorize(who, action, Resource::Gateway, Some(id))
                .await?;
            return Err(Error::Forbidden);
        };
        let allowed = self
            .authorize(who, action, res_task(&t, &p), Some(id))
            .await?;
        if who.role == Role::Reviewer && t.assigned_to.as_deref() != Some(who.id.as_str()) {
            self.audit
                .record(entry(
                    Some(who),
                    &res_project(&p),
                    action,
                    Some(id),
                    vec![],
                    Decision::Deny(Denial::NotAssigned),
                ))
                .await?;
            return Err(Error::Forbidden);
        }
        Ok((t, p, allowed))
    }
}
