//! The worst misses and false alarms of each tier, each shown in its context.

use std::collections::BTreeSet;

use super::{escape, intervals, kept_spans, pred_index, uncovered, Page, TierRun, CONTEXT};
use crate::doc::{Doc, Span};

/// A span to show: its document, the span, how bad it is, and its labels.
struct Case<'a> {
    doc: &'a Doc,
    text: &'a str,
    span: Span,
    /// Leaked characters (a miss) or the span's length (a false alarm).
    weight: u64,
    labels: String,
}

/// The section: per tier, the top misses and false alarms.
pub(super) fn push_cases(out: &mut String, page: &Page<'_>) {
    out.push_str("<h2>Worst misses and false alarms in context</h2>\n");
    if !page.gold.iter().any(|g| g.text.is_some()) {
        out.push_str("<p>The gold file has no text: nothing to show in context.</p>\n");
        return;
    }
    out.push_str(&format!(
        "<p>Misses: gold spans with characters no predicted span covers, most leaked characters \
         first. False alarms: predicted spans that overlap no gold span, longest first. The top \
         {} of each per tier, with {CONTEXT} characters of context either side (offsets are code \
         points).</p>\n",
        page.top
    ));
    for (i, run) in page.runs.iter().enumerate() {
        let (misses, alarms) = collect(page, run);
        let open = if i + 1 == page.runs.len() {
            " open"
        } else {
            ""
        };
        out.push_str(&format!(
            "<details{open}><summary>tier {}: {} missed gold spans, {} false alarms</summary>\n",
            escape(run.name),
            misses.len(),
            alarms.len()
        ));
        push_table(
            out,
            "Missed gold spans",
            "leaked chars",
            run.name,
            &misses,
            page.top,
        );
        push_table(out, "False alarms", "chars", run.name, &alarms, page.top);
        out.push_str("</details>\n");
    }
}

/// A run's misses and false alarms over every gold document with text, worst first.
fn collect<'a>(page: &Page<'a>, run: &TierRun<'a>) -> (Vec<Case<'a>>, Vec<Case<'a>>) {
    let preds = pred_index(run.pred);
    let filter_pred = !page.options.filter_side_gold_only;
    let (mut misses, mut alarms) = (Vec::new(), Vec::new());
    for g in page.gold {
        let Some(text) = g.text.as_deref() else {
            continue;
        };
        let gs = kept_spans(g, page.options, true);
        let ps = preds
            .get(g.id.as_str())
            .map(|p| kept_spans(p, page.options, filter_pred))
            .unwrap_or_default();
        doc_misses(g, text, &gs, &ps, &mut misses);
        doc_alarms(g, text, &gs, &ps, &mut alarms);
    }
    // Stable: ties stay in document order.
    misses.sort_by_key(|c| std::cmp::Reverse(c.weight));
    alarms.sort_by_key(|c| std::cmp::Reverse(c.weight));
    (misses, alarms)
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// Gold spans of one document with leaked characters.
fn doc_misses<'a>(doc: &'a Doc, text: &'a str, gs: &[Span], ps: &[Span], out: &mut Vec<Case<'a>>) {
    let covers = intervals(ps);
    for g in gs {
        let leaked = uncovered(g, &covers);
        if leaked == 0 {
            continue;
        }
        let hit: BTreeSet<&str> = ps
            .iter()
            .filter(|p| overlaps(p, g))
            .map(|p| p.label.as_str())
            .collect();
        let labels = if hit.is_empty() {
            format!("{} (missed)", g.label)
        } else {
            let hit: Vec<&str> = hit.into_iter().collect();
            format!("{} (partly covered by {})", g.label, hit.join(", "))
        };
        out.push(Case {
            doc,
            text,
            span: g.clone(),
            weight: leaked,
            labels,
        });
    }
}

/// Predicted spans of one document that overlap no gold span.
fn doc_alarms<'a>(doc: &'a Doc, text: &'a str, gs: &[Span], ps: &[Span], out: &mut Vec<Case<'a>>) {
    for p in ps.iter().filter(|p| !gs.iter().any(|g| overlaps(g, p))) {
        out.push(Case {
            doc,
            text,
            span: p.clone(),
            weight: u64::try_from(p.end.saturating_sub(p.start)).unwrap_or(0),
            labels: p.label.clone(),
        });
    }
}

/// One table of cases, the first `top` of them.
fn push_table(
    out: &mut String,
    heading: &str,
    weight: &str,
    tier: &str,
    cases: &[Case<'_>],
    top: usize,
) {
    out.push_str(&format!("<h3>{heading}</h3>\n"));
    if cases.is_empty() {
        out.push_str("<p>None.</p>\n");
        return;
    }
    out.push_str(&format!(
        "<table>\n<tr><th>doc</th><th>tier</th><th>labels</th><th>{weight}</th>\
         <th>in context</th></tr>\n"
    ));
    for c in cases.iter().take(top) {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td><div class=\"snip\">{}</div></td></tr>\n",
            escape(&c.doc.id),
            escape(tier),
            escape(&c.labels),
            c.weight,
            snippet(c.text, c.span.start, c.span.end, CONTEXT)
        ));
    }
    out.push_str("</table>\n");
    if cases.len() > top {
        out.push_str(&format!(
            "<p><small>and {} more</small></p>\n",
            cases.len() - top
        ));
    }
}

/// `text` around the code points `[start, end)`, `context` code points either side, escaped,
/// with the span in `<mark>`. Offsets past the end are clamped (and said).
pub(super) fn snippet(text: &str, start: i64, end: i64, context: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let clamp = |x: i64| usize::try_from(x).unwrap_or(0).min(n);
    let (s, e) = (clamp(start), clamp(end));
    let e = e.max(s);
    let (a, b) = (s.saturating_sub(context), e.saturating_add(context).min(n));
    let part = |x: usize, y: usize| -> String {
        chars
            .get(x..y)
            .map(|c| c.iter().collect())
            .unwrap_or_default()
    };
    let beyond = if end > i64::try_from(n).unwrap_or(i64::MAX) {
        " <small>(span ends beyond the text)</small>"
    } else {
        ""
    };
    format!(
        "{}{}<mark>{}</mark>{}{}{beyond}",
        if a > 0 { "…" } else { "" },
        escape(&part(a, s)),
        escape(&part(s, e)),
        escape(&part(e, b)),
        if b < n { "…" } else { "" }
    )
}
