//! Turning overlapping candidate findings into one finding per character.
//!
//! Rules, applied in this order:
//! 1. Findings are ranked by [`precedence`]: validated structured kinds (EMAIL, URL, IBAN,
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

use crate::label::Label;
use crate::span::Finding;

/// Rank of a label when findings overlap: higher wins.
pub fn precedence(label: Label) -> u8 {
    match label {
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
pub fn resolve(mut findings: Vec<Finding>) -> Vec<Finding> {
    if findings.len() <= 1 {
        return findings;
    }
    findings.sort_by_key(|f| std::cmp::Reverse(rank_key(f)));
    // `accepted` stays in rank order: a lower index means a higher rank.
    let mut accepted: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let mut span = f.span;
        let mut group: Vec<usize> = Vec::new();
        // Grow the candidate over everything it touches until nothing new is touched.
        loop {
            let touched: Vec<usize> = accepted
                .iter()
                .enumerate()
                .filter(|(_, a)| a.span.overlaps(&span))
                .map(|(i, _)| i)
                .collect();
            if touched.len() == group.len() {
                break;
            }
            for &i in &touched {
                if let Some(a) = accepted.get(i) {
                    span = span.cover(&a.span);
                }
            }
            group = touched;
        }
        let Some(&target) = group.first() else {
            accepted.push(f);
            continue;
        };
        if group.len() == 1 && accepted.get(target).is_some_and(|a| a.span == span) {
            continue; // contained in one accepted finding
        }
        let score = group
            .iter()
            .filter_map(|&i| accepted.get(i))
            .map(|a| a.score)
            .fold(f.score, f32::max);
        if let Some(a) = accepted.get_mut(target) {
            a.span = span;
            a.score = score;
        }
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
