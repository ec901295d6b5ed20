//! Admission: which parsed records may go on, by the governance policy's source rules and the
//! consent each subject gave for the purpose (one store query for a whole batch).
//!
//! The decision itself is [`verdict`], a pure function of the record and what its subject said;
//! [`by_consent`] reads consent for a batch (async, as the gateway runs) and
//! [`ConsentAdmission`] does the same for the synchronous driver.

use std::collections::HashMap;

use scrim_core::Record;
use scrim_store::{Consent, Exclusion, Governance, Store};

use crate::store::BlockingStore;

/// A record that cannot go on and is kept in quarantine: a stable code and a reason that names
/// what and where, never content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    /// A stable code (`invalid_json`, `bad_subject`, `detection_failed`, …).
    pub code: &'static str,
    /// Why, for people.
    pub reason: String,
}

impl BadRecord {
    /// A bad record with this code and reason.
    pub fn new(code: &'static str, reason: impl Into<String>) -> BadRecord {
        BadRecord {
            code,
            reason: reason.into(),
        }
    }
}

/// What admission decided for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Process it.
    Admit,
    /// Leave it out of this output (consent or source rules).
    Exclude(Exclusion),
    /// It is malformed for governance (a bad subject): quarantine it.
    Quarantine(BadRecord),
}

/// Admission could not decide.
#[derive(Debug, thiserror::Error)]
pub enum AdmitError {
    /// Reading consent from the store failed.
    #[error("reading consent for {purpose}")]
    Consent {
        /// The purpose asked about.
        purpose: String,
        /// The store's error.
        #[source]
        source: scrim_store::Error,
    },
    /// Another admission's failure.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

/// Decides a batch of parsed records: `out[i]` is the verdict on `records[i]`.
pub trait Admit {
    /// The verdicts on `records`, in order.
    fn admit(&self, records: &[&Record]) -> Result<Vec<Verdict>, AdmitError>;
}

/// Admits everything (detection, where no purpose applies).
#[derive(Debug, Clone, Copy, Default)]
pub struct AdmitAll;

impl Admit for AdmitAll {
    fn admit(&self, records: &[&Record]) -> Result<Vec<Verdict>, AdmitError> {
        Ok(vec![Verdict::Admit; records.len()])
    }
}

/// Admission without a store: only the source rules that no consent could change (a private
/// message that was not shared with the AI never leaves). Records of unknown or no source pass.
#[derive(Debug, Clone, Copy)]
pub struct SourceRules<'a>(pub &'a Governance);

impl Admit for SourceRules<'_> {
    fn admit(&self, records: &[&Record]) -> Result<Vec<Verdict>, AdmitError> {
        Ok(records
            .iter()
            .map(|r| match r.str_field("source") {
                Some(src) if self.0.sources.contains_key(src) => {
                    match self.0.source_admits_any(Some(src)) {
                        Ok(()) => Verdict::Admit,
                        Err(e) => Verdict::Exclude(e),
                    }
                }
                _ => Verdict::Admit,
            })
            .collect())
    }
}

/// A record's subject: `Ok(None)` without one, a [`BadRecord`] when the field is malformed.
pub fn subject_of(record: &Record) -> Result<Option<&str>, BadRecord> {
    scrim_store::subject_field(record.field("subject"))
        .map_err(|e| BadRecord::new("bad_subject", e.to_string()))
}

/// The verdict on one record for `purpose`, given what each subject said (`consents`, as
/// [`Store::decisions`] returns them; a subject absent from it said nothing).
pub fn verdict(
    gov: &Governance,
    purpose: &str,
    record: &Record,
    consents: &HashMap<String, Consent>,
) -> Verdict {
    let subject = match subject_of(record) {
        Ok(s) => s,
        Err(bad) => return Verdict::Quarantine(bad),
    };
    let consent = subject
        .and_then(|s| consents.get(s).copied())
        .unwrap_or_default();
    match gov.admit(purpose, subject, record.str_field("source"), consent) {
        Ok(()) => Verdict::Admit,
        Err(e) => Verdict::Exclude(e),
    }
}

/// The verdicts on a batch of records for `purpose`: one consent query for all their subjects.
/// The gateway calls it with one record (`&[&record]`) from its async handlers.
pub async fn by_consent(
    store: &Store,
    gov: &Governance,
    purpose: &str,
    records: &[&Record],
) -> Result<Vec<Verdict>, AdmitError> {
    let subjects: Vec<&str> = records
        .iter()
        .filter_map(|r| subject_of(r).ok().flatten())
        .collect();
    let consents = store
        .decisions(&subjects, purpose)
        .await
        .map_err(|source| AdmitError::Consent {
            purpose: purpose.to_string(),
            source,
        })?;
    Ok(records
        .iter()
        .map(|r| verdict(gov, purpose, r, &consents))
        .collect())
}

/// The verdict on one record ([`by_consent`] for a batch of one), for a caller that admits
/// records as they arrive, such as the gateway's ingest. Fails closed: a missing verdict
/// quarantines.
pub async fn one_by_consent(
    store: &Store,
    gov: &Governance,
    purpose: &str,
    record: &Record,
) -> Result<Verdict, AdmitError> {
    let verdicts = by_consent(store, gov, purpose, &[record]).await?;
    Ok(verdicts.into_iter().next().unwrap_or_else(|| {
        Verdict::Quarantine(BadRecord::new(
            "internal",
            "no admission decision for this record",
        ))
    }))
}

/// Admission by consent for the synchronous driver: [`by_consent`] on a [`BlockingStore`].
#[derive(Debug, Clone, Copy)]
pub struct ConsentAdmission<'a> {
    /// The store holding consent.
    pub store: &'a BlockingStore,
    /// Source rules and consent modes.
    pub gov: &'a Governance,
    /// The purpose the output serves.
    pub purpose: &'a str,
}

impl Admit for ConsentAdmission<'_> {
    fn admit(&self, records: &[&Record]) -> Result<Vec<Verdict>, AdmitError> {
        self.store.run(by_consent(
            self.store.store(),
            self.gov,
            self.purpose,
            records,
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test or fuzz check fails by panicking"
    )]

    use super::*;

    fn rec(line: &str) -> Record {
        Record::parse(line).unwrap()
    }

    #[test]
    fn source_rules_exclude_what_no_consent_could_open() {
        let gov = Governance::default_policy().unwrap();
        let a = rec(r#"{"source":"dm","text":"x"}"#);
        let b = rec(r#"{"source":"ai_chat","text":"x"}"#);
        let c = rec(r#"{"text":"x"}"#);
        let v = SourceRules(&gov).admit(&[&a, &b, &c]).unwrap();
        assert_eq!(
            v,
            vec![
                Verdict::Exclude(Exclusion::SourceForbids),
                Verdict::Admit,
                Verdict::Admit
            ]
        );
    }

    #[test]
    fn one_record_decided_purely() {
        let gov = Governance::default_policy().unwrap();
        let mut said = HashMap::new();
        let deny = Consent {
            all: Some((1, scrim_store::Decision::Deny)),
            ..Consent::default()
        };
        said.insert("s1".to_string(), deny);
        let r = rec(r#"{"subject":"s1","source":"ai_chat","text":"x"}"#);
        assert_eq!(
            verdict(&gov, "training", &r, &said),
            Verdict::Exclude(Exclusion::OptedOut)
        );
        let r = rec(r#"{"subject":"s2","source":"ai_chat","text":"x"}"#);
        assert_eq!(verdict(&gov, "training", &r, &said), Verdict::Admit);
        let r = rec(r#"{"subject":7,"source":"ai_chat","text":"x"}"#);
        assert!(matches!(
            verdict(&gov, "training", &r, &said),
            Verdict::Quarantine(BadRecord {
                code: "bad_subject",
                ..
            })
        ));
    }
}
