//! Turning overlapping candidate findings into one finding per character.
//!
//! Rules, applied in this order:
//! 1. Findings are ranked by [`precedence`]: SECRET first (a credential must never be relabelled
//!    as, or split by, something weaker), then validated structured kinds (EMAIL, URL, IBAN,
//!    CREDIT_CARD, IP) first, then PHONE, ID and ADDRESS, then DATE, AGE and USERNAME, then the
//!    gazetteer kinds PERSON, LOCATION and ORG. Within a rank the longer span wins, then the higher
//!    score, then the earlier start.
//! 2. Walking the ranked list, a finding that overlaps nothing accepted so far is accepted.
//! 3. A finding that lies entirely inside an accepted one is dropped (the accepted label stands).
//! 4. A finding that only partly overlaps accepted ones is merged into the highest-ranked of them:
//!    that finding's span grows to cover both, keeping its label. Nothing a detector marked is
//!    ever left uncovered, which is the property redaction relies on.
//!
//! The output is sorted by start and free of overlaps.

use std::collections::BTreeMap;

use crate::label::Label;
use crate::span::Finding;

/// Rank of a label when findings overlap: higher wins.
pub fn precedence(label: Label) -> u8 {
    match label {
        Label::Secret => 6,
        Label::Email | Label::Url | Label::Iban | Label::CreditCard | Label::Ip => 5,
        Label::Phone | Label::Id | Label::Address => 4,
        Label::Date | Label::Age | Label::Username => 3,
        Label::Person | Label::Location | Label::Org => 2,
        Label::Other => 1,
    }
}

fn rank_key(f: &Finding) -> (u8, usize, u32, std::cmp::Reverse<usize>) {
    // Scores are in [0, 1]; compare them as integers to keep a total order.
    let score = (f.score.clamp(0.0, 1.0) * 1_000_000.0) as u32;
    (
        precedence(f.label),
        f.span.len(),
        score,
        std::cmp::Reverse(f.span.start()),
    )
}

/// Resolve overlapping findings by the rules in the module documentation.
///
/// An ordered sweep, O(n log n): after ranking, the accepted findings are disjoint, so they are
/// kept in a map ordered by start, and the ones a candidate touches are a contiguous run found by
/// one ordered lookup. Covering that run cannot touch anything further (its ends lie inside
/// accepted findings, which overlap nothing else), so one lookup per candidate is the whole
/// growth; each merged finding leaves the map once.
pub fn resolve(mut findings: Vec<Finding>) -> Vec<Finding> {
    if findings.len() <= 1 {
        return findings;
    }
    findings.sort_by_key(|f| std::cmp::Reverse(rank_key(f)));
    // Accepted findings by start; each keeps its place in the ranking (lower ranks higher).
    let mut accepted: BTreeMap<usize, (usize, Finding)> = BTreeMap::new();
    let mut touched: Vec<usize> = Vec::new();
    for (order, f) in findings.into_iter().enumerate() {
        touched.clear();
        // Accepted findings starting before the candidate ends, from the right, while they reach
        // past its start: ends grow with starts, so the first one that does not ends the run.
        touched.extend(
            accepted
                .range(..f.span.end())
                .rev()
                .take_while(|(_, (_, a))| a.span.end() > f.span.start())
                .map(|(start, _)| *start),
        );
        if touched.is_empty() {
            accepted.insert(f.span.start(), (order, f));
            continue;
        }
        if let [only] = touched[..] {
            if accepted
                .get(&only)
                .is_some_and(|(_, a)| a.span.contains(&f.span))
            {
                continue; // contained in one accepted finding
            }
        }
        let mut group: Vec<(usize, Finding)> = touched
            .iter()
            .filter_map(|start| accepted.remove(start))
            .collect();
        let span = group.iter().fold(f.span, |s, (_, a)| s.cover(&a.span));
        let score = group.iter().map(|(_, a)| a.score).fold(f.score, f32::max);
        // The highest-ranked of the group takes the merged span and keeps its label.
        group.sort_by_key(|(o, _)| *o);
        let mut group = group.into_iter();
        if let Some((o, mut target)) = group.next() {
            target.span = span;
            target.score = score;
            accepted.insert(span.start(), (o, target));
        }
    }
    accepted.into_values().map(|(_, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn f(text: &str, s: usize, e: usize, label: Label, score: f32) -> Finding {
        Finding::new(Span::new(text, s, e).unwrap(), label, score, "test")
    }

    #[test]
    fn contained_lower_rank_is_dropped() {
        let t = "write to maya.k@gmail.com today";
        let out = resolve(vec![
            f(t, 9, 13, Label::Person, 0.9),
            f(t, 9, 25, Label::Email, 0.99),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].label, Label::Email);
        assert_eq!((out[0].span.start(), out[0].span.end()), (9, 25));
    }

    #[test]
    fn partial_overlap_merges_into_higher_rank() {
        let t = "0123456789abcdef";
        let out = resolve(vec![
            f(t, 0, 6, Label::Person, 0.9),
            f(t, 4, 10, Label::Address, 0.6),
            f(t, 9, 12, Label::Location, 0.6),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].label, Label::Address);
        assert_eq!((out[0].span.start(), out[0].span.end()), (0, 12));
    }

    #[test]
    fn disjoint_findings_are_kept_in_order() {
        let t = "0123456789abcdef";
        let out = resolve(vec![
            f(t, 8, 10, Label::Person, 0.5),
            f(t, 0, 2, Label::Location, 0.5),
            f(t, 2, 4, Label::Person, 0.5),
        ]);
        let spans: Vec<_> = out.iter().map(|x| (x.span.start(), x.span.end())).collect();
        assert_eq!(spans, vec![(0, 2), (2, 4), (8, 10)]);
    }

    /// The rules as first written: every candidate compared with every accepted finding,
    /// growing until nothing new is touched (quadratic). The sweep must agree with it exactly.
    fn resolve_pairwise(mut findings: Vec<Finding>) -> Vec<Finding> {
        findings.sort_by_key(|f| std::cmp::Reverse(rank_key(f)));
        let mut accepted: Vec<Finding> = Vec::new();
        for f in findings {
            let mut span = f.span;
            let mut group: Vec<usize> = Vec::new();
            loop {
                let touched: Vec<usize> = (0..accepted.len())
                    .filter(|&i| accepted[i].span.overlaps(&span))
                    .collect();
                if touched.len() == group.len() {
                    break;
                }
                for &i in &touched {
                    span = span.cover(&accepted[i].span);
                }
                group = touched;
            }
            let Some(&target) = group.first() else {
                accepted.push(f);
                continue;
            };
            if group.len() == 1 && accepted[target].span == span {
                continue;
            }
            let score = group
                .iter()
                .map(|&i| accepted[i].score)
                .fold(f.score, f32::max);
            accepted[target].span = span;
            accepted[target].score = score;
            let mut index = 0usize;
            accepted.retain(|_| {
                let keep = index == target || !group.contains(&index);
                index += 1;
                keep
            });
        }
        accepted.sort_by_key(|f| (f.span.start(), f.span.end()));
        accepted
    }

    #[test]
    fn sweep_agrees_with_the_pairwise_rules() {
        let t = "x".repeat(200);
        let labels = [
            Label::Email,
            Label::Phone,
            Label::Address,
            Label::Date,
            Label::Person,
            Label::Location,
            Label::Other,
        ];
        // A fixed linear congruential sequence: deterministic cases, dense overlaps.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        for case in 0..3000 {
            let count = 1 + next(if case % 10 == 0 { 120 } else { 12 });
            let width = 1 + next(if case % 2 == 0 { 40 } else { 200 });
            let found: Vec<Finding> = (0..count)
                .map(|_| {
                    let s = next(width.min(199));
                    let e = (s + 1 + next(12)).min(200);
                    let score = [0.5, 0.7, 0.9][next(3)];
                    f(&t, s, e, labels[next(labels.len())], score)
                })
                .collect();
            assert_eq!(
                resolve(found.clone()),
                resolve_pairwise(found),
                "case {case}"
            );
        }
    }

    #[test]
    fn many_findings_resolve_to_the_expected_count() {
        // 100 000 overlapping pairs: each name inside a longer address, chained by overlaps.
        let n = 100_000;
        let t = "ab".repeat(n + 1);
        let mut found = Vec::with_capacity(2 * n);
        for i in 0..n {
            found.push(f(&t, 2 * i, 2 * i + 2, Label::Person, 0.9));
            found.push(f(&t, 2 * i + 1, 2 * i + 2, Label::Location, 0.6));
        }
        let out = resolve(found);
        assert_eq!(out.len(), n);
        assert!(out.windows(2).all(|w| w[0].span.end() <= w[1].span.start()));
        // Overlapping chains merge into one.
        let chain: Vec<Finding> = (0..n)
            .map(|i| f(&t, 2 * i, 2 * i + 3, Label::Date, 0.7))
            .collect();
        let out = resolve(chain);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].span.start(), out[0].span.end()), (0, 2 * n + 1));
    }

    #[test]
    fn same_rank_prefers_longer() {
        let t = "Tyler Boyd here";
        let out = resolve(vec![
            f(t, 0, 5, Label::Person, 0.9),
            f(t, 0, 10, Label::Person, 0.7),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span.end(), 10);
    }
}
