//! USERNAME in what people paste from their machines: the user in home paths (`/home/alice`,
//! `/Users/bob`, `C:\Users\carol`, also with doubled backslashes or forward slashes as code
//! and JSON write them), in shell prompts (`dave@lab:~$`, `[erin@db01 ~]#`, `(venv) frank@host
//! ~ %`), in remote logins (`ssh grace@10.0.0.5`) and in account lines pasted from
//! `/etc/passwd` (a login user, uid 1000 and up: `john:x:1001:1001:...`) or `/etc/shadow` (an
//! account with a password hash: `john:$6$...`). The span is the user name only.
//!
//! Generic accounts (`root`, `ubuntu`, `ec2-user`, `admin`, ...) and placeholders (`username`,
//! `<user>`, `$USER`) are no one's name and are skipped.

use regex::Regex;

use super::score::username::{ACCOUNT_LINE, HOME_PATH, PROMPT_USER, REMOTE_LOGIN};
use super::util::{self, compile};
use super::Family;
use crate::error::Result;
use crate::span::Finding;

const FAM: Family = Family::Username;

/// Accounts that every machine has, and placeholders: never a person's user name.
const GENERIC: &[&str] = &[
    "admin",
    "administrator",
    "all users",
    "azureuser",
    "centos",
    "debian",
    "default",
    "docker",
    "ec2-user",
    "fedora",
    "git",
    "guest",
    "jenkins",
    "jovyan",
    "me",
    "my_user",
    "myuser",
    "name",
    "nobody",
    "opc",
    "pi",
    "postgres",
    "public",
    "root",
    "runner",
    "shared",
    "student",
    "test",
    "ubuntu",
    "user",
    "user_name",
    "username",
    "users",
    "vagrant",
    "www-data",
    "you",
    "your_user",
    "your_username",
    "yourname",
    "yourusername",
];

/// Commands whose `user@host` argument is a login on another machine (the remote-login pattern
/// below, and the email rules, which leave such a login to this module).
pub(crate) const REMOTE_COMMANDS: &[&str] = &[
    "mosh",
    "rsync",
    "scp",
    "sftp",
    "ssh",
    "ssh-copy-id",
    "telnet",
];

/// Home-path, prompt and remote-login users.
pub(crate) struct Accounts {
    home: Regex,
    prompt: Regex,
    remote: Regex,
    account_line: Regex,
}

/// The first user id of people's accounts on Linux distributions (below: system accounts).
const FIRST_LOGIN_UID: u64 = 1000;
/// `nobody`'s user id.
const NOBODY_UID: u64 = 65534;

impl Accounts {
    pub(crate) fn new() -> Result<Accounts> {
        Ok(Accounts {
            home: compile(
                "username.home",
                r"(?:/home/|/Users/|/export/home/|/var/home/|(?i:[a-z]:(?:\\\\|\\|/)(?:users|documents and settings)(?:\\\\|\\|/)))(?P<u>[\p{L}\p{N}][\p{L}\p{N}._-]{0,31})",
            )?,
            prompt: compile(
                "username.prompt",
                r"(?m)^[ \t]*(?:\([^)\n]{1,40}\)[ \t]*)?\[?(?P<u>[A-Za-z_][A-Za-z0-9_.-]{0,31})@[A-Za-z0-9][A-Za-z0-9._-]{0,62}(?::[ \t]*[~/]|[ \t]+[^\n\]]{0,60}\][$#]|[ \t]+~[^\n]{0,60}?[%$#][ \t])",
            )?,
            remote: compile(
                "username.remote",
                &format!(
                    r"\b(?:{})\b[^\n@]{{0,80}}?[\s:](?P<u>[A-Za-z_][A-Za-z0-9_.-]{{0,31}})@[A-Za-z0-9][A-Za-z0-9.-]*",
                    REMOTE_COMMANDS.join("|")
                ),
            )?,
            account_line: compile(
                "username.account_line",
                r"(?m)^[ \t]*(?P<u>[A-Za-z_][A-Za-z0-9_.-]{0,31}):(?:x:(?P<uid>[0-9]{1,10}):[0-9]{1,10}:|\$[0-9a-z]{1,2}\$(?:[./A-Za-z0-9,=]{1,32}\$){1,2}[./A-Za-z0-9]{8,})",
            )?,
        })
    }

    /// Append the users found in `text`.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Finding>) {
        if !text.contains(['/', '\\', '@', ':']) {
            return;
        }
        // Cheap tests for what a pattern cannot match without (its literal `@`, the `:x:` or
        // `:$` of a passwd or shadow line), so that most texts skip the full regex scans.
        let at = text.contains('@');
        for (re, score, possible) in [
            (&self.home, HOME_PATH, true),
            (&self.prompt, PROMPT_USER, at),
            (&self.remote, REMOTE_LOGIN, at),
        ] {
            if !possible {
                continue;
            }
            for c in re.captures_iter(text) {
                let Some(u) = c.name("u") else { continue };
                let (s, e) = trim_dots(text, u.start(), spaced_end(text, u.end()));
                if e > s && !is_generic(util::slice(text, s, e)) {
                    util::push(out, text, (s, e), FAM, None, score);
                }
            }
        }
        if !(text.contains(":x:") || text.contains(":$")) {
            return;
        }
        for c in self.account_line.captures_iter(text) {
            let Some(u) = c.name("u") else { continue };
            // A passwd line names a person's account only from the first login uid on.
            let system = c.name("uid").is_some_and(|uid| {
                uid.as_str()
                    .parse::<u64>()
                    .map_or(true, |n| n < FIRST_LOGIN_UID || n == NOBODY_UID)
            });
            if !system && !is_generic(u.as_str()) {
                util::push(out, text, (u.start(), u.end()), FAM, None, ACCOUNT_LINE);
            }
        }
    }
}

/// The end of a profile name with spaces (`C:\Users\HP G3 490\Documents`, `/Users/Ana Ruiz/`):
/// from `e`, the end of its first word, on through up to three more space-separated words when a
/// path separator follows the last of them; else `e`.
fn spaced_end(text: &str, e: usize) -> usize {
    let mut at = e;
    for _ in 0..3 {
        if util::byte_at(text, at) != Some(b' ') {
            break;
        }
        let word = util::slice(text, at + 1, util::floor_boundary(text, at + 33))
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .map_or(0, |(i, _)| i);
        if word == 0 {
            break;
        }
        at += 1 + word;
        if matches!(util::byte_at(text, at), Some(b'\\' | b'/')) {
            return at;
        }
    }
    e
}

/// `[s, e)` without trailing dots (a sentence end, `~/...`).
fn trim_dots(text: &str, s: usize, mut e: usize) -> (usize, usize) {
    while e > s && util::byte_at(text, e - 1) == Some(b'.') {
        e -= 1;
    }
    (s, e)
}

/// A generic account or placeholder.
fn is_generic(user: &str) -> bool {
    let lower = user.to_ascii_lowercase();
    GENERIC.contains(&lower.as_str()) || lower.starts_with("your")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn users(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Accounts::new().unwrap().find(text, &mut out);
        out.iter()
            .map(|f| f.span.slice(text).unwrap().to_string())
            .collect()
    }

    #[test]
    fn home_paths_in_every_spelling() {
        assert_eq!(users("cd /home/alice/projects"), ["alice"]);
        assert_eq!(users("File \"/Users/bob.k/Library/x.py\""), ["bob.k"]);
        assert_eq!(users(r"PS C:\Users\carol\Desktop> dir"), ["carol"]);
        assert_eq!(users(r#"path = "C:\\Users\\dmitri\\AppData""#), ["dmitri"]);
        assert_eq!(users("d:/users/Łukasz"), ["Łukasz"]);
        assert_eq!(users("open c:/Users/erin/a.txt"), ["erin"]);
        assert_eq!(
            users(r"1>C:\Users\HP G3 490\Documents\a.cpp(9): error"),
            ["HP G3 490"]
        );
        assert_eq!(users("/Users/Ana Ruiz/Desktop"), ["Ana Ruiz"]);
        // Words after the path that lead to no separator are not part of the name.
        assert_eq!(users(r"cd C:\Users\bob and then dir"), ["bob"]);
    }

    #[test]
    fn prompts_and_remote_logins() {
        assert_eq!(users("jdoe@lab-01:~/src$ ls"), ["jdoe"]);
        assert_eq!(users("[erin@db01 ~]# systemctl status"), ["erin"]);
        assert_eq!(users("(venv) frank@mbp ~ % pip list"), ["frank"]);
        assert_eq!(users("then run ssh -p 2222 grace@10.0.0.5"), ["grace"]);
    }

    #[test]
    fn passwd_and_shadow_lines_name_login_accounts() {
        let passwd =
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
                      nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
                      mirela:x:1001:1001:Mirela Ionescu:/home/mirela:/bin/bash";
        // The account line and the home path each find the login user; no system account.
        assert_eq!(users(passwd), ["mirela", "mirela"]);
        let shadow = "root:*:19000:0:99999:7:::\nsshd:!:19000::::::\n\
                      mirela:$6$BWBkZmcy$Vl76uNq0:19000:0:99999:7:::";
        assert_eq!(users(shadow), ["mirela"]);
        // Prose and key-value text with colons are not account lines.
        assert!(users("note: x:1001 is the port\nserver:x:12:3").is_empty());
        assert!(users("price:$5$ per unit, total:$12$").is_empty());
    }

    #[test]
    fn generic_accounts_and_prose_are_skipped() {
        assert!(users("ubuntu@ip-10-0-0-1:~$ sudo su").is_empty());
        assert!(users("ssh root@server and /home/user/app").is_empty());
        assert!(users("C:\\Users\\YourName\\Documents").is_empty());
        assert!(users("email me at hana@example.org").is_empty());
        assert!(users("the home directory is where users live").is_empty());
    }

    #[test]
    fn offsets_stay_on_character_boundaries_next_to_emoji() {
        let text = "🙂 /home/zoë/ 日本";
        let mut out = Vec::new();
        Accounts::new().unwrap().find(text, &mut out);
        for f in &out {
            assert!(text.is_char_boundary(f.span.start()) && text.is_char_boundary(f.span.end()));
        }
    }
}
