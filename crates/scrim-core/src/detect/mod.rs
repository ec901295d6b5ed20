//! Detection: the [`Detector`] seam, and how candidate findings become one answer per character.
//!
//! Each detector looks at one message's text and appends [`Finding`]s. Detectors never see each
//! other's output; [`resolve()`] merges them by the documented rules below, and the engine
//! ([`crate::engine`]) then spreads what was found in one message to every message.

pub mod names;
pub mod patterns;
pub mod resolve;

pub use resolve::resolve;

use crate::error::Result;
use crate::span::Finding;

/// One way of finding personal data in a piece of text.
///
/// Implementations must be cheap to share between threads and must never panic on any input.
/// They append findings in any order; overlapping findings are allowed and resolved later.
pub trait Detector: Send + Sync {
    /// A short stable name, for reports (`"email"`, `"phone"`, `"names"`).
    fn name(&self) -> &'static str;

    /// Append the findings in `text` to `out`. Offsets are UTF-8 bytes into `text`.
    ///
    /// An error means the detector could not look at the text (a learned model's inference
    /// failed): callers must not treat it as clean (fail closed). The rule detectors never fail.
    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> Result<()>;

    /// Findings in many texts at once: `out[i]` receives those of `texts[i]`. A learned model
    /// batches them; the default runs [`Detector::detect`] on each.
    ///
    /// An error means the detector could not look at the texts; callers must not treat them as
    /// clean (fail closed). Error messages never hold text.
    fn detect_batch(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> Result<()> {
        for (text, found) in texts.iter().zip(out.iter_mut()) {
            self.detect(text, found)?;
        }
        Ok(())
    }
}
