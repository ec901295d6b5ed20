//! Structured data: JSON, markdown tables, CSV/TSV, env and INI files, markup, key-value and
//! YAML blocks. [`keyed_values`] pairs their keys with values.

use std::ops::Range;

use super::blocks::State;
use super::lines::{self, Line};

/// JSON starting at line `i` that balances its brackets before a blank line.
pub(crate) fn json(lines: &[Line<'_>], i: usize, st: &mut State) -> Option<usize> {
    let t = lines.get(i)?.s.trim();
    let second = lines.get(i + 1).map_or("", |l| l.s.trim_start());
    let opens = ["{\"", "{ \"", "[{", "[ {", "[\"", "[[", "{}", "[]"]
        .iter()
        .any(|p| t.starts_with(p))
        || (matches!(t, "{" | "[") && second.starts_with(['"', '{', '[', '}', ']']));
    if i < st.fail_json || !opens {
        return None;
    }
    let mut bal = Balance::default();
    let mut j = i;
    while let Some(l) = lines.get(j) {
        if j > i && lines::is_blank(l.s) {
            break;
        }
        if let Some(rest) = bal.feed(l.s) {
            let tail = rest.trim();
            return (tail.is_empty() || matches!(tail, "," | ";")).then_some(j + 1);
        }
        j += 1;
    }
    st.fail_json = j.max(i + 1);
    None
}

/// A bracket counter that skips double-quoted strings.
#[derive(Default)]
struct Balance {
    depth: usize,
    in_str: bool,
    escape: bool,
}

impl Balance {
    /// Feed one line; the rest of the line once the depth is back to zero.
    fn feed<'a>(&mut self, s: &'a str) -> Option<&'a str> {
        for (k, b) in s.bytes().enumerate() {
            if self.in_str {
                match (self.escape, b) {
                    (true, _) => self.escape = false,
                    (false, b'\\') => self.escape = true,
                    (false, b'"') => self.in_str = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.checked_sub(1)?;
                    if self.depth == 0 {
                        return s.get(k + 1..);
                    }
                }
                _ => {}
            }
        }
        self.in_str = false;
        None
    }
}

/// A markdown table: a row, a `|---|` separator, and the rows after it.
pub(crate) fn table(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let head = lines.get(i)?.s;
    let sep = lines.get(i + 1)?.s.trim();
    let is_sep = sep.contains('-')
        && sep.contains('|')
        && sep
            .bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'));
    if !head.contains('|') || !is_sep {
        return None;
    }
    let rows = lines
        .iter()
        .skip(i + 2)
        .take_while(|l| l.s.contains('|') && !lines::is_blank(l.s))
        .count();
    Some(i + 2 + rows)
}

/// Separators outside double quotes, and the longest field.
fn fields(s: &str, sep: u8) -> (usize, usize) {
    let (mut count, mut longest, mut run, mut quoted) = (0, 0, 0, false);
    for b in s.bytes() {
        match b {
            b'"' => quoted = !quoted,
            _ if b == sep && !quoted => {
                count += 1;
                longest = longest.max(run);
                run = 0;
                continue;
            }
            _ => {}
        }
        run += 1;
    }
    (count, longest.max(run))
}

/// Three or more lines with the same number (two or more; one for tabs) of commas or tabs,
/// with short fields.
pub(crate) fn csv(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let first = lines.get(i)?.s;
    [(b'\t', 1), (b',', 2)].into_iter().find_map(|(sep, min)| {
        let (n, _) = fields(first, sep);
        if n < min {
            return None;
        }
        let len = lines
            .iter()
            .skip(i)
            .take_while(|l| {
                let (c, long) = fields(l.s, sep);
                c == n && long <= 60 && !lines::looks_prose(l.s)
            })
            .count();
        (len >= 3).then_some(i + len)
    })
}

/// `KEY=value`, `export KEY=value`, `key = value` lines.
pub(crate) fn env_line(s: &str) -> Option<Range<usize>> {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let t2 = t.strip_prefix("export ").unwrap_or(t);
    let skip = lead + t.len() - t2.len();
    let n = t2
        .bytes()
        .take_while(|&b| lines::is_ident(b) || b == b'.' || b == b'-')
        .count();
    let rest = t2.get(n..)?;
    let spaced = rest.starts_with(" = ");
    let starts = t2
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
    if n == 0 || !starts || !(rest.starts_with('=') && !rest.starts_with("==") || spaced) {
        return None;
    }
    if spaced && rest.contains('(') {
        return None;
    }
    Some(skip..skip + n)
}

/// An env, INI or properties block: two or more `key=value` lines (with `[section]` and
/// comment lines between), or one `UPPER_CASE=value` line.
pub(crate) fn env(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let first = lines.get(i)?.s;
    if env_line(first).is_none() && !section(first) {
        return None;
    }
    let (mut j, mut keys) = (i, 0);
    while let Some(l) = lines.get(j) {
        let t = l.s.trim_start();
        if env_line(l.s).is_some() {
            keys += 1;
        } else if !(section(l.s) || t.starts_with('#') || t.starts_with(';')) || t.is_empty() {
            break;
        }
        j += 1;
    }
    let upper = first
        .trim_start()
        .bytes()
        .take_while(|&b| b != b'=')
        .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit());
    (keys >= 2 || (keys == 1 && upper && first.contains('_'))).then_some(j)
}

/// An INI `[section]` line.
fn section(s: &str) -> bool {
    let t = s.trim();
    t.len() > 2
        && t.starts_with('[')
        && t.ends_with(']')
        && t.bytes()
            .all(|b| lines::is_ident(b) || matches!(b, b'[' | b']' | b'.' | b'-' | b' ' | b'"'))
}

/// Markup: two or more lines opening with a tag, or one line with a closing tag.
pub(crate) fn xml(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let is_tag = |s: &str| {
        let t = s.trim_start();
        let b = t.as_bytes();
        b.first() == Some(&b'<')
            && b.get(1)
                .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'?' | b'!' | b'/'))
    };
    let first = lines.get(i)?.s;
    if !is_tag(first) {
        return None;
    }
    let len = lines
        .iter()
        .skip(i)
        .take_while(|l| !lines::is_blank(l.s) && !lines::looks_prose(l.s))
        .count();
    let tags = lines
        .iter()
        .skip(i)
        .take(len)
        .filter(|l| is_tag(l.s))
        .count();
    (tags >= 2 || first.contains("</")).then_some(i + len)
}

/// The key of a `key: value` line: its range, and whether the value is short or empty.
pub(crate) fn kv_line(s: &str) -> Option<(Range<usize>, bool)> {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let t2 = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("• "))
        .unwrap_or(t);
    let t3 = t2.trim_start_matches(['*', '_', '"', '\'']);
    let skip = lead + t.len() - t3.len();
    let colon = t3.find(':')?;
    let key = t3.get(..colon)?.trim_end_matches(['*', '_', '"', '\'']);
    let value = t3.get(colon + 1..)?.trim_start_matches(['*', '_']);
    let keyish = !key.is_empty()
        && key.len() <= 40
        && lines::words(key) <= 4
        && key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b >= 0x80)
        && !key.bytes().any(|b| {
            matches!(
                b,
                b'(' | b')'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'<'
                    | b'>'
                    | b'='
                    | b';'
                    | b','
                    | b'.'
                    | b'?'
                    | b'!'
                    | b'`'
            )
        });
    if !keyish || !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    let v = value.trim();
    let short = v.len() <= 100 && lines::words(v) <= 12 && !v.ends_with(['.', '?', '!'])
        || v.is_empty() && !key.contains(' ');
    Some((skip..skip + key.len(), short))
}

/// A key-value or YAML block: two or more short keyed lines, with list items, comments and
/// indented continuation lines between them.
pub(crate) fn kv(lines: &[Line<'_>], i: usize, st: &mut State) -> Option<usize> {
    if i < st.fail_kv || !kv_line(lines.get(i)?.s).is_some_and(|(_, short)| short) {
        return None;
    }
    let (mut j, mut end, mut keys) = (i, i, 0);
    while let Some(l) = lines.get(j) {
        let t = l.s.trim_start();
        match kv_line(l.s) {
            Some((_, true)) => keys += 1,
            Some((_, false)) => break,
            None if t.starts_with("- ")
                || t.starts_with('#')
                || (j > i && lines::indent(l.s) >= 2) => {}
            None => break,
        }
        if lines::is_blank(l.s) {
            break;
        }
        j += 1;
        end = j;
    }
    if keys < 2 {
        st.fail_kv = end.max(i + 1);
        return None;
    }
    Some(end)
}
