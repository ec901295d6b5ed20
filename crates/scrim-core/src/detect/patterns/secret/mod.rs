//! SECRET: credentials pasted into chats. Provider tokens by documented prefix, alphabet, length
//! and checksum ([`providers`]), JWTs, private key blocks (PEM, OpenSSH, PGP, PuTTY), passwords in
//! URLs and connection strings, values after password and token keys (code, env files, JSON,
//! YAML, command lines, headers, prose), Telegram and Twilio tokens, password hashes in crypt
//! format, and high-entropy strings in assignments.
//!
//! One Aho-Corasick scan over the text finds every prefix and key word; text without any of them
//! costs that scan plus one `memchr` pass for `=` and `:` (the high-entropy candidates), each of
//! which is rejected after a few bytes unless a long base64-like run follows.

mod assign;
mod entropy;
mod jwt;
mod pem;
mod providers;
mod score;
mod shaped;
mod urls;
mod value;

#[cfg(test)]
mod tests;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::util;
use super::Family;
use crate::error::{Error, Result};
use crate::label::Label;
use crate::span::{Finding, Span};

const FAM: Family = Family::Secret;

/// A prefilter match: `[s, e)` of the text.
#[derive(Clone, Copy, Debug)]
struct Hit {
    s: usize,
    e: usize,
}

/// What a prefilter pattern starts.
#[derive(Clone, Copy, Debug)]
enum Trigger {
    Provider(usize),
    Key(assign::Key),
    Jwt,
    Pem,
    Putty,
    Url,
    Telegram,
    Twilio,
    Mysql,
    Crypt,
}

/// The literal triggers besides provider prefixes and key words.
const OTHER: &[(&str, Trigger)] = &[
    ("eyJ", Trigger::Jwt),
    ("-----BEGIN ", Trigger::Pem),
    ("PuTTY-User-Key-File-", Trigger::Putty),
    ("://", Trigger::Url),
    (":AA", Trigger::Telegram),
    ("twilio", Trigger::Twilio),
    ("mysql", Trigger::Mysql),
    ("$1$", Trigger::Crypt),
    ("$2a$", Trigger::Crypt),
    ("$2b$", Trigger::Crypt),
    ("$2y$", Trigger::Crypt),
    ("$5$", Trigger::Crypt),
    ("$6$", Trigger::Crypt),
    ("$y$", Trigger::Crypt),
    ("$gy$", Trigger::Crypt),
    ("$argon2i$", Trigger::Crypt),
    ("$argon2d$", Trigger::Crypt),
    ("$argon2id$", Trigger::Crypt),
    ("$pbkdf2-sha256$", Trigger::Crypt),
    ("$pbkdf2-sha512$", Trigger::Crypt),
];

/// The secrets detector.
pub(crate) struct Secret {
    ac: AhoCorasick,
    triggers: Vec<Trigger>,
}

impl Secret {
    pub(crate) fn new() -> Result<Secret> {
        let mut pats: Vec<&str> = Vec::new();
        let mut triggers = Vec::new();
        for (i, p) in providers::PROVIDERS.iter().enumerate() {
            pats.push(p.prefix);
            triggers.push(Trigger::Provider(i));
        }
        for &(w, k) in assign::KEYWORDS {
            pats.push(w);
            triggers.push(Trigger::Key(k));
        }
        for &(w, t) in OTHER {
            pats.push(w);
            triggers.push(t);
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // A DFA: the fastest scan for ~100 case-insensitive patterns (measured in the bench).
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)
            .map_err(|_| Error::Data {
                file: "patterns/secret triggers",
                line: 0,
            })?;
        Ok(Secret { ac, triggers })
    }

    /// Find secrets in `text`.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Finding>) {
        for m in self.ac.find_iter(text) {
            let h = Hit {
                s: m.start(),
                e: m.end(),
            };
            if let Some(&t) = self.triggers.get(m.pattern().as_usize()) {
                on_hit(text, h, t, out);
            }
        }
        for i in memchr::memchr2_iter(b'=', b':', text.as_bytes()) {
            if let Some((s, e, sc)) = entropy::judge(text, i) {
                util::push(out, text, (s, e), FAM, Some("HIGH_ENTROPY"), sc);
            }
        }
    }
}

/// Judge one prefilter hit and push what it finds.
fn on_hit(text: &str, h: Hit, t: Trigger, out: &mut Vec<Finding>) {
    let mut push = |(s, e): (usize, usize), kind: &'static str, sc: f32| {
        util::push(out, text, (s, e), FAM, Some(kind), sc);
    };
    match t {
        Trigger::Provider(i) => {
            let Some(p) = providers::PROVIDERS.get(i) else {
                return;
            };
            if let Some((e, sc)) = providers::judge(text, p, h.s, h.e) {
                push((url_start(text, h.s, p.prefix), e), p.kind, sc);
            }
        }
        Trigger::Key(k) => {
            let found = match k {
                assign::Key::Authorization | assign::Key::Bearer => assign::header(text, h, k),
                _ => assign::judge(text, h, k),
            };
            if let Some((s, e, kind, sc)) = found {
                push((s, e), kind, sc);
            }
        }
        Trigger::Jwt => {
            if let Some(e) = jwt::judge(text, h.s) {
                push((h.s, e), "JWT", score::JWT);
            }
        }
        Trigger::Pem | Trigger::Putty => {
            let end = if matches!(t, Trigger::Pem) {
                pem::pem(text, h.s)
            } else {
                pem::putty(text, h.s)
            };
            if let Some(e) = end {
                push((h.s, e), "PRIVATE_KEY", score::PRIVATE_KEY);
            }
        }
        Trigger::Url => {
            if let Some(span) = urls::judge(text, h.s) {
                push(span, "URL_PASSWORD", urls::SCORE);
            }
        }
        Trigger::Telegram => {
            if let Some(span) = shaped::telegram(text, h.s) {
                push(span, "TELEGRAM_BOT_TOKEN", score::SHAPED_TOKEN);
            }
        }
        Trigger::Twilio => {
            for span in shaped::twilio(text, h.e) {
                push(span, "TWILIO_KEY", score::SHAPED_TOKEN);
            }
        }
        Trigger::Mysql => {
            if let Some(span) = shaped::mysql(text, h.e) {
                push(span, "PASSWORD", score::KEYED_PASSWORD);
            }
        }
        Trigger::Crypt => {
            if let Some(span) = shaped::crypt(text, h.s, h.e) {
                push(span, "PASSWORD_HASH", score::PASSWORD_HASH);
            }
        }
    }
}

/// Webhook prefixes are URL hosts: the finding starts at the `https://` before them, if any.
fn url_start(text: &str, s: usize, prefix: &str) -> usize {
    if !prefix.contains('/') {
        return s;
    }
    ["https://", "http://"]
        .iter()
        .find(|sch| s >= sch.len() && util::slice(text, s - sch.len(), s) == **sch)
        .map_or(s, |sch| s - sch.len())
}

/// Keep URL findings of `out[from..]` off the secrets inside them: a URL holding a password
/// ("https://user:PASSWORD@host/x") restarts after the password and its `@`, so the host stays a
/// URL and the password a SECRET.
pub(super) fn trim_urls(text: &str, out: &mut [Finding], from: usize) {
    let Some(tail) = out.get_mut(from..) else {
        return;
    };
    let secrets: Vec<(usize, usize)> = tail
        .iter()
        .filter(|f| f.label == Label::Secret)
        .map(|f| (f.span.start(), f.span.end()))
        .collect();
    if secrets.is_empty() {
        return;
    }
    for f in tail.iter_mut().filter(|f| f.label == Label::Url) {
        let (us, ue) = (f.span.start(), f.span.end());
        let inner = secrets
            .iter()
            .filter(|&&(s, e)| us < s && e < ue)
            .map(|&(_, e)| e)
            .max();
        let Some(se) = inner else { continue };
        let ns = if util::byte_at(text, se) == Some(b'@') {
            se + 1
        } else {
            se
        };
        if let Some(span) = Span::new(text, ns, ue) {
            f.span = span;
        }
    }
}
