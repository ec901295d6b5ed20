//! The seam between the driver and a broker: a [`Source`] that lends records and takes them
//! back acknowledged, and a [`Publisher`] that stores results durably. NATS JetStream
//! implements both (`crate::nats`); a Kafka client would implement the same two traits (a
//! consumer group committing offsets on `ack`, an idempotent producer whose `publish` waits for
//! every delivery report).

use std::time::Duration;

/// One message read from the input, not yet acknowledged.
pub struct Delivery<T> {
    /// The message's body: one record (JSON), as the producer wrote it.
    pub payload: Vec<u8>,
    /// Where it sits in the input, stable across redeliveries (`STREAM:SEQUENCE` for
    /// JetStream, `TOPIC/PARTITION/OFFSET` for Kafka): what quarantine entries and, for a record
    /// without an `id`, the output's de-duplication id are made from. Never content.
    pub position: String,
    /// What [`Source::ack`] needs to take this message back.
    pub token: T,
}

impl<T> std::fmt::Debug for Delivery<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The payload is raw personal data: its size only.
        f.debug_struct("Delivery")
            .field("position", &self.position)
            .field("bytes", &self.payload.len())
            .finish_non_exhaustive()
    }
}

/// Where the input comes from.
pub trait Source {
    /// What acknowledging one message needs (JetStream: its acker; Kafka: partition and offset).
    type Token;
    /// The broker's error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Up to `max` messages, in the input's order, waiting at most `wait` for the first one
    /// (an empty answer: nothing arrived in time). Messages lent earlier and not acknowledged
    /// may come again (after a restart, or once the broker's acknowledgement deadline passed).
    fn fetch(
        &mut self,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery<Self::Token>>, Self::Error>;

    /// Take these messages back for good: they will not be lent again. Returns once the broker
    /// has confirmed it.
    fn ack(&mut self, tokens: Vec<Self::Token>) -> Result<(), Self::Error>;

    /// Messages of the input not yet lent, as last seen (no call to the broker).
    fn lag(&self) -> Option<u64>;

    /// Whether the input is consumed: nothing left to lend, nothing lent and unacknowledged
    /// (by this process or one before it). May ask the broker.
    fn drained(&mut self) -> Result<bool, Self::Error>;
}

/// Which output a message goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A redacted record.
    Output,
    /// A message that is not a record, or could not be processed: kept whole with its reason.
    Quarantine,
}

/// A message to publish.
pub struct Outgoing {
    /// Where it goes.
    pub route: Route,
    /// Its de-duplication id (`r_…`, a keyed lineage id: no content): the same input record
    /// always gets the same id, so a republished result is recognised as a duplicate.
    pub id: String,
    /// Its body (a redacted record, or a quarantine entry).
    pub payload: Vec<u8>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A quarantine entry holds the raw input: its size only.
        f.debug_struct("Outgoing")
            .field("route", &self.route)
            .field("id", &self.id)
            .field("bytes", &self.payload.len())
            .finish()
    }
}

/// What the broker said of a published batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Messages stored.
    pub stored: u64,
    /// Messages the broker recognised by their id as already stored (a result republished
    /// after a restart), and did not store again.
    pub duplicates: u64,
}

/// Where results go.
pub trait Publisher {
    /// The broker's error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Publish every message of `batch` in order, each with its de-duplication id, and return
    /// only once the broker has stored each one durably (or recognised it as a duplicate). An
    /// error means some may not be stored: the caller must not acknowledge their inputs.
    fn publish(&mut self, batch: Vec<Outgoing>) -> Result<Published, Self::Error>;

    /// The largest message body the broker takes (a larger result is quarantined instead, a
    /// larger quarantine entry keeps only the head of its input), so that no message can stop
    /// the stream by failing to publish again and again.
    fn max_payload(&self) -> usize;
}
