//! What the pipeline does to admitted records: redact them ([`Redact`]) or write the spans
//! detected in them ([`Detect`]), a few records per call so that the learned tier batches
//! across them.

use std::sync::Arc;

use scrim_core::engine::{Conversation, MessageAnalysis, Seed};
use scrim_core::label::Label;
use scrim_core::record::Shape;
use scrim_core::redact::WithheldReason;
use scrim_core::text::OffsetMap;
use scrim_core::{fields, profile, Engine, Outcome, Policy, Record, Redactor, Stats};
use scrim_store::Lineage;
use serde_json::{json, Value};

use crate::admit::BadRecord;

/// What one admitted record became.
#[derive(Debug, Clone)]
pub enum Processed {
    /// An output line (JSON, without its newline) and its counts.
    Written {
        /// The line.
        line: String,
        /// Counts (no content).
        stats: Stats,
    },
    /// The policy withholds the record: nothing of it is written.
    Withheld {
        /// Why.
        reason: WithheldReason,
        /// Counts (no content).
        stats: Stats,
    },
    /// The record could not be processed (a detector failed): kept in quarantine to run again,
    /// never passed on as clean.
    Quarantined(BadRecord),
}

/// Turns admitted records into output, on the pipeline's threads.
pub trait Stage: Sync {
    /// What each of `records` became, in order (`out[i]` for `records[i]`).
    fn process(&self, records: Vec<Record>) -> Vec<Processed>;
}

/// Redaction by a [`Redactor`]; with a [`Lineage`], each record's `subject` leaves as its keyed
/// lineage id, never as the source system's id.
#[derive(Debug)]
pub struct Redact<'a> {
    redactor: Redactor,
    lineage: Option<&'a Lineage>,
}

impl<'a> Redact<'a> {
    /// Redact with `redactor`, subjects as they are.
    pub fn new(redactor: Redactor) -> Redact<'a> {
        Redact {
            redactor,
            lineage: None,
        }
    }

    /// Replace each record's `subject` by its lineage id before redaction.
    pub fn with_lineage(mut self, lineage: &'a Lineage) -> Redact<'a> {
        self.lineage = Some(lineage);
        self
    }
}

impl Stage for Redact<'_> {
    fn process(&self, mut records: Vec<Record>) -> Vec<Processed> {
        if let Some(lineage) = self.lineage {
            for r in &mut records {
                let lid = r.str_field("subject").map(|s| lineage.subject(s));
                if let Some(lid) = lid {
                    r.fields_mut().insert("subject".into(), Value::String(lid));
                }
            }
        }
        self.redactor
            .redact_batch(records)
            .into_iter()
            .map(processed)
            .collect()
    }
}

/// A redaction outcome as the pipeline sees it.
pub fn processed(outcome: Outcome) -> Processed {
    match outcome {
        Outcome::Redacted { value, stats } => Processed::Written {
            line: value.to_string(),
            stats,
        },
        // A record no detector could look at is kept in quarantine, to run again.
        Outcome::Withheld {
            reason: reason @ WithheldReason::DetectionFailed(_),
            ..
        } => Processed::Quarantined(BadRecord::new("detection_failed", reason.to_string())),
        Outcome::Withheld { reason, stats } => Processed::Withheld { reason, stats },
    }
}

/// Detection by a policy, without a key: the engine reads each record's main texts and the
/// other fields the policy scans, seeded with its profile facts (when the policy allows) and
/// its participants' names, exactly as redaction detects.
#[derive(Debug)]
pub struct Detection {
    engine: Arc<Engine>,
    policy: Policy,
}

/// What detection reads of one record beyond its main texts.
struct Prepared {
    scanned: fields::Scanned,
    seeds: Vec<Seed>,
}

impl Detection {
    /// Detection by `engine` under `policy`.
    pub fn new(engine: Arc<Engine>, policy: Policy) -> Detection {
        Detection { engine, policy }
    }

    /// The engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Seeds from the record's profile, when the policy allows: each value of a key with a
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
            let Some(label) = profile::classify(k).label() else {
                continue;
            };
            if matches!(label, Label::Age) {
                continue;
            }
            let mut values = Vec::new();
            value_strings(v, &mut values);
            seeds.extend(values.into_iter().map(|value| Seed { value, label }));
        }
        seeds
    }

    fn prepare(&self, record: &Record) -> Prepared {
        let scanned = fields::scanned(record, self.policy.record.unknown_fields);
        let mut seeds = self.profile_seeds(record);
        seeds.extend(scanned.seeds.iter().cloned());
        Prepared { scanned, seeds }
    }

    /// Run the engine over prepared records (the learned tier batches across them).
    fn analyze(
        &self,
        items: &[(&Record, &Prepared)],
    ) -> scrim_core::Result<Vec<Vec<MessageAnalysis>>> {
        let texts: Vec<(Vec<&str>, usize)> = items
            .iter()
            .map(|(r, p)| {
                let mut t = r.texts();
                let teaching = t.len() + p.scanned.teaching;
                t.extend(p.scanned.texts.iter().map(String::as_str));
                (t, teaching)
            })
            .collect();
        let convs: Vec<Conversation<'_>> = items
            .iter()
            .zip(&texts)
            .map(|((_, p), (t, teaching))| Conversation {
                texts: t,
                seeds: &p.seeds,
                teaching: *teaching,
            })
            .collect();
        self.engine.analyze_conversations(&convs)
    }

    /// The analyses of one record: one per message (or for the document's text), then one per
    /// other field value scanned. Fails when a detector could not look at the text.
    pub fn detect(&self, record: &Record) -> scrim_core::Result<Vec<MessageAnalysis>> {
        let prepared = self.prepare(record);
        Ok(self
            .analyze(&[(record, &prepared)])?
            .pop()
            .unwrap_or_default())
    }

    /// Detect in several records at once (the learned tier batches across them); `out[i]` is
    /// what [`Detection::detect`] gives for `records[i]`.
    pub fn detect_batch(
        &self,
        records: &[Record],
    ) -> Vec<scrim_core::Result<Vec<MessageAnalysis>>> {
        if records.len() <= 1 || !self.engine.has_model() {
            return records.iter().map(|r| self.detect(r)).collect();
        }
        let prepared: Vec<Prepared> = records.iter().map(|r| self.prepare(r)).collect();
        let items: Vec<(&Record, &Prepared)> = records.iter().zip(&prepared).collect();
        match self.analyze(&items) {
            Ok(all) => all.into_iter().map(Ok).collect(),
            // One bad record must not fail its neighbours: retry one by one.
            Err(_) => records.iter().map(|r| self.detect(r)).collect(),
        }
    }
}

fn value_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(a) => a.iter().for_each(|v| value_strings(v, out)),
        _ => {}
    }
}

/// Spans of one record as prediction JSON: code point offsets, `message` for conversations.
pub fn spans_json(record: &Record, analyses: &[MessageAnalysis]) -> Vec<Value> {
    let texts = record.texts();
    let conversation = record.shape() == Shape::Conversation;
    let mut spans = Vec::new();
    for (i, (text, a)) in texts.iter().zip(analyses).enumerate() {
        let map = OffsetMap::new(text);
        for f in &a.findings {
            let mut s = serde_json::Map::new();
            if conversation {
                s.insert("message".into(), json!(i));
            }
            s.insert("start".into(), json!(map.char_of_byte(f.span.start())));
            s.insert("end".into(), json!(map.char_of_byte(f.span.end())));
            s.insert("label".into(), json!(f.label.as_str()));
            if let Some(k) = f.kind {
                s.insert("kind".into(), json!(k));
            }
            s.insert(
                "score".into(),
                json!((f64::from(f.score) * 1000.0).round() / 1000.0),
            );
            s.insert("detector".into(), json!(f.detector));
            spans.push(Value::Object(s));
        }
    }
    spans
}

/// Detection as output: one line per record, `{"id": …, "spans": [...]}` (see [`spans_json`]).
#[derive(Debug)]
pub struct Detect(pub Detection);

impl Stage for Detect {
    fn process(&self, records: Vec<Record>) -> Vec<Processed> {
        let analyses = self.0.detect_batch(&records);
        records
            .iter()
            .zip(analyses)
            .map(|(rec, analyses)| match analyses {
                Ok(a) => {
                    let id = rec.id().map_or(Value::Null, Value::String);
                    let line = json!({"id": id, "spans": spans_json(rec, &a)}).to_string();
                    Processed::Written {
                        line,
                        stats: Stats::default(),
                    }
                }
                Err(e) => Processed::Quarantined(BadRecord::new("detection_failed", e.to_string())),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test or fuzz check fails by panicking"
    )]

    use super::*;
    use scrim_core::Key;

    fn findings(a: &[MessageAnalysis]) -> Vec<Vec<(usize, usize, Label)>> {
        a.iter()
            .map(|m| {
                m.findings
                    .iter()
                    .map(|f| (f.span.start(), f.span.end(), f.label))
                    .collect()
            })
            .collect()
    }

    /// Keyless detection finds exactly what the redactor's detection finds: profile seeds,
    /// participants' names, tool-call arguments and unknown fields included.
    #[test]
    fn detection_matches_the_redactors() {
        let engine = Arc::new(Engine::new().unwrap());
        let policy = Policy::default_policy().unwrap();
        let redactor = Redactor::new(Arc::clone(&engine), policy.clone(), Key::from_secret(b"k"));
        let detection = Detection::new(engine, policy);
        let lines = [
            r#"{"id":"a","profile":{"name":"Zorbin Quall","city":"Vexford","age":41},"messages":[{"role":"user","content":"Zorbin here, from Vexford, 41."}]}"#,
            r#"{"id":"b","messages":[{"role":"user","name":"Hailey Mills","content":"hi, Hailey again"},{"role":"assistant","content":"ok","tool_calls":[{"id":"c1","type":"function","function":{"name":"mail","arguments":"{\"to\":\"hm@example.com\"}"}}]}]}"#,
            r#"{"id":"c","text":"Call me at +1 206 555 0143","extra":{"note":"Hailey Mills"}}"#,
        ];
        let records: Vec<Record> = lines.iter().map(|l| Record::parse(l).unwrap()).collect();
        let ours = detection.detect_batch(&records);
        let theirs = redactor.detect_batch(&records);
        for (o, t) in ours.iter().zip(&theirs) {
            let (o, t) = (o.as_ref().unwrap(), t.as_ref().unwrap());
            assert_eq!(findings(o), findings(t));
            assert!(!o.iter().all(|m| m.findings.is_empty()));
        }
    }
}
