//! JSONL input in bounded batches: every line comes back, whole or (when too long) as its
//! head, so that nothing is dropped unseen; blank lines are skipped.

use std::io::{self, BufRead};

/// The longest line read by default: longer ones are quarantined as `line_too_long` without
/// being held in memory.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8 << 20;
/// How much of a line that is too long the quarantine keeps (its first bytes).
pub const TOO_LONG_KEPT: usize = 64 << 10;

/// Reading the input failed.
#[derive(Debug, thiserror::Error)]
#[error("reading input after line {line}")]
pub struct InputError {
    /// The last line read whole.
    pub line: usize,
    /// The system's error.
    #[source]
    pub source: io::Error,
}

/// One input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Its text (a leading UTF-8 byte order mark on the first line removed).
    Text(String),
    /// Its bytes, when they are not valid UTF-8.
    NotUtf8(Vec<u8>),
    /// It was longer than the limit: its length, and its first [`TOO_LONG_KEPT`] bytes.
    TooLong {
        /// The line's length in bytes (without its newline).
        bytes: usize,
        /// Its first bytes.
        head: Vec<u8>,
    },
}

impl Line {
    /// The bytes kept of the line (all of it, or the head of one too long).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Line::Text(s) => s.as_bytes(),
            Line::NotUtf8(b) | Line::TooLong { head: b, .. } => b,
        }
    }
}

/// One line as read: how many bytes it took, its length, and whether it was too long.
struct Raw {
    consumed: usize,
    len: usize,
    too_long: bool,
}

/// Lines of a reader, a bounded batch at a time, each with its 1-based line number.
pub struct LineReader<R> {
    reader: R,
    line_no: usize,
    max_line: usize,
}

impl<R: BufRead> LineReader<R> {
    /// Read `reader`; lines longer than `max_line` bytes come back as [`Line::TooLong`].
    pub fn new(reader: R, max_line: usize) -> LineReader<R> {
        LineReader {
            reader,
            line_no: 0,
            max_line,
        }
    }

    /// The number of the last line read.
    pub fn line_no(&self) -> usize {
        self.line_no
    }

    /// Read one line into `buf` (without its newline), holding at most `max_line` bytes of it
    /// (then only its head); `None` at the end of input.
    fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<Raw>> {
        let mut raw = Raw {
            consumed: 0,
            len: 0,
            too_long: false,
        };
        loop {
            let avail = self.reader.fill_buf()?;
            if avail.is_empty() {
                return Ok((raw.consumed > 0).then_some(raw));
            }
            let (n, done) = match avail.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let content = avail.get(..n - usize::from(done)).unwrap_or_default();
            raw.len += content.len();
            if !raw.too_long && raw.len > self.max_line.saturating_add(1) {
                raw.too_long = true;
            }
            if raw.too_long {
                let room = TOO_LONG_KEPT.saturating_sub(buf.len());
                buf.extend(content.iter().take(room));
                buf.truncate(TOO_LONG_KEPT);
            } else {
                buf.extend_from_slice(content);
            }
            raw.consumed += n;
            self.reader.consume(n);
            if done {
                return Ok(Some(raw));
            }
        }
    }

    /// Read up to `max_lines` lines or about `max_bytes` bytes. Each item is (1-based line
    /// number, line without its newline); blank lines are skipped. An empty batch means end of
    /// input.
    pub fn batch(
        &mut self,
        max_lines: usize,
        max_bytes: usize,
    ) -> Result<Vec<(usize, Line)>, InputError> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let mut buf = Vec::new();
        while out.len() < max_lines && bytes < max_bytes {
            buf.clear();
            let raw = self.read_line(&mut buf).map_err(|source| InputError {
                line: self.line_no,
                source,
            })?;
            let Some(raw) = raw else {
                break;
            };
            self.line_no += 1;
            bytes += raw.consumed;
            if let Some(line) = self.finish_line(&mut buf, raw) {
                out.push((self.line_no, line));
            }
        }
        Ok(out)
    }

    /// The line `buf` holds, cleaned (byte order mark, carriage returns); `None` when blank.
    fn finish_line(&self, buf: &mut Vec<u8>, raw: Raw) -> Option<Line> {
        let mut len = raw.len;
        if self.line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
            len -= 3;
        }
        if !raw.too_long {
            while matches!(buf.last(), Some(b'\r')) {
                buf.pop();
                len -= 1;
            }
        }
        if raw.too_long || len > self.max_line {
            buf.truncate(TOO_LONG_KEPT);
            let head = std::mem::take(buf);
            return Some(Line::TooLong { bytes: len, head });
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        Some(match String::from_utf8(std::mem::take(buf)) {
            Ok(s) => Line::Text(s),
            Err(e) => Line::NotUtf8(e.into_bytes()),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "a test or fuzz check fails by panicking"
    )]

    use super::*;

    fn all(input: &[u8], max_line: usize) -> Vec<(usize, Line)> {
        let mut r = LineReader::new(input, max_line);
        let mut out = Vec::new();
        loop {
            let b = r.batch(2, 1 << 20).unwrap();
            if b.is_empty() {
                return out;
            }
            out.extend(b);
        }
    }

    #[test]
    fn lines_keep_their_numbers_and_blank_ones_are_skipped() {
        let got = all(b"\xEF\xBB\xBFa\r\n\n  \nb\n\xff\nccccc", 4);
        assert_eq!(
            got,
            vec![
                (1, Line::Text("a".into())),
                (4, Line::Text("b".into())),
                (5, Line::NotUtf8(vec![0xff])),
                (
                    6,
                    Line::TooLong {
                        bytes: 5,
                        head: b"ccccc".to_vec()
                    }
                ),
            ]
        );
    }
}
