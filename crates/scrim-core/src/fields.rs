//! Fields of a record beyond the message contents: which keys of which chat-log schemas Scrim
//! knows, and what becomes of the others.
//!
//! A record is read as Scrim's own shape and as an OpenAI-style chat log (the Chat Completions
//! message list, with the conversation's metadata around it). Every field is one of:
//!
//! - **main text**: each message's `content`, or a document's `text`;
//! - **own policy**: `profile` and `attachments` (see [`crate::policy`]); `scrim`, which the output
//!   writes anew;
//! - **kept**: a message's `role`; the record's `id` and `subject`, which the store and the
//!   key scopes use as identifiers: kept unless they hold an email address or phone number,
//!   which becomes a keyed pseudonym (`id_…`, `subject_…`) in the output;
//! - **known, scanned**: every string and integer inside the conversation's `text`, `title`,
//!   `name`, `source`, `user` and `metadata`, and inside a message's `name`, `tool_calls`,
//!   `function_call`, `tool_call_id`, `refusal` and `metadata`. A tool call's `arguments` (a
//!   JSON string) is decoded and each string in it scanned, or scanned as text when it is not
//!   JSON. A message's `name` is a participant's name: it seeds detection (found wherever it
//!   occurs in the conversation, the field itself included); for `tool` and `function`
//!   messages it names a function and is only scanned. Known fields teach the conversation:
//!   a name found in them is looked for in every message;
//! - **unknown**: everything else, top level and per message, by the policy's
//!   `[record] unknown_fields`: `redact` (scanned like the known ones, but a name found only
//!   there does not spread into the messages), `drop`, or `keep` (passed through unexamined
//!   and counted).
//!
//! Object keys are field names and are kept as they are; booleans and nulls carry no text.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::engine::Seed;
use crate::label::Label;
use crate::policy::UnknownFields;
use crate::record::{Record, Shape};

/// Top-level fields whose strings are scanned and teach the conversation.
const KNOWN_TOP: &[&str] = &["text", "title", "name", "source", "user", "metadata"];
/// Top-level fields with their own handling.
const OWN_TOP: &[&str] = &[
    "messages",
    "profile",
    "attachments",
    "scrim",
    "id",
    "subject",
];
/// Message fields whose strings are scanned and teach the conversation.
const KNOWN_MESSAGE: &[&str] = &[
    "name",
    "tool_calls",
    "function_call",
    "tool_call_id",
    "refusal",
    "metadata",
];
/// Message fields with their own handling.
const OWN_MESSAGE: &[&str] = &["role", "content"];
/// Top-level fields kept as identifiers, unless they hold an email address or phone number.
pub(crate) const IDENTIFIERS: &[&str] = &["id", "subject"];
/// Roles whose `name` is a function's, not a person's.
const FUNCTION_ROLES: &[&str] = &["tool", "function"];
/// Names that are roles, not people: never seeds.
const ROLE_NAMES: &[&str] = &[
    "user",
    "assistant",
    "system",
    "developer",
    "tool",
    "function",
    "bot",
    "ai",
    "model",
    "human",
];

/// What one scanned value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A known field's value: teaches the conversation.
    Known,
    /// An unknown field's value (policy `redact`): searched for what was taught, teaches nothing.
    Unknown,
    /// `id` or `subject`: only an email address or phone number in it counts.
    Identifier,
}

/// One scanned value: a string (or an integer, as its digits) somewhere in the record.
pub(crate) struct Leaf {
    /// JSON pointer (RFC 6901) to the value in the record.
    pub pointer: String,
    /// Inside a JSON-encoded string (a tool call's `arguments`), the pointer in the decoded value.
    pub inner: Option<String>,
    /// Its text.
    pub text: String,
    /// What it is.
    pub kind: Kind,
}

/// What to scan, seed, drop and count in one record beyond its main texts.
#[derive(Default)]
pub(crate) struct Plan {
    /// Scanned values: known ones first, then unknown ones, then identifiers.
    pub leaves: Vec<Leaf>,
    /// How many leaves (from the first) teach the conversation.
    pub teaching: usize,
    /// Participant names from messages' `name`.
    pub seeds: Vec<Seed>,
    /// Unknown fields passed through unexamined (`keep`).
    pub unexamined: usize,
    /// Pointers of unknown fields to remove (`drop`).
    pub dropped: Vec<String>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("leaves", &self.leaves.len())
            .field("teaching", &self.teaching)
            .field("seeds", &self.seeds.len())
            .field("unexamined", &self.unexamined)
            .field("dropped", &self.dropped.len())
            .finish()
    }
}

/// One segment of a JSON pointer, escaped (`~` as `~0`, `/` as `~1`).
fn segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The texts inside a value, with their pointers below `at`.
fn collect(
    value: &Value,
    at: &str,
    decode_arguments: bool,
    out: &mut Vec<(String, Option<String>, String)>,
) {
    match value {
        Value::String(s) => {
            let decoded = decode_arguments && at.ends_with("/arguments");
            match decoded
                .then(|| serde_json::from_str::<Value>(s).ok())
                .flatten()
                .filter(|v| v.is_object() || v.is_array())
            {
                Some(inner) => {
                    let mut found = Vec::new();
                    collect(&inner, "", false, &mut found);
                    for (p, _, t) in found {
                        out.push((at.to_string(), Some(p), t));
                    }
                }
                None => out.push((at.to_string(), None, s.clone())),
            }
        }
        Value::Number(n) => out.push((at.to_string(), None, n.to_string())),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, &format!("{at}/{i}"), decode_arguments, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect(v, &format!("{at}/{}", segment(k)), decode_arguments, out);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

/// The seed label for a participant name: a handle (no spaces; digits, `_`, `.` or `@`) or a
/// person's name.
fn name_label(name: &str) -> Label {
    let handle = !name.contains(char::is_whitespace)
        && name
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | '@'));
    if handle {
        Label::Username
    } else {
        Label::Person
    }
}

/// Plan the fields of `record` beyond its main texts under `mode`.
pub(crate) fn plan(record: &Record, mode: UnknownFields) -> Plan {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut plan = Plan::default();
    let obj = record.fields();
    let conversation = record.shape() == Shape::Conversation;
    let mut field = |value: &Value, at: String, is_known: bool, plan: &mut Plan| {
        if is_known {
            collect(value, &at, true, &mut known);
            return;
        }
        match mode {
            UnknownFields::Redact => collect(value, &at, true, &mut unknown),
            UnknownFields::Drop => plan.dropped.push(at),
            UnknownFields::Keep => plan.unexamined += 1,
        }
    };
    for (k, v) in obj {
        let main_text = !conversation && k == "text";
        if OWN_TOP.contains(&k.as_str()) || main_text {
            continue;
        }
        field(
            v,
            format!("/{}", segment(k)),
            KNOWN_TOP.contains(&k.as_str()),
            &mut plan,
        );
    }
    if let Some(Value::Array(messages)) = obj.get("messages") {
        for (i, m) in messages.iter().enumerate() {
            let Value::Object(m) = m else { continue };
            let role = m.get("role").and_then(Value::as_str).unwrap_or("");
            for (k, v) in m {
                if OWN_MESSAGE.contains(&k.as_str()) {
                    continue;
                }
                if k == "name" && !FUNCTION_ROLES.contains(&role) {
                    if let Some(name) = v.as_str().map(str::trim) {
                        if !ROLE_NAMES.contains(&name.to_lowercase().as_str()) {
                            plan.seeds.push(Seed {
                                value: name.to_string(),
                                label: name_label(name),
                            });
                        }
                    }
                }
                let at = format!("/messages/{i}/{}", segment(k));
                field(v, at, KNOWN_MESSAGE.contains(&k.as_str()), &mut plan);
            }
        }
    }
    let leaf = |kind: Kind| {
        move |(pointer, inner, text): (String, Option<String>, String)| Leaf {
            pointer,
            inner,
            text,
            kind,
        }
    };
    plan.teaching = known.len();
    plan.leaves.extend(known.into_iter().map(leaf(Kind::Known)));
    plan.leaves
        .extend(unknown.into_iter().map(leaf(Kind::Unknown)));
    for k in IDENTIFIERS {
        if let Some(Value::String(s)) = obj.get(*k) {
            plan.leaves.push(Leaf {
                pointer: format!("/{k}"),
                inner: None,
                text: s.clone(),
                kind: Kind::Identifier,
            });
        }
    }
    plan
}

/// Write the redacted leaves back (`new[i]` for `plan.leaves[i]`, `None` where nothing
/// changed), then remove the dropped fields.
pub(crate) fn apply(obj: &mut Map<String, Value>, plan: &Plan, new: &[Option<String>]) {
    let mut root = Value::Object(std::mem::take(obj));
    // Decoded JSON strings (tool-call arguments) with their changed leaves, and where each is.
    let mut decoded: Vec<(String, Value)> = Vec::new();
    let mut decoded_at: HashMap<&str, usize> = HashMap::new();
    for (leaf, text) in plan.leaves.iter().zip(new) {
        let Some(text) = text else { continue };
        match &leaf.inner {
            None => {
                if let Some(slot) = root.pointer_mut(&leaf.pointer) {
                    *slot = Value::String(text.clone());
                }
            }
            Some(inner) => {
                let at = match decoded_at.get(leaf.pointer.as_str()) {
                    Some(&at) => at,
                    None => {
                        let parsed = root
                            .pointer(&leaf.pointer)
                            .and_then(Value::as_str)
                            .and_then(|s| serde_json::from_str::<Value>(s).ok());
                        let Some(parsed) = parsed else { continue };
                        decoded.push((leaf.pointer.clone(), parsed));
                        decoded_at.insert(&leaf.pointer, decoded.len() - 1);
                        decoded.len() - 1
                    }
                };
                if let Some(slot) = decoded.get_mut(at).and_then(|(_, v)| v.pointer_mut(inner)) {
                    *slot = Value::String(text.clone());
                }
            }
        }
    }
    for (pointer, value) in decoded {
        if let Some(slot) = root.pointer_mut(&pointer) {
            *slot = Value::String(value.to_string());
        }
    }
    for pointer in &plan.dropped {
        let (parent, key) = match pointer.rsplit_once('/') {
            Some(pk) => pk,
            None => continue,
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        let parent = if parent.is_empty() {
            Some(&mut root)
        } else {
            root.pointer_mut(parent)
        };
        if let Some(Value::Object(m)) = parent {
            m.shift_remove(&key);
        }
    }
    if let Value::Object(m) = root {
        *obj = m;
    }
}
