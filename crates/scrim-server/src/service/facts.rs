//! Profile facts: the quasi-identifying facts of a record's profile (for k-anonymity), direct
//! identifiers left out, free-form values screened by detection.

use serde_json::{json, Value};

use scrim_core::profile::{classify, ProfileKey, Quasi};

use super::Gateway;
use crate::db;
use crate::error::Result;
use crate::kanon;

/// The quasi-identifying facts of a record's profile (for k-anonymity), direct identifiers
/// left out.
pub(crate) fn facts_from_profile(profile: Option<&serde_json::Map<String, Value>>) -> kanon::Facts {
    let mut f = kanon::Facts::default();
    let Some(profile) = profile else {
        return f;
    };
    let text = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Array(a) => {
                let parts: Vec<String> = a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect();
                (!parts.is_empty()).then(|| parts.join(", "))
            }
            _ => None,
        }
    };
    for (k, v) in profile {
        // Direct identifiers are never facts, whatever a project declares (the redactor
        // replaces them in the record itself): one vocabulary, scrim_core::profile.
        let key = scrim_core::profile::normalize(k);
        match classify(&key) {
            ProfileKey::Identifier(_) => continue,
            ProfileKey::Quasi(Quasi::City) => f.city = text(v),
            ProfileKey::Quasi(Quasi::Region) => f.region = text(v),
            ProfileKey::Quasi(Quasi::Country) => f.country = text(v),
            ProfileKey::Quasi(Quasi::Age) => {
                f.age = v
                    .as_u64()
                    .map(|n| n as u32)
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            }
            ProfileKey::Quasi(Quasi::Gender) => f.gender = text(v),
            ProfileKey::Other(_) | ProfileKey::FreeForm => {
                if let Some(t) = text(v) {
                    f.other.insert(key, t);
                }
            }
        }
    }
    f
}

impl Gateway {
    /// Withhold every free-form fact (gender and the facts outside the place hierarchy) in which
    /// detection finds anything: such a value is never shown, however many subjects share it.
    pub(crate) fn screen_facts(&self, f: &mut kanon::Facts) {
        let engine = self.redact_withhold.engine();
        // A failed detection withholds the value too (fail closed).
        let clean = |v: &str| engine.detect_text(v).is_ok_and(|found| found.is_empty());
        if f.gender.as_deref().is_some_and(|g| !clean(g)) {
            f.gender = None;
        }
        f.other.retain(|_, v| clean(v));
    }
}

pub(crate) fn facts_to_json(f: &kanon::Facts) -> String {
    json!({"city": f.city, "region": f.region, "country": f.country, "age": f.age,
           "gender": f.gender, "other": f.other})
    .to_string()
}

pub(crate) fn facts_from_json(s: &str, task: &str) -> Result<kanon::Facts> {
    db::json(s, "tasks", task, "facts")
}
