//! Dates in a record about a person: in a table row, a CSV line or a SQL `VALUES` tuple that
//! names someone, a cell holding just a date (`2022-03-10`, `03/10/2022`, `10.03.2022`) is a
//! date of theirs (a visit, a follow-up, an order, a birth). The same date alone in prose or in
//! a log line stays a machine's date.

use crate::label::Label;
use crate::rule::Rule;
use crate::scope::fits;
use crate::segment::Segments;
use crate::span::{Finding, Span};

/// The score of a date in a record that names a person.
pub const RECORD_DATE: f32 = 0.7;

/// A person finding counts as naming the record at this score or more.
const PERSON_EVIDENCE: f32 = 0.6;

/// The fewest cells a line needs to be read as a record.
const MIN_CELLS: usize = 3;

/// Append the dates of the records in `text` that name a person found in `out`.
pub(super) fn find(text: &str, segments: &Segments, out: &mut Vec<Finding>) {
    // A person the scope rules keep: not an identifier in a code body.
    let evidence = |f: &Finding| {
        f.label == Label::Person && f.score >= PERSON_EVIDENCE && fits(text, segments, f)
    };
    if !out.iter().any(evidence) {
        return;
    }
    // Line starts, and the findings that touch each line (by the line of their first byte;
    // a finding spans more lines only when it is long, and then its first line is enough).
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |i: usize| starts.partition_point(|&s| s <= i).saturating_sub(1);
    let mut by_line: Vec<Vec<(usize, usize, bool)>> = vec![Vec::new(); starts.len()];
    for f in out.iter() {
        let person = evidence(f);
        if let Some(b) = by_line.get_mut(line_of(f.span.start())) {
            b.push((f.span.start(), f.span.end(), person));
        }
    }
    let mut found = Vec::new();
    for (k, spans) in by_line.iter().enumerate() {
        let ls = starts.get(k).copied().unwrap_or(0);
        let le = starts.get(k + 1).copied().unwrap_or(text.len());
        if !spans.iter().any(|&(s, e, p)| p && e <= le && s >= ls) {
            continue;
        }
        let line = text.get(ls..le).unwrap_or("");
        let Some(sep) = separator(line) else { continue };
        let mut cs = ls;
        for cell in line.split(sep) {
            let ce = cs + cell.len();
            let (s, e) = trimmed(text, cs, ce);
            let taken = spans.iter().any(|&(a, b, _)| a < e && s < b);
            if !taken && is_date(text.get(s..e).unwrap_or("")) {
                if let Some(span) = Span::new(text, s, e) {
                    found.push(Finding::new(span, Label::Date, RECORD_DATE, Rule::Keyed));
                }
            }
            cs = ce + sep.len_utf8();
        }
    }
    out.extend(found);
}

/// The cell separator of a record line: `|`, a tab or `,`, when it splits the line into enough
/// cells.
fn separator(line: &str) -> Option<char> {
    ['|', '\t', ',']
        .into_iter()
        .find(|&c| line.matches(c).count() + 1 >= MIN_CELLS)
}

/// `[s, e)` without surrounding spaces, quotes and brackets.
fn trimmed(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let skip = |c: u8| {
        matches!(
            c,
            b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'(' | b')' | b';'
        )
    };
    while s < e && b.get(s).is_some_and(|c| skip(*c)) {
        s += 1;
    }
    while e > s && b.get(e - 1).is_some_and(|c| skip(*c)) {
        e -= 1;
    }
    (s, e)
}

/// A calendar date alone: `YYYY-MM-DD` (or with `/` or `.`), `DD-MM-YYYY` and `MM/DD/YYYY`
/// (or with `-` or `.`), with a valid month and day.
fn is_date(v: &str) -> bool {
    let parts: Vec<&str> = v.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return false;
    };
    let num = |p: &str| {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|x| x.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (Some(x), Some(y), Some(z)) = (num(a), num(b), num(c)) else {
        return false;
    };
    let year = |n: u32, p: &str| p.len() == 4 && (1900..=2100).contains(&n);
    let day_month = |d: u32, m: u32| (1..=31).contains(&d) && (1..=12).contains(&m);
    if year(x, a) {
        return b.len() <= 2 && c.len() <= 2 && day_month(z, y);
    }
    year(z, c) && a.len() <= 2 && b.len() <= 2 && (day_month(x, y) || day_month(y, x))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn dates(text: &str, person: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (s, _) in text.match_indices(person) {
            let span = Span::new(text, s, s + person.len()).unwrap();
            out.push(Finding::new(span, Label::Person, 0.8, Rule::Keyed));
        }
        find(text, &crate::segment::segment(text), &mut out);
        out.iter()
            .filter(|f| f.label == Label::Date)
            .map(|f| f.span.slice(text).unwrap().to_string())
            .collect()
    }

    #[test]
    fn dates_in_rows_that_name_someone() {
        let t = "| Name | Visit | Next |\n| --- | --- | --- |\n| Ola Nordmann | 2022-03-10 | 03/12/2022 |\n| Acme | 2022-03-11 | 2022-03-14 |";
        assert_eq!(dates(t, "Ola Nordmann"), vec!["2022-03-10", "03/12/2022"]);
        let sql = "VALUES (2, 'Ola Nordmann', '2001-02-02', '456 Elm St');";
        assert_eq!(dates(sql, "Ola Nordmann"), vec!["2001-02-02"]);
        let csv = "7,Ola Nordmann,10.03.2022,paid";
        assert_eq!(dates(csv, "Ola Nordmann"), vec!["10.03.2022"]);
    }

    #[test]
    fn other_dates_stay() {
        // No person on the line, prose, versions and scores are not record dates.
        assert!(dates("| Acme | 2022-03-10 | x |", "Ola").is_empty());
        assert!(dates("Ola said the release of 2022-03-10 was fine", "Ola").is_empty());
        assert!(dates("Ola | 1.2.3 | 10-20-30 | 2022-13-01", "Ola").is_empty());
        assert!(is_date("2022-03-10") && is_date("3/30/2023") && !is_date("2022-3"));
    }
}
