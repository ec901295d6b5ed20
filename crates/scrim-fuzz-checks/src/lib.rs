//! The checks behind Scrim's fuzz targets, as plain functions.
//!
//! Each module checks one input surface and exposes `check(data: &[u8])`: it feeds the bytes to
//! the code under test and panics when an invariant breaks (a panic inside the code under test
//! is a failure too). The libFuzzer targets in `fuzz/fuzz_targets/` are one-line calls of these
//! functions; `tests/seeds.rs` runs the same functions over the committed seed corpora
//! (`fuzz/corpus/<target>/`), so the seeds are checked by a plain `cargo test` on stable Rust.
//!
//! This crate is a test harness: panicking on a broken invariant is its job.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a fuzz check fails by panicking: a broken invariant or a panic in the code under test"
)]

pub mod engine;
pub mod gateway;
pub mod governance_toml;
pub mod media;
pub mod policy_toml;
pub mod record;
pub mod resolve;

/// A target's check: panics when an invariant breaks.
pub type Check = fn(&[u8]);

/// Every fuzz target: its name (the directory under `fuzz/corpus/` and the binary under
/// `fuzz/fuzz_targets/`) and its check.
pub const TARGETS: [(&str, Check); 7] = [
    ("record", record::check),
    ("policy_toml", policy_toml::check),
    ("governance_toml", governance_toml::check),
    ("media", media::check),
    ("resolve", resolve::check),
    ("engine", engine::check),
    ("gateway", gateway::check),
];

/// How far the checks that errors never repeat their input go, from `SCRIM_FUZZ_ECHO`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Echo {
    /// `off`: no such checks (to look past a known echo for other failures).
    Off,
    /// The default: record, policy and governance errors.
    Core,
    /// `strict`: also the gateway's 4xx answers.
    Strict,
}

/// The echo checks asked for in `SCRIM_FUZZ_ECHO` (`off`, `strict`; anything else: the default).
pub fn echo() -> Echo {
    static ECHO: std::sync::OnceLock<Echo> = std::sync::OnceLock::new();
    *ECHO.get_or_init(|| match std::env::var("SCRIM_FUZZ_ECHO").as_deref() {
        Ok("off") => Echo::Off,
        Ok("strict") => Echo::Strict,
        _ => Echo::Core,
    })
}

/// Whether the error `message_of` gives for `input` quotes a whole line of it (16 bytes or
/// longer, trimmed): an error must name what and where, never repeat the content it was given.
///
/// A line found in the message counts only when the message follows the content: the same
/// input with that line's ASCII letters in the other case must give a message quoting the
/// changed line. (Otherwise a fuzzer that copies the error's fixed wording into its input would
/// look like an echo.) Always false when the echo checks are off (see [`echo`]).
pub fn quotes_an_input_line(input: &str, message_of: impl Fn(&str) -> Option<String>) -> bool {
    if echo() == Echo::Off {
        return false;
    }
    let Some(message) = message_of(input) else {
        return false;
    };
    input
        .lines()
        .map(str::trim)
        .filter(|l| l.len() >= 16 && message.contains(*l))
        .any(|l| {
            let swapped: String = l
                .chars()
                .map(|c| {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            swapped != l
                && message_of(&input.replace(l, &swapped)).is_some_and(|m| m.contains(&swapped))
        })
}

/// Panics unless finding `f` lies inside `text` on char boundaries; `what` names it in the
/// message.
pub(crate) fn assert_on_char_boundaries(text: &str, f: &scrim_core::Finding, what: &str) {
    assert!(
        scrim_core::Span::new(text, f.span.start(), f.span.end()).is_some(),
        "{what} {:?} not on char boundaries of a {}-byte text",
        f.span,
        text.len()
    );
}

/// Panics unless `findings` are sorted by start and free of overlaps; `what` names them in
/// the message.
pub(crate) fn assert_sorted_disjoint(findings: &[scrim_core::Finding], what: &str) {
    for w in findings.windows(2) {
        assert!(
            w[0].span.end() <= w[1].span.start(),
            "{what} {:?} and {:?} unsorted or overlapping",
            w[0].span,
            w[1].span
        );
    }
}
