//! Scrim's labels under Presidio's entity names, and back.
//!
//! Presidio names what it finds `PERSON`, `EMAIL_ADDRESS`, `PHONE_NUMBER`, ...; Scrim's labels
//! map onto those names where Presidio has one, a finer identifier kind onto Presidio's
//! country-specific name (`SSN` → `US_SSN`), and what Presidio has no name for keeps a
//! documented name of Scrim's own (`AGE`, `USERNAME`, `SECRET`, `ID`). The table is in the
//! README ("Scrim as a Presidio drop-in").

use scrim_core::Label;

/// Finer identifier kinds with a Presidio name (Scrim's kind, Presidio's entity).
const ID_KINDS: &[(&str, &str)] = &[
    ("SSN", "US_SSN"),
    ("AADHAAR", "IN_AADHAAR"),
    ("PAN", "IN_PAN"),
    ("NINO", "UK_NINO"),
    ("SIN", "CA_SIN"),
    ("NRIC", "SG_NRIC_FIN"),
    ("DNI", "ES_NIF"),
    ("NIE", "ES_NIE"),
    ("CODICE_FISCALE", "IT_FISCAL_CODE"),
    ("PESEL", "PL_PESEL"),
    ("ABN", "AU_ABN"),
    ("TFN", "AU_TFN"),
    ("MAC", "MAC_ADDRESS"),
    // Presidio names these two by country only; Scrim's are any country's.
    ("DRIVERS_LICENSE", "US_DRIVER_LICENSE"),
    ("PASSPORT", "US_PASSPORT"),
];

/// The entity Scrim reports a finding of `label` (and finer `kind`) as.
pub fn entity_of(label: Label, kind: Option<&str>) -> &'static str {
    match label {
        Label::Person => "PERSON",
        Label::Email => "EMAIL_ADDRESS",
        Label::Phone => "PHONE_NUMBER",
        // Presidio reports street addresses as LOCATION (spaCy's FAC, GPE and LOC): a client
        // that masks LOCATION masks addresses too.
        Label::Address | Label::Location => "LOCATION",
        Label::Org => "ORGANIZATION",
        Label::Date => "DATE_TIME",
        Label::CreditCard => "CREDIT_CARD",
        Label::Iban => "IBAN_CODE",
        Label::Ip => "IP_ADDRESS",
        Label::Url => "URL",
        Label::Username => "USERNAME",
        Label::Age => "AGE",
        Label::Secret => "SECRET",
        Label::Id => kind
            .and_then(|k| ID_KINDS.iter().find(|(s, _)| *s == k))
            .map_or("ID", |(_, p)| p),
        Label::Other => "OTHER",
    }
}

/// The context words of an entity, after those of Presidio's predefined recognizer for it (its
/// single words): a word of the five before a result, or of the request's `context`, that
/// contains one raises the result's score, as Presidio does. Entities Presidio finds by its language model
/// (`PERSON`, `LOCATION`, `ORGANIZATION`) and Scrim's own have none.
pub fn context_words(entity: &str) -> &'static [&'static str] {
    match entity {
        "PHONE_NUMBER" => &[
            "phone",
            "number",
            "telephone",
            "cell",
            "cellphone",
            "mobile",
            "call",
        ],
        "EMAIL_ADDRESS" => &["email"],
        "CREDIT_CARD" => &[
            "credit",
            "card",
            "visa",
            "mastercard",
            "amex",
            "discover",
            "jcb",
            "diners",
            "maestro",
            "instapayment",
        ],
        "US_SSN" => &["social", "security", "ssn", "ssns", "ssn#", "ss#", "ssid"],
        "IBAN_CODE" => &["iban", "bank", "transaction"],
        "IP_ADDRESS" => &["ip", "ipv4", "ipv6"],
        "URL" => &["url", "website", "link"],
        "DATE_TIME" => &["date", "birthday"],
        "US_DRIVER_LICENSE" => &[
            "driver",
            "license",
            "permit",
            "lic",
            "identification",
            "dls",
            "cdls",
            "lic#",
            "driving",
        ],
        // Presidio's list also has "us", which as a substring would match "just" or "use".
        "US_PASSPORT" => &["passport", "passport#", "travel", "document"],
        "UK_NINO" => &["nino", "insurance"],
        "IN_PAN" => &["pan"],
        "IN_AADHAAR" => &["aadhaar", "uidai"],
        "ES_NIF" => &["nif", "dni"],
        "ES_NIE" => &["nie"],
        "IT_FISCAL_CODE" => &["codice", "fiscale"],
        "PL_PESEL" => &["pesel"],
        "AU_ABN" => &["abn"],
        "AU_TFN" => &["tfn"],
        "SG_NRIC_FIN" => &["nric", "fin"],
        "MAC_ADDRESS" => &["mac"],
        _ => &[],
    }
}

/// Every entity Scrim's own detectors report, in a fixed order (`GET /supportedentities`).
pub const SUPPORTED: &[&str] = &[
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "LOCATION",
    "ORGANIZATION",
    "DATE_TIME",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "URL",
    "US_SSN",
    "IN_AADHAAR",
    "IN_PAN",
    "UK_NINO",
    "CA_SIN",
    "SG_NRIC_FIN",
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "PL_PESEL",
    "AU_ABN",
    "AU_TFN",
    "MAC_ADDRESS",
    "US_DRIVER_LICENSE",
    "US_PASSPORT",
    "ID",
    "AGE",
    "USERNAME",
    "SECRET",
];

/// Scrim's recognizers as `GET /recognizers` names them: one per kind of rule (the rule's own
/// id is the `pattern_name` of a finding's `analysis_explanation`).
pub const RECOGNIZERS: &[&str] = &[
    "ScrimNameRecognizer",
    "ScrimPatternRecognizer",
    "ScrimKeyedValueRecognizer",
    "ScrimConsistencyRecognizer",
];

/// The learned tier's recognizer, listed when the engine has it.
pub const MODEL_RECOGNIZER: &str = "ScrimModelRecognizer";

/// The recognizer a finding of `rule` is reported under.
pub fn recognizer_of(rule: scrim_core::Rule) -> &'static str {
    use scrim_core::Rule;
    match rule {
        Rule::Name(_) => "ScrimNameRecognizer",
        Rule::Model => MODEL_RECOGNIZER,
        Rule::Consistency => "ScrimConsistencyRecognizer",
        Rule::Keyed => "ScrimKeyedValueRecognizer",
        Rule::Pattern(_) | Rule::Other(_) => "ScrimPatternRecognizer",
    }
}

/// The Scrim label a Presidio entity name stands for (for the pseudonym operator), if any.
pub fn label_of(entity: &str) -> Option<Label> {
    Some(match entity {
        "PERSON" => Label::Person,
        "EMAIL_ADDRESS" => Label::Email,
        "PHONE_NUMBER" => Label::Phone,
        "LOCATION" => Label::Location,
        "ORGANIZATION" => Label::Org,
        "DATE_TIME" => Label::Date,
        "CREDIT_CARD" => Label::CreditCard,
        "IBAN_CODE" => Label::Iban,
        "IP_ADDRESS" => Label::Ip,
        "URL" => Label::Url,
        "USERNAME" => Label::Username,
        "AGE" => Label::Age,
        "SECRET" => Label::Secret,
        other if other == "ID" || ID_KINDS.iter().any(|(_, p)| *p == other) => Label::Id,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_maps_to_a_supported_entity_and_back() {
        for l in Label::ALL {
            if l == Label::Other {
                continue;
            }
            let e = entity_of(l, None);
            assert!(SUPPORTED.contains(&e), "{e}");
            let back = label_of(e).unwrap();
            // Addresses come back as places: Presidio has one name for both.
            assert!(back == l || (l == Label::Address && back == Label::Location));
        }
        for (kind, e) in ID_KINDS {
            assert_eq!(entity_of(Label::Id, Some(kind)), *e);
            assert!(SUPPORTED.contains(e));
            assert_eq!(label_of(e), Some(Label::Id));
        }
        assert_eq!(entity_of(Label::Id, Some("ORDER_NUMBER")), "ID");
    }
}
