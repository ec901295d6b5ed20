//! Passwords in URLs and connection strings: `scheme://user:PASSWORD@host` (postgres, mysql,
//! mongodb+srv, redis, amqp, ftp, http(s), smtp, …). Only the password is the finding; the user
//! name and host are left to the other families.

use super::super::util;
use super::{score, value};

/// The password of the URL whose `://` is at `i`: its span.
pub(super) fn judge(text: &str, i: usize) -> Option<(usize, usize)> {
    let scheme = util::slice(text, util::floor_boundary(text, i.saturating_sub(20)), i);
    let sl = scheme
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    if sl == 0 {
        return None;
    }
    let a = i + 3;
    let auth_len = text
        .get(a..)?
        .bytes()
        .take(512)
        .take_while(|b| {
            !b.is_ascii_whitespace()
                && !matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'`')
        })
        .count();
    let authority = util::slice(text, a, a + auth_len);
    let at = authority.rfind('@')?;
    let colon = authority.get(..at)?.find(':')?;
    let (ps, pe) = (a + colon + 1, a + at);
    let pw = util::slice(text, ps, pe);
    if value::is_placeholder(pw) || value::is_reference(pw, true) || pe - ps > 256 {
        return None;
    }
    Some((ps, pe))
}

/// The score of a URL password.
pub(super) const SCORE: f32 = score::URL_PASSWORD;
