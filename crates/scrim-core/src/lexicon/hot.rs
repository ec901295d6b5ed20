//! A small front table for the most frequent words, tried before the full word table.
//!
//! The full table is megabytes: looking up a word there costs a cache (and often a TLB) miss for
//! its slot, another for its entry and a third for its key. Running text is mostly a few thousand
//! frequent words, so those are copied, key and value inline, into one compact open-addressing
//! table that stays in the CPU's caches. It answers exactly as the full table does for the words it
//! holds, and says nothing about the others.

/// The longest key kept inline; longer words are only in the full table.
const KEY: usize = 15;

/// One slot: an inline key (`len` 0 = empty slot) and its value.
#[derive(Clone, Copy)]
struct Slot<V> {
    len: u8,
    key: [u8; KEY],
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
            len: 0,
            key: [0; KEY],
            value: V::default(),
        };
        let mut slots = vec![empty; size];
        for (key, value) in entries {
            let Ok(len) = u8::try_from(key.len()) else {
                continue;
            };
            let mut inline = [0; KEY];
            match inline.get_mut(..key.len()) {
                Some(dst) if len > 0 => dst.copy_from_slice(key.as_bytes()),
                _ => continue,
            }
            let mut pos = hash(key) as usize & mask;
            // At most half full, so a free slot is always found.
            while let Some(slot) = slots.get_mut(pos) {
                if slot.len == 0 {
                    *slot = Slot {
                        len,
                        key: inline,
                        value,
                    };
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
        if key.len() > KEY {
            return None;
        }
        let mut pos = h as usize & self.mask;
        loop {
            let slot = self.slots.get(pos)?;
            if slot.len == 0 {
                return None;
            }
            if usize::from(slot.len) == key.len()
                && slot.key.get(..key.len()) == Some(key.as_bytes())
            {
                return Some(slot.value);
            }
            pos = (pos + 1) & self.mask;
        }
    }
}
