//! EMAIL: ordinary addresses around each `@`, and obfuscated ones ("priya dot sharma at gmail dot
//! com", "jdoe [at] yahoo [dot] com") whose domain must end in a plausible top-level domain.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use regex::Regex;

use super::score::email::{BRACKETED_AT, PLAIN_ADDRESS, SPACED_AT};
use super::util::{self, compile};
use super::words;
use super::Family;
use crate::error::{Error, Result};
use crate::span::Finding;

const FAM: Family = Family::Email;

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

    /// Obfuscated addresses around the "at" separators near `triggers`; `out[plain_from..]` holds
    /// the ordinary addresses, which an obfuscated one must not overlap.
    fn find_obfuscated(
        &self,
        text: &str,
        triggers: &[(usize, usize)],
        out: &mut Vec<Finding>,
        plain_from: usize,
    ) {
        let mut done_until = 0usize;
        for m in trigger_windows(text, triggers)
            .into_iter()
            .flat_map(|(ws, we)| self.at_forms.find_iter(Input::new(text).range(ws..we)))
        {
            let (s, e) = (m.start(), m.end());
            if s < done_until || !plausible_separator(text, s, e) {
                continue;
            }
            if let Some(end) = self.obfuscated_around(text, (s, e), out, plain_from) {
                done_until = end;
            }
        }
    }

    /// Run the obfuscated grammar around the separator `sep`; push each accepted address that
    /// overlaps no ordinary one and return the end of the last.
    fn obfuscated_around(
        &self,
        text: &str,
        sep: (usize, usize),
        out: &mut Vec<Finding>,
        plain_from: usize,
    ) -> Option<usize> {
        let ws = util::extend_left(text, sep.0.saturating_sub(96));
        let we = util::extend_right(text, sep.1.saturating_add(128));
        let mut found_end = None;
        util::each_captures(&self.obfuscated, text, ws, we, |c| {
            let Some(cand) = Candidate::of(text, c, sep) else {
                return;
            };
            let Some(end) = accept_obfuscated(text, &cand) else {
                return;
            };
            let overlaps_plain = out
                .get(plain_from..)
                .unwrap_or(&[])
                .iter()
                .any(|f| f.span.start() < end && cand.start < f.span.end());
            if !overlaps_plain {
                util::push(out, text, (cand.start, end), FAM, None, cand.score());
                found_end = Some(end);
            }
        });
        found_end
    }
}

/// The windows searched for "at" separators: about 128 bytes around each trigger, merged.
fn trigger_windows(text: &str, triggers: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut wins: Vec<(usize, usize)> = Vec::new();
    for &(ts, te) in triggers {
        let s = util::extend_left(text, ts.saturating_sub(128));
        let e = util::extend_right(text, te.saturating_add(128));
        match wins.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => wins.push((s, e)),
        }
    }
    wins
}

/// Whether the "at" or "@" at `text[s..e]` can separate an obfuscated address: "at" as a whole
/// word, "@" only spaced or bracketed, and something dot-like soon after.
fn plausible_separator(text: &str, s: usize, e: usize) -> bool {
    let is_at_word = e - s == 2;
    if is_at_word && (util::alnum_before(text, s) || util::alnum_after(text, e)) {
        return false;
    }
    if !is_at_word {
        // A bare "@" counts only when spaced or bracketed ("jdoe @ x", "jdoe [@] x").
        let before = util::char_before(text, s);
        let after = util::char_after(text, e);
        let spaced =
            before.is_some_and(char::is_whitespace) && after.is_some_and(char::is_whitespace);
        let bracketed =
            before.is_some_and(|c| "[({<".contains(c)) || after.is_some_and(|c| "])}>".contains(c));
        if !spaced && !bracketed {
            return false;
        }
    }
    // Cheap precheck: a dot-like thing must follow soon.
    let ahead = util::lower_after(text, e, 72);
    ahead.contains("dot")
        || (!is_at_word && ahead.contains('.'))
        || ahead
            .as_bytes()
            .windows(2)
            .any(|w| w.first() == Some(&b'.') && w.get(1).is_some_and(u8::is_ascii_alphabetic))
        || ahead.contains(" . ")
}

/// One match of the obfuscated-address grammar, before it is judged.
struct Candidate<'t> {
    /// Start of the whole match (the local part).
    start: usize,
    /// The local part ("priya dot sharma").
    local: &'t str,
    /// The separator as written (" at ", "[at]", " @ ").
    at: &'t str,
    /// Start of the domain.
    dom_start: usize,
    /// The domain as written ("gmail dot com").
    dom: &'t str,
}

impl<'t> Candidate<'t> {
    /// The match `c` when its separator touches `sep` and it starts at a word start outside an
    /// ordinary address.
    fn of(text: &str, c: &regex::Captures<'t>, sep: (usize, usize)) -> Option<Candidate<'t>> {
        let (all, local, at, dom) = (c.get(0)?, c.name("local")?, c.name("at")?, c.name("dom")?);
        if at.start() > sep.1 || at.end() < sep.0 {
            return None;
        }
        // Must start at a word start, and not inside an ordinary address already found.
        if util::alnum_before(text, all.start())
            || matches!(util::char_before(text, all.start()), Some('@' | '.'))
        {
            return None;
        }
        Some(Candidate {
            start: all.start(),
            local: local.as_str(),
            at: at.as_str(),
            dom_start: dom.start(),
            dom: dom.as_str(),
        })
    }

    /// The finding's score: a bracketed separator ("[at]", "(@)") is stronger than a spaced one.
    fn score(&self) -> f32 {
        if self.at.trim().len() > 2 {
            BRACKETED_AT
        } else {
            SPACED_AT
        }
    }
}

/// Decide whether an obfuscated candidate is an address; returns the end offset of the accepted
/// match (the domain may be cut back to its last plausible top-level domain).
fn accept_obfuscated(text: &str, cand: &Candidate<'_>) -> Option<usize> {
    let dom = cand.dom;
    // Split the domain into labels and the separators between them.
    let labels = domain_labels(dom);
    // Cut back to the last label that is a plausible TLD (at least two labels).
    let last = last_tld_label(dom, &labels)?;
    let (_, dom_end_rel, _) = *labels.get(last)?;
    let used = labels.get(..=last)?;
    if !weak_at_allowed(text, cand, used) {
        return None;
    }
    let tld = used
        .last()
        .map(|(s, e, _)| util::slice(dom, *s, *e))
        .unwrap_or("");
    // The TLD of an obfuscated domain must be spelled in one case ("com"/"COM"), not "Then".
    let mixed = tld.chars().any(char::is_uppercase) && tld.chars().any(char::is_lowercase);
    if mixed {
        return None;
    }
    Some(cand.dom_start + dom_end_rel)
}

/// The index of the last label (not the first) of `dom` that is a plausible top-level domain.
fn last_tld_label(dom: &str, labels: &[(usize, usize, bool)]) -> Option<usize> {
    let mut best = None;
    for (i, (ls, le, _)) in labels.iter().enumerate().skip(1) {
        if words::is_tld(util::slice(dom, *ls, *le)) {
            best = Some(i);
        }
    }
    best
}

/// Whether the candidate may stand with a weak separator (a plain " at "): the `used` domain
/// labels. With a weak one, the local part must not end in a stopword, and without any spelled-out
/// dot the domain must be a webmail provider or a mail cue must come before.
fn weak_at_allowed(text: &str, cand: &Candidate<'_>, used: &[(usize, usize, bool)]) -> bool {
    let (local, at) = (cand.local, cand.at);
    let strong_at = at.trim().len() > 2 || at.trim() == "@";
    if strong_at {
        return true;
    }
    let any_obfuscated_dot =
        used.iter().skip(1).any(|(_, _, plain)| !plain) || local_has_obfuscated_dot(local);
    let last_local = local
        .rsplit(|c: char| {
            c.is_whitespace() || c == '.' || c == ']' || c == ')' || c == '}' || c == '>'
        })
        .next()
        .unwrap_or(local);
    if words::is_stopword(last_local) && !local_has_obfuscated_dot(local) {
        return false;
    }
    if !any_obfuscated_dot {
        let first = used
            .first()
            .map(|(s, e, _)| util::slice(cand.dom, *s, *e))
            .unwrap_or("");
        let provider = PROVIDERS
            .binary_search(&first.to_ascii_lowercase().as_str())
            .is_ok();
        let cue = util::has_cue(&util::lower_before(text, cand.start, 48), EMAIL_CUES);
        if !provider && !cue {
            return false;
        }
    }
    true
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
        // A TLD glued to the next header word of a flattened email ("x@acme.comCc: ...") ends
        // where its case turns.
        let e = glued_header_end(text, at + 1, e);
        let dom = util::slice(text, at + 1, e);
        if !valid_domain(dom) || no_ones_address(local, dom) || remote_login(text, s, e) {
            continue;
        }
        util::push(out, text, (s, e), FAM, None, PLAIN_ADDRESS);
        last_end = e;
    }
}

/// Whether the address another detector (the learned tier) found at `s..e` is one the rules
/// hold to be no one's: a placeholder, a domain no mail reaches, or a remote login
/// ([`no_ones_address`], [`remote_login`]). Spans without a plain `@` are not judged.
pub(crate) fn no_ones(text: &str, s: usize, e: usize) -> bool {
    let span = util::slice(text, s, e);
    let Some((local, dom)) = span.rsplit_once('@') else {
        return false;
    };
    no_ones_address(local, dom) || remote_login(text, s, e)
}

/// Domains that cannot receive anyone's mail: the top-level names reserved for documentation
/// and tests (RFC 2606 and RFC 6761: `.example`, `.test`, `.invalid`, `.localhost`), and the
/// suffixes of file names and system units that an `@` can precede (`icon@2x.png`,
/// `openvpn@server.service`).
///
/// Names on private networks (`jdoe@acme.local`, `.internal`, `.lan`) are someone's mailbox
/// inside a company and stay addresses. `example.com`, `example.net` and `example.org` are
/// reserved too, but stay addresses: they are what people type to try a redactor, and one left
/// in place would read as a miss.
const NO_MAIL_SUFFIXES: &[&str] = &[
    "example",
    "gif",
    "invalid",
    "jpeg",
    "jpg",
    "localhost",
    "mount",
    "png",
    "service",
    "socket",
    "svg",
    "target",
    "test",
    "timer",
    "webp",
];

/// Whether `local@dom` is no one's address: a domain no mail reaches ([`NO_MAIL_SUFFIXES`]),
/// or a placeholder a tutorial asks the reader to fill in
/// (`your_email@gmail.com`, `recipient-email-address@...`, `user@your-tenant.onmicrosoft.com`).
/// The real-chat labeling guide counts neither as personal data; a reviewer loses the code's
/// meaning when they are replaced.
fn no_ones_address(local: &str, dom: &str) -> bool {
    let dom = dom.to_lowercase();
    let local = local.to_lowercase();
    let tld = dom.rsplit('.').next().unwrap_or("");
    let reserved = NO_MAIL_SUFFIXES.contains(&tld);
    // "your" opening the local part or a domain label, alone or glued to what the reader should
    // put there ("your_email", "yourname", "your-project", "yourcompany"); not "youri.devries".
    let yours = |part: &str| {
        part.split(['.', '-', '_']).next().is_some_and(|w| {
            w.strip_prefix("your")
                .is_some_and(|rest| rest.is_empty() || PLACEHOLDER_NOUNS.contains(&rest))
        })
    };
    let placeholder = yours(&local)
        || dom.split('.').any(yours)
        || [
            "email_address",
            "email-address",
            "emailaddress",
            "some_email",
            "someone",
        ]
        .iter()
        .any(|p| local.contains(p));
    reserved || placeholder
}

/// What a tutorial glues to "your" in a placeholder address (`youremail@`, `@yourdomain.com`).
const PLACEHOLDER_NOUNS: &[&str] = &[
    "account", "address", "app", "company", "domain", "email", "id", "login", "mail", "name",
    "org", "project", "site", "team", "tenant", "user", "username", "website",
];

/// How far back on its line [`remote_login`] looks for a command.
const COMMAND_LOOK_BACK: usize = 80;

/// Whether `text[s..e]` is a login on a remote machine rather than an address: `host:path` after
/// it (`git@github.com:org/repo.git`, `deploy@web01.acme.io:/srv`), or a remote command before it
/// on its line (`ssh -i key jdoe@lab.acme.edu`). The user in it is the username rules' to judge.
fn remote_login(text: &str, s: usize, e: usize) -> bool {
    let mut after = text.get(e..).unwrap_or("").chars();
    if after.next() == Some(':')
        && after
            .next()
            .is_some_and(|c| c == '/' || c == '~' || c.is_alphanumeric())
    {
        return true;
    }
    let mut from = s.saturating_sub(COMMAND_LOOK_BACK);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..s).unwrap_or("");
    // The command's own line, and after any other address on it: one command, one login.
    let line = before.rsplit(['\n', '@']).next().unwrap_or(before);
    line.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '(' | ';' | '|'))
        .map(|w| w.rsplit('/').next().unwrap_or(w))
        .any(|w| super::accounts::REMOTE_COMMANDS.contains(&w))
}

/// The end of a domain `text[from..e]` whose last label runs into a capitalised word
/// (`acme.comCc`, `acme.orgSubject`): the end of the lowercase top-level domain before it, when
/// that is one; else `e`.
fn glued_header_end(text: &str, from: usize, e: usize) -> usize {
    let dom = util::slice(text, from, e);
    let Some(dot) = dom.rfind('.') else {
        return e;
    };
    let last = dom.get(dot + 1..).unwrap_or("");
    let Some(turn) = last.find(|c: char| c.is_ascii_uppercase()) else {
        return e;
    };
    let head = last.get(..turn).unwrap_or("");
    if turn >= 2 && head.chars().all(|c| c.is_ascii_lowercase()) && words::is_tld(head) {
        from + dot + 1 + turn
    } else {
        e
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
    fn another_tiers_addresses_are_judged_the_same_way() {
        let t = "ssh jdoe@lab.acme.io, write to your_email@gmail.com or maya.k@gmail.com";
        let at = |v: &str| {
            let s = t.find(v).unwrap();
            no_ones(t, s, s + v.len())
        };
        assert!(at("jdoe@lab.acme.io"));
        assert!(at("your_email@gmail.com"));
        assert!(!at("maya.k@gmail.com"));
        assert!(!at("write to"));
    }

    #[test]
    fn addresses_no_one_receives_mail_at() {
        for t in [
            "owner@test.test and a@b.invalid and dev@my.localhost",
            "sender_email = 'your_email_address@gmail.com'",
            "to: 'recipient-email-address@gmail.com'",
            "username: 'user@your-tenant.onmicrosoft.com'",
            "import logo from './Icon_color@2x.png'",
            "● openvpn@server.service - OpenVPN connection",
            "ssh-copy-id jdoe@server.acme.io",
            "rsync -avz /local mkumar@build01.acme.io:/remote/dir",
            "-o \"ProxyCommand ssh -W %h:%p jump@bastion.acme.io\"",
            "git clone git@github.com:acme/app.git",
        ] {
            assert!(emails(t).is_empty(), "{t}");
        }
        // Real providers' domains and ordinary text around them stay addresses.
        assert_eq!(
            emails("mail me: hailey.mills@gmail.com: thanks"),
            ["hailey.mills@gmail.com"]
        );
        assert_eq!(emails("yourself? no: yuri@yandex.ru"), ["yuri@yandex.ru"]);
        assert_eq!(emails("youri.devries@ziggo.nl"), ["youri.devries@ziggo.nl"]);
        // A company's internal mailbox is someone's address.
        assert_eq!(
            emails("cc jdoe@corp.acme.local and ops.lead@acme.internal"),
            ["jdoe@corp.acme.local", "ops.lead@acme.internal"]
        );
        assert!(emails("youremail@yourdomain.com or admin@yourcompany.com").is_empty());
        assert_eq!(
            emails("To: support@voxco.comCc: help@oahpp.ca"),
            ["support@voxco.com", "help@oahpp.ca"]
        );
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
