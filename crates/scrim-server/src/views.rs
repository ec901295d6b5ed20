//! What a reviewer sees: a project's declaration of what its tasks show, and the view built from
//! it. The view is built from an allowlist (the declared turns, the declared profile facts at
//! their declared generalization, images only when declared), never by subtracting detected data
//! from the original: anything not declared is not there.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};

/// Which turns of a conversation a task shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Turns {
    /// Every message.
    #[default]
    All,
    /// The user's messages only.
    User,
    /// The assistant's messages only.
    Assistant,
}

/// What happens to a message tagged with a sensitive category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveRule {
    /// The message's text is withheld from every reviewer (the default).
    #[default]
    Withhold,
    /// The task goes only to reviewers cleared for the category.
    Route,
}

/// The sensitive categories the core tags messages with.
pub const CATEGORIES: [&str; 8] = [
    "health",
    "sex_life",
    "religion",
    "politics",
    "ethnicity",
    "union_membership",
    "children",
    "self_harm",
];

/// A project's declaration of what its tasks show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSpec {
    /// Which turns.
    #[serde(default)]
    pub turns: Turns,
    /// Which profile facts, generalized how far at most.
    #[serde(default)]
    pub profile: crate::kanon::ShowSpec,
    /// Whether images appear (with their EXIF/GPS stripped at ingest, never re-encoded).
    #[serde(default)]
    pub images: bool,
    /// Per sensitive category: `withhold` (default for any category not listed) or `route`.
    #[serde(default)]
    pub sensitive: BTreeMap<String, SensitiveRule>,
}

impl Default for ProjectSpec {
    fn default() -> Self {
        ProjectSpec {
            turns: Turns::All,
            profile: crate::kanon::ShowSpec::default(),
            images: false,
            sensitive: BTreeMap::new(),
        }
    }
}

impl ProjectSpec {
    /// Check the declaration.
    pub fn check(&self) -> Result<()> {
        for c in self.sensitive.keys() {
            if !CATEGORIES.contains(&c.as_str()) {
                return Err(Error::BadRequest(format!(
                    "sensitive category {c:?} is not one of {}",
                    CATEGORIES.join(", ")
                )));
            }
        }
        if self.profile.k == 0 {
            return Err(Error::BadRequest(
                "profile.k must be at least 1".to_string(),
            ));
        }
        Ok(())
    }

    fn rule(&self, category: &str) -> SensitiveRule {
        self.sensitive.get(category).copied().unwrap_or_default()
    }
}

/// A task's view as stored (before profile facts, which are generalized against the whole
/// project at read time), and what it needs to be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltView {
    /// `{"messages": [...], "attachments": [...]?}`.
    pub view: Value,
    /// Categories the project routes only to cleared reviewers.
    pub routed: Vec<String>,
    /// Every category tagged in the shown turns.
    pub categories: Vec<String>,
    /// Names of what the view reveals (for the audit log).
    pub fields: Vec<String>,
}

/// Build a task's view from a redacted record (the output of the core's `Redactor`), keeping
/// only what `spec` declares.
pub fn build(redacted: &Value, spec: &ProjectSpec) -> BuiltView {
    let mut tags: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    if let Some(ts) = redacted.pointer("/scrim/tags").and_then(Value::as_array) {
        for t in ts {
            let i = t.get("message").and_then(Value::as_u64).unwrap_or(0) as usize;
            let cats = t
                .get("categories")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            tags.entry(i).or_default().extend(cats);
        }
    }
    let mut routed = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let mut messages = Vec::new();
    let mut fields = BTreeSet::new();
    let source: Vec<(String, String)> = match redacted.get("messages").and_then(Value::as_array) {
        Some(ms) => ms
            .iter()
            .map(|m| {
                (
                    m.get("role")
                        .and_then(Value::as_str)
                        .unwrap_or("user")
                        .to_string(),
                    m.get("content")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect(),
        None => vec![(
            "user".to_string(),
            redacted
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )],
    };
    for (i, (role, content)) in source.into_iter().enumerate() {
        let shown = match spec.turns {
            Turns::All => true,
            Turns::User => role == "user",
            Turns::Assistant => role == "assistant",
        };
        if !shown {
            continue;
        }
        let cats = tags.get(&i).cloned().unwrap_or_default();
        let mut withheld = Vec::new();
        for c in &cats {
            categories.insert(c.clone());
            match spec.rule(c) {
                SensitiveRule::Withhold => withheld.push(c.clone()),
                SensitiveRule::Route => {
                    routed.insert(c.clone());
                }
            }
        }
        let content = if withheld.is_empty() {
            fields.insert(format!("messages:{role}"));
            content
        } else {
            fields.insert("messages:withheld".to_string());
            format!("[withheld: {}]", withheld.join(", "))
        };
        messages.push(json!({"index": i, "role": role, "content": content, "tags": cats}));
    }
    let mut view = Map::new();
    view.insert("messages".into(), Value::Array(messages));
    if spec.images {
        let kept: Vec<Value> = redacted
            .pointer("/scrim/attachments")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|x| x.get("action").and_then(Value::as_str) == Some("stripped"))
                    .filter_map(|x| x.get("id").cloned())
                    .collect()
            })
            .unwrap_or_default();
        let images: Vec<Value> = redacted
            .get("attachments")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|x| x.get("id").is_some_and(|id| kept.contains(id)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if !images.is_empty() {
            fields.insert("attachments:images".to_string());
            view.insert("attachments".into(), Value::Array(images));
        }
    }
    BuiltView {
        view: Value::Object(view),
        routed: routed.into_iter().collect(),
        categories: categories.into_iter().collect(),
        fields: fields.into_iter().collect(),
    }
}

/// Replace a code-point range of one message's content in a stored view with `[FLAGGED]`;
/// returns the text that was there (to go on the project's deny list, never logged).
pub fn flag(view: &mut Value, message: usize, start: usize, end: usize) -> Result<String> {
    let bad = || Error::BadRequest(format!("no text at message {message}, {start}..{end}"));
    if start >= end {
        return Err(bad());
    }
    let msg = view
        .get_mut("messages")
        .and_then(Value::as_array_mut)
        .and_then(|ms| {
            ms.iter_mut()
                .find(|m| m.get("index").and_then(Value::as_u64) == Some(message as u64))
        })
        .ok_or_else(bad)?;
    let content = msg
        .get("content")
        .and_then(Value::as_str)
        .ok_or_else(bad)?
        .to_string();
    let map = scrim_core::text::OffsetMap::new(&content);
    let (bs, be) = (map.byte_of_char(start), map.byte_of_char(end));
    let (Some(bs), Some(be)) = (bs, be) else {
        return Err(bad());
    };
    let value = content.get(bs..be).ok_or_else(bad)?.to_string();
    let mut next = String::with_capacity(content.len());
    next.push_str(content.get(..bs).unwrap_or(""));
    next.push_str("[FLAGGED]");
    next.push_str(content.get(be..).unwrap_or(""));
    if let Some(obj) = msg.as_object_mut() {
        obj.insert("content".into(), Value::String(next));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted() -> Value {
        json!({
            "id": "c1", "subject": "s_x", "secret_field": "do not show",
            "messages": [
                {"role": "user", "content": "hi [PERSON_1] 😀 here"},
                {"role": "assistant", "content": "hello"},
                {"role": "user", "content": "my therapist says"}
            ],
            "profile": {"first_name": "Hailey"},
            "attachments": [{"id": "a1", "media_type": "image/jpeg", "data": "AAAA"}],
            "scrim": {"tags": [{"message": 2, "categories": ["health"]}],
                      "attachments": [{"id": "a1", "action": "stripped"}]}
        })
    }

    #[test]
    fn only_what_is_declared() {
        let spec = ProjectSpec {
            turns: Turns::User,
            ..ProjectSpec::default()
        };
        let b = build(&redacted(), &spec);
        let text = b.view.to_string();
        for hidden in [
            "secret_field",
            "Hailey",
            "hello",
            "AAAA",
            "therapist",
            "s_x",
        ] {
            assert!(!text.contains(hidden), "{hidden} leaked: {text}");
        }
        assert_eq!(b.view["messages"].as_array().map(Vec::len), Some(2));
        assert_eq!(b.view["messages"][1]["content"], "[withheld: health]");
        assert!(b.routed.is_empty());
        assert_eq!(b.categories, ["health"]);
    }

    #[test]
    fn routing_and_images_when_declared() {
        let mut spec = ProjectSpec {
            images: true,
            ..ProjectSpec::default()
        };
        spec.sensitive.insert("health".into(), SensitiveRule::Route);
        let b = build(&redacted(), &spec);
        assert_eq!(b.routed, ["health"]);
        assert_eq!(b.view["messages"][2]["content"], "my therapist says");
        assert_eq!(b.view["attachments"][0]["id"], "a1");
        assert!(b.fields.contains(&"attachments:images".to_string()));
    }

    #[test]
    fn flags_cut_by_code_points() {
        let mut v = build(&redacted(), &ProjectSpec::default()).view;
        // "hi [PERSON_1] 😀 here": "here" starts at code point 16.
        let got = flag(&mut v, 0, 16, 20).unwrap_or_default();
        assert_eq!(got, "here");
        assert_eq!(v["messages"][0]["content"], "hi [PERSON_1] 😀 [FLAGGED]");
        assert!(flag(&mut v, 0, 5, 500).is_err());
        assert!(flag(&mut v, 9, 0, 1).is_err());
    }
}
