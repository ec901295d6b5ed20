//! A JSONL input's column types, for a JSONL input written as a table.

use std::io::BufRead;
use std::path::Path;

use arrow_schema::{ArrowError, Schema};
use serde_json::Value;

use super::{TableError, TableFormat};
use crate::arrow::check_reserved;
use crate::input::{InputError, Line, LineReader};

/// The column types of the records of a JSONL input, read once from start to end (nothing but
/// the schema is kept): each field's type over every record, as `arrow_json` infers it. Lines
/// that are not JSON objects are passed over (the run quarantines them).
pub fn infer_jsonl_schema<R: BufRead>(
    path: &Path,
    input: R,
    max_line_bytes: usize,
    format: TableFormat,
) -> Result<Schema, TableError> {
    let mut objects = Objects {
        lines: LineReader::new(input, max_line_bytes),
        buf: Vec::new().into_iter(),
        error: None,
    };
    let inferred = arrow_json::reader::infer_json_schema_from_iterator(&mut objects);
    if let Some(source) = objects.error {
        return Err(TableError::Input {
            path: path.to_path_buf(),
            source,
        });
    }
    // arrow's message may quote a value: it is not passed on.
    let schema = inferred.map_err(|_| TableError::NoSchema {
        path: path.to_path_buf(),
        format: format.name(),
    })?;
    check_reserved(&schema).map_err(|problem| TableError::Columns {
        path: path.to_path_buf(),
        at: String::new(),
        problem: Box::new(problem),
    })?;
    Ok(schema)
}

/// The JSON objects of a JSONL input, in order; a read error ends them (and is kept).
struct Objects<R> {
    lines: LineReader<R>,
    buf: std::vec::IntoIter<(usize, Line)>,
    error: Option<InputError>,
}

impl<R: BufRead> Iterator for Objects<R> {
    type Item = Result<Value, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.buf.next() {
                Some((_, Line::Text(text))) => {
                    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&text) {
                        return Some(Ok(v));
                    }
                }
                Some(_) => {}
                None => match self.lines.batch(1024, 16 << 20) {
                    Ok(batch) if batch.is_empty() => return None,
                    Ok(batch) => self.buf = batch.into_iter(),
                    Err(e) => {
                        self.error = Some(e);
                        return None;
                    }
                },
            }
        }
    }
}
