//! For tests that must pass on every back-end (feature `testing`): which back-ends to run, and
//! a fresh empty store on each. SQLite always; PostgreSQL at `SCRIM_TEST_PG_URL` (CI starts a
//! private cluster with `tools/pg.sh start`). Without that variable the tests fail rather than
//! pass on SQLite alone, unless `SCRIM_SKIP_PG=1` says so.

use std::path::Path;

use crate::error::{Error, Result};

/// The back-ends to test: `None` for SQLite, then PostgreSQL's server URL; an error that says
/// what to start when PostgreSQL is neither given nor explicitly skipped.
pub fn backends() -> std::result::Result<Vec<Option<String>>, String> {
    let mut out = vec![None];
    match std::env::var("SCRIM_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => out.push(Some(url)),
        _ if std::env::var("SCRIM_SKIP_PG").is_ok_and(|v| v == "1") => {}
        _ => {
            return Err(
                "SCRIM_TEST_PG_URL is not set: start PostgreSQL with `tools/pg.sh start` \
                        and export the URL it prints (or set SCRIM_SKIP_PG=1 to test SQLite alone)"
                    .to_string(),
            )
        }
    }
    Ok(out)
}

/// The address of a fresh, empty store on `backend`: a new SQLite file `name` in `dir`, or a
/// new database on the PostgreSQL server.
pub async fn fresh_url(backend: Option<&str>, dir: &Path, name: &str) -> Result<String> {
    let Some(server) = backend else {
        return Ok(dir.join(name).display().to_string());
    };
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut n = [0u8; 8];
    getrandom::getrandom(&mut n).map_err(|e| Error::Crypto(format!("no randomness: {e}")))?;
    let db = format!("scrim_t_{}", scrim_core::hex::encode(&n));
    let mut conn = sqlx::AnyConnection::connect(server)
        .await
        .map_err(Error::db("reaching the PostgreSQL test server"))?;
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut conn)
        .await
        .map_err(Error::db("creating a test database"))?;
    let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
    Ok(format!("{base}/{db}"))
}
