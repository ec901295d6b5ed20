//! The scorer: a line-by-line port of `score()` in `shared/tools/score.py`.
#![allow(
    clippy::indexing_slicing,
    reason = "a line-by-line port of score.py keeps its indexing, bounds checked as there"
)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::doc::Doc;
use crate::py;
use crate::report::{
    AnyLabelStats, CharReport, ExactAnyStats, ExactStats, FilterSide, LabelChar, LabelReport,
    MacroF1, Micro, MicroAnyLabel, OptionsReport, OrderedMap, OverlapStats, Report,
};
use crate::Error;

/// Scoring options, the same as `score.py`'s `score()` keyword arguments.
///
/// Build with struct update syntax: `Options { exclude: vec!["ORG".into()], ..Options::default() }`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep only these labels (after relabelling). `None` or an empty list keeps all (as in
    /// Python, where `labels=[]` is falsy).
    pub labels: Option<Vec<String>>,
    /// Drop these labels (after relabelling).
    pub exclude: Vec<String>,
    /// Rename labels on both sides before filtering: `(from, to)` pairs, applied once (no
    /// chaining); for a repeated `from` the last pair wins.
    pub relabel: Vec<(String, String)>,
    /// Apply `labels`/`exclude` to gold only (`--filter-side gold`); by default they apply to
    /// both sides.
    pub filter_side_gold_only: bool,
    /// Character metrics count non-whitespace characters only (Python's `str.isspace()`);
    /// needs the gold text.
    pub ignore_whitespace: bool,
}

impl Options {
    /// `score.py`'s `parse_label_list`: comma-separated, items stripped, empty items dropped;
    /// `None` for an empty string.
    pub fn parse_label_list(s: &str) -> Option<Vec<String>> {
        if s.is_empty() {
            return None;
        }
        Some(
            s.split(',')
                .map(py::strip)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Parses one `--relabel FROM=TO` argument like `score.py` (split at the first `=`, both
    /// sides stripped).
    pub fn parse_relabel(s: &str) -> Result<(String, String), Error> {
        let (a, b) = s.split_once('=').ok_or(Error::BadRelabel)?;
        Ok((py::strip(a).to_owned(), py::strip(b).to_owned()))
    }
}

/// Warning keys, exactly as `score.py` spells them.
pub mod warn_keys {
    /// A prediction id occurs twice; the later line wins.
    pub const PRED_DUPLICATE_ID: &str = "pred: duplicate doc id (later line wins)";
    /// A gold id occurs twice (both are scored).
    pub const GOLD_DUPLICATE_ID: &str = "gold: duplicate doc id";
    /// A gold document has no prediction line.
    pub const NO_PRED_LINE: &str = "gold doc has no prediction line (counted as empty)";
    /// Gold spans ending past the end of the text.
    pub const GOLD_BEYOND_END: &str = "gold: span beyond end of text";
    /// Predicted spans ending past the end of the gold text.
    pub const PRED_BEYOND_END: &str = "pred: span beyond end of text";
    /// Prediction ids that are not in gold.
    pub const PRED_NOT_IN_GOLD: &str = "pred doc id not in gold (ignored)";
}

/// Ordered counter, like Python's `Counter` (insertion order of first increment).
#[derive(Default)]
struct Warn(Vec<(String, u64)>);

impl Warn {
    fn add(&mut self, key: &str, n: u64) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 += n;
        } else {
            self.0.push((key.to_owned(), n));
        }
    }

    fn get(&self, key: &str) -> u64 {
        self.0.iter().find(|(k, _)| k == key).map_or(0, |(_, v)| *v)
    }
}

/// A normalised span: `(start, end, label)` with `0 <= start < end`.
type NSpan = (i64, i64, String);

/// Label filters after relabelling.
struct Filter<'a> {
    keep: Option<&'a BTreeSet<String>>,
    drop: &'a BTreeSet<String>,
}

/// `norm_spans`: drop malformed, empty/negative, filtered and duplicate spans; sort.
fn norm_spans(
    doc: &Doc,
    relabel: &HashMap<&str, &str>,
    filter: &Filter<'_>,
    warn: &mut Warn,
    side: &'static str,
    index: usize,
) -> Result<Vec<NSpan>, Error> {
    if doc.notes.spans_not_iterable {
        return Err(Error::SpansNotIterable { side, doc: index });
    }
    let malformed = format!("{side}: malformed span");
    let mut out: BTreeSet<NSpan> = BTreeSet::new();
    let mut bad = doc.notes.malformed_at.iter().peekable();
    for (k, sp) in doc.spans.iter().enumerate() {
        while bad.next_if(|&&at| at <= k).is_some() {
            warn.add(&malformed, 1);
        }
        let (s, e) = (sp.start, sp.end);
        if s < 0 || e <= s {
            warn.add(&format!("{side}: empty or negative span dropped"), 1);
            continue;
        }
        let lab = relabel
            .get(sp.label.as_str())
            .copied()
            .unwrap_or(sp.label.as_str());
        if filter.keep.is_some_and(|keep| !keep.contains(lab)) {
            continue;
        }
        if filter.drop.contains(lab) {
            continue;
        }
        if !out.insert((s, e, lab.to_owned())) {
            warn.add(&format!("{side}: duplicate span dropped"), 1);
        }
    }
    for _ in bad {
        warn.add(&malformed, 1);
    }
    Ok(out.into_iter().collect())
}

/// `ws_weights`: `w[k]` = number of non-whitespace code points in `text[:k]`.
fn ws_weights(text: &str) -> Vec<u64> {
    let mut w = Vec::with_capacity(text.len() + 1);
    let mut acc = 0u64;
    w.push(acc);
    for ch in text.chars() {
        if !py::is_space(ch) {
            acc += 1;
        }
        w.push(acc);
    }
    w
}

/// `merge`: union of `[start, end)` intervals as a sorted disjoint list.
pub(crate) fn merge(mut intervals: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    intervals.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for (s, e) in intervals {
        match out.last_mut() {
            Some(last) if s <= last.1 => {
                if e > last.1 {
                    last.1 = e;
                }
            }
            _ => out.push((s, e)),
        }
    }
    out
}

/// `intersect`: intersection of two sorted disjoint interval lists.
pub(crate) fn intersect(a: &[(i64, i64)], b: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let s = x.0.max(y.0);
        let e = x.1.min(y.1);
        if s < e {
            out.push((s, e));
        }
        if x.1 < y.1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// `measure`: counted characters in a disjoint interval list (all starts are >= 0).
pub(crate) fn measure(intervals: &[(i64, i64)], weight: Option<&[u64]>) -> u64 {
    match weight {
        None => intervals.iter().fold(0u64, |acc, &(s, e)| {
            acc.saturating_add(u64::try_from(e.saturating_sub(s)).unwrap_or(0))
        }),
        Some(w) => {
            let n = w.len().saturating_sub(1);
            let at = |x: i64| -> u64 {
                let k = usize::try_from(x).unwrap_or(0).min(n);
                w.get(k).copied().unwrap_or(0)
            };
            intervals.iter().fold(0u64, |acc, &(s, e)| {
                acc.saturating_add(at(e).saturating_sub(at(s)))
            })
        }
    }
}

/// `overlap_pairs`: all `(i, j)` with `a[i]` and `b[j]` sharing at least one character (a sweep
/// over starts, as in `score.py`). Spans must have `start < end`.
pub(crate) fn overlap_pairs(a: &[NSpan], b: &[NSpan]) -> Vec<(usize, usize)> {
    let mut events: Vec<(i64, i64, usize, usize)> = a
        .iter()
        .enumerate()
        .map(|(i, (s, e, _))| (*s, *e, 0, i))
        .chain(b.iter().enumerate().map(|(j, (s, e, _))| (*s, *e, 1, j)))
        .collect();
    events.sort_unstable();
    let mut active: [Vec<(i64, usize)>; 2] = [Vec::new(), Vec::new()];
    let mut pairs = Vec::new();
    for (s, e, side, idx) in events {
        let other = 1 - side;
        if let Some(act) = active.get_mut(other) {
            act.retain(|x| x.0 > s);
            for &(_, k) in act.iter() {
                pairs.push(if side == 0 { (idx, k) } else { (k, idx) });
            }
        }
        if let Some(mine) = active.get_mut(side) {
            mine.retain(|x| x.0 > s);
            mine.push((e, idx));
        }
    }
    pairs
}

/// `ratio`: `num / den`, `None` for `den == 0`.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    if den == 0 {
        None
    } else {
        Some(num as f64 / den as f64)
    }
}

/// `fbeta`: F-beta of precision and recall. `None` when both are undefined, 0 when exactly one
/// is, 0 when both are 0.
pub fn fbeta(p: Option<f64>, r: Option<f64>, beta: f64) -> Option<f64> {
    match (p, r) {
        (None, None) => None,
        (Some(p), Some(r)) => {
            let b2 = beta * beta;
            let den = b2 * p + r;
            Some(if den > 0.0 {
                (1.0 + b2) * p * r / den
            } else {
                0.0
            })
        }
        _ => Some(0.0),
    }
}

/// Per-label counters (`C[lab]` in `score.py`).
#[derive(Default, Clone, Copy)]
struct Counts {
    n_gold: u64,
    n_pred: u64,
    exact_tp: u64,
    ovl_tp_r: u64,
    ovl_tp_p: u64,
    any_tp_r: u64,
    any_tp_p: u64,
    char_gold: u64,
    char_gold_covered: u64,
    char_pred: u64,
    char_pred_in_gold: u64,
}

/// Label-agnostic totals (`T` in `score.py`).
#[derive(Default)]
struct Totals {
    pos_gold: u64,
    pos_pred: u64,
    exact_any_tp: u64,
    char_gold: u64,
    char_pred: u64,
    char_both: u64,
}

/// Scores predictions against gold, exactly like `score.py`'s `score()`.
///
/// Documents are matched by [`Doc::id`]; a later prediction with the same id replaces an earlier
/// one (warned). Gold documents without a prediction count as "predicted nothing" (warned), with
/// one addition for conversations: a gold message document (see [`crate::flatten`]) whose
/// `"c1#i"` prediction is missing counts as an empty prediction *without* a warning when the
/// prediction side has any document of conversation `c1` (a `"c1#j"` message document, or a plain
/// document with id `"c1"`, which is what a conversation prediction without spans flattens to).
/// Such a plain `"c1"` prediction without spans is also not reported as "not in gold". On plain
/// (non-conversation) input the result is identical to `score.py`.
///
/// Fails where `score.py` fails: `ignore_whitespace` with a gold document without text
/// ([`Error::MissingText`]), a gold text that is not a string, a `spans` value that is not a list.
pub fn score(gold: &[Doc], pred: &[Doc], opts: &Options) -> Result<Report, Error> {
    let relabel: HashMap<&str, &str> = opts
        .relabel
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let keep: Option<BTreeSet<String>> = opts
        .labels
        .as_ref()
        .filter(|l| !l.is_empty())
        .map(|l| l.iter().cloned().collect());
    let drop: BTreeSet<String> = opts.exclude.iter().cloned().collect();
    let no_drop = BTreeSet::new();
    let gold_filter = Filter {
        keep: keep.as_ref(),
        drop: &drop,
    };
    let pred_filter = if opts.filter_side_gold_only {
        Filter {
            keep: None,
            drop: &no_drop,
        }
    } else {
        Filter {
            keep: keep.as_ref(),
            drop: &drop,
        }
    };
    let mut warn = Warn::default();

    let mut preds: HashMap<&str, (usize, &Doc)> = HashMap::with_capacity(pred.len());
    let mut pred_order: Vec<&str> = Vec::with_capacity(pred.len());
    for (i, p) in pred.iter().enumerate() {
        if preds.insert(p.id.as_str(), (i + 1, p)).is_some() {
            warn.add(warn_keys::PRED_DUPLICATE_ID, 1);
        } else {
            pred_order.push(p.id.as_str());
        }
    }
    // Conversations with at least one prediction line.
    let pred_conversations: HashSet<&str> = pred
        .iter()
        .map(|p| match &p.message {
            Some(m) => m.conversation.as_str(),
            None => p.id.as_str(),
        })
        .collect();
    let gold_conversations: HashSet<&str> = gold
        .iter()
        .filter_map(|g| g.message.as_ref().map(|m| m.conversation.as_str()))
        .collect();

    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    let mut tot = Totals::default();
    let mut gold_ids: HashSet<&str> = HashSet::with_capacity(gold.len());
    let mut n_docs = 0u64;
    for (gi, g) in gold.iter().enumerate() {
        let gnum = gi + 1;
        if !gold_ids.insert(g.id.as_str()) {
            warn.add(warn_keys::GOLD_DUPLICATE_ID, 1);
        }
        n_docs += 1;
        let gs = norm_spans(g, &relabel, &gold_filter, &mut warn, "gold", gnum)?;
        let ps = match preds.get(g.id.as_str()) {
            Some((pnum, p)) => norm_spans(p, &relabel, &pred_filter, &mut warn, "pred", *pnum)?,
            None => {
                let covered = g
                    .message
                    .as_ref()
                    .is_some_and(|m| pred_conversations.contains(m.conversation.as_str()));
                if !covered {
                    warn.add(warn_keys::NO_PRED_LINE, 1);
                }
                Vec::new()
            }
        };
        if g.notes.text_not_string {
            return Err(Error::TextNotString { doc: gnum });
        }
        let weight = if opts.ignore_whitespace {
            match &g.text {
                Some(t) => Some(ws_weights(t)),
                None => return Err(Error::MissingText { doc: gnum }),
            }
        } else {
            None
        };
        let weight = weight.as_deref();
        if let Some(text) = &g.text {
            let n = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
            let bad = gs.iter().filter(|sp| sp.1 > n).count() as u64;
            if bad > 0 {
                warn.add(warn_keys::GOLD_BEYOND_END, bad);
            }
            let bad = ps.iter().filter(|sp| sp.1 > n).count() as u64;
            if bad > 0 {
                warn.add(warn_keys::PRED_BEYOND_END, bad);
            }
        }

        // counts
        for (_, _, lab) in &gs {
            per.entry(lab.clone()).or_default().n_gold += 1;
        }
        for (_, _, lab) in &ps {
            per.entry(lab.clone()).or_default().n_pred += 1;
        }

        // exact, labelled
        let pset: BTreeSet<&NSpan> = ps.iter().collect();
        for sp in &gs {
            if pset.contains(sp) {
                per.entry(sp.2.clone()).or_default().exact_tp += 1;
            }
        }
        // exact, any label (positions deduped)
        let gpos: BTreeSet<(i64, i64)> = gs.iter().map(|sp| (sp.0, sp.1)).collect();
        let ppos: BTreeSet<(i64, i64)> = ps.iter().map(|sp| (sp.0, sp.1)).collect();
        tot.pos_gold += gpos.len() as u64;
        tot.pos_pred += ppos.len() as u64;
        tot.exact_any_tp += gpos.intersection(&ppos).count() as u64;

        // overlap
        let mut g_hit_same = vec![false; gs.len()];
        let mut g_hit_any = vec![false; gs.len()];
        let mut p_hit_same = vec![false; ps.len()];
        let mut p_hit_any = vec![false; ps.len()];
        for (i, j) in overlap_pairs(&gs, &ps) {
            let (Some(gsp), Some(psp)) = (gs.get(i), ps.get(j)) else {
                continue;
            };
            g_hit_any[i] = true;
            p_hit_any[j] = true;
            if gsp.2 == psp.2 {
                g_hit_same[i] = true;
                p_hit_same[j] = true;
            }
        }
        for (sp, (same, any)) in gs.iter().zip(g_hit_same.iter().zip(&g_hit_any)) {
            let c = per.entry(sp.2.clone()).or_default();
            c.ovl_tp_r += u64::from(*same);
            c.any_tp_r += u64::from(*any);
        }
        for (sp, (same, any)) in ps.iter().zip(p_hit_same.iter().zip(&p_hit_any)) {
            let c = per.entry(sp.2.clone()).or_default();
            c.ovl_tp_p += u64::from(*same);
            c.any_tp_p += u64::from(*any);
        }

        // characters
        let gm = merge(gs.iter().map(|sp| (sp.0, sp.1)).collect());
        let pm = merge(ps.iter().map(|sp| (sp.0, sp.1)).collect());
        tot.char_gold = tot.char_gold.saturating_add(measure(&gm, weight));
        tot.char_pred = tot.char_pred.saturating_add(measure(&pm, weight));
        tot.char_both = tot
            .char_both
            .saturating_add(measure(&intersect(&gm, &pm), weight));
        let mut by_lab_g: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
        let mut by_lab_p: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
        for (s, e, lab) in &gs {
            by_lab_g.entry(lab.as_str()).or_default().push((*s, *e));
        }
        for (s, e, lab) in &ps {
            by_lab_p.entry(lab.as_str()).or_default().push((*s, *e));
        }
        for (lab, iv) in by_lab_g {
            let gl = merge(iv);
            let c = per.entry(lab.to_owned()).or_default();
            c.char_gold = c.char_gold.saturating_add(measure(&gl, weight));
            c.char_gold_covered = c
                .char_gold_covered
                .saturating_add(measure(&intersect(&gl, &pm), weight));
        }
        for (lab, iv) in by_lab_p {
            let pl = merge(iv);
            let c = per.entry(lab.to_owned()).or_default();
            c.char_pred = c.char_pred.saturating_add(measure(&pl, weight));
            c.char_pred_in_gold = c
                .char_pred_in_gold
                .saturating_add(measure(&intersect(&pl, &gm), weight));
        }
    }

    let extra = pred_order
        .iter()
        .filter(|pid| !gold_ids.contains(**pid))
        .filter(|pid| {
            // A conversation prediction without spans (a plain, empty "c1" line) is expected.
            let empty_conversation_line = gold_conversations.contains(**pid)
                && preds.get(**pid).is_some_and(|(_, p)| {
                    p.message.is_none() && p.spans.is_empty() && p.notes == Default::default()
                });
            !empty_conversation_line
        })
        .count() as u64;
    if extra > 0 {
        warn.add(warn_keys::PRED_NOT_IN_GOLD, extra);
    }

    Ok(assemble(per, &tot, n_docs, warn, keep, drop, opts))
}

/// The `# ---- assemble` part of `score.py`.
fn assemble(
    per: BTreeMap<String, Counts>,
    tot: &Totals,
    n_docs: u64,
    warn: Warn,
    keep: Option<BTreeSet<String>>,
    drop: BTreeSet<String>,
    opts: &Options,
) -> Report {
    let prf = |tp_p: u64, n_pred: u64, tp_r: u64, n_gold: u64| {
        let p = ratio(tp_p, n_pred);
        let r = ratio(tp_r, n_gold);
        (p, r, fbeta(p, r, 1.0))
    };
    let mut per_label = BTreeMap::new();
    let mut sum = Counts::default();
    for (lab, c) in &per {
        let (ep, er, ef) = prf(c.exact_tp, c.n_pred, c.exact_tp, c.n_gold);
        let (op, or, of) = prf(c.ovl_tp_p, c.n_pred, c.ovl_tp_r, c.n_gold);
        per_label.insert(
            lab.clone(),
            LabelReport {
                n_gold: c.n_gold,
                n_pred: c.n_pred,
                exact: ExactStats {
                    tp: c.exact_tp,
                    p: ep,
                    r: er,
                    f1: ef,
                },
                overlap: OverlapStats {
                    tp_p: c.ovl_tp_p,
                    tp_r: c.ovl_tp_r,
                    p: op,
                    r: or,
                    f1: of,
                },
                overlap_any_label: AnyLabelStats {
                    tp_p: c.any_tp_p,
                    tp_r: c.any_tp_r,
                    p: ratio(c.any_tp_p, c.n_pred),
                    r: ratio(c.any_tp_r, c.n_gold),
                },
                char: LabelChar {
                    gold_chars: c.char_gold,
                    gold_covered: c.char_gold_covered,
                    recall: ratio(c.char_gold_covered, c.char_gold),
                    pred_chars: c.char_pred,
                    pred_in_gold: c.char_pred_in_gold,
                    precision: ratio(c.char_pred_in_gold, c.char_pred),
                },
            },
        );
        sum.n_gold += c.n_gold;
        sum.n_pred += c.n_pred;
        sum.exact_tp += c.exact_tp;
        sum.ovl_tp_p += c.ovl_tp_p;
        sum.ovl_tp_r += c.ovl_tp_r;
        sum.any_tp_p += c.any_tp_p;
        sum.any_tp_r += c.any_tp_r;
    }

    let (n_gold, n_pred) = (sum.n_gold, sum.n_pred);
    let (ep, er, ef) = prf(sum.exact_tp, n_pred, sum.exact_tp, n_gold);
    let (xp, xr, xf) = prf(
        tot.exact_any_tp,
        tot.pos_pred,
        tot.exact_any_tp,
        tot.pos_gold,
    );
    let (op, or, of) = prf(sum.ovl_tp_p, n_pred, sum.ovl_tp_r, n_gold);
    let (ap, ar, af) = prf(sum.any_tp_p, n_pred, sum.any_tp_r, n_gold);
    let f5 = fbeta(ap, ar, 5.0);
    let micro = Micro {
        n_gold,
        n_pred,
        exact: ExactStats {
            tp: sum.exact_tp,
            p: ep,
            r: er,
            f1: ef,
        },
        exact_any_label: ExactAnyStats {
            tp: tot.exact_any_tp,
            n_gold: tot.pos_gold,
            n_pred: tot.pos_pred,
            p: xp,
            r: xr,
            f1: xf,
        },
        overlap: OverlapStats {
            tp_p: sum.ovl_tp_p,
            tp_r: sum.ovl_tp_r,
            p: op,
            r: or,
            f1: of,
        },
        overlap_any_label: MicroAnyLabel {
            tp_p: sum.any_tp_p,
            tp_r: sum.any_tp_r,
            p: ap,
            r: ar,
            f1: af,
            f5,
        },
    };

    // Python: sum(vals) / len(vals), summed left to right (Python < 3.12 semantics; 3.12+ uses
    // compensated summation, which can differ in the last bit).
    let macro_f1 = |f: fn(&LabelReport) -> Option<f64>| -> Option<f64> {
        let vals: Vec<f64> = per_label
            .values()
            .filter(|l: &&LabelReport| l.n_gold > 0)
            .map(|l| f(l).unwrap_or(0.0))
            .collect();
        if vals.is_empty() {
            None
        } else {
            Some(vals.iter().fold(0.0, |a, b| a + b) / vals.len() as f64)
        }
    };
    let macro_f1_over_gold_labels = MacroF1 {
        exact: macro_f1(|l| l.exact.f1),
        overlap: macro_f1(|l| l.overlap.f1),
    };

    let cp = ratio(tot.char_both, tot.char_pred);
    let cr = ratio(tot.char_both, tot.char_gold);
    let mut relabel: Vec<(String, String)> = Vec::new();
    for (a, b) in &opts.relabel {
        if let Some(slot) = relabel.iter_mut().find(|(k, _)| k == a) {
            slot.1.clone_from(b);
        } else {
            relabel.push((a.clone(), b.clone()));
        }
    }
    Report {
        docs: n_docs,
        docs_without_pred: warn.get(warn_keys::NO_PRED_LINE),
        options: OptionsReport {
            labels: keep.map(|k| k.into_iter().collect()),
            exclude_labels: drop.into_iter().collect(),
            relabel: OrderedMap(relabel),
            filter_side: if opts.filter_side_gold_only {
                FilterSide::Gold
            } else {
                FilterSide::Both
            },
            ignore_whitespace: opts.ignore_whitespace,
        },
        per_label,
        micro,
        macro_f1_over_gold_labels,
        char: CharReport {
            gold_chars: tot.char_gold,
            pred_chars: tot.char_pred,
            overlap_chars: tot.char_both,
            leaked_chars: tot.char_gold.saturating_sub(tot.char_both),
            recall: cr,
            precision: cp,
            f1: fbeta(cp, cr, 1.0),
            f5: fbeta(cp, cr, 5.0),
        },
        f5,
        warnings: OrderedMap(warn.0),
        gold_file: None,
        pred_file: None,
    }
}
