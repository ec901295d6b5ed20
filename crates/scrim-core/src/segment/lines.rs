//! Lines of a message and small per-line helpers.

/// One line: its text without the line terminator, and where it starts and the next one starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'t> {
    /// The line's text, without `\n` or `\r\n`.
    pub s: &'t str,
    /// Byte offset of the line's first byte.
    pub start: usize,
    /// Byte offset just past the line terminator (the next line's start).
    pub next: usize,
}

/// The lines of `text` (a final line without terminator included; no empty line after a final
/// newline).
pub(crate) fn split(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(line(text, start, nl, nl + 1));
        start = nl + 1;
    }
    if start < text.len() {
        out.push(line(text, start, text.len(), text.len()));
    }
    out
}

fn line(text: &str, start: usize, end: usize, next: usize) -> Line<'_> {
    let s = text.get(start..end).unwrap_or("");
    let s = s.strip_suffix('\r').unwrap_or(s);
    Line { s, start, next }
}

/// Whether the line holds only whitespace.
pub(crate) fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_whitespace())
}

/// Indentation width (a tab counts four).
pub(crate) fn indent(s: &str) -> usize {
    let mut w = 0;
    for b in s.bytes() {
        match b {
            b' ' => w += 1,
            b'\t' => w += 4,
            _ => break,
        }
    }
    w
}

/// The index of the first non-blank line at or after `i`.
pub(crate) fn next_nonblank(lines: &[Line<'_>], i: usize) -> Option<usize> {
    (i..lines.len()).find(|&k| lines.get(k).is_some_and(|l| !is_blank(l.s)))
}

/// Number of whitespace-separated words.
pub(crate) fn words(s: &str) -> usize {
    s.split_ascii_whitespace().count()
}

/// Whether the line reads like a sentence: six or more words, mostly letters, ending in
/// sentence punctuation, without code punctuation.
pub(crate) fn looks_prose(s: &str) -> bool {
    let t = s.trim();
    if words(t) < 6
        || t.bytes()
            .any(|b| matches!(b, b'{' | b'}' | b';' | b'=' | b'<' | b'>'))
    {
        return false;
    }
    let letters = t.chars().filter(|c| c.is_alphabetic() || *c == ' ').count();
    let ends = t.ends_with(['.', '!', '?', ':', ',', ')'])
        || t.chars().last().is_some_and(char::is_alphabetic);
    ends && letters * 10 >= t.chars().count() * 8
}

/// Whether a line is a markdown list item (`- x`, `* x`, `+ x`, `1. x`, `2) x`).
pub(crate) fn is_list_item(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && digits < 4
        && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(t.as_bytes().get(digits + 1), Some(b' ') | None)
}

/// Whether `b` can be part of an identifier.
pub(crate) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of the identifier at the start of `s`.
pub(crate) fn ident_len(s: &str) -> usize {
    s.bytes().take_while(|&b| is_ident(b)).count()
}
