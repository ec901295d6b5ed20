//! IBAN: country code, two check digits and the BBAN, compact or in groups of four, with the
//! country's registered length and a mod-97 remainder of 1.

use regex::Regex;

use super::score::iban::VALID_IBAN;
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Iban;

/// IBAN lengths by country (SWIFT IBAN registry), sorted by country code.
const LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// IBAN detection.
pub(crate) struct Iban {
    cand: Regex,
    gate: usize,
}

impl Iban {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Iban> {
        let (cand, gate) = g.regex(
                "iban",
                r"(?i-u)\b[a-z]{2}[0-9]{2}(?:[a-z0-9]{11,30}|(?:[ \-][a-z0-9]{4}){2,7}(?:[ \-][a-z0-9]{1,4})?|[a-z0-9]{4}(?:[ \-][a-z0-9]{4}){1,7}(?:[ \-][a-z0-9]{1,4})?)",
            )?;
        Ok(Iban { cand, gate })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows.iter().filter(|w| w.hit(self.gate)) {
            util::each_captures(&self.cand, text, w.s, w.e, |c| {
                let Some(m) = c.get(0) else { return };
                if let Some(e) = judge(text, m.start(), m.end()) {
                    util::push(out, text, (m.start(), e), FAM, None, VALID_IBAN);
                }
            });
        }
    }
}

/// The registered IBAN length for a country code.
fn length_for(cc: &str) -> Option<usize> {
    LENGTHS
        .binary_search_by(|(c, _)| (*c).cmp(cc))
        .ok()
        .and_then(|i| LENGTHS.get(i))
        .map(|(_, n)| *n)
}

/// Validate a candidate; on success the end offset (cut to the country's length).
fn judge(text: &str, s: usize, e: usize) -> Option<usize> {
    let cand = util::slice(text, s, e);
    let cc = cand.get(..2)?.to_ascii_uppercase();
    // Country letters in one case.
    let raw_cc = cand.get(..2)?;
    if raw_cc != cc && raw_cc != cc.to_ascii_lowercase() {
        return None;
    }
    let len = length_for(&cc)?;
    // Walk to the len-th alphanumeric character.
    let mut count = 0;
    let mut end = None;
    for (i, ch) in cand.char_indices() {
        if ch.is_ascii_alphanumeric() {
            count += 1;
            if count == len {
                end = Some(i + 1);
                break;
            }
        }
    }
    let end = end?;
    // The cut must fall at a group end, not inside a group.
    if util::alnum_after(text, s + end) {
        return None;
    }
    let compact: String = util::slice(cand, 0, end)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // BBAN letters are uppercase in print; a lowercase candidate must be lowercase throughout.
    mod97(&compact).filter(|r| *r == 1).map(|_| s + end)
}

/// The IBAN remainder: rotate the first four characters to the end, letters as 10–35, mod 97.
fn mod97(iban: &str) -> Option<u32> {
    let (head, tail) = (iban.get(..4)?, iban.get(4..)?);
    let mut r: u32 = 0;
    for ch in tail.chars().chain(head.chars()) {
        let v = ch.to_digit(36)?;
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts};

    fn ibans(t: &str) -> Vec<&str> {
        texts(t, &find_with(t, Iban::new, Iban::find))
    }

    #[test]
    fn table_sorted() {
        assert!(LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn finds_ibans() {
        assert_eq!(
            ibans("IBAN GB82 WEST 1234 5698 7654 32 please"),
            vec!["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            ibans("GB82WEST12345698765432."),
            vec!["GB82WEST12345698765432"]
        );
        assert_eq!(
            ibans("DE89 3704 0044 0532 0130 00"),
            vec!["DE89 3704 0044 0532 0130 00"]
        );
        assert_eq!(
            ibans("DE89370400440532013000 from"),
            vec!["DE89370400440532013000"]
        );
        assert_eq!(
            ibans("FR14 2004 1010 0505 0001 3M02 606"),
            vec!["FR14 2004 1010 0505 0001 3M02 606"]
        );
        assert_eq!(ibans("NO9386011117947"), vec!["NO9386011117947"]);
        assert_eq!(
            ibans("GB82 WEST 1234 5698 7654 32 from me"),
            vec!["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            ibans("खाता GB82WEST12345698765432 है"),
            vec!["GB82WEST12345698765432"]
        );
    }

    /// The examples of the SWIFT IBAN registry and of Wikipedia's "International Bank Account
    /// Number" article: each has a mod-97 remainder of 1, and one changed digit breaks it.
    #[test]
    fn mod97_published_vectors() {
        for iban in [
            "GB82WEST12345698765432",
            "GB29NWBK60161331926819",
            "DE89370400440532013000",
            "FR1420041010050500013M02606",
            "NL91ABNA0417164300",
            "BE68539007547034",
            "CH9300762011623852957",
            "AT611904300234573201",
            "ES9121000418450200051332",
            "IT60X0542811101000000123456",
            "MT84MALT011000012345MTLCAST001S",
            "SA0380000000608010167519",
            "NO9386011117947",
        ] {
            assert_eq!(mod97(iban), Some(1), "{iban}");
            assert_eq!(ibans(iban), vec![iban], "{iban}");
        }
        assert_ne!(mod97("GB82WEST12345698765433"), Some(1));
        assert_ne!(mod97("GB28NWBK60161331926819"), Some(1));
    }

    #[test]
    fn rejects_bad_ibans() {
        assert!(ibans("GB82 WEST 1234 5698 7654 33").is_empty(), "checksum");
        assert!(ibans("GB82WEST1234569876543").is_empty(), "length");
        assert!(ibans("ZZ82WEST12345698765432").is_empty(), "country");
        assert!(
            ibans("GB82WEST123456987654321").is_empty(),
            "too long, no group end"
        );
    }
}
