//! Pattern detectors with validators: emails, phones, cards, IBANs, national IDs, IPs, URLs, handles.

/// Pattern detectors (stand-in until the real ones land).
#[derive(Debug, Default)]
pub struct Patterns;

impl Patterns {
    /// Build.
    pub fn new() -> crate::Result<Patterns> {
        Ok(Patterns)
    }
}

impl crate::detect::Detector for Patterns {
    fn name(&self) -> &'static str {
        "patterns"
    }
    fn detect(&self, _text: &str, _out: &mut Vec<crate::span::Finding>) {}
}
