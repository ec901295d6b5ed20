//! Input and output: JSONL readers, atomic writers, the quarantine file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;
use tempfile::NamedTempFile;

/// The longest line read by default (`--max-line-bytes`): longer ones are quarantined as
/// `line_too_long` without being held in memory.
pub const DEFAULT_MAX_LINE_BYTES: usize = 8 << 20;
/// How much of a line that is too long the quarantine keeps (its first bytes).
pub const TOO_LONG_KEPT: usize = 64 << 10;

/// A line-oriented input: a file or standard input (`-`).
pub struct Input {
    reader: Box<dyn BufRead + Send>,
    /// Total size in bytes when known (a regular file), for the progress bar.
    pub size: Option<u64>,
    line_no: usize,
    max_line: usize,
}

/// One input line.
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

impl Input {
    /// Open `path`, or standard input for `-`; lines longer than `max_line` bytes are
    /// returned as [`Line::TooLong`].
    pub fn open(path: &Path, max_line: usize) -> Result<Input> {
        if path.as_os_str() == "-" {
            return Ok(Input {
                reader: Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
                size: None,
                line_no: 0,
                max_line,
            });
        }
        let file =
            File::open(path).with_context(|| format!("cannot open input {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        Ok(Input {
            reader: Box::new(BufReader::with_capacity(1 << 20, file)),
            size,
            line_no: 0,
            max_line,
        })
    }

    /// Read one line into `buf` (without its newline), holding at most `max_line` bytes of it
    /// (then only its head). Returns the bytes consumed and whether it was too long; `None`
    /// at the end of input.
    fn read_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<(usize, usize, bool)>> {
        let mut consumed = 0usize;
        let mut len = 0usize;
        let mut too_long = false;
        loop {
            let avail = self.reader.fill_buf()?;
            if avail.is_empty() {
                return Ok((consumed > 0).then_some((consumed, len, too_long)));
            }
            let (n, done) = match avail.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let content = &avail[..n - usize::from(done)];
            len += content.len();
            if !too_long && len > self.max_line.saturating_add(1) {
                too_long = true;
            }
            if too_long {
                let room = TOO_LONG_KEPT.saturating_sub(buf.len());
                buf.extend_from_slice(&content[..room.min(content.len())]);
                buf.truncate(TOO_LONG_KEPT);
            } else {
                buf.extend_from_slice(content);
            }
            consumed += n;
            self.reader.consume(n);
            if done {
                return Ok(Some((consumed, len, too_long)));
            }
        }
    }

    /// Read up to `max_lines` lines or about `max_bytes` bytes. Each item is (1-based line
    /// number, line without its newline); blank lines are skipped. An empty batch means end of
    /// input.
    pub fn batch(&mut self, max_lines: usize, max_bytes: usize) -> Result<Vec<(usize, Line)>> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let mut buf = Vec::new();
        while out.len() < max_lines && bytes < max_bytes {
            buf.clear();
            let Some((n, mut len, too_long)) = self
                .read_line(&mut buf)
                .with_context(|| format!("reading input after line {}", self.line_no))?
            else {
                break;
            };
            self.line_no += 1;
            bytes += n;
            if self.line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
                len -= 3;
            }
            if !too_long {
                while matches!(buf.last(), Some(b'\r')) {
                    buf.pop();
                    len -= 1;
                }
            }
            if too_long || len > self.max_line {
                buf.truncate(TOO_LONG_KEPT);
                let head = std::mem::take(&mut buf);
                out.push((self.line_no, Line::TooLong { bytes: len, head }));
                continue;
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let item = match String::from_utf8(std::mem::take(&mut buf)) {
                Ok(s) => Line::Text(s),
                Err(e) => Line::NotUtf8(e.into_bytes()),
            };
            out.push((self.line_no, item));
        }
        Ok(out)
    }

    /// Read everything (for small inputs such as gold files).
    pub fn read_all(path: &Path) -> Result<String> {
        let mut s = String::new();
        if path.as_os_str() == "-" {
            io::stdin().read_to_string(&mut s)?;
        } else {
            File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?
                .read_to_string(&mut s)
                .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
        }
        Ok(s)
    }
}

/// An output that only appears complete when the run finishes: a temporary file beside the
/// target, renamed over it at [`AtomicOutput::commit`]. A killed run leaves no half-written file
/// under the target's name. `-` writes to standard output.
pub struct AtomicOutput {
    target: Option<PathBuf>,
    temp: Option<NamedTempFile>,
    writer: Box<dyn Write + Send>,
}

impl AtomicOutput {
    /// Prepare `path` (or standard output for `-`).
    pub fn create(path: &Path) -> Result<AtomicOutput> {
        if path.as_os_str() == "-" {
            return Ok(AtomicOutput {
                target: None,
                temp: None,
                writer: Box::new(BufWriter::with_capacity(1 << 20, io::stdout())),
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let prefix = partial_prefix(path);
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        // Held while this run lives: a later run tells a live partial file from a stale one.
        temp.as_file()
            .try_lock()
            .with_context(|| format!("cannot lock {}", temp.path().display()))?;
        remove_stale_partials(&dir, &prefix, temp.path());
        let file = temp
            .reopen()
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(AtomicOutput {
            target: Some(path.to_path_buf()),
            temp: Some(temp),
            writer: Box::new(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Write one JSONL line.
    pub fn line(&mut self, line: &str) -> Result<()> {
        self.writer.write_all(line.as_bytes())?;
        self.writer.write_all(b"\n")?;
        Ok(())
    }

    /// Flush, sync and move into place.
    pub fn commit(mut self) -> Result<()> {
        self.writer.flush()?;
        drop(self.writer);
        if let (Some(temp), Some(target)) = (self.temp.take(), self.target.take()) {
            temp.as_file().sync_all()?;
            temp.persist(&target).with_context(|| {
                format!("cannot move output into place at {}", target.display())
            })?;
        }
        Ok(())
    }
}

/// The temporary files of outputs to `path` start with this.
fn partial_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".scrim-partial-{name}.")
}

/// Remove what killed runs for the same output left: files named with `prefix` that no live
/// run holds locked. Best effort: a file that cannot be examined stays.
fn remove_stale_partials(dir: &Path, prefix: &str, ours: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let stale = e.file_name().to_string_lossy().starts_with(prefix)
            && path != ours
            && e.file_type().is_ok_and(|t| t.is_file())
            && File::open(&path).is_ok_and(|f| f.try_lock().is_ok());
        if stale {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The quarantine: malformed lines with their line number and reason, kept whole so nothing is
/// lost. Created only when the first line arrives. The file holds raw input, so it is created
/// readable by its owner only.
pub struct Quarantine {
    path: PathBuf,
    out: Option<AtomicOutput>,
    /// Lines quarantined so far.
    pub count: usize,
}

impl Quarantine {
    /// A quarantine that writes to `path` when needed.
    pub fn new(path: PathBuf) -> Quarantine {
        Quarantine {
            path,
            out: None,
            count: 0,
        }
    }

    /// Where quarantined lines go.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Quarantine one line.
    pub fn put(&mut self, line_no: usize, code: &str, reason: &str, raw: &[u8]) -> Result<()> {
        if self.out.is_none() {
            self.out = Some(AtomicOutput::create(&self.path)?);
        }
        let rec = match std::str::from_utf8(raw) {
            Ok(text) => json!({"line": line_no, "code": code, "reason": reason, "raw": text}),
            // `raw` shows what it can; `raw_b64` keeps the exact bytes.
            Err(_) => json!({
                "line": line_no, "code": code, "reason": reason,
                "raw": String::from_utf8_lossy(raw), "raw_b64": B64.encode(raw),
            }),
        };
        if let Some(out) = self.out.as_mut() {
            out.line(&rec.to_string())?;
        }
        self.count += 1;
        Ok(())
    }

    /// Finish: move the file into place if anything was quarantined; otherwise remove the
    /// quarantine an earlier run left there (it no longer describes this output).
    pub fn commit(self) -> Result<()> {
        match self.out {
            Some(out) => out.commit(),
            None => {
                if self.path.as_os_str() != "-" && self.path.is_file() {
                    std::fs::remove_file(&self.path).with_context(|| {
                        format!("cannot remove the stale quarantine {}", self.path.display())
                    })?;
                }
                Ok(())
            }
        }
    }
}

/// A path as it will resolve: its nearest existing ancestor made canonical, with the rest
/// appended (so `./out.jsonl` and `out.jsonl` compare equal before either exists).
fn resolved(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| p.to_path_buf(), |d| d.join(p))
    };
    let mut rest = Vec::new();
    let mut cur = p.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(cur) {
            return rest.iter().rev().fold(c, |acc, n| acc.join(n));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return p.clone(),
        }
    }
}

/// The quarantine file for a run: `--quarantine` or the default, refused when it is the input,
/// the output, or inside the output dataset directory (writing it would destroy them).
pub fn quarantine_path(
    given: Option<&Path>,
    input: &Path,
    output: &Path,
    output_is_dir: bool,
) -> Result<PathBuf> {
    let q = given.map_or_else(|| default_quarantine(output), Path::to_path_buf);
    let rq = resolved(&q);
    if input.as_os_str() != "-" && rq == resolved(input) {
        anyhow::bail!(
            "--quarantine {} is the input file; choose another quarantine file",
            q.display()
        );
    }
    if output.as_os_str() != "-" {
        let ro = resolved(output);
        if rq == ro {
            anyhow::bail!(
                "--quarantine {} is the output; choose another quarantine file",
                q.display()
            );
        }
        if output_is_dir && rq.starts_with(&ro) {
            anyhow::bail!(
                "--quarantine {} is inside the output dataset directory {}; choose a file outside it",
                q.display(),
                output.display()
            );
        }
    }
    Ok(q)
}

/// The default quarantine path for an output path.
pub fn default_quarantine(output: &Path) -> PathBuf {
    if output.as_os_str() == "-" {
        PathBuf::from("scrim-quarantine.jsonl")
    } else {
        let mut s = output.as_os_str().to_os_string();
        s.push(".quarantine.jsonl");
        PathBuf::from(s)
    }
}
