//! The summary of `scrim redact` and `scrim detect` on standard error: text, or one JSON line
//! (the pipeline's [`RunSummary`] with what the command adds).

use std::path::Path;

use scrim_pipeline::{DatasetReport, RunSummary};
use serde::Serialize;

/// What a summary reports.
pub(crate) struct Report<'a> {
    /// The command (`redact`, `detect`).
    pub(crate) what: &'a str,
    /// The run's counts.
    pub(crate) summary: &'a RunSummary,
    /// Where quarantined lines went.
    pub(crate) quarantine: &'a Path,
    /// Worker threads.
    pub(crate) threads: usize,
    /// Where the pseudonym key came from (redaction only).
    pub(crate) key: Option<&'a str>,
    /// The dataset written (`redact --store`).
    pub(crate) dataset: Option<&'a DatasetReport>,
    /// What the learned tier read, when one ran.
    pub(crate) learned: Option<LearnedRead>,
}

/// How much of the text the learned tier read.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LearnedRead {
    /// The learned tier (`model`, `student`, `cascade`).
    pub(crate) tier: &'static str,
    /// The share of the text its gate let it read.
    pub(crate) read_share: f64,
    /// With the cascade: the share of that the teacher read again.
    pub(crate) teacher_reread_share: Option<f64>,
}

impl Report<'_> {
    fn mb(&self) -> f64 {
        self.summary.input_bytes as f64 / 1e6
    }

    fn rate(&self) -> f64 {
        let secs = self.summary.seconds;
        if secs > 0.0 {
            self.mb() / secs
        } else {
            0.0
        }
    }
}

/// The JSON summary: the run's counts with the command's additions.
#[derive(Serialize)]
struct Json<'a> {
    command: &'a str,
    #[serde(flatten)]
    summary: &'a RunSummary,
    dataset: Option<&'a DatasetReport>,
    quarantine_file: Option<String>,
    input_mb: f64,
    mb_per_s: f64,
    threads: usize,
    key: Option<&'a str>,
    learned_tier: Option<&'a LearnedRead>,
}

/// Print the summary on standard error, as text or as one JSON line.
pub(crate) fn print(r: &Report<'_>, as_json: bool) {
    if !as_json {
        print_text(r);
        return;
    }
    let quarantined = r.summary.quarantined_total() > 0;
    let v = Json {
        command: r.what,
        summary: r.summary,
        dataset: r.dataset,
        quarantine_file: quarantined.then(|| r.quarantine.display().to_string()),
        input_mb: r.mb(),
        mb_per_s: r.rate(),
        threads: r.threads,
        key: r.key,
        learned_tier: r.learned.as_ref(),
    };
    match serde_json::to_string(&v) {
        Ok(line) => eprintln!("{line}"),
        Err(e) => eprintln!("scrim: cannot write the summary as JSON: {e}"),
    }
}

/// `name n, name n, …`.
fn counts<K: std::fmt::Display>(items: impl IntoIterator<Item = (K, usize)>) -> String {
    items
        .into_iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_text(r: &Report<'_>) {
    let s = r.summary;
    let (withheld, excluded) = (s.withheld_total(), s.excluded_total());
    let quarantined = s.quarantined_total();
    eprintln!(
        "scrim {}: {} records, {} written, {withheld} withheld, {excluded} excluded, {quarantined} quarantined",
        r.what, s.records, s.written
    );
    if excluded > 0 {
        let parts = counts(s.excluded.iter().map(|(c, n)| (c, *n)));
        eprintln!("  excluded (consent and source rules): {parts}");
    }
    if let Some(d) = r.dataset {
        print_dataset(d);
    }
    print_findings(s);
    for (reason, n) in &s.withheld {
        eprintln!("  withheld {n}: {reason}");
    }
    if quarantined > 0 {
        let parts = counts(s.quarantined.iter().map(|(c, n)| (c, *n)));
        eprintln!("  quarantined to {}: {parts}", r.quarantine.display());
    }
    print_fields(s);
    eprintln!(
        "  {:.2} MB in {:.2} s: {:.2} MB/s on {} threads",
        r.mb(),
        s.seconds,
        r.rate(),
        r.threads
    );
    if let Some(l) = &r.learned {
        eprint!(
            "  learned tier {}: read {:.0}% of the text",
            l.tier,
            l.read_share * 100.0
        );
        match l.teacher_reread_share {
            Some(t) => eprintln!(" (the teacher read {:.1}% of that again)", t * 100.0),
            None => eprintln!(),
        }
    }
    if let Some(k) = r.key {
        if k.starts_with("random") {
            eprintln!("  key: none given, so a fresh random key was used: pseudonyms from this run cannot be linked to any other run (use --key-file or SCRIM_KEY for stable ones)");
        } else {
            eprintln!("  key: from {k}");
        }
    }
}

fn print_dataset(d: &DatasetReport) {
    eprintln!(
        "  dataset {} ({} purpose): {} records of {} subjects in {} shard(s) at {}",
        d.name, d.purpose, d.records, d.subjects, d.shards, d.path
    );
    if let Some(r) = &d.raw_retained {
        eprintln!(
            "  raw records retained, sealed per subject: {} in {}",
            r.records, r.file
        );
    }
}

/// Entities and sensitive tags.
fn print_findings(s: &RunSummary) {
    if !s.entities.is_empty() {
        let parts = counts(s.entities.iter().map(|(l, n)| (l, *n)));
        eprintln!("  entities: {parts}");
    }
    if !s.tags.is_empty() {
        let parts = counts(s.tags.iter().map(|(c, n)| {
            let name = serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            (name, *n)
        }));
        eprintln!("  sensitive messages: {parts}");
    }
}

/// Attachments and fields beyond the texts.
fn print_fields(s: &RunSummary) {
    if s.attachments_withheld + s.attachments_stripped > 0 {
        eprintln!(
            "  attachments: {} withheld, {} kept with metadata stripped",
            s.attachments_withheld, s.attachments_stripped
        );
    }
    if s.unexamined_fields > 0 {
        eprintln!(
            "  passed through unexamined: {} fields (policy: [record] unknown_fields = \"keep\")",
            s.unexamined_fields
        );
    }
    if s.dropped_fields > 0 {
        eprintln!("  unknown fields dropped: {}", s.dropped_fields);
    }
}
