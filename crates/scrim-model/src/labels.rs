//! Model label names to Scrim labels.

use std::path::Path;

use scrim_core::Label;

use crate::{ClassInfo, Error, Result};

/// The Scrim label (and finer kind, for IDs) of a model entity name without its `B-`/`I-`
/// prefix, or `None` for a name Scrim does not know. Knows Scrim's own names and Rampart's.
pub fn map_label(name: &str) -> Option<(Label, Option<&'static str>)> {
    let upper = name.trim().to_ascii_uppercase();
    Some(match upper.as_str() {
        "PERSON" | "PER" | "GIVEN_NAME" | "SURNAME" | "FIRST_NAME" | "LAST_NAME" | "NAME" => {
            (Label::Person, None)
        }
        "LOCATION" | "LOC" | "GPE" | "CITY" | "STATE" | "COUNTRY" => (Label::Location, None),
        "ADDRESS" | "STREET_NAME" | "BUILDING_NUMBER" | "SECONDARY_ADDRESS" | "ZIP_CODE" => {
            (Label::Address, None)
        }
        "ORG" | "ORGANIZATION" => (Label::Org, None),
        "DATE" => (Label::Date, None),
        "AGE" => (Label::Age, None),
        "USERNAME" => (Label::Username, None),
        "EMAIL" => (Label::Email, None),
        "PHONE" => (Label::Phone, None),
        "URL" => (Label::Url, None),
        "IP" => (Label::Ip, None),
        "IBAN" => (Label::Iban, None),
        "CREDIT_CARD" => (Label::CreditCard, None),
        "SECRET" | "PASSWORD" | "API_KEY" => (Label::Secret, None),
        "ID" => (Label::Id, None),
        "TAX_ID" => (Label::Id, Some("TAX_ID")),
        "BANK_ACCOUNT" => (Label::Id, Some("BANK_ACCOUNT")),
        "ROUTING_NUMBER" => (Label::Id, Some("ROUTING_NUMBER")),
        "GOVERNMENT_ID" => (Label::Id, Some("GOVERNMENT_ID")),
        "PASSPORT" => (Label::Id, Some("PASSPORT")),
        "DRIVERS_LICENSE" => (Label::Id, Some("DRIVERS_LICENSE")),
        _ => return None,
    })
}

/// Whether the model reads a capitalisation flag in `token_type_ids` (`"scrim_case_feature":
/// true` in `config.json`).
pub(crate) fn case_feature(config: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(config)
        .ok()
        .and_then(|v| {
            v.get("scrim_case_feature")
                .and_then(serde_json::Value::as_bool)
        })
        .unwrap_or(false)
}

/// The classes of a Hugging Face `config.json`, in output order.
pub(crate) fn classes_from_config(config: &str, path: &Path) -> Result<Vec<ClassInfo>> {
    let bad = |reason: String| Error::Config {
        path: path.to_path_buf(),
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_str(config).map_err(|e| bad(format!("not JSON: {e}")))?;
    let id2label = value
        .get("id2label")
        .and_then(|v| v.as_object())
        .ok_or_else(|| bad("no id2label object".into()))?;
    let n = id2label.len();
    let mut classes = vec![ClassInfo { label: None }; n];
    let mut seen = vec![false; n];
    for (k, v) in id2label {
        let id: usize = k
            .parse()
            .map_err(|_| bad(format!("id2label key {k:?} is not a number")))?;
        let name = v
            .as_str()
            .ok_or_else(|| bad(format!("id2label[{id}] is not a string")))?;
        let (Some(slot), Some(s)) = (classes.get_mut(id), seen.get_mut(id)) else {
            return Err(bad(format!("id2label ids are not 0..{n}")));
        };
        *s = true;
        if name == "O" {
            continue;
        }
        let entity = name
            .strip_prefix("B-")
            .or_else(|| name.strip_prefix("I-"))
            .ok_or_else(|| bad(format!("label {name:?} is neither O nor B-/I-")))?;
        let label =
            map_label(entity).ok_or_else(|| bad(format!("label {name:?} has no Scrim label")))?;
        slot.label = Some(label);
    }
    if seen.iter().any(|s| !s) {
        return Err(bad(format!("id2label ids are not 0..{n}")));
    }
    Ok(classes)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        reason = "a test or fuzz check fails by panicking"
    )]
    use super::*;

    #[test]
    fn rampart_and_scrim_names_map() {
        let cfg = r#"{"id2label": {"0": "O", "1": "B-GIVEN_NAME", "2": "I-SURNAME",
            "3": "B-CITY", "4": "B-PASSPORT", "5": "I-PERSON"}}"#;
        let c = classes_from_config(cfg, Path::new("config.json")).unwrap();
        assert!(c[0].label.is_none());
        assert_eq!(c[1].label, Some((Label::Person, None)));
        assert_eq!(c[2].label, Some((Label::Person, None)));
        assert_eq!(c[3].label, Some((Label::Location, None)));
        assert_eq!(c[4].label, Some((Label::Id, Some("PASSPORT"))));
        assert_eq!(c[5].label, Some((Label::Person, None)));
    }

    #[test]
    fn unknown_or_gappy_labels_are_errors() {
        for cfg in [
            r#"{"id2label": {"0": "O", "1": "B-FOO"}}"#,
            r#"{"id2label": {"0": "O", "2": "B-PERSON"}}"#,
            r#"{"id2label": {"0": "X-PERSON"}}"#,
            r#"{"labels": []}"#,
        ] {
            assert!(
                classes_from_config(cfg, Path::new("c.json")).is_err(),
                "{cfg}"
            );
        }
    }
}
