//! Scrim's core: find personal data in chat text and replace it.
//!
//! Pure library: no I/O, no async, no global state. Text goes in, findings and redacted text come
//! out. Offsets are UTF-8 byte offsets throughout ([`Span`]); convert them at the edges with
//! [`text::OffsetMap`].

pub mod fields;
pub mod hex;
pub mod keyed;
pub mod label;
pub mod lexicon;
pub mod media;
pub mod policy;
pub mod profile;
pub mod record;
pub mod redact;
pub mod replace;
pub mod rule;
pub mod scope;
pub mod segment;
pub mod sensitive;
pub mod span;
pub mod text;

pub use label::Label;
pub use rule::Rule;
pub use span::{Finding, Span};
pub mod detect;
pub mod engine;
pub mod error;
mod fits;
pub mod gate;

pub use detect::Detector;
pub use engine::{Conversation, Engine, EngineBuilder, Gate, Seed, Tier};
pub use error::{Error, Result};
pub use policy::Policy;
pub use record::{Record, RecordError};
pub use redact::{Detection, KeyScope, Outcome, Redactor, Stats};
pub use replace::Key;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
