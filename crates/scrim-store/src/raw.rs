//! Retained raw records, encrypted per subject: segment files of sealed records, kept apart
//! from the keys (which live in the store). Forgetting a subject destroys its key, so every copy
//! of these files, backups included, stops decrypting for that subject (crypto-shredding).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::crypto::{open, seal, Sealed, SecretKey};
use crate::error::{Error, Result};

#[derive(Serialize, Deserialize)]
struct RawLine {
    subject: String,
    record: String,
    nonce: String,
    ct: String,
}

fn aad(subject: &str, record: &str) -> Vec<u8> {
    format!("scrim raw record v1|{subject}|{record}").into_bytes()
}

/// Writes one segment of sealed raw records; the segment appears only when finished.
pub struct RawWriter {
    tmp: PathBuf,
    dest: PathBuf,
    out: BufWriter<File>,
    count: usize,
}

impl std::fmt::Debug for RawWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawWriter")
            .field("dest", &self.dest)
            .field("count", &self.count)
            .finish()
    }
}

impl RawWriter {
    /// A new segment `name` in `dir` (created if needed).
    pub fn create(dir: &Path, name: &str) -> Result<RawWriter> {
        std::fs::create_dir_all(dir)
            .map_err(Error::io(format!("cannot create {}", dir.display())))?;
        let dest = dir.join(format!("{name}.jsonl"));
        if dest.exists() {
            return Err(Error::invalid(format!("{} already exists", dest.display())));
        }
        let tmp = dir.join(format!(".{name}.jsonl.tmp"));
        let f = crate::dataset::create_private(&tmp)?;
        Ok(RawWriter {
            tmp,
            dest,
            out: BufWriter::new(f),
            count: 0,
        })
    }

    /// Seal one raw record under its subject's key.
    pub fn put(&mut self, key: &SecretKey, subject: &str, record: &str, raw: &[u8]) -> Result<()> {
        let sealed = seal(key, raw, &aad(subject, record))?;
        let line = RawLine {
            subject: subject.to_string(),
            record: record.to_string(),
            nonce: B64.encode(&sealed.nonce),
            ct: B64.encode(&sealed.ciphertext),
        };
        let text = serde_json::to_string(&line)
            .map_err(|e| Error::Corrupt(format!("cannot encode a raw record: {e}")))?;
        writeln!(self.out, "{text}")
            .map_err(Error::io(format!("cannot write {}", self.tmp.display())))?;
        self.count += 1;
        Ok(())
    }

    /// Flush and move the segment into place; returns its path and record count.
    pub fn finish(self) -> Result<(PathBuf, usize)> {
        let f = self.out.into_inner().map_err(|e| Error::Io {
            context: format!("cannot write {}", self.tmp.display()),
            source: e.into_error(),
        })?;
        f.sync_all()
            .map_err(Error::io(format!("cannot flush {}", self.tmp.display())))?;
        std::fs::rename(&self.tmp, &self.dest).map_err(Error::io(format!(
            "cannot move {} into place",
            self.dest.display()
        )))?;
        Ok((self.dest, self.count))
    }
}

/// What reading a raw archive found.
#[derive(Default)]
pub struct RawRead {
    /// Records that decrypted: (subject lineage id, record lineage id, raw bytes).
    pub records: Vec<(String, String, Vec<u8>)>,
    /// Records whose subject key is destroyed or missing (shredded).
    pub shredded: usize,
    /// Records whose key exists but which did not decrypt (altered).
    pub failed: usize,
}

impl std::fmt::Debug for RawRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRead")
            .field("records", &self.records.len())
            .field("shredded", &self.shredded)
            .field("failed", &self.failed)
            .finish()
    }
}

/// Subject lineage ids in the segments of `dir` (each once), to look their keys up.
pub fn subjects_in(dir: &Path) -> Result<Vec<String>> {
    let mut seen = std::collections::BTreeSet::new();
    for_each_line(dir, |l| {
        seen.insert(l.subject);
        Ok(())
    })?;
    Ok(seen.into_iter().collect())
}

fn for_each_line(dir: &Path, mut f: impl FnMut(RawLine) -> Result<()>) -> Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(Error::io(format!("cannot read {}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "jsonl")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    for p in files {
        let file = File::open(&p).map_err(Error::io(format!("cannot read {}", p.display())))?;
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(Error::io(format!("cannot read {}", p.display())))?;
            let l: RawLine = serde_json::from_str(&line).map_err(|_| {
                Error::Corrupt(format!(
                    "{}, line {}: not a sealed raw record",
                    p.display(),
                    i + 1
                ))
            })?;
            f(l)?;
        }
    }
    Ok(())
}

/// Decrypt every record in the segments of `dir`, with `key_of(subject lineage id)` giving the
/// subject's key while it exists.
pub fn read_all(dir: &Path, key_of: impl Fn(&str) -> Option<SecretKey>) -> Result<RawRead> {
    let mut out = RawRead::default();
    for_each_line(dir, |l| {
        let Some(key) = key_of(&l.subject) else {
            out.shredded += 1;
            return Ok(());
        };
        let sealed = match (B64.decode(&l.nonce), B64.decode(&l.ct)) {
            (Ok(nonce), Ok(ciphertext)) => Sealed { nonce, ciphertext },
            _ => {
                out.failed += 1;
                return Ok(());
            }
        };
        match open(&key, &sealed, &aad(&l.subject, &l.record)) {
            Ok(bytes) => out.records.push((l.subject, l.record, bytes)),
            Err(_) => out.failed += 1,
        }
        Ok(())
    })?;
    Ok(out)
}
