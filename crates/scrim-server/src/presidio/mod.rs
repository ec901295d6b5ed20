//! Microsoft Presidio's REST API, answered by Scrim: the analyzer's `/analyze`, the
//! anonymizer's `/anonymize` and `/deanonymize`, and what both list, with Presidio's request
//! and response shapes field for field and its error shapes and codes, so that existing
//! Presidio clients (LiteLLM's guardrail, Presidio's own SDK callers) work unchanged.
//!
//! No HTTP here: [`Presidio`] takes parsed JSON and answers JSON or a [`PresidioError`];
//! `crate::http::presidio` serves it behind `scrim serve`'s authentication and audit, or alone
//! (`scrim presidio`).
//!
//! - [`entities`]: Scrim's labels under Presidio's entity names.
//! - `analyze`: detection, ad-hoc recognizers (`adhoc`), context words, thresholds and allow
//!   lists; byte offsets inside, code points in the answer.
//! - `anonymize`: Presidio's conflict rules and operators (`operators`: replace, redact, mask,
//!   hash, keep, encrypt, decrypt, and Scrim's keyed pseudonyms), offsets into the output.
//!
//! Errors keep Presidio's wording where it names no request value; none repeats the text or
//! a value of the request.

use std::sync::Arc;

use axum::http::StatusCode;
use scrim_core::{Engine, Key, Policy};
use sha2::{Digest, Sha256};

mod adhoc;
mod analyze;
mod anonymize;
pub use analyze::NO_RECOGNIZERS;
pub mod entities;
mod operators;

/// Presidio's operators this service answers `GET /anonymizers` with (Scrim's own extension
/// last).
pub const ANONYMIZERS: &[&str] = &[
    "encrypt",
    "hash",
    "keep",
    "mask",
    "redact",
    "replace",
    operators::PSEUDONYM,
];

/// The deanonymizers (`GET /deanonymizers`).
pub const DEANONYMIZERS: &[&str] = &["decrypt", "deanonymize_keep"];

/// The languages the analyzer accepts by default: those of Presidio's default analyzer.
pub const DEFAULT_LANGUAGES: &[&str] = &["en"];

/// The largest request body the Presidio routes read, by default (2 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What went wrong, as Presidio answers it: `{"error": message}` with Presidio's status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PresidioError {
    /// 400: the body is not what the route reads ("Invalid request json": not JSON, or not
    /// an object; a field of the wrong type).
    #[error("{0}")]
    BadRequest(String),
    /// 422: the anonymizer's invalid parameters (Presidio's `InvalidParamError`).
    #[error("{0}")]
    InvalidParam(String),
    /// 500: the analyzer's refusals, which Presidio answers 500 ("No text provided", a
    /// language it has no recognizers for).
    #[error("{0}")]
    Analyzer(String),
    /// 401: `scrim presidio --token-file` and the call carries no such token.
    #[error(
        "a token is required: Authorization: Bearer TOKEN, or TOKEN as the password of HTTP Basic"
    )]
    Unauthorized,
    /// 413: the body is larger than allowed.
    #[error("the request body is larger than allowed")]
    TooLarge,
    /// 500: detection itself failed (the learned tier's runtime); nothing is answered as clean.
    #[error("internal error")]
    Internal(#[source] scrim_core::Error),
    /// 500: the work could not run (its thread failed).
    #[error("internal error")]
    Failed,
}

impl PresidioError {
    /// The HTTP status Presidio answers this error with.
    pub fn status(&self) -> StatusCode {
        match self {
            PresidioError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PresidioError::InvalidParam(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PresidioError::Unauthorized => StatusCode::UNAUTHORIZED,
            PresidioError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PresidioError::Analyzer(_) | PresidioError::Internal(_) | PresidioError::Failed => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// Presidio's body for it: `{"error": message}`.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.to_string() })
    }
}

/// A call that reads a body (see [`Presidio::call`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `POST /analyze`.
    Analyze,
    /// `POST /anonymize`.
    Anonymize,
    /// `POST /deanonymize`.
    Deanonymize,
}

/// The Presidio-compatible service: Scrim's detection engine and the key of its pseudonyms.
pub struct Presidio {
    engine: Arc<Engine>,
    key: Key,
    surrogates: Policy,
    max_body_bytes: usize,
    languages: Vec<String>,
    /// SHA-256 of the token the standalone routes require, if any.
    token: Option<[u8; 32]>,
    slots: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for Presidio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Presidio")
            .field("max_body_bytes", &self.max_body_bytes)
            .field("languages", &self.languages)
            .field("token", &self.token.map(|_| "(set)"))
            .finish_non_exhaustive()
    }
}

impl Presidio {
    /// A service over `engine`, whose `scrim_pseudonym` operator is keyed by `key` (the same
    /// key, the same pseudonym for a value in every request).
    pub fn new(engine: Arc<Engine>, key: Key) -> Result<Presidio, scrim_core::Error> {
        let mut surrogates = Policy::default_policy()?;
        surrogates.labels.default = scrim_core::policy::Action::Surrogate;
        surrogates.labels.by_label.clear();
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Ok(Presidio {
            engine,
            key,
            surrogates,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            languages: DEFAULT_LANGUAGES.iter().map(|l| (*l).to_string()).collect(),
            token: None,
            slots: Arc::new(tokio::sync::Semaphore::new(cores)),
        })
    }

    /// Run `call` on `body` on a blocking thread, at most one call per core at a time (the
    /// others wait their turn): detection is CPU work and must not stall the async workers.
    pub async fn call(
        self: &Arc<Self>,
        call: Call,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, PresidioError> {
        let _slot = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| PresidioError::Failed)?;
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || match call {
            Call::Analyze => me.analyze(&body),
            Call::Anonymize => me.anonymize(&body),
            Call::Deanonymize => me.deanonymize(&body),
        })
        .await
        .map_err(|_| PresidioError::Failed)?
    }

    /// The same with another body limit, in bytes.
    pub fn with_max_body_bytes(mut self, max: usize) -> Presidio {
        self.max_body_bytes = max;
        self
    }

    /// The same accepting these `language` codes (Presidio's: `en`, `de`, ...; none at all
    /// keeps [`DEFAULT_LANGUAGES`]). Scrim runs the same detectors whatever the language: name
    /// here the languages your clients send, so that a request in another one is refused as
    /// Presidio refuses it rather than analyzed by detectors not made for it.
    pub fn with_languages<I, S>(mut self, languages: I) -> Presidio
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let languages: Vec<String> = languages.into_iter().map(Into::into).collect();
        if !languages.is_empty() {
            self.languages = languages;
        }
        self
    }

    /// The same requiring `token` of every call that reads a body when served alone
    /// ([`crate::http::presidio::standalone_router`], `scrim presidio --token-file`): as
    /// `Authorization: Bearer TOKEN`, or as the password of HTTP Basic (what a Presidio client
    /// sends for an address `http://token:TOKEN@host/`). The listings stay open. Behind
    /// `scrim serve` the gateway's own tokens apply instead.
    pub fn with_token(mut self, token: &str) -> Presidio {
        self.token = Some(Sha256::digest(token.as_bytes()).into());
        self
    }

    /// Whether a call with `credential` (the token it carries, if any) may run: always when
    /// no token is required.
    pub fn admits(&self, credential: Option<&str>) -> bool {
        let Some(want) = &self.token else {
            return true;
        };
        credential.is_some_and(|c| {
            let got: [u8; 32] = Sha256::digest(c.as_bytes()).into();
            // Every byte compared, whatever differs first.
            got.iter().zip(want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        })
    }

    /// The `language` codes the analyzer accepts.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Whether the analyzer accepts `language`.
    pub fn reads_language(&self, language: &str) -> bool {
        self.languages.iter().any(|l| l == language)
    }

    /// The largest request body the routes read, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// `GET /supportedentities`: every entity Scrim's detectors report.
    pub fn supported_entities(&self) -> Vec<&'static str> {
        entities::SUPPORTED.to_vec()
    }

    /// `GET /recognizers`: Scrim's recognizers by name.
    pub fn recognizers(&self) -> Vec<&'static str> {
        let mut names = entities::RECOGNIZERS.to_vec();
        if self.engine.has_model() {
            names.push(entities::MODEL_RECOGNIZER);
        }
        names
    }
}
