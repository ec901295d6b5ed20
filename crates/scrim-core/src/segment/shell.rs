//! Shell and REPL sessions: prompt lines and the output that follows them.

use super::fence;
use super::lines::{self, Line};

/// A shell session starting at line `i`: prompt lines and their output, up to a blank line not
/// followed by another prompt, a prose line, or a fence. Returns the end line (exclusive).
pub(crate) fn run(lines: &[Line<'_>], i: usize) -> Option<usize> {
    prompt_len(lines.get(i)?.s)?;
    let (mut j, mut end) = (i + 1, i + 1);
    while let Some(l) = lines.get(j) {
        if lines::is_blank(l.s) {
            match lines::next_nonblank(lines, j) {
                Some(k) if lines.get(k).is_some_and(|n| prompt_len(n.s).is_some()) => {
                    j = k;
                    continue;
                }
                _ => break,
            }
        }
        let prompt = prompt_len(l.s).is_some();
        if !prompt && (lines::looks_prose(l.s) || fence::open(l.s).is_some()) {
            break;
        }
        j += 1;
        end = j;
    }
    Some(end)
}

/// The length in bytes of the prompt opening line `s` (leading whitespace included), if any.
pub(crate) fn prompt_len(s: &str) -> Option<usize> {
    let t = s.trim_start();
    let lead = s.len() - t.len();
    let venv = venv_len(t);
    let rest = t.get(venv..)?;
    let n = fixed_prompt(rest)
        .or_else(|| sigil_prompt(rest))
        .or_else(|| host_prompt(rest))
        .or_else(|| windows_prompt(rest))?;
    Some(lead + venv + n)
}

/// A leading `(venv) ` marker.
fn venv_len(t: &str) -> usize {
    let Some(rest) = t.strip_prefix('(') else {
        return 0;
    };
    match rest.find(") ") {
        Some(k) if k > 0 && k < 40 && !rest.get(..k).unwrap_or(" ").contains(' ') => k + 3,
        _ => 0,
    }
}

/// REPL and database prompts.
fn fixed_prompt(t: &str) -> Option<usize> {
    const FIXED: &[&str] = &[
        ">>> ",
        "mysql> ",
        "sqlite> ",
        "postgres=# ",
        "postgres=> ",
        "psql> ",
        "redis> ",
        "mongo> ",
        "scala> ",
        "ghci> ",
        "julia> ",
        "iex> ",
        "node> ",
        "sql> ",
        "SQL> ",
        "hive> ",
        "cqlsh> ",
        "ftp> ",
        "gdb> ",
        "(gdb) ",
        "(Pdb) ",
    ];
    if t == ">>>" {
        return Some(3);
    }
    if let Some(p) = FIXED.iter().find(|p| t.starts_with(**p)) {
        return Some(p.len());
    }
    if let Some(k) = db_prompt(t).filter(|&k| k > 0) {
        if t.bytes().take(k).all(|b| lines::is_ident(b) || b == b'-') {
            return Some(k + 3);
        }
    }
    let irb = t.starts_with("irb(") || t.starts_with("pry(") || t.starts_with("In [");
    if !irb {
        return None;
    }
    let close = if t.starts_with("In [") { "]: " } else { "> " };
    find_before(t, close, 30).map(|k| k + close.len())
}

/// Where a `name=# ` or `name=> ` database prompt ends its name: the first `=# ` of the line when
/// it starts before byte 30, else (when the line has no `=# ` at all) the first `=> ` when it
/// starts before byte 30. Only the line's head is searched, except to rule out a late `=# `.
fn db_prompt(t: &str) -> Option<usize> {
    if let Some(k) = find_before(t, "=# ", 30) {
        return Some(k);
    }
    let k = find_before(t, "=> ", 30)?;
    (!t.contains("=# ")).then_some(k)
}

/// The first occurrence of `pat` in `t`, when it starts before byte `limit` (only `t`'s head is
/// searched, so long lines cost nothing).
fn find_before(t: &str, pat: &str, limit: usize) -> Option<usize> {
    let head = t.as_bytes();
    let head = head
        .get(..head.len().min(limit + pat.len()))
        .unwrap_or(head);
    memchr::memmem::find(head, pat.as_bytes()).filter(|&k| k < limit)
}

/// `$ cmd`, and `# cmd` / `% cmd` for a known command.
fn sigil_prompt(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let sigil = *b.first()?;
    if b.get(1) != Some(&b' ') {
        return None;
    }
    let cmd = t.get(2..)?.trim_start();
    let first = cmd.bytes().next()?;
    let ok = match sigil {
        b'$' => first.is_ascii_alphabetic() || matches!(first, b'.' | b'/' | b'~' | b'_'),
        b'#' | b'%' => is_command(cmd),
        _ => false,
    };
    ok.then_some(t.len() - cmd.len())
}

/// `user@host:~/dir$ `, `[user@host dir]# `, `bash-5.1$ `, `~/dir$ `.
fn host_prompt(t: &str) -> Option<usize> {
    if let Some(rest) = t.strip_prefix('[') {
        let k = rest.find(']').filter(|&k| k < 80)?;
        let inner = rest.get(..k)?;
        let after = rest.get(k + 1..)?;
        let sig = after.bytes().next()?;
        let tail = after.as_bytes().get(1).copied();
        let ok = inner.contains('@')
            && matches!(sig, b'$' | b'#' | b'%')
            && tail.is_none_or(|b| b == b' ');
        return ok.then(|| (k + 3).min(t.len()));
    }
    let token = t.split(' ').next()?;
    let last = *token.as_bytes().last()?;
    if token.len() < 2 || !matches!(last, b'$' | b'#' | b'%' | b'>') {
        return None;
    }
    let body = token.get(..token.len() - 1)?;
    let at = body.find('@').is_some_and(|k| {
        k > 0
            && body
                .bytes()
                .take(k)
                .all(|b| lines::is_ident(b) || b == b'-' || b == b'.')
    });
    let home = body.starts_with('~') || (last == b'$' && is_versioned_shell(body));
    (at || home).then(|| (token.len() + 1).min(t.len()))
}

/// `bash-5.1`, `sh-4.2`.
fn is_versioned_shell(body: &str) -> bool {
    let Some((name, ver)) = body.split_once('-') else {
        return matches!(body, "bash" | "sh" | "zsh");
    };
    matches!(name, "bash" | "sh" | "zsh" | "ksh")
        && ver.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// `PS C:\x> `, `C:\Users\bob> `, `C:\>`.
fn windows_prompt(t: &str) -> Option<usize> {
    let (ps, rest) = match t.strip_prefix("PS ") {
        Some(r) => (3, r),
        None => (0, t),
    };
    let b = rest.as_bytes();
    let drive = b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.get(1) == Some(&b':')
        && b.get(2) == Some(&b'\\');
    if !drive {
        return None;
    }
    let k = rest.find('>').filter(|&k| k < 200)?;
    let path = rest.get(..k)?;
    if path
        .bytes()
        .any(|c| matches!(c, b'<' | b'|' | b'"' | b'*' | b'?'))
    {
        return None;
    }
    let after = rest.get(k + 1..).unwrap_or("");
    let space = usize::from(after.starts_with(' '));
    Some(ps + k + 1 + space)
}

/// Common command words: `#` and `%` prompts, which markdown headings and percentages share,
/// count only before one of them.
const COMMANDS: &[&str] = &[
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "pacman",
    "zypper",
    "apk",
    "brew",
    "systemctl",
    "service",
    "journalctl",
    "cd",
    "ls",
    "ll",
    "cat",
    "echo",
    "mkdir",
    "rm",
    "cp",
    "mv",
    "chmod",
    "chown",
    "sudo",
    "su",
    "vi",
    "vim",
    "nano",
    "docker",
    "kubectl",
    "helm",
    "git",
    "curl",
    "wget",
    "pip",
    "pip3",
    "npm",
    "npx",
    "yarn",
    "node",
    "python",
    "python3",
    "make",
    "tar",
    "ssh",
    "scp",
    "rsync",
    "mount",
    "umount",
    "useradd",
    "usermod",
    "passwd",
    "grep",
    "find",
    "ps",
    "kill",
    "top",
    "df",
    "du",
    "free",
    "ping",
    "ip",
    "ifconfig",
    "netstat",
    "ss",
    "iptables",
    "ufw",
    "crontab",
    "export",
    "source",
    "touch",
    "head",
    "tail",
    "less",
    "whoami",
    "uname",
    "hostname",
    "reboot",
    "shutdown",
    "fdisk",
    "lsblk",
    "dd",
    "nginx",
    "mysql",
    "psql",
    "openssl",
    "certbot",
    "go",
    "cargo",
    "rustc",
    "gcc",
    "java",
    "mvn",
    "gradle",
    "conda",
    "ln",
    "pwd",
    "env",
    "set",
    "unset",
    "alias",
    "history",
    "dpkg",
    "rpm",
    "snap",
    "lsof",
];

/// Whether `cmd` starts with a common command word (for `#` and `%` prompts, which markdown
/// headings and percentages share).
fn is_command(cmd: &str) -> bool {
    let word = cmd.split([' ', '\t']).next().unwrap_or("");
    COMMANDS.contains(&word)
}
