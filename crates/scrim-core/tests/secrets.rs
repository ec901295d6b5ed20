//! Secrets end to end: realistic pastes through the default policy's redactor. Every token
//! here is made up (random characters, computed checksums); none is real.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use scrim_core::{Engine, Key, Label, Outcome, Policy, Record, Redactor};
use serde_json::json;

fn redactor(policy: Policy) -> Redactor {
    Redactor::new(
        Arc::new(Engine::new().unwrap()),
        policy,
        Key::from_secret(b"test"),
    )
}

/// A made-up base62 string.
fn random(n: usize, seed: u32) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            char::from(A[(x % 62) as usize])
        })
        .collect()
}

/// CRC-32 (zlib), for a made-up GitHub token's checksum.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn github_token(seed: u32) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let body = random(30, seed);
    let mut n = crc32(body.as_bytes());
    let mut sum = [b'0'; 6];
    for slot in sum.iter_mut().rev() {
        *slot = A[(n % 62) as usize];
        n /= 62;
    }
    format!("ghp_{body}{}", String::from_utf8(sum.to_vec()).unwrap())
}

struct Paste {
    messages: Vec<String>,
    secrets: Vec<String>,
}

fn pastes() -> Paste {
    let api = random(32, 1);
    let openai = format!("sk-proj-{}", random(64, 2));
    let bearer = random(40, 3);
    let gh = github_token(4);
    let body = random(64, 5);
    let pem =
        format!("-----BEGIN EC PRIVATE KEY-----\n{body}\n{body}\n-----END EC PRIVATE KEY-----");
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMifQ.ZmFrZS1zaWduYXR1cmUtMTIz";
    let messages = vec![
        format!("here's my config:\nDB_PASSWORD=Tr0ub4dor&3\nAPI_KEY={api}\nDEBUG=true"),
        format!("why does this fail? curl -H \"Authorization: Bearer {bearer}\" https://api.example.com/v1/items"),
        format!("import openai\nopenai.api_key = \"{openai}\"\nprint(openai.models.list())"),
        format!("ssh says invalid format 😩\n{pem}"),
        format!("log: 2024-05-01 12:00:01 WARN expired token {jwt} for request 77"),
        "DATABASE_URL is postgres://app:Sup3r-s3cret@db.internal:5432/app".to_string(),
        format!("pushed with {gh} but got 403"),
    ];
    let secrets = vec![
        "Tr0ub4dor&3".to_string(),
        api,
        bearer,
        openai,
        body,
        jwt.to_string(),
        "Sup3r-s3cret".to_string(),
        gh,
    ];
    Paste { messages, secrets }
}

#[test]
fn pasted_secrets_become_placeholders_and_are_counted() {
    let p = pastes();
    let msgs: Vec<_> = p
        .messages
        .iter()
        .map(|m| json!({"role": "user", "content": m}))
        .collect();
    let line = json!({"id": "c1", "messages": msgs}).to_string();
    let r = redactor(Policy::default_policy().unwrap());
    let Outcome::Redacted { value, stats } = r.redact(Record::parse(&line).unwrap()) else {
        panic!("withheld")
    };
    let out = value["messages"].to_string();
    for s in &p.secrets {
        assert!(!out.contains(s.as_str()), "leaked a secret: {out}");
    }
    assert!(out.contains("[SECRET_1]"), "{out}");
    let n = stats.by_label.get(&Label::Secret).copied().unwrap_or(0);
    assert!(n >= p.secrets.len(), "{n} secrets counted: {out}");
    // The postgres host stays readable; only the password is replaced.
    assert!(out.contains("postgres://app:[SECRET_"), "{out}");
    assert!(out.contains("DEBUG=true"), "{out}");
    let counted = value["scrim"].to_string();
    assert!(counted.contains("SECRET"), "{counted}");
}

#[test]
fn surrogate_secrets_are_obviously_fake() {
    let policy = Policy::from_toml("version = 1\n[labels]\nSECRET = \"surrogate\"").unwrap();
    let r = redactor(policy);
    let gh = github_token(9);
    let line = json!({"id": "c2", "text": format!("token {gh} ok")}).to_string();
    let Outcome::Redacted { value, .. } = r.redact(Record::parse(&line).unwrap()) else {
        panic!("withheld")
    };
    let text = value["text"].as_str().unwrap();
    assert!(!text.contains(&gh), "{text}");
    assert!(text.contains("xxx_"), "{text}");
}

#[test]
fn plain_chat_has_no_secrets() {
    let engine = Engine::new().unwrap();
    for t in [
        "my password policy is strict, is that normal?",
        "how many tokens does gpt-4 take? the token limit is 8k",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 broke the build",
        "request id 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed",
        "password = os.environ[\"DB_PASSWORD\"]",
    ] {
        let found = engine.detect_text(t).unwrap();
        assert!(
            found.iter().all(|f| f.label != Label::Secret),
            "{t}: {found:?}"
        );
    }
}

#[test]
fn a_password_spreads_across_the_conversation() {
    let engine = Engine::new().unwrap();
    let texts = [
        "my wifi password is Kx9mQ2vLp",
        "Kx9mQ2vLp doesn't work on my laptop",
    ];
    let out = engine.analyze(&texts, &[]).unwrap();
    for (t, a) in texts.iter().zip(&out) {
        let secret = a
            .findings
            .iter()
            .find(|f| f.label == Label::Secret)
            .and_then(|f| f.span.slice(t));
        assert_eq!(secret, Some("Kx9mQ2vLp"), "{t}");
    }
}
