//! Replacement: turning findings into placeholders, surrogates, masks or keyed hashes.
//!
//! One [`Pseudonyms`] table is kept per conversation, so a value gets the same placeholder number
//! (and the same surrogate) in every message, and a person named in full once and by first name
//! later keeps one number.

mod key;
mod surrogate;

use std::collections::HashMap;

pub use key::Key;

use crate::label::Label;
use crate::policy::{Action, Policy};
use crate::span::{Finding, Span};

/// Letters and digits become `*`; punctuation and spaces stay.
pub fn mask(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { '*' } else { c })
        .collect()
}

/// The form under which two mentions count as the same value: case-folded and whitespace-collapsed
/// for words; digits only for phones, cards, IBANs and IDs; without a leading `@` for usernames.
pub fn normalize(label: Label, value: &str) -> String {
    match label {
        Label::Phone | Label::CreditCard | Label::Id => {
            let d: String = value.chars().filter(char::is_ascii_alphanumeric).collect();
            d.to_ascii_lowercase()
        }
        Label::Iban => value
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase(),
        Label::Username => value.trim_start_matches('@').to_lowercase(),
        _ => value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    }
}

/// Per-conversation numbering of values: one value, one number; one person, one number.
#[derive(Default)]
pub struct Pseudonyms {
    numbers: HashMap<(Label, String), usize>,
    counters: HashMap<Label, usize>,
    /// Known people: their name tokens and number, to match "Hailey" to "Hailey Mills".
    people: Vec<(Vec<String>, usize)>,
    /// Every person named in the conversation, by the longest form of their name (registered up
    /// front by [`Pseudonyms::register_person`]), so that surrogates agree: "Priya Sharma" and a
    /// later or earlier "Priya" get the same fake first name.
    full_names: Vec<Vec<String>>,
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pseudonyms")
            .field("values", &self.numbers.len())
            .finish_non_exhaustive()
    }
}

impl Pseudonyms {
    /// An empty table, for a new conversation.
    pub fn new() -> Pseudonyms {
        Pseudonyms::default()
    }

    /// The number of `normalized` (of kind `label`), assigning the next one if it is new.
    pub fn number(&mut self, label: Label, normalized: &str) -> usize {
        if let Some(&n) = self.numbers.get(&(label, normalized.to_string())) {
            return n;
        }
        let n = if label == Label::Person {
            self.person_number(normalized)
        } else {
            None
        };
        let n = n.unwrap_or_else(|| {
            let c = self.counters.entry(label).or_insert(0);
            *c += 1;
            *c
        });
        if label == Label::Person {
            let tokens = normalized.split(' ').map(str::to_string).collect();
            self.people.push((tokens, n));
        }
        self.numbers.insert((label, normalized.to_string()), n);
        n
    }

    /// Note a person's name (normalized) before any replacement, so that every mention of the
    /// person can be tied to the longest form of the name.
    pub fn register_person(&mut self, normalized: &str) {
        let tokens: Vec<String> = normalized.split(' ').map(str::to_string).collect();
        for known in &mut self.full_names {
            let sub = tokens.iter().all(|t| known.contains(t));
            let sup = known.iter().all(|k| tokens.contains(k));
            if sub {
                return;
            }
            if sup {
                *known = tokens;
                return;
            }
        }
        self.full_names.push(tokens);
    }

    /// The longest registered form of the person named `normalized` (itself when unregistered).
    pub fn full_name(&self, normalized: &str) -> String {
        let tokens: Vec<&str> = normalized.split(' ').collect();
        self.full_names
            .iter()
            .find(|known| tokens.iter().all(|t| known.iter().any(|k| k == t)))
            .map_or_else(|| normalized.to_string(), |known| known.join(" "))
    }

    /// A known person whose name tokens contain all of these tokens, or are contained in them.
    fn person_number(&self, normalized: &str) -> Option<usize> {
        let tokens: Vec<&str> = normalized.split(' ').collect();
        self.people
            .iter()
            .find(|(known, _)| {
                let sub = tokens.iter().all(|t| known.iter().any(|k| k == t));
                let sup = known.iter().all(|k| tokens.contains(&k.as_str()));
                sub || sup
            })
            .map(|(_, n)| *n)
    }
}

/// One replacement made in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Where, in UTF-8 bytes of the original text.
    pub span: Span,
    /// What kind of personal data.
    pub label: Label,
    /// What was done.
    pub action: Action,
    /// The text put in its place (`None` for [`Action::Keep`], so raw values never reach reports).
    pub replacement: Option<String>,
}

/// Applies a policy's actions to findings, under a key.
#[derive(Debug, Clone, Copy)]
pub struct Replacer<'a> {
    policy: &'a Policy,
    key: &'a Key,
}

impl<'a> Replacer<'a> {
    /// A replacer for this policy and key.
    pub fn new(policy: &'a Policy, key: &'a Key) -> Replacer<'a> {
        Replacer { policy, key }
    }

    /// The replacement for one value, or `None` when the action keeps it (or drops the record,
    /// which the caller decides before replacing).
    pub fn replace_value(
        &self,
        label: Label,
        original: &str,
        table: &mut Pseudonyms,
    ) -> Option<String> {
        let normalized = normalize(label, original);
        match self.policy.action(label) {
            Action::Keep | Action::Drop => None,
            Action::Placeholder => {
                Some(format!("[{}_{}]", label, table.number(label, &normalized)))
            }
            Action::Mask => Some(mask(original)),
            Action::Hash => {
                let d = self
                    .key
                    .mac(&[b"hash", label.as_str().as_bytes(), normalized.as_bytes()]);
                let hex = crate::hex::encode(d.get(..4).unwrap_or(&d));
                Some(format!("[{label}:{hex}]"))
            }
            Action::Surrogate if label == Label::Person => {
                let full = table.full_name(&normalized);
                Some(surrogate::person_surrogate(
                    self.key,
                    &full,
                    &normalized,
                    original,
                ))
            }
            Action::Surrogate => Some(surrogate::surrogate(self.key, label, &normalized, original)),
        }
    }

    /// Rewrite `text`, replacing each finding (findings must be sorted and non-overlapping, as
    /// [`crate::detect::resolve()`] returns them; others are skipped).
    pub fn apply(
        &self,
        text: &str,
        findings: &[Finding],
        table: &mut Pseudonyms,
    ) -> (String, Vec<Applied>) {
        let mut out = String::with_capacity(text.len());
        let mut applied = Vec::with_capacity(findings.len());
        let mut pos = 0usize;
        for f in findings {
            let (s, e) = (f.span.start(), f.span.end());
            let Some(original) = text.get(s..e) else {
                continue;
            };
            if s < pos {
                continue;
            }
            out.push_str(text.get(pos..s).unwrap_or(""));
            let action = self.policy.action(f.label);
            let replacement = self.replace_value(f.label, original, table);
            out.push_str(replacement.as_deref().unwrap_or(original));
            applied.push(Applied {
                span: f.span,
                label: f.label,
                action,
                replacement,
            });
            pos = e;
        }
        out.push_str(text.get(pos..).unwrap_or(""));
        (out, applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str, needle: &str, label: Label) -> Finding {
        let s = text.find(needle).unwrap();
        Finding::new(
            Span::new(text, s, s + needle.len()).unwrap(),
            label,
            0.9,
            "t",
        )
    }

    #[test]
    fn placeholders_number_people_consistently() {
        let policy = Policy::default_policy().unwrap();
        let key = Key::from_secret(b"k");
        let r = Replacer::new(&policy, &key);
        let mut table = Pseudonyms::new();
        let t1 = "I'm Hailey Mills, my friend is Omar";
        let (o1, _) = r.apply(
            t1,
            &[
                find(t1, "Hailey Mills", Label::Person),
                find(t1, "Omar", Label::Person),
            ],
            &mut table,
        );
        assert_eq!(o1, "I'm [PERSON_1], my friend is [PERSON_2]");
        let t2 = "thanks hailey! say hi to omar 😀";
        let (o2, applied) = r.apply(
            t2,
            &[
                find(t2, "hailey", Label::Person),
                find(t2, "omar", Label::Person),
            ],
            &mut table,
        );
        assert_eq!(o2, "thanks [PERSON_1]! say hi to [PERSON_2] 😀");
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn keep_reports_no_value_and_mask_keeps_shape() {
        let toml = crate::policy::DEFAULT_POLICY_TOML
            .replace("EMAIL = \"placeholder\"", "EMAIL = \"keep\"")
            .replace("PHONE = \"placeholder\"", "PHONE = \"mask\"")
            .replace("PERSON = \"placeholder\"", "PERSON = \"hash\"");
        let policy = Policy::from_toml(&toml).unwrap();
        let key = Key::from_secret(b"k");
        let r = Replacer::new(&policy, &key);
        let t = "Maya: maya@x.org, 208-555-0147";
        let (o, applied) = r.apply(
            t,
            &[
                find(t, "Maya", Label::Person),
                find(t, "maya@x.org", Label::Email),
                find(t, "208-555-0147", Label::Phone),
            ],
            &mut Pseudonyms::new(),
        );
        assert!(o.starts_with("[PERSON:"), "{o}");
        assert!(o.contains("maya@x.org"));
        assert!(o.ends_with("***-***-****"));
        assert_eq!(applied[1].replacement, None);
    }

    #[test]
    fn surrogates_give_one_person_one_fake_identity() {
        let mut policy = Policy::default_policy().unwrap();
        policy
            .labels
            .by_label
            .insert(Label::Person, Action::Surrogate);
        let key = Key::from_secret(b"a test key of some length");
        let r = Replacer::new(&policy, &key);
        // The short form comes first: registration ties it to the full name all the same.
        let t = "Hailey here. I'm Hailey Mills. Mills is my surname.";
        let found = [
            find(t, "Hailey", Label::Person),
            find(&t[12..], "Hailey Mills", Label::Person),
            find(&t[30..], "Mills", Label::Person),
        ];
        let found: Vec<Finding> = found
            .iter()
            .zip([0, 12, 30])
            .map(|(f, off)| {
                let span = Span::new(t, f.span.start() + off, f.span.end() + off).unwrap();
                Finding::new(span, Label::Person, 0.9, "test")
            })
            .collect();
        let mut table = Pseudonyms::new();
        for f in &found {
            table.register_person(&normalize(Label::Person, f.span.slice(t).unwrap()));
        }
        let (out, applied) = r.apply(t, &found, &mut table);
        let fakes: Vec<String> = applied
            .iter()
            .map(|a| a.replacement.clone().unwrap())
            .collect();
        let full: Vec<&str> = fakes[1].split(' ').collect();
        assert_eq!(full.len(), 2, "{out}");
        assert_eq!(fakes[0], full[0], "{out}");
        assert_eq!(fakes[2], full[1], "{out}");
        assert!(!out.contains("Hailey") && !out.contains("Mills"), "{out}");
    }
}
