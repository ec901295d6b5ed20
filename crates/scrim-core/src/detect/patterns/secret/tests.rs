//! Tests of the secrets detector. Every token here is generated or made up; none is real.

use super::providers::{base62_6, crc32};
use super::*;

fn found(t: &str) -> Vec<(&str, &'static str)> {
    let s = Secret::new().unwrap();
    let mut out = Vec::new();
    s.find(t, &mut out);
    util::drop_contained(&mut out, 0);
    out.sort_by_key(|f| f.span.start());
    for f in &out {
        assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
        assert_eq!(f.label, Label::Secret);
    }
    out.iter()
        .map(|f| (f.span.slice(t).unwrap(), f.kind.unwrap_or("")))
        .collect()
}

fn values(t: &str) -> Vec<&str> {
    found(t).into_iter().map(|(v, _)| v).collect()
}

/// A made-up GitHub-style token with a valid checksum: prefix, 30 characters, base62 CRC32.
fn github_token(prefix: &str, seed: u32) -> String {
    const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(12345);
    let body: String = (0..30)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            char::from(A[(x % 62) as usize])
        })
        .collect();
    format!("{prefix}{body}{}", base62_6(crc32(body.as_bytes())))
}

/// A made-up random string over `alphabet`.
fn random(alphabet: &[u8], n: usize, seed: u32) -> String {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            char::from(alphabet[(x % alphabet.len() as u32) as usize])
        })
        .collect()
}

const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

#[test]
fn github_checksums() {
    let good = github_token("ghp_", 7);
    let t = format!("my token is {good}, please don't share");
    assert_eq!(found(&t), vec![(good.as_str(), "GITHUB_TOKEN")]);
    // The same token with its last character changed: no longer a GitHub token.
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'a' { 'b' } else { 'a' });
    assert!(found(&format!("here: {bad} ok")).is_empty(), "{bad}");
    let npm = github_token("npm_", 99);
    assert_eq!(values(&format!("npm token {npm}")), vec![npm.as_str()]);
}

#[test]
fn provider_tokens() {
    let aws = format!("AKIA{}", random(UPPER, 16, 3));
    let slack = format!("xoxb-1234567890-{}", random(B62, 24, 4));
    let stripe = format!("sk_live_{}", random(B62, 24, 5));
    let openai = format!("sk-proj-{}", random(B62, 64, 6));
    let legacy = format!("sk-{}", random(B62, 48, 7));
    let anthropic = format!("sk-ant-api03-{}", random(B62, 93, 8));
    let google = format!("AIza{}", random(B62, 35, 9));
    let hf = format!("hf_{}", random(B62, 34, 10));
    let sg = format!("SG.{}.{}", random(B62, 22, 11), random(B62, 43, 12));
    let shop = format!("shpat_{}", random(HEX, 32, 13));
    let glpat = format!("glpat-{}", random(B62, 20, 14));
    let dop = format!("dop_v1_{}", random(HEX, 64, 15));
    for (tok, kind) in [
        (&aws, "AWS_ACCESS_KEY_ID"),
        (&slack, "SLACK_TOKEN"),
        (&stripe, "STRIPE_KEY"),
        (&openai, "OPENAI_KEY"),
        (&legacy, "OPENAI_KEY"),
        (&anthropic, "ANTHROPIC_KEY"),
        (&google, "GOOGLE_API_KEY"),
        (&hf, "HUGGINGFACE_TOKEN"),
        (&sg, "SENDGRID_KEY"),
        (&shop, "SHOPIFY_TOKEN"),
        (&glpat, "GITLAB_TOKEN"),
        (&dop, "DIGITALOCEAN_TOKEN"),
    ] {
        let t = format!("use {tok}.");
        assert_eq!(found(&t), vec![(tok.as_str(), kind)], "{kind}");
    }
    let hook = format!(
        "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/{}",
        random(B62, 24, 16)
    );
    assert_eq!(
        found(&format!("post to {hook} now")),
        vec![(hook.as_str(), "SLACK_WEBHOOK")]
    );
    let tg = format!("1234567890:AA{}", random(B62, 33, 17));
    assert_eq!(values(&format!("bot token {tg}")), vec![tg.as_str()]);
}

#[test]
fn provider_near_misses() {
    assert!(values("the task-force met").is_empty());
    assert!(values("AKIAshort and AKIA").is_empty());
    assert!(values("sk-learn is a library").is_empty());
    assert!(values("ghp_ and gho_ are github prefixes").is_empty());
    let glued = format!("xAKIA{}", random(UPPER, 16, 3));
    assert!(values(&glued).is_empty());
}

#[test]
fn jwts() {
    // {"alg":"HS256","typ":"JWT"} . {"sub":"123","name":"Test"} . fake signature
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJuYW1lIjoiVGVzdCJ9.c2lnbmF0dXJlLW5vdC1yZWFs";
    let t = format!("2024-05-01T10:00:00Z INFO auth ok token={jwt} user=42");
    assert!(values(&t).contains(&jwt), "{:?}", values(&t));
    assert_eq!(found(&format!("jwt: {jwt}")), vec![(jwt, "JWT")]);
    // Markdown-escaped underscores inside a part (chat logs exported to markdown).
    let escaped =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMifQ.c2ln\\_bmF0dXJl\\_LW5vdA";
    assert_eq!(values(&format!("KEY = \"{escaped}\"")), vec![escaped]);
    // A base64 JSON object without "alg" is not a JWT header.
    assert!(values("eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxMjMifQ.abc").is_empty());
}

#[test]
fn private_keys() {
    let body = random(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        64,
        21,
    );
    let block =
        format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n{body}\n-----END RSA PRIVATE KEY-----");
    let t = format!("why does ssh reject this?\n{block}\nthanks!");
    assert_eq!(found(&t), vec![(block.as_str(), "PRIVATE_KEY")]);
    // Truncated paste: no END line, the body ends the block.
    let open = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n{body}");
    let t = format!("{open}\n\nis this right");
    assert_eq!(values(&t), vec![open.as_str()]);
    let t = format!("{open}\nthanks");
    assert_eq!(values(&t), vec![open.as_str()]);
    // Public keys and certificates are not secrets.
    assert!(values(&format!(
        "-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"
    ))
    .is_empty());
    let pgp = format!("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body}\n=AbCd\n-----END PGP PRIVATE KEY BLOCK-----");
    assert_eq!(values(&pgp), vec![pgp.as_str()]);
    let putty = format!("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 1\n{body}\nPrivate-Lines: 1\n{body}\nPrivate-MAC: {}", random(HEX, 64, 2));
    assert_eq!(values(&format!("{putty}\nok")), vec![putty.as_str()]);
}

#[test]
fn url_passwords() {
    let t = "connect with postgres://app_user:S3cr3t!x@db.internal:5432/app and go";
    assert_eq!(found(t), vec![("S3cr3t!x", "URL_PASSWORD")]);
    assert_eq!(
        values("mongodb+srv://admin:hunter22@cluster0.example.net/db"),
        vec!["hunter22"]
    );
    assert_eq!(values("redis://:p4ssw0rd@localhost:6379"), vec!["p4ssw0rd"]);
    assert_eq!(
        values("url = \"https://bob:pa@ss1@example.com/x\""),
        vec!["pa@ss1"]
    );
    assert!(values("https://example.com:8080/path").is_empty());
    assert!(values("postgres://user:${DB_PASSWORD}@db/app").is_empty());
    assert!(values("postgres://user:password@localhost/db").is_empty());
}

#[test]
fn keyed_values() {
    let key = random(B62, 32, 30);
    let env =
        format!("here's my .env:\nDB_PASSWORD=Tr0ub4dor&3\nexport API_KEY={key}\nDEBUG=true\n");
    assert_eq!(values(&env), vec!["Tr0ub4dor&3", key.as_str()]);
    let py = format!(
        "import openai\nopenai.api_key = \"sk-{}\"\n",
        random(B62, 48, 31)
    );
    let v = values(&py);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].starts_with("sk-"));
    assert_eq!(
        values(r#"{"user": "ana", "password": "correct-horse-9"}"#),
        vec!["correct-horse-9"]
    );
    assert_eq!(
        values("Server=db;User Id=sa;Password=Str0ng!Pass;Encrypt=true"),
        vec!["Str0ng!Pass"]
    );
    assert_eq!(values("Pwd=abc123;"), vec!["abc123"]);
    assert_eq!(values("mysql -u root -p'h4ck me' shop"), vec!["h4ck me"]);
    assert_eq!(
        values("run it with --password Winter2024! please"),
        vec!["Winter2024!"]
    );
    assert_eq!(
        values("stripe.api_key: rk_abc_123456"),
        vec!["rk_abc_123456"]
    );
    assert_eq!(
        values("AWS_SECRET_ACCESS_KEY=abcdEFGH1234ijklMNOP5678qrstUVWX90yz+/ab"),
        vec!["abcdEFGH1234ijklMNOP5678qrstUVWX90yz+/ab"]
    );
    assert_eq!(values("dbPassword: 'letmein42'"), vec!["letmein42"]);
    assert_eq!(
        values("my password is hunter2, don't tell"),
        vec!["hunter2"]
    );
    assert_eq!(values("mi contraseña es Gato2024!"), vec!["Gato2024!"]);
    assert_eq!(values("Passwort: Sommer2023"), vec!["Sommer2023"]);
    assert_eq!(values("mot de passe : soleil77"), vec!["soleil77"]);
    assert_eq!(values("senha: Brasil@10"), vec!["Brasil@10"]);
    assert_eq!(values("мой пароль: Kotik1985"), vec!["Kotik1985"]);
    assert_eq!(values("password: changeme"), vec!["changeme"]);
    assert_eq!(values("password = password123"), vec!["password123"]);
}

#[test]
fn auth_headers() {
    let tok = random(B62, 40, 40);
    let t = format!("curl -H \"Authorization: Bearer {tok}\" https://api.example.com/v1/me");
    assert_eq!(found(&t), vec![(tok.as_str(), "AUTH_HEADER")]);
    let t = "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l";
    assert_eq!(values(t), vec!["YWxhZGRpbjpvcGVuc2VzYW1l"]);
    assert!(values("curl -H \"Authorization: Bearer $TOKEN\" https://x.io").is_empty());
}

#[test]
fn placeholders_and_references_are_not_secrets() {
    for t in [
        "password = os.environ[\"DB_PASSWORD\"]",
        "password = os.getenv('PW')",
        "token: process.env.GITHUB_TOKEN",
        "API_KEY=${API_KEY}",
        "API_KEY=$API_KEY",
        "set PASSWORD=%PASSWORD%",
        "api_key = \"YOUR_API_KEY\"",
        "password: \"your_password_here\"",
        "token = \"<your-token>\"",
        "password=\"\"",
        "password: ********",
        "secret: xxxxxxxxxxxx",
        "password = None",
        "token: null",
        "auth: true",
        "password: str",
        "token = get_token()",
        "password: [SECRET_1]",
        "pub password: String,",
    ] {
        assert!(values(t).is_empty(), "{t}: {:?}", values(t));
    }
}

#[test]
fn prose_and_identifiers_are_not_secrets() {
    for t in [
        "my password policy is strict",
        "my password is too long to remember",
        "the token is a unit of text in language models",
        "each token costs money, max_tokens = 4096",
        "you need to pass the test",
        "bypass: yes",
        "password_hash = bcrypt(x)",
        "id: 3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "commit: 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "\"integrity\": \"sha512-AbCdEf0123456789GhIjKlMnOpQrStUvWxYz+/AbCdEf0123456789==\"",
        "\"image\": \"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\"",
        "note: remember to call mom",
        "ratio = 16:9, time 10:30",
        "className: \"flexContainerWrapperMain\"",
    ] {
        assert!(values(t).is_empty(), "{t}: {:?}", values(t));
    }
}

#[test]
fn high_entropy_assignments() {
    let v = random(B62, 32, 50);
    assert_eq!(
        found(&format!("config.signing = \"{v}\"")),
        vec![(v.as_str(), "HIGH_ENTROPY")]
    );
    assert_eq!(values(&format!("WEBHOOK_SIGNING={v}\n")), vec![v.as_str()]);
}

#[test]
fn entropy_threshold_separates_random_from_words() {
    let mut misses = 0;
    for seed in 1..400 {
        let r = random(B62, 20 + (seed as usize % 30), seed);
        let three_classes = r.bytes().any(|b| b.is_ascii_digit())
            && r.bytes().any(|b| b.is_ascii_uppercase())
            && r.bytes().any(|b| b.is_ascii_lowercase());
        if three_classes && !entropy::random_looking(&r) {
            misses += 1;
        }
    }
    assert!(misses <= 4, "{misses} random strings missed");
    for w in [
        "flexContainerWrapperMain",
        "ThisIsMyVeryLongVariable1",
        "Password123Password123",
    ] {
        assert!(!entropy::random_looking(w), "{w} {}", entropy::shannon(w));
    }
}

#[test]
fn offsets_with_emoji_and_other_scripts() {
    let tok = github_token("gho_", 5);
    let t = format!("🔑 ключ: {tok} 👍 пароль: Ёжик2024 密码：Abc12345");
    let v = values(&t);
    assert!(v.contains(&tok.as_str()), "{v:?}");
    assert!(v.contains(&"Ёжик2024"), "{v:?}");
    assert!(v.contains(&"Abc12345"), "{v:?}");
}

#[test]
fn no_candidates_no_findings() {
    let t = "hey, can you help me plan a trip to lisbon? we land at 10am and leave sunday.";
    assert!(values(t).is_empty());
    assert!(values("").is_empty());
}

#[test]
fn password_hashes_in_crypt_format() {
    // Made-up salts and hashes in the shapes of SHA-512 crypt, bcrypt and Argon2id.
    let sha = "$6$Xq3pLm0z$Qk2.v8TnR4wYb1cHs7dJf0gA9eUi5oPx3rZt6yWm2nLk8jVh4bCd1aSe7fGu0iOp5qR9sT3uV6wX.yZ1aB2cD/";
    let t = format!("alice:{sha}:19000:0:99999:7:::");
    assert_eq!(found(&t), vec![(sha, "PASSWORD_HASH")]);
    let bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
    assert_eq!(values(&format!("hash = '{bcrypt}'")), vec![bcrypt]);
    let argon =
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA";
    assert_eq!(values(&format!("stored {argon} in the db")), vec![argon]);
    // Prices, shell variables and short fields are not hashes.
    for t in [
        "it costs $6$ or $5$ at most",
        "echo $1$HOME",
        "x$6$abc$defghijklmnopqrstuvwxyz0123",
    ] {
        assert!(values(t).is_empty(), "{t}");
    }
}
