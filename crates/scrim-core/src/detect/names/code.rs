//! Words written as code writes identifiers: never a person's name, whatever the lists say.
//!
//! Real chat logs are full of code that no segmenter sees as a block: `max(len(x))` inside a
//! sentence, `conn.cursor()`, `user_id`, `elif`. A word is code-shaped when it touches code
//! punctuation without a space (a call `f(`, an index `x[`, a member `a.b`, a path `a::b`, an
//! assignment `x=`, an underscore), or when it is a keyword, builtin or type name of a common
//! language ([`crate::lexicon::WordInfo::code`]) written in lowercase ("elif", "varchar"), unless
//! it is also a common given name ("max", "nan": then only glued punctuation makes it code).

use super::words::{Case, Word};

/// The byte at `i`.
fn byte_at(text: &str, i: usize) -> Option<u8> {
    text.as_bytes().get(i).copied()
}

/// The byte right before `i`.
fn byte_before(text: &str, i: usize) -> Option<u8> {
    i.checked_sub(1).and_then(|j| byte_at(text, j))
}

/// Given-name weight from which a lowercase code word ("nan", "max") is left to the other
/// phases unless code punctuation is glued to it: a common given name in lowercase chat.
const CODE_OVER_NAME: u8 = 4;

/// Whether `w` (a word of `text`) is written as code.
pub(super) fn code_shaped(text: &str, w: &Word) -> bool {
    touches_code(text, w.start, w.end)
        || (w.info.code && w.case == Case::Lower && w.info.first_name < CODE_OVER_NAME)
}

/// Whether code punctuation is glued to `[start, end)` of `text`.
fn touches_code(text: &str, start: usize, end: usize) -> bool {
    let next = byte_at(text, end);
    let after = byte_at(text, end + 1);
    let prev = byte_before(text, start);
    let before = start.checked_sub(1).and_then(|i| byte_before(text, i));
    let call_or_index = matches!(next, Some(b'(' | b'[' | b'_' | b'='));
    let member = next == Some(b'.') && after.is_some_and(|b| b.is_ascii_alphabetic());
    let path = matches!(
        (next, after),
        (Some(b':'), Some(b':')) | (Some(b'-'), Some(b'>'))
    );
    let after_member = prev == Some(b'.') && before.is_some_and(|b| b.is_ascii_alphanumeric());
    let after_sigil = matches!(prev, Some(b'_' | b'$' | b'\\'))
        || matches!(
            (before, prev),
            (Some(b':'), Some(b':')) | (Some(b'-'), Some(b'>'))
        );
    call_or_index || member || path || after_member || after_sigil
}

/// Whether `w` is an abbreviation: an unknown capitalised word right before a full stop that
/// shortens a common English word ("Syst.", "Comput.", "Eng." in a citation). Names the lists know
/// never count ("Tom." stays a name).
pub(super) fn abbreviation(text: &str, w: &Word, lexicon: &crate::lexicon::Lexicon) -> bool {
    w.case == Case::Title
        && byte_at(text, w.end) == Some(b'.')
        && !is_known(w)
        && lexicon.abbreviates_word(&w.lower)
}

/// A word the lexicon knows as a name, a place or a common word.
fn is_known(w: &Word) -> bool {
    w.info.first_name > 0
        || w.info.surname > 0
        || w.info.place.is_some()
        || w.info.common_zipf > 0.0
}

#[cfg(test)]
mod tests {
    use super::touches_code;

    fn shaped(text: &str, word: &str) -> bool {
        let s = text.find(word).unwrap_or(0);
        touches_code(text, s, s + word.len())
    }

    #[test]
    fn glued_punctuation_marks_code() {
        assert!(shaped("print(max(len(x)))", "max"));
        assert!(shaped("cur = conn.cursor()", "conn"));
        assert!(shaped("cur = conn.cursor()", "cursor"));
        assert!(shaped("use std::fmt", "fmt"));
        assert!(shaped("user_id = 5", "user"));
        assert!(shaped("x=val", "x"));
        assert!(shaped("ptr->next", "next"));
        assert!(shaped("echo $HOME", "HOME"));
    }

    #[test]
    fn prose_punctuation_does_not() {
        assert!(!shaped("I met Max. He was late", "Max"));
        assert!(!shaped("Ask Maya (my sister) first", "Maya"));
        assert!(!shaped("Dr. Mehta said so", "Mehta"));
        assert!(!shaped("Hi Priya, how are you", "Priya"));
        assert!(!shaped("Jean-Luc and Zoë", "Luc"));
    }
}
