//! Sensitive categories of a message (health, sex life, religion, ...), reported as tags.
//! (Temporary stand-in; the tagger is being written on its own branch.)

/// A sensitive category.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Health.
    Health,
    /// Sex life or orientation.
    SexLife,
    /// Religion.
    Religion,
    /// Politics.
    Politics,
    /// Ethnicity.
    Ethnicity,
    /// Union membership.
    UnionMembership,
    /// Children.
    Children,
    /// Self-harm.
    SelfHarm,
}

/// Tags messages with sensitive categories (stand-in).
#[derive(Debug, Default)]
pub struct SensitiveTagger;

impl SensitiveTagger {
    /// Build the tagger.
    pub fn new() -> crate::Result<Self> {
        Ok(SensitiveTagger)
    }
    /// Categories of `text`.
    pub fn tag(&self, _text: &str) -> Vec<Category> {
        Vec::new()
    }
}
