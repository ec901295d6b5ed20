//! Sensitive categories of a message (health, sex life, religion, ...), reported as tags.
//!
//! GDPR-style special categories call for special handling (a stricter review route, exclusion
//! from training), so each message gets a set of [`Category`] tags. Tags are a routing signal:
//! they err toward flagging, but should not fire on everyday words ("union", "strike", "sick").
//!
//! The tagger is a curated cue list per category (`crates/scrim-core/data/sensitive/*.txt`,
//! embedded at build time; the folder's `README.md` gives the syntax) compiled into one
//! Aho-Corasick automaton, plus a small pattern for children's ages ("my 7 year old", "7yo").
//!
//! Matching works on a folded copy of the text: lower case, Latin accents removed (`é` = `e`),
//! curly apostrophes straightened, hyphens and whitespace runs turned into one space, invisible
//! joiners (soft hyphen, zero-width space) removed. A cue matches whole words only (letters and
//! digits of every script are word characters); `cue*` matches as a word prefix; `!phrase` is an
//! exception that hides the cues inside it; a longer match hides the shorter cues it contains.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use crate::error::{Error, Result};

/// A sensitive category of personal data (after GDPR Article 9, plus children and self-harm).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Physical or mental health: diagnoses, conditions, medication, therapy, pregnancy,
    /// disability, addiction.
    Health,
    /// Sex life and sexual orientation, gender identity.
    SexLife,
    /// Religious or philosophical belief, including its absence.
    Religion,
    /// Political opinions, votes, party membership, activism.
    Politics,
    /// Racial or ethnic origin, caste, immigration status.
    Ethnicity,
    /// Trade-union membership and activity.
    UnionMembership,
    /// Children and minors: the user's own or others'.
    Children,
    /// Suicide and self-harm.
    SelfHarm,
}

impl Category {
    /// Every category, in order.
    pub const ALL: [Category; 8] = [
        Category::Health,
        Category::SexLife,
        Category::Religion,
        Category::Politics,
        Category::Ethnicity,
        Category::UnionMembership,
        Category::Children,
        Category::SelfHarm,
    ];

    /// The stable snake_case name (as serialised): `"health"`, `"sex_life"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Health => "health",
            Category::SexLife => "sex_life",
            Category::Religion => "religion",
            Category::Politics => "politics",
            Category::Ethnicity => "ethnicity",
            Category::UnionMembership => "union_membership",
            Category::Children => "children",
            Category::SelfHarm => "self_harm",
        }
    }

    /// This category's bit in a set of categories.
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no [`Category`]. Does not repeat the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown sensitive category (expected one of health, sex_life, religion, politics, ethnicity, union_membership, children, self_harm)")]
pub struct ParseCategoryError;

impl FromStr for Category {
    type Err = ParseCategoryError;

    /// Parses the snake_case name returned by [`Category::as_str`].
    fn from_str(s: &str) -> std::result::Result<Category, ParseCategoryError> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(ParseCategoryError)
    }
}

/// The bundled cue lists: category, file name for errors, contents.
const CUE_FILES: [(Category, &str, &str); 8] = [
    (
        Category::Health,
        "sensitive/health.txt",
        include_str!("../data/sensitive/health.txt"),
    ),
    (
        Category::SexLife,
        "sensitive/sex_life.txt",
        include_str!("../data/sensitive/sex_life.txt"),
    ),
    (
        Category::Religion,
        "sensitive/religion.txt",
        include_str!("../data/sensitive/religion.txt"),
    ),
    (
        Category::Politics,
        "sensitive/politics.txt",
        include_str!("../data/sensitive/politics.txt"),
    ),
    (
        Category::Ethnicity,
        "sensitive/ethnicity.txt",
        include_str!("../data/sensitive/ethnicity.txt"),
    ),
    (
        Category::UnionMembership,
        "sensitive/union_membership.txt",
        include_str!("../data/sensitive/union_membership.txt"),
    ),
    (
        Category::Children,
        "sensitive/children.txt",
        include_str!("../data/sensitive/children.txt"),
    ),
    (
        Category::SelfHarm,
        "sensitive/self_harm.txt",
        include_str!("../data/sensitive/self_harm.txt"),
    ),
];

/// Ages of children: "7 year old", "7-yr-old", "seven year olds", "7yo", "7 y/o", "3 months old".
/// Runs on folded text (lower case, hyphens as spaces). Numeric ages are checked to be under 18.
const AGE_PATTERN: &str = r"(?x)
    \b(?: (?P<n>[0-9]{1,3})
        | (?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen
            |fourteen|fifteen|sixteen|seventeen) )
      \ ?(?:years?|yrs?)\ olds?\b
  | \b(?P<m>[0-9]{1,2})\ ?(?:yo|y/o|y\.o)\b
  | \b(?:[0-9]{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few
        |couple\ of)
      \ ?(?:months?|mos|weeks?|wks?)\ olds?\b
";

/// What one distinct (folded) cue string means.
#[derive(Clone, Copy, Default)]
struct Entry {
    /// Categories of the cue as a whole word.
    exact: u8,
    /// Categories of the cue as a word prefix (`cue*`).
    prefix: u8,
    /// An exception as a whole word or phrase (`!phrase`).
    exclude_exact: bool,
    /// An exception as a prefix (`!phrase*`).
    exclude_prefix: bool,
    /// The cue begins with a word character, so the text must not have one just before it.
    start_boundary: bool,
    /// The cue ends with a word character, so a whole-word match needs a non-word character after.
    end_boundary: bool,
}

/// Tags messages with the sensitive [`Category`]s they touch.
///
/// Build it once with [`SensitiveTagger::new`] and share it: it is `Send + Sync` and tagging
/// never panics, whatever the input.
pub struct SensitiveTagger {
    automaton: AhoCorasick,
    /// Substrings one of which every child age contains: "old", then "yo", "y/o", "y.o".
    age_words: [memchr::memmem::Finder<'static>; 4],
    entries: Vec<Entry>,
    ages: Regex,
}

impl fmt::Debug for SensitiveTagger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SensitiveTagger")
            .field("cues", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl SensitiveTagger {
    /// Compiles the bundled cue lists.
    ///
    /// Fails with [`Error::Data`] if a bundled list is malformed (a test makes sure it is not),
    /// or [`Error::Pattern`] if the age pattern does not compile.
    pub fn new() -> Result<SensitiveTagger> {
        let mut cues = Cues::default();
        for (category, file, contents) in CUE_FILES {
            cues.add_file(category, file, contents)?;
        }
        // The text is folded to lowercase before the search, so the automaton need not fold
        // case; a DFA makes the overlapping search over every message fast.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(&cues.patterns)
            // Only size limits can fail here, far beyond these lists.
            .map_err(|_| Error::Data {
                file: "sensitive/*.txt",
                line: 0,
            })?;
        let ages = Regex::new(AGE_PATTERN).map_err(|source| Error::Pattern {
            name: "sensitive_child_age",
            source: Box::new(source),
        })?;
        let age_words =
            ["old", "yo", "y/o", "y.o"].map(|w| memchr::memmem::Finder::new(w).into_owned());
        Ok(SensitiveTagger {
            age_words,
            automaton,
            entries: cues.entries,
            ages,
        })
    }

    /// The sensitive categories `text` touches, sorted and without duplicates (empty if none).
    pub fn tag(&self, text: &str) -> Vec<Category> {
        let mask = self.mask(text);
        Category::ALL
            .into_iter()
            .filter(|c| mask & c.bit() != 0)
            .collect()
    }

    /// The categories of `text` as a bit set.
    fn mask(&self, text: &str) -> u8 {
        let folded = fold(text);
        let mut mask = self.cue_mask(&folded);
        if mask & Category::Children.bit() == 0 && self.has_child_age(&folded) {
            mask |= Category::Children.bit();
        }
        mask
    }

    /// Categories from the cue lists, on folded text.
    fn cue_mask(&self, folded: &str) -> u8 {
        uncontained_categories(self.hits(folded))
    }

    /// The cue and exception matches in folded text that start (and, for whole-word cues, end)
    /// at word boundaries; prefix matches reach to the end of their word.
    fn hits(&self, folded: &str) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for m in self.automaton.find_overlapping_iter(folded) {
            let Some(entry) = self.entries.get(m.pattern().as_usize()) else {
                continue;
            };
            if entry.start_boundary && char_before(folded, m.start()).is_some_and(is_word_char) {
                continue;
            }
            let whole =
                !entry.end_boundary || !char_after(folded, m.end()).is_some_and(is_word_char);
            let categories = entry.prefix | if whole { entry.exact } else { 0 };
            let exception = entry.exclude_prefix || (whole && entry.exclude_exact);
            if categories == 0 && !exception {
                continue;
            }
            let end = if whole {
                m.end()
            } else {
                word_end(folded, m.end())
            };
            hits.push(Hit {
                start: m.start(),
                end,
                categories,
                exception,
            });
        }
        hits
    }

    /// Whether folded text mentions a child's age ("my 7 year old", "3 months old").
    fn has_child_age(&self, folded: &str) -> bool {
        // Every age the pattern knows ends in "old", or is a number before "yo", "y/o" or "y.o":
        // most messages have neither, and skip the regex (whose leading "a"/"an" would otherwise
        // start a search at nearly every word).
        let hay = folded.as_bytes();
        let maybe = self.age_words[0].find(hay).is_some()
            || (hay.iter().any(u8::is_ascii_digit)
                && self.age_words[1..].iter().any(|f| f.find(hay).is_some()));
        if !maybe {
            return false;
        }
        self.ages.captures_iter(folded).any(|caps| {
            match caps.name("n").or_else(|| caps.name("m")) {
                Some(n) => n.as_str().parse::<u32>().is_ok_and(|age| age < 18),
                None => true,
            }
        })
    }
}

/// One cue or exception match in folded text.
struct Hit {
    start: usize,
    end: usize,
    categories: u8,
    exception: bool,
}

/// The categories of the hits that are neither exceptions nor inside a strictly longer hit.
fn uncontained_categories(mut hits: Vec<Hit>) -> u8 {
    // A match inside a strictly longer match (cue or exception) does not count. Sorted by
    // start, then longest first, every earlier hit starts no later than the current one, so
    // the current one is strictly contained exactly when an earlier hit (other than one with
    // the same span) reaches at least as far.
    hits.sort_unstable_by_key(|h| (h.start, Reverse(h.end)));
    let mut mask = 0u8;
    let mut reach = 0usize;
    let mut i = 0;
    while let Some(first) = hits.get(i) {
        let (start, end) = (first.start, first.end);
        let mut categories = 0u8;
        let mut exception = false;
        while let Some(h) = hits.get(i).filter(|h| h.start == start && h.end == end) {
            categories |= h.categories;
            exception |= h.exception;
            i += 1;
        }
        let contained = reach >= end;
        if !contained && !exception {
            mask |= categories;
        }
        reach = reach.max(end);
    }
    mask
}

/// The cue lists as they are read: each distinct folded cue string once, with what it means.
#[derive(Default)]
struct Cues {
    /// Where each string is in `patterns` and `entries`.
    index: HashMap<String, usize>,
    /// The strings, for the automaton.
    patterns: Vec<String>,
    /// What each string means.
    entries: Vec<Entry>,
}

impl Cues {
    /// Adds the cue lines of one category's file.
    fn add_file(&mut self, category: Category, file: &'static str, contents: &str) -> Result<()> {
        for (number, raw) in contents.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            self.add_line(category, line).ok_or(Error::Data {
                file,
                line: number + 1,
            })?;
        }
        Ok(())
    }

    /// Adds one cue line (`cue`, `cue*`, `!phrase` or `!phrase*`), and its variant without
    /// apostrophes; `None` when the line is malformed.
    fn add_line(&mut self, category: Category, line: &str) -> Option<()> {
        let (exclude, rest) = match line.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let (prefix, rest) = match rest.strip_suffix('*') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        if rest.contains(['*', '!']) {
            return None;
        }
        let cue = fold(rest);
        let mut variants = vec![cue.clone()];
        if cue.contains('\'') {
            variants.push(fold(&cue.replace('\'', "")));
        }
        for variant in variants {
            if !variant.chars().any(is_word_char) {
                return None;
            }
            let slot = self.slot(variant);
            self.entries
                .get_mut(slot)?
                .mark(category, exclude, prefix)?;
        }
        Some(())
    }

    /// The slot of a folded cue string, new if it is not known yet.
    fn slot(&mut self, variant: String) -> usize {
        if let Some(&slot) = self.index.get(&variant) {
            return slot;
        }
        let slot = self.entries.len();
        self.index.insert(variant.clone(), slot);
        let first = variant.chars().next();
        let last = variant.chars().next_back();
        self.entries.push(Entry {
            start_boundary: first.is_some_and(is_word_char),
            end_boundary: last.is_some_and(is_word_char),
            ..Entry::default()
        });
        self.patterns.push(variant);
        slot
    }
}

impl Entry {
    /// Marks the string as a cue of `category` or an exception (as a whole word, or with
    /// `prefix` as a word prefix); `None` when it would then be both a cue and an exception.
    fn mark(&mut self, category: Category, exclude: bool, prefix: bool) -> Option<()> {
        match (exclude, prefix) {
            (false, false) => self.exact |= category.bit(),
            (false, true) => self.prefix |= category.bit(),
            (true, false) => self.exclude_exact = true,
            (true, true) => self.exclude_prefix = true,
        }
        // One string is either a cue or an exception, never both.
        let is_cue = self.exact | self.prefix != 0;
        let is_exception = self.exclude_exact || self.exclude_prefix;
        (!(is_cue && is_exception)).then_some(())
    }
}

/// Whether `c` counts as part of a word: letters and digits of any script, combining accents,
/// Indic vowel signs and viramas (which are not all alphabetic), and zero-width joiners.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{0900}'..='\u{0963}'
            | '\u{0966}'..='\u{0DFF}'
            | '\u{200C}'
            | '\u{200D}')
}

/// The character ending just before byte `at`, if any.
fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at).and_then(|s| s.chars().next_back())
}

/// The character starting at byte `at`, if any.
fn char_after(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|s| s.chars().next())
}

/// The end of the word that continues at byte `at`.
fn word_end(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or_default();
    at + rest
        .chars()
        .take_while(|&c| is_word_char(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

/// The matching form of a text or cue: lower case, Latin accents removed, curly apostrophes
/// straightened, Devanagari nukta forms reduced to their base letters, invisible joiners
/// removed, and hyphens, dashes and whitespace runs collapsed to one space (none at the ends).
/// [`fold`] for ASCII text, byte by byte (the common case, several times faster).
fn fold_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for &b in text.as_bytes() {
        let b = match b {
            b'`' => b'\'',
            b'-' => b' ',
            b => b,
        };
        // `char::is_whitespace` on ASCII: tab, newline, vertical tab, form feed, return, space.
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(char::from(b.to_ascii_lowercase()));
    }
    out
}

fn fold(text: &str) -> String {
    if text.is_ascii() {
        fold_ascii(text)
    } else {
        fold_chars(text)
    }
}

/// [`fold`] for any text, character by character.
fn fold_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' | '\u{00B4}' | '`' => '\'',
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' => ' ',
            // Soft hyphen, zero-width space, word joiner, BOM, combining accents, nukta.
            '\u{00AD}'
            | '\u{200B}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{0300}'..='\u{036F}'
            | '\u{093C}' => continue,
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            out.push(base_letter(lower));
        }
    }
    out
}

/// A lower-case letter without its accent (Latin-1 and Latin Extended-A letters common in
/// Spanish, Portuguese, French, German), and Devanagari nukta letters without the nukta.
fn base_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        '\u{0958}' => '\u{0915}',
        '\u{0959}' => '\u{0916}',
        '\u{095A}' => '\u{0917}',
        '\u{095B}' => '\u{091C}',
        '\u{095C}' => '\u{0921}',
        '\u{095D}' => '\u{0922}',
        '\u{095E}' => '\u{092B}',
        '\u{095F}' => '\u{092F}',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::Category::*;
    use super::*;

    fn tagger() -> &'static SensitiveTagger {
        static TAGGER: std::sync::OnceLock<SensitiveTagger> = std::sync::OnceLock::new();
        TAGGER.get_or_init(|| SensitiveTagger::new().expect("bundled cue lists compile"))
    }

    fn has(t: &SensitiveTagger, text: &str, c: Category) -> bool {
        t.tag(text).contains(&c)
    }

    /// Every sentence in `yes` is tagged `c`; none in `no` is.
    fn check(c: Category, yes: &[&str], no: &[&str]) {
        let t = tagger();
        for s in yes {
            assert!(has(t, s, c), "{c} expected for {s:?}, got {:?}", t.tag(s));
        }
        for s in no {
            assert!(
                !has(t, s, c),
                "{c} not expected for {s:?}, got {:?}",
                t.tag(s)
            );
        }
    }

    #[test]
    fn bundled_lists_compile_and_are_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SensitiveTagger>();
        let t = SensitiveTagger::new().unwrap();
        assert!(t.entries.len() > 500);
        let debug = format!("{t:?}");
        assert!(debug.starts_with("SensitiveTagger"));
    }

    #[test]
    fn malformed_cue_lines_are_reported_with_file_and_line() {
        for (contents, want) in [
            ("# c\nsick leave\n!sick leave\n", 3),
            ("ok\na*b\n", 2),
            ("!\n", 1),
            ("--\n", 1),
            ("ok\n\n!!x\n", 3),
        ] {
            let err = Cues::default()
                .add_file(Health, "t.txt", contents)
                .unwrap_err();
            assert!(
                matches!(err, Error::Data { file: "t.txt", line } if line == want),
                "{contents:?}: {err:?}"
            );
        }
        let mut cues = Cues::default();
        cues.add_file(Health, "t.txt", "don't*\n!trans fat\nsick\n")
            .unwrap();
        cues.add_file(Religion, "u.txt", "sick\n").unwrap();
        // "don't" and "dont", the exception, and one entry for "sick" in two categories.
        assert_eq!(cues.patterns, ["don't", "dont", "trans fat", "sick"]);
        let sick = &cues.entries[3];
        assert_eq!(sick.exact, Health.bit() | Religion.bit());
    }

    #[test]
    fn category_names_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<Category>(&json).unwrap(), c);
        }
        assert_eq!("Health".parse::<Category>(), Err(ParseCategoryError));
        assert!(!ParseCategoryError.to_string().contains("Health"));
        let mut sorted = Category::ALL;
        sorted.sort();
        assert_eq!(sorted, Category::ALL);
    }

    #[test]
    fn health() {
        check(
            Health,
            &[
                "I was diagnosed with diabetes last year",
                "my therapist says I should journal",
                "She's on sertraline and it helps",
                "Is it normal to feel this depressed after chemo?",
                "we had a miscarriage in March",
                "I'm 8 weeks pregnant",
                "my ADHD makes this hard",
                "He tested HIV positive",
                "Tengo ansiedad y depresión",
                "mujhe sugar ki bimari hai",
                "my PSYCHIATRIST upped my dose",
                "how do I tell my boss about my bipolar disorder",
            ],
            &[
                "I'm sick of this traffic",
                "the great depression started in 1929",
                "can you diagnose this stack trace",
                "disable the button when loading",
                "lithium ion batteries are flammable",
                "use std::vector here",
                "retail therapy at the mall",
                "the hospitality industry",
            ],
        );
    }

    #[test]
    fn sex_life() {
        check(
            SexLife,
            &[
                "I think I'm bisexual",
                "my coworker is gay",
                "I came out as trans to my parents",
                "he keeps asking for nudes",
                "we had sex for the first time",
                "I'm nonbinary and use they/them",
                "soy lesbiana",
                "Is it ok to be bi-curious?",
            ],
            &[
                "I bought a new bicycle",
                "trans fats are bad for you",
                "use extra virgin olive oil",
                "I flew Virgin Atlantic",
                "the CSS transition is janky",
                "we need to work out the kinks in the schedule",
                "the shoes are in the closet",
            ],
        );
    }

    #[test]
    fn religion() {
        check(
            Religion,
            &[
                "As a Muslim I fast during Ramadan",
                "I go to church every Sunday",
                "We do pooja at home every morning",
                "he converted to Christianity",
                "I'm an atheist",
                "Reading the Quran tonight",
                "namaz ka time ho gaya",
                "voy a la iglesia",
            ],
            &[
                "I lent him my car",
                "the praying mantis is an insect",
                "our code is platform-agnostic",
                "that deal doesn't seem kosher... actually fine",
                "Hindustan Times reported it",
            ],
        );
    }

    #[test]
    fn politics() {
        check(
            Politics,
            &[
                "I voted for Biden",
                "my dad is a die-hard Republican",
                "I support the BJP",
                "I went to the protest downtown",
                "I'd never vote Labour",
                "the election results made me anxious",
                "voté por el PSOE",
            ],
            &[
                "play your trump card",
                "subscribe to the RSS feed",
                "we should socialise more at work",
                "the Protestant reformation",
            ],
        );
    }

    #[test]
    fn ethnicity() {
        check(
            Ethnicity,
            &[
                "as a black woman in tech",
                "I'm Latina and proud",
                "I'm Dalit and faced discrimination",
                "my family is undocumented",
                "he's an immigrant from Mexico",
                "we are Brahmins",
                "is caste still a factor in hiring",
            ],
            &[
                "I bought a black dress",
                "black coffee please",
                "the weather forecast says rain",
                "this is a POC for the new API",
                "paid with my Visa card",
            ],
        );
    }

    #[test]
    fn union_membership() {
        check(
            UnionMembership,
            &[
                "I'm a union member at the plant",
                "our union rep said no",
                "teachers are going on strike tomorrow",
                "we're trying to unionize the warehouse",
                "collective bargaining starts Monday",
                "soy afiliado al sindicato",
            ],
            &[
                "the European Union passed a law",
                "a lightning strike hit the tree",
                "strike while the iron is hot",
                "use a TypeScript union type",
                "the state of the union address",
            ],
        );
    }

    #[test]
    fn children() {
        check(
            Children,
            &[
                "my son has a fever",
                "My 7-year-old won't sleep",
                "pick up the kids at school pickup",
                "my toddler bites",
                "custody hearing next week",
                "my 3yo loves trains",
                "our daughter starts kindergarten",
                "a 2 months old baby",
                "mi hijo tiene fiebre",
                "meri beti school jaati hai",
            ],
            &[
                "my 35 year old brother",
                "a 20-year-old student",
                "baby steps toward the goal",
                "he was taken into police custody",
                "the infantry advanced",
                "my sonnet is done",
            ],
        );
    }

    #[test]
    fn self_harm() {
        check(
            SelfHarm,
            &[
                "I want to kill myself",
                "I've been having suicidal thoughts",
                "I don't want to live anymore",
                "I dont want to live",
                "I have been cutting myself again",
                "main marna chahta hoon",
                "no quiero vivir",
                "I took an overdose last year",
                "मैं आत्महत्या के बारे में सोचता हूँ",
            ],
            &[
                "the Suicide Squad movie was bad",
                "kill the process",
                "this live demo is killing me",
                "I cut myself shaving",
                "end my lease early",
                "it is 50 kms away",
            ],
        );
    }

    #[test]
    fn word_boundaries_and_prefixes() {
        let t = tagger();
        assert_eq!(t.tag("therapist"), vec![Health]);
        assert_eq!(t.tag("theRAPISTs"), vec![Health]);
        assert_eq!(t.tag("psychotherapists"), vec![Health]);
        assert_eq!(t.tag("union"), Vec::<Category>::new());
        assert_eq!(t.tag("strike"), Vec::<Category>::new());
        assert_eq!(t.tag("bisexual"), vec![SexLife]);
        assert_eq!(t.tag("bicycle"), Vec::<Category>::new());
        assert_eq!(t.tag("he was diagnosed"), vec![Health]);
        assert_eq!(t.tag("GAYLE is my friend"), Vec::<Category>::new());
        assert_eq!(t.tag("gay."), vec![SexLife]);
        assert_eq!(t.tag("(gay)"), vec![SexLife]);
        assert_eq!(t.tag("self-harm"), vec![SelfHarm]);
        assert_eq!(t.tag("self   harm"), vec![SelfHarm]);
        assert_eq!(t.tag("self\nharm"), vec![SelfHarm]);
        assert_eq!(t.tag("don’t want to live"), vec![SelfHarm]);
        assert_eq!(t.tag("DEPRESIÓN"), vec![Health]);
        assert_eq!(t.tag("depresion"), vec![Health]);
        assert_eq!(t.tag("depresio\u{301}n"), vec![Health]);
        assert_eq!(t.tag("sui\u{200B}cidal"), vec![SelfHarm]);
        // Letters of other scripts are word characters too.
        assert_eq!(t.tag("éthérapist"), Vec::<Category>::new());
        assert_eq!(t.tag("gayé"), Vec::<Category>::new());
        assert_eq!(t.tag("1gay"), Vec::<Category>::new());
        // A longer cue hides the shorter cues inside it; exceptions hide what they contain.
        assert_eq!(t.tag("a statue of the Virgin Mary"), vec![Religion]);
        assert_eq!(t.tag("trans fats"), Vec::<Category>::new());
        assert_eq!(t.tag("trans fats and trans rights"), vec![SexLife]);
    }

    #[test]
    fn multiple_categories_sorted_and_deduped() {
        let t = tagger();
        assert_eq!(
            t.tag("My son is gay and my therapist is helping me. My daughter too. Therapy!"),
            vec![Health, SexLife, Children]
        );
        assert_eq!(
            t.tag("I'm suicidal, my psychiatrist is at the mosque"),
            vec![Health, Religion, SelfHarm]
        );
        assert!(t.tag("").is_empty());
        assert!(t.tag("   ").is_empty());
        assert!(t.tag("What's the capital of France?").is_empty());
    }

    #[test]
    fn casing_emoji_and_other_scripts() {
        let t = tagger();
        assert_eq!(t.tag("MY SON 👦 IS SICK"), vec![Children]);
        assert_eq!(t.tag("🙏 prayer 🙏"), vec![Religion]);
        assert_eq!(t.tag("🏳️‍🌈gay🏳️‍🌈"), vec![SexLife]);
        assert_eq!(t.tag("मेरी बेटी को कैंसर है"), vec![Health, Children]);
        assert_eq!(t.tag("मैं नमाज़ पढ़ता हूँ"), vec![Religion]);
        for s in [
            "नमस्ते दुनिया",
            "क्या आप मेरी मदद कर सकते हैं? मुझे दवाई चाहिए",
            "ज़",
            "\u{093C}\u{094D}",
            "İİİ ǅ ß ﬁ",
            "\u{0301}gay",
            "a\u{0000}b",
            "日本語のテキスト",
            "مرحبا بالعالم",
        ] {
            let _ = t.tag(s);
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let t = tagger();
            let tags = t.tag(&s);
            let mut sorted = tags.clone();
            sorted.sort();
            sorted.dedup();
            proptest::prop_assert_eq!(tags, sorted);
        }

        #[test]
        fn never_panics_on_cue_soup(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "gay", "bi", "-", " ", "’", "é", "\u{301}", "my", "son", "7", "yo", "year",
                    "old", "trans", "fat", "*", "!", "ज़", "\u{93C}", "therapist", "s", "\n",
                ]),
                0..40,
            )
        ) {
            let _ = tagger().tag(&parts.concat());
        }
    }

    #[test]
    fn ascii_fold_agrees_with_the_general_fold() {
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let alphabet = b"aZ -`'\t\n\x0b\x0c\r.,!?0Q_x";
        for len in 0..200 {
            let s: String = (0..len)
                .map(|_| {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    char::from(alphabet[(rng % alphabet.len() as u64) as usize])
                })
                .collect();
            assert_eq!(fold_ascii(&s), fold_chars(&s), "{s:?}");
        }
    }
}
