//! What each key of a record's `profile` means: one vocabulary for the redactor (which values
//! seed detection and are replaced) and the review gateway (which values may become k-anonymous
//! facts a reviewer sees, and which never can).
//!
//! Keys are compared after [`normalize`]: lower case, with `-` and spaces read as `_`, so
//! `Date-of-Birth`, `date of birth` and `date_of_birth` are one key.
//!
//! ```
//! use scrim_core::profile::{classify, ProfileKey, Quasi};
//! use scrim_core::Label;
//!
//! assert_eq!(classify("Passport"), ProfileKey::Identifier(Label::Id));
//! assert_eq!(classify("home-address"), ProfileKey::Identifier(Label::Address));
//! assert_eq!(classify("city"), ProfileKey::Quasi(Quasi::City));
//! assert_eq!(classify("city").label(), Some(Label::Location));
//! assert_eq!(classify("hobbies"), ProfileKey::FreeForm);
//! assert!(classify("twitter").is_identifier());
//! ```

use crate::Label;

/// A profile key as compared: lower case, `-` and spaces as `_`.
pub fn normalize(key: &str) -> String {
    key.to_ascii_lowercase().replace(['-', ' '], "_")
}

/// What a profile key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKey {
    /// A direct identifier (a name, a contact, a handle, an id number, a birth date, ...):
    /// replaced in records, and never shown to a reviewer as a fact, whatever a project declares.
    Identifier(Label),
    /// A quasi-identifier the gateway generalizes for k-anonymity; the redactor replaces places
    /// and ages in records and drops a gender (see [`ProfileKey::label`]).
    Quasi(Quasi),
    /// A quasi-identifier outside the hierarchy (an employer, a neighbourhood): the redactor
    /// replaces it as the label says; the gateway treats it as a free-form fact (shown only when
    /// a project lists it, when k subjects share it and detection finds nothing in it).
    Other(Label),
    /// Anything else (hobbies, a bio): dropped by the redactor when it replaces a profile; a
    /// free-form fact for the gateway, under the same conditions as [`ProfileKey::Other`].
    FreeForm,
}

/// The quasi-identifiers the gateway generalizes (city → region → country, age → bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quasi {
    /// A city or town.
    City,
    /// A region, state or province.
    Region,
    /// A country.
    Country,
    /// An age in years.
    Age,
    /// A gender or sex.
    Gender,
}

impl ProfileKey {
    /// Whether the key is a direct identifier.
    pub fn is_identifier(self) -> bool {
        matches!(self, ProfileKey::Identifier(_))
    }

    /// The label its values are replaced under in records, if the redactor replaces them
    /// (`None`: the value is dropped when a profile is replaced).
    pub fn label(self) -> Option<Label> {
        match self {
            ProfileKey::Identifier(l) | ProfileKey::Other(l) => Some(l),
            ProfileKey::Quasi(Quasi::City | Quasi::Region | Quasi::Country) => {
                Some(Label::Location)
            }
            ProfileKey::Quasi(Quasi::Age) => Some(Label::Age),
            ProfileKey::Quasi(Quasi::Gender) | ProfileKey::FreeForm => None,
        }
    }
}

/// Every key [`classify`] reads as a direct identifier, with its label (normalized spellings).
pub const IDENTIFIERS: &[(&str, Label)] = &[
    ("name", Label::Person),
    ("first_name", Label::Person),
    ("firstname", Label::Person),
    ("given_name", Label::Person),
    ("last_name", Label::Person),
    ("lastname", Label::Person),
    ("surname", Label::Person),
    ("family_name", Label::Person),
    ("full_name", Label::Person),
    ("fullname", Label::Person),
    ("nickname", Label::Person),
    ("display_name", Label::Person),
    ("middle_name", Label::Person),
    ("email", Label::Email),
    ("email_address", Label::Email),
    ("phone", Label::Phone),
    ("phone_number", Label::Phone),
    ("mobile", Label::Phone),
    ("telephone", Label::Phone),
    ("address", Label::Address),
    ("street_address", Label::Address),
    ("home_address", Label::Address),
    ("birthday", Label::Date),
    ("dob", Label::Date),
    ("date_of_birth", Label::Date),
    ("birth_date", Label::Date),
    ("birthdate", Label::Date),
    ("username", Label::Username),
    ("user_name", Label::Username),
    ("handle", Label::Username),
    ("instagram", Label::Username),
    ("twitter", Label::Username),
    ("snapchat", Label::Username),
    ("tiktok", Label::Username),
    ("ssn", Label::Id),
    ("national_id", Label::Id),
    ("passport", Label::Id),
    ("aadhaar", Label::Id),
    ("pan", Label::Id),
    ("id_number", Label::Id),
    ("website", Label::Url),
    ("url", Label::Url),
    ("homepage", Label::Url),
    ("ip", Label::Ip),
    ("ip_address", Label::Ip),
    // The same keys in other languages chats paste records in.
    ("nombre", Label::Person),
    ("apellido", Label::Person),
    ("apellidos", Label::Person),
    ("vorname", Label::Person),
    ("nachname", Label::Person),
    ("prenom", Label::Person),
    ("prénom", Label::Person),
    ("nom", Label::Person),
    ("nome", Label::Person),
    ("cognome", Label::Person),
    ("sobrenome", Label::Person),
    ("naam", Label::Person),
    ("direccion", Label::Address),
    ("dirección", Label::Address),
    ("adresse", Label::Address),
    ("indirizzo", Label::Address),
    ("endereco", Label::Address),
    ("endereço", Label::Address),
    ("fecha_de_nacimiento", Label::Date),
    ("geburtsdatum", Label::Date),
    ("date_de_naissance", Label::Date),
    ("data_di_nascita", Label::Date),
    ("data_de_nascimento", Label::Date),
    ("dni", Label::Id),
    ("nie", Label::Id),
    ("cpf", Label::Id),
    ("curp", Label::Id),
    ("nino", Label::Id),
];

/// What `key` holds (see [`ProfileKey`]). Keys that merely contain `email` or `phone`
/// (`work_email`, `phone2`) are identifiers too.
pub fn classify(key: &str) -> ProfileKey {
    let k = normalize(key);
    if let Some((_, label)) = IDENTIFIERS.iter().find(|(name, _)| *name == k) {
        return ProfileKey::Identifier(*label);
    }
    if k.contains("email") {
        return ProfileKey::Identifier(Label::Email);
    }
    if k.contains("phone") {
        return ProfileKey::Identifier(Label::Phone);
    }
    match k.as_str() {
        "city" | "town" | "hometown" => ProfileKey::Quasi(Quasi::City),
        "region" | "state" | "province" => ProfileKey::Quasi(Quasi::Region),
        "country" => ProfileKey::Quasi(Quasi::Country),
        "age" => ProfileKey::Quasi(Quasi::Age),
        "gender" | "sex" => ProfileKey::Quasi(Quasi::Gender),
        "neighborhood" | "neighbourhood" | "location" | "place" => {
            ProfileKey::Other(Label::Location)
        }
        "employer" | "company" | "workplace" | "school" | "university" | "college" | "org"
        | "organization" | "organisation" => ProfileKey::Other(Label::Org),
        _ => ProfileKey::FreeForm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_identifier_is_one_in_any_spelling() {
        for (key, label) in IDENTIFIERS {
            assert_eq!(classify(key), ProfileKey::Identifier(*label), "{key}");
            let shouted = key.to_ascii_uppercase().replace('_', "-");
            assert_eq!(
                classify(&shouted),
                ProfileKey::Identifier(*label),
                "{shouted}"
            );
            assert_eq!(
                classify(&key.replace('_', " ")).label(),
                Some(*label),
                "{key}"
            );
        }
    }

    #[test]
    fn contact_keys_by_their_part_and_facts_by_their_place() {
        assert_eq!(classify("work_email"), ProfileKey::Identifier(Label::Email));
        assert_eq!(classify("phone2"), ProfileKey::Identifier(Label::Phone));
        assert_eq!(classify("State"), ProfileKey::Quasi(Quasi::Region));
        assert_eq!(classify("sex"), ProfileKey::Quasi(Quasi::Gender));
        assert_eq!(classify("sex").label(), None);
        assert_eq!(classify("employer"), ProfileKey::Other(Label::Org));
        assert_eq!(classify("hobbies"), ProfileKey::FreeForm);
        assert!(!classify("bio").is_identifier());
    }
}
