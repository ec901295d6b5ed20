//! Span-level scoring of PII detection: a Rust port of `shared/tools/score.py` that gives the
//! same numbers, warnings and output.
//!
//! ```
//! use scrim_eval::{load_jsonl, score, Options};
//!
//! let gold = load_jsonl(r#"{"id": "a", "text": "Hi Ann", "spans": [{"start": 3, "end": 6, "label": "PERSON"}]}"#)?;
//! let pred = load_jsonl(r#"{"id": "a", "spans": [{"start": 3, "end": 5, "label": "PERSON"}]}"#)?;
//! let report = score(&gold, &pred, &Options::default())?;
//! assert_eq!(report.recall(), Some(1.0));
//! assert_eq!(report.char_recall(), Some(2.0 / 3.0));
//! println!("{}", report.render(None));
//! # Ok::<(), scrim_eval::Error>(())
//! ```
//!
//! Offsets are Unicode code points (Python `str` indices), end exclusive. Input is read leniently
//! like `score.py` reads it (ids and labels pass through Python's `str()`, offsets through
//! `int()`, malformed spans are counted in the warnings), and conversation-shaped records are
//! flattened into one document per message ([`flatten`]).
//!
//! Known differences from `score.py`, all on input no real file has:
//! - integers beyond the 64-bit range (Python keeps them exact; here they become floats in ids
//!   and labels, and offsets above `i64::MAX` count as malformed spans);
//! - the JSON number `-0` as an id (Python prints `0`, here `-0.0`);
//! - `NaN`/`Infinity` literals, numbers that overflow a double and lone surrogate escapes (all
//!   rejected here as bad JSON);
//! - a gold `text` that is a list or object (Python uses its length; here scoring fails);
//! - non-printable characters inside ids or labels that are JSON arrays or objects (Python's
//!   `repr` escapes unassigned code points; here they are kept);
//! - the macro F1 is summed left to right as Python 3.11 does; Python 3.12+ sums floats with
//!   compensation, which can differ in the last bit.

mod doc;
pub mod html;
pub mod py;
mod report;
mod score;

pub use doc::{flatten, load_jsonl, parse_records, read_jsonl, Doc, MessageRef, ParseNotes, Span};
pub use report::{
    AnyLabelStats, CharReport, ExactAnyStats, ExactStats, FilterSide, Headline, LabelChar,
    LabelReport, MacroF1, Micro, MicroAnyLabel, OptionsReport, OrderedMap, OverlapStats, Report,
};
pub use score::{fbeta, ratio, score, warn_keys, Options};

/// What can go wrong. Messages name positions, never document text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A JSONL line is not valid JSON.
    #[error("line {line}: bad JSON (column {column})")]
    BadJson {
        /// 1-based line number.
        line: usize,
        /// 1-based column in the stripped line, as reported by the JSON parser.
        column: usize,
    },
    /// A JSONL record is not a JSON object.
    #[error("record {record}: not a JSON object")]
    NotAnObject {
        /// 1-based position among the non-blank lines.
        record: usize,
    },
    /// `ignore_whitespace` was asked for but a gold document has no text (`score.py`:
    /// "--ignore-whitespace needs 'text' in gold docs").
    #[error("ignore_whitespace needs 'text' in gold docs (gold document {doc} has none)")]
    MissingText {
        /// 1-based position among the gold documents (after flattening).
        doc: usize,
    },
    /// A gold document's `text` is not a string.
    #[error("gold document {doc}: 'text' is not a string")]
    TextNotString {
        /// 1-based position among the gold documents (after flattening).
        doc: usize,
    },
    /// A document's `spans` is a number or `true`, which cannot be iterated.
    #[error("{side} document {doc}: 'spans' is not a list")]
    SpansNotIterable {
        /// `"gold"` or `"pred"`.
        side: &'static str,
        /// 1-based position among that side's documents (after flattening).
        doc: usize,
    },
    /// A relabel argument without `=`.
    #[error("relabel wants FROM=TO")]
    BadRelabel,
}

#[cfg(test)]
mod tests;
