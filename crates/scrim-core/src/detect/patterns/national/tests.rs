//! Vectors for every national form. Values marked "published" are the examples of the issuing
//! body, Wikipedia or python-stdnum's doctests; the others are made up here, their check
//! digits worked out by hand with the rule named in the validator's doc and written literally.

use super::*;

fn found(t: &str) -> Vec<(&str, &'static str)> {
    let mut g = GateBuilder::default();
    let n = National::new(&mut g).unwrap();
    let mut out = Vec::new();
    n.find(t, &g.build().unwrap().windows(t, 64), &mut out);
    util::drop_contained(&mut out, 0);
    for f in &out {
        assert!(t.is_char_boundary(f.span.start()) && t.is_char_boundary(f.span.end()));
    }
    out.iter()
        .map(|f| (f.span.slice(t).unwrap(), f.kind.unwrap()))
        .collect()
}

/// The kind found on exactly `value` in `t`, if any.
fn kind_of(t: &str, value: &str) -> Option<&'static str> {
    found(t)
        .into_iter()
        .find(|(v, _)| *v == value)
        .map(|(_, k)| k)
}

#[track_caller]
fn is(t: &str, value: &str, kind: &str) {
    assert_eq!(kind_of(t, value), Some(kind), "{t:?} -> {:?}", found(t));
}

#[track_caller]
fn none(t: &str) {
    assert!(found(t).is_empty(), "{t:?} -> {:?}", found(t));
}

#[test]
fn uk_nino() {
    is("my NI number is AB 12 34 56 C", "AB 12 34 56 C", "NINO");
    is("AB123456C", "AB123456C", "NINO");
    none("QQ123456C"); // Q is never a first letter (HMRC's specimen prefix).
    none("GB123456A"); // GB is not allocated.
    none("AO123456E"); // suffix E does not exist.
}

#[test]
fn canada_sin() {
    is("SIN: 130 692 544", "130 692 544", "SIN");
    is("130-692-544", "130-692-544", "SIN");
    none("130-692-545");
    none("130 692 544"); // spaced without a cue: too phone-like
    none("call me 130-692-544");
    none("SIN: 830 692 548"); // 8 is not a first digit
}

#[test]
fn malaysia_mykad() {
    is("IC: 900101-14-5678", "900101-14-5678", "MYKAD");
    is("900101-14-5678", "900101-14-5678", "MYKAD");
    is("mykad 900101145678", "900101145678", "MYKAD");
    none("901301-14-5678"); // month 13
    none("900101-19-5678"); // place code 19 unused
    none("900101145678");
}

#[test]
fn singapore_nric() {
    // Published (nric-lib doctests).
    is("NRIC S8944027J", "S8944027J", "NRIC");
    is("FIN: G6046409Q", "G6046409Q", "NRIC");
    is("S8944027J", "S8944027J", "NRIC");
    none("S8944027A");
}

#[test]
fn spain_dni_nie() {
    // Published: 12345678Z and X1234567L.
    is("DNI 12345678Z", "12345678Z", "DNI");
    is("12345678-Z", "12345678-Z", "DNI");
    is("NIE: X1234567L", "X1234567L", "NIE");
    none("12345678A");
    none("X1234567A");
}

#[test]
fn brazil_cpf_cnpj() {
    // Published examples with valid check digits.
    is("CPF 529.982.247-25", "529.982.247-25", "CPF");
    is("111.444.777-35", "111.444.777-35", "CPF");
    is("cpf: 52998224725", "52998224725", "CPF");
    is("CNPJ 11.222.333/0001-81", "11.222.333/0001-81", "CNPJ");
    is("11.222.333/0001-81", "11.222.333/0001-81", "CNPJ");
    is("cnpj 11222333000181", "11222333000181", "CNPJ");
    none("529.982.247-26");
    none("111.111.111-11");
    none("52998224725");
    none("11222333000181");
}

#[test]
fn mexico_curp() {
    // Published (Wikipedia "Clave Única de Registro de Población").
    is(
        "mi CURP es HEGG560427MVZRRL04",
        "HEGG560427MVZRRL04",
        "CURP",
    );
    is("HEGG560427MVZRRL04", "HEGG560427MVZRRL04", "CURP");
    none("HEGG560427MVZRRL05");
    none("HEGG561327MVZRRL04");
}

#[test]
fn china_resident_id() {
    // Published (GB 11643-1999 example).
    is(
        "身份证号：11010519491231002X。",
        "11010519491231002X",
        "CN_RESIDENT_ID",
    );
    is("11010519491231002X", "11010519491231002X", "CN_RESIDENT_ID");
    none("110105194912310021");
    none("110105194913310023"); // month 13
}

#[test]
fn germany_steuer_id() {
    // Published (python-stdnum doctests).
    is("Steuer-ID: 86095742719", "86095742719", "STEUER_ID");
    is(
        "meine Steuer-ID ist 36 574 261 809",
        "36 574 261 809",
        "STEUER_ID",
    );
    none("86095742719");
    none("Steuer-ID: 86095742718");
    none("Steuer-ID: 11223456789"); // two repeated digits
}

#[test]
fn italy_codice_fiscale() {
    // Published ("Mario Rossi").
    is(
        "codice fiscale RSSMRA85T10A562S",
        "RSSMRA85T10A562S",
        "CODICE_FISCALE",
    );
    is("RSSMRA85T10A562S", "RSSMRA85T10A562S", "CODICE_FISCALE");
    is("cf: rssmra85t10a562s", "rssmra85t10a562s", "CODICE_FISCALE");
    none("rssmra85t10a562s");
    none("RSSMRA85T10A562T");
}

#[test]
fn france_nir() {
    // Published (python-stdnum) and made up (keys 91 and 02 by 97 - n mod 97, 2A as 19).
    is(
        "n° sécu 2 95 10 99 126 111 93",
        "2 95 10 99 126 111 93",
        "NIR",
    );
    is("NIR: 185057800608491", "185057800608491", "NIR");
    is(
        "numéro INSEE 1 80 12 2A 123 456 02",
        "1 80 12 2A 123 456 02",
        "NIR",
    );
    none("185057800608491");
    none("NIR: 185057800608492");
}

#[test]
fn netherlands_bsn() {
    // Published (python-stdnum).
    is("BSN: 111222333", "111222333", "BSN");
    is(
        "mijn burgerservicenummer is 1234.56.782",
        "1234.56.782",
        "BSN",
    );
    none("111222333");
    none("BSN 111222334");
}

#[test]
fn australia_tfn_abn() {
    // Published (python-stdnum, ATO example ABN).
    is("TFN 123 456 782", "123 456 782", "TFN");
    none("123 456 782");
    is("ABN: 51 824 753 556", "51 824 753 556", "ABN");
    is("51 824 753 556", "51 824 753 556", "ABN");
    is("abn 51824753556", "51824753556", "ABN");
    none("51824753556");
    none("51 824 753 557");
}

#[test]
fn uk_company_number() {
    is("Company No: 01234567", "01234567", "UK_COMPANY_NUMBER");
    is("company number SC123456", "SC123456", "UK_COMPANY_NUMBER");
    is("CRN 09876543", "09876543", "UK_COMPANY_NUMBER");
    none("01234567");
    none("Company No: 00000000");
}

#[test]
fn eu_vat() {
    // Published (python-stdnum doctests).
    for v in [
        "DE136695976",
        "IT00743110157",
        "BE0403019261",
        "NL004495445B01",
        "FR40303265045",
        "PL8567346215",
        "ATU13585627",
    ] {
        is(&format!("VAT {v}"), v, "VAT");
        is(v, v, "VAT");
    }
    is("USt-IdNr.: DE136695976", "DE136695976", "VAT");
    is("VAT number: ESX1234567L", "ESX1234567L", "VAT");
    none("ESX1234567L"); // no checksum verified here, so a cue is required
    none("DE136695977");
}

#[test]
fn poland_pesel() {
    // Published (Wikipedia "PESEL").
    is("PESEL: 44051401359", "44051401359", "PESEL");
    is("pesel 02070803628", "02070803628", "PESEL");
    none("44051401359");
    none("PESEL: 44051401358");
    none("PESEL: 44135401350"); // month 13 of the 1900s
}

#[test]
fn never_arbitrary_numbers() {
    for t in [
        "call me at +44 20 7946 0958",
        "order total 1234567890123",
        "version 1.2.3.4",
        "on 2024-01-15 at 10:30",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "let x = 123456789012345678; // id",
        "timestamp 1700000000123",
        "12345678901 items",
        "tel 612 345 678",
        "ISBN 978-3-16-148410-0",
    ] {
        none(t);
    }
}

#[test]
fn unicode_neighbours() {
    is("😀 AB123456C 😀", "AB123456C", "NINO");
    is(
        "配送先：身份证11010519491231002X号",
        "11010519491231002X",
        "CN_RESIDENT_ID",
    );
    is("Ünïcödé CPF: 529.982.247-25 ✓", "529.982.247-25", "CPF");
    is("(S8944027J)", "S8944027J", "NRIC");
}
