//! The `scrim` field a redacted record carries: what was done to it (policy, key, each
//! replacement's place and label, sensitive-topic tags, field counts), never a value.

use serde::Serialize;
use serde_json::Value;

/// The `scrim` field, in the order its keys are written. Optional parts are left out when
/// they say nothing (`key_scope` for run-wide keys, zero counts, no profile, no attachments).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScrimField {
    /// `sha256:<hex>` of the policy's canonical form.
    pub policy: String,
    /// The pseudonym key's fingerprint.
    pub key_id: String,
    /// The key's scope, when it is not the whole run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_scope: Option<&'static str>,
    /// One entry per replacement (where, what label, which action).
    pub replacements: Vec<Value>,
    /// Sensitive-topic tags per message.
    pub tags: Vec<Value>,
    /// Unknown fields passed through unexamined.
    #[serde(skip_serializing_if = "is_zero")]
    pub unexamined_fields: usize,
    /// Unknown fields removed.
    #[serde(skip_serializing_if = "is_zero")]
    pub dropped_fields: usize,
    /// What the profile policy did (`kept`, `dropped`, `replaced`), if there was a profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'static str>,
    /// What was done to each attachment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Value>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
