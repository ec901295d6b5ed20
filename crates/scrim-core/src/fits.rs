//! Which findings of the learned tier, and which values the consistency rule spreads, stand on
//! their content: held to the rule tier's lists and scripts.
//!
//! The rules never take a product name, a code keyword, a placeholder ("John Doe") or an eponym
//! ("the Nice Guy syndrome") for a person, and know which East Asian strings are name-shaped. A
//! model trained on little text of some kinds marks such strings anyway, and the consistency rule
//! would then copy one wrong finding to every occurrence in the conversation. The checks here
//! are the rules' own, applied to those findings at each place they stand.

use crate::detect::names::{eponym_after, placeholder_name};
use crate::detect::patterns::{no_ones_email, url_reported};
use crate::label::Label;
use crate::lexicon::Lexicon;
use crate::scope;
use crate::segment::{RegionKind, Segments};
use crate::span::Finding;

/// Whether a learned-tier finding stands: it fits its regions as a rule finding must (a link in
/// a string literal or a data block carries someone, [`scope::fits`]), a link is one the rule
/// tier reports too, since only the rules can tell a profile from public reference material or
/// a cited source, an identifier has a cue ([`id_cued`]), an address is not one the rules hold
/// to be no one's (a placeholder, a login), and a person, place or organisation passes
/// [`content_fits`].
pub(crate) fn model_finding_fits(
    text: &str,
    seg: &Segments,
    lexicon: &Lexicon,
    f: &Finding,
) -> bool {
    scope::fits(text, seg, f)
        && (f.label != Label::Url || url_reported(text, f.span.start(), f.span.end()))
        && (f.label != Label::Id
            || id_cued(text, f.span.start())
            || prefixed_code(f.span.slice(text).unwrap_or("")))
        && (f.label != Label::Email || !no_ones_email(text, f.span.start(), f.span.end()))
        && content_fits(text, lexicon, f)
}

/// Words that announce an identifier: what it is ("case", "order", "passport", "client") or
/// that it is one ("id", "no", "number", "#"). Lowercase; matched against the words before a
/// finding, with `snake_case` and `camelCase` keys split into words (`client_id`, `caseNumber`).
const ID_CUES: &[&str] = &[
    "aadhaar",
    "account",
    "acct",
    "application",
    "booking",
    "case",
    "cif",
    "claim",
    "client",
    "company",
    "confirmation",
    "customer",
    "dni",
    "document",
    "ein",
    "employee",
    "file",
    "id",
    "ids",
    "invoice",
    "licence",
    "license",
    "meeting",
    "member",
    "membership",
    "nie",
    "nino",
    "no",
    "nr",
    "num",
    "number",
    "numbers",
    "order",
    "pan",
    "passport",
    "patient",
    "pnr",
    "policy",
    "ref",
    "reference",
    "reg",
    "registration",
    "roll",
    "serial",
    "sin",
    "ssn",
    "student",
    "tax",
    "ticket",
    "tin",
    "tracking",
    "uid",
    "vat",
];

/// How far back on its line [`id_cued`] looks for a cue.
const ID_CUE_LOOK_BACK: usize = 64;

/// Whether an identifier names its own kind: a prefix of two to five capitals and a hyphen
/// before its digits (`INV-2025-014`, `ORD-88213`), as invoices, orders and tickets are numbered.
fn prefixed_code(value: &str) -> bool {
    let Some((prefix, rest)) = value.split_once('-') else {
        return false;
    };
    (2..=5).contains(&prefix.len())
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether an identifier the learned tier found at byte `at` has a cue before it on its line
/// ([`ID_CUES`], or a `#` right before it). Without one, the model's IDs on the real-chat dev set
/// were mostly numbers of code and data: compiler error codes (`E0308`), floats, list elements,
/// object ids; nearly all its right ones had a cue ("Case ID #", "Meeting ID:", "company number").
/// The rule tier finds cue-less identifiers that have a checksum or a known shape.
fn id_cued(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(ID_CUE_LOOK_BACK);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..at).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or(before);
    if line.trim_end().ends_with('#') {
        return true;
    }
    // Words of the line, with camelCase split ("caseNumber" -> "case", "number").
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in line.chars() {
        if c.is_ascii_alphabetic() {
            if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_ascii_lowercase();
            word.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.iter().any(|w| ID_CUES.contains(&w.as_str()))
}

/// Whether a value the consistency rule spreads may land at `f`: it fits its regions
/// ([`scope::fits`]), passes [`content_fits`], a person or place is no phrase of ordinary
/// lowercase words ([`ordinary_phrase`]), and a username lands outside code bodies and inline
/// code. A username stands in code where its own rule finds it (a home path, a prompt); a copy
/// is a bare word, and a bare word in code is an identifier (`nvr`, `email`, `self.name`), not
/// someone's account. String literals, comments, shell output and logs still take copies
/// (`owner = "jdoe"`, `drwxr-xr-x 2 jdoe staff`).
pub(crate) fn copy_fits(text: &str, seg: &Segments, lexicon: &Lexicon, f: &Finding) -> bool {
    scope::fits(text, seg, f)
        && content_fits(text, lexicon, f)
        && !(matches!(f.label, Label::Person | Label::Location)
            && ordinary_phrase(lexicon, f.span.slice(text).unwrap_or("")))
        && !(f.label == Label::Username
            && seg
                .covering(f.span.start()..f.span.end())
                .any(|r| matches!(r.kind, RegionKind::Code | RegionKind::InlineCode)))
}

/// Whether a person, place or organisation found by the learned tier or spread by the
/// consistency rule can be one where it stands: not a placeholder name or a bare title, not an
/// East Asian string that is no name ([`east_asian_non_name`]), and for persons and places not
/// an ordinary word ([`ordinary_word`]) nor a name that the next word makes an eponym ("Nice
/// Guy syndrome", "Nobel Prize"). Findings of other labels always pass.
pub(crate) fn content_fits(text: &str, lexicon: &Lexicon, f: &Finding) -> bool {
    let value = f.span.slice(text).unwrap_or("");
    let named = matches!(f.label, Label::Person | Label::Location | Label::Org);
    let person_or_place = matches!(f.label, Label::Person | Label::Location);
    !(named && (east_asian_non_name(lexicon, value) || placeholder_name(value)))
        && !(person_or_place
            && (ordinary_word(lexicon, text, f.span.start(), value)
                || eponym_after(text, f.span.end())
                || inside_link(text, f.span.start())))
}

/// Whether `value` is a phrase of ordinary lowercase words ("real estate", "retirement
/// village", "space station city"): every word a dictionary word (or another language's
/// function word) that the lists do not know as a place. A copy of such a phrase does not
/// spread: on the real-chat dev set every copy of a learned-tier guess at one was wrong. The
/// guess itself stands where it was found, since tweets write names in lowercase ("martin
/// short", "black adam"), and there the model reads the context.
fn ordinary_phrase(lexicon: &Lexicon, value: &str) -> bool {
    let mut words = value.split_whitespace().peekable();
    if words.peek().is_none() || !value.trim().contains(char::is_whitespace) {
        return false;
    }
    words.all(|word| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let w = lexicon.word(word);
        !word.is_empty()
            && word.chars().all(|c| c.is_lowercase())
            && (w.dictionary || w.foreign_function)
            && w.place.is_none()
    })
}

/// How far back [`inside_link`] looks for the start of a link.
const LINK_LOOK_BACK: usize = 512;

/// Whether byte `at` of `text` lies inside a link (`https://…`, `www.…`): the words of a news
/// article's slug ("twitter-files-matt-taibbi", "uk-england-nottinghamshire") are no one's data
/// there. Whether a link carries a person (a profile, a user's page) is the URL rules' call, and
/// such a link is reported whole.
fn inside_link(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(LINK_LOOK_BACK);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..at).unwrap_or("");
    let token = before
        .rsplit(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\'')
        })
        .next()
        .unwrap_or("");
    token.contains("://") || token.to_ascii_lowercase().starts_with("www.")
}

/// Whether `value`, at byte `at` of `text`, is one word that the word lists know as something
/// other than a name or a place: the name of a product or library ("MongoDB", "Jira") or a
/// keyword of code ("string"), or an English dictionary word in common use written in
/// lowercase ("despair") or right after the marker of a list item or heading ("2. Bananas").
/// The rules never take such a word for a person without a cue, and neither may the learned
/// tier (on the real-chat dev set such model findings were nearly all wrong); a cued one is
/// still found by the rules. A capitalised dictionary word inside a sentence is left to the
/// model: tweets name people and places so ("Smokey", "Earth").
fn ordinary_word(lexicon: &Lexicon, text: &str, at: usize, value: &str) -> bool {
    let word = value.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() || word.contains(char::is_whitespace) {
        return false;
    }
    let w = lexicon.word(&word.to_lowercase());
    if w.first_name > 0 || w.surname > 0 || w.place.is_some() {
        return false;
    }
    let lowercase = !word.chars().any(char::is_uppercase);
    // The line's lead, read back at most 13 bytes (a marker is short; a long line costs nothing).
    let mut from = at.saturating_sub(13);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let window = text.get(from..at).unwrap_or("");
    let lead = match window.rfind('\n') {
        Some(n) => window.get(n + 1..),
        None => (from == 0).then_some(window),
    };
    let opens_line = lead.is_some_and(|lead| {
        let marker = |c: char| c.is_ascii_digit() || "-*+#>.)|".contains(c);
        lead.len() <= 12
            && lead.chars().any(marker)
            && lead.chars().all(|c| c.is_whitespace() || marker(c))
    });
    let dictionary = w.dictionary && w.common_zipf >= ORDINARY_ZIPF;
    w.product || w.code || (dictionary && (lowercase || opens_line))
}

/// A dictionary word this frequent in English (Zipf) is an ordinary word.
const ORDINARY_ZIPF: f32 = 3.0;

/// Whether `value` is a string of Han, Hangul or Kana that is no name. The learned tier was
/// trained on little text in these scripts and marks its words and phrases (on the real-chat dev
/// set 162 person and place findings in Korean and Chinese text, 2 right), so such a finding
/// stands only when it is name-shaped:
///
/// - no phrase: no space inside, at most four such letters (names are two to four: 김서연,
///   李秀兰, 佐藤ハル);
/// - in Hangul, three or four syllables that open with a family name the lists know (김, 남궁),
///   or a given name they know;
/// - in Han, two to four characters that open with a known family name (李, 佐藤);
/// - in Kana alone, any short string (foreign names are written in katakana: エミリー).
///
/// A two-syllable Hangul given name without its family name is lost this way: most two-syllable
/// Hangul words the model marked were ordinary words (관리, 고객, 정말).
fn east_asian_non_name(lexicon: &Lexicon, value: &str) -> bool {
    let letters: Vec<char> = value.chars().filter(|c| c.is_alphabetic()).collect();
    let script = |c: char| match u32::from(c) {
        0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F => Some(Script::Hangul),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Some(Script::Han),
        0x3040..=0x30FF => Some(Script::Kana),
        _ => None,
    };
    let scripts: Vec<Script> = letters.iter().filter_map(|&c| script(c)).collect();
    if scripts.is_empty() || scripts.len() * 2 <= letters.len() {
        return false;
    }
    if value.trim().contains(char::is_whitespace) || scripts.len() > 4 {
        return true;
    }
    if scripts.iter().all(|s| *s == Script::Kana) {
        return false;
    }
    let cjk: Vec<char> = letters
        .iter()
        .copied()
        .filter(|&c| script(c).is_some())
        .collect();
    let n = cjk.len();
    let prefix = |k: usize| cjk.iter().take(k).collect::<String>();
    // A family name of one or two letters first (김, 남궁, 李, 佐藤), or the whole a family name.
    let opens_with_family = [1, 2, n]
        .into_iter()
        .any(|k| k <= n && lexicon.word(&prefix(k)).surname > 0);
    let name_shaped = if scripts.contains(&Script::Hangul) {
        (n >= 3 && opens_with_family) || lexicon.word(&prefix(n)).first_name > 0
    } else {
        n >= 2 && opens_with_family
    };
    !name_shaped
}

/// The East Asian scripts [`east_asian_non_name`] tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hangul,
    Han,
    Kana,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cued(line: &str) -> bool {
        let at = line.find("[[").unwrap_or(line.len());
        id_cued(line, at)
    }

    #[test]
    fn lowercase_phrases_of_ordinary_words_are_no_names() {
        let lexicon = Lexicon::builtin().unwrap();
        for v in ["real estate", "retirement village", "space station city"] {
            assert!(ordinary_phrase(&lexicon, v), "{v}");
        }
        for v in [
            "new york",
            "los angeles",
            "Real Estate",
            "maya okafor",
            "estate",
        ] {
            assert!(!ordinary_phrase(&lexicon, v), "{v}");
        }
    }

    #[test]
    fn id_cues_sorted() {
        assert!(ID_CUES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn identifiers_need_a_cue_before_them() {
        for line in [
            "Case ID #[[00156311]]",
            "enter the Meeting ID: [[3903 03 5809]]",
            "the Florida company number [[M13000004102]]",
            "\"client_id\": \"[[109129238512452667714]]\"",
            "caseNumber=[[A-77]]",
            "ticket [[#4471]]",
            "see #[[4471]]",
            "Bloczki nr-[[22/4268-3]]",
            "what are the numbers for the JR pass? mine is [[568213947]]",
        ] {
            assert!(cued(line), "{line}");
        }
        assert!(prefixed_code("INV-2025-014"));
        assert!(!prefixed_code("E0308"));
        assert!(!prefixed_code("Sign-2"));
        for line in [
            "error[[[E0308]]]: mismatched types",
            "where metrics is returning [[0.0208849]]",
            "[1244212519102340, [[3496012332787588]]]",
            "Title: 2020 [[Odyssey]] 3",
            "an id on the line before\nvalue [[77]]",
        ] {
            assert!(!cued(line), "{line}");
        }
    }
}
