//! URL: `http(s)://` and `www.` links, profile links on social sites without a scheme
//! ("instagram.com/priya", "wa.me/919876543210"), and bare `name.tld/path` links with a common
//! top-level domain. Trailing punctuation is trimmed; balanced parentheses are kept. Links to
//! public reference material that carry nothing of a person (`docs.python.org/...`,
//! `en.wikipedia.org/...`, `localhost`) are not personal data and are left alone
//! (`public_link.rs`).

use super::public_link;
use super::score::url::{BARE_LINK, SCHEME_LINK, SOCIAL_LINK, WWW_LINK};
use super::util;
use super::words;
use super::Family;

use crate::span::Finding;

const FAM: Family = Family::Url;

/// Social, messaging and profile hosts (lowercase, sorted) whose `host/path` links are personal.
const SOCIAL: &[&str] = &[
    "about.me",
    "behance.net",
    "bsky.app",
    "buymeacoffee.com",
    "calendly.com",
    "cash.app",
    "discord.com",
    "discord.gg",
    "dribbble.com",
    "facebook.com",
    "fb.com",
    "fb.me",
    "flickr.com",
    "github.com",
    "gitlab.com",
    "instagr.am",
    "instagram.com",
    "kik.me",
    "ko-fi.com",
    "linkedin.com",
    "linktr.ee",
    "m.me",
    "mastodon.social",
    "medium.com",
    "onlyfans.com",
    "patreon.com",
    "paypal.me",
    "pinterest.com",
    "quora.com",
    "reddit.com",
    "snapchat.com",
    "soundcloud.com",
    "spotify.com",
    "substack.com",
    "t.me",
    "telegram.me",
    "threads.net",
    "tiktok.com",
    "tumblr.com",
    "twitch.tv",
    "twitter.com",
    "venmo.com",
    "vimeo.com",
    "vk.com",
    "wa.me",
    "weibo.com",
    "x.com",
    "xing.com",
    "youtu.be",
    "youtube.com",
];

/// URL detection.
pub(crate) struct Url;

impl Url {
    pub(crate) fn new() -> Url {
        Url
    }

    /// Find links; `starts` are the "http://", "https://" and "www." hits of the text.
    pub(crate) fn find(&self, text: &str, starts: &[(usize, usize)], out: &mut Vec<Finding>) {
        let has_slash = text.contains('/');
        let found = find_started(text, starts, out);
        if has_slash {
            find_bare(text, &found, out);
        }
    }
}

/// Links from the scheme and "www." `starts`; returns their spans, disjoint and in order (a start
/// inside an earlier link is skipped).
fn find_started(
    text: &str,
    starts: &[(usize, usize)],
    out: &mut Vec<Finding>,
) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    // Starts come in order, so one inside a link is one before the last link's end.
    let mut reach = 0usize;
    for &(s, m_end) in starts {
        if s < reach {
            continue;
        }
        let Some((e, score)) = started_link(text, s, m_end) else {
            continue;
        };
        if keep(text, s, e) {
            util::push(out, text, (s, e), FAM, None, score);
        }
        found.push((s, e));
        reach = reach.max(e);
    }
    found
}

/// Whether the link at `s..e` is reported: not public reference material, and not a source
/// cited by a label ("URL: https://...", "Source: ...", as web search results paste them)
/// unless it carries something of a person ([`carries_person`]).
fn keep(text: &str, s: usize, e: usize) -> bool {
    let link = util::slice(text, s, e);
    !public_link::is_public(link)
        && !social_page(link)
        && ((!cited(text, s) && !published_piece(link)) || carries_person(link))
}

/// Whether `link` points at a published piece rather than at someone: a dated article path
/// (`/2016/04/27/...`, `/2019/01/...`) or a PDF document. Assistants cite such links by the
/// dozen; one that carries a person ([`carries_person`]: a profile, a share token, user
/// information) is still reported. An article slug alone says nothing: a personal blog's posts
/// have them too.
fn published_piece(link: &str) -> bool {
    let (_, tail) = public_link::split_link(link);
    let path = tail.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let year = |p: &str| p.len() == 4 && p.parse::<u16>().is_ok_and(|y| (1990..=2039).contains(&y));
    let month = |p: &str| p.len() <= 2 && p.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
    let dated = segments
        .windows(2)
        .any(|w| matches!(w, [y, m] if year(y) && month(m)));
    let pdf = segments
        .last()
        .is_some_and(|p| p.to_ascii_lowercase().ends_with(".pdf"));
    dated || pdf
}

/// Whether `link` is a page of a social network that is no one's profile: a group, an event, a
/// help page, the network's own page ("linkedin.com/groups/1549427", "facebook.com/facebook").
fn social_page(link: &str) -> bool {
    let (authority, _) = public_link::split_link(link);
    let host = public_link::host_of(authority);
    let host = host.trim_start_matches("www.");
    let social = SOCIAL
        .iter()
        .any(|p| host == *p || host.strip_suffix(p).is_some_and(|h| h.ends_with('.')));
    social && !carries_person(link)
}

/// The most bytes [`reports`] reads on either side of a span for the link around it.
const LINK_REACH: usize = 512;

/// Whether the link around `s..e` (a span another detector, the learned tier, called a URL) is
/// one this detector reports: the whole link, from the white space or bracket before it to the
/// one after, is not public reference material, and not a cited source that carries no one.
/// The rule tier owns that judgement; a model sees a link's shape, not whose it is.
pub(crate) fn reports(text: &str, s: usize, e: usize) -> bool {
    let stop = |c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"' | '\'' | '`')
    };
    let lo = util::floor_boundary(text, s.saturating_sub(LINK_REACH));
    let start = util::slice(text, lo, s)
        .char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let hi = util::floor_boundary(text, e.saturating_add(LINK_REACH));
    let end = util::slice(text, e, hi)
        .char_indices()
        .find(|(_, c)| stop(*c))
        .map_or(hi, |(i, _)| e + i);
    let link = util::slice(text, start, end).trim_end_matches(['.', ',', ';', ':', '!', '?']);
    if link.is_empty() {
        return true;
    }
    keep(text, start, start + link.len())
}

/// Labels that introduce a cited source on its line.
const CITING_LABELS: &[&str] = &["url:", "source:", "sources:", "link:", "reference:", "ref:"];

/// Whether the link starting at byte `s` follows a citing label on its line.
fn cited(text: &str, s: usize) -> bool {
    // A bounded look back: the label sits right before the link.
    let window = util::lower_before(text, s, 40);
    let before = window.rsplit('\n').next().unwrap_or("").trim_end();
    let before = before
        .trim_end_matches(['*', '_', '(', '<', '['])
        .trim_end();
    CITING_LABELS.iter().any(|l| before.ends_with(l))
}

/// Cloud hosts whose subdomains are someone's own deployment or database.
const DEPLOYMENT_HOSTS: &[&str] = &[
    "azurewebsites.net",
    "database.windows.net",
    "documents.azure.com",
    "firebaseapp.com",
    "firebaseio.com",
    "fly.dev",
    "herokuapp.com",
    "mongodb.net",
    "neon.tech",
    "netlify.app",
    "ngrok-free.app",
    "ngrok.io",
    "onrender.com",
    "pages.dev",
    "rds.amazonaws.com",
    "repl.co",
    "supabase.co",
    "vercel.app",
    "web.app",
    "workers.dev",
];

/// Top-level names of private networks.
const PRIVATE_SUFFIXES: &[&str] = &[".local", ".internal", ".lan", ".corp", ".home", ".intranet"];

/// Path segments of social hosts that are no one's profile.
const SOCIAL_PAGES: &[&str] = &[
    "about",
    "help",
    "legal",
    "policies",
    "privacy",
    "terms",
    "login",
    "signup",
    "share",
    "sharer",
    "search",
    "explore",
    "hashtag",
    "home",
    "settings",
    "docs",
    "features",
    "pricing",
    "watch",
    "results",
    "embed",
    "blog",
    "topics",
    "trending",
    "intent",
    "groups",
    "group",
    "events",
    "jobs",
    "school",
    "showcase",
    "marketplace",
    "gaming",
    "business",
    "developers",
];

/// Whether a link carries something of a person wherever it stands: user information or an
/// email address, a query key naming a user, session or credential, a profile on a social host,
/// a private or deployment host (an IP address, `*.local`, `*.herokuapp.com`, an
/// `execute-api` endpoint), or an opaque share token in its path. Links in code and cited
/// sources are reported only then.
pub(crate) fn carries_person(link: &str) -> bool {
    let (authority, tail) = public_link::split_link(link);
    if authority.contains('@') || tail.contains('@') || tail.contains("%40") {
        return true;
    }
    if public_link::personal_query(tail) {
        return true;
    }
    let host = public_link::host_of(authority);
    let host = host.trim_start_matches("www.");
    let under = |list: &[&str]| {
        list.iter()
            .any(|p| host == *p || host.strip_suffix(p).is_some_and(|h| h.ends_with('.')))
    };
    let ip = host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok());
    if (ip && !host.starts_with("127.") && host != "0.0.0.0")
        || PRIVATE_SUFFIXES.iter().any(|s| host.ends_with(s))
        || under(DEPLOYMENT_HOSTS)
        || host.contains(".execute-api.")
    {
        return true;
    }
    let mut segments = tail
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|p| !p.is_empty());
    if under(SOCIAL) {
        let first = segments.next().unwrap_or("").to_ascii_lowercase();
        let first = first.trim_start_matches('@');
        let profile_dir = matches!(first, "in" | "u" | "user" | "c" | "channel" | "company");
        // The network's own page ("facebook.com/facebook") is no one's profile.
        let own_page = host.split('.').next().is_some_and(|name| name == first);
        return !first.is_empty() && (profile_dir || !(SOCIAL_PAGES.contains(&first) || own_page));
    }
    segments.any(opaque_token)
}

/// A share token: 20 characters or more of letters in both cases and digits (`1AbC...`), not a
/// hex digest or a UUID (which name files and records, not people).
fn opaque_token(segment: &str) -> bool {
    // Markdown-escaped underscores ("1nO9vsh\\_qGNl") are underscores.
    let segment = util::unescaped(segment);
    segment.len() >= 20
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && segment.chars().any(|c| c.is_ascii_uppercase())
        && segment.chars().any(|c| c.is_ascii_lowercase())
        && segment.chars().any(|c| c.is_ascii_digit())
}

/// The link whose scheme or "www." runs from `s` to `m_end`: its end and score.
fn started_link(text: &str, s: usize, m_end: usize) -> Option<(usize, f32)> {
    // Scripts written without spaces (CJK) may touch the link; Latin letters may not.
    if matches!(util::char_before(text, s), Some(c) if c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '@' | '-' | '_'))
    {
        return None;
    }
    let host_start = m_end;
    let e = url_end(text, host_start);
    let host = host_of(util::slice(text, host_start, e));
    let www = m_end - s == 4;
    let host_ok = !host.is_empty()
        && host.chars().next().is_some_and(char::is_alphanumeric)
        && (!www || host.contains('.'));
    if !host_ok {
        return None;
    }
    Some((e, if www { WWW_LINK } else { SCHEME_LINK }))
}

/// Bare `host/path` links, found from each slash outside the links already `found`.
fn find_bare(text: &str, found: &[(usize, usize)], out: &mut Vec<Finding>) {
    // Slashes come in order: a sweep over the links found above, and for the links found
    // here (each starting before the slash that found it) the furthest end so far. Linear,
    // where comparing each slash with every link was quadratic in links per message.
    let mut next = 0usize;
    let mut bare_reach = 0usize;
    for (slash, _) in text.match_indices('/') {
        while found.get(next).is_some_and(|(_, b)| *b <= slash) {
            next += 1;
        }
        let in_found = found.get(next).is_some_and(|(a, _)| *a <= slash);
        if in_found || slash < bare_reach {
            continue;
        }
        let Some((hs, e, score)) = bare_link(text, slash) else {
            continue;
        };
        if keep(text, hs, e) {
            util::push(out, text, (hs, e), FAM, None, score);
        }
        bare_reach = bare_reach.max(e);
    }
}

/// The bare link whose host ends at `slash`: its start, end and score.
fn bare_link(text: &str, slash: usize) -> Option<(usize, usize, f32)> {
    let hs = bare_host_start(text, slash)?;
    let host = util::slice(text, hs, slash);
    if host.starts_with(['.', '-'])
        || host.ends_with(['.', '-'])
        || !host.contains('.')
        || host.contains("..")
    {
        return None;
    }
    // A path must follow.
    if !util::byte_at(text, slash + 1).is_some_and(|b| {
        b.is_ascii_alphanumeric() || b == b'@' || b == b'_' || b == b'~' || b == b'+'
    }) {
        return None;
    }
    let score = bare_host_score(host)?;
    let e = url_end(text, slash);
    if e <= slash + 1 {
        return None;
    }
    Some((hs, e, score))
}

/// The start of the host before `slash` (back over `[A-Za-z0-9.-]`), when one is there and is not
/// glued to a word, an email or another path.
fn bare_host_start(text: &str, slash: usize) -> Option<usize> {
    let mut hs = slash;
    while hs > 0 && slash - hs < 253 {
        match util::byte_at(text, hs - 1) {
            Some(b) if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' => hs -= 1,
            _ => break,
        }
    }
    if hs == slash
        || matches!(util::char_before(text, hs), Some('@' | '/' | ':' | '_'))
        || util::alnum_before(text, hs)
    {
        return None;
    }
    Some(hs)
}

/// The score of a bare link on `host`: social hosts always, other hosts only with a common
/// top-level domain and a name of two or more characters.
fn bare_host_score(host: &str) -> Option<f32> {
    let lower = host.to_ascii_lowercase();
    let bare = lower
        .strip_prefix("m.")
        .or_else(|| lower.strip_prefix("mobile."))
        .unwrap_or(&lower);
    if SOCIAL.binary_search(&bare).is_ok() {
        return Some(SOCIAL_LINK);
    }
    let mut labels = lower.rsplit('.');
    let tld = labels.next().unwrap_or("");
    let name = labels.next().unwrap_or("");
    if !words::is_url_tld(tld) || name.len() < 2 || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    Some(BARE_LINK)
}

/// The host part of a URL tail (up to the first '/', '?', '#' or ':').
fn host_of(rest: &str) -> &str {
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

/// The end of a URL starting at or before `from`: up to whitespace or a character that cannot be in
/// a link, then trailing punctuation and unbalanced closing brackets trimmed.
fn url_end(text: &str, from: usize) -> usize {
    let mut e = from;
    while let Some(c) = util::char_after(text, e) {
        let esc = util::md_escape_len(text, e);
        if esc > 0 {
            e += esc;
            continue;
        }
        let ok = if c.is_ascii() {
            c.is_ascii_graphic()
                && !matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^')
        } else {
            c.is_alphanumeric()
        };
        if !ok || e - from > 2048 {
            break;
        }
        e += c.len_utf8();
    }
    // Trim trailing punctuation and unbalanced closers.
    while let Some(last) = util::char_before(text, e) {
        if e <= from {
            break;
        }
        let body = util::slice(text, from, e);
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' => true,
            ')' => body.matches('(').count() < body.matches(')').count(),
            ']' => body.matches('[').count() < body.matches(']').count(),
            _ => false,
        };
        if !trim {
            break;
        }
        e -= last.len_utf8();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(t: &str) -> Vec<&str> {
        let u = Url::new();
        let cues = super::super::cues::Cues::new().unwrap();
        let mut out = Vec::new();
        u.find(t, &cues.scan(t).url, &mut out);
        out.iter().map(|f| f.span.slice(t).unwrap()).collect()
    }

    #[test]
    fn public_reference_links_are_left_alone() {
        assert!(
            urls("see https://docs.python.org/3/library/os.html and localhost:8000/x").is_empty()
        );
        assert!(urls("(https://en.wikipedia.org/wiki/Foo_(bar))").is_empty());
        assert_eq!(
            urls("https://docs.python.org/x?token=abc and https://ana.dev/cv"),
            vec!["https://docs.python.org/x?token=abc", "https://ana.dev/cv"]
        );
    }

    #[test]
    fn markdown_escaped_underscores_stay_in_the_link() {
        assert_eq!(
            urls("posted on [Twitter](https://twitter.com/maya\\_k/status/1561) today"),
            vec!["https://twitter.com/maya\\_k/status/1561"]
        );
        // A backslash that escapes nothing still ends a link.
        assert_eq!(urls("at https://maya.dev\\path"), vec!["https://maya.dev"]);
    }

    #[test]
    fn cited_sources_are_kept_only_when_they_carry_a_person() {
        let t = "[1] \"Why we procrastinate\"\nURL: https://www.npr.org/2016/04/11/why-we\n\
                 [2] \"Profile\"\nURL: https://www.linkedin.com/in/maya-k-3a6327\n\
                 Source: https://shop.test/item?email=maya@mail.test\n\
                 my site is https://mayak.dev/portfolio";
        assert_eq!(
            urls(t),
            vec![
                "https://www.linkedin.com/in/maya-k-3a6327",
                "https://shop.test/item?email=maya@mail.test",
                "https://mayak.dev/portfolio"
            ]
        );
    }

    #[test]
    fn published_pieces_are_kept_only_when_they_carry_a_person() {
        let t = "see https://www.dailynews.test/2016/12/30/507277839/inside-the-mind \
                 and https://stats.acme.org/pubs/FR342/FR342.pdf \
                 but https://mayak.dev/2019/cv and https://mayak.dev/my-cv \
                 and https://mayak.dev/2022/book-remote-work-lessons-learned/ \
                 and https://drive.acme.io/2020/05/x?token=abc";
        assert_eq!(
            urls(t),
            vec![
                "https://mayak.dev/2019/cv",
                "https://mayak.dev/my-cv",
                "https://mayak.dev/2022/book-remote-work-lessons-learned/",
                "https://drive.acme.io/2020/05/x?token=abc"
            ]
        );
    }

    #[test]
    fn what_carries_a_person() {
        for link in [
            "https://github.com/maya-k",
            "https://www.facebook.com/maya.k/",
            "https://u:pw@db.test/x",
            "http://192.168.1.20:8080/admin",
            "https://myapp-42.herokuapp.com/api",
            "https://0lrx.execute-api.ap-northeast-1.amazonaws.com/dev",
            "http://printer.local/status",
            "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit",
            "https://shop.test/login?token=abc",
        ] {
            assert!(carries_person(link), "{link}");
        }
        for link in [
            "https://api.notion.com/v1/databases/%s/query",
            "https://www.facebook.com/help/123",
            "https://www.linkedin.com/groups/1549427/",
            "https://www.facebook.com/facebook",
            "https://oauth2.googleapis.com/token",
            "https://github.com/",
            "https://art19.com/shows/x/episodes/6b1a6d89-28cf-4e0a-9f3b-2a1c0d5e7f80",
            "http://127.0.0.1:5000/",
        ] {
            assert!(!carries_person(link), "{link}");
        }
    }

    #[test]
    fn social_pages_that_are_no_ones_profile_are_left_alone() {
        assert_eq!(
            urls("| <https://www.linkedin.com/groups/1549427/> | <https://www.linkedin.com/in/maya-k> |"),
            vec!["https://www.linkedin.com/in/maya-k"]
        );
        assert!(urls("[Facebook](https://www.facebook.com/facebook)").is_empty());
    }

    #[test]
    fn database_hosts_of_connection_strings() {
        assert_eq!(
            urls("uri = 'mongodb+srv://cluster0.ab12cd.mongodb.net/?retryWrites=true'"),
            vec!["mongodb+srv://cluster0.ab12cd.mongodb.net/?retryWrites=true"]
        );
        assert_eq!(
            urls("DATABASE_URL=postgres://db.internal:5432/app"),
            vec!["postgres://db.internal:5432/app"]
        );
    }

    #[test]
    fn social_sorted() {
        assert!(SOCIAL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn scheme_and_www() {
        assert_eq!(
            urls("see https://acme-shop.io/a?b=1."),
            vec!["https://acme-shop.io/a?b=1"]
        );
        assert_eq!(
            urls("(https://wiki.acme-shop.io/wiki/Foo_(bar))"),
            vec!["https://wiki.acme-shop.io/wiki/Foo_(bar)"]
        );
        assert_eq!(
            urls("at www.LiveAnchor.com.cy, ok"),
            vec!["www.LiveAnchor.com.cy"]
        );
        assert_eq!(urls("http://PoolVendor.be/"), vec!["http://PoolVendor.be/"]);
        assert_eq!(urls("\"https://x.io/p\""), vec!["https://x.io/p"]);
        assert_eq!(
            urls("我的网站是https://acme-shop.io/abc，谢谢"),
            vec!["https://acme-shop.io/abc"]
        );
        assert!(urls("http:// nothing").is_empty());
        assert!(urls("www. nope").is_empty());
    }

    #[test]
    fn bare_profiles() {
        assert_eq!(
            urls("follow instagram.com/priya.s_22!"),
            vec!["instagram.com/priya.s_22"]
        );
        assert_eq!(urls("linkedin.com/in/jdoe"), vec!["linkedin.com/in/jdoe"]);
        assert_eq!(urls("tiktok.com/@dancer"), vec!["tiktok.com/@dancer"]);
        assert_eq!(
            urls("msg me wa.me/919876543210"),
            vec!["wa.me/919876543210"]
        );
        assert_eq!(urls("t.me/jdoe"), vec!["t.me/jdoe"]);
        assert_eq!(urls("x.com/jdoe"), vec!["x.com/jdoe"]);
        assert_eq!(
            urls("reddit.com/u/throwaway"),
            vec!["reddit.com/u/throwaway"]
        );
        assert_eq!(urls("mysite.dev/about"), vec!["mysite.dev/about"]);
        assert!(urls("and/or 1/2 km/h").is_empty());
        assert!(urls("example.com").is_empty(), "bare domain without a path");
        assert!(urls("main.rs/foo").is_empty());
        assert!(urls("jdoe@gmail.com/x").is_empty());
    }

    #[test]
    fn a_link_another_detector_found_is_judged_whole() {
        let span = |t: &str, part: &str| {
            let s = t.find(part).unwrap();
            (s, s + part.len())
        };
        // The model marked the middle of a public link: the link around it is public.
        let t = "Docs: <https://docs.python.org/3/library/os.html>.";
        let (s, e) = span(t, "docs.python.org/3");
        assert!(!reports(t, s, e));
        // A cited source that carries no one, and one that is a profile.
        let t =
            "URL: https://www.npr.org/2016/04/11/why-we\nURL: https://www.linkedin.com/in/maya-k";
        let (s, e) = span(t, "https://www.npr.org");
        assert!(!reports(t, s, e));
        let (s, e) = span(t, "linkedin.com/in/maya-k");
        assert!(reports(t, s, e));
        // A personal site in prose, with trailing punctuation; non-Latin text around it.
        let t = "我的网站是 https://mayak.dev/portfolio。 thanks";
        let (s, e) = span(t, "mayak.dev");
        assert!(reports(t, s, e));
        let t = "see mayak.dev, thanks";
        let (s, e) = span(t, "mayak.dev");
        assert!(reports(t, s, e));
    }
}
