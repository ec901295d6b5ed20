//! Streaming redaction: records from a broker through Scrim's pipeline (the same stage and
//! admission as `scrim redact --store`) to an output, each input acknowledged only once its
//! result is durably published.
//!
//! ```text
//! Source::fetch (≤ max in flight) ─ payloads as lines ─ Pipeline::run_lines (parse, admit by
//!   consent, redact on the pool) ─ BatchSink: written | withheld | excluded | quarantined
//!   ─ Publisher::publish (each with its de-duplication id; returns once stored)
//!   ─ Source::ack ─ Metrics
//! ```
//!
//! - [`Source`] and [`Publisher`]: the seam a broker implements ([`nats`]: JetStream; a Kafka
//!   client would implement the same two traits).
//! - [`Stream`]: the driver, with its [`Options`] (bounded in flight, poll, stop when drained).
//! - [`Metrics`]: counters and their Prometheus text.
//!
//! Delivery is at least once, made idempotent by id: a result's id is the keyed lineage id of
//! its record's `id` (else of its input position), so a result republished after a crash is
//! recognised by the broker (JetStream's `Nats-Msg-Id` de-duplication) and stored once.
//! Withheld and excluded records (an opted-out subject, a private message) are acknowledged and
//! never published; malformed ones go to the quarantine with a reason that names what and
//! where, never content.

mod batch;
mod broker;
mod driver;
mod metrics;
pub mod nats;
#[cfg(feature = "testing")]
pub mod testing;

pub use broker::{Delivery, Outgoing, Published, Publisher, Route, Source};
pub use driver::{Options, Stream, StreamError};
pub use metrics::Metrics;
