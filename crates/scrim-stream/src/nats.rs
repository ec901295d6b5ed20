//! NATS JetStream behind the [`Source`] and [`Publisher`] traits (async-nats, driven from the
//! synchronous driver through a runtime handle).
//!
//! - Input: a durable pull consumer on the input stream (explicit acknowledgements; a message
//!   not acknowledged within the consumer's `ack_wait` is lent again). An acknowledgement is a
//!   double ack: it returns once the server has recorded it.
//! - Output: each result published with the `Nats-Msg-Id` header set to its de-duplication id,
//!   then the publish acknowledgements awaited (the stream has stored it, or recognised the id
//!   within its `duplicate_window`).

use std::time::Duration;

use async_nats::header::{HeaderMap, NATS_MESSAGE_ID};
use async_nats::jetstream::consumer::{pull, AckPolicy, DeliverPolicy, PullConsumer};
use async_nats::jetstream::message::Acker;
use async_nats::jetstream::{self, stream, Context};
use futures_util::StreamExt;
use tokio::runtime::Handle;

use crate::broker::{Delivery, Outgoing, Published, Publisher, Route, Source};

/// A JetStream call failed: what was being done, and the client's error (which names subjects,
/// streams and consumers, never a message's content).
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
pub struct NatsError {
    what: String,
    #[source]
    source: Option<async_nats::Error>,
}

impl NatsError {
    fn new(what: impl Into<String>, source: impl Into<async_nats::Error>) -> NatsError {
        NatsError {
            what: what.into(),
            source: Some(source.into()),
        }
    }

    fn plain(what: impl Into<String>) -> NatsError {
        NatsError {
            what: what.into(),
            source: None,
        }
    }
}

/// A connection to a NATS server with JetStream, on the runtime of `handle` (a multi-threaded
/// runtime, so that the connection is served while the driver's thread redacts).
#[derive(Clone)]
pub struct Nats {
    handle: Handle,
    js: Context,
}

impl std::fmt::Debug for Nats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nats").finish_non_exhaustive()
    }
}

/// The input: a stream and the durable consumer that reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputConfig {
    /// The JetStream stream holding the input records.
    pub stream: String,
    /// The durable consumer's name (created when missing; its position survives restarts).
    pub consumer: String,
    /// Only messages on this subject (default: the whole stream).
    pub filter_subject: Option<String>,
    /// How long a lent message may stay unacknowledged before it is lent again (for a consumer
    /// this creates).
    pub ack_wait: Duration,
    /// The most messages lent and unacknowledged at once (for a consumer this creates).
    pub max_ack_pending: i64,
}

/// The outputs: the subjects results and quarantine entries are published to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputConfig {
    /// Redacted records.
    pub subject: String,
    /// Quarantine entries.
    pub quarantine_subject: String,
    /// Create this stream over both subjects when no stream stores them yet, with this
    /// de-duplication window. `None`: a stream must already store them.
    pub create_stream: Option<(String, Duration)>,
}

impl Nats {
    /// Connect to `url` (e.g. `nats://127.0.0.1:4222`) on the runtime of `handle`.
    pub fn connect(handle: Handle, url: &str) -> Result<Nats, NatsError> {
        let client = handle
            .block_on(
                async_nats::ConnectOptions::new()
                    .name("scrim stream")
                    .connection_timeout(Duration::from_secs(10))
                    .connect(url),
            )
            .map_err(|e| NatsError::new(format!("connecting to NATS at {url}"), e))?;
        // The context spawns its publish-acknowledgement task on the runtime.
        let js = {
            let _runtime = handle.enter();
            jetstream::new(client)
        };
        Ok(Nats { handle, js })
    }

    /// The JetStream context (to create streams, publish inputs, read outputs).
    pub fn context(&self) -> &Context {
        &self.js
    }

    /// The input, through its durable consumer (created when missing).
    pub fn source(&self, config: &InputConfig) -> Result<NatsSource, NatsError> {
        let consumer = self.handle.block_on(async {
            let stream = self.js.get_stream(&config.stream).await.map_err(|e| {
                NatsError::new(
                    format!("the input stream {} is not there", config.stream),
                    e,
                )
            })?;
            let pull = pull::Config {
                durable_name: Some(config.consumer.clone()),
                ack_policy: AckPolicy::Explicit,
                deliver_policy: DeliverPolicy::All,
                ack_wait: config.ack_wait,
                max_ack_pending: config.max_ack_pending,
                filter_subject: config.filter_subject.clone().unwrap_or_default(),
                ..Default::default()
            };
            stream
                .get_or_create_consumer(&config.consumer, pull)
                .await
                .map_err(|e| {
                    let what = format!(
                        "opening the consumer {} on the stream {}",
                        config.consumer, config.stream
                    );
                    NatsError::new(what, e)
                })
        })?;
        Ok(NatsSource {
            handle: self.handle.clone(),
            consumer,
            lag: None,
        })
    }

    /// The outputs: a stream must store both subjects (created with `create_stream`). Returns
    /// the publisher and the output stream's name and de-duplication window.
    pub fn publisher(
        &self,
        config: &OutputConfig,
    ) -> Result<(NatsPublisher, String, Duration), NatsError> {
        let (name, window) = self.handle.block_on(async {
            if let Some((name, window)) = &config.create_stream {
                let cfg = stream::Config {
                    name: name.clone(),
                    subjects: vec![config.subject.clone(), config.quarantine_subject.clone()],
                    duplicate_window: *window,
                    storage: stream::StorageType::File,
                    ..Default::default()
                };
                self.js.get_or_create_stream(cfg).await.map_err(|e| {
                    NatsError::new(format!("creating the output stream {name}"), e)
                })?;
            }
            let mut found = None;
            for subject in [&config.subject, &config.quarantine_subject] {
                let name = self.js.stream_by_subject(subject.as_str()).await.map_err(|e| {
                    let what = format!(
                        "no JetStream stream stores {subject}: create one (or pass --output-stream NAME)"
                    );
                    NatsError::new(what, e)
                })?;
                found.get_or_insert(name);
            }
            let name = found.unwrap_or_default();
            let mut stream = self.js.get_stream(&name).await.map_err(|e| {
                NatsError::new(format!("reading the output stream {name}"), e)
            })?;
            let info = stream.info().await.map_err(|e| {
                NatsError::new(format!("reading the output stream {name}"), e)
            })?;
            let window = info.config.duplicate_window;
            Ok::<_, NatsError>((name, window))
        })?;
        let publisher = NatsPublisher {
            handle: self.handle.clone(),
            js: self.js.clone(),
            output: config.subject.clone(),
            quarantine: config.quarantine_subject.clone(),
        };
        Ok((publisher, name, window))
    }
}

/// The input stream's durable pull consumer.
pub struct NatsSource {
    handle: Handle,
    consumer: PullConsumer,
    lag: Option<u64>,
}

impl std::fmt::Debug for NatsSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsSource")
            .field("lag", &self.lag)
            .finish_non_exhaustive()
    }
}

impl NatsSource {
    /// Read what one pull request returns into `out`.
    async fn drain(
        batch: Result<pull::Batch, impl Into<async_nats::Error>>,
        out: &mut Vec<Delivery<Acker>>,
        lag: &mut Option<u64>,
    ) -> Result<(), NatsError> {
        let mut batch = batch.map_err(|e| NatsError::new("asking for messages", e))?;
        while let Some(message) = batch.next().await {
            let message = message.map_err(|e| NatsError::new("receiving a message", e))?;
            let info = message
                .info()
                .map_err(|e| NatsError::new("reading a message's stream position", e))?;
            let position = format!("{}:{}", info.stream, info.stream_sequence);
            *lag = Some(info.pending);
            let (message, acker) = message.split();
            out.push(Delivery {
                payload: Vec::from(message.payload),
                position,
                token: acker,
            });
        }
        Ok(())
    }
}

impl Source for NatsSource {
    type Token = Acker;
    type Error = NatsError;

    fn fetch(&mut self, max: usize, wait: Duration) -> Result<Vec<Delivery<Acker>>, NatsError> {
        let consumer = &self.consumer;
        let lag = &mut self.lag;
        self.handle.block_on(async move {
            let mut out = Vec::new();
            // What is there now, without waiting.
            let now = consumer.fetch().max_messages(max).messages().await;
            Self::drain(now, &mut out, lag).await?;
            if out.is_empty() {
                // Nothing: wait up to `wait` for one, then take what else came with it.
                let one = consumer
                    .batch()
                    .max_messages(1)
                    .expires(wait)
                    .messages()
                    .await;
                Self::drain(one, &mut out, lag).await?;
                if !out.is_empty() && max > 1 {
                    let rest = consumer.fetch().max_messages(max - 1).messages().await;
                    Self::drain(rest, &mut out, lag).await?;
                }
            }
            Ok(out)
        })
    }

    fn ack(&mut self, tokens: Vec<Acker>) -> Result<(), NatsError> {
        self.handle.block_on(async move {
            let acks = tokens.iter().map(|t| t.double_ack());
            futures_util::future::try_join_all(acks)
                .await
                .map_err(|e| NatsError::new("acknowledging messages", e))?;
            Ok(())
        })
    }

    fn lag(&self) -> Option<u64> {
        self.lag
    }

    fn drained(&mut self) -> Result<bool, NatsError> {
        let consumer = &self.consumer;
        let info = self
            .handle
            .block_on(consumer.get_info())
            .map_err(|e| NatsError::new("reading the consumer's state", e))?;
        self.lag = Some(info.num_pending);
        Ok(info.num_pending == 0 && info.num_ack_pending == 0)
    }
}

/// Publishes results and quarantine entries to their subjects.
pub struct NatsPublisher {
    handle: Handle,
    js: Context,
    output: String,
    quarantine: String,
}

impl std::fmt::Debug for NatsPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsPublisher")
            .field("output", &self.output)
            .field("quarantine", &self.quarantine)
            .finish_non_exhaustive()
    }
}

impl Publisher for NatsPublisher {
    type Error = NatsError;

    fn publish(&mut self, batch: Vec<Outgoing>) -> Result<Published, NatsError> {
        self.handle.block_on(async {
            // Send them all, in order, then wait for every acknowledgement.
            let mut pending = Vec::with_capacity(batch.len());
            for m in batch {
                let subject = match m.route {
                    Route::Output => self.output.clone(),
                    Route::Quarantine => self.quarantine.clone(),
                };
                let mut headers = HeaderMap::new();
                headers.insert(NATS_MESSAGE_ID, m.id.as_str());
                let ack = self
                    .js
                    .publish_with_headers(subject, headers, m.payload.into())
                    .await
                    .map_err(|e| NatsError::new("publishing a result", e))?;
                pending.push(ack);
            }
            let mut published = Published::default();
            for ack in pending {
                let ack = ack
                    .await
                    .map_err(|e| NatsError::new("waiting for a publish acknowledgement", e))?;
                if ack.duplicate {
                    published.duplicates += 1;
                } else {
                    published.stored += 1;
                }
            }
            Ok(published)
        })
    }

    fn max_payload(&self) -> usize {
        // The server's limit covers headers too: leave room for ours.
        let limit = self.js.client().server_info().max_payload;
        if limit == 0 {
            1 << 20
        } else {
            limit.saturating_sub(1024).max(1024)
        }
    }
}

/// Refuse outputs that cannot be told apart.
pub fn check_subjects(output: &OutputConfig) -> Result<(), NatsError> {
    if output.subject == output.quarantine_subject {
        return Err(NatsError::plain(
            "the output and quarantine subjects must differ",
        ));
    }
    Ok(())
}
