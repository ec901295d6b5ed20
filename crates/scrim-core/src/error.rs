//! The core's error type.

/// What went wrong in the core. Messages name what and where, never the personal data involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A built-in or configured pattern failed to compile.
    #[error("pattern {name} failed to compile: {source}")]
    Pattern {
        /// Which pattern.
        name: &'static str,
        /// Why.
        #[source]
        source: Box<regex::Error>,
    },
    /// Bundled data (a word list) is malformed.
    #[error("bundled data {file} is malformed at line {line}")]
    Data {
        /// Which file.
        file: &'static str,
        /// 1-based line number.
        line: usize,
    },
    /// A detector could not look at the text (the record must not pass as clean).
    #[error("detector {detector} failed: {reason}")]
    Detector {
        /// Which detector.
        detector: &'static str,
        /// Why (never the text).
        reason: String,
    },
    /// A message has more findings than the engine's cap: the record must be withheld, never
    /// passed on raw or half-redacted.
    #[error("a message has more than {limit} findings (the cap per message)")]
    TooManyFindings {
        /// The cap.
        limit: usize,
    },
    /// A policy file is invalid.
    #[error("policy: {0}")]
    Policy(String),
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
