//! What `scrim bench` reports of a corpus's structure: the share of its text in each kind of
//! region ([`scrim_core::segment`]), and how many PERSON, LOCATION or ORG findings touch a code
//! identifier, a command or a log line (the bar is none: names in string literals and comments
//! are read as prose and do not count).

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use scrim_core::segment::{segment, RegionKind};
use scrim_core::{Detection, Label, Record};

/// The corpus's regions and the names found in code.
#[derive(Default)]
pub(crate) struct RegionAudit {
    /// Bytes of text per region kind.
    pub(crate) bytes: BTreeMap<String, usize>,
    /// Bytes of text in all.
    pub(crate) total: usize,
    /// PERSON, LOCATION and ORG findings that touch code, shell or log text.
    pub(crate) names_on_code: usize,
}

impl RegionAudit {
    /// Each kind's share of the text, largest first.
    pub(crate) fn shares(&self) -> Vec<(&str, f64)> {
        let total = self.total.max(1) as f64;
        let mut v: Vec<(&str, f64)> = self
            .bytes
            .iter()
            .map(|(k, b)| (k.as_str(), *b as f64 / total))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v
    }
}

/// Kinds whose words are identifiers, commands or machine output, not names.
fn code_like(kind: RegionKind) -> bool {
    matches!(
        kind,
        RegionKind::Code | RegionKind::InlineCode | RegionKind::Shell | RegionKind::Log
    )
}

/// Segment every text of `records` and count the names the detection put on code, on the pool
/// the caller installs.
pub(crate) fn audit(detection: &Detection, records: &[Record]) -> Result<RegionAudit> {
    records
        .par_iter()
        .map(|record| audit_one(detection, record))
        .try_reduce(RegionAudit::default, |mut a, b| {
            for (k, n) in b.bytes {
                *a.bytes.entry(k).or_default() += n;
            }
            a.total += b.total;
            a.names_on_code += b.names_on_code;
            Ok(a)
        })
}

/// The regions and names on code of one record.
fn audit_one(detection: &Detection, record: &Record) -> Result<RegionAudit> {
    let mut audit = RegionAudit::default();
    let analyses = detection.detect(record)?;
    for (text, analysis) in record.texts().iter().zip(&analyses) {
        let seg = segment(text);
        for r in seg.regions() {
            *audit.bytes.entry(format!("{:?}", r.kind)).or_default() += r.range.len();
        }
        audit.total += text.len();
        audit.names_on_code += analysis
            .findings
            .iter()
            .filter(|f| matches!(f.label, Label::Person | Label::Location | Label::Org))
            .filter(|f| {
                seg.covering(f.span.start()..f.span.end())
                    .any(|r| code_like(r.kind))
            })
            .count();
    }
    Ok(audit)
}
