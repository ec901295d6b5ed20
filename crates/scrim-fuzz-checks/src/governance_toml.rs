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
    for p in &purposes {
        assert!(valid_purpose_name(p), "purpose names are valid");
        assert!(g.is_purpose(p));
        assert!(g.check_purpose(p).is_ok());
        let _ = g.key_scope(p);
    }
    assert!(!g.is_purpose(ALL_PURPOSES), "`*` is no purpose of its own");
    let mut sources: Vec<Option<&str>> = g.sources.keys().map(|s| Some(s.as_str())).collect();
    sources.push(None);
    sources.push(Some("no such source"));
    let decisions = [None, Some(Decision::Grant), Some(Decision::Deny)];
    for source in &sources {
        let _ = g.source_admits_any(*source);
        for p in &purposes {
            for subject in [None, Some("s1")] {
                for purpose_said in decisions {
                    for all_said in decisions {
                        for order in [(1, 2), (2, 1)] {
                            let consent = Consent {
                                purpose: purpose_said.map(|d| (order.0, d)),
                                all: all_said.map(|d| (order.1, d)),
                            };
                            let decision = g.admit(p, subject, *source, consent);
                            if decision.is_ok() {
                                assert!(
                                    g.source_admits_any(*source).is_ok(),
                                    "admitted where the source admits nothing"
                                );
                                let name = source.unwrap_or(&g.records.missing_source);
                                assert!(
                                    g.sources.get(name).is_some_and(|r| r.purposes.contains(p)),
                                    "admitted for a purpose its source does not list"
                                );
                            }
                            if let Err(x) = &decision {
                                assert!(!x.code().is_empty());
                            }
                            if consent.effective() == Some(Decision::Deny)
                                && subject.is_some()
                                && decision.is_ok()
                            {
                                panic!("a subject whose latest word is no was admitted");
                            }
                        }
                    }
                }
            }
        }
    }
    let _ = Exclusion::NoSubject.code();
}
