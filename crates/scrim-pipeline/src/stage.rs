//! What the pipeline does to admitted records: redact them ([`Redact`]) or write the spans
//! detected in them ([`Detect`]), a few records per call so that the learned tier batches
//! across them.

use scrim_core::engine::MessageAnalysis;
use scrim_core::record::Shape;
use scrim_core::redact::WithheldReason;
use scrim_core::text::OffsetMap;
use scrim_core::{Outcome, Record, Redactor, Stats};
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

    /// The redactor (for what else a front end asks of it: keyless detection, the policy).
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
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

/// Detection by a policy, without a key: scrim-core's, the very detection the redactor runs.
pub use scrim_core::Detection;

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
            s.insert("detector".into(), json!(f.detector.as_str()));
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
    use scrim_core::{Engine, Key, Label, Policy};
    use std::sync::Arc;

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
