//! Who is asking: passwords hashed with argon2, tokens (API tokens and login sessions) stored
//! as SHA-256 of 256 random bits, and the principal a token stands for.
//!
//! argon2 runs on tokio's blocking threads, at most one per core at a time, so password checks
//! never hold up the async workers. A new password ends the user's sessions and API tokens: an
//! admin's reset all of them, the user's own change all but the session that made it.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

use crate::authz::{Principal, Role};
use crate::db;
use crate::error::{Error, Result};

/// The longest user name, in bytes (names are 1-64 characters of a small ASCII set).
pub const MAX_NAME_BYTES: usize = 64;
/// The longest password, in bytes, that is set or checked.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Hash a password (argon2id, random salt). Blocking: async code uses [`hash_password_async`].
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < 12 {
        return Err(Error::BadRequest(
            "a password needs at least 12 characters".to_string(),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::BadRequest(format!(
            "a password has at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| Error::Config(format!("no system randomness: {e}")))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| Error::Config(format!("password salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Config(format!("password hashing: {e}")))
}

/// Whether `password` matches a stored hash. Blocking: async code uses [`check_password`].
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The argon2 slots: one per core (at least one).
fn hashing() -> Arc<Semaphore> {
    static SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    Arc::clone(SLOTS.get_or_init(|| {
        let n = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Arc::new(Semaphore::new(n))
    }))
}

/// Run `f` on a blocking thread once an argon2 slot is free. The slot stays taken until `f`
/// returns, even when the request that asked has gone.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let slot = hashing()
        .acquire_owned()
        .await
        .map_err(|_| Error::Config("the password hasher stopped".to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        f()
    })
    .await
    .map_err(|e| Error::Config(format!("password hashing: {e}")))
}

/// [`hash_password`] on a blocking thread, behind the argon2 limit.
pub async fn hash_password_async(password: &str) -> Result<String> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::BadRequest(format!(
            "a password has at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    let password = password.to_string();
    off_thread(move || hash_password(&password)).await?
}

/// Whether `password` matches `hash`, on a blocking thread behind the argon2 limit. Without a
/// hash (no such user, or no password set) the same work is done against a dummy hash, so
/// timing does not tell which names exist.
pub async fn check_password(password: &str, hash: Option<String>) -> Result<bool> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Ok(false);
    }
    let password = password.to_string();
    off_thread(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
}

/// A fresh token: `scrim_` and 43 URL-safe characters (256 random bits).
pub fn new_token() -> Result<String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b)
        .map_err(|e| Error::Config(format!("no system randomness: {e}")))?;
    Ok(format!("scrim_{}", B64.encode(b)))
}

/// How a token is stored.
pub fn token_hash(token: &str) -> String {
    scrim_core::hex::encode(&Sha256::digest(token.as_bytes()))
}

/// A fresh id with a prefix (`u_…`, `p_…`, `t_…`).
pub fn new_id(prefix: &str) -> Result<String> {
    let mut b = [0u8; 9];
    getrandom::getrandom(&mut b)
        .map_err(|e| Error::Config(format!("no system randomness: {e}")))?;
    Ok(format!("{prefix}_{}", B64.encode(b)))
}

/// Store a token for a user; returns the token (shown once, never stored).
pub async fn issue_token(
    pool: &AnyPool,
    user_id: &str,
    kind: &str,
    ttl_hours: Option<i64>,
) -> Result<String> {
    let token = new_token()?;
    let expires = ttl_hours.map(scrim_store::hours_from_now);
    db::users::insert_token(pool, &token_hash(&token), user_id, kind, expires).await?;
    Ok(token)
}

/// The principal a token stands for, if it is valid and unexpired and the user not disabled
/// (one query: every request signs in through here).
pub async fn principal_of(pool: &AnyPool, token: &str) -> Result<Option<Principal>> {
    let Some((who, expires)) = crate::db::users::by_token(pool, &token_hash(token)).await? else {
        return Ok(None);
    };
    if expires.is_some_and(|e| e < scrim_store::now()) {
        return Ok(None);
    }
    Ok(Some(who))
}

/// Load a user's projects and clearances.
pub async fn principal(pool: &AnyPool, id: String, name: String, role: Role) -> Result<Principal> {
    let (projects, clearances) = crate::db::users::memberships(pool, &id).await?;
    Ok(Principal {
        id,
        name,
        role,
        projects,
        clearances,
    })
}

/// Check a name and password; the user's principal when they match. Names and passwords
/// longer than any that can be set never match (and cost no lookup).
pub async fn login(pool: &AnyPool, name: &str, password: &str) -> Result<Option<Principal>> {
    if name.len() > MAX_NAME_BYTES || password.len() > MAX_PASSWORD_BYTES {
        return Ok(None);
    }
    let Some((u, hash)) = db::users::for_sign_in(pool, name).await? else {
        // Same work either way, so timing does not tell which names exist.
        check_password(password, None).await?;
        return Ok(None);
    };
    if !check_password(password, hash).await? {
        return Ok(None);
    }
    principal(pool, u.id, u.name, u.role).await.map(Some)
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no user has this password").unwrap_or_default())
}

/// A new user; returns its id.
pub async fn create_user(
    pool: &AnyPool,
    name: &str,
    role: Role,
    password: Option<&str>,
    projects: &[String],
    clearances: &[String],
) -> Result<String> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
    {
        return Err(Error::BadRequest(
            "a user name is 1-64 letters, digits, '.', '_', '-' or '@'".to_string(),
        ));
    }
    check_clearances(clearances)?;
    let hash = hash_if_given(password).await?;
    let id = new_id("u")?;
    let account = db::users::NewAccount {
        id: &id,
        name,
        role,
        hash,
        projects,
        clearances,
    };
    db::users::insert(pool, account).await?;
    Ok(id)
}

/// Change a user: disable or enable (disabling revokes every token and session), set a new
/// password (which also revokes every token and session: whoever held one must sign in with
/// the new password), replace their projects or clearances. Returns the names of what changed
/// (`tokens` when a new password revoked them).
pub async fn update_user(
    pool: &AnyPool,
    id: &str,
    disabled: Option<bool>,
    password: Option<&str>,
    projects: Option<&[String]>,
    clearances: Option<&[String]>,
) -> Result<Vec<String>> {
    if let Some(cs) = clearances {
        check_clearances(cs)?;
    }
    let hash = hash_if_given(password).await?;
    let change = db::users::AccountChange {
        disabled,
        hash,
        projects,
        clearances,
    };
    db::users::update(pool, id, change).await
}

/// Refuse a clearance that is not a sensitive category.
pub(crate) fn check_clearances(clearances: &[String]) -> Result<()> {
    match clearances
        .iter()
        .find(|c| !crate::views::CATEGORIES.contains(&c.as_str()))
    {
        Some(c) => Err(Error::BadRequest(format!("unknown clearance {c:?}"))),
        None => Ok(()),
    }
}

/// The hash of `password`, when one is given.
async fn hash_if_given(password: Option<&str>) -> Result<Option<String>> {
    match password {
        Some(p) => Ok(Some(hash_password_async(p).await?)),
        None => Ok(None),
    }
}

/// A user's own new password: set it and revoke their API tokens and every session but
/// `keep` (the hash of the session making the change; an API token making it is revoked too).
/// Returns how many tokens and sessions were revoked.
pub async fn set_own_password(
    pool: &AnyPool,
    id: &str,
    password: &str,
    keep: Option<&str>,
) -> Result<u64> {
    let hash = hash_password_async(password).await?;
    db::users::set_own_password(pool, id, &hash, keep).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(hash_password("short").is_err());
        let t = new_token().unwrap();
        assert!(t.starts_with("scrim_") && t.len() == 49);
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(new_token().unwrap(), t);
    }

    #[test]
    fn dates() {
        // Token expiries are written by the store's one timestamp function.
        let rfc3339 = |s| scrim_store::timestamp_at(s).unwrap_or_default();
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(1_795_000_000), "2026-11-18T11:06:40.000Z");
    }
}
