//! Phase 0, cited authors: the author list that opens a numbered reference entry is people.
//!
//! Reference lists are pasted into chats all the time (a thesis chapter, a paper to reformat), and
//! their authors are written in ways the other phases cannot read: initials with dots and hyphens
//! ("S.-K. Cho", "A.H. Shirdel"), surname-first with bare initials ("Engel PA", "Engel P A"), and
//! surname, comma, given names ("McHale, Susan M."). An entry counts when its line opens with a
//! marker (`[12]`, `12.`, `12)`) and holds a year; its authors are the comma- (or "and"/"&"-)
//! separated items from the marker on, each built like a name, up to the first item that is not
//! (the title). A list needs two authors, or one with "et al." after it, or one written
//! surname-first with bare initials right before the title ("Engel PA. Title"), and at least one of them
//! written with an initial or every one of them made of words that are not common English words,
//! so that a numbered list of capitalised terms ("1. Machine Learning, Deep Learning (2020)") is
//! not read as authors.

use super::scan::Scan;
use super::score::CITED_AUTHOR;
use crate::label::Label;
use crate::rule::NameRule;

/// The most tokens in one author ("Abdalrahman M. Hassanine", "Ludwig van der Berg").
const MAX_AUTHOR_TOKENS: usize = 5;

/// Name words without an initial beside them must be rarer than this in English (Zipf) unless a
/// name list knows them.
const UNCOMMON_ZIPF: f32 = 3.5;

/// Lowercase particles inside surnames.
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "el", "la", "le",
    "ten", "ter", "van", "von",
];

/// Capitalised function words that open titles, never authors.
const TITLE_OPENERS: &[&str] = &[
    "A", "An", "And", "Are", "As", "At", "By", "Can", "Do", "Does", "For", "From", "How", "In",
    "Is", "It", "Of", "On", "The", "Through", "To", "Toward", "Towards", "Using", "What", "When",
    "Where", "Which", "Why", "With",
];

/// What one token of an author item is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    /// One to three initials, with or without dots and hyphens: "M.", "A.H.", "S.-K.", "PA".
    Initial,
    /// A capitalised word with a lowercase letter: "Alyazidi", "McHale", "Aslahi-Shahri".
    Name,
    /// A surname particle: "van", "de".
    Particle,
}

/// The kind of token `t`, or `None` when an author cannot hold it.
fn tok_kind(t: &str) -> Option<Tok> {
    if PARTICLES.contains(&t) {
        return Some(Tok::Particle);
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    let only_marks = t.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-');
    if only_marks
        && (1..=3).contains(&letters.len())
        && letters.iter().all(|c| c.is_uppercase())
        && !t.starts_with(['.', '-'])
    {
        return Some(Tok::Initial);
    }
    let mut chars = t.chars();
    let first = chars.next()?;
    let ok = first.is_uppercase()
        && t.chars().any(char::is_lowercase)
        && t.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        && letters.len() >= 2
        && !TITLE_OPENERS.contains(&t);
    ok.then_some(Tok::Name)
}

/// The kinds of the whitespace-separated tokens of `item`, if every one can be part of an author
/// and the item is built like one: one to five tokens, at least one a name word, and at most one
/// run of name words on each side of the initials ("Nezar M. Alyazidi", "Engel P A").
fn author_shape(item: &str) -> Option<Vec<Tok>> {
    let toks: Vec<&str> = item.split_whitespace().collect();
    if toks.is_empty() || toks.len() > MAX_AUTHOR_TOKENS {
        return None;
    }
    let kinds = toks
        .iter()
        .map(|t| tok_kind(t))
        .collect::<Option<Vec<Tok>>>()?;
    let names = kinds.iter().filter(|k| **k == Tok::Name).count();
    // Runs of name words: "Given M. Surname" has two, "M. Given Surname" one; more is a title.
    let runs = kinds
        .iter()
        .enumerate()
        .filter(|&(i, k)| *k == Tok::Name && (i == 0 || kinds.get(i - 1) != Some(&Tok::Name)))
        .count();
    (names >= 1 && runs <= 2 && names <= 4).then_some(kinds)
}

/// One author found: its byte range in the text, and whether it is written with an initial.
struct Author {
    s: usize,
    e: usize,
    initial: bool,
}

impl Scan<'_> {
    /// Phase 0: the authors of numbered reference entries are persons.
    pub(super) fn cited_authors(&mut self) {
        let text = self.text();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            if let Some(body) = entry_body(line) {
                let authors = self.authors(text, start + (line.len() - body.len()), body);
                for a in authors {
                    self.add_bytes(a.s, a.e, Label::Person, CITED_AUTHOR, NameRule::CitedAuthor);
                }
            }
        }
    }

    /// The authors that open `body`, which starts at byte `base` of `text`; empty unless they
    /// make a list as the module documentation says.
    fn authors(&self, text: &str, base: usize, body: &str) -> Vec<Author> {
        let mut out: Vec<Author> = Vec::new();
        let mut pos = 0;
        let mut et_al = false;
        let mut vancouver = false;
        // A lone surname waiting for its given names or initials ("McHale, Susan M.").
        let mut pending: Option<usize> = None;
        while pos < body.len() {
            let rest = body.get(pos..).unwrap_or("");
            let (len, sep) = next_item(rest);
            let raw = rest.get(..len).unwrap_or("");
            let lead = raw.len() - raw.trim_start().len();
            let item = raw.trim();
            let s = pos + lead;
            if item
                .get(..5)
                .is_some_and(|h| h.eq_ignore_ascii_case("et al"))
            {
                et_al = true;
                break;
            }
            // The last author may run into the title at a ". " ("Engel P A. Impact wear ...").
            let (item, cut) = match author_shape(item.trim_end_matches('.')) {
                Some(_) => (item.trim_end_matches('.'), false),
                None => match last_author_prefix(item) {
                    Some(p) => (p, true),
                    None => break,
                },
            };
            let kinds = author_shape(item).unwrap_or_default();
            let initial = kinds.contains(&Tok::Initial);
            let single_name = kinds.len() == 1 && kinds.first() == Some(&Tok::Name);
            match pending.take() {
                // "McHale, Susan M.": the surname and what follows are one author.
                Some(ps) if initial && !cut => out.push(Author {
                    s: base + ps,
                    e: base + s + item.len(),
                    initial: true,
                }),
                Some(_) => break,
                None if single_name && !cut => pending = Some(s),
                None => out.push(Author {
                    s: base + s,
                    e: base + s + item.len(),
                    initial,
                }),
            }
            if cut || sep == 0 {
                // A lone "Surname PA." before the title is the Vancouver style's whole list.
                vancouver = out.len() == 1 && pending.is_none() && bare_initials(item);
                break;
            }
            pos += len + sep;
        }
        let enough = out.len() >= 2 || (et_al && !out.is_empty()) || vancouver;
        let believable = out.iter().any(|a| a.initial)
            || out
                .iter()
                .all(|a| self.uncommon_words(text.get(a.s..a.e).unwrap_or("")));
        if enough && believable {
            out
        } else {
            Vec::new()
        }
    }

    /// Whether every name word in `author` is one that English does not use as an ordinary word.
    fn uncommon_words(&self, author: &str) -> bool {
        author
            .split_whitespace()
            .filter(|t| tok_kind(t) == Some(Tok::Name))
            .all(|t| {
                let w = self.lexicon.word(&t.to_lowercase());
                w.first_name > 0
                    || w.surname > 0
                    || !(w.dictionary || w.product || w.code || w.common_zipf >= UNCOMMON_ZIPF)
            })
    }
}

/// Whether `author` is a surname and its initials without dots ("Engel PA", "Engel P A").
fn bare_initials(author: &str) -> bool {
    let toks: Vec<&str> = author.split_whitespace().collect();
    toks.len() >= 2
        && tok_kind(toks.first().copied().unwrap_or("")) == Some(Tok::Name)
        && toks
            .iter()
            .skip(1)
            .all(|t| tok_kind(t) == Some(Tok::Initial) && !t.contains('.'))
}

/// The part of `line` after a reference marker (`[12] `, `12. `, `12) `), when the line holds a
/// year (1900–2099).
fn entry_body(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let rest = if let Some(r) = t.strip_prefix('[') {
        let close = r.find(']')?;
        let n = r.get(..close)?;
        if n.is_empty() || n.len() > 3 || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        r.get(close + 1..)?
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 3 {
            return None;
        }
        let r = t.get(digits..)?;
        r.strip_prefix('.').or_else(|| r.strip_prefix(')'))?
    };
    if !rest.starts_with([' ', '\t']) || !has_year(rest) {
        return None;
    }
    Some(rest.trim_start())
}

/// Whether `s` holds a four-digit year 1900–2099 not glued to other digits.
fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && !(i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit))
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
    })
}

/// The length of the next item of `rest` and of the separator after it (`, `, ` and `, ` & `,
/// `; `); the separator is 0 at the end of the line.
fn next_item(rest: &str) -> (usize, usize) {
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let mut best = (line_end, 0);
    for sep in [",", ";", " and ", " & "] {
        if let Some(i) = rest.get(..line_end).and_then(|r| r.find(sep)) {
            if i < best.0 {
                let mut n = sep.len();
                // ", and " / ", & " before the last author.
                if sep == "," {
                    for tail in [" and ", " & "] {
                        if rest.get(i + 1..).is_some_and(|r| r.starts_with(tail)) {
                            n += tail.len();
                        }
                    }
                }
                best = (i, n);
            }
        }
    }
    best
}

/// The author that opens `item` when the item runs on into the title after a ". ": the longest
/// such prefix that is built like an author and ends in an initial ("Engel P A" of "Engel P A.
/// Impact wear", "Smith J" of "Smith J. Title").
fn last_author_prefix(item: &str) -> Option<&str> {
    item.match_indices(". ")
        .map(|(i, _)| item.get(..i).unwrap_or(""))
        .filter(|p| {
            author_shape(p)
                .is_some_and(|k| k.last() == Some(&Tok::Initial) && k.first() == Some(&Tok::Name))
        })
        .last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_shapes() {
        for t in ["M.", "A.H.", "S.-K.", "PA", "P", "T.-S."] {
            assert_eq!(tok_kind(t), Some(Tok::Initial), "{t}");
        }
        for t in ["Alyazidi", "McHale", "Aslahi-Shahri", "O'Neil", "Çelik"] {
            assert_eq!(tok_kind(t), Some(Tok::Name), "{t}");
        }
        for t in ["An", "The", "online", "ABCD", "2020", "(2003)"] {
            assert_eq!(tok_kind(t), None, "{t}");
        }
        assert!(author_shape("Nezar M. Alyazidi").is_some());
        assert!(author_shape("Engel P A").is_some());
        assert!(author_shape("Ludwig van der Berg").is_some());
        assert!(author_shape("An Online Adaptive Policy").is_none());
        assert!(author_shape("Impact Wear Of Material Under").is_none());
    }

    #[test]
    fn entries() {
        assert!(entry_body("[47] Nezar M. Alyazidi, X, 2022.").is_some());
        assert!(entry_body("12. Smith J, Lee K. Title. 2019;3:1-2").is_some());
        assert!(entry_body("[47] no year here").is_none());
        assert!(entry_body("Smith J, 2019").is_none());
        assert!(entry_body("1.5 cups of flour in 2020").is_none());
    }

    #[test]
    fn items() {
        assert_eq!(next_item("A, B"), (1, 1));
        assert_eq!(next_item("A and B"), (1, 5));
        assert_eq!(next_item("A, and B"), (1, 6));
        assert_eq!(next_item("A B"), (3, 0));
        assert_eq!(
            last_author_prefix("Engel P A. Impact Wear of Material"),
            Some("Engel P A")
        );
        assert_eq!(last_author_prefix("An Online. Adaptive"), None);
    }
}
