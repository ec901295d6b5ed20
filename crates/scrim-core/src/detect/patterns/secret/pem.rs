//! Private key blocks: PEM (`-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----`), PGP
//! private key blocks and PuTTY key files. The span is the whole block through the matching END
//! line; without one, through the end of the base64 body.

use super::super::util;

/// The most bytes a key block may span.
const MAX_BLOCK: usize = 64 * 1024;

/// The block starting with the `-----BEGIN ` at `s`: its end.
pub(super) fn pem(text: &str, s: usize) -> Option<usize> {
    let after = s + "-----BEGIN ".len();
    let rest = text.get(after..)?;
    let label_len = rest.get(..rest.len().min(48))?.find("-----")?;
    let label = rest.get(..label_len)?;
    if !label.contains("PRIVATE KEY")
        || !label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit())
    {
        return None;
    }
    let body = after + label_len + 5;
    let end_line = format!("-----END {label}-----");
    let window = util::slice(text, body, util::floor_boundary(text, body + MAX_BLOCK));
    if let Some(rel) = window.find(&end_line) {
        return Some(body + rel + end_line.len());
    }
    Some(body_end(text, body))
}

/// A PuTTY key file starting at `s` ("PuTTY-User-Key-File-3: ssh-ed25519"): through its
/// `Private-MAC:` line, else through the base64 body after `Private-Lines:`.
pub(super) fn putty(text: &str, s: usize) -> Option<usize> {
    let window = util::slice(text, s, util::floor_boundary(text, s + MAX_BLOCK));
    if let Some(rel) = window.find("Private-MAC:") {
        let from = s + rel;
        let line = text.get(from..)?.find('\n').unwrap_or(text.len() - from);
        return Some(trim_end(text, s, from + line));
    }
    let from = s + window.find("Private-Lines:")?;
    let line = text.get(from..)?.find('\n')?;
    Some(body_end(text, from + line))
}

/// The end of a base64 body starting at `i`: base64 lines, armor headers ("Proc-Type: 4,…",
/// "Version: …"), JSON-escaped newlines; it stops at a blank line after the body, at a line that
/// is not base64, or at a short plain word ("thanks").
fn body_end(text: &str, i: usize) -> usize {
    let mut end = i;
    let mut pos = i;
    let mut seen = false;
    let stop = util::floor_boundary(text, i + MAX_BLOCK);
    while pos < stop {
        let ws = util::slice(text, pos, stop)
            .bytes()
            .take_while(u8::is_ascii_whitespace)
            .count();
        let gap = util::slice(text, pos, pos + ws);
        if seen && gap.matches('\n').count() >= 2 {
            break;
        }
        let ts = pos + ws;
        let tok_len = util::slice(text, ts, stop)
            .bytes()
            .take_while(|b| !b.is_ascii_whitespace())
            .count();
        let tok = util::slice(text, ts, ts + tok_len);
        if tok.is_empty() || !body_token(tok, seen) {
            break;
        }
        seen = true;
        end = ts + tok_len;
        pos = end;
    }
    trim_end(text, i, end)
}

/// A token of a key body: base64, a header part, or base64 with `\n` escapes; a short word of
/// letters only ends the body once some of it was seen.
fn body_token(tok: &str, seen: bool) -> bool {
    let ok = tok.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b',' | b':' | b'-' | b'\\')
    });
    let plain_word = tok.len() < 20
        && tok.bytes().all(|b| b.is_ascii_alphabetic())
        && !tok.bytes().all(|b| b.is_ascii_uppercase());
    ok && !(seen && plain_word)
}

/// Leave trailing quotes, commas and escapes out of the span.
fn trim_end(text: &str, s: usize, mut e: usize) -> usize {
    while e > s
        && matches!(
            util::byte_at(text, e - 1),
            Some(b'\r' | b'\n' | b'"' | b',' | b'\\')
        )
    {
        e -= 1;
    }
    e
}
