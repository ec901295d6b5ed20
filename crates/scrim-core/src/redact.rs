//! Redaction of whole records: detection, replacement, profiles and attachments, by a policy.
//!
//! The output keeps the input's shape and unknown fields, with content replaced, and gains a
//! `scrim` field:
//!
//! ```json
//! {"policy": "sha256:…", "key_id": "1a2b3c4d",
//!  "replacements": [{"message": 0, "start": 11, "end": 17, "label": "PERSON",
//!                    "action": "placeholder", "replacement": "[PERSON_1]"}],
//!  "tags": [{"message": 2, "categories": ["health"]}],
//!  "profile": "dropped", "attachments": [{"id": "a1", "action": "withheld"}]}
//! ```
//!
//! `start`/`end` are code point offsets into the original content (`message` is absent for
//! `text` documents). A `keep` action lists the span without a replacement value.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::engine::{Engine, MessageAnalysis, Seed};
use crate::label::Label;
use crate::media;
use crate::policy::{Action, ImageAction, Policy, ProfileAction};
use crate::record::{Record, Shape};
use crate::replace::{Key, Pseudonyms, Replacer};
use crate::sensitive::Category;
use crate::text::OffsetMap;

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
}

impl std::fmt::Display for WithheldReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WithheldReason::DropLabel(l) => write!(f, "contains {l} (policy: drop)"),
            WithheldReason::Sensitive(c) => write!(f, "sensitive category {}", c_str(*c)),
            WithheldReason::DetectionFailed(d) => write!(f, "detector {d} failed"),
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

/// Profile keys and the label of their values; keys not listed are dropped when replacing.
fn profile_label(key: &str) -> Option<Label> {
    let k = key.to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match k.as_str() {
        "name" | "first_name" | "firstname" | "given_name" | "last_name" | "lastname"
        | "surname" | "family_name" | "full_name" | "fullname" | "nickname" | "display_name"
        | "middle_name" => Label::Person,
        "city" | "town" | "hometown" | "neighborhood" | "neighbourhood" | "region" | "state"
        | "province" | "country" | "location" | "place" => Label::Location,
        "employer" | "company" | "workplace" | "school" | "university" | "college" | "org"
        | "organization" | "organisation" => Label::Org,
        "email" | "email_address" => Label::Email,
        "phone" | "phone_number" | "mobile" | "telephone" => Label::Phone,
        "address" | "street_address" | "home_address" => Label::Address,
        "age" => Label::Age,
        "birthday" | "dob" | "date_of_birth" | "birth_date" | "birthdate" => Label::Date,
        "username" | "handle" | "instagram" | "twitter" | "snapchat" | "tiktok" | "user_name" => {
            Label::Username
        }
        "ssn" | "national_id" | "passport" | "aadhaar" | "pan" | "id_number" => Label::Id,
        "website" | "url" | "homepage" => Label::Url,
        "ip" | "ip_address" => Label::Ip,
        _ => return None,
    })
}

fn value_strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(a) => a.iter().flat_map(value_strings).collect(),
        _ => Vec::new(),
    }
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
    engine: Arc<Engine>,
    policy: Policy,
    key: Key,
    scope: KeyScope,
    policy_hash: String,
}

impl Redactor {
    /// A redactor running `engine` under `policy` and `key`.
    pub fn new(engine: Arc<Engine>, policy: Policy, key: Key) -> Redactor {
        let policy_hash = policy.hash();
        Redactor {
            engine,
            policy,
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
        &self.policy
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Seeds from the record's profile (when the policy allows it).
    fn seeds(&self, record: &Record) -> Vec<Seed> {
        if !self.policy.profile.seed_detection {
            return Vec::new();
        }
        let Some(profile) = record.profile() else {
            return Vec::new();
        };
        let mut seeds = Vec::new();
        for (k, v) in profile {
            let Some(label) = profile_label(k) else {
                continue;
            };
            if matches!(label, Label::Age) {
                continue; // a bare number is no safe needle
            }
            for s in value_strings(v) {
                seeds.push(Seed { value: s, label });
            }
        }
        seeds
    }

    /// Detect personal data in every message of a record (conversation-consistent).
    ///
    /// Fails when a detector could not look at the text (see [`Engine::analyze`]).
    pub fn detect(&self, record: &Record) -> crate::Result<Vec<MessageAnalysis>> {
        let texts = record.texts();
        self.engine.analyze(&texts, &self.seeds(record))
    }

    /// Detect personal data in several records at once (the learned tier batches across them).
    /// `out[i]` is what [`Redactor::detect`] would give for `records[i]`.
    pub fn detect_batch(&self, records: &[Record]) -> Vec<crate::Result<Vec<MessageAnalysis>>> {
        if records.len() <= 1 || !self.engine.has_model() {
            return records.iter().map(|r| self.detect(r)).collect();
        }
        let texts: Vec<Vec<&str>> = records.iter().map(Record::texts).collect();
        let seeds: Vec<Vec<Seed>> = records.iter().map(|r| self.seeds(r)).collect();
        let convs: Vec<(&[&str], &[Seed])> = texts
            .iter()
            .zip(&seeds)
            .map(|(t, s)| (t.as_slice(), s.as_slice()))
            .collect();
        match self.engine.analyze_batch(&convs) {
            Ok(all) => all.into_iter().map(Ok).collect(),
            // One bad record must not fail its neighbours: retry one by one.
            Err(_) => records.iter().map(|r| self.detect(r)).collect(),
        }
    }

    /// Redact several records (the learned tier batches across them).
    pub fn redact_batch(&self, records: Vec<Record>) -> Vec<Outcome> {
        let analyses = self.detect_batch(&records);
        records
            .into_iter()
            .zip(analyses)
            .map(|(r, a)| self.redact_with(r, a))
            .collect()
    }

    /// Redact one record.
    pub fn redact(&self, record: Record) -> Outcome {
        let analyses = self.detect(&record);
        self.redact_with(record, analyses)
    }

    /// Redact one record given its analysis.
    fn redact_with(
        &self,
        mut record: Record,
        analyses: crate::Result<Vec<MessageAnalysis>>,
    ) -> Outcome {
        let analyses = match analyses {
            Ok(a) => a,
            Err(e) => {
                let detector = match e {
                    crate::Error::Detector { detector, .. } => detector,
                    _ => "engine",
                };
                return Outcome::Withheld {
                    reason: WithheldReason::DetectionFailed(detector),
                    stats: Stats {
                        text_bytes: record.texts().iter().map(|t| t.len()).sum(),
                        ..Stats::default()
                    },
                };
            }
        };
        let texts: Vec<String> = record.texts().into_iter().map(str::to_string).collect();
        let mut stats = Stats {
            text_bytes: texts.iter().map(String::len).sum(),
            ..Stats::default()
        };
        for a in &analyses {
            for f in &a.findings {
                *stats.by_label.entry(f.label).or_default() += 1;
            }
            for c in &a.tags {
                *stats.tags.entry(*c).or_default() += 1;
            }
        }
        // Withholding decisions come first: nothing of a withheld record is written.
        for a in &analyses {
            if let Some(f) = a
                .findings
                .iter()
                .find(|f| self.policy.action(f.label) == Action::Drop)
            {
                return Outcome::Withheld {
                    reason: WithheldReason::DropLabel(f.label),
                    stats,
                };
            }
            if let Some(c) = a
                .tags
                .iter()
                .find(|c| self.policy.sensitive.withhold_records_with.contains(c))
            {
                return Outcome::Withheld {
                    reason: WithheldReason::Sensitive(*c),
                    stats,
                };
            }
        }
        let key = self.key_for(&record);
        let replacer = Replacer::new(&self.policy, &key);
        let mut table = Pseudonyms::new();
        // Every person first, so that each mention can be tied to the longest form of the name.
        for (text, a) in texts.iter().zip(&analyses) {
            for f in a.findings.iter().filter(|f| f.label == Label::Person) {
                if let Some(v) = f.span.slice(text) {
                    table.register_person(&crate::replace::normalize(Label::Person, v));
                }
            }
        }
        let mut new_texts = Vec::with_capacity(texts.len());
        let mut replacements = Vec::new();
        let mut tags = Vec::new();
        let conversation = record.shape() == Shape::Conversation;
        for (i, (text, a)) in texts.iter().zip(&analyses).enumerate() {
            let (new_text, applied) = replacer.apply(text, &a.findings, &mut table);
            let offsets = OffsetMap::new(text);
            for ap in applied {
                let mut r = Map::new();
                if conversation {
                    r.insert("message".into(), json!(i));
                }
                r.insert("start".into(), json!(offsets.char_of_byte(ap.span.start())));
                r.insert("end".into(), json!(offsets.char_of_byte(ap.span.end())));
                r.insert("label".into(), json!(ap.label.as_str()));
                r.insert("action".into(), json!(ap.action));
                if let Some(rep) = ap.replacement {
                    r.insert("replacement".into(), json!(rep));
                }
                replacements.push(Value::Object(r));
            }
            if !a.tags.is_empty() {
                let mut t = Map::new();
                if conversation {
                    t.insert("message".into(), json!(i));
                }
                t.insert("categories".into(), json!(a.tags));
                tags.push(Value::Object(t));
            }
            new_texts.push(new_text);
        }
        record.set_texts(new_texts);

        let mut scrim = Map::new();
        scrim.insert("policy".into(), json!(self.policy_hash));
        scrim.insert("key_id".into(), json!(self.key.fingerprint()));
        if self.scope != KeyScope::Run {
            scrim.insert("key_scope".into(), json!(self.scope.name()));
        }
        scrim.insert("replacements".into(), Value::Array(replacements));
        scrim.insert("tags".into(), Value::Array(tags));
        let fields = record.fields_mut();
        if let Some(profile) = self.profile(fields, &replacer, &mut table) {
            scrim.insert("profile".into(), json!(profile));
        }
        let attachments = self.attachments(fields, &mut stats);
        if !attachments.is_empty() {
            scrim.insert("attachments".into(), Value::Array(attachments));
        }
        fields.insert("scrim".into(), Value::Object(scrim));
        Outcome::Redacted {
            value: record.into_value(),
            stats,
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
        match self.policy.profile.action {
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
                    let replaced = match (&v, self.policy.action(label)) {
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
            let stripped = match self.policy.attachments.images {
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
}
