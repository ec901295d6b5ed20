//! Who may do what: every request is decided by the Cedar policies in `policies/cedar/`
//! (`gateway.cedar`, checked against `schema.cedarschema` in strict mode at start-up). Anything
//! no policy permits is denied.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, RestrictedExpression, Schema, ValidationMode, Validator,
};

use crate::error::{Error, Result};

/// The schema shipped in the repository.
pub const SCHEMA: &str = include_str!("../../../policies/cedar/schema.cedarschema");
/// The policies shipped in the repository.
pub const POLICIES: &str = include_str!("../../../policies/cedar/gateway.cedar");

/// Roles a user can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sets projects up, manages users; reads no conversation.
    Admin,
    /// Oversees: project figures, audit, alerts.
    PrivacyOfficer,
    /// Reviews tasks of their projects.
    Reviewer,
    /// A service account that posts conversations.
    Ingest,
    /// Exports training datasets.
    Trainer,
    /// A service account that sends text to the Presidio-compatible routes (`/analyze`,
    /// `/anonymize`, `/deanonymize`); reads nothing stored.
    Redactor,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::PrivacyOfficer,
        Role::Reviewer,
        Role::Ingest,
        Role::Trainer,
        Role::Redactor,
    ];

    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::PrivacyOfficer => "privacy_officer",
            Role::Reviewer => "reviewer",
            Role::Ingest => "ingest",
            Role::Trainer => "trainer",
            Role::Redactor => "redactor",
        }
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::BadRequest(format!(
                    "unknown role {s:?} (admin, privacy_officer, reviewer, ingest, trainer, redactor)"
                ))
            })
    }
}

/// A signed-in user, as the policies see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// User id.
    pub id: String,
    /// User name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Projects (ids) they belong to.
    pub projects: Vec<String>,
    /// Sensitive categories they are cleared for.
    pub clearances: Vec<String>,
}

/// What a request acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// The gateway as a whole.
    Gateway,
    /// A project, with its purpose.
    Project {
        /// Project id.
        id: String,
        /// Its purpose.
        purpose: String,
    },
    /// A task in a project, with the sensitive categories the project routes to cleared
    /// reviewers only.
    Task {
        /// Task id.
        id: String,
        /// Its project id.
        project: String,
        /// Its project's purpose.
        purpose: String,
        /// Categories it needs clearance for.
        routed: Vec<String>,
    },
}

/// Everything a request can do, as the audit log names it. The first twenty-one are the Cedar
/// schema's actions ([`Action::DECIDED`]), decided by the policies; the `session.*` actions
/// belong to whoever holds the session or is signing in, and are audited but never asked of
/// Cedar (there is no principal yet, or the principal acts on itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Claim the next task of a project.
    TaskNext,
    /// Read a task.
    TaskRead,
    /// Rate a task.
    TaskRate,
    /// Flag a leak in a task.
    TaskFlag,
    /// Skip a task.
    TaskSkip,
    /// Post a conversation into a project.
    ConversationIngest,
    /// Read a project.
    ProjectRead,
    /// Change a project's spec.
    ProjectUpdate,
    /// A project's figures.
    ProjectStats,
    /// Create a project.
    ProjectCreate,
    /// List every project.
    ProjectList,
    /// List, create and change users.
    UserManage,
    /// Search the audit log.
    AuditRead,
    /// Verify the audit chain.
    AuditVerify,
    /// Read alerts.
    AlertRead,
    /// Export a training dataset.
    DatasetExport,
    /// List proposals waiting for approval.
    ApprovalList,
    /// Approve or reject a proposal.
    ApprovalDecide,
    /// Find personal data in text (Presidio's `/analyze`).
    TextAnalyze,
    /// Replace found personal data in text (Presidio's `/anonymize`).
    TextAnonymize,
    /// Restore encrypted values in text (Presidio's `/deanonymize`).
    TextDeanonymize,
    /// Sign in.
    SessionLogin,
    /// Sign out.
    SessionLogout,
    /// Who am I.
    SessionMe,
    /// Change one's own password.
    SessionPassword,
    /// A cross-origin write refused before any handler ran.
    SessionOrigin,
}

impl Action {
    /// The actions of the Cedar schema, decided by the policies.
    pub const DECIDED: [Action; 21] = [
        Action::TaskNext,
        Action::TaskRead,
        Action::TaskRate,
        Action::TaskFlag,
        Action::TaskSkip,
        Action::ConversationIngest,
        Action::ProjectRead,
        Action::ProjectUpdate,
        Action::ProjectStats,
        Action::ProjectCreate,
        Action::ProjectList,
        Action::UserManage,
        Action::AuditRead,
        Action::AuditVerify,
        Action::AlertRead,
        Action::DatasetExport,
        Action::ApprovalList,
        Action::ApprovalDecide,
        Action::TextAnalyze,
        Action::TextAnonymize,
        Action::TextDeanonymize,
    ];

    /// The action's name: the Cedar action id and the audit log's `action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::TaskNext => "task.next",
            Action::TaskRead => "task.read",
            Action::TaskRate => "task.rate",
            Action::TaskFlag => "task.flag",
            Action::TaskSkip => "task.skip",
            Action::ConversationIngest => "conversation.ingest",
            Action::ProjectRead => "project.read",
            Action::ProjectUpdate => "project.update",
            Action::ProjectStats => "project.stats",
            Action::ProjectCreate => "project.create",
            Action::ProjectList => "project.list",
            Action::UserManage => "user.manage",
            Action::AuditRead => "audit.read",
            Action::AuditVerify => "audit.verify",
            Action::AlertRead => "alert.read",
            Action::DatasetExport => "dataset.export",
            Action::ApprovalList => "approval.list",
            Action::ApprovalDecide => "approval.decide",
            Action::TextAnalyze => "text.analyze",
            Action::TextAnonymize => "text.anonymize",
            Action::TextDeanonymize => "text.deanonymize",
            Action::SessionLogin => "session.login",
            Action::SessionLogout => "session.logout",
            Action::SessionMe => "session.me",
            Action::SessionPassword => "session.password",
            Action::SessionOrigin => "session.origin",
        }
    }

    /// Whether the Cedar policies decide this action.
    pub fn decided(self) -> bool {
        Action::DECIDED.contains(&self)
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The validated policies and schema.
pub struct Authz {
    schema: Schema,
    policies: PolicySet,
    actions: Entities,
    authorizer: Authorizer,
}

impl std::fmt::Debug for Authz {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authz").finish_non_exhaustive()
    }
}

fn uid(ty: &str, id: &str) -> Result<EntityUid> {
    let t = EntityTypeName::from_str(ty)
        .map_err(|e| Error::Policy(format!("entity type {ty}: {e}")))?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

fn s(v: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(v.to_string())
}

impl Authz {
    /// The shipped schema and policies, validated.
    pub fn shipped() -> Result<Authz> {
        Authz::new(SCHEMA, POLICIES)
    }

    /// Parse and validate a schema and policies (strict mode): any error stops here.
    pub fn new(schema_src: &str, policies_src: &str) -> Result<Authz> {
        let (schema, _warnings) = Schema::from_cedarschema_str(schema_src)
            .map_err(|e| Error::Policy(format!("Cedar schema: {e}")))?;
        let policies = PolicySet::from_str(policies_src)
            .map_err(|e| Error::Policy(format!("Cedar policies: {e}")))?;
        let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !result.validation_passed() {
            let errors: Vec<String> = result.validation_errors().map(|e| e.to_string()).collect();
            return Err(Error::Policy(format!(
                "Cedar policies do not match the schema: {}",
                errors.join("; ")
            )));
        }
        let actions = schema
            .action_entities()
            .map_err(|e| Error::Policy(format!("Cedar actions: {e}")))?;
        Ok(Authz {
            schema,
            policies,
            actions,
            authorizer: Authorizer::new(),
        })
    }

    /// Whether `who` may do `action` on `what`. Any failure to build the request is a deny, and
    /// so is every action the policies do not decide ([`Action::decided`]).
    pub fn allowed(&self, who: &Principal, action: Action, what: &Resource) -> bool {
        action.decided() && self.decide(who, action, what).unwrap_or(false)
    }

    /// The policies' decision on the request; an error when the request cannot be built.
    fn decide(&self, who: &Principal, action: Action, what: &Resource) -> Result<bool> {
        let (principal_uid, principal) = principal_entity(who)?;
        let mut entities = vec![principal];
        // The principal's projects exist as entities too (their purpose is not needed here).
        for p in who.projects.iter().filter(|p| !mentions(what, p)) {
            entities.push(project_entity(p, "")?);
        }
        let resource_uid = resource_entities(what, &mut entities)?;
        let entities = Entities::from_entities(entities, Some(&self.schema))
            .map_err(policy_error)?
            .add_entities(self.actions.iter().cloned(), Some(&self.schema))
            .map_err(policy_error)?;
        let request = Request::new(
            principal_uid,
            uid("Scrim::Action", action.as_str())?,
            resource_uid,
            Context::empty(),
            Some(&self.schema),
        )
        .map_err(policy_error)?;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, &entities);
        Ok(response.decision() == Decision::Allow)
    }
}

/// A Cedar error as the gateway's.
fn policy_error(e: impl std::fmt::Display) -> Error {
    Error::Policy(e.to_string())
}

/// The principal's entity (role, projects, clearances) and its uid.
fn principal_entity(who: &Principal) -> Result<(EntityUid, Entity)> {
    let member_of = who
        .projects
        .iter()
        .map(|p| uid("Scrim::Project", p).map(RestrictedExpression::new_entity_uid))
        .collect::<Result<Vec<_>>>()?;
    let principal_uid = uid("Scrim::User", &who.id)?;
    let attrs = HashMap::from([
        ("role".to_string(), s(who.role.as_str())),
        (
            "projects".to_string(),
            RestrictedExpression::new_set(member_of),
        ),
        (
            "clearances".to_string(),
            RestrictedExpression::new_set(who.clearances.iter().map(|c| s(c))),
        ),
    ]);
    let entity = Entity::new(principal_uid.clone(), attrs, HashSet::new()).map_err(policy_error)?;
    Ok((principal_uid, entity))
}

/// Whether the resource is project `p` or one of its tasks (the resource brings that project's
/// entity, with its purpose).
fn mentions(what: &Resource, p: &str) -> bool {
    match what {
        Resource::Project { id, .. } => id == p,
        Resource::Task { project, .. } => project == p,
        Resource::Gateway => false,
    }
}

/// A project's entity.
fn project_entity(id: &str, purpose: &str) -> Result<Entity> {
    let attrs = HashMap::from([("purpose".to_string(), s(purpose))]);
    Entity::new(uid("Scrim::Project", id)?, attrs, HashSet::new()).map_err(policy_error)
}

/// Adds the resource's entities to `entities` (a task's project before the task); returns the
/// resource's uid.
fn resource_entities(what: &Resource, entities: &mut Vec<Entity>) -> Result<EntityUid> {
    match what {
        Resource::Gateway => {
            let u = uid("Scrim::Gateway", "gateway")?;
            entities.push(Entity::new_no_attrs(u.clone(), HashSet::new()));
            Ok(u)
        }
        Resource::Project { id, purpose } => {
            entities.push(project_entity(id, purpose)?);
            uid("Scrim::Project", id)
        }
        Resource::Task {
            id,
            project,
            purpose,
            routed,
        } => {
            entities.push(project_entity(project, purpose)?);
            let (u, task) = task_entity(id, project, routed)?;
            entities.push(task);
            Ok(u)
        }
    }
}

/// A task's entity (its project, the categories it routes) and its uid.
fn task_entity(id: &str, project: &str, routed: &[String]) -> Result<(EntityUid, Entity)> {
    let u = uid("Scrim::Task", id)?;
    let attrs = HashMap::from([
        (
            "project".to_string(),
            RestrictedExpression::new_entity_uid(uid("Scrim::Project", project)?),
        ),
        (
            "routed".to_string(),
            RestrictedExpression::new_set(routed.iter().map(|c| s(c))),
        ),
    ]);
    let entity = Entity::new(u.clone(), attrs, HashSet::new()).map_err(policy_error)?;
    Ok((u, entity))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, projects: &[&str], clearances: &[&str]) -> Principal {
        Principal {
            id: format!("u-{}", role.as_str()),
            name: role.as_str().to_string(),
            role,
            projects: projects.iter().map(|p| (*p).to_string()).collect(),
            clearances: clearances.iter().map(|c| (*c).to_string()).collect(),
        }
    }

    fn task(project: &str, routed: &[&str]) -> Resource {
        Resource::Task {
            id: "t1".into(),
            project: project.into(),
            purpose: "human_review".into(),
            routed: routed.iter().map(|c| (*c).to_string()).collect(),
        }
    }

    #[test]
    fn shipped_policies_validate_and_decide() {
        let a = Authz::shipped().unwrap();
        let rev = user(Role::Reviewer, &["pa"], &[]);
        assert!(a.allowed(&rev, Action::TaskRead, &task("pa", &[])));
        assert!(
            !a.allowed(&rev, Action::TaskRead, &task("pb", &[])),
            "other project"
        );
        assert!(
            !a.allowed(&rev, Action::TaskRead, &task("pa", &["health"])),
            "not cleared"
        );
        let cleared = user(Role::Reviewer, &["pa"], &["health"]);
        assert!(a.allowed(&cleared, Action::TaskRead, &task("pa", &["health"])));
        let admin = user(Role::Admin, &[], &[]);
        assert!(
            !a.allowed(&admin, Action::TaskRead, &task("pa", &[])),
            "admins read no task"
        );
        assert!(a.allowed(&admin, Action::UserManage, &Resource::Gateway));
        let po = user(Role::PrivacyOfficer, &[], &[]);
        assert!(a.allowed(&po, Action::AuditVerify, &Resource::Gateway));
        assert!(a.allowed(&po, Action::ApprovalDecide, &Resource::Gateway));
        assert!(
            !a.allowed(&admin, Action::ApprovalDecide, &Resource::Gateway),
            "admins propose, privacy officers approve"
        );
        assert!(a.allowed(&admin, Action::ApprovalList, &Resource::Gateway));
        assert!(!a.allowed(&rev, Action::ApprovalList, &Resource::Gateway));
        assert!(!a.allowed(&rev, Action::AuditRead, &Resource::Gateway));
        let trainer = user(Role::Trainer, &[], &[]);
        let training = Resource::Project {
            id: "pt".into(),
            purpose: "training".into(),
        };
        let review = Resource::Project {
            id: "pr".into(),
            purpose: "human_review".into(),
        };
        assert!(a.allowed(&trainer, Action::DatasetExport, &training));
        assert!(!a.allowed(&trainer, Action::DatasetExport, &review));
        assert!(
            !a.allowed(&admin, Action::SessionLogin, &Resource::Gateway),
            "actions the policies do not decide deny"
        );
    }

    #[test]
    fn the_decided_actions_are_the_schemas() {
        let (schema, _) = Schema::from_cedarschema_str(SCHEMA).unwrap();
        let mut in_schema: Vec<String> = schema
            .action_entities()
            .unwrap()
            .iter()
            .map(|e| e.uid().id().unescaped().to_string())
            .collect();
        in_schema.sort();
        let mut ours: Vec<String> = Action::DECIDED
            .iter()
            .map(|a| a.as_str().to_string())
            .collect();
        ours.sort();
        assert_eq!(ours, in_schema);
    }

    #[test]
    fn a_policy_off_the_schema_stops_start_up() {
        let bad = "permit (principal, action == Scrim::Action::\"task.read\", resource is Scrim::Task) when { principal.shoe_size > 3 };";
        let e = Authz::new(SCHEMA, bad)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("do not match the schema"), "{e}");
    }
}
