//! The entity labels Scrim detects: the shared taxonomy of the evaluation corpora.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of personal data a span holds.
///
/// The names match the shared evaluation taxonomy (`PERSON`, `EMAIL`, ...). Finer kinds, such as a
/// US SSN or an Indian PAN under [`Label::Id`], are carried separately as a
/// [`Finding::kind`](crate::Finding::kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    /// A person's name, nickname or initials.
    Person,
    /// An email address, also obfuscated ("jdoe at gmail dot com").
    Email,
    /// A telephone number.
    Phone,
    /// A street address.
    Address,
    /// A city, neighborhood, region, country or other place.
    Location,
    /// An organization: employer, school, company.
    Org,
    /// A personal date (birthday, appointment).
    Date,
    /// An identifying number or code (SSN, Aadhaar, PAN, passport, ...).
    Id,
    /// A payment card number (Luhn-valid).
    CreditCard,
    /// An international bank account number (mod-97 valid).
    Iban,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A personal URL or profile link.
    Url,
    /// A social handle or username.
    Username,
    /// A person's age.
    Age,
    /// A credential: an API key or token, a password, a private key, a connection string's
    /// password.
    Secret,
    /// Anything else the corpora label (creative works, products); never produced by detectors.
    Other,
}

impl Label {
    /// Every label, in a fixed order.
    pub const ALL: [Label; 16] = [
        Label::Person,
        Label::Email,
        Label::Phone,
        Label::Address,
        Label::Location,
        Label::Org,
        Label::Date,
        Label::Id,
        Label::CreditCard,
        Label::Iban,
        Label::Ip,
        Label::Url,
        Label::Username,
        Label::Age,
        Label::Secret,
        Label::Other,
    ];

    /// The label's name as written in files and policies (`"CREDIT_CARD"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Email => "EMAIL",
            Label::Phone => "PHONE",
            Label::Address => "ADDRESS",
            Label::Location => "LOCATION",
            Label::Org => "ORG",
            Label::Date => "DATE",
            Label::Id => "ID",
            Label::CreditCard => "CREDIT_CARD",
            Label::Iban => "IBAN",
            Label::Ip => "IP",
            Label::Url => "URL",
            Label::Username => "USERNAME",
            Label::Age => "AGE",
            Label::Secret => "SECRET",
            Label::Other => "OTHER",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a label name that is not in the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown label {name:?} (expected one of PERSON, EMAIL, PHONE, ADDRESS, LOCATION, ORG, DATE, ID, CREDIT_CARD, IBAN, IP, URL, USERNAME, AGE, SECRET, OTHER)")]
pub struct UnknownLabel {
    name: String,
}

impl UnknownLabel {
    /// The name that was not recognised (a label name from configuration, never personal data).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl FromStr for Label {
    type Err = UnknownLabel;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let up = s.trim().to_ascii_uppercase();
        Label::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == up)
            .ok_or(UnknownLabel {
                name: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_names() {
        for l in Label::ALL {
            assert_eq!(l.as_str().parse::<Label>(), Ok(l));
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.as_str()));
        }
        assert_eq!("credit_card".parse::<Label>(), Ok(Label::CreditCard));
        assert_eq!("secret".parse::<Label>(), Ok(Label::Secret));
        assert!("NAME".parse::<Label>().is_err());
    }
}
