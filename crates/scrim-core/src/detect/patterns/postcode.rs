//! ADDRESS: postcodes that stand on their own: full UK and Canadian postcodes, Dutch and Polish
//! postcodes with their town ("1012 AB Amsterdam", "00-950 Warszawa"), and four- or five-digit
//! postcodes with a town after an address cue ("wohne in 10115 Berlin", "address: 75001 Paris").
//!
//! Street addresses that end in a postcode are found by the address anchors; a postcode found
//! here inside one of them is dropped as contained.

use regex::Regex;

use super::score::address::{CUED_POSTCODE_TOWN, POSTCODE_TOWN, UK_CA_POSTCODE};
use super::util::{self, GateBuilder, Win};
use super::{words, Family};
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Address;

/// Phrases right before a "postcode town" that make it an address.
const CUES: &[&str] = &[
    "address",
    "adresse",
    "anschrift",
    "dirección",
    "direccion",
    "indirizzo",
    "adres",
    "adres:",
    "wohne in",
    "wohnhaft in",
    "lives in",
    "live in",
    "living in",
    "moved to",
    "ship to",
    "send it to",
    "deliver to",
    "j'habite à",
    "j'habite a",
    "vivo en",
    "abito a",
    "woon in",
    "mieszkam w",
];

/// Capitalized words after a number that are units or currencies, not towns.
const NOT_TOWNS: &[&str] = &[
    "euro", "euros", "eur", "dollar", "dollars", "usd", "pln", "zloty", "złoty", "points", "steps",
    "items", "users", "people", "pieces", "pcs", "stück", "units", "km", "miles",
];

/// Standalone postcode detection.
pub(crate) struct Postcode {
    uk_ca: (Regex, usize),
    nl_pl: (Regex, usize),
    digits_town: (Regex, usize),
}

/// A capitalized town name of one or two words (group `town`).
const TOWN: &str = r"(?P<town>\p{Lu}[\p{L}'\-]+(?:\x20\p{Lu}[\p{L}'\-]+)?)";

impl Postcode {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Postcode> {
        let uk = r"(?:[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?\x20[0-9][ABD-HJLNP-UW-Z]{2})";
        let ca = r"(?:[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z]\x20[0-9][ABCEGHJ-NPRSTV-Z][0-9])";
        Ok(Postcode {
            uk_ca: g.regex("address.uk_ca", &format!(r"(?-u:\b)(?:{uk}|{ca})(?-u:\b)"))?,
            nl_pl: g.regex(
                "address.nl_pl",
                &format!(r"(?-u:\b)(?P<code>[1-9][0-9]{{3}}\x20?[A-Z]{{2}}|[0-9]{{2}}-[0-9]{{3}})\x20{TOWN}"),
            )?,
            digits_town: g.regex(
                "address.postcode_town",
                &format!(r"(?-u:\b)(?P<code>[0-9]{{4,5}})\x20{TOWN}"),
            )?,
        })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows {
            if w.hit(self.uk_ca.1) {
                util::each_captures(&self.uk_ca.0, text, w.s, w.e, |c| {
                    if let Some(m) = c.get(0) {
                        util::push(out, text, (m.start(), m.end()), FAM, None, UK_CA_POSTCODE);
                    }
                });
            }
            for (re, cued) in [(&self.nl_pl, false), (&self.digits_town, true)] {
                if !w.hit(re.1) {
                    continue;
                }
                util::each_captures(&re.0, text, w.s, w.e, |c| {
                    let (Some(code), Some(town)) = (c.name("code"), c.name("town")) else {
                        return;
                    };
                    town_at(text, (code.start(), town.end()), town.as_str(), cued, out);
                });
            }
        }
    }
}

/// Judge "postcode town" at `span`; `cued` forms need an address cue before them.
fn town_at(text: &str, (s, e): (usize, usize), town: &str, cued: bool, out: &mut Vec<Finding>) {
    // Glued to a price, decimal or longer number on the left.
    if matches!(
        util::char_before(text, s),
        Some('.' | ',' | '$' | '€' | '£' | '-' | '/' | '+')
    ) {
        return;
    }
    let first = town.split(' ').next().unwrap_or(town);
    let unit = NOT_TOWNS.contains(&first.to_lowercase().as_str());
    if unit || words::is_stopword(first) || words::month_number(first).is_some() {
        return;
    }
    // A sentence goes on after a town only with punctuation or a line end.
    if util::alnum_after(text, e) {
        return;
    }
    let score = if cued {
        if !util::has_cue(&util::lower_before(text, s, 32), CUES) {
            return;
        }
        CUED_POSTCODE_TOWN
    } else {
        POSTCODE_TOWN
    };
    util::push(out, text, (s, e), FAM, None, score);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts};

    fn found(t: &str) -> Vec<&str> {
        texts(t, &find_with(t, Postcode::new, Postcode::find))
    }

    #[test]
    fn postcodes() {
        assert_eq!(found("London SW1A 1AA"), vec!["SW1A 1AA"]);
        assert_eq!(found("Ottawa ON K1A 0B1 🙂"), vec!["K1A 0B1"]);
        assert_eq!(found("1012 AB Amsterdam"), vec!["1012 AB Amsterdam"]);
        assert_eq!(found("😀 00-950 Warszawa, Polska"), vec!["00-950 Warszawa"]);
        assert_eq!(found("ich wohne in 10115 Berlin."), vec!["10115 Berlin"]);
        assert_eq!(found("adresse : 75001 Paris"), vec!["75001 Paris"]);
        assert_eq!(found("vivo en 28013 Madrid"), vec!["28013 Madrid"]);
    }

    #[test]
    fn not_postcodes() {
        for t in [
            "10115 Berlin",
            "I walked 10000 Steps today",
            "lives in 2024 March",
            "SW1A1AA",
            "version 1.2.3.4",
            "it cost 12-345 Euro",
            "address 12345 The",
            "1234 AB",
        ] {
            assert!(found(t).is_empty(), "{t:?} -> {:?}", found(t));
        }
    }
}
