//! Contact cards (vCard, RFC 6350) pasted into a message: between `BEGIN:VCARD` and `END:VCARD`
//! each line is a property, `[group.]NAME[;params]:value`, and the property says what the value
//! is. `FN` and `NICKNAME` are a person, each part of `N` (`Family;Given;Middle;Prefix;Suffix`)
//! too; `BDAY`, `ANNIVERSARY` and Apple's `X-ABDATE` are dates; `ADR` is an address (its parts
//! from the street on); `URL` and `X-SOCIALPROFILE` are links, with or without a scheme. Phones
//! and emails are left to their validators, which read them wherever they are.

use crate::label::Label;
use crate::rule::Rule;
use crate::span::{Finding, Span};

use super::{placeholder, KEYED_VALUE};

/// Append the findings of the contact cards in `text`.
pub(super) fn find(text: &str, out: &mut Vec<Finding>) {
    let mut from = 0;
    while let Some(rel) = find_ci(text.get(from..).unwrap_or(""), "begin:vcard") {
        let start = from + rel;
        let body = text.get(start..).unwrap_or("");
        let end = find_ci(body, "end:vcard").map_or(text.len(), |e| start + e);
        card(text, start, end, out);
        from = end.max(start + 1);
        if from >= text.len() {
            break;
        }
    }
}

/// The findings of the card in `text[start..end]`, one property per line.
fn card(text: &str, start: usize, end: usize, out: &mut Vec<Finding>) {
    let mut at = start;
    for line in text.get(start..end).unwrap_or("").split_inclusive('\n') {
        let line_start = at;
        at += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let Some(colon) = line.find(':') else {
            continue;
        };
        let head = line.get(..colon).unwrap_or("");
        let name = head.split(';').next().unwrap_or("");
        let name = name.rsplit('.').next().unwrap_or("").to_ascii_uppercase();
        let vs = line_start + colon + 1;
        let ve = line_start + line.len();
        match name.as_str() {
            "FN" | "NICKNAME" => push_value(text, vs, ve, Label::Person, out),
            "N" => {
                // Each non-empty component of Family;Given;Middle;Prefix;Suffix but the last two.
                let mut s = vs;
                for (k, part) in text.get(vs..ve).unwrap_or("").split(';').enumerate() {
                    if k < 3 {
                        push_value(text, s, s + part.len(), Label::Person, out);
                    }
                    s += part.len() + 1;
                }
            }
            "BDAY" | "ANNIVERSARY" | "X-ABDATE" => push_value(text, vs, ve, Label::Date, out),
            "URL" | "X-SOCIALPROFILE" => push_value(text, vs, ve, Label::Url, out),
            "ADR" => {
                // PO box;extended;street;locality;region;code;country: from the first part on.
                let value = text.get(vs..ve).unwrap_or("");
                let lead = value.len() - value.trim_start_matches(';').len();
                push_value(text, vs + lead, ve, Label::Address, out);
            }
            _ => {}
        }
    }
}

/// Push `text[s..e]`, trimmed of spaces and separators, as `label` unless it is empty or a
/// placeholder.
fn push_value(text: &str, s: usize, e: usize, label: Label, out: &mut Vec<Finding>) {
    let Some(raw) = text.get(s..e) else { return };
    let lead = raw.len() - raw.trim_start_matches([' ', ';', ',']).len();
    let trail = raw.len() - raw.trim_end_matches([' ', ';', ',']).len();
    let (s, e) = (s + lead, e - trail);
    let value = text.get(s..e).unwrap_or("");
    let meaningful = value.chars().any(char::is_alphanumeric) && !placeholder(value);
    if meaningful {
        if let Some(span) = Span::new(text, s, e) {
            out.push(Finding::new(span, label, KEYED_VALUE, Rule::Keyed));
        }
    }
}

/// The byte offset of `needle` (lowercase ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn found(text: &str) -> Vec<(Label, &str)> {
        let mut out = Vec::new();
        find(text, &mut out);
        out.iter()
            .map(|f| (f.label, f.span.slice(text).unwrap()))
            .collect()
    }

    #[test]
    fn properties_of_a_card() {
        let t = "save this as x.vcf\nBEGIN:VCARD\nVERSION:3.0\nN:Larsen;Everett;;;\n\
                 FN:Everett Larsen\nitem1.NICKNAME:Evie\nORG:Nowhere LLC;\n\
                 ADR;type=HOME:;;12 Elm Row;Leith;;EH6 5AA;UK\nBDAY:1990-02-11\n\
                 item5.URL;type=pref:evlarsen.net\nEND:VCARD\nthanks";
        assert_eq!(
            found(t),
            vec![
                (Label::Person, "Larsen"),
                (Label::Person, "Everett"),
                (Label::Person, "Everett Larsen"),
                (Label::Person, "Evie"),
                (Label::Address, "12 Elm Row;Leith;;EH6 5AA;UK"),
                (Label::Date, "1990-02-11"),
                (Label::Url, "evlarsen.net"),
            ]
        );
    }

    #[test]
    fn text_without_a_card_and_odd_cards() {
        assert!(found("FN: not a card\nBDAY:1990-01-01").is_empty());
        assert!(found("BEGIN:VCARD\nFN:\nN:;;;;\n").is_empty());
        // An unterminated card runs to the end; emoji keep offsets on boundaries.
        assert_eq!(
            found("BEGIN:VCARD\r\nFN:Zoë 🙂 Ng\r\n"),
            vec![(Label::Person, "Zoë 🙂 Ng")]
        );
    }
}
