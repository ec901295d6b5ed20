//! CREDIT_CARD: 13–19 digits, optionally in groups joined by spaces or dashes, with a known
//! issuer prefix (IIN) and a valid Luhn checksum.

use regex::Regex;

use super::score::card::{BARE_CARD, CUED_CARD, GROUPED_CARD};
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::CreditCard;

/// Words that announce a card number.
const CUES: &[&str] = &[
    "card",
    "credit",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "cc",
    "rupay",
    "cvv",
    "expiry",
];

/// Card number detection.
pub(crate) struct Card {
    cand: Regex,
    gate: usize,
}

impl Card {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Card> {
        let (cand, gate) = g.regex(
            "credit_card",
            r"(?-u:\b)[0-9](?:[ \-]?[0-9]){11,18}(?-u:\b)",
        )?;
        Ok(Card { cand, gate })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows.iter().filter(|w| w.hit(self.gate)) {
            util::each_captures(&self.cand, text, w.s, w.e, |c| {
                let Some(m) = c.get(0) else { return };
                if let Some((e, score)) = judge(text, m.start(), m.end()) {
                    util::push(out, text, (m.start(), e), FAM, None, score);
                }
            });
        }
    }
}

/// Judge a candidate; on success the (possibly shortened) end and a score.
fn judge(text: &str, s: usize, e: usize) -> Option<(usize, f32)> {
    if let Some(p) = util::char_before(text, s) {
        if matches!(
            p,
            '.' | ',' | '$' | '€' | '£' | '₹' | '/' | '#' | '-' | '+' | ':' | '_'
        ) {
            return None;
        }
    }
    let cand = util::slice(text, s, e);
    let grouped = cand.contains(' ') || cand.contains('-');
    let ends = group_ends(cand)?;
    let cue = util::has_cue(&util::lower_before(text, s, 40), CUES);
    // Longest group-aligned prefix that is a card number.
    for &g in ends.iter().rev() {
        let abs = s + g;
        let digits = util::digits_of(util::slice(cand, 0, g));
        if digits.len() < 12 {
            break;
        }
        if card_number(&digits, cue) && right_ok(text, abs, g == cand.len()) {
            let score = match (cue, grouped) {
                (true, _) => CUED_CARD,
                (false, true) => GROUPED_CARD,
                (false, false) => BARE_CARD,
            };
            return Some((abs, score));
        }
    }
    None
}

/// The group ends of a candidate (byte offsets, the last its length) after which the number may
/// stop; `None` when it mixes spaces and dashes or has a group of fewer than 3 digits.
fn group_ends(cand: &str) -> Option<Vec<usize>> {
    if cand.contains(' ') && cand.contains('-') {
        return None;
    }
    let mut ends: Vec<usize> = cand
        .char_indices()
        .filter(|(_, ch)| *ch == ' ' || *ch == '-')
        .map(|(i, _)| i)
        .collect();
    ends.push(cand.len());
    // Groups must have at least 3 digits when separated ("4111 1111 1111 1111", "3782 822463 10005").
    let mut prev = 0;
    for &g in &ends {
        if g - prev < 3 {
            return None;
        }
        prev = g + 1;
    }
    Some(ends)
}

/// Whether `digits` are a card number: a known issuer prefix and length (twelve digits only for
/// Maestro after a card word, `cue`) and a valid Luhn checksum.
fn card_number(digits: &[u8], cue: bool) -> bool {
    // Twelve digits only for Maestro (50, 56–69) after a card word.
    let maestro12 = digits.len() == 12 && cue && iin_maestro(digits);
    if digits.len() == 12 && !maestro12 {
        return false;
    }
    (maestro12 || iin_ok(digits)) && util::luhn(digits)
}

/// Whether a number may end at `e`: not followed by a decimal part or a longer dotted run.
fn right_ok(text: &str, e: usize, at_match_end: bool) -> bool {
    if !at_match_end {
        return true;
    }
    match util::byte_at(text, e) {
        Some(b'.' | b',' | b'/' | b'-' | b':') => {
            !util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_digit())
        }
        _ => true,
    }
}

/// Maestro prefixes: 50, 56–69.
fn iin_maestro(d: &[u8]) -> bool {
    let p2 = d.iter().take(2).fold(0u32, |a, x| a * 10 + u32::from(*x));
    p2 == 50 || (56..=69).contains(&p2)
}

/// Known issuer prefixes and lengths.
fn iin_ok(d: &[u8]) -> bool {
    let n = d.len();
    let pre = |k: usize| -> u32 { d.iter().take(k).fold(0u32, |a, x| a * 10 + u32::from(*x)) };
    let (p1, p2, p3, p4) = (pre(1), pre(2), pre(3), pre(4));
    match p1 {
        4 => matches!(n, 13 | 16 | 19), // Visa
        3 => {
            if p2 == 34 || p2 == 37 {
                n == 15 // Amex
            } else if p2 == 35 {
                (16..=19).contains(&n) // JCB
            } else if p2 == 36 || p2 == 38 || p2 == 39 || (300..=305).contains(&p3) || p4 == 3095 {
                (14..=19).contains(&n) // Diners
            } else {
                false
            }
        }
        5 => {
            if (51..=55).contains(&p2) {
                n == 16 // Mastercard
            } else {
                p2 == 50 || (56..=59).contains(&p2) || p3 == 508 // Maestro, RuPay
            }
        }
        2 => ((2221..=2720).contains(&p4) && n == 16) || (p4 == 2131 && n == 15), // Mastercard, JCB
        6 => true, // Discover 6011/644–649/65, UnionPay 62, RuPay 60/65, Maestro 6x
        8 => p2 == 81 || p2 == 82, // RuPay
        1 => p4 == 1800 && n == 15, // JCB
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts};

    fn cards(t: &str) -> Vec<&str> {
        texts(t, &find_with(t, Card::new, Card::find))
    }

    #[test]
    fn finds_cards() {
        assert_eq!(
            cards("card 4111 1111 1111 1111 exp 12/27"),
            vec!["4111 1111 1111 1111"]
        );
        assert_eq!(cards("4111-1111-1111-1111."), vec!["4111-1111-1111-1111"]);
        assert_eq!(cards("4111111111111111"), vec!["4111111111111111"]);
        assert_eq!(cards("amex 3782 822463 10005"), vec!["3782 822463 10005"]);
        assert_eq!(cards("347415977307943"), vec!["347415977307943"]);
        assert_eq!(cards("5555555555554444"), vec!["5555555555554444"]);
        assert_eq!(cards("2223003122003222"), vec!["2223003122003222"]);
        assert_eq!(cards("6011111111111117"), vec!["6011111111111117"]);
        assert_eq!(cards("3530111333300000"), vec!["3530111333300000"]);
        assert_eq!(cards("30569309025904"), vec!["30569309025904"]);
        assert_eq!(
            cards("कार्ड 4111 1111 1111 1111 है"),
            vec!["4111 1111 1111 1111"]
        );
        assert_eq!(
            cards("4111 1111 1111 1111 2024"),
            vec!["4111 1111 1111 1111"]
        );
    }

    #[test]
    fn rejects_non_cards() {
        assert!(cards("4111 1111 1111 1112").is_empty(), "luhn");
        assert!(cards("1234567812345670").is_empty(), "iin");
        assert!(cards("4111 1111-1111 1111").is_empty(), "mixed separators");
        assert!(cards("$4111111111111111").is_empty());
        assert!(cards("41111111111111110").is_empty(), "17 digits");
        assert!(cards("4111111111111111.5").is_empty());
        assert!(cards("order 9876543210987654").is_empty());
        assert_eq!(cards("my maestro card 501800000009"), vec!["501800000009"]);
        assert!(
            cards("ref 501800000009").is_empty(),
            "12 digits need a card word"
        );
    }
}
