//! Realistic fakes of the same kind and shape, chosen by a keyed HMAC.
//!
//! Pools are small, invented or generic lists (not taken from any corpus). A surrogate never
//! equals the value it replaces.

use super::key::{Key, KeyedRng};
use crate::label::Label;

const FIRST: &[&str] = &[
    "Alex", "Amara", "Ana", "Arjun", "Bea", "Carlos", "Chen", "Dara", "Diego", "Elena", "Emeka",
    "Farah", "Hana", "Ines", "Jonas", "Kai", "Kavya", "Lena", "Luca", "Mei", "Mira", "Nadia",
    "Noor", "Omar", "Priya", "Rafael", "Rhea", "Sami", "Sofia", "Tariq", "Uma", "Viktor", "Wen",
    "Yara", "Yusuf", "Zoe", "Aiden", "Bianca", "Dmitri", "Esme", "Femi", "Goran", "Ishaan",
    "Jalen", "Keiko", "Leila", "Mateo", "Nia", "Oskar", "Paloma",
];
const LAST: &[&str] = &[
    "Abara",
    "Bauer",
    "Castillo",
    "Dang",
    "Eriksen",
    "Fernandes",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Mbeki",
    "Nakamura",
    "Okafor",
    "Petrova",
    "Quintero",
    "Rao",
    "Santos",
    "Tanaka",
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhou",
    "Moreau",
    "Novak",
    "Olsen",
    "Reyes",
    "Silva",
    "Thorne",
    "Iyer",
    "Kaur",
    "Mensah",
    "Lindqvist",
];
const CITY: &[&str] = &[
    "Riverton",
    "Lakewood",
    "Fairview",
    "Greenville",
    "Maple Grove",
    "Ashford",
    "Brookside",
    "Cedar Falls",
    "Eastport",
    "Millbrook",
    "Northfield",
    "Oakridge",
    "Pinehurst",
    "Westbury",
    "Springdale",
    "Clearwater",
    "Stonebridge",
    "Hillcrest",
];
const ORG: &[&str] = &[
    "Northwind Traders",
    "Contoso Ltd",
    "Fabrikam",
    "Acme Corp",
    "Globex",
    "Initech",
    "Tailspin Toys",
    "Wingtip Partners",
    "Blue Yonder Labs",
    "Lakeside Clinic",
    "Riverside High",
    "Summit College",
];
const STREET: &[&str] = &[
    "Oak", "Maple", "Cedar", "Elm", "Pine", "Birch", "Willow", "Chestnut", "Hillside", "Lake",
    "River", "Park", "Sunset", "Meadow", "Orchard",
];
const STREET_SUFFIX: &[&str] = &["St", "Ave", "Rd", "Lane", "Drive", "Court", "Way", "Blvd"];
const HANDLE_WORDS: &[&str] = &[
    "sunny", "pixel", "maple", "echo", "nova", "river", "comet", "velvet", "cobalt", "ember",
    "lumen", "orbit", "quartz", "sable", "tidal", "zephyr",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn pick<'a>(rng: &mut KeyedRng, pool: &[&'a str]) -> &'a str {
    pool.get(rng.below(pool.len())).copied().unwrap_or("x")
}

/// Match the casing style of `original`: all lower, all upper, or as generated.
fn match_case(original: &str, fake: String) -> String {
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return fake;
    }
    if letters.iter().all(|c| c.is_lowercase()) {
        fake.to_lowercase()
    } else if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        fake.to_uppercase()
    } else {
        fake
    }
}

/// Replace each digit with a keyed digit and each ASCII letter with a keyed letter of the same
/// case, keeping everything else (the value's shape).
fn reshape(rng: &mut KeyedRng, original: &str, keep_prefix_digits: usize) -> String {
    let mut seen_digits = 0usize;
    let mut first = true;
    original
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen_digits += 1;
                if seen_digits <= keep_prefix_digits {
                    return c;
                }
                let d = rng.digit(first);
                first = false;
                d
            } else if c.is_ascii_lowercase() {
                char::from(b'a' + rng.below(26) as u8)
            } else if c.is_ascii_uppercase() {
                char::from(b'A' + rng.below(26) as u8)
            } else {
                c
            }
        })
        .collect()
}

fn luhn_fix(digits: &mut [u8]) {
    let n = digits.len();
    if n < 2 {
        return;
    }
    let mut sum = 0u32;
    let body = digits.get(..n - 1).unwrap_or_default();
    for (i, d) in body.iter().rev().enumerate() {
        let mut v = u32::from(*d);
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    if let Some(last) = digits.last_mut() {
        *last = ((10 - sum % 10) % 10) as u8;
    }
}

fn card(rng: &mut KeyedRng, original: &str) -> String {
    let shaped = reshape(rng, original, 1);
    let mut digits: Vec<u8> = shaped
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    luhn_fix(&mut digits);
    let mut it = digits.into_iter();
    shaped
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                it.next().map_or(c, |d| char::from(b'0' + d))
            } else {
                c
            }
        })
        .collect()
}

fn iban(rng: &mut KeyedRng, original: &str) -> String {
    let compact: String = original.chars().filter(|c| !c.is_whitespace()).collect();
    let country: String = compact
        .chars()
        .take(2)
        .collect::<String>()
        .to_ascii_uppercase();
    let bban_shape: String = compact.chars().skip(4).collect();
    let bban = reshape(rng, &bban_shape, 0).to_ascii_uppercase();
    let check = iban_check_digits(&country, &bban);
    let full = format!("{country}{check:02}{bban}");
    if original.contains(' ') {
        full.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        full
    }
}

/// IBAN check digits (ISO 13616): 98 - (BBAN + country + "00") mod 97, letters as 10..35.
fn iban_check_digits(country: &str, bban: &str) -> u32 {
    let rearranged = format!("{bban}{country}00");
    let mut rem = 0u32;
    for c in rearranged.chars() {
        let v = if let Some(d) = c.to_digit(10) {
            d
        } else if c.is_ascii_uppercase() {
            u32::from(c as u8 - b'A') + 10
        } else {
            0
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    98 - rem
}

fn date(rng: &mut KeyedRng, original: &str) -> String {
    // Months written out become another month; numbers keep their width and stay plausible.
    let mut out = String::with_capacity(original.len());
    let mut rest = original;
    'outer: while !rest.is_empty() {
        for m in MONTHS {
            let short = m.get(..3).unwrap_or(m);
            for name in [*m, short] {
                if rest.len() >= name.len()
                    && rest.is_char_boundary(name.len())
                    && rest[..name.len()].eq_ignore_ascii_case(name)
                {
                    let fake = pick(rng, MONTHS);
                    let fake = if name.len() == 3 {
                        fake.get(..3).unwrap_or(fake)
                    } else {
                        fake
                    };
                    out.push_str(&match_case(&rest[..name.len()], fake.to_string()));
                    rest = &rest[name.len()..];
                    continue 'outer;
                }
            }
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let v: String = match digits {
                4 => format!("19{}{}", 5 + rng.below(5), rng.below(10)),
                2 if rest.as_bytes().first() == Some(&b'0') => format!("0{}", 1 + rng.below(9)),
                2 => format!("{}", 10 + rng.below(3)),
                1 => format!("{}", 1 + rng.below(9)),
                n => (0..n).map(|_| rng.digit(false)).collect(),
            };
            out.push_str(&v);
            rest = &rest[digits..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

fn ip(rng: &mut KeyedRng, original: &str) -> String {
    if original.contains(':') {
        format!("2001:db8::{:x}:{:x}", rng.below(0xffff), rng.below(0xffff))
    } else {
        let nets = ["192.0.2", "198.51.100", "203.0.113"];
        format!("{}.{}", pick(rng, &nets), 1 + rng.below(254))
    }
}

fn person(rng: &mut KeyedRng, original: &str) -> String {
    let words = original.split_whitespace().count();
    let fake = if words >= 2 {
        format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
    } else {
        pick(rng, FIRST).to_string()
    };
    match_case(original, fake)
}

fn username(rng: &mut KeyedRng, original: &str) -> String {
    let at = if original.starts_with('@') { "@" } else { "" };
    format!(
        "{at}{}_{}{}",
        pick(rng, HANDLE_WORDS),
        rng.digit(true),
        rng.digit(false)
    )
}

fn email(rng: &mut KeyedRng) -> String {
    let domains = ["example.com", "example.net", "example.org"];
    format!(
        "{}.{}{}@{}",
        pick(rng, FIRST).to_lowercase(),
        pick(rng, LAST).to_lowercase(),
        rng.below(90) + 10,
        pick(rng, &domains)
    )
}

fn address(rng: &mut KeyedRng, original: &str) -> String {
    let mut s = format!(
        "{} {} {}",
        1 + rng.below(9899),
        pick(rng, STREET),
        pick(rng, STREET_SUFFIX)
    );
    if original.contains(',') || original.contains('\n') {
        s.push_str(", ");
        s.push_str(pick(rng, CITY));
    }
    s
}

fn age(rng: &mut KeyedRng, original: &str) -> String {
    match original.trim().parse::<u32>() {
        // Same decade, so the surrogate stays plausible for the text around it.
        Ok(a) if a < 130 => {
            let decade = a / 10 * 10;
            let mut v = decade + rng.below(10) as u32;
            if v == a {
                v = decade + (a % 10 + 1) % 10;
            }
            v.to_string()
        }
        _ => reshape(rng, original, 0),
    }
}

/// The surrogate for a mention of a person whose longest name in the conversation is `full`
/// (normalized), the mention being `normalized` (its tokens a subset of `full`'s) and written
/// `original`. The fake for the full name is chosen by the keyed HMAC of `full`; a partial
/// mention takes the matching part of it (the first name for a first name, the family name for
/// a family name), so every mention of one person gets one fake identity.
pub fn person_surrogate(key: &Key, full: &str, normalized: &str, original: &str) -> String {
    let full_tokens: Vec<&str> = full.split(' ').collect();
    let shape = if full_tokens.len() >= 2 {
        "Ab Cd"
    } else {
        "Ab"
    };
    let fake = surrogate(key, Label::Person, full, shape);
    if full == normalized {
        return match_case(original, surrogate(key, Label::Person, full, original));
    }
    let fake_tokens: Vec<&str> = fake.split(' ').collect();
    let last = full_tokens.len().saturating_sub(1);
    let parts: Vec<&str> = normalized
        .split(' ')
        .map(|t| {
            let k = full_tokens.iter().position(|f| *f == t).unwrap_or(0);
            let pick = if k == 0 || fake_tokens.len() < 2 {
                0
            } else if k == last {
                fake_tokens.len() - 1
            } else {
                0
            };
            fake_tokens.get(pick).copied().unwrap_or("")
        })
        .collect();
    let out = match_case(original, parts.join(" "));
    if out.eq_ignore_ascii_case(original) || out.trim().is_empty() {
        // The fake happens to equal the mention: fall back to the mention's own surrogate.
        return surrogate(key, Label::Person, normalized, original);
    }
    out
}

/// A surrogate for `original` of kind `label`, deterministic under `key`.
pub fn surrogate(key: &Key, label: Label, normalized: &str, original: &str) -> String {
    for attempt in 0u8..4 {
        let seed = key.mac(&[
            b"surrogate",
            label.as_str().as_bytes(),
            normalized.as_bytes(),
            &[attempt],
        ]);
        let mut rng = KeyedRng::new(seed);
        let fake = match label {
            Label::Person => person(&mut rng, original),
            Label::Location => match_case(original, pick(&mut rng, CITY).to_string()),
            Label::Org => match_case(original, pick(&mut rng, ORG).to_string()),
            Label::Email => email(&mut rng),
            Label::Phone => reshape(&mut rng, original, phone_keep(original)),
            Label::CreditCard => card(&mut rng, original),
            Label::Iban => iban(&mut rng, original),
            Label::Ip => ip(&mut rng, original),
            Label::Url => format!(
                "https://example.com/{}{}",
                pick(&mut rng, HANDLE_WORDS),
                rng.below(1000)
            ),
            Label::Username => username(&mut rng, original),
            Label::Date => date(&mut rng, original),
            Label::Age => age(&mut rng, original),
            Label::Address => address(&mut rng, original),
            Label::Secret => fake_secret(original),
            Label::Id | Label::Other => reshape(&mut rng, original, 0),
        };
        if !fake.eq_ignore_ascii_case(original) {
            return fake;
        }
    }
    // Every attempt collided (tiny values such as a one-digit age): fall back to a mask.
    super::mask(original)
}

/// An obviously fake credential of the same shape: letters become `x` (`X` when upper case),
/// digits `0`, punctuation stays ("sk-proj-Ab3_" → "xx-xxxx-Xx0_"). Never random characters that
/// could pass for a working key, and never derived from the key's characters beyond their class.
fn fake_secret(original: &str) -> String {
    original
        .chars()
        .map(|c| match c {
            c if c.is_ascii_digit() => '0',
            c if c.is_uppercase() => 'X',
            c if c.is_alphanumeric() => 'x',
            c => c,
        })
        .collect()
}

/// How many leading digits of a phone number to keep: the country code after a `+`.
fn phone_keep(original: &str) -> usize {
    let t = original.trim_start();
    if let Some(rest) = t.strip_prefix('+') {
        // Country codes are 1-3 digits; keep 1 for +1 (NANP), 2 for others as a shape hint.
        let cc = rest.bytes().take_while(u8::is_ascii_digit).count();
        if rest.starts_with('1') {
            1
        } else {
            cc.min(2)
        }
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_secret(b"test key material")
    }

    #[test]
    fn same_input_same_output_and_different_from_original() {
        let k = key();
        for (label, v) in [
            (Label::Person, "Hailey Mills"),
            (Label::Person, "hailey"),
            (Label::Phone, "+1 (208) 555-0147"),
            (Label::Email, "hailey@gmail.com"),
            (Label::CreditCard, "4539 1488 0343 6467"),
            (Label::Iban, "DE89 3704 0044 0532 0130 00"),
            (Label::Date, "March 3, 1994"),
            (Label::Date, "04/11/1992"),
            (Label::Age, "34"),
            (Label::Ip, "192.168.1.20"),
            (Label::Username, "@maya.k_22"),
            (Label::Secret, "sk-proj-Ab3dEf9hIj"),
        ] {
            let a = surrogate(&k, label, &v.to_lowercase(), v);
            let b = surrogate(&k, label, &v.to_lowercase(), v);
            assert_eq!(a, b);
            assert_ne!(a.to_lowercase(), v.to_lowercase(), "{label}");
        }
    }

    #[test]
    fn shapes_are_kept() {
        let k = key();
        let p = surrogate(&k, Label::Phone, "12085550147", "+1 (208) 555-0147");
        assert!(p.starts_with("+1 ("), "{p}");
        assert_eq!(p.len(), "+1 (208) 555-0147".len());
        let c = surrogate(&k, Label::CreditCard, "x", "4539 1488 0343 6467");
        let digits: Vec<u32> = c.chars().filter_map(|c| c.to_digit(10)).collect();
        let mut sum = 0;
        for (i, d) in digits.iter().rev().enumerate() {
            let mut v = *d;
            if i % 2 == 1 {
                v *= 2;
                if v > 9 {
                    v -= 9;
                }
            }
            sum += v;
        }
        assert_eq!(sum % 10, 0, "Luhn-valid {c}");
        let i = surrogate(&k, Label::Iban, "x", "DE89370400440532013000");
        assert!(i.starts_with("DE") && i.len() == 22, "{i}");
        let a = surrogate(&k, Label::Age, "34", "34");
        assert!(a.starts_with('3') && a.len() == 2, "{a}");
        let lower = surrogate(&k, Label::Person, "maya", "maya");
        assert_eq!(lower, lower.to_lowercase());
    }

    /// The check digits surrogates get, against published numbers: Wikipedia's Luhn example
    /// 7992739871 -> 3, Visa's test card 4111 1111 1111 1111, and the IBAN registry examples.
    #[test]
    fn check_digits_match_published_vectors() {
        for (digits, check) in [
            ("7992739871", 3u8),
            ("411111111111111", 1),
            ("37828224631000", 5),
        ] {
            let mut d: Vec<u8> = format!("{digits}0").bytes().map(|b| b - b'0').collect();
            luhn_fix(&mut d);
            assert_eq!(d.last().copied(), Some(check), "{digits}");
        }
        for (country, bban, check) in [
            ("GB", "WEST12345698765432", 82),
            ("DE", "370400440532013000", 89),
            ("NL", "ABNA0417164300", 91),
            ("BE", "539007547034", 68),
            ("FR", "20041010050500013M02606", 14),
            ("SA", "80000000608010167519", 3),
        ] {
            assert_eq!(iban_check_digits(country, bban), check, "{country}{bban}");
        }
    }
}
