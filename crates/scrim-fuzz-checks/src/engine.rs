//! The whole engine and redactor on arbitrary text.
//!
//! Input layout: byte 0 picks the redaction policy (its low two bits: placeholders; surrogates
//! with the profile replaced and images stripped; masks; keyed hashes) and whether the record
//! is a conversation or a document (bit 2); the rest is the text, lossily decoded. In a
//! conversation each line is a message, and a line `>key: value` is a profile fact instead.
//!
//! Invariants: nothing panics; every finding of `detect_text` and `analyze` lies inside its
//! text on char boundaries, sorted and non-overlapping; `analyze` gives one analysis per
//! message; a redacted record re-parses as a record with as many texts, its `scrim`
//! replacements name a message that exists and code-point offsets inside that message's
//! original text; the redacted texts themselves analyze cleanly, and redacting the redacted
//! record again does not panic and gives a record that re-parses.

use std::sync::{Arc, OnceLock};

use scrim_core::engine::MessageAnalysis;
use scrim_core::policy::{Action, ImageAction, ProfileAction};
use scrim_core::{Engine, Finding, Key, Label, Outcome, Policy, Record, Redactor, Seed};
use serde_json::{json, Map, Value};

struct Kit {
    engine: Arc<Engine>,
    redactors: Vec<Redactor>,
}

/// Builds the engine and redactors the checks share, ahead of the first input (the fuzz target's
/// `init`), so that libFuzzer's per-input timeout does not count the one-off set-up.
pub fn init() {
    kit();
}

fn kit() -> &'static Kit {
    static KIT: OnceLock<Kit> = OnceLock::new();
    KIT.get_or_init(|| {
        let engine = Arc::new(Engine::new().expect("the rule engine builds"));
        let base = Policy::default_policy().expect("the default policy parses");
        let with = |action: Action, rich: bool| {
            let mut p = base.clone();
            p.labels.default = action;
            p.labels.by_label.clear();
            if rich {
                p.profile.action = ProfileAction::Replace;
                p.attachments.images = ImageAction::StripMetadata;
            }
            Redactor::new(Arc::clone(&engine), p, Key::from_secret(b"scrim fuzz key"))
        };
        let redactors = vec![
            Redactor::new(
                Arc::clone(&engine),
                base.clone(),
                Key::from_secret(b"scrim fuzz key"),
            ),
            with(Action::Surrogate, true),
            with(Action::Mask, false),
            with(Action::Hash, true),
        ];
        Kit { engine, redactors }
    })
}

/// Findings must lie inside `text` on char boundaries, sorted and free of overlaps.
pub fn check_findings(text: &str, findings: &[Finding]) {
    for f in findings {
        crate::assert_on_char_boundaries(text, f, "finding");
        assert!((0.0..=1.0).contains(&f.score) || f.score.is_nan());
    }
    crate::assert_sorted_disjoint(findings, "findings");
}

fn check_analyses(texts: &[&str], analyses: &[MessageAnalysis]) {
    assert_eq!(analyses.len(), texts.len(), "one analysis per message");
    for (t, a) in texts.iter().zip(analyses) {
        check_findings(t, &a.findings);
    }
}

/// The record the input describes (see the module documentation).
pub fn record_of(data: &[u8]) -> (usize, Value) {
    let mode = data.first().copied().unwrap_or(0);
    let text = String::from_utf8_lossy(data.get(1..).unwrap_or_default()).into_owned();
    let which = usize::from(mode & 3);
    if mode & 4 != 0 {
        return (which, json!({"id": "fuzz", "text": text}));
    }
    let mut messages = Vec::new();
    let mut profile = Map::new();
    for (i, line) in text.split('\n').enumerate() {
        if let Some((k, v)) = line.strip_prefix('>').and_then(|l| l.split_once(": ")) {
            profile.insert(k.to_string(), Value::String(v.to_string()));
            continue;
        }
        let role = if i % 2 == 0 { "user" } else { "assistant" };
        messages.push(json!({"role": role, "content": line}));
    }
    let mut record = json!({"id": "fuzz", "subject": "s1", "messages": messages});
    if !profile.is_empty() {
        record["profile"] = Value::Object(profile);
    }
    (which, record)
}

/// Run the engine and a redactor over `data` and check the invariants.
pub fn check(data: &[u8]) {
    let kit = kit();
    let (which, value) = record_of(data);
    let record = Record::from_value(value).expect("the harness builds valid records");
    let texts = record.texts();
    for t in &texts {
        if let Ok(found) = kit.engine.detect_text(t) {
            check_findings(t, &found);
        }
    }
    let seeds: Vec<Seed> = record
        .profile()
        .into_iter()
        .flatten()
        .filter_map(|(_, v)| v.as_str())
        .map(|v| Seed {
            value: v.to_string(),
            label: Label::Person,
        })
        .collect();
    if let Ok(analyses) = kit.engine.analyze(&texts, &seeds) {
        check_analyses(&texts, &analyses);
    }
    let redactor = &kit.redactors[which % kit.redactors.len()];
    let originals: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
    let Outcome::Redacted { value, .. } = redactor.redact(record) else {
        return;
    };
    let out = check_redacted(&originals, value);
    let out_texts = out.texts();
    if let Ok(analyses) = kit.engine.analyze(&out_texts, &[]) {
        check_analyses(&out_texts, &analyses);
    }
    let n = out_texts.len();
    // Redacting the redacted record again: the `scrim` field of the first pass stays as it is.
    if let Outcome::Redacted { value, .. } = redactor.redact(out.clone()) {
        let again = Record::from_value(value).expect("a twice-redacted record re-parses");
        assert_eq!(again.texts().len(), n);
    }
}

/// Check a redacted record against the original texts; returns it parsed.
fn check_redacted(originals: &[String], value: Value) -> Record {
    let scrim = value
        .get("scrim")
        .cloned()
        .expect("a redacted record has a `scrim` field");
    let out = Record::from_value(value).expect("a redacted record re-parses");
    assert_eq!(
        out.texts().len(),
        originals.len(),
        "as many texts as before"
    );
    let replacements = scrim
        .get("replacements")
        .and_then(Value::as_array)
        .expect("`scrim.replacements` is an array");
    for r in replacements {
        let message = r.get("message").and_then(Value::as_u64).unwrap_or(0) as usize;
        let original = originals
            .get(message)
            .expect("a replacement names a message that exists");
        let chars = original.chars().count() as u64;
        let start = r.get("start").and_then(Value::as_u64).expect("start");
        let end = r.get("end").and_then(Value::as_u64).expect("end");
        assert!(
            start < end && end <= chars,
            "replacement {start}..{end} outside a {chars}-character text"
        );
    }
    out
}
