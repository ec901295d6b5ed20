//! Cutting a long token sequence into overlapping windows that a model can read.

/// One window over tokens `[start, end)`, which owns (reports) tokens `[own_start, own_end)`.
///
/// Invariants: windows are in order; their owned ranges tile `0..len` exactly (every token is
/// reported once); a window is at most `width` tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub start: usize,
    pub end: usize,
    pub own_start: usize,
    pub own_end: usize,
}

/// Windows of at most `width` tokens over `len` tokens, neighbours sharing `overlap` tokens. A
/// shared token is owned by the window where it sits further from an edge: the first half of the
/// overlap by the earlier window, the rest by the later one. Needs `2 * overlap < width`.
pub(crate) fn plan(len: usize, width: usize, overlap: usize) -> Vec<Window> {
    if len == 0 || width == 0 {
        return Vec::new();
    }
    let overlap = overlap.min(width.saturating_sub(1) / 2);
    let step = width - overlap;
    let mut out: Vec<Window> = Vec::new();
    let mut start = 0;
    loop {
        let end = (start + width).min(len);
        let own_start = match out.last() {
            Some(prev) => prev.own_end,
            None => 0,
        };
        let last = end == len;
        let own_end = if last {
            len
        } else {
            end - overlap / 2 - overlap % 2
        };
        out.push(Window {
            start,
            end,
            own_start,
            own_end,
        });
        if last {
            break;
        }
        start += step;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        reason = "a test or fuzz check fails by panicking"
    )]
    use super::*;

    #[test]
    fn owned_ranges_tile_every_length() {
        for width in [8usize, 30, 254] {
            for overlap in [0usize, 1, 2, 3, 7] {
                if 2 * overlap >= width {
                    continue;
                }
                for len in 0..(width * 4 + 3) {
                    let plan = plan(len, width, overlap);
                    let mut next = 0;
                    for w in &plan {
                        assert!(w.end - w.start <= width);
                        assert_eq!(
                            w.own_start, next,
                            "len {len} width {width} overlap {overlap}"
                        );
                        assert!(w.start <= w.own_start && w.own_start < w.own_end);
                        assert!(w.own_end <= w.end);
                        next = w.own_end;
                    }
                    assert_eq!(next, len);
                }
            }
        }
    }

    #[test]
    fn short_input_is_one_window() {
        assert_eq!(
            plan(5, 254, 32),
            vec![Window {
                start: 0,
                end: 5,
                own_start: 0,
                own_end: 5
            }]
        );
    }
}
