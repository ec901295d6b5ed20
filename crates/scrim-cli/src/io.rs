//! Input and output: JSONL readers, atomic writers, the quarantine file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::json;
use tempfile::NamedTempFile;

/// A line-oriented input: a file or standard input (`-`).
pub struct Input {
    reader: Box<dyn BufRead + Send>,
    /// Total size in bytes when known (a regular file), for the progress bar.
    pub size: Option<u64>,
    line_no: usize,
}

/// One input line: its text, or its raw bytes when it is not valid UTF-8.
pub type Line = std::result::Result<String, Vec<u8>>;

impl Input {
    /// Open `path`, or standard input for `-`.
    pub fn open(path: &Path) -> Result<Input> {
        if path.as_os_str() == "-" {
            return Ok(Input {
                reader: Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
                size: None,
                line_no: 0,
            });
        }
        let file =
            File::open(path).with_context(|| format!("cannot open input {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        Ok(Input {
            reader: Box::new(BufReader::with_capacity(1 << 20, file)),
            size,
            line_no: 0,
        })
    }

    /// Read up to `max_lines` lines or about `max_bytes` bytes. Each item is (1-based line
    /// number, line without its newline); blank lines are skipped. Lines that are not UTF-8 are
    /// returned as `Err(line_no)` so they can be quarantined. An empty batch means end of input.
    pub fn batch(&mut self, max_lines: usize, max_bytes: usize) -> Result<Vec<(usize, Line)>> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        let mut buf = Vec::new();
        while out.len() < max_lines && bytes < max_bytes {
            buf.clear();
            let n = self
                .reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("reading input after line {}", self.line_no))?;
            if n == 0 {
                break;
            }
            self.line_no += 1;
            bytes += n;
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let item = match String::from_utf8(std::mem::take(&mut buf)) {
                Ok(s) => Ok(s),
                Err(e) => Err(e.into_bytes()),
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
        let temp = tempfile::Builder::new()
            .prefix(".scrim-partial-")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
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
        let raw = String::from_utf8_lossy(raw);
        let rec = json!({"line": line_no, "code": code, "reason": reason, "raw": raw});
        if let Some(out) = self.out.as_mut() {
            out.line(&rec.to_string())?;
        }
        self.count += 1;
        Ok(())
    }

    /// Finish: move the file into place if anything was quarantined.
    pub fn commit(self) -> Result<()> {
        match self.out {
            Some(out) => out.commit(),
            None => Ok(()),
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
