//! One batch of messages through the pipeline: payloads as the pipeline's lines, every
//! record's outcome collected by a [`Sink`], and the messages to publish, in input order.

use std::convert::Infallible;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use scrim_pipeline::{
    Excluded, Line, Quarantined, RunSummary, Sink, Withheld, Written, TOO_LONG_KEPT,
};
use scrim_store::Lineage;
use serde_json::json;

use crate::broker::{Outgoing, Route};

/// A message's payload as a pipeline line: its text, its bytes when they are not UTF-8, or its
/// head when it is longer than `max_bytes` (quarantined as the pipeline quarantines such lines).
pub(crate) fn line(payload: Vec<u8>, max_bytes: usize) -> Line {
    if payload.len() > max_bytes {
        let bytes = payload.len();
        let mut head = payload;
        head.truncate(TOO_LONG_KEPT);
        return Line::TooLong { bytes, head };
    }
    match String::from_utf8(payload) {
        Ok(text) => Line::Text(text),
        Err(e) => Line::NotUtf8(e.into_bytes()),
    }
}

/// What became of one record of the batch.
#[derive(Default)]
enum Outcome {
    /// Not reported (the driver reports every line: this stays only on a bug, and is then
    /// quarantined rather than lost).
    #[default]
    Missing,
    /// Redacted: the output line, and the record's own `id` if it has one.
    Written { line: String, id: Option<String> },
    /// Withheld by the policy: not published.
    Withheld,
    /// Left out by admission (consent, source rules): not published.
    Excluded,
    /// Quarantined: a code and a reason (never content).
    Quarantined { code: &'static str, reason: String },
}

/// Counts of one batch's outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) written: u64,
    pub(crate) withheld: u64,
    pub(crate) excluded: u64,
    pub(crate) quarantined: u64,
}

/// Collects the outcome of each line of one batch (numbered from 1).
pub(crate) struct BatchSink {
    outcomes: Vec<Outcome>,
}

impl BatchSink {
    /// A sink for a batch of `n` lines.
    pub(crate) fn new(n: usize) -> BatchSink {
        BatchSink {
            outcomes: std::iter::repeat_with(Outcome::default).take(n).collect(),
        }
    }

    fn set(&mut self, line: usize, outcome: Outcome) {
        if let Some(slot) = line.checked_sub(1).and_then(|i| self.outcomes.get_mut(i)) {
            *slot = outcome;
        }
    }

    /// The messages to publish, in input order: each redacted record to the output with its
    /// de-duplication id (the lineage id of its `id`, else of its position), each quarantined
    /// one to the quarantine with its reason and its raw bytes. `positions[i]` and `lines[i]`
    /// are line `i + 1`'s position and payload.
    pub(crate) fn outgoing(
        self,
        positions: &[String],
        lines: &[(usize, Line)],
        lineage: &Lineage,
    ) -> (Vec<Outgoing>, Counts) {
        let mut out = Vec::with_capacity(self.outcomes.len());
        let mut counts = Counts::default();
        let inputs = positions.iter().zip(lines.iter().map(|(_, l)| l));
        for (outcome, (position, line)) in self.outcomes.into_iter().zip(inputs) {
            match outcome {
                Outcome::Written { line, id } => {
                    counts.written += 1;
                    let key = id.unwrap_or_else(|| format!("position {position}"));
                    out.push(Outgoing {
                        route: Route::Output,
                        id: lineage.record(&key),
                        payload: line.into_bytes(),
                    });
                }
                Outcome::Withheld => counts.withheld += 1,
                Outcome::Excluded => counts.excluded += 1,
                Outcome::Quarantined { code, reason } => {
                    counts.quarantined += 1;
                    out.push(quarantine(position, code, &reason, line.bytes(), lineage));
                }
                Outcome::Missing => {
                    counts.quarantined += 1;
                    let reason = "no outcome for this record";
                    out.push(quarantine(
                        position,
                        "internal",
                        reason,
                        line.bytes(),
                        lineage,
                    ));
                }
            }
        }
        (out, counts)
    }
}

/// A quarantine entry, `{"position", "code", "reason", "raw"}` as the quarantine file's (with
/// `raw_b64` holding the exact bytes when they are not UTF-8), its id made from its position.
fn quarantine(position: &str, code: &str, reason: &str, raw: &[u8], lineage: &Lineage) -> Outgoing {
    let entry = match std::str::from_utf8(raw) {
        Ok(text) => json!({"position": position, "code": code, "reason": reason, "raw": text}),
        Err(_) => json!({
            "position": position, "code": code, "reason": reason,
            "raw": String::from_utf8_lossy(raw), "raw_b64": B64.encode(raw),
        }),
    };
    Outgoing {
        route: Route::Quarantine,
        id: lineage.record(&format!("quarantine {position}")),
        payload: entry.to_string().into_bytes(),
    }
}

impl Sink for BatchSink {
    type Error = Infallible;

    fn written(&mut self, event: &Written<'_>) -> Result<(), Infallible> {
        let outcome = Outcome::Written {
            line: event.line.to_string(),
            id: event.origin.id.clone(),
        };
        self.set(event.origin.line, outcome);
        Ok(())
    }

    fn withheld(&mut self, event: &Withheld<'_>) -> Result<(), Infallible> {
        self.set(event.origin.line, Outcome::Withheld);
        Ok(())
    }

    fn excluded(&mut self, event: &Excluded<'_>) -> Result<(), Infallible> {
        self.set(event.origin.line, Outcome::Excluded);
        Ok(())
    }

    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), Infallible> {
        let outcome = Outcome::Quarantined {
            code: event.code,
            reason: event.reason.to_string(),
        };
        self.set(event.line, outcome);
        Ok(())
    }

    fn finish(&mut self, _: &RunSummary) -> Result<(), Infallible> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test fails by panicking"
    )]
    use super::*;

    #[test]
    fn payloads_become_lines_as_the_file_reader_makes_them() {
        assert_eq!(line(b"{}".to_vec(), 10), Line::Text("{}".into()));
        assert_eq!(line(vec![0xff, b'x'], 10), Line::NotUtf8(vec![0xff, b'x']));
        let long = vec![b'a'; TOO_LONG_KEPT + 10];
        match line(long, TOO_LONG_KEPT) {
            Line::TooLong { bytes, head } => {
                assert_eq!(bytes, TOO_LONG_KEPT + 10);
                assert_eq!(head.len(), TOO_LONG_KEPT);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_line_without_an_outcome_is_quarantined_not_lost() {
        let lineage = Lineage::new(scrim_store::SecretKey::random().unwrap());
        let lines = vec![(1, Line::Text("{\"text\":\"x\"}".into()))];
        let (out, counts) = BatchSink::new(1).outgoing(&["S:1".to_string()], &lines, &lineage);
        assert_eq!(counts.quarantined, 1);
        assert_eq!(out[0].route, Route::Quarantine);
        let entry: serde_json::Value = serde_json::from_slice(&out[0].payload).unwrap();
        assert_eq!(entry["code"], "internal");
        assert_eq!(entry["position"], "S:1");
    }
}
