//! Word lists (stand-in until the generated lists land).

/// Kind of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// City.
    City,
    /// Region.
    Region,
    /// Region abbreviation.
    RegionAbbr,
    /// Country.
    Country,
    /// Continent.
    Continent,
}

/// What the lists know about a word.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WordInfo {
    /// First-name weight.
    pub first_name: u8,
    /// Surname weight.
    pub surname: u8,
    /// Place kind.
    pub place: Option<PlaceKind>,
    /// Place weight.
    pub place_weight: u8,
    /// Zipf frequency as an English word.
    pub common_zipf: f32,
}

/// The lists.
#[derive(Debug, Default)]
pub struct Lexicon;

impl Lexicon {
    /// Built-in lists.
    pub fn builtin() -> crate::Result<Lexicon> {
        Ok(Lexicon)
    }
    /// Look up a lowercase word.
    pub fn word(&self, _lower: &str) -> WordInfo {
        WordInfo::default()
    }
    /// Multi-word place.
    pub fn phrase_place(&self, _lower_phrase: &str) -> Option<PlaceKind> {
        None
    }
    /// Longest multi-word place.
    pub fn max_place_words(&self) -> usize {
        1
    }
    /// Street suffix.
    pub fn is_street_suffix(&self, _lower: &str) -> bool {
        false
    }
    /// Street prefix.
    pub fn is_street_prefix(&self, _lower: &str) -> bool {
        false
    }
}
