//! The state of one scan ([`Scan`]): the words of the text, which of them a finding already
//! covers, the findings so far, and the helpers the phases share (cue matching, growing a name
//! over the words after it).

use super::lists::{CueIndex, GREETINGS};
use super::predicates::{acronym, capitalised, function_word, is_surname, never_name, wordy};
use super::words::{shouting_lines, Word};
use crate::label::Label;
use crate::lexicon::Lexicon;
use crate::rule::NameRule;
use crate::span::{Finding, Span};

/// The most words a person's name spans when grown from its first word ("Maya D. Kapoor").
pub(super) const NAME_WORDS: usize = 3;

/// One scan of one text. The phases (in `cues.rs`, `places.rs` and `runs.rs`) are methods on it
/// and run in the order the module documentation gives; a word that a finding covers is
/// *claimed*, and later phases leave it alone.
pub(super) struct Scan<'s> {
    /// The text the word offsets point into.
    text: &'s str,
    /// The words of the text, in order.
    pub(super) words: &'s [Word<'s>],
    /// Per word: its line is in ALL CAPS or Title Case Throughout ([`shouting_lines`]).
    pub(super) shouting: Vec<bool>,
    /// The word lists.
    pub(super) lexicon: &'s Lexicon,
    /// Cue phrases by their last word.
    pub(super) cues: &'s CueIndex,
    /// Findings so far.
    findings: Vec<Finding>,
    /// Per word: some finding covers it.
    claimed: Vec<bool>,
}

impl<'s> Scan<'s> {
    /// The text the words point into.
    pub(super) fn text(&self) -> &'s str {
        self.text
    }

    /// The word as written in the text.
    pub(super) fn raw(&self, w: &Word) -> &'s str {
        self.text.get(w.start..w.end).unwrap_or("")
    }

    /// A scan of `words`, the words of `text`, with nothing found yet.
    pub(super) fn new(
        text: &'s str,
        words: &'s [Word<'s>],
        lexicon: &'s Lexicon,
        cues: &'s CueIndex,
    ) -> Scan<'s> {
        Scan {
            text,
            words,
            // In ALL CAPS or Title Cased Text capitalisation says nothing about proper nouns.
            // Judged per line, so a short signature or address block ("Maha Cazares\nSpain")
            // under ordinary text keeps its capitals as evidence.
            shouting: shouting_lines(text, words),
            lexicon,
            cues,
            findings: Vec::new(),
            claimed: vec![false; words.len()],
        }
    }

    /// The findings, once every phase has run.
    pub(super) fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// Word `i`, if there is one.
    pub(super) fn word(&self, i: usize) -> Option<&'s Word<'s>> {
        self.words.get(i)
    }

    /// Whether a finding already covers word `i`.
    pub(super) fn is_claimed(&self, i: usize) -> bool {
        self.claimed.get(i).copied().unwrap_or(false)
    }

    /// Claim words `from..to` without a finding: later phases leave them alone ("Mr. Nice Guy").
    pub(super) fn claim(&mut self, from: usize, to: usize) {
        for c in self.claimed.iter_mut().take(to).skip(from) {
            *c = true;
        }
    }

    /// Record a finding over words `from..to` and claim them.
    pub(super) fn add(&mut self, from: usize, to: usize, label: Label, score: f32, why: NameRule) {
        let (Some(a), Some(b)) = (self.words.get(from), self.words.get(to.saturating_sub(1)))
        else {
            return;
        };
        if to <= from {
            return;
        }
        if let Some(span) = Span::new(self.text, a.start, b.end) {
            self.findings.push(Finding::new(span, label, score, why));
            for c in self.claimed.iter_mut().take(to).skip(from) {
                *c = true;
            }
        }
    }

    /// Record a finding over the words inside bytes `s..e` of the text (from the first word that
    /// starts there to the last that ends there) and claim them.
    pub(super) fn add_bytes(
        &mut self,
        s: usize,
        e: usize,
        label: Label,
        score: f32,
        why: NameRule,
    ) {
        let from = self.words.partition_point(|w| w.start < s);
        let to = self.words.partition_point(|w| w.end <= e);
        if to > from {
            self.add(from, to, label, score, why);
        }
    }

    /// Whether the cue phrase `cue` ends right before word `i` (not across a break, except a
    /// colon, or the comma after a one-word greeting).
    pub(super) fn cue_before(&self, i: usize, cue: &[&str]) -> bool {
        let Some(first) = i.checked_sub(cue.len()) else {
            return false;
        };
        cue.iter().enumerate().all(|(k, c)| {
            self.word(first + k)
                .is_some_and(|w| w.lower == *c && (k == 0 || !w.gap_before))
        }) && self.word(i).is_some_and(|w| {
            !w.gap_before
                || w.colon_before
                || cue.len() == 1 && cue.first().is_some_and(|c| GREETINGS.contains(c))
        })
    }

    /// Extend a name starting at word `i` over following capitalised name-like words
    /// ("Maya Kapoor"), at most `max` words; returns the end index (exclusive).
    pub(super) fn extend_name(&self, i: usize, max: usize) -> usize {
        let mut end = i + 1;
        while end < self.words.len() && end - i < max {
            let (Some(prev), Some(w)) = (self.word(end - 1), self.word(end)) else {
                break;
            };
            if w.gap_before || never_name(w) {
                break;
            }
            let both_cap = capitalised(prev)
                && capitalised(w)
                && (!wordy(w) || is_surname(w))
                && !function_word(w)
                && !acronym(w);
            let lower_pair = !capitalised(prev) && is_surname(w) && !wordy(w) && !function_word(w);
            // A middle initial between two names, in any case: "benjamin a seiler", "Iva D. Grusová".
            let initial = w.lower.chars().count() == 1
                && end + 1 - i < max
                && self.word(end + 1).is_some_and(|n| {
                    !n.gap_before && is_surname(n) && !wordy(n) && !function_word(n)
                });
            if initial {
                end += 2;
            } else if both_cap || lower_pair {
                end += 1;
            } else {
                break;
            }
        }
        end
    }
}
