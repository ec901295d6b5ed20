//! USERNAME: `@handles` (span includes the `@`), Reddit `u/name`, and handles after cue phrases
//! ("my insta is priya_s", "snap: rahul.k", "discord: name#1234", "psn id xXSlayerXx") where the
//! span is the handle only.

use regex::Regex;

use super::score::username::{AT_HANDLE, CUED_HANDLE_SHAPED, CUED_PLAIN_WORD, REDDIT_USER};
use super::util::{self, compile};
use super::words;
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Username;

/// Platform and account words that introduce a handle.
pub(crate) const CUES: &[&str] = &[
    "insta",
    "instagram",
    "snapchat",
    "tiktok",
    "discord",
    "twitter",
    "twitch",
    "kik",
    "telegram",
    "reddit",
    "bluesky",
    "bsky",
    "mastodon",
    "psn",
    "xbox",
    "gamertag",
    "roblox",
    "fortnite",
    "valorant",
    "github",
    "gitlab",
    "skype",
    "wechat",
    "username",
    "user name",
    "usr",
    "screen name",
    "screenname",
    "user id",
    "userid",
    "nintendo",
    "minecraft",
    "battletag",
    "battle.net",
    "genshin",
    "insta id",
    "ig id",
    "snap id",
    "x handle",
    "tumblr",
    "onlyfans",
];

/// Short or everyday cue words: these need an explicit separator ("ig: x", "snap is y").
pub(crate) const WEAK_CUES: &[&str] = &[
    "epic",
    "fb",
    "handle",
    "ig",
    "ign",
    "login",
    "riot",
    "sc",
    "snap",
    "steam",
    "threads",
    "uid",
    "yt",
    "youtube",
    "facebook",
    "linkedin",
    "pinterest",
];

/// Words that may follow a plain-word handle after "is"/"as" and still end the phrase.
const ENDERS: &[&str] = &[
    "add", "also", "and", "btw", "but", "dm", "follow", "for", "haha", "if", "lol", "msg", "on",
    "or", "pls", "please", "plz", "so", "text", "thanks", "thx", "too",
];

/// Extra words never taken as handles after a cue.
const NOT_HANDLES: &[&str] = &[
    "account", "acc", "app", "broken", "dead", "deleted", "down", "everyone", "gone", "here", "id",
    "name", "new", "number", "official", "page", "private", "profile", "same", "story", "stories",
    "user", "username",
];

/// Handle detection.
pub(crate) struct Username {
    after_cue: Regex,
}

impl Username {
    pub(crate) fn new() -> Result<Username> {
        let after_cue = compile(
            "username.after_cue",
            r"^(?i:\s*(?:id|name|handle|user\s?name|user|tag|acc(?:ount)?|profile|ign|@)?)(?P<sep>\s*(?i:(?:is|as)(?-u:\b)|:|=|->|-|→|@)?\s*)(?P<h>[A-Za-z0-9_.\-]{2,40}(?:#[0-9]{4})?)",
        )?;
        Ok(Username { after_cue })
    }

    /// Find handles; `cues` are the `(start, end, weak)` cue-word hits of the text.
    pub(crate) fn find(&self, text: &str, cues: &[(usize, usize, bool)], out: &mut Vec<Finding>) {
        find_at_handles(text, out);
        find_reddit(text, out);
        for &(_, e, weak) in cues {
            if let Some((hs, he, score)) = self.cued_handle(text, e, weak) {
                util::push(out, text, (hs, he), FAM, None, score);
            }
        }
    }

    /// The handle after a cue word that ends at byte `e` (`weak`: a [`WEAK_CUES`] word, which
    /// needs an explicit separator): its span and score.
    fn cued_handle(&self, text: &str, e: usize, weak: bool) -> Option<(usize, usize, f32)> {
        let tail_end = util::floor_boundary(text, e.saturating_add(64));
        let tail = util::slice(text, e, tail_end);
        let c = self.after_cue.captures(tail)?;
        let (sep, h) = (c.name("sep")?, c.name("h")?);
        let whole = c.get(0).map_or("", |m| m.as_str());
        // "ig @x" is left to the @handle rule.
        if whole.contains('@') {
            return None;
        }
        let sep_l = sep.as_str().trim().to_ascii_lowercase();
        let (hs, he) = trim_handle(text, e + h.start(), e + h.end());
        let handle = util::slice(text, hs, he);
        if util::alnum_after(text, he) || !handle_ok(handle) {
            return None;
        }
        let handleish = handle_shaped(handle);
        if sep_l.is_empty() {
            if weak || !handleish {
                return None;
            }
        } else if !handleish {
            // A plain word.
            if words::is_stopword(handle)
                || NOT_HANDLES.contains(&handle.to_ascii_lowercase().as_str())
            {
                return None;
            }
            if matches!(sep_l.as_str(), "is" | "as" | "-") && !phrase_ends(text, he) {
                return None;
            }
        }
        let score = if handleish {
            CUED_HANDLE_SHAPED
        } else {
            CUED_PLAIN_WORD
        };
        Some((hs, he, score))
    }
}

/// `[hs, he)` without leading and trailing dots and dashes (a sentence end).
fn trim_handle(text: &str, mut hs: usize, mut he: usize) -> (usize, usize) {
    while he > hs && matches!(util::byte_at(text, he - 1), Some(b'.' | b'-')) {
        he -= 1;
    }
    while hs < he && matches!(util::byte_at(text, hs), Some(b'.' | b'-')) {
        hs += 1;
    }
    (hs, he)
}

/// Whether a word looks like a handle rather than a plain word: a digit, '_', '.' or '#', or mixed
/// case beyond a capital first letter ("xXSlayerXx").
fn handle_shaped(handle: &str) -> bool {
    handle
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b'_' || b == b'.' || b == b'#')
        || (handle.bytes().any(|b| b.is_ascii_uppercase())
            && handle.bytes().any(|b| b.is_ascii_lowercase())
            && !starts_upper_only(handle))
}

/// "Priya" (capitalized only) is not a mixed-case handle signal; "xXSlayerXx" is.
fn starts_upper_only(h: &str) -> bool {
    let mut cs = h.chars();
    cs.next().is_some_and(char::is_uppercase) && cs.all(|c| !c.is_uppercase())
}

/// After a plain-word handle: end of text, punctuation, or a word that ends the phrase.
fn phrase_ends(text: &str, e: usize) -> bool {
    let rest = util::slice(text, e, util::floor_boundary(text, e.saturating_add(24)));
    let t = rest.trim_start_matches([' ', '\t']);
    match t.chars().next() {
        None => true,
        Some(c) if !c.is_alphanumeric() => true,
        Some(_) => {
            let w: String = t
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_lowercase();
            ENDERS.contains(&w.as_str())
        }
    }
}

/// 2–30 handle characters (plus an optional Discord `#1234`), at least one letter, not a time.
fn handle_ok(h: &str) -> bool {
    let core = h.split('#').next().unwrap_or(h);
    let n = core.chars().count();
    if !(2..=32).contains(&n) || !core.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    if !core
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    {
        return false;
    }
    let l = core.to_ascii_lowercase();
    // "5pm", "10am", "5th"
    let digits_then = |suf: &str| {
        l.strip_suffix(suf)
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    !(digits_then("am")
        || digits_then("pm")
        || digits_then("th")
        || digits_then("st")
        || digits_then("nd")
        || digits_then("rd"))
}

/// `@handle`: not after a letter or digit (that is an email), 2–30 characters.
fn find_at_handles(text: &str, out: &mut Vec<Finding>) {
    for (at, _) in text.match_indices('@') {
        if let Some(p) = util::char_before(text, at) {
            if p.is_alphanumeric() || matches!(p, '_' | '.' | '/' | '@' | '-' | '+' | '%' | '=') {
                continue;
            }
        }
        let mut e = at + 1;
        loop {
            // `@maud\_ramelet`: markdown-escaped underscores belong to the handle.
            let esc = util::md_escape_len(text, e);
            if !util::byte_at(text, e + esc)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                || e - at > 31
            {
                break;
            }
            e += esc + 1;
        }
        while e > at + 1 && util::byte_at(text, e - 1) == Some(b'.') {
            e -= 1;
        }
        // Too long, or glued to more word characters: not a handle.
        if util::byte_at(text, e).is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
            || util::alnum_after(text, e)
        {
            continue;
        }
        let handle = util::unescaped(util::slice(text, at + 1, e));
        let h = handle.as_ref();
        if !handle_ok(h) || h.len() > 30 || code_annotation(text, at, e) {
            continue;
        }
        let l = h.to_ascii_lowercase();
        if matches!(
            l.as_str(),
            "everyone" | "here" | "channel" | "all" | "home" | "work"
        ) {
            continue;
        }
        // "@gmail.com": a domain, not a handle.
        if let Some((_, tld)) = l.rsplit_once('.') {
            if words::is_tld(tld)
                && matches!(
                    tld,
                    "com" | "net" | "org" | "in" | "co" | "io" | "uk" | "us" | "edu" | "gov"
                )
            {
                continue;
            }
        }
        util::push(out, text, (at, e), FAM, None, AT_HANDLE);
    }
}

/// Words of code that follow a decorator or annotation on its line (`@State private var`,
/// `@IBOutlet weak var`, `@Override public`).
const AFTER_ANNOTATION: &[&str] = &[
    "private",
    "public",
    "protected",
    "internal",
    "fileprivate",
    "open",
    "static",
    "final",
    "override",
    "weak",
    "lazy",
    "var",
    "let",
    "val",
    "func",
    "fun",
    "def",
    "async",
    "class",
    "struct",
    "export",
    "abstract",
    "void",
    "init",
    "some",
];

/// Whether the `@` at byte `at`, with a word up to byte `e`, is code: a decorator or annotation
/// (`@app.route(`, `@Injectable()`, `@Controller` alone on its line, `@State private var`) or a
/// package scope (`@nestjs/common`, `@types/node`).
fn code_annotation(text: &str, at: usize, e: usize) -> bool {
    let rest = text.get(e..).unwrap_or("");
    if rest.starts_with('(') || rest.starts_with('/') {
        return true;
    }
    // Only the indentation is read back, not the whole line: a line of many handles stays linear.
    let first_on_line = text
        .get(..at)
        .unwrap_or("")
        .chars()
        .rev()
        .find(|c| *c != ' ' && *c != '\t')
        .is_none_or(|c| c == '\n');
    if !first_on_line {
        return false;
    }
    let line_rest = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
    if line_rest.trim().is_empty() {
        // Alone on its line and named like a type or with a dotted path: `@Controller`,
        // `@Parameterized.Parameters`. A bare `@maya` on its own line stays a handle.
        let h = text.get(at + 1..e).unwrap_or("");
        return h.contains('.') || h.chars().next().is_some_and(char::is_uppercase);
    }
    line_rest
        .split_whitespace()
        .next()
        .is_some_and(|w| AFTER_ANNOTATION.contains(&w))
}

/// Reddit `u/name` (span is the name).
fn find_reddit(text: &str, out: &mut Vec<Finding>) {
    for (slash, _) in text.match_indices('/') {
        let Some(i) = slash.checked_sub(1) else {
            continue;
        };
        if !matches!(util::byte_at(text, i), Some(b'u' | b'U')) {
            continue;
        }
        // "/u/name" is Reddit's own spelling; "x/u/name" and "a.u/b" are paths.
        let lead_slash = util::char_before(text, i) == Some('/')
            && i > 0
            && !util::char_before(text, i - 1)
                .is_some_and(|c| !c.is_whitespace() && !"([\"'".contains(c));
        if util::alnum_before(text, i)
            || (matches!(util::char_before(text, i), Some('/' | '.' | '_')) && !lead_slash)
        {
            continue;
        }
        let s = i + 2;
        let mut e = s;
        while util::byte_at(text, e)
            .is_some_and(|x| x.is_ascii_alphanumeric() || x == b'_' || x == b'-')
            && e - s <= 20
        {
            e += 1;
        }
        if !(3..=20).contains(&(e - s)) || util::alnum_after(text, e) {
            continue;
        }
        util::push(out, text, (s, e), FAM, None, REDDIT_USER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(t: &str) -> Vec<&str> {
        let u = Username::new().unwrap();
        let cues = super::super::cues::Cues::new().unwrap();
        let mut out = Vec::new();
        u.find(t, &cues.scan(t).user, &mut out);
        let mut v: Vec<_> = out
            .iter()
            .map(|f| (f.span.start(), f.span.slice(t).unwrap()))
            .collect();
        v.sort();
        v.into_iter().map(|(_, s)| s).collect()
    }

    #[test]
    fn at_handles() {
        assert_eq!(
            users("follow @priya_s22 and @rahul.k."),
            vec!["@priya_s22", "@rahul.k"]
        );
        assert_eq!(users("ig @xo_sana"), vec!["@xo_sana"]);
        assert_eq!(users("हाय @raj_99 😀"), vec!["@raj_99"]);
        assert!(users("meet @ 5pm").is_empty());
        assert!(users("meet @5pm").is_empty());
        assert!(users("jdoe@gmail.com").is_empty());
        assert!(users("ping @everyone").is_empty());
        assert!(users("@a").is_empty());
    }

    #[test]
    fn markdown_escaped_underscores_stay_in_the_handle() {
        assert_eq!(
            users("3. Maud R (@maud\\_ramelet)\n4. [@philipp\\\\_hauer](x)"),
            vec!["@maud\\_ramelet", "@philipp\\\\_hauer"]
        );
    }

    #[test]
    fn decorators_and_package_scopes_are_code() {
        let code = "@Controller\nexport class A {\n  @Get()\n  f() {}\n  @State private var x = 1\n  \
                    @IBOutlet weak var label: UILabel!\n}\n@app.route('/')\n@Parameterized.Parameters\n\
                    import { Module } from '@nestjs/common';";
        assert!(users(code).is_empty(), "{:?}", users(code));
        // Handles stay handles: first on a line in a tweet, or alone on a line in lowercase.
        assert_eq!(users("@maya_k see you there"), vec!["@maya_k"]);
        assert_eq!(users("thanks to\n@maya_k\n"), vec!["@maya_k"]);
        assert_eq!(users("(@maya_k)"), vec!["@maya_k"]);
    }

    #[test]
    fn cue_handles() {
        assert_eq!(users("my insta is priya.sharma_"), vec!["priya.sharma_"]);
        assert_eq!(users("my ig: xo_sana"), vec!["xo_sana"]);
        assert_eq!(users("insta: priyanka"), vec!["priyanka"]);
        assert_eq!(users("add me on snap: rahulk99"), vec!["rahulk99"]);
        assert_eq!(users("snap is jenny_b"), vec!["jenny_b"]);
        assert_eq!(users("sc: jenny_b"), vec!["jenny_b"]);
        assert_eq!(users("my snapchat is jennyb"), vec!["jennyb"]);
        assert_eq!(users("my tiktok is dance.queen"), vec!["dance.queen"]);
        assert_eq!(users("discord: gamer#1234"), vec!["gamer#1234"]);
        assert_eq!(users("discord is night.owl_"), vec!["night.owl_"]);
        assert_eq!(users("my gamertag is xXSlayerXx"), vec!["xXSlayerXx"]);
        assert_eq!(users("psn id shadowhunter77"), vec!["shadowhunter77"]);
        assert_eq!(users("steam name: frosty"), vec!["frosty"]);
        assert_eq!(users("reddit u/throwaway_123"), vec!["throwaway_123"]);
        assert_eq!(users("what would Al tell /u/CruxHub?"), vec!["CruxHub"]);
        assert!(users("see src/u/main.rs and a/u/xyz1").is_empty());
        assert_eq!(users("my username is jdoe42"), vec!["jdoe42"]);
        assert_eq!(users("user name: priya_s"), vec!["priya_s"]);
        assert_eq!(users("my handle is coolcat."), vec!["coolcat"]);
        assert_eq!(
            users("find me on twitter as jdoe_writes"),
            vec!["jdoe_writes"]
        );
        assert_eq!(users("insta isabella_k"), vec!["isabella_k"]);
    }

    #[test]
    fn cue_negatives() {
        for t in [
            "my insta is private",
            "my snap is broken",
            "my snap is down again",
            "my insta is not working",
            "ig he is right",
            "full steam ahead",
            "I can't handle it",
            "snap out of it",
            "my tiktok is blowing up",
            "the discord is dead",
            "my insta is deleted lol",
            "on twitter as well",
        ] {
            assert!(users(t).is_empty(), "{t:?} -> {:?}", users(t));
        }
    }
}
