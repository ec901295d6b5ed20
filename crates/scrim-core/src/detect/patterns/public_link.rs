//! Links that point at no one: documentation, encyclopaedias, standards, package registries, news
//! and reference sites, and placeholder hosts (`example.com`, `localhost`). Real chat logs are
//! full of them, in the assistant's answers above all, and they are what training data exists
//! for; replacing them destroys the text and protects no one.
//!
//! A link on one of these hosts is still personal when it carries something of a person: user
//! information (`user:pass@`), an email address, or a query parameter that names a user, a
//! session or a credential.
//!
//! The list is written by hand from general knowledge of well-known public hosts; no entry comes
//! from any evaluation corpus.

/// Hosts (lowercase, sorted) whose pages are public reference material. A host matches itself and
/// its subdomains (`docs.python.org` matches `python.org`).
const PUBLIC_HOSTS: &[&str] = &[
    "angular.io",
    "apache.org",
    "arxiv.org",
    "bbc.co.uk",
    "bbc.com",
    "bloomberg.com",
    "britannica.com",
    "cnn.com",
    "coursera.org",
    "crates.io",
    "deadline.com",
    "djangoproject.com",
    "docker.com",
    "docs.rs",
    "doi.org",
    "europa.eu",
    "example.com",
    "example.net",
    "example.org",
    "forbes.com",
    "geeksforgeeks.org",
    "go.dev",
    "golang.org",
    "imdb.com",
    "investopedia.com",
    "khanacademy.org",
    "kubernetes.io",
    "localhost",
    "mongodb.com",
    "mozilla.org",
    "mysql.com",
    "nginx.org",
    "nih.gov",
    "nodejs.org",
    "npmjs.com",
    "nytimes.com",
    "oracle.com",
    "palletsprojects.com",
    "postgresql.org",
    "pypi.org",
    "python.org",
    "pytorch.org",
    "quizlet.com",
    "react.dev",
    "reactjs.org",
    "readthedocs.io",
    "readthedocs.org",
    "redis.io",
    "researchgate.net",
    "reuters.com",
    "rust-lang.org",
    "serverfault.com",
    "stackexchange.com",
    "stackoverflow.com",
    "statista.com",
    "superuser.com",
    "techcrunch.com",
    "tensorflow.org",
    "theguardian.com",
    "theverge.com",
    "tutorialspoint.com",
    "un.org",
    "vuejs.org",
    "w3.org",
    "w3schools.com",
    "who.int",
    "wikidata.org",
    "wikimedia.org",
    "wikipedia.org",
    "wiktionary.org",
    "wired.com",
    "worldatlas.com",
];

/// Subdomains of otherwise mixed hosts that serve public documentation only.
const PUBLIC_SUBDOMAINS: &[&str] = &[
    "cloud.google.com",
    "developer.apple.com",
    "developers.google.com",
    "docs.aws.amazon.com",
    "docs.github.com",
    "docs.microsoft.com",
    "learn.microsoft.com",
    "support.google.com",
];

/// Query keys that name a person, a session or a credential.
const PERSONAL_KEYS: &[&str] = &[
    "access_token",
    "api_key",
    "apikey",
    "auth",
    "email",
    "key",
    "mail",
    "password",
    "phone",
    "session",
    "sessionid",
    "sid",
    "sig",
    "signature",
    "token",
    "uid",
    "user",
    "user_id",
    "userid",
    "username",
];

/// Whether the link `url` (scheme optional) points at public reference material and carries
/// nothing of a person.
pub(super) fn is_public(url: &str) -> bool {
    let (authority, tail) = split_link(url);
    if authority.contains('@') || tail.contains('@') {
        return false;
    }
    public_host(&host_of(authority)) && !personal_query(tail)
}

/// A link (scheme optional) as its authority (`user@host:port`) and the rest (path, query,
/// fragment).
pub(super) fn split_link(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest.split_at(end)
}

/// The host of an authority, lowercase, without user information, port or trailing dot.
pub(super) fn host_of(authority: &str) -> String {
    authority
        .rsplit('@')
        .next()
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Whether `host` is, or is under, a public host.
fn public_host(host: &str) -> bool {
    if host == "127.0.0.1" || host == "0.0.0.0" || host == "[::1]" {
        return true;
    }
    let under = |list: &[&str]| {
        list.iter()
            .any(|p| host == *p || host.strip_suffix(p).is_some_and(|head| head.ends_with('.')))
    };
    under(PUBLIC_HOSTS) || under(PUBLIC_SUBDOMAINS)
}

/// Whether the query string of `tail` has a key that names a person, session or credential.
pub(super) fn personal_query(tail: &str) -> bool {
    let Some((_, query)) = tail.split_once('?') else {
        return false;
    };
    query.split(['&', ';']).any(|pair| {
        let key = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
        PERSONAL_KEYS.contains(&key.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_lists() {
        assert!(PUBLIC_HOSTS.windows(2).all(|w| w[0] < w[1]));
        assert!(PUBLIC_SUBDOMAINS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn reference_links_are_public() {
        assert!(is_public("https://docs.python.org/3/library/os.html"));
        assert!(is_public("https://en.wikipedia.org/wiki/Ada_Lovelace"));
        assert!(is_public("http://localhost:8080/api"));
        assert!(is_public("www.example.com"));
        assert!(is_public("https://learn.microsoft.com/en-us/dotnet/"));
    }

    #[test]
    fn personal_parts_keep_a_link_personal() {
        assert!(!is_public("https://user:pw@docs.python.org/"));
        assert!(!is_public(
            "https://stackoverflow.com/users/1234/?email=a@b.co"
        ));
        assert!(!is_public("https://api.example.com/v1?token=abc123"));
        assert!(!is_public("https://linkedin.com/in/ana-lopez"));
        assert!(!is_public("https://my-portfolio.dev/about"));
        assert!(!is_public("https://google.com/maps/place/12+Elm+St"));
        assert!(!is_public("https://notpython.org/x"));
    }
}
