//! PHONE: digit runs with phone separators, validated with libphonenumber metadata (the
//! `phonenumber` crate) for the configured default regions, or for the explicit `+` country code.
//!
//! Candidates are found by a hand-written scan (no regex) inside digit windows: an optional `+`,
//! digit groups joined by single spaces, dashes or dots, at most one parenthesised group, and an
//! optional extension ("x 12", "ext. 4567"). Commas, slashes and colons never join groups, so
//! prices, dates and times never form candidates. A candidate that is not a valid number is still
//! accepted, with a lower score, when it has a well-formed national shape and a phone word
//! ("call", "mobile", "whatsapp", ...) comes just before it.

use std::str::FromStr;

use phonenumber::country::Id;

use super::score::phone::{
    CUED_LOCAL, CUED_POSSIBLE_SHAPE, EXTRA_REGION_CUED, EXTRA_REGION_LAID_OUT, INTERNATIONAL,
    INTERNATIONAL_CUED, INTERNATIONAL_INVALID_CUED, INTERNATIONAL_MASKED, NANP_FORMATTED,
    NATIONAL_BARE, NATIONAL_CUED, NATIONAL_FORMATTED, NATIONAL_FORMATTED_CUED, STRONG_CUED_SHAPE,
};
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::{Error, Result};
use crate::span::Finding;

const FAM: Family = Family::Phone;

/// Words that announce a phone number (checked in the ~40 bytes before a candidate).
const CUES: &[&str] = &[
    "call",
    "phone",
    "number",
    "numbr",
    "no.",
    "num",
    "mobile",
    "mob",
    "cell",
    "text me",
    "text",
    "txt",
    "sms",
    "whatsapp",
    "whats app",
    "wa",
    "contact",
    "fax",
    "tel",
    "telephone",
    "ph",
    "ph.",
    "reach me",
    "ring",
    "dial",
    "landline",
    "helpline",
    "hotline",
    "msg",
    "message me",
    "ping me",
    "mobile no",
    "contact no",
    "phn",
    "fone",
    "cel",
    "celular",
    "móvil",
    "llama",
    "llámame",
    "answering at",
    "not answering",
    "messages to",
    "registered",
    "reachable at",
    "reachable on",
    "número",
    "numero",
    "teléfono",
    "telefono",
    "नंबर",
    "नम्बर",
    "फ़ोन",
    "फोन",
    "मोबाइल",
];

/// Regions whose national numbers are always written with the trunk prefix 0 ("020 7946 0958",
/// "030 1234567"): a national candidate for these must start with 0.
const TRUNK_ZERO: &[Id] = &[
    Id::GB,
    Id::DE,
    Id::FR,
    Id::AU,
    Id::NL,
    Id::BE,
    Id::CH,
    Id::AT,
    Id::SE,
    Id::FI,
    Id::NZ,
    Id::IE,
    Id::JP,
    Id::KR,
    Id::ZA,
    Id::PK,
    Id::BD,
    Id::LK,
    Id::NG,
    Id::KE,
    Id::TR,
    Id::IL,
    Id::EG,
    Id::MY,
    Id::ID,
    Id::TH,
    Id::VN,
    Id::PH,
    Id::CN,
    Id::TW,
    Id::BR,
    Id::AR,
    Id::RU,
    Id::UA,
    Id::NP,
];

/// Regions tried after the default ones for a number written in national format (no country
/// code): Australia, Germany, France, Ghana, Nigeria, Kenya, South Africa, Brazil, Mexico, Spain,
/// Italy. A number counts for one of them only when libphonenumber finds it valid there *and*
/// either a phone word goes with it or it is grouped exactly as that region's national format
/// groups it ("06 12 34 56 78", "(02) 9876 5432", "(11) 91234-5678"): a bare run of digits, or
/// digits grouped some other way, is left to the default regions.
const EXTRA_REGIONS: &[Id] = &[
    Id::AU,
    Id::DE,
    Id::FR,
    Id::GH,
    Id::NG,
    Id::KE,
    Id::ZA,
    Id::BR,
    Id::MX,
    Id::ES,
    Id::IT,
];

/// Words just before a number that make it a reference, not a phone number ("order 0412 345
/// 678"); they block the [`EXTRA_REGIONS`] pass.
const NOT_PHONE_CUES: &[&str] = &[
    "order",
    "invoice",
    "ref",
    "reference",
    "tracking",
    "account",
    "a/c",
    "acct",
    "id",
    "pnr",
    "booking",
    "ticket",
    "isbn",
    "serial",
    "policy",
    "case",
    "transaction",
    "txn",
    "awb",
    "pin",
    "otp",
    "code",
];

/// Words before a number that make it a phone number even when no default region validates it.
const STRONG_CUES: &[&str] = &[
    "call",
    "phone",
    "mobile",
    "mob",
    "cell",
    "tel",
    "telephone",
    "fax",
    "whatsapp",
    "ph",
    "ph.",
    "landline",
    "text me",
    "reach me",
    "dial",
    "sms",
    "contact number",
    "contact no",
    "answering at",
    "reachable at",
    "reachable on",
    "registered number",
    "registered mobile",
    "mobile no",
    "phone no",
];

/// Whether a phone word follows the number ("416 60 039 office", "(37) 788-063-Office").
fn after_cue(text: &str, e: usize) -> bool {
    let rest = util::lower_after(text, e, 24);
    let t = rest.trim_start_matches([' ', '-', '(', ':', '/', '\t']);
    [
        "office", "fax", "mobile", "cell", "home", "work", "desk", "phone", "tel", "landline",
        "whatsapp",
    ]
    .iter()
    .any(|w| {
        t.starts_with(w)
            && !t
                .as_bytes()
                .get(w.len())
                .is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Phone detection for a set of default regions.
pub(crate) struct Phone {
    regions: Vec<Id>,
    /// [`EXTRA_REGIONS`] that are not default regions.
    extra: Vec<Id>,
    gate: usize,
}

/// A phone-shaped run of digits, found by [`scan`].
#[derive(Default)]
struct Cand {
    /// First byte ('+', '(' or a digit).
    start: usize,
    /// One past the last byte of the number itself (before any extension).
    end: usize,
    /// Whether it starts with '+'.
    plus: bool,
    /// Digit groups, as byte ranges.
    groups: Vec<(usize, usize)>,
    /// Which separators joined groups: bit 0 space, bit 1 dash, bit 2 dot, bit 3 parenthesis.
    seps: u8,
    /// The index of a "(0)" trunk-prefix group after a country code, to drop when parsing.
    trunk_group: Option<usize>,
    /// Unbalanced parenthesis: the candidate is not usable as found.
    broken: bool,
}

impl Phone {
    pub(crate) fn new<S: AsRef<str>>(regions: &[S], g: &mut GateBuilder) -> Result<Phone> {
        widen_metadata_cache();
        let mut ids = Vec::new();
        for r in regions {
            let up = r.as_ref().trim().to_ascii_uppercase();
            let id = Id::from_str(&up)
                .map_err(|_| Error::Policy(format!("unknown phone region {up:?}")))?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        // Seven or more digits joined by phone separators.
        let gate = g.add(r"(?-u)[0-9](?:[ \-.()]{0,3}[0-9]){6}");
        let extra = EXTRA_REGIONS
            .iter()
            .filter(|r| !ids.contains(r))
            .copied()
            .collect();
        Ok(Phone {
            regions: ids,
            extra,
            gate,
        })
    }

    /// Find numbers in the windows; candidates overlapping `blocked` (cards, IBANs, IDs, IPs
    /// already found) are skipped.
    pub(crate) fn find(
        &self,
        text: &str,
        windows: &[Win],
        blocked: &[(usize, usize)],
        out: &mut Vec<Finding>,
    ) {
        let blocked = util::SpanSet::new(blocked.to_vec());
        for w in windows.iter().filter(|w| w.hit(self.gate)) {
            let (ws, we) = (w.s, w.e);
            let mut i = ws;
            while i < we {
                let Some(b) = util::byte_at(text, i) else {
                    break;
                };
                let starts = b.is_ascii_digit()
                    || ((b == b'+' || b == b'(')
                        && util::byte_at(text, i + 1)
                            .is_some_and(|c| c.is_ascii_digit() || c == b' ' || c == b'('));
                if !starts || !left_ok(text, i, b) {
                    i = skip_token(text, i);
                    continue;
                }
                let c = scan(text, i);
                let next = c.end.max(i + 1);
                if c.broken {
                    // "(2085550147 is me": retry just after the parenthesis.
                    i += 1;
                    continue;
                }
                let c_end = c.groups.last().map_or(c.end, |g| g.1.max(c.end));
                if blocked.overlaps(c.start, c_end) {
                    i = util::ceil_boundary(text, next);
                    continue;
                }
                if let Some(e) = masked_end(text, &c, c_end) {
                    util::push(out, text, (c.start, e), FAM, None, INTERNATIONAL_MASKED);
                    i = util::ceil_boundary(text, e);
                    continue;
                }
                self.accept(text, &c, out);
                i = util::ceil_boundary(text, next);
            }
        }
    }

    /// Judge digits written some other way (spelled out, spaced out) spanning `start..end` of
    /// `text`: `Some(cued)` when they are a valid number, international after "plus" (`plus`) or
    /// "00", else national in a default region; `cued` when a phone word comes just before or
    /// after.
    pub(crate) fn judge_digits(
        &self,
        text: &str,
        (start, end): (usize, usize),
        digits: &str,
        plus: bool,
    ) -> Option<bool> {
        let intl = if plus {
            Some(digits)
        } else {
            digits.strip_prefix("00")
        };
        let valid = match intl {
            Some(d) => parse_valid(None, &format!("+{d}")) == Some(true),
            None => self.regions.iter().any(|r| {
                national_plausible(*r, digits) && parse_valid(Some(*r), digits) == Some(true)
            }),
        };
        let cued =
            util::has_cue(&util::lower_before(text, start, 40), CUES) || after_cue(text, end);
        valid.then_some(cued)
    }

    /// Validate a candidate (or, failing that, runs of its groups) and push findings.
    fn accept(&self, text: &str, c: &Cand, out: &mut Vec<Finding>) {
        let n = c.groups.len();
        if n == 0 {
            return;
        }
        if let Some((score, end)) = self.judge(text, c, 0, n) {
            util::push(out, text, (c.start, end), FAM, None, score);
            return;
        }
        if n < 2 {
            return;
        }
        self.accept_runs(text, c, out);
    }

    /// Try runs of whole groups, longest first from each left group ("208-555-0147 415-555-0199"),
    /// and push each run that is a number.
    fn accept_runs(&self, text: &str, c: &Cand, out: &mut Vec<Finding>) {
        let n = c.groups.len();
        let mut a = 0;
        let mut tries = 0;
        // A '+' number is never split after its country code.
        let last_a = if c.plus { 1 } else { n - 1 };
        while a < last_a && tries < 24 {
            match self.longest_run_from(text, c, a, &mut tries) {
                Some((b, (score, end))) => {
                    let s = if a == 0 {
                        c.start
                    } else {
                        c.groups.get(a).map_or(c.start, |g| g.0)
                    };
                    util::push(out, text, (s, end), FAM, None, score);
                    a = b;
                }
                None => a += 1,
            }
        }
    }

    /// The longest run of groups `a..b` (not the whole candidate) with 7 to 15 digits that is a
    /// phone number: `b` and the verdict. Each judged run counts against `tries` (at most 24).
    fn longest_run_from(
        &self,
        text: &str,
        c: &Cand,
        a: usize,
        tries: &mut usize,
    ) -> Option<(usize, (f32, usize))> {
        let n = c.groups.len();
        let mut b = n;
        while b > a && *tries < 24 {
            if (a, b) != (0, n) {
                let digits: usize = c
                    .groups
                    .get(a..b)
                    .unwrap_or(&[])
                    .iter()
                    .map(|(s, e)| e - s)
                    .sum();
                if (7..=15).contains(&digits) {
                    *tries += 1;
                    if let Some(hit) = self.judge(text, c, a, b) {
                        return Some((b, hit));
                    }
                }
            }
            b -= 1;
        }
        None
    }

    /// Judge groups `a..b` of a candidate: `Some((score, end))` when it is a phone number.
    fn judge(&self, text: &str, c: &Cand, a: usize, b: usize) -> Option<(f32, usize)> {
        let run = Run::of(text, c, a, b)?;
        let intl = if run.plus {
            Some(run.digits.clone())
        } else {
            run.digits.strip_prefix("00").map(str::to_string)
        };
        if let Some(intl) = intl {
            if let Some(score) = international_score(text, &run, &intl) {
                return Some((score, run.end));
            }
            if run.plus {
                return None;
            }
        }
        let score = self
            .national_score(&run)
            .or_else(|| self.extra_score(text, &run))
            .or_else(|| self.fallback_score(text, &run))?;
        Some((score, run.end))
    }

    /// The score of a run valid as a national number of a default region.
    fn national_score(&self, run: &Run<'_>) -> Option<f32> {
        let digits = run.digits.as_str();
        // Validity does not depend on the order tried; try the likeliest region first (each
        // libphonenumber parse costs microseconds): a bare 10-digit number led by 6–9 is most
        // likely an Indian mobile.
        let indian_first = digits.len() == 10
            && digits.starts_with(['6', '7', '8', '9'])
            && self.regions.contains(&Id::IN);
        let ordered = self
            .regions
            .iter()
            .filter(|r| indian_first && **r == Id::IN)
            .chain(
                self.regions
                    .iter()
                    .filter(|r| !(indian_first && **r == Id::IN)),
            );
        for r in ordered {
            if !national_plausible(*r, digits) {
                continue;
            }
            if parse_valid(Some(*r), digits) == Some(true) {
                return Some(match (run.formatted, run.cue) {
                    (true, true) => NATIONAL_FORMATTED_CUED,
                    (true, false) => NATIONAL_FORMATTED,
                    (false, true) => NATIONAL_CUED,
                    (false, false) => NATIONAL_BARE,
                });
            }
        }
        None
    }

    /// The score of a run valid in one of the [`EXTRA_REGIONS`], with a phone word or grouped as
    /// that region groups its numbers.
    fn extra_score(&self, text: &str, run: &Run<'_>) -> Option<f32> {
        let digits = run.digits.as_str();
        if run.plus || !(8..=12).contains(&digits.len()) {
            return None;
        }
        let cued = run.cue || after_cue(text, run.end);
        if (!cued && (run.groups.len() < 2 || !run.whole))
            || util::has_cue(&util::lower_before(text, run.start, 16), NOT_PHONE_CUES)
        {
            return None;
        }
        let lens: Vec<usize> = run.groups.iter().map(|(s, e)| e - s).collect();
        for r in &self.extra {
            if !extra_plausible(*r, digits) {
                continue;
            }
            let Some(national) = national_format(*r, digits) else {
                continue;
            };
            if cued {
                return Some(EXTRA_REGION_CUED);
            }
            if group_lengths(&national) == lens {
                return Some(EXTRA_REGION_LAID_OUT);
            }
        }
        None
    }

    /// The score of a run no default region validates, when its shape and the words around it
    /// still make it a phone number.
    fn fallback_score(&self, text: &str, run: &Run<'_>) -> Option<f32> {
        let (digits, groups, nd) = (run.digits.as_str(), run.groups, run.digits.len());
        if run.cue && self.regions.iter().any(|r| possible_shape(*r, digits)) {
            return Some(CUED_POSSIBLE_SHAPE);
        }
        // Canonical North American formatting is a phone even in fictional ranges.
        if nanp_formatted(text, groups) && possible_shape(Id::US, digits) {
            return Some(NANP_FORMATTED);
        }
        // Any phone-shaped number right after "phone:", "call me on", or right before "(fax)",
        // "- mobile": numbering plans outside the default regions.
        let strong =
            run.cue && util::has_cue(&util::lower_before(text, run.start, 40), STRONG_CUES);
        if (strong || after_cue(text, run.end))
            && (8..=13).contains(&nd)
            && (groups.len() >= 2 || nd >= 9)
        {
            return Some(STRONG_CUED_SHAPE);
        }
        // A local number without area code ("call me on 450 0840"): three digits, a separator and
        // four, only right after a phone word.
        if strong && nd == 7 && groups.len() == 2 && groups.first().is_some_and(|(s, e)| e - s == 3)
        {
            return Some(CUED_LOCAL);
        }
        None
    }
}

/// Groups `a..b` of a candidate that passed the shape checks, ready to be judged.
struct Run<'c> {
    /// The groups, as byte ranges.
    groups: &'c [(usize, usize)],
    /// Whether the run starts with the candidate's '+'.
    plus: bool,
    /// First byte.
    start: usize,
    /// One past the last byte, extension included.
    end: usize,
    /// The digits (without a "(0)" trunk group after a country code).
    digits: String,
    /// Whether a phone word comes just before.
    cue: bool,
    /// Whether it is written in more than one group or with a '+'.
    formatted: bool,
    /// Whether it is the whole candidate, not a run of some of its groups.
    whole: bool,
}

impl<'c> Run<'c> {
    /// Groups `a..b` of `c`, when they hold 7 to 15 digits, pass [`shape_ok`] and end cleanly.
    fn of(text: &str, c: &'c Cand, a: usize, b: usize) -> Option<Run<'c>> {
        let groups = c.groups.get(a..b)?;
        let plus = c.plus && a == 0;
        let start = if a == 0 { c.start } else { groups.first()?.0 };
        let whole = a == 0 && b == c.groups.len();
        let mut core_end = groups.last()?.1;
        if whole {
            core_end = c.end;
        } else if util::byte_at(text, core_end) == Some(b')') && c.seps & 8 != 0 {
            core_end += 1;
        }
        let mut digits = String::with_capacity(20);
        for (gi, (s, e)) in groups.iter().enumerate() {
            if plus && c.trunk_group == Some(a + gi) {
                continue;
            }
            digits.push_str(util::slice(text, *s, *e));
        }
        if !(7..=15).contains(&digits.len()) {
            return None;
        }
        let ext = extension_end(text, core_end);
        if !shape_ok(text, c, groups, whole) || (ext.is_none() && !right_ok(text, core_end)) {
            return None;
        }
        Some(Run {
            groups,
            plus,
            start,
            end: ext.unwrap_or(core_end),
            digits,
            cue: util::has_cue(&util::lower_before(text, start, 40), CUES),
            formatted: groups.len() > 1 || plus,
            whole,
        })
    }
}

/// The score of a run written with its country code ('+' or "00"; `intl` is the digits after
/// it), when libphonenumber parses it and finds it valid, or a phone word goes with it.
fn international_score(text: &str, run: &Run<'_>, intl: &str) -> Option<f32> {
    let valid = parse_valid(None, &format!("+{intl}"))?;
    if valid {
        return Some(if run.cue {
            INTERNATIONAL_CUED
        } else {
            INTERNATIONAL
        });
    }
    if (run.cue || after_cue(text, run.end)) && (8..=15).contains(&intl.len()) {
        return Some(INTERNATIONAL_INVALID_CUED);
    }
    None
}

/// A cheap shape check before parsing a national number of an [`EXTRA_REGIONS`] region: the
/// trunk 0 where the region writes one, the leading digits and length of the others.
fn extra_plausible(region: Id, d: &str) -> bool {
    let b = d.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match region {
        // Ghana writes the trunk 0 too ("024 123 4567").
        Id::GH => at(0) == b'0' && b.len() == 10,
        // Spain: nine digits, mobiles 6/7, landlines 8/9.
        Id::ES => b.len() == 9 && matches!(at(0), b'6' | b'7' | b'8' | b'9'),
        // Italy: landlines keep their 0, mobiles start with 3.
        Id::IT => matches!(at(0), b'0' | b'3') && (9..=11).contains(&b.len()),
        // Mexico: ten digits since 2019.
        Id::MX => b.len() == 10 && at(0) != b'0',
        // Brazil: the area code in brackets without the trunk 0 ("(11) 91234-5678").
        Id::BR => (10..=11).contains(&b.len()) && at(0) != b'0',
        _ => national_plausible(region, d),
    }
}

/// The national format of `d` in `region` ("06 12 34 56 78") when it is a valid number there.
fn national_format(region: Id, d: &str) -> Option<String> {
    std::panic::catch_unwind(|| {
        let n = phonenumber::parse(Some(region), d).ok()?;
        (n.is_valid() && n.country().id() == Some(region))
            .then(|| n.format().mode(phonenumber::Mode::National).to_string())
    })
    .ok()
    .flatten()
}

/// The lengths of the digit groups of a formatted number ("(02) 9876 5432" → 2, 4, 4).
fn group_lengths(formatted: &str) -> Vec<usize> {
    formatted
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect()
}

/// A cheap shape check before the (costly) libphonenumber parse of a national number.
fn national_plausible(region: Id, d: &str) -> bool {
    let b = d.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if TRUNK_ZERO.contains(&region) {
        return at(0) == b'0';
    }
    match region {
        // NANP: [2-9]XX [2-9]XX XXXX, optionally after a 1.
        Id::US | Id::CA => match b.len() {
            10 => (b'2'..=b'9').contains(&at(0)),
            11 => at(0) == b'1' && (b'2'..=b'9').contains(&at(1)),
            _ => false,
        },
        // Indian landlines are written with their trunk 0; bare numbers must be mobiles (6–9),
        // toll-free 1800/1860, or carry the 91 country code.
        Id::IN => match b.len() {
            10 => (b'6'..=b'9').contains(&at(0)) || d.starts_with("1800") || d.starts_with("1860"),
            11 => at(0) == b'0' || d.starts_with("1800") || d.starts_with("1860"),
            12 => d.starts_with("91") && (b'6'..=b'9').contains(&at(2)),
            13 => d.starts_with("1800") || d.starts_with("1860"),
            _ => false,
        },
        _ => true,
    }
}

/// Parse with libphonenumber; `Some(is_valid)` when it parses. Never panics (the parser is
/// guarded, and only ever sees `+` and ASCII digits).
/// How many compiled metadata regexes `phonenumber` may keep.
///
/// The crate compiles its metadata patterns on first use into a shared LRU cache of only 100
/// entries; one region's number formats alone can exceed that (India has dozens), so text with
/// numbers of a few countries recompiled regexes on nearly every parse (a third of the run time on
/// our chat test set). Each region needs a few dozen patterns, so this holds every region a
/// realistic stream meets, and memory grows only with the regions actually seen.
const METADATA_CACHE: usize = 4096;

/// Raise the `phonenumber` regex cache to [`METADATA_CACHE`] (idempotent).
fn widen_metadata_cache() {
    let cache = phonenumber::metadata::DATABASE.cache();
    if let Ok(mut c) = cache.lock() {
        if c.capacity() < METADATA_CACHE {
            c.set_capacity(METADATA_CACHE);
        }
    };
}

fn parse_valid(region: Option<Id>, s: &str) -> Option<bool> {
    std::panic::catch_unwind(|| phonenumber::parse(region, s).ok().map(|n| n.is_valid()))
        .ok()
        .flatten()
}

/// A well-formed national number for the region, valid or not (fictional 555 numbers, drama
/// ranges): used only with a phone word before the candidate.
fn possible_shape(region: Id, d: &str) -> bool {
    let b = d.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match region {
        Id::US | Id::CA => {
            let d10 = match b.len() {
                10 => 0,
                11 if at(0) == b'1' => 1,
                _ => return false,
            };
            (b'2'..=b'9').contains(&at(d10)) && (b'2'..=b'9').contains(&at(d10 + 3))
        }
        Id::IN => match b.len() {
            10 => (b'6'..=b'9').contains(&at(0)),
            11 => at(0) == b'0' && (b'1'..=b'9').contains(&at(1)),
            12 => at(0) == b'9' && at(1) == b'1' && (b'6'..=b'9').contains(&at(2)),
            _ => false,
        },
        Id::GB => match b.len() {
            11 => at(0) == b'0' && matches!(at(1), b'1' | b'2' | b'3' | b'7' | b'8'),
            10 => matches!(at(0), b'1' | b'2' | b'3' | b'7' | b'8'),
            _ => false,
        },
        _ => (8..=12).contains(&b.len()) && parse_valid(Some(region), d).is_some(),
    }
}

/// "(208) 555-0147", "(208)555-0147", "208-555-0147", "208.555.0147": three groups 3-3-4 with
/// the canonical separators.
fn nanp_formatted(text: &str, groups: &[(usize, usize)]) -> bool {
    let [(a0, a1), (b0, b1), (c0, c1)] = groups else {
        return false;
    };
    if a1 - a0 != 3 || b1 - b0 != 3 || c1 - c0 != 4 {
        return false;
    }
    let s1 = util::slice(text, *a1, *b0);
    let s2 = util::slice(text, *b1, *c0);
    let paren = util::byte_at(text, a0.wrapping_sub(1)) == Some(b'(') && (s1 == ")" || s1 == ") ");
    let dashed = s2 == "-" && (paren || s1 == "-");
    let dotted = s1 == "." && s2 == ".";
    dashed || dotted
}

/// Whether a candidate may start at `i` (whose byte is `b`): not inside a word, a price, a
/// The end of the mask of a number with its country code whose last digits are hidden
/// (`+91 98345XXXX`, `+44 7700 9**`): at least six digits, then two to six `X`, `x` or `*` glued
/// to the last group, and no more word characters.
fn masked_end(text: &str, c: &Cand, c_end: usize) -> Option<usize> {
    let digits: usize = c.groups.iter().map(|g| g.1 - g.0).sum();
    if !c.plus || c.broken || digits < 6 || c_end != c.groups.last()?.1 {
        return None;
    }
    let mask = text
        .get(c_end..)?
        .bytes()
        .take(7)
        .take_while(|b| matches!(b, b'X' | b'x' | b'*'))
        .count();
    let e = c_end + mask;
    ((2..=6).contains(&mask) && !util::alnum_after(text, e)).then_some(e)
}

/// decimal, a date, an ID.
fn left_ok(text: &str, i: usize, b: u8) -> bool {
    let Some(prev) = util::char_before(text, i) else {
        return true;
    };
    // Latin letters and digits glue; other scripts (CJK, Devanagari) are often written without a
    // space before a number.
    if prev.is_ascii_alphanumeric() || prev == '_' || (prev.is_numeric() && !prev.is_alphabetic()) {
        return false;
    }
    if matches!(prev, '\'' | '"') && (b.is_ascii_digit() || b == b'(' || b == b'+') {
        // A quoted number is a string literal of code or data: a phone only under a phone key.
        return quoted_under_phone_key(text, i);
    }
    if b.is_ascii_digit() || b == b'(' {
        if matches!(
            prev,
            '.' | ','
                | '/'
                | '-'
                | '+'
                | '$'
                | '€'
                | '£'
                | '₹'
                | '¥'
                | '#'
                | '@'
                | '%'
                | '\''
                | '"'
                | '&'
                | '='
                | '~'
                | '^'
        ) {
            return false;
        }
        if prev == '(' && b == b'(' {
            return false;
        }
    }
    // "Rs 1234567", "INR 9876543" are amounts.
    let before = util::lower_before(text, i, 6);
    let t = before.trim_end();
    !(t.ends_with("rs")
        || t.ends_with("rs.")
        || t.ends_with("inr")
        || t.ends_with("usd")
        || t.ends_with("eur"))
}

/// Keys and words of code and data that name a phone number (`"phone": "..."`,
/// `phoneNumbers`, `ContactField('mobile', ...)`, `<input type="tel" ... value="...">`), matched
/// inside identifiers too.
const PHONE_KEYS: &[&str] = &[
    "phone", "mobile", "cell", "whatsapp", "fax", "tel\"", "tel'", "tel=", "tel:", "tel ", "tel_",
];

/// How far back a quoted number looks for a phone key: far enough for the key of its field or
/// the start of a short array of numbers on the same line.
const PHONE_KEY_REACH: usize = 60;

/// Whether a quoted number at byte `i` stands under a phone key on its line.
fn quoted_under_phone_key(text: &str, i: usize) -> bool {
    let before = util::lower_before(text, i, PHONE_KEY_REACH);
    let line = before.rsplit('\n').next().unwrap_or("");
    PHONE_KEYS.iter().any(|k| line.contains(k))
}

/// Whether the number may end at `e`.
fn right_ok(text: &str, e: usize) -> bool {
    match util::char_after(text, e) {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || c.is_numeric() || matches!(c, '%' | '_' | '@') => {
            false
        }
        Some('.' | ',' | '/' | ':' | '-') => {
            !util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_digit())
        }
        Some(_) => true,
    }
}

/// Shape rules that keep dates, IPs and version strings out.
fn shape_ok(text: &str, c: &Cand, groups: &[(usize, usize)], whole: bool) -> bool {
    let lens: Vec<usize> = groups.iter().map(|(s, e)| e - s).collect();
    if !dots_ok(text, groups, &lens) {
        return false;
    }
    if !c.plus
        && (score_list(text, groups)
            || date_shaped(text, groups, &lens)
            || cited_year(text, groups))
    {
        return false;
    }
    // A long run of tiny groups ("1 2 3 4 5 6 7") is a list, not a number.
    let tiny = lens.iter().filter(|l| **l == 1).count();
    if tiny > 1 || (lens.len() > 2 && lens.first() == Some(&1) && !c.plus && !whole) {
        return false;
    }
    true
}

/// The separators between `groups` (group lengths `lens`): dots are fine only as the sole separator
/// of "208.555.0147" (3–4 groups of two or more digits, the last of three or more) or
/// "01.84.17.61.18" (five pairs).
fn dots_ok(text: &str, groups: &[(usize, usize)], lens: &[usize]) -> bool {
    // Separators actually used between these groups.
    let mut dots = false;
    let mut others = false;
    for w in groups.windows(2) {
        if let [(_, e), (s, _)] = w {
            let sep = util::slice(text, *e, *s);
            if sep.contains('.') {
                dots = true;
            }
            if sep.chars().any(|ch| ch != '.') {
                others = true;
            }
        }
    }
    if !dots {
        return true;
    }
    let pairs = lens.len() == 5 && lens.iter().all(|l| *l == 2);
    let nanp_like = (3..=4).contains(&lens.len())
        && lens.iter().all(|l| *l >= 2)
        && lens.last().is_some_and(|l| *l >= 3);
    !others && (pairs || nanp_like)
}

/// A score list ("15-8 15-17 17-15"): dashes inside pairs, spaces between them.
fn score_list(text: &str, groups: &[(usize, usize)]) -> bool {
    let mut dash_seps = 0;
    let mut space_seps = 0;
    for w in groups.windows(2) {
        if let [(_, e), (s, _)] = w {
            let sep = util::slice(text, *e, *s);
            if sep.contains('-') && !sep.contains(' ') {
                dash_seps += 1;
            } else if sep == " " {
                space_seps += 1;
            }
        }
    }
    dash_seps >= 2 && space_seps >= 2
}

/// Date-shaped groups: 2024-01-15, 15-01-2024, 15 01 2024.
/// A year in parentheses among the groups, as citations write volume, year and pages
/// ("281 (2005) 1–20", "(2014) 145–158"): no area code is written "(2005)".
fn cited_year(text: &str, groups: &[(usize, usize)]) -> bool {
    groups.iter().any(|&(s, e)| {
        let y = util::slice(text, s, e);
        e - s == 4
            && (y.starts_with("19") || y.starts_with("20"))
            && s > 0
            && util::byte_at(text, s - 1) == Some(b'(')
            && util::byte_at(text, e) == Some(b')')
    })
}

fn date_shaped(text: &str, groups: &[(usize, usize)], lens: &[usize]) -> bool {
    if lens.len() != 3 {
        return false;
    }
    let g: Vec<u32> = groups
        .iter()
        .filter_map(|(s, e)| util::num(util::slice(text, *s, *e)))
        .collect();
    let [x, y, z] = g.as_slice() else {
        return false;
    };
    let lx = lens.first().copied().unwrap_or(0);
    let lz = lens.get(2).copied().unwrap_or(0);
    let ymd = lx == 4
        && (1900..=2100).contains(x)
        && (1..=12).contains(y)
        && (1..=31).contains(z)
        && lz <= 2;
    let dmy = lz == 4
        && (1900..=2100).contains(z)
        && (1..=31).contains(x)
        && (1..=31).contains(y)
        && lx <= 2;
    ymd || dmy
}

/// The end of an extension ("x 12", "ext. 4567", "extension 89") right after `e`, if any.
fn extension_end(text: &str, e: usize) -> Option<usize> {
    let rest = text.get(e..)?;
    let trimmed = rest.trim_start_matches([' ', ',']);
    let skipped = rest.len() - trimmed.len();
    if skipped > 2 {
        return None;
    }
    let low = trimmed.get(..trimmed.len().min(12))?.to_ascii_lowercase();
    let kw = ["extension", "extn.", "extn", "ext.", "ext", "x", "#"]
        .into_iter()
        .find(|k| low.starts_with(k))?;
    let mut i = e + skipped + kw.len();
    while util::byte_at(text, i) == Some(b' ') && i < e + skipped + kw.len() + 2 {
        i += 1;
    }
    let ds = i;
    while util::byte_at(text, i).is_some_and(|b| b.is_ascii_digit()) && i - ds < 7 {
        i += 1;
    }
    let n = i - ds;
    if !(1..=6).contains(&n) || util::alnum_after(text, i) {
        return None;
    }
    Some(i)
}

/// Skip to the end of the current token (used when a position cannot start a candidate).
fn skip_token(text: &str, i: usize) -> usize {
    let mut j = i;
    let digit_run = util::byte_at(text, j).is_some_and(|b| b.is_ascii_digit());
    if digit_run {
        // Skip the whole alphanumeric/decimal token: "1,299.99", "v1.2.3", "A1234567".
        while util::byte_at(text, j)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b',' || b == b'.' || b == b'_')
        {
            j += 1;
        }
        return util::ceil_boundary(text, j.max(i + 1));
    }
    util::ceil_boundary(text, i + 1)
}

/// Scan a phone-shaped run starting at `p`.
fn scan(text: &str, p: usize) -> Cand {
    let mut s = Scan::new(text, p);
    s.plus_prefix();
    while let Some(opened) = s.open_paren() {
        let Some(closed) = s.group(opened) else {
            break;
        };
        s.last_good = s.i;
        if s.total > 40 || !s.separator(closed) {
            break;
        }
    }
    s.finish()
}

/// The state of one [`scan`]: the candidate so far and the position in the text.
struct Scan<'t> {
    text: &'t str,
    /// The candidate being built.
    c: Cand,
    /// The current byte.
    i: usize,
    /// Open parentheses (0 or 1).
    depth: u8,
    /// Parentheses opened so far (at most 2).
    parens_seen: u8,
    /// Digits so far.
    total: usize,
    /// The end of the last complete group (and its closing parenthesis).
    last_good: usize,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str, p: usize) -> Scan<'t> {
        Scan {
            text,
            c: Cand {
                start: p,
                end: p,
                ..Cand::default()
            },
            i: p,
            depth: 0,
            parens_seen: 0,
            total: 0,
            last_good: p,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        util::byte_at(self.text, i)
    }

    /// A leading '+' (and one space after it).
    fn plus_prefix(&mut self) {
        if self.at(self.i) == Some(b'+') {
            self.c.plus = true;
            self.i += 1;
            if self.at(self.i) == Some(b' ') {
                self.i += 1;
            }
        }
    }

    /// An optional opening parenthesis before a group: whether one was opened, or `None` when
    /// one may not open here (already open, or two seen).
    fn open_paren(&mut self) -> Option<bool> {
        if self.at(self.i) != Some(b'(') {
            return Some(false);
        }
        if self.depth > 0 || self.parens_seen >= 2 {
            return None;
        }
        self.depth = 1;
        self.parens_seen += 1;
        self.i += 1;
        if self.at(self.i) == Some(b' ') {
            self.i += 1;
        }
        Some(true)
    }

    /// A digit group (`opened`: right after an opening parenthesis) and its closing parenthesis:
    /// whether it closed one, or `None` when the run ends here.
    fn group(&mut self, opened: bool) -> Option<bool> {
        let gs = self.i;
        while self.at(self.i).is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        let i = self.i;
        if i == gs {
            if opened {
                self.depth = 0;
            }
            return None;
        }
        self.total += i - gs;
        let c = &mut self.c;
        if opened && c.plus && c.groups.len() == 1 && util::slice(self.text, gs, i) == "0" {
            c.trunk_group = Some(c.groups.len());
        }
        c.groups.push((gs, i));
        if util::byte_at(self.text, i) == Some(b')') && self.depth == 1 {
            self.depth = 0;
            self.i += 1;
            c.seps |= 8;
            return Some(true);
        }
        if opened {
            // "(208 555": not closed right after the group.
            c.broken = c.start == gs.saturating_sub(1) || c.groups.len() == 1;
            return None;
        }
        Some(false)
    }

    /// The separator after a group: up to three of space, dash, dot (one dot, one dash at most).
    /// Whether another group follows (`closed`: the group closed a parenthesis).
    fn separator(&mut self, closed: bool) -> bool {
        let ss = self.i;
        let (mut n_dot, mut n_dash, mut n_sp) = (0, 0, 0);
        loop {
            match util::char_after(self.text, self.i) {
                Some(ch @ (' ' | '\u{a0}')) if n_sp < 1 || (n_dash == 1 && n_sp < 2) => {
                    n_sp += 1;
                    self.c.seps |= 1;
                    self.i += ch.len_utf8();
                }
                Some(ch @ ('-' | '–' | '‑')) if n_dash < 1 && n_dot == 0 => {
                    n_dash += 1;
                    self.c.seps |= 2;
                    self.i += ch.len_utf8();
                }
                Some('.') if n_dot < 1 && n_dash == 0 && n_sp == 0 => {
                    n_dot += 1;
                    self.c.seps |= 4;
                    self.i += 1;
                }
                _ => break,
            }
        }
        let next = self.at(self.i);
        let continues =
            next.is_some_and(|b| b.is_ascii_digit()) || (next == Some(b'(') && self.depth == 0);
        continues && !(self.i == ss && next != Some(b'(') && !closed)
    }

    /// The candidate, ending at the last complete group.
    fn finish(mut self) -> Cand {
        if self.depth != 0 && self.c.groups.len() <= 1 {
            self.c.broken = true;
        }
        self.c.end = self.last_good;
        self.c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(t: &str) -> Vec<&str> {
        let mut g = GateBuilder::default();
        let p = Phone::new(&["US", "IN", "GB"], &mut g).unwrap();
        let mut out = Vec::new();
        p.find(t, &g.build().unwrap().windows(t, 64), &[], &mut out);
        for f in &out {
            assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
            assert!((0.0..=1.0).contains(&f.score));
        }
        out.iter().map(|f| f.span.slice(t).unwrap()).collect()
    }

    #[test]
    fn us_formats() {
        assert_eq!(phones("call (208) 555-0147 now"), vec!["(208) 555-0147"]);
        assert_eq!(phones("it's 208-555-0147."), vec!["208-555-0147"]);
        assert_eq!(phones("208.555.0147"), vec!["208.555.0147"]);
        assert_eq!(phones("+1 208 555 0147"), vec!["+1 208 555 0147"]);
        assert_eq!(phones("2085550147"), vec!["2085550147"]);
        assert_eq!(
            phones("+1 (415) 555-0199 ext. 204"),
            vec!["+1 (415) 555-0199 ext. 204"]
        );
        assert_eq!(phones("(898)666-3621x0135"), vec!["(898)666-3621x0135"]);
        assert_eq!(phones("tel:+12085550147"), vec!["+12085550147"]);
    }

    #[test]
    fn citation_volumes_years_and_pages_are_not_phones() {
        for t in [
            "Mech. Syst. Signal Process. 281 (2005) 1–20.",
            "Control Eng. Pract. 31 (2014) 145–158.",
        ] {
            assert!(phones(t).is_empty(), "{t}: {:?}", phones(t));
        }
    }

    #[test]
    fn masked_international_numbers() {
        assert_eq!(
            phones("| Rohit | Sales Manager | +91 98345XXXX | x |"),
            vec!["+91 98345XXXX"]
        );
        assert_eq!(phones("call +44 7700 900***"), vec!["+44 7700 900***"]);
        // Without a country code, or with too few digits, a mask is not a phone.
        assert!(phones("ref 98345XXXX and +1 23XX").is_empty());
    }

    #[test]
    fn quoted_numbers_are_phones_only_under_a_phone_key() {
        assert_eq!(
            phones("{\"phone\": \"208-555-0147\", \"zip\": \"94111\"}"),
            vec!["208-555-0147"]
        );
        assert_eq!(
            phones("contact.phoneNumbers = [new ContactField('mobile', '2085550147')];"),
            vec!["2085550147"]
        );
        assert_eq!(
            phones("<input type=\"tel\" id=\"phone\" value=\"(208) 555-0147\">"),
            vec!["(208) 555-0147"]
        );
        assert!(phones("{\"id\": \"2085550147\", \"total\": \"208-555-0147\"}").is_empty());
        assert!(phones("print('2085550147')").is_empty());
    }

    #[test]
    fn indian_formats() {
        assert_eq!(phones("+91 98765 43210"), vec!["+91 98765 43210"]);
        assert_eq!(phones("098765 43210"), vec!["098765 43210"]);
        assert_eq!(phones("mera number 98765-43210 hai"), vec!["98765-43210"]);
        assert_eq!(phones("9876543210"), vec!["9876543210"]);
        assert_eq!(phones("+91-9876543210"), vec!["+91-9876543210"]);
        assert_eq!(phones("मेरा नंबर 9876543210 है"), vec!["9876543210"]);
    }

    #[test]
    fn uk_and_international() {
        assert_eq!(phones("+44 (0)20 7946 0958"), vec!["+44 (0)20 7946 0958"]);
        assert_eq!(
            phones("+44 7700 900123 call me"),
            Vec::<&str>::new(),
            "drama number, no cue before"
        );
        assert_eq!(
            phones("call me on +44 7700 900123"),
            vec!["+44 7700 900123"]
        );
        assert_eq!(phones("my mobile is 07700 900123"), vec!["07700 900123"]);
        assert_eq!(phones("020 7946 0958"), vec!["020 7946 0958"]);
        assert_eq!(phones("+49 30 1234567"), vec!["+49 30 1234567"]);
        assert_eq!(phones("0049 30 1234567"), vec!["0049 30 1234567"]);
    }

    #[test]
    fn more_regions_in_national_format() {
        for (t, want) in [
            ("call me at 0412 345 678", "0412 345 678"),
            ("my landline (02) 9876 5432", "(02) 9876 5432"),
            ("Festnetz 030 12345678", "030 12345678"),
            ("Handy: 0171 1234567", "0171 1234567"),
            ("appelle-moi au 06 12 34 56 78 stp", "06 12 34 56 78"),
            ("06 12 34 56 78", "06 12 34 56 78"),
            ("my number 024 123 4567 😊", "024 123 4567"),
            ("0803 123 4567", "0803 123 4567"),
            ("0712 345678", "0712 345678"),
            ("071 123 4567", "071 123 4567"),
            ("meu celular (11) 91234-5678", "(11) 91234-5678"),
            ("(11) 91234-5678", "(11) 91234-5678"),
            ("llámame al 612 345 678", "612 345 678"),
            ("612 34 56 78", "612 34 56 78"),
        ] {
            assert_eq!(phones(t), vec![want], "{t:?}");
        }
        for t in [
            "0412345678",
            "order 0412 345 678",
            "ref 06 12 34 56 78",
            "06 12 34 56 78 90 12",
            "meeting 12 03 2024 at 10 30",
            "price 1 299 000",
            "ISBN 978 3 16 148410 0",
            "I ran 10 12 15 20 laps",
            "612 345 678",
        ] {
            assert!(phones(t).is_empty(), "{t:?} -> {:?}", phones(t));
        }
    }

    #[test]
    fn lists_split() {
        assert_eq!(
            phones("208-555-0147 415-555-0199"),
            vec!["208-555-0147", "415-555-0199"]
        );
        assert_eq!(
            phones("9876543210, 9123456789"),
            vec!["9876543210", "9123456789"]
        );
    }

    #[test]
    fn never_prices_years_times_dates() {
        for t in [
            "it costs $1,299.99 today",
            "₹45,000 only",
            "about 1,000,000 people",
            "1,000,000",
            "$1299999.99",
            "Rs 9876543210",
            "INR 2085550147",
            "born 1994, graduated 2025",
            "at 10:30 or 10:30:45",
            "12/03/1994",
            "2024-01-15",
            "15-01-2024",
            "2 x 500 ml",
            "I'm 5'11\" and 180 cm",
            "95% sure, 12.5% off",
            "version 1.2.3.4",
            "v10.0.19041.1",
            "192.168.1.100",
            "ZIP 83702",
            "PIN 560038",
            "4111 1111 1111 1111",
            "order 12345678901234567890",
            "order 1234567890123456",
            "scores 1 2 3 4 5 6 7 8",
            "3.14159265358",
            "#9876543210",
            "9876543210abc",
            "2085550147%",
            "2019 2020 2021",
        ] {
            assert!(phones(t).is_empty(), "{t:?} -> {:?}", phones(t));
        }
    }

    #[test]
    fn context_allows_possible_numbers() {
        assert!(phones("5551234567").is_empty());
        assert_eq!(phones("call me at 555 234 5678"), vec!["555 234 5678"]);
        assert!(
            phones("ref 155 123 4567").is_empty(),
            "{:?}",
            phones("ref 155 123 4567")
        );
    }

    #[test]
    fn bad_regions_are_errors() {
        assert!(Phone::new(&["ZZ"], &mut GateBuilder::default()).is_err());
        assert!(Phone::new(&["us", "in"], &mut GateBuilder::default()).is_ok());
    }
}
