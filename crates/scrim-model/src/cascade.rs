//! The cascade: a small student model reads everything the gate passes, and the teacher reads
//! again only the pieces the student is unsure of.
//!
//! A piece is unsure when any of its tokens gets a personal-data probability (all non-`O`
//! classes together) inside the band of [`Doubt`]: below the band the student is confident the
//! token is nothing, above it that it is something. The teacher's findings replace the student's
//! in the pieces it reads again, so quality stays near the teacher's where it matters, at close to
//! the student's cost where the text is plain. [`Cascade::escalated`] says how much went to the
//! teacher.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use scrim_core::{Detector, Finding};

use crate::{Error, ModelDetector, Result};

/// A band of personal-data probability in which a model counts as unsure of a token:
/// `low <= p < high`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Doubt {
    low: f32,
    high: f32,
}

impl Doubt {
    /// The empty band: never unsure.
    pub const NONE: Doubt = Doubt {
        low: 1.0,
        high: 0.0,
    };

    /// The band `[low, high)`; both within `[0, 1]` and `low <= high`.
    pub fn new(low: f32, high: f32) -> Result<Doubt> {
        if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) || low > high {
            return Err(Error::Option {
                name: "cascade_band",
                reason: "must be [low, high] with 0 <= low <= high <= 1".into(),
            });
        }
        Ok(Doubt { low, high })
    }

    /// Whether `p` falls in the band.
    pub fn contains(&self, p: f32) -> bool {
        self.low <= p && p < self.high
    }
}

/// The student, and the teacher for what the student is unsure of. Build once, share between
/// threads.
pub struct Cascade {
    student: Arc<ModelDetector>,
    teacher: Arc<ModelDetector>,
    doubt: Doubt,
    /// Bytes of text the student read, and of those, the bytes the teacher read again.
    read: AtomicU64,
    escalated: AtomicU64,
}

impl std::fmt::Debug for Cascade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cascade")
            .field("student", &self.student)
            .field("teacher", &self.teacher)
            .field("doubt", &self.doubt)
            .finish()
    }
}

impl Cascade {
    /// A cascade of `student` and `teacher` with the band `doubt`.
    pub fn new(student: Arc<ModelDetector>, teacher: Arc<ModelDetector>, doubt: Doubt) -> Self {
        Cascade {
            student,
            teacher,
            doubt,
            read: AtomicU64::new(0),
            escalated: AtomicU64::new(0),
        }
    }

    /// Bytes the student read so far, and how many of them the teacher read again.
    pub fn escalated(&self) -> (u64, u64) {
        (
            self.read.load(Ordering::Relaxed),
            self.escalated.load(Ordering::Relaxed),
        )
    }

    /// Findings in many texts at once, as [`ModelDetector::detect_all`].
    pub fn detect_all(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> Result<()> {
        let unsure = self.student.detect_all_with_doubt(texts, out, &self.doubt)?;
        let again: Vec<usize> = unsure
            .iter()
            .enumerate()
            .filter_map(|(i, &u)| u.then_some(i))
            .collect();
        let total: usize = texts.iter().map(|t| t.len()).sum();
        self.read.fetch_add(total as u64, Ordering::Relaxed);
        if again.is_empty() {
            return Ok(());
        }
        let pieces: Vec<&str> = again
            .iter()
            .filter_map(|&i| texts.get(i).copied())
            .collect();
        let bytes: usize = pieces.iter().map(|t| t.len()).sum();
        self.escalated.fetch_add(bytes as u64, Ordering::Relaxed);
        let mut found: Vec<Vec<Finding>> = vec![Vec::new(); pieces.len()];
        self.teacher.detect_all(&pieces, &mut found)?;
        for (i, f) in again.into_iter().zip(found) {
            if let Some(slot) = out.get_mut(i) {
                *slot = f;
            }
        }
        Ok(())
    }
}

impl Detector for Cascade {
    fn name(&self) -> &'static str {
        "cascade"
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
        let mut found = [Vec::new()];
        self.detect_batch(&[text], &mut found)?;
        let [f] = found;
        out.extend(f);
        Ok(())
    }

    fn detect_batch(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> scrim_core::Result<()> {
        self.detect_all(texts, out)
            .map_err(|e| scrim_core::Error::Detector {
                detector: "cascade",
                reason: e.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_half_open_and_checked() {
        let d = Doubt::new(0.1, 0.8).unwrap_or(Doubt::NONE);
        assert!(d.contains(0.1) && d.contains(0.5) && !d.contains(0.8) && !d.contains(0.05));
        assert!(Doubt::new(0.9, 0.2).is_err());
        assert!(Doubt::new(-0.1, 0.2).is_err());
        assert!((0..=10).all(|k| !Doubt::NONE.contains(k as f32 / 10.0)));
    }
}
