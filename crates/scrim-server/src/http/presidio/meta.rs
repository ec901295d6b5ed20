//! What both Presidio services list: `/health`, `/supportedentities`, `/recognizers`,
//! `/anonymizers`, `/deanonymizers`. They say nothing of any data and need no sign-in.
//! `language`, when given, must be one the analyzer reads (else 500, as Presidio answers a
//! language it has no recognizers for); it does not narrow the answer, since Scrim's detectors
//! are the same for every language.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::presidio::{Presidio, PresidioError, ANONYMIZERS, DEANONYMIZERS, NO_RECOGNIZERS};
use crate::service::Gateway;

/// The query of the analyzer's listings.
#[derive(Debug, Deserialize)]
pub(super) struct Language {
    language: Option<String>,
}

/// The listing, or Presidio's 500 for a language the analyzer does not read.
fn listing(p: &Presidio, q: &Language, list: Vec<&'static str>) -> Response {
    match &q.language {
        Some(l) if !p.reads_language(l) => {
            let e = PresidioError::Analyzer(NO_RECOGNIZERS.to_string());
            (e.status(), Json(e.body())).into_response()
        }
        _ => Json(list).into_response(),
    }
}

/// Presidio answers its health probe in plain text.
pub(super) async fn health() -> &'static str {
    "Presidio Analyzer service is up"
}

pub(super) async fn supported_entities(
    State(p): State<Arc<Presidio>>,
    Query(q): Query<Language>,
) -> Response {
    listing(&p, &q, p.supported_entities())
}

pub(super) async fn recognizers(
    State(p): State<Arc<Presidio>>,
    Query(q): Query<Language>,
) -> Response {
    listing(&p, &q, p.recognizers())
}

pub(super) async fn supported_entities_gw(
    State(gw): State<Arc<Gateway>>,
    Query(q): Query<Language>,
) -> Response {
    let p = gw.presidio();
    listing(p, &q, p.supported_entities())
}

pub(super) async fn recognizers_gw(
    State(gw): State<Arc<Gateway>>,
    Query(q): Query<Language>,
) -> Response {
    let p = gw.presidio();
    listing(p, &q, p.recognizers())
}

pub(super) async fn anonymizers() -> Json<&'static [&'static str]> {
    Json(ANONYMIZERS)
}

pub(super) async fn deanonymizers() -> Json<&'static [&'static str]> {
    Json(DEANONYMIZERS)
}
