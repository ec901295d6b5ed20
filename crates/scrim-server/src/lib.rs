//! Scrim's review gateway: the service through which every human sees conversation data.
//!
//! - `http`: the axum routes, one file per resource; handlers parse, call and map.
//! - [`service`]: the [`Gateway`] and its logic by resource, with no HTTP in it; every answer
//!   is `Audited` (its audit entry written first).
//! - [`authz`]: Cedar policies (`policies/cedar/`), validated against their schema at start-up.
//! - [`auth`]: argon2 passwords, hashed tokens, principals.
//! - `db`: the gateway's SQL, one module per table, rows decoded by name.
//! - [`views`]: what a project declares its tasks show, and the allowlist view built from it.
//! - [`kanon`]: profile facts generalized until k subjects share every combination shown.
//! - [`audit`]: the keyed hash chain of every read, write, denial and administrative change,
//!   and its signed head checkpoints outside the database.
//! - `throttle`: failed sign-ins per name and per client, in bounded memory.
//! - [`presidio`]: Microsoft Presidio's analyzer and anonymizer REST API, answered by Scrim
//!   (served by `scrim serve` behind authentication, or alone by `scrim presidio`).

pub mod audit;
pub mod auth;
pub mod authz;
mod db;
mod error;
mod http;
pub mod kanon;
pub mod presidio;
pub mod service;
mod throttle;
pub mod views;

pub use error::{Error, Result};
pub use http::{presidio_router, router, OPENAPI};
pub use service::{
    Gateway, Settings, AUDIT_KEY, DEFAULT_MIN_K, DENYLIST_KEY, LOGIN_BODY_LIMIT, LOGIN_WINDOW,
    MAX_FAILED_LOGINS, MAX_FAILED_LOGINS_PER_CLIENT, SESSION_COOKIE,
};

/// Serve the gateway on a bound listener until the process is interrupted (Ctrl-C or
/// SIGTERM), then finish the requests in flight and export a last audit checkpoint. Handlers
/// see each client's address (sign-in limits per client).
pub async fn serve(listener: tokio::net::TcpListener, gw: std::sync::Arc<Gateway>) -> Result<()> {
    serve_until(listener, gw, stop_signal()?).await
}

/// [`serve`] until `stop` completes.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    gw: std::sync::Arc<Gateway>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let app = router(std::sync::Arc::clone(&gw))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| Error::Config(format!("the server stopped: {e}")))?;
    gw.checkpoint_audit().await
}

/// Serve Presidio's routes alone (no store, no sign-in: `scrim presidio`) on a bound listener
/// until `stop` completes, then finish the requests in flight.
pub async fn serve_presidio_until(
    listener: tokio::net::TcpListener,
    service: std::sync::Arc<presidio::Presidio>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(listener, presidio_router(service))
        .with_graceful_shutdown(stop)
        .await
        .map_err(|e| Error::Config(format!("the server stopped: {e}")))
}

/// Ctrl-C or SIGTERM, with the handlers installed now (a signal arriving before the server
/// runs still stops it gracefully). Needs a tokio runtime.
pub fn stop_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let fail = |e: std::io::Error| Error::Config(format!("cannot handle signals: {e}"));
        let mut int = signal(SignalKind::interrupt()).map_err(fail)?;
        let mut term = signal(SignalKind::terminate()).map_err(fail)?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {},
                _ = term.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
