//! Ports of `shared/tools/tests/test_score.py`, plus edge cases.

use serde_json::json;

use crate::score::{intersect, merge, overlap_pairs};
use crate::*;

fn sp(s: i64, e: i64, lab: &str) -> Span {
    Span::new(s, e, lab)
}

fn doc(id: &str, spans: Vec<Span>) -> Doc {
    Doc::new(id, None, spans)
}

fn doc_t(id: &str, spans: Vec<Span>, text: &str) -> Doc {
    Doc::new(id, Some(text.to_owned()), spans)
}

fn run(g: &[Doc], p: &[Doc]) -> Report {
    score(g, p, &Options::default()).unwrap()
}

fn approx(a: Option<f64>, b: Option<f64>) {
    match (a, b) {
        (None, None) => {}
        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{x} != {y}"),
        _ => panic!("{a:?} != {b:?}"),
    }
}

#[test]
fn perfect() {
    let g = vec![doc("a", vec![sp(0, 5, "PERSON"), sp(10, 20, "EMAIL")])];
    let r = run(&g, &g);
    approx(r.micro.exact.f1, Some(1.0));
    approx(r.micro.exact_any_label.f1, Some(1.0));
    approx(r.micro.overlap.f1, Some(1.0));
    approx(r.micro.overlap_any_label.f1, Some(1.0));
    approx(r.f5, Some(1.0));
    approx(r.char.recall, Some(1.0));
    approx(r.char.precision, Some(1.0));
    assert!(r.warnings.is_empty());
}

#[test]
fn partial_boundary() {
    let r = run(
        &[doc("a", vec![sp(0, 10, "PERSON")])],
        &[doc("a", vec![sp(0, 5, "PERSON")])],
    );
    approx(r.micro.exact.p, Some(0.0));
    approx(r.micro.exact.r, Some(0.0));
    approx(r.micro.exact.f1, Some(0.0));
    approx(r.micro.overlap.f1, Some(1.0));
    approx(r.char.recall, Some(0.5));
    approx(r.char.precision, Some(1.0));
    assert_eq!(r.char.leaked_chars, 5);
}

#[test]
fn label_mismatch() {
    let g = [doc("a", vec![sp(0, 20, "ADDRESS")])];
    let p = [doc("a", vec![sp(5, 10, "LOCATION")])];
    let r = run(&g, &p);
    let m = &r.micro;
    approx(m.overlap.p, Some(0.0));
    approx(m.overlap.r, Some(0.0));
    approx(m.overlap_any_label.p, Some(1.0));
    approx(m.overlap_any_label.r, Some(1.0));
    approx(r.char.recall, Some(0.25));
    approx(r.char.precision, Some(1.0));
    let a = &r.per_label["ADDRESS"];
    assert_eq!((a.n_gold, a.n_pred), (1, 0));
    approx(a.exact.p, None);
    approx(a.exact.r, Some(0.0));
    approx(a.exact.f1, Some(0.0));
    approx(a.overlap_any_label.r, Some(1.0));
    approx(a.char.recall, Some(0.25));
    let l = &r.per_label["LOCATION"];
    assert_eq!((l.n_gold, l.n_pred), (0, 1));
    approx(l.exact.r, None);
    approx(l.exact.p, Some(0.0));
    approx(l.exact.f1, Some(0.0));
    approx(l.overlap_any_label.p, Some(1.0));
    approx(l.char.precision, Some(1.0));
    let opts = Options {
        relabel: vec![("ADDRESS".into(), "LOCATION".into())],
        ..Options::default()
    };
    let r2 = score(&g, &p, &opts).unwrap();
    approx(r2.micro.overlap.f1, Some(1.0));
}

#[test]
fn one_pred_two_gold() {
    let r = run(
        &[doc("a", vec![sp(0, 4, "PERSON"), sp(5, 10, "PERSON")])],
        &[doc("a", vec![sp(0, 10, "PERSON")])],
    );
    let o = &r.micro.overlap;
    assert_eq!((o.tp_p, o.tp_r), (1, 2));
    approx(o.p, Some(1.0));
    approx(o.r, Some(1.0));
    approx(r.char.recall, Some(1.0));
    approx(r.char.precision, Some(0.9));
    approx(r.micro.exact.f1, Some(0.0));
}

#[test]
fn f5_and_multi_doc_micro() {
    let g = [
        doc("a", vec![sp(0, 5, "EMAIL"), sp(10, 15, "PERSON")]),
        doc("b", vec![sp(0, 8, "PHONE")]),
        doc("c", vec![]),
    ];
    let p = [
        doc(
            "a",
            vec![sp(0, 5, "EMAIL"), sp(20, 25, "URL"), sp(30, 35, "URL")],
        ),
        doc("c", vec![sp(0, 3, "URL")]),
        doc("zzz", vec![sp(0, 1, "URL")]),
    ];
    let r = run(&g, &p);
    let m = &r.micro.overlap_any_label;
    approx(m.p, Some(0.25));
    approx(m.r, Some(1.0 / 3.0));
    approx(m.f1, Some(2.0 * 0.25 * (1.0 / 3.0) / (0.25 + 1.0 / 3.0)));
    let f5 = 26.0 * 0.25 * (1.0 / 3.0) / (25.0 * 0.25 + 1.0 / 3.0);
    approx(r.f5, Some(f5));
    approx(m.f5, Some(f5));
    assert_eq!(r.docs, 3);
    assert_eq!(r.docs_without_pred, 1);
    assert_eq!(r.warnings.get(warn_keys::PRED_NOT_IN_GOLD), Some(&1));
    assert_eq!(r.char.gold_chars, 18);
    assert_eq!(r.char.pred_chars, 18);
    approx(r.char.recall, Some(5.0 / 18.0));
    approx(r.char.precision, Some(5.0 / 18.0));
    approx(r.char.f5, Some(5.0 / 18.0));
    approx(r.macro_f1_over_gold_labels.exact, Some(1.0 / 3.0));
    let h = r.headline();
    approx(h.precision, Some(0.25));
    approx(h.f5, Some(f5));
    approx(h.char_recall, Some(5.0 / 18.0));
}

#[test]
fn f5_formula() {
    approx(
        fbeta(Some(0.5), Some(1.0), 5.0),
        Some(26.0 * 0.5 / (12.5 + 1.0)),
    );
    approx(
        fbeta(Some(1.0), Some(0.5), 5.0),
        Some(26.0 * 0.5 / (25.0 + 0.5)),
    );
    approx(fbeta(None, None, 5.0), None);
    approx(fbeta(None, Some(0.0), 5.0), Some(0.0));
    approx(fbeta(Some(0.0), Some(0.0), 5.0), Some(0.0));
    assert_eq!(ratio(1, 0), None);
}

#[test]
fn labels_filter() {
    let g = [doc("a", vec![sp(0, 5, "PERSON"), sp(10, 15, "DATE")])];
    let p = [doc(
        "a",
        vec![sp(0, 5, "PERSON"), sp(20, 25, "DATE"), sp(10, 15, "OTHER")],
    )];
    let opts = Options {
        labels: Some(vec!["PERSON".into()]),
        ..Options::default()
    };
    let r = score(&g, &p, &opts).unwrap();
    assert_eq!(r.per_label.keys().collect::<Vec<_>>(), ["PERSON"]);
    approx(r.micro.exact.f1, Some(1.0));
    assert_eq!(r.char.gold_chars, 5);
    let opts = Options {
        exclude: vec!["PERSON".into()],
        ..Options::default()
    };
    let r = score(&g, &p, &opts).unwrap();
    assert_eq!(r.per_label.keys().collect::<Vec<_>>(), ["DATE", "OTHER"]);
    let opts = Options {
        labels: Some(vec!["DATE".into()]),
        filter_side_gold_only: true,
        ..Options::default()
    };
    let r = score(&g, &p, &opts).unwrap();
    approx(r.micro.overlap_any_label.r, Some(1.0));
    approx(r.char.recall, Some(1.0));
    assert_eq!(r.options.filter_side, FilterSide::Gold);
    // an empty label list keeps everything, like Python's falsy []
    let opts = Options {
        labels: Some(vec![]),
        ..Options::default()
    };
    let r = score(&g, &p, &opts).unwrap();
    assert_eq!(r.options.labels, None);
    assert_eq!(r.per_label.len(), 3);
}

#[test]
fn overlapping_gold_and_dupes() {
    let g = [doc("a", vec![sp(0, 10, "ADDRESS"), sp(5, 15, "LOCATION")])];
    let p = [doc(
        "a",
        vec![sp(0, 3, "ADDRESS"), sp(0, 3, "ADDRESS"), sp(14, 20, "URL")],
    )];
    let r = run(&g, &p);
    assert_eq!(r.char.gold_chars, 15);
    assert_eq!(r.char.overlap_chars, 4);
    assert_eq!(r.char.pred_chars, 9);
    assert_eq!(r.micro.n_pred, 2);
    assert_eq!(r.warnings.get("pred: duplicate span dropped"), Some(&1));
    approx(r.micro.overlap.r, Some(0.5));
    approx(r.micro.overlap_any_label.r, Some(1.0));
    approx(r.per_label["ADDRESS"].char.recall, Some(0.3));
    approx(r.per_label["LOCATION"].char.recall, Some(0.1));
}

#[test]
fn adjacent_is_not_overlap() {
    let r = run(
        &[doc("a", vec![sp(0, 5, "PERSON")])],
        &[doc("a", vec![sp(5, 9, "PERSON")])],
    );
    approx(r.micro.overlap_any_label.r, Some(0.0));
    approx(r.char.recall, Some(0.0));
}

#[test]
fn ignore_whitespace() {
    let g = [doc_t("a", vec![sp(0, 5, "PERSON")], "ab cd ef")];
    let p = [doc("a", vec![sp(2, 8, "PERSON")])];
    let opts = Options {
        ignore_whitespace: true,
        ..Options::default()
    };
    let r = score(&g, &p, &opts).unwrap();
    assert_eq!(r.char.gold_chars, 4);
    assert_eq!(r.char.pred_chars, 4);
    assert_eq!(r.char.overlap_chars, 2);
    let r = run(&g, &p);
    assert_eq!((r.char.gold_chars, r.char.overlap_chars), (5, 3));
    // Python counts U+001C..U+001F as whitespace; Rust's char::is_whitespace does not.
    let g = [doc_t("a", vec![sp(0, 4, "X")], "a\u{1c}\u{1f}b")];
    let r = score(&g, &g, &opts).unwrap();
    assert_eq!(r.char.gold_chars, 2);
    // without text: an error, like score.py's SystemExit
    let err = score(&p, &p, &opts).unwrap_err();
    assert!(matches!(err, Error::MissingText { doc: 1 }));
}

#[test]
fn ignore_whitespace_clamps_past_end() {
    // offsets are code points; spans past the end count only up to the end
    let g = [doc_t("a", vec![sp(0, 3, "X")], "é😀 x")];
    let p = [doc("a", vec![sp(1, 40, "X")])];
    let opts = Options {
        ignore_whitespace: true,
        ..Options::default()
    };
    let r = score(&g, &p, &opts).unwrap();
    assert_eq!(r.char.gold_chars, 2);
    assert_eq!(r.char.pred_chars, 2);
    assert_eq!(r.char.overlap_chars, 1);
    assert_eq!(r.warnings.get(warn_keys::PRED_BEYOND_END), Some(&1));
}

/// Tiny deterministic PRNG for the brute-force tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

#[test]
fn overlap_pairs_bruteforce() {
    let mut rnd = Rng(7);
    for _ in 0..500 {
        let mut rand_spans = || -> Vec<(i64, i64, String)> {
            let n = rnd.int(0, 8);
            (0..n)
                .map(|_| {
                    let s = rnd.int(0, 30);
                    (s, s + rnd.int(1, 8), "X".to_owned())
                })
                .collect()
        };
        let (a, b) = (rand_spans(), rand_spans());
        let mut want = Vec::new();
        for (i, x) in a.iter().enumerate() {
            for (j, y) in b.iter().enumerate() {
                if x.0 < y.1 && y.0 < x.1 {
                    want.push((i, j));
                }
            }
        }
        let mut got = overlap_pairs(&a, &b);
        got.sort_unstable();
        let n = got.len();
        got.dedup();
        assert_eq!(got.len(), n, "duplicate pairs");
        assert_eq!(got, want);
    }
}

#[test]
fn merge_and_intersect() {
    assert_eq!(merge(vec![(5, 9), (0, 5), (2, 3)]), vec![(0, 9)]);
    assert_eq!(merge(vec![(6, 9), (0, 5)]), vec![(0, 5), (6, 9)]);
    assert_eq!(
        intersect(&[(0, 5), (6, 9)], &[(3, 7), (8, 20)]),
        vec![(3, 5), (6, 7), (8, 9)]
    );
    assert_eq!(intersect(&[(0, 5)], &[(5, 9)]), vec![]);
}

#[test]
fn warnings_in_python_order() {
    // gold doc: negative span, then a malformed one, then a duplicate
    let g = Doc::from_value(&json!({"id": "a", "text": "abcdefgh", "spans": [
        {"start": -1, "end": 3, "label": "A"},
        {"start": 0, "label": "A"},
        {"start": 0, "end": 2, "label": "A"},
        {"start": 0, "end": 2, "label": "A"},
        {"start": 5, "end": 4, "label": "A"},
        {"start": 6, "end": 12, "label": "A"}
    ]}));
    let p = Doc::from_value(&json!({"id": "a", "spans": [
        {"start": 0, "end": 2, "label": 1},
        "x",
        {"start": 0, "end": 2, "label": "1"}
    ]}));
    let r = run(
        &[g.clone(), g],
        &[p.clone(), p, doc("b", vec![]), doc("c", vec![])],
    );
    let keys: Vec<(&str, u64)> = r.warnings.0.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        keys,
        [
            ("pred: duplicate doc id (later line wins)", 1),
            ("gold: empty or negative span dropped", 4),
            ("gold: malformed span", 2),
            ("gold: duplicate span dropped", 2),
            ("pred: malformed span", 2),
            ("pred: duplicate span dropped", 2),
            ("gold: span beyond end of text", 2),
            ("gold: duplicate doc id", 1),
            ("pred doc id not in gold (ignored)", 2),
        ]
    );
    assert_eq!(r.docs, 2);
    assert!(r.render(None).ends_with(
        "warnings: pred: duplicate doc id (later line wins): 1; gold: empty or negative span \
         dropped: 4; gold: malformed span: 2; gold: duplicate span dropped: 2; pred: malformed \
         span: 2; pred: duplicate span dropped: 2; gold: span beyond end of text: 2; gold: \
         duplicate doc id: 1; pred doc id not in gold (ignored): 2"
    ));
}

#[test]
fn bad_shapes_fail_like_python() {
    let g = Doc::from_value(&json!({"id": "a", "text": null, "spans": []}));
    assert!(matches!(
        score(&[g], &[], &Options::default()),
        Err(Error::TextNotString { doc: 1 })
    ));
    let g = Doc::from_value(&json!({"id": "a", "spans": 1}));
    assert!(matches!(
        score(std::slice::from_ref(&g), &[], &Options::default()),
        Err(Error::SpansNotIterable { side: "gold", .. })
    ));
    // a pred that is never looked up does not fail
    let ok = Doc::from_value(&json!({"id": "b", "spans": []}));
    let bad_pred = Doc::from_value(&json!({"id": "z", "spans": true}));
    assert!(score(std::slice::from_ref(&ok), &[bad_pred], &Options::default()).is_ok());
    let bad_pred = Doc::from_value(&json!({"id": "b", "spans": true}));
    assert!(matches!(
        score(&[ok], &[bad_pred], &Options::default()),
        Err(Error::SpansNotIterable { side: "pred", .. })
    ));
}

#[test]
fn conversation_missing_messages_are_empty_not_warned() {
    let gold = load_jsonl(
        r#"{"id": "c1", "messages": [{"role": "user", "content": "I am Priya"}, {"role": "assistant", "content": "Hi"}], "spans": [{"message": 0, "start": 5, "end": 10, "label": "PERSON"}]}
{"id": "c2", "messages": [{"role": "user", "content": "hello"}], "spans": []}
{"id": "c3", "messages": [{"role": "user", "content": "x"}], "spans": []}"#,
    )
    .unwrap();
    let pred = load_jsonl(
        r#"{"id": "c1", "spans": [{"message": 0, "start": 5, "end": 10, "label": "PERSON"}]}
{"id": "c2", "spans": []}"#,
    )
    .unwrap();
    let r = run(&gold, &pred);
    assert_eq!(r.docs, 4);
    assert_eq!(r.docs_without_pred, 1); // c3#0 only
    assert_eq!(r.warnings.0.len(), 1, "{:?}", r.warnings);
    approx(r.micro.exact.f1, Some(1.0));
    // a plain "c2" line with spans is not a conversation prediction: warned as unknown id
    let pred =
        load_jsonl(r#"{"id": "c2", "spans": [{"start": 0, "end": 1, "label": "X"}]}"#).unwrap();
    let r = run(&gold, &pred);
    assert_eq!(r.warnings.get(warn_keys::PRED_NOT_IN_GOLD), Some(&1));
}

#[test]
fn options_echo_and_render_options_line() {
    let g = [doc("a", vec![sp(0, 5, "PERSON")])];
    let opts = Options {
        labels: Some(vec!["PERSON".into(), "EMAIL".into(), "PERSON".into()]),
        exclude: vec!["ORG".into(), "OTHER".into(), "ORG".into()],
        relabel: vec![
            ("ADDRESS".into(), "LOCATION".into()),
            ("Ü".into(), "x".into()),
            ("ADDRESS".into(), "PLACE".into()),
        ],
        ..Options::default()
    };
    let r = score(&g, &g, &opts).unwrap();
    assert_eq!(
        serde_json::to_value(&r.options).unwrap(),
        json!({"labels": ["EMAIL", "PERSON"], "exclude_labels": ["ORG", "OTHER"],
               "relabel": {"ADDRESS": "PLACE", "Ü": "x"}, "filter_side": "both",
               "ignore_whitespace": false})
    );
    let table = r.render(Some("T"));
    assert!(table.starts_with("T\ndocs: 1  (without prediction line: 0)\noptions: {\"labels\": [\"EMAIL\", \"PERSON\"], \"exclude_labels\": [\"ORG\", \"OTHER\"], \"relabel\": {\"ADDRESS\": \"PLACE\", \"\\u00dc\": \"x\"}, \"filter_side\": \"both\", \"ignore_whitespace\": false}\n\n"), "{table}");
    // round trip through JSON
    let back: Report = serde_json::from_value(r.to_json()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn parse_cli_helpers() {
    assert_eq!(Options::parse_label_list(""), None);
    assert_eq!(Options::parse_label_list(" , "), Some(vec![]));
    assert_eq!(
        Options::parse_label_list("ORG, OTHER,,"),
        Some(vec!["ORG".to_owned(), "OTHER".to_owned()])
    );
    assert_eq!(
        Options::parse_relabel(" A = B=C ").unwrap(),
        ("A".to_owned(), "B=C".to_owned())
    );
    assert!(Options::parse_relabel("AB").is_err());
}

#[test]
fn empty_input() {
    let r = run(&[], &[]);
    assert_eq!(r.docs, 0);
    assert_eq!(r.f5, None);
    assert_eq!(r.macro_f1_over_gold_labels.exact, None);
    let v = r.to_json();
    assert_eq!(v["char"]["recall"], serde_json::Value::Null);
    assert_eq!(v["warnings"], json!({}));
}
