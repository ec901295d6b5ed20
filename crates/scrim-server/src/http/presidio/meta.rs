//! What both Presidio services list: `/health`, `/supportedentities`, `/recognizers`,
//! `/anonymizers`, `/deanonymizers`. They say nothing of any data and need no sign-in.
//! `language` is accepted and does not narrow the answer: Scrim's detectors read every
//! language they know at once.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;

use crate::presidio::{Presidio, ANONYMIZERS, DEANONYMIZERS};
use crate::service::Gateway;

/// Presidio answers its health probe in plain text.
pub(super) async fn health() -> &'static str {
    "Presidio Analyzer service is up"
}

pub(super) async fn supported_entities(State(p): State<Arc<Presidio>>) -> Json<Vec<&'static str>> {
    Json(p.supported_entities())
}

pub(super) async fn recognizers(State(p): State<Arc<Presidio>>) -> Json<Vec<&'static str>> {
    Json(p.recognizers())
}

pub(super) async fn supported_entities_gw(
    State(gw): State<Arc<Gateway>>,
) -> Json<Vec<&'static str>> {
    Json(gw.presidio().supported_entities())
}

pub(super) async fn recognizers_gw(State(gw): State<Arc<Gateway>>) -> Json<Vec<&'static str>> {
    Json(gw.presidio().recognizers())
}

pub(super) async fn anonymizers() -> Json<&'static [&'static str]> {
    Json(ANONYMIZERS)
}

pub(super) async fn deanonymizers() -> Json<&'static [&'static str]> {
    Json(DEANONYMIZERS)
}
