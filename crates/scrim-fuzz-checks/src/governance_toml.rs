//! The governance policy (TOML, `scrim_store::Governance`).
//!
//! Invariants: parsing never panics; an accepted policy knows every purpose it names (the
//! built-in ones and the declared ones, all valid names), every source rule names known
//! purposes, and deciding any record for any purpose and consent never panics, and never
//! admits a record for a purpose its source does not list; an error quotes no input line.

use scrim_store::governance::{valid_purpose_name, ALL_PURPOSES};
use scrim_store::{Consent, Decision, Exclusion, Governance};

/// Parse `data` as a governance policy and check the invariants.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let g = match Governance::from_toml(text) {
        Ok(g) => g,
        Err(e) => {
            let message_of = |t: &str| Governance::from_toml(t).err().map(|e| e.to_string());
            assert!(
                !crate::quotes_an_input_line(text, message_of),
                "a governance error quotes its input: {e}"
            );
            return;
        }
    };
    assert_eq!(g.version, 1);
    let purposes = g.purpose_names();
    check_purposes(&g, &purposes);
    let mut sources: Vec<Option<&str>> = g.sources.keys().map(|s| Some(s.as_str())).collect();
    sources.push(None);
    sources.push(Some("no such source"));
    let consents = consents();
    for source in sources {
        let _ = g.source_admits_any(source);
        for p in &purposes {
            for subject in [None, Some("s1")] {
                for &consent in &consents {
                    check_admit(&g, p, subject, source, consent);
                }
            }
        }
    }
    let _ = Exclusion::NoSubject.code();
}

/// Every purpose the policy names is valid and known, and `*` is none.
fn check_purposes(g: &Governance, purposes: &[String]) {
    for p in purposes {
        assert!(valid_purpose_name(p), "purpose names are valid");
        assert!(g.is_purpose(p));
        assert!(g.check_purpose(p).is_ok());
        let _ = g.key_scope(p);
    }
    assert!(!g.is_purpose(ALL_PURPOSES), "`*` is no purpose of its own");
}

/// Every consent: no word, yes or no for the purpose and for all purposes, either said last.
fn consents() -> Vec<Consent> {
    let decisions = [None, Some(Decision::Grant), Some(Decision::Deny)];
    let mut out = Vec::new();
    for purpose_said in decisions {
        for all_said in decisions {
            for order in [(1, 2), (2, 1)] {
                out.push(Consent {
                    purpose: purpose_said.map(|d| (order.0, d)),
                    all: all_said.map(|d| (order.1, d)),
                });
            }
        }
    }
    out
}

/// Deciding a record never admits it where its source admits nothing or does not list the
/// purpose, nor when its subject's latest word is no; a refusal has a code.
fn check_admit(
    g: &Governance,
    p: &str,
    subject: Option<&str>,
    source: Option<&str>,
    consent: Consent,
) {
    let decision = g.admit(p, subject, source, consent);
    if decision.is_ok() {
        assert!(
            g.source_admits_any(source).is_ok(),
            "admitted where the source admits nothing"
        );
        let name = source.unwrap_or(&g.records.missing_source);
        assert!(
            g.sources
                .get(name)
                .is_some_and(|r| r.purposes.iter().any(|q| q == p)),
            "admitted for a purpose its source does not list"
        );
    }
    if let Err(x) = &decision {
        assert!(!x.code().is_empty());
    }
    if consent.effective() == Some(Decision::Deny) && subject.is_some() && decision.is_ok() {
        panic!("a subject whose latest word is no was admitted");
    }
}
