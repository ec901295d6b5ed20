//! The model tier end to end, on CPU: real inference with the committed model.
//!
//! Needs ONNX Runtime (`tools/model/setup.sh`, which the README's test command runs first) and
//! the model (`models/scrim-ner`, or SCRIM_MODEL_DIR). Where either is missing the tests fail and
//! say what to install; SCRIM_SKIP_MODEL=1 skips them explicitly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use scrim_core::{Detector, EngineBuilder, Finding, Gate, Label, Tier};
use scrim_model::{ModelDetector, ModelOptions};

fn model_dir() -> PathBuf {
    match std::env::var_os("SCRIM_MODEL_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/scrim-ner"),
    }
}

/// The shared detector, or `None` where SCRIM_SKIP_MODEL=1 and the model cannot run here.
fn detector() -> Option<Arc<ModelDetector>> {
    static D: OnceLock<Option<Arc<ModelDetector>>> = OnceLock::new();
    D.get_or_init(|| {
        let options = ModelOptions::new(model_dir())
            .threads(2)
            .max_tokens(64)
            .overlap(8);
        match ModelDetector::load(options) {
            Ok(d) => Some(Arc::new(d)),
            Err(e) => {
                if std::env::var("SCRIM_SKIP_MODEL").is_ok_and(|v| v == "1") {
                    eprintln!("SKIPPED (SCRIM_SKIP_MODEL=1): the model tier cannot load: {e}");
                    return None;
                }
                panic!(
                    "the model tier cannot load: {e}\nrun tools/model/setup.sh first, or set \
                     SCRIM_SKIP_MODEL=1 to skip these tests"
                );
            }
        }
    })
    .clone()
}

fn find(d: &ModelDetector, text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    d.detect_batch(&[text], std::slice::from_mut(&mut out))
        .unwrap();
    out
}

/// Whether every non-space character of `needle` (its first occurrence) lies inside a finding:
/// the property redaction needs, whatever the labels and span boundaries.
fn covers(text: &str, found: &[Finding], needle: &str) -> bool {
    let s = text.find(needle).unwrap();
    needle
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .all(|(i, _)| {
            found
                .iter()
                .any(|f| f.span.start() <= s + i && s + i < f.span.end())
        })
}

#[test]
fn finds_names_places_and_keeps_offsets_on_character_boundaries() {
    let Some(d) = detector() else { return };
    let text = "hi 👋 my name is Priya Sharma and I live in Pune. \
                नमस्ते! 你好 — call Daniel Okafor tomorrow 🎉";
    let found = find(&d, text);
    for f in &found {
        assert!(text.is_char_boundary(f.span.start()) && text.is_char_boundary(f.span.end()));
        assert!(f.span.start() < f.span.end() && f.span.end() <= text.len());
        assert!((0.0..=1.0).contains(&f.score));
        assert_eq!(f.detector, "model");
    }
    assert!(covers(text, &found, "Priya Sharma"), "{found:?}");
    assert!(covers(text, &found, "Daniel Okafor"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f.label == Label::Person
                && text[f.span.start()..f.span.end()].contains("Priya")),
        "{found:?}"
    );
}

#[test]
fn long_text_is_read_through_every_window() {
    let Some(d) = detector() else { return };
    // Far longer than one 64-token window: names land at every position relative to the window
    // edges, and each must be found as it is when alone.
    let names = [
        "Priya Sharma",
        "Daniel Okafor",
        "Maria Gonzalez",
        "Kenji Watanabe",
    ];
    let mut text = String::new();
    for i in 0..40 {
        let name = names[i % names.len()];
        text.push_str(&format!(
            "Yesterday I met {name} at the station and we talked. "
        ));
        for _ in 0..(i % 5) {
            text.push_str("ok ");
        }
    }
    let found = find(&d, &text);
    let mut start = 0;
    for i in 0..40 {
        let name = names[i % names.len()];
        let s = start + text[start..].find(name).unwrap();
        let e = s + name.len();
        assert!(
            found
                .iter()
                .any(|f| f.span.start() <= s && e <= f.span.end()),
            "name {i} at byte {s} missed"
        );
        start = e;
    }
}

#[test]
fn batching_and_padding_do_not_change_the_answer() {
    let Some(d) = detector() else { return };
    let texts = [
        "Send it to Rahul Verma please",
        "ok",
        "Anna Kowalski moved from Krakow to Berlin last spring, tell Tom",
        "",
        "🙂🙂 text Jessica when you land in Chicago",
    ];
    let mut batch = vec![Vec::new(); texts.len()];
    d.detect_batch(&texts, &mut batch).unwrap();
    for (t, b) in texts.iter().zip(&batch) {
        let single = find(&d, t);
        let a: Vec<_> = single.iter().map(|f| (f.span, f.label)).collect();
        let b: Vec<_> = b.iter().map(|f| (f.span, f.label)).collect();
        assert_eq!(a, b, "text {t:?}");
    }
    assert!(batch[1].is_empty() && batch[3].is_empty());
}

#[test]
fn the_union_covers_what_either_tier_finds() {
    let Some(d) = detector() else { return };
    let rules = EngineBuilder::default().build().unwrap();
    let model = EngineBuilder::default()
        .tiers(&[Tier::Model])
        .model(d.clone())
        .gate(Gate::All)
        .build()
        .unwrap();
    let both = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(d.clone())
        .gate(Gate::All)
        .build()
        .unwrap();
    let texts = [
        "hey its kavya, reach me at kavya.r@gmail.com or 98200 12345",
        "my landlord Mr. Okonkwo lives at 14 Elm Street, Springfield",
        "thx - raj",
    ];
    let a = rules.analyze(&texts, &[]).unwrap();
    let b = model.analyze(&texts, &[]).unwrap();
    let c = both.analyze(&texts, &[]).unwrap();
    for i in 0..texts.len() {
        for f in a[i].findings.iter().chain(&b[i].findings) {
            assert!(
                c[i].findings
                    .iter()
                    .any(|g| g.span.start() <= f.span.start() && f.span.end() <= g.span.end()),
                "message {i}: a finding of one tier is not covered by the union"
            );
        }
    }
    // The conversation-level consistency applies to the model's finds too.
    let conv = [
        "I met Daniel Okafor today",
        "daniel okafor said hi",
        "Okafor again",
    ];
    let out = both.analyze(&conv, &[]).unwrap();
    assert!(out[2].findings.iter().any(|f| f.label == Label::Person));
}

#[test]
fn capitalisation_flags_follow_the_first_character_of_each_word() {
    let Some(_) = detector() else { return };
    let tok = tokenizers::Tokenizer::from_file(model_dir().join("tokenizer.json")).unwrap();
    let text = "Hi priyanka, ÉMILE said 👋 Zoë-Anne";
    let enc = tok.encode(text, false).unwrap();
    let flags = scrim_model::case_flags(text, &enc);
    assert_eq!(flags.len(), enc.get_ids().len());
    // The flag of every token that starts at a given word, and of the tokens that continue it.
    let flag_at = |word: &str| {
        let at = text.find(word).unwrap();
        let end = at + word.len();
        let got: Vec<u32> = enc
            .get_offsets()
            .iter()
            .zip(&flags)
            .filter(|((s, _), _)| *s >= at && *s < end)
            .map(|(_, f)| *f)
            .collect();
        assert!(!got.is_empty(), "no token for {word}");
        got
    };
    assert!(flag_at("Hi").iter().all(|f| *f == 1));
    assert!(flag_at("priyanka").iter().all(|f| *f == 0));
    assert!(flag_at("ÉMILE").iter().all(|f| *f == 1));
    assert!(flag_at("said").iter().all(|f| *f == 0));
    assert!(flag_at("Zoë").iter().all(|f| *f == 1));
    assert!(flag_at("Anne").iter().all(|f| *f == 1));
    assert!(flag_at(",").iter().all(|f| *f == 0));
}

#[test]
fn special_tokens_typed_by_a_user_are_plain_text() {
    let Some(d) = detector() else { return };
    // Typed "[SEP]"/"[CLS]" must not split the model's input; the name after them is still found
    // and every offset still falls on the original text.
    let text = "ok [SEP] [CLS] my name is Priya Sharma [PAD] [MASK]";
    let found = find(&d, text);
    for f in &found {
        assert!(text.is_char_boundary(f.span.start()) && text.is_char_boundary(f.span.end()));
    }
    assert!(covers(text, &found, "Priya Sharma"), "{found:?}");
    let tok = tokenizers::Tokenizer::from_file(model_dir().join("tokenizer.json")).unwrap();
    let sep = tok.token_to_id("[SEP]").unwrap();
    let mut tok = tok;
    tok.set_encode_special_tokens(true);
    let enc = tok.encode(text, false).unwrap();
    assert!(!enc.get_ids().contains(&sep));
}
