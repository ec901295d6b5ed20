//! A language-agnostic lexer for string literals and comments inside code and shell regions.
//!
//! Literals and comments become `CodeText` with their quotes and markers. A `"` literal ends at
//! its closing quote or at the end of the line; a `'` literal must close on the same line and
//! does not open after a letter or digit (`don't`, `Bob's`); in Rust it opens only a character
//! literal (`'a'`, `'\n'`), never a lifetime.

use std::ops::Range;

use memchr::memmem;

use super::fence::Lang;
use super::{shell, RegionKind, Tiler};

/// Which comment and string forms a language has.
#[derive(Clone, Copy)]
struct Rules {
    /// `#` line comments (at line start or after whitespace).
    hash: bool,
    /// `//` line comments and `/* */` block comments.
    slash: bool,
    /// `--` line comments.
    dash: bool,
    /// `"""` and `'''` strings.
    triple: bool,
    /// Backtick strings may span lines.
    backtick_lines: bool,
    /// `'` opens only character literals.
    char_only: bool,
}

fn rules(lang: Option<Lang>) -> Rules {
    let mut r = Rules {
        hash: false,
        slash: false,
        dash: false,
        triple: false,
        backtick_lines: false,
        char_only: false,
    };
    match lang {
        Some(Lang::Python) => (r.hash, r.triple) = (true, true),
        Some(Lang::Shell | Lang::Hash | Lang::Yaml | Lang::Toml | Lang::Ini) => r.hash = true,
        Some(Lang::CLike) => (r.slash, r.backtick_lines) = (true, true),
        Some(Lang::Rust) => (r.slash, r.char_only) = (true, true),
        Some(Lang::Sql) => (r.slash, r.dash) = (true, true),
        Some(Lang::Dash) => r.dash = true,
        _ => (r.hash, r.slash, r.dash, r.triple, r.backtick_lines) = (true, true, true, true, true),
    }
    r
}

/// Push `range` of `text` into the tiler as `kind` with its literals and comments as
/// `CodeText` (the caller pushes the range's end).
pub(crate) fn lex(
    text: &str,
    range: Range<usize>,
    kind: RegionKind,
    lang: Option<Lang>,
    tiler: &mut Tiler<'_>,
) {
    let r = rules(lang.or((kind == RegionKind::Shell).then_some(Lang::Shell)));
    let b = text.as_bytes();
    let mut k = range.start;
    while k < range.end {
        if kind == RegionKind::Shell && (k == range.start || b.get(k - 1) == Some(&b'\n')) {
            k += line_prompt(text, k, range.end);
        }
        let Some(end) = literal(b, k, range.clone(), r) else {
            k += 1;
            continue;
        };
        let end = end.min(range.end);
        tiler.push(kind, kind, lang, k);
        tiler.push(RegionKind::CodeText, kind, lang, end);
        k = end.max(k + 1);
    }
}

/// The length of a shell prompt opening the line at `k` (zero when none).
fn line_prompt(text: &str, k: usize, end: usize) -> usize {
    let line_end = line_end(text.as_bytes(), k, end);
    text.get(k..line_end)
        .and_then(shell::prompt_len)
        .unwrap_or(0)
}

/// The end of the literal or comment starting at `k`, if one starts there.
fn literal(b: &[u8], k: usize, range: Range<usize>, r: Rules) -> Option<usize> {
    let c = *b.get(k)?;
    let prev = if k > range.start {
        b.get(k - 1).copied()
    } else {
        None
    };
    let spaced = prev.is_none_or(|p| p.is_ascii_whitespace() || p == b';');
    let next = b.get(k + 1).copied();
    match c {
        b'"' | b'\'' if r.triple && b.get(k + 1) == Some(&c) && b.get(k + 2) == Some(&c) => {
            Some(find(b, k + 3, range.end, &[c, c, c]).map_or(range.end, |e| e + 3))
        }
        b'"' => Some(close(b, k, range.end, b'"', true)),
        b'\'' if r.char_only => char_literal(b, k),
        b'\'' if prev.is_some_and(|p| p.is_ascii_alphanumeric() || p >= 0x80) => None,
        b'\'' => Some(close(b, k, range.end, b'\'', false))
            .filter(|&e| b.get(e - 1) == Some(&b'\'') && e > k + 1),
        b'`' => backtick(b, k, range.end, r.backtick_lines),
        b'#' if r.hash && spaced && !directive(b, k) => Some(line_end(b, k, range.end)),
        b'/' if r.slash && next == Some(b'/') && prev != Some(b':') => {
            Some(line_end(b, k, range.end))
        }
        b'/' if r.slash && next == Some(b'*') => {
            Some(find(b, k + 2, range.end, b"*/").map_or(range.end, |e| e + 2))
        }
        b'-' if r.dash
            && next == Some(b'-')
            && spaced
            && matches!(b.get(k + 2), Some(b' ' | b'\n' | b'\r') | None) =>
        {
            Some(line_end(b, k, range.end))
        }
        b'<' if b.get(k + 1..k + 4) == Some(b"!--") => {
            Some(find(b, k + 4, range.end, b"-->").map_or(range.end, |e| e + 3))
        }
        _ => None,
    }
}

/// `#include`, `#define`, CSS colours and the like: a `#` directly followed by a letter or digit.
fn directive(b: &[u8], k: usize) -> bool {
    b.get(k + 1)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'[' | b'{' | b'('))
}

fn line_end(b: &[u8], k: usize, end: usize) -> usize {
    memchr::memchr(b'\n', b.get(k..end).unwrap_or(&[])).map_or(end, |e| k + e)
}

fn find(b: &[u8], from: usize, end: usize, needle: &[u8]) -> Option<usize> {
    memmem::find(b.get(from..end)?, needle).map(|e| from + e)
}

/// The end of a quoted string opened at `k`: past its closing quote, or the line's end when
/// `to_eol` (unterminated), else at the line's end as well (the caller checks the quote).
fn close(b: &[u8], k: usize, end: usize, q: u8, to_eol: bool) -> usize {
    let mut j = k + 1;
    while j < end {
        match b.get(j) {
            Some(b'\\') => j += 2,
            Some(&c) if c == q => return j + 1,
            Some(b'\n') | None => return if to_eol { j } else { k + 1 },
            Some(_) => j += 1,
        }
    }
    if to_eol {
        end
    } else {
        k + 1
    }
}

/// `'a'`, `'\n'`, `'\u{1F600}'`, `'é'` (not `'a` lifetimes).
fn char_literal(b: &[u8], k: usize) -> Option<usize> {
    let first = *b.get(k + 1)?;
    if first == b'\\' {
        let n = b
            .iter()
            .skip(k + 2)
            .take(10)
            .position(|&c| c == b'\'' || c == b'\n')?;
        return (b.get(k + 2 + n) == Some(&b'\'')).then_some(k + 3 + n);
    }
    let width = match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    (b.get(k + 1 + width) == Some(&b'\'') && first != b'\'').then_some(k + 2 + width)
}

fn backtick(b: &[u8], k: usize, end: usize, lines: bool) -> Option<usize> {
    let e = memchr::memchr(b'`', b.get(k + 1..end)?)? + k + 1;
    let crosses = memchr::memchr(b'\n', b.get(k..e)?).is_some();
    (lines || !crosses).then_some(e + 1)
}
