//! A store-backed run: the governance store reached from synchronous code, and what a run
//! reads from it once (lineage, the pseudonym key) before admission, redaction and the dataset
//! use it.

use std::future::Future;
use std::sync::Arc;

use scrim_core::{Engine, Key, KeyScope, Policy, Redactor};
use scrim_store::{Governance, Keyring, Lineage, SecretKey, Store};

use crate::admit::ConsentAdmission;
use crate::stage::Redact;

/// The store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No runtime for the store's connections.
    #[error("starting the store's runtime")]
    Runtime(#[source] std::io::Error),
    /// The store did not open.
    #[error("opening the store {url}")]
    Store {
        /// The store's address, without any password.
        url: String,
        /// The store's error.
        #[source]
        source: scrim_store::Error,
    },
}

/// The governance store with a runtime of its own, for synchronous callers: each call blocks
/// until the store answers.
#[derive(Debug)]
pub struct BlockingStore {
    rt: tokio::runtime::Runtime,
    store: Store,
}

impl BlockingStore {
    /// Open (creating and migrating as needed) the store at `url` on a new single-threaded
    /// runtime.
    pub fn open(url: &str) -> Result<BlockingStore, OpenError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(OpenError::Runtime)?;
        let store = rt
            .block_on(Store::open(url))
            .map_err(|source| OpenError::Store {
                url: scrim_store::display_url(url),
                source,
            })?;
        Ok(BlockingStore { rt, store })
    }

    /// A store already open on `rt` (a current-thread runtime is enough: calls block on it).
    pub fn new(rt: tokio::runtime::Runtime, store: Store) -> BlockingStore {
        BlockingStore { rt, store }
    }

    /// The runtime and the store.
    pub fn into_parts(self) -> (tokio::runtime::Runtime, Store) {
        (self.rt, self.store)
    }

    /// The store, to build calls for [`BlockingStore::run`].
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Run a store call to completion.
    pub fn run<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}

/// A store-backed redaction run: the store, the governance policy and purpose, the master
/// keyring, and the keys read once at the start.
pub struct StoreRun {
    store: BlockingStore,
    gov: Governance,
    purpose: String,
    ring: Keyring,
    lineage: Lineage,
    pseudonym_key: (i64, SecretKey),
    started: String,
}

impl std::fmt::Debug for StoreRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreRun")
            .field("store", &self.store.store().describe())
            .field("purpose", &self.purpose)
            .field("key_version", &self.pseudonym_key.0)
            .finish_non_exhaustive()
    }
}

impl StoreRun {
    /// Check the purpose, then load (or make) the store's lineage and pseudonym keys.
    pub fn start(
        store: BlockingStore,
        gov: Governance,
        purpose: &str,
        ring: Keyring,
    ) -> Result<StoreRun, scrim_store::Error> {
        gov.check_purpose(purpose)?;
        let lineage = store.run(store.store().lineage(&ring))?;
        let pseudonym_key =
            store.run(store.store().store_key(&ring, scrim_store::PSEUDONYM_KEY))?;
        Ok(StoreRun {
            store,
            gov,
            purpose: purpose.to_string(),
            ring,
            lineage,
            pseudonym_key,
            started: scrim_store::now(),
        })
    }

    /// The store.
    pub fn store(&self) -> &BlockingStore {
        &self.store
    }

    /// The governance policy.
    pub fn governance(&self) -> &Governance {
        &self.gov
    }

    /// The purpose the output serves.
    pub fn purpose(&self) -> &str {
        &self.purpose
    }

    /// The master keyring.
    pub fn keyring(&self) -> &Keyring {
        &self.ring
    }

    /// The store's lineage ids.
    pub fn lineage(&self) -> &Lineage {
        &self.lineage
    }

    /// The version of the pseudonym key this run redacts under.
    pub fn key_version(&self) -> i64 {
        self.pseudonym_key.0
    }

    /// The pseudonym scope the governance policy sets for the purpose.
    pub fn key_scope(&self) -> KeyScope {
        self.gov.key_scope(&self.purpose)
    }

    /// When the run started (RFC 3339).
    pub fn started(&self) -> &str {
        &self.started
    }

    /// Admission by each subject's consent to the purpose.
    pub fn admission(&self) -> ConsentAdmission<'_> {
        ConsentAdmission {
            store: &self.store,
            gov: &self.gov,
            purpose: &self.purpose,
        }
    }

    /// A redactor under the store's pseudonym key, in the purpose's scope.
    pub fn redactor(&self, engine: Arc<Engine>, policy: Policy) -> Redactor {
        let key = Key::from_secret(self.pseudonym_key.1.bytes());
        Redactor::new(engine, policy, key).with_scope(self.key_scope())
    }

    /// Redaction for this run: [`StoreRun::redactor`], subjects leaving as lineage ids.
    pub fn stage(&self, engine: Arc<Engine>, policy: Policy) -> Redact<'_> {
        Redact::new(self.redactor(engine, policy)).with_lineage(&self.lineage)
    }

    /// `store URL (pseudonym key vN, SCOPE scope)`, for summaries.
    pub fn describe(&self) -> String {
        format!(
            "store {} (pseudonym key v{}, {} scope)",
            self.store.store().describe(),
            self.pseudonym_key.0,
            self.key_scope().name()
        )
    }
}
