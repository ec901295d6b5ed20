//! Separation of duties: what an admin proposes that grants access to conversations or makes a
//! project's view show more waits, as a pending approval, for a privacy officer other than the
//! proposer.
//!
//! - Privileged accounts: admins, privacy officers, trainers, and any account with projects or
//!   clearances. Such an account is created disabled and without a token; on approval it is
//!   enabled and an API token is issued to the approving officer (shown once, to hand over), so
//!   the admin never holds a usable credential for access nobody approved. Later grants (added
//!   projects or clearances, enabling, a password set by the admin) wait the same way; taking
//!   access away (disabling, removing projects or clearances) applies at once.
//! - Project views: a change that shows more ([`ProjectSpec::weakenings`]: lower `k`, finer
//!   place or age, more facts, images, routed topics, more turns) applies only in its protective
//!   part ([`ProjectSpec::protective`]) until approved; a new project starts from the protective
//!   default. Approving a change to a project that changed since is refused. Privacy officers'
//!   own project changes apply at once (theirs is the approval). `k` never goes below the
//!   gateway's floor ([`Settings::min_k`]), whoever asks.
//!
//! Every proposal and decision is audited (`approval.decide`) and raised as an alert. Reasons,
//! audit fields and alert texts come from a fixed vocabulary, never from the request.

use std::collections::HashSet;

use super::projects::res_project;
use super::users::{NewUser, UserChange};
use super::{entry, recorded, Audited, Gateway};
use crate::audit::{Decision, Denial};
use crate::auth;
use crate::authz::{Action, Principal};
use crate::authz::{Resource, Role};
use crate::db;
use crate::db::projects::ProjectRow;
use crate::error::Error;
use crate::error::Result;
use crate::views::ProjectSpec;

use serde_json::{json, Value};

/// Why a new account needs approval (empty: it does not).
pub(crate) fn account_reasons(
    role: Role,
    projects: &[String],
    clearances: &[String],
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if matches!(role, Role::Admin | Role::PrivacyOfficer | Role::Trainer) {
        out.push("privileged_role");
    }
    if !projects.is_empty() {
        out.push("projects_added");
    }
    if !clearances.is_empty() {
        out.push("clearances_added");
    }
    out
}

/// Why a project change needs approval: none for privacy officers (theirs is the approval).
pub(crate) fn spec_reasons(
    who: &Principal,
    old: &ProjectSpec,
    new: &ProjectSpec,
) -> Vec<&'static str> {
    if who.role == Role::PrivacyOfficer {
        return Vec::new();
    }
    old.weakenings(new)
}

/// A user as stored, for deciding what a change grants.
pub(crate) struct Account {
    id: String,
    name: String,
    role: Role,
    disabled: bool,
    projects: Vec<String>,
    clearances: Vec<String>,
    /// Created by a proposal still waiting for approval.
    pub(crate) pending: bool,
}

/// Why a change to an account needs approval (empty: it does not).
pub(crate) fn change_reasons(a: &Account, b: &UserChange) -> Vec<&'static str> {
    let projects = b.projects.as_deref().unwrap_or(&a.projects);
    let clearances = b.clearances.as_deref().unwrap_or(&a.clearances);
    let privileged = !account_reasons(a.role, projects, clearances).is_empty();
    let mut out = Vec::new();
    if projects.iter().any(|p| !a.projects.contains(p)) {
        out.push("projects_added");
    }
    if clearances.iter().any(|c| !a.clearances.contains(c)) {
        out.push("clearances_added");
    }
    if privileged && b.password.is_some() {
        out.push("password_set");
    }
    if privileged && a.disabled && b.disabled == Some(false) {
        out.push("account_enabled");
    }
    out
}

/// What a proposal changes, as stored in `approvals.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApprovalKind {
    /// A privileged account, created disabled.
    UserCreate,
    /// A change that grants an account more.
    UserUpdate,
    /// A project view that shows more.
    ProjectUpdate,
}

impl ApprovalKind {
    const ALL: [ApprovalKind; 3] = [
        ApprovalKind::UserCreate,
        ApprovalKind::UserUpdate,
        ApprovalKind::ProjectUpdate,
    ];

    /// The stored name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::UserCreate => "user.create",
            ApprovalKind::UserUpdate => "user.update",
            ApprovalKind::ProjectUpdate => "project.update",
        }
    }

    /// A stored name; an unknown one is a corrupt row (fail closed: nothing applies).
    fn parse(s: &str, id: &str) -> Result<ApprovalKind> {
        ApprovalKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::corrupt("approvals", id, "unknown kind"))
    }

    /// The action a proposal of this kind is audited as.
    fn action(self) -> Action {
        match self {
            ApprovalKind::ProjectUpdate => Action::ProjectUpdate,
            ApprovalKind::UserCreate | ApprovalKind::UserUpdate => Action::UserManage,
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl Gateway {
    /// A user's role, state, projects and clearances.
    pub(crate) async fn account(&self, id: &str) -> Result<Account> {
        let u = db::users::get_one(&self.pool, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no user {id}")))?;
        let (projects, clearances) = db::users::memberships(&self.pool, id).await?;
        Ok(Account {
            id: u.id,
            name: u.name,
            role: u.role,
            disabled: u.disabled,
            projects,
            clearances,
            pending: self.pending_accounts().await?.contains(id),
        })
    }

    /// Users created by a proposal still waiting for approval.
    pub(crate) async fn pending_accounts(&self) -> Result<HashSet<String>> {
        db::approvals::pending_accounts(&self.pool).await
    }

    /// Raise an alert to privacy officers (the detail from a fixed vocabulary).
    async fn alert(&self, actor: &str, kind: &str, detail: String) -> Result<()> {
        db::alerts::raise(&self.pool, actor, kind, &detail).await?;
        Ok(())
    }

    /// Store a proposal, audit it and raise it; returns its summary for the response.
    #[allow(
        clippy::too_many_arguments,
        reason = "one proposal's columns; each caller names them in order"
    )]
    async fn propose(
        &self,
        who: &Principal,
        kind: ApprovalKind,
        target: &str,
        change: Value,
        secret: Option<String>,
        base: Option<String>,
        reasons: &[&'static str],
        what: &Resource,
    ) -> Result<Audited<Value>> {
        let id = auth::new_id("a")?;
        let row = db::approvals::NewApproval {
            id: &id,
            kind: kind.as_str(),
            target,
            change: change.to_string(),
            secret,
            base,
            reasons: json!(reasons).to_string(),
            proposed_by: &who.id,
        };
        db::approvals::insert(&self.pool, row).await?;
        let mut fields = vec!["approval".to_string()];
        fields.extend(reasons.iter().map(|r| (*r).to_string()));
        let pending = entry(
            Some(who),
            what,
            kind.action(),
            Some(&id),
            fields,
            Decision::Pending,
        );
        let answer = json!({"id": id, "status": "pending", "reasons": reasons});
        let audited = recorded(self, pending, answer).await?;
        self.alert(
            &who.name,
            "approval_requested",
            format!(
                "{} waits for a privacy officer's approval: {}",
                kind.as_str(),
                reasons.join(", ")
            ),
        )
        .await?;
        Ok(audited)
    }

    /// Propose a privileged account: it is created disabled, with the password's hash (if any)
    /// but no token. Returns the new user's id and the proposal.
    pub(crate) async fn propose_user(
        &self,
        who: &Principal,
        b: &NewUser,
        reasons: &[&'static str],
    ) -> Result<(String, Audited<Value>)> {
        // Everything that can be refused is checked before anything is written.
        let hash = b.password.as_deref().map(auth::hash_password).transpose()?;
        // Created without a password first: until it is disabled below, nobody holds any
        // credential for it.
        let id = auth::create_user(
            &self.pool,
            &b.name,
            b.role,
            None,
            &b.projects,
            &b.clearances,
        )
        .await?;
        db::users::disable_with_hash(&self.pool, &id, hash).await?;
        let change = json!({
            "name": b.name, "role": b.role.as_str(), "projects": b.projects,
            "clearances": b.clearances, "password": b.password.is_some(),
        });
        let a = self
            .propose(
                who,
                ApprovalKind::UserCreate,
                &id,
                change,
                None,
                None,
                reasons,
                &Resource::Gateway,
            )
            .await?;
        Ok((id, a))
    }

    /// Propose a change to an account that grants access.
    pub(crate) async fn propose_user_change(
        &self,
        who: &Principal,
        a: &Account,
        b: &UserChange,
        reasons: &[&'static str],
    ) -> Result<Audited<Value>> {
        if let Some(cs) = &b.clearances {
            auth::check_clearances(cs)?;
        }
        let hash = b.password.as_deref().map(auth::hash_password).transpose()?;
        let change = json!({
            "name": a.name, "role": a.role.as_str(),
            "enable": b.disabled == Some(false),
            "projects": b.projects, "clearances": b.clearances,
            "password": b.password.is_some(),
        });
        self.propose(
            who,
            ApprovalKind::UserUpdate,
            &a.id,
            change,
            hash,
            None,
            reasons,
            &Resource::Gateway,
        )
        .await
    }

    /// Propose the rest of a project change (what would show more); `p` is the project as it
    /// is now, after the protective part applied.
    pub(crate) async fn propose_spec(
        &self,
        who: &Principal,
        p: &ProjectRow,
        wanted: &ProjectSpec,
        reasons: &[&'static str],
    ) -> Result<Audited<Value>> {
        let change = json!({"name": p.name, "spec": wanted, "current": p.spec});
        self.propose(
            who,
            ApprovalKind::ProjectUpdate,
            &p.id,
            change,
            None,
            Some(serde_json::to_string(&p.spec).unwrap_or_default()),
            reasons,
            &res_project(p),
        )
        .await
    }
}

struct Pending {
    id: String,
    kind: ApprovalKind,
    target: String,
    change: Value,
    secret: Option<String>,
    base: Option<String>,
    reasons: Vec<String>,
    proposed_by: String,
    status: String,
}

impl Gateway {
    async fn approval(&self, id: &str) -> Result<Pending> {
        let r = db::approvals::get_one(&self.pool, id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no approval {id}")))?;
        Ok(Pending {
            kind: ApprovalKind::parse(&r.kind, id)?,
            id: r.id,
            target: r.target,
            change: r.change,
            secret: r.secret,
            base: r.base,
            reasons: r.reasons,
            proposed_by: r.proposed_by,
            status: r.status,
        })
    }

    /// Mark a pending approval decided; false when it was decided already (by another request).
    async fn settle(&self, id: &str, who: &Principal, status: &str) -> Result<bool> {
        db::approvals::settle(&self.pool, id, &who.id, status).await
    }

    async fn reopen(&self, id: &str) {
        // Best effort: the change did not apply, so the approval waits again (the caller
        // answers with the error that stopped it).
        let _ = db::approvals::reopen(&self.pool, id).await;
    }

    /// Apply an approved change; returns what the response adds (a new account's token).
    async fn apply(&self, a: &Pending) -> Result<Value> {
        match a.kind {
            ApprovalKind::UserCreate => {
                db::users::enable(&self.pool, &a.target).await?;
                let token = auth::issue_token(&self.pool, &a.target, "api", None).await?;
                Ok(json!({"user": a.target, "token": token}))
            }
            ApprovalKind::UserUpdate => {
                let projects = a
                    .change
                    .get("projects")
                    .filter(|v| v.is_array())
                    .map(strings);
                let clearances = a
                    .change
                    .get("clearances")
                    .filter(|v| v.is_array())
                    .map(strings);
                let enable = a.change.get("enable").and_then(Value::as_bool) == Some(true);
                auth::update_user(
                    &self.pool,
                    &a.target,
                    enable.then_some(false),
                    None,
                    projects.as_deref(),
                    clearances.as_deref(),
                )
                .await?;
                if let Some(hash) = &a.secret {
                    // A password set by someone else ends every session and token the user had.
                    db::users::reset_password(&self.pool, &a.target, hash).await?;
                }
                Ok(json!({"user": a.target}))
            }
            ApprovalKind::ProjectUpdate => {
                let p = self.project(&a.target).await?;
                let spec: ProjectSpec = a
                    .change
                    .get("spec")
                    .cloned()
                    .and_then(|v| serde_json::from_value(v).ok())
                    .ok_or_else(|| Error::corrupt("approvals", &a.id, "change.spec"))?;
                spec.check(self.settings.min_k)?;
                self.set_spec(&p.id, &spec).await?;
                Ok(json!({"project": p.id}))
            }
        }
    }

    /// Refuse a decision that may not be taken; the deny is audited.
    async fn may_decide(&self, who: &Principal, a: &Pending) -> Result<()> {
        let refusal = if a.proposed_by == who.id {
            Some((Decision::Deny(Denial::OwnProposal), Error::Forbidden))
        } else if a.status != "pending" {
            Some((
                Decision::Deny(Denial::Decided),
                Error::Conflict(format!("approval {} is {}", a.id, a.status)),
            ))
        } else if a.kind == ApprovalKind::ProjectUpdate {
            // A project that changed since the proposal: the officer approved another change.
            let p = self.project(&a.target).await?;
            let now = serde_json::to_string(&p.spec).unwrap_or_default();
            (a.base.as_deref() != Some(now.as_str())).then(|| {
                (
                    Decision::Deny(Denial::Stale),
                    Error::Conflict(format!(
                        "project {} changed since approval {} was proposed: propose it again",
                        p.id, a.id
                    )),
                )
            })
        } else {
            None
        };
        let Some((decision, err)) = refusal else {
            return Ok(());
        };
        self.audit
            .record(entry(
                Some(who),
                &Resource::Gateway,
                Action::ApprovalDecide,
                Some(&a.id),
                vec![],
                decision,
            ))
            .await?;
        Err(err)
    }
}

impl Gateway {
    /// Proposals of one status (`pending` by default, `approved`, `rejected`, `all`).
    pub(crate) async fn list_approvals(
        &self,
        who: &Principal,
        status: Option<String>,
    ) -> Result<Audited<Value>> {
        let allowed = self
            .authorize(who, Action::ApprovalList, Resource::Gateway, None)
            .await?;
        let status = status.unwrap_or_else(|| "pending".to_string());
        if !["pending", "approved", "rejected", "all"].contains(&status.as_str()) {
            return Err(Error::BadRequest(
                "status is one of pending, approved, rejected, all".to_string(),
            ));
        }
        let out = db::approvals::list(&self.pool, &status).await?;
        let out =
            serde_json::to_value(out).map_err(|e| Error::Config(format!("approvals: {e}")))?;
        let done = allowed.audit(self, None, vec!["approvals".into()]).await?;
        Ok(done.with(out))
    }
}

impl Gateway {
    /// Approve or reject a proposal (a privacy officer other than the proposer).
    pub(crate) async fn decide(
        &self,
        who: &Principal,
        id: &str,
        approve: bool,
    ) -> Result<Audited<Value>> {
        decide(self, who, id, approve).await
    }
}

async fn decide(gw: &Gateway, who: &Principal, id: &str, approve: bool) -> Result<Audited<Value>> {
    let allowed = gw
        .authorize(who, Action::ApprovalDecide, Resource::Gateway, Some(id))
        .await?;
    let a = gw.approval(id).await?;
    gw.may_decide(who, &a).await?;
    let status = if approve { "approved" } else { "rejected" };
    if !gw.settle(&a.id, who, status).await? {
        return Err(Error::Conflict(format!("approval {} is decided", a.id)));
    }
    let mut out = json!({"id": a.id, "kind": a.kind.as_str(), "status": status});
    if approve {
        match gw.apply(&a).await {
            Ok(extra) => {
                if let (Some(o), Some(x)) = (out.as_object_mut(), extra.as_object()) {
                    o.extend(x.clone());
                }
            }
            Err(e) => {
                gw.reopen(&a.id).await;
                return Err(e);
            }
        }
    } else if a.kind == ApprovalKind::UserCreate {
        // A refused account is removed (it never held a credential), its name free again.
        db::users::remove_refused(&gw.pool, &a.target).await?;
    }
    let kind = a.kind.as_str();
    let what = match a.kind {
        ApprovalKind::ProjectUpdate => match gw.project(&a.target).await {
            Ok(p) => res_project(&p),
            Err(_) => Resource::Gateway,
        },
        ApprovalKind::UserCreate | ApprovalKind::UserUpdate => Resource::Gateway,
    };
    let mut fields = vec![kind.to_string(), status.to_string()];
    fields.extend(
        a.reasons
            .iter()
            .filter_map(|r| REASONS.iter().find(|x| **x == r.as_str()))
            .map(|r| (*r).to_string()),
    );
    let done = allowed.naming(what).audit(gw, Some(&a.id), fields).await?;
    gw.alert(
        &who.name,
        if approve {
            "approval_granted"
        } else {
            "approval_refused"
        },
        format!("{kind} {status}"),
    )
    .await?;
    Ok(done.with(out))
}

/// Every reason a proposal may give.
const REASONS: [&str; 14] = [
    "privileged_role",
    "projects_added",
    "clearances_added",
    "password_set",
    "account_enabled",
    "k_lowered",
    "place_finer",
    "age_finer",
    "gender_shown",
    "facts_added",
    "suppression_raised",
    "images_shown",
    "sensitive_routed",
    "turns_added",
];
