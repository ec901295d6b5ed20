//! The result of scoring: serialises to the same JSON as `score.py --json`, renders the same
//! table as `score.py` without `--json`.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::py;

/// A JSON object whose keys keep their order (Python `dict` order), e.g. the warnings counter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> OrderedMap<V> {
    /// The value for `key`, if present.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V_<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V_<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some((k, v)) = access.next_entry::<String, V>()? {
                    if let Some(slot) = out.iter_mut().find(|(key, _)| *key == k) {
                        slot.1 = v;
                    } else {
                        out.push((k, v));
                    }
                }
                Ok(OrderedMap(out))
            }
        }
        deserializer.deserialize_map(V_(PhantomData))
    }
}

/// Exact-match counts and P/R/F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExactStats {
    /// Matching spans.
    pub tp: u64,
    /// Precision (`None`: nothing predicted).
    pub p: Option<f64>,
    /// Recall (`None`: nothing in gold).
    pub r: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
}

/// Exact-position matches, labels ignored, positions deduplicated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExactAnyStats {
    /// Positions present on both sides.
    pub tp: u64,
    /// Distinct gold positions.
    pub n_gold: u64,
    /// Distinct predicted positions.
    pub n_pred: u64,
    /// Precision.
    pub p: Option<f64>,
    /// Recall.
    pub r: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
}

/// Overlap matches: P from predicted spans that hit, R from gold spans that are hit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OverlapStats {
    /// Predicted spans overlapping a gold span.
    pub tp_p: u64,
    /// Gold spans overlapped by a predicted span.
    pub tp_r: u64,
    /// Precision.
    pub p: Option<f64>,
    /// Recall.
    pub r: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
}

/// Per-label overlap ignoring labels: recall of this gold label by a prediction of any label,
/// precision of this predicted label against gold of any label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnyLabelStats {
    /// Predicted spans of this label overlapping any gold span.
    pub tp_p: u64,
    /// Gold spans of this label overlapped by any predicted span.
    pub tp_r: u64,
    /// Precision.
    pub p: Option<f64>,
    /// Recall.
    pub r: Option<f64>,
}

/// Micro-averaged overlap ignoring labels, with F5 (the headline numbers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MicroAnyLabel {
    /// Predicted spans overlapping any gold span.
    pub tp_p: u64,
    /// Gold spans overlapped by any predicted span.
    pub tp_r: u64,
    /// Precision.
    pub p: Option<f64>,
    /// Recall.
    pub r: Option<f64>,
    /// F1.
    pub f1: Option<f64>,
    /// F-beta with beta = 5.
    pub f5: Option<f64>,
}

/// Per-label character metrics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LabelChar {
    /// Characters inside gold spans of this label.
    pub gold_chars: u64,
    /// Of those, characters covered by any predicted span.
    pub gold_covered: u64,
    /// `gold_covered / gold_chars`.
    pub recall: Option<f64>,
    /// Characters inside predicted spans of this label.
    pub pred_chars: u64,
    /// Of those, characters inside any gold span.
    pub pred_in_gold: u64,
    /// `pred_in_gold / pred_chars`.
    pub precision: Option<f64>,
}

/// Everything about one label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LabelReport {
    /// Gold spans with this label.
    pub n_gold: u64,
    /// Predicted spans with this label.
    pub n_pred: u64,
    /// Exact matches.
    pub exact: ExactStats,
    /// Overlap matches with the same label.
    pub overlap: OverlapStats,
    /// Overlap matches with any label.
    pub overlap_any_label: AnyLabelStats,
    /// Character metrics.
    pub char: LabelChar,
}

/// Micro-averaged span metrics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Micro {
    /// Gold spans.
    pub n_gold: u64,
    /// Predicted spans.
    pub n_pred: u64,
    /// Exact matches (start, end, label).
    pub exact: ExactStats,
    /// Exact positions, label ignored.
    pub exact_any_label: ExactAnyStats,
    /// Overlap, same label.
    pub overlap: OverlapStats,
    /// Overlap, any label (the redaction view), with F5.
    pub overlap_any_label: MicroAnyLabel,
}

/// Macro-averaged F1 over the labels that occur in gold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MacroF1 {
    /// Over exact F1.
    pub exact: Option<f64>,
    /// Over overlap F1.
    pub overlap: Option<f64>,
}

/// Character metrics, labels ignored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CharReport {
    /// Characters inside gold spans (union).
    pub gold_chars: u64,
    /// Characters inside predicted spans (union).
    pub pred_chars: u64,
    /// Characters inside both.
    pub overlap_chars: u64,
    /// Gold characters not covered: `gold_chars - overlap_chars`.
    pub leaked_chars: u64,
    /// `overlap_chars / gold_chars` (= 1 - leak rate).
    pub recall: Option<f64>,
    /// `overlap_chars / pred_chars`.
    pub precision: Option<f64>,
    /// F1 of the two.
    pub f1: Option<f64>,
    /// F5 of the two.
    pub f5: Option<f64>,
}

/// Which side label filters apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FilterSide {
    /// Gold and predictions.
    Both,
    /// Gold only.
    Gold,
}

/// The options as `score.py` echoes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionsReport {
    /// Kept labels, sorted; `None` when all are kept.
    pub labels: Option<Vec<String>>,
    /// Dropped labels, sorted.
    pub exclude_labels: Vec<String>,
    /// Relabelling map, in insertion order.
    pub relabel: OrderedMap<String>,
    /// Which side the filters apply to.
    pub filter_side: FilterSide,
    /// Whether character metrics skip whitespace.
    pub ignore_whitespace: bool,
}

/// The scoring result, with the same structure and keys as `score.py --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Gold documents scored.
    pub docs: u64,
    /// Gold documents without a prediction line.
    pub docs_without_pred: u64,
    /// The options used.
    pub options: OptionsReport,
    /// Per label (sorted by code point), every label seen on either side.
    pub per_label: BTreeMap<String, LabelReport>,
    /// Micro-averaged span metrics.
    pub micro: Micro,
    /// Macro F1 over gold labels.
    pub macro_f1_over_gold_labels: MacroF1,
    /// Character metrics.
    pub char: CharReport,
    /// F5 on overlap, any label (same as `micro.overlap_any_label.f5`).
    pub f5: Option<f64>,
    /// Warning counts, keyed as in `score.py`, in the order they first occurred.
    pub warnings: OrderedMap<u64>,
    /// Gold file name, as the CLI adds it (not set by [`score`](crate::score)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold_file: Option<String>,
    /// Prediction file name, as the CLI adds it (not set by [`score`](crate::score)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pred_file: Option<String>,
}

/// The numbers a one-line summary needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    /// Micro overlap any-label precision.
    pub precision: Option<f64>,
    /// Micro overlap any-label recall.
    pub recall: Option<f64>,
    /// Micro overlap any-label F1.
    pub f1: Option<f64>,
    /// Micro overlap any-label F5.
    pub f5: Option<f64>,
    /// Character recall (1 - leak rate).
    pub char_recall: Option<f64>,
    /// Character precision.
    pub char_precision: Option<f64>,
}

/// `score.py`'s `fmt`: floats as `{:.3f}`, `-` for `None`, right-aligned.
fn fmt_f(x: Option<f64>, width: usize) -> String {
    match x {
        None => format!("{:>width$}", "-"),
        Some(v) => format!("{:>width$}", format!("{v:.3}")),
    }
}

fn fmt6(x: Option<f64>) -> String {
    fmt_f(x, 6)
}

fn fmt_trim(x: Option<f64>) -> String {
    fmt6(x).trim().to_owned()
}

impl Report {
    /// Micro overlap any-label precision.
    pub fn precision(&self) -> Option<f64> {
        self.micro.overlap_any_label.p
    }

    /// Micro overlap any-label recall.
    pub fn recall(&self) -> Option<f64> {
        self.micro.overlap_any_label.r
    }

    /// Micro overlap any-label F1.
    pub fn f1(&self) -> Option<f64> {
        self.micro.overlap_any_label.f1
    }

    /// Micro overlap any-label F5.
    pub fn f5(&self) -> Option<f64> {
        self.f5
    }

    /// Share of gold PII characters covered by any prediction.
    pub fn char_recall(&self) -> Option<f64> {
        self.char.recall
    }

    /// Share of predicted characters inside gold spans.
    pub fn char_precision(&self) -> Option<f64> {
        self.char.precision
    }

    /// The headline numbers together.
    pub fn headline(&self) -> Headline {
        Headline {
            precision: self.precision(),
            recall: self.recall(),
            f1: self.f1(),
            f5: self.f5(),
            char_recall: self.char_recall(),
            char_precision: self.char_precision(),
        }
    }

    /// The report as a JSON value (same structure as `score.py --json`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// `json.dumps(options)` as Python prints it (for the table's options line).
    fn options_json(&self) -> String {
        let o = &self.options;
        let list = |l: &[String]| {
            let items: Vec<String> = l.iter().map(|s| py::json_str(s)).collect();
            format!("[{}]", items.join(", "))
        };
        let labels = o.labels.as_deref().map_or_else(|| "null".to_owned(), list);
        let relabel: Vec<String> = o
            .relabel
            .0
            .iter()
            .map(|(a, b)| format!("{}: {}", py::json_str(a), py::json_str(b)))
            .collect();
        format!(
            "{{\"labels\": {labels}, \"exclude_labels\": {}, \"relabel\": {{{}}}, \
             \"filter_side\": \"{}\", \"ignore_whitespace\": {}}}",
            list(&o.exclude_labels),
            relabel.join(", "),
            match o.filter_side {
                FilterSide::Both => "both",
                FilterSide::Gold => "gold",
            },
            o.ignore_whitespace
        )
    }

    /// The text table `score.py` prints without `--json` (no trailing newline). `title`, when
    /// given and non-empty, is the first line.
    pub fn render(&self, title: Option<&str>) -> String {
        let mut l: Vec<String> = Vec::new();
        if let Some(t) = title.filter(|t| !t.is_empty()) {
            l.push(t.to_owned());
        }
        self.push_preamble(&mut l);
        self.push_label_table(&mut l);
        self.push_micro(&mut l);
        self.push_chars(&mut l);
        l.push(
            "columns: exact = same start/end/label; ovl = >=1 char overlap, same label; any = \
             overlap, any label (R by gold label, P by pred label);"
                .to_owned(),
        );
        l.push(
            "         chR = share of this gold label's chars covered by any pred; chP = share of \
             this pred label's chars inside any gold span"
                .to_owned(),
        );
        self.push_warnings(&mut l);
        l.join("\n")
    }

    /// The document counts, the options line when any option is set, and a blank line.
    fn push_preamble(&self, l: &mut Vec<String>) {
        l.push(format!(
            "docs: {}  (without prediction line: {})",
            self.docs, self.docs_without_pred
        ));
        let o = &self.options;
        let has_labels = o.labels.as_ref().is_some_and(|v| !v.is_empty());
        if has_labels
            || !o.exclude_labels.is_empty()
            || !o.relabel.is_empty()
            || o.ignore_whitespace
        {
            l.push(format!("options: {}", self.options_json()));
        }
        l.push(String::new());
    }

    /// The per-label table: header, a rule, one row per label, a rule.
    fn push_label_table(&self, l: &mut Vec<String>) {
        let hdr = label_table_header();
        let rule = "-".repeat(hdr.chars().count());
        l.push(hdr);
        l.push(rule.clone());
        for (lab, d) in &self.per_label {
            l.push(label_row(lab, d));
        }
        l.push(rule);
    }

    /// The micro-averaged span metrics, F5 and the macro F1.
    fn push_micro(&self, l: &mut Vec<String>) {
        let m = &self.micro;
        l.push("micro-averaged spans            P      R     F1".to_owned());
        let rows = [
            ("exact (label)", m.exact.p, m.exact.r, m.exact.f1),
            (
                "exact (any label)",
                m.exact_any_label.p,
                m.exact_any_label.r,
                m.exact_any_label.f1,
            ),
            ("overlap (label)", m.overlap.p, m.overlap.r, m.overlap.f1),
            (
                "overlap (any label)",
                m.overlap_any_label.p,
                m.overlap_any_label.r,
                m.overlap_any_label.f1,
            ),
        ];
        for (name, p, r, f1) in rows {
            l.push(format!("  {name:<26}{}{}{}", fmt6(p), fmt6(r), fmt6(f1)));
        }
        l.push(format!("  F5 (overlap, any label)   {}", fmt6(self.f5)));
        let mac = &self.macro_f1_over_gold_labels;
        l.push(format!(
            "  macro F1 over gold labels: exact {}, overlap {}",
            fmt_trim(mac.exact),
            fmt_trim(mac.overlap)
        ));
    }

    /// The character metrics, labels ignored.
    fn push_chars(&self, l: &mut Vec<String>) {
        let c = &self.char;
        l.push(format!(
            "characters (any label): recall {}  precision {}  F1 {}  F5 {}",
            fmt_trim(c.recall),
            fmt_trim(c.precision),
            fmt_trim(c.f1),
            fmt_trim(c.f5)
        ));
        l.push(format!(
            "  gold PII chars {}, covered {}, leaked {}; predicted chars {}",
            c.gold_chars, c.overlap_chars, c.leaked_chars, c.pred_chars
        ));
    }

    /// The warning counts in one line, when there are any.
    fn push_warnings(&self, l: &mut Vec<String>) {
        if !self.warnings.is_empty() {
            let parts: Vec<String> = self
                .warnings
                .0
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            l.push(format!("warnings: {}", parts.join("; ")));
        }
    }
}

/// The per-label table's column header.
fn label_table_header() -> String {
    format!(
        "{:<12}{:>6}{:>6} | {:>7}{:>6}{:>6} | {:>6}{:>6}{:>6} | {:>6}{:>6} | {:>6}{:>6}",
        "label",
        "gold",
        "pred",
        "exact P",
        "R",
        "F1",
        "ovl P",
        "R",
        "F1",
        "any P",
        "R",
        "chR",
        "chP"
    )
}

/// One label's row of the per-label table.
fn label_row(lab: &str, d: &LabelReport) -> String {
    let (ex, ov, an, ch) = (&d.exact, &d.overlap, &d.overlap_any_label, &d.char);
    format!(
        "{lab:<12}{:>6}{:>6} | {}{}{} | {}{}{} | {}{} | {}{}",
        d.n_gold,
        d.n_pred,
        fmt_f(ex.p, 7),
        fmt6(ex.r),
        fmt6(ex.f1),
        fmt6(ov.p),
        fmt6(ov.r),
        fmt6(ov.f1),
        fmt6(an.p),
        fmt6(an.r),
        fmt6(ch.recall),
        fmt6(ch.precision),
    )
}
