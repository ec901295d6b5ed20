//! Admission for a job that writes its own output (Spark, Ray, a Python job through the
//! binding's `scrim.Store`): the same decision as `scrim redact --store` (source rules and each
//! subject's consent to the purpose, [`admit::by_consent`]: one consent query for a batch),
//! plus what such a job needs to write a dataset the store can reach later: each admitted
//! row's lineage ids (the keyed ids of its record and subject, [`Lineage`]), and the admitted
//! subjects recorded in the store (one statement a batch), so that `scrim forget` finds the
//! shards of a dataset registered from those rows (`scrim datasets register`).
//!
//! Nothing here reads or returns content beyond what the caller passed in: verdicts, codes,
//! lineage ids and counts.

use std::collections::BTreeMap;

use scrim_core::Record;
use scrim_store::{Exclusion, Governance, Keyring, Lineage};
use serde::Serialize;

use crate::admit::{self, subject_of, AdmitError, BadRecord, Verdict};
use crate::store::BlockingStore;

/// Where an admitted row came from, as keyed lineage ids (never the source system's ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowLineage {
    /// The source record's lineage id (`r_…`): of its `id`, or of the record's JSON text when
    /// it has none.
    pub record: String,
    /// The subject's lineage id (`s_…`), when the record has a subject.
    pub subject: Option<String>,
}

/// What admission decided for one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowVerdict {
    /// It may be used for the purpose; where it came from.
    Admitted(RowLineage),
    /// Consent or the source rules leave it out.
    Excluded(Exclusion),
    /// It is not a record, or its subject is malformed (fails closed: never admitted).
    Quarantined(BadRecord),
}

/// The verdicts on a batch, in input order, and their counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdmissionReport {
    /// One verdict per input row.
    #[serde(skip)]
    pub rows: Vec<RowVerdict>,
    /// Rows admitted.
    pub admitted: usize,
    /// Rows excluded, per exclusion code (`opted_out`, `source_forbids_purpose`, …).
    pub excluded: BTreeMap<&'static str, usize>,
    /// Rows quarantined, per code (`invalid_json`, `bad_subject`, …).
    pub quarantined: BTreeMap<&'static str, usize>,
}

impl AdmissionReport {
    /// The lineage of the admitted rows, in order.
    pub fn admitted_lineage(&self) -> impl Iterator<Item = &RowLineage> {
        self.rows.iter().filter_map(|r| match r {
            RowVerdict::Admitted(l) => Some(l),
            RowVerdict::Excluded(_) | RowVerdict::Quarantined(_) => None,
        })
    }
}

/// Admission could not decide a batch.
#[derive(Debug, thiserror::Error)]
pub enum AdmissionError {
    /// The purpose is not one the governance policy knows.
    #[error("purpose {purpose} is not declared by the governance policy")]
    Purpose {
        /// The purpose asked for.
        purpose: String,
        /// The policy's error.
        #[source]
        source: scrim_store::Error,
    },
    /// Reading consent failed.
    #[error(transparent)]
    Admit(#[from] AdmitError),
    /// Recording the admitted subjects' lineage ids failed.
    #[error("recording the admitted subjects in the store")]
    Remember(#[source] scrim_store::Error),
}

/// Admission against the store for jobs that write their own output: the store, the
/// governance policy, and the store's lineage key (read once, with the master keyring).
pub struct StoreAdmission {
    store: BlockingStore,
    gov: Governance,
    lineage: Lineage,
}

impl std::fmt::Debug for StoreAdmission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreAdmission")
            .field("store", &self.store.store().describe())
            .finish_non_exhaustive()
    }
}

impl StoreAdmission {
    /// Admission on `store` by `gov`, with the lineage key the keyring opens (made on first
    /// use, as a store-backed `scrim redact` makes it).
    pub fn new(
        store: BlockingStore,
        gov: Governance,
        ring: &Keyring,
    ) -> Result<StoreAdmission, scrim_store::Error> {
        let lineage = store.run(store.store().lineage(ring))?;
        Ok(StoreAdmission {
            store,
            gov,
            lineage,
        })
    }

    /// The store.
    pub fn store(&self) -> &BlockingStore {
        &self.store
    }

    /// The governance policy.
    pub fn governance(&self) -> &Governance {
        &self.gov
    }

    /// The store's lineage ids.
    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// Decide a batch of records (JSON text, one per element, as `scrim redact` reads lines)
    /// for `purpose`: one consent query for the whole batch, then one statement recording the
    /// admitted subjects' lineage ids. `rows[i]` of the report is the verdict on `records[i]`.
    pub fn admit_records(
        &self,
        purpose: &str,
        records: &[String],
    ) -> Result<AdmissionReport, AdmissionError> {
        self.gov
            .check_purpose(purpose)
            .map_err(|source| AdmissionError::Purpose {
                purpose: purpose.to_string(),
                source,
            })?;
        let parsed: Vec<Result<Record, BadRecord>> = records
            .iter()
            .map(|l| Record::parse(l).map_err(|e| BadRecord::new(e.code(), e.to_string())))
            .collect();
        let ok: Vec<&Record> = parsed.iter().filter_map(|p| p.as_ref().ok()).collect();
        let verdicts = self.store.run(admit::by_consent(
            self.store.store(),
            &self.gov,
            purpose,
            &ok,
        ))?;
        let mut verdicts = verdicts.into_iter();
        let mut report = AdmissionReport::default();
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (p, line) in parsed.iter().zip(records) {
            let verdict = match p {
                Err(bad) => RowVerdict::Quarantined(bad.clone()),
                Ok(rec) => match verdicts.next() {
                    Some(Verdict::Admit) => {
                        let lineage = self.row_lineage(rec, line);
                        if let (Ok(Some(s)), Some(lid)) = (subject_of(rec), &lineage.subject) {
                            pairs.push((s.to_string(), lid.clone()));
                        }
                        RowVerdict::Admitted(lineage)
                    }
                    Some(Verdict::Exclude(x)) => RowVerdict::Excluded(x),
                    Some(Verdict::Quarantine(bad)) => RowVerdict::Quarantined(bad),
                    None => RowVerdict::Quarantined(BadRecord::new(
                        "internal",
                        "no admission decision for this record",
                    )),
                },
            };
            match &verdict {
                RowVerdict::Admitted(_) => report.admitted += 1,
                RowVerdict::Excluded(x) => *report.excluded.entry(x.code()).or_default() += 1,
                RowVerdict::Quarantined(b) => *report.quarantined.entry(b.code).or_default() += 1,
            }
            report.rows.push(verdict);
        }
        self.store
            .run(self.store.store().remember_subjects(&pairs))
            .map_err(AdmissionError::Remember)?;
        Ok(report)
    }

    /// An admitted record's lineage ids (`line`: its JSON text, the record key when it has no
    /// `id`).
    fn row_lineage(&self, rec: &Record, line: &str) -> RowLineage {
        let id = rec.id();
        RowLineage {
            record: self.lineage.record(id.as_deref().unwrap_or(line)),
            subject: subject_of(rec)
                .ok()
                .flatten()
                .map(|s| self.lineage.subject(s)),
        }
    }
}
