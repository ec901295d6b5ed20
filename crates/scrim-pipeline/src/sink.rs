//! Where outcomes go: one narrow trait that the driver calls once per input record, in input
//! order, with what became of it, then once with [`Sink::finish`].

use scrim_core::redact::WithheldReason;
use scrim_core::Stats;
use scrim_store::Exclusion;

use crate::summary::RunSummary;

/// Where a record came from: its line in the input, and what it says about itself (read before
/// any processing: the source system's id and subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Its 1-based line number in the input.
    pub line: usize,
    /// The record's `id`.
    pub id: Option<String>,
    /// The record's `subject`.
    pub subject: Option<String>,
}

/// A record that was processed into an output line.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    /// Where it came from.
    pub origin: &'a Origin,
    /// The output line (JSON, without its newline).
    pub line: &'a str,
    /// The input line as read.
    pub raw: &'a [u8],
    /// Counts (no content).
    pub stats: &'a Stats,
}

/// A record the redaction policy withholds: nothing of it may be written.
#[derive(Debug, Clone, Copy)]
pub struct Withheld<'a> {
    /// Where it came from.
    pub origin: &'a Origin,
    /// Why.
    pub reason: WithheldReason,
    /// Counts (no content).
    pub stats: &'a Stats,
}

/// A record admission left out of this output (consent or source rules).
#[derive(Debug, Clone, Copy)]
pub struct Excluded<'a> {
    /// Where it came from.
    pub origin: &'a Origin,
    /// Why.
    pub exclusion: &'a Exclusion,
}

/// An input line that is malformed or could not be processed: it must be kept whole with its
/// reason, never dropped.
#[derive(Debug, Clone, Copy)]
pub struct Quarantined<'a> {
    /// Its 1-based line number in the input.
    pub line: usize,
    /// A stable code (`invalid_json`, `not_utf8`, `line_too_long`, `bad_subject`,
    /// `detection_failed`, …).
    pub code: &'static str,
    /// Why, naming what and where, never content.
    pub reason: &'a str,
    /// The input line as read (the first bytes of one too long).
    pub raw: &'a [u8],
}

/// Receives every outcome of a run. The driver calls exactly one of `written`, `withheld`,
/// `excluded` and `quarantined` per input record, in input order, then `finish` once when the
/// input is exhausted (never after an error). An error from any method stops the run.
pub trait Sink {
    /// The sink's own error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// A record became an output line.
    fn written(&mut self, event: &Written<'_>) -> Result<(), Self::Error>;
    /// The policy withholds a record.
    fn withheld(&mut self, event: &Withheld<'_>) -> Result<(), Self::Error>;
    /// Admission left a record out.
    fn excluded(&mut self, event: &Excluded<'_>) -> Result<(), Self::Error>;
    /// A line is quarantined.
    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), Self::Error>;
    /// The input is exhausted: commit what was written. `summary` counts the whole run.
    fn finish(&mut self, summary: &RunSummary) -> Result<(), Self::Error>;
}

impl<S: Sink + ?Sized> Sink for &mut S {
    type Error = S::Error;

    fn written(&mut self, event: &Written<'_>) -> Result<(), Self::Error> {
        (**self).written(event)
    }
    fn withheld(&mut self, event: &Withheld<'_>) -> Result<(), Self::Error> {
        (**self).withheld(event)
    }
    fn excluded(&mut self, event: &Excluded<'_>) -> Result<(), Self::Error> {
        (**self).excluded(event)
    }
    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), Self::Error> {
        (**self).quarantined(event)
    }
    fn finish(&mut self, summary: &RunSummary) -> Result<(), Self::Error> {
        (**self).finish(summary)
    }
}
