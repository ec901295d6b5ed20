//! Keyed values: the value after a password, token or key name in `key = value`, `key: value`,
//! `"key": "value"`, `KEY=value` (env files), `--password value`, `Authorization: Bearer …`, and
//! "my password is …" in prose (English, Spanish, German, French, Portuguese, Russian).

use super::super::util;
use super::value::{self, Value};
use super::{score, Hit};

/// How strongly a key announces a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Key {
    /// A password word ("password", "pwd", "passwort", "пароль").
    Password,
    /// A token or key name ("token", "api_key", "client_secret", "auth").
    Token,
    /// "Authorization": the value is a scheme and a credential.
    Authorization,
    /// "Bearer" before a token.
    Bearer,
}

/// The key words, matched case-insensitively (ASCII) as parts of identifiers.
pub(super) const KEYWORDS: &[(&str, Key)] = &[
    ("password", Key::Password),
    ("passwd", Key::Password),
    ("passwort", Key::Password),
    ("kennwort", Key::Password),
    ("passphrase", Key::Password),
    ("passcode", Key::Password),
    ("pwd", Key::Password),
    ("pass", Key::Password),
    ("contraseña", Key::Password),
    ("senha", Key::Password),
    ("mot de passe", Key::Password),
    ("пароль", Key::Password),
    ("Пароль", Key::Password),
    ("密码", Key::Password),
    ("パスワード", Key::Password),
    ("secret", Key::Token),
    ("token", Key::Token),
    ("auth", Key::Token),
    ("apikey", Key::Token),
    ("api_key", Key::Token),
    ("api-key", Key::Token),
    ("access_key", Key::Token),
    ("accesskey", Key::Token),
    ("secret_key", Key::Token),
    ("secretkey", Key::Token),
    ("PRIVATE_KEY", Key::Token),
    ("privatekey", Key::Token),
    ("authorization", Key::Authorization),
    ("bearer", Key::Bearer),
];

/// What may follow the key word inside the identifier ("DB_PASSWORD", "api_key_secret"), with
/// separators removed: the key word must end the name, or be followed by one of these.
const SUFFIXES: &[&str] = &["", "key", "token", "secret"];

/// Words between a password word and the password in prose ("my password is hunter2").
const PROSE: &[&str] = &[
    " is ", " es ", " ist ", " est ", " é ", " era ", " was ", " — ", "是",
];

/// The finding for the key word hit `h`, if a secret value follows it.
pub(super) fn judge(text: &str, h: Hit, key: Key) -> Option<(usize, usize, &'static str, f32)> {
    let (is, ie) = identifier(text, h.s, h.e)?;
    let cli = util::slice(text, is, h.s).starts_with('-');
    let (vs, prose) = separator(text, ie, key, cli)?;
    let v = value::value_at(text, vs)?;
    let raw = util::slice(text, v.s, v.e);
    if value::is_placeholder(raw) || value::is_reference(raw, v.quoted) {
        return None;
    }
    match key {
        Key::Password if prose => {
            password_like(raw).then_some((v.s, v.e, "PASSWORD", score::PROSE_PASSWORD))
        }
        Key::Password => {
            (raw.chars().count() >= 3).then_some((v.s, v.e, "PASSWORD", score::KEYED_PASSWORD))
        }
        Key::Token => token_like(raw, v).then_some((v.s, v.e, "KEYED_TOKEN", score::KEYED_TOKEN)),
        Key::Authorization | Key::Bearer => None,
    }
}

/// The identifier around a key word hit `[s, e)`: ASCII word characters, `.` and `-` on both
/// sides. `None` when the hit is not a part of the name ("bypass", "tokens", "password_policy").
fn identifier(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let part = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let mut is = s;
    while is > 0 && s - is < 64 && util::byte_at(text, is - 1).is_some_and(part) {
        is -= 1;
    }
    let mut ie = e;
    while ie - e < 32 && util::byte_at(text, ie).is_some_and(part) {
        ie += 1;
    }
    // Trailing dots or dashes belong to the sentence, not the name.
    while ie > e && matches!(util::byte_at(text, ie - 1), Some(b'.' | b'-')) {
        ie -= 1;
    }
    let before = util::byte_at(text, s.wrapping_sub(1));
    let first = util::byte_at(text, s);
    let left_ok = s == is
        || matches!(before, Some(b'_' | b'.' | b'-'))
        || (before.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && first.is_some_and(|b| b.is_ascii_uppercase()));
    let rest: String = util::slice(text, e, ie)
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect();
    (left_ok && SUFFIXES.contains(&rest.as_str())).then_some((is, ie))
}

/// The start of the value after the name ending at `ie`, and whether a prose word separated them.
fn separator(text: &str, ie: usize, key: Key, cli: bool) -> Option<(usize, bool)> {
    let mut i = ie;
    if matches!(util::byte_at(text, i), Some(b'"' | b'\'')) {
        i += 1;
    }
    let spaces = |mut i: usize| {
        while matches!(util::byte_at(text, i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let j = spaces(i);
    let rest = text.get(j..)?;
    let sep = [":=", "=>", "=", ":", "："]
        .into_iter()
        .find(|p| rest.starts_with(p));
    if let Some(sep) = sep {
        return Some((spaces(j + sep.len()), false));
    }
    if (cli || key == Key::Bearer) && j > i {
        return Some((j, false));
    }
    if key == Key::Password {
        let tail = util::lower_after(text, i, 8);
        if let Some(p) = PROSE.iter().find(|p| tail.starts_with(*p)) {
            return Some((spaces(i + p.len()), true));
        }
    }
    None
}

/// A token value: six or more characters, with a digit, a symbol or mixed case (or long), and
/// not a bare number.
fn token_like(raw: &str, v: Value) -> bool {
    let n = raw.chars().count();
    let digits = raw.bytes().filter(u8::is_ascii_digit).count();
    if n < 6 || (digits == raw.len() && n < 16) || raw.contains(char::is_whitespace) && !v.quoted {
        return false;
    }
    n >= 16 || password_like(raw)
}

/// A password-like word: a digit, a symbol or an inner capital ("hunter2", "Tr0ub4dor&3").
pub(super) fn password_like(raw: &str) -> bool {
    let n = raw.chars().count();
    let digit = raw.bytes().any(|b| b.is_ascii_digit());
    let symbol = raw.chars().any(|c| !c.is_alphanumeric());
    let inner_cap = raw.chars().skip(1).any(char::is_uppercase);
    n >= 4 && !raw.contains(char::is_whitespace) && (digit || symbol || inner_cap)
}

/// The credential of an `Authorization:` header or after "Bearer": the token after an
/// authentication scheme (`Bearer`, `Basic`, `Token`, `Bot`, …).
pub(super) fn header(text: &str, h: Hit, key: Key) -> Option<(usize, usize, &'static str, f32)> {
    let (_, ie) = identifier(text, h.s, h.e)?;
    let (mut vs, _) = separator(text, ie, key, false)?;
    if key == Key::Authorization {
        if matches!(util::byte_at(text, vs), Some(b'"' | b'\'')) {
            vs += 1;
        }
        let word = text
            .get(vs..)?
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let after = util::byte_at(text, vs + word);
        if word > 0 && word <= 12 && after == Some(b' ') {
            vs += word + 1;
        }
    }
    let v = value::value_at(text, vs)?;
    let raw = util::slice(text, v.s, v.e);
    let long = raw.len() >= 12 && raw.bytes().any(|b| b.is_ascii_digit());
    let ok = long && !value::is_placeholder(raw) && !value::is_reference(raw, v.quoted);
    ok.then_some((v.s, v.e, "AUTH_HEADER", score::AUTH_HEADER))
}
