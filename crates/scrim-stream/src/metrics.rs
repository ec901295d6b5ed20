//! What a running stream has done, as counters any thread may read, and their Prometheus text
//! exposition (format 0.0.4). Counts and sizes only, never content.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// The stream's counters. Shared by reference (or in an `Arc`) between the driver, which
/// writes them, and whoever serves them.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Records read from the input (every message, whatever became of it).
    pub records: AtomicU64,
    /// Records redacted and published to the output.
    pub written: AtomicU64,
    /// Records the redaction policy withholds (not published).
    pub withheld: AtomicU64,
    /// Records admission left out (consent, source rules; not published).
    pub excluded: AtomicU64,
    /// Messages published to the quarantine subject.
    pub quarantined: AtomicU64,
    /// Published messages the broker already held (by their id): republished after a restart.
    pub duplicates: AtomicU64,
    /// Input bytes read.
    pub input_bytes: AtomicU64,
    /// Batches done (published and acknowledged).
    pub batches: AtomicU64,
    /// Errors (reading, publishing, acknowledging); the first one stops the stream.
    pub errors: AtomicU64,
    /// Messages of the input not yet read, as the broker last said (-1: not known yet).
    pub lag: AtomicI64,
    /// Records read and not yet acknowledged.
    pub in_flight: AtomicU64,
}

impl Metrics {
    /// Counters at zero, lag unknown.
    pub fn new() -> Metrics {
        Metrics {
            lag: AtomicI64::new(-1),
            ..Metrics::default()
        }
    }

    /// Add `n` to a counter.
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of every counter.
    pub fn render(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::with_capacity(2048);
        let mut family = |name: &str, kind: &str, help: &str, samples: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            for (labels, v) in samples {
                let _ = writeln!(out, "{name}{labels} {v}");
            }
        };
        family(
            "scrim_stream_records_total",
            "counter",
            "Records read from the input, by what became of them.",
            &[
                ("{outcome=\"written\"}", get(&self.written)),
                ("{outcome=\"withheld\"}", get(&self.withheld)),
                ("{outcome=\"excluded\"}", get(&self.excluded)),
                ("{outcome=\"quarantined\"}", get(&self.quarantined)),
            ],
        );
        family(
            "scrim_stream_read_total",
            "counter",
            "Messages read from the input (redeliveries included).",
            &[("", get(&self.records))],
        );
        family(
            "scrim_stream_quarantined_total",
            "counter",
            "Messages published to the quarantine subject.",
            &[("", get(&self.quarantined))],
        );
        family(
            "scrim_stream_duplicates_total",
            "counter",
            "Published results the broker already held (republished after a restart).",
            &[("", get(&self.duplicates))],
        );
        family(
            "scrim_stream_input_bytes_total",
            "counter",
            "Input bytes read.",
            &[("", get(&self.input_bytes))],
        );
        family(
            "scrim_stream_batches_total",
            "counter",
            "Batches published and acknowledged.",
            &[("", get(&self.batches))],
        );
        family(
            "scrim_stream_errors_total",
            "counter",
            "Errors reading, publishing or acknowledging.",
            &[("", get(&self.errors))],
        );
        family(
            "scrim_stream_in_flight",
            "gauge",
            "Records read and not yet acknowledged.",
            &[("", get(&self.in_flight))],
        );
        let lag = self.lag.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP scrim_stream_lag_messages Messages of the input not yet read (-1: unknown).\n\
             # TYPE scrim_stream_lag_messages gauge\nscrim_stream_lag_messages {lag}"
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_family_with_its_type() {
        let m = Metrics::new();
        Metrics::add(&m.written, 3);
        Metrics::add(&m.quarantined, 1);
        let text = m.render();
        assert!(text.contains("scrim_stream_records_total{outcome=\"written\"} 3\n"));
        assert!(text.contains("scrim_stream_quarantined_total 1\n"));
        assert!(
            text.contains("# TYPE scrim_stream_lag_messages gauge\nscrim_stream_lag_messages -1\n")
        );
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.rsplit(' ').next().unwrap_or("");
            assert!(value.parse::<i64>().is_ok(), "{line}");
        }
    }
}
