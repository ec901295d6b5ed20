//! A self-contained HTML page of one evaluation (`scrim eval --html`): headline numbers, per-label
//! recall and leak bars per tier, the model threshold trade-off, and the worst misses and false
//! alarms shown in their context.
//!
//! The page holds everything inline (CSS and SVG, no scripts, no network). It shows gold text
//! around misses and false alarms, so it must be handled like the labeled corpus itself.
//! Rendering is pure: [`render_html`] takes the scored runs and returns the page.

use std::collections::{BTreeSet, HashMap};

use crate::doc::{Doc, Span};
use crate::report::{LabelReport, Report};
use crate::score::{intersect, measure, merge, Options};

mod cases;
mod chart;

/// One scored tier configuration (or one prediction file).
#[derive(Debug, Clone, Copy)]
pub struct TierRun<'a> {
    /// Its name: `rules`, `model`, `rules,model`, or what the predictions were.
    pub name: &'a str,
    /// Its scores.
    pub report: &'a Report,
    /// Its predictions, flattened like the gold (see [`crate::flatten`]).
    pub pred: &'a [Doc],
}

/// One point of the model threshold trade-off (overlap any-label and character figures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPoint {
    /// The least score a model finding needs to be kept.
    pub threshold: f64,
    /// Overlap any-label precision.
    pub precision: Option<f64>,
    /// Overlap any-label recall.
    pub recall: Option<f64>,
    /// Character recall (1 - leak rate).
    pub char_recall: Option<f64>,
    /// Overlap any-label F5.
    pub f5: Option<f64>,
}

impl SweepPoint {
    /// The point's figures from a report scored at `threshold`.
    pub fn from_report(threshold: f64, report: &Report) -> SweepPoint {
        SweepPoint {
            threshold,
            precision: report.precision(),
            recall: report.recall(),
            char_recall: report.char_recall(),
            f5: report.f5(),
        }
    }
}

/// The model threshold trade-off, or why the page has none.
#[derive(Debug, Clone, PartialEq)]
pub enum Sweep {
    /// Measured points, in increasing threshold.
    Points {
        /// The tiers that ran (`rules,model` or `model`).
        tiers: String,
        /// How the points were measured, shown under the chart.
        note: String,
        /// The points.
        points: Vec<SweepPoint>,
    },
    /// Why there is no trade-off (shown instead of a chart).
    Unavailable(String),
}

/// What the page's header says besides the numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// A heading; the gold file name when `None`.
    pub title: Option<String>,
    /// The gold file's name.
    pub gold_file: String,
    /// The policy (its hash) or where the predictions came from.
    pub policy: String,
    /// The date of the run, `YYYY-MM-DD`.
    pub date: String,
    /// The Scrim version.
    pub version: String,
}

/// Everything the page shows.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// Header facts.
    pub info: &'a PageInfo,
    /// The gold documents, flattened (see [`crate::flatten`]).
    pub gold: &'a [Doc],
    /// The scored runs, in the order to show them.
    pub runs: &'a [TierRun<'a>],
    /// The model threshold trade-off.
    pub sweep: &'a Sweep,
    /// The scoring options (the same label filters apply to the misses and false alarms).
    pub options: &'a Options,
    /// How many misses and false alarms to show per tier.
    pub top: usize,
}

/// Characters of context either side of a shown span.
const CONTEXT: usize = 60;

/// The page.
pub fn render_html(page: &Page<'_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    push_head(&mut out, page.info);
    push_header(&mut out, page);
    push_headline(&mut out, page.runs);
    push_labels(&mut out, page.runs);
    chart::push_sweep(&mut out, page.sweep);
    cases::push_cases(&mut out, page);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// HTML-escapes text for element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A figure with three decimals, `-` when undefined.
fn fmt3(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}\
main{max-width:1200px;margin:0 auto;padding:1em 2em}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0}td,th{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}\
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.warn{background:#fff4e0;border:1px solid #e0a040;padding:.5em 1em}\
.bar{display:inline-block;width:120px;height:10px;background:#e8e8e8;margin-right:6px;vertical-align:middle}\
.bar>span{display:block;height:100%}.rec .bar>span{background:#3a7bd5}.leak .bar>span{background:#d5493a}\
small{color:#666}mark{background:#ffd54a;padding:0 1px}.snip{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;max-width:700px}\
.p{stroke:#3a7bd5}.r{stroke:#e08a1e}.c{stroke:#2e9e5b}svg text{font-size:11px;fill:#444}";

/// The document head and the opening of the body.
fn push_head(out: &mut String, info: &PageInfo) {
    let title = info.title.as_deref().unwrap_or(&info.gold_file);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<title>Scrim evaluation: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(title)
    ));
}

/// The heading, the facts about the run, and the notice that the page holds corpus text.
fn push_header(out: &mut String, page: &Page<'_>) {
    let info = page.info;
    let title = info.title.as_deref().unwrap_or(&info.gold_file);
    let (docs, spans) = page.runs.first().map_or((page.gold.len() as u64, 0), |r| {
        (r.report.docs, r.report.micro.n_gold)
    });
    let tiers: Vec<&str> = page.runs.iter().map(|r| r.name).collect();
    out.push_str(&format!(
        "<h1>Scrim evaluation: {}</h1>\n<table>\n",
        escape(title)
    ));
    for (k, v) in [
        ("gold file", info.gold_file.clone()),
        ("documents", docs.to_string()),
        ("gold spans (after label options)", spans.to_string()),
        ("policy", info.policy.clone()),
        ("tiers", tiers.join(" | ")),
        ("date", info.date.clone()),
        ("Scrim version", info.version.clone()),
    ] {
        out.push_str(&format!("<tr><th>{k}</th><td>{}</td></tr>\n", escape(&v)));
    }
    out.push_str(
        "</table>\n<p class=\"warn\">This page contains text of the labeled corpus \
        (the misses and false alarms in context). Store and share it like the corpus itself.</p>\n",
    );
}

/// The headline numbers per tier.
fn push_headline(out: &mut String, runs: &[TierRun<'_>]) {
    out.push_str(
        "<h2>Headline (overlap, any label)</h2>\n<table>\n<tr><th>tier</th>\
        <th>precision</th><th>recall</th><th>character recall</th><th>F5</th>\
        <th>predicted spans</th><th>leaked characters</th></tr>\n",
    );
    for r in runs {
        let rep = r.report;
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td></tr>\n",
            escape(r.name),
            fmt3(rep.precision()),
            fmt3(rep.recall()),
            fmt3(rep.char_recall()),
            fmt3(rep.f5()),
            rep.micro.n_pred,
            rep.char.leaked_chars,
            rep.char.gold_chars
        ));
    }
    out.push_str("</table>\n");
}

/// A bar of `value` (in `[0, 1]`) with its figure and counts.
fn bar(class: &str, value: Option<f64>, counts: &str) -> String {
    let width = value.map_or(0.0, |v| (v.clamp(0.0, 1.0) * 100.0 * 10.0).round() / 10.0);
    format!(
        "<td class=\"{class}\"><span class=\"bar\"><span style=\"width:{width}%\"></span></span>\
         {} <small>{}</small></td>",
        fmt3(value),
        escape(counts)
    )
}

/// One tier's recall and leak cells for a label.
fn label_cells(d: Option<&LabelReport>) -> String {
    let Some(d) = d else {
        return "<td>-</td><td>-</td>".to_owned();
    };
    let an = &d.overlap_any_label;
    let ch = &d.char;
    let leak = ch.recall.map(|r| 1.0 - r);
    let leaked = ch.gold_chars.saturating_sub(ch.gold_covered);
    format!(
        "{}{}",
        bar("rec", an.r, &format!("{}/{}", an.tp_r, d.n_gold)),
        bar("leak", leak, &format!("{leaked}/{} chars", ch.gold_chars))
    )
}

/// The per-label table: recall (overlap, any label) and leak (1 - character recall) per tier.
fn push_labels(out: &mut String, runs: &[TierRun<'_>]) {
    let labels: BTreeSet<&str> = runs
        .iter()
        .flat_map(|r| r.report.per_label.iter())
        .filter(|(_, d)| d.n_gold > 0)
        .map(|(l, _)| l.as_str())
        .collect();
    out.push_str(
        "<h2>Per label: recall and leak per tier</h2>\n<p>Recall: share of gold spans \
        of the label that any predicted span overlaps. Leak: share of the label's gold characters \
        no predicted span covers.</p>\n<table>\n<tr><th>label</th><th>gold spans</th>",
    );
    for r in runs {
        let n = escape(r.name);
        out.push_str(&format!("<th>recall [{n}]</th><th>leak [{n}]</th>"));
    }
    out.push_str("</tr>\n");
    for lab in labels {
        let n_gold = runs
            .iter()
            .find_map(|r| r.report.per_label.get(lab))
            .map_or(0, |d| d.n_gold);
        out.push_str(&format!(
            "<tr data-label=\"{0}\"><td>{0}</td><td class=\"n\">{n_gold}</td>",
            escape(lab)
        ));
        for r in runs {
            out.push_str(&label_cells(r.report.per_label.get(lab)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

/// A document's spans as the scorer keeps them: well-formed, relabelled, filtered (when
/// `filtered`), deduplicated and sorted.
fn kept_spans(doc: &Doc, opts: &Options, filtered: bool) -> Vec<Span> {
    let keep: Option<&Vec<String>> = opts.labels.as_ref().filter(|l| !l.is_empty());
    let spans: BTreeSet<Span> = doc
        .spans
        .iter()
        .filter(|s| s.start >= 0 && s.end > s.start)
        .map(|s| {
            let label = opts
                .relabel
                .iter()
                .rev()
                .find(|(from, _)| *from == s.label)
                .map_or_else(|| s.label.clone(), |(_, to)| to.clone());
            Span::new(s.start, s.end, label)
        })
        .filter(|s| {
            !filtered
                || (keep.is_none_or(|k| k.contains(&s.label)) && !opts.exclude.contains(&s.label))
        })
        .collect();
    spans.into_iter().collect()
}

/// Characters of `span` that none of `covers` (merged intervals) covers.
fn uncovered(span: &Span, covers: &[(i64, i64)]) -> u64 {
    let own = [(span.start, span.end)];
    let total = measure(&own, None);
    total.saturating_sub(measure(&intersect(&own, covers), None))
}

/// The predictions by document id (a later line wins, as in scoring).
fn pred_index(pred: &[Doc]) -> HashMap<&str, &Doc> {
    pred.iter().map(|p| (p.id.as_str(), p)).collect()
}

/// The merged intervals of `spans`.
fn intervals(spans: &[Span]) -> Vec<(i64, i64)> {
    merge(spans.iter().map(|s| (s.start, s.end)).collect())
}

#[cfg(test)]
mod tests;
