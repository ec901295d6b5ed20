//! Names, places and employers from word lists and context.
//!
//! The text is split into words. Each word is looked up in the [`Lexicon`] (first names,
//! surnames, places, and how common it is as an English word), and its shape (Capitalised,
//! lowercase, ALL CAPS) and position (start of a sentence or not) are noted. Then, in order:
//!
//! 1. **Cues** decide outright: "my name is X", "call me X", "I'm X" (X a name or capitalised
//!    and not a common word), "my daughter X", "Dr. X", "hi X", sign-offs ("thanks, X"), Hinglish
//!    ("mera naam X hai") and Spanish ("me llamo X") forms make X a PERSON; "I live in X",
//!    "moved to X", "from X" make a capitalised X a LOCATION; "I work at X", "nurse at X",
//!    "goes to X" make the following capitalised words an ORG.
//! 2. **Multi-word places** ("new york", "los angeles") are matched on lowercased word n-grams.
//! 3. **Capitalised runs** in mid-sentence are proper nouns: a run that starts with or contains a
//!    known first name or surname is a PERSON (the whole run: "Tyler Boyd"); a known place is a
//!    LOCATION; an unknown, uncommon capitalised word is a PERSON with a low score.
//! 4. **Single words**: a known first name that is not a common English word is a PERSON even in
//!    lowercase ("talked to priya"); a name that is also a common word ("will", "grace") counts
//!    only when capitalised mid-sentence or after a cue. Large places and countries count in
//!    lowercase too ("moving to amsterdam").
//!
//! The scores reflect how much evidence there was; the engine drops findings under its
//! `min_score`.

use std::sync::Arc;

use crate::detect::Detector;
use crate::label::Label;
use crate::lexicon::{Lexicon, PlaceKind, WordInfo};
use crate::span::{Finding, Span};

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Title,
    Upper,
    Mixed,
}

#[derive(Debug, Clone)]
struct Word<'t> {
    start: usize,
    end: usize,
    /// The word in lowercase: borrowed from the text when it already is.
    lower: std::borrow::Cow<'t, str>,
    case: Case,
    info: WordInfo,
    /// First word of a sentence (or of the text).
    sentence_start: bool,
    /// A bracket, comma or other break right before (so cue phrases cannot run across it).
    gap_before: bool,
    /// The break right before is a colon ("Name: Maya"), which cue phrases may cross.
    colon_before: bool,
    /// Never a name ([`NEVER_NAMES`], or elongated like "yasss").
    never: bool,
    /// The last word of some cue (person, place or employer cue, relation, title or greeting): only
    /// after such a word are the cue rules worth trying.
    cue_end: bool,
}

/// Zipf frequency from which a word that is not a dictionary word is a function word or slang
/// ("an", "per", "ok"), never a name on its own.
const FUNCTION_WORD: f32 = 5.6;

/// Words that open a person cue, followed by the name ("my name is X").
const PERSON_CUES: &[&[&str]] = &[
    &["name"],
    &["full", "name"],
    &["my", "name", "is"],
    &["my", "name", "s"],
    &["my", "names"],
    &["name", "is"],
    &["name", "s"],
    &["names"],
    &["call", "me"],
    &["called"],
    &["named"],
    &["this", "is"],
    &["i", "am"],
    &["i", "m"],
    &["im"],
    &["mera", "naam"],
    &["mera", "name"],
    &["me", "llamo"],
    &["mi", "nombre", "es"],
    &["soy"],
    &["je", "m", "appelle"],
    &["ich", "bin"],
    &["ich", "heiße"],
];

/// Relations: "my daughter X", "my boss X".
const RELATIONS: &[&str] = &[
    "daughter",
    "son",
    "wife",
    "husband",
    "boyfriend",
    "girlfriend",
    "bf",
    "gf",
    "mom",
    "mum",
    "mother",
    "dad",
    "father",
    "sister",
    "brother",
    "sis",
    "bro",
    "friend",
    "bestie",
    "bff",
    "boss",
    "coworker",
    "colleague",
    "partner",
    "ex",
    "fiance",
    "fiancé",
    "fiancee",
    "fiancée",
    "cousin",
    "aunt",
    "auntie",
    "uncle",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "niece",
    "nephew",
    "kid",
    "child",
    "baby",
    "manager",
    "therapist",
    "doctor",
    "teacher",
    "roommate",
    "neighbor",
    "neighbour",
    "classmate",
    "crush",
    "stepson",
    "stepdaughter",
    "stepmom",
    "stepdad",
    "landlord",
    "tutor",
    "coach",
    "mentor",
    "supervisor",
    "bhai",
    "didi",
    "beta",
    "beti",
    "hermano",
    "hermana",
    "hijo",
    "hija",
    "amigo",
    "amiga",
    "novio",
    "novia",
    "esposo",
    "esposa",
    "mamá",
    "papá",
];

/// Titles before a name.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "madam",
    "dame",
    "lord",
    "lady",
    "uncle",
    "aunt",
    "auntie",
    "coach",
    "officer",
    "detective",
    "nurse",
    "sr",
    "sra",
    "srta",
    "shri",
    "smt",
    "ji",
];

/// Greetings and sign-offs that precede a name ("hi Maya", "thanks, Maya").
const GREETINGS: &[&str] = &[
    "hi",
    "hey",
    "hello",
    "dear",
    "thanks",
    "thank",
    "bye",
    "cheers",
    "regards",
    "love",
    "xoxo",
    "yo",
    "hola",
    "namaste",
    "congrats",
    "sincerely",
    "best",
    "morning",
    "night",
];

/// Words before a place.
const PLACE_CUES: &[&[&str]] = &[
    &["live", "in"],
    &["living", "in"],
    &["lives", "in"],
    &["moved", "to"],
    &["moving", "to"],
    &["move", "to"],
    &["based", "in"],
    &["born", "in"],
    &["grew", "up", "in"],
    &["from"],
    &["visiting"],
    &["visit"],
    &["trip", "to"],
    &["flight", "to"],
    &["flying", "to"],
    &["travel", "to"],
    &["travelling", "to"],
    &["traveling", "to"],
    &["near"],
    &["in"],
    &["at"],
    &["to"],
    &["vivo", "en"],
    &["rehta", "hoon"],
    &["rehti", "hoon"],
];

/// Cues for an employer or school.
const ORG_CUES: &[&[&str]] = &[
    &["work", "at"],
    &["work", "for"],
    &["works", "at"],
    &["works", "for"],
    &["working", "at"],
    &["working", "for"],
    &["worked", "at"],
    &["worked", "for"],
    &["employed", "at"],
    &["employed", "by"],
    &["job", "at"],
    &["intern", "at"],
    &["interning", "at"],
    &["internship", "at"],
    &["joined"],
    &["study", "at"],
    &["studies", "at"],
    &["studying", "at"],
    &["student", "at"],
    &["goes", "to"],
    &["go", "to"],
    &["graduated", "from"],
    &["attend"],
    &["attends"],
    &["nurse", "at"],
    &["engineer", "at"],
    &["teacher", "at"],
    &["manager", "at"],
    &["developer", "at"],
    &["analyst", "at"],
    &["doctor", "at"],
    &["trabajo", "en"],
];

/// Capitalised words that are never names on their own, even mid-sentence.
const NEVER_NAMES: &[&str] = &[
    // Words that follow "call me" and friends without being a name.
    "on",
    "at",
    "in",
    "to",
    "for",
    "from",
    "with",
    "by",
    "up",
    "if",
    "back",
    "later",
    "now",
    "asap",
    "soon",
    "again",
    "anytime",
    "tomorrow",
    "today",
    "tonight",
    "i",
    "i'm",
    "im",
    "i've",
    "i'll",
    "i'd",
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "so",
    "my",
    "your",
    "you",
    "he",
    "she",
    "we",
    "they",
    "it",
    "this",
    "that",
    "what",
    "who",
    "why",
    "how",
    "when",
    "where",
    "yes",
    "no",
    "ok",
    "okay",
    "lol",
    "lmao",
    "omg",
    "god",
    "jesus",
    "christ",
    "allah",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mr",
    "mrs",
    "ms",
    "dr",
    "english",
    "hindi",
    "spanish",
    "user",
    "assistant",
    "hi",
    "hey",
    "hello",
    "thanks",
    "please",
    "sorry",
    "dear",
    "tv",
    "ai",
    "http",
    "https",
    "www",
    "com",
    "re",
    "fw",
    "fwd",
    "ps",
    "etc",
    "am",
    "pm",
    "usd",
    "inr",
    "rs",
    "covid",
    "christmas",
    "diwali",
    "eid",
    "easter",
    "halloween",
    "thanksgiving",
    "ramadan",
];

fn case_of(word: &str) -> Case {
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

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // Combining marks (Devanagari vowel signs, accents) belong to the word they follow.
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963 | 0x0981..=0x0983 | 0x09BC..=0x09D7 | 0x0A01..=0x0A4D | 0x0B01..=0x0B57 | 0x0B82..=0x0BD7 | 0x0C00..=0x0C56 | 0x0D00..=0x0D57 | 0x200C..=0x200D)
}

/// The cue phrases that end in a given word, by kind: only these are tried after that word.
#[derive(Default)]
struct CuesEndingIn {
    person: Vec<&'static [&'static str]>,
    place: Vec<&'static [&'static str]>,
    org: Vec<&'static [&'static str]>,
}

type CueIndex = std::collections::HashMap<&'static str, CuesEndingIn, foldhash::fast::FixedState>;

fn cue_index() -> CueIndex {
    let mut idx = CueIndex::default();
    for (list, kind) in [(PERSON_CUES, 0), (PLACE_CUES, 1), (ORG_CUES, 2)] {
        for cue in list {
            let Some(last) = cue.last() else { continue };
            let e = idx.entry(*last).or_default();
            match kind {
                0 => e.person.push(cue),
                1 => e.place.push(cue),
                _ => e.org.push(cue),
            }
        }
    }
    idx
}

/// Word roles looked up once per word: see [`NEVER`] and [`CUE_END`].
type Roles = std::collections::HashMap<&'static str, u8, foldhash::fast::FixedState>;
/// Role bit: the word is in [`NEVER_NAMES`].
const NEVER: u8 = 1;
/// Role bit: the word ends a cue.
const CUE_END: u8 = 2;

/// The longest word (in bytes) that has a role; longer words skip the lookup.
const MAX_ROLE_BYTES: usize = 16;

fn roles() -> Roles {
    let mut r = Roles::default();
    for w in NEVER_NAMES {
        *r.entry(w).or_default() |= NEVER;
    }
    let cue_ends = PERSON_CUES
        .iter()
        .chain(PLACE_CUES)
        .chain(ORG_CUES)
        .filter_map(|c| c.last())
        .chain(RELATIONS)
        .chain(TITLES)
        .chain(GREETINGS);
    for w in cue_ends {
        *r.entry(w).or_default() |= CUE_END;
    }
    r
}

/// Split `text` into words, with their shape, lexicon entry and position.
/// One word `raw` at byte `start`, with the (sentence start, gap, colon) flags before it.
fn make_word<'t>(
    raw: &'t str,
    start: usize,
    (sentence_start, gap, colon): (bool, bool, bool),
    lexicon: &Lexicon,
    roles: &Roles,
) -> Word<'t> {
    let lower = if raw.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        std::borrow::Cow::Owned(raw.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    let info = lexicon.word(&lower);
    let role = if lower.len() <= MAX_ROLE_BYTES {
        roles.get(lower.as_ref()).copied().unwrap_or(0)
    } else {
        0
    };
    Word {
        start,
        end: start + raw.len(),
        case: case_of(raw),
        never: role & NEVER != 0 || elongated(&lower),
        cue_end: role & CUE_END != 0,
        lower,
        info,
        sentence_start,
        gap_before: gap,
        colon_before: colon,
    }
}

/// [`words`] for ASCII text, byte by byte: the same words and flags, several times faster.
fn words_ascii<'t>(text: &'t str, lexicon: &Lexicon, roles: &Roles) -> Vec<Word<'t>> {
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
            let mut j = i + 1;
            let mut has_digit = false;
            while j < b.len() {
                let d = at(j);
                if d.is_ascii_alphabetic() {
                    j += 1;
                } else if d.is_ascii_digit() {
                    has_digit = true;
                    j += 1;
                } else if d == b'\'' || d == b'-' {
                    // Inner apostrophe or hyphen, not a possessive (see `words`).
                    let next = at(j + 1);
                    let possessive = d != b'-'
                        && matches!(next, b's' | b'S')
                        && !at(j + 2).is_ascii_alphabetic();
                    if next.is_ascii_alphabetic() && !possessive {
                        j += 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
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

fn words<'t>(text: &'t str, lexicon: &Lexicon, roles: &Roles) -> Vec<Word<'t>> {
    if text.is_ascii() {
        return words_ascii(text, lexicon, roles);
    }
    words_chars(text, lexicon, roles)
}

/// [`words`] for any text, character by character.
fn words_chars<'t>(text: &'t str, lexicon: &Lexicon, roles: &Roles) -> Vec<Word<'t>> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut sentence_start = true;
    let mut gap = false;
    let mut colon = false;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_word_char(c) {
            let start = i;
            let mut end = i + c.len_utf8();
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
                    // Inner apostrophe or hyphen: O'Brien, Jean-Luc (not a trailing one, and not
                    // a possessive: "Maya's" is the word "Maya").
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

/// Whether the dot at byte `dot` closes a middle initial: a single capital letter right before it,
/// after a capitalised word on the same phrase, and a capitalised word right after ("Iva D. Grusová").
fn middle_initial(text: &str, words: &[Word], dot: usize) -> bool {
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
    single && after_name && next_cap
}

/// For each word, whether its line is written in ALL CAPS or Title Case Throughout, where
/// capitals carry no information about proper nouns.
fn shouting_lines(text: &str, words: &[Word]) -> Vec<bool> {
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

/// What a single word suggests on its own.
fn is_first(w: &Word) -> bool {
    w.info.first_name > 0
}

fn is_surname(w: &Word) -> bool {
    w.info.surname > 0
}

fn is_name(w: &Word) -> bool {
    is_first(w) || is_surname(w)
}

fn never_name(w: &Word) -> bool {
    w.never
}

/// A very frequent word that is no dictionary word: a function word or slang ("an", "per",
/// "ok"), never a person's name on its own (places such as "india" are handled apart).
fn function_word(w: &Word) -> bool {
    (!w.info.dictionary && w.info.common_zipf >= FUNCTION_WORD) || foreign_function(w)
}

/// A function word of another language ("una", "pero", "hai") written in lowercase, or opening a
/// sentence ("Mi hija Sofía", "Primero: ..."), unless it is also a prominent place ("Maine").
fn foreign_function(w: &Word) -> bool {
    w.info.foreign_function
        && (w.case == Case::Lower
            || (w.sentence_start
                && (w.info.place_weight < 5 || w.info.place == Some(PlaceKind::RegionAbbr))))
}

/// A name that can stand on its own: a known name that is neither a dictionary word nor a
/// function word.
fn clear_name(w: &Word) -> bool {
    is_name(w) && !wordy(w) && !function_word(w)
}

/// An English dictionary word ("will", "grace", "long"): a name only with evidence.
fn wordy(w: &Word) -> bool {
    w.info.dictionary && w.info.common_zipf >= 3.0
}

/// "yasssss", "ammm": three of the same letter in a row.
fn elongated(lower: &str) -> bool {
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

/// A short all-caps word that is no known name: an acronym ("ASMR", "TYT").
fn acronym(w: &Word) -> bool {
    w.case == Case::Upper
        && (2..=5).contains(&w.lower.chars().count())
        // A known name or place counts as an acronym only when it is also an ordinary word.
        && (wordy(w) || (!is_name(w) && w.info.place.is_none()))
}

/// Capitalised (or all caps) as a proper noun would be.
fn capitalised(w: &Word) -> bool {
    matches!(w.case, Case::Title | Case::Upper | Case::Mixed)
}

/// A word that could be the name after a cue.
fn name_after_cue(w: &Word, strict: bool) -> bool {
    if never_name(w) || w.lower.chars().count() < 2 {
        return false;
    }
    if strict {
        // After weak cues ("I'm X"), X must look like a name, not like "tired" or "fine".
        !wordy(w) && !function_word(w) && (capitalised(w) || is_first(w))
    } else {
        (capitalised(w) || is_name(w) || !wordy(w)) && !function_word(w)
    }
}

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

struct Out<'t> {
    text: &'t str,
    findings: Vec<Finding>,
    claimed: Vec<bool>,
}

impl Out<'_> {
    fn add(
        &mut self,
        words: &[Word],
        from: usize,
        to: usize,
        label: Label,
        score: f32,
        why: &'static str,
    ) {
        let (Some(a), Some(b)) = (words.get(from), words.get(to.saturating_sub(1))) else {
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

    /// Length of the cue phrase (in words) ending right before word `i`, if `cue` matches there.
    fn cue_before(words: &[Word], i: usize, cue: &[&str]) -> bool {
        if cue.len() > i {
            return false;
        }
        let first = i - cue.len();
        cue.iter().enumerate().all(|(k, c)| {
            words
                .get(first + k)
                .is_some_and(|w| w.lower == *c && (k == 0 || !w.gap_before))
        }) && words.get(i).is_some_and(|w| {
            !w.gap_before || w.colon_before || cue.len() == 1 && GREETINGS.contains(&cue[0])
        })
    }

    /// Extend a name starting at word `i` over following capitalised name-like words
    /// ("Maya Kapoor"); returns the end index (exclusive).
    fn extend_name(words: &[Word], i: usize, max: usize) -> usize {
        let mut end = i + 1;
        while end < words.len() && end - i < max {
            let (Some(prev), Some(w)) = (words.get(end - 1), words.get(end)) else {
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
                && words.get(end + 1).is_some_and(|n| {
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

    fn place_kind_weight(&self, w: &Word) -> Option<(PlaceKind, u8)> {
        w.info.place.map(|k| (k, w.info.place_weight))
    }

    fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        let words = words(text, &self.lexicon, &self.roles);
        if words.is_empty() {
            return;
        }
        // In ALL CAPS or Title Cased Text capitalisation says nothing about proper nouns. Judged
        // per line, so a short signature or address block ("Maha Cazares\nSpain") under ordinary
        // text keeps its capitals as evidence.
        let shouting = shouting_lines(text, &words);
        let mut o = Out {
            text,
            findings: Vec::new(),
            claimed: vec![false; words.len()],
        };
        let n = words.len();

        // 1. Cues.
        for i in 0..n {
            let Some(w) = words.get(i) else { continue };
            let Some(prev) = i.checked_sub(1).and_then(|k| words.get(k)) else {
                continue;
            };
            if !prev.cue_end {
                continue;
            }
            let ending = self.cues.get(prev.lower.as_ref());
            // Person cues.
            for cue in ending.map_or(&[][..], |e| &e.person[..]) {
                if Self::cue_before(&words, i, cue) {
                    let strict = matches!(
                        cue.first(),
                        Some(&"i") | Some(&"im") | Some(&"this") | Some(&"soy") | Some(&"ich")
                    ) || *cue == ["called"]
                        || *cue == ["named"];
                    if name_after_cue(w, strict) && !o.claimed[i] {
                        let end = Self::extend_name(&words, i, 3);
                        o.add(&words, i, end, Label::Person, 0.9, "names:cue");
                    }
                }
            }
            if o.claimed[i] {
                continue;
            }
            // Relations: "my daughter Maya", "my boss, Omar".
            if i >= 2 {
                if let (Some(my), Some(rel)) = (words.get(i - 2), words.get(i - 1)) {
                    if matches!(
                        my.lower.as_ref(),
                        "my" | "our" | "his" | "her" | "mera" | "meri" | "mi"
                    ) && RELATIONS.contains(&rel.lower.as_ref())
                        && (capitalised(w)
                            && !never_name(w)
                            && (!wordy(w) || w.info.first_name >= 5)
                            || is_first(w) && !wordy(w))
                    {
                        let end = Self::extend_name(&words, i, 3);
                        o.add(&words, i, end, Label::Person, 0.85, "names:relation");
                        continue;
                    }
                }
            }
            // Titles: "Dr. Mehta".
            if i >= 1 {
                if let Some(t) = words.get(i - 1) {
                    if TITLES.contains(&t.lower.as_ref())
                        && capitalised(t)
                        && capitalised(w)
                        && !never_name(w)
                    {
                        let end = Self::extend_name(&words, i, 3);
                        o.add(&words, i, end, Label::Person, 0.85, "names:title");
                        continue;
                    }
                }
            }
            // Greetings: "hi Maya", "thanks, priya".
            if i >= 1 {
                if let Some(g) = words.get(i - 1) {
                    let next_is_break = words.get(i + 1).is_none_or(|x| x.gap_before);
                    if GREETINGS.contains(&g.lower.as_ref())
                        && next_is_break
                        && (is_first(w) && !wordy(w) || capitalised(w) && !wordy(w))
                        && !never_name(w)
                    {
                        o.add(&words, i, i + 1, Label::Person, 0.8, "names:greeting");
                        continue;
                    }
                }
            }
            // Employers and schools: "I work at Lakeside Clinic".
            for cue in ending.map_or(&[][..], |e| &e.org[..]) {
                if Self::cue_before(&words, i, cue) && capitalised(w) && !never_name(w) {
                    let mut end = i + 1;
                    while end < n && end - i < 5 {
                        let Some(x) = words.get(end) else { break };
                        let joiner = matches!(x.lower.as_ref(), "of" | "for" | "and" | "de" | "&");
                        if x.gap_before || !(capitalised(x) || joiner) {
                            break;
                        }
                        end += 1;
                    }
                    // Do not end on a joiner.
                    while end > i + 1 && words.get(end - 1).is_some_and(|x| !capitalised(x)) {
                        end -= 1;
                    }
                    o.add(&words, i, end, Label::Org, 0.75, "names:org-cue");
                    break;
                }
            }
        }

        // 2. Multi-word places on lowercased n-grams.
        let max_words = self.lexicon.max_place_words().min(5);
        let mut i = 0;
        while i < n {
            let mut matched = 0;
            let longest = usize::from(words[i].info.phrase_start).min(max_words);
            for len in (2..=longest).rev() {
                if i + len > n || (i..i + len).any(|k| o.claimed[k]) {
                    continue;
                }
                if (i + 1..i + len).any(|k| words[k].gap_before) {
                    continue;
                }
                let phrase: Vec<&str> =
                    words[i..i + len].iter().map(|w| w.lower.as_ref()).collect();
                let phrase = phrase.join(" ");
                if let Some(kind) = self.lexicon.phrase_place(&phrase) {
                    let cap = words[i..i + len].iter().filter(|w| capitalised(w)).count();
                    let score = if cap == len {
                        0.85
                    } else if cap > 0 || kind == PlaceKind::Country {
                        0.7
                    } else {
                        0.6
                    };
                    o.add(
                        &words,
                        i,
                        i + len,
                        Label::Location,
                        score,
                        "names:place-phrase",
                    );
                    matched = len;
                    break;
                }
            }
            i += matched.max(1);
        }

        // 3 and 4. Capitalised runs and single words.
        let mut i = 0;
        while i < n {
            if o.claimed[i] {
                i += 1;
                continue;
            }
            let w = &words[i];
            if never_name(w) || w.lower.chars().count() < 2 {
                i += 1;
                continue;
            }
            let cap = capitalised(w) && !shouting.get(i).copied().unwrap_or(false);
            // Place cue right before this word?
            let after_place_cue = i >= 1
                && words[i - 1].cue_end
                && self
                    .cues
                    .get(words[i - 1].lower.as_ref())
                    .is_some_and(|e| e.place.iter().any(|c| Self::cue_before(&words, i, c)));
            let strong_place_cue = after_place_cue
                && i >= 1
                && !matches!(words[i - 1].lower.as_ref(), "in" | "at" | "to" | "near");
            if cap {
                // A run of capitalised words.
                let mut end = i + 1;
                while end < n && end - i < 4 {
                    let x = &words[end];
                    if x.gap_before || o.claimed[end] || !capitalised(x) || never_name(x) {
                        break;
                    }
                    end += 1;
                }
                // Leading ordinary words are not part of the name: "Producer James Sparks",
                // "Southern Hungary", "In Belgium".
                let mut s0 = i;
                // A common given name before a surname stays ("Harry Sheppard", "Will Smith").
                while end - s0 >= 2 && {
                    let x = &words[s0];
                    let given = x.info.first_name >= 6
                        && !function_word(x)
                        && words.get(s0 + 1).is_some_and(|y| {
                            (is_surname(y) && !wordy(y)) || y.lower.chars().count() == 1
                        });
                    (wordy(x) || never_name(x) || function_word(x)) && !given
                } {
                    s0 += 1;
                }
                let stripped = s0 > i;
                i = s0;
                let w = &words[i];
                let run = &words[i..end];
                // A dictionary word is a name mid-sentence only if it is a common given name
                // ("Will", "Grace"), never at the start of a sentence.
                let first_is_name = is_first(w)
                    && !function_word(w)
                    && (!wordy(w)
                        || (!w.sentence_start && w.info.first_name >= 6 && w.case == Case::Title));
                let any_name = run.iter().any(clear_name);
                let place = if end - i == 1 {
                    self.place_kind_weight(w)
                } else {
                    None
                };
                let run_unknown = run.iter().all(|x| {
                    x.info.common_zipf < 3.0
                        && !x.info.dictionary
                        && x.case != Case::Mixed
                        && !acronym(x)
                });
                let sentence_start_only = w.sentence_start && !stripped && end - i == 1;
                let ends_clause = words.get(end).is_none_or(|x| x.gap_before);
                if let Some((kind, weight)) = place {
                    // A place that is also a name: decide by cue, then by which list ranks it higher.
                    let name_weight = w.info.first_name.max(w.info.surname);
                    let prefer_place = after_place_cue
                        || name_weight == 0
                        || matches!(kind, PlaceKind::Country | PlaceKind::Continent)
                        || weight >= name_weight + 2;
                    let abbr_ok = kind != PlaceKind::RegionAbbr || after_place_cue;
                    if prefer_place
                        && !(wordy(w) && (sentence_start_only || !after_place_cue))
                        && (!acronym(w) || (kind == PlaceKind::RegionAbbr && after_place_cue))
                        && abbr_ok
                    {
                        let score = if after_place_cue { 0.85 } else { 0.75 };
                        o.add(&words, i, end, Label::Location, score, "names:place");
                        i = end;
                        continue;
                    }
                }
                // A lone all-caps short word is an acronym ("IBAN", "SIM", "KYC"), even when a
                // name is spelt the same; names in capitals come in runs or shouting lines.
                let lone_acronym =
                    end - i == 1 && w.case == Case::Upper && w.lower.chars().count() <= 5;
                if (first_is_name || (any_name && !sentence_start_only)) && !lone_acronym {
                    let score = if end - i >= 2 && first_is_name {
                        0.85
                    } else if !wordy(w) {
                        0.75
                    } else {
                        0.6
                    };
                    o.add(&words, i, end, Label::Person, score, "names:capitalised");
                } else if strong_place_cue && run_unknown {
                    o.add(&words, i, end, Label::Location, 0.6, "names:place-cue");
                } else if (!w.sentence_start || stripped)
                    && run_unknown
                    && (w.case == Case::Title || w.lower.chars().count() > 5)
                {
                    // An unknown proper noun in mid-sentence: most often a person in chat text.
                    o.add(&words, i, end, Label::Person, 0.55, "names:proper-noun");
                } else if w.sentence_start
                    && end - i == 1
                    && run_unknown
                    && w.case == Case::Title
                    && w.info.common_zipf == 0.0
                    && w.lower.chars().count() >= 3
                {
                    // An unknown word opening a sentence ("Tebogo is cute"): weak evidence.
                    o.add(&words, i, end, Label::Person, 0.5, "names:unknown-opening");
                } else if w.sentence_start
                    && end - i >= 2
                    && run_unknown
                    && (ends_clause || run.iter().skip(1).any(|x| is_surname(x) && !wordy(x)))
                {
                    o.add(&words, i, end, Label::Person, 0.6, "names:capitalised");
                }
                i = end;
                continue;
            }
            // Lowercase (or caseless script) single words.
            if is_first(w)
                && clear_name(w)
                && w.info.first_name >= 2
                && w.lower.chars().count() >= 3
            {
                let end = Self::extend_name(&words, i, 3);
                o.add(&words, i, end, Label::Person, 0.6, "names:lowercase-first");
                i = end;
                continue;
            }
            if let Some((kind, weight)) = self.place_kind_weight(w) {
                let big = matches!(kind, PlaceKind::Country | PlaceKind::Continent) || weight >= 6;
                if !wordy(w)
                    && !function_word(w)
                    && (big || after_place_cue)
                    && kind != PlaceKind::RegionAbbr
                {
                    o.add(
                        &words,
                        i,
                        i + 1,
                        Label::Location,
                        0.6,
                        "names:lowercase-place",
                    );
                }
            }
            i += 1;
        }
        out.extend(o.findings);
    }
}

impl Detector for NameDetector {
    fn name(&self) -> &'static str {
        "names"
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) {
        self.scan(text, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_with_positions() {
        let lex = Lexicon::builtin().unwrap();
        let t = "hi Maya! I'm O'Brien, from São Paulo 😀 ok";
        let ws = words(t, &lex, &roles());
        let got: Vec<&str> = ws.iter().map(|w| &t[w.start..w.end]).collect();
        assert_eq!(
            got,
            vec!["hi", "Maya", "I'm", "O'Brien", "from", "São", "Paulo", "ok"]
        );
        assert!(ws[0].sentence_start);
        assert!(!ws[1].sentence_start);
        assert!(ws[2].sentence_start);
        assert_eq!(ws[1].case, Case::Title);
        assert!(ws[7].sentence_start, "after emoji");
    }

    #[test]
    fn never_panics_on_odd_text() {
        let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
        for t in [
            "",
            "'",
            "-a-",
            "my name is",
            "मेरा नाम प्रिया है",
            "ÀÉ ÎÕ",
            "a\u{301}b",
            "I'm",
            "hi ,",
        ] {
            let mut out = Vec::new();
            d.detect(t, &mut out);
            for f in out {
                assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
            }
        }
    }

    fn persons(t: &str) -> Vec<&str> {
        let d = NameDetector::new(Arc::new(Lexicon::builtin().unwrap()));
        let mut out = Vec::new();
        d.detect(t, &mut out);
        out.iter()
            .filter(|f| f.label == Label::Person)
            .map(|f| &t[f.span.start()..f.span.end()])
            .collect()
    }

    #[test]
    fn lone_acronyms_are_not_names() {
        for t in [
            "just send me the IBAN and the SIM details",
            "is the KYC done for Maya yet?",
        ] {
            let p = persons(t);
            assert!(
                !p.iter().any(|x| x.chars().all(|c| c.is_ascii_uppercase())),
                "{t}: {p:?}"
            );
        }
        assert!(persons("is the KYC done for Maya yet?").contains(&"Maya"));
    }

    #[test]
    fn middle_initials_stay_inside_the_name() {
        assert_eq!(
            persons("Stefanie F. Schneider is the keynote speaker"),
            vec!["Stefanie F. Schneider"]
        );
        assert_eq!(
            persons("Name: Chise T. Horiguchi"),
            vec!["Chise T. Horiguchi"]
        );
        // A sentence that ends in a capital letter still ends there.
        assert!(persons("We chose plan B. Then Maya left").contains(&"Maya"));
        assert!(!persons("We chose plan B. Then Maya left")
            .iter()
            .any(|p| p.contains("B.")));
    }

    #[test]
    fn signature_blocks_keep_their_capitals() {
        // Title-cased address lines below a name do not make the name look like a headline.
        let t = "Maha Cazares\n\nChiclana de la Frontera\nSpain";
        assert_eq!(persons(t), vec!["Maha Cazares"]);
        // A common given name that is also a word stays before a surname.
        assert_eq!(
            persons("Harry Sheppard\n\n515 Gemsbok St"),
            vec!["Harry Sheppard"]
        );
    }

    #[test]
    fn role_words_fit_the_length_limit() {
        for w in roles().keys() {
            assert!(w.len() <= MAX_ROLE_BYTES, "{w}");
        }
    }

    #[test]
    fn ascii_words_agree_with_the_general_tokenizer() {
        let lex = Lexicon::builtin().unwrap();
        let roles = roles();
        let key = |w: &Word| {
            (
                w.start,
                w.end,
                w.lower.to_string(),
                w.case,
                w.sentence_start,
                w.gap_before,
                w.colon_before,
                w.never,
                w.cue_end,
            )
        };
        let pieces = [
            "Maya",
            "maya's",
            "O'Brien",
            "jean-luc",
            " ",
            "  ",
            ". ",
            "F. ",
            "A.",
            "-",
            "'",
            "'s",
            "s",
            "42",
            "4B",
            "x2",
            ":",
            "\n",
            "!",
            "?",
            "\"",
            ",",
            "(",
            ")",
            "@",
            "#",
            "/",
            "&",
            "*",
            "my name is ",
            "call me ",
            "USA",
            "the",
            "Dr",
            "\t",
            "yasss",
            "Hi",
            "lol",
        ];
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..400 {
            let t: String = (0..len % 40)
                .map(|_| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    pieces[(rng % pieces.len() as u64) as usize]
                })
                .collect();
            let a: Vec<_> = words_ascii(&t, &lex, &roles).iter().map(key).collect();
            let b: Vec<_> = words_chars(&t, &lex, &roles).iter().map(key).collect();
            assert_eq!(a, b, "{t:?}");
        }
    }
}
