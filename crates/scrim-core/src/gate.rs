//! The learned tier's gate: which parts of a message are worth a model's time.
//!
//! A transformer reads a few thousand tokens a second per core, the rule tier megabytes. The gate
//! lets the model read only sentences where cheap signals say a name, place or address may be:
//!
//! - a word the gazetteers know as a first name, surname or place, in any case ("grace", "pune"),
//!   unless it is an everyday English word ("good", "will");
//! - a capitalised word after the first of its sentence, or a first word that is not a
//!   dictionary word ("Hailey said", "Priyanka here");
//! - a digit (house numbers, ages, dates) or an `@`;
//! - a rule-tier finding.
//!
//! Sentences end at a line break or after `.`, `!` or `?` followed by white space. A message of
//! up to 1,000 bytes with a signal anywhere is read whole (its other sentences are the model's
//! context); in longer ones, neighbouring sentences that pass are read as one region. What the gate
//! skips is counted ([`crate::Engine::model_coverage`]); with [`Gate::All`] the model reads
//! everything.
//!
//! An assistant's answer is read more narrowly ([`Echoes`]): most of a chatbot's text is its own
//! prose about code, products and ideas, and the personal data in it is what the user said or a
//! named person. In an answer a sentence is read only when it holds a rule finding, a word the
//! user's own messages wrote with a name's signal or a number they wrote ("25th" echoes "25";
//! an echo), a capitalised word inside the sentence that no word list knows (not a dictionary
//! word, a product, code's vocabulary or an acronym), a capitalised word the gazetteers
//! know as a name or place, an `@`, or letters of a script without case (a short answer with
//! such a sentence is read whole, as a short message is).

use std::collections::HashSet;

use std::ops::Range;

use crate::error::Error;
use crate::lexicon::{Lexicon, WordInfo};
use crate::span::Finding;

/// Which text the learned tier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gate {
    /// Only sentences with a signal (see the module documentation).
    #[default]
    Signals,
    /// Every sentence.
    All,
}

impl std::str::FromStr for Gate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Gate, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "signals" => Ok(Gate::Signals),
            "all" => Ok(Gate::All),
            other => Err(Error::Policy(format!(
                "unknown model gate {other:?} (expected signals or all)"
            ))),
        }
    }
}

/// Zipf frequency from which a dictionary word is too common to signal a name by itself.
const EVERYDAY_ZIPF: f32 = 4.5;

/// Messages up to this many bytes are read whole when any sentence in them has a signal.
const WHOLE_MESSAGE_BYTES: usize = 1000;

/// Sentence ranges of `text`, covering it entirely, in order: a sentence ends after a line
/// break, or after `.`, `!` or `?` and the white space that follows.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        let end = if b == b'\n' {
            Some(i + 1)
        } else if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_some_and(|c| c.is_ascii_whitespace())
        {
            Some(i + 2)
        } else {
            None
        };
        if let Some(e) = end {
            out.push(start..e);
            start = e;
            i = e;
        } else {
            i += 1;
        }
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

/// The words of a conversation's user messages that carry a name's signal (see
/// [`has_signal`]), in lowercase: an answer that repeats one is read ([`regions`]).
#[derive(Default, Clone)]
pub(crate) struct Echoes {
    words: HashSet<String>,
}

/// Only the count: the words are the user's own.
impl std::fmt::Debug for Echoes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Echoes(<{} words>)", self.words.len())
    }
}

impl Echoes {
    /// The echo words of `texts` (a conversation's messages that are not answers).
    pub(crate) fn of<'a>(texts: impl IntoIterator<Item = &'a str>, lexicon: &Lexicon) -> Echoes {
        let mut words = HashSet::new();
        for text in texts {
            for w in words_of(text).filter(|w| w.chars().count() >= 2) {
                let lower: String = w.chars().flat_map(char::to_lowercase).collect();
                if words.contains(&lower) {
                    continue;
                }
                // A number the user wrote (an age, an ID, a date) is personal wherever the
                // answer repeats it.
                if let Some(digits) = digits_of(w) {
                    words.insert(digits);
                    continue;
                }
                if w.chars().count() < 3 {
                    continue;
                }
                let info = lexicon.word(&lower);
                let everyday = info.dictionary && info.common_zipf >= EVERYDAY_ZIPF;
                let capital = w.chars().next().is_some_and(char::is_uppercase);
                if name_or_place(&info) || (!everyday && capital && !info.dictionary) {
                    words.insert(lower);
                }
            }
        }
        Echoes { words }
    }
}

/// The ASCII digits of a word that has any, for comparing numbers ("25th" and "25" are one
/// number); `None` without digits.
fn digits_of(word: &str) -> Option<String> {
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// The words of `text`: runs of letters, digits and apostrophes.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// Whether the gazetteers know `info`'s word as a first name, surname or place, and it is not an
/// everyday word ("good", "lot", "will" are surnames or places too; "grace" and "june" are rare
/// enough to count).
fn name_or_place(info: &WordInfo) -> bool {
    let everyday = info.dictionary && info.common_zipf >= EVERYDAY_ZIPF;
    (info.first_name > 0 || info.surname > 0 || info.place.is_some()) && !everyday
}

/// Whether `word` has letters of a script without case (Devanagari, CJK, ...), which give no
/// capital-letter signal.
fn uncased(word: &str) -> bool {
    word.chars()
        .any(|c| c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase())
}

/// Whether one sentence of an answer carries a signal (see the module documentation).
fn answer_signal(sentence: &str, lexicon: &Lexicon, echoes: &Echoes) -> bool {
    if sentence.contains('@') {
        return true;
    }
    let mut lower = String::new();
    for (n, word) in words_of(sentence).enumerate() {
        if uncased(word) {
            return true;
        }
        if let Some(digits) = digits_of(word) {
            if echoes.words.contains(&digits) {
                return true;
            }
            continue;
        }
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if echoes.words.contains(&lower) {
            return true;
        }
        if !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let info = lexicon.word(&lower);
        if name_or_place(&info) {
            return true;
        }
        // A capitalised word inside a sentence that no list knows (a character in a story, an
        // author): not a dictionary word, a product or code's vocabulary, nor an acronym.
        let acronym = word.chars().all(|c| !c.is_lowercase());
        if n > 0 && !acronym && !info.dictionary && !info.product && !info.code {
            return true;
        }
    }
    false
}

/// Whether one sentence carries a signal.
fn has_signal(sentence: &str, lexicon: &Lexicon) -> bool {
    if sentence.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
        return true;
    }
    let mut lower = String::new();
    for (n, word) in words_of(sentence).enumerate() {
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        let info = lexicon.word(&lower);
        if name_or_place(&info) {
            return true;
        }
        // "I", "I'm" and "OK" are capitalised in every other chat line and name no one.
        let upper = word.chars().next().is_some_and(char::is_uppercase)
            && !matches!(lower.as_str(), "i" | "i'm" | "i'll" | "i've" | "i'd" | "ok");
        if upper && (n > 0 || !info.dictionary) {
            return true;
        }
        if uncased(word) {
            return true;
        }
    }
    false
}

/// The byte ranges of `text` the model should read, in order and non-overlapping. `answer`
/// holds the user's echo words when `text` is an assistant's answer.
#[allow(
    clippy::single_range_in_vec_init,
    reason = "a list of one range, not the range's items"
)]
pub(crate) fn regions(
    gate: Gate,
    text: &str,
    lexicon: &Lexicon,
    rule_findings: &[Finding],
    answer: Option<&Echoes>,
) -> Vec<Range<usize>> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    if gate == Gate::All {
        return vec![0..text.len()];
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let short = text.len() <= WHOLE_MESSAGE_BYTES;
    for s in sentences(text) {
        let Some(sentence) = text.get(s.clone()) else {
            continue;
        };
        let found = rule_findings
            .iter()
            .any(|f| f.span.start() < s.end && f.span.end() > s.start);
        let signal = match answer {
            Some(echoes) => answer_signal(sentence, lexicon, echoes),
            None => has_signal(sentence, lexicon),
        };
        if !(found || signal) {
            continue;
        }
        if short {
            // The model reads a short message whole: its other sentences are context.
            return vec![0..text.len()];
        }
        match out.last_mut() {
            Some(last) if last.end == s.start => last.end = s.end,
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::single_range_in_vec_init,
        reason = "a test or fuzz check fails by panicking"
    )]
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::builtin().unwrap()
    }

    #[test]
    fn sentences_cover_the_text() {
        let t = "hi there! my name is will.\nok? fine";
        let s = sentences(t);
        assert_eq!(s.first().unwrap().start, 0);
        assert_eq!(s.last().unwrap().end, t.len());
        for w in s.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        assert_eq!(s.len(), 4);
    }

    #[test]
    fn plain_chatter_is_skipped_and_names_are_read() {
        let lex = lexicon();
        let t = "that sounds good, thanks a lot! ask priya about it.";
        // Short: read whole, for context.
        assert_eq!(regions(Gate::Signals, t, &lex, &[], None), vec![0..t.len()]);
        assert!(regions(
            Gate::Signals,
            "that sounds good, thanks a lot!",
            &lex,
            &[],
            None
        )
        .is_empty());
        // Long: only the sentence with a signal.
        let filler = "that sounds good, thanks a lot! ".repeat(40);
        let long = format!("{filler}ask priya about it. {filler}");
        let r = regions(Gate::Signals, &long, &lex, &[], None);
        assert_eq!(r.len(), 1);
        assert_eq!(&long[r[0].clone()], "ask priya about it. ");
        assert_eq!(regions(Gate::All, t, &lex, &[], None), vec![0..t.len()]);
    }

    #[test]
    fn capitals_digits_and_uncased_scripts_are_signals() {
        let lex = lexicon();
        for t in [
            "we met Zorblax yesterday",
            "flat 4b is ours",
            "मेरा नाम राहुल है",
            "dm me @zz",
        ] {
            assert_eq!(
                regions(Gate::Signals, t, &lex, &[], None),
                vec![0..t.len()],
                "{t}"
            );
        }
        assert!(regions(Gate::Signals, "   ", &lex, &[], None).is_empty());
    }

    #[test]
    fn answers_are_read_only_where_a_name_may_be() {
        let lex = lexicon();
        let echoes = Echoes::of(["my friend Zorblax moved to Pune last year, I'm 27"], &lex);
        assert!(!format!("{echoes:?}").contains("zorblax"));
        let filler = "Here is a Python script using Kubernetes and 3 pods.\n".repeat(20);
        let answer = &format!(
            "{filler}Here is a Python script using Kubernetes and 3 pods.\n\
                      Say hello to Zorblax from me.\n\
                      Install React 18 first.\n\
                      At 27 that is fine.\n\
                      Then email ops@acme.org.\n\
                      Dear Priya, thank you."
        );
        let read: Vec<&str> = regions(Gate::Signals, answer, &lex, &[], Some(&echoes))
            .into_iter()
            .map(|r| &answer[r])
            .collect();
        assert_eq!(
            read,
            vec![
                "Say hello to Zorblax from me.\n",
                "At 27 that is fine.\nThen email ops@acme.org.\nDear Priya, thank you."
            ]
        );
        // As a user's message, every sentence with a capital or a digit is read.
        assert_eq!(
            regions(Gate::Signals, answer, &lex, &[], None),
            vec![0..answer.len()]
        );
        // A short answer with a signal is read whole, for context; without one, not at all.
        let short = "Happy 27th! The React docs say so.";
        assert_eq!(
            regions(Gate::Signals, short, &lex, &[], Some(&echoes)),
            vec![0..short.len()]
        );
        assert!(regions(
            Gate::Signals,
            "Install React 18 first.",
            &lex,
            &[],
            Some(&echoes)
        )
        .is_empty());
        // A sentence with a rule finding is read in an answer too.
        let text = "Your order ships Monday.";
        let f = Finding::new(
            crate::span::Span::new(text, 17, 23).unwrap(),
            crate::Label::Date,
            0.9,
            crate::rule::Rule::Model,
        );
        assert_eq!(
            regions(Gate::Signals, text, &lex, &[f], Some(&echoes)),
            vec![0..text.len()]
        );
    }
}
