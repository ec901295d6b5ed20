//! ID: US SSN, Indian Aadhaar (Verhoeff) and PAN, and codes right after a cue phrase
//! ("passport number", "licence no", "employee id", "order #", "booking ref", ...).

use regex::Regex;

use super::score::ids::{
    AADHAAR_CUED, AADHAAR_GROUPED, AADHAAR_UNGROUPED, CUED_CODE, CUED_DOCUMENT_CODE,
    PAN_LOWERCASE_CUED, PAN_UPPERCASE, PAN_UPPERCASE_CUED, SSN_CUED, SSN_DASHED, SSN_SPACED,
    SSN_UNGROUPED_CUED,
};
use super::util::{self, GateBuilder, Win};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Id;

const SSN_CUES: &[&str] = &[
    "ssn",
    "social security",
    "soc sec",
    "ss#",
    "ss #",
    "ss no",
    "social",
];
const AADHAAR_CUES: &[&str] = &[
    "aadhaar",
    "aadhar",
    "adhaar",
    "adhar",
    "aadhaar no",
    "uidai",
    "uid",
    "आधार",
];
const PAN_CUES: &[&str] = &["pan", "pan card", "pan no", "pan number", "पैन"];

/// The cue phrases before a code (regex, case-insensitive); `{num}` stands for an optional
/// "no", "number", "id" or "#" after the word.
const CUE_PHRASES: &[&str] = &[
    "passport{num}",
    r"driv(?:er'?s|ing)\s+licen[cs]e{num}",
    "licen[cs]e{num}",
    r"d\.?l\.?{num}",
    "employee{num}",
    r"emp\s*(?:id|no\.?|code)",
    r"staff\s*(?:id|no\.?)",
    "student{num}",
    r"roll\s*(?:no\.?|number)",
    r"enrol(?:l)?ment\s*(?:no\.?|number|id)",
    "member(?:ship)?{num}",
    "account{num}",
    r"a/c\s*(?:no\.?|number)?",
    r"acct\.?{num}",
    "policy{num}",
    "order{num}",
    "ticket{num}",
    r"booking\s*(?:ref(?:erence)?|id|no\.?|number|code)",
    "pnr{num}",
    r"confirmation(?:\s*(?:code|number|no\.?|#|id))?",
    "loyalty{num}",
    r"(?:licen[cs]e\s*)?plate{num}",
    r"(?:learner'?s\s*)?permit{num}",
    "upc{num}",
    // National and hospital numbers known by their acronym.
    "uhid|umid|nin|nie|dni|nif|cpf|curp|rfc|pesel|bsn|nric|tfn|ird",
    "customer{num}",
    r"client\s*(?:id|no\.?|number)",
    r"user\s*id",
    r"voter\s*id",
    r"epic\s*(?:no\.?|number)",
    "tracking{num}",
    "invoice{num}",
    "reference{num}",
    r"ref\.?\s*(?:no\.?|#|number)",
    "case{num}",
    "claim{num}",
    r"patient\s*id",
    "mrn",
    "uan{num}",
    r"national\s*id",
    r"id\s*(?:card\s*)?(?:no\.?|number|#)",
    r"aadhaar\s*(?:no\.?|number)",
    "nhs{num}",
    r"insurance\s*(?:id|no\.?|number)",
    "registration{num}",
    // Companies: registration, filing and tax numbers ("company number 5250511", "FEI/EIN
    // Number 35-2479321", "document number M13000004102" in a state's filing record).
    r"(?:company|corporate|entity|business|charter|document|file|filing)\s+(?:reg(?:istration|\.)?\s*)?(?:no\.?|number|#)",
    r"(?:fei/)?f?ein\s*(?:no\.?|number|#|:)",
    r"(?:tax|vat|gst)\s*(?:id|no\.?|number|#)",
    r"reg\.?\s*(?:no\.?|number)",
    "reservation{num}",
    r"reservation\s*(?:code|ref(?:erence)?)",
    r"(?:zoom\s*|teams\s*|webex\s*)?meeting\s*(?:id|no\.?|number|#)",
    r"vehicle\s*(?:registration|reg\.?)(?:\s*(?:no\.?|number|mark|#))?",
    r"(?:number|registration)\s*plate",
    "staff{num}",
    r"patient\s*(?:no\.?|number|#)",
    r"medical\s*record\s*(?:no\.?|number|#)?",
    // Other languages: Spanish, German, French, Italian, Dutch.
    r"n(?:ú|u)mero\s+de\s+(?:pedido|orden|cliente|socio|reserva|expediente|p(?:ó|o)liza|factura|seguimiento|cuenta|pasaporte|ticket|afiliado|empleado)",
    r"(?:kunden|bestell|auftrags|rechnungs|vertrags|mitglieds|versicherungs|sendungs|personal|buchungs|reservierungs|patienten|fall|ausweis|reisepass)(?:nummer|-?nr\.?|-?id)",
    r"num(?:é|e)ro\s+(?:de\s+|d')(?:client|commande|dossier|r(?:é|e)servation|facture|contrat|adh(?:é|e)rent|suivi|passeport|s(?:é|e)curit(?:é|e)\s+sociale)",
    r"n(?:°|º)\s*(?:de\s+)?(?:client|commande|dossier|pedido|cliente|facture)",
    "matricule",
    r"numero\s+(?:d(?:i|el|ella|ell)?'?\s*)?(?:ordine|cliente|pratica|prenotazione|fattura|tessera|passaporto)",
    r"(?:klant|bestel|dossier|polis|order|lid|paspoort)nummer",
];

/// One national number finder: a regex, a validator, cue words and scores by written shape.
struct Form {
    /// The finding's kind.
    kind: &'static str,
    /// The regex's name at the gate.
    gate: &'static str,
    /// The candidate regex.
    pat: &'static str,
    /// Whether a candidate must not be glued to other digits, dashes or decimals ([`bounded`]).
    bounded: bool,
    /// The validator of a candidate's text.
    valid: fn(&str) -> bool,
    /// Cue words (lowercase) within 40 bytes before the value.
    cues: &'static [&'static str],
    /// Whether a candidate is in the form's marked shape (dashed, grouped, uppercase).
    marked: fn(&str) -> bool,
    /// The scores after a cue: (marked, unmarked).
    cued: (f32, f32),
    /// The scores without a cue: (marked, unmarked); `None` where a cue is required.
    bare: (Option<f32>, Option<f32>),
}

/// Every national number form, in the order they are searched.
const FORMS: &[Form] = &[
    Form {
        kind: "SSN",
        gate: "id.ssn",
        pat: r"(?-u:\b)[0-9]{3}(?:-[0-9]{2}-|\x20[0-9]{2}\x20)[0-9]{4}(?-u:\b)",
        bounded: true,
        valid: ssn_digits,
        cues: SSN_CUES,
        marked: dashed,
        cued: (SSN_CUED, SSN_CUED),
        bare: (Some(SSN_DASHED), Some(SSN_SPACED)),
    },
    Form {
        kind: "SSN",
        gate: "id.ssn_bare",
        pat: r"(?-u:\b)[0-9]{9}(?-u:\b)",
        bounded: true,
        valid: ssn_digits,
        cues: SSN_CUES,
        // One run of nine digits has no marked shape; it is taken only after a cue.
        marked: dashed,
        cued: (SSN_UNGROUPED_CUED, SSN_UNGROUPED_CUED),
        bare: (None, None),
    },
    Form {
        kind: "AADHAAR",
        gate: "id.aadhaar",
        pat: r"(?-u:\b)[2-9][0-9]{3}(?:\x20[0-9]{4}\x20|-[0-9]{4}-|[0-9]{4})[0-9]{4}(?-u:\b)",
        bounded: true,
        valid: aadhaar_digits,
        cues: AADHAAR_CUES,
        marked: grouped,
        cued: (AADHAAR_CUED, AADHAAR_CUED),
        bare: (Some(AADHAAR_GROUPED), Some(AADHAAR_UNGROUPED)),
    },
    Form {
        kind: "PAN",
        gate: "id.pan",
        pat: r"(?i-u:\b[a-z]{3}[abcfghljpt][a-z][0-9]{4}[a-z]\b)",
        bounded: false,
        valid: any,
        cues: PAN_CUES,
        marked: uppercase,
        cued: (PAN_UPPERCASE_CUED, PAN_LOWERCASE_CUED),
        bare: (Some(PAN_UPPERCASE), None),
    },
];

/// National and cue-introduced identifiers.
pub(crate) struct Ids {
    /// One compiled regex and gate index per [`Form`].
    forms: Vec<(Regex, usize)>,
    cued: (Regex, usize),
}

impl Ids {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<Ids> {
        let num = r"(?:\s*(?:(?:no|nos|number|num|id)(?-u:\b)\.?|#))?";
        let cues: Vec<String> = CUE_PHRASES
            .iter()
            .map(|c| c.replace("{num}", num))
            .collect();
        let cue = format!(
            r"(?i-u)(?-u:\b)(?P<cue>{})(?P<fill>(?:\s*(?:(?:is|was|of|which|that|es|est|ist|lautet)(?-u:\b)|[:=#.\-(]|–|：))*\s*)(?P<code>[A-Za-z0-9](?:[A-Za-z0-9\-/]|\.[A-Za-z0-9])*)",
            cues.join("|")
        );
        let forms = FORMS
            .iter()
            .map(|f| g.regex(f.gate, f.pat))
            .collect::<Result<Vec<_>>>()?;
        Ok(Ids {
            forms,
            cued: g.regex("id.cued", &cue)?,
        })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows {
            for (form, (re, gate)) in FORMS.iter().zip(&self.forms) {
                if w.hit(*gate) {
                    util::each_captures(re, text, w.s, w.e, |c| {
                        if let Some(m) = c.get(0) {
                            judge(form, text, m.start(), m.end(), out);
                        }
                    });
                }
            }
            if w.hit(self.cued.1) {
                self.find_cued(text, w.s, w.e, out);
            }
        }
    }

    fn find_cued(&self, text: &str, ws: usize, we: usize, out: &mut Vec<Finding>) {
        util::each_captures(&self.cued.0, text, ws, we, |c| {
            let (Some(cue), Some(code)) = (c.name("cue"), c.name("code")) else {
                return;
            };
            let fill = c.name("fill").map_or("", |m| m.as_str());
            let cue_l = cue.as_str().to_ascii_lowercase();
            // A bare "DL"/"license" cue needs an explicit separator or "no"/"number".
            let short = cue_l.starts_with('d') && cue_l.len() <= 4;
            if short && !fill.contains([':', '#', '=']) && !fill.to_ascii_lowercase().contains("is")
            {
                return;
            }
            if !code.as_str().bytes().any(|b| b.is_ascii_digit()) {
                return;
            }
            let kind = cue_kind(&cue_l);
            let (s, mut e) = extend_code(text, code.start(), code.end());
            if kind == Some("LICENSE_PLATE") {
                e = plate_tail(text, e);
            }
            let alnum: usize = util::slice(text, s, e)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .count();
            let code_str = util::slice(text, s, e);
            // Short codes need an explicit "#", "no", "number" ("order #4521", "ticket no. 8812").
            let min = if explicit_number(&cue_l, fill) { 4 } else { 6 };
            if !(min..=30).contains(&alnum) || !code_str.chars().any(|ch| ch.is_ascii_digit()) {
                return;
            }
            // Calendar dates and times after "booking"/"order" are not codes.
            if code_str.contains('/') && code_str.split('/').count() == 3 && code_str.len() <= 10 {
                return;
            }
            let score = if matches!(kind, Some("PASSPORT" | "DRIVERS_LICENSE" | "LICENSE_PLATE")) {
                CUED_DOCUMENT_CODE
            } else {
                CUED_CODE
            };
            util::push(out, text, (s, e), FAM, kind, score);
        });
    }
}

/// Validate one candidate of `form` at `text[s..e]` and push it with its score.
fn judge(form: &Form, text: &str, s: usize, e: usize, out: &mut Vec<Finding>) {
    let m = util::slice(text, s, e);
    if (form.bounded && !bounded(text, s, e)) || !(form.valid)(m) {
        return;
    }
    let cue = util::has_cue(&util::lower_before(text, s, 40), form.cues);
    let score = match (cue, (form.marked)(m)) {
        (true, true) => Some(form.cued.0),
        (true, false) => Some(form.cued.1),
        (false, true) => form.bare.0,
        (false, false) => form.bare.1,
    };
    if let Some(score) = score {
        util::push(out, text, (s, e), FAM, Some(form.kind), score);
    }
}

/// A valid SSN's nine digits.
fn ssn_digits(m: &str) -> bool {
    ssn_valid(&util::digits_of(m))
}

/// A Verhoeff-valid Aadhaar's twelve digits.
fn aadhaar_digits(m: &str) -> bool {
    verhoeff(&util::digits_of(m))
}

/// Any candidate (the regex is the whole check).
fn any(_: &str) -> bool {
    true
}

/// Dashed ("123-45-6789"), not spaced.
fn dashed(m: &str) -> bool {
    m.contains('-')
}

/// In groups ("2345 6789 0124"), not one run.
fn grouped(m: &str) -> bool {
    m.len() > 12
}

/// With no lowercase letter ("ABCPE1234F").
fn uppercase(m: &str) -> bool {
    m.bytes().all(|b| !b.is_ascii_lowercase())
}

/// Whether the cue ends in, or the filler holds, an explicit number marker ("#", "no.", "number",
/// "Nr.", "-nummer", "n°").
fn explicit_number(cue: &str, fill: &str) -> bool {
    let cue = cue.trim_end_matches('.');
    fill.contains('#')
        || ["#", "no", "number", "num", "nr", "nummer", "n°", "nº"]
            .iter()
            .any(|m| cue.ends_with(m))
}

/// Finer kinds of the newer and non-English cues, by a word inside the cue (lowercase).
const CUE_KINDS: &[(&[&str], &str)] = &[
    (&["meeting"], "MEETING_ID"),
    (&["plate", "vehicle"], "LICENSE_PLATE"),
    (&["patient", "medical", "mrn"], "MEDICAL_RECORD"),
    (
        &["reserv", "buchung", "prenotazione", "reserva"],
        "BOOKING_REF",
    ),
    (
        &[
            "pedido",
            "orden",
            "bestell",
            "auftrag",
            "commande",
            "ordine",
            "factur",
            "fattura",
            "rechnung",
            "sendung",
            "suivi",
            "seguimiento",
        ],
        "ORDER_NUMBER",
    ),
    (&["kunden", "cliente", "klant", "client"], "CUSTOMER_ID"),
    (&["matricule", "personal", "empleado"], "EMPLOYEE_ID"),
    (
        &[
            "mitglied",
            "socio",
            "adherent",
            "adhérent",
            "lidnummer",
            "tessera",
            "afiliado",
        ],
        "MEMBER_ID",
    ),
    (
        &[
            "versicherung",
            "polis",
            "póliza",
            "poliza",
            "vertrag",
            "contrat",
        ],
        "POLICY_NUMBER",
    ),
    (
        &[
            "reisepass",
            "passeport",
            "pasaporte",
            "passaporto",
            "paspoort",
        ],
        "PASSPORT",
    ),
    (
        &[
            "case",
            "claim",
            "dossier",
            "expediente",
            "pratica",
            "fallnummer",
            "fall-nr",
        ],
        "CASE_NUMBER",
    ),
];

/// The finer kind for a cue phrase.
fn cue_kind(cue: &str) -> Option<&'static str> {
    if let Some((_, k)) = CUE_KINDS
        .iter()
        .find(|(words, _)| words.iter().any(|w| cue.contains(w)))
    {
        return Some(k);
    }
    const COMPANY: &[&str] = &[
        "company",
        "corporate",
        "entity",
        "business",
        "charter",
        "document",
        "file",
        "filing",
    ];
    const TAX: &[&str] = &["fei", "ein", "tax", "vat", "gst"];
    let k = if COMPANY.iter().any(|w| cue.starts_with(w)) {
        "COMPANY_NUMBER"
    } else if TAX.iter().any(|w| cue.starts_with(w)) {
        "TAX_ID"
    } else if cue.starts_with("passport") {
        "PASSPORT"
    } else if cue.contains("licen") || cue.starts_with('d') {
        "DRIVERS_LICENSE"
    } else if cue.starts_with("employee") || cue.starts_with("emp") || cue.starts_with("staff") {
        "EMPLOYEE_ID"
    } else if cue.starts_with("student") || cue.starts_with("roll") || cue.starts_with("enrol") {
        "STUDENT_ID"
    } else if cue.starts_with("member") {
        "MEMBER_ID"
    } else if cue.starts_with("account") || cue.starts_with("a/c") || cue.starts_with("acct") {
        "ACCOUNT_NUMBER"
    } else if cue.starts_with("policy") || cue.starts_with("insurance") {
        "POLICY_NUMBER"
    } else if cue.starts_with("order") || cue.starts_with("invoice") || cue.starts_with("tracking")
    {
        "ORDER_NUMBER"
    } else if cue.starts_with("ticket")
        || cue.starts_with("booking")
        || cue.starts_with("pnr")
        || cue.starts_with("confirmation")
    {
        "BOOKING_REF"
    } else if cue.starts_with("customer") || cue.starts_with("client") || cue.starts_with("user") {
        "CUSTOMER_ID"
    } else {
        return None;
    };
    Some(k)
}

/// A British plate's letter half after its first half ("AB12 CDE"): the new end.
fn plate_tail(text: &str, e: usize) -> usize {
    let tail = util::slice(text, e, e + 4);
    let letters = tail.len() == 4
        && tail.starts_with(' ')
        && tail.bytes().skip(1).all(|b| b.is_ascii_uppercase());
    if letters && !util::alnum_after(text, e + 4) {
        e + 4
    } else {
        e
    }
}

/// Extend a code over following space-separated groups that contain digits ("MH12 20110012345"),
/// then trim trailing separators.
fn extend_code(text: &str, s: usize, mut e: usize) -> (usize, usize) {
    loop {
        if util::byte_at(text, e) != Some(b' ') {
            break;
        }
        let gs = e + 1;
        let mut ge = gs;
        while util::byte_at(text, ge).is_some_and(|b| b.is_ascii_alphanumeric()) {
            ge += 1;
        }
        let group = util::slice(text, gs, ge);
        let ends_word = !util::alnum_after(text, ge);
        if group.is_empty()
            || !ends_word
            || !group.bytes().all(|b| b.is_ascii_digit())
            || (ge - s) > 30
        {
            break;
        }
        e = ge;
    }
    while e > s && matches!(util::byte_at(text, e - 1), Some(b'-' | b'/')) {
        e -= 1;
    }
    (s, e)
}

/// Not glued to other digits, dashes or decimals.
fn bounded(text: &str, s: usize, e: usize) -> bool {
    let before_ok = !matches!(
        util::char_before(text, s),
        Some('-' | '.' | '/' | '+' | '$' | '₹' | ',' | '_')
    );
    let after_ok = !(matches!(
        util::byte_at(text, e),
        Some(b'-' | b'.' | b'/' | b',' | b'_')
    ) && util::byte_at(text, e + 1).is_some_and(|b| b.is_ascii_digit()));
    before_ok && after_ok
}

/// SSN rules: area not 000, 666 or 900–999; group not 00; serial not 0000.
fn ssn_valid(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let n = |a: usize, b: usize| {
        d.get(a..b).map_or(0, |x| {
            x.iter().fold(0u32, |acc, v| acc * 10 + u32::from(*v))
        })
    };
    let (area, group, serial) = (n(0, 3), n(3, 5), n(5, 9));
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// Verhoeff checksum (Aadhaar's last digit): the dihedral group D5 multiplication table `D` and
/// the position permutation table `P` as published by Verhoeff (1969); a number is valid when
/// folding its digits from the right gives 0.
fn verhoeff(digits: &[u8]) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    if digits.is_empty() {
        return false;
    }
    let mut c = 0u8;
    for (i, d) in digits.iter().rev().enumerate() {
        let p = P
            .get(i % 8)
            .and_then(|row| row.get(usize::from(*d)))
            .copied();
        let Some(p) = p else { return false };
        let Some(next) = D
            .get(usize::from(c))
            .and_then(|row| row.get(usize::from(p)))
            .copied()
        else {
            return false;
        };
        c = next;
    }
    c == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::patterns::tests::find_with;

    fn ids(t: &str) -> Vec<(&str, Option<&'static str>)> {
        let out = find_with(t, Ids::new, Ids::find);
        out.iter()
            .map(|f| (f.span.slice(t).unwrap(), f.kind))
            .collect()
    }

    /// Published Verhoeff vectors (Wikipedia "Verhoeff algorithm": 236 -> check digit 3;
    /// Rosetta Code "Verhoeff algorithm": 12345 -> 1, 123456789012 -> 0; python-stdnum's Aadhaar
    /// doctest: 234123412346), and the Aadhaar number of issue 10. The last two have a digit 6-9
    /// in the fifth place from the right, where the wrong row 4 of the permutation table differed.
    #[test]
    fn verhoeff_vectors() {
        for valid in [
            "2363",
            "123451",
            "1234567890120",
            "234123412346",
            "529184370625",
        ] {
            assert!(verhoeff(&util::digits_of(valid)), "{valid}");
        }
        for (base, check) in [
            ("236", 3),
            ("12345", 1),
            ("123456789012", 0),
            ("23412341234", 6),
            ("52918437062", 5),
        ] {
            for d in 0..10u8 {
                let full = format!("{base}{d}");
                assert_eq!(verhoeff(&util::digits_of(&full)), d == check, "{full}");
            }
        }
        assert!(!verhoeff(&[]));
    }

    #[test]
    fn ssn() {
        assert_eq!(ids("ssn 123-45-6789"), vec![("123-45-6789", Some("SSN"))]);
        assert_eq!(
            ids("my number 460-89-9847."),
            vec![("460-89-9847", Some("SSN"))]
        );
        assert_eq!(ids("123 45 6789"), vec![("123 45 6789", Some("SSN"))]);
        assert_eq!(
            ids("social security 123456789"),
            vec![("123456789", Some("SSN"))]
        );
        assert!(ids("123456789").is_empty());
        for bad in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "123-45-6789-1",
        ] {
            assert!(ids(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn aadhaar() {
        // Literal numbers with published-valid check digits, never built with the code under test.
        let t = "aadhaar 5291 8437 0625 hai";
        assert_eq!(ids(t), vec![("5291 8437 0625", Some("AADHAAR"))]);
        assert_eq!(
            ids("UID 2341-2341-2346"),
            vec![("2341-2341-2346", Some("AADHAAR"))]
        );
        assert_eq!(ids("234123412346"), vec![("234123412346", Some("AADHAAR"))]);
        // One digit off: the checksum fails.
        assert!(ids("234123412347").is_empty());
        assert!(ids("aadhaar 5291 8437 0626").is_empty());
        // Aadhaar numbers never start with 0 or 1.
        assert!(ids("1234567890120")
            .iter()
            .all(|(_, k)| *k != Some("AADHAAR")));
    }

    #[test]
    fn pan() {
        assert_eq!(ids("PAN: ABCPE1234F"), vec![("ABCPE1234F", Some("PAN"))]);
        assert_eq!(ids("ABCPE1234F"), vec![("ABCPE1234F", Some("PAN"))]);
        assert_eq!(
            ids("my pan is abcpe1234f"),
            vec![("abcpe1234f", Some("PAN"))]
        );
        assert!(ids("abcpe1234f").is_empty());
        assert!(
            ids("ABCDE1234F").is_empty(),
            "4th letter D is not a holder type"
        );
    }

    #[test]
    fn cued() {
        assert_eq!(
            ids("my passport number is K1234567"),
            vec![("K1234567", Some("PASSPORT"))]
        );
        assert_eq!(
            ids("Passport No. Z9876543."),
            vec![("Z9876543", Some("PASSPORT"))]
        );
        assert_eq!(
            ids("licence no: MH12 20110012345"),
            vec![("MH12 20110012345", Some("DRIVERS_LICENSE"))]
        );
        assert_eq!(
            ids("DL: D123-456-789"),
            vec![("D123-456-789", Some("DRIVERS_LICENSE"))]
        );
        assert_eq!(
            ids("employee id E-204518"),
            vec![("E-204518", Some("EMPLOYEE_ID"))]
        );
        assert_eq!(
            ids("order #40321187"),
            vec![("40321187", Some("ORDER_NUMBER"))]
        );
        assert_eq!(
            ids("booking ref XK93PL2"),
            vec![("XK93PL2", Some("BOOKING_REF"))]
        );
        assert_eq!(
            ids("confirmation code: 7GH2KD9"),
            vec![("7GH2KD9", Some("BOOKING_REF"))]
        );
        assert_eq!(
            ids("customer id is CUST-88812"),
            vec![("CUST-88812", Some("CUSTOMER_ID"))]
        );
        assert_eq!(
            ids("policy number 99120033"),
            vec![("99120033", Some("POLICY_NUMBER"))]
        );
        assert_eq!(
            ids("account number: 001234567890"),
            vec![("001234567890", Some("ACCOUNT_NUMBER"))]
        );
        assert!(ids("ticket price 500").is_empty());
        assert!(ids("order 12345").is_empty(), "too short");
        assert!(ids("my passport is expired since 2019").is_empty());
        assert!(ids("booking on 12/03/2024").is_empty());
        assert!(ids("dl 5 files").is_empty());
    }

    #[test]
    fn more_cues_and_languages() {
        for (t, code, kind) in [
            (
                "reservation number: R7K2P9Q",
                "R7K2P9Q",
                Some("BOOKING_REF"),
            ),
            (
                "Meeting ID: 845 1234 5678",
                "845 1234 5678",
                Some("MEETING_ID"),
            ),
            (
                "vehicle registration AB12 CDE",
                "AB12 CDE",
                Some("LICENSE_PLATE"),
            ),
            (
                "number plate KA05MN4821",
                "KA05MN4821",
                Some("LICENSE_PLATE"),
            ),
            ("staff no. 44821", "44821", Some("EMPLOYEE_ID")),
            (
                "patient number 00482913",
                "00482913",
                Some("MEDICAL_RECORD"),
            ),
            ("order #4521 arrived", "4521", Some("ORDER_NUMBER")),
            (
                "the Florida company number M13000004102 and",
                "M13000004102",
                Some("COMPANY_NUMBER"),
            ),
            (
                "Document Number M13000004102 FEI",
                "M13000004102",
                Some("COMPANY_NUMBER"),
            ),
            ("FEI/EIN Number 35-2479321", "35-2479321", Some("TAX_ID")),
            ("case no. 2231-B", "2231-B", Some("CASE_NUMBER")),
            (
                "tracking number 9400 1000 0000 0000 0000 00",
                "9400 1000 0000 0000 0000 00",
                Some("ORDER_NUMBER"),
            ),
            (
                "mi número de pedido es 4471-2290",
                "4471-2290",
                Some("ORDER_NUMBER"),
            ),
            ("Kundennummer: 100482211", "100482211", Some("CUSTOMER_ID")),
            ("Bestell-Nr. 30018842", "30018842", Some("ORDER_NUMBER")),
            (
                "numéro de client : C-558120",
                "C-558120",
                Some("CUSTOMER_ID"),
            ),
            ("matricule 7741203", "7741203", Some("EMPLOYEE_ID")),
            ("n° de commande 88127734", "88127734", Some("ORDER_NUMBER")),
            ("numero d'ordine 5503321", "5503321", Some("ORDER_NUMBER")),
            ("klantnummer 4409127", "4409127", Some("CUSTOMER_ID")),
            ("Reisepassnummer C01X00T47", "C01X00T47", Some("PASSPORT")),
            (
                "😀 Kundennummer：100482211 🙂",
                "100482211",
                Some("CUSTOMER_ID"),
            ),
        ] {
            assert_eq!(ids(t), vec![(code, kind)], "{t}");
        }
        for t in [
            "order #12",
            "order 4521",
            "ticket: 50",
            "the meeting is at 10:30",
            "matricule inconnue",
            "my Kundennummer is lost",
        ] {
            assert!(ids(t).is_empty(), "{t:?} -> {:?}", ids(t));
        }
    }
}
