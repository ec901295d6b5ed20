//! Cross-family tests, boundary checks, a property test and a throughput benchmark.

use super::*;

/// The findings of one family's finder over `t` (the unit tests of each family): the finder made
/// with a fresh gate by `new` and run by `find` on the gate's windows.
pub(super) fn find_with<F>(
    t: &str,
    new: impl FnOnce(&mut util::GateBuilder) -> Result<F>,
    find: impl Fn(&F, &str, &[util::Win], &mut Vec<Finding>),
) -> Vec<Finding> {
    let mut g = util::GateBuilder::default();
    let f = new(&mut g).unwrap();
    let mut out = Vec::new();
    find(&f, t, &g.build().unwrap().windows(t, 64), &mut out);
    out
}

/// The text of each finding, in the order found.
pub(super) fn texts<'t>(t: &'t str, found: &[Finding]) -> Vec<&'t str> {
    found.iter().map(|f| f.span.slice(t).unwrap()).collect()
}

/// The text of each finding by position, each span once.
pub(super) fn texts_by_position<'t>(t: &'t str, found: &[Finding]) -> Vec<&'t str> {
    let mut v: Vec<_> = found
        .iter()
        .map(|f| (f.span.start(), f.span.slice(t).unwrap()))
        .collect();
    v.sort();
    v.dedup();
    v.into_iter().map(|(_, s)| s).collect()
}

fn run(t: &str) -> Vec<Finding> {
    let p = Patterns::new().unwrap();
    let mut out = Vec::new();
    p.detect(t, &mut out).unwrap();
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
    p.detect("jdoe@x.com 208-555-0147", &mut out).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].detector, "email");
    assert!(Patterns::with_config(PatternsConfig::default().phone_regions(["XX"])).is_err());
    let p = Patterns::with_config(PatternsConfig::default().phone_regions(["DE"])).unwrap();
    let mut out = Vec::new();
    p.detect("030 1234567", &mut out).unwrap();
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
        p.detect(s, &mut out).unwrap();
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
    p.detect(t, &mut out).unwrap();
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
        shared().detect(t, &mut out).unwrap();
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

#[test]
fn military_and_abbreviated_street_addresses() {
    let got = labeled("my new address is USS Lorenzen\nFPO AE 25990");
    assert_eq!(got, vec![(Label::Address, "USS Lorenzen\nFPO AE 25990")]);
    let got = labeled("PSC 3294, Box 9168\nAPO AA 61487");
    assert_eq!(
        got,
        vec![(Label::Address, "PSC 3294, Box 9168\nAPO AA 61487")]
    );
    // Polish "ul." before the name, Hungarian "u." after it, and the building number before.
    let got = labeled("drop it at 643 ul. Biskupa Bogedaina 118, thanks");
    assert_eq!(got, vec![(Label::Address, "643 ul. Biskupa Bogedaina 118")]);
    let got = labeled("808 Kálmán Imre u. 12.\n Apt. 762\n Zalakaros\n Hungary 06554");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, Label::Address);
    assert!(got[0].1.starts_with("808 Kálmán") && got[0].1.ends_with("06554"));
    // After an address cue, a street without a street word is enough.
    let got = labeled("she lives at 333 Golfskálinn 78, Borgarnes");
    assert_eq!(got, vec![(Label::Address, "333 Golfskálinn 78, Borgarnes")]);
    // Without one, a price or a count before a street name is not pulled in.
    assert_eq!(
        labeled("I paid 300 Main St tax"),
        vec![(Label::Address, "300 Main St")]
    );
}

#[test]
fn local_phone_numbers_need_a_phone_word() {
    assert_eq!(
        labeled("can someone call me on 450 0840?"),
        vec![(Label::Phone, "450 0840")]
    );
    assert!(labeled("I bought 450 0840 items").is_empty());
    assert_eq!(
        labeled("they're not answering at 516 466 638"),
        vec![(Label::Phone, "516 466 638")]
    );
    assert_eq!(
        labeled("+46 (0)179 459 33 fax"),
        vec![(Label::Phone, "+46 (0)179 459 33")]
    );
}

#[test]
fn more_cued_identifiers() {
    for (t, want) in [
        ("my MRN which is 00482913 but", "00482913"),
        ("DNI: 30.845.193", "30.845.193"),
        ("my loyalty number is HRV-88203914 and", "HRV-88203914"),
        ("his plate was 8KJT412. Progressive", "8KJT412"),
        (
            "the sms says UHID APL.CHN.0048213975, ok",
            "APL.CHN.0048213975",
        ),
        ("the confirmation is 5529183.", "5529183"),
    ] {
        assert_eq!(labeled(t), vec![(Label::Id, want)], "{t}");
    }
    assert!(labeled("the confirmation was quick").is_empty());
}

#[test]
fn world_identifiers_across_families() {
    for (t, label, want) in [
        ("IMEI: 490154203237518", Label::Id, "490154203237518"),
        (
            "router MAC 3c:22:fb:9a:41:07 🙂",
            Label::Id,
            "3c:22:fb:9a:41:07",
        ),
        ("mi CPF é 529.982.247-25", Label::Id, "529.982.247-25"),
        (
            "身份证：11010519491231002X",
            Label::Id,
            "11010519491231002X",
        ),
        ("Steuer-ID: 86095742719", Label::Id, "86095742719"),
        ("Kundennummer: 100482211", Label::Id, "100482211"),
        ("1012 AB Amsterdam", Label::Address, "1012 AB Amsterdam"),
        ("London SW1A 1AA", Label::Address, "SW1A 1AA"),
    ] {
        assert_eq!(labeled(t), vec![(label, want)], "{t}");
    }
    // A checksum-valid number after a phone word stays a phone.
    assert!(labeled("call 130-692-544")
        .iter()
        .all(|(l, _)| *l != Label::Id));
    for t in [
        "the build hash is 3c22fb9a4107a1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        "total: 12345678901 units in 2024",
        "release 10.2.3.4 of the app",
    ] {
        let got: Vec<_> = labeled(t)
            .into_iter()
            .filter(|(l, _)| *l == Label::Id || *l == Label::Address)
            .collect();
        assert!(got.is_empty(), "{t:?} -> {got:?}");
    }
}

/// Prose that used to slip through: ranges, other languages, spelled-out numbers, national
/// numbers of more regions, with emoji and non-Latin neighbours around the spans.
#[test]
fn prose_messages() {
    let cases: &[(&str, &[(Label, &str)])] = &[
        (
            "Resume 📄\nSoftware Engineer, Infosys, 2019-2021\nB.Tech, VIT (2011 – 2015)",
            &[(Label::Date, "2019-2021"), (Label::Date, "2011 – 2015")],
        ),
        (
            "Data Analyst at Acme, Jan 2020 – Present 🚀",
            &[(Label::Date, "Jan 2020 – Present")],
        ),
        (
            "Estaré fuera del 2 al 5 de marzo. Tengo 45 años y mi número es nueve ocho siete seis cinco cuatro tres dos uno cero",
            &[
                (Label::Date, "2 al 5 de marzo"),
                (Label::Age, "45"),
                (Label::Phone, "nueve ocho siete seis cinco cuatro tres dos uno cero"),
            ],
        ),
        (
            "bhai meri umar 25 saal hai, mera number nau aath saat chhe paanch char teen do ek shunya hai 🙏",
            &[
                (Label::Age, "25"),
                (Label::Phone, "nau aath saat chhe paanch char teen do ek shunya"),
            ],
        ),
        (
            "मेरी उम्र २५ साल है और मेरा जन्म ३ मार्च १९९९ को हुआ। नंबर ९८७६५४३२१० है",
            &[
                (Label::Age, "२५"),
                (Label::Date, "३ मार्च १९९९"),
                (Label::Phone, "९८७६५४३२१०"),
            ],
        ),
        (
            "J'ai 30 ans, je suis née le 5 mai 1994, appelle-moi au 06 12 34 56 78 ✨",
            &[
                (Label::Age, "30"),
                (Label::Date, "5 mai 1994"),
                (Label::Phone, "06 12 34 56 78"),
            ],
        ),
        (
            "Ich bin 35 Jahre alt, geboren am 3. Mai 1989, Handy 0171 1234567",
            &[
                (Label::Age, "35"),
                (Label::Date, "3. Mai 1989"),
                (Label::Phone, "0171 1234567"),
            ],
        ),
        (
            "my number is nine eight 7 six five 4 three two one zero, from 3 to 7 May I'm in Goa",
            &[
                (Label::Phone, "nine eight 7 six five 4 three two one zero"),
                (Label::Date, "3 to 7 May"),
            ],
        ),
        (
            "ring me 😊 9 8 7 6 5 4 3 2 1 0",
            &[(Label::Phone, "9 8 7 6 5 4 3 2 1 0")],
        ),
    ];
    for (t, want) in cases {
        let got = labeled(t);
        for w in *want {
            assert!(got.contains(w), "{t:?}: missing {w:?} in {got:?}");
        }
    }
}

/// What the prose rules must leave alone.
#[test]
fn prose_false_positives() {
    for t in [
        "upgrade python 3.8-3.11 first, see pp. 12-45",
        "we won 3-2 last night",
        "revenue 2019-2021 grew 20%",
        "for y in range(2019, 2021): print(y - 2000)",
        "FY 2019-20 results are out",
        "it costs 1 299 000 rupees",
        "order 0412 345 678 shipped",
        "meeting at 10:30 - 11:45 tomorrow",
        "3 din baad milte hain",
        "hace 34 años, il y a 30 ans, seit 35 Jahren",
        "one two three four five six seven eight",
        "version 2019-2021.3 is out",
    ] {
        let got: Vec<_> = labeled(t)
            .into_iter()
            .filter(|(l, _)| matches!(l, Label::Date | Label::Age | Label::Phone))
            .collect();
        assert!(got.is_empty(), "{t:?} -> {got:?}");
    }
}
