//! Scrim's review gateway: the service through which every human sees conversation data.
//!
//! - [`app`]: the axum routes and handlers, over the governance store's database.
//! - [`authz`]: Cedar policies (`policies/cedar/`), validated against their schema at start-up.
//! - [`auth`]: argon2 passwords, hashed tokens, principals.
//! - [`views`]: what a project declares its tasks show, and the allowlist view built from it.
//! - [`kanon`]: profile facts generalized until k subjects share every combination shown.
//! - [`audit`]: the keyed hash chain of every read, write, denial and administrative change.

pub mod app;
pub mod audit;
pub mod auth;
pub mod authz;
mod error;
pub mod kanon;
pub mod views;

pub use app::{router, Gateway, Settings};
pub use error::{Error, Result};

/// Serve the gateway on a bound listener until the process is interrupted (Ctrl-C or
/// SIGTERM), then finish the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, gw: std::sync::Arc<Gateway>) -> Result<()> {
    axum::serve(listener, router(gw))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| Error::Config(format!("the server stopped: {e}")))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
