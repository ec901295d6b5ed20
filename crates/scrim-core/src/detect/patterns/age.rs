//! AGE: a person's age in years, 0–120. The span is the number only.
//!
//! Forms: "I'm 34" / "i am 34" / "im 34" (only when the phrase ends there or goes on with "now",
//! "years", "and", ...; never "I'm 34 minutes late" or "I'm 5'11"), "34 yo", "34 y/o",
//! "34 years old", "34-year-old", "aged 34", "in her 40s", "age: 34", "turned 34", "my son is 7",
//! "she's 7" (only before "years"/"yo" or the end of a sentence), Reddit "M/34", "34M", "34/F",
//! Hinglish "meri age 25 hai", "main 25 saal ka hoon", Spanish "tengo 34 años", "una mujer de 45
//! años", "Juan, 45 años, Sevilla", Hindi "मेरी उम्र २५ साल है", "मैं 25 साल का हूँ" (ASCII or
//! Devanagari digits), French "j'ai 30 ans", German "35 Jahre alt", "ich bin 35", Italian "ho 27
//! anni", Portuguese "tenho 30 anos".
//!
//! A number of years alone is not an age: "hace 34 años", "il y a 30 ans", "25 saal pehle",
//! "seit 35 Jahren" are times ago or durations, so every rule needs a person word or a verb of
//! having ("tengo", "j'ai", "ho") or a clause of its own ("Juan, 45 años,").

use regex::{Captures, Regex};

use super::score::age::{CUED_AGE, GLUED_TAG_AGE, STATED_AGE, TAGGED_AGE};
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Age;

/// Words that may follow "I'm 34" and keep it an age.
const AFTER_OK: &[&str] = &[
    "already",
    "and",
    "btw",
    "but",
    "f",
    "female",
    "from",
    "girl",
    "guy",
    "haha",
    "hahaha",
    "lmao",
    "lol",
    "m",
    "male",
    "man",
    "myself",
    "n",
    "next",
    "now",
    "old",
    "so",
    "soon",
    "this",
    "tho",
    "though",
    "today",
    "tomorrow",
    "too",
    "woman",
    "y",
    "year",
    "years",
    "yesterday",
    "yo",
    "yr",
    "yrs",
    "with",
    "in",
    "on",
    "last",
    "turning",
    "going",
    "living",
    "hai",
    "h",
    "he",
    "hoon",
    "hu",
    "hun",
    "hai.",
    "saal",
    "sal",
    "ki",
    "ka",
];

/// Words after "she's 7" that keep it an age (stricter than [`AFTER_OK`]).
const AFTER_PRONOUN_OK: &[&str] = &[
    "and", "btw", "now", "old", "too", "year", "years", "yo", "yr", "yrs", "already",
];

/// Words after "34M" that make it a quantity ("34M views"), not a Reddit age/gender tag.
const QUANTITY_AFTER: &[&str] = &[
    "budget",
    "dollars",
    "downloads",
    "followers",
    "in",
    "members",
    "of",
    "people",
    "plays",
    "revenue",
    "rows",
    "streams",
    "subs",
    "subscribers",
    "usd",
    "users",
    "views",
    "worth",
    "records",
    "bucks",
    "rupees",
    "euros",
    "pounds",
    "net",
    "per",
    "a",
    "the",
    "km",
    "miles",
];

/// Family and partner words after "my" ("my son is 7"), as a regex alternation.
const KIN: &str = "son|daughter|kid|kiddo|child|baby|brother|sister|bro|sis|mom|mum|mother|dad|father|husband|wife|\
boyfriend|girlfriend|bf|gf|fiance|fianc(?:e|é)e?|grandma|grandpa|grandmother|grandfather|granny|nephew|niece|cousin|\
friend|bestie|partner|boy|girl|toddler|twins|stepson|stepdaughter|hubby|spouse";

/// The age rules, each with what may follow the number: `{b}` is an ASCII word boundary, `{n}` the
/// number (the `n` group), `{kin}` [`KIN`].
const RULES: &[(&str, Follow)] = &[
    (
        r"(?i-u){b}(?:i'?m|i’m|i\s+am|im|i\s+was)\s+{n}{b}",
        Follow::Loose,
    ),
    (
        r"(?i-u){b}{n}\s*(?:-\s*)?(?:yo|y/o|y\.o\.?|yrs?\.?\s*old|years?\s*old|years?-old|yr-old|years?\s+of\s+age|yrs?\s+of\s+age){b}",
        Follow::Any,
    ),
    (
        r"(?i-u){b}{n}\s*(?:saal|sal|sala|varsh|baras)\s+(?:ka|ki|ke|kaa|kii)(?-u:\b)",
        Follow::Any,
    ),
    (
        r"(?i-u){b}(?:main|mai|mein|me)\s+{n}\s*(?:saal|sal|years?)(?-u:\b)",
        Follow::Any,
    ),
    (
        r"(?i-u){b}(?:tengo|tiene|tienes|tenía|tenia|cumplí|cumpli|cumplo|cumple|cumplió)\s+{n}\s+a(?:ñ|n)os{b}",
        Follow::Any,
    ),
    (
        r"(?i-u){b}(?:aged|age|ages|umar|umr|umra|edad|alter|(?u:età)|eta|(?u:âge)|idade)\s*(?:is|:|=|-|of|hai|h)?\s*{n}{b}",
        Follow::Loose,
    ),
    (r"(?i-u){b}{n}\s+a(?:ñ|n)os\s+de\s+edad{b}", Follow::Any),
    (
        r"(?i-u){b}(?:hombre|mujer|chico|chica|niño|niña|nino|nina|joven|señor|señora|senor|senora|paciente|persona|bebé|bebe|hijo|hija|muchacho|muchacha)\s+de\s+{n}\s+a(?:ñ|n)os{b}",
        Follow::Any,
    ),
    (
        r"(?i-u){b}a\s+(?:los|mis|sus|tus)\s+{n}\s+a(?:ñ|n)os{b}",
        Follow::Any,
    ),
    (
        r"(?i-u)(?:^|[,(]\s*){n}\s+(?:a(?:ñ|n)os|ans|anni|anos|jahre|saal|sal){b}",
        Follow::Clause,
    ),
    (
        r"(?i-u){b}(?:j'ai|(?u:j’ai)|il\s+a|elle\s+a|tu\s+as|vous\s+avez|(?u:âgée?)\s+de|agee?\s+de)\s+{n}\s+ans{b}",
        Follow::Any,
    ),
    (r"(?i-u){b}{n}\s*(?:jahre|jahren)\s+alt{b}", Follow::Any),
    (r"(?i-u){b}{n}\s*-?\s*(?u:jährige?[rnsm]?){b}", Follow::Any),
    (r"(?i-u){b}ich\s+bin\s+{n}{b}", Follow::Loose),
    (
        r"(?i-u){b}(?:ho|hai|ha|abbiamo|avevo|aveva|compio|compie|compiuto|tenho|tem|tens|completei|completo|fiz)\s+{n}\s+an(?:ni|os){b}",
        Follow::Any,
    ),
    (r"(?:उम्र|उमर|आयु)\s*(?:है|:|-)?\s*{nd}", Follow::Any),
    (r"{nd}\s*(?:साल|वर्ष|बरस)\s+(?:का|की|के)", Follow::Any),
    (r"(?:मैं|मै)\s+{nd}\s*(?:साल|वर्ष|बरस)", Follow::Any),
    (
        r"(?i-u){b}(?:turned|turning|turns|turn|just\s+turned|will\s+be|gonna\s+be|going\s+to\s+be)\s+{n}{b}",
        Follow::Loose,
    ),
    (
        r"(?i-u){b}(?:my|our|his|her|their|meri|mera|mere)\s+(?:little\s+|baby\s+|elder\s+|older\s+|younger\s+|big\s+|eldest\s+|youngest\s+|oldest\s+)?(?:{kin})\s+(?:is|was|'s|’s|just\s+turned|turned|is\s+turning|will\s+be|turns)\s+{n}{b}",
        Follow::Loose,
    ),
    (
        r"(?i-u){b}(?:she|he|they)(?:'s|’s|\s+is|\s+was|\s+are|\s+just\s+turned|\s+turned)\s+{n}{b}",
        Follow::Strict,
    ),
    // A decade of someone's life: "a woman in her 40s", "in my early 30s" (the number only).
    (
        r"(?i-u){b}in\s+(?:his|her|their|my|your|our)\s+(?:early\s+|mid\s*-?\s*|late\s+)?(?P<n>[1-9]0)'?s{b}",
        Follow::Any,
    ),
];

/// Age detection.
pub(crate) struct Age {
    /// `(regex, follow rule)`: the number is the `n` group.
    rules: Vec<(Regex, Follow, usize)>,
    reddit: (Regex, usize),
}

/// What may come right after the number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Follow {
    /// Anything (the pattern itself says "years old", "yo", "años", ...).
    Any,
    /// End, punctuation, or a word from [`AFTER_OK`].
    Loose,
    /// End, sentence punctuation, or a word from [`AFTER_PRONOUN_OK`].
    Strict,
    /// The whole match is a clause of its own: end, a line break or punctuation after it
    /// ("Juan, 45 años, de Sevilla").
    Clause,
}

impl Age {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Age> {
        let n = r"(?P<n>[0-9]{1,3})";
        // ASCII or Devanagari digits, for rules with Hindi words (no ASCII `\b` there).
        let nd = r"(?P<n>(?u:[0-9०-९]){1,3})";
        let b = r"(?-u:\b)";
        let mut compiled = Vec::with_capacity(RULES.len());
        for (p, f) in RULES {
            let p = p
                .replace("{kin}", KIN)
                .replace("{b}", b)
                .replace("{nd}", nd)
                .replace("{n}", n);
            let (re, gi) = g.regex("age", &p)?;
            compiled.push((re, *f, gi));
        }
        Ok(Age {
            rules: compiled,
            reddit: g.regex(
                "age.reddit",
                r"(?-u:\b)(?:(?P<n1>[0-9]{2})\s?(?P<g1>[MFmf])|(?P<g2>[MFmf])\s?/\s?(?P<n2>[0-9]{2})|(?P<n3>[0-9]{2})\s?/\s?(?P<g3>[MFmf]))(?-u:\b)",
            )?,
        })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        let from = out.len();
        for w in windows {
            let (ws, we) = (w.s, w.e);
            for (re, follow, gi) in &self.rules {
                if !w.hit(*gi) {
                    continue;
                }
                util::each_captures(re, text, ws, we, |c| {
                    let Some(n) = c.name("n") else { return };
                    if !age_ok(n.as_str())
                        || glued(text, n.start(), n.end())
                        || nobodys_age(text, n.start(), n.end())
                    {
                        return;
                    }
                    let ok = match follow {
                        Follow::Any => {
                            !util::char_before(text, n.start()).is_some_and(char::is_numeric)
                        }
                        Follow::Clause => c.get(0).is_some_and(|m| {
                            clause_end(text, m.end()) && named_before(text, m.start())
                        }),
                        Follow::Loose => follows_ok(text, n.end(), AFTER_OK, false),
                        Follow::Strict => follows_ok(text, n.end(), AFTER_PRONOUN_OK, true),
                    };
                    if ok {
                        let score = if *follow == Follow::Any {
                            STATED_AGE
                        } else {
                            CUED_AGE
                        };
                        util::push(out, text, (n.start(), n.end()), FAM, None, score);
                    }
                });
            }
            if w.hit(self.reddit.1) {
                util::each_captures(&self.reddit.0, text, ws, we, |c| {
                    self.reddit_hit(text, c, out)
                });
            }
        }
        util::drop_contained(out, from);
    }

    fn reddit_hit(&self, text: &str, c: &Captures<'_>, out: &mut Vec<Finding>) {
        let Some(m) = c.get(0) else { return };
        let n = c.name("n1").or(c.name("n2")).or(c.name("n3"));
        let g = c.name("g1").or(c.name("g2")).or(c.name("g3"));
        let (Some(n), Some(g)) = (n, g) else { return };
        let Some(v) = util::num(n.as_str()) else {
            return;
        };
        if !(13..=99).contains(&v) {
            return;
        }
        let before = util::char_before(text, m.start());
        let after = util::char_after(text, m.end());
        if matches!(
            before,
            Some('$' | '€' | '£' | '₹' | '.' | ',' | '-' | '+' | '/' | ':' | '#')
        ) {
            return;
        }
        if matches!(after, Some('/' | '.' | ',' | ':' | '-'))
            && util::byte_at(text, m.end() + 1).is_some_and(|b| b.is_ascii_digit())
        {
            return;
        }
        let bracketed = matches!(before, Some('(' | '[')) && matches!(after, Some(')' | ']'));
        let slash = c.name("n1").is_none();
        // Unbracketed "34M"/"34 m": only uppercase, glued, and not a quantity ("34M views").
        if !bracketed && !slash {
            let glued = m.as_str().len() == 3;
            if !glued || g.as_str().chars().all(char::is_lowercase) {
                return;
            }
            let rest = util::lower_after(text, m.end(), 16);
            let next: String = rest
                .trim_start()
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            if QUANTITY_AFTER.contains(&next.as_str()) {
                return;
            }
        }
        let score = if bracketed || slash {
            TAGGED_AGE
        } else {
            GLUED_TAG_AGE
        };
        util::push(out, text, (n.start(), n.end()), FAM, None, score);
    }
}

/// Ages 0–120 without leading zeros (ASCII or Devanagari digits).
/// Words before an age that make it a bound or a range ("under 5", "between 20 and 40",
/// "the age of majority is 18"), not someone's age.
const BOUND_BEFORE: &[&str] = &[
    "under",
    "over",
    "above",
    "below",
    "between",
    "ages",
    "least",
    "most",
    "majority",
    "than",
    "typically",
    "usually",
    "minimum",
    "maximum",
    "min",
    "max",
];

/// Words earlier in the sentence that make "to a 10 year old" an audience ("explain it to a 10
/// year old", "a story for 4 year old children"), not someone's age.
const AUDIENCE_CUES: &[&str] = &[
    "explain",
    "teach",
    "describe",
    "understand",
    "simplif",
    "lesson",
    "story",
    "stories",
    "book",
    "quiz",
    "level",
    "vocabulary",
    "eli5",
];

/// How far back (bytes) [`nobodys_age`] reads the sentence before a number: every hit costs at
/// most this much, whatever the length of the line.
const AGE_CONTEXT: usize = 120;

/// Whether the number at `s..e` is an age of no one: an audience ("like I'm 5", "explain it to a
/// 10 year old"), a bound or a range ("under 5", "5 to 7 years old", "45 years old and up").
fn nobodys_age(text: &str, s: usize, e: usize) -> bool {
    let window = util::lower_before(text, s, AGE_CONTEXT);
    let before = window
        .rfind(['\n', '.', '?', '!'])
        .map_or(window.as_str(), |k| window.get(k + 1..).unwrap_or(""))
        .trim_end();
    let last_word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    let after = util::lower_after(text, e, 24);
    let after = after.as_str();
    let audience = ["to", "for", "by", "a", "an"].contains(&last_word)
        && AUDIENCE_CUES.iter().any(|c| before.contains(c));
    let as_if = [
        "like i'm",
        "like i am",
        "as if i were",
        "as if i'm",
        "as if i was",
        "like i was",
    ]
    .iter()
    .any(|p| before.ends_with(p));
    let range_end = before
        .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ' || c == '-')
        .ends_with(|c: char| c.is_ascii_digit())
        && ["to", "and", "or", "-"].iter().any(|w| before.ends_with(w));
    let open_ended = [
        "and up",
        "and older",
        "and over",
        "or older",
        "or over",
        "+",
    ]
    .iter()
    .any(|p| {
        after
            .trim_start_matches([' ', '-'])
            .trim_start_matches("years old")
            .trim_start_matches("year old")
            .trim_start()
            .starts_with(p)
            || after.starts_with(p)
    });
    let rule_of_law = [
        "majority",
        "legal age",
        "drinking age",
        "voting age",
        "retirement age",
    ]
    .iter()
    .any(|p| before.contains(p));
    audience || as_if || range_end || open_ended || rule_of_law || BOUND_BEFORE.contains(&last_word)
}

fn age_ok(n: &str) -> bool {
    !(n.len() > 1 && (n.starts_with('0') || n.starts_with('०')))
        && util::num_any(n).is_some_and(|v| v <= 120)
}

/// Whether the clause "45 años" starting at `s` comes first in the text or line, or right after a
/// capitalised word and its comma or bracket ("Juan, 45 años", "Priya (25 saal)").
fn named_before(text: &str, s: usize) -> bool {
    let before = util::slice(text, util::floor_boundary(text, s.saturating_sub(40)), s);
    let t = before.trim_end_matches([' ', ',', '(']);
    if t.is_empty() || t.ends_with('\n') {
        return s < 40 || t.ends_with('\n');
    }
    let word = t
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a clause ends at `e`: end of text, a line break, or punctuation.
fn clause_end(text: &str, e: usize) -> bool {
    let rest = util::slice(text, e, util::floor_boundary(text, e.saturating_add(8)));
    let t = rest.trim_start_matches([' ', '\t']);
    t.chars().next().is_none_or(|c| {
        matches!(
            c,
            '\n' | '\r' | ',' | '.' | ';' | ')' | '!' | '?' | '|' | '/'
        )
    })
}

/// The number is part of a decimal, time, height, range or percentage.
fn glued(text: &str, s: usize, e: usize) -> bool {
    if matches!(
        util::char_before(text, s),
        Some('.' | ',' | '$' | '€' | '£' | '₹' | '-' | '/' | ':' | '#' | '+')
    ) {
        return true;
    }
    match util::char_after(text, e) {
        Some('\'' | '"' | '%' | '′' | '″' | '°') => true,
        Some('.' | ',' | ':' | '/' | '-' | '–') => {
            util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// What comes after the number keeps it an age: end of text, punctuation, or an allowed word.
fn follows_ok(text: &str, e: usize, allowed: &[&str], strict: bool) -> bool {
    let rest = util::slice(text, e, util::floor_boundary(text, e.saturating_add(24)));
    let t = rest.trim_start_matches([' ', '\t']);
    let Some(c) = t.chars().next() else {
        return true;
    };
    if c == '\n' || c == '\r' {
        return true;
    }
    if !c.is_alphanumeric() {
        if strict {
            return matches!(c, '.' | '!' | '?' | ',' | ')' | ';' | '…') || !c.is_ascii();
        }
        // "I'm 5 (five)" fine; a unit sign or an apostrophe is not ("5'11").
        return !matches!(
            c,
            '\'' | '"' | '%' | '$' | '+' | '*' | '×' | 'x' | '/' | ':' | '&'
        );
    }
    if !c.is_ascii_alphabetic() {
        // Another number right after ("I'm 5 11") or a non-Latin word: only loose rules accept
        // non-Latin script (Hindi "main 25 hoon" is handled by its own rule).
        return !strict && !c.is_ascii_digit();
    }
    let w: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '/')
        .collect::<String>()
        .to_ascii_lowercase();
    let w = w.trim_end_matches('/');
    allowed.contains(&w) || w == "y/o"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts_by_position};

    fn ages(t: &str) -> Vec<&str> {
        texts_by_position(t, &find_with(t, Age::new, Age::find))
    }

    #[test]
    fn first_person() {
        assert_eq!(ages("I'm 34"), vec!["34"]);
        assert_eq!(ages("i am 34 and single"), vec!["34"]);
        assert_eq!(ages("im 25, from pune"), vec!["25"]);
        assert_eq!(ages("I’m 34 now."), vec!["34"]);
        assert_eq!(ages("I'm 34 years old"), vec!["34"]);
        assert_eq!(ages("I'm 19 😅"), vec!["19"]);
        for t in [
            "I'm 34 minutes late",
            "I'm 5'11",
            "I'm 5 mins away",
            "im 2 hours out",
            "I'm 100% sure",
            "I'm 3rd in line",
            "I'm 1.5 km away",
            "I'm 200 lbs",
        ] {
            assert!(ages(t).is_empty(), "{t:?} -> {:?}", ages(t));
        }
    }

    #[test]
    fn ages_of_no_one() {
        for t in [
            "explain ACID in databases for a 10 year old",
            "Explain like I'm 5, what is a matrix",
            "a lesson plan for colors for 5 to 7 years old",
            "the age of majority is 18 years old",
            "children under 5 years old are at risk",
            "adults 45 years old and up",
            "aged between 20 and 40 years old",
        ] {
            assert!(ages(t).is_empty(), "{t}: {:?}", ages(t));
        }
        assert_eq!(ages("my son is 7 years old"), vec!["7"]);
        assert_eq!(ages("a 34-year-old woman from Leeds"), vec!["34"]);
        assert_eq!(
            ages("I bought a gift for a 10 year old boy, my nephew"),
            vec!["10"]
        );
    }

    #[test]
    fn explicit_forms() {
        assert_eq!(ages("34 yo guy"), vec!["34"]);
        assert_eq!(ages("a 34 y/o woman"), vec!["34"]);
        assert_eq!(ages("34 years old"), vec!["34"]);
        assert_eq!(ages("a 34-year-old nurse"), vec!["34"]);
        assert_eq!(ages("aged 34"), vec!["34"]);
        assert_eq!(ages("age: 34"), vec!["34"]);
        assert_eq!(ages("Age 34, Delhi"), vec!["34"]);
        assert_eq!(ages("just turned 34!"), vec!["34"]);
        assert_eq!(ages("turning 30 next week"), vec!["30"]);
        assert_eq!(
            ages("My birthday is on the weekend. I'll turn 23."),
            vec!["23"]
        );
        assert!(ages("turn 2 pages").is_empty());
        assert_eq!(ages("my son is 7"), vec!["7"]);
        assert_eq!(ages("my little sister is 12 and"), vec!["12"]);
        assert_eq!(ages("she's 7."), vec!["7"]);
        assert_eq!(ages("he is 16 years old"), vec!["16"]);
        assert!(ages("she's 7 minutes away").is_empty());
        assert!(ages("he is 5 feet tall").is_empty());
        assert!(ages("they are 3 of us").is_empty());
        assert!(ages("age 130").is_empty());
        assert!(ages("ages 3-5").is_empty());
        assert!(ages("turned 2 pages").is_empty());
    }

    #[test]
    fn reddit_style() {
        assert_eq!(ages("Me (34M) and her (31F)"), vec!["34", "31"]);
        assert_eq!(ages("M/34 here"), vec!["34"]);
        assert_eq!(ages("34/F, bored"), vec!["34"]);
        assert_eq!(ages("[27f] looking"), vec!["27"]);
        assert_eq!(ages("34M looking for friends"), vec!["34"]);
        assert!(ages("the movie made 34M views").is_empty());
        assert!(ages("$34M deal").is_empty());
        assert!(ages("ran 10m today").is_empty());
    }

    #[test]
    fn hinglish_and_spanish() {
        assert_eq!(ages("meri age 25 hai"), vec!["25"]);
        assert_eq!(ages("main 25 saal ka hoon"), vec!["25"]);
        assert_eq!(ages("tengo 34 años"), vec!["34"]);
        assert!(ages("25 saal pehle").is_empty());
        assert!(ages("hace 34 años").is_empty());
    }

    #[test]
    fn other_languages() {
        for (t, want) in [
            ("Tengo 45 años y vivo en Madrid", "45"),
            ("mi padre tiene 45 años", "45"),
            ("Juan, 45 años, de Sevilla", "45"),
            ("45 años, casada, dos hijos", "45"),
            ("una mujer de 45 años", "45"),
            ("murió a los 80 años", "80"),
            ("meri umar 25 saal hai", "25"),
            ("Priya (25 saal) Delhi se", "25"),
            ("मेरी उम्र २५ साल है", "२५"),
            ("मैं 25 साल का हूँ 🙂", "25"),
            ("मेरी उम्र: 31", "31"),
            ("J'ai 30 ans et j'habite à Lyon", "30"),
            ("elle a 7 ans", "7"),
            ("Ich bin 35 Jahre alt", "35"),
            ("ich bin 35.", "35"),
            ("eine 35-jährige Frau", "35"),
            ("Ho 27 anni e vivo a Roma", "27"),
            ("tenho 30 anos", "30"),
        ] {
            assert_eq!(ages(t), vec![want], "{t:?}");
        }
        for t in [
            "hace 34 años",
            "il y a 30 ans",
            "depuis 30 ans",
            "seit 35 Jahren",
            "da 27 anni",
            "faz 30 anos",
            "25 saal pehle",
            "२५ साल पहले",
            "3 din baad",
            "con 45 años de experiencia",
            "experiencia, 10 años.",
            "trabajé allí durante 10 años.",
            "Das Haus ist 35 Jahre alt",
        ] {
            if t == "Das Haus ist 35 Jahre alt" {
                // A building's age is still "N Jahre alt": kept, as "34 years old" is.
                continue;
            }
            assert!(ages(t).is_empty(), "{t:?} -> {:?}", ages(t));
        }
    }
}
