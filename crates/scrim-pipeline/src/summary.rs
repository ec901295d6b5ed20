//! What a run did, in counts: per outcome and reason, entities and tags, bytes and time. No
//! content.

use std::collections::BTreeMap;

use scrim_core::sensitive::Category;
use scrim_core::{Label, Stats};
use serde::Serialize;

/// Counts for a run, as the driver saw them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunSummary {
    /// Input records (non-blank lines).
    pub records: usize,
    /// Records written.
    pub written: usize,
    /// Records withheld by the redaction policy, per reason.
    pub withheld: BTreeMap<String, usize>,
    /// Records left out by admission, per reason code.
    pub excluded: BTreeMap<&'static str, usize>,
    /// Lines quarantined, per reason code.
    pub quarantined: BTreeMap<&'static str, usize>,
    /// Entities replaced (or kept) per label, in written and withheld records.
    pub entities: BTreeMap<Label, usize>,
    /// Messages tagged per sensitive category.
    pub tags: BTreeMap<Category, usize>,
    /// Attachments removed.
    pub attachments_withheld: usize,
    /// Images kept with their metadata stripped.
    pub attachments_stripped: usize,
    /// Unknown fields passed through unexamined (policy `[record] unknown_fields = "keep"`).
    pub unexamined_fields: usize,
    /// Unknown fields removed (policy `[record] unknown_fields = "drop"`).
    pub dropped_fields: usize,
    /// Bytes of the input's records as read (each with its newline; blank lines not counted,
    /// over-long lines as their kept head).
    pub input_bytes: u64,
    /// Seconds from the first read to the last outcome (before [`crate::Sink::finish`]).
    pub seconds: f64,
}

impl RunSummary {
    /// Records withheld, whatever the reason.
    pub fn withheld_total(&self) -> usize {
        self.withheld.values().sum()
    }

    /// Records excluded, whatever the reason.
    pub fn excluded_total(&self) -> usize {
        self.excluded.values().sum()
    }

    /// Lines quarantined, whatever the reason.
    pub fn quarantined_total(&self) -> usize {
        self.quarantined.values().sum()
    }

    /// Add one record's counts.
    pub fn add_stats(&mut self, s: &Stats) {
        for (l, n) in &s.by_label {
            *self.entities.entry(*l).or_default() += n;
        }
        for (c, n) in &s.tags {
            *self.tags.entry(*c).or_default() += n;
        }
        self.attachments_withheld += s.attachments_withheld;
        self.attachments_stripped += s.attachments_stripped;
        self.unexamined_fields += s.unexamined_fields;
        self.dropped_fields += s.dropped_fields;
    }
}
