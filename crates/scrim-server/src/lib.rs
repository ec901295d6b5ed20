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

/// Serve the gateway on a bound listener until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, gw: std::sync::Arc<Gateway>) -> Result<()> {
    axum::serve(listener, router(gw))
        .await
        .map_err(|e| Error::Config(format!("the server stopped: {e}")))
}
