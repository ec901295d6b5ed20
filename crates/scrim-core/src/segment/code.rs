//! Unfenced code: runs of lines with strong code evidence, and indented code blocks.

use super::blocks::State;
use super::lines::{self, ident_len, Line};

/// How much a line looks like program source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Evidence {
    No,
    Weak,
    Strong,
}

/// A run of code lines starting at line `i`: two strong lines, or one with only code-looking
/// lines around it. Blank lines inside are kept when code follows them.
pub(crate) fn run(lines: &[Line<'_>], i: usize, st: &mut State) -> Option<usize> {
    if i < st.fail_code || evidence(lines.get(i)?.s) == Evidence::No {
        return None;
    }
    let (mut j, mut end, mut strong, mut all) = (i, i, 0usize, true);
    while let Some(l) = lines.get(j) {
        if lines::is_blank(l.s) {
            match lines::next_nonblank(lines, j) {
                Some(k) if lines.get(k).is_some_and(|n| evidence(n.s) != Evidence::No) => j = k,
                _ => break,
            }
            continue;
        }
        match evidence(l.s) {
            Evidence::Strong => strong += 1,
            Evidence::Weak => {}
            Evidence::No if j > i && lines::indent(l.s) >= 2 && !lines::looks_prose(l.s) => {
                all = false
            }
            Evidence::No => break,
        }
        j += 1;
        end = j;
    }
    if strong >= 2 || (strong == 1 && all && end - i >= 2) {
        return Some(end);
    }
    st.fail_code = end.max(i + 1);
    None
}

/// An indented code block: four spaces or a tab after a blank line, outside list items, unless
/// it reads as prose.
pub(crate) fn indented(lines: &[Line<'_>], i: usize, st: &mut State) -> Option<usize> {
    if i < st.fail_indent || !st.prev_blank || st.in_list || lines::indent(lines.get(i)?.s) < 4 {
        return None;
    }
    let mut end = i;
    for (k, l) in lines.iter().enumerate().skip(i) {
        if lines::is_blank(l.s) {
            continue;
        }
        if lines::indent(l.s) < 4 {
            break;
        }
        end = k + 1;
    }
    let block = lines.get(i..end).unwrap_or(&[]);
    if reads_as_prose(block) {
        st.fail_indent = end;
        return None;
    }
    Some(end)
}

/// Whether lines read as prose: no strong code line, and more sentences than code-looking
/// lines.
pub(crate) fn reads_as_prose(lines: &[Line<'_>]) -> bool {
    let (mut prose, mut code) = (0usize, 0usize);
    for l in lines {
        match evidence(l.s) {
            Evidence::Strong => return false,
            Evidence::Weak => code += 1,
            Evidence::No if lines::looks_prose(l.s) => prose += 1,
            Evidence::No => {}
        }
    }
    prose > code
}

/// The code evidence of one line.
pub(crate) fn evidence(s: &str) -> Evidence {
    let t = s.trim();
    if t.is_empty() || t.starts_with("# ") && lines::indent(s) == 0 {
        return Evidence::No;
    }
    if strong_end(t) || strong_start(t) {
        return Evidence::Strong;
    }
    if weak(s, t) {
        return Evidence::Weak;
    }
    Evidence::No
}

/// Line endings prose never has.
fn strong_end(t: &str) -> bool {
    if matches!(t, "}" | "};" | "})" | "});" | "}," | "})," | "end;" | "}}") {
        return true;
    }
    let brace = t.ends_with('{');
    if !brace && !t.ends_with(';') {
        return false;
    }
    let codey = t.contains('(') || t.contains("->") || t.contains("::");
    if brace {
        return codey || t.contains(" = ") || t.len() < 80 && !t.contains(". ");
    }
    (codey || t.contains('=')) && !t.ends_with(".;")
}

/// Line openings that are statements or declarations.
fn strong_start(t: &str) -> bool {
    const PREFIX: &[&str] = &[
        "#include ",
        "#include<",
        "#define ",
        "#ifndef ",
        "#ifdef ",
        "#endif",
        "#pragma ",
        "#!/",
        "<?php",
        "using namespace ",
        "pub fn ",
        "pub struct ",
        "pub enum ",
        "impl ",
        "async def ",
        "INSERT INTO ",
        "CREATE TABLE ",
        "CREATE INDEX ",
        "ALTER TABLE ",
        "DELETE FROM ",
        "DROP TABLE ",
        "else:",
        "try:",
        "finally:",
        "except:",
        "except ",
        "elif ",
        "@Override",
    ];
    if PREFIX.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    keyword_call(t) || declaration(t) || python_block(t) || sql(t) || import(t)
}

/// `def f(`, `fn f(`, `function f(`, `func f(`, `class X:`.
fn keyword_call(t: &str) -> bool {
    for kw in ["def ", "fn ", "function ", "func ", "sub "] {
        if let Some(rest) = t.strip_prefix(kw) {
            let n = ident_len(rest);
            return rest
                .get(n..)
                .is_some_and(|r| r.starts_with('(') || r.starts_with('<'))
                && (n > 0 || kw == "function ");
        }
    }
    let Some(rest) = t
        .strip_prefix("class ")
        .or_else(|| t.strip_prefix("struct "))
        .or_else(|| t.strip_prefix("interface "))
    else {
        return false;
    };
    let n = ident_len(rest);
    let after = rest.get(n..).unwrap_or("");
    n > 0
        && (after.starts_with([':', '(', '<'])
            || after.starts_with(" {")
            || after.starts_with(" extends ")
            || after.starts_with(" implements ")
            || after.starts_with(" : "))
}

/// `const x =`, `let x =`, `var x =`, `let mut x:`, `public static void`, `int x =`.
fn declaration(t: &str) -> bool {
    for kw in ["const ", "let mut ", "let ", "var ", "val ", "auto "] {
        if let Some(rest) = t.strip_prefix(kw) {
            let rest = rest.trim_start_matches(['{', '[', ' ']);
            let n = ident_len(rest);
            let after = rest
                .get(n..)
                .unwrap_or("")
                .trim_start_matches([' ', '}', ']', ',']);
            return n > 0
                && (after.starts_with('=') || after.starts_with(':') || after.starts_with(';'));
        }
    }
    let access = ["public ", "private ", "protected ", "static ", "internal "]
        .iter()
        .any(|p| t.starts_with(p));
    access && (t.contains('(') || t.ends_with(';'))
}

/// `if x > 0:`, `for x in y:`, `while True:`, `with open(p) as f:`.
fn python_block(t: &str) -> bool {
    let head = ["if ", "for ", "while ", "with "]
        .iter()
        .any(|k| t.starts_with(k));
    let cond = t.get(3..).unwrap_or("");
    let codey = cond
        .bytes()
        .any(|b| matches!(b, b'(' | b'=' | b'<' | b'>' | b'[' | b'.' | b'_'))
        || cond.contains(" in ")
        || cond.contains(" not ")
        || cond.contains("True");
    head && t.ends_with(':') && codey
}

/// `SELECT … FROM`, `UPDATE x SET`.
fn sql(t: &str) -> bool {
    let u = t
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("select "));
    let upper = t.starts_with("SELECT ") || t.starts_with("UPDATE ") && t.contains(" SET ");
    (u && (t.contains(" FROM ") || t.contains(" from ") && t.ends_with(';')))
        || upper && (t.ends_with(',') || t.contains(" FROM ") || t.contains('*'))
}

/// `import x`, `from x import y`, `use a::b;`, `package main`.
fn import(t: &str) -> bool {
    if let Some(rest) = t.strip_prefix("from ") {
        return rest.contains(" import ") && lines::words(rest) <= 10 && !t.ends_with('.');
    }
    if let Some(rest) = t.strip_prefix("import ") {
        let first = rest.bytes().next().unwrap_or(b' ');
        return (lines::is_ident(first) || matches!(first, b'{' | b'*' | b'"' | b'\''))
            && lines::words(rest) <= 6
            && !t.ends_with('.')
            && (t.ends_with(';')
                || rest.contains('.')
                || rest.contains(" as ")
                || rest.contains(" from ")
                || lines::words(rest) == 1);
    }
    let use_ = t.starts_with("use ") && t.contains("::") && t.ends_with(';');
    let pkg = t.strip_prefix("package ").is_some_and(|r| {
        lines::words(r) == 1
            && r.bytes()
                .all(|b| lines::is_ident(b) || b == b'.' || b == b';')
    });
    use_ || pkg
}

/// Code-looking lines that prose may also have: calls, assignments, comments, operators.
fn weak(s: &str, t: &str) -> bool {
    let starts = [
        "//", "/*", "* ", "*/", "-- ", "return ", "return;", "print(", "console.", "@",
    ];
    let exact = matches!(
        t,
        "end" | "fi" | "done" | "esac" | "else" | "pass" | "break" | "continue"
    );
    if exact || starts.iter().any(|p| t.starts_with(p)) && !t.contains("@ ") || t.starts_with("# ")
    {
        return true;
    }
    let ops = t.as_bytes().windows(2).any(|w| {
        matches!(
            w,
            [b'=' | b'-', b'>']
                | [b':', b':']
                | [b'!' | b'=' | b'+' | b'-' | b':', b'=']
                | [b'&', b'&']
                | [b'|', b'|']
        )
    });
    let n = ident_len(t.trim_start_matches(['.', '$']));
    let rest = t.get(n..).unwrap_or("");
    let call = n > 0 && (rest.starts_with('(') || rest.starts_with('.') && t.ends_with(')'));
    let assign =
        n > 0 && (rest.starts_with(" = ") || rest.starts_with('[') && rest.contains("] = "));
    let punct = lines::indent(s) >= 2
        && t.bytes()
            .any(|b| matches!(b, b'(' | b')' | b'{' | b'}' | b'[' | b']' | b';' | b'='));
    (ops || call || assign || punct || t.ends_with(')') && !t.contains(' '))
        && !lines::looks_prose(s)
}
