//! Users (created and changed under separation of duties, [`super::approvals`]), the audit
//! log as privacy officers search and verify it, and their alerts.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{Audited, Gateway};
use crate::audit;
use crate::auth;
use crate::authz::{Action, Principal, Resource, Role};
use crate::db;
use crate::error::Result;

/// A user to create.
#[derive(Deserialize)]
pub(crate) struct NewUser {
    pub(crate) name: String,
    pub(crate) role: Role,
    pub(crate) password: Option<String>,
    #[serde(default)]
    pub(crate) projects: Vec<String>,
    #[serde(default)]
    pub(crate) clearances: Vec<String>,
}

/// A change to a user.
#[derive(Deserialize)]
pub(crate) struct UserChange {
    pub(crate) disabled: Option<bool>,
    pub(crate) password: Option<String>,
    pub(crate) projects: Option<Vec<String>>,
    pub(crate) clearances: Option<Vec<String>>,
}

/// A user created now (with an API token, shown once), or proposed for approval.
pub(crate) enum UserCreated {
    /// Created, enabled, with a token.
    Created {
        /// User id.
        id: String,
        /// API token.
        token: String,
    },
    /// Created disabled, waiting for a privacy officer.
    Proposed {
        /// User id.
        id: String,
        /// The proposal.
        approval: Value,
    },
}

/// A change applied (the names of what changed), or proposed for approval.
pub(crate) enum UserUpdated {
    /// Applied now.
    Applied(Vec<String>),
    /// Waiting for a privacy officer (what takes access away applied at once).
    Proposed(Value),
}

impl Gateway {
    /// Every user with projects, clearances, and whether they are disabled or pending.
    pub(crate) async fn list_users(&self, who: &Principal) -> Result<Audited<Value>> {
        let allowed = self
            .authorize(who, Action::UserManage, Resource::Gateway, None)
            .await?;
        let pending = self.pending_accounts().await?;
        let mut out = Vec::new();
        for u in db::users::all(&self.pool).await? {
            let p = auth::principal(&self.pool, u.id, u.name, u.role).await?;
            out.push(json!({
                "id": p.id, "name": p.name, "role": p.role.as_str(),
                "projects": p.projects, "clearances": p.clearances,
                "disabled": u.disabled, "pending": pending.contains(&p.id),
            }));
        }
        let done = allowed.audit(self, None, vec!["users".into()]).await?;
        Ok(done.with(Value::Array(out)))
    }

    /// Create a user; a privileged one waits, disabled and without a token, for approval.
    pub(crate) async fn create_user(
        &self,
        who: &Principal,
        b: NewUser,
    ) -> Result<Audited<UserCreated>> {
        let allowed = self
            .authorize(who, Action::UserManage, Resource::Gateway, None)
            .await?;
        for p in &b.projects {
            self.project(p).await?;
        }
        let reasons = super::approvals::account_reasons(b.role, &b.projects, &b.clearances);
        if !reasons.is_empty() {
            let (id, a) = self.propose_user(who, &b, &reasons).await?;
            return Ok(a.map(|approval| UserCreated::Proposed { id, approval }));
        }
        let id = auth::create_user(
            &self.pool,
            &b.name,
            b.role,
            b.password.as_deref(),
            &b.projects,
            &b.clearances,
        )
        .await?;
        let token = auth::issue_token(&self.pool, &id, "api", None).await?;
        let done = allowed
            .audit(self, Some(&id), vec!["user".into(), "role".into()])
            .await?;
        Ok(done.with(UserCreated::Created { id, token }))
    }

    /// Change a user: taking access away applies at once, granting it waits for approval.
    pub(crate) async fn update_user(
        &self,
        who: &Principal,
        id: &str,
        b: UserChange,
    ) -> Result<Audited<UserUpdated>> {
        let allowed = self
            .authorize(who, Action::UserManage, Resource::Gateway, Some(id))
            .await?;
        for p in b.projects.iter().flatten() {
            self.project(p).await?;
        }
        let account = self.account(id).await?;
        if account.pending {
            return Err(crate::Error::Conflict(format!(
                "user {id} waits for a privacy officer's approval"
            )));
        }
        let reasons = super::approvals::change_reasons(&account, &b);
        if !reasons.is_empty() {
            if b.disabled == Some(true) {
                let changed =
                    auth::update_user(&self.pool, id, Some(true), None, None, None).await?;
                let _disabled = allowed.audit(self, Some(id), changed).await?;
            }
            let a = self
                .propose_user_change(who, &account, &b, &reasons)
                .await?;
            return Ok(a.map(UserUpdated::Proposed));
        }
        let changed = auth::update_user(
            &self.pool,
            id,
            b.disabled,
            b.password.as_deref(),
            b.projects.as_deref(),
            b.clearances.as_deref(),
        )
        .await?;
        let done = allowed.audit(self, Some(id), changed.clone()).await?;
        Ok(done.with(UserUpdated::Applied(changed)))
    }

    /// Search the audit log.
    pub(crate) async fn search_audit(
        &self,
        who: &Principal,
        q: &audit::Query,
    ) -> Result<Audited<Vec<audit::Stored>>> {
        let allowed = self
            .authorize(who, Action::AuditRead, Resource::Gateway, None)
            .await?;
        let found = audit::search(&self.pool, q).await?;
        let done = allowed.audit(self, None, vec![]).await?;
        Ok(done.with(found))
    }

    /// Verify the audit chain (and the signed checkpoints, where configured).
    pub(crate) async fn verify_audit(&self, who: &Principal) -> Result<Audited<Value>> {
        let allowed = self
            .authorize(who, Action::AuditVerify, Resource::Gateway, None)
            .await?;
        let mut v = audit::verify(&self.pool, &self.audit_key).await?;
        if let Some(c) = &self.checkpoints {
            audit::verify_checkpoints(&self.pool, c, &mut v).await?;
        }
        let done = allowed.audit(self, None, vec![]).await?;
        Ok(done.with(
            json!({"ok": v.ok(), "entries": v.entries, "problems": v.problems, "checkpoints": v.checkpoints}),
        ))
    }

    /// The newest 200 alerts.
    pub(crate) async fn list_alerts(
        &self,
        who: &Principal,
    ) -> Result<Audited<Vec<db::alerts::Alert>>> {
        let allowed = self
            .authorize(who, Action::AlertRead, Resource::Gateway, None)
            .await?;
        let out = db::alerts::recent(&self.pool, 200).await?;
        let done = allowed.audit(self, None, vec![]).await?;
        Ok(done.with(out))
    }
}
