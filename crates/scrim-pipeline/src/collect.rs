//! Outcomes kept in memory, one per input record in input order: what an in-process front end
//! (the Python binding, the Arrow batch API) hands back to its caller instead of writing files.

use std::convert::Infallible;

use crate::driver::{Pipeline, RunError};
use crate::sink::{Excluded, Quarantined, Sink, Withheld, Written};
use crate::summary::RunSummary;

/// What became of one input record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// The output line (JSON, without its newline): exactly what `scrim redact` writes.
    Written(String),
    /// Not written: why, as a stable code and a reason that names what and where, never content.
    NotWritten(NotWritten),
}

/// Why a record has no output line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWritten {
    /// `withheld` (the redaction policy), `excluded` (source rules, consent) or `quarantined`
    /// (malformed, or a detector could not read it).
    pub outcome: &'static str,
    /// A stable code: `withheld` for the policy's withholding, the exclusion's code
    /// (`source_forbids_purpose`, …), or the quarantine code (`invalid_json`,
    /// `content_not_string`, `detection_failed`, …).
    pub code: &'static str,
    /// Why, for people (never content).
    pub reason: String,
}

impl std::fmt::Display for NotWritten {
    /// `code: reason`, the form of the Arrow API's `quarantine` column.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.reason)
    }
}

/// A sink that keeps every outcome in memory, in input order.
#[derive(Debug, Default)]
pub struct CollectSink {
    /// One per input record, in input order.
    pub outcomes: Vec<RecordOutcome>,
}

impl Sink for CollectSink {
    type Error = Infallible;

    fn written(&mut self, event: &Written<'_>) -> Result<(), Infallible> {
        self.outcomes
            .push(RecordOutcome::Written(event.line.to_string()));
        Ok(())
    }

    fn withheld(&mut self, event: &Withheld<'_>) -> Result<(), Infallible> {
        self.outcomes.push(RecordOutcome::NotWritten(NotWritten {
            outcome: "withheld",
            code: "withheld",
            reason: event.reason.to_string(),
        }));
        Ok(())
    }

    fn excluded(&mut self, event: &Excluded<'_>) -> Result<(), Infallible> {
        self.outcomes.push(RecordOutcome::NotWritten(NotWritten {
            outcome: "excluded",
            code: event.exclusion.code(),
            reason: "the governance policy leaves this record out (source rules or consent)"
                .to_string(),
        }));
        Ok(())
    }

    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), Infallible> {
        self.outcomes.push(RecordOutcome::NotWritten(NotWritten {
            outcome: "quarantined",
            code: event.code,
            reason: event.reason.to_string(),
        }));
        Ok(())
    }

    fn finish(&mut self, _summary: &RunSummary) -> Result<(), Infallible> {
        Ok(())
    }
}

impl Pipeline<'_> {
    /// Run records held in memory, one JSON object per element (any element that is not one
    /// is quarantined like a bad line), and return one outcome per element, in order.
    ///
    /// Elements must not contain a newline outside JSON strings (serialized JSON never does);
    /// an element that does is quarantined whole rather than split.
    pub fn run_records<S: AsRef<str>>(
        &self,
        records: &[S],
    ) -> Result<(Vec<RecordOutcome>, RunSummary), RunError<Infallible>> {
        let mut jsonl = Vec::with_capacity(records.iter().map(|r| r.as_ref().len() + 1).sum());
        for r in records {
            let r = r.as_ref();
            // One element, one line: a line break inside it (or an empty element, which the
            // reader would skip) would shift every later outcome; such an element is replaced
            // by a string literal, which parses as JSON but is not a record.
            if r.trim().is_empty() || r.contains('\n') {
                jsonl.extend_from_slice(b"\"not one JSON object on one line\"");
            } else {
                jsonl.extend_from_slice(r.as_bytes());
            }
            jsonl.push(b'\n');
        }
        let mut sink = CollectSink::default();
        let summary = self.run(jsonl.as_slice(), &mut sink)?;
        Ok((sink.outcomes, summary))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a test or fuzz check fails by panicking"
    )]

    use std::sync::Arc;

    use scrim_core::{Engine, Key, Policy, Redactor};
    use scrim_store::Governance;

    use super::*;
    use crate::{Redact, SourceRules};

    /// One outcome per element, in order, whatever each element is; a written one is exactly
    /// the line the file pipeline writes.
    #[test]
    fn one_outcome_per_element_in_order() {
        let engine = Arc::new(Engine::new().unwrap());
        let policy = Policy::default_policy().unwrap();
        let stage = Redact::new(Redactor::new(engine, policy, Key::from_secret(b"k")));
        let gov = Governance::default_policy().unwrap();
        let admit = SourceRules(&gov);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let pipeline = Pipeline::new(&stage, &admit, &pool);
        let records = [
            r#"{"id":"a","text":"call Priya Sharma at +91 98765 43210"}"#,
            "",
            "{\"id\":\"b\",\n\"text\":\"x\"}",
            r#"{"id":"c","messages":[{"role":"user","content":7}]}"#,
            r#"{"id":"d","source":"dm","text":"hi"}"#,
            "not json",
            r#"{"id":"e","text":"nothing here"}"#,
        ];
        let (outcomes, summary) = pipeline.run_records(&records).unwrap();
        assert_eq!(outcomes.len(), records.len());
        assert_eq!(summary.records, records.len());
        let mut file = Vec::new();
        let jsonl = format!("{}\n{}\n", records[0], records[6]);
        let mut sink = CollectSink::default();
        pipeline.run(jsonl.as_bytes(), &mut sink).unwrap();
        for (got, want) in [
            (&outcomes[0], &sink.outcomes[0]),
            (&outcomes[6], &sink.outcomes[1]),
        ] {
            assert_eq!(got, want);
            let RecordOutcome::Written(line) = got else {
                panic!("not written: {got:?}");
            };
            file.push(line.clone());
        }
        assert!(file[0].contains("[PERSON_1]") && !file[0].contains("Priya"));
        let codes: Vec<&str> = outcomes[1..6]
            .iter()
            .map(|o| match o {
                RecordOutcome::NotWritten(n) => n.code,
                RecordOutcome::Written(_) => "written",
            })
            .collect();
        assert_eq!(
            codes,
            [
                "not_an_object",
                "not_an_object",
                "content_not_string",
                "source_forbids_purpose",
                "invalid_json"
            ]
        );
        let RecordOutcome::NotWritten(n) = &outcomes[3] else {
            panic!()
        };
        assert_eq!(n.outcome, "quarantined");
        assert_eq!(
            n.to_string(),
            "content_not_string: message 0 has a non-string `content`"
        );
    }
}
