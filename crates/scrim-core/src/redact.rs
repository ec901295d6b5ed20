//! Redaction of whole records: detection, replacement, profiles and attachments, by a policy.
//!
//! The output keeps the input's shape, with content replaced (fields beyond the messages as
//! [`crate::fields`] describes), and gains a `scrim` field:
//!
//! ```json
//! {"policy": "sha256:…", "key_id": "1a2b3c4d",
//!  "replacements": [{"message": 0, "start": 11, "end": 17, "label": "PERSON",
//!                    "action": "placeholder", "replacement": "[PERSON_1]"},
//!                   {"field": "/messages/1/tool_calls/0/function/arguments", "inner": "/to",
//!                    "start": 0, "end": 16, "label": "EMAIL", "action": "placeholder",
//!                    "replacement": "[EMAIL_1]"}],
//!  "tags": [{"message": 2, "categories": ["health"]}],
//!  "unexamined_fields": 1,
//!  "profile": "dropped", "attachments": [{"id": "a1", "action": "withheld"}]}
//! ```
//!
//! `start`/`end` are code point offsets into the original content (`message` is absent for
//! `text` documents), or into the value at `field` (a JSON pointer; `inner` points inside a
//! JSON-encoded string). A `keep` action lists the span without a replacement value; an `id` or
//! `subject` holding an email address or phone number is listed with action `pseudonym`.
//! `unexamined_fields` and `dropped_fields` count unknown fields kept unexamined or removed by
//! the policy's `[record] unknown_fields` (absent when zero).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::engine::{Engine, MessageAnalysis};
use crate::fields;
use crate::label::Label;
use crate::media;
use crate::policy::{Action, ImageAction, Policy, ProfileAction};
use crate::record::{Record, Shape};
use crate::replace::{Key, Pseudonyms, Replacer};
use crate::sensitive::Category;
pub use scrim_field::ScrimField;

mod rewrite;

use rewrite::{Rewrite, Rewritten};

mod detection;
mod scrim_field;

pub use detection::Detection;
use detection::{value_strings, Prepared};

/// Counts for one record (no content).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Replaced (or kept) entities per label.
    pub by_label: BTreeMap<Label, usize>,
    /// Messages tagged per sensitive category.
    pub tags: BTreeMap<Category, usize>,
    /// Attachments removed.
    pub attachments_withheld: usize,
    /// Images kept with metadata stripped.
    pub attachments_stripped: usize,
    /// Bytes of text scanned.
    pub text_bytes: usize,
    /// Unknown fields passed through unexamined (policy `[record] unknown_fields = "keep"`).
    pub unexamined_fields: usize,
    /// Unknown fields removed (policy `[record] unknown_fields = "drop"`).
    pub dropped_fields: usize,
}

impl Stats {
    /// Add another record's counts to these.
    pub fn merge(&mut self, other: &Stats) {
        for (l, n) in &other.by_label {
            *self.by_label.entry(*l).or_default() += n;
        }
        for (c, n) in &other.tags {
            *self.tags.entry(*c).or_default() += n;
        }
        self.attachments_withheld += other.attachments_withheld;
        self.attachments_stripped += other.attachments_stripped;
        self.text_bytes += other.text_bytes;
        self.unexamined_fields += other.unexamined_fields;
        self.dropped_fields += other.dropped_fields;
    }
}

/// Why a record was withheld from the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithheldReason {
    /// It contains a label whose action is `drop`.
    DropLabel(Label),
    /// A message is tagged with a category the policy withholds.
    Sensitive(Category),
    /// A detector could not look at the record (fail closed: it is not passed on as clean).
    DetectionFailed(&'static str),
    /// A message has more findings than the cap (`detection.max_findings_per_message`).
    TooManyFindings(usize),
}

impl std::fmt::Display for WithheldReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WithheldReason::DropLabel(l) => write!(f, "contains {l} (policy: drop)"),
            WithheldReason::Sensitive(c) => write!(f, "sensitive category {}", c_str(*c)),
            WithheldReason::DetectionFailed(d) => write!(f, "detector {d} failed"),
            WithheldReason::TooManyFindings(n) => write!(
                f,
                "a message has more than {n} findings (policy: detection.max_findings_per_message)"
            ),
        }
    }
}

fn c_str(c: Category) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What became of a record.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The redacted record.
    Redacted {
        /// The output JSON (content replaced, `scrim` field added).
        value: Value,
        /// Counts.
        stats: Stats,
    },
    /// The record is withheld by policy.
    Withheld {
        /// Why.
        reason: WithheldReason,
        /// Counts.
        stats: Stats,
    },
}

/// The label a profile key's values are replaced under; keys without one are dropped when
/// replacing (the vocabulary is [`crate::profile`], shared with the review gateway).
fn profile_label(key: &str) -> Option<Label> {
    crate::profile::classify(key).label()
}

/// Within what one value keeps one pseudonym (placeholders are numbered per record whatever the
/// scope; this decides the keyed surrogates and hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyScope {
    /// One key for the whole run: the same value gets the same surrogate in every record.
    #[default]
    Run,
    /// A key per conversation (derived from the record's `id`, or from its text when it has
    /// none): nobody can link two conversations through their pseudonyms.
    Conversation,
    /// A key per subject (derived from the record's `subject`; per conversation without one).
    Subject,
}

impl KeyScope {
    /// `run`, `conversation` or `subject`.
    pub fn name(self) -> &'static str {
        match self {
            KeyScope::Run => "run",
            KeyScope::Conversation => "conversation",
            KeyScope::Subject => "subject",
        }
    }
}

/// Redacts records by a policy, under a key. Build once, share between threads.
#[derive(Debug)]
pub struct Redactor {
    detection: Detection,
    key: Key,
    scope: KeyScope,
    policy_hash: String,
}

impl Redactor {
    /// A redactor running `engine` under `policy` and `key`.
    pub fn new(engine: Arc<Engine>, policy: Policy, key: Key) -> Redactor {
        let policy_hash = policy.hash();
        Redactor {
            detection: Detection::new(engine, policy),
            key,
            scope: KeyScope::Run,
            policy_hash,
        }
    }

    /// Use keys of this scope (default: [`KeyScope::Run`]).
    pub fn with_scope(mut self, scope: KeyScope) -> Redactor {
        self.scope = scope;
        self
    }

    /// The key for one record under this redactor's scope.
    fn key_for(&self, record: &Record) -> Key {
        let by = |field: &str, value: Option<String>| match value {
            Some(v) => self.key.derive(&[field.as_bytes(), v.as_bytes()]),
            // No id: the conversation's own text names its scope (deterministic, and as
            // unlinkable to other conversations as their texts differ).
            None => {
                use sha2::Digest;
                let mut h = sha2::Sha256::new();
                for t in record.texts() {
                    h.update((t.len() as u64).to_le_bytes());
                    h.update(t.as_bytes());
                }
                self.key.derive(&[b"content", &h.finalize()])
            }
        };
        match self.scope {
            KeyScope::Run => self.key.clone(),
            KeyScope::Conversation => by("conversation", record.id()),
            KeyScope::Subject => match record.str_field("subject") {
                Some(s) => by("subject", Some(s.to_string())),
                None => by("conversation", record.id()),
            },
        }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.detection.policy
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.detection.engine
    }

    /// Its keyless detection (what it reads of a record and what the engine finds there).
    pub fn detection(&self) -> &Detection {
        &self.detection
    }

    /// Detect personal data in a record (conversation-consistent): one analysis per message (or
    /// for the document's text), then one per other field value scanned, in the order
    /// [`crate::fields`] reads them. The same as [`Detection::detect`] (no key involved).
    ///
    /// Fails when a detector could not look at the text (see [`Engine::analyze`]).
    pub fn detect(&self, record: &Record) -> crate::Result<Vec<MessageAnalysis>> {
        self.detection.detect(record)
    }

    /// Detect personal data in several records at once (the learned tier batches across them).
    /// `out[i]` is what [`Redactor::detect`] would give for `records[i]`.
    pub fn detect_batch(&self, records: &[Record]) -> Vec<crate::Result<Vec<MessageAnalysis>>> {
        self.detection.detect_batch(records)
    }

    /// What detection reads of a record beyond its main texts, and its seeds.
    fn prepare(&self, record: &Record) -> Prepared {
        self.detection.prepare(record)
    }

    fn detect_batch_prepared(
        &self,
        records: &[Record],
        prepared: &[Prepared],
    ) -> Vec<crate::Result<Vec<MessageAnalysis>>> {
        self.detection.detect_batch_prepared(records, prepared)
    }

    /// Redact several records (the learned tier batches across them).
    pub fn redact_batch(&self, records: Vec<Record>) -> Vec<Outcome> {
        let prepared: Vec<Prepared> = records.iter().map(|r| self.prepare(r)).collect();
        let analyses = self.detect_batch_prepared(&records, &prepared);
        records
            .into_iter()
            .zip(prepared)
            .zip(analyses)
            .map(|((r, p), a)| self.redact_with(r, &p, a))
            .collect()
    }

    /// Redact one record.
    pub fn redact(&self, record: Record) -> Outcome {
        let prepared = self.prepare(&record);
        let analyses = self.detection.detect_prepared(&record, &prepared);
        self.redact_with(record, &prepared, analyses)
    }

    /// A keyed pseudonym for an identifier field (`id_…`, `subject_…`).
    fn identifier_pseudonym(&self, field: &str, value: &str) -> String {
        let d = self
            .key
            .mac(&[b"identifier", field.as_bytes(), value.as_bytes()]);
        let hex = crate::hex::encode(d.get(..8).unwrap_or(&d));
        format!("{field}_{hex}")
    }

    /// Redact one record given its analysis.
    fn redact_with(
        &self,
        record: Record,
        prepared: &Prepared,
        analyses: crate::Result<Vec<MessageAnalysis>>,
    ) -> Outcome {
        let plan = &prepared.plan;
        let base = base_stats(&record, plan);
        let mut analyses = match analyses {
            Ok(a) => a,
            Err(e) => {
                return Outcome::Withheld {
                    reason: withheld_for(e),
                    stats: base,
                }
            }
        };
        let texts: Vec<String> = record.texts().into_iter().map(str::to_string).collect();
        only_contacts_in_identifiers(plan, analyses.iter_mut().skip(texts.len()));
        let stats = counted(base, &analyses);
        if let Some(reason) = self.withholding(&analyses) {
            return Outcome::Withheld { reason, stats };
        }
        let key = self.key_for(&record);
        let replacer = Replacer::new(&self.detection.policy, &key);
        let conversation = record.shape() == Shape::Conversation;
        let done = Rewrite::new(self, replacer, plan, &texts, conversation).run(&analyses);
        self.redacted(record, plan, done, &replacer, stats)
    }

    /// Why the policy withholds a record with these analyses, if it does. Withholding decisions
    /// come first: nothing of a withheld record is written.
    fn withholding(&self, analyses: &[MessageAnalysis]) -> Option<WithheldReason> {
        let cap = self.detection.policy.detection.max_findings_per_message;
        if analyses.iter().any(|a| a.findings.len() > cap) {
            return Some(WithheldReason::TooManyFindings(cap));
        }
        for a in analyses {
            if let Some(f) = a
                .findings
                .iter()
                .find(|f| self.detection.policy.action(f.label) == Action::Drop)
            {
                return Some(WithheldReason::DropLabel(f.label));
            }
            if let Some(c) = a.tags.iter().find(|c| {
                self.detection
                    .policy
                    .sensitive
                    .withhold_records_with
                    .contains(c)
            }) {
                return Some(WithheldReason::Sensitive(*c));
            }
        }
        None
    }

    /// The rewritten record, its profile and attachments handled by the policy, with its
    /// `scrim` field.
    fn redacted(
        &self,
        mut record: Record,
        plan: &fields::Plan,
        done: Rewritten,
        replacer: &Replacer<'_>,
        mut stats: Stats,
    ) -> Outcome {
        let Rewritten {
            texts,
            leaves,
            replacements,
            tags,
            mut table,
        } = done;
        record.set_texts(texts);
        fields::apply(record.fields_mut(), plan, &leaves);
        let mut scrim = self.scrim_field(replacements, tags, &stats);
        let fields = record.fields_mut();
        scrim.profile = self.profile(fields, replacer, &mut table);
        scrim.attachments = self.attachments(fields, &mut stats);
        // A struct of strings, numbers and JSON values always serializes.
        let scrim = serde_json::to_value(&scrim).unwrap_or_default();
        fields.insert("scrim".into(), scrim);
        Outcome::Redacted {
            value: record.into_value(),
            stats,
        }
    }

    /// The `scrim` field up to the profile and attachments: policy, key, replacements, tags and
    /// field counts.
    fn scrim_field(&self, replacements: Vec<Value>, tags: Vec<Value>, stats: &Stats) -> ScrimField {
        ScrimField {
            policy: self.policy_hash.clone(),
            key_id: self.key.fingerprint(),
            key_scope: (self.scope != KeyScope::Run).then(|| self.scope.name()),
            replacements,
            tags,
            unexamined_fields: stats.unexamined_fields,
            dropped_fields: stats.dropped_fields,
            profile: None,
            attachments: Vec::new(),
        }
    }

    /// Apply the profile policy; returns what was done, if there was a profile.
    fn profile(
        &self,
        fields: &mut Map<String, Value>,
        replacer: &Replacer<'_>,
        table: &mut Pseudonyms,
    ) -> Option<&'static str> {
        let profile = match fields.get("profile") {
            Some(Value::Object(p)) => p.clone(),
            _ => return None,
        };
        match self.detection.policy.profile.action {
            ProfileAction::Keep => Some("kept"),
            ProfileAction::Drop => {
                fields.remove("profile");
                Some("dropped")
            }
            ProfileAction::Replace => {
                let mut out = Map::new();
                for (k, v) in profile {
                    let Some(label) = profile_label(&k) else {
                        continue; // unknown facts are dropped: fail closed
                    };
                    let replaced = match (&v, self.detection.policy.action(label)) {
                        (_, Action::Keep) => Some(v.clone()),
                        (Value::Array(items), _) => Some(Value::Array(
                            items
                                .iter()
                                .flat_map(value_strings)
                                .filter_map(|s| replacer.replace_value(label, &s, table))
                                .map(Value::String)
                                .collect(),
                        )),
                        _ => value_strings(&v)
                            .first()
                            .and_then(|s| replacer.replace_value(label, s, table))
                            .map(Value::String),
                    };
                    if let Some(r) = replaced {
                        out.insert(k, r);
                    }
                }
                fields.insert("profile".into(), Value::Object(out));
                Some("replaced")
            }
        }
    }

    /// Apply the attachment policy; returns one entry per attachment.
    fn attachments(&self, fields: &mut Map<String, Value>, stats: &mut Stats) -> Vec<Value> {
        let Some(Value::Array(items)) = fields.remove("attachments") else {
            return Vec::new();
        };
        let mut kept = Vec::new();
        let mut report = Vec::new();
        for item in items {
            let id = item.get("id").cloned().unwrap_or(Value::Null);
            let stripped = match self.detection.policy.attachments.images {
                ImageAction::Withhold => None,
                ImageAction::StripMetadata => strip_attachment(&item),
            };
            match stripped {
                Some((new_item, removed)) => {
                    stats.attachments_stripped += 1;
                    kept.push(new_item);
                    report.push(json!({"id": id, "action": "stripped", "removed": removed}));
                }
                None => {
                    stats.attachments_withheld += 1;
                    report.push(json!({"id": id, "action": "withheld"}));
                }
            }
        }
        if !kept.is_empty() {
            fields.insert("attachments".into(), Value::Array(kept));
        }
        report
    }
}

/// A record's counts before detection: bytes scanned and fields left unexamined or dropped.
fn base_stats(record: &Record, plan: &fields::Plan) -> Stats {
    let scanned_bytes = record.texts().iter().map(|t| t.len()).sum::<usize>()
        + plan.leaves.iter().map(|l| l.text.len()).sum::<usize>();
    Stats {
        text_bytes: scanned_bytes,
        unexamined_fields: plan.unexamined,
        dropped_fields: plan.dropped.len(),
        ..Stats::default()
    }
}

/// Why a record whose detection failed is withheld (fail closed).
fn withheld_for(e: crate::Error) -> WithheldReason {
    match e {
        crate::Error::TooManyFindings { limit } => WithheldReason::TooManyFindings(limit),
        crate::Error::Detector { detector, .. } => WithheldReason::DetectionFailed(detector),
        _ => WithheldReason::DetectionFailed("engine"),
    }
}

/// In `id` and `subject` only an email address or a phone number counts (`leaf_analyses`: the
/// analyses of the plan's leaves, in order).
fn only_contacts_in_identifiers<'a>(
    plan: &fields::Plan,
    leaf_analyses: impl Iterator<Item = &'a mut MessageAnalysis>,
) {
    for (leaf, a) in plan.leaves.iter().zip(leaf_analyses) {
        if leaf.kind == fields::Kind::Identifier {
            a.findings
                .retain(|f| matches!(f.label, Label::Email | Label::Phone));
            a.tags.clear();
        }
    }
}

/// `stats` with the findings per label and the tags per category of `analyses` added.
fn counted(mut stats: Stats, analyses: &[MessageAnalysis]) -> Stats {
    for a in analyses {
        for f in &a.findings {
            *stats.by_label.entry(f.label).or_default() += 1;
        }
        for c in &a.tags {
            *stats.tags.entry(*c).or_default() += 1;
        }
    }
    stats
}

/// The keys a kept attachment carries; any other (`filename`, `caption`, `url`, …) may hold
/// personal data nobody examined and is left out.
pub const ATTACHMENT_KEYS: [&str; 5] = ["id", "media_type", "data", "width", "height"];

/// An image attachment with its metadata stripped and only [`ATTACHMENT_KEYS`] kept (`width`
/// and `height` only as numbers), or `None` to withhold it (not an image we can read: fail
/// closed).
fn strip_attachment(item: &Value) -> Option<(Value, Vec<&'static str>)> {
    let data = item.get("data")?.as_str()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .ok()?;
    let (clean, report) = media::strip_metadata(&bytes).ok()?;
    let mut out: Map<String, Value> = item
        .as_object()?
        .iter()
        .filter(|(k, v)| match k.as_str() {
            "width" | "height" => v.is_u64(),
            "id" | "media_type" => true,
            _ => false,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.insert(
        "data".into(),
        json!(base64::engine::general_purpose::STANDARD.encode(clean)),
    );
    Some((Value::Object(out), report.removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(policy: Policy) -> Redactor {
        Redactor::new(
            Arc::new(Engine::new().unwrap()),
            policy,
            Key::from_secret(b"test"),
        )
    }

    #[test]
    fn findings_only_detection_finds_the_same_and_tags_nothing() {
        let r = redactor(Policy::default_policy().unwrap());
        let rec = Record::parse(
            r#"{"id":"c1","messages":[
                {"role":"user","content":"I'm Maya Okafor, my therapist says my depression is back"},
                {"role":"assistant","content":"I'm sorry to hear that, Maya."}]}"#,
        )
        .unwrap();
        let full = r.detection().detect(&rec).unwrap();
        let only = r.detection().clone().findings_only().detect(&rec).unwrap();
        let spans = |a: &[MessageAnalysis]| -> Vec<Vec<(usize, usize, Label)>> {
            a.iter()
                .map(|m| {
                    m.findings
                        .iter()
                        .map(|f| (f.span.start(), f.span.end(), f.label))
                        .collect()
                })
                .collect()
        };
        assert_eq!(spans(&full), spans(&only));
        assert!(spans(&full)[0].iter().any(|s| s.2 == Label::Person));
        assert_eq!(full[0].tags, [Category::Health]);
        assert!(only.iter().all(|m| m.tags.is_empty()));
    }

    #[test]
    fn profile_dropped_attachments_withheld_by_default() {
        let r = redactor(Policy::default_policy().unwrap());
        let rec = Record::parse(
            r#"{"id":"c1","messages":[{"role":"user","content":"hello Zyxwv"}],
               "profile":{"first_name":"Zyxwv","hobbies":["sushi"]},
               "attachments":[{"id":"a1","media_type":"image/jpeg","data":"AAAA"}],"extra":true}"#,
        )
        .unwrap();
        let Outcome::Redacted { value, stats } = r.redact(rec) else {
            panic!("withheld")
        };
        assert!(value.get("profile").is_none());
        assert!(value.get("attachments").is_none());
        assert_eq!(value["extra"], true);
        assert_eq!(stats.attachments_withheld, 1);
        // The profile's first name seeds detection in the messages.
        assert_eq!(value["messages"][0]["content"], "hello [PERSON_1]");
        let rep = &value["scrim"]["replacements"][0];
        assert_eq!(
            (
                rep["message"].as_u64(),
                rep["start"].as_u64(),
                rep["end"].as_u64()
            ),
            (Some(0), Some(6), Some(11))
        );
        assert!(value["scrim"]["policy"]
            .as_str()
            .unwrap()
            .starts_with("sha256:"));
    }

    #[test]
    fn a_value_taught_with_two_labels_spreads_as_its_strongest_teachers() {
        // The profile says Boise is the user's city; a capitalised guess at the end of a quoted
        // search phrase takes it for a person. Every mention stays a place: the guess must not
        // be copied over the profile's fact.
        let r = redactor(Policy::default_policy().unwrap());
        let rec = Record::parse(
            r#"{"id":"c1","messages":[
                {"role":"user","content":"we just moved to Boise and I miss the ocean"},
                {"role":"assistant","content":"Welcome to Boise! The river is close by."},
                {"role":"assistant","content":"Try searching \"pottery workshop Boise\" online."}],
               "profile":{"city":"Boise"}}"#,
        )
        .unwrap();
        let found = r.detect(&rec).unwrap();
        let labels: Vec<Label> = found
            .iter()
            .zip(rec.texts())
            .flat_map(|(m, text)| {
                m.findings
                    .iter()
                    .filter(move |f| f.span.slice(text) == Some("Boise"))
                    .map(|f| f.label)
            })
            .collect();
        assert_eq!(labels, [Label::Location; 3]);
    }

    #[test]
    fn stripped_attachments_keep_only_allow_listed_keys() {
        let example = include_str!("../../../examples/conversations.jsonl");
        let mut rec: Value = serde_json::from_str(example.lines().next().unwrap()).unwrap();
        rec["attachments"][0]["filename"] = json!("zyxwv_passport.jpg");
        rec["attachments"][0]["caption"] = json!("Zyxwv at home");
        rec["attachments"][0]["width"] = json!(8);
        let mut policy = Policy::default_policy().unwrap();
        policy.attachments.images = ImageAction::StripMetadata;
        let r = redactor(policy);
        let Outcome::Redacted { value, stats } = r.redact(Record::from_value(rec).unwrap()) else {
            panic!("withheld")
        };
        assert_eq!(stats.attachments_stripped, 1);
        let a = value["attachments"][0].as_object().unwrap();
        let mut keys: Vec<&str> = a.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["data", "id", "media_type", "width"]);
        assert!(!value.to_string().contains("Zyxwv"));
    }

    #[test]
    fn offsets_are_code_points_with_emoji() {
        let r = redactor(Policy::default_policy().unwrap());
        let rec = Record::parse(r#"{"id":"x","text":"😀👩‍👩‍👧 hi Zyxwv","profile":{"name":"Zyxwv"}}"#)
            .unwrap();
        let Outcome::Redacted { value, .. } = r.redact(rec) else {
            panic!()
        };
        let rep = &value["scrim"]["replacements"][0];
        // 😀 is 1 code point, 👩‍👩‍👧 is 5: "😀👩‍👩‍👧 hi " = 1 + 5 + 4 = 10.
        assert_eq!(rep["start"].as_u64(), Some(10));
        assert_eq!(rep["end"].as_u64(), Some(15));
        assert!(rep.get("message").is_none());
    }

    #[test]
    fn key_scopes_decide_which_records_share_surrogates() {
        let toml = crate::policy::DEFAULT_POLICY_TOML
            .replace("EMAIL = \"placeholder\"", "EMAIL = \"surrogate\"");
        let policy = Policy::from_toml(&toml).unwrap();
        assert_eq!(
            policy.action(Label::Email),
            crate::policy::Action::Surrogate
        );
        let line = |id: &str, subject: &str| {
            Record::parse(&format!(
                r#"{{"id":"{id}","subject":"{subject}","text":"write to zyx.wv@example.org"}}"#
            ))
            .unwrap()
        };
        let surrogate = |r: &Redactor, rec: Record| match r.redact(rec) {
            Outcome::Redacted { value, .. } => value["text"].as_str().unwrap().to_string(),
            Outcome::Withheld { .. } => panic!("withheld"),
        };
        let run = redactor(policy.clone());
        assert_eq!(
            surrogate(&run, line("c1", "u1")),
            surrogate(&run, line("c2", "u2"))
        );
        let conv = redactor(policy.clone()).with_scope(KeyScope::Conversation);
        let (a, a_again, b) = (
            surrogate(&conv, line("c1", "u1")),
            surrogate(&conv, line("c1", "u1")),
            surrogate(&conv, line("c2", "u1")),
        );
        assert_eq!(a, a_again);
        assert_ne!(a, b, "two conversations of one person are not linked");
        assert!(!a.contains("zyx.wv"));
        let subj = redactor(policy).with_scope(KeyScope::Subject);
        assert_eq!(
            surrogate(&subj, line("c1", "u1")),
            surrogate(&subj, line("c2", "u1"))
        );
        assert_ne!(
            surrogate(&subj, line("c1", "u1")),
            surrogate(&subj, line("c1", "u2"))
        );
    }

    #[test]
    fn drop_action_withholds_record() {
        let toml = crate::policy::DEFAULT_POLICY_TOML
            .replace("PERSON = \"placeholder\"", "PERSON = \"drop\"");
        let r = redactor(Policy::from_toml(&toml).unwrap());
        let rec = Record::parse(r#"{"text":"hi Zyxwv","profile":{"name":"Zyxwv"}}"#).unwrap();
        assert!(matches!(
            r.redact(rec),
            Outcome::Withheld {
                reason: WithheldReason::DropLabel(Label::Person),
                ..
            }
        ));
    }

    #[test]
    fn profile_replace_drops_unknown_facts() {
        let toml =
            crate::policy::DEFAULT_POLICY_TOML.replace("action = \"drop\"", "action = \"replace\"");
        let r = redactor(Policy::from_toml(&toml).unwrap());
        let rec = Record::parse(
            r#"{"text":"x","profile":{"first_name":"Hailey","city":"Boise","age":29,"gender":"female","hobbies":["sushi"]}}"#,
        )
        .unwrap();
        let Outcome::Redacted { value, .. } = r.redact(rec) else {
            panic!()
        };
        let p = value["profile"].as_object().unwrap();
        assert_eq!(p["first_name"], "[PERSON_1]");
        assert_eq!(p["city"], "[LOCATION_1]");
        assert_eq!(p["age"], "[AGE_1]");
        assert!(!p.contains_key("gender") && !p.contains_key("hobbies"));
    }

    fn redacted(r: &Redactor, line: &str) -> (Value, Stats) {
        match r.redact(Record::parse(line).unwrap()) {
            Outcome::Redacted { value, stats } => (value, stats),
            Outcome::Withheld { reason, .. } => panic!("withheld: {reason}"),
        }
    }

    fn policy_with(extra: &str) -> Policy {
        Policy::from_toml(&format!("version = 1\n{extra}")).unwrap()
    }

    /// Issue 10, item 1: about 40% of valid Aadhaar numbers failed the Verhoeff check.
    #[test]
    fn aadhaar_numbers_are_redacted() {
        let r = redactor(Policy::default_policy().unwrap());
        let (v, _) = redacted(
            &r,
            r#"{"id":"a","text":"my aadhaar 5291 8437 0625 thanks"}"#,
        );
        assert_eq!(v["text"], "my aadhaar [ID_1] thanks");
    }

    /// Issue 10, item 2: a conversation's top-level `text` passed through raw.
    #[test]
    fn a_conversations_text_is_redacted() {
        let r = redactor(Policy::default_policy().unwrap());
        let (v, _) = redacted(
            &r,
            r#"{"id":"f1","text":"I am Hailey Mills, email hailey.r.mills@gmail.com, phone 208-555-0147","messages":[{"role":"user","content":"hello, Hailey here"}]}"#,
        );
        let text = v["text"].as_str().unwrap();
        for raw in ["Hailey", "Mills", "hailey.r.mills", "555-0147"] {
            assert!(!text.contains(raw), "{text}");
        }
        // One person, one number, across the field and the messages.
        assert_eq!(v["messages"][0]["content"], "hello, [PERSON_1] here");
        assert!(
            text.contains("[PERSON_1]") && text.contains("[EMAIL_1]"),
            "{text}"
        );
        let fields: Vec<&str> = v["scrim"]["replacements"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["field"].as_str())
            .collect();
        assert!(
            fields.iter().all(|f| *f == "/text") && fields.len() >= 3,
            "{fields:?}"
        );
    }

    const CHAT_LOG: &str = r#"{"id":"hailey.r.mills@gmail.com","subject":"+1 208 555 0147","title":"Trip plans with Omar Haddad","user":{"email":"hailey.r.mills@gmail.com","display":"Hailey Mills"},"messages":[{"role":"user","name":"Hailey Mills","content":"can you email Omar for me? sign it from Hailey","metadata":{"device":"call me on 208-555-0147"}},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"send_email","arguments":"{\"to\":\"omar.haddad@example.org\",\"body\":\"Hi Omar, Hailey Mills says hello\"}"}}]},{"role":"tool","name":"send_email","tool_call_id":"call_1","content":"sent"}],"custom":{"note":"write to hailey.r.mills@gmail.com","seen":3}}"#;

    /// Issue 10, item 6: the known fields of OpenAI-style chat logs are redacted, the
    /// participant's `name` seeds detection, and `id`/`subject` holding an email or phone become
    /// keyed pseudonyms.
    #[test]
    fn chat_log_fields_are_redacted() {
        let r = redactor(Policy::default_policy().unwrap());
        let (v, stats) = redacted(&r, CHAT_LOG);
        let out = v.to_string();
        for raw in [
            "Hailey",
            "Mills",
            "hailey.r.mills",
            "Omar",
            "Haddad",
            "omar.haddad",
            "555",
        ] {
            assert!(!out.contains(raw), "{raw} in {out}");
        }
        let m = &v["messages"];
        // Numbered in reading order: the messages first, then the other fields.
        assert_eq!(m[0]["name"], "[PERSON_2]");
        assert_eq!(
            m[0]["content"],
            "can you email [PERSON_1] for me? sign it from [PERSON_2]"
        );
        let args: Value = serde_json::from_str(
            m[1]["tool_calls"][0]["function"]["arguments"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(args["to"], "[EMAIL_2]");
        assert_eq!(args["body"], "Hi [PERSON_1], [PERSON_2] says hello");
        // A function's name is code, not a person.
        assert_eq!(m[2]["name"], "send_email");
        assert_eq!(m[1]["tool_calls"][0]["function"]["name"], "send_email");
        assert_eq!(m[2]["tool_call_id"], "call_1");
        assert_eq!(v["user"]["email"], "[EMAIL_1]");
        assert_eq!(v["title"], "Trip plans with [PERSON_1]");
        assert_eq!(v["custom"]["note"], "write to [EMAIL_1]");
        assert_eq!(v["custom"]["seen"], 3);
        let id = v["id"].as_str().unwrap();
        let subject = v["subject"].as_str().unwrap();
        assert!(id.starts_with("id_") && id.len() == 19, "{id}");
        assert!(subject.starts_with("subject_"), "{subject}");
        // Keyed and stable: the same input gives the same pseudonym.
        let (again, _) = redacted(&r, CHAT_LOG);
        assert_eq!(again["id"], v["id"]);
        assert_eq!(stats.unexamined_fields, 0);
        let reps = v["scrim"]["replacements"].as_array().unwrap();
        assert!(reps
            .iter()
            .any(|r| r["field"] == "/id" && r["action"] == "pseudonym"));
        assert!(reps.iter().any(|r| {
            r["field"] == "/messages/1/tool_calls/0/function/arguments" && r["inner"] == "/to"
        }));
        // An ordinary id is kept.
        let (plain, _) = redacted(&r, r#"{"id":"c1","subject":"u-1","text":"hi"}"#);
        assert_eq!(
            (plain["id"].as_str(), plain["subject"].as_str()),
            (Some("c1"), Some("u-1"))
        );
    }

    /// Issue 10, item 6: the policy decides unknown fields; `keep` is counted as unexamined.
    #[test]
    fn unknown_fields_follow_the_policy() {
        let line = r#"{"id":"c1","messages":[{"role":"user","content":"hi","x_note":"hailey.r.mills@gmail.com"}],"custom":{"note":"hailey.r.mills@gmail.com"},"lang":"en"}"#;
        let keep = redactor(policy_with("[record]\nunknown_fields = \"keep\""));
        let (v, stats) = redacted(&keep, line);
        assert_eq!(v["custom"]["note"], "hailey.r.mills@gmail.com");
        assert_eq!(stats.unexamined_fields, 3);
        assert_eq!(v["scrim"]["unexamined_fields"], 3);
        let drop = redactor(policy_with("[record]\nunknown_fields = \"drop\""));
        let (v, stats) = redacted(&drop, line);
        assert!(v.get("custom").is_none() && v.get("lang").is_none());
        assert!(v["messages"][0].get("x_note").is_none());
        assert_eq!(v["messages"][0]["content"], "hi");
        assert_eq!(v["id"], "c1");
        assert_eq!((stats.dropped_fields, stats.unexamined_fields), (3, 0));
        assert_eq!(v["scrim"]["dropped_fields"], 3);
        let redact = redactor(Policy::default_policy().unwrap());
        let (v, stats) = redacted(&redact, line);
        assert_eq!(v["custom"]["note"], "[EMAIL_1]");
        assert_eq!(v["messages"][0]["x_note"], "[EMAIL_1]");
        assert_eq!(v["lang"], "en");
        assert_eq!((stats.dropped_fields, stats.unexamined_fields), (0, 0));
        assert!(v["scrim"].get("unexamined_fields").is_none());
    }

    /// A name found only in an unknown field is replaced there, but does not spread into the
    /// messages (eval gold and other tooling fields must not teach detection).
    #[test]
    fn unknown_fields_learn_but_do_not_teach() {
        let r = redactor(Policy::default_policy().unwrap());
        let (v, _) = redacted(
            &r,
            r#"{"messages":[{"role":"user","content":"my name is Zyxwv Qorp, ask about qorp"}],"gold":{"who":"qorp"},"extra":"tell Plimbo I said so"}"#,
        );
        assert_eq!(v["gold"]["who"], "[PERSON_1]", "taught by the messages");
        let content = v["messages"][0]["content"].as_str().unwrap();
        assert!(!content.contains("Qorp"), "{content}");
    }

    /// Issue 10, item 9: past the cap a record is withheld with a reason, never passed raw.
    #[test]
    fn too_many_findings_withhold_the_record() {
        let text: String = (0..12).map(|i| format!("a{i}@example.org ")).collect();
        let line = json!({"id": "x", "text": text}).to_string();
        let r = redactor(policy_with("[detection]\nmax_findings_per_message = 10"));
        match r.redact(Record::parse(&line).unwrap()) {
            Outcome::Withheld {
                reason: WithheldReason::TooManyFindings(10),
                stats,
            } => assert_eq!(stats.by_label.get(&Label::Email), Some(&12)),
            other => panic!("{other:?}"),
        }
        // The engine's own cap fails closed the same way.
        let engine = crate::EngineBuilder::default()
            .max_findings(5)
            .build()
            .unwrap();
        let r = Redactor::new(
            Arc::new(engine),
            Policy::default_policy().unwrap(),
            Key::from_secret(b"test"),
        );
        assert!(matches!(
            r.redact(Record::parse(&line).unwrap()),
            Outcome::Withheld {
                reason: WithheldReason::TooManyFindings(5),
                ..
            }
        ));
        assert!(WithheldReason::TooManyFindings(5)
            .to_string()
            .contains("more than 5"));
    }

    /// Issue 10, item 9: a long message repeating a name is found whole (counted, not timed;
    /// `benches/detectors.rs` measures the time).
    #[test]
    fn a_long_repetitive_message_is_resolved_whole() {
        let n = 12_000;
        let text = "I met Hailey Mills today. ".repeat(n);
        let engine = crate::EngineBuilder::default()
            .max_findings(usize::MAX)
            .build()
            .unwrap();
        let a = engine.analyze(&[&text, "and Hailey again"], &[]).unwrap();
        assert_eq!(a[0].findings.len(), n);
        assert!(a[0]
            .findings
            .iter()
            .all(|f| f.label == Label::Person && f.span.slice(&text) == Some("Hailey Mills")));
        assert_eq!(a[1].findings.len(), 1, "the name spreads");
        let capped = Engine::new().unwrap();
        assert!(matches!(
            capped.analyze(&[&text], &[]),
            Err(crate::Error::TooManyFindings { limit: 10_000 })
        ));
        // A line of nothing but the name (no capital is evidence there): what one mention
        // teaches covers every other, overlapping ones included, and nothing of it survives.
        let r = redactor(Policy::default_policy().unwrap());
        let line = json!({"messages": [
            {"role": "user", "content": "Hailey Mills ".repeat(3_000)},
            {"role": "user", "content": "I am Hailey Mills"},
        ]})
        .to_string();
        let (v, _) = redacted(&r, &line);
        let out = v["messages"][0]["content"].as_str().unwrap();
        assert!(
            !out.contains("Hailey") && !out.contains("Mills"),
            "{}",
            &out[..80]
        );
    }

    /// Issue 10, item 14: integers beyond 64 bits keep their digits.
    #[test]
    fn big_integers_keep_their_digits() {
        let r = redactor(Policy::default_policy().unwrap());
        let line = r#"{"id":123456789012345678901234567890,"text":"hi","n":18446744073709551617}"#;
        let rec = Record::parse(line).unwrap();
        assert_eq!(rec.id().as_deref(), Some("123456789012345678901234567890"));
        let (v, _) = redacted(&r, line);
        let out = v.to_string();
        assert!(
            out.contains(r#""id":123456789012345678901234567890"#),
            "{out}"
        );
        assert!(out.contains(r#""n":18446744073709551617"#), "{out}");
    }
}
