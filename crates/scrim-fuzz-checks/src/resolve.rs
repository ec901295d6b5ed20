//! Overlap resolution (`scrim_core::detect::resolve`) on arbitrary candidate findings.
//!
//! Input layout: byte 0 is the number of candidates `n` (at most 64), then `n` records of six
//! bytes (start: u16 LE, length: u8 + 1, label: u8, score: u8, spare: u8), then the text
//! (lossily decoded). Starts are taken modulo the text length; candidates that would split a
//! character or run past the text are skipped (detectors only produce valid spans).
//!
//! Invariants of the result: sorted by start, non-overlapping, every span on char boundaries
//! and inside the text; no more findings than candidates; every candidate lies inside exactly
//! one resolved finding (nothing a detector marked is left uncovered); every resolved span
//! starts where some candidate starts and ends where some candidate ends; every resolved label
//! is a candidate label; the spans do not depend on the candidates' order.

use scrim_core::detect::resolve;
use scrim_core::{Finding, Label, Span};

/// The candidate findings and the text encoded in `data` (see the module documentation).
pub fn decode(data: &[u8]) -> (String, Vec<Finding>) {
    let n = usize::from(data.first().copied().unwrap_or(0)).min(64);
    let records_end = (1 + 6 * n).min(data.len());
    let text = String::from_utf8_lossy(data.get(records_end..).unwrap_or_default()).into_owned();
    let mut findings = Vec::new();
    if text.is_empty() {
        return (text, findings);
    }
    for r in data.get(1..records_end).unwrap_or_default().chunks_exact(6) {
        let start = usize::from(u16::from_le_bytes([r[0], r[1]])) % text.len();
        let end = start + usize::from(r[2]) + 1;
        let label = Label::ALL[usize::from(r[3]) % Label::ALL.len()];
        let score = f32::from(r[4]) / 255.0;
        if let Some(span) = Span::new(&text, start, end) {
            findings.push(Finding::new(span, label, score, "fuzz"));
        }
    }
    (text, findings)
}

/// Resolve the candidates in `data` and check the invariants.
pub fn check(data: &[u8]) {
    let (text, candidates) = decode(data);
    let out = resolve(candidates.clone());
    assert!(out.len() <= candidates.len());
    for f in &out {
        crate::assert_on_char_boundaries(&text, f, "resolved span");
        assert!(candidates.iter().any(|c| c.span.start() == f.span.start()));
        assert!(candidates.iter().any(|c| c.span.end() == f.span.end()));
        assert!(candidates.iter().any(|c| c.label == f.label));
    }
    crate::assert_sorted_disjoint(&out, "resolved spans");
    for c in &candidates {
        let holders = out.iter().filter(|f| f.span.contains(&c.span)).count();
        assert_eq!(
            holders, 1,
            "candidate {:?} not covered by one finding",
            c.span
        );
    }
    let mut reversed = candidates;
    reversed.reverse();
    let again = resolve(reversed);
    // Labels may differ between exact ties (same rank, span and score); spans may not.
    let spans = |v: &[Finding]| v.iter().map(|f| f.span).collect::<Vec<_>>();
    assert_eq!(
        spans(&again),
        spans(&out),
        "the spans depend on the input order"
    );
}
