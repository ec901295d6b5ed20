//! Every score the pattern families give, in one place, one module a family.
//!
//! A score says how much evidence a finding had: a validated number after its cue is near-certain,
//! a bare shape is a guess. The engine drops findings under its `min_score`, so moving a score
//! across that line turns a form on or off.

/// Scores of `email` findings.
pub(super) mod email {
    /// `email`: an ordinary address around an `@` ("jdoe@example.com").
    pub(crate) const PLAIN_ADDRESS: f32 = 0.97;

    /// `email`: an obfuscated address with a bracketed separator ("jdoe [at] yahoo [dot] com",
    /// "jdoe (@) x.com").
    pub(crate) const BRACKETED_AT: f32 = 0.9;

    /// `email`: an obfuscated address with a spaced separator ("priya at gmail dot com", "jdoe @ x
    /// dot com").
    pub(crate) const SPACED_AT: f32 = 0.8;
}

/// Scores of `url` findings.
pub(super) mod url {
    /// `url`: a link with a scheme ("https://example.com/x").
    pub(crate) const SCHEME_LINK: f32 = 0.9;

    /// `url`: a link starting with "www." and no scheme ("www.example.com").
    pub(crate) const WWW_LINK: f32 = 0.85;

    /// `url`: a `host/path` link on a social, messaging or profile host ("instagram.com/priya").
    pub(crate) const SOCIAL_LINK: f32 = 0.9;

    /// `url`: any other bare `name.tld/path` link with a common top-level domain ("example.org/about").
    pub(crate) const BARE_LINK: f32 = 0.7;
}

/// Scores of `username` findings.
pub(super) mod username {
    // Scores of findings (all `username`).

    /// An `@handle` ("@priya_22").
    pub(crate) const AT_HANDLE: f32 = 0.85;

    /// A Reddit `u/name`.
    pub(crate) const REDDIT_USER: f32 = 0.85;

    /// The user of a home path ("/home/alice", "C:\\Users\\bob").
    pub(crate) const HOME_PATH: f32 = 0.9;

    /// The user of an account line pasted from `/etc/passwd` or `/etc/shadow`
    /// ("john:x:1001:1001:...", "john:$6$...").
    pub(crate) const ACCOUNT_LINE: f32 = 0.9;

    /// The user of a shell prompt ("jdoe@lab:~$").
    pub(crate) const PROMPT_USER: f32 = 0.85;

    /// The user of a remote login command ("ssh grace@host").
    pub(crate) const REMOTE_LOGIN: f32 = 0.8;

    /// A handle-shaped word after a cue ("insta: priya.s_22", "psn id xXSlayerXx").
    pub(crate) const CUED_HANDLE_SHAPED: f32 = 0.85;

    /// A plain word after a cue and a separator ("my snap is rahul").
    pub(crate) const CUED_PLAIN_WORD: f32 = 0.7;
}

/// Scores of `credit_card` findings.
pub(super) mod card {
    // Scores of findings (all `credit_card`).

    /// A valid card number after a card word ("visa 4111 1111 1111 1111").
    pub(crate) const CUED_CARD: f32 = 0.97;

    /// A valid card number in groups, without a card word ("4111-1111-1111-1111").
    pub(crate) const GROUPED_CARD: f32 = 0.93;

    /// A valid card number in one run, without a card word ("4111111111111111").
    pub(crate) const BARE_CARD: f32 = 0.88;
}

/// Scores of `iban` findings.
pub(super) mod iban {
    /// `iban`: the score of every finding, a candidate with the registered length of its country and
    /// a valid mod-97 checksum.
    pub(crate) const VALID_IBAN: f32 = 0.97;
}

/// Scores of `id` findings.
pub(super) mod ids {
    // Scores of findings (all `id`; the kind in brackets).

    /// [SSN] "123-45-6789" or "123 45 6789" after an SSN cue ("my ssn is ...").
    pub(crate) const SSN_CUED: f32 = 0.95;

    /// [SSN] a valid dashed SSN without a cue ("123-45-6789").
    pub(crate) const SSN_DASHED: f32 = 0.85;

    /// [SSN] a valid space-grouped SSN without a cue ("123 45 6789").
    pub(crate) const SSN_SPACED: f32 = 0.55;

    /// [SSN] nine digits in one run, only after an SSN cue ("SSN: 123456789").
    pub(crate) const SSN_UNGROUPED_CUED: f32 = 0.85;

    /// [AADHAAR] a Verhoeff-valid Aadhaar after an Aadhaar cue.
    pub(crate) const AADHAAR_CUED: f32 = 0.95;

    /// [AADHAAR] a Verhoeff-valid Aadhaar in groups, without a cue ("2345 6789 0124").
    pub(crate) const AADHAAR_GROUPED: f32 = 0.8;

    /// [AADHAAR] a Verhoeff-valid Aadhaar in one run, without a cue ("234567890124").
    pub(crate) const AADHAAR_UNGROUPED: f32 = 0.6;

    /// [PAN] an uppercase PAN after a PAN cue ("PAN: ABCPE1234F").
    pub(crate) const PAN_UPPERCASE_CUED: f32 = 0.95;

    /// [PAN] an uppercase PAN without a cue ("ABCPE1234F").
    pub(crate) const PAN_UPPERCASE: f32 = 0.8;

    /// [PAN] a PAN not in uppercase, only after a PAN cue ("pan abcpe1234f").
    pub(crate) const PAN_LOWERCASE_CUED: f32 = 0.8;

    /// [PASSPORT, DRIVERS_LICENSE] a code after a passport or licence cue ("passport no: X1234567").
    pub(crate) const CUED_DOCUMENT_CODE: f32 = 0.85;

    /// [EMPLOYEE_ID, ORDER_NUMBER, ... or none] a code after any other cue ("order #A123456").
    pub(crate) const CUED_CODE: f32 = 0.8;
}

/// Scores of device identifiers (all `id`; the kind in brackets).
pub(super) mod device {
    /// [MAC] a MAC address after a MAC cue ("MAC: 3c:22:fb:9a:41:07").
    pub(crate) const MAC_CUED: f32 = 0.95;

    /// [MAC] six colon- or dash-separated hex pairs, not part of an IPv6 address.
    pub(crate) const MAC_ADDRESS: f32 = 0.85;

    /// [MAC] Cisco dotted form with a hex letter, without a cue ("3c22.fb9a.4107").
    pub(crate) const MAC_DOTTED: f32 = 0.75;

    /// [IMEI] 15 Luhn-valid digits after an IMEI or serial cue.
    pub(crate) const IMEI_CUED: f32 = 0.95;

    /// [IMEI] 15 Luhn-valid digits grouped as IMEIs are printed ("49-015420-323751-8").
    pub(crate) const IMEI_GROUPED: f32 = 0.8;
}

/// Scores of national and tax identifiers (all `id`; the kind in brackets).
pub(super) mod national {
    /// [every kind] a valid identifier after one of its cue words ("NINO: ...", "CPF ...",
    /// "Steuer-ID ...").
    pub(crate) const CUED: f32 = 0.95;

    /// [UK_COMPANY_NUMBER] eight digits (or a register prefix and six) after "company number".
    pub(crate) const CUED_COMPANY: f32 = 0.85;

    /// [NINO] a National Insurance number with an allocated prefix, without a cue.
    pub(crate) const NINO: f32 = 0.75;

    /// [SIN] a Luhn-valid SIN in dashed 3-3-3 groups, without a cue.
    pub(crate) const SIN_DASHED: f32 = 0.6;

    /// [MYKAD] YYMMDD-PB-####, valid date and place code, without a cue.
    pub(crate) const MYKAD_DASHED: f32 = 0.8;

    /// [NRIC] a Singapore NRIC/FIN with the right check letter, without a cue.
    pub(crate) const NRIC: f32 = 0.85;

    /// [DNI, NIE] a Spanish DNI/NIE with the right control letter, without a cue.
    pub(crate) const DNI: f32 = 0.8;

    /// [CPF, CNPJ] the punctuated form with both check digits right ("123.456.789-09").
    pub(crate) const FORMATTED: f32 = 0.9;

    /// [CURP] a CURP with a valid date, state and check digit.
    pub(crate) const CURP: f32 = 0.9;

    /// [CN_RESIDENT_ID] 18 characters with a valid birth date and the MOD 11-2 check.
    pub(crate) const CN_RESIDENT: f32 = 0.85;

    /// [CODICE_FISCALE] an uppercase codice fiscale with the right check letter.
    pub(crate) const CODICE_FISCALE: f32 = 0.9;

    /// [ABN] an ABN in 2-3-3-3 groups passing the mod-89 check, without a cue.
    pub(crate) const ABN_GROUPED: f32 = 0.7;

    /// [VAT] a country-prefixed VAT number whose checksum was verified, without a cue.
    pub(crate) const VAT: f32 = 0.75;
}

/// Scores of `ip` findings.
pub(super) mod ip {
    // Scores of findings (all `ip`; the kind in brackets).

    /// [IPV4] a dotted quad with octets in range, outside a longer dotted run.
    pub(crate) const VALID_IPV4: f32 = 0.9;

    /// [IPV6] an address that [`Ipv6Addr`] parses.
    pub(crate) const VALID_IPV6: f32 = 0.9;
}

/// Scores of `phone` findings.
pub(super) mod phone {
    // Scores of findings (all `phone`).

    /// A number written with its country code ('+' or "00") that libphonenumber finds valid, after a
    /// phone word ("call me on +44 20 7946 0958").
    pub(crate) const INTERNATIONAL_CUED: f32 = 0.95;

    /// A valid number written with its country code, without a phone word ("+91 98765 43210").
    pub(crate) const INTERNATIONAL: f32 = 0.9;

    /// A number written with its country code whose last digits are masked ("+91 98345XXXX"):
    /// what is left still narrows the person down to a few thousand numbers.
    pub(crate) const INTERNATIONAL_MASKED: f32 = 0.7;

    /// A number written with its country code that is not valid, with a phone word before or after it.
    pub(crate) const INTERNATIONAL_INVALID_CUED: f32 = 0.6;

    /// A valid national number in groups, after a phone word ("call 208-555-0147").
    pub(crate) const NATIONAL_FORMATTED_CUED: f32 = 0.95;

    /// A valid national number in groups ("020 7946 0958").
    pub(crate) const NATIONAL_FORMATTED: f32 = 0.85;

    /// A valid national number in one run, after a phone word ("mobile 9876543210").
    pub(crate) const NATIONAL_CUED: f32 = 0.85;

    /// A valid national number in one run without a phone word ("9876543210").
    pub(crate) const NATIONAL_BARE: f32 = 0.65;

    /// A well-formed national number of a default region that is not valid, after a phone word
    /// (fictional 555 numbers).
    pub(crate) const CUED_POSSIBLE_SHAPE: f32 = 0.6;

    /// Canonical North American formatting in any range ("(208) 555-0147").
    pub(crate) const NANP_FORMATTED: f32 = 0.5;

    /// A phone-shaped number of another numbering plan right after a strong phone word ("phone:") or
    /// right before one ("(fax)").
    pub(crate) const STRONG_CUED_SHAPE: f32 = 0.5;

    /// A local number without area code right after a strong phone word ("call me on 450 0840").
    pub(crate) const CUED_LOCAL: f32 = 0.5;

    /// A national number valid in a region outside the defaults (Australia, Germany, France, ...),
    /// with a phone word ("call me on 0412 345 678").
    pub(crate) const EXTRA_REGION_CUED: f32 = 0.85;

    /// A national number valid in a region outside the defaults and grouped exactly as that region
    /// writes it ("06 12 34 56 78", "(11) 91234-5678").
    pub(crate) const EXTRA_REGION_LAID_OUT: f32 = 0.7;
}

/// Scores of `phone` findings spelled out or spaced out (the `spelled` module).
pub(super) mod spelled {
    // Scores of findings (all `phone`).

    /// A valid number in digit words or spaced digits with a phone word next to it ("my number is
    /// nine eight seven ...").
    pub(crate) const SPELLED_CUED: f32 = 0.85;

    /// A valid number with digit words, without a phone word ("nine eight seven six ...").
    pub(crate) const SPELLED: f32 = 0.7;

    /// A valid number in single spaced digits, without a phone word ("9 8 7 6 5 4 3 2 1 0").
    pub(crate) const SPACED_DIGITS: f32 = 0.6;
}

/// Scores of `date` findings.
pub(super) mod date {
    // Scores of findings (all `date`).

    /// A numeric date with a four-digit year ("12/03/1994", "1994-03-12").
    pub(crate) const NUMERIC_FULL_YEAR: f32 = 0.85;

    /// A numeric date with a two-digit year ("12/03/94").
    pub(crate) const NUMERIC_SHORT_YEAR: f32 = 0.75;

    /// A short "2/14" after a date word ("born on 2/14").
    pub(crate) const CUED_SHORT: f32 = 0.6;

    /// A written date with a year ("March 3rd, 1994", "3 de marzo de 1994").
    pub(crate) const WRITTEN_WITH_YEAR: f32 = 0.85;

    /// A written date without a year ("March 3rd", "3rd of March").
    pub(crate) const WRITTEN_WITHOUT_YEAR: f32 = 0.7;

    /// A month name and a year ("March 1994", "marzo de 1994").
    pub(crate) const MONTH_YEAR: f32 = 0.6;

    /// A bare year after a birth or class word ("born in 1994", "class of 2012").
    pub(crate) const BIRTH_YEAR: f32 = 0.7;
}

/// Scores of `date` findings that are ranges (the `date_range` module).
pub(super) mod date_range {
    // Scores of findings (all `date`).

    /// Two years on a résumé line ("Software Engineer, 2019-2021").
    pub(crate) const YEAR_RANGE_RESUME: f32 = 0.7;

    /// A year or month-year to an open end that only résumés use ("2019 - Present").
    pub(crate) const OPEN_RANGE: f32 = 0.75;

    /// A year to a weaker open end ("now", "date") on a résumé line.
    pub(crate) const OPEN_RANGE_CUED: f32 = 0.65;

    /// Two month-years ("Sept 2015 to May 2019", "03/2018 - 06/2020").
    pub(crate) const MONTH_RANGE: f32 = 0.8;

    /// Two days of a month without a year ("from 3 to 7 May").
    pub(crate) const DAY_RANGE: f32 = 0.7;

    /// Two days of a month with a year ("May 3-7, 2021").
    pub(crate) const DAY_RANGE_WITH_YEAR: f32 = 0.85;
}

/// Scores of `age` findings.
pub(super) mod age {
    // Scores of findings (all `age`).

    /// An age the phrase itself states ("34 years old", "34 yo", "tengo 34 años").
    pub(crate) const STATED_AGE: f32 = 0.85;

    /// An age after a cue whose follow-up was checked ("I'm 34", "aged 34", "my son is 7", "she's 7").
    pub(crate) const CUED_AGE: f32 = 0.75;

    /// A Reddit age/gender tag with a slash or in brackets ("M/34", "34/F", "(34M)").
    pub(crate) const TAGGED_AGE: f32 = 0.8;

    /// A bare glued Reddit tag ("34M"), uppercase and not before a quantity word.
    pub(crate) const GLUED_TAG_AGE: f32 = 0.6;
}

/// Scores of `address` findings.
pub(super) mod address {
    // Scores of findings (all `address`). Most anchors start from a base score that grows with each
    // address part the span extends over (see `grown`).

    /// US military mail: the ZIP after "APO AE", from the ship or unit line above.
    pub(crate) const MILITARY_MAIL: f32 = 0.9;

    /// A postal code right after its cue ("ZIP: 83702", "pin code 560038").
    pub(crate) const CUED_POSTAL_CODE: f32 = 0.6;

    /// A post-office box ("PO Box 104"), before any parts.
    pub(crate) const PO_BOX: f32 = 0.8;

    /// What each address part after a post-office box adds.
    pub(crate) const PO_BOX_PER_PART: f32 = 0.05;

    /// A unit cue and its number ("Apt 4B, ..."), before any parts (at least one must follow).
    pub(crate) const UNIT: f32 = 0.55;

    /// A house number and a street with capitalized names or a street suffix ("221 Maple Ave").
    pub(crate) const HOUSE_THEN_STREET_STRONG: f32 = 0.65;

    /// A house number and a street in lowercase ("221 maple ave").
    pub(crate) const HOUSE_THEN_STREET: f32 = 0.5;

    /// A street name and then the number ("Mellemvej 32", "Via Roma 10").
    pub(crate) const STREET_THEN_NUMBER: f32 = 0.6;

    /// What each address part adds to a unit or street anchor.
    pub(crate) const PER_PART: f32 = 0.08;

    /// A house number, capitalized names and a number without a street word ("5850 Jana Nerudy 894"),
    /// with a strong part after it.
    pub(crate) const NAMED_STREET: f32 = 0.5;

    /// The same without a strong part, right after an address cue ("lives at 5850 Jana Nerudy 894").
    pub(crate) const CUED_NAMED_STREET: f32 = 0.6;

    /// What each address part adds to a named street.
    pub(crate) const NAMED_PER_PART: f32 = 0.06;

    /// The highest score of a named street.
    pub(crate) const NAMED_MAX: f32 = 0.9;

    /// What merging two adjacent address spans adds to the higher score.
    pub(crate) const MERGE_BONUS: f32 = 0.05;

    /// The highest score of any other address.
    pub(crate) const MAX_SCORE: f32 = 0.95;

    /// A full UK or Canadian postcode on its own ("SW1A 1AA", "K1A 0B1").
    pub(crate) const UK_CA_POSTCODE: f32 = 0.7;

    /// A Dutch or Polish postcode and its town ("1012 AB Amsterdam", "00-950 Warszawa").
    pub(crate) const POSTCODE_TOWN: f32 = 0.7;

    /// A four- or five-digit postcode and its town after an address cue ("wohne in 10115 Berlin").
    pub(crate) const CUED_POSTCODE_TOWN: f32 = 0.7;
}
