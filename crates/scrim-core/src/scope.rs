//! Which findings make sense in which kind of region: the rules that keep code identifiers,
//! command words and machine timestamps from being read as people, places and birthdays.
//!
//! The engine segments every message ([`crate::segment`]) and keeps a finding only when
//! [`allows`] says its label (and, for names, its rule) fits every region it touches. The same
//! test applies to values spread across a conversation, so a name found in prose is not copied
//! onto `max(` in a code block. The learned tier reads only the regions [`model_reads`] names.
//!
//! | region | kept |
//! |---|---|
//! | prose, documents, string literals and comments in code, structured data | everything |
//! | code and inline code | secrets, emails, URLs, IPs, phones, cards, IBANs, ids, usernames in home paths and prompts |
//!
//! A URL in code (string literals and comments included), a shell session, a log or a data block
//! is kept only when it carries something of a person: a profile, user information, a
//! credential in its query, a private or deployment host.
//! | shell sessions and logs | as code |
//!
//! Never kept in code, shell or logs: places, addresses, organisations, ages, dates (machine
//! timestamps and constants, not someone's birthday), and names, even after a cue word
//! (`--name my-server` is a flag, not an introduction).

use crate::detect::patterns::carries_person;
use crate::label::Label;
use crate::segment::{RegionKind, Segments};
use crate::span::Finding;

/// Whether a finding with `label` makes sense in a region of `kind`. Cues do not change the
/// answer: in code and commands they are flags and fields (`--name my-server`, `name: String`).
pub fn allows(kind: RegionKind, label: Label) -> bool {
    match kind {
        RegionKind::Code | RegionKind::InlineCode | RegionKind::Shell | RegionKind::Log => {
            machine_readable(label)
        }
        _ => true,
    }
}

/// Labels whose values are written the same in code as anywhere else: validated patterns and
/// contacts, never words.
fn machine_readable(label: Label) -> bool {
    matches!(
        label,
        Label::Secret
            | Label::Email
            | Label::Url
            | Label::Ip
            | Label::Phone
            | Label::CreditCard
            | Label::Iban
            | Label::Id
            | Label::Username
    )
}

/// Whether `finding`, in `text`, makes sense in every region of `segments` it touches. A URL in
/// code, a string literal, a shell session, a log or a data block is an endpoint, a schema or a
/// dependency unless it carries something of a person (a profile, user information, a
/// credential in its query, a private host: [`carries_person`]).
pub fn fits(text: &str, segments: &Segments, finding: &Finding) -> bool {
    let range = finding.span.start()..finding.span.end();
    if finding.label == Label::Url
        && segments
            .covering(range.clone())
            .any(|r| machine_context(r.kind) || machine_context(r.parent))
        && !finding.span.slice(text).is_some_and(carries_person)
    {
        return false;
    }
    segments
        .covering(range)
        .all(|r| allows(r.kind, finding.label))
}

/// Regions written for machines: code (string literals and comments included), shell sessions,
/// logs and data blocks.
fn machine_context(kind: RegionKind) -> bool {
    matches!(
        kind,
        RegionKind::Code
            | RegionKind::InlineCode
            | RegionKind::CodeText
            | RegionKind::Shell
            | RegionKind::Log
            | RegionKind::Data
    )
}

/// Whether the learned tier reads regions of `kind`: prose-like text, not code bodies, shell
/// sessions or logs. Exactly the kinds where [`allows`] keeps every label; the engine still
/// checks the model's findings with [`fits`], which asks more of a URL in a string literal or a
/// data block.
pub fn model_reads(kind: RegionKind) -> bool {
    !matches!(
        kind,
        RegionKind::Code | RegionKind::InlineCode | RegionKind::Shell | RegionKind::Log
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{NameRule, Rule};
    use crate::segment::segment;
    use crate::span::Span;

    fn finding(text: &str, needle: &str, label: Label, rule: Rule) -> Finding {
        let start = text.find(needle).unwrap();
        let span = Span::new(text, start, start + needle.len()).unwrap();
        Finding::new(span, label, 0.8, rule)
    }

    #[test]
    fn identifiers_in_code_are_not_names_but_strings_are() {
        let text = "Use this:\n```python\nx = max(len(items))\nprint(\"Hello, Alice\")\n```\n";
        let seg = segment(text);
        let max = finding(text, "max", Label::Person, NameRule::LowercaseFirst.into());
        let alice = finding(text, "Alice", Label::Person, NameRule::Capitalised.into());
        assert!(!fits(text, &seg, &max));
        assert!(fits(text, &seg, &alice));
    }

    #[test]
    fn shell_keeps_contacts_only() {
        let text = "$ ssh deploy@10.0.0.7\nlast login by Maria at 2023-01-05 10:00:01\n";
        let seg = segment(text);
        assert_eq!(seg.kind_at(0), RegionKind::Shell);
        let ip = finding(text, "10.0.0.7", Label::Ip, Rule::Other("ip"));
        let date = finding(text, "2023-01-05", Label::Date, Rule::Other("date"));
        let guess = finding(text, "Maria", Label::Person, NameRule::Capitalised.into());
        let cue = finding(text, "Maria", Label::Person, NameRule::Cue.into());
        assert!(fits(text, &seg, &ip));
        assert!(!fits(text, &seg, &date));
        assert!(!fits(text, &seg, &guess));
        assert!(!fits(text, &seg, &cue));
    }

    #[test]
    fn links_in_code_are_kept_only_when_they_carry_a_person() {
        let text = "Call it:\n```python\nr = get(\"https://api.notion.com/v1/databases/%s/query\")\n\
                    me = \"https://github.com/maya-k\"\ndb = \"mongodb+srv://u:pw@c0.ab12.mongodb.net\"\n```\n\
                    See https://api.notion.com/v1/databases too.\n";
        let seg = segment(text);
        let url = |needle: &str| finding(text, needle, Label::Url, Rule::Other("url"));
        assert!(!fits(
            text,
            &seg,
            &url("https://api.notion.com/v1/databases/%s/query")
        ));
        assert!(fits(text, &seg, &url("https://github.com/maya-k")));
        assert!(fits(
            text,
            &seg,
            &url("mongodb+srv://u:pw@c0.ab12.mongodb.net")
        ));
        // In prose every link not on a public host is kept.
        let prose = text.rfind("https://api.notion.com/v1/databases ").unwrap();
        let span = Span::new(
            text,
            prose,
            prose + "https://api.notion.com/v1/databases".len(),
        );
        let prose_url = Finding::new(span.unwrap(), Label::Url, 0.8, Rule::Other("url"));
        assert!(fits(text, &seg, &prose_url));
    }

    #[test]
    fn prose_keeps_everything() {
        for label in Label::ALL {
            assert!(allows(RegionKind::Prose, label));
            assert!(allows(RegionKind::CodeText, label));
        }
        assert!(model_reads(RegionKind::Prose));
        assert!(!model_reads(RegionKind::Code));
    }

    /// The engine relies on it: what the model reads, scope keeps whole, so the model's findings
    /// need no second check.
    #[test]
    fn the_model_reads_only_where_every_label_is_kept() {
        let kinds = [
            RegionKind::Prose,
            RegionKind::Code,
            RegionKind::CodeText,
            RegionKind::InlineCode,
            RegionKind::Shell,
            RegionKind::Log,
            RegionKind::Data,
            RegionKind::Document,
        ];
        for kind in kinds.into_iter().filter(|k| model_reads(*k)) {
            for label in Label::ALL {
                assert!(allows(kind, label), "{kind:?} {label}");
            }
        }
    }
}
