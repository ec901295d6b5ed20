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
    /// are line `i + 1`'s position and payload. No message is longer than `max_payload`: a
    /// larger result is quarantined (`result_too_large`), a larger quarantine entry keeps the
    /// head of its input only.
    pub(crate) fn outgoing(
        self,
        positions: &[String],
        lines: &[(usize, Line)],
        lineage: &Lineage,
        max_payload: usize,
    ) -> (Vec<Outgoing>, Counts) {
        let mut out = Vec::with_capacity(self.outcomes.len());
        let mut counts = Counts::default();
        let inputs = positions.iter().zip(lines.iter().map(|(_, l)| l));
        for (outcome, (position, line)) in self.outcomes.into_iter().zip(inputs) {
            match outcome {
                Outcome::Written { line: result, .. } if result.len() > max_payload => {
                    counts.quarantined += 1;
                    let reason = format!(
                        "the redacted record is {} bytes, over the broker's limit of \
                         {max_payload} bytes a message",
                        result.len()
                    );
                    out.push(
                        bad(position, "result_too_large", &reason, line)
                            .entry(lineage, max_payload),
                    );
                }
                Outcome::Written { line: result, id } => {
                    counts.written += 1;
                    let key = id.unwrap_or_else(|| format!("position {position}"));
                    out.push(Outgoing {
                        route: Route::Output,
                        id: lineage.record(&key),
                        payload: result.into_bytes(),
                    });
                }
                Outcome::Withheld => counts.withheld += 1,
                Outcome::Excluded => counts.excluded += 1,
                Outcome::Quarantined { code, reason } => {
                    counts.quarantined += 1;
                    out.push(bad(position, code, &reason, line).entry(lineage, max_payload));
                }
                Outcome::Missing => {
                    counts.quarantined += 1;
                    let reason = "no outcome for this record";
                    out.push(bad(position, "internal", reason, line).entry(lineage, max_payload));
                }
            }
        }
        (out, counts)
    }
}

fn bad<'a>(position: &'a str, code: &'a str, reason: &'a str, line: &'a Line) -> Bad<'a> {
    Bad {
        position,
        code,
        reason,
        raw: line.bytes(),
    }
}

/// A message for the quarantine: where it was, why, and its bytes.
struct Bad<'a> {
    position: &'a str,
    code: &'a str,
    reason: &'a str,
    raw: &'a [u8],
}

impl Bad<'_> {
    /// Its quarantine entry, `{"position", "code", "reason", "raw"}` as the quarantine file's
    /// (with `raw_b64` holding the exact bytes when they are not UTF-8), its id made from its
    /// position. An entry over `max_payload` keeps the head of the input only, as `raw_b64`,
    /// with `raw_truncated` and the input's length in `bytes`.
    fn entry(&self, lineage: &Lineage, max_payload: usize) -> Outgoing {
        let (position, code, reason, raw) = (self.position, self.code, self.reason, self.raw);
        let mut entry = match std::str::from_utf8(raw) {
            Ok(text) => json!({"position": position, "code": code, "reason": reason, "raw": text}),
            Err(_) => json!({
                "position": position, "code": code, "reason": reason,
                "raw": String::from_utf8_lossy(raw), "raw_b64": B64.encode(raw),
            }),
        }
        .to_string();
        if entry.len() > max_payload {
            let head = raw.get(..raw.len().min(max_payload / 2)).unwrap_or(raw);
            entry = json!({
                "position": position, "code": code, "reason": reason, "bytes": raw.len(),
                "raw_b64": B64.encode(head), "raw_truncated": true,
            })
            .to_string();
        }
        Outgoing {
            route: Route::Quarantine,
            id: lineage.record(&format!("quarantine {position}")),
            payload: entry.into_bytes(),
        }
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
        let (out, counts) =
            BatchSink::new(1).outgoing(&["S:1".to_string()], &lines, &lineage, 1 << 20);
        assert_eq!(counts.quarantined, 1);
        assert_eq!(out[0].route, Route::Quarantine);
        let entry: serde_json::Value = serde_json::from_slice(&out[0].payload).unwrap();
        assert_eq!(entry["code"], "internal");
        assert_eq!(entry["position"], "S:1");
    }
}

#[cfg(test)]
mod limits {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "a test fails by panicking"
    )]
    use super::*;
    use scrim_pipeline::Origin;

    #[test]
    fn nothing_published_is_over_the_brokers_limit() {
        let lineage = Lineage::new(scrim_store::SecretKey::random().unwrap());
        let big = "x".repeat(5000);
        let lines = vec![
            (
                1,
                Line::Text(format!("{{\"id\":\"a\",\"text\":\"{big}\"}}")),
            ),
            (2, Line::Text(format!("not json {big}"))),
        ];
        let mut sink = BatchSink::new(2);
        let origin = Origin {
            line: 1,
            id: Some("a".into()),
            subject: None,
        };
        let stats = scrim_core::Stats::default();
        let result = format!("{{\"id\":\"a\",\"text\":\"{big}\"}}");
        sink.written(&Written {
            origin: &origin,
            line: &result,
            raw: lines[0].1.bytes(),
            stats: &stats,
        })
        .unwrap();
        sink.quarantined(&Quarantined {
            line: 2,
            code: "invalid_json",
            reason: "not JSON",
            raw: lines[1].1.bytes(),
        })
        .unwrap();
        let positions = ["S:1".to_string(), "S:2".to_string()];
        let (out, counts) = sink.outgoing(&positions, &lines, &lineage, 4096);
        assert_eq!(counts.quarantined, 2);
        for o in &out {
            assert!(o.payload.len() <= 4096, "{}", o.payload.len());
            assert_eq!(o.route, Route::Quarantine);
            let e: serde_json::Value = serde_json::from_slice(&o.payload).unwrap();
            assert_eq!(e["raw_truncated"], true);
        }
        let first: serde_json::Value = serde_json::from_slice(&out[0].payload).unwrap();
        assert_eq!(first["code"], "result_too_large");
        assert_ne!(out[0].id, out[1].id);
    }
}
