//! `scrim eval` (placeholder until the scorer lands).

use anyhow::{bail, Result};
use clap::Args;

/// `scrim eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {}

/// Run the evaluation.
pub fn eval(_args: EvalArgs) -> Result<()> {
    bail!("not yet")
}
