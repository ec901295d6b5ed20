//! EMAIL: ordinary addresses around each `@`, and obfuscated ones ("priya dot sharma at gmail dot
//! com", "jdoe [at] yahoo [dot] com") whose domain must end in a plausible top-level domain.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use regex::Regex;

use super::util::{self, compile, Fam};
use super::words;
use crate::error::{Error, Result};
use crate::label::Label;
use crate::span::Finding;

const FAM: Fam = Fam {
    label: Label::Email,
    name: "email",
};

/// Webmail providers: with one of these, "jdoe at gmail.com" is an address without other context.
const PROVIDERS: &[&str] = &[
    "aol",
    "gmail",
    "gmx",
    "googlemail",
    "hey",
    "hotmail",
    "icloud",
    "live",
    "mail",
    "me",
    "msn",
    "outlook",
    "proton",
    "protonmail",
    "qq",
    "rediff",
    "rediffmail",
    "tutanota",
    "yahoo",
    "yandex",
    "ymail",
    "zoho",
];

/// Rare words without which no obfuscated address is possible: a spelled-out separator, or a
/// mail word / provider name for "jdoe at gmail.com". Only the ~128 bytes around them (and around
/// [`TRIGGER_SYMBOLS`]) are searched for "at" separators.
pub(crate) const TRIGGER_WORDS: &[&str] = &[
    "aol",
    "dot",
    "e-mail",
    "email",
    "gmail",
    "gmx",
    "googlemail",
    "hotmail",
    "icloud",
    "mail",
    "outlook",
    "proton",
    "protonmail",
    "rediffmail",
    "yahoo",
    "yandex",
    "ymail",
    "zoho",
];

/// Bracketed or spaced separators that trigger the obfuscated-address search.
pub(crate) const TRIGGER_SYMBOLS: &[&str] = &[
    "[at]", "(at)", "{at}", "<at>", "[ at ]", "( at )", "{ at }", "[@]", "(@)", " @ ", "[.]", "(.)",
];

/// Words before a plain " at " that announce an address.
const EMAIL_CUES: &[&str] = &[
    "email", "e-mail", "mail", "gmail", "contact", "reach", "write", "ping",
];

/// Ordinary and obfuscated email detection.
pub(crate) struct Email {
    /// Finds the "at" separators of obfuscated forms.
    at_forms: AhoCorasick,
    /// The obfuscated-address grammar, run on a small window around each separator.
    obfuscated: Regex,
}

impl Email {
    pub(crate) fn new() -> Result<Email> {
        let at_forms = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(["at", "@"])
            .map_err(|_| Error::Data {
                file: "patterns/email at-forms",
                line: 0,
            })?;
        let open = r"[\[\(\{<]";
        let close = r"[\]\)\}>]";
        let at = format!(r"(?:\s*{open}\s*(?:at|@)\s*{close}\s*|\s+at\s+|\s+@\s+)");
        let dot = format!(r"(?:\s*{open}\s*(?:dot|\.)\s*{close}\s*|\s+dot\s+|\s+\.\s+|\.)");
        let local = r"[\p{L}\p{N}_%+\-]+";
        let label = r"[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?";
        let pat = format!(
            r"(?i)(?P<local>{local}(?:{dot}{local})*)(?P<at>{at})(?P<dom>{label}(?:{dot}{label})+)"
        );
        Ok(Email {
            at_forms,
            obfuscated: compile("email.obfuscated", &pat)?,
        })
    }

    /// Find addresses; `triggers` are the [`TRIGGER_WORDS`]/[`TRIGGER_SYMBOLS`] hits of the text.
    pub(crate) fn find(&self, text: &str, triggers: &[(usize, usize)], out: &mut Vec<Finding>) {
        let start = out.len();
        find_plain(text, out);
        if !triggers.is_empty() {
            self.find_obfuscated(text, triggers, out, start);
        }
    }

    fn find_obfuscated(
        &self,
        text: &str,
        triggers: &[(usize, usize)],
        out: &mut Vec<Finding>,
        plain_from: usize,
    ) {
        let mut wins: Vec<(usize, usize)> = Vec::new();
        for &(ts, te) in triggers {
            let s = util::extend_left(text, ts.saturating_sub(128));
            let e = util::extend_right(text, te.saturating_add(128));
            match wins.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => wins.push((s, e)),
            }
        }
        let mut done_until = 0usize;
        for m in wins
            .into_iter()
            .flat_map(|(ws, we)| self.at_forms.find_iter(Input::new(text).range(ws..we)))
        {
            let (s, e) = (m.start(), m.end());
            if s < done_until {
                continue;
            }
            let is_at_word = e - s == 2;
            if is_at_word && (util::alnum_before(text, s) || util::alnum_after(text, e)) {
                continue;
            }
            if !is_at_word {
                // A bare "@" counts only when spaced or bracketed ("jdoe @ x", "jdoe [@] x").
                let before = util::char_before(text, s);
                let after = util::char_after(text, e);
                let spaced = before.is_some_and(char::is_whitespace)
                    && after.is_some_and(char::is_whitespace);
                let bracketed = before.is_some_and(|c| "[({<".contains(c))
                    || after.is_some_and(|c| "])}>".contains(c));
                if !spaced && !bracketed {
                    continue;
                }
            }
            // Cheap precheck: a dot-like thing must follow soon.
            let ahead = util::lower_after(text, e, 72);
            let has_dot = ahead.contains("dot")
                || (!is_at_word && ahead.contains('.'))
                || ahead.as_bytes().windows(2).any(|w| {
                    w.first() == Some(&b'.') && w.get(1).is_some_and(u8::is_ascii_alphabetic)
                })
                || ahead.contains(" . ");
            if !has_dot {
                continue;
            }
            let ws = util::extend_left(text, s.saturating_sub(96));
            let we = util::extend_right(text, e.saturating_add(128));
            let mut found_end = None;
            util::each_captures(&self.obfuscated, text, ws, we, |c| {
                let (Some(all), Some(local), Some(at), Some(dom)) =
                    (c.get(0), c.name("local"), c.name("at"), c.name("dom"))
                else {
                    return;
                };
                if at.start() > e || at.end() < s {
                    return;
                }
                // Must start at a word start, and not inside an ordinary address already found.
                if util::alnum_before(text, all.start())
                    || matches!(util::char_before(text, all.start()), Some('@' | '.'))
                {
                    return;
                }
                if let Some(end) = accept_obfuscated(
                    text,
                    local.as_str(),
                    at.as_str(),
                    dom.start(),
                    dom.as_str(),
                    all.start(),
                ) {
                    let overlaps_plain = out
                        .get(plain_from..)
                        .unwrap_or(&[])
                        .iter()
                        .any(|f| f.span.start() < end && all.start() < f.span.end());
                    if !overlaps_plain {
                        let score = if at.as_str().trim().len() > 2 {
                            0.9
                        } else {
                            0.8
                        };
                        util::push(out, text, (all.start(), end), FAM, None, score);
                        found_end = Some(end);
                    }
                }
            });
            if let Some(end) = found_end {
                done_until = end;
            }
        }
    }
}

/// Decide whether an obfuscated candidate is an address; returns the end offset of the accepted
/// match (the domain may be cut back to its last plausible top-level domain).
fn accept_obfuscated(
    text: &str,
    local: &str,
    at: &str,
    dom_start: usize,
    dom: &str,
    start: usize,
) -> Option<usize> {
    // Split the domain into labels and the separators between them.
    let labels = domain_labels(dom);
    // Cut back to the last label that is a plausible TLD (at least two labels).
    let mut best = None;
    for (i, (ls, le, _)) in labels.iter().enumerate().skip(1) {
        if words::is_tld(util::slice(dom, *ls, *le)) {
            best = Some(i);
        }
    }
    let last = best?;
    let (_, dom_end_rel, _) = *labels.get(last)?;
    let used = labels.get(..=last)?;
    let any_obfuscated_dot =
        used.iter().skip(1).any(|(_, _, plain)| !plain) || local_has_obfuscated_dot(local);
    let strong_at = at.trim().len() > 2 || at.trim() == "@";
    let last_local = local
        .rsplit(|c: char| {
            c.is_whitespace() || c == '.' || c == ']' || c == ')' || c == '}' || c == '>'
        })
        .next()
        .unwrap_or(local);
    // The TLD of an obfuscated domain must be spelled in one case ("com"/"COM"), not "Then".
    if !strong_at {
        if words::is_stopword(last_local) && !local_has_obfuscated_dot(local) {
            return None;
        }
        if !any_obfuscated_dot {
            let first = used
                .first()
                .map(|(s, e, _)| util::slice(dom, *s, *e))
                .unwrap_or("");
            let provider = PROVIDERS
                .binary_search(&first.to_ascii_lowercase().as_str())
                .is_ok();
            let cue = util::has_cue(&util::lower_before(text, start, 48), EMAIL_CUES);
            if !provider && !cue {
                return None;
            }
        }
    }
    let tld = used
        .last()
        .map(|(s, e, _)| util::slice(dom, *s, *e))
        .unwrap_or("");
    let mixed = tld.chars().any(char::is_uppercase) && tld.chars().any(char::is_lowercase);
    if mixed {
        return None;
    }
    Some(dom_start + dom_end_rel)
}

/// Whether the local part was itself written with a spelled-out dot ("priya dot sharma").
fn local_has_obfuscated_dot(local: &str) -> bool {
    let l = local.to_ascii_lowercase();
    l.contains(" dot ")
        || l.contains("dot]")
        || l.contains("dot)")
        || l.contains("dot}")
        || l.contains(" . ")
        || l.contains("[.]")
        || l.contains("(.)")
}

/// The labels of an obfuscated domain: `(start, end, preceded_by_plain_dot)` relative to `dom`.
fn domain_labels(dom: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = dom.as_bytes();
    let mut plain = true;
    while i < dom.len() {
        // Label: run of alphanumerics and hyphens.
        let s = i;
        while i < dom.len() {
            match util::char_after(dom, i) {
                Some(c) if c.is_alphanumeric() || c == '-' => i += c.len_utf8(),
                _ => break,
            }
        }
        if i > s {
            out.push((s, i, plain));
        }
        // Separator: everything up to the next label.
        let sep_start = i;
        while i < dom.len() {
            match util::char_after(dom, i) {
                Some(c) if c.is_alphanumeric() => break,
                Some(c) => i += c.len_utf8(),
                None => break,
            }
        }
        let sep = util::slice(dom, sep_start, i);
        plain = sep == ".";
        // A separator spelled "dot" is letters: skip the word itself.
        let rest = util::slice(dom, i, dom.len());
        if !plain && rest.len() >= 3 && rest.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("dot"))
        {
            let after = b.get(i + 3).copied();
            if after.is_some_and(|c| !c.is_ascii_alphanumeric()) {
                i += 3;
                while i < dom.len() {
                    match util::char_after(dom, i) {
                        Some(c) if !c.is_alphanumeric() => i += c.len_utf8(),
                        _ => break,
                    }
                }
            }
        }
    }
    out
}

/// Ordinary addresses: scan out from each `@`.
fn find_plain(text: &str, out: &mut Vec<Finding>) {
    let mut last_end = 0usize;
    for (at, _) in text.match_indices('@') {
        if at < last_end {
            continue;
        }
        // Local part: back over local characters, at most 64.
        let mut s = at;
        let mut count = 0;
        while let Some(c) = util::char_before(text, s) {
            if count >= 64 || !(c.is_alphanumeric() || "._%+-".contains(c)) {
                break;
            }
            s -= c.len_utf8();
            count += 1;
        }
        // No leading dots or hyphens.
        while matches!(util::byte_at(text, s), Some(b'.' | b'-' | b'+')) && s < at {
            s += 1;
        }
        let local = util::slice(text, s, at);
        if local.is_empty() || local.ends_with('.') || local.contains("..") {
            continue;
        }
        // Domain: forward over domain characters, at most 253 bytes.
        let mut e = at + 1;
        while let Some(c) = util::char_after(text, e) {
            if e - at > 253 || !(c.is_alphanumeric() || c == '-' || c == '.') {
                break;
            }
            e += c.len_utf8();
        }
        while e > at + 1 && matches!(util::byte_at(text, e - 1), Some(b'.' | b'-')) {
            e -= 1;
        }
        let dom = util::slice(text, at + 1, e);
        if !valid_domain(dom) {
            continue;
        }
        util::push(out, text, (s, e), FAM, None, 0.97);
        last_end = e;
    }
}

/// A dotted domain with sane labels and an alphabetic top-level domain.
fn valid_domain(dom: &str) -> bool {
    let mut labels = 0;
    let mut tld = "";
    for l in dom.split('.') {
        if l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-') {
            return false;
        }
        labels += 1;
        tld = l;
    }
    labels >= 2
        && tld.chars().count() >= 2
        && (tld.chars().all(char::is_alphabetic)
            || tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(t: &str) -> Vec<&str> {
        let e = Email::new().unwrap();
        let cues = super::super::cues::Cues::new().unwrap();
        let mut out = Vec::new();
        e.find(t, &cues.scan(t).email, &mut out);
        out.iter().map(|f| f.span.slice(t).unwrap()).collect()
    }

    #[test]
    fn providers_sorted() {
        assert!(PROVIDERS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn plain_addresses() {
        assert_eq!(
            emails("mail me at jdoe@example.com."),
            vec!["jdoe@example.com"]
        );
        assert_eq!(
            emails("(priya.sharma+work@mail.co.in)"),
            vec!["priya.sharma+work@mail.co.in"]
        );
        assert_eq!(
            emails("MagdaLundberg@teleworm.us, ok"),
            vec!["MagdaLundberg@teleworm.us"]
        );
        assert_eq!(emails("ईमेल: राम@उदाहरण.भारत है"), vec!["राम@उदाहरण.भारत"]);
        assert_eq!(emails("😀jdoe@x.io😀"), vec!["jdoe@x.io"]);
        assert!(emails("@handle and user@localhost and a@b.c1").is_empty());
        assert!(emails("x@-bad.com y@bad-.com z@.com").is_empty());
        assert!(emails("..@x.com").is_empty());
    }

    #[test]
    fn obfuscated_addresses() {
        assert_eq!(
            emails("it's priya dot sharma at gmail dot com thanks"),
            vec!["priya dot sharma at gmail dot com"]
        );
        assert_eq!(
            emails("jdoe [at] yahoo [dot] com"),
            vec!["jdoe [at] yahoo [dot] com"]
        );
        assert_eq!(
            emails("jdoe(at)yahoo(dot)com!"),
            vec!["jdoe(at)yahoo(dot)com"]
        );
        assert_eq!(
            emails("write to jdoe {at} yahoo . com"),
            vec!["jdoe {at} yahoo . com"]
        );
        assert_eq!(
            emails("j.doe AT gmail DOT com"),
            vec!["j.doe AT gmail DOT com"]
        );
        assert_eq!(
            emails("email me: jdoe at outlook.com"),
            vec!["jdoe at outlook.com"]
        );
        assert_eq!(emails("rahul_k at gmail.com"), vec!["rahul_k at gmail.com"]);
        assert_eq!(
            emails("jdoe [@] proton [.] me"),
            vec!["jdoe [@] proton [.] me"]
        );
    }

    #[test]
    fn obfuscated_negatives() {
        assert!(emails("meet me at home dot").is_empty());
        assert!(emails("meet me at home dot then go").is_empty());
        assert!(emails("I'm at work. In a meeting").is_empty());
        assert!(emails("look at amazon.com for deals").is_empty());
        assert!(emails("sold at target.com").is_empty());
        assert!(emails("we met at the cafe. Then left").is_empty());
        assert!(emails("see you at 5. ok").is_empty());
        assert!(emails("that is what it is").is_empty());
    }
}
