//! Small pieces of Python semantics that `score.py` relies on implicitly.
//!
//! `score.py` calls `str()`, `int()`, `str.isspace()`, `str.strip()` and `json.dumps()` on
//! whatever the input files contain. To give identical numbers (and identical warning counts) on
//! odd input, the same conversions are reproduced here.

use serde_json::Value;

/// Python's `str.isspace()` for one character.
///
/// Python counts a character as whitespace when its bidirectional class is WS, B or S or its
/// category is Zs. That is Unicode's `White_Space` property (Rust's [`char::is_whitespace`]) plus
/// the four ASCII information separators U+001C..U+001F, which Python treats as line/paragraph
/// separators. Both sets are stable across Unicode versions.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// Python's `str.strip()` (no argument): trims [`is_space`] characters at both ends.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Code points whose Unicode decimal value is 0, each starting a run of ten digits 0..9
/// (`unicodedata.decimal`, Unicode 14.0 as in Python 3.11). Python's `int()` accepts all of them.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Python's `Py_UNICODE_TODECIMAL`: the decimal digit value of `c`, if it has one.
fn decimal_value(c: char) -> Option<u32> {
    let cp = u32::from(c);
    let idx = DECIMAL_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DECIMAL_ZEROS.get(idx.checked_sub(1)?)?;
    let d = cp - zero;
    (d < 10).then_some(d)
}

/// Result of Python's `int(x)` as far as the scorer needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PyInt {
    /// A value that fits in `i64`; values below `i64::MIN` are clamped to it (they are negative
    /// either way, which is all the scorer looks at).
    Int(i64),
    /// Python would give an integer above `i64::MAX`.
    TooLarge,
}

/// Python's `int(x)` for a JSON value; `None` where Python raises `TypeError`/`ValueError`.
pub(crate) fn int_of(v: &Value) -> Option<PyInt> {
    match v {
        Value::Bool(b) => Some(PyInt::Int(i64::from(*b))),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(PyInt::Int(i))
            } else if n.as_u64().is_some() {
                Some(PyInt::TooLarge)
            } else {
                // int(float) truncates toward zero; JSON cannot carry inf/nan here.
                let f = n.as_f64()?.trunc();
                if f >= 9_223_372_036_854_775_808.0 {
                    Some(PyInt::TooLarge)
                } else {
                    // `as` saturates at i64::MIN for very negative values.
                    Some(PyInt::Int(f as i64))
                }
            }
        }
        Value::String(s) => int_of_str(s),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Python's `int(s)` (base 10) for a string: surrounding whitespace, a sign, any Unicode decimal
/// digits, single underscores between digits.
pub(crate) fn int_of_str(s: &str) -> Option<PyInt> {
    // CPython first maps non-ASCII whitespace to ' ' and non-ASCII decimals to ASCII digits
    // (ASCII is kept as is), then parses the ASCII result.
    let mut ascii = Vec::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            ascii.push(c as u8);
        } else if is_space(c) {
            ascii.push(b' ');
        } else {
            let d = decimal_value(c)?;
            ascii.push(b'0' + d as u8);
        }
    }
    let is_ascii_space = |b: &u8| matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ');
    let start = ascii.iter().position(|b| !is_ascii_space(b))?;
    let end = ascii.iter().rposition(|b| !is_ascii_space(b))? + 1;
    let mut body = ascii.get(start..end)?;
    let mut negative = false;
    if let Some((&first, rest)) = body.split_first() {
        if first == b'+' || first == b'-' {
            negative = first == b'-';
            body = rest;
        }
    }
    let mut value: i128 = 0;
    let mut too_large = false;
    let mut prev_digit = false;
    let mut any_digit = false;
    for &b in body {
        match b {
            b'0'..=b'9' => {
                if !too_large {
                    value = value * 10 + i128::from(b - b'0');
                    if value > i128::from(i64::MAX) + 1 {
                        too_large = true;
                    }
                }
                prev_digit = true;
                any_digit = true;
            }
            b'_' if prev_digit => prev_digit = false,
            _ => return None,
        }
    }
    if !any_digit || !prev_digit {
        return None;
    }
    if negative {
        if too_large {
            return Some(PyInt::Int(i64::MIN));
        }
        return Some(PyInt::Int(i64::try_from(-value).unwrap_or(i64::MIN)));
    }
    match i64::try_from(value) {
        Ok(v) if !too_large => Some(PyInt::Int(v)),
        _ => Some(PyInt::TooLarge),
    }
}

/// Python's `repr(float)` (shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16).
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let sci = format!("{:e}", x.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    let decpt = exp + 1;
    let n = digits.len() as i64;
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if decpt <= -4 || decpt > 16 {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let e = decpt - 1;
        out.push_str(&format!("e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat(decpt.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if decpt < n {
        let (a, b) = digits.split_at(decpt as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    } else {
        out.push_str(&digits);
        out.push_str(&"0".repeat((decpt - n) as usize));
        out.push_str(".0");
    }
    out
}

/// Python's `str(x)` for a value decoded by `json.loads`.
///
/// Strings are returned as they are; everything else as Python prints it (`None`, `True`,
/// `1.0`, `[1, 'a']`, `{'k': None}`).
pub fn str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => repr_of(other),
    }
}

/// Python's `repr(x)` for a value decoded by `json.loads`.
fn repr_of(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                float_repr(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => str_repr(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(repr_of).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), repr_of(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Approximation of Python's `str.isprintable()` for one non-ASCII character: exact for
/// controls, separators and the common format characters; unassigned code points (which Python
/// also escapes) are not known here.
fn is_printable_non_ascii(c: char) -> bool {
    let cp = u32::from(c);
    !(c.is_control()
        || c.is_whitespace()
        || matches!(
            cp,
            0xAD | 0x600..=0x605
                | 0x61C
                | 0x6DD
                | 0x70F
                | 0x890..=0x891
                | 0x8E2
                | 0x180E
                | 0x200B..=0x200F
                | 0x202A..=0x202E
                | 0x2060..=0x2064
                | 0x2066..=0x206F
                | 0xFEFF
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0001
                | 0xE0020..=0xE007F
                | 0xE000..=0xF8FF
                | 0xF0000..=0x10FFFF
        ))
}

/// Python's `repr(str)`.
fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7F => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_ascii() || is_printable_non_ascii(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push(quote);
    out
}

/// Python's `json.dumps(s)` for a string (default `ensure_ascii=True`).
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn isspace_matches_python_list() {
        // `[hex(c) for c in range(0x110000) if chr(c).isspace()]` on Python 3.11
        let want: Vec<u32> = vec![
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000,
            0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
            0x2029, 0x202f, 0x205f, 0x3000,
        ];
        let got: Vec<u32> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| is_space(*c))
            .map(u32::from)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn int_of_str_like_python() {
        let ok = [
            ("12", 12),
            (" 12 ", 12),
            ("\u{2000}12", 12),
            ("12\u{85}", 12),
            ("+12", 12),
            ("-12", -12),
            ("1_000", 1000),
            ("007", 7),
            ("١٢", 12),
            ("１２", 12),
            ("\t12\n", 12),
            ("-0", 0),
            ("٣_٤", 34),
            ("\u{b}7\u{c}", 7),
        ];
        for (s, v) in ok {
            assert_eq!(int_of_str(s), Some(PyInt::Int(v)), "{s:?}");
        }
        let bad = [
            "\u{1c}12", "12\u{1c}", "- 12", "1__0", "_1", "1_", "", "+", "12.0", "1e3", "0x10",
            "+_1", "1 2",
        ];
        for s in bad {
            assert_eq!(int_of_str(s), None, "{s:?}");
        }
        assert_eq!(int_of_str("99999999999999999999"), Some(PyInt::TooLarge));
        assert_eq!(
            int_of_str("-99999999999999999999"),
            Some(PyInt::Int(i64::MIN))
        );
        assert_eq!(
            int_of_str("-9223372036854775808"),
            Some(PyInt::Int(i64::MIN))
        );
        assert_eq!(
            int_of_str("9223372036854775807"),
            Some(PyInt::Int(i64::MAX))
        );
        assert_eq!(int_of_str("9223372036854775808"), Some(PyInt::TooLarge));
    }

    #[test]
    fn int_of_values() {
        assert_eq!(int_of(&json!(true)), Some(PyInt::Int(1)));
        assert_eq!(int_of(&json!(-0.5)), Some(PyInt::Int(0)));
        assert_eq!(int_of(&json!(3.9)), Some(PyInt::Int(3)));
        assert_eq!(int_of(&json!(-3.9)), Some(PyInt::Int(-3)));
        assert_eq!(int_of(&json!(1e300)), Some(PyInt::TooLarge));
        assert_eq!(int_of(&json!(-1e300)), Some(PyInt::Int(i64::MIN)));
        assert_eq!(int_of(&json!(u64::MAX)), Some(PyInt::TooLarge));
        assert_eq!(int_of(&json!(null)), None);
        assert_eq!(int_of(&json!([1])), None);
        assert_eq!(int_of(&json!({"a": 1})), None);
    }

    #[test]
    fn float_repr_like_python() {
        let cases = [
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1.5e300, "1.5e+300"),
            (123456789.123, "123456789.123"),
            (1.5, "1.5"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.3333333333333333"),
            (5e-324, "5e-324"),
            (-2.5e-7, "-2.5e-07"),
        ];
        for (x, want) in cases {
            assert_eq!(float_repr(x), want);
        }
    }

    #[test]
    fn str_of_like_python() {
        let v = json!([1, "a", null, true, 1.5, {"k": [2]}, "it's", "q\"", "b'\"",
                       "\u{1c}\u{7f}\u{85}\u{a0}é\u{200b}😀\u{2028}"]);
        assert_eq!(
            str_of(&v),
            r#"[1, 'a', None, True, 1.5, {'k': [2]}, "it's", 'q"', 'b\'"', '\x1c\x7f\x85\xa0é\u200b😀\u2028']"#
        );
        assert_eq!(str_of(&json!("x y")), "x y");
        assert_eq!(str_of(&json!(null)), "None");
        assert_eq!(str_of(&json!(42)), "42");
        assert_eq!(str_of(&json!(false)), "False");
    }

    #[test]
    fn json_str_like_python() {
        assert_eq!(
            json_str("a\"b\\c\n\u{7f}é😀"),
            r#""a\"b\\c\n\u007f\u00e9\ud83d\ude00""#
        );
    }
}
