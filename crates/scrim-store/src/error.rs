//! The store's error type: what failed and where, never the content of a record.

/// A result with the store's error.
pub type Result<T> = std::result::Result<T, Error>;

/// What went wrong. Messages name subjects, purposes, datasets and files, never record content.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the caller is not acceptable (a purpose, a policy, a key file).
    #[error("{0}")]
    Invalid(String),
    /// Something asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The database failed.
    #[error("store database: {context}: {source}")]
    Db {
        /// What the store was doing.
        context: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Migrating the schema failed.
    #[error("store schema migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// The file and the operation.
        context: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// A key could not be used (wrong master key, destroyed subject key, corrupt ciphertext).
    #[error("{0}")]
    Crypto(String),
    /// A dataset's files disagree with its manifest or with the store.
    #[error("{0}")]
    Corrupt(String),
}

impl Error {
    /// Whether the database could not be reached at all (refused or dropped connections, or no
    /// pooled connection within the acquire timeout), as opposed to a query that failed. Callers
    /// answer "unavailable, retry" for these rather than an internal error.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Db { source, .. } => db_unavailable(source),
            _ => false,
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Error {
        Error::Invalid(msg.into())
    }

    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
        let context = context.into();
        move |source| Error::Db { context, source }
    }

    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let context = context.into();
        move |source| Error::Io { context, source }
    }
}

/// Whether a driver error means the database is out of reach (see [`Error::is_unavailable`]).
pub fn db_unavailable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_databases_are_told_apart_from_failed_queries() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        for source in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(refused),
        ] {
            assert!(Error::db("x")(source).is_unavailable());
        }
        assert!(!Error::db("x")(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!Error::invalid("x").is_unavailable());
    }
}
