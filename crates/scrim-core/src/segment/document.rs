//! Pasted documents: emails and letters, signatures, resumes, blockquotes.

use super::lines::{self, Line};

/// A document starting at line `i`: the end line (exclusive).
pub(crate) fn run(lines: &[Line<'_>], i: usize) -> Option<usize> {
    let s = lines.get(i)?.s;
    if header(s) || greeting(s) {
        return Some(letter(lines, i));
    }
    if sign_off(s) && signature(lines, i + 1) > i + 1 {
        return Some(signature(lines, i + 1));
    }
    if matches!(s.trim(), "--" | "-- ") && lines.get(i + 1).is_some_and(|l| !lines::is_blank(l.s)) {
        return Some(signature(lines, i + 1));
    }
    if blockquote(s) {
        return Some(i + lines.iter().skip(i).take_while(|l| blockquote(l.s)).count());
    }
    resume(lines, i)
}

/// An email header line (`From:`, `To:`, `Subject:` ...).
fn header(s: &str) -> bool {
    const KEYS: &[&str] = &[
        "from", "to", "cc", "bcc", "subject", "date", "sent", "reply-to",
    ];
    let t = s.trim_start().trim_start_matches('*');
    t.split_once(':').is_some_and(|(k, v)| {
        let k = k.trim_end_matches('*');
        KEYS.iter().any(|h| h.eq_ignore_ascii_case(k)) && (v.is_empty() || v.starts_with(' '))
    })
}

/// `Dear Ann,`, `Hello team,`, `To whom it may concern,`.
fn greeting(s: &str) -> bool {
    let t = s.trim();
    let opener = [
        "Dear ",
        "Hi ",
        "Hello ",
        "Hey ",
        "Greetings",
        "To whom it may concern",
        "Good morning",
        "Good afternoon",
    ]
    .iter()
    .any(|g| t.starts_with(g));
    opener
        && lines::words(t) <= 6
        && (t.ends_with(',') || t.starts_with("Dear ") && t.ends_with(':'))
}

/// A sign-off line alone (`Best regards,`, `Sincerely,`).
fn sign_off(s: &str) -> bool {
    const OFFS: &[&str] = &[
        "best regards",
        "kind regards",
        "warm regards",
        "regards",
        "best",
        "sincerely",
        "yours sincerely",
        "sincerely yours",
        "yours truly",
        "yours faithfully",
        "thanks",
        "thank you",
        "many thanks",
        "cheers",
        "best wishes",
        "respectfully",
        "warmly",
        "with gratitude",
        "all the best",
        "thanks and regards",
        "thanks & regards",
        "with best regards",
        "with kind regards",
        "looking forward",
        "take care",
    ];
    let t = s.trim().trim_end_matches([',', '!', '.']);
    t.len() <= 24 && OFFS.iter().any(|o| o.eq_ignore_ascii_case(t))
}

/// A letter from its header or greeting: up to its sign-off and signature when one follows
/// within 300 lines, else its first paragraph.
fn letter(lines: &[Line<'_>], i: usize) -> usize {
    let off = lines
        .iter()
        .enumerate()
        .skip(i + 1)
        .take(300)
        .find(|(_, l)| sign_off(l.s));
    match off {
        Some((k, _)) => signature(lines, k + 1),
        None => {
            i + lines
                .iter()
                .skip(i)
                .take_while(|l| !lines::is_blank(l.s))
                .count()
        }
    }
}

/// Up to six short lines after a sign-off (name, title, phone, email).
fn signature(lines: &[Line<'_>], from: usize) -> usize {
    let n = lines
        .iter()
        .skip(from)
        .take(6)
        .take_while(|l| !lines::is_blank(l.s) && lines::words(l.s) <= 8 && !lines::looks_prose(l.s))
        .count();
    from + n
}

fn blockquote(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('>') && !t.starts_with(">>>")
}

/// A resume section header line (`Experience`, `## Education`, `**Skills:**`).
fn resume_header(s: &str) -> bool {
    const HEADS: &[&str] = &[
        "experience",
        "work experience",
        "professional experience",
        "employment history",
        "employment",
        "work history",
        "education",
        "skills",
        "technical skills",
        "key skills",
        "core competencies",
        "summary",
        "professional summary",
        "objective",
        "career objective",
        "profile",
        "professional profile",
        "contact",
        "contact information",
        "contact details",
        "projects",
        "certifications",
        "certificates",
        "awards",
        "achievements",
        "publications",
        "languages",
        "references",
        "interests",
        "hobbies",
        "volunteer experience",
        "volunteering",
        "training",
        "internships",
        "personal details",
        "personal information",
        "accomplishments",
        "qualifications",
    ];
    let t = s
        .trim()
        .trim_start_matches(['#', '*', '_', ' '])
        .trim_end_matches(['*', '_', ':', ' ']);
    t.len() <= 30 && HEADS.iter().any(|h| h.eq_ignore_ascii_case(t))
}

/// A resume: a section header followed by another within 60 lines; up to the end of the last
/// section (a blank line followed by a long sentence, or two blank lines).
fn resume(lines: &[Line<'_>], i: usize) -> Option<usize> {
    if !resume_header(lines.get(i)?.s) {
        return None;
    }
    let mut last = i;
    let mut k = i + 1;
    while let Some(l) = lines.get(k) {
        if k > last + 60 {
            break;
        }
        if resume_header(l.s) {
            last = k;
        }
        k += 1;
    }
    (last > i).then(|| section_end(lines, last + 1))
}

fn section_end(lines: &[Line<'_>], from: usize) -> usize {
    let mut k = from;
    while let Some(l) = lines.get(k) {
        if lines::is_blank(l.s) {
            let next = lines.get(k + 1);
            if next.is_none_or(|n| {
                lines::is_blank(n.s)
                    || lines::looks_prose(n.s)
                        && !lines::is_list_item(n.s)
                        && lines::words(n.s) >= 10
            }) {
                return k;
            }
        }
        k += 1;
    }
    k
}
