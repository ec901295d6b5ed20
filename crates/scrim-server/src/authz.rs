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
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::PrivacyOfficer,
        Role::Reviewer,
        Role::Ingest,
        Role::Trainer,
    ];

    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::PrivacyOfficer => "privacy_officer",
            Role::Reviewer => "reviewer",
            Role::Ingest => "ingest",
            Role::Trainer => "trainer",
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
                    "unknown role {s:?} (admin, privacy_officer, reviewer, ingest, trainer)"
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

/// The actions of the schema.
pub const ACTIONS: [&str; 18] = [
    "task.next",
    "task.read",
    "task.rate",
    "task.flag",
    "task.skip",
    "conversation.ingest",
    "project.read",
    "project.update",
    "project.stats",
    "project.create",
    "project.list",
    "user.manage",
    "audit.read",
    "audit.verify",
    "alert.read",
    "dataset.export",
    "approval.list",
    "approval.decide",
];

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

    /// Whether `who` may do `action` on `what`. Any failure to build the request is a deny.
    pub fn allowed(&self, who: &Principal, action: &str, what: &Resource) -> bool {
        self.decide(who, action, what).unwrap_or(false)
    }

    fn decide(&self, who: &Principal, action: &str, what: &Resource) -> Result<bool> {
        let project = |id: &str, purpose: &str| -> Result<Entity> {
            let attrs = HashMap::from([("purpose".to_string(), s(purpose))]);
            Entity::new(uid("Scrim::Project", id)?, attrs, HashSet::new())
                .map_err(|e| Error::Policy(e.to_string()))
        };
        let mut entities = Vec::new();
        let mut member_of = Vec::new();
        for p in &who.projects {
            member_of.push(RestrictedExpression::new_entity_uid(uid(
                "Scrim::Project",
                p,
            )?));
        }
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
        entities.push(
            Entity::new(principal_uid.clone(), attrs, HashSet::new())
                .map_err(|e| Error::Policy(e.to_string()))?,
        );
        // The principal's projects exist as entities too (their purpose is not needed here).
        for p in &who.projects {
            let mentioned = match what {
                Resource::Project { id, .. } => id == p,
                Resource::Task { project, .. } => project == p,
                Resource::Gateway => false,
            };
            if !mentioned {
                entities.push(project(p, "")?);
            }
        }
        let resource_uid = match what {
            Resource::Gateway => {
                let u = uid("Scrim::Gateway", "gateway")?;
                entities.push(Entity::new_no_attrs(u.clone(), HashSet::new()));
                u
            }
            Resource::Project { id, purpose } => {
                entities.push(project(id, purpose)?);
                uid("Scrim::Project", id)?
            }
            Resource::Task {
                id,
                project: p,
                purpose,
                routed,
            } => {
                entities.push(project(p, purpose)?);
                let u = uid("Scrim::Task", id)?;
                let attrs = HashMap::from([
                    (
                        "project".to_string(),
                        RestrictedExpression::new_entity_uid(uid("Scrim::Project", p)?),
                    ),
                    (
                        "routed".to_string(),
                        RestrictedExpression::new_set(routed.iter().map(|c| s(c))),
                    ),
                ]);
                entities.push(
                    Entity::new(u.clone(), attrs, HashSet::new())
                        .map_err(|e| Error::Policy(e.to_string()))?,
                );
                u
            }
        };
        let entities = Entities::from_entities(entities, Some(&self.schema))
            .map_err(|e| Error::Policy(e.to_string()))?
            .add_entities(self.actions.iter().cloned(), Some(&self.schema))
            .map_err(|e| Error::Policy(e.to_string()))?;
        let request = Request::new(
            principal_uid,
            uid("Scrim::Action", action)?,
            resource_uid,
            Context::empty(),
            Some(&self.schema),
        )
        .map_err(|e| Error::Policy(e.to_string()))?;
        let response = self
            .authorizer
            .is_authorized(&request, &self.policies, &entities);
        Ok(response.decision() == Decision::Allow)
    }
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
        assert!(a.allowed(&rev, "task.read", &task("pa", &[])));
        assert!(
            !a.allowed(&rev, "task.read", &task("pb", &[])),
            "other project"
        );
        assert!(
            !a.allowed(&rev, "task.read", &task("pa", &["health"])),
            "not cleared"
        );
        let cleared = user(Role::Reviewer, &["pa"], &["health"]);
        assert!(a.allowed(&cleared, "task.read", &task("pa", &["health"])));
        let admin = user(Role::Admin, &[], &[]);
        assert!(
            !a.allowed(&admin, "task.read", &task("pa", &[])),
            "admins read no task"
        );
        assert!(a.allowed(&admin, "user.manage", &Resource::Gateway));
        let po = user(Role::PrivacyOfficer, &[], &[]);
        assert!(a.allowed(&po, "audit.verify", &Resource::Gateway));
        assert!(a.allowed(&po, "approval.decide", &Resource::Gateway));
        assert!(
            !a.allowed(&admin, "approval.decide", &Resource::Gateway),
            "admins propose, privacy officers approve"
        );
        assert!(a.allowed(&admin, "approval.list", &Resource::Gateway));
        assert!(!a.allowed(&rev, "approval.list", &Resource::Gateway));
        assert!(!a.allowed(&rev, "audit.read", &Resource::Gateway));
        let trainer = user(Role::Trainer, &[], &[]);
        let training = Resource::Project {
            id: "pt".into(),
            purpose: "training".into(),
        };
        let review = Resource::Project {
            id: "pr".into(),
            purpose: "human_review".into(),
        };
        assert!(a.allowed(&trainer, "dataset.export", &training));
        assert!(!a.allowed(&trainer, "dataset.export", &review));
        assert!(
            !a.allowed(&rev, "no.such.action", &review),
            "unknown actions deny"
        );
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
