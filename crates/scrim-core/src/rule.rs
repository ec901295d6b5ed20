//! Which rule produced a finding: the stable ids written in each finding's `detector` field.
//!
//! The ids are part of Scrim's output (explanations, evaluation reports, pipeline spans), so
//! [`Rule::as_str`] keeps them exactly as they were when they were plain strings.

use std::fmt;

use crate::detect::patterns::Family;

/// The rule behind a [`crate::Finding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A rule of the name tier (word lists and context): `names:...`.
    Name(NameRule),
    /// A pattern family; the id is the family's name (`"email"`, `"phone"`, ...).
    Pattern(Family),
    /// The learned tier: `"model"`.
    Model,
    /// The engine's spreading of a value found elsewhere in the conversation: `"consistency"`.
    Consistency,
    /// A value named by its key in structured data (`crate::keyed`): `"keyed"`.
    Keyed,
    /// Any other detector (one outside this crate, a test stand-in), by its own name.
    Other(&'static str),
}

/// The rules of the name tier, one per way a name, place or employer is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameRule {
    /// `names:cue`: the name after a person cue ("my name is X").
    Cue,
    /// `names:relation`: the name after a relation ("my daughter Maya").
    Relation,
    /// `names:title`: the name after a title ("Dr. Mehta").
    Title,
    /// `names:greeting`: a name after a greeting or sign-off ("hi Maya").
    Greeting,
    /// `names:speaker`: the speaker of a line of dialogue ("TRUMP: So, uh...").
    Speaker,
    /// `names:cited-author`: an author of a numbered reference entry ("[3] S.-K. Cho, ...").
    CitedAuthor,
    /// `names:org-cue`: the words after an employer or school cue ("I work at X").
    OrgCue,
    /// `names:landmark`: a named landmark ("Banff National Park", "Lake Louise").
    Landmark,
    /// `names:place-phrase`: a multi-word place ("New York").
    PlacePhrase,
    /// `names:place`: a capitalised known place ("Leeds").
    Place,
    /// `names:capitalised`: a capitalised run read as a person ("Tyler Boyd").
    Capitalised,
    /// `names:place-cue`: unknown capitalised words after a strong place cue.
    PlaceCue,
    /// `names:proper-noun`: an unknown capitalised word in mid-sentence.
    ProperNoun,
    /// `names:unknown-opening`: a single unknown capitalised word opening a sentence.
    UnknownOpening,
    /// `names:lowercase-first`: a clear given name in lowercase ("priya").
    LowercaseFirst,
    /// `names:lowercase-place`: a large place in lowercase ("amsterdam").
    LowercasePlace,
}

impl NameRule {
    /// The rule's id, as written in a finding's `detector` field.
    pub const fn as_str(self) -> &'static str {
        match self {
            NameRule::Cue => "names:cue",
            NameRule::Relation => "names:relation",
            NameRule::Title => "names:title",
            NameRule::Greeting => "names:greeting",
            NameRule::Speaker => "names:speaker",
            NameRule::CitedAuthor => "names:cited-author",
            NameRule::OrgCue => "names:org-cue",
            NameRule::Landmark => "names:landmark",
            NameRule::PlacePhrase => "names:place-phrase",
            NameRule::Place => "names:place",
            NameRule::Capitalised => "names:capitalised",
            NameRule::PlaceCue => "names:place-cue",
            NameRule::ProperNoun => "names:proper-noun",
            NameRule::UnknownOpening => "names:unknown-opening",
            NameRule::LowercaseFirst => "names:lowercase-first",
            NameRule::LowercasePlace => "names:lowercase-place",
        }
    }
}

impl Rule {
    /// The rule's id, as written in a finding's `detector` field (`"names:cue"`, `"email"`,
    /// `"model"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Name(r) => r.as_str(),
            Rule::Pattern(f) => f.name(),
            Rule::Model => "model",
            Rule::Consistency => "consistency",
            Rule::Keyed => "keyed",
            Rule::Other(name) => name,
        }
    }

    /// Whether the rule guesses from word lists and context rather than validating a pattern:
    /// the findings the learned tier may overrule.
    pub const fn is_word_list_guess(self) -> bool {
        matches!(self, Rule::Name(_))
    }
}

impl From<NameRule> for Rule {
    fn from(r: NameRule) -> Rule {
        Rule::Name(r)
    }
}

impl From<Family> for Rule {
    fn from(f: Family) -> Rule {
        Rule::Pattern(f)
    }
}

/// A detector named by a plain string is [`Rule::Other`]: the built-in tiers name their rules
/// with the other variants.
impl From<&'static str> for Rule {
    fn from(name: &'static str) -> Rule {
        Rule::Other(name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Rule {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Rule {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_old_strings() {
        assert_eq!(Rule::Name(NameRule::OrgCue).as_str(), "names:org-cue");
        assert_eq!(Rule::Pattern(Family::CreditCard).as_str(), "credit_card");
        assert_eq!(Rule::Model, "model");
        assert_eq!(Rule::Consistency.to_string(), "consistency");
        assert_eq!(Rule::from("test"), "test");
        assert!(Rule::Name(NameRule::Place).is_word_list_guess());
        assert!(!Rule::Pattern(Family::Email).is_word_list_guess());
        assert!(!Rule::Other("names:cue").is_word_list_guess());
    }
}
