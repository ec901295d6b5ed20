//! Keys and values inside `Data` regions.

use std::ops::Range;

use super::data::{env_line, kv_line};
use super::{Region, RegionKind};

/// A key and the value it names, as byte ranges into the message (quotes excluded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyValue {
    /// The key: a JSON member name, a `Key:` or `KEY=` name, a table or CSV column header.
    pub key: Range<usize>,
    /// The value the key names (never empty).
    pub value: Range<usize>,
}

/// The key-value pairs of a [`RegionKind::Data`] region of `text` (nothing for other kinds).
///
/// JSON members (`"email": "a@b.c"`; nested objects and arrays yield their scalar members),
/// `key: value` and YAML lines, `KEY=value` and `key = value` lines, markdown table cells
/// (keyed by their column's header cell) and CSV/TSV cells (keyed by the first line's cell).
/// Keys are not interpreted: the caller classifies them, in any language.
pub fn keyed_values(text: &str, region: &Region) -> impl Iterator<Item = KeyValue> {
    let mut out = Vec::new();
    if region.kind == RegionKind::Data {
        if let Some(body) = text.get(region.range.clone()) {
            let base = region.range.start;
            let t = body.trim_start();
            if t.starts_with(['{', '[']) {
                json(body, base, &mut out);
            } else if !table(body, base, &mut out) && !csv(body, base, &mut out) {
                per_line(body, base, &mut out);
            }
        }
    }
    out.into_iter()
}

fn pair(out: &mut Vec<KeyValue>, key: Range<usize>, value: Range<usize>) {
    if !key.is_empty() && !value.is_empty() {
        out.push(KeyValue { key, value });
    }
}

/// The end of the string whose opening quote is at `open`: the index of its closing quote.
fn string_end(b: &[u8], open: usize) -> usize {
    let mut k = open + 1;
    while let Some(&c) = b.get(k) {
        match c {
            b'\\' => k += 2,
            b'"' | b'\n' => return k,
            _ => k += 1,
        }
    }
    b.len()
}

fn skip_ws(b: &[u8], mut k: usize) -> usize {
    while b.get(k).is_some_and(u8::is_ascii_whitespace) {
        k += 1;
    }
    k
}

/// JSON members: a string followed by `:`, then a string or scalar value.
fn json(body: &str, base: usize, out: &mut Vec<KeyValue>) {
    let b = body.as_bytes();
    let mut k = 0;
    while let Some(&c) = b.get(k) {
        if c != b'"' {
            k += 1;
            continue;
        }
        let end = string_end(b, k);
        let colon = skip_ws(b, end + 1);
        if b.get(colon) != Some(&b':') {
            k = end + 1;
            continue;
        }
        let key = base + k + 1..base + end;
        let v = skip_ws(b, colon + 1);
        k = match b.get(v) {
            Some(b'"') => {
                let ve = string_end(b, v);
                pair(out, key, base + v + 1..base + ve);
                ve + 1
            }
            Some(b'{' | b'[') | None => v,
            Some(_) => {
                let n = b
                    .iter()
                    .skip(v)
                    .take_while(|&&c| !matches!(c, b',' | b'}' | b']' | b'\n'))
                    .count();
                let raw = body.get(v..v + n).unwrap_or("").trim_end();
                pair(out, key, base + v..base + v + raw.len());
                v + n
            }
        };
    }
}

/// Cells of a line split on `sep` (outside double quotes), trimmed, as ranges into the body.
fn cells(body: &str, line: Range<usize>, sep: u8) -> Vec<Range<usize>> {
    let s = body.get(line.clone()).unwrap_or("");
    let mut out = Vec::new();
    let (mut from, mut quoted) = (0, false);
    for (k, c) in s.bytes().enumerate().chain(std::iter::once((s.len(), sep))) {
        if c == b'"' {
            quoted = !quoted;
        } else if c == sep && (!quoted || k == s.len()) {
            let cell = s.get(from..k).unwrap_or("");
            let lead = cell.len() - cell.trim_start().len();
            let t = cell.trim().trim_matches('"');
            let start = from
                + lead
                + usize::from(
                    cell.trim_start().starts_with('"') && t.len() + 1 < cell.trim().len(),
                );
            out.push(line.start + start..line.start + start + t.len());
            from = k + 1;
        }
    }
    out
}

/// Line ranges of the body (terminators excluded).
fn line_ranges(body: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    body.split('\n').map(move |l| {
        let r = at..at + l.trim_end_matches('\r').len();
        at += l.len() + 1;
        r
    })
}

/// Rows keyed by a header row: cell `i` of each later row is keyed by header cell `i`.
fn by_header(body: &str, base: usize, rows: &[Range<usize>], sep: u8, out: &mut Vec<KeyValue>) {
    let Some(head) = rows.first() else { return };
    let header = cells(body, head.clone(), sep);
    for row in rows.iter().skip(1) {
        for (key, value) in header.iter().zip(cells(body, row.clone(), sep)) {
            pair(
                out,
                base + key.start..base + key.end,
                base + value.start..base + value.end,
            );
        }
    }
}

fn table(body: &str, base: usize, out: &mut Vec<KeyValue>) -> bool {
    let rows: Vec<_> = line_ranges(body)
        .filter(|r| body.get(r.clone()).is_some_and(|s| s.contains('|')))
        .collect();
    let sep_row = rows
        .get(1)
        .and_then(|r| body.get(r.clone()))
        .is_some_and(|s| {
            s.trim()
                .bytes()
                .all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
        });
    if !sep_row {
        return false;
    }
    let trim = |r: &Range<usize>| {
        let s = body.get(r.clone()).unwrap_or("");
        let lead = s.len() - s.trim_start().trim_start_matches('|').len();
        let t = s
            .trim_start()
            .trim_start_matches('|')
            .trim_end()
            .trim_end_matches('|');
        r.start + lead..r.start + lead + t.len()
    };
    let mut kept: Vec<_> = rows.iter().map(trim).collect();
    if kept.len() > 1 {
        kept.remove(1);
    }
    by_header(body, base, &kept, b'|', out);
    true
}

fn csv(body: &str, base: usize, out: &mut Vec<KeyValue>) -> bool {
    let rows: Vec<_> = line_ranges(body).filter(|r| !r.is_empty()).collect();
    let count = |r: &Range<usize>, sep: u8| {
        body.get(r.clone())
            .map_or(0, |s| s.bytes().filter(|&b| b == sep).count())
    };
    let Some(sep) = [b'\t', b','].into_iter().find(|&sep| {
        let n = rows.first().map_or(0, |r| count(r, sep));
        n >= 1 && rows.len() >= 3 && rows.iter().take(3).all(|r| count(r, sep) == n)
    }) else {
        return false;
    };
    by_header(body, base, &rows, sep, out);
    true
}

/// `key: value`, `KEY=value`, `key = value` lines.
fn per_line(body: &str, base: usize, out: &mut Vec<KeyValue>) {
    for r in line_ranges(body) {
        let s = body.get(r.clone()).unwrap_or("");
        let (key, sep) = match (env_line(s), kv_line(s)) {
            (Some(k), _) => (k, b'='),
            (None, Some((k, _))) => (k, b':'),
            _ => continue,
        };
        let after = s.get(key.end..).unwrap_or("");
        let Some(p) = after.bytes().position(|b| b == sep) else {
            continue;
        };
        let raw = after.get(p + 1..).unwrap_or("");
        let v = raw.trim_start_matches([' ', '\t', '*', '_']).trim_end();
        let v2 = v.trim_matches(['"', '\'']);
        let lead = key.end
            + p
            + 1
            + (raw.len() - raw.trim_start_matches([' ', '\t', '*', '_']).len())
            + (v.len() - v.trim_start_matches(['"', '\'']).len());
        pair(
            out,
            base + r.start + key.start..base + r.start + key.end,
            base + r.start + lead..base + r.start + lead + v2.len(),
        );
    }
}
