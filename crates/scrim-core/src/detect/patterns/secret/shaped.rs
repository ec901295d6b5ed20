//! Tokens known by shape and a cue rather than a prefix: Telegram bot tokens
//! (`123456789:AA…`), Twilio keys (`SK…`/`AC…` + 32 hex) after the word "twilio", the
//! password glued to `-p` in `mysql` command lines, and password hashes in the modular crypt
//! format of `/etc/shadow` and application databases (`$6$salt$hash`, `$2b$12$…`, `$argon2id$…`).

use super::super::util;
use super::value;

/// The Telegram bot token whose `:AA` is at `i`: its span.
pub(super) fn telegram(text: &str, i: usize) -> Option<(usize, usize)> {
    if util::slice(text, i, i + 3) != ":AA" {
        return None;
    }
    let digits = util::slice(text, util::floor_boundary(text, i.saturating_sub(11)), i)
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    let s = i - digits;
    let body = text
        .get(i + 1..)?
        .bytes()
        .take(36)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    let e = i + 1 + body;
    let ok = (8..=10).contains(&digits)
        && body == 35
        && !util::alnum_before(text, s)
        && !util::alnum_after(text, e);
    ok.then_some((s, e))
}

/// Twilio API key or account SIDs (`SK`/`AC` + 32 hex) within 300 bytes after "twilio" at `i`.
pub(super) fn twilio(text: &str, i: usize) -> Vec<(usize, usize)> {
    let end = util::floor_boundary(text, i + 300);
    let mut out = Vec::new();
    for pre in ["SK", "AC"] {
        for (rel, _) in util::slice(text, i, end).match_indices(pre) {
            let s = i + rel;
            let hex = text.get(s + 2..).map_or(0, |r| {
                r.bytes().take(33).take_while(u8::is_ascii_hexdigit).count()
            });
            if hex == 32 && !util::alnum_before(text, s) && !util::alnum_after(text, s + 34) {
                out.push((s, s + 34));
            }
        }
    }
    out
}

/// The password glued to `-p` (`-pS3cret`, `-p'S3cret'`) on the `mysql` command line at `i`.
pub(super) fn mysql(text: &str, i: usize) -> Option<(usize, usize)> {
    let line_end = text.get(i..)?.find('\n').map_or(text.len(), |n| i + n);
    let line = util::slice(text, i, line_end);
    let rel = line.find(" -p")?;
    let vs = i + rel + 3;
    let v = value::value_at(text, vs)?;
    let raw = util::slice(text, v.s, v.e);
    let ok = !raw.is_empty() && !value::is_placeholder(raw) && !value::is_reference(raw, v.quoted);
    ok.then_some((v.s, v.e))
}

/// The crypt alphabet: `./0-9A-Za-z`, plus `+`, `/` and `=` for the base64 of Argon2 and PBKDF2.
fn crypt_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'+' | b'=')
}

/// The password hash in modular crypt format whose `$` prefix (`$1$`, `$2b$`, `$5$`, `$6$`,
/// `$y$`, `$argon2id$`, `$pbkdf2-sha256$` …) starts at `s` and ends at byte `e`: its span. The
/// fields after the prefix are `$`-separated (rounds, parameters, salt) and the last one, the
/// hash itself, is at least 22 characters of the crypt alphabet.
pub(super) fn crypt(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    if util::alnum_before(text, s) || util::byte_at(text, s.wrapping_sub(1)) == Some(b'$') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut end = e;
    let mut fields = 0;
    let last = loop {
        let run = bytes.get(end..).map_or(0, |r| {
            r.iter()
                .take(200)
                .take_while(|b| crypt_char(**b) || **b == b',')
                .count()
        });
        end += run;
        fields += 1;
        if bytes.get(end) == Some(&b'$') && fields < 5 {
            end += 1;
        } else {
            break run;
        }
    };
    let hash = util::slice(text, end - last, end);
    let ok = last >= 22
        && fields >= 2
        && hash.bytes().all(crypt_char)
        && hash
            .bytes()
            .any(|b| b.is_ascii_digit() || b == b'.' || b == b'/')
        && !util::alnum_after(text, end);
    ok.then_some((s, end))
}
