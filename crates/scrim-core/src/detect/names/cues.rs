//! Phase 1, cues: a word right after a cue phrase is decided outright.

use super::lists::{CuesEndingIn, GREETINGS, RELATIONS, TITLES};
use super::predicates::{
    acronym, capitalised, function_word, is_first, name_after_cue, never_name, wordy,
};
use super::scan::{Scan, NAME_WORDS};
use super::score::{
    CUED_NAME, CUED_ORG, GREETED_NAME, RELATION_GIVEN_NAME, RELATION_NAME, TITLED_NAME,
    TITLE_IDIOM_MAX_NAME, TITLE_IDIOM_ZIPF,
};
use super::words::{Case, Word};
use crate::label::Label;
use crate::rule::NameRule;

/// Honorifics written after a name.
const HONORIFICS_AFTER: &[&str] = &["ji", "jee", "sahab", "saheb", "sahib"];

/// The most words an employer or school after a cue spans ("Royal Bank of Canada").
const ORG_WORDS: usize = 5;

impl Scan<'_> {
    /// Phase 1: after every word that ends a cue, try the person cues, then relations, titles,
    /// greetings and employer cues, in that order; the first that fits claims the words.
    pub(super) fn cues(&mut self) {
        for i in 0..self.words.len() {
            self.cues_before(i);
            if !self.is_claimed(i) {
                self.honorific_after(i);
            }
        }
    }

    /// Honorifics that follow a name: Hindi and Urdu "ji", "sahab" ("Namaste Kavita ji", "Kya
    /// Sarla ji ..."): the capitalised word before one is a person.
    fn honorific_after(&mut self, i: usize) {
        let (Some(w), Some(h)) = (self.word(i), self.word(i + 1)) else {
            return;
        };
        if HONORIFICS_AFTER.contains(&h.lower.as_ref())
            && h.case != Case::Upper
            && !h.gap_before
            && w.case == Case::Title
            && !wordy(w)
            && !function_word(w)
            && !never_name(w)
        {
            self.add(i, i + 1, Label::Person, TITLED_NAME, NameRule::Title);
        }
    }

    /// The cue rules for word `i`.
    fn cues_before(&mut self, i: usize) {
        let Some(w) = self.word(i) else { return };
        let Some(prev) = i.checked_sub(1).and_then(|k| self.word(k)) else {
            return;
        };
        if !prev.cue_end {
            return;
        }
        let cues = self.cues;
        let ending = cues.get(prev.lower.as_ref());
        self.person_cue(i, w, ending);
        if self.is_claimed(i) {
            return;
        }
        if self.relation(i, prev, w) || self.title(i, prev, w) || self.greeting(i, prev, w) {
            return;
        }
        self.org_cue(i, w, ending);
    }

    /// "my name is Maya", "call me Maya", "I'm Maya".
    fn person_cue(&mut self, i: usize, w: &Word, ending: Option<&CuesEndingIn>) {
        for cue in ending.map_or(&[][..], |e| &e.person[..]) {
            if self.cue_before(i, cue)
                && name_after_cue(w, self.raw(w), strict_cue(cue))
                && !self.is_claimed(i)
            {
                let end = self.extend_name(i, NAME_WORDS);
                self.add(i, end, Label::Person, CUED_NAME, NameRule::Cue);
            }
        }
    }

    /// Relations: "my daughter Maya", "my boss, Omar". `rel` is the word before `w`.
    fn relation(&mut self, i: usize, rel: &Word, w: &Word) -> bool {
        let Some(my) = i.checked_sub(2).and_then(|k| self.word(k)) else {
            return false;
        };
        if matches!(
            my.lower.as_ref(),
            "my" | "our" | "his" | "her" | "mera" | "meri" | "mi"
        ) && RELATIONS.contains(&rel.lower.as_ref())
            && (capitalised(w)
                && !never_name(w)
                && (!wordy(w) || w.info.first_name >= RELATION_GIVEN_NAME)
                || is_first(w) && !wordy(w))
        {
            let end = self.extend_name(i, NAME_WORDS);
            self.add(i, end, Label::Person, RELATION_NAME, NameRule::Relation);
            return true;
        }
        false
    }

    /// Titles: "Dr. Mehta". `t` is the word before `w`.
    fn title(&mut self, i: usize, t: &Word, w: &Word) -> bool {
        // "Mr. Nice Guy": two frequent ordinary words after a title, the first a rare name at
        // most, make an idiom ("Mr. Trump", "Mrs. Brown White" stay names).
        let ordinary = |x: &Word| {
            wordy(x)
                && x.info.first_name.max(x.info.surname) < TITLE_IDIOM_MAX_NAME
                && x.info.common_zipf >= TITLE_IDIOM_ZIPF
        };
        let idiom = ordinary(w)
            && self
                .word(i + 1)
                .is_some_and(|n| !n.gap_before && capitalised(n) && wordy(n));
        // A title in capitals without its period is an abbreviation ("MS Office", "MBA & MS,
        // Social ..."), unless the line shouts ("DR. MEHTA" keeps its period).
        let bare_capitals =
            t.case == Case::Upper && !self.text().get(t.end..).is_some_and(|r| r.starts_with('.'));
        let titled = TITLES.contains(&t.lower.as_ref())
            && capitalised(t)
            && capitalised(w)
            && !bare_capitals;
        if titled && idiom {
            // The idiom's capitalised words are no names either ("Guy" in "Mr. Nice Guy").
            let end = self.extend_name(i, NAME_WORDS);
            self.claim(i, end);
            return true;
        }
        if titled && !never_name(w) {
            let end = self.extend_name(i, NAME_WORDS);
            self.add(i, end, Label::Person, TITLED_NAME, NameRule::Title);
            return true;
        }
        false
    }

    /// Greetings: "hi Maya", "thanks, priya", with nothing after the name. `g` is the word before
    /// `w`.
    fn greeting(&mut self, i: usize, g: &Word, w: &Word) -> bool {
        let next_is_break = self.word(i + 1).is_none_or(|x| x.gap_before);
        if GREETINGS.contains(&g.lower.as_ref())
            && next_is_break
            && (is_first(w) && !wordy(w) || capitalised(w) && !wordy(w))
            && !never_name(w)
            && !acronym(w)
        {
            self.add(i, i + 1, Label::Person, GREETED_NAME, NameRule::Greeting);
            return true;
        }
        false
    }

    /// Employers and schools: "I work at Lakeside Clinic".
    fn org_cue(&mut self, i: usize, w: &Word, ending: Option<&CuesEndingIn>) {
        for cue in ending.map_or(&[][..], |e| &e.org[..]) {
            if self.cue_before(i, cue) && capitalised(w) && !never_name(w) {
                let end = self.org_end(i);
                self.add(i, end, Label::Org, CUED_ORG, NameRule::OrgCue);
                break;
            }
        }
    }

    /// The end (exclusive) of the employer or school starting at word `i`: capitalised words and
    /// joiners ("of", "and", "&"), not ending on a joiner.
    fn org_end(&self, i: usize) -> usize {
        let mut end = i + 1;
        while end < self.words.len() && end - i < ORG_WORDS {
            let Some(x) = self.word(end) else { break };
            let joiner = matches!(x.lower.as_ref(), "of" | "for" | "and" | "de" | "&");
            if x.gap_before || !(capitalised(x) || joiner) {
                break;
            }
            end += 1;
        }
        // Do not end on a joiner.
        while end > i + 1 && self.word(end - 1).is_some_and(|x| !capitalised(x)) {
            end -= 1;
        }
        end
    }
}

/// A weak person cue ("I'm X", "this is X", "called X"), after which X must look like a name.
fn strict_cue(cue: &[&str]) -> bool {
    matches!(
        cue.first(),
        Some(&"i") | Some(&"im") | Some(&"this") | Some(&"soy") | Some(&"ich")
    ) || *cue == ["called"]
        || *cue == ["named"]
}
