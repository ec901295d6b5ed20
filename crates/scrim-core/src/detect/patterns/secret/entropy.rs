//! High-entropy values in assignment context: `key = "…"`, `key: "…"`, `KEY=…` whose value is
//! 20+ characters of base64-like text, mixes character classes and has high Shannon entropy.
//! Hex (commit hashes, UUIDs, checksums), known file-format magic (base64 images) and hash-like
//! keys (`sha`, `id`, `integrity`, …) are left alone.

use super::super::util;
use super::score;

/// Shortest value considered.
const MIN_LEN: usize = 20;

/// Longest value considered (longer runs are data: images, certificates, blobs).
const MAX_LEN: usize = 256;

/// Bits per character a value must reach, as a share of the most its length allows
/// (`log2(len)`): random base62 of 20 characters averages about 4.0 of 4.32 and rarely drops
/// under 3.5 (measured in the tests).
const MIN_SHARE: f64 = 0.8;

/// The bits per character that always suffice (long values).
const ENOUGH_BITS: f64 = 4.5;

/// Key parts that name identifiers, hashes and other non-secret random strings.
const PLAIN_KEYS: &[&str] = &[
    "id",
    "uuid",
    "guid",
    "hash",
    "sha",
    "md5",
    "digest",
    "checksum",
    "integrity",
    "etag",
    "commit",
    "rev",
    "version",
    "nonce",
    "name",
    "path",
    "file",
    "url",
    "uri",
    "href",
    "src",
    "image",
    "data",
    "type",
    "class",
    "style",
];

/// Base64 beginnings of common file formats (PNG, JPEG, GIF, WebP, PDF, ZIP).
const MAGIC: &[&str] = &["iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR", "JVBERi", "UEsDB"];

fn value_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}

/// The high-entropy value after the `=` or `:` at `i`, if any.
pub(super) fn judge(text: &str, i: usize) -> Option<(usize, usize, f32)> {
    let mut s = i + 1;
    while matches!(util::byte_at(text, s), Some(b' ')) && s - i <= 3 {
        s += 1;
    }
    let quote = util::byte_at(text, s).filter(|b| matches!(b, b'"' | b'\''));
    if quote.is_some() {
        s += 1;
    }
    let len = text
        .get(s..)?
        .bytes()
        .take(MAX_LEN + 1)
        .take_while(|b| value_char(*b))
        .count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        return None;
    }
    let e = s + len;
    let closed = match quote {
        Some(q) => util::byte_at(text, e) == Some(q),
        None => {
            util::byte_at(text, i) == Some(b'=')
                && !util::byte_at(text, e)
                    .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b';' | b','))
        }
    };
    if !closed || plain_key(text, i) || !random_looking(util::slice(text, s, e)) {
        return None;
    }
    Some((s, e, score::HIGH_ENTROPY))
}

/// Whether the key before the separator at `i` names a non-secret value.
fn plain_key(text: &str, i: usize) -> bool {
    let mut k = i;
    while k > 0 && matches!(util::byte_at(text, k - 1), Some(b' ' | b'"' | b'\'')) && i - k < 3 {
        k -= 1;
    }
    let key = util::lower_before(text, k, 40);
    let name: String = key
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .map(char::from)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    name.split(['_', '-', '.'])
        .any(|part| PLAIN_KEYS.contains(&part) || part.ends_with("id") && part.len() <= 6)
}

/// Random-looking: not hex, not a known format, three character classes (or two and a symbol),
/// not camel-case words with a number ("ThisIsMyVariable1"), and Shannon entropy of at least
/// [`MIN_SHARE`] of `log2(len)` bits per character (at most [`ENOUGH_BITS`]).
pub(super) fn random_looking(v: &str) -> bool {
    let hex = v.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    if hex || MAGIC.iter().any(|m| v.starts_with(m)) || v.starts_with("sha") {
        return false;
    }
    let upper = v.bytes().any(|b| b.is_ascii_uppercase());
    let lower = v.bytes().any(|b| b.is_ascii_lowercase());
    let digit = v.bytes().any(|b| b.is_ascii_digit());
    let classes = usize::from(upper) + usize::from(lower) + usize::from(digit);
    let need = (MIN_SHARE * (v.len() as f64).log2()).min(ENOUGH_BITS);
    classes >= 3 && !camel_words(v) && shannon(v) >= need
}

/// Whether `v` is capitalised words run together, with at most a short number at the end
/// ("ThisIsMyVeryLongVariable1", "getUserName2").
fn camel_words(v: &str) -> bool {
    let letters = v.trim_end_matches(|c: char| c.is_ascii_digit());
    if v.len() - letters.len() > 4 || letters.is_empty() {
        return false;
    }
    let mut run = 0usize;
    for (i, b) in letters.bytes().enumerate() {
        if b.is_ascii_uppercase() {
            if i > 0 && run < 1 {
                return false;
            }
            run = 0;
        } else if b.is_ascii_lowercase() {
            run += 1;
        } else {
            return false;
        }
    }
    run >= 2
}

/// Shannon entropy of `v`'s bytes, in bits per byte.
pub(super) fn shannon(v: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in v.bytes() {
        if let Some(c) = counts.get_mut(usize::from(b)) {
            *c += 1;
        }
    }
    let n = v.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}
