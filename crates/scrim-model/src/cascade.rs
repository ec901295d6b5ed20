//! The cascade: a small student model reads everything the gate passes, and the teacher reads
//! again only the pieces the student is unsure of.
//!
//! A piece is unsure when any of its tokens gets a personal-data probability (all non-`O`
//! classes together) inside the band of [`Doubt`]: below the band the student is confident the
//! token is nothing, above it that it is something. The teacher's findings replace the student's
//! in the pieces it reads again, so quality stays near the teacher's where it matters, at close to
//! the student's cost where the text is plain. [`Cascade::escalated`] says how much went to the
//! teacher.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use scrim_core::{Detector, Finding, Span};

use crate::{Error, ModelDetector, Result};

/// A band of personal-data probability in which a model counts as unsure of a token:
/// `low <= p <= high`.
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

    /// The band `[low, high]`; both within `[0, 1]` and `low <= high`.
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
        self.low <= p && p <= self.high
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
        let unsure = self
            .student
            .detect_all_with_doubt(texts, out, &self.doubt)?;
        let total: usize = texts.iter().map(|t| t.len()).sum();
        self.read.fetch_add(total as u64, Ordering::Relaxed);
        // (text, range) of each piece the teacher reads again.
        let mut again: Vec<(usize, Range<usize>)> = Vec::new();
        for (i, (text, tokens)) in texts.iter().zip(&unsure).enumerate() {
            for r in rereads(text, tokens) {
                again.push((i, r));
            }
        }
        if again.is_empty() {
            return Ok(());
        }
        let pieces: Vec<&str> = again
            .iter()
            .filter_map(|(i, r)| texts.get(*i).and_then(|t| t.get(r.clone())))
            .collect();
        if pieces.len() != again.len() {
            return Err(Error::Inference(
                "a piece to read again is off the text".into(),
            ));
        }
        let bytes: usize = pieces.iter().map(|t| t.len()).sum();
        self.escalated.fetch_add(bytes as u64, Ordering::Relaxed);
        let mut found: Vec<Vec<Finding>> = vec![Vec::new(); pieces.len()];
        self.teacher.detect_all(&pieces, &mut found)?;
        for ((i, r), f) in again.into_iter().zip(found) {
            let (Some(slot), Some(text)) = (out.get_mut(i), texts.get(i)) else {
                continue;
            };
            // The teacher's findings replace the student's in what it read.
            slot.retain(|x| x.span.end() <= r.start || x.span.start() >= r.end);
            slot.extend(f.into_iter().filter_map(|x| {
                let span = Span::new(text, x.span.start() + r.start, x.span.end() + r.start)?;
                Some(Finding { span, ..x })
            }));
        }
        for slot in out.iter_mut() {
            slot.sort_by_key(|f| (f.span.start(), f.span.end()));
        }
        Ok(())
    }
}

/// A text of up to this many bytes is read again whole when any of it is in doubt (its other
/// sentences are the teacher's context); in a longer one, only the sentences in doubt.
const WHOLE_TEXT_BYTES: usize = 1000;

/// The ranges of `text` the teacher reads again: none when no token is in doubt; the whole of a
/// short text; else each sentence ([`scrim_core::gate::sentences`]) holding a token in doubt,
/// neighbours merged.
#[allow(
    clippy::single_range_in_vec_init,
    reason = "a list of one range, not the range's items"
)]
fn rereads(text: &str, doubtful: &[Range<usize>]) -> Vec<Range<usize>> {
    if doubtful.is_empty() {
        return Vec::new();
    }
    if text.len() <= WHOLE_TEXT_BYTES {
        return vec![0..text.len()];
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut next = doubtful.iter().peekable();
    for s in scrim_core::gate::sentences(text) {
        // Tokens before this sentence were placed already.
        while next
            .next_if(|t| t.start < s.start && t.end <= s.start)
            .is_some()
        {}
        if next.peek().is_none_or(|t| t.start >= s.end) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.end == s.start => last.end = s.end,
            _ => out.push(s),
        }
    }
    out
}

impl Detector for Cascade {
    fn name(&self) -> &'static str {
        "cascade"
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
        crate::detect_one(self, text, out)
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
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        clippy::single_range_in_vec_init,
        reason = "a test fails by panicking; lists of one range"
    )]
    use super::*;

    #[test]
    fn the_teacher_rereads_short_texts_whole_and_long_ones_by_sentence() {
        assert!(rereads("hi there", &[]).is_empty());
        assert_eq!(rereads("hi Zed. ok", &[3..6]), vec![0..10]);
        let filler = "Nothing to see here at all. ".repeat(40);
        let text = format!("{filler}Ask Zed about it.\nAnd 🎉 Ümit too. {filler}");
        let zed = text.find("Zed").unwrap();
        let umit = text.find("Ümit").unwrap();
        let read = rereads(&text, &[zed..zed + 3, umit..umit + 5]);
        let got: Vec<&str> = read.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(got, vec!["Ask Zed about it.\nAnd 🎉 Ümit too. "]);
        // A token at the very end, and one in the first sentence.
        let end = text.len();
        let read = rereads(&text, &[0..7, end - 5..end]);
        assert_eq!(&text[read[0].clone()], "Nothing to see here at all. ");
        assert_eq!(read[1].end, end);
    }

    #[test]
    fn the_band_is_half_open_and_checked() {
        let d = Doubt::new(0.1, 0.8).unwrap_or(Doubt::NONE);
        assert!(d.contains(0.1) && d.contains(0.5) && d.contains(0.8) && !d.contains(0.81));
        assert!(!d.contains(0.05));
        assert!(Doubt::new(0.9, 0.2).is_err());
        assert!(Doubt::new(-0.1, 0.2).is_err());
        assert!((0..=10).all(|k| !Doubt::NONE.contains(k as f32 / 10.0)));
    }
}
