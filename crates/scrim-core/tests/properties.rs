//! Property tests: for random text with planted personal data, no planted character survives,
//! and every offset falls on a character boundary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)] // test helpers outside #[test] fns

use std::sync::Arc;

use proptest::prelude::*;
use scrim_core::{Engine, Key, Outcome, Policy, Record, Redactor};

fn engine() -> Arc<Engine> {
    use std::sync::OnceLock;
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    Arc::clone(ENGINE.get_or_init(|| Arc::new(Engine::new().expect("engine builds"))))
}

/// Filler: ordinary chat words, emoji, CJK, Devanagari, punctuation.
fn filler() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "honestly",
        "i",
        "think",
        "that",
        "was",
        "fine",
        "😀",
        "👩‍👩‍👧",
        "🇮🇳",
        "ok",
        "so",
        "लेकिन",
        "मुझे",
        "好的",
        "谢谢",
        "the",
        "meeting",
        "tomorrow",
        "?",
        "!",
        ",",
        "lol",
        "really",
        "weather",
        "is",
        "nice",
        "café",
        "naïve",
        "and",
        "then",
        "we",
        "left",
    ]);
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.join(" "))
}

fn luhn_complete(prefix: &[u32]) -> String {
    // prefix has 15 digits; append the check digit.
    let mut sum = 0;
    for (i, d) in prefix.iter().rev().enumerate() {
        let mut v = *d;
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    let check = (10 - sum % 10) % 10;
    let mut s: String = prefix
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap())
        .collect();
    s.push(char::from_digit(check, 10).unwrap());
    format!("{} {} {} {}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

/// A planted value: (cue text before it, the value).
fn planted() -> impl Strategy<Value = (String, String)> {
    let email = (
        "[a-z]{3,8}",
        "[a-z]{2,6}",
        prop::sample::select(vec!["gmail.com", "yahoo.co.in", "outlook.com", "proton.me"]),
    )
        .prop_map(|(a, b, d)| ("email me at".to_string(), format!("{a}.{b}@{d}")));
    let phone = (
        prop::sample::select(vec!["617", "415", "212", "312"]),
        200u32..999,
        0u32..10000,
    )
        .prop_map(|(area, ex, line)| {
            ("call me at".to_string(), format!("({area}) {ex}-{line:04}"))
        });
    let card = prop::collection::vec(0u32..10, 14).prop_map(|mut v| {
        v.insert(0, 4);
        ("my card is".to_string(), luhn_complete(&v))
    });
    // Someone's address: not loopback (127.0.0.0/8), which is no one's and is left alone.
    let ip = (1u8..224, 0u8..=255, 0u8..=255, 1u8..255)
        .prop_filter("loopback is no one's address", |(a, ..)| *a != 127)
        .prop_map(|(a, b, c, d)| ("my ip is".to_string(), format!("{a}.{b}.{c}.{d}")));
    let name = prop::sample::select(vec![
        "Priya", "Omar", "Hailey", "Tomasz", "Aisha", "Mateo", "Keiko",
    ])
    .prop_map(|n| ("my name is".to_string(), n.to_string()));
    prop_oneof![email, phone, card, ip, name]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn no_planted_character_survives(before in filler(), (cue, secret) in planted(), after in filler()) {
        let text = format!("{before} {cue} {secret} {after}");
        let start = before.len() + 1 + cue.len() + 1;
        let end = start + secret.len();
        let found = engine().detect_text(&text).unwrap();
        for b in start..end {
            if !text.is_char_boundary(b) { continue; }
            prop_assert!(
                found.iter().any(|f| f.span.start() <= b && b < f.span.end()),
                "byte {} of the planted value is not covered (cue {:?})", b - start, cue
            );
        }
        // And after redaction the value is gone from the output.
        let redactor = Redactor::new(engine(), Policy::default_policy().unwrap(), Key::from_secret(b"prop-test-key-material"));
        let line = serde_json::json!({"id": "p", "messages": [{"role": "user", "content": text}]}).to_string();
        match redactor.redact(Record::parse(&line).unwrap()) {
            Outcome::Redacted { value, .. } => {
                let out = value["messages"][0]["content"].as_str().unwrap();
                prop_assert!(!out.contains(secret.as_str()), "the planted value survived redaction");
            }
            Outcome::Withheld { .. } => prop_assert!(false, "default policy withholds nothing"),
        }
    }

    #[test]
    fn offsets_always_fall_on_character_boundaries(text in "\\PC{0,80}") {
        for f in engine().detect_text(&text).unwrap() {
            prop_assert!(text.is_char_boundary(f.span.start()));
            prop_assert!(text.is_char_boundary(f.span.end()));
            prop_assert!(f.span.start() < f.span.end() && f.span.end() <= text.len());
        }
        // Code point offsets in the output stay within the content.
        let redactor = Redactor::new(engine(), Policy::default_policy().unwrap(), Key::from_secret(b"prop-test-key-material"));
        let line = serde_json::json!({"id": "p", "text": text}).to_string();
        if let Outcome::Redacted { value, .. } = redactor.redact(Record::parse(&line).unwrap()) {
            let n = text.chars().count() as u64;
            for r in value["scrim"]["replacements"].as_array().unwrap() {
                let (s, e) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
                prop_assert!(s < e && e <= n);
            }
        }
    }
}
