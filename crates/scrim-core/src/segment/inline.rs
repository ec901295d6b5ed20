//! Markdown code spans in prose: CommonMark backtick-run matching within a paragraph.

use std::ops::Range;

use super::{lexer, lines, RegionKind, Tiler};

/// Push `range` (prose or document) into the tiler with its code spans as `InlineCode` (the
/// caller pushes the range's end).
pub(crate) fn spans(text: &str, range: Range<usize>, kind: RegionKind, tiler: &mut Tiler<'_>) {
    let Some(body) = text.get(range.clone()) else {
        return;
    };
    if memchr::memchr(b'`', body.as_bytes()).is_none() {
        return;
    }
    let (mut para, mut at) = (range.start, range.start);
    for line in body.split_inclusive('\n') {
        let end = at + line.len();
        if lines::is_blank(line) {
            paragraph(text, para..at, kind, tiler);
            para = end;
        }
        at = end;
    }
    paragraph(text, para..range.end, kind, tiler);
}

/// One paragraph: pair backtick runs of equal length, the nearest first.
fn paragraph(text: &str, range: Range<usize>, kind: RegionKind, tiler: &mut Tiler<'_>) {
    let Some(body) = text.get(range.clone()) else {
        return;
    };
    let runs = backtick_runs(body, range.start);
    let mut next_same = vec![usize::MAX; runs.len()];
    let mut last_of_len: Vec<(usize, usize)> = Vec::new();
    for (k, run) in runs.iter().enumerate().rev() {
        let n = run.len();
        match last_of_len.iter_mut().find(|(len, _)| *len == n) {
            Some(slot) => {
                if let Some(v) = next_same.get_mut(k) {
                    *v = slot.1;
                }
                slot.1 = k;
            }
            None => last_of_len.push((n, k)),
        }
    }
    let mut k = 0;
    while let Some(open) = runs.get(k) {
        let Some(close) = next_same.get(k).and_then(|&c| runs.get(c)) else {
            k += 1;
            continue;
        };
        tiler.push(kind, kind, None, open.start);
        lexer::lex(
            text,
            open.end..close.start,
            RegionKind::InlineCode,
            None,
            tiler,
        );
        tiler.push(
            RegionKind::InlineCode,
            RegionKind::InlineCode,
            None,
            close.end,
        );
        k = next_same.get(k).map_or(usize::MAX, |&c| c + 1);
    }
}

/// The backtick runs of `body`, as absolute ranges.
fn backtick_runs(body: &str, base: usize) -> Vec<Range<usize>> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(off) = b.get(k..).and_then(|r| memchr::memchr(b'`', r)) {
        let s = k + off;
        let n = b.iter().skip(s).take_while(|&&c| c == b'`').count();
        out.push(base + s..base + s + n);
        k = s + n;
    }
    out
}
