//! Files that only appear complete: an atomic JSONL output, the quarantine, and the sink that
//! writes a run to both.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;
use tempfile::NamedTempFile;

use crate::sink::{Excluded, Quarantined, Sink, Withheld, Written};
use crate::summary::RunSummary;

/// A file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// No temporary file could be made beside the target.
    #[error("cannot create a temporary file in {}", dir.display())]
    Temp {
        /// The target's directory.
        dir: PathBuf,
        /// The system's error.
        #[source]
        source: io::Error,
    },
    /// The temporary file could not be locked.
    #[error("cannot lock {}", path.display())]
    Lock {
        /// The temporary file.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::fs::TryLockError,
    },
    /// The temporary file could not be opened for writing.
    #[error("cannot write in {}", dir.display())]
    Open {
        /// The target's directory.
        dir: PathBuf,
        /// The system's error.
        #[source]
        source: io::Error,
    },
    /// Writing, flushing or syncing failed.
    #[error(transparent)]
    Write(#[from] io::Error),
    /// The finished file could not be moved over the target.
    #[error("cannot move output into place at {}", target.display())]
    Persist {
        /// The target.
        target: PathBuf,
        /// The system's error.
        #[source]
        source: tempfile::PersistError,
    },
    /// A quarantine file an earlier run left could not be removed.
    #[error("cannot remove the stale quarantine {}", path.display())]
    StaleQuarantine {
        /// The quarantine file.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: io::Error,
    },
}

/// An output that only appears complete when the run finishes: a temporary file beside the
/// target, renamed over it at [`AtomicFile::commit`]. A killed run leaves no half-written file
/// under the target's name. `-` writes to standard output; an existing device, pipe or socket
/// (`/dev/null`, a FIFO) is written to directly, never replaced.
pub struct AtomicFile {
    target: Option<PathBuf>,
    temp: Option<NamedTempFile>,
    writer: Box<dyn Write + Send>,
}

impl std::fmt::Debug for AtomicFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicFile")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

impl AtomicFile {
    /// Prepare `path` (or standard output for `-`).
    pub fn create(path: &Path) -> Result<AtomicFile, FileError> {
        if path.as_os_str() == "-" {
            return Ok(AtomicFile {
                target: None,
                temp: None,
                writer: Box::new(BufWriter::with_capacity(1 << 20, io::stdout())),
            });
        }
        if is_stream(path) {
            // A device, pipe or socket (`-o /dev/null`, a FIFO): there is nothing to replace
            // atomically, and renaming a file over it would destroy it. Write to it directly.
            let file = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|source| FileError::Open {
                    dir: path.to_path_buf(),
                    source,
                })?;
            return Ok(AtomicFile {
                target: None,
                temp: None,
                writer: Box::new(BufWriter::with_capacity(1 << 20, file)),
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
            .map_err(|source| FileError::Temp {
                dir: dir.clone(),
                source,
            })?;
        // Held while this run lives: a later run tells a live partial file from a stale one.
        temp.as_file()
            .try_lock()
            .map_err(|source| FileError::Lock {
                path: temp.path().to_path_buf(),
                source,
            })?;
        remove_stale_partials(&dir, &prefix, temp.path());
        let file = temp.reopen().map_err(|source| FileError::Open {
            dir: dir.clone(),
            source,
        })?;
        Ok(AtomicFile {
            target: Some(path.to_path_buf()),
            temp: Some(temp),
            writer: Box::new(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Write one JSONL line.
    pub fn line(&mut self, line: &str) -> Result<(), FileError> {
        self.writer.write_all(line.as_bytes())?;
        self.writer.write_all(b"\n")?;
        Ok(())
    }

    /// Flush, sync and move into place.
    pub fn commit(mut self) -> Result<(), FileError> {
        self.writer.flush()?;
        drop(self.writer);
        if let (Some(temp), Some(target)) = (self.temp.take(), self.target.take()) {
            temp.as_file().sync_all()?;
            temp.persist(&target)
                .map_err(|source| FileError::Persist { target, source })?;
        }
        Ok(())
    }
}

/// Bytes as they come (a Parquet or Arrow IPC writer owns the file it writes, then hands it
/// back for [`AtomicFile::commit`]).
impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Whether `path` names an existing file that is neither a regular file nor a directory (a
/// character device such as `/dev/null`, a FIFO, a socket), following links.
fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
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
#[derive(Debug)]
pub struct QuarantineFile {
    path: PathBuf,
    out: Option<AtomicFile>,
    count: usize,
    position: &'static str,
}

impl QuarantineFile {
    /// A quarantine that writes to `path` when needed.
    pub fn new(path: PathBuf) -> QuarantineFile {
        QuarantineFile {
            path,
            out: None,
            count: 0,
            position: "line",
        }
    }

    /// Name each entry's position `row` instead of `line`: the input is a table (Parquet,
    /// Arrow IPC), whose rows are numbered from 1 across the file.
    pub fn numbering_rows(mut self) -> QuarantineFile {
        self.position = "row";
        self
    }

    /// Where quarantined lines go.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lines quarantined so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Quarantine one line: `{"line", "code", "reason", "raw"}`, with `raw_b64` holding the
    /// exact bytes when they are not UTF-8.
    pub fn put(&mut self, event: &Quarantined<'_>) -> Result<(), FileError> {
        let out = match &mut self.out {
            Some(out) => out,
            None => self.out.insert(AtomicFile::create(&self.path)?),
        };
        let (line, code, reason, raw) = (event.line, event.code, event.reason, event.raw);
        let mut rec = match std::str::from_utf8(raw) {
            Ok(text) => json!({"line": line, "code": code, "reason": reason, "raw": text}),
            // `raw` shows what it can; `raw_b64` keeps the exact bytes.
            Err(_) => json!({
                "line": line, "code": code, "reason": reason,
                "raw": String::from_utf8_lossy(raw), "raw_b64": B64.encode(raw),
            }),
        };
        if self.position != "line" {
            if let Some(o) = rec.as_object_mut() {
                // The same place, first, under its name (`row`).
                let mut renamed = serde_json::Map::with_capacity(o.len());
                renamed.insert(self.position.to_string(), json!(line));
                for (k, v) in std::mem::take(o) {
                    if k != "line" {
                        renamed.insert(k, v);
                    }
                }
                *o = renamed;
            }
        }
        out.line(&rec.to_string())?;
        self.count += 1;
        Ok(())
    }

    /// Finish: move the file into place if anything was quarantined; otherwise remove the
    /// quarantine an earlier run left there (it no longer describes this output).
    pub fn commit(&mut self) -> Result<(), FileError> {
        match self.out.take() {
            Some(out) => out.commit(),
            None => {
                if self.path.as_os_str() != "-" && self.path.is_file() {
                    std::fs::remove_file(&self.path).map_err(|source| {
                        FileError::StaleQuarantine {
                            path: self.path.clone(),
                            source,
                        }
                    })?;
                }
                Ok(())
            }
        }
    }
}

/// A run written to files: output lines to an [`AtomicFile`], quarantined lines to a
/// [`QuarantineFile`]; withheld and excluded records leave nothing. At `finish` the output is
/// moved into place first, then the quarantine.
#[derive(Debug)]
pub struct JsonlSink {
    out: Option<AtomicFile>,
    quarantine: QuarantineFile,
}

impl JsonlSink {
    /// Write output lines to `out` and quarantined ones to `quarantine`.
    pub fn new(out: AtomicFile, quarantine: QuarantineFile) -> JsonlSink {
        JsonlSink {
            out: Some(out),
            quarantine,
        }
    }

    /// The quarantine.
    pub fn quarantine(&self) -> &QuarantineFile {
        &self.quarantine
    }

    fn out(&mut self) -> Result<&mut AtomicFile, FileError> {
        self.out
            .as_mut()
            .ok_or_else(|| io::Error::other("the output was already committed").into())
    }
}

impl Sink for JsonlSink {
    type Error = FileError;

    fn written(&mut self, event: &Written<'_>) -> Result<(), FileError> {
        self.out()?.line(event.line)
    }

    fn withheld(&mut self, _: &Withheld<'_>) -> Result<(), FileError> {
        Ok(())
    }

    fn excluded(&mut self, _: &Excluded<'_>) -> Result<(), FileError> {
        Ok(())
    }

    fn quarantined(&mut self, event: &Quarantined<'_>) -> Result<(), FileError> {
        self.quarantine.put(event)
    }

    fn finish(&mut self, _: &RunSummary) -> Result<(), FileError> {
        if let Some(out) = self.out.take() {
            out.commit()?;
        }
        self.quarantine.commit()
    }
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;

    use super::*;

    /// A FIFO stands for `/dev/null`: writing to it must leave it a FIFO, not a renamed file.
    #[test]
    fn a_pipe_is_written_to_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut got = String::new();
                File::open(&fifo).unwrap().read_to_string(&mut got).unwrap();
                got
            })
        };
        let mut out = AtomicFile::create(&fifo).unwrap();
        out.line("{\"id\":1}").unwrap();
        out.commit().unwrap();
        assert_eq!(reader.join().unwrap(), "{\"id\":1}\n");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no partial file beside the pipe");
    }
}
