//! JSON Web Tokens: three base64url parts joined by dots, the first decoding to a JSON object
//! with an `"alg"` member.

use base64::Engine as _;

use super::super::util;

/// A JWT-ish part character.
fn part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The end of the JWT starting with the `eyJ` at `s`.
pub(super) fn judge(text: &str, s: usize) -> Option<usize> {
    if s > 0 && util::byte_at(text, s - 1).is_some_and(|b| part(b) || b == b'.') {
        return None;
    }
    let bytes = text.as_bytes();
    // A part may hold markdown-escaped underscores (`\_`): the run steps over their backslashes.
    let run = |i: usize| {
        let mut j = i;
        loop {
            j += util::md_escape_len(text, j);
            if !bytes.get(j).is_some_and(|b| part(*b)) {
                break j - i;
            }
            j += 1;
        }
    };
    let h = run(s);
    let p_start = s + h + 1;
    if util::byte_at(text, s + h) != Some(b'.') {
        return None;
    }
    let p = run(p_start);
    let sig_start = p_start + p + 1;
    if p < 4 || util::byte_at(text, p_start + p) != Some(b'.') {
        return None;
    }
    let sig = run(sig_start);
    if util::byte_at(text, sig_start + sig) == Some(b'.')
        || !header_ok(&util::unescaped(util::slice(text, s, s + h)))
    {
        return None;
    }
    Some(if sig == 0 {
        sig_start - 1
    } else {
        sig_start + sig
    })
}

/// Whether a JWT header decodes to a JSON object with `"alg"`.
fn header_ok(h: &str) -> bool {
    let Ok(raw) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(h.trim_end_matches('='))
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&raw)
        .is_ok_and(|m| m.contains_key("alg"))
}
