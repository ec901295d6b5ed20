//! How the engine combines a learned tier with the rules, with a stand-in model (no runtime
//! needed): gating, union, veto, consistency and failing closed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test or fuzz check fails by panicking"
)]

use std::sync::{Arc, Mutex};

use scrim_core::{Detector, EngineBuilder, Error, Finding, Gate, Label, Span, Tier};

/// Marks every occurrence of its words as PERSON (or its label), and records what it was asked
/// to read.
struct FakeModel {
    words: Vec<&'static str>,
    label: Label,
    read: Mutex<Vec<String>>,
    fail: bool,
}

impl FakeModel {
    fn new(words: &[&'static str]) -> Arc<FakeModel> {
        FakeModel::labeling(words, Label::Person)
    }

    fn labeling(words: &[&'static str], label: Label) -> Arc<FakeModel> {
        Arc::new(FakeModel {
            words: words.to_vec(),
            label,
            read: Mutex::new(Vec::new()),
            fail: false,
        })
    }
}

impl Detector for FakeModel {
    fn name(&self) -> &'static str {
        "model"
    }

    fn detect(&self, text: &str, out: &mut Vec<Finding>) -> scrim_core::Result<()> {
        self.read.lock().unwrap().push(text.to_string());
        for w in &self.words {
            for (s, _) in text.match_indices(w) {
                out.push(Finding::new(
                    Span::new(text, s, s + w.len()).unwrap(),
                    self.label,
                    0.95,
                    "model",
                ));
            }
        }
        Ok(())
    }

    fn detect_batch(&self, texts: &[&str], out: &mut [Vec<Finding>]) -> scrim_core::Result<()> {
        if self.fail {
            return Err(Error::Detector {
                detector: "model",
                reason: "stand-in failure".into(),
            });
        }
        for (t, o) in texts.iter().zip(out.iter_mut()) {
            self.detect(t, o)?;
        }
        Ok(())
    }
}

fn texts_of(found: &[Finding], text: &str) -> Vec<String> {
    found
        .iter()
        .map(|f| text[f.span.start()..f.span.end()].to_string())
        .collect()
}

#[test]
fn the_model_tier_needs_a_model() {
    let err = EngineBuilder::default()
        .tiers(&[Tier::Model])
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no model was given"));
}

#[test]
fn union_keeps_both_tiers_and_offsets_map_back_from_gated_regions() {
    let model = FakeModel::new(&["Zorblax"]);
    let engine = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model.clone())
        .build()
        .unwrap();
    // Long enough that the gate reads sentences, not the whole message.
    let text = format!(
        "{}😀 ping Zorblax at zz@example.com later.",
        "thanks so much, that helps. ".repeat(40)
    );
    let text = text.as_str();
    let found = engine.detect_text(text).unwrap();
    let got = texts_of(&found, text);
    assert!(got.contains(&"Zorblax".to_string()), "{got:?}");
    assert!(got.contains(&"zz@example.com".to_string()), "{got:?}");
    // The gate skipped the plain first sentence.
    let read = model.read.lock().unwrap().clone();
    assert!(
        read.iter().all(|r| !r.contains("thanks so much")),
        "{read:?}"
    );
}

#[test]
fn the_gate_all_reads_everything() {
    let model = FakeModel::new(&[]);
    let engine = EngineBuilder::default()
        .tiers(&[Tier::Model])
        .model(model.clone())
        .gate(Gate::All)
        .build()
        .unwrap();
    engine.detect_text("thanks so much, that helps.").unwrap();
    assert_eq!(
        model.read.lock().unwrap().as_slice(),
        ["thanks so much, that helps."]
    );
}

#[test]
fn a_weak_rule_guess_yields_to_the_model_but_a_cue_does_not() {
    // "Brindlewood" is unknown to the word lists: the rules guess it from capitalisation alone.
    let text = "we walked past Brindlewood yesterday. my name is Oskarine.";
    let rules_only = EngineBuilder::default().build().unwrap();
    let before = texts_of(&rules_only.detect_text(text).unwrap(), text);
    let model = FakeModel::new(&[]);
    let vetoed = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model.clone())
        .model_veto(Some(0.65))
        .build()
        .unwrap();
    let after = texts_of(&vetoed.detect_text(text).unwrap(), text);
    let kept = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model)
        .model_veto(None)
        .build()
        .unwrap();
    let without_veto = texts_of(&kept.detect_text(text).unwrap(), text);
    assert!(before.iter().any(|t| t == "Brindlewood"), "{before:?}");
    assert!(!after.iter().any(|t| t == "Brindlewood"), "{after:?}");
    assert!(
        after.iter().any(|t| t == "Oskarine"),
        "the cue-based find stands: {after:?}"
    );
    assert_eq!(before, without_veto);
}

#[test]
fn model_finds_spread_but_plain_words_do_not() {
    // The stand-in matches case-sensitively, so it finds nothing in the lowercase second message:
    // whatever is found there was spread from the first.
    let model = FakeModel::new(&["Zorblax", "Hai", "KYC"]);
    let engine = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model)
        .build()
        .unwrap();
    let conv = [
        "Zorblax Hai na, KYC done",
        "ok so zorblax said it hai, the kyc thing",
    ];
    let out = engine.analyze(&conv, &[]).unwrap();
    let first = texts_of(&out[0].findings, conv[0]);
    assert!(first.iter().any(|t| t.contains("Zorblax")), "{first:?}");
    let second = texts_of(&out[1].findings, conv[1]);
    assert!(second.iter().any(|t| t == "zorblax"), "{second:?}");
    assert!(
        !second.iter().any(|t| t == "kyc" || t == "hai"),
        "{second:?}"
    );
}

#[test]
fn values_spread_to_standalone_words_not_into_hosts_or_identifiers() {
    let model = FakeModel::new(&["Zorblax"]);
    let engine = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model)
        .build()
        .unwrap();
    let conv = [
        "Zorblax is great",
        "see us.zorblax.com/x and zorblax_id (zorblax\\_key in markdown), but zorblax. came too",
    ];
    let out = engine.analyze(&conv, &[]).unwrap();
    let second = texts_of(&out[1].findings, conv[1]);
    assert_eq!(
        second.iter().filter(|t| t.as_str() == "zorblax").count(),
        1,
        "{second:?}"
    );
}

#[test]
fn a_failing_model_fails_the_analysis() {
    let model = Arc::new(FakeModel {
        words: vec![],
        label: Label::Person,
        read: Mutex::new(Vec::new()),
        fail: true,
    });
    let engine = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model)
        .build()
        .unwrap();
    let err = engine.analyze(&["hi Maya"], &[]).unwrap_err();
    assert!(err.to_string().contains("model"));
    assert!(!err.to_string().contains("Maya"));
}

/// A builder for a policy takes its tiers and detection settings, and refuses unknown names.
#[test]
fn builder_for_policy_follows_the_policy() {
    use scrim_core::Policy;
    let policy = Policy::default_policy().unwrap();
    let engine = EngineBuilder::for_policy(&policy).unwrap().build().unwrap();
    assert!(!engine.has_model());
    let findings = engine.detect_text("write to jo.lee@example.org").unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].label, Label::Email);

    let mut with_model = policy.clone();
    with_model.detection.tiers = vec!["rules".into(), "model".into()];
    let err = EngineBuilder::for_policy(&with_model)
        .unwrap()
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no model was given"), "{err}");
    let engine = EngineBuilder::for_policy(&with_model)
        .unwrap()
        .model(FakeModel::new(&["Zorbin"]))
        .build()
        .unwrap();
    assert!(engine.has_model());

    let mut bad = policy.clone();
    bad.detection.tiers = vec!["oracle".into()];
    assert!(EngineBuilder::for_policy(&bad).is_err());
    let mut bad_gate = policy;
    bad_gate.detection.model_gate = "sometimes".into();
    assert!(EngineBuilder::for_policy(&bad_gate).is_err());
}

/// An engine with both tiers whose model reads every region the scope rules admit.
fn both_tiers_reading_everything(model: Arc<FakeModel>) -> scrim_core::Engine {
    EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .model(model)
        .gate(Gate::All)
        .build()
        .unwrap()
}

#[test]
fn the_rules_judge_the_links_the_model_finds() {
    // The model marks every link it sees; only the rule tier can tell whose a link is.
    let model = FakeModel::labeling(
        &[
            "https://docs.python.org/3/library/os.html",
            "https://shop.test/products",
            "https://mayak.dev/cv",
        ],
        Label::Url,
    );
    let engine = both_tiers_reading_everything(model);
    let text =
        "Read https://docs.python.org/3/library/os.html first. My CV: https://mayak.dev/cv\n\n\
                {\"homepage\": \"https://shop.test/products\", \"tags\": [1, 2]}\n";
    let found = engine.detect_text(text).unwrap();
    let urls: Vec<String> = found
        .iter()
        .filter(|f| f.label == Label::Url)
        .map(|f| text[f.span.start()..f.span.end()].to_string())
        .collect();
    assert_eq!(urls, ["https://mayak.dev/cv"], "{found:?}");
}

#[test]
fn the_model_is_held_to_the_rules_lists_and_scripts() {
    // A model that marks placeholders, a bare title, Korean words, an ordinary noun and a
    // product as persons.
    let model = FakeModel::labeling(
        &[
            "John Doe",
            "Mrs.",
            "강의 자료",
            "Maya Okafor",
            "Bananas",
            "MongoDB",
            "번역결과를",
            "김서연",
            "관리",
            "如果",
            "李秀兰",
            "エミリー",
            "Prophet",
        ],
        Label::Person,
    );
    let engine = both_tiers_reading_everything(model);
    let text = "Form: John Doe | Mrs. | 강의 자료 folder. Ask Maya Okafor about it.\n\
                1. Apples\n2. Bananas\nStore it in MongoDB. 번역결과를 보내요. 김서연에게 카드를.\n\
                고객 관리 팀. 如果你愿意. 李秀兰说好. エミリーさん. The Prophet said so.";
    let found = engine.detect_text(text).unwrap();
    let persons: Vec<&str> = found
        .iter()
        .filter(|f| f.label == Label::Person && f.detector.as_str() == "model")
        .map(|f| &text[f.span.start()..f.span.end()])
        .collect();
    // A Hangul name that opens with a family name stands, as do a Han name that does and a
    // name in katakana; a longer phrase, a two-syllable Hangul word and Han words do not.
    assert_eq!(
        persons,
        ["Maya Okafor", "김서연", "李秀兰", "エミリー"],
        "{found:?}"
    );
}

#[test]
fn what_the_model_taught_spreads_only_where_a_finding_could_stand() {
    // The model marks "Nice Guy" everywhere; before "syndrome" it names a syndrome, so neither
    // the model's finding there nor a consistency copy of the first one stands. Words of an
    // article's link are the URL rules' to judge.
    let model = FakeModel::labeling(&["Nice Guy", "matt-taibbi"], Label::Person);
    let engine = both_tiers_reading_everything(model);
    let text = "I met Nice Guy at the gym.\nChapter 2: The Nice Guy Syndrome explained.\n\
                See https://news.test/2023/twitter-files-matt-taibbi-story for more.";
    let found = engine.detect_text(text).unwrap();
    let persons: Vec<(usize, &str)> = found
        .iter()
        .filter(|f| f.label == Label::Person)
        .map(|f| (f.span.start(), &text[f.span.start()..f.span.end()]))
        .collect();
    assert_eq!(persons, [(6, "Nice Guy")], "{found:?}");
}

/// A username copied across a conversation is a bare word: in a code body or inline code such a
/// word is an identifier, so no copy lands there; in prose, a string literal or a shell
/// session's output it is the account again.
#[test]
fn a_username_is_not_copied_onto_identifiers_in_code() {
    let model = FakeModel::labeling(&["nvrops"], Label::Username);
    let engine = EngineBuilder::default()
        .tiers(&[Tier::Rules, Tier::Model])
        .gate(Gate::All)
        .model(model)
        .build()
        .unwrap();
    let conv = [
        "my login on the recorder is nvrops, how do I copy its files?",
        "Try this:\n\n```python\nnvrops = connect(host)\nuser = \"nvrops\"\nfiles = nvrops.list()\n```\n\nthen check `nvrops` and tell me, nvrops.",
        "```bash\n$ ls -l\n-rw-r--r-- 1 nvrops staff 4096 clip.mp4\n```",
    ];
    let out = engine.analyze(&conv, &[]).unwrap();
    // The user's own mention stands (the model's finding).
    assert_eq!(texts_of(&out[0].findings, conv[0]), vec!["nvrops"]);
    // In the answer: the string literal and the closing prose (which the model reads), not the
    // two identifiers in the code body (which it does not read; only copies could land there).
    let second: Vec<usize> = out[1]
        .findings
        .iter()
        .filter(|f| f.label == Label::Username)
        .map(|f| f.span.start())
        .collect();
    let literal = conv[1].find("\"nvrops\"").unwrap() + 1;
    let prose = conv[1].rfind("nvrops").unwrap();
    assert_eq!(second, vec![literal, prose], "{:?}", out[1].findings);
    // The owner column of a listing is the account.
    assert_eq!(texts_of(&out[2].findings, conv[2]), vec!["nvrops"]);
}
