//! The pipeline's entry for a table: [`Pipeline::run_table`].

use std::time::Instant;

use super::{TableError, TableReader};
use crate::arrow::encode_rows;
use crate::driver::{Pipeline, RunError};
use crate::input::Line;
use crate::sink::Sink;
use crate::summary::RunSummary;

/// A table run stopped.
#[derive(Debug, thiserror::Error)]
pub enum TableRunError<E> {
    /// The table could not be read.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The pipeline stopped (admission, or the sink).
    #[error(transparent)]
    Run(RunError<E>),
}

impl Pipeline<'_> {
    /// Run a table's rows through the pipeline into `sink`, batch by batch, then
    /// [`Sink::finish`] it: each row as the JSON record [`crate::arrow`] makes of it, numbered
    /// from 1 across the file. `on_rows` hears how many rows each batch held once their
    /// outcomes are in the sink. The summary's bytes are the rows' JSON bytes.
    pub fn run_table<S: Sink + ?Sized>(
        &self,
        reader: &mut TableReader,
        sink: &mut S,
        on_rows: &dyn Fn(u64),
    ) -> Result<RunSummary, TableRunError<S::Error>> {
        let start = Instant::now();
        reader.check()?;
        let mut summary = RunSummary::default();
        while let Some(part) = reader.next_batch()? {
            let rows = encode_rows(&part.batch).map_err(|problem| TableError::Columns {
                path: reader.path().to_path_buf(),
                at: part.at(),
                problem: Box::new(problem),
            })?;
            let first = part.rows_before;
            let lines: Vec<(usize, Line)> = rows
                .into_iter()
                .enumerate()
                .map(|(i, row)| (usize::try_from(first).unwrap_or(usize::MAX) + i + 1, row))
                .map(|(n, row)| (n, Line::Text(row)))
                .collect();
            drop(part);
            self.run_lines(&lines, sink, &mut summary)
                .map_err(TableRunError::Run)?;
            on_rows(lines.len() as u64);
        }
        summary.seconds = start.elapsed().as_secs_f64();
        sink.finish(&summary)
            .map_err(|e| TableRunError::Run(RunError::Sink(e)))?;
        Ok(summary)
    }
}
