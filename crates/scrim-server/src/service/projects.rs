//! Projects: what each declares its tasks show, created and changed under separation of
//! duties ([`super::approvals`]), their figures, and the training export.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Value};

use super::{facts::facts_from_json, poisoned, Audited, Gateway, Generalization};
use crate::auth;
use crate::authz::{Action, Principal, Resource};
use crate::db::{self, projects::ProjectRow, tasks::TaskStatus};
use crate::error::{Error, Result};
use crate::kanon;
use crate::views::ProjectSpec;

/// A project to create.
#[derive(Deserialize)]
pub(crate) struct NewProject {
    name: String,
    purpose: String,
    #[serde(default)]
    spec: ProjectSpec,
}

/// A project as it is after a change, and the proposal for what waits for approval.
pub(crate) struct ProjectReply {
    /// The project now.
    pub(crate) project: ProjectRow,
    /// The proposal, when part of the change waits for a privacy officer.
    pub(crate) approval: Option<Value>,
}

/// What Cedar sees of a project.
pub(crate) fn res_project(p: &ProjectRow) -> Resource {
    Resource::Project {
        id: p.id.clone(),
        purpose: p.purpose.clone(),
    }
}

impl Gateway {
    pub(crate) async fn project(&self, id: &str) -> Result<ProjectRow> {
        db::projects::get_one(&self.pool, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no project {id}")))
    }

    /// Store a project's spec and drop its cached generalization.
    pub(crate) async fn set_spec(&self, id: &str, spec: &ProjectSpec) -> Result<()> {
        db::projects::set_spec(&self.pool, id, spec).await?;
        self.bump(id)
    }

    /// The projects `who` may see: all of them for those who may list projects, else those
    /// Cedar lets them read, one by one.
    pub(crate) async fn list_projects(&self, who: &Principal) -> Result<Audited<Vec<ProjectRow>>> {
        let may_list = self
            .authz
            .allowed(who, Action::ProjectList, &Resource::Gateway);
        let mut out = Vec::new();
        for p in db::projects::all(&self.pool).await? {
            if may_list
                || self
                    .authz
                    .allowed(who, Action::ProjectRead, &res_project(&p))
            {
                out.push(p);
            }
        }
        let done = self
            .listing(who, Action::ProjectList)
            .audit(self, None, vec![])
            .await?;
        Ok(done.with(out))
    }

    /// Create a project; what an admin's project shows beyond the protective default waits
    /// for approval.
    pub(crate) async fn create_project(
        &self,
        who: &Principal,
        b: NewProject,
    ) -> Result<Audited<ProjectReply>> {
        let allowed = self
            .authorize(who, Action::ProjectCreate, Resource::Gateway, None)
            .await?;
        self.gov.check_purpose(&b.purpose)?;
        b.spec.check(self.settings.min_k)?;
        if b.name.trim().is_empty() || b.name.len() > 100 {
            return Err(Error::BadRequest(
                "a project needs a name of 1-100 characters".into(),
            ));
        }
        let reasons = super::approvals::spec_reasons(who, &ProjectSpec::default(), &b.spec);
        let initial = if reasons.is_empty() {
            b.spec.clone()
        } else {
            ProjectSpec::default().protective(&b.spec)
        };
        let id = auth::new_id("p")?;
        db::projects::insert(&self.pool, &id, b.name.trim(), &b.purpose, &initial).await?;
        let project = self.project(&id).await?;
        let done = allowed.audit(self, Some(&id), vec!["spec".into()]).await?;
        self.reply(who, project, &b.spec, &reasons, done).await
    }

    /// A project, to those who may read it.
    pub(crate) async fn get_project(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Audited<ProjectRow>> {
        let p = self.project(id).await?;
        let done = self
            .authorize(who, Action::ProjectRead, res_project(&p), Some(id))
            .await?
            .audit(self, Some(id), vec![])
            .await?;
        Ok(done.with(p))
    }

    /// Change a project's spec: what would show more waits for a privacy officer's approval;
    /// the rest applies now.
    pub(crate) async fn update_project(
        &self,
        who: &Principal,
        id: &str,
        wanted: ProjectSpec,
    ) -> Result<Audited<ProjectReply>> {
        let p = self.project(id).await?;
        let allowed = self
            .authorize(who, Action::ProjectUpdate, res_project(&p), Some(id))
            .await?;
        wanted.check(self.settings.min_k)?;
        let reasons = super::approvals::spec_reasons(who, &p.spec, &wanted);
        let now = if reasons.is_empty() {
            wanted.clone()
        } else {
            p.spec.protective(&wanted)
        };
        // The entry names the spec only when it changed now.
        let changed = now != p.spec;
        if changed {
            self.set_spec(id, &now).await?;
        }
        let fields = if changed { vec!["spec".into()] } else { vec![] };
        let done = allowed.audit(self, Some(id), fields).await?;
        let project = self.project(id).await?;
        self.reply(who, project, &wanted, &reasons, done).await
    }

    /// The project as it is now, and the proposal of the rest when `reasons` say it waits.
    async fn reply(
        &self,
        who: &Principal,
        project: ProjectRow,
        wanted: &ProjectSpec,
        reasons: &[&'static str],
        done: Audited<()>,
    ) -> Result<Audited<ProjectReply>> {
        if reasons.is_empty() {
            return Ok(done.with(ProjectReply {
                project,
                approval: None,
            }));
        }
        let a = self.propose_spec(who, &project, wanted, reasons).await?;
        Ok(a.map(|approval| ProjectReply {
            project,
            approval: Some(approval),
        }))
    }

    /// A project's review figures and how anonymous its facts are.
    pub(crate) async fn project_stats(&self, who: &Principal, id: &str) -> Result<Audited<Value>> {
        let p = self.project(id).await?;
        let allowed = self
            .authorize(who, Action::ProjectStats, res_project(&p), Some(id))
            .await?;
        let f = db::tasks::figures(&self.pool, &p.id).await?;
        let count = |s: TaskStatus| f.by_status.get(s.as_str()).copied().unwrap_or(0);
        let reviewed = count(TaskStatus::Done) + count(TaskStatus::Skipped);
        let flagged = f.flagged_tasks;
        let g = self.generalization(&p).await?;
        let done = allowed.audit(self, Some(id), vec![]).await?;
        Ok(done.with(json!({
            "project": p.id,
            "tasks": f.by_status,
            "flags": f.flags,
            "flagged_tasks": flagged,
            "reviewed_tasks": reviewed,
            "residual_leak_rate": if reviewed > 0 { Some(flagged as f64 / reviewed as f64) } else { None },
            "k": p.spec.profile.k,
            "anonymity": g.report,
        })))
    }

    /// A training project's rated tasks as JSON lines (views and ratings), without the tasks
    /// of subjects who took the purpose back; the entry names every task exported.
    pub(crate) async fn export(&self, who: &Principal, id: &str) -> Result<Audited<String>> {
        let p = self.project(id).await?;
        let allowed = self
            .authorize(who, Action::DatasetExport, res_project(&p), Some(id))
            .await?;
        self.follow_withdrawals().await?;
        let rows = db::tasks::rated(&self.pool, &p.id).await?;
        let subjects: Vec<Option<String>> = rows.iter().map(|r| r.subject.clone()).collect();
        let withheld = self.withheld(&p, &subjects).await?;
        let mut out = String::new();
        // The audit entry names every exported record (task ids), never content.
        let mut fields: Vec<String> = vec!["messages".into(), "rating".into()];
        for r in &rows {
            if r.subject.as_ref().is_some_and(|s| withheld.contains(s)) {
                continue; // the subject took the purpose back
            }
            let line =
                json!({"task": r.id, "messages": r.view.get("messages"), "rating": r.rating});
            out.push_str(&line.to_string());
            out.push('\n');
            fields.push(format!("task:{}", r.id));
        }
        let done = allowed.audit(self, Some(id), fields).await?;
        Ok(done.with(out))
    }
}

// ------------------------------------------------------------------ profile facts, generalized

impl Gateway {
    pub(crate) fn bump(&self, project: &str) -> Result<()> {
        let mut v = self.versions.lock().map_err(|_| poisoned())?;
        *v.entry(project.to_string()).or_default() += 1;
        Ok(())
    }

    /// The project's facts generalized to k over its whole population (cached until the next
    /// ingest or spec change).
    pub(super) async fn generalization(&self, p: &ProjectRow) -> Result<Arc<Generalization>> {
        let version = {
            let v = self.versions.lock().map_err(|_| poisoned())?;
            v.get(&p.id).copied().unwrap_or(0)
        };
        if let Some(g) = self
            .generalized
            .lock()
            .map_err(|_| poisoned())?
            .get(&p.id)
            .filter(|g| g.version == version)
        {
            return Ok(Arc::clone(g));
        }
        let rows = db::tasks::population(&self.pool, &p.id).await?;
        // One row per subject (their latest facts); tasks without a subject stand alone.
        let mut by_subject: Vec<(String, kanon::Facts)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (id, subject, facts) in rows {
            let facts = facts_from_json(&facts, &id)?;
            let key = subject.unwrap_or_else(|| format!("task:{id}"));
            match index.get(&key) {
                Some(&i) => {
                    if let Some(slot) = by_subject.get_mut(i) {
                        slot.1 = facts;
                    }
                }
                None => {
                    index.insert(key.clone(), by_subject.len());
                    by_subject.push((key, facts));
                }
            }
        }
        let population: Vec<kanon::Facts> = by_subject.iter().map(|(_, f)| f.clone()).collect();
        let g = kanon::generalize(&population, &p.spec.profile);
        let mut shown = HashMap::new();
        for ((key, _), row) in by_subject.iter().zip(g.subjects.iter()) {
            shown.insert(
                key.clone(),
                serde_json::to_value(row).unwrap_or(Value::Null),
            );
        }
        let report = serde_json::to_value(&g.report).unwrap_or(Value::Null);
        let gen = Arc::new(Generalization {
            version,
            shown,
            report,
        });
        self.generalized
            .lock()
            .map_err(|_| poisoned())?
            .insert(p.id.clone(), Arc::clone(&gen));
        Ok(gen)
    }
}
