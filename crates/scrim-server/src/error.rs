//! The gateway's errors, and how each becomes an HTTP answer. Messages name what and where
//! (a task id, a project, a field), never conversation content.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A result with the gateway's error.
pub type Result<T> = std::result::Result<T, Error>;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// No valid credentials.
    #[error("sign in first (a bearer token or a session)")]
    Unauthorized,
    /// The policies deny it (the same answer whatever exists behind it).
    #[error("not permitted")]
    Forbidden,
    /// Nothing there (or nothing this user may know of).
    #[error("{0}")]
    NotFound(String),
    /// It clashes with what exists.
    #[error("{0}")]
    Conflict(String),
    /// Too many requests for this user's pace; raised to privacy officers.
    #[error("too many requests: slow down")]
    TooMany,
    /// The Cedar schema or policies are unusable.
    #[error("{0}")]
    Policy(String),
    /// The configuration is unusable.
    #[error("{0}")]
    Config(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] scrim_store::Error),
    /// The database failed.
    #[error("database: {context}: {source}")]
    Db {
        /// What the gateway was doing.
        context: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Redaction failed.
    #[error("redaction: {0}")]
    Core(#[from] scrim_core::Error),
    /// A thread panicked holding one of the gateway's locks; what it guarded is not trusted.
    #[error("an internal lock was poisoned")]
    Poisoned,
    /// The audit writer is gone: nothing can be answered without its entry (fail closed).
    #[error("the audit writer stopped")]
    AuditUnavailable,
    /// A stored row cannot be read as what it must be (fail closed: nothing is served from it).
    #[error("a stored {table} row is unreadable: {id}: {what}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's id (Scrim's own, never content).
        id: String,
        /// Which column and why.
        what: String,
    },
}

impl Error {
    /// A stored row that cannot be read (see [`Error::Corrupt`]).
    pub(crate) fn corrupt(table: &'static str, id: &str, what: impl std::fmt::Display) -> Error {
        Error::Corrupt {
            table,
            id: id.to_string(),
            what: what.to_string(),
        }
    }

    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
        let context = context.into();
        move |source| Error::Db { context, source }
    }

    /// Whether the store's database is out of reach (down, refusing connections, or no pooled
    /// connection in time): answered 503 so that clients retry, not 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Store(e) => e.is_unavailable(),
            Error::Db { source, .. } => scrim_store::db_unavailable(source),
            _ => false,
        }
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        if self.is_unavailable() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::Forbidden => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Error::Store(scrim_store::Error::Invalid(_)) => StatusCode::BAD_REQUEST,
            Error::Store(scrim_store::Error::NotFound(_)) => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        if self.is_unavailable() {
            return "store_unavailable";
        }
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Unauthorized => "unauthorized",
            Error::Forbidden => "forbidden",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::TooMany => "rate_limited",
            _ => "internal",
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        // Internal details stay in the server's log; clients get the code and a short message.
        let message = if self.is_unavailable() {
            eprintln!("scrim serve: store unavailable: {self}");
            "the store's database is unavailable; retry later".to_string()
        } else if status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("scrim serve: internal error: {self}");
            "internal error".to_string()
        } else {
            self.to_string()
        };
        let body = serde_json::json!({"error": self.code(), "message": message});
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("5"),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_store_answers_503_with_retry_after() {
        let down = Error::db("fetching a task")(sqlx::Error::PoolTimedOut);
        assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.code(), "store_unavailable");
        let response = down.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(axum::http::header::RETRY_AFTER),
            Some(&axum::http::HeaderValue::from_static("5"))
        );
        let failed = Error::db("fetching a task")(sqlx::Error::RowNotFound);
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(failed.code(), "internal");
    }
}
