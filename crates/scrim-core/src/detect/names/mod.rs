//! Names, places and employers from word lists and context.
//!
//! The text is split into words. Each word is looked up in the [`Lexicon`] (first names,
//! surnames, places, and how common it is as an English word), and its shape (Capitalised,
//! lowercase, ALL CAPS) and position (start of a sentence or not) are noted. Then, in order:
//!
//! 0. **Code** is never a name: a word glued to code punctuation (`max(`, `conn.cursor`,
//!    `user_id`, `std::fmt`) or a keyword, builtin or type name of a common language written as
//!    code writes it (`elif`, `len`, `String`; see `code.rs`); nor is an abbreviation of a common
//!    word ("Syst.", "Comput." in a citation). Then the **speakers** of a dialogue, script or
//!    transcript (at least two, over three lines: "TRUMP: So...", "Maya: hi", a script's "RUBY"
//!    on a line of its own) are persons (`speakers.rs`), and so are the authors that open a
//!    numbered reference entry ("[47] Nezar M. Alyazidi, S.-K. Cho, ...", `citations.rs`).
//! 1. **Cues** decide outright: "my name is X", "call me X", "I'm X" (X a name or capitalised
//!    and not a common word), "my daughter X", "Dr. X", "hi X", sign-offs ("thanks, X"), Hinglish
//!    ("mera naam X hai") and Spanish ("me llamo X") forms make X a PERSON; "I live in X",
//!    "moved to X", "from X" make a capitalised X a LOCATION; "I work at X", "nurse at X",
//!    "goes to X" make the following capitalised words an ORG.
//! 2. **Named landmarks** ("Banff National Park", "Lake Louise": capitalised words with a
//!    landmark noun, `landmarks.rs`) are places, and **multi-word places** ("new york", "los
//!    angeles") are matched on lowercased word n-grams.
//! 3. **Capitalised runs** in mid-sentence are proper nouns: a run that starts with or contains a
//!    known first name or surname is a PERSON (the whole run: "Tyler Boyd"); a known place is a
//!    LOCATION; an unknown, uncommon capitalised word is a PERSON with a low score, unless it is
//!    built like a term ("Real-time", "Colposcopy", "Namespaces"; `terms.rs`).
//! 4. **Single words**: a known first name that is not a common English word is a PERSON even in
//!    lowercase ("talked to priya"); a name that is also a common word ("will", "grace") counts
//!    only when capitalised mid-sentence or after a cue. Large places and countries count in
//!    lowercase too ("moving to amsterdam").
//!
//! Each phase leaves alone the words an earlier one claimed. Phases 3 and 4 are one left-to-right
//! pass: at each unclaimed word, a capitalised word starts a run, any other word is judged alone.
//!
//! The scores reflect how much evidence there was (all of them, with the lexicon thresholds the
//! rules use, are in `score.rs`); the engine drops findings under its `min_score`.
//!
//! Layout: `lists.rs` holds the word lists, `words.rs` the tokenizer, `predicates.rs` what one
//! word suggests on its own, `scan.rs` the state of one scan, `terms.rs` which unknown words are terms, `code.rs`,
//! `speakers.rs` and `citations.rs` (phase 0), `cues.rs` (phase 1),
//! `landmarks.rs` and `places.rs` (phase 2) and `runs.rs` (phases 3 and 4) the phases.
//!
//! ```
//! use std::sync::Arc;
//!
//! use scrim_core::detect::names::NameDetector;
//! use scrim_core::lexicon::Lexicon;
//! use scrim_core::{Detector, Label};
//!
//! let names = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
//! let text = "hi, my name is Maya and I live in Leeds";
//! let mut out = Vec::new();
//! names.detect(text, &mut out).unwrap();
//! assert!(out.iter().any(|f| f.label == Label::Person && &text[f.span.start()..f.span.end()] == "Maya"));
//! assert!(out.iter().any(|f| f.label == Label::Location));
//! ```

mod citations;
mod code;
mod cues;
mod landmarks;
mod lists;
mod places;
mod predicates;
mod runs;
mod scan;
mod score;
mod speakers;
mod terms;
mod words;

pub(crate) use runs::eponym_after;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::detect::Detector;
use crate::lexicon::Lexicon;
use crate::span::Finding;

use lists::{cue_index, roles, CueIndex, Roles};
use scan::Scan;
use words::words;

/// Detects PERSON, LOCATION and ORG from the word lists and context.
pub struct NameDetector {
    lexicon: Arc<Lexicon>,
    roles: Roles,
    cues: CueIndex,
}

impl std::fmt::Debug for NameDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NameDetector")
    }
}

impl NameDetector {
    /// A detector over these word lists.
    pub fn new(lexicon: Arc<Lexicon>) -> NameDetector {
        NameDetector {
            lexicon,
            roles: roles(),
            cues: cue_index(),
        }
    }

    /// Split `text` into words, then run the phases of the module documentation in order.
    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        let mut words = words(text, &self.lexicon, &self.roles);
        if words.is_empty() {
            return;
        }
        // 0. Words written as code are never names, nor are placeholders ("John Doe").
        for w in &mut words {
            w.never |= code::code_shaped(text, w) || code::abbreviation(text, w, &self.lexicon);
        }
        lists::mark_placeholders(&mut words);
        let mut scan = Scan::new(text, &words, &self.lexicon, &self.cues);
        scan.cited_authors(); // 0. Authors of reference entries.
        scan.speakers(); // 0. Speakers of a dialogue.
        scan.cues(); // 1. Cues.
        scan.places_with_region(); // 2. "Indianapolis, IN".
        scan.landmarks(); // 2. Named landmarks.
        scan.place_phrases(); // 2. Multi-word places.
        scan.proper_nouns(); // 3. Capitalised runs and 4. single words, in one pass.
        out.extend(scan.into_findings());
    }
}

/// Titles of address and roles that name no one by themselves ("Mr.", "Doc", "the Prophet",
/// "Patient" as a column heading); lowercase.
const BARE_TITLES: &[&str] = &[
    "captain",
    "doc",
    "doctor",
    "dr",
    "madam",
    "madame",
    "miss",
    "mister",
    "mr",
    "mrs",
    "ms",
    "nurse",
    "officer",
    "patient",
    "prof",
    "professor",
    "prophet",
    "reverend",
    "sergeant",
    "sir",
];

/// Whether `value` is a placeholder name of example records and forms ("John Doe", "Jane
/// Doe", "Max Mustermann"), or a bare title ("Mr.", "Mrs", "Doc"): no one in particular. The learned
/// tier's findings are held to the same lists as the rules'.
pub(crate) fn placeholder_name(value: &str) -> bool {
    let words: Vec<String> = value
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [a, b] => lists::PLACEHOLDER_NAMES.contains(&(a.as_str(), b.as_str())),
        [t] => BARE_TITLES.contains(&t.as_str()),
        _ => false,
    }
}

impl Detector for NameDetector {
    fn name(&self) -> &'static str {
        "names"
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> crate::error::Result<()> {
        self.scan(text, out);
        Ok(())
    }
}
