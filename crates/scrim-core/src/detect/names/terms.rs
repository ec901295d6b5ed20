//! Whether a word no list knows is built like a term rather than a name: a hyphenated compound
//! with an ordinary word after the hyphen ("Real-time", "X-ray", "Country-specific"), a word with
//! a suffix of technical or abstract English ("Colposcopy", "Neurologic", "Steatohepatitis"), a
//! gerund or plural of a known word ("Hashing", "Namespaces", "Blockchains").
//!
//! Only the rules for unknown words ask this: a known given name or surname is never cleared by
//! its shape ("Clement", "Browning", "Banks" stay names where the name rules say so).

use crate::lexicon::Lexicon;

/// Endings of technical, medical and abstract English words, rare on personal names that are not
/// in the name lists (measured on the lists: under 0.2% of the known surnames end so).
const TERM_SUFFIXES: &[&str] = &[
    "ation", "ition", "ization", "isation", "ment", "ments", "ness", "ity", "ities", "ism", "isms",
    "ology", "ologies", "ological", "ologic", "ography", "scopy", "otomy", "ectomy", "osis",
    "emia", "aemia", "algia", "plasty", "ogenic", "geal", "ular", "ious", "eous", "able", "ible",
    "ative", "ized", "ised", "izing", "ising", "cyte", "cytes", "lysis", "pathy",
];

/// The shortest word (in bytes) judged by its suffix.
const MIN_SUFFIXED: usize = 7;

/// Whether `raw` (as written; `lower` is its lowercase form) is built like a term, not a name.
pub(super) fn term_shaped(raw: &str, lower: &str, lexicon: &Lexicon) -> bool {
    if lower.contains('-') {
        return hyphen_term(raw, lexicon);
    }
    let n = lower.len();
    if n >= MIN_SUFFIXED && TERM_SUFFIXES.iter().any(|s| lower.ends_with(s)) {
        return true;
    }
    // The medical -itis, but not the -aitis and -ytis of Lithuanian surnames ("Adomaitis").
    if n >= MIN_SUFFIXED
        && lower.ends_with("itis")
        && !(lower.ends_with("aitis") || lower.ends_with("ytis"))
    {
        return true;
    }
    if let Some(stem) = lower.strip_suffix("ing").filter(|s| s.len() >= 3) {
        if ordinary(stem, lexicon) || ordinary(&format!("{stem}e"), lexicon) {
            return true;
        }
    }
    if let Some(stem) = lower.strip_suffix('s').filter(|s| s.len() >= 4) {
        if ordinary(stem, lexicon) || stem.strip_suffix('e').is_some_and(|s| ordinary(s, lexicon)) {
            return true;
        }
    }
    false
}

/// A hyphenated word whose part after a hyphen is written in lowercase and is an ordinary word
/// ("Real-time", "High-quality", "X-ray") or one of English's most frequent words ("Ship-to",
/// "Sign-in", "Built-in"); "Jean-Pierre" and "Han-Seo" are not.
fn hyphen_term(raw: &str, lexicon: &Lexicon) -> bool {
    raw.split('-').skip(1).any(|part| {
        let lower = part.to_lowercase();
        part.chars().next().is_some_and(char::is_lowercase)
            && ((part.len() >= 3 && ordinary(&lower, lexicon))
                || lexicon.word(&lower).common_zipf >= FREQUENT_PART)
    })
}

/// Zipf frequency from which a short part after a hyphen is an English word ("to", "in", "up").
const FREQUENT_PART: f32 = 6.0;

/// A common English word that is no known name ("blockchain"), a dictionary word ("ray"), or a
/// programming word ("namespace").
fn ordinary(lower: &str, lexicon: &Lexicon) -> bool {
    let info = lexicon.word(lower);
    let name = info.first_name > 0 || info.surname > 0;
    (info.common_zipf >= 3.0 && (info.dictionary || !name)) || info.code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::builtin().unwrap()
    }

    #[test]
    fn terms_by_shape() {
        let lexicon = lexicon();
        for word in [
            "Real-time",
            "High-quality",
            "Country-specific",
            "X-ray",
            "Ship-to",
            "Sign-in",
            "Colposcopy",
            "Neurologic",
            "Steatohepatitis",
            "Oropharyngeal",
            "Hashing",
            "Namespaces",
            "Blockchains",
        ] {
            let lower = word.to_lowercase();
            assert!(term_shaped(word, &lower, &lexicon), "{word}");
        }
    }

    #[test]
    fn names_are_not_terms() {
        let lexicon = lexicon();
        for word in [
            "Jean-Pierre",
            "Aslahi-Shahri",
            "La-orlao",
            "Smoczek",
            "Trisuwannawat",
            "Adomaitis",
            "Xiaoming",
            "Kuroshio",
            "Giroud",
            "Annaelle",
        ] {
            let lower = word.to_lowercase();
            assert!(!term_shaped(word, &lower, &lexicon), "{word}");
        }
    }
}
