//! PHONE numbers spelled out or spaced out: "nine eight seven six five four three two one zero",
//! "my number is nine eight 7 six ...", "double seven", Hinglish "nau aath saat ...", Spanish
//! "nueve ocho siete ...", Hindi "नौ आठ सात ...", Devanagari digits "९८७६५४३२१०", and single
//! digits spaced out ("9 8 7 6 5 4 3 2 1 0").
//!
//! One pass over the words of the text collects runs of digit tokens (digit words, short ASCII or
//! Devanagari digit groups) joined by spaces, commas, dots or dashes. Each run is turned into its
//! digit string, keeping each token's byte range, and the digits are validated as a phone number
//! the way a written number is ([`Phone::judge_digits`]). The finding spans the whole run, from
//! its first token to its last. Runs need 7 to 15 digits; the ordinary scanner handles runs of
//! multi-digit ASCII groups ("98 76 54 32 10"), so a run of ASCII digits only is taken here only
//! when every group is a single digit.

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

use super::phone::Phone;
use super::score::spelled::{SPACED_DIGITS, SPELLED, SPELLED_CUED};
use super::util;
use super::Family;
use crate::span::Finding;

const FAM: Family = Family::Phone;

/// Digit words (lowercase) in English, romanised Hindi, Spanish and Hindi, with their digit.
/// "oh"/"o" for zero only inside a run ("nine oh one").
const DIGIT_WORDS: &[(&str, u8)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("shunya", 0),
    ("shoonya", 0),
    ("sunya", 0),
    ("ek", 1),
    ("do", 2),
    ("teen", 3),
    ("char", 4),
    ("chaar", 4),
    ("paanch", 5),
    ("panch", 5),
    ("chhe", 6),
    ("chhah", 6),
    ("chah", 6),
    ("cheh", 6),
    ("saat", 7),
    ("aath", 8),
    ("aanth", 8),
    ("nau", 9),
    ("cero", 0),
    ("uno", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("nueve", 9),
    ("शून्य", 0),
    ("एक", 1),
    ("दो", 2),
    ("तीन", 3),
    ("चार", 4),
    ("पाँच", 5),
    ("पांच", 5),
    ("छह", 6),
    ("छः", 6),
    ("छे", 6),
    ("सात", 7),
    ("आठ", 8),
    ("नौ", 9),
];

/// [`DIGIT_WORDS`] by word (each word is listed once).
static DIGITS_BY_WORD: LazyLock<HashMap<&'static str, u8, FixedState>> =
    LazyLock::new(|| DIGIT_WORDS.iter().copied().collect());

/// What one word of a run stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A digit word ("nine"): one digit.
    Word(u8),
    /// "oh"/"o": zero, inside a run only.
    Oh,
    /// "double"/"triple": the next digit, two or three times.
    Repeat(u8),
    /// A group of ASCII digits of this length.
    Ascii(usize),
    /// A group of Devanagari digits.
    Native,
    /// "plus", before the first digit: an international number.
    Plus,
}

/// A run being collected: its digits, its byte range, what it holds.
#[derive(Default)]
struct Run {
    digits: String,
    start: usize,
    end: usize,
    words: usize,
    max_group: usize,
    repeat: u8,
    plus: bool,
}

/// Find spelled-out and spaced-out phone numbers in `text`.
pub(crate) fn find(text: &str, phone: &Phone, out: &mut Vec<Finding>) {
    let mut run = Run::default();
    let mut last_end = 0;
    for (s, e) in words(text) {
        let joined = run_gap_ok(util::slice(text, last_end, s));
        if !joined {
            finish(text, phone, &mut run, out);
        }
        last_end = e;
        let w = util::slice(text, s, e);
        match classify(w, !run.digits.is_empty() && joined) {
            Some(t) => add(&mut run, t, w, (s, e)),
            None => finish(text, phone, &mut run, out),
        }
    }
    finish(text, phone, &mut run, out);
}

/// Add a token to the run.
fn add(run: &mut Run, t: Tok, w: &str, (s, e): (usize, usize)) {
    if run.digits.is_empty() && !run.plus {
        run.start = s;
    }
    run.end = e;
    let times = usize::from(std::mem::take(&mut run.repeat).max(1));
    match t {
        Tok::Plus => run.plus = true,
        Tok::Repeat(n) => run.repeat = n,
        Tok::Word(d) => {
            run.words += 1;
            for _ in 0..times {
                run.digits.push(char::from(b'0' + d));
            }
        }
        Tok::Oh => {
            run.words += 1;
            run.digits.push_str(&"0".repeat(times));
        }
        Tok::Ascii(n) => {
            run.max_group = run.max_group.max(n);
            run.digits
                .push_str(&w.repeat(if n == 1 { times } else { 1 }));
        }
        Tok::Native => {
            run.words += 1;
            run.digits.extend(w.chars().filter_map(native_digit));
        }
    }
}

/// Judge a finished run and start a new one.
fn finish(text: &str, phone: &Phone, run: &mut Run, out: &mut Vec<Finding>) {
    // Nothing collected: no finding, and the next token's `add` sets what the stale fields hold
    // (its start and end), so the run need not be reset. Most words of a text end here.
    if run.digits.is_empty() && run.repeat == 0 && !run.plus {
        return;
    }
    let r = std::mem::take(run);
    let n = r.digits.len();
    if !(7..=15).contains(&n) {
        return;
    }
    // A run of multi-digit ASCII groups only is the ordinary scanner's.
    if r.words == 0 && r.max_group > 1 {
        return;
    }
    let Some(cued) = phone.judge_digits(text, (r.start, r.end), &r.digits, r.plus) else {
        return;
    };
    let score = match (r.words > 0, cued) {
        (_, true) => SPELLED_CUED,
        (true, false) => SPELLED,
        (false, false) => SPACED_DIGITS,
    };
    util::push(out, text, (r.start, r.end), FAM, None, score);
}

/// Whether the text between two tokens keeps them in one run: at most three spaces, commas,
/// dots or dashes (no line break).
fn run_gap_ok(gap: &str) -> bool {
    !gap.is_empty()
        && gap.len() <= 3
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | ',' | '.' | '-' | '–' | '\u{a0}'))
}

/// What a word stands for in a run, if anything (`inside`: a run is open).
fn classify(w: &str, inside: bool) -> Option<Tok> {
    if w.bytes().all(|b| b.is_ascii_digit()) {
        return (w.len() <= 5).then_some(Tok::Ascii(w.len()));
    }
    if w.chars().all(|c| native_digit(c).is_some()) {
        return Some(Tok::Native);
    }
    if w.len() > 18 {
        return None;
    }
    if w.is_ascii() {
        // No ASCII digit word or run word is longer ("shoonya"): most words end here.
        if w.len() > LONGEST_ASCII_WORD {
            return None;
        }
        // The common case: lowercased on the stack (for ASCII, the same as `to_lowercase`), and
        // the digit words looked up by hash rather than one by one.
        if !may_be_run_word(w.as_bytes()) {
            return None;
        }
        let mut buf = [0u8; 18];
        let lower = buf.get_mut(..w.len())?;
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        let l = std::str::from_utf8(lower).ok()?;
        if let Some(&d) = DIGITS_BY_WORD.get(l) {
            return Some(Tok::Word(d));
        }
        return other_word(l, inside);
    }
    let l = w.to_lowercase();
    if let Some((_, d)) = DIGIT_WORDS.iter().find(|(n, _)| *n == l) {
        return Some(Tok::Word(*d));
    }
    other_word(&l, inside)
}

/// The ASCII words a run is made of besides ASCII digits: the ASCII digit words of
/// [`DIGIT_WORDS`] and the ASCII words [`other_word`] knows.
const ASCII_RUN_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "shunya",
    "shoonya", "sunya", "ek", "do", "teen", "char", "chaar", "paanch", "panch", "chhe", "chhah",
    "chah", "cheh", "saat", "aath", "aanth", "nau", "cero", "uno", "dos", "tres", "cuatro",
    "cinco", "seis", "siete", "ocho", "nueve", "oh", "o", "double", "doble", "triple", "plus",
];

/// For each lowercase ASCII letter, a bit per letter that may follow it in a word of
/// [`ASCII_RUN_WORDS`] (bit 26: the word may end after that one letter).
const RUN_WORD_PAIRS: [u32; 26] = run_word_pairs();

/// Builds [`RUN_WORD_PAIRS`].
const fn run_word_pairs() -> [u32; 26] {
    let mut pairs = [0u32; 26];
    let mut letter = b'a';
    let mut slots: &mut [u32] = &mut pairs;
    while let [slot, rest @ ..] = slots {
        *slot = pair_bits(letter);
        letter += 1;
        slots = rest;
    }
    pairs
}

/// The entry of [`RUN_WORD_PAIRS`] for the lowercase ASCII letter `letter`.
const fn pair_bits(letter: u8) -> u32 {
    let mut bits = 0;
    let mut words = ASCII_RUN_WORDS;
    while let [w, rest @ ..] = words {
        if let [first, more @ ..] = w.as_bytes() {
            if *first == letter {
                bits |= match more {
                    [next, ..] => 1 << (*next - b'a'),
                    [] => 1 << 26,
                };
            }
        }
        words = rest;
    }
    bits
}

/// Whether an ASCII word (any case) may be one of [`ASCII_RUN_WORDS`], judged on its first two
/// letters: a cheap test that lets most words of a text skip the lowercasing and the lookup.
fn may_be_run_word(w: &[u8]) -> bool {
    let letter = |b: u8| {
        let l = b.to_ascii_lowercase();
        l.is_ascii_lowercase().then(|| u32::from(l - b'a'))
    };
    let Some(first) = w.first().copied().and_then(letter) else {
        return false;
    };
    let next = match w.get(1) {
        None => 26,
        Some(&b) => match letter(b) {
            Some(n) => n,
            None => return false,
        },
    };
    RUN_WORD_PAIRS
        .get(first as usize)
        .is_some_and(|bits| bits & (1 << next) != 0)
}

/// What a lowercase word that is no digit word stands for in a run, if anything.
fn other_word(l: &str, inside: bool) -> Option<Tok> {
    match l {
        "oh" | "o" if inside => Some(Tok::Oh),
        "double" | "doble" => Some(Tok::Repeat(2)),
        "triple" => Some(Tok::Repeat(3)),
        "plus" | "más" if !inside => Some(Tok::Plus),
        _ => None,
    }
}

/// The ASCII digit of a Devanagari digit.
fn native_digit(c: char) -> Option<char> {
    ('०'..='९')
        .contains(&c)
        .then(|| char::from_u32(u32::from(c) - 0x0966 + u32::from(b'0')))
        .flatten()
}

/// The longest ASCII word [`classify`] can take: "shoonya".
const LONGEST_ASCII_WORD: usize = 7;

/// The words of `text` as byte ranges: runs of letters, digits and Devanagari marks.
fn words(text: &str) -> Box<dyn Iterator<Item = (usize, usize)> + '_> {
    if text.is_ascii() {
        // The same words byte by byte: for ASCII, `char::is_alphanumeric` is
        // `u8::is_ascii_alphanumeric`.
        let b = text.as_bytes();
        let mut i = 0;
        return Box::new(std::iter::from_fn(move || {
            while b.get(i).is_some_and(|c| !c.is_ascii_alphanumeric()) {
                i += 1;
            }
            let s = i;
            while b.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                i += 1;
            }
            (i > s).then_some((s, i))
        }));
    }
    Box::new(words_chars(text))
}

/// [`words`] for any text, character by character.
fn words_chars(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let is_word = |c: char| c.is_alphanumeric() || ('\u{0900}'..='\u{097f}').contains(&c);
    let mut it = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (s, _) = it.by_ref().find(|(_, c)| is_word(*c))?;
        let mut e = text.len();
        while let Some(&(i, c)) = it.peek() {
            if !is_word(c) {
                e = i;
                break;
            }
            it.next();
        }
        Some((s, e))
    })
}

#[cfg(test)]
mod tests {
    /// The pair filter lets every ASCII word [`classify`](super::classify) knows through, in any
    /// case, and each ASCII digit word is in the filter's list.
    #[test]
    fn pair_filter_keeps_run_words() {
        for (w, _) in super::DIGIT_WORDS.iter().filter(|(w, _)| w.is_ascii()) {
            assert!(super::ASCII_RUN_WORDS.contains(w), "{w}");
        }
        for w in super::ASCII_RUN_WORDS {
            for v in [
                w.to_string(),
                w.to_ascii_uppercase(),
                w.to_ascii_uppercase().to_lowercase(),
            ] {
                assert!(super::may_be_run_word(v.as_bytes()), "{v}");
            }
            let title: String = w
                .chars()
                .enumerate()
                .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
                .collect();
            assert!(super::may_be_run_word(title.as_bytes()), "{title}");
        }
        for w in ["and", "you", "a1", "9am", "I", "hello", "x", "Because"] {
            assert!(!super::may_be_run_word(w.as_bytes()), "{w}");
        }
    }

    use super::super::util::GateBuilder;
    use super::*;

    fn found(t: &str) -> Vec<&str> {
        let p = Phone::new(&["US", "IN", "GB"], &mut GateBuilder::default()).unwrap();
        let mut out = Vec::new();
        find(t, &p, &mut out);
        for f in &out {
            assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
        }
        out.iter().map(|f| f.span.slice(t).unwrap()).collect()
    }

    #[test]
    fn spelled_out() {
        assert_eq!(
            found("my number is nine eight seven six five four three two one zero ok"),
            vec!["nine eight seven six five four three two one zero"]
        );
        assert_eq!(
            found("my number is nine eight 7 six five 4 three two one zero"),
            vec!["nine eight 7 six five 4 three two one zero"]
        );
        assert_eq!(
            found("call 98765 four three two one zero"),
            vec!["98765 four three two one zero"]
        );
        assert_eq!(
            found("nine eight double seven six five four three two one"),
            vec!["nine eight double seven six five four three two one"]
        );
        assert_eq!(
            found("mera number nau aath saat chhe paanch char teen do ek shunya hai"),
            vec!["nau aath saat chhe paanch char teen do ek shunya"]
        );
        assert_eq!(
            found("mi número es nueve ocho siete seis cinco cuatro tres dos uno cero"),
            vec!["nueve ocho siete seis cinco cuatro tres dos uno cero"]
        );
        assert_eq!(
            found("मेरा नंबर नौ आठ सात छह पांच चार तीन दो एक शून्य है 🙏"),
            vec!["नौ आठ सात छह पांच चार तीन दो एक शून्य"]
        );
        assert_eq!(found("नंबर ९८७६५४३२१० है"), vec!["९८७६५४३२१०"]);
        assert_eq!(
            found("plus nine one nine eight seven six five four three two one zero"),
            vec!["plus nine one nine eight seven six five four three two one zero"]
        );
    }

    #[test]
    fn ascii_words_agree_with_the_general_split() {
        for t in [
            "",
            "   ",
            "call 98765 four-three, two.one  zero!",
            "x",
            "ends with a word",
            "(9)-8 7_6\t5\n4 shoonya plus",
        ] {
            let fast: Vec<_> = words(t).collect();
            let slow: Vec<_> = words_chars(t).collect();
            assert_eq!(fast, slow, "{t:?}");
        }
    }

    #[test]
    fn spaced_out() {
        assert_eq!(found("9 8 7 6 5 4 3 2 1 0"), vec!["9 8 7 6 5 4 3 2 1 0"]);
        assert_eq!(
            found("📞 9-8-7-6-5-4-3-2-1-0 🙂"),
            vec!["9-8-7-6-5-4-3-2-1-0"]
        );
    }

    #[test]
    fn not_numbers() {
        for t in [
            "one two three four five six seven",
            "I have one or two ideas",
            "scores 1 2 3 4 5 6 7 8",
            "98 76 54 32 10",
            "nine eight seven\nsix five four three two one zero",
            "do do do do do do do",
            "uno dos tres cuatro cinco seis siete ocho",
        ] {
            assert!(found(t).is_empty(), "{t:?} -> {:?}", found(t));
        }
    }
}
