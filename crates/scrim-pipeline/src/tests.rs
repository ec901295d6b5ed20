//! The driver with a sink that records every event.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test or fuzz check fails by panicking"
)]

use std::sync::Arc;

use scrim_core::redact::WithheldReason;
use scrim_core::{Engine, Key, Label, Policy, Record, Redactor, Stats};
use scrim_store::Governance;

use crate::*;

/// What the recording sink saw, in order.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Written {
        line: usize,
        out: String,
    },
    Withheld {
        line: usize,
        reason: String,
    },
    Excluded {
        line: usize,
        code: &'static str,
    },
    Quarantined {
        line: usize,
        code: &'static str,
        raw: Vec<u8>,
    },
    Finish {
        records: usize,
    },
}

#[derive(Debug, thiserror::Error)]
#[error("the recording sink refuses line {0}")]
struct Refused(usize);

/// Records every event; refuses the written line `fail_at`, if any.
#[derive(Default)]
struct Recorder {
    events: Vec<Event>,
    fail_at: Option<usize>,
}

impl Sink for Recorder {
    type Error = Refused;

    fn written(&mut self, e: &Written<'_>) -> Result<(), Refused> {
        if self.fail_at == Some(e.origin.line) {
            return Err(Refused(e.origin.line));
        }
        self.events.push(Event::Written {
            line: e.origin.line,
            out: e.line.to_string(),
        });
        Ok(())
    }
    fn withheld(&mut self, e: &Withheld<'_>) -> Result<(), Refused> {
        self.events.push(Event::Withheld {
            line: e.origin.line,
            reason: e.reason.to_string(),
        });
        Ok(())
    }
    fn excluded(&mut self, e: &Excluded<'_>) -> Result<(), Refused> {
        self.events.push(Event::Excluded {
            line: e.origin.line,
            code: e.exclusion.code(),
        });
        Ok(())
    }
    fn quarantined(&mut self, e: &Quarantined<'_>) -> Result<(), Refused> {
        self.events.push(Event::Quarantined {
            line: e.line,
            code: e.code,
            raw: e.raw.to_vec(),
        });
        Ok(())
    }
    fn finish(&mut self, s: &RunSummary) -> Result<(), Refused> {
        self.events.push(Event::Finish { records: s.records });
        Ok(())
    }
}

/// Writes each record's id; withholds `"text":"withhold"`, fails on `"text":"fail"`.
struct Echo;

impl Stage for Echo {
    fn process(&self, records: Vec<Record>) -> Vec<Processed> {
        records
            .into_iter()
            .map(|r| match r.str_field("text") {
                Some("withhold") => Processed::Withheld {
                    reason: WithheldReason::DropLabel(Label::Person),
                    stats: Stats::default(),
                },
                Some("fail") => {
                    Processed::Quarantined(BadRecord::new("detection_failed", "detector x failed"))
                }
                _ => Processed::Written {
                    line: r.id().unwrap_or_default(),
                    stats: Stats::default(),
                },
            })
            .collect()
    }
}

fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
}

/// Small batches and one record per call, so that order must survive batching and threads.
fn small() -> Limits {
    Limits {
        batch_lines: 2,
        batch_bytes: 1 << 20,
        records_per_call: 1,
        max_line_bytes: 200,
    }
}

const INPUT: &[u8] = b"{\"id\":\"a\",\"text\":\"hello\"}\n\
not json\n\
{\"id\":\"b\",\"source\":\"dm\",\"text\":\"private\"}\n\
\n\
{\"id\":\"c\",\"text\":\"withhold\"}\n\
\xff\xfe\n\
{\"id\":\"d\",\"text\":\"fail\"}\n\
{\"id\":\"e\",\"text\":\"bye\"}\n";

#[test]
fn every_line_reaches_the_sink_once_in_order_then_finish_once() {
    let gov = Governance::default_policy().unwrap();
    let admit = SourceRules(&gov);
    let pool = pool();
    let mut sink = Recorder::default();
    let summary = Pipeline::new(&Echo, &admit, &pool)
        .limits(small())
        .run(INPUT, &mut sink)
        .unwrap();
    let q = |line, code, raw: &[u8]| Event::Quarantined {
        line,
        code,
        raw: raw.to_vec(),
    };
    let w = |line, out: &str| Event::Written {
        line,
        out: out.into(),
    };
    assert_eq!(
        sink.events,
        vec![
            w(1, "a"),
            q(2, "invalid_json", b"not json"),
            Event::Excluded {
                line: 3,
                code: "source_forbids_purpose"
            },
            Event::Withheld {
                line: 5,
                reason: "contains PERSON (policy: drop)".into()
            },
            q(6, "not_utf8", b"\xff\xfe"),
            q(7, "detection_failed", br#"{"id":"d","text":"fail"}"#),
            w(8, "e"),
            Event::Finish { records: 7 },
        ]
    );
    assert_eq!((summary.records, summary.written), (7, 2));
    assert_eq!(summary.quarantined_total(), 3);
    assert_eq!(summary.quarantined["invalid_json"], 1);
    assert_eq!(summary.excluded["source_forbids_purpose"], 1);
    assert_eq!(summary.withheld_total(), 1);
    // Blank lines are not records: their bytes are not counted.
    assert_eq!(summary.input_bytes, INPUT.len() as u64 - 1);
}

#[test]
fn a_line_too_long_is_quarantined_with_its_head() {
    let long = format!("{{\"text\":\"{}\"}}\n", "x".repeat(300));
    let pool = pool();
    let mut sink = Recorder::default();
    Pipeline::new(&Echo, &AdmitAll, &pool)
        .limits(small())
        .run(long.as_bytes(), &mut sink)
        .unwrap();
    let Event::Quarantined { line, code, raw } = &sink.events[0] else {
        panic!("{:?}", sink.events);
    };
    assert_eq!((*line, *code), (1, "line_too_long"));
    assert!(long.as_bytes().starts_with(raw));
    assert_eq!(sink.events[1], Event::Finish { records: 1 });
}

#[test]
fn a_sink_error_stops_the_run_without_finish() {
    let pool = pool();
    let mut sink = Recorder {
        fail_at: Some(8),
        ..Recorder::default()
    };
    let err = Pipeline::new(&Echo, &AdmitAll, &pool)
        .limits(small())
        .run(INPUT, &mut sink)
        .unwrap_err();
    assert!(matches!(err, RunError::Sink(Refused(8))), "{err}");
    assert!(!sink
        .events
        .iter()
        .any(|e| matches!(e, Event::Finish { .. })));
}

/// Admission that fails: the run stops before anything of the batch reaches the sink.
struct Unreachable;

impl Admit for Unreachable {
    fn admit(&self, _: &[&Record]) -> Result<Vec<Verdict>, AdmitError> {
        Err(AdmitError::Other("the store is down".into()))
    }
}

#[test]
fn an_admission_error_stops_the_run() {
    let pool = pool();
    let mut sink = Recorder::default();
    let err = Pipeline::new(&Echo, &Unreachable, &pool)
        .run(INPUT, &mut sink)
        .unwrap_err();
    assert!(matches!(err, RunError::Admit(_)), "{err}");
    assert!(sink.events.is_empty());
}

/// Too few verdicts: the records left undecided are quarantined, never passed.
struct Short;

impl Admit for Short {
    fn admit(&self, records: &[&Record]) -> Result<Vec<Verdict>, AdmitError> {
        Ok(vec![Verdict::Admit; records.len().saturating_sub(1)])
    }
}

#[test]
fn a_record_without_a_verdict_is_quarantined() {
    let pool = pool();
    let mut sink = Recorder::default();
    Pipeline::new(&Echo, &Short, &pool)
        .run(
            &b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n"[..],
            &mut sink,
        )
        .unwrap();
    assert_eq!(
        sink.events[1],
        Event::Quarantined {
            line: 2,
            code: "internal",
            raw: br#"{"id":"b","text":"y"}"#.to_vec()
        }
    );
}

#[test]
fn redaction_and_detection_run_through_the_driver() {
    let engine = Arc::new(Engine::new().unwrap());
    let policy = Policy::default_policy().unwrap();
    let redact = Redact::new(Redactor::new(
        Arc::clone(&engine),
        policy.clone(),
        Key::from_secret(b"0123456789abcdef"),
    ));
    let detect = Detect(Detection::new(engine, policy));
    let input = b"{\"id\":\"m\",\"text\":\"write to jo@example.com\"}\n";
    let pool = pool();
    let mut sink = Recorder::default();
    let summary = Pipeline::new(&redact, &AdmitAll, &pool)
        .run(&input[..], &mut sink)
        .unwrap();
    let Event::Written { out, .. } = &sink.events[0] else {
        panic!("{:?}", sink.events);
    };
    assert!(
        out.contains("[EMAIL_1]") && !out.contains("jo@example.com"),
        "{out}"
    );
    assert_eq!(summary.entities[&Label::Email], 1);
    let mut sink = Recorder::default();
    Pipeline::new(&detect, &AdmitAll, &pool)
        .run(&input[..], &mut sink)
        .unwrap();
    let Event::Written { out, .. } = &sink.events[0] else {
        panic!("{:?}", sink.events);
    };
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    assert_eq!(v["id"], "m");
    assert_eq!(v["spans"][0]["label"], "EMAIL");
    assert_eq!(v["spans"][0]["start"], 9);
}

#[test]
fn the_jsonl_sink_commits_output_then_quarantine() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let qpath = dir.path().join("out.jsonl.quarantine.jsonl");
    std::fs::write(&qpath, "stale\n").unwrap();
    let pool = pool();
    let mut sink = JsonlSink::new(
        AtomicFile::create(&out).unwrap(),
        QuarantineFile::new(qpath.clone()),
    );
    Pipeline::new(&Echo, &AdmitAll, &pool)
        .run(INPUT, &mut sink)
        .unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a\nb\ne\n");
    let q: Vec<serde_json::Value> = std::fs::read_to_string(&qpath)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(q.len(), 3);
    assert_eq!(q[0]["raw"], "not json");
    assert_eq!(q[1]["raw_b64"], "//4=");
    assert_eq!(sink.quarantine().count(), 3);
    // A clean run removes the stale quarantine; nothing partial is left.
    let mut sink = JsonlSink::new(
        AtomicFile::create(&out).unwrap(),
        QuarantineFile::new(qpath.clone()),
    );
    Pipeline::new(&Echo, &AdmitAll, &pool)
        .run(&b"{\"id\":\"z\",\"text\":\"x\"}\n"[..], &mut sink)
        .unwrap();
    assert!(!qpath.exists());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["out.jsonl".to_string()]);
}

/// A store-backed run on SQLite: consent excludes, a bad subject is quarantined, written lines
/// land in a committed, registered dataset with their lineage, and subjects leave as lineage ids.
#[test]
fn a_dataset_run_admits_by_consent_and_registers_what_it_wrote() {
    use scrim_store::{Decision, Keyring, SecretKey};
    let dir = tempfile::tempdir().unwrap();
    let store = BlockingStore::open(&dir.path().join("s.db").display().to_string()).unwrap();
    let deny = store
        .store()
        .set_consent("bob", "training", Decision::Deny, "test", None);
    store.run(deny).unwrap();
    let ring = Keyring::from_keys(vec![SecretKey::random().unwrap()]).unwrap();
    let gov = Governance::default_policy().unwrap();
    let run = StoreRun::start(store, gov, "training", ring).unwrap();
    let engine = Arc::new(Engine::new().unwrap());
    let stage = run.stage(engine, Policy::default_policy().unwrap());
    let ds = dir.path().join("ds");
    let options = DatasetOptions {
        name: "ds".into(),
        policy_hash: "sha256:test".into(),
        shard_records: Some(1),
        retain_raw: None,
    };
    let qpath = dir.path().join("q.jsonl");
    let mut sink =
        DatasetSink::create(&run, &ds, options, QuarantineFile::new(qpath.clone())).unwrap();
    let input = "{\"id\":\"1\",\"subject\":\"ann\",\"source\":\"ai_chat\",\"text\":\"hi\"}\n\
                 {\"id\":\"2\",\"subject\":\"bob\",\"source\":\"ai_chat\",\"text\":\"hi\"}\n\
                 {\"id\":\"3\",\"subject\":7,\"source\":\"ai_chat\",\"text\":\"hi\"}\n\
                 {\"id\":\"4\",\"subject\":\"cy\",\"source\":\"ai_chat\",\"text\":\"yo\"}\n";
    let admission = run.admission();
    let pool = pool();
    let summary = Pipeline::new(&stage, &admission, &pool)
        .run(input.as_bytes(), &mut sink)
        .unwrap();
    assert_eq!(summary.written, 2);
    assert_eq!(summary.excluded["opted_out"], 1);
    assert_eq!(summary.quarantined["bad_subject"], 1);
    let report = sink.report().unwrap();
    assert_eq!((report.records, report.subjects, report.shards), (2, 2, 2));
    let lines = scrim_store::dataset::read_lines(&ds).unwrap();
    assert_eq!(lines.len(), 2);
    let ann = run.lineage().subject("ann");
    assert_eq!(lines[0].1.subject.as_deref(), Some(ann.as_str()));
    let first: serde_json::Value = serde_json::from_str(&lines[0].0).unwrap();
    assert_eq!(first["subject"], ann.as_str());
    let q = std::fs::read_to_string(&qpath).unwrap();
    assert!(q.contains("\"line\":3") && q.contains("bad_subject"), "{q}");
    // One record at a time, as the gateway admits.
    let bob = Record::parse(r#"{"subject":"bob","source":"ai_chat","text":"hi"}"#).unwrap();
    let one = admit::one_by_consent(run.store().store(), run.governance(), "training", &bob);
    assert_eq!(
        run.store().run(one).unwrap(),
        Verdict::Exclude(scrim_store::Exclusion::OptedOut)
    );
    let all = run.store().run(run.store().store().datasets()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].name.as_str(), all[0].state.as_str()),
        ("ds", "ready")
    );
}
