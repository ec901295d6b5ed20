//! Phase 2, named landmarks: capitalised words before a landmark noun ("Banff National Park",
//! "Athabasca Falls", "Calgary International Airport", "Waikiki Beach") or after one ("Lake
//! Louise", "Mount Rainier") are a place, the landmark noun included. Travel plans, itineraries
//! and stories name them all the time, and no word list holds them all.
//!
//! The word that opens the name must not be an ordinary English word, and be a known place or
//! name or a word English does not use (so "Data Lake", "Big River" or "Lower Falls" are left to
//! the other phases); words
//! between it and the landmark noun only need to be capitalised.

use super::predicates::{capitalised, function_word, is_name, never_name, wordy};
use super::scan::Scan;
use super::score::LANDMARK;
use super::words::Word;
use crate::label::Label;
use crate::rule::NameRule;

/// Landmark nouns written after the name (lowercase).
const AFTER: &[&str] = &[
    "airport",
    "bay",
    "beach",
    "canyon",
    "cathedral",
    "falls",
    "glacier",
    "gorge",
    "harbor",
    "harbour",
    "hospital",
    "island",
    "islands",
    "lagoon",
    "mountain",
    "mountains",
    "museum",
    "park",
    "parkway",
    "peak",
    "reservoir",
    "river",
    "springs",
    "square",
    "summit",
    "tower",
    "trail",
    "valley",
    "volcano",
    "waterfall",
];

/// Landmark nouns written before the name (lowercase).
const BEFORE: &[&str] = &["lake", "mount", "mt", "isla", "lago", "monte", "loch"];

/// An opening word this frequent in English (Zipf) is an ordinary word, not a name.
const ENGLISH_ZIPF: f32 = 3.0;

/// The most capitalised words before a landmark noun ("Banff Upper Hot Springs").
const MAX_NAME_WORDS: usize = 3;

impl Scan<'_> {
    /// Phase 2: named landmarks, as the module documentation says.
    pub(super) fn landmarks(&mut self) {
        let n = self.words.len();
        let mut i = 0;
        while i < n {
            i += self.landmark_at(i).max(1);
        }
    }

    /// The number of words of the landmark found (and claimed) at word `i`, or 0.
    fn landmark_at(&mut self, i: usize) -> usize {
        let Some(w) = self.word(i) else { return 0 };
        if !capitalised(w) || self.is_claimed(i) || !self.opens_name(w) {
            return 0;
        }
        // "Lake Louise": the landmark noun first.
        if BEFORE.contains(&w.lower.as_ref()) {
            if let Some(next) = self.word(i + 1) {
                let glued = !next.gap_before || self.raw(w).len() == 2; // "Mt. Rainier"
                if glued && capitalised(next) && !self.is_claimed(i + 1) && self.opens_name(next) {
                    self.add(i, i + 2, Label::Location, LANDMARK, NameRule::Landmark);
                    return 2;
                }
            }
            return 0;
        }
        // "Banff National Park": up to three capitalised words, then the landmark noun.
        for k in 1..=MAX_NAME_WORDS {
            let Some(head) = self.word(i + k) else { break };
            if head.gap_before || !capitalised(head) || self.is_claimed(i + k) {
                break;
            }
            // "Ji-woo Park", "Min-ji Park": the Korean family name after a given name, unless
            // a known place or more words come first ("Yoho National Park").
            let surname_park = head.lower == "park" && k == 1 && w.info.place.is_none();
            if AFTER.contains(&head.lower.as_ref()) && !surname_park {
                self.add(i, i + k + 1, Label::Location, LANDMARK, NameRule::Landmark);
                return k + 1;
            }
        }
        0
    }

    /// Whether `w` can open a landmark's name: a known place or name, or a capitalised word that
    /// English does not use, never a word written as code or a function word.
    fn opens_name(&self, w: &Word) -> bool {
        if never_name(w) || function_word(w) || w.lower.chars().count() < 2 {
            return false;
        }
        if BEFORE.contains(&w.lower.as_ref()) {
            return true;
        }
        if wordy(w) {
            return false;
        }
        let known = w.info.place.is_some() || is_name(w);
        let english = w.info.product
            || w.info.code
            || w.info.dictionary
            || w.info.common_zipf >= ENGLISH_ZIPF;
        known || !english
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::detect::names::NameDetector;
    use crate::detect::Detector;
    use crate::label::Label;
    use crate::lexicon::Lexicon;

    fn places(t: &str) -> Vec<&str> {
        let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
        let mut out = Vec::new();
        d.detect(t, &mut out).unwrap();
        out.iter()
            .filter(|f| f.label == Label::Location)
            .map(|f| &t[f.span.start()..f.span.end()])
            .collect()
    }

    #[test]
    fn named_landmarks() {
        let t = "Day 1: land at Calgary International Airport, then drive to Yoho National Park. \
                 Day 2: hike to Takakkaw Falls and paddle on Lake Louise. Day 3: Mt. Rainier. \
                 Day 4: a checkup at Kilkenny General Hospital.";
        let p = places(t);
        for place in [
            "Calgary International Airport",
            "Yoho National Park",
            "Takakkaw Falls",
            "Lake Louise",
            "Mt. Rainier",
            "Kilkenny General Hospital",
        ] {
            assert!(p.contains(&place), "{place}: {p:?}");
        }
    }

    #[test]
    fn ordinary_words_and_surnames_are_not_landmarks() {
        for t in [
            "We load it into the Data Lake every night.",
            "Mount the Docker volume first.",
            "I met Min-ji Park at the conference.",
            "The Big River of the story.",
        ] {
            assert!(places(t).is_empty(), "{t}: {:?}", places(t));
        }
    }
}
