//! Byte spans and findings: the small value types every detector produces.

use std::fmt;

use crate::label::Label;
use crate::rule::Rule;

/// A half-open range `[start, end)` of UTF-8 byte offsets into a text.
///
/// Invariant: `start < end`, and when built with [`Span::new`] both ends lie on character
/// boundaries of the text it was built for. Offsets stay in bytes inside Scrim; convert them with
/// [`crate::text::OffsetMap`] at the edges.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// A span of `text`, or `None` when it is empty, reversed, out of bounds, or splits a character.
    pub fn new(text: &str, start: usize, end: usize) -> Option<Span> {
        if start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            Some(Span { start, end })
        } else {
            None
        }
    }

    /// First byte of the span.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the last byte of the span.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Length in bytes (never zero).
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Always false: spans are never empty. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: &Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The covered slice of `text`, if the span fits it.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A detected piece of personal data: where it is, what it is, how sure the detector is.
///
/// A finding holds offsets only, never the text it covers, so it is safe to log.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Where, in UTF-8 bytes of the message text.
    pub span: Span,
    /// What kind of personal data.
    pub label: Label,
    /// A finer kind, for example `"SSN"`, `"AADHAAR"`, `"PAN"` under [`Label::Id`].
    pub kind: Option<&'static str>,
    /// Confidence in `[0, 1]`.
    pub score: f32,
    /// Which rule produced it (for debugging and per-detector evaluation); [`Rule::as_str`] is
    /// its stable id.
    pub detector: Rule,
}

impl Finding {
    /// A finding with no finer kind.
    pub fn new(span: Span, label: Label, score: f32, detector: impl Into<Rule>) -> Finding {
        Finding {
            span,
            label,
            kind: None,
            score,
            detector: detector.into(),
        }
    }

    /// The same finding with a finer kind.
    pub fn with_kind(mut self, kind: &'static str) -> Finding {
        self.kind = Some(kind);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_boundaries() {
        let t = "héllo";
        assert!(Span::new(t, 0, 1).is_some());
        assert!(Span::new(t, 1, 2).is_none(), "splits é");
        assert!(Span::new(t, 1, 3).is_some());
        assert!(Span::new(t, 3, 3).is_none(), "empty");
        assert!(Span::new(t, 0, 99).is_none(), "out of bounds");
    }

    #[test]
    fn overlap_and_cover() {
        let a = Span::new("abcdef", 0, 3).unwrap();
        let b = Span::new("abcdef", 2, 5).unwrap();
        let c = Span::new("abcdef", 3, 5).unwrap();
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
        assert_eq!(a.cover(&c), Span::new("abcdef", 0, 5).unwrap());
        assert!(a.cover(&c).contains(&b));
    }
}
