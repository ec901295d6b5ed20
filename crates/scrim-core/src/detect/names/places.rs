//! Phase 2, multi-word places: "new york", "los angeles", matched on lowercased word n-grams.

use super::predicates::capitalised;
use super::scan::Scan;
use super::score::{
    PLACE_PHRASE_CAPITALISED, PLACE_PHRASE_LOWERCASE, PLACE_PHRASE_PARTLY_CAPITALISED,
};
use crate::label::Label;
use crate::lexicon::PlaceKind;
use crate::rule::NameRule;

/// The most words of a place phrase looked up.
const PLACE_PHRASE_WORDS: usize = 5;

impl Scan<'_> {
    /// Phase 2: at each word, the longest unclaimed multi-word place that starts there, without a
    /// break inside; scanning resumes after it.
    pub(super) fn place_phrases(&mut self) {
        let max_words = self.lexicon.max_place_words().min(PLACE_PHRASE_WORDS);
        let mut i = 0;
        while i < self.words.len() {
            i += self.place_phrase_at(i, max_words).max(1);
        }
    }

    /// The number of words of the place phrase found (and claimed) at word `i`, or 0.
    fn place_phrase_at(&mut self, i: usize, max_words: usize) -> usize {
        let Some(first) = self.word(i) else { return 0 };
        let longest = usize::from(first.info.phrase_start).min(max_words);
        if longest < 2 {
            return 0;
        }
        // The longest phrase, built once: each shorter one is a prefix of it (`ends[len]`).
        let mut phrase = String::new();
        let mut ends = [0usize; PLACE_PHRASE_WORDS + 1];
        for (k, w) in self.words.iter().skip(i).take(longest).enumerate() {
            if k > 0 {
                phrase.push(' ');
            }
            phrase.push_str(&w.lower);
            if let Some(e) = ends.get_mut(k + 1) {
                *e = phrase.len();
            }
        }
        for len in (2..=longest).rev() {
            let Some(phrase_words) = self.words.get(i..i + len) else {
                continue;
            };
            if (i..i + len).any(|k| self.is_claimed(k)) {
                continue;
            }
            if phrase_words.iter().skip(1).any(|w| w.gap_before) {
                continue;
            }
            let Some(phrase) = ends.get(len).and_then(|&e| phrase.get(..e)) else {
                continue;
            };
            if let Some(kind) = self.lexicon.phrase_place(phrase) {
                let cap = phrase_words.iter().filter(|w| capitalised(w)).count();
                let score = if cap == len {
                    PLACE_PHRASE_CAPITALISED
                } else if cap > 0 || kind == PlaceKind::Country {
                    PLACE_PHRASE_PARTLY_CAPITALISED
                } else {
                    PLACE_PHRASE_LOWERCASE
                };
                self.add(i, i + len, Label::Location, score, NameRule::PlacePhrase);
                return len;
            }
        }
        0
    }
}
