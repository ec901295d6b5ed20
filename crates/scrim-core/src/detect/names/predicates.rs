//! What one word suggests on its own: a known name, a dictionary word, a function word, an
//! acronym, capitalised as a proper noun would be.

use super::score::{COMMON_WORD, FUNCTION_WORD, PROMINENT_PLACE};
use super::words::{Case, Word};
use crate::lexicon::PlaceKind;

/// A known given name.
pub(super) fn is_first(w: &Word) -> bool {
    w.info.first_name > 0
}

/// A known family name.
pub(super) fn is_surname(w: &Word) -> bool {
    w.info.surname > 0
}

/// A known given or family name.
pub(super) fn is_name(w: &Word) -> bool {
    is_first(w) || is_surname(w)
}

/// Never a name (see [`Word::never`]).
pub(super) fn never_name(w: &Word) -> bool {
    w.never
}

/// A very frequent word that is no dictionary word: a function word or slang ("an", "per",
/// "ok"), never a person's name on its own (places such as "india" are handled apart).
pub(super) fn function_word(w: &Word) -> bool {
    (!w.info.dictionary && w.info.common_zipf >= FUNCTION_WORD) || foreign_function(w)
}

/// A function word of another language ("una", "pero", "hai") written in lowercase, or opening a
/// sentence ("Mi hija Sofía", "Primero: ..."), unless it is also a prominent place ("Maine").
pub(super) fn foreign_function(w: &Word) -> bool {
    w.info.foreign_function
        && (w.case == Case::Lower
            || (w.sentence_start
                && (w.info.place_weight < PROMINENT_PLACE
                    || w.info.place == Some(PlaceKind::RegionAbbr))))
}

/// A name that can stand on its own: a known name that is neither a dictionary word nor a
/// function word.
pub(super) fn clear_name(w: &Word) -> bool {
    is_name(w) && !wordy(w) && !function_word(w)
}

/// An English dictionary word ("will", "grace", "long"): a name only with evidence.
pub(super) fn wordy(w: &Word) -> bool {
    w.info.dictionary && w.info.common_zipf >= COMMON_WORD
}

/// A short all-caps word that is no known name: an acronym ("ASMR", "TYT").
pub(super) fn acronym(w: &Word) -> bool {
    w.case == Case::Upper
        && (2..=5).contains(&w.lower.chars().count())
        // A known name or place counts as an acronym only when it is also an ordinary word.
        && (wordy(w) || (!is_name(w) && w.info.place.is_none()))
}

/// Capitalised (or all caps) as a proper noun would be.
pub(super) fn capitalised(w: &Word) -> bool {
    matches!(w.case, Case::Title | Case::Upper | Case::Mixed)
}

/// A word that could be the name after a cue.
pub(super) fn name_after_cue(w: &Word, raw: &str, strict: bool) -> bool {
    if never_name(w) || w.lower.chars().count() < 2 {
        return false;
    }
    if strict {
        // After weak cues ("I'm X"), X must look like a name, not like "tired" or "fine".
        !wordy(w) && !function_word(w) && (capitalised(w) || is_first(w))
    } else {
        // A key's value in code or config ("name: incidentType", "Section Name will be") is an
        // identifier or a sentence going on, not a name.
        let camel = w.case == Case::Mixed && raw.chars().next().is_some_and(char::is_lowercase);
        let frequent_lowercase = w.case == Case::Lower && wordy(w) && w.info.common_zipf >= 5.0;
        (capitalised(w) || is_name(w) || !wordy(w))
            && !function_word(w)
            && !camel
            && !frequent_lowercase
    }
}

/// A word no list knows and that is not common: rarer than [`COMMON_WORD`], no dictionary word,
/// not oddly cased ("iPhone") and no acronym.
pub(super) fn unknown_word(w: &Word) -> bool {
    w.info.common_zipf < COMMON_WORD
        && !w.info.dictionary
        && w.case != Case::Mixed
        && !acronym(w)
        && !foreign_function(w)
}

/// A word no list knows but the product list: a software package, product or brand ("Nginx",
/// "Kubernetes", "Coursera"), never a known given name, family name or place ("Ruby", "Julia"
/// stay names). It clears only the guesses about unknown words.
pub(super) fn product_word(w: &Word) -> bool {
    w.info.product && !is_name(w) && w.info.place.is_none()
}

/// The kind of place the word names and how prominent it is, if it is a place.
pub(super) fn place_kind_weight(w: &Word) -> Option<(PlaceKind, u8)> {
    w.info.place.map(|k| (k, w.info.place_weight))
}
