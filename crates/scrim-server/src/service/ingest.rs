//! Ingest: a conversation posted into a project is admitted under its subject's consent,
//! redacted off the async workers within a time budget, cut to the project's view, cleaned
//! of the project's deny-listed values and stored as an open task.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;

use scrim_core::{Outcome, Record};
use scrim_pipeline::admit::{one_by_consent, AdmitError, Verdict};

use super::facts::{facts_from_profile, facts_to_json};
use super::projects::res_project;
use super::{entry, recorded, Audited, Gateway};
use crate::audit::{Decision, Denial};
use crate::auth;
use crate::authz::{Action, Principal};
use crate::db::{self, projects::ProjectRow};
use crate::error::{Error, Result};
use crate::views;

/// What became of a posted conversation.
pub(crate) enum Ingested {
    /// Stored as a task, with its routing and the categories tagged in what it shows.
    Stored {
        /// The task id.
        task: String,
        /// Categories it is routed by.
        routed: Vec<String>,
        /// Categories tagged in its view.
        categories: Vec<String>,
    },
    /// Governance refused it (consent, purpose, source): the reason's code.
    Excluded(&'static str),
    /// The policy withheld it (the reason's code), or redaction ran past the time budget.
    Withheld(String),
    /// Every redaction slot stayed taken for the time budget.
    Busy,
}

impl Gateway {
    /// Admit, redact and store one conversation posted into project `id`.
    pub(crate) async fn ingest(
        self: &Arc<Self>,
        who: &Principal,
        id: &str,
        body: Value,
    ) -> Result<Audited<Ingested>> {
        let p = self.project(id).await?;
        let allowed = self
            .authorize(who, Action::ConversationIngest, res_project(&p), None)
            .await?;
        let record = Record::from_value(body).map_err(|e| Error::BadRequest(e.to_string()))?;
        let subject = scrim_store::subject_field(record.field("subject"))?.map(str::to_string);
        let conv_lid =
            self.lineage
                .record(&format!("{}#{}", p.id, record.id().unwrap_or_default()));
        let refuse = |decision: Decision, why: Ingested| {
            let e = entry(
                Some(who),
                &res_project(&p),
                Action::ConversationIngest,
                Some(&conv_lid),
                vec![],
                decision,
            );
            recorded(self, e, why)
        };
        // The pipeline's admission, for one record: the same rule as every batch run.
        match one_by_consent(&self.store, &self.gov, &p.purpose, &record).await {
            Ok(Verdict::Admit) => {}
            Ok(Verdict::Exclude(x)) => {
                let why = Ingested::Excluded(x.code());
                return refuse(Decision::Deny(Denial::Excluded(x.code())), why).await;
            }
            Ok(Verdict::Quarantine(bad)) => return Err(Error::BadRequest(bad.reason)),
            Err(AdmitError::Consent { source, .. }) => return Err(Error::Store(source)),
            Err(e) => return Err(Error::Config(format!("admission: {e}"))),
        }
        let mut facts = facts_from_profile(record.profile());
        self.screen_facts(&mut facts);
        let redacted = match self.redact_off_thread(record, p.spec.images).await? {
            Redaction::Done(Outcome::Redacted { value, .. }) => value,
            Redaction::Done(Outcome::Withheld { reason, .. }) => {
                let why = Ingested::Withheld(reason.to_string());
                return refuse(Decision::Deny(Denial::WithheldByPolicy), why).await;
            }
            Redaction::NoSlot => return refuse(Decision::Deny(Denial::Busy), Ingested::Busy).await,
            Redaction::OverBudget => {
                let why = Ingested::Withheld("time_budget".into());
                return refuse(Decision::Deny(Denial::TimeBudget), why).await;
            }
        };
        let subject = subject.as_deref().map(|s| self.lineage.subject(s));
        let stored = self
            .store_task(&p, &redacted, &conv_lid, subject, &facts)
            .await?;
        let done = allowed.audit(self, stored_task(&stored), vec![]).await?;
        Ok(done.with(stored))
    }

    /// Cut a redacted record to the project's view, hide its deny-listed values, and store it
    /// as an open task.
    async fn store_task(
        &self,
        p: &ProjectRow,
        redacted: &Value,
        conversation: &str,
        subject: Option<String>,
        facts: &crate::kanon::Facts,
    ) -> Result<Ingested> {
        let mut built = views::build(redacted, &p.spec);
        self.apply_denylist(&p.id, &mut built.view).await?;
        let task = auth::new_id("t")?;
        let new = db::tasks::NewTask {
            id: &task,
            project: &p.id,
            conversation,
            subject,
            view: &built.view,
            facts: facts_to_json(facts),
            routed: &built.routed,
        };
        db::tasks::insert(&self.pool, new).await?;
        self.bump(&p.id)?;
        Ok(Ingested::Stored {
            task,
            routed: built.routed,
            categories: built.categories,
        })
    }
}

/// The task an ingest stored, for the audit entry.
fn stored_task(i: &Ingested) -> Option<&str> {
    match i {
        Ingested::Stored { task, .. } => Some(task),
        _ => None,
    }
}

/// How an ingest's redaction went.
enum Redaction {
    Done(Outcome),
    /// No slot came free within the time budget.
    NoSlot,
    /// The redaction ran past the time budget (it finishes on its thread, holding its slot,
    /// and its result is dropped).
    OverBudget,
}

/// Counts an ingest in [`Gateway::redactions_in_flight`] while it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn new(n: &'a AtomicUsize) -> InFlight<'a> {
        n.fetch_add(1, Ordering::SeqCst);
        InFlight(n)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gateway {
    /// Redact on a blocking thread, at most [`Settings::redactions`] at once, within
    /// [`Settings::redaction_budget`] (waiting for a slot included): the async workers stay
    /// free for other requests whatever the record.
    async fn redact_off_thread(
        self: &Arc<Self>,
        record: Record,
        images: bool,
    ) -> Result<Redaction> {
        let _counted = InFlight::new(&self.redactions_in_flight);
        let deadline = tokio::time::Instant::now() + self.settings.redaction_budget;
        let slot =
            match tokio::time::timeout_at(deadline, Arc::clone(&self.redactions).acquire_owned())
                .await
            {
                Ok(Ok(slot)) => slot,
                Ok(Err(_)) => return Err(Error::Config("the redaction slots closed".to_string())),
                Err(_) => return Ok(Redaction::NoSlot),
            };
        if tokio::time::Instant::now() >= deadline {
            return Ok(Redaction::NoSlot);
        }
        let gw = Arc::clone(self);
        let job = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let redactor = if images {
                &gw.redact_strip
            } else {
                &gw.redact_withhold
            };
            redactor.redact(record)
        });
        match tokio::time::timeout_at(deadline, job).await {
            Ok(Ok(outcome)) => Ok(Redaction::Done(outcome)),
            Ok(Err(e)) => Err(Error::Config(format!("redaction stopped: {e}"))),
            Err(_) => Ok(Redaction::OverBudget),
        }
    }
}

impl Gateway {
    async fn denylist(&self, project: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for sealed in db::denylist::sealed(&self.pool, project).await? {
            let v = scrim_store::crypto::open(&self.deny_key, &sealed, project.as_bytes())?;
            out.push(String::from_utf8_lossy(&v).into_owned());
        }
        Ok(out)
    }

    /// Hide a flagged value in every task of the project not yet reviewed, at once.
    pub(crate) async fn redact_waiting(&self, project: &str, value: &str) -> Result<()> {
        for (id, text) in db::tasks::waiting_views(&self.pool, project).await? {
            let mut view: Value = db::json(&text, "tasks", &id, "view")?;
            if replace_in_view(&mut view, &[value.to_string()]) {
                db::tasks::set_view(&self.pool, &id, &view).await?;
            }
        }
        Ok(())
    }

    async fn apply_denylist(&self, project: &str, view: &mut Value) -> Result<()> {
        let values = self.denylist(project).await?;
        replace_in_view(view, &values);
        Ok(())
    }
}

/// Replace deny-listed values in a view's messages (whole words, never inside a placeholder:
/// [`views::replace_words`]); whether anything changed.
fn replace_in_view(view: &mut Value, values: &[String]) -> bool {
    let mut changed = false;
    if values.is_empty() {
        return false;
    }
    if let Some(ms) = view.get_mut("messages").and_then(Value::as_array_mut) {
        for m in ms {
            let Some(text) = m.get("content").and_then(Value::as_str) else {
                continue;
            };
            let mut t = text.to_string();
            for v in values.iter().filter(|v| views::deny_listable(v)) {
                if let Some(next) = views::replace_words(&t, v, "[FLAGGED]") {
                    t = next;
                }
            }
            if t != text {
                changed = true;
                if let Some(o) = m.as_object_mut() {
                    o.insert("content".into(), Value::String(t));
                }
            }
        }
    }
    changed
}
