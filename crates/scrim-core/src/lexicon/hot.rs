//! A small front table for the most frequent words, tried before the full word table.
//!
//! The full table is megabytes: looking up a word there costs a cache (and often a TLB) miss for
//! its slot, another for its entry and a third for its key. Running text is mostly a few thousand
//! frequent words, so those are copied, key and value inline, into one compact open-addressing
//! table that stays in the CPU's caches. It answers exactly as the full table does for the words it
//! holds, and says nothing about the others.

/// The longest key kept inline; longer words are only in the full table.
const KEY: usize = 15;

/// A key of at most [`KEY`] bytes as two integers: its bytes zero-padded to 16 and read
/// little-endian, built from a few fixed-size loads so that comparing two keys is two integer
/// compares (no `memcmp` or `memcpy` call on slices of varying length). `None` for a longer key.
#[inline]
fn pack(key: &[u8]) -> Option<(u64, u64)> {
    let len = key.len();
    let u32_at = |k: usize| -> Option<u64> {
        let b: [u8; 4] = key.get(k..k + 4)?.try_into().ok()?;
        Some(u64::from(u32::from_le_bytes(b)))
    };
    let u64_at = |k: usize| -> Option<u64> {
        let b: [u8; 8] = key.get(k..k + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(b))
    };
    let byte = |k: usize| key.get(k).map_or(0, |&b| u64::from(b));
    match len {
        0 => Some((0, 0)),
        1..=3 => {
            let mid = len / 2;
            Some((
                byte(0) | byte(mid) << (8 * mid) | byte(len - 1) << (8 * (len - 1)),
                0,
            ))
        }
        4..=7 => Some((u32_at(0)? | u32_at(len - 4)? << (8 * (len - 4)), 0)),
        8 => Some((u64_at(0)?, 0)),
        9..=KEY => Some((u64_at(0)?, u64_at(len - 8)? >> (8 * (16 - len)))),
        _ => None,
    }
}

/// One slot: an inline key (`len` 0 = empty slot), packed by [`pack`], and its value.
#[derive(Clone, Copy)]
struct Slot<V> {
    lo: u64,
    hi: u64,
    len: u8,
    value: V,
}

/// The front table: linear probing, at most half full.
pub(super) struct Hot<V> {
    slots: Vec<Slot<V>>,
    mask: usize,
}

impl<V: Copy + Default> Hot<V> {
    /// A table of `entries` (distinct non-empty keys of at most [`KEY`] bytes; others are
    /// skipped), placed by `hash`, which [`Hot::get`] must be given for the same key.
    pub(super) fn new<'k>(
        entries: impl ExactSizeIterator<Item = (&'k str, V)>,
        hash: impl Fn(&str) -> u64,
    ) -> Hot<V> {
        let size = (entries.len() * 2).next_power_of_two().max(8);
        let mask = size - 1;
        let empty = Slot {
            lo: 0,
            hi: 0,
            len: 0,
            value: V::default(),
        };
        let mut slots = vec![empty; size];
        for (key, value) in entries {
            let Ok(len) = u8::try_from(key.len()) else {
                continue;
            };
            let Some((lo, hi)) = pack(key.as_bytes()) else {
                continue;
            };
            if len == 0 {
                continue;
            }
            let mut pos = hash(key) as usize & mask;
            // At most half full, so a free slot is always found.
            while let Some(slot) = slots.get_mut(pos) {
                if slot.len == 0 {
                    *slot = Slot { lo, hi, len, value };
                    break;
                }
                pos = (pos + 1) & mask;
            }
        }
        Hot { slots, mask }
    }

    /// The value of `key` (whose hash is `h`) if the table holds it; `None` says only that it
    /// does not.
    #[inline]
    pub(super) fn get(&self, key: &str, h: u64) -> Option<V> {
        let (lo, hi) = pack(key.as_bytes())?;
        let mut pos = h as usize & self.mask;
        loop {
            let slot = self.slots.get(pos)?;
            if slot.len == 0 {
                return None;
            }
            if usize::from(slot.len) == key.len() && slot.lo == lo && slot.hi == hi {
                return Some(slot.value);
            }
            pos = (pos + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{pack, Hot, KEY};

    /// `pack` is the key zero-padded to 16 bytes, read little-endian.
    #[test]
    fn pack_is_the_padded_key() {
        let text = "abcdefghijklmnopq";
        for len in 0..=KEY {
            let key = text.get(..len).unwrap_or_default().as_bytes();
            let mut padded = [0u8; 16];
            padded
                .get_mut(..len)
                .unwrap_or_default()
                .copy_from_slice(key);
            let want = u128::from_le_bytes(padded);
            let got = pack(key).map(|(lo, hi)| u128::from(lo) | u128::from(hi) << 64);
            assert_eq!(got, Some(want), "length {len}");
        }
        assert_eq!(pack(text.as_bytes()), None);
    }

    /// Every stored key is found, and keys of every length that are not stored are not.
    #[test]
    fn finds_exactly_its_keys() {
        let keys = [
            "a",
            "ab",
            "abc",
            "abcd",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmno",
        ];
        let h = |k: &str| k.bytes().map(u64::from).sum::<u64>();
        let hot = Hot::new(keys.iter().enumerate().map(|(i, k)| (*k, i + 1)), h);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(hot.get(k, h(k)), Some(i + 1));
        }
        for k in [
            "b",
            "ba",
            "abd",
            "abce",
            "abcdefh",
            "abcdefgi",
            "abcdefghj",
            "abcdefghijklmnp",
            "",
        ] {
            assert_eq!(hot.get(k, h(k)), None, "{k}");
        }
        let long = "abcdefghijklmnop";
        assert_eq!(hot.get(long, h(long)), None);
    }
}
