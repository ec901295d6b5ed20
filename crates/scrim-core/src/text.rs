//! Offset conversion at the edges: UTF-8 bytes inside, code points or UTF-16 units outside.

/// Maps UTF-8 byte offsets of one text to code point and UTF-16 offsets, and back.
///
/// Built once per text in `O(n)`; each lookup is `O(log w)`, a binary search over the `w`
/// characters longer than one byte (none for ASCII text).
#[derive(Clone)]
pub struct OffsetMap {
    len: usize,
    /// One entry per character longer than one byte, in text order.
    wide: Vec<Wide>,
}

#[derive(Clone, Copy)]
struct Wide {
    /// Byte offset of the character.
    byte: usize,
    /// Code point offset of the character.
    char: usize,
    /// Extra bytes (beyond one per char) of all wide characters up to and including this one.
    extra_bytes: usize,
    /// Extra UTF-16 units (surrogate pairs) up to and including this one.
    extra_u16: usize,
}

impl std::fmt::Debug for OffsetMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print text; only its shape.
        f.debug_struct("OffsetMap")
            .field("len", &self.len)
            .field("wide_chars", &self.wide.len())
            .finish()
    }
}

impl OffsetMap {
    /// Index `text`.
    pub fn new(text: &str) -> OffsetMap {
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let (mut extra_bytes, mut extra_u16) = (0usize, 0usize);
            for (ci, (byte, ch)) in text.char_indices().enumerate() {
                let w = ch.len_utf8();
                if w > 1 {
                    extra_bytes += w - 1;
                    extra_u16 += ch.len_utf16() - 1;
                    wide.push(Wide {
                        byte,
                        char: ci,
                        extra_bytes,
                        extra_u16,
                    });
                }
            }
        }
        OffsetMap {
            len: text.len(),
            wide,
        }
    }

    /// The last wide character that starts before byte `b`.
    fn last_before_byte(&self, b: usize) -> Option<&Wide> {
        let n = self.wide.partition_point(|w| w.byte < b);
        n.checked_sub(1).and_then(|k| self.wide.get(k))
    }

    /// Code point offset of byte offset `b` (clamped to the text length).
    pub fn char_of_byte(&self, b: usize) -> usize {
        let b = b.min(self.len);
        b - self.last_before_byte(b).map_or(0, |w| w.extra_bytes)
    }

    /// UTF-16 code unit offset of byte offset `b` (clamped to the text length).
    pub fn utf16_of_byte(&self, b: usize) -> usize {
        let b = b.min(self.len);
        match self.last_before_byte(b) {
            Some(w) => b - w.extra_bytes + w.extra_u16,
            None => b,
        }
    }

    /// Byte offset of code point offset `c`, or `None` past the end of the text.
    pub fn byte_of_char(&self, c: usize) -> Option<usize> {
        let n = self.wide.partition_point(|w| w.char < c);
        let extra = n
            .checked_sub(1)
            .and_then(|k| self.wide.get(k))
            .map_or(0, |w| w.extra_bytes);
        let b = c + extra;
        (b <= self.len).then_some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) {
        let m = OffsetMap::new(text);
        let mut ci = 0usize;
        let mut u16i = 0usize;
        for (b, ch) in text.char_indices() {
            assert_eq!(m.char_of_byte(b), ci, "char_of_byte({b}) in {text:?}");
            assert_eq!(m.utf16_of_byte(b), u16i);
            assert_eq!(m.byte_of_char(ci), Some(b));
            ci += 1;
            u16i += ch.len_utf16();
        }
        assert_eq!(m.char_of_byte(text.len()), ci);
        assert_eq!(m.utf16_of_byte(text.len()), u16i);
        assert_eq!(m.byte_of_char(ci), Some(text.len()));
        assert_eq!(m.byte_of_char(ci + 1), None);
    }

    #[test]
    fn ascii_emoji_cjk_devanagari() {
        check("plain ascii");
        check("call me 😀 Maya 👩‍👩‍👧 ok");
        check("我叫李明，住在北京");
        check("मेरा नाम प्रिया है");
        check("é😀a");
        check("");
    }
}
