//! Cross-family tests, boundary checks, a property test and a throughput benchmark.

use super::*;

fn run(t: &str) -> Vec<Finding> {
    let p = Patterns::new().unwrap();
    let mut out = Vec::new();
    p.detect(t, &mut out);
    for f in &out {
        assert!(
            t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()),
            "{t:?}"
        );
        assert!(f.span.end() <= t.len());
        assert!((0.0..=1.0).contains(&f.score));
        assert_eq!(f.detector, family_of(f.label).name());
    }
    out
}

fn family_of(l: Label) -> Family {
    Family::ALL.into_iter().find(|f| f.label() == l).unwrap()
}

fn labeled(t: &str) -> Vec<(Label, &str)> {
    let mut v: Vec<_> = run(t)
        .into_iter()
        .map(|f| (f.span.start(), f.label, f.span.slice(t).unwrap()))
        .collect();
    v.sort_by_key(|x| x.0);
    v.into_iter().map(|(_, l, s)| (l, s)).collect()
}

#[test]
fn mixed_message() {
    let t =
        "hi, I'm Priya, 34, call me at +91 98765 43210 or mail priya dot sharma at gmail dot com. \
             I live at Flat 302, Sai Krupa Apartments, 14th Cross, Indiranagar, Bengaluru 560038. \
             insta: priya.s_22, born on 12/03/1994";
    let got = labeled(t);
    assert!(got.contains(&(Label::Phone, "+91 98765 43210")), "{got:?}");
    assert!(
        got.contains(&(Label::Email, "priya dot sharma at gmail dot com")),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            Label::Address,
            "Flat 302, Sai Krupa Apartments, 14th Cross, Indiranagar, Bengaluru 560038"
        )),
        "{got:?}"
    );
    assert!(got.contains(&(Label::Username, "priya.s_22")), "{got:?}");
    assert!(got.contains(&(Label::Date, "12/03/1994")), "{got:?}");
}

#[test]
fn nothing_in_plain_chat() {
    for t in [
        "hey how are you doing today? let's meet at the cafe at noon",
        "I paid $1,299.99 for it, and ₹45,000 for the other one",
        "the meeting is at 10:30 on 2024-01-15",
        "we need 2 x 500 ml bottles and 180 cm of tape, 95% done",
        "version 1.2.3.4 is out, upgrade from 1.2.3",
        "my insta is private lol",
        "I'm 34 minutes late sorry",
        "population 1,000,000 in 1994",
    ] {
        let got: Vec<_> = labeled(t)
            .into_iter()
            .filter(|(l, _)| *l != Label::Date)
            .collect();
        assert!(got.is_empty(), "{t:?} -> {got:?}");
    }
    assert_eq!(
        labeled("the meeting is at 10:30 on 2024-01-15"),
        vec![(Label::Date, "2024-01-15")]
    );
}

#[test]
fn overlaps_resolved_inside() {
    // A card number is not also a phone; a v4 tail is not a separate IP.
    let got = labeled("card 4111 1111 1111 1111");
    assert_eq!(got, vec![(Label::CreditCard, "4111 1111 1111 1111")]);
    let got = labeled("::ffff:192.0.2.128");
    assert_eq!(got, vec![(Label::Ip, "::ffff:192.0.2.128")]);
    let got = labeled("see tiktok.com/@dancer");
    assert_eq!(got, vec![(Label::Url, "tiktok.com/@dancer")]);
    let got = labeled("account number 9876543210");
    assert_eq!(got, vec![(Label::Id, "9876543210")]);
}

#[test]
fn config_switches_families() {
    let p = Patterns::with_config(PatternsConfig::default().only([Family::Email])).unwrap();
    let mut out = Vec::new();
    p.detect("jdoe@x.com 208-555-0147", &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].detector, "email");
    assert!(Patterns::with_config(PatternsConfig::default().phone_regions(["XX"])).is_err());
    let p = Patterns::with_config(PatternsConfig::default().phone_regions(["DE"])).unwrap();
    let mut out = Vec::new();
    p.detect("030 1234567", &mut out);
    assert!(out.iter().any(|f| f.label == Label::Phone));
    assert_eq!(p.name(), "patterns");
    let dbg = format!("{p:?}");
    assert!(dbg.contains("Patterns"));
}

#[test]
fn unicode_surroundings() {
    for t in [
        "😀📞 208-555-0147 😀",
        "मेरा ईमेल jdoe@example.com है और फ़ोन 9876543210",
        "我的电话是+86 138 0013 8000，邮箱jdoe@example.com。",
        "こんにちは @tanaka_99 です",
        "Привет, мне 25 лет, I'm 25",
        "ß 12/03/1994 ü",
    ] {
        let got = run(t);
        assert!(!got.is_empty(), "{t:?}");
    }
}

#[test]
fn no_phone_in_numbers_that_are_not_phones() {
    for t in [
        "$1,299.99",
        "₹45,000",
        "1,000,000",
        "in 1994 and 2025",
        "10:30 or 10:30:45",
        "12/03/1994",
        "2024-01-15",
        "2 x 500 ml",
        "5'11\" tall, 180 cm",
        "45% and 12.5%",
        "version 1.2.3.4",
        "ZIP 83702, PIN 560038",
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "order 12345678901234567890",
        "tracking 1Z9999999999999999",
        "IBAN GB82 WEST 1234 5698 7654 32",
        "ip 192.168.100.200",
        "ssn 123-45-6789",
        "scores 15-8 15-17 17-15",
    ] {
        let got = labeled(t);
        assert!(
            got.iter().all(|(l, _)| *l != Label::Phone),
            "{t:?} -> {got:?}"
        );
    }
}

#[test]
fn exact_offsets_in_other_scripts() {
    let t = "नमस्ते 🙏 मेरा नंबर +91 98765 43210 है, ईमेल priya@example.in 😀";
    let got = labeled(t);
    assert_eq!(
        got,
        vec![
            (Label::Phone, "+91 98765 43210"),
            (Label::Email, "priya@example.in")
        ]
    );
    let t = "我的生日是1994-03-12，电话+86 138 0013 8000";
    let got = labeled(t);
    assert!(got.contains(&(Label::Date, "1994-03-12")), "{got:?}");
    assert!(
        got.contains(&(Label::Phone, "+86 138 0013 8000")),
        "{got:?}"
    );
    let t = "Привет! I'm 25 😀, insta: olga_k";
    assert_eq!(
        labeled(t),
        vec![(Label::Age, "25"), (Label::Username, "olga_k")]
    );
}

#[test]
fn adversarial_inputs_finish() {
    // Long runs of digits and separators, repeated cue words, unbalanced brackets: linear work,
    // no panic.
    let inputs = [
        "1 ".repeat(20_000),
        "12-".repeat(10_000),
        "(1".repeat(10_000),
        "+1 (".repeat(10_000),
        "9876543210 ".repeat(2_000),
        "at dot ".repeat(5_000),
        "@a".repeat(10_000),
        "my insta is ".repeat(3_000),
        "221 Maple Ave, ".repeat(2_000),
        "1.2.".repeat(10_000),
        "::".repeat(10_000),
        "http://".repeat(5_000),
        "😀1".repeat(10_000),
    ];
    let p = Patterns::new().unwrap();
    for s in &inputs {
        let mut out = Vec::new();
        p.detect(s, &mut out);
        for f in &out {
            assert!(s.is_char_boundary(f.span.start()) && s.is_char_boundary(f.span.end()));
        }
    }
}

#[test]
fn obfuscated_email_family() {
    for (t, want) in [
        (
            "priya dot sharma at gmail dot com",
            "priya dot sharma at gmail dot com",
        ),
        ("jdoe [at] yahoo [dot] com", "jdoe [at] yahoo [dot] com"),
        ("jdoe(at)yahoo(dot)com", "jdoe(at)yahoo(dot)com"),
        ("jdoe {at} yahoo . com", "jdoe {at} yahoo . com"),
        ("j.doe AT gmail DOT com", "j.doe AT gmail DOT com"),
    ] {
        assert_eq!(labeled(t), vec![(Label::Email, want)], "{t:?}");
    }
    assert!(labeled("meet me at home dot").is_empty());
}

#[test]
fn debug_never_prints_text() {
    let p = Patterns::new().unwrap();
    let mut out = Vec::new();
    let t = "jdoe@secret.com";
    p.detect(t, &mut out);
    for f in &out {
        assert!(!format!("{f:?}").contains("secret"));
    }
}

mod prop {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn shared() -> &'static Patterns {
        static P: OnceLock<Patterns> = OnceLock::new();
        P.get_or_init(|| Patterns::new().unwrap())
    }

    fn check(t: &str) {
        let mut out = Vec::new();
        shared().detect(t, &mut out);
        for f in &out {
            assert!(f.span.start() < f.span.end() && f.span.end() <= t.len());
            assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
            assert!((0.0..=1.0).contains(&f.score));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_string_is_safe(s in "\\PC{0,200}") {
            check(&s);
        }

        #[test]
        fn pii_alphabet_is_safe(s in "[0-9 +()\\-./:@#,a-zA-Z\\[\\]{}_\n'éß😀नि]{0,160}") {
            check(&s);
        }

        #[test]
        fn pii_fragments_are_safe(parts in proptest::collection::vec(prop_oneof![
            Just("+91 98765 43210"), Just("208-555-0147"), Just("4111 1111 1111 1111"),
            Just("jdoe@x.com"), Just(" at "), Just(" dot "), Just("@"), Just("Apt 4B, "),
            Just("221 Maple Ave"), Just("12/03/1994"), Just("I'm 34"), Just("😀"), Just("नमस्ते"),
            Just("GB82 WEST 1234 5698 7654 32"), Just("192.168.1.1"), Just("::"), Just("https://"),
            Just("www."), Just("instagram.com/"), Just("u/"), Just("my insta is "), Just(", "),
            Just("\n"), Just("("), Just(")"), Just("#"), Just("-"), Just("."), Just("0"), Just("9"),
        ], 0..24)) {
            let s: String = parts.concat();
            check(&s);
        }
    }
}

/// Throughput on ~5 MB of synthetic chat: run with
/// `cargo test --release -p scrim-core patterns -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_throughput() {
    use std::time::Instant;
    let plain = [
        "hey how are you doing today? let's grab lunch later if you're free",
        "lol that movie was so good, we should watch the sequel this weekend",
        "can you send me the notes from class? I missed the lecture on thermodynamics",
        "ok sounds good, see you at the station around 5",
        "I think the new update broke something, the app keeps crashing on startup",
        "did you finish the report? the deadline is tomorrow morning",
        "haha yes exactly, that's what I was trying to say earlier",
        "traffic is terrible today, I'll be there in 20 minutes",
        "bhai kal milte hain, aaj bahut kaam hai office mein",
        "the price went up to $1,299.99 which is crazy, maybe wait for the sale",
        "my flight got delayed again, sitting at the gate for 2 hours now",
        "what time is the meeting? I have another call at 10:30",
    ];
    let pii = [
        "you can call me at (208) 555-0147 after 6pm",
        "my email is priya.sharma@gmail.com, send it there",
        "it's priya dot sharma at gmail dot com",
        "mera number 98765 43210 hai, whatsapp karo",
        "I live at 221 Maple Ave, Boise, ID 83702",
        "my insta is priya.s_22 follow me",
        "I'm 34 and from Pune",
        "card 4111 1111 1111 1111 exp 12/27",
        "born on 12/03/1994 in Delhi",
        "check https://example.com/profile/jdoe for details",
    ];
    let mut msgs: Vec<String> = Vec::new();
    let mut total = 0usize;
    let mut i = 0usize;
    while total < 5_000_000 {
        // One message in ten carries PII.
        let m = if i % 10 == 7 {
            pii[(i / 10) % pii.len()]
        } else {
            plain[i % plain.len()]
        };
        msgs.push(m.to_string());
        total += m.len();
        i += 1;
    }
    let p = Patterns::new().unwrap();
    let mut out = Vec::new();
    // Warm up (phone metadata loads lazily).
    p.detect("call 208-555-0147", &mut out);
    let t0 = Instant::now();
    let mut n = 0usize;
    for m in &msgs {
        out.clear();
        p.detect(m, &mut out);
        n += out.len();
    }
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "patterns, per message: {:.1} MB/s ({} messages, {} bytes, {} findings, {:.3}s)",
        total as f64 / dt / 1e6,
        msgs.len(),
        total,
        n,
        dt
    );
    let blob = msgs.join("\n");
    let t0 = Instant::now();
    out.clear();
    p.detect(&blob, &mut out);
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "patterns, one 5 MB text: {:.1} MB/s ({} findings)",
        blob.len() as f64 / dt / 1e6,
        out.len()
    );
    let plain_blob: String = plain
        .iter()
        .cycle()
        .take(msgs.len())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    let t0 = Instant::now();
    for line in plain_blob.lines() {
        out.clear();
        p.detect(line, &mut out);
    }
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "patterns, plain chat only: {:.1} MB/s",
        plain_blob.len() as f64 / dt / 1e6
    );
}

#[test]
#[ignore]
fn bench_pii_messages() {
    use std::time::Instant;
    let pii = [
        "you can call me at (208) 555-0147 after 6pm",
        "my email is priya.sharma@gmail.com, send it there",
        "it's priya dot sharma at gmail dot com",
        "mera number 98765 43210 hai, whatsapp karo",
        "I live at 221 Maple Ave, Boise, ID 83702",
        "my insta is priya.s_22 follow me",
        "I'm 34 and from Pune",
        "card 4111 1111 1111 1111 exp 12/27",
        "born on 12/03/1994 in Delhi",
        "check https://example.com/profile/jdoe for details",
        "ok sounds good, see you at the station around 5",
    ];
    let p = Patterns::new().unwrap();
    let mut out = Vec::new();
    p.detect("call 208-555-0147", &mut out);
    for m in pii {
        let t0 = Instant::now();
        for _ in 0..20000 {
            out.clear();
            p.detect(m, &mut out);
        }
        println!("{:8.2} us  {m}", t0.elapsed().as_secs_f64() / 20000.0 * 1e6);
    }
}
