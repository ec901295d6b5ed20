//! Pattern detectors with validators: secrets, emails, phones, cards, IBANs, national IDs, IPs,
//! URLs, handles, dates, ages and street addresses.
//!
//! [`Patterns`] runs every enabled family over a text. Each finding's `detector` names its family
//! (`"email"`, `"phone"`, ...; see [`Family::name`]). The families are cheap on text without
//! personal data: most of them only look inside *digit windows* (the neighbourhood of ASCII
//! digits, found with one byte scan), emails and handles only run where an `@` or a cue word
//! occurs, URLs where a `/` or `www.` occurs, secrets where a provider prefix or key word occurs
//! (one Aho-Corasick scan) or a long random-looking value follows an `=` or `:`.
//!
//! ```
//! use scrim_core::detect::patterns::Patterns;
//! use scrim_core::{Detector, Label};
//!
//! let p = Patterns::new().unwrap();
//! let text = "call me on 208-555-0147 or mail priya dot sharma at gmail dot com";
//! let mut out = Vec::new();
//! p.detect(text, &mut out).unwrap();
//! assert!(out.iter().any(|f| f.label == Label::Phone));
//! assert!(out.iter().any(|f| f.label == Label::Email));
//! ```

mod accounts;
mod address;
mod age;
mod card;
mod cues;
mod date;
mod date_range;
mod device;
mod email;
mod iban;
mod ids;
mod ip;
mod national;
mod phone;
mod postcode;
mod public_link;
mod secret;
mod spelled;
mod url;
mod username;
mod util;

pub(crate) use email::no_ones as no_ones_email;
pub(crate) use url::{carries_person, reports as url_reported};
pub(crate) use util::md_escape_len;
mod words;

/// Every family's scores, one module a family.
mod score;

#[cfg(test)]
mod tests;

use std::fmt;

use crate::detect::Detector;
use crate::error::Result;
use crate::label::Label;
use crate::span::Finding;

/// One family of pattern detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Email addresses, also obfuscated ("jdoe at gmail dot com").
    Email,
    /// Phone numbers, validated with libphonenumber metadata.
    Phone,
    /// Payment card numbers (IIN prefix and Luhn).
    CreditCard,
    /// IBANs (country length and mod-97).
    Iban,
    /// National and cue-introduced identifiers (SSN, Aadhaar, PAN, passport, ...).
    Id,
    /// IPv4 and IPv6 addresses.
    Ip,
    /// Links: `http(s)://`, `www.`, social profile paths.
    Url,
    /// `@handles`, `u/name`, handles after cue phrases.
    Username,
    /// Personal dates (numeric, written, birth years).
    Date,
    /// A person's age.
    Age,
    /// Street addresses.
    Address,
    /// Credentials: API keys and tokens, JWTs, private keys, passwords.
    Secret,
}

impl Family {
    /// Every family, in the order they run.
    pub const ALL: [Family; 12] = [
        Family::Secret,
        Family::Email,
        Family::Url,
        Family::Username,
        Family::CreditCard,
        Family::Iban,
        Family::Id,
        Family::Ip,
        Family::Phone,
        Family::Date,
        Family::Age,
        Family::Address,
    ];

    /// The family's name, as written in each finding's `detector` field.
    pub const fn name(self) -> &'static str {
        match self {
            Family::Email => "email",
            Family::Phone => "phone",
            Family::CreditCard => "credit_card",
            Family::Iban => "iban",
            Family::Id => "id",
            Family::Ip => "ip",
            Family::Url => "url",
            Family::Username => "username",
            Family::Date => "date",
            Family::Age => "age",
            Family::Address => "address",
            Family::Secret => "secret",
        }
    }

    /// The label of the family's findings.
    pub const fn label(self) -> Label {
        match self {
            Family::Email => Label::Email,
            Family::Phone => Label::Phone,
            Family::CreditCard => Label::CreditCard,
            Family::Iban => Label::Iban,
            Family::Id => Label::Id,
            Family::Ip => Label::Ip,
            Family::Url => Label::Url,
            Family::Username => Label::Username,
            Family::Date => Label::Date,
            Family::Age => Label::Age,
            Family::Address => Label::Address,
            Family::Secret => Label::Secret,
        }
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Configuration for [`Patterns`]: default phone regions and which families run.
///
/// ```
/// use scrim_core::detect::patterns::{Family, Patterns, PatternsConfig};
///
/// let cfg = PatternsConfig::default()
///     .phone_regions(["IN", "US"])
///     .disable(Family::Age);
/// let p = Patterns::with_config(cfg).unwrap();
/// assert!(!p.config().is_enabled(Family::Age));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternsConfig {
    regions: Vec<String>,
    enabled: u16,
}

impl Default for PatternsConfig {
    /// Phone regions US, IN, GB; every family enabled.
    fn default() -> Self {
        PatternsConfig {
            regions: vec!["US".into(), "IN".into(), "GB".into()],
            enabled: Family::ALL.iter().fold(0, |a, f| a | f.bit()),
        }
    }
}

impl PatternsConfig {
    /// Set the regions (ISO 3166 alpha-2, e.g. `"US"`, `"IN"`) tried, in order, for phone numbers
    /// written without a `+` country code. Unknown codes make [`Patterns::with_config`] fail.
    pub fn phone_regions<I, S>(mut self, regions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.regions = regions.into_iter().map(Into::into).collect();
        self
    }

    /// Enable one family.
    pub fn enable(mut self, family: Family) -> Self {
        self.enabled |= family.bit();
        self
    }

    /// Disable one family.
    pub fn disable(mut self, family: Family) -> Self {
        self.enabled &= !family.bit();
        self
    }

    /// Enable exactly these families.
    pub fn only<I: IntoIterator<Item = Family>>(mut self, families: I) -> Self {
        self.enabled = families.into_iter().fold(0, |a, f| a | f.bit());
        self
    }

    /// Whether a family runs.
    pub fn is_enabled(&self, family: Family) -> bool {
        self.enabled & family.bit() != 0
    }

    /// The configured default phone regions.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }
}

/// The pattern detector: every enabled [`Family`], with its regexes compiled once.
///
/// Implements [`Detector`] with the name `"patterns"`. Findings never carry text, and the
/// detector's `Debug` output shows only its configuration.
pub struct Patterns {
    config: PatternsConfig,
    gate: util::Gate,
    cues: cues::Cues,
    email: email::Email,
    phone: phone::Phone,
    card: card::Card,
    iban: iban::Iban,
    ids: ids::Ids,
    device: device::Device,
    national: national::National,
    ip: ip::Ip,
    url: url::Url,
    username: username::Username,
    accounts: accounts::Accounts,
    date: date::Date,
    age: age::Age,
    address: address::Address,
    postcode: postcode::Postcode,
    secret: secret::Secret,
}

impl fmt::Debug for Patterns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Patterns")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// How far (bytes) digit windows reach around digits: enough for the cue phrases before a number
/// ("my passport number is") and the words after it ("years old", "Maple Ave").
const WINDOW_MARGIN: usize = 64;

impl Patterns {
    /// All families with the default configuration (phone regions US, IN, GB).
    pub fn new() -> Result<Patterns> {
        Patterns::with_config(PatternsConfig::default())
    }

    /// The families and regions of `config`.
    ///
    /// Fails with [`crate::Error::Pattern`] if a built-in pattern does not compile, or
    /// [`crate::Error::Policy`] for an unknown phone region.
    pub fn with_config(config: PatternsConfig) -> Result<Patterns> {
        let mut g = util::GateBuilder::default();
        let phone = phone::Phone::new(&config.regions, &mut g)?;
        let card = card::Card::new(&mut g)?;
        let iban = iban::Iban::new(&mut g)?;
        let ids = ids::Ids::new(&mut g)?;
        let device = device::Device::new(&mut g)?;
        let national = national::National::new(&mut g)?;
        let ip = ip::Ip::new(&mut g)?;
        let date = date::Date::new(&mut g)?;
        let age = age::Age::new(&mut g)?;
        let address = address::Address::new(&mut g)?;
        let postcode = postcode::Postcode::new(&mut g)?;
        Ok(Patterns {
            gate: g.build()?,
            cues: cues::Cues::new()?,
            email: email::Email::new()?,
            phone,
            card,
            iban,
            ids,
            device,
            national,
            ip,
            url: url::Url::new(),
            username: username::Username::new()?,
            accounts: accounts::Accounts::new()?,
            date,
            age,
            address,
            postcode,
            secret: secret::Secret::new()?,
            config,
        })
    }

    /// The configuration this detector was built with.
    pub fn config(&self) -> &PatternsConfig {
        &self.config
    }

    fn on(&self, f: Family) -> bool {
        self.config.is_enabled(f)
    }

    /// Run the digit-window families, in order; `out[from..]` holds this run's findings so far.
    fn detect_in_windows(
        &self,
        text: &str,
        windows: &[util::Win],
        out: &mut Vec<Finding>,
        from: usize,
    ) {
        if self.on(Family::CreditCard) {
            self.card.find(text, windows, out);
        }
        if self.on(Family::Iban) {
            self.iban.find(text, windows, out);
        }
        if self.on(Family::Id) {
            self.ids.find(text, windows, out);
            self.device.find(text, windows, out);
            self.national.find(text, windows, out);
        }
        if self.on(Family::Ip) {
            self.ip.find(text, windows, out);
        }
        if self.on(Family::Phone) {
            let blocked = validated_spans(out.get(from..).unwrap_or(&[]));
            self.phone.find(text, windows, &blocked, out);
        }
        if self.on(Family::Date) {
            self.date.find(text, windows, out);
        }
        if self.on(Family::Age) {
            self.age.find(text, windows, out);
        }
        if self.on(Family::Address) {
            self.address.find(text, windows, out);
            self.postcode.find(text, windows, out);
        }
    }
}

impl Detector for Patterns {
    fn name(&self) -> &'static str {
        "patterns"
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> crate::error::Result<()> {
        let from = out.len();
        if self.on(Family::Secret) {
            self.secret.find(text, out);
        }
        let hits = self.cues.scan(text);
        if self.on(Family::Email) {
            self.email.find(text, &hits.email, out);
        }
        if self.on(Family::Url) {
            self.url.find(text, &hits.url, out);
        }
        if self.on(Family::Username) {
            self.username.find(text, &hits.user, out);
            self.accounts.find(text, out);
        }
        let windows = self.gate.windows(text, WINDOW_MARGIN);
        if !windows.is_empty() {
            self.detect_in_windows(text, &windows, out, from);
        }
        if self.on(Family::Phone) {
            spelled::find(text, &self.phone, out);
        }
        resolve_internal(text, out, from);
        Ok(())
    }
}

/// The spans of the validated structured numbers among `found` (cards, IBANs, IDs, IPs), which
/// phone candidates must not overlap.
fn validated_spans(found: &[Finding]) -> Vec<(usize, usize)> {
    found
        .iter()
        .filter(|f| {
            matches!(
                f.label,
                Label::CreditCard | Label::Iban | Label::Id | Label::Ip
            )
        })
        .map(|f| (f.span.start(), f.span.end()))
        .collect()
}

/// Tidy this detector's own findings (`out[from..]`): drop findings inside another of the same
/// label; drop structured-number findings that a stronger validated family explains (a phone
/// inside a card, IBAN, IP, date or ID; a username inside an email, URL or ID ("fb:9a" in a MAC); an ID, date or age
/// inside a card or IBAN; anything but a URL overlapping a secret, a URL inside one). A URL holding
/// a password restarts after it ([`secret::trim_urls`]). Overlaps across other labels are left to
/// the resolver.
fn resolve_internal(text: &str, out: &mut Vec<Finding>, from: usize) {
    util::drop_contained(out, from);
    secret::trim_urls(text, out, from);
    let Some(tail) = out.get(from..) else { return };
    if tail.len() < 2 {
        return;
    }
    let beats = |strong: Label, weak: Label| -> bool {
        use Label::*;
        matches!(
            (strong, weak),
            (CreditCard | Iban | Ip | Id | Date, Phone)
                | (Email | Url | Id, Username)
                | (CreditCard | Iban, Id | Date | Age | Address)
                | (Ip, Date)
                | (Url, Email)
                | (
                    Secret,
                    Email
                        | Phone
                        | CreditCard
                        | Iban
                        | Id
                        | Ip
                        | Username
                        | Date
                        | Age
                        | Address
                        | Url
                )
        )
    };
    // Strong findings sorted by start; spans are short (URLs are capped near 2 KB), so looking
    // back 4 KB from a weak finding's end finds every overlap.
    let mut strong: Vec<&Finding> = tail.iter().collect();
    strong.sort_by_key(|f| f.span.start());
    let mut keep = vec![true; tail.len()];
    for (i, weak) in tail.iter().enumerate() {
        let upto = strong.partition_point(|f| f.span.start() < weak.span.end());
        let lo = weak.span.start().saturating_sub(4096);
        let hit = strong
            .get(..upto)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take_while(|f| f.span.start() >= lo)
            .any(|f| {
                f.span.overlaps(&weak.span)
                    && beats(f.label, weak.label)
                    && (!matches!(
                        (f.label, weak.label),
                        (Label::Url, Label::Email) | (Label::Secret, Label::Url)
                    ) || f.span.contains(&weak.span))
            });
        if hit {
            if let Some(k) = keep.get_mut(i) {
                *k = false;
            }
        }
    }
    let mut idx = 0;
    out.retain(|_| {
        let k = idx < from || keep.get(idx - from).copied().unwrap_or(true);
        idx += 1;
        k
    });
}
