//! Keyless detection of a whole record: what the redactor reads (messages or the document's
//! text, the other field values the policy scans, profile facts as seeds) and what the engine
//! finds there, conversation-consistent. [`crate::Redactor`] detects through this, and so does
//! anything that needs findings without replacing them (`scrim detect`, a binding): no key,
//! nothing written twice.

use std::sync::Arc;

use serde_json::Value;

use crate::engine::{Conversation, Engine, MessageAnalysis, Seed};
use crate::fields;
use crate::label::Label;
use crate::policy::Policy;
use crate::record::Record;

use super::profile_label;

/// What detection reads of one record beyond its main texts.
pub(crate) struct Prepared {
    pub(crate) plan: fields::Plan,
    pub(crate) seeds: Vec<Seed>,
}

/// Detection by an engine under a policy's field, profile and detection rules.
#[derive(Debug, Clone)]
pub struct Detection {
    pub(crate) engine: Arc<Engine>,
    pub(crate) policy: Policy,
    /// Whether analyses carry the sensitive categories ([`Detection::findings_only`]).
    tags: bool,
}

pub(super) fn value_strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(a) => a.iter().flat_map(value_strings).collect(),
        _ => Vec::new(),
    }
}

impl Detection {
    /// Detection by `engine` under `policy`.
    pub fn new(engine: Arc<Engine>, policy: Policy) -> Detection {
        Detection {
            engine,
            policy,
            tags: true,
        }
    }

    /// The same detection without the sensitive categories: every
    /// [`MessageAnalysis::tags`] it returns is empty, and the time to find them is saved. For
    /// callers that use only the findings (`scrim detect`, `scrim eval`, a binding's `detect`);
    /// a [`crate::Redactor`] always tags, since routing and withholding depend on it.
    #[must_use]
    pub fn findings_only(mut self) -> Detection {
        self.tags = false;
        self
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Seeds from the record's profile (when the policy allows it): each value of a key with a
    /// label (a bare age is no safe needle).
    pub fn profile_seeds(&self, record: &Record) -> Vec<Seed> {
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

    /// What detection reads of a record beyond its main texts, and its seeds.
    pub(crate) fn prepare(&self, record: &Record) -> Prepared {
        let plan = fields::plan(record, self.policy.record.unknown_fields);
        let mut seeds = self.profile_seeds(record);
        seeds.extend(plan.seeds.iter().cloned());
        Prepared { plan, seeds }
    }

    /// Run the engine over prepared records (the learned tier batches across them).
    fn analyze(&self, items: &[(&Record, &Prepared)]) -> crate::Result<Vec<Vec<MessageAnalysis>>> {
        let texts: Vec<(Vec<&str>, usize, Vec<bool>)> = items
            .iter()
            .map(|(r, p)| {
                let mut t = r.texts();
                let teaching = t.len() + p.plan.teaching;
                t.extend(p.plan.leaves.iter().map(|l| l.text.as_str()));
                (t, teaching, r.answers())
            })
            .collect();
        let convs: Vec<Conversation<'_>> = items
            .iter()
            .zip(&texts)
            .map(|((_, p), (t, teaching, answers))| Conversation {
                texts: t,
                seeds: &p.seeds,
                teaching: *teaching,
                answers,
            })
            .collect();
        if self.tags {
            self.engine.analyze_conversations(&convs)
        } else {
            self.engine.find_in_conversations(&convs)
        }
    }

    pub(crate) fn detect_prepared(
        &self,
        record: &Record,
        prepared: &Prepared,
    ) -> crate::Result<Vec<MessageAnalysis>> {
        Ok(self
            .analyze(&[(record, prepared)])?
            .pop()
            .unwrap_or_default())
    }

    /// Detect personal data in a record (conversation-consistent): one analysis per message (or
    /// for the document's text), then one per other field value scanned, in the order
    /// [`crate::fields`] reads them.
    ///
    /// Fails when a detector could not look at the text (see [`Engine::analyze`]).
    pub fn detect(&self, record: &Record) -> crate::Result<Vec<MessageAnalysis>> {
        self.detect_prepared(record, &self.prepare(record))
    }

    /// Detect personal data in several records at once (the learned tier batches across them).
    /// `out[i]` is what [`Detection::detect`] would give for `records[i]`.
    pub fn detect_batch(&self, records: &[Record]) -> Vec<crate::Result<Vec<MessageAnalysis>>> {
        let prepared: Vec<Prepared> = records.iter().map(|r| self.prepare(r)).collect();
        self.detect_batch_prepared(records, &prepared)
    }

    pub(crate) fn detect_batch_prepared(
        &self,
        records: &[Record],
        prepared: &[Prepared],
    ) -> Vec<crate::Result<Vec<MessageAnalysis>>> {
        let one_by_one = || {
            records
                .iter()
                .zip(prepared)
                .map(|(r, p)| self.detect_prepared(r, p))
                .collect()
        };
        if records.len() <= 1 || !self.engine.has_model() {
            return one_by_one();
        }
        let items: Vec<(&Record, &Prepared)> = records.iter().zip(prepared).collect();
        match self.analyze(&items) {
            Ok(all) => all.into_iter().map(Ok).collect(),
            // One bad record must not fail its neighbours: retry one by one.
            Err(_) => one_by_one(),
        }
    }
}
