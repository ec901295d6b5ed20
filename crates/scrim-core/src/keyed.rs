//! Values named by their key in structured data: in a pasted JSON record, YAML, a key-value
//! block, a CSV or a table, the key says what the value is (`"first_name": "Amara"`,
//! `DOB: 03/04/1990`, a `passport` column). The keys are read with the one profile vocabulary
//! ([`crate::profile::classify`]), so a key the redactor treats as identifying in a profile is
//! identifying in a paste too.
//!
//! Only what patterns cannot find is taken this way (names, addresses, birth dates, ids,
//! usernames, places, ages); emails, phones, URLs and IPs are left to their validators. Values
//! must look like what the key promises, and placeholders (`null`, `<name>`, `your name`) are
//! never personal. The bare key `name` is everywhere in configs (`"name": "my-app"`), so its value
//! counts only when it is written like a person's name ("Amara Okafor"). Contact cards (vCard)
//! name their values by property (`FN`, `N`, `BDAY`, `ADR`; `keyed/vcard.rs`).

mod records;
mod vcard;

use crate::label::Label;
use crate::profile::{classify, normalize, ProfileKey, Quasi};
use crate::rule::Rule;
use crate::segment::{keyed_values, RegionKind, Segments};
use crate::span::{Finding, Span};

/// The score of a value named by its key.
pub const KEYED_VALUE: f32 = 0.8;

/// The longest value taken (bytes): a key-value cell, not a paragraph.
const MAX_VALUE_BYTES: usize = 80;

/// Values that stand for no one.
const PLACEHOLDERS: &[&str] = &[
    "",
    "-",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "tbd",
    "unknown",
    "string",
    "example",
    "test",
    "sample",
    "name",
    "john doe",
    "jane doe",
    "first last",
];

/// Append the findings of the values that the keys of `text`'s data regions name, and of the
/// properties of the contact cards (vCard) in it, wherever they stand; then the dates in the
/// records (table rows, CSV lines, SQL tuples) that name a person found so far.
pub fn find(text: &str, segments: &Segments, out: &mut Vec<Finding>) {
    if text.contains(":VCARD") || text.contains(":vcard") {
        vcard::find(text, out);
    }
    for region in segments.regions() {
        if region.kind != RegionKind::Data {
            continue;
        }
        for kv in keyed_values(text, region) {
            let (Some(key), Some(value)) = (text.get(kv.key.clone()), text.get(kv.value.clone()))
            else {
                continue;
            };
            let Some(label) = label_of(key) else { continue };
            if plausible(label, bare_name(key), value.trim()) {
                let (s, e) = trimmed(text, kv.value.start, kv.value.end);
                if let Some(span) = Span::new(text, s, e) {
                    out.push(Finding::new(span, label, KEYED_VALUE, Rule::Keyed));
                }
            }
        }
    }
    records::find(text, segments, out);
}

/// The label a key's values get, when patterns would not find them.
fn label_of(key: &str) -> Option<Label> {
    let key = key.trim().trim_matches(['"', '\'', '*', ':']);
    match classify(key) {
        ProfileKey::Identifier(l)
            if !matches!(l, Label::Email | Label::Phone | Label::Url | Label::Ip) =>
        {
            Some(l)
        }
        ProfileKey::Quasi(Quasi::City | Quasi::Region | Quasi::Country) => Some(Label::Location),
        ProfileKey::Quasi(Quasi::Age) => Some(Label::Age),
        ProfileKey::Other(Label::Location) => Some(Label::Location),
        _ => None,
    }
}

/// Whether the key is the bare `name`, which configs use for everything.
fn bare_name(key: &str) -> bool {
    normalize(key.trim().trim_matches(['"', '\'', '*', ':'])) == "name"
}

/// Whether `value` looks like what a key of `label` promises.
fn plausible(label: Label, bare: bool, value: &str) -> bool {
    if value.len() > MAX_VALUE_BYTES || placeholder(value) {
        return false;
    }
    match label {
        Label::Person => person_like(value, bare),
        Label::Date | Label::Id => value.bytes().any(|b| b.is_ascii_digit()),
        Label::Age => value.len() <= 3 && value.bytes().all(|b| b.is_ascii_digit()),
        Label::Username => !value.contains(char::is_whitespace),
        _ => value.chars().any(char::is_alphabetic),
    }
}

/// A placeholder or template value.
fn placeholder(value: &str) -> bool {
    let lower = value.to_lowercase();
    PLACEHOLDERS.contains(&lower.as_str())
        || lower.starts_with("your ")
        || lower.starts_with("your_")
        || value.starts_with(['<', '[', '{', '$', '%'])
        || value.chars().all(|c| c == 'x' || c == 'X' || c == '*')
}

/// One to five words of letters (apostrophes, hyphens and dots inside), and for the bare `name`
/// key every word capitalised: "Amara Okafor", "O'Neil", not "my-app" or "web".
fn person_like(value: &str, bare: bool) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let lettered = words.iter().all(|w| {
        w.chars().any(char::is_alphabetic)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
    });
    let capitalised = words
        .iter()
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    lettered && (!bare || (capitalised && !value.contains('-')))
}

/// `[s, e)` without surrounding spaces and quotes.
fn trimmed(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    while s < e && matches!(bytes.get(s), Some(b' ' | b'\t' | b'"' | b'\'')) {
        s += 1;
    }
    while e > s && matches!(bytes.get(e - 1), Some(b' ' | b'\t' | b'"' | b'\'' | b',')) {
        e -= 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;
    use crate::segment::segment;

    fn keyed(text: &str) -> Vec<(Label, &str)> {
        let mut out = Vec::new();
        find(text, &segment(text), &mut out);
        out.iter()
            .map(|f| (f.label, f.span.slice(text).unwrap()))
            .collect()
    }

    #[test]
    fn keys_name_their_values() {
        let json = "Here is the record:\n{\n  \"first_name\": \"Amara\",\n  \"last_name\": \"Okafor\",\n  \"dob\": \"1991-04-12\",\n  \"passport\": \"X1234567\",\n  \"city\": \"Lagos\"\n}\n";
        assert_eq!(
            keyed(json),
            vec![
                (Label::Person, "Amara"),
                (Label::Person, "Okafor"),
                (Label::Date, "1991-04-12"),
                (Label::Id, "X1234567"),
                (Label::Location, "Lagos"),
            ]
        );
    }

    #[test]
    fn configs_and_placeholders_are_not_people() {
        let pkg = "{\n  \"name\": \"my-app\",\n  \"version\": \"1.0.0\",\n  \"author\": \"\"\n}\n";
        assert!(keyed(pkg).is_empty());
        let yaml = "name: web\nimage: nginx:latest\nusername: <your username>\n";
        assert!(keyed(yaml).is_empty(), "{:?}", keyed(yaml));
        let person = "name: Amara Okafor\nage: 34\n";
        assert_eq!(
            keyed(person),
            vec![(Label::Person, "Amara Okafor"), (Label::Age, "34")]
        );
    }
}
