//! ADDRESS: street addresses, returned as one span from the first part to the last.
//!
//! An address starts at an anchor found around a number:
//! - a house number followed within a few words by a street-type word ("221 Maple Ave",
//!   "1600 Pennsylvania Avenue NW", "12 rue de la Paix", "14th Cross", "6750 Koskikatu 25");
//! - a street name with a street word or suffix followed by a number ("Mellemvej 32",
//!   "Hauptstraße 5", "Via Roma 10");
//! - a unit cue and its number ("Apt 4B", "Flat 302", "H.No. 12-3-456", "#45"), which counts only
//!   when more address parts follow;
//! - a post-office box ("PO Box 104").
//!
//! From the anchor the span extends right over comma- or newline-separated parts that look like an
//! address: units, street segments, capitalized place words, state codes, ZIP/PIN/postal codes and
//! country names. It stops at sentence ends and at ordinary lowercase words. The score grows with
//! the number of parts.

use super::score::address::{
    CUED_NAMED_STREET, CUED_POSTAL_CODE, HOUSE_THEN_STREET, HOUSE_THEN_STREET_STRONG, MAX_SCORE,
    MERGE_BONUS, MILITARY_MAIL, NAMED_MAX, NAMED_PER_PART, NAMED_STREET, PER_PART, PO_BOX,
    PO_BOX_PER_PART, STREET_THEN_NUMBER, UNIT,
};
use super::util::{self, GateBuilder, Win};
use super::words;
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Address;

/// Unit and house cues (lowercase, dots removed), before a number.
const UNIT_CUES: &[&str] = &[
    "apartment",
    "apt",
    "bldg",
    "block",
    "blk",
    "building",
    "d.no",
    "dno",
    "door",
    "flat",
    "fl",
    "floor",
    "h.no",
    "hno",
    "house",
    "lot",
    "no",
    "plot",
    "psc",
    "rm",
    "room",
    "shop",
    "ste",
    "suite",
    "unit",
    "villa",
];

/// Street words that come before the street name ("rue de la Paix", "Calle Mayor", "Via Roma").
const PREFIX_STREETS: &[&str] = &[
    "allee",
    "allée",
    "av",
    "avda",
    "avenida",
    "avenue",
    "boulevard",
    "calle",
    "camino",
    "carrera",
    "chemin",
    "corso",
    "impasse",
    "largo",
    "paseo",
    "piazza",
    "plaza",
    "quai",
    "rua",
    "rue",
    "travessa",
    "ulica",
    "via",
    "viale",
    "vicolo",
];

/// Name particles inside street and place names.
const PARTICLES: &[&str] = &[
    "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "el", "la",
    "las", "le", "les", "los", "of", "san", "santa", "st", "the", "van", "von", "y",
];

/// Abbreviated street words written before the name, with a dot ("ul. Cicha 86", "al. Jana Pawła").
const ABBR_PREFIX_STREETS: &[&str] = &["al", "av", "avda", "c", "pl", "os", "ul", "str"];

/// Abbreviated street words written after the name, with a dot ("Kálmán Imre u. 12", "Hauptstr. 5").
const ABBR_SUFFIX_STREETS: &[&str] = &["u", "út", "krt", "str", "st", "ave", "rd", "blvd"];

/// Compass suffixes after a street ("Pennsylvania Avenue NW").
const DIRECTIONS: &[&str] = &[
    "e", "east", "n", "ne", "north", "nw", "s", "se", "south", "sw", "w", "west",
];

/// Capitalized words that begin a new sentence or clause rather than continuing an address.
const BREAKERS: &[&str] = &[
    "also", "and", "bye", "call", "cheers", "come", "hello", "hey", "hi", "near", "next", "ok",
    "okay", "opposite", "please", "pls", "regards", "see", "thanks", "thank", "thx", "text",
    "then", "tomorrow", "tonight", "today", "when", "whatsapp", "yes",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum K {
    Word,
    Num,
    Comma,
    Newline,
    Dot,
    Hash,
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    s: usize,
    e: usize,
    k: K,
}

/// Address detection.
pub(crate) struct Address {
    gate: usize,
}

impl Address {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Address> {
        // Any street word, unit cue or "box" as a word, "#" before a digit, or a word with a
        // street ending: windows without one cannot hold an anchor.
        let mut ws: Vec<String> = words::street_words()
            .iter()
            .chain(UNIT_CUES)
            .chain(PREFIX_STREETS)
            .chain(ABBR_PREFIX_STREETS)
            .chain(ABBR_SUFFIX_STREETS)
            .chain(words::place_words())
            .chain(&[
                "box", "zip", "zipcode", "postcode", "pincode", "code", "plz", "cep", "apo", "fpo",
                "dpo",
            ])
            .map(|w| regex::escape(w))
            .collect();
        ws.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let sufs: Vec<String> = words::street_suffixes()
            .iter()
            .map(|w| regex::escape(w))
            .collect();
        let pat = format!(
            r"(?i)(?-u:\b)(?:{})(?-u:\b)|#[0-9]|\p{{L}}(?:{})|(?-i:(?-u:\b)[A-Z][\-/][0-9])|(?-i:[0-9]{{1,6}}\x20(?:\p{{Lu}}[\p{{L}}'.\-]*\x20){{1,3}}[0-9]{{1,5}})",
            ws.join("|"),
            sufs.join("|")
        );
        let gate = g.add(&pat);
        // Validate the pattern compiles on its own too (clear error naming the family).
        util::compile("address.gate", &pat)?;
        Ok(Address { gate })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        let mut found: Vec<(usize, usize, f32)> = Vec::new();
        for w in windows.iter().filter(|w| w.hit(self.gate)) {
            let (ws, we) = (w.s, w.e);
            let start = util::extend_left(text, ws.saturating_sub(64));
            let end = util::extend_right(text, we.saturating_add(256));
            let toks = tokenize(text, start, end);
            for (i, t) in toks.iter().enumerate() {
                if t.k != K::Num || t.s < ws || t.s >= we {
                    continue;
                }
                if let Some((s, e, sc)) = anchor_at(text, &toks, i) {
                    found.push((number_before(text, s), e, sc));
                }
            }
        }
        // Merge overlapping or adjacent (only spaces, commas, newlines between) spans.
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut merged: Vec<(usize, usize, f32)> = Vec::new();
        for (s, e, sc) in found {
            if let Some(last) = merged.last_mut() {
                let gap = if s > last.1 {
                    util::slice(text, last.1, s)
                } else {
                    ""
                };
                if s <= last.1
                    || gap.chars().all(|c| c == ',' || c.is_whitespace()) && gap.len() <= 4
                {
                    last.1 = last.1.max(e);
                    last.2 = (last.2.max(sc) + MERGE_BONUS).min(MAX_SCORE);
                    continue;
                }
            }
            merged.push((s, e, sc));
        }
        for (s, e, sc) in merged {
            util::push(out, text, (s, e), FAM, None, sc);
        }
    }
}

/// Tokens of `text[s..e]` (spaces and tabs dropped).
fn tokenize(text: &str, s: usize, e: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = s;
    while i < e {
        let Some(c) = util::char_after(text, i) else {
            break;
        };
        let cl = c.len_utf8();
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            i += cl;
            continue;
        }
        let (k, j) = if c == '\n' || c == '\r' {
            let mut j = i;
            while matches!(util::byte_at(text, j), Some(b'\n' | b'\r')) {
                j += 1;
            }
            (K::Newline, j)
        } else if c == ',' {
            (K::Comma, i + 1)
        } else if c == '.' {
            (K::Dot, i + 1)
        } else if c == '#' {
            (K::Hash, i + 1)
        } else if c.is_ascii_digit() {
            (K::Num, scan_num(text, i))
        } else if c.is_alphabetic() {
            (K::Word, scan_word(text, i))
        } else {
            (K::Other, i + cl)
        };
        out.push(Tok { s: i, e: j, k });
        i = j.max(i + cl);
    }
    out
}

/// A number token: digits, with "-"/"/" digit groups ("12-3-456") and an optional short letter
/// suffix ("221B", "14th", "4B").
fn scan_num(text: &str, i: usize) -> usize {
    let mut j = i;
    let digits = |j: &mut usize| {
        while util::byte_at(text, *j).is_some_and(|b| b.is_ascii_digit()) {
            *j += 1;
        }
    };
    digits(&mut j);
    while matches!(util::byte_at(text, j), Some(b'-' | b'/'))
        && util::byte_at(text, j + 1).is_some_and(|b| b.is_ascii_digit())
    {
        j += 1;
        digits(&mut j);
    }
    // Letter suffix up to 2 ASCII letters, then a word end.
    let mut k = j;
    while util::byte_at(text, k).is_some_and(|b| b.is_ascii_alphabetic()) && k - j < 3 {
        k += 1;
    }
    if k > j && k - j <= 2 && !util::alnum_after(text, k) {
        return k;
    }
    j
}

/// A word token: letters and digits, with inner '.', '\'', '’', '-' between letters ("H.No",
/// "O'Connell", "Stratford-upon-Avon").
fn scan_word(text: &str, i: usize) -> usize {
    let mut j = i;
    while let Some(c) = util::char_after(text, j) {
        let inner = matches!(c, '.' | '\'' | '’' | '-')
            && util::char_after(text, j + c.len_utf8()).is_some_and(char::is_alphabetic);
        if !(c.is_alphanumeric() || inner) {
            break;
        }
        j += c.len_utf8();
    }
    j
}

fn tok_str<'t>(text: &'t str, t: &Tok) -> &'t str {
    util::slice(text, t.s, t.e)
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn lower_in(list: &[&str], w: &str) -> bool {
    let l = w.to_lowercase().replace('.', "");
    list.contains(&l.as_str())
}

/// Whether a number token is an ordinal ("14th", "2nd").
fn is_ordinal(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    ["st", "nd", "rd", "th"].iter().any(|s| l.ends_with(s))
        && l.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// A plain house/unit number: at most 6 digits (with optional suffix or dashed groups).
fn is_house_number(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    (1..=6).contains(&digits) && w.len() <= 14
}

/// Try the anchors around the number token `i`; on success the span and score.
fn anchor_at(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, f32)> {
    let t = toks.get(i)?;
    if !is_house_number(tok_str(text, t)) || glued_number(text, t) {
        return None;
    }
    // US military mail: "USS Lorenzen\nFPO AE 25990", "PSC 3294, Box 9168\nAPO AA 61487".
    if let Some(s) = military_before(text, toks, i) {
        return Some((s, t.e, MILITARY_MAIL));
    }
    // "ZIP: 83702", "pin code 560038", "postal code is K1A 0B6".
    if let Some(e) = zip_after_cue(text, toks, i) {
        return Some((t.s, e, CUED_POSTAL_CODE));
    }
    // PO Box.
    if let Some(s) = po_box_before(text, toks, i) {
        let (e, parts) = extend(text, toks, i + 1, t.e);
        return Some((s, e, grown(PO_BOX, PO_BOX_PER_PART, parts, MAX_SCORE)));
    }
    // Unit cue before the number.
    if let Some((s, weak)) = unit_before(text, toks, i) {
        let (e, parts) = extend(text, toks, i + 1, t.e);
        if parts > usize::from(weak) {
            return Some((s, e, grown(UNIT, PER_PART, parts, MAX_SCORE)));
        }
        return None;
    }
    // House number, then street.
    if let Some((street_end_tok, strength)) = street_after(text, toks, i) {
        let end_tok = toks.get(street_end_tok)?;
        let (e, parts) = extend(text, toks, street_end_tok + 1, end_tok.e);
        let base = if strength {
            HOUSE_THEN_STREET_STRONG
        } else {
            HOUSE_THEN_STREET
        };
        let score = grown(base, PER_PART, parts, MAX_SCORE);
        return Some((leading_number(text, toks, i), e, score));
    }
    // Street name, then number.
    if let Some(s) = street_before(text, toks, i) {
        let (e, parts) = extend(text, toks, i + 1, t.e);
        return Some((s, e, grown(STREET_THEN_NUMBER, PER_PART, parts, MAX_SCORE)));
    }
    named_street_anchor(text, toks, i)
}

/// A base score grown by `per_part` for each of `parts` address parts, up to `cap`.
fn grown(base: f32, per_part: f32, parts: usize, cap: f32) -> f32 {
    (base + per_part * parts as f32).min(cap)
}

/// Whether the number token `t` is glued to a price, a time or a decimal.
fn glued_number(text: &str, t: &Tok) -> bool {
    match util::char_before(text, t.s) {
        Some('$' | '€' | '£' | '₹' | '.' | ':' | '+' | '%') => return true,
        Some('-' | '/')
            if t.s < 2 || util::byte_at(text, t.s - 2).is_some_and(|b| !b.is_ascii_uppercase()) =>
        {
            return true
        }
        _ => {}
    }
    matches!(util::byte_at(text, t.e), Some(b':' | b'%' | b'.' | b','))
        && util::byte_at(text, t.e + 1).is_some_and(|b| b.is_ascii_digit())
}

/// "5850 Jana Nerudy 894" (no street word): house number `i`, one to three capitalized names and a
/// number, taken only when at least two more address parts follow, one of them a unit, a postal
/// code, a state or a country, or right after an address cue ("lives at", "my address is").
fn named_street_anchor(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, f32)> {
    let k = named_street_after(text, toks, i)?;
    let end_tok = toks.get(k)?;
    let (e, parts, strong) = extend_full(text, toks, k + 1, end_tok.e);
    let start = leading_number(text, toks, i);
    if parts >= 2 && strong >= 1 {
        return Some((
            start,
            e,
            grown(NAMED_STREET, NAMED_PER_PART, parts, NAMED_MAX),
        ));
    }
    // After "lives at", "my address is", "send it to" the street alone is enough.
    if address_cue_before(text, start) {
        return Some((
            start,
            e,
            grown(CUED_NAMED_STREET, NAMED_PER_PART, parts, NAMED_MAX),
        ));
    }
    None
}

/// The start of the address whose house number is token `i`: an extra number just before it on the
/// same line ("17031 2202 Rissik St", a building or unit number) is included.
fn leading_number(text: &str, toks: &[Tok], i: usize) -> usize {
    let Some(t) = toks.get(i) else { return 0 };
    let Some(p) = i.checked_sub(1).and_then(|j| toks.get(j)) else {
        return t.s;
    };
    let gap = util::slice(text, p.e, t.s);
    let pw = tok_str(text, p);
    let plain = pw.bytes().all(|b| b.is_ascii_digit()) && (1..=6).contains(&pw.len());
    if p.k == K::Num && gap == " " && plain && !util::alnum_before(text, p.s) {
        p.s
    } else {
        t.s
    }
}

/// Phrases that announce an address right after them.
const ADDRESS_CUES: &[&str] = &[
    "address is",
    "address:",
    "address -",
    "addr:",
    "lives at",
    "live at",
    "living at",
    "staying at",
    "moved to",
    "send it to",
    "send them to",
    "ship it to",
    "ship to",
    "deliver to",
    "deliver it to",
    "located at",
    "drops you off at",
    "pick me up at",
    "pick me up from",
    "come to",
];

/// Whether an address cue ends right before byte `s` (ignoring spaces).
fn address_cue_before(text: &str, s: usize) -> bool {
    let before = util::lower_before(text, s, 24);
    let before = before.trim_end();
    ADDRESS_CUES.iter().any(|c| {
        before.ends_with(c)
            && before
                .len()
                .checked_sub(c.len() + 1)
                .and_then(|k| before.as_bytes().get(k))
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// A plain house or building number right before an address that starts at byte `s` on the same
/// line ("643 ul. Biskupa 118", "2274 Via delle Coste 41"): the new start.
fn number_before(text: &str, s: usize) -> usize {
    let before = util::slice(text, s.saturating_sub(8), s);
    let Some(rest) = before.strip_suffix(' ') else {
        return s;
    };
    let digits = rest.bytes().rev().take_while(u8::is_ascii_digit).count();
    if !(1..=6).contains(&digits) {
        return s;
    }
    let ns = s - 1 - digits;
    let glued = matches!(
        util::char_before(text, ns),
        Some(c) if util::is_alnum(c) || matches!(c, '.' | ',' | ':' | '$' | '€' | '£' | '₹' | '+' | '-' | '/')
    );
    if glued {
        s
    } else {
        ns
    }
}

/// US military mail: the ZIP at token `i` after "APO|FPO|DPO AA|AE|AP"; the address starts at the
/// unit line above when there is one ("USS Lorenzen", "Unit 4012 Box 3345", "PSC 3294, Box 9168").
fn military_before(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if tok_str(text, t).len() != 5 || !tok_str(text, t).bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code = toks.get(i.checked_sub(1)?)?;
    let post = toks.get(i.checked_sub(2)?)?;
    let cw = tok_str(text, code).to_ascii_uppercase();
    let pw = tok_str(text, post).to_ascii_uppercase();
    if !matches!(cw.as_str(), "AA" | "AE" | "AP") || !matches!(pw.as_str(), "APO" | "FPO" | "DPO") {
        return None;
    }
    // The line above, when it names a ship or a unit/PSC box.
    let line_start = text.get(..post.s)?.rfind('\n').map_or(0, |k| k + 1);
    if line_start > 0 && util::slice(text, line_start, post.s).trim().is_empty() {
        let prev_start = text.get(..line_start - 1)?.rfind('\n').map_or(0, |k| k + 1);
        let prev = util::slice(text, prev_start, line_start - 1);
        // The ship or unit is among the last few words of that line.
        let mut at = None;
        let mut off = 0;
        for w in prev.split(' ') {
            let head = w.trim_start_matches('>').trim_end_matches(',');
            if matches!(
                head.to_ascii_uppercase().as_str(),
                "USS" | "USNS" | "USNV" | "USCGC" | "UNIT" | "PSC"
            ) && prev.len() - off <= 40
            {
                at = Some(prev_start + off + (w.len() - w.trim_start_matches('>').len()));
            }
            off += w.len() + 1;
        }
        if let Some(a) = at {
            return Some(a);
        }
    }
    Some(post.s)
}

/// Token index of the number ending "N Name [Name [Name]] M" after the house number `i`.
fn named_street_after(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut names = 0;
    while let Some(t) = toks.get(j) {
        let w = tok_str(text, t);
        let name = (is_cap(w)
            && !words::is_stopword(w)
            && !lower_in(BREAKERS, w)
            && words::month_number(w).is_none())
            || (names > 0 && lower_in(PARTICLES, w));
        match t.k {
            K::Word if name => {
                names += 1;
                if names > 3 {
                    return None;
                }
            }
            K::Num if names > 0 && is_house_number(w) && w.len() <= 5 => {
                let gap = util::slice(text, toks.get(i)?.e, t.s);
                return (!gap.contains(['\n', '\r'])).then_some(j);
            }
            _ => return None,
        }
        j += 1;
    }
    None
}

/// "ZIP: 83702", "zip code is 35350", "PIN code 560 038", "postcode SW1A 1AA" with the number at
/// token `i`: the end of the code.
fn zip_after_cue(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    // Look back over ":", "is", "-" to the cue.
    let mut j = i.checked_sub(1)?;
    for _ in 0..3 {
        let p = toks.get(j)?;
        let w = tok_str(text, p);
        let filler = (p.k == K::Other && matches!(w, ":" | "-" | "="))
            || (p.k == K::Word && w.eq_ignore_ascii_case("is"));
        if !filler {
            break;
        }
        j = j.checked_sub(1)?;
    }
    let cue = tok_str(text, toks.get(j)?).to_ascii_lowercase();
    let prev = j
        .checked_sub(1)
        .and_then(|k| toks.get(k))
        .map(|p| tok_str(text, p).to_ascii_lowercase());
    let ok = match cue.as_str() {
        "zip" | "zipcode" | "postcode" | "pincode" | "plz" | "cep" => true,
        "code" => matches!(prev.as_deref(), Some("zip" | "postal" | "post" | "pin")),
        _ => false,
    };
    let w = tok_str(text, t);
    if !ok || !postal_like(w) {
        return None;
    }
    // A second half on the same line ("394 13", "560 038", "SW1A 1AA").
    if let Some(n) = toks.get(i + 1) {
        let nw = tok_str(text, n);
        if n.s == t.e + 1 && matches!(n.k, K::Num | K::Word) && postal_like(nw) && nw.len() <= 4 {
            return Some(n.e);
        }
    }
    Some(t.e)
}

/// "PO Box", "P.O. Box", "Post Box" right before token `i`: the start offset.
fn po_box_before(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let b = toks.get(i.checked_sub(1)?)?;
    if b.k != K::Word || !tok_str(text, b).eq_ignore_ascii_case("box") {
        return None;
    }
    // Walk back over "PO", "P.O", ".", "Post".
    let mut j = i - 1;
    let mut start = None;
    while j > 0 {
        let p = toks.get(j - 1)?;
        let s = tok_str(text, p).to_ascii_lowercase();
        if p.k == K::Dot
            || (p.k == K::Word && matches!(s.as_str(), "po" | "p.o" | "p" | "o" | "post"))
        {
            if p.k == K::Word {
                start = Some(p.s);
            }
            j -= 1;
            if i - j > 4 {
                break;
            }
        } else {
            break;
        }
    }
    start
}

/// A unit cue right before token `i` ("Apt 4B", "Flat No. 302", "H.No. 12-3-456", "#45",
/// "B-204"): the start offset, and whether the cue is weak ("#", a block letter), needing more
/// address parts after it.
fn unit_before(text: &str, toks: &[Tok], i: usize) -> Option<(usize, bool)> {
    let j = i.checked_sub(1)?;
    let prev = toks.get(j)?;
    if prev.k == K::Hash {
        // "#45" directly, at a word start.
        if prev.e == toks.get(i)?.s && !util::alnum_before(text, prev.s) {
            return Some((prev.s, true));
        }
        return None;
    }
    // Flat numbers with a block letter: "B-204", "C/12".
    if prev.k == K::Other && matches!(tok_str(text, prev), "-" | "/") && prev.e == toks.get(i)?.s {
        return block_letter_before(text, toks, i);
    }
    unit_cue_before(text, toks, i)
}

/// "B-204", "C/12": a single capital letter glued by a dash or slash to the number token `i`, with
/// a comma after the number: the letter's start.
fn block_letter_before(text: &str, toks: &[Tok], i: usize) -> Option<(usize, bool)> {
    let prev = toks.get(i.checked_sub(1)?)?;
    let letter = toks.get(i.checked_sub(2)?)?;
    let lw = tok_str(text, letter);
    let single_upper = lw.chars().count() == 1 && lw.chars().all(char::is_uppercase);
    let followed = toks.get(i + 1).is_some_and(|n| n.k == K::Comma);
    if letter.k == K::Word
        && single_upper
        && letter.e == prev.s
        && followed
        && !util::alnum_before(text, letter.s)
    {
        return Some((letter.s, true));
    }
    None
}

/// A unit word before the number token `i`, across a "No", "No." or "#" ("Flat No. 302", "Apt
/// 4B", "No. 5"): its start.
fn unit_cue_before(text: &str, toks: &[Tok], i: usize) -> Option<(usize, bool)> {
    let j = i.checked_sub(1)?;
    // Skip "No" / "No." / "#" between the cue and the number.
    let mut k = j;
    loop {
        let p = toks.get(k)?;
        let s = tok_str(text, p);
        let skippable = p.k == K::Dot
            || p.k == K::Hash
            || (p.k == K::Word
                && (s.eq_ignore_ascii_case("no") || s.eq_ignore_ascii_case("number")));
        if skippable && k > 0 && i - k < 4 {
            k -= 1;
            continue;
        }
        break;
    }
    // Prefer the cue before a skipped "No" ("Flat No. 302"); "No. 5" alone is a cue too.
    for cand in [k, j] {
        let p = toks.get(cand)?;
        if p.k == K::Word && lower_in(UNIT_CUES, tok_str(text, p)) {
            let w = tok_str(text, p);
            // "no" alone must be capitalized ("No. 12, ...").
            if w.eq_ignore_ascii_case("no") && !is_cap(w) {
                continue;
            }
            return Some((p.s, false));
        }
    }
    None
}

/// A street after the house number token `i`: the index of the last street token and whether the
/// match is strong (capitalized names or a street suffix).
fn street_after(text: &str, toks: &[Tok], i: usize) -> Option<(usize, bool)> {
    let n = tok_str(text, toks.get(i)?);
    let mut walk = StreetWalk {
        text,
        toks,
        ordinal: is_ordinal(n),
        names: 0,
        lower_names: 0,
    };
    let mut j = i + 1;
    // Indian style puts a comma after the house number: "42, MG Road".
    if toks.get(j).is_some_and(|t| t.k == K::Comma) {
        j += 1;
    }
    // An abbreviated compass prefix with its dot: "131 S. Dearborn Street", "200 N. Main St".
    if toks.get(j).is_some_and(|t| {
        let w = tok_str(text, t);
        t.k == K::Word
            && w.len() <= 2
            && lower_in(DIRECTIONS, w)
            && w.chars().all(char::is_uppercase)
    }) && toks.get(j + 1).is_some_and(|t| t.k == K::Dot)
    {
        j += 2;
    }
    let first = j;
    while j < toks.len() && j <= first + 5 {
        match walk.step(j, toks.get(j)?) {
            Walk::Next => j += 1,
            Walk::Done(found) => return found,
        }
    }
    None
}

/// The state of one [`street_after`] walk over the words after a house number.
struct StreetWalk<'t> {
    text: &'t str,
    toks: &'t [Tok],
    /// The house number is an ordinal ("14th Cross").
    ordinal: bool,
    /// Name words so far.
    names: usize,
    /// Lowercase name words so far (at most two).
    lower_names: usize,
}

/// What a [`StreetWalk`] step decided.
enum Walk {
    /// Go on with the next token.
    Next,
    /// The walk is over: the street found, if any.
    Done(Option<(usize, bool)>),
}

impl StreetWalk<'_> {
    /// Take token `t` (at index `j`): a name word, or the street word that ends the street.
    fn step(&mut self, j: usize, t: &Tok) -> Walk {
        let (text, toks) = (self.text, self.toks);
        let w = tok_str(text, t);
        match t.k {
            K::Word => {}
            K::Num if is_ordinal(w) && self.names == 0 => {
                // "5 2nd Cross"? rare; "221 5th Avenue" fine.
                self.names += 1;
                return Walk::Next;
            }
            _ => return Walk::Done(None),
        }
        let cap = is_cap(w);
        if words::is_street_word(w) && (self.names > 0 || self.ordinal) {
            // A second street word continues the name ("2nd Main Road", "MG Road Cross").
            let mut k = j;
            while toks
                .get(k + 1)
                .is_some_and(|n| n.k == K::Word && words::is_street_word(tok_str(text, n)))
            {
                k += 1;
            }
            let strong = cap || self.lower_names == 0;
            return Walk::Done(Some((street_tail(text, toks, k), strong)));
        }
        if lower_in(PREFIX_STREETS, w) && self.names == 0 && !self.ordinal {
            return Walk::Done(prefix_street_end(text, toks, j).map(|l| (l, true)));
        }
        if words::has_street_suffix(w) && self.names == 0 {
            return Walk::Done(Some((suffix_street_end(text, toks, j), true)));
        }
        // A name word.
        if words::is_stopword(w) || lower_in(BREAKERS, w) && !cap {
            return Walk::Done(None);
        }
        if cap || lower_in(PARTICLES, w) {
            self.names += 1;
        } else if w.chars().all(char::is_lowercase) && self.lower_names < 2 {
            self.names += 1;
            self.lower_names += 1;
        } else {
            return Walk::Done(None);
        }
        Walk::Next
    }
}

/// "6750 Koskikatu 25", "12 Hauptstraße": a word with a street suffix at token `j`, with the house
/// number right after it if there is one: the last token.
fn suffix_street_end(text: &str, toks: &[Tok], j: usize) -> usize {
    match toks.get(j + 1) {
        Some(nx) if nx.k == K::Num && is_house_number(tok_str(text, nx)) => j + 1,
        _ => j,
    }
}

/// "12 rue de la Paix", "5 Calle Mayor", "10 Via Roma": the last capitalized word among the one to
/// four names after the street word at token `j`.
fn prefix_street_end(text: &str, toks: &[Tok], j: usize) -> Option<usize> {
    let mut k = j + 1;
    let mut last = None;
    while k < toks.len() && k <= j + 5 {
        let nt = toks.get(k)?;
        let nw = tok_str(text, nt);
        if nt.k == K::Word && (is_cap(nw) || lower_in(PARTICLES, nw)) && !words::is_stopword(nw)
            || (nt.k == K::Word && lower_in(PARTICLES, nw))
        {
            if is_cap(nw) {
                last = Some(k);
            }
            k += 1;
        } else {
            break;
        }
    }
    last
}

/// The street that ends at token `end`, with a directional suffix ("Avenue NW") and a trailing
/// number ("Rákóczi út 13"): the new last token.
fn street_tail(text: &str, toks: &[Tok], mut end: usize) -> usize {
    if let Some(d) = toks.get(end + 1) {
        let dw = tok_str(text, d);
        if d.k == K::Word && lower_in(DIRECTIONS, dw) && dw.chars().all(char::is_uppercase)
            || d.k == K::Word && matches!(dw, "North" | "South" | "East" | "West")
        {
            end += 1;
        }
    }
    if let Some(nx) = toks.get(end + 1) {
        if nx.k == K::Num
            && is_house_number(tok_str(text, nx))
            && !matches!(util::byte_at(text, nx.e), Some(b'%' | b':'))
        {
            // Only glued by a space, and not the start of a ZIP (handled by extension anyway).
            end += 1;
        }
    }
    end
}

/// A street name right before the number token `i` ("Mellemvej 32", "Via Roma 10",
/// "Pod Floriánem 1677" is not found): the start offset.
fn street_before(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let p = toks.get(i.checked_sub(1)?)?;
    if util::slice(text, p.e, toks.get(i)?.s).contains('\n') {
        return None;
    }
    // An abbreviated street word after the name: "Kálmán Imre u. 12", "Hauptstr. 5".
    if p.k == K::Dot {
        return abbreviated_street_before(text, toks, i);
    }
    if p.k != K::Word {
        return None;
    }
    let pw = tok_str(text, p);
    if words::has_street_suffix(pw) && is_cap(pw) {
        return Some(p.s);
    }
    let (start, saw_street) = street_words_before(text, toks, i)?;
    // A lone street word ("Street 5") is not enough: there must be a name too.
    let s = start?;
    let name_words = toks
        .iter()
        .filter(|t| t.s >= s && t.e <= p.e && t.k == K::Word)
        .count();
    (saw_street && name_words >= 2).then_some(s)
}

/// "Kálmán Imre u. 12", "Hauptstr. 5": an abbreviated street word and its dot before the number
/// token `i`, after up to three capitalized names: the first name's start.
fn abbreviated_street_before(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let p = toks.get(i.checked_sub(1)?)?;
    let a = toks.get(i.checked_sub(2)?)?;
    if a.k != K::Word || !lower_in(ABBR_SUFFIX_STREETS, tok_str(text, a)) || a.e != p.s {
        return None;
    }
    let mut start = None;
    let mut j = i - 2;
    while j > 0 && i - 2 - j < 3 {
        j -= 1;
        let t = toks.get(j)?;
        if t.k != K::Word || !is_cap(tok_str(text, t)) || words::is_stopword(tok_str(text, t)) {
            break;
        }
        start = Some(t.s);
    }
    start
}

/// "Baker Street 221", "Calle Mayor 5", "Via Roma 10", "ul. Biskupa Bogedaina 118": a capitalized
/// street word among the (up to three) capitalized words before the number token `i`. Returns the
/// street's start, if any, and whether a street word was seen.
fn street_words_before(text: &str, toks: &[Tok], i: usize) -> Option<(Option<usize>, bool)> {
    let mut j = i - 1;
    let mut start = None;
    let mut saw_street = false;
    for _ in 0..4 {
        let t = toks.get(j)?;
        let w = tok_str(text, t);
        let street = is_cap(w)
            && (words::is_street_word(w) || lower_in(PREFIX_STREETS, w))
            && !w.eq_ignore_ascii_case("main");
        // An abbreviated street word before the name: "ul. Biskupa Bogedaina 118".
        if t.k == K::Dot {
            if let Some(a) = j.checked_sub(1).and_then(|k| toks.get(k)) {
                if a.k == K::Word && a.e == t.s && lower_in(ABBR_PREFIX_STREETS, tok_str(text, a)) {
                    saw_street = true;
                    start = Some(a.s);
                }
            }
            break;
        }
        if t.k != K::Word
            || !(is_cap(w) || lower_in(PARTICLES, w))
            || (words::is_stopword(w) && !lower_in(PARTICLES, w) && !street)
        {
            break;
        }
        if street {
            saw_street = true;
            start = Some(t.s);
        } else if saw_street && is_cap(w) {
            start = Some(t.s);
        }
        if j == 0 {
            break;
        }
        j -= 1;
    }
    Some((start, saw_street))
}

/// Extend an address right from token `j` (the anchor ends at byte `end`): returns the new end and
/// how many address parts were added.
fn extend(text: &str, toks: &[Tok], j: usize, end: usize) -> (usize, usize) {
    let (e, parts, _) = extend_full(text, toks, j, end);
    (e, parts)
}

/// [`extend`], also counting the strong parts (units, postal codes, states, countries).
fn extend_full(text: &str, toks: &[Tok], j: usize, end: usize) -> (usize, usize, usize) {
    let mut x = Extension {
        text,
        toks,
        j,
        end,
        parts: 0,
        strong: 0,
        seg_words: 0,
        last_comma: false,
    };
    let limit = end.saturating_add(160);
    while let Some(t) = toks.get(x.j) {
        if t.s > limit || x.gap_before(t) {
            break;
        }
        let flow = match t.k {
            K::Comma | K::Newline => x.separator(t),
            K::Dot => x.dot(t),
            K::Num => x.number(t),
            K::Word => x.word(t),
            K::Hash | K::Other => Flow::Stop,
        };
        match flow {
            Flow::Stop => break,
            Flow::Moved => continue,
            Flow::Next => {}
        }
        x.last_comma = false;
        x.j += 1;
    }
    (x.end, x.parts, x.strong)
}

/// The state of one [`extend_full`] walk: the address so far and the current segment.
struct Extension<'t> {
    text: &'t str,
    toks: &'t [Tok],
    /// The current token.
    j: usize,
    /// The end of the address so far.
    end: usize,
    /// Address parts added.
    parts: usize,
    /// Strong parts added (units, postal codes, states, countries).
    strong: usize,
    /// Capitalized words in the current comma- or newline-separated segment.
    seg_words: usize,
    /// The previous token was a comma.
    last_comma: bool,
}

/// What an [`Extension`] step decided.
enum Flow {
    /// The address ends before this token.
    Stop,
    /// The step moved to the next token itself.
    Moved,
    /// Take the next token.
    Next,
}

impl Extension<'_> {
    /// A big gap on one line before `t` (indentation after a line break is fine).
    fn gap_before(&self, t: &Tok) -> bool {
        if t.s <= self.end {
            return false;
        }
        let gap = util::slice(self.text, self.end, t.s);
        !gap.contains(['\n', '\r']) && gap.chars().filter(|c| *c == ' ').count() > 3
    }

    /// Add a strong part that ends at `e`.
    fn strong_part(&mut self, e: usize) {
        self.parts += 1;
        self.strong += 1;
        self.end = e;
    }

    /// A comma or line break: a new segment (two commas in a row end the address).
    fn separator(&mut self, t: &Tok) -> Flow {
        if self.last_comma && t.k == K::Comma {
            return Flow::Stop;
        }
        self.last_comma = t.k == K::Comma;
        self.seg_words = 0;
        self.j += 1;
        // Quoted lines ("> Suite 828") keep going after the line break.
        if t.k == K::Newline {
            while self
                .toks
                .get(self.j)
                .is_some_and(|q| q.k == K::Other && matches!(tok_str(self.text, q), ">" | "|"))
            {
                self.j += 1;
            }
        }
        Flow::Moved
    }

    /// An abbreviation dot ("Ave.", "Apt.") continues into a number, unit, state or code.
    fn dot(&mut self, t: &Tok) -> Flow {
        let text = self.text;
        let next = self.toks.get(self.j + 1);
        let cont = next.is_some_and(|n| {
            let nw = tok_str(text, n);
            n.k == K::Num
                || n.k == K::Comma
                || n.k == K::Newline
                || (n.k == K::Word
                    && (lower_in(UNIT_CUES, nw) && nw.len() > 2 || words::is_state_code(nw)))
        }) && util::slice(text, t.e, next.map_or(t.e, |n| n.s)).len() <= 2;
        if !cont {
            return Flow::Stop;
        }
        self.j += 1;
        Flow::Moved
    }

    /// A house, unit or postal number (an Indian PIN "560 038" in two tokens).
    fn number(&mut self, t: &Tok) -> Flow {
        let text = self.text;
        let w = tok_str(text, t);
        if !address_number(text, t, w) {
            return Flow::Stop;
        }
        // Indian PIN written "560 038".
        let mut e = t.e;
        if w.len() == 3 {
            if let Some(n) = self.toks.get(self.j + 1) {
                let nw = tok_str(text, n);
                if n.k == K::Num && nw.len() == 3 && n.s == t.e + 1 {
                    e = n.e;
                    self.j += 1;
                }
            }
        }
        self.parts += 1;
        if (postal_like(w) && w.len() >= 4) || e > t.e {
            self.strong += 1;
        }
        self.end = e;
        Flow::Next
    }

    /// A country, unit word, state or postal code, a capitalized place word, a name particle, or
    /// a lowercase street or place word inside a segment.
    fn word(&mut self, t: &Tok) -> Flow {
        let (text, toks, j) = (self.text, self.toks, self.j);
        let w = tok_str(text, t);
        if words::is_country(w) || multi_country(text, toks, j).is_some() {
            let e = multi_country(text, toks, j).unwrap_or(t.e);
            while toks.get(self.j + 1).is_some_and(|n| n.e <= e) {
                self.j += 1;
            }
            self.strong_part(e);
            return Flow::Next;
        }
        let cap = is_cap(w);
        let upper_code = w.len() <= 4
            && w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let next_cap = toks
            .get(j + 1)
            .is_some_and(|n| n.k == K::Word && is_cap(tok_str(text, n)));
        if lower_in(UNIT_CUES, w) && w.len() > 1 && (cap || w.len() > 3) {
            // "Apt. 864", "Suite 57": the number follows.
            self.strong_part(t.e);
        } else if upper_code && (words::is_state_code(w) || postal_like(w)) {
            self.strong_part(t.e);
        } else if cap
            && !lower_in(BREAKERS, w)
            && (!words::is_stopword(w) || lower_in(PARTICLES, w) || (next_cap && w != "I"))
        {
            self.seg_words += 1;
            if self.seg_words > 5 {
                return Flow::Stop;
            }
            if self.seg_words == 1 {
                self.parts += 1;
            }
            self.end = t.e;
        } else if lower_in(PARTICLES, w) && next_cap {
            // "Dusino San Michele", "Stratford upon Avon": keep going.
        } else if !cap
            && (words::is_street_word(w) || words::is_place_word(w))
            && self.seg_words > 0
        {
            self.end = t.e;
        } else {
            return Flow::Stop;
        }
        Flow::Next
    }
}

/// Whether the number token `t` (text `w`) can be part of an address: a house or postal number,
/// not a time, percentage, fraction, decimal, phone number or other long digit run.
fn address_number(text: &str, t: &Tok, w: &str) -> bool {
    if !(postal_like(w) || is_house_number(w)) {
        return false;
    }
    if matches!(util::byte_at(text, t.e), Some(b':' | b'%' | b'/')) {
        return false;
    }
    // Decimals ("63.02", "1,299") are not address numbers.
    if matches!(util::byte_at(text, t.e), Some(b'.' | b','))
        && util::byte_at(text, t.e + 1).is_some_and(|b| b.is_ascii_digit())
    {
        return false;
    }
    // A phone number or long digit run after an address is not part of it.
    w.len() <= 6 || w.contains('-')
}

/// Two- or three-word country names ("United States", "South Africa"): the end offset.
fn multi_country(text: &str, toks: &[Tok], j: usize) -> Option<usize> {
    let a = toks.get(j)?;
    if a.k != K::Word || !is_cap(tok_str(text, a)) {
        return None;
    }
    for n in [3usize, 2] {
        let last = toks.get(j + n - 1)?;
        if toks.get(j..j + n)?.iter().any(|t| t.k != K::Word) {
            continue;
        }
        let phrase = util::slice(text, a.s, last.e);
        if phrase.len() < 40
            && words::is_country(&phrase.split_whitespace().collect::<Vec<_>>().join(" "))
        {
            return Some(last.e);
        }
    }
    None
}

/// Postal-code shapes: 4–6 digits, ZIP+4, UK/Canadian halves ("SW1A", "1AA", "K1A", "0B6").
fn postal_like(w: &str) -> bool {
    let b = w.as_bytes();
    let all_digits = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    if all_digits {
        return (3..=6).contains(&b.len());
    }
    // ZIP+4.
    if let Some((a, c)) = w.split_once('-') {
        return a.len() == 5
            && c.len() == 4
            && a.bytes().chain(c.bytes()).all(|x| x.is_ascii_digit());
    }
    let has_d = b.iter().any(u8::is_ascii_digit);
    let has_l = b.iter().any(u8::is_ascii_uppercase);
    (2..=4).contains(&b.len())
        && has_d
        && has_l
        && b.iter()
            .all(|x| x.is_ascii_digit() || x.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::{find_with, texts};

    fn addrs(t: &str) -> Vec<&str> {
        texts(t, &find_with(t, Address::new, Address::find))
    }

    #[test]
    fn us_style() {
        assert_eq!(addrs("I live at 221 Maple Ave."), vec!["221 Maple Ave"]);
        assert_eq!(
            addrs("221B Baker Street, London"),
            vec!["221B Baker Street, London"]
        );
        assert_eq!(
            addrs("send it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 please"),
            vec!["1600 Pennsylvania Avenue NW, Washington, DC 20500"]
        );
        assert_eq!(
            addrs("Apt 4B, 221 Maple Ave, Boise, ID 83702."),
            vec!["Apt 4B, 221 Maple Ave, Boise, ID 83702"]
        );
        assert_eq!(addrs("i live at 221 maple ave lol"), vec!["221 maple ave"]);
        assert_eq!(addrs("PO Box 104"), vec!["PO Box 104"]);
        assert_eq!(
            addrs("P.O. Box 104, Austin, TX 78701"),
            vec!["P.O. Box 104, Austin, TX 78701"]
        );
        assert_eq!(addrs("254 Damvergi Street"), vec!["254 Damvergi Street"]);
        assert_eq!(
            addrs("is 131 S. DEARBORN STREET, CHICAGO, IL, 60603. Then"),
            vec!["131 S. DEARBORN STREET, CHICAGO, IL, 60603"]
        );
        assert_eq!(
            addrs("at 131 S. Dearborn Street Chicago, IL 60603 x"),
            vec!["131 S. Dearborn Street Chicago, IL 60603"]
        );
        assert_eq!(
            addrs("17031 2202 Rissik St Apt. 050 Coalville South Africa"),
            vec!["17031 2202 Rissik St Apt. 050 Coalville South Africa"]
        );
    }

    #[test]
    fn chat_style() {
        assert_eq!(
            addrs("my address is 42, MG Road, Bengaluru 560001"),
            vec!["42, MG Road, Bengaluru 560001"]
        );
        assert_eq!(
            addrs("I stay at B-204, Lake View Apartments, Powai, Mumbai 400076"),
            vec!["B-204, Lake View Apartments, Powai, Mumbai 400076"]
        );
        assert_eq!(
            addrs("send it to 350 Fifth Avenue, New York, NY 10118"),
            vec!["350 Fifth Avenue, New York, NY 10118"]
        );
        assert_eq!(addrs("near 2nd Main Road"), vec!["2nd Main Road"]);
        assert!(addrs("Grade B-2, 3 more to go").is_empty());
    }

    #[test]
    fn indian_style() {
        assert_eq!(
            addrs("Flat 302, Sai Krupa Apartments, 14th Cross, Indiranagar, Bengaluru 560038"),
            vec!["Flat 302, Sai Krupa Apartments, 14th Cross, Indiranagar, Bengaluru 560038"]
        );
        assert_eq!(
            addrs("H.No. 12-3-456, Banjara Hills, Hyderabad"),
            vec!["H.No. 12-3-456, Banjara Hills, Hyderabad"]
        );
        assert_eq!(
            addrs("#45, 2nd Main, Koramangala"),
            vec!["#45, 2nd Main, Koramangala"]
        );
        assert_eq!(
            addrs("मेरा पता: Flat 12, Shanti Nagar, Pune 411001 है"),
            vec!["Flat 12, Shanti Nagar, Pune 411001"]
        );
    }

    #[test]
    fn european_style() {
        assert_eq!(addrs("Mellemvej 32"), vec!["Mellemvej 32"]);
        assert_eq!(
            addrs("wohne in der Hauptstraße 5, 10115 Berlin"),
            vec!["Hauptstraße 5, 10115 Berlin"]
        );
        assert_eq!(
            addrs("12 rue de la Paix, Paris"),
            vec!["12 rue de la Paix, Paris"]
        );
        assert_eq!(addrs("Via Roma 10"), vec!["Via Roma 10"]);
        assert_eq!(
            addrs("The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677"),
            vec!["6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677"]
        );
        assert_eq!(
            addrs("10 Downing Street, London SW1A 2AA"),
            vec!["10 Downing Street, London SW1A 2AA"]
        );
    }

    #[test]
    fn extra_forms() {
        assert_eq!(addrs("my zip code is 35350"), vec!["35350"]);
        assert_eq!(addrs("ZIP: 83702"), vec!["83702"]);
        assert_eq!(addrs("pin code 560 038"), vec!["560 038"]);
        assert_eq!(
            addrs("PSC 0413, Box 8144\nAPO AA 42323"),
            vec!["PSC 0413, Box 8144\nAPO AA 42323"]
        );
        assert_eq!(
            addrs("> 935 69 Gordon Terrace\n> Suite 828\n> BASHALL TOWN\n> United Kingdom 89800"),
            vec!["935 69 Gordon Terrace\n> Suite 828\n> BASHALL TOWN\n> United Kingdom 89800"]
        );
        assert_eq!(
            addrs("5850 Jana Nerudy 894\nRiisa\n Estonia 62488"),
            vec!["5850 Jana Nerudy 894\nRiisa\n Estonia 62488"]
        );
        assert_eq!(
            addrs("5586 Þórunnarstræti 31, Akureyri"),
            vec!["5586 Þórunnarstræti 31, Akureyri"]
        );
        assert_eq!(
            addrs("Billing address:\n    28245 Puruntie 82 Apt. 595\n   LAPPEENRANTA\n    53650"),
            vec!["28245 Puruntie 82 Apt. 595\n   LAPPEENRANTA\n    53650"]
        );
        assert!(addrs("I have 3 Apples 5").is_empty());
        assert!(addrs("96 June 96 July 95\nM1 63.02 62.83").is_empty());
        assert!(
            addrs("pin 4521").is_empty(),
            "a bank PIN is not a postal code"
        );
    }

    #[test]
    fn negatives() {
        for t in [
            "I have 3 dogs on the street",
            "I walked 5 blocks down the road",
            "#1 fan",
            "Flat 3 is empty",
            "I ran 5 miles along the river road",
            "it costs $20 on Main St",
            "at 10:30 in the Court",
            "Room 5 please",
            "we scored 3 goals",
            "Street 5",
        ] {
            assert!(addrs(t).is_empty(), "{t:?} -> {:?}", addrs(t));
        }
    }
}
