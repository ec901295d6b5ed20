//! Scrim's governance store: people say no once and it holds everywhere.
//!
//! - [`Store`]: one interface over SQLite (embedded, the default) and PostgreSQL, with versioned
//!   migrations: consent history per subject and purpose, subjects' lineage ids, datasets and
//!   the shards that hold each subject, tombstones, deletion receipts, and wrapped keys.
//! - [`Governance`]: the source rules and consent modes of `policies/governance.toml`, and the
//!   admission decision for one record and purpose.
//! - [`dataset`]: datasets on disk (immutable shards, a manifest as the commit point) and the
//!   crash-safe rewrite that compaction uses.
//! - [`crypto`]: the master keyring, AEAD sealing, keyed lineage ids; [`raw`]: retained raw
//!   records sealed per subject (forgetting destroys the key: crypto-shredding).
//!
//! Nothing here logs or returns record content: errors name subjects, purposes, datasets and
//! files.

pub mod crypto;
pub mod dataset;
mod db;
mod error;
pub mod governance;
mod json;
pub mod raw;
#[cfg(feature = "testing")]
pub mod testing;

pub use crypto::{Keyring, Lineage, SecretKey};
pub use dataset::{DatasetWriter, LineEntry, Manifest};
pub use db::{
    check_subject, display_url, hours_from_now, now, subject_field, timestamp, timestamp_at,
    Backend, ConsentEvent, DatasetInfo, Holding, KeyStatus, Receipt, Recovery, ReviewTasks, Store,
    TombstoneReport, LINEAGE_KEY, PSEUDONYM_KEY,
};
pub use error::{db_unavailable, Error, Result};
pub use governance::{Consent, Decision, Exclusion, Governance};
