//! Criterion benchmarks of the detectors on chat-like text.
//!
//! `cargo bench -p scrim-core --bench detectors`. The text is generated here (no corpus needed):
//! ordinary chat sentences with personal data sprinkled in, about one message in five.

#![allow(
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs,
    reason = "a benchmark harness over fixed inputs: a failure stops the run"
)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scrim_core::detect::names::NameDetector;
use scrim_core::detect::patterns::{Family, Patterns, PatternsConfig};
use scrim_core::lexicon::Lexicon;
use scrim_core::{Detector, Engine, EngineBuilder};

const PLAIN: &[&str] = &[
    "honestly i don't know what to do anymore, work has been so stressful lately",
    "Can you help me rewrite this paragraph so it sounds more professional?",
    "what's a good recipe for dinner tonight that doesn't take more than 30 minutes",
    "I keep thinking about what she said yesterday and it makes me anxious 😟",
    "Sure! Here are three ideas you could try this weekend.",
    "ok that makes sense, thanks. can you explain it again but simpler?",
];
const PII: &[&str] = &[
    "my name is Priya Sharma and my number is +91 98765 43210",
    "you can email me at hailey.r.mills@gmail.com or call 208-555-0147",
    "I live at 221 Maple Ave, Boise, ID 83702 with my daughter Maya",
    "add me on snap: jdoe_22, my insta is @maya.k_22",
    "talked to mike and grace today, they moved to Amsterdam last year",
];

fn corpus(messages: usize) -> Vec<String> {
    (0..messages)
        .map(|i| {
            if i % 5 == 4 {
                PII[i % PII.len()].to_string()
            } else {
                PLAIN[i % PLAIN.len()].to_string()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus(2000);
    let bytes: usize = texts.iter().map(String::len).sum();
    let lexicon = Arc::new(Lexicon::builtin().expect("lexicon"));
    let patterns = Patterns::new().expect("patterns");
    let names = NameDetector::new(Arc::clone(&lexicon));
    let engine = Engine::new().expect("engine");
    let mut g = c.benchmark_group("detectors");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("patterns", |b| b.iter(|| detect_all(&patterns, &texts)));
    // The secrets family alone, and every family but it: what SECRET adds to the rule tier.
    for (name, cfg) in [
        (
            "patterns_secret_only",
            PatternsConfig::default().only([Family::Secret]),
        ),
        (
            "patterns_without_secret",
            PatternsConfig::default().disable(Family::Secret),
        ),
    ] {
        let p = Patterns::with_config(cfg).expect("patterns");
        g.bench_function(name, |b| b.iter(|| detect_all(&p, &texts)));
    }
    g.bench_function("names", |b| b.iter(|| detect_all(&names, &texts)));
    g.bench_function("engine_conversations_of_10", |b| {
        b.iter(|| {
            let mut n = 0;
            for chunk in texts.chunks(10) {
                let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
                n += engine.analyze(&refs, &[]).map_or(0, |a| a.len());
            }
            n
        })
    });
    g.finish();
    c.bench_function("engine_startup", |b| {
        b.iter(|| Engine::new().expect("engine"))
    });
}

/// One long message repeating a name (issue 10, item 9: resolution was quadratic). Time per byte
/// should stay flat from 64 KB to 1 MB; the cap is lifted so the whole pipeline runs.
fn long_messages(c: &mut Criterion) {
    let engine = EngineBuilder::default()
        .max_findings(usize::MAX)
        .build()
        .expect("engine");
    let mut g = c.benchmark_group("long_message");
    g.sample_size(10);
    for (name, unit) in [
        ("name_line", "Hailey Mills "),
        ("name_sentences", "I met Hailey Mills today. "),
        ("phones", "call 208-555-0147 "),
    ] {
        for kb in [64usize, 256, 1024] {
            let text = unit.repeat(kb * 1024 / unit.len());
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(format!("{name}_{kb}k"), |b| {
                b.iter(|| {
                    engine
                        .analyze(&[&text, "and Hailey again"], &[])
                        .map_or(0, |a| a.len())
                })
            });
        }
    }
    g.finish();
}

/// Run a rule detector over every text; the number of findings (what one iteration measures).
fn detect_all(detector: &dyn Detector, texts: &[String]) -> usize {
    let mut out = Vec::new();
    for t in texts {
        detector
            .detect(t, &mut out)
            .expect("the rule detectors never fail");
    }
    out.len()
}

criterion_group!(benches, bench, long_messages);
criterion_main!(benches);
