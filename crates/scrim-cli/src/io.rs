//! Input files and the quarantine's place: JSONL readers for a file or standard input, the
//! format of an input or an output (JSONL or a table), and the checks that keep a quarantine
//! file from overwriting the input or the output. (Writing the output and the quarantine
//! atomically is `scrim_pipeline::AtomicFile`; tables are `scrim_pipeline::table`.)

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use scrim_pipeline::table::TableFormat;

pub(crate) use scrim_pipeline::DEFAULT_MAX_LINE_BYTES;

/// A file format for `--format` and `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One JSON record per line.
    Jsonl,
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC file (Feather v2); on input, a stream is read as well.
    Arrow,
    /// Arrow IPC stream; on input, a file is read as well.
    ArrowStream,
}

/// The table format of an input or an output (`None`: JSONL): `given`, else by the path's
/// extension. Standard input and output (`-`) are JSONL only.
pub(crate) fn table_format(
    path: &Path,
    given: Option<Format>,
    what: &str,
) -> Result<Option<TableFormat>> {
    let std = path.as_os_str() == "-";
    let table = match given {
        Some(Format::Jsonl) => None,
        Some(Format::Parquet) => Some(TableFormat::Parquet),
        Some(Format::Arrow) => Some(TableFormat::ArrowFile),
        Some(Format::ArrowStream) => Some(TableFormat::ArrowStream),
        None if std => None,
        None => TableFormat::from_extension(path),
    };
    if let (true, Some(t)) = (std, table) {
        anyhow::bail!(
            "standard {what} is JSONL only; name a file for the {what} to be {}",
            t.name()
        );
    }
    Ok(table)
}

/// A line-oriented input: a file or standard input (`-`).
pub(crate) struct Input {
    /// The buffered reader.
    pub(crate) reader: Box<dyn BufRead + Send>,
    /// Total size in bytes when known (a regular file), for the progress bar.
    pub(crate) size: Option<u64>,
}

impl Input {
    /// Open `path`, or standard input for `-`.
    pub(crate) fn open(path: &Path) -> Result<Input> {
        if path.as_os_str() == "-" {
            return Ok(Input {
                reader: Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
                size: None,
            });
        }
        let file =
            File::open(path).with_context(|| format!("cannot open input {}", path.display()))?;
        let size = file.metadata().ok().map(|m| m.len());
        Ok(Input {
            reader: Box::new(BufReader::with_capacity(1 << 20, file)),
            size,
        })
    }

    /// Read everything (for small inputs such as gold files).
    pub(crate) fn read_all(path: &Path) -> Result<String> {
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
pub(crate) fn quarantine_path(
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
fn default_quarantine(output: &Path) -> PathBuf {
    if output.as_os_str() == "-" {
        PathBuf::from("scrim-quarantine.jsonl")
    } else {
        let mut s = output.as_os_str().to_os_string();
        s.push(".quarantine.jsonl");
        PathBuf::from(s)
    }
}
