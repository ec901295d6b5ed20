//! Which records may be used for which purpose: the source rules and consent modes of the
//! governance policy (`policies/governance.toml`), and the admission decision for one record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use scrim_core::KeyScope;

/// The built-in purposes.
pub const BUILTIN_PURPOSES: [&str; 4] = ["training", "human_review", "personalization", "ads"];

/// The purpose name that stands for every purpose in consent records (an opt-out of everything).
pub const ALL_PURPOSES: &str = "*";

/// The text of the default governance policy.
pub const DEFAULT_GOVERNANCE: &str = include_str!("../../../policies/governance.toml");

/// How a source's purposes need consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMode {
    /// Used unless the subject said no.
    OptOut,
    /// Used only after the subject said yes to this purpose.
    OptIn,
}

/// The rules of one source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRule {
    /// Purposes this source may serve at all.
    pub purposes: Vec<String>,
    /// What consent those purposes need.
    pub consent: ConsentMode,
}

/// What to do with records that lack a field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRules {
    /// `exclude` or `admit` records without a subject.
    #[serde(default = "exclude")]
    pub missing_subject: String,
    /// `exclude`, or the source to assume for records without one.
    #[serde(default = "exclude")]
    pub missing_source: String,
}

fn exclude() -> String {
    "exclude".to_string()
}

impl Default for RecordRules {
    fn default() -> Self {
        RecordRules {
            missing_subject: exclude(),
            missing_source: exclude(),
        }
    }
}

/// Declared purposes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purposes {
    /// Purposes a deployment adds to the built-in ones.
    #[serde(default)]
    pub declared: Vec<String>,
}

/// Scope of keyed pseudonyms in store-backed runs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PseudonymRules {
    /// Purposes that may use one pseudonym scope per subject (others: per conversation).
    #[serde(default)]
    pub subject_scope_purposes: Vec<String>,
}

/// The governance policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    /// Format version (1).
    pub version: u32,
    /// Declared purposes.
    #[serde(default)]
    pub purposes: Purposes,
    /// Records lacking a subject or source.
    #[serde(default)]
    pub records: RecordRules,
    /// Rules per source.
    #[serde(default)]
    pub sources: BTreeMap<String, SourceRule>,
    /// Pseudonym scope.
    #[serde(default)]
    pub pseudonyms: PseudonymRules,
}

/// Why a record is kept out of a purpose.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exclusion {
    /// The record names no subject and the policy excludes such records.
    NoSubject,
    /// The record names no source and the policy excludes such records.
    NoSource,
    /// The source is not in the policy.
    UnknownSource,
    /// The source may not serve this purpose (a private message, for instance).
    SourceForbids,
    /// The purpose needs an opt-in the subject has not given.
    NoOptIn,
    /// The subject opted out of this purpose or of everything.
    OptedOut,
}

impl Exclusion {
    /// A stable code for summaries (never content).
    pub fn code(&self) -> &'static str {
        match self {
            Exclusion::NoSubject => "no_subject",
            Exclusion::NoSource => "no_source",
            Exclusion::UnknownSource => "unknown_source",
            Exclusion::SourceForbids => "source_forbids_purpose",
            Exclusion::NoOptIn => "no_opt_in",
            Exclusion::OptedOut => "opted_out",
        }
    }
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A subject's latest recorded decision for a purpose (or for every purpose). Stored, and
/// serialized, as [`Decision::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Yes.
    Grant,
    /// No.
    Deny,
}

impl Decision {
    /// `grant` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Grant => "grant",
            Decision::Deny => "deny",
        }
    }

    /// A decision as stored in `consent_events.decision` (exactly `grant` or `deny`, unlike
    /// [`str::parse`], which also takes the spoken forms). Anything else is a corrupt row: the
    /// error names the column, never the value.
    pub fn from_stored(s: &str) -> Result<Decision> {
        match s {
            "grant" => Ok(Decision::Grant),
            "deny" => Ok(Decision::Deny),
            _ => Err(Error::Corrupt(
                "consent_events.decision holds a value that is neither grant nor deny".to_string(),
            )),
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Decision {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "grant" | "yes" | "allow" => Ok(Decision::Grant),
            "deny" | "no" | "revoke" => Ok(Decision::Deny),
            other => Err(Error::invalid(format!(
                "consent decision must be grant or deny, not {other:?}"
            ))),
        }
    }
}

impl Governance {
    /// The built-in default policy.
    pub fn default_policy() -> Result<Governance> {
        Governance::from_toml(DEFAULT_GOVERNANCE)
    }

    /// Parse and check a policy.
    pub fn from_toml(text: &str) -> Result<Governance> {
        // Where, never what: the file may be something else passed by mistake (a data file),
        // and the parser's message quotes the text it stopped at.
        let g: Governance = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start).min(text.len());
            let before = text.get(..at).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Error::invalid(format!(
                "governance policy: not valid governance TOML at line {line}, column {column}"
            ))
        })?;
        if g.version != 1 {
            return Err(Error::invalid(format!(
                "governance policy version {} is not supported (1 is)",
                g.version
            )));
        }
        for p in &g.purposes.declared {
            if !valid_purpose_name(p) {
                return Err(Error::invalid(format!(
                    "declared purpose {p:?}: use lowercase letters, digits and _"
                )));
            }
        }
        for (name, rule) in &g.sources {
            for p in &rule.purposes {
                if !g.is_purpose(p) {
                    return Err(Error::invalid(format!(
                        "source {name}: purpose {p:?} is neither built in nor declared"
                    )));
                }
            }
        }
        if g.records.missing_subject != "exclude" && g.records.missing_subject != "admit" {
            return Err(Error::invalid(
                "records.missing_subject must be \"exclude\" or \"admit\"".to_string(),
            ));
        }
        let ms = &g.records.missing_source;
        if ms != "exclude" && !g.sources.contains_key(ms) {
            return Err(Error::invalid(format!(
                "records.missing_source must be \"exclude\" or a source of this policy, not {ms:?}"
            )));
        }
        Ok(g)
    }

    /// Whether `p` is a built-in or declared purpose.
    pub fn is_purpose(&self, p: &str) -> bool {
        BUILTIN_PURPOSES.contains(&p) || self.purposes.declared.iter().any(|d| d == p)
    }

    /// Check a purpose named by a user.
    pub fn check_purpose(&self, p: &str) -> Result<()> {
        if self.is_purpose(p) {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "unknown purpose {p:?}: the policy knows {}",
                self.purpose_names().join(", ")
            )))
        }
    }

    /// Every purpose, built-in first.
    pub fn purpose_names(&self) -> Vec<String> {
        BUILTIN_PURPOSES
            .iter()
            .map(|s| (*s).to_string())
            .chain(self.purposes.declared.iter().cloned())
            .collect()
    }

    /// The key scope for a purpose in a store-backed run: per conversation, or per subject for
    /// the purposes the policy names.
    pub fn key_scope(&self, purpose: &str) -> KeyScope {
        if self
            .pseudonyms
            .subject_scope_purposes
            .iter()
            .any(|p| p == purpose)
        {
            KeyScope::Subject
        } else {
            KeyScope::Conversation
        }
    }

    /// The rule for a record's source, or why there is none.
    fn rule(&self, source: Option<&str>) -> std::result::Result<&SourceRule, Exclusion> {
        let name = match source {
            Some(s) => s,
            None if self.records.missing_source == "exclude" => return Err(Exclusion::NoSource),
            None => self.records.missing_source.as_str(),
        };
        self.sources.get(name).ok_or(Exclusion::UnknownSource)
    }

    /// Whether the source rules alone could ever admit a record (any purpose, best consent):
    /// what a run without a store applies, so that a private message never leaves.
    pub fn source_admits_any(&self, source: Option<&str>) -> std::result::Result<(), Exclusion> {
        let rule = self.rule(source)?;
        if rule.purposes.is_empty() {
            return Err(Exclusion::SourceForbids);
        }
        Ok(())
    }

    /// Decide one record for `purpose`, given what the subject said (see [`Consent`]).
    ///
    /// An opt-out source admits unless the later of the two decisions is a no. An opt-in source
    /// needs a yes to this very purpose, later than any no to everything: a yes to "everything"
    /// names no purpose, so it opens no opt-in source.
    pub fn admit(
        &self,
        purpose: &str,
        subject: Option<&str>,
        source: Option<&str>,
        consent: Consent,
    ) -> std::result::Result<(), Exclusion> {
        let rule = self.rule(source)?;
        if !rule.purposes.iter().any(|p| p == purpose) {
            return Err(Exclusion::SourceForbids);
        }
        if subject.is_none() {
            return if self.records.missing_subject == "admit" && rule.consent == ConsentMode::OptOut
            {
                Ok(())
            } else {
                Err(Exclusion::NoSubject)
            };
        }
        match rule.consent {
            ConsentMode::OptOut => match consent.effective() {
                Some(Decision::Deny) => Err(Exclusion::OptedOut),
                _ => Ok(()),
            },
            ConsentMode::OptIn => match (consent.purpose, consent.all) {
                (_, Some((all_seq, Decision::Deny)))
                    if consent.purpose.is_none_or(|(s, _)| s < all_seq) =>
                {
                    Err(Exclusion::OptedOut)
                }
                (Some((_, Decision::Deny)), _) => Err(Exclusion::OptedOut),
                (Some((_, Decision::Grant)), _) => Ok(()),
                (None, _) => Err(Exclusion::NoOptIn),
            },
        }
    }
}

/// What a subject said that bears on one purpose: their latest decision for that purpose and
/// their latest for every purpose (`*`), each with its sequence number (later wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consent {
    /// The latest decision for this very purpose.
    pub purpose: Option<(i64, Decision)>,
    /// The latest decision for every purpose.
    pub all: Option<(i64, Decision)>,
}

impl Consent {
    /// The later of the two decisions (`None` when the subject never said anything).
    pub fn effective(&self) -> Option<Decision> {
        match (self.purpose, self.all) {
            (Some((a, da)), Some((b, db))) => Some(if a >= b { da } else { db }),
            (Some((_, d)), None) | (None, Some((_, d))) => Some(d),
            (None, None) => None,
        }
    }

    /// Whether these decisions take the purpose back from data already admitted for it (the
    /// review gateway's tasks): the later of the two decisions is a no, or the latest decision
    /// for this very purpose is a no (a later yes to "everything" does not undo a no to one
    /// purpose here: without the record's source the stricter reading holds).
    pub fn withdrawn(&self) -> bool {
        self.effective() == Some(Decision::Deny)
            || matches!(self.purpose, Some((_, Decision::Deny)))
    }
}

/// Whether a purpose name is well formed.
pub fn valid_purpose_name(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 64
        && p.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Governance {
        Governance::default_policy().unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn stored_decisions_are_exact_and_an_unknown_one_is_corrupt() {
        assert_eq!(Decision::from_stored("grant").ok(), Some(Decision::Grant));
        assert_eq!(Decision::from_stored("deny").ok(), Some(Decision::Deny));
        for bad in ["yes", "revoke", "Deny", "secret-value"] {
            match Decision::from_stored(bad) {
                Err(Error::Corrupt(m)) => {
                    assert!(m.contains("consent_events.decision"), "{m}");
                    assert!(!m.contains(bad), "{m}");
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(Decision::Deny.to_string(), "deny");
        assert_eq!(
            serde_json::to_string(&Decision::Grant).ok().as_deref(),
            Some("\"grant\"")
        );
    }

    #[test]
    fn default_policy_rules() {
        let g = g();
        let s = Some("user-1");
        let none = Consent::default();
        let yes = Consent {
            purpose: Some((1, Decision::Grant)),
            all: None,
        };
        let no = Consent {
            purpose: Some((1, Decision::Deny)),
            all: None,
        };
        assert_eq!(g.admit("training", s, Some("ai_chat"), none), Ok(()));
        assert_eq!(
            g.admit("training", s, Some("ai_chat"), no),
            Err(Exclusion::OptedOut)
        );
        // Private messages: never, whatever the consent says.
        assert_eq!(
            g.admit("training", s, Some("dm"), yes),
            Err(Exclusion::SourceForbids)
        );
        assert_eq!(
            g.source_admits_any(Some("dm")),
            Err(Exclusion::SourceForbids)
        );
        assert_eq!(g.source_admits_any(Some("dm_shared_with_ai")), Ok(()));
        // Telemetry needs an explicit yes to this purpose.
        let tel = Some("employee_telemetry");
        assert_eq!(g.admit("training", s, tel, none), Err(Exclusion::NoOptIn));
        assert_eq!(g.admit("training", s, tel, yes), Ok(()));
        // A yes to everything names no purpose: it opens no opt-in source.
        let all_yes = Consent {
            purpose: None,
            all: Some((1, Decision::Grant)),
        };
        assert_eq!(
            g.admit("training", s, tel, all_yes),
            Err(Exclusion::NoOptIn)
        );
        assert_eq!(g.admit("training", s, Some("ai_chat"), all_yes), Ok(()));
        // A later no to everything closes it again; a later yes to the purpose reopens it.
        let later_no = Consent {
            purpose: Some((1, Decision::Grant)),
            all: Some((2, Decision::Deny)),
        };
        assert_eq!(
            g.admit("training", s, tel, later_no),
            Err(Exclusion::OptedOut)
        );
        assert_eq!(
            g.admit("training", s, Some("ai_chat"), later_no),
            Err(Exclusion::OptedOut)
        );
        let reopened = Consent {
            purpose: Some((3, Decision::Grant)),
            all: Some((2, Decision::Deny)),
        };
        assert_eq!(g.admit("training", s, tel, reopened), Ok(()));
        assert_eq!(reopened.effective(), Some(Decision::Grant));
        // Ads: no source allows it.
        assert_eq!(
            g.admit("ads", s, Some("ai_chat"), yes),
            Err(Exclusion::SourceForbids)
        );
        assert_eq!(
            g.admit("training", None, Some("ai_chat"), none),
            Err(Exclusion::NoSubject)
        );
        assert_eq!(g.admit("training", s, None, none), Err(Exclusion::NoSource));
        assert_eq!(
            g.admit("training", s, Some("carrier_pigeon"), none),
            Err(Exclusion::UnknownSource)
        );
        assert_eq!(g.key_scope("training"), KeyScope::Conversation);
    }

    #[test]
    fn bad_policies_are_named() {
        let e = Governance::from_toml(
            "version = 1\n[sources.x]\npurposes = [\"astrology\"]\nconsent = \"opt_in\"\n",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("astrology") && e.contains("source x"), "{e}");
        let e = Governance::from_toml("version = 1\n[purposes]\ndeclared = [\"Bad Name\"]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("Bad Name"), "{e}");
    }

    #[test]
    fn declared_purposes_and_missing_fields() {
        let g = Governance::from_toml(
            "version = 1\n[purposes]\ndeclared = [\"safety_eval\"]\n[records]\nmissing_subject = \"admit\"\nmissing_source = \"chat\"\n[sources.chat]\npurposes = [\"safety_eval\"]\nconsent = \"opt_out\"\n",
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(g.check_purpose("safety_eval").is_ok());
        assert!(g.check_purpose("training").is_ok());
        assert!(g.check_purpose("astrology").is_err());
        assert_eq!(
            g.admit("safety_eval", None, None, Consent::default()),
            Ok(())
        );
    }
}
