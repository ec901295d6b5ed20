//! ID: national and tax identifiers with a checksum or a structure check, table-driven.
//!
//! Each [`Spec`] is one written form of one identifier: a regex (registered with the digit-window
//! gate), a validator and its cue words. A form with a `bare` score is taken without a cue when
//! its validator checked a checksum; every other form needs one of its cues within 40 bytes
//! before it. Never an arbitrary long number without one of the two.

use regex::Regex;

use super::score::national as sc;
use super::util::{self, GateBuilder, Win};
use super::{device, Family};
use crate::error::Result;
use crate::span::Finding;

mod check;

use check::Check;

const FAM: Family = Family::Id;

/// One written form of one identifier.
struct Spec {
    /// The finding's kind.
    kind: &'static str,
    /// The candidate regex.
    pat: &'static str,
    /// The validator of a candidate.
    valid: fn(&str) -> Check,
    /// Cue words (lowercase) before the value.
    cues: &'static [&'static str],
    /// The score without a cue (checksum-valid only), or `None` when a cue is required.
    bare: Option<f32>,
    /// The score after a cue.
    cued: f32,
}

/// Words before a phone number: a checksum-valid bare candidate right after one is a phone.
const PHONE_WORDS: &[&str] = &[
    "phone", "call", "tel", "mobile", "cell", "whatsapp", "fax", "ring", "text me",
];

const NINO_CUES: &[&str] = &["nino", "national insurance", "ni number", "ni no", "nin"];
const SIN_CUES: &[&str] = &["sin", "social insurance", "nas", "assurance sociale"];
const MYKAD_CUES: &[&str] = &["mykad", "ic", "i/c", "nric", "kad pengenalan", "ic no"];
const NRIC_CUES: &[&str] = &["nric", "fin", "ic", "uin"];
const DNI_CUES: &[&str] = &[
    "dni",
    "nie",
    "nif",
    "d.n.i",
    "documento nacional",
    "identidad",
];
const CPF_CUES: &[&str] = &["cpf"];
const CNPJ_CUES: &[&str] = &["cnpj"];
const CURP_CUES: &[&str] = &["curp"];
const CN_CUES: &[&str] = &[
    "身份证",
    "身份證",
    "resident id",
    "id card",
    "id number",
    "id no",
];
const STEUER_CUES: &[&str] = &[
    "steuer-id",
    "steuerid",
    "steuer id",
    "steuer-identifikationsnummer",
    "steueridentifikationsnummer",
    "identifikationsnummer",
    "idnr",
    "id-nr",
    "tax id",
    "tin",
];
const CF_CUES: &[&str] = &["codice fiscale", "cod. fiscale", "c.f", "cf"];
const NIR_CUES: &[&str] = &[
    "nir",
    "insee",
    "sécurité sociale",
    "securite sociale",
    "sécu",
    "secu",
    "carte vitale",
    "social security",
];
const BSN_CUES: &[&str] = &["bsn", "burgerservicenummer", "sofinummer", "sofi"];
const TFN_CUES: &[&str] = &["tfn", "tax file number", "tax file no"];
const ABN_CUES: &[&str] = &["abn", "australian business number"];
const COMPANY_CUES: &[&str] = &[
    "company number",
    "company no",
    "company reg",
    "company registration",
    "companies house",
    "crn",
    "registered number",
    "registered in england",
    "registered in scotland",
];
const VAT_CUES: &[&str] = &[
    "vat",
    "ust-idnr",
    "ust-id",
    "ust.-id",
    "ustid",
    "umsatzsteuer",
    "tva",
    "iva",
    "p.iva",
    "partita iva",
    "btw",
    "mwst",
    "moms",
    "nip",
];
const PESEL_CUES: &[&str] = &["pesel"];

/// Every form, in order; on equal spans the higher score wins later.
const SPECS: &[Spec] = &[
    Spec {
        kind: "NINO",
        pat: r"(?-u:\b)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\x20?[0-9]{2}\x20?[0-9]{2}\x20?[0-9]{2}\x20?[A-D](?-u:\b)",
        valid: check::nino,
        cues: NINO_CUES,
        bare: Some(sc::NINO),
        cued: sc::CUED,
    },
    Spec {
        kind: "SIN",
        pat: r"(?-u:\b)[0-9]{3}-[0-9]{3}-[0-9]{3}(?-u:\b)",
        valid: check::sin,
        cues: SIN_CUES,
        bare: Some(sc::SIN_DASHED),
        cued: sc::CUED,
    },
    Spec {
        kind: "SIN",
        pat: r"(?-u:\b)[0-9]{3}\x20?[0-9]{3}\x20?[0-9]{3}(?-u:\b)",
        valid: check::sin,
        cues: SIN_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "MYKAD",
        pat: r"(?-u:\b)[0-9]{6}-[0-9]{2}-[0-9]{4}(?-u:\b)",
        valid: check::mykad,
        cues: MYKAD_CUES,
        bare: Some(sc::MYKAD_DASHED),
        cued: sc::CUED,
    },
    Spec {
        kind: "MYKAD",
        pat: r"(?-u:\b)[0-9]{12}(?-u:\b)",
        valid: check::mykad,
        cues: MYKAD_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "NRIC",
        pat: r"(?-u:\b)[STFGM][0-9]{7}[A-Z](?-u:\b)",
        valid: check::nric,
        cues: NRIC_CUES,
        bare: Some(sc::NRIC),
        cued: sc::CUED,
    },
    Spec {
        kind: "DNI",
        pat: r"(?-u:\b)[0-9]{8}-?[A-Z](?-u:\b)",
        valid: check::dni,
        cues: DNI_CUES,
        bare: Some(sc::DNI),
        cued: sc::CUED,
    },
    Spec {
        kind: "NIE",
        pat: r"(?-u:\b)[XYZ]-?[0-9]{7}-?[A-Z](?-u:\b)",
        valid: check::nie,
        cues: DNI_CUES,
        bare: Some(sc::DNI),
        cued: sc::CUED,
    },
    Spec {
        kind: "CPF",
        pat: r"(?-u:\b)[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}(?-u:\b)",
        valid: check::cpf,
        cues: CPF_CUES,
        bare: Some(sc::FORMATTED),
        cued: sc::CUED,
    },
    Spec {
        kind: "CPF",
        pat: r"(?-u:\b)[0-9]{11}(?-u:\b)",
        valid: check::cpf,
        cues: CPF_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "CNPJ",
        pat: r"(?-u:\b)[0-9]{2}\.[0-9]{3}\.[0-9]{3}/[0-9]{4}-[0-9]{2}(?-u:\b)",
        valid: check::cnpj,
        cues: CNPJ_CUES,
        bare: Some(sc::FORMATTED),
        cued: sc::CUED,
    },
    Spec {
        kind: "CNPJ",
        pat: r"(?-u:\b)[0-9]{14}(?-u:\b)",
        valid: check::cnpj,
        cues: CNPJ_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "CURP",
        pat: r"(?-u:\b)[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z0-9][0-9](?-u:\b)",
        valid: check::curp,
        cues: CURP_CUES,
        bare: Some(sc::CURP),
        cued: sc::CUED,
    },
    Spec {
        kind: "CN_RESIDENT_ID",
        pat: r"(?-u:\b)[1-8][0-9]{16}[0-9Xx](?-u:\b)",
        valid: check::cn_resident,
        cues: CN_CUES,
        bare: Some(sc::CN_RESIDENT),
        cued: sc::CUED,
    },
    Spec {
        kind: "STEUER_ID",
        pat: r"(?-u:\b)(?:[0-9]{11}|[0-9]{2}\x20[0-9]{3}\x20[0-9]{3}\x20[0-9]{3})(?-u:\b)",
        valid: check::steuer_id,
        cues: STEUER_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "CODICE_FISCALE",
        pat: r"(?i-u)(?-u:\b)[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z](?-u:\b)",
        valid: check::codice_fiscale,
        cues: CF_CUES,
        bare: Some(sc::CODICE_FISCALE),
        cued: sc::CUED,
    },
    Spec {
        kind: "NIR",
        pat: r"(?-u:\b)[12]\x20?[0-9]{2}\x20?[0-9]{2}\x20?(?:[0-9]{2}|2[AB])\x20?[0-9]{3}\x20?[0-9]{3}\x20?[0-9]{2}(?-u:\b)",
        valid: check::nir,
        cues: NIR_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "BSN",
        pat: r"(?-u:\b)(?:[0-9]{9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3})(?-u:\b)",
        valid: check::bsn,
        cues: BSN_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "TFN",
        pat: r"(?-u:\b)[0-9]{3}\x20?[0-9]{3}\x20?[0-9]{2,3}(?-u:\b)",
        valid: check::tfn,
        cues: TFN_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "ABN",
        pat: r"(?-u:\b)[0-9]{2}\x20[0-9]{3}\x20[0-9]{3}\x20[0-9]{3}(?-u:\b)",
        valid: check::abn,
        cues: ABN_CUES,
        bare: Some(sc::ABN_GROUPED),
        cued: sc::CUED,
    },
    Spec {
        kind: "ABN",
        pat: r"(?-u:\b)[0-9]{11}(?-u:\b)",
        valid: check::abn,
        cues: ABN_CUES,
        bare: None,
        cued: sc::CUED,
    },
    Spec {
        kind: "UK_COMPANY_NUMBER",
        pat: r"(?-u:\b)(?:[A-Z]{2}[0-9]{6}|[0-9]{8})(?-u:\b)",
        valid: check::uk_company,
        cues: COMPANY_CUES,
        bare: None,
        cued: sc::CUED_COMPANY,
    },
    Spec {
        kind: "VAT",
        pat: r"(?-u:\b)(?:ATU[0-9]{8}|BE[01][0-9]{9}|BG[0-9]{9,10}|CY[0-9]{8}[A-Z]|CZ[0-9]{8,10}|DE[0-9]{9}|DK[0-9]{8}|EE[0-9]{9}|EL[0-9]{9}|ES[A-Z0-9][0-9]{7}[A-Z0-9]|FI[0-9]{8}|FR[0-9A-HJ-NP-Z]{2}[0-9]{9}|HR[0-9]{11}|HU[0-9]{8}|IE[0-9][0-9A-Z+*][0-9]{5}[A-Z]{1,2}|IT[0-9]{11}|LT(?:[0-9]{9}|[0-9]{12})|LU[0-9]{8}|LV[0-9]{11}|MT[0-9]{8}|NL[0-9]{9}B[0-9]{2}|PL[0-9]{10}|PT[0-9]{9}|RO[0-9]{2,10}|SE[0-9]{10}01|SI[0-9]{8}|SK[0-9]{10}|GB(?:[0-9]{9}|[0-9]{12})|XI[0-9]{9})(?-u:\b)",
        valid: check::vat,
        cues: VAT_CUES,
        bare: Some(sc::VAT),
        cued: sc::CUED,
    },
    Spec {
        kind: "PESEL",
        pat: r"(?-u:\b)[0-9]{11}(?-u:\b)",
        valid: check::pesel,
        cues: PESEL_CUES,
        bare: None,
        cued: sc::CUED,
    },
];

/// National identifier detection: one compiled regex and gate index per [`Spec`].
pub(crate) struct National {
    res: Vec<(Regex, usize)>,
}

impl National {
    pub(crate) fn new(g: &mut GateBuilder) -> Result<National> {
        let res = SPECS
            .iter()
            .map(|s| g.regex("id.national", s.pat))
            .collect::<Result<Vec<_>>>()?;
        Ok(National { res })
    }

    pub(crate) fn find(&self, text: &str, windows: &[Win], out: &mut Vec<Finding>) {
        for w in windows {
            for (spec, (re, gate)) in SPECS.iter().zip(&self.res) {
                if !w.hit(*gate) {
                    continue;
                }
                util::each_captures(re, text, w.s, w.e, |c| {
                    if let Some(m) = c.get(0) {
                        judge(spec, text, m.start(), m.end(), out);
                    }
                });
            }
        }
    }
}

/// Validate one candidate of `spec` at `text[s..e]` and push it with its score.
fn judge(spec: &Spec, text: &str, s: usize, e: usize, out: &mut Vec<Finding>) {
    if !device::free_standing(text, s, e) {
        return;
    }
    let check = (spec.valid)(util::slice(text, s, e));
    if check == Check::Invalid {
        return;
    }
    let before = util::lower_before(text, s, 40);
    let score = if util::has_cue(&before, spec.cues) {
        spec.cued
    } else {
        match spec.bare {
            Some(b) if check == Check::Sum && !util::has_cue(&before, PHONE_WORDS) => b,
            _ => return,
        }
    };
    util::push(out, text, (s, e), FAM, Some(spec.kind), score);
}

#[cfg(test)]
mod tests;
