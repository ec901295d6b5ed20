//! Phase 2, multi-word places: "new york", "los angeles", matched on lowercased word n-grams;
//! and a known place before a comma and its state code or country ("Indianapolis, IN",
//! "Shanghai, China", "St. Cloud, MN"), which counts even in a Title Case line (a resume's
//! employer line, a citation's venue) where capitals say nothing else.

use super::predicates::capitalised;
use super::scan::Scan;
use super::score::{
    PLACE_AND_REGION, PLACE_PHRASE_CAPITALISED, PLACE_PHRASE_LOWERCASE,
    PLACE_PHRASE_PARTLY_CAPITALISED,
};
use super::words::Case;
use crate::label::Label;
use crate::lexicon::PlaceKind;
use crate::rule::NameRule;

/// The most words of a place phrase looked up.
const PLACE_PHRASE_WORDS: usize = 5;

/// The most words of the place before ", ST" ("Salt Lake City, UT").
const PLACE_BEFORE_REGION_WORDS: usize = 3;

impl Scan<'_> {
    /// Phase 2: a known place, a comma, and its state code, region or country: two places.
    pub(super) fn places_with_region(&mut self) {
        for r in 1..self.words.len() {
            let Some(region) = self.word(r) else { continue };
            let code = region.case == Case::Upper
                && (2..=3).contains(&region.lower.len())
                && region.info.place.is_some();
            let named = capitalised(region)
                && matches!(
                    region.info.place,
                    Some(PlaceKind::Country | PlaceKind::Region)
                );
            if !(code || named) || self.is_claimed(r) {
                continue;
            }
            let Some(prev) = self.word(r - 1) else {
                continue;
            };
            // ", " or, as tokenized text writes it, " , ".
            if !matches!(self.text().get(prev.end..region.start), Some(", " | " , ")) {
                continue;
            }
            // The longest run of capitalised words before the comma that is a known place.
            let place_start = (1..=PLACE_BEFORE_REGION_WORDS.min(r)).rev().find(|&n| {
                let a = r - n;
                let words = self.words.get(a..r).unwrap_or(&[]);
                let joined: Vec<&str> = words.iter().map(|w| w.lower.as_ref()).collect();
                words.iter().all(capitalised)
                    && words
                        .iter()
                        .skip(1)
                        .all(|w| !w.gap_before || w.lower.len() <= 3)
                    && (a..r).all(|k| !self.is_claimed(k))
                    && if n == 1 {
                        words.first().is_some_and(|w| {
                            matches!(w.info.place, Some(PlaceKind::City | PlaceKind::Region))
                        })
                    } else {
                        self.lexicon.phrase_place(&joined.join(" ")).is_some()
                    }
            });
            if let Some(n) = place_start {
                self.add(r - n, r, Label::Location, PLACE_AND_REGION, NameRule::Place);
                self.add(r, r + 1, Label::Location, PLACE_AND_REGION, NameRule::Place);
            }
        }
    }

    /// Phase 2: at each word, the longest unclaimed multi-word place that starts there, without a
    /// break inside; scanning resumes after it.
    pub(super) fn place_phrases(&mut self) {
        let max_words = self.lexicon.max_place_words().min(PLACE_PHRASE_WORDS);
        // One buffer for the phrases of the whole text.
        let mut phrase = String::new();
        let mut i = 0;
        while i < self.words.len() {
            i += self.place_phrase_at(i, max_words, &mut phrase).max(1);
        }
    }

    /// The number of words of the place phrase found (and claimed) at word `i`, or 0; `phrase`
    /// is scratch space.
    fn place_phrase_at(&mut self, i: usize, max_words: usize, phrase: &mut String) -> usize {
        let Some(first) = self.word(i) else { return 0 };
        let longest = usize::from(first.info.phrase_start).min(max_words);
        if longest < 2 {
            return 0;
        }
        // A phrase has no claimed word and no break inside: only the words up to the first such
        // one are worth building into phrases.
        let mut open = 0;
        while open < longest {
            let k = i + open;
            let Some(w) = self.words.get(k) else { break };
            if self.is_claimed(k) || (open > 0 && w.gap_before) {
                break;
            }
            open += 1;
        }
        if open < 2 {
            return 0;
        }
        // The longest phrase, built once: each shorter one is a prefix of it (`ends[len]`).
        phrase.clear();
        let mut ends = [0usize; PLACE_PHRASE_WORDS + 1];
        for (k, w) in self.words.iter().skip(i).take(open).enumerate() {
            if k > 0 {
                phrase.push(' ');
            }
            phrase.push_str(&w.lower);
            if let Some(e) = ends.get_mut(k + 1) {
                *e = phrase.len();
            }
        }
        for len in (2..=open).rev() {
            let Some(phrase_words) = self.words.get(i..i + len) else {
                continue;
            };
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
