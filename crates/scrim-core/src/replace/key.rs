//! The pseudonymization key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// A secret key for keyed pseudonyms, surrogates and hashes.
///
/// Built from secret bytes (a key file or environment variable, never the policy). `Debug` never
/// prints it. The same key and input always give the same output; without the key nothing can be
/// reversed or recomputed.
#[derive(Clone)]
pub struct Key {
    bytes: [u8; 32],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<secret>)")
    }
}

impl Key {
    /// The fewest bytes of secret material a front end accepts for a key (the command line's key
    /// file and `SCRIM_KEY`, the Python binding's `key`).
    pub const MIN_SECRET_BYTES: usize = 16;

    /// Derive a key from secret material of any length (at least
    /// [`Key::MIN_SECRET_BYTES`] is required by every front end).
    pub fn from_secret(secret: &[u8]) -> Key {
        let mut mac = mac(b"scrim key derivation v1");
        mac.update(secret);
        Key {
            bytes: mac.finalize().into_bytes().into(),
        }
    }

    /// A key from secret material a person configured (a key file, an environment variable, an
    /// argument): surrounding ASCII whitespace is not part of the secret (a file's final newline),
    /// and what remains must hold at least [`Key::MIN_SECRET_BYTES`] bytes (`None` otherwise).
    pub fn from_configured(secret: &[u8]) -> Option<Key> {
        let secret = secret.trim_ascii();
        (secret.len() >= Key::MIN_SECRET_BYTES).then(|| Key::from_secret(secret))
    }

    /// HMAC-SHA256 of the given parts under this key (parts are length-prefixed, so
    /// `("ab","c")` and `("a","bc")` differ).
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = mac(&self.bytes);
        for p in parts {
            m.update(&(p.len() as u64).to_le_bytes());
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }

    /// A key derived from this one for a scope (a conversation, a subject): different scopes
    /// get unrelated keys, so pseudonyms cannot be linked across them.
    pub fn derive(&self, scope: &[&[u8]]) -> Key {
        let mut parts: Vec<&[u8]> = Vec::with_capacity(scope.len() + 1);
        parts.push(b"scope");
        parts.extend_from_slice(scope);
        Key {
            bytes: self.mac(&parts),
        }
    }

    /// A short, stable, non-reversible fingerprint of the key itself (for summaries: tells two
    /// runs' keys apart without revealing them).
    pub fn fingerprint(&self) -> String {
        let d = self.mac(&[b"fingerprint"]);
        crate::hex::encode(d.get(..4).unwrap_or(&d))
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail; fall back to an empty-key MAC
    // rather than panic if the library ever said otherwise.
    match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => <HmacSha256 as Mac>::new(&Default::default()),
    }
}

/// A deterministic stream of pseudo-random numbers drawn from one HMAC output (and extended by
/// re-keying when exhausted).
pub(crate) struct KeyedRng {
    seed: [u8; 32],
    block: [u8; 32],
    pos: usize,
    counter: u64,
}

impl KeyedRng {
    pub(crate) fn new(seed: [u8; 32]) -> KeyedRng {
        KeyedRng {
            seed,
            block: seed,
            pos: 0,
            counter: 0,
        }
    }

    fn byte(&mut self) -> u8 {
        if self.pos >= self.block.len() {
            self.counter += 1;
            let mut m = mac(&self.seed);
            m.update(&self.counter.to_le_bytes());
            self.block = m.finalize().into_bytes().into();
            self.pos = 0;
        }
        let b = self.block.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// A number in `0..n` (`0` when `n == 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let mut v = 0u64;
        for _ in 0..8 {
            v = (v << 8) | u64::from(self.byte());
        }
        (v % n as u64) as usize
    }

    /// A decimal digit, optionally excluding zero.
    pub(crate) fn digit(&mut self, nonzero: bool) -> char {
        let d = if nonzero {
            1 + self.below(9)
        } else {
            self.below(10)
        };
        char::from(b'0' + d as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_key_dependent() {
        let a = Key::from_secret(b"0123456789abcdef");
        let b = Key::from_secret(b"0123456789abcdeg");
        assert_eq!(a.mac(&[b"x"]), a.mac(&[b"x"]));
        assert_ne!(a.mac(&[b"x"]), b.mac(&[b"x"]));
        assert_ne!(a.mac(&[b"ab", b"c"]), a.mac(&[b"a", b"bc"]));
        assert_eq!(format!("{a:?}"), "Key(<secret>)");
    }

    #[test]
    fn configured_secrets_are_trimmed_and_long_enough() {
        let k = Key::from_configured(b"  0123456789abcdef\n");
        let want = Key::from_secret(b"0123456789abcdef");
        assert_eq!(k.map(|k| k.fingerprint()), Some(want.fingerprint()));
        assert!(Key::from_configured(b"0123456789abcde \n").is_none());
        assert!(Key::from_configured(b"").is_none());
    }
}
