//! Splitting text into [`Word`]s: shape, lexicon entry, roles and position of each word, with an
//! ASCII fast path ([`words_ascii`]) and a general one ([`words_chars`]) that agree word for word.

use std::borrow::Cow;
use std::iter::Peekable;
use std::str::CharIndices;

use super::lists::{Roles, CUE_END, MAX_ROLE_BYTES, NEVER};
use crate::lexicon::{Lexicon, WordInfo};

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// "maya", and words in scripts without case.
    Lower,
    /// "Maya".
    Title,
    /// "MAYA" (two letters or more).
    Upper,
    /// Anything else: "McDonald", "iPhone", or no letters at all.
    Mixed,
}

/// One word of the text, with what the tokenizer and the lexicon know about it.
#[derive(Debug, Clone)]
pub(super) struct Word<'t> {
    pub(super) start: usize,
    pub(super) end: usize,
    /// The word in lowercase: borrowed from the text when it already is.
    pub(super) lower: Cow<'t, str>,
    pub(super) case: Case,
    pub(super) info: WordInfo,
    /// First word of a sentence (or of the text).
    pub(super) sentence_start: bool,
    /// A bracket, comma or other break right before (so cue phrases cannot run across it).
    pub(super) gap_before: bool,
    /// The break right before is a colon ("Name: Maya"), which cue phrases may cross.
    pub(super) colon_before: bool,
    /// Never a name ([`NEVER_NAMES`](super::lists::NEVER_NAMES), or elongated like "yasss").
    pub(super) never: bool,
    /// The last word of some cue (person, place or employer cue, relation, title or greeting): only
    /// after such a word are the cue rules worth trying.
    pub(super) cue_end: bool,
}

/// How `word` is written, judged on its letters.
pub(super) fn case_of(word: &str) -> Case {
    let mut chars = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else {
        return Case::Mixed;
    };
    let (mut any_upper, mut any_lower, mut more) = (false, false, false);
    for c in chars {
        more = true;
        any_upper |= c.is_uppercase();
        any_lower |= c.is_lowercase();
    }
    let rest_lower = !any_upper;
    let rest_upper = !any_lower;
    if first.is_lowercase() && rest_lower {
        Case::Lower
    } else if first.is_uppercase() && rest_lower {
        Case::Title
    } else if first.is_uppercase() && rest_upper && more {
        Case::Upper
    } else if !first.is_lowercase() && !first.is_uppercase() {
        // Scripts without case (Devanagari, CJK): treat as lower, i.e. needs list evidence.
        Case::Lower
    } else {
        Case::Mixed
    }
}

/// [`case_of`] for an ASCII word, byte by byte: the same answer without decoding characters.
fn case_of_ascii(word: &[u8]) -> Case {
    let mut letters = word.iter().filter(|b| b.is_ascii_alphabetic());
    let Some(first) = letters.next() else {
        return Case::Mixed;
    };
    let (mut any_upper, mut any_lower, mut more) = (false, false, false);
    for b in letters {
        more = true;
        any_upper |= b.is_ascii_uppercase();
        any_lower |= b.is_ascii_lowercase();
    }
    // An ASCII letter is either lowercase or uppercase.
    match (first.is_ascii_uppercase(), any_upper, any_lower) {
        (false, false, _) => Case::Lower,
        (true, false, _) => Case::Title,
        (true, true, false) if more => Case::Upper,
        _ => Case::Mixed,
    }
}

/// [`elongated`] for an ASCII word, byte by byte.
fn elongated_ascii(lower: &[u8]) -> bool {
    lower
        .windows(3)
        .any(|w| matches!(w, [a, b, c] if a == b && b == c))
}

/// A letter (ASCII or not), a non-ASCII digit, or a combining mark.
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphanumeric() || is_mark(c)
}

/// A combining mark of the scripts chats use.
pub(super) fn is_mark(c: char) -> bool {
    // Combining marks (Devanagari vowel signs, accents) belong to the word they follow.
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A4D | 0x0B01..=0x0B57 | 0x0B82..=0x0BD7 | 0x0C00..=0x0C56 | 0x0D00..=0x0D57 | 0x200C..=0x200D)
}

/// One word `raw` at byte `start`, with the (sentence start, gap, colon) flags before it.
pub(super) fn make_word<'t>(
    raw: &'t str,
    start: usize,
    (sentence_start, gap, colon): (bool, bool, bool),
    lexicon: &Lexicon,
    roles: &Roles,
) -> Word<'t> {
    let ascii = raw.is_ascii();
    let lower = if !ascii {
        Cow::Owned(raw.to_lowercase())
    } else if raw.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(raw.to_ascii_lowercase())
    } else {
        Cow::Borrowed(raw)
    };
    // The lists write apostrophes as `'`; chats often type `’` ("I’m").
    let info = if !ascii && lower.contains('’') {
        lexicon.word(&lower.replace('’', "'"))
    } else {
        lexicon.word(&lower)
    };
    let role = if lower.len() <= MAX_ROLE_BYTES {
        roles.get(lower.as_ref()).copied().unwrap_or(0)
    } else {
        0
    };
    let (case, long) = if ascii {
        (
            case_of_ascii(raw.as_bytes()),
            elongated_ascii(lower.as_bytes()),
        )
    } else {
        (case_of(raw), elongated(&lower))
    };
    Word {
        start,
        end: start + raw.len(),
        case,
        never: role & NEVER != 0 || long,
        cue_end: role & CUE_END != 0,
        lower,
        info,
        sentence_start,
        gap_before: gap,
        colon_before: colon,
    }
}

/// [`words`] for ASCII text, byte by byte: the same words and flags, several times faster.
pub(super) fn words_ascii<'t>(text: &'t str, lexicon: &Lexicon, roles: &Roles) -> Vec<Word<'t>> {
    let b = text.as_bytes();
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentence_start = true;
    let mut gap = false;
    let mut colon = false;
    let mut i = 0;
    while i < b.len() {
        let c = at(i);
        if c.is_ascii_alphabetic() {
            let start = i;
            let (j, has_digit) = ascii_word_end(b, i);
            if !has_digit {
                if let Some(raw) = text.get(start..j) {
                    out.push(make_word(
                        raw,
                        start,
                        (sentence_start, gap, colon),
                        lexicon,
                        roles,
                    ));
                }
            }
            sentence_start = false;
            gap = false;
            colon = false;
            i = j;
            continue;
        }
        if c.is_ascii_digit() {
            i += 1;
            while at(i).is_ascii_alphanumeric() {
                i += 1;
            }
            sentence_start = false;
            gap = true;
            continue;
        }
        if c == b'.' && middle_initial(text, &out, i) {
            // A middle initial's dot.
        } else if matches!(c, b'.' | b'!' | b'?' | b'\n' | b'"' | b':' | b';' | b'|') {
            sentence_start = true;
            gap = true;
            colon = c == b':';
        } else if !matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            gap = true;
            if !matches!(
                c,
                b',' | b'\'' | b'-' | b'(' | b')' | b'@' | b'#' | b'&' | b'/'
            ) {
                sentence_start = true;
            }
        }
        i += 1;
    }
    out
}

/// The end (exclusive) of the ASCII word whose first letter is at byte `start`, and whether
/// digits are glued to it.
fn ascii_word_end(b: &[u8], start: usize) -> (usize, bool) {
    let at = |k: usize| b.get(k).copied().unwrap_or(0);
    let mut j = start + 1;
    let mut has_digit = false;
    while j < b.len() {
        let d = at(j);
        if d.is_ascii_alphabetic() {
            j += 1;
        } else if d.is_ascii_digit() {
            has_digit = true;
            j += 1;
        } else if d == b'\'' || d == b'-' {
            // Inner apostrophe or hyphen, not a possessive (see `chars_word_end`).
            let next = at(j + 1);
            let possessive =
                d != b'-' && matches!(next, b's' | b'S') && !at(j + 2).is_ascii_alphabetic();
            if next.is_ascii_alphabetic() && !possessive {
                j += 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    (j, has_digit)
}

/// Split `text` into words, with their shape, lexicon entry and position.
pub(super) fn words<'t>(text: &'t str, lexicon: &Lexicon, roles: &Roles) -> Vec<Word<'t>> {
    if text.is_ascii() {
        return words_ascii(text, lexicon, roles);
    }
    words_chars(text, lexicon, roles)
}

/// [`words`] for any text, character by character.
pub(super) fn words_chars<'t>(text: &'t str, lexicon: &Lexicon, roles: &Roles) -> Vec<Word<'t>> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentence_start = true;
    let mut gap = false;
    let mut colon = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_word_char(c) {
            let start = i;
            let (end, has_digit) = chars_word_end(text, &mut iter, i, c);
            let Some(raw) = text.get(start..end) else {
                continue;
            };
            if !has_digit {
                let flags = (sentence_start, gap, colon);
                out.push(make_word(raw, start, flags, lexicon, roles));
            }
            sentence_start = false;
            gap = false;
            colon = false;
        } else if c.is_ascii_digit() {
            // Skip digit runs (and words glued to them).
            while let Some(&(_, d)) = iter.peek() {
                if d.is_alphanumeric() {
                    iter.next();
                } else {
                    break;
                }
            }
            sentence_start = false;
            gap = true;
        } else if c == '.' && middle_initial(text, &out, i) {
            // "Stefanie F. Schneider": the dot of a middle initial ends no sentence.
        } else if matches!(
            c,
            '.' | '!' | '?' | '\n' | '"' | '“' | '”' | ':' | ';' | '|' | '•' | '…'
        ) {
            sentence_start = true;
            gap = true;
            colon = c == ':';
        } else if !c.is_whitespace() {
            // Emoji and most punctuation also break cue phrases, and emoji start a new "sentence"
            // in chat text.
            gap = true;
            if !matches!(
                c,
                ',' | '\'' | '’' | '-' | '(' | ')' | '@' | '#' | '&' | '/'
            ) {
                sentence_start = true;
            }
        }
    }
    out
}

/// The end (exclusive) of the word whose first character `c` is at byte `start`, consuming its
/// other characters from `iter`, and whether digits are glued to it.
fn chars_word_end(
    text: &str,
    iter: &mut Peekable<CharIndices>,
    start: usize,
    c: char,
) -> (usize, bool) {
    let mut end = start + c.len_utf8();
    let mut has_digit = false;
    while let Some(&(j, d)) = iter.peek() {
        if is_word_char(d) {
            end = j + d.len_utf8();
            iter.next();
        } else if d.is_ascii_digit() {
            has_digit = true;
            end = j + 1;
            iter.next();
        } else if d == '\'' || d == '’' || d == '-' {
            // Inner apostrophe or hyphen: O'Brien, Jean-Luc (not a trailing one, and not a
            // possessive: "Maya's" is the word "Maya").
            let after = text.get(j + d.len_utf8()..).unwrap_or("");
            let mut rest = after.chars();
            let next = rest.next();
            let possessive = d != '-'
                && matches!(next, Some('s' | 'S'))
                && !rest.next().is_some_and(is_word_char);
            if next.is_some_and(is_word_char) && !possessive {
                iter.next();
                end = j + d.len_utf8();
            } else {
                break;
            }
        } else {
            break;
        }
    }
    (end, has_digit)
}

/// Whether the dot at byte `dot` closes a middle initial: a single capital letter right before it,
/// after a capitalised word on the same phrase, and a capitalised word right after ("Iva D. Grusová").
pub(super) fn middle_initial(text: &str, words: &[Word], dot: usize) -> bool {
    let Some(init) = words.last() else {
        return false;
    };
    let single = init.end == dot && init.case == Case::Title && init.lower.chars().count() == 1;
    let after_name = !init.gap_before
        && words
            .len()
            .checked_sub(2)
            .and_then(|k| words.get(k))
            .is_some_and(|p| p.case == Case::Title);
    let mut rest = text.get(dot + 1..).unwrap_or("").chars();
    let next_cap = rest.next() == Some(' ') && rest.next().is_some_and(char::is_uppercase);
    single && next_cap && (after_name || leading_initial(text, init))
}

/// Whether a one-letter word `init` followed by a dot starts a name ("[10] D. Blackburn, J.
/// Lawrence", "by W. Singhose"): it comes after a comma, a bracket or a lowercase word on the
/// same line, not first on its line (a list item: "A. Populus") and it is not the pronoun "I".
fn leading_initial(text: &str, init: &Word) -> bool {
    if init.lower == "i" {
        return false;
    }
    let before = text.get(..init.start).unwrap_or("");
    let prev = before.chars().rev().find(|c| *c != ' ' && *c != '\t');
    prev.is_some_and(|c| matches!(c, ',' | ';' | ']' | ')' | '(' | '&') || c.is_lowercase())
}

/// For each word, whether its line is written in ALL CAPS or Title Case Throughout, where
/// capitals carry no information about proper nouns.
pub(super) fn shouting_lines(text: &str, words: &[Word]) -> Vec<bool> {
    let mut out = vec![false; words.len()];
    // All caps is judged over the whole text: a shouted headline above ordinary text still has
    // proper nouns in it, while an all-caps message does not mark them.
    let caps_text = words.len() >= 3
        && words.iter().filter(|w| w.case == Case::Upper).count() * 10 >= words.len() * 7;
    let mut a = 0;
    while a < words.len() {
        // Words [a, b) share a line.
        let line_end = words
            .get(a)
            .and_then(|w| text.get(w.end..))
            .and_then(|rest| rest.find('\n'))
            .map_or(usize::MAX, |k| k + words.get(a).map_or(0, |w| w.end));
        let mut b = a + 1;
        while words.get(b).is_some_and(|w| w.start < line_end) {
            b += 1;
        }
        let line = words.get(a..b).unwrap_or(&[]);
        let title = line.len() >= 5
            && line
                .iter()
                .filter(|w| w.case != Case::Lower || w.info.dictionary)
                .all(|w| w.case != Case::Lower);
        if caps_text || title {
            for f in out.iter_mut().take(b).skip(a) {
                *f = true;
            }
        }
        a = b;
    }
    out
}

/// "yasssss", "ammm": three of the same letter in a row.
pub(super) fn elongated(lower: &str) -> bool {
    let mut prev = None;
    let mut run = 0;
    for c in lower.chars() {
        if Some(c) == prev {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 1;
            prev = Some(c);
        }
    }
    false
}

#[cfg(test)]
mod ascii_tests {
    use super::{case_of, case_of_ascii, elongated, elongated_ascii};

    /// The byte-wise shape and elongation checks agree with the general ones on ASCII words.
    #[test]
    fn ascii_shape_agrees_with_general() {
        let words = [
            "maya", "Maya", "MAYA", "M", "m", "McDonald", "iPhone", "O'Brien", "o'brien",
            "Jean-Luc", "JEAN-LUC", "A-b", "a-B", "yasss", "yass", "Aaaah", "zzz", "ab'c", "x-x-x",
            "",
        ];
        for w in words {
            assert_eq!(case_of_ascii(w.as_bytes()), case_of(w), "{w}");
            let lower = w.to_ascii_lowercase();
            assert_eq!(elongated_ascii(lower.as_bytes()), elongated(&lower), "{w}");
        }
    }
}
