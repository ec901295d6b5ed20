//! Log lines and stack traces.

use super::blocks::State;
use super::lines::{self, Line};

/// How much a line looks like a log or trace line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    No,
    /// Counts only next to a strong line (an exception line, an indented frame).
    Weak,
    Strong,
}

/// A run of log and trace lines starting at line `i`, holding at least one strong line.
pub(crate) fn run(lines: &[Line<'_>], i: usize, st: &mut State) -> Option<usize> {
    if i < st.fail_log || evidence(lines.get(i)?.s, false) == Evidence::No {
        return None;
    }
    let (mut j, mut end, mut strong) = (i, i, 0usize);
    while let Some(l) = lines.get(j) {
        if lines::is_blank(l.s) {
            let next = lines::next_nonblank(lines, j);
            let go_on = next
                .and_then(|k| lines.get(k))
                .is_some_and(|n| evidence(n.s, false) == Evidence::Strong);
            if !go_on || strong == 0 {
                break;
            }
            j = next.unwrap_or(j + 1);
            continue;
        }
        match evidence(l.s, j > i) {
            Evidence::No => break,
            Evidence::Weak => {}
            Evidence::Strong => strong += 1,
        }
        j += 1;
        end = j;
    }
    if strong == 0 {
        st.fail_log = end.max(i + 1);
        return None;
    }
    Some(end)
}

/// The evidence of one line; `inside` when a run is open (indented lines continue it).
fn evidence(s: &str, inside: bool) -> Evidence {
    let t = s.trim_start();
    if timestamp(t) || level(t) || android(t) || access(t) || trace(t) {
        Evidence::Strong
    } else if exception(t) || (inside && lines::indent(s) >= 2) {
        Evidence::Weak
    } else {
        Evidence::No
    }
}

fn digits(b: &[u8], from: usize, n: usize) -> bool {
    (from..from + n).all(|k| b.get(k).is_some_and(u8::is_ascii_digit))
}

/// `hh:mm:ss` at `at`.
fn clock(b: &[u8], at: usize) -> bool {
    digits(b, at, 2)
        && b.get(at + 2) == Some(&b':')
        && digits(b, at + 3, 2)
        && b.get(at + 5) == Some(&b':')
        && digits(b, at + 6, 2)
}

/// A leading timestamp with seconds, or a date and time followed by a level.
fn timestamp(t: &str) -> bool {
    let t = t.strip_prefix('[').unwrap_or(t);
    let b = t.as_bytes();
    let date = digits(b, 0, 4)
        && matches!(b.get(4), Some(b'-' | b'/' | b'.'))
        && digits(b, 5, 2)
        && digits(b, 8, 2);
    if date && matches!(b.get(10), Some(b' ' | b'T')) {
        return clock(b, 11) || has_level(t);
    }
    let month_day = digits(b, 0, 2)
        && matches!(b.get(2), Some(b'-' | b'/'))
        && digits(b, 3, 2)
        && b.get(5) == Some(&b' ');
    if month_day && clock(b, 6) || clock(b, 0) {
        return true;
    }
    syslog(t) || dmesg(t)
}

/// `Jan  5 12:00:01 host proc[1]: ...`.
fn syslog(t: &str) -> bool {
    const MONTHS: &[&str] = &[
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Some(rest) = t
        .get(..3)
        .filter(|m| MONTHS.contains(m))
        .and_then(|_| t.get(3..))
    else {
        return false;
    };
    let rest = rest.trim_start();
    let b = rest.as_bytes();
    let day = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (1..=2).contains(&day) && b.get(day) == Some(&b' ') && clock(b, day + 1)
}

/// `[ 1234.567890] ...`.
fn dmesg(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('[') else {
        return false;
    };
    let inner = rest.split(']').next().unwrap_or("").trim();
    rest.contains(']')
        && inner.contains('.')
        && inner.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && inner.len() > 3
}

const LEVELS: &[&str] = &[
    "ERROR", "WARN", "WARNING", "INFO", "DEBUG", "TRACE", "FATAL", "CRITICAL", "NOTICE", "SEVERE",
    "ERR",
];

fn has_level(t: &str) -> bool {
    t.split(|c: char| !c.is_ascii_alphabetic())
        .take(12)
        .any(|w| LEVELS.contains(&w))
}

/// `[ERROR] ...`, `ERROR: ...`, `INFO:root:...`, `ERROR ...`.
fn level(t: &str) -> bool {
    let (bracket, rest) = match t.strip_prefix('[') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let n = rest.bytes().take_while(u8::is_ascii_uppercase).count();
    let word = rest.get(..n).unwrap_or("");
    let next = rest.as_bytes().get(n).copied();
    LEVELS.contains(&word)
        && if bracket {
            next == Some(b']')
        } else {
            matches!(next, Some(b':') | Some(b' '))
        }
}

/// `E/AndroidRuntime( 123): ...`, `E/Tag: ...`.
fn android(t: &str) -> bool {
    let b = t.as_bytes();
    let n = b
        .iter()
        .skip(2)
        .take_while(|&&c| lines::is_ident(c) || c == b'.')
        .count();
    matches!(b.first(), Some(b'V' | b'D' | b'I' | b'W' | b'E' | b'F'))
        && b.get(1) == Some(&b'/')
        && n > 0
        && matches!(b.get(2 + n), Some(b'(' | b':' | b' '))
}

/// `127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 ...`.
fn access(t: &str) -> bool {
    t.bytes().next().is_some_and(|b| b.is_ascii_hexdigit())
        && t.contains(" - ")
        && t.contains("] \"")
}

/// Stack-trace lines of Python, Java, JavaScript, Rust, Go, .NET.
fn trace(t: &str) -> bool {
    const HEADS: &[&str] = &[
        "Traceback (most recent call last)",
        "During handling of the above exception",
        "The above exception was the direct cause",
        "Exception in thread \"",
        "Caused by: ",
        "Suppressed: ",
        "stack backtrace:",
        "note: run with `RUST_BACKTRACE",
        "goroutine ",
        "Unhandled exception",
        "--- End of inner exception",
    ];
    if HEADS.iter().any(|h| t.starts_with(h))
        || (t.starts_with("thread '") && t.contains("panicked at"))
    {
        return true;
    }
    if let Some(rest) = t.strip_prefix("File \"") {
        return rest.contains("\", line ");
    }
    if let Some(rest) = t.strip_prefix("at ") {
        let frame = rest.contains(".java:")
            || rest.contains("Native Method")
            || rest.contains("Unknown Source");
        return frame
            || rest.ends_with(')') && rest.contains(':')
            || rest.contains(".js:")
            || rest.contains(" in ");
    }
    t.starts_with("... ") && t.ends_with(" more")
}

/// `ValueError: bad`, `java.lang.NullPointerException`, `Error: Cannot find module`.
fn exception(t: &str) -> bool {
    let head = t.split([':', ' ']).next().unwrap_or("");
    let ident = head
        .bytes()
        .all(|b| lines::is_ident(b) || b == b'.' || b == b'$');
    let named = [
        "Error",
        "Exception",
        "Warning",
        "Interrupt",
        "Exit",
        "Fault",
    ]
    .iter()
    .any(|s| head.ends_with(s));
    ident && named && head.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}
