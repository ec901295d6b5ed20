//! The value after a key: where it starts and ends (quoted or bare), and whether it is a
//! placeholder or a reference to a secret kept elsewhere rather than the secret itself.

use super::super::util;

/// A value's byte range, and whether it was quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Value {
    pub s: usize,
    pub e: usize,
    pub quoted: bool,
}

/// The most bytes a keyed value may span.
const MAX_VALUE: usize = 512;

/// The value starting at `i` (after the separator and spaces): inside quotes up to the closing
/// quote on the same line, or a bare run up to whitespace or a delimiter.
pub(super) fn value_at(text: &str, i: usize) -> Option<Value> {
    let q = util::byte_at(text, i)?;
    if matches!(q, b'"' | b'\'' | b'`') {
        let s = i + 1;
        let rest = text.get(s..)?;
        let len = rest
            .bytes()
            .take(MAX_VALUE)
            .position(|b| b == q || b == b'\n')?;
        (util::byte_at(text, s + len) == Some(q)).then_some(Value {
            s,
            e: s + len,
            quoted: true,
        })
    } else {
        let e = bare_end(text, i);
        (e > i).then_some(Value {
            s: i,
            e,
            quoted: false,
        })
    }
}

/// The end of a bare value: whitespace, quotes and list or statement delimiters end it; a
/// trailing full stop or colon (end of sentence) is left out.
fn bare_end(text: &str, i: usize) -> usize {
    let mut e = i;
    while let Some(c) = util::char_after(text, e) {
        let stop = c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '`' | ';' | ',' | ')' | ']' | '}' | '<' | '>'
            )
            || (c == '&' && next_parameter(text, e + 1));
        if stop || e - i >= MAX_VALUE {
            break;
        }
        e += c.len_utf8();
    }
    while e > i && matches!(util::byte_at(text, e - 1), Some(b'.' | b':')) {
        e -= 1;
    }
    util::floor_boundary(text, e)
}

/// Whether a query parameter (`name=`) starts at `i`: then a `&` before it ends a value.
fn next_parameter(text: &str, i: usize) -> bool {
    let rest = text.get(i..).unwrap_or("");
    let n = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    n > 0 && rest.as_bytes().get(n) == Some(&b'=')
}

/// Words that stand for a value rather than being one (lowercase, compared whole).
const PLACEHOLDER_WORDS: &[&str] = &[
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "required",
    "optional",
    "string",
    "str",
    "int",
    "bool",
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "empty",
    "hidden",
    "redacted",
    "masked",
    "placeholder",
    "example",
    "sample",
    "dummy",
    "foo",
    "bar",
    "foobar",
    "test",
    "tbd",
    "todo",
    "n/a",
    "na",
    "value",
    "key",
    "apikey",
    "api_key",
    "your_token",
    "mypassword",
    "my_password",
    "secret_key",
    "xxx",
];

/// Parts that mark a template value ("your_password_here", "YOUR_API_KEY", "replace-me").
const PLACEHOLDER_PARTS: &[&str] = &[
    "your_",
    "your-",
    "yourpass",
    "yourtoken",
    "youraccess",
    "yoursecret",
    "yourapi",
    "your ",
    "_here",
    "-here",
    "replace_me",
    "replace-me",
    "replaceme",
    "insert_",
    "insert-",
    "placeholder",
    "redacted",
    "example",
    "<",
    ">",
    "xxxx",
    "****",
    "{{",
    "}}",
    "...",
];

/// Whether `v` is a placeholder or a template, not a real value.
pub(super) fn is_placeholder(v: &str) -> bool {
    // Markdown escapes its underscores (`YOUR\_API\_KEY`), as chat logs copied from pages do.
    let unescaped = v.trim().replace("\\_", "_");
    let t = unescaped.as_str();
    if t.is_empty() {
        return true;
    }
    let low = t.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.contains(&low.as_str())
        || PLACEHOLDER_PARTS.iter().any(|p| low.contains(p))
    {
        return true;
    }
    // One repeated character, or only mask characters ("xxxxxxxx", "********", "-----").
    let mut chars = t.chars();
    let first = chars.next().unwrap_or('x');
    t.chars().all(|c| c == first)
        || t.chars()
            .all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_' | '#' | '•'))
}

/// Prefixes of references to a secret kept elsewhere (environment, vaults, settings objects).
const REFERENCE_PREFIXES: &[&str] = &[
    "os.environ",
    "os.getenv",
    "getenv(",
    "process.env",
    "env(",
    "env[",
    "env.",
    "environ[",
    "system.getenv",
    "secrets.",
    "vault(",
    "config.",
    "settings.",
    "self.",
    "this.",
    "args.",
    "options.",
    "opts.",
    "params.",
    "request.",
    "req.",
    "input(",
    "getpass(",
    "getpass.",
    "prompt(",
    "keyring.",
    "std::env",
    "env::var",
    "environment.",
];

/// Whether `v` refers to a secret instead of holding it: `$VAR`, `${VAR}`, `%VAR%`,
/// `os.environ["X"]`, `process.env.X`, `getenv(...)`, a call or a bare identifier in code, or one
/// of Scrim's own placeholders (`[SECRET_1]`).
pub(super) fn is_reference(v: &str, quoted: bool) -> bool {
    let unescaped = v.trim().replace("\\_", "_");
    let t = unescaped.as_str();
    let low = t.to_ascii_lowercase();
    if t.starts_with('$') || (t.starts_with('%') && t.ends_with('%') && t.len() > 2) {
        return true;
    }
    if t.starts_with(['[', '{', '(']) {
        return true;
    }
    if REFERENCE_PREFIXES.iter().any(|p| low.starts_with(p)) {
        return true;
    }
    // Unquoted code: a call or an indexed/attribute access on an identifier, or a snake_case
    // variable (`password=db_password`): passwords without a digit or symbol are not written so.
    !quoted && (is_code_expression(t) || is_snake_identifier(t))
}

/// A snake_case identifier of letters and underscores only (`db_password`, `client_secret`).
fn is_snake_identifier(t: &str) -> bool {
    t.contains('_')
        && t.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
        && t.bytes().any(|b| b.is_ascii_alphabetic())
}

/// `name(…)`, `name[…]`, `a.b.c` where every part is an identifier without digits: code, not
/// a password (real passwords with dots nearly always hold digits or symbols).
fn is_code_expression(t: &str) -> bool {
    let head_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'_')
        .count();
    if head_len == 0 {
        return false;
    }
    match util::byte_at(t, head_len) {
        Some(b'(' | b'[') => true,
        Some(b'.') => t
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_and_snake_case_variables() {
        assert!(is_placeholder("YOUR\\_API\\_KEY"));
        assert!(is_reference("nvr\\_password", false));
        assert!(is_reference("db_password", false));
        assert!(!is_reference("hunter2", false));
        assert!(!is_reference("db_password", true));
    }

    #[test]
    fn placeholders() {
        for p in [
            "",
            "xxx",
            "XXXXXXXX",
            "********",
            "<your-token>",
            "YOUR_API_KEY",
            "your_password_here",
            "null",
            "None",
            "changeme_here",
            "{{ token }}",
            "...",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for p in [
            "hunter2",
            "changeme",
            "password123",
            "Tr0ub4dor&3",
            "sk-abc",
        ] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn references() {
        for r in [
            "${DB_PASS}",
            "$TOKEN",
            "%API_KEY%",
            "os.environ[\"X\"]",
            "process.env.TOKEN",
            "getenv(\"X\")",
            "settings.SECRET",
            "[SECRET_1]",
            "get_token()",
        ] {
            assert!(is_reference(r, false), "{r}");
        }
        assert!(!is_reference("hunter2", false));
        assert!(!is_reference("s3cr3t.v2", false));
        assert!(!is_reference("abc.def", true));
    }

    #[test]
    fn values() {
        let t = r#"x "abc def" y"#;
        assert_eq!(
            value_at(t, 2),
            Some(Value {
                s: 3,
                e: 10,
                quoted: true
            })
        );
        let t = "pw=hunter2; next";
        assert_eq!(
            value_at(t, 3),
            Some(Value {
                s: 3,
                e: 10,
                quoted: false
            })
        );
        assert_eq!(value_at("x=abc.", 2).map(|v| v.e), Some(5));
        assert_eq!(value_at("x=\"unterminated\nline", 2), None);
    }
}
