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

/// One block of a mixed message and the values planted in it: prose with a cue, a fenced code
/// block (values in string literals, comments and assignments), a traceback line with a home
/// path, or a shell prompt.
fn block() -> impl Strategy<Value = (String, Vec<String>)> {
    let name = prop::sample::select(vec![
        "Priya Raman",
        "Omar Haddad",
        "Keiko Sato",
        "Tomasz Nowak",
    ]);
    let user = "[a-z]{4,8}".prop_filter("not a generic account", |u| {
        ![
            "root", "user", "admin", "test", "guest", "ubuntu", "users", "runner", "docker",
        ]
        .contains(&u.as_str())
    });
    let prose = (
        planted(),
        prop::sample::select(vec![
            ("i live in", "Leeds"),
            ("my birthday is on", "March 3, 1990"),
            ("send it to", "221 Baker Street"),
            ("my ssn is", "536-22-8146"),
            ("my iban is", "GB82 WEST 1234 5698 7654 32"),
            ("my portfolio is", "https://hana-mori.dev/cv"),
        ]),
    )
        .prop_map(|((c1, v1), (c2, v2))| {
            (
                format!("so {c1} {v1}, and {c2} {v2} ok"),
                vec![v1, v2.to_string()],
            )
        });
    let code = (name.clone(), "[a-z]{3,6}[0-9]{2}[A-Z][a-z]{3}", planted())
        .prop_map(|(n, pw, (c, v))| {
            (
                format!("```python\n# maintained by {n}\ndb_password = \"{pw}\"\nconn = connect(max(len(x)), note=\"{c} {v}\")\n```"),
                vec![n.to_string(), pw, v],
            )
        });
    let log = user.clone().prop_map(|u| {
        (
            format!("Traceback (most recent call last):\n  File \"/home/{u}/app/main.py\", line 3, in <module>\nValueError: bad"),
            vec![format!("/home/{u}/")],
        )
    });
    let shell = user.prop_map(|u| {
        (
            format!("{u}@devbox:~/src$ ls -la"),
            vec![format!("{u}@devbox")],
        )
    });
    prop_oneof![prose, code, log, shell]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, .. ProptestConfig::default() })]

    /// Messages mixing prose, code, logs and shell sessions, with planted values of every label
    /// where they are personal: nothing planted survives redaction, offsets stay on boundaries.
    #[test]
    fn mixed_regions_leak_nothing(blocks in prop::collection::vec(block(), 1..5), glue in filler()) {
        let mut text = String::new();
        let mut planted = Vec::new();
        for (b, values) in blocks {
            text.push_str(&b);
            text.push_str("\n\n");
            text.push_str(&glue);
            text.push_str("\n\n");
            planted.extend(values);
        }
        let redactor = Redactor::new(engine(), Policy::default_policy().unwrap(), Key::from_secret(b"prop-test-key-material"));
        let line = serde_json::json!({"id": "p", "messages": [{"role": "user", "content": text}]}).to_string();
        match redactor.redact(Record::parse(&line).unwrap()) {
            Outcome::Redacted { value, .. } => {
                let out = value["messages"][0]["content"].as_str().unwrap();
                for v in &planted {
                    prop_assert!(!out.contains(v.as_str()), "a planted value survived: {:?}", v);
                }
                let n = text.chars().count() as u64;
                for r in value["scrim"]["replacements"].as_array().unwrap() {
                    let (s, e) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
                    prop_assert!(s < e && e <= n);
                }
            }
            Outcome::Withheld { .. } => prop_assert!(false, "default policy withholds nothing"),
        }
    }
}
