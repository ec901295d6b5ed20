//! One pass over the whole text for the word cues of the text-driven families: obfuscated-email
//! triggers ("dot", "[at]", "gmail"), URL starts ("https://", "www.") and username cues ("insta",
//! "snap", "username"). Word cues match whole ASCII words only, case-insensitively.

use regex::Regex;

use super::util::compile;
use super::{email, username};
use crate::error::Result;

/// The cue scanner.
pub(crate) struct Cues {
    re: Regex,
}

/// Where the cues of one text are.
#[derive(Default, Debug)]
pub(crate) struct CueHits {
    /// Obfuscated-email triggers: `(start, end)`.
    pub email: Vec<(usize, usize)>,
    /// URL starts: `(start, end)` of "http://", "https://", "www." or a database connection
    /// string's scheme ("mongodb+srv://", "postgres://", "redis://", ...).
    pub url: Vec<(usize, usize)>,
    /// Username cue words: `(start, end, weak)`.
    pub user: Vec<(usize, usize, bool)>,
}

impl Cues {
    pub(crate) fn new() -> Result<Cues> {
        let mut words: Vec<&str> = email::TRIGGER_WORDS
            .iter()
            .chain(username::CUES)
            .chain(username::WEAK_CUES)
            .copied()
            .collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let words: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        let symbols: Vec<String> = email::TRIGGER_SYMBOLS
            .iter()
            .map(|w| regex::escape(w))
            .collect();
        let pat = format!(
            r"(?i-u)(?-u:\b)(?:{})(?-u:\b)|{}|(?-u:\b)(?:https?://|www\.|(?:mongodb(?:\+srv)?|postgres(?:ql)?|mysql|rediss?|amqps?)://)",
            words.join("|"),
            symbols.join("|")
        );
        Ok(Cues {
            re: compile("cues", &pat)?,
        })
    }

    /// Scan `text` once.
    pub(crate) fn scan(&self, text: &str) -> CueHits {
        let mut hits = CueHits::default();
        for m in self.re.find_iter(text) {
            let w = m.as_str();
            let (s, e) = (m.start(), m.end());
            let lw = w.to_ascii_lowercase();
            if lw.ends_with("://") || lw == "www." {
                hits.url.push((s, e));
            } else if email::TRIGGER_WORDS.contains(&lw.as_str())
                || email::TRIGGER_SYMBOLS.contains(&lw.as_str())
            {
                hits.email.push((s, e));
            } else if username::CUES.contains(&lw.as_str()) {
                hits.user.push((s, e, false));
            } else if username::WEAK_CUES.contains(&lw.as_str()) {
                hits.user.push((s, e, true));
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_hits() {
        let c = Cues::new().unwrap();
        let t = "see https://x.io and WWW.y.com, mail jdoe [at] x dot com, my Insta: a_b, ig: c, big night";
        let h = c.scan(t);
        assert_eq!(h.url.len(), 2);
        assert_eq!(h.email.len(), 3, "{h:?}");
        assert_eq!(
            h.user,
            vec![
                (
                    t.find("Insta").unwrap(),
                    t.find("Insta").unwrap() + 5,
                    false
                ),
                (t.find("ig:").unwrap(), t.find("ig:").unwrap() + 2, true)
            ]
        );
        assert!(c.scan("that was a big disc of the night").user.is_empty());
    }
}
