//! Small helpers shared by the pattern families: regex compilation, safe slicing, boundary and
//! context checks, and the digit windows most families scan.

use regex::{Captures, Regex, RegexBuilder, RegexSet, RegexSetBuilder, SetMatches};

use super::Family;

use crate::error::{Error, Result};
use crate::label::Label;
use crate::rule::Rule;
use crate::span::{Finding, Span};

/// Compile one built-in pattern, mapping failure to [`Error::Pattern`].
pub(crate) fn compile(name: &'static str, pattern: &str) -> Result<Regex> {
    RegexBuilder::new(pattern)
        .size_limit(32 << 20)
        .dfa_size_limit(8 << 20)
        .build()
        .map_err(|e| Error::Pattern {
            name,
            source: Box::new(e),
        })
}

/// Collects the patterns of the digit-window families into one [`RegexSet`], so that a window is
/// scanned once to learn which of the (many) family regexes can match there at all.
#[derive(Default)]
pub(crate) struct GateBuilder {
    pats: Vec<String>,
}

impl GateBuilder {
    /// Register a gate pattern; returns its index for [`Win::hit`].
    pub(crate) fn add(&mut self, pattern: &str) -> usize {
        self.pats.push(pattern.to_string());
        self.pats.len() - 1
    }

    /// Compile a family regex and register the same pattern as its gate.
    pub(crate) fn regex(&mut self, name: &'static str, pattern: &str) -> Result<(Regex, usize)> {
        let re = compile(name, pattern)?;
        Ok((re, self.add(pattern)))
    }

    /// Compile the gate.
    pub(crate) fn build(&self) -> Result<Gate> {
        let set = RegexSetBuilder::new(&self.pats)
            .size_limit(64 << 20)
            .dfa_size_limit(16 << 20)
            .build()
            .map_err(|e| Error::Pattern {
                name: "gate",
                source: Box::new(e),
            })?;
        Ok(Gate { set })
    }
}

/// The compiled gate of all digit-window patterns.
pub(crate) struct Gate {
    set: RegexSet,
}

impl Gate {
    /// The digit windows of `text` in which at least one gated pattern matches, with the set of
    /// patterns that do.
    pub(crate) fn windows(&self, text: &str, margin: usize) -> Vec<Win> {
        digit_windows(text, margin)
            .into_iter()
            .filter_map(|(s, e)| {
                let hay = text.get(..e)?;
                let hits = self.set.matches_at(hay, s);
                hits.matched_any().then_some(Win { s, e, hits })
            })
            .collect()
    }
}

/// One digit window and the gate patterns that match inside it.
pub(crate) struct Win {
    /// Start byte.
    pub s: usize,
    /// End byte.
    pub e: usize,
    hits: SetMatches,
}

impl Win {
    /// Whether gate pattern `i` matches in this window.
    #[inline]
    pub(crate) fn hit(&self, i: usize) -> bool {
        self.hits.matched(i)
    }
}

/// Push a finding when `[s, e)` is a valid span of `text`; silently skip it otherwise.
pub(crate) fn push(
    out: &mut Vec<Finding>,
    text: &str,
    (s, e): (usize, usize),
    fam: Family,
    kind: Option<&'static str>,
    score: f32,
) {
    if let Some(span) = Span::new(text, s, e) {
        out.push(Finding {
            span,
            label: fam.label(),
            kind,
            score: score.clamp(0.0, 1.0),
            detector: Rule::Pattern(fam),
        });
    }
}

/// The byte at `i`, if any.
#[inline]
pub(crate) fn byte_at(text: &str, i: usize) -> Option<u8> {
    text.as_bytes().get(i).copied()
}

/// The character ending at byte `i` (the one before `i`), if `i` is a boundary and not 0.
#[inline]
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// The character starting at byte `i`, if `i` is a boundary inside the text.
#[inline]
pub(crate) fn char_after(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// The length of a markdown escape before an underscore at byte `i`: one or two backslashes
/// followed by `_` (`philipp\_hauer`, `a\\_b`), as chat logs exported to markdown write the
/// underscores inside links, handles and tokens; 0 when there is none. Scanners of such tokens
/// step over the backslashes and read on.
#[inline]
pub(crate) fn md_escape_len(text: &str, i: usize) -> usize {
    let b = text.as_bytes();
    let n = b
        .get(i..)
        .map_or(0, |r| r.iter().take(2).take_while(|&&c| c == b'\\').count());
    if n > 0 && b.get(i + n) == Some(&b'_') {
        n
    } else {
        0
    }
}

/// `s` without the backslashes of markdown escapes ([`md_escape_len`]), borrowed when it has
/// none: what a scanned token is once its escapes are read.
pub(crate) fn unescaped(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\\') {
        std::borrow::Cow::Owned(s.replace('\\', ""))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The largest character boundary `<= i` (clamped to the text).
pub(crate) fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary `>= i` (clamped to the text).
pub(crate) fn ceil_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `text[s..e]`, or `""` when the range is not valid.
#[inline]
pub(crate) fn slice(text: &str, s: usize, e: usize) -> &str {
    text.get(s..e).unwrap_or("")
}

/// Whether `c` is a letter or digit (any script).
#[inline]
pub(crate) fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether the character before `i` is a letter or digit (so `i` is not a word start).
#[inline]
pub(crate) fn alnum_before(text: &str, i: usize) -> bool {
    char_before(text, i).is_some_and(is_alnum)
}

/// Whether the character at `i` is a letter or digit (so `i` is not a word end).
#[inline]
pub(crate) fn alnum_after(text: &str, i: usize) -> bool {
    char_after(text, i).is_some_and(is_alnum)
}

/// The up to `n` bytes before `pos`, ASCII-lowercased (for context cues).
pub(crate) fn lower_before(text: &str, pos: usize, n: usize) -> String {
    let pos = floor_boundary(text, pos);
    let s = floor_boundary(text, pos.saturating_sub(n));
    slice(text, s, pos).to_ascii_lowercase()
}

/// The up to `n` bytes after `pos`, ASCII-lowercased.
pub(crate) fn lower_after(text: &str, pos: usize, n: usize) -> String {
    let pos = ceil_boundary(text, pos);
    let e = floor_boundary(text, pos.saturating_add(n));
    slice(text, pos, e).to_ascii_lowercase()
}

/// Whether any of `cues` (lowercase) occurs in `hay` (already lowercase) starting at a word start.
/// A cue ending in a letter must also end at a word end.
pub(crate) fn has_cue(hay: &str, cues: &[&str]) -> bool {
    let b = hay.as_bytes();
    for cue in cues {
        let mut from = 0;
        while let Some(rel) = hay.get(from..).and_then(|h| h.find(cue)) {
            let s = from + rel;
            let e = s + cue.len();
            let start_ok = s == 0 || !b.get(s - 1).is_some_and(|c| c.is_ascii_alphanumeric());
            let end_ok = !cue
                .as_bytes()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric())
                || !b.get(e).is_some_and(|c| c.is_ascii_alphabetic());
            if start_ok && end_ok {
                return true;
            }
            from = s + 1;
            while from < hay.len() && !hay.is_char_boundary(from) {
                from += 1;
            }
        }
    }
    false
}

/// Digit windows: ranges of `text` around clusters of ASCII digits, extended by `margin` bytes
/// on each side and then out to whitespace (so no word is cut), merged when they touch.
///
/// Families whose matches always contain a digit only look inside these windows, which keeps the
/// cost on digit-free chat text at one byte scan.
pub(crate) fn digit_windows(text: &str, margin: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        // Find the next digit.
        let Some(rel) = bytes.get(i..).and_then(next_digit) else {
            break;
        };
        let first = i + rel;
        let mut last = first;
        let mut j = first + 1;
        // Extend the cluster while the next digit is within 2 * margin.
        while j < n {
            match bytes.get(j..).and_then(next_digit) {
                Some(r) if r <= 2 * margin => {
                    last = j + r;
                    j = last + 1;
                }
                _ => break,
            }
        }
        let s = extend_left(text, first.saturating_sub(margin));
        let e = extend_right(text, (last + 1).saturating_add(margin));
        match out.last_mut() {
            Some(prev) if s <= prev.1 => prev.1 = prev.1.max(e),
            _ => out.push((s, e)),
        }
        i = last + 1;
    }
    out
}

/// The offset of the first digit in `b`: an ASCII digit, or the lead byte of a Devanagari digit
/// (U+0966..U+096F, bytes `E0 A5 A6..AF`), which Hindi text uses for ages and dates ("२५ साल").
fn next_digit(b: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let rel = b
            .get(from..)?
            .iter()
            .position(|x| x.is_ascii_digit() || *x == 0xE0)?;
        let p = from + rel;
        if b.get(p).is_some_and(u8::is_ascii_digit)
            || (b.get(p + 1) == Some(&0xA5)
                && b.get(p + 2).is_some_and(|x| (0xA6..=0xAF).contains(x)))
        {
            return Some(p);
        }
        from = p + 1;
    }
}

/// Parse a number written in ASCII or Devanagari digits ("25", "२५"); `None` for anything else.
pub(crate) fn num_any(s: &str) -> Option<u32> {
    if s.is_ascii() {
        return num(s);
    }
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '0'..='9' => c,
            '०'..='९' => char::from_u32(u32::from(c) - 0x0966 + u32::from(b'0')).unwrap_or('x'),
            _ => 'x',
        })
        .collect();
    num(&ascii)
}

/// Move `i` left to a character boundary just after whitespace (at most 48 bytes further).
pub(crate) fn extend_left(text: &str, i: usize) -> usize {
    let mut i = floor_boundary(text, i);
    let stop = i.saturating_sub(48);
    while i > stop {
        match byte_at(text, i - 1) {
            Some(b) if b.is_ascii_whitespace() => break,
            _ => i -= 1,
        }
    }
    floor_boundary(text, i)
}

/// Move `i` right to a character boundary at whitespace (at most 48 bytes further).
pub(crate) fn extend_right(text: &str, i: usize) -> usize {
    let mut i = ceil_boundary(text, i);
    let stop = i.saturating_add(48).min(text.len());
    while i < stop {
        match byte_at(text, i) {
            Some(b) if b.is_ascii_whitespace() => break,
            _ => i += 1,
        }
    }
    ceil_boundary(text, i)
}

/// Call `f` for each leftmost-first match of `re` in `text[ws..we]`, seeing the whole text before
/// `ws` for look-behind (`\b`). Matches do not overlap.
pub(crate) fn each_captures<'t>(
    re: &Regex,
    text: &'t str,
    ws: usize,
    we: usize,
    mut f: impl FnMut(&Captures<'t>),
) {
    let Some(hay) = text.get(..we) else { return };
    let mut pos = ws;
    while pos < we {
        let Some(c) = re.captures_at(hay, pos) else {
            break;
        };
        let Some(m) = c.get(0) else { break };
        f(&c);
        pos = if m.end() > pos {
            m.end()
        } else {
            ceil_boundary(text, pos + 1)
        };
    }
}

/// Remove from `out[from..]` every finding that lies inside another finding of the same label there
/// (exact duplicates keep the first, higher score wins on equal spans).
pub(crate) fn drop_contained(out: &mut Vec<Finding>, from: usize) {
    let Some(tail) = out.get(from..) else { return };
    if tail.len() < 2 {
        return;
    }
    // Sort by (label, start, longest first, best score first); an item is contained in an earlier
    // one of its label exactly when the largest end seen so far reaches its end.
    let mut order: Vec<(usize, &Finding)> = tail.iter().enumerate().collect();
    order.sort_by(|(i, a), (j, b)| {
        a.label
            .cmp(&b.label)
            .then(a.span.start().cmp(&b.span.start()))
            .then(b.span.end().cmp(&a.span.end()))
            .then(b.score.total_cmp(&a.score))
            .then(i.cmp(j))
    });
    let mut keep = vec![true; tail.len()];
    let mut cur: Option<(Label, usize)> = None;
    for (i, f) in order {
        match cur {
            Some((l, max_end)) if l == f.label && f.span.end() <= max_end => {
                if let Some(k) = keep.get_mut(i) {
                    *k = false;
                }
            }
            Some((l, max_end)) if l == f.label => cur = Some((l, max_end.max(f.span.end()))),
            _ => cur = Some((f.label, f.span.end())),
        }
    }
    let mut idx = 0;
    out.retain(|_| {
        let k = idx < from || keep.get(idx - from).copied().unwrap_or(true);
        idx += 1;
        k
    });
}

/// Parse an ASCII digit string into a number (saturating; non-digits give `None`).
pub(crate) fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Spans to test ranges against, sorted by start with the furthest end so far: one binary
/// search per test, where comparing with every span was quadratic on long messages.
pub(crate) struct SpanSet {
    spans: Vec<(usize, usize)>,
    reach: Vec<usize>,
}

impl SpanSet {
    /// A set of `(start, end)` spans, in any order.
    pub(crate) fn new(mut spans: Vec<(usize, usize)>) -> SpanSet {
        spans.sort_unstable();
        let mut far = 0usize;
        let reach = spans
            .iter()
            .map(|&(_, e)| {
                far = far.max(e);
                far
            })
            .collect();
        SpanSet { spans, reach }
    }

    /// Whether any span shares a byte with `[s, e)`.
    pub(crate) fn overlaps(&self, s: usize, e: usize) -> bool {
        let before_end = self.spans.partition_point(|&(bs, _)| bs < e);
        before_end
            .checked_sub(1)
            .and_then(|i| self.reach.get(i))
            .is_some_and(|&far| far > s)
    }
}

/// Luhn checksum over the digits of `s` (other characters ignored).
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The ASCII digits of `s` as values 0–9.
pub(crate) fn digits_of(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_digits_and_merge() {
        let t = "hello there 123 and then much later text that goes on for a while without any digits at all, really none, 456 end";
        let w = digit_windows(t, 10);
        assert_eq!(w.len(), 2);
        for (s, e) in &w {
            assert!(t.is_char_boundary(*s) && t.is_char_boundary(*e));
        }
        assert!(digit_windows("no digits here", 10).is_empty());
        assert_eq!(digit_windows("उम्र २५", 2), vec![(0, "उम्र २५".len())]);
        assert!(digit_windows("हिन्दी में", 4).is_empty());
        assert_eq!(num_any("२५"), Some(25));
        assert_eq!(num_any("2५"), Some(25));
        assert_eq!(num_any("२x"), None);
        let w = digit_windows("1 2 3", 10);
        assert_eq!(w, vec![(0, 5)]);
    }

    #[test]
    fn span_sets_find_every_overlap() {
        let spans = vec![(10, 20), (0, 3), (12, 40), (50, 51)];
        let set = SpanSet::new(spans.clone());
        for s in 0..60 {
            for e in s + 1..62 {
                let naive = spans.iter().any(|&(bs, be)| bs < e && s < be);
                assert_eq!(set.overlaps(s, e), naive, "{s}..{e}");
            }
        }
        assert!(!SpanSet::new(Vec::new()).overlaps(0, 10));
    }

    #[test]
    fn cues_respect_word_starts() {
        assert!(has_cue("please call me", &["call"]));
        assert!(!has_cue("i recall it", &["call"]));
        assert!(!has_cue("at the hotel", &["tel"]));
        assert!(has_cue("tel: ", &["tel"]));
        assert!(!has_cue("telling", &["tel"]));
    }

    /// Published Luhn vectors: Wikipedia's "Luhn algorithm" example 7992739871 with check digit
    /// 3, and the card networks' published test numbers (Visa, Mastercard, Amex, Discover, JCB,
    /// Diners).
    #[test]
    fn luhn_works() {
        assert!(luhn(&digits_of("4111 1111 1111 1111")));
        assert!(!luhn(&digits_of("4111 1111 1111 1112")));
        for d in 0..10u8 {
            let n = format!("7992739871{d}");
            assert_eq!(luhn(&digits_of(&n)), d == 3, "{n}");
        }
        for valid in [
            "79927398713",
            "4012888888881881",
            "5555555555554444",
            "5105105105105100",
            "378282246310005",
            "371449635398431",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
        ] {
            assert!(luhn(&digits_of(valid)), "{valid}");
        }
        assert!(!luhn(&digits_of("378282246310006")));
        assert!(!luhn(&[]));
    }
}
