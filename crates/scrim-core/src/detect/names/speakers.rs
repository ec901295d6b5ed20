//! Phase 0, speakers: in a dialogue, script or chat transcript pasted into a message, the label
//! that opens each line ("TRUMP: So, uh...", "Maya: hi", a script's "RUBY" on a line of its own)
//! is a person. It takes at least two different speakers over at least three lines, so that a
//! lone "Note:" or a key-value block ("Name: ...", "Email: ...") is not read as dialogue; labels
//! that are ordinary words or generic roles ("User", "Customer", "Narrator", "Data") are never
//! speakers.

use super::predicates::{acronym, capitalised, is_name, never_name, unknown_word, wordy};
use super::scan::Scan;
use super::score::{COMMON_GIVEN_NAME, SPEAKER};
use super::words::Case;
use crate::label::Label;
use crate::rule::NameRule;

/// The most words in a speaker's label ("Dr. Chandra", "Mary Ann Lee").
const MAX_LABEL_WORDS: usize = 3;
/// Dialogue needs at least this many speaker lines ...
const MIN_LINES: usize = 3;
/// ... by at least this many different speakers.
const MIN_SPEAKERS: usize = 2;

/// Labels of dialogue lines that name a role, not a person.
const GENERIC_SPEAKERS: &[&str] = &[
    "user",
    "assistant",
    // Record markers that open lines like a speaker's label ("BEGIN:VCARD", "VERSION:3.0").
    "begin",
    "end",
    "version",
    "human",
    "ai",
    "bot",
    "chatbot",
    "chatgpt",
    "gpt",
    "system",
    "model",
    "q",
    "a",
    "question",
    "answer",
    "note",
    "example",
    "input",
    "output",
    "result",
    "response",
    "customer",
    "agent",
    "client",
    "interviewer",
    "interviewee",
    "narrator",
    "host",
    "guest",
    "speaker",
    "teacher",
    "student",
    "doctor",
    "patient",
    "therapist",
    "me",
    "you",
    "person",
    "man",
    "woman",
    "boy",
    "girl",
    "child",
    "kid",
    "mom",
    "dad",
    "mother",
    "father",
    "everyone",
    "all",
    "both",
    "int",
    "ext",
    "fade",
    "cut",
    "scene",
    "title",
    "chapter",
    "act",
    "subject",
    "summary",
    "step",
    "tip",
    "warning",
    "error",
    "info",
    "debug",
    "voice",
    "crowd",
    "audience",
    "reporter",
    "announcer",
    "caller",
    "operator",
    "support",
    "admin",
    "moderator",
    "player",
    "dm",
    "gm",
    "op",
    "pov",
    "later",
    "then",
    "now",
    "before",
    "after",
    "option",
    "solution",
];

impl Scan<'_> {
    /// Phase 0: find the speakers of a dialogue and claim them as persons.
    pub(super) fn speakers(&mut self) {
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < self.words.len() {
            match self.speaker_at(i) {
                Some(end) => {
                    lines.push((i, end));
                    i = end;
                }
                None => i += 1,
            }
        }
        if lines.len() < MIN_LINES {
            return;
        }
        let mut keys: Vec<String> = lines.iter().map(|&(a, b)| self.label_key(a, b)).collect();
        keys.sort();
        keys.dedup();
        if keys.len() < MIN_SPEAKERS {
            return;
        }
        for (a, b) in lines {
            if (a..b).all(|k| !self.is_claimed(k)) {
                self.add(a, b, Label::Person, SPEAKER, NameRule::Speaker);
            }
        }
    }

    /// The label's words in lowercase, joined by spaces.
    fn label_key(&self, a: usize, b: usize) -> String {
        (a..b)
            .filter_map(|k| self.word(k))
            .map(|w| w.lower.as_ref())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// If word `i` opens a speaker's line, the end (exclusive) of the speaker's label.
    fn speaker_at(&self, i: usize) -> Option<usize> {
        let text = self.text();
        let first = self.word(i)?;
        // First on its line, after markup at most: read back over the markup only, so that a
        // long line costs one step per word, not the whole line.
        let first_on_line = text
            .get(..first.start)?
            .chars()
            .rev()
            .find(|c| !matches!(c, ' ' | '\t' | '*' | '_' | '>' | '-' | '#'))
            .is_none_or(|c| c == '\n');
        if !first_on_line {
            return None;
        }
        let mut end = i + 1;
        while end < self.words.len() && end - i < MAX_LABEL_WORDS {
            let (prev, next) = (self.word(end - 1)?, self.word(end)?);
            let between = text.get(prev.end..next.start)?;
            if !(between == " " || between == ". ") || !capitalised(next) {
                break;
            }
            end += 1;
        }
        // Shrink the label until what follows it makes it a speaker's.
        while end > i {
            let last = self.word(end - 1)?;
            if self.ends_label(i, end, text.get(last.end..)?) {
                return self.speaker_words_ok(i, end).then_some(end);
            }
            end -= 1;
        }
        None
    }

    /// Whether `rest`, the text after words `i..end`, ends a speaker's label: a colon and the
    /// words spoken on the same line, or (a script's cue, in capitals) the end of the line with
    /// the words spoken on the next.
    fn ends_label(&self, i: usize, end: usize, rest: &str) -> bool {
        let rest = rest.trim_start_matches(['*', '_']);
        let rest = skip_parenthetical(rest.trim_start_matches(' '));
        if let Some(spoken) = rest.strip_prefix(':') {
            let spoken = spoken.trim_start_matches([' ', '\t', '*', '_']);
            return spoken.chars().next().is_some_and(|c| {
                c.is_alphabetic() || matches!(c, '(' | '"' | '“' | '\'' | '…' | '.')
            });
        }
        let all_caps = (i..end).all(|k| self.word(k).is_some_and(|w| w.case == Case::Upper));
        let Some(spoken) = rest
            .strip_prefix('\n')
            .or_else(|| rest.strip_prefix("\r\n"))
        else {
            return false;
        };
        let next_line = spoken.split('\n').next().unwrap_or("").trim();
        all_caps && !next_line.is_empty() && next_line.chars().any(char::is_lowercase)
    }

    /// Whether words `i..end` can name a speaker: capitalised, no acronym ("URL:") and no
    /// generic role, and holding a name.
    fn speaker_words_ok(&self, i: usize, end: usize) -> bool {
        let Some(words) = self.words.get(i..end) else {
            return false;
        };
        if words.iter().any(|w| {
            !capitalised(w) || never_name(w) || GENERIC_SPEAKERS.contains(&w.lower.as_ref())
        }) {
            return false;
        }
        if words.iter().any(|w| acronym(w) && !is_name(w)) {
            return false;
        }
        // Some word of the label is a name no dictionary has (or one in capitals, as scripts
        // write them: "RUBY"), a common given name, or a word no list knows ("Melissa", "Will",
        // "Korvin"); not "Pain Points" or "Reading".
        words.iter().any(|w| {
            (is_name(w) && (!wordy(w) || w.case == Case::Upper))
                || w.info.first_name >= COMMON_GIVEN_NAME
                || (!is_name(w) && unknown_word(w))
        })
    }
}

/// `rest` after a stage direction in brackets on the speaker's line ("(V.O.)", "(smirking)").
fn skip_parenthetical(rest: &str) -> &str {
    if let Some(inner) = rest.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            if !inner.get(..close).unwrap_or("").contains('\n') {
                return inner.get(close + 1..).unwrap_or("").trim_start_matches(' ');
            }
        }
    }
    rest
}
