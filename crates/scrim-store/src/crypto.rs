//! Keys: the master keyring that wraps every key the store holds, per-subject data keys for
//! retained raw records (AEAD, XChaCha20-Poly1305), and keyed pseudonymous ids for lineage.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Bytes in every key.
pub const KEY_LEN: usize = 32;
/// Bytes in an XChaCha20-Poly1305 nonce.
pub const NONCE_LEN: usize = 24;

/// 32 secret bytes that never print.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; KEY_LEN]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<secret>)")
    }
}

impl SecretKey {
    /// Fresh random bytes from the operating system.
    pub fn random() -> Result<SecretKey> {
        let mut b = [0u8; KEY_LEN];
        getrandom::getrandom(&mut b)
            .map_err(|e| Error::Crypto(format!("no system randomness: {e}")))?;
        Ok(SecretKey(b))
    }

    /// From exactly 32 bytes.
    pub fn from_slice(b: &[u8]) -> Result<SecretKey> {
        let arr: [u8; KEY_LEN] = b.try_into().map_err(|_| {
            Error::Crypto(format!("a key must be {KEY_LEN} bytes, not {}", b.len()))
        })?;
        Ok(SecretKey(arr))
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// HMAC-SHA256 of length-prefixed parts.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return [0u8; 32], // unreachable: HMAC takes keys of any length
        };
        for p in parts {
            m.update(&(p.len() as u64).to_le_bytes());
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }

    /// A short id that names this key without revealing it.
    pub fn id(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"scrim key id v1");
        h.update(self.0);
        let digest = h.finalize();
        scrim_core::hex::encode(digest.get(..8).unwrap_or(&digest))
    }
}

/// A sealed value: nonce and ciphertext (with its tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The nonce.
    pub nonce: Vec<u8>,
    /// The ciphertext and tag.
    pub ciphertext: Vec<u8>,
}

/// Encrypt `plaintext` under `key`, bound to `aad`.
pub fn seal(key: &SecretKey, plaintext: &[u8], aad: &[u8]) -> Result<Sealed> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::getrandom(&mut nonce)
        .map_err(|e| Error::Crypto(format!("no system randomness: {e}")))?;
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::Crypto("encryption failed".to_string()))?;
    Ok(Sealed {
        nonce: nonce.to_vec(),
        ciphertext,
    })
}

/// Decrypt what [`seal`] made; fails on a wrong key, a wrong `aad` or any change.
pub fn open(key: &SecretKey, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>> {
    if sealed.nonce.len() != NONCE_LEN {
        return Err(Error::Crypto("sealed value has a bad nonce".to_string()));
    }
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    cipher
        .decrypt(
            XNonce::from_slice(&sealed.nonce),
            Payload {
                msg: &sealed.ciphertext,
                aad,
            },
        )
        .map_err(|_| Error::Crypto("decryption failed (wrong key or altered data)".to_string()))
}

/// The master keys: the first wraps new keys; all of them unwrap (so that a rotation can run
/// while readers keep working).
#[derive(Clone)]
pub struct Keyring {
    keys: Vec<SecretKey>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<String> = self.keys.iter().map(SecretKey::id).collect();
        f.debug_struct("Keyring").field("ids", &ids).finish()
    }
}

impl Keyring {
    /// Parse a keyring: one base64 key (32 bytes) per line, the primary first; blank lines and
    /// lines starting with `#` are ignored.
    pub fn parse(text: &str, origin: &str) -> Result<Keyring> {
        let mut keys = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bytes = B64
                .decode(line)
                .map_err(|_| Error::invalid(format!("{origin}, line {}: not base64", i + 1)))?;
            let key = SecretKey::from_slice(&bytes).map_err(|_| {
                Error::invalid(format!(
                    "{origin}, line {}: a master key must be {KEY_LEN} bytes",
                    i + 1
                ))
            })?;
            keys.push(key);
        }
        if keys.is_empty() {
            return Err(Error::invalid(format!("{origin} holds no master key")));
        }
        Ok(Keyring { keys })
    }

    /// A keyring of these keys, the primary first.
    pub fn from_keys(keys: Vec<SecretKey>) -> Result<Keyring> {
        if keys.is_empty() {
            return Err(Error::invalid("a keyring needs at least one key"));
        }
        Ok(Keyring { keys })
    }

    /// The text of a keyring file holding these keys.
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# Scrim master keyring: one base64 key per line; the first wraps new keys.\n",
        );
        for k in &self.keys {
            s.push_str(&B64.encode(k.bytes()));
            s.push('\n');
        }
        s
    }

    /// The key that wraps new keys.
    #[allow(
        clippy::indexing_slicing,
        reason = "`keys` is never empty: every constructor refuses an empty ring"
    )]
    pub fn primary(&self) -> &SecretKey {
        &self.keys[0]
    }

    /// Ids of every key, primary first.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(SecretKey::id).collect()
    }

    /// The key with this id.
    pub fn key(&self, id: &str) -> Option<&SecretKey> {
        self.by_id(id)
    }

    fn by_id(&self, id: &str) -> Option<&SecretKey> {
        self.keys.iter().find(|k| k.id() == id)
    }

    /// Wrap a key under the primary master key; returns the master key's id and the sealed key.
    pub fn wrap(&self, key: &SecretKey, context: &[u8]) -> Result<(String, Sealed)> {
        let master = self.primary();
        let id = master.id();
        let sealed = seal(master, key.bytes(), &wrap_aad(&id, context))?;
        Ok((id, sealed))
    }

    /// Unwrap a key sealed under the master key `master_id`.
    pub fn unwrap_key(
        &self,
        master_id: &str,
        sealed: &Sealed,
        context: &[u8],
    ) -> Result<SecretKey> {
        let master = self.by_id(master_id).ok_or_else(|| {
            Error::Crypto(format!(
                "a key is wrapped under master key {master_id}, which this keyring ({}) lacks",
                self.ids().join(", ")
            ))
        })?;
        let bytes = open(master, sealed, &wrap_aad(master_id, context))?;
        SecretKey::from_slice(&bytes)
    }
}

fn wrap_aad(master_id: &str, context: &[u8]) -> Vec<u8> {
    let mut aad = b"scrim wrapped key v1|".to_vec();
    aad.extend_from_slice(master_id.as_bytes());
    aad.push(b'|');
    aad.extend_from_slice(context);
    aad
}

/// Keyed pseudonymous ids for lineage: the same subject or record always gets the same id under
/// one lineage key, and nobody without the key can tell whose it is.
#[derive(Debug, Clone)]
pub struct Lineage {
    key: SecretKey,
}

impl Lineage {
    /// Ids under `key`.
    pub fn new(key: SecretKey) -> Lineage {
        Lineage { key }
    }

    /// The pseudonymous id of a subject (`s_` and 32 hex digits).
    pub fn subject(&self, subject: &str) -> String {
        format!(
            "s_{}",
            scrim_core::hex::encode(&self.key.mac(&[b"subject", subject.as_bytes()])[..16])
        )
    }

    /// The pseudonymous id of a source record (`r_` and 32 hex digits).
    pub fn record(&self, record: &str) -> String {
        format!(
            "r_{}",
            scrim_core::hex::encode(&self.key.mac(&[b"record", record.as_bytes()])[..16])
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::random().unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn seal_open_and_tamper() {
        let k = key();
        let s = seal(&k, b"hello", b"ctx").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(open(&k, &s, b"ctx").ok(), Some(b"hello".to_vec()));
        assert!(open(&k, &s, b"other").is_err());
        assert!(open(&key(), &s, b"ctx").is_err());
        let mut bad = s.clone();
        bad.ciphertext[0] ^= 1;
        assert!(open(&k, &bad, b"ctx").is_err());
    }

    #[test]
    fn keyring_wraps_with_primary_and_unwraps_with_any() {
        let (old, new) = (key(), key());
        let ring_old =
            Keyring::from_keys(vec![old.clone()]).unwrap_or_else(|e| unreachable!("{e}"));
        let ring_both = Keyring::from_keys(vec![new.clone(), old.clone()])
            .unwrap_or_else(|e| unreachable!("{e}"));
        let data = key();
        let (id, sealed) = ring_old
            .wrap(&data, b"subject:a")
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(id, old.id());
        let back = ring_both
            .unwrap_key(&id, &sealed, b"subject:a")
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(back, data);
        // Bound to its context: a key wrapped for one subject does not open as another's.
        assert!(ring_both.unwrap_key(&id, &sealed, b"subject:b").is_err());
        let ring_new = Keyring::from_keys(vec![new]).unwrap_or_else(|e| unreachable!("{e}"));
        let e = ring_new
            .unwrap_key(&id, &sealed, b"subject:a")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains(&id), "{e}");
        // Round trip through the file format; Debug shows ids only.
        let text = ring_both.to_text();
        let parsed = Keyring::parse(&text, "test").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(parsed.ids(), ring_both.ids());
        assert!(!format!("{parsed:?}").contains(&B64.encode(old.bytes())));
    }

    #[test]
    fn bad_keyrings_name_the_line() {
        let e = Keyring::parse("# c\n\nnot-base64!\n", "SCRIM_MASTER_KEY")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("line 3") && e.contains("SCRIM_MASTER_KEY"),
            "{e}"
        );
        assert!(Keyring::parse("aGVsbG8=\n", "f").is_err());
        assert!(Keyring::parse("# only a comment\n", "f").is_err());
    }

    #[test]
    fn lineage_ids_are_keyed() {
        let (a, b) = (Lineage::new(key()), Lineage::new(key()));
        assert_eq!(a.subject("u1"), a.subject("u1"));
        assert_ne!(a.subject("u1"), b.subject("u1"));
        assert_ne!(a.subject("u1"), a.record("u1"));
        assert!(a.subject("u1").starts_with("s_") && a.subject("u1").len() == 34);
    }
}
