//! Every score the name tier gives, and the lexicon thresholds its rules compare against, in one
//! place.
//!
//! A score says how much evidence a finding had: a cue phrase ("my name is X") is near-certain, a
//! capitalised word that no list knows is a guess. The engine drops findings under its
//! `min_score`, so moving a score across that line turns a rule on or off. Each constant names the
//! rule (the finding's `detector`, `names:...`) that uses it.

// Scores of findings, phase 1: cues.

/// `names:cue`: the name right after a person cue ("my name is X", "call me X", "I'm X").
pub(super) const CUED_NAME: f32 = 0.9;

/// `names:relation`: the name after a relation ("my daughter Maya", "my boss, Omar").
pub(super) const RELATION_NAME: f32 = 0.85;

/// `names:title`: the name after a capitalised title ("Dr. Mehta", "Mrs Kapoor").
pub(super) const TITLED_NAME: f32 = 0.85;

/// After a title, two ordinary words, the first at least this frequent in English (Zipf) is
/// an idiom ("Mr. Nice Guy", "Mr. Right"), not a name.
pub(super) const TITLE_IDIOM_ZIPF: f32 = 4.0;

/// ... and whose weight as a given or family name is under this (1..9).
pub(super) const TITLE_IDIOM_MAX_NAME: u8 = 5;

/// `names:cited-author`: an author in the author list of a numbered reference entry.
pub(super) const CITED_AUTHOR: f32 = 0.8;

/// `names:speaker`: the speaker of dialogue lines, in a text with at least two speakers.
pub(super) const SPEAKER: f32 = 0.8;

/// `names:greeting`: a lone name after a greeting or sign-off ("hi Maya", "thanks, priya").
pub(super) const GREETED_NAME: f32 = 0.8;

/// `names:org-cue`: the capitalised words after an employer or school cue ("I work at Lakeside
/// Clinic").
pub(super) const CUED_ORG: f32 = 0.75;

// Scores of findings, phase 2: multi-word places.

/// `names:landmark`: capitalised words with a landmark noun ("Banff National Park", "Lake
/// Louise").
pub(super) const LANDMARK: f32 = 0.8;

/// `names:place`: a known place, a comma and its state code or country ("Indianapolis, IN").
pub(super) const PLACE_AND_REGION: f32 = 0.85;

/// `names:place-phrase`: a multi-word place with every word capitalised ("New York").
pub(super) const PLACE_PHRASE_CAPITALISED: f32 = 0.85;

/// `names:place-phrase`: a multi-word place partly capitalised ("New york"), or a country in any
/// case ("united kingdom").
pub(super) const PLACE_PHRASE_PARTLY_CAPITALISED: f32 = 0.7;

/// `names:place-phrase`: any other multi-word place in lowercase ("los angeles").
pub(super) const PLACE_PHRASE_LOWERCASE: f32 = 0.6;

// Scores of findings, phase 3: capitalised runs.

/// `names:place`: a capitalised known place right after a place cue ("moved to Leeds").
pub(super) const CUED_PLACE: f32 = 0.85;

/// `names:place`: a capitalised known place without a cue ("Leeds is lovely").
pub(super) const CAPITALISED_PLACE: f32 = 0.75;

/// `names:capitalised`: a run of two or more capitalised words that starts with a given name
/// ("Tyler Boyd").
pub(super) const FULL_NAME: f32 = 0.85;

/// `names:capitalised`: a capitalised run with a known name that is no dictionary word ("Maya",
/// "Kapoor").
pub(super) const CAPITALISED_NAME: f32 = 0.75;

/// `names:capitalised`: a capitalised run whose first word is a name and also a dictionary word
/// ("Will", "Grace").
pub(super) const CAPITALISED_WORDY_NAME: f32 = 0.6;

/// `names:place-cue`: unknown capitalised words after a strong place cue ("I live in Xyzzyville").
pub(super) const UNKNOWN_AFTER_PLACE_CUE: f32 = 0.6;

/// `names:proper-noun`: unknown, uncommon capitalised words in mid-sentence ("talked to Tebogo").
pub(super) const UNKNOWN_PROPER_NOUN: f32 = 0.55;

/// `names:unknown-opening`: a single unknown capitalised word opening a sentence ("Tebogo is
/// cute").
pub(super) const UNKNOWN_OPENING: f32 = 0.5;

/// `names:capitalised`: a run of unknown capitalised words opening a sentence that ends the
/// clause or contains a surname ("Tebogo Mokoena.").
pub(super) const UNKNOWN_OPENING_RUN: f32 = 0.6;

// Scores of findings, phase 4: single words.

/// `names:lowercase-first`: a clear given name in lowercase ("talked to priya").
pub(super) const LOWERCASE_FIRST_NAME: f32 = 0.6;

/// `names:lowercase-place`: a large place or country in lowercase, or a place after a place cue
/// ("moving to amsterdam").
pub(super) const LOWERCASE_PLACE: f32 = 0.6;

// Thresholds on the lexicon's word frequencies (Zipf) and list ranks (1..=9).

/// Zipf frequency from which a word that is not a dictionary word is a function word or slang
/// ("an", "per", "ok"), never a name on its own.
pub(super) const FUNCTION_WORD: f32 = 5.6;

/// Zipf frequency from which a dictionary word is common enough to need evidence before it is a
/// name ("will", "grace"); capitalised words under it count as unknown.
pub(super) const COMMON_WORD: f32 = 3.0;

/// The Zipf frequency the lexicon gives a word that is not among the common English words.
pub(super) const NOT_COMMON: f32 = 0.0;

/// Given-name rank from which a name that is also a word stays a name: capitalised mid-sentence
/// ("Will"), or before a surname ("Harry Sheppard").
pub(super) const COMMON_GIVEN_NAME: u8 = 6;

/// Given-name rank from which a capitalised dictionary word after a relation is a name ("my son
/// Hunter").
pub(super) const RELATION_GIVEN_NAME: u8 = 5;

/// Zipf frequency from which a lowercase word that is also a rare given name is read as the word
/// ("among", "app"): a lowercase given name this frequent counts only when it is a common one
/// (rank [`COMMON_GIVEN_NAME`]: "john", "david").
pub(super) const LOWERCASE_FREQUENT_WORD: f32 = 4.5;

/// Given-name rank from which a clear given name counts in lowercase ("priya").
pub(super) const LOWERCASE_GIVEN_NAME: u8 = 2;

/// Place weight from which a place is prominent: a foreign function word that is also such a
/// place opening a sentence stays a candidate ("Maine").
pub(super) const PROMINENT_PLACE: u8 = 5;

/// Place weight from which a place counts in lowercase without a cue, like countries.
pub(super) const BIG_PLACE: u8 = 6;

/// How much higher a place must rank than a name spelt the same to be read as the place without a
/// cue.
pub(super) const PLACE_OVER_NAME: u8 = 2;
