//! Phases 3 and 4, capitalised runs and single words: one pass over the words no cue or place
//! phrase claimed.

use super::predicates::{
    acronym, capitalised, clear_name, function_word, is_first, is_surname, never_name,
    place_kind_weight, product_word, unknown_word, wordy,
};
use super::scan::{Scan, NAME_WORDS};
use super::score::{
    BIG_PLACE, CAPITALISED_NAME, CAPITALISED_PLACE, CAPITALISED_WORDY_NAME, COMMON_GIVEN_NAME,
    CUED_PLACE, FULL_NAME, LOWERCASE_FIRST_NAME, LOWERCASE_FREQUENT_WORD, LOWERCASE_GIVEN_NAME,
    LOWERCASE_PLACE, NOT_COMMON, PLACE_OVER_NAME, UNKNOWN_AFTER_PLACE_CUE, UNKNOWN_OPENING,
    UNKNOWN_OPENING_RUN, UNKNOWN_PROPER_NOUN,
};
use super::terms::term_shaped;
use super::words::{Case, Word};
use crate::label::Label;
use crate::lexicon::PlaceKind;
use crate::rule::NameRule;

/// Last words of a company's name (lowercase).
const ORG_ENDINGS: &[&str] = &[
    "academy",
    "bancorp",
    "bank",
    "capital",
    "co",
    "college",
    "company",
    "corp",
    "corporation",
    "foundation",
    "gmbh",
    "group",
    "holdings",
    "inc",
    "institute",
    "llc",
    "llp",
    "ltd",
    "management",
    "partners",
    "plc",
    "technologies",
    "university",
    "ventures",
];

/// Nouns that make the name before them an eponym, not a person (lowercase).
const EPONYM_HEADS: &[&str] = &[
    "algorithm",
    "award",
    "constant",
    "disease",
    "disorder",
    "distribution",
    "effect",
    "equation",
    "law",
    "medal",
    "paradox",
    "prize",
    "principle",
    "syndrome",
    "theorem",
];

/// Whether the word right after byte `end` of `text` (on the same line, after spaces only) is a
/// noun that makes the name before it an eponym: "the Nice Guy syndrome", "Nobel Prize". For
/// findings that did not come from a run of words (the learned tier's, the consistency rule's).
pub(crate) fn eponym_after(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let next = rest.trim_start_matches([' ', '\t']);
    if next.len() == rest.len() {
        return false;
    }
    let word: String = next
        .chars()
        .take_while(|c| c.is_alphabetic())
        .take(16)
        .collect::<String>()
        .to_lowercase();
    EPONYM_HEADS.contains(&word.as_str())
}

/// The most words in a run of capitalised words.
const RUN_WORDS: usize = 4;

/// What a run or word is taken for: label, score and rule.
type Verdict = (Label, f32, NameRule);

/// Whether a place cue ("live in", "from", "to") comes right before a word.
#[derive(Debug, Clone, Copy)]
struct PlaceCue {
    /// Some place cue ends right before the word.
    after: bool,
    /// ... and it is more than a bare "in", "at", "to" or "near".
    strong: bool,
}

/// A run of capitalised words `start..end`, after leading ordinary words were stripped.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
    /// Leading ordinary words were stripped ("Producer James Sparks" → "James Sparks").
    stripped: bool,
}

impl Run {
    fn len(self) -> usize {
        self.end - self.start
    }
}

impl Scan<'_> {
    /// Phases 3 and 4, in one left-to-right pass: at each unclaimed word, a capitalised word starts
    /// a run (phase 3), any other word is judged on its own (phase 4).
    pub(super) fn proper_nouns(&mut self) {
        let mut i = 0;
        while i < self.words.len() {
            i = self.proper_noun_at(i);
        }
    }

    /// Judge word `i` (and the run it starts); returns the index of the next word to judge.
    fn proper_noun_at(&mut self, i: usize) -> usize {
        let Some(w) = self.word(i) else { return i + 1 };
        if self.is_claimed(i) || never_name(w) || w.lower.chars().count() < 2 {
            return i + 1;
        }
        let cap = capitalised(w) && !self.shouting.get(i).copied().unwrap_or(false);
        let cue = self.place_cue_before(i);
        if cap {
            self.capitalised_run(i, cue)
        } else {
            self.single_word(i, w, cue)
        }
    }

    /// The place cue right before word `i`, if any.
    fn place_cue_before(&self, i: usize) -> PlaceCue {
        let prev = i.checked_sub(1).and_then(|k| self.word(k));
        let cues = self.cues;
        let after = prev.is_some_and(|p| {
            p.cue_end
                && cues
                    .get(p.lower.as_ref())
                    .is_some_and(|e| e.place.iter().any(|c| self.cue_before(i, c)))
        });
        let strong =
            after && prev.is_some_and(|p| !matches!(p.lower.as_ref(), "in" | "at" | "to" | "near"));
        PlaceCue { after, strong }
    }

    /// Phase 3: the run of capitalised words starting at word `i`, as a place, a person or
    /// nothing; returns its end.
    fn capitalised_run(&mut self, i: usize, cue: PlaceCue) -> usize {
        let end = self.run_end(i);
        let start = self.strip_leading(i, end);
        let run = Run {
            start,
            end,
            stripped: start > i,
        };
        if self.run_is_named_thing(i, run) {
            // A company ("Melvin Capital Management") or an eponym ("the Nice Guy syndrome",
            // "Turing Award"): not a person, and no later phase may read it as one.
            self.claim(run.start, run.end);
            return end;
        }
        if !self.run_as_place(run, cue) {
            let verdict = self
                .known_name_run(run)
                .or_else(|| self.unknown_run(run, cue));
            if let Some((label, score, why)) = verdict {
                self.add(run.start, run.end, label, score, why);
            }
        }
        end
    }

    /// Whether the run names a company (it ends in a corporate word: "Melvin Capital
    /// Management", "Gamma Corp.") or is an eponym (a syndrome, law or prize named after someone:
    /// "the Nice Guy syndrome", "Nobel Prize"). `i` is where the run began before leading
    /// ordinary words were stripped.
    fn run_is_named_thing(&self, i: usize, run: Run) -> bool {
        let last = self.word(run.end.saturating_sub(1));
        let next = self
            .word(run.end)
            .filter(|n| !n.gap_before && n.case == Case::Lower);
        let multi = run.end - i >= 2;
        last.is_some_and(|w| multi && ORG_ENDINGS.contains(&w.lower.as_ref()))
            || last.is_some_and(|w| {
                // "Nobel Prize", not a shouted "REMY EFFECT".
                multi && w.case == Case::Title && EPONYM_HEADS.contains(&w.lower.as_ref())
            })
            || next.is_some_and(|n| EPONYM_HEADS.contains(&n.lower.as_ref()))
    }

    /// The end (exclusive) of the run of unclaimed capitalised words starting at word `i`.
    fn run_end(&self, i: usize) -> usize {
        let mut end = i + 1;
        while end < self.words.len() && end - i < RUN_WORDS {
            let Some(x) = self.word(end) else { break };
            if x.gap_before || self.is_claimed(end) || !capitalised(x) || never_name(x) {
                break;
            }
            end += 1;
        }
        end
    }

    /// Leading ordinary words are not part of the name: "Producer James Sparks", "Southern
    /// Hungary", "In Belgium". Returns where the run starts once they are stripped.
    fn strip_leading(&self, i: usize, end: usize) -> usize {
        let mut start = i;
        while end - start >= 2
            && self
                .word(start)
                .is_some_and(|x| self.leading_ordinary(start, x))
        {
            start += 1;
        }
        start
    }

    /// Whether word `k` (`x`) is an ordinary word to strip from the front of a run. A common given
    /// name before a surname stays ("Harry Sheppard", "Will Smith").
    fn leading_ordinary(&self, k: usize, x: &Word) -> bool {
        let given = x.info.first_name >= COMMON_GIVEN_NAME
            && !function_word(x)
            && self
                .word(k + 1)
                .is_some_and(|y| (is_surname(y) && !wordy(y)) || y.lower.chars().count() == 1);
        (wordy(x) || never_name(x) || function_word(x)) && !given
    }

    /// A single-word run that is a known place: a place that is also a name is decided by the cue,
    /// then by which list ranks it higher. Claims it and returns true if so.
    fn run_as_place(&mut self, run: Run, cue: PlaceCue) -> bool {
        let Some(w) = self.word(run.start) else {
            return false;
        };
        let Some((kind, weight)) = place_kind_weight(w).filter(|_| run.len() == 1) else {
            return false;
        };
        // A state code where an address has one counts as cued ("Springfield, OH 45501").
        let cue = PlaceCue {
            after: cue.after || (kind == PlaceKind::RegionAbbr && self.in_address(run.start)),
            ..cue
        };
        let sentence_start_only = w.sentence_start && !run.stripped;
        let name_weight = w.info.first_name.max(w.info.surname);
        // A function word opening a sentence is no place ("Of course", the town of Of aside).
        if function_word(w) && !cue.after {
            return false;
        }
        let prefer_place = cue.after
            || name_weight == 0
            || matches!(kind, PlaceKind::Country | PlaceKind::Continent)
            || weight >= name_weight + PLACE_OVER_NAME;
        let abbr_ok = kind != PlaceKind::RegionAbbr || cue.after;
        if prefer_place
            && !(wordy(w) && (sentence_start_only || !cue.after))
            && (!acronym(w) || (kind == PlaceKind::RegionAbbr && cue.after))
            && abbr_ok
        {
            let score = if cue.after {
                CUED_PLACE
            } else {
                CAPITALISED_PLACE
            };
            self.add(run.start, run.end, Label::Location, score, NameRule::Place);
            return true;
        }
        false
    }

    /// Whether the word is the key of a measurement ("Creatinine: 1.8 mg/dL", "Hematocrit:
    /// 45%"): a colon and a number right after it.
    fn measured(&self, w: &Word) -> bool {
        let rest = self.text().get(w.end..).unwrap_or("");
        rest.strip_prefix(':')
            .map(|r| r.trim_start_matches([' ', '\t']))
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == '<' || c == '>'))
    }

    /// Whether word `i` stands where a state or province code does in an address: after a
    /// town and a comma ("Albany, NY", "Richardson , TX").
    fn in_address(&self, i: usize) -> bool {
        let text = self.text();
        let Some(w) = self.word(i) else { return false };
        i.checked_sub(1)
            .and_then(|k| self.word(k))
            .filter(|p| capitalised(p))
            .and_then(|p| text.get(p.end..w.start))
            .is_some_and(|between| between == ", " || between == " , ")
    }

    /// A run that starts with a given name, or holds a clear name, is a person.
    fn known_name_run(&self, run: Run) -> Option<Verdict> {
        let w = self.word(run.start)?;
        let words = self.words.get(run.start..run.end)?;
        // A dictionary word is a name mid-sentence only if it is a common given name ("Will",
        // "Grace"), never at the start of a sentence.
        let first_is_name = is_first(w)
            && !function_word(w)
            && (!wordy(w)
                || (!w.sentence_start
                    && w.info.first_name >= COMMON_GIVEN_NAME
                    && w.case == Case::Title));
        let any_name = words.iter().any(clear_name);
        let sentence_start_only = w.sentence_start && !run.stripped && run.len() == 1;
        // A lone all-caps short word is an acronym ("IBAN", "SIM", "KYC"), even when a name is
        // spelt the same; names in capitals come in runs or shouting lines.
        let lone_acronym = run.len() == 1 && w.case == Case::Upper && w.lower.chars().count() <= 5;
        if !(first_is_name || (any_name && !sentence_start_only)) || lone_acronym {
            return None;
        }
        let score = if run.len() >= 2 && first_is_name {
            FULL_NAME
        } else if !wordy(w) {
            CAPITALISED_NAME
        } else {
            CAPITALISED_WORDY_NAME
        };
        Some((Label::Person, score, NameRule::Capitalised))
    }

    /// A run of words no list knows: a place after a strong place cue, else most often a person in
    /// chat text, with less evidence at the start of a sentence. A run of software, product or
    /// brand names ("Nginx", "Kubernetes", "Udemy") is neither.
    fn unknown_run(&self, run: Run, cue: PlaceCue) -> Option<Verdict> {
        let w = self.word(run.start)?;
        let words = self.words.get(run.start..run.end)?;
        // Middle initials inside an unknown name are no evidence against it ("Mijail C Adomo").
        let initial = |x: &Word| x.lower.chars().count() == 1 && capitalised(x);
        if !words.iter().all(|x| unknown_word(x) || initial(x))
            || w.lower.chars().count() == 1
            || words.iter().all(product_word)
            || words
                .iter()
                .any(|x| term_shaped(self.raw(x), &x.lower, self.lexicon))
        {
            return None;
        }
        let chars = w.lower.chars().count();
        if cue.strong || (cue.after && w.case == Case::Upper) {
            // After a strong place cue; or, in capitals as postal addresses write towns, after
            // any place cue ("flew to LEPPEN").
            Some((Label::Location, UNKNOWN_AFTER_PLACE_CUE, NameRule::PlaceCue))
        } else if (!w.sentence_start || run.stripped) && w.case == Case::Title {
            // An unknown proper noun in mid-sentence: most often a person in chat text. Unknown
            // words in capitals are constants, types and acronyms ("LPCWSTR", "HMODULE").
            Some((Label::Person, UNKNOWN_PROPER_NOUN, NameRule::ProperNoun))
        } else if w.sentence_start
            && run.len() == 1
            && w.case == Case::Title
            && w.info.common_zipf == NOT_COMMON
            && chars >= 3
            && !self.measured(w)
        {
            // An unknown word opening a sentence ("Tebogo is cute"): weak evidence.
            Some((Label::Person, UNKNOWN_OPENING, NameRule::UnknownOpening))
        } else if w.sentence_start
            && run.len() >= 2
            && (self.word(run.end).is_none_or(|x| x.gap_before)
                || words.iter().skip(1).any(|x| is_surname(x) && !wordy(x)))
        {
            Some((Label::Person, UNKNOWN_OPENING_RUN, NameRule::Capitalised))
        } else {
            None
        }
    }

    /// Phase 4: a lowercase (or caseless script) word, as a given name (grown over the surname
    /// after it) or a place; returns the index of the next word to judge.
    fn single_word(&mut self, i: usize, w: &Word, cue: PlaceCue) -> usize {
        if is_first(w)
            && clear_name(w)
            && w.info.first_name >= LOWERCASE_GIVEN_NAME
            && w.lower.chars().count() >= 3
            && (w.info.common_zipf < LOWERCASE_FREQUENT_WORD
                || w.info.first_name >= COMMON_GIVEN_NAME)
        {
            let end = self.extend_name(i, NAME_WORDS);
            self.add(
                i,
                end,
                Label::Person,
                LOWERCASE_FIRST_NAME,
                NameRule::LowercaseFirst,
            );
            return end;
        }
        if let Some((kind, weight)) = place_kind_weight(w) {
            let big =
                matches!(kind, PlaceKind::Country | PlaceKind::Continent) || weight >= BIG_PLACE;
            if !wordy(w) && !function_word(w) && (big || cue.after) && kind != PlaceKind::RegionAbbr
            {
                self.add(
                    i,
                    i + 1,
                    Label::Location,
                    LOWERCASE_PLACE,
                    NameRule::LowercasePlace,
                );
            }
        }
        i + 1
    }
}
